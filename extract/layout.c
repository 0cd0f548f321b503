/* layout: re-indent compact JSON, as yajl hands it over in pieces. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"

#define INDENT	"  "

struct layout {
	FILE		*fp;
	int		 depth;
	int		 opened;	/* the last byte opened a container */
	int		 in_str, esc;
};

struct layout *
layout_new(FILE *fp)
{
	struct layout *l;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		return NULL;
	l->fp = fp;
	return l;
}

void
layout_free(struct layout *l)
{
	free(l);
}

/* A new line indented to the current depth. */
static void
layout_newline(struct layout *l)
{
	int i;

	putc('\n', l->fp);
	for (i = 0; i < l->depth; i++)
		fputs(INDENT, l->fp);
}

/* One byte inside a string: copied, its escapes followed. */
static void
layout_str(struct layout *l, char c)
{
	putc(c, l->fp);
	if (l->esc)
		l->esc = 0;
	else if (c == '\\')
		l->esc = 1;
	else if (c == '"')
		l->in_str = 0;
}

/* One byte outside strings. */
static void
layout_byte(struct layout *l, char c)
{
	int close = c == '}' || c == ']';

	if (l->opened) {
		l->opened = 0;
		if (close) {
			l->depth--;
			putc(c, l->fp);
			return;
		}
		layout_newline(l);
	} else if (close) {
		l->depth--;
		layout_newline(l);
	}
	putc(c, l->fp);
	switch (c) {
	case '{':
	case '[':
		l->depth++;
		l->opened = 1;
		break;
	case ',':
		layout_newline(l);
		break;
	case ':':
		putc(' ', l->fp);
		break;
	case '"':
		l->in_str = 1;
		break;
	}
}

/*
 * The bytes of s[0 .. len - 1] in a string that need no look: up to its
 * closing quote or a backslash, after one just escaped.
 */
static size_t
layout_run(const struct layout *l, const char *s, size_t len)
{
	const char *q, *b;

	if (l->esc)
		return 0;
	if ((q = memchr(s, '"', len)) != NULL)
		len = (size_t)(q - s);
	if ((b = memchr(s, '\\', len)) != NULL)
		len = (size_t)(b - s);
	return len;
}

void
layout_print(void *arg, const char *s, size_t len)
{
	struct layout *l = arg;
	size_t i, n;

	for (i = 0; i < len; i++) {
		if (!l->in_str) {
			layout_byte(l, s[i]);
			continue;
		}
		if ((n = layout_run(l, s + i, len - i)) > 0) {
			fwrite(s + i, 1, n, l->fp);
			if ((i += n) == len)
				break;
		}
		layout_str(l, s[i]);
	}
}

int
layout_end(struct layout *l)
{
	putc('\n', l->fp);
	return ferror(l->fp) ? -1 : 0;
}
