/* test_oidc.c - the relying party's checks, without a network: the
 * provider's discovery document and JWKS come from a fetch hook, and the
 * tokens are signed here with rhonabwy, each with one thing wrong.
 * Includes oidc.c to reach verify_jwt, the cookie seal and the hook. */
#include "testutil.h"

#include "domain/oidc.c"

#define ISS "https://mitid-broker.test"
#define CID "helhed-borger"

static jwk_t *key_priv[3], *key_pub[3]; /* k1, k2, k3 (k3 never published) */
static int published = 1;                /* how many of k1.. the JWKS lists */
static int jwks_served;

static char *jwks_text(void)
{
	jwks_t *k;
	assert_int_equal(r_jwks_init(&k), RHN_OK);
	for (int i = 0; i < published; i++)
		assert_int_equal(r_jwks_append_jwk(k, key_pub[i]), RHN_OK);
	char *s = r_jwks_export_to_json_str(k, 0);
	char *out = strdup(s);
	r_free(s);
	r_jwks_free(k);
	return out;
}

static enum hh_rc fake_fetch(const char *url, const char *form,
			     const char *user, const char *pass, char **body,
			     long *status)
{
	*status = 200;
	if (strstr(url, "/.well-known/openid-configuration")) {
		*body = strdup("{\"issuer\":\"" ISS "\","
			       "\"authorization_endpoint\":\"" ISS "/auth\","
			       "\"token_endpoint\":\"" ISS "/token\","
			       "\"jwks_uri\":\"" ISS "/jwks\","
			       "\"end_session_endpoint\":\"" ISS "/logout\"}");
		return HH_OK;
	}
	if (strstr(url, "/jwks")) {
		jwks_served++;
		*body = jwks_text();
		return HH_OK;
	}
	*status = 404;
	*body = strdup("{}");
	return HH_OK;
}

static struct hh_oidc *relying_party(void)
{
	struct hh_oidc_config c = {
		.client = { [HH_OIDC_CITIZEN] = { ISS, CID, "s3cret",
						  "https://helhed.test", NULL, 0 } },
	};
	struct hh_oidc *o;
	char err[200];
	assert_int_equal(hh_oidc_new(&c, &o, err, sizeof(err)), HH_OK);
	o->p[HH_OIDC_CITIZEN]->fetch = fake_fetch;
	return o;
}

static int setup(void **state)
{
	pthread_once(&curl_once, curl_start);
	const char *kids[] = { "k1", "k2", "k3" };
	for (int i = 0; i < 3; i++) {
		assert_int_equal(r_jwk_init(&key_priv[i]), RHN_OK);
		assert_int_equal(r_jwk_init(&key_pub[i]), RHN_OK);
		assert_int_equal(r_jwk_generate_key_pair(key_priv[i], key_pub[i],
							 R_KEY_TYPE_RSA, 2048,
							 kids[i]),
				 RHN_OK);
	}
	return 0;
}

static int teardown(void **state)
{
	for (int i = 0; i < 3; i++) {
		r_jwk_free(key_priv[i]);
		r_jwk_free(key_pub[i]);
	}
	return 0;
}

static int64_t now(void)
{
	return hh_now_us() / 1000000;
}

/* Good claims of an ID token for nonce "n-1"; tests spoil one. */
static json_t *good_claims(void)
{
	return json_pack("{s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:s}", "iss", ISS,
			 "sub", "abc-123", "aud", CID, "iat", (json_int_t)now(),
			 "exp", (json_int_t)now() + 300, "nonce", "n-1", "name",
			 "Anna", HH_OIDC_LOA_CLAIM, "Substantial");
}

/* claims (stolen) signed with key i as alg; kid as the header says
 * (NULL: the key's own). */
