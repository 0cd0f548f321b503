/* cmds: the sections read per cmd: counts, ops, latency_ms and op_cmd. */
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "event.h"
#include "metrics.h"
#include "out.h"
#include "section.h"
#include "stats.h"
#include "strtab.h"
#include "utf8.h"

/* Per cmd: events, events with result.status "ok", timings. */
struct cmdstat {
	unsigned long long count, ok;
	struct stats	*lat;
};

struct cmds {
	struct strtab	*tab;		/* cmd -> struct cmdstat */
	struct cmdstat	*known[C_COUNT];	/* the same for known cmds */
};

/* The operations: how many were asked, done and done ok. */
struct ops {
	int		 have_ops;
	unsigned long long requested, total, ok;
};

static int
cmds_init(void *state, const struct metrics_opts *o)
{
	struct cmds *c = state;

	(void)o;
	return (c->tab = strtab_new()) == NULL ? -1 : 0;
}

static void
cmds_free_ent(struct strtab_ent *e)
{
	struct cmdstat *cs = e->val;

	if (cs != NULL)
		stats_free(cs->lat);
	free(cs);
}

static void
cmds_free(void *state)
{
	struct cmds *c = state;

	if (c->tab != NULL)
		strtab_foreach(c->tab, cmds_free_ent);
	strtab_free(c->tab);
}

static struct cmdstat *
cmds_get(struct cmds *c, const struct event *ev)
{
	const struct field *cmd = event_get(ev, F_CMD);
	struct strtab_ent *e;
	const char *name;
	char *tmp;
	size_t len = cmd->len;
	int created;

	if (ev->cmd != C_OTHER && c->known[ev->cmd] != NULL)
		return c->known[ev->cmd];
	if ((name = utf8_name(cmd->s, &len, &tmp)) == NULL)
		return NULL;
	e = strtab_get(c->tab, name, len, &created);
	free(tmp);
	if (e == NULL)
		return NULL;
	if (created && (e->val = calloc(1, sizeof(struct cmdstat))) == NULL)
		return NULL;
	if (ev->cmd != C_OTHER)
		c->known[ev->cmd] = e->val;
	return e->val;
}

static int
cmds_fold(void *state, struct fold *f)
{
	struct cmdstat *cs;

	if ((cs = cmds_get(state, f->ev)) == NULL)
		return -1;
	cs->count++;
	if (fold_is(f, F_R_STATUS, "ok"))
		cs->ok++;
	if (f->timing == NULL)
		return 0;
	if (cs->lat == NULL && (cs->lat = stats_new()) == NULL)
		return -1;
	return stats_add(cs->lat, f->timing->d);
}

static int
cmds_write(const void *state, struct out *o, const struct metrics *m)
{
	const struct cmds *c = state;
	struct strtab_ent **v, **e;

	(void)m;
	if ((v = strtab_sorted(c->tab)) == NULL)
		return o->err = -1;
	out_kmap(o, "counts");
	for (e = v; *e != NULL; e++) {
		out_str(o, (*e)->key, (*e)->len);
		out_count(o, ((const struct cmdstat *)(*e)->val)->count);
	}
	free(v);
	return out_map_close(o);
}

const struct section section_cmds = {
	.size = sizeof(struct cmds),
	.kinds = KINDS_ALL,
	.init = cmds_init,
	.free = cmds_free,
	.fold = cmds_fold,
	.write = cmds_write,
};

/* A shard's run start asks for the run's OPS: they count once (start.c). */
static int
ops_fold(void *state, struct fold *f)
{
	struct ops *p = state;
	unsigned long long v;
	unsigned k, n;
	int sharded;

	if (f->op) {
		p->total++;
		if (fold_is(f, F_R_STATUS, "ok"))
			p->ok++;
	}
	if (f->ev->cmd != C_RUN_START)
		return 0;
	if ((sharded = fold_shard(f, &k, &n)) == -1)
		return -1;
	if (!sharded && fold_count(f, F_A_OPS, &v)) {
		count_add(&p->requested, v);
		p->have_ops = 1;
	}
	return 0;
}

static int
ops_write(const void *state, struct out *o, const struct metrics *m)
{
	const struct ops *p = state;
	unsigned long long run;
	int sharded = shards_ops(m, &run);

	out_key(o, "ops_requested");
	if (p->have_ops || sharded)
		out_count(o, p->requested + (sharded ? run : 0));
	else
		out_null(o);
	out_kcount(o, "ops_total", p->total);
	out_kcount(o, "ops_completed", p->ok);
	return out_kcount(o, "ops_failed", p->total - p->ok);
}

const struct section section_ops = {
	.size = sizeof(struct ops),
	.kinds = KINDS_ALL,
	.fold = ops_fold,
	.write = ops_write,
};

static const double quantiles[] = { 0.50, 0.95, 0.99 };

#define SOAK_PREFIX	"soak."
#define SOAK_PREFIX_LEN	(sizeof(SOAK_PREFIX) - 1)

/* One cmd's timings; soak's own bookkeeping lines take no time worth
 * knowing, but an operation (soak.exec in exec mode) is kept. */
static void
latency_cmd(struct out *o, const struct strtab_ent *e, const char *op,
    size_t oplen)
{
	const struct cmdstat *cs = e->val;
	double q[3];

	if (e->len >= SOAK_PREFIX_LEN &&
	    memcmp(e->key, SOAK_PREFIX, SOAK_PREFIX_LEN) == 0 &&
	    !(e->len == oplen && memcmp(e->key, op, oplen) == 0))
		return;
	if (cs->lat == NULL || stats_quantiles(cs->lat, quantiles, q, 3) == -1)
		return;
	out_str(o, e->key, e->len);
	out_map_open(o);
	out_kcount(o, "count", stats_count(cs->lat));
	out_key(o, "p50");
	out_ms(o, q[0]);
	out_key(o, "p95");
	out_ms(o, q[1]);
	out_key(o, "p99");
	out_ms(o, q[2]);
	out_key(o, "max");
	out_ms(o, stats_max(cs->lat));
	out_map_close(o);
}

static int
latency_write(const void *state, struct out *o, const struct metrics *m)
{
	const struct cmds *c = metrics_state(m, &section_cmds);
	struct strtab_ent **v, **e;
	const char *op;
	size_t oplen;

	(void)state;
	if ((v = strtab_sorted(c->tab)) == NULL)
		return o->err = -1;
	op = metrics_op_cmd(m, &oplen);
	out_kmap(o, "latency_ms");
	for (e = v; *e != NULL; e++)
		latency_cmd(o, *e, op, oplen);
	free(v);
	return out_map_close(o);
}

const struct section section_latency = {
	.write = latency_write,
};

static int
op_cmd_write(const void *state, struct out *o, const struct metrics *m)
{
	const char *name;
	size_t len;

	(void)state;
	name = metrics_op_cmd(m, &len);
	out_key(o, "op_cmd");
	return out_str(o, name, len);
}

const struct section section_op_cmd = {
	.write = op_cmd_write,
};
