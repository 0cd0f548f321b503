/* worker.h: one worker process of the built-in workload. */
#include <signal.h>

struct config;
struct fileset;

/* Counters a worker publishes in memory shared with the parent; each is
 * written by its worker only (relaxed atomics). */
struct wstat {
	long long ops, hits, misses, waits, timeouts, errors;
	long long state;	/* WSTATE_*: what the worker is doing now */
};

/* A worker's state, for the parent's chaos kills. */
#define WSTATE_IDLE 0
#define WSTATE_LOOKUP 1
#define WSTATE_WRITE 2	/* inside the write transaction */

/* A control line from a worker to the parent starts with this byte;
 * "\001W\t<sha256 of value>\t<key>\n" says a write committed (sent only
 * after COMMIT returned), "\001D\n" that an operation ended and its lines
 * came before (sent with them in one write). */
#define WORKER_CTL '\001'

/* Run worker number index (1-based) for share operations (-1: until the
 * deadline or *stop), writing event lines and control lines to fd; the
 * operations start once worker_go(gofd) returns. Returns the exit status:
 * 0 done, 3 the cache could not be opened, 4 fd could not be written. */
int worker_main(const struct config *, const struct fileset *, int index,
    long long share, int fd, int gofd, struct wstat *, double deadline_ms,
    volatile sig_atomic_t *stop);
/* Wait for the start: the end of file on gofd, which the parent gives
 * every worker at once when all are ready. Returns 0, or -1 when *stop
 * was set first. */
int worker_go(int gofd, volatile sig_atomic_t *stop);
