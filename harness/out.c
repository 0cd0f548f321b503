/* out.c: the parent's standard output, whole lines, buffered. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "out.h"

#define OUT_FLUSH_AT (64 * 1024)

struct out {
	int fd;
	char *buf;
	size_t len, cap;
	long long lines;	/* lines handed to write(2) whole */
	int err;		/* 0, EPIPE, or the write's errno */
};

struct out *
out_new(int fd)
{
	struct out *o;

	if ((o = calloc(1, sizeof(*o))) == NULL)
		return NULL;
	o->fd = fd;
	return o;
}

void
out_free(struct out *o)
{
	if (o == NULL)
		return;
	free(o->buf);
	free(o);
}

/* Count the newlines in buf[from, to): lines that went out whole. */
static void
out_count(struct out *o, size_t from, size_t to)
{
	const char *p = o->buf + from, *end = o->buf + to;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		o->lines++;
		p++;
	}
}

/*
 * Wait until fd, left non-blocking by whoever shares it, takes bytes
 * again: stdout is written as if it blocked.
 */
static void
out_wait(int fd)
{
	struct pollfd pf = { .fd = fd, .events = POLLOUT };

	(void)poll(&pf, 1, -1);
}

int
out_flush(struct out *o)
{
	size_t off = 0;
	ssize_t w;

	while (o->err == 0 && off < o->len) {
		if ((w = write(o->fd, o->buf + off, o->len - off)) < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				out_wait(o->fd);
			else if (errno != EINTR)
				o->err = errno;
			continue;
		}
		out_count(o, off, off + (size_t)w);
		off += (size_t)w;
	}
	o->len = 0;
	return o->err ? -1 : 0;
}

int
out_check(struct out *o)
{
	struct pollfd pf = { .fd = o->fd, .events = 0 };

	if (o->err == 0 && poll(&pf, 1, 0) == 1 &&
	    (pf.revents & (POLLERR | POLLHUP)) != 0)
		o->err = EPIPE;
	return o->err ? -1 : 0;
}

int
out_append(struct out *o, const char *buf, size_t len)
{
	if (o->err)
		return -1;
	if (o->len + len > o->cap) {
		size_t cap = o->cap ? o->cap : OUT_FLUSH_AT * 2;
		char *nb;

		while (cap < o->len + len)
			cap *= 2;
		if ((nb = realloc(o->buf, cap)) == NULL) {
			o->err = ENOMEM;
			return -1;
		}
		o->buf = nb;
		o->cap = cap;
	}
	memcpy(o->buf + o->len, buf, len);
	o->len += len;
	return o->len >= OUT_FLUSH_AT ? out_flush(o) : 0;
}

int
out_sink(void *arg, const char *line, size_t len)
{
	return out_append(arg, line, len);
}

long long
out_lines(const struct out *o)
{
	return o->lines;
}

int
out_error(const struct out *o)
{
	return o->err;
}
