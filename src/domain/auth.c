/* auth.c - passwords (argon2id), session and API tokens, roles. */
#include "domain/auth.h"

#include <ctype.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/limit.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/vault.h"

static const struct {
	const char *name;
	unsigned bit;
} role_names[] = {
	{ "citizen", HH_ROLE_CITIZEN },	      { "agent", HH_ROLE_AGENT },
	{ "caseworker", HH_ROLE_CASEWORKER }, { "editor", HH_ROLE_EDITOR },
	{ "manager", HH_ROLE_MANAGER },	      { "admin", HH_ROLE_ADMIN },
	{ "case-system", HH_ROLE_CASE_SYSTEM }, /* x-ext: external cases */
};

/* Failed sign-ins by address, per process, made once. The balancer in
 * front of several instances limits addresses across them
 * (docs/postgres-ops.md). An account's failures are counted in the
 * store instead, so that every instance on one database shares them
 * (issue 14; see "failed sign-ins per account" below). */
static struct hh_limiter *fail_by_address;
static pthread_once_t limits_once = PTHREAD_ONCE_INIT;

static void limits_init(void)
{
	fail_by_address = hh_limiter_new(16384, HH_SIGNIN_ADDRESS_BURST,
					 (int64_t)HH_SIGNIN_ADDRESS_REFILL * 1000000);
}

enum hh_rc hh_auth_init(void)
{
	if (sodium_init() < 0)
		return HH_ERR_INTERNAL;
	pthread_once(&limits_once, limits_init);
	return HH_OK;
}

