/*
 * text: one pass over a string that keeps valid UTF-8 and replaces all
 * else, so that no byte a document held can break the XML or the
 * Markdown soak-gate writes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

static const char replacement[] = "\xef\xbf\xbd";

/*
 * The length of the valid UTF-8 sequence at p (1 to 4) with its code
 * point in *cp, or 0 when the bytes at p are not one: overlong forms,
 * surrogates and code points past U+10FFFF included.
 */
static size_t
utf8_seq(const unsigned char *p, unsigned long *cp)
{
	static const unsigned long least[] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t i, n;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, *cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, *cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, *cp = p[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (p[i] & 0x3f);
	}
	if (*cp < least[n] || *cp > 0x10ffff ||
	    (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return n;
}

/* Whether code point cp may stand in soak-gate's XML and Markdown. */
static int
allowed(unsigned long cp)
{
	return cp >= 0x20 && cp != 0x7f && cp != 0xfffe && cp != 0xffff;
}

/* A copy of s with U+FFFD for bad bytes, and for controls when strict. */
static char *
text_copy(const char *s, int strict)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long cp;
	char *out, *o;
	size_t n;

	/* Each input byte becomes at most the 3 bytes of U+FFFD. */
	if ((out = o = malloc(strlen(s) * 3 + 1)) == NULL)
		return NULL;
	while (*p != '\0') {
		if ((n = utf8_seq(p, &cp)) > 0 && (!strict || allowed(cp))) {
			memcpy(o, p, n);
			o += n;
			p += n;
		} else {
			memcpy(o, replacement, 3);
			o += 3;
			p += n > 0 ? n : 1;
		}
	}
	*o = '\0';
	return out;
}

char *
text_safe(const char *s)
{
	return text_copy(s, 1);
}

char *
text_utf8(const char *s)
{
	return text_copy(s, 0);
}

int
text_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	unsigned char q[4];
	unsigned long cp;
	size_t n, k;

	while (p < end) {
		if (*p < 0x80) {
			p++;
			continue;
		}
		/* utf8_seq reads up to 4 bytes: those left, then NULs. */
		k = (size_t)(end - p) < sizeof(q) ? (size_t)(end - p) : sizeof(q);
		memset(q, 0, sizeof(q));
		memcpy(q, p, k);
		if ((n = utf8_seq(q, &cp)) == 0)
			return 0;
		p += n;
	}
	return 1;
}

char *
text_fmt(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return n == -1 ? NULL : s;
}
