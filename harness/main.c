/* soak-harness: put a SQLite-backed AST cache under concurrent load and
 * write what happened as soak-events(5) on stdout. */
#include <err.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "exec.h"
#include "files.h"
#include "key.h"
#include "run.h"
#include "symbols.h"

#define MAX_OPS 1000000000000LL
#define MAX_WORKERS 256
#define MAX_SEED 9007199254740991LL	/* 2^53 - 1: exact in every JSON reader */
#define MAX_MS 86400000LL
#define RUN_ID_MAX 200
#define MAX_CHAOS 10000

enum {
	OPT_DB = 256, OPT_KEEP, OPT_FILES, OPT_SEED, OPT_LOCK_TIMEOUT,
	OPT_LOCK_WAIT, OPT_JOURNAL, OPT_SYNC, OPT_BUSY, OPT_PROGRESS,
	OPT_SYMBOLS, OPT_VERSION, OPT_OP_CMD, OPT_ENV, OPT_RUN_ID_ENV,
	OPT_LOG_DIR, OPT_OP_TIMEOUT, OPT_TELEMETRY, OPT_FOLLOW, OPT_CLEAN,
	OPT_CHAOS
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
	{ "symbols", required_argument, NULL, OPT_SYMBOLS },
	{ "version", no_argument, NULL, OPT_VERSION },
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

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr,
	    "usage: soak-harness [-n ops] [-w workers] [-d seconds] [-r run_id]"
	    " [-s dir]\n"
	    "                    [--db path] [--keep] [--files n] [--seed n]\n"
	    "                    [--lock-timeout-ms n] [--lock-wait-ms n]\n"
	    "                    [--journal-mode delete | wal]\n"
	    "                    [--synchronous off | normal | full]\n"
	    "                    [--busy-timeout-ms n] [--progress]"
	    " [--chaos-kill n]\n"
	    "       soak-harness [-n ops] [-w workers] [-d seconds] [-r run_id]"
	    " [-s dir]\n"
	    "                    [--db path [--clean]] [--telemetry file"
	    " [--follow]]\n"
	    "                    [--op-cmd name] [--env name=value]"
	    " [--run-id-env name]\n"
	    "                    [--log-dir dir] [--op-timeout-ms n]"
	    " [--progress]\n"
	    "                    -- command [arg ...]\n"
	    "       soak-harness --symbols file\n"
	    "       soak-harness --version\n");
	exit(2);
}

/* A number from option name (or environment variable) within [lo, hi]. */
static long long
numflag(const char *name, const char *s, long long lo, long long hi)
{
	const char *errstr;
	long long v;

	v = strtonum(s, lo, hi, &errstr);
	if (errstr != NULL) {
		warnx("%s: \"%s\" is %s (%lld to %lld)", name, s, errstr, lo,
		    hi);
		usage();
	}
	return v;
}

static const char *
wordflag(const char *name, const char *s, const char *const *words)
{
	size_t i;

	for (i = 0; words[i] != NULL; i++)
		if (strcmp(s, words[i]) == 0)
			return words[i];
	warnx("%s: \"%s\" is not one of the choices", name, s);
	usage();
}

/* A run id: 1 to RUN_ID_MAX printable ASCII characters. */
static const char *
runidflag(const char *name, const char *s)
{
	const char *p;

	if (*s == '\0' || strlen(s) > RUN_ID_MAX)
		goto bad;
	for (p = s; *p; p++)
		if (*p <= ' ' || *p > '~')
			goto bad;
	return s;
bad:
	warnx("%s: \"%s\" must be 1 to %d printable characters without "
	    "blanks", name, s, RUN_ID_MAX);
	usage();
}

