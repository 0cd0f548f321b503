/*
 * soak-gate: read one soak-metrics(5) document and judge it on stable
 * criteria (never latency). Exit 0 pass, 1 fail, 2 usage or bad input.
 */
#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "criteria.h"
#include "doc.h"
#include "input.h"
#include "junit.h"
#include "markdown.h"
#include "output.h"
#include "report.h"

/* Name every criterion whose metric has the wrong type. */
static void
warn_badtype(const char *name, const struct verdict *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (v->results[i].status == C_BADTYPE)
			warnx("%s: %s: %s", name, v->results[i].pointer,
			    v->results[i].detail);
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
 * Open the input, then every output, so that a path that cannot be
 * written fails before anything is printed: 0, or -1 after a diagnostic.
 */
static int
open_files(struct opts *o, struct input *in)
{
	size_t i;

	in->name = o->name;
	in->path = o->path;
	if (input_open(in) == -1)
		return -1;
	for (i = 0; i < OUT_N; i++)
		if (output_open(&o->out[i], in, 1) == -1)
			return -1;
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
	struct input in = { .fd = -1 };
	struct jnode *doc = NULL;
	struct verdict *v = NULL;
	size_t i;
	int status = 2;

	/* A closed stdout ends us quietly, even if SIGPIPE came ignored. */
	signal(SIGPIPE, SIG_DFL);
	if (cli_parse(&o, argc, argv) == -1)
		goto done;
	if (o.action != ACT_RUN) {
		status = print_info(o.action);
		goto done;
	}
	if (open_files(&o, &in) == -1 || (doc = input_read(&in)) == NULL)
		goto done;
	if ((v = gate_evaluate(doc, &o.cfg)) == NULL) {
		warn(NULL);
		goto done;
	}
	if (v->badtype)
		warn_badtype(o.name, v);
	else if (print_verdict(&o, v) == 0 && check_stdout() == 0)
		status = v->failed ? 1 : 0;
done:
	/* Exit 2 leaves no verdict behind, not even an empty file. */
	for (i = 0; status == 2 && i < OUT_N; i++)
		output_discard(&o.out[i]);
	input_close(&in);
	gate_verdict_free(v);
	doc_free(doc);
	gate_config_free(&o.cfg);
	return status;
}
