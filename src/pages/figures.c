/* figures.c - the managers' pages (issue 12): the dashboard /ledelse, the
 * drill-down /ledelse/bag/{indicator}, the benchmark /ledelse/benchmark,
 * and the public service levels /serviceniveau/{org}.
 *
 * A door like the others: parse the filters (domain/figquery.h), call the
 * figures (domain/figures.h) as the signed-in reader, render. Every
 * table can be had as CSV at the same address with format=csv (and, on
 * pages with several tables, tabel=NAME): one rule for every page. What
 * is shown and why is in docs/dashboard.md. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "domain/access.h"
#include "domain/catalogue.h"
#include "domain/figquery.h"
#include "domain/figures.h"
#include "domain/topics.h" /* s-self */
#include "pages/layout.h"
#include "render/chart.h"
#include "render/csv.h"

#define DRILL_PAGE 50
#define CSV_MAX_ROWS 10000

/* ---- how each indicator is shown ----------------------------------- */

struct ind_fmt {
	enum hh_chart_fmt fmt;
	int decimals;
	const char *unit;
	const char *words; /* numerator/denominator in words: "%s af %s
			      henvendelser" (NULL: the denominator alone
			      with den_words) */
	const char *den_words;
	const char *drill; /* the drill-down's link text */
};

static const struct ind_fmt FMT[HH_FIG__COUNT] = {
	[HH_FIG_INQUIRIES] = { HH_CHART_COUNT, 0, NULL, NULL, "henvendelser i perioden",
			       "Se henvendelserne" },
	[HH_FIG_FCR] = { HH_CHART_SHARE, 0, NULL,
			 "%s af %s afsluttede henvendelser løst ved første kontakt",
			 NULL, "Se henvendelserne bag tallet" },
	[HH_FIG_TRANSFERS] = { HH_CHART_NUMBER, 1, "pr. 100",
			       "%s viderestillinger på %s henvendelser", NULL,
			       "Se henvendelserne bag tallet" },
	[HH_FIG_CALLBACKS_KEPT] = { HH_CHART_SHARE, 0, NULL,
				    "%s af %s lovede opringninger foretaget til tiden",
				    NULL, "Se henvendelserne bag tallet" },
	[HH_FIG_CASES] = { HH_CHART_COUNT, 0, NULL, NULL, "sager modtaget i perioden",
			   "Se sagerne" },
	[HH_FIG_PROC_MEDIAN] = { HH_CHART_NUMBER, 1, "dage", NULL,
				 "afgjorte sager", "Se sagerne bag tallet" },
	[HH_FIG_PROC_P90] = { HH_CHART_NUMBER, 1, "dage", NULL, "afgjorte sager",
			      "Se sagerne bag tallet" },
	[HH_FIG_WITHIN_DEADLINE] = { HH_CHART_SHARE, 0, NULL,
				     "%s af %s afgørelser inden for fristen",
				     NULL, "Se sagerne bag tallet" },
	[HH_FIG_SELF_SERVICE] = { HH_CHART_SHARE, 0, NULL,
				  "%s af %s sager kom via selvbetjening", NULL,
				  "Se sagerne bag tallet" },
	[HH_FIG_CHAT_RATING] = { HH_CHART_NUMBER, 1, "af 5", NULL,
				 "bedømmelser af chats", "Se chattene bag tallet" },
	[HH_FIG_FOUND] = { HH_CHART_SHARE, 0, NULL,
			   "%s af %s svar på »Fandt du det, du søgte?« var ja",
			   NULL, "Se svarene bag tallet" },
	[HH_FIG_SEARCH_SUCCESS] = { HH_CHART_SHARE, 0, NULL,
				    "%s af %s søgninger endte i en artikel uden "
				    "henvendelse samme døgn",
				    NULL, "Se søgningerne bag tallet" },
	[HH_FIG_SEARCH_NO_RESULT] = { HH_CHART_SHARE, 0, NULL,
				      "%s af %s søgninger gav intet resultat",
				      NULL, "Se søgningerne bag tallet" },
	[HH_FIG_SEARCH_WEAK] = { HH_CHART_SHARE, 0, NULL,
				 "%s af %s søgninger gav kun svage resultater",
				 NULL, "Se søgningerne bag tallet" },
	[HH_FIG_COST_INQUIRY] = { HH_CHART_NUMBER, 2, "kr.", NULL,
				  "henvendelser regnet med", "Se henvendelserne" },
	[HH_FIG_COST_CASE] = { HH_CHART_NUMBER, 2, "kr.", NULL,
			       "sager regnet med", "Se sagerne" },
};

/* The value of v as the indicator shows it ("69 %", "12,5 dage"). */
static void put_value(struct hh_buf *b, enum hh_fig_ind i,
		      const struct hh_fig_value *v)
{
	if (!v->has) {
		hh_buf_puts(b, "<span aria-hidden=\"true\">\xe2\x80\x93</span>"
			       "<span class=\"visually-hidden\">ingen data</span>");
		return;
	}
	hh_value_da(b, v->value, FMT[i].fmt, FMT[i].decimals, FMT[i].unit);
}

/* "1.234 af 1.790 henvendelser" for v. */
static void put_words(struct hh_buf *b, struct hh_arena *a, enum hh_fig_ind i,
		      const struct hh_fig_value *v)
{
	struct hh_buf n, d;
	hh_buf_init(&n);
	hh_buf_init(&d);
	hh_num_da(&n, (double)v->num, 0);
	hh_num_da(&d, (double)v->den, 0);
	if (FMT[i].words)
		hh_buf_html(b, hh_arena_printf(a, FMT[i].words, hh_buf_str(&n),
					       hh_buf_str(&d)));
	else
		hh_buf_html(b, hh_arena_printf(a, "%s %s", hh_buf_str(&d),
					       FMT[i].den_words));
	hh_buf_clear(&n);
	hh_buf_clear(&d);
}

/* A CSV number for v: shares in percent (the header says "%"). */
static void csv_value(struct hh_csv *c, enum hh_fig_ind i,
		      const struct hh_fig_value *v)
{
	if (!v->has)
		hh_csv_num(c, NAN, 0);
	else if (FMT[i].fmt == HH_CHART_SHARE)
		hh_csv_num(c, v->value * 100.0, 1);
	else
		hh_csv_num(c, v->value, FMT[i].decimals);
}

static const char *csv_unit(enum hh_fig_ind i)
{
	return FMT[i].fmt == HH_CHART_SHARE ? "%" : FMT[i].unit ? FMT[i].unit : "antal";
}

/* ---- the door: who, and the filters -------------------------------- */

static const char *qget(void *ctx, const char *name)
{
	return hh_req_query(ctx, name);
}

/* May who read the figures? The same question the domain asks first;
 * asked here too so that a refused reader sees the refusal and not a
 * form. */
static int reads_figures(const struct hh_actor *who)
{
	return hh_access(who, HH_RES_FIGURES, HH_ACT_READ, NULL) == HH_OK;
}

/* The signed-in manager, or NULL with the sign-in page or a Danish 403
 * already queued. */
static const struct hh_principal *manager_gate(struct hh_req *r,
					       struct hh_actor *who)
{
	const struct hh_principal *w = hh_auth(r);
	if (w->kind != HH_USER) {
		hh_resp_redirect(r, 303, "/log-ind");
		return NULL;
	}
	hh_actor_of(r, who);
	if (!reads_figures(who)) {
		hh_page_error(r, 403, "Ingen adgang",
			      "Servicetallene er for ledere og administratorer. "
			      "Din rolle giver ikke adgang til dem.");
		return NULL;
	}
	return w;
}

/* The filters as they came, for links: "fra=...&kanal=..." (without
 * the drill-down's paging), URL-encoded, into b. */
static void filter_query(struct hh_req *r, struct hh_buf *b)
{
	int n = 0;
	for (int k = 0; k < HH_FQ__COUNT; k++) {
		if (k == HH_FQ_AFTER)
			continue;
		const char *name = hh_figq_name(HH_FIGQ_PAGE, k);
		const char *v = hh_req_query(r, name);
		if (!v || !*v)
			continue;
		hh_buf_puts(b, n++ ? "&" : "");
		hh_buf_puts(b, name);
		hh_buf_putc(b, '=');
		hh_buf_urlenc(b, v);
	}
}

/* An href: path, the filters, and extra ("format=csv&tabel=x"), HTML-
 * escaped into r->resp. */
static void href(struct hh_req *r, const char *path, const char *extra)
{
	struct hh_buf q;
	hh_buf_init(&q);
	hh_buf_puts(&q, path);
	struct hh_buf f;
	hh_buf_init(&f);
	filter_query(r, &f);
	if (f.len || (extra && *extra))
		hh_buf_putc(&q, '?');
	hh_buf_puts(&q, hh_buf_str(&f));
	if (f.len && extra && *extra)
		hh_buf_putc(&q, '&');
	if (extra)
		hh_buf_puts(&q, extra);
	hh_page_text(r, hh_buf_str(&q));
	hh_buf_clear(&q);
	hh_buf_clear(&f);
}

static void csv_link(struct hh_req *r, const char *path, const char *table,
		     const char *what)
{
	hh_buf_puts(&r->resp, "<p class=\"csv\"><a href=\"");
	href(r, path, hh_arena_printf(&r->arena, "format=csv%s%s",
				      table ? "&tabel=" : "", table ? table : ""));
	hh_buf_puts(&r->resp, "\" download>Hent ");
	hh_page_text(r, what);
	hh_buf_puts(&r->resp, " som CSV</a></p>\n");
}

/* Sends the CSV in b as a download named after title and the period. */
static void send_csv(struct hh_req *r, struct hh_buf *b, const char *title,
		     const struct hh_figq *f)
{
	char name[160];
	hh_csv_filename(name, sizeof(name), title,
			f ? hh_figq_iso(&r->arena, f->q.from_day) : NULL,
			f ? hh_figq_iso(&r->arena, f->q.to_day) : NULL);
	hh_resp_attachment(r, name, "text/csv; charset=utf-8", b->data ? b->data : "",
			   b->len);
	hh_buf_clear(b);
}

