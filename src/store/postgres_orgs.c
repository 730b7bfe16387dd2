/* postgres_orgs.c - the PostgreSQL backend: settings (meta), ids in
 * blocks, organisations, users, staff sessions and API tokens (the port
 * of sqlite_orgs.c). */
#include "store/postgres_int.h"

#include "core/util.h"

static const char *const stmt_sql[P__COUNT] = {
	[P_META_GET] = "SELECT value FROM meta WHERE key = $1",
	[P_META_SET] = "INSERT INTO meta(key, value) VALUES ($1, $2) "
		       "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	/* One statement: the row lock it takes holds off another
	 * instance's block until this transaction ends. */
	[P_ID_BLOCK] = "INSERT INTO id_counters(name, next_id) "
		       "VALUES ($1, 1 + $2::bigint) "
		       "ON CONFLICT(name) DO UPDATE SET "
		       "next_id = id_counters.next_id + $2::bigint "
		       "RETURNING next_id - $2::bigint",
	[P_ORG_UPSERT] =
		"INSERT INTO organisations(code, name, kind, created_at) "
		"VALUES ($1, $2, $3, $4) ON CONFLICT(code) DO UPDATE SET "
		"name = excluded.name, kind = excluded.kind RETURNING id",
	[P_ORG_GET] = "SELECT id, code, name, kind FROM organisations "
		      "WHERE id = $1",
	[P_ORG_GET_CODE] = "SELECT id, code, name, kind FROM organisations "
			   "WHERE code = $1",
	/* COLLATE "C": the order SQLite gives (bytes), whatever the
	 * database's collation */
	[P_ORG_LIST] = "SELECT id, code, name, kind FROM organisations "
		       "ORDER BY kind COLLATE \"C\" DESC, name COLLATE \"C\"",
	[P_USER_INSERT] =
		"INSERT INTO users(organisation_id, email, name, password_hash, "
		"roles, disabled, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
		"RETURNING id",
	[P_USER_GET] = "SELECT id, organisation_id, email, name, password_hash, "
		       "roles, disabled, created_at, oidc_subject FROM users "
		       "WHERE id = $1",
	/* SQLite's COLLATE NOCASE, A-Z only (lower() folded every letter:
	 * migrations-pg/0032), over the index users_email */
	[P_USER_GET_EMAIL] =
		"SELECT id, organisation_id, email, name, password_hash, roles, "
		"disabled, created_at, oidc_subject FROM users "
		"WHERE helhed_fold_ascii(email) = helhed_fold_ascii($1)",
	[P_USER_LIST] = "SELECT id, organisation_id, email, name, password_hash, "
			"roles, disabled, created_at, oidc_subject FROM users "
			"ORDER BY id",
	/* the email is kept from the first sign-in: it is the user's
	 * handle in helhed, and another user's email must not be taken */
	[P_USER_PUT_OIDC] =
		"INSERT INTO users(organisation_id, email, name, password_hash, "
		"roles, disabled, created_at, oidc_subject) VALUES "
		"($1, $2, $3, '', $4, 0, $5, $6) "
		"ON CONFLICT(oidc_subject) WHERE oidc_subject IS NOT NULL DO "
		"UPDATE SET organisation_id = excluded.organisation_id, "
		"name = excluded.name, roles = excluded.roles "
		"RETURNING id, disabled, created_at",
	[P_SESSION_INSERT] =
		"INSERT INTO sessions(token_hash, user_id, csrf, created_at, "
		"expires_at, last_seen, oidc_sid, oidc_subject) "
		"VALUES ($1, $2, $3, $4, $5, $4, $6, $7)",
	[P_SESSION_GET] = "SELECT token_hash, user_id, csrf, created_at, "
			  "expires_at, last_seen, oidc_sid, oidc_subject "
			  "FROM sessions WHERE token_hash = $1",
	[P_SESSION_TOUCH] = "UPDATE sessions SET last_seen = $2 "
			    "WHERE token_hash = $1",
	[P_SESSION_END_SID] = "DELETE FROM sessions WHERE oidc_sid = $1",
	[P_SESSION_END_SUB] = "DELETE FROM sessions WHERE oidc_subject = $1",
	[P_CSESS_END_SID] = "DELETE FROM citizen_sessions WHERE oidc_sid = $1",
	[P_CSESS_END_SUB] = "DELETE FROM citizen_sessions "
			    "WHERE oidc_subject = $1",
	[P_SIGNIN_FAIL_GET] = "SELECT free_at FROM signin_failures "
			      "WHERE account_key = $1",
	[P_SIGNIN_FAIL_PRUNE] = "DELETE FROM signin_failures WHERE free_at <= $1",
	/* ON CONFLICT: two instances recording a first failure of one
	 * account at once; the second waits for the first's row and then
	 * fails to serialise (BUSY, retried), rather than CONFLICT */
	[P_SIGNIN_FAIL_PUT] =
		"INSERT INTO signin_failures(account_key, free_at) VALUES ($1, $2) "
		"ON CONFLICT(account_key) DO UPDATE SET free_at = excluded.free_at",
	[P_SIGNIN_FAIL_CLEAR] = "DELETE FROM signin_failures "
				"WHERE account_key = $1",
	[P_SESSION_DELETE] = "DELETE FROM sessions WHERE token_hash = $1",
	[P_SESSION_PURGE] = "DELETE FROM sessions WHERE expires_at < $1",
	[P_TOKEN_INSERT] =
		"INSERT INTO api_tokens(token_hash, organisation_id, name, roles, "
		"created_at, revoked) VALUES ($1, $2, $3, $4, $5, 0) "
		"RETURNING id",
	[P_TOKEN_GET] = "SELECT id, token_hash, organisation_id, name, roles, "
			"created_at, revoked FROM api_tokens "
			"WHERE token_hash = $1",
	[P_TOKEN_GET_ID] = "SELECT id, token_hash, organisation_id, name, roles, "
			   "created_at, revoked FROM api_tokens WHERE id = $1",
};

