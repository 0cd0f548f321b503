#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "symbols.h"

#define PY_MAXSCOPE 128
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
static int
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
	for (i = 0; i < len; ) {
		unsigned char c = (unsigned char)s[i];
		size_t k, need;

		if (c < 0x80) {
			i++;
			continue;
		}
		need = c >= 0xf0 && c < 0xf5 ? 3 : c >= 0xe0 ? 2 :
		    c >= 0xc2 && c < 0xe0 ? 1 : 0;
		if (c >= 0xf5)
			need = 0;
		for (k = 1; need && k <= need; k++)
			if (i + k >= len ||
			    ((unsigned char)s[i + k] & 0xc0) != 0x80)
				need = 0;
		if (need == 0) {
			s[i++] = '?';
			continue;
		}
		i += need + 1;
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

static int
ident_start(unsigned char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    c >= 0x80;
}

static int
ident_char(unsigned char c)
{
	return ident_start(c) || (c >= '0' && c <= '9');
}

/* --- Python ----------------------------------------------------------- */

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

static int
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

/* --- C ---------------------------------------------------------------- */

enum ctok { CT_END, CT_IDENT, CT_PUNCT, CT_STRING, CT_NUMBER };

struct clex {
	const char *b;
	size_t n, i;
	long line;
	int bol;	/* only blanks so far on this line */
};

struct ctoken {
	enum ctok t;
	const char *s;
	size_t len;
	long line;
};

/* Skip a preprocessor directive, honouring continuations and comments. */
static void
clex_directive(struct clex *x)
{
	while (x->i < x->n && x->b[x->i] != '\n') {
		if (x->b[x->i] == '\\' && x->i + 1 < x->n &&
		    (x->b[x->i + 1] == '\n' || x->b[x->i + 1] == '\r')) {
			x->i++;
			if (x->b[x->i] == '\r')
				x->i++;
			if (x->i < x->n && x->b[x->i] == '\n') {
				x->line++;
				x->i++;
			}
			continue;
		}
		if (x->b[x->i] == '/' && x->i + 1 < x->n &&
		    x->b[x->i + 1] == '*') {
			x->i += 2;
			while (x->i < x->n && !(x->b[x->i] == '*' &&
			    x->i + 1 < x->n && x->b[x->i + 1] == '/')) {
				if (x->b[x->i] == '\n')
					x->line++;
				x->i++;
			}
			x->i += 2;
			continue;
		}
		x->i++;
	}
}

/* The next token; comments, directives and blanks are skipped. */
static struct ctoken
clex_next(struct clex *x)
{
	struct ctoken t = { CT_END, NULL, 0, 0 };
	const char *b = x->b;

	for (;;) {
		if (x->i >= x->n)
			return t;
		if (b[x->i] == '\n') {
			x->line++;
			x->bol = 1;
			x->i++;
		} else if (b[x->i] == ' ' || b[x->i] == '\t' ||
		    b[x->i] == '\r' || b[x->i] == '\f' || b[x->i] == '\v') {
			x->i++;
		} else if (b[x->i] == '\\' && x->i + 1 < x->n &&
		    b[x->i + 1] == '\n') {
			x->i++;
		} else if (b[x->i] == '/' && x->i + 1 < x->n &&
		    b[x->i + 1] == '/') {
			while (x->i < x->n && b[x->i] != '\n')
				x->i++;
		} else if (b[x->i] == '/' && x->i + 1 < x->n &&
		    b[x->i + 1] == '*') {
			x->i += 2;
			while (x->i < x->n && !(b[x->i] == '*' &&
			    x->i + 1 < x->n && b[x->i + 1] == '/')) {
				if (b[x->i] == '\n')
					x->line++;
				x->i++;
			}
			x->i = x->i + 2 > x->n ? x->n : x->i + 2;
		} else if (b[x->i] == '#' && x->bol) {
			clex_directive(x);
		} else
			break;
	}
	x->bol = 0;
	t.s = b + x->i;
	t.line = x->line;
	if (ident_start((unsigned char)b[x->i])) {
		t.t = CT_IDENT;
		while (x->i < x->n && ident_char((unsigned char)b[x->i]))
			x->i++;
		/* An encoding prefix makes L"..." or u8'x' one literal. */
		if (x->i < x->n && (b[x->i] == '"' || b[x->i] == '\'') &&
		    x->i - (size_t)(t.s - b) <= 2)
			goto literal;
	} else if (b[x->i] >= '0' && b[x->i] <= '9') {
		t.t = CT_NUMBER;
		while (x->i < x->n && (ident_char((unsigned char)b[x->i]) ||
		    b[x->i] == '.' || b[x->i] == '\''))
			x->i++;
	} else if (b[x->i] == '"' || b[x->i] == '\'') {
		char q;
literal:
		q = b[x->i];
		t.t = CT_STRING;
		x->i++;
		while (x->i < x->n && b[x->i] != q && b[x->i] != '\n') {
			if (b[x->i] == '\\' && x->i + 1 < x->n) {
				if (b[x->i + 1] == '\n')
					x->line++;
				x->i++;
			}
			x->i++;
		}
		if (x->i < x->n && b[x->i] == q)
			x->i++;
	} else {
		t.t = CT_PUNCT;
		x->i++;
	}
	t.len = (size_t)(b + x->i - t.s);
	return t;
}

static int
ctok_is(const struct ctoken *t, const char *s)
{
	size_t k = strlen(s);

	return t->len == k && memcmp(t->s, s, k) == 0;
}

static int
ctok_attr(const struct ctoken *t)
{
	return t->t == CT_IDENT && (ctok_is(t, "__attribute__") ||
	    ctok_is(t, "__attribute") || ctok_is(t, "__declspec") ||
	    ctok_is(t, "__asm__") || ctok_is(t, "__asm") || ctok_is(t, "asm"));
}

struct cdecl {
	struct ctoken *v;
	size_t n, cap;
};

static int
cdecl_push(struct cdecl *d, struct ctoken t)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;
		struct ctoken *nv = reallocarray(d->v, cap, sizeof(*nv));

		if (nv == NULL)
			return -1;
		d->v = nv;
		d->cap = cap;
	}
	d->v[d->n++] = t;
	return 0;
}

