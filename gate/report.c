/*
 * report: soak-gate's output, the text report and the verdict document,
 * every JSON byte through the checked writers of jgen.
 */
#include <stdio.h>

#include "criteria.h"
#include "jgen.h"
#include "report.h"

void
report_text(FILE *fp, const struct verdict *v)
{
	char line[1024];
	size_t i;

	for (i = 0; i < v->n; i++) {
		gate_result_line(&v->results[i], line, sizeof(line));
		fprintf(fp, "%s\n", line);
	}
	if (v->failed)
		fprintf(fp, "FAIL (%zu of %zu criteria failed)\n", v->failed,
		    v->n);
	else
		fprintf(fp, "PASS\n");
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
	jgen_scalar(j, r->observed);
	jgen_str(j, "present");
	jgen_bool(j, r->observed != NULL);
	jgen_str(j, "operator");
	jgen_str(j, gate_op_name(r->op));
	jgen_str(j, "limit");
	jgen_scalar(j, r->limit);
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
	const unsigned char *buf;
	size_t i, len;
	int rc = -1;

	if ((j = jgen_new(1)) == NULL)
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
	if (jgen_buf(j, &buf, &len) == 0 && fwrite(buf, 1, len, fp) == len)
		rc = 0;
	jgen_free(j);
	return rc;
}