static void busy_page(struct hh_req *r, enum hh_rc rc)
{
	if (rc == HH_ERR_FORBIDDEN)
		hh_page_error(r, 403, "Ingen adgang",
			      "Servicetallene er for ledere og administratorer. "
			      "Din rolle giver ikke adgang til dem.");
	else if (rc == HH_ERR_NOT_FOUND)
		hh_page_not_found(r);
	else
		hh_page_error(r, rc == HH_ERR_BUSY ? 503 : 500,
			      "Servicetallene kan ikke vises lige nu",
			      "Prøv igen om lidt.");
}

/* ---- collecting rows ----------------------------------------------- */

struct rows {
	struct hh_arena *a;
	int n, cap;
	struct hh_fig_row *v;
};

static enum hh_rc collect(void *ctx, const struct hh_fig_row *r)
{
	struct rows *x = ctx;
	if (x->n == x->cap) {
		int cap = x->cap ? x->cap * 2 : 16;
		struct hh_fig_row *v = hh_arena_alloc(x->a, cap * sizeof(*v));
		if (x->n)
			memcpy(v, x->v, x->n * sizeof(*v));
		x->v = v;
		x->cap = cap;
	}
	struct hh_fig_row *o = &x->v[x->n++];
	*o = *r;
	o->key = hh_arena_strdup(x->a, r->key ? r->key : "");
	o->label = hh_arena_strdup(x->a, r->label ? r->label : o->key);
	return HH_OK;
}

/* The row of rows with key, or NULL. */
static const struct hh_fig_row *row_of(const struct rows *x, const char *key)
{
	for (int i = 0; i < x->n; i++)
		if (!strcmp(x->v[i].key, key))
			return &x->v[i];
	return NULL;
}

/* ---- the filter form ----------------------------------------------- */

struct choice {
	const char *code, *name;
};

struct choices {
	struct hh_arena *a;
	int n;
	struct choice v[128];
	/* KLE main groups and the case types in each */
	int n_groups;
	struct {
		char code[3];
		const char *names;
	} groups[64];
};

static enum hh_rc type_choice(void *ctx, const struct hh_case_type *ct)
{
	struct choices *c = ctx;
	if (c->n < 128)
		c->v[c->n++] = (struct choice){ hh_arena_strdup(c->a, ct->code),
						hh_arena_strdup(c->a, ct->name) };
	/* the case type's KLE number names its main group where we know
	   nothing better (KL's own names are not shipped) */
	json_t *def = json_loads(ct->definition ? ct->definition : "", 0, NULL);
	const char *kle = json_string_value(json_object_get(def, "kle"));
	if (kle && strlen(kle) >= 2 && kle[0] >= '0' && kle[0] <= '9' &&
	    kle[1] >= '0' && kle[1] <= '9') {
		int g = 0;
		while (g < c->n_groups && strncmp(c->groups[g].code, kle, 2))
			g++;
		if (g == c->n_groups && g < 64) {
			memcpy(c->groups[g].code, kle, 2);
			c->groups[g].code[2] = 0;
			c->groups[g].names = NULL;
			c->n_groups++;
		}
		if (g < c->n_groups)
			c->groups[g].names =
				c->groups[g].names
					? hh_arena_printf(c->a, "%s, %s",
							  c->groups[g].names, ct->name)
					: hh_arena_strdup(c->a, ct->name);
	}
	json_decref(def);
	return HH_OK;
}

