/* locks: the lock_wait, lock_timeout and lock_contention section. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "event.h"
#include "metrics.h"
#include "out.h"
#include "section.h"

struct locks {
	unsigned long long waits, timeouts;
	long long	 wait_ms;	/* the waits' sum, while whole */
	double		 wait_ms_d;	/* the rest of it */
	int		 frac;		/* some is in wait_ms_d */
};

/* Past a double, a sum saturates, as counts do: never inf, nor null. */
static double
locks_clamp(double v)
{
	return isinf(v) ? (v > 0 ? DBL_MAX : -DBL_MAX) : v;
}

/* Integers add up exactly; a fraction or an overflow goes to the double. */
static int
locks_fold(void *state, struct fold *f)
{
	struct locks *l = state;
	const struct field *t = f->timing;
	long long r;

	if (f->ev->cmd == C_LOCK_TIMEOUT) {
		l->timeouts++;
		return 0;
	}
	l->waits++;
	if (t == NULL)
		return 0;
	if (t->isint && t->irange &&
	    !__builtin_add_overflow(l->wait_ms, t->i, &r))
		l->wait_ms = r;
	else {
		l->wait_ms_d = locks_clamp(l->wait_ms_d + t->d);
		l->frac = 1;
	}
	return 0;
}

static int
locks_write(const void *state, struct out *o, const struct metrics *m)
{
	const struct locks *l = state;

	(void)m;
	out_kcount(o, "lock_wait", l->waits);
	out_kcount(o, "lock_timeout", l->timeouts);
	out_kmap(o, "lock_contention");
	out_kcount(o, "timeouts", l->timeouts);
	out_kcount(o, "waits", l->waits);
	out_key(o, "wait_ms_total");
	if (l->frac)
		out_ms(o, locks_clamp((double)l->wait_ms + l->wait_ms_d));
	else
		out_int(o, l->wait_ms);
	return out_map_close(o);
}

const struct section section_locks = {
	.size = sizeof(struct locks),
	.kinds = KIND(C_LOCK_WAIT) | KIND(C_LOCK_TIMEOUT),
	.fold = locks_fold,
	.write = locks_write,
};
