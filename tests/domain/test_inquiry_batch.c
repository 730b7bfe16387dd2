/* test_inquiry_batch.c - inquiries logged inside a caller's transaction
 * (hh_inquiry_create_in, hh_inquiry_set_outcome_in: the same checks and
 * events, and nothing left when the caller rolls back), and ended_at for a
 * contact logged after it ended. */
#include "testutil.h"

#include "domain/inquiries.h"
#include "domain/org_fixture.h"

#define AGENT(org)                                                          \
	(&(struct hh_actor){ .label = "user:1", .org_id = (org),            \
			     .org_is_municipality = 1, .roles = HH_ROLE_AGENT, \
			     .user_id = 1 })

struct fx {
	char *dir;
	struct hh_store *st;
	struct hh_arena a;
	int64_t org;
};

static int setup(void **state)
{
	struct fx *f = hh_xcalloc(1, sizeof(*f));
	OFX_OPEN(f);
	struct hh_tx *tx;
	assert_int_equal(f->st->tx_begin(f->st->cls, 1, &tx), HH_OK);
	f->org = ofx_org_in(tx, "901", "Nordskov Kommune", HH_ORG_MUNICIPALITY);
	assert_int_equal(ofx_user_in(tx, f->org, "agent@901", HH_ROLE_AGENT), 1);
	assert_int_equal(f->st->inquiry_code_put(tx, f->org, "team", "ydelser",
						 "Ydelser"), HH_OK);
	assert_int_equal(f->st->inquiry_code_put(tx, f->org, "reason", "klage",
						 "Borgeren vil klage"), HH_OK);
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
	*state = f;
	return 0;
}

OFX_TEARDOWN(fx)

static enum hh_rc ignore_row(void *ctx, const struct hh_inquiry *q)
{
	(void)ctx;
	(void)q;
	return HH_OK;
}

static int64_t n_inquiries(struct fx *f)
{
	int64_t total = -1;
	struct hh_tx *tx = tu_read_begin(f->st);
	struct hh_inquiry_filter flt = { .org_id = f->org };
	assert_int_equal(f->st->inquiry_list(tx, &f->a, &flt, 0, 1, &total, ignore_row,
					     NULL),
			 HH_OK);
	tu_read_end(tx);
	return total;
}

static void ended_at_for_a_contact_logged_afterwards(void **state)
{
	struct fx *f = *state;
	int64_t now = hh_now_us() / 1000000;
	struct hh_inquiry_input in = { .channel = "phone",
				       .outcome = "resolved_first_contact",
				       .started_at = now - 3600,
				       .ended_at = now - 3000 };
	struct hh_inquiry q;
	int replayed;
	enum hh_inquiry_fault fault;
	const char *field;
	assert_int_equal(hh_inquiry_create(f->st, &f->a, AGENT(f->org), &in, &q,
					   &replayed, &fault, &field),
			 HH_OK);
	assert_int_equal(q.started_at, now - 3600);
	assert_int_equal(q.ended_at, now - 3000);
	/* without it, a closing outcome ends the contact now */
	in.ended_at = 0;
	assert_int_equal(hh_inquiry_create(f->st, &f->a, AGENT(f->org), &in, &q,
					   &replayed, &fault, &field),
			 HH_OK);
	assert_true(q.ended_at >= now);
	int64_t before = tu_event_count(f->st), n = n_inquiries(f);
	/* refused: an open contact has not ended; not before it started;
	 * not in the future */
	const struct {
		const char *outcome;
		int64_t ended_at;
	} bad[] = { { "open", now - 3000 },
		    { "resolved_first_contact", now - 3601 },
		    { "resolved_first_contact", now + 3600 } };
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		in.outcome = bad[i].outcome;
		in.ended_at = bad[i].ended_at;
		fault = HH_INQ_FINE;
		field = NULL;
		assert_int_equal(hh_inquiry_create(f->st, &f->a, AGENT(f->org), &in,
						   &q, &replayed, &fault, &field),
				 HH_ERR_INVALID);
		assert_int_equal(fault, HH_INQ_DETAIL);
		assert_string_equal(field, "ended_at");
	}
	assert_int_equal(tu_event_count(f->st), before);
	assert_int_equal(n_inquiries(f), n);
}

