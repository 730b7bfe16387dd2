/* parties.h - the other parties to a case (issue 16): who the applicant
 * names, their invitation, their answer, the expiry of an invitation,
 * and what each of them sees. The flow, the states and the errors are
 * in docs/parties.md; the case type's part is "parties",
 * "confirm_state" and "declined_state" (domain/casetype.h).
 *
 * A party is named by CPR number in a cpr field of the form. The number
 * must be another citizen's in the register (the citizens table is the
 * demo's CPR register; a real deployment would ask CPR), and one person
 * is named once. When a party that must confirm is named, the case
 * starts in the case type's confirm_state (paused: its deadline does not
 * run), with one row per named party written in the submission's own
 * transaction. Each invited party confirms or declines with their own
 * sign-in; when all have confirmed the case moves to the case type's
 * initial state (state_since set then), a decline or an invitation not
 * answered within the case type's `within` closes it in declined_state.
 *
 * Expiry is applied in two ways, both from expires_at in the store (so
 * it holds across a restart): a pass (hh_parties_expire, run by `helhed
 * serve` each minute and by every read of Mit overblik and every answer)
 * closes the cases whose invitation has run out, and every read shows
 * an invitation past its expires_at as expired even before the pass has
 * come by. */
#ifndef HH_DOMAIN_PARTIES_H
#define HH_DOMAIN_PARTIES_H

#include <jansson.h>

#include "core/arena.h"
#include "domain/actor.h"
#include "domain/casetype.h"
#include "domain/forms.h"
#include "store/store.h"

/* The parties a submission names, resolved (hh_parties_check_tx). */
struct hh_party_plan {
	struct {
		const struct hh_ct_party *decl;
		int position;
		int64_t citizen_id;
		char cpr[12]; /* normalised */
	} named[HH_CT_PARTIES];
	int n;
	int confirming; /* how many of them must confirm */
	const struct hh_case_type_def *def; /* borrowed: the letters to the
					       invited (p-letters) */
};

/* In the submission's transaction, after its form is valid: resolves
 * the parties values names for a case of type def sent by citizen
 * applicant_id. A party named wrongly adds a Danish field error to res
 * (naming yourself, a number not in the register, the same person
 * twice). INTERNAL (logged) when a party is named and the store has no
 * key file: a CPR number is never kept in clear. */
enum hh_rc hh_parties_check_tx(struct hh_tx *tx, struct hh_arena *a,
			       const struct hh_case_type_def *def,
			       int64_t applicant_id, json_t *values,
			       struct hh_form_result *res,
			       struct hh_party_plan *plan);
/* Writes plan's parties of case k (inserted in this transaction),
 * invited at k->created_at. */
enum hh_rc hh_parties_invite_tx(struct hh_tx *tx, struct hh_arena *a,
				const struct hh_party_plan *plan,
				const struct hh_case *k);

/* After the submission's event, in its transaction: the invitation
 * letter to each party of case k who must confirm (p-letters,
 * domain/partyletters.h). */
enum hh_rc hh_parties_letters_tx(struct hh_tx *tx, struct hh_arena *a,
				 const struct hh_party_plan *plan,
				 const struct hh_case *k);

/* A CPR lookup beyond helhed's citizens (issue 16 point 3): 1 when the
 * CPR register knows number cpr (normalised, "DDMMYY-XXXX"). A real
 * deployment plugs in the CPR register's lookup service; without one
 * (the default, and the demo: its register is the citizens table) a
 * number that is no citizen's is refused as before. With one, such a
 * party is named without a citizen (citizen_id 0): the row keeps the
 * number's keyed hash, and the person's sign-in finds it
 * (hh_parties_claim_tx). Set once at start, before any request. */
typedef int (*hh_cpr_lookup_fn)(void *cls, const char *cpr);
void hh_parties_set_cpr_lookup(hh_cpr_lookup_fn fn, void *cls);

