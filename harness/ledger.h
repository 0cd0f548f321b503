/* ledger.h: the record of writes the workers saw commit, by key, for
 * soak.verify after the run. */
#ifndef HARNESS_LEDGER_H
#define HARNESS_LEDGER_H

#include <stddef.h>

struct ledger;

/* An empty ledger; NULL when memory ran out. */
struct ledger *ledger_new(void);
void ledger_free(struct ledger *);
/* Record that key (keylen bytes) committed with a value whose SHA-256 is
 * digest (64 hex digits). A key committed again with another digest is
 * marked in conflict. Returns 0, or -1 when memory ran out. */
int ledger_commit(struct ledger *, const char *key, size_t keylen,
    const char *digest);
/* Call fn(arg, key, digest, conflict) for every key, in key order; key
 * and digest are NUL-terminated and valid during the call. */
void ledger_foreach(const struct ledger *,
    void (*fn)(void *arg, const char *key, const char *digest,
    int conflict), void *arg);

#endif
