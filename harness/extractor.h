/* extractor.h: what the symbol extractors of symbols_py.c and symbols_c.c
 * share with symbols.c. */
#ifndef HARNESS_EXTRACTOR_H
#define HARNESS_EXTRACTOR_H

#include <stddef.h>

struct symlist;

/* Append a symbol, copying name[0..len) (cut at 1024 bytes); bytes that
 * are not valid UTF-8 become '?'. Returns 0, or -1 when memory ran out. */
int symbols_add(struct symlist *, const char *kind, const char *name,
    size_t len, long line);
/* Bytes that may start, and continue, an identifier (any byte of a
 * multi-byte character counts). */
int ident_start(unsigned char c);
int ident_char(unsigned char c);
/* The extractors: symbols of b (n bytes) into l; 0, or -1 when memory
 * ran out. */
int symbols_python(const char *b, size_t n, struct symlist *l);
int symbols_c(const char *b, size_t n, struct symlist *l);

#endif
