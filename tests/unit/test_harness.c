/* Unit tests for soak-harness's pure parts: spreading, the generator,
 * keys, symbol extraction, result code names and the clean rules. */
#include <sys/stat.h>

#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "../../harness/clean.h"
#include "../../harness/cmd.h"
#include "../../harness/files.h"
#include "../../harness/key.h"
#include "../../harness/prng.h"
#include "../../harness/spread.h"
#include "../../harness/sqlcode.h"
#include "../../harness/symbols.h"
#include "../../harness/telemetry.h"

static void
test_spread_exact(void **state)
{
	long long ops;
	int w, i;

	(void)state;
	assert_int_equal(spread_share(7, 3, 0), 3);
	assert_int_equal(spread_share(7, 3, 1), 2);
	assert_int_equal(spread_share(7, 3, 2), 2);
	assert_int_equal(spread_share(1, 4, 0), 1);
	assert_int_equal(spread_share(1, 4, 3), 0);
	assert_int_equal(spread_share(7, 3, 3), 0);
	for (ops = 0; ops < 300; ops++)
		for (w = 1; w <= 17; w++) {
			long long sum = 0, lo = ops, hi = 0;

			for (i = 0; i < w; i++) {
				long long s = spread_share(ops, w, i);

				sum += s;
				lo = s < lo ? s : lo;
				hi = s > hi ? s : hi;
			}
			assert_int_equal(sum, ops);
			assert_true(hi - lo <= 1);
		}
}

static void
test_prng_replay(void **state)
{
	struct prng a, b, c;
	int i, differ = 0;

	(void)state;
	prng_init(&a, 42, 1);
	prng_init(&b, 42, 1);
	prng_init(&c, 42, 2);
	for (i = 0; i < 1000; i++) {
		uint64_t x = prng_next(&a), y = prng_next(&b);

		assert_true(x == y);
		if (x != prng_next(&c))
			differ++;
	}
	assert_true(differ > 990);
	for (i = 0; i < 10000; i++)
		assert_true(prng_below(&a, 7) < 7);
	assert_true(prng_below(&a, 1) == 0);
}

