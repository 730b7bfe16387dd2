/* inquiries.h - inquiries (henvendelser): one record per contact with the
 * front desk, whatever the channel, and its outcome.
 *
 * Every change is one transaction with its event (entity "inquiry");
 * updates carry the version the caller saw and fail with CONFLICT when it
 * is stale. Access is the access table's (HH_RES_INQUIRY): agents,
 * caseworkers and admins of the organisation create and change, managers
 * read too; a citizen reads their own; to anyone else an inquiry does not
 * exist (NOT_FOUND).
 *
 * Outcomes and what may follow them (the rule for closed inquiries):
 *   open -> any outcome (the contact ends: ended_at is set).
 *   callback_promised -> transferred or case_created (the callback was
 *     made and its result logged; the promise is kept in the event log).
 *   every other closed outcome is final, and nothing ever goes back to
 *     open: a new contact from the citizen is a new inquiry, so the share
 *     resolved at first contact cannot be changed after the fact.
 *
 * Details belong to one outcome each: transferred takes a team and/or an
 * organisation (not the inquiry's own) and a reason code; case_created
 * takes an existing case; callback_promised takes a due time after the
 * start. Details given for another outcome are refused. */
#ifndef HH_INQUIRIES_H
#define HH_INQUIRIES_H

#include <jansson.h>
#include <stdio.h>

#include "domain/actor.h"
#include "store/store.h"

/* What an inquiry is made with, or its outcome is set to. Strings are
 * borrowed for the call. */
struct hh_inquiry_input {
	const char *channel;    /* create: required */
	int64_t article_id;     /* create: the topic, 0 none */
	const char *kle;        /* create: the topic, NULL none */
	int64_t citizen_id;     /* create: 0 anonymous */
	int64_t started_at;     /* create: 0 now */
	int64_t ended_at;       /* create with a closing outcome: when a
				   contact logged afterwards ended (not
				   before started_at, not in the future);
				   0 now */
	const char *outcome;    /* NULL: "open" on create (required on a
				   change of outcome) */
	const char *transfer_team;   /* transferred */
	const char *transfer_org;    /* transferred: an organisation code */
	const char *transfer_reason; /* transferred: required */
	int64_t case_id;             /* case_created: required */
	int64_t callback_due_at;     /* callback_promised: required */
	const char *note;
	const char *idem_key;   /* create: a repeat returns the same */
};

/* Why an input was refused (INVALID unless said otherwise); field names
 * the input's field for the doors. */
enum hh_inquiry_fault {
	HH_INQ_FINE = 0,
	HH_INQ_CHANNEL,     /* not a channel */
	HH_INQ_OUTCOME,     /* not an outcome */
	HH_INQ_TRANSITION,  /* (CONFLICT) not allowed from the current one */
	HH_INQ_DETAIL,      /* a detail missing, malformed, or of another
			       outcome; *field says which */
	HH_INQ_CITIZEN,     /* no such citizen, or another municipality's */
	HH_INQ_ARTICLE,     /* no such article visible to the organisation */
	HH_INQ_CASE,        /* no such case */
	HH_INQ_ORG,         /* no such organisation to transfer to, or the
			       inquiry's own */
	HH_INQ_KEY_REUSED,  /* (CONFLICT) the idempotency key made an
			       inquiry from a different request */
};

/* Is s one of the channels / outcomes? */
int hh_inquiry_channel_ok(const char *s);
int hh_inquiry_outcome_ok(const char *s);
/* May an inquiry with outcome from move to outcome to? */
int hh_inquiry_transition_ok(const char *from, const char *to);

/* Logs a contact for who's organisation, with who as the agent.
 * *replayed = 1 when who's idempotency key had already made it from the
 * same request; the key with another request is CONFLICT with fault
 * HH_INQ_KEY_REUSED. FORBIDDEN for a caller who may not create
 * inquiries. *fault and *field (may be NULL) say why an INVALID. */
