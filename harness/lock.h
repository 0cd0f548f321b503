/* lock.h: the cache's lock file (flock), waited for in the kernel with a
 * timer for the timeout. */
#ifndef HARNESS_LOCK_H
#define HARNESS_LOCK_H

#include <signal.h>

enum lock_result {
	LOCK_OK,
	LOCK_TIMEOUT,	/* not acquired within the timeout */
	LOCK_STOPPED,	/* *stop became non-zero while waiting */
	LOCK_ERROR	/* flock failed; errno says why */
};

/* Make SIGALRM, the timer of lock_take(), break a wait without ending the
 * process; once per process, before lock_take(). Returns 0 or -1. */
int lock_init(void);
/* Open (creating) the lock file; returns a descriptor or -1. */
int lock_open(const char *path);
/* Take an exclusive lock on fd: at once when it is free, else waiting in
 * flock(2) until the holder lets go, timeout_ms have passed (an interval
 * timer, ITIMER_REAL) or *stop is set by a signal handler installed
 * without SA_RESTART; *waited_ms is the time spent waiting, exactly 0
 * when the lock was free at once. */
enum lock_result lock_take(int fd, long long timeout_ms, double *waited_ms,
    volatile sig_atomic_t *stop);
void lock_release(int fd);
/* The result as an operation's status says it: "ok", "lock_timeout",
 * "stopped" or "lock_error"; a static string. */
const char *lock_result_name(enum lock_result);

#endif
