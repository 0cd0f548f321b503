#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache.h"
#include "clock.h"
#include "config.h"
#include "event.h"
#include "files.h"
#include "key.h"
#include "lock.h"
#include "prng.h"
#include "sqlcode.h"
#include "symbols.h"
#include "worker.h"

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
	struct cache *cache;
	struct wstat *st;
	volatile sig_atomic_t *stop;
	int fd, lockfd, index, failed;
	char *key, *path;
	size_t keycap, pathcap;
	char *out;		/* this operation's lines, sent at its end */
	size_t outlen, outcap;
	struct memo *memo;	/* per file: its hash while unchanged */
};

/* Send the lines gathered so far to the parent in one write. */
static void
worker_flush(struct worker *w)
{
	if (w->outlen > 0 && event_write_fd(&w->fd, w->out, w->outlen) != 0)
		w->failed = 1;
	w->outlen = 0;
}

static int
worker_sink(void *arg, const char *line, size_t len)
{
	struct worker *w = arg;

	if (w->outlen + len > w->outcap) {
		size_t cap = w->outcap ? w->outcap : 8192;
		char *nb;

		while (cap < w->outlen + len)
			cap *= 2;
		if ((nb = realloc(w->out, cap)) == NULL)
			return -1;
		w->out = nb;
		w->outcap = cap;
	}
	memcpy(w->out + w->outlen, line, len);
	w->outlen += len;
	if (w->outlen >= 65536)
		worker_flush(w);
	return 0;
}

static void
worker_stat(struct worker *w, long long *field)
{
	__atomic_store_n(field, *field + 1, __ATOMIC_RELAXED);
	(void)w;
}

static void
worker_state(struct worker *w, long long state)
{
	__atomic_store_n(&w->st->state, state, __ATOMIC_SEQ_CST);
}

static void
worker_send(struct worker *w)
{
	if (event_send(w->em) != 0)
		w->failed = 1;
}

/* Emit a lock event for the lock just taken or missed. */
static void
worker_lock_event(struct worker *w, const char *cmd, double ms,
    const char *stage)
{
	yajl_gen g = event_begin(w->em, cmd);

	gen_str(g, "args");
	yajl_gen_map_open(g);
	gen_kstr(g, "cache_key", w->key);
	gen_kstr(g, "lock", w->cf->lock);
	gen_kstr(g, "stage", stage);
	yajl_gen_map_close(g);
	gen_str(g, "result");
	yajl_gen_map_open(g);
	gen_kstr(g, "status", strcmp(cmd, "ast.cache.lock_wait") == 0 ?
	    "ok" : "timeout");
	gen_kint(g, "timeout_ms", w->cf->lock_timeout_ms);
	yajl_gen_map_close(g);
	event_x(w->em, ms);
	worker_send(w);
}

/* Take the lock; returns the lock_take result after emitting a lock_wait
 * or lock_timeout event when due. */
static enum lock_result
worker_lock(struct worker *w, const char *stage)
{
	enum lock_result r;
	double waited;

	r = lock_take(w->lockfd, w->cf->lock_timeout_ms, &waited, w->stop);
	if (r == LOCK_OK && waited > (double)w->cf->lock_wait_ms) {
		worker_stat(w, &w->st->waits);
		worker_lock_event(w, "ast.cache.lock_wait", waited, stage);
	} else if (r == LOCK_TIMEOUT) {
		worker_stat(w, &w->st->timeouts);
		worker_lock_event(w, "ast.cache.lock_timeout", waited, stage);
	}
	return r;
}

static void
worker_cache_event(struct worker *w, const char *cmd, double ms)
{
	yajl_gen g = event_begin(w->em, cmd);

	gen_str(g, "args");
	yajl_gen_map_open(g);
	gen_kstr(g, "cache_key", w->key);
	yajl_gen_map_close(g);
	gen_str(g, "result");
	yajl_gen_map_open(g);
	gen_kstr(g, "status", "ok");
	gen_kstr(g, "backend", "soak-harness");
	yajl_gen_map_close(g);
	event_x(w->em, ms);
	worker_send(w);
}

