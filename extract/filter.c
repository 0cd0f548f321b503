#include <string.h>

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

int
filter_may_match(const unsigned char *line, size_t len, const char *id,
    size_t idlen)
{
	return memmem(line, len, id, idlen) != NULL ||
	    memmem(line, len, "\\u", 2) != NULL;
}
