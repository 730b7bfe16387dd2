/* test_casework.c - the caseworker's pages over real HTTP: the queue with
 * its filters and deadline marks, one organisation never seeing another's
 * cases, the case page with the form's labels and the audit of the read,
 * and the actions as form posts with CSRF token and version (303 on
 * success, 409 with the Danish message when the version is stale). */
#include "testutil.h"
#include "pages/borger.h"
#include "pages/layout.h"

#define DAY 86400

/* A case type with a choice field, a paused state and a final one. */
static const char CT_DEF[] =
	"{\"name\": \"Ansøgning om testydelse\", \"organisation\": "
	"\"municipality\", \"deadline\": \"P30D\", \"public\": true, "
	"\"initial\": \"received\", \"states\": ["
	"{\"key\": \"received\", \"label\": \"Modtaget\"},"
	"{\"key\": \"in_progress\", \"label\": \"Under behandling\"},"
	"{\"key\": \"awaiting_citizen\", \"label\": \"Afventer dig\", "
	"\"paused\": true},"
	"{\"key\": \"granted\", \"label\": \"Bevilget\", \"final\": true}],"
	"\"transitions\": ["
	"{\"from\": \"received\", \"to\": \"in_progress\", \"role\": "
	"\"agent\", \"label\": \"Start behandling\"},"
	"{\"from\": \"in_progress\", \"to\": \"granted\", \"role\": "
	"\"caseworker\", \"label\": \"Bevil\"}],"
	"\"form\": {\"title\": \"Test\", \"fields\": ["
	"{\"name\": \"hvad\", \"label\": \"Hvad søger du om?\", \"type\": "
	"\"choice\", \"options\": [{\"value\": \"tand\", \"label\": "
	"\"Tandbehandling\"}]},"
	"{\"name\": \"bilag\", \"label\": \"Bilag\", \"type\": \"file\"}]}}";

struct ctx {
	struct tu_server s;
	int64_t fresh, overdue, paused, closed, other; /* case ids */
	int64_t citizen;
	char agent[256], agent_csrf[128];   /* agent@901 */
	char editor[256], editor_csrf[128]; /* editor@901 */
};

struct seed {
	struct ctx *c;
	struct hh_arena a;
};

static enum hh_rc add_case(struct hh_tx *tx, int64_t type, int64_t org,
			   int64_t citizen, const char *state, int64_t created,
			   int64_t deadline, int64_t paused, int64_t closed,
			   int64_t *id)
{
	struct hh_case k = { .case_type_id = type, .org_id = org,
			     .citizen_id = citizen, .state = state,
			     .data = "{\"hvad\": \"tand\", \"bilag\": {\"name\": "
				     "\"regning.pdf\", \"content_type\": "
				     "\"application/pdf\", \"size\": 2048}}",
			     .created_at = created, .deadline_at = deadline,
			     .paused_since = paused, .closed_at = closed };
	enum hh_rc rc = tx->store->case_insert(tx, &k);
	*id = k.id;
	return rc;
}

static enum hh_rc seed_tx(struct hh_tx *tx, void *p)
{
	struct seed *s = p;
	struct hh_store *st = tx->store;
	struct hh_org o901, o902;
	struct hh_case_type ct = { .code = "testydelse", .organisation = "municipality",
				   .name = "Ansøgning om testydelse", .public = 1,
				   .definition = CT_DEF };
	struct hh_citizen z = { .subject = "test:1", .name = "Bodil Borger",
				.cpr = "0101801235" };
	enum hh_rc rc = st->org_get_by_code(tx, &s->a, "901", &o901);
	if (rc == HH_OK)
		rc = st->org_get_by_code(tx, &s->a, "902", &o902);
	if (rc == HH_OK)
		rc = st->case_type_put(tx, &ct);
	z.municipality_id = o901.id;
	if (rc == HH_OK)
		rc = st->citizen_put(tx, &z);
	s->c->citizen = z.id;
	int64_t now = hh_now_us() / 1000000;
	struct ctx *c = s->c;
	if (rc == HH_OK)
		rc = add_case(tx, ct.id, o901.id, z.id, "received", now,
			      now + 20 * DAY, 0, 0, &c->fresh);
	if (rc == HH_OK)
		rc = add_case(tx, ct.id, o901.id, z.id, "received", now - 40 * DAY,
			      now - 10 * DAY, 0, 0, &c->overdue);
	if (rc == HH_OK) /* past its deadline but waiting: not overdue */
		rc = add_case(tx, ct.id, o901.id, z.id, "awaiting_citizen",
			      now - 40 * DAY, now - 2 * DAY, now - 5 * DAY, 0,
			      &c->paused);
	if (rc == HH_OK)
		rc = add_case(tx, ct.id, o901.id, z.id, "granted", now - 40 * DAY,
			      now - 12 * DAY, 0, now - 20 * DAY, &c->closed);
	if (rc == HH_OK)
		rc = add_case(tx, ct.id, o902.id, z.id, "received", now,
			      now + 30 * DAY, 0, 0, &c->other);
	return rc;
}

