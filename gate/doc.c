/*
 * doc: a JSON document as a read-only tree, built from yajl's callback
 * parser so that size and nesting limits are enforced while reading.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "doc.h"
#include "text.h"

struct jnode {
	enum jtype	  type;
	double		  num;
	char		 *text;		/* number text or string bytes */
	size_t		  len;
	struct jnode	**kids;		/* array items or object values */
	char		**keys;		/* object keys, NUL-terminated */
	size_t		 *klens;	/* their lengths: a key may hold NUL */
	size_t		  n, cap;
};

struct doc_reader {
	yajl_handle	  h;
	struct jnode	 *root;
	struct jnode	 *stack[DOC_MAX_DEPTH];
	int		  depth;
	char		 *key;		/* pending object key */
	size_t		  keylen;
	size_t		  total;	/* bytes fed so far */
	size_t		  line, col;	/* position after the bytes fed */
	int		  oom, toodeep, failed;
	int		  seen;		/* a byte other than a blank was fed */
	const char	 *name;		/* input name for messages */
};

/* A new empty node of type t, or NULL. */
static struct jnode *
node_new(enum jtype t)
{
	struct jnode *n;

	if ((n = calloc(1, sizeof(*n))) != NULL)
		n->type = t;
	return n;
}

void
doc_free(struct jnode *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->n; i++) {
		doc_free(n->kids[i]);
		if (n->keys != NULL)
			free(n->keys[i]);
	}
	free(n->kids);
	free(n->keys);
	free(n->klens);
	free(n->text);
	free(n);
}

/* A NUL-terminated copy of len bytes of p, or NULL. */
static char *
memdup0(const void *p, size_t len)
{
	char *s;

	if ((s = malloc(len + 1)) == NULL)
		return NULL;
	memcpy(s, p, len);
	s[len] = '\0';
	return s;
}

/*
 * Attach n to the open container (or make it the root); takes n, and a
 * NULL n means out of memory. Returns 0, or -1 when out of memory.
 */
static int
reader_add(struct doc_reader *r, struct jnode *n)
{
	struct jnode *p;
	size_t ncap;

	if (n == NULL) {
		r->oom = 1;
		return -1;
	}
	if (r->depth == 0) {
		doc_free(r->root);
		r->root = n;
		return 0;
	}
	p = r->stack[r->depth - 1];
	if (p->n == p->cap) {
		ncap = p->cap ? p->cap * 2 : 8;
		struct jnode **k = reallocarray(p->kids, ncap, sizeof(*k));
		if (k == NULL)
			goto oom;
		p->kids = k;
		if (p->type == J_OBJECT) {
			char **ks = reallocarray(p->keys, ncap, sizeof(*ks));
			if (ks == NULL)
				goto oom;
			p->keys = ks;
			size_t *kl = reallocarray(p->klens, ncap, sizeof(*kl));
			if (kl == NULL)
				goto oom;
			p->klens = kl;
		}
		p->cap = ncap;
	}
	p->kids[p->n] = n;
	if (p->type == J_OBJECT) {
		p->keys[p->n] = r->key;
		p->klens[p->n] = r->keylen;
		r->key = NULL;
	}
	p->n++;
	return 0;
oom:
	doc_free(n);
	r->oom = 1;
	return -1;
}

/* A number or string node holding a copy of len bytes of s, or NULL. */
static struct jnode *
node_text(enum jtype t, const void *s, size_t len)
{
	struct jnode *n;

	if ((n = node_new(t)) == NULL)
		return NULL;
	if ((n->text = memdup0(s, len)) == NULL) {
		doc_free(n);
		return NULL;
	}
	n->len = len;
	return n;
}

struct jnode *
doc_copy(const struct jnode *n)
{
	struct jnode *c;

	if (!doc_is_scalar(n))
		return NULL;
	if (n->type == J_NUMBER || n->type == J_STRING) {
		if ((c = node_text(n->type, n->text, n->len)) != NULL)
			c->num = n->num;
		return c;
	}
	return node_new(n->type);
}

/* The yajl callbacks return 1 to go on, 0 to stop the parse. */

static int
cb_null(void *ctx)
{
	return reader_add(ctx, node_new(J_NULL)) == 0;
}

static int
cb_boolean(void *ctx, int v)
{
	return reader_add(ctx, node_new(v ? J_TRUE : J_FALSE)) == 0;
}

