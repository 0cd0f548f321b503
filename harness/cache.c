/* cache.c: the SQLite AST cache of the built-in workload. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "cache.h"

struct cache {
	int busy_ms;
	sqlite3 *db;
	sqlite3_stmt *sel, *upd, *ins, *get;
	int err;
	const char *stage;
};

static const char cache_schema[] =
    "CREATE TABLE IF NOT EXISTS cache ("
    " key TEXT PRIMARY KEY,"
    " value TEXT NOT NULL,"
    " created_at REAL NOT NULL,"
    " last_access REAL NOT NULL,"
    " value_bytes INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS idx_cache_last_access"
    " ON cache(last_access);";

/* The cache table's columns, in order, as cache_schema makes them. */
static const char *const cache_columns[] = {
	"key", "value", "created_at", "last_access", "value_bytes"
};
#define NCOLUMNS (sizeof(cache_columns) / sizeof(cache_columns[0]))

/*
 * Step st over rows of (type, name, tbl_name) of the schema: 0 when each
 * is the cache table, an index or trigger on it or SQLite's own, 1 with the first
 * other named in what, or a SQLite error code (negated).
 */
static int
foreign_object(sqlite3_stmt *st, char *what, size_t len)
{
	const char *type, *name, *tbl;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		type = (const char *)sqlite3_column_text(st, 0);
		name = (const char *)sqlite3_column_text(st, 1);
		tbl = (const char *)sqlite3_column_text(st, 2);
		if (type == NULL || name == NULL || tbl == NULL)
			return -SQLITE_NOMEM;
		if (strcmp(tbl, "cache") == 0 && (strcmp(type, "table") != 0 ||
		    strcmp(name, "cache") == 0))
			continue;	/* the table, an index or trigger on it */
		if (strcmp(type, "table") == 0 && strncmp(name, "sqlite_", 7) == 0)
			continue;
		snprintf(what, len, "%s %s", type, name);
		return 1;
	}
	return rc == SQLITE_DONE ? 0 : -rc;
}

/* Step st over the cache table's column names: 0 when they are the
 * cache's (or there is no such table), 1 with what said, or -rc. */
static int
foreign_columns(sqlite3_stmt *st, char *what, size_t len)
{
	const char *name;
	size_t n = 0;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		name = (const char *)sqlite3_column_text(st, 0);
		if (name == NULL)
			return -SQLITE_NOMEM;
		if (n == NCOLUMNS || strcmp(name, cache_columns[n]) != 0)
			break;
		n++;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return -rc;
	if (rc == SQLITE_DONE && (n == 0 || n == NCOLUMNS))
		return 0;
	snprintf(what, len, "a table cache with other columns");
	return 1;
}

int
cache_settle(const char *path, int busy_ms)
{
	sqlite3 *db = NULL;
	int rc;

	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOFOLLOW, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_busy_timeout(db, busy_ms);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "SELECT count(*) FROM sqlite_master",
		    NULL, NULL, NULL);
	if (sqlite3_close(db) != SQLITE_OK && rc == SQLITE_OK)
		rc = SQLITE_BUSY;
	return rc;
}

int
cache_foreign(const char *path, int busy_ms, char *what, size_t len)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int rc, r = 0;

	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOFOLLOW, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_busy_timeout(db, busy_ms);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "SELECT type, name, tbl_name FROM "
		    "sqlite_master", -1, &st, NULL);
	if (rc == SQLITE_OK && (r = foreign_object(st, what, len)) == 0) {
		sqlite3_finalize(st);
		st = NULL;
		rc = sqlite3_prepare_v2(db, "SELECT name FROM "
		    "pragma_table_info('cache') ORDER BY cid", -1, &st, NULL);
		if (rc == SQLITE_OK)
			r = foreign_columns(st, what, len);
	}
	if (rc == SQLITE_OK && r < 0)
		rc = -r;
	if (rc != SQLITE_OK) {
		snprintf(what, len, "%s", sqlite3_errstr(rc));
		r = -1;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return r;
}

static int
cache_fail(struct cache *c, const char *stage, int rc)
{
	c->stage = stage;
	c->err = c->db ? sqlite3_extended_errcode(c->db) : rc;
	if (c->err == SQLITE_OK)
		c->err = rc;
	return rc;
}

