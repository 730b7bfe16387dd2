/* test_glewlwyd.c - OpenID Connect sign-in against a real provider:
 * Glewlwyd (Debian's glewlwyd package) started here on a loopback port
 * with a throwaway SQLite database in a temporary folder, set up through
 * its admin API (an OIDC plugin with RS256 keys made here with rhonabwy,
 * helhed's client with its redirect and back-channel logout URIs, users
 * with CPR, assurance level and group claims), and helhed in process on
 * another loopback port. The flow is driven over HTTP as a browser
 * would: helhed's start, Glewlwyd's sign-in API and authorization
 * endpoint, helhed's callback.
 *
 * Everything runs in one group: the set-up starts both servers, the
 * tear-down stops them and removes the folder whatever the tests did
 * (Glewlwyd also gets SIGTERM if this process dies: PR_SET_PDEATHSIG). */
#include "testutil.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <rhonabwy.h>
#include <sqlite3.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "domain/auth.h"
#include "domain/content.h"
#include "domain/oidc.h"

#define GLW_SCHEMA "/usr/share/doc/glewlwyd/database/init.sqlite3.sql.gz"
#define ADMIN "admin"
#define ADMIN_PW "password" /* the schema's own admin */
#define CLIENT "helhed"
#define SECRET "hemmelig-klient"
#define USER_PW "Adgang-1234"
#define CPR_CT "navnesag"

static struct {
	char *dir;
	pid_t glw;
	int glw_port;
	char glw_base[64];  /* http://127.0.0.1:PORT */
	char issuer[96];    /* .../api/oidc */
	char admin[256];    /* the admin's Glewlwyd cookie */
	struct tu_server s; /* helhed */
	char *keys[2];      /* private JWKs (JSON) k1, k2 */
} G;

/* ---- small HTTP helpers ---------------------------------------------------- */

/* The value of cookie name set by r ("name=value"), into out. */
static int set_cookie(const struct tu_resp *r, const char *name, char *out,
		      size_t size)
{
	char want[128];
	snprintf(want, sizeof(want), "%s=", name);
	for (const char *p = r->headers; p && (p = strcasestr(p, "\nSet-Cookie:"));) {
		p += 12;
		while (*p == ' ')
			p++;
		if (!strncmp(p, want, strlen(want))) {
			size_t n = strcspn(p, ";\r\n");
			snprintf(out, size, "%.*s", (int)n, p);
			return 1;
		}
	}
	return 0;
}

static struct tu_resp glw(const char *method, const char *path, json_t *body,
			  const char *cookie)
{
	char url[512];
	snprintf(url, sizeof(url), "%s%s", G.glw_base, path);
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	const char *h[] = { "Content-Type: application/json", NULL };
	struct tu_resp r = tu_http(method, url, text, body ? h : NULL, cookie);
	free(text);
	json_decref(body);
	return r;
}

/* Signs user in at Glewlwyd (its cookie into out). */
static void glw_login(const char *user, char *out, size_t size)
{
	struct tu_resp r = glw("POST", "/api/auth/",
			       json_pack("{s:s, s:s}", "username", user, "password",
					 !strcmp(user, ADMIN) ? ADMIN_PW : USER_PW),
			       NULL);
	assert_int_equal(r.status, 200);
	assert_true(set_cookie(&r, "GLEWLWYD2_SESSION_ID", out, size));
	tu_resp_free(&r);
}

static void expect(struct tu_resp r, long status)
{
	if (r.status != status)
		fail_msg("expected %ld, got %ld: %.300s", status, r.status, r.body);
	tu_resp_free(&r);
}

/* ---- Glewlwyd ------------------------------------------------------------ */

static int free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t n = sizeof(a);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &n), 0);
	close(fd);
	return ntohs(a.sin_port);
}

/* The package's schema into a fresh database; the user module told to
 * keep the claims' properties (cpr, loa, groups as a list). */
