/* proto.h: what the parent and its workers share: counters in shared
 * memory, control lines on each worker's pipe, and the start barrier. */
#ifndef HARNESS_PROTO_H
#define HARNESS_PROTO_H

#include <signal.h>
#include <stddef.h>

/* Counters a worker publishes in memory shared with the parent; each is
 * written by its worker only (relaxed atomics), state with full order. */
struct wstat {
	long long ops, hits, misses, waits, timeouts, errors;
	long long state;	/* WSTATE_*: what the worker is doing now */
	/* Exec mode: chaos kills go to the command, never the worker. */
	long long kill_cmd;	/* 1: kill the command's process group */
	long long cmd_pid;	/* the command running now (its group), or 0 */
	long long chaos_mark;	/* set by the parent: the group it kills */
	long long chaos_state;	/* set by the parent: CHAOS_* of that kill */
	long long chaos_missed;	/* marked kills that found the run ended */
	/* Built-in mode: LAST_* of whichever came first, the worker about
	 * to count the last operation of its share, or the parent's kill. */
	long long last;
};

#define LAST_COUNTED 1	/* the worker's: its share is as good as done */
#define LAST_KILLED 2	/* the parent's: a SIGKILL is on its way */

/* What a chaos-killed command was doing, as the parent saw it. */
#define CHAOS_BUSY 1
#define CHAOS_WRITE 2	/* it held SQLite's write lock on the database */

/* A worker's state, for the parent's chaos kills. */
#define WSTATE_IDLE 0
#define WSTATE_LOOKUP 1
#define WSTATE_WRITE 2	/* inside the write transaction */

/* A control line starts with this byte: "\001W\t<sha256 hex of
 * value>\t<key>\n" says a write committed (sent only after COMMIT
 * returned); "\001D\n" that an operation ended, its lines before it in
 * the same write. Anything else is an event line. */
#define PROTO_CTL '\001'
#define PROTO_DONE_LINE "\001D\n"

enum proto_kind {
	PROTO_EVENT,	/* an event line, for standard output */
	PROTO_DONE,	/* an operation ended */
	PROTO_COMMIT,	/* a write committed */
	PROTO_BAD	/* a control line of no known form */
};

/* A committed write as its control line says it. */
struct proto_commit {
	const char *digest;	/* 64 hex digits, not NUL-terminated */
	const char *key;	/* keylen bytes, not NUL-terminated */
	size_t keylen;
};

/* What line (len bytes, its newline not included) is; a commit's parts
 * are set in *c, pointing into line. */
enum proto_kind proto_parse(const char *line, size_t len,
    struct proto_commit *c);
/* The control line for a commit of key whose value has digest (64 hex
 * digits), newline included, malloc'd (length in *len); NULL when memory
 * ran out. */
char *proto_commit_line(const char *digest, const char *key, size_t *len);

/* Add one to a counter of the worker's own. */
void proto_add(long long *counter);
/* A shared value, as the other side last wrote it. */
long long proto_get(const long long *counter);
/* Set a shared value (full order), and take it, leaving 0. */
void proto_put(long long *field, long long v);
long long proto_take(long long *field);
/* Replace *field by 0 if it still is v; 1 when it was. */
int proto_clear(long long *field, long long v);
/* Replace *field by v (not 0) if it still is 0; 1 when it was: of two
 * sides claiming one field, exactly one wins. */
int proto_claim(long long *field, long long v);
/* Publish the worker's state, and read it. */
void proto_set_state(struct wstat *, long long state);
long long proto_state(const struct wstat *);

/* SIGINT and SIGTERM to handler (restarting no call), SIGPIPE ignored:
 * how the parent and its workers both take signals. */
void proto_signals(void (*handler)(int));
/* Wait for the start: the end of file on gofd, which the parent gives
 * every worker at once when all are ready. Returns 0, or -1 when *stop
 * was set first. */
int proto_go(int gofd, volatile sig_atomic_t *stop);

#endif
