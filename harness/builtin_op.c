/* builtin_op.c: one operation of the built-in workload in a worker: a
 * file's content hash, a lookup under the lock, and on a miss the
 * symbols extracted and stored. */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtin.h"
#include "cache.h"
#include "child.h"
#include "clock.h"
#include "config.h"
#include "event.h"
#include "files.h"
#include "key.h"
#include "lock.h"
#include "prng.h"
#include "proto.h"
#include "sqlcode.h"
#include "symbols.h"
#include "workload.h"

/* A file's content hash, valid while lstat(2) shows the same file with
 * the same size and times. */
struct memo {
	struct stat st;
	char hash[KEY_HASH16_LEN + 1];
	int valid;
};

struct worker {
	const struct config *cf;
	const struct fileset *fs;
	struct emitter *em;
	struct batch *b;
	struct cache *cache;
	struct wstat *st;
	volatile sig_atomic_t *stop;
	struct prng p;
	int lockfd, failed;
	char *key, *path;
	size_t keycap, pathcap;
	struct memo *memo;	/* per file: its hash while unchanged */
};

/* One operation's outcome, for its ast.symbols line. */
struct outcome {
	const char *status;	/* "ok", "error", or a lock or cache failure */
	const char *why;	/* for "error" */
	long long count;	/* symbols; -1: none */
	int hit;		/* 1 hit, 0 miss, -1 no lookup */
};

static void
worker_send(struct worker *w)
{
	if (ev_send(w->em) != 0)
		w->failed = 1;
}

/* A lock event for the lock just taken after a wait, or missed. */
static void
worker_lock_event(struct worker *w, const char *cmd, double ms,
    const char *stage, const char *status)
{
	ev_begin(w->em, cmd);
	ev_str(w->em, "cache_key", w->key);
	ev_str(w->em, "lock", w->cf->lock);
	ev_str(w->em, "stage", stage);
	ev_result(w->em);
	ev_str(w->em, "status", status);
	ev_int(w->em, "timeout_ms", w->cf->b.lock_timeout_ms);
	ev_x(w->em, ms, NULL);
	worker_send(w);
}

/* Take the lock, with a lock_wait or lock_timeout line when due. */
static enum lock_result
worker_lock(struct worker *w, const char *stage)
{
	enum lock_result r;
	double waited;

	r = lock_take(w->lockfd, w->cf->b.lock_timeout_ms, &waited, w->stop);
	if (r == LOCK_OK && waited > (double)w->cf->b.lock_wait_ms) {
		proto_add(&w->st->waits);
		worker_lock_event(w, "ast.cache.lock_wait", waited, stage, "ok");
	} else if (r == LOCK_TIMEOUT) {
		proto_add(&w->st->timeouts);
		worker_lock_event(w, "ast.cache.lock_timeout", waited, stage,
		    "timeout");
	}
	return r;
}

static void
worker_cache_event(struct worker *w, const char *cmd, double ms)
{
	ev_begin(w->em, cmd);
	ev_str(w->em, "cache_key", w->key);
	ev_result(w->em);
	ev_str(w->em, "status", "ok");
	ev_str(w->em, "backend", "soak-harness");
	ev_x(w->em, ms, NULL);
	worker_send(w);
}

static void
worker_error_event(struct worker *w, double ms)
{
	proto_add(&w->st->errors);
	ev_begin(w->em, "ast.cache.error");
	if (w->key != NULL)
		ev_str(w->em, "cache_key", w->key);
	ev_str(w->em, "stage", cache_stage(w->cache));
	ev_result(w->em);
	ev_str(w->em, "status", "error");
	ev_str(w->em, "code", sqlcode_name(cache_errcode(w->cache)));
	ev_str(w->em, "message", cache_errmsg(w->cache));
	ev_x(w->em, ms, NULL);
	worker_send(w);
}

