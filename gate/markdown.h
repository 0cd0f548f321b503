/*
 * markdown: a soak-gate verdict as a Markdown table (criterion, observed,
 * limit, result), for a CI job's summary page.
 */
#ifndef GATE_MARKDOWN_H
#define GATE_MARKDOWN_H

#include <stdio.h>

struct verdict;

/* The verdict on input as Markdown into fp: 0, or -1 (errno set). */
int report_markdown(FILE *fp, const char *input, const struct verdict *);

#endif
