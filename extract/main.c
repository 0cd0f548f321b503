/*
 * soak-extract: read soak-events(5) JSON Lines, write one soak-metrics(5)
 * document.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yajl/yajl_gen.h>

#include "event.h"
#include "filter.h"
#include "layout.h"
#include "metrics.h"
#include "work.h"

/* How reading the inputs ended. */
enum end {
	END_OK,			/* every input read */
	END_STRICT,		/* --strict and a malformed line */
	END_UNREADABLE,		/* an input could not be opened or read */
	END_NOMEM
};

struct run {
	struct metrics	*m;
	struct work	*w;
	const char	*name;		/* of the input being read */
	int		 strict, verbose;
	enum end	 stop;		/* why the fold stopped */
	unsigned long long lineno;	/* over all inputs */
	unsigned long long fline;	/* in this input */
};

#define WINDOW_MAX	1000000000LL	/* lookups in a progression window */
#define INTERVAL_MAX	86400000LL	/* ms in a timeline bucket: a day */

/* What the options asked for besides the work. */
enum info { INFO_NONE, INFO_HELP, INFO_VERSION };

/* The SYNOPSIS of soak-extract(1), word for word. */
static void
usage(FILE *fp)
{
	fprintf(fp, "usage: %s [-v] [--strict] [--run-id id] "
	    "[--op-cmd name] [--window n] [--interval ms]\n"
	    "                    [file ...]\n"
	    "       %s --help\n"
	    "       %s --version\n", getprogname(), getprogname(),
	    getprogname());
}

/* The number for option name, from lo to hi, or exit 2 saying why not. */
static long long
numflag(const char *name, const char *s, long long lo, long long hi)
{
	const char *errstr;
	long long n;

	n = strtonum(s, lo, hi, &errstr);
	if (errstr != NULL)
		errx(2, "%s: \"%s\" is %s (%lld to %lld)", name, s, errstr, lo,
		    hi);
	return n;
}

/* --help or --version: print it; returns the exit status. */
static int
info(enum info what)
{
	if (what == INFO_HELP)
		usage(stdout);
	else
		printf("soak-extract %s\n", SOAK_VERSION);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		warn("stdout");
		return 1;
	}
	return 0;
}

/*
 * Parse the options into o and r; returns the index of the first operand,
 * with *what set for --help or --version.
 */
static int
getopts(int argc, char *argv[], struct metrics_opts *o, struct run *r,
    enum info *what)
{
	static const struct option longopts[] = {
		{ "help",	no_argument,		NULL,	'h' },
		{ "interval",	required_argument,	NULL,	'i' },
		{ "op-cmd",	required_argument,	NULL,	'o' },
		{ "run-id",	required_argument,	NULL,	'r' },
		{ "strict",	no_argument,		NULL,	's' },
		{ "verbose",	no_argument,		NULL,	'v' },
		{ "window",	required_argument,	NULL,	'w' },
		{ "version",	no_argument,		NULL,	'V' },
		{ NULL,		0,			NULL,	0 }
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "v", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			*what = INFO_HELP;
			return optind;
		case 'i':
			o->interval_ms = (unsigned long long)numflag(
			    "--interval", optarg, 1, INTERVAL_MAX);
			break;
		case 'o':
			if (*optarg == '\0')
				errx(2, "--op-cmd: empty name");
			o->op_cmd = optarg;
			break;
		case 'r':
			o->run_id = optarg;
			o->run_id_len = strlen(optarg);
			break;
		case 's':
			r->strict = 1;
			break;
		case 'v':
			r->verbose = 1;
			break;
		case 'w':
			o->window = (unsigned long long)numflag("--window",
			    optarg, 1, WINDOW_MAX);
			break;
		case 'V':
			*what = INFO_VERSION;
			return optind;
		default:
			usage(stderr);
			exit(2);
		}
	}
	return optind;
}

/* Refuse an empty file operand before reading anything: exit 2. */
static void
empty_paths(int argc, char *argv[])
{
	int i;

	for (i = 0; i < argc; i++)
		if (*argv[i] == '\0')
			errx(2, "operand %d: empty path", i + 1);
}

/* Count one line; returns 0 to go on, -1 to stop with r->stop set. */
static int
extract_rec(void *arg, const struct rec *rec)
{
	struct run *r = arg;

	r->lineno++;
	r->fline++;
	metrics_read(r->m, rec->kind == REC_BLANK);
	switch (rec->kind) {
	case REC_BLANK:
	case REC_SKIPPED:
		break;
	case REC_MALFORMED:
		if (r->strict) {
			warnx("%s:%llu: %s", r->name, r->fline, rec->reason);
			r->stop = END_STRICT;
			return -1;
		}
		if (r->verbose)
			warnx("%s:%llu: %s (skipped)", r->name, r->fline,
			    rec->reason);
		metrics_malformed(r->m, r->lineno);
		break;
	case REC_EVENT:
		if (metrics_event(r->m, &rec->ev) == -1) {
			r->stop = END_NOMEM;
			return -1;
		}
		break;
	}
	return 0;
}

