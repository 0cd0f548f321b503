#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yajl/yajl_tree.h>

#include "telemetry.h"

#define TELEM_MAX_LINE (16L * 1024 * 1024)
#define TELEM_CHUNK 65536

struct telem {
	char *path;
	int fd;			/* -1 while the file does not exist */
	dev_t dev;
	ino_t ino;
	off_t off;		/* the next byte to read */
	char *buf;		/* the unfinished line */
	size_t len, cap;
	int overlong;		/* skipping the rest of a line over the limit */
	struct telem_stats st;
};

struct telem *
telem_open(const char *path)
{
	struct telem *t;
	struct stat st;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	if ((t->path = strdup(path)) == NULL) {
		free(t);
		return NULL;
	}
	t->fd = -1;
	if ((t->fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0 &&
	    fstat(t->fd, &st) == 0) {
		t->dev = st.st_dev;
		t->ino = st.st_ino;
		t->off = st.st_size;
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
	free(t->buf);
	free(t);
}

const struct telem_stats *
telem_stats(const struct telem *t)
{
	return &t->st;
}

/* The line's top-level "run_id" equals run_id: 1, it does not: 0, the
 * line is not a JSON object: -1. */
static int
telem_match(const char *line, size_t len, const char *run_id)
{
	const char *key[] = { "run_id", NULL }, *got;
	yajl_val v, id;
	char *s;
	int r;

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

static void
telem_line(struct telem *t, const char *line, size_t len,
    const char *run_id, int (*out)(void *, const char *, size_t),
    void *arg)
{
	size_t body = len - 1;	/* without the newline */

	while (body > 0 && (line[body - 1] == '\r' || line[body - 1] == ' ' ||
	    line[body - 1] == '\t'))
		body--;
	if (body == 0)
		return;		/* a blank line */
	switch (telem_match(line, body, run_id)) {
	case 1:
		t->st.passed++;
		out(arg, line, len);
		break;
	case 0:
		t->st.skipped++;
		break;
	default:
		t->st.malformed++;
	}
}

/* Read fd from t->off to its end, handing on complete lines. */
static int
telem_read(struct telem *t, const char *run_id,
    int (*out)(void *, const char *, size_t), void *arg)
{
	ssize_t n;

	for (;;) {
		size_t start = 0;
		char *nl;

		if (t->cap - t->len < TELEM_CHUNK) {
			char *nb = realloc(t->buf, t->cap + TELEM_CHUNK);

			if (nb == NULL)
				return -1;
			t->buf = nb;
			t->cap += TELEM_CHUNK;
		}
		n = pread(t->fd, t->buf + t->len, t->cap - t->len, t->off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		t->off += n;
		t->len += (size_t)n;
		while ((nl = memchr(t->buf + start, '\n', t->len - start)) !=
		    NULL) {
			size_t len = (size_t)(nl - (t->buf + start)) + 1;

			if (t->overlong)
				t->overlong = 0;
			else
				telem_line(t, t->buf + start, len, run_id, out,
				    arg);
			start += len;
		}
		memmove(t->buf, t->buf + start, t->len - start);
		t->len -= start;
		if (t->len > TELEM_MAX_LINE) {
			if (!t->overlong)
				t->st.malformed++;
			t->overlong = 1;
			t->len = 0;
		}
	}
	t->st.partial_bytes = (long long)t->len;
	return 0;
}

static void
telem_restart(struct telem *t)
{
	t->off = 0;
	t->len = 0;
	t->overlong = 0;
	t->st.resets++;
}

int
telem_poll(struct telem *t, const char *run_id,
    int (*out)(void *, const char *, size_t),
    void (*warn)(void *, const char *), void *arg)
{
	struct stat ps, fs;
	int have = stat(t->path, &ps) == 0;

	if (t->fd >= 0 && have && (ps.st_dev != t->dev || ps.st_ino != t->ino)) {
		/* Replaced: finish the old file, then start on the new one. */
		if (telem_read(t, run_id, out, arg) < 0)
			return -1;
		close(t->fd);
		t->fd = -1;
		telem_restart(t);
		warn(arg, "replaced");
	}
	if (t->fd < 0) {
		if (!have)
			return 0;
		if ((t->fd = open(t->path, O_RDONLY | O_CLOEXEC)) < 0)
			return errno == ENOENT ? 0 : -1;
		if (fstat(t->fd, &fs) < 0)
			return -1;
		t->dev = fs.st_dev;
		t->ino = fs.st_ino;
		t->off = 0;
		t->len = 0;
	}
	if (fstat(t->fd, &fs) < 0)
		return -1;
	if (fs.st_size < t->off) {
		telem_restart(t);
		warn(arg, "truncated");
	}
	return telem_read(t, run_id, out, arg);
}
