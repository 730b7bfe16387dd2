/* trie.c - the trie of the words as written: insertion, the
 * edit-distance walk for typos (bit-parallel rows), prefix completion. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "search/index_int.h"

uint32_t hh_ix_trie_new_node(struct hh_index *idx, unsigned char c)
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
	n->rest = 0;
	return idx->n_trie++;
}

/* s-last: the nodes renumbered so that the children of each node stand
 * side by side (in their order), each node's block before the blocks
 * below its children, depth first. The
 * typo walk reads a node's children one after the other: where they
 * were made as the words came, far apart, each was a miss in the cache
 * (a long unknown word's walk with two edits visits about 7,500 nodes
 * of the 500,000 at 100,000 articles, and took 270 µs of its search;
 * side by side the children of a node are a line or two). Every link,
 * word and order stays as it was, so every walk finds the same words in
 * the same order. After a bulk load (hh_index_settle); nodes added
 * later go at the end as before. */
void hh_ix_trie_relayout(struct hh_index *idx)
{
	uint32_t n = idx->n_trie;
	if (n < 2)
		return;
	uint32_t *order = hh_xmalloc(n * sizeof(uint32_t)); /* new -> old */
	uint32_t *id = hh_xmalloc(n * sizeof(uint32_t));    /* old -> new */
	uint32_t *stack = id; /* its room, until the ids are written */
	uint32_t next = 1, depth = 0;
	order[0] = 0;
	stack[depth++] = 0;
	while (depth) {
		/* a node's children as a block, then the blocks below its
		 * first child before those below its second: the walks go
		 * depth first, so what they read next is mostly near */
		uint32_t u = stack[--depth], first = next;
		for (uint32_t ch = idx->trie[u].child; ch && next < n;
		     ch = idx->trie[ch].sibling)
			order[next++] = ch;
		for (uint32_t k = next; k > first; k--)
			stack[depth++] = order[k - 1];
	}
	if (next != n) { /* a node no walk reaches: keep the layout */
		free(order);
		free(id);
		return;
	}
	for (uint32_t k = 0; k < n; k++)
		id[order[k]] = k;
	struct trie_node *t = hh_xmalloc((size_t)idx->cap_trie * sizeof(*t));
	for (uint32_t k = 0; k < n; k++) {
		t[k] = idx->trie[order[k]];
		t[k].child = t[k].child ? id[t[k].child] : 0;
		t[k].sibling = t[k].sibling ? id[t[k].sibling] : 0;
	}
	free(idx->trie);
	idx->trie = t;
	free(order);
	free(id);
}

/* Adds the folded word s (giving term) unless it is there already;
 * returns its word id. */
uint32_t hh_ix_trie_insert(struct hh_index *idx, const char *s, uint32_t term,
			   const char *surface)
{
	uint32_t node = 0;
	size_t len = strlen(s);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		size_t left = len - (size_t)(p - (const unsigned char *)s);
		if (idx->trie[node].rest < left)
			idx->trie[node].rest = (uint8_t)(left > 255 ? 255 : left);
		uint32_t ch = idx->trie[node].child, prev = 0;
		while (ch && idx->trie[ch].c != *p) {
			prev = ch;
			ch = idx->trie[ch].sibling;
		}
		if (!ch) {
			ch = hh_ix_trie_new_node(idx, *p);
			/* trie may have moved */
			if (prev)
				idx->trie[prev].sibling = ch;
			else
				idx->trie[node].child = ch;
		}
		node = ch;
	}
	if (idx->trie[node].term >= 0)
		return (uint32_t)idx->trie[node].term;
	if (idx->n_words == idx->cap_words) {
		idx->cap_words = idx->cap_words ? idx->cap_words * 2 : 4096;
		idx->words = hh_xrealloc(idx->words,
					 idx->cap_words * sizeof(*idx->words));
	}
	idx->words[idx->n_words].surface = hh_xstrdup(surface);
	idx->words[idx->n_words].term = term;
	idx->words[idx->n_words].pub = 0;
	idx->trie[node].term = (int32_t)idx->n_words;
	return idx->n_words++;
}

