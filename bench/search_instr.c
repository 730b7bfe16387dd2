/* search_instr.c - the search engine's work in instructions, and every
 * answer it gives, for comparing two builds of the library (s-score,
 * issue 13 point 6).
 *
 * The machine is shared, so wall-clock figures move with others' work;
 * instruction counts under valgrind's callgrind do not. This driver
 * builds the index of a corpus (gen_corpus's flat folder) as
 * search_bench does and then either
 *   print   prints every result of every query of QUERIES in ten
 *           variants (plain; with snippets; limit 20 offset 5; staff;
 *           exact_total; a KLE filter; a municipality; a pin; a page
 *           past the candidates; search-as-you-type): total, whether
 *           estimated, strength, terms, "Mente du", the facets, and each
 *           hit's id, kind, slug, score (17 digits) and snippet. Two
 *           builds' outputs must be the same bytes (cmp);
 *   count   runs one uncounted pass over the queries (the thread's
 *           scratch), then PASSES passes with callgrind's collection
 *           switched on around each hh_index_search only (10 hits; MODE
 *           1 with snippets, 0 without). With PER_QUERY set in the
 *           environment it dumps callgrind's counts after each search
 *           (one file a search, for the spread: p50, p99);
 *   time    runs ROUNDS passes (after an untimed one) and prints each
 *           query's median thread CPU time in µs, slowest first: which
 *           queries make the tail (s-last). CPU time, which other load
 *           still disturbs: only on a quiet machine. With NOFUZZY in the environment the searches
 *           leave out the typo walk (no_fuzzy), to see its share.
 *
 * Usage: search_instr CORPUS QUERIES print
 *        valgrind --tool=callgrind --collect-atstart=no \
 *            search_instr CORPUS QUERIES count [MODE [PASSES]]
 *        search_instr CORPUS QUERIES time [MODE [ROUNDS]]
 * (from the repository root: the word list and content/synonyms.txt as
 * search_bench reads them). docs/search.md, s-score, has the figures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <valgrind/callgrind.h>

#include "core/arena.h"
#include "core/util.h"
#include "search/index.h"
#include "search/synonyms.h"
#include "search_common.h"
#include "text/analyze.h"

#define DICT "/usr/share/dict/danish"

static void print_result(const char *variant, const char *text,
			 const struct hh_search_result *r)
{
	printf("%s|%s|t=%d e=%d s=%d nt=%d c=%d p=%d dym=%s\n", variant, text,
	       r->total, r->total_estimated, r->strength, r->n_terms,
	       r->clipped, r->pinned, r->did_you_mean ? r->did_you_mean : "-");
	for (int i = 0; i < r->n_kle_groups; i++)
		printf(" k%s:%d", r->kle_groups[i].value, r->kle_groups[i].count);
	for (int i = 0; i < r->n_audiences; i++)
		printf(" a%s:%d", r->audiences[i].value, r->audiences[i].count);
	for (int i = 0; i < r->n_organisations; i++)
		printf(" o%s:%d", r->organisations[i].value,
		       r->organisations[i].count);
	printf("\n");
	for (int i = 0; i < r->n_hits; i++)
		printf("  %lld %d %s %.17g %s\n", (long long)r->hits[i].id,
		       r->hits[i].kind, r->hits[i].slug, r->hits[i].score,
		       r->hits[i].snippet_html ? r->hits[i].snippet_html : "-");
}

static void print_search(struct hh_index *idx, const char *variant,
			 const struct hh_search_query *q)
{
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_search_result r;
	hh_index_search(idx, q, &a, &r);
	print_result(variant, q->text, &r);
	hh_arena_clear(&a);
}

static void print_all(struct hh_index *idx, const char *text)
{
	struct hh_search_query q = { .text = text, .limit = 10, .no_snippets = 1 };
	print_search(idx, "plain", &q);
	q.no_snippets = 0;
	print_search(idx, "snippets", &q);
	q.limit = 20;
	q.offset = 5;
	print_search(idx, "page", &q);
	q = (struct hh_search_query){ .text = text, .limit = 10,
				      .no_snippets = 1 };
	q.staff = 1;
	print_search(idx, "staff", &q);
	q.staff = 0;
	q.exact_total = 1;
	print_search(idx, "exact", &q);
	q.exact_total = 0;
	q.kle = "05";
	print_search(idx, "kle", &q);
	q.kle = NULL;
	q.municipality_id = 1;
	print_search(idx, "municipality", &q);
	q.municipality_id = 0;
	q.pin_slug = "boligsikring";
	print_search(idx, "pin", &q);
	q.pin_slug = NULL;
	q.offset = 995;
	print_search(idx, "deep", &q);

	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_suggestion s;
	hh_index_suggest(idx, &(struct hh_search_query){ .text = text }, &a, &s);
	printf("suggest|%s|", text);
	for (int k = 0; k < s.n_completions; k++)
		printf(" c:%s", s.completions[k]);
	for (int k = 0; k < s.n_titles; k++)
		printf(" t:%s:%.17g", s.titles[k].slug, s.titles[k].score);
	printf("\n");
	hh_arena_clear(&a);
}

struct timed {
	double median;
	const char *text;
};

static int cmp_timed_desc(const void *x, const void *y)
{
	const struct timed *a = x, *b = y;
	return (a->median < b->median) - (a->median > b->median);
}

/* Each query's median thread CPU time over rounds passes, slowest
 * first. */
