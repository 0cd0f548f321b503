/*
 * criteria: the soak-gate criteria as one table (never latency), then the
 * --require ones, judged against a parsed soak-metrics(5) document.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "compare.h"
#include "criteria.h"
#include "doc.h"
#include "pointer.h"
#include "text.h"

#ifndef nitems
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#endif

static const char *const opnames[] = { "==", "!=", "<", "<=", ">", ">=" };
/* The operator that holds when op does not. */
static const enum cop negation[] = { OP_NE, OP_EQ, OP_GE, OP_GT, OP_LE, OP_LT };

const char *
gate_op_name(enum cop op)
{
	return opnames[op];
}

enum cop
gate_op_negation(enum cop op)
{
	return negation[op];
}

const char *
gate_status_name(enum cstatus s)
{
	switch (s) {
	case C_PASS:
		return "PASS";
	case C_SKIP:
		return "SKIP";
	case C_BADTYPE:
		return "ERROR";
	default:
		return "FAIL";
	}
}

void
gate_config_init(struct gate_config *c)
{
	memset(c, 0, sizeof(*c));
	c->min_ops = -1;
	c->min_warm_hits = 1;
	c->max_lock_timeouts = 1;
	c->max_malformed = 0;
	c->max_wal_bytes = -1;
}

void
gate_config_free(struct gate_config *c)
{
	size_t i;

	for (i = 0; i < c->nrequires; i++) {
		free(c->requires[i].pointer);
		doc_free(c->requires[i].limit);
	}
	free(c->requires);
	doc_free(c->min_warm_hit_rate);
	doc_free(c->max_hit_rate_drop);
	memset(c, 0, sizeof(*c));
}

/* A node parsed from JSON text s, or NULL. */
static struct jnode *
text_node(const char *s)
{
	char err[64];

	return doc_parse((const unsigned char *)s, strlen(s), err, sizeof(err));
}

/* A number node for a config value, or NULL. */
static struct jnode *
number_node(long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	return text_node(buf);
}

/*
 * Expected type of an observed value: a number, a count (a number >= 0
 * with no fraction, -0 and 0.0 among them, read from its text by
 * gate_count), a string, any scalar, or an array.
 */
enum want { W_NUMBER, W_COUNT, W_RATE, W_STRING, W_SCALAR, W_ARRAY };
/* A value absent or null: FAILs the criterion, or SKIPs it. */
enum need { NEED_REQUIRED, NEED_OPTIONAL, NEED_PARENT };
/* A row is judged always, or only when its limit's option is given. */
enum when { WHEN_ALWAYS, WHEN_GIVEN };
/* What a limit accessor found. */
enum limit { LIMIT_SET, LIMIT_NONE, LIMIT_BAD };

struct criterion;

/*
 * A row's limit accessor. Sets *limit (the caller owns it; NULL: no
 * target) and returns LIMIT_SET; returns LIMIT_NONE when there is no
 * limit (the option was not given); LIMIT_BAD with *bad set when the
 * document value the limit comes from is unusable.
 */
typedef enum limit (*limit_fn)(const struct criterion *,
    const struct jnode *doc, const struct gate_config *,
    struct jnode **limit, const char **bad);

/* One criterion: what to look at, how to judge it, where its limit is. */
struct criterion {
	const char	*name;		/* as printed */
	const char	*pointer;	/* RFC 6901, into the document */
	enum cop	 op;		/* observed OP limit must hold */
	enum want	 want;
	enum need	 need;
	enum when	 when;
	limit_fn	 limit;
	const char	*fixed;		/* limit_fixed: the limit as JSON */
	size_t		 count;		/* limit_count: a long long's offset */
	const struct jnode *scalar;	/* limit_copy: the limit to copy */
	const char	*null_detail;	/* said for null, if not "null" */
	const char	*parent_detail;	/* said when the parent is null or absent */
	int		 skip;		/* set for --skip: not judged */
};

/* The limit is the row's JSON text. */
static enum limit
limit_fixed(const struct criterion *row, const struct jnode *doc,
    const struct gate_config *c, struct jnode **limit, const char **bad)
{
	(void)doc, (void)c, (void)bad;
	*limit = text_node(row->fixed);
	return LIMIT_SET;
}

