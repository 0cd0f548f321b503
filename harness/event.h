/* event.h: soak-events(5) lines, every byte through yajl_gen and every
 * generator status checked.
 *
 * A line is written in four steps: ev_begin() writes ts, run_id,
 * segment_id and cmd and opens "args"; ev_result() closes it and opens
 * "result"; ev_x() closes that, writes timing_ms and warnings and opens
 * "x" with worker, pid and seq (and host and shard when set); ev_send()
 * closes the line and gives it, newline included, to the sink in one
 * call. Between the steps the ev_* writers add members to the open map.
 * Strings that are not valid UTF-8 are written with U+FFFD in place of
 * each bad byte, so every line is valid JSON. */
#ifndef HARNESS_EVENT_H
#define HARNESS_EVENT_H

#include <sys/types.h>

#include <stddef.h>

struct emitter;

/* A sink takes one complete line; it returns 0, or -1 with errno set. */
typedef int (*event_sink)(void *arg, const char *line, size_t len);

/* A sink writing every byte to the descriptor *(int *)arg. */
int event_write_fd(void *arg, const char *buf, size_t len);

/* An emitter of one process's lines, numbered from 1 in x.seq; NULL
 * when memory ran out. */
struct emitter *emitter_new(event_sink, void *arg, const char *run_id,
    const char *segment_id, int worker, pid_t pid);
void emitter_free(struct emitter *);
/* Give every later line x.host and x.shard (either may be NULL: then
 * that member is left out). Returns 0, or -1 when memory ran out. */
int emitter_tag(struct emitter *, const char *host, const char *shard);

/* The four steps of a line. */
void ev_begin(struct emitter *, const char *cmd);
void ev_result(struct emitter *);
/* warning, when not NULL, is the one entry of "warnings". */
void ev_x(struct emitter *, double timing_ms, const char *warning);
/* Returns 0, or -1 when a writer failed (errno EINVAL) or the sink did. */
int ev_send(struct emitter *);

/* Members of the open map: a string (null when val is NULL), len bytes
 * of a string, an integer, milliseconds with microsecond resolution, a
 * boolean, null. */
void ev_str(struct emitter *, const char *key, const char *val);
void ev_strn(struct emitter *, const char *key, const char *val,
    size_t len);
void ev_int(struct emitter *, const char *key, long long val);
void ev_ms(struct emitter *, const char *key, double ms);
void ev_bool(struct emitter *, const char *key, int val);
void ev_null(struct emitter *, const char *key);
/* An integer member, or null when val < 0. */
void ev_count(struct emitter *, const char *key, long long val);
/* Open an array member; ev_item() adds a string to it (len bytes with
 * ev_itemn); ev_close() closes the array or map opened last. */
void ev_array(struct emitter *, const char *key);
void ev_map(struct emitter *, const char *key);
void ev_item(struct emitter *, const char *val);
void ev_itemn(struct emitter *, const char *val, size_t len);
/* A number item with at most decimals decimals; null when v < 0. */
void ev_itemf(struct emitter *, double v, int decimals);
void ev_close(struct emitter *);
/* An array member of the strings of v, n of them (n < 0: up to a NULL). */
void ev_strv(struct emitter *, const char *key, char *const *v, int n);

#endif
