/* strtab: a hash table from byte strings to a caller-defined value. */
#ifndef EXTRACT_STRTAB_H
#define EXTRACT_STRTAB_H

/*
 * Keys are any bytes, NUL included; they are copied, and the table owns
 * them.
 */
struct strtab;

/* One entry; key and len are read-only for the caller, val is theirs. */
struct strtab_ent {
	const char	*key;
	size_t		 len;
	unsigned long long hash;
	void		*val;
	unsigned long long n;	/* a counter for the caller */
};

/* An empty table; NULL when out of memory. */
struct strtab	*strtab_new(void);
/* Free t and its keys, not the values; NULL is fine. */
void		 strtab_free(struct strtab *);

/*
 * Find key; when absent and created is not NULL, add it with val NULL and n 0 and
 * set *created.  Returns NULL when absent (lookup only) or out of memory.
 */
struct strtab_ent *strtab_get(struct strtab *, const char *, size_t, int *created);
/* The same, with the key's strtab_hash() already known. */
struct strtab_ent *strtab_get_h(struct strtab *, const char *, size_t,
		    unsigned long long hash, int *created);
/* The hash of a key, as strtab_get_h wants it. */
unsigned long long strtab_hash(const char *, size_t);
/* The number of entries. */
size_t		 strtab_count(const struct strtab *);
/* Call fn on every entry, in no order. */
void		 strtab_foreach(struct strtab *, void (*fn)(struct strtab_ent *));

/* Entries sorted by key bytes (shorter first on a common prefix); caller frees. */
struct strtab_ent **strtab_sorted(const struct strtab *);

#endif
