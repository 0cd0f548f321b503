/* hosts: the hosts section, each x.host's share of the run. */
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "event.h"
#include "metrics.h"
#include "out.h"
#include "section.h"
#include "strtab.h"
#include "utf8.h"

/* What the lines of one host counted. */
struct host {
	unsigned long long ops, ok, hits, misses, waits, errors;
};

struct hosts {
	struct strtab	*tab;		/* x.host -> struct host */
	const char	*last;		/* the last line's host, a key of tab */
	size_t		 last_len;
	struct host	*last_h;
};

static int
hosts_init(void *state, const struct metrics_opts *o)
{
	struct hosts *h = state;

	(void)o;
	return (h->tab = strtab_new()) == NULL ? -1 : 0;
}

static void
hosts_free_ent(struct strtab_ent *e)
{
	free(e->val);
}

static void
hosts_free(void *state)
{
	struct hosts *h = state;

	if (h->tab != NULL)
		strtab_foreach(h->tab, hosts_free_ent);
	strtab_free(h->tab);
}

/* The event's host, made when new; NULL when out of memory. */
static struct host *
hosts_get(struct hosts *h, const struct field *v)
{
	struct strtab_ent *e;
	const char *name;
	char *tmp;
	size_t len = v->len;
	int created;

	/* A host's lines mostly come together: look up a new host only. */
	if (h->last != NULL && v->len == h->last_len &&
	    memcmp(v->s, h->last, v->len) == 0)
		return h->last_h;
	if ((name = utf8_name(v->s, &len, &tmp)) == NULL)
		return NULL;
	e = strtab_get(h->tab, name, len, &created);
	free(tmp);
	if (e == NULL)
		return NULL;
	if (created && (e->val = calloc(1, sizeof(struct host))) == NULL)
		return NULL;
	h->last = e->key;
	h->last_len = e->len;
	return h->last_h = e->val;
}

static int
hosts_fold(void *state, struct fold *f)
{
	struct host *h;

	if (!fold_str(f, F_X_HOST))
		return 0;
	if ((h = hosts_get(state, event_get(f->ev, F_X_HOST))) == NULL)
		return -1;
	if (f->op) {
		h->ops++;
		if (fold_is(f, F_R_STATUS, "ok"))
			h->ok++;
	}
	switch (f->ev->cmd) {
	case C_HIT:
		h->hits++;
		break;
	case C_MISS:
		h->misses++;
		break;
	case C_LOCK_WAIT:
		h->waits++;
		break;
	case C_ERROR:
		h->errors++;
		break;
	default:
		break;
	}
	return 0;
}

static void
hosts_one(struct out *o, const struct strtab_ent *e)
{
	const struct host *h = e->val;

	out_str(o, e->key, e->len);
	out_map_open(o);
	out_kcount(o, "ops", h->ops);
	out_kcount(o, "ok", h->ok);
	out_kcount(o, "failed", h->ops - h->ok);
	out_kcount(o, "hits", h->hits);
	out_kcount(o, "misses", h->misses);
	out_kcount(o, "lock_waits", h->waits);
	out_kcount(o, "errors", h->errors);
	out_map_close(o);
}

static int
hosts_write(const void *state, struct out *o, const struct metrics *m)
{
	const struct hosts *h = state;
	struct strtab_ent **v, **e;

	(void)m;
	out_key(o, "hosts");
	if (strtab_count(h->tab) == 0)
		return out_null(o);
	if ((v = strtab_sorted(h->tab)) == NULL)
		return o->err = -1;
	out_map_open(o);
	for (e = v; *e != NULL; e++)
		hosts_one(o, *e);
	free(v);
	return out_map_close(o);
}

const struct section section_hosts = {
	.size = sizeof(struct hosts),
	.kinds = KINDS_ALL,
	.init = hosts_init,
	.free = hosts_free,
	.fold = hosts_fold,
	.write = hosts_write,
};
