/* postings.c - indexing a document's words into postings: the word map,
 * positions and frequencies per field, body checkpoints, compaction. */
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "search/index_int.h"
#include "text/wordset.h"

#define POS(field, p) (((uint32_t)(field) << 24) | ((p) & 0xffffff))

struct doc_term {
	uint32_t term;
	uint16_t tf2[N_FIELDS];
	uint32_t n_pos;
};

struct put_ctx {
	struct hh_index *idx;
	int field;
	int pub; /* the document is for the public (not staff only) */
	struct doc_term *dt;
	size_t n_dt, cap_dt;
	uint32_t *pos;      /* positions, grouped later */
	uint32_t *pos_term; /* dt index of each position */
	size_t n_pos, cap_pos;
	struct ckpt *ckpt; /* of the body */
	uint32_t n_ckpt, cap_ckpt;
};

/* ---- the word map: words as written to their terms ------------------- */

/* Indexing meets the same words again and again. The map gives a word as
 * written (its bytes before case folding) its term ids at once, where the
 * analyser would lower-case it and look it up in its cache and the index
 * would then hash the term again. A miss analyses the word, which fills
 * the analyser's cache too (queries read it), and adds it. */
#define WMAP_KEY_MAX 255

struct word_terms {
	struct hh_index *idx;
	uint32_t ids[4];
	uint32_t n;
	uint32_t word; /* the whole word's id + 1 */
};

static int word_term(void *p, const struct hh_token *t)
{
	struct word_terms *w = p;
	if (w->n == 4)
		return 1;
	/* Compound parts are their own terms ("~kort"), so that a part of a
	 * query word never matches a part of a document word (pas|port must
	 * not find trans|port). */
	char part[HH_TERM_MAX + 1];
	const char *ts = t->term;
	if (t->part) {
		part[0] = '~';
		memcpy(part + 1, t->term, HH_TERM_MAX);
		part[HH_TERM_MAX] = 0;
		ts = part;
	}
	uint32_t term = hh_ix_term_get(w->idx, ts, t->part ? t->term : t->word);
	if (!t->part) {
		/* the word in the trie: added when new (t->fresh), found
		 * otherwise (a spelling the word map has not seen, "Bolig"
		 * after "bolig"), so that the entry knows its word */
		char folded[HH_TERM_MAX];
		hh_fold_of(t->word, strlen(t->word), folded);
		w->word = hh_ix_trie_insert(w->idx, folded, term, t->word) + 1;
	}
	w->ids[w->n++] = term;
	return 0;
}

static struct wentry *wmap_insert(struct hh_index *idx, const struct wentry *e)
{
	const char *k = idx->wpool + e->key - 1;
	size_t j = hh_hash_bytes(k + 1, (unsigned char)k[0]) & (idx->n_wmap - 1);
	while (idx->wmap[j].key)
		j = (j + 1) & (idx->n_wmap - 1);
	idx->wmap[j] = *e;
	return &idx->wmap[j];
}

/* The terms of the word w (len bytes), analysing it the first time;
 * *slot gets its entry in the map (NULL: a word too long to keep). */
