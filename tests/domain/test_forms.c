/* test_forms.c - validating a citizen's form input: every field type and
 * every error with its Danish message, conditional fields, unknown keys,
 * normalised values, files checked by their bytes, and the checks of a
 * form definition itself. */
#include "testutil.h"

#include <sodium.h>

#include "domain/forms.h"

/* One field of each type, with the limits the rules use. */
static const char *const all_fields =
	"["
	"{\"name\":\"navn\",\"label\":\"Navn\",\"type\":\"text\",\"required\":true,"
	" \"min_length\":3,\"max_length\":5},"
	"{\"name\":\"besked\",\"label\":\"Besked\",\"type\":\"textarea\"},"
	"{\"name\":\"beloeb\",\"label\":\"Beløb\",\"type\":\"number\","
	" \"min\":0,\"max\":100},"
	"{\"name\":\"dato\",\"label\":\"Dato\",\"type\":\"date\","
	" \"min\":\"2020-01-01\",\"max\":\"2030-12-31\"},"
	"{\"name\":\"bolig\",\"label\":\"Bolig\",\"type\":\"choice\","
	" \"options\":[{\"value\":\"ejer\",\"label\":\"Ejer\"},"
	"             {\"value\":\"lejer\",\"label\":\"Lejer\"}]},"
	"{\"name\":\"gift\",\"label\":\"Gift?\",\"type\":\"yesno\"},"
	"{\"name\":\"cpr\",\"label\":\"CPR-nummer\",\"type\":\"cpr\"},"
	"{\"name\":\"adresse\",\"label\":\"Adresse\",\"type\":\"address\"},"
	"{\"name\":\"email\",\"label\":\"E-mail\",\"type\":\"email\"},"
	"{\"name\":\"telefon\",\"label\":\"Telefon\",\"type\":\"phone\"},"
	"{\"name\":\"bilag\",\"label\":\"Bilag\",\"type\":\"file\","
	" \"max_bytes\":64,"
	" \"accept\":[\"application/pdf\",\"image/jpeg\",\"image/png\"]},"
	"{\"name\":\"foto\",\"label\":\"Foto\",\"type\":\"file\","
	" \"accept\":[\"image/png\"]},"
	"{\"name\":\"partner_cpr\",\"label\":\"Ægtefællens CPR-nummer\","
	" \"type\":\"cpr\",\"required\":true,"
	" \"when\":{\"field\":\"gift\",\"equals\":\"ja\"}},"
	"{\"name\":\"bolig_note\",\"label\":\"Om boligen\",\"type\":\"text\","
	" \"when\":{\"field\":\"bolig\",\"equals\":\"lejer\"}}"
	"]";

/* Bytes that start like the real thing. */
static const unsigned char pdf[] = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n";
static const unsigned char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\1";
static const unsigned char jpeg[] = "\xff\xd8\xff\xe0\0\x10JFIF\0\1\1";

struct fx {
	struct hh_arena a;
	json_t *fields;       /* the definition a test may swap */
	struct hh_form *form; /* parsed from it for each run */
	struct hh_form_result res;
	int have_res;
};

static int setup(void **state)
{
	struct fx *f = hh_xcalloc(1, sizeof(*f));
	hh_arena_init(&f->a);
	json_error_t e;
	f->fields = json_loads(all_fields, 0, &e);
	if (!f->fields)
		fail_msg("fields: %s", e.text);
	f->form = hh_xcalloc(1, sizeof(*f->form));
	*state = f;
	return 0;
}

/* Parses a fields array into form (which borrows from fields). */
static void parse_form(json_t *fields, struct hh_form *form)
{
	char err[256];
	json_t *wrap = json_pack("{s:O}", "fields", fields);
	if (hh_form_parse(wrap, form, err, sizeof(err)) != HH_OK)
		fail_msg("form: %s", err);
	json_decref(wrap);
}

static void drop_res(struct fx *f)
{
	if (f->have_res)
		json_decref(f->res.values);
	f->have_res = 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	drop_res(f);
	json_decref(f->fields);
	free(f->form);
	hh_arena_clear(&f->a);
	free(f);
	return 0;
}

/* Validates input (JSON text, or NULL with input_j) against the fixture's
 * fields; returns the number of errors. Every message must read as
 * Danish for a citizen. */
static int run_j(struct fx *f, json_t *input)
{
	drop_res(f);
	parse_form(f->fields, f->form);
	int n = hh_form_validate(&f->a, f->form, input, &f->res);
	f->have_res = 1;
	assert_int_equal(n, f->res.n_errors);
	assert_non_null(f->res.values);
	assert_true(json_is_object(f->res.values));
	for (int i = 0; i < f->res.n_errors + f->res.n_warnings; i++) {
		const struct hh_form_msg *m = i < f->res.n_errors
			? &f->res.errors[i]
			: &f->res.warnings[i - f->res.n_errors];
		assert_non_null(m->field);
		assert_non_null(m->message);
		size_t l = strlen(m->message);
		/* a sentence: a capital first, a full stop last */
		assert_true(l > 5);
		assert_true(m->message[0] >= 'A' && m->message[0] <= 'Z');
		assert_true(m->message[l - 1] == '.');
		/* no English crept in */
		static const char *const english[] = { " the ", " must ",
						       "field", "invalid", "Please",
						       "Enter", " is " };
		for (size_t k = 0; k < sizeof(english) / sizeof(english[0]); k++)
			if (strstr(m->message, english[k]))
				fail_msg("English in '%s'", m->message);
	}
	return n;
}

static int run(struct fx *f, const char *input)
{
	json_error_t e;
	json_t *in = json_loads(input, 0, &e);
	if (!in)
		fail_msg("input %s: %s", input, e.text);
	int n = run_j(f, in);
	json_decref(in);
	return n;
}

/* Validates {"name": value} where value is JSON text (with the required
 * "navn" filled in unless that is the field); the error for name (NULL:
 * none). */
static const char *one(struct fx *f, const char *name, const char *value)
{
	size_t i;
	json_t *fld;
	int has_navn = 0;
	json_array_foreach(f->fields, i, fld) if (!strcmp(
		json_string_value(json_object_get(fld, "name")), "navn"))
		has_navn = 1;
	if (!strcmp(name, "navn") || !has_navn)
		run(f, hh_arena_printf(&f->a, "{\"%s\": %s}", name, value));
	else
		run(f, hh_arena_printf(&f->a, "{\"navn\": \"Anna\", \"%s\": %s}",
				       name, value));
	return hh_form_error_for(&f->res, name);
}

static void expect_ok(struct fx *f, const char *name, const char *value)
{
	const char *e = one(f, name, value);
	if (e)
		fail_msg("%s = %s refused: %s", name, value, e);
	if (f->res.n_errors)
		fail_msg("%s = %s: %s: %s", name, value, f->res.errors[0].field,
			 f->res.errors[0].message);
	assert_int_equal(f->res.n_errors, 0);
}

