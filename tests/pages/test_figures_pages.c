/* test_figures_pages.c - the managers' pages (pages/figures.c) and the
 * public service levels in a real server on inquiries and cases made
 * through the domain: every key figure on /ledelse is the value and the
 * numerator/denominator hh_figures_summary gives for the same filters,
 * written the Danish way; other roles get the Danish 403 page and
 * anonymous visitors the sign-in; refused filters a Danish message and
 * 400; the CSV files are Danish Excel's (BOM, ";", a Danish file name);
 * the drill-down links each case to the case page; the public page needs
 * no sign-in and may be cached briefly. */
#include "testutil.h"

#include <math.h>

#include "api/figures_fixture.h"
#include "render/chart.h"

/* The text between the first `open` after `from` and the next `close`,
 * new ("" when absent). */
static char *between(const char *hay, const char *from, const char *open,
		     const char *close)
{
	const char *p = strstr(hay, from);
	p = p ? strstr(p, open) : NULL;
	if (!p)
		return hh_xstrdup("");
	p += strlen(open);
	const char *e = strstr(p, close);
	return e ? hh_xstrndup(p, e - p) : hh_xstrdup("");
}

/* What the page must show for v of indicator i: the value as the card
 * writes it (the same formatting as render/chart.h's, one decimal for
 * days and "pr. 100", two for kroner, whole percents). */
static void expected_value(struct hh_buf *b, enum hh_fig_ind i,
			   const struct hh_fig_value *v)
{
	if (!v->has) {
		hh_buf_puts(b, "<span aria-hidden=\"true\">\xe2\x80\x93</span>"
			       "<span class=\"visually-hidden\">ingen data</span>");
		return;
	}
	switch (i) {
	case HH_FIG_INQUIRIES:
	case HH_FIG_CASES:
		hh_value_da(b, v->value, HH_CHART_COUNT, 0, NULL);
		break;
	case HH_FIG_TRANSFERS:
		hh_value_da(b, v->value, HH_CHART_NUMBER, 1, "pr. 100");
		break;
	case HH_FIG_PROC_MEDIAN:
	case HH_FIG_PROC_P90:
		hh_value_da(b, v->value, HH_CHART_NUMBER, 1, "dage");
		break;
	case HH_FIG_CHAT_RATING:
		hh_value_da(b, v->value, HH_CHART_NUMBER, 1, "af 5");
		break;
	case HH_FIG_COST_INQUIRY:
	case HH_FIG_COST_CASE:
		hh_value_da(b, v->value, HH_CHART_NUMBER, 2, "kr.");
		break;
	default:
		hh_value_da(b, v->value, HH_CHART_SHARE, 0, NULL);
		break;
	}
}

/* Every card of /ledelse with these filters equals the domain's value,
 * and the words carry its numerator and denominator. */
static void cards_equal(struct ff *f, const char *cookie, int64_t org,
			const char *page_query, const char *const *kv)
{
	char path[256];
	snprintf(path, sizeof(path), "/ledelse?%s", page_query);
	struct tu_resp r = ff_get(f, cookie, path);
	if (r.status != 200)
		fail_msg("%s: %ld %s", path, r.status, r.body);
	struct hh_fig_value v[HH_FIG__COUNT];
	ff_domain(f, org, kv, v);
	int cards = 0;
	for (int i = 0; i < HH_FIG__COUNT; i++) {
		char id[64];
		snprintf(id, sizeof(id), "id=\"tal-%s\"", hh_fig_key(i));
		if (!strstr(r.body, id))
			continue;
		cards++;
		char *shown = between(r.body, id, "<p class=\"value\">", "</p>");
		struct hh_buf want;
		hh_buf_init(&want);
		expected_value(&want, i, &v[i]);
		if (strcmp(shown, hh_buf_str(&want)))
			fail_msg("%s: page %s, domain %s", hh_fig_key(i), shown,
				 hh_buf_str(&want));
		free(shown);
		if (v[i].has && i != HH_FIG_INQUIRIES && i != HH_FIG_CASES &&
		    i != HH_FIG_COST_INQUIRY && i != HH_FIG_COST_CASE &&
		    i != HH_FIG_PROC_MEDIAN && i != HH_FIG_PROC_P90 &&
		    i != HH_FIG_CHAT_RATING) {
			char *words = between(r.body, id, "<p class=\"words\">", "</p>");
			hh_buf_reset(&want);
			hh_num_da(&want, (double)v[i].num, 0);
			hh_buf_puts(&want, " af ");
			hh_num_da(&want, (double)v[i].den, 0);
			if (i == HH_FIG_TRANSFERS) {
				hh_buf_reset(&want);
				hh_num_da(&want, (double)v[i].num, 0);
				hh_buf_puts(&want, " viderestillinger på ");
				hh_num_da(&want, (double)v[i].den, 0);
			}
			tu_expect_in(words, hh_buf_str(&want));
			free(words);
		}
		hh_buf_clear(&want);
	}
	/* every indicator of the summary has its card */
	assert_int_equal(cards, HH_FIG__COUNT);
	tu_resp_free(&r);
}

