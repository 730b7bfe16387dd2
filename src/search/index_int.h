/* index_int.h - the search index's private structures and the functions
 * its files share (index.c, postings.c, trie.c, query.c, rank.c, snippet.c).
 *
 * Nothing outside src/search/ includes this: the public interface is
 * index.h. The functions here take no lock: the caller holds the index's
 * lock, the write lock for those that change the index (hh_index_put and
 * the other writers in index.c), the read lock at least for the others;
 * hh_ix_plain_text reads no index. */
#ifndef HH_INDEX_INT_H
#define HH_INDEX_INT_H

#include <pthread.h>
#include <stdint.h>

#include "core/arena.h"
#include "search/index.h"
#include "text/analyze.h"

enum { F_TITLE, F_KEYWORDS, F_SUMMARY, F_BODY, N_FIELDS };

/* A posting in two parts: what scoring reads for every posting (the
 * document and its precomputed BM25F impact), 8 bytes in an array of its
 * own, and what only the top candidates need (frequencies per field,
 * positions), packed into the term's byte stream (s-speed):
 *
 *   a byte: bits 0-3 the fields (bit f: tf2[f] > 0); bit 4 (TF_COUNTED)
 *   set: tf2[f] is the count of positions in field f times 2 (every hit
 *   a whole word) or, with bit 5 (TF_PARTS) also set, times 1 (every
 *   hit a compound part), as for most postings; bit 4 clear: tf2[f] of
 *   each field with its bit set follows; then the positions up to the
 *   next record (or the stream's end); all as varints (7 bits a byte,
 *   low bits first, the top bit: more follow).
 *
 * Positions ascend, by field, then word. The first of a field is
 * word << 3 | field << 1 | 1; the next ones in the same field are the
 * difference to the word before, << 1: most take a byte. Decoded by
 * hh_ix_posting_at for the few postings a search reads whole (title
 * tiers, proximity, snippets) and by the norms' recompute. */
struct hot {
	uint32_t doc;
	float imp; /* tfw / (K1 + tfw), tfw the length-normalised field sum */
};

/* A posting's cold part, decoded: borrowed from its term's stream, valid
 * while the caller holds the index's lock. Its frequencies per field
 * (tf2: 2 per whole word, 1 per compound part) are hh_ix_posting_tf2's. */
struct posting {
	const uint8_t *pos, *end; /* the positions' varints */
};
#define TF_COUNTED 0x10
#define TF_PARTS 0x20

#define HH_IX_FIELD_SHIFT 24 /* a position's field: its top byte */

struct term {
	char *str;
	char *surface; /* a word that gave this term, for "Mente du" */
	uint32_t df;   /* live documents */
	uint32_t pdf;  /* live documents the public may read (not staff
			  articles): the public's vocabulary */
	struct hot *h;  /* n of each, in document order */
	uint32_t *cold_off; /* where each posting's record starts in cold */
	uint8_t *cold;      /* the postings' records, in document order */
	uint32_t n, cap;
	uint32_t cold_len, cold_cap;
	uint32_t n_pos; /* positions in the records (hh_index_stats) */
	/* s-p99: no live posting's impact is above this (for pruning; it
	 * may be above all of them after a removal) */
	float max_imp;
};

struct ckpt {
	uint32_t pos, off; /* a word position of the body and its byte offset */
};
#define CKPT_EVERY 16 /* words between snippet checkpoints (s-score: 32
			 * before; half the words a snippet skips from one, for
			 * 0.5 MB more at 10,000 articles) */

struct doc {
	int64_t id, org_id;
	char *slug, *title, *summary, *text, *kle, *org_code, *org_name;
	uint8_t agency, status, audience; /* live: DM_LIVE in its dmeta */
	uint8_t kind; /* enum hh_doc_kind (s-self) */
	int8_t kle_group; /* the first two digits of the KLE number; -1: none */
	uint16_t flen[N_FIELDS];
	double chosen;
	/* its term ids ascending, each the difference to the one before as
	 * a varint (struct hot); for removal and its impacts (s-speed) */
	uint8_t *terms;
	uint32_t n_terms, terms_len;
	int32_t next_same_slug; /* -1: none */
	uint8_t org_slot;
	struct ckpt *ckpt; /* where word k*CKPT_EVERY of the text starts */
	uint32_t n_ckpt;
	uint32_t text_len, summary_len;
};