static void expect_err(struct fx *f, const char *name, const char *value,
		       const char *message)
{
	const char *e = one(f, name, value);
	if (!e)
		fail_msg("%s = %s accepted", name, value);
	assert_string_equal(e, message);
	assert_int_equal(f->res.n_errors, 1);
	/* a field with an error has no value */
	assert_null(json_object_get(f->res.values, name));
}

/* The normalised string value of name, or NULL. */
static const char *val(struct fx *f, const char *name)
{
	return json_string_value(json_object_get(f->res.values, name));
}

static char *b64(const unsigned char *data, size_t n)
{
	size_t len = sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL);
	char *s = hh_xmalloc(len);
	sodium_bin2base64(s, len, data, n, sodium_base64_VARIANT_ORIGINAL);
	return s;
}

/* The JSON of a file value. New string. */
static char *file_json(const char *name, const char *ctype,
		       const unsigned char *data, size_t n)
{
	char *d = b64(data, n);
	json_t *j = json_pack("{s:s, s:s, s:s}", "name", name, "content_type",
			      ctype, "data", d);
	char *s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	free(d);
	return s;
}

/* ---- required ----------------------------------------------------------- */

static void required_fields(void **state)
{
	struct fx *f = *state;
	assert_int_equal(run(f, "{}"), 1);
	assert_string_equal(hh_form_error_for(&f->res, "navn"),
			    "Feltet skal udfyldes.");
	assert_int_equal(json_object_size(f->res.values), 0);
	/* blank and null count as missing */
	expect_err(f, "navn", "\"   \"", "Feltet skal udfyldes.");
	expect_err(f, "navn", "\"\\t\\n \"", "Feltet skal udfyldes.");
	assert_int_equal(run(f, "{\"navn\": null}"), 1);
	assert_string_equal(hh_form_error_for(&f->res, "navn"),
			    "Feltet skal udfyldes.");
	/* optional fields may be left out, blank or null: no error, no value */
	assert_int_equal(run(f, "{\"navn\":\"Anna\", \"besked\":\"  \", "
				"\"beloeb\":null, \"email\":\"\", \"bilag\":null}"),
			 0);
	assert_int_equal(json_object_size(f->res.values), 1);
	assert_string_equal(val(f, "navn"), "Anna");

	/* a required choice, yes/no and file say "choose" and "attach" */
	json_t *fields = json_loads(
		"[{\"name\":\"c\",\"label\":\"C\",\"type\":\"choice\",\"required\":true,"
		"  \"options\":[{\"value\":\"a\",\"label\":\"A\"}]},"
		" {\"name\":\"y\",\"label\":\"Y\",\"type\":\"yesno\",\"required\":true},"
		" {\"name\":\"d\",\"label\":\"D\",\"type\":\"date\",\"required\":true},"
		" {\"name\":\"f\",\"label\":\"F\",\"type\":\"file\",\"required\":true}]",
		0, NULL);
	json_t *saved = f->fields;
	f->fields = fields;
	assert_int_equal(run(f, "{}"), 4);
	assert_string_equal(hh_form_error_for(&f->res, "c"), "Vælg en af mulighederne.");
	assert_string_equal(hh_form_error_for(&f->res, "y"), "Vælg en af mulighederne.");
	assert_string_equal(hh_form_error_for(&f->res, "d"), "Feltet skal udfyldes.");
	assert_string_equal(hh_form_error_for(&f->res, "f"), "Vedhæft en fil.");
	f->fields = saved;
	json_decref(fields);
}

/* ---- text --------------------------------------------------------------- */

static void text_lengths_in_characters(void **state)
{
	struct fx *f = *state;
	/* æøå are two bytes each in UTF-8 but one character */
	expect_ok(f, "navn", "\"æøå\"");
	expect_ok(f, "navn", "\"ÆØÅæø\""); /* 5 characters, 10 bytes */
	assert_string_equal(val(f, "navn"), "ÆØÅæø");
	expect_err(f, "navn", "\"æøåæøå\"", "Skriv højst 5 tegn (du har skrevet 6).");
	expect_err(f, "navn", "\"æø\"", "Skriv mindst 3 tegn.");
	expect_err(f, "navn", "\"Ib\"", "Skriv mindst 3 tegn.");
	expect_err(f, "navn", "\"Annemette\"", "Skriv højst 5 tegn (du har skrevet 9).");
	/* the limits are on the trimmed text */
	expect_ok(f, "navn", "\"   Åse   \"");
	assert_string_equal(val(f, "navn"), "Åse");
	/* text is one line; a textarea may have many */
	expect_err(f, "navn", "\"Ib\\nOg\"", "Skriv teksten på én linje.");
	expect_ok(f, "besked", "\"Linje 1\\nLinje 2\"");
	assert_string_equal(val(f, "besked"), "Linje 1\nLinje 2");
	/* the default caps: 5000 characters for a textarea */
	char big[5100 * 2 + 16];
	strcpy(big, "\"");
	for (int i = 0; i < 5000; i++)
		strcat(big, "ø");
	strcat(big, "\"");
	expect_ok(f, "besked", big);
	big[strlen(big) - 1] = 0;
	strcat(big, "å\"");
	expect_err(f, "besked", big, "Skriv højst 5000 tegn (du har skrevet 5001).");
	/* bytes that are not UTF-8 are refused, not stored */
	json_t *in = json_object();
	json_object_set_new(in, "navn", json_string_nocheck("Ib\xff\xfe"));
	assert_int_equal(run_j(f, in), 1);
	json_decref(in);
	assert_string_equal(hh_form_error_for(&f->res, "navn"),
			    "Teksten indeholder tegn, vi ikke kan læse.");
	/* a value of the wrong JSON shape */
	expect_err(f, "navn", "[\"Anna\"]", "Værdien har en forkert form.");
	expect_err(f, "besked", "{\"a\":1}", "Værdien har en forkert form.");
}

/* ---- number ------------------------------------------------------------- */

