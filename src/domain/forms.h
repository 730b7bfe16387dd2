/* forms.h - validating a citizen's form input against the form's fields.
 *
 * Fields are data (a case type's "form.fields", see docs/content-format.md).
 * Every error names its field and says in Danish what to do; the citizen's
 * input is never thrown away by validation. */
#ifndef HH_FORMS_H
#define HH_FORMS_H

#include <jansson.h>
#include <stddef.h>

#include "core/arena.h"

#define HH_FORM_MAX_MSGS 64
#define HH_FORM_MAX_FILES 8

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
};

/* Validates input (a JSON object: strings, numbers, booleans; a file is
 * {"name", "content_type", "data": base64}) against fields. Keys that are
 * not fields are errors. res->values is always set (caller decrefs).
 * Returns the number of errors. */
int hh_form_validate(struct hh_arena *a, json_t *fields, json_t *input,
		     struct hh_form_result *res);

/* The field's error message in res, or NULL. */
const char *hh_form_error_for(const struct hh_form_result *res,
			      const char *field);
const char *hh_form_warning_for(const struct hh_form_result *res,
				const char *field);

/* The file types a file field accepts, for a hint or an error:
 * "PDF-, JPEG- eller PNG-fil" (in a). */
const char *hh_form_file_kinds(struct hh_arena *a, json_t *field);

/* Is the field (a definition) applicable given input values? */
int hh_form_field_applies(json_t *field, json_t *input);

/* Checks a form definition: names, types, options. Writes an English
 * message and returns 0 when it is broken. */
int hh_form_def_ok(json_t *fields, char *err, size_t errsz);

#endif
