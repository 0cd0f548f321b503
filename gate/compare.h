/*
 * compare: "observed op limit" of two values of a doc tree.
 */
#ifndef GATE_COMPARE_H
#define GATE_COMPARE_H

#include "criteria.h"

struct jnode;

/*
 * Whether o op limit holds: numbers in order, two counts written as
 * digits (or -0) by their digits, so that counts past 2^53 compare
 * exactly; other values only by == and != (doc_equal).
 */
int gate_holds(const struct jnode *o, enum cop op, const struct jnode *limit);

#endif
