/* files.c: the source files of a segment that the workload may pick. */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <fts.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "files.h"
#include "prng.h"
#include "symbols.h"
#include "utf8.h"

static int
files_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
files_find(const char *segment, const char *skip, struct fileset *fs)
{
	char *roots[2];
	FTS *fts;
	FTSENT *e;
	size_t cap = 0, seglen = strlen(segment);
	int saved;

	fs->rel = NULL;
	fs->n = 0;
	roots[0] = (char *)segment;
	roots[1] = NULL;
	if ((fts = fts_open(roots, FTS_PHYSICAL | FTS_NOCHDIR, NULL)) == NULL)
		return -1;
	while ((e = fts_read(fts)) != NULL) {
		char *rel, **nv;

		if (e->fts_info == FTS_D) {
			if (e->fts_level > 0 && (e->fts_name[0] == '.' ||
			    (skip != NULL && strcmp(e->fts_path, skip) == 0)))
				fts_set(fts, e, FTS_SKIP);
			continue;
		}
		if (e->fts_info != FTS_F || e->fts_level == 0)
			continue;
		if (e->fts_statp->st_size > FILES_MAX_BYTES ||
		    symbols_lang(e->fts_name) == SYMLANG_NONE)
			continue;
		rel = e->fts_path + seglen;
		while (*rel == '/')
			rel++;
		if (!utf8_printable(rel))
			continue;
		if (fs->n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((nv = reallocarray(fs->rel, cap, sizeof(*nv))) ==
			    NULL)
				goto fail;
			fs->rel = nv;
		}
		if ((fs->rel[fs->n] = strdup(rel)) == NULL)
			goto fail;
		fs->n++;
	}
	if (errno != 0)
		goto fail;
	fts_close(fts);
	if (fs->n > 0)
		qsort(fs->rel, fs->n, sizeof(*fs->rel), files_cmp);
	return 0;
fail:
	saved = errno;
	fts_close(fts);
	files_free(fs);
	errno = saved;
	return -1;
}

void
files_choose(struct fileset *fs, size_t want, uint64_t seed)
{
	struct prng p;
	size_t i;

	if (want >= fs->n)
		want = fs->n;
	prng_init(&p, seed, 0);
	for (i = 0; i < want; i++) {
		size_t j = i + (size_t)prng_below(&p, fs->n - i);
		char *t = fs->rel[i];

		fs->rel[i] = fs->rel[j];
		fs->rel[j] = t;
	}
	for (i = want; i < fs->n; i++)
		free(fs->rel[i]);
	fs->n = want;
}

void
files_free(struct fileset *fs)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		free(fs->rel[i]);
	free(fs->rel);
	fs->rel = NULL;
	fs->n = 0;
}

/* Read all of fd, a regular file of size bytes when it was opened, into
 * a malloc'd buffer; more than FILES_MAX_BYTES is EFBIG. Returns 0, or
 * -1 with errno set. */
static int
files_slurp(int fd, off_t size, char **buf, size_t *len)
{
	size_t cap = (size_t)size + 1, n = 0;
	char *b, *nb;
	ssize_t r;

	if (cap > FILES_MAX_BYTES + 1)
		cap = FILES_MAX_BYTES + 1;
	if ((b = malloc(cap)) == NULL)
		return -1;
	for (;;) {
		if (n == cap) {
			/* The file grew since: still at most the limit. */
			if (cap > FILES_MAX_BYTES) {
				errno = EFBIG;
				goto fail;
			}
			if ((nb = realloc(b, cap * 2)) == NULL)
				goto fail;
			b = nb;
			cap *= 2;
		}
		if ((r = read(fd, b + n, cap - n)) == 0)
			break;
		if (r < 0 && errno != EINTR)
			goto fail;
		if (r > 0)
			n += (size_t)r;
	}
	if (n > FILES_MAX_BYTES) {
		errno = EFBIG;
		goto fail;
	}
	*buf = b;
	*len = n;
	return 0;
fail:
	free(b);
	return -1;
}

int
files_read(const char *path, char **buf, size_t *len)
{
	struct stat st;
	int fd, rc = -1, saved;

	*buf = NULL;
	*len = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return -1;
	if (fstat(fd, &st) == 0) {
		if (!S_ISREG(st.st_mode))
			errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		else
			rc = files_slurp(fd, st.st_size, buf, len);
	}
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}
