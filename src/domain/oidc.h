/* oidc.h - the OpenID Connect relying party: citizens sign in through the
 * MitID broker (NemLog-in), staff through their organisation's provider.
 *
 * Authorization code flow with PKCE (S256), state and nonce. The login
 * in progress (kind, state, nonce, code_verifier, where to return, expiry
 * ten minutes on) is not kept on the server: it travels in a cookie
 * sealed with libsodium's secretbox under a key of this process (or a
 * configured one, so that several instances behind one address can open
 * each other's), HttpOnly, SameSite=Lax (the provider sends the browser
 * back with a cross-site GET) and with its Path limited to the callback.
 * No store row is written for a login that is never finished.
 *
 * The provider is found through {issuer}/.well-known/openid-configuration
 * on first use. The ID token is checked with rhonabwy (no hand-written
 * crypto): an asymmetric signature by a key of the provider's JWKS (kept;
 * a token whose kid is not there makes one new fetch, which is how key
 * rotation works), iss, aud and azp, exp and iat with a minute's skew,
 * and the nonce. Tokens and JWKS are fetched with libcurl.
 *
 * Citizens: the assurance level and the CPR number come from claims (the
 * names are configurable; NemLog-in's by default), the name from `name`.
 * Staff: the group claim is mapped to an organisation and roles by
 * configuration; a user not yet in the store is created at the first
 * sign-in, with the provider's subject and no password.
 *
 * Logout: the provider's back-channel logout token (verified like an ID
 * token, with its events claim) or front-channel request ends the
 * sessions of that provider session (sid) or subject; signing out of
 * helhed sends the browser on to the provider's end_session_endpoint. */
#ifndef HH_OIDC_H
#define HH_OIDC_H

#include <stdint.h>

#include "core/arena.h"
#include "core/rc.h"
#include "domain/auth.h"
#include "domain/citizens.h"
#include "store/store.h"

enum hh_oidc_kind { HH_OIDC_CITIZEN = 0, HH_OIDC_STAFF = 1 };

#define HH_OIDC_LOGIN_SECONDS 600 /* a started sign-in must end within */
#define HH_OIDC_SKEW 60           /* seconds of clock skew allowed */
#define HH_OIDC_COOKIE "hh_oidc"

/* The defaults of the claim names (NemLog-in's for citizens). */
#define HH_OIDC_LOA_CLAIM "https://data.gov.dk/concept/core/nsis/loa"
#define HH_OIDC_CPR_CLAIM "https://data.gov.dk/model/core/eid/cprNumber"
#define HH_OIDC_GROUPS_CLAIM "groups"

/* One provider and helhed's client there. Strings are copied. */
struct hh_oidc_client_config {
	const char *issuer;        /* NULL or "": this kind is not set up */
	const char *client_id;
	const char *client_secret;
	const char *redirect_base; /* e.g. "https://borger.kommune.dk": the
				      callback is this + the callback path */
	const char *scope;         /* NULL: "openid" */
	int secret_post;           /* client_secret_post, not _basic */
};

struct hh_oidc_config {
	struct hh_oidc_client_config client[2]; /* by enum hh_oidc_kind */
	const char *loa_claim;    /* NULL: HH_OIDC_LOA_CLAIM */
	const char *cpr_claim;    /* NULL: HH_OIDC_CPR_CLAIM */
	const char *groups_claim; /* NULL: HH_OIDC_GROUPS_CLAIM */
	/* Staff groups: "group=org:role[+role],..." (organisation by
	 * code), e.g. "sorø-sagsbehandlere=soroe:caseworker". */
	const char *staff_groups;
	/* 64 hex digits sealing the login cookie; NULL: a random key for
	 * this process (logins in progress do not survive a restart). */
	const char *cookie_key;
	/* o-tls (issue 17): the public address (--public-url), the
	 * redirect base of a client that sets none: its callback and
	 * post-logout URIs are then this + the path. NULL: none. */
	const char *public_url;
};

struct hh_oidc;

