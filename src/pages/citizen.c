/* citizen.c - the public pages: front page, articles, and the life-event
 * guide that turns a few answers into a personal plan. */
#include <jansson.h>
#include <string.h>

#include <stdlib.h>

#include "domain/orgs.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/articles.h"
#include "domain/plans.h"
#include "domain/guide.h"
#include "domain/reading.h"
#include "pages/borger.h"
#include "domain/services.h" /* s-self */
#include "domain/topics.h" /* kle (issue 15) */

/* The municipality the reader chose: ?kommune=CODE (remembered in a
 * cookie), else the cookie. Returns 1 and fills *org when there is one. */
static int chosen_muni(struct hh_req *r, struct hh_org *org)
{
	const char *q = hh_req_query(r, "kommune");
	const char *code = q ? q : hh_req_cookie(r, "hh_kommune");
	if (q && !*q) {
		hh_cookie_clear(r, HH_COOKIE_PREFERENCE, "hh_kommune", NULL);
		return 0;
	}
	if (!code || !*code || strlen(code) > 32)
		return 0;
	if (hh_org_by_code(r->app->store, &r->arena, code, org) != HH_OK ||
	    org->kind != HH_ORG_MUNICIPALITY)
		return 0;
	if (q)
		hh_cookie_set(r, HH_COOKIE_PREFERENCE, "hh_kommune", org->code, NULL,
			      31536000);
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

/* The three parts of the front page, each read through the domain: the
 * guides, the most read articles where the reader lives, and the
 * municipalities to choose from. */
static enum hh_rc front_read(struct hh_req *r, struct front_ctx *c)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	enum hh_rc rc = hh_guide_each(r->app->store, &r->arena, front_le, c);
	if (rc == HH_OK)
		rc = hh_article_popular(r->app->store, &who, &r->arena,
					c->muni_id, 8, front_popular, c);
	if (rc == HH_OK)
		rc = hh_org_each(r->app->store, &r->arena, front_org, c);
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
	enum hh_rc rc = front_read(r, &c);
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

/* s-self: "Start selvbetjening" for a form that belongs to the article */
static enum hh_rc service_button(void *p, const struct hh_service *s)
{
	struct hh_req *r = p;
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<div class=\"service-start\"><p><strong>");
	hh_page_text(r, s->name);
	hh_buf_puts(b, "</strong>: du kan udfylde og sende blanketten digitalt "
		       "her. Du logger ind først.</p>\n<p><a class=\"button\" "
		       "href=\"/blanket/");
	hh_buf_urlenc(b, s->code);
	hh_buf_puts(b, "\">Start selvbetjening<span class=\"visually-hidden\">: ");
	hh_page_text(r, s->name);
	hh_buf_puts(b, "</span></a></p></div>\n");
	return HH_OK;
}

