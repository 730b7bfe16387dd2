/* wordset.h - a read-only set of strings: open addressing over one block.
 * Built once (not thread-safe while adding), then shared by all threads. */
#ifndef HH_WORDSET_H
#define HH_WORDSET_H

#include <stddef.h>
#include <stdint.h>

struct hh_wordset {
	uint32_t *slots; /* offset + 1 into pool, 0 = empty */
	size_t n_slots, n;
	char *pool;
	size_t pool_len, pool_cap;
};

void hh_wordset_init(struct hh_wordset *s);
void hh_wordset_clear(struct hh_wordset *s);
/* Adds the len bytes at w (a copy is kept). Returns 1 if new. */
int hh_wordset_add(struct hh_wordset *s, const char *w, size_t len);
int hh_wordset_has(const struct hh_wordset *s, const char *w, size_t len);
/* Loads a word list, one UTF-8 word a line, lower-cased as given. Returns
 * the number of words, or -1 if the file cannot be read. */
long hh_wordset_load(struct hh_wordset *s, const char *path);
uint64_t hh_hash_bytes(const char *p, size_t n);

#endif
