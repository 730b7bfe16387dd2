/* test_sessions.c - sessions end when unused (idle) as well as at their
 * absolute expiry, last_seen is written at most once a minute, the
 * assurance level rides on a citizen's session, the provider's logout
 * ends sessions by sid or subject, and staff signed in through OpenID
 * Connect are created once and kept in step with their groups. */
#include "testutil.h"

#include "domain/auth.h"
#include "domain/citizens.h"

struct fx {
	char *dir;
	struct hh_store *st;
	struct hh_arena a;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	f->dir = tu_tmpdir();
	f->st = tu_store(f->dir, 2);
	tu_seed(f->st);
	hh_arena_init(&f->a);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	hh_arena_clear(&f->a);
	hh_store_close(f->st);
	tu_rmdir(f->dir);
	free(f);
	return 0;
}

static int64_t now(void)
{
	return hh_now_us() / 1000000;
}

/* Runs sql (with ?1 = the token's hash) on the store past it (tu_sql:
 * either backend). */
static void sql(struct fx *f, const char *text, const char *token)
{
	unsigned char hash[32];
	if (token)
		hh_auth_token_hash(token, hash);
	struct tu_sql_arg arg = TU_BLOB(hash, sizeof(hash));
	free(tu_sql(f->dir, text, token ? 1 : 0, &arg));
}

static int64_t last_seen(struct fx *f, const char *table, const char *token)
{
	char q[128];
	snprintf(q, sizeof(q), "SELECT last_seen FROM %s WHERE token_hash = ?1",
		 table);
	unsigned char hash[32];
	hh_auth_token_hash(token, hash);
	struct tu_sql_arg arg = TU_BLOB(hash, sizeof(hash));
	return tu_sql_int(f->dir, q, 1, &arg);
}

static enum hh_rc resolve(struct fx *f, enum hh_credential kind,
			  const char *token, struct hh_principal *w)
{
	return hh_principal_resolve(f->st, &f->a, kind, token, w);
}