static void glw_database(const char *path)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "gzip -dc %s", GLW_SCHEMA);
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	struct hh_buf sql;
	hh_buf_init(&sql);
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		hh_buf_append(&sql, chunk, n);
	assert_int_equal(pclose(f), 0);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	char *err = NULL;
	if (sqlite3_exec(db, hh_buf_str(&sql), NULL, NULL, &err) != SQLITE_OK)
		fail_msg("glewlwyd schema: %s", err);
	const char *fmt =
		"UPDATE g_user_module_instance SET gumi_parameters = "
		"'{\"use-glewlwyd-connection\":true,\"data-format\":{"
		"\"cpr\":{\"multiple\":false,\"read\":true,\"write\":true,"
		"\"profile-read\":false,\"profile-write\":false},"
		"\"loa\":{\"multiple\":false,\"read\":true,\"write\":true,"
		"\"profile-read\":false,\"profile-write\":false},"
		"\"groups\":{\"multiple\":true,\"read\":true,\"write\":true,"
		"\"profile-read\":false,\"profile-write\":false}}}' "
		"WHERE gumi_name = 'database'";
	if (sqlite3_exec(db, fmt, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("glewlwyd user module: %s", err);
	sqlite3_close(db);
	hh_buf_clear(&sql);
}

static void glw_start(void)
{
	char conf[512], db[512], log[512];
	snprintf(db, sizeof(db), "%s/glewlwyd.db", G.dir);
	snprintf(conf, sizeof(conf), "%s/glewlwyd.conf", G.dir);
	snprintf(log, sizeof(log), "%s/glewlwyd.log", G.dir);
	glw_database(db);
	G.glw_port = free_port();
	snprintf(G.glw_base, sizeof(G.glw_base), "http://127.0.0.1:%d", G.glw_port);
	snprintf(G.issuer, sizeof(G.issuer), "%s/api/oidc", G.glw_base);
	FILE *f = fopen(conf, "w");
	assert_non_null(f);
	fprintf(f,
		"port=%d\nbind_address=\"127.0.0.1\"\nexternal_url=\"%s\"\n"
		"login_url=\"login.html\"\napi_prefix=\"api\"\n"
		"static_files_path=\"/usr/share/glewlwyd/webapp/\"\n"
		"allow_origin=\"*\"\nlog_mode=\"console\"\nlog_level=\"WARNING\"\n"
		"cookie_domain=\"\"\ncookie_secure=0\nsession_expiration=3600\n"
		"session_key=\"GLEWLWYD2_SESSION_ID\"\nadmin_scope=\"g_admin\"\n"
		"profile_scope=\"g_profile\"\n"
		"user_module_path=\"/usr/lib/glewlwyd/user\"\n"
		"user_middleware_module_path=\"/usr/lib/glewlwyd/user_middleware\"\n"
		"client_module_path=\"/usr/lib/glewlwyd/client\"\n"
		"user_auth_scheme_module_path=\"/usr/lib/glewlwyd/scheme\"\n"
		"plugin_module_path=\"/usr/lib/glewlwyd/plugin\"\n"
		"hash_algorithm=\"SHA512\"\n"
		"database = { type = \"sqlite3\" path = \"%s\" };\n",
		G.glw_port, G.glw_base, db);
	fclose(f);
	G.glw = fork();
	assert_true(G.glw >= 0);
	if (G.glw == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		FILE *out = freopen(log, "w", stdout);
		(void)out;
		dup2(STDOUT_FILENO, STDERR_FILENO);
		char arg[600];
		snprintf(arg, sizeof(arg), "--config-file=%s", conf);
		execlp("glewlwyd", "glewlwyd", arg, (char *)NULL);
		_exit(127);
	}
	/* ready when the admin can sign in */
	for (int i = 0; i < 100; i++) {
		usleep(100 * 1000);
		int status;
		if (waitpid(G.glw, &status, WNOHANG) == G.glw) {
			G.glw = 0;
			fail_msg("glewlwyd exited: %s", tu_read(log));
		}
		CURL *c = curl_easy_init();
		char url[128];
		snprintf(url, sizeof(url), "%s/api/auth/scheme/", G.glw_base);
		curl_easy_setopt(c, CURLOPT_URL, url);
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
		curl_easy_setopt(c, CURLOPT_TIMEOUT, 1L);
		CURLcode cc = curl_easy_perform(c);
		curl_easy_cleanup(c);
		if (cc == CURLE_OK)
			return;
	}
	fail_msg("glewlwyd did not start");
}

/* A private RS256 key with kid as a JWK (JSON, new). */
static char *new_key(const char *kid)
{
	jwk_t *priv, *pub;
	assert_int_equal(r_jwk_init(&priv), RHN_OK);
	assert_int_equal(r_jwk_init(&pub), RHN_OK);
	assert_int_equal(r_jwk_generate_key_pair(priv, pub, R_KEY_TYPE_RSA, 2048,
						 kid),
			 RHN_OK);
	assert_int_equal(r_jwk_set_property_str(priv, "alg", "RS256"), RHN_OK);
	char *s = r_jwk_export_to_json_str(priv, 0);
	char *out = strdup(s);
	r_free(s);
	r_jwk_free(priv);
	r_jwk_free(pub);
	return out;
}

/* The OIDC plugin with the first n_keys keys (newest first), signing
 * with default_kid. */
static json_t *plugin(int n_keys, const char *default_kid)
{
	json_t *keys = json_array();
	for (int i = n_keys - 1; i >= 0; i--)
		json_array_append_new(keys, json_loads(G.keys[i], 0, NULL));
	json_t *jwks = json_pack("{s:o}", "keys", keys);
	char *jwks_s = json_dumps(jwks, JSON_COMPACT);
	json_decref(jwks);
	json_t *claims = json_pack(
		"[{s:s, s:s, s:b}, {s:s, s:s, s:b}, {s:s, s:s, s:b}]",
		"name", HH_OIDC_CPR_CLAIM, "user-property", "cpr", "mandatory", 1,
		"name", HH_OIDC_LOA_CLAIM, "user-property", "loa", "mandatory", 1,
		"name", "groups", "user-property", "groups", "mandatory", 1);
	json_t *p = json_pack(
		"{s:s, s:s, s:s, s:b, s:{s:s, s:s, s:s, s:i, s:i, s:i, s:b, s:b,"
		" s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:s, s:i, s:b, s:b,"
		" s:s, s:o}}",
		"module", "oidc", "name", "oidc", "display_name", "oidc",
		"enabled", 1, "parameters",
		"iss", G.issuer, "jwks-private", jwks_s, "default-kid", default_kid,
		"access-token-duration", 3600, "refresh-token-duration", 3600,
		"code-duration", 600,
		"allow-non-oidc", 0, "auth-type-code-enabled", 1,
		"auth-type-token-enabled", 0, "auth-type-id-token-enabled", 0,
		"auth-type-password-enabled", 0, "auth-type-client-enabled", 0,
		"auth-type-refresh-enabled", 0, "pkce-allowed", 1,
		"pkce-method-plain-allowed", 0, "session-management-allowed", 1,
		"session-cookie-name", "GLEWLWYD2_OIDC_SID",
		"session-cookie-expiration", 3600,
		"back-channel-logout-allowed", 1, "front-channel-logout-allowed", 1,
		"name-claim", "mandatory", "claims", claims);
	free(jwks_s);
	return p;
}

static void glw_user(const char *name, const char *full, const char *cpr,
		     const char *loa, json_t *groups)
{
	expect(glw("POST", "/api/user/",
		   json_pack("{s:s, s:s, s:s, s:b, s:[s], s:s, s:s, s:o}",
			     "username", name, "name", full, "password", USER_PW,
			     "enabled", 1, "scope", "openid", "cpr", cpr, "loa",
			     loa, "groups", groups),
		   G.admin),
	       200);
	/* the user has consented to helhed once */
	char cookie[256];
	glw_login(name, cookie, sizeof(cookie));
	expect(glw("PUT", "/api/auth/grant/" CLIENT,
		   json_pack("{s:s}", "scope", "openid"), cookie),
	       200);
}

/* ---- helhed ---------------------------------------------------------------- */

static void helhed_oidc(void)
{
	char groups[128];
	snprintf(groups, sizeof(groups),
		 "nordskov-sagsbehandlere=901:caseworker,"
		 "nordskov-redaktion=901:editor+manager");
	struct hh_oidc_config c = {
		.client = {
			[HH_OIDC_CITIZEN] = { G.issuer, CLIENT, SECRET, G.s.base,
					      NULL, 0 },
			/* the same provider for staff, the secret in the body */
			[HH_OIDC_STAFF] = { G.issuer, CLIENT, SECRET, G.s.base,
					    NULL, 1 },
		},
		.staff_groups = groups,
	};
	char err[256];
	if (hh_oidc_new(&c, &G.s.app.oidc, err, sizeof(err)) != HH_OK)
		fail_msg("%s", err);
}

/* A case type whose form asks for a CPR number (at an agency: OIDC
 * citizens have no municipality known). */
static void helhed_content(void)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/content", G.s.dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/content/case-types", G.s.dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/content/organisations.json", G.s.dir);
	tu_write(path, "[{\"code\":\"udk\",\"name\":\"Udbetaling Danmark\","
		       "\"kind\":\"agency\"}]");
	snprintf(path, sizeof(path), "%s/content/case-types/" CPR_CT ".json",
		 G.s.dir);
	tu_write(path,
		 "{\"name\":\"Navn til barn\",\"organisation\":\"udk\","
		 "\"deadline\":\"P30D\",\"public\":true,\"initial\":\"received\","
		 "\"states\":[{\"key\":\"received\",\"label\":\"Modtaget\"},"
		 "{\"key\":\"done\",\"label\":\"Afgjort\",\"final\":true}],"
		 "\"transitions\":[{\"from\":\"received\",\"to\":\"done\"}],"
		 "\"form\":{\"title\":\"Navn til barn\",\"fields\":["
		 "{\"name\":\"barn_cpr\",\"label\":\"Barnets CPR-nummer\","
		 "\"type\":\"cpr\",\"required\":true}]}}");
	snprintf(path, sizeof(path), "%s/content", G.s.dir);
	struct hh_import_stats stats;
	assert_int_equal(hh_content_import(G.s.store, path, 0, stderr, NULL, NULL,
					   &stats),
			 HH_OK);
}

