/*
 * libFuzzer target for soak-extract: the input is a soak-events(5)
 * stream.  Every line, split as the tool splits it, is read once and
 * folded into three analyses, and each document written must be one
 * valid JSON object in valid UTF-8 (RFC 3629, as the tool checks it).
 * With a run id, the document must be the same whether the pre-filter
 * skips lines or every line is parsed (malformed lines the filter would
 * skip left uncounted): the filter never drops a line of the run.  The
 * document laid out as the tool prints it parses to the same value.
 * The lines parsed a chunk at a time, as the tool does, give the events
 * they give one by one, and a chunk is refused only when one of its
 * lines is malformed.
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
#include "../extract/event_same.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * The three analyses of one stream, fed in one pass: all, without a run
 * id, and parsed, with one, take every line; filtered, with the same run
 * id, takes only the lines the pre-filter lets through, as the tool does.
 * A parser keeps state from line to line, so filtered has its own, which
 * sees only its lines; all and parsed share one that sees every line.
 */
struct three {
	struct metrics	*all, *filtered, *parsed;
	struct parser	*every, *kept;
};

/* The line parsed by p: PARSE_EVENT with *ev set, or PARSE_MALFORMED. */
static enum parse_rc
parse(struct parser *p, const unsigned char *line, size_t len,
    struct event *ev)
{
	const char *why;
	enum parse_rc rc;

	if (parser_rewind(p, len + EVENT_REASON_MAX + 64) == -1)
		abort();
	rc = parser_line(p, line, len, ev, &why);
	if (rc != PARSE_EVENT &&
	    (rc != PARSE_MALFORMED || why == NULL || *why == '\0'))
		abort();
	return rc;
}

/*
 * Fold one line into the three.  A malformed line the filter skips is
 * counted by all only: with a run id, parsed leaves it uncounted, so that
 * parsed and filtered differ only if the filter drops a line of the run.
 */
static void
fold_line(struct three *t, const struct metrics_opts *o,
    const unsigned char *line, size_t len, unsigned long long lineno)
{
	struct event ev, kev;
	int skip, blank = line != NULL && event_blank(line, len);

	metrics_read(t->all, blank);
	metrics_read(t->filtered, blank);
	metrics_read(t->parsed, blank);
	if (blank)
		return;
	if (line == NULL) {
		metrics_malformed(t->all, lineno);
		metrics_malformed(t->filtered, lineno);
		metrics_malformed(t->parsed, lineno);
		return;
	}
	skip = filter_usable(o->run_id, o->run_id_len) &&
	    !filter_may_match(line, len, o->run_id, o->run_id_len);
	if (parse(t->every, line, len, &ev) == PARSE_EVENT) {
		if (metrics_event(t->all, &ev) == -1 ||
		    metrics_event(t->parsed, &ev) == -1)
			abort();
	} else {
		metrics_malformed(t->all, lineno);
		if (!skip)
			metrics_malformed(t->parsed, lineno);
	}
	if (skip)
		return;
	if (parse(t->kept, line, len, &kev) == PARSE_EVENT) {
		if (metrics_event(t->filtered, &kev) == -1)
			abort();
	} else
		metrics_malformed(t->filtered, lineno);
}

/* Lines gathered into a chunk, CHUNK_MAX at most, and their events. */
#define CHUNK_MAX	32
struct chunk {
	unsigned char	*buf;
	size_t		 len, cap;
	size_t		 off[CHUNK_MAX], llen[CHUNK_MAX], n;
	int		 whole;		/* no line was too long */
	struct event	 ev[CHUNK_MAX];
	struct parser	*p, *each;
};

static struct event *
chunk_at(void *arg, size_t i)
{
	return &((struct chunk *)arg)->ev[i];
}

/*
 * Parse the chunk at once: the events must be those of its lines parsed
 * one by one, and a refusal must come from a malformed line.
 */
