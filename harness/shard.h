/* shard.h: one run spread over hosts: --shard K/N and --start-at TIME. */
#ifndef HARNESS_SHARD_H
#define HARNESS_SHARD_H

#define SHARD_MAX 10000

/* Parse "K/N", 1 <= K <= N <= SHARD_MAX, decimal without sign or blank.
 * Returns 0 with *k and *n set, or -1. */
int shard_parse(const char *s, int *k, int *n);
/* Parse a moment: whole seconds since the epoch ("1796130000"), or ISO
 * 8601 UTC "YYYY-MM-DDTHH:MM:SS[.fraction]Z" (a space for T allowed).
 * Returns 0 with *t in seconds since the epoch, or -1. */
int shard_time(const char *s, double *t);
/* The number of worker slot (0-based) of shard k of n, unique across the
 * shards: slot * n + k. */
int shard_worker(int slot, int k, int n);

#endif
