/* spread.h: exact division of operations over workers. */
#ifndef HARNESS_SPREAD_H
#define HARNESS_SPREAD_H


/* Operations for worker i (0-based) of workers: the first ops % workers
 * workers get one more, so the shares add up to ops exactly. */
long long spread_share(long long ops, int workers, int i);

#endif
