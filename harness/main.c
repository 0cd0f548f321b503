/* soak-harness: put a SQLite-backed cache under concurrent load and write
 * what happened as soak-events(5) on stdout.
 *
 * The rooms of the harness, one job each:
 *   main.c        options into a struct config; the mode, set once
 *   args.c        one command-line value each, checked (program code)
 *   config.h      the settings: common, built-in only, exec only
 *   workload.h    what a mode does: prepare, run.start, op, checks
 *   builtin.c     the built-in workload: files, cache, its checks
 *   builtin_op.c  one built-in operation in a worker: lookup, fill
 *   exec.c        exec mode: a command per operation, never a shell
 *   cmd.c         the command's arguments, environment and file
 *   run.c         the parent: init, the loop, finish
 *   child.c       a worker process: its one loop of operations
 *   proto.h/.c    parent and workers: counters, control lines, barrier
 *   relay.c       a worker's pipe into lines (bytes in, callbacks out)
 *   out.c         the parent's stdout buffer, every write checked
 *   ledger.c      writes the workers saw commit, for soak.verify
 *   chaos.c       when --chaos-kill kills, and whom
 *   checks.c      after the run: recovery, integrity, verify
 *   prepare.c     before the run: clean, folder, schema, lock file
 *   report.c      the parent's own lines: run.start, worker.exit, ...
 *   event.c       every line through yajl_gen, statuses checked
 *   linebuf.c     the one line splitter (pipes and telemetry)
 *   utf8.c        the one UTF-8 check
 *   telemetry.c   a command's own JSON Lines, followed
 *   cache.c       the SQLite cache; lock.c its lock file
 *   clean.c       removing an old cache, and only a cache
 *   files.c       the source files of a segment
 *   symbols*.c    the symbol extractors: common, Python, C
 *   key.c, prng.c, spread.c, clock.c, sqlcode.c: small pure helpers */
#include <sys/utsname.h>

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "args.h"
#include "cmd.h"
#include "config.h"
#include "files.h"
#include "key.h"
#include "run.h"
#include "spread.h"
#include "symbols.h"
#include "workload.h"

#define MAX_OPS 1000000000000LL
#define MAX_WORKERS 256
#define MAX_SEED 9007199254740991LL	/* 2^53 - 1: exact in every JSON reader */
#define MAX_MS 86400000LL
#define RUN_ID_MAX 200
#define MAX_CHAOS 10000
#define MAX_SAMPLE_MS 60000

enum {
	OPT_DB = 256, OPT_KEEP, OPT_FILES, OPT_SEED, OPT_LOCK_TIMEOUT,
	OPT_LOCK_WAIT, OPT_JOURNAL, OPT_SYNC, OPT_BUSY, OPT_PROGRESS,
	OPT_SYMBOLS, OPT_VERSION, OPT_OP_CMD, OPT_ENV, OPT_RUN_ID_ENV,
	OPT_LOG_DIR, OPT_OP_TIMEOUT, OPT_TELEMETRY, OPT_FOLLOW, OPT_CLEAN,
	OPT_CHAOS, OPT_SAMPLE, OPT_HELP, OPT_SHARD, OPT_START_AT
};

static const struct option longopts[] = {
	{ "ops", required_argument, NULL, 'n' },
	{ "workers", required_argument, NULL, 'w' },
	{ "duration", required_argument, NULL, 'd' },
	{ "run-id", required_argument, NULL, 'r' },
	{ "segment", required_argument, NULL, 's' },
	{ "db", required_argument, NULL, OPT_DB },
	{ "keep", no_argument, NULL, OPT_KEEP },
	{ "files", required_argument, NULL, OPT_FILES },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "lock-timeout-ms", required_argument, NULL, OPT_LOCK_TIMEOUT },
	{ "lock-wait-ms", required_argument, NULL, OPT_LOCK_WAIT },
	{ "journal-mode", required_argument, NULL, OPT_JOURNAL },
	{ "synchronous", required_argument, NULL, OPT_SYNC },
	{ "busy-timeout-ms", required_argument, NULL, OPT_BUSY },
	{ "progress", no_argument, NULL, OPT_PROGRESS },
	{ "chaos-kill", required_argument, NULL, OPT_CHAOS },
	{ "sample-ms", required_argument, NULL, OPT_SAMPLE },
	{ "symbols", required_argument, NULL, OPT_SYMBOLS },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "start-at", required_argument, NULL, OPT_START_AT },
	{ "op-cmd", required_argument, NULL, OPT_OP_CMD },
	{ "env", required_argument, NULL, OPT_ENV },
	{ "run-id-env", required_argument, NULL, OPT_RUN_ID_ENV },
	{ "log-dir", required_argument, NULL, OPT_LOG_DIR },
	{ "op-timeout-ms", required_argument, NULL, OPT_OP_TIMEOUT },
	{ "telemetry", required_argument, NULL, OPT_TELEMETRY },
	{ "follow", no_argument, NULL, OPT_FOLLOW },
	{ "clean", no_argument, NULL, OPT_CLEAN },
	{ NULL, 0, NULL, 0 }
};

