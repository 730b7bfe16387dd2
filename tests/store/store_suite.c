/* store_suite.c - the cases of the store test suite (store_suite.h) that
 * read and write each table, and the transaction runner; the fault
 * injection cases are in store_suite_faults.c. */
#include "store/store_suite.h"

/* The store is the backend the binary asked for. */
static void t_name(void **state)
{
	struct x_fx *f = *state;
	assert_string_equal(f->st->name, backend->name);
}

static void t_meta(void **state)
{
	struct x_fx *f = *state;
	struct hh_tx *tx = x_begin(f->st, 1);
	const char *v = "sentinel";
	assert_int_equal(f->st->meta_get(tx, &f->a, "demo_loaded", &v), HH_OK);
	assert_null(v);
	assert_int_equal(f->st->meta_set(tx, "demo_loaded", "1"), HH_OK);
	assert_int_equal(f->st->meta_set(tx, "demo_loaded", "2"), HH_OK);
	x_commit(tx);
	tx = x_begin(f->st, 0);
	assert_int_equal(f->st->meta_get(tx, &f->a, "demo_loaded", &v), HH_OK);
	assert_string_equal(v, "2");
	x_commit(tx);
}

/* ---- organisations, users, sessions, tokens -------------------------- */

static enum hh_rc x_collect_org(void *p, const struct hh_org *o)
{
	struct x_names *c = p;
	if (c->b.len)
		hh_buf_putc(&c->b, ' ');
	hh_buf_printf(&c->b, "%s:%s", o->code,
		      o->kind == HH_ORG_AGENCY ? "agency" : "municipality");
	c->n++;
	return c->stop_after && c->n == c->stop_after ? HH_ERR_CONFLICT : HH_OK;
}

