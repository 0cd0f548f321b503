/* telemetry.c: a command's own JSON Lines, followed from where it ended. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yajl/yajl_tree.h>

#include "linebuf.h"
#include "telemetry.h"
#include "utf8.h"

#define TELEM_CHUNK 65536
#define TELEM_TAIL 64	/* bytes before the offset kept to tell a rewrite */

struct telem {
	char *path;
	int fd;			/* -1 while the file does not exist */
	dev_t dev;
	ino_t ino;
	off_t off;		/* the next byte to read */
	char tail[TELEM_TAIL];	/* the tail_len bytes before off, as read */
	size_t tail_len;
	struct linebuf *lb;	/* the unfinished line */
	long long overlong;	/* linebuf_overlong() counted so far */
	const char *run_id;	/* during a poll */
	int (*out)(void *, const char *, size_t);
	void *arg;
	struct telem_stats st;
};

/* Read the bytes of fd just before off, at most TELEM_TAIL, into tail;
 * returns how many (0 when they could not be read). */
static size_t
telem_tail(int fd, off_t off, char *tail)
{
	size_t k = off < TELEM_TAIL ? (size_t)off : TELEM_TAIL;
	ssize_t n;

	while ((n = pread(fd, tail, k, off - (off_t)k)) < 0 && errno == EINTR)
		continue;
	return n == (ssize_t)k ? k : 0;
}

/* Keep the last bytes of the n just read at p as the tail before off. */
static void
telem_keep(struct telem *t, const char *p, size_t n)
{
	size_t keep;

	if (n >= TELEM_TAIL) {
		memcpy(t->tail, p + n - TELEM_TAIL, TELEM_TAIL);
		t->tail_len = TELEM_TAIL;
		return;
	}
	keep = t->tail_len + n > TELEM_TAIL ? TELEM_TAIL - n : t->tail_len;
	memmove(t->tail, t->tail + t->tail_len - keep, keep);
	memcpy(t->tail + keep, p, n);
	t->tail_len = keep + n;
}

/* Whether the bytes before the offset are still those read: a file cut
 * and written again past where it was is no longer the one followed. */
static int
telem_same(const struct telem *t)
{
	char now[TELEM_TAIL];

	if (t->tail_len == 0)
		return 1;
	return telem_tail(t->fd, t->off, now) == t->tail_len &&
	    memcmp(now, t->tail, t->tail_len) == 0;
}

struct telem *
telem_open(const char *path)
{
	struct telem *t;
	struct stat st;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	if ((t->path = strdup(path)) == NULL ||
	    (t->lb = linebuf_new()) == NULL) {
		free(t->path);
		free(t);
		return NULL;
	}
	t->fd = -1;
	if ((t->fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0 &&
	    fstat(t->fd, &st) == 0) {
		t->st.appeared = 1;
		t->dev = st.st_dev;
		t->ino = st.st_ino;
		t->off = st.st_size;
		t->tail_len = telem_tail(t->fd, t->off, t->tail);
	} else if (t->fd >= 0) {
		close(t->fd);
		t->fd = -1;
	}
	return t;
}

void
telem_close(struct telem *t)
{
	if (t == NULL)
		return;
	if (t->fd >= 0)
		close(t->fd);
	free(t->path);
	linebuf_free(t->lb);
	free(t);
}

const struct telem_stats *
telem_stats(const struct telem *t)
{
	return &t->st;
}

/* The line's top-level "run_id" equals run_id: 1, it does not: 0, the
 * line is not one JSON object in valid UTF-8 (a NUL byte, which would
 * end yajl's text early, included): -1. */
static int
telem_match(const char *line, size_t len, const char *run_id)
{
	const char *key[] = { "run_id", NULL }, *got;
	yajl_val v, id;
	char *s;
	int r;

	if (memchr(line, '\0', len) != NULL || utf8_valid(line, len) != len)
		return -1;
	if ((s = malloc(len + 1)) == NULL)
		return -1;
	memcpy(s, line, len);
	s[len] = '\0';
	v = yajl_tree_parse(s, NULL, 0);
	free(s);
	if (v == NULL || !YAJL_IS_OBJECT(v)) {
		yajl_tree_free(v);
		return -1;
	}
	id = yajl_tree_get(v, key, yajl_t_string);
	got = id != NULL ? YAJL_GET_STRING(id) : NULL;
	r = got != NULL && strcmp(got, run_id) == 0;
	yajl_tree_free(v);
	return r;
}

/* One complete line, newline included: handed on when it is of this
 * run. */
static int
telem_line(void *arg, const char *line, size_t len)
{
	struct telem *t = arg;
	size_t body = len - 1;	/* without the newline */

	while (body > 0 && (line[body - 1] == '\r' || line[body - 1] == ' ' ||
	    line[body - 1] == '\t'))
		body--;
	if (body == 0)
		return 0;	/* a blank line */
	switch (telem_match(line, body, t->run_id)) {
	case 1:
		t->st.passed++;
		t->out(t->arg, line, len);
		break;
	case 0:
		t->st.skipped++;
		break;
	default:
		t->st.malformed++;
	}
	return 0;
}

/* Read fd from t->off to its end, handing on complete lines; a line over
 * the limit counts as malformed. */
static int
telem_read(struct telem *t)
{
	ssize_t n;
	char *p;

	for (;;) {
		if ((p = linebuf_space(t->lb, TELEM_CHUNK)) == NULL)
			return -1;
		if ((n = pread(t->fd, p, TELEM_CHUNK, t->off)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		t->off += n;
		telem_keep(t, p, (size_t)n);
		linebuf_commit(t->lb, (size_t)n, telem_line, t);
	}
	t->st.malformed += linebuf_overlong(t->lb) - t->overlong;
	t->overlong = linebuf_overlong(t->lb);
	t->st.partial_bytes = (long long)linebuf_pending(t->lb);
	return 0;
}

static void
telem_restart(struct telem *t)
{
	t->off = 0;
	t->tail_len = 0;
	linebuf_reset(t->lb);
	t->st.resets++;
}

int
telem_poll(struct telem *t, const char *run_id,
    int (*out)(void *, const char *, size_t),
    void (*warn)(void *, const char *), void *arg)
{
	struct stat ps, fs;
	int have = stat(t->path, &ps) == 0;

	t->run_id = run_id;
	t->out = out;
	t->arg = arg;
	if (t->fd >= 0 && have && (ps.st_dev != t->dev || ps.st_ino != t->ino)) {
		/* Replaced: finish the old file, then start on the new one. */
		if (telem_read(t) < 0)
			return -1;
		close(t->fd);
		t->fd = -1;
		telem_restart(t);
		warn(arg, "replaced");
	}
	if (t->fd < 0) {
		if (!have)
			return 0;
		if ((t->fd = open(t->path, O_RDONLY | O_CLOEXEC)) >= 0)
			t->st.appeared = 1;
		if (t->fd < 0)
			return errno == ENOENT ? 0 : -1;
		if (fstat(t->fd, &fs) < 0)
			return -1;
		t->dev = fs.st_dev;
		t->ino = fs.st_ino;
		t->off = 0;
		t->tail_len = 0;
		linebuf_reset(t->lb);
	}
	if (fstat(t->fd, &fs) < 0)
		return -1;
	if (fs.st_size < t->off || !telem_same(t)) {
		telem_restart(t);
		warn(arg, "truncated");
	}
	return telem_read(t);
}
