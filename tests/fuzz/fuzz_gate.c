/*
 * libFuzzer target for soak-gate: the input is a --require expression,
 * a newline, then a metrics document. Reads the document, parses the
 * expression, evaluates every criterion and renders every line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../gate/criteria.h"
#include "../../gate/doc.h"
#include "../../gate/report.h"
#include "../../gate/require.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gate_config cfg;
	struct require r;
	struct verdict *v;
	struct jnode *doc, *rate;
	const uint8_t *nl;
	char err[512], *expr;
	size_t i, elen;

	nl = memchr(data, '\n', size);
	elen = nl ? (size_t)(nl - data) : 0;
	if ((expr = strndup((const char *)data, elen)) == NULL)
		return 0;
	gate_config_init(&cfg);
	if (gate_parse_require(expr, &r, err, sizeof(err)) == 0) {
		cfg.requires = malloc(sizeof(r));
		if (cfg.requires != NULL) {
			cfg.requires[0] = r;
			cfg.nrequires = 1;
		} else {
			free(r.pointer);
			doc_free(r.limit);
		}
	}
	if ((rate = gate_parse_rate(expr, err, sizeof(err))) != NULL)
		cfg.min_warm_hit_rate = rate;
	if (nl != NULL) {
		doc = doc_parse(nl + 1, size - elen - 1, err, sizeof(err));
		if (doc != NULL && doc_type(doc) == J_OBJECT &&
		    (v = gate_evaluate(doc, &cfg)) != NULL) {
			for (i = 0; i < v->n; i++)
				free(report_line(&v->results[i]));
			gate_verdict_free(v);
		}
		doc_free(doc);
	}
	gate_config_free(&cfg);
	free(expr);
	return 0;
}
