/* test_inquiries.c - inquiries in the domain: create with an
 * Idempotency-Key (replay, reuse with another request), the outcome and
 * its rule, stale versions, access (another organisation's agent, the
 * citizen's own), and that every change writes an event and nothing on a
 * refusal. */
#include "testutil.h"

#include "domain/access.h"
#include "domain/inquiries.h"

#define AGENT(org, user)                                                    \
	(&(struct hh_actor){ .label = "user:" #user, .org_id = (org),       \
			     .org_is_municipality = 1, .roles = HH_ROLE_AGENT, \
			     .user_id = (user) })
#define ROLE(org, role)                                                     \
	(&(struct hh_actor){ .label = "user:10", .org_id = (org),           \
			     .org_is_municipality = 1, .roles = (role),        \
			     .user_id = 10 })
#define CITIZEN(id)                                                         \
	(&(struct hh_actor){ .label = "citizen", .roles = HH_ROLE_CITIZEN,  \
			     .citizen_id = (id) })

struct fx {
	char *dir;
	struct hh_store *st;
	struct hh_arena a;
	int64_t m901, m902, udk, anna, bo, case_anna;
};

static int64_t put_org(struct hh_store *st, const char *code, enum hh_org_kind k)
{
	struct hh_tx *tx;
	assert_int_equal(st->tx_begin(st->cls, 1, &tx), HH_OK);
	struct hh_org o = { .code = code, .name = code, .kind = k };
	assert_int_equal(st->org_put(tx, &o), HH_OK);
	assert_int_equal(st->tx_commit(tx), HH_OK);
	return o.id;
}

static int64_t put_citizen(struct hh_store *st, const char *subject, int64_t m)
{
	struct hh_tx *tx;
	assert_int_equal(st->tx_begin(st->cls, 1, &tx), HH_OK);
	struct hh_citizen c = { .subject = subject, .name = subject,
				.municipality_id = m };
	assert_int_equal(st->citizen_put(tx, &c), HH_OK);
	assert_int_equal(st->tx_commit(tx), HH_OK);
	return c.id;
}

static int setup(void **state)
{
	struct fx *f = hh_xcalloc(1, sizeof(*f));
	f->dir = tu_tmpdir();
	f->st = tu_store(f->dir, 2);
	hh_arena_init(&f->a);
	f->m901 = put_org(f->st, "901", HH_ORG_MUNICIPALITY);
	f->m902 = put_org(f->st, "902", HH_ORG_MUNICIPALITY);
	f->udk = put_org(f->st, "udk", HH_ORG_AGENCY);
	f->anna = put_citizen(f->st, "anna", f->m901);
	f->bo = put_citizen(f->st, "bo", f->m902);
	struct hh_tx *tx;
	assert_int_equal(f->st->tx_begin(f->st->cls, 1, &tx), HH_OK);
	/* users 1 to 10 (the actors' "user:N" are agents in the store) */
	for (int i = 1; i <= 10; i++) {
		char email[32];
		snprintf(email, sizeof(email), "u%d@test", i);
		struct hh_user u = { .org_id = f->m901, .email = email,
				     .name = email, .password_hash = "x",
				     .roles = HH_ROLE_AGENT };
		assert_int_equal(f->st->user_insert(tx, &u), HH_OK);
		assert_int_equal(u.id, i);
	}
	/* content data: 901's teams and reasons, udk's teams */
	assert_int_equal(f->st->inquiry_code_put(tx, f->m901, "team", "ydelse",
						 "Ydelser"), HH_OK);
	assert_int_equal(f->st->inquiry_code_put(tx, f->m901, "reason",
						 "anden-myndighed",
						 "Hører under en anden myndighed"),
			 HH_OK);
	assert_int_equal(f->st->inquiry_code_put(tx, f->udk, "team", "boligstoette",
						 "Boligstøtte"), HH_OK);
	struct hh_case_type ct = { .code = "pas", .organisation = "901",
				   .name = "Pas", .definition = "{}" };
	assert_int_equal(f->st->case_type_put(tx, &ct), HH_OK);
	struct hh_case k = { .case_type_id = ct.id, .org_id = f->m901,
			     .citizen_id = f->anna, .state = "received",
			     .deadline_at = 1 };
	assert_int_equal(f->st->case_insert(tx, &k), HH_OK);
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
	f->case_anna = k.id;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	hh_store_close(f->st);
	hh_arena_clear(&f->a);
	tu_rmdir(f->dir);
	free(f);
	return 0;
}

