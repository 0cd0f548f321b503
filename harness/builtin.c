/* builtin.c: the built-in workload: its files and cache before the run,
 * what soak.run.start records of it, and its checks after the run. */
#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "checks.h"
#include "config.h"
#include "event.h"
#include "files.h"
#include "prepare.h"
#include "workload.h"

/* The folder of the cache, resolved when it exists; malloc'd. */
static char *
builtin_cache_dir(const char *db)
{
	char *dir, *slash, *real;

	if ((dir = strdup(db)) == NULL)
		return NULL;
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	if ((real = realpath(dir, NULL)) != NULL) {
		free(dir);
		dir = real;
	}
	return dir;
}

/* The files to soak: every source file of the segment but the cache's
 * own folder, cf->b.files of them chosen from the seed. */
static enum prep
builtin_files(const struct config *cf, struct fileset *fs)
{
	char *skip;
	int r;

	if ((skip = builtin_cache_dir(cf->db)) == NULL) {
		warn(NULL);
		return PREP_FAILED;
	}
	r = files_find(cf->segment, skip, fs);
	free(skip);
	if (r < 0) {
		warn("%s", cf->segment);
		return PREP_REFUSED;
	}
	if (fs->n == 0) {
		warnx("%s: no .py, .c or .h files to soak", cf->segment);
		return PREP_REFUSED;
	}
	files_choose(fs, (size_t)cf->b.files, cf->seed);
	return PREP_OK;
}

static void
builtin_release(void *state)
{
	struct fileset *fs = state;

	if (fs == NULL)
		return;
	files_free(fs);
	free(fs);
}

/* The files first, so that a refused run leaves no cache behind; then the
 * check that the cache is one, its clean (unless --keep) and the cache. */
static enum prep
builtin_prepare(const struct config *cf, void **state)
{
	struct fileset *fs;
	enum prep r;

	if ((fs = calloc(1, sizeof(*fs))) == NULL) {
		warn(NULL);
		return PREP_FAILED;
	}
	*state = fs;
	if ((r = builtin_files(cf, fs)) != PREP_OK ||
	    (r = prepare_own(cf, !cf->b.keep)) != PREP_OK)
		return r;
	return prepare_cache(cf);
}

static void
builtin_start_args(const struct config *cf, const void *state,
    struct emitter *em)
{
	const struct fileset *fs = state;

	ev_str(em, "op_cmd", "ast.symbols");
	ev_str(em, "segment", cf->segment);
	ev_str(em, "db", cf->db);
	ev_int(em, "files", cf->b.files);
	ev_int(em, "files_used", (long long)fs->n);
	ev_bool(em, "keep", cf->b.keep);
	ev_int(em, "lock_timeout_ms", cf->b.lock_timeout_ms);
	ev_int(em, "lock_wait_ms", cf->b.lock_wait_ms);
	ev_str(em, "journal_mode", cf->cache.journal_mode);
	ev_str(em, "synchronous", cf->cache.synchronous);
	ev_int(em, "busy_timeout_ms", cf->cache.busy_timeout_ms);
}

static void
builtin_start_x(const struct config *cf, const void *state,
    struct emitter *em)
{
	const struct fileset *fs = state;
	size_t i;

	(void)cf;
	ev_array(em, "file_list");
	for (i = 0; i < fs->n; i++)
		ev_item(em, fs->rel[i]);
	ev_close(em);
}

static void
builtin_checks(const struct checks *ck, const void *state)
{
	(void)state;
	checks_integrity(ck);
	checks_verify(ck);
}

const struct workload workload_builtin = WORKLOAD_TABLE("builtin", builtin);
