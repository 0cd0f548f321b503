/* section: a part of the metrics document, its state, its fold and writer. */
#ifndef EXTRACT_SECTION_H
#define EXTRACT_SECTION_H

/*
 * Needs event.h, metrics.h and out.h included first.  metrics.c says how
 * the sections are dispatched and how to add one.
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

/*
 * Field k as a string: 1 when it is one; 0 when it is absent or null, or
 * of another type, and then the line has a bad field.
 */
int		 fold_str(struct fold *, enum fid k);
/* Field k as a count (an integer >= 0) into *out, as fold_str. */
int		 fold_count(struct fold *, enum fid k, unsigned long long *out);
/* Bad unless field k is an object, absent or null. */
void		 fold_map(struct fold *, enum fid k);
/* 1 when field k is the string lit. */
int		 fold_is(const struct fold *, enum fid k, const char *lit);
/* A NUL-terminated copy of string field k, or NULL when out of memory. */
char		*fold_copy(const struct fold *, enum fid k);

#endif
