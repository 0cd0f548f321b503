/* relay.h: one worker's pipe split into lines: event lines handed on,
 * control lines (proto.h) counted or handed to the parent. Bytes in,
 * callbacks out, so it is tested without a fork. */
#ifndef HARNESS_RELAY_H
#define HARNESS_RELAY_H

#include <sys/types.h>

#include <stddef.h>

#include "proto.h"

struct relay_cb {
	/* An event line, newline included; 0, or -1 when it was not taken. */
	int (*event)(void *arg, const char *line, size_t len);
	/* A committed write; 0, or -1 when it could not be kept. */
	int (*commit)(void *arg, const struct proto_commit *);
};

struct relay;

/* A relay calling cb's functions with arg; NULL when memory ran out. */
struct relay *relay_new(const struct relay_cb *cb, void *arg);
void relay_free(struct relay *);
/* Take len bytes as read from the pipe. Returns 0, or -1 when memory ran
 * out. */
int relay_feed(struct relay *, const char *buf, size_t len);
/* Read once from fd and feed what came. Returns the bytes read, 0 at the
 * end of file, -1 on an error (errno EINTR or EAGAIN: nothing yet). */
ssize_t relay_read(struct relay *, int fd);
/* The pipe has ended: the line buffer goes, the counts below stay (the
 * bytes not handed on as they are now). Reading or feeding after it fails
 * with EBADF. */
void relay_close(struct relay *);
/* The counts below are 0 for a NULL relay. Event lines handed on. */
long long relay_lines(const struct relay *);
/* Operations that ended with their lines whole ("\001D" lines). */
long long relay_ops(const struct relay *);
/* Bytes not handed on: an unfinished last line and lines over the
 * limit. */
long long relay_partial(const struct relay *);
/* Lines that could not be relayed: over the limit, a control line of no
 * known form, a commit not kept. */
long long relay_bad(const struct relay *);

#endif
