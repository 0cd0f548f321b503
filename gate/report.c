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
	char *lim, *note, *s;

	if (r->limit == NULL)
		return strdup("none");
	lim = jgen_text(r->limit);
	note = report_note(r);
	s = lim == NULL || note == NULL ? NULL :
	    text_fmt("%s %s%s", gate_op_name(r->op), lim, note);
	free(lim);
	free(note);
	return s;
}

char *
report_summary(const struct verdict *v)
{
	if (!v->failed)
		return strdup("PASS");
	return text_fmt("FAIL (%zu of %zu criteria failed)", v->failed, v->n);
}

/*
 * line and a newline on fp, then freed: 0, or -1 when line is NULL or
 * the write fails. A control character or a byte that is not UTF-8, as
 * a key of the document may hold, prints as U+FFFD: no document can
 * break a line in two or forge one.
 */
static int
put_line(FILE *fp, char *line)
{
	char *safe;
	int rc;

	if (line == NULL)
		return -1;
	safe = text_safe(line);
	free(line);
	if (safe == NULL)
		return -1;
	rc = fprintf(fp, "%s\n", safe);
	free(safe);
	return rc < 0 ? -1 : 0;
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
	if (r->compared) {
		jgen_str(j, "baseline");
		jgen_value(j, r->base);
		jgen_str(j, "tolerance");
		jgen_value(j, r->tolerance);
	}
	jgen_map_close(j);
}

/* "baseline": A, "candidate": B, and "ratio": B / A (or null) if asked. */
static void
report_sides(struct jgen *j, const struct jnode *a, const struct jnode *b,
    int ratio)
{
	struct jnode *n = NULL;
	double r;

	jgen_str(j, "baseline");
	jgen_value(j, a);
	jgen_str(j, "candidate");
	jgen_value(j, b);
	if (!ratio)
		return;
	if (baseline_ratio(a, b, &r) == 0 && (n = baseline_number(r)) == NULL)
		jgen_fail(j);
	jgen_str(j, "ratio");
	jgen_value(j, n);
	doc_free(n);
}

/* "name": {"baseline": A, "candidate": B, "ratio": R}. */
static void
report_percentile(struct jgen *j, const char *name, const struct jnode *a,
    const struct jnode *b)
{
	jgen_str(j, name);
	jgen_map_open(j);
	report_sides(j, a, b, 1);
	jgen_map_close(j);
}

/* The comparison with the baseline: null without one. */
static void
report_baseline(struct jgen *j, const struct verdict *v)
{
	size_t i;

	if (v->baseline == NULL) {
		jgen_value(j, NULL);
		return;
	}
	jgen_map_open(j);
	jgen_str(j, "input");
	jgen_str(j, v->baseline);
	jgen_str(j, "config");
	jgen_array_open(j);
	for (i = 0; i < v->ndiffs; i++) {
		jgen_map_open(j);
		jgen_str(j, "field");
		jgen_str(j, v->diffs[i].field);
		report_sides(j, v->diffs[i].base, v->diffs[i].cand, 0);
		jgen_map_close(j);
	}
	jgen_array_close(j);
	jgen_str(j, "latency");
	jgen_array_open(j);
	for (i = 0; i < v->nlat; i++) {
		jgen_map_open(j);
		jgen_str(j, "cmd");
		jgen_str(j, v->lat[i].cmd);
		report_percentile(j, "p50", v->lat[i].base50, v->lat[i].cand50);
		report_percentile(j, "p95", v->lat[i].base95, v->lat[i].cand95);
		jgen_map_close(j);
	}
	jgen_array_close(j);
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
	jgen_str(j, "baseline");
	report_baseline(j, v);
	jgen_map_close(j);
	rc = jgen_write(j, fp);
	jgen_free(j);
	return rc;
}
