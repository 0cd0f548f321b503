/*
 * event_same: whether two events read the same, for the tests that parse
 * one text two ways (a chunk at once and line by line).
 */
#ifndef TESTS_EXTRACT_EVENT_SAME_H
#define TESTS_EXTRACT_EVENT_SAME_H

#include <string.h>

#include "../../extract/event.h"

/* 1 when every field, the cmd, key hash, time and line of a and b agree. */
static int
event_same(const struct event *a, const struct event *b)
{
	const struct field *x, *y;
	int k;

	if (a->mask != b->mask || a->cmd != b->cmd ||
	    a->key_hash != b->key_hash || a->ts_ok != b->ts_ok ||
	    (a->ts_ok && a->ts != b->ts) || a->len != b->len ||
	    (a->len > 0 && memcmp(a->line, b->line, a->len) != 0))
		return 0;
	for (k = 0; k < F_COUNT; k++) {
		x = event_get(a, (enum fid)k);
		y = event_get(b, (enum fid)k);
		if (x->t != y->t)
			return 0;
		if (x->t == FT_BOOL && x->b != y->b)
			return 0;
		if (x->t == FT_NUM && (x->isint != y->isint ||
		    x->finite != y->finite || x->irange != y->irange ||
		    (x->irange && x->i != y->i) ||
		    memcmp(&x->d, &y->d, sizeof(x->d)) != 0))
			return 0;
		if (x->t == FT_STR && (x->len != y->len ||
		    (x->len > 0 && memcmp(x->s, y->s, x->len) != 0)))
			return 0;
	}
	return 1;
}

#endif
