/* oidc.c - the OpenID Connect relying party (see oidc.h for the flow and
 * what is checked). libcurl speaks to the provider, rhonabwy checks the
 * tokens, libsodium seals the login cookie and makes the random values. */
#include "domain/oidc.h"

#include <ctype.h>
#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <rhonabwy.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/util.h"

#define MAX_RESPONSE (1 << 20) /* bytes: a JWKS or a token answer */
#define HTTP_TIMEOUT 10        /* seconds per request to the provider */
#define JWKS_REFETCH_MIN 1     /* seconds between fetches for unknown kids */
#define BACKCHANNEL_EVENT "http://schemas.openid.net/event/backchannel-logout"

/* A fetch from the provider: GET url, or POST form (application/
 * x-www-form-urlencoded) with HTTP basic user:pass when user is set.
 * *body is new (free), *status the HTTP status. A hook so that the unit
 * tests can answer without a network. */
typedef enum hh_rc (*fetch_fn)(const char *url, const char *form,
			       const char *user, const char *pass, char **body,
			       long *status);

struct provider {
	enum hh_oidc_kind kind;
	char *issuer, *client_id, *client_secret, *redirect_uri, *post_logout;
	char *scope;
	int secret_post;
	fetch_fn fetch;

	pthread_mutex_t lock; /* guards what follows */
	int discovered;
	char *authorization_endpoint, *token_endpoint, *jwks_uri;
	char *end_session_endpoint;
	jwks_t *jwks;            /* NULL until fetched */
	int64_t jwks_fetched_at; /* seconds */
	int jwks_fetches;        /* for the tests */
};

struct group_map {
	char *group, *org_code;
	unsigned roles;
};

struct hh_oidc {
	struct provider *p[2];
	char *loa_claim, *cpr_claim, *groups_claim;
	struct group_map *groups;
	int n_groups;
	unsigned char key[crypto_secretbox_KEYBYTES];
};

/* ---- HTTP --------------------------------------------------------------- */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_start(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	r_global_init();
}

struct sink {
	char *data;
	size_t len;
	int too_big;
};

static size_t sink_write(char *p, size_t size, size_t n, void *ctx)
{
	struct sink *s = ctx;
	size_t add = size * n;
	if (s->len + add > MAX_RESPONSE) {
		s->too_big = 1;
		return 0;
	}
	char *d = realloc(s->data, s->len + add + 1);
	if (!d)
		abort(); /* out of memory: a supervisor restarts us */
	memcpy(d + s->len, p, add);
	s->data = d;
	s->len += add;
	d[s->len] = 0;
	return add;
}

static enum hh_rc http_fetch(const char *url, const char *form,
			     const char *user, const char *pass, char **body,
			     long *status)
{
	*body = NULL;
	*status = 0;
	CURL *c = curl_easy_init();
	if (!c)
		return HH_ERR_INTERNAL;
	struct sink s = { 0 };
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)HTTP_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	struct curl_slist *h = curl_slist_append(NULL, "Accept: application/json");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	if (form)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, form);
	if (user) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERNAME, user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, pass);
	}
	CURLcode cc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	if (cc != CURLE_OK) {
		hh_log(HH_LOG_WARN, "oidc: %s: %s", url,
		       s.too_big ? "answer too large" : curl_easy_strerror(cc));
		free(s.data);
		return HH_ERR_IO;
	}
	*body = s.data ? s.data : strdup("");
	return HH_OK;
}

/* GETs url and parses a JSON object; new (decref) or NULL. */
static json_t *fetch_json(struct provider *p, const char *url)
{
	char *body;
	long status;
	if (p->fetch(url, NULL, NULL, NULL, &body, &status) != HH_OK)
		return NULL;
	json_t *j = NULL;
	if (status == 200)
		j = json_loads(body, JSON_REJECT_DUPLICATES, NULL);
	else
		hh_log(HH_LOG_WARN, "oidc: %s answered %ld", url, status);
	free(body);
	if (j && !json_is_object(j)) {
		json_decref(j);
		j = NULL;
	}
	return j;
}

/* ---- discovery and keys --------------------------------------------------- */

static char *dup_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s && *s ? strdup(s) : NULL;
}

/* Reads {issuer}/.well-known/openid-configuration once. Call with the
 * lock held. */
static enum hh_rc discover_locked(struct provider *p)
{
	if (p->discovered)
		return HH_OK;
	size_t n = strlen(p->issuer);
	char *url = hh_xmalloc(n + 40);
	snprintf(url, n + 40, "%s%s.well-known/openid-configuration", p->issuer,
		 n && p->issuer[n - 1] == '/' ? "" : "/");
	json_t *d = fetch_json(p, url);
	free(url);
	if (!d)
		return HH_ERR_IO;
	enum hh_rc rc = HH_OK;
	const char *iss = json_string_value(json_object_get(d, "issuer"));
	if (!iss || strcmp(iss, p->issuer)) {
		/* OpenID Connect Discovery 1.0 §4.3 */
		hh_log(HH_LOG_WARN, "oidc: discovery of %s names issuer %s",
		       p->issuer, iss ? iss : "(none)");
		rc = HH_ERR_IO;
		goto fail;
	}
	p->authorization_endpoint = dup_str(d, "authorization_endpoint");
	p->token_endpoint = dup_str(d, "token_endpoint");
	p->jwks_uri = dup_str(d, "jwks_uri");
	p->end_session_endpoint = dup_str(d, "end_session_endpoint");
	if (!p->authorization_endpoint || !p->token_endpoint || !p->jwks_uri) {
		hh_log(HH_LOG_WARN, "oidc: discovery of %s lacks endpoints",
		       p->issuer);
		rc = HH_ERR_IO;
		goto fail;
	}
	p->discovered = 1;
fail:
	json_decref(d);
	return rc;
}

