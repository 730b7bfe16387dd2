/* search.c - the citizen search page (works without JavaScript; search.js
 * adds autocomplete) and the editors' report of searches that did not help. */
#include <string.h>

#include "domain/access.h"
#include "domain/orgs.h"
#include "core/util.h"
#include "domain/articles.h"
#include "domain/auth.h"
#include "domain/reading.h"
#include "domain/reports.h"
#include "domain/desk.h"
#include "domain/feedback.h"
#include "domain/topics.h"
#include "pages/layout.h"

#define PAGE_SIZE 10

static void search_form(struct hh_req *r, const char *q, int big)
{
	struct hh_buf *b = &r->resp;
	/* s-http: puts, not printf, on every results page (printf was a
	 * tenth of the page's instructions) */
	hh_buf_puts(b, big ? "<form class=\"search big\"" : "<form class=\"search\"");
	hh_buf_puts(b, " method=\"get\" action=\"/soeg\" "
		       "role=\"search\">\n<label for=\"q\">Søg i vejledningerne"
		       "</label>\n<div class=\"search-row\"><div class=\"combo\">"
		       "<input id=\"q\" name=\"q\" type=\"search\" "
		       "autocomplete=\"off\" spellcheck=\"false\" maxlength=\"512\" "
		       "aria-describedby=\"q-hint\" value=\"");
	hh_buf_html(b, q ? q : "");
	hh_buf_puts(b, "\"></div><button type=\"submit\">Søg</button></div>\n"
		       "<p id=\"q-hint\" class=\"hint\">For eksempel "
		       "<em>sundhedskort</em>, <em>flytning</em> eller "
		       "<em>storskrald</em>.</p>\n</form>\n");
}

void hh_page_search_box(struct hh_req *r)
{
	search_form(r, NULL, 1);
}

static const char *self_url(struct hh_req *r, const char *q, const char *kle,
			    int page)
{
	struct hh_buf b;
	hh_buf_init(&b);
	hh_buf_puts(&b, "/soeg?q=");
	hh_buf_urlenc(&b, q);
	if (kle && *kle) {
		hh_buf_puts(&b, "&kle=");
		hh_buf_urlenc(&b, kle);
	}
	if (page > 1) {
		hh_buf_puts(&b, "&side=");
		hh_buf_int(&b, page);
	}
	const char *s = hh_arena_strdup(&r->arena, hh_buf_str(&b));
	hh_buf_clear(&b);
	return s;
}

/* How to reach a person when the search did not answer: the contact
 * page of the chosen municipality (or the list of all), where the phone,
 * the chat and the opening hours are. */
static void contact_options(struct hh_req *r, const char *muni_code)
{
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<p class=\"contact-options\">Du kan også <a href=\"/kontakt");
	if (muni_code) {
		hh_buf_puts(b, "/");
		hh_buf_urlenc(b, muni_code);
	}
	hh_buf_puts(b, "\">kontakte Borgerservice</a> på telefon, i chatten "
		       "eller ved skranken.</p>\n");
}

/* A weak result (issue 13): the engine found only weak evidence, so the
 * page says so before the hits, offers the best titles as what the
 * citizen may mean, and the contact options. */
static void weak_notice(struct hh_req *r, const struct hh_search_result *res,
			int64_t sid, const char *muni_code)
{
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<div class=\"notice weak\" role=\"status\"><p>Vi fandt "
		       "ikke et sikkert svar");
	int n = res->n_hits < 3 ? res->n_hits : 3;
	if (n) {
		hh_buf_puts(b, " – måske mener du ");
		for (int i = 0; i < n; i++) {
			const struct hh_search_hit *h = &res->hits[i];
			if (i)
				hh_buf_puts(b, i == n - 1 ? " eller " : ", ");
			/* each kind to its own page, as the hit list */
			hh_buf_printf(b, "<a href=\"%s", hh_doc_kind_path(h->kind));
			hh_buf_urlenc(b, h->slug);
			/* s-trap: every kind records the choice */
			hh_buf_printf(b, "?s=%lld", (long long)sid);
			hh_buf_puts(b, "\">");
			hh_page_text(r, h->title);
			hh_buf_puts(b, "</a>");
		}
		hh_buf_puts(b, "?");
	} else {
		hh_buf_puts(b, ".");
	}
	hh_buf_puts(b, "</p>\n");
	contact_options(r, muni_code);
	hh_buf_puts(b, "</div>\n");
}