/* The synopsis on f, then exit with status. */
static void __attribute__((noreturn))
synopsis(FILE *f, int status)
{
	fprintf(f,
	    "usage: soak-harness [-n ops] [-w workers] [-d seconds] [-r run_id]"
	    " [-s dir]\n"
	    "                    [--db path] [--keep] [--files n] [--seed n]\n"
	    "                    [--lock-timeout-ms n] [--lock-wait-ms n]\n"
	    "                    [--journal-mode delete | wal]\n"
	    "                    [--synchronous off | normal | full]\n"
	    "                    [--busy-timeout-ms n] [--progress]"
	    " [--chaos-kill n]\n"
	    "                    [--sample-ms n]\n"
	    "       soak-harness [-n ops] [-w workers] [-d seconds] [-r run_id]"
	    " [-s dir]\n"
	    "                    [--db path [--clean]] [--telemetry file"
	    " [--follow]]\n"
	    "                    [--op-cmd name] [--env name=value]"
	    " [--run-id-env name]\n"
	    "                    [--log-dir dir] [--op-timeout-ms n]"
	    " [--progress]\n"
	    "                    [--chaos-kill n] [--seed n] [--sample-ms n]\n"
	    "                    -- command [arg ...]\n"
	    "       soak-harness ... --shard k/n -r run_id [--start-at time] ...\n"
	    "       soak-harness --symbols file\n"
	    "       soak-harness --help | --version\n");
	if (f == stdout && (fflush(stdout) != 0 || ferror(stdout))) {
		warn("stdout");
		exit(1);
	}
	exit(status);
}

static void __attribute__((noreturn))
usage(void)
{
	synopsis(stderr, 2);
}

/* Print the symbols of one file as the cache would store them. */
static int
symbols_cmd(const char *path)
{
	struct symlist l = { NULL, 0, 0 };
	enum symlang lang;
	char *buf, *json;
	size_t len, jlen;

	if ((lang = symbols_lang(path)) == SYMLANG_NONE) {
		warnx("%s: not a .py, .c or .h file", path);
		return 2;
	}
	if (files_read(path, &buf, &len) < 0) {
		warn("%s", path);
		return 2;
	}
	if (symbols_extract(lang, buf, len, &l) < 0 ||
	    (json = symbols_json(&l, &jlen)) == NULL) {
		free(buf);
		symbols_free(&l);
		warnx("out of memory");
		return 1;
	}
	printf("%s\n", json);
	free(json);
	free(buf);
	symbols_free(&l);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		warn("stdout");
		return 1;
	}
	return 0;
}

#define FLAG_OPS 0x1
#define FLAG_WORKERS 0x2
#define FLAG_RUN_ID 0x4
#define FLAG_SHARD 0x8
#define FLAG_SEGMENT 0x10

/* What the command line names before it is resolved. */
struct names {
	const char *segment, *db, *symfile, *log_dir, *telemetry;
	int ops_set;	/* -n or OPS given */
	int run_id_set;	/* -r or RUN_ID given */
	int shard_set;	/* --shard or SOAK_SHARD given */
	int exec_opt;	/* an option of exec mode given */
	unsigned flagged;	/* FLAG_*: set by an option, so the
				 * environment's value is not read */
	int builtin_opt;	/* an option of the built-in workload given */
};

static void
defaults(struct config *cf, struct names *nm, char *runid, size_t n)
{
	memset(cf, 0, sizeof(*cf));
	memset(nm, 0, sizeof(*nm));
	cf->ops = 10;
	cf->workers = 2;
	cf->b.files = 4;
	cf->seed = ((uint64_t)time(NULL) * 1000003u ^ (uint64_t)getpid()) &
	    (uint64_t)MAX_SEED;
	cf->b.lock_timeout_ms = 2000;
	cf->b.lock_wait_ms = 10;
	cf->sample_ms = 250;
	cf->shard_k = cf->shard_n = 1;
	cf->cache.busy_timeout_ms = 5000;
	cf->cache.journal_mode = "delete";
	cf->cache.synchronous = "full";
	cf->x.op_cmd = "soak.exec";
	snprintf(runid, n, "soak_%lld_%ld", (long long)time(NULL),
	    (long)getpid());
	cf->run_id = runid;
	nm->segment = ".";
}

