/*
 * soak-plot: draw a soak-metrics(5) document, and its soak-events(5)
 * stream when given, as pictures with gnuplot. Exit 0 drawn, 1 gnuplot
 * failed, 2 usage, bad input or I/O.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "plotdoc.h"
#include "plotev.h"
#include "plotgp.h"
#include "plotrun.h"

enum { OPT_HELP = 256, OPT_VERSION };
enum action { ACT_RUN, ACT_HELP, ACT_VERSION };

/* What the command line asks for. */
struct opts {
	enum action	 action;
	const char	*dir;		/* -o, NULL: the current one */
	const char	*metrics;	/* "-": standard input */
	const char	*events;	/* NULL: none */
};

/* Each picture in two formats, in the order listed. */
static const char *const formats[] = { "png", "svg" };

/* The synopsis of soak-plot(1) on fp. */
static void
usage(FILE *fp)
{
	const char *p = program_invocation_short_name;

	fprintf(fp, "usage: %s [-o dir] metrics.json [events.jsonl]\n"
	    "       %s --help\n"
	    "       %s --version\n", p, p, p);
}

/* The options into o; -1 after a diagnostic and the usage. */
static int
options(struct opts *o, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help",	no_argument,	NULL, OPT_HELP },
		{ "version",	no_argument,	NULL, OPT_VERSION },
		{ NULL,		0,		NULL, 0 }
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			if (*optarg == '\0') {
				warnx("-o: empty path");
				return -1;
			}
			o->dir = optarg;
			break;
		case OPT_HELP:
			o->action = ACT_HELP;
			return 0;
		case OPT_VERSION:
			o->action = ACT_VERSION;
			return 0;
		default:
			/* getopt_long has named the option. */
			usage(stderr);
			return -1;
		}
	}
	return 0;
}

/* The operands: a metrics document, then perhaps the events; 0 or -1. */
static int
operands(struct opts *o, int argc, char *argv[])
{
	if (argc == 0)
		warnx("no metrics document given");
	else if (argc > 2)
		warnx("a metrics document and an events file at most, "
		    "%d given", argc);
	else if (argc == 2 && strcmp(argv[0], "-") == 0 &&
	    strcmp(argv[1], "-") == 0)
		warnx("standard input given twice");
	else if (*argv[0] == '\0' || (argc == 2 && *argv[1] == '\0')) {
		warnx("operand %d: empty path", *argv[0] == '\0' ? 1 : 2);
		return -1;
	} else {
		o->metrics = argv[0];
		o->events = argc == 2 ? argv[1] : NULL;
		return 0;
	}
	usage(stderr);
	return -1;
}

/* The name of an operand in messages. */
static const char *
input_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

/* Open path for reading, "-" standard input; -1 after a diagnostic. */
static int
open_input(const char *path)
{
	int fd;

	if (strcmp(path, "-") == 0)
		return STDIN_FILENO;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		warn("%s", path);
	return fd;
}

/* The output directory, open; -1 after a diagnostic. */
static int
open_dir(const struct opts *o)
{
	const char *dir = o->dir != NULL ? o->dir : ".";
	int fd;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		warn("%s", dir);
	return fd;
}

/*
 * All of fd, up to one byte past PLOTDOC_MAX_BYTES, into *buf (NUL
 * ended; the caller frees it) and *len. Returns 0, or -1 after a
 * diagnostic naming name.
 */
static int
read_all(int fd, const char *name, char **buf, size_t *len)
{
	size_t cap = 0;
	ssize_t n;
	char *nb;

	*buf = NULL;
	*len = 0;
	for (;;) {
		if (cap - *len < 65537) {
			cap = cap ? cap * 2 : 65536 * 4;
			if ((nb = realloc(*buf, cap)) == NULL) {
				warnx("out of memory");
				return -1;
			}
			*buf = nb;
		}
		n = read(fd, *buf + *len, cap - *len - 1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			warn("%s", name);
			return -1;
		}
		if (n == 0)
			break;
		if ((*len += (size_t)n) > PLOTDOC_MAX_BYTES) {
			warnx("%s: larger than %lu MiB", name,
			    PLOTDOC_MAX_BYTES / (1024 * 1024));
			return -1;
		}
	}
	(*buf)[*len] = '\0';
	return 0;
}

