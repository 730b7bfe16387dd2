/* store_suite_desk.c - the store suite's cases for the agent's desk:
 * transfers (insert, get, the receiving queue by organisation and team,
 * closed ones left out, the chain of an inquiry), an organisation's codes
 * by kind, callbacks due before a time, inquiries per article and citizens
 * by municipality. #included by store_suite.c. */

struct xd_ids {
	int64_t v[16];
	int n;
};

static enum hh_rc xd_transfer_row(void *p, const struct hh_inquiry_transfer *t)
{
	struct xd_ids *r = p;
	if (r->n < 16)
		r->v[r->n++] = t->id;
	return HH_OK;
}

static enum hh_rc xd_inquiry_row(void *p, const struct hh_inquiry *q)
{
	struct xd_ids *r = p;
	if (r->n < 16)
		r->v[r->n++] = q->id;
	return HH_OK;
}

static enum hh_rc xd_citizen_row(void *p, const struct hh_citizen *c)
{
	struct xd_ids *r = p;
	assert_null(c->cpr); /* the search never reads the CPR column */
	if (r->n < 16)
		r->v[r->n++] = c->id;
	return HH_OK;
}

static enum hh_rc xd_code_row(void *p, const struct hh_inquiry_code *c)
{
	struct hh_buf *b = p;
	hh_buf_printf(b, "%s:%s=%s;", c->kind, c->code, c->label);
	return HH_OK;
}

static void t_desk_transfers(void **state)
{
	struct x_fx *f = *state;
	int64_t m901 = x_put_org(f->st, "901", "Nordskov", HH_ORG_MUNICIPALITY);
	int64_t udk = x_put_org(f->st, "udk", "Udbetaling Danmark", HH_ORG_AGENCY);
	int64_t q1 = x_inquiry(f->st, m901, 0, 1700000000, "transferred");
	int64_t q2 = x_inquiry(f->st, m901, 0, 1700000100, "transferred");
	struct hh_tx *tx = x_begin(f->st, 1);
	struct hh_inquiry_transfer a = { .inquiry_id = q1, .from_org_id = m901,
					 .to_org_id = udk, .to_team = "pension",
					 .reason = "r", .by_actor = "user:1",
					 .at = 1700000200 };
	struct hh_inquiry_transfer b = { .inquiry_id = q2, .from_org_id = m901,
					 .to_org_id = udk, .reason = "r",
					 .by_actor = "user:1", .at = 1700000100 };
	assert_int_equal(f->st->transfer_insert(tx, &a), HH_OK);
	assert_int_equal(f->st->transfer_insert(tx, &b), HH_OK);
	assert_true(a.id > 0 && b.id > a.id);
	x_commit(tx);

	tx = x_begin(f->st, 0);
	struct hh_inquiry_transfer g;
	assert_int_equal(f->st->transfer_get(tx, &f->a, a.id, &g), HH_OK);
	assert_int_equal(g.inquiry_id, q1);
	assert_string_equal(g.to_team, "pension");
	assert_null(g.from_team);
	assert_null(g.taken_by);
	assert_null(g.result);
	assert_int_equal(g.at, 1700000200);
	assert_int_equal(f->st->transfer_get(tx, &f->a, 99999, &g), HH_ERR_NOT_FOUND);
	/* the queue: oldest first; by team; nobody else's */
	struct xd_ids r = { .n = 0 };
	assert_int_equal(f->st->transfer_list(tx, &f->a, 0, udk, NULL, xd_transfer_row, &r),
			 HH_OK);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.v[0], b.id);
	assert_int_equal(r.v[1], a.id);
	r.n = 0;
	assert_int_equal(f->st->transfer_list(tx, &f->a, 0, udk, "pension",
					      xd_transfer_row, &r),
			 HH_OK);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.v[0], a.id);
	r.n = 0;
	assert_int_equal(f->st->transfer_list(tx, &f->a, 0, m901, NULL, xd_transfer_row, &r),
			 HH_OK);
	assert_int_equal(r.n, 0);
	x_commit(tx);

	/* taken and closed: out of the queue, still in the inquiry's chain */
	tx = x_begin(f->st, 1);
	g = a;
	g.taken_by = "user:5";
	g.taken_at = 1700000300;
	g.result = "case_created";
	g.result_case_id = 0;
	g.closed_at = 1700000400;
	assert_int_equal(f->st->transfer_update(tx, &g), HH_OK);
	x_commit(tx);
	tx = x_begin(f->st, 0);
	assert_int_equal(f->st->transfer_get(tx, &f->a, a.id, &g), HH_OK);
	assert_string_equal(g.taken_by, "user:5");
	assert_string_equal(g.result, "case_created");
	assert_int_equal(g.closed_at, 1700000400);
	r.n = 0;
	assert_int_equal(f->st->transfer_list(tx, &f->a, 0, udk, NULL, xd_transfer_row, &r),
			 HH_OK);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.v[0], b.id);
	r.n = 0;
	assert_int_equal(f->st->transfer_list(tx, &f->a, q1, 0, NULL, xd_transfer_row, &r),
			 HH_OK);
	assert_int_equal(r.n, 1);
	x_commit(tx);
}

