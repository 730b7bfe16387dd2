/* citizen.c - the public pages: front page, articles, and the life-event
 * guide that turns a few answers into a personal plan. */
#include <jansson.h>
#include <string.h>

#include <stdlib.h>

#include "core/log.h"
#include "core/util.h"
#include "domain/articles.h"
#include "domain/plans.h"
#include "domain/searchlog.h"
#include "domain/views.h"
#include "pages/borger.h"

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

/* ---- life event: the guide ------------------------------------------- */

/* The guide asks the life event's questions in a GET form (answers are
 * query parameters q_<key>=value, so a plan can be bookmarked and the page
 * works without JavaScript), then shows the steps that apply. Nothing is
 * saved until a signed-in citizen presses "Gem mit forløb". */

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

/* Is v an allowed answer to question q? */
static int answer_ok(json_t *q, const char *v)
{
	const char *type = json_string_value(json_object_get(q, "type"));
	if (!v || !*v)
		return 0;
	if (!type || strcmp(type, "choice"))
		return !strcmp(v, "ja") || !strcmp(v, "nej");
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(q, "options"), i, o)
	{
		const char *ov = json_string_value(json_object_get(o, "value"));
		if (ov && !strcmp(ov, v))
			return 1;
	}
	return 0;
}

/* The answers in the request (query or form fields q_<key>): a new object
 * of the valid ones. */
static json_t *guide_answers(struct hh_req *r, json_t *def, int from_form)
{
	json_t *answers = json_object();
	size_t i;
	json_t *q;
	json_array_foreach(json_object_get(def, "questions"), i, q)
	{
		const char *key = json_string_value(json_object_get(q, "key"));
		if (!key)
			continue;
		const char *name = hh_arena_printf(&r->arena, "q_%s", key);
		const char *v = from_form ? hh_req_form(r, name) : hh_req_query(r, name);
		if (answer_ok(q, v))
			json_object_set_new(answers, key, json_string(v));
	}
	return answers;
}

static void guide_questions(struct hh_req *r, const char *slug, json_t *qs,
			    json_t *answers)
{
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<section aria-labelledby=\"spoergsmaal\">\n"
		       "<h2 id=\"spoergsmaal\">Få en plan, der passer til dig</h2>\n"
		       "<p>Svar på spørgsmålene, så viser vi de trin, der gælder "
		       "for dig, og hvem der står for hvad. Du behøver ikke logge "
		       "ind.</p>\n<form class=\"guide-form\" method=\"get\" "
		       "action=\"/livssituation/");
	hh_buf_urlenc(b, slug);
	/* land on the plan, not on the questions just answered (a phone
	 * would otherwise show the top of the page again) */
	hh_buf_puts(b, "#din-plan\">\n");
	size_t i;
	json_t *q;
	json_array_foreach(qs, i, q)
	{
		const char *key = json_string_value(json_object_get(q, "key"));
		const char *text = json_string_value(json_object_get(q, "text"));
		const char *type = json_string_value(json_object_get(q, "type"));
		if (!key)
			continue;
		const char *have = json_string_value(json_object_get(answers, key));
		int yesno = !type || strcmp(type, "choice");
		hh_buf_printf(b, "<fieldset class=\"question\">\n<legend>");
		hh_page_text(r, text ? text : key);
		hh_buf_printf(b, "</legend>\n<div class=\"radios%s\">\n",
			      yesno ? " inline" : "");
		static const char *const yn[][2] = { { "ja", "Ja" }, { "nej", "Nej" } };
		json_t *opts = json_object_get(q, "options");
		size_t n = yesno ? 2 : json_array_size(opts);
		for (size_t k = 0; k < n; k++) {
			json_t *o = yesno ? NULL : json_array_get(opts, k);
			const char *v = yesno ? yn[k][0]
					      : json_string_value(json_object_get(o, "value"));
			const char *l = yesno ? yn[k][1]
					      : json_string_value(json_object_get(o, "label"));
			if (!v)
				continue;
			hh_buf_printf(b, "<div class=\"radio\"><input type=\"radio\" "
					 "id=\"q%zu-%zu\" name=\"q_",
				      i + 1, k + 1);
			hh_page_text(r, key);
			hh_buf_puts(b, "\" value=\"");
			hh_page_text(r, v);
			hh_buf_puts(b, "\"");
			if (have && !strcmp(have, v))
				hh_buf_puts(b, " checked");
			hh_buf_printf(b, "><label for=\"q%zu-%zu\">", i + 1, k + 1);
			hh_page_text(r, l ? l : v);
			hh_buf_puts(b, "</label></div>\n");
		}
		hh_buf_puts(b, "</div>\n</fieldset>\n");
	}
	hh_buf_puts(b, "<button type=\"submit\" name=\"vis\" value=\"1\">Vis min plan"
		       "</button>\n</form>\n</section>\n");
}

