/* casework.c - the caseworker's pages: the organisation's queue of cases
 * and one case with its form values, history and actions.
 *
 * Server-rendered and complete without JavaScript. Every action is a POST
 * form carrying the session's CSRF token and the version of the case as
 * the caseworker saw it; the pages call the same domain functions as the
 * JSON API (hh_case_assign, _transition, _request, _note). When someone
 * else changed the case first, the case is shown again as it is now, with
 * what changed marked, status 409, and whatever was typed still in its
 * field. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/util.h"
#include "domain/caseread.h"
#include "domain/cases.h"
#include "domain/casetools.h"
#include "domain/catalogue.h"
#include "domain/desk.h"
#include "domain/kle.h" /* kle (issue 15) */
#include "domain/letters.h"
#include "domain/orgs.h"
#include "domain/parties.h"
#include "domain/queue.h"
#include "pages/agreement.h" /* p-agree */
#include "pages/layout.h"

#define PAGE_SIZE 25
#define MAX_PAGE 10000
#define MAX_TYPES 128
#define MAX_NAMES 64
#define NOTE_MAX 2000 /* a transition's note, as the API allows */
#define TEXT_MAX 5000 /* an internal note */
#define QUESTION_MAX 2000

static const char STALE_MSG[] =
	"Sagen er blevet ændret af en anden, mens du havde den åben. Se "
	"ændringerne og prøv igen.";

/* ---- small helpers --------------------------------------------------- */

/* The signed-in staff member who may work cases, or NULL when the
 * response (a redirect to sign in, or a 403 page) is already queued. */
static const struct hh_principal *staff_gate(struct hh_req *r)
{
	const struct hh_principal *w = hh_auth(r);
	if (w->kind != HH_USER) {
		hh_resp_redirect(r, 303, "/log-ind");
		return NULL;
	}
	struct hh_actor who;
	hh_actor_of(r, &who);
	if (!hh_case_works(&who)) {
		hh_page_error(r, 403, "Ingen adgang",
			      "Sagsbehandlingen er for sagsbehandlere, "
			      "borgerservice-medarbejdere og ledere. Din rolle "
			      "giver ikke adgang til sager.");
		return NULL;
	}
	return w;
}

/* The Danish calendar day of t, for counting days to a deadline. */
static int64_t day_of(int64_t t)
{
	return hh_dk_local(t) / 86400;
}

/* A state's label as staff should read it: the content writes labels for
 * the citizen, so "Afventer dig" becomes "Afventer borgeren" here. */
static const char *staff_label(const char *label)
{
	if (label && !strcmp(label, "Afventer dig"))
		return "Afventer borgeren";
	return label;
}

static const char *state_label(const struct hh_case_type_def *def,
			       const char *key)
{
	const struct hh_ct_state *s = def ? hh_ct_state(def, key) : NULL;
	return staff_label(s ? s->label : key);
}

static void days(struct hh_buf *b, int64_t n)
{
	hh_buf_printf(b, "%lld %s", (long long)n, n == 1 ? "dag" : "dage");
}

/* The deadline cell: a date, "overskredet" marked in text and by colour
 * and sign, "I bero" while the clock stands still, or closed. */
static void deadline_html(struct hh_req *r, struct hh_buf *b,
			  const struct hh_case *c, int64_t now, int detail)
{
	if (c->closed_at) {
		hh_buf_puts(b, "<span class=\"deadline closed\">Afsluttet ");
		hh_buf_puts(b, hh_date_da(&r->arena, c->closed_at));
		hh_buf_puts(b, "</span>");
		return;
	}
	if (c->paused_since) {
		int64_t left = c->deadline_at - c->paused_since;
		hh_buf_puts(b, "<span class=\"deadline paused\">I bero");
		if (detail) {
			hh_buf_puts(b, "</span> <span class=\"hint\">Fristen står "
				       "stille, mens sagen afventer borgeren. ");
			if (left > 0) {
				hh_buf_puts(b, "Når sagen genoptages, er der ");
				days(b, (left + 86399) / 86400);
				hh_buf_puts(b, " tilbage.");
			} else {
				hh_buf_puts(b, "Fristen var overskredet, da sagen "
					       "blev sat i bero.");
			}
		}
		hh_buf_puts(b, "</span>");
		return;
	}
	if (hh_case_overdue(c, now)) {
		hh_buf_puts(b, "<span class=\"deadline overdue\"><span class=\"flag\" "
			       "aria-hidden=\"true\">!</span> ");
		hh_buf_puts(b, hh_date_da(&r->arena, c->deadline_at));
		hh_buf_puts(b, " <strong>overskredet</strong>");
		int64_t late = day_of(now) - day_of(c->deadline_at);
		if (detail && late > 0) {
			hh_buf_puts(b, " med ");
			days(b, late);
		}
		hh_buf_puts(b, "</span>");
		return;
	}
	hh_buf_puts(b, "<span class=\"deadline\">");
	hh_buf_puts(b, hh_date_da(&r->arena, c->deadline_at));
	int64_t left = day_of(c->deadline_at) - day_of(now);
	if (detail && left <= 1) {
		hh_buf_puts(b, left ? " (i morgen)" : " (i dag)");
	} else if (detail) {
		hh_buf_puts(b, " (om ");
		days(b, left);
		hh_buf_puts(b, ")");
	}
	hh_buf_puts(b, "</span>");
}

/* ---- case types ------------------------------------------------------- */

struct ctype {
	int64_t id;
	const char *code, *name, *organisation, *definition;
	struct hh_case_type_def def;
	int parsed;
};

struct types {
	struct hh_arena *a;
	struct ctype *v;
	int n, cap;
};

static enum hh_rc type_row(void *p, const struct hh_case_type *ct)
{
	struct types *t = p;
	if (t->n == MAX_TYPES) {
		hh_log(HH_LOG_WARN, "casework: more than %d case types; the "
				    "filters show the first", MAX_TYPES);
		return HH_OK;
	}
	if (t->n == t->cap) {
		/* a parsed case type is 33 kB: grow with the case types there
		 * are rather than clear room for MAX_TYPES on every request */
		int cap = t->cap ? 2 * t->cap : 16;
		cap = cap < MAX_TYPES ? cap : MAX_TYPES;
		struct ctype *v = hh_arena_alloc(t->a, (size_t)cap * sizeof(*v));
		if (t->n)
			memcpy(v, t->v, (size_t)t->n * sizeof(*v));
		t->v = v;
		t->cap = cap;
	}
	struct ctype *c = &t->v[t->n++];
	memset(c, 0, sizeof(*c));
	c->id = ct->id;
	c->code = ct->code;
	c->name = ct->name;
	c->organisation = ct->organisation;
	c->definition = ct->definition;
	return HH_OK;
}

static void def_clear(void *p)
{
	hh_case_type_def_clear(p);
}

static enum hh_rc load_types(struct hh_req *r, struct types *t)
{
	t->a = &r->arena;
	t->v = NULL;
	t->cap = 0;
	struct hh_actor who;
	hh_actor_of(r, &who);
	t->n = 0;
	enum hh_rc rc = hh_case_type_each(r->app->store, &r->arena, &who, type_row, t);
	for (int i = 0; rc == HH_OK && i < t->n; i++) {
		char err[256];
		struct ctype *c = &t->v[i];
		if (hh_case_type_def_parse(c->definition, &c->def, err,
					   sizeof(err)) == HH_OK) {
			c->parsed = 1;
			hh_arena_defer(&r->arena, def_clear, &c->def);
		} else {
			hh_log_bug("case type %s in the store is broken: %s", c->code,
				   err);
		}
	}
	return rc;
}

/* Case types whose cases come to the caller's organisation. */
static int type_is_ours(const struct hh_principal *w, const struct ctype *c)
{
	return c->parsed &&
	       (!strcmp(c->organisation, w->org_code) ||
		(w->org_is_municipality && !strcmp(c->organisation, "municipality")));
}

/* ---- the queue -------------------------------------------------------- */

struct queue {
	int64_t total;
	struct hh_case *rows;
	int n;
};

static enum hh_rc queue_row(void *p, const struct hh_case *c)
{
	struct queue *q = p;
	if (q->n < PAGE_SIZE)
		q->rows[q->n++] = *c; /* its strings live in the request arena */
	return HH_OK;
}

struct filters {
	const char *state, *type;
	int overdue, mine, newest;
	int64_t page;
	/* casework tools: find, stage, team */
	const char *find, *stage, *team;
};

static const char *queue_url(struct hh_req *r, const struct filters *f,
			     int newest, int64_t page)
{
	struct hh_buf b;
	hh_buf_init(&b);
	hh_buf_puts(&b, "/sagsbehandling");
	char sep = '?';
	if (f->state) {
		hh_buf_printf(&b, "%ctilstand=", sep);
		hh_buf_urlenc(&b, f->state);
		sep = '&';
	}
	if (f->type) {
		hh_buf_printf(&b, "%csagstype=", sep);
		hh_buf_urlenc(&b, f->type);
		sep = '&';
	}
	const char *const more[][2] = { { "soeg", f->find }, { "fase", f->stage },
					{ "team", f->team } };
	for (int i = 0; i < 3; i++) {
		if (!more[i][1])
			continue;
		hh_buf_printf(&b, "%c%s=", sep, more[i][0]);
		hh_buf_urlenc(&b, more[i][1]);
		sep = '&';
	}
	if (f->overdue) {
		hh_buf_printf(&b, "%coverskredet=1", sep);
		sep = '&';
	}
	if (f->mine) {
		hh_buf_printf(&b, "%cmine=1", sep);
		sep = '&';
	}
	if (newest) {
		hh_buf_printf(&b, "%csortering=nyeste", sep);
		sep = '&';
	}
	if (page > 1)
		hh_buf_printf(&b, "%cside=%lld", sep, (long long)page);
	const char *s = hh_arena_strdup(&r->arena, hh_buf_str(&b));
	hh_buf_clear(&b);
	return s;
}

/* A query value we can use: valid UTF-8, not empty, not absurdly long. */
static const char *query_value(struct hh_req *r, const char *name)
{
	const char *v = hh_req_query(r, name);
	if (!v || !*v || strlen(v) > 80 || !hh_utf8_valid(v, strlen(v)))
		return NULL;
	return v;
}