static size_t events(struct fx *f, int64_t id, struct hh_event **out)
{
	return tu_events(f->st, &f->a, "inquiry", id, out);
}

static int64_t create(struct fx *f, const struct hh_actor *who,
		      struct hh_inquiry_input in)
{
	struct hh_inquiry q;
	int replayed = -1;
	enum hh_inquiry_fault fault;
	const char *field;
	assert_int_equal(hh_inquiry_create(f->st, &f->a, who, &in, &q, &replayed,
					   &fault, &field),
			 HH_OK);
	assert_int_equal(replayed, 0);
	return q.id;
}

static void t_create_and_event(void **state)
{
	struct fx *f = *state;
	struct hh_inquiry q;
	int replayed;
	enum hh_inquiry_fault fault;
	const char *field;
	struct hh_inquiry_input in = { .channel = "phone", .citizen_id = f->anna,
				       .kle = "05.01", .note = "Flytning" };
	assert_int_equal(hh_inquiry_create(f->st, &f->a, AGENT(f->m901, 7), &in, &q,
					   &replayed, &fault, &field),
			 HH_OK);
	assert_true(q.id > 0);
	assert_int_equal(q.org_id, f->m901);
	assert_int_equal(q.agent_id, 7);
	assert_string_equal(q.outcome, "open");
	assert_int_equal(q.ended_at, 0);
	assert_int_equal(q.version, 1);
	struct hh_event *ev;
	assert_int_equal(events(f, q.id, &ev), 1);
	assert_string_equal(ev[0].action, "create");
	assert_string_equal(ev[0].actor, "user:7");
	assert_int_equal(ev[0].org_id, f->m901);
	tu_expect_in(ev[0].after, "\"outcome\":\"open\"");
	tu_expect_in(ev[0].after, "\"channel\":\"phone\"");

	/* logged in one go: nothing but the outcome */
	struct hh_inquiry_input done = { .channel = "counter",
					 .outcome = "resolved_first_contact" };
	assert_int_equal(hh_inquiry_create(f->st, &f->a, AGENT(f->m901, 7), &done,
					   &q, &replayed, &fault, &field),
			 HH_OK);
	assert_string_equal(q.outcome, "resolved_first_contact");
	assert_true(q.ended_at >= q.started_at && q.ended_at > 0);
	assert_int_equal(q.citizen_id, 0);
}

