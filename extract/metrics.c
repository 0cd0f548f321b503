#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "event.h"
#include "metrics.h"
#include "out.h"
#include "stats.h"
#include "strtab.h"

#define DEFAULT_OP_CMD	"ast.symbols"

/* Per cmd: events, events with result.status "ok", timings. */
struct cmdstat {
	unsigned long long count, ok;
	struct stats	*lat;
};

/* A number kept exactly for integers, as a double otherwise. */
struct sum {
	long long	 i;
	double		 d;
	int		 frac;
};

struct metrics {
	struct metrics_opts o;
	unsigned long long read, matched, malformed, blank, bad_fields;
	unsigned long long mfirst[METRICS_MALFORMED_FIRST];
	size_t		 nmfirst;
	int		 bad;		/* the current event has a bad field */
	int		 nomem;

	struct strtab	*cmds;		/* cmd -> struct cmdstat */
	struct cmdstat	*known[C_COUNT];	/* the same for known cmds */
	struct strtab	*runs;		/* run id -> lines since run end */
	unsigned long long norun;	/* the same for lines without run id */
	const char	*last_run;	/* the run id of the last line */
	size_t		 last_run_len;
	unsigned long long *last_n;
	struct strtab	*keys;		/* cache keys looked up */
	struct strtab	*errors;	/* ast.cache.error code -> n */

	unsigned long long hits, misses, writes;
	unsigned long long hits_cold, misses_cold, hits_warm, misses_warm;
	uint64_t	*look;		/* one bit per lookup: 1 = hit */
	size_t		 nlook, lookcap;

	unsigned long long waits, timeouts;
	struct sum	 wait_ms;

	char		*ic;		/* integrity_check: first non-ok */
	size_t		 iclen;
	int		 ic_state;	/* 0 none, 1 ok, 2 not ok */

	int		 have_ops;
	unsigned long long ops_requested;
	char		*op_cmd_run;	/* args.op_cmd of the first run start */
	size_t		 op_cmd_run_len;

	int		 have_verify;
	unsigned long long keys_written, keys_present, lost, corrupt;

	int		 have_workers, have_started;
	unsigned long long started, exited_ok, died, killed;

	int		 have_end;
	unsigned long long expected, seen;
};

struct metrics *
metrics_new(const struct metrics_opts *o)
{
	struct metrics *m;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	m->o = *o;
	if ((m->cmds = strtab_new()) == NULL ||
	    (m->runs = strtab_new()) == NULL ||
	    (m->keys = strtab_new()) == NULL ||
	    (m->errors = strtab_new()) == NULL) {
		metrics_free(m);
		return NULL;
	}
	return m;
}

static void
free_cmd(struct strtab_ent *e)
{
	struct cmdstat *cs = e->val;

	if (cs != NULL)
		stats_free(cs->lat);
	free(cs);
}

static void
free_val(struct strtab_ent *e)
{
	free(e->val);
}

void
metrics_free(struct metrics *m)
{
	if (m == NULL)
		return;
	if (m->cmds != NULL)
		strtab_foreach(m->cmds, free_cmd);
	if (m->runs != NULL)
		strtab_foreach(m->runs, free_val);
	strtab_free(m->cmds);
	strtab_free(m->runs);
	strtab_free(m->keys);
	strtab_free(m->errors);
	free(m->look);
	free(m->ic);
	free(m->op_cmd_run);
	free(m);
}

void
metrics_read(struct metrics *m, int blank)
{
	m->read++;
	if (blank)
		m->blank++;
}

void
metrics_malformed(struct metrics *m, unsigned long long lineno)
{
	m->malformed++;
	if (m->nmfirst < METRICS_MALFORMED_FIRST)
		m->mfirst[m->nmfirst++] = lineno;
}

static int
is_lit(const struct field *f, const char *lit)
{
	size_t n = strlen(lit);

	return f->t == FT_STR && f->len == n && memcmp(f->s, lit, n) == 0;
}