void hh_page_search(struct hh_req *r)
{
	const char *q = hh_req_query(r, "q");
	const char *kle = hh_req_query(r, "kle");
	const char *page_s = hh_req_query(r, "side");
	int page = 1;
	if (page_s) {
		char *end;
		long p = strtol(page_s, &end, 10);
		if (*end || p < 1 || p > 100)
			p = 1;
		page = (int)p;
	}
	if (kle && !hh_kle_valid(kle))
		kle = NULL;
	struct hh_org muni;
	const char *mc = hh_req_cookie(r, "hh_kommune");
	int has_muni = mc && *mc && strlen(mc) <= 32 &&
		       hh_org_by_code(r->app->store, &r->arena, mc, &muni) == HH_OK &&
		       muni.kind == HH_ORG_MUNICIPALITY;
	const char *error = NULL;
	if (q && !hh_utf8_valid(q, strlen(q))) {
		error = "Søgningen indeholder tegn, vi ikke kan læse. Prøv at "
			"skrive den igen.";
		q = NULL;
	} else if (q) {
		const char *p = q;
		while (*p == ' ')
			p++;
		if (!*p)
			error = "Skriv et eller flere ord, du vil søge efter.";
	}
	struct hh_page pg = { .title = q && !error ? hh_arena_printf(&r->arena,
								   "Søgning: %s", q)
					       : "Søg",
			      .muni_name = has_muni ? muni.name : NULL };
	hh_page_begin(r, &pg);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<h1>Søg</h1>\n");
	search_form(r, q, 0);
	if (error) {
		hh_buf_puts(b, "<div class=\"error\" role=\"alert\"><p>");
		hh_page_text(r, error);
		hh_buf_puts(b, "</p></div>\n");
	}
	if (!q || error || !r->app->index) {
		hh_page_end(r, error ? 400 : 200);
		return;
	}
	struct hh_search_query sq = {
		.text = q,
		.municipality_id = has_muni ? muni.id : 0,
		.kle = kle,
		.limit = PAGE_SIZE,
		.offset = (page - 1) * PAGE_SIZE,
	};
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_search_result res;
	/* feedback: the page shown again after "Fandt du det, du søgte?"
	 * (?tak=1) is the same search, not logged a second time */
	const char *tak = hh_req_query(r, "tak");
	int64_t sid = 0;
	if (tak && !strcmp(tak, "1"))
		hh_reading_search_again(r->app->index, &who, &sq, &r->arena, &res);
	else
		sid = hh_reading_search_visit(r->app->index, &who, &sq,
					      hh_visit(r, 1), &r->arena, &res);

	if (res.clipped)
		hh_buf_puts(b, "<p class=\"notice\">Din søgning var meget lang, så "
			       "vi har kun brugt begyndelsen af den.</p>\n");
	if (res.did_you_mean) {
		hh_buf_puts(b, "<p class=\"dym\">Mente du <a href=\"");
		hh_page_text(r, self_url(r, res.did_you_mean, NULL, 1));
		hh_buf_puts(b, "\">");
		hh_page_text(r, res.did_you_mean);
		hh_buf_puts(b, "</a>?</p>\n");
	}
	if (res.strength == HH_STRENGTH_WEAK && page == 1)
		weak_notice(r, &res, sid, has_muni ? muni.code : NULL);
	hh_buf_puts(b, "<div class=\"results-layout\">\n<section "
		       "aria-labelledby=\"resultater\" class=\"results\">\n"
		       "<h2 id=\"resultater\" aria-live=\"polite\">");
	if (res.total == 0)
		hh_buf_puts(b, "Ingen resultater");
	else if (res.total == 1)
		hh_buf_puts(b, "1 resultat");
	else {
		if (res.total_estimated) /* s-p99: counted in part */
			hh_buf_puts(b, "Mindst ");
		hh_buf_int(b, res.total);
		hh_buf_puts(b, " resultater");
	}
	hh_buf_puts(b, " for <q>");
	hh_page_text(r, q);
	hh_buf_puts(b, "</q></h2>\n");
	if (res.total == 0) {
		hh_buf_puts(b, "<p>Prøv med andre eller færre ord, eller kontakt "
			       "Borgerservice, hvis du ikke finder svar.</p>\n");
		contact_options(r, has_muni ? muni.code : NULL);
	} else {
		hh_buf_puts(b, "<ol class=\"articles hits\">\n");
		for (int i = 0; i < res.n_hits; i++) {
			const struct hh_search_hit *h = &res.hits[i];
			/* s-self: each hit says what it is and leads to its
			 * own page, carrying the search for the choice (s-trap:
			 * a guide or a form answers a search as an article
			 * does) */
			hh_buf_puts(b, "<li class=\"hit hit-");
			hh_buf_puts(b, hh_doc_kind_name(h->kind));
			hh_buf_puts(b, "\"><p class=\"kind\">");
			hh_buf_puts(b, hh_doc_kind_label(h->kind));
			hh_buf_puts(b, "</p><a href=\"");
			hh_buf_puts(b, hh_doc_kind_path(h->kind));
			hh_buf_urlenc(b, h->slug);
			hh_buf_puts(b, "?s=");
			hh_buf_int(b, (long long)sid);
			hh_buf_puts(b, "\">");
			hh_page_text(r, h->title);
			hh_buf_puts(b, "</a>\n<p class=\"snippet\">");
			hh_buf_puts(b, h->snippet_html); /* escaped, with <mark> */
			hh_buf_puts(b, "</p>");
			if (h->org_name) {
				hh_buf_puts(b, "<p class=\"who\">");
				hh_page_text(r, h->org_name);
				hh_buf_puts(b, "</p>");
			}
			hh_buf_puts(b, "</li>\n");
		}
		hh_buf_puts(b, "</ol>\n");
		int pages = (res.total + PAGE_SIZE - 1) / PAGE_SIZE;
		if (pages > 1) {
			hh_buf_puts(b, "<nav class=\"pager\" aria-label=\"Sider\"><ul>");
			if (page > 1) {
				hh_buf_puts(b, "<li><a rel=\"prev\" href=\"");
				hh_page_text(r, self_url(r, q, kle, page - 1));
				hh_buf_puts(b, "\">Forrige side</a></li>");
			}
			hh_buf_printf(b, "<li aria-current=\"page\">Side %d af %d</li>",
				      page, pages);
			if (page < pages) {
				hh_buf_puts(b, "<li><a rel=\"next\" href=\"");
				hh_page_text(r, self_url(r, q, kle, page + 1));
				hh_buf_puts(b, "\">Næste side</a></li>");
			}
			hh_buf_puts(b, "</ul></nav>\n");
		}
	}
	hh_buf_puts(b, "</section>\n");
	if (res.n_kle_groups > 1 || (kle && *kle)) {
		hh_buf_puts(b, "<nav class=\"facets\" aria-labelledby=\"emner\">"
			       "<h2 id=\"emner\">Afgræns efter emne</h2><ul>\n");
		if (kle && *kle) {
			hh_buf_puts(b, "<li><a href=\"");
			hh_page_text(r, self_url(r, q, NULL, 1));
			hh_buf_puts(b, "\">Alle emner</a></li>\n");
		}
		/* s-self: topics by their Danish names (topics.h); a
		 * group without one keeps its number */
		struct hh_topics topics;
		if (hh_app_topics(r->app, &r->arena, &topics) != HH_OK) /* s-http */
			memset(&topics, 0, sizeof(topics));
		for (int i = 0; i < res.n_kle_groups; i++) {
			const struct hh_facet *f = &res.kle_groups[i];
			int current = kle && !strncmp(kle, f->value, 2);
			const char *name = hh_topic_name(&topics, f->value);
			hh_buf_puts(b, "<li><a href=\"");
			hh_page_text(r, self_url(r, q, f->value, 1));
			hh_buf_puts(b, current ? "\" aria-current=\"true\">" : "\">");
			if (name)
				hh_page_text(r, name);
			else
				hh_buf_printf(b, "Emne %s", f->value);
			hh_buf_puts(b, res.total_estimated
					       ? " <span class=\"count\">(mindst "
					       : " <span class=\"count\">(");
			hh_buf_int(b, f->count);
			hh_buf_puts(b, ")</span></a></li>\n");
		}
		hh_buf_puts(b, "</ul></nav>\n");
	}
	hh_buf_puts(b, "</div>\n");
	/* feedback: on every results page, also with none */
	hh_page_feedback_form(r, "search", 0, q, self_url(r, q, kle, page),
			      has_muni ? muni.code : NULL);
	hh_page_end(r, 200);
}

