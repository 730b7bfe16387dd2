/* arena.h - per-request memory pool, freed at once (h2o's mem pool).
 *
 * Everything a request needs lives in its arena and is released by one
 * hh_arena_clear(). Objects the arena cannot hold (json_t, statements) are
 * registered with hh_arena_defer() and released at clear time, last first. */
#ifndef HH_ARENA_H
#define HH_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct hh_arena_chunk;
struct hh_arena_defer;

struct hh_arena {
	struct hh_arena_chunk *chunks;
	struct hh_arena_defer *defers;
};

void hh_arena_init(struct hh_arena *a);
/* Frees every allocation and runs the deferred functions (last first). */
void hh_arena_clear(struct hh_arena *a);

/* Returns n bytes aligned for any type, owned by the arena. Never NULL. */
void *hh_arena_alloc(struct hh_arena *a, size_t n);
void *hh_arena_calloc(struct hh_arena *a, size_t n);
char *hh_arena_strdup(struct hh_arena *a, const char *s);
char *hh_arena_strndup(struct hh_arena *a, const char *s, size_t n);
char *hh_arena_printf(struct hh_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Room for one more item in the arena array items holding n items of
 * size bytes, *cap of them allocated (0 at first: first are made): returns
 * items itself while there is room, else a copy twice as long (the old
 * one stays in the arena until it is cleared). Never NULL. */
void *hh_arena_grow(struct hh_arena *a, void *items, size_t n, size_t *cap,
		    size_t size, size_t first);

/* Runs fn(ptr) when the arena is cleared. */
void hh_arena_defer(struct hh_arena *a, void (*fn)(void *), void *ptr);

#endif
