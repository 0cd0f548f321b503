/* plotpic: the hit-rate, timeline and database-size pictures of soak-plot. */
#include <math.h>
#include <stdio.h>

#include "plotdoc.h"
#include "plotgp.h"
#include "plotpic.h"

/* Lines over more buckets than this draw no points: they would blot. */
#define PIC_MAX_POINTS	60

/* The larger of m and v, v ignored when NAN. */
static double
peak(double m, double v)
{
	return isnan(v) || v <= m ? m : v;
}

/* v, or 0 when NAN: a count the document left out adds nothing. */
static double
or0(double v)
{
	return isnan(v) ? 0 : v;
}

/* A window's lookups: as given, else its hits and misses. */
static double
window_lookups(const struct pl_window *w)
{
	if (!isnan(w->lookups))
		return w->lookups;
	return or0(w->hits) + or0(w->misses);
}

/*
 * hit-rate.dat: index 0 each window's (first lookup, hit rate %) and the
 * end of the last, for steps; index 1 each window's middle. Sets *total
 * to the lookups and *lo to the lowest rate (100 when none).
 */
static void
hit_rate_data(FILE *fp, const struct pl_doc *d, double *total, double *lo)
{
	double at = 0, r = NAN;
	size_t i, k;

	*lo = 100;
	for (k = 0; k < 2; k++) {
		fprintf(fp, "%s# %s\n", k ? "\n\n" : "", k ? "middle, %" :
		    "first lookup, %");
		for (at = 0, i = 0; i < d->nprog; i++) {
			r = d->prog[i].hit_rate * 100;
			*lo = isnan(r) || r >= *lo ? *lo : r;
			pl_gp_num(fp, at + (k ? window_lookups(&d->prog[i]) /
			    2 : 0));
			putc(' ', fp);
			pl_gp_num(fp, r);
			putc('\n', fp);
			at += window_lookups(&d->prog[i]);
		}
		if (k == 0 && d->nprog > 0) {
			pl_gp_num(fp, at);
			putc(' ', fp);
			pl_gp_num(fp, r);
			putc('\n', fp);
		}
	}
	*total = at;
}

/* A horizontal line at rate (0 to 1) titled name and its value. */
static void
rate_line(FILE *fp, double rate, const char *name, int lt)
{
	char t[96];

	if (isnan(rate))
		return;
	snprintf(t, sizeof(t), "%s: %.2f%%", name, rate * 100);
	fprintf(fp, ", \\\n    %.9g with lines lt %d dt 2 lw 1.5 title ",
	    rate * 100, lt);
	pl_gp_str(fp, t, sizeof(t));
}

/* hit-rate.gp: the y range from lo (%), or the run's rates when lower, to
 * 100; the lines, the legend. */
static void
hit_rate_script(FILE *fp, const struct pl_doc *d, double total, double lo)
{
	char t[96];
	double step;

	/* The whole run's dashed lines are in the range too. */
	if (d->hit_rate * 100 < lo)
		lo = d->hit_rate * 100;
	if (d->hit_rate_warm * 100 < lo)
		lo = d->hit_rate_warm * 100;
	lo = lo < 50 ? 0 : floor((lo - 5) / 10) * 10;
	step = pl_tic_step(100 - lo);
	fputs("reset\nset grid\n", fp);
	pl_gp_head(fp, "Cache hit rate per progression window", d, 1);
	fputs("set xlabel 'cache lookups so far (stream order)'\n"
	    "set ylabel 'hit rate (%)'\n", fp);
	fprintf(fp, "set yrange [%g:%g]\nset ytics %g, %g, 100\n", lo,
	    100 + (100 - lo) * 0.04, lo, step);
	if (total == 0) {
		fputs("set xrange [0:1]\nset label 1 'no cache lookups in "
		    "this run' at graph 0.5, 0.5 center\nplot NaN notitle\n",
		    fp);
		return;
	}
	fprintf(fp, "set xrange [0:%.9g]\n", total);
	snprintf(t, sizeof(t), "each of %zu windows", d->nprog);
	fputs("plot 'hit-rate.dat' index 0 using 1:2 with steps lt 1 "
	    "title ", fp);
	pl_gp_str(fp, t, sizeof(t));
	fputs(", \\\n    '' index 1 using 1:2 with points lt 1 notitle", fp);
	rate_line(fp, d->hit_rate, "whole run", 2);
	rate_line(fp, d->hit_rate_warm, "warm lookups only", 3);
	putc('\n', fp);
}

