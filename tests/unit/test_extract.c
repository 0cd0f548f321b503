/* Unit tests for soak-extract's pure parts: quantiles, tables, UTF-8,
 * the run-id pre-filter and the line parser. */
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <yajl/yajl_tree.h>

#include "../../extract/event.h"
#include "../../extract/filter.h"
#include "../../extract/layout.h"
#include "../../extract/lines.h"
#include "../../extract/stats.h"
#include "../../extract/strtab.h"
#include "../../extract/tree.h"
#include "../../extract/utf8.h"
#include "../extract/event_same.h"
#include "xorshift.h"

static int
dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The nearest-rank definition, by sorting every value. */
static double
sorted_quantile(const double *v, size_t n, double q)
{
	size_t i = (size_t)((double)n * q);

	return v[i > n - 1 ? n - 1 : i];
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

/* next: the next value of this file's stream of test inputs. */
static uint64_t
next(void)
{
	return xorshift_next(&rng);
}

static void
check_against_sort(size_t n, int fractional, unsigned range, unsigned base)
{
	static const double q[] = { 0.0, 0.5, 0.95, 0.99, 1.0 };
	double *v, out[5];
	struct stats *s;
	size_t i, k;

	assert_non_null(v = calloc(n, sizeof(*v)));
	assert_non_null(s = stats_new());
	for (i = 0; i < n; i++) {
		v[i] = (double)(base + next() % range);
		/* 1: all fractional; 2: whole and fractional mixed. */
		if (fractional == 1 || (fractional == 2 && next() % 2))
			v[i] += (double)(next() % 1000) / 1000.0 - 0.5;
		assert_int_equal(stats_add(s, v[i]), 0);
	}
	qsort(v, n, sizeof(*v), dcmp);
	assert_int_equal(stats_count(s), n);
	assert_int_equal(stats_quantiles(s, q, out, 5), 0);
	for (k = 0; k < 5; k++)
		assert_true(out[k] == sorted_quantile(v, n, q[k]));
	assert_true(stats_max(s) == v[n - 1]);
	stats_free(s);
	free(v);
}

static void
test_quantiles_random(void **state)
{
	static const size_t sizes[] = { 1, 2, 3, 10, 19, 20, 21, 99, 100,
	    101, 199, 200, 1000, 4097, 100000 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		check_against_sort(sizes[i], 0, 50, 0);
		check_against_sort(sizes[i], 0, 1000000, 0);
		check_against_sort(sizes[i], 1, 20, 0);
		check_against_sort(sizes[i], 1, 100000, 0);
		check_against_sort(sizes[i], 0, 2048, 0);
		check_against_sort(sizes[i], 2, 1100, 0);
		/* A band of whole numbers away from 0, and one across 1024. */
		check_against_sort(sizes[i], 0, 40, 600);
		check_against_sort(sizes[i], 2, 60, 1000);
	}
}

static void
test_quantiles_twenty(void **state)
{
	/* Twenty values: p50 is v[10], p95 is v[19], p99 is v[19]. */
	static const double q[] = { 0.50, 0.95, 0.99 };
	double out[3];
	struct stats *s;
	int i;

	(void)state;
	assert_non_null(s = stats_new());
	assert_int_equal(stats_quantiles(s, q, out, 3), -1);
	for (i = 20; i >= 1; i--)
		assert_int_equal(stats_add(s, i), 0);
	assert_int_equal(stats_quantiles(s, q, out, 3), 0);
	assert_true(out[0] == 11);
	assert_true(out[1] == 20);
	assert_true(out[2] == 20);
	assert_int_equal(stats_distinct(s), 20);
	stats_free(s);
}

static void
test_quantiles_distinct_memory(void **state)
{
	struct stats *s;
	int i;

	(void)state;
	assert_non_null(s = stats_new());
	for (i = 0; i < 1000000; i++)
		assert_int_equal(stats_add(s, (double)(i % 7) + 0.25), 0);
	assert_int_equal(stats_count(s), 1000000);
	assert_int_equal(stats_distinct(s), 7);
	stats_free(s);
}

static void
test_strtab(void **state)
{
	struct strtab *t;
	struct strtab_ent *e, **v;
	char key[32];
	int created, i;

	(void)state;
	assert_non_null(t = strtab_new());
	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "k%d", i % 1000);
		assert_non_null(e = strtab_get(t, key, strlen(key), &created));
		assert_int_equal(created, i < 1000);
		e->n++;
	}
	assert_int_equal(strtab_count(t), 1000);
	assert_null(strtab_get(t, "nope", 4, NULL));
	/* Keys are bytes: NUL inside, and a prefix sorts first. */
	assert_non_null(e = strtab_get(t, "a\0b", 3, &created));
	assert_true(created);
	assert_non_null(e = strtab_get(t, "a", 1, &created));
	assert_true(created);
	assert_non_null(e = strtab_get(t, "a\0b", 3, &created));
	assert_false(created);
	assert_non_null(v = strtab_sorted(t));
	assert_int_equal(v[0]->len, 1);
	assert_memory_equal(v[1]->key, "a\0b", 3);
	assert_string_equal(v[2]->key, "k0");
	assert_int_equal(v[2]->n, 5);
	assert_null(v[1002]);
	free(v);
	strtab_free(t);
}

