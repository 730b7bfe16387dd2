/* test_figures.c - the service figures (domain/figures.h): each formula
 * on small hand-made event sets with the answer worked out by hand, the
 * fold's figures equal to the formulas run on the same events, rebuild
 * and catch-up, access, the benchmark's anonymity and /metrics' format.
 *
 * Events are written with event_append and explicit times, so that days
 * and deadlines are the ones in the comments; test_figures_flow.c writes
 * them through the domain's own functions. */
#include "testutil.h"

#include <regex.h>

#include "core/dktime.h"
#include "domain/access.h"
#include "domain/figformula.h"
#include "domain/figures.h"
#include "domain/org_fixture.h"

#define USER(org, role)                                                      \
	(&(struct hh_actor){ .label = "user:9", .org_id = (org),            \
			     .org_is_municipality = 1, .roles = (role),     \
			     .user_id = 9 })
#define MANAGER(org) USER(org, HH_ROLE_MANAGER)

struct fx {
	char *dir;
	struct hh_store *st;
	struct hh_arena a;
	int64_t m901, m902, m903, m904, udk;
	int catch_up_each; /* fold after every event (ev) */
};

/* Danish local time "2026-03-20T10:00" as epoch seconds. */
static int64_t dk(const char *s)
{
	int64_t t;
	assert_true(hh_iso8601_parse(s, &t));
	return t;
}

/* A ten-day case type: received -> in_progress -> granted / withdrawn,
 * awaiting_citizen is the pause. */
static const char *const ct_parking =
	"{\"name\":\"Parkeringstilladelse\",\"organisation\":\"municipality\","
	" \"kle\":\"05.13.00\",\"deadline\":\"P10D\",\"public\":true,"
	" \"initial\":\"received\","
	" \"states\":[{\"key\":\"received\",\"label\":\"Modtaget\"},"
	"  {\"key\":\"in_progress\",\"label\":\"Under behandling\"},"
	"  {\"key\":\"awaiting_citizen\",\"label\":\"Afventer dig\",\"paused\":true},"
	"  {\"key\":\"granted\",\"label\":\"Bevilget\",\"final\":true},"
	"  {\"key\":\"withdrawn\",\"label\":\"Trukket tilbage\",\"final\":true}],"
	" \"transitions\":["
	"  {\"from\":\"received\",\"to\":\"in_progress\",\"role\":\"caseworker\"},"
	"  {\"from\":\"in_progress\",\"to\":\"awaiting_citizen\",\"role\":\"caseworker\"},"
	"  {\"from\":\"awaiting_citizen\",\"to\":\"in_progress\",\"role\":\"caseworker\"},"
	"  {\"from\":\"in_progress\",\"to\":\"granted\",\"role\":\"caseworker\"},"
	"  {\"from\":\"received\",\"to\":\"withdrawn\",\"role\":\"caseworker\"}]}";

static const char *const figures_json =
	"{\"minutes_per_contact\":{\"default\":6,\"phone\":6,\"counter\":12},"
	" \"minutes_per_case\":{\"default\":60,\"parkering\":30},"
	" \"hourly_rate\":{\"default\":400,\"901\":600},"
	" \"peer_groups\":[{\"key\":\"m\",\"name\":\"Kommuner\","
	"   \"kind\":\"municipality\"},"
	"  {\"key\":\"a\",\"name\":\"Myndigheder\",\"kind\":\"agency\"}],"
	" \"organisations\":{\"901\":{\"named\":true},\"902\":{\"named\":false},"
	"   \"903\":{\"named\":true}},"
	" \"index\":{\"weights\":{\"fcr\":1,\"transfers\":1},"
	"   \"method\":\"Vægtet gennemsnit.\"}}";

static int setup(void **state)
{
	struct fx *f = hh_xcalloc(1, sizeof(*f));
	OFX_OPEN(f);
	f->m901 = ofx_org(f->st, "901", "Nordskov Kommune", HH_ORG_MUNICIPALITY);
	f->m902 = ofx_org(f->st, "902", "Åstrup Kommune", HH_ORG_MUNICIPALITY);
	f->m903 = ofx_org(f->st, "903", "Vestby Kommune", HH_ORG_MUNICIPALITY);
	f->m904 = ofx_org(f->st, "904", "Hemmelig Kommune", HH_ORG_MUNICIPALITY);
	f->udk = ofx_org(f->st, "udk", "Udbetaling Danmark", HH_ORG_AGENCY);
	struct hh_tx *tx;
	assert_int_equal(f->st->tx_begin(f->st->cls, 1, &tx), HH_OK);
	struct hh_case_type ct = { .code = "parkering", .organisation = "municipality",
				   .name = "Parkeringstilladelse", .public = 1,
				   .definition = ct_parking };
	assert_int_equal(f->st->case_type_put(tx, &ct), HH_OK);
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
	char path[4200];
	snprintf(path, sizeof(path), "%s/figures.json", f->dir);
	tu_write(path, figures_json);
	int n = 0;
	assert_int_equal(hh_figures_config_import(f->st, f->dir, stderr, &n), HH_OK);
	assert_int_equal(n, 1);
	*state = f;
	return 0;
}

OFX_TEARDOWN(fx)

/* One event at Danish time `at`. */
static void ev(struct fx *f, const char *at, const char *actor, int64_t org,
	       const char *entity, int64_t id, const char *action,
	       const char *after)
{
	struct hh_tx *tx;
	assert_int_equal(f->st->tx_begin(f->st->cls, 1, &tx), HH_OK);
	struct hh_event e = { .at_us = dk(at) * 1000000, .actor = actor,
			      .org_id = org, .entity = entity, .entity_id = id,
			      .action = action, .after = after };
	assert_int_equal(f->st->event_append(tx, &e), HH_OK);
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
	if (f->catch_up_each)
		assert_int_equal(hh_figures_catch_up(f->st), HH_OK);
}

static void submit(struct fx *f, int64_t id, const char *at, const char *actor,
		   int64_t org)
{
	ev(f, at, actor, org, "case", id, "submit",
	   "{\"state\":\"received\",\"case_type\":\"parkering\",\"version\":1}");
}

static void move(struct fx *f, int64_t id, const char *at, int64_t org,
		 const char *state)
{
	char after[128];
	snprintf(after, sizeof(after), "{\"state\":\"%s\"}", state);
	ev(f, at, "user:9", org, "case", id, "transition", after);
}

static void summary(struct fx *f, int64_t org, int from, int to,
		    struct hh_fig_value out[HH_FIG__COUNT])
{
	struct hh_fig_query q = { .org_id = org, .from_day = from, .to_day = to };
	assert_int_equal(hh_figures_summary(f->st, MANAGER(org), &f->a, &q, out),
			 HH_OK);
}

/* ---- the formulas, pure ---------------------------------------------- */

static void test_formulas(void **state)
{
	(void)state;
	/* FCR: 2 resolved of 4 with an outcome; the open one and the one
	 * without any outcome are not in the denominator */
	const char *outcomes[] = { "resolved_first_contact", "transferred", NULL,
				   "open", "resolved_first_contact",
				   "callback_promised" };
	struct hh_fig_value v = hh_fig_fcr(outcomes, 6);
	assert_int_equal(v.num, 2);
	assert_int_equal(v.den, 4);
	assert_true(v.has);
	/* transfers: 0 + 2 + 1 over 4 inquiries = 75 per 100 */
	int tr[] = { 0, 2, 1, 0 };
	v = hh_fig_transfers_per_100(tr, 4);
	assert_true(v.value > 74.99 && v.value < 75.01);
	/* callbacks: made on time, made late, never made: 1 of 3 */
	int64_t due[] = { 100, 100, 100 }, made[] = { 100, 101, 0 };
	v = hh_fig_callbacks_kept(due, made, 3);
	assert_int_equal(v.num, 1);
	assert_int_equal(v.den, 3);
	/* nearest rank: 1 2 3 4 -> median (rank 2) 2, p90 (rank 4) 4;
	 * 1 2 3 -> median 2 */
	double s4[] = { 1, 2, 3, 4 }, s3[] = { 1, 2, 3 };
	assert_true(hh_fig_quantile(s4, 4, 0.5).value == 2);
	assert_true(hh_fig_quantile(s4, 4, 0.9).value == 4);
	assert_true(hh_fig_quantile(s3, 3, 0.5).value == 2);
	assert_false(hh_fig_quantile(s3, 0, 0.5).has);
	/* ten days across the switch to summer time (29 March 2026):
	 * submitted 20 March, the deadline is the end of 30 March */
	int64_t sub = dk("2026-03-20T10:00");
	assert_true(hh_fig_within(sub, 10, 0, dk("2026-03-30T23:30")));
	assert_false(hh_fig_within(sub, 10, 0, dk("2026-03-31T00:10")));
	/* a day and an hour paused moves it on by as much */
	assert_true(hh_fig_within(sub, 10, 90000, dk("2026-04-01T00:10")));
	assert_int_equal(hh_fig_day(dk("2026-03-30T23:30")), 20260330);
	assert_int_equal(hh_fig_day(dk("2026-03-31T00:10")), 20260331);
	/* channels */
	assert_string_equal(hh_fig_case_channel("citizen:3", "submit"), "self_service");
	assert_string_equal(hh_fig_case_channel("token:1", "submit"), "self_service");
	assert_string_equal(hh_fig_case_channel("user:2", "submit"), "assisted");
	assert_string_equal(hh_fig_case_channel("user:2", "followup"), "follow_up");
	const char *chs[] = { "self_service", "assisted", "follow_up", "self_service" };
	v = hh_fig_self_service(chs, 4);
	assert_int_equal(v.num, 2);
	assert_int_equal(v.den, 4);
	assert_false(hh_fig_is_decision("withdrawn"));
	assert_true(hh_fig_is_decision("granted"));
	/* weeks: 2026-01-01 is a Thursday of week 1; 2027-01-01 (a Friday)
	 * is in week 53 of 2026 */
	char k[12];
	hh_fig_week_key(20260101, k);
	assert_string_equal(k, "2026-W01");
	hh_fig_week_key(20270101, k);
	assert_string_equal(k, "2026-W53");
}

