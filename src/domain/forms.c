/* forms.c - typed form definitions: parsing, the one condition evaluator,
 * validation with Danish messages, and the driver over hh_field_ops[]
 * (the per-type rows are in fields.c). */
#include "domain/forms.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* ---- parsing ------------------------------------------------------------ */

static int type_of(const char *name, enum hh_field_type *out)
{
	for (int t = 0; name && t < HH_FIELD_TYPES; t++)
		if (!strcmp(hh_field_ops[t].name, name)) {
			*out = (enum hh_field_type)t;
			return 1;
		}
	return 0;
}

/* The text a condition compares with: a string, or true/false as ja/nej. */
static const char *cond_text(json_t *v)
{
	return json_is_string(v) ? json_string_value(v)
	       : json_is_true(v) ? "ja"
	       : json_is_false(v) ? "nej"
				  : NULL;
}

static int cond_term(json_t *t, const struct hh_form *form, const char *self,
		     struct hh_form_cond *out)
{
	const char *field = str(t, "field");
	json_t *eq = json_object_get(t, "equals");
	const struct hh_form_field *f = field ? hh_form_field(form, field) : NULL;
	if (!f || (self && !strcmp(field, self)) || out->n_terms >= HH_FORM_MAX_TERMS)
		return 0;
	/* a file has no text to compare, and an amount is kept in øre */
	if (f->type == HH_FIELD_FILE || f->type == HH_FIELD_AMOUNT)
		return 0;
	struct hh_form_term *term = &out->terms[out->n_terms];
	term->field = f->name;
	term->n_equals = 0;
	if (json_is_array(eq)) {
		size_t i;
		json_t *v;
		if (!json_array_size(eq) || json_array_size(eq) > HH_FORM_MAX_EQUALS)
			return 0;
		json_array_foreach(eq, i, v)
		{
			if (!cond_text(v))
				return 0;
			term->equals[term->n_equals++] = cond_text(v);
		}
	} else {
		if (!cond_text(eq))
			return 0;
		term->equals[term->n_equals++] = cond_text(eq);
	}
	out->n_terms++;
	return 1;
}

enum hh_rc hh_form_cond_parse(json_t *when, const struct hh_form *form,
			      const char *self, struct hh_form_cond *out,
			      char *err, size_t errsz)
{
	memset(out, 0, sizeof(*out));
	if (!when)
		return HH_OK;
	int ok = 1;
	if (json_is_array(when)) {
		size_t i;
		json_t *t;
		ok = json_array_size(when) > 0;
		json_array_foreach(when, i, t) ok = ok && cond_term(t, form, self, out);
	} else {
		ok = cond_term(when, form, self, out);
	}
	if (!ok) {
		snprintf(err, errsz, "when names no other field");
		return HH_ERR_INVALID;
	}
	return HH_OK;
}

/* One field's limits, by type. Returns 0 with err set when wrong. */
static int parse_limits(json_t *j, struct hh_form_field *f, char *err,
			size_t errsz)
{
	json_t *minl = json_object_get(j, "min_length");
	json_t *maxl = json_object_get(j, "max_length");
	if ((minl && (!json_is_integer(minl) || json_integer_value(minl) < 0)) ||
	    (maxl && (!json_is_integer(maxl) || json_integer_value(maxl) < 1))) {
		snprintf(err, errsz, "field '%s': lengths are whole numbers", f->name);
		return 0;
	}
	f->min_length = json_integer_value(minl);
	f->max_length = maxl ? json_integer_value(maxl)
		       : f->type == HH_FIELD_TEXTAREA ? 5000
						      : 200;
	json_t *mn = json_object_get(j, "min"), *mx = json_object_get(j, "max");
	switch (f->type) {
	case HH_FIELD_NUMBER:
	case HH_FIELD_AMOUNT:
		if ((mn && !json_is_number(mn)) || (mx && !json_is_number(mx))) {
			snprintf(err, errsz, "field '%s': min and max are numbers",
				 f->name);
			return 0;
		}
		f->has_min = mn != NULL;
		f->has_max = mx != NULL;
		f->min = json_number_value(mn);
		f->max = json_number_value(mx);
		if (f->type == HH_FIELD_AMOUNT) {
			/* written in kroner, compared in øre */
			if (fabs(f->min) > HH_AMOUNT_MAX_ORE / 100 ||
			    fabs(f->max) > HH_AMOUNT_MAX_ORE / 100) {
				snprintf(err, errsz, "field '%s': min or max too big",
					 f->name);
				return 0;
			}
			f->min_ore = llround(f->min * 100);
			f->max_ore = llround(f->max * 100);
		}
		break;
	case HH_FIELD_DATE:
		f->min_date = str(j, "min");
		f->max_date = str(j, "max");
		break;
	case HH_FIELD_CPR: {
		/* r-agree: a child's CPR number (a custody agreement is
		 * about a child under 18) */
		json_t *age = json_object_get(j, "max_age");
		if (age && (!json_is_integer(age) || json_integer_value(age) < 1 ||
			    json_integer_value(age) > 150)) {
			snprintf(err, errsz, "field '%s': max_age is a whole number of "
				 "years, 1 to 150", f->name);
			return 0;
		}
		f->max_age = (int)json_integer_value(age);
		break;
	}
	case HH_FIELD_FILE: {
		json_t *mb = json_object_get(j, "max_bytes");
		f->max_bytes = json_integer_value(mb) > 0 ? json_integer_value(mb)
							  : 5 << 20;
		json_t *acc = json_object_get(j, "accept"), *t;
		size_t i;
		if (acc && (!json_is_array(acc) ||
			    json_array_size(acc) > HH_FORM_MAX_ACCEPT)) {
			snprintf(err, errsz, "field '%s': accept lists at most %d types",
				 f->name, HH_FORM_MAX_ACCEPT);
			return 0;
		}
		json_array_foreach(acc, i, t) if (json_is_string(t))
			f->accept[f->n_accept++] = json_string_value(t);
		break;
	}
	default:
		break;
	}
	return 1;
}