static void
worker_error_event(struct worker *w, double ms)
{
	yajl_gen g = event_begin(w->em, "ast.cache.error");

	worker_stat(w, &w->st->errors);
	gen_str(g, "args");
	yajl_gen_map_open(g);
	if (w->key != NULL)
		gen_kstr(g, "cache_key", w->key);
	gen_kstr(g, "stage", cache_stage(w->cache));
	yajl_gen_map_close(g);
	gen_str(g, "result");
	yajl_gen_map_open(g);
	gen_kstr(g, "status", "error");
	gen_kstr(g, "code", sqlcode_name(cache_errcode(w->cache)));
	gen_kstr(g, "message", cache_errmsg(w->cache));
	yajl_gen_map_close(g);
	event_x(w->em, ms);
	worker_send(w);
}

static void
worker_op_event(struct worker *w, const char *rel, const char *key,
    const char *status,
    const char *detail, double ms, long long count, int hit)
{
	yajl_gen g = event_begin(w->em, "ast.symbols");

	gen_str(g, "args");
	yajl_gen_map_open(g);
	gen_kstr(g, "file", rel);
	if (key != NULL)
		gen_kstr(g, "cache_key", key);
	yajl_gen_map_close(g);
	gen_str(g, "result");
	yajl_gen_map_open(g);
	gen_kstr(g, "status", status);
	if (detail != NULL)
		gen_kstr(g, "error", detail);
	yajl_gen_map_close(g);
	event_x(w->em, ms);
	if (count >= 0)
		gen_kint(g, "symbols_count", count);
	else
		gen_knull(g, "symbols_count");
	if (hit >= 0)
		gen_kstr(g, "cache", hit ? "hit" : "miss");
	worker_send(w);
}

