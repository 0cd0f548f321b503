/* cmd.c: a command's arguments, environment and file for exec mode. */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"

char *
cmd_subst(const char *arg, const char *run_id, int worker, long long op)
{
	char *out, num[32];
	size_t n = 0, cap = strlen(arg) + 1;
	const char *p, *rep;

	if ((out = malloc(cap)) == NULL)
		return NULL;
	for (p = arg; *p; ) {
		size_t k;

		rep = NULL;
		k = 1;
		if (p[0] == '{' && p[1] == '{') {
			rep = "{";
			k = 2;
		} else if (strncmp(p, "{run_id}", 8) == 0) {
			rep = run_id;
			k = 8;
		} else if (strncmp(p, "{worker}", 8) == 0) {
			snprintf(num, sizeof(num), "%d", worker);
			rep = num;
			k = 8;
		} else if (strncmp(p, "{op}", 4) == 0) {
			snprintf(num, sizeof(num), "%lld", op);
			rep = num;
			k = 4;
		}
		if (rep == NULL) {
			num[0] = *p;
			num[1] = '\0';
			rep = num;
		}
		if (n + strlen(rep) + 1 > cap) {
			char *nb;

			cap = (n + strlen(rep) + 1) * 2;
			if ((nb = realloc(out, cap)) == NULL) {
				free(out);
				return NULL;
			}
			out = nb;
		}
		memcpy(out + n, rep, strlen(rep));
		n += strlen(rep);
		p += k;
	}
	out[n] = '\0';
	return out;
}

/* 1 when NAME=... entry e sets name (of length len). */
static int
cmd_env_is(const char *e, const char *name, size_t len)
{
	return strncmp(e, name, len) == 0 && e[len] == '=';
}

static size_t
cmd_env_namelen(const char *e)
{
	const char *eq = strchr(e, '=');

	return eq ? (size_t)(eq - e) : strlen(e);
}

void
cmd_env_free(char **env)
{
	char **p;

	if (env == NULL)
		return;
	for (p = env; *p; p++)
		free(*p);
	free(env);
}

char **
cmd_env(char *const *environ_, const char *run_id, int worker,
    char *const *run_id_env, int nrun_id_env, char *const *env, int nenv,
    char **op_slot)
{
	char **out;
	size_t n = 0, cap = 4 + (size_t)nrun_id_env + (size_t)nenv;
	int i, k;

	for (i = 0; environ_ != NULL && environ_[i] != NULL; i++)
		cap++;
	if ((out = calloc(cap, sizeof(*out))) == NULL)
		return NULL;
	for (i = 0; environ_ != NULL && environ_[i] != NULL; i++) {
		const char *e = environ_[i];
		size_t len = cmd_env_namelen(e);
		int drop = cmd_env_is(e, "SOAK_RUN_ID", 11) ||
		    cmd_env_is(e, "SOAK_WORKER", 11) ||
		    cmd_env_is(e, "SOAK_OP", 7);

		for (k = 0; !drop && k < nrun_id_env; k++)
			drop = strlen(run_id_env[k]) == len &&
			    cmd_env_is(e, run_id_env[k], len);
		for (k = 0; !drop && k < nenv; k++)
			drop = cmd_env_namelen(env[k]) == len &&
			    cmd_env_is(e, env[k], len);
		if (drop)
			continue;
		if ((out[n++] = strdup(e)) == NULL)
			goto fail;
	}
	if (asprintf(&out[n++], "SOAK_RUN_ID=%s", run_id) < 0 ||
	    asprintf(&out[n++], "SOAK_WORKER=%d", worker) < 0 ||
	    asprintf(&out[n++], "SOAK_OP=%0*d", CMD_OP_DIGITS, 0) < 0)
		goto fail;
	*op_slot = out[n - 1] + 8;
	for (k = 0; k < nrun_id_env; k++)
		if (asprintf(&out[n++], "%s=%s", run_id_env[k], run_id) < 0)
			goto fail;
	for (k = 0; k < nenv; k++)
		if ((out[n++] = strdup(env[k])) == NULL)
			goto fail;
	out[n] = NULL;
	return out;
fail:
	out[n > 0 ? n - 1 : 0] = NULL;
	cmd_env_free(out);
	return NULL;
}

/* 1 when path is an executable regular file; else 0 with errno set:
 * stat's or access's, or EISDIR or EACCES for what is no regular file. */
static int
cmd_runnable(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return 0;
	if (!S_ISREG(st.st_mode)) {
		errno = S_ISDIR(st.st_mode) ? EISDIR : EACCES;
		return 0;
	}
	return access(path, X_OK) == 0;
}

char *
cmd_find(const char *name, const char *pathvar)
{
	const char *p, *end;
	char *cand;

	if (*name == '\0')
		return NULL;
	if (strchr(name, '/') != NULL)
		return cmd_runnable(name) ? strdup(name) : NULL;
	if (pathvar == NULL || *pathvar == '\0')
		pathvar = "/usr/local/bin:/usr/bin:/bin";
	for (p = pathvar; ; p = end + 1) {
		size_t len;

		end = strchr(p, ':');
		len = end ? (size_t)(end - p) : strlen(p);
		if (asprintf(&cand, "%.*s%s%s", (int)len, p, len ? "/" : "",
		    name) < 0)
			return NULL;
		if (cmd_runnable(cand))
			return cand;
		free(cand);
		if (end == NULL)
			return NULL;
	}
}