static int setup(void **state)
{
	memset(&G, 0, sizeof(G));
	G.dir = tu_tmpdir();
	glw_start();
	tu_server_start(&G.s, 1);
	helhed_content();
	glw_login(ADMIN, G.admin, sizeof(G.admin));
	G.keys[0] = new_key("k1");
	G.keys[1] = new_key("k2");
	expect(glw("POST", "/api/mod/plugin/", plugin(1, "k1"), G.admin), 200);
	char redirect_c[256], redirect_s[256], back[256], after[256];
	snprintf(redirect_c, sizeof(redirect_c), "%s/borger/oidc/callback", G.s.base);
	snprintf(redirect_s, sizeof(redirect_s), "%s/personale/oidc/callback",
		 G.s.base);
	snprintf(back, sizeof(back), "%s/oidc/backchannel-logout", G.s.base);
	snprintf(after, sizeof(after), "%s/", G.s.base);
	expect(glw("POST", "/api/client/",
		   json_pack("{s:s, s:s, s:[s, s], s:s, s:[s], s:s, s:s, s:s,"
			     " s:b, s:b, s:[s, s], s:[s]}",
			     "client_id", CLIENT, "name", "helhed", "redirect_uri",
			     redirect_c, redirect_s, "post_logout_redirect_uri", after,
			     "authorization_type", "code", "backchannel_logout_uri",
			     back, "backchannel_logout_session_required", "true",
			     "client_secret", SECRET, "confidential", 1, "enabled", 1,
			     "token_endpoint_auth_method", "client_secret_basic",
			     "client_secret_post", "scope", "openid"),
		   G.admin),
	       200);
	glw_user("anna", "Anna Ærø Østergård", "0707614285", "Substantial",
		 json_pack("[]"));
	glw_user("lars", "Lars Lavniveau", "0101901234", "Low", json_pack("[]"));
	glw_user("sara", "Sara Sagsbehandler", "0202802222", "Substantial",
		 json_pack("[s, s]", "andet-team", "nordskov-sagsbehandlere"));
	glw_user("ulla", "Ulla Uden Rolle", "0303703333", "Substantial",
		 json_pack("[s]", "kantinen"));
	helhed_oidc();
	*state = &G;
	return 0;
}

