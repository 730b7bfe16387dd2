/* test_webhooks_cases.c - x-hooks (issue 15): the webhook rule over the
 * events real case work writes (domain/cases.c through the store's
 * event_append), on either backend: a citizen's divorce application at
 * Familieretshuset, with her partner's CPR number in the form, and a
 * caseworker who starts work on it. Familieretshuset's subscription sees
 * its own case in full; Nordskov Kommune's sees the case id and state,
 * never the citizen, a CPR number or the form. The receiver here keeps
 * what it was sent (the signing and the HTTP are test_webhooks.c's). */
#include "cases_fixture.h"

#include "domain/inquiries.h"
#include "domain/webhooks.h"

struct sent {
	char url[128];
	char body[2048];
};
static struct sent sent[16];
static int n_sent;

static void keep_post(const struct hh_webhook_poster *cls, const char *url,
		      const char *const *headers, int n, const char *body,
		      size_t len, int timeout_s, long *status, char *err,
		      size_t errsz)
{
	(void)cls, (void)headers, (void)n, (void)timeout_s, (void)err,
		(void)errsz;
	if (n_sent < 16) {
		snprintf(sent[n_sent].url, sizeof(sent[0].url), "%s", url);
		snprintf(sent[n_sent].body, sizeof(sent[0].body), "%.*s",
			 (int)len, body);
		n_sent++;
	}
	*status = 200;
}

static void subscribe(struct fx *f, int64_t org, const char *url)
{
	struct hh_actor admin = { .label = "user:9", .org_id = org,
				  .roles = HH_ROLE_ADMIN };
	const char *types[] = { HH_WH_CASE_SUBMITTED, HH_WH_CASE_STATE };
	struct hh_webhook_input in = { url, types, 2, -1 };
	struct hh_webhook_sub s;
	const char *field;
	assert_int_equal(hh_webhook_subscribe(f->st, &admin, &f->a, &in, 0, &s,
					      &field), HH_OK);
}

static void real_case_events_keep_to_the_rule(void **state)
{
	struct fx *f = *state;
	subscribe(f, f->fam, "https://fam.example.org/hook");
	subscribe(f, f->m901, "https://nordskov.example.org/hook");
	struct hh_case c;
	int replayed;
	const char *why;
	assert_int_equal(submit_full(f, "skilsmisse", f->anna, 0, NULL,
				     "{\"navn\":\"Anna Andersen\",\"gift\":\"ja\","
				     "\"partner_cpr\":\"010190-1234\","
				     "\"begrundelse\":\"Vi er enige\"}",
				     NULL, NULL, &c, &replayed, &why),
			 HH_OK);
	struct hh_case out;
	int followups = 0;
	assert_int_equal(hh_case_transition(f->st, &f->a, &f->cw_fam, c.id,
					    "in_progress", c.version, NULL, &out,
					    &followups),
			 HH_OK);
	struct hh_webhook_poster p = { .post = keep_post, .timeout_s = 10 };
	struct hh_webhook_stats s;
	n_sent = 0;
	assert_int_equal(hh_webhooks_deliver(f->st, &p, hh_now_us() / 1000000,
					     50, &s), HH_OK);
	assert_int_equal(s.delivered, 4);
	assert_int_equal(n_sent, 4);
	char case_id[48];
	snprintf(case_id, sizeof(case_id), "\"case_id\":%lld", (long long)c.id);
	int own = 0, other = 0;
	for (int i = 0; i < n_sent; i++) {
		const char *b = sent[i].body;
		assert_non_null(strstr(b, case_id));
		/* nobody is sent the form or a CPR number */
		assert_null(strstr(b, "010190"));
		assert_null(strstr(b, "070761"));
		assert_null(strstr(b, "Anna"));
		assert_null(strstr(b, "enige"));
		if (strstr(sent[i].url, "fam.")) {
			own++;
			assert_non_null(strstr(b, "\"details\""));
			if (strstr(b, "case.state_changed"))
				assert_non_null(strstr(
					b, "\"previous_state\":\"received\""));
		} else {
			other++;
			assert_null(strstr(b, "\"details\""));
			assert_null(strstr(b, "previous_state"));
			assert_null(strstr(b, "deadline"));
		}
	}
	assert_int_equal(own, 2);
	assert_int_equal(other, 2);
}