/* The state filter's options: every state of our case types, by key, in
 * the order they first appear; keys labelled differently by different
 * case types show all their labels. */
static void state_options(struct hh_req *r, const struct types *t,
			  const struct hh_principal *w, const char *chosen)
{
	struct hh_buf *b = &r->resp;
	const char *keys[MAX_TYPES];
	int n = 0;
	for (int i = 0; i < t->n; i++) {
		const struct ctype *c = &t->v[i];
		if (!type_is_ours(w, c))
			continue;
		for (int s = 0; s < c->def.n_states && n < MAX_TYPES; s++) {
			const char *k = c->def.states[s].key;
			int seen = 0;
			for (int j = 0; j < n && !seen; j++)
				seen = !strcmp(keys[j], k);
			if (!seen)
				keys[n++] = k;
		}
	}
	/* grouped by stage (domain/casetools.h says how a state's flags
	 * make its stage); a key is shown in the stage it first has */
	enum hh_stage stage_of[MAX_TYPES];
	for (int j = 0; j < n; j++) {
		stage_of[j] = HH_STAGE_WORKING;
		for (int i = 0; i < t->n; i++) {
			const struct ctype *c = &t->v[i];
			const struct hh_ct_state *s =
				type_is_ours(w, c) ? hh_ct_state(&c->def, keys[j]) : NULL;
			if (s) {
				stage_of[j] = hh_case_stage(&c->def, s);
				break;
			}
		}
	}
	for (int g = HH_STAGE_NEW; g < HH_STAGE__COUNT; g++) {
	int opened = 0;
	for (int j = 0; j < n; j++) {
		if (stage_of[j] != (enum hh_stage)g)
			continue;
		if (!opened) {
			hh_buf_puts(b, "<optgroup label=\"");
			hh_page_text(r, hh_stage_label((enum hh_stage)g));
			hh_buf_puts(b, "\">\n");
			opened = 1;
		}
		/* the labels of this key, each once */
		const char *labels[8];
		int nl = 0;
		for (int i = 0; i < t->n && nl < 8; i++) {
			const struct ctype *c = &t->v[i];
			const struct hh_ct_state *s =
				type_is_ours(w, c) ? hh_ct_state(&c->def, keys[j]) : NULL;
			if (!s)
				continue;
			const char *l = staff_label(s->label);
			int seen = 0;
			for (int k = 0; k < nl && !seen; k++)
				seen = !strcmp(labels[k], l);
			if (!seen)
				labels[nl++] = l;
		}
		hh_buf_puts(b, "<option value=\"");
		hh_page_text(r, keys[j]);
		hh_buf_puts(b, "\"");
		if (chosen && !strcmp(chosen, keys[j]))
			hh_buf_puts(b, " selected");
		hh_buf_puts(b, ">");
		for (int k = 0; k < nl; k++) {
			if (k)
				hh_buf_puts(b, " / ");
			hh_page_text(r, labels[k]);
		}
		hh_buf_puts(b, "</option>\n");
	}
	if (opened)
		hh_buf_puts(b, "</optgroup>\n");
	}
}

static int state_known(const struct types *t, const struct hh_principal *w,
		       const char *key)
{
	for (int i = 0; i < t->n; i++)
		if (type_is_ours(w, &t->v[i]) && hh_ct_state(&t->v[i].def, key))
			return 1;
	return 0;
}

static const struct ctype *type_by_id(const struct types *t, int64_t id)
{
	for (int i = 0; i < t->n; i++)
		if (t->v[i].id == id)
			return &t->v[i];
	return NULL;
}

/* The teams of the caller's organisation, for the team filter. */
struct teams {
	const char *code[64], *name[64];
	int n;
};

static enum hh_rc team_row(void *p, const struct hh_assignee *x)
{
	struct teams *t = p;
	if (x->team && t->n < 64) {
		t->code[t->n] = x->team;
		t->name[t->n++] = x->name;
	}
	return HH_OK;
}

static void queue_form(struct hh_req *r, const struct types *t,
		       const struct hh_principal *w, const struct filters *f,
		       const struct teams *tm)
{
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<form class=\"queue-filters\" method=\"get\" "
		       "action=\"/sagsbehandling\" aria-labelledby=\"filtre\">\n"
		       "<h2 id=\"filtre\">Find sager</h2>\n"
		       "<div class=\"field\"><label for=\"f-soeg\">Søg efter "
		       "journalnummer, CPR-nummer eller navn</label>\n"
		       "<p class=\"hint\" id=\"f-soeg-hint\">Fx 24.00.00-G01, "
		       "010203-1234 eller Anna Jensen. Søgningen finder både åbne og "
		       "afsluttede sager. Opslag på CPR-nummer skrives i borgerens "
		       "log.</p>\n<input type=\"search\" id=\"f-soeg\" name=\"soeg\" "
		       "maxlength=\"100\" aria-describedby=\"f-soeg-hint\" value=\"");
	hh_page_text(r, f->find ? f->find : "");
	hh_buf_puts(b, "\"></div>\n<div class=\"filter-row\">\n"
		       "<div class=\"field\"><label for=\"f-fase\">Fase</label>\n"
		       "<select id=\"f-fase\" name=\"fase\">\n"
		       "<option value=\"\">Alle faser</option>\n");
	for (int g = HH_STAGE_NEW; g < HH_STAGE__COUNT; g++) {
		const char *code = hh_stage_code((enum hh_stage)g);
		hh_buf_printf(b, "<option value=\"%s\"%s>", code,
			      f->stage && !strcmp(f->stage, code) ? " selected" : "");
		hh_page_text(r, hh_stage_label((enum hh_stage)g));
		hh_buf_puts(b, "</option>\n");
	}
	hh_buf_puts(b, "</select></div>\n<div class=\"field\"><label "
		       "for=\"f-team\">Team</label>\n<select id=\"f-team\" "
		       "name=\"team\">\n<option value=\"\">Alle teams</option>\n");
	for (int i = 0; i < tm->n; i++) {
		hh_buf_puts(b, "<option value=\"");
		hh_page_text(r, tm->code[i]);
		hh_buf_puts(b, f->team && !strcmp(f->team, tm->code[i]) ? "\" selected>"
									 : "\">");
		hh_page_text(r, tm->name[i]);
		hh_buf_puts(b, "</option>\n");
	}
	hh_buf_puts(b, "</select></div>\n</div>\n<div class=\"filter-row\">\n"
		       "<div class=\"field\"><label for=\"f-tilstand\">Tilstand</label>\n"
		       "<select id=\"f-tilstand\" name=\"tilstand\">\n"
		       "<option value=\"\">Alle åbne sager</option>\n");
	state_options(r, t, w, f->state);
	hh_buf_puts(b, "</select></div>\n<div class=\"field\"><label "
		       "for=\"f-sagstype\">Sagstype</label>\n<select "
		       "id=\"f-sagstype\" name=\"sagstype\">\n<option "
		       "value=\"\">Alle sagstyper</option>\n");
	for (int i = 0; i < t->n; i++) {
		const struct ctype *c = &t->v[i];
		int chosen = f->type && !strcmp(f->type, c->code);
		if (!type_is_ours(w, c) && !chosen)
			continue;
		hh_buf_puts(b, "<option value=\"");
		hh_page_text(r, c->code);
		hh_buf_puts(b, chosen ? "\" selected>" : "\">");
		hh_page_text(r, c->name);
		hh_buf_puts(b, "</option>\n");
	}
	hh_buf_printf(b, "</select></div>\n<div class=\"field\"><label "
			 "for=\"f-sortering\">Sortering</label>\n<select "
			 "id=\"f-sortering\" name=\"sortering\">\n"
			 "<option value=\"frist\"%s>Frist, først udløbende</option>\n"
			 "<option value=\"nyeste\"%s>Nyeste først</option>\n"
			 "</select></div>\n</div>\n"
			 "<div class=\"checks\">\n"
			 "<div class=\"check\"><input type=\"checkbox\" "
			 "id=\"f-overskredet\" name=\"overskredet\" value=\"1\"%s>"
			 "<label for=\"f-overskredet\">Kun overskredne frister"
			 "</label></div>\n"
			 "<div class=\"check\"><input type=\"checkbox\" id=\"f-mine\" "
			 "name=\"mine\" value=\"1\"%s><label for=\"f-mine\">Kun mine"
			 "</label></div>\n</div>\n"
			 "<div class=\"buttons\"><button type=\"submit\">Vis sager"
			 "</button> <a href=\"/sagsbehandling\">Nulstil filtre</a>"
			 "</div>\n</form>\n",
		      f->newest ? "" : " selected", f->newest ? " selected" : "",
		      f->overdue ? " checked" : "", f->mine ? " checked" : "");
}

/* One case in the queue's table. */
static void queue_row_html(struct hh_req *r, const struct types *t,
			   const struct hh_principal *w, const struct hh_case *c,
			   int64_t now)
{
	struct hh_buf *b = &r->resp;
	const struct ctype *ct = type_by_id(t, c->case_type_id);
	int overdue = hh_case_overdue(c, now);
	/* the journal number alone shows; links listed out of the table
	 * say "Sag 24.00.00-G01-17-26" (the id stays in the URL) */
	const char *jnr = c->journal_no
				  ? c->journal_no
				  : hh_arena_printf(&r->arena, "%lld", (long long)c->id);
	hh_buf_printf(b, "<tr%s><th scope=\"row\"><a href=\"/sagsbehandling/"
			 "sag/%lld\" aria-label=\"Sag ",
		      overdue ? " class=\"is-overdue\"" : "", (long long)c->id);
	hh_page_text(r, jnr);
	hh_buf_puts(b, "\">");
	hh_page_text(r, jnr);
	hh_buf_puts(b, "</a></th><td>");
	hh_page_text(r, c->case_type_name);
	hh_buf_puts(b, "</td><td>");
	if (c->citizen_name)
		hh_page_text(r, c->citizen_name);
	else
		hh_buf_puts(b, "<span class=\"none\">Ingen borger</span>");
	hh_buf_puts(b, "</td><td>");
	hh_page_text(r, state_label(ct && ct->parsed ? &ct->def : NULL,
				    c->state));
	hh_buf_puts(b, "</td><td>");
	deadline_html(r, b, c, now, 0);
	hh_buf_puts(b, "</td><td>");
	if (c->assigned_to && c->assigned_to == w->user_id)
		hh_buf_puts(b, "Dig");
	else if (c->assigned_name)
		hh_page_text(r, c->assigned_name);
	else if (!c->assigned_team_name)
		hh_buf_puts(b, "<span class=\"none\">Ingen</span>");
	if (c->assigned_team_name) {
		hh_buf_puts(b, c->assigned_to ? " <span class=\"team\">(team "
					      : "<span class=\"team\">Team ");
		hh_page_text(r, c->assigned_team_name);
		hh_buf_puts(b, c->assigned_to ? ")</span>" : "</span>");
	}
	hh_buf_puts(b, "</td></tr>\n");
}

