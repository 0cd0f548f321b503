/* pool.c: the parent's workers: forked, read, reaped, replaced, killed. */
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chaos.h"
#include "child.h"
#include "clock.h"
#include "config.h"
#include "dbwatch.h"
#include "pool.h"
#include "proto.h"
#include "relay.h"
#include "shard.h"
#include "report.h"
#include "spread.h"
#include "workload.h"

/* One worker process, or its replacement after a chaos kill. */
struct slot {
	pid_t pid;
	int fd;			/* its pipe; -1 once closed */
	struct relay *rl;
	long long share;	/* operations given; -1: until the deadline */
	long long missed;	/* chaos_missed already counted */
	int done;
	int chaos;		/* the worker itself SIGKILLed on purpose */
};

struct pool {
	const struct config *cf;
	const struct workload *wl;
	const void *state;
	const struct relay_cb *cb;
	void *arg;
	struct emitter *em;
	struct slot *slot;
	struct wstat *st;	/* shared with the workers, one per slot */
	struct pollfd *pfd;
	int *pslot;		/* the slot of each pollfd */
	int nslots;		/* workers and their possible replacements */
	int n;			/* slots in use */
	int go[2];		/* closing go[1] starts every worker */
	int stopping, died;
	double t0, deadline;
	struct chaos *ch;	/* set by pool_chaos, for missed kills */
};

struct pool *
pool_new(const struct config *cf, const struct workload *wl,
    const void *state, const struct relay_cb *cb, void *arg,
    struct emitter *em)
{
	struct pool *p;
	size_t n = (size_t)cf->workers + (size_t)cf->chaos_kills;
	int i;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->cf = cf;
	p->wl = wl;
	p->state = state;
	p->cb = cb;
	p->arg = arg;
	p->em = em;
	p->nslots = (int)n;
	p->go[0] = p->go[1] = -1;
	p->t0 = clock_ms();
	p->st = mmap(NULL, n * sizeof(*p->st), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p->st == MAP_FAILED ||
	    (p->slot = calloc(n, sizeof(*p->slot))) == NULL ||
	    (p->pfd = calloc(n, sizeof(*p->pfd))) == NULL ||
	    (p->pslot = calloc(n, sizeof(*p->pslot))) == NULL) {
		pool_free(p);
		return NULL;
	}
	for (i = 0; i < p->nslots; i++)
		p->slot[i].fd = -1;
	return p;
}

void
pool_free(struct pool *p)
{
	int i;

	if (p == NULL)
		return;
	if (p->slot != NULL)
		for (i = 0; i < p->nslots; i++) {
			relay_free(p->slot[i].rl);
			if (p->slot[i].fd >= 0)
				close(p->slot[i].fd);
		}
	if (p->st != NULL && p->st != MAP_FAILED)
		munmap(p->st, (size_t)p->nslots * sizeof(*p->st));
	free(p->slot);
	free(p->pfd);
	free(p->pslot);
	free(p);
}

void
pool_signal(struct pool *p, int sig)
{
	int i;

	for (i = 0; i < p->n; i++)
		if (!p->slot[i].done && p->slot[i].pid > 0)
			kill(p->slot[i].pid, sig);
}

void
pool_stopping(struct pool *p)
{
	p->stopping = 1;
}

/* The worker number of slot i, unique across the shards of a run. */
static int
pool_number(const struct pool *p, int i)
{
	return shard_worker(i, p->cf->shard_k, p->cf->shard_n);
}

/* In the forked worker of slot i: close what is the parent's, then run. */
static void
pool_child(struct pool *p, int i, int wfd)
{
	struct wctx c;
	int k;

	for (k = 0; k < p->n; k++)
		if (k != i && p->slot[k].fd >= 0)
			close(p->slot[k].fd);
	if (p->go[1] >= 0)
		close(p->go[1]);
	memset(&c, 0, sizeof(c));
	c.cf = p->cf;
	c.state = p->state;
	c.index = pool_number(p, i);
	c.share = p->slot[i].share;
	c.fd = wfd;
	c.gofd = p->go[0];
	c.st = &p->st[i];
	c.deadline_ms = p->deadline;
	c.redo = i >= p->cf->workers;
	child_main(p->wl, &c);
}

