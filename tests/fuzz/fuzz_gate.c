/*
 * libFuzzer target for soak-gate: the input is a --require expression,
 * a newline, then a metrics document. Reads the document, parses the
 * expression (its last byte also picks criteria to --skip), evaluates
 * every criterion and renders every output, checking that each is well
 * formed: the verdict JSON parses, the JUnit XML parses, and every row of
 * the Markdown table has its four cells.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../gate/criteria.h"
#include "../../gate/doc.h"
#include "../../gate/require.h"
#include "gate_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

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
