/* index.c - inverted index, BM25F ranking, typo tolerance, snippets. */
#include "search/index.h"

#include <malloc.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/util.h"
#include "text/wordset.h"

enum { F_TITLE, F_KEYWORDS, F_SUMMARY, F_BODY, N_FIELDS };

/* Field weights and BM25 parameters, tuned on the evaluation set. */
static const double field_weight[N_FIELDS] = { 4.0, 3.0, 1.5, 1.0 };
static const double field_b[N_FIELDS] = { 0.5, 0.4, 0.6, 0.75 };
#define K1 1.2
#define W_EXACT 1.0
#define W_PART 0.5    /* a compound part of a query or document word */
#define W_SYNONYM 0.8
#define W_FUZZY 0.35  /* below any exact or stemmed match */
#define W_PREFIX 0.7
#define RERANK 50     /* candidates given the proximity boost */

#define POS(field, p) (((uint32_t)(field) << 24) | ((p) & 0xffffff))

/* A posting in two parts: what scoring reads for every posting (the
 * document and its precomputed BM25F impact), and what only the top
 * candidates need (frequencies per field, positions). */
struct hot {
	uint32_t doc;
	float imp; /* tfw / (K1 + tfw), tfw the length-normalised field sum */
};

struct posting {
	uint16_t tf2[N_FIELDS]; /* 2 per whole word, 1 per compound part */
	uint32_t pos_off;
	uint32_t npos;
};

struct term {
	char *str;
	char *surface; /* a word that gave this term, for "Mente du" */
	uint32_t df;   /* live documents */
	struct hot *h;  /* n of each, in document order */
	struct posting *p;
	uint32_t n, cap;
	uint32_t *pos;
	uint32_t n_pos, cap_pos;
};

struct ckpt {
	uint32_t pos, off; /* a word position of the body and its byte offset */
};
#define CKPT_EVERY 32 /* words between snippet checkpoints */

struct doc {
	int64_t id, org_id;
	char *slug, *title, *summary, *text, *kle, *org_code, *org_name;
	uint8_t agency, status, audience; /* live: DM_LIVE in its dmeta */
	int8_t kle_group; /* the first two digits of the KLE number; -1: none */
	uint16_t flen[N_FIELDS];
	double chosen;
	uint32_t *terms; /* term ids, for removal */
	uint32_t n_terms;
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
};
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
};

struct trie_node {
	uint32_t child, sibling; /* 0: none (node 0 is the root) */
	int32_t term;            /* the word id; -1: none */
	unsigned char c;
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
};

/* ---- small hash maps ------------------------------------------------- */

