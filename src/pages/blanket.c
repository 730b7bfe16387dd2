/* blanket.c - a case type's form for the signed-in citizen: rendered from
 * the definition's form.fields, sent as multipart/form-data (files) or
 * urlencoded, validated by the domain (hh_form_validate) and turned into a
 * case by hh_case_submit().
 *
 * Works without JavaScript: conditional fields are always shown with a
 * note saying when they apply, and only validated then. Errors come back
 * with the input kept, a summary at the top that links to each field, and
 * the message beside the field (aria-describedby, aria-invalid).
 *
 * Warnings (a CPR number without modulus 11) do not stop a submission, but
 * the citizen sees them once before it is sent: the page comes back with
 * the warning and a hidden "bekraeft_<field>" holding the value warned
 * about; sending the same value again sends the form.
 *
 * A hidden "skema" token made when the form is rendered is the
 * submission's idempotency key, so a double click or a reload of the POST
 * gives the same case, not two. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "domain/auth.h"
#include "domain/cases.h"
#include "domain/plans.h"
#include "domain/reading.h" /* s-trap: the choice of a search */
#include "http/multipart.h"
#include "pages/borger.h"

#define MAX_PARTS 128
#define RADIO_MAX 5 /* a choice with more options is a <select> */

struct blanket {
	struct hh_req *r;
	const struct hh_principal *w;
	const char *code;
	struct hh_case_type row;
	struct hh_case_type_def *def;
	const char *org_name; /* NULL: the citizen's municipality is unknown */
	int64_t plan_id;
	const char *step, *plan_title, *step_title;
	json_t *answers;     /* borrowed: the plan's answers, or NULL */
	const char *skema;
	json_t *values;      /* borrowed: the citizen's input, as text */
	json_t *files;       /* borrowed: field → filename chosen (re-render) */
	const struct hh_form_result *res; /* NULL on first render */
	int confirm;         /* warnings to confirm before sending */
	const char *notice;  /* a general problem, Danish */
	/* the body */
	int multipart;
	struct hh_multipart_part *parts;
	int n_parts;
};

/* ---- loading --------------------------------------------------------- */

/* Loads the case type, its organisation's name and the plan step the form
 * belongs to. Returns HH_OK or NOT_FOUND (render 404) or another error. */
static enum hh_rc load(struct blanket *bl, const char *forloeb, const char *trin)
{
	struct hh_req *r = bl->r;
	if (!bl->code || strlen(bl->code) > 80 || !hh_slug_valid(bl->code))
		return HH_ERR_NOT_FOUND;
	enum hh_rc rc = hh_case_type_form(r->app->store, &r->arena, bl->code,
					  &bl->row, &bl->def);
	if (rc != HH_OK)
		return rc;
	struct hh_org_names orgs;
	rc = hh_org_names_load(r, &orgs);
	if (rc != HH_OK)
		return rc;
	const char *muni = bl->w->municipality_id
				   ? hh_org_names_by_id(&orgs, bl->w->municipality_id)
				   : NULL;
	bl->org_name = !strcmp(bl->def->organisation, "municipality")
			       ? muni
			       : hh_org_names_get(&orgs, bl->def->organisation, NULL);
	if (forloeb && *forloeb) {
		char *end;
		long long id = strtoll(forloeb, &end, 10);
		if (*end || id <= 0 || !trin || !*trin)
			return HH_ERR_NOT_FOUND;
		json_t *view;
		rc = hh_plan_view(r->app->store, &r->arena, bl->w->citizen_id, id, &view);
		if (rc != HH_OK)
			return rc; /* NOT_FOUND: not theirs */
		hh_arena_defer(&r->arena, hh_json_release, view);
		size_t i;
		json_t *s;
		json_array_foreach(json_object_get(view, "steps"), i, s)
		{
			const char *key = json_string_value(json_object_get(s, "key"));
			const char *ct = json_string_value(json_object_get(s, "case_type"));
			if (key && ct && !strcmp(key, trin) && !strcmp(ct, bl->code)) {
				bl->plan_id = id;
				bl->step = key;
				bl->step_title = json_string_value(json_object_get(s, "title"));
				bl->plan_title = json_string_value(json_object_get(view, "title"));
				bl->answers = json_object_get(view, "answers");
			}
		}
		if (!bl->plan_id)
			return HH_ERR_NOT_FOUND; /* no such step of this form */
	}
	return HH_OK;
}

/* ---- rendering ------------------------------------------------------- */

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* The label of value v of a choice or yes/no field. */
static const char *option_label(const struct hh_form_field *f, const char *v)
{
	if (f->type == HH_FIELD_YESNO)
		return !strcmp(v, "ja") ? "Ja" : !strcmp(v, "nej") ? "Nej" : v;
	for (int i = 0; i < f->n_options; i++)
		if (!strcmp(f->options[i].value, v))
			return f->options[i].label;
	return v;
}