/* OPS, WORKERS, RUN_ID, SOAK_SHARD and SEGMENT, each read only when no
 * option (read before) set it: an option overrides the environment,
 * even a value there that would be refused. */
static void
environment(struct config *cf, struct names *nm)
{
	const char *env;

	if (!(nm->flagged & FLAG_OPS) && (env = getenv("OPS")) != NULL &&
	    *env) {
		cf->ops = arg_num("OPS", env, 1, MAX_OPS);
		nm->ops_set = 1;
	}
	if (!(nm->flagged & FLAG_WORKERS) &&
	    (env = getenv("WORKERS")) != NULL && *env)
		cf->workers = (int)arg_num("WORKERS", env, 1, MAX_WORKERS);
	if (!(nm->flagged & FLAG_RUN_ID) &&
	    (env = getenv("RUN_ID")) != NULL && *env) {
		cf->run_id = arg_runid("RUN_ID", env, RUN_ID_MAX);
		nm->run_id_set = 1;
	}
	if (!(nm->flagged & FLAG_SHARD) &&
	    (env = getenv("SOAK_SHARD")) != NULL && *env) {
		arg_shard("SOAK_SHARD", env, &cf->shard_k, &cf->shard_n);
		nm->shard_set = 1;
	}
	if (!(nm->flagged & FLAG_SEGMENT) &&
	    (env = getenv("SEGMENT")) != NULL && *env)
		nm->segment = env;
}

/* An option of exec mode; returns 0 when ch is none of them. */
static int
execflag(int ch, struct config *cf, struct names *nm)
{
	struct exec_config *x = &cf->x;

	switch (ch) {
	case OPT_OP_CMD:
		if (*optarg == '\0')
			errx(2, "--op-cmd: empty name");
		x->op_cmd = optarg;
		break;
	case OPT_ENV:
		arg_list("--env", optarg, &x->env, &x->nenv, 1);
		break;
	case OPT_RUN_ID_ENV:
		arg_list("--run-id-env", optarg, &x->run_id_env,
		    &x->nrun_id_env, 0);
		break;
	case OPT_LOG_DIR:
		nm->log_dir = arg_path("--log-dir", optarg);
		break;
	case OPT_OP_TIMEOUT:
		x->op_timeout_ms = arg_num("--op-timeout-ms", optarg, 1, MAX_MS);
		break;
	case OPT_TELEMETRY:
		nm->telemetry = arg_path("--telemetry", optarg);
		break;
	case OPT_FOLLOW:
		x->follow = 1;
		break;
	case OPT_CLEAN:
		x->clean = 1;
		break;
	default:
		return 0;
	}
	nm->exec_opt = 1;
	return 1;
}

/* An option of the built-in workload or of how the cache is opened;
 * returns 0 when ch is none of them. */
static int
builtinflag(int ch, struct config *cf, struct names *nm)
{
	static const char *const journals[] = { "delete", "wal", NULL };
	static const char *const syncs[] = { "off", "normal", "full", NULL };

	switch (ch) {
	case OPT_KEEP:
		cf->b.keep = 1;
		break;
	case OPT_FILES:
		cf->b.files = arg_num("--files", optarg, 1, 1000000);
		break;
	case OPT_LOCK_TIMEOUT:
		cf->b.lock_timeout_ms = arg_num("--lock-timeout-ms", optarg, 0,
		    MAX_MS);
		break;
	case OPT_LOCK_WAIT:
		cf->b.lock_wait_ms = arg_num("--lock-wait-ms", optarg, 0,
		    MAX_MS);
		break;
	case OPT_JOURNAL:
		cf->cache.journal_mode = arg_word("--journal-mode", optarg,
		    journals);
		break;
	case OPT_SYNC:
		cf->cache.synchronous = arg_word("--synchronous", optarg, syncs);
		break;
	case OPT_BUSY:
		cf->cache.busy_timeout_ms = (int)arg_num("--busy-timeout-ms",
		    optarg, 0, MAX_MS);
		break;
	default:
		return 0;
	}
	nm->builtin_opt = 1;
	return 1;
}

