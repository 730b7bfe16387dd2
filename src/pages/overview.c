/* overview.c - Mit overblik: the signed-in citizen's plans and cases
 * across organisations, one plan, one case with its history and the
 * answer to a caseworker's question, and who has looked at the citizen's
 * data.
 *
 * A citizen reaches only their own plans and cases: any other id gives
 * the same 404 page as an id that does not exist. Internal notes are
 * never shown. */
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "domain/caseread.h"
#include "domain/cases.h"
#include "domain/overview.h"
#include "domain/plans.h"
#include "domain/desk.h"
#include "domain/external.h"
#include "domain/inbox.h" /* the citizen's inbox */
#include "pages/borger.h"
#include "pages/booking.h" /* appointments */
#include "pages/upload.h" /* answers with files */
#include "pages/parties.h" /* p-parties */
#include "pages/agreement.h" /* p-agree */

/* ---- the citizen's plans and cases, as the domain gives them ---------- */

static json_t *arena_json(struct hh_arena *a, const char *text)
{
	json_error_t e;
	json_t *j = text ? json_loads(text, 0, &e) : NULL;
	if (j)
		hh_arena_defer(a, hh_json_release, j);
	return j;
}

/* "Sag 24.00.00-G01-17-26" (the journal number; casework tools), or
 * "Sag 3" for a case from before journal numbers. */
static const char *case_no(struct hh_arena *a, const struct hh_case *c)
{
	return c->journal_no ? hh_arena_printf(a, "Sag %s", c->journal_no)
			     : hh_arena_printf(a, "Sag %lld", (long long)c->id);
}

static const struct hh_overview_case *find_case(const struct hh_overview *ov,
						int64_t id)
{
	for (int i = 0; i < ov->n_cases; i++)
		if (ov->cases[i].c.id == id)
			return &ov->cases[i];
	return NULL;
}

static int find_plan(const struct hh_overview *ov, int64_t id)
{
	for (int i = 0; i < ov->n_plans; i++)
		if (ov->plans[i].plan.id == id)
			return i;
	return -1;
}

static struct hh_actor actor_of(struct hh_req *r)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	return who;
}

static void unavailable(struct hh_req *r)
{
	hh_page_error(r, 503, "Siden kan ikke vises lige nu",
		      "Der opstod en fejl hos os. Prøv igen om lidt.");
}

/* ---- how a case reads to the citizen --------------------------------- */

static const char *state_class(const struct hh_case *c)
{
	return c->closed_at ? "state-done" : c->paused_since ? "state-waiting"
							     : "state-open";
}

/* Does the case wait for the citizen's answer? Paused in the state
 * requests wait in; another paused state (a reflection period) waits
 * for time, not for the citizen. */
static int awaits_citizen(const struct hh_overview_case *c)
{
	if (!c->c.paused_since || c->c.closed_at)
		return 0;
	const struct hh_ct_state *p = c->def ? hh_ct_paused(c->def) : NULL;
	return !c->def || (p && !strcmp(p->key, c->c.state));
}

/* Why a follow-up case was started: the life event's follow-up rule that
 * the parent case's state set off (plan_def: the life event's definition,
 * or NULL; parent NULL when it is not the citizen's to see). */
static void followup_reason(struct hh_req *r, const struct hh_overview_case *c,
			    const struct hh_overview_case *parent, json_t *plan_def)
{
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<p class=\"auto\"><strong>Startet automatisk</strong>");
	if (!parent) {
		hh_buf_puts(b, " som opfølgning på en anden af dine sager.</p>\n");
		return;
	}
	const char *state = NULL, *title = NULL;
	size_t i;
	json_t *fu;
	json_array_foreach(json_object_get(plan_def, "followups"), i, fu)
	{
		const char *after = json_string_value(json_object_get(fu, "after"));
		const char *ct = json_string_value(json_object_get(fu, "case_type"));
		if (after && ct && !strcmp(after, parent->c.case_type_code) &&
		    !strcmp(ct, c->c.case_type_code)) {
			state = json_string_value(json_object_get(fu, "state"));
			title = json_string_value(json_object_get(fu, "title"));
			break;
		}
	}
	hh_buf_puts(b, ", fordi din sag <a href=\"/mit-overblik/sag/");
	hh_buf_printf(b, "%lld\">", (long long)parent->c.id);
	hh_page_text(r, parent->c.case_type_name);
	hh_buf_puts(b, "</a> hos ");
	hh_page_text(r, parent->c.org_name);
	hh_buf_puts(b, " fik status »");
	hh_page_text(r, hh_borger_state_label(parent->def, state ? state : parent->c.state));
	hh_buf_puts(b, "«.");
	if (title) {
		hh_buf_puts(b, " ");
		hh_page_text(r, title);
		hh_buf_puts(b, ".");
	}
	hh_buf_puts(b, "</p>\n");
}

