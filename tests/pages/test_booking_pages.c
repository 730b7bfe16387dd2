/* test_booking_pages.c - the appointment and contact pages over real HTTP,
 * as a browser without JavaScript uses them: the booking flow with its
 * double-submit token (refused without it), the confirmation with the
 * code, moving and cancelling by code, a taken time refused in Danish,
 * the counter's day list for the front desk, the contact pages, and the
 * footer's links on every page. */
#include "api/appointments_fixture.h"

#include "domain/chat.h"
#include "domain/citizens.h"
#include "domain/orgs.h"

static struct tu_resp get(struct afx *f, const char *path, const char *cookie)
{
	char url[512];
	snprintf(url, sizeof(url), "%s%s", f->s.base, path);
	return tu_http("GET", url, NULL, NULL, cookie);
}

static struct tu_resp post(struct afx *f, const char *path, const char *body,
			   const char *cookie)
{
	char url[512];
	snprintf(url, sizeof(url), "%s%s", f->s.base, path);
	const char *h[] = { "Content-Type: application/x-www-form-urlencoded", NULL };
	return tu_http("POST", url, body, h, cookie);
}

/* The value of the first <input ... name="name" ... value="..."> after
 * `after` in html (NULL: from the start), into out. */
static int input_value(const char *html, const char *after, const char *name,
		       char *out, size_t n)
{
	const char *p = after ? strstr(html, after) : html;
	char needle[64];
	snprintf(needle, sizeof(needle), "name=\"%s\"", name);
	if (!p || !(p = strstr(p, needle)))
		return 0;
	const char *v = strstr(p, "value=\"");
	if (!v)
		return 0;
	v += 7;
	snprintf(out, n, "%.*s", (int)strcspn(v, "\""), v);
	return 1;
}

/* The booking token cookie the page set, as "hh_tid=..." */
static void token_cookie(const struct tu_resp *r, char *out, size_t n)
{
	char setc[256];
	assert_true(tu_header(r, "Set-Cookie", setc, sizeof(setc)));
	tu_expect_in(setc, "hh_tid=");
	tu_expect_in(setc, "HttpOnly; SameSite=Strict");
	tu_expect_in(setc, "Path=/tidsbestilling");
	snprintf(out, n, "%.*s", (int)strcspn(setc, ";"), setc);
}

static enum hh_rc count_row(void *p, const struct hh_appointment *b)
{
	return tu_count_row(p, b);
}

/* Active bookings in the store. */
static int64_t n_bookings(struct afx *f)
{
	int64_t n = 0;
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_appointment_filter flt = { .active_only = 1 };
	struct hh_tx *tx = tu_read_begin(f->s.store);
	assert_int_equal(f->s.store->appointment_list(tx, &a, &flt, count_row, &n),
			 HH_OK);
	tu_read_end(tx);
	hh_arena_clear(&a);
	return n;
}