static void
test_utf8(void **state)
{
	char out[64];
	size_t n;

	(void)state;
	assert_int_equal(utf8_valid_prefix("abc\xc3\xa9", 5), 5);
	assert_int_equal(utf8_valid_prefix("ab\xff", 3), 2);
	assert_int_equal(utf8_valid_prefix("\xc0\xaf", 2), 0);	/* overlong */
	assert_int_equal(utf8_valid_prefix("\xed\xa0\x80", 3), 0);	/* surrogate */
	assert_int_equal(utf8_valid_prefix("\xf4\x90\x80\x80", 4), 0);
	assert_int_equal(utf8_valid_prefix("\xf0\x9f\x98\x80", 4), 4);
	assert_int_equal(utf8_valid_prefix("\xe2\x82", 2), 0);	/* truncated */
	n = utf8_repair("a\xff" "b\xe2\x82", 5, out);
	assert_int_equal(n, 1 + 3 + 1 + 3 + 3);
	assert_memory_equal(out, "a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd", n);
}

/* A valid name is itself, no copy; an invalid one its repair. */
static void
test_utf8_name(void **state)
{
	const char *valid = "ok\xc3\xa9", *bad = "x\xff";
	const char *r;
	char *tmp;
	size_t len;

	(void)state;
	len = 4;
	assert_ptr_equal(utf8_name(valid, &len, &tmp), valid);
	assert_null(tmp);
	assert_int_equal(len, 4);
	len = 0;
	assert_ptr_equal(utf8_name(valid, &len, &tmp), valid);
	assert_null(tmp);
	len = 2;
	r = utf8_name(bad, &len, &tmp);
	assert_non_null(tmp);
	assert_ptr_equal(r, tmp);
	assert_int_equal(len, 4);
	assert_memory_equal(r, "x\xef\xbf\xbd", 4);
	free(tmp);
}

/*
 * Every sequence at every offset of an ASCII run, and at its end: the
 * check reads ASCII eight bytes at a time, so a bad byte must stop it
 * wherever it falls in a word.
 */
static void
test_utf8_offsets(void **state)
{
	static const struct {
		const char *s;
		size_t len;
		int ok;
	} seq[] = {
		{ "\x7f", 1, 1 }, { "\0", 1, 1 }, { "\xc3\xa9", 2, 1 },
		{ "\xf0\x9f\x98\x80", 4, 1 }, { "\x80", 1, 0 },
		{ "\xff", 1, 0 }, { "\xc0\xaf", 2, 0 },
		{ "\xed\xa0\x80", 3, 0 }, { "\xe2\x82", 2, 0 },
	};
	char buf[64];
	size_t i, p, tail, len;

	(void)state;
	for (i = 0; i < sizeof(seq) / sizeof(seq[0]); i++)
		for (p = 0; p < 24; p++)
			for (tail = 0; tail < 12; tail += 11) {
				memset(buf, 'a', sizeof(buf));
				memcpy(buf + p, seq[i].s, seq[i].len);
				len = p + seq[i].len + tail;
				assert_int_equal(utf8_valid_prefix(buf, len),
				    seq[i].ok ? len : p);
			}
}

/*
 * The layout of a document with escapes in its strings, handed over
 * whole and in pieces of every size: the same bytes each time.
 */
