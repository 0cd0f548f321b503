/* plotcdf: soak-plot's latency picture, a CDF per cmd on a log time axis. */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plotdoc.h"
#include "plotev.h"
#include "plotgp.h"
#include "plotpic.h"

/* More lines than this would not tell apart; the most frequent win. */
#define CDF_MAX_LINES	8
#define CDF_MAX_POINTS	4096
/* The longest cmd a legend entry shows whole, in two columns and in one:
 * a longer one loses its middle, so that its count stays, the legend
 * fits, and cmds that differ at the end still differ. */
#define CDF_NAME_TWO	40
#define CDF_NAME_ONE	80

/* One line of the picture: its points, name and size. */
struct cdf_line {
	const char	*cmd;
	double		 n;
	double		*x, *y;
	size_t		 k;
};

/* The lines to draw and the x range they span. */
struct cdf {
	struct cdf_line	 line[CDF_MAX_LINES];
	size_t		 nline, ncmd;	/* drawn, and cmds there are */
	double		 lo, hi;	/* smallest value above 0, largest */
	int		 zero;		/* some value is 0 */
	double		*buf;
};

/* Widen c's x range by the values x[0..k-1]. */
static void
cdf_range(struct cdf *c, const double *x, size_t k)
{
	size_t i;

	for (i = 0; i < k; i++) {
		if (isnan(x[i]))
			continue;
		if (x[i] <= 0)
			c->zero = 1;
		if (x[i] > 0 && (c->lo == 0 || x[i] < c->lo))
			c->lo = x[i];
		if (x[i] > c->hi)
			c->hi = x[i];
	}
}

/* The lines from the events: each series' CDF corners. 0, or -1 no memory. */
static int
cdf_from_events(struct cdf *c, const struct pl_events *e)
{
	struct cdf_line *l;
	size_t i;

	c->ncmd = e->ns;
	c->nline = e->ns < CDF_MAX_LINES ? e->ns : CDF_MAX_LINES;
	if ((c->buf = calloc(c->nline * 2 * CDF_MAX_POINTS,
	    sizeof(double))) == NULL && c->nline > 0)
		return -1;
	for (i = 0; i < c->nline; i++) {
		l = &c->line[i];
		l->cmd = e->s[i].cmd;
		l->n = (double)e->s[i].n;
		l->x = c->buf + 2 * i * CDF_MAX_POINTS;
		l->y = l->x + CDF_MAX_POINTS;
		l->k = pl_cdf(e->s[i].v, e->s[i].n, l->x, l->y,
		    CDF_MAX_POINTS);
		cdf_range(c, l->x, l->k);
	}
	return 0;
}

/* The larger count first, equal ones by name. */
static int
cmp_pctl(const void *a, const void *b)
{
	const struct pl_pctl *p = *(const struct pl_pctl *const *)a;
	const struct pl_pctl *q = *(const struct pl_pctl *const *)b;
	double m = isnan(p->count) ? 0 : p->count;
	double n = isnan(q->count) ? 0 : q->count;

	if (m != n)
		return m > n ? -1 : 1;
	return strcmp(p->cmd, q->cmd);
}

/* One line through p's known percentiles, as steps. */
static void
cdf_pctl_line(struct cdf_line *l, const struct pl_pctl *p)
{
	const double v[4] = { p->p50, p->p95, p->p99, p->max };
	const double f[4] = { 0.5, 0.95, 0.99, 1 };
	size_t j;

	l->cmd = p->cmd;
	l->n = p->count;
	for (l->k = 0, j = 0; j < 4; j++) {
		if (isnan(v[j]))
			continue;
		l->x[l->k] = v[j];
		l->y[l->k++] = f[j];
	}
}

/* The lines from latency_ms's percentiles. 0, or -1 when out of memory. */
static int
cdf_from_pctl(struct cdf *c, const struct pl_doc *d)
{
	const struct pl_pctl **by;
	size_t i;

	c->ncmd = d->nlat;
	c->nline = d->nlat < CDF_MAX_LINES ? d->nlat : CDF_MAX_LINES;
	if (d->nlat == 0)
		return 0;
	if ((by = calloc(d->nlat, sizeof(*by))) == NULL ||
	    (c->buf = calloc(c->nline * 8, sizeof(double))) == NULL) {
		free(by);
		return -1;
	}
	for (i = 0; i < d->nlat; i++)
		by[i] = &d->lat[i];
	qsort(by, d->nlat, sizeof(*by), cmp_pctl);
	for (i = 0; i < c->nline; i++) {
		c->line[i].x = c->buf + 8 * i;
		c->line[i].y = c->line[i].x + 4;
		cdf_pctl_line(&c->line[i], by[i]);
		cdf_range(c, c->line[i].x, c->line[i].k);
	}
	free(by);
	return 0;
}

/* latency-cdf.dat: one index per line, a value of 0 drawn at zero_at. */
static void
cdf_data(FILE *fp, const struct cdf *c, double zero_at)
{
	const struct cdf_line *l;
	size_t i, j;

	for (i = 0; i < c->nline; i++) {
		l = &c->line[i];
		fprintf(fp, "%s# line %zu: ms, fraction at or below\n",
		    i ? "\n\n" : "", i);
		for (j = 0; j < l->k; j++) {
			pl_gp_num(fp, l->x[j] > 0 ? l->x[j] : zero_at);
			putc(' ', fp);
			pl_gp_num(fp, l->y[j]);
			putc('\n', fp);
		}
	}
}

