/* plotev: read each cmd's timing_ms out of soak-events(5) lines with yajl. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yajl/yajl_parse.h>

#include "plotev.h"

/* The top-level keys a line is read for. */
enum key { K_OTHER, K_CMD, K_RUN_ID, K_TIMING };

/* What one line holds, as its callbacks see it. */
struct lp {
	const char	*run_id;
	int		 depth, toodeep, object;
	enum key	 key;
	char		 cmd[PLOTEV_MAX_CMD_LEN + 1];
	int		 has_cmd;
	int		 run;		/* -1 other run, 0 none, 1 this one */
	double		 timing;	/* NAN when absent or unusable */
};

/* A scalar at depth 1 under key K_*: forget what the key held before. */
static void
lp_reset(struct lp *p)
{
	switch (p->key) {
	case K_CMD:
		p->has_cmd = 0;
		break;
	case K_RUN_ID:
		p->run = 0;
		break;
	case K_TIMING:
		p->timing = NAN;
		break;
	case K_OTHER:
		break;
	}
}

/*
 * The line's callbacks return 1 to go on, 0 to stop the parse (a line
 * that is not an object, or nests too deep).
 */

/* A null, or any scalar: not what the key held before; never at the top. */
static int
cb_scalar(void *ctx)
{
	struct lp *p = ctx;

	if (p->depth == 1)
		lp_reset(p);
	return p->depth > 0;
}

/* A boolean, as any scalar. */
static int
cb_bool(void *ctx, int v)
{
	(void)v;
	return cb_scalar(ctx);
}

/* A number: timing_ms when it is one of 0 or more, finite. */
static int
cb_number(void *ctx, const char *s, size_t len)
{
	struct lp *p = ctx;
	char buf[64], *end;
	double v;

	if (!cb_scalar(ctx))
		return 0;
	if (p->depth != 1 || p->key != K_TIMING || len >= sizeof(buf))
		return 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	v = strtod(buf, &end);
	if (*end == '\0' && isfinite(v) && v >= 0)
		p->timing = v;
	return 1;
}

/* A string: cmd when short and without NUL, or run_id matched. */
static int
cb_string(void *ctx, const unsigned char *s, size_t len)
{
	struct lp *p = ctx;

	if (!cb_scalar(ctx))
		return 0;
	if (p->depth != 1)
		return 1;
	if (p->key == K_CMD && len <= PLOTEV_MAX_CMD_LEN &&
	    memchr(s, '\0', len) == NULL) {
		memcpy(p->cmd, s, len);
		p->cmd[len] = '\0';
		p->has_cmd = 1;
	} else if (p->key == K_RUN_ID)
		p->run = p->run_id == NULL || (strlen(p->run_id) == len &&
		    memcmp(p->run_id, s, len) == 0) ? 1 : -1;
	return 1;
}

/* A key: which of the top-level keys read comes next, if any. */
static int
cb_key(void *ctx, const unsigned char *s, size_t len)
{
	struct lp *p = ctx;

	p->key = K_OTHER;
	if (p->depth != 1)
		return 1;
	if (len == 3 && memcmp(s, "cmd", 3) == 0)
		p->key = K_CMD;
	else if (len == 6 && memcmp(s, "run_id", 6) == 0)
		p->key = K_RUN_ID;
	else if (len == 9 && memcmp(s, "timing_ms", 9) == 0)
		p->key = K_TIMING;
	return 1;
}

/* A container opens: a map at the top, not too deep. */
static int
cb_open(struct lp *p, int map)
{
	if (p->depth == 0 && map)
		p->object = 1;
	if (p->depth == 0 && !map)
		return 0;
	if (p->depth == 1)
		lp_reset(p);
	if (++p->depth > PLOTEV_MAX_DEPTH) {
		p->toodeep = 1;
		return 0;
	}
	return 1;
}

/* A map opens. */
static int
cb_start_map(void *ctx)
{
	return cb_open(ctx, 1);
}

/* An array opens. */
static int
cb_start_array(void *ctx)
{
	return cb_open(ctx, 0);
}

/* A container closes. */
static int
cb_close(void *ctx)
{
	((struct lp *)ctx)->depth--;
	return 1;
}