static void t_desk_reads(void **state)
{
	struct x_fx *f = *state;
	int64_t m901 = x_put_org(f->st, "901", "Nordskov", HH_ORG_MUNICIPALITY);
	int64_t m902 = x_put_org(f->st, "902", "Åstrup", HH_ORG_MUNICIPALITY);
	int64_t anna = x_citizen(f->st, "anna", m901);
	int64_t bo = x_citizen(f->st, "bo", m902);
	struct hh_tx *tx = x_begin(f->st, 1);
	assert_int_equal(f->st->inquiry_code_put(tx, m901, "team", "b", "B"), HH_OK);
	assert_int_equal(f->st->inquiry_code_put(tx, m901, "team", "a", "A"), HH_OK);
	assert_int_equal(f->st->inquiry_code_put(tx, m901, "reason", "r", "R"), HH_OK);
	assert_int_equal(f->st->inquiry_code_put(tx, m902, "team", "c", "C"), HH_OK);
	/* callbacks: due at 100, 200 (promised) and 150 (made: transferred) */
	int64_t due[3] = { 1700000200, 1700000100, 1700000150 };
	const char *outcome[3] = { "callback_promised", "callback_promised",
				   "transferred" };
	int64_t ids[3];
	for (int i = 0; i < 3; i++) {
		struct hh_inquiry q = { .org_id = m901, .channel = "phone",
					.started_at = 1700000000, .ended_at = 1700000010,
					.outcome = outcome[i], .callback_due_at = due[i] };
		assert_int_equal(f->st->inquiry_insert(tx, &q), HH_OK);
		ids[i] = q.id;
	}
	x_commit(tx);

	tx = x_begin(f->st, 0);
	struct hh_buf b;
	hh_buf_init(&b);
	assert_int_equal(f->st->inquiry_code_list(tx, &f->a, m901, NULL, xd_code_row, &b),
			 HH_OK);
	assert_string_equal(hh_buf_str(&b), "reason:r=R;team:a=A;team:b=B;");
	hh_buf_reset(&b);
	assert_int_equal(f->st->inquiry_code_list(tx, &f->a, m901, "team", xd_code_row, &b),
			 HH_OK);
	assert_string_equal(hh_buf_str(&b), "team:a=A;team:b=B;");
	hh_buf_clear(&b);
	/* due before a time: soonest first, only those still promised (the
	 * desk's callbacks today, through inquiry_list's filter) */
	struct xd_ids r = { .n = 0 };
	struct hh_inquiry_filter cf = { .org_id = m901,
					.callbacks_due_before = 1700000300 };
	assert_int_equal(f->st->inquiry_list(tx, &f->a, &cf, 0, 0, NULL,
					     xd_inquiry_row, &r),
			 HH_OK);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.v[0], ids[1]);
	assert_int_equal(r.v[1], ids[0]);
	r.n = 0;
	cf.callbacks_due_before = 1700000100; /* before, not at */
	assert_int_equal(f->st->inquiry_list(tx, &f->a, &cf, 0, 0, NULL,
					     xd_inquiry_row, &r),
			 HH_OK);
	assert_int_equal(r.n, 0);
	r.n = 0;
	cf = (struct hh_inquiry_filter){ .org_id = m902,
					 .callbacks_due_before = INT64_MAX };
	assert_int_equal(f->st->inquiry_list(tx, &f->a, &cf, 0, 0, NULL,
					     xd_inquiry_row, &r),
			 HH_OK);
	assert_int_equal(r.n, 0);
	/* citizens by municipality, and all of them */
	r.n = 0;
	assert_int_equal(f->st->citizen_search(tx, &f->a, m901, xd_citizen_row, &r), HH_OK);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.v[0], anna);
	r.n = 0;
	assert_int_equal(f->st->citizen_search(tx, &f->a, 0, xd_citizen_row, &r), HH_OK);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.v[1], bo);
	/* no article linked yet */
	int64_t answered = -1, linked = -1;
	assert_int_equal(f->st->inquiry_article_count(tx, 12345, &answered, &linked),
			 HH_OK);
	assert_int_equal(answered, 0);
	assert_int_equal(linked, 0);
	x_commit(tx);
}
