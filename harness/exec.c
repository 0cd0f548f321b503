/* exec.c: exec mode: a command run once per operation, in its own process
 * group, never through a shell. */
#include <sys/pidfd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checks.h"
#include "clean.h"
#include "clock.h"
#include "cmd.h"
#include "config.h"
#include "errtail.h"
#include "event.h"
#include "prepare.h"
#include "proto.h"
#include "sqlcode.h"
#include "workload.h"

#define EXEC_KILL_AFTER_MS 1000.0

extern char **environ;

struct exec_worker {
	const struct config *cf;
	const struct exec_config *x;
	struct emitter *em;
	struct wstat *st;
	volatile sig_atomic_t *stop;
	int index, logfd, logfull, failed;
	pid_t parent;		/* the harness; another parent means it died */
	int errfd[2];		/* the commands' stderr, read by the worker */
	struct errtail tail;	/* the last bytes of this run's stderr */
	char **env, *op_slot;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
};

/* How one run of the command ended. */
struct run_result {
	const char *status;	/* "ok", "exit", "signal", "timeout", "error" */
	int code, sig;		/* -1, 0: none */
	const char *error;	/* for "error" */
	pid_t pid;
	double ms;
	int chaos;		/* killed by --chaos-kill: CHAOS_*, or 0 */
};

/* The poll timeout while waiting: until the next step of the timeout or
 * the SIGTERM-then-SIGKILL sequence, -1 when there is none. */
static int
exec_wait_timeout(const struct exec_worker *w, double t0, double term_at,
    double now)
{
	if (term_at > now + 1e11)
		return -1;
	if (term_at > 0)
		return (int)(term_at + EXEC_KILL_AFTER_MS - now) + 1;
	if (w->x->op_timeout_ms > 0)
		return (int)(t0 + (double)w->x->op_timeout_ms - now) + 1;
	return -1;
}

static int
exec_reap(pid_t pid)
{
	int st = 0;

	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return st;
}

/* Read what the command wrote to stderr so far: kept in the tail and
 * appended to the log when there is one. */
static void
exec_drain(struct exec_worker *w)
{
	char buf[8192];
	ssize_t n;

	while ((n = read(w->errfd[0], buf, sizeof(buf))) > 0 ||
	    (n < 0 && errno == EINTR)) {
		if (n <= 0)
			continue;
		errtail_add(&w->tail, buf, (size_t)n);
		/* A log that cannot take more is left as it is. */
		if (w->logfd >= 0 && !w->logfull && event_write_fd(&w->logfd,
		    buf, (size_t)n) != 0)
			w->logfull = 1;
	}
}

/* End pid's process group at the timeout or on *stop: SIGTERM, then
 * SIGKILL after a second, or at once when the harness died; *term_at
 * says where that stands. */
static void
exec_deadline(struct exec_worker *w, pid_t pid, double t0, double *term_at,
    int *timed_out)
{
	double now = clock_ms();

	/* The harness died: no one is left to hear the run out. */
	if (*w->stop && getppid() != w->parent && *term_at < now + 1e11) {
		kill(-pid, SIGKILL);
		*term_at = now + 1e12;
		return;
	}
	if (*term_at == 0 && (*w->stop || (w->x->op_timeout_ms > 0 &&
	    now - t0 >= (double)w->x->op_timeout_ms))) {
		*timed_out = !*w->stop;
		kill(-pid, SIGTERM);
		*term_at = now;
	} else if (*term_at > 0 && now - *term_at >= EXEC_KILL_AFTER_MS &&
	    *term_at < now + 1e11) {
		kill(-pid, SIGKILL);
		*term_at = now + 1e12;	/* once */
	}
}

/* Wait for pid, reading its stderr meanwhile and ending it at the
 * timeout or on *stop; once it exits, what is left of its process group
 * is killed. *timed_out says the timeout ended it. Returns waitpid's
 * status. */