struct fuzzy {
	const struct hh_index *idx;
	const unsigned char *q;
	int qlen, maxd;
	int staff; /* the caller reads staff articles */
	/* the letters from the root: path[depth], path[0] = 0 (no query
	 * byte, so peq[0] = 0: no swap at depth 1) */
	unsigned char path[HH_TERM_MAX + 1];
	uint64_t qmask; /* the query word's columns */
	/* s-score: the rows of the table as bit vectors (Myers 1999, with
	 * Hyyroe's 2003 swap for the restricted Damerau distance): per depth,
	 * where a cell is one more (vp) or one less (vn) than the cell to its
	 * left, where it equals the cell above-left (d0), and the value of
	 * the row's cell at its band's start (anchor: column depth - maxd, or
	 * column 0 at depths up to maxd). Bit j - 1 is column j; the query
	 * word has at most HH_TERM_MAX - 2 bytes, so one word holds a row. */
	uint64_t vp[HH_TERM_MAX + 1], vn[HH_TERM_MAX + 1], d0[HH_TERM_MAX + 1];
	int anchor[HH_TERM_MAX + 1];
	uint64_t peq[256]; /* per byte: the columns where the query has it */
	struct { uint32_t term; int dist; } found[16];
	int n_found;
};

static void fuzzy_keep(struct fuzzy *f, uint32_t word, int dist)
{
	/* keep the closest, then the most frequent; one word per term */
	uint32_t term = f->idx->words[word].term;
	if (!hh_ix_word_ok(f->idx, word, f->staff))
		return;
	uint32_t df = hh_ix_df(f->idx, term, f->staff);
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
#define WDF(w) hh_ix_df(f->idx, f->idx->words[w].term, f->staff)
	for (int i = 0; i < f->n_found; i++) {
		if (worst < 0 || f->found[i].dist > f->found[worst].dist ||
		    (f->found[i].dist == f->found[worst].dist &&
		     WDF(f->found[i].term) < WDF(f->found[worst].term)))
			worst = i;
	}
	if (dist < f->found[worst].dist ||
	    (dist == f->found[worst].dist && df > WDF(f->found[worst].term))) {
		f->found[worst].term = word;
		f->found[worst].dist = dist;
	}
#undef WDF
}

/* s-score: for up to four steps along a row (bits of where a cell is one
 * more, p, and one less, n, than the one before; index p << 4 | n), the
 * least of the running sums (high nibble, <= 0) and their total (low
 * nibble), each a signed 4-bit number. */
static int8_t band_steps[256];
static pthread_once_t band_once = PTHREAD_ONCE_INIT;

static void band_steps_init(void)
{
	for (unsigned p = 0; p < 16; p++)
		for (unsigned n = 0; n < 16; n++) {
			int sum = 0, least = 0;
			for (int k = 0; k < 4; k++) {
				sum += (int)(p >> k & 1) - (int)(n >> k & 1);
				if (sum < least)
					least = sum;
			}
			band_steps[p << 4 | n] =
				(int8_t)((unsigned)least << 4 | ((unsigned)sum & 15));
		}
}

/* One node of the typo walk at depth: its row of the table from its
 * parent's, its word kept when close enough; returns whether the walk
 * goes on below it.
 *
 * s-score: the row is computed for all columns at once (bit-parallel),
 * and the decisions are those of the banded walk before it, which are
 * those of the whole table: the walk goes on while some cell of the row
 * is within maxd (cells more than maxd off the diagonal never are, so
 * only the band's 2 maxd + 1 cells are summed from the anchor), and a
 * word is kept at a distance of 1 to maxd. */
