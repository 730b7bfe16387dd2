/* query.c - query parsing: the query's words, their terms, synonyms,
 * joined compounds, typo corrections and compound parts; "Mente du". */
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/util.h"
#include "search/index_int.h"

#define W_EXACT 1.0
#define W_PART 0.5    /* a compound part of a query or document word */
#define W_SYNONYM 0.8
#define W_FUZZY 0.35  /* below any exact or stemmed match */
#define W_PREFIX 0.7
#define W_VARIANT 0.9 /* the word read another way (hh_term_variants) */

static int collect_qword(void *p, const struct hh_token *t)
{
	struct query *q = p;
	if (t->part) {
		if (q->n_words && q->words[q->n_words - 1].n_parts < 3) {
			struct qword *w = &q->words[q->n_words - 1];
			memcpy(w->parts[w->n_parts++], t->term, HH_TERM_MAX);
		}
		return 0;
	}
	if (q->n_words == HH_QUERY_WORDS)
		return 1;
	struct qword *w = &q->words[q->n_words++];
	memset(w, 0, sizeof(*w));
	memcpy(w->word, t->word, sizeof(w->word));
	memcpy(w->term, t->term, sizeof(w->term));
	w->start = t->start;
	w->end = t->end;
	w->prefix_ok = t->prefix_ok;
	w->fuzzy_best = -1;
	w->tid = -1;
	w->stop = t->term[0] == 0;
	w->pos = t->pos;
	return 0;
}

static void add_qterm(struct query *q, uint32_t term, double w, uint32_t mask,
		      uint32_t slots, int fuzzy)
{
	for (int i = 0; i < q->n_terms; i++) {
		struct qterm *t = &q->terms[i];
		if (t->term == term) {
			if (w > t->w) {
				t->w = w;
				t->fuzzy = fuzzy;
			}
			t->mask |= mask;
			t->slots |= slots;
			t->syn = 0; /* the word itself too */
			return;
		}
	}
	if (q->n_terms == (int)(sizeof(q->terms) / sizeof(q->terms[0])))
		return;
	q->terms[q->n_terms++] = (struct qterm){ term, w, mask, slots, fuzzy, 0 };
}

/* A new part slot (struct qword), or 0 when all 32 are given out: the
 * evidence then still scores, but earns no credit of its own. */
static uint32_t new_slot(struct query *q)
{
	return q->n_slots < 32 ? 1u << q->n_slots++ : 0;
}