static struct wentry word_terms(struct hh_index *idx, const char *w, size_t len,
				struct wentry **slot)
{
	*slot = NULL;
	if (len <= WMAP_KEY_MAX && idx->n_wmap) {
		for (size_t j = hh_hash_bytes(w, len) & (idx->n_wmap - 1);
		     idx->wmap[j].key;
		     j = (j + 1) & (idx->n_wmap - 1)) {
			const unsigned char *k =
				(const unsigned char *)idx->wpool + idx->wmap[j].key - 1;
			if (k[0] == len && memcmp(k + 1, w, len) == 0) {
				*slot = &idx->wmap[j];
				return idx->wmap[j];
			}
		}
	}
	struct word_terms wt = { .idx = idx };
	hh_analyze_cached(idx->an, &idx->cache, w, len, HH_AN_COMPOUNDS,
			  word_term, &wt);
	struct wentry e = { 0, wt.n, { 0 }, wt.word, 0 };
	memcpy(e.ids, wt.ids, sizeof(e.ids));
	if (len > WMAP_KEY_MAX)
		return e;
	if ((idx->used_wmap + 1) * 2 > idx->n_wmap) {
		struct wentry *old = idx->wmap;
		size_t on = idx->n_wmap;
		idx->n_wmap = on ? on * 2 : 4096;
		idx->wmap = hh_xcalloc(idx->n_wmap, sizeof(*idx->wmap));
		for (size_t i = 0; i < on; i++)
			if (old[i].key)
				wmap_insert(idx, &old[i]);
		free(old);
	}
	if (idx->wpool_len + len + 1 > idx->wpool_cap) {
		idx->wpool_cap = idx->wpool_cap ? idx->wpool_cap * 2 : 65536;
		while (idx->wpool_len + len + 1 > idx->wpool_cap)
			idx->wpool_cap *= 2;
		idx->wpool = hh_xrealloc(idx->wpool, idx->wpool_cap);
	}
	e.key = (uint32_t)idx->wpool_len + 1;
	idx->wpool[idx->wpool_len] = (char)len;
	memcpy(idx->wpool + idx->wpool_len + 1, w, len);
	idx->wpool_len += len + 1;
	*slot = wmap_insert(idx, &e);
	idx->used_wmap++;
	return e;
}

/* One occurrence of term at position pos of the current field: 2 to its
 * frequency for a whole word, 1 for a compound part. */
static void add_hit(struct put_ctx *c, uint32_t term, uint16_t add, uint32_t pos)
{
	struct hh_index *idx = c->idx;
	if (term >= idx->cap_tslot) {
		size_t cap = idx->cap_terms > term ? idx->cap_terms : term + 1;
		idx->tslot = hh_xrealloc(idx->tslot, cap * sizeof(uint32_t));
		memset(idx->tslot + idx->cap_tslot, 0,
		       (cap - idx->cap_tslot) * sizeof(uint32_t));
		idx->cap_tslot = cap;
	}
	uint32_t k = idx->tslot[term];
	if (!k) {
		if (c->n_dt == c->cap_dt) {
			c->cap_dt = c->cap_dt ? c->cap_dt * 2 : 128;
			c->dt = hh_xrealloc(c->dt, c->cap_dt * sizeof(*c->dt));
		}
		memset(&c->dt[c->n_dt], 0, sizeof(c->dt[0]));
		c->dt[c->n_dt].term = term;
		idx->tslot[term] = k = (uint32_t)++c->n_dt;
	}
	struct doc_term *d = &c->dt[k - 1];
	if (d->tf2[c->field] < 65000)
		d->tf2[c->field] += add;
	if (c->n_pos == c->cap_pos) {
		c->cap_pos = c->cap_pos ? c->cap_pos * 2 : 512;
		c->pos = hh_xrealloc(c->pos, c->cap_pos * sizeof(uint32_t));
		c->pos_term = hh_xrealloc(c->pos_term, c->cap_pos * sizeof(uint32_t));
	}
	c->pos[c->n_pos] = POS(c->field, pos);
	c->pos_term[c->n_pos] = k - 1;
	c->n_pos++;
	d->n_pos++;
}

/* Indexes one field's text; returns its length in words (stop words
 * count, as positions do). */
static uint32_t index_field(struct put_ctx *c, const char *s, size_t len)
{
	size_t at = 0, st, en;
	uint32_t pos = 0, next_ckpt = 0;
	while (hh_word_next(s, len, &at, &st, &en)) {
		uint32_t p = pos++;
		if (c->field == F_BODY && p >= next_ckpt) {
			if (c->n_ckpt == c->cap_ckpt) {
				c->cap_ckpt = c->cap_ckpt ? c->cap_ckpt * 2 : 8;
				c->ckpt = hh_xrealloc(c->ckpt,
						      c->cap_ckpt * sizeof(*c->ckpt));
			}
			c->ckpt[c->n_ckpt++] = (struct ckpt){ p, (uint32_t)st };
			next_ckpt = p + CKPT_EVERY;
		}
		struct wentry *slot;
		struct wentry e = word_terms(c->idx, s + st, en - st, &slot);
		/* the word list is marked once per word, through its entry
		 * (already in cache), not at every occurrence */
		if (c->pub && e.word && !e.pub) {
			c->idx->words[e.word - 1].pub = 1;
			if (slot)
				slot->pub = 1;
		}
		for (uint32_t k = 0; k < e.n; k++)
			add_hit(c, e.ids[k], k ? 1 : 2, p);
	}
	return pos;
}

