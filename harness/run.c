/* run.c: the parent of a run: init, the loop, finish. */
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chaos.h"
#include "checks.h"
#include "child.h"
#include "clock.h"
#include "config.h"
#include "event.h"
#include "ledger.h"
#include "out.h"
#include "proto.h"
#include "relay.h"
#include "report.h"
#include "run.h"
#include "spread.h"
#include "telemetry.h"
#include "workload.h"

#define KILL_GRACE_MS 2000.0	/* SIGTERM, then SIGKILL this much later */
#define RUN_FOLLOW_MS 100	/* how often --follow reads the telemetry */
#define RUN_CHAOS_MS 10		/* how often a due kill is looked at */
#define RUN_PROGRESS_MS 1000.0

/* One worker process, or its replacement after a chaos kill. */
struct slot {
	pid_t pid;
	int fd;			/* its pipe; -1 once closed */
	struct relay *rl;
	long long share;	/* operations given; -1: until the deadline */
	int done;
	int chaos;		/* SIGKILL sent by --chaos-kill */
};

struct run {
	const struct config *cf;
	const struct workload *wl;
	const void *state;
	struct emitter *em;
	struct out *out;
	struct ledger *ledger;
	struct telem *tel;
	struct chaos *chaos;
	struct slot *slot;
	struct wstat *st;	/* shared with the workers, one per slot */
	struct pollfd *pfd;
	int *pslot;		/* the slot of each pollfd */
	int nslots;		/* workers and their possible replacements */
	int n;			/* slots in use */
	int go[2];		/* closing go[1] starts every worker */
	int stopping, died, telerr, progress;
	double t0, kill_at, deadline, next_progress;
};

static volatile sig_atomic_t run_signal;

static void
run_onsig(int s)
{
	run_signal = s;
}

static int
run_event(void *arg, const char *line, size_t len)
{
	return out_append(((struct run *)arg)->out, line, len);
}

static int
run_commit(void *arg, const struct proto_commit *c)
{
	return ledger_commit(((struct run *)arg)->ledger, c->key, c->keylen,
	    c->digest);
}

static const struct relay_cb run_relay_cb = { run_event, run_commit };

static void
run_kill(struct run *rn, int sig)
{
	int i;

	for (i = 0; i < rn->n; i++)
		if (!rn->slot[i].done && rn->slot[i].pid > 0)
			kill(rn->slot[i].pid, sig);
}

/* Ask every worker to stop: SIGTERM now, SIGKILL after the grace. */
static void
run_stop(struct run *rn)
{
	if (rn->stopping)
		return;
	rn->stopping = 1;
	rn->kill_at = clock_ms() + KILL_GRACE_MS;
	run_kill(rn, SIGTERM);
}

/* Operations done so far: relayed whole for a killed worker, else as the
 * worker counts them. */
static long long
run_ops(const struct run *rn)
{
	long long ops = 0;
	int i;

	for (i = 0; i < rn->n; i++)
		ops += rn->slot[i].chaos ? relay_ops(rn->slot[i].rl) :
		    proto_get(&rn->st[i].ops);
	return ops;
}

static void
run_progress(const struct run *rn)
{
	long long ops = 0, hits = 0, misses = 0, waits = 0;
	double secs, rate, eta = -1;
	int i;

	for (i = 0; i < rn->n; i++) {
		ops += proto_get(&rn->st[i].ops);
		hits += proto_get(&rn->st[i].hits);
		misses += proto_get(&rn->st[i].misses);
		waits += proto_get(&rn->st[i].waits);
	}
	secs = (clock_ms() - rn->t0) / 1000;
	rate = secs > 0 ? (double)ops / secs : 0;
	if (rn->cf->ops > 0 && rate > 0)
		eta = (double)(rn->cf->ops - ops) / rate;
	if (rn->cf->duration_s > 0 &&
	    (eta < 0 || (double)rn->cf->duration_s - secs < eta))
		eta = (double)rn->cf->duration_s - secs;
	if (eta < 0)
		eta = 0;
	fprintf(stderr, "%s: %lld ops, %.1f ops/s, %lld hits, %lld misses, "
	    "%lld lock waits, ETA %.0fs\n", getprogname(), ops, rate, hits,
	    misses, waits, eta);
}

