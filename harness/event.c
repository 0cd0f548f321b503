#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "event.h"

struct emitter {
	yajl_gen g;
	event_sink sink;
	void *arg;
	char *run_id, *segment_id;
	int worker;
	pid_t pid;
	long long seq;
	char *line;	/* the last line with its newline */
	size_t cap;
};

struct emitter *
emitter_new(event_sink sink, void *arg, const char *run_id,
    const char *segment_id, int worker, pid_t pid)
{
	struct emitter *e;

	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	if ((e->g = yajl_gen_alloc(NULL)) == NULL ||
	    (e->run_id = strdup(run_id)) == NULL ||
	    (e->segment_id = strdup(segment_id)) == NULL) {
		emitter_free(e);
		return NULL;
	}
	yajl_gen_config(e->g, yajl_gen_validate_utf8, 1);
	e->sink = sink;
	e->arg = arg;
	e->worker = worker;
	e->pid = pid;
	return e;
}

void
emitter_free(struct emitter *e)
{
	if (e == NULL)
		return;
	if (e->g != NULL)
		yajl_gen_free(e->g);
	free(e->run_id);
	free(e->segment_id);
	free(e->line);
	free(e);
}

void
gen_str(yajl_gen g, const char *s)
{
	yajl_gen_string(g, (const unsigned char *)s, strlen(s));
}

void
gen_ms(yajl_gen g, double ms)
{
	char buf[64];
	int n;

	if (!(ms >= 0))
		ms = 0;
	n = snprintf(buf, sizeof(buf), "%.3f", ms);
	yajl_gen_number(g, buf, (size_t)n);
}

void
gen_kstr(yajl_gen g, const char *key, const char *val)
{
	gen_str(g, key);
	gen_str(g, val);
}

void
gen_kint(yajl_gen g, const char *key, long long val)
{
	gen_str(g, key);
	yajl_gen_integer(g, val);
}

void
gen_kms(yajl_gen g, const char *key, double ms)
{
	gen_str(g, key);
	gen_ms(g, ms);
}

void
gen_kbool(yajl_gen g, const char *key, int val)
{
	gen_str(g, key);
	yajl_gen_bool(g, val);
}

void
gen_knull(yajl_gen g, const char *key)
{
	gen_str(g, key);
	yajl_gen_null(g);
}

yajl_gen
event_begin(struct emitter *e, const char *cmd)
{
	char ts[48];

	yajl_gen_reset(e->g, NULL);
	yajl_gen_clear(e->g);
	clock_iso(ts, sizeof(ts));
	yajl_gen_map_open(e->g);
	gen_kstr(e->g, "ts", ts);
	gen_kstr(e->g, "run_id", e->run_id);
	gen_kstr(e->g, "segment_id", e->segment_id);
	gen_kstr(e->g, "cmd", cmd);
	return e->g;
}

void
event_x(struct emitter *e, double timing_ms)
{
	event_xw(e, timing_ms, NULL);
}

void
event_xw(struct emitter *e, double timing_ms, const char *warning)
{
	gen_kms(e->g, "timing_ms", timing_ms);
	gen_str(e->g, "warnings");
	yajl_gen_array_open(e->g);
	if (warning != NULL)
		gen_str(e->g, warning);
	yajl_gen_array_close(e->g);
	gen_str(e->g, "x");
	yajl_gen_map_open(e->g);
	gen_kint(e->g, "worker", e->worker);
	gen_kint(e->g, "pid", (long long)e->pid);
	gen_kint(e->g, "seq", ++e->seq);
}

int
event_send(struct emitter *e)
{
	const unsigned char *buf;
	size_t len;
	int rc;

	yajl_gen_map_close(e->g);
	/* Closing the line itself; a failure here means a field went wrong. */
	if (yajl_gen_map_close(e->g) != yajl_gen_status_ok ||
	    yajl_gen_get_buf(e->g, &buf, &len) != yajl_gen_status_ok)
		return -2;
	if (len + 1 > e->cap) {
		char *nl = realloc(e->line, len + 1);

		if (nl == NULL)
			return -1;
		e->line = nl;
		e->cap = len + 1;
	}
	memcpy(e->line, buf, len);
	e->line[len] = '\n';
	rc = e->sink(e->arg, e->line, len + 1);
	return rc;
}

int
event_write_fd(void *arg, const char *buf, size_t len)
{
	int fd = *(int *)arg;
	ssize_t w;

	while (len > 0) {
		if ((w = write(fd, buf, len)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}