static char *sign(json_t *claims, int key, jwa_alg alg, const char *kid)
{
	jwt_t *jwt;
	assert_int_equal(r_jwt_init(&jwt), RHN_OK);
	assert_int_equal(r_jwt_set_full_claims_json_t(jwt, claims), RHN_OK);
	json_decref(claims);
	assert_int_equal(r_jwt_set_sign_alg(jwt, alg), RHN_OK);
	r_jwt_set_header_str_value(jwt, "kid",
				   kid ? kid
				       : r_jwk_get_property_str(key_priv[key], "kid"));
	char *t = r_jwt_serialize_signed(jwt, key_priv[key], 0);
	assert_non_null(t);
	char *out = strdup(t);
	r_free(t);
	r_jwt_free(jwt);
	return out;
}

/* A token with alg none (no signature), encoded by hand. */
static char *unsigned_token(json_t *claims)
{
	char *payload = json_dumps(claims, JSON_COMPACT);
	json_decref(claims);
	const char *header = "{\"alg\":\"none\",\"kid\":\"k1\"}";
	char h64[128], p64[2048];
	sodium_bin2base64(h64, sizeof(h64), (const unsigned char *)header,
			  strlen(header), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_bin2base64(p64, sizeof(p64), (const unsigned char *)payload,
			  strlen(payload), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	free(payload);
	char *t = hh_xmalloc(strlen(h64) + strlen(p64) + 3);
	sprintf(t, "%s.%s.", h64, p64);
	return t;
}

static enum hh_rc check(struct hh_oidc *o, const char *token,
			enum token_kind kind, const char **why)
{
	struct provider *p = o->p[HH_OIDC_CITIZEN];
	assert_int_equal(discover(p), HH_OK);
	json_t *claims = NULL;
	enum hh_rc rc = verify_jwt(p, token, kind, "n-1", now(), &claims, why);
	assert_true((rc == HH_OK) == (claims != NULL));
	json_decref(claims);
	return rc;
}

static void expect_refused(struct hh_oidc *o, char *token, const char *why_want)
{
	const char *why;
	assert_int_equal(check(o, token, ID_TOKEN, &why), HH_ERR_INVALID);
	if (strcmp(why, why_want))
		fail_msg("refused for \"%s\", expected \"%s\"", why, why_want);
	free(token);
}

static void id_token_checks(void **state)
{
	published = 1;
	struct hh_oidc *o = relying_party();
	const char *why;
	char *t = sign(good_claims(), 0, R_JWA_ALG_RS256, NULL);
	assert_int_equal(check(o, t, ID_TOKEN, &why), HH_OK);
	free(t);

	json_t *c = good_claims();
	json_object_set_new(c, "nonce", json_string("n-2"));
	expect_refused(o, sign(c, 0, R_JWA_ALG_RS256, NULL), "wrong nonce");
	c = good_claims();
	json_object_del(c, "nonce");
	expect_refused(o, sign(c, 0, R_JWA_ALG_RS256, NULL), "wrong nonce");
	c = good_claims();
	json_object_set_new(c, "iss", json_string("https://evil.test"));
	expect_refused(o, sign(c, 0, R_JWA_ALG_RS256, NULL), "wrong issuer");
	c = good_claims();
	json_object_set_new(c, "aud", json_string("another-client"));
	expect_refused(o, sign(c, 0, R_JWA_ALG_RS256, NULL), "wrong audience");
	/* several audiences need azp naming us */
	c = good_claims();
	json_object_set_new(c, "aud", json_pack("[s, s]", CID, "other"));
	expect_refused(o, sign(c, 0, R_JWA_ALG_RS256, NULL),
		       "wrong authorized party (azp)");
	c = good_claims();
	json_object_set_new(c, "aud", json_pack("[s, s]", CID, "other"));
	json_object_set_new(c, "azp", json_string(CID));
	t = sign(c, 0, R_JWA_ALG_RS256, NULL);
	assert_int_equal(check(o, t, ID_TOKEN, &why), HH_OK);
	free(t);
	c = good_claims();
	json_object_set_new(c, "azp", json_string("other"));
	expect_refused(o, sign(c, 0, R_JWA_ALG_RS256, NULL),
		       "wrong authorized party (azp)");
	/* expiry with a minute's skew either way */
	c = good_claims();
	json_object_set_new(c, "exp", json_integer(now() - HH_OIDC_SKEW - 5));
	expect_refused(o, sign(c, 0, R_JWA_ALG_RS256, NULL), "expired");
	c = good_claims();
	json_object_set_new(c, "exp", json_integer(now() - 10));
	t = sign(c, 0, R_JWA_ALG_RS256, NULL);
	assert_int_equal(check(o, t, ID_TOKEN, &why), HH_OK);
	free(t);
	c = good_claims();
	json_object_del(c, "exp");
	expect_refused(o, sign(c, 0, R_JWA_ALG_RS256, NULL), "expired");
	c = good_claims();
	json_object_set_new(c, "iat", json_integer(now() + HH_OIDC_SKEW + 30));
	expect_refused(o, sign(c, 0, R_JWA_ALG_RS256, NULL),
		       "issued at a wrong time (iat)");
	/* signed by a key the provider never published, under k1's kid */
	expect_refused(o, sign(good_claims(), 2, R_JWA_ALG_RS256, "k1"),
		       "bad signature");
	/* a changed payload under a good signature */
	c = good_claims();
	t = sign(json_deep_copy(c), 0, R_JWA_ALG_RS256, NULL);
	json_object_set_new(c, "sub", json_string("someone-else"));
	char *other = sign(c, 0, R_JWA_ALG_RS256, NULL);
	char *t_sig = strrchr(t, '.'), *o_sig = strrchr(other, '.');
	/* other's header and payload with t's signature */
	char *spliced = hh_xmalloc(strlen(other) + strlen(t_sig) + 1);
	sprintf(spliced, "%.*s%s", (int)(o_sig - other), other, t_sig);
	free(t);
	free(other);
	expect_refused(o, spliced, "bad signature");
	/* no signature at all, and a MAC keyed with the client secret */
	expect_refused(o, unsigned_token(good_claims()), "not a signed JWT");
	jwk_t *sym;
	assert_int_equal(r_jwk_init(&sym), RHN_OK);
	assert_int_equal(r_jwk_import_from_symmetric_key(
				 sym, (const unsigned char *)"s3cret-s3cret-s3cret-s3cret-s3cret", 34),
			 RHN_OK);
	jwt_t *jwt;
	assert_int_equal(r_jwt_init(&jwt), RHN_OK);
	c = good_claims();
	r_jwt_set_full_claims_json_t(jwt, c);
	json_decref(c);
	r_jwt_set_sign_alg(jwt, R_JWA_ALG_HS256);
	r_jwt_set_header_str_value(jwt, "kid", "k1");
	char *hs = r_jwt_serialize_signed(jwt, sym, 0);
	assert_non_null(hs);
	expect_refused(o, strdup(hs), "signature algorithm not allowed");
	r_free(hs);
	r_jwt_free(jwt);
	r_jwk_free(sym);
	/* garbage */
	expect_refused(o, strdup("not.a.token"), "not a signed JWT");
	hh_oidc_free(o);
}

/* The provider adds a key: a token with the new kid makes one fetch of
 * the JWKS and is accepted; a kid that is still unknown is refused
 * after (at most) one more fetch. */
static void key_rotation(void **state)
{
	published = 1;
	jwks_served = 0;
	struct hh_oidc *o = relying_party();
	const char *why;
	char *t = sign(good_claims(), 0, R_JWA_ALG_RS256, NULL);
	assert_int_equal(check(o, t, ID_TOKEN, &why), HH_OK);
	free(t);
	assert_int_equal(jwks_served, 1);
	/* the known key again: no fetch */
	t = sign(good_claims(), 0, R_JWA_ALG_RS256, NULL);
	assert_int_equal(check(o, t, ID_TOKEN, &why), HH_OK);
	free(t);
	assert_int_equal(jwks_served, 1);
	published = 2; /* k2 added at the provider */
	o->p[HH_OIDC_CITIZEN]->jwks_fetched_at -= JWKS_REFETCH_MIN;
	t = sign(good_claims(), 1, R_JWA_ALG_RS256, NULL);
	assert_int_equal(check(o, t, ID_TOKEN, &why), HH_OK);
	free(t);
	assert_int_equal(jwks_served, 2);
	/* k1 still works, from the new JWKS, without another fetch */
	t = sign(good_claims(), 0, R_JWA_ALG_RS256, NULL);
	assert_int_equal(check(o, t, ID_TOKEN, &why), HH_OK);
	free(t);
	assert_int_equal(jwks_served, 2);
	/* k3 is nowhere: refused, after one fetch at most. The clock stands
	 * still from here, so that signing under load taking longer than
	 * JWKS_REFETCH_MIN cannot make the flood below look slow. */
	hh_clock_set_us(hh_now_us());
	o->p[HH_OIDC_CITIZEN]->jwks_fetched_at -= JWKS_REFETCH_MIN;
	expect_refused(o, sign(good_claims(), 2, R_JWA_ALG_RS256, NULL),
		       "no key of the provider has this kid");
	assert_int_equal(jwks_served, 3);
	/* and a flood of unknown kids does not make a fetch each */
	for (int i = 0; i < 5; i++)
		expect_refused(o, sign(good_claims(), 2, R_JWA_ALG_RS256, NULL),
			       "no key of the provider has this kid");
	assert_int_equal(jwks_served, 3);
	hh_clock_set_us(0);
	hh_oidc_free(o);
}

static json_t *logout_claims(void)
{
	return json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:{s:{}}}", "iss", ISS, "aud",
			 CID, "sub", "abc-123", "iat", (json_int_t)now(), "sid",
			 "sid-9", "jti", "j-1", "events",
			 "http://schemas.openid.net/event/backchannel-logout");
}

