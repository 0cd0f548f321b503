/* dbwatch.c: a database watched from outside, by stat(2) and F_GETLK. */
#include <sys/stat.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dbwatch.h"

/* SQLite's lock bytes, as os_unix.c and wal.c place them. */
#define DB_PENDING_BYTE 0x40000000L
#define DB_RESERVED_BYTE (DB_PENDING_BYTE + 1)
#define SHM_WRITE_LOCK 120	/* WALINDEX_LOCK_OFFSET + WAL_WRITE_LOCK */

/* The size of db with suffix, -1 when it is not a regular file there. */
static long long
dbwatch_size(const char *db, const char *suffix)
{
	char path[PATH_MAX];
	struct stat st;

	if (snprintf(path, sizeof(path), "%s%s", db, suffix) >=
	    (int)sizeof(path) || stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return -1;
	return (long long)st.st_size;
}

void
dbwatch_sizes(const char *db, struct db_files *f)
{
	f->db = dbwatch_size(db, "");
	f->wal = dbwatch_size(db, "-wal");
	f->journal = dbwatch_size(db, "-journal");
	f->shm = dbwatch_size(db, "-shm");
}

/* Who holds a lock on byte off of the regular file path: a pid, 0 none,
 * -1 when it cannot be told. */
static pid_t
dbwatch_holder(const char *path, off_t off)
{
	struct flock fl;
	struct stat st;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0)
		return -1;
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = off;
	fl.l_len = 1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    fcntl(fd, F_GETLK, &fl) < 0) {
		close(fd);
		return -1;
	}
	close(fd);
	return fl.l_type == F_UNLCK ? 0 : fl.l_pid;
}

pid_t
dbwatch_writer(const char *db)
{
	char shm[PATH_MAX];
	pid_t p;

	if ((p = dbwatch_holder(db, DB_RESERVED_BYTE)) != 0)
		return p;
	if (snprintf(shm, sizeof(shm), "%s-shm", db) >= (int)sizeof(shm))
		return 0;
	p = dbwatch_holder(shm, SHM_WRITE_LOCK);
	return p < 0 ? 0 : p;
}

void
dbwatch_reset(struct db_window *w)
{
	memset(w, 0, sizeof(*w));
	w->db_first = w->db_last = w->db_max = -1;
}

static long long
dbwatch_max(long long a, long long b)
{
	return a > b ? a : b;
}

void
dbwatch_add(struct db_window *w, const struct db_files *f, int writer)
{
	w->samples++;
	if (f->db >= 0) {
		w->present++;
		if (w->db_first < 0)
			w->db_first = f->db;
		w->db_last = f->db;
		w->db_max = dbwatch_max(w->db_max, f->db);
	}
	w->wal_last = f->wal > 0 ? f->wal : 0;
	w->wal_max = dbwatch_max(w->wal_max, f->wal);
	w->journal_max = dbwatch_max(w->journal_max, f->journal);
	w->shm_max = dbwatch_max(w->shm_max, f->shm);
	if (f->journal >= 0)
		w->journal_seen++;
	if (writer)
		w->writer_held++;
}
