/* symbols_c.c: the C symbol extractor: function definitions, tagged
 * struct, union and enum definitions, typedef names. */
#include <stdlib.h>
#include <string.h>

#include "extractor.h"
#include "symbols.h"

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

/* Skip blanks, comments, continuations and directives; 0 at the end of
 * the buffer. */
static int
clex_blank(struct clex *x)
{
	const char *b = x->b;

	for (;;) {
		if (x->i >= x->n)
			return 0;
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
			return 1;
	}
}

/* A string or character literal from its quote at b[x->i]. */
static void
clex_literal(struct clex *x, struct ctoken *t)
{
	const char *b = x->b;
	char q = b[x->i];

	t->t = CT_STRING;
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
}

/* The next token; comments, directives and blanks are skipped. */
static struct ctoken
clex_next(struct clex *x)
{
	struct ctoken t = { CT_END, NULL, 0, 0 };
	const char *b = x->b;

	if (!clex_blank(x))
		return t;
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
			clex_literal(x, &t);
	} else if (b[x->i] >= '0' && b[x->i] <= '9') {
		t.t = CT_NUMBER;
		while (x->i < x->n && (ident_char((unsigned char)b[x->i]) ||
		    b[x->i] == '.' || b[x->i] == '\''))
			x->i++;
	} else if (b[x->i] == '"' || b[x->i] == '\'') {
		clex_literal(x, &t);
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

int
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
