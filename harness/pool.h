/* pool.h: the parent's workers: forked, their pipes read, reaped, one
 * replaced after a chaos kill, and killed on purpose. */
#ifndef HARNESS_POOL_H
#define HARNESS_POOL_H

#include <signal.h>

struct chaos;
struct config;
struct emitter;
struct relay_cb;
struct wstat;
struct workload;

struct pool;

/* The workers of workload wl (prepared: state) under cf; their event
 * lines and commits go to cb with arg, their soak.worker.exit lines to
 * em. NULL when memory ran out. */
struct pool *pool_new(const struct config *cf, const struct workload *wl,
    const void *state, const struct relay_cb *cb, void *arg,
    struct emitter *em);
void pool_free(struct pool *);
/* Fork cf->workers workers, each with its share of the shard's
 * operations; they begin together once all are forked and start_ms
 * (clock_ms) has come, unless *stop is set first, and stop at
 * deadline_ms (0: none). A worker's soak.worker.exit times it from
 * that beginning. Returns 0, or -1 when one could not be forked
 * (message printed; it counts as died). */
int pool_start(struct pool *, double deadline_ms, double start_ms,
    volatile sig_atomic_t *stop);
/* Wait up to timeout ms for the workers' lines and relay them; reap a
 * worker whose pipe ended. Returns the pipes that were open, 0 once
 * every worker ended. */
int pool_poll(struct pool *, int timeout);
/* Send sig to every worker alive. */
void pool_signal(struct pool *, int sig);
/* No more replacements: the run is stopping. */
void pool_stopping(struct pool *);
/* The workers' counters, summed. */
void pool_counts(const struct pool *, struct wstat *sum);
/* Operations done: relayed whole for a killed worker, else as counted. */
long long pool_ops(const struct pool *);
/* Operations relayed whole. */
long long pool_relayed(const struct pool *);
/* Worker lines that could not be relayed. */
long long pool_bad(const struct pool *);
/* Workers that died other than by --chaos-kill. */
int pool_died(const struct pool *);
/* Send the next chaos kill of ch when it is due (progress: the run's
 * fraction done), preferring a worker, or in exec mode a command, that
 * holds SQLite's write lock on db (NULL: no database to watch). */
void pool_chaos(struct pool *, struct chaos *ch, double progress,
    const char *db);

#endif
