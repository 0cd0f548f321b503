/* args.c: soak-harness's command-line values; a bad one exits 2. */
#include <sys/stat.h>

#include <err.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "args.h"
#include "shard.h"

long long
arg_num(const char *name, const char *s, long long lo, long long hi)
{
	const char *errstr;
	long long v;

	v = strtonum(s, lo, hi, &errstr);
	if (errstr != NULL)
		errx(2, "%s: \"%s\" is %s (%lld to %lld)", name, s, errstr, lo,
		    hi);
	return v;
}

const char *
arg_word(const char *name, const char *s, const char *const *words)
{
	size_t i;

	for (i = 0; words[i] != NULL; i++)
		if (strcmp(s, words[i]) == 0)
			return words[i];
	errx(2, "%s: \"%s\" is not one of the choices", name, s);
}

const char *
arg_runid(const char *name, const char *s, int max)
{
	const char *p;

	if (*s == '\0' || strlen(s) > (size_t)max)
		goto bad;
	for (p = s; *p; p++)
		if (*p <= ' ' || *p > '~')
			goto bad;
	return s;
bad:
	errx(2, "%s: \"%s\" must be 1 to %d printable ASCII characters "
	    "without blanks", name, s, max);
}

/* An environment variable name: [A-Za-z_][A-Za-z0-9_]*. */
static int
arg_envname(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || (s[0] >= '0' && s[0] <= '9'))
		return 0;
	for (i = 0; i < len; i++)
		if (!(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
			return 0;
	return 1;
}

void
arg_list(const char *name, const char *s, char ***v, int *n, int pair)
{
	char **nv;
	size_t len = pair ? strcspn(s, "=") : strlen(s);

	if (!arg_envname(s, len) || (pair && s[len] != '='))
		errx(2, "%s: \"%s\" is not %s", name, s, pair ?
		    "NAME=VALUE with a valid name" : "a valid variable name");
	if ((nv = reallocarray(*v, (size_t)*n + 1, sizeof(*nv))) == NULL)
		err(1, NULL);
	nv[(*n)++] = (char *)s;
	*v = nv;
}

const char *
arg_path(const char *name, const char *s)
{
	if (*s == '\0')
		errx(2, "%s: empty path", name);
	return s;
}

char *
arg_abspath(const char *path)
{
	char cwd[PATH_MAX], *out;

	if (path[0] == '/')
		return strdup(path);
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		return NULL;
	if (asprintf(&out, "%s/%s", cwd, path) < 0)
		return NULL;
	return out;
}

int
arg_isdir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

void
arg_shard(const char *name, const char *s, int *k, int *n)
{
	if (shard_parse(s, k, n) < 0)
		errx(2, "%s: \"%s\" is not K/N with 1 <= K <= N <= %d", name, s,
		    SHARD_MAX);
}

double
arg_start(const char *name, const char *s)
{
	struct timespec now;
	double t;

	if (shard_time(s, &t) < 0)
		errx(2, "%s: \"%s\" is not seconds since the epoch nor "
		    "YYYY-MM-DDTHH:MM:SSZ", name, s);
	clock_gettime(CLOCK_REALTIME, &now);
	if (t < (double)now.tv_sec + (double)now.tv_nsec / 1e9 - 1)
		errx(2, "%s: \"%s\" is past", name, s);
	return t;
}
