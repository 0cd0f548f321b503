/* proto.c: the parent-worker protocol. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proto.h"

#define DIGEST_LEN 64

enum proto_kind
proto_parse(const char *line, size_t len, struct proto_commit *c)
{
	if (len == 0 || line[0] != PROTO_CTL)
		return PROTO_EVENT;
	if (len == 2 && line[1] == 'D')
		return PROTO_DONE;
	/* "\001W\t<64 hex>\t<key>" with a key of one byte at least */
	if (len < 3 + DIGEST_LEN + 2 || line[1] != 'W' || line[2] != '\t' ||
	    line[3 + DIGEST_LEN] != '\t')
		return PROTO_BAD;
	c->digest = line + 3;
	c->key = line + 3 + DIGEST_LEN + 1;
	c->keylen = len - (3 + DIGEST_LEN + 1);
	return PROTO_COMMIT;
}

char *
proto_commit_line(const char *digest, const char *key, size_t *len)
{
	char *line;
	int n;

	if ((n = asprintf(&line, "%cW\t%.*s\t%s\n", PROTO_CTL, DIGEST_LEN,
	    digest, key)) < 0)
		return NULL;
	*len = (size_t)n;
	return line;
}

void
proto_add(long long *counter)
{
	__atomic_store_n(counter, *counter + 1, __ATOMIC_RELAXED);
}

long long
proto_get(const long long *counter)
{
	return __atomic_load_n(counter, __ATOMIC_SEQ_CST);
}

void
proto_put(long long *field, long long v)
{
	__atomic_store_n(field, v, __ATOMIC_SEQ_CST);
}

long long
proto_take(long long *field)
{
	return __atomic_exchange_n(field, 0, __ATOMIC_SEQ_CST);
}

int
proto_clear(long long *field, long long v)
{
	return __atomic_compare_exchange_n(field, &v, 0, 0, __ATOMIC_SEQ_CST,
	    __ATOMIC_SEQ_CST);
}

int
proto_claim(long long *field, long long v)
{
	long long zero = 0;

	return __atomic_compare_exchange_n(field, &zero, v, 0,
	    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

void
proto_set_state(struct wstat *ws, long long state)
{
	__atomic_store_n(&ws->state, state, __ATOMIC_SEQ_CST);
}

long long
proto_state(const struct wstat *ws)
{
	return __atomic_load_n(&ws->state, __ATOMIC_SEQ_CST);
}

int
proto_go(int gofd, volatile sig_atomic_t *stop)
{
	char c;
	ssize_t n;

	while ((n = read(gofd, &c, 1)) != 0) {
		if (n < 0 && errno != EINTR)
			break;
		if (*stop)
			return -1;
	}
	return *stop ? -1 : 0;
}

void
proto_signals(void (*handler)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}