/* In the forked worker of slot i: close what is the parent's, then run. */
static void
run_child(struct run *rn, int i, int wfd)
{
	struct wctx c;
	int k;

	for (k = 0; k < rn->n; k++)
		if (k != i && rn->slot[k].fd >= 0)
			close(rn->slot[k].fd);
	if (rn->go[1] >= 0)
		close(rn->go[1]);
	memset(&c, 0, sizeof(c));
	c.cf = rn->cf;
	c.state = rn->state;
	c.index = i + 1;
	c.share = rn->slot[i].share;
	c.fd = wfd;
	c.gofd = rn->go[0];
	c.st = &rn->st[i];
	c.deadline_ms = rn->deadline;
	child_main(rn->wl, &c);
}

/* Fork the worker of slot i (its share set); -1 when it could not be. */
static int
run_fork(struct run *rn, int i)
{
	struct slot *s = &rn->slot[i];
	pid_t parent = getpid();
	int p[2];

	if ((s->rl = relay_new(&run_relay_cb, rn)) == NULL ||
	    pipe2(p, O_CLOEXEC) < 0) {
		warn(s->rl == NULL ? NULL : "pipe");
		return -1;
	}
	if ((s->pid = fork()) < 0) {
		warn("fork");
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (s->pid == 0) {
		close(p[0]);
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 ||
		    getppid() != parent)
			_exit(1);
		run_child(rn, i, p[1]);
	}
	close(p[1]);
	s->fd = p[0];
	return 0;
}

/* Start the workers; they begin their operations together, when all are
 * forked, so they contend from the first operation on. */
static int
run_spawn(struct run *rn)
{
	int i, rc = 0;

	if (pipe2(rn->go, O_CLOEXEC) < 0) {
		warn("pipe");
		rn->go[0] = rn->go[1] = -1;
		return -1;
	}
	for (i = 0; i < rn->cf->workers && rc == 0; i++) {
		rn->slot[i].share = rn->cf->ops < 0 ? -1 :
		    spread_share(rn->cf->ops, rn->cf->workers, i);
		rn->n = i + 1;
		rc = run_fork(rn, i);
	}
	close(rn->go[1]);
	close(rn->go[0]);
	rn->go[0] = rn->go[1] = -1;
	return rc;
}

/* Slot i was killed by --chaos-kill: a new worker takes over the
 * operations it did not finish. A kill that found the worker already
 * ended is tried again later. */
static void
run_replace(struct run *rn, int i, int status)
{
	struct slot *s = &rn->slot[i];
	long long left;
	int k;

	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) {
		chaos_missed(rn->chaos);
		return;
	}
	left = s->share < 0 ? -1 : s->share - relay_ops(s->rl);
	if (rn->stopping || left == 0 || rn->n >= rn->nslots)
		return;
	k = rn->n++;
	rn->slot[k].share = left;
	if (run_fork(rn, k) < 0) {
		rn->died++;
		run_stop(rn);
	}
}

/* Slot i's pipe ended: reap the worker and say how it ended. */
static void
run_reap(struct run *rn, int i)
{
	struct slot *s = &rn->slot[i];
	struct worker_end we;
	int status = 0;

	close(s->fd);
	s->fd = -1;
	while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
		;
	s->done = 1;
	memset(&we, 0, sizeof(we));
	we.index = i + 1;
	we.pid = s->pid;
	we.status = status;
	we.chaos = s->chaos && WIFSIGNALED(status) &&
	    WTERMSIG(status) == SIGKILL;
	we.ops = we.chaos ? relay_ops(s->rl) : proto_get(&rn->st[i].ops);
	we.events = relay_lines(s->rl);
	we.partial_bytes = relay_partial(s->rl);
	we.state = proto_state(&rn->st[i]);
	if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0) && !we.chaos)
		rn->died++;
	report_worker(rn->em, &we, clock_ms() - rn->t0);
	if (s->chaos)
		run_replace(rn, i, status);
}

/* Read what slot i's worker wrote; at the end of its pipe, reap it. */
static void
run_read(struct run *rn, int i)
{
	ssize_t n = relay_read(rn->slot[i].rl, rn->slot[i].fd);

	if (n > 0 || (n < 0 && (errno == EINTR || errno == EAGAIN)))
		return;
	if (n < 0 && errno == ENOMEM) {
		warn(NULL);
		run_stop(rn);
		return;
	}
	run_reap(rn, i);
}