static void
chunk_check(struct chunk *k)
{
	struct parser_chunk c = { k->buf, k->off, k->llen, k->n, chunk_at, k };
	struct event ev;
	enum parse_rc rc;
	size_t i;
	int bad = 0;

	if (k->whole) {
		if (parser_rewind(k->p, k->len + 64) == -1 ||
		    (rc = parser_chunk(k->p, &c)) == PARSE_NOMEM)
			abort();
		for (i = 0; i < k->n; i++) {
			if (event_blank(k->buf + k->off[i], k->llen[i]))
				continue;
			if (parse(k->each, k->buf + k->off[i], k->llen[i],
			    &ev) != PARSE_EVENT)
				bad = 1;
			else if (rc == PARSE_EVENT && !event_same(&k->ev[i], &ev))
				abort();
		}
		if ((rc == PARSE_EVENT) == bad)
			abort();
	}
	k->n = k->len = 0;
	k->whole = 1;
}

/* Add a line (NULL: too long) to the chunk, checking it when full. */
static void
chunk_add(struct chunk *k, const unsigned char *line, size_t len)
{
	if (line == NULL)
		k->whole = 0;
	else {
		if (k->cap - k->len <= len) {
			k->cap = (k->len + len + 1) * 2;
			if ((k->buf = realloc(k->buf, k->cap)) == NULL)
				abort();
		}
		if (len > 0)
			memcpy(k->buf + k->len, line, len);
		k->off[k->n] = k->len;
		k->llen[k->n] = len;
		k->len += len;
		k->buf[k->len++] = '\n';
	}
	if (++k->n == CHUNK_MAX)
		chunk_check(k);
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
 * m's document, m freed.  check 1 checks that it is one valid JSON value
 * in valid UTF-8, 2 also that it is laid out as valid JSON.
 */
static yajl_gen
document(struct metrics *m, int check)
{
	const unsigned char *doc;
	yajl_gen g;
	size_t dlen;

	if ((g = yajl_gen_alloc(NULL)) == NULL || metrics_write(m, g) == -1)
		abort();
	yajl_gen_get_buf(g, &doc, &dlen);
	if (dlen == 0 || doc[0] != '{' || (check >= 1 && !valid(doc, dlen)))
		abort();
	if (check >= 2)
		check_layout(doc, dlen);
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
 * line splitter, and its lines are read once for the three analyses.
 * The document without a run id is checked in full, the filtered one
 * for validity, and the parsed one must be byte for byte the filtered.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	struct metrics_opts all, run;
	const unsigned char *line;
	unsigned long long lineno = 0;
	static struct chunk k;
	struct three t;
	struct lines *l;
	yajl_gen a, b;
	size_t len;
	int got;

	if (fd == -1 && (fd = memfd_create("fuzz_extract", 0)) == -1)
		abort();
	if (ftruncate(fd, 0) == -1 ||
	    (size > 0 && pwrite(fd, data, size, 0) != (ssize_t)size) ||
	    lseek(fd, 0, SEEK_SET) != 0)
		abort();
	memset(&all, 0, sizeof(all));
	run = all;
	run.run_id = "r1";
	run.run_id_len = 2;
	run.window = 3;
	if ((l = lines_new(fd)) == NULL ||
	    (t.every = parser_new()) == NULL ||
	    (t.kept = parser_new()) == NULL ||
	    (t.all = metrics_new(&all)) == NULL ||
	    (t.filtered = metrics_new(&run)) == NULL ||
	    (t.parsed = metrics_new(&run)) == NULL ||
	    (k.p = parser_new()) == NULL || (k.each = parser_new()) == NULL)
		abort();
	k.n = k.len = 0;
	k.whole = 1;
	while ((got = lines_next(l, &line, &len)) == 1) {
		fold_line(&t, &run, line, len, ++lineno);
		chunk_add(&k, line, len);
	}
	if (got == -1)
		abort();
	if (k.n > 0)
		chunk_check(&k);
	parser_free(k.p);
	parser_free(k.each);
	lines_free(l);
	parser_free(t.every);
	parser_free(t.kept);
	yajl_gen_free(document(t.all, 2));
	a = document(t.filtered, 1);
	b = document(t.parsed, 0);
	if (!same(a, b))
		abort();
	yajl_gen_free(a);
	yajl_gen_free(b);
	return 0;
}
