#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/tree.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "cache.h"
#include "clean.h"
#include "clock.h"
#include "config.h"
#include "event.h"
#include "exec.h"
#include "files.h"
#include "key.h"
#include "lock.h"
#include "prng.h"
#include "run.h"
#include "spread.h"
#include "sqlcode.h"
#include "symbols.h"
#include "telemetry.h"
#include "worker.h"

#define RELAY_MAX_LINE (4L * 1024 * 1024)
#define OUT_FLUSH_AT (64 * 1024)
#define KILL_GRACE_MS 2000.0
#define RUN_FOLLOW_MS 100
#define CHAOS_HUNT_MS 1000.0	/* how long to wait for a worker to write */
#define CHAOS_SPIN_MS 2.0	/* one spell of watching the states */
#define CHAOS_STREAM 0x6368616f73ULL

/* A write a worker saw commit, by key. */
struct wrec {
	RB_ENTRY(wrec) e;
	char *key;
	char digest[65];
	int conflict;
};

static int
wrec_cmp(const struct wrec *a, const struct wrec *b)
{
	return strcmp(a->key, b->key);
}

RB_HEAD(wtree, wrec);
/* libbsd leaves __unused undefined, so spell out RB_GENERATE_STATIC. */
RB_GENERATE_INTERNAL(wtree, wrec, e, wrec_cmp, __attribute__((unused)) static)

struct relay {
	pid_t pid;
	int fd;			/* -1 once closed */
	char *buf;
	size_t len, cap;
	long long lines, dropped;
	long long share;	/* operations given; -1: until the deadline */
	long long opsdone;	/* "\001D" lines: operations relayed whole */
	int done;
	int chaos;		/* SIGKILL sent by the chaos mode */
};

struct out {
	char *buf;
	size_t len, cap;
	long long lines;	/* lines handed to write(2) successfully */
	int epipe, err;
};

struct run {
	const struct config *cf;
	const struct fileset *fs;
	struct emitter *em;
	struct relay *r;
	struct wstat *st;
	struct wtree writes;
	struct out out;
	struct telem *tel;
	int go[2];		/* closing go[1] starts every worker */
	int stopping, died, badlines, telerr;
	double t0, kill_at, deadline;
	int n;			/* slots in use: workers, then replacements */
	int kills;		/* chaos kills sent and not missed */
	double *chaos_at;	/* the run's fraction at which each kill is due */
	double hunt_until;	/* > 0: looking for a worker inside a write */
	struct prng chaos;
};

static void run_replace(struct run *, int, int);

static volatile sig_atomic_t run_signal;
static volatile sig_atomic_t worker_stop;

static void
run_onsig(int s)
{
	run_signal = s;
}

static void
worker_onsig(int s)
{
	(void)s;
	worker_stop = 1;
}

static int
out_flush(struct out *o)
{
	size_t off = 0, start;
	ssize_t w;

	if (o->epipe || o->err) {
		o->len = 0;
		return -1;
	}
	while (off < o->len) {
		w = write(STDOUT_FILENO, o->buf + off, o->len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE)
				o->epipe = 1;
			else
				o->err = errno;
			o->len = 0;
			return -1;
		}
		/* Count the lines that went out whole. */
		start = off;
		off += (size_t)w;
		for (; start < off; start++)
			if (o->buf[start] == '\n')
				o->lines++;
	}
	o->len = 0;
	return 0;
}

static int
out_append(struct out *o, const char *line, size_t len)
{
	if (o->epipe || o->err)
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
	memcpy(o->buf + o->len, line, len);
	o->len += len;
	if (o->len >= OUT_FLUSH_AT)
		return out_flush(o);
	return 0;
}

static int
run_sink(void *arg, const char *line, size_t len)
{
	return out_append(arg, line, len);
}

static void
run_record(struct run *rn, const char *line, size_t len)
{
	struct wrec *w, *old;
	const char *key;

	/* "\001W\t<64 hex>\t<key>" */
	if (len < 3 + 64 + 1 + 1 || line[1] != 'W' || line[2] != '\t' ||
	    line[3 + 64] != '\t') {
		rn->badlines++;
		return;
	}
	key = line + 3 + 64 + 1;
	if ((w = calloc(1, sizeof(*w))) == NULL ||
	    (w->key = strndup(key, len - (size_t)(key - line))) == NULL) {
		free(w);
		rn->badlines++;
		return;
	}
	memcpy(w->digest, line + 3, 64);
	if ((old = RB_INSERT(wtree, &rn->writes, w)) != NULL) {
		if (memcmp(old->digest, w->digest, 64) != 0)
			old->conflict = 1;
		free(w->key);
		free(w);
	}
}

