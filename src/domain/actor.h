/* actor.h - who is doing something: the caller as a request establishes it
 * (the principal) and as the domain's rules and events see it (the actor).
 *
 * The app layer (src/app/) establishes the principal from a session
 * cookie or a bearer token through hh_principal_resolve (domain/auth.h);
 * the domain's read and write functions take it and apply the access
 * rules (domain/access.h) inside. */
#ifndef HH_ACTOR_H
#define HH_ACTOR_H

#include <stdint.h>

#include "domain/model.h"

enum hh_principal_kind { HH_ANON = 0, HH_USER, HH_TOKEN, HH_CITIZEN };

/* The caller of one request. Strings are borrowed from the request's
 * arena. */
struct hh_principal {
	enum hh_principal_kind kind;
	int64_t user_id;  /* HH_USER */
	int64_t token_id; /* HH_TOKEN */
	int64_t org_id;   /* HH_USER, HH_TOKEN */
	const char *org_code;
	int org_is_municipality;
	const char *name;
	const char *email;
	unsigned roles;   /* enum hh_role bits */
	const char *csrf; /* HH_USER, HH_CITIZEN: the session's CSRF token */
	const char *actor; /* "user:3" / "token:2" / "citizen:5" for events */
	int64_t citizen_id; /* HH_CITIZEN */
	int64_t municipality_id; /* HH_CITIZEN: the citizen's municipality */
	enum hh_loa loa;    /* HH_CITIZEN: the sign-in's assurance level */
	int oidc;           /* HH_USER, HH_CITIZEN: signed in through OpenID
			       Connect (signing out goes to the provider) */
	/* pg-multi (issue 14): the request carried a session or token
	 * but the store could not be asked about it (IO, BUSY: the
	 * database is away). The caller is unknown, not anonymous; the
	 * app answers 503 rather than "sign in". */
	int unresolved;
};

struct hh_actor {
	const char *label;      /* for events: "user:3", "token:1", "import" */
	int64_t org_id;         /* 0: none */
	int org_is_municipality;
	unsigned roles;         /* enum hh_role bits; 0: anonymous */
	int64_t citizen_id;     /* a signed-in citizen; 0: none */
	int64_t municipality_id; /* the citizen's municipality; 0: none */
	enum hh_loa loa;        /* a citizen's assurance level */
	int system;             /* command-line tools: every right */
	int64_t user_id;        /* a signed-in staff user; 0: none (a
				   token, a citizen, a tool) */
};

/* The principal as an actor (anonymous: label NULL, no roles; a citizen
 * belongs to no organisation and has only the citizen role). */
void hh_actor_from(const struct hh_principal *p, struct hh_actor *out);

#endif
