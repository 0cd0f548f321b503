/* checks.h: the checks after a run, each written as its event. */
#ifndef HARNESS_CHECKS_H
#define HARNESS_CHECKS_H

#include "workload.h"

/* After chaos kills: open the cache read-write once and read it, so
 * that SQLite rolls back a transaction a killed writer left behind
 * before the read-only checks; only a file with SQLite's header is
 * opened. Writes no line. */
void checks_recover(const struct checks *);
/* Which of the database's -wal and -shm files are there now: a mask to
 * give checks_settle after the read-only checks. */
int checks_companions(const struct checks *);
/* A read-only connection to a WAL database makes its -wal and -shm files
 * and cannot remove them: when neither was there before the checks
 * (before, from checks_companions) and the database is writable, one
 * read-write connection is opened and closed so that SQLite removes
 * them, unless another process has the database open. Writes no line. */
void checks_settle(const struct checks *, int before);
/* soak.db.info: the database's size, page size and count, free pages and
 * journal mode, from a read-only connection. */
void checks_dbinfo(const struct checks *);
/* ast.cache.integrity_check: PRAGMA integrity_check(100), read-only; a
 * database that is missing, or is not a regular file, is said so in
 * words and never opened. */
void checks_integrity(const struct checks *);
/* soak.verify: every write the workers saw commit is read back; lost
 * when absent, corrupt when its value is not the one written or, when
 * the file is unchanged, not the symbols of its content. */
void checks_verify(const struct checks *);

#endif
