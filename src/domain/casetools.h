/* casetools.h - the caseworker's tools around a case: journal numbers,
 * assignment to a colleague or a team, uploaded files, the citizen's
 * other cases, the stages of the state filter, and what a follow-up was
 * started from.
 *
 * Every function applies the access table (domain/access.h) as the rest
 * of the case functions do: a case, file or citizen of another
 * organisation is NOT_FOUND, exactly as an unknown id. Every staff read
 * of an upload or a CPR number is written to the audit log the citizen
 * reads in Mit overblik ("Hvem har set mine oplysninger"). */
#ifndef HH_DOMAIN_CASETOOLS_H
#define HH_DOMAIN_CASETOOLS_H

#include <jansson.h>

#include "core/arena.h"
#include "domain/actor.h"
#include "domain/casetype.h"
#include "store/store.h"

/* ---- journal numbers ------------------------------------------------------
 *
 * "24.00.00-G01-17-26": the case type's KLE subject number ("kle",
 * "00.00.00" when it has none), its action facet ("facet", default
 * "G01"), a serial per organisation and Danish calendar year (from 1),
 * and the year's last two digits. */

#define HH_JOURNAL_FACET_DEFAULT "G01"

/* Gives case k (org_id and created_at set, not yet inserted) its journal
 * number from def, in tx (the transaction that inserts k). The string is
 * in a. */
enum hh_rc hh_case_journal_assign(struct hh_tx *tx, struct hh_arena *a,
				  const struct hh_case_type_def *def,
				  struct hh_case *k);

/* Whether s is written as a journal number or the start of one: digits,
 * dots, hyphens and the facet's letter, starting with a digit. */
int hh_journal_like(const char *s);

/* ---- assignment ---------------------------------------------------------- */

/* Why an assignment was refused (INVALID). */
enum hh_assign_fault {
	HH_ASSIGN_FINE = 0,
	HH_ASSIGN_CLOSED, /* the case is closed */
	HH_ASSIGN_USER,   /* not a caseworker of the case's organisation */
	HH_ASSIGN_TEAM,   /* not a team of the case's organisation */
};

/* The Danish message for a fault (static). */
const char *hh_assign_fault_text(enum hh_assign_fault f);

/* Assigns case id to user_id (0: no person) or to team (a team code of
 * the case's organisation; NULL: no team). A person must be a caseworker
 * of the case's organisation (or the caller taking it themself); a team
 * must be one of its teams: otherwise INVALID with *fault. Assigning a
 * team leaves the person out; a person taking a team's case keeps the
 * team on it; both 0/NULL removes the assignment. One event "assign"
 * with before and after (assigned_to, assigned_team, team_name).
 * NOT_FOUND for a case who may not see, FORBIDDEN for one who may see
 * but not change, CONFLICT for a stale version. */
enum hh_rc hh_case_assign_to(struct hh_store *st, struct hh_arena *a,
			     const struct hh_actor *who, int64_t id,
			     int64_t user_id, const char *team,
			     int64_t expected_version, struct hh_case *out,
			     enum hh_assign_fault *fault);

/* Someone a case of the caller's organisation may be assigned to. */
struct hh_assignee {
	int64_t user_id;     /* 0 for a team */
	const char *team;    /* a team code, NULL for a person */
	const char *name;
};

/* The caseworkers (active users with the caseworker role) and the teams
 * of the caller's organisation, people by name first, then teams by
 * code. Strings in a. FORBIDDEN for a caller who does not work cases. */
enum hh_rc hh_case_assignees(struct hh_store *st, struct hh_arena *a,
			     const struct hh_actor *who,
			     enum hh_rc (*cb)(void *ctx,
					      const struct hh_assignee *p),
			     void *ctx);

/* ---- uploaded files ------------------------------------------------------ */

/* The content types a form upload may be served as; anything else is
 * served as application/octet-stream. */
int hh_case_file_type_allowed(const char *content_type);

/* File file_id of case case_id with its bytes, for staff who may read the
 * case. The access is written to the audit log of the case's citizen
 * (who, when, which file, why "Sagsbehandling") in the same transaction.
 * NOT_FOUND for a file of another case, or of a case who may not see. */
enum hh_rc hh_case_file_open(struct hh_store *st, struct hh_arena *a,
			     const struct hh_actor *who, int64_t case_id,
			     int64_t file_id, struct hh_case_file *out);

/* ---- stages ---------------------------------------------------------------
 *
 * The state filter groups states into stages by their flags in the case
 * type: the case type's initial state is "Ny"; a paused state "Afventer
 * borgeren"; a final state "Afgjort", except the final states that end a
 * case without deciding it (withdrawn, cancelled, duplicate: the keys in
 * casetools.c), which are "Lukket"; every other state is "Under
 * behandling". */
enum hh_stage {
	HH_STAGE_NONE = 0,
	HH_STAGE_NEW,
	HH_STAGE_WORKING,
	HH_STAGE_AWAITING,
	HH_STAGE_DECIDED,
	HH_STAGE_CLOSED,
	HH_STAGE__COUNT
};

enum hh_stage hh_case_stage(const struct hh_case_type_def *def,
			    const struct hh_ct_state *s);
/* The stage's code in URLs and the API ("ny", "behandling", "afventer",
 * "afgjort", "lukket") and its Danish label; the code back to a stage
 * (HH_STAGE_NONE when unknown). */
const char *hh_stage_code(enum hh_stage s);
const char *hh_stage_label(enum hh_stage s);
enum hh_stage hh_stage_parse(const char *code);

/* ---- the follow-up's origin ---------------------------------------------- */

/* The key under which a follow-up carries its origin in its data: the
 * case that started it (id, journal number, case type, organisation,
 * decision and date) and the values the rule handed over (the values of
 * the fields the rule's condition read). Starts with "-": never a form
 * field's name. */
#define HH_CASE_ORIGIN_KEY "-origin"

/* The origin object for a follow-up of parent (decided as state_label at
 * time at), carrying the values of fields (NULL-ended) from parent_data.
 * New reference. */
json_t *hh_case_origin_json(const struct hh_case *parent,
			    const char *state_label, int64_t at,
			    json_t *parent_data, const char *const *fields);

#endif