/* In the sign-in transaction of citizen citizen_id with CPR number cpr
 * (as the identity provider gave it; NULL: none): the party rows named
 * by that number before helhed knew them become theirs, each written to
 * their audit trail as a naming is, and the invitation letter goes to
 * each that still waits for their answer. *n (may be NULL) gets how
 * many rows. Without a key file there are no such rows: OK. */
enum hh_rc hh_parties_claim_tx(struct hh_tx *tx, struct hh_arena *a,
			       int64_t citizen_id, const char *cpr, int *n);

/* Why an answer was refused (beside CONFLICT). */
enum hh_party_fault {
	HH_PARTY_FINE = 0,
	HH_PARTY_ANSWERED, /* the party has answered already */
	HH_PARTY_EXPIRED,  /* the invitation ran out */
	HH_PARTY_CLOSED,   /* the case no longer waits for parties (another
			      party declined, or it was closed) */
	HH_PARTY_ASSURANCE, /* (FORBIDDEN) signed in below substantial: the
			       invitation is about CPR numbers, as a form
			       with CPR fields (cases.c) */
	HH_PARTY_SIGN, /* (CONFLICT) p-agree: the case type is an agreement,
			  which the party confirms by signing it
			  (domain/agreements.h); a decline is an answer */
};

/* The signed-in citizen who confirms (confirm 1) or declines (0) their
 * invitation to case id. FORBIDDEN for anyone but a citizen, FORBIDDEN
 * with *fault HH_PARTY_ASSURANCE below assurance level substantial
 * (before any lookup), NOT_FOUND
 * when who is not invited to it (a party who never confirms is not
 * invited), CONFLICT with *fault when it is too late; nothing is
 * written on any refusal. On OK *out is the case after the answer. */
enum hh_rc hh_party_answer(struct hh_store *st, struct hh_arena *a,
			   const struct hh_actor *who, int64_t id, int confirm,
			   struct hh_case *out, enum hh_party_fault *fault);

/* Closes, as of now, the cases whose invitation has run out: at most
 * limit invitations (0: 200), each in a transaction of its own; *n (may
 * be NULL) gets how many expired. A row that cannot be processed is
 * logged and skipped (the next pass tries it again); not OK only when
 * the due invitations cannot be read. */
enum hh_rc hh_parties_expire(struct hh_store *st, int64_t now, int limit,
			     int *n);
/* The pass before a read (Mit overblik, an invitation, an answer): a
 * failing pass is logged and the read goes on, since every read shows
 * an invitation past its time as expired anyway. */
void hh_parties_expire_before_read(struct hh_store *st);

/* The status a party has at now: its stored one, "expired" for an
 * invitation past its time. */
const char *hh_party_status(const struct hh_case_party *p, int64_t now);
/* The Danish for a status ("Afventer svar", "Bekræftet" ...). */
const char *hh_party_status_label(const char *status);

/* One invitation in Mit overblik: the party's row, the case, its type,
 * the applicant's name and the fields the party sees of what the
 * applicant wrote (the shared fields, as people read them: a JSON object
 * of label -> text, borrowed). */
struct hh_invitation {
	struct hh_case_party party;
	const char *status; /* hh_party_status at the read */
	struct hh_case c;
	const struct hh_case_type_def *def;
	/* the case type's declaration of the party's role, NULL when a
	 * re-import dropped it: then nothing is shared (shared empty) */
	const struct hh_ct_party *decl;
	const char *applicant;
	json_t *shared;
	int low_assurance; /* read below substantial: shared left empty */
	/* p-letters: the sent letters of the case addressed to this party
	 * (the invitation, the closing letter), oldest first:
	 * [{"id", "title", "sent_at"}] (borrowed); never a letter to the
	 * applicant or to another party */
	json_t *letters;
};

#define HH_OVERVIEW_INVITATIONS 50

/* How many parties one citizen may name in the cases they sent in the
 * last 24 hours (hh_parties_check_tx; docs/parties.md). */
#define HH_PARTY_NAMES_PER_DAY 10

/* The invitations of citizen citizen_id (newest first, at most
 * HH_OVERVIEW_INVITATIONS) inside tx, for Mit overblik (which checks
 * the access). Everything in a. */