static enum hh_rc discover(struct provider *p)
{
	pthread_mutex_lock(&p->lock);
	enum hh_rc rc = discover_locked(p);
	pthread_mutex_unlock(&p->lock);
	return rc;
}

/* Fetches the JWKS again (outside the lock: a slow provider must not hold
 * up sign-ins that have their key) unless one was fetched in the last
 * JWKS_REFETCH_MIN seconds, or (only_if_none) one is there already. */
static void jwks_refresh(struct provider *p, int only_if_none)
{
	int64_t now = hh_now_us() / 1000000;
	pthread_mutex_lock(&p->lock);
	int skip = !p->discovered || (only_if_none && p->jwks) ||
		   (p->jwks && now - p->jwks_fetched_at < JWKS_REFETCH_MIN);
	char *uri = skip ? NULL : strdup(p->jwks_uri);
	pthread_mutex_unlock(&p->lock);
	if (skip)
		return;
	json_t *j = fetch_json(p, uri);
	free(uri);
	jwks_t *k = NULL;
	if (j) {
		char *s = json_dumps(j, JSON_COMPACT);
		if (r_jwks_init(&k) != RHN_OK ||
		    r_jwks_import_from_json_str(k, s) != RHN_OK) {
			/* RHN_ERROR_PARAM also when one key of several is of
			 * an unknown type: keep what was imported if any */
			if (k && r_jwks_size(k) == 0) {
				r_jwks_free(k);
				k = NULL;
			}
		}
		free(s);
		json_decref(j);
	}
	pthread_mutex_lock(&p->lock);
	p->jwks_fetches++;
	p->jwks_fetched_at = now;
	if (k) {
		r_jwks_free(p->jwks);
		p->jwks = k;
	}
	pthread_mutex_unlock(&p->lock);
}

/* The key kid (or, without one, the only key) as a new jwk; NULL when the
 * kept JWKS has none. */
static jwk_t *key_for(struct provider *p, const char *kid)
{
	jwk_t *k = NULL;
	pthread_mutex_lock(&p->lock);
	if (p->jwks) {
		if (kid)
			k = r_jwks_get_by_kid(p->jwks, kid);
		else if (r_jwks_size(p->jwks) == 1)
			k = r_jwks_get_at(p->jwks, 0);
	}
	pthread_mutex_unlock(&p->lock);
	return k;
}

/* ---- token checks --------------------------------------------------------- */

static int alg_allowed(jwa_alg alg)
{
	/* asymmetric only: never none, never a MAC keyed with the client
	 * secret (the provider's keys are what is trusted) */
	switch (alg) {
	case R_JWA_ALG_RS256: case R_JWA_ALG_RS384: case R_JWA_ALG_RS512:
	case R_JWA_ALG_PS256: case R_JWA_ALG_PS384: case R_JWA_ALG_PS512:
	case R_JWA_ALG_ES256: case R_JWA_ALG_ES384: case R_JWA_ALG_ES512:
	case R_JWA_ALG_EDDSA:
		return 1;
	default:
		return 0;
	}
}

static int aud_has(json_t *aud, const char *client_id)
{
	if (json_is_string(aud))
		return !strcmp(json_string_value(aud), client_id);
	size_t i;
	json_t *v;
	json_array_foreach(aud, i, v)
		if (json_is_string(v) && !strcmp(json_string_value(v), client_id))
			return 1;
	return 0;
}

enum token_kind { ID_TOKEN, LOGOUT_TOKEN };

/* Verifies a signed JWT from provider p at time now and returns its
 * claims (new; decref) in *claims. For an ID token, nonce must match;
 * for a logout token the back-channel event must be there and a nonce
 * must not. INVALID with *why (English) when refused. */
