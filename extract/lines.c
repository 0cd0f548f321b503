/* lines: split a file descriptor into lines, each at most LINES_MAX bytes. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lines.h"

#define LINES_BLOCK	(256 * 1024)
/* Room for a longest line with a BOM (3) and a CR (1), and its newline. */
#define LINES_CAP	(LINES_MAX + 3 + 1 + 1)

struct lines {
	int		 fd;
	unsigned char	*buf;
	size_t		 cap, start, end, scanned;
	int		 eof, first, skipping;
};

struct lines *
lines_new(int fd)
{
	struct lines *l;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		return NULL;
	l->fd = fd;
	l->cap = LINES_BLOCK;
	l->first = 1;
	if ((l->buf = malloc(l->cap)) == NULL) {
		free(l);
		return NULL;
	}
	return l;
}

void
lines_free(struct lines *l)
{
	if (l == NULL)
		return;
	free(l->buf);
	free(l);
}

/* Make room after end: move the pending line to the front or grow. */
static int
lines_room(struct lines *l)
{
	unsigned char *nb;
	size_t cap;

	if (l->start > 0) {
		memmove(l->buf, l->buf + l->start, l->end - l->start);
		l->end -= l->start;
		l->scanned -= l->start;
		l->start = 0;
	}
	if (l->end < l->cap)
		return 0;
	cap = l->cap * 2;
	if (cap > LINES_CAP)
		cap = LINES_CAP;
	if ((nb = realloc(l->buf, cap)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	l->buf = nb;
	l->cap = cap;
	return 0;
}

/*
 * The length of the line held in buf[start, start + n) once its CR and,
 * on the first line, its BOM go; *bom is the BOM's length (0 or 3).  A
 * line not yet ended may end just after a CR, so that CR counts too.
 */
static size_t
lines_kept(const struct lines *l, size_t n, size_t *bom)
{
	const unsigned char *p = l->buf + l->start;

	*bom = 0;
	if (l->first && n >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
		*bom = 3;
	return n - *bom - (n > *bom && p[n - 1] == '\r');
}

/*
 * Hand out the line of buf[start, stop) and go on at next: NULL for one
 * that was too long, else without a CR before its end or, first, a BOM.
 */
static int
lines_emit(struct lines *l, size_t stop, size_t next,
    const unsigned char **line, size_t *len)
{
	const unsigned char *p = l->buf + l->start;
	size_t bom, n = lines_kept(l, stop - l->start, &bom);

	l->start = l->scanned = next;
	l->first = 0;
	if (l->skipping || n > LINES_MAX) {
		l->skipping = 0;
		*line = NULL;
		*len = 0;
		return 1;
	}
	*line = p + bom;
	*len = n;
	return 1;
}

/* Read the next block; returns 0, or -1 on a read error. */
static int
lines_fill(struct lines *l)
{
	ssize_t n;
	size_t bom;

	if (l->skipping ||
	    lines_kept(l, l->end - l->start, &bom) > LINES_MAX) {
		/* Too long: forget it and read up to its newline. */
		l->skipping = 1;
		l->start = l->end = l->scanned = 0;
	}
	if (lines_room(l) == -1)
		return -1;
	do
		n = read(l->fd, l->buf + l->end, l->cap - l->end);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return -1;
	if (n == 0)
		l->eof = 1;
	l->end += (size_t)n;
	return 0;
}

int
lines_next(struct lines *l, const unsigned char **line, size_t *len)
{
	unsigned char *nl;
	size_t at;

	for (;;) {
		nl = memchr(l->buf + l->scanned, '\n', l->end - l->scanned);
		if (nl != NULL) {
			at = (size_t)(nl - l->buf);
			return lines_emit(l, at, at + 1, line, len);
		}
		l->scanned = l->end;
		if (l->eof && l->start == l->end && !l->skipping)
			return 0;
		if (l->eof)
			return lines_emit(l, l->end, l->end, line, len);
		if (lines_fill(l) == -1)
			return -1;
	}
}
