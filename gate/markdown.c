/*
 * markdown: the verdict as a GitHub-flavoured Markdown table. Values go
 * into code spans, fenced past any backquote they hold, with | escaped,
 * after text_safe, so no value can end a cell, a row or the span.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "criteria.h"
#include "markdown.h"
#include "report.h"
#include "text.h"

/* The longest run of backquotes in s. */
static size_t
longest_ticks(const char *s)
{
	size_t n, most = 0;

	for (; *s != '\0'; s += n > 0 ? n : 1)
		if ((n = strspn(s, "`")) > most)
			most = n;
	return most;
}

/* s as a code span on fp: `s`, or ``s`` if s holds a backquote. 0, or -1. */
static int
code(FILE *fp, const char *s)
{
	char *safe;
	const char *p;
	size_t i, ticks;
	int pad;

	if (s == NULL || (safe = text_safe(s)) == NULL)
		return -1;
	ticks = longest_ticks(safe) + 1;
	pad = safe[0] == '`' || safe[0] == '\0' ||
	    (safe[0] != '\0' && safe[strlen(safe) - 1] == '`');
	for (i = 0; i < ticks; i++)
		putc('`', fp);
	if (pad)
		putc(' ', fp);
	for (p = safe; *p != '\0'; p++) {
		if (*p == '|')
			putc('\\', fp);
		putc(*p, fp);
	}
	if (pad)
		putc(' ', fp);
	for (i = 0; i < ticks; i++)
		putc('`', fp);
	free(safe);
	return 0;
}

/*
 * A table row of three code spans and, unless NULL, a plain last cell:
 * | `a` | `b` | `c` | last |. 0, or -1 when a cell is NULL.
 */
static int
cells(FILE *fp, const char *a, const char *b, const char *c,
    const char *last)
{
	int rc;

	fputs("| ", fp);
	rc = code(fp, a);
	fputs(" | ", fp);
	rc |= code(fp, b);
	fputs(" | ", fp);
	rc |= code(fp, c);
	if (last != NULL)
		fprintf(fp, " | %s", last);
	fputs(" |\n", fp);
	return rc == 0 ? 0 : -1;
}

/* One criterion's row: | `name` | `observed` | `limit` | RESULT |. */
static int
row(FILE *fp, const struct result *r)
{
	char *obs = report_observed(r), *lim = report_limit(r);
	int rc;

	rc = cells(fp, r->name, obs, lim, gate_status_name(r->status));
	free(obs);
	free(lim);
	return rc;
}

/* "- `line`" on fp, then freed: 0, or -1 when line is NULL. */
static int
item(FILE *fp, char *line)
{
	int rc;

	if (line == NULL)
		return -1;
	fputs("- ", fp);
	rc = code(fp, line);
	putc('\n', fp);
	free(line);
	return rc;
}

/* A latency row: | `cmd` | `p50 half` | `p95 half` |. 0, or -1. */
static int
latency_row(FILE *fp, const struct latency *l)
{
	char *p50 = baseline_latency_half(l->base50, l->cand50);
	char *p95 = baseline_latency_half(l->base95, l->cand95);
	int rc;

	rc = cells(fp, l->cmd, p50, p95, NULL);
	free(p50);
	free(p95);
	return rc;
}

/* What the comparison with the baseline adds: its name, WARN, latency. */
static int
comparison(FILE *fp, const struct verdict *v)
{
	size_t i;

	fputs("\nCompared with the baseline ", fp);
	if (code(fp, v->baseline) == -1)
		return -1;
	fputs(".\n", fp);
	if (v->ndiffs > 0)
		putc('\n', fp);
	for (i = 0; i < v->ndiffs; i++)
		if (item(fp, baseline_warn_line(&v->diffs[i])) == -1)
			return -1;
	if (v->nlat > 0)
		fputs("\n| latency, never gated | p50 | p95 |\n"
		    "| --- | --- | --- |\n", fp);
	for (i = 0; i < v->nlat; i++)
		if (latency_row(fp, &v->lat[i]) == -1)
			return -1;
	return 0;
}

int
report_markdown(FILE *fp, const char *input, const struct verdict *v)
{
	char *summary;
	size_t i;

	if ((summary = report_summary(v)) == NULL)
		return -1;
	fprintf(fp, "## soak-gate: %s\n\nInput: ", summary);
	free(summary);
	if (code(fp, input) == -1)
		return -1;
	fputs("\n\n| criterion | observed | limit | result |\n"
	    "| --- | --- | --- | --- |\n", fp);
	for (i = 0; i < v->n; i++)
		if (row(fp, &v->results[i]) == -1)
			return -1;
	if (v->baseline != NULL && comparison(fp, v) == -1)
		return -1;
	return ferror(fp) ? -1 : 0;
}