/* Tell the parent a write committed: the key and its value's digest. */
static void
worker_control(struct worker *w, const char *value, size_t len)
{
	char digest[65], *line;
	size_t n;

	key_sha256(value, len, digest);
	n = strlen(w->key) + 64 + 5;
	if ((line = malloc(n + 1)) == NULL) {
		w->failed = 1;
		return;
	}
	snprintf(line, n + 1, "%cW\t%s\t%s\n", WORKER_CTL, digest, w->key);
	if (worker_sink(w, line, n) != 0)
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

/* Store the symbols of content under w->key; returns the symbol count, or
 * -1 when the operation failed (events already emitted). */
static long long
worker_fill(struct worker *w, const char *rel, const char *content,
    size_t len, const char **why)
{
	struct symlist l = { NULL, 0, 0 };
	enum lock_result lr;
	char *json;
	size_t jlen;
	double t;
	long long count;

	if (symbols_extract(symbols_lang(rel), content, len, &l) < 0 ||
	    (json = symbols_json(&l, &jlen)) == NULL) {
		symbols_free(&l);
		*why = "out of memory";
		return -1;
	}
	count = (long long)l.n;
	symbols_free(&l);
	if ((lr = worker_lock(w, "store")) != LOCK_OK) {
		free(json);
		*why = lr == LOCK_TIMEOUT ? "lock_timeout" :
		    lr == LOCK_STOPPED ? "stopped" : "lock_error";
		return -1;
	}
	t = clock_ms();
	worker_state(w, WSTATE_WRITE);
	if (cache_store(w->cache, w->key, json, jlen, clock_unix()) != 0) {
		worker_state(w, WSTATE_IDLE);
		lock_release(w->lockfd);
		worker_error_event(w, clock_ms() - t);
		free(json);
		*why = "sqlite_error";
		return -1;
	}
	worker_state(w, WSTATE_IDLE);
	t = clock_ms() - t;
	lock_release(w->lockfd);
	worker_control(w, json, jlen);
	worker_cache_event(w, "ast.cache.write", t);
	free(json);
	return count;
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

	if (lstat(w->path, &st) < 0)
		return -1;
	if (files_read(w->path, content, len) < 0)
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

/* One operation on file number f; returns 0, or -1 when it failed. */
static int
worker_op(struct worker *w, size_t f)
{
	const char *rel = w->fs->rel[f], *why = NULL, *status = "ok";
	char hash[KEY_HASH16_LEN + 1], *content = NULL;
	size_t len, plen;
	double t0, t;
	long long count = -1;
	int hit = -1;
	enum lock_result lr;

	t0 = clock_ms();
	plen = strlen(w->cf->segment) + strlen(rel) + 2;
	if (worker_grow(&w->path, &w->pathcap, plen) < 0)
		return -1;
	snprintf(w->path, plen, "%s/%s", w->cf->segment, rel);
	if (worker_hash(w, f, hash, &content, &len) < 0 ||
	    worker_key(w, hash) < 0) {
		worker_op_event(w, rel, NULL, "error", strerror(errno),
		    clock_ms() - t0, -1, -1);
		worker_stat(w, &w->st->ops);
		free(content);
		return -1;
	}

	if ((lr = worker_lock(w, "lookup")) != LOCK_OK) {
		status = lr == LOCK_TIMEOUT ? "lock_timeout" :
		    lr == LOCK_STOPPED ? "stopped" : "lock_error";
		goto done;
	}
	t = clock_ms();
	worker_state(w, WSTATE_LOOKUP);
	if (cache_lookup(w->cache, w->key, clock_unix(), &hit, &count) != 0) {
		worker_state(w, WSTATE_IDLE);
		lock_release(w->lockfd);
		worker_error_event(w, clock_ms() - t);
		status = "sqlite_error";
		hit = -1;
		goto done;
	}
	worker_state(w, WSTATE_IDLE);
	t = clock_ms() - t;
	lock_release(w->lockfd);
	if (hit) {
		worker_stat(w, &w->st->hits);
		worker_cache_event(w, "ast.cache.hit", t);
	} else {
		worker_stat(w, &w->st->misses);
		worker_cache_event(w, "ast.cache.miss", t);
		/* Read now; if the file changed since, its new key goes. */
		if (content == NULL && (worker_content(w, f, hash, &content,
		    &len) < 0 || worker_key(w, hash) < 0)) {
			status = "error";
			why = strerror(errno);
		} else if ((count = worker_fill(w, rel, content, len,
		    &why)) < 0)
			status = why;
	}
done:
	free(content);
	worker_op_event(w, rel, w->key, status,
	    strcmp(status, "error") == 0 ? why : NULL, clock_ms() - t0,
	    strcmp(status, "ok") == 0 ? count : -1, hit);
	worker_stat(w, &w->st->ops);
	return strcmp(status, "ok") == 0 ? 0 : -1;
}

int
worker_go(int gofd, volatile sig_atomic_t *stop)
{
	char c;
	ssize_t n;

	while ((n = read(gofd, &c, 1)) != 0) {
		if (n < 0 && errno != EINTR)
			break;
		if (*stop)
			return -1;
	}
	return *stop ? -1 : 0;
}

int
worker_main(const struct config *cf, const struct fileset *fs, int index,
    long long share, int fd, int gofd, struct wstat *st, double deadline_ms,
    volatile sig_atomic_t *stop)
{
	struct worker w;
	struct cache_opts co;
	struct prng p;
	long long op;
	int rc = 0;

	memset(&w, 0, sizeof(w));
	w.cf = cf;
	w.fs = fs;
	w.st = st;
	w.stop = stop;
	w.fd = fd;
	w.index = index;
	w.lockfd = -1;
	if ((w.em = emitter_new(worker_sink, &w, cf->run_id, cf->segment_id,
	    index, getpid())) == NULL)
		return 4;
	co.journal_mode = cf->journal_mode;
	co.synchronous = cf->synchronous;
	co.busy_timeout_ms = (int)cf->busy_timeout_ms;
	if (cache_open(&w.cache, cf->db, &co, CACHE_WORKER) != 0) {
		if (w.cache != NULL)
			worker_error_event(&w, 0);
		rc = 3;
		goto out;
	}
	if ((w.lockfd = lock_open(cf->lock)) < 0) {
		rc = 3;
		goto out;
	}
	if ((w.memo = calloc(fs->n, sizeof(*w.memo))) == NULL) {
		rc = 4;
		goto out;
	}
	prng_init(&p, cf->seed, (uint64_t)index);
	worker_go(gofd, stop);
	for (op = 1; share < 0 || op <= share; op++) {
		if (*stop || w.failed ||
		    (deadline_ms > 0 && clock_ms() >= deadline_ms))
			break;
		if (share < 0)
			setproctitle("worker %d run %s op %lld", index,
			    cf->run_id, op);
		else
			setproctitle("worker %d run %s op %lld/%lld", index,
			    cf->run_id, op, share);
		worker_op(&w, (size_t)prng_below(&p, fs->n));
		if (worker_sink(&w, "\001D\n", 3) != 0)
			w.failed = 1;
		worker_flush(&w);
	}
out:
	worker_flush(&w);
	if (w.failed && rc == 0)
		rc = 4;
	if (w.lockfd >= 0)
		close(w.lockfd);
	cache_close(w.cache);
	emitter_free(w.em);
	free(w.key);
	free(w.path);
	free(w.out);
	free(w.memo);
	return rc;
}
