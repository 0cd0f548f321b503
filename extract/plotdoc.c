/* plotdoc: read a soak-metrics(5) document with yajl for soak-plot. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>
#include <yajl/yajl_tree.h>

#include "plotdoc.h"
#include "plotev.h"

/* Where messages go while reading one document. */
struct rd {
	const char	*name;
	char		*err;
	size_t		 errlen;
};

/* A message "NAME: ..." into r's buffer; returns -1 for the caller. */
static int __attribute__((format(printf, 2, 3)))
rd_fail(struct rd *r, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(r->err, r->errlen, "%s: %s", r->name, msg);
	return -1;
}

/* The depth of the syntax pass, and whether it went too deep. */
struct depth {
	int	n, toodeep;
};

/* The syntax pass's callbacks return 1 to go on, 0 to stop the parse. */

/* A container opens: one level deeper, at most PLOTDOC_MAX_DEPTH. */
static int
cb_open(void *ctx)
{
	struct depth *d = ctx;

	if (++d->n > PLOTDOC_MAX_DEPTH) {
		d->toodeep = 1;
		return 0;
	}
	return 1;
}

/* A container closes. */
static int
cb_close(void *ctx)
{
	((struct depth *)ctx)->n--;
	return 1;
}

/* A map opens, as any container. */
static int
cb_open_map(void *ctx)
{
	return cb_open(ctx);
}

static const yajl_callbacks depth_callbacks = {
	.yajl_start_map = cb_open_map,
	.yajl_end_map = cb_close,
	.yajl_start_array = cb_open,
	.yajl_end_array = cb_close,
};

/* The line and column (from 1, in bytes) of offset off of buf. */
static void
position(const char *buf, size_t off, size_t *line, size_t *col)
{
	size_t i;

	*line = *col = 1;
	for (i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			*col = 1;
		} else
			(*col)++;
	}
}

/* Whether len bytes of buf hold only JSON's white space. */
static int
blank(const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (strchr(" \t\r\n", buf[i]) == NULL || buf[i] == '\0')
			return 0;
	return 1;
}

/* Whether len bytes of buf are JSON values one after another, as the
 * lines of an events stream are. */
static int
several_values(const char *buf, size_t len)
{
	struct depth d = { 0, 0 };
	yajl_handle h;
	int ok;

	if ((h = yajl_alloc(&depth_callbacks, NULL, &d)) == NULL)
		return 0;
	yajl_config(h, yajl_allow_multiple_values, 1);
	ok = yajl_parse(h, (const unsigned char *)buf, len) == yajl_status_ok &&
	    yajl_complete_parse(h) == yajl_status_ok && !d.toodeep;
	yajl_free(h);
	return ok;
}

/*
 * The syntax pass: JSON, not too deep, not empty, no byte-order mark,
 * with the place of the first fault. Returns 0, or -1 after a message.
 */
static int
check_syntax(struct rd *r, const char *buf, size_t len)
{
	struct depth d = { 0, 0 };
	yajl_handle h;
	yajl_status st;
	size_t off, line, col;

	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		snprintf(r->err, r->errlen, "%s:1:1: a UTF-8 byte-order mark",
		    r->name);
		return -1;
	}
	if (blank(buf, len))
		return rd_fail(r, "empty input");
	if ((h = yajl_alloc(&depth_callbacks, NULL, &d)) == NULL)
		return rd_fail(r, "out of memory");
	st = yajl_parse(h, (const unsigned char *)buf, len);
	/* Point at the byte yajl stopped on, the last consumed; a document
	 * cut short, at the end of the input. */
	off = yajl_get_bytes_consumed(h);
	off = off > len ? len - 1 : off > 0 ? off - 1 : 0;
	if (st == yajl_status_ok) {
		st = yajl_complete_parse(h);
		off = len;
	}
	yajl_free(h);
	if (st == yajl_status_ok)
		return 0;
	position(buf, off, &line, &col);
	snprintf(r->err, r->errlen, "%s:%zu:%zu: %s", r->name, line, col,
	    d.toodeep ? "nesting deeper than 64 levels" :
	    several_values(buf, len) ? "more than one JSON value (events? "
	    "the metrics document comes first)" : "not JSON");
	return -1;
}

/* A value's type in words, for "not a number (a string)". */
static const char *
type_words(yajl_val v)
{
	switch (v->type) {
	case yajl_t_string:	return "a string";
	case yajl_t_number:	return "a number";
	case yajl_t_object:	return "an object";
	case yajl_t_array:	return "an array";
	case yajl_t_true:	return "true";
	case yajl_t_false:	return "false";
	default:		return "null";
	}
}

