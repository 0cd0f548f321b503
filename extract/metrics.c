/* metrics: fold soak-events(5) events into one soak-metrics(5) document. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#include "event.h"
#include "metrics.h"
#include "out.h"
#include "section.h"
#include "strtab.h"
#include "tree.h"

#define DEFAULT_OP_CMD	"ast.symbols"

/*
 * The core counts lines (the "lines" object), keeps only the run asked
 * for, checks the fields every event shares and counts each run's lines
 * (the "run_id" key).  Every other part of the document is a section
 * (section.h): a struct of its own, a fold of the kinds of event it reads
 * and a writer of its keys.  sections[] lists them in document order;
 * metrics_new() turns their kinds into a table that hands each event, by
 * the cmd_id the parser found, to the folds that read that kind.
 *
 * To add a section: write extract/NAME.c defining
 * `const struct section section_NAME` (state size, init and free when it
 * holds memory, kinds, fold, write), declare it in section.h, add it to
 * sections[] where its keys go (new keys go last) and NAME.c to
 * extract.mk.  A cmd no section read before also needs its C_ entry and
 * name in event.h and event.c, and a field its F_ entry and key there.
 */
static const struct section *const sections[] = {
	&section_cmds,		/* counts */
	&section_ops,		/* ops_requested, ops_total, ... */
	&section_cache,		/* cache, cache_hits_warm */
	&section_locks,		/* lock_wait, lock_timeout, ... */
	&section_integrity,	/* integrity_check */
	&section_verify,	/* verify */
	&section_workers,	/* workers */
	&section_events,	/* events */
	&section_latency,	/* latency_ms */
	&section_progression,	/* progression */
	&section_op_cmd,	/* op_cmd */
	&section_cache_errors,	/* cache_errors */
	&section_chaos,		/* chaos */
	&section_db,		/* db */
	&section_env,		/* env */
	&section_timeline,	/* timeline_interval_ms, timeline, ... */
	&section_config,	/* config */
	&section_shards,	/* shards */
	&section_hosts,		/* hosts */
};
#define NSECTIONS	(sizeof(sections) / sizeof(sections[0]))

/* A fold to call for one kind of event. */
struct hook {
	int		(*fold)(void *, struct fold *);
	void		*state;
};

struct metrics {
	struct metrics_opts o;
	unsigned long long read, matched, malformed, blank, bad_fields;
	unsigned long long mfirst[METRICS_MALFORMED_FIRST];
	size_t		 nmfirst;

	struct strtab	*runs;		/* run id, shard -> lines since its end */
	unsigned long long norun;	/* the same for lines without run id */
	char		*key;		/* room for a runs key */
	size_t		 keycap;
	const char	*last_key;	/* the runs key of the last line */
	size_t		 last_len;
	unsigned long long *last_n;
	char		*first_id;	/* the first run id seen */
	size_t		 first_len;
	int		 more_ids;	/* another run id came too */

	const char	*op_cmd;	/* the operation cmd so far */
	size_t		 op_cmd_len;
	enum cmd_id	 op_id;		/* its id, C_OTHER when unknown */
	char		*op_cmd_copy;	/* from a run start, owned */

	void		*state[NSECTIONS];
	struct hook	 hooks[C_COUNT][NSECTIONS];
	size_t		 nhooks[C_COUNT];
};

/* Hook each section's fold to the kinds it reads, in table order. */
static void
metrics_hook(struct metrics *m)
{
	const struct section *s;
	size_t i;
	int k;

	for (i = 0; i < NSECTIONS; i++) {
		s = sections[i];
		for (k = 0; k < C_COUNT; k++) {
			if (s->fold == NULL || !(s->kinds & KIND(k)))
				continue;
			m->hooks[k][m->nhooks[k]].fold = s->fold;
			m->hooks[k][m->nhooks[k]++].state = m->state[i];
		}
	}
}

struct metrics *
metrics_new(const struct metrics_opts *o)
{
	struct metrics *m;
	size_t i;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	m->o = *o;
	m->op_cmd = o->op_cmd != NULL ? o->op_cmd : DEFAULT_OP_CMD;
	m->op_cmd_len = strlen(m->op_cmd);
	m->op_id = event_cmd_id(m->op_cmd, m->op_cmd_len);
	if ((m->runs = strtab_new()) == NULL)
		goto fail;
	for (i = 0; i < NSECTIONS; i++) {
		if ((m->state[i] = calloc(1, sections[i]->size ?
		    sections[i]->size : 1)) == NULL)
			goto fail;
		if (sections[i]->init != NULL &&
		    sections[i]->init(m->state[i], &m->o) == -1)
			goto fail;
	}
	metrics_hook(m);
	return m;
fail:
	metrics_free(m);
	return NULL;
}