static void test_dashboard_equals_domain(void **state)
{
	struct ff *f = *state;
	cards_equal(f, f->manager, f->m901, "periode=30d",
		    (const char *[]){ "period", "30d", NULL });
	cards_equal(f, f->manager, f->m901, "periode=12m&kanal=phone",
		    (const char *[]){ "period", "12m", "channel", "phone", NULL });
	cards_equal(f, f->manager, f->m901, "periode=30d&sagstype=proevesag",
		    (const char *[]){ "period", "30d", "case_type", "proevesag",
				      NULL });
	/* Åstrup's manager sees Åstrup's figures */
	cards_equal(f, f->manager902, f->m902, "periode=30d",
		    (const char *[]){ "period", "30d", NULL });
	/* and the fixture's counts are really there: 7 inquiries at 901,
	   4 of 6 ended ones resolved at first contact... */
	struct hh_fig_value v[HH_FIG__COUNT];
	ff_domain(f, f->m901, (const char *[]){ "period", "30d", NULL }, v);
	assert_int_equal(v[HH_FIG_INQUIRIES].num, 7);
	struct tu_resp r = ff_get(f, f->manager, "/ledelse?periode=30d");
	tu_expect_in(r.body, "<p class=\"value\">7</p>");
	/* ...the charts are images named by their titles, and each has
	   its table */
	tu_expect_in(r.body, "role=\"img\" width=\"720\"");
	tu_expect_in(r.body, "aria-labelledby=\"graf-tendens-t\"");
	tu_expect_in(r.body, "<table class=\"chart-data\" id=\"graf-tendens-tabel\">");
	tu_expect_in(r.body, "<caption>Andele pr. måned</caption>");
	tu_expect_not_in(r.body, "NaN");
	tu_expect_not_in(r.body, "nan");
	/* every indicator links to its drill-down with the same filters */
	tu_expect_in(r.body, "href=\"/ledelse/bag/fcr?periode=30d\"");
	/* Servicetal in the menu */
	tu_expect_in(r.body, "<a href=\"/ledelse\">Servicetal</a>");
	tu_resp_free(&r);
}

static void test_access(void **state)
{
	struct ff *f = *state;
	static const char *const paths[] = { "/ledelse", "/ledelse/benchmark",
					     "/ledelse/bag/fcr" };
	for (int k = 0; k < 3; k++) {
		struct tu_resp r = ff_get(f, NULL, paths[k]);
		assert_int_equal(r.status, 303);
		char loc[128];
		assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
		assert_string_equal(loc, "/log-ind");
		tu_resp_free(&r);
		const char *staff[] = { f->agent, f->caseworker, f->editor };
		for (int s = 0; s < 3; s++) {
			r = ff_get(f, staff[s], paths[k]);
			assert_int_equal(r.status, 403);
			tu_expect_in(r.body, "<h1>Ingen adgang</h1>");
			tu_expect_in(r.body, "Servicetallene er for ledere");
			tu_expect_not_in(r.body, "<a href=\"/ledelse\">Servicetal</a>");
			tu_resp_free(&r);
		}
	}
	/* the staff page of a caseworker has no Servicetal; a manager's has */
	struct tu_resp r = ff_get(f, f->caseworker, "/personale");
	tu_expect_not_in(r.body, "Servicetal");
	tu_resp_free(&r);
	r = ff_get(f, f->manager, "/personale");
	tu_expect_in(r.body, "Servicetal");
	tu_resp_free(&r);
}