static int
exec_wait(struct exec_worker *w, pid_t pid, double t0, int *timed_out)
{
	struct pollfd p[2];
	double term_at = 0;
	int pfd;

	*timed_out = 0;
	if ((pfd = pidfd_open(pid, 0)) < 0)
		return exec_reap(pid);
	for (;;) {
		exec_deadline(w, pid, t0, &term_at, timed_out);
		p[0].fd = pfd;
		p[0].events = POLLIN;
		p[1].fd = w->errfd[0];
		p[1].events = POLLIN;
		p[0].revents = p[1].revents = 0;
		if (poll(p, 2, exec_wait_timeout(w, t0, term_at,
		    clock_ms())) <= 0)
			continue;
		if (p[1].revents != 0)
			exec_drain(w);
		if (p[0].revents != 0)
			break;
	}
	close(pfd);
	/*
	 * The run ends with its command: what it left running in its process
	 * group would outlive the harness and write into the next run's
	 * stderr. The command is not reaped yet, so its group id is still
	 * its own.
	 */
	kill(-pid, SIGKILL);
	exec_drain(w);
	return exec_reap(pid);
}

/* A failed run's last bytes of stderr, as x.stderr_tail. */
static void
exec_tail(struct exec_worker *w, const struct run_result *r)
{
	const char *t;
	size_t n;

	if (strcmp(r->status, "ok") == 0 || w->tail.total == 0)
		return;
	t = errtail_last(&w->tail, ERRTAIL_SHOW, &n);
	ev_strn(w->em, "stderr_tail", t, n);
}

/* For a failed run whose stderr names a SQLite error: ast.cache.error
 * with the code's name, so that the metrics count it. */
static void
exec_sqlite_error(struct exec_worker *w, long long op,
    const struct run_result *r)
{
	const char *msg;
	int code;

	if (strcmp(r->status, "ok") == 0 || r->chaos ||
	    (code = errtail_sqlite(w->tail.buf, w->tail.len, &msg)) == 0)
		return;
	ev_begin(w->em, "ast.cache.error");
	ev_int(w->em, "op", op);
	ev_str(w->em, "stage", "exec");
	ev_result(w->em);
	ev_str(w->em, "status", "error");
	ev_str(w->em, "code", sqlcode_name(code));
	ev_str(w->em, "message", msg);
	ev_x(w->em, r->ms, NULL);
	if (ev_send(w->em) != 0)
		w->failed = 1;
}

static void
exec_event(struct exec_worker *w, char *const *argv, long long op,
    const struct run_result *r)
{
	ev_begin(w->em, "soak.exec");
	ev_strv(w->em, "argv", argv, -1);
	ev_int(w->em, "op", op);
	ev_result(w->em);
	ev_str(w->em, "status", r->status);
	ev_count(w->em, "exit_code", r->code);
	ev_count(w->em, "signal", r->sig > 0 ? r->sig : -1);
	if (r->error != NULL)
		ev_str(w->em, "error", r->error);
	ev_x(w->em, r->ms, NULL);
	if (r->pid > 0)
		ev_int(w->em, "child_pid", (long long)r->pid);
	if (r->chaos) {
		ev_bool(w->em, "chaos", 1);
		ev_str(w->em, "chaos_state", r->chaos == CHAOS_WRITE ?
		    "write" : "busy");
	}
	exec_tail(w, r);
	if (ev_send(w->em) != 0)
		w->failed = 1;
}