/* Hand every complete line in r's buffer on; keep the rest. */
static void
relay_lines(struct run *rn, struct relay *r)
{
	size_t start = 0;
	char *nl;

	while (start < r->len &&
	    (nl = memchr(r->buf + start, '\n', r->len - start)) != NULL) {
		size_t len = (size_t)(nl - (r->buf + start));

		if (len == 2 && r->buf[start] == WORKER_CTL &&
		    r->buf[start + 1] == 'D')
			r->opsdone++;
		else if (len > 0 && r->buf[start] == WORKER_CTL)
			run_record(rn, r->buf + start, len);
		else if (len > 0) {
			out_append(&rn->out, r->buf + start, len + 1);
			r->lines++;
		}
		start += len + 1;
	}
	if (start > 0) {
		memmove(r->buf, r->buf + start, r->len - start);
		r->len -= start;
	}
	if (r->len > RELAY_MAX_LINE) {
		r->dropped += (long long)r->len;
		r->len = 0;
		rn->badlines++;
	}
}

static void
run_worker_exit(struct run *rn, int i, int status)
{
	static const char *const states[] = { "idle", "lookup", "write" };
	struct relay *r = &rn->r[i];
	yajl_gen g;
	const char *s;
	long long state, ops;
	int chaos = r->chaos && WIFSIGNALED(status) &&
	    WTERMSIG(status) == SIGKILL;

	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		s = "ok";
	else if (WIFEXITED(status))
		s = "exit";
	else
		s = "signal";
	if (strcmp(s, "ok") != 0 && !chaos)
		rn->died++;
	ops = chaos ? r->opsdone :
	    __atomic_load_n(&rn->st[i].ops, __ATOMIC_RELAXED);
	g = event_begin(rn->em, "soak.worker.exit");
	gen_str(g, "args");
	yajl_gen_map_open(g);
	gen_kint(g, "worker", i + 1);
	gen_kint(g, "pid", (long long)r->pid);
	yajl_gen_map_close(g);
	gen_str(g, "result");
	yajl_gen_map_open(g);
	gen_kstr(g, "status", s);
	if (WIFEXITED(status))
		gen_kint(g, "code", WEXITSTATUS(status));
	else
		gen_knull(g, "code");
	if (WIFSIGNALED(status))
		gen_kint(g, "signal", WTERMSIG(status));
	else
		gen_knull(g, "signal");
	gen_kint(g, "ops", ops);
	gen_kint(g, "events", r->lines);
	gen_kint(g, "partial_bytes", (long long)r->len + r->dropped);
	yajl_gen_map_close(g);
	event_x(rn->em, clock_ms() - rn->t0);
	gen_kbool(g, "chaos", chaos);
	if (chaos) {
		state = __atomic_load_n(&rn->st[i].state, __ATOMIC_SEQ_CST);
		gen_kstr(g, "chaos_state", state >= 0 && state <= 2 ?
		    states[state] : "idle");
	}
	event_send(rn->em);
}

/* Read what worker i wrote; at end of file reap it. */
static void
relay_read(struct run *rn, int i)
{
	struct relay *r = &rn->r[i];
	ssize_t n;
	int status;

	if (r->cap - r->len < 65536) {
		char *nb = realloc(r->buf, r->cap + 65536);

		if (nb == NULL) {
			rn->out.err = ENOMEM;
			return;
		}
		r->buf = nb;
		r->cap += 65536;
	}
	n = read(r->fd, r->buf + r->len, r->cap - r->len);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n > 0) {
		r->len += (size_t)n;
		relay_lines(rn, r);
		return;
	}
	close(r->fd);
	r->fd = -1;
	while (waitpid(r->pid, &status, 0) < 0 && errno == EINTR)
		;
	r->done = 1;
	run_worker_exit(rn, i, status);
	if (r->chaos)
		run_replace(rn, i, status);
}

static void
run_kill(struct run *rn, int sig)
{
	int i;

	for (i = 0; i < rn->n; i++)
		if (!rn->r[i].done && rn->r[i].pid > 0)
			kill(rn->r[i].pid, sig);
}