/* Fork the worker of slot i (its share set); -1 when it could not be. */
static int
pool_fork(struct pool *p, int i)
{
	struct slot *s = &p->slot[i];
	pid_t parent = getpid();
	int fds[2];

	if ((s->rl = relay_new(p->cb, p->arg)) == NULL ||
	    pipe2(fds, O_CLOEXEC) < 0) {
		warn(s->rl == NULL ? NULL : "pipe");
		return -1;
	}
	if ((s->pid = fork()) < 0) {
		warn("fork");
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (s->pid == 0) {
		close(fds[0]);
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 ||
		    getppid() != parent)
			_exit(1);
		pool_child(p, i, fds[1]);
	}
	close(fds[1]);
	s->fd = fds[0];
	return 0;
}

/* Sleep until start_ms (clock_ms), or until *stop is set. */
static void
pool_wait_start(double start_ms, volatile sig_atomic_t *stop)
{
	struct timespec ts;
	double left;

	while (!*stop && (left = start_ms - clock_ms()) > 0) {
		if (left > 100)
			left = 100;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)(left * 1e6);
		nanosleep(&ts, NULL);
	}
}

int
pool_start(struct pool *p, double deadline_ms, double start_ms,
    volatile sig_atomic_t *stop)
{
	sigset_t hold, was;
	int i, rc = 0;

	p->deadline = deadline_ms;
	if (pipe2(p->go, O_CLOEXEC) < 0) {
		warn("pipe");
		p->go[0] = p->go[1] = -1;
		p->died++;
		return -1;
	}
	for (i = 0; i < p->cf->workers && rc == 0; i++) {
		p->slot[i].share = p->cf->shard_ops < 0 ? -1 :
		    spread_share(p->cf->shard_ops, p->cf->workers, i);
		p->n = i + 1;
		rc = pool_fork(p, i);
	}
	if (rc == 0)
		pool_wait_start(start_ms, stop);
	/* A stop before the start begins nothing: the check and the release
	 * with the stop signals held, so that one comes before or after. */
	sigemptyset(&hold);
	sigaddset(&hold, SIGINT);
	sigaddset(&hold, SIGTERM);
	sigprocmask(SIG_BLOCK, &hold, &was);
	if (*stop)
		pool_signal(p, SIGTERM);
	close(p->go[1]);
	p->t0 = clock_ms();
	sigprocmask(SIG_SETMASK, &was, NULL);
	close(p->go[0]);
	p->go[0] = p->go[1] = -1;
	if (rc < 0)
		p->died++;
	return rc;
}

/* Slot i's worker was SIGKILLed on purpose: a new worker takes over the
 * operations it did not finish. Returns its slot, or -1 when none was
 * needed or could be made. A kill that found the worker already ended
 * is tried again later. */
static int
pool_replace(struct pool *p, int i, int status)
{
	struct slot *s = &p->slot[i];
	long long left;
	int k;

	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) {
		if (p->ch != NULL)
			chaos_missed(p->ch);
		return -1;
	}
	left = s->share < 0 ? -1 : s->share - relay_ops(s->rl);
	if (p->stopping || left == 0 || p->n >= p->nslots)
		return -1;
	k = p->n++;
	p->slot[k].share = left;
	if (pool_fork(p, k) < 0) {
		p->died++;
		return -1;
	}
	return k;
}

