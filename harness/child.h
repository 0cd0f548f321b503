/* child.h: a worker process: its one loop of operations for either
 * workload, and the batch in which an operation's lines go to the parent
 * in one write. */
#ifndef HARNESS_CHILD_H
#define HARNESS_CHILD_H

#include <stddef.h>

struct wctx;
struct workload;
struct batch;

/* A worker process's exit status. */
enum child_status {
	CHILD_DONE = 0,		/* its share done, or stopped */
	CHILD_NOSETUP = 3,	/* it could not set up (cache, log, ...) */
	CHILD_NOPIPE = 4	/* its pipe to the parent failed */
};

/* Run the worker of ctx with workload wl in this forked process: the
 * signals, the start barrier, then the operations, each ended by the
 * "done" control line. Never returns. */
void child_main(const struct workload *wl, const struct wctx *ctx)
    __attribute__((noreturn));
/* Add len bytes (whole lines) to the operation's batch; sent at its end,
 * or sooner when large. Returns 0, or -1 when memory ran out or the pipe
 * failed. An event_sink over it takes the struct batch as arg. */
int batch_add(struct batch *, const char *line, size_t len);
int batch_sink(void *arg, const char *line, size_t len);

#endif