static void
worker_op_event(struct worker *w, const char *rel, const struct outcome *o,
    double ms)
{
	int ok = strcmp(o->status, "ok") == 0;

	ev_begin(w->em, "ast.symbols");
	ev_str(w->em, "file", rel);
	if (w->key != NULL)
		ev_str(w->em, "cache_key", w->key);
	ev_result(w->em);
	ev_str(w->em, "status", o->status);
	if (strcmp(o->status, "error") == 0 && o->why != NULL)
		ev_str(w->em, "error", o->why);
	ev_x(w->em, ms, NULL);
	ev_count(w->em, "symbols_count", ok ? o->count : -1);
	if (o->hit >= 0)
		ev_str(w->em, "cache", o->hit ? "hit" : "miss");
	worker_send(w);
}

/* Tell the parent a write committed: the key and its value's digest. */
static void
worker_committed(struct worker *w, const char *value, size_t len)
{
	char digest[65], *line;
	size_t n;

	key_sha256(value, len, digest);
	if ((line = proto_commit_line(digest, w->key, &n)) == NULL ||
	    batch_add(w->b, line, n) != 0)
		w->failed = 1;
	free(line);
}

static int
worker_grow(char **buf, size_t *cap, size_t need)
{
	char *nb;

	if (need <= *cap)
		return 0;
	if ((nb = realloc(*buf, need)) == NULL)
		return -1;
	*buf = nb;
	*cap = need;
	return 0;
}

/* Store json under w->key inside the lock; returns 0, or -1 with o set. */
static int
worker_store(struct worker *w, const char *json, size_t jlen,
    struct outcome *o)
{
	enum lock_result lr;
	double t;

	if ((lr = worker_lock(w, "store")) != LOCK_OK) {
		o->status = lock_result_name(lr);
		return -1;
	}
	t = clock_ms();
	proto_set_state(w->st, WSTATE_WRITE);
	if (cache_store(w->cache, w->key, json, jlen, clock_unix()) != 0) {
		proto_set_state(w->st, WSTATE_IDLE);
		lock_release(w->lockfd);
		worker_error_event(w, clock_ms() - t);
		o->status = "sqlite_error";
		return -1;
	}
	proto_set_state(w->st, WSTATE_IDLE);
	t = clock_ms() - t;
	lock_release(w->lockfd);
	worker_committed(w, json, jlen);
	worker_cache_event(w, "ast.cache.write", t);
	return 0;
}

/* Extract the symbols of content and store them under w->key. */
static void
worker_fill(struct worker *w, const char *rel, const char *content,
    size_t len, struct outcome *o)
{
	struct symlist l = { NULL, 0, 0 };
	char *json;
	size_t jlen;

	if (symbols_extract(symbols_lang(rel), content, len, &l) < 0 ||
	    (json = symbols_json(&l, &jlen)) == NULL) {
		symbols_free(&l);
		o->status = "error";
		o->why = "out of memory";
		return;
	}
	o->count = (long long)l.n;
	symbols_free(&l);
	worker_store(w, json, jlen, o);
	free(json);
}

/* The key for hash into w->key; -1 when memory ran out. */
static int
worker_key(struct worker *w, const char *hash)
{
	int n = key_format(NULL, 0, w->cf->segment, w->path, hash);

	if (worker_grow(&w->key, &w->keycap, (size_t)n + 1) < 0)
		return -1;
	key_format(w->key, w->keycap, w->cf->segment, w->path, hash);
	return 0;
}

