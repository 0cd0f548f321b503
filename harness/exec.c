#include <sys/pidfd.h>
#include <sys/stat.h>
#include <sys/wait.h>

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

#include "clean.h"
#include "clock.h"
#include "config.h"
#include "event.h"
#include "exec.h"
#include "worker.h"

#define EXEC_KILL_AFTER_MS 1000.0
#define OP_SLOT_DIGITS 24

extern char **environ;

char *
exec_subst(const char *arg, const char *run_id, int worker, long long op)
{
	char *out, num[32];
	size_t n = 0, cap = strlen(arg) + 1;
	const char *p, *rep;

	if ((out = malloc(cap)) == NULL)
		return NULL;
	for (p = arg; *p; ) {
		size_t k;

		rep = NULL;
		k = 1;
		if (p[0] == '{' && p[1] == '{') {
			rep = "{";
			k = 2;
		} else if (strncmp(p, "{run_id}", 8) == 0) {
			rep = run_id;
			k = 8;
		} else if (strncmp(p, "{worker}", 8) == 0) {
			snprintf(num, sizeof(num), "%d", worker);
			rep = num;
			k = 8;
		} else if (strncmp(p, "{op}", 4) == 0) {
			snprintf(num, sizeof(num), "%lld", op);
			rep = num;
			k = 4;
		}
		if (rep == NULL) {
			num[0] = *p;
			num[1] = '\0';
			rep = num;
		}
		if (n + strlen(rep) + 1 > cap) {
			char *nb;

			cap = (n + strlen(rep) + 1) * 2;
			if ((nb = realloc(out, cap)) == NULL) {
				free(out);
				return NULL;
			}
			out = nb;
		}
		memcpy(out + n, rep, strlen(rep));
		n += strlen(rep);
		p += k;
	}
	out[n] = '\0';
	return out;
}

/* 1 when NAME=... entry e sets name (of length len). */
static int
exec_env_is(const char *e, const char *name, size_t len)
{
	return strncmp(e, name, len) == 0 && e[len] == '=';
}

static size_t
exec_env_namelen(const char *e)
{
	const char *eq = strchr(e, '=');

	return eq ? (size_t)(eq - e) : strlen(e);
}

void
exec_env_free(char **env)
{
	char **p;

	if (env == NULL)
		return;
	for (p = env; *p; p++)
		free(*p);
	free(env);
}

char **
exec_env(char *const *environ_, const char *run_id, int worker,
    char *const *run_id_env, int nrun_id_env, char *const *env, int nenv,
    char **op_slot)
{
	char **out;
	size_t n = 0, cap = 4 + (size_t)nrun_id_env + (size_t)nenv;
	int i, k;

	for (i = 0; environ_ != NULL && environ_[i] != NULL; i++)
		cap++;
	if ((out = calloc(cap, sizeof(*out))) == NULL)
		return NULL;
	for (i = 0; environ_ != NULL && environ_[i] != NULL; i++) {
		const char *e = environ_[i];
		size_t len = exec_env_namelen(e);
		int drop = exec_env_is(e, "SOAK_RUN_ID", 11) ||
		    exec_env_is(e, "SOAK_WORKER", 11) ||
		    exec_env_is(e, "SOAK_OP", 7);

		for (k = 0; !drop && k < nrun_id_env; k++)
			drop = strlen(run_id_env[k]) == len &&
			    exec_env_is(e, run_id_env[k], len);
		for (k = 0; !drop && k < nenv; k++)
			drop = exec_env_namelen(env[k]) == len &&
			    exec_env_is(e, env[k], len);
		if (drop)
			continue;
		if ((out[n++] = strdup(e)) == NULL)
			goto fail;
	}
	if (asprintf(&out[n++], "SOAK_RUN_ID=%s", run_id) < 0 ||
	    asprintf(&out[n++], "SOAK_WORKER=%d", worker) < 0 ||
	    asprintf(&out[n++], "SOAK_OP=%0*d", OP_SLOT_DIGITS, 0) < 0)
		goto fail;
	*op_slot = out[n - 1] + 8;
	for (k = 0; k < nrun_id_env; k++)
		if (asprintf(&out[n++], "%s=%s", run_id_env[k], run_id) < 0)
			goto fail;
	for (k = 0; k < nenv; k++)
		if ((out[n++] = strdup(env[k])) == NULL)
			goto fail;
	out[n] = NULL;
	return out;
fail:
	out[n > 0 ? n - 1 : 0] = NULL;
	exec_env_free(out);
	return NULL;
}

