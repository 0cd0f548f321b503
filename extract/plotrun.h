/* plotrun: soak-plot's temporary folder, gnuplot run in it, files moved out. */
#ifndef EXTRACT_PLOTRUN_H
#define EXTRACT_PLOTRUN_H

#include <limits.h>

/* A temporary folder, open. */
struct pl_tmp {
	char	path[PATH_MAX];
	int	fd;		/* -1 when there is none */
};

/*
 * Make a new folder soak-plot.XXXXXX under $TMPDIR (else /tmp) and open
 * it into *t. Returns 0, or -1 with errno set and t->fd -1.
 */
int pl_tmp_make(struct pl_tmp *t);

/* Remove the folder t and every file in it, if any. 0, or -1 with errno. */
int pl_tmp_remove(struct pl_tmp *t);

/*
 * From now on, SIGHUP, SIGINT and SIGTERM only say they came (and end
 * a running gnuplot), so that the caller can clean up first.
 */
void pl_catch(void);
/* The first signal pl_catch caught, 0 for none. */
int pl_caught(void);
/* End the process by the signal caught, if any; else return. */
void pl_reraise(void);

/*
 * Run "gnuplot -d plot.gp" in the folder t, its standard input
 * /dev/null and its standard output onto standard error, and wait.
 * Returns 0 with *status its wait status, or -1 with errno set when it
 * could not be run (EINTR: a signal pl_catch caught ended it).
 */
int pl_gnuplot(const struct pl_tmp *t, int *status);

/*
 * Move name from the folder t to the directory dirfd, replacing a file
 * of that name: renamed, else copied through a hidden file renamed
 * there. Returns 0, or -1 with errno set and nothing left in dirfd.
 */
int pl_move(const struct pl_tmp *t, const char *name, int dirfd);

#endif
