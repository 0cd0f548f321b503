/*
 * text: strings made safe for the writers whatever bytes came in: valid
 * UTF-8 for JSON, and with no control characters for XML and Markdown.
 */
#ifndef GATE_TEXT_H
#define GATE_TEXT_H

#include <stddef.h>

/* s with U+FFFD for bad UTF-8, controls, U+FFFE/U+FFFF; NULL: OOM. */
char *text_safe(const char *s);
/* The same for bytes that are not valid UTF-8 alone (for JSON); NULL: OOM. */
char *text_utf8(const char *s);

/* Whether the len bytes at s are valid UTF-8 (RFC 3629: no overlong
 * form, surrogate or code point past U+10FFFF); NUL bytes are. */
int text_valid(const char *s, size_t len);

/* printf into a new string, the caller's to free; NULL when out of memory. */
char *text_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
