/* integrity: the integrity_check section, the first row that is not "ok". */
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "event.h"
#include "metrics.h"
#include "out.h"
#include "section.h"

struct integrity {
	int		 state;		/* 0 none, 1 all ok, 2 not ok */
	char		*first;		/* the first status not ok */
	size_t		 len;
};

static void
integrity_free(void *state)
{
	free(((struct integrity *)state)->first);
}

/* What a check without a string status counts as: it never says "ok". */
#define NO_STATUS	"no status"

static int
integrity_fold(void *state, struct fold *f)
{
	struct integrity *c = state;
	const struct field *st = event_get(f->ev, F_R_STATUS);

	if (c->state == 2)
		return 0;
	if (fold_is(f, F_R_STATUS, "ok")) {
		c->state = 1;
		return 0;
	}
	if (fold_str(f, F_R_STATUS)) {
		c->first = field_copy(st);
		c->len = st->len;
	} else {
		c->first = strdup(NO_STATUS);
		c->len = strlen(NO_STATUS);
	}
	if (c->first == NULL)
		return -1;
	c->state = 2;
	return 0;
}

static int
integrity_write(const void *state, struct out *o, const struct metrics *m)
{
	const struct integrity *c = state;

	(void)m;
	out_key(o, "integrity_check");
	if (c->state == 0)
		return out_null(o);
	if (c->state == 1)
		return out_key(o, "ok");
	return out_str(o, c->first, c->len);
}

const struct section section_integrity = {
	.size = sizeof(struct integrity),
	.kinds = KIND(C_INTEGRITY),
	.free = integrity_free,
	.fold = integrity_fold,
	.write = integrity_write,
};
