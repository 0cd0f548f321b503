/* clean.h: removing an old cache before a run, and only a cache. */
#ifndef HARNESS_CLEAN_H
#define HARNESS_CLEAN_H

#include <stddef.h>

/* Remove db and its -journal, -wal, -shm and .lock files, but only when
 * db is a regular file (not a link) that is empty or starts with the
 * SQLite header, and each companion present is a regular file. Returns 0
 * (removed, or nothing there), 1 refused with the reason in msg (nothing
 * touched; also when a companion's name would pass PATH_MAX), or -1 with
 * errno set. */
int clean_db(const char *db, char *msg, size_t msglen);
/* What clean_db checks, removing nothing: 0 when it would remove db and
 * its files (*exists 2: db is there and not empty; 1: there and empty; 0:
 * none of them is there), 1 refused with the reason in msg, or -1 with
 * errno set. */
int clean_check(const char *db, int *exists, char *msg, size_t msglen);
/* 1 when path (not followed when a link) is empty or starts with the
 * SQLite header, 0 when it does not, -1 when it cannot be read. */
int clean_is_sqlite(const char *path);
/* mkdir -p: create dir and its missing parents (mode 0755). Returns 0
 * with *made the length of the first folder of dir from which on this
 * call created every one (0: none; a path that climbs back with ".."
 * into folders that were there counts only what it created after them),
 * for clean_rmdirs; or -1 with errno set, having removed those. */
int clean_mkdirs(const char *dir, size_t *made);
/* Undo clean_mkdirs: remove dir and its parents down to the first one it
 * created (made, its length), each only when empty. */
void clean_rmdirs(const char *dir, size_t made);

#endif
