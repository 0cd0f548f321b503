/*
 * The checks both soak-gate fuzz targets make of a verdict: every line
 * renders, the verdict JSON parses, the JUnit XML parses, and every row
 * of the Markdown tables keeps its cells. A failed check aborts.
 */
#ifndef FUZZ_GATE_CHECK_H
#define FUZZ_GATE_CHECK_H

#include <stdio.h>
#include <stdlib.h>

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