static int setup(void **state)
{
	struct ctx *c = calloc(1, sizeof(*c));
	tu_server_start(&c->s, 1);
	struct seed s = { .c = c };
	hh_arena_init(&s.a);
	assert_int_equal(hh_store_run_tx(c->s.store, 1, seed_tx, &s), HH_OK);
	hh_arena_clear(&s.a);
	tu_login(&c->s, "agent@901", c->agent, sizeof(c->agent), c->agent_csrf,
		 sizeof(c->agent_csrf));
	tu_login(&c->s, "editor@901", c->editor, sizeof(c->editor),
		 c->editor_csrf, sizeof(c->editor_csrf));
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;
	tu_server_stop(&c->s);
	free(c);
	return 0;
}

static struct tu_resp get(struct ctx *c, const char *path, const char *cookie)
{
	return tu_call(c->s.base, cookie, NULL, "GET", path, NULL, NULL);
}

static struct tu_resp post(struct ctx *c, const char *path, const char *body,
			   const char *cookie)
{
	char url[512];
	snprintf(url, sizeof(url), "%s%s", c->s.base, path);
	const char *h[] = { "Content-Type: application/x-www-form-urlencoded",
			    NULL };
	return tu_http("POST", url, body, h, cookie);
}

static void expect_status(const struct tu_resp *r, long status)
{
	if (r->status != status)
		fprintf(stderr, "unexpected %ld: %.400s\n", r->status, r->body);
	assert_int_equal(r->status, status);
}

#define expect_in tu_expect_in
#define expect_not_in tu_expect_not_in

static const char *case_href(int64_t id)
{
	static char s[64];
	snprintf(s, sizeof(s), "href=\"/sagsbehandling/sag/%lld\"", (long long)id);
	return s;
}

/* ---- the queue -------------------------------------------------------- */

static void test_queue_marks_deadlines(void **state)
{
	struct ctx *c = *state;
	struct tu_resp r = get(c, "/sagsbehandling", c->agent);
	expect_status(&r, 200);
	expect_in(r.body, "<h2 id=\"sager\">3 sager</h2>"); /* open ones */
	expect_in(r.body, case_href(c->fresh));
	expect_in(r.body, case_href(c->overdue));
	expect_in(r.body, case_href(c->paused));
	expect_not_in(r.body, case_href(c->closed));
	expect_not_in(r.body, case_href(c->other)); /* Åstrup's */
	/* overdue: marked by class, a sign and in words */
	expect_in(r.body, "<tr class=\"is-overdue\"><th scope=\"row\">");
	expect_in(r.body, "<strong>overskredet</strong>");
	/* waiting for the citizen: on hold, not overdue, in staff words */
	expect_in(r.body, ">I bero</span>");
	expect_in(r.body, "<td>Afventer borgeren</td>");
	int marked = 0;
	for (const char *q = r.body; (q = strstr(q, "is-overdue")); q++)
		marked++;
	assert_int_equal(marked, 1);
	/* by deadline: the overdue case (10 days ago) first */
	const char *o = strstr(r.body, case_href(c->overdue));
	const char *f = strstr(r.body, case_href(c->fresh));
	assert_true(o < f);
	tu_resp_free(&r);

	r = get(c, "/sagsbehandling?sortering=nyeste", c->agent);
	expect_status(&r, 200);
	assert_true(strstr(r.body, case_href(c->paused)) <
		    strstr(r.body, case_href(c->overdue)));
	expect_in(r.body, "<option value=\"nyeste\" selected>");
	tu_resp_free(&r);
}