/* The facts of a case as a <dl>: organisation, state, deadline, next. */
static void case_facts(struct hh_req *r, const struct hh_overview_case *c,
		       int link_answer)
{
	struct hh_buf *b = &r->resp;
	struct hh_arena *a = &r->arena;
	const struct hh_case *k = &c->c;
	hh_buf_puts(b, "<dl class=\"facts\">\n<dt>Myndighed</dt><dd>");
	hh_page_text(r, k->org_name);
	hh_buf_printf(b, "</dd>\n<dt>Status</dt><dd><span class=\"state %s\">",
		      state_class(k));
	hh_page_text(r, hh_borger_state_label(c->def, k->state));
	hh_buf_puts(b, "</span></dd>\n");
	if (k->closed_at) {
		hh_buf_puts(b, "<dt>Afsluttet</dt><dd>");
		hh_buf_puts(b, hh_borger_date(a, k->closed_at, 0));
		hh_buf_puts(b, "</dd>\n");
	} else if (awaits_citizen(c)) {
		hh_buf_puts(b, "<dt>Frist</dt><dd>Fristen er sat i bero, mens vi "
			       "venter på dig</dd>\n");
	} else if (k->paused_since) {
		hh_buf_puts(b, "<dt>Frist</dt><dd>Fristen er sat i bero, mens sagen "
			       "venter</dd>\n");
	} else {
		hh_buf_puts(b, "<dt>Frist</dt><dd>Du får svar senest ");
		hh_buf_puts(b, hh_borger_date(a, k->deadline_at, 0));
		if (hh_case_overdue(k, hh_now_us() / 1000000))
			hh_buf_puts(b, " (fristen er overskredet – vi beklager)");
		hh_buf_puts(b, "</dd>\n");
	}
	/* a timed wait: when it ends */
	const char *wait = NULL;
	int64_t ends = hh_ct_wait_ends(c->def, k, hh_now_us() / 1000000, &wait);
	if (ends) {
		hh_buf_puts(b, "<dt>Venteperiode</dt><dd>");
		hh_page_text(r, wait ? wait : "Venteperioden slutter");
		hh_buf_printf(b, " %s</dd>\n", hh_borger_date(a, ends, 0));
	}
	hh_buf_puts(b, "<dt>Næste skridt</dt><dd>");
	if (k->closed_at) {
		hh_buf_puts(b, "Ingen. Sagen er afsluttet.");
	} else if (c->def && c->def->confirm_state && c->def->agreement.present &&
		   !strcmp(k->state, c->def->confirm_state)) {
		/* p-agree: waits for a signature, perhaps the applicant's own
		 * (after a change by the other parent) */
		hh_buf_puts(b, "Aftalen skal være underskrevet af jer begge, før "
			       "sagen går videre. Se under aftalen på sagens side, "
			       "hvem der mangler at skrive under.");
	} else if (c->def && c->def->confirm_state &&
		   !strcmp(k->state, c->def->confirm_state)) {
		/* p-parties: waits for the other party's own sign-in */
		hh_buf_puts(b, "Sagen venter på, at den anden part bekræfter med "
			       "sit eget log-in. Du skal ikke gøre noget nu.");
	} else if (!awaits_citizen(c) && (ends || k->paused_since)) {
		hh_buf_puts(b, ends ? "Sagen venter, til venteperioden er slut. "
				      "Derefter går "
				    : "Sagen venter. Når det er tid, går ");
		hh_page_text(r, k->org_name);
		hh_buf_puts(b, " videre med den. Du skal ikke gøre noget nu.");
	} else if (k->paused_since) {
		hh_buf_puts(b, "Vi mangler oplysninger fra dig");
		if (!link_answer) {
			hh_buf_puts(b, ". Svar på spørgsmålet herunder.");
		} else if (c->question) {
			hh_buf_puts(b, ": »");
			hh_page_text(r, c->question);
			hh_buf_puts(b, "«");
		}
		if (link_answer)
			hh_buf_printf(b, ". <a href=\"/mit-overblik/sag/%lld#svar\">"
					 "Svar på spørgsmålet</a>",
				      (long long)k->id);
	} else if (c->def && c->def->initial && !strcmp(k->state, c->def->initial)) {
		hh_page_text(r, k->org_name);
		hh_buf_puts(b, " har modtaget sagen og går i gang med den.");
	} else {
		hh_page_text(r, k->org_name);
		hh_buf_puts(b, " behandler sagen. Du skal ikke gøre noget nu.");
	}
	hh_buf_puts(b, "</dd>\n</dl>\n");
}

/* One case in a list (under an h2). */
static void case_item(struct hh_req *r, const struct hh_overview *ov,
		      const struct hh_overview_case *c)
{
	struct hh_buf *b = &r->resp;
	hh_buf_printf(b, "<li class=\"case%s%s\">\n<h3><a href=\"/mit-overblik/sag/%lld\">",
		      c->c.parent_case_id ? " followup" : "",
		      awaits_citizen(c) ? " waiting" : "",
		      (long long)c->c.id);
	hh_page_text(r, c->c.case_type_name);
	hh_buf_puts(b, "</a> <span class=\"case-no\">");
	hh_page_text(r, case_no(&r->arena, &c->c));
	hh_buf_puts(b, "</span></h3>\n");
	if (c->c.parent_case_id) {
		int pi = find_plan(ov, c->c.plan_id);
		followup_reason(r, c, find_case(ov, c->c.parent_case_id),
				pi >= 0 ? ov->plans[pi].definition : NULL);
	}
	case_facts(r, c, 1);
	hh_buf_puts(b, "</li>\n");
}

/* x-ext (issue 15): "Udbetaling Danmarks", "Aarhus'": a name in the
 * Danish genitive (an apostrophe after s, x and z), in a. */
static const char *genitive_da(struct hh_arena *a, const char *name)
{
	size_t n = strlen(name);
	char last = n ? name[n - 1] : 0;
	int apostrophe = last == 's' || last == 'x' || last == 'z' ||
			 last == 'S' || last == 'X' || last == 'Z';
	return hh_arena_printf(a, "%s%s", name, apostrophe ? "'" : "s");
}

/* A case another authority's own system reported (domain/external.h):
 * marked with the authority, its state as the authority names it, what
 * it tells the citizen, the deadline and the way to its self-service.
 * Every field is the sender's text: all of it escaped. */
static void external_item(struct hh_req *r, const struct hh_external_case *k)
{
	struct hh_buf *b = &r->resp;
	struct hh_arena *a = &r->arena;
	const char *org = k->org_name ? k->org_name : "";
	hh_buf_puts(b, "<li class=\"case external\">\n<h3>");
	hh_page_text(r, k->title);
	hh_buf_puts(b, " <span class=\"case-no\">");
	hh_page_text(r, k->external_id);
	hh_buf_puts(b, "</span></h3>\n<dl class=\"facts\">\n<dt>Myndighed</dt><dd>");
	hh_page_text(r, org);
	hh_buf_puts(b, "</dd>\n<dt>Status</dt><dd><span class=\"state\">");
	hh_page_text(r, k->state);
	hh_buf_puts(b, "</span>");
	/* x-decl: what the state means, as the system declared it (none on
	 * a case stored before its system was declared) */
	const char *stage = hh_external_stage_label(k);
	if (stage && strcmp(stage, k->state))
		hh_buf_printf(b, " <span class=\"stage\">(%s)</span>", stage);
	hh_buf_puts(b, "</dd>\n");
	if (k->deadline_at) {
		hh_buf_puts(b, "<dt>Frist</dt><dd>");
		hh_buf_puts(b, hh_borger_date(a, k->deadline_at, 0));
		hh_buf_puts(b, "</dd>\n");
	}
	hh_buf_puts(b, "</dl>\n");
	if (k->citizen_text && *k->citizen_text) {
		hh_buf_puts(b, "<p>");
		hh_page_text(r, k->citizen_text);
		hh_buf_puts(b, "</p>\n");
	}
	if (k->self_service_url) {
		hh_buf_puts(b, "<p><a class=\"external\" rel=\"noopener noreferrer\" href=\"");
		hh_page_text(r, k->self_service_url);
		hh_buf_puts(b, "\">Gå til ");
		hh_page_text(r, genitive_da(a, org));
		hh_buf_puts(b, " selvbetjening</a></p>\n");
	}
	hh_buf_puts(b, "<p class=\"who\">Oplyst af ");
	hh_page_text(r, org);
	hh_buf_puts(b, " ");
	hh_buf_puts(b, hh_borger_date(a, k->sent_updated_at ? k->sent_updated_at
							 : k->received_at, 0));
	hh_buf_puts(b, "</p>\n</li>\n");
}

