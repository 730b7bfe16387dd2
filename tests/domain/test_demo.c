/* test_demo.c - the demo inquiries (domain/demo.h) made from the real
 * content folder: every municipality gets every channel and outcome, about
 * two in three resolved at first contact, known and anonymous citizens,
 * callbacks due today and tomorrow, only working days up to now, an event
 * for every change; made once, and the same for the same time. */
#include "testutil.h"

#include "core/dktime.h"
#include "domain/content.h"
#include "domain/demo.h"
#include "domain/hours.h"
#include "domain/vault.h"

/* Tuesday 3 March 2026, 11:00 Danish time (10:00 UTC) */
#define NOW 1772532000
/* Tuesday 7 April 2026, 11:00 Danish summer time: the week before had
 * Maundy Thursday, Good Friday and Easter Monday */
#define AFTER_EASTER 1775552400
/* Saturday 7 March 2026, 12:00 Danish time: today is no working day */
#define SATURDAY 1772881200

static const char *const channels[] = { "phone", "counter", "chat", "email",
					"web", "letter_reply" };
static const char *const outcomes[] = { "open", "resolved_first_contact",
					"transferred", "case_created",
					"callback_promised" };

struct fx {
	char *dir;
	struct hh_store *st;
	struct hh_arena a;
};

static struct hh_store *demo_store(const char *dir)
{
	struct hh_store *st = tu_store(dir, 2);
	char path[4200], err[512];
	snprintf(path, sizeof(path), "%s/helhed.db", dir);
	assert_int_equal(hh_vault_start(st, NULL, path, err, sizeof(err)), HH_OK);
	struct hh_import_stats stats;
	FILE *errs = tmpfile();
	assert_int_equal(hh_content_import(st, "content", 1, errs, NULL, NULL,
					   &stats),
			 HH_OK);
	fclose(errs);
	assert_true(stats.citizens >= 4);
	/* p-parties (issue 16): the demo's couple, and one citizen with name
	 * and address protection */
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_tx *tx;
	assert_int_equal(st->tx_begin(st->cls, 0, &tx), HH_OK);
	static const struct {
		const char *subject;
		int protected;
	} who[] = { { "demo:demo-mette", 0 }, { "demo:demo-jens", 0 },
		    { "demo:demo-fatima", 1 } };
	for (size_t i = 0; i < sizeof(who) / sizeof(who[0]); i++) {
		struct hh_citizen z;
		int on = -1;
		assert_int_equal(st->citizen_get_by_subject(tx, &a, who[i].subject, &z),
				 HH_OK);
		assert_int_equal(st->citizen_protected_get(tx, z.id, &on), HH_OK);
		assert_int_equal(on, who[i].protected);
	}
	assert_int_equal(st->tx_commit(tx), HH_OK);
	hh_arena_clear(&a);
	return st;
}

static int setup(void **state)
{
	struct fx *f = hh_xcalloc(1, sizeof(*f));
	f->dir = tu_tmpdir();
	f->st = demo_store(f->dir);
	hh_arena_init(&f->a);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	hh_arena_clear(&f->a);
	hh_store_close(f->st);
	tu_rmdir(f->dir);
	free(f);
	return 0;
}

/* ---- reading back ------------------------------------------------------ */

struct hh_inquiry_rows {
	struct hh_arena *a;
	struct hh_inquiry *v;
	size_t n, cap;
};

static enum hh_rc keep(void *p, const struct hh_inquiry *q)
{
	struct hh_inquiry_rows *rows = p;
	TU_PUSH(rows, q);
	return HH_OK;
}

struct list_ctx {
	struct hh_arena *a;
	int64_t org_id;
	void *rows;
};

static enum hh_rc list_tx(struct hh_tx *tx, void *p)
{
	struct list_ctx *l = p;
	struct hh_inquiry_filter f = { .org_id = l->org_id };
	return tx->store->inquiry_list(tx, l->a, &f, 0, 0, NULL, keep, l->rows);
}

struct org_ctx {
	struct hh_arena *a;
	const char *code;
	struct hh_org org;
	const char *email;
	struct hh_user user;
	int64_t events;
};

