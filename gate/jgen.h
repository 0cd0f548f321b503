/*
 * jgen: soak-gate's one JSON writer, yajl_gen with every status checked:
 * a failed call sticks, and jgen_buf reports it.
 */
#ifndef GATE_JGEN_H
#define GATE_JGEN_H

#include <stddef.h>
#include <stdio.h>

struct jgen;
struct jnode;

/* A writer of compact JSON; NULL when out of memory. */
struct jgen *jgen_new(void);
/* Free a writer and its bytes; NULL is accepted. */
void jgen_free(struct jgen *);

/* Mark the document failed, as a failed call would (out of memory). */
void jgen_fail(struct jgen *);
/* Open or close an object. */
void jgen_map_open(struct jgen *);
void jgen_map_close(struct jgen *);
/* Open or close an array. */
void jgen_array_open(struct jgen *);
void jgen_array_close(struct jgen *);
/* A string or key from s, bytes that are not UTF-8 written as U+FFFD. */
void jgen_str(struct jgen *, const char *s);
/* An integer. */
void jgen_int(struct jgen *, long long);
/* true or false. */
void jgen_bool(struct jgen *, int);
/* A scalar as the document wrote it; NULL writes null, a container fails. */
void jgen_scalar(struct jgen *, const struct jnode *);
/* Any value as the document wrote it, arrays and objects whole. */
void jgen_value(struct jgen *, const struct jnode *);

/* The bytes written (the writer owns them): 0, or -1 if any call failed. */
int jgen_buf(struct jgen *, const unsigned char **buf, size_t *len);
/* The document on fp, indented by 2, [] and {} when empty: 0, or -1. */
int jgen_write(struct jgen *, FILE *fp);

/* n as compact JSON text, the caller's to free; NULL on failure. */
char *jgen_text(const struct jnode *);

#endif