static int is_radio(const struct hh_form_field *f)
{
	return f->type == HH_FIELD_YESNO ||
	       (f->type == HH_FIELD_CHOICE && f->n_options <= RADIO_MAX);
}

/* The id a link to the field (error summary) goes to. */
static const char *field_anchor(struct hh_arena *a, const struct hh_form_field *f)
{
	return is_radio(f) ? hh_arena_printf(a, "f-%s-1", f->name)
			   : hh_arena_printf(a, "f-%s", f->name);
}

/* "Kun hvis du har svaret »Ja« til »Flytter der andre med dig?«." */
static const char *when_note(struct hh_arena *a, const struct hh_form *form,
			     const struct hh_form_field *f)
{
	if (!f->when.n_terms)
		return NULL;
	struct hh_buf b;
	hh_buf_init(&b);
	hh_buf_puts(&b, "Kun hvis du har svaret ");
	for (int i = 0; i < f->when.n_terms; i++) {
		const struct hh_form_term *t = &f->when.terms[i];
		const struct hh_form_field *other = hh_form_field(form, t->field);
		if (i)
			hh_buf_puts(&b, " og ");
		for (int k = 0; k < t->n_equals; k++)
			hh_buf_printf(&b, "%s»%s«", k ? " eller " : "",
				      other ? option_label(other, t->equals[k])
					    : t->equals[k]);
		hh_buf_printf(&b, " til »%s«", other ? other->label : t->field);
	}
	hh_buf_putc(&b, '.');
	const char *s = hh_arena_strdup(a, hh_buf_str(&b));
	hh_buf_clear(&b);
	return s;
}

static void text_attr(struct hh_req *r, const char *name, const char *value)
{
	if (!value)
		return;
	hh_buf_printf(&r->resp, " %s=\"", name);
	hh_page_text(r, value);
	hh_buf_putc(&r->resp, '"');
}

/* ---- one control per field type ---------------------------------------- */

/* What a type's control needs. */
struct control {
	struct hh_req *r;
	const struct hh_form_field *f;
	const char *value;       /* the citizen's text, or NULL */
	const char *describedby; /* ids, or NULL */
	const char *req_attr, *inv_attr;
};

static void radios(const struct control *c)
{
	struct hh_req *r = c->r;
	struct hh_buf *b = &r->resp;
	const struct hh_form_field *f = c->f;
	int yesno = f->type == HH_FIELD_YESNO;
	static const struct hh_form_option yn[] = { { "ja", "Ja" }, { "nej", "Nej" } };
	const struct hh_form_option *opts = yesno ? yn : f->options;
	int n = yesno ? 2 : f->n_options;
	hh_buf_printf(b, "<div class=\"radios%s\">\n", yesno ? " inline" : "");
	for (int i = 0; i < n; i++) {
		hh_buf_printf(b, "<div class=\"radio\"><input type=\"radio\" "
				 "id=\"f-%s-%d\" name=\"%s\"",
			      f->name, i + 1, f->name);
		text_attr(r, "value", opts[i].value);
		if (c->value && !strcmp(c->value, opts[i].value))
			hh_buf_puts(b, " checked");
		hh_buf_printf(b, "%s><label for=\"f-%s-%d\">", c->req_attr, f->name, i + 1);
		hh_page_text(r, opts[i].label);
		hh_buf_puts(b, "</label></div>\n");
	}
	hh_buf_puts(b, "</div>\n");
}

static void select_list(const struct control *c)
{
	struct hh_req *r = c->r;
	struct hh_buf *b = &r->resp;
	const struct hh_form_field *f = c->f;
	hh_buf_printf(b, "<select id=\"f-%s\" name=\"%s\"", f->name, f->name);
	text_attr(r, "aria-describedby", c->describedby);
	hh_buf_printf(b, "%s%s>\n<option value=\"\">Vælg</option>\n", c->req_attr,
		      c->inv_attr);
	for (int i = 0; i < f->n_options; i++) {
		hh_buf_puts(b, "<option");
		text_attr(r, "value", f->options[i].value);
		if (c->value && !strcmp(c->value, f->options[i].value))
			hh_buf_puts(b, " selected");
		hh_buf_puts(b, ">");
		hh_page_text(r, f->options[i].label);
		hh_buf_puts(b, "</option>\n");
	}
	hh_buf_puts(b, "</select>\n");
}

static void c_choice(const struct control *c)
{
	if (is_radio(c->f))
		radios(c);
	else
		select_list(c);
}

static void c_textarea(const struct control *c)
{
	struct hh_buf *b = &c->r->resp;
	hh_buf_printf(b, "<textarea id=\"f-%s\" name=\"%s\" rows=\"5\"", c->f->name,
		      c->f->name);
	text_attr(c->r, "aria-describedby", c->describedby);
	hh_buf_printf(b, "%s%s>", c->req_attr, c->inv_attr);
	hh_page_text(c->r, c->value ? c->value : "");
	hh_buf_puts(b, "</textarea>\n");
}