static void test_queue_filters(void **state)
{
	struct ctx *c = *state;
	struct tu_resp r = get(c, "/sagsbehandling?overskredet=1", c->agent);
	expect_status(&r, 200);
	expect_in(r.body, "<h2 id=\"sager\">1 sag</h2>");
	expect_in(r.body, case_href(c->overdue));
	expect_in(r.body, "name=\"overskredet\" value=\"1\" checked");
	tu_resp_free(&r);

	/* a final state shows closed cases too */
	r = get(c, "/sagsbehandling?tilstand=granted", c->agent);
	expect_status(&r, 200);
	expect_in(r.body, case_href(c->closed));
	expect_in(r.body, "<option value=\"granted\" selected>Bevilget</option>");
	tu_resp_free(&r);

	/* the paused state by its staff label */
	r = get(c, "/sagsbehandling?tilstand=awaiting_citizen", c->agent);
	expect_status(&r, 200);
	expect_in(r.body, "<option value=\"awaiting_citizen\" selected>Afventer "
			  "borgeren</option>");
	expect_in(r.body, "<h2 id=\"sager\">1 sag</h2>");
	tu_resp_free(&r);

	/* nothing is assigned to the agent yet */
	r = get(c, "/sagsbehandling?mine=1", c->agent);
	expect_status(&r, 200);
	expect_in(r.body, "<h2 id=\"sager\">0 sager</h2>");
	tu_resp_free(&r);

	/* unknown values are dropped, not errors; junk pages are page 1 */
	r = get(c, "/sagsbehandling?tilstand=%3Cx%3E&sagstype=nope&side=-3",
		c->agent);
	expect_status(&r, 200);
	expect_in(r.body, "<h2 id=\"sager\">3 sager</h2>");
	expect_not_in(r.body, "<x>");
	tu_resp_free(&r);
}

static void test_access(void **state)
{
	struct ctx *c = *state;
	char loc[256];
	struct tu_resp r = get(c, "/sagsbehandling", NULL);
	expect_status(&r, 303);
	assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, "/log-ind");
	tu_resp_free(&r);

	r = get(c, "/sagsbehandling", c->editor);
	expect_status(&r, 403);
	expect_in(r.body, "<h1>Ingen adgang</h1>");
	expect_not_in(r.body, "href=\"/sagsbehandling\""); /* no Sager link */
	tu_resp_free(&r);

	char path[128];
	snprintf(path, sizeof(path), "/sagsbehandling/sag/%lld", (long long)c->fresh);
	r = get(c, path, c->editor);
	expect_status(&r, 403);
	tu_resp_free(&r);

	/* another organisation's case is not there at all */
	snprintf(path, sizeof(path), "/sagsbehandling/sag/%lld", (long long)c->other);
	r = get(c, path, c->agent);
	expect_status(&r, 404);
	expect_in(r.body, "<h1>Sagen findes ikke</h1>");
	tu_resp_free(&r);
	char body[256];
	snprintf(body, sizeof(body), "csrf=%s&version=1&tildel=mig", c->agent_csrf);
	snprintf(path, sizeof(path), "/sagsbehandling/sag/%lld/tildeling",
		 (long long)c->other);
	r = post(c, path, body, c->agent);
	expect_status(&r, 404);
	tu_resp_free(&r);

	r = get(c, "/sagsbehandling/sag/abc", c->agent);
	expect_status(&r, 404);
	tu_resp_free(&r);
	r = get(c, "/sagsbehandling/sag/999999", c->agent);
	expect_status(&r, 404);
	tu_resp_free(&r);
}

/* ---- the case page ------------------------------------------------------ */

struct audit_count {
	int n;
	char what[64];
	int matched;
};

static enum hh_rc audit_row(void *p, const struct hh_audit *e)
{
	struct audit_count *a = p;
	a->n++;
	if (!strcmp(e->what, a->what) && !strcmp(e->why, "sagsbehandling"))
		a->matched++;
	return HH_OK;
}

struct audit_ctx {
	int64_t citizen;
	struct audit_count *count;
	struct hh_arena a;
};

static enum hh_rc audit_tx(struct hh_tx *tx, void *p)
{
	struct audit_ctx *x = p;
	x->count->n = x->count->matched = 0;
	return tx->store->audit_list(tx, &x->a, x->citizen, 1000, audit_row,
				     x->count);
}

static int audit_reads(struct ctx *c, int64_t case_id)
{
	struct audit_count n = { 0 };
	snprintf(n.what, sizeof(n.what), "sag %lld", (long long)case_id);
	struct audit_ctx x = { .citizen = c->citizen, .count = &n };
	hh_arena_init(&x.a);
	assert_int_equal(hh_store_run_tx(c->s.store, 0, audit_tx, &x), HH_OK);
	hh_arena_clear(&x.a);
	return n.matched;
}

