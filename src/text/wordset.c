/* wordset.c - string set with open addressing (linear probing). */
#include "text/wordset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

uint64_t hh_hash_bytes(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
	return h ^ (h >> 29);
}

void hh_wordset_init(struct hh_wordset *s)
{
	memset(s, 0, sizeof(*s));
}

void hh_wordset_clear(struct hh_wordset *s)
{
	free(s->slots);
	free(s->pool);
	hh_wordset_init(s);
}

/* pool entries: 1 length byte + bytes (words are at most 255 bytes) */
static int slot_eq(const struct hh_wordset *s, uint32_t slot, const char *w,
		   size_t len)
{
	const unsigned char *e = (const unsigned char *)s->pool + slot - 1;
	return e[0] == len && memcmp(e + 1, w, len) == 0;
}

static void rehash(struct hh_wordset *s, size_t n_slots)
{
	uint32_t *old = s->slots;
	size_t old_n = s->n_slots;
	s->slots = hh_xcalloc(n_slots, sizeof(uint32_t));
	s->n_slots = n_slots;
	for (size_t i = 0; i < old_n; i++) {
		if (!old[i])
			continue;
		const unsigned char *e = (const unsigned char *)s->pool + old[i] - 1;
		size_t j = hh_hash_bytes((const char *)e + 1, e[0]) & (n_slots - 1);
		while (s->slots[j])
			j = (j + 1) & (n_slots - 1);
		s->slots[j] = old[i];
	}
	free(old);
}

int hh_wordset_has(const struct hh_wordset *s, const char *w, size_t len)
{
	if (!s->n_slots || len > 255)
		return 0;
	size_t j = hh_hash_bytes(w, len) & (s->n_slots - 1);
	while (s->slots[j]) {
		if (slot_eq(s, s->slots[j], w, len))
			return 1;
		j = (j + 1) & (s->n_slots - 1);
	}
	return 0;
}

int hh_wordset_add(struct hh_wordset *s, const char *w, size_t len)
{
	if (len == 0 || len > 255)
		return 0;
	if ((s->n + 1) * 2 > s->n_slots)
		rehash(s, s->n_slots ? s->n_slots * 2 : 1024);
	size_t j = hh_hash_bytes(w, len) & (s->n_slots - 1);
	while (s->slots[j]) {
		if (slot_eq(s, s->slots[j], w, len))
			return 0;
		j = (j + 1) & (s->n_slots - 1);
	}
	if (s->pool_len + len + 1 > s->pool_cap) {
		s->pool_cap = s->pool_cap ? s->pool_cap * 2 : 65536;
		while (s->pool_len + len + 1 > s->pool_cap)
			s->pool_cap *= 2;
		s->pool = hh_xrealloc(s->pool, s->pool_cap);
	}
	s->pool[s->pool_len] = (char)(unsigned char)len;
	memcpy(s->pool + s->pool_len + 1, w, len);
	s->slots[j] = (uint32_t)(s->pool_len + 1);
	s->pool_len += len + 1;
	s->n++;
	return 1;
}

long hh_wordset_load(struct hh_wordset *s, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char line[512];
	long n = 0;
	/* size the table for the file at once: no rehashing while loading */
	if (fseek(f, 0, SEEK_END) == 0) {
		long bytes = ftell(f);
		size_t want = 1024;
		while (bytes > 0 && want < (size_t)bytes / 4)
			want *= 2;
		if (want > s->n_slots)
			rehash(s, want);
		if ((size_t)bytes + 1 > s->pool_cap) {
			s->pool_cap = (size_t)bytes + 1;
			s->pool = hh_xrealloc(s->pool, s->pool_cap);
		}
		rewind(f);
	}
	while (fgets(line, sizeof(line), f)) {
		size_t l = strcspn(line, "\r\n");
		if (l && hh_wordset_add(s, line, l))
			n++;
	}
	fclose(f);
	return n;
}
