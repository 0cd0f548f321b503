/* symbols.h: the symbol extractor of the built-in workload.
 *
 * Python: class, def and async def with qualified names (Outer.inner).
 * C: function definitions, struct, union and enum definitions with a tag,
 * and typedef names. Lines are 1-based. */
#ifndef HARNESS_SYMBOLS_H
#define HARNESS_SYMBOLS_H

#include <stddef.h>

struct symbol {
	const char *kind;	/* static string */
	char *name;		/* owned */
	long line;
};

struct symlist {
	struct symbol *v;
	size_t n, cap;
};

enum symlang {
	SYMLANG_NONE,
	SYMLANG_PYTHON,
	SYMLANG_C
};

/* The language of a path by its suffix: .py, .c, .h. */
enum symlang symbols_lang(const char *path);
/* Extract the symbols of buf (len bytes) into an empty list l; returns 0,
 * or -1 when memory ran out (l then holds what was found). */
int symbols_extract(enum symlang, const char *buf, size_t len,
    struct symlist *l);
/* The list as a JSON array of {"kind","name","line"} in a malloc'd,
 * NUL-terminated string (length in *len); NULL when memory ran out. */
char *symbols_json(const struct symlist *l, size_t *len);
void symbols_free(struct symlist *l);

#endif
