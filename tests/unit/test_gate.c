/* Unit tests for soak-gate's document reader and criteria. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../gate/baseline.h"
#include "../../gate/compare.h"
#include "../../gate/criteria.h"
#include "../../gate/doc.h"
#include "../../gate/pointer.h"
#include "../../gate/jgen.h"
#include "../../gate/report.h"
#include "../../gate/require.h"
#include "../../gate/text.h"

static struct jnode *
parse(const char *s)
{
	char err[256];

	return doc_parse((const unsigned char *)s, strlen(s), err, sizeof(err));
}

static void
parse_error(const char *s, const char *want)
{
	char err[256] = "";
	struct jnode *n;

	n = doc_parse((const unsigned char *)s, strlen(s), err, sizeof(err));
	assert_null(n);
	assert_string_equal(err, want);
}

static void
test_doc_errors(void **state)
{
	char deep[200];

	(void)state;
	parse_error("", "<string>: empty input");
	parse_error(" \r\n\t", "<string>: empty input");
	parse_error("{\"a\":\n 1,,}", "<string>:2:4: not JSON");
	parse_error("{} {}", "<string>:1:4: not JSON");
	parse_error("\xef\xbb\xbf{}", "<string>:1:1: a UTF-8 byte-order mark");
	parse_error("{\"a\":\"\xff\"}", "<string>:1:7: not JSON");
	memset(deep, '[', 65);
	deep[65] = '\0';
	parse_error(deep, "<string>:1:65: nesting deeper than 64 levels");
}

static void
test_doc_depth_limit_exact(void **state)
{
	char buf[200];
	struct jnode *n;

	(void)state;
	/* 64 levels are allowed. */
	memset(buf, '[', 64);
	memset(buf + 64, ']', 64);
	buf[128] = '\0';
	assert_non_null(n = parse(buf));
	doc_free(n);
}

static void
test_doc_pointer(void **state)
{
	struct jnode *d;
	const struct jnode *n;
	int bad;

	(void)state;
	d = parse("{\"a\":{\"b/c\":[10,20],\"m~n\":\"x\"},\"k\":1,\"k\":2,"
	    "\"\":3}");
	assert_non_null(d);
	n = doc_pointer(d, "/a/b~1c/1", &bad);
	assert_int_equal(bad, 0);
	assert_non_null(n);
	assert_string_equal(doc_number_text(n), "20");
	n = doc_pointer(d, "/a/m~0n", &bad);
	assert_non_null(n);
	assert_string_equal(doc_string(n, NULL), "x");
	/* The last of repeated keys wins. */
	n = doc_pointer(d, "/k", &bad);
	assert_string_equal(doc_number_text(n), "2");
	n = doc_pointer(d, "/", &bad);
	assert_string_equal(doc_number_text(n), "3");
	assert_ptr_equal(doc_pointer(d, "", &bad), d);
	assert_null(doc_pointer(d, "/a/b~1c/2", &bad));
	assert_int_equal(bad, 0);
	assert_null(doc_pointer(d, "/a/b~1c/01", &bad));
	assert_null(doc_pointer(d, "/nope/x", &bad));
	assert_int_equal(bad, 0);
	assert_null(doc_pointer(d, "/a/~2", &bad));
	assert_int_equal(bad, 1);
	assert_null(doc_pointer(d, "a", &bad));
	assert_int_equal(bad, 1);
	doc_free(d);
}

static void
test_doc_pointer_blocked(void **state)
{
	struct jnode *d;
	size_t at = 99;

	(void)state;
	d = parse("{\"s\":\"x\",\"a\":[{\"n\":1}],\"z\":null,\"o\":{}}");
	assert_non_null(d);
	assert_int_equal(doc_pointer_blocked(d, "/s/lost", &at), 1);
	assert_int_equal(at, 2);
	assert_int_equal(doc_pointer_blocked(d, "/a/n", &at), 1);
	assert_int_equal(at, 2);
	assert_int_equal(doc_pointer_blocked(d, "/a/0/n/deeper", &at), 1);
	assert_int_equal(at, 6);
	/* Absent, out of range, null or found: not blocked. */
	assert_int_equal(doc_pointer_blocked(d, "/a/0/n", &at), 0);
	assert_int_equal(doc_pointer_blocked(d, "/a/1/n", &at), 0);
	assert_int_equal(doc_pointer_blocked(d, "/z/lost", &at), 0);
	assert_int_equal(doc_pointer_blocked(d, "/o/lost", &at), 0);
	assert_int_equal(doc_pointer_blocked(d, "/nope/lost", &at), 0);
	doc_free(d);
}

