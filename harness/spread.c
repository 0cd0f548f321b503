/* spread.c: exact division of operations over workers. */
#include "spread.h"

long long
spread_share(long long ops, int workers, int i)
{
	if (workers <= 0 || i < 0 || i >= workers || ops <= 0)
		return 0;
	return ops / workers + (i < ops % workers ? 1 : 0);
}
