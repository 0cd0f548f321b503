/*
 * report: soak-gate's output, the text report and the verdict document,
 * every JSON byte through the checked writers of jgen.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "criteria.h"
#include "doc.h"
#include "jgen.h"
#include "report.h"
#include "text.h"

/* Whether r prints as the relation "observed OP limit". */
static int
is_comparison(const struct result *r)
{
	return r->observed != NULL && doc_type(r->observed) != J_NULL &&
	    r->status != C_BADTYPE && r->status != C_SKIP && r->limit != NULL;
}

char *
report_note(const struct result *r)
{
	char *b, *t, *s;

	if (!r->compared || r->base == NULL || r->tolerance == NULL)
		return strdup("");
	b = jgen_text(r->base);
	t = jgen_text(r->tolerance);
	s = b == NULL || t == NULL ? NULL : text_fmt(" (baseline %s %s %s)", b,
	    r->op == OP_LE ? "+" : "-", t);
	free(b);
	free(t);
	return s;
}

char *
report_line(const struct result *r)
{
	const char *st = gate_status_name(r->status);
	char *obs = NULL, *lim = NULL, *note = NULL, *line = NULL;
	enum cop op;

	if (r->observed != NULL && doc_type(r->observed) != J_NULL &&
	    (obs = jgen_text(r->observed)) == NULL)
		return NULL;
	if (!is_comparison(r))
		line = obs != NULL && r->status != C_SKIP ?
		    text_fmt("%s %s: %s, %s", st, r->name, obs, r->detail) :
		    text_fmt("%s %s: %s", st, r->name, r->detail);
	else if ((lim = jgen_text(r->limit)) != NULL &&
	    (note = report_note(r)) != NULL) {
		op = r->status == C_PASS ? r->op : gate_op_negation(r->op);
		line = r->status == C_PASS && r->op == OP_EQ ?
		    text_fmt("%s %s: %s", st, r->name, obs) :
		    text_fmt("%s %s: %s %s %s%s", st, r->name, obs,
		    gate_op_name(op), lim, note);
	}
	free(obs);
	free(lim);
	free(note);
	return line;
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
	s = text_fmt("%s, %s", obs, r->detail);
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
	s = text_fmt("%s %s", gate_op_name(r->op), lim);
	free(lim);
	return s;
}

char *
report_summary(const struct verdict *v)
{
	if (!v->failed)
		return strdup("PASS");
	return text_fmt("FAIL (%zu of %zu criteria failed)", v->failed, v->n);
}

/* line and a newline on fp, then freed: 0, or -1 when line is NULL. */
static int
put_line(FILE *fp, char *line)
{
	if (line == NULL)
		return -1;
	fprintf(fp, "%s\n", line);
	free(line);
	return 0;
}

int
report_text(FILE *fp, const struct verdict *v)
{
	size_t i;

	for (i = 0; i < v->ndiffs; i++)
		if (put_line(fp, baseline_warn_line(&v->diffs[i])) == -1)
			return -1;
	for (i = 0; i < v->n; i++)
		if (put_line(fp, report_line(&v->results[i])) == -1)
			return -1;
	for (i = 0; i < v->nlat; i++)
		if (put_line(fp, baseline_info_line(&v->lat[i])) == -1)
			return -1;
	return put_line(fp, report_summary(v));
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
