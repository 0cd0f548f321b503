/* run.c: the parent of a run: init, the loop, finish. */
#include <sys/resource.h>

#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "chaos.h"
#include "checks.h"
#include "clock.h"
#include "config.h"
#include "envinfo.h"
#include "event.h"
#include "ledger.h"
#include "out.h"
#include "pool.h"
#include "proto.h"
#include "relay.h"
#include "report.h"
#include "run.h"
#include "sampler.h"
#include "telemetry.h"
#include "workload.h"

#define KILL_GRACE_MS 2000.0	/* SIGTERM, then SIGKILL this much later */
#define RUN_FOLLOW_MS 100	/* how often --follow reads the telemetry */
#define RUN_CHAOS_MS 10		/* how often a coming kill is looked at */
#define RUN_PROGRESS_MS 1000.0
#define RUN_GATHER_MS 2.0	/* at least this long between reads of the pipes */

struct run {
	const struct config *cf;
	const struct workload *wl;
	const void *state;
	struct emitter *em;
	struct out *out;
	struct ledger *ledger;
	struct telem *tel;
	struct chaos *chaos;
	struct pool *pool;
	struct sampler *sampler;
	struct envinfo env;
	int stopping, telerr, progress;
	int tty;		/* stderr is a terminal: one line, rewritten */
	double t0, kill_at, next_progress;
	int next_sample;	/* ms until the sampler is due; -1: never */
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

/* Ask every worker to stop: SIGTERM now, SIGKILL after the grace. */
static void
run_stop(struct run *rn)
{
	if (rn->stopping)
		return;
	rn->stopping = 1;
	rn->kill_at = clock_ms() + KILL_GRACE_MS;
	pool_stopping(rn->pool);
	pool_signal(rn->pool, SIGTERM);
}

static void
run_progress(const struct run *rn)
{
	struct wstat sum;
	double secs, rate, eta = -1;

	pool_counts(rn->pool, &sum);
	secs = (clock_ms() - rn->t0) / 1000;
	rate = secs > 0 ? (double)sum.ops / secs : 0;
	if (rn->cf->shard_ops > 0 && rate > 0)
		eta = (double)(rn->cf->shard_ops - sum.ops) / rate;
	if (rn->cf->duration_s > 0 &&
	    (eta < 0 || (double)rn->cf->duration_s - secs < eta))
		eta = (double)rn->cf->duration_s - secs;
	if (eta < 0)
		eta = 0;
	fprintf(stderr, "%s%s: %lld ops, %.1f ops/s, %lld hits, %lld misses, "
	    "%lld lock waits, ETA %.0fs%s", rn->tty ? "\r" : "", getprogname(),
	    sum.ops, rate, sum.hits, sum.misses, sum.waits, eta,
	    rn->tty ? "\033[K" : "\n");
}

/* The run's progress in [0, 1]: operations relayed, or time used. */
static double
run_fraction(const struct run *rn)
{
	double f = 0, t;

	if (rn->cf->shard_ops > 0)
		f = (double)pool_relayed(rn->pool) / (double)rn->cf->shard_ops;
	if (rn->cf->duration_s > 0) {
		t = (clock_ms() - rn->t0) / 1000 / (double)rn->cf->duration_s;
		if (t > f)
			f = t;
	}
	return f;
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

/* The poll timeout: the next progress line, the next database sample,
 * the --follow interval, the SIGKILL after the grace, and a due or
 * coming chaos kill. */
static int
run_timeout(const struct run *rn, double now)
{
	double t = rn->next_progress - now;

	if (rn->next_sample >= 0 && rn->next_sample < t)
		t = rn->next_sample;
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

/* What is due by the clock: the SIGKILL after the grace, a sample, the
 * progress line. */
static void
run_tick(struct run *rn)
{
	double now = clock_ms();

	if (rn->stopping && rn->kill_at > 0 && now >= rn->kill_at) {
		pool_signal(rn->pool, SIGKILL);
		rn->kill_at = 0;
	}
	rn->next_sample = sampler_tick(rn->sampler, now);
	if (now >= rn->next_progress) {
		if (rn->progress && !rn->stopping)
			run_progress(rn);
		rn->next_progress = now + RUN_PROGRESS_MS;
	}
}

/* Let the workers' lines gather in their pipes for a moment after a
 * read, so that the parent wakes once for many lines rather than once for
 * each, and leaves the processors to the workers; not while a chaos kill
 * is being aimed. */
static void
run_gather(const struct run *rn, double last)
{
	struct timespec ts;
	double left = last + RUN_GATHER_MS - clock_ms();

	if (left <= 0 || chaos_hunting(rn->chaos) || rn->stopping)
		return;
	ts.tv_sec = 0;
	ts.tv_nsec = (long)(left * 1e6);
	nanosleep(&ts, NULL);
}

/* Until every worker ended: relay, kill on schedule, follow, flush. */
static void
run_loop(struct run *rn)
{
	double last = 0;

	rn->next_progress = clock_ms() + RUN_PROGRESS_MS;
	rn->next_sample = sampler_tick(rn->sampler, clock_ms());
	for (;;) {
		run_gather(rn, last);
		last = clock_ms();
		if (pool_poll(rn->pool, run_timeout(rn, last)) == 0)
			break;
		if (run_signal)
			run_stop(rn);
		if (!rn->stopping)
			pool_chaos(rn->pool, rn->chaos, run_fraction(rn),
			    rn->cf->db);
		if (rn->cf->x.follow)
			run_telem_poll(rn);
		/* A reader gone is noticed even while nothing is written. */
		if (out_flush(rn->out) < 0 || out_check(rn->out) < 0)
			run_stop(rn);
		run_tick(rn);
	}
	if (rn->progress && !rn->stopping)
		run_progress(rn);
	if (rn->progress && rn->tty)
		fputc('\n', stderr);
}

/* The parent's own CPU time and peak size, for soak.run.end. */
static void
run_usage(struct run_end *re)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) < 0)
		return;
	re->cpu_ms = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
	re->rss_kb = ru.ru_maxrss;
}

