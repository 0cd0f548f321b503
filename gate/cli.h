/*
 * cli: soak-gate's command line (see soak-gate(1)) into a struct opts.
 */
#ifndef GATE_CLI_H
#define GATE_CLI_H

#include "criteria.h"

/* What the command line asks for. */
struct opts {
	struct gate_config cfg;
	const char	*name;		/* the input in messages */
	const char	*path;		/* NULL: standard input */
	const char	*json;		/* --json file, or NULL */
	int		 quiet;
	int		 version;	/* --version: print it, nothing else */
};

/* Parse argv into o (usage errors exit 2): 0, or -1 after a diagnostic. */
int cli_parse(struct opts *o, int argc, char *argv[]);

#endif
