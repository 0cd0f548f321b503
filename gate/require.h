/*
 * require: parse the option values that are expressions, --require
 * POINTER OP VALUE and --min-warm-hit-rate R.
 */
#ifndef GATE_REQUIRE_H
#define GATE_REQUIRE_H

#include <stddef.h>

struct jnode;
struct require;

/*
 * Parse "POINTER OP VALUE" (e.g. "/cache/hit_rate_warm >= 0.9") into r.
 * Returns 0, or -1 with a message in err: bad pointer, unknown operator,
 * a value that is not a JSON scalar, an ordering against a non-number,
 * or a pointer into /latency_ms (timings are never gated).
 */
int gate_parse_require(const char *expr, struct require *r, char *err,
    size_t errlen);
/* A rate: a JSON number from 0 to 1, or NULL with "is too large" in err. */
struct jnode *gate_parse_rate(const char *s, char *err, size_t errlen);

#endif
