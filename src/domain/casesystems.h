/* casesystems.h - the case systems an organisation declares (issue 15,
 * point 6; docs/external-cases.md, "Declaring a case system").
 *
 * Before an authority's own case system may report cases
 * (domain/external.h), its organisation declares it: a Danish label, the
 * case types it reports (each a key, a Danish name, optionally a KLE
 * number, the facts a report of it may carry, typed, and follow-up rules
 * in the shape of a helhed case type's) and the states it uses (each the
 * authority's own name and its stage: received, in_progress,
 * awaiting_citizen, decided or closed, so that helhed can reason about
 * states it did not name). A report is then refused when its system, its
 * case type, its state or one of its facts is not declared.
 *
 * Declared as data: through the API by the organisation's admin
 * (PUT /api/v1/case-systems/{system}), and from content/case-systems.json
 * at import. A declaration is one JSON object:
 *
 *   {"label": "Familieretshusets sagssystem",
 *    "states": [{"name": "Modtaget", "stage": "received"}, ...],
 *    "case_types": [{"key": "skilsmisse", "name": "Skilsmisse",
 *                    "kle": "16.10.00",
 *                    "facts": {"children": "boolean"},
 *                    "followups": [{"state": "Bevilget",
 *                                   "case_type": "boernetilskud-revurdering",
 *                                   "organisation": "municipality",
 *                                   "when": {"field": "children",
 *                                            "equals": true}}]}]}
 *
 * Unknown keys are refused at every level. */
#ifndef HH_DOMAIN_CASESYSTEMS_H
#define HH_DOMAIN_CASESYSTEMS_H

#include <jansson.h>
#include <stdio.h>

#include "core/arena.h"
#include "domain/actor.h"
#include "domain/casetype.h"
#include "store/store.h"

#define HH_CS_STATES 40
#define HH_CS_CASE_TYPES 40
#define HH_CS_FACTS 16

/* What a declared state means to helhed, whatever the authority calls
 * it. */
enum hh_cs_stage {
	HH_CS_STAGE_NONE = 0,
	HH_CS_RECEIVED,
	HH_CS_IN_PROGRESS,
	HH_CS_AWAITING_CITIZEN,
	HH_CS_DECIDED,
	HH_CS_CLOSED,
	HH_CS_STAGE__COUNT
};

/* "received", ... and back (NONE when unknown); the Danish label
 * ("Modtaget", "Under behandling", "Afventer dig", "Afgjort", "Lukket"). */
const char *hh_cs_stage_code(enum hh_cs_stage s);
const char *hh_cs_stage_label(enum hh_cs_stage s);
enum hh_cs_stage hh_cs_stage_parse(const char *code);

enum hh_cs_fact_type {
	HH_CS_FACT_BOOLEAN = 1,
	HH_CS_FACT_STRING,  /* 0..200 characters */
	HH_CS_FACT_INTEGER,
};

struct hh_cs_state {
	const char *name;
	enum hh_cs_stage stage;
};

struct hh_cs_fact {
	const char *name;
	enum hh_cs_fact_type type;
};

/* A follow-up's state is one of the system's state names; its when reads
 * the report's facts (a boolean fact compares as "ja"/"nej"). */
struct hh_cs_case_type {
	const char *key, *name, *kle;
	struct hh_cs_fact facts[HH_CS_FACTS];
	int n_facts;
	struct hh_ct_followup followups[HH_CT_FOLLOWUPS];
	int n_followups;
};

/* A parsed declaration; its strings are borrowed from root. */
struct hh_cs_def {
	json_t *root;
	const char *label;
	struct hh_cs_state states[HH_CS_STATES];
	int n_states;
	struct hh_cs_case_type *case_types; /* in the arena given to parse */
	int n_case_types;
};

/* Where a declaration is wrong: field is the path ("states[2].stage"),
 * detail says why in English; both static or in the arena. */
struct hh_cs_error {
	const char *field, *detail;
};

/* Checks the shape of declaration root (borrowed: it must outlive out)
 * and fills out. INVALID with *err set when it is wrong. Nothing in the
 * store is read: see hh_cs_check_tx. */
enum hh_rc hh_cs_parse(json_t *root, struct hh_arena *a, struct hh_cs_def *out,
		       struct hh_cs_error *err);