static const char *step_class(const char *state)
{
	if (!state)
		return "state-info";
	if (!strcmp(state, "done"))
		return "state-done";
	if (!strcmp(state, "awaiting_citizen"))
		return "state-waiting";
	if (!strcmp(state, "not_started"))
		return "state-todo";
	if (!strcmp(state, "info"))
		return "state-info";
	return "state-open";
}

static const char *muni_name_of(const struct hh_principal *w,
				const struct hh_org_names *orgs)
{
	return w->municipality_id ? hh_org_names_by_id(orgs, w->municipality_id) : NULL;
}

/* ---- /mit-overblik --------------------------------------------------- */

void hh_page_overview(struct hh_req *r)
{
	const struct hh_principal *w = hh_borger_require(r, "/mit-overblik");
	if (!w)
		return;
	struct hh_actor who = actor_of(r);
	struct hh_overview m;
	enum hh_rc rc = hh_overview_read(r->app->store, &r->arena, &who, 1, &m);
	if (rc != HH_OK) {
		unavailable(r);
		return;
	}
	hh_resp_header(r, "Cache-Control", "no-store");
	struct hh_page p = { .title = "Mit overblik" };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<h1>Mit overblik</h1>\n<p class=\"lead\">Dine forløb og "
		       "alle dine sager – hos kommunen og hos de statslige "
		       "myndigheder – samlet ét sted.</p>\n<p>Du er logget ind som "
		       "<strong>");
	hh_page_text(r, w->name);
	hh_buf_puts(b, "</strong>. <a href=\"/mit-overblik/indsigt\">Se, hvem der "
		       "har set dine oplysninger</a></p>\n");

	/* the citizen's inbox: letters not opened yet */
	int64_t unread = 0;
	if (hh_inbox_unread(r->app->store, &who, &unread) != HH_OK)
		unread = 0; /* the overview stands without the count */
	hh_buf_puts(b, "<section aria-labelledby=\"post\" class=\"inbox-summary\">\n"
		       "<h2 id=\"post\">Din post</h2>\n<p>");
	if (unread)
		hh_buf_printf(b, "<strong>Du har %lld %s.</strong> ", (long long)unread,
			      unread == 1 ? "ulæst brev" : "ulæste breve");
	else
		hh_buf_puts(b, "Du har ingen ulæste breve. ");
	hh_buf_puts(b, "<a href=\"/mit-overblik/post\">Se alle dine breve</a></p>\n"
		       "</section>\n");

	/* open cases that wait for the citizen come first: they need action */
	int waiting = 0;
	for (int i = 0; i < m.n_cases; i++)
		if (awaits_citizen(&m.cases[i]))
			waiting++;
	if (waiting)
		hh_buf_printf(b, "<p class=\"notice\"><strong>%d %s venter på svar "
				 "fra dig.</strong> Se under Dine sager.</p>\n",
			      waiting, waiting == 1 ? "sag" : "sager");
	/* p-parties: someone else's case waits for this citizen's answer */
	int invited = 0;
	for (int i = 0; i < m.n_invitations; i++)
		invited += !strcmp(m.invitations[i].status, "invited") &&
			   !m.invitations[i].c.closed_at;
	if (invited)
		hh_buf_printf(b, "<p class=\"notice\"><strong>%d %s venter på, at "
				 "du bekræfter.</strong> Se under <a href=\"#parter\">"
				 "Sager, hvor du er part</a>.</p>\n",
			      invited, invited == 1 ? "sag" : "sager");

	hh_buf_puts(b, "<section aria-labelledby=\"forloeb\">\n"
		       "<h2 id=\"forloeb\">Dine forløb</h2>\n");
	if (!m.n_plans)
		hh_buf_puts(b, "<p>Du har ikke gemt nogen forløb endnu. Find det, "
			       "der sker i dit liv, på <a href=\"/\">forsiden</a>, "
			       "og gem planen.</p>\n");
	else
		hh_buf_puts(b, "<ul class=\"plans\">\n");
	for (int i = 0; i < m.n_plans; i++) {
		hh_buf_printf(b, "<li class=\"plan-card\">\n<h3><a href=\"/mit-overblik/"
				 "forloeb/%lld\">",
			      (long long)m.plans[i].plan.id);
		hh_page_text(r, m.plans[i].title);
		hh_buf_puts(b, "</a></h3>\n<p class=\"who\">Gemt ");
		hh_buf_puts(b, hh_borger_date(&r->arena, m.plans[i].plan.created_at, 0));
		hh_buf_puts(b, "</p>\n");
		json_t *steps = json_object_get(m.plans[i].view, "steps"), *s;
		size_t k;
		if (json_array_size(steps))
			hh_buf_puts(b, "<ol class=\"plan-steps\">\n");
		json_array_foreach(steps, k, s)
		{
			const char *st = json_string_value(json_object_get(s, "state"));
			hh_buf_puts(b, "<li><span class=\"step-title\">");
			hh_page_text(r, json_string_value(json_object_get(s, "title")));
			hh_buf_printf(b, "</span> <span class=\"state %s\">", step_class(st));
			hh_page_text(r, json_string_value(json_object_get(s, "state_label")));
			hh_buf_puts(b, "</span></li>\n");
		}
		if (json_array_size(steps))
			hh_buf_puts(b, "</ol>\n");
		hh_buf_puts(b, "</li>\n");
	}
	if (m.n_plans)
		hh_buf_puts(b, "</ul>\n");
	hh_buf_puts(b, "</section>\n<section aria-labelledby=\"sager\">\n"
		       "<h2 id=\"sager\">Dine sager</h2>\n");
	if (!m.n_cases && !m.n_external) {
		hh_buf_puts(b, "<p>Du har ingen sager. Når du sender en blanket, "
			       "kan du følge sagen her.</p>\n");
	} else {
		hh_buf_puts(b, "<ul class=\"cases\">\n");
		for (int pass = 0; pass < 2; pass++)
			for (int i = 0; i < m.n_cases; i++) {
				const struct hh_overview_case *c = &m.cases[i];
				int w8 = awaits_citizen(c);
				if (pass == 0 ? w8 : !w8)
					case_item(r, &m, c);
			}
		/* x-ext: the cases other authorities' systems reported */
		for (int i = 0; i < m.n_external; i++)
			external_item(r, &m.external[i]);
		hh_buf_puts(b, "</ul>\n");
	}
	hh_buf_puts(b, "</section>\n");
	hh_page_overview_invitations(r, &m); /* p-parties */
	hh_booking_overview_section(r); /* appointments */
	hh_page_end(r, 200);
}

/* ---- /mit-overblik/forloeb/{id} -------------------------------------- */