static int teardown(void **state)
{
	if (G.s.app.server)
		tu_server_stop(&G.s); /* removes helhed's folder */
	hh_oidc_free(G.s.app.oidc);
	if (G.glw > 0) {
		kill(G.glw, SIGTERM);
		int status;
		for (int i = 0; i < 50 && waitpid(G.glw, &status, WNOHANG) == 0; i++)
			usleep(100 * 1000);
		kill(G.glw, SIGKILL);
		waitpid(G.glw, &status, 0);
	}
	free(G.keys[0]);
	free(G.keys[1]);
	tu_rmdir(G.dir);
	return 0;
}

/* ---- the browser's walk ------------------------------------------------------ */

struct signin {
	char glw[256];     /* the user's Glewlwyd cookie */
	char session[128]; /* hh_borger=... or hh_session=... */
	char csrf[64];
	long status;       /* of helhed's callback */
	char *page;        /* its body (new) */
};

/* Signs user in at helhed as kind (start → Glewlwyd → callback). mutate
 * (may be NULL) may change the callback URL before it is followed. */
static void walk(const char *user, enum hh_oidc_kind kind, struct signin *s,
		 void (*mutate)(char *url, size_t size))
{
	memset(s, 0, sizeof(*s));
	glw_login(user, s->glw, sizeof(s->glw));
	char url[2100], loc[2048], login_cookie[1024];
	snprintf(url, sizeof(url), "%s%s?next=%s", G.s.base,
		 kind == HH_OIDC_CITIZEN ? "/borger/oidc/start"
					 : "/personale/oidc/start",
		 kind == HH_OIDC_CITIZEN ? "/mit-overblik" : "/personale");
	struct tu_resp r = tu_http("GET", url, NULL, NULL, NULL);
	assert_int_equal(r.status, 303);
	assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
	assert_true(set_cookie(&r, HH_OIDC_COOKIE, login_cookie,
			       sizeof(login_cookie)));
	assert_non_null(strcasestr(r.headers, "HttpOnly; SameSite=Lax"));
	assert_true(!strncmp(loc, G.issuer, strlen(G.issuer)));
	assert_non_null(strstr(loc, "code_challenge_method=S256"));
	tu_resp_free(&r);
	/* the user, signed in at Glewlwyd, is sent back with a code */
	snprintf(url, sizeof(url), "%s&g_continue", loc);
	r = tu_http("GET", url, NULL, NULL, s->glw);
	if (r.status != 302)
		fail_msg("glewlwyd auth: %ld %.300s", r.status, r.headers);
	assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
	tu_resp_free(&r);
	assert_true(!strncmp(loc, G.s.base, strlen(G.s.base)));
	if (mutate)
		mutate(loc, sizeof(loc));
	r = tu_http("GET", loc, NULL, NULL, login_cookie);
	s->status = r.status;
	s->page = r.body;
	r.body = NULL;
	set_cookie(&r, kind == HH_OIDC_CITIZEN ? "hh_borger" : "hh_session",
		   s->session, sizeof(s->session));
	tu_resp_free(&r);
}

