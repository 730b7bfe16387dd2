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

struct load_ctx {
	struct blanket *bl;
};

/* hh_case_type_def_clear as hh_arena_defer calls it. */
static void def_release(void *def)
{
	hh_case_type_def_clear(def);
}

static enum hh_rc load_tx(struct hh_tx *tx, void *p)
{
	struct blanket *bl = ((struct load_ctx *)p)->bl;
	struct hh_arena *a = &bl->r->arena;
	bl->def = NULL;
	struct hh_case_type_def *def = hh_arena_calloc(a, sizeof(*def));
	enum hh_rc rc = hh_case_type_load(tx, a, bl->code, 0, &bl->row, def);
	if (rc != HH_OK)
		return rc;
	hh_arena_defer(a, def_release, def);
	bl->def = def;
	if (!bl->row.public || !def->form || !json_array_size(def->fields))
		return HH_ERR_NOT_FOUND; /* not offered to citizens */
	return HH_OK;
}

/* Loads the case type, its organisation's name and the plan step the form
 * belongs to. Returns HH_OK or NOT_FOUND (render 404) or another error. */
static enum hh_rc load(struct blanket *bl, const char *forloeb, const char *trin)
{
	struct hh_req *r = bl->r;
	if (!bl->code || strlen(bl->code) > 80 || !hh_slug_valid(bl->code))
		return HH_ERR_NOT_FOUND;
	struct load_ctx c = { bl };
	enum hh_rc rc = hh_store_run_tx(r->app->store, 0, load_tx, &c);
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

static json_t *field_named(json_t *fields, const char *name)
{
	size_t i;
	json_t *f;
	json_array_foreach(fields, i, f)
	{
		const char *n = str(f, "name");
		if (n && name && !strcmp(n, name))
			return f;
	}
	return NULL;
}

/* The label of value v of a choice or yes/no field. */
static const char *option_label(json_t *f, const char *v)
{
	const char *type = str(f, "type");
	if (type && !strcmp(type, "yesno"))
		return !strcmp(v, "ja") ? "Ja" : !strcmp(v, "nej") ? "Nej" : v;
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(f, "options"), i, o)
	{
		const char *ov = str(o, "value");
		if (ov && !strcmp(ov, v))
			return str(o, "label") ?: v;
	}
	return v;
}

static int is_radio(json_t *f)
{
	const char *type = str(f, "type");
	return !strcmp(type, "yesno") ||
	       (!strcmp(type, "choice") &&
		json_array_size(json_object_get(f, "options")) <= RADIO_MAX);
}

/* The id a link to the field (error summary) goes to. */
static const char *field_anchor(struct hh_arena *a, json_t *f)
{
	const char *name = str(f, "name");
	return is_radio(f) ? hh_arena_printf(a, "f-%s-1", name)
			   : hh_arena_printf(a, "f-%s", name);
}

/* "Kun hvis du har svaret »Ja« til »Flytter der andre med dig?«." */
static const char *when_note(struct hh_arena *a, json_t *fields, json_t *f)
{
	json_t *when = json_object_get(f, "when");
	if (!when)
		return NULL;
	json_t *other = field_named(fields, str(when, "field"));
	json_t *eq = json_object_get(when, "equals");
	const char *v = json_is_string(eq) ? json_string_value(eq)
			: json_is_true(eq)  ? "ja"
			: json_is_false(eq) ? "nej"
					    : "";
	if (!other)
		return "Kun i visse tilfælde.";
	return hh_arena_printf(a, "Kun hvis du har svaret »%s« til »%s«.",
			       option_label(other, v), str(other, "label") ?: "");
}

static void text_attr(struct hh_req *r, const char *name, const char *value)
{
	if (!value)
		return;
	hh_buf_printf(&r->resp, " %s=\"", name);
	hh_page_text(r, value);
	hh_buf_putc(&r->resp, '"');
}

