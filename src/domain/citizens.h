/* citizens.h - citizens' sign-in and sessions.
 *
 * helhed does not verify a citizen's identity itself: an identity
 * provider does (MitID through an OpenID Connect broker in production).
 * Whatever the provider, it ends in hh_citizen_login() with the verified
 * subject, name, CPR number and municipality, which creates a session.
 * The demo provider (only with --demo) lets one pick a demo citizen. */
#ifndef HH_CITIZENS_H
#define HH_CITIZENS_H

#include "core/arena.h"
#include "domain/auth.h"
#include "store/store.h"

/* Citizens' sessions end after 15 minutes unused and at the latest 30
 * minutes after sign-in, as Danish public self-service portals do (a
 * shared computer at a library must not stay signed in). */
#define HH_CITIZEN_SESSION_TTL (30 * 60)  /* seconds, absolute */
#define HH_CITIZEN_SESSION_IDLE (15 * 60) /* seconds unused */

/* What an identity provider verified about a citizen. */
struct hh_citizen_signin {
	const char *subject;           /* required */
	const char *name;              /* required */
	const char *cpr;               /* NULL when not given */
	const char *municipality_code; /* NULL when not known */
	enum hh_loa loa;
	const char *oidc_sid;          /* the provider's session, or NULL */
	const char *oidc_subject;      /* the provider's subject, or NULL */
};

struct hh_citizen_login {
	char token[HH_TOKEN_CHARS];
	char csrf[HH_TOKEN_CHARS];
	struct hh_citizen citizen;
};

/* Creates (or updates) the citizen in and a session at in->loa.
 * Strings in out live in a. */
enum hh_rc hh_citizen_signin(struct hh_store *st, struct hh_arena *a,
			     const struct hh_citizen_signin *in,
			     struct hh_citizen_login *out);
/* hh_citizen_signin at level substantial without a provider session (the
 * demo sign-in states that level, and so do tests). municipality_code
 * may be NULL. */
enum hh_rc hh_citizen_login(struct hh_store *st, struct hh_arena *a,
			    const char *subject, const char *name,
			    const char *cpr, const char *municipality_code,
			    struct hh_citizen_login *out);
/* Demo sign-in: a session for an existing demo citizen (subject
 * "demo:..."); NOT_FOUND for anyone else. */
enum hh_rc hh_demo_citizen_login(struct hh_store *st, struct hh_arena *a,
				 const char *subject,
				 struct hh_citizen_login *out);
enum hh_rc hh_citizen_logout(struct hh_store *st, const char *token);

/* Streams the demo citizens (subject "demo:..."), for the demo sign-in
 * page: only a server run with --demo shows them. Strings in a. */
enum hh_rc hh_demo_citizen_each(struct hh_store *st, struct hh_arena *a,
				enum hh_rc (*cb)(void *ctx,
						 const struct hh_citizen *z),
				void *ctx);

/* The citizen of a session token and the session (strings in a);
 * NOT_FOUND when expired, unused for longer than HH_CITIZEN_SESSION_IDLE
 * or unknown. */
enum hh_rc hh_citizen_session(struct hh_tx *tx, struct hh_arena *a,
			      const char *token, struct hh_citizen *out,
			      struct hh_citizen_session *session);

#endif