/* The session's CSRF token, from the sign-out form of page path. */
static void csrf_of(struct signin *s, const char *path)
{
	char url[512];
	snprintf(url, sizeof(url), "%s%s", G.s.base, path);
	struct tu_resp r = tu_http("GET", url, NULL, NULL, s->session);
	assert_int_equal(r.status, 200);
	const char *p = strstr(r.body, "name=\"csrf\" value=\"");
	assert_non_null(p);
	p += strlen("name=\"csrf\" value=\"");
	snprintf(s->csrf, sizeof(s->csrf), "%.*s", (int)strcspn(p, "\""), p);
	tu_resp_free(&r);
}

static struct tu_resp get_as(const struct signin *s, const char *path)
{
	char url[512];
	snprintf(url, sizeof(url), "%s%s", G.s.base, path);
	return tu_http("GET", url, NULL, NULL, s->session);
}

static struct tu_resp submit_cpr_case(const struct signin *s)
{
	char url[512], csrf[128];
	snprintf(url, sizeof(url), "%s/api/v1/cases", G.s.base);
	snprintf(csrf, sizeof(csrf), "X-CSRF-Token: %s", s->csrf);
	const char *h[] = { "Content-Type: application/json", csrf, NULL };
	return tu_http("POST", url,
		       "{\"case_type\":\"" CPR_CT "\",\"values\":"
		       "{\"barn_cpr\":\"070761-4285\"}}",
		       h, s->session);
}

/* ---- the tests ---------------------------------------------------------------- */

/* A citizen signs in with MitID (here Glewlwyd) and sees Mit overblik
 * with the name from the ID token; the CPR number came from its claim. */