static void numbers(void **state)
{
	struct fx *f = *state;
	expect_ok(f, "beloeb", "\"42\"");
	assert_true(json_is_integer(json_object_get(f->res.values, "beloeb")));
	assert_int_equal(json_integer_value(json_object_get(f->res.values, "beloeb")), 42);
	/* the Danish decimal comma */
	expect_ok(f, "beloeb", "\"12,5\"");
	assert_true(json_is_real(json_object_get(f->res.values, "beloeb")));
	assert_true(json_real_value(json_object_get(f->res.values, "beloeb")) == 12.5);
	expect_ok(f, "beloeb", "\"0,25\"");
	assert_true(json_real_value(json_object_get(f->res.values, "beloeb")) == 0.25);
	/* JSON numbers as they are */
	expect_ok(f, "beloeb", "7");
	assert_int_equal(json_integer_value(json_object_get(f->res.values, "beloeb")), 7);
	expect_ok(f, "beloeb", "99.5");
	assert_true(json_real_value(json_object_get(f->res.values, "beloeb")) == 99.5);
	/* "12,0" is the whole number 12 */
	expect_ok(f, "beloeb", "\" 12,0 \"");
	assert_true(json_is_integer(json_object_get(f->res.values, "beloeb")));
	/* the bounds are inclusive */
	expect_ok(f, "beloeb", "\"0\"");
	expect_ok(f, "beloeb", "\"100\"");
	expect_err(f, "beloeb", "\"-1\"", "Tallet skal være mindst 0.");
	expect_err(f, "beloeb", "-0.5", "Tallet skal være mindst 0.");
	expect_err(f, "beloeb", "\"100,5\"", "Tallet må højst være 100.");
	expect_err(f, "beloeb", "101", "Tallet må højst være 100.");
	/* not numbers */
	static const char *const junk[] = { "\"abc\"", "\"12abc\"", "\"12,5,5\"",
					    "\",\"", "\"inf\"", "\"nan\"",
					    "\"1e999\"", "\"0x10\"", "\"12 kr\"",
					    "true" };
	for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		const char *e = one(f, "beloeb", junk[i]);
		if (!e)
			fail_msg("%s was taken as a number", junk[i]);
		assert_string_equal(e, "Skriv et tal.");
	}
}

/* ---- date --------------------------------------------------------------- */

