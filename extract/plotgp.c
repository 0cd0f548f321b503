/* plotgp: soak-plot's main gnuplot script, its style and shared writers. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "plotdoc.h"
#include "plotgp.h"
#include "plotpic.h"

/*
 * Both terminals: 1000x600, plain text labels, fonts that read alike
 * (the SVG's sizes are pixels, the PNG's points); titlefont is a size
 * up from the rest.
 */
static const char *const terminals[2][2] = {
	{ "png", "set terminal pngcairo size 1000,600 "
	    "font 'DejaVu Sans,11' noenhanced\ntitlefont = ',13'" },
	{ "svg", "set terminal svg size 1000,600 "
	    "font 'DejaVu Sans,13' noenhanced background '#ffffff'\n"
	    "titlefont = ',16'" },
};

/* Colours that stay apart for most colour-blind readers (Okabe-Ito). */
static const char *const style =
    "set linetype 1 lc rgb '#0072B2' lw 2 pt 7 ps 0.8\n"
    "set linetype 2 lc rgb '#D55E00' lw 2 pt 5 ps 0.8\n"
    "set linetype 3 lc rgb '#009E73' lw 2 pt 9 ps 0.9\n"
    "set linetype 4 lc rgb '#CC79A7' lw 2 pt 13 ps 0.9\n"
    "set linetype 5 lc rgb '#E69F00' lw 2 pt 11 ps 0.9\n"
    "set linetype 6 lc rgb '#56B4E9' lw 2 pt 7 ps 0.8\n"
    "set linetype 7 lc rgb '#000000' lw 2 pt 5 ps 0.8\n"
    "set linetype 8 lc rgb '#999999' lw 2 pt 9 ps 0.9\n"
    "set linetype cycle 8\n";

static int (*const writers[PIC_N])(int, const struct pl_input *) = {
	pl_pic_hit_rate, pl_pic_timeline, pl_pic_db_size, pl_pic_latency
};

const char *
pl_pic_name(enum pl_pic p)
{
	static const char *const names[PIC_N] = {
		"hit-rate", "timeline", "db-size", "latency-cdf"
	};

	return names[p];
}

FILE *
pl_gp_open(int dirfd, const char *name)
{
	FILE *fp;
	int fd;

	if ((fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC |
	    O_CLOEXEC, 0644)) == -1)
		return NULL;
	if ((fp = fdopen(fd, "w")) == NULL)
		close(fd);
	return fp;
}

int
pl_gp_close(FILE *fp)
{
	int bad = ferror(fp), saved = errno;

	if (fclose(fp) == EOF)
		return -1;
	if (bad) {
		errno = saved ? saved : EIO;
		return -1;
	}
	return 0;
}

/* The main script: the style, then each picture on both terminals. */
static void
write_main(FILE *fp, const int want[PIC_N])
{
	int p, t;

	fputs("# soak-plot: each picture as PNG and SVG\n", fp);
	fputs(style, fp);
	for (p = 0; p < PIC_N; p++) {
		if (!want[p])
			continue;
		for (t = 0; t < 2; t++)
			fprintf(fp, "%s\nset output '%s.%s'\nload '%s.gp'\n"
			    "unset multiplot\nunset output\n", terminals[t][1], pl_pic_name(p),
			    terminals[t][0], pl_pic_name(p));
	}
}

int
pl_gp_write(int dirfd, const struct pl_input *in, const int want[PIC_N])
{
	FILE *fp;
	int p;

	for (p = 0; p < PIC_N; p++)
		if (want[p] && writers[p](dirfd, in) == -1)
			return -1;
	if ((fp = pl_gp_open(dirfd, "plot.gp")) == NULL)
		return -1;
	write_main(fp, want);
	return pl_gp_close(fp);
}

void
pl_gp_str(FILE *fp, const char *s, size_t max)
{
	size_t i;

	putc('\'', fp);
	for (i = 0; s[i] != '\0'; i++) {
		if (i == max) {
			fputs("...", fp);
			break;
		}
		if (s[i] == '\'')
			fputs("''", fp);
		else
			putc(s[i] >= ' ' && s[i] <= '~' ? s[i] : '?', fp);
	}
	putc('\'', fp);
}

void
pl_gp_title(FILE *fp, const char *cmd, const char *what,
    const struct pl_doc *d)
{
	fprintf(fp, "%s ", cmd);
	pl_gp_str(fp, what, 200);
	fputs(" . \"\\n\" . ", fp);
	if (d->run_id != NULL) {
		fputs("'run ' . ", fp);
		pl_gp_str(fp, d->run_id, 80);
	} else
		fputs("'(no run id)'", fp);
	fputs(" font titlefont\n", fp);
}

void
pl_gp_head(FILE *fp, const char *what, const struct pl_doc *d, int rows)
{
	pl_gp_title(fp, "set multiplot title", what, d);
	fprintf(fp, "set key at screen 0.5, screen 0.885 center top vertical "
	    "maxrows %d samplen 3\n"
	    "set tmargin at screen %.3f\n", rows, 0.865 - 0.036 * rows);
}

void
pl_gp_num(FILE *fp, double v)
{
	if (isnan(v))
		fputs("NaN", fp);
	else
		fprintf(fp, "%.9g", v);
}

struct pl_unit
pl_time_unit(double span_ms)
{
	if (span_ms <= 20 * 60 * 1000.0)
		return (struct pl_unit){ "s", 1000 };
	if (span_ms <= 20 * 3600 * 1000.0)
		return (struct pl_unit){ "min", 60 * 1000 };
	return (struct pl_unit){ "h", 3600 * 1000 };
}

struct pl_unit
pl_bytes_unit(double max)
{
	if (max >= 1024.0 * 1024 * 1024)
		return (struct pl_unit){ "GiB", 1024.0 * 1024 * 1024 };
	if (max >= 1024.0 * 1024)
		return (struct pl_unit){ "MiB", 1024.0 * 1024 };
	if (max >= 1024)
		return (struct pl_unit){ "KiB", 1024 };
	return (struct pl_unit){ "bytes", 1 };
}

double
pl_tic_step(double span)
{
	double p, f;

	if (!(span > 0) || !isfinite(span))
		return 1;
	p = pow(10, floor(log10(span / 5)));
	f = span / 5 / p;
	return f < 2 ? p : f < 5 ? 2 * p : 5 * p;
}