static void guide_plan(struct hh_req *r, const char *slug, json_t *def,
		       json_t *answers, int has_questions, const char *muni_name,
		       int64_t muni_id)
{
	struct hh_buf *b = &r->resp;
	const struct hh_principal *w = hh_auth(r);
	int citizen = w->kind == HH_CITIZEN;
	json_t *steps = hh_plan_steps(def, answers);
	hh_arena_defer(&r->arena, (void (*)(void *))json_decref, steps);
	struct hh_org_names orgs;
	if (hh_org_names_load(r, &orgs) != HH_OK)
		orgs.by_code = orgs.by_id = NULL; /* codes are shown instead */
	if (citizen && w->municipality_id)
		muni_name = hh_org_names_by_id(&orgs, w->municipality_id);
	json_t *arts = hh_borger_step_articles(r, steps, muni_id);

	/* the page's own address with the answers, to come back to */
	struct hh_buf self;
	hh_buf_init(&self);
	hh_buf_puts(&self, "/livssituation/");
	hh_buf_urlenc(&self, slug);
	hh_buf_puts(&self, "?vis=1");
	const char *key;
	json_t *val;
	json_object_foreach(answers, key, val)
	{
		hh_buf_puts(&self, "&q_");
		hh_buf_urlenc(&self, key);
		hh_buf_putc(&self, '=');
		hh_buf_urlenc(&self, json_string_value(val));
	}

	hh_buf_puts(b, "<section aria-labelledby=\"din-plan\" class=\"plan-section\">\n"
		       "<h2 id=\"din-plan\">Din plan</h2>\n");
	/* unanswered questions leave out the steps that depend on them */
	size_t i;
	json_t *q;
	int missing = 0;
	json_array_foreach(has_questions ? json_object_get(def, "questions") : NULL, i, q)
	{
		const char *k = json_string_value(json_object_get(q, "key"));
		if (!k || json_object_get(answers, k))
			continue;
		if (!missing++)
			hh_buf_puts(b, "<div class=\"notice\"><p>Du har ikke svaret på "
				       "alle spørgsmål, så planen kan mangle trin, der "
				       "gælder for dig:</p>\n<ul>\n");
		hh_buf_printf(b, "<li><a href=\"#q%zu-1\">", i + 1);
		hh_page_text(r, json_string_value(json_object_get(q, "text")));
		hh_buf_puts(b, "</a></li>\n");
	}
	if (missing)
		hh_buf_puts(b, "</ul>\n</div>\n");
	size_t n = json_array_size(steps);
	if (!n) {
		hh_buf_puts(b, "<p>Ud fra dine svar er der ikke noget, du skal "
			       "gøre hos kommunen eller de statslige myndigheder. "
			       "Læs gerne vejledningen herunder.</p>\n");
	} else {
		hh_buf_printf(b, "<p>%zu %s passer til dine svar. Gør dem i den "
				 "rækkefølge, de står.</p>\n<ol class=\"plan\">\n",
			      n, n == 1 ? "trin" : "trin");
		json_t *s;
		json_array_foreach(steps, i, s)
		{
			hh_borger_step_begin(r, s, arts, &orgs, muni_name, NULL, NULL);
			if (json_object_get(s, "case_type"))
				hh_buf_puts(b, citizen
						       ? "<p class=\"step-action\">Blanketten kan "
							 "du udfylde, når du har gemt dit "
							 "forløb.</p>\n"
						       : "<p class=\"step-action\">Blanketten kan "
							 "du udfylde, når du er logget ind og "
							 "har gemt dit forløb.</p>\n");
			hh_buf_puts(b, "</li>\n");
		}
		hh_buf_puts(b, "</ol>\n");
	}
	if (n) {
		hh_buf_puts(b, "<div class=\"save\">\n");
		if (citizen) {
			hh_buf_puts(b, "<p>Gem dit forløb, så kan du sende blanketterne "
				       "og følge dine sager i Mit overblik.</p>\n"
				       "<form method=\"post\" action=\"/livssituation/");
			hh_buf_urlenc(b, slug);
			hh_buf_puts(b, "\">\n");
			hh_borger_csrf_field(r);
			json_object_foreach(answers, key, val)
			{
				hh_buf_puts(b, "<input type=\"hidden\" name=\"q_");
				hh_page_text(r, key);
				hh_buf_puts(b, "\" value=\"");
				hh_page_text(r, json_string_value(val));
				hh_buf_puts(b, "\">\n");
			}
			hh_buf_puts(b, "<button type=\"submit\">Gem mit forløb</button>\n"
				       "</form>\n");
		} else {
			hh_buf_puts(b, "<p>Log ind, hvis du vil gemme dit forløb og "
				       "sende blanketter. Ellers bliver intet gemt.</p>\n"
				       "<p><a class=\"button\" href=\"/borger/log-ind?next=");
			hh_buf_urlenc(b, hh_buf_str(&self));
			hh_buf_puts(b, "\">Log ind og gem forløbet</a></p>\n");
		}
		hh_buf_puts(b, "</div>\n");
	}
	hh_buf_puts(b, "</section>\n");
	hh_buf_clear(&self);
}

