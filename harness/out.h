/* out.h: the parent's standard output: whole lines, buffered, every
 * write checked. */
#ifndef HARNESS_OUT_H
#define HARNESS_OUT_H

#include <stddef.h>

struct out;

/* A buffer for descriptor fd; NULL when memory ran out. */
struct out *out_new(int fd);
void out_free(struct out *);
/* Add len bytes of whole lines; written once enough are held. Returns 0,
 * or -1 once the output failed (it then takes nothing more). */
int out_append(struct out *, const char *buf, size_t len);
/* An event_sink over out_append (arg is the struct out). */
int out_sink(void *arg, const char *line, size_t len);
/* Write what is held. Returns 0, or -1 once the output failed. */
int out_flush(struct out *);
/* Whether the reader of the output is still there, without writing: a
 * closed pipe or socket sets the error to EPIPE. Returns 0, or -1 once
 * the output failed. */
int out_check(struct out *);
/* The lines written whole so far. */
long long out_lines(const struct out *);
/* 0 while the output works; EPIPE when the reader went away; another
 * errno value when a write failed. */
int out_error(const struct out *);

#endif
