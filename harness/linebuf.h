/* linebuf.h: the harness's one line splitter, for worker pipes and
 * telemetry files alike. */
#ifndef HARNESS_LINEBUF_H
#define HARNESS_LINEBUF_H

#include <stddef.h>

/* The longest line handed on, its newline not counted: the same limit
 * soak-extract has. */
#define LINEBUF_MAX (16L * 1024 * 1024)

struct linebuf;

/* An empty buffer; NULL when memory ran out. */
struct linebuf *linebuf_new(void);
void linebuf_free(struct linebuf *);
/* Room for n more bytes: where to put them, valid until the next call;
 * NULL when memory ran out. */
char *linebuf_space(struct linebuf *, size_t n);
/* n bytes were put at linebuf_space()'s pointer: hand every complete
 * line, newline included, to fn(arg, line, len), in order, and keep the
 * rest. A line over LINEBUF_MAX is not handed on: its bytes are dropped
 * up to its newline and it counts once in linebuf_overlong(). Returns 0,
 * or the first non-zero value fn returned (the lines still all go). */
int linebuf_commit(struct linebuf *, size_t n,
    int (*fn)(void *, const char *, size_t), void *arg);
/* The bytes of an unfinished last line held now. */
size_t linebuf_pending(const struct linebuf *);
/* Lines over the limit so far, and the bytes dropped with them. */
long long linebuf_overlong(const struct linebuf *);
long long linebuf_dropped(const struct linebuf *);
/* Forget the unfinished line (the counts stay). */
void linebuf_reset(struct linebuf *);

#endif