static void test_case_page(void **state)
{
	struct ctx *c = *state;
	char path[128];
	snprintf(path, sizeof(path), "/sagsbehandling/sag/%lld",
		 (long long)c->overdue);
	int before = audit_reads(c, c->overdue);
	struct tu_resp r = get(c, path, c->agent);
	expect_status(&r, 200);
	assert_int_equal(audit_reads(c, c->overdue), before + 1);
	char h[64];
	assert_true(tu_header(&r, "Cache-Control", h, sizeof(h)));
	assert_string_equal(h, "no-store");
	expect_in(r.body, "Ansøgning om testydelse</h1>");
	expect_in(r.body, "<dt>Hvad søger du om?</dt><dd>Tandbehandling</dd>");
	expect_in(r.body, "<dt>Bilag</dt><dd><span class=\"file\">regning.pdf "
			  "<span class=\"size\">(2 kB)</span></span></dd>");
	expect_in(r.body, "<strong>overskredet</strong> med 10 dage");
	expect_in(r.body, "<dd>Bodil Borger</dd>");
	/* every action form carries the CSRF token and the version */
	const char *p = r.body;
	int forms = 0;
	while ((p = strstr(p, "<form class=\"case-action\" method=\"post\""))) {
		const char *end = strstr(p, "</form>");
		assert_non_null(end);
		char *form = strndup(p, (size_t)(end - p));
		char want[160];
		snprintf(want, sizeof(want), "name=\"csrf\" value=\"%s\"",
			 c->agent_csrf);
		expect_in(form, want);
		expect_in(form, "name=\"version\" value=\"1\"");
		free(form);
		forms++;
		p = end;
	}
	assert_int_equal(forms, 4); /* assign, transition, request, note */
	/* the agent may start, but not decide (a caseworker's transition) */
	expect_in(r.body, "name=\"til\" value=\"in_progress\">Start behandling");
	expect_not_in(r.body, ">Bevil<");
	tu_resp_free(&r);

	/* a paused case: the request form is gone, the deadline on hold */
	snprintf(path, sizeof(path), "/sagsbehandling/sag/%lld",
		 (long long)c->paused);
	r = get(c, path, c->agent);
	expect_status(&r, 200);
	expect_in(r.body, "<dd>Afventer borgeren</dd>");
	expect_in(r.body, "I bero</span>");
	expect_not_in(r.body, "/anmodning\"");
	tu_resp_free(&r);
}

/* ---- actions ---------------------------------------------------------- */

static struct tu_resp act(struct ctx *c, int64_t id, const char *what,
			  const char *fields, const char *csrf)
{
	char path[128], body[1024];
	snprintf(path, sizeof(path), "/sagsbehandling/sag/%lld/%s", (long long)id,
		 what);
	snprintf(body, sizeof(body), "csrf=%s&%s", csrf, fields);
	return post(c, path, body, c->agent);
}

static void expect_back(const struct tu_resp *r, int64_t id, const char *done)
{
	char loc[256], want[256];
	expect_status(r, 303);
	assert_true(tu_header(r, "Location", loc, sizeof(loc)));
	snprintf(want, sizeof(want), "/sagsbehandling/sag/%lld?udfoert=%s",
		 (long long)id, done);
	assert_string_equal(loc, want);
}

