/* report.c: the parent's own lines. */
#include <sys/wait.h>

#include <limits.h>
#include <stdio.h>

#include <sqlite3.h>

#include "config.h"
#include "event.h"
#include "proto.h"
#include "report.h"
#include "telemetry.h"
#include "workload.h"

int
report_start(struct emitter *em, const struct config *cf,
    const struct workload *wl, const void *state)
{
	ev_begin(em, "soak.run.start");
	ev_count(em, "ops", cf->ops);
	ev_int(em, "workers", cf->workers);
	ev_count(em, "duration", cf->duration_s > 0 ? cf->duration_s : -1);
	ev_int(em, "seed", (long long)cf->seed);
	ev_str(em, "run_id", cf->run_id);
	ev_str(em, "mode", wl->mode);
	wl->start_args(cf, state, em);
	ev_bool(em, "progress", cf->progress);
	ev_str(em, "sqlite_version", sqlite3_libversion());
	ev_str(em, "harness_version", SOAK_VERSION);
	ev_result(em);
	ev_str(em, "status", "ok");
	ev_x(em, 0, NULL);
	wl->start_x(cf, state, em);
	return ev_send(em);
}

/* "ok", "exit" or "signal": how waitpid's status says it ended. */
static const char *
report_how(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status) == 0 ? "ok" : "exit";
	return "signal";
}

int
report_worker(struct emitter *em, const struct worker_end *we, double ms)
{
	static const char *const states[] = { "idle", "lookup", "write" };
	int st = we->status;

	ev_begin(em, "soak.worker.exit");
	ev_int(em, "worker", we->index);
	ev_int(em, "pid", (long long)we->pid);
	ev_result(em);
	ev_str(em, "status", report_how(st));
	ev_count(em, "code", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	ev_count(em, "signal", WIFSIGNALED(st) ? WTERMSIG(st) : -1);
	ev_int(em, "ops", we->ops);
	ev_int(em, "events", we->events);
	ev_int(em, "partial_bytes", we->partial_bytes);
	ev_x(em, ms, NULL);
	ev_bool(em, "chaos", we->chaos);
	if (we->chaos)
		ev_str(em, "chaos_state", we->state >= WSTATE_IDLE &&
		    we->state <= WSTATE_WRITE ? states[we->state] : "idle");
	return ev_send(em);
}

int
report_telem_reset(struct emitter *em, const char *path, const char *what)
{
	char msg[64 + PATH_MAX];

	ev_begin(em, "soak.telemetry");
	ev_str(em, "telemetry", path);
	ev_result(em);
	ev_str(em, "status", what);
	snprintf(msg, sizeof(msg), "telemetry file %s; reading it from its "
	    "start", what);
	ev_x(em, 0, msg);
	return ev_send(em);
}

int
report_telem(struct emitter *em, const char *path,
    const struct telem_stats *ts, int failed, double ms)
{
	ev_begin(em, "soak.telemetry");
	ev_str(em, "telemetry", path);
	ev_result(em);
	ev_str(em, "status", failed ? "error" : "ok");
	ev_int(em, "lines_passed", ts->passed);
	ev_int(em, "lines_other_runs", ts->skipped);
	ev_int(em, "lines_malformed", ts->malformed);
	ev_int(em, "partial_bytes", ts->partial_bytes);
	ev_int(em, "resets", ts->resets);
	ev_x(em, ms, NULL);
	return ev_send(em);
}

int
report_end(struct emitter *em, const struct config *cf,
    const struct run_end *re)
{
	ev_begin(em, "soak.run.end");
	ev_count(em, "ops", cf->ops);
	ev_int(em, "workers", cf->workers);
	ev_result(em);
	ev_str(em, "status", re->status);
	ev_int(em, "events_emitted", re->events);
	ev_int(em, "ops_done", re->ops);
	ev_int(em, "workers_died", re->died);
	ev_int(em, "worker_lines_bad", re->bad);
	ev_count(em, "signal", re->signal > 0 ? re->signal : -1);
	ev_x(em, re->ms, NULL);
	return ev_send(em);
}