static uint8_t *varint_put(uint8_t *o, uint32_t v);

static int cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	return a < b ? -1 : a > b;
}

/* Document d's term list (struct doc): the n terms of dt ascending, as
 * varint differences. */
static void terms_put(struct doc *d, const struct doc_term *dt, size_t n)
{
	uint32_t *ids = hh_xmalloc((n + 1) * sizeof(uint32_t));
	for (size_t i = 0; i < n; i++)
		ids[i] = dt[i].term;
	qsort(ids, n, sizeof(uint32_t), cmp_u32);
	uint8_t *buf = hh_xmalloc(5 * n + 1), *o = buf;
	uint32_t prev = 0;
	for (size_t i = 0; i < n; i++) {
		o = varint_put(o, ids[i] - prev);
		prev = ids[i];
	}
	d->terms_len = (uint32_t)(o - buf);
	d->terms = hh_xrealloc(buf, d->terms_len + 1);
	free(ids);
}

/* Indexes document di's fields (title, keywords, summary, body text):
 * its field lengths, term list and body checkpoints, and one posting per
 * term, appended to the term's list (di is the newest document). Impacts
 * are left 0 for the caller. */
void hh_ix_postings_add(struct hh_index *idx, uint32_t di,
			const char *const fields[N_FIELDS])
{
	struct doc *d = &idx->docs[di];
	struct put_ctx c = { .idx = idx, .pub = !(idx->dm[di].flags & DM_STAFF) };
	for (int f = 0; f < N_FIELDS; f++) {
		c.field = f;
		const char *s = fields[f] ? fields[f] : "";
		uint32_t words = index_field(&c, s, strlen(s));
		d->flen[f] = (uint16_t)(words > 65535 ? 65535 : words);
		idx->sum_len[f] += d->flen[f];
	}
	/* group positions by doc term, in order */
	uint32_t *start = hh_xcalloc(c.n_dt + 1, sizeof(uint32_t));
	for (size_t i = 0; i < c.n_dt; i++)
		start[i + 1] = start[i] + c.dt[i].n_pos;
	uint32_t *fill = hh_xcalloc(c.n_dt, sizeof(uint32_t));
	uint32_t *grouped = hh_xmalloc((c.n_pos + 1) * sizeof(uint32_t));
	for (size_t i = 0; i < c.n_pos; i++) {
		uint32_t t = c.pos_term[i];
		grouped[start[t] + fill[t]++] = c.pos[i];
	}
	d->n_terms = (uint32_t)c.n_dt;
	terms_put(d, c.dt, c.n_dt);
	for (size_t i = 0; i < c.n_dt; i++) {
		struct term *tm = &idx->terms[c.dt[i].term];
		if (tm->n == tm->cap) {
			tm->cap = tm->cap ? tm->cap + tm->cap / 2 + 2 : 2;
			tm->h = hh_xrealloc(tm->h, tm->cap * sizeof(*tm->h));
			tm->cold_off = hh_xrealloc(tm->cold_off,
						   tm->cap * sizeof(uint32_t));
		}
		uint32_t np = c.dt[i].n_pos;
		size_t room = HH_IX_RECORD_MAX(np);
		if (tm->cold_len + room > tm->cold_cap) {
			size_t cap = tm->cold_cap ? tm->cold_cap : 16;
			while (tm->cold_len + room > cap)
				cap += cap / 2;
			tm->cold_cap = (uint32_t)cap;
			tm->cold = hh_xrealloc(tm->cold, cap);
		}
		tm->h[tm->n] = (struct hot){ di, 0 };
		tm->cold_off[tm->n++] = tm->cold_len;
		tm->cold_len += (uint32_t)hh_ix_record_put(
			tm->cold + tm->cold_len, c.dt[i].tf2, grouped + start[i], np);
		tm->n_pos += np;
		tm->df++;
		tm->pdf += c.pub;
	}
	d->ckpt = c.ckpt;
	d->n_ckpt = c.n_ckpt;
	free(start);
	free(fill);
	free(grouped);
	for (size_t i = 0; i < c.n_dt; i++)
		idx->tslot[c.dt[i].term] = 0;
	free(c.dt);
	free(c.pos);
	free(c.pos_term);
}

