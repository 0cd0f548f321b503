/* event: parse soak-events(5) lines with yajl's callback parser. */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "event.h"
#include "strtab.h"
#include "ts.h"

/*
 * One yajl handle parses line after line (yajl_allow_multiple_values);
 * it is replaced only after a line it could not parse.  Strings are not
 * UTF-8 validated: they are bytes, and the writer repairs what it prints.
 */
struct parser {
	yajl_handle	 h;
	yajl_callbacks	 cb;		/* what h calls, changed while quiet */
	int		 quiet;		/* depth of the container being skipped */
	struct event	*ev;
	int		 depth;
	int		 done;		/* a top-level value ended */
	size_t		 end;		/* line offset just past that value */
	const char	*bad;		/* why the line is not one object */
	int		 key1;		/* field of the current depth-1 key */
	int		 ctx2;		/* F_ARGS, F_RESULT, F_X or -1 */
	int		 key2;		/* field of the current depth-2 key */
	int		 nomem;
	struct ts_memo	 memo;		/* the last time stamp's second */
	char		*buf;		/* copies of the kept strings */
	size_t		 bufsz, bufused;
	size_t		 off[F_COUNT];	/* where in buf, for those copied */
	unsigned	 copied;	/* bit k: field k's string is in buf */
	uintptr_t	 text, textend;	/* the bytes yajl is given */
	const struct parser_chunk *c;	/* the lines of parser_chunk(), or NULL */
	size_t		 cline;		/* the line of the chunk's last object */
	struct event	 spare;		/* for what is outside the chunk's objects */
	int		 cseen;		/* an object of the chunk was seen */
};

static const char *const R_MULTI = "more than one JSON value";
static const char *const R_NOTOBJ = "not a JSON object";
static const char *const R_DEPTH = "nesting deeper than 64";
static const char *const R_INCOMPLETE = "incomplete JSON";
static const char *const R_NOVALUE = "no JSON value";

static int
key_is(const unsigned char *k, size_t len, const char *s, size_t slen)
{
	return len == slen && memcmp(k, s, slen) == 0;
}
#define KEY(k, len, lit)	key_is((k), (len), (lit), sizeof(lit) - 1)

static int
parser_key1(const unsigned char *k, size_t len)
{
	switch (len) {
	case 1:
		return k[0] == 'x' ? F_X : -1;
	case 2:
		return KEY(k, len, "ts") ? F_TS : -1;
	case 3:
		return KEY(k, len, "cmd") ? F_CMD : -1;
	case 4:
		return KEY(k, len, "args") ? F_ARGS : -1;
	case 6:
		if (KEY(k, len, "run_id"))
			return F_RUN_ID;
		return KEY(k, len, "result") ? F_RESULT : -1;
	case 9:
		return KEY(k, len, "timing_ms") ? F_TIMING : -1;
	}
	return -1;
}

static int
parser_key2(int ctx, const unsigned char *k, size_t len)
{
	switch (ctx) {
	case F_ARGS:
		if (KEY(k, len, "cache_key"))
			return F_A_CACHE_KEY;
		if (KEY(k, len, "ops"))
			return F_A_OPS;
		if (KEY(k, len, "workers"))
			return F_A_WORKERS;
		if (KEY(k, len, "op_cmd"))
			return F_A_OP_CMD;
		if (KEY(k, len, "worker"))
			return F_A_WORKER;
		break;
	case F_RESULT:
		if (KEY(k, len, "status"))
			return F_R_STATUS;
		if (KEY(k, len, "code"))
			return F_R_CODE;
		if (KEY(k, len, "events_emitted"))
			return F_R_EVENTS_EMITTED;
		if (KEY(k, len, "keys_written"))
			return F_R_KEYS_WRITTEN;
		if (KEY(k, len, "keys_present"))
			return F_R_KEYS_PRESENT;
		if (KEY(k, len, "lost"))
			return F_R_LOST;
		if (KEY(k, len, "corrupt"))
			return F_R_CORRUPT;
		break;
	case F_X:
		if (KEY(k, len, "chaos"))
			return F_X_CHAOS;
		if (KEY(k, len, "worker"))
			return F_X_WORKER;
		if (KEY(k, len, "chaos_state"))
			return F_X_CHAOS_STATE;
		if (KEY(k, len, "replaced_by"))
			return F_X_REPLACED_BY;
		if (KEY(k, len, "host"))
			return F_X_HOST;
		if (KEY(k, len, "shard"))
			return F_X_SHARD;
		break;
	}
	return -1;
}

