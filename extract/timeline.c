/* timeline: the timeline section, the run in buckets of equal width by ts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "event.h"
#include "hist.h"
#include "metrics.h"
#include "out.h"
#include "section.h"

#define US_PER_MS	1000
#define DEFAULT_MS	1000	/* the first width without --interval */
#define MAX_DEFAULT	120	/* buckets at most without --interval */
#define MAX_FIXED	10000	/* with it, before the width doubles anyway */

#define PATH(...)	((const char *const []){ __VA_ARGS__, NULL })

/* One bucket: what the totals count, for the lines whose ts is in it. */
struct bucket {
	unsigned long long ops, ok, hits, misses, waits, timeouts, errors;
	unsigned long long db_max, wal_max;
	int		 timed, has_db, has_wal;
	double		 max, min;	/* of the operations' timing_ms */
	struct hist	*h;		/* the same in microseconds */
};

/*
 * Buckets are laid from the first timed line's ts, the origin: bucket k
 * holds offsets [k * w, (k + 1) * w) from it, and b[i] is bucket k0 + i,
 * from the bucket of the earliest offset to that of the latest.  The
 * width doubles, two neighbours merged into one, whenever more than max
 * buckets would be needed.
 */
struct timeline {
	int		 started;
	int64_t		 origin, w;	/* microseconds */
	int64_t		 lo, hi;	/* earliest and latest offsets */
	int64_t		 k0;
	struct bucket	*b;
	size_t		 n, cap, max;
	unsigned long long untimed;
	int64_t		 last;		/* the last line's bucket, or -1 */
};

static int
timeline_init(void *state, const struct metrics_opts *o)
{
	struct timeline *t = state;

	t->w = (int64_t)(o->interval_ms ? o->interval_ms : DEFAULT_MS) *
	    US_PER_MS;
	t->max = o->interval_ms ? MAX_FIXED : MAX_DEFAULT;
	t->last = -1;
	return 0;
}

static void
timeline_free(void *state)
{
	struct timeline *t = state;
	size_t i;

	for (i = 0; i < t->n; i++)
		hist_free(t->b[i].h);
	free(t->b);
}

/* a / b rounded down, b > 0. */
static int64_t
fdiv(int64_t a, int64_t b)
{
	return a / b - (a % b < 0);
}

/* Add src's counts into dst and free what src held. */
static int
bucket_merge(struct bucket *dst, struct bucket *src)
{
	dst->ops += src->ops;
	dst->ok += src->ok;
	dst->hits += src->hits;
	dst->misses += src->misses;
	dst->waits += src->waits;
	dst->timeouts += src->timeouts;
	dst->errors += src->errors;
	if (src->has_db && (!dst->has_db || src->db_max > dst->db_max))
		dst->db_max = src->db_max;
	if (src->has_wal && (!dst->has_wal || src->wal_max > dst->wal_max))
		dst->wal_max = src->wal_max;
	dst->has_db |= src->has_db;
	dst->has_wal |= src->has_wal;
	if (src->timed && (!dst->timed || src->max > dst->max))
		dst->max = src->max;
	if (src->timed && (!dst->timed || src->min < dst->min))
		dst->min = src->min;
	dst->timed |= src->timed;
	if (dst->h == NULL) {
		dst->h = src->h;
		src->h = NULL;
	} else if (src->h != NULL && hist_merge(dst->h, src->h) == -1)
		return -1;
	hist_free(src->h);
	src->h = NULL;
	return 0;
}

/* Lay the buckets out again at width w, from bucket k0, n of them. */
static int
timeline_rebin(struct timeline *t, int64_t w, int64_t k0, size_t n)
{
	struct bucket *nb;
	size_t i;
	int rc = 0;

	if ((nb = calloc(n, sizeof(*nb))) == NULL)
		return -1;
	for (i = 0; i < t->n; i++)
		if (rc == 0)
			rc = bucket_merge(&nb[fdiv((t->k0 + (int64_t)i) * t->w,
			    w) - k0], &t->b[i]);
		else
			hist_free(t->b[i].h);
	free(t->b);
	t->b = nb;
	t->n = t->cap = n;
	t->w = w;
	t->k0 = k0;
	return rc;
}

/* Grow the buckets at the same width to k0 .. k0 + n - 1. */
static int
timeline_extend(struct timeline *t, int64_t k0, size_t n)
{
	struct bucket *nb;
	size_t front = (size_t)(t->k0 - k0), cap;

	if (n > t->cap) {
		cap = t->cap * 2 > n ? t->cap * 2 : n;
		if ((nb = reallocarray(t->b, cap, sizeof(*nb))) == NULL)
			return -1;
		t->b = nb;
		t->cap = cap;
	}
	if (front > 0)
		memmove(t->b + front, t->b, t->n * sizeof(*t->b));
	memset(t->b, 0, front * sizeof(*t->b));
	memset(t->b + front + t->n, 0, (n - front - t->n) * sizeof(*t->b));
	t->k0 = k0;
	t->n = n;
	return 0;
}

/* The bucket of offset d, the buckets grown or widened to hold it. */
static struct bucket *
timeline_at(struct timeline *t, int64_t d)
{
	int64_t w = t->w, k, lo, hi;

	/* Most lines fall in the bucket of the line before. */
	if (t->last >= 0 && d >= (t->k0 + t->last) * w &&
	    d < (t->k0 + t->last + 1) * w)
		return &t->b[t->last];
	if (d < t->lo)
		t->lo = d;
	if (d > t->hi)
		t->hi = d;
	k = fdiv(d, w);
	if (t->n > 0 && k >= t->k0 && k < t->k0 + (int64_t)t->n)
		return &t->b[t->last = k - t->k0];
	while ((uint64_t)(fdiv(t->hi, w) - fdiv(t->lo, w)) >= t->max)
		w *= 2;
	lo = fdiv(t->lo, w);
	hi = fdiv(t->hi, w);
	if (w != t->w || t->n == 0) {
		if (timeline_rebin(t, w, lo, (size_t)(hi - lo + 1)) == -1)
			return NULL;
	} else if (timeline_extend(t, lo, (size_t)(hi - lo + 1)) == -1)
		return NULL;
	return &t->b[t->last = fdiv(d, w) - t->k0];
}