/* Links to the previous and next pages of the queue. */
static void pager_html(struct hh_req *r, const struct filters *f, int64_t pages)
{
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<nav class=\"pager\" aria-label=\"Sider\"><ul>");
	if (f->page > 1) {
		hh_buf_puts(b, "<li><a rel=\"prev\" href=\"");
		hh_page_text(r, queue_url(r, f, f->newest, f->page - 1));
		hh_buf_puts(b, "\">Forrige side</a></li>");
	}
	hh_buf_printf(b, "<li aria-current=\"page\">Side %lld af %lld</li>",
		      (long long)f->page, (long long)pages);
	if (f->page < pages) {
		hh_buf_puts(b, "<li><a rel=\"next\" href=\"");
		hh_page_text(r, queue_url(r, f, f->newest, f->page + 1));
		hh_buf_puts(b, "\">Næste side</a></li>");
	}
	hh_buf_puts(b, "</ul></nav>\n");
}

void hh_page_casework_queue(struct hh_req *r)
{
	const struct hh_principal *w = staff_gate(r);
	if (!w)
		return;
	hh_resp_header(r, "Cache-Control", "no-store");
	struct types t;
	enum hh_rc rc = load_types(r, &t);
	struct filters f = { 0 };
	f.state = query_value(r, "tilstand");
	f.type = query_value(r, "sagstype");
	const char *v = hh_req_query(r, "overskredet");
	f.overdue = v && !strcmp(v, "1");
	v = hh_req_query(r, "mine");
	f.mine = v && !strcmp(v, "1");
	v = hh_req_query(r, "sortering");
	f.newest = v && !strcmp(v, "nyeste");
	f.find = query_value(r, "soeg");
	f.stage = query_value(r, "fase");
	if (!f.stage)
		f.stage = query_value(r, "stage");
	if (f.stage && hh_stage_parse(f.stage) == HH_STAGE_NONE)
		f.stage = NULL;
	f.team = query_value(r, "team");
	v = hh_req_query(r, "side");
	f.page = 1;
	if (v) {
		char *end;
		long long p = strtoll(v, &end, 10);
		if (!*end && p >= 1 && p <= MAX_PAGE)
			f.page = p;
	}
	/* unknown values are dropped, so the form shows what is in force */
	if (f.state && rc == HH_OK && !state_known(&t, w, f.state))
		f.state = NULL;
	const struct ctype *chosen = NULL;
	for (int i = 0; f.type && i < t.n; i++)
		if (!strcmp(t.v[i].code, f.type))
			chosen = &t.v[i];
	if (!chosen)
		f.type = NULL;
	struct teams tm = { .n = 0 };
	struct hh_actor tw;
	hh_actor_of(r, &tw);
	if (rc == HH_OK)
		rc = hh_case_assignees(r->app->store, &r->arena, &tw, team_row, &tm);
	int team_known = 0;
	for (int i = 0; f.team && i < tm.n; i++)
		team_known |= !strcmp(tm.code[i], f.team);
	if (!team_known)
		f.team = NULL;

	/* the domain scopes it to the caller's organisation; by default the
	 * open cases (a chosen state may be a final one) */
	struct hh_queue_query qq = {
		.state = f.state,
		.case_type = chosen ? chosen->code : NULL,
		.overdue = f.overdue,
		.assigned_to = f.mine ? w->user_id : 0,
		.open = -1,
		.newest = f.newest,
		.offset = (f.page - 1) * PAGE_SIZE,
		.limit = PAGE_SIZE,
		.find = f.find,
		.stage = f.stage,
		.team = f.team,
	};
	struct queue q = { 0 };
	q.rows = hh_arena_alloc(&r->arena, PAGE_SIZE * sizeof(*q.rows));
	int64_t now = hh_now_us() / 1000000;
	struct hh_actor who;
	hh_actor_of(r, &who);
	if (rc == HH_OK)
		rc = hh_case_queue(r->app->store, &r->arena, &who, &qq, &q.total,
				   queue_row, &q);

	struct hh_org org;
	int has_org = hh_org_by_code(r->app->store, &r->arena, w->org_code, &org) == HH_OK;
	struct hh_page p = { .title = f.page > 1 ? hh_arena_printf(&r->arena,
								 "Sager, side %lld",
								 (long long)f.page)
						 : "Sager" };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<div class=\"casework\">\n<h1>Sager</h1>\n"
		       "<p class=\"lead\">Sager hos ");
	hh_page_text(r, has_org ? org.name : w->org_code);
	hh_buf_puts(b, ". Du er logget ind som ");
	hh_page_text(r, w->name);
	hh_buf_puts(b, ".</p>\n");
	/* letters: a colleague's letters that wait for a second caseworker */
	hh_buf_puts(b, "<p><a href=\"/sagsbehandling/godkendelser\">Breve til "
		       "godkendelse</a> · <a href=\"/sagsbehandling/post\">Breve, "
		       "der ikke kan sendes</a></p>\n");
	if (rc != HH_OK) {
		hh_buf_puts(b, "<div class=\"error\" role=\"alert\"><p>Sagerne kan "
			       "ikke vises lige nu. Prøv igen om lidt.</p></div>\n"
			       "</div>\n");
		hh_page_end(r, 503);
		return;
	}
	queue_form(r, &t, w, &f, &tm);

	int64_t pages = (q.total + PAGE_SIZE - 1) / PAGE_SIZE;
	hh_buf_puts(b, "<section class=\"queue-list\" aria-labelledby=\"sager\">\n"
		       "<h2 id=\"sager\">");
	if (q.total == 1)
		hh_buf_puts(b, "1 sag");
	else
		hh_buf_printf(b, "%lld sager", (long long)q.total);
	hh_buf_puts(b, "</h2>\n");
	if (q.total == 0) {
		hh_buf_puts(b, "<p>Der er ingen sager, der passer til filtrene. "
			       "<a href=\"/sagsbehandling\">Vis alle åbne sager</a>"
			       "</p>\n</section>\n</div>\n");
		hh_page_end(r, 200);
		return;
	}
	hh_buf_puts(b, "<p class=\"sorting\">");
	hh_buf_puts(b, f.newest ? "Sorteret med de nyeste sager først. "
				: "Sorteret efter frist, først udløbende. ");
	hh_buf_puts(b, "<a href=\"");
	hh_page_text(r, queue_url(r, &f, !f.newest, 1));
	hh_buf_puts(b, f.newest ? "\">Sortér efter frist</a>"
				: "\">Sortér med de nyeste først</a>");
	hh_buf_puts(b, "</p>\n");
	if (q.n == 0) {
		hh_buf_puts(b, "<p>Der er ingen sager på denne side. <a href=\"");
		hh_page_text(r, queue_url(r, &f, f.newest, 1));
		hh_buf_puts(b, "\">Gå til første side</a></p>\n</section>\n"
			       "</div>\n");
		hh_page_end(r, 200);
		return;
	}
	hh_buf_printf(b, "<div class=\"table-wrap\"><table class=\"queue-table\">\n"
			 "<caption>Sagerne%s, side %lld af %lld</caption>\n"
			 "<thead><tr><th scope=\"col\">Sagsnr.</th>"
			 "<th scope=\"col\">Sagstype</th><th scope=\"col\">Borger</th>"
			 "<th scope=\"col\">Tilstand</th><th scope=\"col\">Frist</th>"
			 "<th scope=\"col\">Tildelt</th></tr></thead>\n<tbody>\n",
		      f.newest ? ", nyeste først" : " efter frist",
		      (long long)f.page, (long long)pages);
	for (int i = 0; i < q.n; i++)
		queue_row_html(r, &t, w, &q.rows[i], now);
	hh_buf_puts(b, "</tbody></table></div>\n");
	if (pages > 1)
		pager_html(r, &f, pages);
	hh_buf_puts(b, "</section>\n</div>\n");
	hh_page_end(r, 200);
}

/* ---- one case --------------------------------------------------------- */

/* The case as the domain reads it for staff, and who is looking. */
struct case_view {
	struct hh_req *r;
	const struct hh_principal *w;
	struct hh_case c;
	struct hh_case_type_def def; /* a shallow copy: the domain's, cleared
					with the arena */
	int have_def;
	const struct hh_case_event *ev; /* oldest first */
	int n_ev;
	struct hh_case_read rd;
	/* casework tools: whom the case may be assigned to */
	struct hh_assignee *who_to;
	int n_who_to;
};

/* "Sag 24.00.00-G01-17-26", or "Sag 3" for a case without a journal
 * number. */
static const char *case_title(struct hh_arena *a, const struct hh_case *c)
{
	return c->journal_no ? hh_arena_printf(a, "Sag %s", c->journal_no)
			     : hh_arena_printf(a, "Sag %lld", (long long)c->id);
}

static enum hh_rc assignee_row(void *p, const struct hh_assignee *x)
{
	struct case_view *v = p;
	if (v->n_who_to < 200)
		v->who_to[v->n_who_to++] = *x;
	return HH_OK;
}

static const char *name_of(const struct case_view *v, int64_t id)
{
	return hh_case_read_person(&v->rd, id);
}

/* Reads the case (written to the audit log as a read of the citizen's
 * data), its case type and its history. */
static enum hh_rc load_case(struct hh_req *r, const struct hh_principal *w,
			    int64_t id, struct case_view **out)
{
	struct case_view *v = hh_arena_calloc(&r->arena, sizeof(*v));
	*out = v;
	v->r = r;
	v->w = w;
	struct hh_actor who;
	hh_actor_of(r, &who);
	enum hh_rc rc = hh_case_read(r->app->store, &r->arena, &who, id,
				     "sagsbehandling", &v->rd);
	if (rc != HH_OK)
		return rc;
	v->c = v->rd.c;
	v->have_def = v->rd.def != NULL;
	if (v->rd.def)
		v->def = *v->rd.def;
	v->ev = v->rd.events;
	v->n_ev = v->rd.n_events;
	v->who_to = hh_arena_calloc(&r->arena, 200 * sizeof(*v->who_to));
	if (v->rd.may_change && !v->c.closed_at)
		rc = hh_case_assignees(r->app->store, &r->arena, &who, assignee_row, v);
	return rc;
}