static size_t utf8_clip(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	size_t n = max;
	while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

/* The query's words as they are: their own terms, their terms inside
 * compounds, and the completions of the last word when it is a prefix. */
static void known_words(const struct hh_index *idx,
			const struct hh_search_query *sq, struct query *q)
{
	for (int i = 0; i < q->n_words; i++) {
		struct qword *w = &q->words[i];
		uint32_t bit = 1u << i;
		if (w->stop)
			goto prefix;
		w->tid = hh_ix_term_find(idx, w->term);
		if (w->tid >= 0 && hh_ix_df(idx, (uint32_t)w->tid, sq->staff)) {
			add_qterm(q, (uint32_t)w->tid, W_EXACT, bit, 0, 0);
			w->has_match = w->whole_known = 1;
		}
		/* the same word read otherwise, when the index does not know
		 * it as it is: an ending the stemmer or the digraphs hid
		 * (hh_term_variants; a stem or two, so not for every word) */
		char var[2][HH_TERM_MAX];
		int typing = sq->prefix_last && i == q->n_words - 1 && w->prefix_ok;
		int n_var = w->whole_known || typing
				    ? 0 /* a word being typed: its completions */
				    : hh_term_variants(w->word, strlen(w->word),
						       w->term, var);
		for (int k = 0; k < n_var; k++) {
			int32_t t = hh_ix_term_find(idx, var[k]);
			if (t < 0 || !hh_ix_df(idx, (uint32_t)t, sq->staff))
				continue;
			add_qterm(q, (uint32_t)t, W_VARIANT, bit, 0, 0);
			if (!w->whole_known)
				w->tid = t; /* for phrases and titles */
			w->has_match = w->whole_known = 1;
		}
		char as_part[HH_TERM_MAX + 1] = "~";
		memcpy(as_part + 1, w->term, HH_TERM_MAX - 1);
		as_part[HH_TERM_MAX] = 0;
		int32_t inside = hh_ix_term_find(idx, as_part); /* in compounds */
		if (inside >= 0 && hh_ix_df(idx, (uint32_t)inside, sq->staff)) {
			/* only a part of a document's compound: not the word */
			w->inside_slot = new_slot(q);
			add_qterm(q, (uint32_t)inside, W_PART, 0, w->inside_slot, 0);
			w->has_match = w->whole_known = 1;
		}
prefix:;
		int is_last_prefix = sq->prefix_last && i == q->n_words - 1 &&
				     w->prefix_ok;
		if (is_last_prefix) {
			char folded[HH_TERM_MAX];
			hh_fold_of(w->word, strlen(w->word), folded);
			uint32_t *pw = q->prefix_words;
			int n = hh_ix_prefix_terms(idx, folded, sq->staff, pw, 8);
			q->n_prefix_words = n;
			for (int k = 0; k < n; k++)
				add_qterm(q, idx->words[pw[k]].term, W_PREFIX, bit, 0, 0);
			if (n)
				w->has_match = w->whole_known = 1;
		}
	}
}

/* Synonyms: a rule's left side matching consecutive query words (stop
 * words skipped, as in the rules) adds its right side, counting as all
 * the words it covers. */
static void synonyms(const struct hh_index *idx, int staff, struct query *q)
{
	int content[HH_QUERY_WORDS], n_content = 0;
	/* s-fast: the first bytes of the query's terms; a rule whose left
	 * side (never empty: synonyms.c) starts otherwise matches nowhere,
	 * and is passed over without trying each place (hundreds of rules,
	 * a few words) */
	uint64_t first[4] = { 0 };
	for (int i = 0; i < q->n_words; i++)
		if (!q->words[i].stop) {
			unsigned char b = (unsigned char)q->words[i].term[0];
			first[b >> 6] |= 1ull << (b & 63);
			content[n_content++] = i;
		}
	if (idx->syn) {
		for (size_t r = 0; r < idx->syn->n; r++) {
			const struct hh_syn_rule *rule = &idx->syn->rules[r];
			unsigned char b = (unsigned char)rule->from.terms[0][0];
			if (!(first[b >> 6] >> (b & 63) & 1))
				continue;
			for (int i = 0; i + rule->from.n <= n_content; i++) {
				int k;
				for (k = 0; k < rule->from.n; k++) {
					const char *t = q->words[content[i + k]].term;
					/* most rules differ in the first letter */
					if (t[0] != rule->from.terms[k][0] ||
					    strcmp(t, rule->from.terms[k]))
						break;
				}
				if (k < rule->from.n)
					continue;
				uint32_t mask = 0;
				for (k = 0; k < rule->from.n; k++)
					mask |= 1u << content[i + k];
				for (k = 0; k < rule->to.n; k++) {
					int32_t t = hh_ix_term_find(idx, rule->to.terms[k]);
					if (t < 0 || !hh_ix_df(idx, (uint32_t)t, staff))
						continue;
					int before = q->n_terms;
					add_qterm(q, (uint32_t)t, W_SYNONYM, mask, 0, 0);
					if (q->n_terms > before) /* the synonym's alone */
						q->terms[before].syn = 1;
					for (int m = 0; m < rule->from.n; m++) {
						struct qword *cw = &q->words[content[i + m]];
						cw->has_match = cw->syn_covered = 1;
					}
				}
			}
		}
	}
}

/* Compounds written apart: "sundheds kort", "mit id", "have affald"
 * also look for the joined word (with a linking s or e too). */
static void joined_compounds(const struct hh_index *idx, int staff,
			     struct query *q)
{
	for (int i = 0; i + 1 < q->n_words; i++) {
		const struct qword *a = &q->words[i], *b = &q->words[i + 1];
		if (a->stop && b->stop)
			continue;
		static const char links[] = { 0, 's', 'e' };
		/* s-fast: the words copied once, not printed three times */
		size_t la = strlen(a->word), lb = strlen(b->word);
		char joined[2 * HH_WORD_MAX + 2], term[HH_TERM_MAX];
		if (la + 1 + lb >= sizeof(joined))
			continue;
		memcpy(joined, a->word, la);
		for (int l = 0; l < 3; l++) {
			size_t n = la;
			if (links[l])
				joined[n++] = links[l];
			memcpy(joined + n, b->word, lb + 1);
			n += lb;
			if (!n)
				continue;
			hh_term_of(joined, n, term);
			int32_t t = hh_ix_term_find(idx, term);
			if (t >= 0 && hh_ix_df(idx, (uint32_t)t, staff)) {
				add_qterm(q, (uint32_t)t, W_EXACT,
					  (1u << i) | (1u << (i + 1)), 0, 0);
				q->words[i].has_match = q->words[i + 1].has_match = 1;
				break;
			}
		}
	}
}

/* How many of the n terms in parts the index does not know (for the
 * caller: staff in all documents, the public in theirs). */
static int unknown_parts(const struct hh_index *idx, int staff,
			 const char parts[][HH_TERM_MAX], int n)
{
	int unknown = 0;
	for (int k = 0; k < n; k++) {
		int32_t t = hh_ix_term_find(idx, parts[k]);
		unknown += t < 0 || !hh_ix_df(idx, (uint32_t)t, staff);
	}
	return unknown;
}

/* s-compound: the split of a compound query word that the index has
 * evidence for. The analysis splits by the word list alone, which can
 * tie or misjudge: "sundhedskortets" is sundhed|skortets as well as
 * sundheds|kortets (the same score), and the first is its choice. When a
 * part of that split is a word no article uses, the splits with no more
 * parts are weighed by how many of their parts the articles use as
 * words, then by the word list's score; so the parts that stand in for
 * the word are words the articles use, where there is such a split. The
 * splits are those the analysis weighs, where a rest that is a word of
 * the list is not split further (børne|fødselsdag never becomes
 * børne|fødsels|dag, which would find any "dag"), and none with more
 * parts than the analysis's is weighed (nor looked for: a split into
 * two parts needs no search of the rest). Only for a word whose parts are its only evidence (the index
 * knows neither the word nor a synonym of it): where the articles have
 * the word, its parts mostly add to the scores of those that have it, and
 * a better split there moved a part's frequency into the order
 * ("handicapskilt": handicap|skilt lifted an article for "skilt" above
 * the one that says "handicapskilt" as often; make eval). And only when
 * the analysis's split has a part no article uses, so that most queries
 * split nothing again. */
static void evidenced_split(const struct hh_index *idx, int staff,
			    struct qword *w)
{
	int unknown = unknown_parts(idx, staff, w->parts, w->n_parts);
	if (!unknown)
		return;
	struct hh_split sp[8];
	int n = hh_compound_splits(idx->an, w->word, strlen(w->word), w->term,
				   w->n_parts, sp, 8);
	int best = -1;
	for (int j = 0; j < n && unknown; j++) {
		int u = unknown_parts(idx, staff, sp[j].parts, sp[j].n_parts);
		if (u < unknown) { /* splits come best score first */
			best = j;
			unknown = u;
		}
	}
	if (best < 0)
		return;
	w->n_parts = sp[best].n_parts;
	memcpy(w->parts, sp[best].parts, sizeof(w->parts));
}

/* A word the index does not know: a typo of a known word (børnebidarg)
 * or a compound written differently (adresseændring). A close known
 * word wins; otherwise its compound parts stand in for it. */
static void unknown_words(const struct hh_index *idx,
			  const struct hh_search_query *sq, struct query *q)
{
	for (int i = 0; i < q->n_words; i++) {
		struct qword *w = &q->words[i];
		uint32_t bit = 1u << i;
		if (w->stop)
			continue;
		if (w->whole_known || w->syn_covered)
			goto parts;
		size_t letters = hh_utf8_len(w->word);
		if (!sq->no_fuzzy && letters >= 5) {
			char folded[HH_TERM_MAX];
			hh_fold_of(w->word, strlen(w->word), folded);
			uint32_t fw[3];
			/* one edit first: a walk allowing two visits far more
			 * of the trie, and is needed only when one finds none */
			int n = hh_ix_fuzzy_terms(idx, folded, 1, sq->staff, fw, 3);
			if (!n && letters >= 9)
				n = hh_ix_fuzzy_terms(idx, folded, 2, sq->staff, fw, 3);
			for (int k = 0; k < n; k++)
				add_qterm(q, idx->words[fw[k]].term,
					  W_FUZZY / (1 + k), bit, 0, 1);
			if (n) {
				w->fuzzy_best = (int32_t)fw[0];
				w->has_match = 1;
				continue;
			}
		}
parts:;
		if (!w->whole_known && !w->syn_covered)
			evidenced_split(idx, sq->staff, w);
		/* the word's parts: each its own slot, and credit only when a
		 * document has them all (rank.c) */
		int all_parts = w->n_parts > 0, n_slots = 0;
		for (int k = 0; k < w->n_parts; k++) {
			int32_t t = hh_ix_term_find(idx, w->parts[k]);
			uint32_t slot = 0;
			if (t >= 0 && hh_ix_df(idx, (uint32_t)t, sq->staff) &&
			    (slot = new_slot(q))) {
				add_qterm(q, (uint32_t)t, W_PART, 0, slot, 0);
				w->part_slots |= slot;
				if (k == w->n_parts - 1) /* the head (s-trap) */
					w->head_slot = slot;
				n_slots++;
				w->has_match = 1;
			} else {
				all_parts = 0; /* a part nobody wrote: never together */
			}
		}
		if (all_parts && n_slots >= 2)
			w->part_need = w->part_slots;
		if (!w->has_match && hh_utf8_len(w->word) >= 8) {
			/* an unknown compound whose head is unknown too
			 * ("sundhedskortapp"): its longest known beginning, all
			 * there is of it */
			int32_t word = hh_ix_longest_prefix_word(idx, w->word, sq->staff);
			uint32_t slot;
			if (word >= 0 && (slot = new_slot(q))) {
				add_qterm(q, idx->words[word].term, W_PART, 0, slot, 0);
				w->part_slots = w->part_need = slot;
				w->has_match = 1;
			}
		}
	}
}

void hh_ix_parse_query(const struct hh_index *idx,
		       const struct hh_search_query *sq, struct query *q)
{
	/* not all of *q: the words are ~13 KB, filled as they come */
	q->n_words = q->n_terms = q->n_slots = q->n_prefix_words = 0;
	q->text = sq->text ? sq->text : "";
	size_t len = strlen(q->text);
	q->text_len = utf8_clip(q->text, len, HH_QUERY_MAX);
	q->clipped = q->text_len < len;
	hh_analyze_cached(idx->an, (struct hh_term_cache *)&idx->cache, q->text,
			  q->text_len,
			  HH_AN_COMPOUNDS | HH_AN_KEEP_STOP | HH_AN_CACHE_RO,
			  collect_qword, q);

	known_words(idx, sq, q);
	synonyms(idx, sq->staff, q);
	joined_compounds(idx, sq->staff, q);
	unknown_words(idx, sq, q);
}

const char *hh_ix_corrected(const struct hh_index *idx, const struct query *q,
			    struct hh_arena *a)
{
	struct hh_buf b;
	hh_buf_init(&b);
	size_t done = 0;
	int any = 0;
	for (int i = 0; i < q->n_words; i++) {
		const struct qword *w = &q->words[i];
		if (w->fuzzy_best < 0)
			continue;
		hh_buf_append(&b, q->text + done, w->start - done);
		hh_buf_puts(&b, idx->words[w->fuzzy_best].surface);
		done = w->end;
		any = 1;
	}
	hh_buf_append(&b, q->text + done, q->text_len - done);
	const char *s = any ? hh_arena_strdup(a, hh_buf_str(&b)) : NULL;
	hh_buf_clear(&b);
	return s;
}
