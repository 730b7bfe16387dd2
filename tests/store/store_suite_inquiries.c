/* store_suite_inquiries.c - the store suite's cases for inquiries: insert,
 * get, the versioned update, the idempotency key, and the lists of an
 * organisation (open ones, all, paged) and of a citizen. #included by
 * store_suite.c. */

static int64_t x_citizen(struct hh_store *st, const char *subject,
			 int64_t municipality)
{
	struct hh_tx *tx = x_begin(st, 1);
	struct hh_citizen c = { .subject = subject, .name = subject,
				.municipality_id = municipality };
	assert_int_equal(st->citizen_put(tx, &c), HH_OK);
	x_commit(tx);
	return c.id;
}

static int64_t x_inquiry(struct hh_store *st, int64_t org, int64_t citizen,
			 int64_t started, const char *outcome)
{
	struct hh_tx *tx = x_begin(st, 1);
	struct hh_inquiry q = { .org_id = org, .channel = "phone",
				.citizen_id = citizen, .started_at = started,
				.outcome = outcome,
				.ended_at = strcmp(outcome, "open") ? started + 60 : 0 };
	assert_int_equal(st->inquiry_insert(tx, &q), HH_OK);
	x_commit(tx);
	assert_true(q.id > 0);
	assert_int_equal(q.version, 1);
	return q.id;
}

