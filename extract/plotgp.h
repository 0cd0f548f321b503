/* plotgp: the gnuplot script and data files that draw soak-plot's pictures. */
#ifndef EXTRACT_PLOTGP_H
#define EXTRACT_PLOTGP_H

#include <stdio.h>

struct pl_doc;
struct pl_events;

/* The pictures, in the order drawn and listed. */
enum pl_pic { PIC_HIT_RATE, PIC_TIMELINE, PIC_DB_SIZE, PIC_LATENCY, PIC_N };

/* What the pictures are drawn from; ev NULL: latency from percentiles. */
struct pl_input {
	const struct pl_doc	*doc;
	const struct pl_events	*ev;
};

/* A unit of an axis: its name and how many of the input's units make one. */
struct pl_unit {
	const char	*name;
	double		 per;
};

/* A picture's file stem, such as "hit-rate". */
const char *pl_pic_name(enum pl_pic p);

/*
 * Write into the directory dirfd "plot.gp", which draws each picture p
 * with want[p] set as STEM.png and STEM.svg there, and the files it
 * reads. Returns 0, or -1 with errno set.
 */
int pl_gp_write(int dirfd, const struct pl_input *in, const int want[PIC_N]);

/* Open name in dirfd for writing (created, truncated); NULL with errno. */
FILE *pl_gp_open(int dirfd, const char *name);

/* Close fp, 0 when every write to it succeeded, else -1 with errno. */
int pl_gp_close(FILE *fp);

/*
 * s as a gnuplot single-quoted string, with at most max bytes of it:
 * bytes outside printable ASCII become '?', a longer s ends in "...".
 */
void pl_gp_str(FILE *fp, const char *s, size_t max);

/* cmd ("set title") with the line what and, under it, the run id of d. */
void pl_gp_title(FILE *fp, const char *cmd, const char *what,
    const struct pl_doc *d);

/*
 * Open a one-plot multiplot: the title what and the run id of d at the
 * top, under them the legend in rows rows across, then the plot.
 */
void pl_gp_head(FILE *fp, const char *what, const struct pl_doc *d,
    int rows);

/* v for a data file: NaN (gnuplot's undefined) when v is NAN. */
void pl_gp_num(FILE *fp, double v);

/* The unit of a time axis spanning span_ms: s, min or h. */
struct pl_unit pl_time_unit(double span_ms);

/* The unit of a size axis up to max bytes: bytes, KiB, MiB or GiB. */
struct pl_unit pl_bytes_unit(double max);

/* A step for about 5 to 10 tics over span, 1, 2 or 5 times a power of 10. */
double pl_tic_step(double span);

#endif
