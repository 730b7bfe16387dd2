/* test_chat_api.c - live chat over HTTP: refusals as problem+json (empty,
 * oversized, a closed chat, a wrong token, rated twice), resuming after N,
 * a waiting request answered as soon as the other side sends (and one
 * that runs out answered empty), the agent's console woken by a citizen's
 * message, the written inquiry, and the chat's rate limits (429 with a
 * Danish detail). */
#include <pthread.h>

#include "testutil.h"

#include "core/dktime.h"

struct fx {
	struct tu_server s;
	char cookie[200], csrf[80]; /* agent@901 */
};

static int setup(void **state)
{
	struct fx *f = hh_xcalloc(1, sizeof(*f));
	tu_server_start(&f->s, 1);
	struct tu_resp r = tu_call(f->s.base, NULL, NULL, "POST", "/api/v1/session",
				   "{\"email\":\"agent@901\",\"password\":\"password-1\"}",
				   NULL);
	assert_int_equal(r.status, 201);
	char setc[400];
	assert_true(tu_header(&r, "Set-Cookie", setc, sizeof(setc)));
	snprintf(f->cookie, sizeof(f->cookie), "%.*s", (int)strcspn(setc, ";"), setc);
	snprintf(f->csrf, sizeof(f->csrf), "%s",
		 json_string_value(json_object_get(r.json, "csrf_token")));
	tu_resp_free(&r);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	tu_server_stop(&f->s);
	free(f);
	return 0;
}

struct chat {
	int64_t id;
	char token[80], hdr[120];
};

static struct chat open_chat(struct fx *f)
{
	struct chat c;
	struct tu_resp r = tu_call(f->s.base, NULL, NULL, "POST", "/api/v1/chats",
				   "{\"organisation\":\"901\",\"topic\":\"Pas\"}", NULL);
	assert_int_equal(r.status, 201);
	c.id = json_integer_value(json_object_get(r.json, "id"));
	snprintf(c.token, sizeof(c.token), "%s",
		 json_string_value(json_object_get(r.json, "token")));
	snprintf(c.hdr, sizeof(c.hdr), "X-Chat-Token: %s", c.token);
	assert_int_equal(strlen(c.token), 64);
	assert_string_equal(json_string_value(json_object_get(r.json, "state")),
			    "queued");
	tu_resp_free(&r);
	return c;
}

/* The citizen's request on chat c (token in the header). */
static struct tu_resp citizen(struct fx *f, const struct chat *c,
			      const char *method, const char *path,
			      const char *body)
{
	const char *h[] = { c->hdr, NULL };
	return tu_call(f->s.base, NULL, NULL, method, path, body, h);
}

static struct tu_resp agent(struct fx *f, const char *method, const char *path,
			    const char *body)
{
	return tu_call(f->s.base, f->cookie, f->csrf, method, path, body, NULL);
}

static char *path(const struct chat *c, const char *tail)
{
	static char p[4][128];
	static int i;
	i = (i + 1) % 4;
	snprintf(p[i], sizeof(p[i]), "/api/v1/chats/%lld%s", (long long)c->id, tail);
	return p[i];
}

static void expect(struct tu_resp r, long status)
{
	if (r.status != status)
		fprintf(stderr, "unexpected %ld: %s\n", r.status, r.body);
	assert_int_equal(r.status, status);
	tu_resp_free(&r);
}

/* ---- closing with an outcome other than resolved --------------------------- */

/* The agent closes a chat as a promised callback (a Danish local time, as
 * the console's field sends it) or as a transfer; the chat's inquiry
 * carries the outcome, so first-contact resolution is not overstated. */