static void
run_stop(struct run *rn)
{
	if (rn->stopping)
		return;
	rn->stopping = 1;
	rn->kill_at = clock_ms() + KILL_GRACE_MS;
	run_kill(rn, SIGTERM);
}

static void
run_progress(struct run *rn)
{
	long long ops = 0, hits = 0, misses = 0, waits = 0;
	double secs, rate, eta = -1;
	int i;

	for (i = 0; i < rn->n; i++) {
		ops += __atomic_load_n(&rn->st[i].ops, __ATOMIC_RELAXED);
		hits += __atomic_load_n(&rn->st[i].hits, __ATOMIC_RELAXED);
		misses += __atomic_load_n(&rn->st[i].misses, __ATOMIC_RELAXED);
		waits += __atomic_load_n(&rn->st[i].waits, __ATOMIC_RELAXED);
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

static void
run_child(struct run *rn, int i, int wfd)
{
	struct sigaction sa;
	long long share = rn->r[i].share;
	double deadline = rn->deadline;
	int k;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = worker_onsig;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	for (k = 0; k < rn->n; k++)
		if (k != i && rn->r[k].fd >= 0)
			close(rn->r[k].fd);
	if (rn->go[1] >= 0)
		close(rn->go[1]);
	if (rn->cf->argv != NULL)
		_exit(exec_main(rn->cf, i + 1, share, wfd, rn->go[0],
		    &rn->st[i], deadline, &worker_stop));
	_exit(worker_main(rn->cf, rn->fs, i + 1, share, wfd, rn->go[0],
	    &rn->st[i], deadline, &worker_stop));
}

/* Fork the worker of slot i (its share set); -1 when it could not be. */
static int
run_fork(struct run *rn, int i)
{
	pid_t parent = getpid();
	int p[2];

	if (pipe2(p, O_CLOEXEC) < 0) {
		warn("pipe");
		return -1;
	}
	switch ((rn->r[i].pid = fork())) {
	case -1:
		warn("fork");
		close(p[0]);
		close(p[1]);
		return -1;
	case 0:
		close(p[0]);
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 ||
		    getppid() != parent)
			_exit(1);
		run_child(rn, i, p[1]);
		break;
	default:
		close(p[1]);
		rn->r[i].fd = p[0];
	}
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
		rn->r[i].share = rn->cf->ops < 0 ? -1 :
		    spread_share(rn->cf->ops, rn->cf->workers, i);
		rn->n = i + 1;
		rc = run_fork(rn, i);
	}
	close(rn->go[1]);
	close(rn->go[0]);
	rn->go[0] = rn->go[1] = -1;
	return rc;
}

/* Slot i was killed by the chaos mode: a new worker takes over the
 * operations it did not finish. A kill that found the worker already
 * ended is tried again later. */
static void
run_replace(struct run *rn, int i, int status)
{
	struct relay *r = &rn->r[i];
	long long left;
	int k;

	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) {
		rn->kills--;
		return;
	}
	left = r->share < 0 ? -1 : r->share - r->opsdone;
	if (rn->stopping || left == 0 || rn->n >= rn->cf->workers +
	    rn->cf->chaos_kills)
		return;
	k = rn->n++;
	rn->r[k].share = left;
	if (run_fork(rn, k) < 0) {
		rn->died++;
		run_stop(rn);
	}
}

/* The run's progress in [0, 1]: operations relayed, or time used. */
static double
chaos_progress(const struct run *rn)
{
	double f = 0, t;
	long long ops = 0;
	int i;

	if (rn->cf->ops > 0) {
		for (i = 0; i < rn->n; i++)
			ops += rn->r[i].opsdone;
		f = (double)ops / (double)rn->cf->ops;
	}
	if (rn->cf->duration_s > 0) {
		t = (clock_ms() - rn->t0) / 1000 / (double)rn->cf->duration_s;
		if (t > f)
			f = t;
	}
	return f;
}

/* Kill the worker of slot i on purpose. */
static void
chaos_kill(struct run *rn, int i)
{
	rn->r[i].chaos = 1;
	kill(rn->r[i].pid, SIGKILL);
	rn->kills++;
	rn->hunt_until = 0;
}

/* A slot whose worker is alive and in state (or in any state when state
 * is -1), chosen at random; -1 when there is none. */