/* The value of key in obj, the last one when a key repeats, or NULL. */
static yajl_val
get(yajl_val obj, const char *key)
{
	size_t i;

	if (!YAJL_IS_OBJECT(obj))
		return NULL;
	for (i = obj->u.object.len; i-- > 0;)
		if (strcmp(obj->u.object.keys[i], key) == 0)
			return obj->u.object.values[i];
	return NULL;
}

/*
 * The number at key of obj (at pointer at) into *v: NAN when null or
 * absent. Returns 0, or -1 after a message for another type.
 */
static int
get_num(struct rd *r, yajl_val obj, const char *at, const char *key,
    double *v)
{
	yajl_val n = get(obj, key);

	*v = NAN;
	if (n == NULL || YAJL_IS_NULL(n))
		return 0;
	if (!YAJL_IS_NUMBER(n))
		return rd_fail(r, "%s/%s: not a number (%s)", at, key,
		    type_words(n));
	if (!YAJL_IS_DOUBLE(n) || !isfinite(YAJL_GET_DOUBLE(n)))
		return rd_fail(r, "%s/%s: out of range", at, key);
	*v = YAJL_GET_DOUBLE(n);
	return 0;
}

/*
 * A copy of the string at key of obj into *s: NULL when null or absent.
 * Returns 0, or -1 after a message.
 */
static int
get_str(struct rd *r, yajl_val obj, const char *key, char **s)
{
	yajl_val n = get(obj, key);

	*s = NULL;
	if (n == NULL || YAJL_IS_NULL(n))
		return 0;
	if (!YAJL_IS_STRING(n))
		return rd_fail(r, "/%s: not a string (%s)", key, type_words(n));
	if ((*s = strdup(n->u.string)) == NULL)
		return rd_fail(r, "out of memory");
	return 0;
}

/* The schema: "soak-metrics/1" when given. Returns 0, or -1 after a message. */
static int
read_schema(struct rd *r, yajl_val top, int *named)
{
	yajl_val s = get(top, "schema");

	*named = s != NULL && !YAJL_IS_NULL(s);
	if (!*named)
		return 0;
	if (!YAJL_IS_STRING(s))
		return rd_fail(r, "/schema: not a string (%s)", type_words(s));
	if (strcmp(s->u.string, "soak-metrics/1") != 0)
		return rd_fail(r, "not a soak-metrics/1 document (schema "
		    "\"%.64s\")", s->u.string);
	return 0;
}

/* Bucket i of the timeline, b, into *o. Returns 0, or -1 after a message. */
static int
read_bucket(struct rd *r, yajl_val b, size_t i, struct pl_bucket *o)
{
	char at[64];

	snprintf(at, sizeof(at), "/timeline/%zu", i);
	if (!YAJL_IS_OBJECT(b))
		return rd_fail(r, "%s: not an object (%s)", at, type_words(b));
	if (get_num(r, b, at, "t_ms", &o->t_ms) == -1 ||
	    get_num(r, b, at, "ops", &o->ops) == -1 ||
	    get_num(r, b, at, "ok", &o->ok) == -1 ||
	    get_num(r, b, at, "failed", &o->failed) == -1 ||
	    get_num(r, b, at, "hits", &o->hits) == -1 ||
	    get_num(r, b, at, "misses", &o->misses) == -1 ||
	    get_num(r, b, at, "lock_waits", &o->lock_waits) == -1 ||
	    get_num(r, b, at, "lock_timeouts", &o->lock_timeouts) == -1 ||
	    get_num(r, b, at, "errors", &o->errors) == -1 ||
	    get_num(r, b, at, "p50", &o->p50) == -1 ||
	    get_num(r, b, at, "p95", &o->p95) == -1 ||
	    get_num(r, b, at, "max", &o->max) == -1 ||
	    get_num(r, b, at, "db_bytes_max", &o->db_bytes) == -1 ||
	    get_num(r, b, at, "wal_bytes_max", &o->wal_bytes) == -1)
		return -1;
	if (isnan(o->t_ms) || o->t_ms < 0)
		return rd_fail(r, "%s/t_ms: %s", at, isnan(o->t_ms) ?
		    "missing" : "negative");
	if (i > 0 && o->t_ms <= o[-1].t_ms)
		return rd_fail(r, "%s/t_ms: not after the bucket before", at);
	return 0;
}

/*
 * The timeline and its interval into d: both there, the buckets in
 * order. Returns 0, or -1 after a message.
 */