static void citizen_signs_in(void **state)
{
	struct signin s;
	walk("anna", HH_OIDC_CITIZEN, &s, NULL);
	assert_int_equal(s.status, 200);
	assert_non_null(strstr(s.page, "Du er logget ind"));
	assert_non_null(strstr(s.page, "url=/mit-overblik"));
	assert_true(s.session[0]);
	struct tu_resp r = get_as(&s, "/mit-overblik");
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "Anna Ærø Østergård"));
	tu_resp_free(&r);
	/* the citizen as the store knows it: subject, CPR from the claim */
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_citizen z;
	struct hh_tx *tx = tu_read_begin(G.s.store);
	int found = 0;
	/* anna's subject is Glewlwyd's sub for her, prefixed */
	for (int64_t id = 1; id < 20; id++) {
		if (G.s.store->citizen_get(tx, &a, id, &z) != HH_OK)
			continue;
		if (!strcmp(z.name, "Anna Ærø Østergård")) {
			found = 1;
			assert_true(!strncmp(z.subject, "oidc:", 5));
			assert_string_equal(z.cpr, "0707614285");
		}
	}
	tu_read_end(tx);
	assert_true(found);
	hh_arena_clear(&a);
	free(s.page);
}

/* A citizen at level Low may not send a form that asks for CPR numbers
 * (403 assurance-too-low); one at Substantial may. */
static void low_level_cannot_send_cpr_form(void **state)
{
	struct signin low, subst;
	walk("lars", HH_OIDC_CITIZEN, &low, NULL);
	assert_int_equal(low.status, 200);
	csrf_of(&low, "/mit-overblik");
	struct tu_resp r = submit_cpr_case(&low);
	assert_int_equal(r.status, 403);
	assert_string_equal(tu_code(&r), "assurance-too-low");
	assert_non_null(strcasestr(r.headers, "application/problem+json"));
	tu_resp_free(&r);
	walk("anna", HH_OIDC_CITIZEN, &subst, NULL);
	csrf_of(&subst, "/mit-overblik");
	r = submit_cpr_case(&subst);
	if (r.status != 201)
		fail_msg("substantial: %ld %s", r.status, r.body);
	tu_resp_free(&r);
	free(low.page);
	free(subst.page);
}

static void other_state(char *url, size_t size)
{
	char *p = strstr(url, "state=");
	assert_non_null(p);
	p[6] = p[6] == 'A' ? 'B' : 'A'; /* one character of it */
}

static void bad_code(char *url, size_t size)
{
	char *p = strstr(url, "code=");
	assert_non_null(p);
	p[5] = p[5] == 'A' ? 'B' : 'A';
}

static int64_t refusals(void)
{
	struct hh_arena a;
	hh_arena_init(&a);
	tu_event_rows rows = { &a, NULL, 0, 0 };
	struct hh_tx *tx = tu_read_begin(G.s.store);
	assert_int_equal(G.s.store->event_list(tx, &a, "sign_in", 0, tu_push_event,
					       &rows),
			 HH_OK);
	tu_read_end(tx);
	int64_t n = (int64_t)rows.n;
	hh_arena_clear(&a);
	return n;
}

/* What the provider or a browser can get wrong is answered with a Danish
 * page, never a 500, and written to the event log. */
static void refusals_are_danish_pages(void **state)
{
	int64_t before = refusals();
	struct signin s;
	walk("anna", HH_OIDC_CITIZEN, &s, other_state);
	assert_int_equal(s.status, 400);
	assert_non_null(strstr(s.page, "Vi kunne ikke genkende dit login"));
	assert_false(s.session[0]);
	free(s.page);
	walk("anna", HH_OIDC_CITIZEN, &s, bad_code);
	assert_int_equal(s.status, 502);
	assert_non_null(strstr(s.page, "Vi kunne ikke bekræfte dit login"));
	assert_false(s.session[0]);
	free(s.page);
	/* the citizen cancels at the provider */
	char url[512];
	snprintf(url, sizeof(url), "%s/borger/oidc/callback?error=access_denied"
		 "&state=x", G.s.base);
	struct tu_resp r = tu_http("GET", url, NULL, NULL, NULL);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "Log ind blev afbrudt"));
	tu_resp_free(&r);
	/* no login cookie at all */
	snprintf(url, sizeof(url), "%s/personale/oidc/callback?code=abc&state=x",
		 G.s.base);
	r = tu_http("GET", url, NULL, NULL, NULL);
	assert_int_equal(r.status, 400);
	tu_resp_free(&r);
	assert_int_equal(refusals(), before + 4);
}

/* A staff member gets organisation and role from the group claim; one
 * whose groups give no role is refused. */