/* ---- meta ------------------------------------------------------------ */

static enum hh_rc meta_get(struct hh_tx *tx, struct hh_arena *a,
			   const char *key, const char **value)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_text(&p, key);
	PGresult *r;
	enum hh_rc rc = RUN(tx, P_META_GET, &p, &r);
	if (rc != HH_OK)
		return rc;
	*value = PQntuples(r) ? g_text(a, r, 0, 0) : NULL;
	PQclear(r);
	return HH_OK;
}

static enum hh_rc meta_set(struct hh_tx *tx, const char *key,
			   const char *value)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_text(&p, key);
	p_text(&p, value);
	return RUN(tx, P_META_SET, &p, NULL);
}

static enum hh_rc id_block(struct hh_tx *tx, const char *counter, int64_t n,
			   int64_t *first)
{
	FAULT(tx);
	if (n < 1 || !counter)
		return HH_ERR_INVALID;
	struct pg_params p = { 0 };
	p_text(&p, counter);
	p_int(&p, n);
	return RUN_INT(tx, P_ID_BLOCK, &p, first);
}

/* ---- organisations --------------------------------------------------- */

static const char *kind_name(enum hh_org_kind k)
{
	return k == HH_ORG_AGENCY ? "agency" : "municipality";
}

static void org_row(struct hh_arena *a, const PGresult *r, int i,
		    struct hh_org *o)
{
	o->id = g_int(r, i, 0);
	o->code = g_text(a, r, i, 1);
	o->name = g_text(a, r, i, 2);
	o->kind = strcmp(PQgetvalue(r, i, 3), "agency") == 0
			  ? HH_ORG_AGENCY
			  : HH_ORG_MUNICIPALITY;
}

static enum hh_rc org_put(struct hh_tx *tx, struct hh_org *o)
{
	((struct pg_conn *)tx)->orgs_written = 1;
	FAULT(tx);
	struct pg_params p = { 0 };
	p_text(&p, o->code);
	p_text(&p, o->name);
	p_text(&p, kind_name(o->kind));
	p_int(&p, hh_now_us() / 1000000);
	return RUN_INT(tx, P_ORG_UPSERT, &p, &o->id);
}

static enum hh_rc org_get(struct hh_tx *tx, struct hh_arena *a, int64_t id,
			  struct hh_org *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, id);
	PG_ONE_ROW(tx, P_ORG_GET, &p, org_row, a, out);
}

static enum hh_rc org_get_by_code(struct hh_tx *tx, struct hh_arena *a,
				  const char *code, struct hh_org *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_text(&p, code);
	PG_ONE_ROW(tx, P_ORG_GET_CODE, &p, org_row, a, out);
}

static enum hh_rc org_list(struct hh_tx *tx, struct hh_arena *a,
			   hh_org_cb cb, void *ctx)
{
	FAULT(tx);
	PG_MANY_ROWS(tx, P_ORG_LIST, NULL, struct hh_org, org_row, a, cb, ctx);
}

/* ---- users ----------------------------------------------------------- */

static void user_row(struct hh_arena *a, const PGresult *r, int i,
		     struct hh_user *u)
{
	u->id = g_int(r, i, 0);
	u->org_id = g_int(r, i, 1);
	u->email = g_text(a, r, i, 2);
	u->name = g_text(a, r, i, 3);
	u->password_hash = g_text(a, r, i, 4);
	u->roles = (unsigned)g_int(r, i, 5);
	u->disabled = (int)g_int(r, i, 6);
	u->created_at = g_int(r, i, 7);
	u->oidc_subject = g_text(a, r, i, 8);
}