static int parse_options(json_t *j, struct hh_form *form,
			 struct hh_form_field *f, char *err, size_t errsz)
{
	json_t *opts = json_object_get(j, "options"), *o;
	if (!json_array_size(opts)) {
		snprintf(err, errsz, "field '%s': a choice needs options", f->name);
		return 0;
	}
	f->options = &form->options[form->n_options];
	size_t i;
	json_array_foreach(opts, i, o)
	{
		const char *v = str(o, "value");
		if (!v || !*v) {
			snprintf(err, errsz, "field '%s': option %zu needs a value",
				 f->name, i + 1);
			return 0;
		}
		if (form->n_options >= HH_FORM_MAX_OPTIONS) {
			snprintf(err, errsz, "at most %d options in a form",
				 HH_FORM_MAX_OPTIONS);
			return 0;
		}
		struct hh_form_option *op = &form->options[form->n_options++];
		op->value = v;
		op->label = str(o, "label") ? str(o, "label") : v;
		f->n_options++;
	}
	return 1;
}

static int name_ok(const char *name)
{
	if (!name || !*name || strlen(name) > 40)
		return 0;
	return 1;
}

/* One field (without its condition, which needs every name). */
static int parse_field(json_t *j, size_t i, struct hh_form *form,
		       struct hh_form_field *f, char *err, size_t errsz)
{
	memset(f, 0, sizeof(*f));
	f->name = str(j, "name");
	if (!name_ok(f->name)) {
		snprintf(err, errsz, "field %zu needs a name", i + 1);
		return 0;
	}
	for (const char *p = f->name; *p; p++)
		if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) ||
		      *p == '_')) {
			snprintf(err, errsz, "field '%s': names use a-z, 0-9, _",
				 f->name);
			return 0;
		}
	if (!type_of(str(j, "type"), &f->type)) {
		snprintf(err, errsz, "field '%s': unknown type", f->name);
		return 0;
	}
	f->label = str(j, "label");
	if (!f->label) {
		snprintf(err, errsz, "field '%s' needs a label", f->name);
		return 0;
	}
	f->help = str(j, "help");
	f->required = json_is_true(json_object_get(j, "required"));
	if (f->type == HH_FIELD_CHOICE && !parse_options(j, form, f, err, errsz))
		return 0;
	return parse_limits(j, f, err, errsz);
}

