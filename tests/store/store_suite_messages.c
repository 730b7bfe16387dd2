/* store_suite_messages.c - the store suite's cases for the delivery
 * claim (store.h's message_claim, pg-skip): the soonest due messages
 * not waiting for print, at most limit, get the lease and are streamed
 * as they were before it; a claimed message is not due to the next
 * claim until the lease, and is claimed again after it; messages queued
 * for print, not due yet or no longer queued are never claimed.
 * #included by store_suite.c, after store_suite_inbox.c (x_inbox_letter). */

/* A message with the given UUID (its letter's title too), channel,
 * state and next attempt, on a sent letter to citizen. Returns its id. */
static int64_t x_message(struct hh_store *st, int64_t org, int64_t citizen,
			 int64_t author, const char *uuid, const char *channel,
			 const char *state, int64_t next)
{
	int64_t letter = x_inbox_letter(st, org, citizen, author, "sent", uuid,
					1772442000);
	struct hh_tx *tx = x_begin(st, 1);
	struct hh_message m = { .message_id = uuid, .letter_id = letter,
				.org_id = org, .citizen_id = citizen,
				.channel = channel, .state = state,
				.next_attempt_at = next };
	assert_int_equal(st->message_insert(tx, &m), HH_OK);
	x_commit(tx);
	assert_true(m.id > 0);
	return m.id;
}

/* Collects "uuid@next_attempt_at/title/citizen;" of claimed rows. */
struct x_claimed {
	struct hh_buf b;
	int n;
};

static enum hh_rc x_claimed_row(void *p, const struct hh_message_row *r)
{
	struct x_claimed *c = p;
	hh_buf_printf(&c->b, "%s@%lld/%s/%s;", r->m.message_id,
		      (long long)r->m.next_attempt_at, r->title,
		      r->citizen_name ? r->citizen_name : "-");
	assert_string_equal(r->m.state, "queued");
	c->n++;
	return HH_OK;
}

/* Claims at now until lease, at most limit; the claimed rows as text. */
static const char *x_claim(struct x_fx *f, struct x_claimed *c, int64_t now,
			   int64_t lease, int64_t limit)
{
	hh_buf_reset(&c->b);
	c->n = 0;
	assert_int_equal(f->st->message_claim(f->st->cls, &f->a, now, lease,
					      limit, x_claimed_row, c),
			 HH_OK);
	return hh_buf_str(&c->b);
}

/* The next attempt of message id, read back. */
static int64_t x_next_attempt(struct x_fx *f, int64_t id)
{
	struct hh_tx *tx = x_begin(f->st, 0);
	struct hh_message_row r;
	assert_int_equal(f->st->message_get(tx, &f->a, id, &r), HH_OK);
	f->st->tx_rollback(tx);
	return r.m.next_attempt_at;
}

