/* Unit tests for soak-extract's timeline parts: time stamps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../extract/ts.h"

/* Time stamps: RFC 3339, ISO 8601 basic offsets, and what is neither. */
static void
test_ts(void **state)
{
	static const struct {
		const char	*s;
		int64_t		 us;
	} good[] = {
		{ "1970-01-01T00:00:00Z", 0 },
		{ "2026-12-01T08:20:35.217015Z", 1796113235217015LL },
		{ "2026-12-01t08:20:35.217015z", 1796113235217015LL },
		{ "2026-12-01T10:20:35.2170159+02:00", 1796113235217015LL },
		{ "2026-01-06T17:16:31-0300", 1767730591000000LL },
		{ "2026-01-06T17:16:31-03:00", 1767730591000000LL },
		{ "2026-01-06T17:16:31-03", 1767730591000000LL },
		{ "2024-02-29T23:59:59.5+05:30", 1709231399500000LL },
		{ "2024-02-29T23:59:59.5+0530", 1709231399500000LL },
		{ "1969-12-31T23:59:59.000001Z", -999999 },
		{ "0000-01-01T00:00:00Z", -62167219200000000LL },
		{ "9999-12-31T23:59:59.999999Z", 253402300799999999LL },
		{ "2016-12-31T23:59:60Z", 1483228800000000LL },
	};
	static const char *const bad[] = {
		"", "2026-12-01", "2026-12-01T08:20:35", "2026-12-01 08:20:35Z",
		"2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
		"2026-00-01T00:00:00Z", "2026-12-00T00:00:00Z",
		"2026-12-01T24:00:00Z", "2026-12-01T08:60:00Z",
		"2026-12-01T08:20:61Z", "2026-12-01T08:20:35.Z",
		"2026-12-01T08:20:35+3", "2026-12-01T08:20:35+05:3",
		"2026-12-01T08:20:35+0530x", "2026-12-01T08:20:35+24:00",
		"2026-12-01T08:20:35+05:60", "2026-12-01T08:20:35Zz",
		"2026-1-01T08:20:35Z", "+026-12-01T08:20:35Z",
		"2026-12-01T08:20:35 Z", "2026-12-01T08:20:35+05-30",
	};
	int64_t us;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		us = 7;
		assert_int_equal(ts_parse(good[i].s, strlen(good[i].s), &us), 0);
		assert_true(us == good[i].us);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		us = 7;
		assert_int_equal(ts_parse(bad[i], strlen(bad[i]), &us), -1);
		assert_true(us == 7);
	}
	/* Bytes past len are not read. */
	assert_int_equal(ts_parse("1970-01-01T00:00:00Zjunk", 20, &us), 0);
	assert_true(us == 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