static void
test_key(void **state)
{
	char h[KEY_HASH16_LEN + 1], full[65], key[256], id[9];
	int n;

	(void)state;
	key_hash16("", 0, h);
	assert_string_equal(h, "e3b0c44298fc1c14");
	key_sha256("abc", 3, full);
	assert_string_equal(full, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	key_hash16("abc", 3, h);
	n = key_format(key, sizeof(key), "/seg", "/seg/a.py", h);
	assert_string_equal(key, "/seg:/seg/a.py:ba7816bf8f01cfea:1");
	assert_int_equal(n, (int)strlen(key));
	assert_int_equal(key_format(NULL, 0, "/s", "/s/x.c", h), 28);
	key_segment_id("abc", id);
	assert_string_equal(id, "ba7816bf");
}

/* The JSON the extractor stores for src in language lang. */
static char *
extract(enum symlang lang, const char *src)
{
	struct symlist l = { NULL, 0, 0 };
	size_t len;
	char *json;

	assert_int_equal(symbols_extract(lang, src, strlen(src), &l), 0);
	json = symbols_json(&l, &len);
	assert_non_null(json);
	assert_int_equal(strlen(json), len);
	symbols_free(&l);
	return json;
}

static void
check(enum symlang lang, const char *src, const char *want)
{
	char *got = extract(lang, src);

	assert_string_equal(got, want);
	free(got);
}

static void
test_symbols_lang(void **state)
{
	(void)state;
	assert_int_equal(symbols_lang("a/b.py"), SYMLANG_PYTHON);
	assert_int_equal(symbols_lang("x.c"), SYMLANG_C);
	assert_int_equal(symbols_lang("x.h"), SYMLANG_C);
	assert_int_equal(symbols_lang("x.pyc"), SYMLANG_NONE);
	assert_int_equal(symbols_lang("dir.py/x"), SYMLANG_NONE);
	assert_int_equal(symbols_lang("Makefile"), SYMLANG_NONE);
}

static void
test_symbols_python(void **state)
{
	(void)state;
	check(SYMLANG_PYTHON, "", "[]");
	check(SYMLANG_PYTHON, "def f():\n    pass\n",
	    "[{\"kind\":\"function\",\"name\":\"f\",\"line\":1}]");
	check(SYMLANG_PYTHON,
	    "class A:\n"
	    "    async def m(self):\n"
	    "        def inner(): pass\n"
	    "def g(): pass\n",
	    "[{\"kind\":\"class\",\"name\":\"A\",\"line\":1},"
	    "{\"kind\":\"method\",\"name\":\"A.m\",\"line\":2},"
	    "{\"kind\":\"function\",\"name\":\"A.m.inner\",\"line\":3},"
	    "{\"kind\":\"function\",\"name\":\"g\",\"line\":4}]");
	/* Strings, comments and continued lines are not statements. */
	check(SYMLANG_PYTHON,
	    "s = '''\ndef no(): pass\n'''\n"
	    "# def no2(): pass\n"
	    "x = (1,\ndef_ )\n"
	    "y = 1 + \\\n  2\n"
	    "def yes(): pass\n",
	    "[{\"kind\":\"function\",\"name\":\"yes\",\"line\":9}]");
	/* CRLF lines, and a scope closed by a dedented statement. */
	check(SYMLANG_PYTHON,
	    "class A:\r\n    def m(self): pass\r\nx = 1\r\ndef f(): pass\r\n",
	    "[{\"kind\":\"class\",\"name\":\"A\",\"line\":1},"
	    "{\"kind\":\"method\",\"name\":\"A.m\",\"line\":2},"
	    "{\"kind\":\"function\",\"name\":\"f\",\"line\":4}]");
	/* Invalid UTF-8 in a name is replaced, so the JSON stays valid. */
	check(SYMLANG_PYTHON, "def a\xff(): pass\n",
	    "[{\"kind\":\"function\",\"name\":\"a?\",\"line\":1}]");
	/* Unterminated things end at the end of the input. */
	check(SYMLANG_PYTHON, "def f(:\n  '''",
	    "[{\"kind\":\"function\",\"name\":\"f\",\"line\":1}]");
}

static void
test_symbols_c(void **state)
{
	(void)state;
	check(SYMLANG_C, "", "[]");
	check(SYMLANG_C, "int main(void) { return 0; }\n",
	    "[{\"kind\":\"function\",\"name\":\"main\",\"line\":1}]");
	check(SYMLANG_C,
	    "typedef struct s {\n int a;\n} s_t, *s_p;\n"
	    "typedef int (*cb)(void);\n"
	    "enum e { A = '{' };\n"
	    "static int tbl[] = { 1, 2 };\n"
	    "int proto(int);\n"
	    "#define M(x) int m_##x(void) { }\n"
	    "static void\nf(int a)\n{\n\tif (a) { }\n}\n",
	    "[{\"kind\":\"struct\",\"name\":\"s\",\"line\":1},"
	    "{\"kind\":\"typedef\",\"name\":\"s_t\",\"line\":3},"
	    "{\"kind\":\"typedef\",\"name\":\"s_p\",\"line\":3},"
	    "{\"kind\":\"typedef\",\"name\":\"cb\",\"line\":4},"
	    "{\"kind\":\"enum\",\"name\":\"e\",\"line\":5},"
	    "{\"kind\":\"function\",\"name\":\"f\",\"line\":10}]");
	/* Comments and strings hide braces and names. */
	check(SYMLANG_C,
	    "/* int no(void) { } */\n"
	    "// struct no2 { };\n"
	    "const char *s = \"}\";\n"
	    "int yes(void) { return '}'; }\n",
	    "[{\"kind\":\"function\",\"name\":\"yes\",\"line\":4}]");
	/* A macro call with no semicolon before a definition. */
	check(SYMLANG_C, "RB_GENERATE(t, n, e, cmp)\nint g(void) { }\n",
	    "[{\"kind\":\"function\",\"name\":\"g\",\"line\":2}]");
	/* Unbalanced input ends without a crash. */
	check(SYMLANG_C, "int f(void) { {",
	    "[{\"kind\":\"function\",\"name\":\"f\",\"line\":1}]");
	check(SYMLANG_C, "/* open", "[]");
}

static void
test_sqlcode(void **state)
{
	(void)state;
	assert_string_equal(sqlcode_name(SQLITE_BUSY), "SQLITE_BUSY");
	assert_string_equal(sqlcode_name(SQLITE_BUSY_SNAPSHOT),
	    "SQLITE_BUSY_SNAPSHOT");
	assert_string_equal(sqlcode_name(SQLITE_IOERR_FSYNC),
	    "SQLITE_IOERR_FSYNC");
	assert_string_equal(sqlcode_name(SQLITE_CORRUPT | (99 << 8)),
	    "SQLITE_CORRUPT");
	assert_string_equal(sqlcode_name(4242), "SQLITE_UNKNOWN");
}

static void
put(const char *path, const char *s, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(s, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void
test_clean(void **state)
{
	char dir[] = "/tmp/test_harness.XXXXXX", db[PATH_MAX], p[PATH_MAX + 16];
	char msg[PATH_MAX + 128];
	struct stat st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(db, sizeof(db), "%s/c.db", dir);

	/* Nothing there: nothing to do. */
	assert_int_equal(clean_db(db, msg, sizeof(msg)), 0);
	/* Not a database: refused, intact. */
	put(db, "precious", 8);
	assert_int_equal(clean_db(db, msg, sizeof(msg)), 1);
	assert_non_null(strstr(msg, "is not an SQLite database"));
	assert_int_equal(stat(db, &st), 0);
	assert_int_equal(st.st_size, 8);
	/* Empty, or with the header: removed with its companions. */
	put(db, "SQLite format 3\0rest", 20);
	snprintf(p, sizeof(p), "%s-wal", db);
	put(p, "w", 1);
	assert_int_equal(clean_db(db, msg, sizeof(msg)), 0);
	assert_int_equal(stat(db, &st), -1);
	assert_int_equal(stat(p, &st), -1);
	put(db, "", 0);
	assert_int_equal(clean_db(db, msg, sizeof(msg)), 0);
	assert_int_equal(stat(db, &st), -1);
	/* A journal without its database: refused. */
	snprintf(p, sizeof(p), "%s-journal", db);
	put(p, "j", 1);
	assert_int_equal(clean_db(db, msg, sizeof(msg)), 1);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(unlink(p), 0);
	/* A link: refused, link and target intact. */
	snprintf(p, sizeof(p), "%s/target", dir);
	put(p, "", 0);
	assert_int_equal(symlink(p, db), 0);
	assert_int_equal(clean_db(db, msg, sizeof(msg)), 1);
	assert_non_null(strstr(msg, "is not a regular file"));
	assert_int_equal(lstat(db, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(unlink(db), 0);
	assert_int_equal(unlink(p), 0);
	/* mkdir -p */
	snprintf(p, sizeof(p), "%s/a/b/c", dir);
	assert_int_equal(clean_mkdirs(p), 0);
	assert_int_equal(clean_mkdirs(p), 0);
	assert_int_equal(stat(p, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	rmdir(p);
	snprintf(p, sizeof(p), "%s/a/b", dir);
	rmdir(p);
	snprintf(p, sizeof(p), "%s/a", dir);
	rmdir(p);
	assert_int_equal(rmdir(dir), 0);
}

static void
test_files_choose(void **state)
{
	struct fileset a, b;
	size_t i;

	(void)state;
	a.n = b.n = 10;
	a.rel = calloc(10, sizeof(char *));
	b.rel = calloc(10, sizeof(char *));
	assert_non_null(a.rel);
	assert_non_null(b.rel);
	for (i = 0; i < 10; i++) {
		assert_int_not_equal(asprintf(&a.rel[i], "f%zu.py", i), -1);
		assert_int_not_equal(asprintf(&b.rel[i], "f%zu.py", i), -1);
	}
	files_choose(&a, 4, 99);
	files_choose(&b, 4, 99);
	assert_int_equal(a.n, 4);
	for (i = 0; i < 4; i++)
		assert_string_equal(a.rel[i], b.rel[i]);
	files_free(&a);
	files_free(&b);
}

static void
subst(const char *arg, const char *want)
{
	char *got = cmd_subst(arg, "r1", 3, 42);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void
test_cmd_subst(void **state)
{
	(void)state;
	subst("", "");
	subst("plain", "plain");
	subst("{run_id}", "r1");
	subst("{worker}/{op}", "3/42");
	subst("x{run_id}y{worker}z{op}", "xr1y3z42");
	subst("{{run_id}", "{run_id}");
	subst("{{", "{");
	subst("{{{op}", "{42");
	subst("{nope} {run_id", "{nope} {run_id");
	subst("}}", "}}");
	subst("a b; touch /tmp/x", "a b; touch /tmp/x");
}

static void
test_cmd_env(void **state)
{
	char *base[] = { "PATH=/bin", "SOAK_OP=9", "MY_RUN=old", "FOO=old",
	    "FOOBAR=keep", NULL };
	char *ids[] = { "MY_RUN" }, *env[] = { "FOO=new=x" };
	char **e, *slot;
	size_t n;

	(void)state;
	e = cmd_env(base, "r1", 2, ids, 1, env, 1, &slot);
	assert_non_null(e);
	for (n = 0; e[n] != NULL; n++)
		;
	assert_int_equal(n, 7);
	assert_string_equal(e[0], "PATH=/bin");
	assert_string_equal(e[1], "FOOBAR=keep");
	assert_string_equal(e[2], "SOAK_RUN_ID=r1");
	assert_string_equal(e[3], "SOAK_WORKER=2");
	assert_string_equal(e[5], "MY_RUN=r1");
	assert_string_equal(e[6], "FOO=new=x");
	snprintf(slot, 25, "%d", 17);
	assert_string_equal(e[4], "SOAK_OP=17");
	cmd_env_free(e);
}

static void
test_cmd_find(void **state)
{
	char *p;

	(void)state;
	p = cmd_find("sh", "/nonexistent:/bin:/usr/bin");
	assert_non_null(p);
	assert_string_equal(p, "/bin/sh");
	free(p);
	p = cmd_find("/bin/sh", NULL);
	assert_non_null(p);
	free(p);
	assert_null(cmd_find("no-such-command-xyz", "/bin:/usr/bin"));
	assert_null(cmd_find("/etc/passwd", NULL));
	assert_null(cmd_find("", "/bin"));
	assert_null(cmd_find("tmp", "/"));	/* a folder is not a command */
}

struct collect {
	char buf[4096];
	size_t len;
	char warned[64];
};

static int
collect_out(void *arg, const char *line, size_t len)
{
	struct collect *c = arg;

	assert_true(c->len + len < sizeof(c->buf));
	memcpy(c->buf + c->len, line, len);
	c->len += len;
	c->buf[c->len] = '\0';
	return 0;
}

static void
collect_warn(void *arg, const char *what)
{
	struct collect *c = arg;

	snprintf(c->warned, sizeof(c->warned), "%s", what);
}

static void
append(const char *path, const char *s)
{
	FILE *f = fopen(path, "ab");

	assert_non_null(f);
	assert_int_equal(fputs(s, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void
test_telemetry(void **state)
{
	char dir[] = "/tmp/test_harness.XXXXXX", path[PATH_MAX + 16];
	struct collect c;
	struct telem *t;
	const struct telem_stats *st;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.jsonl", dir);
	append(path, "{\"run_id\":\"r\",\"n\":0}\n");
	/* Only what comes after the start counts. */
	t = telem_open(path);
	assert_non_null(t);
	append(path, "{\"run_id\":\"r\",\"n\":1}\r\n"
	    "{\"run_id\":\"other\"}\n"
	    "\n"
	    "not json\n"
	    "[1]\n"
	    "{\"x\":{\"run_id\":\"r\"}}\n"
	    "{\"run_id\":\"\\u0072\",\"n\":2}\n"
	    "{\"run_id\":\"r\",\"n\":3");
	assert_int_equal(telem_poll(t, "r", collect_out, collect_warn, &c), 0);
	assert_string_equal(c.buf, "{\"run_id\":\"r\",\"n\":1}\r\n"
	    "{\"run_id\":\"\\u0072\",\"n\":2}\n");
	st = telem_stats(t);
	assert_int_equal(st->passed, 2);
	assert_int_equal(st->skipped, 2);
	assert_int_equal(st->malformed, 2);
	assert_int_equal(st->partial_bytes, 19);
	/* The unfinished line is handed on once it ends. */
	append(path, "}\n");
	assert_int_equal(telem_poll(t, "r", collect_out, collect_warn, &c), 0);
	assert_non_null(strstr(c.buf, "{\"run_id\":\"r\",\"n\":3}\n"));
	assert_int_equal(st->passed, 3);
	assert_int_equal(st->partial_bytes, 0);
	/* Truncated: read again from the start. */
	assert_int_equal(truncate(path, 0), 0);
	append(path, "{\"run_id\":\"r\",\"n\":4}\n");
	assert_int_equal(telem_poll(t, "r", collect_out, collect_warn, &c), 0);
	assert_string_equal(c.warned, "truncated");
	assert_int_equal(st->passed, 4);
	/* Replaced: the same. */
	assert_int_equal(unlink(path), 0);
	append(path, "{\"run_id\":\"r\",\"n\":5}\n");
	c.warned[0] = '\0';
	assert_int_equal(telem_poll(t, "r", collect_out, collect_warn, &c), 0);
	assert_string_equal(c.warned, "replaced");
	assert_int_equal(st->passed, 5);
	assert_int_equal(st->resets, 2);
	telem_close(t);
	/* A file that appears during the run is read from its start. */
	assert_int_equal(unlink(path), 0);
	t = telem_open(path);
	assert_non_null(t);
	assert_int_equal(telem_poll(t, "r", collect_out, collect_warn, &c), 0);
	append(path, "{\"run_id\":\"r\"}\n");
	assert_int_equal(telem_poll(t, "r", collect_out, collect_warn, &c), 0);
	assert_int_equal(telem_stats(t)->passed, 1);
	telem_close(t);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spread_exact),
		cmocka_unit_test(test_prng_replay),
		cmocka_unit_test(test_key),
		cmocka_unit_test(test_symbols_lang),
		cmocka_unit_test(test_symbols_python),
		cmocka_unit_test(test_symbols_c),
		cmocka_unit_test(test_sqlcode),
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_files_choose),
		cmocka_unit_test(test_cmd_subst),
		cmocka_unit_test(test_cmd_env),
		cmocka_unit_test(test_cmd_find),
		cmocka_unit_test(test_telemetry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