static const char *answer_label(json_t *def, const char *key, const char *value,
				const char **question)
{
	size_t i, k;
	json_t *q, *o;
	*question = key;
	json_array_foreach(json_object_get(def, "questions"), i, q)
	{
		const char *qk = json_string_value(json_object_get(q, "key"));
		if (!qk || strcmp(qk, key))
			continue;
		*question = json_string_value(json_object_get(q, "text")) ?: key;
		if (!strcmp(value, "ja"))
			return "Ja";
		if (!strcmp(value, "nej"))
			return "Nej";
		json_array_foreach(json_object_get(q, "options"), k, o)
		{
			const char *v = json_string_value(json_object_get(o, "value"));
			if (v && !strcmp(v, value))
				return json_string_value(json_object_get(o, "label")) ?: value;
		}
	}
	return value;
}

/* Under a step that asks for a form: the plan's cases for it, or the
 * button to the form. */
static void step_cases_html(struct hh_req *r, const struct hh_overview *m,
			    int64_t id, json_t *s, const char *ct, const char *skey)
{
	struct hh_buf *b = &r->resp;
	int n = 0;
	for (int k = 0; k < m->n_cases; k++) {
		const struct hh_overview_case *c = &m->cases[k];
		if (c->c.plan_id != id || !c->c.step || strcmp(c->c.step, skey))
			continue;
		if (!n++)
			hh_buf_puts(b, "<ul class=\"step-cases\">\n");
		hh_buf_printf(b, "<li><a href=\"/mit-overblik/sag/%lld\">",
			      (long long)c->c.id);
		hh_page_text(r, c->c.case_type_name);
		hh_buf_puts(b, " (s");
		hh_page_text(r, case_no(&r->arena, &c->c) + 1);
		hh_buf_puts(b, ")</a>: ");
		hh_page_text(r, hh_borger_state_label(c->def, c->c.state));
		hh_buf_puts(b, "</li>\n");
	}
	if (n)
		hh_buf_puts(b, "</ul>\n");
	else {
		hh_buf_puts(b, "<p><a class=\"button\" href=\"/blanket/");
		hh_buf_urlenc(b, ct);
		hh_buf_printf(b, "?forloeb=%lld&amp;trin=", (long long)id);
		hh_buf_urlenc(b, skey);
		hh_buf_puts(b, "\">Udfyld blanket<span class=\"visually-hidden\">: ");
		hh_page_text(r, json_string_value(json_object_get(s, "title")));
		hh_buf_puts(b, "</span></a></p>\n");
	}
}

void hh_page_plan(struct hh_req *r)
{
	int64_t id = hh_req_id(r, "id", NULL);
	const char *self = hh_arena_printf(&r->arena, "/mit-overblik/forloeb/%lld",
					   (long long)id);
	const struct hh_principal *w = hh_borger_require(r, id ? self : "/mit-overblik");
	if (!w)
		return;
	struct hh_actor who = actor_of(r);
	json_t *view = NULL;
	enum hh_rc rc = hh_plan_read(r->app->store, &r->arena, &who, id, &view);
	if (rc == HH_OK)
		hh_arena_defer(&r->arena, hh_json_release, view);
	if (rc == HH_ERR_NOT_FOUND) {
		hh_page_not_found(r);
		return;
	}
	struct hh_overview m = { 0 };
	struct hh_org_names orgs;
	if (rc == HH_OK)
		rc = hh_overview_read(r->app->store, &r->arena, &who, 0, &m);
	if (rc == HH_OK)
		rc = hh_org_names_load(r, &orgs);
	int pi = rc == HH_OK ? find_plan(&m, id) : -1;
	if (rc != HH_OK) {
		unavailable(r);
		return;
	}
	/* beyond the HH_OVERVIEW_PLANS newest the list does not reach: the
	 * view alone still shows the steps */
	json_t *pdef = pi >= 0 ? m.plans[pi].definition : NULL;
	const char *muni = muni_name_of(w, &orgs);
	json_t *steps = json_object_get(view, "steps");
	json_t *arts = hh_borger_step_articles(r, steps, w->municipality_id);
	const char *title = json_string_value(json_object_get(view, "title"));
	const char *slug = json_string_value(json_object_get(view, "life_event"));

	hh_resp_header(r, "Cache-Control", "no-store");
	struct hh_page p = { .title = title };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<nav class=\"crumbs\" aria-label=\"Brødkrummer\"><ol>"
		       "<li><a href=\"/\">Forside</a></li><li><a href=\"/mit-overblik\">"
		       "Mit overblik</a></li><li aria-current=\"page\">");
	hh_page_text(r, title);
	hh_buf_puts(b, "</li></ol></nav>\n<h1>");
	hh_page_text(r, title);
	hh_buf_puts(b, "</h1>\n<p class=\"lead\">Dit forløb");
	if (pi >= 0) {
		hh_buf_puts(b, ", gemt ");
		hh_buf_puts(b, hh_borger_date(&r->arena, m.plans[pi].plan.created_at, 0));
	}
	hh_buf_puts(b, ". Her kan du se, hvad du skal gøre, og hvor langt dine "
		       "sager er.</p>\n");

	/* the answers the plan was made from */
	json_t *answers = json_object_get(view, "answers");
	const char *key;
	json_t *val;
	struct hh_buf again;
	hh_buf_init(&again);
	hh_buf_puts(&again, "/livssituation/");
	hh_buf_urlenc(&again, slug ? slug : "");
	hh_buf_puts(&again, "?vis=1");
	if (json_object_size(answers)) {
		hh_buf_puts(b, "<h2>Dine svar</h2>\n<dl class=\"facts\">\n");
		/* in the order the questions were asked */
		size_t qi;
		json_t *q0;
		json_array_foreach(json_object_get(pdef, "questions"), qi, q0)
		{
			key = json_string_value(json_object_get(q0, "key"));
			val = key ? json_object_get(answers, key) : NULL;
			if (!val)
				continue;
			const char *q;
			const char *label = answer_label(pdef, key,
							 json_string_value(val) ?: "", &q);
			hh_buf_puts(b, "<dt>");
			hh_page_text(r, q);
			hh_buf_puts(b, "</dt><dd>");
			hh_page_text(r, label);
			hh_buf_puts(b, "</dd>\n");
			hh_buf_puts(&again, "&q_");
			hh_buf_urlenc(&again, key);
			hh_buf_putc(&again, '=');
			hh_buf_urlenc(&again, json_string_value(val) ?: "");
		}
		hh_buf_puts(b, "</dl>\n");
	}
	hh_buf_puts(b, "<p><a href=\"");
	hh_page_text(r, hh_buf_str(&again));
	hh_buf_puts(b, "\">Se vejledningen igen med dine svar</a></p>\n");
	hh_buf_clear(&again);

	hh_buf_puts(b, "<h2>Det skal du gøre</h2>\n<ol class=\"plan\">\n");
	size_t i;
	json_t *s;
	json_array_foreach(steps, i, s)
	{
		const char *st = json_string_value(json_object_get(s, "state"));
		const char *skey = json_string_value(json_object_get(s, "key"));
		const char *ct = json_string_value(json_object_get(s, "case_type"));
		hh_borger_step_begin(r, s, arts, &orgs, muni,
				     json_string_value(json_object_get(s, "state_label")),
				     step_class(st));
		if (ct && skey)
			step_cases_html(r, &m, id, s, ct, skey);
		hh_buf_puts(b, "</li>\n");
	}
	hh_buf_puts(b, "</ol>\n");

	int nf = 0;
	for (int k = 0; k < m.n_cases; k++) {
		const struct hh_overview_case *c = &m.cases[k];
		if (c->c.plan_id != id || !c->c.parent_case_id)
			continue;
		if (!nf++)
			hh_buf_puts(b, "<h2>Sager, der er startet automatisk</h2>\n"
				       "<p>Når en af dine sager er afgjort, kan en anden "
				       "myndighed have brug for at se på din situation. "
				       "Det sker af sig selv – du skal ikke søge.</p>\n"
				       "<ul class=\"cases\">\n");
		case_item(r, &m, c);
	}
	if (nf)
		hh_buf_puts(b, "</ul>\n");
	hh_page_end(r, 200);
}

