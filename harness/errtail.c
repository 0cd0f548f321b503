/* errtail.c: a command's stderr tail, and the SQLite error it names. */
#include <string.h>

#include <sqlite3.h>

#include "errtail.h"
#include "utf8.h"

#define ERRTAIL_CODES 29	/* SQLITE_OK (0) to SQLITE_WARNING (28) */

void
errtail_reset(struct errtail *t)
{
	t->len = 0;
	t->total = 0;
}

void
errtail_add(struct errtail *t, const char *buf, size_t n)
{
	t->total += (long long)n;
	if (n >= ERRTAIL_KEEP) {
		memcpy(t->buf, buf + n - ERRTAIL_KEEP, ERRTAIL_KEEP);
		t->len = ERRTAIL_KEEP;
		return;
	}
	if (t->len + n > ERRTAIL_KEEP) {
		size_t drop = t->len + n - ERRTAIL_KEEP;

		memmove(t->buf, t->buf + drop, t->len - drop);
		t->len -= drop;
	}
	memcpy(t->buf + t->len, buf, n);
	t->len += n;
}

const char *
errtail_last(const struct errtail *t, size_t max, size_t *len)
{
	size_t cut = utf8_boundary(t->buf, t->len,
	    t->len > max ? t->len - max : 0);

	*len = t->len - cut;
	return t->buf + cut;
}

int
errtail_sqlite(const char *s, size_t n, const char **msg)
{
	/* What the library says of a code it has no text for. */
	const char *unknown = sqlite3_errstr(ERRTAIL_CODES);
	const char *best = NULL, *p, *m;
	size_t blen = 0, mlen;
	int code, found = 0;

	for (code = 1; code < ERRTAIL_CODES; code++) {
		m = sqlite3_errstr(code);
		if (m == NULL || (mlen = strlen(m)) == 0 ||
		    (unknown != NULL && strcmp(m, unknown) == 0))
			continue;
		if ((p = memmem(s, n, m, mlen)) == NULL)
			continue;
		if (best == NULL || p < best || (p == best && mlen > blen)) {
			best = p;
			blen = mlen;
			found = code;
			*msg = m;
		}
	}
	return found;
}
