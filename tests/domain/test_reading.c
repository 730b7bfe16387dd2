/* test_reading.c - what a reader does through the domain: searching with
 * the reader's rights (and the search log that follows), the report of
 * searches that did not help and who may read it, the life-event guides
 * with the articles they point to, a citizen's plan made twice, and the
 * installation's readiness and first-start marker. */
#include "testutil.h"

#include "domain/articles.h"
#include "domain/guide.h"
#include "domain/health.h"
#include "domain/plans.h"
#include "domain/reading.h"
#include "domain/reports.h"

enum { M901 = 1, M902 = 2 };

static const struct hh_actor anonymous;
static const struct hh_actor citizen_nobody = { .label = "citizen:99",
	.roles = HH_ROLE_CITIZEN, .citizen_id = 99 };
static const struct hh_actor agent901 = { .label = "user:3", .org_id = M901,
	.org_is_municipality = 1, .roles = HH_ROLE_AGENT };
static const struct hh_actor editor901 = { .label = "user:1", .org_id = M901,
	.org_is_municipality = 1, .roles = HH_ROLE_EDITOR };
static const struct hh_actor manager902 = { .label = "user:7", .org_id = M902,
	.org_is_municipality = 1, .roles = HH_ROLE_MANAGER };
static const struct hh_actor cli = { .label = "cli", .system = 1 };

static struct hh_analyzer an;

struct fx {
	char *dir;
	struct hh_store *st;
	struct hh_arena a;
	struct hh_index *idx;
};

static enum hh_rc put_orgs_tx(struct hh_tx *tx, void *p)
{
	(void)p;
	struct hh_org m1 = { .code = "901", .name = "Nordskov Kommune",
			     .kind = HH_ORG_MUNICIPALITY };
	struct hh_org m2 = { .code = "902", .name = "Åstrup Kommune",
			     .kind = HH_ORG_MUNICIPALITY };
	enum hh_rc rc = tx->store->org_put(tx, &m1);
	return rc == HH_OK ? tx->store->org_put(tx, &m2) : rc;
}

static void article(struct fx *f, const char *slug, const char *title,
		    enum hh_audience aud, enum hh_status status)
{
	struct hh_article a = {
		.slug = slug, .title = title, .summary = title,
		.body_md = title, .keywords = "", .kle = "",
		.audience = aud, .status = status,
	};
	const char *field;
	assert_int_equal(hh_article_create(f->st, &cli, &f->a, &a, &field), HH_OK);
	hh_index_put(f->idx, &a, 0);
}

static int setup(void **state)
{
	struct fx *f = hh_xcalloc(1, sizeof(*f));
	f->dir = tu_tmpdir();
	f->st = tu_store(f->dir, 2);
	hh_arena_init(&f->a);
	assert_int_equal(hh_store_run_tx(f->st, 1, put_orgs_tx, NULL), HH_OK);
	assert_int_equal(hh_searchlog_init(f->st), HH_OK);
	f->idx = hh_index_new(&an, NULL);
	article(f, "sundhedskort", "Bestil nyt sundhedskort",
		HH_AUDIENCE_CITIZEN, HH_STATUS_PUBLISHED);
	article(f, "sundhedskort-intern", "Sundhedskort i borgerservice",
		HH_AUDIENCE_STAFF, HH_STATUS_PUBLISHED);
	article(f, "sundhedskort-kladde", "Sundhedskort kladde",
		HH_AUDIENCE_CITIZEN, HH_STATUS_DRAFT);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	hh_searchlog_flush(f->st);
	hh_index_free(f->idx);
	hh_store_close(f->st);
	hh_arena_clear(&f->a);
	tu_rmdir(f->dir);
	free(f);
	return 0;
}

/* ---- searching ---------------------------------------------------------- */

static const char *hits(struct fx *f, const struct hh_actor *who,
			const char *text, int64_t *sid)
{
	struct hh_search_query q = { .text = text, .limit = 10,
				     .staff = 1 /* the domain decides */ };
	struct hh_search_result res;
	*sid = hh_reading_search(f->idx, who, &q, &f->a, &res);
	struct hh_buf b;
	hh_buf_init(&b);
	hh_buf_puts(&b, "");
	for (int i = 0; i < res.n_hits; i++) {
		if (i)
			hh_buf_putc(&b, ' ');
		hh_buf_puts(&b, res.hits[i].slug);
	}
	const char *out = hh_arena_strdup(&f->a, hh_buf_str(&b));
	hh_buf_clear(&b);
	return out;
}