/* KLE main groups by number (the code is the struct's first member) */
static int by_group(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

static void field_error(struct hh_req *r, const struct hh_figq_error *e,
			const char *field)
{
	if (e && e->field && !strcmp(e->field, field))
		hh_buf_printf(&r->resp, " aria-invalid=\"true\" "
					"aria-describedby=\"f-%s-fejl\"",
			      field);
}

static void field_message(struct hh_req *r, const struct hh_figq_error *e,
			  const char *field)
{
	if (!e || !e->field || strcmp(e->field, field))
		return;
	hh_buf_printf(&r->resp, "<p class=\"field-error\" id=\"f-%s-fejl\">",
		      field);
	hh_page_text(r, e->da);
	hh_buf_puts(&r->resp, "</p>\n");
}

static void date_field(struct hh_req *r, const char *name, const char *label,
		       const struct hh_figq_error *e)
{
	struct hh_buf *b = &r->resp;
	hh_buf_printf(b, "<div class=\"field\"><label for=\"f-%s\">", name);
	hh_page_text(r, label);
	hh_buf_puts(b, "</label>\n");
	field_message(r, e, name);
	hh_buf_printf(b, "<input type=\"date\" id=\"f-%s\" name=\"%s\" "
			 "min=\"2000-01-01\" max=\"2099-12-31\"",
		      name, name);
	field_error(r, e, name);
	hh_buf_puts(b, " value=\"");
	const char *v = hh_req_query(r, name);
	hh_page_text(r, v ? v : "");
	hh_buf_puts(b, "\"></div>\n");
}

/* The quick choices as links (they work without JavaScript), the form
 * with the dates and filters, and the baseline for the cost section. */
static void filter_form(struct hh_req *r, const char *action,
			const struct hh_actor *who, const struct hh_figq *f,
			const struct hh_figq_error *e, int with_baseline)
{
	struct hh_buf *b = &r->resp;
	static const struct {
		const char *code, *label;
	} quick[] = { { "30d", "Seneste 30 dage" },
		      { "quarter", "Seneste kvartal" },
		      { "12m", "Seneste 12 måneder" },
		      { "year", "I år" } };
	hh_buf_puts(b, "<nav aria-labelledby=\"hurtigvalg\" class=\"quick\">"
		       "<h2 id=\"hurtigvalg\" class=\"small\">Periode</h2><ul>\n");
	for (size_t i = 0; i < sizeof(quick) / sizeof(quick[0]); i++) {
		int cur = f && f->period && !strcmp(f->period, quick[i].code);
		hh_buf_printf(b, "<li><a href=\"%s?periode=%s\"%s>%s</a></li>\n",
			      action, quick[i].code,
			      cur ? " aria-current=\"page\"" : "", quick[i].label);
	}
	hh_buf_puts(b, "</ul></nav>\n");
	if (e && e->field) {
		hh_buf_printf(b, "<div class=\"error-summary\" role=\"alert\" "
				 "aria-labelledby=\"fejl-h\" tabindex=\"-1\">\n"
				 "<h2 id=\"fejl-h\">Der er et problem med "
				 "filtrene</h2>\n<ul><li><a href=\"#f-%s\">",
			      e->field);
		hh_page_text(r, e->da);
		hh_buf_puts(b, "</a></li></ul>\n</div>\n");
	}
	hh_buf_printf(b, "<form class=\"figure-filters\" method=\"get\" "
			 "action=\"%s\" aria-labelledby=\"filtre\" novalidate>\n"
			 "<h2 id=\"filtre\">Vælg periode og filtre</h2>\n"
			 "<div class=\"filter-row\">\n",
		      action);
	date_field(r, "fra", "Fra og med (år-måned-dag)", e);
	date_field(r, "til", "Til og med (år-måned-dag)", e);
	hh_buf_puts(b, "</div>\n<div class=\"filter-row\">\n");
	/* channel */
	const char *cur = hh_req_query(r, "kanal");
	hh_buf_puts(b, "<div class=\"field\"><label for=\"f-kanal\">Kanal</label>\n");
	field_message(r, e, "kanal");
	hh_buf_puts(b, "<select id=\"f-kanal\" name=\"kanal\"");
	field_error(r, e, "kanal");
	hh_buf_puts(b, "><option value=\"\">Alle kanaler</option>\n");
	int nch;
	const char *const *ch = hh_figq_channels(&nch);
	for (int i = 0; i < nch; i++)
		hh_buf_printf(b, "<option value=\"%s\"%s>%s</option>\n", ch[i],
			      cur && !strcmp(cur, ch[i]) ? " selected" : "",
			      hh_figq_channel_label(ch[i]));
	hh_buf_puts(b, "</select></div>\n");
	/* case type and topic */
	struct choices *c = hh_arena_calloc(&r->arena, sizeof(*c));
	c->a = &r->arena;
	hh_case_type_each(r->app->store, &r->arena, who, type_choice, c);
	cur = hh_req_query(r, "sagstype");
	hh_buf_puts(b, "<div class=\"field\"><label for=\"f-sagstype\">Sagstype"
		       "</label>\n");
	field_message(r, e, "sagstype");
	hh_buf_puts(b, "<select id=\"f-sagstype\" name=\"sagstype\"");
	field_error(r, e, "sagstype");
	hh_buf_puts(b, "><option value=\"\">Alle sagstyper</option>\n");
	for (int i = 0; i < c->n; i++) {
		hh_buf_puts(b, "<option value=\"");
		hh_page_text(r, c->v[i].code);
		hh_buf_puts(b, cur && !strcmp(cur, c->v[i].code) ? "\" selected>"
								 : "\">");
		hh_page_text(r, c->v[i].name);
		hh_buf_puts(b, "</option>\n");
	}
	hh_buf_puts(b, "</select></div>\n");
	qsort(c->groups, c->n_groups, sizeof(c->groups[0]), by_group);
	cur = hh_req_query(r, "emne");
	hh_buf_puts(b, "<div class=\"field\"><label for=\"f-emne\">Emne "
		       "(KLE-hovedgruppe)</label>\n");
	field_message(r, e, "emne");
	hh_buf_puts(b, "<select id=\"f-emne\" name=\"emne\"");
	field_error(r, e, "emne");
	hh_buf_puts(b, "><option value=\"\">Alle emner</option>\n");
	int listed = 0;
	/* s-self: a group's Danish topic name (topics.h) where it has one */
	struct hh_topics topics;
	if (hh_topics_load(r->app->store, &r->arena, &topics) != HH_OK)
		memset(&topics, 0, sizeof(topics));
	for (int g = 0; g < c->n_groups; g++) {
		int sel = cur && !strcmp(cur, c->groups[g].code);
		const char *topic = hh_topic_name(&topics, c->groups[g].code);
		listed |= sel;
		hh_buf_printf(b, "<option value=\"%s\"%s>%s – ", c->groups[g].code,
			      sel ? " selected" : "", c->groups[g].code);
		hh_page_text(r, topic ? topic : c->groups[g].names);
		hh_buf_puts(b, "</option>\n");
	}
	/* a finer KLE number from a link stays chosen */
	if (cur && *cur && !listed) {
		hh_buf_puts(b, "<option selected value=\"");
		hh_page_text(r, cur);
		hh_buf_puts(b, "\">KLE ");
		hh_page_text(r, cur);
		hh_buf_puts(b, "</option>\n");
	}
	hh_buf_puts(b, "</select></div>\n</div>\n");
	if (with_baseline) {
		hh_buf_puts(b, "<fieldset><legend>Sammenlign omkostninger med "
			       "(tom: samme periode et år før)</legend>\n"
			       "<div class=\"filter-row\">\n");
		date_field(r, "basis_fra", "Sammenligning fra og med", e);
		date_field(r, "basis_til", "Sammenligning til og med", e);
		hh_buf_puts(b, "</div></fieldset>\n");
	}
	hh_buf_printf(b, "<div class=\"buttons\"><button type=\"submit\">Vis "
			 "servicetal</button> <a href=\"%s\">Nulstil filtre</a>"
			 "</div>\n</form>\n",
		      action);
	if (f)
		hh_buf_printf(b, "<p class=\"period\">Viser <strong>%s</strong> til "
				 "og med <strong>%s</strong>.</p>\n",
			      hh_figq_day_da(&r->arena, f->q.from_day),
			      hh_figq_day_da(&r->arena, f->q.to_day));
}

/* Parses the filters; on a fault renders the page's form with the
 * message (400) and returns 0. */
static int filters(struct hh_req *r, const struct hh_actor *who,
		   const char *action, const char *title, struct hh_figq *f,
		   int with_baseline)
{
	struct hh_figq_error e;
	enum hh_rc rc = hh_figq_parse(r->app->store, &r->arena, HH_FIGQ_PAGE, 0,
				      qget, r, f, &e);
	if (rc == HH_OK)
		return 1;
	if (rc != HH_ERR_INVALID) {
		busy_page(r, rc);
		return 0;
	}
	hh_resp_header(r, "Cache-Control", "no-store");
	struct hh_page p = { .title = hh_arena_printf(&r->arena, "Fejl: %s",
						      title) };
	hh_page_begin(r, &p);
	hh_buf_puts(&r->resp, "<h1>");
	hh_page_text(r, title);
	hh_buf_puts(&r->resp, "</h1>\n");
	filter_form(r, action, who, NULL, &e, with_baseline);
	hh_page_end(r, 400);
	return 0;
}

/* ---- the dashboard ------------------------------------------------- */

struct dash {
	struct hh_fig_value sum[HH_FIG__COUNT];
	struct rows m_fcr, m_self, m_found, m_inq, m_cases;
	struct rows mix;
	struct rows t_median, t_p90, t_within, t_self, t_cases;
	struct rows articles;
	struct rows topics;
	struct hh_fig_cost cost;
	enum hh_rc cost_rc;
};

static enum hh_rc breakdown(struct hh_req *r, const struct hh_actor *who,
			    const struct hh_figq *f, enum hh_fig_ind i,
			    enum hh_fig_dim dim, struct rows *out)
{
	out->a = &r->arena;
	return hh_figures_breakdown(r->app->store, who, &r->arena, &f->q, i, dim,
				    collect, out);
}

static enum hh_rc load_dash(struct hh_req *r, const struct hh_actor *who,
			    const struct hh_figq *f, struct dash *d)
{
	struct hh_store *st = r->app->store;
	enum hh_rc rc = hh_figures_summary(st, who, &r->arena, &f->q, d->sum);
	if (rc == HH_OK)
		rc = breakdown(r, who, f, HH_FIG_FCR, HH_FIG_BY_MONTH, &d->m_fcr);
	if (rc == HH_OK)
		rc = breakdown(r, who, f, HH_FIG_SELF_SERVICE, HH_FIG_BY_MONTH,
			       &d->m_self);
	if (rc == HH_OK)
		rc = breakdown(r, who, f, HH_FIG_FOUND, HH_FIG_BY_MONTH, &d->m_found);
	if (rc == HH_OK)
		rc = breakdown(r, who, f, HH_FIG_INQUIRIES, HH_FIG_BY_MONTH,
			       &d->m_inq);
	if (rc == HH_OK)
		rc = breakdown(r, who, f, HH_FIG_CASES, HH_FIG_BY_MONTH, &d->m_cases);
	if (rc == HH_OK) {
		d->mix.a = &r->arena;
		rc = hh_figures_channel_mix(st, who, &r->arena, &f->q, collect,
					    &d->mix);
	}
	static const struct {
		enum hh_fig_ind i;
		size_t off;
	} per_type[] = {
		{ HH_FIG_CASES, offsetof(struct dash, t_cases) },
		{ HH_FIG_PROC_MEDIAN, offsetof(struct dash, t_median) },
		{ HH_FIG_PROC_P90, offsetof(struct dash, t_p90) },
		{ HH_FIG_WITHIN_DEADLINE, offsetof(struct dash, t_within) },
		{ HH_FIG_SELF_SERVICE, offsetof(struct dash, t_self) },
	};
	for (size_t k = 0; rc == HH_OK && k < sizeof(per_type) / sizeof(per_type[0]);
	     k++)
		rc = breakdown(r, who, f, per_type[k].i, HH_FIG_BY_CASE_TYPE,
			       (struct rows *)((char *)d + per_type[k].off));
	if (rc == HH_OK)
		rc = breakdown(r, who, f, HH_FIG_FOUND, HH_FIG_BY_ARTICLE,
			       &d->articles);
	if (rc == HH_OK)
		rc = breakdown(r, who, f, HH_FIG_FCR, HH_FIG_BY_TOPIC, &d->topics);
	if (rc == HH_OK)
		d->cost_rc = hh_figures_cost(st, who, &r->arena, &f->q,
					     f->baseline_from, f->baseline_to,
					     &d->cost);
	return rc;
}

/* The values of a month series on the months' keys (NAN where none). */
static double *series_on(struct hh_arena *a, const struct rows *x,
			 const char *const *keys, int n)
{
	double *v = hh_arena_alloc(a, (n ? n : 1) * sizeof(*v));
	for (int i = 0; i < n; i++) {
		const struct hh_fig_row *row = row_of(x, keys[i]);
		v[i] = row && row->v.has ? row->v.value : NAN;
	}
	return v;
}

/* The month keys of the period, from the longest series. */
static const char *const *months(struct hh_arena *a, const struct rows *const *xs,
				 int nx, int *n)
{
	const struct rows *best = xs[0];
	for (int k = 1; k < nx; k++)
		if (xs[k]->n > best->n)
			best = xs[k];
	const char **keys = hh_arena_alloc(a, (best->n ? best->n : 1) * sizeof(*keys));
	for (int i = 0; i < best->n; i++)
		keys[i] = best->v[i].key;
	*n = best->n;
	return keys;
}

static void card(struct hh_req *r, enum hh_fig_ind i,
		 const struct hh_fig_value *v)
{
	struct hh_buf *b = &r->resp;
	hh_buf_printf(b, "<li class=\"card\" id=\"tal-%s\"><h3>", hh_fig_key(i));
	hh_page_text(r, hh_fig_label(i));
	hh_buf_puts(b, "</h3>\n<p class=\"value\">");
	put_value(b, i, v);
	hh_buf_puts(b, "</p>\n<p class=\"words\">");
	if (v->has || v->den)
		put_words(b, &r->arena, i, v);
	else
		hh_buf_puts(b, "Ingen data i perioden");
	hh_buf_puts(b, "</p>\n<p><a href=\"");
	href(r, hh_arena_printf(&r->arena, "/ledelse/bag/%s", hh_fig_key(i)),
	     NULL);
	hh_buf_puts(b, "\">");
	hh_page_text(r, FMT[i].drill);
	hh_buf_puts(b, "<span class=\"visually-hidden\">: ");
	hh_page_text(r, hh_fig_label(i));
	hh_buf_puts(b, "</span></a></p></li>\n");
}

static void cards(struct hh_req *r, const struct dash *d, const int *ids, int n)
{
	hh_buf_puts(&r->resp, "<ul class=\"cards\">\n");
	for (int k = 0; k < n; k++)
		card(r, (enum hh_fig_ind)ids[k], &d->sum[ids[k]]);
	hh_buf_puts(&r->resp, "</ul>\n");
}

/* ---- tables -------------------------------------------------------- */

/* Every HTML table on these pages has one shape: in a wrapper that
 * scrolls, a caption, one header row of column heads, then rows of a
 * row header (what the row is about) and data cells (numbers aligned by
 * class "num"), and one row that says so when there are none. A table is
 * described by its columns; its cell function writes what stands in each
 * cell. Rows come from arrays (table_rows) or one at a time from the
 * domain's callbacks (table_row between table_begin and table_end). */
enum cell_kind {
	CELL_LABEL, /* <th scope="row"> */
	CELL_NUM,   /* <td class="num"> */
	CELL_TEXT,  /* <td> */
};

struct column {
	const char *head; /* text */
	enum cell_kind kind;
};

struct table {
	const char *id;      /* the table's id */
	const char *caption; /* text */
	const struct column *cols;
	int n_cols;
	const char *none; /* the one row's text when there are no rows (NULL:
			     no such row) */
	/* writes the content of column c of row (what the caller passes to
	   table_row); ctx is the table's */
	void (*cell)(struct hh_req *r, const void *ctx, const void *row, int c);
	const void *ctx;
	/* 1 for the reader's own row (class "own"); NULL: none is */
	int (*own)(const void *row);
};

static void table_begin(struct hh_req *r, const struct table *t)
{
	struct hh_buf *b = &r->resp;
	hh_buf_printf(b, "<div class=\"table-wrap\"><table id=\"%s\">\n<caption>",
		      t->id);
	hh_page_text(r, t->caption);
	hh_buf_puts(b, "</caption>\n<thead><tr>");
	for (int c = 0; c < t->n_cols; c++) {
		hh_buf_puts(b, "<th scope=\"col\">");
		hh_page_text(r, t->cols[c].head);
		hh_buf_puts(b, "</th>");
	}
	hh_buf_puts(b, "</tr></thead>\n<tbody>\n");
}

static void table_row(struct hh_req *r, const struct table *t, const void *row)
{
	static const char *const open[] = { [CELL_LABEL] = "<th scope=\"row\">",
					    [CELL_NUM] = "<td class=\"num\">",
					    [CELL_TEXT] = "<td>" };
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, t->own && t->own(row) ? "<tr class=\"own\">" : "<tr>");
	for (int c = 0; c < t->n_cols; c++) {
		hh_buf_puts(b, open[t->cols[c].kind]);
		t->cell(r, t->ctx, row, c);
		hh_buf_puts(b, t->cols[c].kind == CELL_LABEL ? "</th>" : "</td>");
	}
	hh_buf_puts(b, "</tr>\n");
}