/* An <input> with the type's attributes. */
static void input(const struct control *c, const char *attrs)
{
	struct hh_buf *b = &c->r->resp;
	hh_buf_printf(b, "<input id=\"f-%s\" name=\"%s\" %s", c->f->name, c->f->name,
		      attrs);
	if (c->f->type == HH_FIELD_DATE) {
		text_attr(c->r, "min", c->f->min_date);
		text_attr(c->r, "max", c->f->max_date);
	}
	if (c->f->type == HH_FIELD_FILE) {
		struct hh_buf acc;
		hh_buf_init(&acc);
		for (int i = 0; i < c->f->n_accept; i++)
			hh_buf_printf(&acc, "%s%s", i ? "," : "", c->f->accept[i]);
		text_attr(c->r, "accept", acc.len ? hh_buf_str(&acc)
						  : "application/pdf,image/jpeg,image/png");
		hh_buf_clear(&acc);
	} else {
		text_attr(c->r, "value", c->value ? c->value : "");
	}
	text_attr(c->r, "aria-describedby", c->describedby);
	hh_buf_printf(b, "%s%s>\n", c->req_attr, c->inv_attr);
}

static void c_text(const struct control *c) { input(c, "type=\"text\""); }
static void c_address(const struct control *c) { input(c, "type=\"text\" class=\"wide\""); }
static void c_number(const struct control *c)
{
	input(c, "type=\"text\" inputmode=\"decimal\" spellcheck=\"false\" class=\"short\"");
}
static void c_date(const struct control *c) { input(c, "type=\"date\" class=\"short\""); }
static void c_cpr(const struct control *c)
{
	input(c, "type=\"text\" inputmode=\"numeric\" autocomplete=\"off\" "
		 "spellcheck=\"false\" class=\"short\"");
}
static void c_email(const struct control *c)
{
	input(c, "type=\"email\" autocomplete=\"email\" spellcheck=\"false\"");
}
static void c_phone(const struct control *c)
{
	input(c, "type=\"tel\" autocomplete=\"tel\" class=\"short\"");
}
static void c_file(const struct control *c) { input(c, "type=\"file\""); }

/* The HTML of each field type: its control, and the hint it has when the
 * form gives none. Indexed by the domain's enum hh_field_type. */
static const struct {
	void (*control)(const struct control *c);
	const char *hint;
} html[HH_FIELD_TYPES] = {
	[HH_FIELD_TEXT] = { c_text, NULL },
	[HH_FIELD_TEXTAREA] = { c_textarea, NULL },
	[HH_FIELD_NUMBER] = { c_number, NULL },
	/* inputmode decimal: the phone's keypad has the comma */
	[HH_FIELD_AMOUNT] = { c_number, "Skriv beløbet i kroner, fx 6.500 eller 6.500,50." },
	[HH_FIELD_DATE] = { c_date, "Skriv datoen, eller vælg den i kalenderen." },
	[HH_FIELD_CHOICE] = { c_choice, NULL },
	[HH_FIELD_YESNO] = { radios, NULL },
	[HH_FIELD_CPR] = { c_cpr, "Skriv 10 cifre, fx 010203-1234." },
	[HH_FIELD_ADDRESS] = { c_address, NULL },
	[HH_FIELD_EMAIL] = { c_email, NULL },
	[HH_FIELD_PHONE] = { c_phone, NULL },
	[HH_FIELD_FILE] = { c_file, NULL },
};

