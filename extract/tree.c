/* tree: rare lines read again whole with yajl_tree, fields as the parser's. */
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_tree.h>

#include "event.h"
#include "tree.h"
#include "utf8.h"

/*
 * Turn each \u0000 escape of the n bytes of JSON text at s into \uFFFD,
 * in place: yajl_tree ends keys and strings at their first NUL, so a key
 * "k\u0000x" would read as "k".
 */
static void
nul_escapes(char *s, size_t n)
{
	size_t i;
	int in = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			in = !in;
		else if (in && s[i] == '\\' && i + 1 < n) {
			if (s[++i] == 'u' && n - i > 4 &&
			    memcmp(s + i + 1, "0000", 4) == 0)
				memcpy(s + i + 1, "FFFD", 4);
		}
	}
}

int
tree_parse(const unsigned char *line, size_t len, yajl_val *out)
{
	const char *s = (const char *)line;
	char *buf;
	size_t n;

	*out = NULL;
	/* yajl_tree checks UTF-8: repair the bytes first when needed. */
	if (utf8_valid_prefix(s, len) == len) {
		if ((buf = malloc(len + 1)) == NULL)
			return -1;
		memcpy(buf, s, len);
		n = len;
	} else {
		if ((buf = reallocarray(NULL, len + 1, 3)) == NULL)
			return -1;
		n = utf8_repair(s, len, buf);
	}
	buf[n] = '\0';
	nul_escapes(buf, n);
	/*
	 * The line parser took the line as one object, comments, NUL bytes
	 * and nesting past yajl's depth ruled out, and its strings are now
	 * valid UTF-8: yajl_tree fails on it only for want of memory.
	 */
	*out = yajl_tree_parse(buf, NULL, 0);
	free(buf);
	return *out == NULL ? -1 : 0;
}

yajl_val
tree_get(yajl_val v, const char *const *path)
{
	size_t i;

	for (; *path != NULL; path++) {
		if (!YAJL_IS_OBJECT(v))
			return NULL;
		for (i = v->u.object.len; i > 0; i--)
			if (strcmp(v->u.object.keys[i - 1], *path) == 0)
				break;
		if (i == 0)
			return NULL;
		v = v->u.object.values[i - 1];
	}
	return v;
}

void
tree_field(yajl_val v, struct field *out)
{
	memset(out, 0, sizeof(*out));
	if (v == NULL)
		return;
	switch (v->type) {
	case yajl_t_string:
		out->t = FT_STR;
		out->s = v->u.string;
		out->len = strlen(v->u.string);
		break;
	case yajl_t_number:
		out->t = FT_NUM;
		event_number(out, v->u.number.r, strlen(v->u.number.r));
		break;
	case yajl_t_object:
		out->t = FT_MAP;
		break;
	case yajl_t_array:
		out->t = FT_ARR;
		out->len = v->u.array.len;
		break;
	case yajl_t_true:
	case yajl_t_false:
		out->t = FT_BOOL;
		out->b = v->type == yajl_t_true;
		break;
	default:
		out->t = FT_NULL;
		break;
	}
}
