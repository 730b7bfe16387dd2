/* rank.c - BM25F ranking: length norms and posting impacts, scoring,
 * visibility, top-k with the proximity boost, facets; the search and
 * search-as-you-type. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "search/index_int.h"

/* Field weights and BM25 parameters, tuned on the evaluation set. */
static const double field_weight[N_FIELDS] = { 4.0, 3.0, 1.5, 1.0 };
static const double field_b[N_FIELDS] = { 0.5, 0.4, 0.6, 0.75 };
#define K1 1.2
#define RERANK 50     /* candidates given the proximity boost */
#define TITLE_CHECK 10 /* the best of them whose titles are compared */

/* Document di's field weight / BM25 length norm, per field, with the
 * current average lengths. */
static void norm_doc(struct hh_index *idx, uint32_t di)
{
	double n = idx->live ? idx->live : 1;
	for (int f = 0; f < N_FIELDS; f++) {
		double avg = idx->sum_len[f] > 0 ? idx->sum_len[f] / n : 1;
		double norm = 1.0 - field_b[f] + field_b[f] * idx->docs[di].flen[f] / avg;
		idx->dw[di * N_FIELDS + f] = (float)(field_weight[f] * 0.5 / norm);
	}
}

/* A posting's BM25F impact: its normalised, weighted frequency, saturated
 * by K1. */
static float impact(const struct hh_index *idx, uint32_t doc,
		    const uint16_t tf2[N_FIELDS])
{
	const float *w = idx->dw + (size_t)doc * N_FIELDS;
	float tfw = w[0] * tf2[0] + w[1] * tf2[1] + w[2] * tf2[2] +
		    w[3] * tf2[3];
	return tfw / ((float)K1 + tfw);
}

/* Posting k of tm (of doc) gets its impact; tm's max_imp (s-p99) follows. */
static void set_impact(const struct hh_index *idx, struct term *tm,
		       uint32_t k, uint32_t doc)
{
	uint16_t tf2[N_FIELDS];
	hh_ix_posting_tf2(tm, k, tf2);
	tm->h[k].imp = impact(idx, doc, tf2);
	if (tm->h[k].imp > tm->max_imp)
		tm->max_imp = tm->h[k].imp;
}

/* Every live document's norms with the current average lengths, and the
 * impacts of all postings with them. */
void hh_ix_norms_locked(struct hh_index *idx)
{
	for (uint32_t i = 0; i < idx->n_docs; i++)
		if (idx->dm[i].flags & DM_LIVE)
			norm_doc(idx, i);
	for (uint32_t t = 0; t < idx->n_terms; t++) {
		struct term *tm = &idx->terms[t];
		tm->max_imp = 0;
		for (uint32_t k = 0; k < tm->n; k++)
			if (idx->dm[tm->h[k].doc].flags & DM_LIVE)
				set_impact(idx, tm, k, tm->h[k].doc);
	}
	idx->norms_live = idx->live;
	__atomic_store_n(&idx->stale, 0, __ATOMIC_RELEASE);
}

/* Document di's norms with the current averages, and the impacts of its
 * postings (the last of their terms: di was just added). */
void hh_ix_norm_new_doc(struct hh_index *idx, uint32_t di)
{
	const struct doc *d = &idx->docs[di];
	norm_doc(idx, di);
	const uint8_t *tp = d->terms;
	for (uint32_t i = 0, t = 0; i < d->n_terms; i++) {
		t += hh_ix_varint(&tp);
		set_impact(idx, &idx->terms[t], idx->terms[t].n - 1, di);
	}
}

/* Bits 0-30 of a document's mask: the query words it matched whole; bit
 * 31: it matched some term other than a typo correction; bits 32-63: the
 * part slots it filled (struct qword). */
#define EXACT_BIT (1u << 31)

/* What a query word earns from a document, by the evidence (see
 * docs/search.md, "Ranking rules"): the word itself (stemmed, a typo
 * correction, a synonym, the joined compound) is full credit; the word
 * found only as a part of the document's compound, or all of the query
 * word's own parts together, is a part match; the head of the query
 * word (its last part) without the rest, or all its parts far apart, is
 * weak evidence (a sygedagpenge is a kind of dagpenge). Any other part
 * alone is no evidence for the word (s-trap: a hundelort is no kind of
 * dog, so "hunde" in "røde hunde" is nothing), and a document with no
 * evidence for any query word is not a hit. */
#define CREDIT_WHOLE 1.0
#define CREDIT_PART 0.5
#define CREDIT_WEAK 0.15

struct scratch {
	float *acc;
	uint64_t *mask;
	uint32_t *touched;
	uint32_t cap;
	/* s-fast: the candidates' heap (struct cand), kept between
	 * searches: a malloc a search went through malloc's free lists */
	void *heap;
	size_t heap_bytes;
};

static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;

static void scratch_free(void *p)
{
	struct scratch *s = p;
	free(s->acc);
	free(s->mask);
	free(s->touched);
	free(s->heap);
	free(s);
}

static void scratch_key_init(void)
{
	pthread_key_create(&scratch_key, scratch_free);
}

/* Per-thread accumulators, zero between searches. */
static struct scratch *scratch_get(uint32_t n_docs)
{
	pthread_once(&scratch_once, scratch_key_init);
	struct scratch *s = pthread_getspecific(scratch_key);
	if (!s) {
		s = hh_xcalloc(1, sizeof(*s));
		pthread_setspecific(scratch_key, s);
	}
	if (s->cap < n_docs) {
		uint32_t cap = n_docs + n_docs / 2 + 64;
		free(s->acc);
		free(s->mask);
		free(s->touched);
		s->acc = hh_xcalloc(cap, sizeof(float));
		s->mask = hh_xcalloc(cap, sizeof(uint64_t));
		/* one more: the scoring loop writes a candidate at the end
		 * before it knows whether it is new */
		s->touched = hh_xmalloc((cap + 1) * sizeof(uint32_t));
		s->cap = cap;
	}
	return s;
}

/* Without -mpopcnt, __builtin_popcount is a library call. */
static inline int popcount32(uint32_t x)
{
	x = x - ((x >> 1) & 0x55555555u);
	x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
	return (int)((((x + (x >> 4)) & 0x0f0f0f0fu) * 0x01010101u) >> 24);
}

struct cand { /* 24 bytes: the heap and the sorts move them */
	double score;
	uint64_t mask; /* its words and part slots */
	uint32_t doc;
	int32_t tier;  /* after rerank: how its title answers the query */
};

/* min-heap on score (ties: higher doc first out, so lower doc ids win) */
static int cand_less(const struct cand *a, const struct cand *b)
{
	return a->score < b->score || (a->score == b->score && a->doc > b->doc);
}

/* s-fast: whether a document of score (before its coverage factor, which
 * is at most 1 and so can only lower it) and doc can no longer enter the
 * full heap h: below its least, or equal to it with a higher doc (the
 * tie that cand_less keeps out). The same answer heap_push would give
 * after the factor, without computing it: the demo corpus has thousands
 * of documents with the least score exactly. */
static inline int out_of_heap(const struct cand *h, double score, uint32_t doc)
{
	return score < h[0].score || (score == h[0].score && doc > h[0].doc);
}

static inline void heap_push(struct cand *h, int *n, int cap, struct cand c)
{
	if (*n < cap) {
		int i = (*n)++;
		while (i > 0 && cand_less(&c, &h[(i - 1) / 2])) {
			h[i] = h[(i - 1) / 2];
			i = (i - 1) / 2;
		}
		h[i] = c;
		return;
	}
	if (!cand_less(&h[0], &c))
		return;
	/* s-fast: the new candidate sinks from the root as a hole, each
	 * level one move and two compares, not a swap of 24 bytes: the same
	 * candidates stay (the order is total), perhaps in other places */
	int i = 0, n_ = *n;
	for (;;) {
		int m = 2 * i + 1;
		if (m >= n_)
			break;
		if (m + 1 < n_ && cand_less(&h[m + 1], &h[m]))
			m++;
		if (!cand_less(&h[m], &c))
			break;
		h[i] = h[m];
		i = m;
	}
	h[i] = c;
}