/* ---- cases ------------------------------------------------------------ */

/* Case 1: submitted 20 March 10:00, granted 30 March 23:30 (the deadline
 * day, after the switch to summer time): within; 10 days 12.5 hours
 * (the clock jumped an hour) = 10.5208 days.
 * Case 2: submitted 20 March 10:00, granted 31 March 00:10: late;
 * 10 days 13 h 10 min = 10.5486 days.
 * Case 3: submitted 2 March 08:00, paused twice (3 March 08:00 - 5 March
 * 08:00 = 2 days, 6 March 08:00 - 7 March 08:00 = 1 day), granted 15
 * March 08:00: 13 days - 3 paused = 10 days; deadline 12 March + 3 days
 * = end of 15 March: within.
 * Case 4: withdrawn: closed without decision, in no processing time.
 * Within: 2 of 3 decisions; median (rank 2 of 10, 10.5208, 10.5486):
 * 10.5208; p90 (rank 3): 10.5486. */
static void cases_march(struct fx *f)
{
	submit(f, 1, "2026-03-20T10:00", "citizen:1", f->m901);
	move(f, 1, "2026-03-21T09:00", f->m901, "in_progress");
	move(f, 1, "2026-03-30T23:30", f->m901, "granted");
	submit(f, 2, "2026-03-20T10:00", "user:4", f->m901);
	move(f, 2, "2026-03-21T09:00", f->m901, "in_progress");
	move(f, 2, "2026-03-31T00:10", f->m901, "granted");
	submit(f, 3, "2026-03-02T08:00", "token:2", f->m901);
	move(f, 3, "2026-03-02T09:00", f->m901, "in_progress");
	ev(f, "2026-03-03T08:00", "user:9", f->m901, "case", 3, "request",
	   "{\"state\":\"awaiting_citizen\"}");
	ev(f, "2026-03-05T08:00", "citizen:1", f->m901, "case", 3, "answer",
	   "{\"state\":\"in_progress\"}");
	move(f, 3, "2026-03-06T08:00", f->m901, "awaiting_citizen");
	move(f, 3, "2026-03-07T08:00", f->m901, "in_progress");
	ev(f, "2026-03-10T08:00", "user:9", f->m901, "case", 3, "note",
	   "{\"state\":\"in_progress\",\"note\":\"x\"}");
	move(f, 3, "2026-03-15T08:00", f->m901, "granted");
	submit(f, 4, "2026-03-25T12:00", "citizen:2", f->m901);
	move(f, 4, "2026-03-26T12:00", f->m901, "withdrawn");
}

static void test_cases(void **state)
{
	struct fx *f = *state;
	cases_march(f);
	struct hh_fig_value v[HH_FIG__COUNT];
	summary(f, f->m901, 20260301, 20260331, v);
	assert_int_equal(v[HH_FIG_CASES].num, 4);
	assert_int_equal(v[HH_FIG_WITHIN_DEADLINE].num, 2);
	assert_int_equal(v[HH_FIG_WITHIN_DEADLINE].den, 3);
	assert_true(v[HH_FIG_PROC_MEDIAN].has);
	double d1 = (dk("2026-03-30T23:30") - dk("2026-03-20T10:00")) / 86400.0;
	double d2 = (dk("2026-03-31T00:10") - dk("2026-03-20T10:00")) / 86400.0;
	/* 10 days 13.5 hours on the clock, one of them lost to summer
	 * time: 10 days 12.5 hours */
	assert_true(d1 > 10.520 && d1 < 10.521);
	assert_true(v[HH_FIG_PROC_MEDIAN].value == d1);
	assert_true(v[HH_FIG_PROC_P90].value == d2);
	/* self-service: the citizen's two and the app's one of four */
	assert_int_equal(v[HH_FIG_SELF_SERVICE].num, 3);
	assert_int_equal(v[HH_FIG_SELF_SERVICE].den, 4);
	/* the same by the formulas on the same events */
	double procs[] = { hh_fig_proc_days(dk("2026-03-02T08:00"), 3 * 86400,
					    dk("2026-03-15T08:00")),
			   d1, d2 };
	assert_true(procs[0] == 10.0);
	struct hh_fig_value m = hh_fig_quantile(procs, 3, 0.5);
	assert_true(m.value == v[HH_FIG_PROC_MEDIAN].value);
	assert_true(hh_fig_within(dk("2026-03-02T08:00"), 10, 3 * 86400,
				  dk("2026-03-15T08:00")));
	/* the decided-in-March filter: in April nothing is decided */
	summary(f, f->m901, 20260401, 20260430, v);
	assert_false(v[HH_FIG_PROC_MEDIAN].has);
	assert_false(v[HH_FIG_WITHIN_DEADLINE].has);
	assert_int_equal(v[HH_FIG_CASES].num, 0);
}

/* ---- inquiries -------------------------------------------------------- */

/* 11: phone, resolved at first contact.
 * 12: phone, transferred, the receiver transfers it on (2 transfers);
 *     FCR stays "transferred".
 * 13: counter, open and never ended: not in FCR's denominator.
 * 14: phone, callback promised for 10 March 12:00, made 10 March 14:00
 *     (late, case created).
 * 15: chat, callback promised for 11 March 12:00, made at 11:00 (kept).
 * FCR 1 of 4; transfers 2 per 5 = 40 per 100; callbacks 1 of 2. */
static void inquiries_march(struct fx *f)
{
	ev(f, "2026-03-09T09:00", "user:9", f->m901, "inquiry", 11, "create",
	   "{\"channel\":\"phone\",\"outcome\":\"resolved_first_contact\","
	   "\"kle\":\"05.13.00\",\"article_id\":7}");
	ev(f, "2026-03-09T09:10", "user:9", f->m901, "inquiry", 12, "create",
	   "{\"channel\":\"phone\",\"outcome\":\"open\"}");
	ev(f, "2026-03-09T09:15", "user:9", f->m901, "inquiry", 12, "outcome",
	   "{\"channel\":\"phone\",\"outcome\":\"transferred\"}");
	ev(f, "2026-03-09T10:00", "user:10", f->m901, "inquiry", 12,
	   "transfer-take", "{\"id\":1,\"taken_by\":\"user:10\"}");
	ev(f, "2026-03-09T10:05", "user:10", f->m901, "inquiry", 12,
	   "transfer-close", "{\"id\":1,\"result\":\"transferred\"}");
	ev(f, "2026-03-09T11:00", "user:9", f->m901, "inquiry", 13, "create",
	   "{\"channel\":\"counter\",\"outcome\":\"open\"}");
	ev(f, "2026-03-10T09:00", "user:9", f->m901, "inquiry", 14, "create",
	   "{\"channel\":\"phone\",\"outcome\":\"callback_promised\","
	   "\"callback_due_at\":\"2026-03-10T11:00:00Z\"}");
	ev(f, "2026-03-10T14:00", "user:9", f->m901, "inquiry", 14, "outcome",
	   "{\"channel\":\"phone\",\"outcome\":\"case_created\","
	   "\"callback_due_at\":\"2026-03-10T11:00:00Z\"}");
	ev(f, "2026-03-11T09:00", "user:9", f->m901, "inquiry", 15, "create",
	   "{\"channel\":\"chat\",\"outcome\":\"callback_promised\","
	   "\"callback_due_at\":\"2026-03-11T11:00:00Z\"}");
	ev(f, "2026-03-11T11:00", "user:9", f->m901, "inquiry", 15, "outcome",
	   "{\"channel\":\"chat\",\"outcome\":\"transferred\"}");
}