/* The limit is a count in the config; a negative one was not given. */
static enum limit
limit_count(const struct criterion *row, const struct jnode *doc,
    const struct gate_config *c, struct jnode **limit, const char **bad)
{
	long long v;

	(void)doc, (void)bad;
	memcpy(&v, (const char *)c + row->count, sizeof(v));
	if (v < 0)
		return LIMIT_NONE;
	*limit = number_node(v);
	return LIMIT_SET;
}

/* The limit is --min-warm-hit-rate, when given. */
static enum limit
limit_rate(const struct criterion *row, const struct jnode *doc,
    const struct gate_config *c, struct jnode **limit, const char **bad)
{
	(void)row, (void)doc, (void)bad;
	if (c->min_warm_hit_rate == NULL)
		return LIMIT_NONE;
	*limit = doc_copy(c->min_warm_hit_rate);
	return LIMIT_SET;
}

/* The limit is the row's own scalar (a --require value). */
static enum limit
limit_copy(const struct criterion *row, const struct jnode *doc,
    const struct gate_config *c, struct jnode **limit, const char **bad)
{
	(void)doc, (void)c, (void)bad;
	*limit = doc_copy(row->scalar);
	return LIMIT_SET;
}

/* The ops_completed target: --min-ops, else ops_requested. */
static enum limit
limit_ops(const struct criterion *row, const struct jnode *doc,
    const struct gate_config *c, struct jnode **limit, const char **bad)
{
	const struct jnode *req;
	char digits[GATE_COUNT_DIGITS + 1];
	int u;

	(void)row;
	if (c->min_ops >= 0) {
		*limit = number_node(c->min_ops);
		return LIMIT_SET;
	}
	req = doc_get(doc, "ops_requested");
	if (req == NULL || doc_type(req) == J_NULL)
		return LIMIT_NONE;
	if (doc_type(req) != J_NUMBER) {
		*bad = "its target /ops_requested: expected a number";
		return LIMIT_BAD;
	}
	/* A count, as the criteria's own figures are (gate_count_bad). */
	if (!isfinite(doc_number(req)) ||
	    (u = gate_count(doc_number_text(req), digits)) == -1) {
		*bad = "its target /ops_requested: number out of range";
		return LIMIT_BAD;
	}
	if (u == 0) {
		*bad = "its target /ops_requested: expected a count (an "
		    "integer >= 0)";
		return LIMIT_BAD;
	}
	*limit = doc_copy(req);
	return LIMIT_SET;
}

#define CONFIG(field)	offsetof(struct gate_config, field)

/*
 * The default criteria (never latency), judged and printed in this order;
 * the --require criteria follow. To add a criterion, add a row here:
 *
 *   name, pointer  as printed; where its value is, as an RFC 6901 pointer
 *   op             the relation "observed op limit" that passes
 *   want           W_NUMBER (finite), W_COUNT (finite, integral, >= 0),
 *                  W_RATE (a number from 0 to 1),
 *                  W_STRING, W_SCALAR or W_ARRAY
 *   need           NEED_REQUIRED: absent or null FAILs (fails closed);
 *                  NEED_OPTIONAL: absent, null or under a null object SKIPs;
 *                  NEED_PARENT: SKIPs when the object holding it is null
 *                  or absent, else FAILs like NEED_REQUIRED
 *   when           WHEN_ALWAYS; WHEN_GIVEN: left out unless the limit's
 *                  option is given (its accessor returns LIMIT_NONE)
 *   limit          the accessor that makes the limit: limit_fixed (from
 *                  fixed), limit_count (the long long at count, from
 *                  CONFIG(field); negative means not given), limit_rate,
 *                  limit_ops, or a new one of the limit_fn kind
 *   null_detail    what a null value says instead of "null"
 *   parent_detail  what it says when the object holding the value is
 *                  null or absent (db: null is "no samples")
 *
 * A limit set by a new option is a gate_config field (parsed in main.c).
 * Then list the criterion in soak-gate(1) and give it golden tests.
 */