enum hh_rc hh_invitations_tx(struct hh_tx *tx, struct hh_arena *a,
			     int64_t citizen_id, int64_t now,
			     struct hh_invitation **out, int *n);

/* The parties of case k as JSON for its applicant (for_applicant 1) and
 * for staff (new): [{"role", "label", "status", "status_label",
 * "expires_at", "answered_at", "name"}]. The applicant gets a party's
 * name from the register only once that party has confirmed and is not
 * name and address protected (else null): the caller writes that read
 * to the party's audit trail (hh_case_parties_named_audit); staff get
 * every name (the caller audits their read, hh_case_parties_audit_tx). */
enum hh_rc hh_case_parties_json_tx(struct hh_tx *tx, struct hh_arena *a,
				   const struct hh_case *k,
				   const struct hh_case_type_def *def,
				   int64_t now, int for_applicant, json_t **out);
/* In a write transaction of its own: writes to the audit trail of each
 * party of case k whose name its applicant was shown (confirmed, not
 * protected) that the applicant read it. */
enum hh_rc hh_case_parties_named_audit(struct hh_store *st, struct hh_arena *a,
				       const struct hh_case *k);
/* Writes to the audit log that actor read case k's parties (their names
 * and answers): one entry per party who is a citizen of the register,
 * with why (a staff read of the case reads their data too). */
enum hh_rc hh_case_parties_audit_tx(struct hh_tx *tx, struct hh_arena *a,
				    const struct hh_case *k, const char *actor,
				    const char *why);

/* The invitation of who to case id as that party sees it (GET
 * /api/v1/cases/{id}/parties/me): FORBIDDEN for anyone but a citizen,
 * NOT_FOUND when who is no party to it. Below assurance level
 * substantial the invitation is read without the shared fields
 * (out->low_assurance set; the API refuses such a read, the page says
 * to sign in with MitID). Applies due expiries first. */
enum hh_rc hh_invitation_read(struct hh_store *st, struct hh_arena *a,
			      const struct hh_actor *who, int64_t id,
			      struct hh_invitation *out);

/* The party's role as people read it: the declaration's label, a
 * neutral "Part i sagen" when the case type no longer declares it. */
const char *hh_invitation_label(const struct hh_invitation *v);

/* The case's state as the party reads it: the state's label, but a
 * neutral "Sagen venter på ansøgeren" for a paused state other than the
 * confirm state (those are written for the applicant: "Afventer dig"). */
const char *hh_invitation_state_label(const struct hh_invitation *v);

/* In a write transaction of its own: writes to each applicant's audit
 * trail that who (their party) read what they wrote, for each of the n
 * invitations v that shows shared fields. */
enum hh_rc hh_invitations_audit(struct hh_store *st, struct hh_arena *a,
				const struct hh_actor *who,
				const struct hh_invitation *v, int n);

/* A label as a word inside a Danish sentence: its first letter
 * lower-cased ("Ægtefælle" -> "ægtefælle"), in a; "" for NULL. */
const char *hh_label_in_sentence(struct hh_arena *a, const char *label);

/* Appends the case event action on k by actor (the parties', the
 * agreements' and their letters' moves), with before and after as JSON
 * (both freed here). */
enum hh_rc hh_case_event_tx(struct hh_tx *tx, const char *actor,
			    const struct hh_case *k, const char *action,
			    char *before, char *after);

/* Where case k goes when every party has confirmed (an answer, or the
 * signature that completes an agreement): the case type's
 * confirmed_state when its data meets confirmed_when, else initial. */
const char *hh_case_confirmed_to(const struct hh_case_type_def *def,
				 const struct hh_case *k);

/* A party as the subject of a Danish sentence in a case's history: "Den
 * anden part (ægtefælle)", "Den anden part" without a declaration. Into
 * a. */
const char *hh_party_who(struct hh_arena *a, const struct hh_ct_party *d);

/* The JSON of one invitation for the API (new). */
json_t *hh_invitation_json(const struct hh_invitation *v);

#endif