/* The report's rows; the link to improve a search only for those who
 * may open the editors' pages (a manager reads the report, an editor
 * acts on it: the crawl found the manager's links ending in 403). */
struct report_rows {
	struct hh_buf b;
	int may_tune;
};

static enum hh_rc report_row(void *p, const struct hh_search_report_row *row)
{
	struct report_rows *rr = p;
	struct hh_buf *b = &rr->b;
	hh_buf_puts(b, "<tr><td><a href=\"/soeg?q=");
	hh_buf_urlenc(b, row->query);
	hh_buf_puts(b, "\">");
	hh_buf_html(b, row->query);
	hh_buf_printf(b, "</a></td><td>%lld</td><td>%s</td><td>%lld</td>"
			 "<td>%lld</td>",
		      (long long)row->searches,
		      row->with_results ? "Ja" : "<strong>Nej</strong>",
		      (long long)row->weak, (long long)row->chosen);
	/* s-edit: a synonym or a pinned article for it, in one step */
	if (rr->may_tune) {
		hh_buf_puts(b, "<td><a href=\"/redaktion/soegning?q=");
		hh_buf_urlenc(b, row->query);
		hh_buf_puts(b, "\">Tilføj synonym eller fastgør artikel</a></td>");
	}
	hh_buf_puts(b, "</tr>\n");
	return HH_OK;
}

