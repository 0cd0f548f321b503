/*
 * criteria: soak-gate's judgement of a soak-metrics(5) document. Pure:
 * no I/O, no exit; main() prints and decides the status.
 */
#ifndef GATE_CRITERIA_H
#define GATE_CRITERIA_H

#include <stddef.h>

struct jnode;

/* An operator, and an outcome (C_BADTYPE: the metric has the wrong type). */
enum cop { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };
enum cstatus { C_PASS, C_FAIL, C_SKIP, C_BADTYPE };

/* One --require (see require.h): pointer, operator, scalar limit (owned). */
struct require {
	char		*pointer;
	enum cop	 op;
	struct jnode	*limit;
};

/* The counts a comparison with a baseline lets rise (--max-rise NAME=N). */
enum rise { RISE_LOCK, RISE_CACHE_ERRORS, RISE_OPS_FAILED, RISE_EVENTS_LOST,
    RISE_WORKERS_DIED, RISE_CHAOS, RISE_N };

/* What the command line sets. */
struct gate_config {
	long long	 min_ops;		/* -1: take ops_requested */
	long long	 min_warm_hits;
	long long	 max_lock_timeouts;
	long long	 max_malformed;
	long long	 max_wal_bytes;		/* -1: not asked */
	struct jnode	*min_warm_hit_rate;	/* NULL: not asked */
	struct require	*requires;
	size_t		 nrequires;
	unsigned long	 skip;			/* --skip: bit i, table row i */
	const struct jnode *baseline;		/* --baseline, not owned */
	const char	*baseline_name;		/* it, in the outputs */
	struct jnode	*max_hit_rate_drop;	/* NULL: 0.02 */
	long long	 max_rise[RISE_N];	/* --max-rise, default 0 */
};

/*
 * The outcome of one criterion; observed and base point into the
 * documents (or at the verdict's zero).
 */
struct result {
	char		*name;			/* owned */
	char		*pointer;		/* owned */
	enum cop	 op;
	const struct jnode *observed;		/* NULL when absent */
	struct jnode	*limit;			/* owned; NULL: no target */
	enum cstatus	 status;
	const char	*detail;		/* why, when not a comparison */
	char		*own_detail;		/* owned, when detail is made */
	int		 compared;		/* a comparison with a baseline */
	const struct jnode *base;		/* its value there, NULL: absent */
	struct jnode	*tolerance;		/* owned: the rise or drop allowed */
	int		 in_base;		/* C_BADTYPE: in the baseline */
};

/* A config field that differs from the baseline's (NULL: null or absent). */
struct cfgdiff {
	const char	*field;
	const struct jnode *base, *cand;
};

/* A cmd's median and 95th percentile in the baseline and in this run. */
struct latency {
	const char	*cmd;
	const struct jnode *base50, *cand50, *base95, *cand95;
};

/* Every criterion's outcome, and how many failed, skipped, had bad types. */
struct verdict {
	struct result	*results;
	size_t		 n, cap;
	size_t		 failed, skipped, badtype;
	struct jnode	*zero;			/* 0, for what counts as none */
	const char	*baseline;		/* its name, NULL without one */
	struct cfgdiff	*diffs;			/* with a baseline */
	size_t		 ndiffs;
	struct latency	*lat;
	size_t		 nlat;
};

/* The defaults: 1 warm hit, 1 lock timeout, 0 malformed, nothing else. */
void gate_config_init(struct gate_config *);
/* Free what the config owns and zero it. */
void gate_config_free(struct gate_config *);
/* --skip the default criterion called name: 0, or -1 when there is none. */
int gate_skip(struct gate_config *, const char *name);
/* The name of default criterion i (from 0), or NULL past the last. */
const char *gate_default_name(size_t i);

/*
 * Judge doc on every criterion, in the order printed; NULL only when out
 * of memory. Free with gate_verdict_free.
 */
struct verdict *gate_evaluate(const struct jnode *doc,
    const struct gate_config *);
/* Free a verdict; NULL is accepted. */
void gate_verdict_free(struct verdict *);
/* A new zeroed result at the end of v, or NULL when out of memory. */
struct result *gate_verdict_add(struct verdict *);

/* An operator as written: "==", "!=", "<", "<=", ">", ">=". */
const char *gate_op_name(enum cop);
/* The operator that holds when op does not: "<" for ">=". */
enum cop gate_op_negation(enum cop);
/* A status as printed: PASS, FAIL, SKIP, ERROR. */
const char *gate_status_name(enum cstatus);

#endif
