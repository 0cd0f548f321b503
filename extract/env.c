/* env: the env section, the machine and filesystem the run started on. */
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "event.h"
#include "metrics.h"
#include "out.h"
#include "section.h"

#define PATH(...)	((const char *const []){ __VA_ARGS__, NULL })

/* A string that may be null. */
struct str {
	char		*s;
	size_t		 len;
};

/* From the first soak.run.start whose args.env is an object. */
struct env {
	int		 seen;
	struct str	 host, kernel, fs_type, fs_warning;
	int		 have_cpus;
	unsigned long long cpus;
};

static void
env_free(void *state)
{
	struct env *e = state;

	free(e->host.s);
	free(e->kernel.s);
	free(e->fs_type.s);
	free(e->fs_warning.s);
}

/* Copy the string v into *s when it is one; returns 0, or -1 (no memory). */
static int
env_copy(struct fold *f, const struct field *v, struct str *s)
{
	if (!field_want(f, v, FT_STR))
		return 0;
	if ((s->s = field_copy(v)) == NULL)
		return -1;
	s->len = v->len;
	return 0;
}

/* Copy the string at path into *s; as env_copy. */
static int
env_str(struct fold *f, const char *const *path, struct str *s)
{
	struct field v;

	if (fold_path(f, path, &v) == -1)
		return -1;
	return env_copy(f, &v, s);
}

/* The warning when the filesystem's locks cannot be trusted. */
static int
env_warning(struct env *e, struct fold *f)
{
	struct field v;

	if (fold_path(f, PATH("args", "env", "fs_trusted"), &v) == -1)
		return -1;
	if (!field_want(f, &v, FT_BOOL) || v.b)
		return 0;
	if (fold_path_at(f, PATH("warnings"), 0, &v) == -1)
		return -1;
	return env_copy(f, &v, &e->fs_warning);
}

static int
env_fold(void *state, struct fold *f)
{
	struct env *e = state;
	struct field v;
	int rc;

	if (e->seen)
		return 0;
	if (fold_path(f, PATH("args", "env"), &v) == -1)
		return -1;
	if (!field_want(f, &v, FT_MAP))
		return 0;
	e->seen = 1;
	if ((rc = fold_path_count(f, PATH("args", "env", "cpus"),
	    &e->cpus)) == -1)
		return -1;
	e->have_cpus = rc == 1;
	if (env_str(f, PATH("args", "env", "host"), &e->host) == -1 ||
	    env_str(f, PATH("args", "env", "kernel"), &e->kernel) == -1 ||
	    env_str(f, PATH("args", "env", "fs_type"), &e->fs_type) == -1)
		return -1;
	return env_warning(e, f);
}

static int
env_out(struct out *o, const char *key, const struct str *s)
{
	out_key(o, key);
	return s->s == NULL ? out_null(o) : out_str(o, s->s, s->len);
}

static int
env_write(const void *state, struct out *o, const struct metrics *m)
{
	const struct env *e = state;

	(void)m;
	out_key(o, "env");
	if (!e->seen)
		return out_null(o);
	out_map_open(o);
	env_out(o, "host", &e->host);
	env_out(o, "kernel", &e->kernel);
	out_key(o, "cpus");
	if (e->have_cpus)
		out_count(o, e->cpus);
	else
		out_null(o);
	env_out(o, "fs_type", &e->fs_type);
	env_out(o, "fs_warning", &e->fs_warning);
	return out_map_close(o);
}

const struct section section_env = {
	.size = sizeof(struct env),
	.kinds = KIND(C_RUN_START),
	.free = env_free,
	.fold = env_fold,
	.write = env_write,
};