static int
read_timeline(struct rd *r, yajl_val top, struct pl_doc *d)
{
	yajl_val tl = get(top, "timeline");
	size_t i, n;

	if (tl == NULL || YAJL_IS_NULL(tl))
		return rd_fail(r, "no timeline (made by an older "
		    "soak-extract?)");
	if (!YAJL_IS_ARRAY(tl))
		return rd_fail(r, "/timeline: not an array (%s)",
		    type_words(tl));
	if ((n = tl->u.array.len) == 0)
		return rd_fail(r, "an empty timeline (no line had a time)");
	if (get_num(r, top, "", "timeline_interval_ms", &d->interval_ms) == -1)
		return -1;
	if (isnan(d->interval_ms) || d->interval_ms <= 0)
		return rd_fail(r, "/timeline_interval_ms: %s",
		    isnan(d->interval_ms) ? "missing" : "not above 0");
	if ((d->tl = calloc(n, sizeof(*d->tl))) == NULL)
		return rd_fail(r, "out of memory");
	for (i = 0; i < n; i++)
		if (read_bucket(r, tl->u.array.values[i], i, &d->tl[i]) == -1)
			return -1;
	d->ntl = n;
	return 0;
}

/* The progression windows into d. Returns 0, or -1 after a message. */
static int
read_progression(struct rd *r, yajl_val top, struct pl_doc *d)
{
	yajl_val p = get(top, "progression"), w;
	char at[64];
	size_t i, n;

	if (p == NULL || YAJL_IS_NULL(p))
		return rd_fail(r, "no progression");
	if (!YAJL_IS_ARRAY(p))
		return rd_fail(r, "/progression: not an array (%s)",
		    type_words(p));
	if ((n = p->u.array.len) == 0)
		return 0;
	if ((d->prog = calloc(n, sizeof(*d->prog))) == NULL)
		return rd_fail(r, "out of memory");
	for (i = 0; i < n; i++) {
		w = p->u.array.values[i];
		snprintf(at, sizeof(at), "/progression/%zu", i);
		if (!YAJL_IS_OBJECT(w))
			return rd_fail(r, "%s: not an object (%s)", at,
			    type_words(w));
		if (get_num(r, w, at, "lookups", &d->prog[i].lookups) == -1 ||
		    get_num(r, w, at, "hits", &d->prog[i].hits) == -1 ||
		    get_num(r, w, at, "misses", &d->prog[i].misses) == -1 ||
		    get_num(r, w, at, "hit_rate", &d->prog[i].hit_rate) == -1)
			return -1;
		d->nprog++;
	}
	return 0;
}

/* One cmd of latency_ms into *o. Returns 0, or -1 after a message. */
static int
read_pctl(struct rd *r, const char *cmd, yajl_val v, struct pl_pctl *o)
{
	char at[96];

	snprintf(at, sizeof(at), "/latency_ms/%.64s", cmd);
	if (!YAJL_IS_OBJECT(v))
		return rd_fail(r, "%s: not an object (%s)", at, type_words(v));
	if (get_num(r, v, at, "count", &o->count) == -1 ||
	    get_num(r, v, at, "p50", &o->p50) == -1 ||
	    get_num(r, v, at, "p95", &o->p95) == -1 ||
	    get_num(r, v, at, "p99", &o->p99) == -1 ||
	    get_num(r, v, at, "max", &o->max) == -1)
		return -1;
	if ((o->cmd = strdup(cmd)) == NULL)
		return rd_fail(r, "out of memory");
	return 0;
}

/* latency_ms into d, the cmds pl_cmd_drawn. Returns 0, or -1 after a message. */
static int
read_latency(struct rd *r, yajl_val top, struct pl_doc *d)
{
	yajl_val l = get(top, "latency_ms");
	const char *cmd;
	size_t i, n;

	if (l == NULL || YAJL_IS_NULL(l))
		return 0;
	if (!YAJL_IS_OBJECT(l))
		return rd_fail(r, "/latency_ms: not an object (%s)",
		    type_words(l));
	if ((n = l->u.object.len) == 0)
		return 0;
	if ((d->lat = calloc(n, sizeof(*d->lat))) == NULL)
		return rd_fail(r, "out of memory");
	for (i = 0; i < n; i++) {
		cmd = l->u.object.keys[i];
		if (!pl_cmd_drawn(cmd, d->op_cmd) || get(l, cmd) !=
		    l->u.object.values[i])
			continue;
		if (read_pctl(r, cmd, l->u.object.values[i],
		    &d->lat[d->nlat]) == -1)
			return -1;
		d->nlat++;
	}
	return 0;
}

