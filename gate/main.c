/*
 * soak-gate: read one soak-metrics(5) document and judge it on stable
 * criteria (never latency). Exit 0 pass, 1 fail, 2 usage or bad input.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "criteria.h"
#include "doc.h"
#include "report.h"
#include "require.h"

enum { OPT_JSON = 256, OPT_MIN_OPS, OPT_MIN_WARM_HITS, OPT_MAX_LOCK,
    OPT_MAX_MALFORMED, OPT_MIN_RATE, OPT_REQUIRE, OPT_HELP, OPT_VERSION };

static const struct option longopts[] = {
	{ "quiet",		no_argument,		NULL, 'q' },
	{ "json",		required_argument,	NULL, OPT_JSON },
	{ "min-ops",		required_argument,	NULL, OPT_MIN_OPS },
	{ "min-warm-hits",	required_argument,	NULL, OPT_MIN_WARM_HITS },
	{ "max-lock-timeouts",	required_argument,	NULL, OPT_MAX_LOCK },
	{ "max-malformed",	required_argument,	NULL, OPT_MAX_MALFORMED },
	{ "min-warm-hit-rate",	required_argument,	NULL, OPT_MIN_RATE },
	{ "require",		required_argument,	NULL, OPT_REQUIRE },
	{ "help",		no_argument,		NULL, OPT_HELP },
	{ "version",		no_argument,		NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: %s [-q] [--json file] [--min-ops n] "
	    "[--min-warm-hits n]\n"
	    "                 [--max-lock-timeouts n] [--max-malformed n]\n"
	    "                 [--min-warm-hit-rate r] [--require expr ...] "
	    "[file]\n"
	    "       %s --version\n", getprogname(), getprogname());
	exit(status);
}

/* A count option: an integer from 0 to LLONG_MAX, or exit 2. */
static long long
countflag(const char *opt, const char *arg)
{
	const char *errstr;
	long long v;

	v = strtonum(arg, 0, LLONG_MAX, &errstr);
	if (errstr != NULL)
		errx(2, "--%s: \"%s\" is %s (expected 0 to %lld)", opt, arg,
		    errstr, LLONG_MAX);
	return v;
}

static void
requireflag(struct gate_config *c, const char *arg)
{
	struct require *r;
	char msg[512];

	r = reallocarray(c->requires, c->nrequires + 1, sizeof(*r));
	if (r == NULL)
		err(2, NULL);
	c->requires = r;
	if (gate_parse_require(arg, &r[c->nrequires], msg, sizeof(msg)) == -1)
		errx(2, "--require '%s': %s", arg, msg);
	c->nrequires++;
}

/*
 * Read and parse the whole document from fd, or exit 2 naming name.  The
 * input, up to one byte past the limit, is read first and parsed in one
 * piece: yajl rescans a string split over pieces from its start, which
 * would make a long string cost time quadratic in its length.
 */
static struct jnode *
read_doc(int fd, const char *name)
{
	struct doc_reader *r;
	struct jnode *doc;
	unsigned char *buf = NULL, *nb;
	size_t len = 0, cap = 0;
	char msg[512];
	ssize_t n;

	if ((r = doc_reader_new(name)) == NULL)
		err(2, NULL);
	while (len <= DOC_MAX_BYTES) {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 65536;
			if ((nb = realloc(buf, cap)) == NULL)
				err(2, NULL);
			buf = nb;
		}
		n = read(fd, buf + len, cap - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			err(2, "%s", name);
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > 0 && doc_reader_feed(r, buf, len, msg, sizeof(msg)) == -1)
		errx(2, "%s", msg);
	free(buf);
	if ((doc = doc_reader_finish(r, msg, sizeof(msg))) == NULL)
		errx(2, "%s", msg);
	doc_reader_free(r);
	if (doc_type(doc) != J_OBJECT)
		errx(2, "%s: not a JSON object (a soak-metrics document is "
		    "one object)", name);
	return doc;
}

static void
json_out(const char *path, const char *input, const struct verdict *v)
{
	FILE *fp;

	if (strcmp(path, "-") == 0) {
		if (report_json(stdout, input, v) == -1)
			err(2, "stdout");
		return;
	}
	if ((fp = fopen(path, "w")) == NULL)
		err(2, "%s", path);
	if (report_json(fp, input, v) == -1 || fclose(fp) == EOF)
		err(2, "%s", path);
}

int
main(int argc, char *argv[])
{
	struct gate_config cfg;
	struct jnode *doc;
	struct verdict *v;
	const char *name = "<stdin>", *json = NULL;
	FILE *text = stdout;
	char msg[512];
	size_t i;
	int ch, fd = STDIN_FILENO, quiet = 0, status;

	gate_config_init(&cfg);
	/* A closed stdout ends us quietly, even if SIGPIPE came ignored. */
	signal(SIGPIPE, SIG_DFL);
	while ((ch = getopt_long(argc, argv, "q", longopts, NULL)) != -1) {
		switch (ch) {
		case 'q':
			quiet = 1;
			break;
		case OPT_JSON:
			json = optarg;
			break;
		case OPT_MIN_OPS:
			cfg.min_ops = countflag("min-ops", optarg);
			break;
		case OPT_MIN_WARM_HITS:
			cfg.min_warm_hits = countflag("min-warm-hits", optarg);
			break;
		case OPT_MAX_LOCK:
			cfg.max_lock_timeouts = countflag("max-lock-timeouts",
			    optarg);
			break;
		case OPT_MAX_MALFORMED:
			cfg.max_malformed = countflag("max-malformed", optarg);
			break;
		case OPT_MIN_RATE:
			doc_free(cfg.min_warm_hit_rate);
			cfg.min_warm_hit_rate = gate_parse_rate(optarg, msg,
			    sizeof(msg));
			if (cfg.min_warm_hit_rate == NULL)
				errx(2, "--min-warm-hit-rate: %s", msg);
			break;
		case OPT_REQUIRE:
			requireflag(&cfg, optarg);
			break;
		case OPT_HELP:
			usage(stdout, 0);
			break;
		case OPT_VERSION:
			printf("soak-gate %s\n", SOAK_VERSION);
			return 0;
		default:
			usage(stderr, 2);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		usage(stderr, 2);
	if (argc == 1 && strcmp(argv[0], "-") != 0) {
		name = argv[0];
		if ((fd = open(name, O_RDONLY)) == -1)
			err(2, "%s", name);
	}

	doc = read_doc(fd, name);
	if (fd != STDIN_FILENO)
		close(fd);
	if ((v = gate_evaluate(doc, &cfg)) == NULL)
		err(2, NULL);

	if (v->badtype) {
		for (i = 0; i < v->n; i++)
			if (v->results[i].status == C_BADTYPE)
				warnx("%s: %s: %s", name, v->results[i].pointer,
				    v->results[i].detail);
		status = 2;
		goto done;
	}
	if (json != NULL && strcmp(json, "-") == 0)
		text = stderr;
	if (!quiet)
		report_text(text, v);
	if (json != NULL)
		json_out(json, name, v);
	if (fflush(stdout) == EOF || ferror(stdout))
		err(2, "stdout");

	status = v->failed ? 1 : 0;
done:
	gate_verdict_free(v);
	doc_free(doc);
	gate_config_free(&cfg);
	return status;
}
