/* report.c: the parent's own lines. */
#include <sys/wait.h>

#include <limits.h>
#include <stdio.h>
#include <time.h>

#include <sqlite3.h>

#include "config.h"
#include "dbwatch.h"
#include "envinfo.h"
#include "event.h"
#include "proto.h"
#include "report.h"
#include "telemetry.h"
#include "workload.h"

/* A moment as ISO 8601 UTC with microseconds, or null when 0. */
static void
report_moment(struct emitter *em, const char *key, double t)
{
	struct tm tm;
	time_t secs = (time_t)t;
	char buf[40], iso[64];

	if (t <= 0 || gmtime_r(&secs, &tm) == NULL) {
		ev_null(em, key);
		return;
	}
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(iso, sizeof(iso), "%s.%06ldZ", buf,
	    (long)((t - (double)secs) * 1e6));
	ev_str(em, key, iso);
}

/* soak.run.start's args.env. */
static void
report_env(struct emitter *em, const struct envinfo *env)
{
	int i;

	ev_map(em, "env");
	ev_str(em, "host", env->host);
	ev_str(em, "kernel", env->kernel);
	ev_count(em, "cpus", env->cpus);
	ev_array(em, "loadavg");
	for (i = 0; i < 3; i++)
		ev_itemf(em, env->loadavg[i], 2);
	ev_close(em);
	ev_str(em, "fs_path", env->fs_path);
	ev_str(em, "fs_type", env->fs_type);
	ev_count(em, "fs_free_bytes", env->fs_free_bytes);
	ev_bool(em, "fs_trusted", env->fs_trusted);
	ev_close(em);
}

int
report_start(struct emitter *em, const struct config *cf,
    const struct workload *wl, const void *state, const struct envinfo *env)
{
	char warning[128];

	ev_begin(em, "soak.run.start");
	ev_count(em, "ops", cf->ops);
	ev_int(em, "workers", cf->workers);
	ev_count(em, "duration", cf->duration_s > 0 ? cf->duration_s : -1);
	ev_int(em, "seed", (long long)cf->seed);
	ev_str(em, "run_id", cf->run_id);
	ev_str(em, "mode", wl->mode);
	wl->start_args(cf, state, em);
	ev_int(em, "chaos_kill", cf->chaos_kills);
	ev_int(em, "sample_ms", cf->db != NULL ? cf->sample_ms : 0);
	ev_str(em, "shard", cf->shard[0] ? cf->shard : NULL);
	ev_count(em, "shard_ops", cf->shard_ops);
	report_moment(em, "start_at", cf->start_at);
	report_env(em, env);
	ev_bool(em, "progress", cf->progress);
	ev_str(em, "sqlite_version", sqlite3_libversion());
	ev_str(em, "harness_version", SOAK_VERSION);
	ev_result(em);
	ev_str(em, "status", "ok");
	snprintf(warning, sizeof(warning), "filesystem %s: SQLite's locks "
	    "cannot be trusted on it", env->fs_type);
	ev_x(em, 0, env->fs_trusted ? NULL : warning);
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
	if (we->chaos) {
		ev_str(em, "chaos_state", we->state >= WSTATE_IDLE &&
		    we->state <= WSTATE_WRITE ? states[we->state] : "idle");
		ev_count(em, "replaced_by", we->replaced_by);
	}
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
	char msg[64 + PATH_MAX];

	snprintf(msg, sizeof(msg), "telemetry file %s never appeared", path);
	ev_begin(em, "soak.telemetry");
	ev_str(em, "telemetry", path);
	ev_result(em);
	ev_str(em, "status", failed ? "error" : ts->appeared ? "ok" :
	    "missing");
	ev_int(em, "lines_passed", ts->passed);
	ev_int(em, "lines_other_runs", ts->skipped);
	ev_int(em, "lines_malformed", ts->malformed);
	ev_int(em, "partial_bytes", ts->partial_bytes);
	ev_int(em, "resets", ts->resets);
	ev_x(em, ms, ts->appeared ? NULL : msg);
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
	ev_ms(em, "parent_cpu_ms", re->cpu_ms);
	ev_int(em, "parent_rss_kb", re->rss_kb);
	return ev_send(em);
}

/* A size, or null for a file never there. */
static void
report_size(struct emitter *em, const char *key, long long v)
{
	ev_count(em, key, v);
}

int
report_db_sample(struct emitter *em, const char *db, long long every_ms,
    const struct db_window *w, double ms)
{
	ev_begin(em, "soak.db.sample");
	ev_str(em, "db", db);
	ev_int(em, "sample_ms", every_ms);
	ev_result(em);
	ev_str(em, "status", "ok");
	ev_int(em, "samples", w->samples);
	ev_int(em, "present", w->present);
	report_size(em, "db_bytes_first", w->db_first);
	report_size(em, "db_bytes_last", w->db_last);
	ev_int(em, "db_bytes_max", w->db_max > 0 ? w->db_max : 0);
	ev_int(em, "wal_bytes_last", w->wal_last);
	ev_int(em, "wal_bytes_max", w->wal_max > 0 ? w->wal_max : 0);
	ev_int(em, "journal_bytes_max", w->journal_max > 0 ?
	    w->journal_max : 0);
	ev_int(em, "shm_bytes_max", w->shm_max > 0 ? w->shm_max : 0);
	ev_int(em, "journal_seen", w->journal_seen);
	ev_int(em, "writer_held", w->writer_held);
	ev_x(em, ms, NULL);
	return ev_send(em);
}
