/* symbols.c: the symbol list shared by the extractors, and its JSON. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "extractor.h"
#include "symbols.h"
#include "utf8.h"

#define NAME_MAX_BYTES 1024

enum symlang
symbols_lang(const char *path)
{
	const char *dot;

	dot = strrchr(path, '.');
	if (dot == NULL || strchr(dot, '/') != NULL)
		return SYMLANG_NONE;
	if (strcmp(dot, ".py") == 0)
		return SYMLANG_PYTHON;
	if (strcmp(dot, ".c") == 0 || strcmp(dot, ".h") == 0)
		return SYMLANG_C;
	return SYMLANG_NONE;
}

/* Append a symbol, copying name[0..len); bytes that are not valid UTF-8
 * become '?' so the JSON value stays valid. */
int
symbols_add(struct symlist *l, const char *kind, const char *name,
    size_t len, long line)
{
	struct symbol *nv;
	char *s;
	size_t i;

	if (len > NAME_MAX_BYTES)
		len = NAME_MAX_BYTES;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;

		nv = reallocarray(l->v, cap, sizeof(*nv));
		if (nv == NULL)
			return -1;
		l->v = nv;
		l->cap = cap;
	}
	if ((s = malloc(len + 1)) == NULL)
		return -1;
	memcpy(s, name, len);
	s[len] = '\0';
	/* Each byte that does not start a valid sequence becomes '?'. */
	for (i = 0; i < len; ) {
		size_t k = utf8_valid(s + i, len - i);

		if (k == 0)
			s[i++] = '?';
		else
			i += k;
	}
	l->v[l->n].kind = kind;
	l->v[l->n].name = s;
	l->v[l->n].line = line;
	l->n++;
	return 0;
}

void
symbols_free(struct symlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

int
ident_start(unsigned char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    c >= 0x80;
}

int
ident_char(unsigned char c)
{
	return ident_start(c) || (c >= '0' && c <= '9');
}

int
symbols_extract(enum symlang lang, const char *buf, size_t len,
    struct symlist *l)
{
	switch (lang) {
	case SYMLANG_PYTHON:
		return symbols_python(buf, len, l);
	case SYMLANG_C:
		return symbols_c(buf, len, l);
	default:
		return 0;
	}
}

char *
symbols_json(const struct symlist *l, size_t *len)
{
	yajl_gen g;
	const unsigned char *buf;
	size_t i, blen;
	char *out = NULL;
	int bad = 0;

	if ((g = yajl_gen_alloc(NULL)) == NULL)
		return NULL;
	yajl_gen_config(g, yajl_gen_validate_utf8, 1);
	bad |= yajl_gen_array_open(g);
	for (i = 0; i < l->n && !bad; i++) {
		const struct symbol *s = &l->v[i];

		bad |= yajl_gen_map_open(g);
		bad |= yajl_gen_string(g, (const unsigned char *)"kind", 4);
		bad |= yajl_gen_string(g, (const unsigned char *)s->kind,
		    strlen(s->kind));
		bad |= yajl_gen_string(g, (const unsigned char *)"name", 4);
		bad |= yajl_gen_string(g, (const unsigned char *)s->name,
		    strlen(s->name));
		bad |= yajl_gen_string(g, (const unsigned char *)"line", 4);
		bad |= yajl_gen_integer(g, s->line);
		bad |= yajl_gen_map_close(g);
	}
	bad |= yajl_gen_array_close(g);
	if (!bad && yajl_gen_get_buf(g, &buf, &blen) == yajl_gen_status_ok &&
	    (out = malloc(blen + 1)) != NULL) {
		memcpy(out, buf, blen);
		out[blen] = '\0';
		*len = blen;
	}
	yajl_gen_free(g);
	return out;
}
