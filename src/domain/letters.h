/* letters.h - letters on cases: templates as data, the merged letter,
 * four eyes, and sending a letter with the decision it records.
 *
 * A case type names the kind of letter a move needs ("letters":
 * {"rejected": "refused"}) and may ask for four eyes ("four_eyes": true);
 * its templates (one per kind) come from content/letter-templates/CODE.json
 * and are kept in the case type's definition (docs/letters.md). A letter
 * is drafted from its case's template with the caseworker's free parts
 * (the justification, a free text), then sent: with four eyes it first
 * waits for a second caseworker of the same organisation, who approves
 * (it is sent) or returns it (a draft again). Sending renders the PDF,
 * fixes the letter, queues one Digital Post message (messages, state
 * queued, routed by the delivery worker) and records the decision, all in
 * one transaction checked against the versions the sender saw.
 *
 * Access is the case's (domain/access.h, HH_RES_CASE): reading a letter is
 * reading its case, writing one is changing it. Only a signed-in user
 * writes letters (the author and the approver are users). Another
 * organisation's letter or case is NOT_FOUND. Every function returns
 * enum hh_rc; strings of returned rows live in the arena passed. */
#ifndef HH_LETTERS_H
#define HH_LETTERS_H

#include <jansson.h>
#include <stdio.h>

#include "core/buf.h"
#include "domain/actor.h"
#include "domain/casetype.h"
#include "store/store.h"

/* Longest free part the caseworker may write (bytes). */
#define HH_LETTER_FREE_MAX 8000

/* ---- import ------------------------------------------------------------ */

/* Checks the letter templates of one case type and puts them into its
 * definition root (under "letter_templates"), for `helhed import`.
 * tmpl_path is the template file (it may be missing: then only templates
 * already in root are checked); ct_path the case type's own file; def the
 * parsed case type (its form names the fields {{form.x}} may use). Every
 * placeholder must be known and every state in "letters" must have its
 * kind's template. On failure err gets "FILE:LINE: message", root is left
 * as it was and INVALID is returned. */
enum hh_rc hh_letter_templates_attach(const char *tmpl_path, const char *ct_path,
				      json_t *root,
				      const struct hh_case_type_def *def,
				      char *err, size_t errsz);

/* ---- the letters to the parties (domain/partyletters.h) ------------------ */

/* What a placeholder reads for a protected citizen's address (name and
 * address protection, docs/parties.md). */
#define HH_ADDRESS_PROTECTED_DA "Adressebeskyttet"

/* 1 for a kind of letter helhed writes to the applicant about a party
 * (party_declined, party_expired), 2 for one to a party
 * (party_invitation, party_declined_party, party_expired_party), 0 for
 * any other kind. */
int hh_letter_party_kind(const char *kind);

/* What a letter to or about a party fills in beside the case's own
 * placeholders. Strings are borrowed. */
struct hh_letter_party_ctx {
	const char *role;              /* {{party.role}}: the role of the party
					  the letter tells of, as a word in a
					  sentence ("ægtefælle") */
	int64_t answer_by;             /* {{party.answer_by}} */
	const char *applicant_name;    /* {{applicant.name}} */
	const char *applicant_address; /* {{applicant.address}} */
	int applicant_protected;       /* the applicant has name and address
					  protection: {{applicant.address}}
					  and every address field of the form
					  read HH_ADDRESS_PROTECTED_DA */
};

/* Merges template kind of def for case k, addressed to citizen to
 * ({{citizen.name}}), in tx: *title and *body in a. NOT_FOUND when def
 * has no such template. */
enum hh_rc hh_letter_merge_party(struct hh_tx *tx, struct hh_arena *a,
				 const struct hh_case *k,
				 const struct hh_case_type_def *def,
				 const char *kind, const struct hh_citizen *to,
				 const struct hh_letter_party_ctx *pc,
				 const char **title, const char **body);

/* ---- writing a letter ---------------------------------------------------- */

/* What the caseworker asks for. Strings are borrowed. */
struct hh_letter_input {
	int64_t case_id;
	const char *decision;      /* the state the letter records (a move of
				      the case); NULL: a letter without one
				      (a hearing) */
	const char *kind;          /* NULL: the case type's kind for decision */
	const char *justification; /* {{free.justification}}: required for
				      refused and partly_granted */
	const char *text;          /* {{free.text}}: optional */
	int64_t reply_by;          /* 0: the template's reply_within from now */
	int64_t case_version;      /* the case as the writer saw it (0: any);
				      another is CONFLICT */
};

/* The kind of letter the move of case case_id to `to` needs: *kind
 * (NULL when none, or when who cannot make that move now; strings in a).
 * NOT_FOUND for a case who may not see. */
enum hh_rc hh_letter_required(struct hh_store *st, struct hh_arena *a,
			      const struct hh_actor *who, int64_t case_id,
			      const char *to, const char **kind);

/* The merged letter for in without saving it (the compose page's
 * preview): *out is filled as a draft would be, html (may be NULL) gets
 * the letter as HTML (render/letter_html.h) and ctx (may be NULL) what
 * the page tells around it (filled as far as the case was read, also on
 * INVALID). Free parts not written
 * yet show as a marker. INVALID with *field ("decision", "kind",
 * "justification", "text", "reply_by") when in cannot make a letter. */
