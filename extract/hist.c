/* hist: counts per bin over the powers of two in use, grown as needed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hist.h"

#define SUB	64		/* bins per power of two; 59 spans hold every uint64_t */

/* Counts of spans lo to hi, SUB each, in c. */
struct hist {
	unsigned	 lo, hi;
	uint64_t	*c;		/* NULL while empty */
	uint64_t	 n;
};

struct hist *
hist_new(void)
{
	return calloc(1, sizeof(struct hist));
}

void
hist_free(struct hist *h)
{
	if (h == NULL)
		return;
	free(h->c);
	free(h);
}

/* The span of v: 0 below 64, else 1 + its top bit's place above 6. */
static unsigned
hist_span(uint64_t v)
{
	return v < SUB ? 0 : (unsigned)(64 - __builtin_clzll(v) - 6);
}

/* v's bin in its span. */
static unsigned
hist_sub(uint64_t v, unsigned span)
{
	return span == 0 ? (unsigned)v : (unsigned)(v >> (span - 1)) - SUB;
}

/* Make spans lo to hi part of h; returns 0, or -1 when out of memory. */
static int
hist_cover(struct hist *h, unsigned lo, unsigned hi)
{
	uint64_t *nc;

	if (h->c != NULL) {
		if (lo >= h->lo && hi <= h->hi)
			return 0;
		lo = lo < h->lo ? lo : h->lo;
		hi = hi > h->hi ? hi : h->hi;
	}
	if ((nc = calloc((size_t)(hi - lo + 1) * SUB, sizeof(*nc))) == NULL)
		return -1;
	if (h->c != NULL)
		memcpy(nc + (size_t)(h->lo - lo) * SUB, h->c,
		    (size_t)(h->hi - h->lo + 1) * SUB * sizeof(*nc));
	free(h->c);
	h->c = nc;
	h->lo = lo;
	h->hi = hi;
	return 0;
}

int
hist_add(struct hist *h, uint64_t v)
{
	unsigned s = hist_span(v);

	if ((h->c == NULL || s < h->lo || s > h->hi) &&
	    hist_cover(h, s, s) == -1)
		return -1;
	h->c[(size_t)(s - h->lo) * SUB + hist_sub(v, s)]++;
	h->n++;
	return 0;
}

int
hist_merge(struct hist *dst, const struct hist *src)
{
	size_t i, n, at;

	if (src->c == NULL)
		return 0;
	if (hist_cover(dst, src->lo, src->hi) == -1)
		return -1;
	n = (size_t)(src->hi - src->lo + 1) * SUB;
	at = (size_t)(src->lo - dst->lo) * SUB;
	for (i = 0; i < n; i++)
		dst->c[at + i] += src->c[i];
	dst->n += src->n;
	return 0;
}

uint64_t
hist_count(const struct hist *h)
{
	return h->n;
}

/* The middle of bin sub of span s. */
static uint64_t
hist_mid(unsigned s, unsigned sub)
{
	uint64_t low, width;

	if (s == 0)
		return sub;
	low = (uint64_t)(sub + SUB) << (s - 1);
	width = (uint64_t)1 << (s - 1);
	return low + (width - 1) / 2;
}

uint64_t
hist_quantile(const struct hist *h, double q)
{
	double x = (double)h->n * q;
	uint64_t i, cum = 0;
	size_t k, n;

	if (h->n == 0)
		return 0;
	i = !(x >= 0) ? 0 : x >= (double)h->n ? h->n - 1 : (uint64_t)x;
	n = (size_t)(h->hi - h->lo + 1) * SUB;
	for (k = 0; k < n; k++)
		if ((cum += h->c[k]) > i)
			break;
	if (k == n)
		k = n - 1;	/* not reached: i < n */
	return hist_mid(h->lo + (unsigned)(k / SUB), (unsigned)(k % SUB));
}