static int
chaos_pick(struct run *rn, long long state)
{
	int i, k, n = rn->n, start;

	start = (int)prng_below(&rn->chaos, (uint64_t)n);
	for (k = 0; k < n; k++) {
		i = (start + k) % n;
		if (rn->r[i].done || rn->r[i].chaos || rn->r[i].pid <= 0)
			continue;
		if (state < 0 || __atomic_load_n(&rn->st[i].state,
		    __ATOMIC_SEQ_CST) == state)
			return i;
	}
	return -1;
}

/* Send the next chaos kill when it is due: watch the workers' states for
 * one inside a write transaction; after CHAOS_HUNT_MS, or once the run
 * went on by a third of the distance between kills, take any busy
 * worker. */
static void
chaos_step(struct run *rn)
{
	struct timespec ts = { 0, 20000 };
	double now = clock_ms(), until;
	int i;

	if (rn->stopping || rn->kills >= rn->cf->chaos_kills)
		return;
	if (rn->hunt_until <= 0) {
		if (chaos_progress(rn) < rn->chaos_at[rn->kills])
			return;
		rn->hunt_until = now + CHAOS_HUNT_MS;
	}
	until = now + CHAOS_SPIN_MS;
	do {
		if ((i = chaos_pick(rn, WSTATE_WRITE)) >= 0) {
			chaos_kill(rn, i);
			return;
		}
		nanosleep(&ts, NULL);
	} while ((now = clock_ms()) < until);
	if ((now >= rn->hunt_until || chaos_progress(rn) >=
	    rn->chaos_at[rn->kills] + 0.85 / 3 / rn->cf->chaos_kills) &&
	    (i = chaos_pick(rn, -1)) >= 0)
		chaos_kill(rn, i);
}

/* The moments of the kills: one at a random point in each of N equal
 * parts of the run between 5% and 90% of it. */
static int
chaos_plan(struct run *rn)
{
	int k, n = rn->cf->chaos_kills;

	if (n == 0)
		return 0;
	if ((rn->chaos_at = calloc((size_t)n, sizeof(double))) == NULL)
		return -1;
	prng_init(&rn->chaos, rn->cf->seed, CHAOS_STREAM);
	for (k = 0; k < n; k++)
		rn->chaos_at[k] = 0.05 + 0.85 * ((double)k +
		    (double)prng_below(&rn->chaos, 1000000) / 1e6) / n;
	return 0;
}

static void
gen_kstr_or_null(yajl_gen g, const char *key, const char *val)
{
	if (val != NULL)
		gen_kstr(g, key, val);
	else
		gen_knull(g, key);
}

/* The exec mode's part of soak.run.start's args. Values of --env are
 * left out: only their names are recorded. */
static void
run_start_exec(const struct config *cf, yajl_gen g)
{
	int i;

	gen_kstr(g, "mode", "exec");
	gen_kstr(g, "op_cmd", cf->op_cmd);
	gen_str(g, "argv");
	yajl_gen_array_open(g);
	for (i = 0; cf->argv[i] != NULL; i++)
		gen_str(g, cf->argv[i]);
	yajl_gen_array_close(g);
	gen_kstr(g, "command", cf->path);
	gen_kstr(g, "segment", cf->segment);
	gen_kstr_or_null(g, "telemetry", cf->telemetry);
	gen_kbool(g, "follow", cf->follow);
	gen_kstr_or_null(g, "db", cf->db);
	gen_kbool(g, "clean", cf->clean);
	gen_kstr_or_null(g, "log_dir", cf->log_dir);
	if (cf->op_timeout_ms > 0)
		gen_kint(g, "op_timeout_ms", cf->op_timeout_ms);
	else
		gen_knull(g, "op_timeout_ms");
	gen_str(g, "run_id_env");
	yajl_gen_array_open(g);
	for (i = 0; i < cf->nrun_id_env; i++)
		gen_str(g, cf->run_id_env[i]);
	yajl_gen_array_close(g);
	gen_str(g, "env");
	yajl_gen_array_open(g);
	for (i = 0; i < cf->nenv; i++)
		yajl_gen_string(g, (const unsigned char *)cf->env[i],
		    strcspn(cf->env[i], "="));
	yajl_gen_array_close(g);
}

