/* strtab: open-addressing hash table of byte strings, keys in arena chunks. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strtab.h"

/* Keys live in arena chunks so that many small keys cost little. */
#define ARENA_CHUNK	(64 * 1024)

struct chunk {
	struct chunk	*next;
	size_t		 used, size;
	char		 data[];
};

struct strtab {
	struct strtab_ent *slots;
	size_t		 cap, n;
	struct chunk	*chunks;
};

unsigned long long
strtab_hash(const char *p, size_t len)
{
	uint64_t h = 0x243f6a8885a308d3ULL ^ (len * 0x9e3779b97f4a7c15ULL);
	uint64_t w;

	while (len >= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
		p += 8;
		len -= 8;
	}
	w = 0;
	memcpy(&w, p, len);
	h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ULL;
	h ^= h >> 32;
	return h;
}

struct strtab *
strtab_new(void)
{
	struct strtab *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->cap = 64;
	if ((t->slots = calloc(t->cap, sizeof(*t->slots))) == NULL) {
		free(t);
		return NULL;
	}
	return t;
}

void
strtab_free(struct strtab *t)
{
	struct chunk *c, *next;

	if (t == NULL)
		return;
	for (c = t->chunks; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(t->slots);
	free(t);
}

size_t
strtab_count(const struct strtab *t)
{
	return t->n;
}

void
strtab_foreach(struct strtab *t, void (*fn)(struct strtab_ent *))
{
	size_t i;

	for (i = 0; i < t->cap; i++)
		if (t->slots[i].key != NULL)
			fn(&t->slots[i]);
}

static char *
strtab_store(struct strtab *t, const char *key, size_t len)
{
	struct chunk *c = t->chunks;
	char *p;

	if (c == NULL || c->size - c->used < len + 1) {
		size_t sz = len + 1 > ARENA_CHUNK ? len + 1 : ARENA_CHUNK;

		if ((c = malloc(sizeof(*c) + sz)) == NULL)
			return NULL;
		c->used = 0;
		c->size = sz;
		/* Keep a partly used chunk in front only if it has more room. */
		if (t->chunks != NULL && len + 1 >= ARENA_CHUNK) {
			c->next = t->chunks->next;
			t->chunks->next = c;
		} else {
			c->next = t->chunks;
			t->chunks = c;
		}
	}
	p = c->data + c->used;
	if (len > 0)
		memcpy(p, key, len);
	p[len] = '\0';
	c->used += len + 1;
	return p;
}

static int
strtab_grow(struct strtab *t)
{
	struct strtab_ent *old = t->slots, *slots;
	size_t i, j, cap = t->cap * 2;

	if ((slots = calloc(cap, sizeof(*slots))) == NULL)
		return -1;
	for (i = 0; i < t->cap; i++) {
		if (old[i].key == NULL)
			continue;
		for (j = old[i].hash & (cap - 1); slots[j].key != NULL;
		    j = (j + 1) & (cap - 1))
			;
		slots[j] = old[i];
	}
	free(old);
	t->slots = slots;
	t->cap = cap;
	return 0;
}

struct strtab_ent *
strtab_get(struct strtab *t, const char *key, size_t len, int *created)
{
	return strtab_get_h(t, key, len, strtab_hash(key, len), created);
}

struct strtab_ent *
strtab_get_h(struct strtab *t, const char *key, size_t len,
    unsigned long long h, int *created)
{
	struct strtab_ent *e;
	size_t i;

	if (created != NULL)
		*created = 0;
	for (i = h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
		e = &t->slots[i];
		if (e->key == NULL)
			break;
		if (e->hash == h && e->len == len &&
		    memcmp(e->key, key, len) == 0)
			return e;
	}
	if (created == NULL)
		return NULL;
	if ((t->n + 1) * 2 > t->cap) {
		if (strtab_grow(t) == -1)
			return NULL;
		for (i = h & (t->cap - 1); t->slots[i].key != NULL;
		    i = (i + 1) & (t->cap - 1))
			;
		e = &t->slots[i];
	}
	if ((e->key = strtab_store(t, key, len)) == NULL)
		return NULL;
	e->len = len;
	e->hash = h;
	e->val = NULL;
	e->n = 0;
	t->n++;
	*created = 1;
	return e;
}

static int
strtab_cmp(const void *a, const void *b)
{
	const struct strtab_ent *x = *(const struct strtab_ent *const *)a;
	const struct strtab_ent *y = *(const struct strtab_ent *const *)b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = n ? memcmp(x->key, y->key, n) : 0;

	if (c != 0)
		return c;
	return (x->len > y->len) - (x->len < y->len);
}

struct strtab_ent **
strtab_sorted(const struct strtab *t)
{
	struct strtab_ent **v;
	size_t i, k = 0;

	if ((v = calloc(t->n + 1, sizeof(*v))) == NULL)
		return NULL;
	for (i = 0; i < t->cap; i++)
		if (t->slots[i].key != NULL)
			v[k++] = &t->slots[i];
	qsort(v, k, sizeof(*v), strtab_cmp);
	return v;
}