/* Skip tokens up to the '}' matching an opening brace already read. */
static void
clex_skip_block(struct clex *x)
{
	long depth = 1;
	struct ctoken t;

	while (depth > 0 && (t = clex_next(x)).t != CT_END) {
		if (t.t != CT_PUNCT)
			continue;
		if (*t.s == '{')
			depth++;
		else if (*t.s == '}')
			depth--;
	}
}

/* Skip a balanced parenthesis group; the next token must be '('. */
static void
clex_skip_parens(struct clex *x)
{
	long depth = 0;
	struct ctoken t;

	while ((t = clex_next(x)).t != CT_END) {
		if (t.t != CT_PUNCT)
			continue;
		if (*t.s == '(')
			depth++;
		else if (*t.s == ')' && --depth <= 0)
			return;
		else if (*t.s == ';' || *t.s == '{' || *t.s == '}')
			return;	/* not balanced: give up on the group */
	}
}

/* The name of one typedef declarator v[0..n). */
static const struct ctoken *
ctypedef_name(const struct ctoken *v, size_t n)
{
	const struct ctoken *last = NULL;
	size_t k;
	long br = 0;

	for (k = 0; k < n; k++) {
		if (v[k].t == CT_PUNCT && *v[k].s == '(') {
			/* (*name)(...) names a pointer; name(...) a function. */
			if (k + 1 < n && v[k + 1].t == CT_PUNCT &&
			    (*v[k + 1].s == '*' || *v[k + 1].s == '^')) {
				for (k += 2; k < n && !(v[k].t == CT_PUNCT &&
				    *v[k].s == ')'); k++)
					if (v[k].t == CT_IDENT)
						last = &v[k];
			}
			return last;
		}
		if (v[k].t == CT_PUNCT && *v[k].s == '[')
			br++;
		else if (v[k].t == CT_PUNCT && *v[k].s == ']')
			br--;
		else if (v[k].t == CT_IDENT && br == 0)
			last = &v[k];
	}
	return last;
}

static int
ctypedefs(const struct cdecl *d, struct symlist *l)
{
	size_t k, from = 0, body = 0;
	long paren = 0;
	const struct ctoken *name;

	for (k = 0; k < d->n; k++)
		if (d->v[k].t == CT_IDENT && ctok_is(&d->v[k], "typedef"))
			break;
	if (k == d->n)
		return 0;
	/* Declarators start after the last body, or after the specifiers. */
	for (k = 0; k < d->n; k++)
		if (d->v[k].t == CT_PUNCT && *d->v[k].s == '}')
			body = k + 1;
	from = body;
	for (k = from; k <= d->n; k++) {
		if (k < d->n && d->v[k].t == CT_PUNCT) {
			if (*d->v[k].s == '(')
				paren++;
			else if (*d->v[k].s == ')')
				paren--;
		}
		if (k == d->n || (paren == 0 && d->v[k].t == CT_PUNCT &&
		    *d->v[k].s == ',')) {
			name = ctypedef_name(d->v + from, k - from);
			if (name != NULL && !ctok_is(name, "typedef") &&
			    symbols_add(l, "typedef", name->s, name->len,
			    name->line) < 0)
				return -1;
			from = k + 1;
		}
	}
	return 0;
}

