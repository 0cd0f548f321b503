/*
 * criteria: soak-gate's judgement of a soak-metrics(5) document. Pure:
 * no I/O, no exit; main() prints and decides the status.
 */
#ifndef GATE_CRITERIA_H
#define GATE_CRITERIA_H

#include <stddef.h>

struct jnode;

enum cop { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };
enum cstatus { C_PASS, C_FAIL, C_SKIP, C_BADTYPE };

/* One --require (see require.h): pointer, operator, scalar limit (owned). */
struct require {
	char		*pointer;
	enum cop	 op;
	struct jnode	*limit;
};

struct gate_config {
	long long	 min_ops;		/* -1: take ops_requested */
	long long	 min_warm_hits;
	long long	 max_lock_timeouts;
	long long	 max_malformed;
	struct jnode	*min_warm_hit_rate;	/* NULL: not asked */
	struct require	*requires;
	size_t		 nrequires;
};

/* The outcome of one criterion; observed points into the document. */
struct result {
	char		 name[64];
	char		*pointer;		/* owned */
	enum cop	 op;
	const struct jnode *observed;		/* NULL when absent */
	struct jnode	*limit;			/* owned; NULL: no target */
	enum cstatus	 status;
	const char	*detail;		/* why, when not a comparison */
};

struct verdict {
	struct result	*results;
	size_t		 n;
	size_t		 failed, skipped, badtype;
};

void gate_config_init(struct gate_config *);
void gate_config_free(struct gate_config *);

/* Judge doc; NULL only when out of memory. Free with gate_verdict_free. */
struct verdict *gate_evaluate(const struct jnode *doc,
    const struct gate_config *);
void gate_verdict_free(struct verdict *);

const char *gate_op_name(enum cop);
const char *gate_status_name(enum cstatus);
/* One report line, without newline: "FAIL lock_timeout: 3 > 1". */
void gate_result_line(const struct result *, char *buf, size_t len);

#endif
