/* test_gen_corpus.c - the benchmark corpus whose vocabulary grows
 * (bench/gen_corpus.c, s-speed): the distinct words of its stream follow
 * Heaps' law (ten times the text, about 10^0.55 = 3.5 times the words),
 * a few words are common and most are rare, the stream is the same on
 * every run, and the index built from articles made with it holds about
 * 3.5 times the terms at 10,000 articles as at 1,000. */
#include "testutil.h"

#define GEN_CORPUS_NO_MAIN
#include "../../bench/gen_corpus.c"

#include "search/index.h"
#include "search/synonyms.h"
#include "text/analyze.h"

#define DICT "/usr/share/dict/danish"

static void stream_follows_heaps_law(void **state)
{
	(void)state;
	struct vocab v;
	assert_int_equal(vocab_init(&v, DICT), 0);
	assert_true(v.n_dict > 100000);
	/* the draws of about 1,000 and 10,000 articles */
	for (int i = 0; i < 22000; i++)
		vocab_draw(&v);
	size_t v1 = v.n_words;
	for (int i = 22000; i < 220000; i++)
		vocab_draw(&v);
	size_t v10 = v.n_words;
	double ratio = (double)v10 / (double)v1;
	assert_true(ratio > 3.3 && ratio < 3.8);
	assert_true(v1 > 5000 && v1 < 7000);

	/* Zipf-like: the most frequent word is drawn far more often than
	 * the mean (349 times of 220,000, the mean 10), and most words are
	 * drawn only once or twice */
	uint32_t *count = calloc(v.n_words, sizeof(uint32_t));
	for (size_t i = 0; i < v.n_hist; i++)
		count[v.hist[i]]++;
	uint32_t top = 0;
	size_t rare = 0;
	for (size_t w = 0; w < v.n_words; w++) {
		if (count[w] > top)
			top = count[w];
		rare += count[w] <= 2;
	}
	assert_true(top > 20 * v.n_hist / v.n_words); /* 20 times the mean */
	assert_true(rare > v.n_words / 2);
	free(count);

	/* the same stream on every run */
	struct vocab again;
	assert_int_equal(vocab_init(&again, DICT), 0);
	for (int i = 0; i < 220000; i++)
		assert_string_equal(vocab_draw(&again), v.words[v.hist[i]]);
	vocab_clear(&again);
	vocab_clear(&v);
}

/* A demo-like body whose words the stream replaces one in GROW_SHARE. */
static const char *const body =
	"## Sådan søger du\n\n"
	"Du kan søge om et nyt sundhedskort hos [Borgerservice](https://"
	"example.dk/borgerservice), hvis du har mistet dit kort, eller hvis "
	"dine oplysninger er ændret. Kortet sendes til din adresse i "
	"folkeregistret inden for to uger. Husk at oplyse dit personnummer, "
	"og hvilken læge du vil have. Et erstatningskort koster et gebyr, "
	"mens et kort efter flytning til en anden region er gratis. Har du "
	"brug for hjælp, kan du ringe til kommunen eller møde op i "
	"Borgerservice i åbningstiden. Børn under femten år står på "
	"forældrenes kort, indtil de selv får et.";

static void index_terms_grow_with_the_corpus(void **state)
{
	(void)state;
	struct hh_analyzer an;
	struct hh_synonyms syn = { 0 };
	assert_true(hh_analyzer_init(&an, DICT) > 100000);
	struct vocab v;
	assert_int_equal(vocab_init(&v, DICT), 0);
	struct hh_index *idx = hh_index_new(&an, &syn);
	size_t terms_1k = 0;
	for (int i = 0; i < 10000; i++) {
		struct hh_buf b;
		hh_buf_init(&b);
		grow_body(&v, body, &b);
		char slug[32], title[128];
		snprintf(slug, sizeof(slug), "a-%d", i);
		snprintf(title, sizeof(title), "Sundhedskort – %s", vocab_draw(&v));
		struct hh_article a = {
			.id = i + 1,
			.slug = slug,
			.title = title,
			.summary = "Sådan får du et nyt sundhedskort.",
			.body_md = hh_buf_str(&b),
			.keywords = "",
			.kle = "",
			.audience = HH_AUDIENCE_CITIZEN,
			.status = HH_STATUS_PUBLISHED,
		};
		hh_index_put(idx, &a, 0);
		hh_buf_clear(&b);
		if (i == 999) {
			struct hh_index_stats st;
			hh_index_stats(idx, &st);
			terms_1k = st.terms;
		}
	}
	struct hh_index_stats st;
	hh_index_stats(idx, &st);
	/* the stream's words and the parts of its compounds grow by Heaps'
	 * law; the fixed text's hundred terms do not */
	double ratio = (double)st.terms / (double)terms_1k;
	assert_true(ratio > 2.8 && ratio < 4.0);
	/* the demo text stays: its words still find every article */
	struct hh_arena ar;
	hh_arena_init(&ar);
	struct hh_search_query q = { .text = "erstatningskort gebyr", .limit = 10 };
	struct hh_search_result r;
	hh_index_search(idx, &q, &ar, &r);
	assert_true(r.total > 5000);
	hh_arena_clear(&ar);
	hh_index_free(idx);
	vocab_clear(&v);
	hh_analyzer_clear(&an);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stream_follows_heaps_law),
		cmocka_unit_test(index_terms_grow_with_the_corpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