static enum hh_rc user_insert(struct hh_tx *tx, struct hh_user *u)
{
	FAULT(tx);
	if (!u->created_at)
		u->created_at = hh_now_us() / 1000000;
	struct pg_params p = { 0 };
	p_int(&p, u->org_id);
	p_text(&p, u->email);
	p_text(&p, u->name);
	p_text(&p, u->password_hash);
	p_int(&p, (int64_t)u->roles);
	p_int(&p, u->disabled);
	p_int(&p, u->created_at);
	/* guarded: a taken email is CONFLICT and the transaction goes on,
	 * as in SQLite */
	PGresult *r;
	enum hh_rc rc = RUN_GUARDED(tx, P_USER_INSERT, &p, &r);
	if (rc != HH_OK)
		return rc;
	u->id = g_int(r, 0, 0);
	PQclear(r);
	return HH_OK;
}

static enum hh_rc user_put_oidc(struct hh_tx *tx, struct hh_user *u)
{
	FAULT(tx);
	if (!u->oidc_subject)
		return HH_ERR_INVALID;
	if (!u->created_at)
		u->created_at = hh_now_us() / 1000000;
	struct pg_params p = { 0 };
	p_int(&p, u->org_id);
	p_text(&p, u->email);
	p_text(&p, u->name);
	p_int(&p, (int64_t)u->roles);
	p_int(&p, u->created_at);
	p_text(&p, u->oidc_subject);
	PGresult *r;
	enum hh_rc rc = RUN_GUARDED(tx, P_USER_PUT_OIDC, &p, &r);
	if (rc != HH_OK)
		return rc;
	u->id = g_int(r, 0, 0);
	u->disabled = (int)g_int(r, 0, 1);
	u->created_at = g_int(r, 0, 2);
	PQclear(r);
	return HH_OK;
}

static enum hh_rc user_get(struct hh_tx *tx, struct hh_arena *a, int64_t id,
			   struct hh_user *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, id);
	PG_ONE_ROW(tx, P_USER_GET, &p, user_row, a, out);
}

static enum hh_rc user_get_by_email(struct hh_tx *tx, struct hh_arena *a,
				    const char *email, struct hh_user *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_text(&p, email);
	PG_ONE_ROW(tx, P_USER_GET_EMAIL, &p, user_row, a, out);
}

static enum hh_rc user_list(struct hh_tx *tx, struct hh_arena *a,
			    hh_user_cb cb, void *ctx)
{
	FAULT(tx);
	PG_MANY_ROWS(tx, P_USER_LIST, NULL, struct hh_user, user_row, a, cb,
		     ctx);
}

/* ---- sessions and tokens ---------------------------------------------- */

static enum hh_rc session_insert(struct hh_tx *tx, const struct hh_session *s)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_blob(&p, s->token_hash, 32);
	p_int(&p, s->user_id);
	p_text(&p, s->csrf);
	p_int(&p, s->created_at);
	p_int(&p, s->expires_at);
	p_text(&p, s->oidc_sid);
	p_text(&p, s->oidc_subject);
	return RUN_GUARDED(tx, P_SESSION_INSERT, &p, NULL);
}

static void session_row(struct hh_arena *a, const PGresult *r, int i,
			struct hh_session *out)
{
	out->token_hash = hh_pg_blob(a, r, i, 0, NULL);
	out->user_id = g_int(r, i, 1);
	out->csrf = g_text(a, r, i, 2);
	out->created_at = g_int(r, i, 3);
	out->expires_at = g_int(r, i, 4);
	out->last_seen = g_int(r, i, 5);
	out->oidc_sid = g_text(a, r, i, 6);
	out->oidc_subject = g_text(a, r, i, 7);
}

static enum hh_rc session_get(struct hh_tx *tx, struct hh_arena *a,
			      const unsigned char hash[32],
			      struct hh_session *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_blob(&p, hash, 32);
	PG_ONE_ROW(tx, P_SESSION_GET, &p, session_row, a, out);
}

static enum hh_rc session_delete(struct hh_tx *tx, const unsigned char h[32])
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_blob(&p, h, 32);
	return RUN(tx, P_SESSION_DELETE, &p, NULL);
}

static enum hh_rc session_purge(struct hh_tx *tx, int64_t now)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, now);
	return RUN(tx, P_SESSION_PURGE, &p, NULL);
}

static enum hh_rc session_touch(struct hh_tx *tx, const unsigned char h[32],
				int64_t now)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_blob(&p, h, 32);
	p_int(&p, now);
	return RUN(tx, P_SESSION_TOUCH, &p, NULL);
}

/* ---- failed sign-ins ------------------------------------------------- */

