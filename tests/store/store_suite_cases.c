/* store_suite_cases.c - the case lists (case_list): each filter the queue,
 * the overview and the casework tools use, alone and combined, with the
 * page (limit, offset, all) and the total, and the state's label read
 * from the case type's definition; the rows each must give are written
 * out (pg-caselist, issue 14: PostgreSQL builds a statement per filter
 * shape and prepares it once per connection, so the same shape must
 * give the right rows for other values, also once PostgreSQL has a
 * generic plan for it, after five runs). Included by store_suite.c. */

struct x_case_rows {
	struct hh_buf b;
	int labels; /* "step/label" instead of "step" */
	int data;   /* "step=data" ("step=null" without) instead of "step" */
};

static enum hh_rc x_case_row(void *p, const struct hh_case *c)
{
	struct x_case_rows *x = p;
	if (x->b.len)
		hh_buf_printf(&x->b, " ");
	if (x->labels)
		hh_buf_printf(&x->b, "%s/%s", c->step, c->state_label);
	else if (x->data)
		hh_buf_printf(&x->b, "%s=%s", c->step, c->data ? c->data : "null");
	else
		hh_buf_printf(&x->b, "%s", c->step);
	return HH_OK;
}

/* Lists q's page (limit 0: all) and checks its rows, by their step (the
 * test's name for each case), and the total (want_total < 0: the total
 * is not asked for). */
static void x_case_list(struct x_fx *f, const struct hh_case_filter *q,
			int64_t offset, int64_t limit, int64_t want_total,
			const char *want)
{
	struct x_case_rows x = { 0 };
	hh_buf_init(&x.b);
	int64_t total = -7;
	struct hh_tx *tx = x_begin(f->st, 0);
	assert_int_equal(f->st->case_list(tx, &f->a, q, offset, limit,
					  want_total < 0 ? NULL : &total,
					  x_case_row, &x),
			 HH_OK);
	x_commit(tx);
	assert_string_equal(hh_buf_str(&x.b), want);
	assert_int_equal(total, want_total < 0 ? -7 : want_total);
	hh_buf_clear(&x.b);
}

static void x_case_labels(struct x_fx *f, const struct hh_case_filter *q,
			  const char *want)
{
	struct x_case_rows x = { .labels = 1 };
	hh_buf_init(&x.b);
	struct hh_tx *tx = x_begin(f->st, 0);
	assert_int_equal(f->st->case_list(tx, &f->a, q, 0, 0, NULL, x_case_row,
					  &x),
			 HH_OK);
	x_commit(tx);
	assert_string_equal(hh_buf_str(&x.b), want);
	hh_buf_clear(&x.b);
}

/* pg-ssi: a case read back in the transaction that inserted it, with its
 * names, and again after that transaction changed it: the change is
 * read, not the row as inserted (PostgreSQL reads the case it has just
 * inserted by the row's address; after an update the row has moved). */