/* The run's progress in [0, 1]: operations relayed, or time used. */
static double
run_fraction(const struct run *rn)
{
	double f = 0, t;
	long long ops = 0;
	int i;

	if (rn->cf->ops > 0) {
		for (i = 0; i < rn->n; i++)
			ops += relay_ops(rn->slot[i].rl);
		f = (double)ops / (double)rn->cf->ops;
	}
	if (rn->cf->duration_s > 0) {
		t = (clock_ms() - rn->t0) / 1000 / (double)rn->cf->duration_s;
		if (t > f)
			f = t;
	}
	return f;
}

/* A slot whose worker is alive and not yet killed, inside a write when
 * in_write, searched from r; -1 when there is none. */
static int
run_pick(void *arg, int in_write, uint64_t r)
{
	struct run *rn = arg;
	int i, k, start;

	if (rn->n == 0)
		return -1;
	start = (int)(r % (uint64_t)rn->n);
	for (k = 0; k < rn->n; k++) {
		i = (start + k) % rn->n;
		if (rn->slot[i].done || rn->slot[i].chaos ||
		    rn->slot[i].pid <= 0)
			continue;
		if (!in_write || proto_state(&rn->st[i]) == WSTATE_WRITE)
			return i;
	}
	return -1;
}

/* Send the next chaos kill when it is due and has a target. */
static void
run_chaos(struct run *rn)
{
	int i;

	if (rn->stopping || chaos_left(rn->chaos) == 0)
		return;
	if ((i = chaos_step(rn->chaos, run_fraction(rn), clock_ms(),
	    run_pick, rn)) < 0)
		return;
	rn->slot[i].chaos = 1;
	kill(rn->slot[i].pid, SIGKILL);
}

static int
run_telem_out(void *arg, const char *line, size_t len)
{
	return out_append(((struct run *)arg)->out, line, len);
}

static void
run_telem_reset(void *arg, const char *what)
{
	struct run *rn = arg;

	report_telem_reset(rn->em, rn->cf->x.telemetry, what);
}

static void
run_telem_poll(struct run *rn)
{
	if (rn->tel != NULL && telem_poll(rn->tel, rn->cf->run_id,
	    run_telem_out, run_telem_reset, rn) < 0 && !rn->telerr) {
		warn("%s", rn->cf->x.telemetry);
		rn->telerr = 1;
	}
}

/* The poll timeout: the next progress line, the --follow interval, the
 * SIGKILL after the grace, and a due or coming chaos kill. */
static int
run_timeout(const struct run *rn, double now)
{
	double t = rn->next_progress - now;

	if (rn->tel != NULL && rn->cf->x.follow && t > RUN_FOLLOW_MS)
		t = RUN_FOLLOW_MS;
	if (rn->stopping && rn->kill_at > 0 && rn->kill_at - now < t)
		t = rn->kill_at - now;
	if (chaos_hunting(rn->chaos))
		t = 0;
	else if (!rn->stopping && chaos_left(rn->chaos) > 0 &&
	    t > RUN_CHAOS_MS)
		t = RUN_CHAOS_MS;
	return t < 0 ? 0 : (int)t;
}

/* The pollfds of the open pipes; returns how many. */
static int
run_pollfds(struct run *rn)
{
	int i, n = 0;

	for (i = 0; i < rn->n; i++)
		if (rn->slot[i].fd >= 0) {
			rn->pfd[n].fd = rn->slot[i].fd;
			rn->pfd[n].events = POLLIN;
			rn->pfd[n].revents = 0;
			rn->pslot[n++] = i;
		}
	return n;
}

/* What is due by the clock: the SIGKILL after the grace, progress. */
static void
run_tick(struct run *rn)
{
	double now = clock_ms();

	if (rn->stopping && rn->kill_at > 0 && now >= rn->kill_at) {
		run_kill(rn, SIGKILL);
		rn->kill_at = 0;
	}
	if (now >= rn->next_progress) {
		if (rn->progress && !rn->stopping)
			run_progress(rn);
		rn->next_progress = now + RUN_PROGRESS_MS;
	}
}

/* Until every pipe ended: relay, kill on schedule, follow, flush. */
static void
run_loop(struct run *rn)
{
	int n, k, ready;

	rn->next_progress = clock_ms() + RUN_PROGRESS_MS;
	while ((n = run_pollfds(rn)) > 0) {
		ready = poll(rn->pfd, (nfds_t)n, run_timeout(rn, clock_ms()));
		if (run_signal)
			run_stop(rn);
		for (k = 0; ready > 0 && k < n; k++)
			if (rn->pfd[k].revents != 0)
				run_read(rn, rn->pslot[k]);
		run_chaos(rn);
		if (rn->cf->x.follow)
			run_telem_poll(rn);
		if (out_flush(rn->out) < 0)
			run_stop(rn);
		run_tick(rn);
	}
	if (rn->progress && !rn->stopping)
		run_progress(rn);
}