/*
 * Whether the lines without a run id were counted: all but with
 * soak-extract --run-id, which leaves them out of lines.matched (every
 * line not blank or malformed, without it). Returns 0, or -1 after a
 * message.
 */
static int
read_untagged(struct rd *r, yajl_val top, struct pl_doc *d)
{
	yajl_val l = get(top, "lines");
	double read, matched, blank, malformed;

	d->untagged = 1;
	if (l == NULL || !YAJL_IS_OBJECT(l))
		return 0;
	if (get_num(r, l, "/lines", "read", &read) == -1 ||
	    get_num(r, l, "/lines", "matched", &matched) == -1 ||
	    get_num(r, l, "/lines", "blank", &blank) == -1 ||
	    get_num(r, l, "/lines", "malformed", &malformed) == -1)
		return -1;
	if (isnan(blank))
		blank = 0;
	if (isnan(malformed))
		malformed = 0;
	d->untagged = !(matched < read - blank - malformed);
	return 0;
}

/* The run's totals that the timeline's buckets add up to, but for the
 * untimed lines. Returns 0, or -1 after a message. */
static int
read_totals(struct rd *r, yajl_val top, struct pl_doc *d)
{
	yajl_val counts = get(top, "counts");

	if (get_num(r, top, "", "lock_wait", &d->lock_wait) == -1 ||
	    get_num(r, top, "", "lock_timeout", &d->lock_timeout) == -1 ||
	    get_num(r, top, "", "ops_failed", &d->ops_failed) == -1 ||
	    get_num(r, counts, "/counts", "ast.cache.error", &d->errors) == -1)
		return -1;
	if (isnan(d->errors) && YAJL_IS_OBJECT(counts))
		d->errors = 0;
	return 0;
}

/* *d emptied, its numbers NAN. */
static void
doc_empty(struct pl_doc *d)
{
	memset(d, 0, sizeof(*d));
	d->hit_rate = d->hit_rate_warm = NAN;
	d->lock_wait = d->lock_timeout = d->ops_failed = d->errors = NAN;
}

/* The fields of the document top into d. Returns 0, or -1 after a message. */
static int
read_fields(struct rd *r, yajl_val top, struct pl_doc *d)
{
	yajl_val cache = get(top, "cache");
	int named;

	if (!YAJL_IS_OBJECT(top))
		return rd_fail(r, "not an object (%s)", type_words(top));
	if (read_schema(r, top, &named) == -1 ||
	    read_timeline(r, top, d) == -1)
		return -1;
	if (!named)
		return rd_fail(r, "no schema (not a soak-metrics/1 document)");
	if (get_str(r, top, "run_id", &d->run_id) == -1 ||
	    get_str(r, top, "op_cmd", &d->op_cmd) == -1 ||
	    read_untagged(r, top, d) == -1 ||
	    read_totals(r, top, d) == -1 ||
	    read_progression(r, top, d) == -1 ||
	    read_latency(r, top, d) == -1)
		return -1;
	if (cache != NULL && !YAJL_IS_NULL(cache) && !YAJL_IS_OBJECT(cache))
		return rd_fail(r, "/cache: not an object (%s)",
		    type_words(cache));
	if (get_num(r, cache, "/cache", "hit_rate", &d->hit_rate) == -1 ||
	    get_num(r, cache, "/cache", "hit_rate_warm",
	    &d->hit_rate_warm) == -1)
		return -1;
	return 0;
}

int
pl_doc_parse(const char *buf, size_t len, const char *name,
    struct pl_doc *d, char *err, size_t errlen)
{
	struct rd r = { name, err, errlen };
	char msg[128];
	yajl_val top;
	int rc;

	doc_empty(d);
	if (check_syntax(&r, buf, len) == -1)
		return -1;
	/* The syntax pass has found no NUL: the tree sees every byte. */
	if ((top = yajl_tree_parse(buf, msg, sizeof(msg))) == NULL)
		return rd_fail(&r, "out of memory");
	rc = read_fields(&r, top, d);
	yajl_tree_free(top);
	if (rc == -1)
		pl_doc_free(d);
	return rc;
}

void
pl_doc_free(struct pl_doc *d)
{
	size_t i;

	for (i = 0; i < d->nlat; i++)
		free(d->lat[i].cmd);
	free(d->lat);
	free(d->prog);
	free(d->tl);
	free(d->run_id);
	free(d->op_cmd);
	doc_empty(d);
}

int
pl_doc_has_sizes(const struct pl_doc *d)
{
	size_t i;

	for (i = 0; i < d->ntl; i++)
		if (!isnan(d->tl[i].db_bytes) || !isnan(d->tl[i].wal_bytes))
			return 1;
	return 0;
}
