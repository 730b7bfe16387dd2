/* forms.h - a case type's form as typed fields, and validating a citizen's
 * input against it.
 *
 * A form is data (a case type's "form", see docs/content-format.md). It is
 * parsed once, with the case type (hh_case_type_def_from), into a struct
 * hh_form whose fields carry their type as an enum and their limits as
 * numbers. Everything that differs between field types is one row of
 * hh_field_ops[]: how a sent value reads as text (coerce), how it is
 * checked and what is kept (validate), how it reads to a human (display)
 * and how Open311 describes it. How a field looks in HTML is the pages'
 * business: pages/blanket.c keeps its own table indexed by the same enum.
 *
 * When a field applies, and when a follow-up case starts, is one kind of
 * condition (struct hh_form_cond) checked by one function,
 * hh_form_cond_holds().
 *
 * Every error names its field and says in Danish what to do; the citizen's
 * input is never thrown away by validation. */
#ifndef HH_FORMS_H
#define HH_FORMS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/rc.h"

#define HH_FORM_MAX_MSGS 64
#define HH_FORM_MAX_FILES 8
#define HH_FORM_MAX_FIELDS 48
#define HH_FORM_MAX_OPTIONS 160 /* all choice options of a form together */
#define HH_FORM_MAX_ACCEPT 8
#define HH_FORM_MAX_TERMS 4     /* terms of one condition, all must hold */

enum hh_field_type {
	HH_FIELD_TEXT,
	HH_FIELD_TEXTAREA,
	HH_FIELD_NUMBER,
	HH_FIELD_AMOUNT, /* kroner as citizens write them, kept as integer øre */
	HH_FIELD_DATE,
	HH_FIELD_CHOICE,
	HH_FIELD_YESNO,
	HH_FIELD_CPR,
	HH_FIELD_ADDRESS,
	HH_FIELD_EMAIL,
	HH_FIELD_PHONE,
	HH_FIELD_FILE,
	HH_FIELD_TYPES
};

#define HH_FORM_MAX_EQUALS 8   /* values one term accepts */

/* A condition on other answers: every term's field has one of the term's
 * values (as text: "ja"/"nej" for yes/no). No terms: always holds. */
struct hh_form_term {
	const char *field;
	const char *equals[HH_FORM_MAX_EQUALS];
	int n_equals;
};

struct hh_form_cond {
	struct hh_form_term terms[HH_FORM_MAX_TERMS];
	int n_terms;
};

struct hh_form_option {
	const char *value, *label;
};

/* Strings are borrowed from the JSON the form was parsed from. */
struct hh_form_field {
	enum hh_field_type type;
	const char *name, *label, *help;
	int required;
	int64_t min_length, max_length; /* characters; max has its default */
	int has_min, has_max;
	double min, max;                 /* number */
	int64_t min_ore, max_ore;        /* amount (written in kroner) */
	const char *min_date, *max_date; /* date, YYYY-MM-DD or NULL */
	int max_age;                     /* cpr: younger than this on the
					    day it is sent, Danish date
					    (0: any age; r-agree) */
	int64_t max_bytes;               /* file */
	const char *accept[HH_FORM_MAX_ACCEPT];
	int n_accept;                    /* 0: PDF, JPEG and PNG */
	const struct hh_form_option *options; /* choice; into the form's pool */
	int n_options;
	struct hh_form_cond when;        /* when the field applies */
};

struct hh_form {
	int present; /* the case type has a form */
	const char *title, *intro;
	struct hh_form_field fields[HH_FORM_MAX_FIELDS];
	int n_fields;
	struct hh_form_option options[HH_FORM_MAX_OPTIONS];
	int n_options;
};

/* Parses a form definition ({"title", "intro", "fields": [...]}, or NULL
 * for none) into out, borrowing its strings: form must outlive out. Checks
 * names, types, options, limits and conditions; on failure writes an
 * English message to err and returns INVALID. */
enum hh_rc hh_form_parse(json_t *form, struct hh_form *out, char *err,
			 size_t errsz);

/* Parses a condition: {"field": F, "equals": V} or a list of those (all
 * must hold). Every field must be one of form's (except `self`, which may
 * be NULL). V is a string or a boolean (true = "ja"), or a list of them
 * (any one will do). */
enum hh_rc hh_form_cond_parse(json_t *when, const struct hh_form *form,
			      const char *self, struct hh_form_cond *out,
			      char *err, size_t errsz);

/* The field called name, or NULL. */
const struct hh_form_field *hh_form_field(const struct hh_form *form,
					  const char *name);

/* Does the condition hold for values (a JSON object of sent or kept
 * values)? The one condition evaluator. */
int hh_form_cond_holds(const struct hh_form_cond *c, json_t *values);
/* Does the field apply given the values? */
int hh_form_field_applies(const struct hh_form_field *f, json_t *values);

/* ---- validation -------------------------------------------------------- */

