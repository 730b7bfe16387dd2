/* test_fast.c - s-fast's shortcuts in the search engine against the slow
 * ways they replace, on inputs where they could part:
 *
 *   - the typo walk (hh_ix_fuzzy_terms) leaves a child whose words are
 *     all too short before it calls itself, and (s-score) computes each
 *     row as bit vectors (Myers, Hyyroe's swap): against the walk before
 *     s-fast (kept here, a row of cells per node), for words of the word
 *     list with one to three edits (swaps, æ ø å among them), one, two
 *     and three edits allowed, public and staff, every word found;
 *   - search-as-you-type (hh_index_suggest) parses once and offers the
 *     completions its search read: against the suggestion made the old
 *     way (a parse and a walk of its own for the completions, then a
 *     search for the titles), at every prefix of queries as typed.
 *
 * The tokeniser's fast paths are in tests/text (test_analyze.c), snippet
 * HTML escaping in tests/core (test_core.c). */
#include "testutil.h"

#include "search/index.h"
#include "search/index_int.h"
#include "search/synonyms.h"
#include "text/analyze.h"

#define DICT "/usr/share/dict/danish"

static struct hh_analyzer an;
static struct hh_synonyms syn;

/* ---- the typo walk over the whole band (before s-fast) ----------------- */

struct ref_fuzzy {
	const struct hh_index *idx;
	const unsigned char *q;
	int qlen, maxd;
	int staff;
	unsigned char path[HH_TERM_MAX];
	int rows[HH_TERM_MAX + 1][HH_TERM_MAX + 1];
	struct { uint32_t term; int dist; } found[16];
	int n_found;
};

static void ref_keep(struct ref_fuzzy *f, uint32_t word, int dist)
{
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

static void ref_walk(struct ref_fuzzy *f, uint32_t node, int depth)
{
	const struct trie_node *tn = &f->idx->trie[node];
	if (depth + tn->rest + f->maxd < f->qlen)
		return;
	unsigned char c = tn->c;
	int *row = f->rows[depth], *up = f->rows[depth - 1];
	const int big = f->maxd + 1;
	f->path[depth - 1] = c;
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
			v = f->rows[depth - 2][j - 2] + 1;
		row[j] = v;
		if (v < mn)
			mn = v;
	}
	if (tn->term >= 0 && hi == f->qlen && lo <= hi &&
	    row[f->qlen] <= f->maxd && row[f->qlen] > 0)
		ref_keep(f, (uint32_t)tn->term, row[f->qlen]);
	if (mn > f->maxd || depth >= HH_TERM_MAX - 1)
		return;
	for (uint32_t ch = tn->child; ch; ch = f->idx->trie[ch].sibling)
		ref_walk(f, ch, depth + 1);
}

