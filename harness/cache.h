/* cache.h: the SQLite AST cache of the built-in workload.
 *
 * Table cache(key TEXT PRIMARY KEY, value TEXT NOT NULL, created_at REAL
 * NOT NULL, last_access REAL NOT NULL, value_bytes INTEGER NOT NULL) with
 * an index on last_access. Functions return a SQLite result code; on an
 * error cache_errcode() and cache_errmsg() tell what it was. */
#ifndef HARNESS_CACHE_H
#define HARNESS_CACHE_H

#include <stddef.h>

struct cache;

struct cache_opts {
	const char *journal_mode;	/* "delete" or "wal" */
	const char *synchronous;	/* "off", "normal" or "full" */
	int busy_timeout_ms;
};

enum cache_mode {
	CACHE_SETUP,	/* create the file and schema, set the journal mode */
	CACHE_WORKER,	/* an existing cache, read-write */
	CACHE_READONLY	/* an existing cache, for checks after a run */
};

int cache_open(struct cache **, const char *path, const struct cache_opts *,
    enum cache_mode);
/* Whether the SQLite database at path (not followed when a link) holds
 * anything but a cache: 0 when it holds only the cache table with its
 * columns, indexes and triggers on it and SQLite's own tables (or
 * nothing), 1 with
 * the first other thing described in what, -1 with SQLite's message in
 * what when its schema cannot be read. A hot journal is rolled back, as
 * any connection would; nothing else is written. */
int cache_foreign(const char *path, int busy_ms, char *what, size_t len);
/* Open the database at path read-write, read its schema and close it:
 * when it is in WAL mode and no other connection has it open, SQLite
 * checkpoints it and removes its -wal and -shm files, as the last
 * connection always does. Returns 0, or SQLite's result code. */
int cache_settle(const char *path, int busy_ms);
void cache_close(struct cache *);
/* Look key up; on a hit set last_access to now. *hit is 1 or 0 and
 * *count the number of elements of the stored JSON array (-1 when the
 * value is not one). */
int cache_lookup(struct cache *, const char *key, double now, int *hit,
    long long *count);
/* Store value under key (insert or replace). */
int cache_store(struct cache *, const char *key, const char *value,
    size_t len, double now);
/* The value stored under key in a malloc'd string, or *value NULL when the
 * key is absent. */
int cache_get(struct cache *, const char *key, char **value, size_t *len);
/* PRAGMA integrity_check(maxrows): the rows in a malloc'd array of
 * malloc'd strings. */
int cache_integrity(struct cache *, int maxrows, char ***rows, size_t *n);
/* The first column of "PRAGMA name" as text into out (size n). */
int cache_pragma(struct cache *, const char *name, char *out, size_t n);
int cache_errcode(const struct cache *);
const char *cache_errmsg(const struct cache *);
/* "open", "lookup", "update", "store", "get" or "integrity_check". */
const char *cache_stage(const struct cache *);

#endif