/* x-hooks2: an inquiry a front-desk agent of Nordskov transfers to
 * Åstrup through the domain (domain/inquiries.c) is told to Åstrup's
 * subscriber too, without the citizen or the note; Familieretshuset's
 * hears nothing. */
static void a_transfer_is_told_to_the_receiver(void **state)
{
	struct fx *f = *state;
	struct hh_tx *tx;
	assert_int_equal(f->st->tx_begin(f->st->cls, 1, &tx), HH_OK);
	assert_int_equal(f->st->inquiry_code_put(tx, f->m901, "reason", "fagligt",
						 "Kræver faglig vurdering"),
			 HH_OK);
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
	const char *t[] = { HH_WH_INQUIRY_TRANSFERRED };
	int64_t orgs[] = { f->m901, f->m902, f->fam };
	const char *urls[] = { "https://nordskov.example.org/h",
			       "https://aastrup.example.org/h",
			       "https://fam.example.org/h" };
	for (int i = 0; i < 3; i++) {
		struct hh_actor admin = { .label = "user:9", .org_id = orgs[i],
					  .roles = HH_ROLE_ADMIN };
		struct hh_webhook_input in = { urls[i], t, 1, -1 };
		struct hh_webhook_sub s;
		const char *field;
		assert_int_equal(hh_webhook_subscribe(f->st, &admin, &f->a, &in,
						      0, &s, &field), HH_OK);
	}
	struct hh_actor agent = { .label = "user:5", .org_id = f->m901,
				  .org_is_municipality = 1,
				  .roles = HH_ROLE_AGENT };
	struct hh_inquiry_input in = { .channel = "phone",
				       .citizen_id = f->anna,
				       .outcome = "transferred",
				       .transfer_org = "902",
				       .transfer_reason = "fagligt",
				       .note = "Borgeren er vred" };
	struct hh_inquiry q;
	int replayed = 0;
	enum hh_inquiry_fault fault;
	const char *field = NULL;
	enum hh_rc rc = hh_inquiry_create(f->st, &f->a, &agent, &in, &q,
					  &replayed, &fault, &field);
	if (rc != HH_OK)
		fprintf(stderr, "inquiry: %s fault %d field %s\n",
			hh_rc_name(rc), (int)fault, field ? field : "-");
	assert_int_equal(rc, HH_OK);
	struct hh_webhook_poster p = { .post = keep_post, .timeout_s = 10 };
	struct hh_webhook_stats s;
	n_sent = 0;
	assert_int_equal(hh_webhooks_deliver(f->st, &p, hh_now_us() / 1000000,
					     50, &s), HH_OK);
	assert_int_equal(n_sent, 2);
	int nordskov = 0, aastrup = 0;
	char id[48];
	snprintf(id, sizeof(id), "\"inquiry_id\":%lld", (long long)q.id);
	for (int i = 0; i < n_sent; i++) {
		assert_null(strstr(sent[i].url, "fam."));
		assert_non_null(strstr(sent[i].body, id));
		assert_null(strstr(sent[i].body, "vred"));
		assert_null(strstr(sent[i].body, "citizen"));
		nordskov += strstr(sent[i].url, "nordskov.") != NULL;
		aastrup += strstr(sent[i].url, "aastrup.") != NULL;
	}
	assert_int_equal(nordskov, 1);
	assert_int_equal(aastrup, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(real_case_events_keep_to_the_rule,
						setup, teardown),
		cmocka_unit_test_setup_teardown(a_transfer_is_told_to_the_receiver,
						setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