static void test_inquiries(void **state)
{
	struct fx *f = *state;
	inquiries_march(f);
	struct hh_fig_value v[HH_FIG__COUNT];
	summary(f, f->m901, 20260301, 20260331, v);
	assert_int_equal(v[HH_FIG_INQUIRIES].num, 5);
	assert_int_equal(v[HH_FIG_FCR].num, 1);
	assert_int_equal(v[HH_FIG_FCR].den, 4);
	/* 12 twice, and 15's callback ended in a transfer: 3 per 5 */
	assert_int_equal(v[HH_FIG_TRANSFERS].num, 3);
	assert_int_equal(v[HH_FIG_TRANSFERS].den, 5);
	assert_true(v[HH_FIG_TRANSFERS].value > 59.99 &&
		    v[HH_FIG_TRANSFERS].value < 60.01);
	assert_int_equal(v[HH_FIG_CALLBACKS_KEPT].num, 1);
	assert_int_equal(v[HH_FIG_CALLBACKS_KEPT].den, 2);
	/* the formulas on the same inquiries agree */
	const char *first[] = { "resolved_first_contact", "transferred", NULL,
				"callback_promised", "callback_promised" };
	int tr[] = { 0, 2, 0, 0, 1 };
	struct hh_fig_value fcr = hh_fig_fcr(first, 5);
	struct hh_fig_value t = hh_fig_transfers_per_100(tr, 5);
	assert_true(fcr.value == v[HH_FIG_FCR].value);
	assert_true(t.value == v[HH_FIG_TRANSFERS].value);
	/* phone only: 11, 12, 14: FCR 1 of 3 */
	struct hh_fig_query q = { .org_id = f->m901, .from_day = 20260301,
				  .to_day = 20260331, .channel = "phone" };
	assert_int_equal(hh_figures_summary(f->st, MANAGER(f->m901), &f->a, &q, v),
			 HH_OK);
	assert_int_equal(v[HH_FIG_FCR].num, 1);
	assert_int_equal(v[HH_FIG_FCR].den, 3);
	/* cost: phone 6 minutes x3, counter 12, chat 6 (default) at 600
	 * kr./hour: (18 + 12 + 6) / 5 = 7.2 minutes = 72 kr. */
	summary(f, f->m901, 20260301, 20260331, v);
	assert_true(v[HH_FIG_COST_INQUIRY].has);
	assert_true(v[HH_FIG_COST_INQUIRY].value > 71.99 &&
		    v[HH_FIG_COST_INQUIRY].value < 72.01);
}

/* ---- chats, rebuild, catch-up --------------------------------------- */

/* A chat rated 2 and then (wrongly) 5: the first counts; another rated
 * 4: mean 3. */
static void test_chat_rating(void **state)
{
	struct fx *f = *state;
	ev(f, "2026-03-09T09:00", "citizen:1", f->m901, "chat", 1, "rating",
	   "{\"rating\":2}");
	ev(f, "2026-03-09T09:01", "citizen:1", f->m901, "chat", 1, "rating",
	   "{\"rating\":5}");
	ev(f, "2026-03-09T10:00", "anonymous", f->m901, "chat", 2, "rating",
	   "{\"rating\":4}");
	struct hh_fig_value v[HH_FIG__COUNT];
	summary(f, f->m901, 20260301, 20260331, v);
	assert_int_equal(v[HH_FIG_CHAT_RATING].den, 2);
	assert_true(v[HH_FIG_CHAT_RATING].value == 3.0);
	double r[] = { 2, 4 };
	assert_true(hh_fig_mean(r, 2).value == v[HH_FIG_CHAT_RATING].value);
}

static void test_rebuild_and_catch_up(void **state)
{
	struct fx *f = *state;
	cases_march(f);
	inquiries_march(f);
	struct hh_fig_value a[HH_FIG__COUNT], b[HH_FIG__COUNT];
	summary(f, f->m901, 20260301, 20260331, a);
	assert_int_equal(hh_figures_rebuild(f->st), HH_OK);
	summary(f, f->m901, 20260301, 20260331, b);
	for (int i = 0; i < HH_FIG__COUNT; i++) {
		assert_int_equal(a[i].has, b[i].has);
		assert_int_equal(a[i].num, b[i].num);
		assert_int_equal(a[i].den, b[i].den);
		assert_true(a[i].value == b[i].value);
	}
	/* a new inquiry after the last read is in the next one */
	ev(f, "2026-03-12T09:00", "user:9", f->m901, "inquiry", 16, "create",
	   "{\"channel\":\"phone\",\"outcome\":\"resolved_first_contact\"}");
	summary(f, f->m901, 20260301, 20260331, b);
	assert_int_equal(b[HH_FIG_INQUIRIES].num, a[HH_FIG_INQUIRIES].num + 1);
	assert_int_equal(b[HH_FIG_FCR].num, a[HH_FIG_FCR].num + 1);
	/* catching up with nothing new changes nothing */
	assert_int_equal(hh_figures_catch_up(f->st), HH_OK);
	summary(f, f->m901, 20260301, 20260331, a);
	assert_int_equal(a[HH_FIG_INQUIRIES].num, b[HH_FIG_INQUIRIES].num);
}

/* ---- access ------------------------------------------------------------ */

static enum hh_rc count_item(void *ctx, const struct hh_fig_item *it)
{
	int *n = ctx;
	(void)it;
	(*n)++;
	return HH_OK;
}

