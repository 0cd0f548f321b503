/* utf8: the one UTF-8 check (RFC 3629), and repair for output. */
#ifndef EXTRACT_UTF8_H
#define EXTRACT_UTF8_H

/* Length of the longest valid UTF-8 prefix of s (RFC 3629). */
size_t	utf8_valid_prefix(const char *s, size_t len);

/*
 * Copy s into out, replacing each byte that does not start a valid UTF-8
 * sequence with U+FFFD.  out must hold 3 * len bytes; returns its length.
 */
size_t	utf8_repair(const char *s, size_t len, char *out);

/*
 * A name as the document writes it: s itself when its len bytes are valid
 * UTF-8, else their repair in a malloc'd *tmp (NULL otherwise, for the
 * caller to free), *len then its length; so that two names written the
 * same are one key.  NULL when out of memory.
 */
const char *utf8_name(const char *s, size_t *len, char **tmp);

#endif