/* What only the store can tell, inside tx: each follow-up names a case
 * type helhed has, that lets org_code (the declaring organisation) start
 * it (hh_cs_may_start), and an organisation that exists ("municipality":
 * the citizen's), and each KLE number exists once KLE has been imported.
 * INVALID with *err set when not. */
enum hh_rc hh_cs_check_tx(struct hh_tx *tx, struct hh_arena *a,
			  const char *org_code, const struct hh_cs_def *def,
			  struct hh_cs_error *err);

/* x-fix: may org_code's case systems start cases of helhed's case type
 * case_type by a follow-up rule? *ok 1 when the case type's definition
 * lists org_code in "started_by" (docs/content-format.md); NOT_FOUND
 * when there is no such case type. */
enum hh_rc hh_cs_may_start(struct hh_tx *tx, struct hh_arena *a,
			   const char *case_type, const char *org_code, int *ok);

/* Reads and parses (org_id, system)'s declaration inside tx: NOT_FOUND
 * when the organisation has not declared it. The definition is parsed
 * into def (strings in a); a stored declaration that no longer parses is
 * our bug (INTERNAL). */
enum hh_rc hh_cs_load_tx(struct hh_tx *tx, struct hh_arena *a, int64_t org_id,
			 const char *system, struct hh_cs_def *def);

/* Lookups in a parsed declaration; NULL when not declared. */
const struct hh_cs_state *hh_cs_state(const struct hh_cs_def *d,
				      const char *name);
const struct hh_cs_case_type *hh_cs_case_type(const struct hh_cs_def *d,
					      const char *key);

/* Checks a report's facts (a JSON object, or NULL for none) against case
 * type t: returns 0 and *field ("facts.children") with *unknown 1 for a
 * fact t does not declare, *unknown 0 for a value of the wrong type. */
int hh_cs_facts_ok(struct hh_arena *a, const struct hh_cs_case_type *t,
		   json_t *facts, const char **field, int *unknown);

/* Declares (or declares anew) system of who's organisation from body
 * (borrowed). FORBIDDEN unless who is an admin of an organisation;
 * INVALID with *err set when the declaration is wrong (nothing written).
 * *out gets the stored declaration (strings in a), *created whether it
 * is new. One event (entity "case_system", action "declare" or
 * "redeclare") per call that writes. */
enum hh_rc hh_case_system_declare(struct hh_store *st, struct hh_arena *a,
				  const struct hh_actor *who,
				  const char *system, json_t *body,
				  struct hh_case_system *out, int *created,
				  struct hh_cs_error *err);

/* Reads system of who's organisation: NOT_FOUND when not declared (also
 * for another organisation's), FORBIDDEN unless who is an admin or a
 * case system. Strings in a. */
enum hh_rc hh_case_system_get(struct hh_store *st, struct hh_arena *a,
			      const struct hh_actor *who, const char *system,
			      struct hh_case_system *out);

/* The systems who's organisation declared, by name, as
 * hh_case_system_json shows each (a new array in *out). The same access
 * as hh_case_system_get. */
enum hh_rc hh_case_system_list(struct hh_store *st, struct hh_arena *a,
			       const struct hh_actor *who, json_t **out);

/* c as the API shows it (new reference): the declaration with system,
 * organisation and updated_at beside it. */
json_t *hh_case_system_json(const struct hh_case_system *c);

/* A life event step's "external" ({"organisation": code, "case_type":
 * key, "done_in": [state names], "done_stages": [stage codes]}, at least
 * one of the two lists; domain/plans.c): NULL when its shape is right,
 * else why (static). Whether the organisation declares such a case type
 * is not checked: it may declare it after the life event is imported. */
const char *hh_cs_step_problem(json_t *external);

/* Imports content_dir/case-systems.json: {"<organisation code>":
 * {"<system>": declaration, ...}, ...}, all or nothing, after the case
 * types (follow-ups name them). *n gets how many systems. A missing
 * file is nothing to do; a bad one is reported on errs (INVALID). */
enum hh_rc hh_case_systems_import(struct hh_store *st, const char *dir,
				  int force,
				  FILE *errs, int *n);

#endif