static void t_orgs(void **state)
{
	struct x_fx *f = *state;
	int64_t udk = x_put_org(f->st, "udk", "Udbetaling Danmark", HH_ORG_AGENCY);
	int64_t m902 = x_put_org(f->st, "902", "Åstrup Kommune",
				 HH_ORG_MUNICIPALITY);
	int64_t m901 = x_put_org(f->st, "901", "Nordskov", HH_ORG_MUNICIPALITY);
	assert_true(udk != m902 && m902 != m901 && udk != m901);
	/* put again by code updates in place: same id, new name */
	assert_int_equal(x_put_org(f->st, "901", "Nordskov Kommune",
				   HH_ORG_MUNICIPALITY),
			 m901);
	int64_t n_orgs;
	tu_counts(f->st, &n_orgs, NULL, NULL);
	assert_int_equal(n_orgs, 3);

	struct hh_tx *tx = x_begin(f->st, 0);
	struct hh_org o;
	assert_int_equal(f->st->org_get(tx, &f->a, m901, &o), HH_OK);
	assert_int_equal(o.id, m901);
	assert_string_equal(o.code, "901");
	assert_string_equal(o.name, "Nordskov Kommune");
	assert_int_equal(o.kind, HH_ORG_MUNICIPALITY);
	assert_int_equal(f->st->org_get_by_code(tx, &f->a, "udk", &o), HH_OK);
	assert_int_equal(o.id, udk);
	assert_int_equal(o.kind, HH_ORG_AGENCY);
	assert_string_equal(o.name, "Udbetaling Danmark");
	assert_int_equal(f->st->org_get(tx, &f->a, 9999, &o), HH_ERR_NOT_FOUND);
	assert_int_equal(f->st->org_get_by_code(tx, &f->a, "999", &o),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(f->st->org_get_by_code(tx, &f->a, "UDK", &o),
			 HH_ERR_NOT_FOUND);

	/* municipalities first, then by name */
	struct x_names c = { { 0 }, 0, 0 };
	hh_buf_init(&c.b);
	assert_int_equal(f->st->org_list(tx, &f->a, x_collect_org, &c), HH_OK);
	assert_string_equal(hh_buf_str(&c.b),
			    "901:municipality 902:municipality udk:agency");
	/* a callback's error stops the stream and is returned */
	hh_buf_reset(&c.b);
	c.n = 0;
	c.stop_after = 2;
	assert_int_equal(f->st->org_list(tx, &f->a, x_collect_org, &c),
			 HH_ERR_CONFLICT);
	assert_int_equal(c.n, 2);
	/* the statement was reset: the next list starts from the top */
	c.stop_after = 0;
	c.n = 0;
	hh_buf_reset(&c.b);
	assert_int_equal(f->st->org_list(tx, &f->a, x_collect_org, &c), HH_OK);
	assert_int_equal(c.n, 3);
	hh_buf_clear(&c.b);
	x_commit(tx);
}

static enum hh_rc x_collect_user(void *p, const struct hh_user *u)
{
	struct x_names *c = p;
	if (c->b.len)
		hh_buf_putc(&c->b, ' ');
	hh_buf_puts(&c->b, u->email);
	c->n++;
	return HH_OK;
}

/* hh_store_org_by_code keeps what it read: a second lookup touches no
 * connection, and every write of organisations in this process is seen
 * by the next lookup, whether it came through org_put and a commit or
 * was rolled back. */
static void t_org_by_code_cache(void **state)
{
	struct x_fx *f = *state;
	struct hh_org o;
	int64_t m901 = x_put_org(f->st, "901", "Nordskov", HH_ORG_MUNICIPALITY);
	assert_int_equal(hh_store_org_by_code(f->st, &f->a, "901", &o), HH_OK);
	assert_int_equal(o.id, m901);
	assert_string_equal(o.name, "Nordskov");
	assert_int_equal(o.kind, HH_ORG_MUNICIPALITY);
	/* kept: the store is not asked (its next call would fail) */
	hh_store_fault_inject(f->st, 1, HH_ERR_IO);
	assert_int_equal(hh_store_org_by_code(f->st, &f->a, "901", &o), HH_OK);
	assert_string_equal(o.code, "901");
	assert_string_equal(o.name, "Nordskov");
	/* not found is never kept, errors are passed on */
	assert_int_equal(hh_store_org_by_code(f->st, &f->a, "903", &o),
			 HH_ERR_IO);
	hh_store_fault_inject(f->st, 0, HH_OK);
	assert_int_equal(hh_store_org_by_code(f->st, &f->a, "903", &o),
			 HH_ERR_NOT_FOUND);
	int64_t m903 = x_put_org(f->st, "903", "Nyby", HH_ORG_MUNICIPALITY);
	assert_int_equal(hh_store_org_by_code(f->st, &f->a, "903", &o), HH_OK);
	assert_int_equal(o.id, m903);
	/* a rename and a change of kind are seen at once */
	assert_int_equal(hh_store_org_by_code(f->st, &f->a, "901", &o), HH_OK);
	x_put_org(f->st, "901", "Nordskov Kommune", HH_ORG_AGENCY);
	assert_int_equal(hh_store_org_by_code(f->st, &f->a, "901", &o), HH_OK);
	assert_int_equal(o.id, m901);
	assert_string_equal(o.name, "Nordskov Kommune");
	assert_int_equal(o.kind, HH_ORG_AGENCY);
	/* a write that is rolled back also drops what was kept */
	long long v = atomic_load(&f->st->orgs_version);
	struct hh_tx *tx = x_begin(f->st, 1);
	struct hh_org r = { .code = "901", .name = "Glemt",
			    .kind = HH_ORG_MUNICIPALITY };
	assert_int_equal(f->st->org_put(tx, &r), HH_OK);
	f->st->tx_rollback(tx);
	assert_int_equal(atomic_load(&f->st->orgs_version), v + 1);
	assert_int_equal(hh_store_org_by_code(f->st, &f->a, "901", &o), HH_OK);
	assert_string_equal(o.name, "Nordskov Kommune");
	/* other writes leave it alone */
	tx = x_begin(f->st, 1);
	assert_int_equal(f->st->meta_set(tx, "k", "v"), HH_OK);
	x_commit(tx);
	assert_int_equal(atomic_load(&f->st->orgs_version), v + 1);
	/* what a lookup returns is the caller's: it outlives the cache */
	struct hh_arena a;
	hh_arena_init(&a);
	assert_int_equal(hh_store_org_by_code(f->st, &a, "903", &o), HH_OK);
	x_put_org(f->st, "903", "Nyby Kommune", HH_ORG_MUNICIPALITY);
	assert_int_equal(hh_store_org_by_code(f->st, &f->a, "903", &r), HH_OK);
	assert_string_equal(o.name, "Nyby");
	assert_string_equal(r.name, "Nyby Kommune");
	hh_arena_clear(&a);
}

static void t_users(void **state)
{
	struct x_fx *f = *state;
	int64_t org = x_put_org(f->st, "901", "Nordskov", HH_ORG_MUNICIPALITY);
	struct hh_tx *tx = x_begin(f->st, 1);
	struct hh_user u = { .org_id = org, .email = "Eva@Nordskov.dk",
			     .name = "Eva", .password_hash = "$argon2id$x",
			     .roles = HH_ROLE_EDITOR | HH_ROLE_AGENT,
			     .created_at = 1700000000 };
	assert_int_equal(f->st->user_insert(tx, &u), HH_OK);
	assert_true(u.id > 0);
	/* same email in other case: conflict */
	struct hh_user dup = u;
	dup.email = "eva@nordskov.DK";
	assert_int_equal(f->st->user_insert(tx, &dup), HH_ERR_CONFLICT);
	struct hh_user other = { .org_id = org, .email = "ole@nordskov.dk",
				 .name = "Ole", .password_hash = "h",
				 .roles = HH_ROLE_AGENT, .disabled = 1 };
	assert_int_equal(f->st->user_insert(tx, &other), HH_OK);
	assert_true(other.created_at > 0); /* filled in when 0 */
	x_commit(tx);

	tx = x_begin(f->st, 0);
	struct hh_user g;
	assert_int_equal(f->st->user_get(tx, &f->a, u.id, &g), HH_OK);
	assert_int_equal(g.id, u.id);
	assert_int_equal(g.org_id, org);
	assert_string_equal(g.email, "Eva@Nordskov.dk");
	assert_string_equal(g.name, "Eva");
	assert_string_equal(g.password_hash, "$argon2id$x");
	assert_int_equal(g.roles, HH_ROLE_EDITOR | HH_ROLE_AGENT);
	assert_int_equal(g.disabled, 0);
	assert_int_equal(g.created_at, 1700000000);
	/* lookup by email ignores case */
	assert_int_equal(f->st->user_get_by_email(tx, &f->a, "EVA@nordskov.dk",
						  &g),
			 HH_OK);
	assert_int_equal(g.id, u.id);
	assert_int_equal(f->st->user_get_by_email(tx, &f->a, "nobody@x", &g),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(f->st->user_get(tx, &f->a, 9999, &g), HH_ERR_NOT_FOUND);
	assert_int_equal(f->st->user_get(tx, &f->a, other.id, &g), HH_OK);
	assert_int_equal(g.disabled, 1);
	struct x_names c = { { 0 }, 0, 0 };
	hh_buf_init(&c.b);
	assert_int_equal(f->st->user_list(tx, &f->a, x_collect_user, &c), HH_OK);
	assert_string_equal(hh_buf_str(&c.b), "Eva@Nordskov.dk ole@nordskov.dk");
	hh_buf_clear(&c.b);
	x_commit(tx);
	int64_t n_users;
	tu_counts(f->st, NULL, &n_users, NULL);
	assert_int_equal(n_users, 2);
}

/* pg-ssi: an email is matched as SQLite's COLLATE NOCASE matches it, on
 * both backends: A-Z and a-z are the same letters, and no other letter is
 * folded. PostgreSQL's lower() (migrations-pg/0001 to 0031) folded every
 * letter, so there "edİtor@" (U+0130) and "Kim@" with the Kelvin sign
 * (U+212A) found "editor@" and "kim@", and "ÆRØ@" found "ærø@" and could
 * not be another user's. */
static void t_users_email_fold_ascii(void **state)
{
	struct x_fx *f = *state;
	int64_t org = x_put_org(f->st, "901", "Nordskov", HH_ORG_MUNICIPALITY);
	struct hh_tx *tx = x_begin(f->st, 1);
	const char *emails[] = { "editor@nordskov.dk", "kim@nordskov.dk",
				 "ærø@nordskov.dk" };
	int64_t ids[3];
	for (int i = 0; i < 3; i++) {
		struct hh_user u = { .org_id = org, .email = emails[i],
				     .name = "U", .password_hash = "h",
				     .roles = HH_ROLE_AGENT };
		assert_int_equal(f->st->user_insert(tx, &u), HH_OK);
		ids[i] = u.id;
	}
	/* differs from one only by the case of a letter beyond ASCII: a
	 * user of its own */
	struct hh_user upper = { .org_id = org, .email = "ÆRØ@nordskov.dk",
				 .name = "Æ", .password_hash = "h",
				 .roles = HH_ROLE_AGENT };
	assert_int_equal(f->st->user_insert(tx, &upper), HH_OK);
	/* differs from one by ASCII case only, beside letters beyond it:
	 * taken */
	struct hh_user dup = { .org_id = org, .email = "ÆRØ@NORDSKOV.DK",
			       .name = "D", .password_hash = "h",
			       .roles = HH_ROLE_AGENT };
	assert_int_equal(f->st->user_insert(tx, &dup), HH_ERR_CONFLICT);
	x_commit(tx);

	tx = x_begin(f->st, 0);
	struct hh_user g;
	/* ASCII case: found */
	const char *found[] = { "EDITOR@Nordskov.DK", "KIM@nordskov.dk",
				"ærø@NORDSKOV.dk" };
	for (int i = 0; i < 3; i++) {
		assert_int_equal(f->st->user_get_by_email(tx, &f->a, found[i],
							  &g),
				 HH_OK);
		assert_int_equal(g.id, ids[i]);
	}
	assert_int_equal(f->st->user_get_by_email(tx, &f->a, "ÆRØ@NordSkov.dk",
						  &g),
			 HH_OK);
	assert_int_equal(g.id, upper.id);
	/* a fold beyond ASCII: not found */
	const char *other[] = { "ed\u0130tor@nordskov.dk", /* İ */
				"\u212Aim@nordskov.dk",    /* Kelvin sign */
				"Ærø@nordskov.dk" };
	for (int i = 0; i < 3; i++)
		if (f->st->user_get_by_email(tx, &f->a, other[i], &g) !=
		    HH_ERR_NOT_FOUND)
			fail_msg("%s found %s", other[i], g.email);
	x_commit(tx);
}

static int64_t x_user(struct x_fx *f)
{
	int64_t org = x_put_org(f->st, "901", "Nordskov", HH_ORG_MUNICIPALITY);
	struct hh_tx *tx = x_begin(f->st, 1);
	struct hh_user u = { .org_id = org, .email = "a@b", .name = "A",
			     .password_hash = "h", .roles = HH_ROLE_AGENT };
	assert_int_equal(f->st->user_insert(tx, &u), HH_OK);
	x_commit(tx);
	return u.id;
}

static void t_sessions(void **state)
{
	struct x_fx *f = *state;
	int64_t uid = x_user(f);
	unsigned char h1[32], h2[32], h3[32];
	memset(h1, 1, 32);
	memset(h2, 2, 32);
	memset(h3, 3, 32);
	struct hh_session s1 = { h1, uid, "csrf-1", 100, 1000, 0, NULL, NULL };
	struct hh_session s2 = { h2, uid, "csrf-2", 100, 400, 0, NULL, NULL };
	struct hh_session s3 = { h3, uid, "csrf-3", 100, 500, 0, NULL, NULL };
	struct hh_tx *tx = x_begin(f->st, 1);
	assert_int_equal(f->st->session_insert(tx, &s1), HH_OK);
	assert_int_equal(f->st->session_insert(tx, &s2), HH_OK);
	assert_int_equal(f->st->session_insert(tx, &s3), HH_OK);
	assert_int_equal(f->st->session_insert(tx, &s1), HH_ERR_CONFLICT);
	struct hh_session bad = { (unsigned char[32]){ 9 }, 4242, "c", 1, 2, 0,
				  NULL, NULL };
	assert_int_equal(f->st->session_insert(tx, &bad), HH_ERR_CONFLICT);
	x_commit(tx);

	tx = x_begin(f->st, 1);
	struct hh_session g;
	assert_int_equal(f->st->session_get(tx, &f->a, h1, &g), HH_OK);
	assert_memory_equal(g.token_hash, h1, 32);
	assert_int_equal(g.user_id, uid);
	assert_string_equal(g.csrf, "csrf-1");
	assert_int_equal(g.created_at, 100);
	assert_int_equal(g.expires_at, 1000);
	/* delete one */
	assert_int_equal(f->st->session_delete(tx, h1), HH_OK);
	assert_int_equal(f->st->session_get(tx, &f->a, h1, &g), HH_ERR_NOT_FOUND);
	/* deleting what is not there is fine */
	assert_int_equal(f->st->session_delete(tx, h1), HH_OK);
	/* purge removes those expired before now, keeps the rest */
	assert_int_equal(f->st->session_purge(tx, 450), HH_OK);
	assert_int_equal(f->st->session_get(tx, &f->a, h2, &g), HH_ERR_NOT_FOUND);
	assert_int_equal(f->st->session_get(tx, &f->a, h3, &g), HH_OK);
	assert_string_equal(g.csrf, "csrf-3");
	/* expires_at == now is not expired yet */
	assert_int_equal(f->st->session_purge(tx, 500), HH_OK);
	assert_int_equal(f->st->session_get(tx, &f->a, h3, &g), HH_OK);
	assert_int_equal(f->st->session_purge(tx, 501), HH_OK);
	assert_int_equal(f->st->session_get(tx, &f->a, h3, &g), HH_ERR_NOT_FOUND);
	x_commit(tx);
	/* and so it stays after the commit */
	tx = x_begin(f->st, 0);
	assert_int_equal(f->st->session_get(tx, &f->a, h1, &g), HH_ERR_NOT_FOUND);
	assert_int_equal(f->st->session_get(tx, &f->a, h2, &g), HH_ERR_NOT_FOUND);
	assert_int_equal(f->st->session_get(tx, &f->a, h3, &g), HH_ERR_NOT_FOUND);
	x_commit(tx);
}

/* pg-throttle (issue 14): failed sign-ins per account key, shared by
 * the instances on one database: one row per key, put replaces it and
 * drops every row whose free_at has come (at or before now), clear ends
 * it; a rolled back put leaves nothing. */
static void t_signin_failures(void **state)
{
	struct x_fx *f = *state;
	unsigned char k1[32], k2[32], k3[32];
	memset(k1, 0xa1, 32);
	memset(k2, 0xa2, 32);
	memset(k3, 0xa3, 32);
	int64_t at = -1;
	struct hh_tx *tx = x_begin(f->st, 1);
	assert_int_equal(f->st->signin_fail_get(tx, k1, &at), HH_ERR_NOT_FOUND);
	assert_int_equal(f->st->signin_fail_put(tx, k1, 1000, 0), HH_OK);
	assert_int_equal(f->st->signin_fail_get(tx, k1, &at), HH_OK);
	assert_int_equal(at, 1000);
	/* one row per key: a put replaces its free_at */
	assert_int_equal(f->st->signin_fail_put(tx, k1, 2000, 0), HH_OK);
	assert_int_equal(f->st->signin_fail_put(tx, k2, 500, 0), HH_OK);
	assert_int_equal(f->st->signin_fail_put(tx, k3, 1500, 0), HH_OK);
	assert_int_equal(f->st->signin_fail_get(tx, k1, &at), HH_OK);
	assert_int_equal(at, 2000);
	x_commit(tx);
	assert_int_equal(x_int(f->st, "SELECT count(*) FROM signin_failures"), 3);

	/* another instance on the database reads what was committed */
	struct hh_store *other = backend->open(f->dir, 2);
	tx = x_begin(other, 1);
	assert_int_equal(other->signin_fail_get(tx, k3, &at), HH_OK);
	assert_int_equal(at, 1500);
	/* a put at 1500 drops k2 (500) and k3 (1500: whole again), keeps
	 * k1 (2000) */
	assert_int_equal(other->signin_fail_put(tx, k1, 2600, 1500), HH_OK);
	assert_int_equal(other->signin_fail_get(tx, k2, &at), HH_ERR_NOT_FOUND);
	assert_int_equal(other->signin_fail_get(tx, k3, &at), HH_ERR_NOT_FOUND);
	x_commit(tx);
	hh_store_close(other);
	assert_int_equal(x_int(f->st, "SELECT count(*) FROM signin_failures"), 1);
	assert_int_equal(x_int(f->st, "SELECT free_at FROM signin_failures"), 2600);

	/* a put whose own row has come is a new row */
	tx = x_begin(f->st, 1);
	assert_int_equal(f->st->signin_fail_put(tx, k1, 4000, 3000), HH_OK);
	assert_int_equal(f->st->signin_fail_get(tx, k1, &at), HH_OK);
	assert_int_equal(at, 4000);
	x_commit(tx);

	/* rolled back: nothing */
	tx = x_begin(f->st, 1);
	assert_int_equal(f->st->signin_fail_put(tx, k2, 9000, 0), HH_OK);
	f->st->tx_rollback(tx);
	tx = x_begin(f->st, 0);
	assert_int_equal(f->st->signin_fail_get(tx, k2, &at), HH_ERR_NOT_FOUND);
	x_commit(tx);

	/* clear ends the key's row, and clearing none is fine */
	tx = x_begin(f->st, 1);
	assert_int_equal(f->st->signin_fail_clear(tx, k1), HH_OK);
	assert_int_equal(f->st->signin_fail_get(tx, k1, &at), HH_ERR_NOT_FOUND);
	assert_int_equal(f->st->signin_fail_clear(tx, k1), HH_OK);
	x_commit(tx);
	assert_int_equal(x_int(f->st, "SELECT count(*) FROM signin_failures"), 0);
}

static void t_tokens(void **state)
{
	struct x_fx *f = *state;
	int64_t org = x_put_org(f->st, "udk", "UDK", HH_ORG_AGENCY);
	unsigned char h[32], h2[32];
	memset(h, 0xab, 32);
	memset(h2, 0xcd, 32);
	struct hh_tx *tx = x_begin(f->st, 1);
	struct hh_api_token t = { .token_hash = h, .org_id = org,
				  .name = "integration",
				  .roles = HH_ROLE_EDITOR };
	assert_int_equal(f->st->token_insert(tx, &t), HH_OK);
	assert_true(t.id > 0);
	assert_true(t.created_at > 0);
	struct hh_api_token dup = t;
	assert_int_equal(f->st->token_insert(tx, &dup), HH_ERR_CONFLICT);
	struct hh_api_token bad = { .token_hash = h2, .org_id = 4242,
				    .name = "x", .roles = 1 };
	assert_int_equal(f->st->token_insert(tx, &bad), HH_ERR_CONFLICT);
	x_commit(tx);
	tx = x_begin(f->st, 0);
	struct hh_api_token g;
	assert_int_equal(f->st->token_get(tx, &f->a, h, &g), HH_OK);
	assert_int_equal(g.id, t.id);
	assert_memory_equal(g.token_hash, h, 32);
	assert_int_equal(g.org_id, org);
	assert_string_equal(g.name, "integration");
	assert_int_equal(g.roles, HH_ROLE_EDITOR);
	assert_int_equal(g.created_at, t.created_at);
	assert_int_equal(g.revoked, 0);
	assert_int_equal(f->st->token_get(tx, &f->a, h2, &g), HH_ERR_NOT_FOUND);
	/* by id too (the audit names the token behind "token:N") */
	struct hh_api_token byid;
	assert_int_equal(f->st->token_get_by_id(tx, &f->a, t.id, &byid), HH_OK);
	assert_int_equal(byid.org_id, org);
	assert_string_equal(byid.name, "integration");
	assert_int_equal(byid.roles, HH_ROLE_EDITOR);
	assert_int_equal(f->st->token_get_by_id(tx, &f->a, t.id + 1000, &byid),
			 HH_ERR_NOT_FOUND);
	x_commit(tx);
}

/* ---- articles --------------------------------------------------------- */

static void t_article_insert_get_update(void **state)
{
	struct x_fx *f = *state;
	int64_t m901 = x_put_org(f->st, "901", "Nordskov", HH_ORG_MUNICIPALITY);
	struct hh_article a = x_article("flytning", 0, "01.02",
					HH_AUDIENCE_CITIZEN, HH_STATUS_PUBLISHED);
	a.updated_at = 1700000000;
	struct hh_tx *tx = x_begin(f->st, 1);
	assert_int_equal(f->st->article_insert(tx, &a), HH_OK);
	assert_int_equal(a.version, 1);
	assert_int_equal(a.created_at, 1700000000);
	/* the same slug for the same owner is taken... */
	struct hh_article dup = x_article("flytning", 0, "", HH_AUDIENCE_CITIZEN,
					  HH_STATUS_DRAFT);
	assert_int_equal(f->st->article_insert(tx, &dup), HH_ERR_CONFLICT);
	/* ...but free for another owner (an override) */
	struct hh_article ov = x_article("flytning", m901, "",
					 HH_AUDIENCE_CITIZEN, HH_STATUS_DRAFT);
	assert_int_equal(f->st->article_insert(tx, &ov), HH_OK);
	assert_true(ov.id != a.id);
	struct hh_article dup2 = ov;
	assert_int_equal(f->st->article_insert(tx, &dup2), HH_ERR_CONFLICT);
	x_commit(tx);

	tx = x_begin(f->st, 0);
	struct hh_article g;
	assert_int_equal(f->st->article_get(tx, &f->a, 0, "flytning", &g), HH_OK);
	assert_int_equal(g.id, a.id);
	assert_int_equal(g.org_id, 0);
	assert_null(g.org_code);
	assert_null(g.org_name);
	assert_string_equal(g.slug, "flytning");
	assert_string_equal(g.title, "flytning");
	assert_string_equal(g.summary, "Resumé");
	assert_string_equal(g.body_md, "Brødtekst");
	assert_string_equal(g.body_html, "<p>Brødtekst</p>\n");
	assert_string_equal(g.keywords, "a, b");
	assert_string_equal(g.kle, "01.02");
	assert_int_equal(g.audience, HH_AUDIENCE_CITIZEN);
	assert_int_equal(g.status, HH_STATUS_PUBLISHED);
	assert_int_equal(g.version, 1);
	assert_int_equal(g.created_at, 1700000000);
	assert_int_equal(g.updated_at, 1700000000);
	assert_string_equal(g.updated_by, "test");
	assert_int_equal(f->st->article_get(tx, &f->a, m901, "flytning", &g),
			 HH_OK);
	assert_int_equal(g.id, ov.id);
	assert_int_equal(g.org_id, m901);
	assert_string_equal(g.org_code, "901");
	assert_string_equal(g.org_name, "Nordskov");
	assert_int_equal(g.status, HH_STATUS_DRAFT);
	assert_int_equal(f->st->article_get_by_id(tx, &f->a, ov.id, &g), HH_OK);
	assert_string_equal(g.org_code, "901");
	assert_int_equal(f->st->article_get(tx, &f->a, 0, "nope", &g),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(f->st->article_get(tx, &f->a, 4242, "flytning", &g),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(f->st->article_get_by_id(tx, &f->a, 4242, &g),
			 HH_ERR_NOT_FOUND);
	x_commit(tx);

	/* update at the current version */
	struct hh_article next = a;
	next.title = "Flytning, ny";
	next.status = HH_STATUS_ARCHIVED;
	next.audience = HH_AUDIENCE_STAFF;
	next.updated_at = 1700000100;
	next.updated_by = "user:3";
	tx = x_begin(f->st, 1);
	assert_int_equal(f->st->article_update(tx, &next, 1), HH_OK);
	assert_int_equal(next.version, 2);
	assert_int_equal(next.created_at, 1700000000);
	x_commit(tx);
	/* a stale expected version is refused and changes nothing */
	struct hh_article stale = a;
	stale.title = "Forældet";
	tx = x_begin(f->st, 1);
	assert_int_equal(f->st->article_update(tx, &stale, 1), HH_ERR_CONFLICT);
	assert_int_equal(f->st->article_update(tx, &stale, 3), HH_ERR_CONFLICT);
	x_commit(tx);
	/* an article that does not exist */
	struct hh_article ghost = a;
	ghost.id = 4242;
	tx = x_begin(f->st, 1);
	assert_int_equal(f->st->article_update(tx, &ghost, 1), HH_ERR_CONFLICT);
	x_commit(tx);

	tx = x_begin(f->st, 0);
	assert_int_equal(f->st->article_get_by_id(tx, &f->a, a.id, &g), HH_OK);
	assert_int_equal(g.version, 2);
	assert_string_equal(g.title, "Flytning, ny");
	assert_int_equal(g.status, HH_STATUS_ARCHIVED);
	assert_int_equal(g.audience, HH_AUDIENCE_STAFF);
	assert_int_equal(g.updated_at, 1700000100);
	assert_int_equal(g.created_at, 1700000000);
	assert_string_equal(g.updated_by, "user:3");
	x_commit(tx);
}

static void t_article_versions_rows(void **state)
{
	struct x_fx *f = *state;
	struct hh_article a = x_article("a-b", 0, "", HH_AUDIENCE_CITIZEN,
					HH_STATUS_DRAFT);
	a.updated_at = 1000;
	a.updated_by = "user:1";
	struct hh_tx *tx = x_begin(f->st, 1);
	assert_int_equal(f->st->article_insert(tx, &a), HH_OK);
	for (int v = 2; v <= 4; v++) {
		struct hh_article n = a;
		char *t = hh_arena_printf(&f->a, "title %d", v);
		n.title = t;
		n.status = v == 4 ? HH_STATUS_PUBLISHED : HH_STATUS_DRAFT;
		n.updated_at = 1000 + v;
		n.updated_by = hh_arena_printf(&f->a, "user:%d", v);
		assert_int_equal(f->st->article_update(tx, &n, v - 1), HH_OK);
		assert_int_equal(n.version, v);
	}
	x_commit(tx);
	struct hh_article *v;
	assert_int_equal(tu_versions(f->st, &f->a, a.id, &v), 4);
	/* each version row holds that version's fields, oldest first */
	for (int i = 0; i < 4; i++) {
		int64_t ver = i + 1;
		assert_int_equal(v[i].id, a.id);
		assert_int_equal(v[i].version, ver);
		assert_string_equal(v[i].title,
				    ver == 1 ? "a-b"
					     : hh_arena_printf(&f->a, "title %d",
							       (int)ver));
		assert_int_equal(v[i].updated_at, 1000 + (ver == 1 ? 0 : ver));
		assert_string_equal(v[i].updated_by,
				    hh_arena_printf(&f->a, "user:%d", (int)ver));
		assert_null(v[i].body_html);
	}
	assert_int_equal(v[0].status, HH_STATUS_DRAFT);
	assert_int_equal(v[3].status, HH_STATUS_PUBLISHED);
	assert_string_equal(v[3].body_md, "Brødtekst");
	assert_string_equal(v[3].keywords, "a, b");
	assert_int_equal(v[3].audience, HH_AUDIENCE_CITIZEN);
	/* a refused update writes no version row */
	tx = x_begin(f->st, 1);
	struct hh_article n = a;
	assert_int_equal(f->st->article_update(tx, &n, 2), HH_ERR_CONFLICT);
	x_commit(tx);
	assert_int_equal(tu_versions(f->st, &f->a, 0, &v), 4);
}

/* The list fixture: shared, two municipalities and an agency. */
static void x_list_fixture(struct x_fx *f, int64_t *m901, int64_t *m902)
{
	*m901 = x_put_org(f->st, "901", "Nordskov", HH_ORG_MUNICIPALITY);
	*m902 = x_put_org(f->st, "902", "Åstrup", HH_ORG_MUNICIPALITY);
	int64_t udk = x_put_org(f->st, "udk", "UDK", HH_ORG_AGENCY);
	const enum hh_audience C = HH_AUDIENCE_CITIZEN, S = HH_AUDIENCE_STAFF;
	const enum hh_status P = HH_STATUS_PUBLISHED, D = HH_STATUS_DRAFT,
			     A = HH_STATUS_ARCHIVED;
	x_insert(f->st, x_article("s-c", 0, "02", C, D));
	x_insert(f->st, x_article("s-a", 0, "01.02.03", C, P));
	x_insert(f->st, x_article("s-b", 0, "01.02", S, P));
	x_insert(f->st, x_article("m-d", *m901, "", C, D));
	x_insert(f->st, x_article("m-a", *m901, "01.02.03", C, P));
	x_insert(f->st, x_article("n-a", *m902, "01.03", C, D));
	x_insert(f->st, x_article("n-b", *m902, "01", S, A));
	x_insert(f->st, x_article("u-a", udk, "01.020", C, P));
}

static void t_article_list_filters(void **state)
{
	struct x_fx *f = *state;
	int64_t m901, m902;
	x_list_fixture(f, &m901, &m902);
	struct hh_article_filter all = { 0 };
	int64_t total = -1;
	/* shared first, then by organisation code, then slug */
	assert_list(f, all, 0, 0, &total,
		    "s-a s-b s-c 901/m-a 901/m-d 902/n-a 902/n-b udk/u-a");
	assert_int_equal(total, 8);
	/* total may be NULL */
	assert_list(f, all, 0, 0, NULL,
		    "s-a s-b s-c 901/m-a 901/m-d 902/n-a 902/n-b udk/u-a");

	struct hh_article_filter by_org = { .org_id = m901 };
	assert_list(f, by_org, 0, 0, &total, "901/m-a 901/m-d");
	assert_int_equal(total, 2);
	struct hh_article_filter shared = { .org_id = -1 };
	assert_list(f, shared, 0, 0, &total, "s-a s-b s-c");
	assert_int_equal(total, 3);

	/* KLE prefix by whole groups: 01.02 matches 01.02 and 01.02.03 but
	 * neither 01.020 nor 01.03 */
	struct hh_article_filter kle = { .kle = "01.02" };
	assert_list(f, kle, 0, 0, &total, "s-a s-b 901/m-a");
	assert_int_equal(total, 3);
	kle.kle = "01";
	assert_list(f, kle, 0, 0, &total,
		    "s-a s-b 901/m-a 902/n-a 902/n-b udk/u-a");
	kle.kle = "01.0";
	assert_list(f, kle, 0, 0, &total, "");
	assert_int_equal(total, 0);
	kle.kle = "01.02.03";
	assert_list(f, kle, 0, 0, &total, "s-a 901/m-a");
	kle.kle = "";
	assert_list(f, kle, 0, 0, &total,
		    "s-a s-b s-c 901/m-a 901/m-d 902/n-a 902/n-b udk/u-a");
	/* LIKE wildcards in the filter are not wildcards */
	kle.kle = "0_";
	assert_list(f, kle, 0, 0, &total, "");
	kle.kle = "%";
	assert_list(f, kle, 0, 0, &total, "");

	struct hh_article_filter staff = { .audience = HH_AUDIENCE_STAFF };
	assert_list(f, staff, 0, 0, &total, "s-b 902/n-b");
	struct hh_article_filter citizen = { .audience = HH_AUDIENCE_CITIZEN };
	assert_list(f, citizen, 0, 0, &total,
		    "s-a s-c 901/m-a 901/m-d 902/n-a udk/u-a");
	struct hh_article_filter drafts = { .status = HH_STATUS_DRAFT };
	assert_list(f, drafts, 0, 0, &total, "s-c 901/m-d 902/n-a");
	struct hh_article_filter archived = { .status = HH_STATUS_ARCHIVED };
	assert_list(f, archived, 0, 0, &total, "902/n-b");
	struct hh_article_filter published = { .status = HH_STATUS_PUBLISHED };
	assert_list(f, published, 0, 0, &total, "s-a s-b 901/m-a udk/u-a");

	/* an editor of 901 sees published everywhere, and unpublished only
	 * shared or 901's own */
	struct hh_article_filter editor = { .unpublished_org_id = m901 };
	assert_list(f, editor, 0, 0, &total,
		    "s-a s-b s-c 901/m-a 901/m-d udk/u-a");
	assert_int_equal(total, 6);
	editor.unpublished_org_id = m902;
	assert_list(f, editor, 0, 0, &total,
		    "s-a s-b s-c 901/m-a 902/n-a 902/n-b udk/u-a");

	/* combined */
	struct hh_article_filter comb = { .org_id = m902,
					  .status = HH_STATUS_DRAFT,
					  .kle = "01" };
	assert_list(f, comb, 0, 0, &total, "902/n-a");
	assert_int_equal(total, 1);

	/* paging: total counts every match, the page is a window */
	assert_list(f, all, 2, 3, &total, "s-c 901/m-a 901/m-d");
	assert_int_equal(total, 8);
	assert_list(f, all, 0, 1, &total, "s-a");
	assert_list(f, all, 7, 5, &total, "udk/u-a");
	assert_list(f, all, 8, 5, &total, "");
	assert_int_equal(total, 8);
	assert_list(f, all, 100, 0, &total, "");
	assert_list(f, citizen, 1, 2, &total, "s-c 901/m-a");
	assert_int_equal(total, 6);

	/* a callback error stops the stream and is returned */
	struct x_names c = { { 0 }, 0, 2 };
	hh_buf_init(&c.b);
	struct hh_tx *tx = x_begin(f->st, 0);
	assert_int_equal(f->st->article_list(tx, &f->a, &all, 0, 0, &total,
					     x_collect_article, &c),
			 HH_ERR_CONFLICT);
	assert_int_equal(c.n, 2);
	x_commit(tx);
	hh_buf_clear(&c.b);
}

static void t_article_get_agency(void **state)
{
	struct x_fx *f = *state;
	int64_t m901 = x_put_org(f->st, "901", "Nordskov", HH_ORG_MUNICIPALITY);
	int64_t udk = x_put_org(f->st, "udk", "UDK", HH_ORG_AGENCY);
	int64_t sk = x_put_org(f->st, "sktst", "Skattestyrelsen", HH_ORG_AGENCY);
	const enum hh_audience C = HH_AUDIENCE_CITIZEN;
	const enum hh_status P = HH_STATUS_PUBLISHED;
	x_insert(f->st, x_article("only-muni", m901, "", C, P));
	x_insert(f->st, x_article("only-shared", 0, "", C, P));
	int64_t first = x_insert(f->st, x_article("both", sk, "", C, P));
	x_insert(f->st, x_article("both", udk, "", C, P));
	x_insert(f->st, x_article("both", 0, "", C, P));
	x_insert(f->st, x_article("both", m901, "", C, P));

	struct hh_tx *tx = x_begin(f->st, 0);
	struct hh_article g;
	assert_int_equal(f->st->article_get_agency(tx, &f->a, "both", &g), HH_OK);
	assert_int_equal(g.id, first); /* the oldest */
	assert_string_equal(g.org_code, "sktst");
	assert_int_equal(f->st->article_get_agency(tx, &f->a, "only-muni", &g),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(f->st->article_get_agency(tx, &f->a, "only-shared", &g),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(f->st->article_get_agency(tx, &f->a, "none", &g),
			 HH_ERR_NOT_FOUND);
	x_commit(tx);
}

static void x_views(struct x_fx *f, int64_t id, int64_t n)
{
	struct hh_tx *tx = x_begin(f->st, 1);
	assert_int_equal(f->st->article_views_add(tx, id, n), HH_OK);
	x_commit(tx);
}

static char *x_popular(struct x_fx *f, int64_t org, int limit)
{
	struct x_names c = { { 0 }, 0, 0 };
	hh_buf_init(&c.b);
	struct hh_tx *tx = x_begin(f->st, 0);
	assert_int_equal(f->st->article_popular(tx, &f->a, org, limit,
						x_collect_article, &c),
			 HH_OK);
	x_commit(tx);
	return hh_buf_steal(&c.b);
}

#define assert_popular(f, org, limit, want)                               \
	do {                                                              \
		char *got_ = x_popular((f), (org), (limit));              \
		if (strcmp(got_, (want)) != 0)                            \
			fail_msg("popular: want '%s', got '%s'", (want), got_); \
		free(got_);                                               \
	} while (0)

static void t_article_popular(void **state)
{
	struct x_fx *f = *state;
	int64_t m901 = x_put_org(f->st, "901", "Nordskov", HH_ORG_MUNICIPALITY);
	int64_t m902 = x_put_org(f->st, "902", "Åstrup", HH_ORG_MUNICIPALITY);
	int64_t udk = x_put_org(f->st, "udk", "UDK", HH_ORG_AGENCY);
	const enum hh_audience C = HH_AUDIENCE_CITIZEN, S = HH_AUDIENCE_STAFF;
	const enum hh_status P = HH_STATUS_PUBLISHED, D = HH_STATUS_DRAFT;
	int64_t p1 = x_insert(f->st, x_article("p1", 0, "", C, P));
	int64_t p2 = x_insert(f->st, x_article("p2", 0, "", C, P));
	int64_t p3 = x_insert(f->st, x_article("p3", 0, "", C, P));
	int64_t staff = x_insert(f->st, x_article("p4", 0, "", S, P));
	int64_t draft = x_insert(f->st, x_article("p5", 0, "", C, D));
	int64_t o1 = x_insert(f->st, x_article("p1", m901, "", C, P));
	int64_t o2 = x_insert(f->st, x_article("p2", m901, "", C, D));
	int64_t own = x_insert(f->st, x_article("m1", m901, "", C, P));
	int64_t other = x_insert(f->st, x_article("n1", m902, "", C, P));
	int64_t ag = x_insert(f->st, x_article("a1", udk, "", C, P));
	x_views(f, p1, 100); /* the overridden shared one: not in 901 */
	x_views(f, o1, 5);
	x_views(f, p2, 30);
	x_views(f, o2, 1000); /* a draft: never */
	x_views(f, p3, 10);
	x_views(f, p3, 10); /* adds up: 20 */
	x_views(f, own, 25);
	x_views(f, other, 500);
	x_views(f, staff, 900);
	x_views(f, draft, 900);
	x_views(f, ag, 900);
	/* the count as read back: summed, and 0 for an article without */
	int64_t none = x_insert(f->st, x_article("p6", 0, "", C, D));
	struct hh_tx *tx = x_begin(f->st, 0);
	int64_t views = -1;
	assert_int_equal(f->st->article_views_get(tx, p3, &views), HH_OK);
	assert_int_equal(views, 20);
	assert_int_equal(f->st->article_views_get(tx, none, &views), HH_OK);
	assert_int_equal(views, 0);
	x_commit(tx);
	/* 901: its override replaces shared p1, its draft override of p2
	 * does not hide the shared p2; its own m1 is in; 902's, staff,
	 * drafts and agencies are out */
	assert_popular(f, m901, 10, "p2 901/m1 p3 901/p1");
	assert_popular(f, m901, 2, "p2 901/m1");
	/* 902 sees the shared articles and its own */
	assert_popular(f, m902, 10, "902/n1 p1 p2 p3");
	/* no municipality: shared only */
	assert_popular(f, 0, 10, "p1 p2 p3");
}

/* ---- events ----------------------------------------------------------- */

static enum hh_rc x_collect_event(void *p, const struct hh_event *e)
{
	struct x_names *c = p;
	if (c->b.len)
		hh_buf_putc(&c->b, ' ');
	hh_buf_printf(&c->b, "%s:%s:%s", e->action, e->actor,
		      e->before ? e->before : "-");
	c->n++;
	return HH_OK;
}

static void t_events_append_only(void **state)
{
	struct x_fx *f = *state;
	int64_t org = x_put_org(f->st, "901", "Nordskov", HH_ORG_MUNICIPALITY);
	struct hh_tx *tx = x_begin(f->st, 1);
	struct hh_event e1 = { .actor = "user:1", .org_id = org,
			       .entity = "article", .entity_id = 7,
			       .action = "create", .after = "{\"v\":1}" };
	struct hh_event e2 = { .at_us = 5, .actor = NULL, .entity = "article",
			       .entity_id = 7, .action = "update",
			       .before = "{\"v\":1}", .after = "{\"v\":2}" };
	struct hh_event e3 = { .actor = "cli", .entity = "article",
			       .entity_id = 8, .action = "create" };
	assert_int_equal(f->st->event_append(tx, &e1), HH_OK);
	assert_int_equal(f->st->event_append(tx, &e2), HH_OK);
	assert_int_equal(f->st->event_append(tx, &e3), HH_OK);
	assert_true(e1.id > 0 && e2.id > e1.id && e3.id > e2.id);
	assert_true(e1.at_us > 0); /* filled in when 0 */
	x_commit(tx);

	tx = x_begin(f->st, 0);
	int64_t n = -1;
	assert_int_equal(f->st->event_count(tx, &n), HH_OK);
	assert_int_equal(n, 3);
	struct x_names c = { { 0 }, 0, 0 };
	hh_buf_init(&c.b);
	assert_int_equal(f->st->event_list(tx, &f->a, "article", 7,
					   x_collect_event, &c),
			 HH_OK);
	/* in order; a NULL actor is stored as "system" */
	assert_string_equal(hh_buf_str(&c.b),
			    "create:user:1:- update:system:{\"v\":1}");
	hh_buf_clear(&c.b);
	x_commit(tx);
	struct hh_event *ev;
	assert_int_equal(tu_events(f->st, &f->a, "article", 7, &ev), 2);
	assert_string_equal(ev[1].action, "update");
	assert_int_equal(ev[1].at_us, 5); /* kept when given */
}

/* ---- the audit log ------------------------------------------------------ */

struct x_audits {
	struct hh_buf b;
	int64_t at0; /* the newest entry's time */
};

static enum hh_rc x_audit_row(void *p, const struct hh_audit *e)
{
	struct x_audits *x = p;
	if (x->b.len)
		hh_buf_puts(&x->b, " | ");
	else
		x->at0 = e->at;
	hh_buf_printf(&x->b, "%s/%s/%s/%lld", e->actor, e->what, e->why,
		      (long long)(e->at > 1000 ? 1 : e->at));
	return HH_OK;
}

/* p-bench: several entries in one statement, as one at a time would
 * write them (in order; quotes, backslashes and æøå kept; at 0 is now) */
static void t_audit_append_many(void **state)
{
	struct x_fx *f = *state;
	struct hh_tx *tx = x_begin(f->st, 1);
	struct hh_citizen anna = { .subject = "demo:anna", .name = "Anna" },
			  bo = { .subject = "demo:bo", .name = "Bo" };
	assert_int_equal(f->st->citizen_put(tx, &anna), HH_OK);
	assert_int_equal(f->st->citizen_put(tx, &bo), HH_OK);
	struct hh_audit e[] = {
		{ .at = 7, .actor = "citizen:9", .citizen_id = anna.id,
		  .what = "det, du skrev til \"ægtefælle\" \\ i sag 1",
		  .why = "part i sagen" },
		{ .actor = "citizen:9", .citizen_id = bo.id, .what = "sag 2",
		  .why = "part i sagen" },
		{ .at = 8, .actor = "citizen:9", .citizen_id = anna.id,
		  .what = "sag 3", .why = "øvrigt" },
	};
	assert_int_equal(f->st->audit_append_many(tx, e, 3), HH_OK);
	assert_int_equal(f->st->audit_append_many(tx, e, 0), HH_OK);
	x_commit(tx);
	tx = x_begin(f->st, 0);
	struct x_audits x = { 0 };
	hh_buf_init(&x.b);
	assert_int_equal(f->st->audit_list(tx, &f->a, anna.id, 10, x_audit_row, &x),
			 HH_OK);
	assert_string_equal(hh_buf_str(&x.b),
			    "citizen:9/sag 3/øvrigt/8 | citizen:9/det, du skrev til "
			    "\"ægtefælle\" \\ i sag 1/part i sagen/7");
	x.b.len = 0;
	assert_int_equal(f->st->audit_list(tx, &f->a, bo.id, 10, x_audit_row, &x),
			 HH_OK);
	assert_string_equal(hh_buf_str(&x.b), "citizen:9/sag 2/part i sagen/1");
	assert_true(x.at0 >= hh_now_us() / 1000000 - 60);
	x_commit(tx);
	hh_buf_clear(&x.b);
}

/* ---- life events ------------------------------------------------------ */

static void t_life_events(void **state)
{
	struct x_fx *f = *state;
	struct hh_tx *tx = x_begin(f->st, 1);
	struct hh_life_event b = { .slug = "flytning", .title = "Flytning",
				   .summary = "s", .position = 2,
				   .articles = "[\"a\",\"b\"]" };
	struct hh_life_event a = { .slug = "foedsel", .title = "Fødsel",
				   .summary = "s", .position = 1 };
	assert_int_equal(f->st->life_event_put(tx, &b), HH_OK);
	assert_int_equal(f->st->life_event_put(tx, &a), HH_OK);
	int64_t bid = b.id;
	b.title = "Du skal flytte";
	assert_int_equal(f->st->life_event_put(tx, &b), HH_OK);
	assert_int_equal(b.id, bid);
	x_commit(tx);
	tx = x_begin(f->st, 0);
	struct hh_life_event g;
	assert_int_equal(f->st->life_event_get(tx, &f->a, "flytning", &g), HH_OK);
	assert_string_equal(g.title, "Du skal flytte");
	assert_string_equal(g.articles, "[\"a\",\"b\"]");
	assert_int_equal(g.position, 2);
	assert_int_equal(f->st->life_event_get(tx, &f->a, "foedsel", &g), HH_OK);
	assert_string_equal(g.articles, "[]");
	assert_int_equal(f->st->life_event_get(tx, &f->a, "nope", &g),
			 HH_ERR_NOT_FOUND);
	x_commit(tx);
	int64_t n_le;
	tu_counts(f->st, NULL, NULL, &n_le);
	assert_int_equal(n_le, 2);
}

/* ---- transactions ------------------------------------------------------ */

/* How many of the keys x_retry_fn writes ("attempt-1", ...) are stored
 * (the only settings these tests write); *last gets the highest. */
static int x_attempts(struct x_fx *f, int *last)
{
	struct hh_tx *tx = x_begin(f->st, 0);
	int n = 0;
	for (int i = 1; i <= 64; i++) {
		char key[32];
		const char *v = NULL;
		snprintf(key, sizeof(key), "attempt-%d", i);
		assert_int_equal(f->st->meta_get(tx, &f->a, key, &v), HH_OK);
		if (v) {
			n++;
			if (last)
				*last = i;
		}
	}
	x_commit(tx);
	return n;
}

static int64_t x_orgs(struct x_fx *f)
{
	int64_t n;
	tu_counts(f->st, &n, NULL, NULL);
	return n;
}

struct x_retry {
	int calls;
	int busy_times; /* return BUSY this many times first */
	enum hh_rc final;
};

/* Writes a key per attempt, then fails as configured: only the last
 * attempt's key may survive. */
static enum hh_rc x_retry_fn(struct hh_tx *tx, void *p)
{
	struct x_retry *c = p;
	c->calls++;
	char key[32];
	snprintf(key, sizeof(key), "attempt-%d", c->calls);
	enum hh_rc rc = tx->store->meta_set(tx, key, "x");
	if (rc != HH_OK)
		return rc;
	struct hh_org o = { .code = "t", .name = key,
			    .kind = HH_ORG_MUNICIPALITY };
	rc = tx->store->org_put(tx, &o);
	if (rc != HH_OK)
		return rc;
	if (c->calls <= c->busy_times)
		return HH_ERR_BUSY;
	return c->final;
}

static void t_run_tx_retries_busy(void **state)
{
	struct x_fx *f = *state;
	struct x_retry c = { 0, 3, HH_OK };
	assert_int_equal(hh_store_run_tx(f->st, 1, x_retry_fn, &c), HH_OK);
	assert_int_equal(c.calls, 4);
	/* the three BUSY attempts were rolled back */
	int last = 0;
	assert_int_equal(x_attempts(f, &last), 1);
	assert_int_equal(last, 4);
	assert_int_equal(x_orgs(f), 1);
	/* one BUSY */
	struct x_retry c1 = { 0, 1, HH_OK };
	assert_int_equal(hh_store_run_tx(f->st, 1, x_retry_fn, &c1), HH_OK);
	assert_int_equal(c1.calls, 2);
	/* none */
	struct x_retry c0 = { 0, 0, HH_OK };
	assert_int_equal(hh_store_run_tx(f->st, 0, x_retry_fn, &c0), HH_OK);
	assert_int_equal(c0.calls, 1);
}

static void t_run_tx_gives_up(void **state)
{
	struct x_fx *f = *state;
	struct x_retry c = { 0, 1000000, HH_OK };
	assert_int_equal(hh_store_run_tx(f->st, 1, x_retry_fn, &c), HH_ERR_BUSY);
	/* bounded, and more than one try */
	assert_true(c.calls > 1);
	assert_true(c.calls <= 20);
	int bound = c.calls;
	assert_int_equal(x_attempts(f, NULL), 0);
	assert_int_equal(x_orgs(f), 0);
	/* BUSY one time fewer than the bound still succeeds */
	struct x_retry ok = { 0, bound - 1, HH_OK };
	assert_int_equal(hh_store_run_tx(f->st, 1, x_retry_fn, &ok), HH_OK);
	assert_int_equal(ok.calls, bound);
	/* the pool (2 connections) is intact: every attempt released its
	 * connection; two open transactions at once still work */
	struct hh_tx *t1 = x_begin(f->st, 0), *t2 = x_begin(f->st, 0);
	x_commit(t1);
	x_commit(t2);
}

static void t_run_tx_rolls_back_on_error(void **state)
{
	struct x_fx *f = *state;
	static const enum hh_rc errs[] = { HH_ERR_INVALID, HH_ERR_CONFLICT,
					   HH_ERR_NOT_FOUND, HH_ERR_IO,
					   HH_ERR_INTERNAL, HH_ERR_FORBIDDEN };
	for (size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		struct x_retry c = { 0, 0, errs[i] };
		assert_int_equal(hh_store_run_tx(f->st, 1, x_retry_fn, &c),
				 errs[i]);
		assert_int_equal(c.calls, 1); /* no retry for non-BUSY */
		assert_int_equal(x_attempts(f, NULL), 0);
		assert_int_equal(x_orgs(f),
				 0);
	}
	/* BUSY first, then an error: still nothing */
	struct x_retry c = { 0, 2, HH_ERR_INVALID };
	assert_int_equal(hh_store_run_tx(f->st, 1, x_retry_fn, &c),
			 HH_ERR_INVALID);
	assert_int_equal(c.calls, 3);
	assert_int_equal(x_attempts(f, NULL), 0);
	/* the connections were released */
	struct hh_tx *t1 = x_begin(f->st, 1);
	f->st->tx_rollback(t1);
	struct hh_tx *t2 = x_begin(f->st, 0), *t3 = x_begin(f->st, 0);
	x_commit(t2);
	x_commit(t3);
}

/* A transaction rolled back explicitly leaves nothing behind. */
static void t_tx_rollback(void **state)
{
	struct x_fx *f = *state;
	struct hh_tx *tx = x_begin(f->st, 1);
	assert_int_equal(f->st->meta_set(tx, "k", "v"), HH_OK);
	f->st->tx_rollback(tx);
	tx = x_begin(f->st, 0);
	const char *v = "sentinel";
	assert_int_equal(f->st->meta_get(tx, &f->a, "k", &v), HH_OK);
	assert_null(v);
	x_commit(tx);
}

/* ---- fault injection --------------------------------------------------- */

/* ---- journal serials ------------------------------------------------------ */

static int64_t x_serial(struct hh_tx *tx, int64_t org, int year)
{
	int64_t serial = -1;
	assert_int_equal(tx->store->journal_serial_next(tx, org, year, &serial),
			 HH_OK);
	return serial;
}

/* pg-serial: from 1 per organisation and year, one more each time,
 * within a transaction and across them. A rolled back transaction gives
 * its serial back on SQLite (it took it in that transaction) and leaves
 * a gap on PostgreSQL (taken in a transaction of its own so that
 * concurrent submissions do not fail on its row: docs/postgres.md);
 * on both the next one is larger than any given before. */
static void t_journal_serials(void **state)
{
	struct x_fx *f = *state;
	struct hh_store *st = f->st;
	int64_t m901 = x_put_org(st, "901", "Nordskov", HH_ORG_MUNICIPALITY);
	int64_t m902 = x_put_org(st, "902", "Åstrup", HH_ORG_MUNICIPALITY);
	struct hh_tx *tx = x_begin(st, 1);
	assert_int_equal(x_serial(tx, m901, 2026), 1);
	assert_int_equal(x_serial(tx, m901, 2026), 2);
	assert_int_equal(x_serial(tx, m902, 2026), 1);
	assert_int_equal(x_serial(tx, m901, 2027), 1);
	x_commit(tx);
	tx = x_begin(st, 1);
	assert_int_equal(x_serial(tx, m901, 2026), 3);
	x_commit(tx);

	tx = x_begin(st, 1);
	assert_int_equal(x_serial(tx, m901, 2026), 4);
	st->tx_rollback(tx);
	tx = x_begin(st, 1);
	int64_t next = x_serial(tx, m901, 2026);
	x_commit(tx);
	if (!strcmp(backend->name, "postgres"))
		assert_int_equal(next, 5); /* 4 is a gap */
	else
		assert_int_equal(next, 4); /* given back */
	/* the others went on from where they were */
	tx = x_begin(st, 1);
	assert_int_equal(x_serial(tx, m902, 2026), 2);
	assert_int_equal(x_serial(tx, m901, 2027), 2);
	x_commit(tx);
}

/* ---- ids from the database ---------------------------------------------- */

struct x_block {
	const char *counter;
	int64_t n, first;
};

static enum hh_rc x_block_tx(struct hh_tx *tx, void *p)
{
	struct x_block *b = p;
	return tx->store->id_block(tx, b->counter, b->n, &b->first);
}

static int64_t x_block(struct hh_store *st, const char *counter, int64_t n)
{
	struct x_block b = { counter, n, 0 };
	assert_int_equal(hh_store_run_tx(st, 1, x_block_tx, &b), HH_OK);
	assert_true(b.first > 0);
	return b.first;
}

/* Blocks follow each other without gaps or overlaps, per counter; a
 * rolled-back block is handed out again (nothing was taken). */
static void t_id_blocks(void **state)
{
	struct x_fx *f = *state;
	int64_t a = x_block(f->st, "search_log", 10);
	assert_int_equal(x_block(f->st, "search_log", 5), a + 10);
	assert_int_equal(x_block(f->st, "search_log", 1), a + 15);
	/* another counter starts at 1 and does not move this one */
	assert_int_equal(x_block(f->st, "x_test", 3), 1);
	assert_int_equal(x_block(f->st, "x_test", 3), 4);
	assert_int_equal(x_block(f->st, "search_log", 1), a + 16);
	struct hh_tx *tx = x_begin(f->st, 1);
	int64_t first = 0;
	assert_int_equal(f->st->id_block(tx, "search_log", 0, &first),
			 HH_ERR_INVALID);
	assert_int_equal(f->st->id_block(tx, "search_log", 100, &first), HH_OK);
	assert_int_equal(first, a + 17);
	f->st->tx_rollback(tx);
	assert_int_equal(x_block(f->st, "search_log", 1), a + 17);
}

static enum hh_rc x_chosen(void *ctx, int64_t article_id, int64_t n)
{
	int64_t *c = ctx;
	assert_int_equal(c[0], 0); /* one article only */
	c[0] = article_id;
	c[1] = n;
	return HH_OK;
}

/* Two instances on one database: their blocks never overlap, so the ids
 * they give to searches are disjoint; and a choice of a search logged by
 * the other instance is recorded. */
static void t_id_blocks_two_instances(void **state)
{
	struct x_fx *f = *state;
	struct hh_store *other = backend->open(f->dir, 2);
	int64_t seen[40];
	int n = 0;
	for (int round = 0; round < 10; round++) {
		struct hh_store *st = round % 3 ? f->st : other;
		int64_t first = x_block(st, "search_log", 4);
		for (int i = 0; i < 4; i++)
			seen[n++] = first + i;
	}
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			assert_int_not_equal(seen[i], seen[j]);

	/* "other" logs a search with an id of its block; a choice made on
	 * this instance (a citizen's next request served here) finds it */
	int64_t id = x_block(other, "search_log", 1000);
	struct hh_search_log e = { .id = id, .at = 100, .query = "pas",
				   .results = 2 };
	struct hh_tx *tx = x_begin(other, 1);
	assert_int_equal(other->search_log_insert(tx, &e), HH_OK);
	x_commit(tx);
	int64_t art = x_insert(f->st, x_article("pas", 0, "", HH_AUDIENCE_CITIZEN,
						HH_STATUS_PUBLISHED));
	tx = x_begin(f->st, 1);
	assert_int_equal(f->st->search_log_choose(tx, id, art, 101), HH_OK);
	x_commit(tx);
	tx = x_begin(f->st, 0);
	int64_t chosen[2] = { 0, 0 }; /* article, times */
	assert_int_equal(f->st->search_chosen_counts(tx, x_chosen, chosen),
			 HH_OK);
	x_commit(tx);
	assert_int_equal(chosen[0], art);
	assert_int_equal(chosen[1], 1);
	hh_store_close(other);
}

/* ---- change callbacks ------------------------------------------------- */

static void x_record_too(void *cls, const struct hh_change *c)
{
	hh_buf_printf(cls, "2:%s;", c->action);
}

/* Subscribers are told in order, each once; unsubscribed ones not; there
 * is a bound on how many. */
static void t_subscribers(void **state)
{
	struct x_fx *f = *state;
	struct hh_buf b;
	hh_buf_init(&b);
	assert_int_equal(hh_store_subscribe(f->st, tu_record_change, &b),
			 HH_OK);
	assert_int_equal(hh_store_subscribe(f->st, x_record_too, &b), HH_OK);
	struct hh_change c = { "article", 7, 3, "create" };
	hh_store_changed(f->st, &c);
	assert_string_equal(hh_buf_str(&b), "article/7/3/create\n2:create;");
	hh_store_unsubscribe(f->st, tu_record_change, &b);
	hh_buf_reset(&b);
	hh_store_changed(f->st, &c);
	assert_string_equal(hh_buf_str(&b), "2:create;");
	hh_store_unsubscribe(f->st, x_record_too, &b);
	hh_buf_reset(&b);
	hh_store_changed(f->st, &c);
	assert_string_equal(hh_buf_str(&b), "");
	int i;
	for (i = 0; i < HH_STORE_SUBSCRIBERS_MAX; i++)
		assert_int_equal(hh_store_subscribe(f->st, tu_record_change, &b),
				 HH_OK);
	assert_int_equal(hh_store_subscribe(f->st, tu_record_change, &b),
			 HH_ERR_CONFLICT);
	for (i = 0; i < HH_STORE_SUBSCRIBERS_MAX; i++)
		hh_store_unsubscribe(f->st, tu_record_change, &b);
	hh_store_changed(f->st, &c);
	assert_string_equal(hh_buf_str(&b), "");
	hh_buf_clear(&b);
}

#include "store/store_suite_faults.c"
#include "store/store_suite_seal.c"
#include "store/store_suite_inquiries.c"
#include "store/store_suite_desk.c" /* the agent's desk */
#include "store/store_suite_appointments.c" /* appointments */
#include "store/store_suite_inbox.c" /* the citizen's inbox */
#include "store/store_suite_messages.c" /* pg-skip: the delivery claim */
#include "store/store_suite_tune.c" /* s-tune: synonyms removed */
#include "store/store_suite_parties.c" /* p-parties (issue 16) */
/* pg-port: the service figures, proposals and pins */
#include "store/store_suite_figures.c"
#include "store/store_suite_proposals.c"
/* pg-caselist: the case lists' filters */
#include "store/store_suite_cases.c"
/* x-ext (issue 15): external cases */
#include "store/store_suite_external.c"

#define T(fn) cmocka_unit_test_setup_teardown(fn, x_setup, x_teardown)

int store_suite_run(const struct store_backend *b)
{
	backend = b;
	hh_auth_init();
	hh_log_set_level(HH_LOG_ERROR);
	const struct CMUnitTest tests[] = {
		T(t_name),
		T(t_meta),
		T(t_orgs),
		T(t_org_by_code_cache),
		T(t_users),
		T(t_users_email_fold_ascii), /* pg-ssi */
		T(t_review_orphan_refs), /* review2 */
		T(t_sessions),
		T(t_signin_failures),
		T(t_tokens),
		T(t_article_insert_get_update),
		T(t_article_versions_rows),
		T(t_article_list_filters),
		T(t_article_get_agency),
		T(t_article_popular),
		T(t_events_append_only),
		T(t_audit_append_many),
		T(t_life_events),
		T(t_run_tx_retries_busy),
		T(t_run_tx_gives_up),
		T(t_run_tx_rolls_back_on_error),
		T(t_tx_rollback),
		T(t_journal_serials), /* pg-serial */
		T(t_id_blocks),
		T(t_id_blocks_two_instances),
		T(t_subscribers),
		T(t_seal_columns),
		T(t_webhook_seal_scan), /* hooks-rotate */
		T(t_inquiry_insert_get_update),
		T(t_inquiry_lists),
		T(t_inquiry_codes),
		T(t_fault_inquiry),
		T(t_fault_inject_hook),
		/* the agent's desk */
		T(t_desk_transfers),
		T(t_desk_reads),
		T(t_fault_article_create),
		T(t_fault_article_update),
		T(t_fault_content_import),
		T(t_fault_content_import_busy),
		/* appointments */
		T(t_appointments),
		T(t_org_documents),
		/* the citizen's inbox */
		T(t_inbox),
		/* pg-skip: the delivery claim */
		T(t_message_claim),
		T(t_message_claim_fault),
		/* s-tune: synonyms removed and revived */
		T(t_synonym_removal),
		/* pg-port: the service figures, proposals and pins */
		T(t_fig_facts),
		T(t_fig_aggregates),
		T(t_fig_proc),
		T(t_fig_search),
		T(t_search_report_folds_letters), /* pg-ssi */
		T(t_fig_events),
		T(t_proposals),
		T(t_pins),
		/* pg-caselist: the case lists' filters */
		T(t_case_list_filters),
		T(t_case_get_in_its_tx), /* pg-ssi */
		/* x-ext (issue 15): external cases */
		T(t_external_cases),
		T(t_external_followups),
		T(t_case_systems), /* x-decl */
		/* p-parties (issue 16): the parties to a case */
		T(t_case_parties),
		T(t_case_agreements), /* p-agree (issue 16) */
	};
	/* pg-base: leave out what the backend names in skip */
	struct CMUnitTest run[sizeof(tests) / sizeof(tests[0])];
	size_t n_run = 0;
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		int skipped = 0;
		for (const char *const *s = b->skip; s && *s && !skipped; s++)
			skipped = strcmp(*s, tests[i].name) == 0;
		if (skipped)
			printf("[  SKIP    ] %s: not on %s yet\n", tests[i].name,
			       b->name);
		else
			run[n_run++] = tests[i];
	}
	char group[64];
	snprintf(group, sizeof(group), "store/%s", b->name);
	return _cmocka_run_group_tests(group, run, n_run, NULL, NULL);
}