static int
cb_number(void *ctx, const char *s, size_t len)
{
	struct jnode *n;

	if ((n = node_text(J_NUMBER, s, len)) != NULL)
		n->num = strtod(n->text, NULL);
	return reader_add(ctx, n) == 0;
}

/* A string or key that is not valid UTF-8 stops the parse: not JSON.
 * yajl's own check lets overlong forms and surrogates through. */
static int
cb_string(void *ctx, const unsigned char *s, size_t len)
{
	if (!text_valid((const char *)s, len))
		return 0;
	return reader_add(ctx, node_text(J_STRING, s, len)) == 0;
}

static int
cb_key(void *ctx, const unsigned char *s, size_t len)
{
	struct doc_reader *r = ctx;

	if (!text_valid((const char *)s, len))
		return 0;
	free(r->key);
	if ((r->key = memdup0(s, len)) == NULL) {
		r->oom = 1;
		return 0;
	}
	r->keylen = len;
	return 1;
}

/* Open a container of type t: 0, or -1 when too deep or out of memory. */
static int
open_container(struct doc_reader *r, enum jtype t)
{
	struct jnode *n;

	if (r->depth == DOC_MAX_DEPTH) {
		r->toodeep = 1;
		return -1;
	}
	if (reader_add(r, n = node_new(t)) == -1)
		return -1;
	r->stack[r->depth++] = n;
	return 0;
}

static int
cb_start_map(void *ctx)
{
	return open_container(ctx, J_OBJECT) == 0;
}

static int
cb_start_array(void *ctx)
{
	return open_container(ctx, J_ARRAY) == 0;
}

static int
cb_end(void *ctx)
{
	struct doc_reader *r = ctx;

	r->depth--;
	return 1;
}

static const yajl_callbacks callbacks = {
	.yajl_null = cb_null,
	.yajl_boolean = cb_boolean,
	.yajl_number = cb_number,
	.yajl_string = cb_string,
	.yajl_start_map = cb_start_map,
	.yajl_map_key = cb_key,
	.yajl_end_map = cb_end,
	.yajl_start_array = cb_start_array,
	.yajl_end_array = cb_end,
};

struct doc_reader *
doc_reader_new(const char *name)
{
	struct doc_reader *r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	if ((r->h = yajl_alloc(&callbacks, NULL, r)) == NULL) {
		free(r);
		return NULL;
	}
	r->line = 1;
	r->col = 1;
	r->name = name;
	return r;
}

void
doc_reader_free(struct doc_reader *r)
{
	if (r == NULL)
		return;
	yajl_free(r->h);
	doc_free(r->root);
	free(r->key);
	free(r);
}

/* Advance the line and column over len bytes of input. */
static void
reader_advance(struct doc_reader *r, const unsigned char *p, size_t len)
{
	const unsigned char *nl, *end = p + len;

	while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		r->line++;
		r->col = 1;
		p = nl + 1;
	}
	r->col += (size_t)(end - p);
}

/*
 * Describe why the parse stopped, at the current position, in the words
 * of soak-gate(1): yajl's own message is for programmers, not users.
 */
static void
reader_error(struct doc_reader *r, char *err, size_t errlen)
{
	if (r->toodeep)
		snprintf(err, errlen, "%s:%zu:%zu: nesting deeper than %d "
		    "levels", r->name, r->line, r->col, DOC_MAX_DEPTH);
	else if (r->oom)
		snprintf(err, errlen, "%s:%zu:%zu: out of memory", r->name,
		    r->line, r->col);
	else
		snprintf(err, errlen, "%s:%zu:%zu: not JSON", r->name,
		    r->line, r->col);
	r->failed = 1;
}

/* Note whether len bytes of p hold more than blanks (JSON's whitespace). */
static void
reader_seen(struct doc_reader *r, const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len && !r->seen; i++)
		r->seen = strchr(" \t\r\n", p[i]) == NULL || p[i] == '\0';
}

