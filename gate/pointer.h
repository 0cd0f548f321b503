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

/* Whether ptr is a syntactically valid RFC 6901 JSON Pointer. */
int doc_pointer_valid(const char *ptr);

#endif
