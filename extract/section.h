/* section: a part of the metrics document, its state, its fold and writer. */
#ifndef EXTRACT_SECTION_H
#define EXTRACT_SECTION_H

/*
 * Needs <stdlib.h>, <string.h>, event.h, metrics.h and out.h included
 * first.  The typed field reads at the end are inline: every event goes
 * through some.  metrics.c says how the sections are dispatched and how
 * to add one.
 */

/* The kinds of event a section folds: a set of enum cmd_id. */
#define KIND(c)		(1U << (c))
#define KINDS_ALL	((1U << C_COUNT) - 1)
_Static_assert(C_COUNT < 32, "enum cmd_id outgrew the kinds mask");

/*
 * One event of the run analysed, as a fold sees it: timing is timing_ms
 * when it is a number >= 0, else NULL; op is 1 for an operation (an event
 * of the op cmd that is not a chaos kill); run_lines counts the lines of
 * the event's run since that run's last end, this one included, and a
 * fold may set it to 0; a fold sets bad when a field has the wrong type.
 * tree is the whole line read again, once a fold asked (fold_path).
 */
struct fold {
	const struct event	*ev;
	const struct field	*timing;
	unsigned long long	*run_lines;
	int			 op;
	int			 bad;
	void			*tree;		/* yajl_val */
	int			 treed;		/* tree was read */
};

struct section {
	size_t		 size;		/* of its state, zeroed before init */
	unsigned	 kinds;		/* the cmds whose events it folds */
	/* Set up the zeroed state for the options, or NULL; returns 0, or -1. */
	int		(*init)(void *state, const struct metrics_opts *);
	/* Free what the state holds, not the state itself, or NULL. */
	void		(*free)(void *state);
	/* Fold one event in, or NULL; returns 0, or -1 (no memory). */
	int		(*fold)(void *state, struct fold *);
	/* Write its keys into the document's object; returns out's err. */
	int		(*write)(const void *state, struct out *,
			    const struct metrics *);
};

/* In document order, as metrics.c lists them. */
extern const struct section section_cmds, section_ops, section_cache,
    section_locks, section_integrity, section_verify, section_workers,
    section_events, section_latency, section_progression, section_op_cmd,
    section_cache_errors, section_chaos, section_db, section_env,
    section_timeline, section_config, section_shards, section_hosts;

/* The options the metrics were made with. */
const struct metrics_opts *metrics_opts(const struct metrics *);
/* The state of section s, for a writer in the same file as s. */
const void	*metrics_state(const struct metrics *, const struct section *s);
/* The operation cmd: --op-cmd, else the first run start's, else default. */
const char	*metrics_op_cmd(const struct metrics *, size_t *len);

/*
 * The field at path (keys, NULL-terminated) of the whole line into *out,
 * FT_ABSENT when it has none; for the fields the line parser does not
 * keep.  An array's len is its length.  Strings stay valid during this
 * fold.  Returns 0, or -1 when out of memory.
 */
int		 fold_path(struct fold *, const char *const *path,
		    struct field *out);
/* Element i of the array at path into *out, as fold_path. */
int		 fold_path_at(struct fold *, const char *const *path, size_t i,
		    struct field *out);
/*
 * A run start's args.shard "K/N" (1 <= K <= N <= 10000) into *k and *n:
 * 1; 0 when it has none, or a bad one (a bad field); -1 out of memory.
 */
int		 fold_shard(struct fold *, unsigned *k, unsigned *n);
/* The OPS of the sharded run, its first run start's: 1, else 0. */
int		 shards_ops(const struct metrics *, unsigned long long *ops);

/* 1 when v has type want; 0 when absent or null, else bad. */
static inline int
field_want(struct fold *f, const struct field *v, enum ftype want)
{
	if (v->t == want)
		return 1;
	if (v->t != FT_ABSENT && v->t != FT_NULL)
		f->bad = 1;
	return 0;
}

/* 1 when field k has type want; 0 when absent or null, else bad. */
static inline int
fold_want(struct fold *f, enum fid k, enum ftype want)
{
	return field_want(f, event_get(f->ev, k), want);
}

