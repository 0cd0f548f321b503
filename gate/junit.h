/*
 * junit: a soak-gate verdict as JUnit XML, the report CI systems read:
 * one testsuite, one testcase per criterion.
 */
#ifndef GATE_JUNIT_H
#define GATE_JUNIT_H

#include <stdio.h>

struct verdict;

/* The verdict on input as JUnit XML into fp: 0, or -1 (errno set). */
int report_junit(FILE *fp, const char *input, const struct verdict *);

#endif