static void test_close_as_callback(void **state)
{
	struct fx *f = *state;
	struct chat c = open_chat(f);
	expect(agent(f, "POST", path(&c, "/take"), NULL), 200);
	struct tu_resp r = agent(f, "POST", path(&c, "/close"),
				 "{\"outcome\":\"callback_promised\","
				 "\"callback_due_at\":\"i morgen\"}");
	tu_expect_problem(&r, 400, "invalid-field", "callback_due_at");
	tu_resp_free(&r);
	/* tomorrow at 10:00 Danish time, without an offset */
	int64_t y;
	int m, d;
	hh_civil_from_days(hh_dk_local(hh_now_us() / 1000000) / 86400 + 1, &y, &m,
			   &d);
	char body[160];
	snprintf(body, sizeof(body),
		 "{\"outcome\":\"callback_promised\",\"callback_due_at\":"
		 "\"%04d-%02d-%02dT10:00\"}", (int)y, m, d);
	r = agent(f, "POST", path(&c, "/close"), body);
	assert_int_equal(r.status, 200);
	int64_t inquiry = json_integer_value(json_object_get(r.json, "inquiry_id"));
	assert_true(inquiry > 0);
	tu_resp_free(&r);
	char ip[64];
	snprintf(ip, sizeof(ip), "/api/v1/inquiries/%lld", (long long)inquiry);
	r = agent(f, "GET", ip, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "outcome")),
			    "callback_promised");
	char want[32];
	snprintf(want, sizeof(want), "%04d-%02d-%02dT", (int)y, m, d);
	const char *due = json_string_value(json_object_get(r.json,
							     "callback_due_at"));
	assert_non_null(due);
	/* the same instant as 10:00 Danish time */
	int64_t t, expect_t;
	if (!hh_iso8601_parse(due, &t))
		fail_msg("callback_due_at: %s", due);
	tu_resp_free(&r);
	char local[32];
	snprintf(local, sizeof(local), "%04d-%02d-%02dT10:00", (int)y, m, d);
	assert_true(hh_iso8601_parse(local, &expect_t));
	assert_int_equal(t, expect_t);
}

/* ---- refusals and resuming ---------------------------------------------- */

