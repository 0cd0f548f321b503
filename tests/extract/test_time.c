/* Unit tests for soak-extract's timeline parts: time stamps and the
 * log-linear histogram. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../extract/hist.h"
#include "../../extract/ts.h"
#include "../unit/xorshift.h"

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

/* Through a memo, the same answers, whatever came before. */
static void
test_ts_memo(void **state)
{
	static const char *const seq[] = {
		"2026-01-06T17:16:31-0300", "2026-01-06T17:16:31.5-0300",
		"2026-01-06T17:16:31+0300", "2026-01-06T17:16:31x0300",
		"2026-01-06T17:16:31-0300", "2026-01-06T17:16:32Z",
		"2026-02-30T17:16:32Z", "2026-02-30T17:16:32Z",
		"2026-01-06T17:16:32Z", "2026-01-06T17:16:3", "",
	};
	struct ts_memo m;
	int64_t a, b;
	size_t i;
	int ra, rb;

	(void)state;
	memset(&m, 0, sizeof(m));
	for (i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
		a = b = 7;
		ra = ts_parse(seq[i], strlen(seq[i]), &a);
		rb = ts_parse_memo(&m, seq[i], strlen(seq[i]), &b);
		assert_int_equal(ra, rb);
		assert_true(a == b);
	}
}

static uint64_t rng = 0x2545f4914f6cdd1dULL;

/* next: the next value of this file's stream of test inputs. */
static uint64_t
next(void)
{
	return xorshift_next(&rng);
}

static int
ucmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Quantiles within 1/128 of the exact nearest rank; exact below 128. */
static void
check_hist(const uint64_t *v, size_t n, const struct hist *h)
{
	static const double q[] = { 0, 0.5, 0.95, 0.99, 1 };
	uint64_t *s, got, want;
	size_t i, k;

	assert_non_null(s = malloc(n * sizeof(*s)));
	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), ucmp);
	assert_true(hist_count(h) == n);
	for (k = 0; k < sizeof(q) / sizeof(q[0]); k++) {
		i = (size_t)((double)n * q[k]);
		want = s[i > n - 1 ? n - 1 : i];
		got = hist_quantile(h, q[k]);
		if (want < 128)
			assert_true(got == want);
		else
			assert_true((double)(got > want ? got - want :
			    want - got) <= (double)want / 128);
	}
	free(s);
}

static void
test_hist(void **state)
{
	static const size_t sizes[] = { 1, 2, 19, 20, 200, 3000, 100000 };
	struct hist *a, *b, *all;
	uint64_t *v;
	size_t i, k, n;
	int shift;

	(void)state;
	assert_non_null(a = hist_new());
	assert_true(hist_quantile(a, 0.5) == 0);
	hist_free(a);
	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		for (shift = 8; shift <= 64; shift += 14) {
			n = sizes[k];
			assert_non_null(v = malloc(n * sizeof(*v)));
			assert_non_null(a = hist_new());
			assert_non_null(b = hist_new());
			assert_non_null(all = hist_new());
			for (i = 0; i < n; i++) {
				v[i] = shift == 64 ? next() : next() >> (64 - shift);
				assert_int_equal(hist_add(i % 2 ? a : b, v[i]), 0);
				assert_int_equal(hist_add(all, v[i]), 0);
			}
			check_hist(v, n, all);
			/* Two halves merged are the whole. */
			assert_int_equal(hist_merge(a, b), 0);
			check_hist(v, n, a);
			assert_true(hist_quantile(a, 0.5) == hist_quantile(all, 0.5));
			hist_free(a);
			hist_free(b);
			hist_free(all);
			free(v);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ts),
		cmocka_unit_test(test_ts_memo),
		cmocka_unit_test(test_hist),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
