/*
 * baseline: the comparison criteria between this run and a baseline run,
 * on stable figures only (never latency): the warm hit rate may drop by
 * at most --max-hit-rate-drop, each count may rise by at most its
 * --max-rise. Latency is only reported; config differences are named.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "compare.h"
#include "criteria.h"
#include "doc.h"
#include "jgen.h"
#include "pointer.h"
#include "text.h"

#ifndef nitems
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* The counts --max-rise names, in the order of enum rise. */
static const char *const rise_names[RISE_N] = { "lock_timeout",
    "cache_errors", "ops_failed", "events.lost", "workers.died",
    "chaos.unrecovered" };

/* A figure compared: where it is, and what may change. */
struct figure {
	const char	*name;		/* the criterion, "baseline.NAME" */
	const char	*pointer;
	int		 rise;		/* enum rise, or -1: the hit rate */
};

/* The comparisons in order; cache_errors, one a code, follow lock_timeout. */
static const struct figure figures[] = {
	{ "baseline.hit_rate_warm", "/cache/hit_rate_warm", -1 },
	{ "baseline.lock_timeout", "/lock_timeout", RISE_LOCK },
	{ "baseline.ops_failed", "/ops_failed", RISE_OPS_FAILED },
	{ "baseline.events.lost", "/events/lost", RISE_EVENTS_LOST },
	{ "baseline.workers.died", "/workers/died", RISE_WORKERS_DIED },
	{ "baseline.chaos.unrecovered", "/chaos/unrecovered", RISE_CHAOS },
};

/* The config fields whose difference is named on a WARN line. */
static const char *const config_fields[] = { "workers", "ops", "files",
    "journal_mode", "synchronous", "sqlite_version", "fs_type", "command" };

int
baseline_rise(const char *name)
{
	size_t i;

	for (i = 0; i < RISE_N; i++)
		if (strcmp(rise_names[i], name) == 0)
			return (int)i;
	return -1;
}

const char *
baseline_rise_names(void)
{
	return "lock_timeout, cache_errors, ops_failed, events.lost, "
	    "workers.died, chaos.unrecovered";
}

const char *
baseline_refuse(const struct jnode *base, char *buf, size_t len)
{
	const struct jnode *s = doc_get(base, "schema");
	const char *text;
	size_t n;

	if (s == NULL)
		return "not a soak-metrics document (no \"schema\")";
	if (doc_type(s) != J_STRING)
		return "not a soak-metrics document (a \"schema\" that is not "
		    "a string)";
	text = doc_string(s, &n);
	if (n == strlen("soak-metrics/1") && strcmp(text, "soak-metrics/1") == 0)
		return NULL;
	if (strlen(text) != n)
		return "not a soak-metrics document (a \"schema\" with a NUL)";
	if (strncmp(text, "soak-metrics/", 13) != 0)
		snprintf(buf, len, "not a soak-metrics document (schema "
		    "\"%s\")", text);
	else
		snprintf(buf, len, "schema \"%s\": another version (soak-gate "
		    "reads soak-metrics/1)", text);
	return buf;
}

/* The number written as the text s, or NULL when out of memory. */
static struct jnode *
number_text(const char *s)
{
	char err[64];

	return doc_parse((const unsigned char *)s, strlen(s), err, sizeof(err));
}

struct jnode *
baseline_number(double v)
{
	char buf[64];
	size_t n;

	if (v == floor(v) && fabs(v) < 9007199254740992.0)
		snprintf(buf, sizeof(buf), "%.0f", v);
	else {
		snprintf(buf, sizeof(buf), "%.6f", v);
		for (n = strlen(buf); buf[n - 1] == '0'; n--)
			buf[n - 1] = '\0';
		if (buf[n - 1] == '.')
			buf[n - 1] = '\0';
	}
	if (strcmp(buf, "-0") == 0)
		strlcpy(buf, "0", sizeof(buf));
	return number_text(buf);
}