static void time_queries(struct hh_index *idx, const struct bench_queries *qs,
			 int snippets, int rounds)
{
	double *s = hh_xcalloc(qs->n * (size_t)rounds, sizeof(double));
	struct timed *t = hh_xcalloc(qs->n, sizeof(*t));
	for (int p = -1; p < rounds; p++)
		for (size_t i = 0; i < qs->n; i++) {
			struct hh_search_query q = { .text = qs->q[i], .limit = 10,
						     .no_snippets = !snippets };
			q.no_fuzzy = getenv("NOFUZZY") != NULL;
			struct hh_arena a;
			hh_arena_init(&a);
			struct hh_search_result r;
			double t0 = bench_cpu();
			hh_index_search(idx, &q, &a, &r);
			if (p >= 0)
				s[i * (size_t)rounds + (size_t)p] =
					(bench_cpu() - t0) * 1e6;
			hh_arena_clear(&a);
		}
	for (size_t i = 0; i < qs->n; i++)
		t[i] = (struct timed){ bench_median(s + i * (size_t)rounds,
						    (size_t)rounds),
				       qs->q[i] };
	qsort(t, qs->n, sizeof(*t), cmp_timed_desc);
	for (size_t i = 0; i < qs->n; i++)
		printf("%.1f\t%s\n", t[i].median, t[i].text);
	free(s);
	free(t);
}

int main(int argc, char **argv)
{
	if (argc < 4 || (strcmp(argv[3], "print") && strcmp(argv[3], "count") &&
			 strcmp(argv[3], "time"))) {
		fprintf(stderr, "usage: search_instr CORPUS QUERIES "
				"print | count [MODE [PASSES]] | time [MODE [ROUNDS]]\n");
		return 2;
	}
	struct bench_corpus corpus;
	struct bench_queries qs;
	if (bench_corpus_load(&corpus, argv[1]) ||
	    bench_queries_load(&qs, argv[2]))
		return 1;
	struct hh_analyzer an;
	struct hh_synonyms syn;
	if (hh_analyzer_init(&an, DICT) < 0)
		fprintf(stderr, "search_instr: no word list at %s\n", DICT);
	if (hh_synonyms_load(&syn, &an, "content/synonyms.txt", stderr) < 0)
		fprintf(stderr, "search_instr: no content/synonyms.txt\n");
	struct hh_index *idx = hh_index_new(&an, &syn);
	for (size_t i = 0; i < corpus.n; i++)
		hh_index_put(idx, &corpus.arts[i], 0);
	hh_index_settle(idx);

	if (!strcmp(argv[3], "print")) {
		for (size_t i = 0; i < qs.n; i++)
			print_all(idx, qs.q[i]);
	} else if (!strcmp(argv[3], "time")) {
		int snippets = argc > 4 ? atoi(argv[4]) : 1;
		int rounds = argc > 5 ? atoi(argv[5]) : 20;
		time_queries(idx, &qs, snippets, rounds < 1 ? 1 : rounds);
	} else {
		int snippets = argc > 4 ? atoi(argv[4]) : 1;
		int passes = argc > 5 ? atoi(argv[5]) : 1;
		int per_query = getenv("PER_QUERY") != NULL;
		for (int p = -1; p < passes; p++)
			for (size_t i = 0; i < qs.n; i++) {
				struct hh_search_query q = {
					.text = qs.q[i], .limit = 10,
					.no_snippets = !snippets };
				struct hh_arena a;
				hh_arena_init(&a);
				struct hh_search_result r;
				if (p >= 0)
					CALLGRIND_TOGGLE_COLLECT;
				hh_index_search(idx, &q, &a, &r);
				if (p >= 0) {
					CALLGRIND_TOGGLE_COLLECT;
					if (per_query)
						CALLGRIND_DUMP_STATS_AT(qs.q[i]);
				}
				hh_arena_clear(&a);
			}
	}
	hh_index_free(idx);
	hh_synonyms_clear(&syn);
	hh_analyzer_clear(&an);
	bench_queries_clear(&qs);
	bench_corpus_clear(&corpus);
	return 0;
}