/* Run sql. SQLite can answer SQLITE_BUSY without calling the busy
 * handler (another connection rolling a hot journal back, say), so a busy
 * answer is retried here until the busy timeout has passed. */
static int
cache_exec(struct cache *c, const char *stage, const char *sql)
{
	struct timespec ts = { 0, 1000000L };
	int rc, waited = 0;

	while ((rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL)) != SQLITE_OK &&
	    (rc & 0xff) == SQLITE_BUSY && waited < c->busy_ms) {
		nanosleep(&ts, NULL);
		waited++;
	}
	if (rc != SQLITE_OK)
		return cache_fail(c, stage, rc);
	return SQLITE_OK;
}

int
cache_open(struct cache **cp, const char *path, const struct cache_opts *o,
    enum cache_mode mode)
{
	struct cache *c;
	char sql[128];
	int rc, flags;

	*cp = NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return SQLITE_NOMEM;
	*cp = c;
	c->busy_ms = o->busy_timeout_ms;
	flags = mode == CACHE_READONLY ? SQLITE_OPEN_READONLY :
	    SQLITE_OPEN_READWRITE | (mode == CACHE_SETUP ? SQLITE_OPEN_CREATE : 0);
	rc = sqlite3_open_v2(path, &c->db, flags | SQLITE_OPEN_NOFOLLOW, NULL);
	if (rc != SQLITE_OK)
		return cache_fail(c, "open", rc);
	sqlite3_extended_result_codes(c->db, 1);
	if ((rc = sqlite3_busy_timeout(c->db, o->busy_timeout_ms)) != SQLITE_OK)
		return cache_fail(c, "open", rc);
	if (mode == CACHE_READONLY)
		return SQLITE_OK;
	snprintf(sql, sizeof(sql), "PRAGMA synchronous=%s;", o->synchronous);
	if ((rc = cache_exec(c, "open", sql)) != SQLITE_OK)
		return rc;
	if (mode == CACHE_SETUP) {
		snprintf(sql, sizeof(sql), "PRAGMA journal_mode=%s;",
		    o->journal_mode);
		if ((rc = cache_exec(c, "open", sql)) != SQLITE_OK ||
		    (rc = cache_exec(c, "open", cache_schema)) != SQLITE_OK)
			return rc;
	}
	if ((rc = sqlite3_prepare_v2(c->db,
	    "SELECT CASE WHEN NOT json_valid(value) THEN -1"
	    " WHEN json_type(value) = 'array' THEN json_array_length(value)"
	    " ELSE -1 END FROM cache WHERE key = ?1", -1, &c->sel, NULL)) !=
	    SQLITE_OK ||
	    (rc = sqlite3_prepare_v2(c->db,
	    "UPDATE cache SET last_access = ?2 WHERE key = ?1", -1, &c->upd,
	    NULL)) != SQLITE_OK ||
	    (rc = sqlite3_prepare_v2(c->db,
	    "INSERT OR REPLACE INTO cache"
	    " (key, value, created_at, last_access, value_bytes)"
	    " VALUES (?1, ?2, ?3, ?3, ?4)", -1, &c->ins, NULL)) != SQLITE_OK)
		return cache_fail(c, "open", rc);
	return SQLITE_OK;
}

void
cache_close(struct cache *c)
{
	if (c == NULL)
		return;
	sqlite3_finalize(c->sel);
	sqlite3_finalize(c->upd);
	sqlite3_finalize(c->ins);
	sqlite3_finalize(c->get);
	sqlite3_close(c->db);
	free(c);
}