/*
 * The figure at pointer in doc (one of figures[]), NULL when absent, the
 * null object when the object holding it is null ("events": null), as
 * the criteria read it. Null chaos means no kill: it counts 0.
 */
static const struct jnode *
figure_at(const struct jnode *doc, const char *pointer,
    const struct verdict *v)
{
	const struct jnode *n, *parent;
	const char *slash;
	char key[32];
	int bad;

	if ((n = doc_pointer(doc, pointer, &bad)) != NULL)
		return n;
	if ((slash = strchr(pointer + 1, '/')) == NULL ||
	    (size_t)(slash - pointer) > sizeof(key))
		return NULL;
	memcpy(key, pointer + 1, (size_t)(slash - pointer) - 1);
	key[slash - pointer - 1] = '\0';
	if ((parent = doc_get(doc, key)) == NULL ||
	    doc_type(parent) != J_NULL)
		return NULL;
	return strcmp(pointer, "/chaos/unrecovered") == 0 ? v->zero : parent;
}

/* The kinds of figure compared. */
enum { WANT_NUMBER, WANT_RATE, WANT_OBJECT };

/* What is wrong with n as a figure of kind want (WANT_*), or NULL. */
static const char *
type_detail(const struct jnode *n, int want)
{
	if (want == WANT_OBJECT)
		return doc_type(n) == J_OBJECT ? NULL : "expected an object";
	return want == WANT_RATE ? gate_rate_bad(n) : gate_number_bad(n);
}

/* Whether n can be compared as a figure of kind want. */
static int
comparable(const struct jnode *n, int want)
{
	return type_detail(n, want) == NULL;
}

/*
 * Settle r when one of its values cannot be compared: absent or null in
 * either run, or of the wrong type. Returns 1 when settled, 0 when both
 * can be compared, -1 when out of memory.
 */
static int
unusable(struct result *r, int want)
{
	const struct jnode *o = r->observed, *b = r->base;
	int onull = o != NULL && doc_type(o) == J_NULL;
	int bnull = b != NULL && doc_type(b) == J_NULL;

	r->status = C_FAIL;
	if (b == NULL) {
		r->detail = r->own_detail = text_fmt("the baseline has no %s",
		    r->pointer);
		if (r->detail == NULL)
			return -1;
	} else if (o == NULL)
		r->detail = "not in metrics";
	else if (onull && bnull) {
		r->status = C_SKIP;
		r->detail = "null in both";
	} else if (bnull)
		r->detail = "null in the baseline";
	else if (onull)
		r->detail = "null";
	else if (!comparable(o, want) || !comparable(b, want)) {
		r->status = C_BADTYPE;
		r->in_base = comparable(o, want);
		r->detail = type_detail(r->in_base ? b : o, want);
	} else
		return 0;
	return 1;
}

/* A new comparison result named name at pointer, or NULL when OOM. */
static struct result *
comparison(struct verdict *v, const char *name, const char *pointer)
{
	struct result *r;

	if ((r = gate_verdict_add(v)) == NULL ||
	    (r->name = strdup(name)) == NULL ||
	    (r->pointer = strdup(pointer)) == NULL)
		return NULL;
	r->compared = 1;
	return r;
}

/* The count digits (gate_count's) plus rise, exactly; NULL when OOM. */
static struct jnode *
rise_limit(const char *digits, long long rise)
{
	char add[32], sum[GATE_COUNT_DIGITS + 2];
	size_t i, n = strlen(digits), k, len;
	int d, carry = 0;

	snprintf(add, sizeof(add), "%lld", rise);
	k = strlen(add);
	len = (n > k ? n : k) + 1;
	for (i = 0; i < len; i++) {
		d = carry + (i < n ? digits[n - 1 - i] - '0' : 0) +
		    (i < k ? add[k - 1 - i] - '0' : 0);
		sum[len - 1 - i] = (char)('0' + d % 10);
		carry = d / 10;
	}
	sum[len] = '\0';
	for (i = 0; i + 1 < len && sum[i] == '0'; i++)
		continue;
	return number_text(sum + i);
}