static void dates(void **state)
{
	struct fx *f = *state;
	expect_ok(f, "dato", "\"2026-03-01\"");
	assert_string_equal(val(f, "dato"), "2026-03-01");
	expect_ok(f, "dato", "\"2024-02-29\""); /* leap year */
	expect_ok(f, "dato", "\"2020-01-01\""); /* min, inclusive */
	expect_ok(f, "dato", "\"2030-12-31\""); /* max, inclusive */
	const char *fmt = "Skriv en gyldig dato som ÅÅÅÅ-MM-DD, fx 2026-03-01.";
	static const char *const bad[] = {
		"\"2026-02-29\"", "\"2026-13-01\"", "\"2026-00-10\"",
		"\"2026-04-31\"", "\"2026-01-00\"", "\"01-03-2026\"",
		"\"1.3.2026\"",   "\"2026/03/01\"", "\"2026-3-1\"",
		"\"20260301\"",   "\"i morgen\"",   "\"2026-03-01T10:00\"",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_err(f, "dato", bad[i], fmt);
	expect_err(f, "dato", "\"2019-12-31\"", "Datoen må tidligst være 2020-01-01.");
	expect_err(f, "dato", "\"2031-01-01\"", "Datoen må senest være 2030-12-31.");
	/* 1900 was no leap year, 2000 was (without bounds) */
	json_t *saved = f->fields;
	f->fields = json_loads("[{\"name\":\"d\",\"label\":\"D\",\"type\":\"date\"}]",
			       0, NULL);
	expect_err(f, "d", "\"1900-02-29\"", fmt);
	expect_ok(f, "d", "\"2000-02-29\"");
	json_decref(f->fields);
	f->fields = saved;
}

/* ---- choice and yes/no -------------------------------------------------- */

static void choices(void **state)
{
	struct fx *f = *state;
	expect_ok(f, "bolig", "\"ejer\"");
	assert_string_equal(val(f, "bolig"), "ejer");
	expect_ok(f, "bolig", "\" lejer \"");
	assert_string_equal(val(f, "bolig"), "lejer");
	expect_err(f, "bolig", "\"andet\"", "Vælg en af mulighederne.");
	expect_err(f, "bolig", "\"Ejer\"", "Vælg en af mulighederne."); /* a label */
	expect_err(f, "bolig", "3", "Vælg en af mulighederne.");

	/* (ja makes the partner's CPR number required: see below) */
	assert_int_equal(run(f, "{\"navn\":\"Anna\",\"gift\":\"ja\","
				"\"partner_cpr\":\"070761-4285\"}"),
			 0);
	assert_string_equal(val(f, "gift"), "ja");
	expect_ok(f, "gift", "\"nej\"");
	assert_string_equal(val(f, "gift"), "nej");
	/* JSON booleans become ja/nej */
	assert_int_equal(run(f, "{\"navn\":\"Anna\",\"gift\":true,"
				"\"partner_cpr\":\"070761-4285\"}"),
			 0);
	assert_string_equal(val(f, "gift"), "ja");
	expect_ok(f, "gift", "false");
	assert_string_equal(val(f, "gift"), "nej");
	expect_err(f, "gift", "\"måske\"", "Svar ja eller nej.");
	expect_err(f, "gift", "\"yes\"", "Svar ja eller nej.");
	expect_err(f, "gift", "1", "Svar ja eller nej.");
}

/* ---- CPR ---------------------------------------------------------------- */

static void cpr_numbers(void **state)
{
	struct fx *f = *state;
	expect_ok(f, "cpr", "\"070761-4285\"");
	assert_string_equal(val(f, "cpr"), "070761-4285");
	assert_int_equal(f->res.n_warnings, 0);
	/* normalised to DDMMYY-SSSS */
	expect_ok(f, "cpr", "\"0707614285\"");
	assert_string_equal(val(f, "cpr"), "070761-4285");
	expect_err(f, "cpr", "\"07076142\"",
		   "Skriv CPR-nummeret med 10 cifre, fx 010203-1234.");
	expect_err(f, "cpr", "\"070761-428x\"",
		   "Skriv CPR-nummeret med 10 cifre, fx 010203-1234.");
	expect_err(f, "cpr", "\"310261-4285\"",
		   "Datoen i CPR-nummeret findes ikke. Tjek de første 6 cifre.");
	/* born in the future by the 7th digit: 2057 with 5 (the form
	 * checks against today's date) */
	expect_err(f, "cpr", "\"311257-5000\"",
		   "CPR-nummeret passer ikke: fødselsdatoen og det 7. ciffer giver "
		   "en dato i fremtiden.");
	/* failing modulus 11 warns but does not block */
	expect_ok(f, "cpr", "\"070761-4286\"");
	assert_string_equal(val(f, "cpr"), "070761-4286");
	assert_int_equal(f->res.n_warnings, 1);
	assert_string_equal(f->res.warnings[0].field, "cpr");
	const char *w = hh_form_warning_for(&f->res, "cpr");
	assert_non_null(w);
	assert_non_null(strstr(w, "modulus 11"));
	assert_non_null(strstr(w, "tjek det en ekstra gang"));
	assert_null(hh_form_warning_for(&f->res, "navn"));
}

/* ---- address, email, phone ---------------------------------------------- */

static void address_email_phone(void **state)
{
	struct fx *f = *state;
	const char *addr = "Skriv hele adressen: vej, husnummer, postnummer og by.";
	expect_ok(f, "adresse", "\"Storegade 12, 9000 Aalborg\"");
	assert_string_equal(val(f, "adresse"), "Storegade 12, 9000 Aalborg");
	expect_ok(f, "adresse", "\"Åvej 3 st. tv., 8000 Aarhus C\"");
	expect_ok(f, "adresse", "\"Åvej 3\\n8000 Aarhus C\""); /* lines allowed */
	expect_err(f, "adresse", "\"Storegade 12, Aalborg\"", addr);
	expect_err(f, "adresse", "\"Storegade 12, 900 Aalborg\"", addr);
	expect_err(f, "adresse", "\"Storegade 12, 90000 Aalborg\"", addr);
	expect_err(f, "adresse", "\"9000\"", addr);

	expect_ok(f, "email", "\"navn@eksempel.dk\"");
	assert_string_equal(val(f, "email"), "navn@eksempel.dk");
	expect_ok(f, "email", "\" anne.hansen+sag@kommune.example.dk \"");
	assert_string_equal(val(f, "email"), "anne.hansen+sag@kommune.example.dk");
	const char *em = "Skriv en gyldig e-mailadresse, fx navn@eksempel.dk.";
	static const char *const bad_email[] = {
		"\"navn\"", "\"@eksempel.dk\"", "\"navn@eksempel\"",
		"\"navn@eks@empel.dk\"", "\"navn@eksempel.dk.\"",
		"\"na vn@eksempel.dk\"",
	};
	for (size_t i = 0; i < sizeof(bad_email) / sizeof(bad_email[0]); i++)
		expect_err(f, "email", bad_email[i], em);

	expect_ok(f, "telefon", "\"12 34 56 78\"");
	assert_string_equal(val(f, "telefon"), "12 34 56 78");
	expect_ok(f, "telefon", "\"+45 12345678\"");
	expect_ok(f, "telefon", "\"12-34-56-78\"");
	expect_ok(f, "telefon", "12345678");
	const char *ph = "Skriv et telefonnummer med 8 cifre, fx 12 34 56 78.";
	expect_err(f, "telefon", "\"1234567\"", ph);
	expect_err(f, "telefon", "\"1234 5678 a\"", ph);
	expect_err(f, "telefon", "\"(12) 34 56 78\"", ph);
	expect_err(f, "telefon", "\"1234567890123456\"", ph);
}

/* ---- files -------------------------------------------------------------- */

static void files_allowed(void **state)
{
	struct fx *f = *state;
	struct {
		const char *name, *ctype;
		const unsigned char *data;
		size_t n;
	} ok[] = {
		{ "bilag.pdf", "application/pdf", pdf, sizeof(pdf) - 1 },
		{ "billede.png", "image/png", png, sizeof(png) - 1 },
		{ "Kvittering æøå.jpg", "image/jpeg", jpeg, sizeof(jpeg) - 1 },
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		char *v = file_json(ok[i].name, ok[i].ctype, ok[i].data, ok[i].n);
		expect_ok(f, "bilag", v);
		free(v);
		/* the bytes, decoded, for the store */
		assert_int_equal(f->res.n_files, 1);
		const struct hh_form_file *ff = &f->res.files[0];
		assert_string_equal(ff->field, "bilag");
		assert_string_equal(ff->name, ok[i].name);
		assert_string_equal(ff->content_type, ok[i].ctype);
		assert_int_equal(ff->size, ok[i].n);
		assert_memory_equal(ff->data, ok[i].data, ok[i].n);
		/* the value keeps what the file is, not its bytes */
		json_t *fv = json_object_get(f->res.values, "bilag");
		assert_int_equal(json_object_size(fv), 3);
		assert_string_equal(json_string_value(json_object_get(fv, "name")),
				    ok[i].name);
		assert_string_equal(json_string_value(json_object_get(fv, "content_type")),
				    ok[i].ctype);
		assert_int_equal(json_integer_value(json_object_get(fv, "size")),
				 ok[i].n);
		assert_null(json_object_get(fv, "data"));
	}
	/* two files in one form */
	char *a = file_json("a.pdf", "application/pdf", pdf, sizeof(pdf) - 1);
	char *b = file_json("b.png", "image/png", png, sizeof(png) - 1);
	char in[2048];
	snprintf(in, sizeof(in), "{\"navn\":\"Anna\",\"bilag\":%s,\"foto\":%s}", a, b);
	assert_int_equal(run(f, in), 0);
	assert_int_equal(f->res.n_files, 2);
	free(a);
	free(b);
}

static void files_refused(void **state)
{
	struct fx *f = *state;
	const char *type = "Filtypen er ikke tilladt. Vedhæft en PDF-, JPEG- eller "
			   "PNG-fil.";
	/* wrong type */
	char *v = file_json("noter.txt", "text/plain",
			    (const unsigned char *)"hej med dig", 11);
	expect_err(f, "bilag", v, type);
	free(v);
	/* the type lies: says PDF, the bytes are PNG */
	v = file_json("bilag.pdf", "application/pdf", png, sizeof(png) - 1);
	expect_err(f, "bilag", v, type);
	free(v);
	/* says PNG, is a PDF */
	v = file_json("b.png", "image/png", pdf, sizeof(pdf) - 1);
	expect_err(f, "bilag", v, type);
	free(v);
	/* an executable dressed as a JPEG */
	v = file_json("virus.jpg", "image/jpeg", (const unsigned char *)"MZ\x90\0\3", 5);
	expect_err(f, "bilag", v, type);
	free(v);
	/* a real PDF where the field accepts only PNG: the message names
	 * what the field accepts */
	v = file_json("a.pdf", "application/pdf", pdf, sizeof(pdf) - 1);
	expect_err(f, "foto", v, "Filtypen er ikke tilladt. Vedhæft en PNG-fil.");
	free(v);
	/* too big: 65 bytes against max_bytes 64, and far too big */
	unsigned char big[4096];
	memset(big, 'x', sizeof(big));
	memcpy(big, "%PDF-", 5);
	v = file_json("stor.pdf", "application/pdf", big, 64);
	expect_ok(f, "bilag", v);
	free(v);
	v = file_json("stor.pdf", "application/pdf", big, 65);
	expect_err(f, "bilag", v, "Filen er for stor. Den må højst fylde 64 byte.");
	free(v);
	v = file_json("stor.pdf", "application/pdf", big, sizeof(big));
	expect_err(f, "bilag", v, "Filen er for stor. Den må højst fylde 64 byte.");
	free(v);
	/* not base64 */
	expect_err(f, "bilag",
		   "{\"name\":\"a.pdf\",\"content_type\":\"application/pdf\","
		   "\"data\":\"!!!not base64!!!\"}",
		   "Filen kunne ikke læses. Prøv at vedhæfte den igen.");
	expect_err(f, "bilag",
		   "{\"name\":\"a.pdf\",\"content_type\":\"application/pdf\","
		   "\"data\":\"JVBER\"}", /* cut short */
		   "Filen kunne ikke læses. Prøv at vedhæfte den igen.");
	/* not a file at all */
	expect_err(f, "bilag", "\"bilag.pdf\"", "Vedhæft en fil.");
	expect_err(f, "bilag", "{\"name\":\"a.pdf\",\"content_type\":\"application/pdf\"}",
		   "Vedhæft en fil.");
	expect_err(f, "bilag", "{\"name\":\"a.pdf\",\"data\":\"JVBERi0=\"}",
		   "Vedhæft en fil.");
	/* a file name that is too long */
	char name[260];
	memset(name, 'a', 201);
	strcpy(name + 201, ".pdf");
	v = file_json(name, "application/pdf", pdf, sizeof(pdf) - 1);
	expect_err(f, "bilag", v, "Filnavnet er for langt eller ugyldigt.");
	free(v);
	assert_int_equal(f->res.n_files, 0);
}

/* The limit a citizen is told is the real one, in a unit that fits. */
static void file_size_message(void **state)
{
	struct fx *f = *state;
	json_t *saved = f->fields;
	f->fields = json_loads(
		"[{\"name\":\"kb\",\"label\":\"K\",\"type\":\"file\",\"max_bytes\":512000},"
		" {\"name\":\"mb\",\"label\":\"M\",\"type\":\"file\"}]",
		0, NULL);
	size_t n = 6 << 20;
	unsigned char *big = hh_xcalloc(1, n);
	memcpy(big, "%PDF-", 5);
	char *v = file_json("a.pdf", "application/pdf", big, 512001);
	expect_err(f, "kb", v, "Filen er for stor. Den må højst fylde 500 kB.");
	free(v);
	v = file_json("a.pdf", "application/pdf", big, 512000);
	expect_ok(f, "kb", v);
	free(v);
	/* without max_bytes: 5 MB */
	v = file_json("a.pdf", "application/pdf", big, n);
	expect_err(f, "mb", v, "Filen er for stor. Den må højst fylde 5 MB.");
	free(v);
	free(big);
	json_decref(f->fields);
	f->fields = saved;
}

/* ---- conditional fields ------------------------------------------------- */

static void conditional_fields(void **state)
{
	struct fx *f = *state;
	/* gift = ja: the partner's CPR is required */
	assert_int_equal(run(f, "{\"navn\":\"Anna\",\"gift\":\"ja\"}"), 1);
	assert_string_equal(hh_form_error_for(&f->res, "partner_cpr"),
			    "Feltet skal udfyldes.");
	/* ... and checked */
	assert_int_equal(run(f, "{\"navn\":\"Anna\",\"gift\":\"ja\","
				"\"partner_cpr\":\"123\"}"),
			 1);
	assert_non_null(hh_form_error_for(&f->res, "partner_cpr"));
	assert_int_equal(run(f, "{\"navn\":\"Anna\",\"gift\":true,"
				"\"partner_cpr\":\"0707614285\"}"),
			 0);
	assert_string_equal(val(f, "partner_cpr"), "070761-4285");
	/* a boolean answer counts as ja */
	assert_int_equal(run(f, "{\"navn\":\"Anna\",\"gift\":true}"), 1);
	assert_non_null(hh_form_error_for(&f->res, "partner_cpr"));
	/* gift = nej or unanswered: not required, and a value is ignored,
	 * even a wrong one, and left out of the values */
	assert_int_equal(run(f, "{\"navn\":\"Anna\",\"gift\":\"nej\"}"), 0);
	assert_int_equal(run(f, "{\"navn\":\"Anna\"}"), 0);
	assert_int_equal(run(f, "{\"navn\":\"Anna\",\"gift\":\"nej\","
				"\"partner_cpr\":\"ikke et cpr\"}"),
			 0);
	assert_null(json_object_get(f->res.values, "partner_cpr"));
	assert_int_equal(run(f, "{\"navn\":\"Anna\",\"bolig\":\"ejer\","
				"\"bolig_note\":\"x\\ny\"}"),
			 0);
	assert_null(json_object_get(f->res.values, "bolig_note"));
	assert_int_equal(run(f, "{\"navn\":\"Anna\",\"bolig\":\"lejer\","
				"\"bolig_note\":\"x\\ny\"}"),
			 1);
	assert_string_equal(hh_form_error_for(&f->res, "bolig_note"),
			    "Skriv teksten på én linje.");
	assert_int_equal(run(f, "{\"navn\":\"Anna\",\"bolig\":\"lejer\","
				"\"bolig_note\":\"Andelsbolig\"}"),
			 0);
	assert_string_equal(val(f, "bolig_note"), "Andelsbolig");

	/* hh_form_field_applies directly: equals a string or a boolean */
	json_t *flds = json_loads(
		"[{\"name\":\"gift\",\"label\":\"G\",\"type\":\"yesno\"},"
		" {\"name\":\"x\",\"label\":\"X\",\"type\":\"text\","
		"  \"when\":{\"field\":\"gift\",\"equals\":true}},"
		" {\"name\":\"y\",\"label\":\"Y\",\"type\":\"text\"}]",
		0, NULL);
	struct hh_form *form = hh_xcalloc(1, sizeof(*form));
	parse_form(flds, form);
	const struct hh_form_field *fld = hh_form_field(form, "x");
	const struct hh_form_field *plain = hh_form_field(form, "y");
	json_t *ja = json_loads("{\"gift\":\"ja\"}", 0, NULL);
	json_t *nej = json_loads("{\"gift\":false}", 0, NULL);
	json_t *none = json_object();
	assert_true(hh_form_field_applies(fld, ja));
	assert_false(hh_form_field_applies(fld, nej));
	assert_false(hh_form_field_applies(fld, none));
	assert_true(hh_form_field_applies(plain, none));
	free(form);
	json_decref(flds);
	json_decref(ja);
	json_decref(nej);
	json_decref(none);
}

/* ---- unknown keys and normalised values --------------------------------- */

static void unknown_keys(void **state)
{
	struct fx *f = *state;
	assert_int_equal(run(f, "{\"navn\":\"Anna\",\"admin\":true,\"Navn\":\"x\"}"), 2);
	assert_string_equal(hh_form_error_for(&f->res, "admin"),
			    "Feltet findes ikke i blanketten.");
	assert_string_equal(hh_form_error_for(&f->res, "Navn"),
			    "Feltet findes ikke i blanketten.");
	assert_null(json_object_get(f->res.values, "admin"));
	/* the known field is still validated and kept */
	assert_string_equal(val(f, "navn"), "Anna");
	/* many unknown keys: the messages are capped, nothing overflows */
	json_t *in = json_object();
	for (int i = 0; i < 200; i++)
		json_object_set_new(in, hh_arena_printf(&f->a, "x%d", i), json_true());
	assert_int_equal(run_j(f, in), HH_FORM_MAX_MSGS);
	json_decref(in);
}

static void normalised_values(void **state)
{
	struct fx *f = *state;
	char *file = file_json("b.png", "image/png", png, sizeof(png) - 1);
	char in[2048];
	snprintf(in, sizeof(in),
		 "{\"navn\":\"  Åse \",\"besked\":\" Hej\\n\",\"beloeb\":\"1,5\","
		 "\"dato\":\"2026-03-01\",\"bolig\":\"lejer\",\"gift\":false,"
		 "\"cpr\":\" 0707614285 \",\"adresse\":\" Åvej 3, 8000 Aarhus C \","
		 "\"email\":\"a@b.dk\",\"telefon\":\" 12345678 \",\"foto\":%s,"
		 "\"partner_cpr\":\"ignoreret\"}",
		 file);
	free(file);
	assert_int_equal(run(f, in), 0);
	json_t *want = json_loads(
		"{\"navn\":\"Åse\",\"besked\":\"Hej\",\"beloeb\":1.5,"
		"\"dato\":\"2026-03-01\",\"bolig\":\"lejer\",\"gift\":\"nej\","
		"\"cpr\":\"070761-4285\",\"adresse\":\"Åvej 3, 8000 Aarhus C\","
		"\"email\":\"a@b.dk\",\"telefon\":\"12345678\","
		"\"foto\":{\"name\":\"b.png\",\"content_type\":\"image/png\","
		"\"size\":20}}",
		0, NULL);
	assert_non_null(want);
	json_object_set_new(json_object_get(want, "foto"), "size",
			    json_integer(sizeof(png) - 1));
	if (!json_equal(want, f->res.values)) {
		char *got = json_dumps(f->res.values, JSON_SORT_KEYS);
		fail_msg("values: %s", got);
	}
	json_decref(want);
	assert_null(hh_form_error_for(&f->res, "navn"));
}

/* The validator does not touch the input: the citizen's text is kept for
 * the form to be shown again. */
static void input_is_kept(void **state)
{
	struct fx *f = *state;
	const char *text = "{\"navn\":\"  æ  \",\"beloeb\":\"x\",\"ukendt\":1}";
	json_t *in = json_loads(text, 0, NULL);
	json_t *copy = json_deep_copy(in);
	assert_int_equal(run_j(f, in), 3);
	assert_true(json_equal(in, copy));
	json_decref(in);
	json_decref(copy);
}

/* ---- definitions -------------------------------------------------------- */

static void definitions(void **state)
{
	struct fx *f = *state;
	char err[256];
	json_t *good = json_loads(all_fields, 0, NULL);
	err[0] = 0;
	assert_true(hh_form_def_ok(good, err, sizeof(err)));
	json_decref(good);
	assert_true(hh_form_def_ok(NULL, err, sizeof(err))); /* no form */
	json_t *empty = json_array();
	assert_true(hh_form_def_ok(empty, err, sizeof(err)));
	json_decref(empty);

	static const struct {
		const char *fields, *msg;
	} bad[] = {
		{ "{\"name\":\"a\"}", "fields must be a list" },
		{ "[{\"label\":\"A\",\"type\":\"text\"}]", "field 1 needs a name" },
		{ "[{\"name\":\"\",\"label\":\"A\",\"type\":\"text\"}]",
		  "field 1 needs a name" },
		{ "[{\"name\":\"ok\",\"label\":\"A\",\"type\":\"text\"},"
		  " {\"name\":\"Navn\",\"label\":\"A\",\"type\":\"text\"}]",
		  "field 'Navn': names use a-z, 0-9, _" },
		{ "[{\"name\":\"for-navn\",\"label\":\"A\",\"type\":\"text\"}]",
		  "field 'for-navn': names use a-z, 0-9, _" },
		{ "[{\"name\":\"æble\",\"label\":\"A\",\"type\":\"text\"}]",
		  "field 'æble': names use a-z, 0-9, _" },
		{ "[{\"name\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"label\":"
		  "\"A\",\"type\":\"text\"}]",
		  "field 1 needs a name" },
		{ "[{\"name\":\"a\",\"label\":\"A\",\"type\":\"checkbox\"}]",
		  "field 'a': unknown type" },
		{ "[{\"name\":\"a\",\"label\":\"A\"}]", "field 'a': unknown type" },
		{ "[{\"name\":\"a\",\"type\":\"text\"}]", "field 'a' needs a label" },
		{ "[{\"name\":\"a\",\"label\":\"A\",\"type\":\"choice\"}]",
		  "field 'a': a choice needs options" },
		{ "[{\"name\":\"a\",\"label\":\"A\",\"type\":\"choice\",\"options\":[]}]",
		  "field 'a': a choice needs options" },
		{ "[{\"name\":\"a\",\"label\":\"A\",\"type\":\"text\"},"
		  " {\"name\":\"a\",\"label\":\"B\",\"type\":\"email\"}]",
		  "field 'a' appears twice" },
		{ "[{\"name\":\"a\",\"label\":\"A\",\"type\":\"text\","
		  "  \"when\":{\"field\":\"gift\",\"equals\":\"ja\"}}]",
		  "field 'a': when names no other field" },
		{ "[{\"name\":\"a\",\"label\":\"A\",\"type\":\"text\","
		  "  \"when\":{\"field\":\"a\",\"equals\":\"ja\"}}]",
		  "field 'a': when names no other field" },
	};
	/* more file fields than a submission can carry: the ninth file
	 * would be listed in the case's data but never stored */
	json_t *files = json_array();
	for (int i = 0; i <= HH_FORM_MAX_FILES; i++)
		json_array_append_new(files, json_pack("{s:s, s:s, s:s}", "name",
						       hh_arena_printf(&f->a, "f%d", i),
						       "label", "F", "type", "file"));
	assert_false(hh_form_def_ok(files, err, sizeof(err)));
	assert_string_equal(err, "at most 8 file fields");
	json_array_remove(files, 0);
	assert_true(hh_form_def_ok(files, err, sizeof(err)));
	json_decref(files);

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_error_t e;
		json_t *j = json_loads(bad[i].fields, 0, &e);
		if (!j)
			fail_msg("case %zu: %s", i, e.text);
		err[0] = 0;
		if (hh_form_def_ok(j, err, sizeof(err)))
			fail_msg("case %zu accepted: %s", i, bad[i].fields);
		assert_string_equal(err, bad[i].msg);
		json_decref(j);
	}
}