static void
test_layout(void **state)
{
	static const char in[] =
	    "{\"a\":\"x\\\"y\\\\\",\"b\":[],\"c\":{\"d\":[1,\"e\\\\\\\",\"]},"
	    "\"f\":{},\"g\":\"\"}";
	static const char want[] =
	    "{\n"
	    "  \"a\": \"x\\\"y\\\\\",\n"
	    "  \"b\": [],\n"
	    "  \"c\": {\n"
	    "    \"d\": [\n"
	    "      1,\n"
	    "      \"e\\\\\\\",\"\n"
	    "    ]\n"
	    "  },\n"
	    "  \"f\": {},\n"
	    "  \"g\": \"\"\n"
	    "}\n";
	size_t piece, i, len = sizeof(in) - 1, blen;
	struct layout *l;
	char *buf;
	FILE *fp;

	(void)state;
	for (piece = 1; piece <= len; piece++) {
		assert_non_null(fp = open_memstream(&buf, &blen));
		assert_non_null(l = layout_new(fp));
		for (i = 0; i < len; i += piece)
			layout_print(l, in + i, len - i < piece ? len - i : piece);
		assert_int_equal(layout_end(l), 0);
		layout_free(l);
		assert_int_equal(fclose(fp), 0);
		assert_int_equal(blen, sizeof(want) - 1);
		assert_memory_equal(buf, want, blen);
		free(buf);
	}
}

#define LINE(s)	(const unsigned char *)(s), sizeof(s) - 1

static void
test_filter(void **state)
{
	(void)state;
	assert_true(filter_usable("wo-p3-0", 7));
	assert_false(filter_usable("", 0));
	assert_false(filter_usable("a/b", 3));
	assert_false(filter_usable("a\"b", 3));
	assert_false(filter_usable("a\\b", 3));
	assert_false(filter_usable("a\nb", 3));
	assert_true(filter_usable("caf\xc3\xa9", 5));
	assert_true(filter_may_match(LINE("{\"run_id\":\"wo-p3-0\"}"),
	    "wo-p3-0", 7));
	assert_false(filter_may_match(LINE("{\"run_id\":\"wo-p3-1\"}"),
	    "wo-p3-0", 7));
	/* "wo-p3-0" spelled with an escape must still be parsed. */
	assert_true(filter_may_match(LINE("{\"run_id\":\"wo-p3\\u002d0\"}"),
	    "wo-p3-0", 7));
	assert_false(filter_may_match(LINE("{\"run_id\":\"wo\\\\p3\"}"),
	    "wo-p3-0", 7));
}

/* The SIMD search against memmem, on random lines over a small alphabet. */
static void
test_filter_random(void **state)
{
	/* Mostly a, b and -, with a backslash or u one time in 16 each. */
	static const char alpha[] = "aaaaabbbbb----\\u";
	unsigned char line[120];
	char id[8];
	size_t len, idlen, i;
	int round, naive, seen[2] = { 0, 0 };

	(void)state;
	for (round = 0; round < 200000; round++) {
		len = next() % sizeof(line);
		idlen = 1 + next() % (sizeof(id) - 1);
		for (i = 0; i < len; i++)
			line[i] = (unsigned char)alpha[next() % 16];
		for (i = 0; i < idlen; i++)
			id[i] = "ab-"[next() % 3];
		naive = memmem(line, len, id, idlen) != NULL ||
		    memmem(line, len, "\\u", 2) != NULL;
		assert_int_equal(filter_may_match(line, len, id, idlen), naive);
		seen[naive]++;
	}
	/* Both answers were tested often. */
	assert_true(seen[0] > 20000 && seen[1] > 20000);
}

/* Integers exactly while they fit, everything else as a double. */
static void
test_event_number(void **state)
{
	static const struct {
		const char	*s;
		int		 isint, irange, finite;
		long long	 i;
		double		 d;
	} c[] = {
		{ "12", 1, 1, 1, 12, 12.0 },
		{ "-0", 1, 1, 1, 0, 0.0 },
		{ "0", 1, 1, 1, 0, 0.0 },
		{ "9223372036854775807", 1, 1, 1, LLONG_MAX, 9223372036854775807.0 },
		{ "-9223372036854775808", 1, 1, 1, LLONG_MIN, -9223372036854775808.0 },
		{ "9223372036854775808", 1, 0, 1, 0, 9223372036854775808.0 },
		{ "-9223372036854775809", 1, 0, 1, 0, -9223372036854775809.0 },
		{ "18446744073709551616", 1, 0, 1, 0, 18446744073709551616.0 },
		{ "123456789012345678901234", 1, 0, 1, 0, 123456789012345678901234.0 },
		{ "1.5", 0, 0, 1, 0, 1.5 },
		{ "-2e3", 0, 0, 1, 0, -2000.0 },
		{ "7E-1", 0, 0, 1, 0, 0.7 },
		{ "1e400", 0, 0, 0, 0, HUGE_VAL },
	};
	struct field f;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		memset(&f, 0, sizeof(f));
		event_number(&f, c[i].s, strlen(c[i].s));
		assert_int_equal(f.isint, c[i].isint);
		assert_int_equal(f.irange, c[i].irange);
		assert_int_equal(f.finite, c[i].finite);
		if (c[i].irange)
			assert_true(f.i == c[i].i);
		assert_true(f.d == c[i].d);
	}
}

