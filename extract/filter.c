/* filter: a fast test that a line cannot hold a run id, before parsing. */
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "filter.h"

int
filter_usable(const char *id, size_t idlen)
{
	size_t i;

	if (idlen == 0)
		return 0;
	for (i = 0; i < idlen; i++) {
		unsigned char c = (unsigned char)id[i];

		if (c < 0x20 || c == '"' || c == '\\' || c == '/')
			return 0;
	}
	return 1;
}

/* The same test one position at a time, for short lines and tails. */
static int
filter_scalar(const unsigned char *line, size_t len, const char *id,
    size_t idlen)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (line[i] == '\\' && i + 1 < len && line[i + 1] == 'u')
			return 1;
		if (line[i] == (unsigned char)id[0] && len - i >= idlen &&
		    memcmp(line + i, id, idlen) == 0)
			return 1;
	}
	return 0;
}

#ifdef __SSE2__
/*
 * Both needles at once, 16 start positions a step: a position is a
 * candidate when its first and last bytes match (W. Mula's SIMD-friendly
 * substring search), and a candidate is checked in full.
 */
int
filter_may_match(const unsigned char *line, size_t len, const char *id,
    size_t idlen)
{
	const __m128i a0 = _mm_set1_epi8(id[0]);
	const __m128i a1 = _mm_set1_epi8(id[idlen - 1]);
	const __m128i b0 = _mm_set1_epi8('\\');
	const __m128i b1 = _mm_set1_epi8('u');
	size_t i = 0, span = idlen > 2 ? idlen : 2;

	/* Loads reach line[i + span - 1 + 15]: keep that inside the line. */
	for (; i + span + 15 <= len; i += 16) {
		__m128i f = _mm_loadu_si128((const __m128i *)(line + i));
		__m128i la = _mm_loadu_si128((const __m128i *)(line + i +
		    idlen - 1));
		__m128i lb = _mm_loadu_si128((const __m128i *)(line + i + 1));
		unsigned ma = (unsigned)_mm_movemask_epi8(_mm_and_si128(
		    _mm_cmpeq_epi8(f, a0), _mm_cmpeq_epi8(la, a1)));

		if (_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(f, b0),
		    _mm_cmpeq_epi8(lb, b1))) != 0)
			return 1;
		for (; ma != 0; ma &= ma - 1) {
			size_t at = i + (size_t)__builtin_ctz(ma);

			if (idlen <= 2 ||
			    memcmp(line + at + 1, id + 1, idlen - 2) == 0)
				return 1;
		}
	}
	return filter_scalar(line + i, len - i, id, idlen);
}
#else
int
filter_may_match(const unsigned char *line, size_t len, const char *id,
    size_t idlen)
{
	return filter_scalar(line, len, id, idlen);
}
#endif
