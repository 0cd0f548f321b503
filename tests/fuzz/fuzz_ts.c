/*
 * libFuzzer target for soak-extract's time stamp parser: any bytes, read
 * only within their length.  A stamp that parses and whose UTC date is in
 * years 0000 to 9999 is written again as YYYY-MM-DDThh:mm:ss.ffffffZ and
 * must parse back to the same microsecond.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../extract/ts.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define US_PER_DAY	86400000000LL

/* y-m-d of the day d days after 1970-01-01 (H. Hinnant's algorithm). */
static void
civil(int64_t d, int64_t *y, int *m, int *day)
{
	int64_t era, doe, yoe, doy, mp;

	d += 719468;
	era = (d >= 0 ? d : d - 146096) / 146097;
	doe = d - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int64_t us, back, days, rest, y;
	char buf[40];
	int m, d, n;

	if (ts_parse((const char *)data, size, &us) == -1)
		return 0;
	days = us / US_PER_DAY - (us % US_PER_DAY < 0);
	rest = us - days * US_PER_DAY;
	civil(days, &y, &m, &d);
	if (y < 0 || y > 9999)
		return 0;
	n = snprintf(buf, sizeof(buf),
	    "%04lld-%02d-%02dT%02lld:%02lld:%02lld.%06lldZ", (long long)y, m,
	    d, (long long)(rest / 3600000000LL),
	    (long long)(rest / 60000000LL % 60),
	    (long long)(rest / 1000000 % 60), (long long)(rest % 1000000));
	if (n != 27 || ts_parse(buf, (size_t)n, &back) == -1 || back != us)
		abort();
	return 0;
}
