/* out: the checked JSON writers of the metrics document. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "out.h"
#include "utf8.h"

/* Record the status of one yajl_gen call; returns o->err. */
static int
out_check(struct out *o, yajl_gen_status st)
{
	if (st != yajl_gen_status_ok)
		o->err = -1;
	return o->err;
}

int
out_map_open(struct out *o)
{
	return o->err ? -1 : out_check(o, yajl_gen_map_open(o->g));
}

int
out_map_close(struct out *o)
{
	return o->err ? -1 : out_check(o, yajl_gen_map_close(o->g));
}

int
out_array_open(struct out *o)
{
	return o->err ? -1 : out_check(o, yajl_gen_array_open(o->g));
}

int
out_array_close(struct out *o)
{
	return o->err ? -1 : out_check(o, yajl_gen_array_close(o->g));
}

int
out_null(struct out *o)
{
	return o->err ? -1 : out_check(o, yajl_gen_null(o->g));
}

int
out_key(struct out *o, const char *key)
{
	if (o->err)
		return -1;
	return out_check(o, yajl_gen_string(o->g, (const unsigned char *)key,
	    strlen(key)));
}

int
out_str(struct out *o, const char *s, size_t len)
{
	char *tmp;

	if (o->err)
		return -1;
	if (utf8_valid_prefix(s, len) == len)
		return out_check(o, yajl_gen_string(o->g,
		    (const unsigned char *)s, len));
	if ((tmp = reallocarray(NULL, len, 3)) == NULL)
		return o->err = -1;
	len = utf8_repair(s, len, tmp);
	out_check(o, yajl_gen_string(o->g, (const unsigned char *)tmp, len));
	free(tmp);
	return o->err;
}

int
out_int(struct out *o, long long v)
{
	return o->err ? -1 : out_check(o, yajl_gen_integer(o->g, v));
}

int
out_count(struct out *o, unsigned long long v)
{
	char buf[24];
	int n;

	if (v <= (unsigned long long)INT64_MAX)
		return out_int(o, (long long)v);
	if (o->err)
		return -1;
	n = snprintf(buf, sizeof(buf), "%llu", v);
	return out_check(o, yajl_gen_number(o->g, buf, (size_t)n));
}

int
out_num(struct out *o, double v)
{
	char buf[40];
	int prec, n = 0;

	if (!isfinite(v))
		return out_null(o);
	if (v == floor(v) && fabs(v) < 9007199254740992.0)
		return out_int(o, (long long)v);
	if (o->err)
		return -1;
	for (prec = 15; prec <= 17; prec++) {
		n = snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	return out_check(o, yajl_gen_number(o->g, buf, (size_t)n));
}

/* From this on a double is a whole number: written with all its digits. */
#define FIXED_MAX	9007199254740992.0

int
out_fixed(struct out *o, double v, int decimals)
{
	char buf[DBL_MAX_10_EXP + 8];
	int n;

	if (!isfinite(v))
		return out_null(o);
	if (o->err)
		return -1;
	n = snprintf(buf, sizeof(buf), "%.*f", fabs(v) >= FIXED_MAX ? 0 :
	    decimals, v);
	while (memchr(buf, '.', (size_t)n) != NULL && buf[n - 1] == '0')
		n--;
	if (n > 0 && buf[n - 1] == '.')
		n--;
	if (n == 2 && buf[0] == '-' && buf[1] == '0')
		return out_int(o, 0);
	return out_check(o, yajl_gen_number(o->g, buf, (size_t)n));
}

int
out_ms(struct out *o, double v)
{
	return out_fixed(o, v, 3);
}

int
out_rate(struct out *o, unsigned long long num, unsigned long long den)
{
	if (den == 0)
		return out_null(o);
	return out_fixed(o, (double)num / (double)den, 6);
}

int
out_kcount(struct out *o, const char *key, unsigned long long v)
{
	out_key(o, key);
	return out_count(o, v);
}

int
out_kmap(struct out *o, const char *key)
{
	out_key(o, key);
	return out_map_open(o);
}