static enum hh_rc org_tx(struct hh_tx *tx, void *p)
{
	struct org_ctx *c = p;
	enum hh_rc rc = tx->store->org_get_by_code(tx, c->a, c->code, &c->org);
	if (rc == HH_OK && c->email)
		rc = tx->store->user_get_by_email(tx, c->a, c->email, &c->user);
	if (rc == HH_OK)
		rc = tx->store->event_count(tx, &c->events);
	return rc;
}

static struct hh_org org(struct fx *f, const char *code)
{
	struct org_ctx c = { .a = &f->a, .code = code };
	assert_int_equal(hh_store_run_tx(f->st, 0, org_tx, &c), HH_OK);
	return c.org;
}

static int64_t events(struct hh_store *st, struct hh_arena *a)
{
	struct org_ctx c = { .a = a, .code = "901" };
	assert_int_equal(hh_store_run_tx(st, 0, org_tx, &c), HH_OK);
	return c.events;
}

static struct hh_inquiry_rows *inquiries(struct hh_store *st, struct hh_arena *a,
					 int64_t org_id)
{
	struct hh_inquiry_rows *rows = hh_arena_calloc(a, sizeof(*rows));
	rows->a = a;
	struct list_ctx l = { a, org_id, rows };
	assert_int_equal(hh_store_run_tx(st, 0, list_tx, &l), HH_OK);
	return rows;
}

static int64_t day_of(int64_t t)
{
	return hh_dk_local(t) / 86400;
}

static int count(const struct hh_inquiry_rows *r, const char *what, int outcome)
{
	int n = 0;
	for (size_t i = 0; i < r->n; i++)
		n += !strcmp(outcome ? r->v[i].outcome : r->v[i].channel, what);
	return n;
}

/* Counts a chat's messages, its article links and the citizen's. */
struct msg_count {
	int n, links, citizen;
};

static enum hh_rc count_msg(void *p, const struct hh_chat_message *m)
{
	struct msg_count *c = p;
	c->n++;
	c->links += m->article_id != 0;
	c->citizen += !strcmp(m->sender, "citizen");
	return HH_OK;
}

/* Every chat-channel inquiry that ended has a closed chat with its
 * transcript (the citizen's question, the agent's answer, some with an
 * article link), by the inquiry's agent; many are rated. */
static void check_chats(struct fx *f, const char *code,
			const struct hh_inquiry_rows *r)
{
	int chats = 0, links = 0, rated = 0;
	struct hh_tx *tx;
	assert_int_equal(f->st->tx_begin(f->st->cls, 0, &tx), HH_OK);
	for (size_t i = 0; i < r->n; i++) {
		const struct hh_inquiry *q = &r->v[i];
		if (strcmp(q->channel, "chat") || !strcmp(q->outcome, "open"))
			continue;
		struct hh_chat ch;
		if (f->st->chat_get_by_inquiry(tx, &f->a, q->id, &ch) != HH_OK)
			fail_msg("%s: chat inquiry %lld has no chat", code,
				 (long long)q->id);
		assert_string_equal(ch.state, "closed");
		assert_int_equal(ch.agent_id, q->agent_id);
		assert_int_equal(ch.citizen_id, q->citizen_id);
		assert_true(ch.taken_at >= ch.created_at &&
			    ch.closed_at >= ch.taken_at);
		struct msg_count mc = { 0 };
		assert_int_equal(f->st->chat_messages(tx, &f->a, ch.id, 0, 0,
						      count_msg, &mc),
				 HH_OK);
		assert_true(mc.n >= 3 && mc.citizen >= 1);
		chats++;
		links += mc.links;
		rated += ch.rating >= 1 && ch.rating <= 5;
	}
	f->st->tx_rollback(tx);
	if (!chats || !links || !rated)
		fail_msg("%s: %d chats, %d article links, %d rated", code, chats,
			 links, rated);
}

