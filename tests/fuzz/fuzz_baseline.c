/*
 * libFuzzer target for soak-gate --baseline: the input is the baseline
 * document, a NUL byte, then the metrics document (JSON holds no NUL, so
 * the split is unambiguous). Checks the baseline as soak-gate does,
 * judges the metrics against it whatever that said (the comparison must
 * hold up against any document), with tolerances taken from the input's
 * length, and renders and checks every output.
 */
#include <stdint.h>
#include <string.h>

#include "../../gate/baseline.h"
#include "../../gate/criteria.h"
#include "../../gate/doc.h"
#include "gate_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* One document of len bytes at p, an object, or NULL. */
static struct jnode *
object(const uint8_t *p, size_t len)
{
	struct jnode *d;
	char err[512];

	d = doc_parse(p, len, err, sizeof(err));
	if (d != NULL && doc_type(d) != J_OBJECT) {
		doc_free(d);
		d = NULL;
	}
	return d;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gate_config cfg;
	struct jnode *base, *doc;
	struct verdict *v;
	const uint8_t *nul;
	char buf[256];
	size_t i, blen;

	if ((nul = memchr(data, '\0', size)) == NULL)
		return 0;
	blen = (size_t)(nul - data);
	base = object(data, blen);
	doc = object(nul + 1, size - blen - 1);
	if (base != NULL && doc != NULL) {
		(void)baseline_refuse(base, buf, sizeof(buf));
		gate_config_init(&cfg);
		cfg.baseline = base;
		cfg.baseline_name = "<base&\xfe>";
		for (i = 0; i < RISE_N; i++)
			cfg.max_rise[i] = (long long)((size >> i) & 1);
		if ((v = gate_evaluate(doc, &cfg)) != NULL) {
			if (!v->badtype)
				check_outputs(v);
			gate_verdict_free(v);
		}
		gate_config_free(&cfg);
	}
	doc_free(base);
	doc_free(doc);
	return 0;
}