static void render_field(struct blanket *bl, const struct hh_form_field *f)
{
	struct hh_req *r = bl->r;
	struct hh_buf *b = &r->resp;
	struct hh_arena *a = &r->arena;
	const char *name = f->name, *help = f->help;
	int required = f->required;
	int conditional = f->when.n_terms > 0;
	const char *err = bl->res ? hh_form_error_for(bl->res, name) : NULL;
	const char *warn = bl->res ? hh_form_warning_for(bl->res, name) : NULL;
	const char *note = when_note(a, &bl->def->form_def, f);
	const char *value = str(bl->values, name);
	if (value && !hh_utf8_valid(value, strlen(value)))
		value = NULL; /* unreadable input is not shown back */
	const char *chosen = str(bl->files, name);
	int radio = is_radio(f);
	if (f->type == HH_FIELD_FILE) /* the types and size, after any help of
					 the field's own */
		help = hh_arena_printf(a, "%s%sDu kan vedhæfte en %s på højst %lld MB.",
				       help ? help : "", help ? " " : "",
				       hh_form_file_kinds(a, f),
				       (long long)(f->max_bytes + (1 << 20) - 1) / (1 << 20));
	if (!help)
		help = html[f->type].hint;

	/* the ids that describe the field */
	struct hh_buf desc;
	hh_buf_init(&desc);
	if (help)
		hh_buf_printf(&desc, " f-%s-hjaelp", name);
	if (note)
		hh_buf_printf(&desc, " f-%s-kun", name);
	if (chosen)
		hh_buf_printf(&desc, " f-%s-igen", name);
	if (err)
		hh_buf_printf(&desc, " f-%s-fejl", name);
	if (warn)
		hh_buf_printf(&desc, " f-%s-advarsel", name);
	const char *describedby = desc.len ? hh_arena_strdup(a, hh_buf_str(&desc) + 1) : NULL;
	hh_buf_clear(&desc);

	hh_buf_printf(b, "<div class=\"field%s%s%s\">\n", err ? " has-error" : "",
		      warn && !err ? " has-warning" : "", conditional ? " conditional" : "");
	if (radio) {
		hh_buf_puts(b, "<fieldset role=\"radiogroup\"");
		text_attr(r, "aria-describedby", describedby);
		if (err)
			hh_buf_puts(b, " aria-invalid=\"true\"");
		if (required && !conditional)
			hh_buf_puts(b, " aria-required=\"true\"");
		hh_buf_puts(b, ">\n<legend>");
	} else {
		hh_buf_printf(b, "<label for=\"f-%s\">", name);
	}
	hh_page_text(r, f->label);
	if (!required)
		hh_buf_puts(b, " <span class=\"optional\">(valgfrit)</span>");
	hh_buf_puts(b, radio ? "</legend>\n" : "</label>\n");
	if (help) {
		hh_buf_printf(b, "<p class=\"hint\" id=\"f-%s-hjaelp\">", name);
		hh_page_text(r, help);
		hh_buf_puts(b, "</p>\n");
	}
	if (note) {
		hh_buf_printf(b, "<p class=\"when-note\" id=\"f-%s-kun\">", name);
		hh_page_text(r, note);
		hh_buf_puts(b, "</p>\n");
	}
	if (chosen) {
		hh_buf_printf(b, "<p class=\"hint\" id=\"f-%s-igen\">Du havde valgt "
				 "»",
			      name);
		hh_page_text(r, chosen);
		hh_buf_puts(b, "«. Vælg filen igen, før du sender – vi gemmer den "
			       "først, når blanketten er sendt.</p>\n");
	}
	if (err) {
		hh_buf_printf(b, "<p class=\"field-error\" id=\"f-%s-fejl\"><span "
				 "class=\"visually-hidden\">Fejl: </span>",
			      name);
		hh_page_text(r, err);
		hh_buf_puts(b, "</p>\n");
	}
	if (warn) {
		hh_buf_printf(b, "<p class=\"field-warning\" id=\"f-%s-advarsel\"><span "
				 "class=\"visually-hidden\">Advarsel: </span>",
			      name);
		hh_page_text(r, warn);
		hh_buf_puts(b, "</p>\n");
	}
	struct control c = { .r = r, .f = f, .value = value, .describedby = describedby,
			     .req_attr = required && !conditional ? " required" : "",
			     .inv_attr = err ? " aria-invalid=\"true\"" : "" };
	html[f->type].control(&c);
	hh_buf_puts(b, radio ? "</fieldset>\n</div>\n" : "</div>\n");
}

/* p-agree: one field of def's form as the form page shows it, for the
 * change of an agreement (pages/agreement.c): values (text by name) and
 * res's errors as on a re-shown form. */
void hh_borger_form_field(struct hh_req *r, const struct hh_case_type_def *def,
			  const struct hh_form_field *f, json_t *values,
			  const struct hh_form_result *res)
{
	struct blanket bl;
	memset(&bl, 0, sizeof(bl));
	bl.r = r;
	bl.def = (struct hh_case_type_def *)def;
	bl.values = values;
	bl.res = res;
	render_field(&bl, f);
}

const char *hh_borger_field_anchor(struct hh_arena *a, const struct hh_form_field *f)
{
	return field_anchor(a, f);
}

/* "Navn: " or "Hvornår flytter du? " before a message in a summary. */
static void label_then(struct hh_req *r, const char *label)
{
	size_t n = label ? strlen(label) : 0;
	if (!n)
		return;
	hh_page_text(r, label);
	hh_buf_puts(&r->resp, strchr("?.!:", label[n - 1]) ? " " : ": ");
}

