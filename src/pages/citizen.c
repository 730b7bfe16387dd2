/* citizen.c - the public pages: front page, articles, life events. */
#include <jansson.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "domain/articles.h"
#include "domain/views.h"
#include "domain/searchlog.h"
#include <stdlib.h>
#include "pages/layout.h"

/* The municipality the reader chose: ?kommune=CODE (remembered in a
 * cookie), else the cookie. Returns 1 and fills *org when there is one. */
static int chosen_muni(struct hh_req *r, struct hh_org *org)
{
	const char *q = hh_req_query(r, "kommune");
	const char *code = q ? q : hh_req_cookie(r, "hh_kommune");
	if (q && !*q) {
		hh_resp_header(r, "Set-Cookie",
			       "hh_kommune=; Path=/; Max-Age=0; SameSite=Lax");
		return 0;
	}
	if (!code || !*code || strlen(code) > 32)
		return 0;
	if (hh_app_org(r->app, &r->arena, code, org) != HH_OK ||
	    org->kind != HH_ORG_MUNICIPALITY)
		return 0;
	if (q)
		hh_resp_header(r, "Set-Cookie",
			       hh_arena_printf(&r->arena,
					       "hh_kommune=%s; Path=/; "
					       "Max-Age=31536000; SameSite=Lax",
					       org->code));
	return 1;
}

/* ---- front page ------------------------------------------------------ */

struct front_ctx {
	struct hh_req *r;
	int64_t muni_id;
	const char *muni_code;
	struct hh_buf life, popular, munis;
	int n_life, n_popular;
};

static enum hh_rc front_le(void *p, const struct hh_life_event *le)
{
	struct front_ctx *c = p;
	struct hh_buf *b = &c->life;
	hh_buf_puts(b, "<li class=\"card\"><a href=\"/livssituation/");
	hh_buf_urlenc(b, le->slug);
	hh_buf_puts(b, "\"><h3>");
	hh_buf_html(b, le->title);
	hh_buf_puts(b, "</h3></a><p>");
	hh_buf_html(b, le->summary);
	hh_buf_puts(b, "</p></li>\n");
	c->n_life++;
	return HH_OK;
}

static enum hh_rc front_popular(void *p, const struct hh_article *a)
{
	struct front_ctx *c = p;
	struct hh_buf *b = &c->popular;
	hh_buf_puts(b, "<li><a href=\"/artikel/");
	hh_buf_urlenc(b, a->slug);
	hh_buf_puts(b, "\">");
	hh_buf_html(b, a->title);
	hh_buf_puts(b, "</a><p>");
	hh_buf_html(b, a->summary);
	hh_buf_puts(b, "</p></li>\n");
	c->n_popular++;
	return HH_OK;
}

static enum hh_rc front_org(void *p, const struct hh_org *o)
{
	struct front_ctx *c = p;
	if (o->kind != HH_ORG_MUNICIPALITY)
		return HH_OK;
	struct hh_buf *b = &c->munis;
	hh_buf_puts(b, "<option value=\"");
	hh_buf_html(b, o->code);
	hh_buf_puts(b, "\"");
	if (c->muni_code && !strcmp(c->muni_code, o->code))
		hh_buf_puts(b, " selected");
	hh_buf_puts(b, ">");
	hh_buf_html(b, o->name);
	hh_buf_puts(b, "</option>\n");
	return HH_OK;
}

static enum hh_rc front_tx(struct hh_tx *tx, void *p)
{
	struct front_ctx *c = p;
	hh_buf_reset(&c->life);
	hh_buf_reset(&c->popular);
	hh_buf_reset(&c->munis);
	c->n_life = c->n_popular = 0;
	enum hh_rc rc = tx->store->life_event_list(tx, &c->r->arena, front_le, c);
	if (rc == HH_OK)
		rc = tx->store->article_popular(tx, &c->r->arena, c->muni_id, 8,
						front_popular, c);
	if (rc == HH_OK)
		rc = tx->store->org_list(tx, &c->r->arena, front_org, c);
	return rc;
}