/* The field the next value fills, or -1; flags a top-level scalar. */
static int
parser_slot(struct parser *p)
{
	switch (p->depth) {
	case 0:
		if (p->done && p->bad == NULL)
			p->bad = R_MULTI;
		if (p->bad == NULL)
			p->bad = R_NOTOBJ;
		p->done = 1;
		return -1;
	case 1:
		return p->key1;
	case 2:
		return p->ctx2 >= 0 ? p->key2 : -1;
	}
	return -1;
}

/* The fields inside args, result and x. */
#define SPAN(a, b)	((1U << ((b) + 1)) - (1U << (a)))
static const unsigned parser_inner[F_COUNT] = {
	[F_ARGS] = SPAN(F_A_CACHE_KEY, F_A_WORKER),
	[F_RESULT] = SPAN(F_R_STATUS, F_R_CORRUPT),
	[F_X] = SPAN(F_X_CHAOS, F_X_SHARD),
};

/*
 * Start field k afresh with type t.  A repeated key replaces the earlier
 * value whole: a second "result" forgets the fields of the first.
 */
static struct field *
parser_set(struct parser *p, int k, enum ftype t)
{
	struct field *f = &p->ev->f[k];

	memset(f, 0, sizeof(*f));
	f->t = t;
	p->ev->mask |= 1U << k;
	p->copied &= ~(1U << k);
	if (p->depth == 1)
		p->ev->mask &= ~parser_inner[k];
	return f;
}

static struct field *
parser_field(struct parser *p, enum ftype t)
{
	int k = parser_slot(p);

	if (k < 0)
		return NULL;
	return parser_set(p, k, t);
}

static int
cb_null(void *ctx)
{
	parser_field(ctx, FT_NULL);
	return 1;
}

static int
cb_boolean(void *ctx, int b)
{
	struct field *f = parser_field(ctx, FT_BOOL);

	if (f != NULL)
		f->b = b;
	return 1;
}

