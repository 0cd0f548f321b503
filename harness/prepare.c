/* prepare.c: the cache before a run. */
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache.h"
#include "clean.h"
#include "config.h"
#include "lock.h"
#include "prepare.h"
#include "sqlcode.h"

enum prep
prepare_clean(const struct config *cf)
{
	char msg[PATH_MAX + 128];
	int r;

	if ((r = clean_db(cf->db, msg, sizeof(msg))) == 1) {
		warnx("%s", msg);
		return PREP_REFUSED;
	}
	if (r < 0) {
		warn("%s", cf->db);
		return PREP_FAILED;
	}
	return PREP_OK;
}

enum prep
prepare_own(const struct config *cf, int clean)
{
	char msg[PATH_MAX + 128], what[128];
	int r, exists;

	/*
	 * With --keep, a cache that is not a regular SQLite file is left
	 * for SQLite to refuse, naming its own reason; a journal without
	 * its cache is refused as the clean refuses it.
	 */
	r = clean_check(cf->db, &exists, msg, sizeof(msg));
	if (r == 1 && !clean && exists)
		return PREP_OK;
	if (r == 1) {
		warnx("%s", msg);
		return PREP_REFUSED;
	}
	if (r < 0) {
		warn("%s", cf->db);
		return PREP_FAILED;
	}
	if (exists == 2 && (r = cache_foreign(cf->db,
	    cf->cache.busy_timeout_ms, what, sizeof(what))) != 0) {
		if (r == 1)
			warnx("%s: holds %s, not only a soak cache; not %s it",
			    cf->db, what, clean ? "removing" : "using");
		else
			warnx("%s: cannot read its schema (%s); not %s it",
			    cf->db, what, clean ? "removing" : "using");
		return PREP_REFUSED;
	}
	return clean ? prepare_clean(cf) : PREP_OK;
}

/* The length of the first folder of dir, after a failed mkdir -p, that
 * is missing or is no folder: the one to name, as mkdir -p names it; all
 * of dir when each is there. */
static size_t
prepare_blocker(const char *dir)
{
	char p[PATH_MAX];
	struct stat st;
	size_t i, n = strlen(dir);

	if (n >= sizeof(p))
		return n;
	memcpy(p, dir, n + 1);
	for (i = 1; i < n; i++) {
		if (p[i] != '/' || p[i - 1] == '/')
			continue;
		p[i] = '\0';
		if (stat(p, &st) < 0 || !S_ISDIR(st.st_mode))
			return i;
		p[i] = '/';
	}
	return n;
}

enum prep
prepare_mkdirs(const char *dir, size_t *made)
{
	size_t at;
	int e;

	if (clean_mkdirs(dir, made) == 0)
		return PREP_OK;
	e = errno;
	at = prepare_blocker(dir);
	errno = e;
	warn("%.*s", (int)at, dir);
	return PREP_REFUSED;
}

/* mkdir -p the folder of path: *dir is it (to free; NULL when path has
 * none) and *made as clean_mkdirs sets it. */
static enum prep
prepare_folder(const char *path, char **dir, size_t *made)
{
	char *slash;
	enum prep r;

	*made = 0;
	if ((*dir = strdup(path)) == NULL) {
		warn(NULL);
		return PREP_FAILED;
	}
	if ((slash = strrchr(*dir, '/')) == NULL || slash == *dir) {
		free(*dir);
		*dir = NULL;
		return PREP_OK;
	}
	*slash = '\0';
	if ((r = prepare_mkdirs(*dir, made)) != PREP_OK) {
		free(*dir);
		*dir = NULL;
	}
	return r;
}

/*
 * The lock file first: a lock that cannot be opened refuses the run
 * before a cache is made, and a cache that cannot be made takes the lock
 * file this run made with it.
 */
static enum prep
prepare_files(const struct config *cf)
{
	struct cache *c;
	struct stat st;
	int fd, had_lock;

	had_lock = lstat(cf->lock, &st) == 0;
	if ((fd = lock_open(cf->lock)) < 0) {
		warn("%s", cf->lock);
		return PREP_REFUSED;
	}
	close(fd);
	if (cache_open(&c, cf->db, &cf->cache, CACHE_SETUP) != 0) {
		warnx("%s: %s: %s", cf->db, c ? sqlcode_name(cache_errcode(c)) :
		    "SQLITE_NOMEM", c ? cache_errmsg(c) : "out of memory");
		cache_close(c);
		if (!had_lock)
			(void)unlink(cf->lock);
		return PREP_REFUSED;
	}
	cache_close(c);
	return PREP_OK;
}

enum prep
prepare_cache(const struct config *cf)
{
	char *dir;
	size_t made;
	enum prep r;

	if ((r = prepare_folder(cf->db, &dir, &made)) != PREP_OK)
		return r;
	if ((r = prepare_files(cf)) != PREP_OK && dir != NULL)
		clean_rmdirs(dir, made);	/* refused: leave nothing */
	free(dir);
	return r;
}