/* The command's arguments for operation op; NULL when memory ran out. */
static char **
exec_argv(const struct exec_worker *w, long long op)
{
	char **argv;
	int n, i;

	for (n = 0; w->x->argv[n] != NULL; n++)
		;
	if ((argv = calloc((size_t)n + 1, sizeof(*argv))) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if ((argv[i] = cmd_subst(w->x->argv[i], w->cf->run_id,
		    w->index, op)) == NULL) {
			cmd_env_free(argv);
			return NULL;
		}
	return argv;
}

/* Was the run's end a chaos kill? The parent marks the group it kills
 * before the signal; a mark on a run that ended otherwise is a kill that
 * found the run already ended, and the parent is told so. */
static void
exec_chaos(struct exec_worker *w, struct run_result *r, int st)
{
	if (proto_take(&w->st->chaos_mark) != r->pid)
		return;
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
		r->chaos = (int)proto_get(&w->st->chaos_state);
	else
		proto_add(&w->st->chaos_missed);
}

/* Spawn the command and wait for it; r says how it ended. */
static void
exec_run(struct exec_worker *w, char **argv, struct run_result *r)
{
	double t0 = clock_ms();
	int st, rc, timed_out;

	r->code = -1;
	r->sig = 0;
	r->error = NULL;
	r->pid = 0;
	r->chaos = 0;
	errtail_reset(&w->tail);
	if ((rc = posix_spawn(&r->pid, w->x->path, &w->fa, &w->attr, argv,
	    w->env)) != 0) {
		r->status = "error";
		r->error = strerror(rc);
		r->pid = 0;
		r->ms = clock_ms() - t0;
		return;
	}
	proto_put(&w->st->cmd_pid, r->pid);
	st = exec_wait(w, r->pid, t0, &timed_out);
	/* The mark first: a parent that sees the pid gone knows it is
	 * taken. */
	exec_chaos(w, r, st);
	proto_put(&w->st->cmd_pid, 0);
	if (WIFEXITED(st))
		r->code = WEXITSTATUS(st);
	else if (WIFSIGNALED(st))
		r->sig = WTERMSIG(st);
	r->status = timed_out ? "timeout" : r->code == 0 ? "ok" :
	    r->code > 0 ? "exit" : "signal";
	r->ms = clock_ms() - t0;
}

static int
exec_child_op(void *child, long long op)
{
	struct exec_worker *w = child;
	struct run_result r;
	char **argv;

	if ((argv = exec_argv(w, op)) == NULL)
		return -1;
	snprintf(w->op_slot, CMD_OP_DIGITS + 1, "%lld", op);
	exec_run(w, argv, &r);
	exec_sqlite_error(w, op, &r);
	exec_event(w, argv, op, &r);
	cmd_env_free(argv);
	if (w->failed)
		return -1;
	return r.chaos ? 1 : 0;
}

/* Stdout to worker-N.log under --log-dir, or to /dev/null; stderr to a
 * pipe the worker reads (and copies to the log). */
static int
exec_output(struct exec_worker *w)
{
	char *log;
	size_t made;

	if (pipe2(w->errfd, O_CLOEXEC) < 0 ||
	    fcntl(w->errfd[0], F_SETFL, O_NONBLOCK) < 0)
		return -1;
	posix_spawn_file_actions_adddup2(&w->fa, w->errfd[1], 2);
	if (w->x->log_dir == NULL) {
		posix_spawn_file_actions_addopen(&w->fa, 1, "/dev/null",
		    O_WRONLY, 0);
		return 0;
	}
	if (prepare_mkdirs(w->x->log_dir, &made) != PREP_OK)
		return -1;		/* removed since the start */
	if (asprintf(&log, "%s/worker-%d.log", w->x->log_dir, w->index) < 0)
		return -1;
	if ((w->logfd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NOFOLLOW, 0644)) < 0)
		warn("%s", log);
	free(log);
	if (w->logfd < 0)
		return -1;
	posix_spawn_file_actions_adddup2(&w->fa, w->logfd, 1);
	return 0;
}

/* Stdin from /dev/null, no descriptor above 2, default signals, its own
 * process group so that a timeout ends what it started too. */
