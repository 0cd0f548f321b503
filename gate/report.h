/*
 * report: a soak-gate verdict as text lines and as a soak-verdict/1 JSON
 * document (see soak-gate(1)).
 */
#ifndef GATE_REPORT_H
#define GATE_REPORT_H

#include <stdio.h>

struct result;
struct verdict;

/* " (baseline 2 + 0)" for a comparison, else ""; the caller's; NULL: OOM. */
char *report_note(const struct result *);
/* "FAIL lock_timeout: 3 > 1", no newline, the caller's to free; NULL: OOM. */
char *report_line(const struct result *);
/* The value seen, or why there is none ("not in metrics"); NULL: OOM. */
char *report_observed(const struct result *);
/* What passes, "<= 1" ("<= 2 (baseline 2 + 0)"), or "none"; NULL: OOM. */
char *report_limit(const struct result *);
/* The last report line: "PASS" or "FAIL (1 of 9 criteria failed)". */
char *report_summary(const struct verdict *);
/* WARN lines, a line per criterion, INFO lines, the verdict: 0, -1 (OOM). */
int report_text(FILE *fp, const struct verdict *);
/* The verdict as JSON naming input, into fp: 0, or -1 on a write error. */
int report_json(FILE *fp, const char *input, const struct verdict *);

#endif