static int
worker_same(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	    a->st_size == b->st_size &&
	    a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	    a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	    a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
	    a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* Read file f (w->path) and hash it into hash, remembering the hash for
 * the file's identity and times. */
static int
worker_content(struct worker *w, size_t f, char *hash, char **content,
    size_t *len)
{
	struct memo *m = &w->memo[f];
	struct stat st;

	if (lstat(w->path, &st) < 0 || files_read(w->path, content, len) < 0)
		return -1;
	key_hash16(*content, *len, hash);
	m->st = st;
	memcpy(m->hash, hash, sizeof(m->hash));
	m->valid = 1;
	return 0;
}

/* The content hash of file f: the remembered one while the file's
 * identity, size and times are unchanged, else read and hashed (then
 * *content holds the bytes). */
static int
worker_hash(struct worker *w, size_t f, char *hash, char **content,
    size_t *len)
{
	struct memo *m = &w->memo[f];
	struct stat st;

	*content = NULL;
	*len = 0;
	if (m->valid && lstat(w->path, &st) == 0 && S_ISREG(st.st_mode) &&
	    worker_same(&st, &m->st)) {
		memcpy(hash, m->hash, sizeof(m->hash));
		return 0;
	}
	m->valid = 0;
	return worker_content(w, f, hash, content, len);
}

/* The lookup under the lock; on a miss the file is read (when it was not
 * yet) and its symbols stored. */
static void
worker_lookup(struct worker *w, size_t f, char *hash, char **content,
    size_t *len, struct outcome *o)
{
	enum lock_result lr;
	double t;

	if ((lr = worker_lock(w, "lookup")) != LOCK_OK) {
		o->status = lock_result_name(lr);
		return;
	}
	t = clock_ms();
	proto_set_state(w->st, WSTATE_LOOKUP);
	if (cache_lookup(w->cache, w->key, clock_unix(), &o->hit,
	    &o->count) != 0) {
		proto_set_state(w->st, WSTATE_IDLE);
		lock_release(w->lockfd);
		worker_error_event(w, clock_ms() - t);
		o->status = "sqlite_error";
		o->hit = -1;
		return;
	}
	proto_set_state(w->st, WSTATE_IDLE);
	t = clock_ms() - t;
	lock_release(w->lockfd);
	proto_add(o->hit ? &w->st->hits : &w->st->misses);
	worker_cache_event(w, o->hit ? "ast.cache.hit" : "ast.cache.miss", t);
	if (o->hit)
		return;
	/* Read now; if the file changed since, its new key goes. */
	if (*content == NULL && (worker_content(w, f, hash, content,
	    len) < 0 || worker_key(w, hash) < 0)) {
		o->status = "error";
		o->why = strerror(errno);
	} else
		worker_fill(w, w->fs->rel[f], *content, *len, o);
}

int
builtin_child_op(void *child, long long op)
{
	struct worker *w = child;
	struct outcome o = { "ok", NULL, -1, -1 };
	size_t f = (size_t)prng_below(&w->p, w->fs->n), len, plen;
	const char *rel = w->fs->rel[f];
	char hash[KEY_HASH16_LEN + 1], *content = NULL;
	double t0 = clock_ms();

	(void)op;
	plen = strlen(w->cf->segment) + strlen(rel) + 2;
	if (worker_grow(&w->path, &w->pathcap, plen) < 0)
		return -1;
	snprintf(w->path, plen, "%s/%s", w->cf->segment, rel);
	if (worker_hash(w, f, hash, &content, &len) < 0 ||
	    worker_key(w, hash) < 0) {
		o.status = "error";
		o.why = strerror(errno);
		free(w->key);
		w->key = NULL;
		w->keycap = 0;
	} else
		worker_lookup(w, f, hash, &content, &len, &o);
	free(content);
	worker_op_event(w, rel, &o, clock_ms() - t0);
	return w->failed ? -1 : 0;
}

int
builtin_child_new(const struct wctx *c, struct emitter *em, struct batch *b,
    void **child)
{
	const struct fileset *fs = c->state;
	struct worker *w;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return -1;
	*child = w;
	w->cf = c->cf;
	w->fs = fs;
	w->em = em;
	w->b = b;
	w->st = c->st;
	w->stop = c->stop;
	w->lockfd = -1;
	prng_init(&w->p, c->cf->seed, (uint64_t)c->index);
	if (cache_open(&w->cache, c->cf->db, &c->cf->cache,
	    CACHE_WORKER) != 0) {
		if (w->cache != NULL)
			worker_error_event(w, 0);
		return -1;
	}
	if (lock_init() < 0 || (w->lockfd = lock_open(c->cf->lock)) < 0 ||
	    (w->memo = calloc(fs->n, sizeof(*w->memo))) == NULL)
		return -1;
	return 0;
}

void
builtin_child_free(void *child)
{
	struct worker *w = child;

	if (w == NULL)
		return;
	if (w->lockfd >= 0)
		close(w->lockfd);
	cache_close(w->cache);
	free(w->key);
	free(w->path);
	free(w->memo);
	free(w);
}
