/*
 * compare: whether "observed op limit" holds of two values of a doc tree,
 * numbers compared by the digits they were written with, so that none is
 * rounded.
 */
#include <math.h>
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

/* Past this an exponent is held at it: 1e-2000000000 is 1e-1000000000. */
#define EXP_MAX	1000000000L

/* The exponent of a number's text after its e, held at +-EXP_MAX. */
static long
exponent(const char *p)
{
	long e = 0;
	int neg = *p == '-';

	if (*p == '-' || *p == '+')
		p++;
	for (; *p >= '0' && *p <= '9'; p++)
		if ((e = e * 10 + (*p - '0')) > EXP_MAX)
			e = EXP_MAX;
	return neg ? -e : e;
}

/* A number's exact value: d[0..n) (no leading or trailing 0) * 10^scale;
 * 0 when n is 0; over when it has more significant digits than d holds. */
struct dec {
	int	 neg, over;
	size_t	 n;
	long	 scale;
	char	 d[GATE_COUNT_DIGITS];
};

/* Read the JSON number text s into x. */
static void
dec_read(const char *s, struct dec *x)
{
	const char *p = s;
	size_t zeros = 0;
	int point = 0;

	x->neg = *p == '-';
	x->over = 0;
	x->n = 0;
	x->scale = 0;
	/* zeros: the zeros after the last other digit, held back. */
	for (p += x->neg; (*p >= '0' && *p <= '9') || *p == '.'; p++) {
		if (*p == '.') {
			point = 1;
			continue;
		}
		x->scale -= point;
		if (*p == '0') {
			zeros += x->n > 0;
			continue;
		}
		if (x->n + zeros >= GATE_COUNT_DIGITS) {
			x->over = 1;
			continue;
		}
		for (; zeros > 0; zeros--)
			x->d[x->n++] = '0';
		x->d[x->n++] = *p;
	}
	x->scale += (long)zeros;
	if (*p == 'e' || *p == 'E')
		x->scale += exponent(p + 1);
}

int
gate_count(const char *s, char *digits)
{
	struct dec x;

	dec_read(s, &x);
	if (x.over)
		return -1;
	if (x.n == 0) {
		strcpy(digits, "0");
		return 1;
	}
	if (x.neg || x.scale < 0)
		return 0;
	if (x.scale > GATE_COUNT_DIGITS - (long)x.n)
		return -1;
	memcpy(digits, x.d, x.n);
	memset(digits + x.n, '0', (size_t)x.scale);
	digits[x.n + (size_t)x.scale] = '\0';
	return 1;
}

const char *
gate_number_bad(const struct jnode *n)
{
	if (doc_type(n) != J_NUMBER)
		return "expected a number";
	return isfinite(doc_number(n)) ? NULL : "number out of range";
}

const char *
gate_rate_bad(const struct jnode *n)
{
	const char *why;

	if ((why = gate_number_bad(n)) != NULL)
		return why;
	return doc_number(n) >= 0 && doc_number(n) <= 1 ? NULL :
	    "expected a rate (a number from 0 to 1)";
}

const char *
gate_count_bad(const struct jnode *n, char *digits)
{
	const char *why;
	int u;

	if ((why = gate_number_bad(n)) != NULL)
		return why;
	if ((u = gate_count(doc_number_text(n), digits)) == 1)
		return NULL;
	return u == 0 ? "expected a count (an integer >= 0)" :
	    "number out of range";
}

/* The order of the magnitudes of two numbers, neither 0. */
static int
dec_order_abs(const struct dec *x, const struct dec *y)
{
	long tx = (long)x->n + x->scale, ty = (long)y->n + y->scale;
	size_t m = x->n < y->n ? x->n : y->n;
	int c;

	if (tx != ty)
		return tx < ty ? -1 : 1;
	if ((c = memcmp(x->d, y->d, m)) != 0)
		return c < 0 ? -1 : 1;
	return x->n < y->n ? -1 : x->n > y->n;
}

/* The order of two numbers read whole (neither over). */
static int
dec_order(const struct dec *x, const struct dec *y)
{
	int sx = x->n == 0 ? 0 : x->neg ? -1 : 1;
	int sy = y->n == 0 ? 0 : y->neg ? -1 : 1;
	int c;

	if (sx != sy || sx == 0)
		return sx < sy ? -1 : sx > sy;
	c = dec_order_abs(x, y);
	return sx < 0 ? -c : c;
}

int
gate_order(const char *a, const char *b)
{
	struct dec x, y;

	dec_read(a, &x);
	dec_read(b, &y);
	return x.over || y.over ? 2 : dec_order(&x, &y);
}

/*
 * The order of numbers a and b, by their exact values as written, so
 * that neither a count past 2^53 nor a fraction past a double's 17
 * digits is rounded; as doubles only past GATE_COUNT_DIGITS digits.
 */
static int
number_order(const struct jnode *a, const struct jnode *b)
{
	double u = doc_number(a), v = doc_number(b);
	int c = gate_order(doc_number_text(a), doc_number_text(b));

	if (c != 2)
		return c;
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
