/* checks.c: the checks after a run: recovery, integrity, verify. */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache.h"
#include "checks.h"
#include "clean.h"
#include "clock.h"
#include "config.h"
#include "event.h"
#include "files.h"
#include "key.h"
#include "ledger.h"
#include "sqlcode.h"
#include "symbols.h"

#define CHECKS_MAX_ROWS 100

void
checks_recover(const struct checks *ck)
{
	struct cache *c;
	char *value = NULL;
	size_t len;

	if (clean_is_sqlite(ck->cf->db) != 1)
		return;
	if (cache_open(&c, ck->cf->db, &ck->cf->cache, CACHE_WORKER) == 0)
		cache_get(c, "", &value, &len);
	free(value);
	cache_close(c);
}

/* 1 when path + suffix names something (not followed). */
static int
checks_there(const char *path, const char *suffix)
{
	char name[PATH_MAX];
	struct stat st;

	if (snprintf(name, sizeof(name), "%s%s", path, suffix) >=
	    (int)sizeof(name))
		return 1;	/* too long to tell: assume it was there */
	return lstat(name, &st) == 0 || errno != ENOENT;
}

int
checks_companions(const struct checks *ck)
{
	return checks_there(ck->cf->db, "-wal") |
	    checks_there(ck->cf->db, "-shm") << 1;
}

void
checks_settle(const struct checks *ck, int before)
{
	if (before != 0 || checks_companions(ck) == 0 ||
	    clean_is_sqlite(ck->cf->db) != 1 || access(ck->cf->db, W_OK) < 0)
		return;
	(void)cache_settle(ck->cf->db, ck->cf->cache.busy_timeout_ms);
}

/* The status of the check: the first row, or why it could not run. */
static const char *
checks_status(const struct cache *c, int rc, char **rows, size_t n)
{
	if (rc != 0)
		return c != NULL ? sqlcode_name(cache_errcode(c)) :
		    "SQLITE_NOMEM";
	return n > 0 ? rows[0] : "no rows";
}

/* What db is when it is not a file SQLite could read: "missing", "not a
 * regular file", "not a database"; NULL when it may be one. */
static const char *
checks_kind(const char *db)
{
	struct stat st;

	if (stat(db, &st) < 0)
		return errno == ENOENT || errno == ENOTDIR ? "missing" :
		    "not readable";
	if (!S_ISREG(st.st_mode))
		return "not a regular file";
	return clean_is_sqlite(db) == 0 ? "not a database" : NULL;
}

/* The integrity line of a database that was never opened. */
static void
checks_unopened(const struct checks *ck, const char *kind)
{
	char msg[4200];

	snprintf(msg, sizeof(msg), "%s %s", ck->cf->db,
	    strcmp(kind, "missing") == 0 ? "does not exist" :
	    strcmp(kind, "not a database") == 0 ?
	    "does not start with SQLite's header" : "is not a regular file");
	ev_begin(ck->em, "ast.cache.integrity_check");
	ev_str(ck->em, "db", ck->cf->db);
	ev_int(ck->em, "max_rows", CHECKS_MAX_ROWS);
	ev_result(ck->em);
	ev_str(ck->em, "status", kind);
	ev_array(ck->em, "rows");
	ev_close(ck->em);
	ev_str(ck->em, "message", msg);
	ev_x(ck->em, 0, NULL);
	ev_send(ck->em);
}

void
checks_integrity(const struct checks *ck)
{
	struct cache *c;
	char **rows = NULL;
	size_t n = 0, i;
	double t = clock_ms();
	const char *kind;
	int rc;

	if ((kind = checks_kind(ck->cf->db)) != NULL) {
		checks_unopened(ck, kind);
		return;
	}
	if ((rc = cache_open(&c, ck->cf->db, &ck->cf->cache,
	    CACHE_READONLY)) == 0)
		rc = cache_integrity(c, CHECKS_MAX_ROWS, &rows, &n);
	t = clock_ms() - t;
	ev_begin(ck->em, "ast.cache.integrity_check");
	ev_str(ck->em, "db", ck->cf->db);
	ev_int(ck->em, "max_rows", CHECKS_MAX_ROWS);
	ev_result(ck->em);
	ev_str(ck->em, "status", checks_status(c, rc, rows, n));
	ev_array(ck->em, "rows");
	for (i = 0; i < n; i++)
		ev_item(ck->em, rows[i]);
	ev_close(ck->em);
	if (rc != 0 && c != NULL)
		ev_str(ck->em, "message", cache_errmsg(c));
	ev_x(ck->em, t, NULL);
	ev_send(ck->em);
	for (i = 0; i < n; i++)
		free(rows[i]);
	free(rows);
	cache_close(c);
}

/* What soak.db.info says. */
struct dbinfo {
	const char *status;
	long long bytes, page_size, page_count, freelist;
	char journal[32];
};

/* PRAGMA name as a count into *v; -1 stays when it cannot be read. */
static int
checks_count(struct cache *c, const char *name, long long *v)
{
	const char *errstr;
	char t[64];
	int rc;

	if ((rc = cache_pragma(c, name, t, sizeof(t))) == 0)
		*v = strtonum(t, 0, LLONG_MAX, &errstr);
	return rc;
}

