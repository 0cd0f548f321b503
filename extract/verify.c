/* verify: the verify section, what soak.verify found of the keys written. */
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "event.h"
#include "metrics.h"
#include "out.h"
#include "section.h"

struct verify {
	int		 seen;		/* a soak.verify event came */
	unsigned long long written, present, lost, corrupt;
};

static int
verify_fold(void *state, struct fold *f)
{
	struct verify *v = state;
	unsigned long long n;

	v->seen = 1;
	if (fold_count(f, F_R_KEYS_WRITTEN, &n))
		count_add(&v->written, n);
	if (fold_count(f, F_R_KEYS_PRESENT, &n))
		count_add(&v->present, n);
	if (fold_count(f, F_R_LOST, &n))
		count_add(&v->lost, n);
	if (fold_count(f, F_R_CORRUPT, &n))
		count_add(&v->corrupt, n);
	return 0;
}

static int
verify_write(const void *state, struct out *o, const struct metrics *m)
{
	const struct verify *v = state;

	(void)m;
	out_key(o, "verify");
	if (!v->seen)
		return out_null(o);
	out_map_open(o);
	out_kcount(o, "keys_written", v->written);
	out_kcount(o, "keys_present", v->present);
	out_kcount(o, "lost", v->lost);
	out_kcount(o, "corrupt", v->corrupt);
	return out_map_close(o);
}

const struct section section_verify = {
	.size = sizeof(struct verify),
	.kinds = KIND(C_VERIFY),
	.fold = verify_fold,
	.write = verify_write,
};
