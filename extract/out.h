/* out: the checked JSON writers every part of the document goes through. */
#ifndef EXTRACT_OUT_H
#define EXTRACT_OUT_H

/*
 * Needs <yajl/yajl_gen.h> included first.  Each out_* call writes one
 * value or key through g and checks its status; after the first failure
 * nothing more is written.  Each returns err: 0, or -1 once any call on
 * this out failed (a yajl_gen error or no memory).
 */
struct out {
	yajl_gen	 g;
	int		 err;
};

/* Open an object, close it, open an array, close it; write null. */
int	out_map_open(struct out *);
int	out_map_close(struct out *);
int	out_array_open(struct out *);
int	out_array_close(struct out *);
int	out_null(struct out *);
/* A string known to be valid UTF-8, such as a literal key. */
int	out_key(struct out *, const char *);
/* Any bytes, each invalid UTF-8 byte written as U+FFFD. */
int	out_str(struct out *, const char *, size_t);
/* A signed integer. */
int	out_int(struct out *, long long);
/* A count, past INT64_MAX too. */
int	out_count(struct out *, unsigned long long);
/*
 * A whole number below 2^53 as an integer, any other in the fewest digits
 * (15 to 17) that read back the same; null when not finite.
 */
int	out_num(struct out *, double);
/*
 * v rounded to at most decimals places, trailing zeros and a bare point
 * dropped, never in exponent form (from 2^53 on, all of a whole number's
 * digits); null when not finite.
 */
int	out_fixed(struct out *, double, int decimals);
/* Milliseconds: out_fixed to 3 places, a microsecond. */
int	out_ms(struct out *, double);
/* The rate num / den: out_fixed to 6 places; null when den is 0. */
int	out_rate(struct out *, unsigned long long num, unsigned long long den);
/* The key, then the count. */
int	out_kcount(struct out *, const char *key, unsigned long long);
/* The key, then an open object. */
int	out_kmap(struct out *, const char *key);

#endif