static int
exec_runnable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    access(path, X_OK) == 0;
}

char *
exec_find(const char *name, const char *pathvar)
{
	const char *p, *end;
	char *cand;

	if (*name == '\0')
		return NULL;
	if (strchr(name, '/') != NULL)
		return exec_runnable(name) ? strdup(name) : NULL;
	if (pathvar == NULL || *pathvar == '\0')
		pathvar = "/usr/local/bin:/usr/bin:/bin";
	for (p = pathvar; ; p = end + 1) {
		size_t len;

		end = strchr(p, ':');
		len = end ? (size_t)(end - p) : strlen(p);
		if (asprintf(&cand, "%.*s%s%s", (int)len, p, len ? "/" : "",
		    name) < 0)
			return NULL;
		if (exec_runnable(cand))
			return cand;
		free(cand);
		if (end == NULL)
			return NULL;
	}
}

struct exec_worker {
	const struct config *cf;
	struct emitter *em;
	struct wstat *st;
	volatile sig_atomic_t *stop;
	int fd, index, logfd, failed;
	char **env, *op_slot;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
};

/* Wait for pid, ending its process group at the timeout or on *stop:
 * SIGTERM, then SIGKILL after a second. *timed_out says the timeout ended
 * it. */
static int
exec_wait(struct exec_worker *w, pid_t pid, double t0, int *timed_out)
{
	struct pollfd p;
	double now, term_at = 0;
	int pfd, st, timeout;

	*timed_out = 0;
	if ((pfd = pidfd_open(pid, 0)) < 0) {
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		return st;
	}
	for (;;) {
		now = clock_ms();
		if (term_at == 0 && (*w->stop || (w->cf->op_timeout_ms > 0 &&
		    now - t0 >= (double)w->cf->op_timeout_ms))) {
			if (!*w->stop)
				*timed_out = 1;
			kill(-pid, SIGTERM);
			term_at = now;
		} else if (term_at > 0 && now - term_at >= EXEC_KILL_AFTER_MS) {
			kill(-pid, SIGKILL);
			term_at = now + 1e12;	/* once */
		}
		if (term_at > 0)
			timeout = term_at > now + 1e11 ? -1 :
			    (int)(term_at + EXEC_KILL_AFTER_MS - now) + 1;
		else if (w->cf->op_timeout_ms > 0)
			timeout = (int)(t0 + (double)w->cf->op_timeout_ms -
			    now) + 1;
		else
			timeout = -1;
		p.fd = pfd;
		p.events = POLLIN;
		if (poll(&p, 1, timeout) > 0)
			break;
	}
	close(pfd);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return st;
}

static void
exec_event(struct exec_worker *w, char *const *argv, long long op,
    const char *status, int code, int sig, const char *error, pid_t pid,
    double ms)
{
	yajl_gen g = event_begin(w->em, "soak.exec");
	int i;

	gen_str(g, "args");
	yajl_gen_map_open(g);
	gen_str(g, "argv");
	yajl_gen_array_open(g);
	for (i = 0; argv[i] != NULL; i++)
		gen_str(g, argv[i]);
	yajl_gen_array_close(g);
	gen_kint(g, "op", op);
	yajl_gen_map_close(g);
	gen_str(g, "result");
	yajl_gen_map_open(g);
	gen_kstr(g, "status", status);
	if (code >= 0)
		gen_kint(g, "exit_code", code);
	else
		gen_knull(g, "exit_code");
	if (sig > 0)
		gen_kint(g, "signal", sig);
	else
		gen_knull(g, "signal");
	if (error != NULL)
		gen_kstr(g, "error", error);
	yajl_gen_map_close(g);
	event_x(w->em, ms);
	if (pid > 0)
		gen_kint(g, "child_pid", (long long)pid);
	if (event_send(w->em) != 0)
		w->failed = 1;
}