/* A database sample's peaks in the bucket; returns 0, or -1 (no memory). */
static int
timeline_db(struct bucket *b, struct fold *f)
{
	unsigned long long v;
	int rc;

	if ((rc = fold_path_count(f, PATH("result", "db_bytes_max"), &v)) ==
	    -1)
		return -1;
	if (rc == 1 && (!b->has_db || v > b->db_max)) {
		b->db_max = v;
		b->has_db = 1;
	}
	if ((rc = fold_path_count(f, PATH("result", "wal_bytes_max"), &v)) ==
	    -1)
		return -1;
	if (rc == 1 && (!b->has_wal || v > b->wal_max)) {
		b->wal_max = v;
		b->has_wal = 1;
	}
	return 0;
}

/* An operation in the bucket, its timing in the histogram. */
static int
timeline_op(struct bucket *b, struct fold *f)
{
	double v;

	b->ops++;
	if (fold_is(f, F_R_STATUS, "ok"))
		b->ok++;
	if (f->timing == NULL)
		return 0;
	v = f->timing->d;
	if (!b->timed || v > b->max)
		b->max = v;
	if (!b->timed || v < b->min)
		b->min = v;
	b->timed = 1;
	if (b->h == NULL && (b->h = hist_new()) == NULL)
		return -1;
	/* To the microsecond; past 2^62 us (146,000 years) all is one. */
	return hist_add(b->h, v * US_PER_MS < 4.6e18 ?
	    (uint64_t)(v * US_PER_MS + 0.5) : (uint64_t)1 << 62);
}

static int
timeline_fold(void *state, struct fold *f)
{
	struct timeline *t = state;
	struct bucket *b;

	if (!f->ev->ts_ok) {
		fold_str(f, F_TS);
		t->untimed++;
		return 0;
	}
	if (!t->started) {
		t->started = 1;
		t->origin = f->ev->ts;
	}
	if ((b = timeline_at(t, f->ev->ts - t->origin)) == NULL)
		return -1;
	if (f->op && timeline_op(b, f) == -1)
		return -1;
	switch (f->ev->cmd) {
	case C_HIT:
		b->hits++;
		break;
	case C_MISS:
		b->misses++;
		break;
	case C_LOCK_WAIT:
		b->waits++;
		break;
	case C_LOCK_TIMEOUT:
		b->timeouts++;
		break;
	case C_ERROR:
		b->errors++;
		break;
	case C_DB_SAMPLE:
		return timeline_db(b, f);
	default:
		break;
	}
	return 0;
}

/* The key, then a count, or null when there is none. */
static int
timeline_opt(struct out *o, const char *key, int has, unsigned long long v)
{
	out_key(o, key);
	return has ? out_count(o, v) : out_null(o);
}

/* The quantile q of the bucket's operations, within their exact range. */
static int
timeline_q(struct out *o, const char *key, const struct bucket *b, double q)
{
	double v;

	out_key(o, key);
	if (!b->timed)
		return out_null(o);
	v = (double)hist_quantile(b->h, q) / US_PER_MS;
	return out_ms(o, v > b->max ? b->max : v < b->min ? b->min : v);
}

static void
timeline_bucket(struct out *o, const struct bucket *b, int64_t t_ms)
{
	out_map_open(o);
	out_key(o, "t_ms");
	out_int(o, t_ms);
	out_kcount(o, "ops", b->ops);
	out_kcount(o, "ok", b->ok);
	out_kcount(o, "failed", b->ops - b->ok);
	out_kcount(o, "hits", b->hits);
	out_kcount(o, "misses", b->misses);
	out_kcount(o, "lock_waits", b->waits);
	out_kcount(o, "lock_timeouts", b->timeouts);
	out_kcount(o, "errors", b->errors);
	timeline_q(o, "p50", b, 0.50);
	timeline_q(o, "p95", b, 0.95);
	out_key(o, "max");
	if (b->timed)
		out_ms(o, b->max);
	else
		out_null(o);
	timeline_opt(o, "db_bytes_max", b->has_db, b->db_max);
	timeline_opt(o, "wal_bytes_max", b->has_wal, b->wal_max);
	out_map_close(o);
}

static int
timeline_write(const void *state, struct out *o, const struct metrics *m)
{
	const struct timeline *t = state;
	size_t i;

	(void)m;
	out_key(o, "timeline_interval_ms");
	out_int(o, t->w / US_PER_MS);
	out_key(o, "timeline");
	out_array_open(o);
	for (i = 0; i < t->n && o->err == 0; i++)
		timeline_bucket(o, &t->b[i], (int64_t)i * (t->w / US_PER_MS));
	out_array_close(o);
	return out_kcount(o, "timeline_untimed", t->untimed);
}

unsigned long long
metrics_interval_ms(const struct metrics *m)
{
	const struct timeline *t = metrics_state(m, &section_timeline);

	return (unsigned long long)(t->w / US_PER_MS);
}

const struct section section_timeline = {
	.size = sizeof(struct timeline),
	.kinds = KINDS_ALL,
	.init = timeline_init,
	.free = timeline_free,
	.fold = timeline_fold,
	.write = timeline_write,
};
