/* layout: the document's one layout, yajl's compact output re-indented. */
#ifndef EXTRACT_LAYOUT_H
#define EXTRACT_LAYOUT_H

/*
 * Needs <stdio.h> included first.  Two spaces a level, "key": value, an
 * empty array or object as [] or {} on one line; the bytes of strings
 * are copied as they are.
 */
struct layout;

/* A layout writing to fp (not closed by layout_free); NULL: no memory. */
struct layout	*layout_new(FILE *fp);
/* Free l; NULL is fine. */
void		 layout_free(struct layout *);

/* Lay out the next len bytes of compact JSON: a yajl print callback. */
void		 layout_print(void *l, const char *s, size_t len);
/* End the document with a newline; returns 0, or -1 on a write error. */
int		 layout_end(struct layout *);

#endif