/* The file types named in hints and errors follow the field's accept. */
static void file_kinds(void **state)
{
	(void)state;
	static const struct {
		const char *accept[3];
		int n;
		const char *want;
	} cases[] = {
		{ { "image/jpeg", "image/png" }, 2, "JPEG- eller PNG-fil" },
		{ { "application/pdf" }, 1, "PDF-fil" },
		{ { "image/png", "application/pdf", "image/jpeg" }, 3,
		  "PDF-, JPEG- eller PNG-fil" },
		{ { NULL }, 0, "PDF-, JPEG- eller PNG-fil" }, /* no list: all three */
		{ { "text/plain" }, 1, "PDF-, JPEG- eller PNG-fil" },
	};
	struct hh_arena a;
	hh_arena_init(&a);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hh_form_field fld = { .type = HH_FIELD_FILE };
		for (int k = 0; k < cases[i].n; k++)
			fld.accept[k] = cases[i].accept[k];
		fld.n_accept = cases[i].n;
		assert_string_equal(hh_form_file_kinds(&a, &fld), cases[i].want);
	}
	hh_arena_clear(&a);
}

/* ---- money -------------------------------------------------------------- */

/* Every way a Dane writes kroner, in øre. */
static void amount_parse_danish(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int64_t ore;
	} ok[] = {
		{ "6500", 650000 },
		{ "6.500", 650000 },
		{ "6 500", 650000 },
		{ "6\xc2\xa0" "500", 650000 },          /* no-break space */
		{ "6\xe2\x80\x89" "500", 650000 },     /* thin space */
		{ "6\xe2\x80\xaf" "500", 650000 },     /* narrow no-break space */
		{ "6.500,50", 650050 },
		{ "6500,5", 650050 },
		{ "6500,50", 650050 },
		{ "6,5", 650 },
		{ "6,05", 605 },
		{ "0,5", 50 },
		{ "0", 0 },
		{ "1.234.567,89", 123456789 },
		{ "1 234 567", 123456700 },
		{ "  6.500  ", 650000 },
		{ "6.500 kr.", 650000 },
		{ "6500kr", 650000 },
		{ "6.500,-", 650000 },
		{ "123", 12300 },
		{ "10.000.000.000", 1000000000000LL }, /* the largest taken */
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		int64_t ore = -1;
		enum hh_amount_rc rc = hh_amount_parse(ok[i].text, &ore);
		if (rc != HH_AMOUNT_OK || ore != ok[i].ore)
			fail_msg("'%s': rc %d, %lld øre, want %lld", ok[i].text, rc,
				 (long long)ore, (long long)ok[i].ore);
	}
	static const struct {
		const char *text;
		enum hh_amount_rc rc;
	} bad[] = {
		{ "6.50", HH_AMOUNT_AMBIGUOUS },
		{ "6.5", HH_AMOUNT_AMBIGUOUS },
		{ "6,500", HH_AMOUNT_AMBIGUOUS },
		{ "1,234,567", HH_AMOUNT_AMBIGUOUS },
		{ "6,500.50", HH_AMOUNT_AMBIGUOUS },
		{ "1.2.3", HH_AMOUNT_MALFORMED },
		{ "12.3456", HH_AMOUNT_MALFORMED },
		{ "6500.000", HH_AMOUNT_MALFORMED },
		{ "6 50", HH_AMOUNT_MALFORMED },
		{ "1.234 567", HH_AMOUNT_MALFORMED },
		{ "6.50,00", HH_AMOUNT_MALFORMED },
		{ "-5", HH_AMOUNT_NEGATIVE },
		{ "\xe2\x88\x92" "5", HH_AMOUNT_NEGATIVE },
		{ "1e3", HH_AMOUNT_MALFORMED },
		{ "+5", HH_AMOUNT_MALFORMED },
		{ "0x10", HH_AMOUNT_MALFORMED },
		{ ",5", HH_AMOUNT_MALFORMED },
		{ "6500,", HH_AMOUNT_MALFORMED },
		{ "6,5,0", HH_AMOUNT_AMBIGUOUS },
		{ "6,505", HH_AMOUNT_AMBIGUOUS },
		{ "6.500,505", HH_AMOUNT_MALFORMED },
		{ "", HH_AMOUNT_MALFORMED },
		{ "kr.", HH_AMOUNT_MALFORMED },
		{ "seks tusind", HH_AMOUNT_MALFORMED },
		{ "6..500", HH_AMOUNT_MALFORMED },
		{ "6.", HH_AMOUNT_MALFORMED },
		{ ".500", HH_AMOUNT_MALFORMED },
		{ "6\xc2" "500", HH_AMOUNT_MALFORMED }, /* a broken byte */
		{ "10.000.000.000,01", HH_AMOUNT_TOO_BIG },
		{ "99999999999999999999", HH_AMOUNT_TOO_BIG },
		{ "9223372036854775808", HH_AMOUNT_TOO_BIG },
		{ "999999999999999999999999999999,99", HH_AMOUNT_TOO_BIG },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int64_t ore = -1;
		enum hh_amount_rc rc = hh_amount_parse(bad[i].text, &ore);
		if (rc != bad[i].rc)
			fail_msg("'%s': rc %d, want %d", bad[i].text, rc, bad[i].rc);
		assert_int_equal(ore, -1); /* nothing written */
	}
	assert_int_equal(hh_amount_parse(NULL, &(int64_t){ 0 }), HH_AMOUNT_MALFORMED);
}

