/* desk.h - the agent's desk (Borgerservice): finding the citizen, their
 * history, the receiving side of transfers, callbacks due today, an
 * inquiry answered with an article and each article's usefulness.
 *
 * Built on inquiries (domain/inquiries.h). Who may do what is the access
 * table's (domain/access.c):
 *   - HH_RES_CITIZEN_LOOKUP: agents and admins find citizens and read
 *     their history. A municipality's desk finds only its own residents;
 *     an agency's (Udbetaling Danmark, Familieretshuset) finds anyone.
 *     Every look-up and every history read is audited: one row for the
 *     search itself (citizen 0: who searched, when, how, never the CPR
 *     number) and one row per citizen it showed, which that citizen sees
 *     under "Hvem har set mine oplysninger".
 *   - HH_RES_INQUIRY_TRANSFER: the receiving organisation reads (and its
 *     agents, caseworkers and admins take and close) what was transferred
 *     to it, and only that: the inquiry as it was logged (channel, topic,
 *     citizen, note, the first agent's outcome) and its chain of
 *     transfers, from the transfer on; not the inquiry's event log, not
 *     the sender's other inquiries.
 *   - HH_RES_ARTICLE_USEFULNESS: editors and managers read how many
 *     inquiries each article answered.
 *
 * Transfers keep first-contact resolution honest: a transfer sets the
 * inquiry's outcome to "transferred" once (inquiries.c records the
 * transfer row in the same transaction); what the receiver does next is
 * kept on the transfer row, never on the inquiry's outcome. */
#ifndef HH_DESK_H
#define HH_DESK_H

#include <jansson.h>

#include "domain/actor.h"
#include "domain/cases.h"
#include "store/store.h"

#define HH_DESK_LOOKUP_MAX 20   /* citizens one name look-up shows */
#define HH_DESK_NAME_MIN 2      /* characters of a name look-up */

/* Why a look-up or a transfer step was refused (INVALID). */
enum hh_desk_fault {
	HH_DESK_FINE = 0,
	HH_DESK_CPR,        /* not a CPR number (form, date or century) */
	HH_DESK_NAME,       /* a name too short, too long or with digits */
	HH_DESK_QUERY,      /* neither or both of CPR and name */
	HH_DESK_RESULT,     /* not a result a receiver may close with */
	HH_DESK_DETAIL,     /* a result's detail missing or malformed;
			       *field says which */
	HH_DESK_CODE,       /* an unknown team or reason code */
	HH_DESK_ORG,        /* an unknown organisation */
	HH_DESK_STATE,      /* (CONFLICT) the transfer is closed already */
	HH_DESK_CONSENT,    /* an assisted form without the citizen's consent */
};

/* Finds citizens by CPR number (cpr: any written form hh_cpr_check reads)
 * or by name (name: every word of it must occur in the citizen's name,
 * case and accents folded), exactly one of the two, and streams those who
 * may see to cb, at most HH_DESK_LOOKUP_MAX (*more = 1 when there were
 * more). Strings in a. FORBIDDEN for a caller without the right; INVALID
 * with *fault for a bad query (nothing audited then). */
enum hh_rc hh_desk_lookup(struct hh_store *st, struct hh_arena *a,
			  const struct hh_actor *who, const char *cpr,
			  const char *name, hh_citizen_cb cb, void *ctx,
			  int *more, enum hh_desk_fault *fault);

/* A citizen's history at the desk: the citizen (*out, CPR opened), then
 * their inquiries (newest first, at most 50, those the caller's
 * organisation logged or received by transfer) and their cases (newest
 * first, at most 50, those the caller may read). Audited. NOT_FOUND when
 * the caller may not find this citizen; either callback may be NULL. */
enum hh_rc hh_desk_history(struct hh_store *st, struct hh_arena *a,
			   const struct hh_actor *who, int64_t citizen_id,
			   struct hh_citizen *out, hh_inquiry_cb inq_cb,
			   hh_case_cb case_cb, void *ctx);

/* Links inquiry id to article_id ("answered with this article") at
 * expected_version, one event. The article must be one the inquiry's
 * organisation sees (its own or shared). NOT_FOUND / FORBIDDEN /
 * CONFLICT (stale) as hh_inquiry_set_outcome; INVALID with *fault
 * HH_DESK_DETAIL for an unknown article. */
