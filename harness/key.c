/* key.c: cache keys of the built-in workload, from SHA-256. */
#include <stdio.h>
#include <string.h>

#include <sha2.h>

#include "key.h"

void
key_sha256(const void *buf, size_t len, char out[65])
{
	SHA2_CTX ctx;

	SHA256Init(&ctx);
	SHA256Update(&ctx, buf, len);
	SHA256End(&ctx, out);
}

void
key_hash16(const void *buf, size_t len, char out[KEY_HASH16_LEN + 1])
{
	char full[65];

	key_sha256(buf, len, full);
	memcpy(out, full, KEY_HASH16_LEN);
	out[KEY_HASH16_LEN] = '\0';
}

int
key_format(char *dst, size_t n, const char *segment, const char *file,
    const char *hash16)
{
	return snprintf(dst, n, "%s:%s:%s:1", segment, file, hash16);
}

void
key_segment_id(const char *segment, char out[9])
{
	char full[65];

	key_sha256(segment, strlen(segment), full);
	memcpy(out, full, 8);
	out[8] = '\0';
}
