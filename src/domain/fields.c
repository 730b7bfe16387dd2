/* fields.c - one row per field type: how a sent value reads as text, how
 * it is checked and kept, how it reads to people and to Open311 clients.
 * The driver (hh_form_validate) is in forms.c; HTML is in pages/blanket.c. */
#include "domain/forms.h"

#include <ctype.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dktime.h"
#include "core/util.h"
#include "domain/cpr.h"

/* ---- coerce ------------------------------------------------------------- */

/* Strings as they are, numbers in full, booleans as ja/nej. */
static const char *coerce_any(struct hh_arena *a, json_t *v)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		return hh_arena_printf(a, "%lld", (long long)json_integer_value(v));
	if (json_is_real(v))
		return hh_arena_printf(a, "%.15g", json_real_value(v));
	if (json_is_true(v))
		return "ja";
	if (json_is_false(v))
		return "nej";
	return NULL;
}

/* Money only as text: a bare JSON number could be kroner or øre. */
static const char *coerce_string(struct hh_arena *a, json_t *v)
{
	(void)a;
	return json_string_value(v);
}

static const char *coerce_none(struct hh_arena *a, json_t *v)
{
	(void)a;
	(void)v;
	return NULL;
}

/* ---- validate ----------------------------------------------------------- */

static void keep(struct hh_field_check *c, const char *s)
{
	c->value = json_string(s);
}

static int lengths_ok(struct hh_field_check *c, size_t chars)
{
	const struct hh_form_field *f = c->field;
	if (f->min_length && (int64_t)chars < f->min_length) {
		c->error = hh_arena_printf(c->a, "Skriv mindst %lld tegn.",
					   (long long)f->min_length);
		return 0;
	}
	if ((int64_t)chars > f->max_length) {
		c->error = hh_arena_printf(c->a, "Skriv højst %lld tegn (du har skrevet %zu).",
					   (long long)f->max_length, chars);
		return 0;
	}
	return 1;
}

static void v_text(struct hh_field_check *c)
{
	if (strchr(c->text, '\n')) {
		c->error = "Skriv teksten på én linje.";
		return;
	}
	if (lengths_ok(c, hh_utf8_len(c->text)))
		keep(c, c->text);
}

static void v_textarea(struct hh_field_check *c)
{
	if (lengths_ok(c, hh_utf8_len(c->text)))
		keep(c, c->text);
}

/* A street, a number and a four-digit postcode. */
static void v_address(struct hh_field_check *c)
{
	size_t chars = hh_utf8_len(c->text);
	if (!lengths_ok(c, chars))
		return;
	int digits = 0, has_pc = 0, run = 0;
	for (const char *p = c->text;; p++) {
		if (isdigit((unsigned char)*p)) {
			digits++;
			run++;
			continue;
		}
		if (run == 4)
			has_pc = 1;
		run = 0;
		if (!*p)
			break;
	}
	if (chars < 8 || !digits || !has_pc) {
		c->error = "Skriv hele adressen: vej, husnummer, postnummer og by.";
		return;
	}
	keep(c, c->text);
}

static void v_number(struct hh_field_check *c)
{
	const struct hh_form_field *f = c->field;
	char *dot = hh_arena_strdup(c->a, c->text), *end;
	for (char *p = dot; *p; p++)
		if (*p == ',')
			*p = '.'; /* Danish decimal comma */
	double d = strtod(dot, &end);
	/* strtod also reads C's hexadecimal ("0x10"), which no citizen means */
	if (end == dot || *end || !isfinite(d) || strpbrk(dot, "xX")) {
		c->error = "Skriv et tal.";
		return;
	}
	if (f->has_min && d < f->min) {
		c->error = hh_arena_printf(c->a, "Tallet skal være mindst %g.", f->min);
		return;
	}
	if (f->has_max && d > f->max) {
		c->error = hh_arena_printf(c->a, "Tallet må højst være %g.", f->max);
		return;
	}
	c->value = d == floor(d) && fabs(d) < 1e15 ? json_integer((json_int_t)d)
						   : json_real(d);
}

#define AMOUNT_FORMS "fx 6500, 6.500, 6 500 eller 6.500,50"