/* What every organisation's demo inquiries must be, at time now. */
static void check_org(struct fx *f, const char *code, int64_t now,
		      int municipality)
{
	struct hh_org o = org(f, code);
	struct hh_inquiry_rows *r = inquiries(f->st, &f->a, o.id);
	assert_true(r->n >= 40);
	check_chats(f, code, r);
	for (size_t i = 0; i < sizeof(channels) / sizeof(*channels); i++) {
		int n = count(r, channels[i], 0);
		if (!municipality && !strcmp(channels[i], "counter"))
			assert_int_equal(n, 0); /* agencies have no counter */
		else if (n == 0)
			fail_msg("%s has no %s inquiry", code, channels[i]);
	}
	for (size_t i = 0; i < sizeof(outcomes) / sizeof(*outcomes); i++)
		if (count(r, outcomes[i], 1) == 0 &&
		    (municipality || strcmp(outcomes[i], "case_created")))
			fail_msg("%s has no %s inquiry", code, outcomes[i]);
	/* first-contact resolution, of the contacts that ended */
	int closed = (int)r->n - count(r, "open", 1);
	double fcr = (double)count(r, "resolved_first_contact", 1) / closed;
	if (fcr < 0.65 || fcr > 0.70)
		fail_msg("%s: first-contact resolution %.3f", code, fcr);

	int64_t today = day_of(now);
	int known = 0, anonymous = 0, due_today = 0, due_tomorrow = 0;
	int64_t oldest = now;
	for (size_t i = 0; i < r->n; i++) {
		const struct hh_inquiry *q = &r->v[i];
		assert_true(q->started_at <= now);
		int64_t day = day_of(q->started_at);
		assert_true((day + 3) % 7 < 5); /* Monday to Friday */
		if (hh_dk_holiday(day))
			fail_msg("%s: an inquiry on %s", code, hh_dk_holiday(day));
		if (q->started_at < oldest)
			oldest = q->started_at;
		if (!strcmp(q->outcome, "open")) {
			assert_int_equal(q->ended_at, 0);
		} else {
			assert_true(q->ended_at >= q->started_at);
			assert_true(q->ended_at <= now);
		}
		known += q->citizen_id != 0;
		anonymous += q->citizen_id == 0;
		assert_true(q->agent_id > 0);
		if (!strcmp(q->outcome, "callback_promised")) {
			assert_true(q->callback_due_at > q->started_at);
			due_today += day_of(q->callback_due_at) == today;
			due_tomorrow += day_of(q->callback_due_at) == today + 1;
		}
		if (!strcmp(q->outcome, "transferred"))
			assert_non_null(q->transfer_reason);
		if (!strcmp(q->outcome, "case_created"))
			assert_true(q->case_id > 0);
	}
	assert_true(known > 0);
	assert_true(anonymous > known);
	if (!due_today || !due_tomorrow)
		fail_msg("%s: callbacks due today %d, tomorrow %d", code, due_today,
			 due_tomorrow);
	/* five working days: back to the Tuesday, or Monday, a week before */
	int64_t weekdays = 0;
	for (int64_t d = day_of(oldest); d <= today; d++)
		weekdays += (d + 3) % 7 < 5 && !hh_dk_holiday(d);
	assert_true(weekdays <= 5);
}

/* ---- the tests --------------------------------------------------------- */