/* One run of the command as operation op. */
static void
exec_op(struct exec_worker *w, long long op)
{
	const struct config *cf = w->cf;
	char **argv;
	const char *status;
	double t0;
	pid_t pid = 0;
	int n, i, st, rc, timed_out, code = -1, sig = 0;

	for (n = 0; cf->argv[n] != NULL; n++)
		;
	if ((argv = calloc((size_t)n + 1, sizeof(*argv))) == NULL) {
		w->failed = 1;
		return;
	}
	for (i = 0; i < n; i++)
		if ((argv[i] = exec_subst(cf->argv[i], cf->run_id, w->index,
		    op)) == NULL) {
			w->failed = 1;
			goto out;
		}
	snprintf(w->op_slot, OP_SLOT_DIGITS + 1, "%lld", op);
	t0 = clock_ms();
	rc = posix_spawn(&pid, cf->path, &w->fa, &w->attr, argv, w->env);
	if (rc != 0) {
		exec_event(w, argv, op, "error", -1, 0, strerror(rc), 0,
		    clock_ms() - t0);
		goto out;
	}
	st = exec_wait(w, pid, t0, &timed_out);
	if (WIFEXITED(st))
		code = WEXITSTATUS(st);
	else if (WIFSIGNALED(st))
		sig = WTERMSIG(st);
	status = timed_out ? "timeout" : code == 0 ? "ok" :
	    code > 0 ? "exit" : "signal";
	exec_event(w, argv, op, status, code, sig, NULL, pid,
	    clock_ms() - t0);
out:
	for (i = 0; i < n; i++)
		free(argv[i]);
	free(argv);
}

static int
exec_setup(struct exec_worker *w)
{
	sigset_t none, deflt;
	char *log;

	posix_spawn_file_actions_addopen(&w->fa, 0, "/dev/null", O_RDONLY, 0);
	if (w->cf->log_dir != NULL) {
		if (clean_mkdirs(w->cf->log_dir) < 0 ||
		    asprintf(&log, "%s/worker-%d.log", w->cf->log_dir,
		    w->index) < 0)
			return -1;
		w->logfd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
		    0644);
		free(log);
		if (w->logfd < 0)
			return -1;
		posix_spawn_file_actions_adddup2(&w->fa, w->logfd, 1);
		posix_spawn_file_actions_adddup2(&w->fa, w->logfd, 2);
	} else {
		posix_spawn_file_actions_addopen(&w->fa, 1, "/dev/null",
		    O_WRONLY, 0);
		posix_spawn_file_actions_adddup2(&w->fa, 1, 2);
	}
	posix_spawn_file_actions_addclosefrom_np(&w->fa, 3);
	sigemptyset(&none);
	sigemptyset(&deflt);
	sigaddset(&deflt, SIGINT);
	sigaddset(&deflt, SIGTERM);
	sigaddset(&deflt, SIGPIPE);
	sigaddset(&deflt, SIGALRM);
	posix_spawnattr_setsigmask(&w->attr, &none);
	posix_spawnattr_setsigdefault(&w->attr, &deflt);
	/* Its own process group, so a timeout ends what it started too. */
	posix_spawnattr_setpgroup(&w->attr, 0);
	posix_spawnattr_setflags(&w->attr, POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
	return 0;
}

int
exec_main(const struct config *cf, int index, long long share, int fd,
    int gofd, struct wstat *st, double deadline_ms,
    volatile sig_atomic_t *stop)
{
	struct exec_worker w;
	long long op;
	int rc = 0;

	memset(&w, 0, sizeof(w));
	w.cf = cf;
	w.st = st;
	w.stop = stop;
	w.fd = fd;
	w.index = index;
	w.logfd = -1;
	posix_spawn_file_actions_init(&w.fa);
	posix_spawnattr_init(&w.attr);
	if ((w.em = emitter_new(event_write_fd, &w.fd, cf->run_id,
	    cf->segment_id, index, getpid())) == NULL ||
	    (w.env = exec_env(environ, cf->run_id, index, cf->run_id_env,
	    cf->nrun_id_env, cf->env, cf->nenv, &w.op_slot)) == NULL) {
		rc = 4;
		goto out;
	}
	if (exec_setup(&w) < 0) {
		rc = 3;
		goto out;
	}
	worker_go(gofd, stop);
	for (op = 1; share < 0 || op <= share; op++) {
		if (*stop || w.failed ||
		    (deadline_ms > 0 && clock_ms() >= deadline_ms))
			break;
		if (share < 0)
			setproctitle("worker %d run %s op %lld", index,
			    cf->run_id, op);
		else
			setproctitle("worker %d run %s op %lld/%lld", index,
			    cf->run_id, op, share);
		exec_op(&w, op);
		__atomic_store_n(&st->ops, st->ops + 1, __ATOMIC_RELAXED);
	}
	if (w.failed)
		rc = 4;
out:
	posix_spawn_file_actions_destroy(&w.fa);
	posix_spawnattr_destroy(&w.attr);
	if (w.logfd >= 0)
		close(w.logfd);
	exec_env_free(w.env);
	emitter_free(w.em);
	return rc;
}