/* Closes t, after n_rows rows. */
static void table_end(struct hh_req *r, const struct table *t, int n_rows)
{
	struct hh_buf *b = &r->resp;
	if (!n_rows && t->none) {
		hh_buf_printf(b, "<tr><td colspan=\"%d\">", t->n_cols);
		hh_page_text(r, t->none);
		hh_buf_puts(b, "</td></tr>\n");
	}
	hh_buf_puts(b, "</tbody></table></div>\n");
}

/* The whole of t with the n rows of an array (each size bytes). */
static void table_rows(struct hh_req *r, const struct table *t,
		       const void *rows, int n, size_t size)
{
	table_begin(r, t);
	for (int k = 0; k < n; k++)
		table_row(r, t, (const char *)rows + (size_t)k * size);
	table_end(r, t, n);
}

/* A table of rows by key with one column per indicator (case types,
 * articles), in HTML. */
struct col {
	enum hh_fig_ind i;
	const struct rows *x;
	const char *head; /* NULL: the indicator's label */
};

/* Column 0: the row's label; column c: the value of cols[c - 1] (ctx)
 * on the row's key ("no data" where it has none). */
static void by_key_cell(struct hh_req *r, const void *ctx, const void *row,
			int c)
{
	const struct hh_fig_row *kr = row;
	if (!c) {
		hh_page_text(r, kr->label);
		return;
	}
	const struct col *col = (const struct col *)ctx + (c - 1);
	const struct hh_fig_row *v = row_of(col->x, kr->key);
	put_value(&r->resp, col->i, v ? &v->v : &(struct hh_fig_value){ 0 });
}

static void rows_table(struct hh_req *r, const char *id, const char *caption,
		       const char *label_head, const struct rows *keys,
		       const struct col *cols, int n_cols)
{
	struct column *head = hh_arena_alloc(&r->arena,
					     (size_t)(n_cols + 1) * sizeof(*head));
	head[0] = (struct column){ label_head, CELL_LABEL };
	for (int c = 0; c < n_cols; c++)
		head[c + 1] = (struct column){
			cols[c].head ? cols[c].head : hh_fig_label(cols[c].i),
			CELL_NUM
		};
	struct table t = { .id = id, .caption = caption, .cols = head,
			   .n_cols = n_cols + 1, .none = "Ingen data i perioden",
			   .cell = by_key_cell, .ctx = cols };
	table_rows(r, &t, keys->v, keys->n, sizeof(*keys->v));
}

static void rows_csv(struct hh_csv *c, const char *label_head,
		     const struct rows *keys, const struct col *cols, int n_cols)
{
	hh_csv_text(c, "Nøgle");
	hh_csv_text(c, label_head);
	for (int k = 0; k < n_cols; k++) {
		const char *h = cols[k].head ? cols[k].head : hh_fig_label(cols[k].i);
		char head[200];
		snprintf(head, sizeof(head), "%s (%s)", h, csv_unit(cols[k].i));
		hh_csv_text(c, head);
	}
	hh_csv_end_row(c);
	for (int k = 0; k < keys->n; k++) {
		hh_csv_text(c, keys->v[k].key);
		hh_csv_text(c, keys->v[k].label);
		for (int j = 0; j < n_cols; j++) {
			const struct hh_fig_row *v = row_of(cols[j].x, keys->v[k].key);
			struct hh_fig_value none = { 0 };
			csv_value(c, cols[j].i, v ? &v->v : &none);
		}
		hh_csv_end_row(c);
	}
}

/* The channel mix as a month × channel matrix. */
struct mix {
	int n_months, n_channels;
	const char **months;
	const char **channels;
	double *v; /* [channel][month] */
};

static void mix_of(struct hh_arena *a, const struct rows *x, struct mix *m)
{
	memset(m, 0, sizeof(*m));
	m->months = hh_arena_alloc(a, (x->n + 1) * sizeof(char *));
	m->channels = hh_arena_alloc(a, (x->n + 1) * sizeof(char *));
	for (int i = 0; i < x->n; i++) {
		const char *slash = strchr(x->v[i].key, '/');
		if (!slash)
			continue;
		const char *month = hh_arena_strndup(a, x->v[i].key,
						     slash - x->v[i].key);
		int k;
		for (k = 0; k < m->n_months && strcmp(m->months[k], month); k++)
			;
		if (k == m->n_months)
			m->months[m->n_months++] = month;
		for (k = 0; k < m->n_channels && strcmp(m->channels[k], slash + 1);
		     k++)
			;
		if (k == m->n_channels)
			m->channels[m->n_channels++] = slash + 1;
	}
	m->v = hh_arena_alloc(a, (m->n_months * m->n_channels + 1) * sizeof(double));
	for (int i = 0; i < m->n_months * m->n_channels; i++)
		m->v[i] = NAN;
	for (int i = 0; i < x->n; i++) {
		const char *slash = strchr(x->v[i].key, '/');
		if (!slash)
			continue;
		int mi = 0, ci = 0;
		while (mi < m->n_months &&
		       (strncmp(m->months[mi], x->v[i].key, slash - x->v[i].key) ||
			m->months[mi][slash - x->v[i].key]))
			mi++;
		while (ci < m->n_channels && strcmp(m->channels[ci], slash + 1))
			ci++;
		if (mi < m->n_months && ci < m->n_channels)
			m->v[ci * m->n_months + mi] = (double)x->v[i].v.num;
	}
}

/* The series of the chart of the mix: one per channel. */
static struct hh_chart_series *mix_series(struct hh_arena *a, const struct mix *m)
{
	struct hh_chart_series *s = hh_arena_alloc(a, (m->n_channels + 1) * sizeof(*s));
	for (int c = 0; c < m->n_channels; c++)
		s[c] = (struct hh_chart_series){ hh_figq_channel_label(m->channels[c]),
						 m->v + c * m->n_months };
	return s;
}

/* Articles: the five best and five worst by "Fandt du det" share among
 * those with answers. */
static int by_value_desc(const void *a, const void *b)
{
	const struct hh_fig_row *x = a, *y = b;
	if (x->v.value != y->v.value)
		return x->v.value < y->v.value ? 1 : -1;
	return strcmp(x->key, y->key);
}

static void top_bottom(struct hh_arena *a, const struct rows *all,
		       struct rows *top, struct rows *bottom)
{
	struct rows have = { .a = a };
	for (int i = 0; i < all->n; i++)
		if (all->v[i].v.has)
			collect(&have, &all->v[i]);
	if (have.n)
		qsort(have.v, have.n, sizeof(have.v[0]), by_value_desc);
	*top = (struct rows){ .a = a };
	*bottom = (struct rows){ .a = a };
	for (int i = 0; i < have.n && i < 5; i++)
		collect(top, &have.v[i]);
	/* the bottom five, worst first, none of them also in the top */
	for (int i = have.n - 1; i >= 5 && i >= have.n - 5; i--)
		collect(bottom, &have.v[i]);
}

static const char *const DASH_TABLES[] = { "noegletal", "tendens", "antal",
					   "kanaler", "sagstyper", "artikler",
					   "emner", "omkostning", NULL };

static int dash_table_known(const char *t)
{
	for (int i = 0; DASH_TABLES[i]; i++)
		if (!strcmp(t, DASH_TABLES[i]))
			return 1;
	return 0;
}

