/* plotdoc: the parts of a soak-metrics(5) document that soak-plot draws. */
#ifndef EXTRACT_PLOTDOC_H
#define EXTRACT_PLOTDOC_H

#include <stddef.h>

#define PLOTDOC_MAX_BYTES	(64UL * 1024 * 1024)
#define PLOTDOC_MAX_DEPTH	64

/* One timeline bucket; NAN stands for null or absent. */
struct pl_bucket {
	double	t_ms;
	double	ops, ok, failed, hits, misses;
	double	lock_waits, lock_timeouts, errors;
	double	p50, p95, max;
	double	db_bytes, wal_bytes;
};

/* One progression window; NAN stands for null or absent. */
struct pl_window {
	double	lookups, hits, misses, hit_rate;
};

/* One cmd of latency_ms; NAN stands for null or absent. */
struct pl_pctl {
	char	*cmd;
	double	 count, p50, p95, p99, max;
};

/* What soak-plot reads of a metrics document; pl_doc_free frees it. */
struct pl_doc {
	char		 *run_id;	/* NULL when null */
	int		  untagged;	/* lines without a run id counted */
	char		 *op_cmd;	/* NULL when null */
	double		  interval_ms;
	struct pl_bucket *tl;
	size_t		  ntl;
	struct pl_window *prog;
	size_t		  nprog;
	struct pl_pctl	 *lat;		/* as pl_cmd_drawn */
	size_t		  nlat;
	double		  hit_rate, hit_rate_warm;
	/* The run's totals, untimed lines in them; NAN when null or absent. */
	double		  lock_wait, lock_timeout, ops_failed, errors;
};

/*
 * Read len bytes of buf, with a NUL at buf[len] (a document named name in
 * messages), into *d.
 * Returns 0, or -1 with one line in err naming name and the place
 * ("m.json:3:14: not JSON", "m.json: /timeline/2/ops: not a number");
 * after -1, *d holds nothing to free.
 */
int pl_doc_parse(const char *buf, size_t len, const char *name,
    struct pl_doc *d, char *err, size_t errlen);

/* Free what *d holds and empty it; an empty one is accepted. */
void pl_doc_free(struct pl_doc *d);

/* Whether d's timeline has a database or WAL size anywhere. */
int pl_doc_has_sizes(const struct pl_doc *d);

#endif
