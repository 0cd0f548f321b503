/* metrics: fold soak-events(5) events into one soak-metrics(5) document. */
#ifndef EXTRACT_METRICS_H
#define EXTRACT_METRICS_H

/* Needs event.h and <yajl/yajl_gen.h> included first. */
#define METRICS_MALFORMED_FIRST	10
#define METRICS_WINDOWS		10

struct metrics_opts {
	const char	*run_id;	/* keep only this run, or NULL */
	size_t		 run_id_len;
	const char	*op_cmd;	/* the operation cmd, or NULL */
	unsigned long long window;	/* lookups per window, 0: 10 windows */
	unsigned long long interval_ms;	/* timeline width, 0: the default */
};

struct metrics;

/* Empty metrics for the options (copied); NULL when out of memory. */
struct metrics	*metrics_new(const struct metrics_opts *);
/* Free m and all it holds; NULL is fine. */
void		 metrics_free(struct metrics *);

/* Count one line read; blank tells it held only white space. */
void		 metrics_read(struct metrics *, int blank);
/* Count a malformed line; lineno counts lines over all inputs from 1. */
void		 metrics_malformed(struct metrics *, unsigned long long lineno);
/* The width of the timeline's buckets, as the document says it. */
unsigned long long metrics_interval_ms(const struct metrics *);
/* The lines matched: events of the run analysed. */
unsigned long long metrics_matched(const struct metrics *);
/* Fold one parsed event in; returns 0, or -1 when out of memory. */
int		 metrics_event(struct metrics *, const struct event *);
/* Write the document; returns 0, or -1 on a yajl_gen error. */
int		 metrics_write(const struct metrics *, yajl_gen);

#endif