static inline __attribute__((always_inline)) int
fuzzy_visit(struct fuzzy *f, uint32_t node, int depth, const int maxd)
{
	const struct trie_node *tn = &f->idx->trie[node];
	/* every word below is shorter than the query word by more than
	 * maxd: none is within maxd edits */
	const int qlen = f->qlen;
	if (depth + tn->rest + maxd < qlen)
		return 0;
	unsigned char c = tn->c;
	f->path[depth] = c;
	uint64_t vp = f->vp[depth - 1], vn = f->vn[depth - 1];
	uint64_t eq = f->peq[c];
	/* a swap: this letter where the query has the one before, after the
	 * letter before where the query has this one, unless the cell
	 * above-left was already as low as its own above-left (Hyyroe) */
	uint64_t tr = ((~f->d0[depth - 1] & eq) << 1) &
		      f->peq[f->path[depth - 1]];
	uint64_t x = eq | vn;
	uint64_t d0 = (((x & vp) + vp) ^ vp) | x | tr;
	uint64_t hp = vn | ~(d0 | vp);
	uint64_t hn = vp & d0;
	/* column 0 is the depth: one more than above */
	uint64_t hps = (hp << 1) | 1;
	vn = hps & d0;
	vp = (hn << 1) | ~(hps | d0);
	f->vp[depth] = vp;
	f->vn[depth] = vn;
	f->d0[depth] = d0;
	/* the band's first cell: column 0 (the depth), or the cell on the
	 * diagonal maxd to the left, the one above-left plus 0 or 1 */
	int j = depth - maxd, v;
	if (j <= 0) {
		j = 0;
		v = depth;
	} else if (j > qlen) {
		return 0; /* the band is past the word's end: all above maxd */
	} else {
		v = f->anchor[depth - 1] + (int)(~d0 >> (j - 1) & 1);
	}
	f->anchor[depth] = v;
	int hi = depth + maxd < qlen ? depth + maxd : qlen;
	int mn = v;
	if (maxd <= 2) {
		/* the band's other cells (at most 4) from a table: the
		 * least sum of the steps from the anchor, and all of them.
		 * With one edit the four columns reach two past the band:
		 * those cells are more than maxd (off the diagonal), so the
		 * least is within maxd as the band's is; past the word's end
		 * the steps are 0, so v is column hi's when hi is qlen. */
		unsigned bp = (unsigned)((vp & f->qmask) >> j) & 15;
		unsigned bn = (unsigned)((vn & f->qmask) >> j) & 15;
		/* two signed nibbles: the least (high) and the last (low);
		 * decoded without shifting a negative value */
		int s = band_steps[bp << 4 | bn], low = s & 15;
		mn += (s - low) / 16;
		v += low >= 8 ? low - 16 : low;
	} else {
		for (j++; j <= hi; j++) {
			v += (int)(vp >> (j - 1) & 1) - (int)(vn >> (j - 1) & 1);
			if (v < mn)
				mn = v;
		}
	}
	/* v is now column hi's: the word's distance when hi is its end */
	if (tn->term >= 0 && hi == qlen && v <= maxd && v > 0)
		fuzzy_keep(f, (uint32_t)tn->term, v);
	return mn <= maxd && depth < HH_TERM_MAX - 1;
}

/* s-fast: the walk depth first, children in their order, each subtree
 * before the next sibling, as the recursion did, on a stack of each
 * depth's next child: no call per node. maxd is a constant where it is
 * inlined (fuzzy_walk), so the band's loop is compiled for its width. */
static inline __attribute__((always_inline)) void
fuzzy_walk_n(struct fuzzy *f, const int maxd)
{
	const struct trie_node *trie = f->idx->trie;
	uint32_t next[HH_TERM_MAX + 1]; /* per depth: its next child, 0: none */
	int depth = 0;
	next[0] = trie[0].child;
	while (depth >= 0) {
		uint32_t ch = next[depth];
		if (!ch) {
			depth--;
			continue;
		}
		next[depth] = trie[ch].sibling;
		if (fuzzy_visit(f, ch, depth + 1, maxd)) {
			depth++;
			next[depth] = trie[ch].child;
		}
	}
}

/* One or two edits (all the query asks for), else any. */
static void fuzzy_walk(struct fuzzy *f)
{
	if (f->maxd == 1)
		fuzzy_walk_n(f, 1);
	else if (f->maxd == 2)
		fuzzy_walk_n(f, 2);
	else
		fuzzy_walk_n(f, f->maxd);
}

