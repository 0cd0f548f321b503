/*
 * input: a metrics document soak-gate reads, opened first (so that no
 * output can overwrite it), then read whole and parsed.
 */
#ifndef GATE_INPUT_H
#define GATE_INPUT_H

#include <sys/stat.h>

struct jnode;

/* One input: set name and path, the rest is input_open's. */
struct input {
	const char	*name;		/* in messages */
	const char	*path;		/* NULL: standard input */
	int		 fd;		/* -1: not open */
	struct stat	 st;		/* what fd is, once open */
};

/* Open in (standard input when path is NULL): 0, or -1 after a diagnostic. */
int input_open(struct input *);
/* Read in whole and close it: one JSON object, or NULL after a diagnostic. */
struct jnode *input_read(struct input *);
/* Whether st is the file of one of the n open inputs. */
int input_is(const struct input *, size_t n, const struct stat *st);
/* Close in when it is open; NULL is accepted. */
void input_close(struct input *);

#endif