static int
symbols_c(const char *b, size_t n, struct symlist *l)
{
	struct clex x = { b, n, 0, 1, 1 };
	struct cdecl d = { NULL, 0, 0 };
	struct ctoken t;
	long linkage = 0, paren = 0;
	int rc = 0;

	while ((t = clex_next(&x)).t != CT_END) {
		if (ctok_attr(&t)) {
			clex_skip_parens(&x);
			continue;
		}
		if (t.t != CT_PUNCT) {
			if (cdecl_push(&d, t) < 0)
				goto nomem;
			continue;
		}
		if (*t.s == '(' || *t.s == ')') {
			paren += *t.s == '(' ? 1 : -1;
			if (cdecl_push(&d, t) < 0)
				goto nomem;
			continue;
		}
		if (paren > 0 && *t.s != '{' && *t.s != '}' && *t.s != ';') {
			if (cdecl_push(&d, t) < 0)
				goto nomem;
			continue;
		}
		paren = 0;
		if (*t.s == ';') {
			if (ctypedefs(&d, l) < 0)
				goto nomem;
			d.n = 0;
			continue;
		}
		if (*t.s == '}') {
			if (linkage > 0)
				linkage--;
			d.n = 0;
			continue;
		}
		if (*t.s != '{') {
			if (cdecl_push(&d, t) < 0)
				goto nomem;
			continue;
		}
		/* An opening brace at file scope: what does it open? */
		if (d.n == 2 && ctok_is(&d.v[0], "extern") &&
		    d.v[1].t == CT_STRING) {
			linkage++;
			d.n = 0;
			continue;
		}
		{
			size_t k, lp = 0, haseq = 0, hasp = 0;
			long pd = 0;
			const struct ctoken *tag = NULL, *kw = NULL;

			if (d.n >= 1 && d.v[d.n - 1].t == CT_IDENT &&
			    (ctok_is(&d.v[d.n - 1], "struct") ||
			    ctok_is(&d.v[d.n - 1], "union") ||
			    ctok_is(&d.v[d.n - 1], "enum")))
				kw = &d.v[d.n - 1];
			else if (d.n >= 2 && d.v[d.n - 1].t == CT_IDENT &&
			    d.v[d.n - 2].t == CT_IDENT &&
			    (ctok_is(&d.v[d.n - 2], "struct") ||
			    ctok_is(&d.v[d.n - 2], "union") ||
			    ctok_is(&d.v[d.n - 2], "enum"))) {
				kw = &d.v[d.n - 2];
				tag = &d.v[d.n - 1];
			}
			for (k = 0; k < d.n; k++) {
				if (d.v[k].t != CT_PUNCT)
					continue;
				if (*d.v[k].s == '=' && pd == 0)
					haseq = 1;
				else if (*d.v[k].s == '(' && pd++ == 0) {
					hasp = 1;
					lp = k;	/* the last top-level group */
				} else if (*d.v[k].s == ')' && pd > 0)
					pd--;
			}
			if (kw != NULL) {
				if (tag != NULL) {
					if (symbols_add(l, ctok_is(kw, "struct") ?
					    "struct" : ctok_is(kw, "union") ?
					    "union" : "enum", tag->s, tag->len,
					    tag->line) < 0)
						goto nomem;
				}
				clex_skip_block(&x);
				t.s = "}";
				t.len = 1;
				t.t = CT_PUNCT;
				if (cdecl_push(&d, t) < 0)
					goto nomem;
				continue;
			}
			if (haseq) {
				clex_skip_block(&x);
				continue;
			}
			clex_skip_block(&x);
			if (hasp && lp > 0 && d.v[lp - 1].t == CT_IDENT &&
			    symbols_add(l, "function", d.v[lp - 1].s,
			    d.v[lp - 1].len, d.v[lp - 1].line) < 0)
				goto nomem;
			d.n = 0;
		}
	}
	free(d.v);
	return rc;
nomem:
	free(d.v);
	return -1;
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