static void test_problems_and_resume(void **state)
{
	struct fx *f = *state;
	struct chat c = open_chat(f);
	struct tu_resp r;
	expect(citizen(f, &c, "POST", path(&c, "/messages"), "{\"body\":\"Hej\"}"), 201);
	expect(agent(f, "POST", path(&c, "/take"), NULL), 200);
	expect(agent(f, "POST", path(&c, "/messages"), "{\"body\":\"Hej, hvad kan "
							  "jeg hjælpe med?\"}"),
	       201);
	/* empty and oversized: 400 naming the field, in Danish */
	r = citizen(f, &c, "POST", path(&c, "/messages"), "{\"body\":\"  \"}");
	tu_expect_problem(&r, 400, "invalid-field", "body");
	tu_expect_in(r.body, "Beskeden er tom");
	tu_resp_free(&r);
	char big[2100 + 32];
	snprintf(big, sizeof(big), "{\"body\":\"%02001d\"}", 0);
	r = citizen(f, &c, "POST", path(&c, "/messages"), big);
	tu_expect_problem(&r, 400, "invalid-field", "body");
	tu_expect_in(r.body, "for lang");
	tu_resp_free(&r);
	/* a wrong token, no token: no such chat */
	struct chat wrong = c;
	wrong.hdr[strlen(wrong.hdr) - 1] ^= 1;
	r = citizen(f, &wrong, "GET", path(&c, ""), NULL);
	tu_expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	r = tu_call(f->s.base, NULL, NULL, "GET", path(&c, "/messages"), NULL, NULL);
	tu_expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	r = tu_call(f->s.base, NULL, NULL, "POST", "/api/v1/chats",
		    "{\"organisation\":\"nope\"}", NULL);
	tu_expect_problem(&r, 400, "unknown-organisation", "organisation");
	tu_resp_free(&r);
	/* resume after N: seq 1 the citizen's, 2 the take, 3 the agent's */
	r = citizen(f, &c, "GET", path(&c, "/messages?after=1"), NULL);
	assert_int_equal(r.status, 200);
	json_t *m = json_object_get(r.json, "messages");
	assert_int_equal(json_array_size(m), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(m, 0), "seq")),
			 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(m, 1),
							      "sender")),
			    "agent");
	assert_int_equal(json_integer_value(json_object_get(r.json, "last_seq")), 3);
	tu_resp_free(&r);
	r = citizen(f, &c, "GET", path(&c, "/messages?after=x"), NULL);
	tu_expect_problem(&r, 400, "invalid-parameter", "after");
	tu_resp_free(&r);
	/* rating an open chat; closing; a message to the closed chat */
	r = citizen(f, &c, "POST", path(&c, "/rating"), "{\"rating\":5}");
	tu_expect_problem(&r, 409, "chat-state", NULL);
	tu_resp_free(&r);
	r = agent(f, "POST", path(&c, "/close"), "{}");
	tu_expect_problem(&r, 400, "invalid-field", "outcome");
	tu_resp_free(&r);
	expect(agent(f, "POST", path(&c, "/close"),
		     "{\"outcome\":\"resolved_first_contact\"}"),
	       200);
	r = citizen(f, &c, "POST", path(&c, "/messages"), "{\"body\":\"Hallo?\"}");
	tu_expect_problem(&r, 409, "chat-closed", NULL);
	tu_resp_free(&r);
	r = citizen(f, &c, "GET", path(&c, ""), NULL);
	int64_t inquiry = json_integer_value(json_object_get(r.json, "inquiry_id"));
	assert_int_equal(json_integer_value(json_object_get(r.json, "last_seq")), 4);
	tu_resp_free(&r);
	expect(citizen(f, &c, "POST", path(&c, "/rating"),
		       "{\"rating\":4,\"comment\":\"Fint\"}"),
	       200);
	r = citizen(f, &c, "POST", path(&c, "/rating"), "{\"rating\":1}");
	tu_expect_problem(&r, 409, "chat-already-rated", NULL);
	tu_resp_free(&r);
	/* the transcript on the inquiry, and its outcome */
	char p[96];
	snprintf(p, sizeof(p), "/api/v1/inquiries/%lld/transcript", (long long)inquiry);
	r = agent(f, "GET", p, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "messages")), 4);
	tu_resp_free(&r);
	snprintf(p, sizeof(p), "/api/v1/inquiries/%lld", (long long)inquiry);
	r = agent(f, "GET", p, NULL);
	assert_string_equal(json_string_value(json_object_get(r.json, "channel")),
			    "chat");
	assert_string_equal(json_string_value(json_object_get(r.json, "outcome")),
			    "resolved_first_contact");
	tu_resp_free(&r);
}

/* ---- waiting ------------------------------------------------------------ */

struct waiter {
	struct fx *f;
	const struct chat *c;
	const char *path;
	int as_agent;
	struct tu_resp r;
	int64_t us;
	int64_t started; /* when the request went out */
};

static void *wait_main(void *p)
{
	struct waiter *w = p;
	int64_t t0 = hh_mono_us();
	w->r = w->as_agent ? agent(w->f, "GET", w->path, NULL)
			   : citizen(w->f, w->c, "GET", w->path, NULL);
	w->us = hh_mono_us() - t0;
	w->started = t0;
	return NULL;
}

