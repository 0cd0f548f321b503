/*
 * cli: soak-gate's command line, the options and the operand of
 * soak-gate(1), into a struct opts.
 */
#include <err.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "cli.h"
#include "criteria.h"
#include "doc.h"
#include "require.h"

#ifndef nitems
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* The options that take a value, from 256 in the order of valued[]. */
enum { OPT_JSON = 256, OPT_JUNIT, OPT_MARKDOWN, OPT_MIN_OPS,
    OPT_MIN_WARM_HITS, OPT_MAX_LOCK, OPT_MAX_MALFORMED, OPT_MAX_WAL,
    OPT_MIN_RATE, OPT_REQUIRE, OPT_SKIP, OPT_BASELINE, OPT_MAX_DROP,
    OPT_MAX_RISE, OPT_VALUED_END };
/* The flags, after them. */
enum { OPT_HELP = OPT_VALUED_END, OPT_VERSION, OPT_STRICT };

static const char *const valued[] = {
	"json", "junit", "markdown",
	"min-ops", "min-warm-hits", "max-lock-timeouts", "max-malformed",
	"max-wal-bytes", "min-warm-hit-rate", "require", "skip",
	"baseline", "max-hit-rate-drop", "max-rise",
};
_Static_assert(nitems(valued) == OPT_VALUED_END - OPT_JSON,
    "one name in valued[] for each option that takes a value");

static const struct option flags[] = {
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "baseline-strict", no_argument, NULL, OPT_STRICT },
};

/* The getopt_long table: valued[], then flags[], then the end. */
static struct option longopts[nitems(valued) + nitems(flags) + 1];

/* Fill longopts from valued[] and flags[]. */
static void
longopts_fill(void)
{
	size_t i;

	for (i = 0; i < nitems(valued); i++)
		longopts[i] = (struct option){ valued[i], required_argument,
		    NULL, OPT_JSON + (int)i };
	for (i = 0; i < nitems(flags); i++)
		longopts[nitems(valued) + i] = flags[i];
}

void
cli_usage(FILE *fp)
{
	const char *p = getprogname();

	fprintf(fp, "usage: %s [-q] [--json file] [--junit file] "
	    "[--markdown file]\n"
	    "                 [--min-ops n] [--min-warm-hits n]\n"
	    "                 [--max-lock-timeouts n] [--max-malformed n]\n"
	    "                 [--max-wal-bytes n] [--min-warm-hit-rate r]\n"
	    "                 [--require expr ...] [--skip name[,name...]]\n"
	    "                 [--baseline base.json [--baseline-strict]\n"
	    "                 [--max-hit-rate-drop r] [--max-rise name=n ...]]\n"
	    "                 [file]\n"
	    "       %s --help\n"
	    "       %s --version\n", p, p, p);
}

/* A count option into *v: 0 to LLONG_MAX, or -1 after a diagnostic. */
static int
countflag(const char *opt, const char *arg, long long *v)
{
	const char *errstr;

	*v = strtonum(arg, 0, LLONG_MAX, &errstr);
	if (errstr != NULL) {
		warnx("--%s: \"%s\" is %s (0 to %lld)", opt, arg, errstr,
		    LLONG_MAX);
		return -1;
	}
	return 0;
}

/* A rate option into *rate (the last one counts); -1 after a diagnostic. */
static int
rateflag(const char *opt, struct jnode **rate, const char *arg)
{
	char msg[512];

	doc_free(*rate);
	if ((*rate = gate_parse_rate(arg, msg, sizeof(msg))) == NULL) {
		warnx("--%s: %s", opt, msg);
		return -1;
	}
	return 0;
}

/* --max-rise NAME=N into c; -1 after a diagnostic. */
static int
riseflag(struct gate_config *c, const char *arg)
{
	const char *eq = strchr(arg, '='), *errstr;
	char name[64];
	int i;

	if (eq == NULL || (size_t)(eq - arg) >= sizeof(name)) {
		warnx("--max-rise: \"%s\" is not NAME=N", arg);
		return -1;
	}
	memcpy(name, arg, (size_t)(eq - arg));
	name[eq - arg] = '\0';
	if ((i = baseline_rise(name)) == -1) {
		warnx("--max-rise: \"%s\" is not one of: %s", name,
		    baseline_rise_names());
		return -1;
	}
	c->max_rise[i] = strtonum(eq + 1, 0, LLONG_MAX, &errstr);
	if (errstr != NULL) {
		warnx("--max-rise: \"%s\" is %s (0 to %lld)", eq + 1, errstr,
		    LLONG_MAX);
		return -1;
	}
	return 0;
}

/* One more --require into c; -1 after a diagnostic. */
static int
requireflag(struct gate_config *c, const char *arg)
{
	struct require *r;
	char msg[512];

	if ((r = reallocarray(c->requires, c->nrequires + 1,
	    sizeof(*r))) == NULL) {
		warn(NULL);
		return -1;
	}
	c->requires = r;
	if (gate_parse_require(arg, &r[c->nrequires], msg, sizeof(msg)) == -1) {
		warnx("--require: \"%s\": %s", arg, msg);
		return -1;
	}
	c->nrequires++;
	return 0;
}

/* Every default criterion's name, ", " between them, into buf. */
static void
default_names(char *buf, size_t len)
{
	const char *name;
	size_t i;

	buf[0] = '\0';
	for (i = 0; (name = gate_default_name(i)) != NULL; i++) {
		if (i > 0)
			strlcat(buf, ", ", len);
		strlcat(buf, name, len);
	}
}

