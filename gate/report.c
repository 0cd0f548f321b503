/*
 * report: soak-gate's output, the text report and the verdict document,
 * every JSON byte through the checked writers of jgen.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "criteria.h"
#include "doc.h"
#include "jgen.h"
#include "report.h"

/* Whether r prints as the relation "observed OP limit". */
static int
is_comparison(const struct result *r)
{
	return r->observed != NULL && doc_type(r->observed) != J_NULL &&
	    r->status != C_BADTYPE && r->status != C_SKIP && r->limit != NULL;
}

char *
report_line(const struct result *r)
{
	const char *st = gate_status_name(r->status);
	char *obs = NULL, *lim = NULL, *line = NULL;
	enum cop op;
	int n = -1;

	if (r->observed != NULL && doc_type(r->observed) != J_NULL &&
	    (obs = jgen_text(r->observed)) == NULL)
		return NULL;
	if (!is_comparison(r))
		n = obs != NULL && r->status != C_SKIP ?
		    asprintf(&line, "%s %s: %s, %s", st, r->name, obs,
		    r->detail) :
		    asprintf(&line, "%s %s: %s", st, r->name, r->detail);
	else if ((lim = jgen_text(r->limit)) != NULL) {
		op = r->status == C_PASS ? r->op : gate_op_negation(r->op);
		n = r->status == C_PASS && r->op == OP_EQ ?
		    asprintf(&line, "%s %s: %s", st, r->name, obs) :
		    asprintf(&line, "%s %s: %s %s %s", st, r->name, obs,
		    gate_op_name(op), lim);
	}
	free(obs);
	free(lim);
	return n == -1 ? NULL : line;
}

char *
report_observed(const struct result *r)
{
	char *obs, *s;

	if (r->status == C_SKIP || r->observed == NULL ||
	    doc_type(r->observed) == J_NULL)
		return strdup(r->detail != NULL ? r->detail : "null");
	if ((obs = jgen_text(r->observed)) == NULL || r->detail == NULL ||
	    r->status == C_PASS)
		return obs;
	if (asprintf(&s, "%s, %s", obs, r->detail) == -1)
		s = NULL;
	free(obs);
	return s;
}

char *
report_limit(const struct result *r)
{
	char *lim, *s;

	if (r->limit == NULL)
		return strdup("none");
	if ((lim = jgen_text(r->limit)) == NULL)
		return NULL;
	if (asprintf(&s, "%s %s", gate_op_name(r->op), lim) == -1)
		s = NULL;
	free(lim);
	return s;
}

char *
report_summary(const struct verdict *v)
{
	char *s;

	if (!v->failed)
		return strdup("PASS");
	if (asprintf(&s, "FAIL (%zu of %zu criteria failed)", v->failed,
	    v->n) == -1)
		return NULL;
	return s;
}

int
report_text(FILE *fp, const struct verdict *v)
{
	char *line;
	size_t i;

	for (i = 0; i < v->n; i++) {
		if ((line = report_line(&v->results[i])) == NULL)
			return -1;
		fprintf(fp, "%s\n", line);
		free(line);
	}
	if ((line = report_summary(v)) == NULL)
		return -1;
	fprintf(fp, "%s\n", line);
	free(line);
	return 0;
}

/* One criterion's object in the verdict document. */
static void
report_criterion(struct jgen *j, const struct result *r)
{
	jgen_map_open(j);
	jgen_str(j, "name");
	jgen_str(j, r->name);
	jgen_str(j, "pointer");
	jgen_str(j, r->pointer);
	jgen_str(j, "observed");
	jgen_value(j, r->observed);
	jgen_str(j, "present");
	jgen_bool(j, r->observed != NULL);
	jgen_str(j, "operator");
	jgen_str(j, gate_op_name(r->op));
	jgen_str(j, "limit");
	jgen_value(j, r->limit);
	jgen_str(j, "status");
	jgen_str(j, gate_status_name(r->status));
	if (r->detail != NULL) {
		jgen_str(j, "detail");
		jgen_str(j, r->detail);
	}
	jgen_map_close(j);
}

int
report_json(FILE *fp, const char *input, const struct verdict *v)
{
	struct jgen *j;
	size_t i;
	int rc;

	if ((j = jgen_new()) == NULL)
		return -1;
	jgen_map_open(j);
	jgen_str(j, "schema");
	jgen_str(j, "soak-verdict/1");
	jgen_str(j, "input");
	jgen_str(j, input);
	jgen_str(j, "verdict");
	jgen_str(j, v->failed ? "FAIL" : "PASS");
	jgen_str(j, "criteria_total");
	jgen_int(j, (long long)v->n);
	jgen_str(j, "criteria_failed");
	jgen_int(j, (long long)v->failed);
	jgen_str(j, "criteria_skipped");
	jgen_int(j, (long long)v->skipped);
	jgen_str(j, "criteria");
	jgen_array_open(j);
	for (i = 0; i < v->n; i++)
		report_criterion(j, &v->results[i]);
	jgen_array_close(j);
	jgen_map_close(j);
	rc = jgen_write(j, fp);
	jgen_free(j);
	return rc;
}