static void test_access(void **state)
{
	struct fx *f = *state;
	inquiries_march(f);
	struct hh_fig_value v[HH_FIG__COUNT];
	struct hh_fig_query q = { .from_day = 20260301, .to_day = 20260331 };
	const struct hh_actor *refused[] = {
		USER(f->m901, HH_ROLE_CASEWORKER), USER(f->m901, HH_ROLE_AGENT),
		USER(f->m901, HH_ROLE_EDITOR),
		&(struct hh_actor){ .label = "citizen:1", .roles = HH_ROLE_CITIZEN,
				    .citizen_id = 1 },
		&(struct hh_actor){ 0 },
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		assert_int_equal(hh_figures_summary(f->st, refused[i], &f->a, &q, v),
				 HH_ERR_FORBIDDEN);
		int n = 0;
		assert_int_equal(hh_figures_drill(f->st, refused[i], &f->a, &q,
						  HH_FIG_FCR, 0, 10, count_item, &n),
				 HH_ERR_FORBIDDEN);
		assert_int_equal(n, 0);
	}
	/* 901's manager and admin see 901's four inquiries with an outcome */
	int n = 0;
	assert_int_equal(hh_figures_drill(f->st, MANAGER(f->m901), &f->a, &q,
					  HH_FIG_FCR, 0, 10, count_item, &n),
			 HH_OK);
	assert_int_equal(n, 4);
	n = 0;
	assert_int_equal(hh_figures_drill(f->st, USER(f->m901, HH_ROLE_ADMIN), &f->a,
					  &q, HH_FIG_INQUIRIES, 0, 10, count_item, &n),
			 HH_OK);
	assert_int_equal(n, 5);
	/* 902's manager asking for 901's: refused, nothing sent */
	q.org_id = f->m901;
	n = 0;
	assert_int_equal(hh_figures_drill(f->st, MANAGER(f->m902), &f->a, &q,
					  HH_FIG_FCR, 0, 10, count_item, &n),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(n, 0);
	assert_int_equal(hh_figures_summary(f->st, MANAGER(f->m902), &f->a, &q, v),
			 HH_ERR_FORBIDDEN);
	/* and their own has none of 901's */
	q.org_id = 0;
	assert_int_equal(hh_figures_drill(f->st, MANAGER(f->m902), &f->a, &q,
					  HH_FIG_INQUIRIES, 0, 10, count_item, &n),
			 HH_OK);
	assert_int_equal(n, 0);
}

/* ---- the benchmark ---------------------------------------------------- */

static void inquiries_fcr(struct fx *f, int64_t org, int64_t id0, int resolved,
			  int n)
{
	for (int i = 0; i < n; i++)
		ev(f, "2026-03-09T09:00", "user:9", org, "inquiry", id0 + i,
		   "create",
		   i < resolved ? "{\"channel\":\"phone\",\"outcome\":"
				  "\"resolved_first_contact\"}"
				: "{\"channel\":\"phone\",\"outcome\":\"transferred\"}");
}

static void test_benchmark(void **state)
{
	struct fx *f = *state;
	/* FCR: 901 3/4, 902 1/4 (anonymous), 903 2/4 (named), 904 4/4 (not
	 * in figures.json: anonymous) */
	inquiries_fcr(f, f->m901, 100, 3, 4);
	inquiries_fcr(f, f->m902, 200, 1, 4);
	inquiries_fcr(f, f->m903, 300, 2, 4);
	inquiries_fcr(f, f->m904, 400, 4, 4);
	struct hh_fig_bench b;
	struct hh_fig_query q = { .from_day = 20260301, .to_day = 20260331 };
	assert_int_equal(hh_figures_benchmark(f->st, MANAGER(f->m902), &f->a, &q, &b),
			 HH_OK);
	assert_string_equal(b.group, "Kommuner");
	const struct hh_fig_bench_row *fcr = NULL;
	for (int i = 0; i < b.n_rows; i++)
		if (b.rows[i].ind == HH_FIG_FCR)
			fcr = &b.rows[i];
	assert_non_null(fcr);
	assert_int_equal(fcr->n_peers, 4); /* not the agency */
	assert_int_equal(fcr->rank, 4);
	assert_int_equal(fcr->ranked, 4);
	assert_true(fcr->min == 0.25 && fcr->max == 1.0);
	assert_true(fcr->median == 0.5); /* nearest rank 2 of 4 */
	/* best first: 904 (anonymous), 901, 903, 902 (the reader) */
	assert_string_equal(fcr->peers[0].name, "Organisation A");
	assert_string_equal(fcr->peers[1].name, "Nordskov Kommune");
	assert_string_equal(fcr->peers[2].name, "Vestby Kommune");
	assert_string_equal(fcr->peers[3].name, "Åstrup Kommune");
	assert_true(fcr->peers[3].own);
	/* seen by 901, 902 did not agree and is never named */
	assert_int_equal(hh_figures_benchmark(f->st, MANAGER(f->m901), &f->a, &q, &b),
			 HH_OK);
	for (int i = 0; i < b.n_rows; i++)
		for (int k = 0; k < b.rows[i].n_peers; k++) {
			assert_string_not_equal(b.rows[i].peers[k].name,
						"Åstrup Kommune");
			assert_string_not_equal(b.rows[i].peers[k].name,
						"Hemmelig Kommune");
		}
	for (int k = 0; k < b.n_index; k++) {
		assert_string_not_equal(b.index[k].name, "Åstrup Kommune");
		assert_string_not_equal(b.index[k].name, "Hemmelig Kommune");
	}
	/* the index: FCR and transfers weigh 1 each; 904 is best at both */
	assert_int_equal(b.n_index, 4);
	assert_string_equal(b.index[0].name, "Organisation A");
	assert_true(b.index[0].v.value == 100.0);
	assert_string_equal(b.method, "Vægtet gennemsnit.");
	assert_int_equal(b.n_weights, 2);
}

/* ---- breakdowns, series, channel mix, cost, service levels ---------- */

struct rows {
	int n;
	char key[16][24];
	struct hh_fig_value v[16];
};

static enum hh_rc row_cb(void *ctx, const struct hh_fig_row *r)
{
	struct rows *x = ctx;
	if (x->n < 16) {
		snprintf(x->key[x->n], sizeof(x->key[0]), "%s", r->key);
		x->v[x->n] = r->v;
	}
	x->n++;
	return HH_OK;
}

static void test_breakdowns(void **state)
{
	struct fx *f = *state;
	cases_march(f);
	inquiries_march(f);
	struct hh_fig_query q = { .from_day = 20260215, .to_day = 20260410 };
	/* within the deadline by month: February and April have no
	 * decision (has 0, still listed), March 2 of 3 */
	struct rows r = { 0 };
	assert_int_equal(hh_figures_breakdown(f->st, MANAGER(f->m901), &f->a, &q,
					      HH_FIG_WITHIN_DEADLINE, HH_FIG_BY_MONTH,
					      row_cb, &r),
			 HH_OK);
	assert_int_equal(r.n, 3);
	assert_string_equal(r.key[0], "2026-02");
	assert_false(r.v[0].has);
	assert_string_equal(r.key[1], "2026-03");
	assert_int_equal(r.v[1].num, 2);
	assert_int_equal(r.v[1].den, 3);
	assert_string_equal(r.key[2], "2026-04");
	assert_false(r.v[2].has);
	/* FCR by channel: chat 0 of 1 (a callback), phone 1 of 3; the
	 * counter's only inquiry has no outcome: no row */
	memset(&r, 0, sizeof(r));
	assert_int_equal(hh_figures_breakdown(f->st, MANAGER(f->m901), &f->a, &q,
					      HH_FIG_FCR, HH_FIG_BY_CHANNEL, row_cb, &r),
			 HH_OK);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.key[0], "chat");
	assert_int_equal(r.v[0].num, 0);
	assert_int_equal(r.v[0].den, 1);
	assert_string_equal(r.key[1], "phone");
	assert_int_equal(r.v[1].num, 1);
	assert_int_equal(r.v[1].den, 3);
	/* self-service by case type: parkering 3 of 4 */
	memset(&r, 0, sizeof(r));
	assert_int_equal(hh_figures_breakdown(f->st, MANAGER(f->m901), &f->a, &q,
					      HH_FIG_SELF_SERVICE, HH_FIG_BY_CASE_TYPE,
					      row_cb, &r),
			 HH_OK);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.key[0], "parkering");
	assert_int_equal(r.v[0].num, 3);
	assert_int_equal(r.v[0].den, 4);
	/* inquiries by KLE group: 11 is 05.13.00; the rest have none */
	memset(&r, 0, sizeof(r));
	assert_int_equal(hh_figures_breakdown(f->st, MANAGER(f->m901), &f->a, &q,
					      HH_FIG_INQUIRIES, HH_FIG_BY_TOPIC, row_cb,
					      &r),
			 HH_OK);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.key[0], "05");
	assert_int_equal(r.v[0].num, 1);
	/* the same as a filter, to the second level */
	struct hh_fig_value v[HH_FIG__COUNT];
	q.topic = "05.13";
	assert_int_equal(hh_figures_summary(f->st, MANAGER(f->m901), &f->a, &q, v),
			 HH_OK);
	assert_int_equal(v[HH_FIG_INQUIRIES].num, 1);
	assert_int_equal(v[HH_FIG_FCR].num, 1);
	q.topic = "06";
	assert_int_equal(hh_figures_summary(f->st, MANAGER(f->m901), &f->a, &q, v),
			 HH_OK);
	assert_int_equal(v[HH_FIG_INQUIRIES].num, 0);
	assert_false(v[HH_FIG_FCR].has);
	q.topic = NULL;
	/* the channel mix: March phone 3, counter 1, chat 1, self-service 3 */
	memset(&r, 0, sizeof(r));
	q.from_day = 20260301;
	q.to_day = 20260331;
	assert_int_equal(hh_figures_channel_mix(f->st, MANAGER(f->m901), &f->a, &q,
						row_cb, &r),
			 HH_OK);
	assert_int_equal(r.n, 7);
	assert_string_equal(r.key[0], "2026-03/phone");
	assert_int_equal(r.v[0].num, 3);
	assert_string_equal(r.key[1], "2026-03/counter");
	assert_int_equal(r.v[1].num, 1);
	assert_string_equal(r.key[2], "2026-03/chat");
	assert_int_equal(r.v[2].num, 1);
	assert_string_equal(r.key[6], "2026-03/self_service");
	assert_int_equal(r.v[6].num, 3);
}

struct levels {
	int n;
	struct hh_fig_level l;
};

static enum hh_rc level_one(void *ctx, const struct hh_fig_level *l)
{
	struct levels *x = ctx;
	x->n++;
	x->l = *l;
	return HH_OK;
}

static void test_cost_and_levels(void **state)
{
	struct fx *f = *state;
	cases_march(f);
	inquiries_march(f);
	/* a baseline in February: 4 phone calls in 28 days; March has 3 in
	 * 31: per day 3/31 against 4/28 = -32.25 % */
	for (int i = 0; i < 4; i++)
		ev(f, "2026-02-10T09:00", "user:9", f->m901, "inquiry", 50 + i, "create",
		   "{\"channel\":\"phone\",\"outcome\":\"resolved_first_contact\"}");
	struct hh_fig_query q = { .from_day = 20260301, .to_day = 20260331 };
	struct hh_fig_cost c;
	assert_int_equal(hh_figures_cost(f->st, MANAGER(f->m901), &f->a, &q, 20260201,
					 20260228, &c),
			 HH_OK);
	assert_true(c.rate == 600);
	/* 4 cases x 30 minutes at 600 kr./hour = 300 kr. a case */
	assert_true(c.per_case.has && c.per_case.value == 300);
	assert_true(c.per_inquiry.value > 71.99 && c.per_inquiry.value < 72.01);
	/* 5 x 72 + 4 x 300 */
	assert_true(c.total > 1559.99 && c.total < 1560.01);
	assert_int_equal(c.n_channels, 3); /* chat, counter, phone */
	assert_string_equal(c.channels[2].key, "phone");
	assert_int_equal(c.channels[2].v.num, 3);
	assert_true(c.channels[2].v.value == 60); /* 6 minutes */
	assert_true(c.calls_change.has);
	double want = (3.0 / 31 - 4.0 / 28) / (4.0 / 28);
	assert_true(c.calls_change.value > want - 1e-9 &&
		    c.calls_change.value < want + 1e-9);
	assert_false(c.visits_change.has); /* no counter visit in February */
	/* public: 901's parking permits, no sign-in */
	struct levels lv = { 0 };
	const char *name = NULL;
	assert_int_equal(hh_figures_service_levels(f->st, &f->a, "901", 20260301,
						   20260331, &name, level_one, &lv),
			 HH_OK);
	assert_string_equal(name, "Nordskov Kommune");
	assert_int_equal(lv.n, 1);
	assert_string_equal(lv.l.case_type, "parkering");
	assert_string_equal(lv.l.deadline, "P10D");
	assert_int_equal(lv.l.deadline_days, 10);
	assert_int_equal(lv.l.decided.num, 3);
	assert_int_equal(lv.l.within.num, 2);
	assert_int_equal(lv.l.within.den, 3);
	assert_true(lv.l.median_days.value ==
		    (dk("2026-03-30T23:30") - dk("2026-03-20T10:00")) / 86400.0);
	/* an agency handles no municipal case type; an unknown code */
	lv.n = 0;
	assert_int_equal(hh_figures_service_levels(f->st, &f->a, "udk", 0, 0, NULL,
						   level_one, &lv),
			 HH_OK);
	assert_int_equal(lv.n, 0);
	assert_int_equal(hh_figures_service_levels(f->st, &f->a, "999", 0, 0, NULL,
						   level_one, &lv),
			 HH_ERR_NOT_FOUND);
}