/* After the workers: the telemetry summary, the checks, soak.run.end. */
static void
run_finish(struct run *rn)
{
	struct checks ck = { rn->cf, rn->em, rn->ledger };
	struct run_end re;
	double t;
	int i;

	if (out_error(rn->out))
		return;
	if (rn->tel != NULL) {
		t = clock_ms();
		run_telem_poll(rn);
		report_telem(rn->em, rn->cf->x.telemetry, telem_stats(rn->tel),
		    rn->telerr, clock_ms() - t);
	}
	if (chaos_sent(rn->chaos) > 0 && rn->cf->db != NULL)
		checks_recover(&ck);
	rn->wl->checks(&ck, rn->state);
	memset(&re, 0, sizeof(re));
	re.status = run_signal ? "interrupted" : rn->died ? "failed" : "ok";
	re.ops = run_ops(rn);
	re.died = rn->died;
	for (i = 0; i < rn->n; i++)
		re.bad += relay_bad(rn->slot[i].rl);
	re.signal = run_signal;
	out_flush(rn->out);
	re.events = out_lines(rn->out);
	re.ms = clock_ms() - rn->t0;
	report_end(rn->em, rn->cf, &re);
	out_flush(rn->out);
}

static void
run_free(struct run *rn)
{
	int i;

	telem_close(rn->tel);
	ledger_free(rn->ledger);
	chaos_free(rn->chaos);
	if (rn->slot != NULL)
		for (i = 0; i < rn->nslots; i++)
			relay_free(rn->slot[i].rl);
	if (rn->st != NULL && rn->st != MAP_FAILED)
		munmap(rn->st, (size_t)rn->nslots * sizeof(*rn->st));
	free(rn->slot);
	free(rn->pfd);
	free(rn->pslot);
	emitter_free(rn->em);
	out_free(rn->out);
}


/* Everything the loop needs; -1 when memory ran out. */
static int
run_init(struct run *rn, const struct config *cf, const struct workload *wl,
    const void *state)
{
	size_t n = (size_t)cf->workers + (size_t)cf->chaos_kills;
	int i;

	memset(rn, 0, sizeof(*rn));
	rn->cf = cf;
	rn->wl = wl;
	rn->state = state;
	rn->nslots = (int)n;
	rn->t0 = clock_ms();
	rn->progress = cf->progress || isatty(STDERR_FILENO);
	if (cf->duration_s > 0)
		rn->deadline = rn->t0 + (double)cf->duration_s * 1000;
	rn->st = mmap(NULL, n * sizeof(*rn->st), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if ((rn->out = out_new(STDOUT_FILENO)) == NULL ||
	    (rn->em = emitter_new(out_sink, rn->out, cf->run_id,
	    cf->segment_id, 0, getpid())) == NULL ||
	    (rn->ledger = ledger_new()) == NULL ||
	    (rn->chaos = chaos_new(cf->chaos_kills, cf->seed)) == NULL ||
	    (rn->slot = calloc(n, sizeof(*rn->slot))) == NULL ||
	    (rn->pfd = calloc(n, sizeof(*rn->pfd))) == NULL ||
	    (rn->pslot = calloc(n, sizeof(*rn->pslot))) == NULL ||
	    rn->st == MAP_FAILED || (cf->x.telemetry != NULL &&
	    (rn->tel = telem_open(cf->x.telemetry)) == NULL))
		return -1;
	for (i = 0; i < rn->nslots; i++)
		rn->slot[i].fd = -1;
	return 0;
}

int
run_main(const struct config *cf, const struct workload *wl,
    const void *state, struct outcome *oc)
{
	struct run rn;

	if (run_init(&rn, cf, wl, state) < 0) {
		warn(NULL);
		run_free(&rn);
		return -1;
	}
	proto_signals(run_onsig);
	setproctitle("parent run %s", cf->run_id);
	report_start(rn.em, cf, wl, state);
	out_flush(rn.out);
	if (run_spawn(&rn) < 0) {
		rn.died++;
		run_stop(&rn);
	}
	run_loop(&rn);
	run_finish(&rn);
	oc->signal = run_signal;
	oc->died = rn.died;
	oc->out_err = out_error(rn.out);
	run_free(&rn);
	return 0;
}
