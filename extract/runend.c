/* runend: the events section, each run end's count against the lines seen. */
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "event.h"
#include "metrics.h"
#include "out.h"
#include "section.h"

struct events {
	int		 ends;		/* a run end gave a count */
	unsigned long long expected, seen;
};

/* The lines of the run before its end, counted again from its next line. */
static int
events_fold(void *state, struct fold *f)
{
	struct events *e = state;
	unsigned long long v;

	if (fold_count(f, F_R_EVENTS_EMITTED, &v)) {
		e->ends = 1;
		count_add(&e->expected, v);
		e->seen += *f->run_lines - 1;
	}
	*f->run_lines = 0;
	return 0;
}

static int
events_write(const void *state, struct out *o, const struct metrics *m)
{
	const struct events *e = state;

	out_kmap(o, "events");
	out_key(o, "expected");
	if (e->ends)
		out_count(o, e->expected);
	else
		out_null(o);
	out_kcount(o, "seen", e->ends ? e->seen : metrics_matched(m));
	out_key(o, "lost");
	if (!e->ends)
		out_null(o);
	else if (e->expected >= e->seen)
		out_count(o, e->expected - e->seen);
	else
		out_int(o, -(long long)(e->seen - e->expected));
	return out_map_close(o);
}

const struct section section_events = {
	.size = sizeof(struct events),
	.kinds = KIND(C_RUN_END),
	.fold = events_fold,
	.write = events_write,
};
