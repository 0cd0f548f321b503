/*
 * libFuzzer target for soak-extract: the input is a soak-events(5)
 * stream.  Every line, split as the tool splits it, goes through the
 * parser and the metrics, and the document written must be one valid
 * JSON object in valid UTF-8 (RFC 3629, as the tool checks it).  With a
 * run id, the document must be the same whether the pre-filter skips
 * lines or every line is parsed (malformed lines the filter would skip
 * left uncounted): the filter never drops a line of the run.  The
 * document laid out as the tool prints it parses to the same value.
 */
#include <sys/mman.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yajl/yajl_gen.h>
#include <yajl/yajl_parse.h>

#include "../../extract/event.h"
#include "../../extract/filter.h"
#include "../../extract/layout.h"
#include "../../extract/lines.h"
#include "../../extract/metrics.h"
#include "../../extract/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Fold one line in; prefilter 0 parses it even when the filter would not. */
static void
fold_line(struct metrics *m, struct parser *p, const struct metrics_opts *o,
    int prefilter, const unsigned char *line, size_t len,
    unsigned long long lineno)
{
	struct event ev;
	const char *why;
	int skip, blank = line != NULL && event_blank(line, len);

	metrics_read(m, blank);
	if (blank)
		return;
	if (line == NULL) {
		metrics_malformed(m, lineno);
		return;
	}
	skip = o->run_id != NULL &&
	    filter_usable(o->run_id, o->run_id_len) &&
	    !filter_may_match(line, len, o->run_id, o->run_id_len);
	if (skip && prefilter)
		return;
	if (parser_rewind(p, len + EVENT_REASON_MAX + 64) == -1)
		abort();
	switch (parser_line(p, line, len, &ev, &why)) {
	case PARSE_EVENT:
		if (metrics_event(m, &ev) == -1)
			abort();
		break;
	case PARSE_MALFORMED:
		if (why == NULL || *why == '\0')
			abort();
		if (!skip)
			metrics_malformed(m, lineno);
		break;
	default:
		abort();
	}
}

/* 1 when the len bytes are one JSON value in valid UTF-8. */
static int
valid(const unsigned char *doc, size_t len)
{
	yajl_handle h;
	int ok;

	if ((h = yajl_alloc(NULL, NULL, NULL)) == NULL)
		abort();
	ok = yajl_parse(h, doc, len) == yajl_status_ok &&
	    yajl_complete_parse(h) == yajl_status_ok &&
	    utf8_valid_prefix((const char *)doc, len) == len;
	yajl_free(h);
	return ok;
}

/* The document laid out as the tool prints it is still valid JSON. */
static void
check_layout(const unsigned char *doc, size_t len)
{
	struct layout *l;
	char *buf = NULL;
	size_t blen = 0;
	FILE *fp;

	if ((fp = open_memstream(&buf, &blen)) == NULL ||
	    (l = layout_new(fp)) == NULL)
		abort();
	layout_print(l, (const char *)doc, len);
	if (layout_end(l) == -1 || fclose(fp) == EOF)
		abort();
	layout_free(l);
	if (blen < len || buf[blen - 1] != '\n' ||
	    !valid((unsigned char *)buf, blen))
		abort();
	free(buf);
}

/*
 * The document for the stream; prefilter 0 parses every line.  check 1
 * checks that it is one valid JSON value in valid UTF-8, 2 also that it
 * is laid out as valid JSON.
 */
static yajl_gen
run(int fd, const struct metrics_opts *o, int prefilter, int check)
{
	struct metrics *m;
	struct parser *p;
	struct lines *l;
	const unsigned char *line, *doc;
	unsigned long long lineno = 0;
	yajl_gen g;
	size_t len, dlen;
	int got;

	if (lseek(fd, 0, SEEK_SET) != 0 || (l = lines_new(fd)) == NULL ||
	    (m = metrics_new(o)) == NULL || (p = parser_new()) == NULL)
		abort();
	while ((got = lines_next(l, &line, &len)) == 1)
		fold_line(m, p, o, prefilter, line, len, ++lineno);
	if (got == -1)
		abort();
	lines_free(l);
	if ((g = yajl_gen_alloc(NULL)) == NULL || metrics_write(m, g) == -1)
		abort();
	yajl_gen_get_buf(g, &doc, &dlen);
	if (dlen == 0 || doc[0] != '{' || (check >= 1 && !valid(doc, dlen)))
		abort();
	if (check >= 2)
		check_layout(doc, dlen);
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

/*
 * The input is written to one memory file, made once, for the tool's own
 * line splitter.  The document without a run id is checked in full, the
 * one with a run id for validity, and the one parsed without the filter
 * must be byte for byte that one.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	struct metrics_opts o;
	yajl_gen a, b;

	if (fd == -1 && (fd = memfd_create("fuzz_extract", 0)) == -1)
		abort();
	if (ftruncate(fd, 0) == -1 ||
	    (size > 0 && pwrite(fd, data, size, 0) != (ssize_t)size))
		abort();
	memset(&o, 0, sizeof(o));
	yajl_gen_free(run(fd, &o, 1, 2));
	o.run_id = "r1";
	o.run_id_len = 2;
	o.window = 3;
	a = run(fd, &o, 1, 1);
	b = run(fd, &o, 0, 0);
	if (!same(a, b))
		abort();
	yajl_gen_free(a);
	yajl_gen_free(b);
	return 0;
}