void
event_number(struct field *f, const char *s, size_t len)
{
	char tmp[64], *cp;
	unsigned long long u = 0;
	size_t neg = len > 0 && s[0] == '-', i;

	/*
	 * An integer is all digits after the sign.  19 digits fit an
	 * unsigned long long (more wrap, unused); i holds up to 2^63-1 (and
	 * -2^63) exactly.  JSON has no leading zeros, so a longer integer is
	 * past that range and is read as a double only.
	 */
	for (i = neg; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		u = u * 10 + (unsigned)(s[i] - '0');
	f->isint = i == len;
	if (f->isint && len - neg <= 19 &&
	    u <= (unsigned long long)LLONG_MAX + neg) {
		f->i = neg ? (long long)(0 - u) : (long long)u;
		f->irange = 1;
		f->d = (double)f->i;
		f->finite = 1;
		return;
	}
	if (len < sizeof(tmp)) {
		memcpy(tmp, s, len);
		tmp[len] = '\0';
		f->d = strtod(tmp, NULL);
	} else if ((cp = strndup(s, len)) != NULL) {
		f->d = strtod(cp, NULL);
		free(cp);
	} else
		f->d = NAN;
	f->finite = isfinite(f->d);
}

static int
cb_number(void *ctx, const char *s, size_t len)
{
	struct field *f = parser_field(ctx, FT_NUM);

	if (f != NULL)
		event_number(f, s, len);
	return 1;
}

static int
cb_string(void *ctx, const unsigned char *s, size_t len)
{
	struct parser *p = ctx;
	int k = parser_slot(p);
	struct field *f;

	if (k < 0)
		return 1;
	f = parser_set(p, k, FT_STR);
	f->len = len;
	if ((uintptr_t)s >= p->text && (uintptr_t)s <= p->textend - len) {
		f->s = (const char *)s;
		return 1;
	}
	if (p->bufsz - p->bufused < len) {
		size_t sz = p->bufsz * 2;
		char *nb;

		while (sz - p->bufused < len)
			sz *= 2;
		if ((nb = realloc(p->buf, sz)) == NULL) {
			p->nomem = 1;
			return 0;
		}
		p->buf = nb;
		p->bufsz = sz;
	}
	if (len > 0)
		memcpy(p->buf + p->bufused, s, len);
	p->copied |= 1U << k;
	p->off[k] = p->bufused;
	p->bufused += len;
	return 1;
}

/*
 * Inside a container none of whose values is read, only the container
 * callbacks stay on, which spares yajl decoding strings for nothing.
 * yajl 2 reads the callbacks through the pointer yajl_alloc() was given;
 * were it to keep a copy, every callback would run as before: the same
 * result, only slower.
 */
static int	cb_map_key(void *, const unsigned char *, size_t);

static void
parser_quiet(struct parser *p, int on)
{
	p->cb.yajl_null = on ? NULL : cb_null;
	p->cb.yajl_boolean = on ? NULL : cb_boolean;
	p->cb.yajl_number = on ? NULL : cb_number;
	p->cb.yajl_string = on ? NULL : cb_string;
	p->cb.yajl_map_key = on ? NULL : cb_map_key;
	p->quiet = on ? p->depth : 0;
}

static void	parser_start(struct parser *, struct event *);
static void	parser_finish(struct parser *, struct event *);

/*
 * An object opens at depth 0 of a chunk: find its line, which must come
 * after the line of the last one with only blank lines between, and
 * start its event.  Returns 0, or -1 when the chunk is no line-by-line
 * stream of objects.
 */
static int
chunk_open(struct parser *p)
{
	const struct parser_chunk *c = p->c;
	size_t at = yajl_get_bytes_consumed(p->h) - 1, i;

	if (p->bad != NULL)
		return -1;
	for (i = p->cseen ? p->cline + 1 : 0; i < c->n &&
	    c->off[i] + c->len[i] < at; i++)
		if (!event_blank(c->buf + c->off[i], c->len[i]))
			return -1;
	if (i == c->n || at < c->off[i])
		return -1;
	p->cline = i;
	p->cseen = 1;
	parser_start(p, c->at(c->arg, i));
	return 0;
}

/*
 * The chunk's object closed: it must end on the line it began, or the
 * chunk is refused; finish its event.  A value outside an object falls
 * on the spare event, and the chunk is refused at the end.
 */
static int
chunk_close(struct parser *p)
{
	const struct parser_chunk *c = p->c;
	size_t i = p->cline;

	if (p->end > c->off[i] + c->len[i])
		return -1;
	parser_finish(p, p->ev);
	p->ev->line = c->buf + c->off[i];
	p->ev->len = c->len[i];
	parser_start(p, &p->spare);
	return 0;
}

static int
parser_open(struct parser *p, enum ftype t)
{
	int k, wanted = 0;

	if (p->depth == 0 && t == FT_MAP && p->c != NULL &&
	    chunk_open(p) == -1)
		return 0;
	if (p->depth == 0 && t == FT_MAP) {
		if (p->done && p->bad == NULL)
			p->bad = R_MULTI;
		p->done = 0;
		p->key1 = -1;
		p->ctx2 = -1;
		wanted = 1;
	} else if ((k = parser_slot(p)) >= 0) {
		parser_set(p, k, t);
		if (p->depth == 1 && t == FT_MAP &&
		    (k == F_ARGS || k == F_RESULT || k == F_X)) {
			p->ctx2 = k;
			p->key2 = -1;
			wanted = 1;
		}
	}
	if (p->depth >= EVENT_MAX_DEPTH) {
		p->bad = R_DEPTH;
		return 0;
	}
	p->depth++;
	if (!wanted && !p->quiet)
		parser_quiet(p, 1);
	return 1;
}

static int
parser_close(struct parser *p)
{
	if (p->quiet != 0 && p->quiet == p->depth)
		parser_quiet(p, 0);
	if (--p->depth == 0) {
		p->done = 1;
		p->end = yajl_get_bytes_consumed(p->h);
		if (p->c != NULL && chunk_close(p) == -1)
			return 0;
	} else if (p->depth == 1)
		p->ctx2 = -1;
	return 1;
}

static int
cb_start_map(void *ctx)
{
	return parser_open(ctx, FT_MAP);
}

static int
cb_start_array(void *ctx)
{
	return parser_open(ctx, FT_ARR);
}

static int
cb_end(void *ctx)
{
	return parser_close(ctx);
}

static int
cb_map_key(void *ctx, const unsigned char *k, size_t len)
{
	struct parser *p = ctx;

	if (p->depth == 1)
		p->key1 = parser_key1(k, len);
	else if (p->depth == 2 && p->ctx2 >= 0)
		p->key2 = parser_key2(p->ctx2, k, len);
	return 1;
}

static int
parser_reset(struct parser *p)
{
	if (p->h != NULL)
		yajl_free(p->h);
	parser_quiet(p, 0);
	if ((p->h = yajl_alloc(&p->cb, NULL, p)) == NULL)
		return -1;
	yajl_config(p->h, yajl_allow_multiple_values, 1);
	yajl_config(p->h, yajl_dont_validate_strings, 1);
	return 0;
}

struct parser *
parser_new(void)
{
	struct parser *p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->cb.yajl_start_map = cb_start_map;
	p->cb.yajl_end_map = cb_end;
	p->cb.yajl_start_array = cb_start_array;
	p->cb.yajl_end_array = cb_end;
	p->bufsz = 4096;
	if ((p->buf = malloc(p->bufsz)) == NULL || parser_reset(p) == -1) {
		parser_free(p);
		return NULL;
	}
	return p;
}

void
parser_free(struct parser *p)
{
	if (p == NULL)
		return;
	if (p->h != NULL)
		yajl_free(p->h);
	free(p->buf);
	free(p);
}

/* Copy yajl's message for the failed line into the string buffer. */
static const char *
parser_error(struct parser *p)
{
	unsigned char *m = yajl_get_error(p->h, 0, NULL, 0);
	const char *text;
	char *out = p->buf + p->bufused;
	size_t n, room = p->bufsz - p->bufused;
	int w;

	if (m == NULL || room < 32)
		goto plain;
	/* "lexical error: invalid char in json text.\n": the words after
	 * yajl's own category, without its full stop and newline. */
	text = (const char *)m;
	if (strncmp(text, "lexical error: ", 15) == 0)
		text += 15;
	else if (strncmp(text, "parse error: ", 13) == 0)
		text += 13;
	n = strlen(text);
	while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == ' ' ||
	    text[n - 1] == '.'))
		n--;
	if (room > EVENT_REASON_MAX)
		room = EVENT_REASON_MAX;
	w = snprintf(out, room, "malformed JSON (%.*s)", (int)n, text);
	yajl_free_error(p->h, m);
	if (w < 0 || (size_t)w >= room)
		return "malformed JSON";
	p->bufused += (size_t)w + 1;
	return out;