int
cache_lookup(struct cache *c, const char *key, double now, int *hit,
    long long *count)
{
	int rc;

	*hit = 0;
	*count = -1;
	sqlite3_bind_text(c->sel, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(c->sel);
	if (rc == SQLITE_ROW) {
		*hit = 1;
		*count = sqlite3_column_int64(c->sel, 0);
		rc = sqlite3_step(c->sel);
	}
	sqlite3_reset(c->sel);
	sqlite3_clear_bindings(c->sel);
	if (rc != SQLITE_DONE) {
		*hit = 0;
		return cache_fail(c, "lookup", rc);
	}
	if (!*hit)
		return SQLITE_OK;
	sqlite3_bind_text(c->upd, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_double(c->upd, 2, now);
	rc = sqlite3_step(c->upd);
	sqlite3_reset(c->upd);
	sqlite3_clear_bindings(c->upd);
	if (rc != SQLITE_DONE)
		return cache_fail(c, "update", rc);
	return SQLITE_OK;
}

int
cache_store(struct cache *c, const char *key, const char *value, size_t len,
    double now)
{
	int rc;

	sqlite3_bind_text(c->ins, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(c->ins, 2, value, (int)len, SQLITE_STATIC);
	sqlite3_bind_double(c->ins, 3, now);
	sqlite3_bind_int64(c->ins, 4, (sqlite3_int64)len);
	rc = sqlite3_step(c->ins);
	sqlite3_reset(c->ins);
	sqlite3_clear_bindings(c->ins);
	if (rc != SQLITE_DONE)
		return cache_fail(c, "store", rc);
	return SQLITE_OK;
}

int
cache_get(struct cache *c, const char *key, char **value, size_t *len)
{
	int rc;

	*value = NULL;
	*len = 0;
	if (c->get == NULL && (rc = sqlite3_prepare_v2(c->db,
	    "SELECT value FROM cache WHERE key = ?1", -1, &c->get, NULL)) !=
	    SQLITE_OK)
		return cache_fail(c, "get", rc);
	sqlite3_bind_text(c->get, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(c->get);
	if (rc == SQLITE_ROW) {
		const unsigned char *v = sqlite3_column_text(c->get, 0);
		int n = sqlite3_column_bytes(c->get, 0);

		if ((*value = malloc((size_t)n + 1)) == NULL) {
			sqlite3_reset(c->get);
			return cache_fail(c, "get", SQLITE_NOMEM);
		}
		if (n > 0)
			memcpy(*value, v, (size_t)n);
		(*value)[n] = '\0';
		*len = (size_t)n;
		rc = sqlite3_step(c->get);
	}
	sqlite3_reset(c->get);
	sqlite3_clear_bindings(c->get);
	if (rc != SQLITE_DONE) {
		free(*value);
		*value = NULL;
		return cache_fail(c, "get", rc);
	}
	return SQLITE_OK;
}

int
cache_integrity(struct cache *c, int maxrows, char ***rows, size_t *n)
{
	sqlite3_stmt *st;
	char sql[64], **v = NULL, **nv;
	int rc;

	*rows = NULL;
	*n = 0;
	snprintf(sql, sizeof(sql), "PRAGMA integrity_check(%d)", maxrows);
	if ((rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL)) != SQLITE_OK)
		return cache_fail(c, "integrity_check", rc);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);

		if ((nv = reallocarray(v, *n + 1, sizeof(*v))) == NULL ||
		    (nv[*n] = strdup(t ? t : "")) == NULL) {
			if (nv != NULL)
				v = nv;
			rc = SQLITE_NOMEM;
			break;
		}
		v = nv;
		(*n)++;
	}
	sqlite3_finalize(st);
	*rows = v;
	if (rc != SQLITE_DONE)
		return cache_fail(c, "integrity_check", rc);
	return SQLITE_OK;
}

int
cache_pragma(struct cache *c, const char *name, char *out, size_t n)
{
	sqlite3_stmt *st;
	char sql[64];
	int rc;

	snprintf(sql, sizeof(sql), "PRAGMA %s", name);
	if ((rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL)) != SQLITE_OK)
		return cache_fail(c, "pragma", rc);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(st, 0);

		snprintf(out, n, "%s", t != NULL ? (const char *)t : "");
		rc = SQLITE_OK;
	} else if (rc == SQLITE_DONE)
		rc = SQLITE_NOTFOUND;
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? rc : cache_fail(c, "pragma", rc);
}

int
cache_errcode(const struct cache *c)
{
	return c->err;
}

const char *
cache_errmsg(const struct cache *c)
{
	if (c->db != NULL && sqlite3_errcode(c->db) != SQLITE_OK)
		return sqlite3_errmsg(c->db);
	return sqlite3_errstr(c->err);
}

const char *
cache_stage(const struct cache *c)
{
	return c->stage ? c->stage : "";
}
