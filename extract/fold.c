/* fold: the typed reads of event fields every section's fold goes through. */
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "event.h"
#include "metrics.h"
#include "out.h"
#include "section.h"

/* 1 when field k has type want; 0 when absent or null, else bad. */
static int
fold_want(struct fold *f, enum fid k, enum ftype want)
{
	enum ftype t = event_get(f->ev, k)->t;

	if (t == want)
		return 1;
	if (t != FT_ABSENT && t != FT_NULL)
		f->bad = 1;
	return 0;
}

int
fold_str(struct fold *f, enum fid k)
{
	return fold_want(f, k, FT_STR);
}

int
fold_count(struct fold *f, enum fid k, unsigned long long *out)
{
	const struct field *v = event_get(f->ev, k);

	if (!fold_want(f, k, FT_NUM))
		return 0;
	if (!v->isint || !v->irange || v->i < 0) {
		f->bad = 1;
		return 0;
	}
	*out = (unsigned long long)v->i;
	return 1;
}

void
fold_map(struct fold *f, enum fid k)
{
	fold_want(f, k, FT_MAP);
}

int
fold_is(const struct fold *f, enum fid k, const char *lit)
{
	const struct field *v = event_get(f->ev, k);
	size_t n = strlen(lit);

	return v->t == FT_STR && v->len == n && memcmp(v->s, lit, n) == 0;
}

char *
fold_copy(const struct fold *f, enum fid k)
{
	const struct field *v = event_get(f->ev, k);
	char *p;

	if ((p = malloc(v->len + 1)) == NULL)
		return NULL;
	if (v->len > 0)
		memcpy(p, v->s, v->len);
	p[v->len] = '\0';
	return p;
}
