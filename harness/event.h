/* event.h: soak-events(5) lines, every byte through yajl_gen.
 *
 * event_begin() opens a line with ts, run_id, segment_id and cmd and hands
 * back the generator; the caller adds "args" and "result"; event_x() adds
 * timing_ms, warnings and opens "x" with worker, pid and seq; the caller
 * may add to x; event_send() closes the line and gives it, newline
 * included, to the sink in one call. */
#include <sys/types.h>

#include <yajl/yajl_gen.h>

struct emitter;

/* A sink takes one complete line; it returns 0, or -1 with errno set. */
typedef int (*event_sink)(void *arg, const char *line, size_t len);

/* A sink writing every byte to the descriptor *(int *)arg. */
int event_write_fd(void *arg, const char *buf, size_t len);

struct emitter *emitter_new(event_sink, void *arg, const char *run_id,
    const char *segment_id, int worker, pid_t pid);
void emitter_free(struct emitter *);
yajl_gen event_begin(struct emitter *, const char *cmd);
void event_x(struct emitter *, double timing_ms);
/* event_x() with one warning in "warnings" (none when NULL). */
void event_xw(struct emitter *, double timing_ms, const char *warning);
int event_send(struct emitter *);

/* Small writers for the caller's fields. */
void gen_str(yajl_gen, const char *);
void gen_kstr(yajl_gen, const char *key, const char *val);
void gen_kint(yajl_gen, const char *key, long long val);
void gen_kms(yajl_gen, const char *key, double ms);
void gen_kbool(yajl_gen, const char *key, int val);
void gen_knull(yajl_gen, const char *key);
/* A number of milliseconds with microsecond resolution. */
void gen_ms(yajl_gen, double ms);