static void render(struct blanket *bl, int status)
{
	struct hh_req *r = bl->r;
	struct hh_buf *b = &r->resp;
	struct hh_arena *a = &r->arena;
	const struct hh_form *form = &bl->def->form_def;
	const char *title = form->title ? form->title : bl->def->name;
	const char *intro = form->intro;
	hh_resp_header(r, "Cache-Control", "no-store");
	struct hh_page p = { .title = bl->res && bl->res->n_errors
					      ? hh_arena_printf(a, "Fejl: %s", title)
					      : title,
			     .description = bl->def->description };
	hh_page_begin(r, &p);
	hh_buf_puts(b, "<nav class=\"crumbs\" aria-label=\"Brødkrummer\"><ol>"
		       "<li><a href=\"/\">Forside</a></li>");
	if (bl->plan_id) {
		hh_buf_puts(b, "<li><a href=\"/mit-overblik\">Mit overblik</a></li>");
		hh_buf_printf(b, "<li><a href=\"/mit-overblik/forloeb/%lld\">",
			      (long long)bl->plan_id);
		hh_page_text(r, bl->plan_title);
		hh_buf_puts(b, "</a></li>");
	}
	hh_buf_puts(b, "<li aria-current=\"page\">");
	hh_page_text(r, title);
	hh_buf_puts(b, "</li></ol></nav>\n");

	/* the error summary comes first, so it is what one meets */
	int n_err = bl->res ? bl->res->n_errors : 0;
	int n_warn = bl->res ? bl->res->n_warnings : 0;
	if (n_err) {
		hh_buf_puts(b, "<div class=\"error-summary\" role=\"alert\" "
			       "aria-labelledby=\"fejl-h\" tabindex=\"-1\">\n"
			       "<h2 id=\"fejl-h\">Der er et problem</h2>\n<p>Ret det "
			       "markerede, og send igen. Det, du har skrevet, er "
			       "ikke gået tabt.</p>\n<ul>\n");
		for (int i = 0; i < n_err; i++) {
			const struct hh_form_field *f =
				hh_form_field(form, bl->res->errors[i].field);
			if (!f)
				continue;
			hh_buf_printf(b, "<li><a href=\"#%s\">", field_anchor(a, f));
			label_then(r, f->label);
			hh_page_text(r, bl->res->errors[i].message);
			hh_buf_puts(b, "</a></li>\n");
		}
		hh_buf_puts(b, "</ul>\n</div>\n");
	} else if (bl->confirm && n_warn) {
		hh_buf_puts(b, "<div class=\"warning-summary\" role=\"alert\" "
			       "aria-labelledby=\"advarsel-h\" tabindex=\"-1\">\n"
			       "<h2 id=\"advarsel-h\">Tjek dine oplysninger, før du "
			       "sender</h2>\n<p>Noget ser usædvanligt ud. Ret det, "
			       "eller tryk <strong>Send</strong> igen, hvis det er "
			       "rigtigt.</p>\n<ul>\n");
		for (int i = 0; i < n_warn; i++) {
			const struct hh_form_field *f =
				hh_form_field(form, bl->res->warnings[i].field);
			if (!f)
				continue;
			hh_buf_printf(b, "<li><a href=\"#%s\">", field_anchor(a, f));
			label_then(r, f->label);
			hh_page_text(r, bl->res->warnings[i].message);
			hh_buf_puts(b, "</a></li>\n");
		}
		hh_buf_puts(b, "</ul>\n</div>\n");
	}
	if (bl->notice) {
		hh_buf_puts(b, "<div class=\"error\" role=\"alert\"><p>");
		hh_page_text(r, bl->notice);
		hh_buf_puts(b, "</p></div>\n");
	}

	hh_buf_puts(b, "<h1>");
	hh_page_text(r, title);
	hh_buf_puts(b, "</h1>\n");
	if (intro) {
		hh_buf_puts(b, "<p class=\"lead\">");
		hh_page_text(r, intro);
		hh_buf_puts(b, "</p>\n");
	}
	hh_buf_puts(b, "<dl class=\"facts\">\n<dt>Sendes til</dt><dd>");
	hh_page_text(r, bl->org_name ? bl->org_name : "Din kommune");
	hh_buf_puts(b, "</dd>\n");
	const char *dur = hh_borger_duration(a, bl->def->deadline, bl->def->deadline_s);
	if (dur) {
		hh_buf_puts(b, "<dt>Svartid</dt><dd>Du får svar inden for ");
		hh_page_text(r, dur);
		hh_buf_puts(b, "</dd>\n");
	}
	if (bl->plan_id) {
		hh_buf_puts(b, "<dt>Del af dit forløb</dt><dd>");
		hh_page_text(r, bl->plan_title);
		hh_buf_puts(b, ": ");
		hh_page_text(r, bl->step_title);
		hh_buf_puts(b, "</dd>\n");
	}
	hh_buf_puts(b, "</dl>\n");
	if (!bl->org_name) {
		hh_buf_puts(b, "<p class=\"notice\">Vi kender ikke din kommune, så "
			       "blanketten kan ikke sendes herfra. Kontakt "
			       "Borgerservice i din kommune.</p>\n");
		hh_page_end(r, status == 200 ? 409 : status);
		return;
	}

	int has_file = 0;
	for (int i = 0; i < form->n_fields; i++)
		has_file |= form->fields[i].type == HH_FIELD_FILE;
	hh_buf_puts(b, "<form class=\"form wide blanket\" method=\"post\" action=\"/blanket/");
	hh_buf_urlenc(b, bl->code);
	hh_buf_printf(b, "\"%s novalidate>\n",
		      has_file ? " enctype=\"multipart/form-data\"" : "");
	hh_borger_csrf_field(r);
	hh_buf_puts(b, "<input type=\"hidden\" name=\"skema\" value=\"");
	hh_page_text(r, bl->skema);
	hh_buf_puts(b, "\">\n");
	if (bl->plan_id) {
		hh_buf_printf(b, "<input type=\"hidden\" name=\"forloeb\" value=\"%lld\">\n",
			      (long long)bl->plan_id);
		hh_buf_puts(b, "<input type=\"hidden\" name=\"trin\" value=\"");
		hh_page_text(r, bl->step);
		hh_buf_puts(b, "\">\n");
	}
	/* the values warned about, so that sending them again confirms them */
	for (int k = 0; bl->confirm && k < n_warn; k++) {
		const char *v = str(bl->values, bl->res->warnings[k].field);
		if (!v)
			continue;
		hh_buf_puts(b, "<input type=\"hidden\" name=\"bekraeft_");
		hh_page_text(r, bl->res->warnings[k].field);
		hh_buf_puts(b, "\" value=\"");
		hh_page_text(r, v);
		hh_buf_puts(b, "\">\n");
	}
	hh_buf_puts(b, "<p class=\"hint\">Felter markeret med (valgfrit) behøver "
		       "du ikke udfylde.</p>\n");
	for (int i = 0; i < form->n_fields; i++)
		render_field(bl, &form->fields[i]);
	hh_buf_puts(b, "<button type=\"submit\">Send</button>\n</form>\n");
	hh_page_end(r, status);
}

