/* work: read lines in chunks, parse them on threads, fold them in order. */
#ifndef EXTRACT_WORK_H
#define EXTRACT_WORK_H

/* Needs event.h included first. */

enum rec_kind {
	REC_BLANK,		/* only white space */
	REC_SKIPPED,		/* cannot match --run-id: not parsed */
	REC_MALFORMED,		/* reason says why */
	REC_EVENT		/* ev holds the event */
};

/* One line's outcome; valid during the fold call only. */
struct rec {
	enum rec_kind	 kind;
	const char	*reason;
	struct event	 ev;
};

/* Returns 0 to go on, -1 to stop reading. */
typedef int	(*work_fold)(void *arg, const struct rec *);

/* How work_fd() ended. */
enum work_end {
	WORK_DONE,		/* every line was folded */
	WORK_STOPPED,		/* the fold asked to stop */
	WORK_READ_ERROR,	/* errno says why */
	WORK_NOMEM
};

struct work;

/*
 * nthreads parser threads, or none: then lines are parsed as they are
 * read.  id, when not NULL, is a run id with one JSON spelling (see
 * filter_usable) whose lines alone are parsed.  NULL: out of memory.
 */
struct work	*work_new(int nthreads, const char *id, size_t idlen);
/* Stop the threads and free w; NULL is fine. */
void		 work_free(struct work *);

/* Fold every line of fd, in order, until the end or the fold stops. */
enum work_end	 work_fd(struct work *, int fd, work_fold, void *arg);

#endif