static void
metrics_free_run(struct strtab_ent *e)
{
	free(e->val);
}

void
metrics_free(struct metrics *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < NSECTIONS; i++) {
		if (m->state[i] != NULL && sections[i]->free != NULL)
			sections[i]->free(m->state[i]);
		free(m->state[i]);
	}
	if (m->runs != NULL)
		strtab_foreach(m->runs, metrics_free_run);
	strtab_free(m->runs);
	free(m->key);
	free(m->first_id);
	free(m->op_cmd_copy);
	free(m);
}

const struct metrics_opts *
metrics_opts(const struct metrics *m)
{
	return &m->o;
}

unsigned long long
metrics_matched(const struct metrics *m)
{
	return m->matched;
}

const char *
metrics_op_cmd(const struct metrics *m, size_t *len)
{
	*len = m->op_cmd_len;
	return m->op_cmd;
}

const void *
metrics_state(const struct metrics *m, const struct section *s)
{
	size_t i;

	for (i = 0; i < NSECTIONS; i++)
		if (sections[i] == s)
			return m->state[i];
	return NULL;
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

/* Whether the event belongs to the run analysed; checks its run_id. */
static int
metrics_ours(const struct metrics *m, struct fold *f)
{
	const struct field *id = event_get(f->ev, F_RUN_ID);

	fold_str(f, F_RUN_ID);
	return m->o.run_id == NULL || (id->t == FT_STR &&
	    id->len == m->o.run_id_len &&
	    memcmp(id->s, m->o.run_id, id->len) == 0);
}

/* Check the fields every event may have; find a usable timing. */
static void
metrics_common(struct fold *f)
{
	const struct field *t = event_get(f->ev, F_TIMING);

	fold_map(f, F_ARGS);
	fold_map(f, F_RESULT);
	fold_map(f, F_X);
	if (t->t == FT_NUM && t->finite && t->d >= 0)
		f->timing = t;
	else if (t->t != FT_ABSENT && t->t != FT_NULL)
		f->bad = 1;
	fold_str(f, F_R_STATUS);
}

/*
 * The runs key of the event into m->key: the run id's length, the run
 * id, then x.shard when it is a string, so that each shard of a run has
 * its own count.  Returns its length, or 0 when out of memory.
 */
static size_t
metrics_key(struct metrics *m, const struct field *id, const struct field *sh)
{
	uint32_t idlen = (uint32_t)id->len;
	size_t len = sizeof(idlen) + id->len + (sh->t == FT_STR ? sh->len : 0);
	char *nk;

	if (len > m->keycap) {
		if ((nk = realloc(m->key, len)) == NULL)
			return 0;
		m->key = nk;
		m->keycap = len;
	}
	memcpy(m->key, &idlen, sizeof(idlen));
	memcpy(m->key + sizeof(idlen), id->s, id->len);
	if (sh->t == FT_STR && sh->len > 0)
		memcpy(m->key + sizeof(idlen) + id->len, sh->s, sh->len);
	return len;
}

/* A run or shard seen for the first time: note whether its id is new. */
static int
metrics_new_run(struct metrics *m, const struct field *id)
{
	if (m->first_id == NULL) {
		if ((m->first_id = malloc(id->len + 1)) == NULL)
			return -1;
		memcpy(m->first_id, id->s, id->len);
		m->first_len = id->len;
	} else if (id->len != m->first_len ||
	    memcmp(id->s, m->first_id, id->len) != 0)
		m->more_ids = 1;
	return 0;
}

/* The line count of the event's run, this line counted; NULL: no memory. */
static unsigned long long *
metrics_run(struct metrics *m, const struct event *ev)
{
	const struct field *id = event_get(ev, F_RUN_ID);
	struct strtab_ent *e;
	size_t len;
	int created;

	if (id->t != FT_STR) {
		m->norun++;
		return &m->norun;
	}
	if ((len = metrics_key(m, id, event_get(ev, F_X_SHARD))) == 0)
		return NULL;
	/* Lines of one run mostly come together: look up a new run only. */
	if (m->last_key == NULL || len != m->last_len ||
	    memcmp(m->key, m->last_key, len) != 0) {
		e = strtab_get(m->runs, m->key, len, &created);
		if (e == NULL || (created &&
		    ((e->val = calloc(1, sizeof(*m->last_n))) == NULL ||
		    metrics_new_run(m, id) == -1)))
			return NULL;
		m->last_key = e->key;
		m->last_len = e->len;
		m->last_n = e->val;
	}
	(*m->last_n)++;
	return m->last_n;
}

/*
 * The first run start that names an op cmd fixes it, unless --op-cmd did;
 * returns 0, or -1 when out of memory.
 */
static int
metrics_op_start(struct metrics *m, struct fold *f)
{
	const struct field *v = event_get(f->ev, F_A_OP_CMD);

	if (!fold_str(f, F_A_OP_CMD) || m->o.op_cmd != NULL ||
	    m->op_cmd_copy != NULL)
		return 0;
	if ((m->op_cmd_copy = fold_copy(f, F_A_OP_CMD)) == NULL)
		return -1;
	m->op_cmd = m->op_cmd_copy;
	m->op_cmd_len = v->len;
	m->op_id = event_cmd_id(v->s, v->len);
	return 0;
}

/* 1 when the event is an operation: of the op cmd, not a chaos kill. */
static int
metrics_is_op(const struct metrics *m, const struct event *ev)
{
	const struct field *cmd = event_get(ev, F_CMD);
	const struct field *chaos = event_get(ev, F_X_CHAOS);

	if (ev->cmd != m->op_id || (m->op_id == C_OTHER &&
	    (cmd->len != m->op_cmd_len ||
	    memcmp(cmd->s, m->op_cmd, cmd->len) != 0)))
		return 0;
	return chaos->t != FT_BOOL || !chaos->b;
}

/* The value at path of the line read whole; -1 with *v NULL: no memory. */
static int
metrics_tree(struct fold *f, const char *const *path, yajl_val *v)
{
	*v = NULL;
	if (!f->treed) {
		f->treed = 1;
		if (tree_parse(f->ev->line, f->ev->len,
		    (yajl_val *)&f->tree) == -1)
			return -1;
	}
	*v = tree_get(f->tree, path);
	return 0;
}

int
fold_path(struct fold *f, const char *const *path, struct field *out)
{
	yajl_val v;
	int rc = metrics_tree(f, path, &v);

	tree_field(v, out);
	return rc;
}

int
fold_path_at(struct fold *f, const char *const *path, size_t i,
    struct field *out)
{
	yajl_val v;
	int rc = metrics_tree(f, path, &v);

	tree_field(YAJL_IS_ARRAY(v) && i < v->u.array.len ?
	    v->u.array.values[i] : NULL, out);
	return rc;
}

/* Hand the event to the folds of its kind; returns 0, or -1 (no memory). */
static int
metrics_dispatch(struct metrics *m, struct fold *f)
{
	const struct hook *h;
	enum cmd_id k = f->ev->cmd;
	size_t i;
	int rc = 0;

	if (k == C_RUN_START && metrics_op_start(m, f) == -1)
		return -1;
	f->op = metrics_is_op(m, f->ev);
	for (i = 0, h = m->hooks[k]; i < m->nhooks[k] && rc == 0; i++, h++)
		rc = h->fold(h->state, f);
	yajl_tree_free(f->tree);
	return rc;
}

int
metrics_event(struct metrics *m, const struct event *ev)
{
	struct fold f;

	memset(&f, 0, sizeof(f));
	f.ev = ev;
	if (!metrics_ours(m, &f))
		return 0;
	m->matched++;
	metrics_common(&f);
	if ((f.run_lines = metrics_run(m, ev)) == NULL)
		return -1;
	if (fold_str(&f, F_CMD) && metrics_dispatch(m, &f) == -1)
		return -1;
	if (f.bad)
		m->bad_fields++;
	return 0;
}

/* The run filtered on, else the single run id seen, else null. */
static int
metrics_run_id(const struct metrics *m, struct out *o)
{
	out_key(o, "run_id");
	if (m->o.run_id != NULL)
		return out_str(o, m->o.run_id, m->o.run_id_len);
	if (m->first_id == NULL || m->more_ids)
		return out_null(o);
	return out_str(o, m->first_id, m->first_len);
}

static int
metrics_lines(const struct metrics *m, struct out *o)
{
	size_t i;

	out_kmap(o, "lines");
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

int
metrics_write(const struct metrics *m, yajl_gen g)
{
	struct out o = { g, 0 };
	size_t i;

	out_map_open(&o);
	out_key(&o, "schema");
	out_key(&o, "soak-metrics/1");
	metrics_run_id(m, &o);
	metrics_lines(m, &o);
	for (i = 0; i < NSECTIONS && o.err == 0; i++)
		sections[i]->write(m->state[i], &o, m);
	return out_map_close(&o);
}
