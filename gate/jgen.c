/*
 * jgen: the checked yajl_gen writers behind every JSON byte soak-gate
 * prints, the verdict document and the scalars in report lines alike.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "doc.h"
#include "jgen.h"
#include "text.h"

struct jgen {
	yajl_gen	 g;
	int		 failed;	/* a call did not return ok */
};

struct jgen *
jgen_new(void)
{
	struct jgen *j;

	if ((j = calloc(1, sizeof(*j))) == NULL)
		return NULL;
	if ((j->g = yajl_gen_alloc(NULL)) == NULL) {
		free(j);
		return NULL;
	}
	return j;
}

void
jgen_free(struct jgen *j)
{
	if (j == NULL)
		return;
	yajl_gen_free(j->g);
	free(j);
}

/* Record the status of one yajl_gen call: any but ok sticks. */
static void
jgen_check(struct jgen *j, yajl_gen_status st)
{
	if (st != yajl_gen_status_ok)
		j->failed = 1;
}

void
jgen_fail(struct jgen *j)
{
	j->failed = 1;
}

void
jgen_map_open(struct jgen *j)
{
	jgen_check(j, yajl_gen_map_open(j->g));
}

void
jgen_map_close(struct jgen *j)
{
	jgen_check(j, yajl_gen_map_close(j->g));
}

void
jgen_array_open(struct jgen *j)
{
	jgen_check(j, yajl_gen_array_open(j->g));
}

void
jgen_array_close(struct jgen *j)
{
	jgen_check(j, yajl_gen_array_close(j->g));
}

void
jgen_str(struct jgen *j, const char *s)
{
	char *u;

	/* Names and paths from the command line may be any bytes. */
	if ((u = text_utf8(s)) == NULL) {
		j->failed = 1;
		return;
	}
	jgen_check(j, yajl_gen_string(j->g, (const unsigned char *)u,
	    strlen(u)));
	free(u);
}

void
jgen_int(struct jgen *j, long long v)
{
	jgen_check(j, yajl_gen_integer(j->g, v));
}

void
jgen_bool(struct jgen *j, int v)
{
	jgen_check(j, yajl_gen_bool(j->g, v));
}

void
jgen_scalar(struct jgen *j, const struct jnode *n)
{
	const char *s;
	size_t len;

	if (n == NULL || doc_type(n) == J_NULL) {
		jgen_check(j, yajl_gen_null(j->g));
		return;
	}
	switch (doc_type(n)) {
	case J_FALSE:
	case J_TRUE:
		jgen_check(j, yajl_gen_bool(j->g, doc_type(n) == J_TRUE));
		break;
	case J_NUMBER:
		s = doc_number_text(n);
		jgen_check(j, yajl_gen_number(j->g, s, strlen(s)));
		break;
	case J_STRING:
		s = doc_string(n, &len);
		jgen_check(j, yajl_gen_string(j->g, (const unsigned char *)s,
		    len));
		break;
	default:
		j->failed = 1;
		break;
	}
}

void
jgen_value(struct jgen *j, const struct jnode *n)
{
	const char *key;
	size_t i, klen;

	if (n == NULL || doc_is_scalar(n)) {
		jgen_scalar(j, n);
		return;
	}
	if (doc_type(n) == J_OBJECT)
		jgen_map_open(j);
	else
		jgen_array_open(j);
	for (i = 0; i < doc_count(n); i++) {
		if ((key = doc_key(n, i, &klen)) != NULL)
			jgen_check(j, yajl_gen_string(j->g,
			    (const unsigned char *)key, klen));
		jgen_value(j, doc_item(n, i));
	}
	if (doc_type(n) == J_OBJECT)
		jgen_map_close(j);
	else
		jgen_array_close(j);
}

int
jgen_buf(struct jgen *j, const unsigned char **buf, size_t *len)
{
	if (j->failed)
		return -1;
	jgen_check(j, yajl_gen_get_buf(j->g, buf, len));
	return j->failed ? -1 : 0;
}

char *
jgen_text(const struct jnode *n)
{
	struct jgen *j;
	const unsigned char *out;
	char *s = NULL;
	size_t len;

	if ((j = jgen_new()) == NULL)
		return NULL;
	jgen_value(j, n);
	if (jgen_buf(j, &out, &len) == 0 && (s = malloc(len + 1)) != NULL) {
		memcpy(s, out, len);
		s[len] = '\0';
	}
	jgen_free(j);
	return s;
}

/* A newline, then two spaces for each of depth levels. */
static void
indent(FILE *fp, size_t depth)
{
	putc('\n', fp);
	while (depth-- > 0)
		fputs("  ", fp);
}

/*
 * yajl's compact text b re-indented on fp: two spaces a level, "key":
 * value, [] and {} when empty, a newline at the end.
 */
static void
reindent(FILE *fp, const unsigned char *b, size_t len)
{
	size_t i, depth = 0;
	int instr = 0, esc = 0;

	for (i = 0; i < len; i++) {
		if (instr) {
			putc(b[i], fp);
			if (esc)
				esc = 0;
			else if (b[i] == '\\')
				esc = 1;
			else if (b[i] == '"')
				instr = 0;
			continue;
		}
		switch (b[i]) {
		case '{':
		case '[':
			putc(b[i], fp);
			if (i + 1 < len && (b[i + 1] == '}' || b[i + 1] == ']'))
				putc(b[++i], fp);
			else
				indent(fp, ++depth);
			break;
		case '}':
		case ']':
			indent(fp, --depth);
			putc(b[i], fp);
			break;
		case ',':
			putc(',', fp);
			indent(fp, depth);
			break;
		case ':':
			fputs(": ", fp);
			break;
		default:
			instr = b[i] == '"';
			putc(b[i], fp);
			break;
		}
	}
	putc('\n', fp);
}

int
jgen_write(struct jgen *j, FILE *fp)
{
	const unsigned char *buf;
	size_t len;

	if (jgen_buf(j, &buf, &len) == -1) {
		errno = ENOMEM;
		return -1;
	}
	reindent(fp, buf, len);
	return ferror(fp) ? -1 : 0;
}