/* What a rendering of the case page carries beyond the case: the outcome
 * of an action, and what the caseworker typed. */
struct outcome {
	const char *done;  /* a confirmation, or NULL */
	const char *error; /* a problem with the action, or NULL */
	int64_t seen;      /* stale: the version the caseworker had */
	const char *form;  /* the form the error belongs to */
	const char *field_error; /* for the form's text field */
	const char *note, *question, *text; /* kept input */
};

static void size_da(struct hh_buf *b, json_int_t n)
{
	const long long kb = 1024, mb = 1024 * kb;
	if (n < kb)
		hh_buf_printf(b, "%lld byte", (long long)n);
	else if (n < mb)
		hh_buf_printf(b, "%lld kB", (long long)((n + kb - 1) / kb));
	else
		hh_buf_printf(b, "%lld,%lld MB", (long long)(n / mb),
			      (long long)(n % mb * 10 / mb));
}

static void number_da(struct hh_buf *b, json_t *v)
{
	if (json_is_integer(v)) {
		long long n = json_integer_value(v);
		char digits[32];
		snprintf(digits, sizeof(digits), "%llu",
			 n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n);
		size_t len = strlen(digits);
		if (n < 0)
			hh_buf_putc(b, '-');
		for (size_t i = 0; i < len; i++) {
			if (i && (len - i) % 3 == 0)
				hh_buf_putc(b, '.'); /* Danish thousands */
			hh_buf_putc(b, digits[i]);
		}
		return;
	}
	char s[64];
	snprintf(s, sizeof(s), "%.2f", json_number_value(v));
	for (char *p = s; *p; p++)
		if (*p == '.')
			*p = ',';
	hh_buf_puts(b, s);
}

/* A form value as staff should read it, by the field's type. */
static void value_html(struct hh_req *r, json_t *field, json_t *v)
{
	struct hh_buf *b = &r->resp;
	const char *type = field ? json_string_value(json_object_get(field, "type"))
				 : NULL;
	type = type ? type : "";
	if (!strcmp(type, "amount") && json_is_integer(v)) { /* kept in øre */
		char kr[HH_AMOUNT_SIZE];
		hh_amount_format(json_integer_value(v), kr);
		hh_page_text(r, kr);
		return;
	}
	if (json_is_object(v)) { /* a file */
		const char *name = json_string_value(json_object_get(v, "name"));
		hh_buf_puts(b, "<span class=\"file\">");
		hh_page_text(r, name ? name : "(uden navn)");
		hh_buf_puts(b, " <span class=\"size\">(");
		size_da(b, json_integer_value(json_object_get(v, "size")));
		hh_buf_puts(b, ")</span></span>");
		return;
	}
	if (json_is_number(v)) {
		number_da(b, v);
		return;
	}
	if (json_is_boolean(v)) {
		hh_buf_puts(b, json_is_true(v) ? "Ja" : "Nej");
		return;
	}
	const char *s = json_string_value(v);
	if (!s) {
		hh_buf_puts(b, "<span class=\"none\">Ikke udfyldt</span>");
		return;
	}
	if (!strcmp(type, "yesno") && (!strcmp(s, "ja") || !strcmp(s, "nej"))) {
		hh_buf_puts(b, *s == 'j' ? "Ja" : "Nej");
		return;
	}
	if (!strcmp(type, "choice")) {
		json_t *o;
		size_t i;
		json_array_foreach(json_object_get(field, "options"), i, o)
		{
			const char *val = json_string_value(json_object_get(o, "value"));
			const char *label = json_string_value(json_object_get(o, "label"));
			if (val && label && !strcmp(val, s)) {
				hh_page_text(r, label);
				return;
			}
		}
	}
	if (!strcmp(type, "date") && strlen(s) == 10) {
		struct tm tm = { 0 };
		char *end = strptime(s, "%Y-%m-%d", &tm);
		if (end && !*end) {
			hh_page_text(r, hh_date_da(&r->arena, (int64_t)timegm(&tm)));
			return;
		}
	}
	if (!strcmp(type, "textarea")) {
		hh_buf_puts(b, "<span class=\"long\">");
		hh_page_text(r, s);
		hh_buf_puts(b, "</span>");
		return;
	}
	hh_page_text(r, s);
}

static void data_html(struct hh_req *r, const struct case_view *v)
{
	struct hh_buf *b = &r->resp;
	json_error_t e;
	json_t *data = json_loads(v->c.data ? v->c.data : "{}", 0, &e);
	if (!data)
		data = json_object();
	hh_buf_puts(b, "<section class=\"case-data\" aria-labelledby=\"oplysninger\">"
		       "\n<h2 id=\"oplysninger\">Borgerens oplysninger</h2>\n");
	/* the agent's desk: who helped, and the citizen's consent */
	const char *helper, *helper_org;
	if (hh_desk_assisted_by(&r->arena, v->c.data, &helper, &helper_org)) {
		hh_buf_puts(b, "<p class=\"notice\" id=\"borgerservice-hjalp\">"
			       "Udfyldt sammen med Borgerservice");
		if (helper || helper_org) {
			hh_buf_puts(b, " (");
			hh_page_text(r, helper ? helper : helper_org);
			if (helper && helper_org) {
				hh_buf_puts(b, ", ");
				hh_page_text(r, helper_org);
			}
			hh_buf_puts(b, ")");
		}
		hh_buf_puts(b, ". " HH_DESK_CONSENT_TEXT ".</p>\n");
		json_object_del(data, HH_DESK_ASSISTED_KEY);
	}
	/* a follow-up's origin has its own section (origin_html) */
	json_object_del(data, HH_CASE_ORIGIN_KEY);
	if (!json_object_size(data)) {
		hh_buf_puts(b, "<p>Sagen har ingen oplysninger fra en blanket.</p>\n");
	} else {
		hh_buf_puts(b, "<dl class=\"case-values\">\n");
		/* the form's order and labels first, then anything the form no
		 * longer has (the case type may have changed since) */
		json_t *shown = json_object();
		json_t *f;
		size_t i;
		json_array_foreach(v->have_def ? v->def.fields : NULL, i, f)
		{
			const char *name = json_string_value(json_object_get(f, "name"));
			json_t *val = name ? json_object_get(data, name) : NULL;
			if (!val)
				continue;
			const char *label = json_string_value(json_object_get(f, "label"));
			hh_buf_puts(b, "<dt>");
			hh_page_text(r, label ? label : name);
			hh_buf_puts(b, "</dt><dd>");
			value_html(r, f, val);
			hh_buf_puts(b, "</dd>\n");
			json_object_set_new(shown, name, json_true());
		}
		const char *k;
		json_t *val;
		json_object_foreach(data, k, val)
		{
			if (json_object_get(shown, k))
				continue;
			hh_buf_puts(b, "<dt>");
			hh_page_text(r, k);
			hh_buf_puts(b, "</dt><dd>");
			value_html(r, NULL, val);
			hh_buf_puts(b, "</dd>\n");
		}
		json_decref(shown);
		hh_buf_puts(b, "</dl>\n");
	}
	hh_buf_puts(b, "</section>\n");
	json_decref(data);
}

static const char *actor_name(const struct case_view *v, const char *actor)
{
	if (!strncmp(actor, "user:", 5)) {
		int64_t id = strtoll(actor + 5, NULL, 10);
		const char *n = name_of(v, id);
		if (id == v->w->user_id)
			return n ? hh_arena_printf(&v->r->arena, "%s (dig)", n) : "Dig";
		return n ? n : "En medarbejder";
	}
	if (!strncmp(actor, "citizen", 7))
		return v->c.citizen_name ? v->c.citizen_name : "Borgeren";
	if (!strncmp(actor, "token:", 6))
		return "Et andet system (API)";
	return "helhed";
}

