/* work: lines read in chunks and parsed on threads, folded in input order. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "filter.h"
#include "lines.h"
#include "work.h"

#define CHUNK_LINES	1024
#define CHUNK_BYTES	(512 * 1024)
#define TOO_LONG	SIZE_MAX	/* the length kept of a line over LINES_MAX */

enum slot_state { S_FREE, S_FILLED, S_PARSING, S_DONE };

/*
 * A chunk of lines, copied in by the reader, each with a newline after
 * it, parsed by one worker.
 */
struct slot {
	enum slot_state	 state;
	unsigned char	*buf;
	size_t		 len, cap;
	size_t		 off[CHUNK_LINES], llen[CHUNK_LINES];
	size_t		 n, ntoolong;
	struct rec	 recs[CHUNK_LINES];
	struct parser	*p;
	int		 nomem;
};

struct work {
	const char	*id;
	size_t		 idlen;
	struct slot	*slots;
	size_t		 nslots;
	pthread_t	*threads;
	int		 nthreads, started;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv_work, cv_done;
	unsigned long long parse_seq, fill_seq;
	int		 quit;
};

/*
 * Classify one line (NULL: too long) into r.  Returns 0, or -1 when out
 * of memory.
 */
static int
work_line(const struct work *w, struct parser *p, const unsigned char *line,
    size_t len, struct rec *r)
{
	r->reason = NULL;
	if (line == NULL) {
		r->kind = REC_MALFORMED;
		r->reason = LINES_TOO_LONG;
	} else if (event_blank(line, len))
		r->kind = REC_BLANK;
	else if (w->id != NULL && !filter_may_match(line, len, w->id,
	    w->idlen))
		r->kind = REC_SKIPPED;
	else {
		switch (parser_line(p, line, len, &r->ev, &r->reason)) {
		case PARSE_EVENT:
			r->kind = REC_EVENT;
			break;
		case PARSE_MALFORMED:
			r->kind = REC_MALFORMED;
			break;
		case PARSE_NOMEM:
			return -1;
		}
	}
	return 0;
}

static struct event *
slot_event(void *arg, size_t i)
{
	return &((struct slot *)arg)->recs[i].ev;
}

/*
 * Parse the slot as one stream when every line is to be parsed: the
 * lines are then blank or events.  Returns 1 when done that way, 0 when
 * the lines are to be parsed one by one, -1 when out of memory.
 */
static int
work_chunk(const struct work *w, struct slot *sl)
{
	struct parser_chunk c = { sl->buf, sl->off, sl->llen, sl->n,
	    slot_event, sl };
	size_t i;

	if (w->id != NULL || sl->ntoolong > 0)
		return 0;
	switch (parser_chunk(sl->p, &c)) {
	case PARSE_EVENT:
		break;
	case PARSE_MALFORMED:
		return 0;
	case PARSE_NOMEM:
		return -1;
	}
	for (i = 0; i < sl->n; i++) {
		sl->recs[i].reason = NULL;
		sl->recs[i].kind = event_blank(sl->buf + sl->off[i],
		    sl->llen[i]) ? REC_BLANK : REC_EVENT;
	}
	return 1;
}

static void
work_parse(const struct work *w, struct slot *sl)
{
	size_t i;
	int rc;

	sl->nomem = parser_rewind(sl->p, sl->len + sl->n * EVENT_REASON_MAX +
	    64) == -1;
	if (sl->nomem || (rc = work_chunk(w, sl)) == 1)
		return;
	if (rc == -1 || parser_rewind(sl->p, 0) == -1) {
		sl->nomem = 1;
		return;
	}
	for (i = 0; i < sl->n && !sl->nomem; i++)
		sl->nomem = work_line(w, sl->p, sl->llen[i] == TOO_LONG ? NULL :
		    sl->buf + sl->off[i], sl->llen[i], &sl->recs[i]) == -1;
}

static void *
work_thread(void *arg)
{
	struct work *w = arg;
	struct slot *sl;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		sl = &w->slots[w->parse_seq % w->nslots];
		while (!w->quit && (w->parse_seq == w->fill_seq ||
		    sl->state != S_FILLED)) {
			pthread_cond_wait(&w->cv_work, &w->mu);
			sl = &w->slots[w->parse_seq % w->nslots];
		}
		if (w->quit)
			break;
		sl->state = S_PARSING;
		w->parse_seq++;
		pthread_mutex_unlock(&w->mu);
		work_parse(w, sl);
		pthread_mutex_lock(&w->mu);
		sl->state = S_DONE;
		pthread_cond_signal(&w->cv_done);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

struct work *
work_new(int nthreads, const char *id, size_t idlen)
{
	struct work *w;
	size_t i;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	w->id = id;
	w->idlen = idlen;
	w->nthreads = nthreads < 1 ? 0 : nthreads;
	w->nslots = (size_t)w->nthreads + 2;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv_work, NULL);
	pthread_cond_init(&w->cv_done, NULL);
	if ((w->slots = calloc(w->nslots, sizeof(*w->slots))) == NULL ||
	    (w->threads = calloc((size_t)w->nthreads + 1,
	    sizeof(*w->threads))) == NULL)
		goto fail;
	for (i = 0; i < w->nslots; i++) {
		w->slots[i].cap = CHUNK_BYTES;
		if ((w->slots[i].buf = malloc(CHUNK_BYTES)) == NULL ||
		    (w->slots[i].p = parser_new()) == NULL)
			goto fail;
	}
	for (; w->started < w->nthreads; w->started++)
		if (pthread_create(&w->threads[w->started], NULL, work_thread,
		    w) != 0)
			goto fail;
	return w;
fail:
	work_free(w);
	return NULL;
}