static enum hh_rc verify_jwt(struct provider *p, const char *token,
			     enum token_kind kind, const char *nonce,
			     int64_t now, json_t **claims, const char **why)
{
	*claims = NULL;
	*why = NULL;
	pthread_once(&curl_once, curl_start);
	enum hh_rc rc = HH_ERR_INVALID;
	jwt_t *jwt = NULL;
	jwk_t *key = NULL;
	json_t *c = NULL;
	if (!token || strlen(token) > 16384) {
		*why = "no token, or too long";
		goto fail;
	}
	if (r_jwt_init(&jwt) != RHN_OK)
		return HH_ERR_INTERNAL;
	/* R_FLAG_IGNORE_REMOTE: keys named in the token (jku, x5u) are never
	 * fetched; only the provider's JWKS is trusted */
	if (r_jwt_parse(jwt, token, R_FLAG_IGNORE_REMOTE) != RHN_OK ||
	    r_jwt_get_type(jwt) != R_JWT_TYPE_SIGN) {
		*why = "not a signed JWT";
		goto fail;
	}
	if (!alg_allowed(r_jwt_get_sign_alg(jwt))) {
		*why = "signature algorithm not allowed";
		goto fail;
	}
	const char *kid = r_jwt_get_header_str_value(jwt, "kid");
	jwks_refresh(p, 1);
	key = key_for(p, kid);
	if (!key) {
		/* a key the provider has added since: fetch the JWKS once */
		jwks_refresh(p, 0);
		key = key_for(p, kid);
	}
	if (!key) {
		*why = "no key of the provider has this kid";
		goto fail;
	}
	if (r_jwt_verify_signature(jwt, key, R_FLAG_IGNORE_REMOTE) != RHN_OK) {
		*why = "bad signature";
		goto fail;
	}
	c = r_jwt_get_full_claims_json_t(jwt);
	if (!json_is_object(c)) {
		*why = "no claims";
		goto fail;
	}
	const char *iss = json_string_value(json_object_get(c, "iss"));
	if (!iss || strcmp(iss, p->issuer)) {
		*why = "wrong issuer";
		goto fail;
	}
	json_t *aud = json_object_get(c, "aud");
	if (!aud_has(aud, p->client_id)) {
		*why = "wrong audience";
		goto fail;
	}
	const char *azp = json_string_value(json_object_get(c, "azp"));
	if ((json_is_array(aud) && json_array_size(aud) > 1 && !azp) ||
	    (json_object_get(c, "azp") && (!azp || strcmp(azp, p->client_id)))) {
		*why = "wrong authorized party (azp)";
		goto fail;
	}
	json_t *exp = json_object_get(c, "exp");
	if ((kind == ID_TOKEN && !json_is_integer(exp)) ||
	    (exp && (!json_is_integer(exp) ||
		     json_integer_value(exp) + HH_OIDC_SKEW < now))) {
		*why = "expired";
		goto fail;
	}
	json_t *iat = json_object_get(c, "iat");
	if (!json_is_integer(iat) || json_integer_value(iat) > now + HH_OIDC_SKEW ||
	    (kind == LOGOUT_TOKEN &&
	     json_integer_value(iat) < now - HH_OIDC_LOGIN_SECONDS)) {
		*why = "issued at a wrong time (iat)";
		goto fail;
	}
	const char *sub = json_string_value(json_object_get(c, "sub"));
	const char *sid = json_string_value(json_object_get(c, "sid"));
	if (kind == ID_TOKEN) {
		const char *n = json_string_value(json_object_get(c, "nonce"));
		if (!n || !nonce || strlen(n) != strlen(nonce) ||
		    sodium_memcmp(n, nonce, strlen(n))) {
			*why = "wrong nonce";
			goto fail;
		}
		if (!sub || !*sub) {
			*why = "no subject";
			goto fail;
		}
	} else {
		json_t *events = json_object_get(c, "events");
		if (!json_is_object(json_object_get(events, BACKCHANNEL_EVENT))) {
			*why = "not a back-channel logout event";
			goto fail;
		}
		if (json_object_get(c, "nonce")) {
			*why = "a logout token has no nonce";
			goto fail;
		}
		if ((!sub || !*sub) && (!sid || !*sid)) {
			*why = "neither sid nor sub";
			goto fail;
		}
	}
	*claims = c;
	c = NULL;
	rc = HH_OK;
fail:
	json_decref(c);
	r_jwk_free(key);
	r_jwt_free(jwt);
	return rc;
}

/* ---- set-up ------------------------------------------------------------- */

