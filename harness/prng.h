/* prng.h: a small deterministic generator (splitmix64), so a run replays. */
#ifndef HARNESS_PRNG_H
#define HARNESS_PRNG_H

#include <stdint.h>

struct prng {
	uint64_t s;
};

/* Seed a stream: the same seed and stream always give the same sequence. */
void prng_init(struct prng *, uint64_t seed, uint64_t stream);
uint64_t prng_next(struct prng *);
/* A uniform value in [0, n); n > 0. */
uint64_t prng_below(struct prng *, uint64_t n);

#endif