static void dash_csv(struct hh_req *r, const struct hh_figq *f,
		     const struct dash *d, const char *table)
{
	struct hh_buf out;
	hh_buf_init(&out);
	struct hh_csv c;
	hh_csv_begin(&c, &out);
	const char *title = "servicetal";
	if (!strcmp(table, "noegletal")) {
		title = "servicetal-noegletal";
		hh_csv_text(&c, "Nøgle");
		hh_csv_text(&c, "Indikator");
		hh_csv_text(&c, "Værdi");
		hh_csv_text(&c, "Enhed");
		hh_csv_text(&c, "Tæller");
		hh_csv_text(&c, "Nævner");
		hh_csv_end_row(&c);
		for (int i = 0; i < HH_FIG__COUNT; i++) {
			hh_csv_text(&c, hh_fig_key(i));
			hh_csv_text(&c, hh_fig_label(i));
			csv_value(&c, i, &d->sum[i]);
			hh_csv_text(&c, csv_unit(i));
			hh_csv_int(&c, d->sum[i].num);
			hh_csv_int(&c, d->sum[i].den);
			hh_csv_end_row(&c);
		}
	} else if (!strcmp(table, "tendens") || !strcmp(table, "antal")) {
		int counts = !strcmp(table, "antal");
		title = counts ? "servicetal-antal-pr-maaned"
			       : "servicetal-tendens-pr-maaned";
		const struct rows *xs[3];
		enum hh_fig_ind is[3];
		int nx;
		if (counts) {
			xs[0] = &d->m_inq, is[0] = HH_FIG_INQUIRIES;
			xs[1] = &d->m_cases, is[1] = HH_FIG_CASES;
			nx = 2;
		} else {
			xs[0] = &d->m_fcr, is[0] = HH_FIG_FCR;
			xs[1] = &d->m_self, is[1] = HH_FIG_SELF_SERVICE;
			xs[2] = &d->m_found, is[2] = HH_FIG_FOUND;
			nx = 3;
		}
		int n;
		const char *const *keys = months(&r->arena, xs, nx, &n);
		hh_csv_text(&c, "Måned");
		for (int k = 0; k < nx; k++)
			hh_csv_text(&c, hh_arena_printf(&r->arena, "%s (%s)",
							hh_fig_label(is[k]),
							csv_unit(is[k])));
		hh_csv_end_row(&c);
		for (int i = 0; i < n; i++) {
			hh_csv_text(&c, keys[i]);
			for (int k = 0; k < nx; k++) {
				const struct hh_fig_row *v = row_of(xs[k], keys[i]);
				struct hh_fig_value none = { 0 };
				csv_value(&c, is[k], v ? &v->v : &none);
			}
			hh_csv_end_row(&c);
		}
	} else if (!strcmp(table, "kanaler")) {
		title = "servicetal-kanaler-pr-maaned";
		struct mix m;
		mix_of(&r->arena, &d->mix, &m);
		hh_csv_text(&c, "Måned");
		for (int k = 0; k < m.n_channels; k++)
			hh_csv_text(&c, hh_figq_channel_label(m.channels[k]));
		hh_csv_text(&c, "I alt");
		hh_csv_end_row(&c);
		for (int i = 0; i < m.n_months; i++) {
			hh_csv_text(&c, m.months[i]);
			double total = 0;
			for (int k = 0; k < m.n_channels; k++) {
				double v = m.v[k * m.n_months + i];
				hh_csv_num(&c, v, 0);
				if (!isnan(v))
					total += v;
			}
			hh_csv_num(&c, total, 0);
			hh_csv_end_row(&c);
		}
	} else if (!strcmp(table, "sagstyper")) {
		title = "servicetal-sagstyper";
		struct col cols[] = {
			{ HH_FIG_CASES, &d->t_cases, "Sager" },
			{ HH_FIG_PROC_MEDIAN, &d->t_median, "Median" },
			{ HH_FIG_PROC_P90, &d->t_p90, "90 %-fraktil" },
			{ HH_FIG_WITHIN_DEADLINE, &d->t_within, "Andel inden for frist" },
			{ HH_FIG_SELF_SERVICE, &d->t_self, "Selvbetjeningsgrad" },
		};
		rows_csv(&c, "Sagstype", &d->t_cases, cols, 5);
	} else if (!strcmp(table, "artikler")) {
		title = "servicetal-fandt-du-det-pr-artikel";
		struct col cols[] = { { HH_FIG_FOUND, &d->articles, "Andel ja" } };
		rows_csv(&c, "Artikel", &d->articles, cols, 1);
	} else if (!strcmp(table, "emner")) {
		title = "servicetal-emner";
		struct col cols[] = { { HH_FIG_FCR, &d->topics, NULL } };
		rows_csv(&c, "Emne", &d->topics, cols, 1);
	} else { /* omkostning */
		title = "servicetal-omkostninger";
		hh_csv_text(&c, "Kanal");
		hh_csv_text(&c, "Kontakter");
		hh_csv_text(&c, "Kroner pr. kontakt");
		hh_csv_end_row(&c);
		for (int i = 0; d->cost_rc == HH_OK && i < d->cost.n_channels; i++) {
			hh_csv_text(&c, hh_figq_channel_label(d->cost.channels[i].key));
			hh_csv_int(&c, d->cost.channels[i].v.num);
			hh_csv_num(&c, d->cost.channels[i].v.has
					       ? d->cost.channels[i].v.value
					       : NAN,
				   2);
			hh_csv_end_row(&c);
		}
	}
	send_csv(r, &out, title, f);
}

static void section_head(struct hh_req *r, const char *id, const char *title,
			 const char *intro)
{
	hh_buf_printf(&r->resp, "<section aria-labelledby=\"%s\">\n<h2 id=\"%s\">",
		      id, id);
	hh_page_text(r, title);
	hh_buf_puts(&r->resp, "</h2>\n");
	if (intro) {
		hh_buf_puts(&r->resp, "<p>");
		hh_page_text(r, intro);
		hh_buf_puts(&r->resp, "</p>\n");
	}
}

/* "opkald −45 %" for a relative change. */
static void change(struct hh_req *r, const char *what,
		   const struct hh_fig_value *v)
{
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<li><span class=\"what\">");
	hh_page_text(r, what);
	hh_buf_puts(b, "</span> <strong>");
	if (!v->has) {
		hh_buf_puts(b, "ingen sammenligning</strong></li>\n");
		return;
	}
	if (v->value > 0)
		hh_buf_putc(b, '+');
	hh_value_da(b, v->value, HH_CHART_SHARE, 0, NULL);
	hh_buf_puts(b, "</strong></li>\n");
}

void hh_page_figures(struct hh_req *r)
{
	struct hh_actor who;
	if (!manager_gate(r, &who))
		return;
	struct hh_figq f;
	if (!filters(r, &who, "/ledelse", "Servicetal", &f, 1))
		return;
	const char *format = hh_req_query(r, "format");
	const char *table = hh_req_query(r, "tabel");
	if (format && strcmp(format, "csv")) {
		hh_page_error(r, 400, "Formatet findes ikke",
			      "Tabellerne kan hentes som CSV (format=csv).");
		return;
	}
	if (format && (!table || !dash_table_known(table))) {
		hh_page_error(r, 400, "Tabellen findes ikke",
			      "Vælg en af tabellerne på siden Servicetal og "
			      "brug linket »Hent som CSV« under den.");
		return;
	}
	struct dash *d = hh_arena_calloc(&r->arena, sizeof(*d));
	enum hh_rc rc = load_dash(r, &who, &f, d);
	if (rc != HH_OK) {
		busy_page(r, rc);
		return;
	}
	if (format) {
		dash_csv(r, &f, d, table);
		return;
	}
	hh_resp_header(r, "Cache-Control", "no-store");
	struct hh_page p = { .title = "Servicetal" };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<h1>Servicetal</h1>\n<p>Tallene er regnet ud fra "
		       "hændelsesloggen for din organisation. Hvert tal har et "
		       "link til de henvendelser eller sager, det bygger på. "
		       "Se også <a href=\"/ledelse/benchmark\">sammenligningen "
		       "med andre organisationer</a>.</p>\n");
	filter_form(r, "/ledelse", &who, &f, NULL, 1);

	/* key figures */
	section_head(r, "noegletal", "Nøgletal", NULL);
	static const int contact_ids[] = { HH_FIG_INQUIRIES, HH_FIG_FCR,
					   HH_FIG_TRANSFERS, HH_FIG_CALLBACKS_KEPT };
	static const int case_ids[] = { HH_FIG_CASES, HH_FIG_PROC_MEDIAN,
					HH_FIG_PROC_P90, HH_FIG_WITHIN_DEADLINE,
					HH_FIG_SELF_SERVICE };
	hh_buf_puts(b, "<h3 class=\"group\">Henvendelser</h3>\n");
	cards(r, d, contact_ids, 4);
	hh_buf_puts(b, "<h3 class=\"group\">Sager</h3>\n");
	cards(r, d, case_ids, 5);
	csv_link(r, "/ledelse", "noegletal", "alle nøgletal");
	hh_buf_puts(b, "</section>\n");

	/* the trend */
	section_head(r, "tendens", "Udviklingen måned for måned",
		     "Førstegangsløsning, selvbetjeningsgrad og »Fandt du det, "
		     "du søgte?« pr. måned.");
	{
		const struct rows *xs[] = { &d->m_fcr, &d->m_self, &d->m_found };
		int n;
		const char *const *keys = months(&r->arena, xs, 3, &n);
		struct hh_chart_series s[] = {
			{ hh_fig_label(HH_FIG_FCR), series_on(&r->arena, &d->m_fcr, keys, n) },
			{ hh_fig_label(HH_FIG_SELF_SERVICE),
			  series_on(&r->arena, &d->m_self, keys, n) },
			{ hh_fig_label(HH_FIG_FOUND), series_on(&r->arena, &d->m_found, keys, n) },
		};
		struct hh_chart c = { .id = "graf-tendens",
				      .title = "Andele pr. måned",
				      .desc = "Linjediagram med en linje for hver af "
					      "førstegangsløsning, selvbetjeningsgrad "
					      "og »Fandt du det«.",
				      .label_head = "Måned", .fmt = HH_CHART_SHARE,
				      .n_labels = n, .labels = keys, .n_series = 3,
				      .series = s };
		hh_chart_line(b, &c);
		hh_chart_table(b, &c, 0);
		csv_link(r, "/ledelse", "tendens", "tabellen");
	}
	{
		const struct rows *xs[] = { &d->m_inq, &d->m_cases };
		int n;
		const char *const *keys = months(&r->arena, xs, 2, &n);
		struct hh_chart_series s[] = {
			{ "Henvendelser", series_on(&r->arena, &d->m_inq, keys, n) },
			{ "Sager", series_on(&r->arena, &d->m_cases, keys, n) },
		};
		struct hh_chart c = { .id = "graf-antal",
				      .title = "Henvendelser og sager pr. måned",
				      .label_head = "Måned", .fmt = HH_CHART_COUNT,
				      .n_labels = n, .labels = keys, .n_series = 2,
				      .series = s };
		hh_chart_line(b, &c);
		hh_chart_table(b, &c, 0);
		csv_link(r, "/ledelse", "antal", "tabellen");
	}
	hh_buf_puts(b, "</section>\n");

	/* the channel mix */
	section_head(r, "kanaler", "Kanaler",
		     "Hvordan borgerne kom i kontakt: henvendelser pr. kanal og "
		     "sager, der kom via selvbetjening, pr. måned.");
	{
		struct mix m;
		mix_of(&r->arena, &d->mix, &m);
		struct hh_chart c = { .id = "graf-kanaler",
				      .title = "Kanaler pr. måned",
				      .desc = "Stablede søjler: én søjle pr. måned, "
					      "ét felt pr. kanal.",
				      .label_head = "Måned", .fmt = HH_CHART_COUNT,
				      .n_labels = m.n_months, .labels = m.months,
				      .n_series = m.n_channels,
				      .series = mix_series(&r->arena, &m) };
		hh_chart_stacked(b, &c);
		hh_chart_table(b, &c, 1);
		csv_link(r, "/ledelse", "kanaler", "tabellen");
	}
	hh_buf_puts(b, "</section>\n");

	/* case types */
	section_head(r, "sagstyper", "Behandlingstid og selvbetjening pr. sagstype",
		     "Behandlingstid fra ansøgning til afgørelse, uden den tid "
		     "sagen ventede på borgeren, i kalenderdage.");
	{
		struct rows *keys = &d->t_cases;
		double *within = hh_arena_alloc(&r->arena, (keys->n + 1) * sizeof(double));
		double *self = hh_arena_alloc(&r->arena, (keys->n + 1) * sizeof(double));
		const char **labels = hh_arena_alloc(&r->arena,
						     (keys->n + 1) * sizeof(char *));
		for (int i = 0; i < keys->n; i++) {
			const struct hh_fig_row *w = row_of(&d->t_within, keys->v[i].key);
			const struct hh_fig_row *s = row_of(&d->t_self, keys->v[i].key);
			within[i] = w && w->v.has ? w->v.value : NAN;
			self[i] = s && s->v.has ? s->v.value : NAN;
			labels[i] = keys->v[i].label;
		}
		struct hh_chart_series sw[] = { { "Andel inden for frist", within } };
		struct hh_chart cw = { .id = "graf-frist",
				       .title = "Andel afgjort inden for fristen",
				       .label_head = "Sagstype", .fmt = HH_CHART_SHARE,
				       .n_labels = keys->n, .labels = labels,
				       .n_series = 1, .series = sw };
		hh_chart_bars(b, &cw);
		struct col cols[] = {
			{ HH_FIG_CASES, &d->t_cases, "Sager" },
			{ HH_FIG_PROC_MEDIAN, &d->t_median, "Median" },
			{ HH_FIG_PROC_P90, &d->t_p90, "90 %-fraktil" },
			{ HH_FIG_WITHIN_DEADLINE, &d->t_within, "Andel inden for frist" },
			{ HH_FIG_SELF_SERVICE, &d->t_self, "Selvbetjeningsgrad" },
		};
		rows_table(r, "tabel-sagstyper", "Behandlingstid og selvbetjening "
						 "pr. sagstype",
			   "Sagstype", keys, cols, 5);
		csv_link(r, "/ledelse", "sagstyper", "tabellen");
		struct hh_chart_series ss[] = { { "Selvbetjeningsgrad", self } };
		struct hh_chart cs = { .id = "graf-selvbetjening",
				       .title = "Selvbetjeningsgrad pr. sagstype",
				       .desc = "Tallene står i tabellen ovenfor, i "
					       "kolonnen Selvbetjeningsgrad.",
				       .label_head = "Sagstype", .fmt = HH_CHART_SHARE,
				       .n_labels = keys->n, .labels = labels,
				       .n_series = 1, .series = ss };
		hh_chart_bars(b, &cs);
	}
	hh_buf_puts(b, "</section>\n");

	/* satisfaction and search */
	section_head(r, "tilfredshed", "Tilfredshed og søgning", NULL);
	static const int sat_ids[] = { HH_FIG_CHAT_RATING, HH_FIG_FOUND,
				       HH_FIG_SEARCH_SUCCESS,
				       HH_FIG_SEARCH_NO_RESULT, HH_FIG_SEARCH_WEAK };
	cards(r, d, sat_ids, 5);
	{
		struct rows top, bottom;
		top_bottom(&r->arena, &d->articles, &top, &bottom);
		struct col ct[] = { { HH_FIG_FOUND, &top, "Andel ja" } };
		rows_table(r, "tabel-bedste", "Artikler med flest »ja« til »Fandt du "
					      "det, du søgte?«",
			   "Artikel", &top, ct, 1);
		struct col cb[] = { { HH_FIG_FOUND, &bottom, "Andel ja" } };
		rows_table(r, "tabel-svageste", "Artikler med færrest »ja«",
			   "Artikel", &bottom, cb, 1);
		csv_link(r, "/ledelse", "artikler", "svarene for alle artikler");
	}
	{
		struct col cols[] = { { HH_FIG_FCR, &d->topics, NULL } };
		rows_table(r, "tabel-emner", "Førstegangsløsning pr. emne "
					     "(KLE-hovedgruppe)",
			   "Emne", &d->topics, cols, 1);
		csv_link(r, "/ledelse", "emner", "tabellen");
	}
	hh_buf_puts(b, "</section>\n");

	/* cost */
	section_head(r, "omkostning", "Omkostninger og gevinster",
		     "Regnet med organisationens omkostningsmodel: minutter pr. "
		     "kontakt og pr. sag gange timeprisen.");
	static const int cost_ids[] = { HH_FIG_COST_INQUIRY, HH_FIG_COST_CASE };
	cards(r, d, cost_ids, 2);
	if (d->cost_rc != HH_OK) {
		hh_buf_puts(b, "<p>Omkostningerne kan ikke regnes ud for perioden.</p>\n");
	} else {
		hh_buf_puts(b, "<p>I alt i perioden: <strong>");
		hh_value_da(b, d->cost.total, HH_CHART_NUMBER, 0, "kr.");
		hh_buf_puts(b, "</strong>, med en timepris på ");
		hh_value_da(b, d->cost.rate, HH_CHART_NUMBER, 0, "kr.");
		hh_buf_puts(b, ".</p>\n");
		hh_buf_printf(b, "<h3>Sammenlignet med %s til og med %s</h3>\n"
				 "<ul class=\"changes\">\n",
			      hh_figq_day_da(&r->arena, d->cost.baseline_from),
			      hh_figq_day_da(&r->arena, d->cost.baseline_to));
		change(r, "opkald", &d->cost.calls_change);
		change(r, "personlige fremmøder", &d->cost.visits_change);
		change(r, "omkostning pr. sag", &d->cost.cost_per_case_change);
		hh_buf_puts(b, "</ul>\n");
		const char **labels = hh_arena_alloc(&r->arena, (d->cost.n_channels + 1) *
									sizeof(char *));
		double *v = hh_arena_alloc(&r->arena, (d->cost.n_channels + 1) *
							      sizeof(double));
		for (int i = 0; i < d->cost.n_channels; i++) {
			labels[i] = hh_figq_channel_label(d->cost.channels[i].key);
			v[i] = d->cost.channels[i].v.has ? d->cost.channels[i].v.value
							 : NAN;
		}
		struct hh_chart_series s[] = { { "Kroner pr. kontakt", v } };
		struct hh_chart c = { .id = "graf-omkostning",
				      .title = "Kroner pr. kontakt efter kanal",
				      .label_head = "Kanal", .fmt = HH_CHART_NUMBER,
				      .decimals = 2, .unit = "kr.",
				      .n_labels = d->cost.n_channels, .labels = labels,
				      .n_series = 1, .series = s };
		hh_chart_bars(b, &c);
		hh_chart_table(b, &c, 0);
		csv_link(r, "/ledelse", "omkostning", "tabellen");
	}
	hh_buf_puts(b, "</section>\n");
	hh_page_end(r, 200);
}