enum hh_rc hh_form_parse(json_t *form, struct hh_form *out, char *err,
			 size_t errsz)
{
	memset(out, 0, sizeof(*out));
	if (!form)
		return HH_OK;
	if (!json_is_object(form)) {
		snprintf(err, errsz, "form must be an object");
		return HH_ERR_INVALID;
	}
	out->present = 1;
	out->title = str(form, "title");
	out->intro = str(form, "intro");
	json_t *fields = json_object_get(form, "fields"), *j;
	if (fields && !json_is_array(fields)) {
		snprintf(err, errsz, "fields must be a list");
		return HH_ERR_INVALID;
	}
	if (json_array_size(fields) > HH_FORM_MAX_FIELDS) {
		snprintf(err, errsz, "at most %d fields", HH_FORM_MAX_FIELDS);
		return HH_ERR_INVALID;
	}
	size_t i;
	int n_files = 0;
	json_array_foreach(fields, i, j)
	{
		struct hh_form_field *f = &out->fields[out->n_fields];
		if (!parse_field(j, i, out, f, err, errsz))
			return HH_ERR_INVALID;
		if (hh_form_field(out, f->name)) {
			snprintf(err, errsz, "field '%s' appears twice", f->name);
			return HH_ERR_INVALID;
		}
		/* hh_form_validate keeps the bytes of at most this many */
		if (f->type == HH_FIELD_FILE && ++n_files > HH_FORM_MAX_FILES) {
			snprintf(err, errsz, "at most %d file fields", HH_FORM_MAX_FILES);
			return HH_ERR_INVALID;
		}
		out->n_fields++;
	}
	/* conditions, now that every name is known */
	json_array_foreach(fields, i, j)
	{
		struct hh_form_field *f = &out->fields[i];
		char why[128];
		if (hh_form_cond_parse(json_object_get(j, "when"), out, f->name,
				       &f->when, why, sizeof(why)) != HH_OK) {
			snprintf(err, errsz, "field '%s': %s", f->name, why);
			return HH_ERR_INVALID;
		}
	}
	return HH_OK;
}

int hh_form_def_ok(json_t *fields, char *err, size_t errsz)
{
	if (!fields)
		return 1;
	struct hh_form *form = hh_xmalloc(sizeof(*form));
	json_t *wrap = json_pack("{s:O}", "fields", fields);
	enum hh_rc rc = hh_form_parse(wrap, form, err, errsz);
	json_decref(wrap);
	free(form);
	return rc == HH_OK;
}

const struct hh_form_field *hh_form_field(const struct hh_form *form,
					  const char *name)
{
	for (int i = 0; name && i < form->n_fields; i++)
		if (!strcmp(form->fields[i].name, name))
			return &form->fields[i];
	return NULL;
}

/* ---- conditions --------------------------------------------------------- */

int hh_form_cond_holds(const struct hh_form_cond *c, json_t *values)
{
	for (int i = 0; i < c->n_terms; i++) {
		json_t *v = json_object_get(values, c->terms[i].field);
		/* sent values are strings, numbers or booleans; kept ones
		 * strings and numbers: read each as the text a citizen types */
		char num[32];
		const char *have = cond_text(v);
		if (!have && json_is_integer(v)) {
			snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
			have = num;
		}
		int any = 0;
		for (int k = 0; have && k < c->terms[i].n_equals; k++)
			any |= !strcmp(have, c->terms[i].equals[k]);
		if (!any)
			return 0;
	}
	return 1;
}

int hh_form_field_applies(const struct hh_form_field *f, json_t *values)
{
	return hh_form_cond_holds(&f->when, values);
}

/* ---- validation --------------------------------------------------------- */

static void msg(struct hh_arena *a, struct hh_form_msg *list, int *n,
		const char *field, const char *text)
{
	if (*n >= HH_FORM_MAX_MSGS)
		return;
	list[*n].field = hh_arena_strdup(a, field);
	list[*n].message = hh_arena_strdup(a, text);
	(*n)++;
}