/* ---- the handlers ---------------------------------------------------- */

static const char *new_skema(void)
{
	static _Thread_local char token[HH_TOKEN_CHARS];
	unsigned char unused[32];
	hh_auth_new_token(token, unused);
	return token;
}

static const char *back_to(struct hh_req *r, const char *code, const char *forloeb,
			   const char *trin)
{
	struct hh_buf b;
	hh_buf_init(&b);
	hh_buf_puts(&b, "/blanket/");
	hh_buf_urlenc(&b, code ? code : "");
	if (forloeb && trin) {
		hh_buf_puts(&b, "?forloeb=");
		hh_buf_urlenc(&b, forloeb);
		hh_buf_puts(&b, "&trin=");
		hh_buf_urlenc(&b, trin);
	}
	const char *s = hh_arena_strdup(&r->arena, hh_buf_str(&b));
	hh_buf_clear(&b);
	return s;
}

static void load_failed(struct hh_req *r, enum hh_rc rc)
{
	if (rc == HH_ERR_NOT_FOUND)
		hh_page_not_found(r);
	else
		hh_page_error(r, 503, "Blanketten kan ikke vises lige nu",
			      "Der opstod en fejl hos os. Prøv igen om lidt.");
}

/* The plan's answers fill the fields of the same name, where the field
 * takes them as they are: the citizen who said in the plan that there are
 * children need not say it again. */
static void prefill(struct blanket *bl)
{
	struct hh_arena *a = &bl->r->arena;
	const struct hh_form *form = &bl->def->form_def;
	if (!bl->answers)
		return;
	json_t *values = json_object();
	hh_arena_defer(a, hh_json_release, values);
	for (int i = 0; i < form->n_fields; i++) {
		const struct hh_form_field *f = &form->fields[i];
		const struct hh_field_ops *ops = &hh_field_ops[f->type];
		json_t *v = json_object_get(bl->answers, f->name);
		const char *text = v ? ops->coerce(a, v) : NULL;
		if (!text || f->type == HH_FIELD_FILE)
			continue;
		struct hh_field_check c = { .a = a, .field = f, .input = v, .text = text };
		ops->validate(&c);
		json_decref(c.value);
		if (!c.error)
			json_object_set_new(values, f->name, json_string(text));
	}
	bl->values = values;
}

/* s-trap: a form opened from a search's results (?s=) answered that
 * search, also when the citizen must sign in before filling it in (the
 * search found what was sought); a code that is no form records
 * nothing. */
static void record_choice(struct hh_req *r, const char *code)
{
	const char *sid = hh_req_query(r, "s");
	int64_t search_id = sid ? strtoll(sid, NULL, 10) : 0;
	if (search_id <= 0 || !code || strlen(code) > 80 || !hh_slug_valid(code))
		return;
	struct hh_case_type row;
	struct hh_case_type_def *def;
	if (hh_case_type_form(r->app->store, &r->arena, code, &row, &def) == HH_OK)
		hh_reading_opened_doc(HH_DOC_SERVICE, row.id, search_id);
}