/* ---- /mit-overblik/sag/{id} ------------------------------------------ */

/* A submitted value as the citizen wrote or chose it. */
static const char *value_text(struct hh_arena *a, json_t *field, json_t *v)
{
	const char *type = json_string_value(json_object_get(field, "type"));
	if (type && !strcmp(type, "amount") && json_is_integer(v)) { /* kept in øre */
		char kr[HH_AMOUNT_SIZE];
		hh_amount_format(json_integer_value(v), kr);
		return hh_arena_strdup(a, kr);
	}
	if (json_is_object(v)) /* a file */
		return hh_arena_printf(a, "%s (%lld kB)",
				       json_string_value(json_object_get(v, "name")) ?: "fil",
				       (long long)(json_integer_value(json_object_get(v, "size")) +
						   1023) / 1024);
	if (json_is_integer(v))
		return hh_arena_printf(a, "%lld", (long long)json_integer_value(v));
	if (json_is_real(v)) {
		char *s = hh_arena_printf(a, "%g", json_real_value(v));
		for (char *p = s; *p; p++)
			if (*p == '.')
				*p = ','; /* Danish decimal comma */
		return s;
	}
	const char *s = json_string_value(v);
	if (!s)
		return "";
	int y, mo, d;
	char end;
	if (type && !strcmp(type, "date") &&
	    sscanf(s, "%4d-%2d-%2d%c", &y, &mo, &d, &end) == 3 && mo >= 1 && mo <= 12) {
		static const char *months[] = { "januar",  "februar",  "marts",
						"april",   "maj",      "juni",
						"juli",    "august",   "september",
						"oktober", "november", "december" };
		return hh_arena_printf(a, "%d. %s %d", d, months[mo - 1], y);
	}
	if (type && !strcmp(type, "yesno"))
		return !strcmp(s, "ja") ? "Ja" : !strcmp(s, "nej") ? "Nej" : s;
	if (type && !strcmp(type, "choice")) {
		size_t i;
		json_t *o;
		json_array_foreach(json_object_get(field, "options"), i, o)
		{
			const char *ov = json_string_value(json_object_get(o, "value"));
			if (ov && !strcmp(ov, s))
				return json_string_value(json_object_get(o, "label")) ?: s;
		}
	}
	return s;
}

struct case_page {
	const char *answer;       /* the citizen's answer, kept on error */
	const char *answer_error; /* Danish, or NULL */
	const char *files_error;  /* Danish, about the files, or NULL */
	const char *notice;       /* a general message above the form */
	int status;
};

static void history(struct hh_req *r, const struct hh_case_read *v,
		    const struct hh_overview_case *c)
{
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<h2>Sagens forløb</h2>\n<ol class=\"history\">\n");
	for (int i = v->n_events - 1; i >= 0; i--) {
		const struct hh_case_event *e = &v->events[i];
		const char *state = json_string_value(json_object_get(e->after_json, "state"));
		const char *text = NULL, *quote = NULL, *quote_label = NULL;
		if (!strcmp(e->action, "submit")) {
			text = e->by_citizen ? "Du sendte blanketten, og vi modtog den."
					     : "Sagen blev oprettet.";
		} else if (!strcmp(e->action, "followup")) {
			text = "Sagen blev startet automatisk.";
		} else if (!strcmp(e->action, "transition")) {
			text = hh_arena_printf(&r->arena, "Status ændret til »%s«.",
					       hh_borger_state_label(c->def, state ? state : ""));
			quote = json_string_value(json_object_get(e->after_json, "note"));
			quote_label = "Besked fra sagsbehandleren";
		} else if (!strcmp(e->action, "request")) {
			text = "Vi bad dig om flere oplysninger.";
			quote = json_string_value(json_object_get(e->after_json, "question"));
			quote_label = "Spørgsmål";
		} else if (!strcmp(e->action, "answer")) {
			json_t *files = json_object_get(e->after_json, "files");
			text = json_array_size(files)
				       ? hh_arena_printf(&r->arena, "Du svarede med %zu %s, og "
								    "sagen gik videre.",
							 json_array_size(files),
							 json_array_size(files) == 1 ? "fil"
										     : "filer")
				       : "Du svarede, og sagen gik videre.";
			quote = json_string_value(json_object_get(e->after_json, "answer"));
			quote_label = "Dit svar";
		} else if (!strcmp(e->action, "letter_reply")) { /* the inbox */
			text = hh_arena_printf(&r->arena, "Du svarede på brevet »%s«.",
					       json_string_value(json_object_get(
						       e->after_json, "letter_title")) ?: "");
			quote = json_string_value(json_object_get(e->after_json, "reply"));
			quote_label = "Dit svar";
		} else if (!strncmp(e->action, "agreement_", 10)) {
			/* p-agree: a signature or a change of the agreement */
			const char *role = json_string_value(json_object_get(e->after_json,
									     "signer"));
			const struct hh_ct_party *pd = c->def ? hh_ct_party(c->def, role) : NULL;
			text = hh_arena_printf(
				&r->arena, "%s %s (udgave %lld).%s",
				pd ? pd->label : "Du",
				!strcmp(e->action, "agreement_change") ? "ændrede aftalen"
								       : "underskrev aftalen",
				(long long)json_integer_value(json_object_get(e->after_json,
									      "agreement_version")),
				json_is_true(json_object_get(e->after_json, "complete"))
					? hh_arena_printf(&r->arena,
							  " Aftalen er underskrevet af alle. "
							  "Status ændret til »%s«.",
							  hh_borger_state_label(c->def, state ? state : ""))
					: "");
		} else if (!strncmp(e->action, "party_", 6)) {
			/* p-parties: the other party's answer, or its expiry */
			const char *role = json_string_value(json_object_get(e->after_json,
									     "party"));
			const struct hh_ct_party *pd = c->def ? hh_ct_party(c->def, role) : NULL;
			const char *who = hh_party_who(&r->arena, pd);
			text = hh_arena_printf(
				&r->arena, "%s %s. Status ændret til »%s«.", who,
				!strcmp(e->action, "party_confirm")   ? "bekræftede ansøgningen"
				: !strcmp(e->action, "party_decline") ? "afviste ansøgningen"
								      : "svarede ikke inden fristen",
				hh_borger_state_label(c->def, state ? state : ""));
		} else if (!strcmp(e->action, "assign")) {
			if (!json_object_get(e->after_json, "assigned_to"))
				continue;
			text = "En sagsbehandler har fået sagen.";
		} else if (!strcmp(e->action, "message")) {
			/* delivery: how the letter reaches the citizen */
			text = json_string_value(json_object_get(e->after_json, "text"));
			if (!text)
				continue;
		} else {
			continue;
		}
		hh_buf_puts(b, "<li><p class=\"when\">");
		hh_buf_puts(b, hh_borger_date(&r->arena, e->at, 1));
		hh_buf_puts(b, "</p><p>");
		hh_page_text(r, text);
		hh_buf_puts(b, "</p>");
		if (quote && *quote) {
			hh_buf_puts(b, "<p class=\"quote\"><span class=\"quote-label\">");
			hh_page_text(r, quote_label);
			hh_buf_puts(b, ":</span> ");
			hh_page_text(r, quote);
			hh_buf_puts(b, "</p>");
		}
		hh_buf_puts(b, "</li>\n");
	}
	hh_buf_puts(b, "</ol>\n");
}