/* the agent's desk: how many inquiries each article answered */
static enum hh_rc useful_row(void *p, const struct hh_article *a,
			     int64_t answered, int64_t linked)
{
	struct hh_buf *b = p;
	hh_buf_puts(b, "<tr><td><a href=\"/artikel/");
	hh_buf_urlenc(b, a->slug);
	hh_buf_puts(b, "\">");
	hh_buf_html(b, a->title);
	hh_buf_printf(b, "</a></td><td>%lld</td><td>%lld</td></tr>\n",
		      (long long)answered, (long long)linked);
	return HH_OK;
}

static void useful_section(struct hh_req *r, const struct hh_actor *who)
{
	struct hh_buf rows;
	hh_buf_init(&rows);
	if (hh_desk_usefulness_top(r->app->store, &r->arena, who, 20, useful_row,
				   &rows) == HH_OK) {
		struct hh_buf *b = &r->resp;
		hh_buf_puts(b, "<h2 id=\"nyttige\">Artikler brugt i Borgerservice"
			       "</h2>\n");
		if (!rows.len) {
			hh_buf_puts(b, "<p>Ingen henvendelser er endnu besvaret med "
				       "en artikel.</p>\n");
		} else {
			hh_buf_puts(b, "<div class=\"table-wrap\"><table>\n<caption>"
				       "Henvendelser besvaret med artiklen</caption>\n"
				       "<thead><tr><th scope=\"col\">Artikel</th>"
				       "<th scope=\"col\">Løst med det samme</th>"
				       "<th scope=\"col\">Henvendelser i alt</th>"
				       "</tr></thead>\n<tbody>\n");
			hh_buf_puts(b, hh_buf_str(&rows));
			hh_buf_puts(b, "</tbody></table></div>\n");
		}
	}
	hh_buf_clear(&rows);
}

/* feedback: one article's (or the search pages') answers to "Fandt du det,
 * du søgte?" with its latest comments */
static enum hh_rc feedback_row(void *p, const struct hh_feedback_report_row *row)
{
	struct hh_buf *b = p;
	const struct hh_feedback_stat *s = &row->stat;
	int64_t n = s->yes + s->no;
	hh_buf_puts(b, "<tr><th scope=\"row\">");
	if (s->article_id && s->slug) {
		hh_buf_puts(b, "<a href=\"/artikel/");
		hh_buf_urlenc(b, s->slug);
		hh_buf_puts(b, "\">");
		hh_buf_html(b, s->title ? s->title : s->slug);
		hh_buf_puts(b, "</a>");
	} else {
		hh_buf_puts(b, "Søgeresultater");
	}
	hh_buf_printf(b, "</th><td>%lld</td><td>%lld</td><td>%lld %%</td><td>",
		      (long long)s->yes, (long long)s->no,
		      (long long)(n ? (s->yes * 100 + n / 2) / n : 0));
	if (row->n_comments) {
		hh_buf_puts(b, "<ul class=\"comments\">");
		for (int i = 0; i < row->n_comments; i++) {
			hh_buf_puts(b, "<li>");
			hh_buf_puts(b, row->comments[i].found ? "(Ja) " : "(Nej) ");
			hh_buf_html(b, row->comments[i].comment);
			hh_buf_puts(b, "</li>");
		}
		hh_buf_puts(b, "</ul>");
	} else {
		hh_buf_puts(b, "Ingen");
	}
	hh_buf_puts(b, "</td></tr>\n");
	return HH_OK;
}