/* The title of the picture: where the lines come from, how many. */
static void
cdf_title(FILE *fp, const struct cdf *c, const struct pl_input *in)
{
	char t[200];
	int n;

	n = snprintf(t, sizeof(t), in->ev != NULL ?
	    "Latency CDF per cmd, from timing_ms of each line of the events" :
	    "Latency per cmd: steps through p50, p95, p99 and max of "
	    "latency_ms (no events given)");
	if (c->ncmd > c->nline && n > 0 && (size_t)n < sizeof(t))
		snprintf(t + n, sizeof(t) - (size_t)n, ", the %zu most "
		    "frequent of %zu cmds", c->nline, c->ncmd);
	/* Two columns of legend when there are more than two lines. */
	pl_gp_head(fp, t, in->doc, c->nline > 2 ? (int)(c->nline + 1) / 2 :
	    1);
}

/*
 * Where the x axis's decades begin: the decade below lo, so that a curve
 * starting there, even at a power of ten, stands clear of the border.
 * A value of 0 is drawn half a decade lower, at a tick marked 0, and the
 * axis begins a quarter decade below that. 0 when no value is above 0.
 */
static double
cdf_floor(const struct cdf *c)
{
	double f;

	if (!(c->hi > 0))
		return 0;
	f = pow(10, floor(log10(c->lo)));
	return f >= c->lo ? f / 10 : f;
}

/* Where a value of 0 is drawn (see cdf_floor). */
static double
cdf_zero_at(const struct cdf *c)
{
	return cdf_floor(c) / sqrt(10);
}

/* The x axis: log scale over whole decades around lo and hi, each clear
 * of the border. */
static void
cdf_axis(FILE *fp, const struct cdf *c)
{
	double lo, hi;

	if (!(c->hi > 0)) {
		fputs("set xlabel 'latency (ms)'\nset xrange [0:1]\n", fp);
		return;
	}
	lo = c->zero ? cdf_floor(c) / pow(10, 0.75) : cdf_floor(c);
	hi = pow(10, ceil(log10(c->hi)));
	if (hi <= c->hi)
		hi *= 10;
	/* Past 1e308 the next decade is no double: the largest one ends it. */
	if (!isfinite(hi))
		hi = DBL_MAX;
	fprintf(fp, "set xlabel 'latency (ms, log scale)'\nset logscale x 10\n"
	    "set format x '%%g'\nset xrange [%.9g:%.9g]\n", lo, hi);
	if (c->zero)
		fprintf(fp, "set xtics add ('0' %.9g)\n", cdf_zero_at(c));
}

/* latency-cdf.gp: one line per cmd, the percentiles marked on the right. */
static void
cdf_script(FILE *fp, const struct cdf *c, const struct pl_input *in)
{
	const char *with = in->ev != NULL ? "steps" : "steps lw 2";
	char t[PLOTEV_MAX_CMD_LEN + 32];
	size_t i, len, max = c->nline > 2 ? CDF_NAME_TWO : CDF_NAME_ONE;
	const char *cmd;
	int n;

	fputs("reset\nset grid\n", fp);
	cdf_title(fp, c, in);
	cdf_axis(fp, c);
	fputs("set ylabel 'fraction of lines at or below'\n"
	    "set yrange [0:1.02]\nset ytics 0, 0.1, 1 nomirror\n"
	    "set y2range [0:1.02]\n"
	    "set y2tics ('p50' 0.5, 'p95' 0.95, 'p99' 0.99)\n", fp);
	if (c->nline == 0) {
		fputs("set label 1 'no timed cmd' at graph 0.5, 0.5 center\n"
		    "plot NaN notitle\n", fp);
		return;
	}
	for (i = 0; i < c->nline; i++) {
		cmd = c->line[i].cmd;
		len = strlen(cmd);
		if (len > max)
			n = snprintf(t, sizeof(t), "%.*s...%s",
			    (int)((max - 3) / 2), cmd,
			    cmd + len - (max - 3 - (max - 3) / 2));
		else
			n = snprintf(t, sizeof(t), "%s", cmd);
		if (!isnan(c->line[i].n) && n > 0 && (size_t)n < sizeof(t))
			snprintf(t + n, sizeof(t) - (size_t)n, ", %.0f line%s",
			    c->line[i].n, c->line[i].n == 1 ? "" : "s");
		fprintf(fp, "%s'latency-cdf.dat' index %zu using 1:2 with %s "
		    "lt %zu title ", i ? ", \\\n    " : "plot ", i, with,
		    i + 1);
		pl_gp_str(fp, t, sizeof(t));
		if (in->ev == NULL)
			fprintf(fp, ", \\\n    '' index %zu using 1:2 with "
			    "points lt %zu notitle", i, i + 1);
	}
	putc('\n', fp);
}

int
pl_pic_latency(int dirfd, const struct pl_input *in)
{
	struct cdf c;
	FILE *fp;
	int rc = -1;

	memset(&c, 0, sizeof(c));
	if ((in->ev != NULL ? cdf_from_events(&c, in->ev) :
	    cdf_from_pctl(&c, in->doc)) == -1) {
		errno = ENOMEM;
		goto done;
	}
	if ((fp = pl_gp_open(dirfd, "latency-cdf.dat")) == NULL)
		goto done;
	cdf_data(fp, &c, cdf_zero_at(&c));
	if (pl_gp_close(fp) == -1 ||
	    (fp = pl_gp_open(dirfd, "latency-cdf.gp")) == NULL)
		goto done;
	cdf_script(fp, &c, in);
	rc = pl_gp_close(fp);
done:
	free(c.buf);
	return rc;
}
