/* clean.c: removing an old cache before a run, and only a cache. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "clean.h"

static const char *const clean_suffix[] = {
	"-journal", "-wal", "-shm", ".lock"
};
#define NSUFFIX (sizeof(clean_suffix) / sizeof(clean_suffix[0]))

static const char sqlite_header[16] = "SQLite format 3";

/*
 * db and suffix i into path (PATH_MAX bytes): 0, or -1 with errno
 * ENAMETOOLONG when it does not fit, never a name cut short.
 */
static int
suffix_path(char *path, const char *db, size_t i)
{
	int n = snprintf(path, PATH_MAX, "%s%s", db, clean_suffix[i]);

	if (n < 0 || (size_t)n >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

int
clean_is_sqlite(const char *path)
{
	char head[16];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return -1;
	n = read(fd, head, sizeof(head));
	close(fd);
	if (n < 0)
		return -1;
	if (n == 0)
		return 1;
	return n == (ssize_t)sizeof(head) &&
	    memcmp(head, sqlite_header, sizeof(head)) == 0;
}

/*
 * No database at db: a stale journal would be replayed into a new one, so
 * a -journal or -wal there refuses the run. As clean_db.
 */
static int
clean_orphans(const char *db, char *msg, size_t msglen)
{
	char path[PATH_MAX];
	struct stat st;
	size_t i;

	for (i = 0; i < 2; i++) {
		if (suffix_path(path, db, i) == -1)
			return -1;
		if (lstat(path, &st) == 0) {
			snprintf(msg, msglen, "%s exists without its database; "
			    "not removing it", path);
			return 1;
		}
	}
	return 0;
}

int
clean_db(const char *db, char *msg, size_t msglen)
{
	char path[PATH_MAX];
	struct stat st;
	size_t i;
	int r;

	/* A companion's name cut short would be someone else's file. */
	for (i = 0; i < NSUFFIX; i++)
		if (suffix_path(path, db, i) == -1) {
			snprintf(msg, msglen, "%s: too long a name for its %s "
			    "file; not removing it", db, clean_suffix[i]);
			return 1;
		}
	if (lstat(db, &st) < 0) {
		if (errno != ENOENT && errno != ENOTDIR)
			return -1;
		return clean_orphans(db, msg, msglen);
	}
	if (S_ISLNK(st.st_mode) || !S_ISREG(st.st_mode)) {
		snprintf(msg, msglen, "%s is not a regular file; not removing it",
		    db);
		return 1;
	}
	if ((r = clean_is_sqlite(db)) < 0)
		return -1;
	if (r == 0) {
		snprintf(msg, msglen, "%s is not an SQLite database; not "
		    "removing it", db);
		return 1;
	}
	for (i = 0; i < NSUFFIX; i++) {
		if (suffix_path(path, db, i) == -1)
			return -1;
		if (lstat(path, &st) < 0) {
			if (errno != ENOENT)
				return -1;
			continue;
		}
		if (S_ISLNK(st.st_mode) || !S_ISREG(st.st_mode)) {
			snprintf(msg, msglen, "%s is not a regular file; not "
			    "removing it", path);
			return 1;
		}
	}
	for (i = 0; i < NSUFFIX; i++) {
		if (suffix_path(path, db, i) == -1)
			return -1;
		if (unlink(path) < 0 && errno != ENOENT)
			return -1;
	}
	if (unlink(db) < 0 && errno != ENOENT)
		return -1;
	return 0;
}

int
clean_mkdirs(const char *dir)
{
	char p[PATH_MAX];
	struct stat st;
	size_t i, n;

	if ((n = strlen(dir)) >= sizeof(p)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(p, dir, n + 1);
	for (i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		p[i] = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			return -1;
		p[i] = i < n ? '/' : '\0';
	}
	if (stat(dir, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}
