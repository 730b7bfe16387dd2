/* test_chart.c - the managers' SVG charts and data tables (render/chart.h)
 * on hand-made series: each chart parses as XML (libxml2), is an
 * role="img" svg named by its <title> and described by its <desc>,
 * labels every month of a year without overlap, writes Danish numbers,
 * leaves a gap (never NaN) for a missing value, and says "Ingen data" for
 * an empty series. The data tables carry caption, th scope and the same
 * numbers. */
#include "testutil.h"

#include <math.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "render/chart.h"

#define NBSP "\xc2\xa0"

struct doc {
	xmlDocPtr d;
	xmlXPathContextPtr x;
};

/* Parses text as XML (a failure fails the test) with the svg namespace
 * bound to "s". */
static struct doc parse(const char *text)
{
	struct doc o;
	o.d = xmlReadMemory(text, (int)strlen(text), "chart.xml", "UTF-8",
			    XML_PARSE_NONET | XML_PARSE_NOERROR |
				    XML_PARSE_NOWARNING);
	if (!o.d)
		fprintf(stderr, "not well-formed:\n%s\n", text);
	assert_non_null(o.d);
	o.x = xmlXPathNewContext(o.d);
	xmlXPathRegisterNs(o.x, BAD_CAST "s",
			   BAD_CAST "http://www.w3.org/2000/svg");
	return o;
}

static void done(struct doc *o)
{
	xmlXPathFreeContext(o->x);
	xmlFreeDoc(o->d);
}

static int count(struct doc *o, const char *xpath)
{
	xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST xpath, o->x);
	assert_non_null(r);
	int n = r->nodesetval ? r->nodesetval->nodeNr : 0;
	xmlXPathFreeObject(r);
	return n;
}

/* The string value of xpath (a string() expression), new. */
static char *str(struct doc *o, const char *xpath)
{
	xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST xpath, o->x);
	assert_non_null(r);
	xmlChar *s = xmlXPathCastToString(r);
	char *out = hh_xstrdup((const char *)s);
	xmlFree(s);
	xmlXPathFreeObject(r);
	return out;
}

/* The numeric attribute values of the nodes of xpath, into out (max). */
static int numbers(struct doc *o, const char *xpath, double *out, int max)
{
	xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST xpath, o->x);
	assert_non_null(r);
	int n = 0;
	for (int i = 0; r->nodesetval && i < r->nodesetval->nodeNr && n < max;
	     i++) {
		xmlChar *s = xmlNodeGetContent(r->nodesetval->nodeTab[i]);
		out[n++] = atof((const char *)s);
		xmlFree(s);
	}
	xmlXPathFreeObject(r);
	return n;
}

static void no_nan(const char *text)
{
	assert_null(strstr(text, "nan"));
	assert_null(strstr(text, "NaN"));
	assert_null(strstr(text, "inf"));
}

/* The svg's accessible name and description point at its own title and
 * desc, and it is an image. */
static void accessible(struct doc *o, const char *id)
{
	char want[128];
	assert_int_equal(count(o, "/s:svg[@role='img']"), 1);
	snprintf(want, sizeof(want), "/s:svg[@aria-labelledby='%s-t']", id);
	assert_int_equal(count(o, want), 1);
	snprintf(want, sizeof(want), "/s:svg[@aria-describedby='%s-d']", id);
	assert_int_equal(count(o, want), 1);
	snprintf(want, sizeof(want), "/s:svg/s:title[@id='%s-t']", id);
	assert_int_equal(count(o, want), 1);
	snprintf(want, sizeof(want), "/s:svg/s:desc[@id='%s-d']", id);
	assert_int_equal(count(o, want), 1);
}

static const char *const MONTHS[12] = { "2025-07", "2025-08", "2025-09",
					"2025-10", "2025-11", "2025-12",
					"2026-01", "2026-02", "2026-03",
					"2026-04", "2026-05", "2026-06" };