static void logout_token_checks(void **state)
{
	published = 1;
	struct hh_oidc *o = relying_party();
	const char *why;
	char *t = sign(logout_claims(), 0, R_JWA_ALG_RS256, NULL);
	assert_int_equal(check(o, t, LOGOUT_TOKEN, &why), HH_OK);
	free(t);
	/* an ID token is not a logout token */
	t = sign(good_claims(), 0, R_JWA_ALG_RS256, NULL);
	assert_int_equal(check(o, t, LOGOUT_TOKEN, &why), HH_ERR_INVALID);
	assert_string_equal(why, "not a back-channel logout event");
	free(t);
	json_t *c = logout_claims();
	json_object_set_new(c, "nonce", json_string("n-1"));
	t = sign(c, 0, R_JWA_ALG_RS256, NULL);
	assert_int_equal(check(o, t, LOGOUT_TOKEN, &why), HH_ERR_INVALID);
	assert_string_equal(why, "a logout token has no nonce");
	free(t);
	c = logout_claims();
	json_object_del(c, "sid");
	json_object_del(c, "sub");
	t = sign(c, 0, R_JWA_ALG_RS256, NULL);
	assert_int_equal(check(o, t, LOGOUT_TOKEN, &why), HH_ERR_INVALID);
	assert_string_equal(why, "neither sid nor sub");
	free(t);
	c = logout_claims();
	json_object_set_new(c, "iat", json_integer(now() - 3600));
	t = sign(c, 0, R_JWA_ALG_RS256, NULL);
	assert_int_equal(check(o, t, LOGOUT_TOKEN, &why), HH_ERR_INVALID);
	assert_string_equal(why, "issued at a wrong time (iat)");
	free(t);
	c = logout_claims();
	json_object_set_new(c, "aud", json_string("other"));
	t = sign(c, 0, R_JWA_ALG_RS256, NULL);
	assert_int_equal(check(o, t, LOGOUT_TOKEN, &why), HH_ERR_INVALID);
	assert_string_equal(why, "wrong audience");
	free(t);
	hh_oidc_free(o);
}