/* Fold every line of fd in. */
static enum end
extract_fd(struct run *r, int fd, const char *name)
{
	r->name = name;
	r->fline = 0;
	switch (work_fd(r->w, fd, extract_rec, r)) {
	case WORK_DONE:
		return END_OK;
	case WORK_STOPPED:
		return r->stop;
	case WORK_READ_ERROR:
		warn("%s", name);
		return END_UNREADABLE;
	case WORK_NOMEM:
		break;
	}
	return END_NOMEM;
}

static enum end
extract_file(struct run *r, const char *path)
{
	enum end end;
	int fd;

	if (strcmp(path, "-") == 0)
		return extract_fd(r, STDIN_FILENO, "<stdin>");
	if ((fd = open(path, O_RDONLY)) == -1) {
		warn("%s", path);
		return END_UNREADABLE;
	}
	end = extract_fd(r, fd, path);
	close(fd);
	return end;
}

/* Parser threads: one per processor we may run on, at most 4; none for 1. */
static int
nthreads(void)
{
	cpu_set_t set;
	int n;

	if (sched_getaffinity(0, sizeof(set), &set) == -1)
		return 0;
	n = CPU_COUNT(&set);
	return n <= 1 ? 0 : n > 4 ? 4 : n;
}

/* Write the document on stdout; returns 0, or -1 after a message. */
static int
write_doc(const struct metrics *m)
{
	struct layout *l;
	yajl_gen g = NULL;
	int rc = -1;

	if ((l = layout_new(stdout)) == NULL ||
	    (g = yajl_gen_alloc(NULL)) == NULL) {
		layout_free(l);
		warnx("out of memory");
		return -1;
	}
	if (yajl_gen_config(g, yajl_gen_print_callback, layout_print, l) &&
	    metrics_write(m, g) == 0)
		rc = layout_end(l);
	yajl_gen_free(g);
	layout_free(l);
	if (rc == -1 && !ferror(stdout)) {
		warnx("cannot write the metrics document");
		return -1;
	}
	if (fflush(stdout) == EOF || ferror(stdout)) {
		warn("stdout");
		return -1;
	}
	return 0;
}

/*
 * An input with no line at all, a run id that matched nothing, or an
 * interval too narrow for the run, is said, not only written.
 */
static void
warn_doc(const struct run *r, const struct metrics_opts *o)
{
	if (r->lineno == 0)
		warnx("warning: no line read");
	else if (o->run_id != NULL && metrics_matched(r->m) == 0)
		warnx("warning: run id \"%s\" matched no line of %llu read",
		    o->run_id, r->lineno);
	if (o->interval_ms != 0 && metrics_interval_ms(r->m) != o->interval_ms)
		warnx("warning: --interval %llu: more than 10000 buckets; "
		    "%llu ms used", o->interval_ms, metrics_interval_ms(r->m));
}

int
main(int argc, char *argv[])
{
	struct metrics_opts o;
	struct run r;
	enum end end = END_OK;
	enum info what = INFO_NONE;
	int i, status;

	memset(&o, 0, sizeof(o));
	memset(&r, 0, sizeof(r));
	/* A closed stdout ends us quietly, even if SIGPIPE came ignored. */
	signal(SIGPIPE, SIG_DFL);
	/* getopt names the program after argv[0]: as err(3) does, by name. */
	argv[0] = program_invocation_short_name;
	i = getopts(argc, argv, &o, &r, &what);
	if (what != INFO_NONE)
		return info(what);
	empty_paths(argc - i, argv + i);

	/* -v and --strict must see every malformed line: all are parsed. */
	if (o.run_id != NULL && !r.strict && !r.verbose &&
	    filter_usable(o.run_id, o.run_id_len))
		r.w = work_new(nthreads(), o.run_id, o.run_id_len);
	else
		r.w = work_new(nthreads(), NULL, 0);
	if (r.w == NULL || (r.m = metrics_new(&o)) == NULL)
		errx(1, "out of memory");
	if (i == argc)
		end = extract_file(&r, "-");
	for (; i < argc && end == END_OK; i++)
		end = extract_file(&r, argv[i]);

	switch (end) {
	case END_OK:
		warn_doc(&r, &o);
		status = write_doc(r.m) == -1 ? 1 : 0;
		break;
	case END_STRICT:
		status = 1;
		break;
	case END_UNREADABLE:
		status = 2;
		break;
	default:
		errx(1, "out of memory");
	}
	work_free(r.w);
	metrics_free(r.m);
	return status;
}
