/* ledger.c: committed writes by key, in a red-black tree. */
#include <sys/tree.h>

#include <stdlib.h>
#include <string.h>

#include "ledger.h"

struct wrec {
	RB_ENTRY(wrec) e;
	char *key;
	char digest[65];
	int conflict;
};

static int
wrec_cmp(const struct wrec *a, const struct wrec *b)
{
	return strcmp(a->key, b->key);
}

RB_HEAD(wtree, wrec);
/* libbsd leaves __unused undefined, so spell out RB_GENERATE_STATIC. */
RB_GENERATE_INTERNAL(wtree, wrec, e, wrec_cmp, __attribute__((unused)) static)

struct ledger {
	struct wtree t;
};

struct ledger *
ledger_new(void)
{
	struct ledger *l;

	if ((l = malloc(sizeof(*l))) == NULL)
		return NULL;
	RB_INIT(&l->t);
	return l;
}

void
ledger_free(struct ledger *l)
{
	struct wrec *w, *nw;

	if (l == NULL)
		return;
	RB_FOREACH_SAFE(w, wtree, &l->t, nw) {
		RB_REMOVE(wtree, &l->t, w);
		free(w->key);
		free(w);
	}
	free(l);
}

int
ledger_commit(struct ledger *l, const char *key, size_t keylen,
    const char *digest)
{
	struct wrec *w, *old;

	if ((w = calloc(1, sizeof(*w))) == NULL ||
	    (w->key = strndup(key, keylen)) == NULL) {
		free(w);
		return -1;
	}
	memcpy(w->digest, digest, 64);
	if ((old = RB_INSERT(wtree, &l->t, w)) != NULL) {
		if (memcmp(old->digest, w->digest, 64) != 0)
			old->conflict = 1;
		free(w->key);
		free(w);
	}
	return 0;
}

void
ledger_foreach(const struct ledger *l,
    void (*fn)(void *, const char *, const char *, int), void *arg)
{
	struct wrec *w;

	RB_FOREACH(w, wtree, (struct wtree *)&l->t)
		fn(arg, w->key, w->digest, w->conflict);
}
