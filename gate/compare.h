/*
 * compare: "observed op limit" of two values of a doc tree.
 */
#ifndef GATE_COMPARE_H
#define GATE_COMPARE_H

#include "criteria.h"

struct jnode;

/* The longest count gate_count reads, in digits. */
#define GATE_COUNT_DIGITS	400

/*
 * Whether the JSON number text s is exactly a count (an integer >= 0),
 * however it is written: 7, 7.0, 0.7e1 and -0 are; 7.5, 1e-400 and
 * 1.9999999999999999 are not. A count of at most GATE_COUNT_DIGITS
 * digits is put in digits (size at least GATE_COUNT_DIGITS + 1), without
 * leading zeros; returns 1 for a count, 0 for any other number, -1 for a
 * count of more digits or a number of more significant digits.
 */
int gate_count(const char *s, char *digits);

/*
 * What is wrong with n as a number: NULL when it is a finite number,
 * "number out of range" for a number past a double, or "expected a
 * number". The one wording of both soak-gate's criteria and --baseline.
 */
const char *gate_number_bad(const struct jnode *n);

/*
 * What is wrong with n as a rate: NULL when it is a number from 0 to 1,
 * else gate_number_bad's detail or "expected a rate (a number from 0 to
 * 1)".
 */
const char *gate_rate_bad(const struct jnode *n);

/*
 * What is wrong with n as a count: NULL when it is one (gate_count), its
 * digits then put in digits (size at least GATE_COUNT_DIGITS + 1); else
 * gate_number_bad's detail, "expected a count (an integer >= 0)" or
 * "number out of range".
 */
const char *gate_count_bad(const struct jnode *n, char *digits);

/*
 * The order of the JSON number texts a and b by their exact values: -1,
 * 0 or 1; 2 when one has more than GATE_COUNT_DIGITS significant digits.
 * Exponents past 10^9 are held there.
 */
int gate_order(const char *a, const char *b);

/*
 * Whether o op limit holds: numbers in order, two counts by their exact
 * digits (gate_count), so that no count is rounded; other values only by
 * == and != (doc_equal).
 */
int gate_holds(const struct jnode *o, enum cop op, const struct jnode *limit);

#endif