/* ---- the drill-down ------------------------------------------------ */

static void drill_cell(struct hh_req *r, const void *ctx, const void *row,
		       int c)
{
	(void)ctx;
	const struct hh_fig_item *it = row;
	struct hh_buf *b = &r->resp;
	switch (c) {
	case 0:
		if (it->kind && !strcmp(it->kind, "case")) {
			hh_buf_printf(b, "<a href=\"/sagsbehandling/sag/%lld\">",
				      (long long)it->id);
			hh_page_text(r, it->ref ? it->ref
						: hh_arena_printf(&r->arena, "Sag %lld",
								  (long long)it->id));
			hh_buf_puts(b, "</a>");
		} else {
			hh_buf_printf(b, "Henvendelse %lld", (long long)it->id);
		}
		break;
	case 1:
		hh_page_text(r, hh_figq_channel_label(it->what));
		break;
	case 2:
		hh_page_text(r, hh_datetime_da(&r->arena, it->at));
		break;
	case 3:
		hh_page_text(r, it->outcome);
		break;
	case 4:
		hh_num_da(b, it->value, it->value == floor(it->value) ? 0 : 1);
		break;
	default:
		hh_buf_puts(b, it->counted ? "Ja" : "Nej");
	}
}

static const struct column DRILL_COLS[] = {
	{ "Henvendelse eller sag", CELL_LABEL }, { "Kanal eller sagstype", CELL_TEXT },
	{ "Start", CELL_TEXT }, { "Udfald eller tilstand", CELL_TEXT },
	{ "Værdi", CELL_NUM }, { "Tæller med", CELL_TEXT },
};

/* The items behind an indicator (the caption: the page's title). */
static const struct table DRILL_TABLE = {
	.id = "tabel-bag", .cols = DRILL_COLS,
	.n_cols = sizeof(DRILL_COLS) / sizeof(DRILL_COLS[0]),
	.none = "Ingen i perioden", .cell = drill_cell,
};

struct drill {
	struct hh_req *r;
	struct hh_csv *csv; /* or HTML */
	int n;
	int64_t last_id;
	int limit;
};

static enum hh_rc drill_row(void *ctx, const struct hh_fig_item *it)
{
	struct drill *x = ctx;
	struct hh_req *r = x->r;
	if (x->n >= x->limit) {
		x->n++; /* one more than a page: there is a next page */
		return HH_OK;
	}
	x->n++;
	x->last_id = it->id;
	int is_case = it->kind && !strcmp(it->kind, "case");
	if (x->csv) {
		hh_csv_text(x->csv, is_case ? "sag" : "henvendelse");
		hh_csv_int(x->csv, it->id);
		hh_csv_text(x->csv, it->ref);
		hh_csv_text(x->csv, hh_figq_channel_label(it->what));
		char iso[HH_ISO8601_SIZE];
		hh_iso8601_dk(it->at, iso);
		hh_csv_text(x->csv, iso);
		hh_csv_text(x->csv, it->outcome);
		hh_csv_num(x->csv, it->value, 1);
		hh_csv_text(x->csv, it->counted ? "ja" : "nej");
		hh_csv_end_row(x->csv);
		return HH_OK;
	}
	table_row(r, &DRILL_TABLE, it);
	return HH_OK;
}