static void
test_doc_nul_key(void **state)
{
	struct jnode *d, *e;
	size_t len = 0;

	(void)state;
	d = parse("{\"k\":1,\"k\\u0000x\":2}");
	e = parse("{\"k\":1,\"k\\u0000y\":2}");
	assert_non_null(d);
	assert_non_null(e);
	assert_string_equal(doc_number_text(doc_get(d, "k")), "1");
	assert_string_equal(doc_key(d, 1, &len), "k");
	assert_int_equal(len, 3);
	assert_false(doc_equal(d, e));
	doc_free(d);
	doc_free(e);
}

static void
test_doc_copy(void **state)
{
	struct jnode *d, *c;
	const struct jnode *n;
	size_t len;
	int bad;

	(void)state;
	assert_non_null(d = parse("{\"n\":-0.50,\"s\":\"a\\u0000b\",\"t\":true,"
	    "\"a\":[1]}"));
	assert_non_null(c = doc_copy(doc_pointer(d, "/n", &bad)));
	assert_string_equal(doc_number_text(c), "-0.50");
	assert_true(doc_number(c) == -0.5);
	doc_free(c);
	assert_non_null(c = doc_copy(n = doc_pointer(d, "/s", &bad)));
	assert_memory_equal(doc_string(c, &len), "a\0b", 3);
	assert_int_equal(len, 3);
	assert_true(doc_scalar_equal(c, n));
	doc_free(c);
	assert_non_null(c = doc_copy(doc_pointer(d, "/t", &bad)));
	assert_int_equal(doc_type(c), J_TRUE);
	doc_free(c);
	assert_null(doc_copy(doc_pointer(d, "/a", &bad)));
	doc_free(d);
}

static void
test_jgen_indent(void **state)
{
	struct jgen *j;
	FILE *fp;
	char *out = NULL;
	size_t len = 0;

	(void)state;
	assert_non_null(j = jgen_new());
	jgen_map_open(j);
	jgen_str(j, "a");
	jgen_array_open(j);
	jgen_array_close(j);
	jgen_str(j, "o");
	jgen_map_open(j);
	jgen_map_close(j);
	jgen_str(j, "s\"[,:]{}");
	jgen_str(j, "\\\"x\\");
	jgen_str(j, "n");
	jgen_array_open(j);
	jgen_int(j, 1);
	jgen_map_open(j);
	jgen_str(j, "k");
	jgen_bool(j, 0);
	jgen_map_close(j);
	jgen_array_close(j);
	jgen_map_close(j);
	assert_non_null(fp = open_memstream(&out, &len));
	assert_int_equal(jgen_write(j, fp), 0);
	fclose(fp);
	assert_string_equal(out, "{\n"
	    "  \"a\": [],\n"
	    "  \"o\": {},\n"
	    "  \"s\\\"[,:]{}\": \"\\\\\\\"x\\\\\",\n"
	    "  \"n\": [\n"
	    "    1,\n"
	    "    {\n"
	    "      \"k\": false\n"
	    "    }\n"
	    "  ]\n"
	    "}\n");
	free(out);
	jgen_free(j);
}

/* text_safe(in) is want. */
static void
safe_is(const char *in, const char *want)
{
	char *s;

	assert_non_null(s = text_safe(in));
	assert_string_equal(s, want);
	free(s);
}

