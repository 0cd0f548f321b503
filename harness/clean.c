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
 * The names of db's companions, db and each suffix, into name: 0, or 1
 * with a message when one does not fit in PATH_MAX.  A name cut short
 * would be someone else's file.
 */
static int
companions(const char *db, char name[][PATH_MAX], char *msg, size_t msglen)
{
	size_t i;
	int n;

	for (i = 0; i < NSUFFIX; i++) {
		n = snprintf(name[i], PATH_MAX, "%s%s", db, clean_suffix[i]);
		if (n < 0 || (size_t)n >= PATH_MAX) {
			snprintf(msg, msglen, "%s: too long a name for its %s "
			    "file; not removing it", db, clean_suffix[i]);
			return 1;
		}
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
 * No database: a stale journal would be replayed into a new one, so a
 * -journal or -wal (name[0] and name[1]) refuses the run. As clean_db.
 */
static int
clean_orphans(char name[][PATH_MAX], char *msg, size_t msglen)
{
	struct stat st;
	size_t i;

	for (i = 0; i < 2; i++)
		if (lstat(name[i], &st) == 0) {
			snprintf(msg, msglen, "%s: exists without its database; "
			    "not removing it", name[i]);
			return 1;
		}
	return 0;
}

/*
 * clean_check's work, with the companions' names left in name, for
 * clean_db to remove.
 */
static int
clean_scan(const char *db, char name[][PATH_MAX], int *exists, char *msg,
    size_t msglen)
{
	struct stat st;
	size_t i;
	int r;

	*exists = 0;
	if (companions(db, name, msg, msglen) == 1)
		return 1;
	if (lstat(db, &st) < 0) {
		if (errno != ENOENT && errno != ENOTDIR)
			return -1;
		return clean_orphans(name, msg, msglen);
	}
	*exists = st.st_size > 0 ? 2 : 1;
	if (S_ISLNK(st.st_mode) || !S_ISREG(st.st_mode)) {
		snprintf(msg, msglen, "%s: not a regular file; not removing it",
		    db);
		return 1;
	}
	if ((r = clean_is_sqlite(db)) < 0)
		return -1;
	if (r == 0) {
		snprintf(msg, msglen, "%s: not an SQLite database; not "
		    "removing it", db);
		return 1;
	}
	for (i = 0; i < NSUFFIX; i++) {
		if (lstat(name[i], &st) < 0) {
			if (errno != ENOENT)
				return -1;
			continue;
		}
		if (S_ISLNK(st.st_mode) || !S_ISREG(st.st_mode)) {
			snprintf(msg, msglen, "%s: not a regular file; not "
			    "removing it", name[i]);
			return 1;
		}
	}
	return 0;
}

int
clean_check(const char *db, int *exists, char *msg, size_t msglen)
{
	char name[NSUFFIX][PATH_MAX];

	return clean_scan(db, name, exists, msg, msglen);
}

int
clean_db(const char *db, char *msg, size_t msglen)
{
	char name[NSUFFIX][PATH_MAX];
	size_t i;
	int r, exists;

	if ((r = clean_scan(db, name, &exists, msg, msglen)) != 0 || !exists)
		return r;
	for (i = 0; i < NSUFFIX; i++)
		if (unlink(name[i]) < 0 && errno != ENOENT)
			return -1;
	if (unlink(db) < 0 && errno != ENOENT)
		return -1;
	return 0;
}

int
clean_mkdirs(const char *dir, size_t *made)
{
	char p[PATH_MAX];
	struct stat st;
	size_t i, n;
	int e;

	*made = 0;
	if ((n = strlen(dir)) >= sizeof(p)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(p, dir, n + 1);
	for (i = 1; i <= n; i++) {
		if ((p[i] != '/' && p[i] != '\0') || p[i - 1] == '/')
			continue;	/* "a/" is "a", done already */
		p[i] = '\0';
		if (mkdir(p, 0755) == 0) {
			if (*made == 0)
				*made = i;
		} else if (errno == EEXIST)
			*made = 0;	/* "..", ".": back in what was there */
		else
			goto fail;
		p[i] = i < n ? '/' : '\0';
	}
	if (stat(dir, &st) < 0)
		goto fail;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		goto fail;
	}
	return 0;
fail:
	e = errno;
	clean_rmdirs(dir, *made);
	*made = 0;
	errno = e;
	return -1;
}

void
clean_rmdirs(const char *dir, size_t made)
{
	char p[PATH_MAX];
	size_t len = strlen(dir);

	if (made == 0 || len >= sizeof(p))
		return;
	memcpy(p, dir, len + 1);
	while (len >= made) {
		p[len] = '\0';
		if (p[len - 1] != '/')
			(void)rmdir(p);
		while (len > 0 && p[len - 1] != '/')
			len--;
		if (len == 0)
			break;
		len--;		/* the folder before that slash */
	}
}
