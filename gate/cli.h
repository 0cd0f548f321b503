/*
 * cli: soak-gate's command line (see soak-gate(1)) into a struct opts.
 */
#ifndef GATE_CLI_H
#define GATE_CLI_H

#include <stdio.h>

#include "criteria.h"
#include "output.h"

/* The files written besides the report, in the order they are written. */
enum { OUT_JSON, OUT_JUNIT, OUT_MARKDOWN, OUT_N };

/* What the command line asks for. */
struct opts {
	struct gate_config cfg;
	const char	*name;		/* the input in messages */
	const char	*path;		/* NULL: standard input */
	struct output	 out[OUT_N];	/* --json, --junit, --markdown */
	const char	*baseline;	/* --baseline file, or NULL */
	const char	*needs_baseline; /* an option given that needs it */
	int		 strict;	/* --baseline-strict */
	int		 quiet;
	enum { ACT_RUN, ACT_HELP, ACT_VERSION } action;
};

/* Parse argv into o: 0, or -1 after a diagnostic (and the usage). */
int cli_parse(struct opts *o, int argc, char *argv[]);
/* The synopsis of soak-gate(1), word for word, on fp. */
void cli_usage(FILE *fp);

#endif
