/*
 * libFuzzer target for soak-harness's parsers: the first byte picks one,
 * the rest is its input. --shard's K/N, --start-at's moment, the stderr
 * tail and its SQLite error classifier, the UTF-8 check and repair, and a
 * worker's pipe fed to the relay in pieces (the line splitter and the
 * control lines). Every result is checked against what it promises.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../harness/errtail.h"
#include "../../harness/relay.h"
#include "../../harness/shard.h"
#include "../../harness/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_shard(const char *s)
{
	double t;
	int k, n;

	if (shard_parse(s, &k, &n) == 0 &&
	    (k < 1 || n < 1 || k > n || n > SHARD_MAX))
		abort();
	if (shard_time(s, &t) == 0 && !(t >= 0))
		abort();
}

static void
fuzz_tail(const char *s, size_t len)
{
	struct errtail t;
	const char *msg, *p;
	size_t n, half = len / 2;

	errtail_reset(&t);
	errtail_add(&t, s, half);
	errtail_add(&t, s + half, len - half);
	if (t.len > ERRTAIL_KEEP || t.total != (long long)len)
		abort();
	p = errtail_last(&t, ERRTAIL_SHOW, &n);
	if (n > ERRTAIL_SHOW || p + n != t.buf + t.len)
		abort();
	if (errtail_sqlite(t.buf, t.len, &msg) != 0 &&
	    memmem(t.buf, t.len, msg, strlen(msg)) == NULL)
		abort();
}

static void
fuzz_utf8(const char *s, size_t len)
{
	size_t v = utf8_valid(s, len), n, b;
	char *f;

	if (v > len || (b = utf8_boundary(s, len, len / 2)) < len / 2 ||
	    b > len)
		abort();
	if ((f = utf8_fix(s, len, &n)) == NULL)
		return;
	if (utf8_valid(f, n) != n || (v == len && (n != len ||
	    memcmp(f, s, len) != 0)))
		abort();
	free(f);
}

static int
fuzz_event(void *arg, const char *line, size_t len)
{
	(void)arg;
	if (len == 0 || line[len - 1] != '\n' || line[0] == '\001')
		abort();
	return 0;
}

static int
fuzz_commit(void *arg, const struct proto_commit *c)
{
	(void)arg;
	if (c->keylen == 0 || memchr(c->key, '\n', c->keylen) != NULL)
		abort();
	return 0;
}

static void
fuzz_relay(const char *s, size_t len)
{
	static const struct relay_cb cb = { fuzz_event, fuzz_commit };
	struct relay *r;
	size_t off = 0, step;

	if ((r = relay_new(&cb, NULL)) == NULL)
		return;
	/* Pieces of 1 to 64 bytes, the sizes taken from the bytes. */
	while (off < len) {
		step = 1 + ((unsigned char)s[off] & 63);
		if (step > len - off)
			step = len - off;
		relay_feed(r, s + off, step);
		off += step;
	}
	if (relay_partial(r) < 0 || relay_partial(r) > (long long)len)
		abort();
	relay_free(r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size == 0 || (s = malloc(size)) == NULL)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	switch (data[0] % 4) {
	case 0:
		fuzz_shard(s);
		break;
	case 1:
		fuzz_tail(s, size - 1);
		break;
	case 2:
		fuzz_utf8(s, size - 1);
		break;
	default:
		fuzz_relay(s, size - 1);
	}
	free(s);
	return 0;
}
