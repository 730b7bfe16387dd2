/* casetype.h - case types as data: states, transitions, deadline, form,
 * and the follow-up cases a decision starts.
 *
 * A parsed case type borrows its strings from the JSON definition it keeps
 * (ct->root), so it lives until hh_case_type_def_clear(). Its form is
 * parsed once, here, into typed fields (ct->form_def, see forms.h). */
#ifndef HH_CASETYPE_H
#define HH_CASETYPE_H

#include <jansson.h>
#include <stdint.h>

#include "core/rc.h"
#include "domain/forms.h"

#define HH_CT_STATES 16
#define HH_CT_TRANSITIONS 48
#define HH_CT_FOLLOWUPS 8
#define HH_CT_PARTIES 4

/* A party to a case besides the applicant (issue 16, docs/parties.md):
 * named by the applicant in the form's cpr field cpr_field. role is one
 * of spouse, parent (the other parent), child, representative (power of
 * attorney); label is what people read ("Ægtefælle"). A party that must
 * confirm (confirm) has `within` (an ISO 8601 period, counted as a
 * Danish calendar counts from the submission) to do so; a child never
 * confirms. shared: the form fields this party sees of what the
 * applicant wrote (every other field is the applicant's own). when: the
 * answers under which the party is named (default: always). */
struct hh_ct_party {
	const char *role, *label, *cpr_field, *within;
	int confirm;
	const char *shared[HH_FORM_MAX_FIELDS];
	int n_shared;
	/* What the party reads instead of the applicant's wording (both
	 * optional, borrowed from root): "party_labels" {field: label} and
	 * "party_options" {field: {value: text}} for shared fields ("Din
	 * ægtefælles fulde navn" -> "Dit fulde navn", "Jeg bliver boende"
	 * -> "Ansøgeren bliver boende"). NULL: none. */
	json_t *party_labels, *party_options;
	/* when the party is named at all: a condition on the form's
	 * answers, as a field's "when" (no terms: always). A contested
	 * divorce ("enige": "nej") names no spouse to confirm. */
	struct hh_form_cond when;
};

struct hh_ct_state {
	const char *key, *label;
	int final, paused;
};

struct hh_ct_transition {
	const char *from, *to, *label;
	unsigned roles; /* enum hh_role bits allowed */
	/* A timed wait (issue 16, point 3), as data: the move may happen
	 * only from `after` and only until `before` (ISO 8601 periods,
	 * NULL: no such bound), counted as a Danish calendar counts
	 * (hh_dk_add_period) from when the case entered `from`, or with
	 * since_received from when the case came in. wait_label names the
	 * wait for the citizen and the caseworker ("Refleksionsperioden
	 * slutter"; NULL: a plain "Tidligst"). */
	const char *after, *before, *wait_label;
	int since_received;
};

/* When a case of this type reaches `state` and its own data meets `when`,
 * a case of `case_type` starts at `organisation` (a code, "municipality"
 * for the citizen's, NULL for the follow-up type's own). The rule reads
 * the case's data, so it fires whichever door the case came in by. */
struct hh_ct_followup {
	const char *state, *case_type, *organisation;
	const char *title; /* Danish: why, for the citizen (may be NULL) */
	struct hh_form_cond when;
};

struct hh_case_type_def {
	json_t *root;
	const char *name, *organisation, *kle, *description, *initial;
	/* what the citizen sends, as the receipt names it ("Vi har modtaget
	 * din indberetning"): possessive and noun; "din ansøgning" when the
	 * definition gives none */
	const char *submission;
	int public;
	/* Its cases concern a person (a move, a pick-up at home, a permit):
	 * "personal": true in the definition. Open311 never lists them and
	 * never shows their location (api/open311.c). */
	int personal;
	int64_t deadline_s;
	const char *deadline; /* as written, e.g. "P30D" */
	struct hh_ct_state states[HH_CT_STATES];
	int n_states;
	struct hh_ct_transition transitions[HH_CT_TRANSITIONS];
	int n_transitions;
	struct hh_form form_def; /* the form, typed (form_def.present: has one) */
	struct hh_ct_followup followups[HH_CT_FOLLOWUPS];
	int n_followups;
	/* parties (issue 16): who besides the applicant is party to the
	 * case; while one that must confirm has not, the case waits in
	 * confirm_state (paused: the deadline does not run); a decline or
	 * no answer in time closes it in declined_state (final). Both NULL
	 * when no party confirms. */
	struct hh_ct_party parties[HH_CT_PARTIES];
	int n_parties;
	const char *confirm_state, *declined_state;
	/* where the case goes when every party has confirmed
	 * ("confirmed_state", NULL: initial), when its data meets
	 * "confirmed_when" (no terms: always; else initial): the demo's
	 * divorce starts its reflection period there, so the period counts
	 * from the confirmation (state_since is set then). */
	const char *confirmed_state;
	struct hh_form_cond confirmed_when;
	/* p-agree (issue 16, point 4): the form is an agreement the
	 * signers sign ("agreement": {"title", "signers", "fields"}):
	 * "applicant" and the roles of parties that confirm (each of them
	 * a signer, so confirming is signing); fields are the form fields
	 * that make up the agreement (no cpr, address or file field: every
	 * signer reads it). domain/agreements.h. */
	struct hh_ct_agreement {
		int present;
		const char *title;
		const char *signers[HH_CT_PARTIES + 1];
		int n_signers;
		const char *fields[HH_FORM_MAX_FIELDS];
		int n_fields;
	} agreement;
	/* letters (domain/letters.h): the kind of letter a move to a state
	 * must be sent with ("letters": {"rejected": "refused", ...}), the
	 * templates by kind ("letter_templates", merged in at import from
	 * content/letter-templates/CODE.json; borrowed, NULL: none), and
	 * whether a second caseworker approves each letter ("four_eyes"). */
	struct hh_ct_letter {
		const char *state, *kind;
	} letters[HH_CT_STATES];
	int n_letters;
	json_t *letter_templates;
	int four_eyes;
	/* The same form as raw JSON, for code not yet moved to form_def. */
	json_t *form;   /* borrowed: {"title", "intro", "fields": [...]} or NULL */
	json_t *fields; /* borrowed: the form's fields array (may be empty) */
};

