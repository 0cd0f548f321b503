/*
 * output: a file soak-gate writes besides its report (--json), opened
 * before anything is printed and removed again when soak-gate exits 2.
 */
#ifndef GATE_OUTPUT_H
#define GATE_OUTPUT_H

#include <sys/types.h>

#include <stddef.h>
#include <stdio.h>

struct input;

/* One output: set opt and path, the rest is output_open's. */
struct output {
	const char	*opt;		/* the option, in messages */
	const char	*path;		/* NULL: not asked; "-": stdout */
	FILE		*fp;		/* open from output_open to _close */
	int		 regular;	/* a regular file, removed on discard */
	int		 opened;	/* output_open succeeded */
	int		 to_stdout;	/* a path that is standard output's pipe */
	dev_t		 dev;		/* the file opened, once opened */
	ino_t		 ino;
};

/*
 * Open out->path (emptied), unless it is one of the n inputs, a
 * soak-metrics document, or a regular file that one of the nprev outputs
 * opened before it writes, or standard output does when stdout_used. A
 * path that is standard output's pipe or socket (/dev/stdout) is written
 * as "-" is, unless one of the nprev outputs is on standard output
 * already. 0, or -1 (warned).
 */
int output_open(struct output *, const struct input *, size_t n,
    const struct output *prev, size_t nprev, int stdout_used);
/* Whether out goes to standard output ("-", or a path that is its
 * pipe once opened). */
int output_stdout(const struct output *);
/* Flush and close out (stdout stays open): 0, or -1 after a diagnostic. */
int output_close(struct output *);
/* Close out and remove the regular file it opened: no verdict is left. */
void output_discard(struct output *);

#endif
