/* test_proposals.c - s-edit (issue 13): the domain under the editors'
 * pages, without a server: a municipality's local version (a draft copy,
 * once; not for an agency), restoring a version (a new version with the
 * old text and the current status, an event "restore"; stale versions
 * refused), and proposals to the shared knowledge base: rights (an
 * agency's editor proposes, never decides; nobody decides their own),
 * and accepting one is all or nothing: a store fault at every call of the
 * accept leaves the proposal open and the article as it was. */
#include "testutil.h"
#include "org_fixture.h"

#include "domain/articles.h"
#include "domain/proposals.h"
#include "domain/versions.h"

enum { M901 = 1, M902 = 2, UDK = 3 };

static const struct hh_actor editor901 = { .label = "user:1", .org_id = M901,
	.org_is_municipality = 1, .roles = HH_ROLE_EDITOR };
static const struct hh_actor editor902 = { .label = "user:4", .org_id = M902,
	.org_is_municipality = 1, .roles = HH_ROLE_EDITOR };
static const struct hh_actor editor_udk = { .label = "user:5", .org_id = UDK,
	.roles = HH_ROLE_EDITOR };
static const struct hh_actor agent901 = { .label = "user:3", .org_id = M901,
	.org_is_municipality = 1, .roles = HH_ROLE_AGENT };

struct fx {
	char *dir;
	struct hh_store *st;
	struct hh_arena a;
};

static struct hh_article shared(void)
{
	struct hh_article a = {
		.slug = "pas", .title = "Pas", .summary = "Nyt pas.",
		.body_md = "Bestil tid.\n\nHusk billede.", .keywords = "pas",
		.kle = "", .audience = HH_AUDIENCE_CITIZEN,
		.status = HH_STATUS_PUBLISHED,
	};
	return a;
}

static int setup(void **state)
{
	struct fx *f = hh_xcalloc(1, sizeof(*f));
	OFX_OPEN(f);
	assert_int_equal(ofx_org(f->st, "901", "Nordskov Kommune",
				 HH_ORG_MUNICIPALITY), M901);
	assert_int_equal(ofx_org(f->st, "902", "Åstrup Kommune",
				 HH_ORG_MUNICIPALITY), M902);
	assert_int_equal(ofx_org(f->st, "udk", "Udbetaling Danmark",
				 HH_ORG_AGENCY), UDK);
	struct hh_article a = shared();
	const char *field;
	assert_int_equal(hh_article_create(f->st, &editor901, &f->a, &a, &field),
			 HH_OK);
	*state = f;
	return 0;
}

OFX_TEARDOWN(fx)

static struct hh_article now(struct fx *f, int64_t org_id)
{
	struct hh_article a;
	assert_int_equal(hh_article_read(f->st, &editor901, &f->a, org_id, "pas",
					 &a),
			 HH_OK);
	return a;
}

