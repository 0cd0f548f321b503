/* sampler.h: the database sampled during a run, from outside, and one
 * soak.db.sample line a second at most. */
#ifndef HARNESS_SAMPLER_H
#define HARNESS_SAMPLER_H

struct emitter;
struct sampler;

/* Lines at most this often, whatever the sampling interval. */
#define SAMPLER_WINDOW_MS 1000.0

/* Sample db every every_ms milliseconds from now (t0, clock_ms), writing
 * through em; db NULL or every_ms 0: a sampler that never samples. NULL
 * when memory ran out. */
struct sampler *sampler_new(const char *db, long long every_ms, double t0,
    struct emitter *em);
void sampler_free(struct sampler *);
/* The operations began at t0 (clock_ms), later than sampler_new's t0:
 * sample from then, in windows that start then. */
void sampler_begin(struct sampler *, double t0);
/* Take the samples due by now and write the windows that ended. Returns
 * the milliseconds until the next sample is due (-1: never). */
int sampler_tick(struct sampler *, double now);
/* Write what the window holds: the run is over. */
void sampler_finish(struct sampler *, double now);

#endif
