/*
 * criteria: the default soak-gate criteria (never latency) and the
 * optional ones, judged against a parsed soak-metrics(5) document.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "criteria.h"
#include "doc.h"
#include "jgen.h"

static const char *const opnames[] = { "==", "!=", "<", "<=", ">", ">=" };
/* The operator that holds when op does not. */
static const enum cop negation[] = { OP_NE, OP_EQ, OP_GE, OP_GT, OP_LE, OP_LT };

const char *
gate_op_name(enum cop op)
{
	return opnames[op];
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
	memset(c, 0, sizeof(*c));
}

/* A number node for a config value. */
static struct jnode *
number_node(long long v)
{
	char buf[32], err[64];

	snprintf(buf, sizeof(buf), "%lld", v);
	return doc_parse((const unsigned char *)buf, strlen(buf), err,
	    sizeof(err));
}

static struct jnode *
copy_scalar(const struct jnode *n)
{
	char buf[256], err[64];

	jgen_scalar_text(n, buf, sizeof(buf));
	return doc_parse((const unsigned char *)buf, strlen(buf), err,
	    sizeof(err));
}

static int
compare(double a, enum cop op, double b)
{
	switch (op) {
	case OP_EQ:
		return a == b;
	case OP_NE:
		return a != b;
	case OP_LT:
		return a < b;
	case OP_LE:
		return a <= b;
	case OP_GT:
		return a > b;
	default:
		return a >= b;
	}
}

/* Expected type of an observed value: a number, a string, or any scalar. */
enum want { W_NUMBER, W_STRING, W_SCALAR };

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

/*
 * Judge one criterion into res. limit is taken (owned by res). A value
 * absent or null FAILs when required, else SKIPs.
 */
static void
judge(struct result *res, const struct jnode *doc, const char *name,
    const char *pointer, enum cop op, struct jnode *limit, enum want want,
    int required)
{
	const struct jnode *o;
	int bad, holds;

	memset(res, 0, sizeof(*res));
	strlcpy(res->name, name, sizeof(res->name));
	res->pointer = strdup(pointer);
	res->op = op;
	res->limit = limit;
	o = res->observed = doc_pointer(doc, pointer, &bad);
	if (o == NULL || doc_type(o) == J_NULL) {
		res->status = required ? C_FAIL : C_SKIP;
		res->detail = o == NULL && !under_null(doc, pointer) ?
		    "not in metrics" : "null";
		return;
	}
	if ((want == W_NUMBER || op >= OP_LT) && (doc_type(o) != J_NUMBER ||
	    !isfinite(doc_number(o)))) {
		res->status = C_BADTYPE;
		res->detail = doc_type(o) == J_NUMBER ?
		    "number out of range" : "expected a number";
		return;
	}
	if ((want == W_STRING && doc_type(o) != J_STRING) ||
	    !doc_is_scalar(o)) {
		res->status = C_BADTYPE;
		res->detail = want == W_STRING ?
		    "expected a string" : "expected a scalar";
		return;
	}
	if (limit == NULL) {
		res->status = C_FAIL;
		res->detail = "no target (give --min-ops, or a run-start "
		    "event that records ops)";
		return;
	}
	if (doc_type(o) == J_NUMBER && doc_type(limit) == J_NUMBER)
		holds = compare(doc_number(o), op, doc_number(limit));
	else if (op == OP_EQ || op == OP_NE)
		holds = doc_scalar_equal(o, limit) == (op == OP_EQ);
	else
		holds = 0;
	res->status = holds ? C_PASS : C_FAIL;
}

/* The target for ops_completed: --min-ops, else ops_requested. */
static struct jnode *
ops_target(const struct jnode *doc, const struct gate_config *c,
    const char **bad)
{
	const struct jnode *req;

	*bad = NULL;
	if (c->min_ops >= 0)
		return number_node(c->min_ops);
	req = doc_get(doc, "ops_requested");
	if (req == NULL || doc_type(req) == J_NULL)
		return NULL;
	if (doc_type(req) != J_NUMBER) {
		*bad = "ops_requested: expected a number";
		return NULL;
	}
	if (!isfinite(doc_number(req))) {
		*bad = "ops_requested: number out of range";
		return NULL;
	}
	return copy_scalar(req);
}

