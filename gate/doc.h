/*
 * doc: one JSON document read with yajl's callback parser into a small
 * read-only tree, with soak-gate's input limits (size and nesting).
 */
#ifndef GATE_DOC_H
#define GATE_DOC_H

#include <stddef.h>

#define DOC_MAX_BYTES	(64UL * 1024 * 1024)
#define DOC_MAX_DEPTH	64

enum jtype { J_NULL, J_FALSE, J_TRUE, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT };

struct jnode;
struct doc_reader;

/*
 * Incremental reader: feed bytes as they arrive, then finish. name (kept,
 * not copied) names the input in messages.
 */
struct doc_reader *doc_reader_new(const char *name);
/*
 * Feed len bytes. Returns 0, or -1 with a message in err ("NAME:LINE:COL:
 * not JSON", "NAME:1:1: a UTF-8 byte-order mark") once the input is
 * invalid, too large or too deep; after -1 only doc_reader_free is left.
 */
int doc_reader_feed(struct doc_reader *, const unsigned char *, size_t,
    char *err, size_t errlen);
/* End of input: the root (free with doc_free), or NULL with err set. */
struct jnode *doc_reader_finish(struct doc_reader *, char *err, size_t errlen);
/* Free a reader and any tree it holds; NULL is accepted. */
void doc_reader_free(struct doc_reader *);

/* Parse a whole buffer (the same rules); NULL with err on failure. */
struct jnode *doc_parse(const unsigned char *, size_t, char *err,
    size_t errlen);
/* Free a tree; NULL is accepted. */
void doc_free(struct jnode *);
/* A copy of scalar n, the caller's to free; NULL for a container or OOM. */
struct jnode *doc_copy(const struct jnode *n);

/* A type in words: "an array", "a string", "a number", "true", "null"... */
const char *doc_type_words(enum jtype);
/* A node's type, and whether it is a scalar (not an array or object). */
enum jtype doc_type(const struct jnode *);
int doc_is_scalar(const struct jnode *);
/* Number value, and its text exactly as written in the input. */
double doc_number(const struct jnode *);
const char *doc_number_text(const struct jnode *);
/* String bytes (may hold NUL) and their length. */
const char *doc_string(const struct jnode *, size_t *len);
/* Value of key in an object (the last one when a key repeats), or NULL. */
const struct jnode *doc_get(const struct jnode *, const char *key);

/* How many items or members an array or object has; 0 for a scalar, NULL. */
size_t doc_count(const struct jnode *);
/* Item or member value i of an array or object (or NULL), else NULL. */
const struct jnode *doc_item(const struct jnode *, size_t i);
/*
 * The key of member i of an object (NULL is accepted), or NULL; its length
 * into *len unless len is NULL, since a key may hold a NUL byte.
 */
const char *doc_key(const struct jnode *, size_t i, size_t *len);

/* Equality of two scalars as JSON values (numbers compared numerically). */
int doc_scalar_equal(const struct jnode *, const struct jnode *);
/* Equality of two values, arrays and objects member by member, in order. */
int doc_equal(const struct jnode *, const struct jnode *);

#endif