static int has(const char *list, const char *slug)
{
	size_t n = strlen(slug);
	for (const char *p = list; (p = strstr(p, slug)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return 1;
	return 0;
}

static void search_shows_staff_articles_to_staff(void **state)
{
	struct fx *f = *state;
	int64_t s1, s2, s3;
	const char *pub = hits(f, &anonymous, "sundhedskort", &s1);
	assert_true(has(pub, "sundhedskort"));
	assert_false(has(pub, "sundhedskort-intern"));
	const char *cit = hits(f, &citizen_nobody, "sundhedskort", &s2);
	assert_false(has(cit, "sundhedskort-intern"));
	const char *staff = hits(f, &agent901, "sundhedskort", &s3);
	assert_true(has(staff, "sundhedskort"));
	assert_true(has(staff, "sundhedskort-intern"));
	/* drafts are never searched */
	assert_false(has(staff, "sundhedskort-kladde"));
	/* every search is logged, with ids in order */
	assert_true(s1 > 0 && s2 == s1 + 1 && s3 == s2 + 1);

	struct hh_search_query q = { .text = "sundhedsk", .staff = 1,
				     .prefix_last = 1 };
	struct hh_suggestion sug;
	hh_reading_suggest(f->idx, &anonymous, &q, &f->a, &sug);
	for (int i = 0; i < sug.n_titles; i++)
		assert_string_not_equal(sug.titles[i].slug, "sundhedskort-intern");
}

/* ---- the report ----------------------------------------------------------- */

static enum hh_rc report_row(void *p, const struct hh_search_report_row *row)
{
	hh_buf_printf(p, "%s|%lld|%lld|%lld\n", row->query,
		      (long long)row->searches, (long long)row->with_results,
		      (long long)row->chosen);
	return HH_OK;
}

static const char *report(struct fx *f, const struct hh_actor *who)
{
	struct hh_buf b;
	hh_buf_init(&b);
	hh_buf_puts(&b, "");
	enum hh_rc rc = hh_search_report(f->st, who, &f->a, 30, 100, report_row,
					 &b);
	const char *out = rc == HH_OK ? hh_arena_strdup(&f->a, hh_buf_str(&b))
				      : hh_rc_name(rc);
	hh_buf_clear(&b);
	return out;
}

static void report_for_editors_and_managers(void **state)
{
	struct fx *f = *state;
	int64_t sid, none;
	hits(f, &anonymous, "sundhedskort", &sid);
	hits(f, &anonymous, "qwfpgj", &none);
	const char *forbidden = hh_rc_name(HH_ERR_FORBIDDEN);
	assert_string_equal(report(f, &anonymous), forbidden);
	assert_string_equal(report(f, &citizen_nobody), forbidden);
	assert_string_equal(report(f, &agent901), forbidden);
	/* what is still queued counts: no flush before asking */
	const char *rep = report(f, &editor901);
	assert_non_null(strstr(rep, "sundhedskort|1|1|0\n"));
	assert_non_null(strstr(rep, "qwfpgj|1|0|0\n"));
	assert_string_equal(report(f, &manager902), rep);
	/* the reader chose a result: that search helped */
	hh_reading_opened(f->idx, 1, sid);
	rep = report(f, &manager902);
	assert_null(strstr(rep, "sundhedskort|"));
	assert_non_null(strstr(rep, "qwfpgj|1|0|0\n"));
	/* an id that is not a search of ours changes nothing */
	hh_reading_opened(f->idx, 1, none + 1000);
	assert_string_equal(report(f, &manager902), rep);
}

/* ---- the guides ------------------------------------------------------------- */

static enum hh_rc put_le_tx(struct hh_tx *tx, void *p)
{
	struct hh_citizen c = { .subject = "demo-1", .name = "Karen Borger",
				.municipality_id = M901 };
	struct hh_life_event le = {
		.slug = "flytning", .title = "Flytning", .summary = "Når du flytter",
		.position = 1,
		.articles = "[\"sundhedskort-kladde\", \"sundhedskort-intern\", "
			    "\"findes-ikke\", \"sundhedskort\"]",
		.definition = "{\"questions\": [{\"key\": \"boern\", \"text\": "
			      "\"Har du børn?\"}], \"steps\": []}",
	};
	enum hh_rc rc = tx->store->life_event_put(tx, &le);
	if (rc == HH_OK)
		rc = tx->store->citizen_put(tx, &c);
	*(int64_t *)p = c.id;
	return rc;
}

static enum hh_rc add_slug(void *p, const struct hh_article *a)
{
	struct hh_buf *b = p;
	if (b->len)
		hh_buf_putc(b, ' ');
	hh_buf_puts(b, a->slug);
	return HH_OK;
}

static enum hh_rc add_le(void *p, const struct hh_life_event *le)
{
	hh_buf_puts(p, le->slug);
	return HH_OK;
}

static const char *guide_articles(struct fx *f, const struct hh_actor *who)
{
	struct hh_buf b;
	hh_buf_init(&b);
	hh_buf_puts(&b, "");
	struct hh_life_event le;
	assert_int_equal(hh_guide_get(f->st, who, &f->a, M901, "flytning", &le,
				      add_slug, &b), HH_OK);
	assert_string_equal(le.title, "Flytning");
	const char *out = hh_arena_strdup(&f->a, hh_buf_str(&b));
	hh_buf_clear(&b);
	return out;
}

static void guides_point_to_what_the_reader_may_read(void **state)
{
	struct fx *f = *state;
	int64_t citizen_id;
	assert_int_equal(hh_store_run_tx(f->st, 1, put_le_tx, &citizen_id), HH_OK);
	struct hh_buf b;
	hh_buf_init(&b);
	assert_int_equal(hh_guide_each(f->st, &f->a, add_le, &b), HH_OK);
	assert_string_equal(hh_buf_str(&b), "flytning");
	hh_buf_clear(&b);
	/* in the guide's order, without what is gone or not for the reader */
	assert_string_equal(guide_articles(f, &anonymous), "sundhedskort");
	assert_string_equal(guide_articles(f, &agent901),
			    "sundhedskort-intern sundhedskort");
	assert_string_equal(guide_articles(f, &cli),
			    "sundhedskort-kladde sundhedskort-intern sundhedskort");
	struct hh_life_event le;
	assert_int_equal(hh_guide_get(f->st, &anonymous, &f->a, 0, "findes-ikke",
				      &le, NULL, NULL), HH_ERR_NOT_FOUND);
	assert_int_equal(hh_guide_get(f->st, &anonymous, &f->a, 0, "flytning",
				      &le, NULL, NULL), HH_OK);

	/* a plan made twice is found, for its own citizen only */
	struct hh_actor karen = { .label = "citizen", .roles = HH_ROLE_CITIZEN,
				  .citizen_id = citizen_id,
				  .municipality_id = M901 };
	json_t *answers = json_pack("{s:s}", "boern", "ja");
	json_t *other = json_pack("{s:s}", "boern", "nej");
	int64_t same = -1;
	assert_int_equal(hh_guide_same_plan(f->st, &karen, &f->a, "flytning",
					    answers, &same), HH_OK);
	assert_int_equal(same, 0);
	struct hh_plan plan;
	const char *bad = NULL;
	assert_int_equal(hh_plan_create(f->st, &f->a, citizen_id, "flytning",
					answers, &plan, &bad), HH_OK);
	assert_int_equal(hh_guide_same_plan(f->st, &karen, &f->a, "flytning",
					    answers, &same), HH_OK);
	assert_int_equal(same, plan.id);
	assert_int_equal(hh_guide_same_plan(f->st, &karen, &f->a, "flytning",
					    other, &same), HH_OK);
	assert_int_equal(same, 0);
	assert_int_equal(hh_guide_same_plan(f->st, &citizen_nobody, &f->a,
					    "flytning", answers, &same), HH_OK);
	assert_int_equal(same, 0);
	/* staff and the public have no plans of their own */
	assert_int_equal(hh_guide_same_plan(f->st, &anonymous, &f->a, "flytning",
					    answers, &same), HH_ERR_FORBIDDEN);
	assert_int_equal(hh_guide_same_plan(f->st, &agent901, &f->a, "flytning",
					    answers, &same), HH_ERR_FORBIDDEN);
	json_decref(answers);
	json_decref(other);
}

/* ---- the installation ---------------------------------------------------------- */

static void health_and_first_start(void **state)
{
	struct fx *f = *state;
	assert_int_equal(hh_health_ready(f->st), HH_OK);
	int cur = -1, latest = -2, applied = -1;
	assert_int_equal(hh_health_schema(f->st, &cur, &latest), HH_OK);
	assert_true(cur > 0);
	assert_int_equal(cur, latest);
	assert_int_equal(hh_health_migrate(f->st, &applied), HH_OK);
	assert_int_equal(applied, 0);
	int loaded = -1;
	assert_int_equal(hh_health_content_loaded(f->st, &loaded), HH_OK);
	assert_int_equal(loaded, 0);
	assert_int_equal(hh_health_mark_content_loaded(f->st), HH_OK);
	assert_int_equal(hh_health_content_loaded(f->st, &loaded), HH_OK);
	assert_int_equal(loaded, 1);
	/* a store that fails: not ready */
	hh_store_fault_inject(f->st, 1, HH_ERR_IO);
	assert_int_equal(hh_health_ready(f->st), HH_ERR_IO);
	assert_int_equal(hh_health_ready(f->st), HH_OK);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	hh_auth_init();
	hh_json_alloc_init();
	hh_log_set_level(HH_LOG_ERROR);
	hh_analyzer_init(&an, "/usr/share/dict/danish");
	const struct CMUnitTest tests[] = {
		T(search_shows_staff_articles_to_staff),
		T(report_for_editors_and_managers),
		T(guides_point_to_what_the_reader_may_read),
		T(health_and_first_start),
	};
	int failed = cmocka_run_group_tests_name("domain/reading", tests, NULL,
						 NULL);
	hh_analyzer_clear(&an);
	return failed;
}
