/* config.h: one run's settings, filled in by main() and read by the run. */
#include <stdint.h>

struct config {
	long long ops;		/* -1: unlimited (a duration alone) */
	int workers;
	long long duration_s;	/* 0: none */
	const char *run_id;
	char *segment;		/* absolute */
	char segment_id[9];
	char *db;		/* absolute */
	char *lock;		/* db + ".lock" */
	int keep;
	long long files;
	uint64_t seed;
	long long lock_timeout_ms;
	long long lock_wait_ms;
	long long busy_timeout_ms;
	const char *journal_mode;
	const char *synchronous;
	int progress;
	int chaos_kills;	/* --chaos-kill: workers to SIGKILL on purpose */

	/* Exec mode: argv is the command, NULL for the built-in workload. */
	char **argv;
	char *path;		/* argv[0] found on PATH */
	const char *op_cmd;
	char **env;		/* --env NAME=VALUE */
	int nenv;
	char **run_id_env;	/* --run-id-env NAME */
	int nrun_id_env;
	char *log_dir;		/* absolute, or NULL: output discarded */
	long long op_timeout_ms; /* 0: none */
	char *telemetry;	/* absolute, or NULL */
	int follow;
	int clean;
};