static int cmp_cand_desc(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;
	if (a->tier != b->tier)
		return a->tier < b->tier ? 1 : -1;
	if (a->score != b->score)
		return a->score < b->score ? 1 : -1;
	return a->doc < b->doc ? -1 : a->doc > b->doc;
}

/* The smallest forward distance from a position of a to one of b in the
 * same field, or a large number. */
static uint32_t min_gap(const struct posting *pa, const struct posting *pb)
{
	uint32_t best = 1u << 30;
	struct pos_iter a, b;
	hh_ix_pos_init(&a, pa);
	hh_ix_pos_init(&b, pb);
	int more = hh_ix_pos_next(&a) && hh_ix_pos_next(&b);
	while (more) {
		if (b.cur > a.cur) {
			if ((a.cur >> HH_IX_FIELD_SHIFT) == (b.cur >> HH_IX_FIELD_SHIFT) &&
			    b.cur - a.cur < best)
				best = b.cur - a.cur;
			more = hh_ix_pos_next(&a);
		} else {
			more = hh_ix_pos_next(&b);
		}
	}
	return best;
}

static int doc_live(const struct hh_index *idx, const struct doc *d)
{
	return idx->dm[d - idx->docs].flags & DM_LIVE;
}

static int visible_slow(const struct hh_index *idx, const struct doc *d,
			const struct hh_search_query *sq)
{
	if (!doc_live(idx, d) || d->status != HH_STATUS_PUBLISHED)
		return 0;
	if (d->audience == HH_AUDIENCE_STAFF && !sq->staff)
		return 0;
	if (sq->audience && d->audience != sq->audience)
		return 0;
	if (sq->kinds && !(sq->kinds & HH_KIND_BIT(d->kind))) /* s-self */
		return 0;
	if (sq->organisation_id > 0 && d->org_id != sq->organisation_id)
		return 0;
	if (sq->organisation_id < 0 && d->org_id != 0)
		return 0;
	if (sq->kle && *sq->kle) {
		size_t kl = strlen(sq->kle);
		if (strncmp(d->kle, sq->kle, kl) != 0 ||
		    (d->kle[kl] && d->kle[kl] != '.'))
			return 0;
	}
	if (d->org_id && !d->agency)
		return d->org_id == sq->municipality_id; /* a local article */
	if (!d->org_id && sq->municipality_id && d->kind == HH_DOC_ARTICLE) {
		/* replaced by the municipality's own version? */
		for (int32_t o = hh_ix_slug_first(idx, d->slug); o >= 0;
		     o = idx->docs[o].next_same_slug) {
			const struct doc *x = &idx->docs[o];
			if (doc_live(idx, x) && x->org_id == sq->municipality_id &&
			    x->status == HH_STATUS_PUBLISHED &&
			    (x->audience == HH_AUDIENCE_CITIZEN || sq->staff))
				return 0;
		}
	}
	return 1;
}

/* Whether document di is visible to the query. The common case reads
 * only the document's 8-byte dmeta; filters on KLE or an owner, local
 * articles and shared ones that a local one may replace take the long
 * way. */
static inline int visible(const struct hh_index *idx, uint32_t di,
			  const struct hh_search_query *sq)
{
	const struct dmeta *m = &idx->dm[di];
	if (!(m->flags & DM_LIVE))
		return 0;
	if (m->audience == HH_AUDIENCE_STAFF && !sq->staff)
		return 0;
	if (sq->audience && m->audience != sq->audience)
		return 0;
	if ((m->flags & DM_LOCAL) && !sq->municipality_id)
		return 0;
	if (sq->organisation_id || (sq->kle && *sq->kle) || sq->kinds ||
	    (m->flags & DM_LOCAL) ||
	    (sq->municipality_id && (m->flags & DM_MAY_BE_OVERRIDDEN)))
		return visible_slow(idx, &idx->docs[di], sq);
	return 1;
}

struct facet_acc {
	int kle[101]; /* by KLE group + 1 */
	int aud[4];
	int slot[ORG_SLOTS + 1];
	/* organisations beyond the slots */
	struct { int64_t org; const char *code; int n; } orgs[64];
	int n_orgs;
};

/* A document without a facet class: its values one by one. */
static void facet_add_doc(struct facet_acc *f, const struct doc *d)
{
	f->kle[d->kle_group + 1]++;
	f->aud[d->audience & 3]++;
	if (d->org_slot < ORG_SLOTS) {
		f->slot[d->org_slot]++;
		return;
	}
	for (int i = 0; i < f->n_orgs; i++)
		if (f->orgs[i].org == d->org_id) {
			f->orgs[i].n++;
			return;
		}
	if (f->n_orgs < 64) {
		f->orgs[f->n_orgs].org = d->org_id;
		f->orgs[f->n_orgs].code = d->org_code ? d->org_code : "";
		f->orgs[f->n_orgs].n = 1;
		f->n_orgs++;
	}
}

/* "00" to "99" */
static const char kle_group_name[100][3] = {
#define D(t) #t "0", #t "1", #t "2", #t "3", #t "4", #t "5", #t "6", #t "7", #t "8", #t "9"
	D(0), D(1), D(2), D(3), D(4), D(5), D(6), D(7), D(8), D(9)
#undef D
};

/* What query word w (bit) earns from a document with mask mk. */
static double word_credit(const struct qword *w, uint32_t bit, uint64_t mk)
{
	uint32_t slots = (uint32_t)(mk >> 32);
	if ((uint32_t)mk & bit)
		return CREDIT_WHOLE;
	if ((slots & w->inside_slot) ||
	    (w->part_need && (slots & w->part_need) == w->part_need))
		return CREDIT_PART;
	if (slots & w->head_slot)
		return CREDIT_WEAK;
	return 0; /* a part that is not its head, or none (s-trap) */
}

/* The credits of the words in all for a document with mask mk, summed,
 * each times its weight when weight is not NULL. */
static double coverage(const struct query *q, uint32_t all, uint64_t mk,
		       const float *weight)
{
	double sum = 0;
	for (int i = 0; i < q->n_words; i++) {
		uint32_t bit = 1u << i;
		if (all & bit)
			sum += word_credit(&q->words[i], bit, mk) *
			       (weight ? weight[i] : 1.0);
	}
	return sum;
}

/* s-p99: which part slots give a document evidence for some word in all
 * without a whole word, precomputed once a query so that the scoring loop
 * does not walk the words (coverage) for every document that has only
 * parts. A document with slots s and no whole word of all has evidence
 * exactly when word_credit gives some word a credit: s meets a word's
 * inside or head slot, or holds all of a word's part_need. */
struct evidence {
	uint32_t any;     /* one of these slots is enough */
	uint32_t need[8]; /* or all of one of these (part_need without */
	int n_need;       /* its head), rare */
	int walk;         /* more such words than need holds: coverage */
};

static void evidence_init(const struct query *q, uint32_t all,
			  struct evidence *ev)
{
	memset(ev, 0, sizeof(*ev));
	for (int i = 0; i < q->n_words; i++) {
		const struct qword *w = &q->words[i];
		if (!(all & (1u << i)))
			continue;
		ev->any |= w->inside_slot | w->head_slot;
		uint32_t pn = w->part_need;
		if (!pn || (pn & (w->inside_slot | w->head_slot)))
			continue; /* pn held means its head (or inside) held */
		if (!(pn & (pn - 1)))
			ev->any |= pn;
		else if (ev->n_need < 8)
			ev->need[ev->n_need++] = pn;
		else
			ev->walk = 1;
	}
}

