/* lock.c: the cache's lock file, waited for in the kernel, with a timer. */
#include <sys/file.h>
#include <sys/time.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>

#include "clock.h"
#include "lock.h"

static void
lock_onalarm(int s)
{
	(void)s;
}

int
lock_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = lock_onalarm;	/* no SA_RESTART: flock returns EINTR */
	return sigaction(SIGALRM, &sa, NULL);
}

int
lock_open(const char *path)
{
	return open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
}

/* Arm the timer to fire in ms milliseconds (0: disarm). */
static void
lock_timer(double ms)
{
	struct itimerval it;

	memset(&it, 0, sizeof(it));
	if (ms > 0) {
		it.it_value.tv_sec = (time_t)(ms / 1000);
		it.it_value.tv_usec = (suseconds_t)((ms - (double)it.it_value.tv_sec *
		    1000) * 1000);
		if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0)
			it.it_value.tv_usec = 1;
	}
	setitimer(ITIMER_REAL, &it, NULL);
}

enum lock_result
lock_take(int fd, long long timeout_ms, double *waited_ms,
    volatile sig_atomic_t *stop)
{
	enum lock_result r = LOCK_OK;
	double t0;

	*waited_ms = 0;
	/* Free at the first try: no wait at all, whatever the clock says. */
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return LOCK_OK;
	if (errno != EWOULDBLOCK && errno != EINTR)
		return LOCK_ERROR;
	t0 = clock_ms();
	/* Wait in the kernel, woken when the holder lets go; the timer
	 * and the stop signal break the wait. */
	for (;;) {
		*waited_ms = clock_ms() - t0;
		if (stop != NULL && *stop) {
			r = LOCK_STOPPED;
			break;
		}
		if (*waited_ms >= (double)timeout_ms) {
			r = LOCK_TIMEOUT;
			break;
		}
		lock_timer((double)timeout_ms - *waited_ms);
		if (flock(fd, LOCK_EX) == 0)
			break;
		if (errno != EINTR) {
			r = LOCK_ERROR;
			break;
		}
	}
	lock_timer(0);
	*waited_ms = clock_ms() - t0;
	return r;
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
