/* args.h: soak-harness's command-line values. Program code, not library
 * code: a bad value is reported on one line naming its option, and the
 * program exits 2. */
#ifndef HARNESS_ARGS_H
#define HARNESS_ARGS_H

/* A number of option (or environment variable) name within [lo, hi]. */
long long arg_num(const char *name, const char *s, long long lo,
    long long hi);
/* One of the NULL-terminated words (the static string). */
const char *arg_word(const char *name, const char *s,
    const char *const *words);
/* A run id: 1 to max printable ASCII characters without blanks. */
const char *arg_runid(const char *name, const char *s, int max);
/* Append s to the list *v of *n: an environment variable name, or with
 * pair a NAME=VALUE. */
void arg_list(const char *name, const char *s, char ***v, int *n, int pair);
/* A path given to option name: s, unless it is empty (exit 2). */
const char *arg_path(const char *name, const char *s);
/* The absolute form of path (the working folder before a relative one);
 * malloc'd, NULL when memory ran out. */
char *arg_abspath(const char *path);

/* --shard K/N into *k and *n. */
void arg_shard(const char *name, const char *s, int *k, int *n);
/* --start-at: seconds since the epoch, not past by more than a second. */
double arg_start(const char *name, const char *s);
/* 1 when path is a folder. */
int arg_isdir(const char *path);

#endif