/* Whether a document with mask mk and no whole word of all has evidence
 * for some word: the same as coverage(q, all, mk, NULL) > 0. */
static inline int has_evidence(const struct evidence *ev,
			       const struct query *q, uint32_t all,
			       uint64_t mk)
{
	uint32_t slots = (uint32_t)(mk >> 32);
	if (slots & ev->any)
		return 1;
	for (int k = 0; k < ev->n_need; k++)
		if ((slots & ev->need[k]) == ev->need[k])
			return 1;
	return ev->walk && slots && coverage(q, all, mk, NULL) > 0;
}

/* Whether document di, with mask mk, is a hit: visible to the searcher
 * (visible() only where its flags (quick) or the filters need it), and
 * with evidence for some word, not only some parts of a compound or a
 * term that earns no credit (s-trap). */
static inline int is_hit(const struct hh_index *idx, uint32_t di,
			 uint64_t mk, const struct hh_search_query *sq,
			 uint8_t quick, int filters, const struct evidence *ev,
			 const struct query *q, uint32_t all)
{
	if (((idx->dm[di].flags & quick) != DM_LIVE || filters) &&
	    !visible(idx, di, sq))
		return 0;
	return ((uint32_t)mk & all) || has_evidence(ev, q, all, mk);
}

/* s-http: coverage() of the documents' masks, remembered within one
 * search. It is a function of the mask alone (the query and all fixed),
 * and a query's documents share few masks: a long question ("hvor lang
 * tid tager det at få et pas") walked its nine words for 1,900 of them,
 * a sixth of its search. Direct-mapped: a mask that meets another's slot
 * takes it over, and an entry holds the value coverage() returned, so
 * every score is what it was. A clean memo is all zero: mask 0 is the
 * empty slot, and coverage(0) is 0. */
#define COVER_MEMO 64

struct cover_memo {
	uint64_t mask[COVER_MEMO];
	double c[COVER_MEMO];
};

static inline double cover_memo_get(struct cover_memo *m,
				    const struct query *q, uint32_t all,
				    uint64_t mk)
{
	unsigned h = (unsigned)((mk * 0x9E3779B97F4A7C15ull) >> 58);
	if (m->mask[h] == mk)
		return m->c[h];
	double c = coverage(q, all, mk, NULL);
	m->mask[h] = mk;
	m->c[h] = c;
	return c;
}

/* s-p99: the coverage factor of a document with mask mk that lacks some
 * word of all whole, as the scoring loop has always computed it: with
 * no part slot, (words whole / words)²; with part slots, (coverage /
 * words)², where coverage walks the words. The walk is needed only when
 * a word the document lacks whole gets credit from its slots (wslots[i]:
 * the slots that can give word i credit); otherwise coverage is the
 * count of whole words, exactly. */
static inline double cover_factor(const struct query *q, uint32_t all,
				  uint64_t mk, const uint32_t *wslots,
				  const double *cover2, int n_words,
				  struct cover_memo *memo)
{
	uint32_t slots = (uint32_t)(mk >> 32);
	if (!slots)
		return cover2[popcount32((uint32_t)mk & all)];
	double c;
	for (uint32_t rest = all & ~(uint32_t)mk; rest; rest &= rest - 1)
		if (slots & wslots[__builtin_ctz(rest)]) {
			c = cover_memo_get(memo, q, all, mk) / n_words;
			return c * c;
		}
	c = (double)popcount32((uint32_t)mk & all) / n_words;
	return c * c;
}

/* ---- s-p99: long posting lists pruned, the total estimated ----------------
 * A query word that a sixteenth of the documents hold ("få", "tid" at
 * 100,000 articles) has a long list, and most of its documents hold
 * nothing else of the query: with the coverage factor they score far
 * below the best. When the most a document found only in the long lists
 * can score (each list's highest impact, the highest boost, the
 * coverage of the words those lists can give) is below the least of the
 * RERANK best found by the short lists (their partial scores, which only
 * grow), the long lists are read only into the documents found already:
 * the candidates, their scores and so the hits are those of the full
 * count, and the total and the facets are estimates (at least: the
 * documents counted, and the most that any one long list adds alone). */
#define PRUNE_LIST 2048     /* the shortest list that may be pruned */
#define PRUNE_HEAP_MAX 1000 /* deeper pages count every document */
#define PRUNE_SAMPLE 1024   /* documents whose scores set the bar */

struct prune {
	int on;
	int best, best_exact; /* the most new hits one long list holds (one
				 that is no typo's correction) */
	int *best_cls;        /* its hits' facet classes */
	int *cur;             /* prune_counter's */
};

/* A clean counter of facet classes for one long list's new hits: one of
 * the thread's two (s-fast: not a calloc per long list), the one that
 * does not hold the best list's. */
static int *prune_counter(struct prune *pr, int n_cls)
{
	static _Thread_local int counters[2][FCLASSES];
	if (!pr->cur)
		pr->cur = pr->best_cls == counters[0] ? counters[1] : counters[0];
	memset(pr->cur, 0, (size_t)n_cls * sizeof(int));
	return pr->cur;
}

/* One long list read: n_new hits that no other list found for the loop. */
static void prune_counted(struct prune *pr, int n_new, int exact)
{
	if (exact && n_new > pr->best_exact)
		pr->best_exact = n_new;
	if (n_new > pr->best) {
		int *t = pr->best_cls;
		pr->best = n_new;
		pr->best_cls = pr->cur;
		pr->cur = t;
	}
}

/* The most a document found only by the terms order[from..] can score:
 * each list's highest impact, the coverage of the words those terms can
 * give evidence for, the highest boost. */
static double prune_bound(const struct hh_index *idx, const struct query *q,
			  uint32_t all, const double *cover2,
			  const uint32_t *wslots, const float *wq,
			  const int *order, int from)
{
	double ub = 0;
	uint32_t words = 0, slots = 0;
	for (int o = from; o < q->n_terms; o++) {
		const struct qterm *qt = &q->terms[order[o]];
		ub += (double)wq[order[o]] * idx->terms[qt->term].max_imp;
		words |= qt->mask;
		slots |= qt->slots;
	}
	for (int i = 0; i < q->n_words; i++)
		if (slots & wslots[i])
			words |= 1u << i;
	return ub * cover2[popcount32(words & all)] *
	       (idx->max_boost > 1 ? idx->max_boost : 1);
}

/* Whether the least of the best heap_cap scores of the touched documents
 * so far (of the first PRUNE_SAMPLE: no higher than of all), each as the
 * scoring loop computes it, is above bar (no: when there are fewer). The
 * scores only grow with the terms still to come, so the final heap_cap
 * best are above bar too. s-score: that least is above bar exactly when
 * heap_cap of the documents score above it, so they are counted, not
 * kept in a heap (s-p99 computed the least and compared), and the count
 * stops at heap_cap; a document at or below bar before its coverage
 * factor (at most 1) is passed over before the check that it is a hit. */
static int prune_check(const struct hh_index *idx, const struct query *q,
		       uint32_t all, const struct evidence *ev,
		       const double *cover2, const uint32_t *wslots,
		       int n_words, const float *acc, const uint64_t *mask,
		       const uint32_t *touched, uint32_t n_touched,
		       int heap_cap, const struct hh_search_query *sq,
		       uint8_t quick, int filters, struct cover_memo *memo,
		       double bar)
{
	int above = 0;
	uint32_t n = n_touched < PRUNE_SAMPLE ? n_touched : PRUNE_SAMPLE;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t di = touched[i];
		uint64_t mk = mask[di];
		double score = (double)acc[di] * idx->dm[di].boost;
		if (!(score > bar))
			continue;
		if (!is_hit(idx, di, mk, sq, quick, filters, ev, q, all))
			continue;
		if (((uint32_t)mk & all) != all &&
		    !(score * cover_factor(q, all, mk, wslots, cover2, n_words,
					   memo) > bar))
			continue;
		if (++above == heap_cap)
			return 1;
	}
	return 0;
}
/* ---- end s-p99 ------------------------------------------------------------ */