static void staff_role_from_group(void **state)
{
	struct signin s;
	walk("sara", HH_OIDC_STAFF, &s, NULL);
	assert_int_equal(s.status, 200);
	assert_non_null(strstr(s.page, "url=/personale"));
	struct tu_resp r = get_as(&s, "/api/v1/session");
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "roles")),
			    "caseworker");
	assert_string_equal(json_string_value(json_object_get(r.json,
								 "organisation")),
			    "901");
	assert_string_equal(json_string_value(json_object_get(r.json, "name")),
			    "Sara Sagsbehandler");
	tu_resp_free(&r);
	/* her queue is open to her */
	r = get_as(&s, "/sagsbehandling");
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	free(s.page);
	/* signing in again is the same user, not a second one */
	int64_t users_before, users_after, orgs, les;
	tu_counts(G.s.store, &orgs, &users_before, &les);
	walk("sara", HH_OIDC_STAFF, &s, NULL);
	assert_int_equal(s.status, 200);
	free(s.page);
	tu_counts(G.s.store, &orgs, &users_after, &les);
	assert_int_equal(users_after, users_before);
	walk("ulla", HH_OIDC_STAFF, &s, NULL);
	assert_int_equal(s.status, 403);
	assert_non_null(strstr(s.page, "ingen rolle i helhed"));
	assert_false(s.session[0]);
	free(s.page);
}

/* The provider starts signing with a new key: helhed does not know its
 * kid, fetches the JWKS again and accepts the token. */
static void key_rotation(void **state)
{
	struct signin s;
	walk("anna", HH_OIDC_CITIZEN, &s, NULL); /* k1, known */
	assert_int_equal(s.status, 200);
	free(s.page);
	expect(glw("PUT", "/api/mod/plugin/oidc", plugin(2, "k2"), G.admin), 200);
	/* the plugin reads its keys when it is (re)started */
	expect(glw("PUT", "/api/mod/plugin/oidc/reset", NULL, G.admin), 200);
	struct tu_resp r = glw("GET", "/api/oidc/jwks", NULL, NULL);
	assert_non_null(strstr(r.body, "\"k2\""));
	tu_resp_free(&r);
	/* helhed fetches the JWKS at most once a second (an unknown kid must
	 * not let anyone make it hammer the provider): on a fast machine
	 * the whole suite so far fits in one second */
	usleep(1100 * 1000);
	walk("anna", HH_OIDC_CITIZEN, &s, NULL); /* k2, new to helhed */
	if (s.status != 200)
		fail_msg("after rotation: %ld %s", s.status, s.page);
	r = get_as(&s, "/mit-overblik");
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	free(s.page);
}

static void sid_of(const struct signin *s, char *out, size_t size)
{
	/* the provider's session id, as helhed keeps it with the session */
	char path[512];
	snprintf(path, sizeof(path), "%s/helhed.db", G.s.dir);
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
			 SQLITE_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT oidc_sid FROM citizen_sessions "
					    "WHERE token_hash = ?1",
					    -1, &st, NULL),
			 SQLITE_OK);
	unsigned char hash[32];
	hh_auth_token_hash(strchr(s->session, '=') + 1, hash);
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* Signing out at the provider ends the helhed session: Glewlwyd posts a
 * logout token to helhed's back-channel endpoint. The front-channel
 * request, for providers without a back channel, does the same. */
