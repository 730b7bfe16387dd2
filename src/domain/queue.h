/* queue.h - the list of cases: the caseworker's queue of their
 * organisation, or a citizen's own cases.
 *
 * The doors parse their query strings into one struct hh_queue_query;
 * the domain builds the store filter from it and scopes it by the access
 * table (HH_RES_CASE_QUEUE): staff who work cases see their
 * organisation's, a citizen their own (newest first; the staff filters do
 * not apply), anyone else is FORBIDDEN. */
#ifndef HH_DOMAIN_QUEUE_H
#define HH_DOMAIN_QUEUE_H

#include "core/arena.h"
#include "domain/actor.h"
#include "store/store.h"

struct hh_queue_query {
	const char *state;     /* a state key; NULL: any */
	const char *case_type; /* a case type code; NULL: any (an unknown
				  code matches nothing) */
	int overdue;           /* only open, running cases past their deadline */
	int64_t assigned_to;   /* a user's id; 0: anyone */
	int open;              /* 1 open cases only, 0 all; -1 (default):
				  open only unless a state is chosen (a final
				  state has only closed cases) */
	int newest;            /* newest first instead of by deadline */
	int64_t offset, limit;
	/* casework tools (staff only) */
	const char *team;      /* a team code of the caller's organisation;
				  NULL: any */
	const char *stage;     /* a stage code (domain/casetools.h): the
				  states of that stage; NULL: any; unknown:
				  INVALID */
	const char *find;      /* find a case: see below; NULL: all */
};

/* Finding a case (q->find), always within the caller's organisation:
 *  - a CPR number (any form hh_cpr_check reads): the citizen found through
 *    the vault's keyed hash, then that citizen's cases. The look-up is
 *    written to the audit log of the citizen it found ("opslag på
 *    CPR-nummer i sager"), whether or not they have cases here; a CPR
 *    number that finds no citizen is not audited (there is no citizen
 *    whose log it could go in, and the number itself is never logged);
 *  - else text written as a journal number (starting with a digit; digits,
 *    letters, dots and hyphens): cases whose journal number is it or
 *    starts with it;
 *  - else part of the citizen's name: every word of it, case and accents
 *    folded (Æ = æ, é = e), occurs in the name. Its listing is audited as
 *    every staff listing with names is (below).
 * More than 100 characters or not UTF-8 is INVALID. */

/* Streams the page of cases q asks for, as who may see them; *total (may
 * be NULL) gets the number of all matching cases. Strings in a.
 * A staff listing that shows citizens' names is an audited read: one
 * event (entity "case-queue", id the organisation, action "list") names
 * who listed the queue with which filters, and the cases and citizens
 * it showed; it is written in the listing's transaction, so a listing
 * that could not be audited is not shown either. */
enum hh_rc hh_case_queue(struct hh_store *st, struct hh_arena *a,
			 const struct hh_actor *who,
			 const struct hh_queue_query *q, int64_t *total,
			 hh_case_cb cb, void *ctx);

#endif
