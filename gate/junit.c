/*
 * junit: the verdict as JUnit XML, written with libxml2's xmlTextWriter so
 * that every value is escaped, and every string made valid UTF-8 without
 * control characters first (text_safe), so that the file stays well formed
 * whatever the metrics held.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <libxml/xmlwriter.h>

#include "baseline.h"
#include "criteria.h"
#include "junit.h"
#include "report.h"
#include "text.h"

#define X(s)	((const xmlChar *)(s))

/* Attribute name="value" with value made safe: 0, or -1. */
static int
attr(xmlTextWriterPtr w, const char *name, const char *value)
{
	char *s;
	int rc;

	if (value == NULL || (s = text_safe(value)) == NULL)
		return -1;
	rc = xmlTextWriterWriteAttribute(w, X(name), X(s));
	free(s);
	return rc < 0 ? -1 : 0;
}

/* An integer attribute: 0, or -1. */
static int
attr_count(xmlTextWriterPtr w, const char *name, size_t n)
{
	return xmlTextWriterWriteFormatAttribute(w, X(name), "%zu", n) < 0 ?
	    -1 : 0;
}

/* Element <name message="...">text</name>, message left out if NULL. */
static int
element(xmlTextWriterPtr w, const char *name, const char *message,
    const char *text)
{
	char *s;
	int rc;

	if (text == NULL || (s = text_safe(text)) == NULL)
		return -1;
	rc = xmlTextWriterStartElement(w, X(name)) < 0 ||
	    (message != NULL && attr(w, "message", message) == -1) ||
	    xmlTextWriterWriteString(w, X(s)) < 0 ||
	    xmlTextWriterEndElement(w) < 0 ? -1 : 0;
	free(s);
	return rc;
}

/* The failure's message: "observed: 3; limit: <= 1". NULL: OOM. */
static char *
failure_message(const struct result *r)
{
	char *obs = report_observed(r), *lim = report_limit(r), *s;

	s = obs == NULL || lim == NULL ? NULL :
	    text_fmt("observed: %s; limit: %s", obs, lim);
	free(obs);
	free(lim);
	return s;
}

/*
 * One testcase: its report line as the <failure>'s text for FAIL, the
 * <skipped>'s for SKIP, and <system-out> for PASS. 0, or -1.
 */
static int
testcase(xmlTextWriterPtr w, const struct result *r)
{
	char *line, *msg = NULL;
	int rc = -1;

	if ((line = report_line(r)) == NULL)
		return -1;
	if (xmlTextWriterStartElement(w, X("testcase")) < 0 ||
	    attr(w, "name", r->name) == -1 ||
	    attr(w, "classname", "soak-gate") == -1)
		goto out;
	if (r->status == C_FAIL)
		rc = (msg = failure_message(r)) == NULL ? -1 :
		    element(w, "failure", msg, line);
	else if (r->status == C_SKIP)
		rc = element(w, "skipped", r->detail, line);
	else
		rc = element(w, "system-out", NULL, line);
	if (rc == 0 && xmlTextWriterEndElement(w) < 0)
		rc = -1;
out:
	free(msg);
	free(line);
	return rc;
}

/* <property name="name" value="value"/>, unless value is NULL. 0, or -1. */
static int
property(xmlTextWriterPtr w, const char *name, const char *value)
{
	if (value == NULL)
		return 0;
	return xmlTextWriterStartElement(w, X("property")) < 0 ||
	    attr(w, "name", name) == -1 || attr(w, "value", value) == -1 ||
	    xmlTextWriterEndElement(w) < 0 ? -1 : 0;
}

/* <properties>: the input, the baseline if any, the verdict line. 0, -1. */
static int
properties(xmlTextWriterPtr w, const char *input, const struct verdict *v)
{
	char *summary;
	int rc;

	if ((summary = report_summary(v)) == NULL)
		return -1;
	rc = xmlTextWriterStartElement(w, X("properties")) < 0 ||
	    property(w, "input", input) == -1 ||
	    property(w, "baseline", v->baseline) == -1 ||
	    property(w, "verdict", summary) == -1 ||
	    xmlTextWriterEndElement(w) < 0 ? -1 : 0;
	free(summary);
	return rc;
}

