/* test_access.c - the access table: each kind of caller against own and
 * foreign things, and the shape of the table itself (every change right
 * comes with the right to see what is changed). The same decisions through
 * the HTTP doors are in tests/api/test_access.c. */
#include "testutil.h"

#include "domain/access.h"

enum { M1 = 11, M2 = 12, AG = 13, CIT_A = 21, CIT_B = 22 };

static const struct hh_actor anon = { .label = NULL };
static const struct hh_actor cit_a = { .label = "citizen:21",
				       .roles = HH_ROLE_CITIZEN,
				       .citizen_id = CIT_A };
static const struct hh_actor cw_m1 = { .label = "user:1", .org_id = M1,
				       .org_is_municipality = 1,
				       .roles = HH_ROLE_CASEWORKER };
static const struct hh_actor mgr_m1 = { .label = "user:2", .org_id = M1,
					.org_is_municipality = 1,
					.roles = HH_ROLE_MANAGER };
static const struct hh_actor ed_m1 = { .label = "user:3", .org_id = M1,
				       .org_is_municipality = 1,
				       .roles = HH_ROLE_EDITOR };
static const struct hh_actor ed_ag = { .label = "user:4", .org_id = AG,
				       .roles = HH_ROLE_EDITOR };
static const struct hh_actor tok_m2 = { .label = "token:1", .org_id = M2,
					.org_is_municipality = 1,
					.roles = HH_ROLE_CASEWORKER };
static const struct hh_actor cli = { .label = "cli", .system = 1 };

static enum hh_rc dec(const struct hh_actor *who, enum hh_resource res,
		      enum hh_access_action act, int64_t org, int64_t citizen)
{
	struct hh_owner o = { org, citizen };
	return hh_access(who, res, act, &o);
}