static void test_numbers(void **state)
{
	struct { double v; int d; const char *want; } cases[] = {
		{ 1234.5, 1, "1.234,5" },
		{ 1234567, 0, "1.234.567" },
		{ 999, 0, "999" },
		{ 0.5, 2, "0,50" },
		{ -45, 0, "\xe2\x88\x92" "45" },
		{ -0.0001, 0, "0" },
		{ 0, 0, "0" },
		{ NAN, 0, "\xe2\x80\x93" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hh_buf b;
		hh_buf_init(&b);
		hh_num_da(&b, cases[i].v, cases[i].d);
		assert_string_equal(hh_buf_str(&b), cases[i].want);
		hh_buf_clear(&b);
	}
	struct hh_buf b;
	hh_buf_init(&b);
	hh_value_da(&b, 0.69, HH_CHART_SHARE, 0, NULL);
	assert_string_equal(hh_buf_str(&b), "69" NBSP "%");
	hh_buf_reset(&b);
	hh_value_da(&b, 12.5, HH_CHART_NUMBER, 1, "dage");
	assert_string_equal(hh_buf_str(&b), "12,5" NBSP "dage");
	hh_buf_reset(&b);
	hh_value_da(&b, 1790, HH_CHART_COUNT, 0, NULL);
	assert_string_equal(hh_buf_str(&b), "1.790");
	hh_buf_reset(&b);
	hh_month_da(&b, "2026-03");
	assert_string_equal(hh_buf_str(&b), "marts 2026");
	hh_buf_reset(&b);
	hh_month_da(&b, "phone");
	assert_string_equal(hh_buf_str(&b), "phone");
	hh_buf_clear(&b);
}

/* Two series over twelve months: every month labelled, at least 44
 * units apart, the year under the first point and under January, both
 * lines drawn and named at their ends. */
static void test_line_year(void **state)
{
	double fcr[12], transfers[12];
	for (int i = 0; i < 12; i++) {
		fcr[i] = 0.53 + i * 0.015;
		transfers[i] = 0.30 - i * 0.02;
	}
	struct hh_chart_series s[] = { { "Førstegangsløsning", fcr },
				       { "Viderestillinger", transfers } };
	struct hh_chart c = { .id = "trend", .title = "Udvikling pr. måned",
			      .label_head = "Måned", .fmt = HH_CHART_SHARE,
			      .n_labels = 12, .labels = MONTHS,
			      .n_series = 2, .series = s };
	struct hh_buf b;
	hh_buf_init(&b);
	hh_chart_line(&b, &c);
	no_nan(hh_buf_str(&b));
	struct doc o = parse(hh_buf_str(&b));
	accessible(&o, "trend");
	char *t = str(&o, "string(/s:svg/s:title)");
	assert_string_equal(t, "Udvikling pr. måned");
	free(t);
	char *d = str(&o, "string(/s:svg/s:desc)");
	assert_non_null(strstr(d, "tabellen"));
	free(d);
	/* twelve month labels, far enough apart not to overlap */
	assert_int_equal(count(&o, "//s:g[@class='x-axis']/s:text"), 12);
	double xs[12];
	assert_int_equal(numbers(&o, "//s:g[@class='x-axis']/s:text/@x", xs, 12), 12);
	for (int i = 1; i < 12; i++)
		assert_true(xs[i] - xs[i - 1] >= 44.0);
	char *first = str(&o, "string(//s:g[@class='x-axis']/s:text[1])");
	assert_string_equal(first, "jul2025");
	free(first);
	char *jan = str(&o, "string(//s:g[@class='x-axis']/s:text[7])");
	assert_string_equal(jan, "jan2026");
	free(jan);
	char *feb = str(&o, "string(//s:g[@class='x-axis']/s:text[8])");
	assert_string_equal(feb, "feb");
	free(feb);
	/* the lines: two paths, one unbroken each, twelve markers each */
	assert_int_equal(count(&o, "//s:g[@class='series']"), 2);
	char *p = str(&o, "string(//s:g[@class='series'][1]/s:path/@d)");
	assert_int_equal(p[0], 'M');
	assert_null(strchr(p + 1, 'M'));
	free(p);
	assert_int_equal(count(&o, "//s:g[@class='series'][1]/s:circle"), 12);
	assert_int_equal(count(&o, "//s:g[@class='series'][2]/s:rect"), 12);
	/* the second is dashed: told apart without colour */
	assert_int_equal(count(&o, "//s:g[@class='series'][2]/s:path[@stroke-dasharray]"), 1);
	/* named at their ends */
	assert_int_equal(count(&o, "//s:text[@class='end-label']"), 2);
	assert_int_equal(count(&o, "//s:text[@class='end-label'][.='Viderestillinger']"), 1);
	/* the y axis in Danish percent, up to 100 % at most */
	assert_int_equal(count(&o, "//s:g[@class='y-axis']/s:text[.='0" NBSP "%']"), 1);
	assert_int_equal(count(&o, "//s:g[@class='y-axis']/s:text[contains(., '.')]"), 0);
	/* the higher value is drawn higher (smaller y) */
	double ys[12];
	assert_int_equal(numbers(&o, "//s:g[@class='series'][1]/s:circle/@cy", ys, 12), 12);
	assert_true(ys[11] < ys[0]);
	done(&o);
	hh_buf_clear(&b);
}

/* A missing month is a gap in the line (a new "M"), no marker, and
 * "ingen data" in the table, never NaN or 0. */
static void test_line_gap(void **state)
{
	double v[12];
	for (int i = 0; i < 12; i++)
		v[i] = 100 + i;
	v[4] = NAN;
	struct hh_chart_series s[] = { { "Henvendelser", v } };
	struct hh_chart c = { .id = "gap", .title = "Henvendelser",
			      .label_head = "Måned", .fmt = HH_CHART_COUNT,
			      .n_labels = 12, .labels = MONTHS,
			      .n_series = 1, .series = s };
	struct hh_buf b;
	hh_buf_init(&b);
	hh_chart_line(&b, &c);
	no_nan(hh_buf_str(&b));
	struct doc o = parse(hh_buf_str(&b));
	char *p = str(&o, "string(//s:g[@class='series']/s:path/@d)");
	int moves = 0;
	for (char *q = p; *q; q++)
		moves += *q == 'M';
	assert_int_equal(moves, 2);
	free(p);
	assert_int_equal(count(&o, "//s:g[@class='series']/s:circle"), 11);
	done(&o);
	hh_buf_reset(&b);
	hh_chart_table(&b, &c, 0);
	no_nan(hh_buf_str(&b));
	o = parse(hh_buf_str(&b));
	assert_int_equal(count(&o, "//tr[th[.='november 2025']]/td[contains(., 'ingen data')]"), 1);
	assert_int_equal(count(&o, "//tr[th[.='oktober 2025']]/td[.='103']"), 1);
	done(&o);
	hh_buf_clear(&b);
}

/* Nothing to draw: no points at all, or only missing values. */
static void test_empty(void **state)
{
	double v[3] = { NAN, NAN, NAN };
	const char *labels[3] = { "2026-01", "2026-02", "2026-03" };
	struct hh_chart_series s[] = { { "Henvendelser", v } };
	struct hh_chart c = { .id = "tom", .title = "Henvendelser",
			      .label_head = "Måned", .fmt = HH_CHART_COUNT,
			      .n_labels = 3, .labels = labels,
			      .n_series = 1, .series = s };
	void (*draw[])(struct hh_buf *, const struct hh_chart *) = {
		hh_chart_line, hh_chart_bars, hh_chart_stacked
	};
	for (int k = 0; k < 3; k++)
		for (int n = 0; n <= 3; n += 3) {
			c.n_labels = n;
			struct hh_buf b;
			hh_buf_init(&b);
			draw[k](&b, &c);
			no_nan(hh_buf_str(&b));
			struct doc o = parse(hh_buf_str(&b));
			accessible(&o, "tom");
			assert_int_equal(count(&o, "//s:text[.='Ingen data i perioden']"), 1);
			char *d = str(&o, "string(/s:svg/s:desc)");
			assert_non_null(strstr(d, "ingen data"));
			free(d);
			assert_int_equal(count(&o, "//s:path|//s:circle"), 0);
			done(&o);
			hh_buf_clear(&b);
		}
	c.n_labels = 0;
	struct hh_buf b;
	hh_buf_init(&b);
	hh_chart_table(&b, &c, 0);
	struct doc o = parse(hh_buf_str(&b));
	assert_int_equal(count(&o, "//td[.='Ingen data i perioden'][@colspan='2']"), 1);
	done(&o);
	hh_buf_clear(&b);
}

/* Horizontal bars: lengths in proportion (a share's full length is
 * 100 %), the value written after each bar, a long name cut with "…". */
static void test_bars(void **state)
{
	double v[3] = { 1.0, 0.5, 0.0 };
	const char *labels[3] = {
		"Flytning", "Ansøgning om parkeringskort til personer med handicap",
		"Byggetilladelse"
	};
	struct hh_chart_series s[] = { { "Andel inden for frist", v } };
	struct hh_chart c = { .id = "frist", .title = "Inden for frist",
			      .label_head = "Sagstype", .fmt = HH_CHART_SHARE,
			      .n_labels = 3, .labels = labels,
			      .n_series = 1, .series = s };
	struct hh_buf b;
	hh_buf_init(&b);
	hh_chart_bars(&b, &c);
	no_nan(hh_buf_str(&b));
	struct doc o = parse(hh_buf_str(&b));
	accessible(&o, "frist");
	double w[3];
	assert_int_equal(numbers(&o, "//s:g[@class='bar']/s:rect/@width", w, 3), 2);
	assert_true(fabs(w[1] * 2 - w[0]) < 0.2);
	assert_int_equal(count(&o, "//s:g[@class='bar']/s:text[.='100" NBSP "%']"), 1);
	assert_int_equal(count(&o, "//s:g[@class='bar']/s:text[.='50" NBSP "%']"), 1);
	assert_int_equal(count(&o, "//s:g[@class='bar']/s:text[.='0" NBSP "%']"), 1);
	assert_int_equal(count(&o, "//s:g[@class='bar']/s:text[.='Ansøgning om parkeringskort…']"), 1);
	done(&o);
	/* the table keeps the whole name */
	hh_buf_reset(&b);
	hh_chart_table(&b, &c, 0);
	o = parse(hh_buf_str(&b));
	assert_int_equal(count(&o, "//caption[.='Inden for frist']"), 1);
	assert_int_equal(count(&o, "//thead//th[@scope='col']"), 2);
	assert_int_equal(count(&o, "//tbody//th[@scope='row']"), 3);
	assert_int_equal(count(&o, "//th[.='Ansøgning om parkeringskort til personer med handicap']"), 1);
	done(&o);
	hh_buf_clear(&b);
}

/* The channel mix: a pattern per channel, each segment filled with its
 * own, heights adding up to the bar, the legend naming every channel,
 * and the table's total. */
static void test_stacked(void **state)
{
	double phone[12], web[12], chat[12];
	for (int i = 0; i < 12; i++) {
		phone[i] = 1000 - 40 * i;
		web[i] = 500 + 60 * i;
		chat[i] = i == 3 ? NAN : 100;
	}
	struct hh_chart_series s[] = { { "Telefon", phone },
				       { "Selvbetjening", web },
				       { "Chat", chat } };
	struct hh_chart c = { .id = "mix", .title = "Kanaler pr. måned",
			      .label_head = "Måned", .fmt = HH_CHART_COUNT,
			      .n_labels = 12, .labels = MONTHS,
			      .n_series = 3, .series = s };
	struct hh_buf b;
	hh_buf_init(&b);
	hh_chart_stacked(&b, &c);
	no_nan(hh_buf_str(&b));
	struct doc o = parse(hh_buf_str(&b));
	accessible(&o, "mix");
	assert_int_equal(count(&o, "//s:defs/s:pattern"), 3);
	/* two of three patterns draw something on the colour */
	assert_int_equal(count(&o, "//s:pattern[@id='mix-p1']/s:path"), 1);
	assert_int_equal(count(&o, "//s:pattern[@id='mix-p2']/s:circle"), 1);
	assert_int_equal(count(&o, "//s:g[@class='stack']"), 12);
	assert_int_equal(count(&o, "//s:g[@class='stack']/s:rect"), 35);
	assert_int_equal(count(&o, "//s:g[@class='stack']/s:rect[@fill='url(#mix-p1)']"), 12);
	assert_int_equal(count(&o, "//s:g[@class='legend']/s:text"), 3);
	assert_int_equal(count(&o, "//s:g[@class='legend']/s:text[.='Selvbetjening']"), 1);
	assert_int_equal(count(&o, "//s:g[@class='x-axis']/s:text"), 12);
	/* the bars' heights are in proportion to their totals: the first
	   month (1600) against the last (1000 - 440 + 1160 + 100 = 1820) */
	double h1[3], h12[3];
	assert_int_equal(numbers(&o, "//s:g[@class='stack'][1]/s:rect/@height", h1, 3), 3);
	assert_int_equal(numbers(&o, "//s:g[@class='stack'][12]/s:rect/@height", h12, 3), 3);
	double t1 = h1[0] + h1[1] + h1[2], t12 = h12[0] + h12[1] + h12[2];
	assert_true(fabs(t1 / t12 - 1600.0 / 1820.0) < 0.01);
	done(&o);
	hh_buf_reset(&b);
	hh_chart_table(&b, &c, 1);
	o = parse(hh_buf_str(&b));
	assert_int_equal(count(&o, "//thead//th[.='I alt']"), 1);
	assert_int_equal(count(&o, "//tr[th[.='juli 2025']]/td[last()][.='1.600']"), 1);
	assert_int_equal(count(&o, "//tr[th[.='oktober 2025']]/td[3][contains(., 'ingen data')]"), 1);
	done(&o);
	hh_buf_clear(&b);
}

/* 53 weeks on one axis: every n-th labelled, none overlapping. */
static void test_weeks(void **state)
{
	const char *labels[53];
	double v[53];
	char names[53][24];
	for (int i = 0; i < 53; i++) {
		snprintf(names[i], sizeof(names[i]), "2026-W%02d", i + 1);
		labels[i] = names[i];
		v[i] = i;
	}
	struct hh_chart_series s[] = { { "Henvendelser", v } };
	struct hh_chart c = { .id = "uger", .title = "Pr. uge",
			      .label_head = "Uge", .fmt = HH_CHART_COUNT,
			      .n_labels = 53, .labels = labels,
			      .n_series = 1, .series = s };
	struct hh_buf b;
	hh_buf_init(&b);
	hh_chart_line(&b, &c);
	struct doc o = parse(hh_buf_str(&b));
	double xs[53];
	int n = numbers(&o, "//s:g[@class='x-axis']/s:text/@x", xs, 53);
	assert_true(n >= 5 && n < 53);
	/* "2026-W01" is 8 characters of about 7 units each */
	for (int i = 1; i < n; i++)
		assert_true(xs[i] - xs[i - 1] >= 8 * 7.0);
	done(&o);
	hh_buf_clear(&b);
}

/* The benchmark's spread: the box, the median, and the own value marked
 * and written, with the way that is better. */
static void test_spread(void **state)
{
	struct hh_chart_spread s = {
		.id = "fcr-spredning", .title = "Førstegangsløsning blandt 7",
		.fmt = HH_CHART_SHARE, .min = 0.41, .q1 = 0.5, .median = 0.55,
		.q3 = 0.6, .max = 0.72, .own = 0.69, .own_label = "Jer",
		.higher_better = 1,
	};
	struct hh_buf b;
	hh_buf_init(&b);
	hh_chart_spread(&b, &s);
	no_nan(hh_buf_str(&b));
	struct doc o = parse(hh_buf_str(&b));
	accessible(&o, "fcr-spredning");
	assert_int_equal(count(&o, "//s:g[@class='spread']/s:rect"), 1);
	assert_int_equal(count(&o, "//s:g[@class='spread']/s:line"), 2);
	assert_int_equal(count(&o, "//s:g[@class='own']/s:text[.='Jer: 69" NBSP "%']"), 1);
	assert_int_equal(count(&o, "//s:text[contains(., 'Højere er bedre')]"), 1);
	/* min < q1 < median < q3 < max < own on the axis, in order */
	double x[2];
	assert_int_equal(numbers(&o, "//s:g[@class='spread']/s:line[1]/@x1 | //s:g[@class='spread']/s:line[1]/@x2", x, 2), 2);
	double box[2];
	assert_int_equal(numbers(&o, "//s:g[@class='spread']/s:rect/@x | //s:g[@class='spread']/s:rect/@width", box, 2), 2);
	assert_true(x[0] < box[0] && box[0] + box[1] < x[1]);
	done(&o);
	/* no peers, no own value: said, not drawn */
	s.min = s.max = s.q1 = s.q3 = s.median = s.own = NAN;
	hh_buf_reset(&b);
	hh_chart_spread(&b, &s);
	no_nan(hh_buf_str(&b));
	o = parse(hh_buf_str(&b));
	assert_int_equal(count(&o, "//s:text[.='Ingen data i perioden']"), 1);
	done(&o);
	/* a change that fell: a negative axis, lower is better */
	struct hh_chart_spread ch = {
		.id = "opkald", .title = "Opkald", .fmt = HH_CHART_SHARE,
		.min = -0.5, .q1 = -0.3, .median = -0.2, .q3 = -0.1, .max = 0.1,
		.own = -0.45, .higher_better = 0,
	};
	hh_buf_reset(&b);
	hh_chart_spread(&b, &ch);
	no_nan(hh_buf_str(&b));
	o = parse(hh_buf_str(&b));
	assert_int_equal(count(&o, "//s:g[@class='own']/s:text[.='Jer: \xe2\x88\x92" "45" NBSP "%']"), 1);
	assert_int_equal(count(&o, "//s:text[contains(., 'Lavere er bedre')]"), 1);
	done(&o);
	hh_buf_clear(&b);
}

/* Names with markup are escaped in the svg and the table. */
static void test_escaping(void **state)
{
	double v[1] = { 3 };
	const char *labels[1] = { "<b>&\"x\"" };
	struct hh_chart_series s[] = { { "A & B <i>", v } };
	struct hh_chart c = { .id = "esc", .title = "Titel <script>",
			      .label_head = "Navn", .fmt = HH_CHART_COUNT,
			      .n_labels = 1, .labels = labels,
			      .n_series = 1, .series = s };
	struct hh_buf b;
	hh_buf_init(&b);
	void (*draw[])(struct hh_buf *, const struct hh_chart *) = {
		hh_chart_line, hh_chart_bars, hh_chart_stacked
	};
	for (int k = 0; k < 3; k++) {
		hh_buf_reset(&b);
		draw[k](&b, &c);
		assert_null(strstr(hh_buf_str(&b), "<script>"));
		assert_null(strstr(hh_buf_str(&b), "<b>"));
		struct doc o = parse(hh_buf_str(&b));
		assert_int_equal(count(&o, "//*[local-name()='script' or local-name()='b' or local-name()='i']"), 0);
		done(&o);
	}
	hh_buf_reset(&b);
	hh_chart_table(&b, &c, 0);
	struct doc o = parse(hh_buf_str(&b));
	assert_int_equal(count(&o, "//th[.='<b>&\"x\"']"), 1);
	done(&o);
	hh_buf_clear(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_line_year),
		cmocka_unit_test(test_line_gap),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_bars),
		cmocka_unit_test(test_stacked),
		cmocka_unit_test(test_weeks),
		cmocka_unit_test(test_spread),
		cmocka_unit_test(test_escaping),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return rc;
}