/* line and a newline as text, then freed: 0, or -1 (NULL: out of memory). */
static int
text_line(xmlTextWriterPtr w, char *line)
{
	char *s;
	int rc;

	if (line == NULL || (s = text_safe(line)) == NULL) {
		free(line);
		return -1;
	}
	rc = xmlTextWriterWriteString(w, X(s)) < 0 ||
	    xmlTextWriterWriteString(w, X("\n")) < 0 ? -1 : 0;
	free(s);
	free(line);
	return rc;
}

/* The suite's <system-out>: the WARN and INFO lines of a comparison. */
static int
suite_out(xmlTextWriterPtr w, const struct verdict *v)
{
	size_t i;

	if (v->ndiffs == 0 && v->nlat == 0)
		return 0;
	if (xmlTextWriterStartElement(w, X("system-out")) < 0)
		return -1;
	for (i = 0; i < v->ndiffs; i++)
		if (text_line(w, baseline_warn_line(&v->diffs[i])) == -1)
			return -1;
	for (i = 0; i < v->nlat; i++)
		if (text_line(w, baseline_info_line(&v->lat[i])) == -1)
			return -1;
	return xmlTextWriterEndElement(w) < 0 ? -1 : 0;
}

/* The document: one <testsuite> of every criterion. 0, or -1. */
static int
testsuite(xmlTextWriterPtr w, const char *input, const struct verdict *v)
{
	size_t i;

	if (xmlTextWriterSetIndent(w, 1) < 0 ||
	    xmlTextWriterSetIndentString(w, X("  ")) < 0 ||
	    xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0 ||
	    xmlTextWriterStartElement(w, X("testsuite")) < 0 ||
	    attr(w, "name", "soak-gate") == -1 ||
	    attr_count(w, "tests", v->n) == -1 ||
	    attr_count(w, "failures", v->failed) == -1 ||
	    attr_count(w, "errors", 0) == -1 ||
	    attr_count(w, "skipped", v->skipped) == -1 ||
	    properties(w, input, v) == -1)
		return -1;
	for (i = 0; i < v->n; i++)
		if (testcase(w, &v->results[i]) == -1)
			return -1;
	if (suite_out(w, v) == -1)
		return -1;
	return xmlTextWriterEndDocument(w) < 0 ? -1 : 0;
}

/* libxml2's messages say nothing the caller's diagnostic will not. */
static void
quiet(void *ctx, xmlErrorPtr e)
{
	(void)ctx, (void)e;
}

/* The document on fp through a writer of its own: 0, or -1. */
static int
junit_write(FILE *fp, const char *input, const struct verdict *v)
{
	xmlOutputBufferPtr out;
	xmlTextWriterPtr w;
	int rc;

	if ((out = xmlOutputBufferCreateFile(fp, NULL)) == NULL)
		return -1;
	if ((w = xmlNewTextWriter(out)) == NULL) {
		xmlOutputBufferClose(out);
		return -1;
	}
	rc = testsuite(w, input, v);
	if (xmlTextWriterFlush(w) < 0)
		rc = -1;
	xmlFreeTextWriter(w);
	return rc;
}

int
report_junit(FILE *fp, const char *input, const struct verdict *v)
{
	xmlStructuredErrorFunc handler = xmlStructuredError;
	void *ctx = xmlStructuredErrorContext;
	int rc;

	errno = 0;
	xmlSetStructuredErrorFunc(NULL, quiet);
	rc = junit_write(fp, input, v);
	xmlSetStructuredErrorFunc(ctx, handler);
	if (rc == -1 && errno == 0)
		errno = EIO;
	return rc == -1 || ferror(fp) ? -1 : 0;
}