static void backchannel_logout(void **state)
{
	struct signin s;
	walk("anna", HH_OIDC_CITIZEN, &s, NULL);
	assert_int_equal(s.status, 200);
	free(s.page);
	struct tu_resp r = get_as(&s, "/mit-overblik");
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	char sid[128], path[256];
	sid_of(&s, sid, sizeof(sid));
	snprintf(path, sizeof(path), "/api/oidc/session/%s", sid);
	expect(glw("DELETE", path, NULL, s.glw), 200);
	/* Glewlwyd posts from a thread of its own: wait for it */
	long status = 200;
	for (int i = 0; i < 50 && status == 200; i++) {
		usleep(100 * 1000);
		r = get_as(&s, "/mit-overblik");
		status = r.status;
		tu_resp_free(&r);
	}
	assert_int_not_equal(status, 200);
	/* a forged logout token ends nothing */
	char url[256];
	snprintf(url, sizeof(url), "%s/oidc/backchannel-logout", G.s.base);
	const char *form[] = { "Content-Type: application/x-www-form-urlencoded",
			       NULL };
	r = tu_http("POST", url, "logout_token=eyJhbGciOiJub25lIn0.e30.", form,
		    NULL);
	assert_int_equal(r.status, 400);
	tu_resp_free(&r);
	/* front-channel: the provider's issuer and the session id end it;
	 * another issuer ends nothing */
	walk("anna", HH_OIDC_CITIZEN, &s, NULL);
	assert_int_equal(s.status, 200);
	free(s.page);
	sid_of(&s, sid, sizeof(sid));
	CURL *c = curl_easy_init();
	char *iss = curl_easy_escape(c, G.issuer, 0);
	snprintf(url, sizeof(url), "%s/oidc/frontchannel-logout?iss=%s&sid=%s",
		 G.s.base, "https%3A%2F%2Fevil.test", sid);
	r = tu_http("GET", url, NULL, NULL, NULL);
	assert_int_equal(r.status, 400);
	tu_resp_free(&r);
	r = get_as(&s, "/mit-overblik");
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	snprintf(url, sizeof(url), "%s/oidc/frontchannel-logout?iss=%s&sid=%s",
		 G.s.base, iss, sid);
	curl_free(iss);
	curl_easy_cleanup(c);
	r = tu_http("GET", url, NULL, NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_non_null(strcasestr(r.headers, "Cache-Control: no-store"));
	tu_resp_free(&r);
	r = get_as(&s, "/mit-overblik");
	assert_int_not_equal(r.status, 200);
	tu_resp_free(&r);
}

/* Signing out of helhed sends the browser on to the provider's
 * end_session_endpoint. */
static void signing_out_goes_to_the_provider(void **state)
{
	struct signin s;
	walk("anna", HH_OIDC_CITIZEN, &s, NULL);
	free(s.page);
	csrf_of(&s, "/mit-overblik");
	char url[512], body[128], loc[1024];
	snprintf(url, sizeof(url), "%s/borger/log-ud", G.s.base);
	snprintf(body, sizeof(body), "csrf=%s", s.csrf);
	const char *h[] = { "Content-Type: application/x-www-form-urlencoded", NULL };
	struct tu_resp r = tu_http("POST", url, body, h, s.session);
	assert_int_equal(r.status, 303);
	assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
	char want[256];
	snprintf(want, sizeof(want), "%s/end_session?client_id=" CLIENT, G.issuer);
	assert_true(!strncmp(loc, want, strlen(want)));
	tu_resp_free(&r);
	r = get_as(&s, "/mit-overblik");
	assert_int_not_equal(r.status, 200);
	tu_resp_free(&r);
}

/* With password sign-in switched off, /log-ind offers only the
 * organisation's login and the API refuses passwords with a problem. */
static void password_login_off(void **state)
{
	char url[512];
	snprintf(url, sizeof(url), "%s/log-ind", G.s.base);
	struct tu_resp r = tu_http("GET", url, NULL, NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "Log ind med organisationens login"));
	assert_non_null(strstr(r.body, "type=\"password\""));
	tu_resp_free(&r);
	G.s.app.password_login_off = 1;
	r = tu_http("GET", url, NULL, NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "Log ind med organisationens login"));
	assert_null(strstr(r.body, "type=\"password\""));
	tu_resp_free(&r);
	snprintf(url, sizeof(url), "%s/api/v1/session", G.s.base);
	const char *h[] = { "Content-Type: application/json", NULL };
	r = tu_http("POST", url,
		    "{\"email\":\"redaktoer@901.test\",\"password\":\"x\"}", h, NULL);
	assert_int_equal(r.status, 403);
	assert_string_equal(tu_code(&r), "password-login-off");
	tu_resp_free(&r);
	G.s.app.password_login_off = 0;
	/* and the citizens' page offers MitID */
	snprintf(url, sizeof(url), "%s/borger/log-ind", G.s.base);
	r = tu_http("GET", url, NULL, NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "Log ind med MitID"));
	tu_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(citizen_signs_in),
		cmocka_unit_test(low_level_cannot_send_cpr_form),
		cmocka_unit_test(refusals_are_danish_pages),
		cmocka_unit_test(staff_role_from_group),
		cmocka_unit_test(key_rotation),
		cmocka_unit_test(backchannel_logout),
		cmocka_unit_test(signing_out_goes_to_the_provider),
		cmocka_unit_test(password_login_off),
	};
	return cmocka_run_group_tests_name("oidc/glewlwyd", tests, setup, teardown);
}