static void
checks_readinfo(const struct checks *ck, struct dbinfo *di)
{
	struct cache *c;
	struct stat st;
	int rc;

	memset(di, 0, sizeof(*di));
	di->bytes = di->page_size = di->page_count = di->freelist = -1;
	if ((di->status = checks_kind(ck->cf->db)) != NULL)
		return;
	if (stat(ck->cf->db, &st) == 0)
		di->bytes = (long long)st.st_size;
	if ((rc = cache_open(&c, ck->cf->db, &ck->cf->cache,
	    CACHE_READONLY)) == 0 &&
	    (rc = checks_count(c, "page_size", &di->page_size)) == 0 &&
	    (rc = checks_count(c, "page_count", &di->page_count)) == 0 &&
	    (rc = checks_count(c, "freelist_count", &di->freelist)) == 0)
		rc = cache_pragma(c, "journal_mode", di->journal,
		    sizeof(di->journal));
	di->status = rc == 0 ? "ok" : c != NULL ?
	    sqlcode_name(cache_errcode(c)) : "SQLITE_NOMEM";
	cache_close(c);
}

void
checks_dbinfo(const struct checks *ck)
{
	struct dbinfo di;
	double t = clock_ms();

	checks_readinfo(ck, &di);
	t = clock_ms() - t;
	ev_begin(ck->em, "soak.db.info");
	ev_str(ck->em, "db", ck->cf->db);
	ev_result(ck->em);
	ev_str(ck->em, "status", di.status);
	ev_count(ck->em, "bytes", di.bytes);
	ev_count(ck->em, "page_size", di.page_size);
	ev_count(ck->em, "page_count", di.page_count);
	ev_count(ck->em, "freelist_count", di.freelist);
	ev_str(ck->em, "journal_mode", di.journal[0] ? di.journal : NULL);
	ev_x(ck->em, t, NULL);
	ev_send(ck->em);
}

/* 1 when value is what the extractor gives for the file named in key,
 * as it is now; 0 when not; -1 when the file changed or is unreadable. */
static int
checks_recheck(const struct config *cf, const char *key, const char *value)
{
	struct symlist l = { NULL, 0, 0 };
	char hash[KEY_HASH16_LEN + 1], *path, *buf, *json;
	size_t klen = strlen(key), slen = strlen(cf->segment), len, jlen;
	int r = -1;

	/* "SEGMENT:PATH:HASH16:1" */
	if (klen < slen + 1 + 1 + 1 + KEY_HASH16_LEN + 2)
		return -1;
	if ((path = strndup(key + slen + 1, klen - slen - 1 -
	    KEY_HASH16_LEN - 3)) == NULL)
		return -1;
	if (files_read(path, &buf, &len) == 0) {
		key_hash16(buf, len, hash);
		if (memcmp(hash, key + klen - KEY_HASH16_LEN - 2,
		    KEY_HASH16_LEN) == 0 &&
		    symbols_extract(symbols_lang(path), buf, len, &l) == 0 &&
		    (json = symbols_json(&l, &jlen)) != NULL) {
			r = strcmp(json, value) == 0;
			free(json);
		}
		symbols_free(&l);
		free(buf);
	}
	free(path);
	return r;
}

/* The tally of soak.verify. */
struct tally {
	const struct config *cf;
	struct cache *c;
	int rc, err;
	long long written, present, corrupt, rechecked;
};

/* One committed write read back. */
static void
checks_one(void *arg, const char *key, const char *digest, int conflict)
{
	struct tally *t = arg;
	char *value, got[65];
	size_t len;
	int ok, r;

	t->written++;
	if (t->rc != 0 || cache_get(t->c, key, &value, &len) != 0) {
		t->err = 1;
		return;
	}
	if (value == NULL)
		return;
	t->present++;
	key_sha256(value, len, got);
	ok = !conflict && strcmp(got, digest) == 0;
	if (ok && (r = checks_recheck(t->cf, key, value)) >= 0) {
		t->rechecked++;
		ok = r;
	}
	if (!ok)
		t->corrupt++;
	free(value);
}

void
checks_verify(const struct checks *ck)
{
	struct tally t;
	double ms = clock_ms();

	memset(&t, 0, sizeof(t));
	t.cf = ck->cf;
	t.rc = cache_open(&t.c, ck->cf->db, &ck->cf->cache, CACHE_READONLY);
	ledger_foreach(ck->ledger, checks_one, &t);
	ms = clock_ms() - ms;
	ev_begin(ck->em, "soak.verify");
	ev_str(ck->em, "db", ck->cf->db);
	ev_result(ck->em);
	ev_str(ck->em, "status", t.err ? "error" : t.present == t.written &&
	    t.corrupt == 0 ? "ok" : "failed");
	ev_int(ck->em, "keys_written", t.written);
	ev_int(ck->em, "keys_present", t.present);
	ev_int(ck->em, "lost", t.written - t.present);
	ev_int(ck->em, "corrupt", t.corrupt);
	ev_int(ck->em, "rechecked", t.rechecked);
	if (t.err && t.c != NULL)
		ev_str(ck->em, "code", sqlcode_name(cache_errcode(t.c)));
	ev_x(ck->em, ms, NULL);
	ev_send(ck->em);
	cache_close(t.c);
}