/* An environment variable name: [A-Za-z_][A-Za-z0-9_]*. */
static int
envname_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || (s[0] >= '0' && s[0] <= '9'))
		return 0;
	for (i = 0; i < len; i++)
		if (!(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
			return 0;
	return 1;
}

/* Append s to the list *v of *n strings. */
static void
listflag(const char *name, const char *s, char ***v, int *n, int pair)
{
	char **nv;
	size_t len = pair ? strcspn(s, "=") : strlen(s);

	if (!envname_ok(s, len) || (pair && s[len] != '=')) {
		warnx("%s: \"%s\" is not %s", name, s, pair ?
		    "NAME=VALUE with a valid name" : "a valid variable name");
		usage();
	}
	if ((nv = reallocarray(*v, (size_t)*n + 1, sizeof(*nv))) == NULL)
		err(1, NULL);
	nv[(*n)++] = (char *)s;
	*v = nv;
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

/* The absolute form of path, resolving "." and ".." of the folder part
 * when the folder exists; malloc'd. */
static char *
abspath(const char *path)
{
	char cwd[PATH_MAX], *out;

	if (path[0] == '/')
		return strdup(path);
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		return NULL;
	if (asprintf(&out, "%s/%s", cwd, path) < 0)
		return NULL;
	return out;
}

/* What the command line names before it is resolved. */
struct names {
	const char *segment, *db, *symfile, *log_dir, *telemetry;
	int ops_set;	/* -n or OPS given */
	int exec_opt;	/* an option of exec mode given */
};

static void
defaults(struct config *cf, struct names *nm, char *runid, size_t n)
{
	memset(cf, 0, sizeof(*cf));
	memset(nm, 0, sizeof(*nm));
	cf->ops = 10;
	cf->workers = 2;
	cf->files = 4;
	cf->seed = ((uint64_t)time(NULL) * 1000003u ^ (uint64_t)getpid()) &
	    (uint64_t)MAX_SEED;
	cf->lock_timeout_ms = 2000;
	cf->lock_wait_ms = 10;
	cf->busy_timeout_ms = 5000;
	cf->journal_mode = "delete";
	cf->synchronous = "full";
	cf->op_cmd = "soak.exec";
	snprintf(runid, n, "soak_%lld_%ld", (long long)time(NULL),
	    (long)getpid());
	cf->run_id = runid;
	nm->segment = ".";
}

/* OPS, WORKERS, RUN_ID and SEGMENT; the flags read later override them. */
static void
environment(struct config *cf, struct names *nm)
{
	const char *env;

	if ((env = getenv("OPS")) != NULL && *env) {
		cf->ops = numflag("OPS", env, 1, MAX_OPS);
		nm->ops_set = 1;
	}
	if ((env = getenv("WORKERS")) != NULL && *env)
		cf->workers = (int)numflag("WORKERS", env, 1, MAX_WORKERS);
	if ((env = getenv("RUN_ID")) != NULL && *env)
		cf->run_id = runidflag("RUN_ID", env);
	if ((env = getenv("SEGMENT")) != NULL && *env)
		nm->segment = env;
}

/* An option of exec mode; returns 0 when ch is none of them. */
static int
execflag(int ch, struct config *cf, struct names *nm)
{
	switch (ch) {
	case OPT_OP_CMD:
		if (*optarg == '\0') {
			warnx("--op-cmd: empty name");
			usage();
		}
		cf->op_cmd = optarg;
		break;
	case OPT_ENV:
		listflag("--env", optarg, &cf->env, &cf->nenv, 1);
		break;
	case OPT_RUN_ID_ENV:
		listflag("--run-id-env", optarg, &cf->run_id_env,
		    &cf->nrun_id_env, 0);
		break;
	case OPT_LOG_DIR:
		nm->log_dir = optarg;
		break;
	case OPT_OP_TIMEOUT:
		cf->op_timeout_ms = numflag("--op-timeout-ms", optarg, 1, MAX_MS);
		break;
	case OPT_TELEMETRY:
		nm->telemetry = optarg;
		break;
	case OPT_FOLLOW:
		cf->follow = 1;
		break;
	case OPT_CLEAN:
		cf->clean = 1;
		break;
	default:
		return 0;
	}
	nm->exec_opt = 1;
	return 1;
}

/* Read the options; returns optind. --version is done here. */
static int
flags(int argc, char *argv[], struct config *cf, struct names *nm)
{
	static const char *const journals[] = { "delete", "wal", NULL };
	static const char *const syncs[] = { "off", "normal", "full", NULL };
	int ch;

	while ((ch = getopt_long(argc, argv, "+n:w:d:r:s:", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'n':
			cf->ops = numflag("--ops", optarg, 1, MAX_OPS);
			nm->ops_set = 1;
			break;
		case 'w':
			cf->workers = (int)numflag("--workers", optarg, 1,
			    MAX_WORKERS);
			break;
		case 'd':
			cf->duration_s = numflag("--duration", optarg, 1,
			    31536000);
			break;
		case 'r':
			cf->run_id = runidflag("--run-id", optarg);
			break;
		case 's':
			nm->segment = optarg;
			break;
		case OPT_DB:
			nm->db = optarg;
			break;
		case OPT_KEEP:
			cf->keep = 1;
			break;
		case OPT_FILES:
			cf->files = numflag("--files", optarg, 1, 1000000);
			break;
		case OPT_SEED:
			cf->seed = (uint64_t)numflag("--seed", optarg, 0,
			    MAX_SEED);
			break;
		case OPT_LOCK_TIMEOUT:
			cf->lock_timeout_ms = numflag("--lock-timeout-ms",
			    optarg, 0, MAX_MS);
			break;
		case OPT_LOCK_WAIT:
			cf->lock_wait_ms = numflag("--lock-wait-ms", optarg, 0,
			    MAX_MS);
			break;
		case OPT_JOURNAL:
			cf->journal_mode = wordflag("--journal-mode", optarg,
			    journals);
			break;
		case OPT_SYNC:
			cf->synchronous = wordflag("--synchronous", optarg,
			    syncs);
			break;
		case OPT_BUSY:
			cf->busy_timeout_ms = numflag("--busy-timeout-ms",
			    optarg, 0, MAX_MS);
			break;
		case OPT_PROGRESS:
			cf->progress = 1;
			break;
		case OPT_CHAOS:
			cf->chaos_kills = (int)numflag("--chaos-kill", optarg,
			    0, MAX_CHAOS);
			break;
		case OPT_SYMBOLS:
			nm->symfile = optarg;
			break;
		case OPT_VERSION:
			printf("soak-harness %s\n", SOAK_VERSION);
			exit(fflush(stdout) != 0 || ferror(stdout));
		default:
			if (!execflag(ch, cf, nm))
				usage();
		}
	}
	return optind;
}

/* Options that only make sense together. */
static void
check_flags(const struct config *cf, const struct names *nm, int argc)
{
	if (argc == 0 && nm->exec_opt) {
		warnx("--op-cmd, --env, --run-id-env, --log-dir, "
		    "--op-timeout-ms, --telemetry, --follow and --clean need a "
		    "command");
		usage();
	}
	if (cf->follow && nm->telemetry == NULL) {
		warnx("--follow needs --telemetry");
		usage();
	}
	if (argc > 0 && cf->chaos_kills > 0) {
		warnx("--chaos-kill needs the built-in workload");
		usage();
	}
	if (cf->clean && nm->db == NULL) {
		warnx("--clean needs --db");
		usage();
	}
}

/* Make every path absolute; returns an exit status, 0 to go on. */
static int
resolve(struct config *cf, const struct names *nm)
{
	if ((cf->segment = realpath(nm->segment, NULL)) == NULL) {
		warn("%s", nm->segment);
		return 2;
	}
	key_segment_id(cf->segment, cf->segment_id);
	if (nm->db != NULL)
		cf->db = abspath(nm->db);
	else if (cf->argv == NULL && asprintf(&cf->db,
	    "%s/.soak/cache/ast_cache.db", cf->segment) < 0)
		cf->db = NULL;
	if ((cf->db == NULL && (nm->db != NULL || cf->argv == NULL)) ||
	    (cf->db != NULL && asprintf(&cf->lock, "%s.lock", cf->db) < 0))
		err(1, NULL);
	if ((nm->log_dir != NULL && (cf->log_dir = abspath(nm->log_dir)) ==
	    NULL) || (nm->telemetry != NULL &&
	    (cf->telemetry = abspath(nm->telemetry)) == NULL))
		err(1, NULL);
	return 0;
}

/* The built-in run: find and choose the files, then run. */
static int
builtin(const struct config *cf)
{
	struct fileset fs;
	char *skip, *slash, *real;
	int status;

	/* Leave the cache's own folder out of the key space. */
	if ((skip = strdup(cf->db)) == NULL)
		err(1, NULL);
	if ((slash = strrchr(skip, '/')) != NULL)
		*slash = '\0';
	if ((real = realpath(skip, NULL)) != NULL) {
		free(skip);
		skip = real;
	}
	if (files_find(cf->segment, skip, &fs) < 0) {
		warn("%s", cf->segment);
		free(skip);
		return 2;
	}
	free(skip);
	if (fs.n == 0) {
		warnx("%s: no .py, .c or .h files to soak", cf->segment);
		files_free(&fs);
		return 2;
	}
	files_choose(&fs, (size_t)cf->files, cf->seed);
	status = run_main(cf, &fs);
	files_free(&fs);
	return status;
}

static void
config_free(struct config *cf)
{
	free(cf->segment);
	free(cf->db);
	free(cf->lock);
	free(cf->path);
	free(cf->log_dir);
	free(cf->telemetry);
	free(cf->env);
	free(cf->run_id_env);
}

int
main(int argc, char *argv[], char *envp[])
{
	struct config cf;
	struct names nm;
	char runid[64];
	int n, status;

	setproctitle_init(argc, argv, envp);
	defaults(&cf, &nm, runid, sizeof(runid));
	environment(&cf, &nm);
	n = flags(argc, argv, &cf, &nm);
	argc -= n;
	argv += n;
	if (nm.symfile != NULL) {
		if (argc != 0)
			usage();
		return symbols_cmd(nm.symfile);
	}
	check_flags(&cf, &nm, argc);
	if (cf.duration_s > 0 && !nm.ops_set)
		cf.ops = -1;
	if (argc > 0) {
		cf.argv = argv;
		if ((cf.path = exec_find(argv[0], getenv("PATH"))) == NULL) {
			warnx("%s: command not found", argv[0]);
			config_free(&cf);
			return 2;
		}
	}
	if ((status = resolve(&cf, &nm)) == 0 &&
	    (status = run_prepare(&cf)) == 0)
		status = cf.argv != NULL ? run_main(&cf, NULL) : builtin(&cf);
	config_free(&cf);
	return status;
}