struct hh_letter_context {
	int four_eyes;             /* the letter waits for a second
				      caseworker's approval (a decision on
				      a case type with four eyes) */
	int needs_justification;   /* the kind must say why */
	int64_t case_version;      /* the case as it was read */
	const char *decision_label; /* the Danish label of the decision's
				       state, NULL without one */
};

enum hh_rc hh_letter_preview(struct hh_store *st, struct hh_arena *a,
			     const struct hh_actor *who,
			     const struct hh_letter_input *in,
			     struct hh_letter *out, struct hh_buf *html,
			     struct hh_letter_context *ctx, const char **field);

/* Saves in as a draft by who (a user). INVALID with *field as above;
 * FORBIDDEN for a caller who is not a user or may not change the case. */
enum hh_rc hh_letter_create(struct hh_store *st, struct hh_arena *a,
			    const struct hh_actor *who,
			    const struct hh_letter_input *in,
			    struct hh_letter *out, const char **field);

/* Sends draft id (version expected_version; 0: any). A decision (granted,
 * refused, partly_granted) with four eyes on its case type goes to
 * awaiting_approval (*awaiting = 1) and nothing else happens yet; otherwise it is sent with its decision (see the top
 * of this file). CONFLICT when the letter or the case changed since, or
 * another send won; INVALID when the letter is not a draft or its
 * decision is no longer a move the case can make. */
enum hh_rc hh_letter_send(struct hh_store *st, struct hh_arena *a,
			  const struct hh_actor *who, int64_t id,
			  int64_t expected_version, struct hh_letter *out,
			  int *awaiting);

/* The second caseworker approves letter id (awaiting_approval): it is
 * sent with its decision. FORBIDDEN when who wrote it. */
enum hh_rc hh_letter_approve(struct hh_store *st, struct hh_arena *a,
			     const struct hh_actor *who, int64_t id,
			     int64_t expected_version, struct hh_letter *out);

/* Returns letter id (awaiting_approval) to its author as a draft, with
 * the approver's comment (an event on the case). FORBIDDEN when who
 * wrote it. */
enum hh_rc hh_letter_return(struct hh_store *st, struct hh_arena *a,
			    const struct hh_actor *who, int64_t id,
			    int64_t expected_version, const char *comment,
			    struct hh_letter *out);

/* Asks the citizen for more (hh_case_request) as a letter: where the
 * case's type has a "request" template and the case a citizen, a request
 * letter with question as its text is written and sent at once (no four
 * eyes: it decides nothing), moving the case to its paused state in the
 * same transaction, with the reply date and reply allowed; otherwise
 * hh_case_request as before. *by_letter says which; out is the case
 * after. Errors as hh_case_request (CONFLICT for a stale version). */
struct hh_case;
enum hh_rc hh_letter_request(struct hh_store *st, struct hh_arena *a,
			     const struct hh_actor *who, int64_t case_id,
			     const char *question, int64_t expected_version,
			     struct hh_case *out, int *by_letter);

/* ---- reading --------------------------------------------------------------- */

/* Letter id for staff, with its PDF when sent; written to the audit log
 * as a read of the citizen's data (why: NULL "sagsbehandling"). */
enum hh_rc hh_letter_get_staff(struct hh_store *st, struct hh_arena *a,
			       const struct hh_actor *who, int64_t id,
			       const char *why, struct hh_letter *out);

/* Appends letter l as HTML (the same document as its PDF, built with its
 * sent date, or today for one not sent) to out. */
enum hh_rc hh_letter_html_of(struct hh_store *st, struct hh_arena *a,
			     const struct hh_letter *l, struct hh_buf *out);

typedef enum hh_rc (*hh_letter_row_fn)(void *ctx, const struct hh_letter *l);

/* Streams the letters of case case_id (oldest first, without PDF). */
enum hh_rc hh_letter_list_case(struct hh_store *st, struct hh_arena *a,
			       const struct hh_actor *who, int64_t case_id,
			       hh_letter_row_fn cb, void *ctx);

/* Streams the letters of who's organisation awaiting approval that who
 * may approve (not their own), oldest first. */
enum hh_rc hh_letter_list_approval(struct hh_store *st, struct hh_arena *a,
				   const struct hh_actor *who,
				   hh_letter_row_fn cb, void *ctx);

/* The JSON form of a letter (new reference), without the PDF. */
json_t *hh_letter_json(const struct hh_letter *l);

/* The Danish name of a letter state ("Sendt"). */
const char *hh_letter_state_da(const char *state);
/* The Danish name of a letter kind ("Afslag"). */
const char *hh_letter_kind_da(const char *kind);

/* ---- the demo ------------------------------------------------------------ */

/* On the demo's first start (after hh_demo_inquiries): decides a few open
 * cases with a citizen per organisation (two at most, oldest first) as
 * their caseworker would, each with its letter sent (approved by a second
 * caseworker with four eyes), so that the demo has sent letters to show.
 * Once per database (meta "demo_letters"); deterministic for the same
 * cases. *n_sent gets the letters sent; a case that cannot be decided is
 * reported on errs and skipped. */
enum hh_rc hh_demo_letters(struct hh_store *st, FILE *errs, int *n_sent);

#endif