int
pl_pic_hit_rate(int dirfd, const struct pl_input *in)
{
	double total, lo;
	FILE *fp;

	if ((fp = pl_gp_open(dirfd, "hit-rate.dat")) == NULL)
		return -1;
	hit_rate_data(fp, in->doc, &total, &lo);
	if (pl_gp_close(fp) == -1 ||
	    (fp = pl_gp_open(dirfd, "hit-rate.gp")) == NULL)
		return -1;
	hit_rate_script(fp, in->doc, total, lo);
	return pl_gp_close(fp);
}

/* The sums and peaks of a timeline that set its ranges and legend. */
struct tl_sums {
	double	lock_waits, lock_timeouts, errors, failed;
	double	ops_peak, lat_peak, rate_peak;
};

/*
 * One row of timeline.dat: start and middle (in u), then ops, p50, p95,
 * lock waits, lock timeouts, cache errors and failed ops per second.
 */
static void
timeline_row(FILE *fp, const struct pl_bucket *b, double start, double w,
    struct pl_unit u, int last)
{
	double per = 1000 / w, v[7];
	size_t i;

	v[0] = b->ops * per;
	v[1] = last ? NAN : b->p50;
	v[2] = last ? NAN : b->p95;
	v[3] = b->lock_waits * per;
	v[4] = b->lock_timeouts * per;
	v[5] = b->errors * per;
	v[6] = b->failed * per;
	pl_gp_num(fp, start / u.per);
	putc(' ', fp);
	pl_gp_num(fp, (start + w / 2) / u.per);
	for (i = 0; i < 7; i++) {
		putc(' ', fp);
		pl_gp_num(fp, v[i]);
	}
	putc('\n', fp);
}

/* timeline.dat, one row per bucket and one at the end; fills *s. */
static void
timeline_data(FILE *fp, const struct pl_doc *d, struct pl_unit u,
    struct tl_sums *s)
{
	const struct pl_bucket *b;
	double per = 1000 / d->interval_ms;
	size_t i;

	fputs("# start mid ops/s p50 p95 waits/s timeouts/s errors/s "
	    "failed/s\n", fp);
	for (i = 0; i < d->ntl; i++) {
		b = &d->tl[i];
		timeline_row(fp, b, b->t_ms, d->interval_ms, u, 0);
		s->lock_waits += or0(b->lock_waits);
		s->lock_timeouts += or0(b->lock_timeouts);
		s->errors += or0(b->errors);
		s->failed += or0(b->failed);
		s->ops_peak = peak(s->ops_peak, b->ops * per);
		s->lat_peak = peak(peak(s->lat_peak, b->p95), b->p50);
		s->rate_peak = peak(peak(peak(peak(s->rate_peak,
		    b->lock_waits * per), b->lock_timeouts * per),
		    b->errors * per), b->failed * per);
	}
	b = &d->tl[d->ntl - 1];
	timeline_row(fp, b, b->t_ms + d->interval_ms, d->interval_ms, u, 1);
}

/* A y range from 0 with room above peak for the eye. */
static double
headroom(double peak_v)
{
	return peak_v > 0 ? peak_v * 1.15 : 1;
}

/*
 * One step line of the lower panel: column col, named with the run's
 * total (NAN: not known, the buckets' sum drawn is), and how many of
 * those had no time stamp when the buckets hold fewer; dt, gnuplot's
 * dash type, lets a line drawn over an equal one show it through, and
 * the first line drawn is wider than those drawn over it.
 */
static void
rate_steps(FILE *fp, int col, const char *name, double drawn, double total,
    int lt, int dt, int first)
{
	char t[128];

	if (isnan(total) || total <= drawn)
		snprintf(t, sizeof(t), "%s/s (%.0f in all)", name, drawn);
	else
		snprintf(t, sizeof(t), "%s/s (%.0f in all, %.0f without a ts)",
		    name, total, total - drawn);
	fprintf(fp, "%s'timeline.dat' using 1:%d with steps lt %d dt %d "
	    "lw %s title ", first ? "plot " : ", \\\n    ", col, lt, dt,
	    first ? "3.5" : dt == 1 ? "1.5" : "2");
	pl_gp_str(fp, t, sizeof(t));
}

