/*
 * pointer: RFC 6901 JSON Pointers into a doc tree.
 */
#ifndef GATE_POINTER_H
#define GATE_POINTER_H

struct jnode;

/*
 * Resolve an RFC 6901 JSON Pointer. Returns the node, or NULL when the
 * path does not exist. A syntactically invalid pointer sets *bad.
 */
const struct jnode *doc_pointer(const struct jnode *, const char *ptr,
    int *bad);

/*
 * 1 when ptr does not resolve because a value on its way cannot hold the
 * next step: a string, number or boolean, or an array given a token that
 * is not an index; *at is then the length of the pointer to that value
 * (the prefix of ptr). 0 when it resolves, when a key or an index is
 * absent, and when a value on its way is null.
 */
int doc_pointer_blocked(const struct jnode *, const char *ptr, size_t *at);

/* Whether ptr is a syntactically valid RFC 6901 JSON Pointer. */
int doc_pointer_valid(const char *ptr);

#endif