static void render_field(struct blanket *bl, json_t *f)
{
	struct hh_req *r = bl->r;
	struct hh_buf *b = &r->resp;
	struct hh_arena *a = &r->arena;
	const char *name = str(f, "name"), *type = str(f, "type");
	const char *label = str(f, "label") ?: name, *help = str(f, "help");
	if (!name || !type)
		return;
	int required = json_is_true(json_object_get(f, "required"));
	int conditional = json_object_get(f, "when") != NULL;
	const char *err = bl->res ? hh_form_error_for(bl->res, name) : NULL;
	const char *warn = bl->res ? hh_form_warning_for(bl->res, name) : NULL;
	const char *note = when_note(a, bl->def->fields, f);
	const char *value = str(bl->values, name);
	if (value && !hh_utf8_valid(value, strlen(value)))
		value = NULL; /* unreadable input is not shown back */
	const char *chosen = str(bl->files, name);
	int radio = is_radio(f);
	int is_file = !strcmp(type, "file");
	if (is_file) {
		/* the accepted types and size, from the definition, after any
		 * help of the field's own */
		json_int_t max = json_integer_value(json_object_get(f, "max_bytes"));
		if (max <= 0)
			max = 5 << 20;
		help = hh_arena_printf(a, "%s%sDu kan vedhæfte en %s på højst %lld MB.",
				       help ? help : "", help ? " " : "",
				       hh_form_file_kinds(a, f),
				       (long long)(max + (1 << 20) - 1) / (1 << 20));
	}
	if (!strcmp(type, "cpr") && !help)
		help = "Skriv 10 cifre, fx 010203-1234.";
	if (!strcmp(type, "date") && !help)
		help = "Skriv datoen, eller vælg den i kalenderen.";

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
	hh_page_text(r, label);
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
	const char *req_attr = required && !conditional ? " required" : "";
	const char *inv_attr = err ? " aria-invalid=\"true\"" : "";

	if (radio) {
		int yesno = !strcmp(type, "yesno");
		hh_buf_printf(b, "<div class=\"radios%s\">\n", yesno ? " inline" : "");
		static const char *const yn[][2] = { { "ja", "Ja" }, { "nej", "Nej" } };
		json_t *opts = json_object_get(f, "options");
		size_t n = yesno ? 2 : json_array_size(opts);
		for (size_t i = 0; i < n; i++) {
			json_t *o = yesno ? NULL : json_array_get(opts, i);
			const char *v = yesno ? yn[i][0] : str(o, "value");
			const char *l = yesno ? yn[i][1] : str(o, "label") ?: v;
			if (!v)
				continue;
			hh_buf_printf(b, "<div class=\"radio\"><input type=\"radio\" "
					 "id=\"f-%s-%zu\" name=\"%s\"",
				      name, i + 1, name);
			text_attr(r, "value", v);
			if (value && !strcmp(value, v))
				hh_buf_puts(b, " checked");
			hh_buf_printf(b, "%s><label for=\"f-%s-%zu\">", req_attr, name, i + 1);
			hh_page_text(r, l);
			hh_buf_puts(b, "</label></div>\n");
		}
		hh_buf_puts(b, "</div>\n</fieldset>\n</div>\n");
		return;
	}
	if (!strcmp(type, "choice")) {
		hh_buf_printf(b, "<select id=\"f-%s\" name=\"%s\"", name, name);
		text_attr(r, "aria-describedby", describedby);
		hh_buf_printf(b, "%s%s>\n<option value=\"\">Vælg</option>\n", req_attr,
			      inv_attr);
		size_t i;
		json_t *o;
		json_array_foreach(json_object_get(f, "options"), i, o)
		{
			const char *v = str(o, "value");
			if (!v)
				continue;
			hh_buf_puts(b, "<option");
			text_attr(r, "value", v);
			if (value && !strcmp(value, v))
				hh_buf_puts(b, " selected");
			hh_buf_puts(b, ">");
			hh_page_text(r, str(o, "label") ?: v);
			hh_buf_puts(b, "</option>\n");
		}
		hh_buf_puts(b, "</select>\n</div>\n");
		return;
	}
	if (!strcmp(type, "textarea")) {
		hh_buf_printf(b, "<textarea id=\"f-%s\" name=\"%s\" rows=\"5\"", name, name);
		text_attr(r, "aria-describedby", describedby);
		hh_buf_printf(b, "%s%s>", req_attr, inv_attr);
		hh_page_text(r, value ? value : "");
		hh_buf_puts(b, "</textarea>\n</div>\n");
		return;
	}
	hh_buf_printf(b, "<input id=\"f-%s\" name=\"%s\"", name, name);
	if (!strcmp(type, "number")) {
		hh_buf_puts(b, " type=\"text\" inputmode=\"decimal\" spellcheck=\"false\" "
			       "class=\"short\"");
	} else if (!strcmp(type, "date")) {
		hh_buf_puts(b, " type=\"date\" class=\"short\"");
		text_attr(r, "min", str(f, "min"));
		text_attr(r, "max", str(f, "max"));
	} else if (!strcmp(type, "cpr")) {
		hh_buf_puts(b, " type=\"text\" inputmode=\"numeric\" autocomplete=\"off\" "
			       "spellcheck=\"false\" class=\"short\"");
	} else if (!strcmp(type, "email")) {
		hh_buf_puts(b, " type=\"email\" autocomplete=\"email\" spellcheck=\"false\"");
	} else if (!strcmp(type, "phone")) {
		hh_buf_puts(b, " type=\"tel\" autocomplete=\"tel\" class=\"short\"");
	} else if (is_file) {
		hh_buf_puts(b, " type=\"file\"");
		json_t *accept = json_object_get(f, "accept"), *t;
		struct hh_buf acc;
		hh_buf_init(&acc);
		size_t i;
		json_array_foreach(accept, i, t) if (json_is_string(t))
		{
			if (acc.len)
				hh_buf_putc(&acc, ',');
			hh_buf_puts(&acc, json_string_value(t));
		}
		text_attr(r, "accept", acc.len ? hh_buf_str(&acc)
					       : "application/pdf,image/jpeg,image/png");
		hh_buf_clear(&acc);
	} else {
		hh_buf_puts(b, " type=\"text\"");
		if (!strcmp(type, "address"))
			hh_buf_puts(b, " class=\"wide\"");
	}
	if (!is_file)
		text_attr(r, "value", value ? value : "");
	text_attr(r, "aria-describedby", describedby);
	hh_buf_printf(b, "%s%s>\n</div>\n", req_attr, inv_attr);
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
	json_t *form = bl->def->form;
	const char *title = str(form, "title") ?: bl->def->name;
	const char *intro = str(form, "intro");
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
			json_t *f = field_named(bl->def->fields, bl->res->errors[i].field);
			if (!f)
				continue;
			hh_buf_printf(b, "<li><a href=\"#%s\">", field_anchor(a, f));
			label_then(r, str(f, "label"));
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
			json_t *f = field_named(bl->def->fields, bl->res->warnings[i].field);
			if (!f)
				continue;
			hh_buf_printf(b, "<li><a href=\"#%s\">", field_anchor(a, f));
			label_then(r, str(f, "label"));
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
	size_t i;
	json_t *f;
	json_array_foreach(bl->def->fields, i, f) if (!strcmp(str(f, "type") ?: "", "file"))
		has_file = 1;
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
	json_array_foreach(bl->def->fields, i, f)
		render_field(bl, f);
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

void hh_page_form(struct hh_req *r)
{
	struct blanket bl = { .r = r, .code = hh_req_param(r, "code") };
	const char *forloeb = hh_req_query(r, "forloeb");
	const char *trin = hh_req_query(r, "trin");
	bl.w = hh_borger_require(r, back_to(r, bl.code, forloeb, trin));
	if (!bl.w)
		return;
	enum hh_rc rc = load(&bl, forloeb, trin);
	if (rc != HH_OK) {
		load_failed(r, rc);
		return;
	}
	bl.skema = hh_arena_strdup(&r->arena, new_skema());
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
	size_t i;
	json_t *f;
	json_array_foreach(bl.def->fields, i, f)
	{
		const char *name = str(f, "name"), *type = str(f, "type");
		if (!name || !type)
			continue;
		if (!strcmp(type, "file")) {
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
	hh_form_validate(a, bl.def->fields, input, pre);
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
	};
	struct hh_form_result *res = hh_arena_calloc(a, sizeof(*res));
	struct hh_case c;
	int replayed = 0;
	const char *why = NULL;
	rc = hh_case_submit(r->app->store, a, &sub, res, &c, &replayed, &why);
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
	} else if (rc == HH_ERR_INVALID && why && !strcmp(why, "municipality")) {
		bl.org_name = NULL; /* rendered as "we do not know your municipality" */
		status = 409;
	} else if (rc == HH_ERR_INVALID) {
		hh_page_not_found(r); /* the case type or plan went away */
		return;
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
	json_array_foreach(bl.def->fields, i, f)
	{
		const char *name = str(f, "name");
		json_t *v = name ? json_object_get(input, name) : NULL;
		if (json_is_object(v)) {
			json_object_set(files, name, json_object_get(v, "name"));
			json_object_del(input, name);
		}
	}
	render(&bl, status);
}