static void
test_text_safe(void **state)
{
	(void)state;
	safe_is("", "");
	safe_is("plain <&> \"x\"", "plain <&> \"x\"");
	safe_is("\xc3\xa9\xe6\xbc\xa2\xf0\x9f\x98\x80", "\xc3\xa9\xe6\xbc\xa2\xf0\x9f\x98\x80");
	/* Controls, DEL, U+FFFE and U+FFFF. */
	safe_is("a\x01\tb\n\x7f", "a\xef\xbf\xbd\xef\xbf\xbd"
	    "b\xef\xbf\xbd\xef\xbf\xbd");
	safe_is("\xef\xbf\xbe\xef\xbf\xbf", "\xef\xbf\xbd\xef\xbf\xbd");
	/* A stray byte, a cut sequence, an overlong form, a surrogate, and
	 * a code point past U+10FFFF: each bad byte one U+FFFD. */
	safe_is("\xff", "\xef\xbf\xbd");
	safe_is("\xe6\xbcx", "\xef\xbf\xbd\xef\xbf\xbdx");
	safe_is("\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd");
	safe_is("\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	safe_is("\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd"
	    "\xef\xbf\xbd\xef\xbf\xbd");
}

static void
test_text_utf8(void **state)
{
	char *s;

	(void)state;
	/* Controls stay (JSON escapes them); bad bytes do not. */
	assert_non_null(s = text_utf8("a\x01\n\xef\xbf\xbe\xff"));
	assert_string_equal(s, "a\x01\n\xef\xbf\xbe\xef\xbf\xbd");
	free(s);
}

static void
test_doc_containers(void **state)
{
	struct jnode *a, *b, *c;

	(void)state;
	assert_non_null(a = parse("{\"m\":[2,4],\"o\":{\"x\":1}}"));
	assert_non_null(b = parse("{\"m\":[2,4.0],\"o\":{\"x\":1e0}}"));
	assert_non_null(c = parse("{\"m\":[4,2],\"o\":{\"x\":1}}"));
	assert_int_equal(doc_count(a), 2);
	assert_string_equal(doc_key(a, 1, NULL), "o");
	assert_null(doc_key(doc_item(a, 0), 0, NULL));
	assert_int_equal(doc_count(doc_item(a, 0)), 2);
	assert_string_equal(doc_number_text(doc_item(doc_item(a, 0), 1)), "4");
	assert_null(doc_item(a, 2));
	assert_int_equal(doc_count(doc_item(doc_item(a, 0), 0)), 0);
	assert_true(doc_equal(a, b));
	assert_false(doc_equal(a, c));
	assert_false(doc_equal(doc_item(a, 0), doc_item(a, 1)));
	doc_free(a);
	doc_free(b);
	doc_free(c);
}