static void t_case_get_in_its_tx(void **state)
{
	struct x_fx *f = *state;
	struct hh_store *st = f->st;
	int64_t org = x_put_org(st, "901", "Nordskov", HH_ORG_MUNICIPALITY);
	struct hh_tx *tx = x_begin(st, 1);
	struct hh_case_type t = {
		.code = "t1", .organisation = "901", .name = "T1", .public = 1,
		.definition = "{\"states\": [{\"key\": \"received\", \"label\": "
			      "\"Modtaget\"}, {\"key\": \"done\", "
			      "\"label\": \"Afsluttet\"}]}"
	};
	assert_int_equal(st->case_type_put(tx, &t), HH_OK);
	struct hh_case k = { .case_type_id = t.id, .org_id = org,
			     .state = "received", .data = "{\"a\":1}",
			     .deadline_at = 100, .created_at = 5000 };
	assert_int_equal(st->case_insert(tx, &k), HH_OK);
	struct hh_case a, b;
	assert_int_equal(st->case_get(tx, &f->a, k.id, &a), HH_OK);
	/* p-waits: in its first state since it came in */
	assert_int_equal(a.state_since, 5000);
	assert_int_equal(a.id, k.id);
	assert_string_equal(a.case_type_name, "T1");
	assert_string_equal(a.org_name, "Nordskov");
	assert_string_equal(a.state, "received");
	assert_string_equal(a.state_label, "Modtaget");
	assert_int_equal(a.version, 1);
	k.state = "done";
	k.data = "{\"a\":2}";
	k.state_since = 7000;
	assert_int_equal(st->case_update(tx, &k, 1), HH_OK);
	assert_int_equal(st->case_get(tx, &f->a, k.id, &b), HH_OK);
	assert_int_equal(b.state_since, 7000);
	assert_string_equal(b.state, "done");
	assert_string_equal(b.state_label, "Afsluttet");
	assert_string_equal(b.data, "{\"a\":2}");
	assert_int_equal(b.version, 2);
	/* another case inserted after it is read as well */
	struct hh_case k2 = k;
	k2.id = 0;
	k2.public_id = NULL;
	k2.state = "received";
	assert_int_equal(st->case_insert(tx, &k2), HH_OK);
	assert_int_equal(st->case_get(tx, &f->a, k.id, &b), HH_OK);
	assert_string_equal(b.state, "done");
	assert_int_equal(st->case_get(tx, &f->a, k2.id, &b), HH_OK);
	assert_int_equal(b.id, k2.id);
	assert_int_equal(st->case_get(tx, &f->a, k2.id + 1, &b),
			 HH_ERR_NOT_FOUND);
	x_commit(tx);
	tx = x_begin(st, 0);
	assert_int_equal(st->case_get(tx, &f->a, k.id, &b), HH_OK);
	assert_string_equal(b.state, "done");
	assert_int_equal(b.version, 2);
	x_commit(tx);
}