static uint8_t *varint_put(uint8_t *o, uint32_t v)
{
	while (v >= 0x80) {
		*o++ = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	*o++ = (uint8_t)v;
	return o;
}

size_t hh_ix_record_put(uint8_t *out, const uint16_t tf2[N_FIELDS],
			const uint32_t *pos, uint32_t npos)
{
	uint8_t *o = out + 1;
	unsigned fm = 0;
	/* the frequencies the positions give, as most are (struct hot) */
	uint32_t n[N_FIELDS] = { 0 };
	for (uint32_t k = 0; k < npos; k++)
		n[pos[k] >> HH_IX_FIELD_SHIFT]++;
	int whole = 1, parts = 1;
	for (int f = 0; f < N_FIELDS; f++) {
		whole &= tf2[f] == 2 * n[f];
		parts &= tf2[f] == n[f];
		if (tf2[f])
			fm |= 1u << f;
	}
	if (whole || parts) {
		fm |= TF_COUNTED | (whole ? 0 : TF_PARTS);
	} else {
		for (int f = 0; f < N_FIELDS; f++)
			if (tf2[f])
				o = varint_put(o, tf2[f]);
	}
	out[0] = (uint8_t)fm;
	uint32_t prev_field = N_FIELDS, prev_word = 0;
	for (uint32_t k = 0; k < npos; k++) {
		uint32_t field = pos[k] >> HH_IX_FIELD_SHIFT, word = pos[k] & 0xffffff;
		if (field == prev_field)
			o = varint_put(o, (word - prev_word) << 1);
		else
			o = varint_put(o, word << 3 | field << 1 | 1);
		prev_field = field;
		prev_word = word;
	}
	return (size_t)(o - out);
}

/* The length of term tm's k-th record. */
static uint32_t record_len(const struct term *tm, uint32_t k)
{
	return (k + 1 < tm->n ? tm->cold_off[k + 1] : tm->cold_len) -
	       tm->cold_off[k];
}

/* Drops postings of removed documents. Document slots stay, so ids in
 * other structures remain valid. */
void hh_ix_compact_locked(struct hh_index *idx)
{
	for (uint32_t t = 0; t < idx->n_terms; t++) {
		struct term *tm = &idx->terms[t];
		uint32_t w = 0, wc = 0, n_pos = 0;
		for (uint32_t i = 0; i < tm->n; i++) {
			if (!(idx->dm[tm->h[i].doc].flags & DM_LIVE))
				continue;
			uint32_t off = tm->cold_off[i], len = record_len(tm, i);
			struct posting p;
			struct pos_iter it;
			hh_ix_posting_at(tm, i, &p);
			hh_ix_pos_init(&it, &p);
			while (hh_ix_pos_next(&it))
				n_pos++;
			memmove(tm->cold + wc, tm->cold + off, len);
			tm->h[w] = tm->h[i];
			tm->cold_off[w++] = wc;
			wc += len;
		}
		tm->n = w;
		tm->cold_len = wc;
		tm->n_pos = n_pos;
	}
	idx->dead = 0;
}

void hh_ix_postings_trim(struct hh_index *idx)
{
	for (uint32_t t = 0; t < idx->n_terms; t++) {
		struct term *tm = &idx->terms[t];
		if (tm->cap > tm->n && tm->n) {
			tm->cap = tm->n;
			tm->h = hh_xrealloc(tm->h, tm->cap * sizeof(*tm->h));
			tm->cold_off = hh_xrealloc(tm->cold_off,
						   tm->cap * sizeof(uint32_t));
		}
		if (tm->cold_cap > tm->cold_len && tm->cold_len) {
			tm->cold_cap = tm->cold_len;
			tm->cold = hh_xrealloc(tm->cold, tm->cold_cap);
		}
	}
}