/* What the scoring loop needs of a document, 8 bytes each: the documents'
 * own structs are ten times that and another cache line each. */
enum {
	DM_LIVE = 1,
	DM_SHARED = 2,     /* no owner: shared by all */
	DM_LOCAL = 4,      /* a municipality's own article */
	DM_MAY_BE_OVERRIDDEN = 8, /* shared, and a local article has its slug */
	DM_STAFF = 16,     /* for staff only */
	/* s-self: the document's kind (none of the two: an article), for
	 * the kinds filter and for any weight ranking gives a kind */
	DM_GUIDE = 32,
	DM_SERVICE = 64,
};
#define DM_KINDS (DM_GUIDE | DM_SERVICE)

/* The kind of a document from its dmeta flags (s-self). */
static inline enum hh_doc_kind hh_ix_kind_of(uint8_t flags)
{
	return (flags & DM_SERVICE) ? HH_DOC_SERVICE
	       : (flags & DM_GUIDE) ? HH_DOC_GUIDE
				     : HH_DOC_ARTICLE;
}
#define ORG_SLOTS 255 /* organisations with a facet slot; 255: look it up */

struct dmeta {
	uint8_t flags, audience;
	uint16_t fclass; /* its facet values (struct fclass); 0: read the doc */
	float boost;     /* from how often the article was chosen */
};

/* A combination of facet values (KLE group, audience, owner): counting a
 * document's class is one add where its three values are three. */
#define FCLASSES 1024
struct fclass {
	int8_t kle_group;
	uint8_t audience, org_slot;
};

/* A word as written in the articles, folded (the trie's key), and the
 * term it gives. Typo tolerance and completion work on these words, not
 * on stems: a typo changes the stem (plejeboilg is 3 edits from the stem
 * plejebo, 1 from the word plejebolig). */
struct word {
	char *surface; /* lower-cased, as written */
	uint32_t term;
	/* written in a public (citizen) article at some time: only such
	 * words are offered to the public as completions and corrections
	 * (a word is never unmarked; with its term's pdf 0 it is not
	 * offered either) */
	uint8_t pub;
};

struct trie_node {
	uint32_t child, sibling; /* 0: none (node 0 is the root) */
	int32_t term;            /* the word id; -1: none */
	unsigned char c;
	/* s-speed: the bytes of the longest word below this node beyond it
	 * (at most 255): the typo walk leaves a subtree whose words are all
	 * too short to be within its edits of the query word */
	uint8_t rest;
};

/* An entry of the word map (postings.c): a word as written and its terms. */
struct wentry {
	uint32_t key; /* offset + 1 into wpool: a length byte, the bytes */
	uint32_t n;   /* term ids: 0 (a stop word), the word's, its parts' */
	uint32_t ids[4];
	uint32_t word; /* the word's id in the trie + 1; 0: none */
	uint8_t pub;   /* the word is marked public already (words[].pub) */
};

