/* relay.c: one worker's pipe split into lines. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linebuf.h"
#include "relay.h"

#define RELAY_CHUNK 65536

struct relay {
	struct relay_cb cb;
	void *arg;
	struct linebuf *lb;	/* NULL once closed */
	long long lines, ops, bad;
	long long partial;	/* bytes not handed on, when closed */
};

struct relay *
relay_new(const struct relay_cb *cb, void *arg)
{
	struct relay *r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	if ((r->lb = linebuf_new()) == NULL) {
		free(r);
		return NULL;
	}
	r->cb = *cb;
	r->arg = arg;
	return r;
}

void
relay_free(struct relay *r)
{
	if (r == NULL)
		return;
	linebuf_free(r->lb);
	free(r);
}

void
relay_close(struct relay *r)
{
	if (r == NULL || r->lb == NULL)
		return;
	r->partial = relay_partial(r);
	r->bad = relay_bad(r);
	linebuf_free(r->lb);
	r->lb = NULL;
}

/* One line of the pipe, newline included. */
static int
relay_line(void *arg, const char *line, size_t len)
{
	struct relay *r = arg;
	struct proto_commit c;

	switch (proto_parse(line, len - 1, &c)) {
	case PROTO_EVENT:
		if (len > 1 && r->cb.event(r->arg, line, len) == 0)
			r->lines++;
		break;
	case PROTO_DONE:
		r->ops++;
		break;
	case PROTO_COMMIT:
		if (r->cb.commit(r->arg, &c) != 0)
			r->bad++;
		break;
	default:
		r->bad++;
	}
	return 0;
}

int
relay_feed(struct relay *r, const char *buf, size_t len)
{
	char *p;

	if (r->lb == NULL) {
		errno = EBADF;
		return -1;
	}
	if ((p = linebuf_space(r->lb, len)) == NULL)
		return -1;
	memcpy(p, buf, len);
	linebuf_commit(r->lb, len, relay_line, r);
	return 0;
}

ssize_t
relay_read(struct relay *r, int fd)
{
	ssize_t n;
	char *p;

	if (r->lb == NULL) {
		errno = EBADF;
		return -1;
	}
	if ((p = linebuf_space(r->lb, RELAY_CHUNK)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	if ((n = read(fd, p, RELAY_CHUNK)) > 0)
		linebuf_commit(r->lb, (size_t)n, relay_line, r);
	return n;
}

long long
relay_lines(const struct relay *r)
{
	if (r == NULL)
		return 0;
	return r->lines;
}

long long
relay_ops(const struct relay *r)
{
	if (r == NULL)
		return 0;
	return r->ops;
}

long long
relay_partial(const struct relay *r)
{
	if (r == NULL)
		return 0;
	if (r->lb == NULL)
		return r->partial;
	return (long long)linebuf_pending(r->lb) + linebuf_dropped(r->lb);
}

long long
relay_bad(const struct relay *r)
{
	if (r == NULL)
		return 0;
	return r->bad + (r->lb != NULL ? linebuf_overlong(r->lb) : 0);
}