void hh_page_front(struct hh_req *r)
{
	struct hh_org muni;
	int has_muni = chosen_muni(r, &muni);
	struct front_ctx c = { .r = r };
	if (has_muni) {
		c.muni_id = muni.id;
		c.muni_code = muni.code;
	}
	hh_buf_init(&c.life);
	hh_buf_init(&c.popular);
	hh_buf_init(&c.munis);
	enum hh_rc rc = hh_store_run_tx(r->app->store, 0, front_tx, &c);
	if (rc != HH_OK) {
		hh_page_error(r, 503, "Siden kan ikke vises lige nu",
			      "Der opstod en fejl hos os. Prøv igen om lidt.");
		goto done;
	}
	struct hh_page p = {
		.title = "Forside",
		.muni_name = has_muni ? muni.name : NULL,
		.description = "Vejledning og selvbetjening fra kommuner og "
			       "styrelser samlet ét sted.",
	};
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<section class=\"hero\" aria-labelledby=\"velkommen\">\n"
		       "<h1 id=\"velkommen\">Hvad skal du have klaret?</h1>\n"
		       "<p class=\"lead\">Find svar og vejledning fra din "
		       "kommune og de statslige myndigheder – samlet efter "
		       "det, der sker i dit liv.</p>\n");
	hh_page_search_box(r);
	hh_buf_puts(b, "<form class=\"muni-form\" method=\"get\" action=\"/\">\n"
		       "<label for=\"kommune\">Din kommune</label>\n"
		       "<select id=\"kommune\" name=\"kommune\">\n"
		       "<option value=\"\">Vælg kommune</option>\n");
	hh_buf_puts(b, hh_buf_str(&c.munis));
	hh_buf_puts(b, "</select>\n<button type=\"submit\">Vis indhold for "
		       "kommunen</button>\n</form>\n</section>\n");
	if (c.n_life) {
		hh_buf_puts(b, "<section aria-labelledby=\"livssituationer\">\n"
			       "<h2 id=\"livssituationer\">Når der sker noget "
			       "i dit liv</h2>\n<ul class=\"cards\">\n");
		hh_buf_puts(b, hh_buf_str(&c.life));
		hh_buf_puts(b, "</ul>\n</section>\n");
	}
	if (c.n_popular) {
		hh_buf_puts(b, "<section aria-labelledby=\"populaere\">\n"
			       "<h2 id=\"populaere\">Det spørger andre om</h2>\n"
			       "<ul class=\"articles\">\n");
		hh_buf_puts(b, hh_buf_str(&c.popular));
		hh_buf_puts(b, "</ul>\n</section>\n");
	}
	hh_page_end(r, 200);
done:
	hh_buf_clear(&c.life);
	hh_buf_clear(&c.popular);
	hh_buf_clear(&c.munis);
}

/* ---- article --------------------------------------------------------- */

struct article_ctx {
	struct hh_req *r;
	struct hh_actor who;
	int64_t muni_id;
	const char *slug;
	struct hh_article a;
};

static enum hh_rc article_tx(struct hh_tx *tx, void *p)
{
	struct article_ctx *c = p;
	return hh_article_resolve(tx, &c->r->arena, &c->who, c->muni_id,
				  c->slug, &c->a);
}

void hh_page_article(struct hh_req *r)
{
	struct article_ctx c = { .r = r, .slug = hh_req_param(r, "slug") };
	struct hh_org muni;
	int has_muni = chosen_muni(r, &muni);
	if (has_muni)
		c.muni_id = muni.id;
	hh_actor_of(r, &c.who);
	enum hh_rc rc = hh_slug_valid(c.slug)
				? hh_store_run_tx(r->app->store, 0, article_tx, &c)
				: HH_ERR_NOT_FOUND;
	if (rc == HH_ERR_NOT_FOUND) {
		hh_page_not_found(r);
		return;
	}
	if (rc != HH_OK) {
		hh_page_error(r, 503, "Siden kan ikke vises lige nu",
			      "Der opstod en fejl hos os. Prøv igen om lidt.");
		return;
	}
	hh_views_add(c.a.id); /* popularity for the front page */
	const char *sid = hh_req_query(r, "s");
	if (sid) {
		/* chosen from a search result: for the report and ranking */
		int64_t id = strtoll(sid, NULL, 10);
		hh_searchlog_choose(id, c.a.id);
		if (r->app->index && id > 0)
			hh_index_chosen(r->app->index, c.a.id, 1);
	}

	struct hh_page p = { .title = c.a.title,
			     .muni_name = has_muni ? muni.name : NULL,
			     .description = c.a.summary };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<nav class=\"crumbs\" aria-label=\"Brødkrummer\"><ol>"
		       "<li><a href=\"/\">Forside</a></li><li aria-current=\"page\">");
	hh_page_text(r, c.a.title);
	hh_buf_puts(b, "</li></ol></nav>\n<article class=\"article\">\n<h1>");
	hh_page_text(r, c.a.title);
	hh_buf_puts(b, "</h1>\n");
	if (c.a.status != HH_STATUS_PUBLISHED)
		hh_buf_printf(b, "<p class=\"notice\">Denne artikel er %s og "
				 "kan ikke ses af borgere.</p>\n",
			      c.a.status == HH_STATUS_DRAFT ? "en kladde"
							    : "arkiveret");
	if (c.a.audience == HH_AUDIENCE_STAFF)
		hh_buf_puts(b, "<p class=\"notice\">Intern vejledning for "
			       "medarbejdere.</p>\n");
	hh_buf_puts(b, "<p class=\"lead\">");
	hh_page_text(r, c.a.summary);
	hh_buf_puts(b, "</p>\n<div class=\"body\">\n");
	hh_buf_puts(b, c.a.body_html); /* rendered by cmark, raw HTML escaped */
	hh_buf_puts(b, "</div>\n<dl class=\"meta\">\n<dt>Ansvarlig</dt><dd>");
	if (c.a.org_name)
		hh_page_text(r, c.a.org_name);
	else
		hh_buf_puts(b, "Fælles vidensbase for kommunerne");
	if (c.a.org_id && has_muni && c.a.org_id == muni.id)
		hh_buf_puts(b, " (lokal vejledning)");
	hh_buf_puts(b, "</dd>\n<dt>Sidst opdateret</dt><dd><time datetime=\"");
	char iso[21];
	hh_time_iso(c.a.updated_at, iso);
	hh_buf_puts(b, iso);
	hh_buf_puts(b, "\">");
	hh_buf_puts(b, hh_date_da(&r->arena, c.a.updated_at));
	hh_buf_puts(b, "</time></dd>\n");
	if (c.a.kle && *c.a.kle) {
		hh_buf_puts(b, "<dt>KLE-nummer</dt><dd>");
		hh_page_text(r, c.a.kle);
		hh_buf_puts(b, "</dd>\n");
	}
	hh_buf_puts(b, "</dl>\n</article>\n");
	hh_page_end(r, 200);
}

