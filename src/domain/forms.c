/* forms.c - form field validation with Danish messages. */
#include "domain/forms.h"

#include <ctype.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/cpr.h"

static const char *const types[] = { "text",  "textarea", "number", "date",
				     "choice", "yesno",   "cpr",    "address",
				     "email", "phone",    "file" };

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void msg(struct hh_arena *a, struct hh_form_msg *list, int *n,
		const char *field, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void msg(struct hh_arena *a, struct hh_form_msg *list, int *n,
		const char *field, const char *fmt, ...)
{
	if (*n >= HH_FORM_MAX_MSGS)
		return;
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	list[*n].field = hh_arena_strdup(a, field);
	list[*n].message = hh_arena_strdup(a, buf);
	(*n)++;
}

#define ERR(...) msg(a, res->errors, &res->n_errors, name, __VA_ARGS__)
#define WARN(...) msg(a, res->warnings, &res->n_warnings, name, __VA_ARGS__)

/* The input value as text (numbers and booleans converted), or NULL. */
static const char *as_text(struct hh_arena *a, json_t *v)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		return hh_arena_printf(a, "%lld", (long long)json_integer_value(v));
	if (json_is_real(v))
		return hh_arena_printf(a, "%g", json_real_value(v));
	if (json_is_true(v))
		return "ja";
	if (json_is_false(v))
		return "nej";
	return NULL;
}

