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

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: %s [-v] [--strict] [--run-id id] "
	    "[--op-cmd name] [--window n] [file ...]\n"
	    "       %s --version\n", getprogname(), getprogname());
	exit(2);
}

static unsigned long long
windowflag(const char *s)
{
	const char *errstr;
	long long n;

	n = strtonum(s, 1, LLONG_MAX, &errstr);
	if (errstr != NULL)
		errx(2, "--window: %s is %s", s, errstr);
	return (unsigned long long)n;
}

/*
 * Parse the options into o and r; returns the index of the first operand,
 * or -1 for --version.
 */
static int
getopts(int argc, char *argv[], struct metrics_opts *o, struct run *r)
{
	static const struct option longopts[] = {
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
			o->window = windowflag(optarg);
			break;
		case 'V':
			return -1;
		default:
			usage();
		}
	}
	return optind;
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

static void
print_stdout(void *ctx, const char *s, size_t len)
{
	(void)ctx;
	fwrite(s, 1, len, stdout);
}

/* Write the document on stdout; returns 0, or -1 after a message. */
static int
write_doc(const struct metrics *m)
{
	yajl_gen g;
	int rc;

	if ((g = yajl_gen_alloc(NULL)) == NULL) {
		warnx("out of memory");
		return -1;
	}
	if (!yajl_gen_config(g, yajl_gen_beautify, 1) ||
	    !yajl_gen_config(g, yajl_gen_indent_string, "  ") ||
	    !yajl_gen_config(g, yajl_gen_print_callback, print_stdout, NULL))
		rc = -1;
	else
		rc = metrics_write(m, g);
	yajl_gen_free(g);
	if (rc == -1) {
		warnx("cannot write the metrics document");
		return -1;
	}
	if (fflush(stdout) == EOF || ferror(stdout)) {
		warn("stdout");
		return -1;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	struct metrics_opts o;
	struct run r;
	enum end end = END_OK;
	int i, status;

	memset(&o, 0, sizeof(o));
	memset(&r, 0, sizeof(r));
	/* A closed stdout ends us quietly, even if SIGPIPE came ignored. */
	signal(SIGPIPE, SIG_DFL);
	if ((i = getopts(argc, argv, &o, &r)) == -1) {
		printf("soak-extract %s\n", SOAK_VERSION);
		return fflush(stdout) == EOF ? 1 : 0;
	}

	if (o.run_id != NULL && filter_usable(o.run_id, o.run_id_len))
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