static void test_waiting_request_answered_when_the_other_side_sends(void **state)
{
	struct fx *f = *state;
	struct chat c = open_chat(f);
	expect(agent(f, "POST", path(&c, "/take"), NULL), 200);
	/* the citizen waits after the take (seq 1) */
	struct waiter w = { f, &c, path(&c, "/messages?after=1&wait=20"), 0,
			    { 0 }, 0, 0 };
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, wait_main, &w), 0);
	usleep(400 * 1000); /* parked by now */
	int64_t sent = hh_mono_us();
	expect(agent(f, "POST", path(&c, "/messages"), "{\"body\":\"Her er svaret\"}"),
	       201);
	pthread_join(t, NULL);
	int64_t after_send = hh_mono_us() - sent;
	assert_int_equal(w.r.status, 200);
	json_t *m = json_object_get(w.r.json, "messages");
	assert_int_equal(json_array_size(m), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(m, 0),
							      "body")),
			    "Her er svaret");
	/* it waited for the message (when the request went out before the
	 * message, which a loaded machine may delay), and came right after
	 * it: never before it was sent */
	if (w.started < sent)
		assert_true(w.started + w.us >= sent);
	assert_true(after_send < 2 * 1000 * 1000);
	tu_resp_free(&w.r);

	/* the agent's console waits on the organisation: a citizen's
	 * message wakes it */
	struct tu_resp r = agent(f, "GET", "/api/v1/chat-console", NULL);
	assert_int_equal(r.status, 200);
	char p[160];
	snprintf(p, sizeof(p), "/api/v1/chat-console?wait=20&known=%s",
		 json_string_value(json_object_get(r.json, "known")));
	tu_resp_free(&r);
	struct waiter cw = { f, &c, p, 1, { 0 }, 0, 0 };
	assert_int_equal(pthread_create(&t, NULL, wait_main, &cw), 0);
	usleep(400 * 1000);
	int64_t said = hh_mono_us();
	expect(citizen(f, &c, "POST", path(&c, "/messages"), "{\"body\":\"Tak!\"}"),
	       201);
	pthread_join(t, NULL);
	assert_int_equal(cw.r.status, 200);
	/* woken by the citizen's message: never before it (a loaded
	 * machine may start the wait after it), and right after it */
	assert_true(cw.started + cw.us >= said);
	assert_true(cw.started + cw.us - said < 5 * 1000 * 1000);
	json_t *mine = json_object_get(cw.r.json, "mine");
	assert_int_equal(json_array_size(mine), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(mine, 0),
							    "last_seq")),
			 3);
	tu_resp_free(&cw.r);
}

static void test_wait_runs_out_empty(void **state)
{
	struct fx *f = *state;
	struct chat c = open_chat(f);
	int64_t t0 = hh_mono_us();
	struct tu_resp r = citizen(f, &c, "GET", path(&c, "/messages?after=0&wait=1"),
				   NULL);
	int64_t us = hh_mono_us() - t0;
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "messages")), 0);
	assert_true(us >= 900 * 1000 && us < 4 * 1000 * 1000);
	/* still queued: its place in the queue */
	json_t *chat = json_object_get(r.json, "chat");
	assert_true(json_integer_value(json_object_get(chat, "position")) >= 1);
	tu_resp_free(&r);
	/* wait out of range */
	r = citizen(f, &c, "GET", path(&c, "/messages?wait=26"), NULL);
	tu_expect_problem(&r, 400, "invalid-parameter", "wait");
	tu_resp_free(&r);
}

/* ---- written inquiry and limits ----------------------------------------- */

