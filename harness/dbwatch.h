/* dbwatch.h: a database watched from outside: the sizes of its files and
 * whether SQLite's write lock is held, without opening it as a database
 * and without taking any lock. */
#ifndef HARNESS_DBWATCH_H
#define HARNESS_DBWATCH_H

#include <sys/types.h>

/* The sizes of DB and its companions now; -1 for a file not there. */
struct db_files {
	long long db, wal, journal, shm;
};

/* What the samples of one window saw. */
struct db_window {
	long long samples, present, journal_seen, writer_held;
	long long db_first, db_last, db_max;	/* -1: DB never there */
	long long wal_last, wal_max, journal_max, shm_max;
};

/* The sizes of db, db-wal, db-journal and db-shm. */
void dbwatch_sizes(const char *db, struct db_files *);
/* The process holding SQLite's write lock on db, told by fcntl(F_GETLK):
 * the RESERVED lock byte of db (a rollback journal), or the write lock
 * byte of db-shm (WAL). Returns its pid, 0 when no one holds it, -1 when
 * it cannot be told (db is not a regular file, or not there). */
pid_t dbwatch_writer(const char *db);
/* Start an empty window. */
void dbwatch_reset(struct db_window *);
/* Add one sample to w. */
void dbwatch_add(struct db_window *, const struct db_files *, int writer);

#endif