/*
 * Settle r as a bad type when n, a figure of the baseline (in_base) or
 * of this run, is not a count: 1 then, else 0 with its digits put in
 * digits (gate_count's).
 */
static int
count_bad(struct result *r, const struct jnode *n, int in_base, char *digits)
{
	if ((r->detail = gate_count_bad(n, digits)) == NULL)
		return 0;
	r->status = C_BADTYPE;
	r->in_base = in_base;
	return 1;
}

/*
 * Compare one figure, observed in this run and base in the baseline
 * (NULL: absent): this run's value at most the baseline's plus its rise,
 * or (rise -1) at least the baseline's hit rate less the drop, exactly
 * as the criteria compare (gate_holds) with the limit printed. A figure
 * with a rise must be a count in both runs.
 * Returns 0, or -1 when out of memory.
 */
static int
judge_values(struct verdict *v, const char *name, const char *pointer,
    const struct jnode *observed, const struct jnode *base,
    const struct gate_config *c, int rise)
{
	struct result *r;
	char text[32], digits[GATE_COUNT_DIGITS + 1];
	int u;

	if ((r = comparison(v, name, pointer)) == NULL)
		return -1;
	r->op = rise < 0 ? OP_GE : OP_LE;
	r->observed = observed;
	r->base = base;
	if (rise >= 0) {
		snprintf(text, sizeof(text), "%lld", c->max_rise[rise]);
		r->tolerance = number_text(text);
	} else
		r->tolerance = c->max_hit_rate_drop != NULL ?
		    doc_copy(c->max_hit_rate_drop) : baseline_number(0.02);
	if (r->tolerance == NULL || (u = unusable(r,
	    rise < 0 ? WANT_RATE : WANT_NUMBER)) == -1)
		return -1;
	if (u == 1)
		return 0;
	if (rise >= 0 && (count_bad(r, r->observed, 0, digits) ||
	    count_bad(r, r->base, 1, digits)))
		return 0;
	r->limit = rise >= 0 ? rise_limit(digits, c->max_rise[rise]) :
	    baseline_number(doc_number(r->base) - doc_number(r->tolerance));
	if (r->limit == NULL)
		return -1;
	r->status = gate_holds(r->observed, r->op, r->limit) ? C_PASS : C_FAIL;
	return 0;
}

/* judge_values on the figure at pointer in each run (figure_at). */
static int
judge_figure(struct verdict *v, const char *name, const char *pointer,
    const struct jnode *cand, const struct gate_config *c, int rise)
{
	return judge_values(v, name, pointer, figure_at(cand, pointer, v),
	    figure_at(c->baseline, pointer, v), c, rise);
}

/* An error code of cache_errors: its key's bytes, which may hold NUL. */
struct code {
	const char	*s;
	size_t		 len;
};

/* The order of two codes by their bytes, for qsort. */
static int
cmp_codes(const void *a, const void *b)
{
	const struct code *x = a, *y = b;
	int c = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);

	return c != 0 ? c : (x->len > y->len) - (x->len < y->len);
}

/* The error codes of both cache_errors objects, sorted, each once. */
static struct code *
error_codes(const struct jnode *a, const struct jnode *b, size_t *n)
{
	struct code *codes;
	size_t i, k = 0, na = doc_count(a), nb = doc_count(b);

	*n = 0;
	if ((codes = calloc(na + nb + 1, sizeof(*codes))) == NULL)
		return NULL;
	for (i = 0; i < na; i++, k++)
		codes[k].s = doc_key(a, i, &codes[k].len);
	for (i = 0; i < nb; i++, k++)
		codes[k].s = doc_key(b, i, &codes[k].len);
	qsort(codes, k, sizeof(*codes), cmp_codes);
	for (i = 0; i < k; i++)
		if (*n == 0 || cmp_codes(&codes[*n - 1], &codes[i]) != 0)
			codes[(*n)++] = codes[i];
	return codes;
}

