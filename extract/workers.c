/* workers: the workers section, how the run's workers ended. */
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "event.h"
#include "metrics.h"
#include "out.h"
#include "section.h"

struct workers {
	int		 exits;		/* a soak.worker.exit event came */
	int		 have_started;	/* a run start gave a count */
	unsigned long long started, exited_ok, died, killed;
};

static int
workers_fold(void *state, struct fold *f)
{
	struct workers *w = state;
	const struct field *chaos = event_get(f->ev, F_X_CHAOS);
	unsigned long long v;

	if (f->ev->cmd == C_RUN_START) {
		if (fold_count(f, F_A_WORKERS, &v)) {
			count_add(&w->started, v);
			w->have_started = 1;
		}
		return 0;
	}
	w->exits = 1;
	if (chaos->t != FT_BOOL && chaos->t != FT_ABSENT &&
	    chaos->t != FT_NULL)
		f->bad = 1;
	if (chaos->t == FT_BOOL && chaos->b)
		w->killed++;
	else if (fold_is(f, F_R_STATUS, "ok"))
		w->exited_ok++;
	else
		w->died++;
	return 0;
}

static int
workers_write(const void *state, struct out *o, const struct metrics *m)
{
	const struct workers *w = state;

	(void)m;
	out_key(o, "workers");
	if (!w->exits)
		return out_null(o);
	out_map_open(o);
	out_kcount(o, "started", w->have_started ? w->started :
	    w->exited_ok + w->died + w->killed);
	out_kcount(o, "exited_ok", w->exited_ok);
	out_kcount(o, "died", w->died);
	out_kcount(o, "killed", w->killed);
	return out_map_close(o);
}

const struct section section_workers = {
	.size = sizeof(struct workers),
	.kinds = KIND(C_RUN_START) | KIND(C_WORKER_EXIT),
	.fold = workers_fold,
	.write = workers_write,
};
