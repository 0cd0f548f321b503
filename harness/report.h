/* report.h: the parent's own lines: soak.run.start, soak.worker.exit,
 * soak.telemetry and soak.run.end. */
#ifndef HARNESS_REPORT_H
#define HARNESS_REPORT_H

#include <sys/types.h>

struct config;
struct db_window;
struct emitter;
struct envinfo;
struct telem_stats;
struct workload;

/* How one worker ended, as soak.worker.exit says it. */
struct worker_end {
	int index;		/* worker number, from 1 */
	pid_t pid;
	int status;		/* from waitpid */
	long long ops, events, partial_bytes;
	int chaos;		/* SIGKILLed by --chaos-kill */
	long long state;	/* WSTATE_* when it was killed */
	int replaced_by;	/* the worker taking over its share, or -1 */
};

/* What soak.run.end says. */
struct run_end {
	const char *status;	/* "ok", "failed" or "interrupted" */
	long long events, ops, died, bad;
	int signal;		/* 0: none */
	double ms;
	double cpu_ms;		/* the parent's own CPU time */
	long long rss_kb;	/* the parent's own peak resident size */
};

/* Each returns ev_send()'s value. */
int report_start(struct emitter *, const struct config *,
    const struct workload *, const void *state, const struct envinfo *);
/* One window of database samples, ms long. */
int report_db_sample(struct emitter *, const char *db, long long every_ms,
    const struct db_window *, double ms);
int report_worker(struct emitter *, const struct worker_end *, double ms);
/* A telemetry file that was truncated or replaced (what says which). */
int report_telem_reset(struct emitter *, const char *path,
    const char *what);
/* The summary of the telemetry read during the run; failed: it could
 * not be read. */
int report_telem(struct emitter *, const char *path,
    const struct telem_stats *, int failed, double ms);
int report_end(struct emitter *, const struct config *,
    const struct run_end *);

#endif
