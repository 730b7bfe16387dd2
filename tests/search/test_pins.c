/* test_pins.c - s-tune (issue 13): an editor's pin in the index
 * (hh_search_query.pin_slug). The pinned article ranks first on every
 * page: over pages of any size every hit comes exactly once, the total
 * and the facets count the pin once, whether it matches the words or
 * not; the reader gets the version they see at the slug (a
 * municipality's local version before the shared one), and nothing when
 * none is published or a filter keeps it out. */
#include "testutil.h"

#include "search/index.h"
#include "text/analyze.h"

static struct hh_analyzer an;

enum { SHARED = 0, M901 = 1, M902 = 2 };

static void put(struct hh_index *idx, int64_t id, const char *slug,
		const char *title, const char *body, int64_t org,
		const char *kle, enum hh_status status)
{
	static const char *const codes[] = { NULL, "901", "902" };
	struct hh_article a = {
		.id = id, .org_id = org, .org_code = codes[org],
		.org_name = org ? "Kommune" : NULL, .slug = slug,
		.title = title, .summary = "Resumé", .body_md = body,
		.keywords = "", .kle = kle, .audience = HH_AUDIENCE_CITIZEN,
		.status = status,
	};
	hh_index_put(idx, &a, 0);
}

/* 23 articles about "flytning" with falling weight, article 50 about
 * something else, and article 60 that matches weakly (rank ~ 20). */
static struct hh_index *corpus(void)
{
	struct hh_index *idx = hh_index_new(&an, NULL);
	char slug[32], title[64], body[512];
	for (int i = 1; i <= 23; i++) {
		snprintf(slug, sizeof(slug), "flyt-%d", i);
		snprintf(title, sizeof(title), "Emne %d", i);
		/* article i mentions flytning 24 - i times */
		size_t o = 0;
		for (int k = 0; k < 24 - i; k++)
			o += (size_t)snprintf(body + o, sizeof(body) - o,
					      "flytning ord%d ", k);
		put(idx, i, slug, title, body, SHARED,
		    i % 2 ? "23.05.01" : "16.01.02", HH_STATUS_PUBLISHED);
	}
	put(idx, 50, "skolestart", "Skolestart", "Når barnet starter i skole.",
	    SHARED, "17.01.00", HH_STATUS_PUBLISHED);
	return idx;
}

/* Every page of size limit for q, the ids in order into ids (up to
 * cap); returns how many; checks each page's total is the same. */
static int all_pages(struct hh_index *idx, struct hh_search_query q,
		     int limit, int64_t *ids, int cap, int *total)
{
	struct hh_arena a;
	hh_arena_init(&a);
	int n = 0;
	*total = -1;
	for (int off = 0; off < 200; off += limit) {
		struct hh_search_result r;
		q.offset = off;
		q.limit = limit;
		hh_index_search(idx, &q, &a, &r);
		if (*total < 0)
			*total = r.total;
		assert_int_equal(r.total, *total);
		assert_int_equal(r.pinned, q.pin_slug != NULL);
		for (int i = 0; i < r.n_hits && n < cap; i++)
			ids[n++] = r.hits[i].id;
		if (r.n_hits < limit)
			break;
	}
	hh_arena_clear(&a);
	return n;
}

static int facet_sum(const struct hh_facet *f, int n)
{
	int s = 0;
	for (int i = 0; i < n; i++)
		s += f[i].count;
	return s;
}

static int facet_count(const struct hh_facet *f, int n, const char *value)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(f[i].value, value))
			return f[i].count;
	return 0;
}

/* The pinned list over pages of every size equals the unpinned list with
 * the pin moved (or added) first. */
static void check_pages(struct hh_index *idx, const char *pin, int64_t pin_id)
{
	struct hh_search_query q = { .text = "flytning", .municipality_id = M901,
				     .no_snippets = 1 };
	int64_t plain[64], want[64], got[64];
	int total0, total;
	int n0 = all_pages(idx, q, 50, plain, 64, &total0);
	assert_int_equal(n0, total0);
	int nw = 0, had = 0;
	want[nw++] = pin_id;
	for (int i = 0; i < n0; i++) {
		if (plain[i] == pin_id)
			had = 1;
		else
			want[nw++] = plain[i];
	}
	q.pin_slug = pin;
	static const int sizes[] = { 1, 3, 7, 10, 50 };
	for (size_t s = 0; s < sizeof(sizes) / sizeof(*sizes); s++) {
		int n = all_pages(idx, q, sizes[s], got, 64, &total);
		assert_int_equal(total, total0 + !had);
		if (n != nw)
			fail_msg("pages of %d: %d hits, want %d", sizes[s], n, nw);
		for (int i = 0; i < n; i++)
			if (got[i] != want[i])
				fail_msg("pages of %d: hit %d is %lld, want %lld",
					 sizes[s], i, (long long)got[i],
					 (long long)want[i]);
	}
}

