/* symbols_py.c: the Python symbol extractor: class, def and async def
 * with qualified names. */
#include <stdlib.h>
#include <string.h>

#include "extractor.h"
#include "symbols.h"

#define PY_MAXSCOPE 128

/* Skip a string literal starting at the quote b[i]; returns the index
 * after it and counts newlines into *line. */
static size_t
py_string(const char *b, size_t n, size_t i, long *line)
{
	char q = b[i];
	int triple = i + 2 < n && b[i + 1] == q && b[i + 2] == q;

	i += triple ? 3 : 1;
	while (i < n) {
		if (b[i] == '\\') {
			if (i + 1 < n && b[i + 1] == '\n')
				(*line)++;
			i += 2;
			continue;
		}
		if (b[i] == '\n') {
			if (!triple)
				return i;	/* unterminated: the line ends it */
			(*line)++;
		} else if (b[i] == q) {
			if (!triple)
				return i + 1;
			if (i + 2 < n && b[i + 1] == q && b[i + 2] == q)
				return i + 3;
		}
		i++;
	}
	return n;
}

/* Skip the rest of a logical line from b[i]: strings, comments, brackets
 * and backslash continuations; returns the index after its newline. */
static size_t
py_rest(const char *b, size_t n, size_t i, long *line)
{
	long depth = 0;

	while (i < n) {
		switch (b[i]) {
		case '#':
			while (i < n && b[i] != '\n')
				i++;
			break;
		case '\'':
		case '"':
			i = py_string(b, n, i, line);
			break;
		case '\\':
			if (i + 1 < n && b[i + 1] == '\n') {
				(*line)++;
				i += 2;
			} else if (i + 2 < n && b[i + 1] == '\r' &&
			    b[i + 2] == '\n') {
				(*line)++;
				i += 3;
			} else
				i++;
			break;
		case '(': case '[': case '{':
			depth++;
			i++;
			break;
		case ')': case ']': case '}':
			if (depth > 0)
				depth--;
			i++;
			break;
		case '\n':
			(*line)++;
			i++;
			if (depth == 0)
				return i;
			break;
		default:
			i++;
		}
	}
	return n;
}

/* If b[i..] starts with word followed by a blank, return the index of the
 * first character after the blanks, else 0. */
static size_t
py_word(const char *b, size_t n, size_t i, const char *word)
{
	size_t k = strlen(word);

	if (i + k >= n || memcmp(b + i, word, k) != 0 ||
	    (b[i + k] != ' ' && b[i + k] != '\t'))
		return 0;
	i += k;
	while (i < n && (b[i] == ' ' || b[i] == '\t'))
		i++;
	return i;
}

struct py_scope {
	size_t indent;
	char *qual;
	int is_class;
};

int
symbols_python(const char *b, size_t n, struct symlist *l)
{
	struct py_scope st[PY_MAXSCOPE];
	size_t depth = 0, i = 0;
	long line = 1;
	int rc = 0;

	while (i < n) {
		size_t ind = 0, p, q, start;
		const char *kind = NULL;
		int is_class = 0;
		long lline;

		while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\f' ||
		    b[i] == '\r')) {
			if (b[i] == '\t')
				ind = (ind / 8 + 1) * 8;
			else if (b[i] == ' ')
				ind++;
			else if (b[i] == '\f')
				ind = 0;
			i++;
		}
		if (i >= n)
			break;
		if (b[i] == '\n') {
			line++;
			i++;
			continue;
		}
		if (b[i] == '#') {
			while (i < n && b[i] != '\n')
				i++;
			continue;
		}
		lline = line;
		p = i;
		if ((q = py_word(b, n, p, "async")) != 0)
			p = q;
		if ((q = py_word(b, n, p, "def")) != 0) {
			kind = "function";
			p = q;
		} else if (p == i && (q = py_word(b, n, p, "class")) != 0) {
			kind = "class";
			is_class = 1;
			p = q;
		}
		while (depth > 0 && st[depth - 1].indent >= ind)
			free(st[--depth].qual);
		if (kind != NULL && p < n && ident_start((unsigned char)b[p])) {
			const char *parent = depth ? st[depth - 1].qual : NULL;
			size_t plen = parent ? strlen(parent) + 1 : 0;
			char *qual;

			start = p;
			while (p < n && ident_char((unsigned char)b[p]))
				p++;
			if (!is_class && depth && st[depth - 1].is_class)
				kind = "method";
			if ((qual = malloc(plen + (p - start) + 1)) == NULL) {
				rc = -1;
				break;
			}
			if (parent) {
				memcpy(qual, parent, plen - 1);
				qual[plen - 1] = '.';
			}
			memcpy(qual + plen, b + start, p - start);
			qual[plen + (p - start)] = '\0';
			if (symbols_add(l, kind, qual, strlen(qual), lline) < 0) {
				free(qual);
				rc = -1;
				break;
			}
			if (depth < PY_MAXSCOPE) {
				st[depth].indent = ind;
				st[depth].qual = qual;
				st[depth].is_class = is_class;
				depth++;
			} else
				free(qual);
		}
		i = py_rest(b, n, i, &line);
	}
	while (depth > 0)
		free(st[--depth].qual);
	return rc;
}
