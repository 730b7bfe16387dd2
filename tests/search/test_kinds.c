/* test_kinds.c - documents of three kinds in one index (s-self, issue 13):
 * articles, life-event guides and self-service forms are found together,
 * each hit carries its kind and its own id, the kinds filter keeps only
 * the kinds asked for, a guide or form replaced or removed by kind and id
 * leaves the article with the same id alone, and a form never takes part
 * in the articles' local overrides by slug.
 *
 * Each test builds its own index, so what it asserts depends only on the
 * documents it wrote. */
#include "testutil.h"

#include "search/index.h"
#include "search/synonyms.h"
#include "text/analyze.h"

static struct hh_analyzer an;

struct t {
	struct hh_index *idx;
	struct hh_arena arena;
};

static struct t *fresh(void **state)
{
	struct t *t = *state;
	if (t->idx)
		hh_index_free(t->idx);
	hh_arena_clear(&t->arena);
	hh_arena_init(&t->arena);
	t->idx = hh_index_new(&an, NULL);
	return t;
}

static void article(struct t *t, int64_t id, int64_t org, const char *slug,
		    const char *title, const char *body)
{
	struct hh_article a = {
		.id = id,
		.org_id = org,
		.org_code = org ? "901" : NULL,
		.org_name = org ? "Nordskov Kommune" : NULL,
		.slug = slug,
		.title = title,
		.summary = "",
		.body_md = body,
		.keywords = "",
		.kle = "16.10.00",
		.audience = HH_AUDIENCE_CITIZEN,
		.status = HH_STATUS_PUBLISHED,
	};
	hh_index_put(t->idx, &a, 0);
}

static void doc(struct t *t, enum hh_doc_kind kind, int64_t id,
		const char *slug, const char *title, const char *body)
{
	struct hh_index_doc d = {
		.kind = kind,
		.id = id,
		.slug = slug,
		.title = title,
		.summary = "Kort om det.",
		.keywords = "",
		.body_md = body,
		.kle = "15.00.00",
		.audience = HH_AUDIENCE_CITIZEN,
	};
	hh_index_put_doc(t->idx, &d);
}

static struct hh_search_result find(struct t *t, const char *text,
				    unsigned kinds, int64_t muni)
{
	struct hh_search_query q = { .text = text, .limit = 10, .kinds = kinds,
				     .municipality_id = muni };
	struct hh_search_result r;
	hh_index_search(t->idx, &q, &t->arena, &r);
	return r;
}

/* The hit of kind and slug, or NULL. */
static const struct hh_search_hit *hit_of(const struct hh_search_result *r,
					  enum hh_doc_kind kind,
					  const char *slug)
{
	for (int i = 0; i < r->n_hits; i++)
		if (r->hits[i].kind == kind && !strcmp(r->hits[i].slug, slug))
			return &r->hits[i];
	return NULL;
}