/* An option of every run; returns 0 when ch is none of them. */
static int
runflag(int ch, struct config *cf, struct names *nm)
{
	switch (ch) {
	case 'n':
		cf->ops = arg_num("--ops", optarg, 1, MAX_OPS);
		nm->ops_set = 1;
		nm->flagged |= FLAG_OPS;
		break;
	case 'w':
		cf->workers = (int)arg_num("--workers", optarg, 1, MAX_WORKERS);
		nm->flagged |= FLAG_WORKERS;
		break;
	case 'd':
		cf->duration_s = arg_num("--duration", optarg, 1, 31536000);
		break;
	case 'r':
		cf->run_id = arg_runid("--run-id", optarg, RUN_ID_MAX);
		nm->run_id_set = 1;
		nm->flagged |= FLAG_RUN_ID;
		break;
	case 's':
		nm->segment = arg_path("-s", optarg);
		nm->flagged |= FLAG_SEGMENT;
		break;
	case OPT_DB:
		nm->db = arg_path("--db", optarg);
		break;
	case OPT_SEED:
		cf->seed = (uint64_t)arg_num("--seed", optarg, 0, MAX_SEED);
		break;
	case OPT_PROGRESS:
		cf->progress = 1;
		break;
	case OPT_CHAOS:
		cf->chaos_kills = (int)arg_num("--chaos-kill", optarg, 0,
		    MAX_CHAOS);
		break;
	case OPT_SAMPLE:
		cf->sample_ms = arg_num("--sample-ms", optarg, 0, MAX_SAMPLE_MS);
		break;
	case OPT_SHARD:
		arg_shard("--shard", optarg, &cf->shard_k, &cf->shard_n);
		nm->shard_set = 1;
		nm->flagged |= FLAG_SHARD;
		break;
	case OPT_START_AT:
		cf->start_at = arg_start("--start-at", optarg);
		break;
	default:
		return 0;
	}
	return 1;
}

/* Read the options; returns optind. --version is done here. */
static int
flags(int argc, char *argv[], struct config *cf, struct names *nm)
{
	int ch;

	while ((ch = getopt_long(argc, argv, "+n:w:d:r:s:", longopts, NULL)) !=
	    -1) {
		if (ch == OPT_SYMBOLS)
			nm->symfile = arg_path("--symbols", optarg);
		else if (ch == OPT_HELP)
			synopsis(stdout, 0);
		else if (ch == OPT_VERSION) {
			printf("soak-harness %s\n", SOAK_VERSION);
			if (fflush(stdout) != 0 || ferror(stdout)) {
				warn("stdout");
				exit(1);
			}
			exit(0);
		} else if (!runflag(ch, cf, nm) && !builtinflag(ch, cf, nm) &&
		    !execflag(ch, cf, nm))
			usage();
	}
	return optind;
}

/* This shard's share of the run, by the same rule as a worker's share
 * of a shard; only shard 1 cleans, and the built-in cache of the others
 * is kept. The node name goes on every line. */
static void
shards(struct config *cf, const struct names *nm)
{
	struct utsname u;

	cf->shard_ops = cf->ops < 0 ? -1 :
	    spread_share(cf->ops, cf->shard_n, cf->shard_k - 1);
	if (nm->shard_set) {
		snprintf(cf->shard, sizeof(cf->shard), "%d/%d", cf->shard_k,
		    cf->shard_n);
		if (cf->shard_k > 1) {
			cf->x.clean = 0;
			cf->b.keep = 1;
		}
	}
	snprintf(cf->host, sizeof(cf->host), "%s", uname(&u) == 0 ?
	    u.nodename : "unknown");
}

/* Options that only make sense together; then the mode, set once. */
static void
check_flags(struct config *cf, const struct names *nm, int argc)
{
	if (argc == 0 && nm->exec_opt)
		errx(2, "--op-cmd, --env, --run-id-env, --log-dir, "
		    "--op-timeout-ms, --telemetry, --follow and --clean need a "
		    "command");
	if (argc > 0 && nm->builtin_opt)
		errx(2, "--keep, --files, --lock-timeout-ms, --lock-wait-ms, "
		    "--journal-mode, --synchronous and --busy-timeout-ms are for "
		    "the built-in workload, not a command");
	if (cf->x.follow && nm->telemetry == NULL)
		errx(2, "--follow needs --telemetry");
	if (cf->x.clean && nm->db == NULL)
		errx(2, "--clean needs --db");
	if (nm->shard_set && !nm->run_id_set)
		errx(2, "--shard needs --run-id: every shard shares one");
	if (cf->duration_s > 0 && !nm->ops_set)
		cf->ops = -1;
	cf->mode = argc > 0 ? MODE_EXEC : MODE_BUILTIN;
	shards(cf, nm);
}