struct hh_index {
	pthread_rwlock_t lock;
	const struct hh_analyzer *an;
	const struct hh_synonyms *syn;
	struct doc *docs;
	uint32_t n_docs, cap_docs, live, dead;
	double sum_len[N_FIELDS];
	struct term *terms;
	uint32_t n_terms, cap_terms;
	uint32_t *thash; /* term id + 1 */
	size_t n_thash;
	int64_t *idmap_keys; /* article id → doc, open addressing */
	uint32_t *idmap_vals;
	size_t n_idmap, used_idmap;
	char **slug_keys; /* slug → first doc with it */
	int32_t *slug_vals;
	size_t n_slugmap, used_slugmap;
	struct trie_node *trie;
	uint32_t n_trie, cap_trie;
	struct word *words;
	uint32_t n_words, cap_words;
	struct hh_term_cache cache; /* analysis of words seen while indexing */
	struct wentry *wmap; /* words as written → terms (indexing) */
	size_t n_wmap, used_wmap;
	char *wpool;
	size_t wpool_len, wpool_cap;
	uint32_t *tslot; /* term → its doc_term + 1 in the put under way */
	size_t cap_tslot;
	/* Per document: field weight / BM25 length norm (N_FIELDS each),
	 * with the average lengths of the last recompute, and what scoring
	 * and filtering read. */
	float *dw;
	struct dmeta *dm;
	uint32_t norms_live; /* live count at the last recompute */
	int stale; /* norms and impacts await a recompute (atomic reads) */
	int64_t org_ids[ORG_SLOTS]; /* facet slot → organisation */
	char *org_codes[ORG_SLOTS];
	int n_org_slots;
	struct fclass fclasses[FCLASSES]; /* [0] unused */
	uint16_t *fclass_of; /* (kle_group + 1, audience, slot) → class */
	int n_fclasses;
	float max_boost; /* s-p99: no document's boost is above this */
};

/* ---- the parsed query (query.c), read by rank.c and snippet.c ---------- */

struct qword {
	char word[HH_WORD_MAX];
	char term[HH_TERM_MAX];
	size_t start, end;
	int32_t tid;
	int has_match; /* some term of the word (or its parts) is known */
	int prefix_ok;
	int32_t fuzzy_best; /* word id of the best correction, -1: none */
	int whole_known;    /* the word's own term is in the index */
	int syn_covered;    /* a synonym rule matched the word */
	int stop;           /* a stop word: kept only for joining compounds */
	uint32_t pos;       /* word position in the query */
	char parts[3][HH_TERM_MAX];
	int n_parts;
	/* Evidence below the whole word (rank.c reads it per candidate):
	 * the slot bit of the word found inside a document's compound
	 * ("~term"), and the slot bits of the word's own compound parts,
	 * which count only all together (hunde|lort: "hunde" alone in
	 * "røde hunde" is at most weak evidence). 0: none. */
	uint32_t inside_slot, part_slots;
	uint32_t part_need; /* the part slots that stand in for the word
			       together; 0: its parts never do */
	uint32_t head_slot; /* s-trap: the slot of its head (last part),
			       the one part that alone is weak evidence;
			       0: none (the head unknown) */
	float idf;        /* the word's weight for strength (rank.c) */
};

struct qterm {
	uint32_t term;
	double w;
	uint32_t mask;  /* words matched whole by this term */
	uint32_t slots; /* part slots (struct qword) this term fills */
	int fuzzy;
	int syn; /* only a synonym's: not the word itself (title tiers) */
};

struct query {
	struct qword words[HH_QUERY_WORDS];
	int n_words;
	struct qterm terms[96];
	int n_terms;
	int n_slots; /* part slots given out, at most 32 */
	int clipped;
	const char *text;
	size_t text_len;
	/* s-fast: the completions of the last word (hh_ix_prefix_terms, word
	 * ids), when the query reads it as a prefix: search-as-you-type
	 * offers them without walking the trie again */
	uint32_t prefix_words[8];
	int n_prefix_words;
};

/* ---- shared helpers --------------------------------------------------- */

/* In how many live documents the caller can find term t: staff in all,
 * the public only in citizen articles. Everything that offers or
 * recognises words for a caller (completion, "Mente du", which words
 * count as known) reads this, so that a word of staff articles alone is
 * never shown to the public, nor betrayed by a missing correction. */
static inline uint32_t hh_ix_df(const struct hh_index *idx, uint32_t t,
				int staff)
{
	return staff ? idx->terms[t].df : idx->terms[t].pdf;
}

/* May word w be offered to the caller? */
static inline int hh_ix_word_ok(const struct hh_index *idx, uint32_t w,
				int staff)
{
	const struct word *wd = &idx->words[w];
	return hh_ix_df(idx, wd->term, staff) && (staff || wd->pub);
}

