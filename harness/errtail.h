/* errtail.h: the last bytes a command wrote to stderr, and the SQLite
 * error they name. */
#ifndef HARNESS_ERRTAIL_H
#define HARNESS_ERRTAIL_H

#include <stddef.h>

/* Bytes of stderr kept per run. */
#define ERRTAIL_KEEP 4096
/* Bytes of it put on a soak.exec line. */
#define ERRTAIL_SHOW 512

struct errtail {
	char buf[ERRTAIL_KEEP];
	size_t len;		/* bytes held, the last ones written */
	long long total;	/* bytes written in all */
};

/* Forget what was held. */
void errtail_reset(struct errtail *);
/* Keep the last ERRTAIL_KEEP bytes of what was written, with these n. */
void errtail_add(struct errtail *, const char *buf, size_t n);
/* The last at most max bytes held, starting on a character boundary:
 * *len bytes at the returned pointer. */
const char *errtail_last(const struct errtail *, size_t max, size_t *len);
/* The first SQLite error message in s (n bytes): the sqlite3_errstr()
 * text of a primary result code other than OK, ROW and DONE, the one that
 * starts first (the longest on a tie); the library's "unknown error" for
 * a code it has no text for is not one. Returns the code, or 0 when none
 * is there; *msg is the library's static text. */
int errtail_sqlite(const char *s, size_t n, const char **msg);

#endif