static void t_case_list_filters(void **state)
{
	struct x_fx *f = *state;
	struct hh_store *st = f->st;
	int64_t org = x_put_org(st, "901", "Nordskov", HH_ORG_MUNICIPALITY);
	int64_t other = x_put_org(st, "902", "Åstrup", HH_ORG_MUNICIPALITY);
	struct hh_tx *tx = x_begin(st, 1);
	struct hh_user u1 = { .org_id = org, .email = "u1@n", .name = "U1",
			      .password_hash = "h", .roles = HH_ROLE_CASEWORKER };
	struct hh_user u2 = { .org_id = org, .email = "u2@n", .name = "U2",
			      .password_hash = "h", .roles = HH_ROLE_CASEWORKER };
	assert_int_equal(st->user_insert(tx, &u1), HH_OK);
	assert_int_equal(st->user_insert(tx, &u2), HH_OK);
	struct hh_citizen ca = { .subject = "s:a", .name = "Anna" };
	struct hh_citizen cb = { .subject = "s:b", .name = "Bo" };
	assert_int_equal(st->citizen_put(tx, &ca), HH_OK);
	assert_int_equal(st->citizen_put(tx, &cb), HH_OK);
	/* labels in the definition; none; states that are not a list */
	struct hh_case_type t1 = {
		.code = "t1", .organisation = "901", .name = "T1", .public = 1,
		.definition = "{\"states\": [{\"key\": \"received\", \"label\": "
			      "\"Modtaget\"}, {\"key\": \"in_progress\", "
			      "\"label\": \"Under behandling\"}]}"
	};
	struct hh_case_type t2 = { .code = "t2", .organisation = "901",
				   .name = "T2", .public = 1, .definition = "{}" };
	struct hh_case_type t3 = { .code = "t3", .organisation = "901",
				   .name = "T3", .public = 1,
				   .definition = "{\"states\": {\"received\": 1}}" };
	assert_int_equal(st->case_type_put(tx, &t1), HH_OK);
	assert_int_equal(st->case_type_put(tx, &t2), HH_OK);
	assert_int_equal(st->case_type_put(tx, &t3), HH_OK);
	/* step names each case; deadlines order them: k6 50, k1 100,
	 * k5 150, k3 200, k2 300, k4 400, k7 500 */
	struct hh_case k[] = {
		{ .step = "k1", .case_type_id = t1.id, .org_id = org,
		  .citizen_id = ca.id, .state = "received", .assigned_to = u1.id,
		  .deadline_at = 100, .journal_no = "24.00.00-G01-3-26" },
		{ .step = "k2", .case_type_id = t1.id, .org_id = org,
		  .citizen_id = cb.id, .state = "in_progress",
		  .assigned_to = u2.id, .deadline_at = 300, .paused_since = 50,
		  .journal_no = "02.34.00-G01-2-26" },
		{ .step = "k3", .case_type_id = t2.id, .org_id = org,
		  .citizen_id = ca.id, .state = "received", .assigned_to = u1.id,
		  .deadline_at = 200, .closed_at = 250 },
		{ .step = "k4", .case_type_id = t1.id, .org_id = org,
		  .citizen_id = cb.id, .state = "in_progress",
		  .assigned_to = u1.id, .deadline_at = 400,
		  .journal_no = "02.34.00-G01-1-26", .assigned_team = "team-a",
		  .public_id = "0123456789abcdef01234567" },
		{ .step = "k5", .case_type_id = t2.id, .org_id = org,
		  .citizen_id = ca.id, .state = "x", .deadline_at = 150 },
		{ .step = "k6", .case_type_id = t1.id, .org_id = other,
		  .citizen_id = ca.id, .state = "received", .deadline_at = 50 },
		{ .step = "k7", .case_type_id = t3.id, .org_id = org,
		  .state = "received", .deadline_at = 500 },
	};
	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		k[i].data = "{}";
		assert_int_equal(st->case_insert(tx, &k[i]), HH_OK);
	}
	x_commit(tx);

	/* the queue: open cases by deadline, a page at a time, and all */
	struct hh_case_filter q = { .org_id = org, .open_only = 1 };
	x_case_list(f, &q, 0, 2, 5, "k1 k5");
	x_case_list(f, &q, 2, 2, 5, "k2 k4");
	x_case_list(f, &q, 4, 2, 5, "k7");
	x_case_list(f, &q, 6, 2, 5, "");
	x_case_list(f, &q, 0, 0, 5, "k1 k5 k2 k4 k7");
	x_case_list(f, &q, 1, 0, -1, "k5 k2 k4 k7");
	/* open or not; newest first */
	q = (struct hh_case_filter){ .org_id = org };
	x_case_list(f, &q, 0, 0, 6, "k1 k5 k3 k2 k4 k7");
	q.sort = HH_SORT_NEWEST;
	x_case_list(f, &q, 0, 3, 6, "k7 k5 k4");
	x_case_list(f, &q, 3, 3, 6, "k3 k2 k1");
	q = (struct hh_case_filter){ .org_id = other, .open_only = 1 };
	x_case_list(f, &q, 0, 2, 1, "k6");
	/* overdue at 350: open, not paused, deadline before (k2 is paused) */
	q = (struct hh_case_filter){ .org_id = org, .overdue_at = 1, .now = 350 };
	x_case_list(f, &q, 0, 50, 2, "k1 k5");
	q.now = 101;
	x_case_list(f, &q, 0, 50, 1, "k1");
	/* my cases, open and all; another's */
	q = (struct hh_case_filter){ .org_id = org, .assigned_to = u1.id,
				     .open_only = 1 };
	x_case_list(f, &q, 0, 50, 2, "k1 k4");
	q.open_only = 0;
	x_case_list(f, &q, 0, 50, 3, "k1 k3 k4");
	q = (struct hh_case_filter){ .org_id = org, .assigned_to = u2.id,
				     .open_only = 1 };
	x_case_list(f, &q, 0, 50, 1, "k2");
	/* a state, a case type, both */
	q = (struct hh_case_filter){ .org_id = org, .state = "in_progress" };
	x_case_list(f, &q, 0, 50, 2, "k2 k4");
	q = (struct hh_case_filter){ .org_id = org, .case_type_id = t2.id };
	x_case_list(f, &q, 0, 50, 2, "k5 k3");
	q.open_only = 1;
	x_case_list(f, &q, 0, 50, 1, "k5");
	q = (struct hh_case_filter){ .org_id = org, .case_type_id = t1.id,
				     .state = "received", .open_only = 1 };
	x_case_list(f, &q, 0, 50, 1, "k1");
	/* the casework tools: a stage's states, a team, a journal prefix,
	 * some citizens, a case left out */
	q = (struct hh_case_filter){ .org_id = org, .open_only = 1,
				     .states = "[\"received\", \"x\"]" };
	x_case_list(f, &q, 0, 50, 3, "k1 k5 k7");
	q = (struct hh_case_filter){ .org_id = org, .assigned_team = "team-a" };
	x_case_list(f, &q, 0, 50, 1, "k4");
	q = (struct hh_case_filter){ .org_id = org, .journal_prefix = "02.34" };
	x_case_list(f, &q, 0, 50, 2, "k2 k4");
	q = (struct hh_case_filter){ .org_id = org, .journal_prefix = "24" };
	x_case_list(f, &q, 0, 50, 1, "k1");
	char *ids = hh_arena_printf(&f->a, "[%lld]", (long long)ca.id);
	q = (struct hh_case_filter){ .org_id = org, .citizen_ids = ids };
	x_case_list(f, &q, 0, 50, 3, "k1 k5 k3");
	q = (struct hh_case_filter){ .org_id = org, .citizen_id = ca.id,
				     .exclude_id = k[0].id,
				     .sort = HH_SORT_NEWEST };
	x_case_list(f, &q, 0, 50, 2, "k5 k3");
	q = (struct hh_case_filter){ .citizen_id = ca.id, .sort = HH_SORT_NEWEST };
	x_case_list(f, &q, 0, 50, 4, "k6 k5 k3 k1");
	q = (struct hh_case_filter){ .public_id = "0123456789abcdef01234567" };
	x_case_list(f, &q, 0, 1, -1, "k4");
	/* p-bench: some cases by id (an id of no case finds nothing), with
	 * the other filters, in the order asked for */
	ids = hh_arena_printf(&f->a, "[%lld, %lld, %lld, 999999]",
			      (long long)k[5].id, (long long)k[2].id,
			      (long long)k[6].id);
	q = (struct hh_case_filter){ .case_ids = ids, .sort = HH_SORT_NEWEST };
	x_case_list(f, &q, 0, 50, 3, "k7 k6 k3");
	q = (struct hh_case_filter){ .case_ids = ids };
	x_case_list(f, &q, 0, 2, 3, "k6 k3");
	q = (struct hh_case_filter){ .case_ids = ids, .org_id = org,
				     .citizen_id = ca.id };
	x_case_list(f, &q, 0, 50, 1, "k3");
	q = (struct hh_case_filter){ .case_ids = "[]" };
	x_case_list(f, &q, 0, 50, 0, "");
	/* p-bench: rows without their form values, and with them */
	struct x_case_rows xd = { .data = 1 };
	hh_buf_init(&xd.b);
	for (int without = 0; without < 2; without++) {
		q = (struct hh_case_filter){ .citizen_id = cb.id,
					     .without_data = without };
		tx = x_begin(f->st, 0);
		assert_int_equal(st->case_list(tx, &f->a, &q, 0, 0, NULL, x_case_row,
					       &xd),
				 HH_OK);
		x_commit(tx);
		assert_string_equal(hh_buf_str(&xd.b), without ? "k2=null k4=null"
							       : "k2={} k4={}");
		xd.b.len = 0;
	}
	hh_buf_clear(&xd.b);

	/* the same shapes again and again with other values: the rows of
	 * each value, also after PostgreSQL plans the shape generically */
	for (int i = 0; i < 8; i++) {
		q = (struct hh_case_filter){ .org_id = i % 2 ? other : org,
					     .open_only = 1 };
		x_case_list(f, &q, 0, 2, i % 2 ? 1 : 5, i % 2 ? "k6" : "k1 k5");
		q = (struct hh_case_filter){ .org_id = org,
					     .assigned_to = i % 2 ? u2.id : u1.id,
					     .open_only = 1 };
		x_case_list(f, &q, 0, 50, i % 2 ? 1 : 2, i % 2 ? "k2" : "k1 k4");
		q = (struct hh_case_filter){ .org_id = org, .overdue_at = 1,
					     .now = i % 2 ? 101 : 350 };
		x_case_list(f, &q, 0, 50, i % 2 ? 1 : 2, i % 2 ? "k1" : "k1 k5");
		q = (struct hh_case_filter){ .org_id = org, .open_only = 1 };
		x_case_list(f, &q, i % 2 ? 3 : 1, 2, 5, i % 2 ? "k4 k7" : "k5 k2");
	}

	/* the state's label from the definition; the key where it has none */
	q = (struct hh_case_filter){ .org_id = org };
	x_case_labels(f, &q, "k1/Modtaget k5/x k3/received k2/Under behandling "
			     "k4/Under behandling k7/received");
	/* p-bench: without labels, the key (the caller labels from the
	 * definition), the other columns as before */
	q.without_labels = 1;
	x_case_labels(f, &q, "k1/received k5/x k3/received k2/in_progress "
			     "k4/in_progress k7/received");
	q.without_labels = 0;
	q.case_ids = hh_arena_printf(&f->a, "[%lld]", (long long)k[1].id);
	x_case_labels(f, &q, "k2/Under behandling");
	q.without_labels = 1;
	x_case_labels(f, &q, "k2/in_progress");
	q.without_labels = 0;
	q.case_ids = NULL;
	tx = x_begin(st, 0);
	struct hh_case got;
	assert_int_equal(st->case_get(tx, &f->a, k[1].id, &got), HH_OK);
	assert_string_equal(got.state_label, "Under behandling");
	assert_string_equal(got.case_type_code, "t1");
	assert_string_equal(got.case_type_name, "T1");
	assert_string_equal(got.assigned_name, "U2");
	assert_string_equal(got.citizen_name, "Bo");
	assert_int_equal(got.paused_since, 50);
	assert_int_equal(st->case_get(tx, &f->a, k[6].id, &got), HH_OK);
	assert_string_equal(got.state_label, "received");
	x_commit(tx);
}

