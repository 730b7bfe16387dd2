/* overview.h - Mit overblik: a signed-in citizen's plans and cases across
 * organisations, and who has read the citizen's data.
 *
 * Both take the actor; only a citizen has an overview (the access table:
 * HH_RES_OVERVIEW, HH_RES_AUDIT), anyone else gets FORBIDDEN. */
#ifndef HH_DOMAIN_OVERVIEW_H
#define HH_DOMAIN_OVERVIEW_H

#include <jansson.h>

#include "core/arena.h"
#include "domain/actor.h"
#include "domain/casetype.h"
#include "domain/parties.h"
#include "store/store.h"

#define HH_OVERVIEW_PLANS 64  /* the newest plans shown */
#define HH_OVERVIEW_CASES 500 /* the newest cases shown */

struct hh_overview_case {
	struct hh_case c;
	const struct hh_case_type_def *def; /* NULL if it cannot be loaded */
	const char *question; /* a paused case: what we asked the citizen */
};

struct hh_overview_plan {
	struct hh_plan plan;
	const char *title;
	json_t *definition; /* the life event's (borrowed), or NULL */
	json_t *view;       /* with views: hh_plan_view's (borrowed) */
};

/* Everything lives as long as the arena. */
struct hh_overview {
	struct hh_overview_plan *plans; /* newest first */
	int n_plans;
	struct hh_overview_case *cases; /* newest first */
	int n_cases;
	/* x-ext (issue 15): the citizen's cases in other authorities' own
	 * systems (domain/external.h), newest first, without CPR number */
	struct hh_external_case *external;
	int n_external;
	/* p-parties (issue 16): the cases of others the citizen is a party
	 * to (a spouse's divorce), newest first, as that party sees them */
	struct hh_invitation *invitations;
	int n_invitations;
};

/* The citizen's plans and cases; with_views also each plan's steps and
 * their states (hh_plan_view). */
enum hh_rc hh_overview_read(struct hh_store *st, struct hh_arena *a,
			    const struct hh_actor *who, int with_views,
			    struct hh_overview *out);

/* One read of the citizen's data. */
/* The actor of an entry made by another citizen: the other party of a
 * case the reader is party to, never identified. */
#define HH_AUDIT_OTHER_PARTY "other-party"

struct hh_audit_entry {
	int64_t at;          /* epoch seconds */
	const char *actor;   /* "user:3", "token:1", "citizen:5" (the
				reader), or HH_AUDIT_OTHER_PARTY */
	const char *who;     /* "Name, Organisation" for a user, the system's
				name for an API token, or NULL */
	const char *org;     /* the user's or token's organisation, or NULL */
	const char *role;    /* their roles in Danish ("sagsbehandler"), or
				NULL */
	int it_system;       /* an API token: an IT system, not a person */
	const char *what, *why;
	int64_t case_id;     /* the case read ("sag 12"), or 0 */
};

#define HH_AUDIT_ENTRIES 200

/* The newest reads of the citizen's data (at most HH_AUDIT_ENTRIES),
 * newest first; *n gets their number. Arena. */
enum hh_rc hh_audit_read(struct hh_store *st, struct hh_arena *a,
			 const struct hh_actor *who,
			 struct hh_audit_entry **out, int *n);

#endif