void hh_page_figures_drill(struct hh_req *r)
{
	struct hh_actor who;
	if (!manager_gate(r, &who))
		return;
	const char *key = hh_req_param(r, "indicator");
	int i = key ? hh_fig_by_key(key) : -1;
	if (i < 0) {
		hh_page_not_found(r);
		return;
	}
	const char *action = hh_arena_printf(&r->arena, "/ledelse/bag/%s", key);
	const char *title = hh_arena_printf(&r->arena, "Bag tallet: %s",
					    hh_fig_label(i));
	struct hh_figq f;
	if (!filters(r, &who, action, title, &f, 0))
		return;
	const char *format = hh_req_query(r, "format");
	if (format && strcmp(format, "csv")) {
		hh_page_error(r, 400, "Formatet findes ikke",
			      "Tabellen kan hentes som CSV (format=csv).");
		return;
	}
	if (format) {
		struct hh_buf out;
		hh_buf_init(&out);
		struct hh_csv c;
		hh_csv_begin(&c, &out);
		static const char *const head[] = { "Art", "Id", "Journalnummer",
						    "Kanal eller sagstype", "Start",
						    "Udfald eller tilstand",
						    "Værdi", "Tæller med" };
		for (size_t k = 0; k < sizeof(head) / sizeof(head[0]); k++)
			hh_csv_text(&c, head[k]);
		hh_csv_end_row(&c);
		struct drill x = { .r = r, .csv = &c, .limit = CSV_MAX_ROWS };
		enum hh_rc rc = hh_figures_drill(r->app->store, &who, &r->arena, &f.q,
						 i, 0, CSV_MAX_ROWS, drill_row, &x);
		if (rc != HH_OK) {
			hh_buf_clear(&out);
			busy_page(r, rc);
			return;
		}
		send_csv(r, &out, hh_arena_printf(&r->arena, "servicetal-bag-%s",
						  hh_fig_label(i)),
			 &f);
		return;
	}
	/* the rows first, into the page after the form */
	struct hh_buf rows;
	hh_buf_init(&rows);
	struct hh_buf keep = r->resp;
	r->resp = rows;
	struct drill x = { .r = r, .limit = DRILL_PAGE };
	enum hh_rc rc = hh_figures_drill(r->app->store, &who, &r->arena, &f.q, i,
					 f.after, DRILL_PAGE + 1, drill_row, &x);
	rows = r->resp;
	r->resp = keep;
	if (rc != HH_OK) {
		hh_buf_clear(&rows);
		busy_page(r, rc);
		return;
	}
	hh_resp_header(r, "Cache-Control", "no-store");
	struct hh_page p = { .title = title };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<p><a href=\"");
	href(r, "/ledelse", NULL);
	hh_buf_puts(b, "\">Tilbage til servicetallene</a></p>\n<h1>");
	hh_page_text(r, title);
	hh_buf_puts(b, "</h1>\n<p>Her er de henvendelser eller sager, tallet er "
		       "regnet af, nyeste først. En sag åbnes i "
		       "sagsbehandlingen, hvor de sædvanlige adgangsregler "
		       "gælder. Kolonnen »Tæller med« siger, om rækken tæller "
		       "med i tallets tæller (fx løst ved første kontakt).</p>\n");
	filter_form(r, action, &who, &f, NULL, 0);
	struct table t = DRILL_TABLE;
	t.caption = title;
	table_begin(r, &t);
	hh_buf_puts(b, hh_buf_str(&rows));
	hh_buf_clear(&rows);
	table_end(r, &t, x.n);
	if (x.n > DRILL_PAGE) {
		hh_buf_puts(b, "<p class=\"pager\"><a rel=\"next\" href=\"");
		href(r, action, hh_arena_printf(&r->arena, "efter=%lld",
						(long long)x.last_id));
		hh_buf_puts(b, "\">Næste side</a></p>\n");
	}
	csv_link(r, action, NULL, "hele listen");
	hh_page_end(r, 200);
}

/* ---- the benchmark ------------------------------------------------- */

/* A ranking of organisations (the index, or one indicator's peers): the
 * rank, the name (the reader's own marked), the value. ctx: the
 * indicator, or NULL for the index (0-100, one decimal). */
static void peer_cell(struct hh_req *r, const void *ctx, const void *row,
		      int c)
{
	const enum hh_fig_ind *i = ctx;
	const struct hh_fig_peer *pe = row;
	struct hh_buf *b = &r->resp;
	if (c == 0) {
		if (pe->rank)
			hh_buf_printf(b, "%d", pe->rank);
	} else if (c == 1) {
		hh_page_text(r, pe->name);
		if (pe->own)
			hh_buf_puts(b, " <strong>(jer)</strong>");
	} else if (i) {
		put_value(b, *i, &pe->v);
	} else if (pe->v.has) {
		hh_num_da(b, pe->v.value, 1);
	} else {
		hh_buf_puts(b, "<span aria-hidden=\"true\">\xe2\x80\x93</span>"
			       "<span class=\"visually-hidden\">ingen data</span>");
	}
}

static int peer_own(const void *row)
{
	return ((const struct hh_fig_peer *)row)->own;
}

static const struct column PEER_COLS[] = {
	{ "Placering", CELL_NUM }, { "Organisation", CELL_LABEL }, { "Værdi", CELL_NUM },
};
static const struct column INDEX_COLS[] = {
	{ "Placering", CELL_NUM }, { "Organisation", CELL_LABEL }, { "Indeks", CELL_NUM },
};

/* The index's weights: the indicator, its weight (row: an element of
 * bn->weight_keys, whose weight is at the same place in bn->weights). */
static void weight_cell(struct hh_req *r, const void *ctx, const void *row,
			int c)
{
	const struct hh_fig_bench *bn = ctx;
	const char *const *key = row;
	if (c == 0) {
		int i = hh_fig_by_key(*key);
		hh_page_text(r, i >= 0 ? hh_fig_label(i) : *key);
	} else {
		hh_value_da(&r->resp, bn->weights[key - bn->weight_keys],
			    HH_CHART_SHARE, 0, NULL);
	}
}

static const struct column WEIGHT_COLS[] = {
	{ "Indikator", CELL_LABEL }, { "Vægt", CELL_NUM },
};

static void bench_csv(struct hh_req *r, const struct hh_figq *f,
		      const struct hh_fig_bench *bn, const char *table)
{
	struct hh_buf out;
	hh_buf_init(&out);
	struct hh_csv c;
	hh_csv_begin(&c, &out);
	if (!strcmp(table, "indeks")) {
		hh_csv_text(&c, "Organisation");
		hh_csv_text(&c, "Serviceindeks (0-100)");
		hh_csv_text(&c, "Placering");
		hh_csv_text(&c, "Egen");
		hh_csv_end_row(&c);
		for (int k = 0; k < bn->n_index; k++) {
			hh_csv_text(&c, bn->index[k].name);
			hh_csv_num(&c, bn->index[k].v.has ? bn->index[k].v.value : NAN, 1);
			hh_csv_int(&c, bn->index[k].rank);
			hh_csv_text(&c, bn->index[k].own ? "ja" : "nej");
			hh_csv_end_row(&c);
		}
		send_csv(r, &out, "benchmark-serviceindeks", f);
		return;
	}
	hh_csv_text(&c, "Nøgle");
	hh_csv_text(&c, "Indikator");
	hh_csv_text(&c, "Enhed");
	hh_csv_text(&c, "Organisation");
	hh_csv_text(&c, "Værdi");
	hh_csv_text(&c, "Placering");
	hh_csv_text(&c, "Egen");
	hh_csv_end_row(&c);
	for (int k = 0; k < bn->n_rows; k++) {
		const struct hh_fig_bench_row *row = &bn->rows[k];
		for (int p = 0; p < row->n_peers; p++) {
			hh_csv_text(&c, hh_fig_key(row->ind));
			hh_csv_text(&c, hh_fig_label(row->ind));
			hh_csv_text(&c, csv_unit(row->ind));
			hh_csv_text(&c, row->peers[p].name);
			csv_value(&c, row->ind, &row->peers[p].v);
			hh_csv_int(&c, row->peers[p].rank);
			hh_csv_text(&c, row->peers[p].own ? "ja" : "nej");
			hh_csv_end_row(&c);
		}
	}
	send_csv(r, &out, "benchmark", f);
}

