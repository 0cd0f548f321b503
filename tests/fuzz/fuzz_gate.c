/*
 * libFuzzer target for soak-gate: the input is a --require expression,
 * a newline, then a metrics document. Reads the document, parses the
 * expression (its last byte also picks criteria to --skip), evaluates
 * every criterion and renders every output, checking that each is well
 * formed: the verdict JSON parses, the JUnit XML parses, and every row of
 * the Markdown table has its four cells.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "../../gate/criteria.h"
#include "../../gate/doc.h"
#include "../../gate/junit.h"
#include "../../gate/markdown.h"
#include "../../gate/report.h"
#include "../../gate/require.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

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

/* Every line of a Markdown table holds five | that are not escaped. */
static void
check_markdown(const char *md)
{
	const char *p;
	int bars = 0, row = 0;

	for (p = md; *p != '\0'; p++) {
		if (p == md || p[-1] == '\n')
			row = *p == '|', bars = 0;
		if (*p == '\\' && p[1] == '|')
			p++;
		else if (*p == '|')
			bars++;
		if (*p == '\n' && row && bars != 5)
			abort();
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

/* The config of the expression line: a --require, a rate, --skip bits. */
static void
config(struct gate_config *cfg, const char *expr, size_t elen)
{
	struct require r;
	char err[512];

	gate_config_init(cfg);
	if (gate_parse_require(expr, &r, err, sizeof(err)) == 0) {
		if ((cfg->requires = malloc(sizeof(r))) != NULL) {
			cfg->requires[0] = r;
			cfg->nrequires = 1;
		} else {
			free(r.pointer);
			doc_free(r.limit);
		}
	}
	cfg->min_warm_hit_rate = gate_parse_rate(expr, err, sizeof(err));
	if (elen > 0)
		cfg->skip = (unsigned char)expr[elen - 1];
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gate_config cfg;
	struct verdict *v;
	struct jnode *doc;
	const uint8_t *nl;
	char err[512], *expr;
	size_t elen;

	nl = memchr(data, '\n', size);
	elen = nl ? (size_t)(nl - data) : 0;
	if ((expr = strndup((const char *)data, elen)) == NULL)
		return 0;
	config(&cfg, expr, strlen(expr));
	if (nl != NULL) {
		doc = doc_parse(nl + 1, size - elen - 1, err, sizeof(err));
		if (doc != NULL && doc_type(doc) == J_OBJECT &&
		    (v = gate_evaluate(doc, &cfg)) != NULL) {
			if (!v->badtype)
				check_outputs(v);
			gate_verdict_free(v);
		}
		doc_free(doc);
	}
	gate_config_free(&cfg);
	free(expr);
	return 0;
}
