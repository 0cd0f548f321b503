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

struct run {
	struct metrics	*m;
	struct work	*w;
	const char	*name;		/* of the input being read */
	int		 strict, verbose;
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

/* Count one line; returns 0 to go on, 1 to stop (--strict), -2 no memory. */
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
			return 1;
		}
		if (r->verbose)
			warnx("%s:%llu: %s (skipped)", r->name, r->fline,
			    rec->reason);
		metrics_malformed(r->m, r->lineno);
		break;
	case REC_EVENT:
		if (metrics_event(r->m, &rec->ev) == -1)
			return -2;
		break;
	}
	return 0;
}

/* Fold every line of fd in; returns 0, 1 (strict stop) or 2 (read error). */
static int
extract_fd(struct run *r, int fd, const char *name)
{
	r->name = name;
	r->fline = 0;
	switch (work_fd(r->w, fd, extract_rec, r)) {
	case 0:
		return 0;
	case 1:
		return 1;
	case -1:
		warn("%s", name);
		return 2;
	default:
		errx(1, "out of memory");
	}
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

static int
extract_file(struct run *r, const char *path)
{
	int fd, status;

	if (strcmp(path, "-") == 0)
		return extract_fd(r, STDIN_FILENO, "<stdin>");
	if ((fd = open(path, O_RDONLY)) == -1) {
		warn("%s", path);
		return 2;
	}
	status = extract_fd(r, fd, path);
	close(fd);
	return status;
}

static void
print_stdout(void *ctx, const char *s, size_t len)
{
	(void)ctx;
	fwrite(s, 1, len, stdout);
}

static int
write_doc(const struct metrics *m)
{
	yajl_gen g;
	int rc;

	if ((g = yajl_gen_alloc(NULL)) == NULL)
		errx(1, "out of memory");
	yajl_gen_config(g, yajl_gen_beautify, 1);
	yajl_gen_config(g, yajl_gen_indent_string, "  ");
	yajl_gen_config(g, yajl_gen_print_callback, print_stdout, NULL);
	rc = metrics_write(m, g);
	yajl_gen_free(g);
	if (rc == -1) {
		warnx("cannot write the metrics document");
		return 1;
	}
	if (fflush(stdout) == EOF || ferror(stdout)) {
		warn("stdout");
		return 1;
	}
	return 0;
}

int
main(int argc, char *argv[])
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
	struct metrics_opts o;
	struct run r;
	int ch, i, status = 0;

	memset(&o, 0, sizeof(o));
	memset(&r, 0, sizeof(r));
	/* A closed stdout ends us quietly, even if SIGPIPE came ignored. */
	signal(SIGPIPE, SIG_DFL);
	while ((ch = getopt_long(argc, argv, "v", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			if (*optarg == '\0')
				errx(2, "--op-cmd: empty name");
			o.op_cmd = optarg;
			break;
		case 'r':
			o.run_id = optarg;
			o.run_id_len = strlen(optarg);
			break;
		case 's':
			r.strict = 1;
			break;
		case 'v':
			r.verbose = 1;
			break;
		case 'w':
			o.window = windowflag(optarg);
			break;
		case 'V':
			printf("soak-extract %s\n", SOAK_VERSION);
			return fflush(stdout) == EOF ? 1 : 0;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;

	if (o.run_id != NULL && filter_usable(o.run_id, o.run_id_len))
		r.w = work_new(nthreads(), o.run_id, o.run_id_len);
	else
		r.w = work_new(nthreads(), NULL, 0);
	if (r.w == NULL || (r.m = metrics_new(&o)) == NULL)
		errx(1, "out of memory");
	if (argc == 0)
		status = extract_file(&r, "-");
	for (i = 0; i < argc && status == 0; i++)
		status = extract_file(&r, argv[i]);
	if (status == 0)
		status = write_doc(r.m);
	work_free(r.w);
	metrics_free(r.m);
	return status;
}
