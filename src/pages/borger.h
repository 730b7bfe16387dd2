/* borger.h - what the citizen's own pages share (sign-in, the guide, the
 * forms, Mit overblik): the signed-in citizen, organisation names, case
 * type definitions, Danish dates and the steps of a plan. Internal to
 * src/pages/. */
#ifndef HH_PAGES_BORGER_H
#define HH_PAGES_BORGER_H

#include <jansson.h>

#include "domain/casetype.h"
#include "pages/layout.h"

/* The signed-in citizen; otherwise redirects (303) to the sign-in page
 * with next=back_to (a local path) and returns NULL. Borrowed from r. */
const struct hh_principal *hh_borger_require(struct hh_req *r,
					     const char *back_to);

/* Is s a local path that is safe to redirect to after sign-in ("/..." but
 * not "//host", no backslashes, no control characters)? */
int hh_borger_local_path(const char *s);

/* Appends the hidden csrf field with the citizen's session token. */
void hh_borger_csrf_field(struct hh_req *r);

/* p-agree: one field of def's form as the form page shows it (label,
 * hint, the Danish error from res, the control with its value from
 * values, text by name), and the id a summary links to
 * (pages/blanket.c). */
struct hh_form_result;
void hh_borger_form_field(struct hh_req *r, const struct hh_case_type_def *def,
			  const struct hh_form_field *f, json_t *values,
			  const struct hh_form_result *res);
const char *hh_borger_field_anchor(struct hh_arena *a, const struct hh_form_field *f);

/* Danish wall-clock time (Europe/Copenhagen: CET, CEST from the last
 * Sunday of March to the last Sunday of October) of epoch seconds t:
 * "3. marts 2026" or, with clock, "3. marts 2026 kl. 14.05". Arena. */
const char *hh_borger_date(struct hh_arena *a, int64_t t, int clock);
/* "5 dage", "2 uger", "3 måneder", "48 timer" for an ISO 8601 duration
 * as a case type writes it (seconds as the fallback); arena. */
const char *hh_borger_duration(struct hh_arena *a, const char *iso,
			       int64_t seconds);

/* Every organisation's name, loaded once per request (hh_org_each). */
struct hh_org_names {
	json_t *by_code; /* borrowed: code → name (freed with the arena) */
	json_t *by_id;   /* borrowed: "id" → name */
};
enum hh_rc hh_org_names_load(struct hh_req *r, struct hh_org_names *out);
/* The name for a code; "municipality" is muni_name, else "din kommune".
 * NULL for a NULL code; the code itself when it is unknown. */
const char *hh_org_names_get(const struct hh_org_names *n, const char *code,
			     const char *muni_name);
const char *hh_org_names_by_id(const struct hh_org_names *n, int64_t id);

/* The Danish label of a case's state. */
const char *hh_borger_state_label(const struct hh_case_type_def *def,
				  const char *state);

/* Titles of the articles that steps (a JSON array) link to, resolved for
 * the municipality muni_id as the caller reads them
 * (hh_plan_step_articles): an object slug → title, freed with the arena;
 * slugs that are not found are left out. */
json_t *hh_borger_step_articles(struct hh_req *r, json_t *steps,
				int64_t muni_id);

/* Appends the opening of one step of a plan: <li class="step"> with its
 * heading (h3), state (a label or NULL), text, responsible organisation
 * and linked articles. The caller appends any action and "</li>". */
void hh_borger_step_begin(struct hh_req *r, json_t *step, json_t *articles,
			  const struct hh_org_names *orgs,
			  const char *muni_name, const char *state,
			  const char *state_class);

/* Page handlers are declared in api/app.h. */

#endif
