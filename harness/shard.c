/* shard.c: one run spread over hosts: the shard and the start moment. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "shard.h"

/* A decimal of 1 to 5 digits at *s, moved past; -1 when there is none. */
static long
shard_digits(const char **s)
{
	long v = 0;
	int n = 0;

	while (isdigit((unsigned char)**s) && n < 6) {
		v = v * 10 + (**s - '0');
		(*s)++;
		n++;
	}
	return n == 0 || n > 5 ? -1 : v;
}

int
shard_parse(const char *s, int *k, int *n)
{
	long a, b;

	if ((a = shard_digits(&s)) < 0 || *s++ != '/' ||
	    (b = shard_digits(&s)) < 0 || *s != '\0')
		return -1;
	if (a < 1 || b < 1 || a > b || b > SHARD_MAX)
		return -1;
	*k = (int)a;
	*n = (int)b;
	return 0;
}

/* Whole seconds since the epoch: 1 to 12 digits. */
static int
shard_epoch(const char *s, double *t)
{
	double v = 0;
	size_t i, n = strlen(s);

	if (n == 0 || n > 12)
		return -1;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*t = v;
	return 0;
}

/* "YYYY-MM-DDTHH:MM:SS[.fraction]Z". */
static int
shard_iso(const char *s, double *t)
{
	struct tm tm;
	const char *p;
	double frac = 0, scale = 0.1;
	time_t secs;

	memset(&tm, 0, sizeof(tm));
	if ((p = strptime(s, "%Y-%m-%d", &tm)) == NULL ||
	    (*p != 'T' && *p != ' ') ||
	    (p = strptime(p + 1, "%H:%M:%S", &tm)) == NULL)
		return -1;
	if (*p == '.') {
		if (!isdigit((unsigned char)*++p))
			return -1;
		for (; isdigit((unsigned char)*p); p++, scale /= 10)
			frac += (*p - '0') * scale;
	}
	if (strcmp(p, "Z") != 0 || tm.tm_year < 70 || tm.tm_year > 1100)
		return -1;
	if ((secs = timegm(&tm)) == (time_t)-1)
		return -1;
	*t = (double)secs + frac;
	return 0;
}

int
shard_time(const char *s, double *t)
{
	if (shard_epoch(s, t) == 0)
		return 0;
	return shard_iso(s, t);
}

int
shard_worker(int slot, int k, int n)
{
	return slot * n + k;
}