/* ---- feedback and search ---------------------------------------------- */

/* Writes past the store, on either backend (tu_sql: the SQL both
 * dialects share; stmt may hold several statements). */
static void sql(struct fx *f, const char *stmt)
{
	free(tu_sql(f->dir, stmt, 0, NULL));
}

static void test_found_and_search(void **state)
{
	struct fx *f = *state;
	/* "Fandt du det?": article 7 yes, yes, no; a search page no */
	ev(f, "2026-03-09T09:00", "anonymous", f->m901, "feedback", 1, "create",
	   "{\"found\":true,\"page\":\"article\",\"article_id\":7,\"kle\":\"05.13\"}");
	ev(f, "2026-03-09T09:01", "anonymous", f->m901, "feedback", 2, "create",
	   "{\"found\":true,\"page\":\"article\",\"article_id\":7}");
	ev(f, "2026-03-09T09:02", "anonymous", f->m901, "feedback", 3, "create",
	   "{\"found\":false,\"page\":\"article\",\"article_id\":7}");
	ev(f, "2026-03-09T09:03", "anonymous", f->m901, "feedback", 4, "create",
	   "{\"found\":false,\"page\":\"search\",\"visit\":\"ab12\"}");
	struct hh_fig_value v[HH_FIG__COUNT];
	summary(f, f->m901, 20260301, 20260331, v);
	assert_int_equal(v[HH_FIG_FOUND].num, 2);
	assert_int_equal(v[HH_FIG_FOUND].den, 4);
	struct rows r = { 0 };
	struct hh_fig_query q = { .from_day = 20260301, .to_day = 20260331 };
	assert_int_equal(hh_figures_breakdown(f->st, MANAGER(f->m901), &f->a, &q,
					      HH_FIG_FOUND, HH_FIG_BY_ARTICLE, row_cb, &r),
			 HH_OK);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.key[0], "7");
	assert_int_equal(r.v[0].num, 2);
	assert_int_equal(r.v[0].den, 3);
	/* searches in 901, 9 March (Danish time 10:00 = 09:00 UTC):
	 * 1 no result; 2 results, nothing chosen (weak); 3 chosen, no
	 * visit (success); 4 chosen, visit v1, a chat from v1 two hours
	 * later (not a success); 5 chosen, visit v2, a chat from v2 two
	 * days later (success). Success 2 of 5, no result 1, weak 1. */
	int64_t t = dk("2026-03-09T10:00");
	char stmt[2048];
	snprintf(stmt, sizeof(stmt),
		 "INSERT INTO search_log(id, at, query, municipality_id, results,"
		 " chosen_article_id, visit) VALUES"
		 " (1, %lld, 'a', %lld, 0, NULL, NULL),"
		 " (2, %lld, 'b', %lld, 4, NULL, 'v0'),"
		 " (3, %lld, 'c', %lld, 4, 7, NULL),"
		 " (4, %lld, 'd', %lld, 4, 7, 'v1'),"
		 " (5, %lld, 'e', %lld, 4, 7, 'v2'),"
		 " (6, %lld, 'f', %lld, 4, 7, NULL);"
		 "INSERT INTO inquiries(id, organisation_id, channel, started_at,"
		 " outcome, version, created_at, updated_at) VALUES"
		 " (1, %lld, 'chat', %lld, 'open', 1, 0, 0),"
		 " (2, %lld, 'chat', %lld, 'open', 1, 0, 0);",
		 (long long)t, (long long)f->m901, (long long)t, (long long)f->m901,
		 (long long)t, (long long)f->m901, (long long)t, (long long)f->m901,
		 (long long)t, (long long)f->m901,
		 /* another municipality's search is not 901's */
		 (long long)t, (long long)f->m902, (long long)f->m901, (long long)t,
		 (long long)f->m901, (long long)t);
	sql(f, stmt);
	/* the token hashes as parameters: x'00' is bytes in SQLite and bits
	 * in PostgreSQL */
	snprintf(stmt, sizeof(stmt),
		 "INSERT INTO chats(id, organisation_id, inquiry_id, token_hash, state,"
		 " created_at, queued_at, version, visit) VALUES"
		 " (1, %lld, 1, ?1, 'queued', %lld, 0, 1, 'v1'),"
		 " (2, %lld, 2, ?2, 'queued', %lld, 0, 1, 'v2')",
		 (long long)f->m901, (long long)(t + 7200), (long long)f->m901,
		 (long long)(t + 2 * 86400));
	free(tu_sql(f->dir, stmt, 2,
		    (struct tu_sql_arg[]){ TU_BLOB("\x00", 1), TU_BLOB("\x01", 1) }));
	summary(f, f->m901, 20260301, 20260331, v);
	assert_int_equal(v[HH_FIG_SEARCH_SUCCESS].den, 5);
	assert_int_equal(v[HH_FIG_SEARCH_SUCCESS].num, 2);
	assert_int_equal(v[HH_FIG_SEARCH_NO_RESULT].num, 1);
	assert_int_equal(v[HH_FIG_SEARCH_WEAK].num, 1);
	/* s-rank (0026): a search the engine answered weakly is weak, not a
	 * success, even when an article was chosen */
	snprintf(stmt, sizeof(stmt),
		 "INSERT INTO search_log(id, at, query, municipality_id, results,"
		 " chosen_article_id, visit, strength) VALUES"
		 " (7, %lld, 'g', %lld, 2, 7, NULL, 1)",
		 (long long)t, (long long)f->m901);
	sql(f, stmt);
	summary(f, f->m901, 20260301, 20260331, v);
	assert_int_equal(v[HH_FIG_SEARCH_SUCCESS].den, 6);
	assert_int_equal(v[HH_FIG_SEARCH_SUCCESS].num, 2);
	assert_int_equal(v[HH_FIG_SEARCH_WEAK].num, 2);
	/* the search log knows no channel: with one, no value */
	q.channel = "phone";
	assert_int_equal(hh_figures_summary(f->st, MANAGER(f->m901), &f->a, &q, v),
			 HH_OK);
	assert_false(v[HH_FIG_SEARCH_SUCCESS].has);
}

/* ---- /metrics --------------------------------------------------------- */

static void test_metrics(void **state)
{
	struct fx *f = *state;
	/* today's: in the gauges' 30 days */
	int64_t now = hh_now_us() / 1000000;
	struct hh_tx *tx;
	assert_int_equal(f->st->tx_begin(f->st->cls, 1, &tx), HH_OK);
	struct hh_event e = { .at_us = now * 1000000, .actor = "user:9",
			      .org_id = f->m901, .entity = "inquiry",
			      .entity_id = 1, .action = "create",
			      .after = "{\"channel\":\"phone\",\"outcome\":"
				       "\"resolved_first_contact\"}" };
	assert_int_equal(f->st->event_append(tx, &e), HH_OK);
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
	submit(f, 1, "2026-03-02T08:00", "citizen:1", f->m901);
	struct hh_buf out;
	hh_buf_init(&out);
	assert_int_equal(hh_figures_metrics(f->st, &out), HH_OK);
	assert_non_null(out.data);
	assert_non_null(strstr(out.data, "helhed_fcr_ratio{organisation=\"901\","
					 "channel=\"phone\"} 1\n"));
	assert_non_null(strstr(out.data, "helhed_inquiries_total{organisation=\"901\","
					 "channel=\"phone\"} 1\n"));
	assert_non_null(strstr(out.data, "helhed_cases_total{organisation=\"901\","
					 "case_type=\"parkering\",channel="
					 "\"self_service\"} 1\n"));
	assert_non_null(strstr(out.data, "helhed_fig_lag_events 0\n"));
	/* every line is a comment (HELP/TYPE) or a sample in the text
	 * format; every sample's family has its TYPE before it */
	regex_t sample, help, type;
	assert_int_equal(regcomp(&sample,
				 "^([a-zA-Z_:][a-zA-Z0-9_:]*)"
				 "(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\n]|\\\\[\\\\\"n])*\""
				 "(,[a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\n]|\\\\[\\\\\"n])*\")*)?\\})?"
				 " -?[0-9.e+-]+$",
				 REG_EXTENDED), 0);
	assert_int_equal(regcomp(&help, "^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .+$",
				 REG_EXTENDED), 0);
	assert_int_equal(regcomp(&type, "^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) "
				 "(counter|gauge)$", REG_EXTENDED), 0);
	char *text = hh_xstrdup(out.data), *save = NULL;
	char typed[32][64];
	int n_typed = 0, n_samples = 0;
	for (char *line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		regmatch_t m[2];
		if (!regexec(&type, line, 2, m, 0)) {
			snprintf(typed[n_typed++ % 32], 64, "%.*s",
				 (int)(m[1].rm_eo - m[1].rm_so), line + m[1].rm_so);
			continue;
		}
		if (!regexec(&help, line, 0, NULL, 0))
			continue;
		if (regexec(&sample, line, 2, m, 0))
			fail_msg("not in the text format: %s", line);
		char name[64];
		snprintf(name, sizeof(name), "%.*s", (int)(m[1].rm_eo - m[1].rm_so),
			 line + m[1].rm_so);
		int found = 0;
		for (int i = 0; i < n_typed && i < 32; i++)
			found |= !strcmp(typed[i], name);
		assert_true(found);
		n_samples++;
	}
	assert_true(n_samples >= 5);
	free(text);
	regfree(&sample);
	regfree(&help);
	regfree(&type);
	hh_buf_clear(&out);
}