static void test_booking_flow_without_javascript(void **state)
{
	struct afx *f = *state;
	struct tu_resp r = get(f, "/tidsbestilling", NULL);
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "Bestil tid i Borgerservice");
	tu_expect_in(r.body, "value=\"901\"");
	tu_expect_in(r.body, "Nordskov Kommune");
	tu_expect_not_in(r.body, "value=\"902\""); /* takes no bookings */
	tu_resp_free(&r);
	r = get(f, "/tidsbestilling?kommune=901", NULL);
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "Hjælp til MitID (30 min.)");
	tu_resp_free(&r);
	r = get(f, "/tidsbestilling?kommune=901&ydelse=pas", NULL);
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "Dit gamle pas");
	tu_expect_in(r.body, "Pas koster gebyr.");
	char cookie[128], token[128], start[32], second[32];
	token_cookie(&r, cookie, sizeof(cookie));
	assert_true(input_value(r.body, NULL, "csrf", token, sizeof(token)));
	assert_string_equal(cookie + 7, token);
	assert_true(input_value(r.body, NULL, "start", start, sizeof(start)));
	assert_true(input_value(r.body, start, "start", second, sizeof(second)));
	tu_resp_free(&r);

	char body[600];
	/* without the cookie, or with another token: refused, nothing booked */
	snprintf(body, sizeof(body),
		 "csrf=%s&kommune=901&ydelse=pas&start=%s&name=Ida+Hansen"
		 "&email=ida%%40example.dk&phone=",
		 token, start);
	r = post(f, "/tidsbestilling", body, NULL);
	assert_int_equal(r.status, 403);
	tu_expect_in(r.body, "Siden er udløbet");
	tu_resp_free(&r);
	r = post(f, "/tidsbestilling", body, "hh_tid=someone-elses-token-xxxxxxxxxxxxx");
	assert_int_equal(r.status, 403);
	tu_resp_free(&r);
	assert_int_equal(n_bookings(f), 0);
	/* no name: the form again, in Danish, with what was written */
	char nameless[600];
	snprintf(nameless, sizeof(nameless),
		 "csrf=%s&kommune=901&ydelse=pas&start=%s&name=&email=ida%%40example.dk",
		 token, start);
	r = post(f, "/tidsbestilling", nameless, cookie);
	assert_int_equal(r.status, 400);
	tu_expect_in(r.body, "Skriv dit navn og enten din e-mail");
	tu_expect_in(r.body, "value=\"ida@example.dk\"");
	tu_resp_free(&r);
	/* booked: to the confirmation with the code */
	r = post(f, "/tidsbestilling", body, cookie);
	assert_int_equal(r.status, 303);
	char loc[128];
	assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
	assert_int_equal(strncmp(loc, "/tidsbestilling/", 16), 0);
	tu_expect_in(loc, "?ny=1");
	char code[16];
	snprintf(code, sizeof(code), "%.12s", loc + 16);
	tu_resp_free(&r);
	r = get(f, loc, cookie);
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "Din tid er bestilt");
	char shown[20];
	snprintf(shown, sizeof(shown), "%.4s-%.4s-%.4s", code, code + 4, code + 8);
	tu_expect_in(r.body, shown);
	tu_expect_in(r.body, "Dit gamle pas");
	tu_expect_in(r.body, "Nordskov Kommune");
	tu_expect_in(r.body, "href=\"/kontakt/901\""); /* the footer */
	/* the code is in the address: other sites are not told it */
	char ref[64];
	assert_true(tu_header(&r, "Referrer-Policy", ref, sizeof(ref)));
	assert_string_equal(ref, "same-origin");
	/* its move form offers other times; take the second */
	char version[8], to[32];
	assert_true(input_value(r.body, "/flyt\"", "version", version, sizeof(version)));
	assert_string_equal(version, "1");
	assert_true(input_value(r.body, "/flyt\"", "start", to, sizeof(to)));
	assert_string_equal(to, second); /* its own time is not offered */
	tu_resp_free(&r);

	/* someone else took the second time meanwhile: Danish 409 */
	char other[600];
	snprintf(other, sizeof(other),
		 "csrf=%s&kommune=901&ydelse=pas&start=%s&name=Bo&phone=12345678",
		 token, second);
	r = post(f, "/tidsbestilling", other, cookie);
	assert_int_equal(r.status, 303);
	tu_resp_free(&r);
	char move[300], path[128];
	snprintf(path, sizeof(path), "/tidsbestilling/%s/flyt", code);
	snprintf(move, sizeof(move), "csrf=%s&version=1&start=%s", token, second);
	r = post(f, path, move, cookie);
	assert_int_equal(r.status, 409);
	tu_expect_in(r.body, "tiden er netop blevet taget");
	tu_resp_free(&r);
	assert_int_equal(n_bookings(f), 2);
	/* move to a free time */
	char free_t[32];
	afx_slot(f, "pas", 0, free_t, sizeof(free_t));
	int64_t t;
	assert_true(hh_iso8601_parse(free_t, &t));
	snprintf(move, sizeof(move), "csrf=%s&version=1&start=%lld", token, (long long)t);
	r = post(f, path, move, NULL);
	assert_int_equal(r.status, 403); /* without the cookie */
	tu_resp_free(&r);
	r = post(f, path, move, cookie);
	assert_int_equal(r.status, 303);
	assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
	tu_expect_in(loc, "?flyttet=1");
	tu_resp_free(&r);
	r = get(f, loc, cookie);
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "Din tid er flyttet");
	tu_resp_free(&r);
	/* cancel */
	snprintf(path, sizeof(path), "/tidsbestilling/%s/aflys", code);
	snprintf(move, sizeof(move), "csrf=%s&version=2", token);
	r = post(f, path, move, cookie);
	assert_int_equal(r.status, 303);
	tu_resp_free(&r);
	snprintf(path, sizeof(path), "/tidsbestilling/%s", code);
	r = get(f, path, NULL);
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "Tiden er aflyst");
	tu_expect_not_in(r.body, "/aflys\"");
	tu_resp_free(&r);
	assert_int_equal(n_bookings(f), 1);
	/* "Find min tid" with the code as written; an unknown one is 404 */
	char find[64];
	snprintf(find, sizeof(find), "/tidsbestilling?kode=%.4s-%s", code, code + 4);
	r = get(f, find, NULL);
	assert_int_equal(r.status, 303);
	assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
	tu_resp_free(&r);
	r = get(f, loc, NULL);
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, shown);
	tu_resp_free(&r);
	r = get(f, "/tidsbestilling/ABCD-EFGH-JKMN", NULL);
	assert_int_equal(r.status, 404);
	tu_expect_in(r.body, "Tidsbestillingen findes ikke");
	tu_resp_free(&r);
}