static int
parse(struct parser *p, const char *s, struct event *ev, const char **why)
{
	return parser_line(p, (const unsigned char *)s, strlen(s), ev, why);
}

static void
test_parser_fields(void **state)
{
	struct parser *p;
	struct event ev;
	const char *why;

	(void)state;
	assert_non_null(p = parser_new());
	assert_int_equal(parse(p, "{\"cmd\":\"ast.cache.hit\",\"run_id\":"
	    "\"r\\u0031\",\"timing_ms\":12,\"args\":{\"cache_key\":\"k\","
	    "\"deep\":{\"cmd\":\"no\"}},\"result\":{\"status\":\"ok\","
	    "\"code\":5,\"events_emitted\":1e3},\"x\":{\"chaos\":true},"
	    "\"other\":[{\"cmd\":1}]}", &ev, &why), 0);
	assert_int_equal(event_get(&ev, F_CMD)->t, FT_STR);
	assert_memory_equal(event_get(&ev, F_CMD)->s, "ast.cache.hit", 13);
	assert_int_equal(ev.cmd, C_HIT);
	assert_int_equal(ev.key_hash, strtab_hash("k", 1));
	assert_int_equal(event_get(&ev, F_RUN_ID)->len, 2);
	assert_memory_equal(event_get(&ev, F_RUN_ID)->s, "r1", 2);
	assert_int_equal(event_get(&ev, F_TIMING)->t, FT_NUM);
	assert_true(event_get(&ev, F_TIMING)->isint);
	assert_int_equal(event_get(&ev, F_TIMING)->i, 12);
	assert_memory_equal(event_get(&ev, F_A_CACHE_KEY)->s, "k", 1);
	assert_int_equal(event_get(&ev, F_ARGS)->t, FT_MAP);
	assert_memory_equal(event_get(&ev, F_R_STATUS)->s, "ok", 2);
	assert_int_equal(event_get(&ev, F_R_CODE)->t, FT_NUM);
	assert_false(event_get(&ev, F_R_EVENTS_EMITTED)->isint);
	assert_true(event_get(&ev, F_R_EVENTS_EMITTED)->d == 1000.0);
	assert_int_equal(event_get(&ev, F_X_CHAOS)->t, FT_BOOL);
	assert_true(event_get(&ev, F_X_CHAOS)->b);
	assert_int_equal(event_get(&ev, F_A_OPS)->t, FT_ABSENT);
	assert_int_equal(parse(p, "{\"ts\":\"t\",\"x\":{\"worker\":3,"
	    "\"replaced_by\":null,\"chaos_state\":\"write\"}}", &ev, &why), 0);
	assert_memory_equal(event_get(&ev, F_TS)->s, "t", 1);
	assert_int_equal(event_get(&ev, F_X_WORKER)->i, 3);
	assert_int_equal(event_get(&ev, F_X_REPLACED_BY)->t, FT_NULL);
	assert_memory_equal(event_get(&ev, F_X_CHAOS_STATE)->s, "write", 5);

	/* A fractional timing, a string timing, a number cmd. */
	assert_int_equal(parse(p, "{\"timing_ms\":0.25,\"cmd\":5}", &ev,
	    &why), 0);
	assert_false(event_get(&ev, F_TIMING)->isint);
	assert_true(event_get(&ev, F_TIMING)->d == 0.25);
	assert_int_equal(event_get(&ev, F_CMD)->t, FT_NUM);
	assert_int_equal(ev.cmd, C_OTHER);
	assert_int_equal(parse(p, "{\"cmd\":\"soak.run.end\"}", &ev, &why), 0);
	assert_int_equal(ev.cmd, C_RUN_END);
	assert_int_equal(parse(p, "{\"cmd\":\"soak.run.ends\"}", &ev, &why), 0);
	assert_int_equal(ev.cmd, C_OTHER);
	assert_int_equal(parse(p, "{\"timing_ms\":\"12\",\"args\":[1]}", &ev,
	    &why), 0);
	assert_int_equal(event_get(&ev, F_TIMING)->t, FT_STR);
	assert_int_equal(event_get(&ev, F_ARGS)->t, FT_ARR);
	parser_free(p);
}

/* Lines made into one chunk, and where their events go. */
struct chunk_fix {
	unsigned char	 buf[4096];
	size_t		 off[16], len[16], n;
	struct event	 ev[16];
};