static void feedback_section(struct hh_req *r, const struct hh_actor *who)
{
	struct hh_buf rows;
	hh_buf_init(&rows);
	enum hh_rc rc = hh_feedback_report(r->app->store, who, &r->arena, 30, 100,
					   3, feedback_row, &rows);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<h2 id=\"fandt\">Fandt du det, du søgte?</h2>\n<p>Svar "
		       "fra borgerne de seneste 30 dage, pr. artikel, med de "
		       "seneste kommentarer. Personoplysninger i kommentarerne "
		       "er fjernet, før de blev gemt.</p>\n");
	if (rc != HH_OK)
		hh_buf_puts(b, "<p class=\"error\">Svarene kan ikke vises lige nu. "
			       "Prøv igen om lidt.</p>\n");
	else if (!rows.len)
		hh_buf_puts(b, "<p>Ingen svar endnu.</p>\n");
	else {
		hh_buf_puts(b, "<div class=\"table-wrap\"><table>\n<caption>"
			       "Svar pr. artikel</caption>\n<thead><tr>"
			       "<th scope=\"col\">Artikel</th>"
			       "<th scope=\"col\">Ja</th><th scope=\"col\">Nej</th>"
			       "<th scope=\"col\">Andel ja</th>"
			       "<th scope=\"col\">Seneste kommentarer</th>"
			       "</tr></thead>\n<tbody>\n");
		hh_buf_puts(b, hh_buf_str(&rows));
		hh_buf_puts(b, "</tbody></table></div>\n");
	}
	hh_buf_clear(&rows);
}

void hh_page_search_report(struct hh_req *r)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct report_rows rr = {
		.may_tune = hh_access_scope(&who, HH_RES_ARTICLE_DRAFT,
					    HH_ACT_READ) != HH_SCOPE_NONE };
	hh_buf_init(&rr.b);
	struct hh_buf *rows = &rr.b;
	enum hh_rc rc = hh_search_report(r->app->store, &who, &r->arena, 30, 100,
					 report_row, &rr);
	if (rc == HH_ERR_FORBIDDEN) {
		/* staff sign in here; anyone else is sent to the sign-in */
		if (hh_auth(r)->kind != HH_USER)
			hh_resp_redirect(r, 303, "/log-ind");
		else
			hh_page_error(r, 403, "Ingen adgang",
				      "Rapporten over søgninger er for redaktører "
				      "og ledere.");
		hh_buf_clear(rows);
		return;
	}
	hh_resp_header(r, "Cache-Control", "no-store");
	struct hh_page p = { .title = "Søgninger uden svar" };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<h1>Søgninger uden svar</h1>\n<p>De hyppigste søgninger "
		       "de seneste 30 dage, som ikke gav et sikkert svar (intet "
		       "resultat, eller kun svage resultater), eller hvor "
		       "borgeren ikke valgte et af resultaterne. Her mangler "
		       "vidensbasen måske en artikel.</p>\n");
	if (rc != HH_OK)
		hh_buf_puts(b, "<p class=\"error\">Rapporten kan ikke vises lige nu. "
			       "Prøv igen om lidt.</p>\n");
	else if (!rows->len)
		hh_buf_puts(b, "<p>Ingen søgninger at vise endnu.</p>\n");
	else {
		hh_buf_puts(b, "<div class=\"table-wrap\"><table>\n<caption>"
			       "Søgninger uden resultat eller uden valg</caption>\n"
			       "<thead><tr><th scope=\"col\">Søgning</th>"
			       "<th scope=\"col\">Antal</th><th scope=\"col\">"
			       "Gav sikkert svar</th><th scope=\"col\">Svage"
			       "</th><th scope=\"col\">Valgt</th>");
		if (rr.may_tune) /* s-edit */
			hh_buf_puts(b, "<th scope=\"col\">Forbedr</th>");
		hh_buf_puts(b, "</tr></thead>\n<tbody>\n");
		hh_buf_puts(b, hh_buf_str(rows));
		hh_buf_puts(b, "</tbody></table></div>\n");
	}
	feedback_section(r, &who);
	useful_section(r, &who);
	hh_page_end(r, 200);
	hh_buf_clear(rows);
}