static void staff_idle_and_absolute(void **state)
{
	struct fx *f = *state;
	struct hh_login login;
	assert_int_equal(hh_auth_login(f->st, &f->a, "editor@901",
				       "password-1", "127.0.0.1", &login),
			 HH_OK);
	struct hh_principal w;
	assert_int_equal(resolve(f, HH_CRED_STAFF_SESSION, login.token, &w), HH_OK);
	assert_int_equal(w.kind, HH_USER);
	assert_false(w.oidc);
	/* used 30 s ago: no write (at most one a minute); the time read
	 * once, so a second that turns between here and the check does not
	 * count as a write */
	char q[160];
	int64_t seen = now() - 30;
	snprintf(q, sizeof(q), "UPDATE sessions SET last_seen = %lld WHERE "
		 "token_hash = ?1", (long long)seen);
	sql(f, q, login.token);
	assert_int_equal(resolve(f, HH_CRED_STAFF_SESSION, login.token, &w), HH_OK);
	assert_int_equal(last_seen(f, "sessions", login.token), seen);
	/* used 20 minutes ago: still on, and the clock starts again */
	snprintf(q, sizeof(q), "UPDATE sessions SET last_seen = %lld WHERE "
		 "token_hash = ?1", (long long)(now() - 20 * 60));
	sql(f, q, login.token);
	assert_int_equal(resolve(f, HH_CRED_STAFF_SESSION, login.token, &w), HH_OK);
	assert_true(last_seen(f, "sessions", login.token) >= now() - 1);
	/* unused for longer than HH_SESSION_IDLE: ended */
	snprintf(q, sizeof(q), "UPDATE sessions SET last_seen = %lld WHERE "
		 "token_hash = ?1", (long long)(now() - HH_SESSION_IDLE - 1));
	sql(f, q, login.token);
	assert_int_equal(resolve(f, HH_CRED_STAFF_SESSION, login.token, &w),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(w.kind, HH_ANON);
	/* in use but past its absolute expiry: ended */
	assert_int_equal(hh_auth_login(f->st, &f->a, "editor@901",
				       "password-1", "127.0.0.1", &login),
			 HH_OK);
	snprintf(q, sizeof(q), "UPDATE sessions SET expires_at = %lld WHERE "
		 "token_hash = ?1", (long long)(now() - 1));
	sql(f, q, login.token);
	assert_int_equal(resolve(f, HH_CRED_STAFF_SESSION, login.token, &w),
			 HH_ERR_NOT_FOUND);
}

static void citizen_idle_and_level(void **state)
{
	struct fx *f = *state;
	struct hh_citizen_login z;
	struct hh_citizen_signin in = { .subject = "oidc:x1", .name = "Ida",
					.loa = HH_LOA_LOW, .oidc_sid = "sid-1",
					.oidc_subject = "x1" };
	assert_int_equal(hh_citizen_signin(f->st, &f->a, &in, &z), HH_OK);
	struct hh_principal w;
	assert_int_equal(resolve(f, HH_CRED_CITIZEN_SESSION, z.token, &w), HH_OK);
	assert_int_equal(w.kind, HH_CITIZEN);
	assert_int_equal(w.loa, HH_LOA_LOW);
	assert_true(w.oidc);
	struct hh_actor who;
	hh_actor_from(&w, &who);
	assert_int_equal(who.loa, HH_LOA_LOW);
	/* the demo sign-in and tests state substantial */
	struct hh_citizen_login d;
	assert_int_equal(hh_citizen_login(f->st, &f->a, "demo:y", "Yrsa", NULL,
					  NULL, &d),
			 HH_OK);
	assert_int_equal(resolve(f, HH_CRED_CITIZEN_SESSION, d.token, &w), HH_OK);
	assert_int_equal(w.loa, HH_LOA_SUBSTANTIAL);
	assert_false(w.oidc);
	/* citizens: 15 minutes unused ends it, 14 does not */
	char q[180];
	snprintf(q, sizeof(q), "UPDATE citizen_sessions SET last_seen = %lld "
		 "WHERE token_hash = ?1", (long long)(now() - 14 * 60));
	sql(f, q, d.token);
	assert_int_equal(resolve(f, HH_CRED_CITIZEN_SESSION, d.token, &w), HH_OK);
	snprintf(q, sizeof(q), "UPDATE citizen_sessions SET last_seen = %lld "
		 "WHERE token_hash = ?1",
		 (long long)(now() - HH_CITIZEN_SESSION_IDLE - 1));
	sql(f, q, d.token);
	assert_int_equal(resolve(f, HH_CRED_CITIZEN_SESSION, d.token, &w),
			 HH_ERR_NOT_FOUND);
}

struct end_ctx {
	const char *sid, *sub;
	int64_t n;
};

static enum hh_rc end_tx(struct hh_tx *tx, void *p)
{
	struct end_ctx *c = p;
	return tx->store->oidc_sessions_end(tx, c->sid, c->sub, &c->n);
}

static int64_t end_sessions(struct fx *f, const char *sid, const char *sub)
{
	struct end_ctx c = { sid, sub, 0 };
	assert_int_equal(hh_store_run_tx(f->st, 1, end_tx, &c), HH_OK);
	return c.n;
}

/* The provider's logout ends the sessions of its session id, or of its
 * subject, staff and citizens alike; other sessions stay. */
static void provider_logout_ends_sessions(void **state)
{
	struct fx *f = *state;
	struct hh_citizen_login c1, c2, c3;
	struct hh_citizen_signin in = { .subject = "oidc:p", .name = "Per",
					.loa = HH_LOA_HIGH, .oidc_sid = "s-A",
					.oidc_subject = "p" };
	assert_int_equal(hh_citizen_signin(f->st, &f->a, &in, &c1), HH_OK);
	in.oidc_sid = "s-B";
	assert_int_equal(hh_citizen_signin(f->st, &f->a, &in, &c2), HH_OK);
	in.subject = "oidc:q";
	in.oidc_subject = "q";
	in.oidc_sid = "s-C";
	assert_int_equal(hh_citizen_signin(f->st, &f->a, &in, &c3), HH_OK);
	struct hh_staff_signin s = { .subject = "p", .name = "Per Personale",
				     .org_code = "901", .roles = HH_ROLE_AGENT,
				     .oidc_sid = "s-A" };
	struct hh_login st;
	assert_int_equal(hh_auth_login_oidc(f->st, &f->a, &s, &st), HH_OK);
	struct hh_principal w;
	assert_int_equal(end_sessions(f, "s-A", NULL), 2); /* c1 and st */
	assert_int_equal(resolve(f, HH_CRED_CITIZEN_SESSION, c1.token, &w),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(resolve(f, HH_CRED_STAFF_SESSION, st.token, &w),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(resolve(f, HH_CRED_CITIZEN_SESSION, c2.token, &w), HH_OK);
	assert_int_equal(end_sessions(f, NULL, "p"), 1); /* c2 */
	assert_int_equal(resolve(f, HH_CRED_CITIZEN_SESSION, c2.token, &w),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(resolve(f, HH_CRED_CITIZEN_SESSION, c3.token, &w), HH_OK);
}

/* A staff member of the provider is created at the first sign-in, with
 * no password; later sign-ins update the roles from the groups; another
 * user's email is never taken; a disabled user is refused. */
static void staff_created_once(void **state)
{
	struct fx *f = *state;
	int64_t orgs, users0, users1, les;
	tu_counts(f->st, &orgs, &users0, &les);
	struct hh_staff_signin s = { .subject = "sub-7", .email = "editor@901",
				     .name = "Ny Redaktør", .org_code = "901",
				     .roles = HH_ROLE_CASEWORKER, .oidc_sid = "z" };
	struct hh_login l;
	assert_int_equal(hh_auth_login_oidc(f->st, &f->a, &s, &l), HH_OK);
	/* the email belonged to a password user: a placeholder instead */
	assert_string_equal(l.user.email, "oidc-sub-7@brugere.invalid");
	assert_int_equal(l.user.roles, HH_ROLE_CASEWORKER);
	int64_t id = l.user.id;
	tu_counts(f->st, &orgs, &users1, &les);
	assert_int_equal(users1, users0 + 1);
	s.roles = HH_ROLE_EDITOR;
	assert_int_equal(hh_auth_login_oidc(f->st, &f->a, &s, &l), HH_OK);
	assert_int_equal(l.user.id, id);
	tu_counts(f->st, &orgs, &users1, &les);
	assert_int_equal(users1, users0 + 1);
	struct hh_principal w;
	assert_int_equal(resolve(f, HH_CRED_STAFF_SESSION, l.token, &w), HH_OK);
	assert_int_equal(w.roles, HH_ROLE_EDITOR);
	assert_true(w.oidc);
	/* no password works for such a user */
	struct hh_login pw;
	assert_int_equal(hh_auth_login(f->st, &f->a, "oidc-sub-7@brugere.invalid",
				       "", "127.0.0.1", &pw),
			 HH_ERR_FORBIDDEN);
	/* an unknown organisation */
	s.org_code = "nowhere";
	assert_int_equal(hh_auth_login_oidc(f->st, &f->a, &s, &l), HH_ERR_INVALID);
	s.org_code = "901";
	/* disabled in helhed: refused */
	char q[128];
	snprintf(q, sizeof(q), "UPDATE users SET disabled = 1 WHERE id = %lld",
		 (long long)id);
	sql(f, q, NULL);
	assert_int_equal(hh_auth_login_oidc(f->st, &f->a, &s, &l), HH_ERR_FORBIDDEN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(staff_idle_and_absolute, setup, teardown),
		cmocka_unit_test_setup_teardown(citizen_idle_and_level, setup, teardown),
		cmocka_unit_test_setup_teardown(provider_logout_ends_sessions, setup,
						teardown),
		cmocka_unit_test_setup_teardown(staff_created_once, setup, teardown),
	};
	return cmocka_run_group_tests_name("domain/sessions", tests, NULL, NULL);
}