/* Whether the terms ta and tb stand next to each other in the title
 * of doc, want words apart as in the query. */
static int title_gap(const struct hh_index *idx, int32_t ta, int32_t tb,
		     uint32_t want, uint32_t doc)
{
	const struct term *A = &idx->terms[ta], *B = &idx->terms[tb];
	int64_t ka = find_posting_k(A, doc), kb = find_posting_k(B, doc);
	if (ka < 0 || kb < 0 ||
	    !(hh_ix_posting_fields(A, (uint32_t)ka) >> F_TITLE & 1) ||
	    !(hh_ix_posting_fields(B, (uint32_t)kb) >> F_TITLE & 1))
		return 0;
	struct posting pa, pb;
	hh_ix_posting_at(A, (uint32_t)ka, &pa);
	hh_ix_posting_at(B, (uint32_t)kb, &pb);
	/* title positions come first (field 0 in the top byte) */
	struct pos_iter a, b;
	hh_ix_pos_init(&a, &pa);
	while (hh_ix_pos_next(&a) && (a.cur >> HH_IX_FIELD_SHIFT) == F_TITLE) {
		hh_ix_pos_init(&b, &pb);
		while (hh_ix_pos_next(&b) && (b.cur >> HH_IX_FIELD_SHIFT) == F_TITLE)
			if (b.cur == a.cur + want)
				return 1;
	}
	return 0;
}

/* The word at text[start, end) lower-cased into out (ASCII and the
 * Latin-1 capitals, æ ø å among them: what titles use); returns its
 * length, 0 when it does not fit. */
static size_t lower_title_word(const char *text, size_t start, size_t end,
			       char *out, size_t cap)
{
	size_t n = end - start;
	if (n >= cap)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)text[start + i];
		if (c >= 'A' && c <= 'Z')
			c += 32;
		else if (i && (unsigned char)text[start + i - 1] == 0xc3 &&
			 c >= 0x80 && c <= 0x9e && c != 0x97)
			c += 0x20;
		out[i] = (char)c;
	}
	out[n] = 0;
	return n;
}

/* Where the query's words, as typed and in order, stand in a row in the
 * title: 0, they are the whole title; 1, they stand in it among other
 * words; -1, they do not. */
static int title_has_query(const char *title, const struct query *q)
{
	if (!title || !q->n_words)
		return -1;
	size_t len = strlen(title), at = 0, s, e;
	char words[24][HH_WORD_MAX];
	int n = 0;
	while (n < 24 && hh_word_next(title, len, &at, &s, &e))
		if (!lower_title_word(title, s, e, words[n++], HH_WORD_MAX))
			return -1;
	if (hh_word_next(title, len, &at, &s, &e))
		return -1; /* a title of more than 24 words */
	for (int start = 0; start + q->n_words <= n; start++) {
		int k = 0;
		while (k < q->n_words && !strcmp(words[start + k], q->words[k].word))
			k++;
		if (k == q->n_words)
			return n == q->n_words ? 0 : 1;
	}
	return -1;
}

/* How the title of doc answers the query (the words in all): 0, it does
 * not hold them all; 1, it holds every word whole (stemmed, inflected,
 * or a typo's correction, not a synonym; in any order); 2, in the order
 * typed; 3, the query's words as typed stand in a row in the title; 4,
 * the query is the title. A word's parts or
 * a part of the title's compound are not the word here: whole words
 * beat parts (docs/search.md). */
static int title_tier(const struct hh_index *idx, const struct query *q,
		      uint32_t all, uint32_t doc)
{
	/* word by word, so that most candidates are out at the first word
	 * their title lacks */
	uint32_t tm = 0;
	for (int w = 0; w < q->n_words; w++) {
		uint32_t bit = 1u << w;
		if (!(all & bit) || (tm & bit))
			continue;
		for (int i = 0; i < q->n_terms && !(tm & bit); i++) {
			const struct qterm *qt = &q->terms[i];
			if (!(qt->mask & bit) || qt->syn)
				continue; /* a synonym in the title is not the word */
			const struct term *t = &idx->terms[qt->term];
			int64_t k = find_posting_k(t, doc);
			if (k >= 0 &&
			    (hh_ix_posting_fields(t, (uint32_t)k) >> F_TITLE & 1))
				tm |= qt->mask;
		}
		if (!(tm & bit))
			return 0;
	}
	/* the order as typed: each pair of consecutive words with terms of
	 * their own */
	int prev = -1, ordered = 1;
	for (int j = 0; j < q->n_words && ordered; j++) {
		if (q->words[j].stop || !(all & (1u << j)))
			continue;
		int i = prev;
		prev = j;
		if (i < 0)
			continue;
		int32_t ta = q->words[i].tid, tb = q->words[j].tid;
		if (ta < 0 || tb < 0 ||
		    !title_gap(idx, ta, tb, q->words[j].pos - q->words[i].pos, doc))
			ordered = 0;
	}
	if (!ordered)
		return 1;
	/* Without stop words the words in order are the query in a row (as
	 * stems), and the whole title when it is as long. With them, the
	 * title's own words tell: "flytning til udlandet" is not "flytning
	 * fra udlandet" (stop words have no terms to compare). */
	int has_stop = 0;
	for (int j = 0; j < q->n_words; j++)
		has_stop |= q->words[j].stop;
	if (!has_stop) {
		uint32_t qlen = q->words[q->n_words - 1].pos - q->words[0].pos + 1;
		return idx->docs[doc].flen[F_TITLE] == qlen ? 4 : 3;
	}
	int at = title_has_query(idx->docs[doc].title, q);
	return at < 0 ? 2 : at == 0 ? 4 : 3;
}

/* Whether two positions of ta and tb in doc stand at most 5 words apart
 * in the same field. */
static int near(const struct hh_index *idx, uint32_t ta, uint32_t tb,
		uint32_t doc)
{
	const struct term *A = &idx->terms[ta], *B = &idx->terms[tb];
	struct posting pa, pb;
	if (!find_posting(A, doc, &pa) || !find_posting(B, doc, &pb))
		return 0;
	struct pos_iter a, b;
	hh_ix_pos_init(&a, &pa);
	hh_ix_pos_init(&b, &pb);
	int more = hh_ix_pos_next(&a) && hh_ix_pos_next(&b);
	while (more) {
		uint32_t d = a.cur > b.cur ? a.cur - b.cur : b.cur - a.cur;
		if (d <= 5) /* a field apart is 2^24 */
			return 1;
		more = a.cur < b.cur ? hh_ix_pos_next(&a) : hh_ix_pos_next(&b);
	}
	return 0;
}

/* A word's parts count together only where they stand together (lægevagt
 * is not "læge" in one paragraph and "vagt" in another): for each word
 * the candidate has by its parts alone, the parts' terms must stand near
 * one another; if not, the word keeps its head only, weak evidence (the
 * other part slots cleared). Returns the candidate's mask so corrected. */
