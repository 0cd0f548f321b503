/* stats: exact quantiles over value -> count, small integers in an array. */
/* libbsd leaves __unused undefined, which RB_GENERATE_STATIC uses. */
#ifndef __unused
#define __unused	__attribute__((__unused__))
#endif
#include <sys/tree.h>

#include <stdlib.h>
#include <string.h>

#include "stats.h"

struct node {
	RB_ENTRY(node)	 entry;
	double		 v;
	unsigned long long n;
};

RB_HEAD(vtree, node);

/* Whole numbers from 0 to SMALL - 1 are counted in an array. */
#define SMALL	1024

struct stats {
	struct vtree	 root;		/* every other value */
	unsigned long long n;
	size_t		 distinct;
	struct node	*last;		/* the most recently added node */
	unsigned long long *small;	/* small[0 .. cap - 1] */
	int		 cap;
	int		 lo, hi;	/* the small values seen are in [lo, hi) */
};

static int
node_cmp(const struct node *a, const struct node *b)
{
	return (a->v > b->v) - (a->v < b->v);
}

RB_GENERATE_STATIC(vtree, node, entry, node_cmp)

struct stats *
stats_new(void)
{
	struct stats *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	RB_INIT(&s->root);
	return s;
}

void
stats_free(struct stats *s)
{
	struct node *np, *next;

	if (s == NULL)
		return;
	RB_FOREACH_SAFE(np, vtree, &s->root, next) {
		RB_REMOVE(vtree, &s->root, np);
		free(np);
	}
	free(s->small);
	free(s);
}

/* Make small[k] counted, the array doubled from 16 up to SMALL. */
static int
small_grow(struct stats *s, int k)
{
	unsigned long long *ns;
	int cap = s->cap ? s->cap : 16;

	while (cap <= k)
		cap *= 2;
	if ((ns = realloc(s->small, (size_t)cap * sizeof(*ns))) == NULL)
		return -1;
	memset(ns + s->cap, 0, (size_t)(cap - s->cap) * sizeof(*ns));
	s->small = ns;
	s->cap = cap;
	return 0;
}

int
stats_add(struct stats *s, double v)
{
	struct node key, *np;

	if (v >= 0 && v < SMALL && v == (double)(int)v) {
		int k = (int)v;

		if (k >= s->cap && small_grow(s, k) == -1)
			return -1;
		if (s->small[k]++ == 0)
			s->distinct++;
		if (s->hi == 0 || k < s->lo)
			s->lo = k;
		if (k >= s->hi)
			s->hi = k + 1;
		s->n++;
		return 0;
	}
	if (s->last != NULL && s->last->v == v) {
		s->last->n++;
		s->n++;
		return 0;
	}
	key.v = v;
	if ((np = RB_FIND(vtree, &s->root, &key)) == NULL) {
		if ((np = calloc(1, sizeof(*np))) == NULL)
			return -1;
		np->v = v;
		RB_INSERT(vtree, &s->root, np);
		s->distinct++;
	}
	np->n++;
	s->n++;
	s->last = np;
	return 0;
}

unsigned long long
stats_count(const struct stats *s)
{
	return s->n;
}

size_t
stats_distinct(const struct stats *s)
{
	return s->distinct;
}

/*
 * Walk the values in order, the array and the tree merged, and stop at
 * the first value whose cumulative count passes i.
 */
static double
stats_at(const struct stats *s, unsigned long long i)
{
	struct vtree *root = (struct vtree *)&s->root;
	struct node *np = RB_MIN(vtree, root);
	unsigned long long cum = 0;
	int k = s->lo;

	for (;;) {
		while (k < s->hi && s->small[k] == 0)
			k++;
		if (k < s->hi &&
		    (np == NULL || (double)k <= np->v)) {
			if ((cum += s->small[k]) > i)
				return k;
			k++;
		} else if (np != NULL) {
			if ((cum += np->n) > i)
				return np->v;
			np = RB_NEXT(vtree, root, np);
		} else
			return 0;	/* not reached: i < n */
	}
}

int
stats_quantiles(const struct stats *s, const double *q, double *out,
    size_t nq)
{
	size_t k;

	if (s->n == 0)
		return -1;
	for (k = 0; k < nq; k++) {
		double x = (double)s->n * q[k];
		unsigned long long i;

		if (!(x >= 0))
			x = 0;
		i = x >= (double)s->n ? s->n - 1 : (unsigned long long)x;
		out[k] = stats_at(s, i);
	}
	return 0;
}

double
stats_max(const struct stats *s)
{
	struct vtree *root = (struct vtree *)&s->root;
	struct node *np = RB_MAX(vtree, root);

	if (s->hi > 0 && (np == NULL || np->v < s->hi - 1))
		return s->hi - 1;
	return np != NULL ? np->v : 0;
}
