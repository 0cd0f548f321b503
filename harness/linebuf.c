/* linebuf.c: the harness's one line splitter. */
#include <stdlib.h>
#include <string.h>

#include "linebuf.h"

struct linebuf {
	char *buf;
	size_t len, cap;
	int skipping;		/* inside a line over the limit */
	long long overlong, dropped;
};

struct linebuf *
linebuf_new(void)
{
	return calloc(1, sizeof(struct linebuf));
}

void
linebuf_free(struct linebuf *b)
{
	if (b == NULL)
		return;
	free(b->buf);
	free(b);
}

char *
linebuf_space(struct linebuf *b, size_t n)
{
	if (b->cap - b->len < n) {
		size_t cap = b->cap ? b->cap : 65536;
		char *nb;

		while (cap - b->len < n)
			cap *= 2;
		if ((nb = realloc(b->buf, cap)) == NULL)
			return NULL;
		b->buf = nb;
		b->cap = cap;
	}
	return b->buf + b->len;
}

/* Drop len bytes of a line over the limit; count the line once. */
static void
linebuf_drop(struct linebuf *b, size_t len)
{
	if (!b->skipping)
		b->overlong++;
	b->dropped += (long long)len;
}

int
linebuf_commit(struct linebuf *b, size_t n,
    int (*fn)(void *, const char *, size_t), void *arg)
{
	size_t start = 0, from = b->len, len;
	char *nl;
	int rc = 0, r;

	b->len += n;
	while ((nl = memchr(b->buf + from, '\n', b->len - from)) != NULL) {
		len = (size_t)(nl - (b->buf + start)) + 1;
		if (b->skipping || len - 1 > (size_t)LINEBUF_MAX) {
			linebuf_drop(b, len);
			b->skipping = 0;
		} else if ((r = fn(arg, b->buf + start, len)) != 0 && rc == 0)
			rc = r;
		start += len;
		from = start;
	}
	if (start > 0) {
		memmove(b->buf, b->buf + start, b->len - start);
		b->len -= start;
	}
	if (b->len > (size_t)LINEBUF_MAX) {
		linebuf_drop(b, b->len);
		b->skipping = 1;
		b->len = 0;
	}
	return rc;
}

size_t
linebuf_pending(const struct linebuf *b)
{
	return b->len;
}

long long
linebuf_overlong(const struct linebuf *b)
{
	return b->overlong;
}

long long
linebuf_dropped(const struct linebuf *b)
{
	return b->dropped;
}

void
linebuf_reset(struct linebuf *b)
{
	b->len = 0;
	b->skipping = 0;
}