/* The metrics document into *d. Returns 0, or -1 after a diagnostic. */
static int
read_metrics(const struct opts *o, struct pl_doc *d)
{
	const char *name = input_name(o->metrics);
	char *buf = NULL, err[512];
	size_t len;
	int fd, rc = -1;

	if ((fd = open_input(o->metrics)) == -1)
		return -1;
	if (read_all(fd, name, &buf, &len) == 0) {
		if ((rc = pl_doc_parse(buf, len, name, d, err,
		    sizeof(err))) == -1)
			warnx("%s", err);
	}
	free(buf);
	if (fd != STDIN_FILENO)
		close(fd);
	return rc;
}

/* Say what reading the events left out. */
static void
events_notes(const char *name, const struct pl_events *e)
{
	if (e->malformed == 1)
		warnx("%s:%llu: malformed JSON (skipped)", name,
		    e->first_malformed);
	else if (e->malformed > 1)
		warnx("%s:%llu: malformed JSON (skipped, and %llu more)",
		    name, e->first_malformed, e->malformed - 1);
	if (e->toolong == 1)
		warnx("%s:%llu: longer than %lu MiB (skipped)", name,
		    e->first_toolong, PLOTEV_MAX_LINE / (1024 * 1024));
	else if (e->toolong > 1)
		warnx("%s:%llu: longer than %lu MiB (skipped, and %llu more)",
		    name, e->first_toolong, PLOTEV_MAX_LINE / (1024 * 1024),
		    e->toolong - 1);
	if (e->other_run > 0 && e->timed > 0)
		warnx("%s: %llu lines of other runs%s left out", name,
		    e->other_run, e->untagged ? "" : " or of none");
	if (e->other_cmds > 0)
		warnx("%s: more than %d cmds: %llu lines of the others left "
		    "out", name, PLOTEV_MAX_CMDS, e->other_cmds);
}

/*
 * The events into *e, the lines of d's run. Returns 0, or -1 after a
 * diagnostic: unreadable, or not one timed line to draw.
 */
static int
read_events(const struct opts *o, const struct pl_doc *d,
    struct pl_events *e)
{
	const char *name = input_name(o->events);
	int fd, rc;

	if ((fd = open_input(o->events)) == -1)
		return -1;
	rc = pl_events_fd(e, fd);
	if (rc == -1)
		warn("%s", name);
	else if (rc == -2)
		warnx("out of memory");
	if (fd != STDIN_FILENO)
		close(fd);
	if (rc != 0)
		return -1;
	events_notes(name, e);
	if (e->timed == 0 && e->other_run > 0) {
		warnx("%s: no timed line of run \"%s\" (%llu lines of other "
		    "runs%s)", name, d->run_id, e->other_run, e->untagged ? "" :
		    " or of none");
		return -1;
	}
	if (e->timed == 0) {
		warnx("%s: no timed line of a cmd to draw (%llu lines read)",
		    name, e->lines);
		return -1;
	}
	pl_events_finish(e);
	return 0;
}

/* The path of picture file name as the user will see it. */
static void
out_path(const struct opts *o, const char *name, char *buf, size_t len)
{
	size_t n;

	if (o->dir == NULL) {
		snprintf(buf, len, "%s", name);
		return;
	}
	n = strlen(o->dir);
	snprintf(buf, len, "%s%s%s", o->dir, n > 0 && o->dir[n - 1] == '/' ?
	    "" : "/", name);
}

/* Run gnuplot in t: 0 drawn, 1 after a diagnostic, 2 when a signal came. */
static int
run_gnuplot(const struct pl_tmp *t)
{
	int st;

	if (pl_gnuplot(t, &st) == -1) {
		if (errno == EINTR)
			return 2;
		warn("gnuplot");
		return 1;
	}
	if (WIFSIGNALED(st)) {
		warnx("gnuplot killed by signal %d (%s)", WTERMSIG(st),
		    strsignal(WTERMSIG(st)));
		return 1;
	}
	if (WEXITSTATUS(st) != 0) {
		warnx("gnuplot exited with status %d", WEXITSTATUS(st));
		return 1;
	}
	return 0;
}

/* The picture files: PNG and SVG of each picture wanted, in order. */
struct outs {
	char	name[PIC_N * 2][32];
	size_t	n;
};

/* The pictures to draw: the database one only when there are sizes. */
static void
list_files(const struct pl_doc *d, int want[PIC_N], struct outs *f)
{
	size_t i;
	int p;

	for (p = 0; p < PIC_N; p++)
		want[p] = p != PIC_DB_SIZE || pl_doc_has_sizes(d);
	f->n = 0;
	for (p = 0; p < PIC_N; p++)
		for (i = 0; want[p] && i < 2; i++)
			snprintf(f->name[f->n++], sizeof(f->name[0]), "%s.%s",
			    pl_pic_name(p), formats[i]);
}

