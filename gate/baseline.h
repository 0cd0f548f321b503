/*
 * baseline: a run compared with an earlier one (--baseline) on stable
 * figures only; its latency reported, its config differences named.
 */
#ifndef GATE_BASELINE_H
#define GATE_BASELINE_H

#include <stddef.h>

struct cfgdiff;
struct gate_config;
struct jnode;
struct latency;
struct verdict;

/* Why base is no baseline (not a soak-metrics/1 document), or NULL. */
const char *baseline_refuse(const struct jnode *base, char *buf, size_t len);
/* Add cand's comparison with c->baseline to v: 0, or -1 when out of memory. */
int baseline_judge(struct verdict *, const struct jnode *cand,
    const struct gate_config *c);
/* The --max-rise NAME's enum rise index, or -1. */
int baseline_rise(const char *name);
/* The names --max-rise takes, ", " between them. */
const char *baseline_rise_names(void);
/* "WARN config.workers: 4 -> 8", the caller's to free; NULL: OOM. */
char *baseline_warn_line(const struct cfgdiff *);
/* "INFO latency CMD: p50 A -> B ms, R.RRx; p95 ...", or NULL: OOM. */
char *baseline_info_line(const struct latency *);
/* "A -> B ms, R.RRx" ("n/a" without a ratio), the caller's; NULL: OOM. */
char *baseline_latency_half(const struct jnode *a, const struct jnode *b);
/* v as a number node with at most 6 decimals (the caller's); NULL: OOM. */
struct jnode *baseline_number(double v);
/* b / a into *r when both are numbers and a > 0: 0, else -1. */
int baseline_ratio(const struct jnode *a, const struct jnode *b, double *r);

#endif