static uint64_t hash_i64(int64_t k)
{
	uint64_t x = (uint64_t)k;
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

static int32_t term_find(const struct hh_index *idx, const char *s)
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


static uint32_t term_get(struct hh_index *idx, const char *s,
			 const char *surface)
{
	int32_t t = term_find(idx, s);
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

/* Article ids are > 0, so 0 marks an empty slot. Updating in place keeps
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

static int32_t slug_first(const struct hh_index *idx, const char *slug)
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

/* ---- trie over terms (typo tolerance, prefixes) ---------------------- */

static uint32_t trie_new_node(struct hh_index *idx, unsigned char c)
{
	if (idx->n_trie == idx->cap_trie) {
		idx->cap_trie = idx->cap_trie ? idx->cap_trie * 2 : 16384;
		idx->trie = hh_xrealloc(idx->trie,
					idx->cap_trie * sizeof(*idx->trie));
	}
	struct trie_node *n = &idx->trie[idx->n_trie];
	n->child = n->sibling = 0;
	n->term = -1;
	n->c = c;
	return idx->n_trie++;
}

/* Adds the folded word s (giving term) unless it is there already. */
static void trie_insert(struct hh_index *idx, const char *s, uint32_t term,
			const char *surface)
{
	uint32_t node = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		uint32_t ch = idx->trie[node].child, prev = 0;
		while (ch && idx->trie[ch].c != *p) {
			prev = ch;
			ch = idx->trie[ch].sibling;
		}
		if (!ch) {
			ch = trie_new_node(idx, *p);
			/* trie may have moved */
			if (prev)
				idx->trie[prev].sibling = ch;
			else
				idx->trie[node].child = ch;
		}
		node = ch;
	}
	if (idx->trie[node].term >= 0)
		return;
	if (idx->n_words == idx->cap_words) {
		idx->cap_words = idx->cap_words ? idx->cap_words * 2 : 4096;
		idx->words = hh_xrealloc(idx->words,
					 idx->cap_words * sizeof(*idx->words));
	}
	idx->words[idx->n_words].surface = hh_xstrdup(surface);
	idx->words[idx->n_words].term = term;
	idx->trie[node].term = (int32_t)idx->n_words++;
}

struct fuzzy {
	const struct hh_index *idx;
	const unsigned char *q;
	int qlen, maxd;
	unsigned char path[HH_TERM_MAX];
	int rows[HH_TERM_MAX + 1][HH_TERM_MAX + 1];
	struct { uint32_t term; int dist; } found[16];
	int n_found;
};

static void fuzzy_keep(struct fuzzy *f, uint32_t word, int dist)
{
	/* keep the closest, then the most frequent; one word per term */
	uint32_t term = f->idx->words[word].term;
	const struct term *tm = &f->idx->terms[term];
	if (!tm->df)
		return;
	for (int i = 0; i < f->n_found; i++) {
		if (f->idx->words[f->found[i].term].term != term)
			continue;
		if (dist < f->found[i].dist) {
			f->found[i].term = word;
			f->found[i].dist = dist;
		}
		return;
	}
	int worst = -1;
	if (f->n_found < 16) {
		f->found[f->n_found].term = word;
		f->found[f->n_found].dist = dist;
		f->n_found++;
		return;
	}
#define WDF(w) (f->idx->terms[f->idx->words[w].term].df)
	for (int i = 0; i < f->n_found; i++) {
		if (worst < 0 || f->found[i].dist > f->found[worst].dist ||
		    (f->found[i].dist == f->found[worst].dist &&
		     WDF(f->found[i].term) < WDF(f->found[worst].term)))
			worst = i;
	}
	if (dist < f->found[worst].dist ||
	    (dist == f->found[worst].dist && tm->df > WDF(f->found[worst].term))) {
		f->found[worst].term = word;
		f->found[worst].dist = dist;
	}
#undef WDF
}

static void fuzzy_walk(struct fuzzy *f, uint32_t node, int depth)
{
	const struct trie_node *tn = &f->idx->trie[node];
	unsigned char c = tn->c;
	int *row = f->rows[depth], *up = f->rows[depth - 1];
	const int big = f->maxd + 1;
	f->path[depth - 1] = c;
	/* Only cells within maxd of the diagonal can be within maxd edits
	 * (Ukkonen's band); the cells just outside it read as maxd + 1, a
	 * lower bound of their true value. */
	int lo = depth - f->maxd > 1 ? depth - f->maxd : 1;
	int hi = depth + f->maxd < f->qlen ? depth + f->maxd : f->qlen;
	row[0] = depth;
	if (lo > 1)
		row[lo - 1] = big;
	if (hi < f->qlen)
		row[hi + 1] = big;
	int mn = lo == 1 ? row[0] : big;
	for (int j = lo; j <= hi; j++) {
		int cost = f->q[j - 1] == c ? 0 : 1;
		int v = up[j] + 1;
		if (row[j - 1] + 1 < v)
			v = row[j - 1] + 1;
		if (up[j - 1] + cost < v)
			v = up[j - 1] + cost;
		if (depth > 1 && j > 1 && f->q[j - 1] == f->path[depth - 2] &&
		    f->q[j - 2] == c && f->rows[depth - 2][j - 2] + 1 < v)
			v = f->rows[depth - 2][j - 2] + 1; /* a swap */
		row[j] = v;
		if (v < mn)
			mn = v;
	}
	if (tn->term >= 0 && hi == f->qlen && lo <= hi &&
	    row[f->qlen] <= f->maxd && row[f->qlen] > 0)
		fuzzy_keep(f, (uint32_t)tn->term, row[f->qlen]);
	if (mn > f->maxd || depth >= HH_TERM_MAX - 1)
		return;
	for (uint32_t ch = tn->child; ch; ch = f->idx->trie[ch].sibling)
		fuzzy_walk(f, ch, depth + 1);
}

/* Words within maxd edits of the folded word q, closest and most frequent
 * first; one word per term. Returns word ids. */
static int fuzzy_terms(const struct hh_index *idx, const char *q, int maxd,
		       uint32_t *out, int max_out)
{
	struct fuzzy *f = hh_xmalloc(sizeof(*f));
	f->idx = idx;
	f->q = (const unsigned char *)q;
	f->qlen = (int)strlen(q);
	f->maxd = maxd;
	f->n_found = 0;
	if (f->qlen >= HH_TERM_MAX - 1 || !idx->n_trie) {
		free(f);
		return 0;
	}
	for (int j = 0; j <= f->qlen; j++)
		f->rows[0][j] = j;
	for (uint32_t ch = idx->trie[0].child; ch; ch = idx->trie[ch].sibling)
		fuzzy_walk(f, ch, 1);
	/* sort by distance, then df */
	for (int i = 1; i < f->n_found; i++)
		for (int k = i; k > 0; k--) {
			int a = f->found[k - 1].dist, b = f->found[k].dist;
			uint32_t da = idx->terms[idx->words[f->found[k - 1].term].term].df;
			uint32_t db = idx->terms[idx->words[f->found[k].term].term].df;
			if (b < a || (b == a && db > da)) {
				__typeof__(f->found[0]) tmp = f->found[k];
				f->found[k] = f->found[k - 1];
				f->found[k - 1] = tmp;
			}
		}
	int n = f->n_found < max_out ? f->n_found : max_out;
	for (int i = 0; i < n; i++)
		out[i] = f->found[i].term;
	free(f);
	return n;
}

/* Words starting with the folded prefix, most frequent first (word ids). */
static int prefix_terms(const struct hh_index *idx, const char *prefix,
			uint32_t *out, int max_out)
{
	uint32_t node = 0;
	for (const unsigned char *p = (const unsigned char *)prefix; *p; p++) {
		uint32_t ch = idx->trie[node].child;
		while (ch && idx->trie[ch].c != *p)
			ch = idx->trie[ch].sibling;
		if (!ch)
			return 0;
		node = ch;
	}
	/* bounded depth-first walk, keeping the max_out most frequent */
	uint32_t stack[4096];
	int sp = 0, n = 0, visited = 0;
	stack[sp++] = node;
	while (sp && visited < 20000) {
		uint32_t nd = stack[--sp];
		visited++;
		int32_t t = idx->trie[nd].term;
#define DF(w) (idx->terms[idx->words[w].term].df)
		if (t >= 0 && DF(t)) {
			uint32_t df = DF(t);
			int k;
			if (n < max_out)
				k = n++;
			else if (DF(out[n - 1]) < df)
				k = n - 1;
			else
				k = -1;
			if (k >= 0) {
				while (k > 0 && DF(out[k - 1]) < df) {
					out[k] = out[k - 1];
					k--;
				}
				out[k] = (uint32_t)t;
			}
		}
#undef DF
		for (uint32_t ch = idx->trie[nd].child; ch && sp < 4096;
		     ch = idx->trie[ch].sibling)
			stack[sp++] = ch;
	}
	return n;
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
	trie_new_node(idx, 0);
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
		free(idx->terms[i].p);
		free(idx->terms[i].pos);
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

/* The bytes plain_text looks at; NUL ends the text. */
static const unsigned char md_special[256] = {
	[0] = 1, ['\n'] = 1, ['*'] = 1, ['_'] = 1, ['`'] = 1,
	['['] = 1, [']'] = 1, ['!'] = 1,
};

/* Markdown to plain text for snippets: markers, emphasis and link targets
 * go, the words stay. */
static char *plain_text(const char *md)
{
	size_t n = strlen(md);
	char *out = hh_xmalloc(n + 1), *o = out;
	const char *p = md;
	int line_start = 1;
	while (*p) {
		if (line_start) {
			while (*p == ' ' || *p == '\t')
				p++;
			while (*p == '#' || *p == '>' ||
			       ((*p == '-' || *p == '*' || *p == '+') && p[1] == ' '))
				p++;
			const char *q = p;
			while (*q >= '0' && *q <= '9')
				q++;
			if (q > p && *q == '.' && q[1] == ' ')
				p = q + 1;
			while (*p == ' ')
				p++;
			line_start = 0;
			if (!*p)
				break; /* the text ended in a marker ("\n#") */
		}
		char ch = *p;
		if (ch == '\n') {
			line_start = 1;
			if (o > out && o[-1] != ' ')
				*o++ = ' ';
			p++;
		} else if (ch == '*' || ch == '_' || ch == '`') {
			p++;
		} else if (ch == ']' && p[1] == '(') {
			const char *close = strchr(p, ')');
			p = close ? close + 1 : p + 1;
		} else if (ch == '[' || (ch == '!' && p[1] == '[')) {
			p += ch == '!' ? 2 : 1;
		} else {
			/* a run of plain bytes at once */
			const char *r = p + 1;
			while (!md_special[(unsigned char)*r])
				r++;
			memcpy(o, p, (size_t)(r - p));
			o += r - p;
			p = r;
		}
	}
	*o = 0;
	return out;
}

struct doc_term {
	uint32_t term;
	uint16_t tf2[N_FIELDS];
	uint32_t n_pos;
};

struct put_ctx {
	struct hh_index *idx;
	int field;
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

struct wentry {
	uint32_t key; /* offset + 1 into wpool: a length byte, the bytes */
	uint32_t n;   /* term ids: 0 (a stop word), the word's, its parts' */
	uint32_t ids[4];
};

struct word_terms {
	struct hh_index *idx;
	uint32_t ids[4];
	uint32_t n;
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
	uint32_t term = term_get(w->idx, ts, t->part ? t->term : t->word);
	if (!t->part && t->fresh) { /* a word not seen before */
		char folded[HH_TERM_MAX];
		hh_fold_of(t->word, strlen(t->word), folded);
		trie_insert(w->idx, folded, term, t->word);
	}
	w->ids[w->n++] = term;
	return 0;
}

static void wmap_insert(struct hh_index *idx, const struct wentry *e)
{
	const char *k = idx->wpool + e->key - 1;
	size_t j = hh_hash_bytes(k + 1, (unsigned char)k[0]) & (idx->n_wmap - 1);
	while (idx->wmap[j].key)
		j = (j + 1) & (idx->n_wmap - 1);
	idx->wmap[j] = *e;
}

/* The terms of the word w (len bytes), analysing it the first time. */
static struct wentry word_terms(struct hh_index *idx, const char *w, size_t len)
{
	if (len <= WMAP_KEY_MAX && idx->n_wmap) {
		for (size_t j = hh_hash_bytes(w, len) & (idx->n_wmap - 1);
		     idx->wmap[j].key;
		     j = (j + 1) & (idx->n_wmap - 1)) {
			const unsigned char *k =
				(const unsigned char *)idx->wpool + idx->wmap[j].key - 1;
			if (k[0] == len && memcmp(k + 1, w, len) == 0)
				return idx->wmap[j];
		}
	}
	struct word_terms wt = { .idx = idx };
	hh_analyze_cached(idx->an, &idx->cache, w, len, HH_AN_COMPOUNDS,
			  word_term, &wt);
	struct wentry e = { 0, wt.n, { 0 } };
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
	wmap_insert(idx, &e);
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
		struct wentry e = word_terms(c->idx, s + st, en - st);
		for (uint32_t k = 0; k < e.n; k++)
			add_hit(c, e.ids[k], k ? 1 : 2, p);
	}
	return pos;
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
	for (uint32_t i = 0; i < d->n_terms; i++)
		idx->terms[d->terms[i]].df--;
	/* keep slug and owner for the slug chain; free the rest */
	free(d->title);
	free(d->summary);
	free(d->text);
	free(d->terms);
	free(d->ckpt);
	d->title = d->summary = d->text = NULL;
	d->terms = NULL;
	d->ckpt = NULL;
	d->n_terms = d->n_ckpt = 0;
}

static void compact_locked(struct hh_index *idx);

static void norm_doc(struct hh_index *idx, uint32_t di)
{
	double n = idx->live ? idx->live : 1;
	for (int f = 0; f < N_FIELDS; f++) {
		double avg = idx->sum_len[f] > 0 ? idx->sum_len[f] / n : 1;
		double norm = 1.0 - field_b[f] + field_b[f] * idx->docs[di].flen[f] / avg;
		idx->dw[di * N_FIELDS + f] = (float)(field_weight[f] * 0.5 / norm);
	}
}

static float impact(const struct hh_index *idx, uint32_t doc,
		    const struct posting *p)
{
	const float *w = idx->dw + (size_t)doc * N_FIELDS;
	float tfw = w[0] * p->tf2[0] + w[1] * p->tf2[1] + w[2] * p->tf2[2] +
		    w[3] * p->tf2[3];
	return tfw / ((float)K1 + tfw);
}

/* Every live document's norms with the current average lengths, and the
 * impacts of all postings with them. */
static void norms_locked(struct hh_index *idx)
{
	for (uint32_t i = 0; i < idx->n_docs; i++)
		if (idx->dm[i].flags & DM_LIVE)
			norm_doc(idx, i);
	for (uint32_t t = 0; t < idx->n_terms; t++) {
		struct term *tm = &idx->terms[t];
		for (uint32_t k = 0; k < tm->n; k++)
			if (idx->dm[tm->h[k].doc].flags & DM_LIVE)
				tm->h[k].imp = impact(idx, tm->h[k].doc, &tm->p[k]);
	}
	idx->norms_live = idx->live;
	__atomic_store_n(&idx->stale, 0, __ATOMIC_RELEASE);
}

/* After many changes (a bulk load), the recompute that put deferred. */
static void settle(struct hh_index *idx)
{
	if (!__atomic_load_n(&idx->stale, __ATOMIC_ACQUIRE))
		return;
	pthread_rwlock_wrlock(&idx->lock);
	if (idx->stale)
		norms_locked(idx);
	pthread_rwlock_unlock(&idx->lock);
}

void hh_index_settle(struct hh_index *idx)
{
	settle(idx);
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

static float chosen_boost(double chosen)
{
	return chosen > 0 ? (float)(1.0 + 0.1 * log1p(chosen)) : 1.0f;
}

void hh_index_put(struct hh_index *idx, const struct hh_article *a,
		  int org_is_agency)
{
	pthread_rwlock_wrlock(&idx->lock);
	int64_t old = idmap_get(idx, a->id);
	if (old >= 0)
		remove_locked(idx, (uint32_t)old);
	/* Only published articles: drafts are never searched, and their
	 * words must not reach completions, typo corrections or "Mente du"
	 * either (those read every live term). */
	if (a->status != HH_STATUS_PUBLISHED) {
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
	d->id = a->id;
	d->org_id = a->org_id;
	d->slug = hh_xstrdup(a->slug);
	d->title = hh_xstrdup(a->title);
	d->summary = hh_xstrdup(a->summary);
	d->text = plain_text(a->body_md ? a->body_md : "");
	d->text_len = (uint32_t)strlen(d->text);
	d->summary_len = (uint32_t)strlen(d->summary);
	d->kle = hh_xstrdup(a->kle ? a->kle : "");
	d->kle_group = d->kle[0] >= '0' && d->kle[0] <= '9' && d->kle[1] >= '0' &&
				       d->kle[1] <= '9'
			       ? (int8_t)((d->kle[0] - '0') * 10 + d->kle[1] - '0')
			       : -1;
	d->org_code = a->org_code ? hh_xstrdup(a->org_code) : NULL;
	d->org_name = a->org_name ? hh_xstrdup(a->org_name) : NULL;
	d->agency = (uint8_t)(org_is_agency != 0);
	d->status = (uint8_t)a->status;
	d->audience = (uint8_t)a->audience;
	if (old >= 0)
		d->chosen = idx->docs[old].chosen;
	idmap_set(idx, a->id, di);
	slug_add(idx, di);
	struct dmeta *m = &idx->dm[di];
	m->flags = d->audience == HH_AUDIENCE_STAFF ? DM_STAFF : 0;
	m->audience = d->audience;
	d->org_slot = org_slot(idx, d->org_id, d->org_code);
	m->fclass = fclass_get(idx, d->kle_group, d->audience, d->org_slot);
	m->boost = chosen_boost(d->chosen);
	if (!d->org_id)
		m->flags |= DM_SHARED;
	else if (!d->agency)
		m->flags |= DM_LOCAL;
	/* a local article shadows the shared ones with its slug, for its
	 * municipality; the flag only says "look" (visible() decides) */
	for (int32_t o = d->next_same_slug; o >= 0; o = idx->docs[o].next_same_slug) {
		struct doc *x = &idx->docs[o];
		if ((m->flags & DM_LOCAL) && !x->org_id)
			idx->dm[o].flags |= DM_MAY_BE_OVERRIDDEN;
		if ((m->flags & DM_SHARED) && x->org_id && !x->agency)
			m->flags |= DM_MAY_BE_OVERRIDDEN;
	}

	struct put_ctx c = { .idx = idx };
	const char *fields[N_FIELDS] = { a->title, a->keywords, a->summary,
					 d->text };
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
	d->terms = hh_xmalloc((c.n_dt + 1) * sizeof(uint32_t));
	d->n_terms = (uint32_t)c.n_dt;
	for (size_t i = 0; i < c.n_dt; i++) {
		struct term *tm = &idx->terms[c.dt[i].term];
		d->terms[i] = c.dt[i].term;
		if (tm->n == tm->cap) {
			tm->cap = tm->cap ? tm->cap * 2 : 4;
			tm->p = hh_xrealloc(tm->p, tm->cap * sizeof(*tm->p));
			tm->h = hh_xrealloc(tm->h, tm->cap * sizeof(*tm->h));
		}
		uint32_t np = c.dt[i].n_pos;
		if (tm->n_pos + np > tm->cap_pos) {
			while (tm->n_pos + np > tm->cap_pos)
				tm->cap_pos = tm->cap_pos ? tm->cap_pos * 2 : 8;
			tm->pos = hh_xrealloc(tm->pos, tm->cap_pos * sizeof(uint32_t));
		}
		tm->h[tm->n] = (struct hot){ di, 0 };
		struct posting *p = &tm->p[tm->n++];
		memcpy(p->tf2, c.dt[i].tf2, sizeof(p->tf2));
		p->pos_off = tm->n_pos;
		p->npos = np;
		memcpy(tm->pos + tm->n_pos, grouped + start[i], np * sizeof(uint32_t));
		tm->n_pos += np;
		tm->df++;
	}
	idx->live++;
	m->flags |= DM_LIVE;
	d->ckpt = c.ckpt;
	d->n_ckpt = c.n_ckpt;
	/* Averages drift as documents come and go: when they have moved
	 * far enough, all norms and impacts are recomputed, once, before the
	 * next search (a bulk load does not pay for it at every step);
	 * otherwise this document's now (its postings are the last of their
	 * terms). */
	if (idx->live > idx->norms_live + idx->norms_live / 8 ||
	    idx->live + idx->live / 8 < idx->norms_live)
		__atomic_store_n(&idx->stale, 1, __ATOMIC_RELEASE);
	if (!idx->stale) {
		norm_doc(idx, di);
		for (uint32_t i = 0; i < d->n_terms; i++) {
			struct term *tm = &idx->terms[d->terms[i]];
			tm->h[tm->n - 1].imp = impact(idx, di, &tm->p[tm->n - 1]);
		}
	}
	free(start);
	free(fill);
	free(grouped);
	for (size_t i = 0; i < c.n_dt; i++)
		idx->tslot[c.dt[i].term] = 0;
	free(c.dt);
	free(c.pos);
	free(c.pos_term);
	if (idx->dead > 1000 && idx->dead > idx->live)
		compact_locked(idx);
	pthread_rwlock_unlock(&idx->lock);
}

/* Drops postings of removed documents. Document slots stay, so ids in
 * other structures remain valid. */
static void compact_locked(struct hh_index *idx)
{
	for (uint32_t t = 0; t < idx->n_terms; t++) {
		struct term *tm = &idx->terms[t];
		uint32_t w = 0, wp = 0;
		for (uint32_t i = 0; i < tm->n; i++) {
			struct posting p = tm->p[i];
			if (!(idx->dm[tm->h[i].doc].flags & DM_LIVE))
				continue;
			memmove(tm->pos + wp, tm->pos + p.pos_off,
				p.npos * sizeof(uint32_t));
			p.pos_off = wp;
			wp += p.npos;
			tm->h[w] = tm->h[i];
			tm->p[w++] = p;
		}
		tm->n = w;
		tm->n_pos = wp;
	}
	idx->dead = 0;
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
		idx->dm[di].boost = chosen_boost(idx->docs[di].chosen);
	}
	pthread_rwlock_unlock(&idx->lock);
}

void hh_index_stats(struct hh_index *idx, struct hh_index_stats *s)
{
	pthread_rwlock_rdlock(&idx->lock);
	memset(s, 0, sizeof(*s));
	s->docs = idx->n_docs;
	s->live_docs = idx->live;
	s->terms = idx->n_terms;
	s->bytes = idx->cap_docs * sizeof(struct doc) +
		   idx->cap_terms * sizeof(struct term) +
		   idx->n_thash * sizeof(uint32_t) +
		   idx->n_idmap * (sizeof(int64_t) + sizeof(uint32_t)) +
		   idx->cap_trie * sizeof(struct trie_node) +
		   idx->cap_docs * (N_FIELDS * sizeof(float) + sizeof(struct dmeta)) +
		   idx->n_wmap * sizeof(struct wentry) + idx->wpool_cap +
		   idx->cap_tslot * sizeof(uint32_t) +
		   idx->cache.n_slots * sizeof(uint32_t) + idx->cache.pool_cap +
		   (idx->fclass_of ? 101 * 4 * ORG_SLOTS * sizeof(uint16_t) : 0);
	for (uint32_t t = 0; t < idx->n_terms; t++) {
		s->postings += idx->terms[t].n;
		s->positions += idx->terms[t].n_pos;
		s->bytes += idx->terms[t].cap * (sizeof(struct posting) +
						 sizeof(struct hot)) +
			    idx->terms[t].cap_pos * sizeof(uint32_t) +
			    strlen(idx->terms[t].str) * 2 + 2;
	}
	for (uint32_t i = 0; i < idx->n_docs; i++) {
		const struct doc *d = &idx->docs[i];
		if (!(idx->dm[i].flags & DM_LIVE))
			continue;
		s->bytes += strlen(d->slug) + strlen(d->title) +
			    strlen(d->summary) + strlen(d->text) + 4 +
			    d->n_terms * sizeof(uint32_t) +
			    d->n_ckpt * sizeof(struct ckpt);
	}
	pthread_rwlock_unlock(&idx->lock);
}

/* ---- building from the store ----------------------------------------- */

struct build_ctx {
	struct hh_index *idx;
	struct hh_arena *a;
	int64_t agencies[64];
	int n_agencies;
};

static int is_agency(const struct build_ctx *c, int64_t org)
{
	for (int i = 0; i < c->n_agencies; i++)
		if (c->agencies[i] == org)
			return 1;
	return 0;
}

static enum hh_rc build_org(void *p, const struct hh_org *o)
{
	struct build_ctx *c = p;
	if (o->kind == HH_ORG_AGENCY && c->n_agencies < 64)
		c->agencies[c->n_agencies++] = o->id;
	return HH_OK;
}

static enum hh_rc build_article(void *p, const struct hh_article *a)
{
	struct build_ctx *c = p;
	if (a->status != HH_STATUS_ARCHIVED)
		hh_index_put(c->idx, a, a->org_id && is_agency(c, a->org_id));
	return HH_OK;
}

static enum hh_rc build_chosen(void *p, int64_t article_id, int64_t n)
{
	struct build_ctx *c = p;
	hh_index_chosen(c->idx, article_id, n);
	return HH_OK;
}

static enum hh_rc build_tx(struct hh_tx *tx, void *p)
{
	struct build_ctx *c = p;
	struct hh_article_filter f = { 0 };
	c->n_agencies = 0;
	enum hh_rc rc = tx->store->org_list(tx, c->a, build_org, c);
	if (rc == HH_OK)
		rc = tx->store->article_list(tx, c->a, &f, 0, 0, NULL,
					     build_article, c);
	/* how often each article was chosen from results, for ranking */
	if (rc == HH_OK)
		rc = tx->store->search_chosen_counts(tx, build_chosen, c);
	return rc;
}

enum hh_rc hh_index_build(struct hh_index *idx, struct hh_store *st)
{
	struct hh_arena a;
	hh_arena_init(&a);
	struct build_ctx c = { .idx = idx, .a = &a };
	enum hh_rc rc = hh_store_run_tx(st, 0, build_tx, &c);
	hh_arena_clear(&a);
	pthread_rwlock_wrlock(&idx->lock);
	norms_locked(idx); /* with the final average lengths */
	pthread_rwlock_unlock(&idx->lock);
	/* The rows read for the build are freed now; give the pages back so
	 * the resident size is the index, not the build's peak. */
	malloc_trim(0);
	return rc;
}

struct refresh_ctx {
	struct hh_arena *a;
	int64_t id;
	struct hh_article art;
	int agency;
};

static enum hh_rc refresh_tx(struct hh_tx *tx, void *p)
{
	struct refresh_ctx *c = p;
	enum hh_rc rc = tx->store->article_get_by_id(tx, c->a, c->id, &c->art);
	if (rc != HH_OK || !c->art.org_id)
		return rc;
	struct hh_org o;
	rc = tx->store->org_get(tx, c->a, c->art.org_id, &o);
	c->agency = rc == HH_OK && o.kind == HH_ORG_AGENCY;
	return rc;
}

enum hh_rc hh_index_refresh(struct hh_index *idx, struct hh_store *st,
			    int64_t id)
{
	struct hh_arena a;
	hh_arena_init(&a);
	struct refresh_ctx c = { .a = &a, .id = id };
	enum hh_rc rc = hh_store_run_tx(st, 0, refresh_tx, &c);
	if (rc == HH_OK)
		hh_index_put(idx, &c.art, c.agency);
	else if (rc == HH_ERR_NOT_FOUND)
		hh_index_remove(idx, id), rc = HH_OK;
	hh_arena_clear(&a);
	return rc;
}

/* ---- searching ------------------------------------------------------- */

/* Bits 0-30 of a document's mask: the query words it matched; bit 31: it
 * matched some term other than a typo correction. */
#define EXACT_BIT (1u << 31)

struct scratch {
	float *acc;
	uint32_t *mask, *touched;
	uint32_t cap;
};

static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;

static void scratch_free(void *p)
{
	struct scratch *s = p;
	free(s->acc);
	free(s->mask);
	free(s->touched);
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
		s->mask = hh_xcalloc(cap, sizeof(uint32_t));
		/* one more: the scoring loop writes a candidate at the end
		 * before it knows whether it is new */
		s->touched = hh_xmalloc((cap + 1) * sizeof(uint32_t));
		s->cap = cap;
	}
	return s;
}

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
};

struct qterm {
	uint32_t term;
	double w;
	uint32_t mask;
	int fuzzy;
};

struct query {
	struct qword words[HH_QUERY_WORDS];
	int n_words;
	struct qterm terms[96];
	int n_terms;
	int clipped;
	const char *text;
	size_t text_len;
};

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
		      int fuzzy)
{
	for (int i = 0; i < q->n_terms; i++) {
		struct qterm *t = &q->terms[i];
		if (t->term == term) {
			if (w > t->w) {
				t->w = w;
				t->fuzzy = fuzzy;
			}
			t->mask |= mask;
			return;
		}
	}
	if (q->n_terms == (int)(sizeof(q->terms) / sizeof(q->terms[0])))
		return;
	q->terms[q->n_terms++] = (struct qterm){ term, w, mask, fuzzy };
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

/* The longest word of the index (5+ letters, not the whole word) that the
 * folded word begins with, or -1. */
static int32_t longest_prefix_word(const struct hh_index *idx, const char *word)
{
	char folded[HH_TERM_MAX];
	hh_fold_of(word, strlen(word), folded);
	size_t len = strlen(folded);
	uint32_t node = 0;
	int32_t best = -1;
	for (size_t i = 0; i + 1 < len; i++) {
		uint32_t ch = idx->trie[node].child;
		while (ch && idx->trie[ch].c != (unsigned char)folded[i])
			ch = idx->trie[ch].sibling;
		if (!ch)
			break;
		node = ch;
		int32_t w = idx->trie[node].term;
		if (w >= 0 && i + 1 >= 5 && len - (i + 1) >= 2 &&
		    idx->terms[idx->words[w].term].df)
			best = w;
	}
	return best;
}

static void parse_query(const struct hh_index *idx,
			const struct hh_search_query *sq, struct query *q)
{
	/* not all of *q: the words are ~13 KB, filled as they come */
	q->n_words = q->n_terms = 0;
	q->text = sq->text ? sq->text : "";
	size_t len = strlen(q->text);
	q->text_len = utf8_clip(q->text, len, HH_QUERY_MAX);
	q->clipped = q->text_len < len;
	hh_analyze_cached(idx->an, (struct hh_term_cache *)&idx->cache, q->text,
			  q->text_len,
			  HH_AN_COMPOUNDS | HH_AN_KEEP_STOP | HH_AN_CACHE_RO,
			  collect_qword, q);

	for (int i = 0; i < q->n_words; i++) {
		struct qword *w = &q->words[i];
		uint32_t bit = 1u << i;
		if (w->stop)
			goto prefix;
		w->tid = term_find(idx, w->term);
		if (w->tid >= 0 && idx->terms[w->tid].df) {
			add_qterm(q, (uint32_t)w->tid, W_EXACT, bit, 0);
			w->has_match = w->whole_known = 1;
		}
		char as_part[HH_TERM_MAX + 1] = "~";
		memcpy(as_part + 1, w->term, HH_TERM_MAX - 1);
		as_part[HH_TERM_MAX] = 0;
		int32_t inside = term_find(idx, as_part); /* in compounds */
		if (inside >= 0 && idx->terms[inside].df) {
			add_qterm(q, (uint32_t)inside, W_PART, bit, 0);
			w->has_match = w->whole_known = 1;
		}
prefix:;
		int is_last_prefix = sq->prefix_last && i == q->n_words - 1 &&
				     w->prefix_ok;
		if (is_last_prefix) {
			char folded[HH_TERM_MAX];
			hh_fold_of(w->word, strlen(w->word), folded);
			uint32_t pw[8];
			int n = prefix_terms(idx, folded, pw, 8);
			for (int k = 0; k < n; k++)
				add_qterm(q, idx->words[pw[k]].term, W_PREFIX, bit, 0);
			if (n)
				w->has_match = w->whole_known = 1;
		}
	}
	/* synonyms: a rule's left side matching consecutive query words (stop
	 * words skipped, as in the rules) adds its right side, counting as all
	 * the words it covers */
	int content[HH_QUERY_WORDS], n_content = 0;
	for (int i = 0; i < q->n_words; i++)
		if (!q->words[i].stop)
			content[n_content++] = i;
	if (idx->syn) {
		for (size_t r = 0; r < idx->syn->n; r++) {
			const struct hh_syn_rule *rule = &idx->syn->rules[r];
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
					int32_t t = term_find(idx, rule->to.terms[k]);
					if (t < 0 || !idx->terms[t].df)
						continue;
					add_qterm(q, (uint32_t)t, W_SYNONYM, mask, 0);
					for (int m = 0; m < rule->from.n; m++) {
						struct qword *cw = &q->words[content[i + m]];
						cw->has_match = cw->syn_covered = 1;
					}
				}
			}
		}
	}
	/* compounds written apart: "sundheds kort", "mit id", "have affald"
	 * also look for the joined word (with a linking s or e too) */
	for (int i = 0; i + 1 < q->n_words; i++) {
		const struct qword *a = &q->words[i], *b = &q->words[i + 1];
		if (a->stop && b->stop)
			continue;
		static const char *const links[] = { "", "s", "e" };
		for (int l = 0; l < 3; l++) {
			char joined[2 * HH_WORD_MAX + 2], term[HH_TERM_MAX];
			int n = snprintf(joined, sizeof(joined), "%s%s%s", a->word,
					 links[l], b->word);
			if (n <= 0 || (size_t)n >= sizeof(joined))
				continue;
			hh_term_of(joined, (size_t)n, term);
			int32_t t = term_find(idx, term);
			if (t >= 0 && idx->terms[t].df) {
				add_qterm(q, (uint32_t)t, W_EXACT,
					  (1u << i) | (1u << (i + 1)), 0);
				q->words[i].has_match = q->words[i + 1].has_match = 1;
				break;
			}
		}
	}
	/* A word the index does not know: a typo of a known word (børnebidarg)
	 * or a compound written differently (adresseændring). A close known
	 * word wins; otherwise its compound parts stand in for it. */
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
			int n = fuzzy_terms(idx, folded, 1, fw, 3);
			if (!n && letters >= 9)
				n = fuzzy_terms(idx, folded, 2, fw, 3);
			for (int k = 0; k < n; k++)
				add_qterm(q, idx->words[fw[k]].term,
					  W_FUZZY / (1 + k), bit, 1);
			if (n) {
				w->fuzzy_best = (int32_t)fw[0];
				w->has_match = 1;
				continue;
			}
		}
