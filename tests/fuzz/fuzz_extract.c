/*
 * libFuzzer target for soak-extract: the input is a soak-events(5)
 * stream.  Every line goes through the parser and the metrics, and the
 * document written must be one valid JSON object in valid UTF-8.  With a
 * run id, the document must be the same whether the pre-filter skips
 * lines or every line is parsed (malformed lines the filter would skip
 * left uncounted): the filter never drops a line of the run.
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

/* The document for the stream; prefilter 0 parses every line. */
static yajl_gen
run(const uint8_t *data, size_t size, const struct metrics_opts *o,
    int prefilter)
{
	struct metrics *m;
	struct parser *p;
	struct event ev;
	const unsigned char *line, *end = data + size, *nl;
	const unsigned char *doc;
	const char *why;
	unsigned long long lineno = 0;
	int skip;
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
		skip = o->run_id != NULL &&
		    filter_usable(o->run_id, o->run_id_len) &&
		    !filter_may_match(line, len, o->run_id, o->run_id_len);
		if (len == 0 || (skip && prefilter))
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
			if (!skip)
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
	parser_free(p);
	metrics_free(m);
	return g;
}

static int
same(yajl_gen a, yajl_gen b)
{
	const unsigned char *x, *y;
	size_t xl, yl;

	yajl_gen_get_buf(a, &x, &xl);
	yajl_gen_get_buf(b, &y, &yl);
	return xl == yl && memcmp(x, y, xl) == 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct metrics_opts o;

	yajl_gen a, b;

	memset(&o, 0, sizeof(o));
	yajl_gen_free(run(data, size, &o, 1));
	o.run_id = "r1";
	o.run_id_len = 2;
	o.window = 3;
	a = run(data, size, &o, 1);
	b = run(data, size, &o, 0);
	if (!same(a, b))
		abort();
	yajl_gen_free(a);
	yajl_gen_free(b);
	return 0;
}