/* Sets up the relying party (no network yet). INVALID with an English
 * message in err for a bad configuration (a staff provider without
 * groups, an unknown role, a bad key). Returns new (hh_oidc_free). */
enum hh_rc hh_oidc_new(const struct hh_oidc_config *cfg, struct hh_oidc **out,
		       char *err, size_t errsz);
void hh_oidc_free(struct hh_oidc *o);

/* 1 when kind has a provider (o may be NULL). */
int hh_oidc_enabled(const struct hh_oidc *o, enum hh_oidc_kind kind);
/* "/borger/oidc/callback" or "/personale/oidc/callback". */
const char *hh_oidc_callback_path(enum hh_oidc_kind kind);

/* Starts a sign-in: *url is where to send the browser, *cookie the sealed
 * login for HH_OIDC_COOKIE (both in a). return_path is a local path (a
 * bad one is replaced by the kind's home). IO when the provider cannot
 * be reached. */
enum hh_rc hh_oidc_begin(struct hh_oidc *o, struct hh_arena *a,
			 enum hh_oidc_kind kind, const char *return_path,
			 const char **url, const char **cookie);

/* Why a sign-in was not completed. */
enum hh_oidc_fault {
	HH_OIDC_FINE = 0,
	HH_OIDC_DENIED,   /* the provider answered with an error (the
			     citizen cancelled: access_denied) */
	HH_OIDC_STATE,    /* no login cookie, or state does not match */
	HH_OIDC_EXPIRED,  /* the login was started too long ago */
	HH_OIDC_PROVIDER, /* the provider could not be reached or refused
			     the code */
	HH_OIDC_TOKEN,    /* the ID token was refused */
	HH_OIDC_CLAIMS,   /* a claim helhed needs is missing */
	HH_OIDC_NO_ROLE,  /* staff: no group gives a role in helhed */
	HH_OIDC_DISABLED, /* staff: the user is disabled in helhed */
};

/* What the provider sent back to the callback (borrowed). */
struct hh_oidc_callback {
	const char *cookie; /* HH_OIDC_COOKIE, or NULL */
	const char *state, *code, *error;
};

struct hh_oidc_result {
	const char *return_path;
	struct hh_citizen_login citizen; /* HH_OIDC_CITIZEN */
	struct hh_login staff;           /* HH_OIDC_STAFF */
	enum hh_oidc_fault fault;
	const char *why; /* English, for the log */
};

/* Completes a sign-in of kind: checks the login cookie and state,
 * exchanges the code, verifies the ID token and signs the citizen or
 * staff member in (a session as hh_citizen_signin / hh_auth_login).
 * FORBIDDEN with out->fault set when refused (the refusal is written to
 * the event log and the log); other rcs are the store's. Strings in a. */
enum hh_rc hh_oidc_finish(struct hh_oidc *o, struct hh_store *st,
			  struct hh_arena *a, enum hh_oidc_kind kind,
			  const struct hh_oidc_callback *cb,
			  struct hh_oidc_result *out);

/* Back-channel logout: verifies logout_token (signature, iss, aud, iat,
 * the back-channel event, no nonce) against each configured provider and
 * ends the sessions of its sid (or, without one, its sub). INVALID when
 * the token is refused; *ended (may be NULL) gets how many ended. */
enum hh_rc hh_oidc_backchannel_logout(struct hh_oidc *o, struct hh_store *st,
				      const char *logout_token,
				      int64_t *ended);
/* Front-channel logout: iss must be a configured issuer; ends the
 * sessions of sid. INVALID otherwise. */
enum hh_rc hh_oidc_frontchannel_logout(struct hh_oidc *o, struct hh_store *st,
				       const char *iss, const char *sid,
				       int64_t *ended);

/* Where to send the browser after signing out of a session of kind made
 * through the provider (its end_session_endpoint with client_id and
 * post_logout_redirect_uri), in a; NULL when it has none. */
const char *hh_oidc_end_session_url(struct hh_oidc *o, struct hh_arena *a,
				    enum hh_oidc_kind kind);

#endif