static void test_bad_filters(void **state)
{
	struct ff *f = *state;
	static const struct {
		const char *path, *field, *says;
	} bad[] = {
		{ "/ledelse?fra=2026-02-30", "fra", "Startdatoen er ikke en gyldig dato" },
		{ "/ledelse?fra=2026-03-01&til=2026-01-01", "til",
		  "Slutdatoen ligger før startdatoen" },
		{ "/ledelse?fra=2020-01-01&til=2025-01-01", "til", "Vælg højst tre år" },
		{ "/ledelse?kanal=brevdue", "kanal", "Kanalen findes ikke" },
		{ "/ledelse?emne=x", "emne", "KLE-nummer" },
		{ "/ledelse/benchmark?periode=uge", "periode", "Den faste periode" },
		{ "/ledelse/bag/fcr?efter=-1", "efter", "Sidenummereringen" },
	};
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		struct tu_resp r = ff_get(f, f->manager, bad[k].path);
		if (r.status != 400)
			fail_msg("%s: %ld", bad[k].path, r.status);
		tu_expect_in(r.body, "<div class=\"error-summary\" role=\"alert\"");
		tu_expect_in(r.body, bad[k].says);
		char link[64];
		snprintf(link, sizeof(link), "<a href=\"#f-%s\">", bad[k].field);
		if (strcmp(bad[k].field, "efter") && strcmp(bad[k].field, "periode"))
			tu_expect_in(r.body, link);
		tu_resp_free(&r);
	}
	struct tu_resp r = ff_get(f, f->manager, "/ledelse?format=xml&tabel=kanaler");
	assert_int_equal(r.status, 400);
	tu_resp_free(&r);
	r = ff_get(f, f->manager, "/ledelse?format=csv&tabel=findes-ikke");
	assert_int_equal(r.status, 400);
	tu_expect_in(r.body, "Tabellen findes ikke");
	tu_resp_free(&r);
	r = ff_get(f, f->manager, "/ledelse/bag/findes-ikke");
	assert_int_equal(r.status, 404);
	tu_resp_free(&r);
}