/* The upper panel of timeline.gp: operations per second, p50 and p95. */
static void
timeline_upper(FILE *fp, const struct pl_doc *d, const struct tl_sums *s)
{
	char t[128];

	fprintf(fp, "set tmargin at screen 0.83\nset bmargin at screen 0.50\n"
	    "set key at screen 0.5, screen 0.87 center center horizontal "
	    "samplen 3 width -4\n"
	    "set format x ''\nunset xlabel\n"
	    "set ylabel 'operations per second'\n"
	    "set y2label 'latency (ms)'\nset ytics nomirror\nset y2tics\n"
	    "set yrange [0:%.9g]\nset y2range [0:%.9g]\n",
	    headroom(s->ops_peak), headroom(s->lat_peak));
	if (s->ops_peak == 0)
		fputs("set label 1 'no operations in the timeline' at graph "
		    "0.5, 0.5 center\n", fp);
	snprintf(t, sizeof(t), "operations/s (%s)",
	    d->op_cmd != NULL ? d->op_cmd : "the op cmd");
	fputs("plot 'timeline.dat' using 1:3 with fillsteps fs solid 0.2 "
	    "noborder lt 6 notitle, \\\n"
	    "    '' using 1:3 with steps lt 6 title ", fp);
	pl_gp_str(fp, t, 80);
	/* Points as well as lines, so that a bucket whose neighbours have
	 * no latency still shows its own; small ones when there are many. */
	fprintf(fp, ", \\\n    '' using 2:5 axes x1y2 with linespoints lt 2 "
	    "pt 7 ps %s title 'p95 latency (right axis)', \\\n"
	    "    '' using 2:4 axes x1y2 with linespoints lt 1 dt 2 pt 6 ps %s "
	    "title 'p50 latency (right axis)'\n",
	    d->ntl > PIC_MAX_POINTS ? "0.3" : "0.8",
	    d->ntl > PIC_MAX_POINTS ? "0.3" : "0.8");
}

/* The lower panel of timeline.gp: lock waits and failures per second. */
static void
timeline_lower(FILE *fp, const struct pl_doc *d, const struct tl_sums *s,
    struct pl_unit u)
{
	fprintf(fp, "set tmargin at screen 0.40\nset bmargin at screen 0.12\n"
	    "set key at screen 0.5, screen 0.445 center center horizontal "
	    "samplen 3 width -4\n"
	    "set format x '%%g'\n"
	    "set xlabel 'time since the first event (%s; buckets of "
	    "%.9g ms)'\n"
	    "set ylabel 'events per second'\nunset y2label\nunset y2tics\n"
	    "set ytics mirror\nset yrange [0:%.9g]\n", u.name,
	    d->interval_ms, headroom(s->rate_peak));
	fputs("unset label 1\n", fp);
	/* Failures often equal the lock timeouts bucket for bucket (a
	 * timeout fails its operation): dashed over solid, both show; and
	 * timeouts over the wider waits, which they equal when every wait
	 * times out. */
	rate_steps(fp, 6, "lock waits", s->lock_waits, d->lock_wait, 5, 1, 1);
	rate_steps(fp, 7, "lock timeouts", s->lock_timeouts, d->lock_timeout,
	    2, 1, 0);
	if (s->errors > 0 || d->errors > 0)
		rate_steps(fp, 8, "cache errors", s->errors, d->errors, 4, 3,
		    0);
	if (s->failed > 0 || d->ops_failed > 0)
		rate_steps(fp, 9, "failed operations", s->failed,
		    d->ops_failed, 7, 2, 0);
	putc('\n', fp);
}

/* timeline.gp: two panels over one time axis, one title above both. */
static void
timeline_script(FILE *fp, const struct pl_doc *d, const struct tl_sums *s,
    struct pl_unit u)
{
	double end = (d->tl[d->ntl - 1].t_ms + d->interval_ms) / u.per;

	fputs("reset\n", fp);
	pl_gp_title(fp, "set multiplot title",
	    "Throughput, latency and lock waits over the run", d);
	fprintf(fp, "set grid\n"
	    "set lmargin at screen 0.09\nset rmargin at screen 0.91\n"
	    "set xrange [0:%.9g]\n", end);
	timeline_upper(fp, d, s);
	timeline_lower(fp, d, s, u);
}