/* Slot i's pipe ended: reap the worker and say how it ended. */
static void
pool_reap(struct pool *p, int i)
{
	struct slot *s = &p->slot[i];
	struct worker_end we;
	int status = 0;

	close(s->fd);
	s->fd = -1;
	while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
		;
	s->done = 1;
	memset(&we, 0, sizeof(we));
	we.index = pool_number(p, i);
	we.pid = s->pid;
	we.status = status;
	we.chaos = s->chaos && WIFSIGNALED(status) &&
	    WTERMSIG(status) == SIGKILL;
	we.ops = we.chaos ? relay_ops(s->rl) : proto_get(&p->st[i].ops);
	we.events = relay_lines(s->rl);
	we.partial_bytes = relay_partial(s->rl);
	/* Its counts stay for the run's totals; its buffer goes, or a long
	 * soak with kills would hold one per worker it ever had. */
	relay_close(s->rl);
	we.state = proto_state(&p->st[i]);
	we.replaced_by = -1;
	if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0) && !we.chaos) {
		p->died++;
		/* The exit status 1 it makes says why, not only the events. */
		if (WIFSIGNALED(status))
			warnx("worker %d (pid %ld): killed by signal %d",
			    we.index, (long)we.pid, WTERMSIG(status));
		else
			warnx("worker %d (pid %ld): exited with status %d",
			    we.index, (long)we.pid, WEXITSTATUS(status));
	}
	if (s->chaos && (we.replaced_by = pool_replace(p, i, status)) >= 0)
		we.replaced_by = pool_number(p, we.replaced_by);
	report_worker(p->em, &we, clock_ms() - p->t0);
}

/* Read what slot i's worker wrote; at the end of its pipe, reap it. */
static void
pool_read(struct pool *p, int i)
{
	ssize_t n = relay_read(p->slot[i].rl, p->slot[i].fd);

	if (n > 0 || (n < 0 && (errno == EINTR || errno == EAGAIN)))
		return;
	if (n < 0 && errno == ENOMEM) {
		warn(NULL);
		p->died++;
		pool_stopping(p);
		pool_signal(p, SIGTERM);
		return;
	}
	pool_reap(p, i);
}

int
pool_poll(struct pool *p, int timeout)
{
	int i, k, n = 0, ready;

	for (i = 0; i < p->n; i++)
		if (p->slot[i].fd >= 0) {
			p->pfd[n].fd = p->slot[i].fd;
			p->pfd[n].events = POLLIN;
			p->pfd[n].revents = 0;
			p->pslot[n++] = i;
		}
	if (n == 0)
		return 0;
	ready = poll(p->pfd, (nfds_t)n, timeout);
	for (k = 0; ready > 0 && k < n; k++)
		if (p->pfd[k].revents != 0)
			pool_read(p, p->pslot[k]);
	return n;
}

void
pool_counts(const struct pool *p, struct wstat *sum)
{
	int i;

	memset(sum, 0, sizeof(*sum));
	for (i = 0; i < p->n; i++) {
		sum->ops += proto_get(&p->st[i].ops);
		sum->hits += proto_get(&p->st[i].hits);
		sum->misses += proto_get(&p->st[i].misses);
		sum->waits += proto_get(&p->st[i].waits);
	}
}

long long
pool_ops(const struct pool *p)
{
	long long ops = 0;
	int i;

	for (i = 0; i < p->n; i++)
		ops += p->slot[i].chaos ? relay_ops(p->slot[i].rl) :
		    proto_get(&p->st[i].ops);
	return ops;
}

/* A relay count summed over the slots. */
static long long
pool_sum(const struct pool *p, long long (*count)(const struct relay *))
{
	long long sum = 0;
	int i;

	for (i = 0; i < p->n; i++)
		sum += count(p->slot[i].rl);
	return sum;
}

long long
pool_relayed(const struct pool *p)
{
	return pool_sum(p, relay_ops);
}

long long
pool_bad(const struct pool *p)
{
	return pool_sum(p, relay_bad);
}

int
pool_died(const struct pool *p)
{
	return p->died;
}

/* What a chaos pick looks at. */
struct pick {
	struct pool *p;
	const char *db;
	int in_write;		/* the slot picked last is inside a write */
};

/* Slot i can be killed now: its worker alive and not killed yet; in exec
 * mode its command running and no kill of it pending; in the built-in
 * mode an operation of its share still to finish, so that a worker takes
 * over and the kill is decided (one whose share is done would end the
 * run with nothing after it). */