static void a_local_version_is_a_draft_copy(void **state)
{
	struct fx *f = *state;
	struct hh_article local;
	assert_int_equal(hh_article_make_local(f->st, &editor_udk, &f->a, "pas",
					       &local),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(hh_article_make_local(f->st, &agent901, &f->a, "pas",
					       &local),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(hh_article_make_local(f->st, &editor901, &f->a,
					       "findes-ikke", &local),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_article_make_local(f->st, &editor901, &f->a, "pas",
					       &local),
			 HH_OK);
	assert_int_equal(local.org_id, M901);
	assert_int_equal(local.status, HH_STATUS_DRAFT);
	assert_int_equal(local.version, 1);
	assert_string_equal(local.body_md, "Bestil tid.\n\nHusk billede.");
	assert_int_equal(hh_article_make_local(f->st, &editor901, &f->a, "pas",
					       &local),
			 HH_ERR_CONFLICT);
	/* the other municipality cannot see the draft, nor change it */
	struct hh_article seen;
	assert_int_equal(hh_article_read(f->st, &editor902, &f->a, M901, "pas",
					 &seen),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_article_versions(f->st, &editor902, &f->a, M901,
					     "pas", NULL, tu_push_article,
					     &(tu_article_rows){ .a = &f->a }),
			 HH_ERR_NOT_FOUND);
}

static void restore_makes_a_new_version(void **state)
{
	struct fx *f = *state;
	struct hh_article a = now(f, 0);
	a.body_md = "Bestil tid på nettet.";
	a.status = HH_STATUS_DRAFT;
	int changed;
	const char *field;
	assert_int_equal(hh_article_update(f->st, &editor902, &f->a, &a, 1,
					   &changed, &field),
			 HH_OK);
	/* stale, and an agency's editor: refused */
	struct hh_article out;
	assert_int_equal(hh_article_restore(f->st, &editor901, &f->a, 0, "pas",
					    1, 1, &out, &changed),
			 HH_ERR_CONFLICT);
	assert_int_equal(hh_article_restore(f->st, &editor_udk, &f->a, 0, "pas",
					    1, 2, &out, &changed),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_article_restore(f->st, &editor901, &f->a, 0, "pas",
					    9, 2, &out, &changed),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_article_restore(f->st, &editor901, &f->a, 0, "pas",
					    1, 2, &out, &changed),
			 HH_OK);
	assert_int_equal(changed, 1);
	assert_int_equal(out.version, 3);
	assert_string_equal(out.body_md, "Bestil tid.\n\nHusk billede.");
	assert_int_equal(out.status, HH_STATUS_DRAFT); /* the current status */
	struct hh_event *ev;
	size_t n = tu_events(f->st, &f->a, "article", out.id, &ev);
	assert_int_equal(n, 3);
	assert_string_equal(ev[2].action, "restore");
	assert_string_equal(ev[2].actor, "user:1");
	/* restoring the current text writes nothing */
	assert_int_equal(hh_article_restore(f->st, &editor901, &f->a, 0, "pas",
					    3, 3, &out, &changed),
			 HH_OK);
	assert_int_equal(changed, 0);
	assert_int_equal(now(f, 0).version, 3);
}

static int64_t propose(struct fx *f, const struct hh_actor *who,
		       const char *body, int64_t version, enum hh_rc want)
{
	struct hh_proposal p = { .title = "Pas", .summary = "Nyt pas.",
				 .body_md = body, .keywords = "pas", .kle = "",
				 .audience = HH_AUDIENCE_CITIZEN,
				 .note = "Nye regler", .base_version = version };
	const char *field;
	assert_int_equal(hh_proposal_create(f->st, who, &f->a, "pas", &p,
					    &field),
			 want);
	return p.id;
}

static void rights_on_proposals(void **state)
{
	struct fx *f = *state;
	propose(f, &agent901, "X", 1, HH_ERR_FORBIDDEN);
	propose(f, &editor_udk, "Bestil tid.\n\nHusk billede.\n", 1,
		HH_ERR_INVALID); /* changes nothing */
	propose(f, &editor_udk, "X", 2, HH_ERR_CONFLICT);
	int64_t id = propose(f, &editor_udk, "Bestil tid i god tid.", 1, HH_OK);
	struct hh_proposal p;
	/* the agency's editor reads its own, may not decide it */
	assert_int_equal(hh_proposal_get(f->st, &editor_udk, &f->a, id, &p,
					 NULL),
			 HH_OK);
	assert_int_equal(hh_proposal_accept(f->st, &editor_udk, &f->a, id, 1,
					    NULL),
			 HH_ERR_FORBIDDEN);
	/* a municipality's editor's own proposal: decided by another */
	int64_t mine = propose(f, &editor901, "Mit forslag.", 1, HH_OK);
	assert_int_equal(hh_proposal_accept(f->st, &editor901, &f->a, mine, 1,
					    NULL),
			 HH_ERR_FORBIDDEN);
	/* the agency does not see the municipality's proposal */
	assert_int_equal(hh_proposal_get(f->st, &editor_udk, &f->a, mine, &p,
					 NULL),
			 HH_ERR_NOT_FOUND);
	const char *field;
	assert_int_equal(hh_proposal_decline(f->st, &editor902, &f->a, mine, " ",
					     &field),
			 HH_ERR_INVALID);
	assert_string_equal(field, "reason");
	assert_int_equal(hh_proposal_decline(f->st, &editor902, &f->a, mine,
					     "Nej tak.", &field),
			 HH_OK);
	assert_int_equal(hh_proposal_accept(f->st, &editor902, &f->a, mine, 1,
					    NULL),
			 HH_ERR_CONFLICT);
	assert_int_equal(hh_proposal_get(f->st, &editor901, &f->a, mine, &p,
					 NULL),
			 HH_OK);
	assert_int_equal(p.state, HH_PROPOSAL_DECLINED);
	assert_string_equal(p.reason, "Nej tak.");
	assert_int_equal(now(f, 0).version, 1);
}

static void accepting_is_all_or_nothing(void **state)
{
	struct fx *f = *state;
	int64_t id = propose(f, &editor_udk, "Bestil tid i god tid.", 1, HH_OK);
	int64_t events = tu_event_count(f->st);
	/* a fault at every call of the store the accept makes */
	enum hh_rc rc = HH_ERR_IO;
	int n;
	for (n = 1; n < 40 && rc != HH_OK; n++) {
		hh_store_fault_inject(f->st, n, HH_ERR_IO);
		struct hh_article out;
		rc = hh_proposal_accept(f->st, &editor902, &f->a, id, 1, &out);
		hh_store_fault_inject(f->st, 0, HH_OK);
		struct hh_proposal p;
		assert_int_equal(hh_proposal_get(f->st, &editor902, &f->a, id, &p,
						 NULL),
				 HH_OK);
		if (rc != HH_OK) {
			assert_int_equal(rc, HH_ERR_IO);
			assert_int_equal(p.state, HH_PROPOSAL_OPEN);
			assert_int_equal(now(f, 0).version, 1);
			assert_int_equal(tu_event_count(f->st), events);
		} else {
			assert_int_equal(p.state, HH_PROPOSAL_ACCEPTED);
			assert_int_equal(p.accepted_version, 2);
			assert_int_equal(out.version, 2);
		}
	}
	assert_int_equal(rc, HH_OK);
	assert_true(n > 3); /* the faults did hit the write */
	struct hh_article a = now(f, 0);
	assert_int_equal(a.version, 2);
	assert_string_equal(a.body_md, "Bestil tid i god tid.");
	/* the article's update and the proposal's acceptance, both events */
	assert_int_equal(tu_event_count(f->st), events + 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_local_version_is_a_draft_copy,
						setup, teardown),
		cmocka_unit_test_setup_teardown(restore_makes_a_new_version, setup,
						teardown),
		cmocka_unit_test_setup_teardown(rights_on_proposals, setup,
						teardown),
		cmocka_unit_test_setup_teardown(accepting_is_all_or_nothing, setup,
						teardown),
	};
	return cmocka_run_group_tests_name("domain/proposals", tests, NULL, NULL);
}
