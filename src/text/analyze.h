/* analyze.h - Danish text analysis for search.
 *
 * Text is cut into words (letters, digits and combining marks), each word
 * lower-cased (NFC, utf8proc) and, unless it is a stop word, turned into a
 * term: ASCII digraphs are read as the letters they stand for (aa → å,
 * ae → æ, oe → ø), the word is stemmed (Snowball Danish) and the stem is
 * folded to plain letters (å → a, æ → a, ø → o, é → e ...). So "kørekort",
 * "koerekort" and "korekort" all give the term "korekort".
 *
 * Compounds: a word of 7+ letters that splits into two or three words of
 * the word list (with an optional linking s or e between them, each part
 * 3+ letters and not a stop word) also yields its parts' terms, marked as
 * parts, at the same position: "adresseændring" → "adresseandring" +
 * "adress" + "andring". */
#ifndef HH_ANALYZE_H
#define HH_ANALYZE_H

#include <stddef.h>
#include <stdint.h>

#include "text/wordset.h"

#define HH_TERM_MAX 64   /* bytes; longer words are cut */
#define HH_WORD_MAX 128  /* bytes of a lower-cased word */

struct hh_analyzer {
	struct hh_wordset dict;  /* compound parts; empty: no splitting */
	struct hh_wordset stop;  /* stop words, lower-cased */
};

struct hh_token {
	char term[HH_TERM_MAX];
	uint32_t pos;    /* word position; compound parts share the word's */
	int part;        /* 1: a part of a compound, 0: a whole word */
	int fresh;       /* first time this word went through the cache */
	int prefix_ok;   /* the word is the last of the text with no space
			    after it (search-as-you-type) */
	size_t start, end; /* byte offsets of the word in the text */
	char word[HH_WORD_MAX]; /* the lower-cased word (NFC) */
};

/* Sets up stop words; loads the compound word list from dict_path (NULL
 * or unreadable: no compound splitting; returns -1 then, else the count). */
long hh_analyzer_init(struct hh_analyzer *an, const char *dict_path);
void hh_analyzer_clear(struct hh_analyzer *an);

typedef int (*hh_token_cb)(void *ctx, const struct hh_token *t);

enum {
	HH_AN_COMPOUNDS = 1, /* emit compound parts */
	HH_AN_KEEP_STOP = 2, /* emit stop words too (flagged by empty term) */
	HH_AN_CACHE_RO = 4,  /* use the cache for lookups only: safe for many
				readers while nobody writes to it */
};

/* Analyses len bytes of UTF-8 text (invalid bytes separate words),
 * calling cb for each term in order; cb returns non-zero to stop.
 * Returns the number of words seen. Thread-safe. */
uint32_t hh_analyze(const struct hh_analyzer *an, const char *text, size_t len,
		    int flags, hh_token_cb cb, void *ctx);

/* A cache of word → term and compound parts, for indexing, where most
 * words repeat. Not thread-safe: the index uses it under its write lock. */
struct hh_term_cache {
	uint32_t *slots; /* offset + 1 into pool */
	size_t n_slots, n;
	char *pool;
	size_t pool_len, pool_cap;
};

void hh_term_cache_init(struct hh_term_cache *c);
void hh_term_cache_clear(struct hh_term_cache *c);

/* As hh_analyze, looking words up in cache first (cache may be NULL). */
uint32_t hh_analyze_cached(const struct hh_analyzer *an,
			   struct hh_term_cache *cache, const char *text,
			   size_t len, int flags, hh_token_cb cb, void *ctx);

/* The next word at or after byte *at: sets *start and *end (its bytes),
 * moves *at past it and returns 1; returns 0 when there is none. Words are
 * cut as hh_analyze cuts them, one position each. */
int hh_word_next(const char *text, size_t len, size_t *at, size_t *start,
		 size_t *end);
/* s-fast: skips up to n words from byte *at as hh_word_next would read
 * them one by one, *at moved past the last read; stops early at the end
 * of the text or at a word that ends after byte stop (read, not
 * counted). Returns how many were skipped. For snippets, which need the
 * bytes of the matched words only, within the piece shown. */
size_t hh_word_skip(const char *text, size_t len, size_t *at, size_t n,
		    size_t stop);

/* The term of one lower-cased word (translit, stem, fold) into out. */
void hh_term_of(const char *word, size_t len, char out[HH_TERM_MAX]);
/* Other terms the word may stand for, beside its term (from hh_term_of):
 * an ASCII word read without the digraphs aa, ae, oe ("dodsboet":
 * dødsbo|et, not dødsbøt), and the stem stemmed again ("licensen" gives
 * "licens", whose own stem is that of "licens"). Writes up to two, none
 * equal to term; returns how many. For queries only (s-rank). */
int hh_term_variants(const char *word, size_t len, const char *term,
		     char out[2][HH_TERM_MAX]);
/* s-compound: the ways a lower-cased word (len bytes) splits into two or
 * three words of the word list, as the analysis weighs them (its best is
 * the one hh_analyze gives): each split's parts as terms (a part equal to
 * the word's own term, from hh_term_of, left out), and the split's score
 * (the sum of the squared part lengths, a linking s or e with the part
 * before it). Splits of at most max_parts (2 or 3) parts; with 3, the
 * analysis's best is among them. Writes up to max splits into out, best
 * score first (ties: the analysis's choice first); returns how many. For
 * queries, which may prefer another split on the index's evidence
 * (search/query.c). */
struct hh_split {
	int n_parts;
	size_t score;
	char parts[3][HH_TERM_MAX];
};
int hh_compound_splits(const struct hh_analyzer *an, const char *word,
		       size_t len, const char *term, int max_parts,
		       struct hh_split *out, int max);
/* Folds without stemming (for prefix completion of a partial word). */
void hh_fold_of(const char *word, size_t len, char out[HH_TERM_MAX]);
int hh_is_stop(const struct hh_analyzer *an, const char *word, size_t len);

#endif
