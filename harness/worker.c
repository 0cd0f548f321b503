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
};

static int
worker_write(int fd, const char *buf, size_t len)
{
	ssize_t w;

	while (len > 0) {
		if ((w = write(fd, buf, len)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

static int
worker_sink(void *arg, const char *line, size_t len)
{
	return worker_write(*(int *)arg, line, len);
}

static void
worker_stat(struct worker *w, long long *field)
{
	__atomic_store_n(field, *field + 1, __ATOMIC_RELAXED);
	(void)w;
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
	if (worker_write(w->fd, line, n) != 0)
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
	if (cache_store(w->cache, w->key, json, jlen, clock_unix()) != 0) {
		lock_release(w->lockfd);
		worker_error_event(w, clock_ms() - t);
		free(json);
		*why = "sqlite_error";
		return -1;
	}
	t = clock_ms() - t;
	lock_release(w->lockfd);
	worker_control(w, json, jlen);
	worker_cache_event(w, "ast.cache.write", t);
	free(json);
	return count;
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
	int hit = -1, n;
	enum lock_result lr;

	t0 = clock_ms();
	plen = strlen(w->cf->segment) + strlen(rel) + 2;
	if (worker_grow(&w->path, &w->pathcap, plen) < 0)
		return -1;
	snprintf(w->path, plen, "%s/%s", w->cf->segment, rel);
	if (files_read(w->path, &content, &len) < 0) {
		worker_op_event(w, rel, NULL, "error", strerror(errno),
		    clock_ms() - t0, -1, -1);
		worker_stat(w, &w->st->ops);
		return -1;
	}
	key_hash16(content, len, hash);
	n = key_format(NULL, 0, w->cf->segment, w->path, hash);
	if (worker_grow(&w->key, &w->keycap, (size_t)n + 1) < 0) {
		free(content);
		return -1;
	}
	key_format(w->key, w->keycap, w->cf->segment, w->path, hash);

	if ((lr = worker_lock(w, "lookup")) != LOCK_OK) {
		status = lr == LOCK_TIMEOUT ? "lock_timeout" :
		    lr == LOCK_STOPPED ? "stopped" : "lock_error";
		goto done;
	}
	t = clock_ms();
	if (cache_lookup(w->cache, w->key, clock_unix(), &hit, &count) != 0) {
		lock_release(w->lockfd);
		worker_error_event(w, clock_ms() - t);
		status = "sqlite_error";
		hit = -1;
		goto done;
	}
	t = clock_ms() - t;
	lock_release(w->lockfd);
	if (hit) {
		worker_stat(w, &w->st->hits);
		worker_cache_event(w, "ast.cache.hit", t);
	} else {
		worker_stat(w, &w->st->misses);
		worker_cache_event(w, "ast.cache.miss", t);
		if ((count = worker_fill(w, rel, content, len, &why)) < 0)
			status = why;
	}
done:
	free(content);
	worker_op_event(w, rel, w->key, status, NULL, clock_ms() - t0,
	    strcmp(status, "ok") == 0 ? count : -1, hit);
	worker_stat(w, &w->st->ops);
	return strcmp(status, "ok") == 0 ? 0 : -1;
}

int
worker_main(const struct config *cf, const struct fileset *fs, int index,
    long long share, int fd, struct wstat *st, double deadline_ms,
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
	if ((w.em = emitter_new(worker_sink, &w.fd, cf->run_id, cf->segment_id,
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
	prng_init(&p, cf->seed, (uint64_t)index);
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
	}
	if (w.failed)
		rc = 4;
out:
	if (w.lockfd >= 0)
		close(w.lockfd);
	cache_close(w.cache);
	emitter_free(w.em);
	free(w.key);
	free(w.path);
	return rc;
}