static void
run_start_event(struct run *rn)
{
	const struct config *cf = rn->cf;
	yajl_gen g = event_begin(rn->em, "soak.run.start");
	size_t i;

	gen_str(g, "args");
	yajl_gen_map_open(g);
	if (cf->ops < 0)
		gen_knull(g, "ops");
	else
		gen_kint(g, "ops", cf->ops);
	gen_kint(g, "workers", cf->workers);
	if (cf->duration_s > 0)
		gen_kint(g, "duration", cf->duration_s);
	else
		gen_knull(g, "duration");
	gen_kint(g, "seed", (long long)cf->seed);
	gen_kstr(g, "run_id", cf->run_id);
	if (cf->argv != NULL) {
		run_start_exec(cf, g);
	} else {
		gen_kstr(g, "mode", "builtin");
		gen_kstr(g, "op_cmd", "ast.symbols");
		gen_kstr(g, "segment", cf->segment);
		gen_kstr(g, "db", cf->db);
		gen_kint(g, "files", cf->files);
		gen_kint(g, "files_used", (long long)rn->fs->n);
		gen_kbool(g, "keep", cf->keep);
		gen_kint(g, "lock_timeout_ms", cf->lock_timeout_ms);
		gen_kint(g, "lock_wait_ms", cf->lock_wait_ms);
		gen_kstr(g, "journal_mode", cf->journal_mode);
		gen_kstr(g, "synchronous", cf->synchronous);
		gen_kint(g, "busy_timeout_ms", cf->busy_timeout_ms);
		gen_kint(g, "chaos_kill", cf->chaos_kills);
	}
	gen_kbool(g, "progress", cf->progress);
	gen_kstr(g, "sqlite_version", sqlite3_libversion());
	gen_kstr(g, "harness_version", SOAK_VERSION);
	yajl_gen_map_close(g);
	gen_str(g, "result");
	yajl_gen_map_open(g);
	gen_kstr(g, "status", "ok");
	yajl_gen_map_close(g);
	event_x(rn->em, 0);
	if (rn->fs != NULL) {
		gen_str(g, "file_list");
		yajl_gen_array_open(g);
		for (i = 0; i < rn->fs->n; i++)
			gen_str(g, rn->fs->rel[i]);
		yajl_gen_array_close(g);
	}
	event_send(rn->em);
}

/* After chaos kills: open the cache read-write once and read it, so that
 * SQLite rolls back a transaction a killed worker left in its journal
 * before the read-only checks. */
static void
run_recover(struct run *rn, const struct cache_opts *co)
{
	struct cache *c;
	char *value = NULL;
	size_t len;

	if (rn->cf->db == NULL)
		return;
	if (cache_open(&c, rn->cf->db, co, CACHE_WORKER) == 0)
		cache_get(c, "", &value, &len);
	free(value);
	cache_close(c);
}

static void
run_integrity(struct run *rn, const struct cache_opts *co)
{
	struct cache *c;
	char **rows = NULL;
	size_t n = 0, i;
	double t = clock_ms();
	const char *status;
	yajl_gen g;
	int rc;

	rc = cache_open(&c, rn->cf->db, co, CACHE_READONLY);
	if (rc == 0)
		rc = cache_integrity(c, 100, &rows, &n);
	t = clock_ms() - t;
	g = event_begin(rn->em, "ast.cache.integrity_check");
	gen_str(g, "args");
	yajl_gen_map_open(g);
	gen_kstr(g, "db", rn->cf->db);
	gen_kint(g, "max_rows", 100);
	yajl_gen_map_close(g);
	gen_str(g, "result");
	yajl_gen_map_open(g);
	if (rc != 0)
		status = c != NULL ? sqlcode_name(cache_errcode(c)) :
		    "SQLITE_NOMEM";
	else
		status = n > 0 ? rows[0] : "no rows";
	gen_kstr(g, "status", status);
	gen_str(g, "rows");
	yajl_gen_array_open(g);
	for (i = 0; i < n; i++)
		gen_str(g, rows[i]);
	yajl_gen_array_close(g);
	if (rc != 0 && c != NULL)
		gen_kstr(g, "message", cache_errmsg(c));
	yajl_gen_map_close(g);
	event_x(rn->em, t);
	event_send(rn->em);
	for (i = 0; i < n; i++)
		free(rows[i]);
	free(rows);
	cache_close(c);
}

/* 1 when value is what the extractor gives for the file named in key,
 * as it is now; 0 when not; -1 when the file changed or is unreadable. */