/* A varint of a posting record (struct hot), *p moved past it. */
static inline uint32_t hh_ix_varint(const uint8_t **p)
{
	const uint8_t *s = *p;
	uint32_t v = s[0];
	if (v < 0x80) {
		*p = s + 1;
		return v;
	}
	v &= 0x7f;
	int shift = 7;
	uint8_t b;
	s++;
	do {
		b = *s++;
		v |= (uint32_t)(b & 0x7f) << shift;
		shift += 7;
	} while (b & 0x80);
	*p = s;
	return v;
}

/* The cold part of term tm's k-th posting, decoded into *out. */
static inline void hh_ix_posting_at(const struct term *tm, uint32_t k,
				    struct posting *out)
{
	const uint8_t *s = tm->cold + tm->cold_off[k];
	unsigned fm = *s++;
	if (!(fm & TF_COUNTED))
		for (int f = 0; f < N_FIELDS; f++)
			if ((fm >> f) & 1)
				hh_ix_varint(&s);
	out->pos = s;
	out->end = tm->cold + (k + 1 < tm->n ? tm->cold_off[k + 1] : tm->cold_len);
}

/* The field bits of term tm's k-th posting (bit f: tf2[f] > 0), without
 * decoding the rest. */
static inline unsigned hh_ix_posting_fields(const struct term *tm, uint32_t k)
{
	return tm->cold[tm->cold_off[k]] & 0xf;
}

/* The positions of a decoded posting, in order: hh_ix_pos_next gives the
 * next in it->cur (field << HH_IX_FIELD_SHIFT | word) and returns 1, or
 * returns 0 at the end. */
struct pos_iter {
	const uint8_t *p, *end;
	uint32_t cur;
};

static inline void hh_ix_pos_init(struct pos_iter *it, const struct posting *p)
{
	it->p = p->pos;
	it->end = p->end;
	it->cur = 0;
}

static inline int hh_ix_pos_next(struct pos_iter *it)
{
	if (it->p >= it->end)
		return 0;
	uint32_t c = hh_ix_varint(&it->p);
	if (c & 1)
		it->cur = ((c >> 1) & 3) << HH_IX_FIELD_SHIFT | c >> 3;
	else
		it->cur += c >> 1;
	return 1;
}

/* The frequencies per field of term tm's k-th posting (struct hot). */
static inline void hh_ix_posting_tf2(const struct term *tm, uint32_t k,
				     uint16_t tf2[N_FIELDS])
{
	const uint8_t *s = tm->cold + tm->cold_off[k];
	unsigned fm = *s;
	if (!(fm & TF_COUNTED)) {
		s++;
		for (int f = 0; f < N_FIELDS; f++)
			tf2[f] = (fm >> f) & 1 ? (uint16_t)hh_ix_varint(&s) : 0;
		return;
	}
	uint32_t n[N_FIELDS] = { 0 };
	struct posting p;
	struct pos_iter it;
	hh_ix_posting_at(tm, k, &p);
	hh_ix_pos_init(&it, &p);
	while (hh_ix_pos_next(&it))
		n[it.cur >> HH_IX_FIELD_SHIFT]++;
	uint32_t unit = fm & TF_PARTS ? 1 : 2;
	for (int f = 0; f < N_FIELDS; f++)
		tf2[f] = (uint16_t)(n[f] * unit);
}

/* The index of term tm's posting for document doc, or -1 (binary search:
 * the postings are in document order). Per candidate and query term in
 * ranking and snippets, so here to stay inlined. */
