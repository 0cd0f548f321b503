/* event: the fields soak-extract reads of a soak-events(5) line, and their parser. */
#ifndef EXTRACT_EVENT_H
#define EXTRACT_EVENT_H

/*
 * One line is parsed with yajl's callback parser, keeping the few fields
 * soak-extract reads; everything else is skipped.
 */
#define EVENT_MAX_DEPTH	64
#define EVENT_REASON_MAX	256	/* longest reason, its NUL included */

/* JSON type of a field as it appeared on the line. */
enum ftype {
	FT_ABSENT = 0,
	FT_NULL,
	FT_BOOL,
	FT_NUM,
	FT_STR,
	FT_MAP,
	FT_ARR
};

/* A field; s/len stay valid until parser_rewind(). */
struct field {
	unsigned char	 t;		/* enum ftype */
	unsigned char	 b;		/* FT_BOOL */
	unsigned char	 isint;		/* FT_NUM written as an integer */
	unsigned char	 finite;	/* FT_NUM representable as a double */
	unsigned char	 irange;	/* i holds the exact value */
	long long	 i;		/* FT_NUM when isint and in range */
	double		 d;		/* FT_NUM */
	const char	*s;		/* FT_STR, not NUL-terminated */
	size_t		 len;
};

enum fid {
	F_CMD, F_RUN_ID, F_TIMING, F_ARGS, F_RESULT, F_X, F_TS,
	F_A_CACHE_KEY, F_A_OPS, F_A_WORKERS, F_A_OP_CMD, F_A_WORKER,
	F_R_STATUS, F_R_CODE, F_R_EVENTS_EMITTED, F_R_KEYS_WRITTEN,
	F_R_KEYS_PRESENT, F_R_LOST, F_R_CORRUPT,
	F_X_CHAOS, F_X_CHAOS_STATE, F_X_REPLACED_BY, F_X_WORKER, F_X_HOST,
	F_X_SHARD,
	F_COUNT
};
_Static_assert(F_COUNT <= 32, "enum fid outgrew the field mask");

/* The cmds soak-extract knows, found while parsing. */
enum cmd_id {
	C_OTHER, C_HIT, C_MISS, C_WRITE, C_LOCK_WAIT, C_LOCK_TIMEOUT,
	C_ERROR, C_INTEGRITY, C_SYMBOLS, C_EXEC, C_RUN_START, C_RUN_END,
	C_WORKER_EXIT, C_VERIFY, C_DB_SAMPLE, C_DB_INFO,
	C_COUNT
};

/* Only the fields in mask are set: read them through event_get(). */
struct event {
	unsigned	 mask;		/* bit k: f[k] was on the line */
	struct field	 f[F_COUNT];
	enum cmd_id	 cmd;		/* C_OTHER when cmd is no string */
	unsigned long long key_hash;	/* strtab_hash of args.cache_key */
	long long	 ts;		/* ts in microseconds since the epoch */
	int		 ts_ok;		/* ts was a time stamp (see ts.h) */
	const unsigned char *line;	/* the whole line, for a second read */
	size_t		 len;
};

/* Field k of ev, an FT_ABSENT field when the line had none. */
static inline const struct field *
event_get(const struct event *ev, enum fid k)
{
	static const struct field absent;

	return ev->mask & 1U << k ? &ev->f[k] : &absent;
}

struct parser;

/* A parser for line after line; NULL when out of memory. */
struct parser	*parser_new(void);
/* Free p and its strings; NULL is fine. */
void		 parser_free(struct parser *);

/*
 * Forget the strings of earlier lines and make room for reserve bytes,
 * so that the strings of lines of L bytes in all, N lines, stay valid
 * until the next rewind when reserve >= L + N * EVENT_REASON_MAX.
 * Returns 0, or -1 when out of memory.
 */
int		 parser_rewind(struct parser *, size_t reserve);

/* What parser_line() made of a line. */
enum parse_rc {
	PARSE_EVENT = 0,	/* a JSON object: ev holds its fields */
	PARSE_MALFORMED = -1,	/* anything else: *reason says why */
	PARSE_NOMEM = -2	/* out of memory */
};

/*
 * Parse one line (its newline, if any, as the last byte): not JSON, not
 * an object, more than one value or nesting deeper than EVENT_MAX_DEPTH
 * is malformed, *reason then a static or parser-owned message.  The
 * strings of ev and the reason stay valid until parser_rewind(), those
 * of ev only while the line's bytes do too: a string without escapes is
 * kept where it is on the line.
 */
enum parse_rc	 parser_line(struct parser *, const unsigned char *, size_t,
		    struct event *ev, const char **reason);

/*
 * n lines held back to back in buf, line i the len[i] bytes at off[i]
 * and a newline after them (off[i + 1] == off[i] + len[i] + 1), and where
 * line i's event goes: at(arg, i).
 */
struct parser_chunk {
	const unsigned char *buf;
	const size_t	*off, *len;
	size_t		 n;
	struct event	*(*at)(void *arg, size_t i);
	void		*arg;
};

/*
 * Parse the chunk's lines as one stream, faster than line by line.
 * PARSE_EVENT: each line blank (event_blank()) or one JSON object, whose
 * event is at(arg, i) as parser_line() would have made it.
 * PARSE_MALFORMED: some line is neither, or in doubt; nothing is
 * reported, parse the lines one by one to know which and why.  The
 * strings of the events stay valid as parser_line() says, the chunk
 * counting as its lines.
 */
enum parse_rc	 parser_chunk(struct parser *, const struct parser_chunk *);

/* The known cmd named by the len bytes, or C_OTHER. */
enum cmd_id	 event_cmd_id(const char *, size_t len);

/*
 * A JSON number's text into f (type FT_NUM): integers exactly when they
 * fit, finite when it is a double.
 */
void		 event_number(struct field *f, const char *, size_t len);

/* 1 when the len bytes hold only JSON white space. */
int		 event_blank(const unsigned char *, size_t len);

#endif
