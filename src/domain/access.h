/* access.h - who may see and do what: one table for every door.
 *
 * Every domain function that reads or changes something on behalf of a
 * caller asks hh_access() first, with the thing's owner; the JSON API and
 * the pages therefore cannot disagree. The table itself is in access.c,
 * written so that a reader can check it line by line.
 *
 * Decisions, in order:
 *   - HH_OK: allowed.
 *   - HH_ERR_NOT_FOUND: the caller may not even see this one (another
 *     organisation's case, another citizen's plan, a draft of another
 *     municipality): the doors answer 404, exactly as for an id that does
 *     not exist, so nothing leaks.
 *   - HH_ERR_FORBIDDEN: the caller may see it but not do this (a manager
 *     moving a case), or the action has no object and the role has no
 *     right to it (the queue for a citizen). For an anonymous caller the
 *     doors turn this into "sign in" (401 / the sign-in page). */
#ifndef HH_DOMAIN_ACCESS_H
#define HH_DOMAIN_ACCESS_H

#include <stdint.h>

#include "core/rc.h"
#include "domain/actor.h"

enum hh_resource {
	HH_RES_ARTICLE = 0,     /* a published article for citizens */
	HH_RES_ARTICLE_STAFF,   /* a published article for staff only */
	HH_RES_ARTICLE_DRAFT,   /* a draft or archived article */
	HH_RES_ARTICLE_HISTORY, /* an article's events */
	HH_RES_SEARCH_REPORT,   /* searches that did not help */
	HH_RES_CASE,            /* a case, its data, history and files */
	HH_RES_CASE_QUEUE,      /* the list of cases */
	HH_RES_PLAN,            /* a citizen's plan for a life event */
	HH_RES_OVERVIEW,        /* Mit overblik: plans and cases */
	HH_RES_AUDIT,           /* who has read the citizen's data */
	HH_RES_OPEN311_REQUEST, /* a case as Open311 shows it: no personal data */
	HH_RES_INQUIRY,         /* an inquiry (henvendelse) and its list */
	/* the agent's desk (domain/desk.h) */
	HH_RES_CITIZEN_LOOKUP,  /* finding a citizen, and their history */
	HH_RES_INQUIRY_TRANSFER, /* inquiries transferred to the organisation */
	HH_RES_ARTICLE_USEFULNESS, /* inquiries answered with an article */
	/* appointments */
	HH_RES_APPOINTMENT,     /* a booking at the counter; the counter's
				   day list */
	/* chat */
	HH_RES_CHAT,            /* a live chat, its messages and rating */
	HH_RES_CHAT_QUEUE,      /* an organisation's chat queue, presence */
	/* delivery (domain/messages.h) */
	HH_RES_MESSAGE,         /* Digital Post messages, the error queue */
	HH_RES_PRINT_BATCH,     /* the print batches for the mail room */
	HH_RES_DP_EXEMPTION,    /* a citizen's exemption from Digital Post */
	/* the citizen's inbox */
	HH_RES_INBOX,           /* a sent letter as its recipient reads it,
				   and the reply to it */
	/* the service figures (domain/figures.h) */
	HH_RES_FIGURES,         /* an organisation's figures, drill-downs
				   and its benchmark */
	/* s-edit (issue 13): proposals to the shared knowledge base
	 * (domain/proposals.h); the owner is the proposer's organisation.
	 * Deciding one is changing the shared article (HH_RES_ARTICLE
	 * CHANGE with owner 0), so it has no line of its own. */
	HH_RES_ARTICLE_PROPOSAL,
	/* x-ext (issue 15): a case another authority's own case system
	 * reports (domain/external.h); the owner is the reporting
	 * organisation. The citizen reads theirs through HH_RES_OVERVIEW. */
	HH_RES_EXTERNAL_CASE,
	/* x-decl (issue 15): a case system an organisation declares
	 * (domain/casesystems.h); the owner is that organisation */
	HH_RES_CASE_SYSTEM,
	/* p-parties (issue 16): a case as one of its other parties (a
	 * spouse, the other parent) reaches it: their invitation, the
	 * case's state and the fields shared with them, and their answer
	 * (domain/parties.h); the owner is the party's citizen. The
	 * applicant's private fields are never part of it. */
	HH_RES_CASE_PARTY,
	/* p-agree (issue 16, point 4): a case's agreement (domain/
	 * agreements.h), read and signed by its signers (the applicant and
	 * the signing parties; the owner is the signer's citizen), read by
	 * staff of the case's organisation */
	HH_RES_CASE_AGREEMENT,
	HH_RES__COUNT
};

enum hh_access_action {
	HH_ACT_READ = 0,
	HH_ACT_CREATE, /* submit a form, write an article, make a plan */
	HH_ACT_CHANGE, /* casework, editing, answering a request */
	HH_ACT__COUNT
};

/* What a rule covers of all the things of one resource. */
enum hh_access_scope {
	HH_SCOPE_NONE = 0,
	HH_SCOPE_ANY,            /* all of them */
	HH_SCOPE_OWN_ORG,        /* owned by the caller's organisation */
	HH_SCOPE_OWN_ORG_SHARED, /* the caller's organisation's, and the
				    shared ones (owner 0) when the caller's
				    organisation is a municipality */
	HH_SCOPE_OWN_CITIZEN,    /* the signed-in citizen's own */
};

/* An anonymous caller, as a role bit of the table (never stored). */
#define HH_ROLE_ANONYMOUS (1u << 15)

/* The owner of one thing: its organisation (0: shared, no
 * organisation) and its citizen (0: none). */
struct hh_owner {
	int64_t org_id;
	int64_t citizen_id;
};

struct hh_access_rule {
	unsigned roles; /* enum hh_role bits, or HH_ROLE_ANONYMOUS */
	enum hh_resource resource;
	enum hh_access_action action;
	enum hh_access_scope scope;
};

/* The table, for tests and documentation; *n gets its length. */
const struct hh_access_rule *hh_access_rules(int *n);

/* The widest scope any of who's roles has for action on resource
 * (system actors: HH_SCOPE_ANY). Lists use it to filter. */
enum hh_access_scope hh_access_scope(const struct hh_actor *who,
				     enum hh_resource res,
				     enum hh_access_action act);

/* May who do action on the thing owned by owner? See the top of this
 * file for the answers. owner NULL: an action with no object yet (create,
 * list), decided by the role alone. */
enum hh_rc hh_access(const struct hh_actor *who, enum hh_resource res,
		     enum hh_access_action act, const struct hh_owner *owner);

/* Does scope cover owner for who? */
int hh_access_covers(const struct hh_actor *who, enum hh_access_scope scope,
		     const struct hh_owner *owner);

/* Names for messages and tests: "case", "read", "own-org". */
const char *hh_resource_name(enum hh_resource r);
const char *hh_access_action_name(enum hh_access_action a);

#endif