static void a_pin_holds_on_every_page(void **state)
{
	(void)state;
	struct hh_index *idx = corpus();
	/* not among the hits at all: added first, total one more */
	check_pages(idx, "skolestart", 50);
	/* a hit on page 2 (the 15th): moved first, total the same */
	check_pages(idx, "flyt-15", 15);
	/* the best hit pinned: the order as it was */
	check_pages(idx, "flyt-1", 1);
	/* the last one */
	check_pages(idx, "flyt-23", 23);
	hh_index_free(idx);
}

static void facets_count_the_pin_once(void **state)
{
	(void)state;
	struct hh_index *idx = corpus();
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_search_result r;
	struct hh_search_query q = { .text = "flytning", .municipality_id = M901,
				     .limit = 10, .offset = 10,
				     .pin_slug = "skolestart" };
	hh_index_search(idx, &q, &a, &r);
	assert_int_equal(r.total, 24);
	assert_int_equal(facet_sum(r.kle_groups, r.n_kle_groups), 24);
	assert_int_equal(facet_count(r.kle_groups, r.n_kle_groups, "17"), 1);
	assert_int_equal(facet_sum(r.audiences, r.n_audiences), 24);
	/* a matching pin: counted as before */
	q.pin_slug = "flyt-3";
	hh_index_search(idx, &q, &a, &r);
	assert_int_equal(r.total, 23);
	assert_int_equal(facet_sum(r.kle_groups, r.n_kle_groups), 23);
	assert_int_equal(facet_count(r.kle_groups, r.n_kle_groups, "17"), 0);
	/* a KLE filter that the pin passes keeps it first; one it does not
	 * pass leaves it out */
	q.offset = 0;
	q.pin_slug = "skolestart";
	q.kle = "17";
	hh_index_search(idx, &q, &a, &r);
	assert_int_equal(r.total, 1);
	assert_int_equal(r.n_hits, 1);
	assert_int_equal(r.hits[0].id, 50);
	q.kle = "23";
	hh_index_search(idx, &q, &a, &r);
	assert_int_equal(r.pinned, 0);
	assert_int_equal(r.total, 12);
	for (int i = 0; i < r.n_hits; i++)
		assert_true(r.hits[i].id != 50);
	/* a query the index knows no word of: the pin alone */
	q.kle = NULL;
	q.text = "qwxzv";
	hh_index_search(idx, &q, &a, &r);
	assert_int_equal(r.total, 1);
	assert_int_equal(r.n_hits, 1);
	assert_int_equal(r.hits[0].id, 50);
	assert_int_equal(facet_count(r.kle_groups, r.n_kle_groups, "17"), 1);
	q.offset = 1;
	hh_index_search(idx, &q, &a, &r);
	assert_int_equal(r.total, 1);
	assert_int_equal(r.n_hits, 0);
	hh_arena_clear(&a);
	hh_index_free(idx);
}

static void the_reader_gets_the_version_they_see(void **state)
{
	(void)state;
	struct hh_index *idx = corpus();
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_search_result r;
	struct hh_search_query q = { .text = "flytning", .limit = 5,
				     .pin_slug = "skolestart" };
	/* Nordskov publishes its own version: its readers get it first,
	 * Åstrup's the shared one */
	put(idx, 70, "skolestart", "Skolestart i Nordskov", "Lokalt.", M901,
	    "17.01.00", HH_STATUS_PUBLISHED);
	q.municipality_id = M901;
	hh_index_search(idx, &q, &a, &r);
	assert_int_equal(r.hits[0].id, 70);
	for (int i = 1; i < r.n_hits; i++)
		assert_true(r.hits[i].id != 50);
	q.municipality_id = M902;
	hh_index_search(idx, &q, &a, &r);
	assert_int_equal(r.hits[0].id, 50);
	/* the local version archived: the shared one again, at once */
	put(idx, 70, "skolestart", "Skolestart i Nordskov", "Lokalt.", M901,
	    "17.01.00", HH_STATUS_ARCHIVED);
	q.municipality_id = M901;
	hh_index_search(idx, &q, &a, &r);
	assert_int_equal(r.hits[0].id, 50);
	/* the shared one archived too: no pin, the plain ranking */
	put(idx, 50, "skolestart", "Skolestart", "Når barnet starter i skole.",
	    SHARED, "17.01.00", HH_STATUS_ARCHIVED);
	hh_index_search(idx, &q, &a, &r);
	assert_int_equal(r.pinned, 0);
	assert_int_equal(r.total, 23);
	assert_int_equal(r.hits[0].id, 1);
	/* an unknown slug: no pin */
	q.pin_slug = "findes-ikke";
	hh_index_search(idx, &q, &a, &r);
	assert_int_equal(r.pinned, 0);
	assert_int_equal(r.total, 23);
	hh_arena_clear(&a);
	hh_index_free(idx);
}

static int setup(void **state)
{
	(void)state;
	return hh_analyzer_init(&an, "/usr/share/dict/danish") < 100000 ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	hh_analyzer_clear(&an);
	return 0;
}

int main(void)
{
	hh_log_set_level(HH_LOG_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_pin_holds_on_every_page),
		cmocka_unit_test(facets_count_the_pin_once),
		cmocka_unit_test(the_reader_gets_the_version_they_see),
	};
	return cmocka_run_group_tests_name("search/pins", tests, setup,
					   teardown);
}
