/* chaos: the chaos section, kills on purpose and whether the run recovered. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "event.h"
#include "metrics.h"
#include "out.h"
#include "section.h"
#include "strtab.h"

/*
 * A kill waits for the run that decides it.  In exec mode (a soak.exec
 * killed) that is the killed worker's next soak.exec that was not killed;
 * in the built-in mode (a soak.worker.exit killed) the first operation of
 * the worker that took over, x.replaced_by, or with none the next
 * operation of any worker.  A replacement killed before its first
 * operation hands the kills waiting on it on to its own replacement.
 */
enum first { FIRST_NONE, FIRST_OK, FIRST_FAILED };

/* What a worker's kills wait for. */
struct worker {
	unsigned long long exec_wait;	/* exec kills: its next run */
	unsigned long long first_wait;	/* built-in kills: its first op */
	enum first	 first;		/* how its first operation went */
};

/*
 * Workers are numbered within a run: the table's key is the run id and
 * the number.  The entry of number ANY holds, in first_wait, the kills
 * waiting for the run's next operation of any worker.
 */
#define ANY	UINT64_MAX

struct chaos {
	struct strtab	*workers;	/* run id, number -> struct worker */
	unsigned long long kills, in_write, recovered;
	char		*key;		/* room for a key */
	size_t		 keycap;
};

static int
chaos_init(void *state, const struct metrics_opts *o)
{
	struct chaos *c = state;

	(void)o;
	return (c->workers = strtab_new()) == NULL ? -1 : 0;
}

static void
chaos_free_ent(struct strtab_ent *e)
{
	free(e->val);
}

static void
chaos_free(void *state)
{
	struct chaos *c = state;

	if (c->workers != NULL)
		strtab_foreach(c->workers, chaos_free_ent);
	strtab_free(c->workers);
	free(c->key);
}

/* Worker n of the event's run, made when new; NULL when out of memory. */
static struct worker *
chaos_worker(struct chaos *c, const struct fold *f, uint64_t n)
{
	const struct field *id = event_get(f->ev, F_RUN_ID);
	size_t idlen = id->t == FT_STR ? id->len : 0;
	struct strtab_ent *e;
	char *nk;
	int created;

	if (c->keycap < idlen + sizeof(n)) {
		if ((nk = realloc(c->key, idlen + sizeof(n))) == NULL)
			return NULL;
		c->key = nk;
		c->keycap = idlen + sizeof(n);
	}
	memcpy(c->key, &n, sizeof(n));
	if (idlen > 0)
		memcpy(c->key + sizeof(n), id->s, idlen);
	e = strtab_get(c->workers, c->key, idlen + sizeof(n), &created);
	if (e == NULL)
		return NULL;
	if (created && (e->val = calloc(1, sizeof(struct worker))) == NULL)
		return NULL;
	return e->val;
}

/* Count one kill, and whether it came while SQLite's write lock was held. */
static void
chaos_kill(struct chaos *c, struct fold *f)
{
	c->kills++;
	if (fold_str(f, F_X_CHAOS_STATE) &&
	    fold_is(f, F_X_CHAOS_STATE, "write"))
		c->in_write++;
}

/*
 * A soak.exec: a kill waits for its worker's next run (without a worker
 * number, for the next operation); a run not killed decides.
 */
static void
chaos_exec(struct chaos *c, struct fold *f, int killed, struct worker *w,
    struct worker *any)
{
	if (killed) {
		chaos_kill(c, f);
		if (w != NULL)
			w->exec_wait++;
		else
			any->first_wait++;
	} else if (w != NULL && w->exec_wait > 0) {
		if (fold_is(f, F_R_STATUS, "ok"))
			c->recovered += w->exec_wait;
		w->exec_wait = 0;
	}
}

/* A worker killed in the built-in mode: wait for its replacement. */
static int
chaos_exit(struct chaos *c, struct fold *f, struct worker *w,
    struct worker *any)
{
	unsigned long long n = 1, r;
	struct worker *by;

	chaos_kill(c, f);
	if (w != NULL && w->first == FIRST_NONE) {
		n += w->first_wait;
		w->first_wait = 0;
	}
	if (!fold_id(f, F_X_REPLACED_BY, &r) || r == ANY) {
		any->first_wait += n;
		return 0;
	}
	if ((by = chaos_worker(c, f, r)) == NULL)
		return -1;
	if (by->first == FIRST_OK)
		c->recovered += n;
	else if (by->first == FIRST_NONE)
		by->first_wait += n;
	return 0;
}

/* An operation: it decides what waits on its worker's first one. */
static void
chaos_op(struct chaos *c, struct fold *f, struct worker *w,
    struct worker *any)
{
	int ok = fold_is(f, F_R_STATUS, "ok");

	if (w != NULL && w->first == FIRST_NONE) {
		w->first = ok ? FIRST_OK : FIRST_FAILED;
		if (ok)
			c->recovered += w->first_wait;
		w->first_wait = 0;
	}
	if (ok)
		c->recovered += any->first_wait;
	any->first_wait = 0;
}

static int
chaos_fold(void *state, struct fold *f)
{
	struct chaos *c = state;
	struct worker *w = NULL, *any;
	enum cmd_id k = f->ev->cmd;
	unsigned long long n;
	int killed;

	if (k != C_EXEC && k != C_WORKER_EXIT && !f->op)
		return 0;
	killed = fold_true(f, F_X_CHAOS);
	if (k == C_WORKER_EXIT && !killed)
		return 0;
	if ((any = chaos_worker(c, f, ANY)) == NULL)
		return -1;
	if (fold_id(f, k == C_WORKER_EXIT ? F_A_WORKER : F_X_WORKER, &n) &&
	    n != ANY && (w = chaos_worker(c, f, n)) == NULL)
		return -1;
	if (k == C_WORKER_EXIT)
		return chaos_exit(c, f, w, any);
	if (k == C_EXEC)
		chaos_exec(c, f, killed, w, any);
	if (f->op)
		chaos_op(c, f, w, any);
	return 0;
}

static int
chaos_write(const void *state, struct out *o, const struct metrics *m)
{
	const struct chaos *c = state;

	(void)m;
	out_key(o, "chaos");
	if (c->kills == 0)
		return out_null(o);
	out_map_open(o);
	out_kcount(o, "kills", c->kills);
	out_kcount(o, "in_write", c->in_write);
	out_kcount(o, "recovered", c->recovered);
	out_kcount(o, "unrecovered", c->kills - c->recovered);
	return out_map_close(o);
}

const struct section section_chaos = {
	.size = sizeof(struct chaos),
	.kinds = KINDS_ALL,
	.init = chaos_init,
	.free = chaos_free,
	.fold = chaos_fold,
	.write = chaos_write,
};
