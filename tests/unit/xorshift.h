/*
 * xorshift.h: Marsaglia's xorshift64, for tests that want many inputs
 * that are the same on every run.
 */
#ifndef SOAK_TEST_XORSHIFT_H
#define SOAK_TEST_XORSHIFT_H

#include <stdint.h>

/* xorshift_next: the next value of the stream whose state is *s (never 0). */
static inline uint64_t
xorshift_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

#endif
