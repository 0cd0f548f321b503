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
 * when it is a number >= 0, else NULL; run_lines counts the lines of the
 * event's run since that run's last end, this one included, and a fold
 * may set it to 0; a fold sets bad when a field has the wrong type.
 */
struct fold {
	const struct event	*ev;
	const struct field	*timing;
	unsigned long long	*run_lines;
	int			 bad;
};

struct section {
	size_t		 size;		/* of its state, zeroed before init */
	unsigned	 kinds;		/* the cmds whose events it folds */
	/* Set up the zeroed state, or NULL; returns 0, or -1 (no memory). */
	int		(*init)(void *state);
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
    section_cache_errors;

/* The options the metrics were made with. */
const struct metrics_opts *metrics_opts(const struct metrics *);
/* The lines matched: events of the run analysed. */
unsigned long long metrics_matched(const struct metrics *);
/* The state of section s, for a writer in the same file as s. */
const void	*metrics_state(const struct metrics *, const struct section *s);

/* 1 when field k has type want; 0 when absent or null, else bad. */
static inline int
fold_want(struct fold *f, enum fid k, enum ftype want)
{
	enum ftype t = event_get(f->ev, k)->t;

	if (t == want)
		return 1;
	if (t != FT_ABSENT && t != FT_NULL)
		f->bad = 1;
	return 0;
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

/* Field k as a count (an integer >= 0) into *out, as fold_str. */
static inline int
fold_count(struct fold *f, enum fid k, unsigned long long *out)
{
	const struct field *v = event_get(f->ev, k);

	if (!fold_want(f, k, FT_NUM))
		return 0;
	if (!v->isint || !v->irange || v->i < 0) {
		f->bad = 1;
		return 0;
	}
	*out = (unsigned long long)v->i;
	return 1;
}

/* Bad unless field k is an object, absent or null. */
static inline void
fold_map(struct fold *f, enum fid k)
{
	fold_want(f, k, FT_MAP);
}

/* 1 when field k is the string lit. */
static inline int
fold_is(const struct fold *f, enum fid k, const char *lit)
{
	const struct field *v = event_get(f->ev, k);
	size_t n = strlen(lit);

	return v->t == FT_STR && v->len == n && memcmp(v->s, lit, n) == 0;
}

/* A NUL-terminated copy of string field k, or NULL when out of memory. */
static inline char *
fold_copy(const struct fold *f, enum fid k)
{
	const struct field *v = event_get(f->ev, k);
	char *p;

	if ((p = malloc(v->len + 1)) == NULL)
		return NULL;
	if (v->len > 0)
		memcpy(p, v->s, v->len);
	p[v->len] = '\0';
	return p;
}

#endif
