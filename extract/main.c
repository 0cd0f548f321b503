/*
 * soak-extract: read soak-events(5) JSON Lines, write one soak-metrics(5)
 * document.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yajl/yajl_gen.h>

#include "event.h"
#include "filter.h"
#include "lines.h"
#include "metrics.h"

struct run {
	struct metrics	*m;
	struct parser	*p;
	const char	*id;		/* --run-id for the pre-filter, or NULL */
	size_t		 idlen;
	int		 strict, verbose;
	unsigned long long lineno;	/* over all inputs */
};

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: %s [-v] [--strict] [--run-id id] "
	    "[--op-cmd name] [--window n] [file ...]\n", getprogname());
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

static int
blank(const unsigned char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

/* Fold every line of fd in; returns 0, 1 (strict stop) or 2 (read error). */
static int
extract_fd(struct run *r, int fd, const char *name)
{
	struct lines *l;
	const unsigned char *line;
	const char *reason;
	unsigned long long fline = 0;
	struct event ev;
	size_t len;
	int got, rc, status = 0;

	if ((l = lines_new(fd)) == NULL)
		err(1, NULL);
	while ((got = lines_next(l, &line, &len)) == 1) {
		r->lineno++;
		fline++;
		if (line != NULL && blank(line, len)) {
			metrics_read(r->m, 1);
			continue;
		}
		metrics_read(r->m, 0);
		if (line != NULL && r->id != NULL &&
		    !filter_may_match(line, len, r->id, r->idlen))
			continue;
		if (line == NULL) {
			reason = "line longer than 16 MiB";
			rc = -1;
		} else
			rc = parser_line(r->p, line, len, &ev, &reason);
		if (rc == -2)
			errx(1, "out of memory");
		if (rc == 0) {
			if (metrics_event(r->m, &ev) == -1)
				errx(1, "out of memory");
			continue;
		}
		if (r->strict) {
			warnx("%s:%llu: %s", name, fline, reason);
			status = 1;
			break;
		}
		if (r->verbose)
			warnx("%s:%llu: %s (skipped)", name, fline, reason);
		metrics_malformed(r->m, r->lineno);
	}
	if (got == -1) {
		warn("%s", name);
		status = 2;
	}
	lines_free(l);
	return status;
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
		{ NULL,		0,			NULL,	0 }
	};
	struct metrics_opts o;
	struct run r;
	int ch, i, status = 0;

	memset(&o, 0, sizeof(o));
	memset(&r, 0, sizeof(r));
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
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;

	if (o.run_id != NULL && filter_usable(o.run_id, o.run_id_len)) {
		r.id = o.run_id;
		r.idlen = o.run_id_len;
	}
	if ((r.m = metrics_new(&o)) == NULL || (r.p = parser_new()) == NULL)
		errx(1, "out of memory");
	if (argc == 0)
		status = extract_file(&r, "-");
	for (i = 0; i < argc && status == 0; i++)
		status = extract_file(&r, argv[i]);
	if (status == 0)
		status = write_doc(r.m);
	parser_free(r.p);
	metrics_free(r.m);
	return status;
}