static void amount_format(void **state)
{
	(void)state;
	static const struct {
		int64_t ore;
		const char *text;
	} cases[] = {
		{ 650000, "6.500,00 kr." },
		{ 650050, "6.500,50 kr." },
		{ 650, "6,50 kr." },
		{ 5, "0,05 kr." },
		{ 0, "0,00 kr." },
		{ 99999, "999,99 kr." },
		{ 100000, "1.000,00 kr." },
		{ 123456789, "1.234.567,89 kr." },
		{ 1000000000000LL, "10.000.000.000,00 kr." },
		{ -650050, "-6.500,50 kr." },
		{ INT64_MIN, "-92.233.720.368.547.758,08 kr." },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[HH_AMOUNT_SIZE];
		hh_amount_format(cases[i].ore, out);
		assert_string_equal(out, cases[i].text);
	}
	/* what is formatted reads back as the same amount */
	for (int64_t ore = 0; ore < 2000000; ore += 997) {
		char out[HH_AMOUNT_SIZE];
		int64_t back = -1;
		hh_amount_format(ore, out);
		assert_int_equal(hh_amount_parse(out, &back), HH_AMOUNT_OK);
		assert_int_equal(back, ore);
	}
}

/* An amount field: kept as integer øre, refused with a Danish message
 * that shows the accepted forms, bounded in kroner. */