static enum hh_rc signin_fail_get(struct hh_tx *tx, const unsigned char key[32],
				  int64_t *free_at)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_blob(&p, key, 32);
	return RUN_INT(tx, P_SIGNIN_FAIL_GET, &p, free_at);
}

static enum hh_rc signin_fail_put(struct hh_tx *tx, const unsigned char key[32],
				  int64_t free_at, int64_t now)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, now);
	enum hh_rc rc = RUN(tx, P_SIGNIN_FAIL_PRUNE, &p, NULL);
	if (rc != HH_OK)
		return rc;
	struct pg_params q = { 0 };
	p_blob(&q, key, 32);
	p_int(&q, free_at);
	return RUN(tx, P_SIGNIN_FAIL_PUT, &q, NULL);
}

static enum hh_rc signin_fail_clear(struct hh_tx *tx,
				    const unsigned char key[32])
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_blob(&p, key, 32);
	return RUN(tx, P_SIGNIN_FAIL_CLEAR, &p, NULL);
}

static enum hh_rc end_one(struct hh_tx *tx, enum pg_stmt_id id, const char *v,
			  int64_t *ended)
{
	struct pg_params p = { 0 };
	p_text(&p, v);
	PGresult *r;
	enum hh_rc rc = RUN(tx, id, &p, &r);
	if (rc == HH_OK) {
		*ended += pg_changes(r);
		PQclear(r);
	}
	return rc;
}

static enum hh_rc oidc_sessions_end(struct hh_tx *tx, const char *sid,
				    const char *subject, int64_t *ended)
{
	FAULT(tx);
	int64_t n = 0;
	if (!sid && !subject)
		return HH_ERR_INVALID;
	enum hh_rc r = end_one(tx, sid ? P_SESSION_END_SID : P_SESSION_END_SUB,
			       sid ? sid : subject, &n);
	if (r == HH_OK)
		r = end_one(tx, sid ? P_CSESS_END_SID : P_CSESS_END_SUB,
			    sid ? sid : subject, &n);
	if (ended)
		*ended = n;
	return r;
}

static enum hh_rc token_insert(struct hh_tx *tx, struct hh_api_token *t)
{
	FAULT(tx);
	if (!t->created_at)
		t->created_at = hh_now_us() / 1000000;
	struct pg_params p = { 0 };
	p_blob(&p, t->token_hash, 32);
	p_int(&p, t->org_id);
	p_text(&p, t->name);
	p_int(&p, (int64_t)t->roles);
	p_int(&p, t->created_at);
	PGresult *r;
	enum hh_rc rc = RUN_GUARDED(tx, P_TOKEN_INSERT, &p, &r);
	if (rc != HH_OK)
		return rc;
	t->id = g_int(r, 0, 0);
	PQclear(r);
	return HH_OK;
}

static void token_row(struct hh_arena *a, const PGresult *r, int i,
		      struct hh_api_token *out)
{
	out->id = g_int(r, i, 0);
	out->token_hash = hh_pg_blob(a, r, i, 1, NULL);
	out->org_id = g_int(r, i, 2);
	out->name = g_text(a, r, i, 3);
	out->roles = (unsigned)g_int(r, i, 4);
	out->created_at = g_int(r, i, 5);
	out->revoked = (int)g_int(r, i, 6);
}

static enum hh_rc token_get(struct hh_tx *tx, struct hh_arena *a,
			    const unsigned char hash[32],
			    struct hh_api_token *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_blob(&p, hash, 32);
	PG_ONE_ROW(tx, P_TOKEN_GET, &p, token_row, a, out);
}

static enum hh_rc token_get_by_id(struct hh_tx *tx, struct hh_arena *a,
				  int64_t id, struct hh_api_token *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, id);
	PG_ONE_ROW(tx, P_TOKEN_GET_ID, &p, token_row, a, out);
}

void hh_pg_fill_orgs(struct hh_store *st)
{
	st->meta_get = meta_get;
	st->meta_set = meta_set;
	st->id_block = id_block;
	st->org_put = org_put;
	st->org_get = org_get;
	st->org_get_by_code = org_get_by_code;
	st->org_list = org_list;
	st->user_insert = user_insert;
	st->user_get = user_get;
	st->user_get_by_email = user_get_by_email;
	st->user_list = user_list;
	st->user_put_oidc = user_put_oidc;
	st->session_insert = session_insert;
	st->session_get = session_get;
	st->session_delete = session_delete;
	st->session_purge = session_purge;
	st->session_touch = session_touch;
	st->signin_fail_get = signin_fail_get;
	st->signin_fail_put = signin_fail_put;
	st->signin_fail_clear = signin_fail_clear;
	st->oidc_sessions_end = oidc_sessions_end;
	st->token_insert = token_insert;
	st->token_get = token_get;
	st->token_get_by_id = token_get_by_id;
}