void hh_page_article(struct hh_req *r)
{
	const char *slug = hh_req_param(r, "slug");
	struct hh_org muni;
	int has_muni = chosen_muni(r, &muni);
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_article a;
	enum hh_rc rc = hh_slug_valid(slug)
				? hh_article_find(r->app->store, &who, &r->arena,
						  has_muni ? muni.id : 0, slug, &a)
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
	/* a view, and the choice when it came from a search result; not
	 * again when the page comes back after an answer to "Fandt du det,
	 * du søgte?" (?tak=1) */
	const char *sid = hh_req_query(r, "s");
	const char *tak = hh_req_query(r, "tak");
	if (!tak || strcmp(tak, "1"))
		hh_reading_opened(r->app->index, a.id,
				  sid ? strtoll(sid, NULL, 10) : 0);
	/* feedback: the anonymous visit, set on the first article page */
	int ask = a.status == HH_STATUS_PUBLISHED &&
		  a.audience == HH_AUDIENCE_CITIZEN;
	if (ask)
		hh_visit(r, 1);

	struct hh_page p = { .title = a.title,
			     .muni_name = has_muni ? muni.name : NULL,
			     .description = a.summary };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<nav class=\"crumbs\" aria-label=\"Brødkrummer\"><ol>"
		       "<li><a href=\"/\">Forside</a></li><li aria-current=\"page\">");
	hh_page_text(r, a.title);
	hh_buf_puts(b, "</li></ol></nav>\n<article class=\"article\">\n<h1>");
	hh_page_text(r, a.title);
	hh_buf_puts(b, "</h1>\n");
	if (a.status != HH_STATUS_PUBLISHED)
		hh_buf_printf(b, "<p class=\"notice\">Denne artikel er %s og "
				 "kan ikke ses af borgere.</p>\n",
			      a.status == HH_STATUS_DRAFT ? "en kladde"
							    : "arkiveret");
	if (a.audience == HH_AUDIENCE_STAFF)
		hh_buf_puts(b, "<p class=\"notice\">Intern vejledning for "
			       "medarbejdere.</p>\n");
	hh_buf_puts(b, "<p class=\"lead\">");
	hh_page_text(r, a.summary);
	hh_buf_puts(b, "</p>\n");
	/* s-self: the forms that belong to the article */
	if (a.status == HH_STATUS_PUBLISHED && a.audience == HH_AUDIENCE_CITIZEN)
		hh_services_for_article(r->app->store, &r->arena, a.slug,
					service_button, r);
	hh_buf_puts(b, "<div class=\"body\">\n");
	hh_buf_puts(b, a.body_html); /* rendered by cmark, raw HTML escaped */
	hh_buf_puts(b, "</div>\n<dl class=\"meta\">\n<dt>Ansvarlig</dt><dd>");
	if (a.org_name)
		hh_page_text(r, a.org_name);
	else
		hh_buf_puts(b, "Fælles vidensbase for kommunerne");
	if (a.org_id && has_muni && a.org_id == muni.id)
		hh_buf_puts(b, " (lokal vejledning)");
	hh_buf_puts(b, "</dd>\n<dt>Sidst opdateret</dt><dd><time datetime=\"");
	char iso[21];
	hh_time_iso(a.updated_at, iso);
	hh_buf_puts(b, iso);
	hh_buf_puts(b, "\">");
	hh_buf_puts(b, hh_date_da(&r->arena, a.updated_at));
	hh_buf_puts(b, "</time></dd>\n");
	if (a.kle && *a.kle) {
		/* kle (issue 15): the topic's name beside the number, helhed's
		 * own or else the imported KLE main group's title */
		struct hh_topics topics;
		const char *topic = hh_app_topics(r->app, &r->arena, &topics) == HH_OK
					    ? hh_topic_name(&topics, a.kle)
					    : NULL;
		if (topic) {
			hh_buf_puts(b, "<dt>Emne</dt><dd>");
			hh_page_text(r, topic);
			hh_buf_puts(b, "</dd>\n");
		}
		hh_buf_puts(b, "<dt>KLE-nummer</dt><dd>");
		hh_page_text(r, a.kle);
		hh_buf_puts(b, "</dd>\n");
	}
	hh_buf_puts(b, "</dl>\n</article>\n");
	/* feedback: "Fandt du det, du søgte?" on published citizen articles */
	if (ask) {
		struct hh_buf back;
		hh_buf_init(&back);
		hh_buf_puts(&back, "/artikel/");
		hh_buf_urlenc(&back, a.slug);
		hh_page_feedback_form(r, "article", a.id, NULL,
				      hh_arena_strdup(&r->arena, hh_buf_str(&back)),
				      has_muni ? muni.code : NULL);
		hh_buf_clear(&back);
	}
	hh_page_end(r, 200);
}

/* ---- life event: the guide ------------------------------------------- */

/* The guide asks the life event's questions in a GET form (answers are
 * query parameters q_<key>=value, so a plan can be bookmarked and the page
 * works without JavaScript), then shows the steps that apply. Nothing is
 * saved until a signed-in citizen presses "Gem mit forløb". */

struct le_ctx {
	struct hh_buf items;
	int n;
};