static struct event *
fix_at(void *arg, size_t i)
{
	return &((struct chunk_fix *)arg)->ev[i];
}

/*
 * What parser_chunk() says of the lines (a NULL ends them) with p; when
 * PARSE_EVENT, each line not blank is an event the same as parser_line()
 * makes of it.  *fx holds the events.
 */
static enum parse_rc
chunk(struct parser *p, const char *const *lines, struct chunk_fix *fx)
{
	struct parser_chunk c;
	struct parser *q;
	struct event ev;
	const char *why;
	size_t at = 0, i, l;
	enum parse_rc rc;

	for (fx->n = 0; *lines != NULL; lines++) {
		l = strlen(*lines);
		memcpy(fx->buf + at, *lines, l);
		fx->off[fx->n] = at;
		fx->len[fx->n++] = l;
		at += l;
		fx->buf[at++] = '\n';
	}
	c = (struct parser_chunk){ fx->buf, fx->off, fx->len, fx->n, fix_at,
	    fx };
	assert_int_equal(parser_rewind(p, at + 64), 0);
	rc = parser_chunk(p, &c);
	assert_non_null(q = parser_new());
	for (i = 0; rc == PARSE_EVENT && i < fx->n; i++) {
		if (event_blank(fx->buf + fx->off[i], fx->len[i]))
			continue;
		assert_int_equal(parser_line(q, fx->buf + fx->off[i],
		    fx->len[i], &ev, &why), PARSE_EVENT);
		assert_true(event_same(&fx->ev[i], &ev));
	}
	parser_free(q);
	return rc;
}

/*
 * A chunk of objects, one a line, and blank lines parses at once; any
 * other chunk is left to be parsed line by line, and the parser goes on.
 */
static void
test_parser_chunk(void **state)
{
	static const char *const good[] = { "{\"cmd\":\"a\",\"timing_ms\":3}",
	    "", " \t\r", "\f{\"cmd\":\"b\\n\",\"args\":{\"cache_key\":\"k\"}}\v ",
	    "{\"ts\":\"2026-01-06T17:00:00Z\",\"x\":{\"worker\":-2}}", NULL };
	const char *const *const bad[] = {
		(const char *const[]){ "{\"cmd\":\"a\"}{\"cmd\":\"b\"}", NULL },
		(const char *const[]){ "{\"cmd\":", "\"a\"}", NULL },
		(const char *const[]){ "{}", "5", NULL },
		(const char *const[]){ "[{}]", NULL },
		(const char *const[]){ "{}", "{} 1", "{}", NULL },
		(const char *const[]){ "{}", "{} 1", NULL },
		(const char *const[]){ "{}{}", "", "{}", NULL },
		(const char *const[]){ "{\"cmd\":", "\"a\"}", "{}", NULL },
		(const char *const[]){ "{\"cmd\":", "\"a\"}{}", NULL },
		(const char *const[]){ "{}", "\f", "{}", NULL },
		(const char *const[]){ "{}", "\v", NULL },
		(const char *const[]){ "{}", "{\"cmd\"", NULL },
		(const char *const[]){ "{\"cmd\":\"a\"}\":1}}", "{}", NULL },
		(const char *const[]){ "nope", NULL },
		(const char *const[]){ "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
		    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]"
		    "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}", NULL },
	};
	static const char *const none[] = { NULL }, *const blank[] = { "",
	    "  ", NULL };
	struct chunk_fix fx;
	struct parser *p, *q;
	size_t i;

	(void)state;
	assert_non_null(p = parser_new());
	assert_int_equal(chunk(p, good, &fx), PARSE_EVENT);
	assert_int_equal(fx.ev[0].cmd, C_OTHER);
	assert_int_equal(event_get(&fx.ev[3], F_CMD)->len, 2);
	assert_memory_equal(event_get(&fx.ev[3], F_CMD)->s, "b\n", 2);
	assert_int_equal(fx.ev[3].key_hash, strtab_hash("k", 1));
	assert_true(fx.ev[4].ts_ok);
	assert_int_equal(event_get(&fx.ev[4], F_X_WORKER)->i, -2);
	assert_ptr_equal(fx.ev[4].line, fx.buf + fx.off[4]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		/* A new parser has no event of an earlier line to fall on. */
		assert_non_null(q = parser_new());
		assert_int_equal(chunk(q, bad[i], &fx), PARSE_MALFORMED);
		parser_free(q);
		assert_int_equal(chunk(p, bad[i], &fx), PARSE_MALFORMED);
		assert_int_equal(chunk(p, good, &fx), PARSE_EVENT);
	}
	assert_int_equal(chunk(p, none, &fx), PARSE_EVENT);
	assert_int_equal(chunk(p, blank, &fx), PARSE_EVENT);
	parser_free(p);
}