enum hh_rc hh_desk_link_article(struct hh_store *st, struct hh_arena *a,
				const struct hh_actor *who, int64_t id,
				int64_t expected_version, int64_t article_id,
				struct hh_inquiry *out,
				enum hh_desk_fault *fault);

/* How many inquiries were linked to article_id (*linked) and resolved at
 * first contact with it (*answered), across every organisation (the
 * knowledge base is shared; counts hold no personal data). FORBIDDEN for
 * a caller without the right. */
enum hh_rc hh_desk_usefulness(struct hh_store *st, const struct hh_actor *who,
			      int64_t article_id, int64_t *answered,
			      int64_t *linked);
/* The most useful articles the caller's organisation sees (its own and
 * shared ones), most answered first, at most limit, as article, answered,
 * linked. Strings in a. */
enum hh_rc hh_desk_usefulness_top(struct hh_store *st, struct hh_arena *a,
				  const struct hh_actor *who, int limit,
				  enum hh_rc (*cb)(void *ctx,
						   const struct hh_article *art,
						   int64_t answered,
						   int64_t linked),
				  void *ctx);

/* The teams and reason codes of the caller's organisation (org_code
 * NULL) or of org_code's (teams to transfer to there), by kind and code.
 * NOT_FOUND for an unknown org_code. */
enum hh_rc hh_desk_codes(struct hh_store *st, struct hh_arena *a,
			 const struct hh_actor *who, const char *org_code,
			 enum hh_rc (*cb)(void *ctx,
					  const struct hh_inquiry_code *c),
			 void *ctx);

/* The Danish day of now as [*from, *to) in epoch seconds (midnight to
 * midnight Danish time, 23 or 25 hours on the days summer time starts or
 * ends). */
void hh_desk_dk_day(int64_t now, int64_t *from, int64_t *to);

/* Streams the caller's organisation's inquiries still promised a callback
 * due by the end of the Danish day of now (0: the current time): today's
 * and the overdue ones not made yet, soonest due first, at most
 * HH_DESK_CALLBACKS_MAX. FORBIDDEN as hh_inquiry_callbacks_due. */
#define HH_DESK_CALLBACKS_MAX 500
enum hh_rc hh_desk_callbacks_today(struct hh_store *st, struct hh_arena *a,
				   const struct hh_actor *who, int64_t now,
				   hh_inquiry_cb cb, void *ctx);

/* ---- assisted self-service ------------------------------------------------------ */

/* Where an assisted case keeps who helped (beside the form values, in the
 * case's data): {"agent", "agent_name", "organisation",
 * "organisation_name", "consent": true, "consent_text", "at"}. */
#define HH_DESK_ASSISTED_KEY "borgerservice-assisted"
/* What the agent ticks, and what the case then shows. */
#define HH_DESK_CONSENT_TEXT \
	"Borgeren har givet samtykke til, at Borgerservice udfylder ansøgningen"

struct hh_desk_assist {
	const char *case_type; /* a public case type's code */
	json_t *values;        /* borrowed: the form values */
	int consent;           /* the agent ticked the citizen's consent */
	const char *idem_key;  /* a repeat returns the same case */
};

/* Submits a self-service form for citizen_id on the citizen's behalf, as
 * the desk (who) fills it in with them: the case is the citizen's, at the
 * authority the case type names, and records who helped (agent and
 * organisation) and that the citizen consented. The agent has identified
 * the citizen, so forms asking for CPR numbers are allowed (assurance
 * "substantial"). FORBIDDEN without the desk's right; NOT_FOUND for a
 * citizen who may not find; INVALID with *dfault HH_DESK_CONSENT without
 * consent (nothing written); otherwise as hh_case_submit (res, out,
 * *replayed, *fault). */
enum hh_rc hh_desk_assisted_submit(struct hh_store *st, struct hh_arena *a,
				   const struct hh_actor *who,
				   int64_t citizen_id,
				   const struct hh_desk_assist *in,
				   struct hh_form_result *res,
				   struct hh_case *out, int *replayed,
				   enum hh_submit_fault *fault,
				   enum hh_desk_fault *dfault);