static void history_html(struct hh_req *r, const struct case_view *v,
			 int64_t seen)
{
	struct hh_buf *b = &r->resp;
	const struct hh_case_type_def *def = v->have_def ? &v->def : NULL;
	hh_buf_puts(b, "<section class=\"case-history\" aria-labelledby=\"historik\">\n"
		       "<h2 id=\"historik\">Historik</h2>\n");
	if (!v->n_ev) {
		hh_buf_puts(b, "<p>Sagen har ingen historik endnu.</p>\n</section>\n");
		return;
	}
	hh_buf_puts(b, "<p class=\"hint\">Nyeste først.</p>\n<ol class=\"case-events\">\n");
	for (int i = v->n_ev - 1; i >= 0; i--) {
		const struct hh_case_event *h = &v->ev[i];
		json_error_t e;
		json_t *before = h->before ? json_loads(h->before, 0, &e) : NULL;
		json_t *after = h->after ? json_loads(h->after, 0, &e) : NULL;
		const char *from = json_string_value(json_object_get(before, "state"));
		const char *to = json_string_value(json_object_get(after, "state"));
		int is_new = seen && json_integer_value(json_object_get(after, "version")) >
					     seen;
		hh_buf_printf(b, "<li%s>", is_new ? " class=\"new\"" : "");
		if (is_new)
			hh_buf_puts(b, "<strong class=\"tag\">Ny siden du åbnede "
				       "sagen</strong> ");
		hh_buf_puts(b, "<p class=\"what\">");
		const char *text = NULL, *text_label = NULL;
		if (!strcmp(h->action, "submit")) {
			hh_buf_puts(b, "Sagen blev modtaget");
		} else if (!strcmp(h->action, "followup")) {
			const char *jnr = v->rd.origin
						  ? json_string_value(json_object_get(
							    v->rd.origin, "journal_no"))
						  : NULL;
			hh_buf_puts(b, "Sagen blev oprettet som opfølgning på sag ");
			hh_page_text(r, jnr ? jnr
					    : json_string_value(json_object_get(
						      after, "after_case")));
		} else if (!strcmp(h->action, "transition")) {
			hh_buf_puts(b, "Tilstand ændret");
			if (from && to) {
				hh_buf_puts(b, " fra <q>");
				hh_page_text(r, state_label(def, from));
				hh_buf_puts(b, "</q> til <q>");
				hh_page_text(r, state_label(def, to));
				hh_buf_puts(b, "</q>");
			}
			text = json_string_value(json_object_get(after, "note"));
			text_label = "Bemærkning til borgeren";
		} else if (!strcmp(h->action, "assign")) {
			int64_t to_user = json_integer_value(json_object_get(after,
									     "assigned_to"));
			const char *team = json_string_value(json_object_get(after,
									     "team_name"));
			if (!team)
				team = json_string_value(json_object_get(after,
									 "assigned_team"));
			if (to_user) {
				const char *n = name_of(v, to_user);
				hh_buf_puts(b, "Tildelt ");
				hh_page_text(r, n ? n : "en medarbejder");
				if (team) {
					hh_buf_puts(b, " (team ");
					hh_page_text(r, team);
					hh_buf_puts(b, ")");
				}
			} else if (team) {
				hh_buf_puts(b, "Tildelt team ");
				hh_page_text(r, team);
			} else {
				hh_buf_puts(b, "Tildelingen blev fjernet");
			}
		} else if (!strcmp(h->action, "note")) {
			hh_buf_puts(b, "Intern note");
			text = json_string_value(json_object_get(after, "note"));
		} else if (!strcmp(h->action, "request")) {
			hh_buf_puts(b, "Borgeren blev bedt om mere");
			text = json_string_value(json_object_get(after, "question"));
			text_label = "Spørgsmål";
		} else if (!strncmp(h->action, "letter_", 7) &&
			   strcmp(h->action, "letter_reply")) {
			/* letters: "Brev til godkendelse", "Brev godkendt af
			 * ..." and the approver's comment (the citizen's reply
			 * to a letter is below) */
			hh_page_text(r, json_string_value(json_object_get(after,
									  "summary")));
			hh_buf_puts(b, ": <q>");
			hh_page_text(r, json_string_value(json_object_get(after, "title")));
			hh_buf_puts(b, "</q>");
			text = json_string_value(json_object_get(after, "comment"));
			text_label = "Kommentar";
		} else if (!strcmp(h->action, "answer")) {
			hh_buf_puts(b, "Borgeren svarede");
			json_t *files = json_object_get(after, "files"), *f;
			size_t k;
			json_array_foreach(files, k, f) /* the inbox: files with it */
			{
				hh_buf_puts(b, k ? ", " : " og vedhæftede ");
				hh_page_text(r, json_string_value(f));
			}
			text = json_string_value(json_object_get(after, "answer"));
			text_label = "Svar";
		} else if (!strncmp(h->action, "agreement_", 10)) {
			/* p-agree: a signature or a change of the agreement */
			const char *role = json_string_value(json_object_get(after, "signer"));
			const struct hh_ct_party *pd = def ? hh_ct_party(def, role) : NULL;
			hh_page_text(r, pd ? pd->label : "Ansøgeren");
			hh_buf_printf(b, !strcmp(h->action, "agreement_change")
						 ? " ændrede aftalen (udgave %lld) og underskrev den"
						 : " underskrev aftalen (udgave %lld)",
				      (long long)json_integer_value(json_object_get(
					      after, "agreement_version")));
			if (from && to && strcmp(from, to)) {
				hh_buf_puts(b, ", og tilstanden blev <q>");
				hh_page_text(r, state_label(def, to));
				hh_buf_puts(b, "</q>");
			}
		} else if (!strncmp(h->action, "party_", 6)) {
			/* p-parties: the other party's answer, or its expiry */
			const char *role = json_string_value(json_object_get(after, "party"));
			const struct hh_ct_party *pd = def ? hh_ct_party(def, role) : NULL;
			hh_page_text(r, hh_party_who(&r->arena, pd));
			hh_buf_puts(b, !strcmp(h->action, "party_confirm")
					       ? " bekræftede ansøgningen"
				       : !strcmp(h->action, "party_decline")
					       ? " afviste ansøgningen"
					       : " svarede ikke inden fristen");
			if (from && to && strcmp(from, to)) {
				hh_buf_puts(b, ", og tilstanden blev <q>");
				hh_page_text(r, state_label(def, to));
				hh_buf_puts(b, "</q>");
			}
		} else if (!strcmp(h->action, "message")) {
			/* delivery: the letter's way to the citizen */
			const char *t = json_string_value(json_object_get(after, "text"));
			hh_page_text(r, t ? t : "Brevets forsendelse");
		} else if (!strcmp(h->action, "letter_reply")) { /* the inbox */
			hh_buf_puts(b, "Borgeren har svaret på brevet <q>");
			hh_page_text(r, json_string_value(json_object_get(after,
									  "letter_title")));
			hh_buf_puts(b, "</q>");
			text = json_string_value(json_object_get(after, "reply"));
			text_label = "Svar";
		} else {
			hh_page_text(r, h->action);
		}
		hh_buf_puts(b, "</p>\n<p class=\"who\">");
		hh_page_text(r, hh_datetime_da(&r->arena, h->at));
		hh_buf_puts(b, " · ");
		hh_page_text(r, actor_name(v, h->actor));
		hh_buf_puts(b, "</p>\n");
		if (text && *text) {
			hh_buf_puts(b, "<p class=\"text\">");
			if (text_label) {
				hh_buf_puts(b, "<span class=\"label\">");
				hh_page_text(r, text_label);
				hh_buf_puts(b, ":</span> ");
			}
			hh_page_text(r, text);
			hh_buf_puts(b, "</p>\n");
		}
		hh_buf_puts(b, "</li>\n");
		json_decref(before);
		json_decref(after);
	}
	hh_buf_puts(b, "</ol>\n</section>\n");
}

static void hidden_fields(struct hh_req *r, const struct case_view *v)
{
	hh_buf_puts(&r->resp, "<input type=\"hidden\" name=\"csrf\" value=\"");
	hh_page_text(r, v->w->csrf);
	hh_buf_printf(&r->resp, "\">\n<input type=\"hidden\" name=\"version\" "
				"value=\"%lld\">\n",
		      (long long)v->c.version);
}

/* A textarea with its label, hint and (for the form that failed) error. */
static void textarea(struct hh_req *r, const struct outcome *o,
		     const char *form, const char *id, const char *name,
		     const char *label, const char *hint, int required,
		     int maxlength, const char *value)
{
	struct hh_buf *b = &r->resp;
	const char *err = o->form && !strcmp(o->form, form) ? o->field_error : NULL;
	hh_buf_printf(b, "<div class=\"field\"><label for=\"%s\">", id);
	hh_page_text(r, label);
	hh_buf_puts(b, "</label>\n");
	if (hint)
		hh_buf_printf(b, "<p class=\"hint\" id=\"%s-hint\">%s</p>\n", id, hint);
	if (err) {
		hh_buf_printf(b, "<p class=\"field-error\" id=\"%s-fejl\">", id);
		hh_page_text(r, err);
		hh_buf_puts(b, "</p>\n");
	}
	hh_buf_printf(b, "<textarea id=\"%s\" name=\"%s\" rows=\"3\" "
			 "maxlength=\"%d\"%s",
		      id, name, maxlength, required ? " required" : "");
	if (hint || err) {
		hh_buf_puts(b, " aria-describedby=\"");
		if (err)
			hh_buf_printf(b, "%s-fejl", id);
		if (hint)
			hh_buf_printf(b, "%s%s-hint", err ? " " : "", id);
		hh_buf_puts(b, "\"");
	}
	if (err)
		hh_buf_puts(b, " aria-invalid=\"true\"");
	hh_buf_puts(b, ">");
	hh_page_text(r, value);
	hh_buf_puts(b, "</textarea></div>\n");
}