static int
run_recheck(const struct config *cf, const char *key, const char *value)
{
	struct symlist l = { NULL, 0, 0 };
	char hash[KEY_HASH16_LEN + 1], *path, *buf, *json;
	size_t klen = strlen(key), slen = strlen(cf->segment), len, jlen;
	int r = -1;

	if (klen < slen + 1 + 1 + 1 + KEY_HASH16_LEN + 2)
		return -1;
	if ((path = strndup(key + slen + 1, klen - slen - 1 -
	    KEY_HASH16_LEN - 3)) == NULL)
		return -1;
	if (files_read(path, &buf, &len) == 0) {
		key_hash16(buf, len, hash);
		if (memcmp(hash, key + klen - KEY_HASH16_LEN - 2,
		    KEY_HASH16_LEN) == 0 &&
		    symbols_extract(symbols_lang(path), buf, len, &l) == 0 &&
		    (json = symbols_json(&l, &jlen)) != NULL) {
			r = strcmp(json, value) == 0;
			free(json);
		}
		symbols_free(&l);
		free(buf);
	}
	free(path);
	return r;
}

static void
run_verify(struct run *rn, const struct cache_opts *co)
{
	struct cache *c;
	struct wrec *w;
	long long written = 0, present = 0, corrupt = 0, rechecked = 0;
	double t = clock_ms();
	yajl_gen g;
	int rc, err = 0;

	rc = cache_open(&c, rn->cf->db, co, CACHE_READONLY);
	RB_FOREACH(w, wtree, &rn->writes) {
		char *value, digest[65];
		size_t len;
		int ok;

		written++;
		if (rc != 0 || cache_get(c, w->key, &value, &len) != 0) {
			err = 1;
			continue;
		}
		if (value == NULL)
			continue;
		present++;
		key_sha256(value, len, digest);
		ok = !w->conflict && strcmp(digest, w->digest) == 0;
		if (ok) {
			int r = run_recheck(rn->cf, w->key, value);

			if (r >= 0)
				rechecked++;
			if (r == 0)
				ok = 0;
		}
		if (!ok)
			corrupt++;
		free(value);
	}
	t = clock_ms() - t;
	g = event_begin(rn->em, "soak.verify");
	gen_str(g, "args");
	yajl_gen_map_open(g);
	gen_kstr(g, "db", rn->cf->db);
	yajl_gen_map_close(g);
	gen_str(g, "result");
	yajl_gen_map_open(g);
	gen_kstr(g, "status", err ? "error" :
	    present == written && corrupt == 0 ? "ok" : "failed");
	gen_kint(g, "keys_written", written);
	gen_kint(g, "keys_present", present);
	gen_kint(g, "lost", written - present);
	gen_kint(g, "corrupt", corrupt);
	gen_kint(g, "rechecked", rechecked);
	if (err && c != NULL)
		gen_kstr(g, "code", sqlcode_name(cache_errcode(c)));
	yajl_gen_map_close(g);
	event_x(rn->em, t);
	event_send(rn->em);
	cache_close(c);
}

static void
run_end_event(struct run *rn, const char *status, int sig)
{
	long long ops = 0;
	yajl_gen g;
	int i;

	for (i = 0; i < rn->n; i++)
		ops += rn->r[i].chaos ? rn->r[i].opsdone :
		    __atomic_load_n(&rn->st[i].ops, __ATOMIC_RELAXED);
	out_flush(&rn->out);
	g = event_begin(rn->em, "soak.run.end");
	gen_str(g, "args");
	yajl_gen_map_open(g);
	if (rn->cf->ops < 0)
		gen_knull(g, "ops");
	else
		gen_kint(g, "ops", rn->cf->ops);
	gen_kint(g, "workers", rn->cf->workers);
	yajl_gen_map_close(g);
	gen_str(g, "result");
	yajl_gen_map_open(g);
	gen_kstr(g, "status", status);
	gen_kint(g, "events_emitted", rn->out.lines);
	gen_kint(g, "ops_done", ops);
	gen_kint(g, "workers_died", rn->died);
	gen_kint(g, "worker_lines_bad", rn->badlines);
	if (sig)
		gen_kint(g, "signal", sig);
	else
		gen_knull(g, "signal");
	yajl_gen_map_close(g);
	event_x(rn->em, clock_ms() - rn->t0);
	event_send(rn->em);
}

static void
run_telem_warn(void *arg, const char *what)
{
	struct run *rn = arg;
	yajl_gen g = event_begin(rn->em, "soak.telemetry");
	char msg[64 + PATH_MAX];

	gen_str(g, "args");
	yajl_gen_map_open(g);
	gen_kstr(g, "telemetry", rn->cf->telemetry);
	yajl_gen_map_close(g);
	gen_str(g, "result");
	yajl_gen_map_open(g);
	gen_kstr(g, "status", what);
	yajl_gen_map_close(g);
	snprintf(msg, sizeof(msg), "telemetry file %s; reading it from its "
	    "start", what);
	event_xw(rn->em, 0, msg);
	event_send(rn->em);
}