static int
exec_setup(struct exec_worker *w)
{
	sigset_t none, deflt;

	posix_spawn_file_actions_addopen(&w->fa, 0, "/dev/null", O_RDONLY, 0);
	if (exec_output(w) < 0)
		return -1;
	posix_spawn_file_actions_addclosefrom_np(&w->fa, 3);
	sigemptyset(&none);
	sigemptyset(&deflt);
	sigaddset(&deflt, SIGINT);
	sigaddset(&deflt, SIGTERM);
	sigaddset(&deflt, SIGPIPE);
	sigaddset(&deflt, SIGALRM);
	posix_spawnattr_setsigmask(&w->attr, &none);
	posix_spawnattr_setsigdefault(&w->attr, &deflt);
	posix_spawnattr_setpgroup(&w->attr, 0);
	posix_spawnattr_setflags(&w->attr, POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
	return 0;
}

static void
exec_child_free(void *child)
{
	struct exec_worker *w = child;

	if (w == NULL)
		return;
	posix_spawn_file_actions_destroy(&w->fa);
	posix_spawnattr_destroy(&w->attr);
	if (w->logfd >= 0)
		close(w->logfd);
	if (w->errfd[0] >= 0)
		close(w->errfd[0]);
	if (w->errfd[1] >= 0)
		close(w->errfd[1]);
	cmd_env_free(w->env);
	free(w);
}

static int
exec_child_new(const struct wctx *c, struct emitter *em, struct batch *b,
    void **child)
{
	const struct exec_config *x = &c->cf->x;
	struct exec_worker *w;

	(void)b;
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return -1;
	*child = w;
	w->cf = c->cf;
	w->x = x;
	w->em = em;
	w->st = c->st;
	w->stop = c->stop;
	w->index = c->index;
	w->parent = getppid();
	w->logfd = -1;
	w->errfd[0] = w->errfd[1] = -1;
	proto_put(&w->st->kill_cmd, 1);
	posix_spawn_file_actions_init(&w->fa);
	posix_spawnattr_init(&w->attr);
	if ((w->env = cmd_env(environ, c->cf->run_id, c->index, x->run_id_env,
	    x->nrun_id_env, x->env, x->nenv, &w->op_slot)) == NULL)
		return -1;
	return exec_setup(w);
}

/* 1 when name has the form of a worker's log, worker-N.log. */
static int
exec_logname(const char *name)
{
	const char *p;

	if (strncmp(name, "worker-", 7) != 0)
		return 0;
	for (p = name + 7; *p >= '0' && *p <= '9'; p++)
		;
	return p > name + 7 && strcmp(p, ".log") == 0;
}

/* Every worker-N.log already in the log folder dir is a regular file
 * (appended to, never followed): a link or anything else refuses the run
 * before it starts, the same for every worker. */
static enum prep
exec_logs_check(const char *dir)
{
	DIR *d;
	struct dirent *e;
	struct stat st;
	enum prep r = PREP_OK;

	if ((d = opendir(dir)) == NULL) {
		warn("%s", dir);
		return PREP_REFUSED;
	}
	while (r == PREP_OK && (e = readdir(d)) != NULL) {
		if (!exec_logname(e->d_name))
			continue;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			warn("%s/%s", dir, e->d_name);
			r = PREP_REFUSED;
		} else if (!S_ISREG(st.st_mode)) {
			warnx("%s/%s: not a regular file", dir, e->d_name);
			r = PREP_REFUSED;
		}
	}
	closedir(d);
	return r;
}

/* The log folder; with --db and --clean, an old cache is removed (the
 * command makes its own). A refusal removes the folders made. */
static enum prep
exec_prepare(const struct config *cf, void **state)
{
	enum prep r = PREP_OK;
	struct stat st;
	size_t made = 0;

	*state = NULL;
	/* A telemetry file may be made by the command, but never a folder. */
	if (cf->x.telemetry != NULL && stat(cf->x.telemetry, &st) == 0 &&
	    S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		warn("%s", cf->x.telemetry);
		return PREP_REFUSED;
	}
	if (cf->x.log_dir != NULL &&
	    (r = prepare_mkdirs(cf->x.log_dir, &made)) != PREP_OK)
		return r;
	if (cf->x.log_dir != NULL && made == 0 &&
	    (r = exec_logs_check(cf->x.log_dir)) != PREP_OK)
		return r;
	if (cf->db != NULL && cf->x.clean &&
	    (r = prepare_clean(cf)) != PREP_OK && made > 0)
		clean_rmdirs(cf->x.log_dir, made);
	return r;
}

static void
exec_release(void *state)
{
	(void)state;
}

/* Values of --env are left out: only their names are recorded. */
static void
exec_start_args(const struct config *cf, const void *state,
    struct emitter *em)
{
	const struct exec_config *x = &cf->x;
	int i;

	(void)state;
	ev_str(em, "op_cmd", x->op_cmd);
	ev_strv(em, "argv", x->argv, -1);
	ev_str(em, "command", x->path);
	ev_str(em, "segment", cf->segment);
	ev_str(em, "telemetry", x->telemetry);
	ev_bool(em, "follow", x->follow);
	ev_str(em, "db", cf->db);
	ev_bool(em, "clean", x->clean);
	ev_str(em, "log_dir", x->log_dir);
	ev_count(em, "op_timeout_ms", x->op_timeout_ms > 0 ?
	    x->op_timeout_ms : -1);
	ev_strv(em, "run_id_env", x->run_id_env, x->nrun_id_env);
	ev_array(em, "env_names");
	for (i = 0; i < x->nenv; i++)
		ev_itemn(em, x->env[i], strcspn(x->env[i], "="));
	ev_close(em);
}

static void
exec_start_x(const struct config *cf, const void *state, struct emitter *em)
{
	(void)cf;
	(void)state;
	(void)em;
}

static void
exec_checks(const struct checks *ck, const void *state)
{
	(void)state;
	if (ck->cf->db != NULL)
		checks_integrity(ck);
}

const struct workload workload_exec = WORKLOAD_TABLE("exec", exec);
