/* Unit tests for soak-harness's pure parts: spreading, the generator,
 * keys, symbol extraction, result code names, the clean rules, UTF-8,
 * the line splitter, the relay of a worker's pipe, the protocol's control
 * lines, the ledger and the chaos schedule. */
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "../../harness/chaos.h"
#include "../../harness/child.h"
#include "../../harness/clean.h"
#include "../../harness/clock.h"
#include "../../harness/cmd.h"
#include "../../harness/config.h"
#include "../../harness/dbwatch.h"
#include "../../harness/envinfo.h"
#include "../../harness/errtail.h"
#include "../../harness/files.h"
#include "../../harness/key.h"
#include "../../harness/ledger.h"
#include "../../harness/linebuf.h"
#include "../../harness/lock.h"
#include "../../harness/prng.h"
#include "../../harness/proto.h"
#include "../../harness/relay.h"
#include "../../harness/shard.h"
#include "../../harness/spread.h"
#include "../../harness/sqlcode.h"
#include "../../harness/symbols.h"
#include "../../harness/telemetry.h"
#include "../../harness/utf8.h"
#include "../../harness/workload.h"

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
	char msg[PATH_MAX + 128], name[301];
	struct stat st;
	size_t made;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(db, sizeof(db), "%s/c.db", dir);

	/* Nothing there: nothing to do. */
	assert_int_equal(clean_db(db, msg, sizeof(msg)), 0);
	/* Not a database: refused, intact. */
	put(db, "precious", 8);
	assert_int_equal(clean_db(db, msg, sizeof(msg)), 1);
	assert_non_null(strstr(msg, ": not an SQLite database"));
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
	assert_non_null(strstr(msg, ": not a regular file"));
	assert_int_equal(lstat(db, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(unlink(db), 0);
	assert_int_equal(unlink(p), 0);
	/* mkdir -p, and its undoing down to the first folder it made. */
	snprintf(p, sizeof(p), "%s/a", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/a/b/c/", dir);
	assert_int_equal(clean_mkdirs(p, &made), 0);
	assert_int_equal(made, strlen(dir) + strlen("/a/b"));
	assert_int_equal(clean_mkdirs(p, &made), 0);
	assert_int_equal(made, 0);
	assert_int_equal(stat(p, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	clean_rmdirs(p, strlen(dir) + strlen("/a/b"));
	snprintf(p, sizeof(p), "%s/a/b", dir);
	assert_int_equal(stat(p, &st), -1);
	snprintf(p, sizeof(p), "%s/a", dir);
	assert_int_equal(stat(p, &st), 0);
	/* A folder not empty stays, and so do those above it. */
	snprintf(p, sizeof(p), "%s/a/b/c", dir);
	assert_int_equal(clean_mkdirs(p, &made), 0);
	snprintf(p, sizeof(p), "%s/a/b/f", dir);
	put(p, "", 0);
	snprintf(p, sizeof(p), "%s/a/b/c", dir);
	clean_rmdirs(p, made);
	assert_int_equal(stat(p, &st), -1);
	snprintf(p, sizeof(p), "%s/a/b/f", dir);
	assert_int_equal(unlink(p), 0);
	snprintf(p, sizeof(p), "%s/a/b", dir);
	assert_int_equal(rmdir(p), 0);
	/* A path that climbs back into a folder that was there: only what
	 * was made after it is undone. */
	snprintf(p, sizeof(p), "%s/e", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/n/../e/s", dir);
	assert_int_equal(clean_mkdirs(p, &made), 0);
	assert_int_equal(made, strlen(p));
	clean_rmdirs(p, made);
	snprintf(p, sizeof(p), "%s/e/s", dir);
	assert_int_equal(stat(p, &st), -1);
	snprintf(p, sizeof(p), "%s/e", dir);
	assert_int_equal(rmdir(p), 0);
	snprintf(p, sizeof(p), "%s/n", dir);
	assert_int_equal(rmdir(p), 0);
	snprintf(p, sizeof(p), "%s/n/../a/..", dir);
	assert_int_equal(clean_mkdirs(p, &made), 0);
	assert_int_equal(made, 0);
	snprintf(p, sizeof(p), "%s/n", dir);
	assert_int_equal(rmdir(p), 0);
	/* A name too long after two folders made: -1, and both are gone. */
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	snprintf(p, sizeof(p), "%s/a/n/m/%s/x", dir, name);
	assert_int_equal(clean_mkdirs(p, &made), -1);
	assert_int_equal(errno, ENAMETOOLONG);
	assert_int_equal(made, 0);
	snprintf(p, sizeof(p), "%s/a/n", dir);
	assert_int_equal(stat(p, &st), -1);
	/* A file in the way: ENOTDIR, the file intact. */
	snprintf(p, sizeof(p), "%s/a/f", dir);
	put(p, "", 0);
	snprintf(p, sizeof(p), "%s/a/f/g", dir);
	assert_int_equal(clean_mkdirs(p, &made), -1);
	assert_int_equal(errno, ENOTDIR);
	snprintf(p, sizeof(p), "%s/a/f", dir);
	assert_int_equal(unlink(p), 0);
	snprintf(p, sizeof(p), "%s/a", dir);
	assert_int_equal(rmdir(p), 0);
	assert_int_equal(rmdir(dir), 0);
}

/* Ten names f0.py to f9.py, as files_find leaves them. */
static void
ten_files(struct fileset *fs)
{
	size_t i;

	fs->n = 10;
	fs->rel = calloc(10, sizeof(char *));
	assert_non_null(fs->rel);
	for (i = 0; i < 10; i++)
		assert_int_not_equal(asprintf(&fs->rel[i], "f%zu.py", i), -1);
}

/* The number of the name "fN.py", or -1. */
static int
file_number(const char *rel)
{
	return strlen(rel) == 5 && rel[0] == 'f' && rel[1] >= '0' &&
	    rel[1] <= '9' && strcmp(rel + 2, ".py") == 0 ? rel[1] - '0' : -1;
}

static void
test_files_choose(void **state)
{
	struct fileset a, b, c;
	unsigned seen = 0;
	size_t i, same = 0;
	int k;

	(void)state;
	ten_files(&a);
	ten_files(&b);
	ten_files(&c);
	files_choose(&a, 4, 99);
	files_choose(&b, 4, 99);
	files_choose(&c, 4, 100);
	assert_int_equal(a.n, 4);
	assert_int_equal(c.n, 4);
	for (i = 0; i < 4; i++) {
		/* The same seed, the same choice; four of the ten, apart. */
		assert_string_equal(a.rel[i], b.rel[i]);
		k = file_number(a.rel[i]);
		assert_in_range(k, 0, 9);
		assert_false(seen & 1u << k);
		seen |= 1u << k;
		same += strcmp(a.rel[i], c.rel[i]) == 0;
	}
	/* Not simply the first four, and another seed chooses otherwise. */
	assert_int_not_equal(seen, 0xfu);
	assert_true(same < 4);
	files_free(&a);
	files_free(&b);
	files_free(&c);
	/* Asking for more than there are keeps them all. */
	ten_files(&a);
	files_choose(&a, 20, 5);
	assert_int_equal(a.n, 10);
	for (i = 0, seen = 0; i < 10; i++) {
		k = file_number(a.rel[i]);
		assert_in_range(k, 0, 9);
		seen |= 1u << k;
	}
	assert_int_equal(seen, 0x3ffu);
	files_free(&a);
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
	/* Cut and written again past where it was: read from its start,
	 * not from the middle of a line. */
	assert_int_equal(truncate(path, 0), 0);
	append(path, "{\"run_id\":\"r\",\"n\":6}\n{\"run_id\":\"r\",\"n\":7}\n");
	c.warned[0] = '\0';
	assert_int_equal(telem_poll(t, "r", collect_out, collect_warn, &c), 0);
	assert_string_equal(c.warned, "truncated");
	assert_int_equal(st->passed, 7);
	assert_int_equal(st->malformed, 2);
	assert_int_equal(st->resets, 3);
	/* Appended to, the bytes before stay: no reset. */
	append(path, "{\"run_id\":\"r\",\"n\":8}\n");
	c.warned[0] = '\0';
	assert_int_equal(telem_poll(t, "r", collect_out, collect_warn, &c), 0);
	assert_string_equal(c.warned, "");
	assert_int_equal(st->passed, 8);
	assert_int_equal(st->resets, 3);
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

static void
test_utf8(void **state)
{
	char *f;
	size_t n;

	(void)state;
	assert_int_equal(utf8_valid("abc", 3), 3);
	assert_int_equal(utf8_valid("a\xc3\xa9z", 4), 4);
	assert_int_equal(utf8_valid("\xf0\x9f\x98\x80", 4), 4);
	/* Overlong, surrogate, above U+10FFFF, cut, stray continuation. */
	assert_int_equal(utf8_valid("a\xc0\xaf", 3), 1);
	assert_int_equal(utf8_valid("a\xe0\x80\xaf", 4), 1);
	assert_int_equal(utf8_valid("a\xed\xa0\x80", 4), 1);
	assert_int_equal(utf8_valid("a\xf4\x90\x80\x80", 5), 1);
	assert_int_equal(utf8_valid("a\xe2\x82", 3), 1);
	assert_int_equal(utf8_valid("\x80", 1), 0);
	assert_int_equal(utf8_printable("caf\xc3\xa9.py"), 1);
	assert_int_equal(utf8_printable("a\tb"), 0);
	assert_int_equal(utf8_printable("a\x7f"), 0);
	assert_int_equal(utf8_printable("a\xed\xa0\x80"), 0);
	f = utf8_fix("a\xffz\xc3", 4, &n);
	assert_non_null(f);
	assert_int_equal(n, 8);
	assert_string_equal(f, "a\xef\xbf\xbdz\xef\xbf\xbd");
	free(f);
	/* A cut inside a character moves on past it. */
	assert_int_equal(utf8_boundary("a\xe2\x82\xac" "b", 5, 2), 4);
	assert_int_equal(utf8_boundary("a\xe2\x82\xac" "b", 5, 3), 4);
	assert_int_equal(utf8_boundary("a\xe2\x82\xac" "b", 5, 1), 1);
	assert_int_equal(utf8_boundary("a\xe2\x82\xac", 4, 2), 4);
	assert_int_equal(utf8_boundary("ab", 2, 1), 1);
	assert_int_equal(utf8_boundary("ab", 2, 9), 2);
	assert_int_equal(utf8_boundary("\x80\x80", 2, 1), 1);
}

struct lines_seen {
	char buf[256];
	size_t len;
	int n;
};

static int
lines_keep(void *arg, const char *line, size_t len)
{
	struct lines_seen *ls = arg;

	assert_true(ls->len + len < sizeof(ls->buf));
	memcpy(ls->buf + ls->len, line, len);
	ls->len += len;
	ls->buf[ls->len] = '\0';
	ls->n++;
	return 0;
}

/* Put s into b as read bytes. */
static void
lines_put(struct linebuf *b, const char *s, struct lines_seen *ls)
{
	size_t n = strlen(s);
	char *p = linebuf_space(b, n);

	assert_non_null(p);
	memcpy(p, s, n);
	assert_int_equal(linebuf_commit(b, n, lines_keep, ls), 0);
}

static void
test_linebuf(void **state)
{
	struct lines_seen ls;
	struct linebuf *b;
	char *big, *p;
	size_t n = LINEBUF_MAX + 10;

	(void)state;
	memset(&ls, 0, sizeof(ls));
	assert_non_null(b = linebuf_new());
	lines_put(b, "one\ntw", &ls);
	assert_string_equal(ls.buf, "one\n");
	assert_int_equal(linebuf_pending(b), 2);
	lines_put(b, "o\n\nthree", &ls);
	assert_string_equal(ls.buf, "one\ntwo\n\n");
	assert_int_equal(ls.n, 3);
	assert_int_equal(linebuf_pending(b), 5);
	linebuf_reset(b);
	assert_int_equal(linebuf_pending(b), 0);
	/* A line over the limit is dropped to its newline, counted once. */
	assert_non_null(big = malloc(n));
	memset(big, 'x', n);
	assert_non_null(p = linebuf_space(b, n));
	memcpy(p, big, n);
	assert_int_equal(linebuf_commit(b, n, lines_keep, &ls), 0);
	assert_int_equal(linebuf_overlong(b), 1);
	lines_put(b, "xx\nfour\n", &ls);
	assert_string_equal(ls.buf, "one\ntwo\n\nfour\n");
	assert_int_equal(linebuf_overlong(b), 1);
	assert_int_equal(linebuf_dropped(b), (long long)n + 3);
	/* The same line arriving whole with its newline. */
	big[n - 1] = '\n';
	assert_non_null(p = linebuf_space(b, n));
	memcpy(p, big, n);
	assert_int_equal(linebuf_commit(b, n, lines_keep, &ls), 0);
	assert_int_equal(linebuf_overlong(b), 2);
	assert_int_equal(ls.n, 4);
	free(big);
	linebuf_free(b);
	linebuf_free(NULL);
}

struct relay_seen {
	struct lines_seen ev;
	char keys[256];
	int commits, refuse;
};

static int
relay_ev(void *arg, const char *line, size_t len)
{
	return lines_keep(&((struct relay_seen *)arg)->ev, line, len);
}

static int
relay_commit(void *arg, const struct proto_commit *c)
{
	struct relay_seen *rs = arg;
	size_t n = strlen(rs->keys);

	assert_int_equal(c->digest[0], 'a');
	assert_int_equal(c->digest[63], 'f');
	snprintf(rs->keys + n, sizeof(rs->keys) - n, "%.*s;", (int)c->keylen,
	    c->key);
	rs->commits++;
	return rs->refuse ? -1 : 0;
}

static void
test_relay(void **state)
{
	static const struct relay_cb cb = { relay_ev, relay_commit };
	struct relay_seen rs;
	struct relay *r;
	char digest[65], *line;
	size_t n;

	(void)state;
	memset(&rs, 0, sizeof(rs));
	memset(digest, 'b', 64);
	digest[0] = 'a';
	digest[63] = 'f';
	digest[64] = '\0';
	assert_non_null(r = relay_new(&cb, &rs));
	assert_non_null(line = proto_commit_line(digest, "seg:f.py:h:1", &n));
	assert_int_equal(n, 3 + 64 + 1 + 12 + 1);
	/* An operation's lines and its end, cut anywhere by the pipe. */
	assert_int_equal(relay_feed(r, "{\"a\":1}\n{\"b\"", 12), 0);
	assert_int_equal(relay_feed(r, ":2}\n", 4), 0);
	assert_int_equal(relay_feed(r, line, 10), 0);
	assert_int_equal(relay_feed(r, line + 10, n - 10), 0);
	assert_int_equal(relay_feed(r, PROTO_DONE_LINE "\n\001X\n{\"c\"",
	    4 + 3 + 4), 0);
	assert_string_equal(rs.ev.buf, "{\"a\":1}\n{\"b\":2}\n");
	assert_string_equal(rs.keys, "seg:f.py:h:1;");
	assert_int_equal(relay_lines(r), 2);
	assert_int_equal(relay_ops(r), 1);
	assert_int_equal(relay_bad(r), 1);
	assert_int_equal(relay_partial(r), 4);
	/* A commit that cannot be kept is a bad line. */
	rs.refuse = 1;
	assert_int_equal(relay_feed(r, "}\n", 2), 0);
	assert_int_equal(relay_feed(r, line, n), 0);
	assert_int_equal(relay_bad(r), 2);
	assert_int_equal(relay_lines(r), 3);
	assert_int_equal(relay_partial(r), 0);
	/* Closed with a line unfinished: the counts stay, nothing more is
	 * taken, and the buffer is gone (valgrind and ASan see it freed). */
	assert_int_equal(relay_feed(r, "{\"d\"", 4), 0);
	relay_close(r);
	relay_close(r);
	assert_int_equal(relay_lines(r), 3);
	assert_int_equal(relay_ops(r), 1);
	assert_int_equal(relay_bad(r), 2);
	assert_int_equal(relay_partial(r), 4);
	errno = 0;
	assert_int_equal(relay_feed(r, "}\n", 2), -1);
	assert_int_equal(errno, EBADF);
	assert_int_equal(relay_read(r, 0), -1);
	assert_int_equal(errno, EBADF);
	assert_int_equal(relay_lines(r), 3);
	free(line);
	relay_free(r);
	relay_close(NULL);
	assert_int_equal(relay_lines(NULL), 0);
	assert_int_equal(relay_ops(NULL), 0);
}

static void
test_proto(void **state)
{
	struct proto_commit c;
	char line[3 + 64 + 1 + 3];

	(void)state;
	assert_int_equal(proto_parse("{}", 2, &c), PROTO_EVENT);
	assert_int_equal(proto_parse("", 0, &c), PROTO_EVENT);
	assert_int_equal(proto_parse("\001D", 2, &c), PROTO_DONE);
	assert_int_equal(proto_parse("\001Dx", 3, &c), PROTO_BAD);
	assert_int_equal(proto_parse("\001W\t", 3, &c), PROTO_BAD);
	memset(line, '0', sizeof(line));
	memcpy(line, "\001W\t", 3);
	line[3 + 64] = '\t';
	memcpy(line + 3 + 64 + 1, "k:y", 3);
	assert_int_equal(proto_parse(line, sizeof(line), &c), PROTO_COMMIT);
	assert_int_equal(c.keylen, 3);
	assert_memory_equal(c.key, "k:y", 3);
	assert_ptr_equal(c.digest, line + 3);
	line[3 + 64] = 'x';
	assert_int_equal(proto_parse(line, sizeof(line), &c), PROTO_BAD);
	assert_string_equal(lock_result_name(LOCK_OK), "ok");
	assert_string_equal(lock_result_name(LOCK_TIMEOUT), "lock_timeout");
	assert_string_equal(lock_result_name(LOCK_STOPPED), "stopped");
	assert_string_equal(lock_result_name(LOCK_ERROR), "lock_error");
}

/* Claim every field of f, n of them, with v, from the first on. */
static long long
claim_all(long long *f, long n, long long v)
{
	long long won = 0;
	long i;

	for (i = 0; i < n; i++)
		won += proto_claim(&f[i], v);
	return won;
}

/*
 * A worker and the parent claim the same fields at once, as a worker
 * counting its last operation and a chaos kill do: each field is won by
 * exactly one side, and holds the winner's value.  Both sides spin on a
 * flag in the shared page, so that they start within a few cycles.
 */
static void
test_proto_claim(void **state)
{
	enum { N = 1 << 22 };
	long long *f, *won, mine, f0;
	volatile long long *ready;
	int status;
	long i, kills = 0, counted = 0, empty = 0;
	pid_t pid;

	(void)state;
	f = mmap(NULL, (N + 2) * sizeof(*f), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(f != MAP_FAILED);
	won = &f[N];
	ready = &f[N + 1];
	if ((pid = fork()) == 0) {
		__atomic_add_fetch(ready, 1, __ATOMIC_SEQ_CST);
		while (__atomic_load_n(ready, __ATOMIC_SEQ_CST) < 2)
			;
		*won = claim_all(f, N, LAST_COUNTED);
		_exit(0);
	}
	assert_true(pid > 0);
	__atomic_add_fetch(ready, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(ready, __ATOMIC_SEQ_CST) < 2)
		;
	mine = claim_all(f, N, LAST_KILLED);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	for (i = 0; i < N; i++) {
		kills += f[i] == LAST_KILLED;
		counted += f[i] == LAST_COUNTED;
		empty += f[i] == 0;
	}
	assert_int_equal(empty, 0);
	assert_int_equal(mine + *won, N);
	assert_int_equal(kills, mine);
	assert_int_equal(counted, *won);
	/* A claim on a settled field fails and leaves it as it was. */
	f0 = f[0];
	assert_int_equal(proto_claim(&f[0], f0 == LAST_KILLED ? LAST_COUNTED :
	    LAST_KILLED), 0);
	assert_int_equal(f[0], f0);
	assert_int_equal(munmap(f, (N + 2) * sizeof(*f)), 0);
}

/*
 * A workload for child_main whose operations are only counted, in
 * shared memory: the first one sleeps fake.ms and returns fake.first (1:
 * not an operation, run it again, as when --chaos-kill killed the run).
 */
static struct {
	long long *calls;
	int first;
	long ms;
} fake;

static int
fake_new(const struct wctx *c, struct emitter *em, struct batch *b,
    void **w)
{
	(void)c;
	(void)em;
	(void)b;
	*w = &fake;
	return 0;
}

static int
fake_op(void *w, long long op)
{
	struct timespec ts = { 0, 0 };

	(void)w;
	(void)op;
	if (__atomic_add_fetch(fake.calls, 1, __ATOMIC_SEQ_CST) > 1)
		return 0;
	ts.tv_nsec = fake.ms * 1000000L;
	nanosleep(&ts, NULL);
	return fake.first;
}

static void
fake_free(void *w)
{
	(void)w;
}

/*
 * Run a worker of share 5 on the fake workload, its deadline after_ms
 * from now (negative: passed), redo as a replacement's.  Returns the
 * operations it ran; *done: the ones it counted (its done lines).
 */
static long long
worker_ops(int redo, double after_ms, int first, long ms, int *done)
{
	static const struct workload wl = { .child_new = fake_new,
	    .child_op = fake_op, .child_free = fake_free };
	static struct config cf;
	struct wctx c;
	char buf[4096], *at;
	int out[2], go[2], status;
	long long calls;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	fake.calls = mmap(NULL, sizeof(*fake.calls), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(fake.calls != MAP_FAILED);
	*fake.calls = 0;
	fake.first = first;
	fake.ms = ms;
	cf.run_id = "t";
	assert_int_equal(pipe(out), 0);
	assert_int_equal(pipe(go), 0);
	close(go[1]);
	memset(&c, 0, sizeof(c));
	c.cf = &cf;
	c.index = 1;
	c.share = 5;
	c.fd = out[1];
	c.gofd = go[0];
	c.st = mmap(NULL, sizeof(*c.st), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(c.st != MAP_FAILED);
	memset(c.st, 0, sizeof(*c.st));
	c.deadline_ms = clock_ms() + after_ms;
	c.redo = redo;
	if ((pid = fork()) == 0) {
		close(out[0]);
		child_main(&wl, &c);
	}
	assert_true(pid > 0);
	close(out[1]);
	close(go[0]);
	while ((n = read(out[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	close(out[0]);
	buf[len] = '\0';
	for (*done = 0, at = buf; (at = strstr(at, PROTO_DONE_LINE)) != NULL;
	    at += sizeof(PROTO_DONE_LINE) - 1)
		++*done;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == CHILD_DONE);
	calls = *fake.calls;
	assert_int_equal(munmap(fake.calls, sizeof(*fake.calls)), 0);
	assert_int_equal(munmap(c.st, sizeof(*c.st)), 0);
	return calls;
}

/*
 * The deadline stops a worker before its next operation, but never
 * before one a chaos kill took: a replacement's first, or one the
 * workload runs again after its run was killed.
 */
static void
test_child_deadline(void **state)
{
	int done;

	(void)state;
	assert_int_equal(worker_ops(0, -1, 0, 0, &done), 0);
	assert_int_equal(done, 0);
	assert_int_equal(worker_ops(1, -1, 0, 0, &done), 1);
	assert_int_equal(done, 1);
	assert_int_equal(worker_ops(0, 500, 0, 600, &done), 1);
	assert_int_equal(done, 1);
	assert_int_equal(worker_ops(0, 500, 1, 600, &done), 2);
	assert_int_equal(done, 1);
	assert_int_equal(worker_ops(1, 1e6, 0, 0, &done), 5);
	assert_int_equal(done, 5);
}

struct ledger_seen {
	char out[256];
};

static void
ledger_keep(void *arg, const char *key, const char *digest, int conflict)
{
	struct ledger_seen *ls = arg;
	size_t n = strlen(ls->out);

	snprintf(ls->out + n, sizeof(ls->out) - n, "%s=%c%d;", key, digest[0],
	    conflict);
}

static void
test_ledger(void **state)
{
	struct ledger_seen ls;
	struct ledger *l;
	char a[65], b[65];

	(void)state;
	memset(&ls, 0, sizeof(ls));
	memset(a, 'a', 64);
	memset(b, 'b', 64);
	a[64] = b[64] = '\0';
	assert_non_null(l = ledger_new());
	assert_int_equal(ledger_commit(l, "k2xx", 2, a), 0);
	assert_int_equal(ledger_commit(l, "k1", 2, a), 0);
	assert_int_equal(ledger_commit(l, "k1", 2, a), 0);
	assert_int_equal(ledger_commit(l, "k2", 2, b), 0);
	ledger_foreach(l, ledger_keep, &ls);
	/* In key order; k2 committed with two values is in conflict. */
	assert_string_equal(ls.out, "k1=a0;k2=a1;");
	ledger_free(l);
	ledger_free(NULL);
}

struct pick_seen {
	int calls_write, calls_any, writer;
};

static int
pick_one(void *arg, int in_write, uint64_t r)
{
	struct pick_seen *p = arg;

	(void)r;
	if (in_write) {
		p->calls_write++;
		return p->writer;
	}
	p->calls_any++;
	return 7;
}

static void
test_chaos(void **state)
{
	struct pick_seen p = { 0, 0, -1 };
	struct chaos *ch;

	(void)state;
	assert_non_null(ch = chaos_new(0, 1));
	assert_int_equal(chaos_left(ch), 0);
	assert_int_equal(chaos_step(ch, 1.0, 0, pick_one, &p), -1);
	chaos_free(ch);
	assert_non_null(ch = chaos_new(2, 42));
	/* Nothing is due before 5% of the run. */
	assert_int_equal(chaos_step(ch, 0.04, 0, pick_one, &p), -1);
	assert_int_equal(p.calls_write, 0);
	assert_int_equal(chaos_hunting(ch), 0);
	/* Past the first part's end the kill is due: a writer goes first. */
	p.writer = 3;
	assert_int_equal(chaos_step(ch, 0.48, 1, pick_one, &p), 3);
	assert_int_equal(chaos_sent(ch), 1);
	assert_int_equal(chaos_left(ch), 1);
	/* No writer, and far past the second point: any busy worker. */
	p.writer = -1;
	assert_int_equal(chaos_step(ch, 0.99, 2, pick_one, &p), 7);
	assert_int_equal(chaos_left(ch), 0);
	/* A kill that missed is due again. */
	chaos_missed(ch);
	assert_int_equal(chaos_left(ch), 1);
	chaos_free(ch);
	chaos_free(NULL);
}

static void
test_envinfo(void **state)
{
	struct envinfo e;

	(void)state;
	assert_string_equal(envinfo_fs_name(0xef53), "ext4");
	assert_string_equal(envinfo_fs_name(0x6969), "nfs");
	assert_string_equal(envinfo_fs_name(0x65735546), "fuse");
	assert_string_equal(envinfo_fs_name(0x12345678), "unknown");
	assert_int_equal(envinfo_fs_trusted("ext4"), 1);
	assert_int_equal(envinfo_fs_trusted("tmpfs"), 1);
	assert_int_equal(envinfo_fs_trusted("unknown"), 1);
	assert_int_equal(envinfo_fs_trusted("nfs"), 0);
	assert_int_equal(envinfo_fs_trusted("cifs"), 0);
	assert_int_equal(envinfo_fs_trusted("9p"), 0);
	assert_int_equal(envinfo_fs_trusted("fuse"), 0);
	/* A database not made yet: its nearest existing folder is named. */
	envinfo_read(&e, "/tmp/no/such/dir/c.db", NULL);
	assert_string_equal(e.fs_path, "/tmp");
	assert_true(e.cpus >= 1);
	envinfo_read(&e, NULL, "/");
	assert_string_equal(e.fs_path, "/");
	assert_true(e.fs_free_bytes >= 0);
}

static void
test_errtail(void **state)
{
	struct errtail t;
	const char *msg, *p;
	char big[ERRTAIL_KEEP + 100];
	size_t n;

	(void)state;
	errtail_reset(&t);
	errtail_add(&t, "Error: stepping, ", 17);
	errtail_add(&t, "database is locked (5)\n", 23);
	assert_int_equal(t.total, 40);
	assert_int_equal(errtail_sqlite(t.buf, t.len, &msg), SQLITE_BUSY);
	assert_string_equal(msg, "database is locked");
	/* The first message wins; none at all is 0. */
	assert_int_equal(errtail_sqlite("disk I/O error, then database is "
	    "locked", 40, &msg), SQLITE_IOERR);
	assert_int_equal(errtail_sqlite("no such table: t", 16, &msg), 0);
	/* The text of codes SQLite has none for is nobody's error. */
	assert_int_equal(errtail_sqlite("curl: (56) unknown error", 24, &msg),
	    0);
	assert_int_equal(errtail_sqlite("file is not a database", 22, &msg),
	    SQLITE_NOTADB);
	/* Only the last ERRTAIL_KEEP bytes stay. */
	memset(big, 'x', sizeof(big));
	memcpy(big + sizeof(big) - 5, "tail\n", 5);
	errtail_add(&t, big, sizeof(big));
	assert_int_equal(t.len, ERRTAIL_KEEP);
	assert_memory_equal(t.buf + ERRTAIL_KEEP - 5, "tail\n", 5);
	p = errtail_last(&t, 3, &n);
	assert_int_equal(n, 3);
	assert_memory_equal(p, "il\n", 3);
	/* A window starting inside a character starts after it. */
	errtail_reset(&t);
	errtail_add(&t, "a\xe2\x82\xac" "b", 5);
	p = errtail_last(&t, 3, &n);
	assert_int_equal(n, 1);
	assert_memory_equal(p, "b", 1);
	p = errtail_last(&t, 4, &n);
	assert_int_equal(n, 4);
}

static void
test_dbwatch(void **state)
{
	char dir[] = "/tmp/test_dbwatch.XXXXXX", db[PATH_MAX], shm[PATH_MAX];
	struct db_files f;
	struct db_window w;
	struct flock fl;
	int fd, p[2];
	pid_t kid;
	char c;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(db, sizeof(db), "%s/c.db", dir);
	snprintf(shm, sizeof(shm), "%s/c.db-shm", dir);
	dbwatch_sizes(db, &f);
	assert_int_equal(f.db, -1);
	assert_int_equal(dbwatch_writer(db), -1);
	assert_true((fd = open(db, O_RDWR | O_CREAT, 0644)) >= 0);
	assert_int_equal(write(fd, "12345", 5), 5);
	dbwatch_sizes(db, &f);
	assert_int_equal(f.db, 5);
	assert_int_equal(f.wal, -1);
	assert_int_equal(dbwatch_writer(db), 0);
	/* Another process holding the RESERVED byte is the writer. */
	assert_int_equal(pipe(p), 0);
	if ((kid = fork()) == 0) {
		memset(&fl, 0, sizeof(fl));
		fl.l_type = F_WRLCK;
		fl.l_whence = SEEK_SET;
		fl.l_start = 0x40000001L;
		fl.l_len = 1;
		if (fcntl(fd, F_SETLK, &fl) < 0 || write(p[1], "k", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	assert_int_equal(read(p[0], &c, 1), 1);
	assert_int_equal(dbwatch_writer(db), kid);
	kill(kid, SIGKILL);
	waitpid(kid, NULL, 0);
	assert_int_equal(dbwatch_writer(db), 0);
	close(fd);
	close(p[0]);
	close(p[1]);
	/* A window: first, last, largest, and what the samples saw. */
	dbwatch_reset(&w);
	f.db = -1;
	f.wal = f.journal = f.shm = -1;
	dbwatch_add(&w, &f, 0);
	f.db = 8192;
	f.journal = 512;
	dbwatch_add(&w, &f, 1);
	f.db = 4096;
	f.journal = -1;
	f.wal = 100;
	dbwatch_add(&w, &f, 0);
	assert_int_equal(w.samples, 3);
	assert_int_equal(w.present, 2);
	assert_int_equal(w.db_first, 8192);
	assert_int_equal(w.db_last, 4096);
	assert_int_equal(w.db_max, 8192);
	assert_int_equal(w.wal_last, 100);
	assert_int_equal(w.journal_max, 512);
	assert_int_equal(w.journal_seen, 1);
	assert_int_equal(w.writer_held, 1);
	assert_int_equal(unlink(db), 0);
	assert_int_equal(rmdir(dir), 0);
}

static void
test_shard(void **state)
{
	double t;
	int k, n;

	(void)state;
	assert_int_equal(shard_parse("1/4", &k, &n), 0);
	assert_int_equal(k, 1);
	assert_int_equal(n, 4);
	assert_int_equal(shard_parse("4/4", &k, &n), 0);
	assert_int_equal(shard_parse("10000/10000", &k, &n), 0);
	assert_int_equal(shard_parse("0/4", &k, &n), -1);
	assert_int_equal(shard_parse("5/4", &k, &n), -1);
	assert_int_equal(shard_parse("1/0", &k, &n), -1);
	assert_int_equal(shard_parse("a/b", &k, &n), -1);
	assert_int_equal(shard_parse("1/10001", &k, &n), -1);
	assert_int_equal(shard_parse("1/4 ", &k, &n), -1);
	assert_int_equal(shard_parse("+1/4", &k, &n), -1);
	assert_int_equal(shard_parse("000001/4", &k, &n), -1);
	assert_int_equal(shard_time("1796130000", &t), 0);
	assert_true(t == 1796130000.0);
	assert_int_equal(shard_time("2026-12-01T10:00:00Z", &t), 0);
	assert_true(t == 1796119200.0);
	assert_int_equal(shard_time("2026-12-01 10:00:00.25Z", &t), 0);
	assert_true(t == 1796119200.25);
	assert_int_equal(shard_time("2026-12-01T10:00:00", &t), -1);
	assert_int_equal(shard_time("2026-12-01T10:00:00+01:00", &t), -1);
	assert_int_equal(shard_time("2026-12-01T10:00:00.Z", &t), -1);
	assert_int_equal(shard_time("", &t), -1);
	assert_int_equal(shard_time("-5", &t), -1);
	/* Worker numbers of 2 shards of 2 workers: 1 3 and 2 4. */
	assert_int_equal(shard_worker(0, 1, 2), 1);
	assert_int_equal(shard_worker(1, 1, 2), 3);
	assert_int_equal(shard_worker(0, 2, 2), 2);
	assert_int_equal(shard_worker(1, 2, 2), 4);
	assert_int_equal(shard_worker(4, 1, 1), 5);
}

/* Hold an exclusive flock on path for ms milliseconds in a child; returns
 * once it is held. */
static pid_t
hold_lock(const char *path, int ms)
{
	int p[2], fd;
	pid_t kid;
	char c;

	assert_int_equal(pipe(p), 0);
	if ((kid = fork()) == 0) {
		fd = open(path, O_RDWR | O_CREAT, 0644);
		if (fd < 0 || flock(fd, LOCK_EX) < 0 || write(p[1], "k", 1) != 1)
			_exit(1);
		usleep((useconds_t)ms * 1000);
		_exit(0);
	}
	assert_int_equal(read(p[0], &c, 1), 1);
	close(p[0]);
	close(p[1]);
	return kid;
}

static void
test_lock(void **state)
{
	char path[] = "/tmp/test_lock.XXXXXX";
	volatile sig_atomic_t stop = 0;
	double waited;
	pid_t kid;
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	close(fd);
	assert_int_equal(lock_init(), 0);
	assert_true((fd = lock_open(path)) >= 0);
	/* Free: taken at once, no wait. */
	assert_int_equal(lock_take(fd, 100, &waited, &stop), LOCK_OK);
	assert_true(waited == 0);
	lock_release(fd);
	/* Held 200 ms elsewhere: taken once let go. */
	kid = hold_lock(path, 200);
	assert_int_equal(lock_take(fd, 5000, &waited, &stop), LOCK_OK);
	assert_true(waited >= 100 && waited < 3000);
	lock_release(fd);
	waitpid(kid, NULL, 0);
	/* Held longer than the timeout: the timer ends the wait. */
	kid = hold_lock(path, 600);
	assert_int_equal(lock_take(fd, 50, &waited, &stop), LOCK_TIMEOUT);
	assert_true(waited >= 50 && waited < 400);
	/* A stop already asked for ends it too. */
	stop = 1;
	assert_int_equal(lock_take(fd, 5000, &waited, &stop), LOCK_STOPPED);
	waitpid(kid, NULL, 0);
	close(fd);
	unlink(path);
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
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_linebuf),
		cmocka_unit_test(test_relay),
		cmocka_unit_test(test_proto),
		cmocka_unit_test(test_proto_claim),
		cmocka_unit_test(test_child_deadline),
		cmocka_unit_test(test_ledger),
		cmocka_unit_test(test_chaos),
		cmocka_unit_test(test_envinfo),
		cmocka_unit_test(test_errtail),
		cmocka_unit_test(test_dbwatch),
		cmocka_unit_test(test_shard),
		cmocka_unit_test(test_lock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