static void actions_html(struct hh_req *r, const struct case_view *v,
			 const struct outcome *o)
{
	struct hh_buf *b = &r->resp;
	const struct hh_case *c = &v->c;
	const struct hh_principal *w = v->w;
	const struct hh_case_type_def *def = v->have_def ? &v->def : NULL;
	const struct hh_ct_state *cur = def ? hh_ct_state(def, c->state) : NULL;
	hh_buf_printf(b, "<section class=\"case-actions\" aria-labelledby="
			 "\"handlinger\">\n<h2 id=\"handlinger\">Handlinger</h2>\n");
	if (c->closed_at && v->rd.may_change)
		hh_buf_puts(b, "<p>Sagen er afsluttet. Du kan stadig tilføje en "
			       "intern note.</p>\n");
	else if (c->closed_at)
		hh_buf_puts(b, "<p>Sagen er afsluttet.</p>\n");
	if (!v->rd.may_change)
		hh_buf_puts(b, "<p class=\"hint\">Din rolle kan læse sagen, men "
			       "ikke tildele den, spørge borgeren eller skrive "
			       "noter.</p>\n");

	/* assignment (for those who may change the case: not a manager) */
	if (!c->closed_at && v->rd.may_change) {
		int mine = c->assigned_to && c->assigned_to == w->user_id;
		hh_buf_printf(b, "<form class=\"case-action\" method=\"post\" "
				 "action=\"/sagsbehandling/sag/%lld/tildeling\">\n"
				 "<h3>Tildeling</h3>\n<p>",
			      (long long)c->id);
		if (mine)
			hh_buf_puts(b, "Sagen er tildelt dig.");
		else if (c->assigned_name) {
			hh_buf_puts(b, "Sagen er tildelt ");
			hh_page_text(r, c->assigned_name);
			hh_buf_puts(b, ".");
		} else
			hh_buf_puts(b, c->assigned_team_name
					       ? "Sagen er ikke tildelt en bestemt "
						 "medarbejder."
					       : "Sagen er ikke tildelt nogen.");
		if (c->assigned_team_name) {
			hh_buf_puts(b, " Teamet er ");
			hh_page_text(r, c->assigned_team_name);
			hh_buf_puts(b, ".");
		}
		hh_buf_puts(b, "</p>\n");
		hidden_fields(r, v);
		hh_buf_printf(b, "<input type=\"hidden\" name=\"tildel\" value=\"%s\">\n"
				 "<button type=\"submit\">%s</button>\n</form>\n",
			      mine ? "ingen" : "mig",
			      mine ? "Fjern tildeling" : "Tag sagen");
		/* to a colleague or a team of the organisation */
		if (v->n_who_to) {
			hh_buf_printf(b, "<form class=\"case-action\" method=\"post\" "
					 "action=\"/sagsbehandling/sag/%lld/tildeling\">\n",
				      (long long)c->id);
			hidden_fields(r, v);
			hh_buf_puts(b, "<div class=\"field\"><label for=\"tildel-til\">"
				       "Tildel en kollega eller et team</label>\n"
				       "<select id=\"tildel-til\" name=\"tildel\" required>\n"
				       "<option value=\"\">Vælg</option>\n");
			/* people first, then teams (hh_case_assignees' order) */
			int group = 0; /* 0 none open, 1 people, 2 teams */
			for (int i = 0; i < v->n_who_to; i++) {
				const struct hh_assignee *x = &v->who_to[i];
				int want = x->team ? 2 : 1;
				if (want != group) {
					if (group)
						hh_buf_puts(b, "</optgroup>\n");
					hh_buf_puts(b, want == 1 ? "<optgroup label=\"Sagsbehandlere\">\n"
								 : "<optgroup label=\"Teams\">\n");
					group = want;
				}
				hh_buf_puts(b, "<option value=\"");
				if (x->team) {
					hh_buf_puts(b, "team:");
					hh_page_text(r, x->team);
				} else {
					hh_buf_printf(b, "bruger:%lld", (long long)x->user_id);
				}
				hh_buf_puts(b, "\">");
				hh_page_text(r, x->name);
				hh_buf_puts(b, "</option>\n");
			}
			hh_buf_puts(b, "</optgroup>\n</select></div>\n<button "
				       "type=\"submit\">Tildel</button>\n</form>\n");
		}
	}

	/* the transitions from here that the caller's roles allow */
	int n = 0;
	for (int i = 0; def && !c->closed_at && i < def->n_transitions; i++)
		if (!strcmp(def->transitions[i].from, c->state) &&
		    (def->transitions[i].roles & w->roles))
			n++;
	if (n) {
		hh_buf_printf(b, "<form class=\"case-action\" method=\"post\" "
				 "action=\"/sagsbehandling/sag/%lld/overgang\">\n"
				 "<h3>Skift tilstand</h3>\n",
			      (long long)c->id);
		hidden_fields(r, v);
		textarea(r, o, "overgang", "overgang-note", "note",
			 "Bemærkning til borgeren (valgfri)",
			 "Borgeren kan se bemærkningen sammen med den nye "
			 "tilstand.",
			 0, NOTE_MAX, o->note);
		hh_buf_puts(b, "<div class=\"buttons\">");
		for (int i = 0; i < def->n_transitions; i++) {
			const struct hh_ct_transition *t = &def->transitions[i];
			if (strcmp(t->from, c->state) || !(t->roles & w->roles))
				continue;
			/* a timed wait: the button waits with it, and says
			 * until when (or until when it may be pressed) */
			int64_t opens, closes, now = hh_now_us() / 1000000;
			hh_ct_window(t, c->created_at, c->state_since, &opens, &closes);
			int shut = (opens && now < opens) || (closes && now > closes);
			hh_buf_puts(b, "<span class=\"transition\"><button type=\"submit\" "
				       "name=\"til\" value=\"");
			hh_page_text(r, t->to);
			hh_buf_printf(b, "\"%s>", shut ? " disabled" : "");
			hh_page_text(r, t->label);
			hh_buf_puts(b, "</button>");
			if (opens && now < opens) {
				hh_buf_puts(b, " <span class=\"hint wait\">");
				hh_page_text(r, t->wait_label ? t->wait_label : "Tidligst");
				hh_buf_printf(b, " %s</span>", hh_datetime_da(&r->arena, opens));
			} else if (closes && now > closes) {
				hh_buf_printf(b, " <span class=\"hint wait\">Fristen udløb "
						 "%s</span>",
					      hh_datetime_da(&r->arena, closes));
			} else if (closes) {
				hh_buf_printf(b, " <span class=\"hint wait\">Senest %s</span>",
					      hh_datetime_da(&r->arena, closes));
			}
			hh_buf_puts(b, "</span>\n");
		}
		hh_buf_puts(b, "</div>\n</form>\n");
	} else if (!c->closed_at) {
		hh_buf_puts(b, "<p class=\"hint\">Din rolle kan ikke skifte sagens "
			       "tilstand herfra.</p>\n");
	}

	/* asking the citizen for more pauses the deadline */
	if (def && cur && !cur->final && !cur->paused && hh_ct_paused(def) &&
	    c->citizen_id && v->rd.may_change) {
		hh_buf_printf(b, "<form class=\"case-action\" method=\"post\" "
				 "action=\"/sagsbehandling/sag/%lld/anmodning\">\n"
				 "<h3>Spørg borgeren</h3>\n",
			      (long long)c->id);
		hidden_fields(r, v);
		textarea(r, o, "anmodning", "spoergsmaal", "spoergsmaal",
			 "Hvad skal borgeren svare på eller sende?",
			 "Borgeren får spørgsmålet, og fristen står stille, "
			 "indtil borgeren svarer.",
			 1, QUESTION_MAX, o->question);
		hh_buf_puts(b, "<button type=\"submit\">Bed borgeren om mere</button>\n"
			       "</form>\n");
	}

	if (!v->rd.may_change) {
		hh_buf_puts(b, "</section>\n");
		return;
	}
	hh_buf_printf(b, "<form class=\"case-action\" method=\"post\" "
			 "action=\"/sagsbehandling/sag/%lld/note\">\n"
			 "<h3>Intern note</h3>\n",
		      (long long)c->id);
	hidden_fields(r, v);
	textarea(r, o, "note", "note-tekst", "tekst", "Note",
		 "Kun medarbejdere kan se noten.", 1, TEXT_MAX, o->text);
	hh_buf_puts(b, "<button type=\"submit\">Tilføj note</button>\n</form>\n"
		       "</section>\n");
}

/* ---- casework tools on the case page ----------------------------------- */

/* Where a follow-up came from, as the follow-up carries it: the case at
 * the other authority is never read from here. */
static void origin_html(struct hh_req *r, const struct case_view *v)
{
	json_t *o = v->rd.origin;
	if (!o)
		return;
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<section class=\"case-origin\" aria-labelledby=\"oprindelse\">\n"
		       "<h2 id=\"oprindelse\">Opfølgning på en anden sag</h2>\n"
		       "<p class=\"hint\">Sagen blev oprettet, da sagen nedenfor blev "
		       "afgjort. Her står det, den blev startet med.</p>\n"
		       "<dl class=\"origin-facts\">\n");
	static const char *const rows[][2] = {
		{ "journal_no", "Sag" }, { "case_type_name", "Sagstype" },
		{ "organisation_name", "Myndighed" }, { "decision_label", "Afgørelse" },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *val = json_string_value(json_object_get(o, rows[i][0]));
		if (!val)
			continue;
		hh_buf_printf(b, "<dt>%s</dt><dd>", rows[i][1]);
		hh_page_text(r, val);
		hh_buf_puts(b, "</dd>\n");
	}
	const char *at = json_string_value(json_object_get(o, "decided_at"));
	struct tm tm = { 0 };
	if (at && strptime(at, "%Y-%m-%dT%H:%M:%SZ", &tm)) {
		hh_buf_puts(b, "<dt>Afgjort</dt><dd>");
		hh_page_text(r, hh_date_da(&r->arena, (int64_t)timegm(&tm)));
		hh_buf_puts(b, "</dd>\n");
	}
	hh_buf_puts(b, "</dl>\n");
	json_t *vals = json_object_get(o, "values");
	if (json_object_size(vals)) {
		hh_buf_puts(b, "<h3>Oplysninger, sagen blev startet med</h3>\n"
			       "<dl class=\"origin-values\">\n");
		const char *k;
		json_t *val;
		json_object_foreach(vals, k, val)
		{
			hh_buf_puts(b, "<dt>");
			hh_page_text(r, k);
			hh_buf_puts(b, "</dt><dd>");
			value_html(r, NULL, val);
			hh_buf_puts(b, "</dd>\n");
		}
		hh_buf_puts(b, "</dl>\n");
	}
	hh_buf_puts(b, "</section>\n");
}

static void files_html(struct hh_req *r, const struct case_view *v)
{
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<section class=\"case-files\" aria-labelledby=\"filer\">\n"
		       "<h2 id=\"filer\">Filer</h2>\n");
	if (!v->rd.n_files) {
		hh_buf_puts(b, "<p>Borgeren har ikke sendt filer med.</p>\n</section>\n");
		return;
	}
	hh_buf_puts(b, "<p class=\"hint\">Filen hentes ned og åbnes ikke i "
		       "browseren. Hvert opslag skrives i borgerens log.</p>\n"
		       "<ul class=\"file-list\">\n");
	for (int i = 0; i < v->rd.n_files; i++) {
		const struct hh_case_file *f = &v->rd.files[i];
		const char *kind = !strcmp(f->content_type, "application/pdf") ? "PDF"
				   : !strcmp(f->content_type, "image/jpeg")   ? "JPEG-billede"
				   : !strcmp(f->content_type, "image/png")    ? "PNG-billede"
									      : "Fil";
		hh_buf_printf(b, "<li><a href=\"/sagsbehandling/sag/%lld/fil/%lld\" "
				 "download>",
			      (long long)v->c.id, (long long)f->id);
		hh_page_text(r, f->name);
		hh_buf_puts(b, "</a> <span class=\"size\">(");
		hh_page_text(r, kind);
		hh_buf_puts(b, ", ");
		size_da(b, (json_int_t)f->size);
		hh_buf_puts(b, ")</span></li>\n");
	}
	hh_buf_puts(b, "</ul>\n</section>\n");
}