/* The citizen citizen_id for the desk (to fill in a form with them):
 * NOT_FOUND when who may not find them, FORBIDDEN without the right.
 * Audited. Strings in a. */
enum hh_rc hh_desk_citizen(struct hh_store *st, struct hh_arena *a,
			   const struct hh_actor *who, int64_t citizen_id,
			   struct hh_citizen *out);

/* Who helped with case data (JSON text): the agent's and organisation's
 * names, into *agent and *org (strings in a); 0 when the case was not
 * filled in with Borgerservice. */
int hh_desk_assisted_by(struct hh_arena *a, const char *data,
			const char **agent, const char **org);

/* ---- transfers ---------------------------------------------------------- */

/* Records a transfer of q (whose outcome just became "transferred", with
 * transfer_team / transfer_org_id / transfer_reason set) in tx: the row
 * the receiving queue reads, from the inquiry's organisation (from_team:
 * the team the inquiry was with, NULL at the front desk). For
 * inquiries.c's write path only. */
enum hh_rc hh_desk_transfer_record(struct hh_tx *tx, const char *actor,
				   const struct hh_inquiry *q,
				   const char *from_team, int64_t from_org_id);

/* The open transfers to the caller's organisation (team NULL: every
 * team), oldest first, each with its inquiry (the receiver sees it from
 * the transfer on). Strings in a. FORBIDDEN without the right. */
enum hh_rc hh_desk_transfer_queue(struct hh_store *st, struct hh_arena *a,
				  const struct hh_actor *who, const char *team,
				  enum hh_rc (*cb)(void *ctx,
						   const struct hh_inquiry_transfer *t,
						   const struct hh_inquiry *q),
				  void *ctx);

/* Transfer id as its receiver sees it: the transfer, its inquiry, and the
 * inquiry's chain of transfers to cb (may be NULL). NOT_FOUND unless the
 * transfer was to the caller's organisation (or the caller's
 * organisation sent it). Reading a citizen's inquiry is audited. */
enum hh_rc hh_desk_transfer_get(struct hh_store *st, struct hh_arena *a,
				const struct hh_actor *who, int64_t id,
				struct hh_inquiry_transfer *t,
				struct hh_inquiry *q,
				enum hh_rc (*cb)(void *ctx,
						 const struct hh_inquiry_transfer *t),
				void *ctx);

/* What the receiver closes a transfer with. */
struct hh_desk_close {
	const char *result;       /* "resolved", "case_created",
				     "callback_promised", "transferred" */
	int64_t case_id;          /* case_created */
	int64_t callback_due_at;  /* callback_promised: after now */
	const char *to_team;      /* transferred: a team of the receiver */
	const char *to_org;       /* transferred: an organisation code */
	const char *reason;       /* transferred: a reason of the caller's org */
};

/* The receiver takes transfer id (taken_by = who; one event on the
 * inquiry). CONFLICT (HH_DESK_STATE) when it is closed; taking one taken
 * by someone else takes it over. */
enum hh_rc hh_desk_transfer_take(struct hh_store *st, struct hh_arena *a,
				 const struct hh_actor *who, int64_t id,
				 struct hh_inquiry_transfer *out,
				 enum hh_desk_fault *fault);

/* The receiver closes transfer id with c (taking it if nobody has); a
 * transfer onwards closes it with "transferred" and adds the next
 * transfer, from the receiver. The inquiry's outcome is not changed. One
 * event on the inquiry. INVALID with *fault / *field for a bad result,
 * an unknown code or organisation (nothing written); CONFLICT
 * (HH_DESK_STATE) when it was closed already. */
enum hh_rc hh_desk_transfer_close(struct hh_store *st, struct hh_arena *a,
				  const struct hh_actor *who, int64_t id,
				  const struct hh_desk_close *c,
				  struct hh_inquiry_transfer *out,
				  enum hh_desk_fault *fault,
				  const char **field);

/* The JSON of a transfer (new reference). */
json_t *hh_desk_transfer_json(const struct hh_inquiry_transfer *t);

#endif