/* Words within maxd edits of the folded word q, closest and most frequent
 * first; one word per term. Returns word ids. */
int hh_ix_fuzzy_terms(const struct hh_index *idx, const char *q, int maxd,
		      int staff, uint32_t *out, int max_out)
{
	/* a thread's own, not a malloc per call (a request of 17 kB made
	 * malloc sort its free lists each time: a third of a long unknown
	 * word's search, s-speed); its peq is all zero between calls */
	static _Thread_local struct fuzzy scratch;
	struct fuzzy *f = &scratch;
	f->idx = idx;
	f->staff = staff;
	f->q = (const unsigned char *)q;
	f->qlen = (int)strlen(q);
	f->maxd = maxd;
	f->n_found = 0;
	if (f->qlen >= HH_TERM_MAX - 1 || !idx->n_trie)
		return 0;
	/* row 0: column j is j, each one more than the one before */
	f->vp[0] = ~(uint64_t)0;
	f->vn[0] = 0;
	f->d0[0] = 0;
	f->anchor[0] = 0;
	f->path[0] = 0;
	f->qmask = ((uint64_t)1 << f->qlen) - 1; /* qlen < 63 */
	pthread_once(&band_once, band_steps_init);
	for (int j = 0; j < f->qlen; j++)
		f->peq[f->q[j]] |= (uint64_t)1 << j;
	fuzzy_walk(f);
	for (int j = 0; j < f->qlen; j++) /* clean for the next word */
		f->peq[f->q[j]] = 0;
	/* sort by distance, then df */
	for (int i = 1; i < f->n_found; i++)
		for (int k = i; k > 0; k--) {
			int a = f->found[k - 1].dist, b = f->found[k].dist;
			uint32_t da = hh_ix_df(idx, idx->words[f->found[k - 1].term].term,
					       staff);
			uint32_t db = hh_ix_df(idx, idx->words[f->found[k].term].term,
					       staff);
			if (b < a || (b == a && db > da)) {
				__typeof__(f->found[0]) tmp = f->found[k];
				f->found[k] = f->found[k - 1];
				f->found[k - 1] = tmp;
			}
		}
	int n = f->n_found < max_out ? f->n_found : max_out;
	for (int i = 0; i < n; i++)
		out[i] = f->found[i].term;
	return n;
}

/* Words starting with the folded prefix, most frequent first (word ids). */
int hh_ix_prefix_terms(const struct hh_index *idx, const char *prefix,
		       int staff, uint32_t *out, int max_out)
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
	uint32_t out_df[64]; /* s-fast: out's frequencies, read once each */
	if (max_out > 64)
		max_out = 64;
	const struct trie_node *trie = idx->trie;
	int sp = 0, n = 0, visited = 0;
	stack[sp++] = node;
	while (sp && visited < 20000) {
		uint32_t nd = stack[--sp];
		visited++;
		const struct trie_node *tn = &trie[nd];
		int32_t t = tn->term;
		if (t >= 0 && hh_ix_word_ok(idx, (uint32_t)t, staff)) {
			uint32_t df = hh_ix_df(idx, idx->words[t].term, staff);
			int k;
			if (n < max_out)
				k = n++;
			else if (out_df[n - 1] < df)
				k = n - 1;
			else
				k = -1;
			if (k >= 0) {
				while (k > 0 && out_df[k - 1] < df) {
					out[k] = out[k - 1];
					out_df[k] = out_df[k - 1];
					k--;
				}
				out[k] = (uint32_t)t;
				out_df[k] = df;
			}
		}
		for (uint32_t ch = tn->child; ch && sp < 4096; ch = trie[ch].sibling)
			stack[sp++] = ch;
	}
	return n;
}

/* The longest word of the index (5+ letters, not the whole word) that the
 * folded word begins with, or -1. */
int32_t hh_ix_longest_prefix_word(const struct hh_index *idx,
				  const char *word, int staff)
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
		    hh_ix_word_ok(idx, (uint32_t)w, staff))
			best = w;
	}
	return best;
}