/* 1 when s holds a byte below 0x20 or 0x7f: a cache key, which starts
 * with the source folder's path, must be one line of text. */
static int
has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

/* Make every path absolute and find the command; returns an exit status,
 * 0 to go on. */
static int
resolve(struct config *cf, const struct names *nm, char **argv)
{
	if (cf->mode == MODE_EXEC) {
		cf->x.argv = argv;
		if (*argv[0] == '\0') {
			warnx("command: empty name");
			return 2;
		}
		if ((cf->x.path = cmd_find(argv[0], getenv("PATH"))) == NULL) {
			if (strchr(argv[0], '/') != NULL)
				warn("%s", argv[0]);
			else
				warnx("%s: command not found", argv[0]);
			return 2;
		}
	}
	if ((cf->segment = realpath(nm->segment, NULL)) == NULL ||
	    !arg_isdir(cf->segment)) {
		if (cf->segment != NULL)
			errno = ENOTDIR;
		warn("%s", nm->segment);
		return 2;
	}
	if (cf->mode == MODE_BUILTIN && has_control(cf->segment)) {
		warnx("%s: a source folder whose path holds a control "
		    "character cannot key a cache", nm->segment);
		return 2;
	}
	key_segment_id(cf->segment, cf->segment_id);
	if (nm->db != NULL)
		cf->db = arg_abspath(nm->db);
	else if (cf->mode == MODE_BUILTIN && asprintf(&cf->db,
	    "%s/.soak/cache/ast_cache.db", cf->segment) < 0)
		cf->db = NULL;
	if ((cf->db == NULL && (nm->db != NULL || cf->mode == MODE_BUILTIN)) ||
	    (cf->db != NULL && asprintf(&cf->lock, "%s.lock", cf->db) < 0))
		err(1, NULL);
	if ((nm->log_dir != NULL && (cf->x.log_dir =
	    arg_abspath(nm->log_dir)) == NULL) || (nm->telemetry != NULL &&
	    (cf->x.telemetry = arg_abspath(nm->telemetry)) == NULL))
		err(1, NULL);
	return 0;
}

/* The exit status of a run that went: 0 completed, 1 the harness failed
 * (a worker died, stdout failed), 128 + the signal that interrupted it. */
static int
exit_status(const struct outcome *oc)
{
	if (oc->out_err != 0)
		return 1;
	if (oc->signal != 0)
		return 128 + oc->signal;
	return oc->died > 0;
}

/* Prepare the workload of cf's mode, run it, and say how it went. */
static int
soak(const struct config *cf)
{
	const struct workload *wl = cf->mode == MODE_EXEC ? &workload_exec :
	    &workload_builtin;
	struct outcome oc;
	void *state = NULL;
	int status;

	switch (wl->prepare(cf, &state)) {
	case PREP_REFUSED:
		status = 2;
		break;
	case PREP_FAILED:
		status = 1;
		break;
	default:
		if (run_main(cf, wl, state, &oc) < 0)
			status = 1;
		else {
			if (oc.out_err != 0 && oc.out_err != EPIPE) {
				errno = oc.out_err;
				warn("stdout");
			}
			status = exit_status(&oc);
		}
	}
	wl->release(state);
	return status;
}

static void
config_free(struct config *cf)
{
	free(cf->segment);
	free(cf->db);
	free(cf->lock);
	free(cf->x.path);
	free(cf->x.log_dir);
	free(cf->x.telemetry);
	free(cf->x.env);
	free(cf->x.run_id_env);
}

int
main(int argc, char *argv[], char *envp[])
{
	struct config cf;
	struct names nm;
	char runid[64];
	int n, status;

	setproctitle_init(argc, argv, envp);
	/* getopt names the program after argv[0]: as err(3) does, by name. */
	argv[0] = program_invocation_short_name;
	defaults(&cf, &nm, runid, sizeof(runid));
	n = flags(argc, argv, &cf, &nm);
	argc -= n;
	argv += n;
	if (nm.symfile != NULL) {
		if (argc != 0) {
			warnx("--symbols %s takes no other operand: %s",
			    nm.symfile, argv[0]);
			usage();
		}
		return symbols_cmd(nm.symfile);
	}
	environment(&cf, &nm);
	check_flags(&cf, &nm, argc);
	if ((status = resolve(&cf, &nm, argv)) == 0)
		status = soak(&cf);
	config_free(&cf);
	return status;
}
