/* ts: the time stamps of soak-events(5) lines, to the microsecond. */
#ifndef EXTRACT_TS_H
#define EXTRACT_TS_H

/*
 * Needs <stdint.h> included first.  A time stamp is RFC 3339's date-time
 * (2026-12-01T08:20:35.217015Z, +02:00, -05:30; t and z in either case),
 * or the same with an ISO 8601 basic offset (-0300, +0530, +05): a full
 * date and time, seconds 00 to 60, any number of fraction digits (those
 * past the sixth dropped), and a zone.  Years run from 0000 to 9999.
 */

/*
 * The len bytes at s as microseconds since 1970-01-01T00:00:00Z into *us.
 * Returns 0, or -1 when they are not such a time stamp (*us untouched).
 */
int	ts_parse(const char *s, size_t len, int64_t *us);

/* The date and time to the second of the last stamp read through it. */
struct ts_memo {
	char		 base[19];
	int64_t		 secs;
	int		 set;
};

/*
 * ts_parse, the date and time read again only when they differ from the
 * last stamp's, as most lines of a log share their second with the line
 * before.  m starts zeroed and belongs to one thread.
 */
int	ts_parse_memo(struct ts_memo *m, const char *s, size_t len,
	    int64_t *us);

#endif