static void test_csv(void **state)
{
	struct ff *f = *state;
	struct tu_resp r = ff_get(f, f->manager,
				  "/ledelse?periode=30d&format=csv&tabel=noegletal");
	assert_int_equal(r.status, 200);
	char h[256];
	assert_true(tu_header(&r, "Content-Type", h, sizeof(h)));
	assert_string_equal(h, "text/csv; charset=utf-8");
	assert_true(tu_header(&r, "Content-Disposition", h, sizeof(h)));
	assert_true(!strncmp(h, "attachment; filename=\"servicetal-noegletal-", 43));
	assert_memory_equal(r.body, "\xef\xbb\xbf", 3);
	assert_true(!strncmp(r.body + 3,
			     "Nøgle;Indikator;Værdi;Enhed;Tæller;Nævner\r\n", 45));
	/* the row of first-contact resolution: percent with a decimal
	   comma, numerator and denominator as the domain has them */
	struct hh_fig_value v[HH_FIG__COUNT];
	ff_domain(f, f->m901, (const char *[]){ "period", "30d", NULL }, v);
	char want[160];
	if (v[HH_FIG_FCR].has) {
		char pct[32];
		snprintf(pct, sizeof(pct), "%.1f", v[HH_FIG_FCR].value * 100.0);
		*strchr(pct, '.') = ',';
		snprintf(want, sizeof(want), ";%s;%%;%lld;%lld\r\n", pct,
			 (long long)v[HH_FIG_FCR].num, (long long)v[HH_FIG_FCR].den);
	} else {
		snprintf(want, sizeof(want), ";;%%;%lld;%lld\r\n",
			 (long long)v[HH_FIG_FCR].num, (long long)v[HH_FIG_FCR].den);
	}
	const char *fcr = strstr(r.body, "\r\nfcr;");
	assert_non_null(fcr);
	const char *eol = strstr(fcr + 2, "\r\n");
	assert_non_null(strstr(fcr, want));
	assert_true(strstr(fcr, want) < eol + 2);
	tu_resp_free(&r);
	/* the drill-down's CSV: a header and one row per inquiry */
	r = ff_get(f, f->manager, "/ledelse/bag/inquiries?periode=30d&format=csv");
	assert_int_equal(r.status, 200);
	assert_memory_equal(r.body, "\xef\xbb\xbf", 3);
	int rows = 0;
	for (const char *p = r.body; (p = strstr(p, "\r\n")); p += 2)
		rows++;
	assert_int_equal(rows, 1 + 7);
	tu_resp_free(&r);
	/* the public table */
	r = ff_get(f, NULL, "/serviceniveau/901?format=csv");
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "Kode;Sagstype;Frist (dage);Afgjorte;Inden for frist "
			     "(%);Median (dage)\r\n");
	tu_expect_in(r.body, "\r\nproevesag;Prøvesag;10;2;100,0;");
	tu_resp_free(&r);
}

static void test_drill_page(void **state)
{
	struct ff *f = *state;
	struct tu_resp r = ff_get(f, f->manager, "/ledelse/bag/cases?periode=30d");
	assert_int_equal(r.status, 200);
	for (int k = 0; k < f->n_cases; k++) {
		char link[64];
		snprintf(link, sizeof(link), "<a href=\"/sagsbehandling/sag/%lld\">",
			 (long long)f->cases[k]);
		tu_expect_in(r.body, link);
	}
	tu_expect_in(r.body, "<caption>Bag tallet: ");
	/* nothing personal: the fixture's cases have no citizen, and the
	   page never shows a CPR-like number */
	tu_expect_not_in(r.body, "CPR");
	tu_resp_free(&r);
}

static void test_service_levels_page(void **state)
{
	struct ff *f = *state;
	struct tu_resp r = ff_get(f, NULL, "/serviceniveau/901");
	assert_int_equal(r.status, 200);
	char cc[64];
	assert_true(tu_header(&r, "Cache-Control", cc, sizeof(cc)));
	assert_string_equal(cc, "public, max-age=300");
	tu_expect_in(r.body, "<h1>Sagsbehandlingstider hos Nordskov Kommune</h1>");
	tu_expect_in(r.body, "<th scope=\"row\">Prøvesag</th><td class=\"num\">10"
			     "\xc2\xa0" "dage</td><td class=\"num\">2</td>"
			     "<td class=\"num\">100\xc2\xa0%</td>");
	/* the footer links the page of the organisation */
	tu_expect_in(r.body, "<a href=\"/serviceniveau/901\">Sagsbehandlingstider</a>");
	tu_resp_free(&r);
	r = ff_get(f, NULL, "/kontakt/901");
	tu_expect_in(r.body, "<a href=\"/serviceniveau/901\">Sagsbehandlingstider</a>");
	tu_resp_free(&r);
	r = ff_get(f, NULL, "/serviceniveau/findes-ikke");
	assert_int_equal(r.status, 404);
	tu_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dashboard_equals_domain),
		cmocka_unit_test(test_access),
		cmocka_unit_test(test_bad_filters),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_drill_page),
		cmocka_unit_test(test_service_levels_page),
	};
	return cmocka_run_group_tests(tests, ff_setup, ff_teardown);
}
