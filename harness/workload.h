/* workload.h: what a mode of soak-harness does, as one table of
 * operations; the parent and the workers call nothing else of it. */
#ifndef HARNESS_WORKLOAD_H
#define HARNESS_WORKLOAD_H

#include <signal.h>

struct config;
struct emitter;
struct batch;
struct ledger;
struct wstat;

/* How a step before the run ended. */
enum prep {
	PREP_OK,
	PREP_REFUSED,	/* the input is unusable (message printed): usage */
	PREP_FAILED	/* the system failed (message printed) */
};

/* One worker's context, built once by the parent and passed down. */
struct wctx {
	const struct config *cf;
	const void *state;	/* the workload's, from prepare */
	int index;		/* worker number, from 1 */
	long long share;	/* operations; -1: until the deadline */
	int fd;			/* the pipe to the parent */
	int gofd;		/* the start barrier (proto_go) */
	struct wstat *st;	/* this worker's shared counters */
	double deadline_ms;	/* clock_ms() at which to stop; 0: none */
	int redo;		/* a chaos kill's replacement: its first
				 * operation, the killed one's, runs even
				 * past the deadline */
	volatile sig_atomic_t *stop;
};

/* What the checks after a run are given. */
struct checks {
	const struct config *cf;
	struct emitter *em;		/* the parent's */
	const struct ledger *ledger;	/* writes the workers saw commit */
};

struct workload {
	const char *mode;	/* soak.run.start's args.mode */
	/* In the parent, before anything is written: get ready, keeping
	 * what the workers need in *state (freed with release). */
	enum prep (*prepare)(const struct config *, void **state);
	void (*release)(void *state);
	/* soak.run.start: the mode's members of args, then of x. */
	void (*start_args)(const struct config *, const void *state,
	    struct emitter *);
	void (*start_x)(const struct config *, const void *state,
	    struct emitter *);
	/* In a worker: set up (0, or -1 when it cannot run), one operation
	 * (1-based op; its lines through em; 0 done, 1 not an operation, as
	 * a run killed by --chaos-kill: run op again; -1 to stop), tear
	 * down. */
	int (*child_new)(const struct wctx *, struct emitter *, struct batch *,
	    void **child);
	int (*child_op)(void *child, long long op);
	void (*child_free)(void *child);
	/* In the parent, after the workers ended: check the cache. */
	void (*checks)(const struct checks *, const void *state);
};

/* The table of the workload whose functions are named PREFIX_prepare,
 * PREFIX_release, ..., PREFIX_checks. */
#define WORKLOAD_TABLE(name, prefix) {					\
	.mode = name,							\
	.prepare = prefix##_prepare,					\
	.release = prefix##_release,					\
	.start_args = prefix##_start_args,				\
	.start_x = prefix##_start_x,					\
	.child_new = prefix##_child_new,				\
	.child_op = prefix##_child_op,					\
	.child_free = prefix##_child_free,				\
	.checks = prefix##_checks					\
}

extern const struct workload workload_builtin;
extern const struct workload workload_exec;

#endif
