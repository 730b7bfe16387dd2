/* test_letter_pages.c - the caseworker's letter pages: a decision button
 * that needs a letter leads to the compose page, the preview shows the
 * merged letter, "Send afgørelsen" without the justification is refused
 * and with it records the decision and sends the letter; with four eyes
 * the author cannot approve, a colleague sees the letter in "Breve til
 * godkendelse" and approves it; the PDF downloads as an attachment. */
#include "../domain/letters_fixture.h"

#include "domain/cases.h"


static int64_t submit(struct lf_http *f, const char *ct)
{
	return lf_http_submit(f, ct,
			      "{\"beloeb\":\"3.200,50\",\"formaal\":\"briller\"}");
}

static const char *enc(struct lf_http *f, const char *s)
{
	char *e = curl_easy_escape(NULL, s, 0);
	const char *out = hh_arena_strdup(&f->a, e);
	curl_free(e);
	return out;
}

static struct tu_resp get(struct lf_http *f, const char *cookie, const char *path)
{
	return tu_call(f->s.base, cookie, NULL, "GET", path, NULL, NULL);
}

static struct tu_resp post(struct lf_http *f, const char *cookie, const char *csrf,
			   const char *path, const char *fields)
{
	const char *h[] = { "Content-Type: application/x-www-form-urlencoded", NULL };
	const char *body = hh_arena_printf(&f->a, "csrf=%s&%s", csrf, fields);
	return tu_call(f->s.base, cookie, NULL, "POST", path, body, h);
}

static void expect_location(const struct tu_resp *r, const char *want)
{
	char loc[256];
	if (r->status != 303)
		fprintf(stderr, "%ld: %s\n", r->status, r->body);
	assert_int_equal(r->status, 303);
	assert_true(tu_header(r, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, want);
}

static void decision_goes_through_compose(void **state)
{
	struct lf_http *f = *state;
	int64_t id = submit(f, "hjaelp");
	const char *cp = hh_arena_printf(&f->a, "/sagsbehandling/sag/%lld", (long long)id);
	/* the decision button leads to the compose page */
	struct tu_resp r = post(f, f->c1, f->t1, hh_arena_printf(&f->a, "%s/overgang", cp),
				"version=1&til=rejected");
	expect_location(&r, hh_arena_printf(&f->a, "%s/brev?til=rejected", cp));
	tu_resp_free(&r);
	r = get(f, f->c1, hh_arena_printf(&f->a, "%s/brev?til=rejected", cp));
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "Afslag: Afgørelse om hjælp: afslag");
	tu_expect_in(r.body, "Forhåndsvisning");
	tu_expect_in(r.body, "Kære Anna Ærø Østergård");
	tu_expect_in(r.body, "3.200,50 kr.");
	tu_expect_in(r.body, "[Skriv begrundelsen her]");
	tu_expect_in(r.body, "name=\"justification\"");
	tu_expect_in(r.body, ">Send afgørelsen</button>");
	tu_expect_in(r.body, "bliver afgørelsen »Afslået« registreret");
	tu_resp_free(&r);
	const char *bp = hh_arena_printf(&f->a, "%s/brev", cp);
	/* the preview again, with the justification typed */
	const char *why = "Din formue på 45.000 kr. er over grænsen.";
	r = post(f, f->c1, f->t1, bp,
		 hh_arena_printf(&f->a, "version=1&til=rejected&handling=vis&"
					"justification=%s", enc(f, why)));
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "Din formue på 45.000 kr. er over grænsen.");
	tu_expect_not_in(r.body, "[Skriv begrundelsen her]");
	tu_resp_free(&r);
	/* no justification: refused, nothing recorded */
	r = post(f, f->c1, f->t1, bp, "version=1&til=rejected&handling=send&"
				      "justification=+&text=Hej");
	assert_int_equal(r.status, 422);
	tu_expect_in(r.body, "Skriv begrundelsen for afgørelsen");
	tu_expect_in(r.body, "aria-invalid=\"true\"");
	tu_expect_in(r.body, ">Hej</textarea>"); /* what was typed stays */
	tu_resp_free(&r);
	r = get(f, f->c1, cp);
	tu_expect_in(r.body, "Der er ikke sendt breve på sagen.");
	tu_resp_free(&r);
	/* a stale case version is not sent */
	r = post(f, f->c1, f->t1, bp,
		 hh_arena_printf(&f->a, "version=7&til=rejected&handling=send&"
					"justification=%s", enc(f, why)));
	assert_int_equal(r.status, 409);
	tu_expect_in(r.body, "ændret af en anden");
	tu_resp_free(&r);
	/* sent: decision and letter in one */
	r = post(f, f->c1, f->t1, bp,
		 hh_arena_printf(&f->a, "version=1&til=rejected&handling=send&"
					"justification=%s", enc(f, why)));
	expect_location(&r, hh_arena_printf(&f->a, "%s?udfoert=brev-sendt", cp));
	tu_resp_free(&r);
	r = get(f, f->c1, hh_arena_printf(&f->a, "%s?udfoert=brev-sendt", cp));
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "Brevet er sendt, og sagen har nu tilstanden »Afslået«.");
	tu_expect_in(r.body, "Afgørelse om hjælp: afslag</a></td><td>Afslag</td>"
			     "<td>Sendt</td><td>Jonas Krogh</td>");
	tu_expect_in(r.body, "Brev sendt til borgeren: <q>Afgørelse om hjælp: afslag</q>");
	tu_resp_free(&r);
}