/* The largest count: 2^63 - 1, the largest integer soak-gate reads. */
#define COUNT_MAX	9223372036854775807ULL

/* v as an integer >= 0, held exactly, into *out, as fold_count. */
static inline int
field_exact(struct fold *f, const struct field *v, unsigned long long *out)
{
	if (!field_want(f, v, FT_NUM))
		return 0;
	if (!v->isint || !v->irange || v->i < 0) {
		f->bad = 1;
		return 0;
	}
	*out = (unsigned long long)v->i;
	return 1;
}

/* v as a count (an integer >= 0) into *out, as fold_count: one past
 * 2^63 - 1 is held at COUNT_MAX. */
static inline int
field_count(struct fold *f, const struct field *v, unsigned long long *out)
{
	if (v->t == FT_NUM && v->isint && !v->irange && v->d > 0) {
		*out = COUNT_MAX;
		return 1;
	}
	return field_exact(f, v, out);
}

/*
 * Field k as a string: 1 when it is one; 0 when it is absent or null, or
 * of another type, and then the line has a bad field.
 */
static inline int
fold_str(struct fold *f, enum fid k)
{
	return fold_want(f, k, FT_STR);
}

/*
 * Add the count v to *sum, holding the sum at COUNT_MAX (2^63 - 1, the
 * largest integer soak-gate reads) rather than letting it wrap: a line
 * carries a count of at most COUNT_MAX (a larger one is read as it), and
 * a total of such counts too large to hold is written as COUNT_MAX,
 * never made small.
 */
static inline void
count_add(unsigned long long *sum, unsigned long long v)
{
	*sum = v > COUNT_MAX || *sum > COUNT_MAX - v ? COUNT_MAX : *sum + v;
}

/* Field k as a count (an integer >= 0) into *out, as fold_str. */
static inline int
fold_count(struct fold *f, enum fid k, unsigned long long *out)
{
	return field_count(f, event_get(f->ev, k), out);
}

/*
 * Field k as a number that names something (a worker) into *out, as
 * fold_count but never held at COUNT_MAX: two names past it are not one.
 */
static inline int
fold_id(struct fold *f, enum fid k, unsigned long long *out)
{
	return field_exact(f, event_get(f->ev, k), out);
}

/*
 * The count at path into *out: 1; 0 when absent or null, or not a count
 * (a bad field); -1 when out of memory.
 */
static inline int
fold_path_count(struct fold *f, const char *const *path,
    unsigned long long *out)
{
	struct field v;

	if (fold_path(f, path, &v) == -1)
		return -1;
	return field_count(f, &v, out);
}

/* Bad unless field k is an object, absent or null. */
static inline void
fold_map(struct fold *f, enum fid k)
{
	fold_want(f, k, FT_MAP);
}

/* 1 when v is the string lit. */
static inline int
field_is(const struct field *v, const char *lit)
{
	size_t n = strlen(lit);

	return v->t == FT_STR && v->len == n && memcmp(v->s, lit, n) == 0;
}

/* 1 when field k is the string lit. */
static inline int
fold_is(const struct fold *f, enum fid k, const char *lit)
{
	return field_is(event_get(f->ev, k), lit);
}

/* 1 when field k is true; bad unless a boolean, absent or null. */
static inline int
fold_true(struct fold *f, enum fid k)
{
	return fold_want(f, k, FT_BOOL) && event_get(f->ev, k)->b;
}

/* A NUL-terminated copy of string v, or NULL when out of memory. */
static inline char *
field_copy(const struct field *v)
{
	char *p;

	if ((p = malloc(v->len + 1)) == NULL)
		return NULL;
	if (v->len > 0)
		memcpy(p, v->s, v->len);
	p[v->len] = '\0';
	return p;
}

/* A NUL-terminated copy of string field k, or NULL when out of memory. */
static inline char *
fold_copy(const struct fold *f, enum fid k)
{
	return field_copy(event_get(f->ev, k));
}

#endif