/* --skip NAME[,NAME...] into c; -1 after a diagnostic. */
static int
skipflag(struct gate_config *c, const char *arg)
{
	char *list, *p, *name, names[1024];
	int rc = 0;

	if ((p = list = strdup(arg)) == NULL) {
		warn(NULL);
		return -1;
	}
	while (rc == 0 && (name = strsep(&p, ",")) != NULL)
		if (gate_skip(c, name) == -1) {
			default_names(names, sizeof(names));
			warnx("--skip: \"%s\" is not a criterion (one of: %s)",
			    name, names);
			rc = -1;
		}
	free(list);
	return rc;
}

/* An option that sets a value into o; -1 after a diagnostic. */
static int
valueflag(struct opts *o, int ch, const char *arg)
{
	struct gate_config *c = &o->cfg;

	switch (ch) {
	case OPT_JSON:
	case OPT_JUNIT:
	case OPT_MARKDOWN:
		if (*arg == '\0') {
			warnx("%s: empty path", o->out[ch - OPT_JSON].opt);
			return -1;
		}
		o->out[ch - OPT_JSON].path = arg;
		return 0;
	case OPT_MIN_OPS:
		return countflag("min-ops", arg, &c->min_ops);
	case OPT_MIN_WARM_HITS:
		return countflag("min-warm-hits", arg, &c->min_warm_hits);
	case OPT_MAX_LOCK:
		return countflag("max-lock-timeouts", arg,
		    &c->max_lock_timeouts);
	case OPT_MAX_MALFORMED:
		return countflag("max-malformed", arg, &c->max_malformed);
	case OPT_MAX_WAL:
		return countflag("max-wal-bytes", arg, &c->max_wal_bytes);
	case OPT_MIN_RATE:
		return rateflag("min-warm-hit-rate", &c->min_warm_hit_rate, arg);
	case OPT_BASELINE:
		if (*arg == '\0') {
			warnx("--baseline: empty path");
			return -1;
		}
		o->baseline = arg;
		return 0;
	case OPT_MAX_DROP:
		o->needs_baseline = "--max-hit-rate-drop";
		return rateflag("max-hit-rate-drop", &c->max_hit_rate_drop, arg);
	case OPT_MAX_RISE:
		o->needs_baseline = "--max-rise";
		return riseflag(c, arg);
	case OPT_REQUIRE:
		return requireflag(c, arg);
	case OPT_SKIP:
		return skipflag(c, arg);
	default:
		/* getopt_long has named the option. */
		cli_usage(stderr);
		return -1;
	}
}

/*
 * The options into o, stopping at --help or --version. Returns 0, or -1
 * after a diagnostic.
 */
static int
options(struct opts *o, int argc, char *argv[])
{
	int ch;

	longopts_fill();
	while ((ch = getopt_long(argc, argv, "q", longopts, NULL)) != -1) {
		switch (ch) {
		case 'q':
			o->quiet = 1;
			break;
		case OPT_HELP:
			o->action = ACT_HELP;
			return 0;
		case OPT_VERSION:
			o->action = ACT_VERSION;
			return 0;
		case OPT_STRICT:
			o->strict = 1;
			o->needs_baseline = "--baseline-strict";
			break;
		default:
			if (valueflag(o, ch, optarg) == -1)
				return -1;
			break;
		}
	}
	return 0;
}

/* The one optional operand, a file or "-" for standard input: 0 or -1. */
static int
operands(struct opts *o, int argc, char *argv[])
{
	if (argc > 1) {
		warnx("one metrics document at most, %d given", argc);
		cli_usage(stderr);
		return -1;
	}
	if (argc == 1 && *argv[0] == '\0') {
		warnx("operand 1: empty path");
		return -1;
	}
	if (argc == 1 && strcmp(argv[0], "-") != 0)
		o->name = o->path = argv[0];
	if (o->baseline != NULL && strcmp(o->baseline, "-") == 0 &&
	    o->path == NULL) {
		warnx("--baseline: \"-\": standard input is the metrics "
		    "document already");
		return -1;
	}
	return 0;
}

/* At most one output on standard output: 0, or -1 after a diagnostic. */
static int
one_stdout(const struct opts *o)
{
	const char *taken = NULL;
	size_t i;

	for (i = 0; i < OUT_N; i++) {
		if (!output_stdout(&o->out[i]))
			continue;
		if (taken != NULL) {
			warnx("%s: \"-\": standard output is taken by %s",
			    o->out[i].opt, taken);
			return -1;
		}
		taken = o->out[i].opt;
	}
	return 0;
}

int
cli_parse(struct opts *o, int argc, char *argv[])
{
	o->name = "<stdin>";
	o->out[OUT_JSON].opt = "--json";
	o->out[OUT_JUNIT].opt = "--junit";
	o->out[OUT_MARKDOWN].opt = "--markdown";
	gate_config_init(&o->cfg);
	if (options(o, argc, argv) == -1)
		return -1;
	if (o->action != ACT_RUN)
		return 0;
	if (one_stdout(o) == -1)
		return -1;
	if (o->needs_baseline != NULL && o->baseline == NULL) {
		warnx("%s needs --baseline", o->needs_baseline);
		return -1;
	}
	return operands(o, argc - optind, argv + optind);
}