static void
test_require_parse(void **state)
{
	struct require r;
	char err[256];

	(void)state;
	assert_int_equal(gate_parse_require("/cache/hit_rate_warm >= 0.9", &r,
	    err, sizeof(err)), 0);
	assert_string_equal(r.pointer, "/cache/hit_rate_warm");
	assert_int_equal(r.op, OP_GE);
	assert_string_equal(doc_number_text(r.limit), "0.9");
	free(r.pointer);
	doc_free(r.limit);

	assert_int_equal(gate_parse_require("/integrity_check==\"ok\"", &r,
	    err, sizeof(err)), 0);
	assert_int_equal(r.op, OP_EQ);
	assert_string_equal(doc_string(r.limit, NULL), "ok");
	free(r.pointer);
	doc_free(r.limit);

	assert_int_equal(gate_parse_require("/latency_ms/ast.symbols/p95 < 50",
	    &r, err, sizeof(err)), -1);
	assert_string_equal(err, "\"/latency_ms/ast.symbols/p95\": timings "
	    "are informational: no latency gates");
	assert_int_equal(gate_parse_require("/latency_ms != null", &r, err,
	    sizeof(err)), -1);
	assert_int_equal(gate_parse_require("/a ~ 1", &r, err, sizeof(err)),
	    -1);
	assert_int_equal(gate_parse_require("/a < \"x\"", &r, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "< needs a finite number, not \"x\"");
	assert_int_equal(gate_parse_require("/a == [1]", &r, err,
	    sizeof(err)), -1);
	assert_int_equal(gate_parse_require("/a == ok", &r, err,
	    sizeof(err)), -1);
	assert_int_equal(gate_parse_require("a == 1", &r, err,
	    sizeof(err)), -1);
	assert_int_equal(gate_parse_require("/a/~x == 1", &r, err,
	    sizeof(err)), -1);
	/* A key merely starting with latency_ms is not a timing. */
	assert_int_equal(gate_parse_require("/latency_msx == 1", &r, err,
	    sizeof(err)), 0);
	free(r.pointer);
	doc_free(r.limit);
}

/* Evaluate doc with cfg and return the line of criterion i. */
static void
check_line(const char *json, const struct gate_config *cfg, size_t i,
    const char *want, size_t failed)
{
	struct jnode *d;
	struct verdict *v;
	char *line;

	assert_non_null(d = parse(json));
	assert_non_null(v = gate_evaluate(d, cfg));
	assert_true(i < v->n);
	assert_non_null(line = report_line(&v->results[i]));
	assert_string_equal(line, want);
	free(line);
	assert_int_equal(v->failed, failed);
	gate_verdict_free(v);
	doc_free(d);
}

/* The first --require row: after the default criteria. */
#define REQ0	11

#define GOOD "{\"integrity_check\":\"ok\",\"ops_requested\":10," \
    "\"ops_completed\":10,\"cache_hits_warm\":4,\"lock_timeout\":1," \
    "\"verify\":{\"lost\":0,\"corrupt\":0},\"workers\":null," \
    "\"events\":{\"expected\":null,\"lost\":null}," \
    "\"lines\":{\"malformed\":0}}"

static void
test_criteria_default(void **state)
{
	struct gate_config c;

	(void)state;
	gate_config_init(&c);
	check_line(GOOD, &c, 0, "PASS integrity_check: \"ok\"", 0);
	check_line(GOOD, &c, 1, "PASS ops_completed: 10 >= 10", 0);
	check_line(GOOD, &c, 2, "PASS cache_hits_warm: 4 >= 1", 0);
	check_line(GOOD, &c, 3, "PASS lock_timeout: 1 <= 1", 0);
	check_line(GOOD, &c, 4, "PASS verify.lost: 0", 0);
	check_line(GOOD, &c, 6, "SKIP workers.died: null", 0);
	check_line("{}", &c, 6, "SKIP workers.died: not in metrics", 4);
	check_line(GOOD, &c, 7, "SKIP events.lost: null", 0);
	check_line(GOOD, &c, 8, "PASS lines.malformed: 0 <= 0", 0);
	check_line("{\"integrity_check\":null}", &c, 0,
	    "FAIL integrity_check: null (integrity was not measured)", 4);
	check_line("{\"integrity_check\":\"*** in database main ***\"}", &c, 0,
	    "FAIL integrity_check: \"*** in database main ***\" != \"ok\"", 4);
	check_line("{\"ops_completed\":9,\"ops_requested\":10}", &c, 1,
	    "FAIL ops_completed: 9 < 10", 4);
	check_line("{\"ops_completed\":9,\"ops_requested\":null}", &c, 1,
	    "FAIL ops_completed: 9, no target (give --min-ops, or a "
	    "run-start event that records ops)", 4);
	check_line("{\"lock_timeout\":3}", &c, 3,
	    "FAIL lock_timeout: 3 > 1", 4);
	check_line("{\"verify\":{\"lost\":2}}", &c, 4,
	    "FAIL verify.lost: 2 != 0", 5);
	check_line("{\"lines\":{\"malformed\":1}}", &c, 8,
	    "FAIL lines.malformed: 1 > 0", 5);
	c.min_ops = 5;
	check_line("{\"ops_completed\":9,\"ops_requested\":10}", &c, 1,
	    "PASS ops_completed: 9 >= 5", 3);
	gate_config_free(&c);
}

static void
test_criteria_chaos_wal(void **state)
{
	struct gate_config c;

	(void)state;
	gate_config_init(&c);
	check_line(GOOD, &c, 9, "SKIP chaos.unrecovered: not in metrics", 0);
	check_line("{\"chaos\":null}", &c, 9,
	    "SKIP chaos.unrecovered: null", 4);
	check_line("{\"chaos\":{\"kills\":3,\"unrecovered\":0}}", &c, 9,
	    "PASS chaos.unrecovered: 0 <= 0", 4);
	check_line("{\"chaos\":{\"kills\":3,\"unrecovered\":2}}", &c, 9,
	    "FAIL chaos.unrecovered: 2 > 0", 5);
	/* A chaos object without the count fails closed. */
	check_line("{\"chaos\":{\"kills\":3}}", &c, 9,
	    "FAIL chaos.unrecovered: not in metrics", 5);
	/* db.wal_bytes_max only with --max-wal-bytes. */
	check_line("{\"db\":null}", &c, 9,
	    "SKIP chaos.unrecovered: not in metrics", 4);
	c.max_wal_bytes = 4096;
	check_line("{\"db\":{\"wal_bytes_max\":4096}}", &c, 11,
	    "PASS db.wal_bytes_max: 4096 <= 4096", 4);
	check_line("{\"db\":{\"wal_bytes_max\":4097}}", &c, 11,
	    "FAIL db.wal_bytes_max: 4097 > 4096", 5);
	check_line("{\"db\":null}", &c, 11,
	    "FAIL db.wal_bytes_max: no samples", 5);
	check_line("{}", &c, 11, "FAIL db.wal_bytes_max: no samples", 5);
	check_line("{\"db\":{\"samples\":3}}", &c, 11,
	    "FAIL db.wal_bytes_max: not in metrics", 5);
	check_line("{\"db\":{\"wal_bytes_max\":null}}", &c, 11,
	    "FAIL db.wal_bytes_max: null", 5);
	gate_config_free(&c);
}

static void
test_criteria_skip(void **state)
{
	struct gate_config c;

	(void)state;
	gate_config_init(&c);
	assert_string_equal(gate_default_name(0), "integrity_check");
	assert_string_equal(gate_default_name(9), "chaos.unrecovered");
	assert_string_equal(gate_default_name(10), "shards.missing");
	assert_null(gate_default_name(11));
	assert_int_equal(gate_skip(&c, "lock_timeout"), 0);
	assert_int_equal(gate_skip(&c, "cache.hit_rate_warm"), -1);
	assert_int_equal(gate_skip(&c, "db.wal_bytes_max"), -1);
	assert_int_equal(gate_skip(&c, ""), -1);
	check_line("{\"lock_timeout\":9}", &c, 3,
	    "SKIP lock_timeout: (--skip)", 3);
	check_line("{\"lock_timeout\":[9]}", &c, 3,
	    "SKIP lock_timeout: (--skip)", 3);
	gate_config_free(&c);
}

static void
test_criteria_badtype(void **state)
{
	struct gate_config c;
	struct jnode *d;
	struct verdict *v;

	(void)state;
	gate_config_init(&c);
	d = parse("{\"integrity_check\":1,\"ops_completed\":\"3\","
	    "\"ops_requested\":3,\"cache_hits_warm\":1e400,"
	    "\"lock_timeout\":[1],\"verify\":{\"lost\":\"0\"}}");
	assert_non_null(v = gate_evaluate(d, &c));
	assert_int_equal(v->badtype, 5);
	assert_int_equal(v->results[0].status, C_BADTYPE);
	assert_string_equal(v->results[0].detail, "expected a string");
	assert_string_equal(v->results[2].detail, "number out of range");
	assert_int_equal(v->results[4].status, C_BADTYPE);
	gate_verdict_free(v);
	doc_free(d);
	gate_config_free(&c);
}

static void
test_criteria_require(void **state)
{
	struct gate_config c;
	char err[256];

	(void)state;
	gate_config_init(&c);
	c.requires = calloc(3, sizeof(*c.requires));
	assert_int_equal(gate_parse_require("/cache/hit_rate_warm >= 0.9",
	    &c.requires[0], err, sizeof(err)), 0);
	assert_int_equal(gate_parse_require("/run_id == \"r1\"",
	    &c.requires[1], err, sizeof(err)), 0);
	assert_int_equal(gate_parse_require("/counts/ast.cache.error == 0",
	    &c.requires[2], err, sizeof(err)), 0);
	c.nrequires = 3;
	check_line("{\"cache\":{\"hit_rate_warm\":0.5}}", &c, REQ0,
	    "FAIL /cache/hit_rate_warm: 0.5 < 0.9", 7);
	check_line("{\"cache\":{\"hit_rate_warm\":0.95}}", &c, REQ0,
	    "PASS /cache/hit_rate_warm: 0.95 >= 0.9", 6);
	check_line("{\"run_id\":\"r2\"}", &c, REQ0 + 1,
	    "FAIL /run_id: \"r2\" != \"r1\"", 7);
	check_line("{\"run_id\":\"r1\"}", &c, REQ0 + 1, "PASS /run_id: \"r1\"", 6);
	check_line("{\"counts\":{}}", &c, REQ0 + 2,
	    "FAIL /counts/ast.cache.error: not in metrics", 7);
	gate_config_free(&c);
}

/* The line of the result named name when doc is judged against base. */
static void
compare_line(const char *doc, const char *base, const char *name,
    const char *want)
{
	struct gate_config c;
	struct jnode *d, *b;
	struct verdict *v;
	char *line;
	size_t i;

	gate_config_init(&c);
	assert_non_null(d = parse(doc));
	assert_non_null(c.baseline = b = parse(base));
	assert_non_null(v = gate_evaluate(d, &c));
	for (i = 0; i < v->n && strcmp(v->results[i].name, name) != 0; i++)
		;
	assert_true(i < v->n);
	assert_non_null(line = report_line(&v->results[i]));
	assert_string_equal(line, want);
	free(line);
	gate_verdict_free(v);
	doc_free(d);
	doc_free(b);
}

static void
test_baseline(void **state)
{
	char buf[256];
	struct jnode *n;

	(void)state;
	assert_non_null(n = parse("{\"schema\":\"soak-metrics/1\"}"));
	assert_null(baseline_refuse(n, buf, sizeof(buf)));
	doc_free(n);
	assert_non_null(n = parse("{\"schema\":\"soak-metrics/10\"}"));
	assert_string_equal(baseline_refuse(n, buf, sizeof(buf)),
	    "schema \"soak-metrics/10\": another version (soak-gate reads "
	    "soak-metrics/1)");
	doc_free(n);
	assert_int_equal(baseline_rise("events.lost"), RISE_EVENTS_LOST);
	assert_int_equal(baseline_rise("events"), -1);
	compare_line("{\"cache\":{\"hit_rate_warm\":0.95}}",
	    "{\"cache\":{\"hit_rate_warm\":0.97}}", "baseline.hit_rate_warm",
	    "PASS baseline.hit_rate_warm: 0.95 >= 0.95 (baseline 0.97 - 0.02)");
	compare_line("{\"cache\":{\"hit_rate_warm\":0.9}}",
	    "{\"cache\":{\"hit_rate_warm\":0.01}}", "baseline.hit_rate_warm",
	    "PASS baseline.hit_rate_warm: 0.9 >= -0.01 (baseline 0.01 - 0.02)");
	compare_line("{\"cache_errors\":{\"a/b~\":1}}", "{\"cache_errors\":{}}",
	    "baseline.cache_errors.a/b~",
	    "FAIL baseline.cache_errors.a/b~: 1 > 0 (baseline 0 + 0)");
	compare_line("{\"chaos\":null}", "{\"chaos\":{\"unrecovered\":0}}",
	    "baseline.chaos.unrecovered",
	    "PASS baseline.chaos.unrecovered: 0 <= 0 (baseline 0 + 0)");
	compare_line("{\"lock_timeout\":1}", "{}", "baseline.lock_timeout",
	    "FAIL baseline.lock_timeout: 1, the baseline has no /lock_timeout");
	compare_line("{}", "{\"lock_timeout\":1}", "baseline.lock_timeout",
	    "FAIL baseline.lock_timeout: not in metrics");
}

static void
test_baseline_latency(void **state)
{
	struct jnode *d;
	char *s;
	double r;

	(void)state;
	assert_non_null(d = parse("[42, 126, 0, null, \"x\"]"));
	assert_int_equal(baseline_ratio(doc_item(d, 0), doc_item(d, 1), &r), 0);
	assert_true(r == 3);
	assert_int_equal(baseline_ratio(doc_item(d, 2), doc_item(d, 1), &r),
	    -1);
	assert_non_null(s = baseline_latency_half(doc_item(d, 0),
	    doc_item(d, 1)));
	assert_string_equal(s, "42 -> 126 ms, 3.00x");
	free(s);
	assert_non_null(s = baseline_latency_half(NULL, doc_item(d, 4)));
	assert_string_equal(s, "null -> \"x\" ms, n/a");
	free(s);
	doc_free(d);
}

static void
test_rate(void **state)
{
	char err[256];
	struct jnode *n;

	(void)state;
	assert_non_null(n = gate_parse_rate("0.75", err, sizeof(err)));
	doc_free(n);
	assert_null(gate_parse_rate("1.5", err, sizeof(err)));
	assert_string_equal(err, "\"1.5\" is too large (0 to 1)");
	assert_null(gate_parse_rate(".5", err, sizeof(err)));
	/* Exactly: a double would make this 1. */
	assert_null(gate_parse_rate("1.0000000000000000001", err, sizeof(err)));
	assert_string_equal(err, "\"1.0000000000000000001\" is too large (0 to 1)");
	assert_null(gate_parse_rate("-1e-400", err, sizeof(err)));
	assert_non_null(n = gate_parse_rate("1.000", err, sizeof(err)));
	doc_free(n);
	assert_null(gate_parse_rate("x", err, sizeof(err)));
}

/* Each way of writing a count, and numbers a double would take for one. */
static void
test_count(void **state)
{
	static const struct { const char *s; int rc; const char *digits; } t[] = {
		{ "0", 1, "0" }, { "-0", 1, "0" }, { "0.0e-5", 1, "0" },
		{ "-0.0", 1, "0" }, { "7", 1, "7" }, { "7.0", 1, "7" },
		{ "0.7e1", 1, "7" }, { "70E-1", 1, "7" }, { "1e3", 1, "1000" },
		{ "1020", 1, "1020" }, { "10.200e2", 1, "1020" },
		{ "92233720368547758060e-1", 1, "9223372036854775806" },
		{ "18446744073709551616", 1, "18446744073709551616" },
		{ "1.9999999999999999", 0, NULL }, { "7.5", 0, NULL },
		{ "1e-400", 0, NULL }, { "0.99999999999999999999", 0, NULL },
		{ "9223372036854775807.5", 0, NULL }, { "-1", 0, NULL },
		{ "-0.5", 0, NULL }, { "1e400", -1, NULL }, { "1e399", 1, NULL },
	};
	char digits[GATE_COUNT_DIGITS + 1];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(gate_count(t[i].s, digits), t[i].rc);
		if (t[i].digits != NULL)
			assert_string_equal(digits, t[i].digits);
	}
	/* Exact order, long exponents too; past 10^9 they are held. */
	assert_int_equal(gate_order("1e-1000000", "1e-999999"), -1);
	assert_int_equal(gate_order("1e-1000001", "1e-1000002"), 1);
	assert_int_equal(gate_order("1e-2000000000", "1e-1000000001"), 0);
	assert_int_equal(gate_order("0.1", "1e-1"), 0);
	assert_int_equal(gate_order("-0", "0.0"), 0);
	assert_int_equal(gate_order("-1", "-2"), 1);
	assert_int_equal(gate_order("-1", "0.5"), -1);
	assert_int_equal(gate_order("1.0000000000000000001", "1"), 1);
	assert_int_equal(gate_order("123", "1230e-1"), 0);
	assert_int_equal(gate_order("99", "100"), -1);
	/* 1e399: a 1 and 399 zeros, the longest count read. */
	assert_int_equal(gate_count("1e399", digits), 1);
	assert_int_equal(strlen(digits), GATE_COUNT_DIGITS);
	assert_int_equal(strspn(digits + 1, "0"), GATE_COUNT_DIGITS - 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doc_errors),
		cmocka_unit_test(test_doc_depth_limit_exact),
		cmocka_unit_test(test_doc_pointer),
		cmocka_unit_test(test_doc_pointer_blocked),
		cmocka_unit_test(test_doc_nul_key),
		cmocka_unit_test(test_doc_copy),
		cmocka_unit_test(test_jgen_indent),
		cmocka_unit_test(test_text_safe),
		cmocka_unit_test(test_text_utf8),
		cmocka_unit_test(test_doc_containers),
		cmocka_unit_test(test_require_parse),
		cmocka_unit_test(test_criteria_default),
		cmocka_unit_test(test_criteria_chaos_wal),
		cmocka_unit_test(test_criteria_skip),
		cmocka_unit_test(test_criteria_badtype),
		cmocka_unit_test(test_criteria_require),
		cmocka_unit_test(test_rate),
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_baseline),
		cmocka_unit_test(test_baseline_latency),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