/* The value of code in the object errors (the last when it repeats), or
 * 0 (v->zero) when it has none. */
static const struct jnode *
code_count(const struct verdict *v, const struct jnode *errors,
    const struct code *code)
{
	const struct jnode *n = v->zero;
	const char *k;
	size_t i, len;

	for (i = 0; i < doc_count(errors); i++)
		if ((k = doc_key(errors, i, &len)) != NULL &&
		    len == code->len && memcmp(k, code->s, len) == 0)
			n = doc_item(errors, i);
	return n;
}

/* code written after prefix, a NUL as \u0000 (so that it shows), and in
 * a pointer (pointer set) ~ and / escaped; NULL when out of memory. */
static char *
code_text(const char *prefix, const struct code *code, int pointer)
{
	char *p, *o;
	size_t i;

	if ((p = o = malloc(strlen(prefix) + 6 * code->len + 1)) == NULL)
		return NULL;
	o = stpcpy(o, prefix);
	for (i = 0; i < code->len; i++) {
		if (code->s[i] == '\0')
			o = stpcpy(o, "\\u0000");
		else if (pointer && (code->s[i] == '~' || code->s[i] == '/')) {
			*o++ = '~';
			*o++ = code->s[i] == '~' ? '0' : '1';
		} else
			*o++ = code->s[i];
	}
	*o = '\0';
	return p;
}

/*
 * One comparison per SQLite error code in either run's cache_errors (a
 * code absent from one counts 0 there); one that fails closed when an
 * object is missing. Returns 0, or -1 when out of memory.
 */
static int
judge_cache_errors(struct verdict *v, const struct jnode *cand,
    const struct gate_config *c)
{
	const struct jnode *cc = doc_get(cand, "cache_errors");
	const struct jnode *bc = doc_get(c->baseline, "cache_errors");
	struct code *codes;
	struct result *r;
	char *name, *ptr;
	size_t i, n;
	int rc = 0;

	if (cc == NULL || bc == NULL || doc_type(cc) != J_OBJECT ||
	    doc_type(bc) != J_OBJECT) {
		if ((r = comparison(v, "baseline.cache_errors",
		    "/cache_errors")) == NULL)
			return -1;
		r->observed = cc;
		r->base = bc;
		return unusable(r, WANT_OBJECT) == -1 ? -1 : 0;
	}
	if ((codes = error_codes(cc, bc, &n)) == NULL)
		return -1;
	for (i = 0; rc == 0 && i < n; i++) {
		ptr = code_text("/cache_errors/", &codes[i], 1);
		name = code_text("baseline.cache_errors.", &codes[i], 0);
		rc = ptr == NULL || name == NULL ? -1 :
		    judge_values(v, name, ptr, code_count(v, cc, &codes[i]),
		    code_count(v, bc, &codes[i]), c, RISE_CACHE_ERRORS);
		free(ptr);
		free(name);
	}
	free(codes);
	return rc;
}

/* The config fields that differ from the baseline's, into v. 0, or -1. */
static int
config_diffs(struct verdict *v, const struct jnode *cand,
    const struct jnode *base)
{
	const struct jnode *bc = doc_get(base, "config");
	const struct jnode *cc = doc_get(cand, "config"), *a, *b;
	size_t i;

	if ((v->diffs = calloc(nitems(config_fields), sizeof(*v->diffs))) ==
	    NULL)
		return -1;
	for (i = 0; i < nitems(config_fields); i++) {
		a = doc_get(bc, config_fields[i]);
		b = doc_get(cc, config_fields[i]);
		a = a != NULL && doc_type(a) == J_NULL ? NULL : a;
		b = b != NULL && doc_type(b) == J_NULL ? NULL : b;
		if (a == NULL && b == NULL)
			continue;
		if (a != NULL && b != NULL && doc_equal(a, b))
			continue;
		v->diffs[v->ndiffs++] = (struct cfgdiff){ config_fields[i], a,
		    b };
	}
	return 0;
}