/* The login cookie: what was sealed opens; a changed byte, another
 * process's key or garbage does not. */
static void login_cookie_seal(void **state)
{
	struct hh_oidc *o = relying_party(), *other = relying_party();
	struct hh_arena a;
	hh_arena_init(&a);
	const char *url, *cookie;
	assert_int_equal(hh_oidc_begin(o, &a, HH_OIDC_CITIZEN, "//evil.test/x",
				       &url, &cookie),
			 HH_OK);
	assert_true(!strncmp(url, ISS "/auth?response_type=code&client_id="
			     CID "&redirect_uri=https%3A%2F%2Fhelhed.test%2F"
			     "borger%2Foidc%2Fcallback&scope=openid&state=",
			     strlen(ISS) + 90));
	assert_non_null(strstr(url, "&code_challenge_method=S256"));
	json_t *j = unseal(o, &a, cookie);
	assert_non_null(j);
	/* another host is not a place to return to */
	assert_string_equal(json_string_value(json_object_get(j, "r")),
			    "/mit-overblik");
	/* the challenge is the verifier's SHA-256 */
	const char *v = json_string_value(json_object_get(j, "v"));
	unsigned char d[32];
	crypto_hash_sha256(d, (const unsigned char *)v, strlen(v));
	char want[64];
	sodium_bin2base64(want, sizeof(want), d, 32,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	assert_non_null(strstr(url, want));
	const char *state_v = json_string_value(json_object_get(j, "s"));
	assert_non_null(strstr(url, state_v));
	json_decref(j);
	assert_null(unseal(other, &a, cookie));
	char *bent = hh_arena_strdup(&a, cookie);
	bent[30] = bent[30] == 'A' ? 'B' : 'A';
	assert_null(unseal(o, &a, bent));
	assert_null(unseal(o, &a, "AAAA"));
	assert_null(unseal(o, &a, NULL));
	hh_arena_clear(&a);
	hh_oidc_free(o);
	hh_oidc_free(other);
}

/* o-tls (issue 17): without a redirect base of its own a client's
 * callback and post-logout URIs are on the public URL; its own wins. */
static void redirects_default_to_the_public_url(void **state)
{
	struct hh_oidc_config c = {
		.client = { [HH_OIDC_CITIZEN] = { ISS, CID, "s", NULL, NULL, 0 },
			    [HH_OIDC_STAFF] = { ISS, CID, "s",
						"https://personale.nordskov.dk/",
						NULL, 0 } },
		.staff_groups = "sagsbehandlere=soroe:caseworker",
		.public_url = "https://borger.nordskov.dk",
	};
	struct hh_oidc *o;
	char err[200] = "";
	assert_int_equal(hh_oidc_new(&c, &o, err, sizeof(err)), HH_OK);
	assert_string_equal(o->p[HH_OIDC_CITIZEN]->redirect_uri,
			    "https://borger.nordskov.dk/borger/oidc/callback");
	assert_string_equal(o->p[HH_OIDC_CITIZEN]->post_logout,
			    "https://borger.nordskov.dk/");
	assert_string_equal(o->p[HH_OIDC_STAFF]->redirect_uri,
			    "https://personale.nordskov.dk/personale/oidc/callback");
	assert_string_equal(o->p[HH_OIDC_STAFF]->post_logout,
			    "https://personale.nordskov.dk/");
	hh_oidc_free(o);
	/* neither: refused, naming both */
	c.public_url = NULL;
	assert_int_equal(hh_oidc_new(&c, &o, err, sizeof(err)), HH_ERR_INVALID);
	tu_expect_in(err, "the citizen OpenID Connect provider needs");
	tu_expect_in(err, "--public-url");
}

static void configuration(void **state)
{
	struct hh_oidc_config c = {
		.client = { [HH_OIDC_STAFF] = { "https://idp.test", "id", "secret",
						"https://helhed.test", NULL, 0 } },
		.staff_groups = "sorø-sagsbehandlere=soroe:caseworker, "
				"redaktion=soroe:editor+manager",
	};
	struct hh_oidc *o;
	char err[200] = "";
	assert_int_equal(hh_oidc_new(&c, &o, err, sizeof(err)), HH_OK);
	assert_true(hh_oidc_enabled(o, HH_OIDC_STAFF));
	assert_false(hh_oidc_enabled(o, HH_OIDC_CITIZEN));
	assert_int_equal(o->n_groups, 2);
	assert_string_equal(o->groups[0].group, "sorø-sagsbehandlere");
	assert_string_equal(o->groups[1].org_code, "soroe");
	assert_int_equal(o->groups[1].roles, HH_ROLE_EDITOR | HH_ROLE_MANAGER);
	/* groups to roles: one organisation only */
	unsigned roles;
	const char *why = NULL;
	json_t *claims = json_pack("{s:[s, s, s]}", "groups", "kantinen",
				   "sorø-sagsbehandlere", "redaktion");
	assert_string_equal(staff_roles(o, claims, &roles, &why), "soroe");
	assert_int_equal(roles, HH_ROLE_CASEWORKER | HH_ROLE_EDITOR | HH_ROLE_MANAGER);
	json_decref(claims);
	claims = json_pack("{s:s}", "groups", "kantinen");
	assert_null(staff_roles(o, claims, &roles, &why));
	assert_string_equal(why, "no group gives a role");
	json_decref(claims);
	hh_oidc_free(o);
	/* bad configurations are told in English at start */
	c.staff_groups = "sorø=soroe:borgmester";
	assert_int_equal(hh_oidc_new(&c, &o, err, sizeof(err)), HH_ERR_INVALID);
	assert_non_null(strstr(err, "unknown role"));
	c.staff_groups = "sorø=soroe:citizen";
	assert_int_equal(hh_oidc_new(&c, &o, err, sizeof(err)), HH_ERR_INVALID);
	c.staff_groups = NULL;
	assert_int_equal(hh_oidc_new(&c, &o, err, sizeof(err)), HH_ERR_INVALID);
	assert_non_null(strstr(err, "staff groups"));
	c.staff_groups = "a=b:agent";
	c.client[HH_OIDC_STAFF].client_secret = NULL;
	assert_int_equal(hh_oidc_new(&c, &o, err, sizeof(err)), HH_ERR_INVALID);
	c.client[HH_OIDC_STAFF].client_secret = "secret";
	c.cookie_key = "abcd";
	assert_int_equal(hh_oidc_new(&c, &o, err, sizeof(err)), HH_ERR_INVALID);
	/* nothing configured: no buttons */
	struct hh_oidc_config none = { 0 };
	assert_int_equal(hh_oidc_new(&none, &o, err, sizeof(err)), HH_OK);
	assert_false(hh_oidc_enabled(o, HH_OIDC_STAFF));
	assert_false(hh_oidc_enabled(o, HH_OIDC_CITIZEN));
	hh_oidc_free(o);
	/* the levels as NemLog-in writes them, and as URIs */
	assert_int_equal(loa_parse("Substantial"), HH_LOA_SUBSTANTIAL);
	assert_int_equal(loa_parse("https://data.gov.dk/concept/core/nsis/loa/High"),
			 HH_LOA_HIGH);
	assert_int_equal(loa_parse("Low"), HH_LOA_LOW);
	assert_int_equal(loa_parse("substantialish"), HH_LOA_LOW);
	assert_int_equal(loa_parse(NULL), HH_LOA_LOW);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(id_token_checks),
		cmocka_unit_test(key_rotation),
		cmocka_unit_test(logout_token_checks),
		cmocka_unit_test(login_cookie_seal),
		cmocka_unit_test(configuration),
		cmocka_unit_test(redirects_default_to_the_public_url),
	};
	return cmocka_run_group_tests_name("domain/oidc", tests, setup, teardown);
}