struct batch {
	struct fx *f;
	int64_t first_id;
	int fail_after; /* return IO after this many inquiries; 0 never */
};

static enum hh_rc batch_tx(struct hh_tx *tx, void *p)
{
	struct batch *b = p;
	struct fx *f = b->f;
	int64_t now = hh_now_us() / 1000000;
	for (int i = 0; i < 3; i++) {
		if (b->fail_after && i == b->fail_after)
			return HH_ERR_IO;
		struct hh_inquiry_input in = { .channel = "counter",
					       .outcome = "callback_promised",
					       .started_at = now - 600,
					       .callback_due_at = now + 3600 };
		struct hh_inquiry q;
		int replayed;
		enum hh_rc rc = hh_inquiry_create_in(tx, &f->a, AGENT(f->org), &in, &q,
						     &replayed, NULL, NULL);
		if (rc != HH_OK)
			return rc;
		if (!i)
			b->first_id = q.id;
		/* the callback made at once: its result, same transaction */
		struct hh_inquiry_input then = { .outcome = "transferred",
						 .transfer_team = "ydelser",
						 .transfer_reason = "klage" };
		rc = hh_inquiry_set_outcome_in(tx, &f->a, AGENT(f->org), q.id,
					       q.version, &then, &q, NULL, NULL);
		if (rc != HH_OK)
			return rc;
		if (q.version != 2 || strcmp(q.outcome, "transferred"))
			return HH_ERR_INTERNAL;
	}
	return HH_OK;
}

static void a_batch_writes_every_event_or_nothing(void **state)
{
	struct fx *f = *state;
	int64_t before = tu_event_count(f->st);
	/* rolled back after two: nothing of them stays */
	struct batch b = { .f = f, .fail_after = 2 };
	assert_int_equal(hh_store_run_tx(f->st, 1, batch_tx, &b), HH_ERR_IO);
	assert_int_equal(n_inquiries(f), 0);
	assert_int_equal(tu_event_count(f->st), before);
	/* committed: three inquiries, a create and an outcome event each */
	b.fail_after = 0;
	assert_int_equal(hh_store_run_tx(f->st, 1, batch_tx, &b), HH_OK);
	assert_int_equal(n_inquiries(f), 3);
	assert_int_equal(tu_event_count(f->st), before + 6);
	struct hh_event *ev;
	assert_int_equal(tu_events(f->st, &f->a, "inquiry", b.first_id, &ev), 2);
	assert_string_equal(ev[0].action, "create");
	assert_string_equal(ev[1].action, "outcome");
	assert_string_equal(ev[1].actor, "user:1");
	/* the same rules inside: a move the rule refuses is refused */
	struct hh_tx *tx;
	assert_int_equal(f->st->tx_begin(f->st->cls, 1, &tx), HH_OK);
	struct hh_inquiry q;
	enum hh_inquiry_fault fault = HH_INQ_FINE;
	struct hh_inquiry_input back = { .outcome = "open" };
	assert_int_equal(hh_inquiry_set_outcome_in(tx, &f->a, AGENT(f->org),
						   b.first_id, 2, &back, &q, &fault,
						   NULL),
			 HH_ERR_CONFLICT);
	assert_int_equal(fault, HH_INQ_TRANSITION);
	f->st->tx_rollback(tx);
	/* and a caller who may not log inquiries is refused */
	struct hh_actor editor = { .label = "user:9", .org_id = f->org,
				   .org_is_municipality = 1,
				   .roles = HH_ROLE_EDITOR, .user_id = 9 };
	assert_int_equal(f->st->tx_begin(f->st->cls, 1, &tx), HH_OK);
	struct hh_inquiry_input in = { .channel = "phone" };
	int replayed;
	assert_int_equal(hh_inquiry_create_in(tx, &f->a, &editor, &in, &q, &replayed,
					      NULL, NULL),
			 HH_ERR_FORBIDDEN);
	f->st->tx_rollback(tx);
	assert_int_equal(n_inquiries(f), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(ended_at_for_a_contact_logged_afterwards,
						setup, teardown),
		cmocka_unit_test_setup_teardown(a_batch_writes_every_event_or_nothing,
						setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