void hh_page_life_event(struct hh_req *r)
{
	struct le_ctx c = { .r = r, .slug = hh_req_param(r, "slug") };
	struct hh_org muni;
	int has_muni = chosen_muni(r, &muni);
	const struct hh_principal *w = hh_auth(r);
	/* a signed-in citizen's own municipality is where their cases go */
	const char *muni_name = has_muni ? muni.name : NULL;
	if (w->kind == HH_CITIZEN && w->municipality_id) {
		c.muni_id = w->municipality_id;
		muni_name = NULL; /* looked up with the other names */
	} else if (has_muni) {
		c.muni_id = muni.id;
	}
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
		json_error_t e;
		json_t *def = json_loads(c.le.definition ? c.le.definition : "{}", 0, &e);
		if (!def)
			def = json_object();
		hh_arena_defer(&r->arena, (void (*)(void *))json_decref, def);
		json_t *answers = guide_answers(r, def, 0);
		hh_arena_defer(&r->arena, (void (*)(void *))json_decref, answers);
		json_t *qs = json_object_get(def, "questions");
		int has_questions = json_array_size(qs) > 0;
		int has_steps = json_array_size(json_object_get(def, "steps")) > 0;
		int show = has_steps && (!has_questions || hh_req_query(r, "vis") ||
					 json_object_size(answers));
		if (w->kind == HH_CITIZEN)
			hh_resp_header(r, "Cache-Control", "no-store");
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
		hh_buf_puts(b, "</p>\n");
		if (has_questions && has_steps)
			guide_questions(r, c.slug, qs, answers);
		if (show)
			guide_plan(r, c.slug, def, answers, has_questions, muni_name,
				   c.muni_id);
		if (c.n) {
			hh_buf_puts(b, "<section aria-labelledby=\"relevant\">\n"
				       "<h2 id=\"relevant\">Det kan være relevant for "
				       "dig</h2>\n<ul class=\"articles\">\n");
			hh_buf_puts(b, hh_buf_str(&c.items));
			hh_buf_puts(b, "</ul>\n</section>\n");
		}
		hh_page_end(r, 200);
	}
	hh_buf_clear(&c.items);
}

struct le_def_ctx {
	struct hh_req *r;
	const char *slug;
	struct hh_life_event le;
};

static enum hh_rc le_def_tx(struct hh_tx *tx, void *p)
{
	struct le_def_ctx *c = p;
	return tx->store->life_event_get(tx, &c->r->arena, c->slug, &c->le);
}

/* An existing plan of the citizen for the same life event with the same
 * answers: saving again (a double click, the back button) shows that one
 * instead of making a copy. */
