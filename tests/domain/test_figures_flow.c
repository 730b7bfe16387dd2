/* test_figures_flow.c - the service figures over events written by the
 * domain's own functions (hh_inquiry_create, hh_inquiry_set_outcome, the
 * desk's transfers): a transfer of a transfer counts twice and leaves
 * first-contact resolution as the first agent logged it, an inquiry
 * without outcome is not in its denominator, a promised callback made
 * late is not kept, and every read includes what was written just
 * before it. */
#include "testutil.h"

#include "domain/org_fixture.h"
#include "domain/desk.h"
#include "domain/figures.h"
#include "domain/inquiries.h"

#define ACTOR(org, role, user)                                              \
	(&(struct hh_actor){ .label = "user:" #user, .org_id = (org),       \
			     .org_is_municipality = 1, .roles = (role),     \
			     .user_id = (user) })
#define AGENT(org, user) ACTOR(org, HH_ROLE_AGENT, user)
#define MANAGER(org) ACTOR(org, HH_ROLE_MANAGER, 3)

struct fx {
	char *dir;
	struct hh_store *st;
	struct hh_arena a;
	int64_t m901;
};

static int setup(void **state)
{
	struct fx *f = hh_xcalloc(1, sizeof(*f));
	OFX_OPEN(f);
	struct hh_tx *tx;
	assert_int_equal(f->st->tx_begin(f->st->cls, 1, &tx), HH_OK);
	f->m901 = ofx_org_in(tx, "901", "Nordskov Kommune", HH_ORG_MUNICIPALITY);
	for (int i = 1; i <= 3; i++) {
		char email[32];
		snprintf(email, sizeof(email), "u%d@test", i);
		/* users 1..3: the ACTOR macros' user ids */
		assert_int_equal(ofx_user_in(tx, f->m901, email,
					     HH_ROLE_AGENT | HH_ROLE_MANAGER),
				 i);
	}
	assert_int_equal(f->st->inquiry_code_put(tx, f->m901, "team", "ydelse",
						 "Ydelser"), HH_OK);
	assert_int_equal(f->st->inquiry_code_put(tx, f->m901, "team", "pension",
						 "Pension"), HH_OK);
	assert_int_equal(f->st->inquiry_code_put(tx, f->m901, "reason", "fagligt",
						 "Kræver faglig vurdering"), HH_OK);
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
	*state = f;
	return 0;
}

OFX_TEARDOWN(fx)

static int64_t create(struct fx *f, struct hh_inquiry_input in)
{
	struct hh_inquiry q;
	int replayed = 0;
	enum hh_inquiry_fault fault;
	assert_int_equal(hh_inquiry_create(f->st, &f->a, AGENT(f->m901, 1), &in, &q,
					   &replayed, &fault, NULL),
			 HH_OK);
	return q.id;
}

static void today(struct fx *f, struct hh_fig_value v[HH_FIG__COUNT])
{
	struct hh_fig_query q = { 0 }; /* the last 30 days, own organisation */
	assert_int_equal(hh_figures_summary(f->st, MANAGER(f->m901), &f->a, &q, v),
			 HH_OK);
}

static enum hh_rc first_transfer(void *ctx, const struct hh_inquiry_transfer *t,
				 const struct hh_inquiry *q)
{
	int64_t *id = ctx;
	(void)q;
	if (!*id)
		*id = t->id;
	return HH_OK;
}

struct seen {
	int n, counted;
	int64_t counted_id;
	double counted_value;
};

static enum hh_rc seen_item(void *ctx, const struct hh_fig_item *it)
{
	struct seen *s = ctx;
	s->n++;
	if (it->counted) {
		s->counted++;
		s->counted_id = it->id;
		s->counted_value = it->value;
	}
	return HH_OK;
}

