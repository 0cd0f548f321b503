/* cache: the sections of cache events: cache, progression, cache_errors. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "event.h"
#include "metrics.h"
#include "out.h"
#include "section.h"
#include "strtab.h"
#include "utf8.h"

/* Lookups and writes; a lookup is cold when its key is new, else warm. */
struct cache {
	struct strtab	*keys;		/* cache keys looked up */
	unsigned long long hits, misses, writes;
	unsigned long long hits_cold, misses_cold, hits_warm, misses_warm;
};

/* Every lookup in stream order, one bit each: 1 = hit. */
struct progression {
	uint64_t	*look;
	size_t		 n, cap;	/* lookups; words in look */
};

/* ast.cache.error events by result.code. */
struct cache_errors {
	struct strtab	*codes;		/* code -> n */
};

static int
cache_init(void *state, const struct metrics_opts *o)
{
	struct cache *c = state;

	(void)o;
	return (c->keys = strtab_new()) == NULL ? -1 : 0;
}

static void
cache_free(void *state)
{
	strtab_free(((struct cache *)state)->keys);
}

static int
cache_fold(void *state, struct fold *f)
{
	struct cache *c = state;
	const struct field *key = event_get(f->ev, F_A_CACHE_KEY);
	int hit = f->ev->cmd == C_HIT, created;

	if (f->ev->cmd == C_WRITE) {
		c->writes++;
		fold_str(f, F_A_CACHE_KEY);
		return 0;
	}
	if (hit)
		c->hits++;
	else
		c->misses++;
	if (!fold_str(f, F_A_CACHE_KEY))
		return 0;
	if (strtab_get_h(c->keys, key->s, key->len, f->ev->key_hash,
	    &created) == NULL)
		return -1;
	if (created && hit)
		c->hits_cold++;
	else if (created)
		c->misses_cold++;
	else if (hit)
		c->hits_warm++;
	else
		c->misses_warm++;
	return 0;
}

static int
cache_write(const void *state, struct out *o, const struct metrics *m)
{
	const struct cache *c = state;

	(void)m;
	out_kmap(o, "cache");
	out_kcount(o, "hits", c->hits);
	out_kcount(o, "misses", c->misses);
	out_kcount(o, "writes", c->writes);
	out_key(o, "hit_rate");
	out_rate(o, c->hits, c->hits + c->misses);
	out_kcount(o, "hits_cold", c->hits_cold);
	out_kcount(o, "misses_cold", c->misses_cold);
	out_kcount(o, "hits_warm", c->hits_warm);
	out_kcount(o, "misses_warm", c->misses_warm);
	out_key(o, "hit_rate_cold");
	out_rate(o, c->hits_cold, c->hits_cold + c->misses_cold);
	out_key(o, "hit_rate_warm");
	out_rate(o, c->hits_warm, c->hits_warm + c->misses_warm);
	out_map_close(o);
	return out_kcount(o, "cache_hits_warm", c->hits_warm);
}

const struct section section_cache = {
	.size = sizeof(struct cache),
	.kinds = KIND(C_HIT) | KIND(C_MISS) | KIND(C_WRITE),
	.init = cache_init,
	.free = cache_free,
	.fold = cache_fold,
	.write = cache_write,
};

static void
progression_free(void *state)
{
	free(((struct progression *)state)->look);
}

static int
progression_fold(void *state, struct fold *f)
{
	struct progression *p = state;
	size_t cap;
	uint64_t *nl;

	if (p->n == p->cap * 64) {
		cap = p->cap ? p->cap * 2 : 64;
		if ((nl = reallocarray(p->look, cap, sizeof(*nl))) == NULL)
			return -1;
		memset(nl + p->cap, 0, (cap - p->cap) * sizeof(*nl));
		p->look = nl;
		p->cap = cap;
	}
	if (f->ev->cmd == C_HIT)
		p->look[p->n / 64] |= 1ULL << (p->n % 64);
	p->n++;
	return 0;
}

static void
progression_window(const struct progression *p, struct out *o, size_t from,
    size_t to)
{
	unsigned long long hits = 0;
	size_t i;

	for (i = from; i < to; i++)
		hits += (p->look[i / 64] >> (i % 64)) & 1;
	out_map_open(o);
	out_kcount(o, "lookups", to - from);
	out_kcount(o, "hits", hits);
	out_kcount(o, "misses", to - from - hits);
	out_key(o, "hit_rate");
	out_rate(o, hits, to - from);
	out_map_close(o);
}

/*
 * Windows of --window N lookups (the last may be shorter), else
 * min(10, L) windows, window k holding lookups [kL/W, (k+1)L/W).
 */
static int
progression_write(const void *state, struct out *o, const struct metrics *m)
{
	const struct progression *p = state;
	unsigned long long window = metrics_opts(m)->window;
	size_t n = p->n, k, w;

	out_key(o, "progression");
	out_array_open(o);
	if (window > 0) {
		for (k = 0; k < n; k += w) {
			w = n - k < window ? n - k : (size_t)window;
			progression_window(p, o, k, k + w);
		}
	} else {
		w = n < METRICS_WINDOWS ? n : METRICS_WINDOWS;
		for (k = 0; k < w; k++)
			progression_window(p, o, k * n / w, (k + 1) * n / w);
	}
	return out_array_close(o);
}

const struct section section_progression = {
	.size = sizeof(struct progression),
	.kinds = KIND(C_HIT) | KIND(C_MISS),
	.free = progression_free,
	.fold = progression_fold,
	.write = progression_write,
};

static int
errors_init(void *state, const struct metrics_opts *o)
{
	struct cache_errors *c = state;

	(void)o;
	return (c->codes = strtab_new()) == NULL ? -1 : 0;
}

static void
errors_free(void *state)
{
	strtab_free(((struct cache_errors *)state)->codes);
}

static int
errors_fold(void *state, struct fold *f)
{
	const struct field *code = event_get(f->ev, F_R_CODE);
	struct strtab_ent *e;
	const char *name;
	char *tmp;
	size_t len = code->len;
	int created;

	if (!fold_str(f, F_R_CODE))
		return 0;
	if ((name = utf8_name(code->s, &len, &tmp)) == NULL)
		return -1;
	e = strtab_get(((struct cache_errors *)state)->codes, name, len,
	    &created);
	free(tmp);
	if (e == NULL)
		return -1;
	e->n++;
	return 0;
}

static int
errors_write(const void *state, struct out *o, const struct metrics *m)
{
	const struct cache_errors *c = state;
	struct strtab_ent **v, **e;

	(void)m;
	if ((v = strtab_sorted(c->codes)) == NULL)
		return o->err = -1;
	out_kmap(o, "cache_errors");
	for (e = v; *e != NULL; e++) {
		out_str(o, (*e)->key, (*e)->len);
		out_count(o, (*e)->n);
	}
	free(v);
	return out_map_close(o);
}

const struct section section_cache_errors = {
	.size = sizeof(struct cache_errors),
	.kinds = KIND(C_ERROR),
	.init = errors_init,
	.free = errors_free,
	.fold = errors_fold,
	.write = errors_write,
};