static const struct criterion criteria[] = {
	{ .name = "integrity_check", .pointer = "/integrity_check",
	    .op = OP_EQ, .want = W_STRING, .need = NEED_REQUIRED,
	    .limit = limit_fixed, .fixed = "\"ok\"",
	    .null_detail = "null (integrity was not measured)" },
	{ .name = "ops_completed", .pointer = "/ops_completed",
	    .op = OP_GE, .want = W_COUNT, .need = NEED_REQUIRED,
	    .limit = limit_ops },
	{ .name = "cache_hits_warm", .pointer = "/cache_hits_warm",
	    .op = OP_GE, .want = W_COUNT, .need = NEED_REQUIRED,
	    .limit = limit_count, .count = CONFIG(min_warm_hits) },
	{ .name = "cache.hit_rate_warm", .pointer = "/cache/hit_rate_warm",
	    .op = OP_GE, .want = W_RATE, .need = NEED_REQUIRED,
	    .when = WHEN_GIVEN, .limit = limit_rate },
	{ .name = "lock_timeout", .pointer = "/lock_timeout",
	    .op = OP_LE, .want = W_COUNT, .need = NEED_REQUIRED,
	    .limit = limit_count, .count = CONFIG(max_lock_timeouts) },
	{ .name = "verify.lost", .pointer = "/verify/lost",
	    .op = OP_EQ, .want = W_COUNT, .need = NEED_OPTIONAL,
	    .limit = limit_fixed, .fixed = "0" },
	{ .name = "verify.corrupt", .pointer = "/verify/corrupt",
	    .op = OP_EQ, .want = W_COUNT, .need = NEED_OPTIONAL,
	    .limit = limit_fixed, .fixed = "0" },
	{ .name = "workers.died", .pointer = "/workers/died",
	    .op = OP_EQ, .want = W_COUNT, .need = NEED_OPTIONAL,
	    .limit = limit_fixed, .fixed = "0" },
	{ .name = "events.lost", .pointer = "/events/lost",
	    .op = OP_EQ, .want = W_NUMBER, .need = NEED_OPTIONAL,
	    .limit = limit_fixed, .fixed = "0" },
	{ .name = "lines.malformed", .pointer = "/lines/malformed",
	    .op = OP_LE, .want = W_COUNT, .need = NEED_OPTIONAL,
	    .limit = limit_count, .count = CONFIG(max_malformed) },
	{ .name = "chaos.unrecovered", .pointer = "/chaos/unrecovered",
	    .op = OP_LE, .want = W_COUNT, .need = NEED_PARENT,
	    .limit = limit_fixed, .fixed = "0" },
	{ .name = "shards.missing", .pointer = "/shards/missing",
	    .op = OP_EQ, .want = W_ARRAY, .need = NEED_PARENT,
	    .limit = limit_fixed, .fixed = "[]" },
	{ .name = "db.wal_bytes_max", .pointer = "/db/wal_bytes_max",
	    .op = OP_LE, .want = W_COUNT, .need = NEED_REQUIRED,
	    .when = WHEN_GIVEN, .limit = limit_count,
	    .count = CONFIG(max_wal_bytes), .parent_detail = "no samples" },
};

/* --skip keeps one bit per row. */
_Static_assert(nitems(criteria) <= sizeof(unsigned long) * 8,
    "too many criteria for gate_config.skip");

/* Row i of the judgement: the table's, then one per --require. */
static struct criterion
criterion_at(const struct gate_config *c, size_t i)
{
	const struct require *r;
	struct criterion row;

	if (i < nitems(criteria)) {
		row = criteria[i];
		row.skip = (c->skip >> i) & 1;
		return row;
	}
	r = &c->requires[i - nitems(criteria)];
	return (struct criterion){ .name = r->pointer, .pointer = r->pointer,
	    .op = r->op, .want = W_SCALAR, .need = NEED_REQUIRED,
	    .limit = limit_copy, .scalar = r->limit };
}

const char *
gate_default_name(size_t i)
{
	size_t k;

	for (k = 0; k < nitems(criteria); k++)
		if (criteria[k].when == WHEN_ALWAYS && i-- == 0)
			return criteria[k].name;
	return NULL;
}