/* A repeated key replaces the earlier value whole, inner fields too. */
/* A second value after the object, even one cut short, fails that line
 * alone: an open string must not run on into the next line. */
static void
test_parser_trailing(void **state)
{
	struct parser *p;
	struct event ev;
	const char *why;

	(void)state;
	assert_non_null(p = parser_new());
	assert_int_equal(parse(p, "{\"cmd\":\"a\"}\":1}}\n", &ev, &why), -1);
	assert_string_equal(why, "more than one JSON value");
	assert_int_equal(parse(p, "{\"cmd\":\"b\"}\n", &ev, &why), 0);
	assert_memory_equal(event_get(&ev, F_CMD)->s, "b", 1);
	assert_int_equal(parse(p, "{\"cmd\":\"a\"} 1 \"x", &ev, &why), -1);
	assert_string_equal(why, "more than one JSON value");
	assert_int_equal(parse(p, "{\"cmd\":\"c\"} \t\r\n", &ev, &why), 0);
	assert_memory_equal(event_get(&ev, F_CMD)->s, "c", 1);
	assert_int_equal(parse(p, "1 \"x", &ev, &why), -1);
	assert_string_equal(why, "not a JSON object");
	assert_int_equal(parse(p, "{\"cmd\":\"d\"}", &ev, &why), 0);
	assert_memory_equal(event_get(&ev, F_CMD)->s, "d", 1);
	/* A form feed and a vertical tab are blanks to yajl, before the
	 * object, inside it and after it; alone they are no value. */
	assert_int_equal(parse(p, "\f{\"cmd\":\v\"e\"}\f\v \n", &ev, &why),
	    0);
	assert_memory_equal(event_get(&ev, F_CMD)->s, "e", 1);
	assert_int_equal(parse(p, " \f\v\r", &ev, &why), -1);
	assert_string_equal(why, "no JSON value");
	assert_int_equal(parse(p, "{\"cmd\":\"f\"}\f1", &ev, &why), -1);
	assert_string_equal(why, "more than one JSON value");
	parser_free(p);
}

static void
test_parser_dup_keys(void **state)
{
	struct parser *p;
	struct event ev;
	const char *why;

	(void)state;
	assert_non_null(p = parser_new());
	assert_int_equal(parse(p, "{\"cmd\":\"a\",\"cmd\":\"soak.verify\","
	    "\"result\":{\"lost\":1,\"status\":\"ok\"},\"result\":{\"corrupt\":0},"
	    "\"args\":{\"ops\":5},\"args\":null,\"x\":{\"chaos\":true},"
	    "\"x\":[1]}", &ev, &why), 0);
	assert_int_equal(ev.cmd, C_VERIFY);
	assert_int_equal(event_get(&ev, F_R_LOST)->t, FT_ABSENT);
	assert_int_equal(event_get(&ev, F_R_STATUS)->t, FT_ABSENT);
	assert_int_equal(event_get(&ev, F_R_CORRUPT)->t, FT_NUM);
	assert_int_equal(event_get(&ev, F_ARGS)->t, FT_NULL);
	assert_int_equal(event_get(&ev, F_A_OPS)->t, FT_ABSENT);
	assert_int_equal(event_get(&ev, F_X)->t, FT_ARR);
	assert_int_equal(event_get(&ev, F_X_CHAOS)->t, FT_ABSENT);
	/* Inner keys repeated: the last one. */
	assert_int_equal(parse(p, "{\"args\":{\"ops\":5,\"ops\":\"x\"}}", &ev,
	    &why), 0);
	assert_int_equal(event_get(&ev, F_A_OPS)->t, FT_STR);
	/*
	 * A string with an escape is copied out, one without is kept on the
	 * line; the last of the two is the one read, either way round.
	 */
	assert_int_equal(parse(p, "{\"cmd\":\"a\\u0062\",\"cmd\":\"c\"}", &ev,
	    &why), 0);
	assert_int_equal(event_get(&ev, F_CMD)->len, 1);
	assert_memory_equal(event_get(&ev, F_CMD)->s, "c", 1);
	assert_int_equal(parse(p, "{\"cmd\":\"c\",\"cmd\":\"a\\u0062\"}", &ev,
	    &why), 0);
	assert_int_equal(event_get(&ev, F_CMD)->len, 2);
	assert_memory_equal(event_get(&ev, F_CMD)->s, "ab", 2);
	/* Cut inside a string, with or without its newline: incomplete. */
	assert_int_equal(parse(p, "{\"cmd\":\"a", &ev, &why), -1);
	assert_string_equal(why, "incomplete JSON");
	assert_int_equal(parse(p, "{\"cmd\":\"a\n", &ev, &why), -1);
	assert_string_equal(why, "incomplete JSON");
	assert_int_equal(parse(p, "{\"cmd\":\"b\"}\n", &ev, &why), 0);
	assert_memory_equal(event_get(&ev, F_CMD)->s, "b", 1);
	parser_free(p);
}