/* A signed-in citizen books with the session's token, needs no name, and
 * finds the time under Mit overblik. */
static void test_citizen_books_signed_in(void **state)
{
	struct afx *f = *state;
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_tx *tx;
	assert_int_equal(f->s.store->tx_begin(f->s.store->cls, 1, &tx), HH_OK);
	struct hh_org o;
	assert_int_equal(f->s.store->org_get_by_code(tx, &a, "901", &o), HH_OK);
	struct hh_citizen z = { .subject = "demo:karen", .name = "Karen Kirk",
				.municipality_id = o.id };
	assert_int_equal(f->s.store->citizen_put(tx, &z), HH_OK);
	assert_int_equal(f->s.store->tx_commit(tx), HH_OK);
	struct hh_citizen_login login;
	assert_int_equal(hh_demo_citizen_login(f->s.store, &a, "demo:karen", &login),
			 HH_OK);
	char cookie[200];
	snprintf(cookie, sizeof(cookie), "hh_borger=%s", login.token);
	struct tu_resp r = get(f, "/tidsbestilling?kommune=901&ydelse=pas", cookie);
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "Du er logget ind");
	tu_expect_not_in(r.body, "id=\"name\"");
	char token[128], start[32];
	assert_true(input_value(r.body, NULL, "csrf", token, sizeof(token)));
	assert_string_equal(token, login.csrf); /* the session's own */
	assert_true(input_value(r.body, NULL, "start", start, sizeof(start)));
	tu_resp_free(&r);
	char body[300];
	snprintf(body, sizeof(body), "csrf=wrong&kommune=901&ydelse=pas&start=%s",
		 start);
	r = post(f, "/tidsbestilling", body, cookie);
	assert_int_equal(r.status, 403);
	tu_resp_free(&r);
	snprintf(body, sizeof(body), "csrf=%s&kommune=901&ydelse=pas&start=%s", token,
		 start);
	r = post(f, "/tidsbestilling", body, cookie);
	assert_int_equal(r.status, 303);
	char loc[128];
	assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
	tu_resp_free(&r);
	r = get(f, "/mit-overblik", cookie);
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "Dine tider i Borgerservice");
	char link[64];
	snprintf(link, sizeof(link), "href=\"/tidsbestilling/%.12s\"", loc + 16);
	tu_expect_in(r.body, link);
	tu_resp_free(&r);
	/* a staff member who is not the front desk is told to sign out */
	char ec[200], et[80];
	tu_login(&f->s, "editor@901", ec, sizeof(ec), et, sizeof(et));
	r = get(f, "/tidsbestilling?kommune=901&ydelse=pas", ec);
	char second[32]; /* the first still free */
	assert_true(input_value(r.body, NULL, "start", second, sizeof(second)));
	tu_resp_free(&r);
	snprintf(body, sizeof(body),
		 "csrf=%s&kommune=901&ydelse=pas&start=%s&name=Eva&phone=12345678", et,
		 second);
	r = post(f, "/tidsbestilling", body, ec);
	assert_int_equal(r.status, 403);
	tu_expect_in(r.body, "Log ud for at bestille tid som borger");
	tu_resp_free(&r);
	hh_arena_clear(&a);
}