/* ---- fig-hist: long periods (fig_proc, the search log folded) -------- */

/* The rows of a query as one text ("a|b|c;..."; blobs in hex), NULL
 * when there are none; the caller frees it. On either backend. */
static char *query_text(struct fx *f, const char *q)
{
	return tu_sql_rows(f->dir, q);
}

/* Every row the fold writes, in a stable order: each table by its key,
 * one after the other (one UNION of them mixes a text and an integer in
 * a column, which PostgreSQL refuses). */
static char *fold_tables(struct fx *f)
{
	static const char *const q[] = {
		"SELECT 'agg', org_id, metric, channel, case_type, topic, day, n, "
		"sum FROM fig_agg ORDER BY 2, 3, 4, 5, 6, 7",
		"SELECT 'keys', org_id, metric, dim, key, '', 0, 0, 0 FROM fig_keys "
		"ORDER BY 2, 3, 4, 5",
		"SELECT 'proc', org_id, channel, case_type, topic, day, n, secs, '' "
		"FROM fig_proc ORDER BY 2, 3, 4, 5, 6",
		"SELECT 'search', id, fig_folded, '', '', '', 0, 0, 0 FROM "
		"search_log ORDER BY 2",
	};
	struct hh_buf b;
	hh_buf_init(&b);
	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		char *t = query_text(f, q[i]);
		if (t)
			hh_buf_printf(&b, "%s", t);
		free(t);
	}
	char *out = b.len ? hh_xstrdup(hh_buf_str(&b)) : NULL;
	hh_buf_clear(&b);
	return out;
}

static void proc_add(struct fx *f, int day, const char *channel,
		     const int32_t *secs, int n)
{
	struct hh_tx *tx;
	assert_int_equal(f->st->tx_begin(f->st->cls, 1, &tx), HH_OK);
	assert_int_equal(f->st->fig_proc_add(tx, f->m901, day, channel, NULL, NULL,
					     secs, n),
			 HH_OK);
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
}

struct vals {
	int n;
	double v[16];
};

static enum hh_rc val_cb(void *ctx, double v)
{
	struct vals *x = ctx;
	if (x->n < 16)
		x->v[x->n] = v;
	x->n++;
	return HH_OK;
}

static struct vals proc_values(struct fx *f, int from, int to,
			       const char *channel)
{
	struct vals x = { 0 };
	struct hh_fig_filter flt = { .org_id = f->m901, .from_day = from,
				     .to_day = to, .channel = channel };
	struct hh_tx *tx;
	assert_int_equal(f->st->tx_begin(f->st->cls, 0, &tx), HH_OK);
	assert_int_equal(f->st->fig_proc_values(tx, &flt, val_cb, &x), HH_OK);
	f->st->tx_rollback(tx);
	return x;
}

static int i32_cmp(const void *x, const void *y)
{
	int32_t a = *(const int32_t *)x, b = *(const int32_t *)y;
	return a < b ? -1 : a > b;
}

struct sorted {
	int n, cap;
	double *v;
};

static enum hh_rc all_cb(void *ctx, double v)
{
	struct sorted *x = ctx;
	if (x->n == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 256;
		x->v = hh_xrealloc(x->v, (size_t)x->cap * sizeof(*x->v));
	}
	x->v[x->n++] = v;
	return HH_OK;
}

/* The store's lists of processing times: rows merged in order (a tie
 * across two writes), days of a period together in order, the radix
 * sort's top bits (40,000,000 s > 2^22), a day range that starts and
 * ends inside the rows, a channel's own row, nothing. */
static void test_proc_lists(void **state)
{
	struct fx *f = *state;
	int32_t a[] = { 5, 86400 }, b[] = { 3, 86400 }, c[] = { 40000000 },
		d[] = { 7 }, e[] = { 100 };
	proc_add(f, 20260310, NULL, a, 2);
	proc_add(f, 20260310, NULL, b, 2);
	proc_add(f, 20260331, NULL, c, 1);
	proc_add(f, 20260401, NULL, d, 1);
	proc_add(f, 20260310, "phone", e, 1);
	char *row = query_text(f, "SELECT n, secs FROM fig_proc WHERE "
				  "channel = '*' AND day = 20260310");
	/* 3, 5, 86400, 86400 as 4-byte little-endian integers */
	assert_string_equal(row, "4|03000000050000008051010080510100|;");
	free(row);
	struct vals x = proc_values(f, 20260310, 20260331, NULL);
	assert_int_equal(x.n, 5);
	double want[] = { 3, 5, 86400, 86400, 40000000 };
	for (int i = 0; i < 5; i++)
		assert_true(x.v[i] == want[i] / 86400.0);
	/* nearest rank: median rank 3 = one day (a tie), p90 rank 5 */
	assert_true(hh_fig_quantile(x.v, x.n, 0.5).value == 1.0);
	assert_true(hh_fig_quantile(x.v, x.n, 0.9).value == 40000000 / 86400.0);
	x = proc_values(f, 20260331, 20260415, NULL);
	assert_int_equal(x.n, 2);
	assert_true(x.v[0] == 7 / 86400.0 && x.v[1] == 40000000 / 86400.0);
	x = proc_values(f, 20260311, 20260330, NULL);
	assert_int_equal(x.n, 0);
	x = proc_values(f, 20260301, 20260430, "phone");
	assert_int_equal(x.n, 1);
	assert_true(x.v[0] == 100 / 86400.0);
	/* the values at ranks (medians and percentiles read these) equal
	 * the sorted list's, n = 1 included */
	struct hh_fig_filter one = { .org_id = f->m901, .from_day = 20260401,
				     .to_day = 20260401 };
	struct hh_tx *tx;
	int64_t cnt, r1 = 1;
	double at;
	assert_int_equal(f->st->tx_begin(f->st->cls, 0, &tx), HH_OK);
	assert_int_equal(f->st->fig_proc_count(tx, &one, &cnt), HH_OK);
	assert_int_equal(cnt, 1);
	assert_int_equal(f->st->fig_proc_at(tx, &one, &r1, 1, &at), HH_OK);
	assert_true(at == 7 / 86400.0);
	f->st->tx_rollback(tx);
	/* 3,000 values with many ties over 30 days, in random order: every
	 * rank selected equals the sorted list's (sorted by radix here,
	 * selected by partition there) */
	uint64_t seed = 88172645463325252ull;
	for (int day = 20260501; day <= 20260530; day++) {
		int32_t vs[100];
		for (int i = 0; i < 100; i++) {
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			/* ties: a tenth of the values are 86400, the rest
			 * spread up to 2^31 - 1 */
			vs[i] = seed % 10 == 0 ? 86400 : (int32_t)(seed % 2147483647u);
		}
		qsort(vs, 100, sizeof(vs[0]), i32_cmp);
		proc_add(f, day, NULL, vs, 100);
	}
	struct hh_fig_filter may = { .org_id = f->m901, .from_day = 20260501,
				     .to_day = 20260531 };
	struct sorted all = { 0 };
	assert_int_equal(f->st->tx_begin(f->st->cls, 0, &tx), HH_OK);
	assert_int_equal(f->st->fig_proc_values(tx, &may, all_cb, &all), HH_OK);
	assert_int_equal(all.n, 3000);
	for (int i = 1; i < all.n; i++)
		assert_true(all.v[i - 1] <= all.v[i]);
	assert_int_equal(f->st->fig_proc_count(tx, &may, &cnt), HH_OK);
	assert_int_equal(cnt, 3000);
	for (int64_t r = 1; r <= 3000; r += 7) {
		int64_t ranks[2] = { r, 3001 - r };
		double got[2];
		assert_int_equal(f->st->fig_proc_at(tx, &may, ranks, 2, got), HH_OK);
		assert_true(got[0] == all.v[r - 1]);
		assert_true(got[1] == all.v[3000 - r]);
	}
	int64_t bad = 3001;
	assert_int_equal(f->st->fig_proc_at(tx, &may, &bad, 1, &at), HH_ERR_INVALID);
	f->st->tx_rollback(tx);
	free(all.v);
	/* the formula the fold keeps them by */
	assert_int_equal(hh_fig_proc_seconds(1000, 100, 1500), 400);
	assert_int_equal(hh_fig_proc_seconds(1000, 600, 1500), 0);
	assert_true(hh_fig_proc_days(1000, 100, 1500) == 400 / 86400.0);
}