void hh_page_form(struct hh_req *r)
{
	struct blanket bl = { .r = r, .code = hh_req_param(r, "code") };
	const char *forloeb = hh_req_query(r, "forloeb");
	const char *trin = hh_req_query(r, "trin");
	record_choice(r, bl.code);
	bl.w = hh_borger_require(r, back_to(r, bl.code, forloeb, trin));
	if (!bl.w)
		return;
	enum hh_rc rc = load(&bl, forloeb, trin);
	if (rc != HH_OK) {
		load_failed(r, rc);
		return;
	}
	bl.skema = hh_arena_strdup(&r->arena, new_skema());
	prefill(&bl);
	render(&bl, 200);
}

/* A form value of the body (urlencoded or multipart), or NULL. */
static const char *value_of(struct blanket *bl, const char *name)
{
	if (!bl->multipart)
		return hh_req_form(bl->r, name);
	for (int i = 0; i < bl->n_parts; i++) {
		const struct hh_multipart_part *p = &bl->parts[i];
		if (p->filename || strcmp(p->name, name))
			continue;
		char *s = hh_arena_strndup(&bl->r->arena, (const char *)p->data, p->size);
		/* a NUL byte would cut the text short: make it invalid UTF-8,
		 * so validation says it cannot be read */
		for (size_t k = 0; k < p->size; k++)
			if (!s[k])
				s[k] = (char)0xC0;
		return s;
	}
	return NULL;
}

static const struct hh_multipart_part *file_of(struct blanket *bl, const char *name)
{
	for (int i = 0; bl->multipart && i < bl->n_parts; i++) {
		const struct hh_multipart_part *p = &bl->parts[i];
		if (p->filename && !strcmp(p->name, name))
			return p;
	}
	return NULL;
}

/* The file part as the JSON value hh_form_validate expects:
 * {"name", "content_type", "data": base64} (new reference). */
static json_t *file_json(struct hh_arena *a, const struct hh_multipart_part *p)
{
	const char *name = p->filename;
	for (const char *s = p->filename; *s; s++)
		if (*s == '/' || *s == '\\')
			name = s + 1; /* old browsers send the whole path */
	size_t len = sodium_base64_ENCODED_LEN(p->size, sodium_base64_VARIANT_ORIGINAL);
	char *b64 = hh_arena_alloc(a, len);
	sodium_bin2base64(b64, len, p->data, p->size, sodium_base64_VARIANT_ORIGINAL);
	return json_pack("{s:s, s:s, s:s}", "name", name, "content_type",
			 p->content_type && *p->content_type ? p->content_type
							     : "application/octet-stream",
			 "data", b64);
}

