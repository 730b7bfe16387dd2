/* store_suite_figures.c - pg-port: the store suite's cases for the service
 * figures (store.h's figures and fig-hist blocks): facts written, replaced
 * and listed by filter; aggregates added up and summed by grouping; the
 * daily lists of processing times merged, counted and ranked; the search
 * log's counts (with s-trap's guides and forms chosen) and what the fold
 * has counted; the event scan. Every backend must give the same figures,
 * so the expected values are written out here, not read from SQLite.
 * #included by store_suite.c. */

#include <math.h>

/* ---- facts ---------------------------------------------------------------- */

static enum hh_rc x_fig_inq_id(void *p, const struct hh_fig_inquiry_fact *f)
{
	hh_buf_printf(p, "%lld;", (long long)f->id);
	return HH_OK;
}

static enum hh_rc x_fig_case_id(void *p, const struct hh_fig_case_fact *f)
{
	hh_buf_printf(p, "%lld:%s;", (long long)f->id, f->ref ? f->ref : "-");
	return HH_OK;
}

/* key:n/sum; for fig_agg_sum and fig_article_sum */
static enum hh_rc x_fig_agg(void *p, const char *key, int64_t n, double sum)
{
	hh_buf_printf(p, "%s:%lld/%g;", key, (long long)n, sum);
	return HH_OK;
}

static struct hh_fig_filter x_fig_filter(int64_t org, int from, int to)
{
	struct hh_fig_filter f = { .org_id = org, .from_day = from,
				   .to_day = to };
	return f;
}

/* The inquiries' facts listed for filter q (before, limit), as "id;" */
static void x_fig_inq_list(struct x_fx *f, struct hh_fig_filter q,
			   int64_t before, int limit, const char *want)
{
	struct hh_buf b;
	hh_buf_init(&b);
	struct hh_tx *tx = x_begin(f->st, 0);
	assert_int_equal(f->st->fig_inquiry_list(tx, &f->a, &q, before, limit,
						 x_fig_inq_id, &b),
			 HH_OK);
	x_commit(tx);
	assert_string_equal(hh_buf_str(&b), want);
	hh_buf_clear(&b);
}

static void x_fig_case_list(struct x_fx *f, struct hh_fig_filter q,
			    int decided_only, const char *want)
{
	struct hh_buf b;
	hh_buf_init(&b);
	struct hh_tx *tx = x_begin(f->st, 0);
	assert_int_equal(f->st->fig_case_list(tx, &f->a, &q, decided_only, 0,
					      0, x_fig_case_id, &b),
			 HH_OK);
	x_commit(tx);
	assert_string_equal(hh_buf_str(&b), want);
	hh_buf_clear(&b);
}

static void x_fig_article_sum(struct x_fx *f, struct hh_fig_filter q,
			      int what, const char *want)
{
	struct hh_buf b;
	hh_buf_init(&b);
	struct hh_tx *tx = x_begin(f->st, 0);
	assert_int_equal(f->st->fig_article_sum(tx, &q, what, x_fig_agg, &b),
			 HH_OK);
	x_commit(tx);
	assert_string_equal(hh_buf_str(&b), want);
	hh_buf_clear(&b);
}

/* Inquiry, case, chat and feedback facts: written, read back, replaced,
 * listed by filter newest first, summed per article, and emptied by
 * fig_reset. */
