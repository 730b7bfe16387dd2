/* arena.c - per-request memory pool: bump allocation in chunks. */
#include "core/arena.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_SIZE 8192
#define ALIGN 16

struct hh_arena_chunk {
	struct hh_arena_chunk *next;
	size_t used, size;
	_Alignas(ALIGN) unsigned char data[];
};

struct hh_arena_defer {
	struct hh_arena_defer *next;
	void (*fn)(void *);
	void *ptr;
};

void hh_arena_init(struct hh_arena *a)
{
	a->chunks = NULL;
	a->defers = NULL;
}

void hh_arena_clear(struct hh_arena *a)
{
	/* Deferred objects may point into chunks, so run them first. */
	while (a->defers) {
		struct hh_arena_defer *d = a->defers;
		a->defers = d->next;
		d->fn(d->ptr);
	}
	while (a->chunks) {
		struct hh_arena_chunk *c = a->chunks;
		a->chunks = c->next;
		free(c);
	}
}

void *hh_arena_alloc(struct hh_arena *a, size_t n)
{
	struct hh_arena_chunk *c = a->chunks;
	n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (!c || c->size - c->used < n) {
		size_t size = n > CHUNK_SIZE / 2 ? n : CHUNK_SIZE;
		c = hh_xmalloc(sizeof(*c) + size);
		c->size = size;
		c->used = 0;
		if (n > CHUNK_SIZE / 2 && a->chunks) {
			/* A big block goes behind the current chunk so the
			 * current one keeps serving small allocations. */
			c->next = a->chunks->next;
			a->chunks->next = c;
		} else {
			c->next = a->chunks;
			a->chunks = c;
		}
	}
	void *p = c->data + c->used;
	c->used += n;
	return p;
}

void *hh_arena_grow(struct hh_arena *a, void *items, size_t n, size_t *cap,
		    size_t size, size_t first)
{
	if (n < *cap)
		return items;
	size_t more = *cap ? *cap * 2 : first;
	void *v = hh_arena_alloc(a, more * size);
	if (n)
		memcpy(v, items, n * size);
	*cap = more;
	return v;
}

void *hh_arena_calloc(struct hh_arena *a, size_t n)
{
	void *p = hh_arena_alloc(a, n);
	memset(p, 0, n);
	return p;
}

char *hh_arena_strndup(struct hh_arena *a, const char *s, size_t n)
{
	char *p = hh_arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *hh_arena_strdup(struct hh_arena *a, const char *s)
{
	return hh_arena_strndup(a, s, strlen(s));
}

char *hh_arena_printf(struct hh_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *p = hh_arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void hh_arena_defer(struct hh_arena *a, void (*fn)(void *), void *ptr)
{
	struct hh_arena_defer *d = hh_arena_alloc(a, sizeof(*d));
	d->fn = fn;
	d->ptr = ptr;
	d->next = a->defers;
	a->defers = d;
}
