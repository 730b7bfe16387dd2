/* test_postings.c - the packed posting records of the search index
 * (s-speed): frequencies and positions written by hh_ix_record_put and
 * read back by hh_ix_posting_at and the position iterator, with the edge
 * cases (large gaps, a field's first word far out, many positions, the
 * same position twice, every field), and the same through the live index:
 * documents put, removed, put again and compacted, their postings read
 * back position by position. */
#include "testutil.h"

#include "search/index.h"
#include "search/index_int.h"
#include "search/synonyms.h"
#include "text/analyze.h"

#define P(field, word) ((uint32_t)(field) << HH_IX_FIELD_SHIFT | (word))

/* A term holding the records given, one after another. */
struct fake {
	struct term tm;
	uint8_t buf[1 << 20];
	uint32_t off[16];
	struct hot h[16];
};

static void fake_add(struct fake *f, const uint16_t tf2[N_FIELDS],
		     const uint32_t *pos, uint32_t npos)
{
	assert_true(f->tm.cold_len + HH_IX_RECORD_MAX(npos) <= sizeof(f->buf));
	f->tm.h = f->h;
	f->tm.cold = f->buf;
	f->tm.cold_off = f->off;
	f->h[f->tm.n] = (struct hot){ f->tm.n, 0 };
	f->off[f->tm.n++] = f->tm.cold_len;
	f->tm.cold_len +=
		(uint32_t)hh_ix_record_put(f->buf + f->tm.cold_len, tf2, pos, npos);
}

/* Record k of f decodes to tf2 and the npos positions pos. */
static void check_record(const struct fake *f, uint32_t k,
			 const uint16_t tf2[N_FIELDS], const uint32_t *pos,
			 uint32_t npos)
{
	struct posting p;
	uint16_t got[N_FIELDS];
	hh_ix_posting_at(&f->tm, k, &p);
	hh_ix_posting_tf2(&f->tm, k, got);
	unsigned fields = 0;
	for (int fl = 0; fl < N_FIELDS; fl++) {
		assert_int_equal(got[fl], tf2[fl]);
		fields |= (tf2[fl] != 0) << fl;
	}
	assert_int_equal(hh_ix_posting_fields(&f->tm, k), fields);
	struct pos_iter it;
	hh_ix_pos_init(&it, &p);
	uint32_t n = 0;
	while (hh_ix_pos_next(&it)) {
		assert_true(n < npos);
		assert_int_equal(it.cur, pos[n]);
		n++;
	}
	assert_int_equal(n, npos);
}

static void records_round_trip(void **state)
{
	(void)state;
	static struct fake f;
	memset(&f, 0, sizeof(f));
	/* one body word */
	uint16_t t1[N_FIELDS] = { 0, 0, 0, 2 };
	uint32_t p1[] = { P(F_BODY, 0) };
	/* every field; the first word of a field far out (24 bits), a
	 * large gap inside one, the same position twice (a word and a part
	 * of it), frequencies at their cap */
	uint16_t t2[N_FIELDS] = { 65000, 1, 300, 128 };
	uint32_t p2[] = { P(F_TITLE, 0),	  P(F_TITLE, 1),
			  P(F_TITLE, 1),	  P(F_KEYWORDS, 0xffffff),
			  P(F_SUMMARY, 5),	  P(F_SUMMARY, 5 + 1000000),
			  P(F_BODY, 127),	  P(F_BODY, 128),
			  P(F_BODY, 0xfffffe),	  P(F_BODY, 0xffffff) };
	/* many positions in the body, gaps of every size up to 2^14 */
	static uint32_t p3[20000];
	uint32_t w = 0;
	for (uint32_t k = 0; k < 20000; k++) {
		p3[k] = P(F_BODY, w);
		w += (k * 2654435761u) >> 18; /* 0 to 16383 */
		if (w > 0xffffff)
			w = 0xffffff;
	}
	uint16_t t3[N_FIELDS] = { 0, 0, 0, 40000 };
	/* title and body only, compound parts (1 a hit) */
	uint16_t t4[N_FIELDS] = { 1, 0, 0, 1 };
	uint32_t p4[] = { P(F_TITLE, 3), P(F_BODY, 3) };
	/* a whole word and a part of another in the body: 2 + 1 */
	uint16_t t5[N_FIELDS] = { 0, 0, 0, 3 };
	uint32_t p5[] = { P(F_BODY, 9), P(F_BODY, 12) };
	fake_add(&f, t1, p1, 1);
	fake_add(&f, t2, p2, 10);
	fake_add(&f, t3, p3, 20000);
	fake_add(&f, t4, p4, 2);
	fake_add(&f, t5, p5, 2);
	check_record(&f, 0, t1, p1, 1);
	check_record(&f, 1, t2, p2, 10);
	check_record(&f, 2, t3, p3, 20000);
	check_record(&f, 3, t4, p4, 2);
	check_record(&f, 4, t5, p5, 2);
	/* compact: a body word of a small document takes 2 bytes (field
	 * bits with its frequency counted, the position); given
	 * frequencies, a byte more each */
	assert_int_equal(f.off[1] - f.off[0], 2);
	assert_int_equal(f.off[3] - f.off[2] > 20000, 1);
	assert_int_equal(f.tm.cold_len - f.off[4], 1 + 1 + 1 + 1);
	/* and the binary search finds each document's record */
	struct posting p;
	assert_true(find_posting(&f.tm, 2, &p));
	uint16_t tf2[N_FIELDS];
	hh_ix_posting_tf2(&f.tm, 2, tf2);
	assert_int_equal(tf2[F_BODY], 40000);
	assert_false(find_posting(&f.tm, 5, &p));
}

