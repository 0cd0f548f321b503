/* telemetry.h: a command's own JSON Lines telemetry, followed from where
 * it ended when the run began. The file is only ever read. */
#ifndef HARNESS_TELEMETRY_H
#define HARNESS_TELEMETRY_H

#include <stddef.h>

struct telem;

struct telem_stats {
	long long passed;	/* lines of this run, handed on */
	long long skipped;	/* complete lines of other runs */
	long long malformed;	/* not a JSON object, or over the limit */
	long long partial_bytes;	/* an unfinished last line, not handed on */
	long long resets;	/* times the file shrank or was replaced */
	int appeared;		/* the file was there at some read */
};

/* Note path's size now (0 when it does not exist yet); NULL when memory
 * ran out. */
struct telem *telem_open(const char *path);
/* Read what was appended since: each complete line whose top-level run_id
 * is run_id goes unchanged, newline included, to out(arg, line, len).
 * When the file shrank, was written again from its start (the bytes just
 * before where reading stopped are no longer those read) or was
 * replaced, warn(arg, what) is called with "truncated" or "replaced" and
 * the new content is read from its start.
 * Returns 0, or -1 with errno set when the file could not be read. */
int telem_poll(struct telem *, const char *run_id,
    int (*out)(void *, const char *, size_t),
    void (*warn)(void *, const char *), void *arg);
const struct telem_stats *telem_stats(const struct telem *);
void telem_close(struct telem *);

#endif