/* ---- life event ------------------------------------------------------ */

struct le_ctx {
	struct hh_req *r;
	struct hh_actor who;
	int64_t muni_id;
	const char *slug;
	struct hh_life_event le;
	struct hh_buf items;
	int n;
};

static enum hh_rc le_tx(struct hh_tx *tx, void *p)
{
	struct le_ctx *c = p;
	hh_buf_reset(&c->items);
	c->n = 0;
	enum hh_rc rc = tx->store->life_event_get(tx, &c->r->arena, c->slug, &c->le);
	if (rc != HH_OK)
		return rc;
	json_error_t e;
	json_t *slugs = json_loads(c->le.articles, 0, &e);
	size_t i;
	json_t *s;
	json_array_foreach(slugs, i, s)
	{
		struct hh_article a;
		const char *slug = json_string_value(s);
		if (!slug)
			continue;
		rc = hh_article_resolve(tx, &c->r->arena, &c->who, c->muni_id,
					slug, &a);
		if (rc == HH_ERR_NOT_FOUND)
			continue; /* archived or not imported: skip */
		if (rc != HH_OK)
			break;
		rc = HH_OK;
		hh_buf_puts(&c->items, "<li><a href=\"/artikel/");
		hh_buf_urlenc(&c->items, a.slug);
		hh_buf_puts(&c->items, "\">");
		hh_buf_html(&c->items, a.title);
		hh_buf_puts(&c->items, "</a><p>");
		hh_buf_html(&c->items, a.summary);
		hh_buf_puts(&c->items, "</p>");
		if (a.org_name) {
			hh_buf_puts(&c->items, "<p class=\"who\">");
			hh_buf_html(&c->items, a.org_name);
			hh_buf_puts(&c->items, "</p>");
		}
		hh_buf_puts(&c->items, "</li>\n");
		c->n++;
	}
	json_decref(slugs);
	return rc == HH_ERR_NOT_FOUND ? HH_OK : rc;
}

void hh_page_life_event(struct hh_req *r)
{
	struct le_ctx c = { .r = r, .slug = hh_req_param(r, "slug") };
	struct hh_org muni;
	int has_muni = chosen_muni(r, &muni);
	if (has_muni)
		c.muni_id = muni.id;
	hh_actor_of(r, &c.who);
	hh_buf_init(&c.items);
	enum hh_rc rc = hh_slug_valid(c.slug)
				? hh_store_run_tx(r->app->store, 0, le_tx, &c)
				: HH_ERR_NOT_FOUND;
	if (rc == HH_ERR_NOT_FOUND) {
		hh_page_not_found(r);
	} else if (rc != HH_OK) {
		hh_page_error(r, 503, "Siden kan ikke vises lige nu",
			      "Der opstod en fejl hos os. Prøv igen om lidt.");
	} else {
		struct hh_page p = { .title = c.le.title,
				     .muni_name = has_muni ? muni.name : NULL,
				     .description = c.le.summary };
		hh_page_begin(r, &p);
		struct hh_buf *b = &r->resp;
		hh_buf_puts(b, "<nav class=\"crumbs\" aria-label=\"Brødkrummer\">"
			       "<ol><li><a href=\"/\">Forside</a></li>"
			       "<li aria-current=\"page\">");
		hh_page_text(r, c.le.title);
		hh_buf_puts(b, "</li></ol></nav>\n<h1>");
		hh_page_text(r, c.le.title);
		hh_buf_puts(b, "</h1>\n<p class=\"lead\">");
		hh_page_text(r, c.le.summary);
		hh_buf_puts(b, "</p>\n<h2>Det kan være relevant for dig</h2>\n"
			       "<ul class=\"articles\">\n");
		hh_buf_puts(b, hh_buf_str(&c.items));
		hh_buf_puts(b, "</ul>\n");
		hh_page_end(r, 200);
	}
	hh_buf_clear(&c.items);
}

void hh_page_not_found(struct hh_req *r)
{
	hh_page_error(r, 404, "Siden findes ikke",
		      "Vi kunne ikke finde den side, du leder efter. Den kan "
		      "være flyttet eller fjernet.");
}