parts:
		for (int k = 0; k < w->n_parts; k++) {
			int32_t t = term_find(idx, w->parts[k]);
			if (t >= 0 && idx->terms[t].df) {
				add_qterm(q, (uint32_t)t, W_PART, bit, 0);
				w->has_match = 1;
			}
		}
		if (!w->has_match && hh_utf8_len(w->word) >= 8) {
			/* an unknown compound whose head is unknown too
			 * ("sundhedskortapp"): its longest known beginning */
			int32_t word = longest_prefix_word(idx, w->word);
			if (word >= 0) {
				add_qterm(q, idx->words[word].term, W_PART, bit, 0);
				w->has_match = 1;
			}
		}
	}
}

/* Without -mpopcnt, __builtin_popcount is a library call. */
static inline int popcount32(uint32_t x)
{
	x = x - ((x >> 1) & 0x55555555u);
	x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
	return (int)((((x + (x >> 4)) & 0x0f0f0f0fu) * 0x01010101u) >> 24);
}

struct cand {
	uint32_t doc;
	double score;
};

/* min-heap on score (ties: higher doc first out, so lower doc ids win) */
static int cand_less(const struct cand *a, const struct cand *b)
{
	return a->score < b->score || (a->score == b->score && a->doc > b->doc);
}

static void heap_push(struct cand *h, int *n, int cap, struct cand c)
{
	if (*n < cap) {
		int i = (*n)++;
		h[i] = c;
		while (i > 0 && cand_less(&h[i], &h[(i - 1) / 2])) {
			struct cand t = h[i];
			h[i] = h[(i - 1) / 2];
			h[(i - 1) / 2] = t;
			i = (i - 1) / 2;
		}
		return;
	}
	if (!cand_less(&h[0], &c))
		return;
	h[0] = c;
	int i = 0;
	for (;;) {
		int l = 2 * i + 1, r = l + 1, m = i;
		if (l < *n && cand_less(&h[l], &h[m]))
			m = l;
		if (r < *n && cand_less(&h[r], &h[m]))
			m = r;
		if (m == i)
			break;
		struct cand t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

static int cmp_cand_desc(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;
	if (a->score != b->score)
		return a->score < b->score ? 1 : -1;
	return a->doc < b->doc ? -1 : a->doc > b->doc;
}

static const struct posting *find_posting(const struct term *tm, uint32_t doc)
{
	uint32_t lo = 0, hi = tm->n;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (tm->h[mid].doc < doc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < tm->n && tm->h[lo].doc == doc ? &tm->p[lo] : NULL;
}

/* The smallest forward distance from a position of a to one of b in the
 * same field, or a large number. */
static uint32_t min_gap(const struct term *ta, const struct posting *pa,
			const struct term *tb, const struct posting *pb)
{
	uint32_t best = 1u << 30;
	const uint32_t *a = ta->pos + pa->pos_off, *b = tb->pos + pb->pos_off;
	uint32_t i = 0, j = 0;
	while (i < pa->npos && j < pb->npos) {
		if (b[j] > a[i]) {
			if ((a[i] >> 24) == (b[j] >> 24) && b[j] - a[i] < best)
				best = b[j] - a[i];
			i++;
		} else {
			j++;
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
	if (!d->org_id && sq->municipality_id) {
		/* replaced by the municipality's own version? */
		for (int32_t o = slug_first(idx, d->slug); o >= 0;
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
	if (sq->organisation_id || (sq->kle && *sq->kle) ||
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

/* ---- snippets -------------------------------------------------------- */

/* The positions in field f of document di where a query term matched,
 * sorted, at most max (the first ones). Compound parts share their word's
 * position, so a word is marked whole. */
static int match_positions(const struct hh_index *idx, uint32_t di,
			   const struct query *q, int f, uint32_t *out, int max)
{
	int n = 0;
	for (int i = 0; i < q->n_terms; i++) {
		const struct term *tm = &idx->terms[q->terms[i].term];
		const struct posting *p = find_posting(tm, di);
		if (!p || !p->tf2[f])
			continue;
		const uint32_t *pos = tm->pos + p->pos_off;
		for (uint32_t k = 0; k < p->npos; k++) {
			if ((pos[k] >> 24) != (uint32_t)f)
				continue;
			uint32_t v = pos[k] & 0xffffff;
			/* insert in order; on overflow keep the smallest */
			int j = n < max ? n++ : max;
			if (j == max && v >= out[max - 1])
				break; /* positions come sorted within a field */
			if (j == max)
				j = max - 1;
			while (j > 0 && out[j - 1] > v) {
				out[j] = out[j - 1];
				j--;
			}
			out[j] = v;
		}
	}
	return n;
}

/* Whether word position p is among the sorted matches mp, advancing *m
 * past the smaller ones (words come in order). */
static int is_match(const uint32_t *mp, int n_mp, int *m, uint32_t p)
{
	while (*m < n_mp && mp[*m] < p)
		(*m)++;
	return *m < n_mp && mp[*m] == p;
}

/* The text from *done to the word [start, end) escaped, the word in
 * <mark>. */
static void mark(struct hh_buf *out, const char *src, size_t *done,
		 size_t start, size_t end)
{
	hh_buf_html_n(out, src + *done, start - *done);
	hh_buf_puts(out, "<mark>");
	hh_buf_html_n(out, src + start, end - start);
	hh_buf_puts(out, "</mark>");
	*done = end;
}

#define SNIPPET_BEFORE 60
#define SNIPPET_LEN 220
#define SNIPPET_MARKS 64

/* A piece of the body around the first match (or the summary when the
 * body has none), HTML-escaped, the matched words in <mark>. Matches come
 * from the postings' positions; the text is only cut into words, from the
 * checkpoint before the first match, never analysed again. */
static const char *snippet(const struct hh_index *idx, uint32_t di,
			   const struct query *q, struct hh_arena *a)
{
	const struct doc *d = &idx->docs[di];
	uint32_t mp[SNIPPET_MARKS];
	const char *src = d->text;
	size_t len = d->text_len;
	int n_mp = match_positions(idx, di, q, F_BODY, mp, SNIPPET_MARKS);
	/* where to start cutting words: position, byte */
	uint32_t pos = 0;
	size_t at = 0;
	if (n_mp) {
		/* the last checkpoint at least 31 words before the first match:
		 * 31 words are more than SNIPPET_BEFORE bytes */
		uint32_t want = mp[0] > 31 ? mp[0] - 31 : 0;
		for (uint32_t k = 0; k < d->n_ckpt && d->ckpt[k].pos <= want; k++) {
			pos = d->ckpt[k].pos;
			at = d->ckpt[k].off;
		}
	} else {
		src = d->summary; /* no match in the body: the summary */
		len = d->summary_len;
		n_mp = match_positions(idx, di, q, F_SUMMARY, mp, SNIPPET_MARKS);
	}
	/* the words from the checkpoint to the first match */
	size_t ws[64], we[64];
	uint32_t wp[64];
	int nw = 0;
	size_t first = 0, s0, e0;
	if (n_mp) {
		first = len;
		while (hh_word_next(src, len, &at, &s0, &e0)) {
			ws[nw % 64] = s0;
			we[nw % 64] = e0;
			wp[nw % 64] = pos;
			nw++;
			if (pos++ == mp[0]) {
				first = s0;
				break;
			}
		}
	}
	size_t start = first > SNIPPET_BEFORE ? first - SNIPPET_BEFORE : 0;
	while (start > 0 && src[start - 1] != ' ')
		start--; /* whole words */
	size_t end = start + SNIPPET_LEN < len ? start + SNIPPET_LEN : len;
	while (end < len && src[end] != ' ' && end - start < SNIPPET_LEN + 30)
		end++;
	while (end > start && end < len && ((unsigned char)src[end] & 0xc0) == 0x80)
		end--;

	struct hh_buf out;
	hh_buf_init(&out);
	if (start > 0)
		hh_buf_puts(&out, "… ");
	size_t done = start;
	int m = 0;
	/* the remembered words from start on, then the rest of the window */
	int from = nw > 64 ? nw - 64 : 0;
	for (int k = from; k < nw; k++) {
		int r = k % 64;
		if (ws[r] < start)
			continue;
		if (we[r] <= end && is_match(mp, n_mp, &m, wp[r]))
			mark(&out, src, &done, ws[r], we[r]);
	}
	if (!nw)
		at = start; /* the summary: from its beginning */
	while (m < n_mp && hh_word_next(src, len, &at, &s0, &e0) && e0 <= end) {
		if (is_match(mp, n_mp, &m, pos++))
			mark(&out, src, &done, s0, e0);
	}
	hh_buf_html_n(&out, src + done, end - done);
	if (end < len)
		hh_buf_puts(&out, " …");
	const char *s = hh_arena_strdup(a, hh_buf_str(&out));
	hh_buf_clear(&out);
	return s;
}

/* "00" to "99" */
static const char kle_group_name[100][3] = {
#define D(t) #t "0", #t "1", #t "2", #t "3", #t "4", #t "5", #t "6", #t "7", #t "8", #t "9"
	D(0), D(1), D(2), D(3), D(4), D(5), D(6), D(7), D(8), D(9)
#undef D
};

/* ---- the search ------------------------------------------------------ */

static const char *corrected(const struct hh_index *idx, const struct query *q,
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

void hh_index_search(struct hh_index *idx, const struct hh_search_query *sq,
		     struct hh_arena *a, struct hh_search_result *res)
{
	memset(res, 0, sizeof(*res));
	settle(idx);
	struct query *q = hh_xmalloc(sizeof(*q));
	pthread_rwlock_rdlock(&idx->lock);
	parse_query(idx, sq, q);
	res->clipped = q->clipped;
	res->n_terms = q->n_terms;
	int limit = sq->limit > 0 ? sq->limit : 10;
	int offset = sq->offset > 0 ? sq->offset : 0;
	if (!q->n_terms || !idx->live)
		goto done;

	struct scratch *s = scratch_get(idx->n_docs);
	double n_live = idx->live;
	/* Every posting of every query term: the documents' impacts summed
	 * (removed documents too; visible() drops them below). */
	float *acc = s->acc;
	uint32_t *mask = s->mask, *touched = s->touched, n_touched = 0;
	for (int i = 0; i < q->n_terms; i++) {
		const struct qterm *qt = &q->terms[i];
		const struct term *tm = &idx->terms[qt->term];
		double df = tm->df;
		float wq = (float)(qt->w * log(1.0 + (n_live - df + 0.5) / (df + 0.5)));
		uint32_t bits = qt->mask | (qt->fuzzy ? 0 : EXACT_BIT);
		const struct hot *h = tm->h;
		for (uint32_t k = 0, n = tm->n; k < n; k++) {
			uint32_t d = h[k].doc;
			touched[n_touched] = d; /* kept only if new: no branch */
			n_touched += !mask[d];
			acc[d] += wq * h[k].imp;
			mask[d] |= bits;
		}
	}

	uint32_t all = 0;
	for (int i = 0; i < q->n_terms; i++)
		all |= q->terms[i].mask;
	all &= ~EXACT_BIT;
	int n_words = popcount32(all);
	double cover2[33]; /* (words matched / words)² */
	for (int k = 0; k <= n_words; k++)
		cover2[k] = (double)k * k / ((double)n_words * n_words);
	int heap_cap = offset + limit > RERANK ? offset + limit : RERANK;
	struct cand *heap = hh_xmalloc((size_t)heap_cap * sizeof(*heap));
	int n_heap = 0, exact_total = 0;
	struct facet_acc *fa = hh_xcalloc(1, sizeof(*fa));
	/* Most documents are decided by their flags alone: live, and none
	 * of staff-only (for a citizen), local, or possibly replaced (when a
	 * municipality is named); no filter on KLE, audience or owner. */
	uint8_t quick = DM_LIVE | DM_LOCAL | (sq->staff ? 0 : DM_STAFF) |
			(sq->municipality_id ? DM_MAY_BE_OVERRIDDEN : 0);
	int filters = sq->audience || sq->organisation_id || (sq->kle && *sq->kle);
	const struct dmeta *dm = idx->dm;
	int total = 0, n_cls = idx->n_fclasses > 0 ? idx->n_fclasses : 1;
	/* class counts, kept twice for alternate documents: most documents
	 * add to the same few counters, and one copy would make each add
	 * wait for the one before */
	int *cls = hh_xcalloc(2 * (size_t)n_cls, sizeof(int));
	for (uint32_t i = 0; i < n_touched; i++) {
		uint32_t di = touched[i];
		uint32_t mk = mask[di];
		float sc = acc[di];
		acc[di] = 0; /* the scratch is clean again for the next search */
		mask[di] = 0;
		const struct dmeta *m = &dm[di];
		if (((m->flags & quick) != DM_LIVE || filters) && !visible(idx, di, sq))
			continue;
		total++;
		exact_total += (mk & EXACT_BIT) != 0;
		if (m->fclass)
			cls[(total & 1) * n_cls + m->fclass]++;
		else
			facet_add_doc(fa, &idx->docs[di]);
		/* full coverage is the most a document can score: below the
		 * heap's least even so, it is out */
		double score = (double)sc * m->boost;
		if (n_heap == heap_cap && score < heap[0].score)
			continue;
		score *= cover2[popcount32(mk & all)];
		heap_push(heap, &n_heap, heap_cap, (struct cand){ di, score });
	}
	res->total = total;
	for (int c = 1; c < n_cls; c++) {
		int n = cls[c] + cls[n_cls + c];
		if (!n)
			continue;
		const struct fclass *fc = &idx->fclasses[c];
		fa->kle[fc->kle_group + 1] += n;
		fa->aud[fc->audience] += n;
		fa->slot[fc->org_slot] += n;
	}
	free(cls);

	/* proximity: consecutive query words next to each other */
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
			const struct posting *pa = find_posting(A, heap[h].doc);
			const struct posting *pb = find_posting(B, heap[h].doc);
			if (!pa || !pb)
				continue;
			uint32_t gap = min_gap(A, pa, B, pb);
			if (gap == want)
				boost *= 1.3; /* the phrase as typed */
			else if (gap <= want + 2)
				boost *= 1.1;
		}
		heap[h].score *= boost;
	}
	/* at most RERANK (or offset + limit) candidates: insertion sort */
	for (int i = 1; i < n_heap; i++) {
		struct cand c = heap[i];
		int j = i;
		while (j > 0 && cmp_cand_desc(&heap[j - 1], &c) > 0) {
			heap[j] = heap[j - 1];
			j--;
		}
		heap[j] = c;
	}

	if (offset < n_heap) {
		int n = n_heap - offset < limit ? n_heap - offset : limit;
		res->hits = hh_arena_calloc(a, (size_t)n * sizeof(*res->hits));
		for (int i = 0; i < n; i++) {
			const struct doc *d = &idx->docs[heap[offset + i].doc];
			struct hh_search_hit *hit = &res->hits[i];
			hit->id = d->id;
			hit->slug = hh_arena_strdup(a, d->slug);
			hit->title = hh_arena_strdup(a, d->title);
			hit->summary = hh_arena_strdup(a, d->summary);
			hit->kle = hh_arena_strdup(a, d->kle);
			hit->org_code = d->org_code ? hh_arena_strdup(a, d->org_code) : NULL;
			hit->org_name = d->org_name ? hh_arena_strdup(a, d->org_name) : NULL;
			hit->audience = d->audience;
			hit->score = heap[offset + i].score;
			hit->snippet_html = sq->no_snippets
						    ? NULL
						    : snippet(idx, heap[offset + i].doc, q, a);
		}
		res->n_hits = n;
	}
	/* facets */
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
	/* "Mente du ...?" when the corrected words find clearly more */
	if (res->total > 2 * exact_total)
		res->did_you_mean = corrected(idx, q, a);
	free(fa);
	free(heap);
done:
	pthread_rwlock_unlock(&idx->lock);
	free(q);
}

void hh_index_suggest(struct hh_index *idx, const struct hh_search_query *sq,
		      struct hh_arena *a, struct hh_suggestion *out)
{
	memset(out, 0, sizeof(*out));
	struct query *q = hh_xmalloc(sizeof(*q));
	pthread_rwlock_rdlock(&idx->lock);
	parse_query(idx, &(struct hh_search_query){ .text = sq->text, .no_fuzzy = 1 }, q);
	if (q->n_words && q->words[q->n_words - 1].prefix_ok) {
		const struct qword *w = &q->words[q->n_words - 1];
		char folded[HH_TERM_MAX];
		hh_fold_of(w->word, strlen(w->word), folded);
		uint32_t pw[8];
		int n = prefix_terms(idx, folded, pw, 8);
		for (int k = 0; k < n && out->n_completions < 8; k++) {
			const char *surf = idx->words[pw[k]].surface;
			/* the surface must still start like the typed word */
			char sf[HH_TERM_MAX];
			hh_fold_of(surf, strlen(surf), sf);
			if (strncmp(sf, folded, strlen(folded)) != 0)
				continue;
			int dup = 0;
			for (int m = 0; m < out->n_completions; m++)
				if (!strcmp(out->completions[m] + w->start, surf))
					dup = 1;
			if (dup)
				continue;
			out->completions[out->n_completions++] = hh_arena_printf(
				a, "%.*s%s", (int)w->start, q->text, surf);
		}
	}
	pthread_rwlock_unlock(&idx->lock);
	free(q);
	struct hh_search_query t = *sq;
	t.prefix_last = 1;
	t.no_snippets = 1;
	t.limit = 8;
	t.offset = 0;
	struct hh_search_result r;
	hh_index_search(idx, &t, a, &r);
	for (int i = 0; i < r.n_hits && i < 8; i++)
		out->titles[out->n_titles++] = r.hits[i];
}
