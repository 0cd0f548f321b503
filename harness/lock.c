/* lock.c: the cache's lock file, taken with polls and backoff. */
#include <sys/file.h>

#include <errno.h>
#include <fcntl.h>
#include <time.h>

#include "clock.h"
#include "lock.h"

#define LOCK_BACKOFF_MIN_NS 20000L
#define LOCK_BACKOFF_MAX_NS 2000000L

int
lock_open(const char *path)
{
	return open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
}

enum lock_result
lock_take(int fd, long long timeout_ms, double *waited_ms,
    volatile sig_atomic_t *stop)
{
	struct timespec ts;
	double t0, now;
	long wait_ns = LOCK_BACKOFF_MIN_NS;

	t0 = clock_ms();
	*waited_ms = 0;
	/* Free at the first try: no wait at all, whatever the clock says. */
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return LOCK_OK;
	for (;;) {
		if (errno != EWOULDBLOCK && errno != EINTR)
			return LOCK_ERROR;
		now = clock_ms();
		*waited_ms = now - t0;
		if (stop != NULL && *stop)
			return LOCK_STOPPED;
		if (*waited_ms >= (double)timeout_ms)
			return LOCK_TIMEOUT;
		ts.tv_sec = 0;
		ts.tv_nsec = wait_ns;
		nanosleep(&ts, NULL);
		if (wait_ns < LOCK_BACKOFF_MAX_NS)
			wait_ns *= 2;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			*waited_ms = clock_ms() - t0;
			return LOCK_OK;
		}
	}
}

void
lock_release(int fd)
{
	flock(fd, LOCK_UN);
}

const char *
lock_result_name(enum lock_result r)
{
	switch (r) {
	case LOCK_OK:
		return "ok";
	case LOCK_TIMEOUT:
		return "lock_timeout";
	case LOCK_STOPPED:
		return "stopped";
	default:
		return "lock_error";
	}
}