static void
bad(struct parser *p, const char *s, const char *want)
{
	struct event ev;
	const char *why;

	assert_int_equal(parse(p, s, &ev, &why), -1);
	assert_string_equal(why, want);
	/* The parser goes on with the next line. */
	assert_int_equal(parse(p, "{\"cmd\":\"ok\"}", &ev, &why), 0);
	assert_memory_equal(event_get(&ev, F_CMD)->s, "ok", 2);
}

static void
test_parser_bad(void **state)
{
	struct parser *p;
	char deep[300];

	(void)state;
	assert_non_null(p = parser_new());
	bad(p, "[1]", "not a JSON object");
	bad(p, "42", "not a JSON object");
	bad(p, "\"s\"", "not a JSON object");
	bad(p, "null", "not a JSON object");
	bad(p, "{} {}", "more than one JSON value");
	bad(p, "{} 1", "more than one JSON value");
	bad(p, "{\"a\":", "incomplete JSON");
	bad(p, "{", "incomplete JSON");
	bad(p, "\"abc", "incomplete JSON");
	bad(p, "{\"a\":\"\001\"}", "malformed JSON (invalid character inside "
	    "string)");
	bad(p, "{1:2}", "malformed JSON (invalid object key (must be a "
	    "string))");
	bad(p, "{}x", "malformed JSON (invalid char in json text)");
	bad(p, "{\"a\":tru}", "malformed JSON (invalid string in json text)");
	memset(deep, '[', 65);
	memset(deep + 65, ']', 65);
	deep[130] = '\0';
	bad(p, deep, "nesting deeper than 64");
	deep[0] = '{';
	deep[1] = '\0';
	bad(p, deep, "incomplete JSON");
	parser_free(p);
}

static void
test_parser_depth_64(void **state)
{
	struct parser *p;
	struct event ev;
	const char *why;
	char deep[300];

	(void)state;
	assert_non_null(p = parser_new());
	strcpy(deep, "{\"a\":");
	memset(deep + 5, '[', 63);
	memset(deep + 68, ']', 63);
	strcpy(deep + 131, "}");
	assert_int_equal(parse(p, deep, &ev, &why), 0);
	/* One more level is too deep. */
	strcpy(deep, "{\"a\":");
	memset(deep + 5, '[', 64);
	memset(deep + 69, ']', 64);
	strcpy(deep + 133, "}");
	assert_int_equal(parse(p, deep, &ev, &why), -1);
	assert_string_equal(why, "nesting deeper than 64");
	parser_free(p);
}

struct want {
	const char	*s;		/* NULL: a line too long */
	size_t		 len;
};
#define W(lit)		{ lit, sizeof(lit) - 1 }
#define W_TOO_LONG	{ NULL, 0 }

/* The n lines of a file holding text, read back in order. */
static void
lines_expect(const char *text, size_t tlen, const struct want *want,
    size_t n)
{
	char path[] = "/tmp/test_extract.XXXXXX";
	const unsigned char *line;
	struct lines *l;
	size_t len, i;
	int fd;

	assert_true((fd = mkstemp(path)) != -1);
	unlink(path);
	assert_int_equal(write(fd, text, tlen), (ssize_t)tlen);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_non_null(l = lines_new(fd));
	for (i = 0; i < n; i++) {
		assert_int_equal(lines_next(l, &line, &len), 1);
		if (want[i].s == NULL) {
			assert_null(line);
			assert_int_equal(len, 0);
		} else {
			assert_int_equal(len, want[i].len);
			assert_memory_equal(line, want[i].s, len);
		}
	}
	assert_int_equal(lines_next(l, &line, &len), 0);
	lines_free(l);
	close(fd);
}
#define EXPECT(text, ...)	do {					\
	static const struct want w_[] = { __VA_ARGS__ };		\
	lines_expect(text, sizeof(text) - 1, w_, sizeof(w_) / sizeof(w_[0])); \
} while (0)

