/* plotev: each cmd's timing_ms in a soak-events(5) stream, for soak-plot. */
#ifndef EXTRACT_PLOTEV_H
#define EXTRACT_PLOTEV_H

#include <stddef.h>

#define PLOTEV_MAX_LINE		(16UL * 1024 * 1024)
#define PLOTEV_MAX_DEPTH	64
#define PLOTEV_MAX_CMDS		256
#define PLOTEV_MAX_CMD_LEN	255

/* The timings of one cmd, sorted once pl_events_finish has run. */
struct pl_series {
	char	*cmd;
	double	*v;
	size_t	 n, cap;
};

/* The timings read so far and what was left out, line by line. */
struct pl_events {
	const char		*run_id;	/* kept; NULL: every run */
	int			 untagged;	/* lines without a run id kept */
	const char		*op_cmd;	/* the one soak.* cmd drawn */
	struct pl_series	*s;
	size_t			 ns, cap;
	unsigned long long	 lines;		/* read, blank ones too */
	unsigned long long	 timed;		/* in a series */
	unsigned long long	 malformed, first_malformed;
	unsigned long long	 toolong, first_toolong;
	unsigned long long	 other_run;	/* another run id, or none */
	unsigned long long	 other_cmds;	/* past PLOTEV_MAX_CMDS cmds */
};

/*
 * An empty set of timings that keeps the lines of run run_id (kept, not
 * copied), and those without a run id when untagged is set; run_id NULL
 * keeps every line. op_cmd (kept; NULL: none) is the operation's cmd,
 * drawn even when it starts with "soak.".
 */
void pl_events_init(struct pl_events *e, const char *run_id, int untagged,
    const char *op_cmd);

/*
 * Whether soak-plot draws cmd: any cmd but soak's own bookkeeping (those
 * starting with "soak."), the operation's op_cmd (NULL: none) aside.
 */
int pl_cmd_drawn(const char *cmd, const char *op_cmd);

/*
 * One line of len bytes (no newline): its timing_ms joins its cmd's
 * series when pl_cmd_drawn and no field is missing.
 * Returns 0, or -1 when out of memory.
 */
int pl_events_line(struct pl_events *e, const char *line, size_t len);

/*
 * Every line of fd, each at most PLOTEV_MAX_LINE bytes (longer ones are
 * counted and skipped). Returns 0, -1 on a read error (errno set), or -2
 * when out of memory.
 */
int pl_events_fd(struct pl_events *e, int fd);

/* Sort each series, and the series by count, the largest first. */
void pl_events_finish(struct pl_events *e);

/* Free what e holds; it may be used again after pl_events_init. */
void pl_events_free(struct pl_events *e);

/*
 * The corners of the empirical CDF of the n sorted values v, into x and
 * y (room for cap points, cap >= 2): from (v[0], 0) to (v[n-1], 1), each
 * (value, fraction of values at or below it), corners closer than 0.1%
 * in fraction and 1% in value merged. Returns the number written.
 */
size_t pl_cdf(const double *v, size_t n, double *x, double *y, size_t cap);

#endif
