/* Unit tests for soak-plot's document and event readers and its writers. */
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

#include "../../extract/plotdoc.h"
#include "../../extract/plotev.h"
#include "../../extract/plotgp.h"

#define BUCKET	"{\"t_ms\": 0, \"ops\": 3, \"p95\": null}"
#define DOC(rest) "{\"schema\": \"soak-metrics/1\", " \
	"\"timeline_interval_ms\": 1000, \"progression\": [], " rest "}"

/* Parse s; expect -1 and the message want. */
static void
doc_error(const char *s, const char *want)
{
	struct pl_doc d;
	char err[256] = "";

	assert_int_equal(pl_doc_parse(s, strlen(s), "m.json", &d, err,
	    sizeof(err)), -1);
	assert_string_equal(err, want);
	assert_null(d.tl);
}

static void
test_doc_syntax(void **state)
{
	char deep[200];

	(void)state;
	doc_error("", "m.json: empty input");
	doc_error(" \n\t", "m.json: empty input");
	doc_error("\xef\xbb\xbf{}", "m.json:1:1: a UTF-8 byte-order mark");
	doc_error("{\"a\":\n 1,,}", "m.json:2:4: not JSON");
	doc_error("{} {}", "m.json:1:4: more than one JSON value (events? "
	    "the metrics document comes first)");
	doc_error("{} x", "m.json:1:4: not JSON");
	memset(deep, '[', 65);
	deep[65] = '\0';
	doc_error(deep, "m.json:1:65: nesting deeper than 64 levels");
	doc_error("[1]", "m.json: not an object (an array)");
	doc_error("\"x\"", "m.json: not an object (a string)");
}

static void
test_doc_contract(void **state)
{
	(void)state;
	doc_error("{\"schema\": \"soak-verdict/1\"}", "m.json: not a "
	    "soak-metrics/1 document (schema \"soak-verdict/1\")");
	doc_error("{\"schema\": 1}", "m.json: /schema: not a string "
	    "(a number)");
	doc_error("{\"run_id\": \"r\"}", "m.json: no timeline (made by an "
	    "older soak-extract?)");
	doc_error("{\"timeline\": [" BUCKET "], \"timeline_interval_ms\": 1}",
	    "m.json: no schema (not a soak-metrics/1 document)");
	doc_error(DOC("\"timeline\": {}"), "m.json: /timeline: not an array "
	    "(an object)");
	doc_error(DOC("\"timeline\": []"), "m.json: an empty timeline (no "
	    "line had a time)");
	doc_error("{\"schema\": \"soak-metrics/1\", \"timeline\": [" BUCKET
	    "]}", "m.json: /timeline_interval_ms: missing");
	doc_error(DOC("\"timeline\": [" BUCKET ", {\"t_ms\": 0}]"),
	    "m.json: /timeline/1/t_ms: not after the bucket before");
	doc_error(DOC("\"timeline\": [{\"t_ms\": 0, \"ops\": true}]"),
	    "m.json: /timeline/0/ops: not a number (true)");
	doc_error(DOC("\"timeline\": [{\"ops\": 1}]"),
	    "m.json: /timeline/0/t_ms: missing");
	doc_error(DOC("\"timeline\": [{\"t_ms\": 1e999}]"),
	    "m.json: /timeline/0/t_ms: out of range");
	doc_error(DOC("\"timeline\": [" BUCKET "], \"latency_ms\": "
	    "{\"a\": []}"), "m.json: /latency_ms/a: not an object (an array)");
}

static void
test_doc_fields(void **state)
{
	static const char s[] = "{\"schema\": \"soak-metrics/1\", "
	    "\"run_id\": \"old\", \"run_id\": \"r1\", \"op_cmd\": null, "
	    "\"cache\": {\"hit_rate\": 0.5}, "
	    "\"progression\": [{\"lookups\": 4, \"hit_rate\": 0.25}], "
	    "\"latency_ms\": {\"soak.run.end\": {\"p50\": 9}, "
	    "\"x\": {\"p50\": 1}, \"x\": {\"p50\": 2, \"max\": 3}}, "
	    "\"timeline_interval_ms\": 250, \"timeline\": [" BUCKET ", "
	    "{\"t_ms\": 250, \"wal_bytes_max\": 4096}]}";
	struct pl_doc d;
	char err[256];

	(void)state;
	assert_int_equal(pl_doc_parse(s, strlen(s), "m.json", &d, err,
	    sizeof(err)), 0);
	assert_string_equal(d.run_id, "r1");
	assert_null(d.op_cmd);
	assert_true(d.interval_ms == 250);
	assert_int_equal(d.ntl, 2);
	assert_true(d.tl[0].ops == 3 && isnan(d.tl[0].p95));
	assert_true(isnan(d.tl[0].db_bytes) && d.tl[1].wal_bytes == 4096);
	assert_int_equal(pl_doc_has_sizes(&d), 1);
	assert_int_equal(d.nprog, 1);
	assert_true(d.prog[0].hit_rate == 0.25 && isnan(d.prog[0].hits));
	assert_int_equal(d.nlat, 1);
	assert_string_equal(d.lat[0].cmd, "x");
	assert_true(d.lat[0].p50 == 2 && d.lat[0].max == 3);
	assert_true(d.hit_rate == 0.5 && isnan(d.hit_rate_warm));
	pl_doc_free(&d);
	pl_doc_free(&d);
}