static inline int64_t find_posting_k(const struct term *tm, uint32_t doc)
{
	uint32_t lo = 0, hi = tm->n;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (tm->h[mid].doc < doc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < tm->n && tm->h[lo].doc == doc ? (int64_t)lo : -1;
}

/* Term tm's posting for document doc decoded into *out; returns 0 when
 * the document has none. */
static inline int find_posting(const struct term *tm, uint32_t doc,
			       struct posting *out)
{
	int64_t k = find_posting_k(tm, doc);
	if (k < 0)
		return 0;
	hh_ix_posting_at(tm, (uint32_t)k, out);
	return 1;
}

/* index.c: the term table and the slug map. */
int32_t hh_ix_term_find(const struct hh_index *idx, const char *s);
/* The term s, added (with surface as its "Mente du" word) if new. */
uint32_t hh_ix_term_get(struct hh_index *idx, const char *s,
			const char *surface);
/* The newest document with the slug, or -1; the others follow through
 * next_same_slug. */
int32_t hh_ix_slug_first(const struct hh_index *idx, const char *slug);

/* trie.c: the trie of the words as written (typo tolerance, prefixes).
 * A new node (the first call makes the root, node 0); returns its id. */
uint32_t hh_ix_trie_new_node(struct hh_index *idx, unsigned char c);
/* s-last: the nodes renumbered, each node's children side by side */
void hh_ix_trie_relayout(struct hh_index *idx);
/* Adds the folded word s (giving term, written as surface) if new;
 * returns its word id. */
uint32_t hh_ix_trie_insert(struct hh_index *idx, const char *s, uint32_t term,
			   const char *surface);
/* Up to max_out word ids within maxd edits of the folded word q, closest
 * and most frequent first, one per term; returns how many. Only words
 * the caller may be offered (staff: all; hh_ix_word_ok). */
int hh_ix_fuzzy_terms(const struct hh_index *idx, const char *q, int maxd,
		      int staff, uint32_t *out, int max_out);
/* Up to max_out (at most 64) word ids starting with the folded prefix,
 * most frequent first, that the caller may be offered; returns how many. */
int hh_ix_prefix_terms(const struct hh_index *idx, const char *prefix,
		       int staff, uint32_t *out, int max_out);
/* The longest known word (5+ letters) that word begins with, or -1. */
int32_t hh_ix_longest_prefix_word(const struct hh_index *idx,
				  const char *word, int staff);

/* postings.c: indexes the fields of document di, the newest (title,
 * keywords, summary, body text; NULL: empty), appending its postings. */
void hh_ix_postings_add(struct hh_index *idx, uint32_t di,
			const char *const fields[N_FIELDS]);
/* Drops the postings of removed documents. */
void hh_ix_compact_locked(struct hh_index *idx);
/* Gives back what the postings' arrays hold beyond their use (after a
 * bulk load, from hh_index_settle). */
void hh_ix_postings_trim(struct hh_index *idx);
/* Writes one posting record (struct hot) for tf2 and the npos ascending
 * positions pos (field << HH_IX_FIELD_SHIFT | word) at out, which has
 * room for HH_IX_RECORD_MAX(npos) bytes; returns its length. */
#define HH_IX_RECORD_MAX(npos) (1 + 3 * N_FIELDS + 5 + 5 * (size_t)(npos))
size_t hh_ix_record_put(uint8_t *out, const uint16_t tf2[N_FIELDS],
			const uint32_t *pos, uint32_t npos);

/* rank.c: every live document's norms and every posting's impact with
 * the current average lengths; clears idx->stale. */
void hh_ix_norms_locked(struct hh_index *idx);
/* The norms of the document just added, and its postings' impacts. */
void hh_ix_norm_new_doc(struct hh_index *idx, uint32_t di);

/* query.c: parses sq->text (borrowed by q) into q's words and terms. */
void hh_ix_parse_query(const struct hh_index *idx,
		       const struct hh_search_query *sq, struct query *q);
/* The query text with its typo corrections, in a; NULL without any. */
const char *hh_ix_corrected(const struct hh_index *idx, const struct query *q,
			    struct hh_arena *a);

/* snippet.c: the words of Markdown md as plain text; returns new (the
 * caller frees). */
char *hh_ix_plain_text(const char *md);
/* A snippet of document di for q, HTML-escaped, matches in <mark>; in a. */
const char *hh_ix_snippet(const struct hh_index *idx, uint32_t di,
			  const struct query *q, struct hh_arena *a);

#endif