/* ...once, by each organisation's own agents. */
static void every_organisation_gets_a_realistic_week(void **state)
{
	struct fx *f = *state;
	struct hh_demo_stats s;
	int64_t before = events(f->st, &f->a);
	assert_int_equal(hh_demo_inquiries(f->st, "content", NOW, stderr, &s), HH_OK);
	assert_int_equal(s.already, 0);
	assert_int_equal(s.organisations, 6); /* each has a demo agent */
	assert_true(s.inquiries > 500);
	assert_true(s.outcomes > 0);
	assert_true(s.cases > 0);
	check_org(f, "901", NOW, 1);
	check_org(f, "902", NOW, 1);
	check_org(f, "udk", NOW, 0);
	check_org(f, "sktst", NOW, 0);
	check_org(f, "familieretshuset", NOW, 0);
	check_org(f, "skifteretten", NOW, 0);
	/* an event for each inquiry, each callback's result, each case */
	assert_int_equal(events(f->st, &f->a) - before,
			 s.inquiries + s.outcomes + s.cases);

	/* the agent is the organisation's own */
	struct org_ctx c = { .a = &f->a, .code = "udk",
			     .email = "borgerservice@udk.demo" };
	assert_int_equal(hh_store_run_tx(f->st, 0, org_tx, &c), HH_OK);
	assert_true(c.user.roles & HH_ROLE_AGENT);
	struct hh_inquiry_rows *r = inquiries(f->st, &f->a, c.org.id);
	for (size_t i = 0; i < r->n; i++)
		assert_int_equal(r->v[i].agent_id, c.user.id);
	/* a municipality's known callers are its own residents */
	struct hh_org m = org(f, "902");
	r = inquiries(f->st, &f->a, m.id);
	for (size_t i = 0; i < r->n; i++) {
		if (!r->v[i].citizen_id)
			continue;
		struct hh_citizen z;
		struct hh_tx *tx;
		assert_int_equal(f->st->tx_begin(f->st->cls, 0, &tx), HH_OK);
		assert_int_equal(f->st->citizen_get(tx, &f->a, r->v[i].citizen_id, &z),
				 HH_OK);
		f->st->tx_rollback(tx);
		assert_int_equal(z.municipality_id, m.id);
	}

	/* made once: a second call does nothing */
	struct hh_org o = org(f, "901");
	size_t n = inquiries(f->st, &f->a, o.id)->n;
	int64_t ev = events(f->st, &f->a);
	assert_int_equal(hh_demo_inquiries(f->st, "content", NOW + 86400, stderr, &s),
			 HH_OK);
	assert_int_equal(s.already, 1);
	assert_int_equal(s.inquiries, 0);
	assert_int_equal(inquiries(f->st, &f->a, o.id)->n, n);
	assert_int_equal(events(f->st, &f->a), ev);
}

/* The same time gives the same inquiries; a weekend's "today" has none
 * but still callbacks due today and tomorrow. */
static void the_same_time_gives_the_same_inquiries(void **state)
{
	struct fx *f = *state;
	struct hh_demo_stats s;
	assert_int_equal(hh_demo_inquiries(f->st, "content", SATURDAY, stderr, &s),
			 HH_OK);
	check_org(f, "901", SATURDAY, 1);
	check_org(f, "skifteretten", SATURDAY, 0);
	char *dir = tu_tmpdir();
	struct hh_store *other = demo_store(dir);
	assert_int_equal(hh_demo_inquiries(other, "content", SATURDAY, stderr, &s),
			 HH_OK);
	struct hh_org o = org(f, "902");
	struct hh_inquiry_rows *a = inquiries(f->st, &f->a, o.id);
	struct hh_inquiry_rows *b = inquiries(other, &f->a, o.id);
	assert_int_equal(a->n, b->n);
	int64_t today = day_of(SATURDAY);
	for (size_t i = 0; i < a->n; i++) {
		assert_string_equal(a->v[i].channel, b->v[i].channel);
		assert_string_equal(a->v[i].outcome, b->v[i].outcome);
		assert_int_equal(a->v[i].started_at, b->v[i].started_at);
		assert_int_equal(a->v[i].ended_at, b->v[i].ended_at);
		assert_int_equal(a->v[i].citizen_id, b->v[i].citizen_id);
		assert_true(day_of(a->v[i].started_at) < today); /* none today */
	}
	hh_store_close(other);
	tu_rmdir(dir);
}

/* Public holidays are no working days: the five days before Tuesday 7
 * April 2026 go back to Friday 27 March. */
static void holidays_are_no_working_days(void **state)
{
	struct fx *f = *state;
	struct hh_demo_stats s;
	assert_int_equal(hh_demo_inquiries(f->st, "content", AFTER_EASTER, stderr,
					   &s),
			 HH_OK);
	check_org(f, "901", AFTER_EASTER, 1);
	check_org(f, "udk", AFTER_EASTER, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(every_organisation_gets_a_realistic_week,
						setup, teardown),
		cmocka_unit_test_setup_teardown(the_same_time_gives_the_same_inquiries,
						setup, teardown),
		cmocka_unit_test_setup_teardown(holidays_are_no_working_days,
						setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