static void t_fig_facts(void **state)
{
	struct x_fx *f = *state;
	struct hh_store *st = f->st;
	int64_t org = x_put_org(st, "901", "Nordskov", HH_ORG_MUNICIPALITY);
	int64_t other = x_put_org(st, "902", "Åstrup", HH_ORG_MUNICIPALITY);

	/* a case with a journal number, for the case list's ref */
	struct hh_tx *tx = x_begin(st, 1);
	struct hh_case_type ct = { .code = "flyt", .organisation = "901",
				   .name = "Flytning", .public = 1,
				   .definition = "{}" };
	assert_int_equal(st->case_type_put(tx, &ct), HH_OK);
	struct hh_case k = { .case_type_id = ct.id, .org_id = org,
			     .state = "decided", .data = "{}",
			     .journal_no = "02.34.00-G01-1-26" };
	assert_int_equal(st->case_insert(tx, &k), HH_OK);

	/* inquiries: open, with no first outcome nor callback */
	struct hh_fig_inquiry_fact i1 = {
		.id = 11, .org_id = org, .channel = "phone", .started_at = 1000,
		.day = 20260301, .topic = "02.34", .article_id = 7,
		.outcome = "open", .callback_kept = -1,
	};
	assert_int_equal(st->fig_inquiry_put(tx, &i1), HH_OK);
	x_commit(tx);

	tx = x_begin(st, 1);
	struct hh_fig_inquiry_fact got;
	assert_int_equal(st->fig_inquiry_get(tx, &f->a, 11, &got), HH_OK);
	assert_int_equal(got.org_id, org);
	assert_string_equal(got.channel, "phone");
	assert_int_equal(got.started_at, 1000);
	assert_int_equal(got.day, 20260301);
	assert_string_equal(got.topic, "02.34");
	assert_int_equal(got.article_id, 7);
	assert_string_equal(got.outcome, "open");
	assert_null(got.first_outcome);
	assert_int_equal(got.transfers, 0);
	assert_int_equal(got.callback_due_at, 0);
	assert_int_equal(got.callback_day, 0);
	assert_int_equal(got.callback_kept, -1);
	assert_int_equal(st->fig_inquiry_get(tx, &f->a, 12, &got),
			 HH_ERR_NOT_FOUND);
	/* replaced as a whole: resolved, a callback made late */
	i1.outcome = "resolved_first_contact";
	i1.first_outcome = "resolved_first_contact";
	i1.transfers = 2;
	i1.callback_due_at = 5000;
	i1.callback_day = 20260302;
	i1.callback_kept = 0;
	assert_int_equal(st->fig_inquiry_put(tx, &i1), HH_OK);
	assert_int_equal(st->fig_inquiry_get(tx, &f->a, 11, &got), HH_OK);
	assert_string_equal(got.outcome, "resolved_first_contact");
	assert_string_equal(got.first_outcome, "resolved_first_contact");
	assert_int_equal(got.transfers, 2);
	assert_int_equal(got.callback_due_at, 5000);
	assert_int_equal(got.callback_day, 20260302);
	assert_int_equal(got.callback_kept, 0);
	struct hh_fig_inquiry_fact i2 = {
		.id = 12, .org_id = org, .channel = "chat", .started_at = 2000,
		.day = 20260302, .topic = "02", .article_id = 7,
		.outcome = "transferred", .first_outcome = "transferred",
		.transfers = 1, .callback_kept = -1,
	};
	struct hh_fig_inquiry_fact i3 = {
		.id = 13, .org_id = org, .channel = "phone", .started_at = 3000,
		.day = 20260303, .topic = "021.1", .article_id = 8,
		.outcome = "open", .callback_kept = -1,
	};
	struct hh_fig_inquiry_fact i4 = {
		.id = 14, .org_id = other, .channel = "phone",
		.started_at = 1000, .day = 20260301, .topic = "02.34",
		.article_id = 7, .outcome = "open", .callback_kept = -1,
	};
	assert_int_equal(st->fig_inquiry_put(tx, &i2), HH_OK);
	assert_int_equal(st->fig_inquiry_put(tx, &i3), HH_OK);
	assert_int_equal(st->fig_inquiry_put(tx, &i4), HH_OK);

	/* chats and feedback: inserted once */
	int inserted = -1;
	assert_int_equal(st->fig_chat_put(tx, 31, org, 20260301, 4, &inserted),
			 HH_OK);
	assert_int_equal(inserted, 1);
	assert_int_equal(st->fig_chat_put(tx, 31, org, 20260301, 5, &inserted),
			 HH_OK);
	assert_int_equal(inserted, 0);
	assert_int_equal(st->fig_feedback_put(tx, 21, org, 20260301, 1,
					      "article", 7, "02.34", &inserted),
			 HH_OK);
	assert_int_equal(inserted, 1);
	assert_int_equal(st->fig_feedback_put(tx, 21, org, 20260301, 0,
					      "article", 7, "02.34", &inserted),
			 HH_OK);
	assert_int_equal(inserted, 0);
	assert_int_equal(st->fig_feedback_put(tx, 22, org, 20260302, 0,
					      "article", 7, "03", &inserted),
			 HH_OK);
	assert_int_equal(inserted, 1);
	assert_int_equal(st->fig_feedback_put(tx, 23, org, 20260302, 1,
					      "search", 0, NULL, &inserted),
			 HH_OK);
	assert_int_equal(inserted, 1);

	/* cases: one decided (with its case row), one open (none) */
	struct hh_fig_case_fact c1 = {
		.id = k.id, .org_id = org, .case_type = "flyt",
		.channel = "self_service", .topic = "02.34",
		.submitted_at = 1000, .day = 20260301, .state = "decided",
		.paused_s = 60, .deadline_days = 10, .closed_at = 109060,
		.decided = 1, .decided_day = 20260302, .deadline_day = 20260311,
		.proc_days = 1.25, .within = 1,
	};
	struct hh_fig_case_fact c2 = {
		.id = k.id + 1000, .org_id = org, .case_type = "pas",
		.channel = "assisted", .topic = "", .submitted_at = 2000,
		.day = 20260302, .state = "received", .paused_since = 2500,
		.deadline_days = 5, .deadline_day = 20260307,
	};
	assert_int_equal(st->fig_case_put(tx, &c1), HH_OK);
	assert_int_equal(st->fig_case_put(tx, &c2), HH_OK);
	x_commit(tx);

	tx = x_begin(st, 0);
	struct hh_fig_case_fact cg;
	assert_int_equal(st->fig_case_get(tx, &f->a, k.id, &cg), HH_OK);
	assert_string_equal(cg.case_type, "flyt");
	assert_string_equal(cg.channel, "self_service");
	assert_string_equal(cg.topic, "02.34");
	assert_int_equal(cg.submitted_at, 1000);
	assert_int_equal(cg.day, 20260301);
	assert_string_equal(cg.state, "decided");
	assert_int_equal(cg.paused_s, 60);
	assert_int_equal(cg.deadline_days, 10);
	assert_int_equal(cg.closed_at, 109060);
	assert_int_equal(cg.decided, 1);
	assert_int_equal(cg.decided_day, 20260302);
	assert_int_equal(cg.deadline_day, 20260311);
	assert_true(cg.proc_days == 1.25);
	assert_int_equal(cg.within, 1);
	assert_null(cg.ref); /* lists only */
	assert_int_equal(st->fig_case_get(tx, &f->a, k.id + 1000, &cg), HH_OK);
	assert_int_equal(cg.paused_since, 2500);
	assert_string_equal(cg.topic, "");
	assert_int_equal(st->fig_case_get(tx, &f->a, k.id + 1, &cg),
			 HH_ERR_NOT_FOUND);
	x_commit(tx);

	/* inquiry lists: newest first; a topic matches itself and below */
	struct hh_fig_filter q = x_fig_filter(org, 20260301, 20260303);
	x_fig_inq_list(f, q, 0, 0, "13;12;11;");
	x_fig_inq_list(f, q, 13, 0, "12;11;");
	x_fig_inq_list(f, q, 0, 1, "13;");
	q.channel = "phone";
	x_fig_inq_list(f, q, 0, 0, "13;11;");
	q.channel = NULL;
	q.topic = "02";
	x_fig_inq_list(f, q, 0, 0, "12;11;"); /* not "021.1" */
	q.topic = "02.34";
	x_fig_inq_list(f, q, 0, 0, "11;");
	q = x_fig_filter(org, 20260302, 20260302);
	x_fig_inq_list(f, q, 0, 0, "12;");
	x_fig_inq_list(f, x_fig_filter(other, 20260301, 20260303), 0, 0, "14;");

	/* case lists: by submission day, or decided in the period */
	q = x_fig_filter(org, 20260301, 20260303);
	char want[128];
	snprintf(want, sizeof(want), "%lld:-;%lld:02.34.00-G01-1-26;",
		 (long long)(k.id + 1000), (long long)k.id);
	x_fig_case_list(f, q, 0, want);
	snprintf(want, sizeof(want), "%lld:02.34.00-G01-1-26;",
		 (long long)k.id);
	x_fig_case_list(f, x_fig_filter(org, 20260302, 20260302), 1, want);
	x_fig_case_list(f, x_fig_filter(org, 20260301, 20260301), 1, "");
	q.case_type = "pas";
	snprintf(want, sizeof(want), "%lld:-;", (long long)(k.id + 1000));
	x_fig_case_list(f, q, 0, want);
	q.case_type = NULL;
	q.channel = "assisted";
	x_fig_case_list(f, q, 0, want);
	q.channel = NULL;
	q.topic = "02";
	snprintf(want, sizeof(want), "%lld:02.34.00-G01-1-26;",
		 (long long)k.id);
	x_fig_case_list(f, q, 0, want);

	/* per article: feedback (answers, found); inquiries (n, resolved
	 * at first contact); those with a first outcome */
	q = x_fig_filter(org, 20260301, 20260303);
	x_fig_article_sum(f, q, 0, "7:2/1;");
	x_fig_article_sum(f, q, 1, "7:2/1;8:1/0;");
	x_fig_article_sum(f, q, 2, "7:2/1;");
	q.channel = "chat";
	x_fig_article_sum(f, q, 1, "7:1/0;");
	q.channel = NULL;
	q.topic = "02";
	x_fig_article_sum(f, q, 0, "7:1/1;");
	x_fig_article_sum(f, x_fig_filter(org, 20260304, 20260310), 1, "");

	/* fig_reset empties every fact */
	tx = x_begin(st, 1);
	assert_int_equal(st->fig_reset(tx), HH_OK);
	x_commit(tx);
	tx = x_begin(st, 1);
	assert_int_equal(st->fig_inquiry_get(tx, &f->a, 11, &got),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(st->fig_case_get(tx, &f->a, k.id, &cg),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(st->fig_chat_put(tx, 31, org, 20260301, 4, &inserted),
			 HH_OK);
	assert_int_equal(inserted, 1);
	assert_int_equal(st->fig_feedback_put(tx, 21, org, 20260301, 1,
					      "article", 7, "02.34", &inserted),
			 HH_OK);
	assert_int_equal(inserted, 1);
	x_commit(tx);
	x_fig_inq_list(f, x_fig_filter(org, 20260301, 20260303), 0, 0, "");
}

/* ---- aggregates ------------------------------------------------------------- */

static void x_fig_sum(struct x_fx *f, struct hh_fig_filter q,
		      const char *metric, int group, const char *want)
{
	struct hh_buf b;
	hh_buf_init(&b);
	struct hh_tx *tx = x_begin(f->st, 0);
	assert_int_equal(f->st->fig_agg_sum(tx, &f->a, &q, metric, group,
					    x_fig_agg, &b),
			 HH_OK);
	x_commit(tx);
	if (strcmp(hh_buf_str(&b), want) != 0)
		fail_msg("fig_agg_sum %s group %d: want '%s', got '%s'", metric,
			 group, want, hh_buf_str(&b));
	hh_buf_clear(&b);
}

/* Aggregate rows add up; a total reads the row of the filter's
 * dimensions per day ("" and NULL are '*', a topic counts to its second
 * level); a grouping reads the keys met alone in their dimension. */
static void t_fig_aggregates(void **state)
{
	struct x_fx *f = *state;
	struct hh_store *st = f->st;
	int64_t org = x_put_org(st, "901", "Nordskov", HH_ORG_MUNICIPALITY);
	int64_t other = x_put_org(st, "902", "Åstrup", HH_ORG_MUNICIPALITY);
	static const struct {
		int day;
		const char *ch, *ct, *tp;
		int64_t n;
		double sum;
	} rows[] = {
		{ 20260301, NULL, NULL, NULL, 1, 2.5 },
		{ 20260301, "phone", NULL, NULL, 1, 2.5 },
		{ 20260301, NULL, NULL, "02", 1, 2.5 },
		{ 20260301, NULL, NULL, "02.34", 1, 2.5 },
		{ 20260301, "phone", NULL, "02", 1, 2.5 }, /* two: no key */
		{ 20260302, "", "", "", 2, 1.0 },
		{ 20260302, "chat", NULL, NULL, 2, 1.0 },
		{ 20260302, NULL, NULL, "03", 2, 1.0 },
		{ 20260302, NULL, NULL, "03.01", 2, 1.0 },
		{ 20260301, NULL, NULL, NULL, 1, 0.25 }, /* adds up */
		{ 20260305, NULL, NULL, NULL, 7, 7.0 },  /* outside */
	};
	struct hh_tx *tx = x_begin(st, 1);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		assert_int_equal(st->fig_agg_add(tx, org, "inq", rows[i].day,
						 rows[i].ch, rows[i].ct,
						 rows[i].tp, rows[i].n,
						 rows[i].sum),
				 HH_OK);
	assert_int_equal(st->fig_agg_add(tx, org, "case", 20260301, NULL,
					 "flyt", NULL, 1, 3.0),
			 HH_OK);
	assert_int_equal(st->fig_agg_add(tx, org, "case", 20260301, NULL, NULL,
					 NULL, 1, 3.0),
			 HH_OK);
	assert_int_equal(st->fig_agg_add(tx, other, "inq", 20260301, "phone",
					 NULL, NULL, 5, 5.0),
			 HH_OK);
	x_commit(tx);

	struct hh_fig_filter q = x_fig_filter(org, 20260301, 20260302);
	x_fig_sum(f, q, "inq", HH_FIG_G_TOTAL, ":4/3.75;");
	x_fig_sum(f, x_fig_filter(org, 20260301, 20260301), "inq",
		  HH_FIG_G_TOTAL, ":2/2.75;");
	x_fig_sum(f, q, "none", HH_FIG_G_TOTAL, ":0/0;"); /* always a row */
	x_fig_sum(f, q, "inq", HH_FIG_G_CHANNEL, "chat:2/1;phone:1/2.5;");
	x_fig_sum(f, q, "inq", HH_FIG_G_TOPIC, "02:1/2.5;03:2/1;");
	x_fig_sum(f, q, "inq", HH_FIG_G_DAY, "20260301:2/2.75;20260302:2/1;");
	x_fig_sum(f, q, "case", HH_FIG_G_CASE_TYPE, "flyt:1/3;");
	x_fig_sum(f, q, "inq", HH_FIG_G_CASE_TYPE, "");
	q.channel = "phone";
	x_fig_sum(f, q, "inq", HH_FIG_G_TOTAL, ":1/2.5;");
	x_fig_sum(f, q, "inq", HH_FIG_G_TOPIC, "02:1/2.5;");
	q.channel = NULL;
	q.topic = "02";
	x_fig_sum(f, q, "inq", HH_FIG_G_TOTAL, ":1/2.5;");
	x_fig_sum(f, q, "inq", HH_FIG_G_CHANNEL, "phone:1/2.5;");
	q.topic = "02.34";
	x_fig_sum(f, q, "inq", HH_FIG_G_TOTAL, ":1/2.5;");
	q.topic = "03.01.05"; /* to the second level */
	x_fig_sum(f, q, "inq", HH_FIG_G_TOTAL, ":2/1;");
	x_fig_sum(f, q, "inq", HH_FIG_G_TOPIC, "03:2/1;");
	q.topic = NULL;
	q.case_type = "flyt";
	x_fig_sum(f, q, "case", HH_FIG_G_TOTAL, ":1/3;");
	x_fig_sum(f, x_fig_filter(other, 20260301, 20260302), "inq",
		  HH_FIG_G_CHANNEL, "phone:5/5;");

	tx = x_begin(st, 0);
	assert_int_equal(st->fig_agg_sum(tx, &f->a, &q, "inq", 99, x_fig_agg,
					 NULL),
			 HH_ERR_INVALID);
	x_commit(tx);
}

/* ---- processing times ---------------------------------------------------------- */

static enum hh_rc x_fig_value(void *p, double v)
{
	hh_buf_printf(p, "%.0f;", v * 86400.0);
	return HH_OK;
}

static void x_fig_values(struct x_fx *f, struct hh_fig_filter q,
			 const char *want, int64_t count)
{
	struct hh_buf b;
	hh_buf_init(&b);
	struct hh_tx *tx = x_begin(f->st, 0);
	assert_int_equal(f->st->fig_proc_values(tx, &q, x_fig_value, &b),
			 HH_OK);
	int64_t n = -1;
	assert_int_equal(f->st->fig_proc_count(tx, &q, &n), HH_OK);
	x_commit(tx);
	assert_string_equal(hh_buf_str(&b), want);
	assert_int_equal(n, count);
	hh_buf_clear(&b);
}

/* Each day's list of processing times merges what is added, in order;
 * a period's values come out sorted across days, are counted, and are
 * read by rank without streaming them all. */
static void t_fig_proc(void **state)
{
	struct x_fx *f = *state;
	struct hh_store *st = f->st;
	int64_t org = x_put_org(st, "901", "Nordskov", HH_ORG_MUNICIPALITY);
	static const int32_t a[] = { 100, 300 }, b[] = { 200, 400 },
			     c[] = { 50, 86400 }, d[] = { 1000 };
	struct hh_tx *tx = x_begin(st, 1);
	assert_int_equal(st->fig_proc_add(tx, org, 20260301, NULL, NULL, NULL,
					  a, 2),
			 HH_OK);
	assert_int_equal(st->fig_proc_add(tx, org, 20260302, "", "", "", c, 2),
			 HH_OK);
	assert_int_equal(st->fig_proc_add(tx, org, 20260301, "phone", NULL,
					  "02.34", d, 1),
			 HH_OK);
	x_commit(tx);
	tx = x_begin(st, 1);
	assert_int_equal(st->fig_proc_add(tx, org, 20260301, NULL, NULL, NULL,
					  b, 2),
			 HH_OK);
	x_commit(tx);

	struct hh_fig_filter q = x_fig_filter(org, 20260301, 20260302);
	x_fig_values(f, q, "50;100;200;300;400;86400;", 6);
	x_fig_values(f, x_fig_filter(org, 20260301, 20260301),
		     "100;200;300;400;", 4);
	x_fig_values(f, x_fig_filter(org, 20260303, 20260310), "", 0);
	q.channel = "phone";
	x_fig_values(f, q, "", 0); /* no row of phone and every topic */
	q.topic = "02.34";
	x_fig_values(f, q, "1000;", 1);
	q.topic = "02.34.05"; /* to the second level */
	x_fig_values(f, q, "1000;", 1);

	q = x_fig_filter(org, 20260301, 20260302);
	int64_t rank[] = { 1, 6, 3, 4 };
	double days[4] = { -1, -1, -1, -1 };
	tx = x_begin(st, 0);
	assert_int_equal(st->fig_proc_at(tx, &q, rank, 4, days), HH_OK);
	assert_true(fabs(days[0] * 86400.0 - 50) < 1e-6);
	assert_true(fabs(days[1] - 1.0) < 1e-12);
	assert_true(fabs(days[2] * 86400.0 - 200) < 1e-6);
	assert_true(fabs(days[3] * 86400.0 - 300) < 1e-6);
	int64_t past[] = { 7 };
	assert_int_equal(st->fig_proc_at(tx, &q, past, 1, days),
			 HH_ERR_INVALID);
	x_commit(tx);

	/* fig_reset empties them too */
	tx = x_begin(st, 1);
	assert_int_equal(st->fig_reset(tx), HH_OK);
	x_commit(tx);
	x_fig_values(f, q, "", 0);
}

/* ---- searches ------------------------------------------------------------------- */

static void x_fig_counts(struct x_fx *f, int64_t org, int since, int64_t from,
			 int64_t to, int64_t searches, int64_t none,
			 int64_t weak, int64_t success)
{
	struct hh_fig_search_counts c = { -1, -1, -1, -1 };
	struct hh_tx *tx = x_begin(f->st, 0);
	if (since)
		assert_int_equal(f->st->fig_search_since(tx, org, from, to, &c),
				 HH_OK);
	else
		assert_int_equal(f->st->fig_search(tx, org, from, to, &c),
				 HH_OK);
	x_commit(tx);
	if (c.searches != searches || c.no_result != none || c.weak != weak ||
	    c.success != success)
		fail_msg("fig_search%s: want %lld/%lld/%lld/%lld, got "
			 "%lld/%lld/%lld/%lld", since ? "_since" : "",
			 (long long)searches, (long long)none, (long long)weak,
			 (long long)success, (long long)c.searches,
			 (long long)c.no_result, (long long)c.weak,
			 (long long)c.success);
}

struct x_fig_rows {
	int n;
	char flags[16][4]; /* by search id: no_result, weak, success */
	int64_t org[16];
};

static enum hh_rc x_fig_search_row(void *p, const struct hh_fig_search_row *r)
{
	struct x_fig_rows *c = p;
	assert_true(r->id > 0 && r->id < 16);
	snprintf(c->flags[r->id], sizeof(c->flags[r->id]), "%d%d%d",
		 r->no_result, r->weak, r->success);
	c->org[r->id] = r->org_id;
	c->n++;
	return HH_OK;
}

static struct x_fig_rows x_fig_rows(struct x_fx *f, int64_t before, int limit)
{
	struct x_fig_rows c;
	memset(&c, 0, sizeof(c));
	struct hh_tx *tx = x_begin(f->st, 0);
	assert_int_equal(f->st->fig_search_rows(tx, before, limit,
						x_fig_search_row, &c),
			 HH_OK);
	x_commit(tx);
	return c;
}

static enum hh_rc x_report_row(void *p, const struct hh_search_report_row *r)
{
	hh_buf_printf(p, "%s:%lld/%lld/%lld/%lld;", r->query,
		      (long long)r->searches, (long long)r->with_results,
		      (long long)r->weak, (long long)r->chosen);
	return HH_OK;
}

static enum hh_rc x_chosen_all(void *p, int64_t article_id, int64_t n)
{
	hh_buf_printf(p, "%lld:%lld;", (long long)article_id, (long long)n);
	return HH_OK;
}

/* The search figures: no result, weak (results but nothing chosen, or
 * only weak evidence), success (an article, guide or form chosen from a
 * sure result, and no chat from the visit within a day); the searches
 * the fold may count, marked counted, and the rest counted apart. A
 * guide or form chosen counts as chosen in the editors' report, and the
 * first choice of a search stays (s-trap). */
static void t_fig_search(void **state)
{
	struct x_fx *f = *state;
	struct hh_store *st = f->st;
	int64_t org = x_put_org(st, "901", "Nordskov", HH_ORG_MUNICIPALITY);
	int64_t art = x_insert(st, x_article("pas", 0, "", HH_AUDIENCE_CITIZEN,
					     HH_STATUS_PUBLISHED));
	static const struct {
		const char *query;
		int64_t at, results;
		int strength;
		const char *visit;
		int muni;
	} s[] = {
		{ NULL, 0, 0, 0, NULL, 0 },
		{ "ingen", 1000, 0, 0, NULL, 1 },   /* 1: no result */
		{ "pas", 1100, 3, 2, "v1", 1 },     /* 2: success */
		{ "pas svag", 1200, 3, 1, NULL, 1 }, /* 3: weak, chosen */
		{ "uvalgt", 1300, 2, 2, NULL, 1 },  /* 4: weak, none chosen */
		{ "guide", 1400, 2, 2, NULL, 1 },   /* 5: a guide: success */
		{ "chat", 1500, 2, -1, "v3", 1 },   /* 6: a chat after it */
		{ "delt", 1000, 0, 0, NULL, 0 },    /* 7: no municipality */
		{ "ingen", 5000, 0, 0, NULL, 1 },   /* 8: later */
	};
	struct hh_tx *tx = x_begin(st, 1);
	for (int i = 1; i < 9; i++) {
		struct hh_search_log e = { .id = i, .at = s[i].at,
					   .query = s[i].query,
					   .municipality_id = s[i].muni ? org : 0,
					   .results = s[i].results,
					   .visit = s[i].visit,
					   .strength = s[i].strength };
		assert_int_equal(st->search_log_insert(tx, &e), HH_OK);
	}
	assert_int_equal(st->search_log_choose(tx, 2, art, 1110), HH_OK);
	assert_int_equal(st->search_log_choose(tx, 3, art, 1210), HH_OK);
	assert_int_equal(st->search_log_choose_doc(tx, 5, 1, 4, 1410), HH_OK);
	assert_int_equal(st->search_log_choose(tx, 6, art, 1510), HH_OK);
	/* the first choice stays: neither overwrites the other */
	assert_int_equal(st->search_log_choose_doc(tx, 2, 2, 9, 1120), HH_OK);
	assert_int_equal(st->search_log_choose(tx, 5, art, 1420), HH_OK);
	/* a chat from search 6's visit within the day */
	struct hh_inquiry iq = { .org_id = org, .channel = "chat",
				 .outcome = "open", .started_at = 1600 };
	assert_int_equal(st->inquiry_insert(tx, &iq), HH_OK);
	unsigned char token[32] = { 7 };
	struct hh_chat chat = { .org_id = org, .inquiry_id = iq.id,
				.token_hash = token, .state = "queued",
				.topic = "pas", .created_at = 1600,
				.visit = "v3" };
	assert_int_equal(st->chat_insert(tx, &chat), HH_OK);
	x_commit(tx);

	x_fig_counts(f, org, 0, 0, 2000, 6, 1, 2, 2);
	x_fig_counts(f, org, 0, 1100, 1400, 3, 0, 2, 1); /* [from, to) */
	x_fig_counts(f, org, 0, 2000, 9000, 1, 1, 0, 0);
	x_fig_counts(f, org + 1, 0, 0, 9000, 0, 0, 0, 0);

	/* what the fold may count: made before 2000, any municipality */
	struct x_fig_rows r = x_fig_rows(f, 2000, 0);
	assert_int_equal(r.n, 7);
	assert_string_equal(r.flags[1], "100");
	assert_string_equal(r.flags[2], "001");
	assert_string_equal(r.flags[3], "010");
	assert_string_equal(r.flags[4], "010");
	assert_string_equal(r.flags[5], "001");
	assert_string_equal(r.flags[6], "000");
	assert_string_equal(r.flags[7], "100");
	assert_int_equal(r.org[2], org);
	assert_int_equal(r.org[7], 0);
	assert_int_equal(x_fig_rows(f, 2000, 2).n, 2);

	/* counted by the fold: only the rest is counted apart */
	tx = x_begin(st, 1);
	static const int64_t folded[] = { 1, 2, 3 };
	assert_int_equal(st->fig_search_mark(tx, folded, 3), HH_OK);
	assert_int_equal(st->fig_search_mark(tx, folded, 0), HH_OK);
	x_commit(tx);
	x_fig_counts(f, org, 1, 0, 2000, 3, 0, 1, 1);
	x_fig_counts(f, org, 0, 0, 2000, 6, 1, 2, 2); /* the log as before */
	r = x_fig_rows(f, 2000, 0);
	assert_int_equal(r.n, 4);
	assert_string_equal(r.flags[1], "");
	assert_string_equal(r.flags[4], "010");
	/* fig_reset: nothing is counted any more */
	tx = x_begin(st, 1);
	assert_int_equal(st->fig_reset(tx), HH_OK);
	x_commit(tx);
	x_fig_counts(f, org, 1, 0, 2000, 6, 1, 2, 2);

	/* the editors' report: searches without a sure result or without a
	 * choice; "guide" (a guide chosen) and "pas" are answered */
	struct hh_buf b;
	hh_buf_init(&b);
	tx = x_begin(st, 0);
	assert_int_equal(st->search_report(tx, &f->a, 0, 10, org, 0,
					   x_report_row, &b),
			 HH_OK);
	x_commit(tx);
	assert_string_equal(hh_buf_str(&b), "ingen:2/0/0/0;pas svag:1/0/1/1;"
					    "uvalgt:1/1/0/0;");
	hh_buf_reset(&b);
	/* articles chosen: searches 2, 3 and 6, not 5 (a guide first) */
	tx = x_begin(st, 0);
	assert_int_equal(st->search_chosen_counts(tx, x_chosen_all, &b), HH_OK);
	x_commit(tx);
	char want[64];
	snprintf(want, sizeof(want), "%lld:3;", (long long)art);
	assert_string_equal(hh_buf_str(&b), want);
	hh_buf_clear(&b);
}

/* pg-ssi: the editors' report groups a query however its letters are
 * cased, Danish letters too, on both backends: SQLite's lower() lowers
 * A-Z only, so "Ærø" and "ærø" were two lines there and one on
 * PostgreSQL. */
static void t_search_report_folds_letters(void **state)
{
	struct x_fx *f = *state;
	struct hh_store *st = f->st;
	int64_t org = x_put_org(st, "901", "Nordskov", HH_ORG_MUNICIPALITY);
	const char *q[] = { "Ærø færge", "ærø færge", "ÆRØ FÆRGE", "ærø Færge",
			    "Å", "å" };
	struct hh_tx *tx = x_begin(st, 1);
	for (int i = 0; i < 6; i++) {
		struct hh_search_log e = { .id = i + 1, .at = 1000 + i,
					   .query = q[i],
					   .municipality_id = org };
		assert_int_equal(st->search_log_insert(tx, &e), HH_OK);
	}
	x_commit(tx);
	struct hh_buf b;
	hh_buf_init(&b);
	tx = x_begin(st, 0);
	assert_int_equal(st->search_report(tx, &f->a, 0, 10, org, 0,
					   x_report_row, &b),
			 HH_OK);
	x_commit(tx);
	assert_string_equal(hh_buf_str(&b), "ærø færge:4/0/0/0;å:2/0/0/0;");
	hh_buf_clear(&b);
}

/* ---- the event scan -------------------------------------------------------------- */

static enum hh_rc x_fig_event(void *p, const struct hh_event *e)
{
	hh_buf_printf(p, "%s/%s/%lld/%s/%s;", e->entity, e->action,
		      (long long)e->org_id, e->before ? e->before : "-",
		      e->after ? e->after : "-");
	return HH_OK;
}

/* The fold reads the events after its cursor, oldest first, a batch at
 * a time, and how far behind it is. */
static void t_fig_events(void **state)
{
	struct x_fx *f = *state;
	struct hh_store *st = f->st;
	int64_t org = x_put_org(st, "901", "Nordskov", HH_ORG_MUNICIPALITY);
	struct hh_tx *tx = x_begin(st, 1);
	int64_t start = 0, lag = -1;
	assert_int_equal(st->fig_lag(tx, 0, &lag, &start), HH_OK);
	struct hh_event e[3] = {
		{ .at_us = 1, .actor = "cli", .org_id = org, .entity = "inquiry",
		  .entity_id = 1, .action = "create", .after = "{\"a\":1}" },
		{ .at_us = 2, .actor = "cli", .entity = "article",
		  .entity_id = 2, .action = "update", .before = "{}",
		  .after = "{\"b\":2}" },
		{ .at_us = 3, .actor = "user:1", .org_id = org,
		  .entity = "case", .entity_id = 3, .action = "decide" },
	};
	for (int i = 0; i < 3; i++)
		assert_int_equal(st->event_append(tx, &e[i]), HH_OK);
	x_commit(tx);

	struct hh_buf b;
	hh_buf_init(&b);
	tx = x_begin(st, 0);
	assert_int_equal(st->fig_events(tx, &f->a, start, 2, x_fig_event, &b),
			 HH_OK);
	char want[256];
	snprintf(want, sizeof(want),
		 "inquiry/create/%lld/-/{\"a\":1};article/update/0/{}/{\"b\":2};",
		 (long long)org);
	assert_string_equal(hh_buf_str(&b), want);
	hh_buf_reset(&b);
	assert_int_equal(st->fig_events(tx, &f->a, e[1].id, 0, x_fig_event,
					&b),
			 HH_OK);
	snprintf(want, sizeof(want), "case/decide/%lld/-/-;", (long long)org);
	assert_string_equal(hh_buf_str(&b), want);
	hh_buf_reset(&b);
	assert_int_equal(st->fig_events(tx, &f->a, e[2].id, 0, x_fig_event,
					&b),
			 HH_OK);
	assert_string_equal(hh_buf_str(&b), "");
	int64_t newest = 0;
	assert_int_equal(st->fig_lag(tx, e[0].id, &lag, &newest), HH_OK);
	assert_int_equal(lag, 2);
	assert_int_equal(newest, e[2].id);
	assert_int_equal(st->fig_lag(tx, e[2].id + 100, &lag, &newest), HH_OK);
	assert_int_equal(lag, 0);
	assert_int_equal(newest, e[2].id + 100);
	x_commit(tx);
	hh_buf_clear(&b);
}