static const yajl_callbacks line_callbacks = {
	.yajl_null = cb_scalar,
	.yajl_boolean = cb_bool,
	.yajl_number = cb_number,
	.yajl_string = cb_string,
	.yajl_start_map = cb_start_map,
	.yajl_map_key = cb_key,
	.yajl_end_map = cb_close,
	.yajl_start_array = cb_start_array,
	.yajl_end_array = cb_close,
};

void
pl_events_init(struct pl_events *e, const char *run_id, int untagged,
    const char *op_cmd)
{
	memset(e, 0, sizeof(*e));
	e->run_id = run_id;
	e->untagged = untagged;
	e->op_cmd = op_cmd;
}

int
pl_cmd_drawn(const char *cmd, const char *op_cmd)
{
	return strncmp(cmd, "soak.", 5) != 0 ||
	    (op_cmd != NULL && strcmp(cmd, op_cmd) == 0);
}

/* The series of cmd, a new one when there is room; NULL otherwise. */
static struct pl_series *
series_of(struct pl_events *e, const char *cmd, int *nomem)
{
	struct pl_series *s;
	size_t i;

	for (i = 0; i < e->ns; i++)
		if (strcmp(e->s[i].cmd, cmd) == 0)
			return &e->s[i];
	if (e->ns == PLOTEV_MAX_CMDS)
		return NULL;
	if (e->ns == e->cap) {
		s = reallocarray(e->s, e->cap ? e->cap * 2 : 16, sizeof(*s));
		if (s == NULL)
			goto nomem;
		e->s = s;
		e->cap = e->cap ? e->cap * 2 : 16;
	}
	s = &e->s[e->ns];
	memset(s, 0, sizeof(*s));
	if ((s->cmd = strdup(cmd)) == NULL)
		goto nomem;
	e->ns++;
	return s;
nomem:
	*nomem = 1;
	return NULL;
}

/* Add v to s. Returns 0, or -1 when out of memory. */
static int
series_add(struct pl_series *s, double v)
{
	double *nv;
	size_t ncap;

	if (s->n == s->cap) {
		ncap = s->cap ? s->cap * 2 : 64;
		if ((nv = reallocarray(s->v, ncap, sizeof(*nv))) == NULL)
			return -1;
		s->v = nv;
		s->cap = ncap;
	}
	s->v[s->n++] = v;
	return 0;
}

/* Whether len bytes of line hold only JSON's white space. */
static int
blank_line(const char *line, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (strchr(" \t\r", line[i]) == NULL || line[i] == '\0')
			return 0;
	return 1;
}

/* Parse one line into *p: 0, -1 when it is malformed, -2 out of memory. */
static int
parse_line(struct lp *p, const char *line, size_t len)
{
	yajl_handle h;
	yajl_status st;

	if ((h = yajl_alloc(&line_callbacks, NULL, p)) == NULL)
		return -2;
	st = yajl_parse(h, (const unsigned char *)line, len);
	if (st == yajl_status_ok)
		st = yajl_complete_parse(h);
	yajl_free(h);
	return st == yajl_status_ok && p->object ? 0 : -1;
}

int
pl_events_line(struct pl_events *e, const char *line, size_t len)
{
	struct lp p;
	struct pl_series *s;
	int rc, nomem = 0;

	e->lines++;
	if (blank_line(line, len))
		return 0;
	memset(&p, 0, sizeof(p));
	p.run_id = e->run_id;
	p.timing = NAN;
	if ((rc = parse_line(&p, line, len)) == -2)
		return -1;
	if (rc == -1) {
		if (e->malformed++ == 0)
			e->first_malformed = e->lines;
		return 0;
	}
	if (p.run == -1 || (p.run == 0 && e->run_id != NULL && !e->untagged)) {
		e->other_run++;
		return 0;
	}
	if (!p.has_cmd || isnan(p.timing) || !pl_cmd_drawn(p.cmd, e->op_cmd))
		return 0;
	if ((s = series_of(e, p.cmd, &nomem)) == NULL) {
		e->other_cmds++;
		return nomem ? -1 : 0;
	}
	if (series_add(s, p.timing) == -1)
		return -1;
	e->timed++;
	return 0;
}

