/* key.h: cache keys of the built-in workload. */
#ifndef HARNESS_KEY_H
#define HARNESS_KEY_H

#include <stddef.h>

#define KEY_HASH16_LEN 16

/* First 16 lower-case hex digits of the SHA-256 of buf, NUL-terminated. */
void key_hash16(const void *buf, size_t len, char out[KEY_HASH16_LEN + 1]);
/* The full lower-case hex SHA-256 of buf (65 bytes with the NUL). */
void key_sha256(const void *buf, size_t len, char out[65]);
/* Write "SEGMENT:FILE:HASH16:1" into dst (size n); returns the length it
 * needs without the NUL, like snprintf. */
int key_format(char *dst, size_t n, const char *segment, const char *file,
    const char *hash16);
/* Eight hex digits naming a segment: the start of its path's SHA-256. */
void key_segment_id(const char *segment, char out[9]);

#endif