/* April: two decisions of exactly 10 days, as case 3's in March (ties),
 * both at the desk (assisted). */
static void cases_april(struct fx *f)
{
	submit(f, 5, "2026-04-01T10:00", "user:4", f->m901);
	move(f, 5, "2026-04-02T09:00", f->m901, "in_progress");
	move(f, 5, "2026-04-11T10:00", f->m901, "granted");
	submit(f, 6, "2026-04-02T10:00", "user:4", f->m901);
	move(f, 6, "2026-04-03T09:00", f->m901, "in_progress");
	move(f, 6, "2026-04-12T10:00", f->m901, "granted");
}

static void proc_pair(struct fx *f, struct hh_fig_query *q,
		      struct hh_fig_value *median, struct hh_fig_value *p90)
{
	struct hh_fig_value v[HH_FIG__COUNT];
	assert_int_equal(hh_figures_summary(f->st, MANAGER(f->m901), &f->a, q, v),
			 HH_OK);
	*median = v[HH_FIG_PROC_MEDIAN];
	*p90 = v[HH_FIG_PROC_P90];
}

/* Medians and 90th percentiles from fig_proc equal the formula on the
 * decisions worked out by hand (cases_march: 10.0, d1 = 10.5208 on 30
 * March, d2 = 10.5486 on 31 March; cases_april: 10.0 on 11 and 12
 * April): periods that start and end mid-month, one decision, none,
 * ties, a channel and a case-type filter, a monthly series. */
static void test_proc_periods(void **state)
{
	struct fx *f = *state;
	cases_march(f);
	cases_april(f);
	double d1 = hh_fig_proc_days(dk("2026-03-20T10:00"), 0, dk("2026-03-30T23:30"));
	double d2 = hh_fig_proc_days(dk("2026-03-20T10:00"), 0, dk("2026-03-31T00:10"));
	double ten = hh_fig_proc_days(dk("2026-03-02T08:00"), 3 * 86400,
				      dk("2026-03-15T08:00"));
	assert_true(ten == 10.0);
	assert_true(hh_fig_proc_days(dk("2026-04-01T10:00"), 0,
				     dk("2026-04-11T10:00")) == 10.0);
	struct hh_fig_value m, p;
	/* 16-30 March: case 1 alone (n = 1): both are d1 */
	struct hh_fig_query q = { .from_day = 20260316, .to_day = 20260330 };
	proc_pair(f, &q, &m, &p);
	assert_int_equal(m.den, 1);
	assert_true(m.value == d1 && p.value == d1);
	/* 15 March - 30 April: 10, 10, 10, d1, d2: the median (rank 3) is
	 * a tie of three, p90 rank 5 */
	q = (struct hh_fig_query){ .from_day = 20260315, .to_day = 20260430 };
	proc_pair(f, &q, &m, &p);
	double all[] = { ten, 10.0, 10.0, d1, d2 };
	assert_int_equal(m.den, 5);
	assert_true(m.value == hh_fig_quantile(all, 5, 0.5).value);
	assert_true(m.value == 10.0);
	assert_true(p.value == hh_fig_quantile(all, 5, 0.9).value);
	assert_true(p.value == d2);
	/* 16 March - 11 April: d1, d2, 10 (case 5): sorted 10, d1, d2 */
	q = (struct hh_fig_query){ .from_day = 20260316, .to_day = 20260411 };
	proc_pair(f, &q, &m, &p);
	assert_int_equal(m.den, 3);
	assert_true(m.value == d1 && p.value == d2);
	/* 1-10 April: nothing decided */
	q = (struct hh_fig_query){ .from_day = 20260401, .to_day = 20260410 };
	proc_pair(f, &q, &m, &p);
	assert_false(m.has);
	assert_false(p.has);
	/* assisted (case 2, 5, 6): 10, 10, d2 */
	q = (struct hh_fig_query){ .from_day = 20260301, .to_day = 20260430,
				   .channel = "assisted" };
	proc_pair(f, &q, &m, &p);
	assert_int_equal(m.den, 3);
	assert_true(m.value == 10.0 && p.value == d2);
	/* the case type and its KLE to the second level: all five; another
	 * topic: none */
	q = (struct hh_fig_query){ .from_day = 20260301, .to_day = 20260430,
				   .case_type = "parkering", .topic = "05.13" };
	proc_pair(f, &q, &m, &p);
	assert_int_equal(m.den, 5);
	assert_true(m.value == 10.0 && p.value == d2);
	q.topic = "06";
	proc_pair(f, &q, &m, &p);
	assert_false(m.has);
	/* by month: March 10, d1, d2 -> d1; April 10, 10 -> 10 */
	struct rows r = { 0 };
	q = (struct hh_fig_query){ .from_day = 20260301, .to_day = 20260430 };
	assert_int_equal(hh_figures_breakdown(f->st, MANAGER(f->m901), &f->a, &q,
					      HH_FIG_PROC_MEDIAN, HH_FIG_BY_MONTH,
					      row_cb, &r),
			 HH_OK);
	assert_int_equal(r.n, 2);
	assert_true(r.v[0].value == d1 && r.v[0].den == 3);
	assert_true(r.v[1].value == 10.0 && r.v[1].den == 2);
}

static void search_row_sql(struct fx *f, int64_t id, int64_t at, int64_t org,
			   int results, int chosen)
{
	char stmt[512];
	snprintf(stmt, sizeof(stmt),
		 "INSERT INTO search_log(id, at, query, municipality_id, results,"
		 " chosen_article_id) VALUES (%lld, %lld, 'q', %lld, %d, %s)",
		 (long long)id, (long long)at, (long long)org, results,
		 chosen ? "7" : "NULL");
	sql(f, stmt);
}

static struct hh_fig_search_counts raw_search(struct fx *f, int from, int to)
{
	struct hh_fig_search_counts c = { 0 };
	struct hh_tx *tx;
	assert_int_equal(f->st->tx_begin(f->st->cls, 0, &tx), HH_OK);
	assert_int_equal(f->st->fig_search(tx, f->m901, hh_fig_day_start(from),
					   hh_fig_day_start(hh_fig_day_add(to, 1)),
					   &c),
			 HH_OK);
	f->st->tx_rollback(tx);
	return c;
}

static void search_summary(struct fx *f, int from, int to,
			   struct hh_fig_search_counts *out)
{
	struct hh_fig_value v[HH_FIG__COUNT];
	summary(f, f->m901, from, to, v);
	out->searches = v[HH_FIG_SEARCH_SUCCESS].den;
	out->success = v[HH_FIG_SEARCH_SUCCESS].num;
	out->no_result = v[HH_FIG_SEARCH_NO_RESULT].num;
	out->weak = v[HH_FIG_SEARCH_WEAK].num;
	/* one indicator alone (a breakdown's way) agrees */
	struct hh_fig_query q = { .from_day = from, .to_day = to };
	struct rows r = { 0 };
	assert_int_equal(hh_figures_breakdown(f->st, MANAGER(f->m901), &f->a, &q,
					      HH_FIG_SEARCH_WEAK, HH_FIG_BY_MONTH,
					      row_cb, &r),
			 HH_OK);
	int64_t weak = 0;
	for (int i = 0; i < r.n && i < 16; i++)
		weak += r.v[i].num;
	assert_int_equal(weak, out->weak);
}

/* Searches older than a day and an hour are folded into fig_agg, the
 * rest is read from the log; together they equal one count over the
 * log. 1-3 three days ago (no result, weak, success), 4-5 an hour ago
 * (success, no result), 6 four days ago but logged after 4 and 5 (weak;
 * ids are not in time order across instances), 7 another
 * municipality's. Then a search three days old is logged after the
 * fold with a lower id than one folded (another instance's block). */
