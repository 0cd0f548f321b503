/* clock.h: time for timings and timestamps. */
#ifndef HARNESS_CLOCK_H
#define HARNESS_CLOCK_H

#include <stddef.h>

/* Monotonic milliseconds with microsecond resolution. */
double clock_ms(void);
/* Wall-clock seconds since the epoch, fractional. */
double clock_unix(void);
/* An ISO 8601 UTC timestamp with microseconds into buf (at least 32). */
void clock_iso(char *buf, size_t n);

#endif
