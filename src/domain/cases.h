/* cases.h - cases: submission from a form, the caseworker's transitions,
 * requests to the citizen, and follow-ups at other authorities.
 *
 * Every change of a case is one transaction with its event; updates carry
 * the version the caller saw and fail with CONFLICT when it is stale. */
#ifndef HH_CASES_H
#define HH_CASES_H

#include <jansson.h>

#include "domain/actor.h"
#include "domain/casetype.h"
#include "domain/forms.h"
#include "store/store.h"

struct hh_submission {
	const char *case_type;  /* code */
	int64_t citizen_id;     /* 0: anonymous (Open311 with an api key) */
	int64_t municipality_id; /* the citizen's municipality (for
				    case types at "municipality") */
	int64_t plan_id;        /* 0: none; must be the citizen's */
	const char *step;       /* the plan's step, or NULL */
	json_t *values;         /* borrowed: the form input */
	const char *idem_scope; /* with idem_key: a repeat returns the same */
	const char *idem_key;
	const char *actor;      /* for the event: "citizen:3", "token:1" */
	int public_only;        /* refuse case types not open to the public */
	enum hh_loa loa;        /* the citizen's assurance level: a form
				   that asks for a CPR number needs
				   substantial or high */
	const char *extra_key;  /* with extra: kept in the case data under */
	json_t *extra;          /* this key beside the form values (borrowed;
				   Open311's location and reporter). The key
				   must not be a field name (use a "-"). */
};

/* Why a submission was refused, beside the rc (for the doors to decide
 * on: never match the field name). */
enum hh_submit_fault {
	HH_SUBMIT_FINE = 0,
	HH_SUBMIT_CASE_TYPE,    /* unknown, or not open to the public */
	HH_SUBMIT_PLAN,         /* no such plan of the citizen's */
	HH_SUBMIT_MUNICIPALITY, /* the case goes to the citizen's
				   municipality, which is not known */
	HH_SUBMIT_KEY_REUSED,   /* (CONFLICT) the idempotency key made a
				   case from a different request */
	HH_SUBMIT_ASSURANCE,    /* FORBIDDEN: the form asks for CPR numbers
				   and the citizen signed in below
				   substantial (MitID) */
};

/* Validates and creates the case. On INVALID, res holds the field errors
 * (res->values set; caller decrefs) or *why says what is wrong otherwise.
 * *replayed = 1 when the idempotency key had already made the case from
 * the same request (case type, plan, step, values, extra); the key used
 * with a different request is CONFLICT with *fault HH_SUBMIT_KEY_REUSED,
 * never a replay of the other case.
 * *fault (may be NULL) says why a refusal was not the form's fault. */
enum hh_rc hh_case_submit(struct hh_store *st, struct hh_arena *a,
			  const struct hh_submission *sub,
			  struct hh_form_result *res, struct hh_case *out,
			  int *replayed, const char **why,
			  enum hh_submit_fault *fault);

/* What is wrong with a submission beyond its form values. */

/* hh_case_submit on behalf of who, a signed-in citizen: sets the
 * submission's citizen, municipality, assurance level and actor from who. FORBIDDEN for
 * anyone who may not submit (not a citizen; res->values is NULL then);
 * otherwise as hh_case_submit, with *fault saying what is wrong on an
 * INVALID without field errors. */
enum hh_rc hh_case_submit_as(struct hh_store *st, struct hh_arena *a,
			     const struct hh_actor *who,
			     struct hh_submission *sub,
			     struct hh_form_result *res, struct hh_case *out,
			     int *replayed, enum hh_submit_fault *fault);

/* What a staff member may do with a case; NOT_FOUND for another
 * organisation's case (it is not theirs to see). */
enum hh_rc hh_case_get_staff(struct hh_store *st, struct hh_arena *a,
			     const struct hh_actor *who, int64_t id,
			     const char *why, struct hh_case *out);

/* The staff changes below answer NOT_FOUND for a case who may not see,
 * FORBIDDEN for one who may see but not change (a manager: only the
 * transitions the case type gives the manager role). */

/* Moves the case to state `to` (allowed by the case type for one of the
 * actor's roles), with an optional note. Pausing stops the deadline clock;
 * leaving the paused state adds the paused time to the deadline. Final
 * states close the case. Follow-ups of the life event are created. */
enum hh_rc hh_case_transition(struct hh_store *st, struct hh_arena *a,
			      const struct hh_actor *who, int64_t id,
			      const char *to, int64_t expected_version,
			      const char *note, struct hh_case *out,
			      int *followups);
/* Why hh_case_transition refused to move case id to `to` when a timed
 * wait (case type "after"/"before") is the reason: OK with *opens the
 * instant the move may happen from, or *closed the last instant it
 * could have happened, and *label the wait's name (NULL: none given);
 * both 0 when no wait stands in the way now. NOT_FOUND as a read. */
enum hh_rc hh_case_wait(struct hh_store *st, struct hh_arena *a,
			const struct hh_actor *who, int64_t id, const char *to,
			int64_t *opens, int64_t *closed, const char **label);
/* hh_case_transition inside tx (the caller commits, and tells the
 * store's subscribers after), for domain/letters.c: a move whose letter
 * (case type "letters") is sent in the same transaction. Without that
 * letter hh_case_transition refuses such a move with INVALID when the
 * case has a citizen (hh_letter_required says why). */