static uint64_t parts_together(const struct hh_index *idx,
			       const struct query *q, uint32_t all,
			       uint64_t mk, uint32_t doc)
{
	for (int i = 0; i < q->n_words; i++) {
		const struct qword *w = &q->words[i];
		uint32_t bit = 1u << i, slots = (uint32_t)(mk >> 32);
		if (!(all & bit) || ((uint32_t)mk & bit) || (slots & w->inside_slot) ||
		    !w->part_need || (slots & w->part_need) != w->part_need)
			continue;
		int32_t first = -1, ok = 1;
		for (int k = 0; k < q->n_terms && ok; k++) {
			if (!(q->terms[k].slots & w->part_need))
				continue;
			if (first < 0)
				first = (int32_t)q->terms[k].term;
			else
				ok = near(idx, (uint32_t)first, q->terms[k].term, doc);
		}
		if (!ok) /* apart: the head alone, weak */
			mk &= ~((uint64_t)(w->part_need & ~w->head_slot) << 32);
	}
	return mk;
}

/* The candidates' parts checked (parts_together): a candidate whose
 * parts stand apart keeps the head's weak credit only, and is dropped
 * when that leaves it no evidence for any query word (s-trap). Returns
 * how many were dropped; *n_heap is the number left, in no order. */
static int parts_evidence(const struct hh_index *idx, const struct query *q,
			  uint32_t all, struct cand *heap, int *n_heap)
{
	int dropped = 0;
	for (int h = 0; h < *n_heap; h++) {
		if (((uint32_t)heap[h].mask & all) == all)
			continue;
		uint64_t mk = parts_together(idx, q, all, heap[h].mask,
					     heap[h].doc);
		if (mk == heap[h].mask)
			continue;
		double before = coverage(q, all, heap[h].mask, NULL);
		double after = coverage(q, all, mk, NULL);
		if (after <= 0) {
			heap[h--] = heap[--*n_heap];
			dropped++;
			continue;
		}
		heap[h].score *= before > 0 ? after * after / (before * before) : 0;
		heap[h].mask = mk;
	}
	return dropped;
}

/* The best k of the n candidates first, in order (cmp_cand_desc); the
 * rest after them in no order. An insertion sort of the first k, then
 * each other one put in only when it beats the k-th: the page needs k of
 * RERANK. Returns k (at most n). */
static int sort_cands(struct cand *heap, int n, int k)
{
	if (k > n)
		k = n;
	for (int i = 1; i < n; i++) {
		if (i >= k && cmp_cand_desc(&heap[k - 1], &heap[i]) <= 0)
			continue;
		struct cand c = heap[i];
		int j = i < k ? i : k - 1;
		if (i >= k)
			heap[i] = heap[k - 1]; /* the k-th leaves for the rest */
		while (j > 0 && cmp_cand_desc(&heap[j - 1], &c) > 0) {
			heap[j] = heap[j - 1];
			j--;
		}
		heap[j] = c;
	}
	return k;
}

/* The proximity boost for the candidates (consecutive query words next
 * to each other) and their title tiers (titles: 0, none), then the
 * candidates in order, best first: by title tier, then by score. */
static int rerank(const struct hh_index *idx, const struct query *q,
		  uint32_t all, int titles, struct cand *heap, int n_heap,
		  int need)
{
	for (int h = 0; h < n_heap; h++) {
		double boost = 1.0;
		int prev = -1;
		for (int j = 0; j < q->n_words; j++) {
			if (q->words[j].stop)
				continue;
			int i = prev;
			prev = j;
			if (i < 0)
				continue;
			int32_t ta = q->words[i].tid, tb = q->words[j].tid;
			uint32_t want = q->words[j].pos - q->words[i].pos;
			if (ta < 0 || tb < 0)
				continue;
			const struct term *A = &idx->terms[ta], *B = &idx->terms[tb];
			struct posting pa, pb;
			if (!find_posting(A, heap[h].doc, &pa) ||
			    !find_posting(B, heap[h].doc, &pb))
				continue;
			uint32_t gap = min_gap(&pa, &pb);
			if (gap == want)
				boost *= 1.3; /* the phrase as typed */
			else if (gap <= want + 2)
				boost *= 1.1;
		}
		heap[h].score *= boost;
		heap[h].tier = 0;
	}
	/* at most RERANK (or offset + limit) candidates: insertion sort by
	 * score, then the title tiers of the best TITLE_CHECK (a title that
	 * holds every query word gives a score among them: title weight 4;
	 * each check reads cold postings), then by tier and score. A title
	 * can hold every word whole only where the document does. */
	int sorted = sort_cands(heap, n_heap,
				need > TITLE_CHECK ? need : TITLE_CHECK);
	int changed = 0;
	for (int h = 0; titles && h < sorted && h < TITLE_CHECK; h++)
		if (((uint32_t)heap[h].mask & all) == all &&
		    (heap[h].tier = title_tier(idx, q, all, heap[h].doc)))
			changed = 1;
	/* only the checked ones can move, and only among themselves: the
	 * others have tier 0 and lower scores */
	if (changed)
		sort_cands(heap, sorted < TITLE_CHECK ? sorted : TITLE_CHECK,
			   TITLE_CHECK);
	/* a higher tier above a better score: its score (and those above it)
	 * raised just above, so that scores read in the order of the hits */
	for (int i = sorted - 2; i >= 0; i--)
		if (heap[i].score < heap[i + 1].score ||
		    (heap[i].score == heap[i + 1].score && heap[i].tier > heap[i + 1].tier))
			heap[i].score = heap[i + 1].score * 1.0001 + 1e-9;
	return sorted;
}

/* How sure the best candidate is (hh_search_result.strength): weak when
 * it has nothing better than weak evidence (a compound word's head
 * alone) for every word it matched, or when the words it matched weigh
 * less than 40% of the query's (a common word of a longer question). A
 * word weighs its idf; a word the index does not know as written (found
 * only by its parts or as a typo, or not at all) weighs as much as a word
 * of one article: it is what the query is most likely about. */
static enum hh_search_strength strength_of(const struct query *q,
					   uint32_t all, const float *widf,
					   double rare, const struct cand *best)
{
	double best_credit = 0, total = 0, got = 0;
	for (int i = 0; i < q->n_words; i++) {
		uint32_t bit = 1u << i;
		if (q->words[i].stop)
			continue;
		/* a long word unknown as written: a compound the articles
		 * do not use, most likely what the query is about */
		double w = widf[i] > 0 ? widf[i]
			   : hh_utf8_len(q->words[i].word) >= 8 ? 2 * rare
								 : rare;
		double c = all & bit ? word_credit(&q->words[i], bit, best->mask) : 0;
		if (c > best_credit)
			best_credit = c;
		total += w;
		got += c * w;
	}
	if (best_credit < CREDIT_PART)
		return HH_STRENGTH_WEAK;
	return got < 0.4 * total ? HH_STRENGTH_WEAK : HH_STRENGTH_STRONG;
}

/* The hits: the candidates from offset on, at most limit, with their
 * strings copied into a. */
static void fill_hits(const struct hh_index *idx,
		      const struct hh_search_query *sq, const struct query *q,
		      const struct cand *heap, int n_heap, int offset, int limit,
		      struct hh_arena *a, struct hh_search_result *res)
{
	if (offset >= n_heap)
		return;
	int n = n_heap - offset < limit ? n_heap - offset : limit;
	res->hits = hh_arena_calloc(a, (size_t)n * sizeof(*res->hits));
	for (int i = 0; i < n; i++) {
		const struct doc *d = &idx->docs[heap[offset + i].doc];
		struct hh_search_hit *hit = &res->hits[i];
		hit->id = d->id;
		hit->kind = (enum hh_doc_kind)d->kind;
		hit->slug = hh_arena_strdup(a, d->slug);
		hit->title = hh_arena_strdup(a, d->title);
		hit->summary = hh_arena_strdup(a, d->summary);
		hit->kle = hh_arena_strdup(a, d->kle);
		hit->org_code = d->org_code ? hh_arena_strdup(a, d->org_code) : NULL;
		hit->org_name = d->org_name ? hh_arena_strdup(a, d->org_name) : NULL;
		hit->audience = d->audience;
		hit->score = heap[offset + i].score;
		hit->snippet_html =
			sq->no_snippets
				? NULL
				: hh_ix_snippet(idx, heap[offset + i].doc, q, a);
	}
	res->n_hits = n;
}

