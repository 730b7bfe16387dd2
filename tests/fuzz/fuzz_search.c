/* fuzz_search.c - the query parser, ranking, snippets and suggestions on
 * arbitrary query bytes against a small index (as the public and as
 * staff), the same bytes indexed as an article (for citizens or staff
 * only) and searched for, and the search log's masking of them. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/util.h"
#include "domain/searchlog.h"
#include "search/index.h"

static struct hh_analyzer an;
static struct hh_synonyms syn;
static struct hh_index *idx;

static void setup(void)
{
	hh_analyzer_init(&an, "/usr/share/dict/danish");
	hh_synonyms_load(&syn, &an, "content/synonyms.txt", NULL);
	idx = hh_index_new(&an, &syn);
	static const char *const docs[][4] = {
		{ "sundhedskort-bestil-nyt", "Sundhedskort: bestil nyt gult kort",
		  "Sådan får du et nyt sundhedskort.", "Dit **sundhedskort** viser, at du er sikret. [Læs mere](/x)" },
		{ "sygedagpenge", "Sygedagpenge for lønmodtagere", "Når du er syg.",
		  "Sygedagpenge er ikke dagpenge. Kørekort, æøå, Århus, café." },
		{ "flytning", "Flytning: meld flytning", "Adresseændring.",
		  "# Flyt\n\n- adresse ændring\n- storskrald\n\n1. trin" },
	};
	for (int i = 0; i < 3; i++) {
		struct hh_article a = { .id = i + 1, .slug = docs[i][0],
					.title = docs[i][1], .summary = docs[i][2],
					.body_md = docs[i][3], .keywords = "kort, syg",
					.kle = "16.00.00", .audience = HH_AUDIENCE_CITIZEN,
					.status = HH_STATUS_PUBLISHED };
		hh_index_put(idx, &a, 0);
	}
}

static int knows(void *ix, const char *word, size_t len)
{
	return hh_index_knows(ix, word, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!idx)
		setup();
	char *q = malloc(size + 1);
	memcpy(q, data, size);
	q[size] = 0;
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_search_query sq = { .text = q, .limit = 5,
				      .municipality_id = size % 3,
				      .prefix_last = (int)(size & 1),
				      .staff = (int)((size >> 2) & 1) };
	struct hh_search_result res;
	hh_index_search(idx, &sq, &a, &res);
	if (res.n_hits > 5 || res.total < res.n_hits)
		abort();
	struct hh_suggestion sg;
	hh_index_suggest(idx, &sq, &a, &sg);
	/* the search log's masking: within its bound, UTF-8 kept */
	size_t qlen = strlen(q);
	const char *kept = hh_searchlog_scrub_known(&a, q, knows, idx);
	if (strlen(kept) > 2 * qlen + 15 ||
	    (hh_utf8_valid(q, qlen) && !hh_utf8_valid(kept, strlen(kept))))
		abort();
	/* The input as an article too (valid UTF-8 only, as the store
	 * guarantees): indexing, checkpoints and snippets on arbitrary text,
	 * searched for with its own words; then it goes again. */
	if (hh_utf8_valid(q, size) && !memchr(q, 0, size)) {
		struct hh_article art = { .id = 99, .slug = "fuzz", .title = "Fuzz",
					  .summary = q, .body_md = q, .keywords = "",
					  .kle = "",
					  .audience = size & 2 ? HH_AUDIENCE_STAFF
							       : HH_AUDIENCE_CITIZEN,
					  .status = HH_STATUS_PUBLISHED };
		hh_index_put(idx, &art, 0);
		sq.prefix_last = 0;
		hh_index_search(idx, &sq, &a, &res);
		for (int i = 0; i < res.n_hits; i++)
			if (res.hits[i].snippet_html &&
			    !hh_utf8_valid(res.hits[i].snippet_html,
					   strlen(res.hits[i].snippet_html)))
				abort();
		hh_index_remove(idx, 99);
	}
	hh_arena_clear(&a);
	free(q);
	return 0;
}
