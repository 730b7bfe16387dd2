/* test_rank_memo.c - s-http's memo of coverage() in search/rank.c
 * (cover_memo_get) against coverage() itself.
 *
 * The scoring loop asks the memo for the coverage of a document's mask
 * instead of walking the query's words; the memo must give exactly the
 * value the walk gives, bit for bit (a different rounding would reorder
 * hits), whether the mask is new, remembered, or takes over the slot of
 * another. The masks here are drawn from the words and compound-part
 * slots of real parsed queries (whole words, parts inside compounds,
 * heads, parts apart), from a pool small enough to repeat and large
 * enough to collide in the 64 slots. That the searches give the same
 * results over HTTP is checked by comparing the API's output before and
 * after (docs/search.md, s-http). */
#include "testutil.h"

/* its static functions: coverage, struct cover_memo, cover_memo_get */
#include "search/rank.c"

#include "search/synonyms.h"
#include "text/analyze.h"

#define DICT "/usr/share/dict/danish"

static struct hh_analyzer an;
static struct hh_synonyms syn;

static void memo_equals_coverage(void **state)
{
	(void)state;
	struct hh_index *idx = hh_index_new(&an, &syn);
	static const char *const bodies[] = {
		"Hjemmepleje og praktisk hjælp i hjemmet.",
		"Sygedagpenge når du er syg; dagpenge fra a-kassen.",
		"Boligstøtte til lejere; støtte til husleje.",
		"Pas og kørekort: ansøgning i Borgerservice.",
		"Røde hunde: vaccination af børn.",
		"Dødsfald: det skal de pårørende gøre. Familiemedlem.",
		"Affaldsspand og storskrald; affald sorteres.",
		"Vandregning og restance; regning for vand.",
	};
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		char slug[16];
		snprintf(slug, sizeof(slug), "a-%zu", i);
		struct hh_article a = {
			.id = (int64_t)i + 1, .slug = slug, .title = bodies[i],
			.summary = "", .body_md = bodies[i], .keywords = "",
			.kle = "", .audience = HH_AUDIENCE_CITIZEN,
			.status = HH_STATUS_PUBLISHED,
		};
		hh_index_put(idx, &a, 0);
	}
	hh_index_settle(idx);
	static const char *const queries[] = {
		"hundelort", "pasansøgning sygedagpenge",
		"hjemmepleje boligstøtte affaldsspand vandregning",
		"min mor er død", "sygedagpengeansøgning hjemmehjælp pas",
		"boligstøtteansøgning dagpengeregning hundevaccination",
	};
	struct query *q = hh_xmalloc(sizeof(*q));
	struct cover_memo *memo = hh_xmalloc(sizeof(*memo));
	uint32_t x = 2026;
	long hits = 0, takeovers = 0, with_slots = 0;
	for (size_t k = 0; k < sizeof(queries) / sizeof(queries[0]); k++) {
		hh_ix_parse_query(idx, &(struct hh_search_query){ .text = queries[k] },
				  q);
		uint32_t words = 0, slots = 0;
		for (int i = 0; i < q->n_words; i++) {
			words |= 1u << i;
			slots |= q->words[i].inside_slot | q->words[i].part_slots |
				 q->words[i].head_slot | q->words[i].part_need;
		}
		uint32_t all = words & ~(uint32_t)EXACT_BIT;
		with_slots += slots != 0;
		/* a pool of masks: words whole, EXACT_BIT now and then, slots */
		uint64_t pool[300];
		for (int p = 0; p < 300; p++) {
			x = x * 1103515245u + 12345u;
			uint32_t lo = (x >> 3) & words;
			x = x * 1103515245u + 12345u;
			uint32_t hi = (x >> 5) & slots;
			pool[p] = (uint64_t)hi << 32 | lo |
				  ((x & 1) ? (uint64_t)EXACT_BIT : 0);
		}
		pool[0] = 0; /* the empty slot's key: coverage 0 */
		memset(memo, 0, sizeof(*memo));
		for (int r = 0; r < 20000; r++) {
			x = x * 1103515245u + 12345u;
			uint64_t mk = pool[(x >> 8) % 300];
			unsigned h = (unsigned)((mk * 0x9E3779B97F4A7C15ull) >> 58);
			if (memo->mask[h] == mk)
				hits++;
			else if (memo->mask[h])
				takeovers++;
			double got = cover_memo_get(memo, q, all, mk);
			double want = coverage(q, all, mk, NULL);
			if (memcmp(&got, &want, sizeof(got))) {
				fprintf(stderr, "\"%s\", mask %016llx: memo %.17g, "
						"coverage %.17g\n",
					queries[k], (unsigned long long)mk, got, want);
				fail();
			}
		}
	}
	/* the memo answered from memory, and masks took others' slots;
	 * queries with compound parts gave slots to draw */
	assert_true(hits > 10000);
	assert_true(takeovers > 1000);
	assert_true(with_slots >= 3);
	free(memo);
	free(q);
	hh_index_free(idx);
}

static int setup(void **state)
{
	(void)state;
	if (hh_analyzer_init(&an, DICT) < 100000) {
		fprintf(stderr, "%s: the word list is missing (apt-get install "
				"wdanish)\n", DICT);
		return -1;
	}
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
		cmocka_unit_test(memo_equals_coverage),
	};
	return cmocka_run_group_tests_name("search/rank_memo", tests, setup,
					   teardown);
}
