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

struct stats {
	struct vtree	 root;
	unsigned long long n;
	size_t		 distinct;
	struct node	*last;		/* the most recently added node */
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
	free(s);
}

int
stats_add(struct stats *s, double v)
{
	struct node key, *np;

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

int
stats_quantiles(const struct stats *s, const double *q, double *out,
    size_t nq)
{
	struct vtree *root = (struct vtree *)&s->root;
	struct node *np;
	unsigned long long cum = 0;
	size_t k;

	if (s->n == 0)
		return -1;
	for (k = 0; k < nq; k++) {
		double x = (double)s->n * q[k];
		unsigned long long i;

		if (!(x >= 0))
			x = 0;
		i = x >= (double)s->n ? s->n - 1 : (unsigned long long)x;
		if (i > s->n - 1)
			i = s->n - 1;
		cum = 0;
		RB_FOREACH(np, vtree, root) {
			cum += np->n;
			if (cum > i) {
				out[k] = np->v;
				break;
			}
		}
	}
	return 0;
}

double
stats_max(const struct stats *s)
{
	struct vtree *root = (struct vtree *)&s->root;
	struct node *np = RB_MAX(vtree, root);

	return np != NULL ? np->v : 0;
}