static void v_amount(struct hh_field_check *c)
{
	const struct hh_form_field *f = c->field;
	int64_t ore = 0;
	char lim[HH_AMOUNT_SIZE];
	switch (hh_amount_parse(c->text, &ore)) {
	case HH_AMOUNT_OK:
		break;
	case HH_AMOUNT_AMBIGUOUS:
		c->error = "Beløbet kan læses på to måder. Brug punktum mellem "
			   "tusinder og komma før ørerne, " AMOUNT_FORMS
			   " (6,50 er seks kroner og halvtreds øre).";
		return;
	case HH_AMOUNT_NEGATIVE:
		c->error = "Beløbet kan ikke være negativt. Skriv beløbet i kroner, "
			   AMOUNT_FORMS ".";
		return;
	case HH_AMOUNT_TOO_BIG:
		c->error = "Beløbet er for stort. Tjek, at du har skrevet det rigtigt.";
		return;
	case HH_AMOUNT_MALFORMED:
	default:
		c->error = "Skriv beløbet i kroner, " AMOUNT_FORMS ".";
		return;
	}
	if (f->has_min && ore < f->min_ore) {
		hh_amount_format(f->min_ore, lim);
		c->error = hh_arena_printf(c->a, "Beløbet skal være mindst %s", lim);
		return;
	}
	if (f->has_max && ore > f->max_ore) {
		hh_amount_format(f->max_ore, lim);
		c->error = hh_arena_printf(c->a, "Beløbet må højst være %s", lim);
		return;
	}
	c->value = json_integer(ore);
}