static void test_day_list_page(void **state)
{
	struct afx *f = *state;
	char start[64];
	afx_slot(f, "pas", 0, start, sizeof(start));
	char b[400];
	snprintf(b, sizeof(b),
		 "{\"organisation\":\"901\",\"service\":\"pas\",\"start_at\":\"%s\","
		 "\"name\":\"Jens <Dam>\",\"phone\":\"20 30 40 50\"}",
		 start);
	struct tu_resp r = tu_call(f->s.base, NULL, NULL, "POST", "/api/v1/appointments",
				   b, NULL);
	assert_int_equal(r.status, 201);
	char code[32];
	snprintf(code, sizeof(code), "%s",
		 json_string_value(json_object_get(r.json, "code")));
	tu_resp_free(&r);
	char path[128];
	snprintf(path, sizeof(path), "/borgerservice/tidsbestillinger?dato=%.10s", start);
	r = get(f, path, NULL);
	assert_int_equal(r.status, 303); /* sign in first */
	tu_resp_free(&r);
	char ac[200], at[80], ec[200], et[80];
	tu_login(&f->s, "agent@901", ac, sizeof(ac), at, sizeof(at));
	tu_login(&f->s, "editor@901", ec, sizeof(ec), et, sizeof(et));
	r = get(f, path, ec);
	assert_int_equal(r.status, 403);
	tu_expect_in(r.body, "Ingen adgang");
	tu_resp_free(&r);
	r = get(f, path, ac);
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "Jens &lt;Dam&gt;"); /* escaped */
	tu_expect_in(r.body, "20 30 40 50");
	tu_expect_in(r.body, "Dit gamle pas; Sundhedskort");
	tu_expect_in(r.body, "<td>Bestilt</td>");
	tu_resp_free(&r);
	char form[300], mark[128];
	snprintf(mark, sizeof(mark), "/borgerservice/tidsbestillinger/%s", code);
	snprintf(form, sizeof(form), "csrf=wrong&status=attended&dato=%.10s", start);
	r = post(f, mark, form, ac);
	assert_int_equal(r.status, 403);
	tu_resp_free(&r);
	snprintf(form, sizeof(form), "csrf=%s&status=attended&dato=%.10s", at, start);
	r = post(f, mark, form, ec);
	assert_int_equal(r.status, 403); /* the editor's token is not this one */
	tu_resp_free(&r);
	snprintf(form, sizeof(form), "csrf=%s&status=attended&dato=%.10s", et, start);
	r = post(f, mark, form, ec);
	assert_int_equal(r.status, 404); /* not the editor's to know of */
	tu_resp_free(&r);
	snprintf(form, sizeof(form), "csrf=%s&status=attended&dato=%.10s", at, start);
	r = post(f, mark, form, ac);
	assert_int_equal(r.status, 303);
	tu_resp_free(&r);
	r = get(f, path, ac);
	tu_expect_in(r.body, "<td>Mødt</td>");
	tu_resp_free(&r);
}

static void test_contact_pages(void **state)
{
	struct afx *f = *state;
	struct tu_resp r = get(f, "/kontakt", NULL);
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "href=\"/kontakt/901\">Nordskov Kommune</a>");
	tu_expect_in(r.body, "href=\"/kontakt/udk\">Udbetaling Danmark</a>");
	tu_resp_free(&r);
	r = get(f, "/kontakt/901", NULL);
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "<h1>Kontakt Nordskov Kommune</h1>");
	tu_expect_in(r.body, "href=\"tel:72100000\">72&nbsp;10&nbsp;00&nbsp;00</a>");
	tu_expect_in(r.body, "borgerservice@nordskov.demo");
	tu_expect_in(r.body, "Rådhustorvet 1, 4100 Nordskov");
	tu_expect_in(r.body, "href=\"/tidsbestilling?kommune=901\"");
	/* this week's hours, with today's exception named */
	tu_expect_in(r.body, "Åbningstider denne uge");
	tu_expect_in(r.body, "Lukket for afprøvning");
	tu_expect_in(r.body, "00.00–24.00");
	tu_expect_in(r.body, "08.00–16.00"); /* the phone on Monday */
	/* the chat's hours are round the clock in the fixture, but nobody
	 * is at the console: a written inquiry is offered */
	tu_expect_in(r.body, "Der er ingen ved chatten lige nu.");
	tu_expect_in(r.body, "href=\"/chat?organisation=901\">Skriv til os</a>");
	tu_expect_not_in(r.body, "Chatten er åben nu");
	tu_expect_in(r.body, "href=\"/kontakt/901\">Kontakt</a>");
	tu_resp_free(&r);
	/* an agent at the console opens it */
	struct hh_org o;
	struct hh_arena a;
	hh_arena_init(&a);
	assert_int_equal(hh_org_by_code(f->s.store, &a, "901", &o), HH_OK);
	struct hh_actor agent = { .label = "user:2", .org_id = o.id,
				  .org_is_municipality = 1,
				  .roles = HH_ROLE_AGENT, .user_id = 2 };
	assert_int_equal(hh_chat_presence(f->s.store, &agent), HH_OK);
	hh_arena_clear(&a);
	r = get(f, "/kontakt/901", NULL);
	tu_expect_in(r.body, "Chatten er åben nu");
	tu_expect_in(r.body, "href=\"/chat?organisation=901\">Start en chat</a>");
	tu_resp_free(&r);
	/* no contact details, hours or bookings given: said plainly */
	r = get(f, "/kontakt/902", NULL);
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "Der er ikke oplyst telefon og adresse.");
	tu_expect_in(r.body, "Der er ikke oplyst åbningstider.");
	tu_expect_not_in(r.body, "/tidsbestilling?kommune=902");
	tu_resp_free(&r);
	r = get(f, "/kontakt/findes-ikke", NULL);
	assert_int_equal(r.status, 404);
	tu_resp_free(&r);
	r = get(f, "/tilgaengelighed", NULL);
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "<h1>Tilgængelighedserklæring</h1>");
	tu_expect_in(r.body, "delvist i overensstemmelse");
	tu_expect_in(r.body, "ikke testet af brugere med");
	tu_resp_free(&r);
	r = get(f, "/privatliv", NULL);
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "<h1>Privatliv og dine data</h1>");
	tu_expect_in(r.body, "Tidsbestilling");
	tu_resp_free(&r);
}

