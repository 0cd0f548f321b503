/* child.c: a worker process and its one loop of operations. */
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "child.h"
#include "clock.h"
#include "config.h"
#include "event.h"
#include "proto.h"
#include "workload.h"

#define BATCH_SEND_AT 65536

struct batch {
	int fd;
	char *buf;
	size_t len, cap;
	int failed;
};

static volatile sig_atomic_t child_stop;

static void
child_onsig(int s)
{
	(void)s;
	child_stop = 1;
}

/* Send what the batch holds in one write. */
static void
batch_send(struct batch *b)
{
	if (b->len > 0 && event_write_fd(&b->fd, b->buf, b->len) != 0)
		b->failed = 1;
	b->len = 0;
}

int
batch_add(struct batch *b, const char *line, size_t len)
{
	if (b->len + len > b->cap) {
		size_t cap = b->cap ? b->cap : 8192;
		char *nb;

		while (cap < b->len + len)
			cap *= 2;
		if ((nb = realloc(b->buf, cap)) == NULL)
			return -1;
		b->buf = nb;
		b->cap = cap;
	}
	memcpy(b->buf + b->len, line, len);
	b->len += len;
	if (b->len >= BATCH_SEND_AT)
		batch_send(b);
	return b->failed ? -1 : 0;
}

int
batch_sink(void *arg, const char *line, size_t len)
{
	return batch_add(arg, line, len);
}


static void
child_title(const struct wctx *c, long long op)
{
	if (c->share < 0)
		setproctitle("worker %d run %s op %lld", c->index,
		    c->cf->run_id, op);
	else
		setproctitle("worker %d run %s op %lld/%lld", c->index,
		    c->cf->run_id, op, c->share);
}

/* The parent's SIGKILL of this worker is on its way: wait for it, or for
 * the stop the parent's end sends, and report nothing more. */
static void
child_await_kill(const struct wctx *c)
{
	while (!*c->stop)
		poll(NULL, 0, 1);
}

/*
 * The operations of c's share, until done, stopped or the deadline. The
 * last one is counted only if the worker claims it before the parent
 * claims a kill (LAST_*): a kill never lands once the share is done. An
 * operation a chaos kill took, a replacement's first (c->redo) or one
 * the workload runs again, is done even past the deadline, so that the
 * kill is decided.
 */
static void
child_loop(const struct workload *wl, const struct wctx *c, void *w,
    struct batch *b)
{
	long long op;
	int rc, redo = c->redo;

	for (op = 1; c->share < 0 || op <= c->share; op++) {
		if (*c->stop || b->failed || (!redo && c->deadline_ms > 0 &&
		    clock_ms() >= c->deadline_ms))
			break;
		child_title(c, op);
		if ((rc = wl->child_op(w, op)) > 0) {
			batch_send(b);
			op--;		/* not an operation: run it again */
			redo = 1;
			continue;
		}
		redo = 0;
		if (rc < 0)
			b->failed = 1;
		if (op == c->share &&
		    !proto_claim(&c->st->last, LAST_COUNTED)) {
			b->len = 0;	/* not counted: its lines go too */
			child_await_kill(c);
			break;
		}
		proto_add(&c->st->ops);
		if (batch_add(b, PROTO_DONE_LINE, sizeof(PROTO_DONE_LINE) - 1) !=
		    0)
			b->failed = 1;
		batch_send(b);
	}
}

void
child_main(const struct workload *wl, const struct wctx *ctx)
{
	struct wctx c = *ctx;
	struct batch b;
	struct emitter *em;
	void *w = NULL;
	enum child_status rc = CHILD_DONE;

	proto_signals(child_onsig);
	c.stop = &child_stop;
	memset(&b, 0, sizeof(b));
	b.fd = c.fd;
	if ((em = emitter_new(batch_sink, &b, c.cf->run_id,
	    c.cf->segment_id, c.index, getpid())) == NULL ||
	    emitter_tag(em, c.cf->host, c.cf->shard[0] ? c.cf->shard : NULL) < 0)
		rc = CHILD_NOPIPE;
	else if (wl->child_new(&c, em, &b, &w) != 0)
		rc = CHILD_NOSETUP;
	else if (proto_go(c.gofd, c.stop) == 0)
		child_loop(wl, &c, w, &b);
	batch_send(&b);
	if (b.failed && rc == CHILD_DONE)
		rc = CHILD_NOPIPE;
	if (w != NULL)
		wl->child_free(w);
	emitter_free(em);
	free(b.buf);
	_exit(rc);
}
