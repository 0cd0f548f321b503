/* chaos.h: the schedule of --chaos-kill: when each kill is due, and the
 * hunt for a worker inside a write when it is. The parent sends the
 * kills; this module only chooses. */
#ifndef HARNESS_CHAOS_H
#define HARNESS_CHAOS_H

#include <stdint.h>

struct chaos;

/* Chooses a slot to kill: one whose worker is busy and, when in_write,
 * inside a write transaction; r is a random number to start the search
 * at. Returns the slot, or -1 when there is none. */
typedef int (*chaos_pick)(void *arg, int in_write, uint64_t r);

/* A plan of n kills (0: none), one at a random point, from seed, in each
 * of n equal parts of the run between 5% and 90% of it. NULL when memory
 * ran out. */
struct chaos *chaos_new(int n, uint64_t seed);
void chaos_free(struct chaos *);
/* Kills planned and not yet sent. */
int chaos_left(const struct chaos *);
/* Kills sent and not missed. */
int chaos_sent(const struct chaos *);
/* 1 while a kill is due and its target not found: poll without sleep. */
int chaos_hunting(const struct chaos *);
/* The slot to kill now, or -1. progress is the run's fraction done (0 to
 * 1) and now clock_ms(). When a kill is due it watches pick(arg, 1, ..)
 * for a spell of milliseconds; after a second of hunting, or once the
 * run went on by a third of the distance between kills (or by half of
 * what was left of it), it takes pick(arg, 0, ..). A slot returned
 * counts as a kill sent. */
int chaos_step(struct chaos *, double progress, double now, chaos_pick,
    void *arg);
/* The last kill found its worker already ended: it is due again. */
void chaos_missed(struct chaos *);

#endif