static struct hh_analyzer an;
static struct hh_synonyms syn;

static int setup(void **state)
{
	(void)state;
	hh_analyzer_init(&an, NULL);
	memset(&syn, 0, sizeof(syn));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	hh_synonyms_clear(&syn);
	hh_analyzer_clear(&an);
	return 0;
}

static void put(struct hh_index *idx, int64_t id, const char *title,
		const char *body)
{
	char slug[32];
	snprintf(slug, sizeof(slug), "a-%lld", (long long)id);
	struct hh_article a = {
		.id = id,
		.slug = slug,
		.title = title,
		.summary = "Et resumé.",
		.body_md = body,
		.keywords = "",
		.kle = "",
		.audience = HH_AUDIENCE_CITIZEN,
		.status = HH_STATUS_PUBLISHED,
	};
	hh_index_put(idx, &a, 0);
}

/* The positions of term s in the live document with article id, in the
 * index's own order; returns how many (at most max). */
static uint32_t positions_of(struct hh_index *idx, const char *s, int64_t id,
			     uint32_t *out, uint32_t max)
{
	char term[HH_TERM_MAX];
	hh_term_of(s, strlen(s), term);
	int32_t t = hh_ix_term_find(idx, term);
	assert_true(t >= 0);
	const struct term *tm = &idx->terms[t];
	for (uint32_t k = 0; k < tm->n; k++) {
		uint32_t di = tm->h[k].doc;
		if (idx->docs[di].id != id || !(idx->dm[di].flags & DM_LIVE))
			continue;
		struct posting p;
		struct pos_iter it;
		hh_ix_posting_at(tm, k, &p);
		hh_ix_pos_init(&it, &p);
		uint32_t n = 0;
		while (hh_ix_pos_next(&it))
			if (n < max)
				out[n++] = it.cur;
		return n;
	}
	return 0;
}

/* A body of n words: "fyld" everywhere, "vandmaaler" at the word
 * positions in at (ascending). */
static char *body_with(uint32_t n, const uint32_t *at, int n_at)
{
	char *b = malloc((size_t)n * 11 + 1), *o = b;
	int j = 0;
	for (uint32_t k = 0; k < n; k++) {
		const char *w = j < n_at && at[j] == k ? (j++, "vandmaaler") : "fyld";
		o += sprintf(o, "%s%s", k ? " " : "", w);
	}
	*o = 0;
	return b;
}

