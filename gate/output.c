/*
 * output: the files soak-gate writes besides its report. Each is opened
 * (created, or truncated) before anything is printed, so a path that
 * cannot be written fails first; an exit 2 removes it again.
 */
#include <err.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input.h"
#include "output.h"

int
output_stdout(const struct output *out)
{
	return out->path != NULL && strcmp(out->path, "-") == 0;
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