plain:
	if (m != NULL)
		yajl_free_error(p->h, m);
	return "malformed JSON";
}

int
parser_rewind(struct parser *p, size_t reserve)
{
	char *nb;

	p->bufused = 0;
	if (reserve <= p->bufsz)
		return 0;
	if ((nb = realloc(p->buf, reserve)) == NULL)
		return -1;
	p->buf = nb;
	p->bufsz = reserve;
	return 0;
}

static enum cmd_id
parser_cmd(const struct field *f)
{
	return f->t == FT_STR ? event_cmd_id(f->s, f->len) : C_OTHER;
}

int
event_blank(const unsigned char *s, size_t len)
{
	while (len > 0 && (*s == ' ' || *s == '\t' || *s == '\r' ||
	    *s == '\n')) {
		s++;
		len--;
	}
	return len == 0;
}

/*
 * Whether s is blank to yajl, which also skips a form feed and a vertical
 * tab between values: JSON's blanks and those.
 */
static int
parser_blank(const unsigned char *s, size_t len)
{
	for (; len > 0; s++, len--)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n' &&
		    *s != '\f' && *s != '\v')
			return 0;
	return 1;
}

/* Start a line: no field, no key, nothing wrong yet. */
static void
parser_start(struct parser *p, struct event *ev)
{
	ev->mask = 0;
	ev->cmd = C_OTHER;
	ev->key_hash = 0;
	ev->ts_ok = 0;
	ev->line = NULL;
	ev->len = 0;
	p->ev = ev;
	p->depth = 0;
	p->done = 0;
	p->end = 0;
	p->bad = NULL;
	p->copied = 0;
	p->key1 = p->ctx2 = p->key2 = -1;
}