enum hh_rc hh_case_transition_tx(struct hh_tx *tx, struct hh_arena *a,
				 const struct hh_actor *who, int64_t id,
				 const char *to, int64_t expected_version,
				 const char *note, struct hh_case *out,
				 int *followups);
/* hh_case_request inside tx, for domain/letters.c: the request sent as
 * a letter in the same transaction. */
enum hh_rc hh_case_request_tx(struct hh_tx *tx, struct hh_arena *a,
			      const struct hh_actor *who, int64_t id,
			      const char *question, int64_t expected_version,
			      struct hh_case *out);
/* Assigns the case to user_id (0: nobody): hh_case_assign_to
 * (domain/casetools.h) without a team. */
enum hh_rc hh_case_assign(struct hh_store *st, struct hh_arena *a,
			  const struct hh_actor *who, int64_t id,
			  int64_t user_id, int64_t expected_version,
			  struct hh_case *out);
/* Adds a note (an event; the version does not change). */
enum hh_rc hh_case_note(struct hh_store *st, struct hh_arena *a,
			const struct hh_actor *who, int64_t id, const char *text);
/* Asks the citizen for more: moves to the paused state with the question. */
enum hh_rc hh_case_request(struct hh_store *st, struct hh_arena *a,
			   const struct hh_actor *who, int64_t id,
			   const char *question, int64_t expected_version,
			   struct hh_case *out);
/* The citizen who answers a request on their case; the case returns to
 * where it was. FORBIDDEN for anyone but a citizen, NOT_FOUND for
 * another citizen's case, INVALID when the case waits for no answer. */
enum hh_rc hh_case_answer(struct hh_store *st, struct hh_arena *a,
			  const struct hh_actor *who, int64_t id,
			  const char *answer, struct hh_case *out);

/* ---- answering a request with files (the citizen's inbox) ---- */

/* The form field the files of an answer are kept under (case_files). */
#define HH_ANSWER_FILE_FIELD "svar"
/* How many files one answer may carry: as many as a form keeps. */
#define HH_ANSWER_MAX_FILES HH_FORM_MAX_FILES

/* Checks the files of an answer by the rules of a form's file field
 * that sets none of its own (domain/forms.h: PDF, JPEG or PNG, checked
 * by their first bytes, at most 5 MB each, a readable file name), and at
 * most HH_ANSWER_MAX_FILES of them. files is a JSON array of what a file
 * field takes ({"name", "content_type", "data": base64}; NULL or empty:
 * none). Returns NULL and fills out[0..*n) (data in a) when they pass,
 * otherwise the Danish message for the citizen (static or in a) naming
 * the file. */
const char *hh_case_answer_files_check(struct hh_arena *a, json_t *files,
				       struct hh_form_file *out, int *n);

/* hh_case_answer with files: checks them first (as above; INVALID with
 * *file_error set, nothing written, when one fails) and keeps them in
 * the case's files under HH_ANSWER_FILE_FIELD in the answer's own
 * transaction, so that the answer is never recorded without its files
 * or the files without the answer. The answer event names the files.
 * *file_error (may be NULL) is NULL for every other outcome; the rc is
 * then hh_case_answer's. */
enum hh_rc hh_case_answer_files(struct hh_store *st, struct hh_arena *a,
				const struct hh_actor *who, int64_t id,
				const char *answer, json_t *files,
				struct hh_case *out, const char **file_error);

/* Loads the case type definition of a case type code (in a's lifetime: the
 * caller clears def). */
/* Starts a follow-up case inside tx: case type case_type (its code) for
 * citizen_id at org (an organisation's code; "municipality": the
 * citizen's; NULL: the case type's own), in its initial state, under
 * plan_id and parent_case_id (0: none), its data {HH_CASE_ORIGIN_KEY:
 * origin} (origin borrowed; casetools.h), with one event "followup"
 * whose after carries after_key: after_value. NOT_FOUND when helhed has
 * no such case type; INVALID when org is "municipality" and no
 * municipality is known for the citizen (nothing written then). *out
 * (may be NULL) gets the case; strings in a. Used by a helhed case's
 * decision (cases.c) and by an external case's report (external.c). */
enum hh_rc hh_case_followup_start(struct hh_tx *tx, struct hh_arena *a,
				  const char *actor, int64_t citizen_id,
				  int64_t plan_id, int64_t parent_case_id,
				  const char *case_type, const char *org,
				  json_t *origin, const char *after_key,
				  const char *after_value, struct hh_case *out);

enum hh_rc hh_case_type_load(struct hh_tx *tx, struct hh_arena *a,
			     const char *code, int64_t id,
			     struct hh_case_type *row,
			     struct hh_case_type_def *def);

/* Applies a move of k to state `to` of def at now, in memory: the
 * deadline stands still while paused, a final state closes, state_since
 * is set when the state changes. For domain/parties.c; the caller
 * writes k. */
void hh_case_move(struct hh_case *k, const struct hh_case_type_def *def,
		  const char *to, int64_t now);

/* Open, not paused and past its deadline? */
int hh_case_overdue(const struct hh_case *c, int64_t now);

/* The JSON form of a case for the API (new reference). */
json_t *hh_case_json(const struct hh_case *c, const struct hh_case_type_def *def,
		     int with_data);

#endif