static void case_page(struct hh_req *r, int64_t id, const struct case_page *cp)
{
	struct hh_actor who = actor_of(r);
	struct hh_case_read *v = hh_arena_calloc(&r->arena, sizeof(*v));
	enum hh_rc rc = hh_case_read(r->app->store, &r->arena, &who, id, NULL, v);
	if (rc == HH_ERR_NOT_FOUND || (rc == HH_OK && !v->for_citizen)) {
		hh_page_not_found(r);
		return;
	}
	if (rc != HH_OK) {
		unavailable(r);
		return;
	}
	const struct hh_overview_case one = { v->c, v->def, v->question };
	const struct hh_overview_case *c = &one;
	const struct hh_case *k = &c->c;
	int sent = !cp && hh_req_query(r, "sendt") && !strcmp(hh_req_query(r, "sendt"), "1");
	int answered = !cp && hh_req_query(r, "besvaret") &&
		       !strcmp(hh_req_query(r, "besvaret"), "1");
	/* the receipt names what was sent in the case type's words: a fault
	 * report is not an application */
	const char *received = hh_arena_printf(&r->arena, "Vi har modtaget %s",
					       c->def ? c->def->submission
						      : "din henvendelse");
	hh_resp_header(r, "Cache-Control", "no-store");
	struct hh_page p = { .title = sent ? received
				     : cp && cp->answer_error
					     ? hh_arena_printf(&r->arena, "Fejl: %s",
							       k->case_type_name)
					     : k->case_type_name };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	struct hh_arena *a = &r->arena;
	hh_buf_puts(b, "<nav class=\"crumbs\" aria-label=\"Brødkrummer\"><ol>"
		       "<li><a href=\"/\">Forside</a></li><li><a href=\"/mit-overblik\">"
		       "Mit overblik</a></li>");
	if (v->plan) {
		hh_buf_printf(b, "<li><a href=\"/mit-overblik/forloeb/%lld\">",
			      (long long)k->plan_id);
		hh_page_text(r, v->plan_title);
		hh_buf_puts(b, "</a></li>");
	}
	hh_buf_puts(b, "<li aria-current=\"page\">");
	hh_page_text(r, case_no(a, k));
	hh_buf_puts(b, "</li></ol></nav>\n");
	if (sent) {
		hh_buf_puts(b, "<div class=\"receipt\">\n<h1>");
		hh_page_text(r, received);
		hh_buf_puts(b, "</h1>\n<p>");
		hh_page_text(r, k->case_type_name);
		hh_buf_printf(b, " er sendt til ");
		hh_page_text(r, k->org_name);
		hh_buf_puts(b, ". Dit sagsnummer er <strong>");
		if (k->journal_no)
			hh_page_text(r, k->journal_no);
		else
			hh_buf_printf(b, "%lld", (long long)k->id);
		hh_buf_puts(b, "</strong>.</p>\n");
		if (!k->closed_at && !k->paused_since) {
			hh_buf_puts(b, "<p>Du får svar senest <strong>");
			hh_buf_puts(b, hh_borger_date(a, k->deadline_at, 0));
			hh_buf_puts(b, "</strong>.</p>\n");
		}
		hh_buf_puts(b, "<p>Du kan følge sagen her og i <a href=\"/mit-overblik\">"
			       "Mit overblik</a>. Du får besked i Digital Post, "
			       "når der sker noget i sagen.</p>\n</div>\n<h2>");
		hh_page_text(r, k->case_type_name);
		hh_buf_puts(b, "</h2>\n");
	} else {
		hh_buf_puts(b, "<h1>");
		hh_page_text(r, k->case_type_name);
		hh_buf_puts(b, "</h1>\n");
	}
	if (answered)
		hh_buf_puts(b, "<p class=\"success\" role=\"status\">Tak for dit svar. "
			       "Sagen er sendt tilbage til sagsbehandleren.</p>\n");
	if (cp && cp->notice) {
		hh_buf_puts(b, "<div class=\"error\" role=\"alert\"><p>");
		hh_page_text(r, cp->notice);
		hh_buf_puts(b, "</p></div>\n");
	}
	hh_buf_puts(b, "<p class=\"who\">");
	hh_page_text(r, case_no(a, k));
	hh_buf_puts(b, ", sendt ");
	hh_buf_puts(b, hh_borger_date(a, k->created_at, 0));
	hh_buf_puts(b, "</p>\n");
	if (k->parent_case_id) {
		const struct hh_overview_case parent = {
			v->parent ? *v->parent : (struct hh_case){ 0 }, v->parent_def, NULL
		};
		followup_reason(r, c, v->parent ? &parent : NULL, v->plan_definition);
	}
	case_facts(r, c, 0);
	hh_page_case_parties(r, c->def, k, v->parties); /* p-parties */
	hh_page_agreement_section(r, k->id); /* p-agree */

	if (awaits_citizen(c)) {
		int err = cp && cp->answer_error;
		hh_buf_puts(b, "<section id=\"svar\" class=\"answer\" aria-labelledby=\"svar-h\">\n"
			       "<h2 id=\"svar-h\">Vi mangler oplysninger fra dig</h2>\n");
		if (c->question) {
			hh_buf_puts(b, "<p class=\"quote\"><span class=\"quote-label\">"
				       "Spørgsmål fra sagsbehandleren:</span> ");
			hh_page_text(r, c->question);
			hh_buf_puts(b, "</p>\n");
		}
		if (err || (cp && cp->files_error)) {
			hh_buf_printf(b, "<div class=\"error-summary\" role=\"alert\" "
					 "aria-labelledby=\"fejl-h\" tabindex=\"-1\">\n"
					 "<h3 id=\"fejl-h\">Der er et problem</h3>\n<ul><li>"
					 "<a href=\"#%s\">",
				      err ? "svar-tekst" : "svar-filer");
			hh_page_text(r, err ? cp->answer_error : cp->files_error);
			hh_buf_puts(b, "</a></li></ul>\n</div>\n");
		}
		hh_buf_printf(b, "<form class=\"form wide\" method=\"post\" "
				 "action=\"/mit-overblik/sag/%lld/svar\" "
				 "enctype=\"multipart/form-data\" novalidate>\n",
			      (long long)k->id);
		hh_borger_csrf_field(r);
		hh_buf_printf(b, "<div class=\"field%s\">\n<label for=\"svar-tekst\">"
				 "Dit svar</label>\n<p class=\"hint\" id=\"svar-hjaelp\">"
				 "Fristen for din sag er sat i bero, indtil vi har "
				 "dit svar.</p>\n",
			      err ? " has-error" : "");
		if (err) {
			hh_buf_puts(b, "<p class=\"field-error\" id=\"svar-fejl\">"
				       "<span class=\"visually-hidden\">Fejl: </span>");
			hh_page_text(r, cp->answer_error);
			hh_buf_puts(b, "</p>\n");
		}
		hh_buf_printf(b, "<textarea id=\"svar-tekst\" name=\"svar\" rows=\"6\" "
				 "required aria-describedby=\"svar-hjaelp%s\"%s>",
			      err ? " svar-fejl" : "", err ? " aria-invalid=\"true\"" : "");
		hh_page_text(r, cp && cp->answer ? cp->answer : "");
		hh_buf_puts(b, "</textarea>\n</div>\n");
		/* files, under the forms' upload rules (hh_case_answer_files) */
		int ferr = cp && cp->files_error;
		hh_buf_printf(b, "<div class=\"field%s\">\n<label for=\"svar-filer\">"
				 "Vedhæft filer (valgfrit)</label>\n<p class=\"hint\" "
				 "id=\"filer-hjaelp\">PDF-, JPEG- eller PNG-filer, højst "
				 "5 MB pr. fil og højst %d filer.</p>\n",
			      ferr ? " has-error" : "", HH_ANSWER_MAX_FILES);
		if (ferr) {
			hh_buf_puts(b, "<p class=\"field-error\" id=\"filer-fejl\"><span "
				       "class=\"visually-hidden\">Fejl: </span>");
			hh_page_text(r, cp->files_error);
			hh_buf_puts(b, "</p>\n<p class=\"hint\">Vælg filerne igen, før du "
				       "sender. Intet af dit svar er gemt endnu.</p>\n");
		}
		hh_buf_printf(b, "<input type=\"file\" id=\"svar-filer\" name=\"filer\" "
				 "multiple accept=\"application/pdf,image/jpeg,image/png,"
				 ".pdf,.jpg,.jpeg,.png\" aria-describedby=\"filer-hjaelp%s\"%s>\n"
				 "</div>\n<button type=\"submit\">Send svar</button>\n"
				 "</form>\n</section>\n",
			      ferr ? " filer-fejl" : "", ferr ? " aria-invalid=\"true\"" : "");
	}

	/* the agent's desk: a form filled in with Borgerservice says so */
	const char *helper, *helper_org;
	if (hh_desk_assisted_by(a, k->data, &helper, &helper_org)) {
		hh_buf_puts(b, "<p class=\"notice\" id=\"borgerservice-hjalp\">"
			       "Borgerservice udfyldte ansøgningen sammen med dig");
		if (helper || helper_org) {
			hh_buf_puts(b, " (");
			hh_page_text(r, helper ? helper : helper_org);
			if (helper && helper_org) {
				hh_buf_puts(b, ", ");
				hh_page_text(r, helper_org);
			}
			hh_buf_puts(b, ")");
		}
		hh_buf_puts(b, ". Du gav samtykke til det.</p>\n");
	}
	/* what the citizen sent */
	json_t *data = arena_json(a, k->data);
	json_t *fields = c->def ? c->def->fields : NULL;
	if (json_object_size(data)) {
		hh_buf_puts(b, "<h2>Dine oplysninger</h2>\n<dl class=\"facts answers\">\n");
		size_t i;
		json_t *f;
		json_array_foreach(fields, i, f)
		{
			const char *name = json_string_value(json_object_get(f, "name"));
			json_t *val = name ? json_object_get(data, name) : NULL;
			if (!val)
				continue;
			hh_buf_puts(b, "<dt>");
			hh_page_text(r, json_string_value(json_object_get(f, "label")) ?: name);
			hh_buf_puts(b, "</dt><dd>");
			hh_page_text(r, value_text(a, f, val));
			hh_buf_puts(b, "</dd>\n");
		}
		hh_buf_puts(b, "</dl>\n");
	}
	history(r, v, c);
	hh_page_end(r, cp ? cp->status : 200);
}