static void t_create_refusals_write_nothing(void **state)
{
	struct fx *f = *state;
	struct hh_inquiry q;
	int replayed;
	enum hh_inquiry_fault fault;
	const char *field;
	int64_t before = tu_event_count(f->st);
	struct {
		struct hh_inquiry_input in;
		enum hh_inquiry_fault fault;
		const char *field;
	} bad[] = {
		{ { .channel = "fax" }, HH_INQ_CHANNEL, "channel" },
		{ { .channel = NULL }, HH_INQ_CHANNEL, "channel" },
		{ { .channel = "phone", .outcome = "lost" }, HH_INQ_OUTCOME, "outcome" },
		{ { .channel = "phone", .kle = "5.1" }, HH_INQ_DETAIL, "kle" },
		/* bo lives in 902: not 901's citizen */
		{ { .channel = "phone", .citizen_id = f->bo }, HH_INQ_CITIZEN,
		  "citizen_id" },
		{ { .channel = "phone", .citizen_id = 99999 }, HH_INQ_CITIZEN,
		  "citizen_id" },
		{ { .channel = "phone", .article_id = 99999 }, HH_INQ_ARTICLE,
		  "article_id" },
		{ { .channel = "phone", .outcome = "transferred",
		    .transfer_team = "ydelse" }, HH_INQ_DETAIL, "transfer_reason" },
		{ { .channel = "phone", .outcome = "transferred",
		    .transfer_reason = "forkert-myndighed" }, HH_INQ_DETAIL,
		  "transfer_team" },
		{ { .channel = "phone", .outcome = "transferred",
		    .transfer_org = "nope", .transfer_reason = "x" }, HH_INQ_ORG,
		  "transfer_org" },
		{ { .channel = "phone", .outcome = "transferred",
		    .transfer_org = "901", .transfer_reason = "x" }, HH_INQ_ORG,
		  "transfer_org" },
		{ { .channel = "phone", .outcome = "transferred",
		    .transfer_team = "Ydelse Team", .transfer_reason = "x" },
		  HH_INQ_DETAIL, "transfer_team" },
		/* teams and reasons are content data */
		{ { .channel = "phone", .outcome = "transferred",
		    .transfer_team = "ukendt", .transfer_reason = "anden-myndighed" },
		  HH_INQ_DETAIL, "transfer_team" },
		{ { .channel = "phone", .outcome = "transferred",
		    .transfer_team = "ydelse", .transfer_reason = "ukendt" },
		  HH_INQ_DETAIL, "transfer_reason" },
		/* a team of the receiving organisation, not the own one's */
		{ { .channel = "phone", .outcome = "transferred", .transfer_org = "udk",
		    .transfer_team = "ydelse", .transfer_reason = "anden-myndighed" },
		  HH_INQ_DETAIL, "transfer_team" },
		{ { .channel = "phone", .outcome = "case_created" }, HH_INQ_DETAIL,
		  "case_id" },
		{ { .channel = "phone", .outcome = "case_created", .case_id = 99999 },
		  HH_INQ_CASE, "case_id" },
		/* anna's case for bo's inquiry (at an agency, which serves both) */
		{ { .channel = "phone", .outcome = "callback_promised" },
		  HH_INQ_DETAIL, "callback_due_at" },
		{ { .channel = "phone", .outcome = "resolved_first_contact",
		    .case_id = 1 }, HH_INQ_DETAIL, "case_id" },
		{ { .channel = "phone", .callback_due_at = 5 }, HH_INQ_DETAIL,
		  "callback_due_at" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fault = HH_INQ_FINE;
		field = NULL;
		enum hh_rc rc = hh_inquiry_create(f->st, &f->a, AGENT(f->m901, 7),
						  &bad[i].in, &q, &replayed, &fault,
						  &field);
		if (rc != HH_ERR_INVALID || fault != bad[i].fault ||
		    !field || strcmp(field, bad[i].field))
			fail_msg("case %zu: rc %d fault %d field %s", i, rc, fault,
				 field ? field : "(null)");
	}
	/* a case of another citizen than the inquiry's */
	struct hh_actor *ag = &(struct hh_actor){ .label = "user:8", .org_id = f->udk,
						  .roles = HH_ROLE_AGENT,
						  .user_id = 8 };
	struct hh_inquiry_input other = { .channel = "phone", .citizen_id = f->bo,
					  .outcome = "case_created",
					  .case_id = f->case_anna };
	assert_int_equal(hh_inquiry_create(f->st, &f->a, ag, &other, &q, &replayed,
					   &fault, &field),
			 HH_ERR_INVALID);
	assert_int_equal(fault, HH_INQ_CASE);
	assert_int_equal(tu_event_count(f->st), before);
	/* an agency's desk serves citizens of every municipality */
	other.case_id = 0;
	other.outcome = NULL;
	create(f, ag, other);
	assert_int_equal(tu_event_count(f->st), before + 1);
}

static void t_idempotency(void **state)
{
	struct fx *f = *state;
	struct hh_inquiry q, again;
	int replayed;
	enum hh_inquiry_fault fault;
	const char *field;
	struct hh_inquiry_input in = { .channel = "chat", .idem_key = "abc-1",
				       .outcome = "callback_promised",
				       .callback_due_at = hh_now_us() / 1000000 + 3600 };
	assert_int_equal(hh_inquiry_create(f->st, &f->a, AGENT(f->m901, 7), &in, &q,
					   &replayed, &fault, &field),
			 HH_OK);
	assert_int_equal(replayed, 0);
	int64_t n = tu_event_count(f->st);
	/* the same request again: the same inquiry, nothing new */
	assert_int_equal(hh_inquiry_create(f->st, &f->a, AGENT(f->m901, 7), &in,
					   &again, &replayed, &fault, &field),
			 HH_OK);
	assert_int_equal(replayed, 1);
	assert_int_equal(again.id, q.id);
	assert_int_equal(tu_event_count(f->st), n);
	/* the key with another request: refused, not replayed */
	struct hh_inquiry_input other = in;
	other.channel = "phone";
	assert_int_equal(hh_inquiry_create(f->st, &f->a, AGENT(f->m901, 7), &other,
					   &again, &replayed, &fault, &field),
			 HH_ERR_CONFLICT);
	assert_int_equal(fault, HH_INQ_KEY_REUSED);
	assert_int_equal(replayed, 0);
	assert_int_equal(tu_event_count(f->st), n);
	/* keys are the caller's own: another agent's same key is new */
	assert_int_equal(hh_inquiry_create(f->st, &f->a, AGENT(f->m901, 8), &in,
					   &again, &replayed, &fault, &field),
			 HH_OK);
	assert_int_equal(replayed, 0);
	assert_true(again.id != q.id);
}

static void t_outcome_rule_and_versions(void **state)
{
	struct fx *f = *state;
	struct hh_inquiry q;
	enum hh_inquiry_fault fault;
	const char *field;
	int64_t id = create(f, AGENT(f->m901, 7),
			    (struct hh_inquiry_input){ .channel = "phone",
						       .citizen_id = f->anna });
	struct hh_inquiry_input cb = { .outcome = "callback_promised",
				       .callback_due_at = hh_now_us() / 1000000 + 600 };
	assert_int_equal(hh_inquiry_set_outcome(f->st, &f->a, AGENT(f->m901, 7), id,
						1, &cb, &q, &fault, &field),
			 HH_OK);
	assert_int_equal(q.version, 2);
	assert_string_equal(q.outcome, "callback_promised");
	assert_true(q.ended_at > 0);
	/* stale: someone else moved it first */
	struct hh_inquiry_input done = { .outcome = "case_created",
					 .case_id = f->case_anna };
	int64_t n = tu_event_count(f->st);
	assert_int_equal(hh_inquiry_set_outcome(f->st, &f->a, AGENT(f->m901, 7), id,
						1, &done, &q, &fault, &field),
			 HH_ERR_CONFLICT);
	assert_int_equal(fault, HH_INQ_FINE);
	assert_int_equal(tu_event_count(f->st), n);
	/* the callback's result */
	assert_int_equal(hh_inquiry_set_outcome(f->st, &f->a, AGENT(f->m901, 7), id,
						2, &done, &q, &fault, &field),
			 HH_OK);
	assert_int_equal(q.version, 3);
	assert_int_equal(q.case_id, f->case_anna);
	assert_int_equal(q.callback_due_at, 0);
	/* closed for good: neither reopened nor moved on */
	static const char *const tos[] = { "open", "resolved_first_contact",
					   "transferred", "callback_promised" };
	for (size_t i = 0; i < 4; i++) {
		struct hh_inquiry_input to = { .outcome = tos[i] };
		assert_int_equal(hh_inquiry_set_outcome(f->st, &f->a,
							AGENT(f->m901, 7), id, 3,
							&to, &q, &fault, &field),
				 HH_ERR_CONFLICT);
		assert_int_equal(fault, HH_INQ_TRANSITION);
	}
	assert_int_equal(tu_event_count(f->st), n + 1);
	struct hh_event *ev;
	assert_int_equal(events(f, id, &ev), 3);
	assert_string_equal(ev[1].action, "outcome");
	tu_expect_in(ev[1].before, "\"outcome\":\"open\"");
	tu_expect_in(ev[1].after, "\"outcome\":\"callback_promised\"");
	tu_expect_in(ev[2].before, "\"outcome\":\"callback_promised\"");
	tu_expect_in(ev[2].after, "\"outcome\":\"case_created\"");

	/* the rule itself */
	assert_true(hh_inquiry_transition_ok("open", "transferred"));
	assert_false(hh_inquiry_transition_ok("open", "open"));
	assert_false(hh_inquiry_transition_ok("transferred", "open"));
	assert_false(hh_inquiry_transition_ok("resolved_first_contact",
					      "case_created"));
	assert_true(hh_inquiry_transition_ok("callback_promised", "transferred"));
	assert_false(hh_inquiry_transition_ok("callback_promised",
					      "resolved_first_contact"));
	/* a transfer to an agency with a reason */
	int64_t t = create(f, AGENT(f->m901, 7),
			   (struct hh_inquiry_input){ .channel = "counter" });
	struct hh_inquiry_input tr = { .outcome = "transferred",
				       .transfer_org = "udk",
				       .transfer_reason = "anden-myndighed" };
	assert_int_equal(hh_inquiry_set_outcome(f->st, &f->a, AGENT(f->m901, 7), t,
						1, &tr, &q, &fault, &field),
			 HH_OK);
	assert_int_equal(q.transfer_org_id, f->udk);
	assert_string_equal(q.transfer_reason, "anden-myndighed");
	/* to a team of the own organisation, and to one of the agency's */
	struct hh_inquiry_input teams[] = {
		{ .outcome = "transferred", .transfer_team = "ydelse",
		  .transfer_reason = "anden-myndighed" },
		{ .outcome = "transferred", .transfer_org = "udk",
		  .transfer_team = "boligstoette", .transfer_reason = "anden-myndighed" },
	};
	for (int i = 0; i < 2; i++) {
		t = create(f, AGENT(f->m901, 7),
			   (struct hh_inquiry_input){ .channel = "counter" });
		assert_int_equal(hh_inquiry_set_outcome(f->st, &f->a, AGENT(f->m901, 7),
							t, 1, &teams[i], &q, &fault,
							&field),
				 HH_OK);
		assert_string_equal(q.transfer_team, teams[i].transfer_team);
	}
}

static enum hh_rc count_row(void *p, const struct hh_inquiry *q)
{
	(*(int *)p)++;
	return HH_OK;
}

static void t_access(void **state)
{
	struct fx *f = *state;
	struct hh_inquiry q;
	enum hh_inquiry_fault fault;
	const char *field;
	int replayed;
	int64_t mine = create(f, AGENT(f->m901, 7),
			      (struct hh_inquiry_input){ .channel = "phone",
							 .citizen_id = f->anna });
	int64_t anon = create(f, AGENT(f->m901, 7),
			      (struct hh_inquiry_input){ .channel = "phone" });
	/* the organisation's agent and caseworker read it, the read of a
	 * citizen's inquiry is audited */
	struct hh_audit *au;
	size_t n_audit = tu_audits(f->st, &f->a, &au);
	assert_int_equal(hh_inquiry_get(f->st, &f->a, AGENT(f->m901, 8), mine, &q),
			 HH_OK);
	assert_int_equal(hh_inquiry_get(f->st, &f->a,
					ROLE(f->m901, HH_ROLE_CASEWORKER), mine, &q),
			 HH_OK);
	assert_int_equal(tu_audits(f->st, &f->a, &au), n_audit + 2);
	/* another organisation's agent: it does not exist */
	assert_int_equal(hh_inquiry_get(f->st, &f->a, AGENT(f->m902, 9), mine, &q),
			 HH_ERR_NOT_FOUND);
	struct hh_inquiry_input to = { .outcome = "resolved_first_contact" };
	assert_int_equal(hh_inquiry_set_outcome(f->st, &f->a, AGENT(f->m902, 9),
						mine, 1, &to, &q, &fault, &field),
			 HH_ERR_NOT_FOUND);
	/* an editor of the organisation has no inquiries */
	assert_int_equal(hh_inquiry_get(f->st, &f->a, ROLE(f->m901, HH_ROLE_EDITOR),
					mine, &q),
			 HH_ERR_NOT_FOUND);
	struct hh_inquiry_input in = { .channel = "phone" };
	assert_int_equal(hh_inquiry_create(f->st, &f->a,
					   ROLE(f->m901, HH_ROLE_EDITOR), &in, &q,
					   &replayed, &fault, &field),
			 HH_ERR_FORBIDDEN);
	/* a manager reads, but does not change */
	assert_int_equal(hh_inquiry_get(f->st, &f->a, ROLE(f->m901, HH_ROLE_MANAGER),
					mine, &q),
			 HH_OK);
	assert_int_equal(hh_inquiry_set_outcome(f->st, &f->a,
						ROLE(f->m901, HH_ROLE_MANAGER), mine,
						1, &to, &q, &fault, &field),
			 HH_ERR_FORBIDDEN);
	/* the citizen reads their own only, and creates and changes none */
	assert_int_equal(hh_inquiry_get(f->st, &f->a, CITIZEN(f->anna), mine, &q),
			 HH_OK);
	assert_int_equal(hh_inquiry_get(f->st, &f->a, CITIZEN(f->bo), mine, &q),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_inquiry_get(f->st, &f->a, CITIZEN(f->anna), anon, &q),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_inquiry_set_outcome(f->st, &f->a, CITIZEN(f->anna), mine,
						1, &to, &q, &fault, &field),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(hh_inquiry_create(f->st, &f->a, CITIZEN(f->anna), &in, &q,
					   &replayed, &fault, &field),
			 HH_ERR_FORBIDDEN);
	/* anonymous callers see nothing */
	struct hh_actor nobody = { 0 };
	assert_int_equal(hh_inquiry_get(f->st, &f->a, &nobody, mine, &q),
			 HH_ERR_NOT_FOUND);

	/* lists */
	create(f, AGENT(f->m902, 9), (struct hh_inquiry_input){ .channel = "web" });
	int n = 0;
	int64_t total;
	assert_int_equal(hh_inquiry_list(f->st, &f->a, AGENT(f->m901, 7), 1, 0, 0,
					 0, &total, count_row, &n),
			 HH_OK);
	assert_int_equal(n, 2);
	assert_int_equal(total, 2);
	n = 0;
	assert_int_equal(hh_inquiry_list(f->st, &f->a, AGENT(f->m902, 9), 0, 0, 0,
					 0, &total, count_row, &n),
			 HH_OK);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(hh_inquiry_list(f->st, &f->a, AGENT(f->m901, 7), 0, f->anna,
					 0, 0, &total, count_row, &n),
			 HH_OK);
	assert_int_equal(n, 1);
	/* a citizen's list is their own, whatever they ask for */
	n = 0;
	assert_int_equal(hh_inquiry_list(f->st, &f->a, CITIZEN(f->bo), 0, f->anna,
					 0, 0, &total, count_row, &n),
			 HH_OK);
	assert_int_equal(n, 0);
	n = 0;
	assert_int_equal(hh_inquiry_list(f->st, &f->a, CITIZEN(f->anna), 0, 0, 0, 0,
					 &total, count_row, &n),
			 HH_OK);
	assert_int_equal(n, 1);
	assert_int_equal(hh_inquiry_list(f->st, &f->a,
					 ROLE(f->m901, HH_ROLE_EDITOR), 0, 0, 0, 0,
					 &total, count_row, &n),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(hh_inquiry_list(f->st, &f->a, &nobody, 0, 0, 0, 0, &total,
					 count_row, &n),
			 HH_ERR_FORBIDDEN);
}

/* content/teams.json: imported, checked, and refused whole when bad */
static void t_codes_import(void **state)
{
	struct fx *f = *state;
	char *dir = tu_tmpdir();
	char path[4200];
	snprintf(path, sizeof(path), "%s/teams.json", dir);
	int n = -1;
	/* no file: nothing to do */
	assert_int_equal(hh_inquiry_codes_import(f->st, dir, stderr, &n), HH_OK);
	assert_int_equal(n, 0);
	tu_write(path, "{\"902\":{\"teams\":[{\"code\":\"jobcenter\","
		       "\"name\":\"Jobcenter\"}],\"transfer_reasons\":"
		       "[{\"code\":\"klage\",\"label\":\"Vil klage\"}]}}");
	assert_int_equal(hh_inquiry_codes_import(f->st, dir, stderr, &n), HH_OK);
	assert_int_equal(n, 2);
	struct hh_tx *tx = tu_read_begin(f->st);
	const char *label;
	assert_int_equal(f->st->inquiry_code_get(tx, &f->a, f->m902, "team",
						 "jobcenter", &label),
			 HH_OK);
	assert_string_equal(label, "Jobcenter");
	assert_int_equal(f->st->inquiry_code_get(tx, &f->a, f->m902, "reason",
						 "klage", &label),
			 HH_OK);
	assert_int_equal(f->st->inquiry_code_get(tx, &f->a, f->m901, "reason",
						 "klage", &label),
			 HH_ERR_NOT_FOUND);
	tu_read_end(tx);
	static const char *const bad[] = {
		"[]",
		"{\"902\":{\"teams\":[{\"code\":\"Job Center\",\"name\":\"J\"}]}}",
		"{\"902\":{\"hold\":[]}}",
		"{\"902\":{\"transfer_reasons\":[{\"code\":\"a\"}]}}",
		/* an unknown organisation: nothing of the file, not even 902's */
		"{\"902\":{\"teams\":[{\"code\":\"ny\",\"name\":\"Ny\"}]},"
		" \"999\":{\"teams\":[{\"code\":\"a\",\"name\":\"A\"}]}}",
		"{",
	};
	FILE *devnull = fopen("/dev/null", "w");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tu_write(path, bad[i]);
		if (hh_inquiry_codes_import(f->st, dir, devnull, &n) != HH_ERR_INVALID)
			fail_msg("bad teams.json %zu was imported", i);
	}
	fclose(devnull);
	tx = tu_read_begin(f->st);
	assert_int_equal(f->st->inquiry_code_get(tx, &f->a, f->m902, "team", "ny",
						 &label),
			 HH_ERR_NOT_FOUND);
	tu_read_end(tx);
	tu_rmdir(dir);
}

int main(void)
{
	hh_log_set_level(HH_LOG_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(t_create_and_event, setup, teardown),
		cmocka_unit_test_setup_teardown(t_create_refusals_write_nothing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(t_idempotency, setup, teardown),
		cmocka_unit_test_setup_teardown(t_outcome_rule_and_versions, setup,
						teardown),
		cmocka_unit_test_setup_teardown(t_access, setup, teardown),
		cmocka_unit_test_setup_teardown(t_codes_import, setup, teardown),
	};
	return cmocka_run_group_tests_name("domain/inquiries", tests, NULL, NULL);
}