int
gate_skip(struct gate_config *c, const char *name)
{
	size_t k;

	for (k = 0; k < nitems(criteria); k++)
		if (criteria[k].when == WHEN_ALWAYS &&
		    strcmp(criteria[k].name, name) == 0) {
			c->skip |= 1UL << k;
			return 0;
		}
	return -1;
}

/* Whether some object on the way to pointer is null ("verify": null). */
static int
under_null(const struct jnode *doc, const char *pointer)
{
	const struct jnode *n;
	char *p, *slash;
	int bad, found = 0;

	if ((p = strdup(pointer)) == NULL)
		return 0;
	while (!found && (slash = strrchr(p, '/')) != NULL) {
		*slash = '\0';
		n = doc_pointer(doc, p, &bad);
		found = n != NULL && doc_type(n) == J_NULL;
	}
	free(p);
	return found;
}

/* Whether the object holding pointer's value is null or absent. */
static int
parent_missing(const struct jnode *doc, const char *pointer)
{
	const struct jnode *n;
	char *p, *slash;
	int bad;

	if ((p = strdup(pointer)) == NULL)
		return 0;
	if ((slash = strrchr(p, '/')) != NULL)
		*slash = '\0';
	n = doc_pointer(doc, p, &bad);
	free(p);
	return n == NULL || doc_type(n) == J_NULL;
}

/* What a value o, absent (NULL) or null, says about row's criterion. */
static const char *
missing_detail(const struct criterion *row, const struct jnode *doc,
    const struct jnode *o)
{
	if (row->parent_detail != NULL && parent_missing(doc, row->pointer))
		return row->parent_detail;
	if (o != NULL)
		return row->null_detail != NULL ? row->null_detail : "null";
	return under_null(doc, row->pointer) ? "null" : "not in metrics";
}

/* The detail for an observed value of a type the row cannot judge. */
static const char *
badtype_detail(const struct criterion *row, const struct jnode *o)
{
	char digits[GATE_COUNT_DIGITS + 1];
	const char *why;

	/* A count is read from its text: 1.9999999999999999 is no 2. */
	if (row->want == W_COUNT)
		return gate_count_bad(o, digits);
	if (row->want == W_RATE)
		return gate_rate_bad(o);
	if ((row->want == W_NUMBER || row->op >= OP_LT) &&
	    (why = gate_number_bad(o)) != NULL)
		return why;
	if (row->want == W_ARRAY)
		return doc_type(o) == J_ARRAY ? NULL : "expected an array";
	if ((row->want == W_STRING && doc_type(o) != J_STRING) ||
	    !doc_is_scalar(o))
		return row->want == W_STRING ?
		    "expected a string" : "expected a scalar";
	return NULL;
}

/*
 * Why pointer stops at its first at bytes, a value that cannot hold the
 * next step: an array whose token is no index says so. NULL when out
 * of memory.
 */
static char *
blocked_detail(const struct jnode *doc, const char *pointer, size_t at)
{
	const char *tok = pointer + at + 1;
	char *held;
	int bad, isarray;

	if ((held = strndup(pointer, at)) == NULL)
		return NULL;
	isarray = doc_type(doc_pointer(doc, held, &bad)) == J_ARRAY;
	free(held);
	if (isarray)
		return text_fmt("expected an object at %.*s, not an array "
		    "(\"%.*s\" is no index)", (int)at, pointer,
		    (int)strcspn(tok, "/"), tok);
	return text_fmt("expected an object at %.*s", (int)at, pointer);
}

/*
 * Judge one row into res, taking limit (freed with the verdict). A value
 * absent or null FAILs when required, else SKIPs. Returns 0, or -1 when
 * out of memory.
 */