static void three_kinds_found_together(void **state)
{
	struct t *t = fresh(state);
	/* the same id 7 in each kind: ids are per kind */
	article(t, 7, 0, "begravelse", "Begravelse og bisættelse",
		"Bedemanden hjælper med begravelsen.");
	doc(t, HH_DOC_GUIDE, 7, "doedsfald", "Du har mistet en nærtstående",
	    "## Anmeld dødsfaldet\n\nBedemanden anmelder begravelsen.");
	doc(t, HH_DOC_SERVICE, 7, "begravelseshjaelp",
	    "Ansøgning om begravelseshjælp",
	    "Regning fra bedemanden\n\nDato for begravelsen");
	struct hh_search_result r = find(t, "begravelse", 0, 0);
	assert_int_equal(r.total, 3);
	const struct hh_search_hit *a = hit_of(&r, HH_DOC_ARTICLE, "begravelse");
	const struct hh_search_hit *g = hit_of(&r, HH_DOC_GUIDE, "doedsfald");
	const struct hh_search_hit *s =
		hit_of(&r, HH_DOC_SERVICE, "begravelseshjaelp");
	assert_non_null(a);
	assert_non_null(g);
	assert_non_null(s);
	assert_int_equal(a->id, 7);
	assert_int_equal(g->id, 7);
	assert_int_equal(s->id, 7);
	assert_string_equal(s->title, "Ansøgning om begravelseshjælp");
	/* the names, labels and places the results use */
	assert_string_equal(hh_doc_kind_name(s->kind), "service");
	assert_string_equal(hh_doc_kind_label(s->kind), "Selvbetjening");
	assert_string_equal(hh_doc_kind_path(s->kind), "/blanket/");
	assert_string_equal(hh_doc_kind_label(g->kind), "Guide");
	assert_string_equal(hh_doc_kind_path(g->kind), "/livssituation/");
	assert_string_equal(hh_doc_kind_label(a->kind), "Vejledning");
	assert_string_equal(hh_doc_kind_path(a->kind), "/artikel/");
	assert_int_equal(hh_doc_kind_parse("guide"), HH_DOC_GUIDE);
	assert_int_equal(hh_doc_kind_parse("Guide"), -1);
	assert_int_equal(hh_doc_kind_parse(NULL), -1);
	/* the words of a form's body are the public's: completed and
	 * corrected like an article's */
	assert_true(hh_index_knows(t->idx, "regning", 7));
}

static void kinds_filter(void **state)
{
	struct t *t = fresh(state);
	article(t, 1, 0, "skilsmisse", "Skilsmisse: sådan søger du",
		"Om skilsmisse.");
	doc(t, HH_DOC_GUIDE, 1, "skilsmisse-og-separation", "I går fra hinanden",
	    "Skilsmisse eller separation.");
	doc(t, HH_DOC_SERVICE, 1, "skilsmisse", "Ansøgning om skilsmisse",
	    "Skilsmisse");
	struct hh_search_result r =
		find(t, "skilsmisse", HH_KIND_BIT(HH_DOC_SERVICE), 0);
	assert_int_equal(r.total, 1);
	assert_int_equal(r.hits[0].kind, HH_DOC_SERVICE);
	r = find(t, "skilsmisse", HH_KIND_BIT(HH_DOC_ARTICLE), 0);
	assert_int_equal(r.total, 1);
	assert_int_equal(r.hits[0].kind, HH_DOC_ARTICLE);
	r = find(t, "skilsmisse",
		 HH_KIND_BIT(HH_DOC_ARTICLE) | HH_KIND_BIT(HH_DOC_GUIDE), 0);
	assert_int_equal(r.total, 2);
	assert_null(hit_of(&r, HH_DOC_SERVICE, "skilsmisse"));
	/* the facets count what the filter lets through: the article's
	 * group (16) and the guide's (15), once each */
	assert_int_equal(r.n_kle_groups, 2);
	assert_int_equal(r.kle_groups[0].count + r.kle_groups[1].count, 2);
	r = find(t, "skilsmisse", 0, 0);
	assert_int_equal(r.total, 3);
}

static void replaced_and_removed_by_kind(void **state)
{
	struct t *t = fresh(state);
	article(t, 3, 0, "affald", "Storskrald og affald", "Storskrald.");
	doc(t, HH_DOC_SERVICE, 3, "storskrald", "Afhentning af storskrald",
	    "Storskrald ved boligen.");
	/* the form again, now about something else: replaced, not added */
	doc(t, HH_DOC_SERVICE, 3, "storskrald", "Afhentning af juletræer",
	    "Juletræer ved vejen.");
	struct hh_search_result r = find(t, "storskrald", 0, 0);
	assert_int_equal(r.total, 1);
	assert_int_equal(r.hits[0].kind, HH_DOC_ARTICLE);
	r = find(t, "juletræer", 0, 0);
	assert_int_equal(r.total, 1);
	assert_int_equal(r.hits[0].kind, HH_DOC_SERVICE);
	/* removing the form by kind and id leaves the article with id 3 */
	hh_index_remove_doc(t->idx, HH_DOC_SERVICE, 3);
	r = find(t, "juletræer", 0, 0);
	assert_int_equal(r.total, 0);
	r = find(t, "storskrald", 0, 0);
	assert_int_equal(r.total, 1);
	/* and removing the article leaves a form with its id */
	doc(t, HH_DOC_SERVICE, 3, "storskrald", "Afhentning af storskrald",
	    "Storskrald ved boligen.");
	hh_index_remove(t->idx, 3);
	r = find(t, "storskrald", 0, 0);
	assert_int_equal(r.total, 1);
	assert_int_equal(r.hits[0].kind, HH_DOC_SERVICE);
}