struct verdict *
gate_evaluate(const struct jnode *doc, const struct gate_config *c)
{
	struct verdict *v;
	struct result *r;
	size_t i, max = 11 + c->nrequires;
	const char *bad;

	if ((v = calloc(1, sizeof(*v))) == NULL ||
	    (v->results = calloc(max, sizeof(*v->results))) == NULL) {
		free(v);
		return NULL;
	}
	r = v->results;
	judge(r++, doc, "integrity_check", "/integrity_check", OP_EQ,
	    doc_parse((const unsigned char *)"\"ok\"", 4, NULL, 0),
	    W_STRING, 1);
	if (r[-1].observed != NULL && doc_type(r[-1].observed) == J_NULL)
		r[-1].detail = "null (integrity was not measured)";
	judge(r++, doc, "ops_completed", "/ops_completed", OP_GE,
	    ops_target(doc, c, &bad), W_NUMBER, 1);
	if (bad != NULL) {
		r[-1].status = C_BADTYPE;
		r[-1].detail = bad;
	}
	judge(r++, doc, "cache_hits_warm", "/cache_hits_warm", OP_GE,
	    number_node(c->min_warm_hits), W_NUMBER, 1);
	if (c->min_warm_hit_rate != NULL)
		judge(r++, doc, "cache.hit_rate_warm", "/cache/hit_rate_warm",
		    OP_GE, copy_scalar(c->min_warm_hit_rate), W_NUMBER, 1);
	judge(r++, doc, "lock_timeout", "/lock_timeout", OP_LE,
	    number_node(c->max_lock_timeouts), W_NUMBER, 1);
	judge(r++, doc, "verify.lost", "/verify/lost", OP_EQ, number_node(0),
	    W_NUMBER, 0);
	judge(r++, doc, "verify.corrupt", "/verify/corrupt", OP_EQ,
	    number_node(0), W_NUMBER, 0);
	judge(r++, doc, "workers.died", "/workers/died", OP_EQ,
	    number_node(0), W_NUMBER, 0);
	judge(r++, doc, "events.lost", "/events/lost", OP_EQ, number_node(0),
	    W_NUMBER, 0);
	judge(r++, doc, "lines.malformed", "/lines/malformed", OP_LE,
	    number_node(c->max_malformed), W_NUMBER, 0);
	for (i = 0; i < c->nrequires; i++)
		judge(r++, doc, c->requires[i].pointer, c->requires[i].pointer,
		    c->requires[i].op, copy_scalar(c->requires[i].limit),
		    W_SCALAR, 1);
	v->n = (size_t)(r - v->results);
	for (i = 0; i < v->n; i++) {
		if (v->results[i].status == C_FAIL)
			v->failed++;
		else if (v->results[i].status == C_SKIP)
			v->skipped++;
		else if (v->results[i].status == C_BADTYPE)
			v->badtype++;
	}
	return v;
}

void
gate_verdict_free(struct verdict *v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < v->n; i++) {
		free(v->results[i].pointer);
		doc_free(v->results[i].limit);
	}
	free(v->results);
	free(v);
}

void
gate_result_line(const struct result *r, char *buf, size_t len)
{
	char obs[256], lim[256];
	const char *status = gate_status_name(r->status);

	if (r->observed == NULL || doc_type(r->observed) == J_NULL ||
	    r->status == C_BADTYPE || r->limit == NULL) {
		if (r->observed != NULL && doc_type(r->observed) != J_NULL &&
		    doc_is_scalar(r->observed)) {
			jgen_scalar_text(r->observed, obs, sizeof(obs));
			snprintf(buf, len, "%s %s: %s, %s", status, r->name,
			    obs, r->detail);
		} else
			snprintf(buf, len, "%s %s: %s", status, r->name,
			    r->detail);
		return;
	}
	jgen_scalar_text(r->observed, obs, sizeof(obs));
	jgen_scalar_text(r->limit, lim, sizeof(lim));
	if (r->status == C_PASS && r->op == OP_EQ)
		snprintf(buf, len, "%s %s: %s", status, r->name, obs);
	else
		snprintf(buf, len, "%s %s: %s %s %s", status, r->name, obs,
		    opnames[r->status == C_PASS ? r->op : negation[r->op]], lim);
}
