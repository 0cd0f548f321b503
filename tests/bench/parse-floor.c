/* parse-floor: the benchmark floor of soak-extract.  yajl alone over a
 * JSON Lines file: no callbacks, no line splitting, no metrics; the file
 * cut at newlines into one part a thread, each part one stream of values
 * (yajl_allow_multiple_values), strings not checked for UTF-8 as
 * soak-extract's parser does not (it checks them itself).  No reader
 * built on yajl does less work, so its time is the least soak-extract
 * could take on as many threads.
 *
 * A value yajl rejects is skipped to the next newline, the handle made
 * anew, and counted; the count goes to stderr.
 *
 * -c gives yajl a callback for every token, each doing nothing but
 * return 1: what yajl costs any reader that reads a field through its
 * callbacks, before the reader does anything.
 *
 * usage: parse-floor [-c] [-t threads] file */
#include <sys/mman.h>
#include <sys/stat.h>

#include <err.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yajl/yajl_parse.h>

#define MAX_THREADS 64

struct part {
	const unsigned char *p;
	size_t len;
	long bad;
	pthread_t t;
};

static int
no_null(void *ctx)
{
	(void)ctx;
	return 1;
}

static int
no_bool(void *ctx, int b)
{
	(void)ctx;
	(void)b;
	return 1;
}

static int
no_number(void *ctx, const char *s, size_t len)
{
	(void)ctx;
	(void)s;
	(void)len;
	return 1;
}

static int
no_string(void *ctx, const unsigned char *s, size_t len)
{
	(void)ctx;
	(void)s;
	(void)len;
	return 1;
}

/* -c: every callback, doing nothing. */
static const yajl_callbacks nothing = {
	no_null, no_bool, NULL, NULL, no_number, no_string,
	no_null, no_string, no_null, no_null, no_null
};
static const yajl_callbacks *callbacks;

static yajl_handle
handle(void)
{
	yajl_handle h;

	if ((h = yajl_alloc(callbacks, NULL, NULL)) == NULL)
		errx(2, "out of memory");
	yajl_config(h, yajl_allow_multiple_values, 1);
	yajl_config(h, yajl_dont_validate_strings, 1);
	return h;
}

static void *
parse(void *arg)
{
	struct part *pt = arg;
	const unsigned char *p = pt->p, *end = pt->p + pt->len, *nl;
	yajl_handle h = handle();

	while (p < end) {
		if (yajl_parse(h, p, (size_t)(end - p)) == yajl_status_ok) {
			/* A last value cut short is one more rejected. */
			if (yajl_complete_parse(h) != yajl_status_ok)
				pt->bad++;
			break;
		}
		/* Skip past the line holding the error, and go on. */
		pt->bad++;
		p += yajl_get_bytes_consumed(h);
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;
		p = nl + 1;
		yajl_free(h);
		h = handle();
	}
	yajl_free(h);
	return NULL;
}

int
main(int argc, char *argv[])
{
	struct part parts[MAX_THREADS];
	const unsigned char *base, *nl;
	const char *errstr;
	struct stat sb;
	size_t at, want;
	long bad = 0;
	int c, fd, i, n = 1;

	while ((c = getopt(argc, argv, "ct:")) != -1) {
		switch (c) {
		case 'c':
			callbacks = &nothing;
			break;
		case 't':
			n = (int)strtonum(optarg, 1, MAX_THREADS, &errstr);
			if (errstr != NULL)
				errx(2, "-t %s: %s", optarg, errstr);
			break;
		default:
			goto usage;
		}
	}
	if (argc - optind != 1)
		goto usage;
	if ((fd = open(argv[optind], O_RDONLY)) == -1 || fstat(fd, &sb) == -1)
		err(2, "%s", argv[optind]);
	if (sb.st_size == 0)
		return 0;
	base = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (base == MAP_FAILED)
		err(2, "%s", argv[optind]);
	(void)madvise((void *)base, (size_t)sb.st_size, MADV_SEQUENTIAL);
	for (i = 0, at = 0; i < n; i++) {
		want = (size_t)sb.st_size / (size_t)n * (size_t)(i + 1);
		if (i == n - 1 || want <= at)
			want = (size_t)sb.st_size;
		else if ((nl = memchr(base + want, '\n',
		    (size_t)sb.st_size - want)) != NULL)
			want = (size_t)(nl - base) + 1;
		else
			want = (size_t)sb.st_size;
		parts[i].p = base + at;
		parts[i].len = want - at;
		parts[i].bad = 0;
		at = want;
		if (pthread_create(&parts[i].t, NULL, parse, &parts[i]) != 0)
			errx(2, "cannot start a thread");
	}
	for (i = 0; i < n; i++) {
		pthread_join(parts[i].t, NULL);
		bad += parts[i].bad;
	}
	if (bad > 0)
		fprintf(stderr, "parse-floor: %ld values rejected\n", bad);
	return 0;
usage:
	fprintf(stderr, "usage: parse-floor [-c] [-t threads] file\n");
	return 2;
}