int
doc_reader_feed(struct doc_reader *r, const unsigned char *buf, size_t len,
    char *err, size_t errlen)
{
	size_t used;

	if (r->failed)
		return -1;
	if (len > DOC_MAX_BYTES - r->total) {
		snprintf(err, errlen, "%s: input larger than %lu MiB",
		    r->name, DOC_MAX_BYTES / (1024 * 1024));
		r->failed = 1;
		return -1;
	}
	if (r->total == 0 && len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		snprintf(err, errlen, "%s:1:1: a UTF-8 byte-order mark",
		    r->name);
		r->failed = 1;
		return -1;
	}
	r->total += len;
	reader_seen(r, buf, len);
	if (yajl_parse(r->h, buf, len) != yajl_status_ok) {
		/* Point at the byte yajl stopped on, the last consumed. */
		used = yajl_get_bytes_consumed(r->h);
		if (used > len)
			used = len;
		reader_advance(r, buf, used > 0 ? used - 1 : 0);
		reader_error(r, err, errlen);
		return -1;
	}
	reader_advance(r, buf, len);
	return 0;
}

struct jnode *
doc_reader_finish(struct doc_reader *r, char *err, size_t errlen)
{
	struct jnode *root;

	if (r->failed)
		return NULL;
	if (!r->seen) {
		snprintf(err, errlen, "%s: empty input", r->name);
		r->failed = 1;
		return NULL;
	}
	if (yajl_complete_parse(r->h) != yajl_status_ok || r->root == NULL) {
		reader_error(r, err, errlen);
		return NULL;
	}
	root = r->root;
	r->root = NULL;
	return root;
}

struct jnode *
doc_parse(const unsigned char *buf, size_t len, char *err, size_t errlen)
{
	struct doc_reader *r;
	struct jnode *root = NULL;

	if ((r = doc_reader_new("<string>")) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (doc_reader_feed(r, buf, len, err, errlen) == 0)
		root = doc_reader_finish(r, err, errlen);
	doc_reader_free(r);
	return root;
}

const char *
doc_type_words(enum jtype t)
{
	static const char *const words[] = { "null", "false", "true",
	    "a number", "a string", "an array", "an object" };

	return words[t];
}

enum jtype
doc_type(const struct jnode *n)
{
	return n->type;
}

int
doc_is_scalar(const struct jnode *n)
{
	return n->type != J_ARRAY && n->type != J_OBJECT;
}

double
doc_number(const struct jnode *n)
{
	return n->num;
}

const char *
doc_number_text(const struct jnode *n)
{
	return n->text;
}

const char *
doc_string(const struct jnode *n, size_t *len)
{
	if (len != NULL)
		*len = n->len;
	return n->text;
}

/* Value of the key (len bytes) in object o, the last one if repeated. */
static const struct jnode *
object_get(const struct jnode *o, const char *key, size_t len)
{
	size_t i;

	for (i = o->n; i-- > 0;)
		if (o->klens[i] == len && memcmp(o->keys[i], key, len) == 0)
			return o->kids[i];
	return NULL;
}

const struct jnode *
doc_get(const struct jnode *o, const char *key)
{
	if (o == NULL || o->type != J_OBJECT)
		return NULL;
	return object_get(o, key, strlen(key));
}

size_t
doc_count(const struct jnode *n)
{
	return n != NULL && (n->type == J_ARRAY || n->type == J_OBJECT) ?
	    n->n : 0;
}

const struct jnode *
doc_item(const struct jnode *n, size_t i)
{
	return i < doc_count(n) ? n->kids[i] : NULL;
}

const char *
doc_key(const struct jnode *n, size_t i, size_t *len)
{
	if (n == NULL || n->type != J_OBJECT || i >= n->n)
		return NULL;
	if (len != NULL)
		*len = n->klens[i];
	return n->keys[i];
}

int
doc_scalar_equal(const struct jnode *a, const struct jnode *b)
{
	if (a->type != b->type)
		return 0;
	switch (a->type) {
	case J_NUMBER:
		return a->num == b->num;
	case J_STRING:
		return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
	case J_NULL:
	case J_TRUE:
	case J_FALSE:
		return 1;
	default:
		return 0;
	}
}

int
doc_equal(const struct jnode *a, const struct jnode *b)
{
	size_t i;

	if (doc_is_scalar(a) || doc_is_scalar(b))
		return doc_scalar_equal(a, b);
	if (a->type != b->type || a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if ((a->type == J_OBJECT && (a->klens[i] != b->klens[i] ||
		    memcmp(a->keys[i], b->keys[i], a->klens[i]) != 0)) ||
		    !doc_equal(a->kids[i], b->kids[i]))
			return 0;
	return 1;
}