void hh_page_my_case(struct hh_req *r)
{
	int64_t id = hh_req_id(r, "id", NULL);
	const char *self = hh_arena_printf(&r->arena, "/mit-overblik/sag/%lld",
					   (long long)id);
	if (!hh_borger_require(r, id ? self : "/mit-overblik"))
		return;
	if (!id) {
		hh_page_not_found(r);
		return;
	}
	case_page(r, id, NULL);
}

void hh_page_my_case_answer(struct hh_req *r)
{
	int64_t id = hh_req_id(r, "id", NULL);
	const char *self = hh_arena_printf(&r->arena, "/mit-overblik/sag/%lld",
					   (long long)id);
	const struct hh_principal *w = hh_borger_require(r, id ? self : "/mit-overblik");
	if (!w)
		return;
	if (!id) {
		hh_page_not_found(r);
		return;
	}
	struct hh_upload u; /* urlencoded, or multipart with files */
	if (!hh_upload_read(r, &u))
		return;
	if (!hh_csrf_ok(r, hh_upload_value(r, &u, "csrf"))) {
		hh_page_csrf_refused(r, "Dit svar blev ikke sendt");
		return;
	}
	const char *answer = hh_upload_value(r, &u, "svar");
	json_t *files = hh_upload_files(r, &u, "filer");
	struct case_page cp = { .answer = answer, .status = 422 };
	if (answer && !hh_utf8_valid(answer, strlen(answer))) {
		cp.answer = NULL;
		cp.answer_error = "Svaret indeholder tegn, vi ikke kan læse. Skriv det igen.";
	} else {
		const char *s = answer ? answer : "";
		while (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t')
			s++;
		size_t len = strlen(s);
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\n' ||
			       s[len - 1] == '\r' || s[len - 1] == '\t'))
			len--;
		answer = hh_arena_strndup(&r->arena, s, len);
		if (!len)
			cp.answer_error = "Skriv dit svar.";
		else if (hh_utf8_len(answer) > 5000)
			cp.answer_error = hh_arena_printf(
				&r->arena, "Dit svar må højst være 5000 tegn. Du har "
					   "skrevet %zu.",
				hh_utf8_len(answer));
	}
	if (cp.answer_error) {
		case_page(r, id, &cp);
		return;
	}
	struct hh_actor who = actor_of(r);
	struct hh_case c;
	const char *file_error = NULL;
	enum hh_rc rc = hh_case_answer_files(r->app->store, &r->arena, &who, id, answer,
					     files, &c, &file_error);
	if (rc == HH_ERR_NOT_FOUND) {
		hh_page_not_found(r);
		return;
	}
	if (rc == HH_ERR_INVALID && file_error) {
		cp.files_error = file_error; /* nothing written: not the text either */
		case_page(r, id, &cp);
		return;
	}
	if (rc == HH_ERR_INVALID || rc == HH_ERR_CONFLICT) {
		/* sent twice (a double click): the first one got through */
		struct hh_case_read *v = hh_arena_calloc(&r->arena, sizeof(*v));
		if (hh_case_read(r->app->store, &r->arena, &who, id, NULL, v) == HH_OK &&
		    v->n_events) {
			const struct hh_case_event *last = &v->events[v->n_events - 1];
			const char *was = json_string_value(
				json_object_get(last->after_json, "answer"));
			if (!strcmp(last->action, "answer") && was && !strcmp(was, answer)) {
				hh_resp_redirect(r, 303, hh_arena_printf(
							 &r->arena, "/mit-overblik/sag/%lld?besvaret=1",
							 (long long)id));
				return;
			}
		}
		cp.status = 409;
		cp.notice = "Sagen venter ikke længere på svar fra dig, så dit svar "
			    "blev ikke sendt. Har du spørgsmål, så kontakt "
			    "myndigheden.";
		case_page(r, id, &cp);
		return;
	}
	if (rc != HH_OK) {
		cp.status = 503;
		cp.notice = "Vi kunne ikke sende dit svar lige nu. Prøv igen om lidt.";
		case_page(r, id, &cp);
		return;
	}
	hh_resp_redirect(r, 303, hh_arena_printf(&r->arena,
						 "/mit-overblik/sag/%lld?besvaret=1",
						 (long long)id));
}

