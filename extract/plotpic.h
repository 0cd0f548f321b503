/* plotpic: one gnuplot script and its data per picture of soak-plot. */
#ifndef EXTRACT_PLOTPIC_H
#define EXTRACT_PLOTPIC_H

struct pl_input;

/*
 * Each writes into the directory dirfd STEM.gp, which draws the picture
 * on the terminal already set, and the data STEM.dat it reads. Each
 * returns 0, or -1 with errno set.
 */

/* The hit rate of each progression window. */
int pl_pic_hit_rate(int dirfd, const struct pl_input *in);
/* Operations per second, p50 and p95, and lock waits over the timeline. */
int pl_pic_timeline(int dirfd, const struct pl_input *in);
/* The database's and the WAL's peak size over the timeline. */
int pl_pic_db_size(int dirfd, const struct pl_input *in);
/* The latency CDF of each cmd, from the events or the percentiles. */
int pl_pic_latency(int dirfd, const struct pl_input *in);

#endif