static void provider_free(struct provider *p)
{
	if (!p)
		return;
	free(p->issuer);
	free(p->client_id);
	free(p->client_secret);
	free(p->redirect_uri);
	free(p->post_logout);
	free(p->scope);
	free(p->authorization_endpoint);
	free(p->token_endpoint);
	free(p->jwks_uri);
	free(p->end_session_endpoint);
	r_jwks_free(p->jwks);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

const char *hh_oidc_callback_path(enum hh_oidc_kind kind)
{
	return kind == HH_OIDC_STAFF ? "/personale/oidc/callback"
				     : "/borger/oidc/callback";
}

static char *base_plus(const char *base, const char *path)
{
	size_t n = strlen(base);
	while (n && base[n - 1] == '/')
		n--;
	size_t len = n + strlen(path) + 1;
	char *s = hh_xmalloc(len);
	snprintf(s, len, "%.*s%s", (int)n, base, path);
	return s;
}

static enum hh_rc provider_new(enum hh_oidc_kind kind,
			       const struct hh_oidc_client_config *c,
			       const char *public_url, struct provider **out,
			       char *err, size_t errsz)
{
	const char *who = kind == HH_OIDC_STAFF ? "staff" : "citizen";
	*out = NULL;
	if (!c->issuer || !*c->issuer)
		return HH_OK;
	const char *base = c->redirect_base && *c->redirect_base ? c->redirect_base
								 : public_url;
	if (!c->client_id || !*c->client_id || !c->client_secret ||
	    !*c->client_secret || !base || !*base) {
		snprintf(err, errsz, "the %s OpenID Connect provider needs a "
			 "client id, a client secret and a redirect base URL "
			 "(the public URL, --public-url, unless set apart)", who);
		return HH_ERR_INVALID;
	}
	if (strncmp(c->issuer, "https://", 8) && strncmp(c->issuer, "http://", 7)) {
		snprintf(err, errsz, "the %s issuer must be an http(s) URL", who);
		return HH_ERR_INVALID;
	}
	struct provider *p = hh_xcalloc(1, sizeof(*p));
	p->kind = kind;
	p->issuer = strdup(c->issuer);
	p->client_id = strdup(c->client_id);
	p->client_secret = strdup(c->client_secret);
	p->redirect_uri = base_plus(base, hh_oidc_callback_path(kind));
	p->post_logout = base_plus(base, "/");
	p->scope = strdup(c->scope && *c->scope ? c->scope : "openid");
	p->secret_post = c->secret_post;
	p->fetch = http_fetch;
	pthread_mutex_init(&p->lock, NULL);
	*out = p;
	return HH_OK;
}

/* "group=org:role+role,..." into o->groups. */
static enum hh_rc groups_parse(struct hh_oidc *o, const char *spec, char *err,
			       size_t errsz)
{
	char *copy = strdup(spec ? spec : "");
	enum hh_rc rc = HH_OK;
	char *save = NULL;
	for (char *e = strtok_r(copy, ",", &save); e; e = strtok_r(NULL, ",", &save)) {
		while (isspace((unsigned char)*e))
			e++;
		if (!*e)
			continue;
		char *eq = strrchr(e, '=');
		char *colon = eq ? strchr(eq, ':') : NULL;
		if (!eq || eq == e || !colon || colon == eq + 1 || !colon[1]) {
			snprintf(err, errsz, "staff group \"%s\": write "
				 "group=organisation:role[+role]", e);
			rc = HH_ERR_INVALID;
			break;
		}
		*eq = *colon = 0;
		for (char *r = colon + 1; *r; r++)
			if (*r == '+')
				*r = ',';
		unsigned roles;
		if (hh_roles_parse(colon + 1, &roles) != HH_OK ||
		    (roles & HH_ROLE_CITIZEN)) {
			snprintf(err, errsz, "staff group \"%s\": unknown role in "
				 "\"%s\"", e, colon + 1);
			rc = HH_ERR_INVALID;
			break;
		}
		o->groups = realloc(o->groups, (size_t)(o->n_groups + 1) *
						      sizeof(*o->groups));
		if (!o->groups)
			abort();
		o->groups[o->n_groups++] = (struct group_map){
			strdup(e), strdup(eq + 1), roles };
	}
	free(copy);
	return rc;
}

enum hh_rc hh_oidc_new(const struct hh_oidc_config *cfg, struct hh_oidc **out,
		       char *err, size_t errsz)
{
	pthread_once(&curl_once, curl_start);
	struct hh_oidc *o = hh_xcalloc(1, sizeof(*o));
	enum hh_rc rc = HH_OK;
	*out = NULL;
	for (int k = 0; k < 2 && rc == HH_OK; k++)
		rc = provider_new((enum hh_oidc_kind)k, &cfg->client[k],
				  cfg->public_url, &o->p[k], err, errsz);
	if (rc != HH_OK)
		goto fail;
	o->loa_claim = strdup(cfg->loa_claim && *cfg->loa_claim ? cfg->loa_claim
							       : HH_OIDC_LOA_CLAIM);
	o->cpr_claim = strdup(cfg->cpr_claim && *cfg->cpr_claim ? cfg->cpr_claim
							       : HH_OIDC_CPR_CLAIM);
	o->groups_claim = strdup(cfg->groups_claim && *cfg->groups_claim
					 ? cfg->groups_claim
					 : HH_OIDC_GROUPS_CLAIM);
	rc = groups_parse(o, cfg->staff_groups, err, errsz);
	if (rc != HH_OK)
		goto fail;
	if (o->p[HH_OIDC_STAFF] && !o->n_groups) {
		snprintf(err, errsz, "the staff OpenID Connect provider needs "
			 "staff groups (group=organisation:role)");
		rc = HH_ERR_INVALID;
		goto fail;
	}
	if (cfg->cookie_key && *cfg->cookie_key) {
		size_t n = 0;
		if (sodium_hex2bin(o->key, sizeof(o->key), cfg->cookie_key,
				   strlen(cfg->cookie_key), NULL, &n, NULL) != 0 ||
		    n != sizeof(o->key)) {
			snprintf(err, errsz, "the OpenID Connect cookie key must "
				 "be %d hex digits", (int)sizeof(o->key) * 2);
			rc = HH_ERR_INVALID;
			goto fail;
		}
	} else {
		crypto_secretbox_keygen(o->key);
	}
	*out = o;
	return HH_OK;
fail:
	hh_oidc_free(o);
	return rc;
}

void hh_oidc_free(struct hh_oidc *o)
{
	if (!o)
		return;
	provider_free(o->p[0]);
	provider_free(o->p[1]);
	for (int i = 0; i < o->n_groups; i++) {
		free(o->groups[i].group);
		free(o->groups[i].org_code);
	}
	free(o->groups);
	free(o->loa_claim);
	free(o->cpr_claim);
	free(o->groups_claim);
	sodium_memzero(o->key, sizeof(o->key));
	free(o);
}

int hh_oidc_enabled(const struct hh_oidc *o, enum hh_oidc_kind kind)
{
	return o && o->p[kind] != NULL;
}

/* ---- the login cookie ----------------------------------------------------- */

static const char *random_b64(struct hh_arena *a)
{
	unsigned char raw[32];
	char *s = hh_arena_alloc(a, HH_TOKEN_CHARS);
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(s, HH_TOKEN_CHARS, raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return s;
}

/* Seals a JSON object: base64url(nonce || secretbox(json)). */
static const char *seal(const struct hh_oidc *o, struct hh_arena *a, json_t *j)
{
	char *plain = json_dumps(j, JSON_COMPACT);
	size_t n = strlen(plain);
	size_t boxed = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
	unsigned char *box = hh_arena_alloc(a, boxed);
	randombytes_buf(box, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES,
			      (unsigned char *)plain, n, box, o->key);
	sodium_memzero(plain, n);
	free(plain);
	size_t len = sodium_base64_ENCODED_LEN(boxed,
					       sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = hh_arena_alloc(a, len);
	sodium_bin2base64(out, len, box, boxed,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

/* Opens what seal() made; new JSON object or NULL. */
static json_t *unseal(const struct hh_oidc *o, struct hh_arena *a,
		      const char *cookie)
{
	if (!cookie)
		return NULL;
	size_t clen = strlen(cookie);
	if (clen > 4096)
		return NULL;
	unsigned char *box = hh_arena_alloc(a, clen + 1);
	size_t n = 0;
	if (sodium_base642bin(box, clen + 1, cookie, clen, NULL, &n, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    n < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + 2)
		return NULL;
	size_t plain_len = n - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
	unsigned char *plain = hh_arena_alloc(a, plain_len + 1);
	if (crypto_secretbox_open_easy(plain, box + crypto_secretbox_NONCEBYTES,
				       n - crypto_secretbox_NONCEBYTES, box,
				       o->key) != 0)
		return NULL;
	json_t *j = json_loadb((const char *)plain, plain_len, 0, NULL);
	sodium_memzero(plain, plain_len);
	if (j && !json_is_object(j)) {
		json_decref(j);
		j = NULL;
	}
	return j;
}

static const char *home_of(enum hh_oidc_kind kind)
{
	return kind == HH_OIDC_STAFF ? "/personale" : "/mit-overblik";
}

/* A local path to return to: "/..." but not "//..." (another host), no
 * backslashes or control characters. */
static int local_path(const char *s)
{
	if (!s || s[0] != '/' || s[1] == '/' || strlen(s) > 512)
		return 0;
	for (const char *c = s; *c; c++)
		if (*c == '\\' || (unsigned char)*c < 0x20 || *c == 0x7f)
			return 0;
	return 1;
}

static void urlenc_param(struct hh_buf *b, const char *name, const char *v)
{
	hh_buf_putc(b, '&');
	hh_buf_puts(b, name);
	hh_buf_putc(b, '=');
	hh_buf_urlenc(b, v);
}

enum hh_rc hh_oidc_begin(struct hh_oidc *o, struct hh_arena *a,
			 enum hh_oidc_kind kind, const char *return_path,
			 const char **url, const char **cookie)
{
	struct provider *p = o ? o->p[kind] : NULL;
	if (!p)
		return HH_ERR_NOT_FOUND;
	enum hh_rc rc = discover(p);
	if (rc != HH_OK)
		return rc;
	const char *state = random_b64(a), *nonce = random_b64(a);
	const char *verifier = random_b64(a);
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(digest, (const unsigned char *)verifier,
			   strlen(verifier));
	char challenge[HH_TOKEN_CHARS];
	sodium_bin2base64(challenge, sizeof(challenge), digest, sizeof(digest),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	if (!local_path(return_path))
		return_path = home_of(kind);
	json_t *j = json_pack("{s:i, s:s, s:s, s:s, s:s, s:I}", "k", (int)kind,
			      "s", state, "n", nonce, "v", verifier, "r",
			      return_path, "e",
			      (json_int_t)(hh_now_us() / 1000000 +
					   HH_OIDC_LOGIN_SECONDS));
	*cookie = seal(o, a, j);
	json_decref(j);

	struct hh_buf b;
	hh_buf_init(&b);
	pthread_mutex_lock(&p->lock);
	hh_buf_puts(&b, p->authorization_endpoint);
	pthread_mutex_unlock(&p->lock);
	hh_buf_puts(&b, strchr(hh_buf_str(&b), '?') ? "&" : "?");
	hh_buf_puts(&b, "response_type=code");
	urlenc_param(&b, "client_id", p->client_id);
	urlenc_param(&b, "redirect_uri", p->redirect_uri);
	urlenc_param(&b, "scope", p->scope);
	urlenc_param(&b, "state", state);
	urlenc_param(&b, "nonce", nonce);
	urlenc_param(&b, "code_challenge", challenge);
	hh_buf_puts(&b, "&code_challenge_method=S256");
	*url = hh_arena_strdup(a, hh_buf_str(&b));
	hh_buf_clear(&b);
	return HH_OK;
}

/* ---- completing a sign-in ------------------------------------------------- */

/* The code for tokens: the ID token (in a) or NULL. */
static const char *redeem(struct provider *p, struct hh_arena *a,
			  const char *code, const char *verifier,
			  const char **why)
{
	struct hh_buf f;
	hh_buf_init(&f);
	hh_buf_puts(&f, "grant_type=authorization_code");
	urlenc_param(&f, "code", code);
	urlenc_param(&f, "redirect_uri", p->redirect_uri);
	urlenc_param(&f, "code_verifier", verifier);
	/* client_secret_basic form-encodes id and secret first (RFC 6749
	 * §2.3.1) */
	struct hh_buf user, pass;
	hh_buf_init(&user);
	hh_buf_init(&pass);
	if (p->secret_post) {
		urlenc_param(&f, "client_id", p->client_id);
		urlenc_param(&f, "client_secret", p->client_secret);
	} else {
		hh_buf_urlenc(&user, p->client_id);
		hh_buf_urlenc(&pass, p->client_secret);
	}
	pthread_mutex_lock(&p->lock);
	char *endpoint = strdup(p->token_endpoint);
	pthread_mutex_unlock(&p->lock);
	char *body = NULL;
	long status = 0;
	enum hh_rc rc = p->fetch(endpoint, hh_buf_str(&f),
				 p->secret_post ? NULL : hh_buf_str(&user),
				 p->secret_post ? NULL : hh_buf_str(&pass), &body,
				 &status);
	free(endpoint);
	hh_buf_clear(&f);
	hh_buf_clear(&user);
	hh_buf_clear(&pass);
	const char *id_token = NULL;
	if (rc != HH_OK) {
		*why = "the token endpoint could not be reached";
		return NULL;
	}
	json_t *j = json_loads(body, 0, NULL);
	free(body);
	const char *t = json_string_value(json_object_get(j, "id_token"));
	if (status != 200 || !t) {
		const char *e = json_string_value(json_object_get(j, "error"));
		*why = hh_arena_printf(a, "the token endpoint answered %ld%s%s",
				       status, e ? ": " : "", e ? e : "");
	} else {
		id_token = hh_arena_strdup(a, t);
	}
	json_decref(j);
	return id_token;
}

static enum hh_loa loa_parse(const char *v)
{
	if (!v)
		return HH_LOA_LOW;
	/* "Substantial", or a URI ending in it */
	const char *slash = strrchr(v, '/');
	const char *w = slash ? slash + 1 : v;
	if (!strcasecmp(w, "high"))
		return HH_LOA_HIGH;
	if (!strcasecmp(w, "substantial"))
		return HH_LOA_SUBSTANTIAL;
	return HH_LOA_LOW;
}

static const char *claim_str(struct hh_arena *a, json_t *c, const char *name)
{
	const char *s = json_string_value(json_object_get(c, name));
	return s && *s ? hh_arena_strdup(a, s) : NULL;
}

/* The staff member's organisation and roles from the group claim (an
 * array of names, or one name). Groups of more than one organisation
 * are refused: which one was meant is not for helhed to guess. */
static const char *staff_roles(const struct hh_oidc *o, json_t *claims,
			       unsigned *roles, const char **why)
{
	json_t *g = json_object_get(claims, o->groups_claim);
	const char *org = NULL;
	*roles = 0;
	size_t n = json_is_array(g) ? json_array_size(g) : json_is_string(g);
	for (size_t i = 0; i < n; i++) {
		const char *name = json_string_value(json_is_array(g)
							     ? json_array_get(g, i)
							     : g);
		if (!name)
			continue;
		for (int k = 0; k < o->n_groups; k++) {
			if (strcmp(o->groups[k].group, name))
				continue;
			if (org && strcmp(org, o->groups[k].org_code)) {
				*why = "groups of more than one organisation";
				*roles = 0;
				return NULL;
			}
			org = o->groups[k].org_code;
			*roles |= o->groups[k].roles;
		}
	}
	if (!org)
		*why = "no group gives a role";
	return org;
}

static enum hh_rc refusal_tx(struct hh_tx *tx, void *p)
{
	return tx->store->event_append(tx, p);
}

/* Writes a refused sign-in to the event log (no personal data: the
 * reason only) and the log. */
static void log_refusal(struct hh_store *st, enum hh_oidc_kind kind,
			enum hh_oidc_fault fault, const char *why)
{
	static const char *const names[] = {
		"fine", "denied", "state", "expired", "provider",
		"token", "claims", "no-role", "disabled",
	};
	hh_log(HH_LOG_WARN, "oidc: %s sign-in refused (%s): %s",
	       kind == HH_OIDC_STAFF ? "staff" : "citizen", names[fault],
	       why ? why : "");
	json_t *after = json_pack("{s:s, s:s, s:s}", "kind",
				  kind == HH_OIDC_STAFF ? "staff" : "citizen",
				  "fault", names[fault], "why", why ? why : "");
	char *s = json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(after);
	struct hh_event e = { .actor = "oidc", .entity = "sign_in",
			      .entity_id = 0, .action = "refused", .after = s };
	enum hh_rc rc = hh_store_run_tx(st, 1, refusal_tx, &e);
	if (rc != HH_OK)
		hh_log(HH_LOG_WARN, "oidc: the refusal was not logged: %s",
		       hh_rc_name(rc));
	free(s);
}

#define REFUSE(f, w)                                                   \
	do {                                                           \
		out->fault = (f);                                      \
		out->why = (w);                                        \
		rc = HH_ERR_FORBIDDEN;                                 \
		goto fail;                                             \
	} while (0)

enum hh_rc hh_oidc_finish(struct hh_oidc *o, struct hh_store *st,
			  struct hh_arena *a, enum hh_oidc_kind kind,
			  const struct hh_oidc_callback *cb,
			  struct hh_oidc_result *out)
{
	memset(out, 0, sizeof(*out));
	out->return_path = home_of(kind);
	struct provider *p = o ? o->p[kind] : NULL;
	if (!p)
		return HH_ERR_NOT_FOUND;
	enum hh_rc rc = HH_OK;
	json_t *login = unseal(o, a, cb->cookie), *claims = NULL;
	const char *why = NULL;
	if (cb->error) {
		/* the error code as the provider sent it, minus anything that
		 * is not an OAuth error code's (log lines stay lines) */
		char code[65];
		size_t n = 0;
		for (const char *c = cb->error; *c && n < sizeof(code) - 1; c++)
			if (isalnum((unsigned char)*c) || *c == '_' || *c == '-')
				code[n++] = *c;
		code[n] = 0;
		REFUSE(HH_OIDC_DENIED,
		       hh_arena_printf(a, "the provider answered %s", code));
	}
	if (!login)
		REFUSE(HH_OIDC_STATE, "no login cookie, or it does not open");
	json_t *jk = json_object_get(login, "k");
	const char *state = json_string_value(json_object_get(login, "s"));
	const char *nonce = json_string_value(json_object_get(login, "n"));
	const char *verifier = json_string_value(json_object_get(login, "v"));
	const char *ret = json_string_value(json_object_get(login, "r"));
	json_t *jexp = json_object_get(login, "e");
	if (!json_is_integer(jk) || json_integer_value(jk) != (json_int_t)kind ||
	    !state || !nonce || !verifier || !json_is_integer(jexp))
		REFUSE(HH_OIDC_STATE, "the login cookie is of another kind");
	if (local_path(ret))
		out->return_path = hh_arena_strdup(a, ret);
	if (!cb->state || strlen(cb->state) != strlen(state) ||
	    sodium_memcmp(cb->state, state, strlen(state)))
		REFUSE(HH_OIDC_STATE, "state does not match");
	int64_t now = hh_now_us() / 1000000;
	if (json_integer_value(jexp) < now)
		REFUSE(HH_OIDC_EXPIRED, "the login was started too long ago");
	if (!cb->code || !*cb->code || strlen(cb->code) > 2048)
		REFUSE(HH_OIDC_PROVIDER, "no code");
	if (discover(p) != HH_OK)
		REFUSE(HH_OIDC_PROVIDER, "discovery failed");
	const char *id_token = redeem(p, a, cb->code, verifier, &why);
	if (!id_token)
		REFUSE(HH_OIDC_PROVIDER, why);
	if (verify_jwt(p, id_token, ID_TOKEN, nonce, now, &claims, &why) != HH_OK)
		REFUSE(HH_OIDC_TOKEN, why);
	const char *sub = claim_str(a, claims, "sub");
	const char *sid = claim_str(a, claims, "sid");
	const char *name = claim_str(a, claims, "name");
	if (!name) {
		const char *given = claim_str(a, claims, "given_name");
		const char *family = claim_str(a, claims, "family_name");
		if (given && family)
			name = hh_arena_printf(a, "%s %s", given, family);
	}
	if (kind == HH_OIDC_CITIZEN) {
		if (!name)
			REFUSE(HH_OIDC_CLAIMS, "no name");
		const char *cpr = claim_str(a, claims, o->cpr_claim);
		if (cpr && (strlen(cpr) != 10 || strspn(cpr, "0123456789") != 10))
			cpr = NULL; /* not a CPR number: never stored */
		struct hh_citizen_signin in = {
			.subject = hh_arena_printf(a, "oidc:%s", sub),
			.name = name,
			.cpr = cpr,
			.loa = loa_parse(json_string_value(
				json_object_get(claims, o->loa_claim))),
			.oidc_sid = sid,
			.oidc_subject = sub,
		};
		rc = hh_citizen_signin(st, a, &in, &out->citizen);
		if (rc == HH_ERR_INVALID)
			REFUSE(HH_OIDC_CLAIMS, "the name or subject is not usable");
	} else {
		const char *email = claim_str(a, claims, "email");
		if (!name)
			name = email ? email : claim_str(a, claims, "preferred_username");
		if (!name)
			REFUSE(HH_OIDC_CLAIMS, "no name");
		unsigned roles;
		const char *org = staff_roles(o, claims, &roles, &why);
		if (!org)
			REFUSE(HH_OIDC_NO_ROLE, why);
		struct hh_staff_signin in = { .subject = sub, .email = email,
					      .name = name, .org_code = org,
					      .roles = roles, .oidc_sid = sid };
		rc = hh_auth_login_oidc(st, a, &in, &out->staff);
		if (rc == HH_ERR_FORBIDDEN)
			REFUSE(HH_OIDC_DISABLED, "the user is disabled");
		if (rc == HH_ERR_INVALID)
			REFUSE(HH_OIDC_CLAIMS, hh_arena_printf(
				       a, "organisation %s unknown, or bad claims",
				       org));
	}
fail:
	json_decref(login);
	json_decref(claims);
	if (out->fault)
		log_refusal(st, kind, out->fault, out->why);
	return rc;
}

/* ---- logout ----------------------------------------------------------------- */

struct end_ctx {
	const char *sid, *sub;
	int64_t ended;
};

static enum hh_rc end_tx(struct hh_tx *tx, void *p)
{
	struct end_ctx *c = p;
	return tx->store->oidc_sessions_end(tx, c->sid, c->sub, &c->ended);
}

enum hh_rc hh_oidc_backchannel_logout(struct hh_oidc *o, struct hh_store *st,
				      const char *logout_token, int64_t *ended)
{
	if (ended)
		*ended = 0;
	if (!o)
		return HH_ERR_NOT_FOUND;
	int64_t now = hh_now_us() / 1000000;
	const char *why = "no provider is set up";
	for (int k = 0; k < 2; k++) {
		struct provider *p = o->p[k];
		json_t *claims;
		if (!p || discover(p) != HH_OK)
			continue;
		if (verify_jwt(p, logout_token, LOGOUT_TOKEN, NULL, now, &claims,
			       &why) != HH_OK)
			continue;
		struct end_ctx c = {
			json_string_value(json_object_get(claims, "sid")),
			json_string_value(json_object_get(claims, "sub")), 0 };
		if (c.sid && !*c.sid)
			c.sid = NULL;
		enum hh_rc rc = hh_store_run_tx(st, 1, end_tx, &c);
		json_decref(claims);
		if (rc == HH_OK) {
			hh_log(HH_LOG_INFO, "oidc: back-channel logout ended %lld "
			       "sessions", (long long)c.ended);
			if (ended)
				*ended = c.ended;
		}
		return rc;
	}
	hh_log(HH_LOG_WARN, "oidc: logout token refused: %s", why);
	return HH_ERR_INVALID;
}

enum hh_rc hh_oidc_frontchannel_logout(struct hh_oidc *o, struct hh_store *st,
				       const char *iss, const char *sid,
				       int64_t *ended)
{
	if (ended)
		*ended = 0;
	if (!o || !iss || !sid || !*sid || strlen(sid) > 256)
		return HH_ERR_INVALID;
	for (int k = 0; k < 2; k++) {
		if (!o->p[k] || strcmp(o->p[k]->issuer, iss))
			continue;
		struct end_ctx c = { sid, NULL, 0 };
		enum hh_rc rc = hh_store_run_tx(st, 1, end_tx, &c);
		if (rc == HH_OK && ended)
			*ended = c.ended;
		return rc;
	}
	return HH_ERR_INVALID;
}

const char *hh_oidc_end_session_url(struct hh_oidc *o, struct hh_arena *a,
				    enum hh_oidc_kind kind)
{
	struct provider *p = o ? o->p[kind] : NULL;
	if (!p || discover(p) != HH_OK)
		return NULL;
	struct hh_buf b;
	hh_buf_init(&b);
	pthread_mutex_lock(&p->lock);
	if (p->end_session_endpoint)
		hh_buf_puts(&b, p->end_session_endpoint);
	pthread_mutex_unlock(&p->lock);
	const char *url = NULL;
	if (b.len) {
		hh_buf_puts(&b, strchr(hh_buf_str(&b), '?') ? "&" : "?");
		hh_buf_puts(&b, "client_id=");
		hh_buf_urlenc(&b, p->client_id);
		urlenc_param(&b, "post_logout_redirect_uri", p->post_logout);
		url = hh_arena_strdup(a, hh_buf_str(&b));
	}
	hh_buf_clear(&b);
	return url;
}