enum hh_rc hh_auth_hash_password(const char *pw, char *out, size_t size)
{
	if (size < crypto_pwhash_STRBYTES)
		return HH_ERR_INTERNAL;
	if (crypto_pwhash_str(out, pw, strlen(pw),
			      crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return HH_ERR_INTERNAL;
	return HH_OK;
}

int hh_auth_check_password(const char *hash, const char *pw)
{
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

enum hh_rc hh_roles_parse(const char *list, unsigned *roles)
{
	*roles = 0;
	const char *p = list;
	while (*p) {
		while (*p == ',' || isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		const char *end = p;
		while (*end && *end != ',' && !isspace((unsigned char)*end))
			end++;
		size_t n = (size_t)(end - p);
		size_t i;
		for (i = 0; i < sizeof(role_names) / sizeof(role_names[0]); i++)
			if (strlen(role_names[i].name) == n &&
			    memcmp(role_names[i].name, p, n) == 0)
				break;
		if (i == sizeof(role_names) / sizeof(role_names[0]))
			return HH_ERR_INVALID;
		*roles |= role_names[i].bit;
		p = end;
	}
	return *roles ? HH_OK : HH_ERR_INVALID;
}

const char *hh_roles_format(struct hh_arena *a, unsigned roles)
{
	char buf[128] = "";
	for (size_t i = 0; i < sizeof(role_names) / sizeof(role_names[0]); i++) {
		if (!(roles & role_names[i].bit))
			continue;
		if (*buf)
			strcat(buf, ", ");
		strcat(buf, role_names[i].name);
	}
	return hh_arena_strdup(a, buf);
}

void hh_auth_token_hash(const char *token, unsigned char hash[32])
{
	crypto_generichash(hash, 32, (const unsigned char *)token,
			   strlen(token), NULL, 0);
}

void hh_auth_new_token(char token[HH_TOKEN_CHARS], unsigned char hash[32])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(token, HH_TOKEN_CHARS, raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	hh_auth_token_hash(token, hash);
}

struct login_ctx {
	struct hh_arena *a;
	const char *email, *password;
	struct hh_login *out;
	unsigned char hash[32];
	/* the account's key, when it has failures to end; else NULL */
	const unsigned char *clear_key;
};

static enum hh_rc login_tx(struct hh_tx *tx, void *p)
{
	struct login_ctx *c = p;
	struct hh_store *st = tx->store;
	struct hh_session s = {
		.token_hash = c->hash,
		.user_id = c->out->user.id,
		.csrf = c->out->csrf,
		.created_at = hh_now_us() / 1000000,
	};
	s.expires_at = s.created_at + HH_SESSION_TTL;
	enum hh_rc rc = st->session_purge(tx, s.created_at);
	if (rc == HH_OK && c->clear_key)
		rc = st->signin_fail_clear(tx, c->clear_key);
	if (rc == HH_OK)
		rc = st->session_insert(tx, &s);
	if (rc == HH_OK) {
		struct hh_event e = {
			.actor = hh_arena_printf(c->a, "user:%lld",
						 (long long)c->out->user.id),
			.org_id = c->out->user.org_id,
			.entity = "user",
			.entity_id = c->out->user.id,
			.action = "login",
		};
		rc = st->event_append(tx, &e);
	}
	return rc;
}

/* ---- failed sign-ins per account ---------------------------------------
 *
 * Counted in the store (signin_failures), so that N instances on one
 * database give an account the same allowance as one: the Nth failure
 * through any of them throttles it. The bucket is kept as a time, free_at:
 * when the account's allowance of HH_SIGNIN_ACCOUNT_BURST failures is
 * whole again (a token bucket written as GCRA, the same arithmetic as
 * core/limit.c's). A failure moves it to max(free_at, now) + one refill;
 * a try is allowed while that lands at most the whole allowance ahead of
 * now. free_at is wall-clock time, read by every instance, so their
 * clocks must agree to well within a refill (NTP does).
 *
 * Every try is paid for in the store before the password is checked, in
 * a write transaction of its own: concurrent tries on several instances
 * are serialised there, so no more than the allowance is ever checked,
 * and a try whose payment cannot be written is not checked at all (a
 * failure counted only after the check was a free guess whenever that
 * write failed; review of pg-throttle). A correct password deletes the
 * row in the transaction that makes the session. So a sign-in costs one
 * write more than before the count moved to the store, beside the
 * password hash's 50 to 150 ms.
 *
 * The row is keyed by the account: the user's id when the email names
 * one, else the email folded to lower case (ASCII, as SQLite's NOCASE).
 * PostgreSQL's lower() folds more than ASCII ("edİtor" finds "editor"),
 * so a key made from the typed email would give one account one
 * allowance per spelling. */

#define ACCOUNT_STEP_US ((int64_t)HH_SIGNIN_ACCOUNT_REFILL * 1000000)
#define ACCOUNT_FULL_US ((int64_t)HH_SIGNIN_ACCOUNT_BURST * ACCOUNT_STEP_US)

/* free_at after one more failure at now */
static int64_t after_failure(int64_t free_at, int64_t now)
{
	return (free_at > now ? free_at : now) + ACCOUNT_STEP_US;
}

/* Seconds until the account may try again: 0 when it may now. */
static int account_wait_s(int64_t free_at, int64_t now)
{
	int64_t over = after_failure(free_at, now) - now - ACCOUNT_FULL_US;
	return over > 0 ? (int)((over + 999999) / 1000000) : 0;
}

struct user_ctx {
	struct hh_arena *a;
	const char *email;
	const struct hh_vault *vault;
	unsigned char key[32]; /* the account's (above), set here */
	struct hh_user *user;
	struct hh_org *org;
	int have_row;    /* the account has a row of failures */
	int64_t free_at; /* its free_at, when it has */
};

/* Reads the user (NOT_FOUND: no such email), then the account's
 * failures under its key; one read transaction. */
static enum hh_rc find_user_tx(struct hh_tx *tx, void *p)
{
	struct user_ctx *c = p;
	c->have_row = 0;
	enum hh_rc found = tx->store->user_get_by_email(tx, c->a, c->email,
							c->user);
	if (found != HH_OK && found != HH_ERR_NOT_FOUND)
		return found;
	const char *account;
	if (found == HH_OK) {
		account = hh_arena_printf(c->a, "user:%lld",
					  (long long)c->user->id);
	} else {
		char *folded = hh_arena_strdup(c->a, c->email);
		for (char *q = folded; *q; q++)
			*q = (char)tolower((unsigned char)*q);
		account = folded;
	}
	hh_vault_account_hash(c->vault, account, c->key);
	enum hh_rc rc = tx->store->signin_fail_get(tx, c->key, &c->free_at);
	if (rc == HH_OK)
		c->have_row = 1;
	else if (rc != HH_ERR_NOT_FOUND)
		return rc;
	if (found == HH_OK)
		found = tx->store->org_get(tx, c->a, c->user->org_id, c->org);
	return found;
}

/* A hash to check unknown emails' passwords against, made once: threads
 * signing in at the same time must not race to make it. */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_init(void)
{
	hh_auth_hash_password("dummy-password", dummy_hash, sizeof(dummy_hash));
}

/* s for a log line or an event: control characters become '?', so that
 * a client cannot end our line and forge one of its own. Into a. */
static const char *loggable(struct hh_arena *a, const char *s)
{
	char *out = hh_arena_strdup(a, s ? s : "");
	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return out;
}

struct fail_ctx {
	const unsigned char *key;
	int64_t now;
	int strict;      /* take: LIMITED (nothing written) when none is left */
	int record;      /* fail_tx: count the failure (else it was paid) */
	int64_t free_at; /* the account's, after this failure */
	int wait_s;      /* take refused: seconds to wait */
	const char *why; /* fail_tx: "account", "address" or NULL */
	const char *client;
	const struct hh_user *user;
};

/* Counts one failure of the account; strict: only when it has one left
 * (else LIMITED with ->wait_s, and nothing written). */
static enum hh_rc take_tx(struct hh_tx *tx, void *p)
{
	struct fail_ctx *c = p;
	int64_t free_at = 0;
	enum hh_rc rc = tx->store->signin_fail_get(tx, c->key, &free_at);
	if (rc != HH_OK && rc != HH_ERR_NOT_FOUND)
		return rc;
	if (c->strict) {
		c->wait_s = account_wait_s(free_at, c->now);
		if (c->wait_s)
			return HH_ERR_LIMITED;
	}
	c->free_at = after_failure(free_at, c->now);
	return tx->store->signin_fail_put(tx, c->key, c->free_at, c->now);
}

/* Which limit this failure used up: the account's when it has no try
 * left, else the address's when it has none; NULL while both have. */
static const char *used_up(int64_t free_at, int64_t now, const char *client)
{
	if (account_wait_s(free_at, now))
		return "account";
	if (!hh_limiter_peek(fail_by_address, client, hh_mono_us(), NULL))
		return "address";
	return NULL;
}

/* A failed sign-in: counted for the account (unless its try was paid
 * before the check), and when it used up a limit, the throttling starts
 * now and is kept as an event, in the same transaction. */
static enum hh_rc fail_tx(struct hh_tx *tx, void *p)
{
	struct fail_ctx *c = p;
	enum hh_rc rc = HH_OK;
	if (c->record)
		rc = take_tx(tx, c);
	if (rc != HH_OK)
		return rc;
	c->why = used_up(c->free_at, c->now, c->client);
	if (!c->why)
		return HH_OK;
	json_t *j = json_pack("{s:s, s:s}", "limit", c->why, "address",
			      c->client);
	char *after = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	struct hh_event e = { .actor = "sign-in",
			      .org_id = c->user ? c->user->org_id : 0,
			      .entity = "user",
			      .entity_id = c->user ? c->user->id : 0,
			      .action = "sign-in-throttled", .after = after };
	rc = tx->store->event_append(tx, &e);
	free(after);
	return rc;
}

/* Records a failed sign-in. paid: its try was already counted in the
 * store, leaving the account at free_at. */
static void failed(struct hh_store *st, struct hh_arena *a,
		   const unsigned char key[32], const char *email,
		   const char *client, const struct hh_user *user, int paid,
		   int64_t free_at)
{
	hh_log_client("failed sign-in for %s from %s", loggable(a, email),
		      client);
	struct fail_ctx c = { .key = key, .now = hh_now_us(), .record = !paid,
			      .free_at = free_at, .client = client,
			      .user = user };
	if (paid && !used_up(free_at, c.now, client))
		return; /* nothing to write */
	enum hh_rc rc = hh_store_run_tx(st, 1, fail_tx, &c);
	if (rc != HH_OK) {
		hh_log(HH_LOG_WARN, "failed sign-in not kept: %s",
		       hh_rc_name(rc));
		return;
	}
	if (c.why)
		hh_log(HH_LOG_WARN, "sign-in throttled (%s) for %s from %s",
		       c.why, loggable(a, email), client);
}

enum hh_rc hh_auth_login(struct hh_store *st, struct hh_arena *a,
			 const char *email, const char *password,
			 const char *client, struct hh_login *out)
{
	pthread_once(&limits_once, limits_init);
	if (!client)
		client = "";
	/* The address pays for its try before anything else, so that a
	 * flood from one address costs neither the store nor hashing. */
	int wait = 0;
	if (!hh_limiter_take(fail_by_address, client, hh_mono_us(), &wait))
		goto limited;
	struct user_ctx uc = { .a = a, .email = email,
			       .vault = hh_vault_of(st), .user = &out->user,
			       .org = &out->org };
	enum hh_rc rc = hh_store_run_tx(st, 0, find_user_tx, &uc);
	const unsigned char *key = uc.key;
	if (rc != HH_OK && rc != HH_ERR_NOT_FOUND) {
		hh_limiter_refund(fail_by_address, client);
		return rc;
	}
	enum hh_rc found = rc;
	/* Every try pays for itself in the store before the password is
	 * checked (see above); an account out of tries is refused without
	 * a write, and a try that cannot be paid is not checked. */
	int64_t free_at = 0;
	int64_t now = hh_now_us();
	{
		struct fail_ctx tc = { .key = key, .now = now, .strict = 1 };
		wait = uc.have_row ? account_wait_s(uc.free_at, tc.now) : 0;
		rc = wait ? HH_ERR_LIMITED
			  : hh_store_run_tx(st, 1, take_tx, &tc);
		if (rc == HH_ERR_LIMITED && !wait)
			wait = tc.wait_s;
		if (rc != HH_OK) {
			hh_limiter_refund(fail_by_address, client);
			if (rc == HH_ERR_LIMITED)
				goto limited;
			return rc;
		}
		free_at = tc.free_at;
	}
	const int paid = 1;
	if (found == HH_ERR_NOT_FOUND) {
		/* Spend the same time as a real check so timing does not
		 * tell which emails exist. */
		pthread_once(&dummy_once, dummy_init);
		hh_auth_check_password(dummy_hash, password);
		failed(st, a, key, email, client, NULL, paid, free_at);
		return HH_ERR_FORBIDDEN;
	}
	if (!hh_auth_check_password(out->user.password_hash, password) ||
	    out->user.disabled) {
		failed(st, a, key, email, client, &out->user, paid, free_at);
		return HH_ERR_FORBIDDEN;
	}
	hh_limiter_refund(fail_by_address, client);
	unsigned char csrf_hash[32];
	struct login_ctx lc = { a, email, password, out, { 0 }, key };
	hh_auth_new_token(out->token, lc.hash);
	hh_auth_new_token(out->csrf, csrf_hash);
	return hh_store_run_tx(st, 1, login_tx, &lc);

limited:
	out->retry_after = wait;
	hh_log_client("sign-in refused (throttled) for %s from %s",
		      loggable(a, email), client);
	return HH_ERR_LIMITED;
}

struct logout_ctx {
	unsigned char hash[32];
};

static enum hh_rc logout_tx(struct hh_tx *tx, void *p)
{
	struct logout_ctx *c = p;
	return tx->store->session_delete(tx, c->hash);
}

enum hh_rc hh_auth_logout(struct hh_store *st, const char *token)
{
	struct logout_ctx c;
	hh_auth_token_hash(token, c.hash);
	return hh_store_run_tx(st, 1, logout_tx, &c);
}

struct oidc_login_ctx {
	struct hh_arena *a;
	const struct hh_staff_signin *in;
	struct hh_login *out;
	unsigned char hash[32];
};

static enum hh_rc oidc_login_tx(struct hh_tx *tx, void *p)
{
	struct oidc_login_ctx *c = p;
	struct hh_store *st = tx->store;
	const struct hh_staff_signin *in = c->in;
	struct hh_user *u = &c->out->user;
	enum hh_rc rc = st->org_get_by_code(tx, c->a, in->org_code, &c->out->org);
	if (rc != HH_OK)
		return rc == HH_ERR_NOT_FOUND ? HH_ERR_INVALID : rc;
	int64_t now = hh_now_us() / 1000000;
	const char *placeholder = hh_arena_printf(c->a, "oidc-%s@brugere.invalid",
						  in->subject);
	memset(u, 0, sizeof(*u));
	u->org_id = c->out->org.id;
	u->email = in->email ? in->email : placeholder;
	u->name = in->name;
	u->roles = in->roles;
	u->oidc_subject = in->subject;
	u->created_at = now;
	u->password_hash = "";
	rc = st->user_put_oidc(tx, u);
	if (rc == HH_ERR_CONFLICT && u->email != placeholder) {
		/* another user has this email: never take over an account
		 * by an email the provider may not have verified */
		u->email = placeholder;
		u->created_at = now;
		rc = st->user_put_oidc(tx, u);
	}
	if (rc != HH_OK)
		return rc;
	if (u->disabled)
		return HH_ERR_FORBIDDEN;
	const char *actor = hh_arena_printf(c->a, "user:%lld", (long long)u->id);
	if (u->created_at == now) {
		json_t *after = json_pack("{s:s, s:s, s:s, s:i, s:s}", "email",
					  u->email, "name", u->name,
					  "organisation", in->org_code, "roles",
					  (int)u->roles, "via", "oidc");
		char *after_s = json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(after);
		struct hh_event e = { .actor = actor, .org_id = u->org_id,
				      .entity = "user", .entity_id = u->id,
				      .action = "create", .after = after_s };
		rc = st->event_append(tx, &e);
		free(after_s);
		if (rc != HH_OK)
			return rc;
	}
	struct hh_session s = {
		.token_hash = c->hash,
		.user_id = u->id,
		.csrf = c->out->csrf,
		.created_at = now,
		.expires_at = now + HH_SESSION_TTL,
		.oidc_sid = in->oidc_sid,
		.oidc_subject = in->subject,
	};
	rc = st->session_purge(tx, now);
	if (rc == HH_OK)
		rc = st->session_insert(tx, &s);
	if (rc == HH_OK) {
		struct hh_event e = { .actor = actor, .org_id = u->org_id,
				      .entity = "user", .entity_id = u->id,
				      .action = "login", .after = "{\"via\":\"oidc\"}" };
		rc = st->event_append(tx, &e);
	}
	return rc;
}

enum hh_rc hh_auth_login_oidc(struct hh_store *st, struct hh_arena *a,
			      const struct hh_staff_signin *in,
			      struct hh_login *out)
{
	if (!in->subject || !*in->subject || strlen(in->subject) > 200 ||
	    !in->name || !*in->name || strlen(in->name) > 200 ||
	    !hh_utf8_valid(in->name, strlen(in->name)) || !in->org_code ||
	    !in->roles || (in->email && (!strchr(in->email, '@') ||
					 strlen(in->email) > 254)))
		return HH_ERR_INVALID;
	memset(out, 0, sizeof(*out));
	unsigned char csrf_hash[32];
	struct oidc_login_ctx c = { a, in, out, { 0 } };
	hh_auth_new_token(out->token, c.hash);
	hh_auth_new_token(out->csrf, csrf_hash);
	return hh_store_run_tx(st, 1, oidc_login_tx, &c);
}

struct add_ctx {
	const char *org_code;
	struct hh_user *u;
	struct hh_api_token *t;
	const char *actor;
};

static enum hh_rc user_add_tx(struct hh_tx *tx, void *p)
{
	struct add_ctx *c = p;
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_org org;
	enum hh_rc rc = tx->store->org_get_by_code(tx, &a, c->org_code, &org);
	if (rc == HH_ERR_NOT_FOUND)
		rc = HH_ERR_INVALID;
	if (rc != HH_OK)
		goto fail;
	if (c->u) {
		c->u->org_id = org.id;
		rc = tx->store->user_insert(tx, c->u);
		if (rc != HH_OK)
			goto fail;
		json_t *after = json_pack("{s:s, s:s, s:s, s:i}", "email",
					  c->u->email, "name", c->u->name,
					  "organisation", c->org_code, "roles",
					  (int)c->u->roles);
		char *after_s = json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(after);
		struct hh_event e = { .actor = c->actor, .org_id = org.id,
				      .entity = "user", .entity_id = c->u->id,
				      .action = "create", .after = after_s };
		rc = tx->store->event_append(tx, &e);
		free(after_s);
	} else {
		c->t->org_id = org.id;
		rc = tx->store->token_insert(tx, c->t);
		if (rc != HH_OK)
			goto fail;
		json_t *after = json_pack("{s:s, s:s, s:i}", "name", c->t->name,
					  "organisation", c->org_code, "roles",
					  (int)c->t->roles);
		char *after_s = json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(after);
		struct hh_event e = { .actor = c->actor, .org_id = org.id,
				      .entity = "api_token", .entity_id = c->t->id,
				      .action = "create", .after = after_s };
		rc = tx->store->event_append(tx, &e);
		free(after_s);
	}
fail:
	hh_arena_clear(&a);
	return rc;
}

enum hh_rc hh_auth_user_add(struct hh_store *st, const char *org_code,
			    const char *email, const char *name,
			    const char *password, unsigned roles,
			    const char *actor, int64_t *id)
{
	if (!email || !strchr(email, '@') || strlen(email) > 254 || !name ||
	    !*name || strlen(name) > 200 || !password || strlen(password) < 8 ||
	    strlen(password) > 1024 || !roles ||
	    !hh_utf8_valid(name, strlen(name)) ||
	    !hh_utf8_valid(email, strlen(email)))
		return HH_ERR_INVALID;
	char hash[crypto_pwhash_STRBYTES];
	enum hh_rc rc = hh_auth_hash_password(password, hash, sizeof(hash));
	if (rc != HH_OK)
		return rc;
	struct hh_user u = { .email = email, .name = name,
			     .password_hash = hash, .roles = roles };
	struct add_ctx c = { org_code, &u, NULL, actor };
	rc = hh_store_run_tx(st, 1, user_add_tx, &c);
	if (rc == HH_OK && id)
		*id = u.id;
	return rc;
}

enum hh_rc hh_auth_token_add(struct hh_store *st, const char *org_code,
			     const char *name, unsigned roles,
			     const char *actor, char token[HH_TOKEN_CHARS])
{
	if (!name || !*name || strlen(name) > 200 || !roles)
		return HH_ERR_INVALID;
	unsigned char hash[32];
	hh_auth_new_token(token, hash);
	struct hh_api_token t = { .token_hash = hash, .name = name,
				  .roles = roles };
	struct add_ctx c = { org_code, NULL, &t, actor };
	return hh_store_run_tx(st, 1, user_add_tx, &c);
}
