/* files.h: the source files of a segment that the workload may pick. */
#ifndef HARNESS_FILES_H
#define HARNESS_FILES_H

#include <stddef.h>
#include <stdint.h>

#define FILES_MAX_BYTES (16L * 1024 * 1024)

struct fileset {
	char **rel;	/* paths relative to the segment, owned */
	size_t n;
};

/* Every regular .py, .c and .h file under the absolute directory segment,
 * sorted bytewise; dot folders, the folder skip (absolute, may be NULL),
 * links, files over FILES_MAX_BYTES and names that are not clean UTF-8
 * are left out. Returns 0, or -1 with errno set. */
int files_find(const char *segment, const char *skip, struct fileset *);
/* Keep want files chosen by a generator seeded with seed, in the order
 * chosen. */
void files_choose(struct fileset *, size_t want, uint64_t seed);
void files_free(struct fileset *);
/* Read a whole file (at most FILES_MAX_BYTES) into a malloc'd buffer;
 * returns 0, or -1 with errno set. */
int files_read(const char *path, char **buf, size_t *len);

#endif