static void cases_are_seen_by_their_own(void **state)
{
	(void)state;
	/* the citizen: own case yes, another's is not there at all */
	assert_int_equal(dec(&cit_a, HH_RES_CASE, HH_ACT_READ, M1, CIT_A), HH_OK);
	assert_int_equal(dec(&cit_a, HH_RES_CASE, HH_ACT_READ, M1, CIT_B),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(dec(&cit_a, HH_RES_CASE, HH_ACT_CHANGE, M1, CIT_B),
			 HH_ERR_NOT_FOUND);
	/* staff: their organisation's cases, never another's */
	assert_int_equal(dec(&cw_m1, HH_RES_CASE, HH_ACT_READ, M1, CIT_B), HH_OK);
	assert_int_equal(dec(&cw_m1, HH_RES_CASE, HH_ACT_CHANGE, M1, CIT_B), HH_OK);
	assert_int_equal(dec(&cw_m1, HH_RES_CASE, HH_ACT_READ, M2, CIT_B),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(dec(&tok_m2, HH_RES_CASE, HH_ACT_READ, M1, CIT_A),
			 HH_ERR_NOT_FOUND);
	/* a manager reads for the figures but does not work cases */
	assert_int_equal(dec(&mgr_m1, HH_RES_CASE, HH_ACT_READ, M1, CIT_A), HH_OK);
	assert_int_equal(dec(&mgr_m1, HH_RES_CASE, HH_ACT_CHANGE, M1, CIT_A),
			 HH_ERR_FORBIDDEN);
	/* an editor is staff, but not a caseworker */
	assert_int_equal(dec(&ed_m1, HH_RES_CASE, HH_ACT_READ, M1, CIT_A),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(dec(&anon, HH_RES_CASE, HH_ACT_READ, M1, CIT_A),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(dec(&cli, HH_RES_CASE, HH_ACT_CHANGE, M2, CIT_B), HH_OK);
}

static void lists_are_scoped(void **state)
{
	(void)state;
	assert_int_equal(hh_access_scope(&cw_m1, HH_RES_CASE_QUEUE, HH_ACT_READ),
			 HH_SCOPE_OWN_ORG);
	assert_int_equal(hh_access_scope(&cit_a, HH_RES_CASE_QUEUE, HH_ACT_READ),
			 HH_SCOPE_OWN_CITIZEN);
	assert_int_equal(hh_access_scope(&anon, HH_RES_CASE_QUEUE, HH_ACT_READ),
			 HH_SCOPE_NONE);
	assert_int_equal(hh_access_scope(&ed_m1, HH_RES_CASE_QUEUE, HH_ACT_READ),
			 HH_SCOPE_NONE);
	assert_int_equal(hh_access(&anon, HH_RES_CASE_QUEUE, HH_ACT_READ, NULL),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(hh_access_scope(&cli, HH_RES_CASE_QUEUE, HH_ACT_READ),
			 HH_SCOPE_ANY);
	assert_int_equal(hh_access(&cit_a, HH_RES_PLAN, HH_ACT_CREATE, NULL),
			 HH_OK);
	assert_int_equal(hh_access(&cw_m1, HH_RES_PLAN, HH_ACT_CREATE, NULL),
			 HH_ERR_FORBIDDEN);
}

static void articles_by_owner_and_status(void **state)
{
	(void)state;
	/* everybody reads published citizen articles, wherever they are */
	assert_int_equal(dec(&anon, HH_RES_ARTICLE, HH_ACT_READ, M2, 0), HH_OK);
	/* staff articles: staff of any organisation, no citizen */
	assert_int_equal(dec(&cw_m1, HH_RES_ARTICLE_STAFF, HH_ACT_READ, M2, 0),
			 HH_OK);
	assert_int_equal(dec(&cit_a, HH_RES_ARTICLE_STAFF, HH_ACT_READ, 0, 0),
			 HH_ERR_NOT_FOUND);
	/* a municipality's editor: own and shared; an agency's: own only */
	assert_int_equal(dec(&ed_m1, HH_RES_ARTICLE, HH_ACT_CHANGE, M1, 0), HH_OK);
	assert_int_equal(dec(&ed_m1, HH_RES_ARTICLE, HH_ACT_CHANGE, 0, 0), HH_OK);
	assert_int_equal(dec(&ed_m1, HH_RES_ARTICLE, HH_ACT_CHANGE, M2, 0),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(dec(&ed_ag, HH_RES_ARTICLE, HH_ACT_CHANGE, 0, 0),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(dec(&ed_ag, HH_RES_ARTICLE, HH_ACT_CHANGE, AG, 0), HH_OK);
	/* drafts are hidden from everybody who may not change them */
	assert_int_equal(dec(&ed_m1, HH_RES_ARTICLE_DRAFT, HH_ACT_READ, M1, 0),
			 HH_OK);
	assert_int_equal(dec(&ed_m1, HH_RES_ARTICLE_DRAFT, HH_ACT_READ, M2, 0),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(dec(&cw_m1, HH_RES_ARTICLE_DRAFT, HH_ACT_READ, M1, 0),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(dec(&anon, HH_RES_ARTICLE_DRAFT, HH_ACT_READ, 0, 0),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(dec(&ed_m1, HH_RES_ARTICLE_HISTORY, HH_ACT_READ, M2, 0),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_access(&ed_m1, HH_RES_SEARCH_REPORT, HH_ACT_READ,
				   NULL),
			 HH_OK);
	assert_int_equal(hh_access(&cw_m1, HH_RES_SEARCH_REPORT, HH_ACT_READ,
				   NULL),
			 HH_ERR_FORBIDDEN);
}

/* The table's shape: whoever may change or create something may also read
 * it, with at least the same reach; and every resource has a reader. A
 * line added without its reading line would make a change that answers
 * FORBIDDEN where it should answer NOT_FOUND. */
static void every_change_right_can_see_what_it_changes(void **state)
{
	(void)state;
	int n;
	const struct hh_access_rule *t = hh_access_rules(&n);
	assert_true(n > 10);
	static const unsigned roles[] = { HH_ROLE_CITIZEN, HH_ROLE_AGENT,
					  HH_ROLE_CASEWORKER, HH_ROLE_EDITOR,
					  HH_ROLE_MANAGER, HH_ROLE_ADMIN };
	static const enum hh_access_scope reach[] = {
		[HH_SCOPE_NONE] = 0, [HH_SCOPE_OWN_CITIZEN] = 1,
		[HH_SCOPE_OWN_ORG] = 1, [HH_SCOPE_OWN_ORG_SHARED] = 2,
		[HH_SCOPE_ANY] = 3,
	};
	for (int i = 0; i < n; i++) {
		if (t[i].action == HH_ACT_READ)
			continue;
		for (size_t k = 0; k < sizeof(roles) / sizeof(roles[0]); k++) {
			if (!(t[i].roles & roles[k]))
				continue;
			struct hh_actor who = { .label = "x", .org_id = M1,
						.org_is_municipality = 1,
						.roles = roles[k] };
			if (roles[k] == HH_ROLE_CITIZEN) {
				who.org_id = 0;
				who.citizen_id = CIT_A;
			}
			enum hh_access_scope r =
				hh_access_scope(&who, t[i].resource, HH_ACT_READ);
			if (reach[r] < reach[t[i].scope])
				fail_msg("line %d: role %#x may %s a %s but not "
					 "see it", i, roles[k],
					 hh_access_action_name(t[i].action),
					 hh_resource_name(t[i].resource));
		}
	}
	for (int r = 0; r < HH_RES__COUNT; r++) {
		int readers = 0;
		for (int i = 0; i < n; i++)
			readers += t[i].resource == (enum hh_resource)r &&
				   t[i].action == HH_ACT_READ;
		if (!readers)
			fail_msg("nobody reads %s", hh_resource_name(r));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cases_are_seen_by_their_own),
		cmocka_unit_test(lists_are_scoped),
		cmocka_unit_test(articles_by_owner_and_status),
		cmocka_unit_test(every_change_right_can_see_what_it_changes),
	};
	return cmocka_run_group_tests_name("domain/access", tests, NULL, NULL);
}
