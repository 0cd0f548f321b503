/* db: the db section, the database watched from outside and after the run. */
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "event.h"
#include "metrics.h"
#include "out.h"
#include "section.h"

/* A count that may be null. */
struct count {
	int		 set;
	unsigned long long n;
};

/* The soak.db.sample windows, and the last soak.db.info. */
struct db {
	int		 windows;	/* a sample line came */
	unsigned long long samples, journal_seen, writer_held;
	unsigned long long bytes_max, wal_max;
	struct count	 start, last;	/* db_bytes_first, db_bytes_last */
	struct count	 bytes, page_size, page_count, freelist;
	char		*journal_mode;	/* of the last info, or NULL */
	size_t		 journal_mode_len;
};

#define PATH(...)	((const char *const []){ __VA_ARGS__, NULL })

static void
db_free(void *state)
{
	free(((struct db *)state)->journal_mode);
}

/* Raise *max to the count at path; returns 0, or -1 when out of memory. */
static int
db_max(struct fold *f, const char *const *path, unsigned long long *max)
{
	unsigned long long v;
	int rc;

	if ((rc = fold_path_count(f, path, &v)) == 1 && v > *max)
		*max = v;
	return rc == -1 ? -1 : 0;
}

/* Set c to the count at path, null when it is none; as db_max. */
static int
db_set(struct fold *f, const char *const *path, struct count *c)
{
	int rc = fold_path_count(f, path, &c->n);

	c->set = rc == 1;
	return rc == -1 ? -1 : 0;
}

/*
 * Add the count at path, a number of the window's n samples, to *sum: more
 * than n is a bad field, held at n so that a rate stays at most 1;
 * returns 0, or -1 when out of memory.
 */
static int
db_add_of(struct fold *f, const char *const *path, unsigned long long n,
    unsigned long long *sum)
{
	unsigned long long v;
	int rc;

	if ((rc = fold_path_count(f, path, &v)) == 1) {
		if (v > n) {
			f->bad = 1;
			v = n;
		}
		count_add(sum, v);
	}
	return rc == -1 ? -1 : 0;
}

static int
db_sample(struct db *d, struct fold *f)
{
	struct count c, n;

	d->windows = 1;
	if (db_set(f, PATH("result", "samples"), &n) == -1)
		return -1;
	if (!n.set)
		n.n = 0;
	count_add(&d->samples, n.n);
	if (db_add_of(f, PATH("result", "journal_seen"), n.n,
	    &d->journal_seen) == -1 ||
	    db_add_of(f, PATH("result", "writer_held"), n.n,
	    &d->writer_held) == -1 ||
	    db_max(f, PATH("result", "db_bytes_max"), &d->bytes_max) == -1 ||
	    db_max(f, PATH("result", "wal_bytes_max"), &d->wal_max) == -1 ||
	    db_set(f, PATH("result", "db_bytes_first"), &c) == -1)
		return -1;
	if (c.set && !d->start.set)
		d->start = c;
	if (db_set(f, PATH("result", "db_bytes_last"), &c) == -1)
		return -1;
	if (c.set)
		d->last = c;
	return 0;
}

/* The last soak.db.info line's values, whole. */
static int
db_info(struct db *d, struct fold *f)
{
	struct field v;

	if (db_set(f, PATH("result", "bytes"), &d->bytes) == -1 ||
	    db_set(f, PATH("result", "page_size"), &d->page_size) == -1 ||
	    db_set(f, PATH("result", "page_count"), &d->page_count) == -1 ||
	    db_set(f, PATH("result", "freelist_count"), &d->freelist) == -1 ||
	    fold_path(f, PATH("result", "journal_mode"), &v) == -1)
		return -1;
	free(d->journal_mode);
	d->journal_mode = NULL;
	if (field_want(f, &v, FT_STR)) {
		if ((d->journal_mode = field_copy(&v)) == NULL)
			return -1;
		d->journal_mode_len = v.len;
	}
	return 0;
}

static int
db_fold(void *state, struct fold *f)
{
	if (f->ev->cmd == C_DB_SAMPLE)
		return db_sample(state, f);
	return db_info(state, f);
}

static int
db_count(struct out *o, const char *key, const struct count *c)
{
	out_key(o, key);
	return c->set ? out_count(o, c->n) : out_null(o);
}

static int
db_write(const void *state, struct out *o, const struct metrics *m)
{
	const struct db *d = state;

	(void)m;
	out_key(o, "db");
	if (!d->windows)
		return out_null(o);
	out_map_open(o);
	out_kcount(o, "samples", d->samples);
	db_count(o, "bytes_start", &d->start);
	db_count(o, "bytes_end", d->bytes.set ? &d->bytes : &d->last);
	out_kcount(o, "bytes_max", d->bytes_max);
	out_kcount(o, "wal_bytes_max", d->wal_max);
	out_kcount(o, "journal_seen", d->journal_seen);
	out_key(o, "writer_held");
	out_rate(o, d->writer_held, d->samples);
	db_count(o, "page_size", &d->page_size);
	db_count(o, "page_count", &d->page_count);
	db_count(o, "freelist_count", &d->freelist);
	out_key(o, "journal_mode");
	if (d->journal_mode == NULL)
		out_null(o);
	else
		out_str(o, d->journal_mode, d->journal_mode_len);
	return out_map_close(o);
}

const struct section section_db = {
	.size = sizeof(struct db),
	.kinds = KIND(C_DB_SAMPLE) | KIND(C_DB_INFO),
	.free = db_free,
	.fold = db_fold,
	.write = db_write,
};
