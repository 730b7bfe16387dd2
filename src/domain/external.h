/* external.h - other authorities' cases, reported by their own case
 * systems (issue 15, point 1: case status in).
 *
 * An authority keeps its cases in its own system (Familieretshuset's,
 * Udbetaling Danmark's, a municipality's ESDH). That system, with an API
 * token of its organisation holding the role case-system, reports each
 * case and every change of it; helhed keeps the newest version and shows
 * it in the citizen's Mit overblik beside helhed's own cases.
 *
 * The key is (the reporting organisation, the system's name, the case's
 * id there). A system's name is any [a-z0-9-]{1,40}: each organisation
 * has its own names (a token can only report under its organisation), so
 * nothing needs registering first. The id is 1..100 printable ASCII
 * characters but "/" (it is one segment of the URL).
 *
 * Reports are ordered by the sender's version, a positive integer:
 *   - no stored case: stored (CREATED);
 *   - a higher version than stored: stored (UPDATED);
 *   - the same version with the same content: nothing written
 *     (UNCHANGED: a repeat, e.g. a retry after a lost answer);
 *   - the same version with other content, or a lower version: CONFLICT,
 *     nothing written, *stored_version says what is stored.
 * Every CREATED or UPDATED writes one event (entity "external_case",
 * action "report" or "update", no CPR number in it), for webhooks later.
 *
 * x-decl: the organisation must have declared the system, and the
 * report's case type, state and facts must be ones the declaration names
 * (domain/casesystems.h); else INVALID and nothing is written. Checked
 * in the report's transaction, against the declaration as it is then.
 * A CREATED or UPDATED report that brings the case into a state (new,
 * or another state than stored) runs the case type's follow-up rules
 * for that state on the report's facts: each rule that holds starts its
 * helhed case for the citizen (found by CPR number among helhed's
 * citizens; at "municipality": the citizen's) in the same transaction,
 * and res->followups says what was started and what was not. A repeat,
 * or a later version in the same state, starts nothing.
 *
 * The citizen is given by CPR number, checked as everywhere in helhed
 * (domain/cpr.h: date and century; modulus 11 is not required). It is
 * kept sealed and found by its keyed hash (domain/vault.h), so the store
 * needs a vault: without one, reports are refused (INTERNAL). */
#ifndef HH_DOMAIN_EXTERNAL_H
#define HH_DOMAIN_EXTERNAL_H

#include <jansson.h>

#include "core/arena.h"
#include "domain/actor.h"
#include "store/store.h"

#define HH_EXTERNAL_SYSTEM_MAX 40
#define HH_EXTERNAL_ID_MAX 100
#define HH_EXTERNAL_URL_MAX 500
/* the external cases shown in one overview, newest first */
#define HH_OVERVIEW_EXTERNAL 200

/* A report as the sender gives it. Strings are borrowed; optional ones
 * may be NULL. Times are ISO 8601 (a date, or a date-time with Z or an
 * offset). */
struct hh_external_report {
	const char *cpr;              /* required */
	const char *title;            /* required, 1..200 characters */
	const char *state;            /* required, 1..100: the authority's
					 own name of the state */
	const char *text;             /* required, 0..2000: the citizen-
					 facing text */
	const char *deadline;         /* optional */
	const char *self_service_url; /* optional, https:// only */
	int64_t version;              /* required, >= 1 */
	const char *created_at;       /* optional: the sender's */
	const char *updated_at;       /* optional: the sender's */
	const char *case_type;        /* required: a case type the system
					 declares (domain/casesystems.h) */
	json_t *facts;                /* optional object (borrowed): the
					 facts the case type declares */
};

enum hh_external_outcome {
	HH_EXTERNAL_CREATED = 1,
	HH_EXTERNAL_UPDATED,
	HH_EXTERNAL_UNCHANGED,
};