static void test_written_inquiry_and_limits(void **state)
{
	struct fx *f = *state;
	/* HELHED_CHAT_LIMITS is 10/120/5/2 (main), counted per server */
	struct tu_resp r = tu_call(f->s.base, NULL, NULL, "POST",
				   "/api/v1/written-inquiries",
				   "{\"organisation\":\"901\",\"text\":\"Hvornår kan "
				   "jeg hente mit pas?\",\"contact\":\"nej\"}",
				   NULL);
	tu_expect_problem(&r, 400, "invalid-field", "contact");
	tu_resp_free(&r);
	r = tu_call(f->s.base, NULL, NULL, "POST", "/api/v1/written-inquiries",
		    "{\"organisation\":\"901\",\"text\":\"Hvornår kan jeg hente mit "
		    "pas?\",\"contact\":\"anna@example.dk\"}",
		    NULL);
	assert_int_equal(r.status, 201);
	int64_t id = json_integer_value(json_object_get(r.json, "inquiry_id"));
	tu_resp_free(&r);
	char p[64];
	snprintf(p, sizeof(p), "/api/v1/inquiries/%lld", (long long)id);
	r = agent(f, "GET", p, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "channel")),
			    "web");
	tu_resp_free(&r);
	/* the third in a minute from this address (refused ones
	 * counted): 429 in Danish */
	r = tu_call(f->s.base, NULL, NULL, "POST", "/api/v1/written-inquiries",
		    "{\"organisation\":\"901\",\"text\":\"Igen\",\"contact\":"
		    "\"anna@example.dk\"}",
		    NULL);
	tu_expect_problem(&r, 429, "too-many-requests", NULL);
	tu_expect_in(r.body, "mange henvendelser");
	char ra[16];
	assert_true(tu_header(&r, "Retry-After", ra, sizeof(ra)));
	assert_true(atoi(ra) >= 1);
	tu_resp_free(&r);
	/* the page says it in Danish too */
	const char *form[] = { "Content-Type: application/x-www-form-urlencoded",
			       NULL };
	r = tu_call(f->s.base, NULL, NULL, "POST", "/chat/skriv",
		    "organisation=901&text=Hej&contact=anna%40example.dk", form);
	assert_int_equal(r.status, 429);
	tu_expect_in(r.body, "Vent lidt");
	tu_resp_free(&r);

	/* messages: five a minute per chat */
	struct chat c = open_chat(f);
	for (int i = 0; i < 5; i++)
		expect(citizen(f, &c, "POST", path(&c, "/messages"), "{\"body\":\"x\"}"),
		       201);
	r = citizen(f, &c, "POST", path(&c, "/messages"), "{\"body\":\"x\"}");
	tu_expect_problem(&r, 429, "too-many-requests", NULL);
	tu_expect_in(r.body, "mange beskeder");
	tu_resp_free(&r);
	r = citizen(f, &c, "GET", path(&c, ""), NULL);
	assert_int_equal(json_integer_value(json_object_get(r.json, "last_seq")), 5);
	tu_resp_free(&r);
	/* another chat from the same address still may */
	struct chat d = open_chat(f);
	expect(citizen(f, &d, "POST", path(&d, "/messages"), "{\"body\":\"x\"}"), 201);
}

static void test_pages(void **state)
{
	struct fx *f = *state;
	/* the chat page works without JavaScript: the written form */
	struct tu_resp r = tu_call(f->s.base, NULL, NULL, "GET",
				   "/chat?organisation=901", NULL, NULL);
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "action=\"/chat/skriv\"");
	tu_expect_in(r.body, "Chatten er lukket"); /* no hours, nobody there */
	tu_expect_in(r.body, "aria-live=\"polite\"");
	tu_expect_in(r.body, "/static/chat.js");
	tu_resp_free(&r);
	/* every citizen page links to it */
	r = tu_call(f->s.base, NULL, NULL, "GET", "/", NULL, NULL);
	tu_expect_in(r.body, "<a href=\"/chat\">Chat med os</a>");
	tu_resp_free(&r);
	/* the console for the agent */
	r = agent(f, "GET", "/borgerservice/chat", NULL);
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "/static/chat-console.js");
	/* staff find the console in the header, not the citizens' chat */
	tu_expect_in(r.body, "<a href=\"/borgerservice/chat\">Chat</a>");
	assert_null(strstr(r.body, "Chat med os"));
	tu_resp_free(&r);
	/* a bad written inquiry on the page: 422 with the error by the
	 * field, nothing written */
	const char *form[] = { "Content-Type: application/x-www-form-urlencoded",
			       NULL };
	r = tu_call(f->s.base, NULL, NULL, "POST", "/chat/skriv",
		    "organisation=901&text=&contact=anna%40example.dk", form);
	assert_int_equal(r.status, 422);
	tu_expect_in(r.body, "aria-invalid=\"true\"");
	tu_resp_free(&r);
}

int main(void)
{
	/* the chat's limits, low enough to reach in a test */
	setenv("HELHED_CHAT_LIMITS", "10/120/5/2", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_problems_and_resume, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_waiting_request_answered_when_the_other_side_sends, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_wait_runs_out_empty, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_as_callback, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_written_inquiry_and_limits, setup,
						teardown),
	};
	curl_global_init(CURL_GLOBAL_DEFAULT);
	int rc = cmocka_run_group_tests_name("api/chat", tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