/* The facets counted in fa, as the result's lists (in a). */
static void fill_facets(const struct hh_index *idx, const struct facet_acc *fa,
			struct hh_arena *a, struct hh_search_result *res)
{
	int nk = 0;
	for (int k = 0; k < 100; k++)
		nk += fa->kle[k + 1] > 0;
	res->kle_groups = hh_arena_calloc(a, (size_t)(nk + 1) * sizeof(struct hh_facet));
	for (int k = 0; k < 100; k++)
		if (fa->kle[k + 1]) {
			res->kle_groups[res->n_kle_groups].value = kle_group_name[k];
			res->kle_groups[res->n_kle_groups++].count = fa->kle[k + 1];
		}
	res->audiences = hh_arena_calloc(a, 2 * sizeof(struct hh_facet));
	for (int k = 1; k <= 2; k++)
		if (fa->aud[k]) {
			res->audiences[res->n_audiences].value = k == 1 ? "citizen" : "staff";
			res->audiences[res->n_audiences++].count = fa->aud[k];
		}
	res->organisations = hh_arena_calloc(
		a, (size_t)(idx->n_org_slots + fa->n_orgs + 1) * sizeof(struct hh_facet));
	for (int k = 0; k < idx->n_org_slots; k++)
		if (fa->slot[k]) {
			struct hh_facet *f = &res->organisations[res->n_organisations++];
			f->value = hh_arena_strdup(a, idx->org_codes[k]);
			f->count = fa->slot[k];
		}
	for (int k = 0; k < fa->n_orgs; k++) {
		struct hh_facet *f = &res->organisations[res->n_organisations++];
		f->value = hh_arena_strdup(a, fa->orgs[k].code);
		f->count = fa->orgs[k].n;
	}
}

/* ---- s-tune: an editor's pin ranks first on every page ------------------
 * The pinned article is taken out of the candidates and put before them,
 * so that page n shows the same hits as the pinned list cut at n: every
 * hit once over all pages. It is counted (total, facets) as the scoring
 * loop counts a match; a pin that matches none of the words is added. */

/* The article with sq->pin_slug that sq's reader sees, or -1. */
static int32_t pin_doc(const struct hh_index *idx,
		       const struct hh_search_query *sq)
{
	if (!sq->pin_slug || !idx->live)
		return -1;
	for (int32_t o = hh_ix_slug_first(idx, sq->pin_slug); o >= 0;
	     o = idx->docs[o].next_same_slug)
		if (idx->docs[o].kind == HH_DOC_ARTICLE &&
		    visible(idx, (uint32_t)o, sq))
			return o;
	return -1;
}

/* After the scoring loop: pin out of the candidates, so that no later
 * step (s-trap's parts check) drops it; counted in *total and the facets
 * when the loop did not count it (counted: it matched a word with
 * evidence). Returns whether there is a pin. */
static int pin_take(const struct hh_index *idx, int32_t pin, int counted,
		    struct cand *heap, int *n_heap, struct facet_acc *fa,
		    int *total, struct hh_search_result *res)
{
	if (pin < 0)
		return 0;
	for (int h = 0; h < *n_heap; h++)
		if (heap[h].doc == (uint32_t)pin) {
			heap[h] = heap[--*n_heap];
			break;
		}
	if (!counted) {
		(*total)++;
		facet_add_doc(fa, &idx->docs[pin]);
	}
	res->pinned = 1;
	return 1;
}

/* The page of the pinned list: the pin, then the candidates. */
static void pin_fill(const struct hh_index *idx,
		     const struct hh_search_query *sq, const struct query *q,
		     int32_t pin, const struct cand *heap, int n_heap,
		     int offset, int limit, struct hh_arena *a,
		     struct hh_search_result *res)
{
	struct cand *all = hh_xmalloc((size_t)(n_heap + 1) * sizeof(*all));
	all[0] = (struct cand){ n_heap ? heap[0].score * 1.0001 + 1e-9 : 1.0,
				0, (uint32_t)pin, 0 };
	if (n_heap) /* heap is NULL for a pin alone */
		memcpy(all + 1, heap, (size_t)n_heap * sizeof(*all));
	fill_hits(idx, sq, q, all, n_heap + 1, offset, limit, a, res);
	free(all);
}

/* A pin when no word of the query is known: the only hit. */
static void pin_only(const struct hh_index *idx,
		     const struct hh_search_query *sq, const struct query *q,
		     int32_t pin, int offset, int limit, struct hh_arena *a,
		     struct hh_search_result *res)
{
	struct facet_acc *fa = hh_xcalloc(1, sizeof(*fa));
	pin_take(idx, pin, 0, NULL, &(int){ 0 }, fa, &res->total, res);
	pin_fill(idx, sq, q, pin, NULL, 0, offset, limit, a, res);
	fill_facets(idx, fa, a, res);
	free(fa);
}
/* ---- end s-tune ---------------------------------------------------------- */

/* The search of sq, parsed into q, under the read lock (hh_index_search,
 * hh_index_suggest). */
static void search_locked(struct hh_index *idx,
			  const struct hh_search_query *sq, const struct query *q,
			  struct hh_arena *a, struct hh_search_result *res)
{
	memset(res, 0, sizeof(*res));
	res->clipped = q->clipped;
	res->n_terms = q->n_terms;
	int limit = sq->limit > 0 ? sq->limit : 10;
	int offset = sq->offset > 0 ? sq->offset : 0;
	int32_t pin = pin_doc(idx, sq); /* s-tune */
	if (!q->n_terms || !idx->live) {
		if (pin >= 0) /* s-tune */
			pin_only(idx, sq, q, pin, offset, limit, a, res);
		goto done;
	}

	struct scratch *s = scratch_get(idx->n_docs);
	double n_live = idx->live;
	float *acc = s->acc;
	uint64_t *mask = s->mask;
	uint32_t *touched = s->touched, n_touched = 0;
	float widf[HH_QUERY_WORDS] = { 0 }; /* each word's weight */
	float own[HH_QUERY_WORDS] = { 0 };
	float wq[sizeof(q->terms) / sizeof(q->terms[0])];
	for (int i = 0; i < q->n_terms; i++) {
		const struct qterm *qt = &q->terms[i];
		double df = idx->terms[qt->term].df;
		double idf = log(1.0 + (n_live - df + 0.5) / (df + 0.5));
		wq[i] = (float)(qt->w * idf);
		/* a word's weight: the idf of its own term, or else of its
		 * best other reading that is the word itself (a variant, a
		 * synonym, the word inside a compound); not of its parts or
		 * of a typo's correction */
		for (int k = 0; k < q->n_words; k++) {
			if (q->words[k].tid == (int32_t)qt->term && !qt->fuzzy)
				own[k] = (float)idf;
			else if (((((qt->mask >> k) & 1) && !qt->fuzzy) ||
				  (qt->slots & q->words[k].inside_slot)) &&
				 widf[k] < idf)
				widf[k] = (float)idf;
		}
	}
	for (int k = 0; k < q->n_words; k++)
		if (own[k] > 0)
			widf[k] = own[k];
	/* the words with any evidence in the index: coverage counts them */
	uint32_t all = 0;
	for (int i = 0; i < q->n_terms; i++)
		all |= q->terms[i].mask;
	for (int i = 0; i < q->n_words; i++) {
		if (q->words[i].inside_slot | q->words[i].part_slots)
			all |= 1u << i;
		if (q->words[i].stop) /* joined into a compound ("koster en") */
			all &= ~(1u << i);
	}
	all &= ~EXACT_BIT;
	int n_words = popcount32(all);
	double cover2[33]; /* (words matched whole / words)² */
	for (int k = 0; k <= n_words; k++)
		cover2[k] = (double)k * k / ((double)n_words * n_words);
	struct cover_memo memo; /* s-http */
	memset(&memo, 0, sizeof(memo));
	struct evidence ev; /* s-p99: the no-evidence check without a walk */
	evidence_init(q, all, &ev);
	/* s-p99: the slots that can give each word credit (cover_factor,
	 * prune_bound) */
	uint32_t wslots[HH_QUERY_WORDS];
	for (int i = 0; i < q->n_words; i++)
		wslots[i] = q->words[i].inside_slot | q->words[i].part_slots |
			    q->words[i].head_slot | q->words[i].part_need;
	int heap_cap = offset + limit > RERANK ? offset + limit : RERANK;
	/* Most documents are decided by their flags alone: live, and none
	 * of staff-only (for a citizen), local, or possibly replaced (when a
	 * municipality is named); no filter on KLE, audience or owner. */
	uint8_t quick = DM_LIVE | DM_LOCAL | (sq->staff ? 0 : DM_STAFF) |
			(sq->municipality_id ? DM_MAY_BE_OVERRIDDEN : 0);
	int filters = sq->audience || sq->organisation_id || (sq->kle && *sq->kle) ||
		      sq->kinds;
	const struct dmeta *dm = idx->dm;
	int n_cls = idx->n_fclasses > 0 ? idx->n_fclasses : 1;

