/* stats: an exact distribution of numbers, kept as value -> count. */
#ifndef EXTRACT_STATS_H
#define EXTRACT_STATS_H

/* Memory grows with the number of distinct values only. */
struct stats;

/* An empty distribution; NULL when out of memory. */
struct stats	*stats_new(void);
/* Free s; NULL is fine. */
void		 stats_free(struct stats *);

/* Add one value; returns 0, or -1 when out of memory. */
int		 stats_add(struct stats *, double);
/* The values added, and how many of them are distinct. */
unsigned long long stats_count(const struct stats *);
size_t		 stats_distinct(const struct stats *);

/*
 * The nearest-rank quantile: with the n values sorted as v[0..n-1], the value
 * v[i] with i = (size_t)(n * q) in double arithmetic, capped at n - 1.
 * Fills out[k] for each of the nq quantiles q[k]; returns -1 when empty.
 */
int		 stats_quantiles(const struct stats *, const double *q,
		    double *out, size_t nq);
/* The largest value, or 0 when empty. */
double		 stats_max(const struct stats *);

#endif
