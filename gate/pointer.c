/*
 * pointer: RFC 6901 JSON Pointers ("/cache/hit_rate_warm") resolved in a
 * doc tree through doc.h alone.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "pointer.h"

/* Decode one reference token (~0, ~1) into buf; -1 if malformed. */
static int
pointer_token(const char *s, size_t len, char *buf, size_t *outlen)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		if (s[i] != '~') {
			buf[o++] = s[i];
			continue;
		}
		if (i + 1 == len || (s[i + 1] != '0' && s[i + 1] != '1'))
			return -1;
		buf[o++] = s[i + 1] == '0' ? '~' : '/';
		i++;
	}
	buf[o] = '\0';
	*outlen = o;
	return 0;
}

/* Array index per RFC 6901: "0" or digits without a leading zero. */
static int
pointer_index(const char *tok, size_t len, size_t *idx)
{
	size_t i, v = 0;

	if (len == 0 || (len > 1 && tok[0] == '0'))
		return -1;
	for (i = 0; i < len; i++) {
		if (tok[i] < '0' || tok[i] > '9' || v > (SIZE_MAX - 9) / 10)
			return -1;
		v = v * 10 + (size_t)(tok[i] - '0');
	}
	*idx = v;
	return 0;
}

int
doc_pointer_valid(const char *p)
{
	if (*p != '\0' && *p != '/')
		return 0;
	for (; (p = strchr(p, '~')) != NULL; p++)
		if (p[1] != '0' && p[1] != '1')
			return 0;
	return 1;
}

/*
 * doc_pointer's walk; *blocked is set to 1 when it stops at a value that
 * cannot hold the next step, and *at to the length of the pointer to that
 * value; else *blocked is 0.
 */
static const struct jnode *
pointer_walk(const struct jnode *root, const char *ptr, int *bad,
    int *blocked, size_t *at)
{
	const struct jnode *n = root;
	const char *p, *end;
	char *tok;
	size_t len, idx;

	*bad = *blocked = 0;
	if (*ptr == '\0')
		return root;
	if (*ptr != '/') {
		*bad = 1;
		return NULL;
	}
	if ((tok = malloc(strlen(ptr) + 1)) == NULL) {
		*bad = 1;
		return NULL;
	}
	for (p = ptr + 1; n != NULL; p = end + 1) {
		end = strchr(p, '/');
		if (end == NULL)
			end = p + strlen(p);
		if (pointer_token(p, (size_t)(end - p), tok, &len) == -1) {
			*bad = 1;
			n = NULL;
			break;
		}
		if (doc_type(n) == J_OBJECT)
			n = doc_get(n, tok);
		else if (doc_type(n) == J_ARRAY &&
		    pointer_index(tok, len, &idx) == 0)
			n = doc_item(n, idx);
		else {
			*blocked = doc_type(n) != J_NULL;
			*at = (size_t)(p - 1 - ptr);
			n = NULL;
		}
		if (*end == '\0')
			break;
	}
	free(tok);
	return n;
}

const struct jnode *
doc_pointer(const struct jnode *root, const char *ptr, int *bad)
{
	int blocked;
	size_t at;

	return pointer_walk(root, ptr, bad, &blocked, &at);
}

int
doc_pointer_blocked(const struct jnode *root, const char *ptr, size_t *at)
{
	int bad, blocked;

	(void)pointer_walk(root, ptr, &bad, &blocked, at);
	return blocked;
}