struct same_plan_ctx {
	struct hh_arena *a;
	int64_t citizen_id;
	const char *slug;
	json_t *answers;
	int64_t found;
};

static enum hh_rc same_plan_row(void *p, const struct hh_plan *pl)
{
	struct same_plan_ctx *c = p;
	if (c->found || !pl->life_event_slug || strcmp(pl->life_event_slug, c->slug))
		return HH_OK;
	json_error_t e;
	json_t *have = json_loads(pl->answers ? pl->answers : "{}", 0, &e);
	if (have && json_equal(have, c->answers))
		c->found = pl->id;
	json_decref(have);
	return HH_OK;
}

static enum hh_rc same_plan_tx(struct hh_tx *tx, void *p)
{
	struct same_plan_ctx *c = p;
	c->found = 0;
	return tx->store->plan_list(tx, c->a, c->citizen_id, same_plan_row, c);
}

/* "Gem mit forløb": the answers become the citizen's plan. */
void hh_page_life_event_post(struct hh_req *r)
{
	struct le_def_ctx c = { .r = r, .slug = hh_req_param(r, "slug") };
	if (!hh_slug_valid(c.slug)) {
		hh_page_not_found(r);
		return;
	}
	const struct hh_principal *w = hh_borger_require(
		r, hh_arena_printf(&r->arena, "/livssituation/%s", c.slug));
	if (!w)
		return;
	if (!hh_csrf_ok(r, hh_req_form(r, "csrf"))) {
		hh_page_error(r, 403, "Dit forløb blev ikke gemt",
			      "Sikkerhedsnøglen i formularen passede ikke. Gå "
			      "tilbage, genindlæs siden og prøv igen.");
		return;
	}
	enum hh_rc rc = hh_store_run_tx(r->app->store, 0, le_def_tx, &c);
	if (rc == HH_ERR_NOT_FOUND) {
		hh_page_not_found(r);
		return;
	}
	json_t *def = NULL;
	if (rc == HH_OK) {
		json_error_t e;
		def = json_loads(c.le.definition ? c.le.definition : "{}", 0, &e);
		if (!def)
			def = json_object();
		hh_arena_defer(&r->arena, (void (*)(void *))json_decref, def);
	}
	struct hh_plan plan;
	const char *bad = NULL;
	if (rc == HH_OK) {
		json_t *answers = guide_answers(r, def, 1);
		hh_arena_defer(&r->arena, (void (*)(void *))json_decref, answers);
		struct same_plan_ctx same = { &r->arena, w->citizen_id, c.slug, answers, 0 };
		if (hh_store_run_tx(r->app->store, 0, same_plan_tx, &same) == HH_OK &&
		    same.found) {
			hh_resp_redirect(r, 303, hh_arena_printf(&r->arena,
								 "/mit-overblik/forloeb/%lld",
								 (long long)same.found));
			return;
		}
		rc = hh_plan_create(r->app->store, &r->arena, w->citizen_id, c.slug,
				    answers, &plan, &bad);
	}
	if (rc == HH_ERR_INVALID) {
		hh_page_error(r, 400, "Dit forløb blev ikke gemt",
			      "Svarene passede ikke til spørgsmålene. Gå tilbage, "
			      "og prøv igen.");
		return;
	}
	if (rc != HH_OK) {
		hh_page_error(r, 503, "Dit forløb blev ikke gemt",
			      "Der opstod en fejl hos os. Prøv igen om lidt.");
		return;
	}
	hh_resp_redirect(r, 303, hh_arena_printf(&r->arena, "/mit-overblik/forloeb/%lld",
						 (long long)plan.id));
}

void hh_page_too_large(struct hh_req *r)
{
	hh_page_error(r, 413, "Det, du sendte, fylder for meget",
		      "Filerne eller teksten var større, end vi kan tage imod "
		      "på én gang. Gå tilbage med browserens tilbage-knap, og "
		      "vedhæft mindre eller færre filer. Det, du har skrevet, "
		      "står der stadig.");
}

void hh_page_not_found(struct hh_req *r)
{
	hh_page_error(r, 404, "Siden findes ikke",
		      "Vi kunne ikke finde den side, du leder efter. Den kan "
		      "være flyttet eller fjernet.");
}