static int blank(const char *s)
{
	for (; s && *s; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

int hh_form_field_applies(json_t *field, json_t *input)
{
	json_t *when = json_object_get(field, "when");
	if (!when)
		return 1;
	const char *other = str(when, "field");
	json_t *eq = json_object_get(when, "equals");
	json_t *v = json_object_get(input, other ? other : "");
	if (!v)
		return 0;
	struct hh_arena a;
	hh_arena_init(&a);
	const char *have = as_text(&a, v);
	const char *want = json_is_string(eq) ? json_string_value(eq)
			   : json_is_true(eq) ? "ja"
			   : json_is_false(eq) ? "nej"
					       : NULL;
	int ok = have && want && !strcmp(have, want);
	hh_arena_clear(&a);
	return ok;
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
static void too_big(struct hh_arena *a, const char *name, json_int_t max,
		    struct hh_form_result *res)
{
	if (max % (1 << 20) == 0)
		ERR("Filen er for stor. Den må højst fylde %lld MB.",
		    (long long)(max >> 20));
	else if (max >= 1024)
		ERR("Filen er for stor. Den må højst fylde %lld kB.",
		    (long long)(max / 1024));
	else
		ERR("Filen er for stor. Den må højst fylde %lld byte.",
		    (long long)max);
}

/* The file types helhed can check (magic_ok), by name for citizens. */
static const char *const file_kinds[][2] = { { "application/pdf", "PDF" },
					     { "image/jpeg", "JPEG" },
					     { "image/png", "PNG" } };
#define N_FILE_KINDS (sizeof(file_kinds) / sizeof(file_kinds[0]))

const char *hh_form_file_kinds(struct hh_arena *a, json_t *field)
{
	json_t *accept = json_object_get(field, "accept");
	const char *names[N_FILE_KINDS];
	size_t n = 0;
	for (size_t k = 0; k < N_FILE_KINDS; k++) {
		int listed = !accept; /* no list: every kind helhed checks */
		size_t i;
		json_t *t;
		json_array_foreach(accept, i, t) if (json_is_string(t) &&
						     !strcmp(json_string_value(t),
							     file_kinds[k][0]))
			listed = 1;
		if (listed)
			names[n++] = file_kinds[k][1];
	}
	if (!n) /* nothing acceptable: name what would be */
		return hh_form_file_kinds(a, NULL);
	/* "PDF-, JPEG- eller PNG-fil" */
	const char *out = "";
	for (size_t k = 0; k < n; k++)
		out = hh_arena_printf(a, "%s%s%s%s", out, names[k],
				      k + 1 == n ? "-fil" : "-",
				      k + 2 == n ? " eller " :
				      k + 1 < n ? ", " : "");
	return out;
}

static void check_file(struct hh_arena *a, json_t *f, const char *name,
		       json_t *v, struct hh_form_result *res)
{
	const char *fname = str(v, "name"), *ctype = str(v, "content_type");
	const char *b64 = str(v, "data");
	if (!json_is_object(v) || !fname || !ctype || !b64) {
		ERR("Vedhæft en fil.");
		return;
	}
	json_int_t max = json_integer_value(json_object_get(f, "max_bytes"));
	if (max <= 0)
		max = 5 << 20;
	size_t b64len = strlen(b64);
	if (b64len / 4 * 3 > (size_t)max + 3) {
		too_big(a, name, max, res);
		return;
	}
	unsigned char *data = hh_arena_alloc(a, b64len / 4 * 3 + 3);
	size_t n = 0;
	if (sodium_base642bin(data, b64len / 4 * 3 + 3, b64, b64len, NULL, &n, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0) {
		ERR("Filen kunne ikke læses. Prøv at vedhæfte den igen.");
		return;
	}
	if ((json_int_t)n > max) {
		too_big(a, name, max, res);
		return;
	}
	json_t *accept = json_object_get(f, "accept");
	int allowed = 0;
	size_t i;
	json_t *t;
	json_array_foreach(accept, i, t) if (json_is_string(t) &&
					     !strcmp(json_string_value(t), ctype))
		allowed = 1;
	if (!accept)
		allowed = !strcmp(ctype, "application/pdf") ||
			  !strcmp(ctype, "image/jpeg") || !strcmp(ctype, "image/png");
	if (!allowed || !magic_ok(ctype, data, n)) {
		ERR("Filtypen er ikke tilladt. Vedhæft en %s.",
		    hh_form_file_kinds(a, f));
		return;
	}
	if (strlen(fname) > 200 || !hh_utf8_valid(fname, strlen(fname))) {
		ERR("Filnavnet er for langt eller ugyldigt.");
		return;
	}
	if (res->n_files < HH_FORM_MAX_FILES) {
		struct hh_form_file *ff = &res->files[res->n_files++];
		ff->field = hh_arena_strdup(a, name);
		ff->name = hh_arena_strdup(a, fname);
		ff->content_type = hh_arena_strdup(a, ctype);
		ff->data = data;
		ff->size = n;
	}
	json_object_set_new(res->values, name,
			    json_pack("{s:s, s:s, s:I}", "name", fname,
				      "content_type", ctype, "size",
				      (json_int_t)n));
}

int hh_form_validate(struct hh_arena *a, json_t *fields, json_t *input,
		     struct hh_form_result *res)
{
	memset(res, 0, sizeof(*res));
	res->values = json_object();
	const char *key;
	json_t *val;
	json_object_foreach(input, key, val)
	{
		size_t i;
		json_t *f;
		int known = 0;
		json_array_foreach(fields, i, f) if (!strcmp(str(f, "name"), key))
			known = 1;
		if (!known) {
			const char *name = key;
			ERR("Feltet findes ikke i blanketten.");
		}
	}
	size_t i;
	json_t *f;
	json_array_foreach(fields, i, f)
	{
		const char *name = str(f, "name");
		const char *type = str(f, "type");
		if (!name || !type || !hh_form_field_applies(f, input))
			continue;
		json_t *v = json_object_get(input, name);
		int required = json_is_true(json_object_get(f, "required"));
		if (!strcmp(type, "file")) {
			if (!v || json_is_null(v)) {
				if (required)
					ERR("Vedhæft en fil.");
				continue;
			}
			check_file(a, f, name, v, res);
			continue;
		}
		const char *s = v && !json_is_null(v) ? as_text(a, v) : NULL;
		if (v && !json_is_null(v) && !s) {
			ERR("Værdien har en forkert form.");
			continue;
		}
		if (!s || blank(s)) {
			if (required)
				ERR(!strcmp(type, "choice") || !strcmp(type, "yesno")
					    ? "Vælg en af mulighederne."
					    : "Feltet skal udfyldes.");
			continue;
		}
		if (!hh_utf8_valid(s, strlen(s))) {
			ERR("Teksten indeholder tegn, vi ikke kan læse.");
			continue;
		}
		/* trim */
		while (isspace((unsigned char)*s))
			s++;
		size_t sl = strlen(s);
		while (sl && isspace((unsigned char)s[sl - 1]))
			sl--;
		s = hh_arena_strndup(a, s, sl);
		size_t chars = hh_utf8_len(s);
		json_int_t minl = json_integer_value(json_object_get(f, "min_length"));
		json_int_t maxl = json_integer_value(json_object_get(f, "max_length"));
		if (!maxl)
			maxl = !strcmp(type, "textarea") ? 5000 : 200;
		if (!strcmp(type, "text") || !strcmp(type, "textarea") ||
		    !strcmp(type, "address")) {
			if (!strcmp(type, "text") && strchr(s, '\n')) {
				ERR("Skriv teksten på én linje.");
				continue;
			}
			if (minl && (json_int_t)chars < minl) {
				ERR("Skriv mindst %lld tegn.", (long long)minl);
				continue;
			}
			if ((json_int_t)chars > maxl) {
				ERR("Skriv højst %lld tegn (du har skrevet %zu).",
				    (long long)maxl, chars);
				continue;
			}
			if (!strcmp(type, "address")) {
				/* a street, a number and a four-digit postcode */
				int digits = 0, has_pc = 0, run = 0;
				for (const char *p = s; *p; p++) {
					if (isdigit((unsigned char)*p)) {
						digits++;
						run++;
					} else {
						if (run == 4)
							has_pc = 1;
						run = 0;
					}
				}
				if (run == 4)
					has_pc = 1;
				if (chars < 8 || !digits || !has_pc) {
					ERR("Skriv hele adressen: vej, husnummer, "
					    "postnummer og by.");
					continue;
				}
			}
			json_object_set_new(res->values, name, json_string(s));
		} else if (!strcmp(type, "number")) {
			char *end;
			char *dot = hh_arena_strdup(a, s);
			for (char *p = dot; *p; p++)
				if (*p == ',')
					*p = '.'; /* Danish decimal comma */
			double d = strtod(dot, &end);
			/* strtod also reads C's hexadecimal ("0x10"), which
			 * no citizen means */
			if (end == dot || *end || !isfinite(d) ||
			    strpbrk(dot, "xX")) {
				ERR("Skriv et tal.");
				continue;
			}
			json_t *mn = json_object_get(f, "min"), *mx = json_object_get(f, "max");
			if (mn && d < json_number_value(mn)) {
				ERR("Tallet skal være mindst %g.", json_number_value(mn));
				continue;
			}
			if (mx && d > json_number_value(mx)) {
				ERR("Tallet må højst være %g.", json_number_value(mx));
				continue;
			}
			json_object_set_new(res->values, name,
					    d == floor(d) && fabs(d) < 1e15
						    ? json_integer((json_int_t)d)
						    : json_real(d));
		} else if (!strcmp(type, "date")) {
			int y, m, d;
			if (!parse_date(s, &y, &m, &d)) {
				ERR("Skriv en gyldig dato som ÅÅÅÅ-MM-DD, fx 2026-03-01.");
				continue;
			}
			const char *mn = str(f, "min"), *mx = str(f, "max");
			if (mn && strcmp(s, mn) < 0) {
				ERR("Datoen må tidligst være %s.", mn);
				continue;
			}
			if (mx && strcmp(s, mx) > 0) {
				ERR("Datoen må senest være %s.", mx);
				continue;
			}
			json_object_set_new(res->values, name, json_string(s));
		} else if (!strcmp(type, "choice")) {
			json_t *opts = json_object_get(f, "options"), *o;
			size_t k;
			int ok = 0;
			json_array_foreach(opts, k, o) if (str(o, "value") &&
							    !strcmp(str(o, "value"), s))
				ok = 1;
			if (!ok) {
				ERR("Vælg en af mulighederne.");
				continue;
			}
			json_object_set_new(res->values, name, json_string(s));
		} else if (!strcmp(type, "yesno")) {
			if (strcmp(s, "ja") && strcmp(s, "nej")) {
				ERR("Svar ja eller nej.");
				continue;
			}
			json_object_set_new(res->values, name, json_string(s));
		} else if (!strcmp(type, "cpr")) {
			char norm[12];
			switch (hh_cpr_check(s, norm, NULL, 0)) {
			case HH_CPR_BAD_FORM:
				ERR("Skriv CPR-nummeret med 10 cifre, fx 010203-1234.");
				continue;
			case HH_CPR_BAD_DATE:
				ERR("Datoen i CPR-nummeret findes ikke. Tjek de første "
				    "6 cifre.");
				continue;
			case HH_CPR_BAD_CENTURY:
			case HH_CPR_FUTURE:
				ERR("CPR-nummeret passer ikke: fødselsdatoen og det "
				    "7. ciffer giver en dato i fremtiden.");
				continue;
			case HH_CPR_OK_NO_MOD11:
				WARN("CPR-nummeret består ikke den gamle "
				     "modulus 11-kontrol. Det kan sagtens være rigtigt "
				     "– tjek det en ekstra gang.");
				break;
			case HH_CPR_OK:
				break;
			}
			json_object_set_new(res->values, name, json_string(norm));
		} else if (!strcmp(type, "email")) {
			const char *at = strchr(s, '@');
			if (!at || at == s || !strchr(at, '.') || strchr(at + 1, '@') ||
			    at[strlen(at) - 1] == '.' || strchr(s, ' ') || chars > 254) {
				ERR("Skriv en gyldig e-mailadresse, fx navn@eksempel.dk.");
				continue;
			}
			json_object_set_new(res->values, name, json_string(s));
		} else if (!strcmp(type, "phone")) {
			int digits = 0, bad = 0;
			for (const char *p = s; *p; p++) {
				if (isdigit((unsigned char)*p))
					digits++;
				else if (*p != ' ' && *p != '+' && *p != '-')
					bad = 1;
			}
			if (bad || digits < 8 || digits > 15) {
				ERR("Skriv et telefonnummer med 8 cifre, fx 12 34 56 78.");
				continue;
			}
			json_object_set_new(res->values, name, json_string(s));
		} else {
			ERR("Feltet har en ukendt type.");
		}
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

int hh_form_def_ok(json_t *fields, char *err, size_t errsz)
{
	if (!fields)
		return 1;
	if (!json_is_array(fields)) {
		snprintf(err, errsz, "fields must be a list");
		return 0;
	}
	size_t i;
	json_t *f;
	int n_files = 0;
	json_array_foreach(fields, i, f)
	{
		const char *name = str(f, "name"), *type = str(f, "type");
		if (!name || !*name || strlen(name) > 40) {
			snprintf(err, errsz, "field %zu needs a name", i + 1);
			return 0;
		}
		for (const char *p = name; *p; p++)
			if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) ||
			      *p == '_')) {
				snprintf(err, errsz, "field '%s': names use a-z, 0-9, _",
					 name);
				return 0;
			}
		int known = 0;
		for (size_t k = 0; type && k < sizeof(types) / sizeof(types[0]); k++)
			if (!strcmp(type, types[k]))
				known = 1;
		if (!known) {
			snprintf(err, errsz, "field '%s': unknown type", name);
			return 0;
		}
		if (!str(f, "label")) {
			snprintf(err, errsz, "field '%s' needs a label", name);
			return 0;
		}
		if (!strcmp(type, "choice") &&
		    !json_array_size(json_object_get(f, "options"))) {
			snprintf(err, errsz, "field '%s': a choice needs options", name);
			return 0;
		}
		/* a second field of the same name would validate the same
		 * input twice; a when on a missing field hides its field
		 * for good */
		const char *other = str(json_object_get(f, "when"), "field");
		int twice = 0, other_found = 0;
		size_t k;
		json_t *g;
		json_array_foreach(fields, k, g)
		{
			const char *gname = str(g, "name");
			if (k < i && gname && !strcmp(gname, name))
				twice = 1;
			if (k != i && gname && other && !strcmp(gname, other))
				other_found = 1;
		}
		if (twice) {
			snprintf(err, errsz, "field '%s' appears twice", name);
			return 0;
		}
		if (json_object_get(f, "when") && !other_found) {
			snprintf(err, errsz, "field '%s': when names no other field",
				 name);
			return 0;
		}
		/* hh_form_validate keeps the bytes of at most this many */
		if (!strcmp(type, "file") && ++n_files > HH_FORM_MAX_FILES) {
			snprintf(err, errsz, "at most %d file fields", HH_FORM_MAX_FILES);
			return 0;
		}
	}
	return 1;
}
