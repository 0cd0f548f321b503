/* event.c: soak-events(5) lines through yajl_gen, every status checked. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yajl/yajl_gen.h>

#include "clock.h"
#include "event.h"
#include "utf8.h"

#define EV_DEPTH 8

struct emitter {
	yajl_gen g;
	int bad;		/* a generator call of this line failed */
	char open[EV_DEPTH];	/* the containers open: 'm' map, 'a' array */
	int depth;
	event_sink sink;
	void *arg;
	char *run_id, *segment_id, *host, *shard;
	int worker;
	pid_t pid;
	long long seq;
	char *line;		/* the last line with its newline */
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
	/* Strings are checked (and repaired) by ev_string, once. */
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
	free(e->host);
	free(e->shard);
	free(e->line);
	free(e);
}

int
emitter_tag(struct emitter *e, const char *host, const char *shard)
{
	free(e->host);
	free(e->shard);
	e->host = host != NULL ? strdup(host) : NULL;
	e->shard = shard != NULL ? strdup(shard) : NULL;
	return (host != NULL && e->host == NULL) ||
	    (shard != NULL && e->shard == NULL) ? -1 : 0;
}

/* Note a generator status. */
static void
ev_check(struct emitter *e, yajl_gen_status s)
{
	if (s != yajl_gen_status_ok)
		e->bad = 1;
}

/* A string, repaired first when it is not valid UTF-8. */
static void
ev_string(struct emitter *e, const char *s, size_t len)
{
	char *fixed;
	size_t n;

	if (utf8_valid(s, len) == len) {
		ev_check(e, yajl_gen_string(e->g, (const unsigned char *)s,
		    len));
		return;
	}
	if ((fixed = utf8_fix(s, len, &n)) == NULL) {
		e->bad = 1;
		return;
	}
	ev_check(e, yajl_gen_string(e->g, (const unsigned char *)fixed, n));
	free(fixed);
}

static void
ev_key(struct emitter *e, const char *key)
{
	ev_string(e, key, strlen(key));
}

void
ev_strn(struct emitter *e, const char *key, const char *val, size_t len)
{
	ev_key(e, key);
	ev_string(e, val, len);
}

void
ev_str(struct emitter *e, const char *key, const char *val)
{
	if (val == NULL)
		ev_null(e, key);
	else
		ev_strn(e, key, val, strlen(val));
}

void
ev_int(struct emitter *e, const char *key, long long val)
{
	ev_key(e, key);
	ev_check(e, yajl_gen_integer(e->g, val));
}

void
ev_count(struct emitter *e, const char *key, long long val)
{
	if (val < 0)
		ev_null(e, key);
	else
		ev_int(e, key, val);
}

void
ev_ms(struct emitter *e, const char *key, double ms)
{
	char buf[64];
	int n;

	if (!(ms >= 0))
		ms = 0;
	n = snprintf(buf, sizeof(buf), "%.3f", ms);
	ev_key(e, key);
	ev_check(e, yajl_gen_number(e->g, buf, (size_t)n));
}

void
ev_bool(struct emitter *e, const char *key, int val)
{
	ev_key(e, key);
	ev_check(e, yajl_gen_bool(e->g, val));
}

void
ev_null(struct emitter *e, const char *key)
{
	ev_key(e, key);
	ev_check(e, yajl_gen_null(e->g));
}

/* Open a container of kind 'm' or 'a', keyed when key is not NULL. */
static void
ev_open(struct emitter *e, const char *key, char kind)
{
	if (e->depth == EV_DEPTH) {
		e->bad = 1;
		return;
	}
	if (key != NULL)
		ev_key(e, key);
	ev_check(e, kind == 'm' ? yajl_gen_map_open(e->g) :
	    yajl_gen_array_open(e->g));
	e->open[e->depth++] = kind;
}

void
ev_array(struct emitter *e, const char *key)
{
	ev_open(e, key, 'a');
}

void
ev_map(struct emitter *e, const char *key)
{
	ev_open(e, key, 'm');
}

void
ev_item(struct emitter *e, const char *val)
{
	ev_string(e, val, strlen(val));
}

void
ev_itemn(struct emitter *e, const char *val, size_t len)
{
	ev_string(e, val, len);
}

void
ev_itemf(struct emitter *e, double v, int decimals)
{
	char buf[64];
	int n;

	if (!(v >= 0)) {
		ev_check(e, yajl_gen_null(e->g));
		return;
	}
	n = snprintf(buf, sizeof(buf), "%.*f", decimals, v);
	ev_check(e, yajl_gen_number(e->g, buf, (size_t)n));
}

void
ev_close(struct emitter *e)
{
	if (e->depth == 0) {
		e->bad = 1;
		return;
	}
	ev_check(e, e->open[--e->depth] == 'm' ? yajl_gen_map_close(e->g) :
	    yajl_gen_array_close(e->g));
}

void
ev_strv(struct emitter *e, const char *key, char *const *v, int n)
{
	int i;

	ev_array(e, key);
	for (i = 0; n < 0 ? v[i] != NULL : i < n; i++)
		ev_item(e, v[i]);
	ev_close(e);
}

void
ev_begin(struct emitter *e, const char *cmd)
{
	char ts[48];

	yajl_gen_reset(e->g, NULL);
	yajl_gen_clear(e->g);
	e->bad = 0;
	e->depth = 0;
	clock_iso(ts, sizeof(ts));
	ev_open(e, NULL, 'm');
	ev_str(e, "ts", ts);
	ev_str(e, "run_id", e->run_id);
	ev_str(e, "segment_id", e->segment_id);
	ev_str(e, "cmd", cmd);
	ev_map(e, "args");
}

void
ev_result(struct emitter *e)
{
	ev_close(e);
	ev_map(e, "result");
}

void
ev_x(struct emitter *e, double timing_ms, const char *warning)
{
	ev_close(e);
	ev_ms(e, "timing_ms", timing_ms);
	ev_array(e, "warnings");
	if (warning != NULL)
		ev_item(e, warning);
	ev_close(e);
	ev_map(e, "x");
	ev_int(e, "worker", e->worker);
	ev_int(e, "pid", (long long)e->pid);
	ev_int(e, "seq", ++e->seq);
	if (e->host != NULL)
		ev_str(e, "host", e->host);
	if (e->shard != NULL)
		ev_str(e, "shard", e->shard);
}

int
ev_send(struct emitter *e)
{
	const unsigned char *buf;
	size_t len;

	ev_close(e);
	ev_close(e);
	if (e->bad || e->depth != 0 ||
	    yajl_gen_get_buf(e->g, &buf, &len) != yajl_gen_status_ok) {
		errno = EINVAL;
		return -1;
	}
	if (len + 1 > e->cap) {
		char *nl = realloc(e->line, len + 1);

		if (nl == NULL)
			return -1;
		e->line = nl;
		e->cap = len + 1;
	}
	memcpy(e->line, buf, len);
	e->line[len] = '\n';
	return e->sink(e->arg, e->line, len + 1);
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