static int
run_telem_out(void *arg, const char *line, size_t len)
{
	return out_append(&((struct run *)arg)->out, line, len);
}

static void
run_telem_poll(struct run *rn)
{
	if (rn->tel != NULL && telem_poll(rn->tel, rn->cf->run_id,
	    run_telem_out, run_telem_warn, rn) < 0 && !rn->telerr) {
		warn("%s", rn->cf->telemetry);
		rn->telerr = 1;
	}
}

/* The summary of the telemetry read during the run. */
static void
run_telem_event(struct run *rn, double ms)
{
	const struct telem_stats *ts = telem_stats(rn->tel);
	yajl_gen g = event_begin(rn->em, "soak.telemetry");

	gen_str(g, "args");
	yajl_gen_map_open(g);
	gen_kstr(g, "telemetry", rn->cf->telemetry);
	yajl_gen_map_close(g);
	gen_str(g, "result");
	yajl_gen_map_open(g);
	gen_kstr(g, "status", rn->telerr ? "error" : "ok");
	gen_kint(g, "lines_passed", ts->passed);
	gen_kint(g, "lines_other_runs", ts->skipped);
	gen_kint(g, "lines_malformed", ts->malformed);
	gen_kint(g, "partial_bytes", ts->partial_bytes);
	gen_kint(g, "resets", ts->resets);
	yajl_gen_map_close(g);
	event_x(rn->em, ms);
	event_send(rn->em);
}

int
run_prepare(const struct config *cf)
{
	struct cache_opts co;
	struct cache *c;
	char msg[PATH_MAX + 128], *dir, *slash;
	int r, fd;

	if (cf->argv != NULL && (cf->db == NULL || !cf->clean))
		return 0;
	if (cf->argv != NULL || !cf->keep) {
		if ((r = clean_db(cf->db, msg, sizeof(msg))) == 1) {
			warnx("%s", msg);
			return 2;
		}
		if (r < 0) {
			warn("%s", cf->db);
			return 1;
		}
	}
	if (cf->argv != NULL)
		return 0;	/* the command makes its own cache */
	if ((dir = strdup(cf->db)) == NULL) {
		warn(NULL);
		return 1;
	}
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (clean_mkdirs(dir) < 0) {
			warn("%s", dir);
			free(dir);
			return 2;
		}
	}
	free(dir);
	co.journal_mode = cf->journal_mode;
	co.synchronous = cf->synchronous;
	co.busy_timeout_ms = (int)cf->busy_timeout_ms;
	if (cache_open(&c, cf->db, &co, CACHE_SETUP) != 0) {
		warnx("%s: %s: %s", cf->db, c ? sqlcode_name(cache_errcode(c)) :
		    "SQLITE_NOMEM", c ? cache_errmsg(c) : "out of memory");
		cache_close(c);
		return 2;
	}
	cache_close(c);
	if ((fd = lock_open(cf->lock)) < 0) {
		warn("%s", cf->lock);
		return 2;
	}
	close(fd);
	return 0;
}