static int ref_fuzzy_terms(const struct hh_index *idx, const char *q, int maxd,
			   int staff, uint32_t *out, int max_out)
{
	static struct ref_fuzzy scratch;
	struct ref_fuzzy *f = &scratch;
	f->idx = idx;
	f->staff = staff;
	f->q = (const unsigned char *)q;
	f->qlen = (int)strlen(q);
	f->maxd = maxd;
	f->n_found = 0;
	if (f->qlen >= HH_TERM_MAX - 1 || !idx->n_trie)
		return 0;
	for (int j = 0; j <= f->qlen; j++)
		f->rows[0][j] = j;
	for (uint32_t ch = idx->trie[0].child; ch; ch = idx->trie[ch].sibling)
		ref_walk(f, ch, 1);
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

/* ---- an index of word-list words ---------------------------------------- */

/* n_arts articles of words from the word list, every step-th word from
 * start, 120 a body; every fifth article for staff only, so that public
 * and staff walks differ. */
static struct hh_index *word_index_unsettled(int n_arts, int step)
{
	struct hh_index *idx = hh_index_new(&an, &syn);
	FILE *fp = fopen(DICT, "r");
	assert_non_null(fp);
	char line[256];
	int k = 0, art = 0, in_art = 0;
	struct hh_buf body;
	hh_buf_init(&body);
	while (art < n_arts && fgets(line, sizeof(line), fp)) {
		if (k++ % step)
			continue;
		line[strcspn(line, "\n")] = 0;
		hh_buf_puts(&body, line);
		hh_buf_putc(&body, ' ');
		if (++in_art < 120)
			continue;
		char slug[32], title[64];
		snprintf(slug, sizeof(slug), "ord-%d", art);
		snprintf(title, sizeof(title), "Ordliste %d", art);
		struct hh_article x = {
			.id = art + 1, .slug = slug, .title = title,
			.summary = "", .body_md = hh_buf_str(&body),
			.keywords = "", .kle = "",
			.audience = art % 5 == 4 ? HH_AUDIENCE_STAFF
						 : HH_AUDIENCE_CITIZEN,
			.status = HH_STATUS_PUBLISHED,
		};
		hh_index_put(idx, &x, 0);
		hh_buf_reset(&body);
		in_art = 0;
		art++;
	}
	fclose(fp);
	hh_buf_clear(&body);
	return idx;
}

static struct hh_index *word_index(int n_arts, int step)
{
	struct hh_index *idx = word_index_unsettled(n_arts, step);
	hh_index_settle(idx);
	return idx;
}

/* One to three random edits of word w (folded bytes) into out: a byte
 * dropped, doubled, changed or two swapped; ø and å come in as bytes of
 * their own, as in folded words they are not (a typo is a typo). */
static void typo(const char *w, char *out, uint32_t *x)
{
	static const char letters[] = "abdegiklmnorstuvæøå";
	size_t n = strlen(w);
	memcpy(out, w, n + 1);
	*x = *x * 1103515245u + 12345u;
	int edits = 1 + (int)((*x >> 16) % 3);
	for (int e = 0; e < edits && n > 1 && n < HH_TERM_MAX - 8; e++) {
		*x = *x * 1103515245u + 12345u;
		size_t at = (*x >> 8) % n;
		switch ((*x >> 20) % 4) {
		case 0: /* dropped */
			memmove(out + at, out + at + 1, n - at);
			n--;
			break;
		case 1: /* doubled */
			memmove(out + at + 1, out + at, n - at + 1);
			n++;
			break;
		case 2: /* changed: an ASCII letter */
			out[at] = letters[(*x >> 4) % 11];
			break;
		default: /* swapped with the next */
			if (at + 1 < n) {
				char c = out[at];
				out[at] = out[at + 1];
				out[at + 1] = c;
			}
		}
	}
}

static void typo_walk_equals_whole_band(void **state)
{
	(void)state;
	struct hh_index *idx = word_index(150, 7);
	assert_true(idx->n_words > 10000);
	uint32_t x = 99;
	int compared = 0, found = 0, two = 0;
	for (uint32_t w = 0; w < idx->n_words; w += 7) {
		char folded[HH_TERM_MAX], q[HH_TERM_MAX + 8];
		const char *surf = idx->words[w].surface;
		hh_fold_of(surf, strlen(surf), folded);
		typo(folded, q, &x);
		/* s-score: every word found (16), and three edits too */
		for (int maxd = 1; maxd <= 3; maxd++)
			for (int staff = 0; staff <= 1; staff++) {
				uint32_t a[16], b[16];
				int na = hh_ix_fuzzy_terms(idx, q, maxd, staff, a, 16);
				int nb = ref_fuzzy_terms(idx, q, maxd, staff, b, 16);
				if (na != nb || memcmp(a, b, (size_t)na * sizeof(*a))) {
					fprintf(stderr, "\"%s\" (of \"%s\"), %d edits, "
						"staff %d: %d words, the whole band %d\n",
						q, folded, maxd, staff, na, nb);
					fail();
				}
				compared++;
				found += na > 0;
				two += maxd == 2 && na > 0;
			}
	}
	/* the walks found words, at two edits too: the test compared
	 * something */
	assert_true(compared > 5000);
	assert_true(found > compared / 4);
	assert_true(two > 500);
	hh_index_free(idx);
}

/* ---- search-as-you-type the old way ------------------------------------ */

/* hh_index_suggest before s-fast: its own parse and walk for the
 * completions, then the search of the titles. */
static void old_suggest(struct hh_index *idx, const struct hh_search_query *sq,
			struct hh_arena *a, struct hh_suggestion *out)
{
	memset(out, 0, sizeof(*out));
	struct query *q = hh_xmalloc(sizeof(*q));
	hh_ix_parse_query(idx,
			  &(struct hh_search_query){ .text = sq->text, .no_fuzzy = 1,
						     .staff = sq->staff },
			  q);
	if (q->n_words && q->words[q->n_words - 1].prefix_ok) {
		const struct qword *w = &q->words[q->n_words - 1];
		char folded[HH_TERM_MAX];
		hh_fold_of(w->word, strlen(w->word), folded);
		uint32_t pw[8];
		int n = hh_ix_prefix_terms(idx, folded, sq->staff, pw, 8);
		for (int k = 0; k < n && out->n_completions < 8; k++) {
			const char *surf = idx->words[pw[k]].surface;
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

static void suggest_equals_the_old_way(void **state)
{
	(void)state;
	struct hh_index *idx = word_index(150, 7);
	/* Danish letters, a stop word last, words the list has and typos,
	 * a space at the end (no prefix), ASCII spellings */
	static const char *const queries[] = {
		"ansøgning om boligstøtte", "førtidspension og arbejde",
		"hvordan får jeg", "sygedagpenge efter ", "aabenraa kommune",
		"børnebidarg", "æble øl å", "skolebuskort til mit barn",
		"flytning til udlandet med", "kørekort fornyelse",
	};
	int compared = 0, with_completions = 0, with_titles = 0;
	for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		const char *full = queries[i];
		for (size_t len = 1; len <= strlen(full); len++) {
			if (((unsigned char)full[len] & 0xc0) == 0x80)
				continue; /* inside a letter */
			char typed[128];
			memcpy(typed, full, len);
			typed[len] = 0;
			for (int staff = 0; staff <= 1; staff++) {
				struct hh_arena a;
				hh_arena_init(&a);
				struct hh_search_query sq = { .text = typed,
							      .staff = staff };
				struct hh_suggestion s1, s2;
				hh_index_suggest(idx, &sq, &a, &s1);
				old_suggest(idx, &sq, &a, &s2);
				assert_int_equal(s1.n_completions, s2.n_completions);
				for (int k = 0; k < s1.n_completions; k++)
					assert_string_equal(s1.completions[k],
							    s2.completions[k]);
				assert_int_equal(s1.n_titles, s2.n_titles);
				for (int k = 0; k < s1.n_titles; k++) {
					assert_int_equal(s1.titles[k].id, s2.titles[k].id);
					assert_true(s1.titles[k].score ==
						    s2.titles[k].score);
				}
				compared++;
				with_completions += s1.n_completions > 0;
				with_titles += s1.n_titles > 0;
				hh_arena_clear(&a);
			}
		}
	}
	assert_true(with_completions > compared / 3);
	assert_true(with_titles > compared / 3);
	hh_index_free(idx);
}

/* ---- snippets: the words between matches skipped (before s-fast) ----------
 * hh_ix_snippet before s-fast, which read every word from the checkpoint
 * on, one hh_word_next at a time; the code as it was. */

/* The positions in field f of document di where a query term matched,
 * sorted, at most max (the first ones). Compound parts share their word's
 * position, so a word is marked whole. */
static int ref_match_positions(const struct hh_index *idx, uint32_t di,
			   const struct query *q, int f, uint32_t *out, int max)
{
	int n = 0;
	for (int i = 0; i < q->n_terms; i++) {
		const struct term *tm = &idx->terms[q->terms[i].term];
		int64_t k = find_posting_k(tm, di);
		if (k < 0 || !(hh_ix_posting_fields(tm, (uint32_t)k) >> f & 1))
			continue;
		struct posting p;
		hh_ix_posting_at(tm, (uint32_t)k, &p);
		struct pos_iter it;
		hh_ix_pos_init(&it, &p);
		while (hh_ix_pos_next(&it)) {
			uint32_t pf = it.cur >> HH_IX_FIELD_SHIFT;
			if (pf < (uint32_t)f)
				continue;
			if (pf > (uint32_t)f)
				break; /* fields come in order */
			uint32_t v = it.cur & 0xffffff;
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
static int ref_is_match(const uint32_t *mp, int n_mp, int *m, uint32_t p)
{
	while (*m < n_mp && mp[*m] < p)
		(*m)++;
	return *m < n_mp && mp[*m] == p;
}

/* The snippet being written: at most SNIPPET_LEN + 30 bytes of text, 6
 * bytes each when escaped, and SNIPPET_MARKS marks of 13 bytes, fit. */
struct ref_out {
	char *o;
	char buf[4096];
};

/* n bytes of s, HTML-escaped. */
static void ref_html_n(struct ref_out *w, const char *s, size_t n)
{
	w->o = hh_html_escape_n(w->o, s, n);
}

static void ref_put(struct ref_out *w, const char *s, size_t n)
{
	memcpy(w->o, s, n);
	w->o += n;
}

/* The text from *done to the word [start, end) escaped, the word in
 * <mark>. */
static void ref_mark(struct ref_out *w, const char *src, size_t *done,
		 size_t start, size_t end)
{
	ref_html_n(w, src + *done, start - *done);
	ref_put(w, "<mark>", 6);
	ref_html_n(w, src + start, end - start);
	ref_put(w, "</mark>", 7);
	*done = end;
}

#define SNIPPET_BEFORE 60
#define SNIPPET_LEN 220
#define SNIPPET_MARKS 64

/* A piece of the body around the first match (or the summary when the
 * body has none), HTML-escaped, the matched words in <mark>. Matches come
 * from the postings' positions; the text is only cut into words, from the
 * checkpoint before the first match, never analysed again. */
static const char *ref_snippet(const struct hh_index *idx, uint32_t di,
			  const struct query *q, struct hh_arena *a)
{
	const struct doc *d = &idx->docs[di];
	uint32_t mp[SNIPPET_MARKS];
	const char *src = d->text;
	size_t len = d->text_len;
	int n_mp = ref_match_positions(idx, di, q, F_BODY, mp, SNIPPET_MARKS);
	/* where to start cutting words: position, byte */
	uint32_t pos = 0;
	size_t at = 0;
	if (n_mp) {
		/* the last checkpoint at or before the first match (binary
		 * search; checkpoint 0 is word 0): only the words from it to
		 * the match are cut, to find where the match starts */
		uint32_t lo = 0, hi = d->n_ckpt;
		while (lo < hi) {
			uint32_t mid = (lo + hi) / 2;
			if (d->ckpt[mid].pos <= mp[0])
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo) {
			pos = d->ckpt[lo - 1].pos;
			at = d->ckpt[lo - 1].off;
		}
	} else {
		src = d->summary; /* no match in the body: the summary */
		len = d->summary_len;
		n_mp = ref_match_positions(idx, di, q, F_SUMMARY, mp, SNIPPET_MARKS);
	}
	/* the words from the checkpoint to the first match */
	int nw = 0, found = 0;
	size_t first = 0, first_end = 0, s0, e0;
	if (n_mp) {
		first = len;
		while (hh_word_next(src, len, &at, &s0, &e0)) {
			nw++;
			if (pos++ == mp[0]) {
				first = s0;
				first_end = e0;
				found = 1;
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

	struct ref_out w;
	w.o = w.buf;
	if (start > 0)
		ref_put(&w, "… ", sizeof("… ") - 1);
	size_t done = start;
	int m = 0;
	/* the first match (the words before it are none) */
	if (found && first_end <= end && ref_is_match(mp, n_mp, &m, mp[0]))
		ref_mark(&w, src, &done, first, first_end);
	if (!nw)
		at = start; /* the summary: from its beginning */
	while (m < n_mp && hh_word_next(src, len, &at, &s0, &e0) && e0 <= end) {
		if (ref_is_match(mp, n_mp, &m, pos++))
			ref_mark(&w, src, &done, s0, e0);
	}
	ref_html_n(&w, src + done, end - done);
	if (end < len)
		ref_put(&w, " …", sizeof(" …") - 1);
	size_t n = (size_t)(w.o - w.buf);
	char *out = hh_arena_alloc(a, n + 1);
	memcpy(out, w.buf, n);
	out[n] = 0;
	return out;
}

/* Words for the bodies: Danish letters at the start, in the middle and
 * at the end of words, compounds and their parts (which share their
 * word's position: a match twice), stop words, digits. */
static const char *const body_words[] = {
	"sundhedskort", "kort", "sundhed", "ægtefælle", "øre", "år", "blå",
	"flytning", "udlandet", "til", "og", "i", "boligstøtte", "støtte",
	"dagpenge", "sygedagpenge", "ansøgning", "pas", "børnebidrag",
	"Ærø", "Åbenrå", "café", "2024", "frist", "københavn", "skat",
	"hjemmepleje", "pleje", "læge", "lægevagt", "vagt", "også",
	/* longer than the 30 bytes a piece may run on to end at a space:
	 * it can stand across the piece's end */
	"sundhedskortansøgningsblanketudfyldningsvejledning",
};

/* A body of n words with Markdown around some of them: headings (ended
 * with a dash in the plain text), list items, emphasis, links. */
static void random_body(struct hh_buf *b, int n, uint32_t *x)
{
	hh_buf_reset(b);
	for (int k = 0; k < n; k++) {
		*x = *x * 1103515245u + 12345u;
		const char *w = body_words[(*x >> 16) %
					   (sizeof(body_words) / sizeof(body_words[0]))];
		switch ((*x >> 8) % 23) {
		case 0: hh_buf_puts(b, "\n## "); break;
		case 1: hh_buf_puts(b, "\n\n- "); break;
		case 2: hh_buf_printf(b, "*%s* ", w); continue;
		case 3: hh_buf_printf(b, "[%s](/x/%d) ", w, k); continue;
		case 4: hh_buf_puts(b, ".\n"); break;
		default: break;
		}
		hh_buf_puts(b, w);
		hh_buf_putc(b, ' ');
	}
}

static void snippets_equal_reading_every_word(void **state)
{
	(void)state;
	struct hh_index *idx = hh_index_new(&an, &syn);
	struct hh_buf body;
	hh_buf_init(&body);
	uint32_t x = 4242;
	/* bodies of 0 to 600 words (checkpoints every 32), a match as the
	 * first and the last word, matches far beyond the piece shown,
	 * more than SNIPPET_MARKS matches */
	static const char *const fixed[] = {
		"sundhedskort", "pas og kort", "kort", "år",
		"## Ægtefælle\nflytning til udlandet med sundhedskort",
		"støtte og boligstøtte og støtte",
		/* a long word across the end of the piece shown, matched,
		 * after a first match far into the body */
		"pas i år er kort og blå og øre og til og i og også og frist "
		"og skat og café og læge og vagt og pleje og sundhed og år og "
		"pas i år er kort og blå og øre og til og i og også og frist "
		"og skat og café og læge og vagt og pleje og sundhed og år og "
		"sundhedskort sundhedskortansøgningsblanketudfyldningsvejledning "
		"kort",
		"sundhedskort og kort og år og blå og pas og skat og læge og "
		"café og pleje og vagt og også og frist og ansøgning og pas og "
		"blå og år og kort og sundhed og øre og til og flytning og "
		"udlandet og kort og år og pas og blå og øre og skat og læge "
		"kortsundhedskortansøgningsblanketudfyldningsvejledningsudgaven "
		"kort",
		/* "kort" first (the piece starts at 0), then the long word
		 * from byte 203 to 255: across the piece's end (220, run on
		 * to at most 250 to end at a space) */
		"kort og og og og og og og og og og og og og og og og og og og "
		"og og og og og og og og og og og og og og og og og og og og "
		"og og og og og og og og og og og og og og og og og og og og "
		"og og og og og og sundhedskortansøgningsblanketudfyldningsvejledning "
		"kort",
	};
	int n_docs = 0;
	for (int d = 0; d < 380; d++) {
		char slug[32], title[64];
		snprintf(slug, sizeof(slug), "tekst-%d", d);
		snprintf(title, sizeof(title), "Tekst %d om år", d);
		if (d < (int)(sizeof(fixed) / sizeof(fixed[0]))) {
			hh_buf_reset(&body);
			hh_buf_puts(&body, fixed[d]);
		} else if (d >= 260) {
			/* s-http: words of one letter, 2 bytes a word with the
			 * space (the least the snippet's bound assumes), between
			 * matches that stand just before, at and just after the
			 * piece's end; the first after 0 or 150 words (then from
			 * a checkpoint, and later ones past the next ones) */
			int k = d - 260;
			hh_buf_reset(&body);
			for (int j = 0; j < (k % 2) * 150; j++)
				hh_buf_puts(&body, j % 7 ? "i " : "å ");
			hh_buf_puts(&body, "kort ");
			for (int j = 0; j < 70 + k / 2; j++)
				hh_buf_puts(&body, "i ");
			hh_buf_puts(&body, "kort å å å å å kort ");
			for (int j = 0; j < 40; j++)
				hh_buf_puts(&body, "i ");
			hh_buf_puts(&body, "sundhedskort");
		} else {
			random_body(&body, (d * 37) % 601, &x);
		}
		struct hh_article a = {
			.id = d + 1, .slug = slug, .title = title,
			.summary = d >= 260 && d % 4 == 1
					   /* s-http: matches past the summary's
					    * 32nd word */
					   ? "Om støtte og og og og og og og og og og "
					     "og og og og og og og og og og og og og og "
					     "og og og og og og og og støtte i år"
				   : d % 3 ? "Kort om støtte til ægtefælle i år"
					   : "Ingen",
			.body_md = hh_buf_str(&body), .keywords = "", .kle = "",
			.audience = HH_AUDIENCE_CITIZEN,
			.status = HH_STATUS_PUBLISHED,
		};
		hh_index_put(idx, &a, 0);
		n_docs++;
	}
	hh_index_settle(idx);
	static const char *const queries[] = {
		"sundhedskort", "kort", "år", "ægtefælle", "blå øre",
		"sundhed kort", "lægevagt", "pleje", "støtte", "dagpenge frist",
		"københavn skat 2024", "café", "Ærø Åbenrå", "også og til",
		"flytning til udlandet", "boligstøtte ansøgning pas",
		"ingen", "hjemmepleje læge vagt",
		"sundhedskortansøgningsblanketudfyldningsvejledning",
		"blanket kort",
		"kort sundhedskortansøgningsblanketudfyldningsvejledning",
		/* s-http: two matches in the summary of a long body that
		 * has neither (its checkpoints are not the summary's) */
		"støtte år",
	};
	struct query *q = hh_xmalloc(sizeof(*q));
	int compared = 0, marked = 0, cut = 0;
	for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		hh_ix_parse_query(idx, &(struct hh_search_query){ .text = queries[i] },
				  q);
		for (uint32_t di = 0; di < idx->n_docs; di++) {
			struct hh_arena a;
			hh_arena_init(&a);
			const char *fast = hh_ix_snippet(idx, di, q, &a);
			const char *slow = ref_snippet(idx, di, q, &a);
			if (strcmp(fast, slow)) {
				fprintf(stderr, "\"%s\", document %u:\n  %s\n  %s\n",
					queries[i], di, fast, slow);
				fail();
			}
			compared++;
			marked += strstr(fast, "<mark>") != NULL;
			cut += strncmp(fast, "…", 3) == 0;
			hh_arena_clear(&a);
		}
	}
	/* snippets with marks, and pieces cut from inside long bodies */
	assert_true(marked > compared / 3);
	assert_true(cut > compared / 10);
	free(q);
	hh_buf_clear(&body);
	hh_index_free(idx);
}

/* ---- the trie laid out again (s-last) ----------------------------------- */

/* What every walk of the trie gives for the words of idx: the typo walk
 * of a typo of every 5th word at one and two edits, and the completions
 * of its first two to four bytes, as text. */
static void walks(struct hh_index *idx, struct hh_buf *out)
{
	uint32_t x = 7;
	for (uint32_t w = 0; w < idx->n_words; w += 5) {
		char folded[HH_TERM_MAX], q[HH_TERM_MAX + 8];
		const char *surf = idx->words[w].surface;
		hh_fold_of(surf, strlen(surf), folded);
		typo(folded, q, &x);
		for (int maxd = 1; maxd <= 2; maxd++) {
			uint32_t a[16];
			int n = hh_ix_fuzzy_terms(idx, q, maxd, (int)(w & 1), a, 16);
			hh_buf_printf(out, "%s %d:", q, maxd);
			for (int k = 0; k < n; k++)
				hh_buf_printf(out, " %u", a[k]);
			hh_buf_putc(out, '\n');
		}
		size_t len = strlen(folded);
		for (size_t p = 2; p <= 4 && p < len; p++) {
			char pre[8];
			memcpy(pre, folded, p);
			pre[p] = 0;
			uint32_t a[16];
			int n = hh_ix_prefix_terms(idx, pre, (int)(w & 1), a, 16);
			hh_buf_printf(out, "%s*:", pre);
			for (int k = 0; k < n; k++)
				hh_buf_printf(out, " %u", a[k]);
			hh_buf_putc(out, '\n');
		}
	}
}

static void trie_laid_out_again_walks_the_same(void **state)
{
	(void)state;
	struct hh_index *idx = word_index_unsettled(120, 11);
	assert_true(idx->n_words > 10000);
	/* before: the nodes in the order the words came */
	int apart = 0;
	for (uint32_t k = 1; k < idx->n_trie; k++)
		apart += idx->trie[k].sibling && idx->trie[k].sibling != k + 1;
	assert_true(apart > 1000);
	struct hh_buf before, after;
	hh_buf_init(&before);
	hh_buf_init(&after);
	walks(idx, &before);
	uint32_t nodes = idx->n_trie;
	hh_index_settle(idx); /* lays the trie out again */
	assert_int_equal(idx->n_trie, nodes);
	/* each node's children side by side, after their parent: a
	 * sibling is the next node, a child after its parent */
	for (uint32_t k = 0; k < idx->n_trie; k++) {
		const struct trie_node *t = &idx->trie[k];
		if (t->sibling)
			assert_int_equal(t->sibling, k + 1);
		if (t->child)
			assert_true(t->child > k);
	}
	walks(idx, &after);
	assert_true(strlen(hh_buf_str(&before)) > 100000);
	assert_string_equal(hh_buf_str(&before), hh_buf_str(&after));
	/* a word that comes after it: found by its typo and its prefix */
	struct hh_article x = {
		.id = 9001, .slug = "nyt-ord", .title = "Nyt ord",
		.summary = "", .body_md = "Kvantefluxkompensatoren virker.",
		.keywords = "", .kle = "", .audience = HH_AUDIENCE_CITIZEN,
		.status = HH_STATUS_PUBLISHED,
	};
	hh_index_put(idx, &x, 0);
	uint32_t a[16];
	int n = hh_ix_fuzzy_terms(idx, "kvantefluxkompensatorne", 2, 0, a, 16);
	assert_int_equal(n, 1);
	assert_string_equal(idx->words[a[0]].surface, "kvantefluxkompensatoren");
	n = hh_ix_prefix_terms(idx, "kvantefl", 0, a, 16);
	assert_int_equal(n, 1);
	/* and laid out again after more came (a sixth more articles make
	 * the index stale): the nodes added at the end go back in place */
	char body[8192], slug[32];
	for (int art = 0; art < 24; art++) {
		int o = 0;
		for (uint32_t w = (uint32_t)art; w < idx->n_words &&
						o < (int)sizeof(body) - 64;
		     w += 97)
			o += snprintf(body + o, sizeof(body) - (size_t)o, "%sq%d ",
				      idx->words[w].surface, art);
		snprintf(slug, sizeof(slug), "mere-%d", art);
		hh_index_put(idx, &(struct hh_article){
					  .id = 9100 + art, .slug = slug,
					  .title = "Mere", .summary = "",
					  .body_md = body, .keywords = "", .kle = "",
					  .audience = HH_AUDIENCE_CITIZEN,
					  .status = HH_STATUS_PUBLISHED },
			     0);
	}
	apart = 0;
	for (uint32_t k = 1; k < idx->n_trie; k++)
		apart += idx->trie[k].sibling && idx->trie[k].sibling != k + 1;
	assert_true(apart > 0);
	hh_buf_reset(&before);
	hh_buf_reset(&after);
	walks(idx, &before);
	nodes = idx->n_trie;
	hh_index_settle(idx);
	assert_int_equal(idx->n_trie, nodes);
	for (uint32_t k = 0; k < idx->n_trie; k++)
		if (idx->trie[k].sibling)
			assert_int_equal(idx->trie[k].sibling, k + 1);
	walks(idx, &after);
	assert_string_equal(hh_buf_str(&before), hh_buf_str(&after));
	hh_buf_clear(&before);
	hh_buf_clear(&after);
	hh_index_free(idx);
}

/* ---- fixture ---------------------------------------------------------- */

static int setup(void **state)
{
	(void)state;
	if (hh_analyzer_init(&an, DICT) < 100000) {
		fprintf(stderr, "%s: the word list is missing (apt-get install "
				"wdanish)\n", DICT);
		return -1;
	}
	/* the synonyms the server loads: the parse reads them */
	if (hh_synonyms_load(&syn, &an, "content/synonyms.txt", stderr) < 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	hh_synonyms_clear(&syn);
	hh_analyzer_clear(&an);
	return 0;
}

int main(void)
{
	hh_log_set_level(HH_LOG_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(typo_walk_equals_whole_band),
		cmocka_unit_test(suggest_equals_the_old_way),
		cmocka_unit_test(snippets_equal_reading_every_word),
		cmocka_unit_test(trie_laid_out_again_walks_the_same),
	};
	return cmocka_run_group_tests_name("search/fast", tests, setup,
					   teardown);
}