/* The line is malformed, for why; reset: the handle must start afresh. */
static enum parse_rc
parser_fail(struct parser *p, const char *why, int reset,
    const char **reason)
{
	*reason = why;
	if (reset && parser_reset(p) == -1)
		return PARSE_NOMEM;
	return PARSE_MALFORMED;
}

/* Point the kept strings into the buffer; find the cmd, hash, time. */
static void
parser_finish(struct parser *p, struct event *ev)
{
	const struct field *ts = event_get(ev, F_TS);
	unsigned k, m;
	int64_t us;

	for (m = p->copied & ev->mask; m != 0; m &= m - 1) {
		k = (unsigned)__builtin_ctz(m);
		ev->f[k].s = p->buf + p->off[k];
	}
	ev->cmd = parser_cmd(event_get(ev, F_CMD));
	if (event_get(ev, F_A_CACHE_KEY)->t == FT_STR)
		ev->key_hash = strtab_hash(ev->f[F_A_CACHE_KEY].s,
		    ev->f[F_A_CACHE_KEY].len);
	if (ts->t == FT_STR && ts_parse_memo(&p->memo, ts->s, ts->len,
	    &us) == 0) {
		ev->ts = us;
		ev->ts_ok = 1;
	}
}

enum parse_rc
parser_line(struct parser *p, const unsigned char *line, size_t len,
    struct event *ev, const char **reason)
{
	yajl_status st;

	parser_start(p, ev);
	*reason = NULL;
	/*
	 * The newline is not part of the line: a blank in its place ends a
	 * number or literal at the end, and a line cut inside a string is
	 * incomplete rather than holding a control character.
	 */
	if (len > 0 && line[len - 1] == '\n')
		len--;
	p->text = (uintptr_t)line;
	p->textend = p->text + len;
	st = yajl_parse(p->h, line, len);
	if (st == yajl_status_ok)
		st = yajl_parse(p->h, (const unsigned char *)" ", 1);
	if (p->nomem) {
		p->nomem = 0;
		parser_reset(p);
		return PARSE_NOMEM;
	}
	if (st != yajl_status_ok)
		return parser_fail(p, p->bad != NULL ? p->bad :
		    parser_error(p), 1, reason);
	if (p->depth != 0 || !p->done)
		return parser_fail(p, p->depth == 0 && parser_blank(line, len) ?
		    R_NOVALUE : R_INCOMPLETE, 1, reason);
	/*
	 * Anything but blanks (yajl's) after the object is a second value;
	 * one cut short (an open string) would run on into the next line, so
	 * the handle starts afresh.
	 */
	if (!parser_blank(line + p->end, len - p->end))
		return parser_fail(p, p->bad != NULL ? p->bad : R_MULTI, 1,
		    reason);
	if (p->bad != NULL)
		return parser_fail(p, p->bad, 0, reason);
	parser_finish(p, ev);
	ev->line = line;
	ev->len = len;
	return PARSE_EVENT;
}

/*
 * One yajl_parse() call over the whole chunk, and a blank to end it; any
 * doubt (an error, a value not one object on a line of its own, a line
 * without a value that is not blank) and the caller parses line by line,
 * which says what is wrong where.
 */
enum parse_rc
parser_chunk(struct parser *p, const struct parser_chunk *c)
{
	yajl_status st;
	size_t i;
	int whole;

	if (c->n == 0)
		return PARSE_EVENT;
	p->c = c;
	p->cseen = 0;
	p->cline = 0;
	parser_start(p, &p->spare);
	p->text = (uintptr_t)c->buf;
	p->textend = p->text + c->off[c->n - 1] + c->len[c->n - 1] + 1;
	st = yajl_parse(p->h, c->buf, (size_t)(p->textend - p->text));
	if (st == yajl_status_ok)
		st = yajl_parse(p->h, (const unsigned char *)" ", 1);
	p->c = NULL;
	whole = st == yajl_status_ok && p->bad == NULL && p->depth == 0;
	for (i = p->cseen ? p->cline + 1 : 0; whole && i < c->n; i++)
		whole = event_blank(c->buf + c->off[i], c->len[i]);
	if (p->nomem) {
		p->nomem = 0;
		parser_reset(p);
		return PARSE_NOMEM;
	}
	if (whole)
		return PARSE_EVENT;
	return parser_reset(p) == -1 ? PARSE_NOMEM : PARSE_MALFORMED;
}