/* Feed each NUL-separated line of lines to e. */
static void
feed(struct pl_events *e, const char *const *lines)
{
	for (; *lines != NULL; lines++)
		assert_int_equal(pl_events_line(e, *lines, strlen(*lines)), 0);
}

static void
test_events_lines(void **state)
{
	static const char *const lines[] = {
		"{\"cmd\": \"a\", \"timing_ms\": 2}",
		"{\"cmd\": \"a\", \"timing_ms\": 1, \"run_id\": \"r\"}",
		"{\"cmd\": \"a\", \"timing_ms\": 9, \"run_id\": \"other\"}",
		"{\"cmd\": \"soak.run.end\", \"timing_ms\": 5}",
		"{\"cmd\": \"b\", \"timing_ms\": -1}",
		"{\"cmd\": \"b\", \"timing_ms\": \"3\"}",
		"{\"cmd\": \"b\", \"timing_ms\": 3, \"timing_ms\": null}",
		"{\"x\": {\"cmd\": \"c\"}, \"cmd\": \"b\", \"timing_ms\": 4}",
		"{\"cmd\": [\"c\"], \"timing_ms\": 4}",
		"{\"cmd\": \"c\", \"timing_ms\": 1e400}",
		"[{\"cmd\": \"a\", \"timing_ms\": 1}]",
		"{\"cmd\": \"a\", ",
		"  ",
		NULL
	};
	struct pl_events e;

	(void)state;
	pl_events_init(&e, "r", 1, NULL);
	feed(&e, lines);
	pl_events_finish(&e);
	assert_int_equal(e.lines, 13);
	assert_int_equal(e.malformed, 2);
	assert_int_equal(e.first_malformed, 11);
	assert_int_equal(e.other_run, 1);
	assert_int_equal(e.timed, 3);
	assert_int_equal(e.ns, 2);
	assert_string_equal(e.s[0].cmd, "a");
	assert_int_equal(e.s[0].n, 2);
	assert_true(e.s[0].v[0] == 1 && e.s[0].v[1] == 2);
	assert_string_equal(e.s[1].cmd, "b");
	assert_true(e.s[1].n == 1 && e.s[1].v[0] == 4);
	pl_events_free(&e);
}

/* The op cmd is drawn though it is soak's; with untagged 0 (soak-extract
 * --run-id) lines without a run id are left out, as that run's. */
static void
test_events_filters(void **state)
{
	static const char *const lines[] = {
		"{\"cmd\": \"soak.exec\", \"timing_ms\": 3, \"run_id\": \"r\"}",
		"{\"cmd\": \"soak.run.end\", \"timing_ms\": 5, \"run_id\": \"r\"}",
		"{\"cmd\": \"a\", \"timing_ms\": 2}",
		"{\"cmd\": \"a\", \"timing_ms\": 1, \"run_id\": \"r\"}",
		"{\"cmd\": \"a\", \"timing_ms\": 4, \"run_id\": null}",
		NULL
	};
	struct pl_events e;

	(void)state;
	assert_true(pl_cmd_drawn("ast.symbols", NULL));
	assert_false(pl_cmd_drawn("soak.exec", NULL));
	assert_true(pl_cmd_drawn("soak.exec", "soak.exec"));
	assert_false(pl_cmd_drawn("soak.execx", "soak.exec"));
	pl_events_init(&e, "r", 0, "soak.exec");
	feed(&e, lines);
	pl_events_finish(&e);
	assert_int_equal(e.timed, 2);
	assert_int_equal(e.other_run, 2);
	assert_int_equal(e.ns, 2);
	assert_true(e.s[0].n == 1 && e.s[1].n == 1);
	assert_true((strcmp(e.s[0].cmd, "a") == 0 && e.s[0].v[0] == 1 &&
	    strcmp(e.s[1].cmd, "soak.exec") == 0) ||
	    (strcmp(e.s[1].cmd, "a") == 0 && e.s[1].v[0] == 1 &&
	    strcmp(e.s[0].cmd, "soak.exec") == 0));
	pl_events_free(&e);
	/* The same lines, untagged kept: soak.exec and three of a. */
	pl_events_init(&e, "r", 1, "soak.exec");
	feed(&e, lines);
	assert_int_equal(e.timed, 4);
	assert_int_equal(e.other_run, 0);
	pl_events_free(&e);
}