static void live_index_keeps_positions(void **state)
{
	(void)state;
	struct hh_index *idx = hh_index_new(&an, &syn);
	/* far apart: the varints of 1, 2 and 3 bytes */
	uint32_t at[] = { 0, 1, 130, 20000, 60000 };
	char *body = body_with(60001, at, 5);
	put(idx, 1, "Vandmaaler i titlen", body);
	uint32_t got[8];
	assert_int_equal(positions_of(idx, "vandmaaler", 1, got, 8), 6);
	assert_int_equal(got[0], P(F_TITLE, 0));
	for (int k = 0; k < 5; k++)
		assert_int_equal(got[k + 1], P(F_BODY, at[k]));

	/* removed and put again, with the word elsewhere: only the new
	 * positions are read, and search finds it with a snippet that marks
	 * the word */
	hh_index_remove(idx, 1);
	uint32_t at2[] = { 7 };
	char *body2 = body_with(40, at2, 1);
	put(idx, 1, "Noget andet", body2);
	assert_int_equal(positions_of(idx, "vandmaaler", 1, got, 8), 1);
	assert_int_equal(got[0], P(F_BODY, 7));

	/* many documents in and out: compaction moves the records of the
	 * live ones, which must read back the same */
	for (int64_t id = 2; id < 2600; id++)
		put(idx, id, "Fyld", id % 2 ? body2 : "fyld fyld vandmaaler");
	for (int64_t id = 2; id < 2600; id++)
		if (id % 7)
			hh_index_remove(idx, id);
	put(idx, 5000, "Vandmaaler", body); /* triggers the compaction */
	assert_int_equal(positions_of(idx, "vandmaaler", 1, got, 8), 1);
	assert_int_equal(got[0], P(F_BODY, 7));
	assert_int_equal(positions_of(idx, "vandmaaler", 7, got, 8), 1);
	assert_int_equal(got[0], P(F_BODY, 7));
	assert_int_equal(positions_of(idx, "vandmaaler", 14, got, 8), 1);
	assert_int_equal(got[0], P(F_BODY, 2));
	assert_int_equal(positions_of(idx, "vandmaaler", 5000, got, 8), 6);
	assert_int_equal(got[5], P(F_BODY, 60000));
	/* removed documents' postings are gone: the term holds the live */
	char term[HH_TERM_MAX];
	hh_term_of("vandmaaler", 10, term);
	int32_t t = hh_ix_term_find(idx, term);
	assert_true(t >= 0);
	uint32_t live = 0;
	for (uint32_t k = 0; k < idx->terms[t].n; k++)
		live += (idx->dm[idx->terms[t].h[k].doc].flags & DM_LIVE) != 0;
	assert_int_equal(idx->terms[t].n, live);
	assert_int_equal(idx->terms[t].df, live);

	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_search_query q = { .text = "vandmaaler", .limit = 400 };
	struct hh_search_result r;
	hh_index_search(idx, &q, &a, &r);
	assert_int_equal(r.total, (int)live);
	int seen = 0;
	for (int i = 0; i < r.n_hits; i++)
		if (r.hits[i].id == 1) {
			seen = 1;
			assert_string_equal(r.hits[i].snippet_html,
					    "fyld fyld fyld fyld fyld fyld fyld "
					    "<mark>vandmaaler</mark> fyld fyld "
					    "fyld fyld fyld fyld fyld fyld fyld "
					    "fyld fyld fyld fyld fyld fyld fyld "
					    "fyld fyld fyld fyld fyld fyld fyld "
					    "fyld fyld fyld fyld fyld fyld fyld "
					    "fyld fyld");
		}
	assert_true(seen);
	hh_arena_clear(&a);

	/* the statistics count every position of the live postings */
	hh_index_settle(idx);
	struct hh_index_stats st;
	hh_index_stats(idx, &st);
	assert_int_equal(st.bytes, st.bytes_hot + st.bytes_cold + st.bytes_text +
					   st.bytes_docs + st.bytes_vocab);
	assert_true(st.bytes_cold > 0 && st.bytes_text > 60000 * 5);
	free(body);
	free(body2);
	hh_index_free(idx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(records_round_trip),
		cmocka_unit_test_setup_teardown(live_index_keeps_positions, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
