/*
 * compare: whether "observed op limit" holds of two values of a doc tree,
 * counts compared by their digits so that no count is rounded.
 */
#include <stddef.h>
#include <string.h>

#include "compare.h"
#include "criteria.h"
#include "doc.h"

/* Whether op holds of an order: c < 0, 0 or > 0, or 2 for unordered. */
static int
order_holds(int c, enum cop op)
{
	if (c == 2)
		return op == OP_NE;
	switch (op) {
	case OP_EQ:
		return c == 0;
	case OP_NE:
		return c != 0;
	case OP_LT:
		return c < 0;
	case OP_LE:
		return c <= 0;
	case OP_GT:
		return c > 0;
	default:
		return c >= 0;
	}
}

/*
 * The digits of a number's text when it is a count (digits alone, as JSON
 * writes them without a leading 0; -0 is 0), else NULL.
 */
static const char *
count_text(const char *s)
{
	const char *p;

	if (strcmp(s, "-0") == 0)
		return "0";
	if (*s == '\0')
		return NULL;
	for (p = s; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			return NULL;
	return s;
}

/*
 * The order of numbers a and b: by their digits when both are counts, so
 * that counts past 2^53 compare exactly, else as doubles.
 */
static int
number_order(const struct jnode *a, const struct jnode *b)
{
	const char *x = count_text(doc_number_text(a));
	const char *y = count_text(doc_number_text(b));
	double u = doc_number(a), v = doc_number(b);
	size_t lx, ly;
	int c;

	if (x != NULL && y != NULL) {
		lx = strlen(x);
		ly = strlen(y);
		if (lx != ly)
			return lx < ly ? -1 : 1;
		c = strcmp(x, y);
		return c < 0 ? -1 : c > 0;
	}
	return u < v ? -1 : u > v ? 1 : u == v ? 0 : 2;
}

int
gate_holds(const struct jnode *o, enum cop op, const struct jnode *limit)
{
	if (doc_type(o) == J_NUMBER && doc_type(limit) == J_NUMBER)
		return order_holds(number_order(o, limit), op);
	if (op == OP_EQ || op == OP_NE)
		return doc_equal(o, limit) == (op == OP_EQ);
	return 0;
}