int
run_main(const struct config *cf, const struct fileset *fs)
{
	struct run rn;
	struct cache_opts co;
	struct sigaction sa;
	struct pollfd *pfd = NULL;
	struct wrec *w, *nw;
	double next_progress;
	size_t slots = (size_t)cf->workers + (size_t)cf->chaos_kills;
	int i, status = 0, sig, progress;
	const char *end = "ok";

	memset(&rn, 0, sizeof(rn));
	rn.cf = cf;
	rn.fs = fs;
	RB_INIT(&rn.writes);
	rn.t0 = clock_ms();
	progress = cf->progress || isatty(STDERR_FILENO);
	co.journal_mode = cf->journal_mode;
	co.synchronous = cf->synchronous;
	co.busy_timeout_ms = (int)cf->busy_timeout_ms;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = run_onsig;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);

	rn.em = emitter_new(run_sink, &rn.out, cf->run_id, cf->segment_id, 0,
	    getpid());
	rn.r = calloc(slots, sizeof(*rn.r));
	pfd = calloc(slots, sizeof(*pfd));
	rn.st = mmap(NULL, slots * sizeof(*rn.st),
	    PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (rn.em == NULL || rn.r == NULL || pfd == NULL ||
	    rn.st == MAP_FAILED || chaos_plan(&rn) < 0) {
		warn(NULL);
		if (rn.st != MAP_FAILED)
			munmap(rn.st, slots * sizeof(*rn.st));
		free(rn.chaos_at);
		free(pfd);
		free(rn.r);
		emitter_free(rn.em);
		return 1;
	}
	for (i = 0; i < (int)slots; i++)
		rn.r[i].fd = -1;
	setproctitle("parent run %s", cf->run_id);

	if (cf->telemetry != NULL && (rn.tel = telem_open(cf->telemetry)) ==
	    NULL) {
		warn(NULL);
		status = 1;
		goto out;
	}
	run_start_event(&rn);
	out_flush(&rn.out);
	if (cf->duration_s > 0)
		rn.deadline = rn.t0 + (double)cf->duration_s * 1000;
	if (run_spawn(&rn) < 0) {
		status = 1;
		end = "failed";
		rn.died++;
		run_stop(&rn);
	}
	next_progress = clock_ms() + 1000;

	for (;;) {
		int n = 0, nfds, timeout;
		double now;

		for (i = 0; i < rn.n; i++)
			if (rn.r[i].fd >= 0) {
				pfd[n].fd = rn.r[i].fd;
				pfd[n].events = POLLIN;
				pfd[n].revents = 0;
				n++;
			}
		if (n == 0)
			break;
		nfds = n;
		now = clock_ms();
		timeout = (int)(next_progress - now);
		if (cf->follow && timeout > RUN_FOLLOW_MS)
			timeout = RUN_FOLLOW_MS;
		if (rn.stopping && rn.kill_at > 0 &&
		    (int)(rn.kill_at - now) < timeout)
			timeout = (int)(rn.kill_at - now);
		if (rn.hunt_until > 0)
			timeout = 0;
		else if (rn.kills < cf->chaos_kills && timeout > 10)
			timeout = 10;
		if (timeout < 0)
			timeout = 0;
		n = poll(pfd, (nfds_t)n, timeout);
		if (run_signal)
			run_stop(&rn);
		if (n > 0) {
			int k = 0;

			for (i = 0; i < rn.n && k < nfds; i++) {
				if (rn.r[i].fd < 0)
					continue;
				if (pfd[k].revents != 0)
					relay_read(&rn, i);
				k++;
			}
		}
		chaos_step(&rn);
		if (cf->follow)
			run_telem_poll(&rn);
		if (out_flush(&rn.out) < 0 || rn.out.epipe || rn.out.err)
			run_stop(&rn);
		now = clock_ms();
		if (rn.stopping && rn.kill_at > 0 && now >= rn.kill_at) {
			run_kill(&rn, SIGKILL);
			rn.kill_at = 0;
		}
		if (now >= next_progress) {
			if (progress && !rn.stopping)
				run_progress(&rn);
			next_progress = now + 1000;
		}
	}
	if (progress && !rn.stopping)
		run_progress(&rn);

	sig = run_signal;
	if (!rn.out.epipe && !rn.out.err) {
		if (rn.tel != NULL) {
			double t = clock_ms();

			run_telem_poll(&rn);
			run_telem_event(&rn, clock_ms() - t);
		}
		if (rn.kills > 0)
			run_recover(&rn, &co);
		if (cf->db != NULL)
			run_integrity(&rn, &co);
		if (cf->argv == NULL)
			run_verify(&rn, &co);
		if (sig)
			end = "interrupted";
		else if (rn.died)
			end = "failed";
		run_end_event(&rn, end, sig);
		out_flush(&rn.out);
	}
	if (rn.out.err) {
		errno = rn.out.err;
		warn("stdout");
		status = 1;
	} else if (rn.out.epipe)
		status = 1;
	else if (sig)
		status = 128 + sig;
	else if (rn.died)
		status = 1;

out:
	telem_close(rn.tel);
	RB_FOREACH_SAFE(w, wtree, &rn.writes, nw) {
		RB_REMOVE(wtree, &rn.writes, w);
		free(w->key);
		free(w);
	}
	for (i = 0; i < (int)slots; i++)
		free(rn.r[i].buf);
	munmap(rn.st, slots * sizeof(*rn.st));
	free(rn.chaos_at);
	free(pfd);
	free(rn.r);
	free(rn.out.buf);
	emitter_free(rn.em);
	return status;
}