static int skema_ok(const char *s)
{
	if (!s || strlen(s) != HH_TOKEN_CHARS - 1)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

void hh_page_form_post(struct hh_req *r)
{
	struct blanket bl = { .r = r, .code = hh_req_param(r, "code") };
	struct hh_arena *a = &r->arena;
	bl.w = hh_borger_require(r, back_to(r, bl.code, NULL, NULL));
	if (!bl.w)
		return;
	const char *ct = hh_req_header(r, "Content-Type");
	if (ct && !strncasecmp(ct, "multipart/form-data", 19)) {
		bl.multipart = 1;
		bl.parts = hh_arena_alloc(a, MAX_PARTS * sizeof(*bl.parts));
		if (hh_multipart_parse(a, ct, r->body.data, r->body.len, bl.parts,
				       MAX_PARTS, &bl.n_parts) != HH_OK) {
			hh_page_error(r, 400, "Blanketten kunne ikke læses",
				      "Det, din browser sendte, kunne vi ikke læse. "
				      "Gå tilbage, og prøv at sende igen.");
			return;
		}
	} else if (!ct || strncasecmp(ct, "application/x-www-form-urlencoded", 33)) {
		hh_page_error(r, 415, "Blanketten kunne ikke læses",
			      "Det, din browser sendte, kunne vi ikke læse. Gå "
			      "tilbage, og prøv at sende igen.");
		return;
	}
	enum hh_rc rc = load(&bl, value_of(&bl, "forloeb"), value_of(&bl, "trin"));
	if (rc != HH_OK) {
		load_failed(r, rc);
		return;
	}
	const char *skema = value_of(&bl, "skema");
	bl.skema = skema_ok(skema) ? skema : hh_arena_strdup(a, new_skema());

	/* the input: the form's own fields only */
	json_t *input = json_object(), *files = json_object();
	hh_arena_defer(a, hh_json_release, input);
	hh_arena_defer(a, hh_json_release, files);
	bl.values = input;
	bl.files = files;
	const struct hh_form *form = &bl.def->form_def;
	for (int i = 0; i < form->n_fields; i++) {
		const char *name = form->fields[i].name;
		if (form->fields[i].type == HH_FIELD_FILE) {
			const struct hh_multipart_part *p = file_of(&bl, name);
			if (!p || (!p->size && !*p->filename))
				continue; /* no file chosen */
			json_object_set_new(input, name, file_json(a, p));
			continue;
		}
		const char *v = value_of(&bl, name);
		if (v)
			json_object_set_new(input, name, json_string_nocheck(v));
	}

	int status;
	if (!hh_csrf_ok(r, value_of(&bl, "csrf"))) {
		/* the session changed since the form was shown: nothing is
		 * sent, but nothing the citizen wrote is thrown away */
		bl.notice = "Siden var udløbet, så blanketten blev ikke sendt. Tjek "
			    "oplysningerne, og tryk Send igen.";
		status = 403;
		goto rerender;
	}

	struct hh_form_result *pre = hh_arena_calloc(a, sizeof(*pre));
	hh_form_validate(a, form, input, pre);
	hh_arena_defer(a, hh_json_release, pre->values);
	bl.res = pre;
	if (pre->n_errors) {
		status = 422;
		goto rerender;
	}
	/* warnings are shown once; the same value sent again confirms it */
	for (int k = 0; k < pre->n_warnings; k++) {
		const char *field = pre->warnings[k].field;
		const char *sent = value_of(&bl, hh_arena_printf(a, "bekraeft_%s", field));
		const char *now = str(input, field);
		if (!sent || !now || strcmp(sent, now))
			bl.confirm = 1;
	}
	if (bl.confirm) {
		status = 200;
		goto rerender;
	}

	struct hh_submission sub = {
		.case_type = bl.code,
		.citizen_id = bl.w->citizen_id,
		.municipality_id = bl.w->municipality_id,
		.plan_id = bl.plan_id,
		.step = bl.step,
		.values = input,
		.idem_scope = hh_arena_printf(a, "citizen:%lld", (long long)bl.w->citizen_id),
		.idem_key = bl.skema,
		.actor = bl.w->actor,
		.public_only = 1,
		.loa = bl.w->loa,
	};
	struct hh_form_result *res = hh_arena_calloc(a, sizeof(*res));
	struct hh_case c;
	int replayed = 0;
	const char *why = NULL;
	enum hh_submit_fault fault = HH_SUBMIT_FINE;
	rc = hh_case_submit(r->app->store, a, &sub, res, &c, &replayed, &why, &fault);
	if (res->values)
		hh_arena_defer(a, hh_json_release, res->values);
	if (rc == HH_OK) {
		hh_resp_header(r, "Cache-Control", "no-store");
		hh_resp_redirect(r, 303, hh_arena_printf(a, "/mit-overblik/sag/%lld?sendt=1",
							 (long long)c.id));
		return;
	}
	if (rc == HH_ERR_INVALID && res->n_errors) {
		bl.res = res;
		status = 422;
	} else if (rc == HH_ERR_INVALID && fault == HH_SUBMIT_MUNICIPALITY) {
		bl.org_name = NULL; /* rendered as "we do not know your municipality" */
		status = 409;
	} else if (rc == HH_ERR_FORBIDDEN && fault == HH_SUBMIT_ASSURANCE) {
		bl.notice = "Blanketten beder om CPR-numre. Derfor skal du være "
			    "logget ind med MitID på betydeligt eller højt "
			    "sikringsniveau. Log ud, og log ind igen med MitID "
			    "for at sende den.";
		status = 403;
	} else if (rc == HH_ERR_INVALID) {
		hh_page_not_found(r); /* the case type or plan went away */
		return;
	} else if (rc == HH_ERR_CONFLICT && fault == HH_SUBMIT_KEY_REUSED) {
		/* this form was sent once already, with other answers (the
		 * browser's back button, then a change): not sent again */
		bl.notice = "Blanketten er allerede sendt med andre oplysninger. Se "
			    "sagen under Mit overblik, eller åbn blanketten igen "
			    "for at sende en ny.";
		status = 422;
	} else {
		if (rc != HH_ERR_BUSY)
			hh_log(HH_LOG_WARN, "form %s: submit failed: %s", bl.code,
			       hh_rc_name(rc));
		bl.notice = "Vi kunne ikke sende blanketten lige nu. Det, du har "
			    "skrevet, er ikke gået tabt. Prøv at trykke Send igen om "
			    "lidt.";
		status = 503;
	}
rerender:
	/* a file input cannot be filled in again: name what was chosen */
	for (int i = 0; i < form->n_fields; i++) {
		const char *name = form->fields[i].name;
		json_t *v = json_object_get(input, name);
		if (json_is_object(v)) {
			json_object_set(files, name, json_object_get(v, "name"));
			json_object_del(input, name);
		}
	}
	render(&bl, status);
}