static void
test_events_fd(void **state)
{
	static const char s[] = "{\"cmd\":\"a\",\"timing_ms\":1}\n\n"
	    "{\"cmd\":\"a\",\"timing_ms\":2}";
	struct pl_events e;
	int p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], s, sizeof(s) - 1), sizeof(s) - 1);
	close(p[1]);
	pl_events_init(&e, NULL, 1, NULL);
	assert_int_equal(pl_events_fd(&e, p[0]), 0);
	close(p[0]);
	assert_int_equal(e.lines, 3);
	assert_int_equal(e.timed, 2);
	pl_events_free(&e);
}

static void
test_cdf(void **state)
{
	static const double v[] = { 1, 2, 3, 4 }, w[] = { 1, 1, 2 };
	double x[4096], y[4096], *many;
	size_t i, k;

	(void)state;
	assert_int_equal(pl_cdf(v, 4, x, y, 16), 5);
	assert_true(x[0] == 1 && y[0] == 0 && x[2] == 2 && y[2] == 0.5);
	assert_true(x[4] == 4 && y[4] == 1);
	assert_int_equal(pl_cdf(w, 3, x, y, 16), 3);
	assert_true(x[1] == 1 && fabs(y[1] - 2.0 / 3) < 1e-12);
	assert_int_equal(pl_cdf(v, 4, x, y, 2), 2);
	assert_true(x[1] == 4 && y[1] == 1);
	assert_int_equal(pl_cdf(v, 0, x, y, 16), 0);
	assert_non_null(many = calloc(100000, sizeof(double)));
	for (i = 0; i < 100000; i++)
		many[i] = 1 + (double)i / 1000;
	k = pl_cdf(many, 100000, x, y, 4096);
	assert_true(k > 100 && k <= 4096);
	assert_true(x[k - 1] == many[99999] && y[k - 1] == 1);
	for (i = 1; i < k; i++)
		assert_true(x[i] >= x[i - 1] && y[i] >= y[i - 1]);
	free(many);
}

/* What pl_gp_str writes for s and max. */
static void
gp_str(const char *s, size_t max, const char *want)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	assert_non_null(fp = open_memstream(&buf, &len));
	pl_gp_str(fp, s, max);
	fclose(fp);
	assert_string_equal(buf, want);
	free(buf);
}

static void
test_gp_str(void **state)
{
	(void)state;
	gp_str("run 1", 80, "'run 1'");
	gp_str("it's", 80, "'it''s'");
	gp_str("a`b`\"c\"\\", 80, "'a`b`\"c\"\\'");
	gp_str("\xc3\xa9\n\t", 80, "'?\?\?\?'");
	gp_str("abcdef", 3, "'abc...'");
}

static void
test_units(void **state)
{
	(void)state;
	assert_string_equal(pl_time_unit(60000).name, "s");
	assert_string_equal(pl_time_unit(3600000).name, "min");
	assert_string_equal(pl_time_unit(86400000).name, "h");
	assert_string_equal(pl_bytes_unit(500).name, "bytes");
	assert_string_equal(pl_bytes_unit(4096).name, "KiB");
	assert_string_equal(pl_bytes_unit(5e6).name, "MiB");
	assert_true(pl_bytes_unit(5e6).per == 1048576);
	assert_string_equal(pl_bytes_unit(3e9).name, "GiB");
	assert_true(pl_tic_step(100) == 20);
	assert_true(pl_tic_step(10) == 2);
	assert_true(pl_tic_step(50) == 10);
	assert_true(pl_tic_step(0) == 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doc_syntax),
		cmocka_unit_test(test_doc_contract),
		cmocka_unit_test(test_doc_fields),
		cmocka_unit_test(test_events_lines),
		cmocka_unit_test(test_events_filters),
		cmocka_unit_test(test_events_fd),
		cmocka_unit_test(test_cdf),
		cmocka_unit_test(test_gp_str),
		cmocka_unit_test(test_units),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