/* review2 (pg-ssi, 0032): a file or an idempotency key for a case that
 * does not exist. store.h makes it the caller's duty (the case must
 * exist, inserted or read in the same transaction: the domain's
 * submission and a case's answer are the only writers), since 0032
 * dropped PostgreSQL's references (their checks made concurrent
 * submissions fail) while SQLite keeps them. This case pins what each
 * backend does, so that a change to either (PostgreSQL's references
 * back, SQLite's dropped) is seen and store.h's words revisited. */
static void t_review_orphan_refs(void **state)
{
	struct x_fx *f = *state;
	struct hh_store *st = f->st;
	int checks = strcmp(backend->name, "postgres") != 0;
	struct hh_tx *tx = x_begin(st, 1);
	int64_t id = 0;
	enum hh_rc rc = st->case_file_insert(tx, 987654, "bilag", "x.pdf",
					     "application/pdf", "x", 1, &id);
	st->tx_rollback(tx);
	if (checks)
		assert_int_not_equal(rc, HH_OK);
	else
		assert_int_equal(rc, HH_OK); /* not checked: store.h */
	tx = x_begin(st, 1);
	rc = st->idempotency_put(tx, "citizen:1", "k-orphan", 987654, "h");
	st->tx_rollback(tx);
	if (checks)
		assert_int_not_equal(rc, HH_OK);
	else
		assert_int_equal(rc, HH_OK); /* not checked: store.h */
}