/* After the workers: the last samples, the telemetry summary, the
 * checks, soak.run.end. */
static void
run_finish(struct run *rn)
{
	struct checks ck = { rn->cf, rn->em, rn->ledger };
	struct run_end re;
	double t;
	int had = 0;

	if (out_error(rn->out))
		return;
	sampler_finish(rn->sampler, clock_ms());
	if (rn->tel != NULL) {
		t = clock_ms();
		run_telem_poll(rn);
		report_telem(rn->em, rn->cf->x.telemetry, telem_stats(rn->tel),
		    rn->telerr, clock_ms() - t);
		if (!telem_stats(rn->tel)->appeared)
			warnx("warning: telemetry file %s never appeared",
			    rn->cf->x.telemetry);
	}
	if (chaos_sent(rn->chaos) > 0 && rn->cf->db != NULL)
		checks_recover(&ck);
	if (rn->cf->db != NULL) {
		had = checks_companions(&ck);
		checks_dbinfo(&ck);
	}
	rn->wl->checks(&ck, rn->state);
	if (rn->cf->db != NULL)
		checks_settle(&ck, had);
	memset(&re, 0, sizeof(re));
	re.died = pool_died(rn->pool);
	re.status = run_signal ? "interrupted" : re.died ? "failed" : "ok";
	re.ops = pool_ops(rn->pool);
	re.bad = pool_bad(rn->pool);
	re.signal = run_signal;
	out_flush(rn->out);
	re.events = out_lines(rn->out);
	re.ms = clock_ms() - rn->t0;
	run_usage(&re);
	report_end(rn->em, rn->cf, &re);
	out_flush(rn->out);
}

static void
run_free(struct run *rn)
{
	telem_close(rn->tel);
	ledger_free(rn->ledger);
	chaos_free(rn->chaos);
	pool_free(rn->pool);
	sampler_free(rn->sampler);
	emitter_free(rn->em);
	out_free(rn->out);
}