	/* s-p99: with a long list (a sixteenth of the documents, and
	 * PRUNE_LIST), the terms in the order of their lists' lengths,
	 * shortest first (ties in the query's order), so that the long lists
	 * come last, where they may be pruned; every document's impacts are
	 * summed in this order whether they are pruned or not. Without a long
	 * list, the query's order. */
	int order[sizeof(q->terms) / sizeof(q->terms[0])];
	uint32_t long_list = idx->live / 16 > PRUNE_LIST ? idx->live / 16 : PRUNE_LIST;
	int any_long = 0;
	for (int i = 0; i < q->n_terms; i++) {
		order[i] = i;
		any_long |= idx->terms[q->terms[i].term].n >= long_list;
	}
	for (int i = 1; any_long && i < q->n_terms; i++) {
		uint32_t n = idx->terms[q->terms[i].term].n;
		int j = i;
		while (j > 0 && idx->terms[q->terms[order[j - 1]].term].n > n) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	int may_prune = any_long && n_words && pin < 0 && !sq->exact_total &&
			heap_cap <= PRUNE_HEAP_MAX;
	int checks = 0;
	double next_check = HUGE_VAL; /* the first check is always made */
	/* s-score: the least score of the heap's heap_cap best at the end
	 * is above a check's bar when the check prunes (prune_check: its
	 * documents' scores only grow, and they are hits): a document
	 * scoring below it never stays in the heap, so it is not pushed */
	double floor_score = 0;
	struct prune pr;
	memset(&pr, 0, sizeof(pr));
	/* Every posting of every query term: the documents' impacts summed
	 * (removed documents too; visible() drops them below); the long
	 * lists only into documents found already, when pruned. */
	for (int o = 0; o < q->n_terms; o++) {
		int i = order[o];
		const struct qterm *qt = &q->terms[i];
		const struct term *tm = &idx->terms[qt->term];
		uint64_t bits = qt->mask | (qt->fuzzy ? 0 : EXACT_BIT) |
				(uint64_t)qt->slots << 32;
		const struct hot *h = tm->h;
		float w = wq[i];
		if (may_prune && !pr.on && tm->n >= long_list && checks < 3 &&
		    n_touched >= (uint32_t)heap_cap) {
			/* a check reads the scores of up to PRUNE_SAMPLE
			 * documents: again only once the bound has halved */
			double ub = prune_bound(idx, q, all, cover2, wslots, wq,
					        order, o);
			if (ub < next_check) {
				next_check = ub / 2;
				checks++;
				/* a margin for the rounding of float sums */
				double bar = ub * 1.001;
				pr.on = prune_check(idx, q, all, &ev, cover2,
						    wslots, n_words, acc, mask,
						    touched, n_touched, heap_cap,
						    sq, quick, filters, &memo,
						    bar);
				if (pr.on)
					floor_score = bar;
			}
		}
		if (pr.on) {
			/* with a filter, visible() would be needed: no
			 * new hit is counted */
			int counts = !filters &&
				     ((qt->mask & all) ||
				      has_evidence(&ev, q, all,
						   (uint64_t)qt->slots << 32));
			int *cn = counts ? prune_counter(&pr, n_cls) : NULL;
			int n_new = 0;
			if (!cn) {
				for (uint32_t k = 0, n = tm->n; k < n; k++) {
					uint32_t d = h[k].doc;
					if (mask[d]) {
						acc[d] += w * h[k].imp;
						mask[d] |= bits;
					}
				}
				prune_counted(&pr, 0, !qt->fuzzy);
				continue;
			}
			/* s-tail: the loop asks whether it counts once, not
			 * per posting; a new hit is counted by its class alone
			 * (class 0, a document without one, is counted in
			 * cn[0], which nothing reads), and n_new is the sum of
			 * the other classes afterwards */
#pragma GCC unroll 4
			for (uint32_t k = 0, n = tm->n; k < n; k++) {
				uint32_t d = h[k].doc;
				if (mask[d]) {
					acc[d] += w * h[k].imp;
					mask[d] |= bits;
				} else if ((dm[d].flags & quick) == DM_LIVE) {
					/* a hit the loop below does not see */
					cn[dm[d].fclass]++;
				}
			}
			for (int c = 1; c < n_cls; c++)
				n_new += cn[c];
			prune_counted(&pr, n_new, !qt->fuzzy);
			continue;
		}
		if (!n_touched) {
			/* s-p99: the first list with postings finds every
			 * document new (the scratch is clean): no mask to read */
			for (uint32_t k = 0, n = tm->n; k < n; k++) {
				uint32_t d = h[k].doc;
				touched[k] = d;
				acc[d] = w * h[k].imp; /* 0 + x: the same sum */
				mask[d] = bits;
			}
			n_touched = tm->n;
			continue;
		}
		/* s-score: unrolled (the count and jump once in four postings) */
#pragma GCC unroll 4
		for (uint32_t k = 0, n = tm->n; k < n; k++) {
			uint32_t d = h[k].doc;
			touched[n_touched] = d; /* kept only if new: no branch */
			n_touched += !mask[d];
			acc[d] += w * h[k].imp;
			mask[d] |= bits;
		}
	}

	size_t heap_bytes = (size_t)heap_cap * sizeof(struct cand);
	if (s->heap_bytes < heap_bytes) {
		free(s->heap);
		s->heap = hh_xmalloc(heap_bytes);
		s->heap_bytes = heap_bytes;
	}
	struct cand *heap = s->heap;
	int n_heap = 0, exact_total = 0;
	/* s-fast: the facet counters (3 kB) and the class counts are the
	 * thread's, cleared here: a calloc each per search cost more than
	 * the clearing */
	static _Thread_local struct facet_acc thread_fa;
	static _Thread_local int thread_cls[2 * FCLASSES];
	struct facet_acc *fa = &thread_fa;
	memset(fa, 0, sizeof(*fa));
	int total = 0;
	/* s-tune: the loop counts the pin when it is a touched hit; asked
	 * once here, not of every document (s-fast) */
	int pin_counted = pin >= 0 && mask[pin] &&
			  is_hit(idx, (uint32_t)pin, mask[pin], sq, quick,
				 filters, &ev, q, all);
	/* class counts, kept twice for alternate documents: most documents
	 * add to the same few counters, and one copy would make each add
	 * wait for the one before */
	/* s-tail: the two copies interleaved (class c's at 2c and 2c + 1):
	 * an index of a shift and an or, not a multiply */
	int *cls = thread_cls;
	memset(cls, 0, 2 * (size_t)n_cls * sizeof(int));
	/* s-tail: the least score that may still enter: floor_score, or
	 * the full heap's least when higher; a score equal to the heap's
	 * least is then decided by out_of_heap (its tie on doc) */
	double thr = floor_score;
	/* s-tail: is_hit's quick test with the filters in it, as a table
	 * of the flags that quick reads (DM_LIVE to DM_STAFF, the low five
	 * bits): with a filter no entry is set, so visible() decides every
	 * document. A load from the stack where the loop held quick and the
	 * filters in registers it then lacked for others */
	uint8_t flag_ok[32];
	for (int f = 0; f < 32; f++)
		flag_ok[f] = !filters && (f & quick) == DM_LIVE;
	for (uint32_t i = 0; i < n_touched; i++) {
		uint32_t di = touched[i];
		uint64_t mk = mask[di];
		float sc = acc[di];
		acc[di] = 0; /* the scratch is clean again for the next search */
		mask[di] = 0;
		const struct dmeta *m = &dm[di];
		/* is_hit, with the filters folded into live_want */
		if (!flag_ok[m->flags & 31] && !visible(idx, di, sq))
			continue;
		if (!((uint32_t)mk & all) && !has_evidence(&ev, q, all, mk))
			continue;
		total++;
		exact_total += (int)(mk >> 31) & 1; /* EXACT_BIT */
		if (m->fclass)
			cls[(unsigned)m->fclass << 1 | (total & 1)]++;
		else
			facet_add_doc(fa, &idx->docs[di]);
		/* full coverage is the most a document can score: below the
		 * heap's least even so, it is out */
		double score = (double)sc * m->boost;
		if (score < thr ||
		    (n_heap == heap_cap && out_of_heap(heap, score, di)))
			continue;
		/* without part evidence the credit is the count of whole
		 * words (most documents): no walk over the words */
		if (((uint32_t)mk & all) != all) {
			score *= cover_factor(q, all, mk, wslots, cover2, n_words,
					      &memo);
			if (score < floor_score)
				continue;
		}
		heap_push(heap, &n_heap, heap_cap,
			  (struct cand){ score, mk, di, 0 });
		if (n_heap == heap_cap && heap[0].score > thr)
			thr = heap[0].score;
	}
	if (pr.on) {
		/* s-p99: the hits only long lists hold, estimated (below) */
		total += pr.best;
		exact_total += pr.best_exact;
		for (int c = 1; pr.best_cls && c < n_cls; c++)
			cls[2 * c] += pr.best_cls[c];
		res->total_estimated = 1;
	}
	res->total = total;
	for (int c = 1; c < n_cls; c++) {
		int n = cls[2 * c] + cls[2 * c + 1];
		if (!n)
			continue;
		const struct fclass *fc = &idx->fclasses[c];
		fa->kle[fc->kle_group + 1] += n;
		fa->aud[fc->audience] += n;
		fa->slot[fc->org_slot] += n;
	}
	/* s-tune: the pin out of the candidates (counted once, shown
	 * whatever the parts check says) */
	int pinned = pin_take(idx, pin, pin_counted, heap, &n_heap, fa, &total,
			      res);

	/* s-trap: the best candidates' parts apart; those left with no
	 * evidence are no hits */
	total -= parts_evidence(idx, q, all, heap, &n_heap);
	res->total = total;
	/* search-as-you-type (the last word a prefix, up to 8 completions
	 * of it) ranks by score alone: title tiers would read the postings
	 * of every completion, at every key */
	/* the hits in order; candidates past them need none */
	n_heap = rerank(idx, q, all, !sq->prefix_last, heap, n_heap,
			offset + limit);
	if (n_heap)
		res->strength = strength_of(
			q, all, widf, log(1.0 + (n_live - 0.5) / 1.5), &heap[0]);
	if (pinned) /* s-tune */
		pin_fill(idx, sq, q, pin, heap, n_heap, offset, limit, a, res);
	else
		fill_hits(idx, sq, q, heap, n_heap, offset, limit, a, res);
	fill_facets(idx, fa, a, res);
	/* "Mente du ...?" when the corrected words find clearly more */
	if (res->total > 2 * exact_total)
		res->did_you_mean = hh_ix_corrected(idx, q, a);
done:;
}

/* s-fast: the parsed query, 17 kB, the thread's own: a malloc that size
 * per search went through malloc's free lists each time (a search, or a
 * suggestion, uses one at a time) */
static _Thread_local struct query thread_query;

void hh_index_search(struct hh_index *idx, const struct hh_search_query *sq,
		     struct hh_arena *a, struct hh_search_result *res)
{
	hh_index_settle(idx);
	struct query *q = &thread_query;
	pthread_rwlock_rdlock(&idx->lock);
	hh_ix_parse_query(idx, sq, q);
	search_locked(idx, sq, q, a, res);
	pthread_rwlock_unlock(&idx->lock);
}

void hh_index_suggest(struct hh_index *idx, const struct hh_search_query *sq,
		      struct hh_arena *a, struct hh_suggestion *out)
{
	memset(out, 0, sizeof(*out));
	/* s-fast: one lock, one parse and one walk of the trie for the
	 * completions and the titles: the titles' search reads the last
	 * word as a prefix, and its completions (query.prefix_words) are
	 * the ones offered */
	struct hh_search_query t = *sq;
	t.prefix_last = 1;
	t.no_snippets = 1;
	t.limit = 8;
	t.offset = 0;
	hh_index_settle(idx);
	struct query *q = &thread_query;
	pthread_rwlock_rdlock(&idx->lock);
	hh_ix_parse_query(idx, &t, q);
	if (q->n_words && q->words[q->n_words - 1].prefix_ok) {
		const struct qword *w = &q->words[q->n_words - 1];
		char folded[HH_TERM_MAX];
		hh_fold_of(w->word, strlen(w->word), folded);
		size_t fl = strlen(folded);
		/* the public is offered only the public's words (the parse
		 * asked for the caller's) */
		const uint32_t *pw = q->prefix_words;
		int n = q->n_prefix_words;
		for (int k = 0; k < n && out->n_completions < 8; k++) {
			const char *surf = idx->words[pw[k]].surface;
			size_t sl = strlen(surf);
			/* the surface must still start like the typed word */
			char sf[HH_TERM_MAX];
			hh_fold_of(surf, sl, sf);
			if (strncmp(sf, folded, fl) != 0)
				continue;
			int dup = 0;
			for (int m = 0; m < out->n_completions; m++)
				if (!strcmp(out->completions[m] + w->start, surf))
					dup = 1;
			if (dup)
				continue;
			/* the text before the word, then the word */
			char *c = hh_arena_alloc(a, w->start + sl + 1);
			memcpy(c, q->text, w->start);
			memcpy(c + w->start, surf, sl + 1);
			out->completions[out->n_completions++] = c;
		}
	}
	struct hh_search_result r;
	search_locked(idx, &t, q, a, &r);
	pthread_rwlock_unlock(&idx->lock);
	for (int i = 0; i < r.n_hits && i < 8; i++)
		out->titles[out->n_titles++] = r.hits[i];
}

const char *hh_search_strength_name(enum hh_search_strength s)
{
	switch (s) {
	case HH_STRENGTH_STRONG: return "strong";
	case HH_STRENGTH_WEAK: return "weak";
	default: return "none";
	}
}
