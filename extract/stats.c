/* stats: exact quantiles over value -> count, small integers in an array. */
/* libbsd leaves __unused undefined, which RB_GENERATE_STATIC uses. */
#ifndef __unused
#define __unused	__attribute__((__unused__))
#endif
#include <sys/tree.h>

#include <stdlib.h>

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
	unsigned long long *small;
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

int
stats_add(struct stats *s, double v)
{
	struct node key, *np;

	if (v >= 0 && v < SMALL && v == (double)(int)v) {
		if (s->small == NULL &&
		    (s->small = calloc(SMALL, sizeof(*s->small))) == NULL)
			return -1;
		if (s->small[(int)v]++ == 0)
			s->distinct++;
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
	int k = 0;

	for (;;) {
		while (s->small != NULL && k < SMALL && s->small[k] == 0)
			k++;
		if (s->small != NULL && k < SMALL &&
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
	int k = SMALL - 1;

	while (s->small != NULL && k >= 0 && s->small[k] == 0)
		k--;
	if (s->small != NULL && k >= 0 && (np == NULL || np->v < k))
		return k;
	return np != NULL ? np->v : 0;
}
