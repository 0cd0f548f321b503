/* hist: a log-linear histogram of microseconds: quantiles, bounded memory. */
#ifndef EXTRACT_HIST_H
#define EXTRACT_HIST_H

/*
 * Needs <stdint.h> included first.  HdrHistogram's layout: values below
 * 128 each have a bin of their own; above, each power of two is cut into
 * 64 bins of equal width, so a bin's middle is within 1/128 (under 0.8%)
 * of every value in it.  Memory grows with the powers of two used, never
 * with the values added.
 */
struct hist;

/* An empty histogram; NULL when out of memory. */
struct hist	*hist_new(void);
/* Free h; NULL is fine. */
void		 hist_free(struct hist *);

/* Count the value v once; returns 0, or -1 when out of memory. */
int		 hist_add(struct hist *, uint64_t v);
/* Add every count of src into dst; returns 0, or -1 when out of memory. */
int		 hist_merge(struct hist *dst, const struct hist *src);
/* The values counted. */
uint64_t	 hist_count(const struct hist *);
/*
 * The nearest-rank quantile q (0 to 1): the middle of the bin of v[i],
 * i = (n * q) rounded down and at most n - 1, with the n values sorted;
 * 0 when empty.
 */
uint64_t	 hist_quantile(const struct hist *, double q);

#endif