static int
judge(struct result *res, const struct criterion *row,
    const struct jnode *doc, struct jnode *limit)
{
	const struct jnode *o;
	size_t at;
	int bad;

	res->limit = limit;
	if ((res->pointer = strdup(row->pointer)) == NULL)
		return -1;
	if ((res->name = strdup(row->name)) == NULL)
		return -1;
	res->op = row->op;
	o = res->observed = doc_pointer(doc, row->pointer, &bad);
	if (o == NULL && doc_pointer_blocked(doc, row->pointer, &at)) {
		res->status = C_BADTYPE;
		if ((res->detail = res->own_detail = blocked_detail(doc,
		    row->pointer, at)) == NULL)
			return -1;
	} else if (o == NULL || doc_type(o) == J_NULL) {
		res->status = row->need == NEED_OPTIONAL ||
		    (row->need == NEED_PARENT &&
		    parent_missing(doc, row->pointer)) ? C_SKIP : C_FAIL;
		res->detail = missing_detail(row, doc, o);
	} else if ((res->detail = badtype_detail(row, o)) != NULL)
		res->status = C_BADTYPE;
	else if (limit == NULL) {
		res->status = C_FAIL;
		res->detail = "no target (give --min-ops, or a run-start "
		    "event that records ops)";
	} else
		res->status = gate_holds(o, row->op, limit) ? C_PASS : C_FAIL;
	return 0;
}

/*
 * Judge row into the next result of v, unless it waits for an option not
 * given. Returns 0, or -1 when out of memory.
 */
static int
verdict_add(struct verdict *v, const struct criterion *row,
    const struct jnode *doc, const struct gate_config *c)
{
	struct result *res;
	struct jnode *limit = NULL;
	const char *bad = NULL;
	enum limit got;

	got = row->limit(row, doc, c, &limit, &bad);
	if (got == LIMIT_NONE && row->when == WHEN_GIVEN)
		return 0;
	if ((res = gate_verdict_add(v)) == NULL) {
		doc_free(limit);
		return -1;
	}
	if (judge(res, row, doc, limit) == -1)
		return -1;
	if (row->skip) {
		/* Shown, never judged: even a value of the wrong type. */
		res->status = C_SKIP;
		res->detail = "(--skip)";
	} else if (got == LIMIT_BAD) {
		res->status = C_BADTYPE;
		res->detail = bad;
	}
	return 0;
}

/* Count the failed, skipped and badly typed results of v. */
static void
verdict_count(struct verdict *v)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		if (v->results[i].status == C_FAIL)
			v->failed++;
		else if (v->results[i].status == C_SKIP)
			v->skipped++;
		else if (v->results[i].status == C_BADTYPE)
			v->badtype++;
	}
}

struct result *
gate_verdict_add(struct verdict *v)
{
	struct result *r;
	size_t ncap;

	if (v->n == v->cap) {
		ncap = v->cap ? v->cap * 2 : 16;
		if ((r = reallocarray(v->results, ncap, sizeof(*r))) == NULL)
			return NULL;
		v->results = r;
		v->cap = ncap;
	}
	r = &v->results[v->n++];
	memset(r, 0, sizeof(*r));
	return r;
}

struct verdict *
gate_evaluate(const struct jnode *doc, const struct gate_config *c)
{
	struct verdict *v;
	struct criterion row;
	size_t i, rows = nitems(criteria) + c->nrequires;

	if ((v = calloc(1, sizeof(*v))) == NULL ||
	    (v->zero = text_node("0")) == NULL)
		goto oom;
	for (i = 0; i < rows; i++) {
		row = criterion_at(c, i);
		if (verdict_add(v, &row, doc, c) == -1)
			goto oom;
	}
	if (c->baseline != NULL) {
		v->baseline = c->baseline_name != NULL ? c->baseline_name :
		    "baseline";
		if (baseline_judge(v, doc, c) == -1)
			goto oom;
	}
	verdict_count(v);
	return v;
oom:
	gate_verdict_free(v);
	return NULL;
}

void
gate_verdict_free(struct verdict *v)
{
	struct result *r;
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < v->n; i++) {
		r = &v->results[i];
		free(r->name);
		free(r->pointer);
		free(r->own_detail);
		doc_free(r->limit);
		doc_free(r->tolerance);
	}
	free(v->results);
	free(v->diffs);
	free(v->lat);
	doc_free(v->zero);
	free(v);
}
