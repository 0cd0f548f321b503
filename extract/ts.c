/* ts: RFC 3339 and ISO 8601 basic-offset time stamps, read by hand. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ts.h"

#define US_PER_S	1000000LL

/* The n digits at s into *v; returns 0, or -1 when one is no digit. */
static int
ts_digits(const char *s, size_t n, int *v)
{
	size_t i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

static int
ts_leap(int y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int
ts_mdays(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	return m == 2 && ts_leap(y) ? 29 : days[m - 1];
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's). */
static int64_t
ts_days(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* "YYYY-MM-DDThh:mm:ss": 19 bytes into seconds since the epoch. */
static int
ts_base(const char *s, int64_t *secs)
{
	int y, mo, d, h, mi, se;

	if (s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') ||
	    s[13] != ':' || s[16] != ':' ||
	    ts_digits(s, 4, &y) || ts_digits(s + 5, 2, &mo) ||
	    ts_digits(s + 8, 2, &d) || ts_digits(s + 11, 2, &h) ||
	    ts_digits(s + 14, 2, &mi) || ts_digits(s + 17, 2, &se))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > ts_mdays(y, mo) || h > 23 ||
	    mi > 59 || se > 60)
		return -1;
	*secs = ts_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
	return 0;
}

/*
 * A fraction ".d+" at s into *us, in microseconds; returns the bytes
 * read, 0 when there is none, -1 when the point has no digit.
 */
static int
ts_frac(const char *s, size_t len, int64_t *us)
{
	size_t i;
	int64_t scale = US_PER_S / 10;

	*us = 0;
	if (len == 0 || s[0] != '.')
		return 0;
	for (i = 1; i < len && s[i] >= '0' && s[i] <= '9'; i++, scale /= 10)
		*us += (s[i] - '0') * scale;
	return i == 1 ? -1 : (int)i;
}

/* The zone at s, all of the rest: Z, +hh:mm, +hhmm or +hh, in seconds. */
static int
ts_zone(const char *s, size_t len, int64_t *off)
{
	int h, m = 0;

	if (len == 1 && (s[0] == 'Z' || s[0] == 'z')) {
		*off = 0;
		return 0;
	}
	if (len < 3 || (s[0] != '+' && s[0] != '-') ||
	    ts_digits(s + 1, 2, &h))
		return -1;
	if (len == 6 && (s[3] != ':' || ts_digits(s + 4, 2, &m)))
		return -1;
	if (len == 5 && ts_digits(s + 3, 2, &m))
		return -1;
	if ((len != 3 && len != 5 && len != 6) || h > 23 || m > 59)
		return -1;
	*off = (h * 3600 + m * 60) * (s[0] == '-' ? -1 : 1);
	return 0;
}

/* The stamp whose first 19 bytes are secs: its fraction and zone. */
static int
ts_rest(const char *s, size_t len, int64_t secs, int64_t *us)
{
	int64_t frac, off;
	int n;

	if ((n = ts_frac(s + 19, len - 19, &frac)) == -1 ||
	    ts_zone(s + 19 + n, len - 19 - (size_t)n, &off) == -1)
		return -1;
	*us = (secs - off) * US_PER_S + frac;
	return 0;
}

int
ts_parse(const char *s, size_t len, int64_t *us)
{
	int64_t secs;

	if (len < 20 || ts_base(s, &secs) == -1)
		return -1;
	return ts_rest(s, len, secs, us);
}

int
ts_parse_memo(struct ts_memo *m, const char *s, size_t len, int64_t *us)
{
	if (len < 20)
		return -1;
	if (!m->set || memcmp(s, m->base, sizeof(m->base)) != 0) {
		if (ts_base(s, &m->secs) == -1) {
			m->set = 0;
			return -1;
		}
		memcpy(m->base, s, sizeof(m->base));
		m->set = 1;
	}
	return ts_rest(s, len, m->secs, us);
}
