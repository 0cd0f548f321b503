/* start: the sections read from the run starts: config and shards. */
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "event.h"
#include "metrics.h"
#include "out.h"
#include "section.h"

#define SHARDS_MAX	10000	/* N of "K/N" at most, as soak-harness takes it */

#define PATH(...)	((const char *const []){ __VA_ARGS__, NULL })

/* The shards of the sharded run: the first run start with a shard wins. */
struct shards {
	int		 sharded;	/* a run start had a shard */
	unsigned	 n;		/* its N */
	int		 have_ops;
	unsigned long long ops;		/* its args.ops, the run's OPS */
	unsigned char	*seen;		/* n flags */
	unsigned	 nseen;
	int		 have_workers;
	unsigned long long workers;	/* args.workers over the shards seen */
};

/* A config field copied from the first run start. */
enum ctype { CT_STR, CT_COUNT, CT_WORKERS, CT_ARGV };

static const struct cfield {
	const char		*key;
	const char *const	*path;
	enum ctype		 t;
} cfields[] = {
	{ "mode", PATH("args", "mode"), CT_STR },
	{ "ops", PATH("args", "ops"), CT_COUNT },
	{ "workers", PATH("args", "workers"), CT_WORKERS },
	{ "files", PATH("args", "files"), CT_COUNT },
	{ "journal_mode", PATH("args", "journal_mode"), CT_STR },
	{ "synchronous", PATH("args", "synchronous"), CT_STR },
	{ "busy_timeout_ms", PATH("args", "busy_timeout_ms"), CT_COUNT },
	{ "lock_timeout_ms", PATH("args", "lock_timeout_ms"), CT_COUNT },
	{ "lock_wait_ms", PATH("args", "lock_wait_ms"), CT_COUNT },
	{ "sqlite_version", PATH("args", "sqlite_version"), CT_STR },
	{ "harness_version", PATH("args", "harness_version"), CT_STR },
	{ "op_cmd", PATH("args", "op_cmd"), CT_STR },
	{ "command", PATH("args", "argv"), CT_ARGV },
	{ "host", PATH("args", "env", "host"), CT_STR },
	{ "fs_type", PATH("args", "env", "fs_type"), CT_STR },
};
#define NCFIELDS	(sizeof(cfields) / sizeof(cfields[0]))

/* A value that may be null: a count, a string or strings. */
struct cval {
	int		 set;
	unsigned long long n;
	char		*s;		/* a string, or strings back to back */
	size_t		 len;
	size_t		*lens;		/* CT_ARGV: each string's length */
	size_t		 count;
};

struct config {
	int		 seen;		/* a run start came */
	int		 sharded;	/* the first was a shard's */
	struct cval	 v[NCFIELDS];
};

/* The digits at s, a number from 1 to SHARDS_MAX, into *v; 0, or -1. */
static int
shard_num(const char *s, size_t len, unsigned *v)
{
	size_t i;

	*v = 0;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9' || *v > SHARDS_MAX)
			return -1;
		*v = *v * 10 + (unsigned)(s[i] - '0');
	}
	return len > 0 && *v >= 1 && *v <= SHARDS_MAX ? 0 : -1;
}

int
fold_shard(struct fold *f, unsigned *k, unsigned *n)
{
	struct field v;
	const char *slash;

	if (fold_path(f, PATH("args", "shard"), &v) == -1)
		return -1;
	if (!field_want(f, &v, FT_STR))
		return 0;
	if ((slash = memchr(v.s, '/', v.len)) == NULL ||
	    shard_num(v.s, (size_t)(slash - v.s), k) == -1 ||
	    shard_num(slash + 1, v.len - (size_t)(slash - v.s) - 1, n) == -1 ||
	    *k > *n) {
		f->bad = 1;
		return 0;
	}
	return 1;
}

static void
shards_free(void *state)
{
	free(((struct shards *)state)->seen);
}

/* The first sharded run start: its N and OPS are the run's. */
static int
shards_first(struct shards *s, struct fold *f, unsigned n)
{
	if ((s->seen = calloc(n, 1)) == NULL)
		return -1;
	s->sharded = 1;
	s->n = n;
	s->have_ops = fold_count(f, F_A_OPS, &s->ops);
	return 0;
}

static int
shards_fold(void *state, struct fold *f)
{
	struct shards *s = state;
	unsigned long long v;
	unsigned k, n;
	int rc, have;

	if ((rc = fold_shard(f, &k, &n)) != 1)
		return rc;
	if (!s->sharded && shards_first(s, f, n) == -1)
		return -1;
	/* Another N: a bad field, ignored, so the shard is not seen. */
	if (n != s->n) {
		f->bad = 1;
		return 0;
	}
	have = fold_count(f, F_A_OPS, &v);
	if (have != s->have_ops || (have && v != s->ops))
		f->bad = 1;
	if (s->seen[k - 1])
		return 0;
	s->seen[k - 1] = 1;
	s->nseen++;
	if (fold_count(f, F_A_WORKERS, &v)) {
		count_add(&s->workers, v);
		s->have_workers = 1;
	}
	return 0;
}