void hh_page_figures_benchmark(struct hh_req *r)
{
	struct hh_actor who;
	if (!manager_gate(r, &who))
		return;
	struct hh_figq f;
	if (!filters(r, &who, "/ledelse/benchmark", "Sammenligning med andre", &f,
		     0))
		return;
	const char *format = hh_req_query(r, "format");
	const char *table = hh_req_query(r, "tabel");
	if (format && (strcmp(format, "csv") || !table ||
		       (strcmp(table, "indikatorer") && strcmp(table, "indeks")))) {
		hh_page_error(r, 400, "Tabellen findes ikke",
			      "Brug linket »Hent som CSV« under en af tabellerne.");
		return;
	}
	struct hh_fig_bench bn;
	memset(&bn, 0, sizeof(bn));
	enum hh_rc rc = hh_figures_benchmark(r->app->store, &who, &r->arena, &f.q,
					     &bn);
	if (rc != HH_OK) {
		busy_page(r, rc);
		return;
	}
	if (format) {
		bench_csv(r, &f, &bn, table);
		return;
	}
	hh_resp_header(r, "Cache-Control", "no-store");
	struct hh_page p = { .title = "Sammenligning med andre" };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<p><a href=\"");
	href(r, "/ledelse", NULL);
	hh_buf_puts(b, "\">Tilbage til servicetallene</a></p>\n"
		       "<h1>Sammenligning med andre</h1>\n<p>Jeres tal for "
		       "perioden ved siden af de sammenlignelige organisationer i "
		       "gruppen <strong>");
	hh_page_text(r, bn.group);
	hh_buf_puts(b, "</strong>. Andre organisationer er anonyme, medmindre de "
		       "har sagt ja til at blive nævnt ved navn.</p>\n");
	filter_form(r, "/ledelse/benchmark", &who, &f, NULL, 0);

	/* the composite index first: the headline */
	section_head(r, "indeks", "Samlet serviceindeks", NULL);
	struct table ti = { .id = "tabel-indeks",
			    .caption = "Serviceindeks 0–100, bedste først",
			    .cols = INDEX_COLS, .n_cols = 3,
			    .none = "Ingen data i perioden", .cell = peer_cell,
			    .own = peer_own };
	table_rows(r, &ti, bn.index, bn.n_index, sizeof(*bn.index));
	csv_link(r, "/ledelse/benchmark", "indeks", "indekset");
	hh_buf_puts(b, "<h3>Sådan er indekset regnet</h3>\n<p>");
	hh_page_text(r, bn.method);
	hh_buf_puts(b, "</p>\n");
	struct table tw = { .id = "tabel-vaegte", .caption = "Vægte i indekset",
			    .cols = WEIGHT_COLS, .n_cols = 2, .cell = weight_cell,
			    .ctx = &bn };
	table_rows(r, &tw, bn.weight_keys, bn.n_weights, sizeof(*bn.weight_keys));
	hh_buf_puts(b, "</section>\n");

	/* each indicator */
	section_head(r, "indikatorer", "Indikator for indikator", NULL);
	for (int k = 0; k < bn.n_rows; k++) {
		const struct hh_fig_bench_row *row = &bn.rows[k];
		enum hh_fig_ind i = row->ind;
		const char *id = hh_arena_printf(&r->arena, "b-%s", hh_fig_key(i));
		hh_buf_printf(b, "<section class=\"bench\" aria-labelledby=\"%s-h\">"
				 "<h3 id=\"%s-h\">",
			      id, id);
		hh_page_text(r, hh_fig_label(i));
		hh_buf_puts(b, "</h3>\n<p>Jeres værdi: <strong>");
		put_value(b, i, &row->own);
		hh_buf_puts(b, "</strong>");
		if (row->rank)
			hh_buf_printf(b, ", nr. %d af %d", row->rank, row->ranked);
		hh_buf_puts(b, ". <a href=\"");
		href(r, hh_arena_printf(&r->arena, "/ledelse/bag/%s", hh_fig_key(i)),
		     NULL);
		hh_buf_puts(b, "\">Se jeres henvendelser eller sager bag tallet"
			       "<span class=\"visually-hidden\">: ");
		hh_page_text(r, hh_fig_label(i));
		hh_buf_puts(b, "</span></a></p>\n");
		int peers = row->n_peers > 0;
		struct hh_chart_spread s = {
			.id = id,
			.title = hh_arena_printf(&r->arena, "%s: spredning blandt %d "
							    "organisationer",
						 hh_fig_label(i), row->n_peers),
			.desc = "Linjen går fra laveste til højeste værdi, kassen "
				"fra første til tredje kvartil, stregen er "
				"medianen og ruden jeres værdi.",
			.fmt = FMT[i].fmt, .decimals = FMT[i].decimals,
			.unit = FMT[i].unit,
			.min = peers ? row->min : NAN, .q1 = peers ? row->q1 : NAN,
			.median = peers ? row->median : NAN,
			.q3 = peers ? row->q3 : NAN, .max = peers ? row->max : NAN,
			.own = row->own.has ? row->own.value : NAN,
			.own_label = "Jer",
			.higher_better = hh_fig_higher_better(i),
		};
		hh_chart_spread(b, &s);
		struct table tp = {
			.id = hh_arena_printf(&r->arena, "%s-tabel", id),
			.caption = hh_arena_printf(&r->arena, "%s: alle i gruppen, "
							      "bedste først",
						   hh_fig_label(i)),
			.cols = PEER_COLS, .n_cols = 3, .cell = peer_cell, .ctx = &i,
			.own = peer_own
		};
		table_rows(r, &tp, row->peers, row->n_peers, sizeof(*row->peers));
		/* the spread in words too: the table is what is read */
		hh_buf_puts(b, "<p class=\"spread-words\">Median ");
		hh_value_da(b, peers ? row->median : NAN, FMT[i].fmt,
			    FMT[i].decimals, FMT[i].unit);
		hh_buf_puts(b, ", kvartiler ");
		hh_value_da(b, peers ? row->q1 : NAN, FMT[i].fmt, FMT[i].decimals,
			    FMT[i].unit);
		hh_buf_puts(b, " og ");
		hh_value_da(b, peers ? row->q3 : NAN, FMT[i].fmt, FMT[i].decimals,
			    FMT[i].unit);
		hh_buf_puts(b, ", fra ");
		hh_value_da(b, peers ? row->min : NAN, FMT[i].fmt, FMT[i].decimals,
			    FMT[i].unit);
		hh_buf_puts(b, " til ");
		hh_value_da(b, peers ? row->max : NAN, FMT[i].fmt, FMT[i].decimals,
			    FMT[i].unit);
		hh_buf_puts(b, ".</p>\n</section>\n");
	}
	csv_link(r, "/ledelse/benchmark", "indikatorer", "alle indikatorer");
	hh_buf_puts(b, "</section>\n");
	hh_page_end(r, 200);
}

/* ---- the public service levels ------------------------------------- */

struct levels {
	struct hh_req *r;
	struct hh_csv *csv;
	int n;
};

static void level_cell(struct hh_req *r, const void *ctx, const void *row,
		       int c)
{
	(void)ctx;
	const struct hh_fig_level *l = row;
	struct hh_buf *b = &r->resp;
	switch (c) {
	case 0:
		hh_page_text(r, l->name);
		break;
	case 1:
		if (l->deadline_days > 0)
			hh_buf_printf(b, "%d\xc2\xa0%s", l->deadline_days,
				      l->deadline_days == 1 ? "dag" : "dage");
		else
			hh_buf_puts(b, "Ingen frist");
		break;
	case 2:
		hh_num_da(b, (double)l->decided.num, 0);
		break;
	case 3:
		if (l->within.has)
			hh_value_da(b, l->within.value, HH_CHART_SHARE, 0, NULL);
		else
			hh_buf_puts(b, "Ingen afgørelser");
		break;
	default:
		if (l->median_days.has)
			hh_value_da(b, l->median_days.value, HH_CHART_NUMBER, 0,
				    "dage");
		else
			hh_buf_puts(b, "<span aria-hidden=\"true\">\xe2\x80\x93"
				       "</span><span class=\"visually-hidden\">"
				       "ingen data</span>");
	}
}

static const struct column LEVEL_COLS[] = {
	{ "Sagstype", CELL_LABEL }, { "Frist", CELL_NUM },
	{ "Afgjorte sager", CELL_NUM }, { "Afgjort inden for fristen", CELL_NUM },
	{ "Typisk behandlingstid (median)", CELL_NUM },
};

static const struct table LEVEL_TABLE = {
	.id = "tabel-frister",
	.caption = "Frister og overholdelse de seneste 12 måneder",
	.cols = LEVEL_COLS, .n_cols = sizeof(LEVEL_COLS) / sizeof(LEVEL_COLS[0]),
	.none = "Ingen sagstyper med frister", .cell = level_cell,
};

static enum hh_rc level_row(void *ctx, const struct hh_fig_level *l)
{
	struct levels *x = ctx;
	struct hh_req *r = x->r;
	x->n++;
	if (x->csv) {
		hh_csv_text(x->csv, l->case_type);
		hh_csv_text(x->csv, l->name);
		hh_csv_int(x->csv, l->deadline_days);
		hh_csv_int(x->csv, l->decided.num);
		hh_csv_num(x->csv, l->within.has ? l->within.value * 100.0 : NAN, 1);
		hh_csv_num(x->csv, l->median_days.has ? l->median_days.value : NAN, 1);
		hh_csv_end_row(x->csv);
		return HH_OK;
	}
	table_row(r, &LEVEL_TABLE, l);
	return HH_OK;
}

void hh_page_service_levels(struct hh_req *r)
{
	const char *code = hh_req_param(r, "org");
	const char *format = hh_req_query(r, "format");
	if (format && strcmp(format, "csv")) {
		hh_page_error(r, 400, "Formatet findes ikke",
			      "Tabellen kan hentes som CSV (format=csv).");
		return;
	}
	/* the last twelve months up to today: from the day after the same
	   day a year ago (after 29 February: 1 March) */
	int to = hh_figq_today(), from;
	{
		int64_t y;
		int m, d;
		hh_civil_from_days(hh_days_from_civil(to / 10000 - 1, to / 100 % 100,
						      to % 100) + 1,
				   &y, &m, &d);
		from = (int)(y * 10000 + m * 100 + d);
	}
	const char *org_name = NULL;
	struct hh_buf rows;
	hh_buf_init(&rows);
	struct hh_csv c;
	struct levels x = { .r = r };
	struct hh_buf keep = r->resp;
	if (format) {
		hh_csv_begin(&c, &rows);
		static const char *const head[] = { "Kode", "Sagstype", "Frist (dage)",
						    "Afgjorte", "Inden for frist (%)",
						    "Median (dage)" };
		for (size_t k = 0; k < sizeof(head) / sizeof(head[0]); k++)
			hh_csv_text(&c, head[k]);
		hh_csv_end_row(&c);
		x.csv = &c;
	} else {
		r->resp = rows;
	}
	enum hh_rc rc = hh_figures_service_levels(r->app->store, &r->arena, code,
						  from, to, &org_name, level_row, &x);
	if (!format) {
		rows = r->resp;
		r->resp = keep;
	}
	if (rc != HH_OK) {
		hh_buf_clear(&rows);
		busy_page(r, rc);
		return;
	}
	if (format) {
		struct hh_figq span = { .q = { .from_day = from, .to_day = to } };
		send_csv(r, &rows, hh_arena_printf(&r->arena, "sagsbehandlingstider-%s",
						   org_name ? org_name : code),
			 &span);
		return;
	}
	/* public and anonymous: the same for everyone, so caches may keep it
	   a short while; it updates itself as cases are decided */
	hh_resp_header(r, "Cache-Control", "public, max-age=300");
	const char *title = hh_arena_printf(&r->arena, "Sagsbehandlingstider hos %s",
					    org_name ? org_name : code);
	struct hh_page p = { .title = title,
			     .description = "Frister for sagsbehandling og hvor "
					    "ofte de blev overholdt de seneste "
					    "12 måneder." };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<h1>");
	hh_page_text(r, title);
	hh_buf_puts(b, "</h1>\n<p>Her er de frister, ");
	hh_page_text(r, org_name ? org_name : code);
	hh_buf_printf(b, " har sat for sagsbehandlingen, og hvor ofte fristen "
			 "blev overholdt for sager afgjort fra %s til og med "
			 "%s. Tiden, hvor en sag venter på svar fra dig, tæller "
			 "ikke med. Siden opdateres løbende.</p>\n",
		      hh_figq_day_da(&r->arena, from), hh_figq_day_da(&r->arena, to));
	table_begin(r, &LEVEL_TABLE);
	hh_buf_puts(b, hh_buf_str(&rows));
	hh_buf_clear(&rows);
	table_end(r, &LEVEL_TABLE, x.n);
	hh_buf_puts(b, "<p class=\"csv\"><a href=\"/serviceniveau/");
	hh_buf_urlenc(b, code);
	hh_buf_puts(b, "?format=csv\" download>Hent tabellen som CSV</a></p>\n");
	hh_page_end_org(r, 200, code);
}