void
work_free(struct work *w)
{
	size_t i;
	int t;

	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	w->quit = 1;
	pthread_cond_broadcast(&w->cv_work);
	pthread_mutex_unlock(&w->mu);
	for (t = 0; t < w->started; t++)
		pthread_join(w->threads[t], NULL);
	for (i = 0; w->slots != NULL && i < w->nslots; i++) {
		free(w->slots[i].buf);
		parser_free(w->slots[i].p);
	}
	free(w->slots);
	free(w->threads);
	pthread_cond_destroy(&w->cv_work);
	pthread_cond_destroy(&w->cv_done);
	pthread_mutex_destroy(&w->mu);
	free(w);
}

/* Append one line (NULL: too long); returns 0, or -1 when out of memory. */
static int
slot_add(struct slot *sl, const unsigned char *line, size_t len)
{
	unsigned char *nb;
	size_t cap;

	if (line == NULL) {
		sl->off[sl->n] = sl->len;
		sl->llen[sl->n++] = TOO_LONG;
		sl->ntoolong++;
		return 0;
	}
	if (sl->cap - sl->len <= len) {
		for (cap = sl->cap; cap - sl->len <= len; cap *= 2)
			;
		if ((nb = realloc(sl->buf, cap)) == NULL)
			return -1;
		sl->buf = nb;
		sl->cap = cap;
	}
	if (len > 0)
		memcpy(sl->buf + sl->len, line, len);
	sl->buf[sl->len + len] = '\n';
	sl->off[sl->n] = sl->len;
	sl->llen[sl->n++] = len;
	sl->len += len + 1;
	return 0;
}

/*
 * Fill sl with the next chunk of lines.  Returns 1 while more may come,
 * else 0 with *rd set to how reading ended and *err to its errno.
 */
static int
slot_fill(struct slot *sl, struct lines *l, enum work_end *rd, int *err)
{
	const unsigned char *line;
	size_t len;
	int got = 1;

	sl->n = sl->len = sl->ntoolong = 0;
	while (sl->n < CHUNK_LINES && sl->len < CHUNK_BYTES &&
	    (got = lines_next(l, &line, &len)) == 1)
		if (slot_add(sl, line, len) == -1) {
			*rd = WORK_NOMEM;
			return 0;
		}
	if (got == -1) {
		*rd = WORK_READ_ERROR;
		*err = errno;
	}
	return got == 1;
}

/* Fold a parsed slot's lines: WORK_DONE, WORK_STOPPED or WORK_NOMEM. */
static enum work_end
slot_fold(const struct slot *sl, work_fold fold, void *arg)
{
	size_t i;

	if (sl->nomem)
		return WORK_NOMEM;
	for (i = 0; i < sl->n; i++)
		if (fold(arg, &sl->recs[i]) != 0)
			return WORK_STOPPED;
	return WORK_DONE;
}

/* Hand a filled slot to the parser threads. */
static void
work_post(struct work *w, struct slot *sl)
{
	pthread_mutex_lock(&w->mu);
	sl->state = S_FILLED;
	w->fill_seq++;
	pthread_cond_signal(&w->cv_work);
	pthread_mutex_unlock(&w->mu);
}

/* Wait for a slot to be parsed, fold it while fe is WORK_DONE, free it. */
static enum work_end
work_take(struct work *w, struct slot *sl, enum work_end fe, work_fold fold,
    void *arg)
{
	pthread_mutex_lock(&w->mu);
	while (sl->state != S_DONE)
		pthread_cond_wait(&w->cv_done, &w->mu);
	pthread_mutex_unlock(&w->mu);
	if (fe == WORK_DONE)
		fe = slot_fold(sl, fold, arg);
	pthread_mutex_lock(&w->mu);
	sl->state = S_FREE;
	pthread_mutex_unlock(&w->mu);
	return fe;
}

/* Without threads: each chunk is parsed and folded once it is read. */
static enum work_end
work_inline(struct work *w, struct lines *l, work_fold fold, void *arg)
{
	struct slot *sl = &w->slots[0];
	enum work_end rd = WORK_DONE, fe = WORK_DONE;
	int more = 1, err = 0;

	while (more && fe == WORK_DONE) {
		more = slot_fill(sl, l, &rd, &err);
		work_parse(w, sl);
		fe = slot_fold(sl, fold, arg);
	}
	if (fe != WORK_DONE)
		return fe;
	errno = err;
	return rd;
}

/*
 * With threads: the reader fills the slots, used and freed in ring
 * order, and folds the oldest once it is parsed.  Folding stopped wins
 * over how reading ended.
 */
static enum work_end
work_ring(struct work *w, struct lines *l, work_fold fold, void *arg)
{
	enum work_end rd = WORK_DONE, fe = WORK_DONE;
	unsigned long long fold_seq = w->fill_seq;
	struct slot *sl;
	int more = 1, err = 0;

	for (;;) {
		sl = &w->slots[w->fill_seq % w->nslots];
		if (more && fe == WORK_DONE &&
		    w->fill_seq - fold_seq < w->nslots) {
			more = slot_fill(sl, l, &rd, &err);
			if (sl->n > 0)
				work_post(w, sl);
		} else if (fold_seq < w->fill_seq)
			fe = work_take(w, &w->slots[fold_seq++ % w->nslots],
			    fe, fold, arg);
		else
			break;
	}
	if (fe != WORK_DONE)
		return fe;
	errno = err;
	return rd;
}

enum work_end
work_fd(struct work *w, int fd, work_fold fold, void *arg)
{
	struct lines *l;
	enum work_end end;

	if ((l = lines_new(fd)) == NULL)
		return WORK_NOMEM;
	if (w->nthreads == 0)
		end = work_inline(w, l, fold, arg);
	else
		end = work_ring(w, l, fold, arg);
	lines_free(l);
	return end;
}
