/* utf8.c: the harness's one UTF-8 check (RFC 3629, strict). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* The bytes of the valid sequence starting at u[0] (of n bytes), or 0.
 * The second byte's range rules out overlong forms, surrogates and code
 * points above U+10FFFF, as in RFC 3629's table. */
static size_t
utf8_seq(const unsigned char *u, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t need, k;

	if (u[0] < 0x80)
		return 1;
	if (u[0] < 0xc2 || u[0] > 0xf4)
		return 0;
	need = u[0] < 0xe0 ? 2 : u[0] < 0xf0 ? 3 : 4;
	if (u[0] == 0xe0)
		lo = 0xa0;
	else if (u[0] == 0xed)
		hi = 0x9f;
	else if (u[0] == 0xf0)
		lo = 0x90;
	else if (u[0] == 0xf4)
		hi = 0x8f;
	if (n < need || u[1] < lo || u[1] > hi)
		return 0;
	for (k = 2; k < need; k++)
		if ((u[k] & 0xc0) != 0x80)
			return 0;
	return need;
}

size_t
utf8_valid(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k;

	for (;;) {
		/* ASCII eight bytes at a time, then byte by byte. */
		for (; i + 8 <= len; i += 8) {
			uint64_t w;

			memcpy(&w, u + i, 8);
			if (w & 0x8080808080808080ULL)
				break;
		}
		while (i < len && u[i] < 0x80)
			i++;
		if (i == len || (k = utf8_seq(u + i, len - i)) == 0)
			return i;
		i += k;
	}
}

int
utf8_printable(const char *s)
{
	const unsigned char *u;
	size_t len = strlen(s);

	if (utf8_valid(s, len) != len)
		return 0;
	for (u = (const unsigned char *)s; *u; u++)
		if (*u < 0x20 || *u == 0x7f)
			return 0;
	return 1;
}

char *
utf8_fix(const char *s, size_t len, size_t *outlen)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, o = 0, k;
	char *out;

	if ((out = malloc(len * 3 + 1)) == NULL)
		return NULL;
	while (i < len) {
		if ((k = utf8_seq(u + i, len - i)) == 0) {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		} else {
			memcpy(out + o, s + i, k);
			o += k;
			i += k;
		}
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

size_t
utf8_boundary(const char *s, size_t len, size_t at)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t back, k;

	if (at >= len)
		return len;
	/* Back over continuation bytes, at most three, to a lead byte. */
	for (back = 0; back < 3 && back < at &&
	    (u[at - back] & 0xc0) == 0x80; back++)
		;
	k = utf8_seq(u + at - back, len - (at - back));
	return back > 0 && k > back ? at - back + k : at;
}
