/* chaos.c: the schedule of --chaos-kill. */
#include <stdlib.h>
#include <time.h>

#include "chaos.h"
#include "clock.h"
#include "prng.h"

#define CHAOS_HUNT_MS 1000.0	/* how long to wait for a worker to write */
#define CHAOS_SPIN_MS 2.0	/* one spell of watching the states */
#define CHAOS_STREAM 0x6368616f73ULL

struct chaos {
	int n;			/* kills planned */
	int sent;		/* kills sent and not missed */
	double *at;		/* the run's fraction at which each is due */
	double hunt_until;	/* > 0: looking for a worker inside a write */
	struct prng p;
};

struct chaos *
chaos_new(int n, uint64_t seed)
{
	struct chaos *ch;
	int k;

	if ((ch = calloc(1, sizeof(*ch))) == NULL)
		return NULL;
	ch->n = n;
	if (n > 0 && (ch->at = calloc((size_t)n, sizeof(double))) == NULL) {
		free(ch);
		return NULL;
	}
	prng_init(&ch->p, seed, CHAOS_STREAM);
	for (k = 0; k < n; k++)
		ch->at[k] = 0.05 + 0.85 * ((double)k +
		    (double)prng_below(&ch->p, 1000000) / 1e6) / n;
	return ch;
}

void
chaos_free(struct chaos *ch)
{
	if (ch == NULL)
		return;
	free(ch->at);
	free(ch);
}

int
chaos_left(const struct chaos *ch)
{
	return ch->n - ch->sent;
}

int
chaos_sent(const struct chaos *ch)
{
	return ch->sent;
}

int
chaos_hunting(const struct chaos *ch)
{
	return ch->hunt_until > 0;
}

/* A kill chosen: count it and stop hunting. */
static int
chaos_take(struct chaos *ch, int slot)
{
	ch->sent++;
	ch->hunt_until = 0;
	return slot;
}

/* The run's fraction at which the due kill stops waiting for a write: a
 * third of the way to the next kill's part, and never past halfway to the
 * end, so that workers with operations left are still there to kill. */
static double
chaos_give_up(const struct chaos *ch)
{
	double at = ch->at[ch->sent], third = at + 0.85 / 3 / ch->n;
	double half = at + (1 - at) / 2;

	return third < half ? third : half;
}

int
chaos_step(struct chaos *ch, double progress, double now, chaos_pick pick,
    void *arg)
{
	struct timespec ts = { 0, 20000 };
	double until;
	int i;

	if (ch->sent >= ch->n)
		return -1;
	if (ch->hunt_until <= 0) {
		if (progress < ch->at[ch->sent])
			return -1;
		ch->hunt_until = now + CHAOS_HUNT_MS;
	}
	until = now + CHAOS_SPIN_MS;
	do {
		if ((i = pick(arg, 1, prng_next(&ch->p))) >= 0)
			return chaos_take(ch, i);
		nanosleep(&ts, NULL);
	} while ((now = clock_ms()) < until);
	if ((now >= ch->hunt_until || progress >= chaos_give_up(ch)) &&
	    (i = pick(arg, 0, prng_next(&ch->p))) >= 0)
		return chaos_take(ch, i);
	return -1;
}

void
chaos_missed(struct chaos *ch)
{
	if (ch->sent > 0)
		ch->sent--;
}