static void four_eyes_pages(void **state)
{
	struct lf_http *f = *state;
	int64_t id = submit(f, "hjaelp4");
	const char *cp = hh_arena_printf(&f->a, "/sagsbehandling/sag/%lld", (long long)id);
	struct tu_resp r = get(f, f->c1, hh_arena_printf(&f->a, "%s/brev?til=rejected", cp));
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, ">Send til godkendelse</button>");
	tu_resp_free(&r);
	r = post(f, f->c1, f->t1, hh_arena_printf(&f->a, "%s/brev", cp),
		 "version=1&til=rejected&handling=send&justification=For+h%C3%B8j+formue.");
	expect_location(&r, hh_arena_printf(&f->a, "%s?udfoert=brev-godkendelse", cp));
	tu_resp_free(&r);
	/* the author's list is empty; the colleague's has the letter */
	r = get(f, f->c1, "/sagsbehandling/godkendelser");
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "Der er ingen breve, der venter på din godkendelse.");
	tu_resp_free(&r);
	r = get(f, f->c2, "/sagsbehandling/godkendelser");
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "Afgørelse om hjælp: afslag");
	const char *href = strstr(r.body, "/sagsbehandling/brev/");
	assert_non_null(href);
	long long lid = strtoll(href + strlen("/sagsbehandling/brev/"), NULL, 10);
	tu_resp_free(&r);
	const char *lp = hh_arena_printf(&f->a, "/sagsbehandling/brev/%lld", lid);
	/* the author is told they cannot approve their own letter */
	r = get(f, f->c1, lp);
	tu_expect_in(r.body, "Du kan ikke selv godkende et brev, du har skrevet.");
	tu_expect_not_in(r.body, "Godkend og send");
	tu_resp_free(&r);
	r = post(f, f->c1, f->t1, hh_arena_printf(&f->a, "%s/godkend", lp), "version=2");
	assert_int_equal(r.status, 403);
	tu_expect_in(r.body, "godkendes af en anden sagsbehandler");
	tu_resp_free(&r);
	/* the colleague approves: sent, and the case decided */
	r = get(f, f->c2, lp);
	tu_expect_in(r.body, "Godkend og send");
	tu_resp_free(&r);
	r = post(f, f->c2, f->t2, hh_arena_printf(&f->a, "%s/godkend", lp), "version=2");
	expect_location(&r, hh_arena_printf(&f->a, "%s?udfoert=sendt", lp));
	tu_resp_free(&r);
	r = get(f, f->c2, lp);
	tu_expect_in(r.body, "<dt>Godkendt af</dt><dd>Camilla Bæk</dd>");
	tu_expect_in(r.body, "<dt>Tilstand</dt><dd>Sendt</dd>");
	tu_resp_free(&r);
	r = get(f, f->c1, cp);
	tu_expect_in(r.body, "Brev godkendt af Camilla Bæk");
	tu_expect_in(r.body, "<dt>Tilstand</dt><dd>Afslået</dd>");
	tu_resp_free(&r);
	r = get(f, f->c1, hh_arena_printf(&f->a, "%s.pdf", lp));
	assert_int_equal(r.status, 200);
	char h[128];
	assert_true(tu_header(&r, "Content-Type", h, sizeof(h)));
	assert_string_equal(h, "application/pdf");
	assert_true(tu_header(&r, "X-Content-Type-Options", h, sizeof(h)));
	assert_string_equal(h, "nosniff");
	tu_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(decision_goes_through_compose, lf_http_setup,
						lf_http_teardown),
		cmocka_unit_test_setup_teardown(four_eyes_pages, lf_http_setup, lf_http_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