static void test_actions(void **state)
{
	struct ctx *c = *state;
	int64_t id = c->fresh;
	struct tu_resp r = act(c, id, "tildeling", "version=1&tildel=mig",
			       c->agent_csrf);
	expect_back(&r, id, "tildelt");
	tu_resp_free(&r);

	/* the same (now stale) version again: 409, the case as it is now */
	r = act(c, id, "overgang",
		"version=1&til=in_progress&note=Vi+g%C3%A5r+i+gang", c->agent_csrf);
	expect_status(&r, 409);
	expect_in(r.body, "Sagen er blevet ændret af en anden, mens du havde den "
			  "åben. Se ændringerne og prøv igen.");
	expect_in(r.body, ">Vi går i gang</textarea>"); /* nothing lost */
	expect_in(r.body, "name=\"version\" value=\"2\""); /* ready to retry */
	expect_in(r.body, "<li class=\"new\">");
	expect_in(r.body, "Tildelt Anders Agent");
	tu_resp_free(&r);

	r = act(c, id, "overgang", "version=2&til=in_progress&note=Vi+g%C3%A5r+i+gang",
		c->agent_csrf);
	expect_back(&r, id, "tilstand");
	tu_resp_free(&r);

	/* not a transition from here */
	r = act(c, id, "overgang", "version=3&til=received", c->agent_csrf);
	expect_status(&r, 409);
	expect_in(r.body, "Handlingen er ikke mulig i sagens nuværende tilstand.");
	tu_resp_free(&r);
	/* a caseworker's transition */
	r = act(c, id, "overgang", "version=3&til=granted", c->agent_csrf);
	expect_status(&r, 403);
	expect_in(r.body, "Din rolle giver ikke adgang til den handling.");
	tu_resp_free(&r);

	/* no CSRF token, no version, an empty question: nothing happens */
	r = act(c, id, "anmodning", "version=3&spoergsmaal=Hvad%3F", "forkert");
	expect_status(&r, 403);
	expect_in(r.body, ">Hvad?</textarea>");
	tu_resp_free(&r);
	r = act(c, id, "anmodning", "spoergsmaal=Hvad%3F", c->agent_csrf);
	expect_status(&r, 400);
	tu_resp_free(&r);
	r = act(c, id, "anmodning", "version=3&spoergsmaal=+++", c->agent_csrf);
	expect_status(&r, 400);
	expect_in(r.body, "aria-invalid=\"true\"");
	expect_in(r.body, "<p class=\"field-error\" id=\"spoergsmaal-fejl\">");
	tu_resp_free(&r);

	r = act(c, id, "anmodning", "version=3&spoergsmaal=Send+en+regning.",
		c->agent_csrf);
	expect_back(&r, id, "anmodet");
	tu_resp_free(&r);
	r = act(c, id, "note", "version=1&tekst=Ringede+til+borgeren.",
		c->agent_csrf);
	expect_back(&r, id, "note"); /* a note needs no current version */
	tu_resp_free(&r);
	r = act(c, id, "tildeling", "version=4&tildel=ingen", c->agent_csrf);
	expect_back(&r, id, "fjernet");
	tu_resp_free(&r);

	char path[128];
	snprintf(path, sizeof(path), "/sagsbehandling/sag/%lld?udfoert=anmodet",
		 (long long)id);
	r = get(c, path, c->agent);
	expect_status(&r, 200);
	expect_in(r.body, "Borgeren er bedt om mere.");
	expect_in(r.body, "<dd>Afventer borgeren</dd>");
	expect_in(r.body, "Tilstand ændret fra <q>Modtaget</q> til <q>Under "
			  "behandling</q>");
	expect_in(r.body, "<span class=\"label\">Spørgsmål:</span> Send en regning.");
	expect_in(r.body, "Ringede til borgeren.");
	expect_in(r.body, "Tildelingen blev fjernet");
	expect_in(r.body, "name=\"version\" value=\"5\"");
	tu_resp_free(&r);

	/* the queue follows */
	r = get(c, "/sagsbehandling?tilstand=awaiting_citizen", c->agent);
	expect_status(&r, 200);
	expect_in(r.body, "<h2 id=\"sager\">2 sager</h2>");
	tu_resp_free(&r);
}

/* Dates on pages are Danish dates, whatever the server's time zone, with
 * summer time from 01:00 UTC on the last Sunday of March to 01:00 UTC on
 * the last Sunday of October. */
static void test_danish_dates(void **state)
{
	(void)state;
	struct hh_arena a;
	hh_arena_init(&a);
	assert_string_equal(hh_datetime_da(&a, 1774745999), "29. marts 2026 kl. 01.59");
	assert_string_equal(hh_datetime_da(&a, 1774746000), "29. marts 2026 kl. 03.00");
	assert_string_equal(hh_datetime_da(&a, 1792889999), "25. oktober 2026 kl. 02.59");
	assert_string_equal(hh_datetime_da(&a, 1792890000), "25. oktober 2026 kl. 02.00");
	/* 23:30 UTC is the next day in Denmark, summer and winter */
	assert_string_equal(hh_date_da(&a, 1795476600), "24. november 2026");
	assert_string_equal(hh_date_da(&a, 1782857700), "1. juli 2026");
	assert_string_equal(hh_borger_date(&a, 1782857700, 1), "1. juli 2026 kl. 00.15");
	hh_arena_clear(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_queue_marks_deadlines),
		cmocka_unit_test(test_queue_filters),
		cmocka_unit_test(test_access),
		cmocka_unit_test(test_case_page),
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_danish_dates),
	};
	curl_global_init(CURL_GLOBAL_DEFAULT);
	int rc = cmocka_run_group_tests(tests, setup, teardown);
	curl_global_cleanup();
	return rc;
}