/* Every page's footer links to contact, the accessibility statement and
 * the privacy page; a page of one organisation to its contact page. */
static void test_footer_on_every_page(void **state)
{
	struct afx *f = *state;
	static const struct {
		const char *path, *contact;
		long status;
	} pages[] = {
		{ "/", "/kontakt", 200 },
		{ "/soeg?q=pas", "/kontakt", 200 },
		{ "/log-ind", "/kontakt", 200 },
		{ "/borger/log-ind", "/kontakt", 200 },
		{ "/findes-ikke", "/kontakt", 404 },
		{ "/kontakt", "/kontakt", 200 },
		{ "/tilgaengelighed", "/kontakt", 200 },
		{ "/privatliv", "/kontakt", 200 },
		{ "/tidsbestilling", "/kontakt", 200 },
		{ "/tidsbestilling?kommune=901", "/kontakt/901", 200 },
		{ "/tidsbestilling?kommune=901&ydelse=pas", "/kontakt/901", 200 },
		{ "/kontakt/901", "/kontakt/901", 200 },
		{ "/mit-overblik", NULL, 303 },
	};
	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		struct tu_resp r = get(f, pages[i].path, NULL);
		if (r.status != pages[i].status)
			fprintf(stderr, "%s: %ld\n", pages[i].path, r.status);
		assert_int_equal(r.status, pages[i].status);
		if (pages[i].contact) {
			char want[64];
			snprintf(want, sizeof(want), "<li><a href=\"%s\">Kontakt</a></li>",
				 pages[i].contact);
			tu_expect_in(r.body, want);
			tu_expect_in(r.body, "<a href=\"/tilgaengelighed\">"
					     "Tilgængelighedserklæring</a>");
			tu_expect_in(r.body, "<a href=\"/privatliv\">");
			/* inside the footer */
			assert_true(strstr(r.body, want) > strstr(r.body, "<footer"));
		}
		tu_resp_free(&r);
	}
	/* and the staff pages */
	char ac[200], at[80];
	tu_login(&f->s, "agent@901", ac, sizeof(ac), at, sizeof(at));
	struct tu_resp r = get(f, "/borgerservice/tidsbestillinger", ac);
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "<a href=\"/tilgaengelighed\">");
	tu_resp_free(&r);
	r = get(f, "/sagsbehandling", ac);
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "<a href=\"/privatliv\">");
	tu_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_booking_flow_without_javascript,
						afx_setup, afx_teardown),
		cmocka_unit_test_setup_teardown(test_citizen_books_signed_in, afx_setup,
						afx_teardown),
		cmocka_unit_test_setup_teardown(test_day_list_page, afx_setup,
						afx_teardown),
		cmocka_unit_test_setup_teardown(test_contact_pages, afx_setup,
						afx_teardown),
		cmocka_unit_test_setup_teardown(test_footer_on_every_page, afx_setup,
						afx_teardown),
	};
	curl_global_init(CURL_GLOBAL_DEFAULT);
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