static void amount_fields(void **state)
{
	struct fx *f = *state;
	json_t *saved = f->fields;
	f->fields = json_loads("[{\"name\":\"b\",\"label\":\"Beløb\","
			       "  \"type\":\"amount\",\"min\":1,\"max\":100000}]",
			       0, NULL);
	expect_ok(f, "b", "\"6.500,50\"");
	assert_true(json_is_integer(json_object_get(f->res.values, "b")));
	assert_int_equal(json_integer_value(json_object_get(f->res.values, "b")), 650050);
	expect_ok(f, "b", "\" 6 500 \"");
	assert_int_equal(json_integer_value(json_object_get(f->res.values, "b")), 650000);
	expect_ok(f, "b", "\"6,5\"");
	assert_int_equal(json_integer_value(json_object_get(f->res.values, "b")), 650);
	const char *malformed = "Skriv beløbet i kroner, fx 6500, 6.500, 6 500 eller "
				"6.500,50.";
	expect_err(f, "b", "\"1e3\"", malformed);
	expect_err(f, "b", "\"1.2.3\"", malformed);
	expect_err(f, "b", "\"seks\"", malformed);
	const char *ambiguous = "Beløbet kan læses på to måder. Brug punktum mellem "
				"tusinder og komma før ørerne, fx 6500, 6.500, 6 500 "
				"eller 6.500,50 (6,50 er seks kroner og halvtreds øre).";
	expect_err(f, "b", "\"6.50\"", ambiguous);
	expect_err(f, "b", "\"6,500\"", ambiguous);
	expect_err(f, "b", "\"-5\"",
		   "Beløbet kan ikke være negativt. Skriv beløbet i kroner, fx 6500, "
		   "6.500, 6 500 eller 6.500,50.");
	expect_err(f, "b", "\"99999999999999999999\"",
		   "Beløbet er for stort. Tjek, at du har skrevet det rigtigt.");
	expect_err(f, "b", "\"0,99\"", "Beløbet skal være mindst 1,00 kr.");
	expect_err(f, "b", "\"100.000,01\"", "Beløbet må højst være 100.000,00 kr.");
	expect_ok(f, "b", "\"100.000\"");
	/* a bare JSON number could be kroner or øre: refused */
	expect_err(f, "b", "6500",
		   "Skriv beløbet som tekst i kroner, fx \"6.500\" eller \"6.500,50\".");
	expect_err(f, "b", "6.5",
		   "Skriv beløbet som tekst i kroner, fx \"6.500\" eller \"6.500,50\".");

	/* for people: kroner with øre, whatever was typed */
	parse_form(f->fields, f->form);
	const struct hh_form_field *b = hh_form_field(f->form, "b");
	json_t *v = json_integer(650000);
	assert_string_equal(hh_form_value_display(&f->a, b, v), "6.500,00 kr.");
	json_decref(v);
	assert_string_equal(hh_form_value_display(&f->a, b, NULL), "");
	json_decref(f->fields);
	f->fields = saved;
}