static void a_form_is_no_local_override(void **state)
{
	struct t *t = fresh(state);
	/* a municipality's local article with the form's slug must not
	 * hide the (shared) form in that municipality, nor the form hide
	 * the shared article */
	article(t, 10, 0, "beboerlicens", "Beboerlicens til parkering",
		"Fælles vejledning om beboerlicens.");
	article(t, 11, 1, "beboerlicens", "Beboerlicens i Nordskov",
		"Lokal vejledning om beboerlicens.");
	doc(t, HH_DOC_SERVICE, 10, "beboerlicens", "Beboerlicens: ansøgning",
	    "Nummerplade");
	struct hh_search_result r = find(t, "beboerlicens", 0, 1);
	assert_int_equal(r.total, 2); /* the local article and the form */
	assert_non_null(hit_of(&r, HH_DOC_SERVICE, "beboerlicens"));
	const struct hh_search_hit *a = hit_of(&r, HH_DOC_ARTICLE, "beboerlicens");
	assert_non_null(a);
	assert_int_equal(a->id, 11);
	/* with a filter (the slow visibility path) the same */
	r = find(t, "beboerlicens",
		 HH_KIND_BIT(HH_DOC_ARTICLE) | HH_KIND_BIT(HH_DOC_SERVICE), 1);
	assert_int_equal(r.total, 2);
	/* without a municipality: the shared article and the form */
	r = find(t, "beboerlicens", 0, 0);
	assert_int_equal(r.total, 2);
	a = hit_of(&r, HH_DOC_ARTICLE, "beboerlicens");
	assert_non_null(a);
	assert_int_equal(a->id, 10);
}

static void staff_documents_stay_hidden(void **state)
{
	struct t *t = fresh(state);
	struct hh_index_doc d = {
		.kind = HH_DOC_SERVICE,
		.id = 5,
		.slug = "intern",
		.title = "Kvartalsindberetning",
		.summary = "",
		.keywords = "",
		.body_md = "Kvartalsindberetning",
		.kle = "",
		.audience = HH_AUDIENCE_STAFF,
	};
	hh_index_put_doc(t->idx, &d);
	struct hh_search_result r = find(t, "kvartalsindberetning", 0, 0);
	assert_int_equal(r.total, 0);
	struct hh_search_query q = { .text = "kvartalsindberetning", .staff = 1 };
	hh_index_search(t->idx, &q, &t->arena, &r);
	assert_int_equal(r.total, 1);
}

static int setup(void **state)
{
	if (hh_analyzer_init(&an, "/usr/share/dict/danish") < 100000)
		return -1;
	struct t *t = hh_xcalloc(1, sizeof(*t));
	hh_arena_init(&t->arena);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct t *t = *state;
	hh_index_free(t->idx);
	hh_arena_clear(&t->arena);
	free(t);
	hh_analyzer_clear(&an);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(three_kinds_found_together),
		cmocka_unit_test(kinds_filter),
		cmocka_unit_test(replaced_and_removed_by_kind),
		cmocka_unit_test(a_form_is_no_local_override),
		cmocka_unit_test(staff_documents_stay_hidden),
	};
	return cmocka_run_group_tests_name("search/kinds", tests, setup, teardown);
}