static void others_html(struct hh_req *r, const struct case_view *v)
{
	if (!v->c.citizen_id)
		return;
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<section class=\"case-others\" aria-labelledby=\"andre\">\n"
		       "<h2 id=\"andre\">Borgerens andre sager hos ");
	hh_page_text(r, v->c.org_name);
	hh_buf_puts(b, "</h2>\n");
	if (!v->rd.n_others) {
		hh_buf_puts(b, "<p>Borgeren har ingen andre sager her.</p>\n</section>\n");
		return;
	}
	hh_buf_puts(b, "<div class=\"table-wrap\"><table>\n<thead><tr>"
		       "<th scope=\"col\">Journalnummer</th><th scope=\"col\">"
		       "Sagstype</th><th scope=\"col\">Tilstand</th><th "
		       "scope=\"col\">Modtaget</th><th scope=\"col\">Afsluttet</th>"
		       "</tr></thead>\n<tbody>\n");
	for (int i = 0; i < v->rd.n_others; i++) {
		const struct hh_case *k = &v->rd.others[i];
		hh_buf_printf(b, "<tr><th scope=\"row\"><a href=\"/sagsbehandling/"
				 "sag/%lld\">",
			      (long long)k->id);
		hh_page_text(r, case_title(&r->arena, k) + 4);
		hh_buf_puts(b, "</a></th><td>");
		hh_page_text(r, k->case_type_name);
		hh_buf_puts(b, "</td><td>");
		hh_page_text(r, staff_label(k->state_label));
		hh_buf_puts(b, "</td><td>");
		hh_page_text(r, hh_date_da(&r->arena, k->created_at));
		hh_buf_puts(b, "</td><td>");
		if (k->closed_at)
			hh_page_text(r, hh_date_da(&r->arena, k->closed_at));
		else
			hh_buf_puts(b, "<span class=\"none\">Åben</span>");
		hh_buf_puts(b, "</td></tr>\n");
	}
	hh_buf_puts(b, "</tbody></table></div>\n");
	if (v->rd.others_total > v->rd.n_others)
		hh_buf_printf(b, "<p>Viser de %d nyeste af %lld sager.</p>\n",
			      v->rd.n_others, (long long)v->rd.others_total);
	hh_buf_puts(b, "</section>\n");
}

static void render_case(struct hh_req *r, const struct case_view *v,
			const struct outcome *o, int status)
{
	const struct hh_case *c = &v->c;
	const struct hh_case_type_def *def = v->have_def ? &v->def : NULL;
	int64_t now = hh_now_us() / 1000000;
	hh_resp_header(r, "Cache-Control", "no-store");
	const char *title = case_title(&r->arena, c);
	struct hh_page p = { .title = hh_arena_printf(&r->arena, "%s: %s", title,
						      c->case_type_name) };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<div class=\"casework\">\n"
		       "<nav class=\"crumbs\" aria-label=\"Brødkrummer\"><ol>"
		       "<li><a href=\"/sagsbehandling\">Sager</a></li>"
		       "<li aria-current=\"page\">");
	hh_page_text(r, title);
	hh_buf_puts(b, "</li></ol></nav>\n<h1>");
	hh_page_text(r, title);
	hh_buf_puts(b, ": ");
	hh_page_text(r, c->case_type_name);
	hh_buf_puts(b, "</h1>\n");
	if (o->error) {
		hh_buf_puts(b, "<div class=\"error\" role=\"alert\" id=\"fejl\"><p>");
		hh_page_text(r, o->error);
		hh_buf_puts(b, "</p></div>\n");
	} else if (o->done) {
		hh_buf_puts(b, "<div class=\"case-done\" role=\"status\"><p>");
		hh_page_text(r, o->done);
		hh_buf_puts(b, "</p></div>\n");
	}
	hh_buf_puts(b, "<dl class=\"case-facts\">\n");
	if (c->journal_no) {
		hh_buf_puts(b, "<dt>Journalnummer</dt><dd class=\"journal-no\">");
		hh_page_text(r, c->journal_no);
		hh_buf_puts(b, "</dd>\n");
	}
	/* kle (issue 15): the case type's KLE subject, with its imported
	 * title when there is one */
	const char *kle = def && def->kle && *def->kle ? def->kle : NULL;
	if (kle) {
		const char *kle_title = hh_kle_title(r->app->store, &r->arena, kle);
		hh_buf_puts(b, "<dt>KLE-emne</dt><dd class=\"kle\">");
		hh_page_text(r, kle);
		if (kle_title) {
			hh_buf_puts(b, " ");
			hh_page_text(r, kle_title);
		}
		hh_buf_puts(b, "</dd>\n");
	}
	hh_buf_puts(b, "<dt>Tilstand</dt><dd>");
	hh_page_text(r, state_label(def, c->state));
	hh_buf_puts(b, "</dd>\n<dt>Frist</dt><dd>");
	deadline_html(r, b, c, now, 1);
	hh_buf_puts(b, "</dd>\n<dt>Borger</dt><dd>");
	if (c->citizen_name && v->rd.citizen_protected) {
		hh_page_text(r, c->citizen_name);
		hh_buf_puts(b, " <strong class=\"tag\">Navne- og "
			       "adressebeskyttelse</strong>");
	} else if (c->citizen_name)
		hh_page_text(r, c->citizen_name);
	else
		hh_buf_puts(b, "<span class=\"none\">Ingen borger (anmeldt "
			       "anonymt)</span>");
	hh_buf_puts(b, "</dd>\n<dt>Modtaget</dt><dd>");
	hh_page_text(r, hh_datetime_da(&r->arena, c->created_at));
	hh_buf_puts(b, "</dd>\n<dt>Tildelt</dt><dd>");
	if (c->assigned_to && c->assigned_to == v->w->user_id)
		hh_buf_puts(b, "Dig");
	else if (c->assigned_name)
		hh_page_text(r, c->assigned_name);
	else if (!c->assigned_team_name)
		hh_buf_puts(b, "<span class=\"none\">Ingen</span>");
	if (c->assigned_team_name) {
		hh_buf_puts(b, c->assigned_to ? " (team " : "Team ");
		hh_page_text(r, c->assigned_team_name);
		if (c->assigned_to)
			hh_buf_puts(b, ")");
	}
	hh_buf_puts(b, "</dd>\n<dt>Myndighed</dt><dd>");
	hh_page_text(r, c->org_name);
	hh_buf_puts(b, "</dd>\n");
	/* Plain text: the case followed up on is often another authority's,
	 * which this caseworker cannot open. */
	if (c->parent_case_id && !v->rd.origin)
		hh_buf_printf(b, "<dt>Opfølgning på</dt><dd>Sag %lld</dd>\n",
			      (long long)c->parent_case_id);
	/* p-parties (issue 16): the other parties and where they stand */
	size_t pi;
	json_t *pj;
	json_array_foreach(v->rd.parties, pi, pj)
	{
		hh_buf_puts(b, "<dt>");
		hh_page_text(r, json_string_value(json_object_get(pj, "label")));
		hh_buf_puts(b, "</dt><dd>");
		const char *pn = json_string_value(json_object_get(pj, "name"));
		if (pn) {
			hh_page_text(r, pn);
			hh_buf_puts(b, ": ");
		}
		hh_page_text(r, json_string_value(json_object_get(pj, "status_label")));
		if (json_is_true(json_object_get(pj, "address_protected")))
			hh_buf_puts(b, " <strong class=\"tag\">Navne- og "
				       "adressebeskyttelse</strong>");
		hh_buf_puts(b, "</dd>\n");
	}
	hh_buf_puts(b, "</dl>\n");
	/* p-letters: name and address protection, said where it matters */
	int any_protected = v->rd.citizen_protected;
	json_array_foreach(v->rd.parties, pi, pj)
		any_protected |= json_is_true(json_object_get(pj, "address_protected"));
	if (any_protected)
		hh_buf_puts(b, "<p class=\"notice\">Der er navne- og "
			       "adressebeskyttelse i sagen. Skriv aldrig en "
			       "beskyttet adresse i breve, beskeder eller noter, "
			       "som andre kan læse. Breve til en beskyttet borger "
			       "sendes kun med Digital Post.</p>\n");
	origin_html(r, v);
	hh_buf_puts(b, "<div class=\"case-layout\">\n<div class=\"case-data\">\n");
	data_html(r, v);
	files_html(r, v);
	hh_page_agreement_section(r, c->id); /* p-agree */
	others_html(r, v);
	hh_buf_puts(b, "</div>\n");
	actions_html(r, v, o);
	hh_page_case_letters(r, c, def, v->rd.may_change); /* letters */
	history_html(r, v, o->seen);
	hh_buf_puts(b, "</div>\n</div>\n");
	hh_page_end(r, status);
}

static void case_unavailable(struct hh_req *r, enum hh_rc rc)
{
	if (rc == HH_ERR_NOT_FOUND)
		hh_page_error(r, 404, "Sagen findes ikke",
			      "Vi kunne ikke finde sagen hos din organisation. "
			      "Tjek sagsnummeret, eller gå tilbage til sagerne.");
	else
		hh_page_error(r, 503, "Sagen kan ikke vises lige nu",
			      "Der opstod en fejl hos os. Prøv igen om lidt.");
}

void hh_page_casework_case(struct hh_req *r)
{
	const struct hh_principal *w = staff_gate(r);
	if (!w)
		return;
	int64_t id = hh_req_id(r, "id", NULL);
	struct case_view *v;
	enum hh_rc rc = id ? load_case(r, w, id, &v) : HH_ERR_NOT_FOUND;
	if (rc != HH_OK) {
		case_unavailable(r, rc);
		return;
	}
	struct outcome o = { 0 };
	const char *done = hh_req_query(r, "udfoert");
	if (done && !strcmp(done, "tildelt"))
		o.done = "Sagen er tildelt dig.";
	else if (done && !strcmp(done, "tildelt-andre"))
		o.done = v->c.assigned_name
				 ? hh_arena_printf(&r->arena, "Sagen er tildelt %s.",
						   v->c.assigned_name)
				 : v->c.assigned_team_name
					   ? hh_arena_printf(&r->arena,
							     "Sagen er tildelt team %s.",
							     v->c.assigned_team_name)
					   : "Sagen er tildelt.";
	else if (done && !strcmp(done, "fjernet"))
		o.done = "Tildelingen er fjernet.";
	else if (done && !strcmp(done, "tilstand"))
		o.done = hh_arena_printf(&r->arena, "Sagen har nu tilstanden »%s«.",
					 state_label(v->have_def ? &v->def : NULL,
						     v->c.state));
	else if (done && !strcmp(done, "anmodet"))
		o.done = "Borgeren er bedt om mere. Fristen står stille, indtil "
			 "borgeren svarer.";
	else if (done && !strcmp(done, "note"))
		o.done = "Noten er tilføjet.";
	else if (done && !strcmp(done, "brev-sendt")) /* letters */
		o.done = hh_arena_printf(&r->arena, "Brevet er sendt, og sagen har "
					 "nu tilstanden »%s«.",
					 state_label(v->have_def ? &v->def : NULL,
						     v->c.state));
	else if (done && !strcmp(done, "brev-godkendelse"))
		o.done = "Brevet venter nu på, at en anden sagsbehandler godkender "
			 "det. Afgørelsen registreres, når brevet er godkendt.";
	render_case(r, v, &o, 200);
}