int
pl_pic_timeline(int dirfd, const struct pl_input *in)
{
	const struct pl_doc *d = in->doc;
	struct tl_sums s = { 0, 0, 0, 0, 0, 0, 0 };
	struct pl_unit u;
	FILE *fp;

	u = pl_time_unit(d->tl[d->ntl - 1].t_ms + d->interval_ms);
	if ((fp = pl_gp_open(dirfd, "timeline.dat")) == NULL)
		return -1;
	timeline_data(fp, d, u, &s);
	if (pl_gp_close(fp) == -1 ||
	    (fp = pl_gp_open(dirfd, "timeline.gp")) == NULL)
		return -1;
	timeline_script(fp, d, &s, u);
	return pl_gp_close(fp);
}

/*
 * db-size.dat: index 0 the database's peak size per bucket (middle, in
 * b), index 1 the WAL's, only the buckets that have one. Sets n[0], n[1]
 * to the rows of each and top[0], top[1] to the largest of each, in bytes.
 */
static void
db_size_data(FILE *fp, const struct pl_doc *d, struct pl_unit t,
    struct pl_unit b, size_t n[2], double top[2])
{
	const struct pl_bucket *k;
	double v;
	size_t i, j;

	for (j = 0; j < 2; j++) {
		fprintf(fp, "%s# middle, %s peak\n", j ? "\n\n" : "",
		    j ? "WAL" : "database");
		for (top[j] = 0, n[j] = 0, i = 0; i < d->ntl; i++) {
			k = &d->tl[i];
			if (isnan(v = j ? k->wal_bytes : k->db_bytes))
				continue;
			top[j] = peak(top[j], v);
			pl_gp_num(fp, (k->t_ms + d->interval_ms / 2) / t.per);
			putc(' ', fp);
			pl_gp_num(fp, v / b.per);
			putc('\n', fp);
			n[j]++;
		}
	}
}

/*
 * db-size.gp: a line for each file that has sizes, its largest in the
 * legend (a small database beside a large WAL reads as 0 on their
 * axis); a WAL that was never there (0 throughout) is left out.
 */
static void
db_size_script(FILE *fp, const struct pl_doc *d, struct pl_unit t,
    struct pl_unit b, const size_t n[2], const double top[2])
{
	static const char *const what[2] = {
		"database file, peak in each bucket",
		"WAL file, peak in each bucket"
	};
	const char *with = d->ntl > PIC_MAX_POINTS ? "lines" : "linespoints";
	struct pl_unit u;
	size_t j;
	int first = 1;

	fputs("reset\nset grid\n", fp);
	pl_gp_head(fp, "Database and WAL size over the run", d, 1);
	fprintf(fp, "set xlabel 'time since the first event (%s)'\n"
	    "set ylabel 'size (%s)'\nset xrange [0:%.9g]\n"
	    "set yrange [0:*]\nset offsets 0, 0, graph 0.1, 0\n", t.name,
	    b.name, (d->tl[d->ntl - 1].t_ms + d->interval_ms) / t.per);
	for (j = 0; j < 2; j++) {
		if (n[j] == 0 || (j == 1 && top[j] == 0 && n[0] > 0))
			continue;
		u = pl_bytes_unit(top[j]);
		fprintf(fp, "%s'db-size.dat' index %zu using 1:2 with %s "
		    "lt %zu title '%s (largest %.3g %s)'", first ? "plot " :
		    ", \\\n    ", j, with, j + 1, what[j], top[j] / u.per,
		    u.name);
		first = 0;
	}
	putc('\n', fp);
}

int
pl_pic_db_size(int dirfd, const struct pl_input *in)
{
	const struct pl_doc *d = in->doc;
	struct pl_unit t, b;
	double max = 0, top[2];
	size_t i, n[2];
	FILE *fp;

	for (i = 0; i < d->ntl; i++)
		max = peak(peak(max, d->tl[i].db_bytes), d->tl[i].wal_bytes);
	t = pl_time_unit(d->tl[d->ntl - 1].t_ms + d->interval_ms);
	b = pl_bytes_unit(max);
	if ((fp = pl_gp_open(dirfd, "db-size.dat")) == NULL)
		return -1;
	db_size_data(fp, d, t, b, n, top);
	if (pl_gp_close(fp) == -1 ||
	    (fp = pl_gp_open(dirfd, "db-size.gp")) == NULL)
		return -1;
	db_size_script(fp, d, t, b, n, top);
	return pl_gp_close(fp);
}