/* Parses a case type's JSON definition. On failure writes an English
 * message to err and returns INVALID. */
enum hh_rc hh_case_type_def_parse(const char *json, struct hh_case_type_def *out,
				  char *err, size_t errsz);
/* Same, from a json_t (a reference is taken). */
enum hh_rc hh_case_type_def_from(json_t *root, struct hh_case_type_def *out,
				 char *err, size_t errsz);
void hh_case_type_def_clear(struct hh_case_type_def *ct);

const struct hh_ct_state *hh_ct_state(const struct hh_case_type_def *ct,
				      const char *key);
/* The transition from → to, or NULL. */
const struct hh_ct_transition *hh_ct_transition(const struct hh_case_type_def *ct,
						const char *from, const char *to);
/* The kind of letter a move to state must be sent with, or NULL when
 * it needs none (letters). */
const char *hh_ct_letter_kind(const struct hh_case_type_def *ct,
			      const char *state);
/* Is kind one of the letter kinds (granted, refused, partly_granted,
 * request, hearing, closing)? */
int hh_letter_kind_known(const char *kind);
/* The window in which transition t may move case (created, state_since):
 * *opens is 0 or the first instant it may, *closes 0 or the last. */
void hh_ct_window(const struct hh_ct_transition *t, int64_t created_at,
		  int64_t state_since, int64_t *opens, int64_t *closes);
struct hh_case;
/* When the timed wait case k stands in at now ends: the first instant
 * after now at which one of the transitions out of its state opens (an
 * "after"), 0 when none is still to come; *label (may be NULL) gets that
 * transition's wait_label (NULL: none given). */
int64_t hh_ct_wait_ends(const struct hh_case_type_def *ct,
			const struct hh_case *k, int64_t now, const char **label);
/* The party of role `role`, or NULL (also for ct NULL: a case type
 * that is gone). */
const struct hh_ct_party *hh_ct_party(const struct hh_case_type_def *ct,
				      const char *role);
/* Does any party of ct have to confirm? */
int hh_ct_needs_confirm(const struct hh_case_type_def *ct);
/* Is field one that party p sees (a shared field)? */
int hh_ct_party_sees(const struct hh_ct_party *p, const char *field);

/* Is role ("applicant" or a party's role) a signer of ct's agreement?
 * Is field one of its fields? (0 when ct has no agreement.) */
int hh_ct_agreement_signer(const struct hh_case_type_def *ct, const char *role);
int hh_ct_agreement_field(const struct hh_case_type_def *ct, const char *field);

/* The first paused state ("awaiting the citizen"), or NULL. */
const struct hh_ct_state *hh_ct_paused(const struct hh_case_type_def *ct);

struct hh_store;
struct hh_arena;
struct hh_case_type;

/* The case type code as a form citizens may fill in: public, with fields.
 * NOT_FOUND otherwise (or when unknown). def is cleared by the arena. */
enum hh_rc hh_case_type_form(struct hh_store *st, struct hh_arena *a,
			     const char *code, struct hh_case_type *row,
			     struct hh_case_type_def **def);

/* ISO 8601 duration (PnYnMnWnDTnHnMnS; months as 30 days, years as 365) to
 * seconds. Returns 0 when s is not one. */
int hh_iso_duration(const char *s, int64_t *seconds);

#endif