/* Why a report was refused, for the caller to name it. */
enum hh_external_fault {
	HH_EXTERNAL_OK = 0,
	HH_EXTERNAL_BAD_FIELD,   /* INVALID: *field names it */
	HH_EXTERNAL_BAD_CPR,     /* INVALID: not a CPR number */
	HH_EXTERNAL_STALE,       /* CONFLICT: older than stored */
	HH_EXTERNAL_DIFFERENT,   /* CONFLICT: same version, other content */
	/* x-decl: what the organisation declared (domain/casesystems.h);
	 * INVALID, nothing written */
	HH_EXTERNAL_UNKNOWN_SYSTEM,    /* the organisation has not declared
					  the system */
	HH_EXTERNAL_UNKNOWN_CASE_TYPE, /* the system declares no such case
					  type */
	HH_EXTERNAL_UNDECLARED_STATE,  /* nor such a state */
	HH_EXTERNAL_UNKNOWN_FACT,      /* nor such a fact of the case type
					  (*field "facts.x") */
};

/* A follow-up rule of the report's case type that the report met
 * (x-decl): started, or not, and why (reason "no-municipality": helhed
 * knows no municipality for the citizen; "unknown-citizen": no helhed
 * citizen has the CPR number; "not-allowed": the case type
 * does not list the reporting organisation in its started_by). Never
 * which case or where (x-fix: the sender is told nothing of the helhed
 * side beyond that). Strings in the report's arena. */
struct hh_external_followup {
	const char *case_type;    /* helhed's case type's code */
	int started;
	/* started: the new case and its organisation, for the change
	 * notice after commit only (never in the answer) */
	int64_t case_id, org_id;
	const char *reason;       /* not started: why */
};

struct hh_external_result {
	enum hh_external_outcome outcome;
	enum hh_external_fault fault;
	const char *field;       /* BAD_FIELD: which ("system", "deadline") */
	const char *detail;      /* BAD_FIELD: why, in English (static) */
	int64_t stored_version;  /* STALE, DIFFERENT: the stored one */
	/* the follow-ups the report met, in the report's transaction */
	struct hh_external_followup *followups;
	int n_followups;
};

/* Reports case (system, external_id) of who's organisation (see the top
 * of this file). FORBIDDEN when who may not report cases (only tokens
 * with the role case-system), INVALID or CONFLICT as res->fault says.
 * *out (may be NULL) gets the stored case with its CPR number opened;
 * strings in a. */
enum hh_rc hh_external_report(struct hh_store *st, struct hh_arena *a,
			      const struct hh_actor *who, const char *system,
			      const char *external_id,
			      const struct hh_external_report *in,
			      struct hh_external_case *out,
			      struct hh_external_result *res);

/* Reads back case (system, external_id) of who's organisation, its CPR
 * number opened. NOT_FOUND when there is none, also for a caller of
 * another organisation (its cases are invisible); FORBIDDEN when who may
 * not read reported cases at all. Strings in a. */
enum hh_rc hh_external_get(struct hh_store *st, struct hh_arena *a,
			   const struct hh_actor *who, const char *system,
			   const char *external_id,
			   struct hh_external_case *out);

/* The external cases of citizen citizen_id (found by the citizen's CPR
 * number; none when helhed does not know it), newest first (the
 * sender's updated_at, else received_at; then id), at most
 * HH_OVERVIEW_EXTERNAL, without their CPR number (cpr, cpr_hash NULL).
 * For the overview (domain/overview.c), inside its transaction: no
 * access rule here. *out and its strings in a. */
enum hh_rc hh_external_of_citizen(struct hh_tx *tx, struct hh_arena *a,
				  int64_t citizen_id,
				  struct hh_external_case **out, int *n);

/* k as the API shows it (new reference): system, id, organisation,
 * title, state, text, deadline, self_service_url, version, created_at,
 * updated_at, received_at (times ISO 8601, null when not given), and
 * with with_cpr the citizen's CPR number (the sender's own read). */
json_t *hh_external_json(const struct hh_external_case *k, int with_cpr);

/* The Danish label of a stored case's stage ("Afgjort"), or NULL when
 * the row has none (stored before its system was declared). */
const char *hh_external_stage_label(const struct hh_external_case *k);

/* 1 when s is a system name ([a-z0-9-]{1,40}), an id, an https URL. */
int hh_external_system_ok(const char *s);
int hh_external_id_ok(const char *s);
int hh_external_url_ok(const char *s);

#endif