static int parse_date(const char *s, int *y, int *m, int *d)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return 0;
	*y = atoi(s);
	*m = atoi(s + 5);
	*d = atoi(s + 8);
	static const int md[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (*m < 1 || *m > 12 || *d < 1 || *d > md[*m - 1])
		return 0;
	if (*m == 2 && *d == 29 &&
	    !((*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0))
		return 0;
	return 1;
}

static void v_date(struct hh_field_check *c)
{
	const struct hh_form_field *f = c->field;
	int y, m, d;
	if (!parse_date(c->text, &y, &m, &d)) {
		c->error = "Skriv en gyldig dato som ÅÅÅÅ-MM-DD, fx 2026-03-01.";
		return;
	}
	if (f->min_date && strcmp(c->text, f->min_date) < 0) {
		c->error = hh_arena_printf(c->a, "Datoen må tidligst være %s.", f->min_date);
		return;
	}
	if (f->max_date && strcmp(c->text, f->max_date) > 0) {
		c->error = hh_arena_printf(c->a, "Datoen må senest være %s.", f->max_date);
		return;
	}
	keep(c, c->text);
}

static void v_choice(struct hh_field_check *c)
{
	const struct hh_form_field *f = c->field;
	for (int i = 0; i < f->n_options; i++)
		if (!strcmp(f->options[i].value, c->text)) {
			keep(c, c->text);
			return;
		}
	c->error = "Vælg en af mulighederne.";
}

static void v_yesno(struct hh_field_check *c)
{
	if (strcmp(c->text, "ja") && strcmp(c->text, "nej")) {
		c->error = "Svar ja eller nej.";
		return;
	}
	keep(c, c->text);
}

/* The age in whole years on today's Danish date of someone born on
 * y-m-d (a birthday on 29 February counts from 1 March in other years). */
static int age_today(int y, int m, int d)
{
	int64_t ty;
	int tm, td;
	hh_civil_from_days(hh_dk_local(hh_now_us() / 1000000) / 86400, &ty, &tm, &td);
	return (int)(ty - y) - (tm < m || (tm == m && td < d));
}

static void v_cpr(struct hh_field_check *c)
{
	char norm[12];
	int year = 0;
	enum hh_cpr_check checked = hh_cpr_check(c->text, norm, &year, 0);
	if (c->field->max_age && checked <= HH_CPR_OK_NO_MOD11 &&
	    age_today(year, (norm[2] - '0') * 10 + norm[3] - '0',
		      (norm[0] - '0') * 10 + norm[1] - '0') >= c->field->max_age) {
		c->error = hh_arena_printf(c->a, "Personen med dette CPR-nummer skal "
					   "være under %d år.", c->field->max_age);
		return;
	}
	switch (checked) {
	case HH_CPR_BAD_FORM:
		c->error = "Skriv CPR-nummeret med 10 cifre, fx 010203-1234.";
		return;
	case HH_CPR_BAD_DATE:
		c->error = "Datoen i CPR-nummeret findes ikke. Tjek de første 6 cifre.";
		return;
	case HH_CPR_BAD_CENTURY:
	case HH_CPR_FUTURE:
		c->error = "CPR-nummeret passer ikke: fødselsdatoen og det 7. ciffer "
			   "giver en dato i fremtiden.";
		return;
	case HH_CPR_OK_NO_MOD11:
		c->warning = "CPR-nummeret består ikke den gamle modulus 11-kontrol. "
			     "Det kan sagtens være rigtigt – tjek det en ekstra gang.";
		break;
	case HH_CPR_OK:
		break;
	}
	keep(c, norm);
}

static void v_email(struct hh_field_check *c)
{
	const char *s = c->text, *at = strchr(s, '@');
	if (!at || at == s || !strchr(at, '.') || strchr(at + 1, '@') ||
	    at[strlen(at) - 1] == '.' || strchr(s, ' ') || hh_utf8_len(s) > 254) {
		c->error = "Skriv en gyldig e-mailadresse, fx navn@eksempel.dk.";
		return;
	}
	keep(c, s);
}

static void v_phone(struct hh_field_check *c)
{
	int digits = 0, bad = 0;
	for (const char *p = c->text; *p; p++) {
		if (isdigit((unsigned char)*p))
			digits++;
		else if (*p != ' ' && *p != '+' && *p != '-')
			bad = 1;
	}
	if (bad || digits < 8 || digits > 15) {
		c->error = "Skriv et telefonnummer med 8 cifre, fx 12 34 56 78.";
		return;
	}
	keep(c, c->text);
}

static int magic_ok(const char *ctype, const unsigned char *d, size_t n)
{
	if (!strcmp(ctype, "application/pdf"))
		return n >= 5 && !memcmp(d, "%PDF-", 5);
	if (!strcmp(ctype, "image/jpeg"))
		return n >= 3 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff;
	if (!strcmp(ctype, "image/png"))
		return n >= 8 && !memcmp(d, "\x89PNG\r\n\x1a\n", 8);
	return 0;
}

/* The size cap in a unit that does not overstate it: rounding 500 kB up
 * to "1 MB" would tell the citizen a file of 900 kB is fine. */
static const char *too_big(struct hh_arena *a, int64_t max)
{
	if (max % (1 << 20) == 0)
		return hh_arena_printf(a, "Filen er for stor. Den må højst fylde %lld MB.",
				       (long long)(max >> 20));
	if (max >= 1024)
		return hh_arena_printf(a, "Filen er for stor. Den må højst fylde %lld kB.",
				       (long long)(max / 1024));
	return hh_arena_printf(a, "Filen er for stor. Den må højst fylde %lld byte.",
			       (long long)max);
}

/* The kinds of file helhed can check, by media type and as people name
 * them. */
static const char *const file_kinds[][2] = { { "application/pdf", "PDF" },
					     { "image/jpeg", "JPEG" },
					     { "image/png", "PNG" } };
#define N_FILE_KINDS (sizeof(file_kinds) / sizeof(file_kinds[0]))

const char *hh_form_file_kinds(struct hh_arena *a,
			       const struct hh_form_field *f)
{
	const char *names[N_FILE_KINDS];
	size_t n = 0;
	for (size_t k = 0; k < N_FILE_KINDS; k++) {
		int listed = !f->n_accept; /* no list: every kind helhed checks */
		for (int i = 0; i < f->n_accept; i++)
			listed |= !strcmp(f->accept[i], file_kinds[k][0]);
		if (listed)
			names[n++] = file_kinds[k][1];
	}
	if (!n) /* nothing helhed can check: name what it can */
		return "PDF-, JPEG- eller PNG-fil";
	/* "PDF-, JPEG- eller PNG-fil" */
	const char *out = "";
	for (size_t k = 0; k < n; k++)
		out = hh_arena_printf(a, "%s%s%s%s", out, names[k],
				      k + 1 == n ? "-fil" : "-",
				      k + 2 == n ? " eller " : k + 1 < n ? ", " : "");
	return out;
}

static int accepted(const struct hh_form_field *f, const char *ctype)
{
	if (!f->n_accept)
		return !strcmp(ctype, "application/pdf") ||
		       !strcmp(ctype, "image/jpeg") || !strcmp(ctype, "image/png");
	for (int i = 0; i < f->n_accept; i++)
		if (!strcmp(f->accept[i], ctype))
			return 1;
	return 0;
}

static void v_file(struct hh_field_check *c)
{
	json_t *v = c->input;
	const char *fname = json_string_value(json_object_get(v, "name"));
	const char *ctype = json_string_value(json_object_get(v, "content_type"));
	const char *b64 = json_string_value(json_object_get(v, "data"));
	if (!json_is_object(v) || !fname || !ctype || !b64) {
		c->error = "Vedhæft en fil.";
		return;
	}
	int64_t max = c->field->max_bytes;
	size_t b64len = strlen(b64);
	if (b64len / 4 * 3 > (size_t)max + 3) {
		c->error = too_big(c->a, max);
		return;
	}
	unsigned char *data = hh_arena_alloc(c->a, b64len / 4 * 3 + 3);
	size_t n = 0;
	if (sodium_base642bin(data, b64len / 4 * 3 + 3, b64, b64len, NULL, &n, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0) {
		c->error = "Filen kunne ikke læses. Prøv at vedhæfte den igen.";
		return;
	}
	if ((int64_t)n > max) {
		c->error = too_big(c->a, max);
		return;
	}
	if (!accepted(c->field, ctype) || !magic_ok(ctype, data, n)) {
		c->error = hh_arena_printf(c->a, "Filtypen er ikke tilladt. Vedhæft en %s.",
					   hh_form_file_kinds(c->a, c->field));
		return;
	}
	if (strlen(fname) > 200 || !hh_utf8_valid(fname, strlen(fname))) {
		c->error = "Filnavnet er for langt eller ugyldigt.";
		return;
	}
	/* in the arena, not borrowed from the form: a submission retried
	 * after BUSY keeps its files but parses the case type again */
	c->file = (struct hh_form_file){ .field = hh_arena_strdup(c->a, c->field->name),
					 .name = hh_arena_strdup(c->a, fname),
					 .content_type = hh_arena_strdup(c->a, ctype),
					 .data = data,
					 .size = n };
	c->value = json_pack("{s:s, s:s, s:I}", "name", fname, "content_type", ctype,
			     "size", (json_int_t)n);
}

/* ---- display ------------------------------------------------------------ */

static const char *d_text(struct hh_arena *a, const struct hh_form_field *f,
			  json_t *v)
{
	(void)f;
	const char *s = json_string_value(v);
	return s ? s : coerce_any(a, v);
}

/* Danish decimals: a comma. */
static const char *d_number(struct hh_arena *a, const struct hh_form_field *f,
			    json_t *v)
{
	(void)f;
	if (json_is_integer(v))
		return hh_arena_printf(a, "%lld", (long long)json_integer_value(v));
	if (!json_is_real(v))
		return d_text(a, f, v);
	char *s = hh_arena_printf(a, "%g", json_real_value(v));
	for (char *p = s; *p; p++)
		if (*p == '.')
			*p = ',';
	return s;
}

static const char *d_amount(struct hh_arena *a, const struct hh_form_field *f,
			    json_t *v)
{
	if (!json_is_integer(v))
		return d_text(a, f, v);
	char s[HH_AMOUNT_SIZE];
	hh_amount_format(json_integer_value(v), s);
	return hh_arena_strdup(a, s);
}

/* "1. marts 2026" */
static const char *d_date(struct hh_arena *a, const struct hh_form_field *f,
			  json_t *v)
{
	int y, m, d;
	const char *s = json_string_value(v);
	if (!s || !parse_date(s, &y, &m, &d))
		return d_text(a, f, v);
	/* noon UTC is the same date in Denmark */
	return hh_date_da(a, hh_days_from_civil(y, m, d) * 86400 + 12 * 3600);
}

static const char *d_choice(struct hh_arena *a, const struct hh_form_field *f,
			    json_t *v)
{
	const char *s = json_string_value(v);
	for (int i = 0; s && i < f->n_options; i++)
		if (!strcmp(f->options[i].value, s))
			return f->options[i].label;
	return d_text(a, f, v);
}

static const char *d_yesno(struct hh_arena *a, const struct hh_form_field *f,
			   json_t *v)
{
	const char *s = coerce_any(a, v);
	return s && !strcmp(s, "ja") ? "Ja" : s && !strcmp(s, "nej") ? "Nej" : s;
}

static const char *d_file(struct hh_arena *a, const struct hh_form_field *f,
			  json_t *v)
{
	(void)f;
	const char *name = json_string_value(json_object_get(v, "name"));
	json_t *size = json_object_get(v, "size");
	if (!name)
		return "";
	if (!json_is_integer(size))
		return name;
	return hh_arena_printf(a, "%s (%lld byte)", name,
			       (long long)json_integer_value(size));
}

/* ---- Open311 ------------------------------------------------------------ */

static void o_text(struct hh_buf *b, const struct hh_form_field *f)
{
	hh_buf_puts(b, f->type == HH_FIELD_TEXT ? "Tekst på én linje" : "Tekst");
	if (f->min_length)
		hh_buf_printf(b, " på %lld til %lld tegn.", (long long)f->min_length,
			      (long long)f->max_length);
	else
		hh_buf_printf(b, " på højst %lld tegn.", (long long)f->max_length);
}

static void o_address(struct hh_buf *b, const struct hh_form_field *f)
{
	(void)f;
	hh_buf_puts(b, "Adresse med vej, husnummer, postnummer og by, "
		       "fx Torvet 1, 9000 Aalborg.");
}

static void o_email(struct hh_buf *b, const struct hh_form_field *f)
{
	(void)f;
	hh_buf_puts(b, "E-mailadresse, fx navn@eksempel.dk.");
}

static void o_phone(struct hh_buf *b, const struct hh_form_field *f)
{
	(void)f;
	hh_buf_puts(b, "Telefonnummer med 8 cifre, fx 12 34 56 78.");
}

static void o_cpr(struct hh_buf *b, const struct hh_form_field *f)
{
	(void)f;
	hh_buf_puts(b, "CPR-nummer med 10 cifre, fx 010203-1234.");
}

static void o_number(struct hh_buf *b, const struct hh_form_field *f)
{
	hh_buf_puts(b, "Et tal (decimaler med punktum eller komma)");
	if (f->has_min && f->has_max)
		hh_buf_printf(b, " fra %g til %g", f->min, f->max);
	else if (f->has_min)
		hh_buf_printf(b, " på mindst %g", f->min);
	else if (f->has_max)
		hh_buf_printf(b, " på højst %g", f->max);
	hh_buf_putc(b, '.');
}

static void o_amount(struct hh_buf *b, const struct hh_form_field *f)
{
	char lim[HH_AMOUNT_SIZE];
	hh_buf_puts(b, "Beløb i kroner med punktum mellem tusinder og komma "
		       "før ørerne, " AMOUNT_FORMS);
	if (f->has_min) {
		hh_amount_format(f->min_ore, lim);
		hh_buf_printf(b, ", mindst %s", lim);
	}
	if (f->has_max) {
		hh_amount_format(f->max_ore, lim);
		hh_buf_printf(b, ", højst %s", lim);
	}
	if (!f->has_min && !f->has_max)
		hh_buf_putc(b, '.');
}

static void o_date(struct hh_buf *b, const struct hh_form_field *f)
{
	hh_buf_puts(b, "Dato som ÅÅÅÅ-MM-DD, fx 2026-03-01");
	if (f->min_date)
		hh_buf_printf(b, ", tidligst %s", f->min_date);
	if (f->max_date)
		hh_buf_printf(b, ", senest %s", f->max_date);
	hh_buf_putc(b, '.');
}

static void o_choice(struct hh_buf *b, const struct hh_form_field *f)
{
	(void)f;
	hh_buf_puts(b, "Én af værdierne i values (key).");
}

static void o_yesno(struct hh_buf *b, const struct hh_form_field *f)
{
	(void)f;
	hh_buf_puts(b, "Svar ja eller nej.");
}

static void o_file(struct hh_buf *b, const struct hh_form_field *f)
{
	(void)f;
	hh_buf_puts(b, "En fil (kan ikke sendes gennem Open311).");
}

const struct hh_field_ops hh_field_ops[HH_FIELD_TYPES] = {
	[HH_FIELD_TEXT] = { "text", coerce_any, v_text, d_text, "string", o_text },
	[HH_FIELD_TEXTAREA] = { "textarea", coerce_any, v_textarea, d_text, "text",
				o_text },
	[HH_FIELD_NUMBER] = { "number", coerce_any, v_number, d_number, "number",
			      o_number },
	[HH_FIELD_AMOUNT] = { "amount", coerce_string, v_amount, d_amount, "string",
			      o_amount },
	[HH_FIELD_DATE] = { "date", coerce_any, v_date, d_date, "datetime", o_date },
	[HH_FIELD_CHOICE] = { "choice", coerce_any, v_choice, d_choice,
			      "singlevaluelist", o_choice },
	[HH_FIELD_YESNO] = { "yesno", coerce_any, v_yesno, d_yesno, "singlevaluelist",
			     o_yesno },
	[HH_FIELD_CPR] = { "cpr", coerce_any, v_cpr, d_text, "string", o_cpr },
	[HH_FIELD_ADDRESS] = { "address", coerce_any, v_address, d_text, "string",
			       o_address },
	[HH_FIELD_EMAIL] = { "email", coerce_any, v_email, d_text, "string", o_email },
	[HH_FIELD_PHONE] = { "phone", coerce_any, v_phone, d_text, "string", o_phone },
	[HH_FIELD_FILE] = { "file", coerce_none, v_file, d_file, NULL, o_file },
};
