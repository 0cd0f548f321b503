/* tree: a second, whole read of the few lines whose sections need more. */
#ifndef EXTRACT_TREE_H
#define EXTRACT_TREE_H

/*
 * Needs <yajl/yajl_tree.h> and event.h included first.  The line parser
 * keeps only the fields read on every line; a run start, a database
 * sample or a database info line is read again whole into a yajl tree
 * when a section asks for a field of it.
 */

/*
 * The len bytes of a line the line parser accepted, as a tree in *out
 * (the caller frees it with yajl_tree_free).  Invalid UTF-8 in strings
 * reads as U+FFFD, and so does a \u0000 escape in a key or a string (a
 * yajl tree would end it there).  Returns 0, or -1 when out of memory.
 */
int	 tree_parse(const unsigned char *line, size_t len, yajl_val *out);

/*
 * The value at path (keys, NULL-terminated) under v; of a key repeated
 * in one object, the last, as the line parser reads it.  NULL when
 * absent or when v or a step is not an object.
 */
yajl_val tree_get(yajl_val v, const char *const *path);

/* v as the line parser keeps a field (an array: its length); NULL: absent. */
void	 tree_field(yajl_val v, struct field *out);

#endif