static void test_search_fold(void **state)
{
	struct fx *f = *state;
	int64_t now = hh_now_us() / 1000000;
	int today = hh_fig_day(now), from = hh_fig_day_add(today, -10);
	search_row_sql(f, 1, now - 3 * 86400, f->m901, 0, 0);
	search_row_sql(f, 2, now - 3 * 86400, f->m901, 3, 0);
	search_row_sql(f, 3, now - 3 * 86400, f->m901, 3, 1);
	search_row_sql(f, 4, now - 3600, f->m901, 3, 1);
	search_row_sql(f, 5, now - 3600, f->m901, 0, 0);
	search_row_sql(f, 6, now - 4 * 86400, f->m901, 2, 0);
	search_row_sql(f, 7, now - 3 * 86400, f->m902, 0, 0);
	struct hh_fig_search_counts c;
	search_summary(f, from, today, &c);
	assert_int_equal(c.searches, 6);
	assert_int_equal(c.success, 2);
	assert_int_equal(c.no_result, 2);
	assert_int_equal(c.weak, 2);
	struct hh_fig_search_counts raw = raw_search(f, from, today);
	assert_true(memcmp(&raw, &c, sizeof(c)) == 0);
	/* the fold has the final ones: all but 4 and 5 */
	char *t = query_text(f, "SELECT id FROM search_log WHERE fig_folded "
				"IS NULL ORDER BY id");
	assert_string_equal(t, "4|;5|;");
	free(t);
	t = query_text(f, "SELECT sum(n), sum(sum) FROM fig_agg WHERE metric = "
			  "'srch' AND org_id = (SELECT id FROM organisations "
			  "WHERE code = '901')");
	assert_string_equal(t, "4|1.0|;");
	free(t);
	/* a period that ends before the last two days: 1-3 and 6 */
	int to = hh_fig_day_add(today, -2);
	search_summary(f, from, to, &c);
	assert_int_equal(c.searches, 4);
	raw = raw_search(f, from, to);
	assert_true(memcmp(&raw, &c, sizeof(c)) == 0);
	/* 8 comes after the fold with a lower id than 6: counted at once
	 * from the log, and folded by the next catch-up */
	sql(f, "UPDATE search_log SET id = 100 WHERE id = 6");
	search_row_sql(f, 6, now - 3 * 86400, f->m901, 4, 1);
	search_summary(f, from, today, &c);
	assert_int_equal(c.searches, 7);
	assert_int_equal(c.success, 3);
	raw = raw_search(f, from, today);
	assert_true(memcmp(&raw, &c, sizeof(c)) == 0);
	t = query_text(f, "SELECT id FROM search_log WHERE fig_folded "
			  "IS NULL ORDER BY id");
	assert_string_equal(t, "4|;5|;");
	free(t);
	/* a rebuild folds the same and stops at the same search */
	char *before = fold_tables(f);
	assert_int_equal(hh_figures_rebuild(f->st), HH_OK);
	char *after = fold_tables(f);
	assert_string_equal(before, after);
	free(before);
	free(after);
	search_summary(f, from, today, &c);
	assert_int_equal(c.searches, 7);
	assert_int_equal(c.weak, 2);
}

/* s-trap (issue 13): a search answered by a guide or a form (chosen_kind,
 * migration 0027) is a search that helped, not a weak one, in the fold
 * into fig_agg and in the count over the log alike. 1 three days ago,
 * a guide chosen (folded); 2 an hour ago, a form chosen (read from the
 * log); 3 three days ago, nothing chosen (weak); 4 an hour ago, a form
 * chosen from a weak result (weak, as an article would be). */
static void test_search_guide_or_form(void **state)
{
	struct fx *f = *state;
	int64_t now = hh_now_us() / 1000000;
	int today = hh_fig_day(now), from = hh_fig_day_add(today, -10);
	search_row_sql(f, 1, now - 3 * 86400, f->m901, 3, 0);
	search_row_sql(f, 2, now - 3600, f->m901, 3, 0);
	search_row_sql(f, 3, now - 3 * 86400, f->m901, 3, 0);
	search_row_sql(f, 4, now - 3600, f->m901, 3, 0);
	sql(f, "UPDATE search_log SET strength = 1 WHERE id = 4");
	struct hh_tx *tx;
	assert_int_equal(f->st->tx_begin(f->st->cls, 1, &tx), HH_OK);
	assert_int_equal(f->st->search_log_choose_doc(tx, 1, 1 /* a guide */, 5,
						      now - 3 * 86400 + 9),
			 HH_OK);
	assert_int_equal(f->st->search_log_choose_doc(tx, 2, 2 /* a form */, 9,
						      now - 3500),
			 HH_OK);
	assert_int_equal(f->st->search_log_choose_doc(tx, 4, 2, 9, now - 3500),
			 HH_OK);
	/* the first choice counts: an article opened later changes nothing */
	assert_int_equal(f->st->search_log_choose(tx, 1, 7, now - 60), HH_OK);
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
	char *t = query_text(f, "SELECT id, chosen_article_id, chosen_kind, "
				"chosen_doc_id FROM search_log ORDER BY id");
	assert_string_equal(t, "1|NULL|1|5|;2|NULL|2|9|;3|NULL|NULL|NULL|;"
			       "4|NULL|2|9|;");
	free(t);
	struct hh_fig_search_counts c;
	search_summary(f, from, today, &c);
	assert_int_equal(c.searches, 4);
	assert_int_equal(c.success, 2);
	assert_int_equal(c.weak, 2);
	assert_int_equal(c.no_result, 0);
	struct hh_fig_search_counts raw = raw_search(f, from, today);
	assert_true(memcmp(&raw, &c, sizeof(c)) == 0);
	/* 1 and 3 are in the fold, as a rebuild folds them */
	t = query_text(f, "SELECT id FROM search_log WHERE fig_folded "
			  "IS NULL ORDER BY id");
	assert_string_equal(t, "2|;4|;");
	free(t);
	char *before = fold_tables(f);
	assert_int_equal(hh_figures_rebuild(f->st), HH_OK);
	char *after = fold_tables(f);
	assert_string_equal(before, after);
	free(before);
	free(after);
	search_summary(f, from, today, &c);
	assert_int_equal(c.success, 2);
	assert_int_equal(c.weak, 2);
}

/* Folding after every event writes exactly the rows a rebuild writes
 * (fig_agg with the per-article answers, fig_keys, fig_proc's lists
 * merged across batches); and fig_proc made from the case facts (the
 * first catch-up after migration 0023) is the same again. */
static void test_incremental_equals_rebuild(void **state)
{
	struct fx *f = *state;
	f->catch_up_each = 1;
	cases_march(f);
	cases_april(f);
	inquiries_march(f);
	ev(f, "2026-03-09T09:00", "anonymous", f->m901, "feedback", 1, "create",
	   "{\"found\":true,\"page\":\"article\",\"article_id\":7,\"kle\":\"05.13\"}");
	ev(f, "2026-03-10T09:00", "anonymous", f->m901, "feedback", 2, "create",
	   "{\"found\":false,\"page\":\"article\",\"article_id\":7}");
	ev(f, "2026-03-10T09:01", "anonymous", f->m901, "feedback", 3, "create",
	   "{\"found\":true,\"page\":\"article\",\"article_id\":12}");
	f->catch_up_each = 0;
	struct hh_fig_value a[HH_FIG__COUNT], b[HH_FIG__COUNT];
	summary(f, f->m901, 20260301, 20260430, a);
	char *inc = fold_tables(f);
	assert_non_null(strstr(inc, "proc|"));
	assert_non_null(strstr(inc, "|art_found|*|7|05|20260309|1|1.0|"));
	assert_int_equal(hh_figures_rebuild(f->st), HH_OK);
	char *re = fold_tables(f);
	assert_string_equal(inc, re);
	summary(f, f->m901, 20260301, 20260430, b);
	for (int i = 0; i < HH_FIG__COUNT; i++) {
		assert_int_equal(a[i].num, b[i].num);
		assert_int_equal(a[i].den, b[i].den);
		assert_true(a[i].value == b[i].value);
	}
	/* a database folded before 0023: no fig_proc rows, no mark */
	sql(f, "DELETE FROM fig_proc; DELETE FROM meta WHERE key = 'figures_proc'");
	assert_int_equal(hh_figures_catch_up(f->st), HH_OK);
	char *filled = fold_tables(f);
	assert_string_equal(inc, filled);
	/* and only once: a second catch-up changes nothing */
	assert_int_equal(hh_figures_catch_up(f->st), HH_OK);
	char *again = fold_tables(f);
	assert_string_equal(inc, again);
	/* per article: 7 yes and no, 12 yes; with topic 05: 7 only */
	struct rows r = { 0 };
	struct hh_fig_query q = { .from_day = 20260301, .to_day = 20260331 };
	assert_int_equal(hh_figures_breakdown(f->st, MANAGER(f->m901), &f->a, &q,
					      HH_FIG_FOUND, HH_FIG_BY_ARTICLE, row_cb, &r),
			 HH_OK);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.key[0], "7");
	assert_int_equal(r.v[0].num, 1);
	assert_int_equal(r.v[0].den, 2);
	assert_string_equal(r.key[1], "12");
	assert_int_equal(r.v[1].num, 1);
	memset(&r, 0, sizeof(r));
	q.topic = "05";
	assert_int_equal(hh_figures_breakdown(f->st, MANAGER(f->m901), &f->a, &q,
					      HH_FIG_FOUND, HH_FIG_BY_ARTICLE, row_cb, &r),
			 HH_OK);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.v[0].den, 1);
	free(inc);
	free(re);
	free(filled);
	free(again);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formulas),
		cmocka_unit_test_setup_teardown(test_cases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inquiries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chat_rating, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rebuild_and_catch_up, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_access, setup, teardown),
		cmocka_unit_test_setup_teardown(test_benchmark, setup, teardown),
		cmocka_unit_test_setup_teardown(test_breakdowns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cost_and_levels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_found_and_search, setup, teardown),
		cmocka_unit_test_setup_teardown(test_metrics, setup, teardown),
		/* fig-hist */
		cmocka_unit_test_setup_teardown(test_proc_lists, setup, teardown),
		cmocka_unit_test_setup_teardown(test_proc_periods, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_fold, setup, teardown),
		/* s-trap */
		cmocka_unit_test_setup_teardown(test_search_guide_or_form, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_incremental_equals_rebuild,
						setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