static int
pool_killable(const struct pool *p, int i)
{
	const struct slot *s = &p->slot[i];
	const struct wstat *w = &p->st[i];

	if (s->done || s->chaos || s->pid <= 0)
		return 0;
	if (proto_get(&w->kill_cmd))
		return proto_get(&w->cmd_pid) > 0 &&
		    proto_get(&w->chaos_mark) == 0;
	return s->share < 0 || (proto_get(&w->ops) < s->share &&
	    proto_get(&w->last) == 0);
}

/* Slot i is inside a write: the built-in worker in its write
 * transaction, or the command whose process group holds SQLite's write
 * lock (writer_pg, 0: no one). */
static int
pool_writing(const struct pool *p, int i, pid_t writer_pg)
{
	if (!proto_get(&p->st[i].kill_cmd))
		return proto_state(&p->st[i]) == WSTATE_WRITE;
	return writer_pg > 0 && writer_pg == proto_get(&p->st[i].cmd_pid);
}

/* A killable slot, inside a write when in_write, searched from r; with
 * no database to watch in exec mode, any killable one. -1: none. */
static int
pool_pick(void *arg, int in_write, uint64_t r)
{
	struct pick *pk = arg;
	struct pool *p = pk->p;
	pid_t writer, pg = 0;
	int i, k, start;

	if (p->n == 0)
		return -1;
	if (pk->db != NULL && (writer = dbwatch_writer(pk->db)) > 0)
		pg = getpgid(writer);
	start = (int)(r % (uint64_t)p->n);
	for (k = 0; k < p->n; k++) {
		i = (start + k) % p->n;
		if (!pool_killable(p, i))
			continue;
		pk->in_write = pool_writing(p, i, pg);
		if (!in_write || pk->in_write || (pk->db == NULL &&
		    proto_get(&p->st[i].kill_cmd)))
			return i;
	}
	return -1;
}

/* SIGKILL slot i's worker, or in exec mode its command's process group,
 * marked first so that the worker knows the kill for what it is. A kill
 * that finds the command gone is counted missed, to be tried again; so
 * is a built-in one that loses the claim (LAST_*) to the worker counting
 * the last operation of its share. */
static void
pool_kill(struct pool *p, struct chaos *ch, int i, int in_write)
{
	struct wstat *w = &p->st[i];
	long long pg;

	if (!proto_get(&w->kill_cmd)) {
		if (!proto_claim(&w->last, LAST_KILLED)) {
			chaos_missed(ch);	/* its share is done */
			return;
		}
		p->slot[i].chaos = 1;
		kill(p->slot[i].pid, SIGKILL);
		return;
	}
	pg = proto_get(&w->cmd_pid);
	proto_put(&w->chaos_state, in_write ? CHAOS_WRITE : CHAOS_BUSY);
	proto_put(&w->chaos_mark, pg);
	if ((pg <= 0 || kill(-(pid_t)pg, SIGKILL) < 0 ||
	    proto_get(&w->cmd_pid) != pg) && proto_clear(&w->chaos_mark, pg))
		chaos_missed(ch);
}

/* Kills the exec workers found the run ended: due again. */
static void
pool_missed(struct pool *p, struct chaos *ch)
{
	long long m;
	int i;

	for (i = 0; i < p->n; i++)
		for (m = proto_get(&p->st[i].chaos_missed);
		    p->slot[i].missed < m; p->slot[i].missed++)
			chaos_missed(ch);
}

void
pool_chaos(struct pool *p, struct chaos *ch, double progress,
    const char *db)
{
	struct pick pk = { p, db, 0 };
	int i;

	p->ch = ch;
	pool_missed(p, ch);
	if (p->stopping || chaos_left(ch) == 0)
		return;
	if ((i = chaos_step(ch, progress, clock_ms(), pool_pick, &pk)) < 0)
		return;
	pool_kill(p, ch, i, pk.in_write);
}
