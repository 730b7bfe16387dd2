/* test_search_http.c - the HTTP path of a search (s-http, issue 13): the
 * results page names the facets' topics from a copy kept for a second
 * (hh_app_topics) rather than reading the store on every request, and a
 * change of the topics in the store shows once that second is over. */
#include "testutil.h"

#include <sys/stat.h>

#include "domain/content.h"
#include "domain/topics.h"

struct ctx {
	struct tu_server s;
};

static int setup(void **state)
{
	struct ctx *c = hh_xcalloc(1, sizeof(*c));
	tu_server_start(&c->s, 0);
	struct hh_import_stats stats;
	assert_int_equal(hh_content_import(c->s.store, "content", 1, stderr, NULL,
					   NULL, &stats),
			 HH_OK);
	assert_true(stats.topics >= 10);
	assert_int_equal(hh_index_build(c->s.app.index, c->s.store), HH_OK);
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;
	tu_server_stop(&c->s);
	free(c);
	return 0;
}

/* The facets of /soeg?q=ansøgning (new). */
static char *facets_of_results_page(struct ctx *c)
{
	struct tu_resp r = tu_call(c->s.base, NULL, NULL, "GET",
				   "/soeg?q=ans%C3%B8gning", NULL, NULL);
	assert_int_equal(r.status, 200);
	const char *f = strstr(r.body, "<nav class=\"facets\"");
	assert_non_null(f);
	char *facets = strdup(f);
	assert_non_null(facets);
	tu_resp_free(&r);
	return facets;
}

/* Writes topics.json naming group 32 name32 (and 15 as the demo) into a
 * folder of its own and imports it. */
static void import_topics(struct ctx *c, const char *name32)
{
	char dir[4200], path[4300];
	snprintf(dir, sizeof(dir), "%s/topics-%s", c->s.dir, name32);
	for (char *p = dir + strlen(c->s.dir) + 1; *p; p++)
		if (*p == ' ')
			*p = '-';
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, sizeof(path), "%s/topics.json", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "[{\"kle\": \"15\", \"name\": \"Dødsfald og arv\"},"
		   " {\"kle\": \"32\", \"name\": \"%s\"}]\n", name32);
	fclose(f);
	int n = 0;
	assert_int_equal(hh_topics_import(c->s.store, dir, stderr, &n), HH_OK);
	assert_int_equal(n, 2);
}

static void topics_read_at_most_once_a_second(void **state)
{
	struct ctx *c = *state;
	char *f = facets_of_results_page(c);
	tu_expect_in(f, ">Pension <span class=\"count\">");
	tu_expect_in(f, ">Dødsfald og arv <span class=\"count\">");
	free(f);
	import_topics(c, "Folkepension og efterløn");
	/* within the second: the names as read before, not from the store */
	f = facets_of_results_page(c);
	tu_expect_in(f, ">Pension <span class=\"count\">");
	tu_expect_not_in(f, "Folkepension og efterløn");
	free(f);
	/* the store again once the second is over */
	usleep(HH_APP_TOPICS_TTL_US + 100000);
	f = facets_of_results_page(c);
	tu_expect_in(f, ">Folkepension og efterløn <span class=\"count\">");
	tu_expect_in(f, ">Dødsfald og arv <span class=\"count\">");
	/* the old name is gone */
	tu_expect_not_in(f, ">Pension <span");
	free(f);
}

/* What the cache hands out is the request's own copy: the names of the
 * app's cache and of the store are equal, read again or not. */
static void cached_topics_equal_the_stored_ones(void **state)
{
	struct ctx *c = *state;
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_topics stored, first, again;
	assert_int_equal(hh_topics_load(c->s.store, &a, &stored), HH_OK);
	assert_true(stored.n >= 2);
	usleep(HH_APP_TOPICS_TTL_US + 100000); /* the first reads the store */
	assert_int_equal(hh_app_topics(&c->s.app, &a, &first), HH_OK);
	assert_int_equal(hh_app_topics(&c->s.app, &a, &again), HH_OK);
	assert_int_equal(first.n, stored.n);
	assert_int_equal(again.n, stored.n);
	for (int g = 0; g < 100; g++) {
		if (!stored.name[g]) {
			assert_null(first.name[g]);
			assert_null(again.name[g]);
			continue;
		}
		assert_string_equal(first.name[g], stored.name[g]);
		assert_string_equal(again.name[g], stored.name[g]);
		/* the arena's copy, not the cache's own text */
		assert_true(again.name[g] < (const char *)&c->s.app.topics_cache ||
			    again.name[g] >= (const char *)(&c->s.app.topics_cache + 1));
	}
	hh_arena_clear(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(topics_read_at_most_once_a_second),
		cmocka_unit_test(cached_topics_equal_the_stored_ones),
	};
	return cmocka_run_group_tests_name("api/search_http", tests, setup,
					   teardown);
}
