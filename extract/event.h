/*
 * event: parse one soak-events(5) line with yajl's callback parser and
 * keep the few fields soak-extract reads.  Everything else is skipped.
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
	enum ftype	 t;
	int		 b;		/* FT_BOOL */
	int		 isint;		/* FT_NUM written as an integer */
	int		 finite;	/* FT_NUM representable as a double */
	long long	 i;		/* FT_NUM when isint and in range */
	int		 irange;	/* i holds the exact value */
	double		 d;		/* FT_NUM */
	const char	*s;		/* FT_STR, not NUL-terminated */
	size_t		 len;
};

enum fid {
	F_CMD, F_RUN_ID, F_TIMING, F_ARGS, F_RESULT, F_X,
	F_A_CACHE_KEY, F_A_OPS, F_A_WORKERS, F_A_OP_CMD,
	F_R_STATUS, F_R_CODE, F_R_EVENTS_EMITTED, F_R_KEYS_WRITTEN,
	F_R_KEYS_PRESENT, F_R_LOST, F_R_CORRUPT,
	F_X_CHAOS,
	F_COUNT
};

struct event {
	struct field	 f[F_COUNT];
};

struct parser;

struct parser	*parser_new(void);
void		 parser_free(struct parser *);

/*
 * Forget the strings of earlier lines and make room for reserve bytes,
 * so that the strings of lines of L bytes in all, N lines, stay valid
 * until the next rewind when reserve >= L + N * EVENT_REASON_MAX.
 * Returns 0, or -1 when out of memory.
 */
int		 parser_rewind(struct parser *, size_t reserve);

/*
 * Parse one line (its newline, if any, as the last byte).  Returns 0 and fills ev for a
 * JSON object; returns -1 for anything else (not JSON, not an object,
 * more than one value, too deep) with *reason set to a static or
 * parser-owned message.  -2: out of memory.  The strings of ev and the
 * reason stay valid until parser_rewind().
 */
int		 parser_line(struct parser *, const unsigned char *, size_t,
		    struct event *ev, const char **reason);