int
shards_ops(const struct metrics *m, unsigned long long *ops)
{
	const struct shards *s = metrics_state(m, &section_shards);

	*ops = s->ops;
	return s->sharded && s->have_ops;
}

static int
shards_write(const void *state, struct out *o, const struct metrics *m)
{
	const struct shards *s = state;
	unsigned k;

	(void)m;
	out_key(o, "shards");
	if (!s->sharded)
		return out_null(o);
	out_map_open(o);
	out_kcount(o, "expected", s->n);
	out_kcount(o, "seen", s->nseen);
	out_key(o, "missing");
	out_array_open(o);
	for (k = 0; k < s->n && o->err == 0; k++)
		if (!s->seen[k])
			out_count(o, k + 1);
	out_array_close(o);
	return out_map_close(o);
}

const struct section section_shards = {
	.size = sizeof(struct shards),
	.kinds = KIND(C_RUN_START),
	.free = shards_free,
	.fold = shards_fold,
	.write = shards_write,
};

static void
config_free(void *state)
{
	struct config *c = state;
	size_t i;

	for (i = 0; i < NCFIELDS; i++) {
		free(c->v[i].s);
		free(c->v[i].lens);
	}
}

/* An array of strings into cv, back to back; bad if any is not one. */
static int
config_argv(struct fold *f, const char *const *path, struct cval *cv)
{
	struct field e, a;
	size_t i, len = 0;

	if (fold_path(f, path, &a) == -1)
		return -1;
	if (!field_want(f, &a, FT_ARR))
		return 0;
	for (i = 0; i < a.len; i++) {
		if (fold_path_at(f, path, i, &e) == -1)
			return -1;
		if (e.t != FT_STR) {
			f->bad = 1;
			return 0;
		}
		len += e.len;
	}
	if ((cv->s = malloc(len + 1)) == NULL ||
	    (cv->lens = calloc(a.len + 1, sizeof(*cv->lens))) == NULL)
		return -1;
	for (i = 0, len = 0; i < a.len; len += e.len, i++) {
		fold_path_at(f, path, i, &e);
		memcpy(cv->s + len, e.s, e.len);
		cv->lens[i] = e.len;
	}
	cv->count = a.len;
	cv->set = 1;
	return 0;
}

/* Field cf of the run start into cv; returns 0, or -1 (no memory). */
static int
config_field(struct fold *f, const struct cfield *cf, struct cval *cv)
{
	struct field v;

	if (cf->t == CT_ARGV)
		return config_argv(f, cf->path, cv);
	if (fold_path(f, cf->path, &v) == -1)
		return -1;
	if (cf->t != CT_STR) {
		cv->set = field_count(f, &v, &cv->n);
		return 0;
	}
	if (!field_want(f, &v, FT_STR))
		return 0;
	if ((cv->s = field_copy(&v)) == NULL)
		return -1;
	cv->len = v.len;
	cv->set = 1;
	return 0;
}

static int
config_fold(void *state, struct fold *f)
{
	struct config *c = state;
	unsigned k, n;
	size_t i;
	int rc;

	if (c->seen)
		return 0;
	c->seen = 1;
	if ((rc = fold_shard(f, &k, &n)) == -1)
		return -1;
	c->sharded = rc == 1;
	for (i = 0; i < NCFIELDS; i++)
		if (config_field(f, &cfields[i], &c->v[i]) == -1)
			return -1;
	return 0;
}

/* One value of the config; workers summed over the shards when sharded. */
static void
config_value(struct out *o, const struct config *c, size_t i,
    const struct metrics *m)
{
	const struct shards *s = metrics_state(m, &section_shards);
	const struct cval *cv = &c->v[i];
	size_t k, at;

	out_key(o, cfields[i].key);
	if (cfields[i].t == CT_WORKERS && c->sharded && s->have_workers)
		out_count(o, s->workers);
	else if (cfields[i].t == CT_WORKERS && c->sharded)
		out_null(o);
	else if (!cv->set)
		out_null(o);
	else if (cfields[i].t == CT_STR)
		out_str(o, cv->s, cv->len);
	else if (cfields[i].t != CT_ARGV)
		out_count(o, cv->n);
	else {
		out_array_open(o);
		for (k = 0, at = 0; k < cv->count; at += cv->lens[k++])
			out_str(o, cv->s + at, cv->lens[k]);
		out_array_close(o);
	}
}

static int
config_write(const void *state, struct out *o, const struct metrics *m)
{
	const struct config *c = state;
	size_t i;

	out_key(o, "config");
	if (!c->seen)
		return out_null(o);
	out_map_open(o);
	for (i = 0; i < NCFIELDS; i++)
		config_value(o, c, i, m);
	return out_map_close(o);
}

const struct section section_config = {
	.size = sizeof(struct config),
	.kinds = KIND(C_RUN_START),
	.free = config_free,
	.fold = config_fold,
	.write = config_write,
};