/* ---- /mit-overblik/indsigt ------------------------------------------- */

void hh_page_insight(struct hh_req *r)
{
	const struct hh_principal *w = hh_borger_require(r, "/mit-overblik/indsigt");
	if (!w)
		return;
	struct hh_actor who = actor_of(r);
	struct hh_audit_entry *rows;
	int n;
	if (hh_audit_read(r->app->store, &r->arena, &who, &rows, &n) != HH_OK) {
		unavailable(r);
		return;
	}
	hh_resp_header(r, "Cache-Control", "no-store");
	struct hh_page p = { .title = "Hvem har set mine oplysninger" };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<nav class=\"crumbs\" aria-label=\"Brødkrummer\"><ol>"
		       "<li><a href=\"/\">Forside</a></li><li><a href=\"/mit-overblik\">"
		       "Mit overblik</a></li><li aria-current=\"page\">Indsigt</li>"
		       "</ol></nav>\n<h1>Hvem har set mine oplysninger</h1>\n"
		       "<p class=\"lead\">Hver gang en medarbejder hos en myndighed "
		       "åbner en af dine sager eller dine personoplysninger, bliver "
		       "det skrevet i en log. Her kan du se loggen.</p>\n");
	if (!n) {
		hh_buf_puts(b, "<p>Ingen medarbejdere har set dine oplysninger "
			       "endnu.</p>\n");
	} else {
		hh_buf_puts(b, "<div class=\"table-wrap\"><table>\n<caption>De seneste "
			       "opslag i dine oplysninger, nyeste først</caption>\n"
			       "<thead><tr><th scope=\"col\">Tidspunkt</th>"
			       "<th scope=\"col\">Hvem</th><th scope=\"col\">Hvad</th>"
			       "<th scope=\"col\">Hvorfor</th></tr></thead>\n<tbody>\n");
		for (int i = 0; i < n; i++) {
			const struct hh_audit_entry *row = &rows[i];
			const char *name = row->who;
			if (row->it_system)
				name = hh_arena_printf(&r->arena,
						       "It-systemet »%s« hos %s (rolle: %s)",
						       row->who, row->org, row->role);
			/* r-agree: a citizen in one's trail is oneself, or the
			 * other party of a case one is party to (who read the
			 * case or the agreement): never named, as they may
			 * have name and address protection */
			if (!name && !strcmp(row->actor, HH_AUDIT_OTHER_PARTY))
				name = "Den anden part i sagen";
			else if (!name && !strncmp(row->actor, "citizen:", 8))
				name = "Dig selv";
			if (!name)
				name = !strncmp(row->actor, "token:", 6)
					       ? "Et it-system hos en myndighed"
					       : row->actor;
			hh_buf_puts(b, "<tr><td>");
			hh_buf_puts(b, hh_borger_date(&r->arena, row->at, 1));
			hh_buf_puts(b, "</td><td>");
			hh_page_text(r, name);
			hh_buf_puts(b, "</td><td>");
			if (row->case_id) {
				hh_buf_printf(b, "<a href=\"/mit-overblik/sag/%lld\">Sag %lld</a>",
					      (long long)row->case_id, (long long)row->case_id);
			} else {
				hh_page_text(r, row->what);
			}
			hh_buf_puts(b, "</td><td>");
			hh_page_text(r, row->why);
			hh_buf_puts(b, "</td></tr>\n");
		}
		hh_buf_puts(b, "</tbody></table></div>\n");
	}
	hh_buf_puts(b, "<p>Mener du, at nogen har set dine oplysninger uden grund, "
		       "kan du kontakte myndigheden og bede om en forklaring.</p>\n");
	hh_page_end(r, 200);
}