/* Every kept value reads as people expect it. */
static void values_for_people(void **state)
{
	struct fx *f = *state;
	parse_form(f->fields, f->form);
	json_t *data = json_loads(
		"{\"navn\":\"Åse\",\"beloeb\":12.5,\"dato\":\"2026-03-01\","
		" \"bolig\":\"lejer\",\"gift\":\"nej\",\"cpr\":\"070761-4285\","
		" \"foto\":{\"name\":\"b.png\",\"content_type\":\"image/png\","
		"  \"size\":20},\"ukendt\":\"x\"}",
		0, NULL);
	json_t *shown = hh_form_values_display(f->form, data);
	json_t *want = json_loads(
		"{\"navn\":\"Åse\",\"beloeb\":\"12,5\",\"dato\":\"1. marts 2026\","
		" \"bolig\":\"Lejer\",\"gift\":\"Nej\",\"cpr\":\"070761-4285\","
		" \"foto\":\"b.png (20 byte)\"}",
		0, NULL);
	if (!json_equal(shown, want))
		fail_msg("shown: %s", json_dumps(shown, JSON_SORT_KEYS));
	json_decref(shown);
	json_decref(want);
	json_decref(data);
}

/* One condition evaluator: several terms all hold, a term takes any of
 * its values, kept numbers compare as text. */
static void conditions(void **state)
{
	(void)state;
	json_t *flds = json_loads(
		"[{\"name\":\"boern\",\"label\":\"B\",\"type\":\"yesno\"},"
		" {\"name\":\"bolig\",\"label\":\"Bo\",\"type\":\"choice\","
		"  \"options\":[{\"value\":\"ejer\"},{\"value\":\"lejer\"},"
		"              {\"value\":\"andet\"}]},"
		" {\"name\":\"antal\",\"label\":\"A\",\"type\":\"number\"},"
		" {\"name\":\"penge\",\"label\":\"P\",\"type\":\"amount\"}]",
		0, NULL);
	struct hh_form *form = hh_xcalloc(1, sizeof(*form));
	parse_form(flds, form);
	char err[128];
	struct hh_form_cond c;
	json_t *when = json_loads("[{\"field\":\"boern\",\"equals\":\"ja\"},"
				  " {\"field\":\"bolig\",\"equals\":[\"ejer\",\"lejer\"]}]",
				  0, NULL);
	assert_int_equal(hh_form_cond_parse(when, form, NULL, &c, err, sizeof(err)), HH_OK);
	static const struct {
		const char *values;
		int holds;
	} cases[] = {
		{ "{\"boern\":\"ja\",\"bolig\":\"ejer\"}", 1 },
		{ "{\"boern\":true,\"bolig\":\"lejer\"}", 1 },
		{ "{\"boern\":\"ja\",\"bolig\":\"andet\"}", 0 },
		{ "{\"boern\":\"nej\",\"bolig\":\"ejer\"}", 0 },
		{ "{\"bolig\":\"ejer\"}", 0 },
		{ "{}", 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *v = json_loads(cases[i].values, 0, NULL);
		assert_int_equal(hh_form_cond_holds(&c, v), cases[i].holds);
		json_decref(v);
	}
	json_decref(when);
	/* a kept number */
	when = json_loads("{\"field\":\"antal\",\"equals\":\"2\"}", 0, NULL);
	assert_int_equal(hh_form_cond_parse(when, form, NULL, &c, err, sizeof(err)), HH_OK);
	json_t *v = json_loads("{\"antal\":2}", 0, NULL);
	assert_true(hh_form_cond_holds(&c, v));
	json_decref(v);
	json_decref(when);
	/* no condition: always */
	assert_int_equal(hh_form_cond_parse(NULL, form, NULL, &c, err, sizeof(err)), HH_OK);
	assert_true(hh_form_cond_holds(&c, NULL));
	/* refused: an unknown field, an amount (kept in øre), no value */
	static const char *const bad[] = {
		"{\"field\":\"ukendt\",\"equals\":\"ja\"}",
		"{\"field\":\"penge\",\"equals\":\"5\"}",
		"{\"field\":\"boern\"}",
		"{\"field\":\"boern\",\"equals\":[]}",
		"{\"field\":\"boern\",\"equals\":{}}",
		"[]",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		when = json_loads(bad[i], 0, NULL);
		assert_int_equal(hh_form_cond_parse(when, form, NULL, &c, err, sizeof(err)),
				 HH_ERR_INVALID);
		assert_string_equal(err, "when names no other field");
		json_decref(when);
	}
	free(form);
	json_decref(flds);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(required_fields),
		T(text_lengths_in_characters),
		T(numbers),
		T(dates),
		T(choices),
		T(cpr_numbers),
		T(address_email_phone),
		T(files_allowed),
		T(files_refused),
		T(file_size_message),
		cmocka_unit_test(file_kinds),
		T(conditional_fields),
		T(unknown_keys),
		T(normalised_values),
		T(input_is_kept),
		T(definitions),
		T(amount_parse_danish),
		T(amount_format),
		T(amount_fields),
		T(values_for_people),
		T(conditions),
	};
	return cmocka_run_group_tests_name("domain/forms", tests, NULL, NULL);
}