/* Everything the loop needs; -1 when memory ran out. */
static int
run_init(struct run *rn, const struct config *cf, const struct workload *wl,
    const void *state)
{
	memset(rn, 0, sizeof(*rn));
	rn->cf = cf;
	rn->wl = wl;
	rn->state = state;
	rn->t0 = clock_ms();
	rn->tty = isatty(STDERR_FILENO);
	rn->progress = cf->progress || rn->tty;
	envinfo_read(&rn->env, cf->db, cf->segment);
	if ((rn->out = out_new(STDOUT_FILENO)) == NULL ||
	    (rn->em = emitter_new(out_sink, rn->out, cf->run_id,
	    cf->segment_id, 0, getpid())) == NULL ||
	    emitter_tag(rn->em, cf->host, cf->shard[0] ? cf->shard : NULL) < 0 ||
	    (rn->ledger = ledger_new()) == NULL ||
	    (rn->chaos = chaos_new(cf->chaos_kills, cf->seed)) == NULL ||
	    (rn->pool = pool_new(cf, wl, state, &run_relay_cb, rn,
	    rn->em)) == NULL ||
	    (rn->sampler = sampler_new(cf->db, cf->sample_ms, rn->t0,
	    rn->em)) == NULL || (cf->x.telemetry != NULL &&
	    (rn->tel = telem_open(cf->x.telemetry)) == NULL))
		return -1;
	return 0;
}

/* When the operations begin, on the monotonic clock: now, or --start-at. */
static double
run_start_ms(const struct config *cf)
{
	double now = clock_ms(), wait = (cf->start_at - clock_unix()) * 1000;

	return cf->start_at > 0 && wait > 0 ? now + wait : now;
}

/* A wait of a second or more for --start-at is said on stderr, with
 * when it ends: a year mistyped must not look like a hang. */
static void
run_say_wait(const struct config *cf, double start_ms)
{
	double secs = (start_ms - clock_ms()) / 1000;
	time_t t = (time_t)cf->start_at;
	struct tm tm;
	char when[32];

	if (secs < 1 || gmtime_r(&t, &tm) == NULL ||
	    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return;
	warnx("waiting %.0f s, until %s (--start-at), to begin", secs, when);
}

/* The run's time counts from start_ms, when --start-at let the workers
 * begin (or from now, when a stop cut the wait short): the chaos
 * schedule, the progress line, the database's samples and soak.run.end's
 * timing_ms leave out the wait. */
static void
run_begun(struct run *rn, double start_ms)
{
	double now = clock_ms();

	if (start_ms > rn->t0) {
		rn->t0 = start_ms < now ? start_ms : now;
		sampler_begin(rn->sampler, rn->t0);
	}
}

/* A filesystem on which SQLite's locks cannot be trusted: said once. */
static void
run_warn_fs(const struct run *rn)
{
	if (!rn->env.fs_trusted)
		warnx("warning: %s is on %s: SQLite's locks cannot be "
		    "trusted there", rn->env.fs_path, rn->env.fs_type);
}

int
run_main(const struct config *cf, const struct workload *wl,
    const void *state, struct outcome *oc)
{
	struct run rn;
	double start;

	if (run_init(&rn, cf, wl, state) < 0) {
		warn(NULL);
		run_free(&rn);
		return -1;
	}
	proto_signals(run_onsig);
	setproctitle("parent run %s", cf->run_id);
	run_warn_fs(&rn);
	report_start(rn.em, cf, wl, state, &rn.env);
	out_flush(rn.out);
	start = run_start_ms(cf);
	run_say_wait(cf, start);
	if (pool_start(rn.pool, cf->duration_s > 0 ? start +
	    (double)cf->duration_s * 1000 : 0, start, &run_signal) < 0)
		run_stop(&rn);
	run_begun(&rn, start);
	run_loop(&rn);
	run_finish(&rn);
	oc->signal = run_signal;
	oc->died = pool_died(rn.pool);
	oc->out_err = out_error(rn.out);
	run_free(&rn);
	return 0;
}