/* Field k as a string: 1 when it is one, 0 when absent or null or wrong. */
static int
want_str(struct metrics *m, const struct event *ev, int k)
{
	switch (event_get(ev, k)->t) {
	case FT_STR:
		return 1;
	case FT_ABSENT:
	case FT_NULL:
		return 0;
	default:
		m->bad = 1;
		return 0;
	}
}

/* Field k as a count (an integer >= 0), as want_str. */
static int
want_count(struct metrics *m, const struct event *ev, int k,
    unsigned long long *out)
{
	const struct field *f = event_get(ev, k);

	switch (f->t) {
	case FT_NUM:
		if (f->isint && f->irange && f->i >= 0) {
			*out = (unsigned long long)f->i;
			return 1;
		}
		m->bad = 1;
		return 0;
	case FT_ABSENT:
	case FT_NULL:
		return 0;
	default:
		m->bad = 1;
		return 0;
	}
}

static void
want_map(struct metrics *m, const struct event *ev, int k)
{
	enum ftype t = event_get(ev, k)->t;

	if (t != FT_MAP && t != FT_ABSENT && t != FT_NULL)
		m->bad = 1;
}

static char *
copy_bytes(struct metrics *m, const char *s, size_t len)
{
	char *p;

	if ((p = malloc(len + 1)) == NULL) {
		m->nomem = 1;
		return NULL;
	}
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

static void
sum_add(struct sum *s, const struct field *f)
{
	long long r;

	if (f->isint && f->irange && !__builtin_add_overflow(s->i, f->i, &r))
		s->i = r;
	else {
		s->d += f->d;
		s->frac = 1;
	}
}

static void
metrics_lookup(struct metrics *m, const struct event *ev, int hit)
{
	struct strtab_ent *e;
	int created;

	if (hit)
		m->hits++;
	else
		m->misses++;
	if (m->nlook == m->lookcap * 64) {
		size_t cap = m->lookcap ? m->lookcap * 2 : 64;
		uint64_t *nl;

		if ((nl = reallocarray(m->look, cap, sizeof(*nl))) == NULL) {
			m->nomem = 1;
			return;
		}
		memset(nl + m->lookcap, 0, (cap - m->lookcap) * sizeof(*nl));
		m->look = nl;
		m->lookcap = cap;
	}
	if (hit)
		m->look[m->nlook / 64] |= 1ULL << (m->nlook % 64);
	m->nlook++;

	if (!want_str(m, ev, F_A_CACHE_KEY))
		return;
	e = strtab_get_h(m->keys, event_get(ev, F_A_CACHE_KEY)->s,
	    event_get(ev, F_A_CACHE_KEY)->len, ev->key_hash, &created);
	if (e == NULL) {
		m->nomem = 1;
		return;
	}
	if (created) {
		if (hit)
			m->hits_cold++;
		else
			m->misses_cold++;
	} else {
		if (hit)
			m->hits_warm++;
		else
			m->misses_warm++;
	}
}

static void
metrics_run_start(struct metrics *m, const struct event *ev)
{
	unsigned long long v;

	if (want_count(m, ev, F_A_OPS, &v)) {
		m->ops_requested += v;
		m->have_ops = 1;
	}
	if (want_count(m, ev, F_A_WORKERS, &v)) {
		m->started += v;
		m->have_started = 1;
	}
	if (want_str(m, ev, F_A_OP_CMD) && m->op_cmd_run == NULL) {
		m->op_cmd_run = copy_bytes(m, event_get(ev, F_A_OP_CMD)->s,
		    event_get(ev, F_A_OP_CMD)->len);
		m->op_cmd_run_len = event_get(ev, F_A_OP_CMD)->len;
	}
}

static void
metrics_worker_exit(struct metrics *m, const struct event *ev)
{
	const struct field *chaos = event_get(ev, F_X_CHAOS);

	m->have_workers = 1;
	if (chaos->t != FT_BOOL && chaos->t != FT_ABSENT &&
	    chaos->t != FT_NULL)
		m->bad = 1;
	if (chaos->t == FT_BOOL && chaos->b)
		m->killed++;
	else if (is_lit(event_get(ev, F_R_STATUS), "ok"))
		m->exited_ok++;
	else
		m->died++;
}

static void
metrics_verify(struct metrics *m, const struct event *ev)
{
	unsigned long long v;

	m->have_verify = 1;
	if (want_count(m, ev, F_R_KEYS_WRITTEN, &v))
		m->keys_written += v;
	if (want_count(m, ev, F_R_KEYS_PRESENT, &v))
		m->keys_present += v;
	if (want_count(m, ev, F_R_LOST, &v))
		m->lost += v;
	if (want_count(m, ev, F_R_CORRUPT, &v))
		m->corrupt += v;
}

static void
metrics_integrity(struct metrics *m, const struct event *ev)
{
	const struct field *st = event_get(ev, F_R_STATUS);

	if (st->t != FT_STR || m->ic_state == 2)
		return;
	if (is_lit(st, "ok")) {
		m->ic_state = 1;
		return;
	}
	free(m->ic);
	m->ic = copy_bytes(m, st->s, st->len);
	m->iclen = st->len;
	m->ic_state = 2;
}

static void
metrics_error(struct metrics *m, const struct event *ev)
{
	struct strtab_ent *e;
	int created;

	if (!want_str(m, ev, F_R_CODE))
		return;
	e = strtab_get(m->errors, event_get(ev, F_R_CODE)->s, event_get(ev, F_R_CODE)->len,
	    &created);
	if (e == NULL)
		m->nomem = 1;
	else
		e->n++;
}

/* Lines of the event's run before this one; a run end starts again. */
static void
metrics_run_line(struct metrics *m, const struct event *ev, int end)
{
	unsigned long long *n = &m->norun;
	unsigned long long v;
	struct strtab_ent *e;
	int created;

	if (event_get(ev, F_RUN_ID)->t == FT_STR) {
		const struct field *id = event_get(ev, F_RUN_ID);

		/* Lines of one run mostly come together. */
		if (m->last_run != NULL && id->len == m->last_run_len &&
		    memcmp(id->s, m->last_run, id->len) == 0)
			n = m->last_n;
		else {
			e = strtab_get(m->runs, id->s, id->len, &created);
			if (e == NULL || (created && (e->val =
			    calloc(1, sizeof(*n))) == NULL)) {
				m->nomem = 1;
				return;
			}
			n = e->val;
			m->last_run = e->key;
			m->last_run_len = e->len;
			m->last_n = n;
		}
	}
	if (!end) {
		(*n)++;
		return;
	}
	if (want_count(m, ev, F_R_EVENTS_EMITTED, &v)) {
		m->have_end = 1;
		m->expected += v;
		m->seen += *n;
	}
	*n = 0;
}

static struct cmdstat *
metrics_cmd(struct metrics *m, const struct event *ev)
{
	const struct field *cmd = event_get(ev, F_CMD);
	struct strtab_ent *e;
	int created;

	if (ev->cmd != C_OTHER && m->known[ev->cmd] != NULL)
		return m->known[ev->cmd];
	if ((e = strtab_get(m->cmds, cmd->s, cmd->len, &created)) == NULL)
		return NULL;
	if (created && (e->val = calloc(1, sizeof(struct cmdstat))) == NULL)
		return NULL;
	if (ev->cmd != C_OTHER)
		m->known[ev->cmd] = e->val;
	return e->val;
}

int
metrics_event(struct metrics *m, const struct event *ev)
{
	const struct field *t = event_get(ev, F_TIMING);
	struct cmdstat *cs = NULL;
	int timed = 0, end = 0;

	m->bad = 0;
	if (event_get(ev, F_RUN_ID)->t != FT_STR && event_get(ev, F_RUN_ID)->t != FT_ABSENT &&
	    event_get(ev, F_RUN_ID)->t != FT_NULL)
		m->bad = 1;
	if (m->o.run_id != NULL && (event_get(ev, F_RUN_ID)->t != FT_STR ||
	    event_get(ev, F_RUN_ID)->len != m->o.run_id_len ||
	    memcmp(event_get(ev, F_RUN_ID)->s, m->o.run_id, m->o.run_id_len) != 0))
		return 0;
	m->matched++;

	want_map(m, ev, F_ARGS);
	want_map(m, ev, F_RESULT);
	want_map(m, ev, F_X);
	if (t->t == FT_NUM && t->finite && t->d >= 0)
		timed = 1;
	else if (t->t != FT_ABSENT && t->t != FT_NULL)
		m->bad = 1;
	want_str(m, ev, F_R_STATUS);

	if (want_str(m, ev, F_CMD)) {
		if ((cs = metrics_cmd(m, ev)) == NULL)
			return -1;
		cs->count++;
		if (is_lit(event_get(ev, F_R_STATUS), "ok"))
			cs->ok++;
		if (timed) {
			if (cs->lat == NULL && (cs->lat = stats_new()) == NULL)
				return -1;
			if (stats_add(cs->lat, t->d) == -1)
				return -1;
		}
		switch (ev->cmd) {
		case C_HIT:
			metrics_lookup(m, ev, 1);
			break;
		case C_MISS:
			metrics_lookup(m, ev, 0);
			break;
		case C_WRITE:
			m->writes++;
			want_str(m, ev, F_A_CACHE_KEY);
			break;
		case C_LOCK_WAIT:
			m->waits++;
			if (timed)
				sum_add(&m->wait_ms, t);
			break;
		case C_LOCK_TIMEOUT:
			m->timeouts++;
			break;
		case C_ERROR:
			metrics_error(m, ev);
			break;
		case C_INTEGRITY:
			metrics_integrity(m, ev);
			break;
		case C_RUN_START:
			metrics_run_start(m, ev);
			break;
		case C_RUN_END:
			end = 1;
			break;
		case C_WORKER_EXIT:
			metrics_worker_exit(m, ev);
			break;
		case C_VERIFY:
			metrics_verify(m, ev);
			break;
		default:
			break;
		}
	}
	metrics_run_line(m, ev, end);
	if (m->bad)
		m->bad_fields++;
	return m->nomem ? -1 : 0;
}

static int
gen_lines(const struct metrics *m, struct out *o)
{
	size_t i;

	out_key(o, "lines");
	out_map_open(o);
	out_kcount(o, "read", m->read);
	out_kcount(o, "matched", m->matched);
	out_kcount(o, "malformed", m->malformed);
	out_key(o, "malformed_first");
	out_array_open(o);
	for (i = 0; i < m->nmfirst; i++)
		out_count(o, m->mfirst[i]);
	out_array_close(o);
	out_kcount(o, "blank", m->blank);
	out_kcount(o, "bad_fields", m->bad_fields);
	return out_map_close(o);
}

static int
gen_counts(struct out *o, struct strtab_ent **v)
{
	out_key(o, "counts");
	out_map_open(o);
	for (; *v != NULL; v++) {
		const struct cmdstat *cs = (*v)->val;

		out_str(o, (*v)->key, (*v)->len);
		out_count(o, cs->count);
	}
	return out_map_close(o);
}

static int
gen_cache(const struct metrics *m, struct out *o)
{
	out_key(o, "cache");
	out_map_open(o);
	out_kcount(o, "hits", m->hits);
	out_kcount(o, "misses", m->misses);
	out_kcount(o, "writes", m->writes);
	out_key(o, "hit_rate");
	out_rate(o, m->hits, m->hits + m->misses);
	out_kcount(o, "hits_cold", m->hits_cold);
	out_kcount(o, "misses_cold", m->misses_cold);
	out_kcount(o, "hits_warm", m->hits_warm);
	out_kcount(o, "misses_warm", m->misses_warm);
	out_key(o, "hit_rate_cold");
	out_rate(o, m->hits_cold, m->hits_cold + m->misses_cold);
	out_key(o, "hit_rate_warm");
	out_rate(o, m->hits_warm, m->hits_warm + m->misses_warm);
	out_map_close(o);
	return out_kcount(o, "cache_hits_warm", m->hits_warm);
}

static int
gen_locks(const struct metrics *m, struct out *o)
{
	out_kcount(o, "lock_wait", m->waits);
	out_kcount(o, "lock_timeout", m->timeouts);
	out_key(o, "lock_contention");
	out_map_open(o);
	out_kcount(o, "timeouts", m->timeouts);
	out_kcount(o, "waits", m->waits);
	out_key(o, "wait_ms_total");
	if (m->wait_ms.frac)
		out_num(o, (double)m->wait_ms.i + m->wait_ms.d);
	else
		out_int(o, m->wait_ms.i);
	return out_map_close(o);
}

static int
gen_after(const struct metrics *m, struct out *o)
{
	out_key(o, "integrity_check");
	if (m->ic_state == 0)
		out_null(o);
	else if (m->ic_state == 1)
		out_key(o, "ok");
	else
		out_str(o, m->ic, m->iclen);

	out_key(o, "verify");
	if (!m->have_verify)
		out_null(o);
	else {
		out_map_open(o);
		out_kcount(o, "keys_written", m->keys_written);
		out_kcount(o, "keys_present", m->keys_present);
		out_kcount(o, "lost", m->lost);
		out_kcount(o, "corrupt", m->corrupt);
		out_map_close(o);
	}

	out_key(o, "workers");
	if (!m->have_workers)
		out_null(o);
	else {
		out_map_open(o);
		out_kcount(o, "started", m->have_started ? m->started :
		    m->exited_ok + m->died + m->killed);
		out_kcount(o, "exited_ok", m->exited_ok);
		out_kcount(o, "died", m->died);
		out_kcount(o, "killed", m->killed);
		out_map_close(o);
	}

	out_key(o, "events");
	out_map_open(o);
	out_key(o, "expected");
	if (m->have_end)
		out_count(o, m->expected);
	else
		out_null(o);
	out_kcount(o, "seen", m->have_end ? m->seen : m->matched);
	out_key(o, "lost");
	if (!m->have_end)
		out_null(o);
	else if (m->expected >= m->seen)
		out_count(o, m->expected - m->seen);
	else
		out_int(o, -(long long)(m->seen - m->expected));
	return out_map_close(o);
}

static const double quantiles[] = { 0.50, 0.95, 0.99 };

static int
gen_latency(struct out *o, struct strtab_ent **v)
{
	double q[3];

	out_key(o, "latency_ms");
	out_map_open(o);
	for (; *v != NULL; v++) {
		const struct cmdstat *cs = (*v)->val;

		if (cs->lat == NULL ||
		    stats_quantiles(cs->lat, quantiles, q, 3) == -1)
			continue;
		out_str(o, (*v)->key, (*v)->len);
		out_map_open(o);
		out_kcount(o, "count", stats_count(cs->lat));
		out_key(o, "p50");
		out_num(o, q[0]);
		out_key(o, "p95");
		out_num(o, q[1]);
		out_key(o, "p99");
		out_num(o, q[2]);
		out_key(o, "max");
		out_num(o, stats_max(cs->lat));
		out_map_close(o);
	}
	return out_map_close(o);
}

static int
gen_window(const struct metrics *m, struct out *o, size_t from, size_t to)
{
	unsigned long long hits = 0;
	size_t i;

	for (i = from; i < to; i++)
		hits += (m->look[i / 64] >> (i % 64)) & 1;
	out_map_open(o);
	out_kcount(o, "lookups", to - from);
	out_kcount(o, "hits", hits);
	out_kcount(o, "misses", to - from - hits);
	out_key(o, "hit_rate");
	out_rate(o, hits, to - from);
	return out_map_close(o);
}

/*
 * Windows of --window N lookups (the last may be shorter), else
 * min(10, L) windows, window k holding lookups [kL/W, (k+1)L/W).
 */
static int
gen_progression(const struct metrics *m, struct out *o)
{
	size_t n = m->nlook, k, w;

	out_key(o, "progression");
	out_array_open(o);
	if (m->o.window > 0) {
		for (k = 0; k < n; k += w) {
			w = n - k < m->o.window ? n - k : (size_t)m->o.window;
			gen_window(m, o, k, k + w);
		}
	} else {
		w = n < METRICS_WINDOWS ? n : METRICS_WINDOWS;
		for (k = 0; k < w; k++)
			gen_window(m, o, k * n / w, (k + 1) * n / w);
	}
	return out_array_close(o);
}

static int
gen_errors(const struct metrics *m, struct out *o)
{
	struct strtab_ent **v, **e;

	if ((v = strtab_sorted(m->errors)) == NULL)
		return o->err = -1;
	out_key(o, "cache_errors");
	out_map_open(o);
	for (e = v; *e != NULL; e++) {
		out_str(o, (*e)->key, (*e)->len);
		out_count(o, (*e)->n);
	}
	free(v);
	return out_map_close(o);
}

static int
gen_doc(const struct metrics *m, struct out *o, struct strtab_ent **cmds)
{
	const struct cmdstat *op = NULL;
	const char *opc = DEFAULT_OP_CMD;
	size_t oplen = strlen(DEFAULT_OP_CMD);
	struct strtab_ent *e, **runs;

	if (m->o.op_cmd != NULL) {
		opc = m->o.op_cmd;
		oplen = strlen(opc);
	} else if (m->op_cmd_run != NULL) {
		opc = m->op_cmd_run;
		oplen = m->op_cmd_run_len;
	}
	if ((e = strtab_get(m->cmds, opc, oplen, NULL)) != NULL)
		op = e->val;

	out_map_open(o);
	out_key(o, "schema");
	out_key(o, "soak-metrics/1");
	out_key(o, "run_id");
	if (m->o.run_id != NULL)
		out_str(o, m->o.run_id, m->o.run_id_len);
	else if (strtab_count(m->runs) == 1) {
		if ((runs = strtab_sorted(m->runs)) == NULL)
			return o->err = -1;
		e = runs[0];
		free(runs);
		out_str(o, e->key, e->len);
	} else
		out_null(o);
	gen_lines(m, o);
	gen_counts(o, cmds);
	out_key(o, "ops_requested");
	if (m->have_ops)
		out_count(o, m->ops_requested);
	else
		out_null(o);
	out_kcount(o, "ops_total", op ? op->count : 0);
	out_kcount(o, "ops_completed", op ? op->ok : 0);
	out_kcount(o, "ops_failed", op ? op->count - op->ok : 0);
	gen_cache(m, o);
	gen_locks(m, o);
	gen_after(m, o);
	gen_latency(o, cmds);
	gen_progression(m, o);
	out_key(o, "op_cmd");
	out_str(o, opc, oplen);
	gen_errors(m, o);
	return out_map_close(o);
}

int
metrics_write(const struct metrics *m, yajl_gen g)
{
	struct out o = { g, 0 };
	struct strtab_ent **cmds;

	if ((cmds = strtab_sorted(m->cmds)) == NULL)
		return -1;
	gen_doc(m, &o, cmds);
	free(cmds);
	return o.err;
}