struct hh_form_msg {
	const char *field;
	const char *message; /* Danish */
};

struct hh_form_file {
	const char *field, *name, *content_type;
	unsigned char *data; /* arena */
	size_t size;
};

struct hh_form_result {
	struct hh_form_msg errors[HH_FORM_MAX_MSGS];
	int n_errors;
	struct hh_form_msg warnings[HH_FORM_MAX_MSGS];
	int n_warnings;
	struct hh_form_file files[HH_FORM_MAX_FILES];
	int n_files;
	json_t *values; /* new: the normalised values of applicable fields */
	json_t *display; /* borrowed (the arena's): the values as people read
			    them, {name: "6.500,00 kr."}; NULL with errors */
};

/* Validates input (a JSON object: strings, numbers, booleans; a file is
 * {"name", "content_type", "data": base64}) against the form. Keys that
 * are not fields are errors. res->values is always set (caller decrefs).
 * Returns the number of errors. */
int hh_form_validate(struct hh_arena *a, const struct hh_form *form,
		     json_t *input, struct hh_form_result *res);

/* The field's error message in res, or NULL. */
const char *hh_form_error_for(const struct hh_form_result *res,
			      const char *field);
const char *hh_form_warning_for(const struct hh_form_result *res,
				const char *field);

/* Checks a form's fields array (content import): parses it and throws the
 * result away. Writes an English message and returns 0 when it is broken. */
int hh_form_def_ok(json_t *fields, char *err, size_t errsz);

/* ---- per type ---------------------------------------------------------- */

/* One field being checked: the door fills the inputs, the type's validate
 * the outputs. */
struct hh_field_check {
	struct hh_arena *a;
	const struct hh_form_field *field;
	json_t *input;       /* the value sent, never null */
	const char *text;    /* as text, trimmed and non-blank (not for files) */
	json_t *value;       /* out: what is kept (new reference) */
	const char *error;   /* out: Danish, or NULL */
	const char *warning; /* out: Danish, or NULL */
	struct hh_form_file file; /* out: files only */
};

struct hh_field_ops {
	const char *name; /* as written in content: "text", "amount", ... */
	/* The sent value as the text a citizen would have typed, into a
	 * (numbers in full, true/false as "ja"/"nej"), or NULL when it has a
	 * shape the type does not take. */
	const char *(*coerce)(struct hh_arena *a, json_t *v);
	/* Checks c->text (c->input for files); sets c->value or c->error. */
	void (*validate)(struct hh_field_check *c);
	/* A kept value for people to read ("6.500,00 kr.", "Ja", an
	 * option's label), into a. */
	const char *(*display)(struct hh_arena *a, const struct hh_form_field *f,
			       json_t *kept);
	/* Open311: the attribute's datatype, and a Danish description of
	 * the values it takes appended to b. */
	const char *open311_datatype;
	void (*open311_describe)(struct hh_buf *b, const struct hh_form_field *f);
};

extern const struct hh_field_ops hh_field_ops[HH_FIELD_TYPES];

/* The file types a file field accepts, for its hint and its error:
 * "PDF-, JPEG- eller PNG-fil" (static, or in a). */
const char *hh_form_file_kinds(struct hh_arena *a,
			       const struct hh_form_field *f);

/* A kept value of the field as people read it (into a; "" for none). */
const char *hh_form_value_display(struct hh_arena *a,
				  const struct hh_form_field *f, json_t *kept);
/* {name: display text} for the form's fields that have a value in data
 * (new reference). */
json_t *hh_form_values_display(const struct hh_form *form, json_t *data);

/* Open311's datatype_description of a field: its type's description, when
 * it applies and its help (Danish, into a). */
const char *hh_form_field_describe(struct hh_arena *a,
				   const struct hh_form_field *f);

/* ---- money ------------------------------------------------------------- */

enum hh_amount_rc {
	HH_AMOUNT_OK,
	HH_AMOUNT_MALFORMED, /* not a number at all, "1e3", "1.2.3" */
	HH_AMOUNT_AMBIGUOUS, /* "6.50", "6,500": a Dane and an English
				reader would read different amounts */
	HH_AMOUNT_NEGATIVE,
	HH_AMOUNT_TOO_BIG,
};

/* The largest amount taken, in øre (ten billion kroner): well inside what
 * a double (JavaScript) holds exactly. */
#define HH_AMOUNT_MAX_ORE 1000000000000LL
#define HH_AMOUNT_SIZE 48

/* Reads kroner as Danes write them: "6500", "6.500", "6 500" (also with a
 * no-break or thin space), "6.500,50", "6500,5", "6,5" (six kroner
 * fifty), optionally followed by "kr." or ",-". A point groups thousands
 * and a comma starts the øre, never the other way round. */
enum hh_amount_rc hh_amount_parse(const char *s, int64_t *ore);
/* "6.500,00 kr." */
void hh_amount_format(int64_t ore, char out[HH_AMOUNT_SIZE]);

#endif