/*
 * A BOM and a CR are not the line's: a first line of LINES_MAX bytes
 * after a BOM and before a CR is read, as is a CRLF line of LINES_MAX
 * and a last one with a CR and no newline; one byte more is too long.
 */
static void
lines_max_extra(void)
{
	static const char *const parts[] = { "\xef\xbb\xbf", "a", "\r\n",
	    "b", "\r\n", "c+", "\r\n", "d+", "\n", "e", "\r" };
	struct want want[5];
	char *text, *p, *at[5];
	size_t i, k = 0, len;

	assert_non_null(text = malloc(5 * (LINES_MAX + 4)));
	for (p = text, i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		len = strlen(parts[i]);
		if (parts[i][0] >= 'a' && parts[i][0] <= 'e') {
			len = LINES_MAX + (len == 2);
			at[k++] = p;
			memset(p, parts[i][0], len);
		} else
			memcpy(p, parts[i], len);
		p += len;
	}
	for (i = 0; i < 5; i++) {
		want[i].s = i == 2 || i == 3 ? NULL : at[i];
		want[i].len = i == 2 || i == 3 ? 0 : LINES_MAX;
	}
	lines_expect(text, (size_t)(p - text), want, 5);
	free(text);
}

static void
test_lines(void **state)
{
	static const struct want big[] = { W("x"), W_TOO_LONG, W("y") };
	char *text;
	size_t n;

	(void)state;
	/* One CR before the newline goes; a last line needs no newline. */
	EXPECT("a\r\n\nb\r\r\nc", W("a"), W(""), W("b\r"), W("c"));
	/* A BOM goes at the start of the input only. */
	EXPECT("\xef\xbb\xbf{}\n\xef\xbb\xbf{}\n", W("{}"),
	    W("\xef\xbb\xbf{}"));
	EXPECT("\n", W(""));
	EXPECT("a\0b\n\n", W("a\0b"), W(""));
	lines_expect("", 0, NULL, 0);
	/* A line of LINES_MAX + 1 bytes is too long, and skipped whole. */
	n = 2 + LINES_MAX + 1 + 3;
	assert_non_null(text = malloc(n));
	memcpy(text, "x\n", 2);
	memset(text + 2, 'z', LINES_MAX + 1);
	memcpy(text + 2 + LINES_MAX + 1, "\ny\n", 3);
	lines_expect(text, n, big, 3);
	free(text);
	lines_max_extra();
}

/* A rare line read whole: the last of repeated keys, bytes repaired. */
static void
test_tree(void **state)
{
	static const char *const env[] = { "args", "env", NULL };
	static const char *const host[] = { "args", "env", "host", NULL };
	static const char *const n[] = { "n", NULL };
	static const char line[] = "{\"args\":{\"env\":[],\"env\":{\"host\":"
	    "\"a\xff\",\"host\":\"b\xc3\"}},\"n\":12345678901234567890}";
	struct field f;
	yajl_val v;

	(void)state;
	assert_int_equal(tree_parse((const unsigned char *)line,
	    sizeof(line) - 1, &v), 0);
	tree_field(tree_get(v, env), &f);
	assert_int_equal(f.t, FT_MAP);
	tree_field(tree_get(v, host), &f);
	assert_int_equal(f.t, FT_STR);
	assert_int_equal(f.len, 4);
	assert_memory_equal(f.s, "b\xef\xbf\xbd", 4);
	/* Numbers as the line parser reads them: too big for a count. */
	tree_field(tree_get(v, n), &f);
	assert_int_equal(f.t, FT_NUM);
	assert_true(f.isint && !f.irange);
	tree_field(tree_get(v, host + 1), &f);
	assert_int_equal(f.t, FT_ABSENT);
	tree_field(NULL, &f);
	assert_int_equal(f.t, FT_ABSENT);
	yajl_tree_free(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quantiles_random),
		cmocka_unit_test(test_quantiles_twenty),
		cmocka_unit_test(test_quantiles_distinct_memory),
		cmocka_unit_test(test_strtab),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_utf8_name),
		cmocka_unit_test(test_utf8_offsets),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_filter_random),
		cmocka_unit_test(test_event_number),
		cmocka_unit_test(test_parser_fields),
		cmocka_unit_test(test_parser_dup_keys),
		cmocka_unit_test(test_parser_trailing),
		cmocka_unit_test(test_parser_chunk),
		cmocka_unit_test(test_parser_bad),
		cmocka_unit_test(test_parser_depth_64),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_tree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
