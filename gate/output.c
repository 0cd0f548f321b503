/*
 * output: the files soak-gate writes besides its report. Each is opened
 * (created, or truncated) before anything is printed, so a path that
 * cannot be written fails first; an exit 2 removes it again.
 */
#include <err.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doc.h"
#include "input.h"
#include "output.h"

/* A file past this size is no metrics document soak-gate would read. */
#define OUTPUT_PEEK_MAX (64L * 1024 * 1024)

int
output_stdout(const struct output *out)
{
	return out->to_stdout ||
	    (out->path != NULL && strcmp(out->path, "-") == 0);
}

/*
 * Whether the regular file path (st, the one opened) holds a
 * soak-metrics document: what an output option followed by the metrics
 * file, its own argument forgotten, would otherwise overwrite. A file
 * that cannot be read is taken as none.
 */
static int
output_is_metrics(const char *path, const struct stat *st)
{
	const struct jnode *schema;
	struct jnode *doc;
	unsigned char *buf;
	const char *text;
	struct stat rs;
	char err[128];
	size_t len;
	ssize_t n = -1;
	int fd, r = 0;

	if (st->st_size == 0 || st->st_size > OUTPUT_PEEK_MAX)
		return 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	if (fstat(fd, &rs) == 0 && rs.st_dev == st->st_dev &&
	    rs.st_ino == st->st_ino &&
	    (buf = malloc((size_t)st->st_size)) != NULL) {
		n = pread(fd, buf, (size_t)st->st_size, 0);
	} else
		buf = NULL;
	close(fd);
	if (n > 0 &&
	    (doc = doc_parse(buf, (size_t)n, err, sizeof(err))) != NULL) {
		schema = doc_get(doc, "schema");
		if (schema != NULL && doc_type(schema) == J_STRING) {
			text = doc_string(schema, &len);
			r = len >= 13 && strncmp(text, "soak-metrics/", 13) == 0;
		}
		doc_free(doc);
	}
	free(buf);
	return r;
}

/* The option of the first of prev[0..nprev) on standard output, or NULL. */
static const char *
output_on_stdout(const struct output *prev, size_t nprev)
{
	size_t i;

	for (i = 0; i < nprev; i++)
		if (output_stdout(&prev[i]))
			return prev[i].opt;
	return NULL;
}

/*
 * Whether st, not a regular file, is where standard output goes and a
 * pipe or socket (as /dev/stdout is under a pipe): written through
 * stdout then, as "-" is, so that the text report moves out of its way.
 * A terminal or device takes any number of writers as it is.
 */
static int
output_is_stdout(const struct stat *st)
{
	struct stat so;

	return !S_ISREG(st->st_mode) && !S_ISCHR(st->st_mode) &&
	    fstat(STDOUT_FILENO, &so) == 0 && so.st_dev == st->st_dev &&
	    so.st_ino == st->st_ino;
}

/* Make an open fd out's FILE, truncated when it is a regular file. */
static int
output_fdopen(struct output *out, int fd, const struct stat *st)
{
	out->regular = S_ISREG(st->st_mode);
	if ((out->regular && ftruncate(fd, 0) == -1) ||
	    (out->fp = fdopen(fd, "w")) == NULL) {
		warn("%s", out->path);
		close(fd);
		return -1;
	}
	out->opened = 1;
	return 0;
}

/*
 * Whether the regular file st is written by another: the name of an
 * output of prev[0..nprev) that has it, or "standard output" when stdout
 * (used) goes to it; else NULL. A device, such as /dev/null, may take
 * any number of writers.
 */
static const char *
output_same(const struct output *prev, size_t nprev, const struct stat *st,
    int stdout_used)
{
	struct stat so;
	size_t i;

	if (!S_ISREG(st->st_mode))
		return NULL;
	for (i = 0; i < nprev; i++)
		if (prev[i].fp != NULL && prev[i].fp != stdout &&
		    prev[i].dev == st->st_dev && prev[i].ino == st->st_ino)
			return prev[i].opt;
	if (stdout_used && fstat(STDOUT_FILENO, &so) == 0 &&
	    so.st_dev == st->st_dev && so.st_ino == st->st_ino)
		return "standard output";
	return NULL;
}

int
output_open(struct output *out, const struct input *in, size_t n,
    const struct output *prev, size_t nprev, int stdout_used)
{
	const char *same;
	struct stat st;
	int fd;

	if (out->path == NULL)
		return 0;
	if (output_stdout(out)) {
		/* Two "-" are refused by the options; a path that was found
		 * to be standard output's pipe is refused here. */
		if ((same = output_on_stdout(prev, nprev)) != NULL) {
			warnx("%s: \"-\": standard output is taken by %s",
			    out->opt, same);
			return -1;
		}
		out->fp = stdout;
		out->opened = 1;
		return 0;
	}
	/* Not truncated yet: it might be the input. */
	if ((fd = open(out->path, O_WRONLY | O_CREAT | O_CLOEXEC, 0666)) == -1 ||
	    fstat(fd, &st) == -1) {
		warn("%s", out->path);
		if (fd != -1)
			close(fd);
		return -1;
	}
	if (input_is(in, n, &st)) {
		warnx("%s: %s would overwrite an input", out->path, out->opt);
		close(fd);
		return -1;
	}
	if (S_ISREG(st.st_mode) && output_is_metrics(out->path, &st)) {
		warnx("%s: %s would overwrite a soak-metrics document",
		    out->path, out->opt);
		close(fd);
		return -1;
	}
	if (output_is_stdout(&st)) {
		close(fd);
		if ((same = output_on_stdout(prev, nprev)) != NULL) {
			warnx("%s: %s: standard output is taken by %s",
			    out->path, out->opt, same);
			return -1;
		}
		out->fp = stdout;
		out->to_stdout = out->opened = 1;
		return 0;
	}
	if ((same = output_same(prev, nprev, &st, stdout_used)) != NULL) {
		warnx("%s: %s would overwrite %s%s", out->path, out->opt, same,
		    *same == '-' ? "'s output" : "");
		close(fd);
		return -1;
	}
	out->dev = st.st_dev;
	out->ino = st.st_ino;
	return output_fdopen(out, fd, &st);
}

int
output_close(struct output *out)
{
	FILE *fp = out->fp;
	int rc = 0;

	if (fp == NULL)
		return 0;
	/* Standard output is flushed, so that its error comes before the
	 * text report, and left open. */
	if (fp == stdout) {
		if (fflush(fp) == EOF || ferror(fp)) {
			warn("stdout");
			return -1;
		}
		return 0;
	}
	out->fp = NULL;
	if (fflush(fp) == EOF) {
		warn("%s", out->path);
		rc = -1;
	}
	if (fclose(fp) == EOF && rc == 0) {
		warn("%s", out->path);
		rc = -1;
	}
	return rc;
}

void
output_discard(struct output *out)
{
	if (out->fp != NULL && out->fp != stdout)
		fclose(out->fp);
	out->fp = NULL;
	if (out->opened && out->regular)
		unlink(out->path);
	out->opened = 0;
}
