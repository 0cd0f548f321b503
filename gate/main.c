/*
 * soak-gate: read one soak-metrics(5) document and judge it on stable
 * criteria (never latency). Exit 0 pass, 1 fail, 2 usage or bad input.
 */
#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "cli.h"
#include "criteria.h"
#include "doc.h"
#include "input.h"
#include "junit.h"
#include "markdown.h"
#include "output.h"
#include "report.h"
#include "text.h"

/* What is read: the metrics document and, with --baseline, the baseline. */
enum { IN_DOC, IN_BASE, IN_N };
struct run {
	struct input	 in[IN_N];
	size_t		 nin;		/* IN_DOC only, or both */
	struct jnode	*doc, *base;
};

/* Name each criterion whose metric, in either document, has a wrong type. */
static void
warn_badtype(const struct run *r, const struct verdict *v)
{
	const struct result *res;
	char *what, *safe;
	size_t i;

	for (i = 0; i < v->n; i++) {
		res = &v->results[i];
		if (res->status != C_BADTYPE)
			continue;
		/* A key in the pointer may hold a newline: no forged line. */
		what = text_fmt("%s: %s", res->pointer, res->detail);
		safe = what != NULL ? text_safe(what) : NULL;
		warnx("%s: %s", r->in[res->in_base ? IN_BASE : IN_DOC].name,
		    safe != NULL ? safe : "out of memory");
		free(what);
		free(safe);
	}
}

/* --baseline-strict: name each config difference; -1 if there is one. */
static int
strict_config(const struct opts *o, const struct verdict *v)
{
	char *line;
	size_t i;

	if (!o->strict || v->ndiffs == 0)
		return 0;
	for (i = 0; i < v->ndiffs; i++) {
		/* "WARN config.workers: 4 -> 8" as "config.workers differs: ". */
		if ((line = baseline_warn_line(&v->diffs[i])) == NULL)
			warn(NULL);
		else
			warnx("--baseline-strict: config.%s differs:%s",
			    v->diffs[i].field, strchr(line, ':') + 1);
		free(line);
	}
	return -1;
}

/* Each output's writer, in the order of OUT_JSON, OUT_JUNIT, OUT_MARKDOWN. */
static int (*const writers[OUT_N])(FILE *, const char *,
    const struct verdict *) = { report_json, report_junit, report_markdown };

/* Whether an output asked for is standard output. */
static int
any_stdout(const struct opts *o)
{
	size_t i;

	for (i = 0; i < OUT_N; i++)
		if (output_stdout(&o->out[i]))
			return 1;
	return 0;
}

/* Every output asked for, written and closed: 0, or -1 after a diagnostic. */
static int
write_outputs(struct opts *o, const struct verdict *v)
{
	struct output *out;
	size_t i;

	for (i = 0; i < OUT_N; i++) {
		out = &o->out[i];
		if (out->path == NULL)
			continue;
		if (writers[i](out->fp, o->name, v) == -1) {
			warn("%s", output_stdout(out) ? "stdout" : out->path);
			return -1;
		}
		if (output_close(out) == -1)
			return -1;
	}
	return 0;
}

/*
 * Each output asked for, then the text report on stdout (stderr when an
 * output is stdout) unless -q: a file that fails leaves stdout empty.
 * Returns 0, or -1 after a diagnostic.
 */
static int
print_verdict(struct opts *o, const struct verdict *v)
{
	FILE *text = any_stdout(o) ? stderr : stdout;

	if (write_outputs(o, v) == -1)
		return -1;
	/* Text errors on stdout are caught when it is flushed. */
	if (!o->quiet && report_text(text, v) == -1) {
		warn(NULL);
		return -1;
	}
	return 0;
}

/*
 * Open the inputs, then every output, so that a path that cannot be
 * written fails before anything is printed: 0, or -1 after a diagnostic.
 */