static void t_inquiry_insert_get_update(void **state)
{
	struct x_fx *f = *state;
	int64_t m901 = x_put_org(f->st, "901", "Nordskov", HH_ORG_MUNICIPALITY);
	int64_t udk = x_put_org(f->st, "udk", "Udbetaling Danmark", HH_ORG_AGENCY);
	int64_t anna = x_citizen(f->st, "anna", m901);

	struct hh_tx *tx = x_begin(f->st, 1);
	struct hh_inquiry q = { .org_id = m901, .channel = "counter",
				.kle = "02.00", .citizen_id = anna,
				.started_at = 1700000000, .outcome = "open",
				.note = "Spørger om pas", .idem_scope = "user:1",
				.idem_key = "k1", .request_hash = "abc" };
	assert_int_equal(f->st->inquiry_insert(tx, &q), HH_OK);
	assert_true(q.id > 0);
	assert_int_equal(q.version, 1);
	assert_true(q.created_at > 0);
	/* the same key in the same scope makes no second inquiry */
	struct hh_inquiry dup = q;
	dup.id = 0;
	assert_int_equal(f->st->inquiry_insert(tx, &dup), HH_ERR_CONFLICT);
	/* another scope may use the same key */
	dup.idem_scope = "user:2";
	assert_int_equal(f->st->inquiry_insert(tx, &dup), HH_OK);
	x_commit(tx);

	tx = x_begin(f->st, 0);
	struct hh_inquiry g;
	assert_int_equal(f->st->inquiry_get(tx, &f->a, q.id, &g), HH_OK);
	assert_int_equal(g.org_id, m901);
	assert_string_equal(g.channel, "counter");
	assert_string_equal(g.kle, "02.00");
	assert_int_equal(g.citizen_id, anna);
	assert_int_equal(g.agent_id, 0);
	assert_int_equal(g.article_id, 0);
	assert_int_equal(g.started_at, 1700000000);
	assert_int_equal(g.ended_at, 0);
	assert_string_equal(g.outcome, "open");
	assert_null(g.transfer_team);
	assert_string_equal(g.note, "Spørger om pas");
	assert_string_equal(g.request_hash, "abc");
	assert_int_equal(g.version, 1);
	struct hh_inquiry k;
	assert_int_equal(f->st->inquiry_get_by_key(tx, &f->a, "user:1", "k1", &k),
			 HH_OK);
	assert_int_equal(k.id, q.id);
	assert_int_equal(f->st->inquiry_get_by_key(tx, &f->a, "user:3", "k1", &k),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(f->st->inquiry_get(tx, &f->a, 999999, &k),
			 HH_ERR_NOT_FOUND);
	x_commit(tx);

	/* a transfer, at version 1 */
	tx = x_begin(f->st, 1);
	g.outcome = "transferred";
	g.ended_at = 1700000300;
	g.transfer_team = "ydelse";
	g.transfer_org_id = udk;
	g.transfer_reason = "forkert-myndighed";
	assert_int_equal(f->st->inquiry_update(tx, &g, 1), HH_OK);
	assert_int_equal(g.version, 2);
	/* a stale version writes nothing */
	struct hh_inquiry stale = g;
	stale.outcome = "resolved_first_contact";
	assert_int_equal(f->st->inquiry_update(tx, &stale, 1), HH_ERR_CONFLICT);
	x_commit(tx);

	tx = x_begin(f->st, 0);
	assert_int_equal(f->st->inquiry_get(tx, &f->a, q.id, &k), HH_OK);
	assert_int_equal(k.version, 2);
	assert_string_equal(k.outcome, "transferred");
	assert_int_equal(k.ended_at, 1700000300);
	assert_string_equal(k.transfer_team, "ydelse");
	assert_int_equal(k.transfer_org_id, udk);
	assert_string_equal(k.transfer_reason, "forkert-myndighed");
	assert_int_equal(k.started_at, 1700000000); /* never rewritten */
	assert_true(k.updated_at >= k.created_at);
	x_commit(tx);
}

/* Collects "id" of listed inquiries, space separated. */
static enum hh_rc x_collect_inquiry(void *p, const struct hh_inquiry *q)
{
	struct x_names *c = p;
	if (c->b.len)
		hh_buf_putc(&c->b, ' ');
	hh_buf_printf(&c->b, "%lld", (long long)q->id);
	c->n++;
	return HH_OK;
}

static char *x_inquiries(struct x_fx *f, struct hh_inquiry_filter flt,
			 int64_t offset, int64_t limit, int64_t *total)
{
	struct x_names c = { { 0 }, 0, 0 };
	hh_buf_init(&c.b);
	struct hh_tx *tx = x_begin(f->st, 0);
	assert_int_equal(f->st->inquiry_list(tx, &f->a, &flt, offset, limit,
					      total, x_collect_inquiry, &c),
			 HH_OK);
	x_commit(tx);
	return hh_buf_steal(&c.b);
}

#define assert_inquiries(f, flt, off, lim, total, want)                     \
	do {                                                                \
		char *got_ = x_inquiries((f), (flt), (off), (lim), (total)); \
		char want_[256];                                            \
		snprintf want;                                              \
		if (strcmp(got_, want_) != 0)                               \
			fail_msg("inquiries: want '%s', got '%s'", want_, got_); \
		free(got_);                                                 \
	} while (0)

static void t_inquiry_lists(void **state)
{
	struct x_fx *f = *state;
	int64_t m901 = x_put_org(f->st, "901", "Nordskov", HH_ORG_MUNICIPALITY);
	int64_t m902 = x_put_org(f->st, "902", "Åstrup", HH_ORG_MUNICIPALITY);
	int64_t anna = x_citizen(f->st, "anna", m901);
	int64_t bo = x_citizen(f->st, "bo", m902);
	int64_t a = x_inquiry(f->st, m901, anna, 1000, "open");
	int64_t b = x_inquiry(f->st, m901, 0, 500, "open");
	int64_t c = x_inquiry(f->st, m901, anna, 2000, "resolved_first_contact");
	int64_t d = x_inquiry(f->st, m902, bo, 1500, "open");
	int64_t e = x_inquiry(f->st, m901, 0, 3000, "open");
	int64_t total = -1;

	/* the queue: open ones, oldest start first, own organisation only */
	assert_inquiries(f, ((struct hh_inquiry_filter){ .org_id = m901,
							 .open_only = 1 }),
			 0, 0, &total, (want_, sizeof(want_), "%lld %lld %lld",
					(long long)b, (long long)a, (long long)e));
	assert_int_equal(total, 3);
	/* paged */
	total = -1;
	assert_inquiries(f, ((struct hh_inquiry_filter){ .org_id = m901,
							 .open_only = 1 }),
			 1, 1, &total, (want_, sizeof(want_), "%lld", (long long)a));
	assert_int_equal(total, 3);
	/* all of them, newest start first */
	assert_inquiries(f, ((struct hh_inquiry_filter){ .org_id = m901 }), 0, 0,
			 &total, (want_, sizeof(want_), "%lld %lld %lld %lld",
				  (long long)e, (long long)c, (long long)a,
				  (long long)b));
	assert_int_equal(total, 4);
	assert_inquiries(f, ((struct hh_inquiry_filter){ .org_id = m901 }), 2, 5,
			 NULL, (want_, sizeof(want_), "%lld %lld", (long long)a,
				(long long)b));
	/* a citizen's history, newest first; nobody else's */
	assert_inquiries(f, ((struct hh_inquiry_filter){ .citizen_id = anna }), 0,
			 0, &total, (want_, sizeof(want_), "%lld %lld",
				     (long long)c, (long long)a));
	assert_int_equal(total, 2);
	assert_inquiries(f, ((struct hh_inquiry_filter){ .citizen_id = bo }), 0, 0,
			 &total, (want_, sizeof(want_), "%lld", (long long)d));
	/* a citizen at an organisation */
	assert_inquiries(f, ((struct hh_inquiry_filter){ .org_id = m902,
							 .citizen_id = anna }),
			 0, 0, &total, (want_, sizeof(want_), "%s", ""));
	assert_int_equal(total, 0);
}

static void t_inquiry_codes(void **state)
{
	struct x_fx *f = *state;
	int64_t m901 = x_put_org(f->st, "901", "Nordskov", HH_ORG_MUNICIPALITY);
	int64_t m902 = x_put_org(f->st, "902", "Åstrup", HH_ORG_MUNICIPALITY);
	struct hh_tx *tx = x_begin(f->st, 1);
	assert_int_equal(f->st->inquiry_code_put(tx, m901, "team", "ydelser",
						 "Ydelser"), HH_OK);
	assert_int_equal(f->st->inquiry_code_put(tx, m901, "reason", "klage",
						 "Vil klage"), HH_OK);
	/* put again: the label changes in place */
	assert_int_equal(f->st->inquiry_code_put(tx, m901, "team", "ydelser",
						 "Ydelser og pension"), HH_OK);
	x_commit(tx);
	tx = x_begin(f->st, 0);
	const char *label = NULL;
	assert_int_equal(f->st->inquiry_code_get(tx, &f->a, m901, "team", "ydelser",
						 &label), HH_OK);
	assert_string_equal(label, "Ydelser og pension");
	assert_int_equal(f->st->inquiry_code_get(tx, &f->a, m901, "reason", "klage",
						 &label), HH_OK);
	assert_string_equal(label, "Vil klage");
	/* per organisation and per kind */
	assert_int_equal(f->st->inquiry_code_get(tx, &f->a, m902, "team", "ydelser",
						 &label), HH_ERR_NOT_FOUND);
	assert_int_equal(f->st->inquiry_code_get(tx, &f->a, m901, "reason",
						 "ydelser", &label),
			 HH_ERR_NOT_FOUND);
	x_commit(tx);
}

#include "domain/inquiries.h"

static int64_t x_n_inquiries(struct hh_store *st, struct hh_arena *a)
{
	int64_t total = -1;
	struct hh_inquiry_filter flt = { 0 };
	struct x_names c = { { 0 }, 0, 0 };
	hh_buf_init(&c.b);
	struct hh_tx *tx = x_begin(st, 0);
	assert_int_equal(st->inquiry_list(tx, a, &flt, 0, 1, &total,
					  x_collect_inquiry, &c),
			 HH_OK);
	x_commit(tx);
	hh_buf_clear(&c.b);
	return total;
}

/* The domain's inquiry writes under a fault at every store call: IO
 * fails and leaves nothing (no inquiry, no event, no version), BUSY is
 * retried to one write. */
static void t_fault_inquiry(void **state)
{
	struct x_fx *f = *state;
	int64_t m901 = x_put_org(f->st, "901", "Nordskov", HH_ORG_MUNICIPALITY);
	x_put_org(f->st, "udk", "Udbetaling Danmark", HH_ORG_AGENCY);
	int64_t anna = x_citizen(f->st, "anna", m901);
	struct hh_tx *tx = x_begin(f->st, 1);
	assert_int_equal(f->st->inquiry_code_put(tx, m901, "reason", "klage",
						 "Vil klage"), HH_OK);
	x_commit(tx);
	struct hh_actor agent = { .label = "user:1", .org_id = m901,
				  .org_is_municipality = 1,
				  .roles = HH_ROLE_AGENT };
	struct hh_inquiry_input in = { .channel = "phone", .citizen_id = anna,
				       .outcome = "transferred",
				       .transfer_org = "udk",
				       .transfer_reason = "klage",
				       .idem_key = "k" };
	struct hh_inquiry q;
	int replayed, n, sites = 0;
	for (n = 1; n < 100; n++) {
		hh_store_fault_inject(f->st, n, HH_ERR_IO);
		enum hh_rc rc = hh_inquiry_create(f->st, &f->a, &agent, &in, &q,
						  &replayed, NULL, NULL);
		hh_store_fault_inject(f->st, 0, HH_OK);
		if (rc == HH_OK)
			break;
		assert_int_equal(rc, HH_ERR_IO);
		sites++;
		assert_int_equal(x_n_inquiries(f->st, &f->a), 0);
		assert_int_equal(tu_event_count(f->st), 0);
	}
	/* begin, key, citizen, org, reason, insert, event, get, commit */
	assert_true(sites >= 8);
	assert_int_equal(replayed, 0);
	assert_int_equal(x_n_inquiries(f->st, &f->a), 1);
	assert_int_equal(tu_event_count(f->st), 1);
	for (n = 1; n <= sites + 1; n++) {
		char key[16];
		snprintf(key, sizeof(key), "busy-%d", n);
		in.idem_key = key;
		hh_store_fault_inject(f->st, n, HH_ERR_BUSY);
		enum hh_rc rc = hh_inquiry_create(f->st, &f->a, &agent, &in, &q,
						  &replayed, NULL, NULL);
		hh_store_fault_inject(f->st, 0, HH_OK);
		assert_int_equal(rc, HH_OK);
		assert_int_equal(replayed, 0);
		assert_int_equal(x_n_inquiries(f->st, &f->a), 1 + n);
	}
	assert_int_equal(tu_event_count(f->st), 1 + sites + 1);

	/* the outcome: IO leaves the version and the events as they were */
	struct hh_inquiry_input open = { .channel = "counter" };
	assert_int_equal(hh_inquiry_create(f->st, &f->a, &agent, &open, &q,
					   &replayed, NULL, NULL),
			 HH_OK);
	int64_t id = q.id, events = tu_event_count(f->st);
	struct hh_inquiry_input done = { .outcome = "resolved_first_contact" };
	for (n = 1; n < 100; n++) {
		hh_store_fault_inject(f->st, n, HH_ERR_IO);
		enum hh_rc rc = hh_inquiry_set_outcome(f->st, &f->a, &agent, id, 1,
						       &done, &q, NULL, NULL);
		hh_store_fault_inject(f->st, 0, HH_OK);
		if (rc == HH_OK)
			break;
		assert_int_equal(rc, HH_ERR_IO);
		assert_int_equal(tu_event_count(f->st), events);
		struct hh_inquiry g;
		tx = x_begin(f->st, 0);
		assert_int_equal(f->st->inquiry_get(tx, &f->a, id, &g), HH_OK);
		x_commit(tx);
		assert_int_equal(g.version, 1);
		assert_string_equal(g.outcome, "open");
	}
	assert_true(n > 4);
	assert_int_equal(q.version, 2);
	assert_int_equal(tu_event_count(f->st), events + 1);
}