/* A buffer of bytes read and not yet split into lines. */
struct rbuf {
	char	*b;
	size_t	 len, cap;
	int	 skipping;	/* inside a line past the limit */
};

/* Count one line past the limit, skipped. */
static void
count_toolong(struct pl_events *e)
{
	e->lines++;
	if (e->toolong++ == 0)
		e->first_toolong = e->lines;
}

/* The complete lines in r, each to e; the rest stays. 0, or -1 no memory. */
static int
split_lines(struct pl_events *e, struct rbuf *r)
{
	char *p = r->b, *end = r->b + r->len, *nl;

	while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		if (r->skipping)
			r->skipping = 0;
		else if ((size_t)(nl - p) > PLOTEV_MAX_LINE)
			count_toolong(e);
		else if (pl_events_line(e, p, (size_t)(nl - p)) == -1)
			return -1;
		p = nl + 1;
	}
	r->len = (size_t)(end - p);
	memmove(r->b, p, r->len);
	if (r->len > PLOTEV_MAX_LINE) {
		if (!r->skipping)
			count_toolong(e);
		r->skipping = 1;
		r->len = 0;
	}
	return 0;
}

/* Room for 64 KiB more in r. Returns 0, or -1 when out of memory. */
static int
rbuf_grow(struct rbuf *r)
{
	char *nb;
	size_t ncap;

	if (r->cap - r->len >= 65536)
		return 0;
	ncap = r->cap ? r->cap * 2 : 262144;
	if ((nb = realloc(r->b, ncap)) == NULL)
		return -1;
	r->b = nb;
	r->cap = ncap;
	return 0;
}

int
pl_events_fd(struct pl_events *e, int fd)
{
	struct rbuf r = { NULL, 0, 0, 0 };
	ssize_t n;
	int rc = 0, saved;

	for (;;) {
		if (rbuf_grow(&r) == -1) {
			rc = -2;
			break;
		}
		n = read(fd, r.b + r.len, r.cap - r.len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n == -1 ? -1 : 0;
			break;
		}
		r.len += (size_t)n;
		if (split_lines(e, &r) == -1) {
			rc = -2;
			break;
		}
	}
	saved = errno;
	/* A last line without its newline still counts. */
	if (rc == 0 && r.len > 0 && !r.skipping &&
	    pl_events_line(e, r.b, r.len) == -1)
		rc = -2;
	free(r.b);
	errno = saved;
	return rc;
}

/* Ascending doubles. */
static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The larger series first; equal ones by name. */
static int
cmp_series(const void *a, const void *b)
{
	const struct pl_series *s = a, *t = b;

	if (s->n != t->n)
		return s->n > t->n ? -1 : 1;
	return strcmp(s->cmd, t->cmd);
}

void
pl_events_finish(struct pl_events *e)
{
	size_t i;

	for (i = 0; i < e->ns; i++)
		qsort(e->s[i].v, e->s[i].n, sizeof(double), cmp_double);
	if (e->ns > 0)
		qsort(e->s, e->ns, sizeof(*e->s), cmp_series);
}

void
pl_events_free(struct pl_events *e)
{
	size_t i;

	for (i = 0; i < e->ns; i++) {
		free(e->s[i].cmd);
		free(e->s[i].v);
	}
	free(e->s);
	pl_events_init(e, e->run_id, e->untagged, e->op_cmd);
}

size_t
pl_cdf(const double *v, size_t n, double *x, double *y, size_t cap)
{
	double fy;
	size_t i, k = 0;

	if (n == 0 || cap < 2)
		return 0;
	x[k] = v[0];
	y[k++] = 0;
	for (i = 0; i < n; i++) {
		/* A run of equal values is one corner, at its end. */
		if (i + 1 < n && v[i + 1] == v[i])
			continue;
		fy = (double)(i + 1) / (double)n;
		if (i + 1 < n && k + 1 < cap && fy - y[k - 1] < 0.001 &&
		    v[i] <= x[k - 1] * 1.01)
			continue;
		if (i + 1 < n && k + 1 >= cap)
			continue;
		x[k] = v[i];
		y[k++] = fy;
	}
	return k;
}