static void t_message_claim(void **state)
{
	struct x_fx *f = *state;
	int64_t org = x_put_org(f->st, "901", "Nordskov", HH_ORG_MUNICIPALITY);
	struct hh_tx *tx = x_begin(f->st, 1);
	struct hh_user u = { .org_id = org, .email = "cw@901", .name = "Cai",
			     .password_hash = "!", .roles = HH_ROLE_CASEWORKER };
	assert_int_equal(f->st->user_insert(tx, &u), HH_OK);
	struct hh_citizen anna = { .subject = "s:anna", .name = "Anna" };
	assert_int_equal(f->st->citizen_put(tx, &anna), HH_OK);
	x_commit(tx);
	/* due at 300, 100, 200 and 200 (made in that order), then what is
	 * never claimed at 1000 */
	int64_t c300 = x_message(f->st, org, anna.id, u.id, "c300", NULL,
				 "queued", 300);
	int64_t a100 = x_message(f->st, org, anna.id, u.id, "a100", NULL,
				 "queued", 100);
	int64_t b200 = x_message(f->st, org, anna.id, u.id, "b200",
				 "digital_post", "queued", 200);
	int64_t d200 = x_message(f->st, org, 0, u.id, "d200", NULL, "queued",
				 200);
	int64_t print = x_message(f->st, org, anna.id, u.id, "print", "print",
				  "queued", 100);
	int64_t later = x_message(f->st, org, anna.id, u.id, "later", NULL,
				  "queued", 1001);
	int64_t sent = x_message(f->st, org, anna.id, u.id, "sent",
				 "digital_post", "sent", 100);
	int64_t error = x_message(f->st, org, anna.id, u.id, "error", "error",
				  "error", 100);
	struct x_claimed c;
	hh_buf_init(&c.b);
	/* the soonest first, by id when equal; as they were before */
	assert_string_equal(x_claim(f, &c, 1000, 5000, 3),
			    "a100@100/a100/Anna;b200@200/b200/Anna;"
			    "d200@200/d200/-;");
	assert_int_equal(x_next_attempt(f, a100), 5000);
	assert_int_equal(x_next_attempt(f, b200), 5000);
	assert_int_equal(x_next_attempt(f, d200), 5000);
	assert_int_equal(x_next_attempt(f, c300), 300);
	/* claimed is not due before the lease: only the rest */
	assert_string_equal(x_claim(f, &c, 1000, 5000, 10), "c300@300/c300/Anna;");
	assert_string_equal(x_claim(f, &c, 1000, 5000, 10), "");
	assert_int_equal(c.n, 0);
	/* never: for print, not due yet, not queued */
	assert_int_equal(x_next_attempt(f, print), 100);
	assert_int_equal(x_next_attempt(f, later), 1001);
	assert_int_equal(x_next_attempt(f, sent), 100);
	assert_int_equal(x_next_attempt(f, error), 100);
	/* at the lease (a pass that died) they are due again, "later" too,
	 * each with the next attempt it had (by id when equal) */
	assert_string_equal(x_claim(f, &c, 5000, 9000, 10),
			    "later@1001/later/Anna;c300@5000/c300/Anna;"
			    "a100@5000/a100/Anna;b200@5000/b200/Anna;"
			    "d200@5000/d200/-;");
	assert_int_equal(x_next_attempt(f, later), 9000);
	assert_int_equal(x_next_attempt(f, print), 100);
	/* a limit below 1 is refused and claims nothing */
	hh_buf_reset(&c.b);
	assert_int_equal(f->st->message_claim(f->st->cls, &f->a, 9000, 9999, 0,
					      x_claimed_row, &c),
			 HH_ERR_INVALID);
	assert_int_equal(x_next_attempt(f, a100), 9000);
	hh_buf_clear(&c.b);
}

/* A claim that fails (a fault anywhere in it) claims nothing, and the
 * next one takes the messages. */
static void t_message_claim_fault(void **state)
{
	struct x_fx *f = *state;
	int64_t org = x_put_org(f->st, "901", "Nordskov", HH_ORG_MUNICIPALITY);
	struct hh_tx *tx = x_begin(f->st, 1);
	struct hh_user u = { .org_id = org, .email = "cw@901", .name = "Cai",
			     .password_hash = "!", .roles = HH_ROLE_CASEWORKER };
	assert_int_equal(f->st->user_insert(tx, &u), HH_OK);
	x_commit(tx);
	int64_t m1 = x_message(f->st, org, 0, u.id, "m1", NULL, "queued", 100);
	int64_t m2 = x_message(f->st, org, 0, u.id, "m2", NULL, "queued", 200);
	struct x_claimed c;
	hh_buf_init(&c.b);
	int failed = 0;
	for (int n = 1; n < 50; n++) {
		hh_store_fault_inject(f->st, n, HH_ERR_IO);
		hh_buf_reset(&c.b);
		c.n = 0;
		enum hh_rc rc = f->st->message_claim(f->st->cls, &f->a, 1000,
						     5000 + n, 10,
						     x_claimed_row, &c);
		hh_store_fault_inject(f->st, 0, HH_OK);
		if (rc == HH_OK) {
			assert_int_equal(c.n, 2);
			break;
		}
		failed++;
		assert_int_equal(rc, HH_ERR_IO);
		assert_int_equal(c.n, 0);
		assert_int_equal(x_next_attempt(f, m1), 100);
		assert_int_equal(x_next_attempt(f, m2), 200);
	}
	assert_true(failed >= 2); /* the transaction and the statement */
	assert_string_equal(hh_buf_str(&c.b), "m1@100/m1/-;m2@200/m2/-;");
	hh_buf_clear(&c.b);
}
