/*
 * libFuzzer target for soak-extract: the input is a soak-events(5)
 * stream.  Every line goes through the parser and the metrics, with and
 * without the --run-id pre-filter, and the document written must be one
 * valid JSON object in valid UTF-8, or the target aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>
#include <yajl/yajl_parse.h>

#include "../../extract/event.h"
#include "../../extract/filter.h"
#include "../../extract/metrics.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
run(const uint8_t *data, size_t size, const struct metrics_opts *o)
{
	struct metrics *m;
	struct parser *p;
	struct event ev;
	const unsigned char *line, *end = data + size, *nl;
	const unsigned char *doc;
	const char *why;
	unsigned long long lineno = 0;
	yajl_handle h;
	yajl_gen g;
	size_t len, dlen;

	if ((m = metrics_new(o)) == NULL || (p = parser_new()) == NULL)
		abort();
	for (line = data; line < end; line = nl + 1) {
		if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
			nl = end;
		len = (size_t)(nl - line);
		lineno++;
		metrics_read(m, len == 0);
		if (len == 0 || (o->run_id != NULL &&
		    filter_usable(o->run_id, o->run_id_len) &&
		    !filter_may_match(line, len, o->run_id, o->run_id_len)))
			continue;
		if (parser_rewind(p, len + EVENT_REASON_MAX + 64) == -1)
			abort();
		switch (parser_line(p, line, len, &ev, &why)) {
		case 0:
			if (metrics_event(m, &ev) == -1)
				abort();
			break;
		case -1:
			if (why == NULL || *why == '\0')
				abort();
			metrics_malformed(m, lineno);
			break;
		default:
			abort();
		}
	}
	if ((g = yajl_gen_alloc(NULL)) == NULL || metrics_write(m, g) == -1)
		abort();
	yajl_gen_get_buf(g, &doc, &dlen);
	/* The document parses as one value, UTF-8 checked. */
	if ((h = yajl_alloc(NULL, NULL, NULL)) == NULL ||
	    yajl_parse(h, doc, dlen) != yajl_status_ok ||
	    yajl_complete_parse(h) != yajl_status_ok || doc[0] != '{')
		abort();
	yajl_free(h);
	yajl_gen_free(g);
	parser_free(p);
	metrics_free(m);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct metrics_opts o;

	memset(&o, 0, sizeof(o));
	run(data, size, &o);
	o.run_id = "r1";
	o.run_id_len = 2;
	o.window = 3;
	run(data, size, &o);
	return 0;
}