static int
open_files(struct opts *o, struct run *r)
{
	size_t i;

	r->in[IN_DOC].name = o->name;
	r->in[IN_DOC].path = o->path;
	r->in[IN_BASE].name = r->in[IN_BASE].path = o->baseline;
	if (o->baseline != NULL && strcmp(o->baseline, "-") == 0) {
		r->in[IN_BASE].name = "<stdin>";
		r->in[IN_BASE].path = NULL;
	}
	r->nin = o->baseline != NULL ? 2 : 1;
	for (i = 0; i < r->nin; i++)
		if (input_open(&r->in[i]) == -1)
			return -1;
	for (i = 0; i < OUT_N; i++)
		if (output_open(&o->out[i], r->in, r->nin, o->out, i,
		    !o->quiet || any_stdout(o)) == -1)
			return -1;
	return 0;
}

/* The baseline, if any, then the metrics, each refused when its schema
 * is not soak-metrics/1: 0, or -1 after a diagnostic. */
static int
read_docs(struct opts *o, struct run *r)
{
	const char *why;
	char buf[256];

	if (r->nin == 2) {
		if ((r->base = input_read(&r->in[IN_BASE])) == NULL)
			return -1;
		if ((why = baseline_refuse(r->base, buf, sizeof(buf))) != NULL) {
			warnx("%s: %s", r->in[IN_BASE].name, why);
			return -1;
		}
		o->cfg.baseline = r->base;
		o->cfg.baseline_name = r->in[IN_BASE].name;
	}
	if ((r->doc = input_read(&r->in[IN_DOC])) == NULL)
		return -1;
	/* A document may lack "schema" (other extractors write none), but
	 * one that names another is no metrics to judge. */
	if (doc_get(r->doc, "schema") != NULL &&
	    (why = baseline_refuse(r->doc, buf, sizeof(buf))) != NULL) {
		warnx("%s: %s", r->in[IN_DOC].name, why);
		return -1;
	}
	return 0;
}

/* Flush stdout: 0, or -1 after a diagnostic (a full disk must not pass). */
static int
check_stdout(void)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		warn("stdout");
		return -1;
	}
	return 0;
}

/* --help or --version on stdout: the exit status, 2 if stdout failed. */
static int
print_info(int action)
{
	if (action == ACT_HELP)
		cli_usage(stdout);
	else
		printf("soak-gate %s\n", SOAK_VERSION);
	return check_stdout() == 0 ? 0 : 2;
}

int
main(int argc, char *argv[])
{
	struct opts o = { 0 };
	struct run r = { .in = { { .fd = -1 }, { .fd = -1 } } };
	struct verdict *v = NULL;
	size_t i;
	int status = 2;

	/* A closed stdout ends us quietly, even if SIGPIPE came ignored. */
	signal(SIGPIPE, SIG_DFL);
	/* getopt names the program after argv[0]: as err(3) does, by name. */
	argv[0] = program_invocation_short_name;
	if (cli_parse(&o, argc, argv) == -1)
		goto done;
	if (o.action != ACT_RUN) {
		status = print_info(o.action);
		goto done;
	}
	if (open_files(&o, &r) == -1 || read_docs(&o, &r) == -1)
		goto done;
	if ((v = gate_evaluate(r.doc, &o.cfg)) == NULL) {
		warn(NULL);
		goto done;
	}
	if (strict_config(&o, v) == -1)
		goto done;
	if (v->badtype)
		warn_badtype(&r, v);
	else if (print_verdict(&o, v) == 0 && check_stdout() == 0)
		status = v->failed ? 1 : 0;
done:
	/* Exit 2 leaves no verdict behind, not even an empty file. */
	for (i = 0; status == 2 && i < OUT_N; i++)
		output_discard(&o.out[i]);
	for (i = 0; i < IN_N; i++)
		input_close(&r.in[i]);
	gate_verdict_free(v);
	doc_free(r.doc);
	doc_free(r.base);
	gate_config_free(&o.cfg);
	return status;
}
