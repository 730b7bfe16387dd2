/* index.c - the search index object: its hash maps, documents in and out
 * (put, remove), locking, statistics.
 *
 * The index is split along its parts behind index_int.h: postings.c
 * (indexing words into postings), trie.c (the trie of written words and
 * the banded typo walk), query.c (query parsing), rank.c (norms, scoring,
 * top-k, facets, the search), snippet.c (plain text and snippets). */
#include "search/index.h"

#include <malloc.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "search/index_int.h"
#include "text/wordset.h"

/* ---- small hash maps ------------------------------------------------- */

static uint64_t hash_i64(int64_t k)
{
	uint64_t x = (uint64_t)k;
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

int32_t hh_ix_term_find(const struct hh_index *idx, const char *s)
{
	if (!idx->n_thash)
		return -1;
	size_t len = strlen(s);
	size_t j = hh_hash_bytes(s, len) & (idx->n_thash - 1);
	while (idx->thash[j]) {
		uint32_t t = idx->thash[j] - 1;
		if (strcmp(idx->terms[t].str, s) == 0)
			return (int32_t)t;
		j = (j + 1) & (idx->n_thash - 1);
	}
	return -1;
}

static void thash_insert(struct hh_index *idx, uint32_t t)
{
	const char *s = idx->terms[t].str;
	size_t j = hh_hash_bytes(s, strlen(s)) & (idx->n_thash - 1);
	while (idx->thash[j])
		j = (j + 1) & (idx->n_thash - 1);
	idx->thash[j] = t + 1;
}

uint32_t hh_ix_term_get(struct hh_index *idx, const char *s,
			const char *surface)
{
	int32_t t = hh_ix_term_find(idx, s);
	if (t >= 0)
		return (uint32_t)t;
	if ((idx->n_terms + 1) * 2 > idx->n_thash) {
		free(idx->thash);
		idx->n_thash = idx->n_thash ? idx->n_thash * 2 : 4096;
		idx->thash = hh_xcalloc(idx->n_thash, sizeof(uint32_t));
		for (uint32_t i = 0; i < idx->n_terms; i++)
			thash_insert(idx, i);
	}
	if (idx->n_terms == idx->cap_terms) {
		idx->cap_terms = idx->cap_terms ? idx->cap_terms * 2 : 4096;
		idx->terms = hh_xrealloc(idx->terms,
					 idx->cap_terms * sizeof(*idx->terms));
	}
	struct term *tm = &idx->terms[idx->n_terms];
	memset(tm, 0, sizeof(*tm));
	tm->str = hh_xstrdup(s);
	tm->surface = hh_xstrdup(surface);
	thash_insert(idx, idx->n_terms);
	return idx->n_terms++;
}

static int64_t idmap_get(const struct hh_index *idx, int64_t id)
{
	if (!idx->n_idmap)
		return -1;
	size_t j = hash_i64(id) & (idx->n_idmap - 1);
	while (idx->idmap_keys[j]) {
		if (idx->idmap_keys[j] == id)
			return idx->idmap_vals[j];
		j = (j + 1) & (idx->n_idmap - 1);
	}
	return -1;
}

/* Keys are never 0 (article ids are > 0, doc_key makes the others < 0),
 * so 0 marks an empty slot. Updating in place keeps
 * the map small: a replaced document reuses its id's slot. */
static void idmap_set(struct hh_index *idx, int64_t id, uint32_t doc)
{
	if ((idx->used_idmap + 1) * 2 > idx->n_idmap) {
		int64_t *ok = idx->idmap_keys;
		uint32_t *ov = idx->idmap_vals;
		size_t on = idx->n_idmap;
		idx->n_idmap = on ? on * 2 : 1024;
		idx->idmap_keys = hh_xcalloc(idx->n_idmap, sizeof(int64_t));
		idx->idmap_vals = hh_xcalloc(idx->n_idmap, sizeof(uint32_t));
		idx->used_idmap = 0;
		for (size_t i = 0; i < on; i++)
			if (ok[i])
				idmap_set(idx, ok[i], ov[i]);
		free(ok);
		free(ov);
	}
	size_t j = hash_i64(id) & (idx->n_idmap - 1);
	while (idx->idmap_keys[j] && idx->idmap_keys[j] != id)
		j = (j + 1) & (idx->n_idmap - 1);
	if (!idx->idmap_keys[j])
		idx->used_idmap++;
	idx->idmap_keys[j] = id;
	idx->idmap_vals[j] = doc;
}

static size_t slug_slot(const struct hh_index *idx, const char *slug)
{
	size_t j = hh_hash_bytes(slug, strlen(slug)) & (idx->n_slugmap - 1);
	while (idx->slug_keys[j] && strcmp(idx->slug_keys[j], slug) != 0)
		j = (j + 1) & (idx->n_slugmap - 1);
	return j;
}

int32_t hh_ix_slug_first(const struct hh_index *idx, const char *slug)
{
	if (!idx->n_slugmap)
		return -1;
	size_t j = slug_slot(idx, slug);
	return idx->slug_keys[j] ? idx->slug_vals[j] : -1;
}

static void slug_add(struct hh_index *idx, uint32_t doc)
{
	if ((idx->used_slugmap + 1) * 2 > idx->n_slugmap) {
		char **ok = idx->slug_keys;
		int32_t *ov = idx->slug_vals;
		size_t on = idx->n_slugmap;
		idx->n_slugmap = on ? on * 2 : 1024;
		idx->slug_keys = hh_xcalloc(idx->n_slugmap, sizeof(char *));
		idx->slug_vals = hh_xcalloc(idx->n_slugmap, sizeof(int32_t));
		for (size_t i = 0; i < on; i++) {
			if (!ok[i])
				continue;
			size_t j = slug_slot(idx, ok[i]);
			idx->slug_keys[j] = ok[i];
			idx->slug_vals[j] = ov[i];
		}
		free(ok);
		free(ov);
	}
	struct doc *d = &idx->docs[doc];
	/* s-self: a guide or a form never overrides an article with its
	 * slug, nor is overridden: the slug chains are the articles' */
	if (d->kind != HH_DOC_ARTICLE) {
		d->next_same_slug = -1;
		return;
	}
	size_t j = slug_slot(idx, d->slug);
	if (idx->slug_keys[j]) {
		d->next_same_slug = idx->slug_vals[j];
	} else {
		idx->slug_keys[j] = hh_xstrdup(d->slug);
		idx->used_slugmap++;
		d->next_same_slug = -1;
	}
	idx->slug_vals[j] = (int32_t)doc;
}

/* ---- documents ------------------------------------------------------- */

struct hh_index *hh_index_new(const struct hh_analyzer *an,
			      const struct hh_synonyms *syn)
{
	struct hh_index *idx = hh_xcalloc(1, sizeof(*idx));
	pthread_rwlock_init(&idx->lock, NULL);
	hh_term_cache_init(&idx->cache);
	idx->an = an;
	idx->syn = syn;
	hh_ix_trie_new_node(idx, 0); /* the root */
	return idx;
}

static void doc_strings_free(struct doc *d)
{
	free(d->slug);
	free(d->title);
	free(d->summary);
	free(d->text);
	free(d->kle);
	free(d->org_code);
	free(d->org_name);
	free(d->terms);
	free(d->ckpt);
	d->slug = d->title = d->summary = d->text = d->kle = NULL;
	d->org_code = d->org_name = NULL;
	d->terms = NULL;
	d->ckpt = NULL;
}

void hh_index_free(struct hh_index *idx)
{
	if (!idx)
		return;
	for (uint32_t i = 0; i < idx->n_docs; i++)
		doc_strings_free(&idx->docs[i]);
	for (uint32_t i = 0; i < idx->n_terms; i++) {
		free(idx->terms[i].str);
		free(idx->terms[i].surface);
		free(idx->terms[i].h);
		free(idx->terms[i].cold_off);
		free(idx->terms[i].cold);
	}
	for (size_t i = 0; i < idx->n_slugmap; i++)
		free(idx->slug_keys[i]);
	free(idx->slug_keys);
	free(idx->slug_vals);
	free(idx->docs);
	free(idx->terms);
	free(idx->thash);
	free(idx->idmap_keys);
	free(idx->idmap_vals);
	free(idx->trie);
	free(idx->dw);
	free(idx->dm);
	free(idx->fclass_of);
	for (int i = 0; i < idx->n_org_slots; i++)
		free(idx->org_codes[i]);
	for (uint32_t i = 0; i < idx->n_words; i++)
		free(idx->words[i].surface);
	free(idx->words);
	hh_term_cache_clear(&idx->cache);
	free(idx->wmap);
	free(idx->wpool);
	free(idx->tslot);
	pthread_rwlock_destroy(&idx->lock);
	free(idx);
}

static void remove_locked(struct hh_index *idx, uint32_t di)
{
	struct doc *d = &idx->docs[di];
	if (!(idx->dm[di].flags & DM_LIVE))
		return;
	idx->dm[di].flags &= (uint8_t)~DM_LIVE;
	idx->live--;
	idx->dead++;
	for (int f = 0; f < N_FIELDS; f++)
		idx->sum_len[f] -= d->flen[f];
	int pub = !(idx->dm[di].flags & DM_STAFF);
	const uint8_t *tp = d->terms;
	for (uint32_t i = 0, t = 0; i < d->n_terms; i++) {
		t += hh_ix_varint(&tp);
		idx->terms[t].df--;
		idx->terms[t].pdf -= pub;
	}
	/* keep slug and owner for the slug chain; free the rest */
	free(d->title);
	free(d->summary);
	free(d->text);
	free(d->terms);
	free(d->ckpt);
	d->title = d->summary = d->text = NULL;
	d->terms = NULL;
	d->ckpt = NULL;
	d->n_terms = d->n_ckpt = d->terms_len = 0;
}

/* Gives back the room the arrays grew into during a bulk load (s-speed):
 * they grow by half or double as documents come, and a put after this
 * grows them again. The term slots of hh_ix_postings_add are scratch
 * (all zero between puts): freed, allocated again by the next put. */
static void trim_locked(struct hh_index *idx)
{
	hh_ix_postings_trim(idx);
	if (idx->cap_docs > idx->n_docs && idx->n_docs) {
		idx->cap_docs = idx->n_docs;
		idx->docs = hh_xrealloc(idx->docs,
					idx->cap_docs * sizeof(*idx->docs));
		idx->dw = hh_xrealloc(idx->dw,
				      idx->cap_docs * N_FIELDS * sizeof(float));
		idx->dm = hh_xrealloc(idx->dm, idx->cap_docs * sizeof(*idx->dm));
	}
	if (idx->cap_terms > idx->n_terms && idx->n_terms) {
		idx->cap_terms = idx->n_terms;
		idx->terms = hh_xrealloc(idx->terms,
					 idx->cap_terms * sizeof(*idx->terms));
	}
	hh_ix_trie_relayout(idx); /* s-last; before the shrink: one copy */
	if (idx->cap_trie > idx->n_trie && idx->n_trie) {
		idx->cap_trie = idx->n_trie;
		idx->trie = hh_xrealloc(idx->trie,
					idx->cap_trie * sizeof(*idx->trie));
	}
	if (idx->cap_words > idx->n_words && idx->n_words) {
		idx->cap_words = idx->n_words;
		idx->words = hh_xrealloc(idx->words,
					 idx->cap_words * sizeof(*idx->words));
	}
	free(idx->tslot);
	idx->tslot = NULL;
	idx->cap_tslot = 0;
	/* The word map only spares indexing the analysis of words it has
	 * met (postings.c): after a bulk load it is a few MB that the next
	 * puts, one article at a time, do not need; they fill it again. */
	free(idx->wmap);
	free(idx->wpool);
	idx->wmap = NULL;
	idx->wpool = NULL;
	idx->n_wmap = idx->used_wmap = 0;
	idx->wpool_len = idx->wpool_cap = 0;
}

/* After many changes (a bulk load), the recompute that put deferred. */
void hh_index_settle(struct hh_index *idx)
{
	if (!__atomic_load_n(&idx->stale, __ATOMIC_ACQUIRE))
		return;
	pthread_rwlock_wrlock(&idx->lock);
	if (idx->stale) {
		hh_ix_norms_locked(idx);
		trim_locked(idx);
	}
	pthread_rwlock_unlock(&idx->lock);
}

/* The facet slot of an organisation (0 when shared). */
static uint8_t org_slot(struct hh_index *idx, int64_t org_id, const char *code)
{
	for (int i = 0; i < idx->n_org_slots; i++)
		if (idx->org_ids[i] == org_id)
			return (uint8_t)i;
	if (idx->n_org_slots == ORG_SLOTS)
		return ORG_SLOTS;
	idx->org_ids[idx->n_org_slots] = org_id;
	idx->org_codes[idx->n_org_slots] = hh_xstrdup(code ? code : "");
	return (uint8_t)idx->n_org_slots++;
}

/* The facet class of a document's values; 0 when the classes are full or
 * the organisation has no slot. */
static uint16_t fclass_get(struct hh_index *idx, int8_t kle_group,
			   uint8_t audience, uint8_t slot)
{
	if (slot >= ORG_SLOTS || audience > 3)
		return 0;
	if (!idx->fclass_of) {
		idx->fclass_of = hh_xcalloc(101 * 4 * ORG_SLOTS, sizeof(uint16_t));
		idx->n_fclasses = 1;
	}
	size_t key = ((size_t)(kle_group + 1) * 4 + audience) * ORG_SLOTS + slot;
	if (!idx->fclass_of[key] && idx->n_fclasses < FCLASSES) {
		idx->fclasses[idx->n_fclasses] = (struct fclass){ kle_group, audience, slot };
		idx->fclass_of[key] = (uint16_t)idx->n_fclasses++;
	}
	return idx->fclass_of[key];
}

/* Document di's boost from how often it was chosen from results; the
 * index's max_boost (s-p99) follows. */
static void set_boost(struct hh_index *idx, uint32_t di)
{
	double chosen = idx->docs[di].chosen;
	float boost = chosen > 0 ? (float)(1.0 + 0.1 * log1p(chosen)) : 1.0f;
	idx->dm[di].boost = boost;
	if (boost > idx->max_boost)
		idx->max_boost = boost;
}

/* s-self: the id map's key of a document. Articles keep their id (so
 * hh_index_chosen and hh_index_remove need no kind); guides and forms
 * have their own ids in the store, kept apart below zero. */
static int64_t doc_key(enum hh_doc_kind kind, int64_t id)
{
	return kind == HH_DOC_ARTICLE
		       ? id
		       : -(int64_t)(((uint64_t)kind << 48) | (uint64_t)id);
}

static const char *const kind_names[HH_DOC_KINDS] = { "article", "guide",
						       "service" };
static const char *const kind_labels[HH_DOC_KINDS] = { "Vejledning", "Guide",
							"Selvbetjening" };
static const char *const kind_paths[HH_DOC_KINDS] = {
	"/artikel/", "/livssituation/", "/blanket/"
};

const char *hh_doc_kind_name(enum hh_doc_kind k)
{
	return (unsigned)k < HH_DOC_KINDS ? kind_names[k] : NULL;
}

const char *hh_doc_kind_label(enum hh_doc_kind k)
{
	return (unsigned)k < HH_DOC_KINDS ? kind_labels[k] : "";
}

const char *hh_doc_kind_path(enum hh_doc_kind k)
{
	return (unsigned)k < HH_DOC_KINDS ? kind_paths[k] : "/artikel/";
}

int hh_doc_kind_parse(const char *name)
{
	for (int k = 0; name && k < HH_DOC_KINDS; k++)
		if (!strcmp(name, kind_names[k]))
			return k;
	return -1;
}

/* Adds document x (published) or, with !published, only removes the
 * document it replaces. */
static void put_doc(struct hh_index *idx, const struct hh_index_doc *x,
		    int published)
{
	pthread_rwlock_wrlock(&idx->lock);
	int64_t key = doc_key(x->kind, x->id);
	int64_t old = idmap_get(idx, key);
	if (old >= 0)
		remove_locked(idx, (uint32_t)old);
	/* Only published articles: drafts are never searched, and their
	 * words must not reach completions, typo corrections or "Mente du"
	 * either (those read every live term). */
	if (!published) {
		pthread_rwlock_unlock(&idx->lock);
		return;
	}
	if (idx->n_docs == idx->cap_docs) {
		idx->cap_docs = idx->cap_docs ? idx->cap_docs * 2 : 1024;
		idx->docs = hh_xrealloc(idx->docs, idx->cap_docs * sizeof(*idx->docs));
		idx->dw = hh_xrealloc(idx->dw, idx->cap_docs * N_FIELDS * sizeof(float));
		idx->dm = hh_xrealloc(idx->dm, idx->cap_docs * sizeof(*idx->dm));
	}
	uint32_t di = idx->n_docs++;
	struct doc *d = &idx->docs[di];
	memset(d, 0, sizeof(*d));
	d->id = x->id;
	d->org_id = x->org_id;
	d->kind = (uint8_t)x->kind;
	d->slug = hh_xstrdup(x->slug);
	d->title = hh_xstrdup(x->title);
	d->summary = hh_xstrdup(x->summary);
	d->text = hh_ix_plain_text(x->body_md ? x->body_md : "");
	d->text_len = (uint32_t)strlen(d->text);
	d->summary_len = (uint32_t)strlen(d->summary);
	d->kle = hh_xstrdup(x->kle ? x->kle : "");
	d->kle_group = d->kle[0] >= '0' && d->kle[0] <= '9' && d->kle[1] >= '0' &&
				       d->kle[1] <= '9'
			       ? (int8_t)((d->kle[0] - '0') * 10 + d->kle[1] - '0')
			       : -1;
	d->org_code = x->org_code ? hh_xstrdup(x->org_code) : NULL;
	d->org_name = x->org_name ? hh_xstrdup(x->org_name) : NULL;
	d->agency = (uint8_t)(x->org_is_agency != 0);
	d->status = (uint8_t)HH_STATUS_PUBLISHED;
	d->audience = (uint8_t)x->audience;
	if (old >= 0)
		d->chosen = idx->docs[old].chosen;
	idmap_set(idx, key, di);
	slug_add(idx, di);
	struct dmeta *m = &idx->dm[di];
	m->flags = d->audience == HH_AUDIENCE_STAFF ? DM_STAFF : 0;
	m->flags |= x->kind == HH_DOC_GUIDE     ? DM_GUIDE
		    : x->kind == HH_DOC_SERVICE ? DM_SERVICE
						: 0;
	m->audience = d->audience;
	d->org_slot = org_slot(idx, d->org_id, d->org_code);
	m->fclass = fclass_get(idx, d->kle_group, d->audience, d->org_slot);
	set_boost(idx, di);
	if (!d->org_id)
		m->flags |= DM_SHARED;
	else if (!d->agency)
		m->flags |= DM_LOCAL;
	/* a local article shadows the shared ones with its slug, for its
	 * municipality; the flag only says "look" (visible() decides) */
	for (int32_t o = d->next_same_slug; o >= 0; o = idx->docs[o].next_same_slug) {
		struct doc *y = &idx->docs[o];
		if ((m->flags & DM_LOCAL) && !y->org_id)
			idx->dm[o].flags |= DM_MAY_BE_OVERRIDDEN;
		if ((m->flags & DM_SHARED) && y->org_id && !y->agency)
			m->flags |= DM_MAY_BE_OVERRIDDEN;
	}

	const char *fields[N_FIELDS] = { x->title, x->keywords, x->summary,
					 d->text };
	hh_ix_postings_add(idx, di, fields);
	idx->live++;
	m->flags |= DM_LIVE;
	/* Averages drift as documents come and go: when they have moved
	 * far enough, all norms and impacts are recomputed, once, before the
	 * next search (a bulk load does not pay for it at every step);
	 * otherwise this document's now (its postings are the last of their
	 * terms). */
	if (idx->live > idx->norms_live + idx->norms_live / 8 ||
	    idx->live + idx->live / 8 < idx->norms_live)
		__atomic_store_n(&idx->stale, 1, __ATOMIC_RELEASE);
	if (!idx->stale)
		hh_ix_norm_new_doc(idx, di);
	if (idx->dead > 1000 && idx->dead > idx->live)
		hh_ix_compact_locked(idx);
	pthread_rwlock_unlock(&idx->lock);
}

void hh_index_put(struct hh_index *idx, const struct hh_article *a,
		  int org_is_agency)
{
	struct hh_index_doc x = {
		.kind = HH_DOC_ARTICLE,
		.id = a->id,
		.org_id = a->org_id,
		.org_code = a->org_code,
		.org_name = a->org_name,
		.org_is_agency = org_is_agency,
		.slug = a->slug,
		.title = a->title,
		.summary = a->summary,
		.keywords = a->keywords,
		.body_md = a->body_md,
		.kle = a->kle,
		.audience = a->audience,
	};
	put_doc(idx, &x, a->status == HH_STATUS_PUBLISHED);
}

void hh_index_put_doc(struct hh_index *idx, const struct hh_index_doc *x)
{
	put_doc(idx, x, 1);
}

void hh_index_remove_doc(struct hh_index *idx, enum hh_doc_kind kind,
			 int64_t id)
{
	pthread_rwlock_wrlock(&idx->lock);
	int64_t di = idmap_get(idx, doc_key(kind, id));
	if (di >= 0)
		remove_locked(idx, (uint32_t)di);
	pthread_rwlock_unlock(&idx->lock);
}

void hh_index_remove(struct hh_index *idx, int64_t id)
{
	pthread_rwlock_wrlock(&idx->lock);
	int64_t di = idmap_get(idx, id);
	if (di >= 0)
		remove_locked(idx, (uint32_t)di);
	pthread_rwlock_unlock(&idx->lock);
}

void hh_index_chosen(struct hh_index *idx, int64_t id, int64_t n)
{
	pthread_rwlock_wrlock(&idx->lock);
	int64_t di = idmap_get(idx, id);
	if (di >= 0) {
		idx->docs[di].chosen += (double)n;
		set_boost(idx, (uint32_t)di);
	}
	pthread_rwlock_unlock(&idx->lock);
}

static size_t str_bytes(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

void hh_index_stats(struct hh_index *idx, struct hh_index_stats *s)
{
	pthread_rwlock_rdlock(&idx->lock);
	memset(s, 0, sizeof(*s));
	s->docs = idx->n_docs;
	s->live_docs = idx->live;
	s->terms = idx->n_terms;
	s->bytes_docs = idx->cap_docs * sizeof(struct doc) +
			idx->n_idmap * (sizeof(int64_t) + sizeof(uint32_t)) +
			idx->n_slugmap * (sizeof(char *) + sizeof(int32_t)) +
			idx->cap_docs * (N_FIELDS * sizeof(float) +
					 sizeof(struct dmeta)) +
			(idx->fclass_of ? 101 * 4 * ORG_SLOTS * sizeof(uint16_t)
					: 0);
	s->bytes_vocab = idx->cap_terms * sizeof(struct term) +
			 idx->n_thash * sizeof(uint32_t) +
			 idx->cap_trie * sizeof(struct trie_node) +
			 idx->cap_words * sizeof(struct word) +
			 idx->n_wmap * sizeof(struct wentry) + idx->wpool_cap +
			 idx->cap_tslot * sizeof(uint32_t) +
			 idx->cache.n_slots * sizeof(uint32_t) + idx->cache.pool_cap;
	for (uint32_t t = 0; t < idx->n_terms; t++) {
		const struct term *tm = &idx->terms[t];
		s->postings += tm->n;
		s->positions += tm->n_pos;
		s->bytes_hot += tm->cap * (sizeof(struct hot) + sizeof(uint32_t));
		s->bytes_cold += tm->cold_cap;
		s->bytes_vocab += str_bytes(tm->str) + str_bytes(tm->surface);
	}
	for (uint32_t w = 0; w < idx->n_words; w++)
		s->bytes_vocab += str_bytes(idx->words[w].surface);
	for (size_t i = 0; i < idx->n_slugmap; i++)
		s->bytes_docs += str_bytes(idx->slug_keys[i]);
	for (uint32_t i = 0; i < idx->n_docs; i++) {
		const struct doc *d = &idx->docs[i];
		/* a removed document keeps its slug and owner (slug chains) */
		s->bytes_text += str_bytes(d->slug) + str_bytes(d->title) +
				 str_bytes(d->summary) + str_bytes(d->text) +
				 str_bytes(d->kle) + str_bytes(d->org_code) +
				 str_bytes(d->org_name);
		s->bytes_docs += d->terms_len +
				 d->n_ckpt * sizeof(struct ckpt);
	}
	s->bytes = s->bytes_hot + s->bytes_cold + s->bytes_text +
		   s->bytes_docs + s->bytes_vocab;
	pthread_rwlock_unlock(&idx->lock);
}

int hh_index_knows(struct hh_index *idx, const char *word, size_t len)
{
	/* lower case first (ASCII and the Latin-1 capitals: Æ Ø Å É ...),
	 * as hh_term_of expects */
	char low[HH_TERM_MAX * 4];
	if (!len || len >= sizeof(low))
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)word[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + 32);
		else if (i && (unsigned char)word[i - 1] == 0xc3 && c >= 0x80 &&
			 c <= 0x9e && c != 0x97)
			c = (unsigned char)(c + 32);
		low[i] = (char)c;
	}
	char term[HH_TERM_MAX];
	hh_term_of(low, len, term);
	pthread_rwlock_rdlock(&idx->lock);
	int32_t t = hh_ix_term_find(idx, term);
	int known = t >= 0 && idx->terms[t].df;
	pthread_rwlock_unlock(&idx->lock);
	return known;
}
