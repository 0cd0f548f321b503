/* utf8.h: the harness's one UTF-8 check (RFC 3629, strict). */
#ifndef HARNESS_UTF8_H
#define HARNESS_UTF8_H

#include <stddef.h>

/* The length of the longest prefix of s (len bytes) that is valid UTF-8:
 * no overlong forms, no surrogates, nothing above U+10FFFF. */
size_t utf8_valid(const char *s, size_t len);
/* 1 when the NUL-terminated s is valid UTF-8 without control
 * characters (below U+0020, or U+007F), else 0. */
int utf8_printable(const char *s);
/* s with every byte that does not start a valid sequence replaced by
 * U+FFFD, in a malloc'd NUL-terminated string (length in *outlen); NULL
 * when memory ran out. */
char *utf8_fix(const char *s, size_t len, size_t *outlen);
/* The smallest i >= at that is not inside a valid multi-byte sequence of
 * s, so that s + i starts on a character boundary. */
size_t utf8_boundary(const char *s, size_t len, size_t at);

#endif