static void test_transfer_of_transfer(void **state)
{
	struct fx *f = *state;
	struct hh_fig_value v[HH_FIG__COUNT];
	/* resolved at once */
	create(f, (struct hh_inquiry_input){ .channel = "phone",
					     .outcome = "resolved_first_contact" });
	today(f, v);
	assert_int_equal(v[HH_FIG_INQUIRIES].num, 1);
	assert_int_equal(v[HH_FIG_FCR].num, 1);
	assert_int_equal(v[HH_FIG_FCR].den, 1);
	/* transferred to a team, which transfers it on */
	int64_t id = create(f, (struct hh_inquiry_input){
				       .channel = "phone", .outcome = "transferred",
				       .transfer_team = "ydelse",
				       .transfer_reason = "fagligt" });
	int64_t tid = 0;
	assert_int_equal(hh_desk_transfer_queue(f->st, &f->a, AGENT(f->m901, 2), NULL,
						first_transfer, &tid),
			 HH_OK);
	assert_true(tid > 0);
	struct hh_inquiry_transfer t;
	enum hh_desk_fault fault;
	struct hh_desk_close on = { .result = "transferred", .to_team = "pension",
				    .reason = "fagligt" };
	assert_int_equal(hh_desk_transfer_close(f->st, &f->a, AGENT(f->m901, 2), tid,
						&on, &t, &fault, NULL),
			 HH_OK);
	/* an open one: no outcome, not in FCR */
	create(f, (struct hh_inquiry_input){ .channel = "counter" });
	today(f, v);
	assert_int_equal(v[HH_FIG_INQUIRIES].num, 3);
	/* FCR as the first agents logged it: 1 resolved of 2 ended */
	assert_int_equal(v[HH_FIG_FCR].num, 1);
	assert_int_equal(v[HH_FIG_FCR].den, 2);
	/* 2 transfers (the first and the onward one) per 3 inquiries */
	assert_int_equal(v[HH_FIG_TRANSFERS].num, 2);
	assert_int_equal(v[HH_FIG_TRANSFERS].den, 3);
	/* the drill-down lists the transferred one with its 2 */
	struct hh_fig_query q = { 0 };
	struct seen seen = { 0 };
	assert_int_equal(hh_figures_drill(f->st, MANAGER(f->m901), &f->a, &q,
					  HH_FIG_TRANSFERS, 0, 10, seen_item, &seen),
			 HH_OK);
	assert_int_equal(seen.n, 3);
	assert_int_equal(seen.counted, 1);
	assert_int_equal(seen.counted_id, id);
	assert_true(seen.counted_value == 2);
	/* rebuilt from the same events: the same */
	assert_int_equal(hh_figures_rebuild(f->st), HH_OK);
	today(f, v);
	assert_int_equal(v[HH_FIG_TRANSFERS].num, 2);
	assert_int_equal(v[HH_FIG_FCR].num, 1);
	assert_int_equal(v[HH_FIG_FCR].den, 2);
}

static void test_callback_late(void **state)
{
	struct fx *f = *state;
	struct hh_fig_value v[HH_FIG__COUNT];
	/* promised for a second from now; the callback is made (it ends in
	 * a transfer) after it was due */
	int64_t now = hh_now_us() / 1000000;
	int64_t id = create(f, (struct hh_inquiry_input){
				       .channel = "phone",
				       .outcome = "callback_promised",
				       .callback_due_at = now + 1 });
	today(f, v);
	assert_int_equal(v[HH_FIG_CALLBACKS_KEPT].den, 1);
	assert_int_equal(v[HH_FIG_CALLBACKS_KEPT].num, 0);
	sleep(2);
	struct hh_inquiry q;
	enum hh_inquiry_fault fault;
	struct hh_inquiry_input in = { .outcome = "transferred",
				       .transfer_team = "ydelse",
				       .transfer_reason = "fagligt" };
	assert_int_equal(hh_inquiry_set_outcome(f->st, &f->a, AGENT(f->m901, 1), id, 1,
						&in, &q, &fault, NULL),
			 HH_OK);
	today(f, v);
	/* made late: promised 1, kept 0; its first outcome was the promise */
	assert_int_equal(v[HH_FIG_CALLBACKS_KEPT].den, 1);
	assert_int_equal(v[HH_FIG_CALLBACKS_KEPT].num, 0);
	assert_int_equal(v[HH_FIG_FCR].num, 0);
	assert_int_equal(v[HH_FIG_FCR].den, 1);
	assert_int_equal(v[HH_FIG_TRANSFERS].num, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_transfer_of_transfer, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_callback_late, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