/* ---- actions ---------------------------------------------------------- */

enum action { ACT_ASSIGN, ACT_TRANSITION, ACT_REQUEST, ACT_NOTE };

/* A form text: NULL when absent; *bad set when it is not text we take. */
static const char *form_text(struct hh_req *r, const char *name, size_t max,
			     int *bad)
{
	const char *s = hh_req_form(r, name);
	if (!s)
		return NULL;
	if (!hh_utf8_valid(s, strlen(s)) || hh_utf8_len(s) > max) {
		*bad = 1;
		return NULL;
	}
	return s;
}

static int blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return 0;
	return 1;
}

/* Shows the case again after an action that did not happen. */
static void show_again(struct hh_req *r, const struct hh_principal *w,
		       int64_t id, struct outcome *o, int status)
{
	struct case_view *v;
	enum hh_rc rc = load_case(r, w, id, &v);
	if (rc != HH_OK) {
		case_unavailable(r, rc);
		return;
	}
	render_case(r, v, o, status);
}

static void act(struct hh_req *r, enum action kind)
{
	const struct hh_principal *w = staff_gate(r);
	if (!w)
		return;
	int64_t id = hh_req_id(r, "id", NULL);
	if (!id) {
		case_unavailable(r, HH_ERR_NOT_FOUND);
		return;
	}
	static const char *forms[] = { "tildeling", "overgang", "anmodning", "note" };
	struct outcome o = { .form = forms[kind] };
	int bad = 0;
	const char *to = NULL, *assign = NULL;
	switch (kind) {
	case ACT_ASSIGN:
		assign = hh_req_form(r, "tildel");
		break;
	case ACT_TRANSITION:
		to = form_text(r, "til", 40, &bad);
		o.note = form_text(r, "note", NOTE_MAX, &bad);
		break;
	case ACT_REQUEST:
		o.question = form_text(r, "spoergsmaal", QUESTION_MAX, &bad);
		break;
	case ACT_NOTE:
		o.text = form_text(r, "tekst", TEXT_MAX, &bad);
		break;
	}
	if (!hh_csrf_ok(r, hh_req_form(r, "csrf"))) {
		o.error = "Formularen er udløbet eller blev sendt fra en anden "
			  "side, så handlingen blev ikke udført. Prøv igen her.";
		show_again(r, w, id, &o, 403);
		return;
	}
	const char *vs = hh_req_form(r, "version");
	char *end = NULL;
	long long version = vs && *vs ? strtoll(vs, &end, 10) : 0;
	if (!end || *end || version < 1) {
		o.error = "Formularen manglede sagens version, så handlingen blev "
			  "ikke udført. Prøv igen her.";
		show_again(r, w, id, &o, 400);
		return;
	}
	if (bad) {
		o.error = "Teksten er for lang eller indeholder tegn, vi ikke kan "
			  "læse.";
		o.field_error = o.error;
		show_again(r, w, id, &o, 400);
		return;
	}
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_case c;
	enum hh_rc rc;
	const char *done;
	enum hh_assign_fault fault = HH_ASSIGN_FINE;
	switch (kind) {
	case ACT_ASSIGN: {
		/* "mig", "ingen", "bruger:ID" or "team:CODE" */
		int64_t user = 0;
		const char *team = NULL;
		char *e = NULL;
		if (assign && !strcmp(assign, "mig"))
			user = w->user_id;
		else if (assign && !strncmp(assign, "bruger:", 7))
			user = strtoll(assign + 7, &e, 10);
		else if (assign && !strncmp(assign, "team:", 5) && assign[5])
			team = assign + 5;
		if (!assign || (e && (*e || user <= 0)) ||
		    (!user && !team && strcmp(assign, "ingen"))) {
			o.error = "Vælg, hvem sagen skal tildeles, eller om "
				  "tildelingen skal fjernes.";
			show_again(r, w, id, &o, 400);
			return;
		}
		rc = hh_case_assign_to(r->app->store, &r->arena, &who, id, user,
				       team, version, &c, &fault);
		done = !strcmp(assign, "mig")	    ? "tildelt"
		       : !strcmp(assign, "ingen") ? "fjernet"
						  : "tildelt-andre";
		break;
	}
	case ACT_TRANSITION:
		if (!to || !*to) {
			o.error = "Vælg den tilstand, sagen skal have.";
			show_again(r, w, id, &o, 400);
			return;
		}
		rc = hh_case_transition(r->app->store, &r->arena, &who, id, to,
					version, blank(o.note) ? NULL : o.note, &c,
					NULL);
		done = "tilstand";
		break;
	case ACT_REQUEST:
		if (blank(o.question)) {
			o.error = o.field_error = "Skriv, hvad borgeren skal svare på "
						  "eller sende.";
			show_again(r, w, id, &o, 400);
			return;
		}
		{ /* letters: as a request letter where the case type has one */
			int by_letter = 0;
			rc = hh_letter_request(r->app->store, &r->arena, &who, id,
					       o.question, version, &c, &by_letter);
		}
		done = "anmodet";
		break;
	default:
		if (blank(o.text)) {
			o.error = o.field_error = "Skriv noten, før du tilføjer den.";
			show_again(r, w, id, &o, 400);
			return;
		}
		/* a note changes nothing in the case, so it needs no version */
		rc = hh_case_note(r->app->store, &r->arena, &who, id, o.text);
		done = "note";
		break;
	}
	switch (rc) {
	case HH_OK:
		hh_resp_redirect(r, 303,
				 hh_arena_printf(&r->arena,
						 "/sagsbehandling/sag/%lld?udfoert=%s",
						 (long long)id, done));
		return;
	case HH_ERR_CONFLICT:
		o.error = STALE_MSG;
		o.seen = version;
		show_again(r, w, id, &o, 409);
		return;
	case HH_ERR_INVALID: {
		/* letters: a decision the citizen gets in writing is made
		 * on the compose page, with its letter */
		const char *letter = NULL;
		if (kind == ACT_TRANSITION &&
		    hh_letter_required(r->app->store, &r->arena, &who, id, to,
				       &letter) == HH_OK && letter) {
			struct hh_buf u;
			hh_buf_init(&u);
			hh_buf_printf(&u, "/sagsbehandling/sag/%lld/brev?til=", (long long)id);
			hh_buf_urlenc(&u, to);
			hh_resp_redirect(r, 303, hh_arena_strdup(&r->arena, hh_buf_str(&u)));
			hh_buf_clear(&u);
			return;
		}
		/* a timed wait: say when the move may happen, or could */
		int64_t opens = 0, closed = 0;
		const char *wait = NULL;
		if (kind == ACT_TRANSITION &&
		    hh_case_wait(r->app->store, &r->arena, &who, id, to, &opens,
				 &closed, &wait) == HH_OK &&
		    (opens || closed)) {
			o.error = opens ? hh_arena_printf(
					  &r->arena,
					  "Sagen kan ikke flyttes endnu. %s %s, og "
					  "først derefter kan sagen gå videre.",
					  wait ? wait : "Venteperioden slutter",
					  hh_datetime_da(&r->arena, opens))
					: hh_arena_printf(
					  &r->arena,
					  "Fristen for at flytte sagen sådan udløb %s.",
					  hh_datetime_da(&r->arena, closed));
			show_again(r, w, id, &o, 409);
			return;
		}
		o.error = kind == ACT_ASSIGN
				  ? hh_assign_fault_text(fault)
				  : "Handlingen er ikke mulig i sagens nuværende "
				    "tilstand. Siden viser sagen, som den er nu.";
		show_again(r, w, id, &o, 409);
		return;
	}
	case HH_ERR_FORBIDDEN:
		o.error = "Din rolle giver ikke adgang til den handling.";
		show_again(r, w, id, &o, 403);
		return;
	case HH_ERR_NOT_FOUND:
		case_unavailable(r, rc);
		return;
	default:
		o.error = "Handlingen kunne ikke gennemføres lige nu. Prøv igen om "
			  "lidt.";
		show_again(r, w, id, &o, 503);
		return;
	}
}

void hh_page_casework_assign(struct hh_req *r)
{
	act(r, ACT_ASSIGN);
}

void hh_page_casework_transition(struct hh_req *r)
{
	act(r, ACT_TRANSITION);
}

void hh_page_casework_request(struct hh_req *r)
{
	act(r, ACT_REQUEST);
}

void hh_page_casework_note(struct hh_req *r)
{
	act(r, ACT_NOTE);
}

/* ---- casework tools: an uploaded file ----------------------------------- */

/* GET /sagsbehandling/sag/{id}/fil/{file}: the file as a download; the
 * domain writes the access to the citizen's log. Another organisation's
 * file is 404, as an unknown one. */
void hh_page_casework_file(struct hh_req *r)
{
	const struct hh_principal *w = staff_gate(r);
	if (!w)
		return;
	const char *fs = hh_req_param(r, "file");
	char *end = NULL;
	long long fid = fs && *fs >= '1' && *fs <= '9' ? strtoll(fs, &end, 10) : 0;
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_case_file f;
	int64_t id = hh_req_id(r, "id", NULL);
	enum hh_rc rc = id && end && !*end && fid > 0
				? hh_case_file_open(r->app->store, &r->arena, &who, id,
						    fid, &f)
				: HH_ERR_NOT_FOUND;
	if (rc == HH_ERR_NOT_FOUND) {
		hh_page_error(r, 404, "Filen findes ikke",
			      "Vi kunne ikke finde filen på sagen hos din "
			      "organisation. Gå tilbage til sagen.");
		return;
	}
	if (rc != HH_OK) {
		case_unavailable(r, rc);
		return;
	}
	hh_resp_attachment(r, f.name,
			   hh_case_file_type_allowed(f.content_type)
				   ? f.content_type
				   : "application/octet-stream",
			   f.data, f.size);
}
