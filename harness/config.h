/* config.h: one run's settings, filled in by main() and read by the run. */
#ifndef HARNESS_CONFIG_H
#define HARNESS_CONFIG_H

#include <stdint.h>

#include "cache.h"

/* The workload: set once in main(), read only through this enum. */
enum mode {
	MODE_BUILTIN,	/* the built-in symbol cache */
	MODE_EXEC	/* a command, run once per operation */
};

/* Options of the built-in workload only. */
struct builtin_config {
	int keep;		/* --keep: no clean before the run */
	long long files;
	long long lock_timeout_ms;
	long long lock_wait_ms;
};

/* Options of exec mode only. */
struct exec_config {
	char **argv;		/* the command */
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

struct config {
	enum mode mode;
	long long ops;		/* -1: unlimited (a duration alone) */
	int workers;
	long long duration_s;	/* 0: none */
	const char *run_id;
	char *segment;		/* absolute */
	char segment_id[9];
	char *db;		/* absolute; NULL in exec mode without --db */
	char *lock;		/* db + ".lock", or NULL */
	uint64_t seed;
	int progress;
	int chaos_kills;	/* --chaos-kill: kills to send on purpose */
	long long sample_ms;	/* --sample-ms: the database's; 0: off */
	/* --shard K/N: this run is shard k of n (1 of 1 when not sharded). */
	int shard_k, shard_n;
	char shard[16];		/* "K/N", or "" when not sharded */
	long long shard_ops;	/* this shard's share of ops (-1: unlimited) */
	double start_at;	/* --start-at, seconds since the epoch; 0: now */
	char host[256];		/* the node name, on every line */
	/* How soak-harness opens a database: the built-in cache, and the
	 * checks after a run in both modes. Built once, in main(). */
	struct cache_opts cache;
	struct builtin_config b;
	struct exec_config x;
};

#endif
