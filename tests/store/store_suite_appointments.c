/* store_suite_appointments.c - the store suite's cases for appointments:
 * insert and read by code, the unique slot of a counter (a second active
 * booking with the same start is CONFLICT, a cancelled one frees it), the
 * versioned update, the idempotency key, the list's filters, and the
 * organisations' documents. #included by store_suite.c. */

static struct hh_appointment x_appt(int64_t org, const char *code, int counter,
				    int64_t start)
{
	return (struct hh_appointment){ .code = code, .org_id = org,
					.service = "pas", .counter = counter,
					.start_at = start, .end_at = start + 900,
					.name = "Ida", .phone = "12345678",
					.state = "booked" };
}

static enum hh_rc x_push_appt(void *p, const struct hh_appointment *b)
{
	struct hh_buf *out = p;
	hh_buf_printf(out, "%s/%d/%s;", b->code, b->counter, b->state);
	return HH_OK;
}

static void t_appointments(void **state)
{
	struct x_fx *f = *state;
	int64_t m901 = x_put_org(f->st, "901", "Nordskov", HH_ORG_MUNICIPALITY);
	int64_t m902 = x_put_org(f->st, "902", "Åstrup", HH_ORG_MUNICIPALITY);
	int64_t t = 1772442000; /* Monday 2 March 2026 10:00 */
	struct hh_tx *tx = x_begin(f->st, 1);
	struct hh_appointment a = x_appt(m901, "AAAABBBBCCCC", 1, t);
	assert_int_equal(f->st->appointment_insert(tx, &a), HH_OK);
	assert_true(a.id > 0);
	assert_int_equal(a.version, 1);
	/* the same counter and start: refused by the store itself */
	struct hh_appointment dup = x_appt(m901, "DDDDEEEEFFFF", 1, t);
	assert_int_equal(f->st->appointment_insert(tx, &dup), HH_ERR_CONFLICT);
	/* the same code: refused */
	struct hh_appointment same = x_appt(m902, "AAAABBBBCCCC", 1, t);
	assert_int_equal(f->st->appointment_insert(tx, &same), HH_ERR_CONFLICT);
	/* another counter, another organisation: fine */
	struct hh_appointment b = x_appt(m901, "GGGGHHHHJJJJ", 2, t);
	assert_int_equal(f->st->appointment_insert(tx, &b), HH_OK);
	struct hh_appointment c = x_appt(m902, "KKKKMMMMNNNN", 1, t);
	c.idem_scope = "anonymous:10.0.0.1";
	c.idem_key = "k1";
	c.request_hash = "abc";
	assert_int_equal(f->st->appointment_insert(tx, &c), HH_OK);
	x_commit(tx);

	struct hh_arena *ar = &f->a;
	tx = x_begin(f->st, 0);
	struct hh_appointment got;
	assert_int_equal(f->st->appointment_get_by_code(tx, ar, "AAAABBBBCCCC", &got),
			 HH_OK);
	assert_int_equal(got.id, a.id);
	assert_int_equal(got.org_id, m901);
	assert_string_equal(got.service, "pas");
	assert_int_equal(got.start_at, t);
	assert_int_equal(got.end_at, t + 900);
	assert_string_equal(got.name, "Ida");
	assert_string_equal(got.phone, "12345678");
	assert_null(got.email);
	assert_int_equal(got.citizen_id, 0);
	assert_null(got.idem_key);
	assert_int_equal(f->st->appointment_get_by_code(tx, ar, "ZZZZ", &got),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(f->st->appointment_get_by_key(tx, ar, "anonymous:10.0.0.1",
						       "k1", &got),
			 HH_OK);
	assert_int_equal(got.id, c.id);
	assert_string_equal(got.request_hash, "abc");
	assert_int_equal(f->st->appointment_get_by_key(tx, ar, "anonymous:10.0.0.2",
						       "k1", &got),
			 HH_ERR_NOT_FOUND);
	x_commit(tx);

	/* cancelled: the slot of counter 1 is free for another booking */
	tx = x_begin(f->st, 1);
	a.state = "cancelled";
	assert_int_equal(f->st->appointment_update(tx, &a, 1), HH_OK);
	assert_int_equal(a.version, 2);
	assert_int_equal(f->st->appointment_update(tx, &a, 1), HH_ERR_CONFLICT);
	dup = x_appt(m901, "DDDDEEEEFFFF", 1, t);
	assert_int_equal(f->st->appointment_insert(tx, &dup), HH_OK);
	/* moving b onto dup's counter and start clashes */
	b.counter = 1;
	assert_int_equal(f->st->appointment_update(tx, &b, 1), HH_ERR_CONFLICT);
	x_commit(tx);

	struct hh_buf out;
	hh_buf_init(&out);
	struct hh_appointment_filter all901 = { .org_id = m901 };
	tx = x_begin(f->st, 0);
	assert_int_equal(f->st->appointment_list(tx, ar, &all901, x_push_appt, &out),
			 HH_OK);
	assert_string_equal(hh_buf_str(&out),
			    "AAAABBBBCCCC/1/cancelled;GGGGHHHHJJJJ/2/booked;"
			    "DDDDEEEEFFFF/1/booked;");
	hh_buf_reset(&out);
	struct hh_appointment_filter active = { .org_id = m901, .active_only = 1,
						.from = t, .to = t + 1 };
	assert_int_equal(f->st->appointment_list(tx, ar, &active, x_push_appt, &out),
			 HH_OK);
	assert_string_equal(hh_buf_str(&out),
			    "GGGGHHHHJJJJ/2/booked;DDDDEEEEFFFF/1/booked;");
	hh_buf_reset(&out);
	struct hh_appointment_filter later = { .org_id = m901, .from = t + 1 };
	assert_int_equal(f->st->appointment_list(tx, ar, &later, x_push_appt, &out),
			 HH_OK);
	assert_string_equal(hh_buf_str(&out), "");
	x_commit(tx);
	hh_buf_clear(&out);
}

static void t_org_documents(void **state)
{
	struct x_fx *f = *state;
	int64_t m901 = x_put_org(f->st, "901", "Nordskov", HH_ORG_MUNICIPALITY);
	struct hh_tx *tx = x_begin(f->st, 1);
	assert_int_equal(f->st->org_document_put(tx, m901, "counter", "{\"a\":1}"),
			 HH_OK);
	assert_int_equal(f->st->org_document_put(tx, m901, "counter", "{\"a\":2}"),
			 HH_OK);
	assert_int_equal(f->st->org_document_put(tx, m901, "contact", "{}"), HH_OK);
	x_commit(tx);
	tx = x_begin(f->st, 0);
	const char *body;
	assert_int_equal(f->st->org_document_get(tx, &f->a, m901, "counter", &body),
			 HH_OK);
	assert_string_equal(body, "{\"a\":2}");
	assert_int_equal(f->st->org_document_get(tx, &f->a, m901 + 1, "counter", &body),
			 HH_ERR_NOT_FOUND);
	x_commit(tx);
}