/* The latency of each cmd in both runs' latency_ms, into v. 0, or -1. */
static int
latencies(struct verdict *v, const struct jnode *cand,
    const struct jnode *base)
{
	const struct jnode *cl = doc_get(cand, "latency_ms");
	const struct jnode *bl = doc_get(base, "latency_ms"), *c, *b;
	const char *cmd;
	size_t i;

	if ((v->lat = calloc(doc_count(cl) + 1, sizeof(*v->lat))) == NULL)
		return -1;
	for (i = 0; i < doc_count(cl); i++) {
		cmd = doc_key(cl, i, NULL);
		c = doc_item(cl, i);
		/* A cmd repeated: its last value, once. */
		if (cmd == NULL || doc_get(cl, cmd) != c ||
		    (b = doc_get(bl, cmd)) == NULL)
			continue;
		v->lat[v->nlat++] = (struct latency){ cmd, doc_get(b, "p50"),
		    doc_get(c, "p50"), doc_get(b, "p95"), doc_get(c, "p95") };
	}
	return 0;
}

int
baseline_judge(struct verdict *v, const struct jnode *cand,
    const struct gate_config *c)
{
	size_t i;

	for (i = 0; i < nitems(figures); i++) {
		if (judge_figure(v, figures[i].name, figures[i].pointer, cand,
		    c, figures[i].rise) == -1)
			return -1;
		if (figures[i].rise == RISE_LOCK &&
		    judge_cache_errors(v, cand, c) == -1)
			return -1;
	}
	if (config_diffs(v, cand, c->baseline) == -1 ||
	    latencies(v, cand, c->baseline) == -1)
		return -1;
	return 0;
}

/* n as compact JSON, or "null" for NULL; the caller's; NULL when OOM. */
static char *
text_or_null(const struct jnode *n)
{
	return n == NULL ? strdup("null") : jgen_text(n);
}

char *
baseline_warn_line(const struct cfgdiff *d)
{
	char *a = text_or_null(d->base), *b = text_or_null(d->cand), *s;

	s = a == NULL || b == NULL ? NULL :
	    text_fmt("WARN config.%s: %s -> %s", d->field, a, b);
	free(a);
	free(b);
	return s;
}

int
baseline_ratio(const struct jnode *a, const struct jnode *b, double *r)
{
	if (a == NULL || b == NULL || doc_type(a) != J_NUMBER ||
	    doc_type(b) != J_NUMBER || !(doc_number(a) > 0) ||
	    !isfinite(doc_number(a)) || !isfinite(doc_number(b)))
		return -1;
	*r = doc_number(b) / doc_number(a);
	return isfinite(*r) ? 0 : -1;
}

char *
baseline_latency_half(const struct jnode *a, const struct jnode *b)
{
	char *ta = text_or_null(a), *tb = text_or_null(b), *s, ratio[64];
	double r;

	if (baseline_ratio(a, b, &r) == 0)
		snprintf(ratio, sizeof(ratio), "%.2fx", r);
	else
		strlcpy(ratio, "n/a", sizeof(ratio));
	s = ta == NULL || tb == NULL ? NULL :
	    text_fmt("%s -> %s ms, %s", ta, tb, ratio);
	free(ta);
	free(tb);
	return s;
}

char *
baseline_info_line(const struct latency *l)
{
	char *p50 = baseline_latency_half(l->base50, l->cand50);
	char *p95 = baseline_latency_half(l->base95, l->cand95), *s;

	s = p50 == NULL || p95 == NULL ? NULL :
	    text_fmt("INFO latency %s: p50 %s; p95 %s", l->cmd, p50, p95);
	free(p50);
	free(p95);
	return s;
}