static int blank(const char *s)
{
	for (; s && *s; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

static const char *trim(struct hh_arena *a, const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return hh_arena_strndup(a, s, n);
}

/* One applicable field: what the citizen sent, checked by its type. */
static void check_field(struct hh_arena *a, const struct hh_form_field *f,
			json_t *v, struct hh_form_result *res)
{
	const struct hh_field_ops *ops = &hh_field_ops[f->type];
	struct hh_field_check c = { .a = a, .field = f, .input = v };
	if (f->type != HH_FIELD_FILE) {
		c.text = v ? ops->coerce(a, v) : NULL;
		if (v && !c.text) {
			c.error = f->type == HH_FIELD_AMOUNT
					  ? "Skriv beløbet som tekst i kroner, fx "
					    "\"6.500\" eller \"6.500,50\"."
					  : "Værdien har en forkert form.";
			goto done;
		}
		if (c.text && blank(c.text))
			c.text = NULL;
		if (c.text && !hh_utf8_valid(c.text, strlen(c.text))) {
			c.error = "Teksten indeholder tegn, vi ikke kan læse.";
			goto done;
		}
		if (c.text)
			c.text = trim(a, c.text);
	}
	if (!v || (f->type == HH_FIELD_FILE ? 0 : !c.text)) {
		if (f->required)
			c.error = f->type == HH_FIELD_FILE ? "Vedhæft en fil."
				  : f->type == HH_FIELD_CHOICE || f->type == HH_FIELD_YESNO
					  ? "Vælg en af mulighederne."
					  : "Feltet skal udfyldes.";
		goto done;
	}
	ops->validate(&c);
done:
	if (c.error)
		msg(a, res->errors, &res->n_errors, f->name, c.error);
	if (c.warning)
		msg(a, res->warnings, &res->n_warnings, f->name, c.warning);
	if (c.value && !c.error) {
		json_object_set_new(res->values, f->name, c.value);
		c.value = NULL;
		if (c.file.data && res->n_files < HH_FORM_MAX_FILES)
			res->files[res->n_files++] = c.file;
	}
	json_decref(c.value);
}

int hh_form_validate(struct hh_arena *a, const struct hh_form *form,
		     json_t *input, struct hh_form_result *res)
{
	memset(res, 0, sizeof(*res));
	res->values = json_object();
	const char *key;
	json_t *val;
	json_object_foreach(input, key, val) if (!hh_form_field(form, key))
		msg(a, res->errors, &res->n_errors, key,
		    "Feltet findes ikke i blanketten.");
	for (int i = 0; i < form->n_fields; i++) {
		const struct hh_form_field *f = &form->fields[i];
		if (!hh_form_field_applies(f, input))
			continue;
		json_t *v = json_object_get(input, f->name);
		check_field(a, f, json_is_null(v) ? NULL : v, res);
	}
	if (!res->n_errors) {
		res->display = hh_form_values_display(form, res->values);
		hh_arena_defer(a, hh_json_release, res->display);
	}
	return res->n_errors;
}

const char *hh_form_error_for(const struct hh_form_result *res,
			      const char *field)
{
	for (int i = 0; i < res->n_errors; i++)
		if (!strcmp(res->errors[i].field, field))
			return res->errors[i].message;
	return NULL;
}

const char *hh_form_warning_for(const struct hh_form_result *res,
				const char *field)
{
	for (int i = 0; i < res->n_warnings; i++)
		if (!strcmp(res->warnings[i].field, field))
			return res->warnings[i].message;
	return NULL;
}

/* ---- for people and for Open311 ----------------------------------------- */

const char *hh_form_value_display(struct hh_arena *a,
				  const struct hh_form_field *f, json_t *kept)
{
	if (!kept || json_is_null(kept))
		return "";
	const char *s = hh_field_ops[f->type].display(a, f, kept);
	return s ? s : "";
}

json_t *hh_form_values_display(const struct hh_form *form, json_t *data)
{
	struct hh_arena scratch, *a = &scratch;
	hh_arena_init(a);
	json_t *out = json_object();
	for (int i = 0; i < form->n_fields; i++) {
		const struct hh_form_field *f = &form->fields[i];
		json_t *v = json_object_get(data, f->name);
		if (v && !json_is_null(v))
			json_object_set_new(out, f->name,
					    json_string(hh_form_value_display(a, f, v)));
	}
	hh_arena_clear(a);
	return out;
}

const char *hh_form_field_describe(struct hh_arena *a,
				   const struct hh_form_field *f)
{
	struct hh_buf b;
	hh_buf_init(&b);
	hh_field_ops[f->type].open311_describe(&b, f);
	for (int i = 0; i < f->when.n_terms; i++) {
		hh_buf_printf(&b, "%s, når attribute[%s] er ",
			      i ? " og" : f->required ? " Skal udfyldes" : " Gælder kun",
			      f->when.terms[i].field);
		for (int k = 0; k < f->when.terms[i].n_equals; k++)
			hh_buf_printf(&b, "%s\"%s\"", k ? " eller " : "",
				      f->when.terms[i].equals[k]);
	}
	if (f->when.n_terms)
		hh_buf_putc(&b, '.');
	if (f->help)
		hh_buf_printf(&b, " %s", f->help);
	const char *s = hh_arena_strdup(a, hh_buf_str(&b));
	hh_buf_clear(&b);
	return s;
}