/* Whether gnuplot drew every file: 0, or 1 after a diagnostic. */
static int
check_drawn(const struct pl_tmp *t, const struct outs *f)
{
	struct stat sb;
	size_t i;

	for (i = 0; i < f->n; i++)
		if (fstatat(t->fd, f->name[i], &sb, 0) == -1 ||
		    sb.st_size == 0) {
			warnx("gnuplot drew no %s", f->name[i]);
			return 1;
		}
	return 0;
}

/*
 * Move every file out of t into outfd: 0, or 2 after a diagnostic with
 * the ones already moved removed again.
 */
static int
move_out(const struct opts *o, const struct pl_tmp *t,
    const struct outs *f, int outfd)
{
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < f->n; i++) {
		if (pl_move(t, f->name[i], outfd) == 0)
			continue;
		out_path(o, f->name[i], path, sizeof(path));
		warn("%s", path);
		while (i-- > 0)
			unlinkat(outfd, f->name[i], 0);
		return 2;
	}
	return 0;
}

/*
 * Draw: the script and data into a new temporary folder, gnuplot run
 * there, the pictures moved to outfd, the folder removed. Returns the
 * exit status: 0 drawn, 1 gnuplot failed, 2 I/O or a signal.
 */
static int
draw(const struct opts *o, const struct pl_input *in, const int want[PIC_N],
    const struct outs *f, int outfd)
{
	struct pl_tmp t;
	int rc = 2;

	pl_catch();
	if (pl_tmp_make(&t) == -1) {
		warn("%s", t.path);
		return 2;
	}
	if (pl_gp_write(t.fd, in, want) == -1)
		warn("%s", t.path);
	else if (!pl_caught() && (rc = run_gnuplot(&t)) == 0 &&
	    (rc = check_drawn(&t, f)) == 0)
		rc = move_out(o, &t, f, outfd);
	if (pl_tmp_remove(&t) == -1) {
		warn("%s", t.path);
		rc = rc != 0 ? rc : 2;
	}
	return pl_caught() ? 2 : rc;
}

/* The paths written, one a line, stdout flushed: 0, or 2 after a diagnostic. */
static int
print_paths(const struct opts *o, const struct outs *f)
{
	char path[PATH_MAX];
	size_t i;

	for (i = 0; f != NULL && i < f->n; i++) {
		out_path(o, f->name[i], path, sizeof(path));
		puts(path);
	}
	if (fflush(stdout) == EOF || ferror(stdout)) {
		warn("stdout");
		return 2;
	}
	return 0;
}

/* --help and --version: the usage or the version on stdout. */
static int
inform(enum action a)
{
	if (a == ACT_HELP)
		usage(stdout);
	else
		printf("soak-plot %s\n", SOAK_VERSION);
	return print_paths(NULL, NULL);
}

int
main(int argc, char *argv[])
{
	struct opts o = { ACT_RUN, NULL, NULL, NULL };
	struct pl_doc d;
	struct pl_events ev;
	struct pl_input in = { &d, NULL };
	struct outs f;
	int want[PIC_N], outfd = -1, status = 2;

	/* A closed stdout ends us quietly, even if SIGPIPE came ignored. */
	signal(SIGPIPE, SIG_DFL);
	/* getopt names the program after argv[0]: as err(3) does, by name. */
	argv[0] = program_invocation_short_name;
	memset(&d, 0, sizeof(d));
	pl_events_init(&ev, NULL, 1, NULL);
	if (options(&o, argc, argv) == -1)
		return 2;
	if (o.action != ACT_RUN)
		return inform(o.action);
	if (operands(&o, argc - optind, argv + optind) == -1 ||
	    (outfd = open_dir(&o)) == -1 || read_metrics(&o, &d) == -1)
		goto done;
	pl_events_init(&ev, d.run_id, d.untagged, d.op_cmd);
	if (o.events != NULL) {
		if (read_events(&o, &d, &ev) == -1)
			goto done;
		in.ev = &ev;
	}
	list_files(&d, want, &f);
	if ((status = draw(&o, &in, want, &f, outfd)) == 0)
		status = print_paths(&o, &f);
done:
	if (outfd != -1)
		close(outfd);
	pl_events_free(&ev);
	pl_doc_free(&d);
	pl_reraise();
	return status;
}
