/*
 * require: the option values that are expressions, --require POINTER OP
 * VALUE and --min-warm-hit-rate R, parsed for the criteria.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "criteria.h"
#include "doc.h"
#include "pointer.h"
#include "require.h"

/* First reference token of a pointer, decoded, is "latency_ms". */
static int
pointer_is_latency(const char *p)
{
	static const char name[] = "/latency_ms";
	size_t n = sizeof(name) - 1;

	return strncmp(p, name, n) == 0 && (p[n] == '\0' || p[n] == '/');
}

/*
 * Split "POINTER OP VALUE": the pointer's span into *ptr and *plen, the
 * operator into r->op, the value's start into *value. Returns 0, or -1
 * with a message in err when no operator follows the pointer.
 */
static int
require_split(const char *expr, struct require *r, const char **ptr,
    size_t *plen, const char **value, char *err, size_t errlen)
{
	const char *p = expr, *v;
	enum cop op;
	size_t l, oplen = 0;

	while (isspace((unsigned char)*p))
		p++;
	*plen = strcspn(p, " \t<>=!");
	v = p + *plen + strspn(p + *plen, " \t");
	for (op = OP_EQ; op <= OP_GE; op++) {
		l = strlen(gate_op_name(op));
		if (strncmp(v, gate_op_name(op), l) == 0 && l > oplen) {
			r->op = op;
			oplen = l;
		}
	}
	if (oplen == 0) {
		snprintf(err, errlen, "expected POINTER OP VALUE, OP one of "
		    "== != < <= > >=");
		return -1;
	}
	*ptr = p;
	v += oplen;
	*value = v + strspn(v, " \t");
	return 0;
}

/* A --require pointer that can be gated: 0, or -1 with a message in err. */
static int
require_pointer(const char *pointer, char *err, size_t errlen)
{
	if (pointer[0] != '/') {
		snprintf(err, errlen, "\"%s\": a JSON Pointer starts with /",
		    pointer);
		return -1;
	}
	if (!doc_pointer_valid(pointer)) {
		snprintf(err, errlen, "\"%s\": invalid JSON Pointer "
		    "(~ must be followed by 0 or 1)", pointer);
		return -1;
	}
	if (pointer_is_latency(pointer)) {
		snprintf(err, errlen, "\"%s\": timings are informational: "
		    "no latency gates", pointer);
		return -1;
	}
	return 0;
}

/* Parse value v into r->limit, fit for r->op: 0, or -1 with err. */
static int
require_value(struct require *r, const char *v, char *err, size_t errlen)
{
	r->limit = doc_parse((const unsigned char *)v, strlen(v), err, errlen);
	if (r->limit == NULL || !doc_is_scalar(r->limit)) {
		snprintf(err, errlen, "\"%s\": the value must be a JSON "
		    "scalar (number, \"string\", true, false, null)", v);
		return -1;
	}
	/* A null or absent metric is not measured and fails: never equal. */
	if (r->op == OP_EQ && doc_type(r->limit) == J_NULL) {
		snprintf(err, errlen, "== null can never hold: a metric that "
		    "is null is not measured and fails");
		return -1;
	}
	if (r->op >= OP_LT && (doc_type(r->limit) != J_NUMBER ||
	    !isfinite(doc_number(r->limit)))) {
		snprintf(err, errlen, "%s needs a finite number, not %s",
		    gate_op_name(r->op), v);
		return -1;
	}
	return 0;
}

int
gate_parse_require(const char *expr, struct require *r, char *err,
    size_t errlen)
{
	const char *ptr, *value;
	size_t plen;

	memset(r, 0, sizeof(*r));
	if (require_split(expr, r, &ptr, &plen, &value, err, errlen) == -1)
		return -1;
	if ((r->pointer = strndup(ptr, plen)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (require_pointer(r->pointer, err, errlen) == 0 &&
	    require_value(r, value, err, errlen) == 0)
		return 0;
	free(r->pointer);
	doc_free(r->limit);
	memset(r, 0, sizeof(*r));
	return -1;
}

struct jnode *
gate_parse_rate(const char *s, char *err, size_t errlen)
{
	struct jnode *n;
	const char *why = NULL;
	int c;

	n = doc_parse((const unsigned char *)s, strlen(s), err, errlen);
	/* Judged exactly, as the rate is: 1.0000000000000000001 is past 1. */
	if (n == NULL || doc_type(n) != J_NUMBER || isnan(doc_number(n)))
		why = "invalid";
	else if ((c = gate_order(doc_number_text(n), "0")) < 0 ||
	    (c == 2 && doc_number(n) < 0))
		why = "too small";
	else if ((c = gate_order(doc_number_text(n), "1")) == 1 ||
	    (c == 2 && doc_number(n) > 1))
		why = "too large";
	if (why != NULL) {
		doc_free(n);
		snprintf(err, errlen, "\"%s\" is %s (0 to 1)", s, why);
		return NULL;
	}
	return n;
}
