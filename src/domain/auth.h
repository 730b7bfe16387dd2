/* auth.h - staff passwords, sessions, API tokens and roles.
 *
 * Passwords are hashed with argon2id (libsodium, interactive limits).
 * Session and API tokens are 32 random bytes shown to the client once as
 * base64url; the store keeps only their BLAKE2b hash, so a leaked database
 * does not leak usable tokens. */
#ifndef HH_AUTH_H
#define HH_AUTH_H

#include <stdint.h>

#include "core/arena.h"
#include "core/rc.h"
#include "domain/actor.h"
#include "store/store.h"

#define HH_SESSION_TTL (8 * 3600) /* seconds: one working day */
#define HH_SESSION_IDLE (30 * 60) /* seconds unused before a staff session
				     ends */
/* last_seen is written when it is older than this, so an active session
 * costs one small write a minute, not one per request. */
#define HH_SESSION_TOUCH_EVERY 60
#define HH_TOKEN_CHARS 44         /* base64url of 32 bytes, no padding = 43 */

/* Must be called once before anything else here (sodium_init). */
enum hh_rc hh_auth_init(void);

/* Hashes password into out (crypto_pwhash_STRBYTES). */
enum hh_rc hh_auth_hash_password(const char *password, char *out, size_t size);
/* 1 when password matches the stored argon2id hash. */
int hh_auth_check_password(const char *hash, const char *password);

/* Parses "agent,editor" into role bits; 0 and INVALID for an unknown role. */
enum hh_rc hh_roles_parse(const char *list, unsigned *roles);
/* "agent, editor" into the arena. */
const char *hh_roles_format(struct hh_arena *a, unsigned roles);

/* Makes a new random token (HH_TOKEN_CHARS bytes incl. NUL) and its hash. */
void hh_auth_new_token(char token[HH_TOKEN_CHARS], unsigned char hash[32]);
/* Hash of a token presented by a client. */
void hh_auth_token_hash(const char *token, unsigned char hash[32]);

struct hh_login {
	int retry_after;            /* seconds, when LIMITED */
	char token[HH_TOKEN_CHARS]; /* for the cookie */
	char csrf[HH_TOKEN_CHARS];
	struct hh_user user;
	struct hh_org org;
};

/* Checks email and password, sent from address client, and creates a
 * session. Returns FORBIDDEN for an unknown email, a wrong password or a
 * disabled user (one answer for all, so nobody can probe which emails
 * exist), and LIMITED, with out->retry_after, when the account or the
 * address has failed too often lately (HH_SIGNIN_*): then no password is
 * checked at all, so a flood costs no hashing. Every failure is logged
 * and every throttling is an event. Strings in out->user and out->org
 * live in a. */
enum hh_rc hh_auth_login(struct hh_store *st, struct hh_arena *a,
			 const char *email, const char *password,
			 const char *client, struct hh_login *out);

/* Sign-in throttling: an account may fail HH_SIGNIN_ACCOUNT_BURST times
 * in a row, then once per HH_SIGNIN_ACCOUNT_REFILL seconds; an address
 * HH_SIGNIN_ADDRESS_BURST times, then once per ..._REFILL seconds (an
 * address is shared by a whole town hall behind NAT, hence more). A
 * correct password ends the account's run. The account's count is kept
 * in the store, so every instance on one database shares it (an unknown
 * email is counted as an account, under a keyed hash); the address's is
 * per process, and the load balancer limits addresses across instances
 * (docs/postgres-ops.md). */
#define HH_SIGNIN_ACCOUNT_BURST 5
#define HH_SIGNIN_ACCOUNT_REFILL 60
#define HH_SIGNIN_ADDRESS_BURST 30
#define HH_SIGNIN_ADDRESS_REFILL 10
enum hh_rc hh_auth_logout(struct hh_store *st, const char *token);

/* What the organisation's OpenID Connect provider verified about a staff
 * member (domain/oidc.c). */
struct hh_staff_signin {
	const char *subject;  /* the provider's sub; required */
	const char *email;    /* NULL: none given */
	const char *name;     /* required */
	const char *org_code; /* from the group mapping */
	unsigned roles;       /* from the group mapping, not 0 */
	const char *oidc_sid; /* the provider's session, or NULL */
};

/* Signs in a staff member verified by the provider: creates the user at
 * the first sign-in (no password; the email is a placeholder when none
 * is given or another user has it), sets organisation, name and roles
 * from the provider at every sign-in, and creates a session. FORBIDDEN
 * for a disabled user, INVALID for an unknown organisation or bad
 * input. Strings in out live in a. */
enum hh_rc hh_auth_login_oidc(struct hh_store *st, struct hh_arena *a,
			      const struct hh_staff_signin *in,
			      struct hh_login *out);

/* Adds a staff user (organisation by code). Returns CONFLICT if the email
 * exists, INVALID for bad input (unknown organisation included). */
enum hh_rc hh_auth_user_add(struct hh_store *st, const char *org_code,
			    const char *email, const char *name,
			    const char *password, unsigned roles,
			    const char *actor, int64_t *id);
/* Adds an API token for an organisation; writes the token to show once. */
enum hh_rc hh_auth_token_add(struct hh_store *st, const char *org_code,
			     const char *name, unsigned roles,
			     const char *actor, char token[HH_TOKEN_CHARS]);

/* What a client presented to say who it is. */
enum hh_credential {
	HH_CRED_STAFF_SESSION = 1, /* the hh_session cookie */
	HH_CRED_BEARER,            /* Authorization: Bearer (an API token) */
	HH_CRED_CITIZEN_SESSION,   /* the hh_borger cookie */
};

/* Looks up who presented token (kind says what it is): a staff user with
 * a live session of an enabled account, an API token that is not
 * revoked, or a citizen with a live session. NOT_FOUND for anything
 * else (*out is then anonymous). Strings in *out live in a. */
enum hh_rc hh_principal_resolve(struct hh_store *st, struct hh_arena *a,
				enum hh_credential kind, const char *token,
				struct hh_principal *out);

#endif