/* One of the articles the guide points to, as "Det kan være relevant". */
static enum hh_rc le_article(void *p, const struct hh_article *a)
{
	struct le_ctx *c = p;
	hh_buf_puts(&c->items, "<li><a href=\"/artikel/");
	hh_buf_urlenc(&c->items, a->slug);
	hh_buf_puts(&c->items, "\">");
	hh_buf_html(&c->items, a->title);
	hh_buf_puts(&c->items, "</a><p>");
	hh_buf_html(&c->items, a->summary);
	hh_buf_puts(&c->items, "</p>");
	if (a->org_name) {
		hh_buf_puts(&c->items, "<p class=\"who\">");
		hh_buf_html(&c->items, a->org_name);
		hh_buf_puts(&c->items, "</p>");
	}
	hh_buf_puts(&c->items, "</li>\n");
	c->n++;
	return HH_OK;
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
	hh_arena_defer(&r->arena, hh_json_release, steps);
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
			const char *skey = json_string_value(json_object_get(s, "key"));
			if (json_object_get(s, "case_type") && citizen && skey) {
				/* s-self: the form straight from the step; the
				 * plan is saved on the way, so the case is
				 * followed in it */
				hh_buf_puts(b, "<form class=\"step-action\" method=\"post\" "
					       "action=\"/livssituation/");
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
				hh_buf_puts(b, "<input type=\"hidden\" name=\"blanket\" "
					       "value=\"");
				hh_page_text(r, skey);
				hh_buf_puts(b, "\">\n<button type=\"submit\">Udfyld "
					       "blanket<span class=\"visually-hidden\">: ");
				hh_page_text(r, json_string_value(json_object_get(s, "title")));
				hh_buf_puts(b, "</span></button>\n<p class=\"hint\">Dit "
					       "forløb bliver gemt, så du kan følge "
					       "sagen i Mit overblik.</p>\n</form>\n");
			} else if (json_object_get(s, "case_type")) {
				hh_buf_puts(b, "<p class=\"step-action\">Blanketten kan "
					       "du udfylde her, når du er logget "
					       "ind.</p>\n");
			}
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
	const char *slug = hh_req_param(r, "slug");
	struct le_ctx c = { .n = 0 };
	int64_t muni_id = 0;
	struct hh_org muni;
	int has_muni = chosen_muni(r, &muni);
	const struct hh_principal *w = hh_auth(r);
	/* a signed-in citizen's own municipality is where their cases go */
	const char *muni_name = has_muni ? muni.name : NULL;
	if (w->kind == HH_CITIZEN && w->municipality_id) {
		muni_id = w->municipality_id;
		muni_name = NULL; /* looked up with the other names */
	} else if (has_muni) {
		muni_id = muni.id;
	}
	struct hh_actor who;
	hh_actor_from(w, &who);
	hh_buf_init(&c.items);
	struct hh_life_event le;
	enum hh_rc rc = hh_slug_valid(slug)
				? hh_guide_get(r->app->store, &who, &r->arena, muni_id,
					       slug, &le, le_article, &c)
				: HH_ERR_NOT_FOUND;
	if (rc == HH_ERR_NOT_FOUND) {
		hh_page_not_found(r);
	} else if (rc != HH_OK) {
		hh_page_error(r, 503, "Siden kan ikke vises lige nu",
			      "Der opstod en fejl hos os. Prøv igen om lidt.");
	} else {
		/* s-trap: opened from a search's results (?s=): the guide
		 * answered that search */
		const char *sid = hh_req_query(r, "s");
		if (sid)
			hh_reading_opened_doc(HH_DOC_GUIDE, le.id,
					      strtoll(sid, NULL, 10));
		json_error_t e;
		json_t *def = json_loads(le.definition ? le.definition : "{}", 0, &e);
		if (!def)
			def = json_object();
		hh_arena_defer(&r->arena, hh_json_release, def);
		json_t *answers = guide_answers(r, def, 0);
		hh_arena_defer(&r->arena, hh_json_release, answers);
		json_t *qs = json_object_get(def, "questions");
		int has_questions = json_array_size(qs) > 0;
		int has_steps = json_array_size(json_object_get(def, "steps")) > 0;
		int show = has_steps && (!has_questions || hh_req_query(r, "vis") ||
					 json_object_size(answers));
		if (w->kind == HH_CITIZEN)
			hh_resp_header(r, "Cache-Control", "no-store");
		struct hh_page p = { .title = le.title,
				     .muni_name = has_muni ? muni.name : NULL,
				     .description = le.summary };
		hh_page_begin(r, &p);
		struct hh_buf *b = &r->resp;
		hh_buf_puts(b, "<nav class=\"crumbs\" aria-label=\"Brødkrummer\">"
			       "<ol><li><a href=\"/\">Forside</a></li>"
			       "<li aria-current=\"page\">");
		hh_page_text(r, le.title);
		hh_buf_puts(b, "</li></ol></nav>\n<h1>");
		hh_page_text(r, le.title);
		hh_buf_puts(b, "</h1>\n<p class=\"lead\">");
		hh_page_text(r, le.summary);
		hh_buf_puts(b, "</p>\n");
		if (has_questions && has_steps)
			guide_questions(r, slug, qs, answers);
		if (show)
			guide_plan(r, slug, def, answers, has_questions, muni_name,
				   muni_id);
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

/* "Gem mit forløb": the answers become the citizen's plan. */
/* s-self: where saving the plan leads. A step's "Udfyld blanket" sends
 * the step's key as "blanket": its form, for the plan; otherwise (or for
 * a key of no step with a form) the plan. */
static const char *step_form_or_plan(struct hh_req *r, json_t *def,
				     int64_t plan_id)
{
	const char *want = hh_req_form(r, "blanket");
	size_t i;
	json_t *s;
	json_array_foreach(want ? json_object_get(def, "steps") : NULL, i, s)
	{
		const char *key = json_string_value(json_object_get(s, "key"));
		const char *ct = json_string_value(json_object_get(s, "case_type"));
		if (!key || !ct || strcmp(key, want) || !hh_slug_valid(ct))
			continue;
		struct hh_buf u;
		hh_buf_init(&u);
		hh_buf_puts(&u, "/blanket/");
		hh_buf_urlenc(&u, ct);
		hh_buf_printf(&u, "?forloeb=%lld&trin=", (long long)plan_id);
		hh_buf_urlenc(&u, key);
		const char *url = hh_arena_strdup(&r->arena, hh_buf_str(&u));
		hh_buf_clear(&u);
		return url;
	}
	return hh_arena_printf(&r->arena, "/mit-overblik/forloeb/%lld",
			       (long long)plan_id);
}

void hh_page_life_event_post(struct hh_req *r)
{
	const char *slug = hh_req_param(r, "slug");
	if (!hh_slug_valid(slug)) {
		hh_page_not_found(r);
		return;
	}
	const struct hh_principal *w = hh_borger_require(
		r, hh_arena_printf(&r->arena, "/livssituation/%s", slug));
	if (!w)
		return;
	if (!hh_csrf_ok(r, hh_req_form(r, "csrf"))) {
		hh_page_csrf_refused(r, "Dit forløb blev ikke gemt");
		return;
	}
	struct hh_actor who;
	hh_actor_from(w, &who);
	struct hh_life_event le;
	enum hh_rc rc = hh_guide_get(r->app->store, &who, &r->arena, 0, slug,
				     &le, NULL, NULL);
	if (rc == HH_ERR_NOT_FOUND) {
		hh_page_not_found(r);
		return;
	}
	json_t *def = NULL;
	if (rc == HH_OK) {
		json_error_t e;
		def = json_loads(le.definition ? le.definition : "{}", 0, &e);
		if (!def)
			def = json_object();
		hh_arena_defer(&r->arena, hh_json_release, def);
	}
	struct hh_plan plan;
	const char *bad = NULL;
	if (rc == HH_OK) {
		json_t *answers = guide_answers(r, def, 1);
		hh_arena_defer(&r->arena, hh_json_release, answers);
		int64_t same;
		if (hh_guide_same_plan(r->app->store, &who, &r->arena, slug,
				       answers, &same) == HH_OK && same) {
			hh_resp_redirect(r, 303, step_form_or_plan(r, def, same));
			return;
		}
		rc = hh_plan_create(r->app->store, &r->arena, w->citizen_id, slug,
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
	hh_resp_redirect(r, 303, step_form_or_plan(r, def, plan.id));
}

void hh_page_too_large(struct hh_req *r)
{
	hh_page_error(r, 413, "Det, du sendte, fylder for meget",
		      "Filerne eller teksten var større, end vi kan tage imod "
		      "på én gang. Gå tilbage med browserens tilbage-knap, og "
		      "vedhæft mindre eller færre filer. Det, du har skrevet, "
		      "står der stadig.");
}

void hh_page_busy(struct hh_req *r)
{
	hh_page_error(r, 503, "Der er travlt lige nu",
		      "Vi kan ikke tage imod det, du sendte, i dette øjeblik. "
		      "Vent et par sekunder, og prøv igen. Det, du har "
		      "skrevet, står der stadig, når du går tilbage.");
}

void hh_page_too_many(struct hh_req *r)
{
	hh_page_error(r, 429, "Du har sendt mange ting på kort tid",
		      "For at beskytte tjenesten tager vi kun imod et vist "
		      "antal indsendelser ad gangen. Vent et minut, og prøv "
		      "igen. Det, du har skrevet, står der stadig, når du går "
		      "tilbage.");
}

void hh_page_not_found(struct hh_req *r)
{
	hh_page_error(r, 404, "Siden findes ikke",
		      "Vi kunne ikke finde den side, du leder efter. Den kan "
		      "være flyttet eller fjernet.");
}