enum hh_rc hh_inquiry_create(struct hh_store *st, struct hh_arena *a,
			     const struct hh_actor *who,
			     const struct hh_inquiry_input *in,
			     struct hh_inquiry *out, int *replayed,
			     enum hh_inquiry_fault *fault, const char **field);

/* The inquiry, if who may read it (NOT_FOUND otherwise). A staff read of
 * a citizen's inquiry is audited. */
enum hh_rc hh_inquiry_get(struct hh_store *st, struct hh_arena *a,
			  const struct hh_actor *who, int64_t id,
			  struct hh_inquiry *out);

/* Sets the outcome (in->outcome, its details and note) of inquiry id
 * at expected_version. NOT_FOUND if who may not read it, FORBIDDEN if
 * who may read but not change it, CONFLICT on a stale version (fault
 * FINE) or a move the rule above refuses (fault HH_INQ_TRANSITION). */
enum hh_rc hh_inquiry_set_outcome(struct hh_store *st, struct hh_arena *a,
				  const struct hh_actor *who, int64_t id,
				  int64_t expected_version,
				  const struct hh_inquiry_input *in,
				  struct hh_inquiry *out,
				  enum hh_inquiry_fault *fault,
				  const char **field);

/* hh_inquiry_create and hh_inquiry_set_outcome inside the caller's
 * write transaction tx, for batches (the demo inquiries, domain/demo.h):
 * the same checks, rows and events, but the store's subscribers are not
 * told (the caller may, after its commit). After an error the caller
 * rolls tx back. */
enum hh_rc hh_inquiry_create_in(struct hh_tx *tx, struct hh_arena *a,
				const struct hh_actor *who,
				const struct hh_inquiry_input *in,
				struct hh_inquiry *out, int *replayed,
				enum hh_inquiry_fault *fault,
				const char **field);
enum hh_rc hh_inquiry_set_outcome_in(struct hh_tx *tx, struct hh_arena *a,
				     const struct hh_actor *who, int64_t id,
				     int64_t expected_version,
				     const struct hh_inquiry_input *in,
				     struct hh_inquiry *out,
				     enum hh_inquiry_fault *fault,
				     const char **field);

/* Streams the inquiries who may read: staff their organisation's (all,
 * or open_only: the queue, oldest first; citizen_id > 0: that citizen's
 * only), a citizen their own. FORBIDDEN for anyone else. */
enum hh_rc hh_inquiry_list(struct hh_store *st, struct hh_arena *a,
			   const struct hh_actor *who, int open_only,
			   int64_t citizen_id, int64_t offset, int64_t limit,
			   int64_t *total, hh_inquiry_cb cb, void *ctx);

/* Streams the callbacks promised by who's organisation (staff who may
 * read its inquiries) that are due before due_before (epoch seconds, e.g.
 * the end of the Danish today), soonest due first; overdue ones are
 * included until the callback's result is logged. FORBIDDEN for a
 * citizen or anyone without an organisation. */
enum hh_rc hh_inquiry_callbacks_due(struct hh_store *st, struct hh_arena *a,
				    const struct hh_actor *who,
				    int64_t due_before, int64_t offset,
				    int64_t limit, int64_t *total,
				    hh_inquiry_cb cb, void *ctx);

/* Imports dir/teams.json (missing: nothing to do), the teams and
 * transfer reasons of each organisation, into the store in one
 * transaction:
 *   { "<organisation code>": { "teams": [{"code", "name"}, ...],
 *                              "transfer_reasons": [{"code", "label"}, ...] },
 *     ... }
 * Codes are 1 to 40 of a-z, 0-9, - and _. A bad file is reported on errs
 * as "FILE:1: message" and nothing of it is imported (INVALID); *n gets
 * the number of codes imported. */
enum hh_rc hh_inquiry_codes_import(struct hh_store *st, const char *dir,
				   FILE *errs, int *n);

/* The JSON form of an inquiry for the API (new reference). */
json_t *hh_inquiry_json(const struct hh_inquiry *q);

#endif
