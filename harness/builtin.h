/* builtin.h: the built-in workload's operation in a worker: one file's
 * symbols through the SQLite cache, behind the lock file. */
#ifndef HARNESS_BUILTIN_H
#define HARNESS_BUILTIN_H

struct wctx;
struct emitter;
struct batch;

/* The workload table's child operations (see workload.h). */
int builtin_child_new(const struct wctx *, struct emitter *, struct batch *,
    void **child);
int builtin_child_op(void *child, long long op);
void builtin_child_free(void *child);

#endif
