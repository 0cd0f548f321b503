/* prng.c: splitmix64, so a run replays from its seed. */
#include "prng.h"

static uint64_t
prng_mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void
prng_init(struct prng *p, uint64_t seed, uint64_t stream)
{
	p->s = prng_mix(seed) ^ prng_mix(stream * 0x9e3779b97f4a7c15ULL + 1);
}

uint64_t
prng_next(struct prng *p)
{
	p->s += 0x9e3779b97f4a7c15ULL;
	return prng_mix(p->s);
}

uint64_t
prng_below(struct prng *p, uint64_t n)
{
	uint64_t lim, x;

	/* Reject the top remainder so every value is equally likely. */
	lim = UINT64_MAX - UINT64_MAX % n;
	do
		x = prng_next(p);
	while (x >= lim);
	return x % n;
}
