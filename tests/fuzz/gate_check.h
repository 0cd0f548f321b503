/*
 * The checks both soak-gate fuzz targets make of a verdict: every line
 * renders, the verdict JSON parses and its counts and verdict are those
 * of its criteria, the JUnit XML parses, and every row of the Markdown
 * tables keeps its cells. A failed check aborts.
 */
#ifndef FUZZ_GATE_CHECK_H
#define FUZZ_GATE_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "../../gate/baseline.h"
#include "../../gate/criteria.h"
#include "../../gate/doc.h"
#include "../../gate/junit.h"
#include "../../gate/markdown.h"
#include "../../gate/report.h"

/* What writer w puts out for v, into *out (the caller frees), or abort. */
static size_t
render(int (*w)(FILE *, const char *, const struct verdict *),
    const struct verdict *v, char **out)
{
	FILE *fp;
	size_t len = 0;

	*out = NULL;
	if ((fp = open_memstream(out, &len)) == NULL)
		abort();
	if (w(fp, "<fuzz&\xff>", v) == -1 || fclose(fp) == EOF)
		abort();
	return len;
}

/*
 * Every row of a Markdown table holds as many | that are not escaped as
 * its header: five for the criteria, four for the latency.
 */
static void
check_markdown(const char *md)
{
	const char *p;
	int bars = 0, row = 0, want = 0;

	for (p = md; *p != '\0'; p++) {
		if (p == md || p[-1] == '\n')
			row = *p == '|', bars = 0;
		if (*p == '\\' && p[1] == '|')
			p++;
		else if (*p == '|')
			bars++;
		if (*p != '\n' || !row)
			continue;
		if (p[1] == '|' && want == 0)
			want = bars;
		if (bars != want)
			abort();
		if (p[1] != '|')
			want = 0;
	}
}

/* How many of the criteria array's entries have status st. */
static size_t
status_count(const struct jnode *criteria, const char *st)
{
	const struct jnode *s;
	size_t i, n = 0;

	for (i = 0; i < doc_count(criteria); i++)
		if ((s = doc_get(doc_item(criteria, i), "status")) != NULL &&
		    doc_type(s) == J_STRING &&
		    strcmp(doc_string(s, NULL), st) == 0)
			n++;
	return n;
}

/* The number at key of the verdict document, or abort. */
static size_t
count_at(const struct jnode *doc, const char *key)
{
	const struct jnode *n = doc_get(doc, key);

	if (n == NULL || doc_type(n) != J_NUMBER || doc_number(n) < 0)
		abort();
	return (size_t)doc_number(n);
}

/*
 * The verdict document doc, written for v, says FAIL exactly when one of
 * its criteria failed, and its totals are those of its criteria and v's.
 */
static void
check_counts(const struct jnode *doc, const struct verdict *v)
{
	const struct jnode *criteria = doc_get(doc, "criteria");
	const struct jnode *verdict = doc_get(doc, "verdict");
	size_t failed, skipped;

	if (criteria == NULL || doc_type(criteria) != J_ARRAY ||
	    verdict == NULL || doc_type(verdict) != J_STRING)
		abort();
	failed = status_count(criteria, "FAIL");
	skipped = status_count(criteria, "SKIP");
	if (doc_count(criteria) != v->n ||
	    count_at(doc, "criteria_total") != v->n ||
	    count_at(doc, "criteria_failed") != failed || v->failed != failed ||
	    count_at(doc, "criteria_skipped") != skipped ||
	    v->skipped != skipped ||
	    status_count(criteria, "ERROR") != v->badtype ||
	    failed + skipped + v->badtype +
	    status_count(criteria, "PASS") != v->n ||
	    strcmp(doc_string(verdict, NULL), failed ? "FAIL" : "PASS") != 0)
		abort();
}

/* Render v every way and check each output. */
static void
check_outputs(const struct verdict *v)
{
	char err[512], *out;
	struct jnode *doc;
	xmlDocPtr xml;
	size_t i, len;

	for (i = 0; i < v->n; i++)
		free(report_line(&v->results[i]));
	for (i = 0; i < v->ndiffs; i++)
		free(baseline_warn_line(&v->diffs[i]));
	for (i = 0; i < v->nlat; i++)
		free(baseline_info_line(&v->lat[i]));
	len = render(report_json, v, &out);
	if ((doc = doc_parse((unsigned char *)out, len, err, sizeof(err))) == NULL)
		abort();
	check_counts(doc, v);
	doc_free(doc);
	free(out);
	len = render(report_junit, v, &out);
	xml = xmlReadMemory(out, (int)len, NULL, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (xml == NULL)
		abort();
	xmlFreeDoc(xml);
	free(out);
	render(report_markdown, v, &out);
	check_markdown(out);
	free(out);
}

#endif
