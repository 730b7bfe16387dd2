/* sqlite_orgs.c - the SQLite backend: settings (meta), organisations,
 * users, staff sessions and API tokens. */
#include "store/sqlite_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"

static const char *const stmt_sql[S__COUNT] = {
	[S_META_GET] = "SELECT value FROM meta WHERE key = ?1",
	[S_META_SET] = "INSERT INTO meta(key, value) VALUES (?1, ?2) "
		       "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	/* One statement, so that the read and the bump cannot be split by
	 * another writer (the write transaction holds the lock anyway). */
	[S_ID_BLOCK] = "INSERT INTO id_counters(name, next_id) VALUES (?1, 1 + ?2) "
		       "ON CONFLICT(name) DO UPDATE SET next_id = next_id + ?2 "
		       "RETURNING next_id - ?2",
	[S_ORG_UPSERT] =
		"INSERT INTO organisations(code, name, kind, created_at) "
		"VALUES (?1, ?2, ?3, ?4) ON CONFLICT(code) DO UPDATE SET "
		"name = excluded.name, kind = excluded.kind RETURNING id",
	[S_ORG_GET] = "SELECT id, code, name, kind FROM organisations "
		      "WHERE id = ?1",
	[S_ORG_GET_CODE] = "SELECT id, code, name, kind FROM organisations "
			   "WHERE code = ?1",
	[S_ORG_LIST] = "SELECT id, code, name, kind FROM organisations "
		       "ORDER BY kind DESC, name",
	[S_USER_INSERT] =
		"INSERT INTO users(organisation_id, email, name, password_hash, "
		"roles, disabled, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[S_USER_GET] = "SELECT id, organisation_id, email, name, password_hash, "
		       "roles, disabled, created_at, oidc_subject FROM users "
		       "WHERE id = ?1",
	[S_USER_GET_EMAIL] =
		"SELECT id, organisation_id, email, name, password_hash, roles, "
		"disabled, created_at, oidc_subject FROM users WHERE email = ?1",
	[S_USER_LIST] = "SELECT id, organisation_id, email, name, password_hash, "
			"roles, disabled, created_at, oidc_subject FROM users "
			"ORDER BY id",
	/* the email is kept from the first sign-in: it is the user's
	 * handle in helhed, and another user's email must not be taken */
	[S_USER_PUT_OIDC] =
		"INSERT INTO users(organisation_id, email, name, password_hash, "
		"roles, disabled, created_at, oidc_subject) VALUES "
		"(?1, ?2, ?3, '', ?4, 0, ?5, ?6) "
		"ON CONFLICT(oidc_subject) WHERE oidc_subject IS NOT NULL DO "
		"UPDATE SET organisation_id = excluded.organisation_id, "
		"name = excluded.name, roles = excluded.roles "
		"RETURNING id, disabled, created_at",
	[S_SESSION_INSERT] =
		"INSERT INTO sessions(token_hash, user_id, csrf, created_at, "
		"expires_at, last_seen, oidc_sid, oidc_subject) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?4, ?6, ?7)",
	[S_SESSION_GET] = "SELECT token_hash, user_id, csrf, created_at, "
			  "expires_at, last_seen, oidc_sid, oidc_subject "
			  "FROM sessions WHERE token_hash = ?1",
	[S_SESSION_TOUCH] = "UPDATE sessions SET last_seen = ?2 "
			    "WHERE token_hash = ?1",
	[S_SESSION_END_SID] = "DELETE FROM sessions WHERE oidc_sid = ?1",
	[S_SESSION_END_SUB] = "DELETE FROM sessions WHERE oidc_subject = ?1",
	[S_CSESS_END_SID] = "DELETE FROM citizen_sessions WHERE oidc_sid = ?1",
	[S_CSESS_END_SUB] = "DELETE FROM citizen_sessions "
			    "WHERE oidc_subject = ?1",
	[S_SIGNIN_FAIL_GET] = "SELECT free_at FROM signin_failures "
			      "WHERE account_key = ?1",
	[S_SIGNIN_FAIL_PRUNE] = "DELETE FROM signin_failures WHERE free_at <= ?1",
	[S_SIGNIN_FAIL_PUT] =
		"INSERT INTO signin_failures(account_key, free_at) VALUES (?1, ?2) "
		"ON CONFLICT(account_key) DO UPDATE SET free_at = excluded.free_at",
	[S_SIGNIN_FAIL_CLEAR] = "DELETE FROM signin_failures "
				"WHERE account_key = ?1",
	[S_SESSION_DELETE] = "DELETE FROM sessions WHERE token_hash = ?1",
	[S_SESSION_PURGE] = "DELETE FROM sessions WHERE expires_at < ?1",
	[S_TOKEN_INSERT] =
		"INSERT INTO api_tokens(token_hash, organisation_id, name, roles, "
		"created_at, revoked) VALUES (?1, ?2, ?3, ?4, ?5, 0)",
	[S_TOKEN_GET] = "SELECT id, token_hash, organisation_id, name, roles, "
			"created_at, revoked FROM api_tokens "
			"WHERE token_hash = ?1",
	[S_TOKEN_GET_ID] = "SELECT id, token_hash, organisation_id, name, roles, "
			   "created_at, revoked FROM api_tokens WHERE id = ?1",
};

/* ---- meta ------------------------------------------------------------ */

static enum hh_rc meta_get(struct hh_tx *tx, struct hh_arena *a,
			   const char *key, const char **value)
{
	FAULT(tx);
	STMT(tx, S_META_GET);
	bind_text(st, 1, key);
	int rc = sqlite3_step(st);
	*value = rc == SQLITE_ROW ? col_text(a, st, 0) : NULL;
	enum hh_rc r = rc == SQLITE_ROW || rc == SQLITE_DONE
			       ? HH_OK
			       : hh_sq_map_rc(db_of(tx), rc);
	done(st);
	return r;
}

static enum hh_rc meta_set(struct hh_tx *tx, const char *key,
			   const char *value)
{
	FAULT(tx);
	STMT(tx, S_META_SET);
	bind_text(st, 1, key);
	bind_text(st, 2, value);
	return hh_sq_exec(tx, st);
}

static enum hh_rc id_block(struct hh_tx *tx, const char *counter, int64_t n,
			   int64_t *first)
{
	FAULT(tx);
	if (n < 1 || !counter)
		return HH_ERR_INVALID;
	STMT(tx, S_ID_BLOCK);
	bind_text(st, 1, counter);
	sqlite3_bind_int64(st, 2, n);
	return hh_sq_step_int64(tx, st, first);
}

/* ---- organisations --------------------------------------------------- */

static const char *kind_name(enum hh_org_kind k)
{
	return k == HH_ORG_AGENCY ? "agency" : "municipality";
}

static void org_row(struct hh_arena *a, sqlite3_stmt *st, struct hh_org *o)
{
	o->id = sqlite3_column_int64(st, 0);
	o->code = col_text(a, st, 1);
	o->name = col_text(a, st, 2);
	const char *k = (const char *)sqlite3_column_text(st, 3);
	o->kind = k && strcmp(k, "agency") == 0 ? HH_ORG_AGENCY
						: HH_ORG_MUNICIPALITY;
}

static enum hh_rc org_put(struct hh_tx *tx, struct hh_org *o)
{
	((struct conn *)tx)->orgs_written = 1;
	FAULT(tx);
	STMT(tx, S_ORG_UPSERT);
	bind_text(st, 1, o->code);
	bind_text(st, 2, o->name);
	bind_text(st, 3, kind_name(o->kind));
	sqlite3_bind_int64(st, 4, hh_now_us() / 1000000);
	return hh_sq_step_int64(tx, st, &o->id);
}

static enum hh_rc org_get_one(struct hh_tx *tx, struct hh_arena *a,
			      sqlite3_stmt *st, struct hh_org *out)
{
	ONE_ROW(tx, st, org_row, a, out);
}

static enum hh_rc org_get(struct hh_tx *tx, struct hh_arena *a, int64_t id,
			  struct hh_org *out)
{
	FAULT(tx);
	STMT(tx, S_ORG_GET);
	sqlite3_bind_int64(st, 1, id);
	return org_get_one(tx, a, st, out);
}

static enum hh_rc org_get_by_code(struct hh_tx *tx, struct hh_arena *a,
				  const char *code, struct hh_org *out)
{
	FAULT(tx);
	STMT(tx, S_ORG_GET_CODE);
	bind_text(st, 1, code);
	return org_get_one(tx, a, st, out);
}

static enum hh_rc org_list(struct hh_tx *tx, struct hh_arena *a,
			   hh_org_cb cb, void *ctx)
{
	FAULT(tx);
	STMT(tx, S_ORG_LIST);
	MANY_ROWS(tx, st, struct hh_org, org_row, a, cb, ctx);
}

/* ---- users ----------------------------------------------------------- */

static void user_row(struct hh_arena *a, sqlite3_stmt *st, struct hh_user *u)
{
	u->id = sqlite3_column_int64(st, 0);
	u->org_id = sqlite3_column_int64(st, 1);
	u->email = col_text(a, st, 2);
	u->name = col_text(a, st, 3);
	u->password_hash = col_text(a, st, 4);
	u->roles = (unsigned)sqlite3_column_int(st, 5);
	u->disabled = sqlite3_column_int(st, 6);
	u->created_at = sqlite3_column_int64(st, 7);
	u->oidc_subject = col_text(a, st, 8);
}

static enum hh_rc user_insert(struct hh_tx *tx, struct hh_user *u)
{
	FAULT(tx);
	STMT(tx, S_USER_INSERT);
	sqlite3_bind_int64(st, 1, u->org_id);
	bind_text(st, 2, u->email);
	bind_text(st, 3, u->name);
	bind_text(st, 4, u->password_hash);
	sqlite3_bind_int(st, 5, (int)u->roles);
	sqlite3_bind_int(st, 6, u->disabled);
	if (!u->created_at)
		u->created_at = hh_now_us() / 1000000;
	sqlite3_bind_int64(st, 7, u->created_at);
	enum hh_rc r = hh_sq_exec(tx, st);
	if (r == HH_OK)
		u->id = sqlite3_last_insert_rowid(db_of(tx));
	return r;
}

static enum hh_rc user_put_oidc(struct hh_tx *tx, struct hh_user *u)
{
	FAULT(tx);
	if (!u->oidc_subject)
		return HH_ERR_INVALID;
	STMT(tx, S_USER_PUT_OIDC);
	sqlite3_bind_int64(st, 1, u->org_id);
	bind_text(st, 2, u->email);
	bind_text(st, 3, u->name);
	sqlite3_bind_int(st, 4, (int)u->roles);
	if (!u->created_at)
		u->created_at = hh_now_us() / 1000000;
	sqlite3_bind_int64(st, 5, u->created_at);
	bind_text(st, 6, u->oidc_subject);
	int rc = sqlite3_step(st);
	enum hh_rc r = HH_OK;
	if (rc == SQLITE_ROW) {
		u->id = sqlite3_column_int64(st, 0);
		u->disabled = sqlite3_column_int(st, 1);
		u->created_at = sqlite3_column_int64(st, 2);
	} else {
		r = hh_sq_map_rc(db_of(tx), rc);
	}
	done(st);
	return r;
}

static enum hh_rc user_get_one(struct hh_tx *tx, struct hh_arena *a,
			       sqlite3_stmt *st, struct hh_user *out)
{
	ONE_ROW(tx, st, user_row, a, out);
}

static enum hh_rc user_get(struct hh_tx *tx, struct hh_arena *a, int64_t id,
			   struct hh_user *out)
{
	FAULT(tx);
	STMT(tx, S_USER_GET);
	sqlite3_bind_int64(st, 1, id);
	return user_get_one(tx, a, st, out);
}

static enum hh_rc user_get_by_email(struct hh_tx *tx, struct hh_arena *a,
				    const char *email, struct hh_user *out)
{
	FAULT(tx);
	STMT(tx, S_USER_GET_EMAIL);
	bind_text(st, 1, email);
	return user_get_one(tx, a, st, out);
}

static enum hh_rc user_list(struct hh_tx *tx, struct hh_arena *a,
			    hh_user_cb cb, void *ctx)
{
	FAULT(tx);
	STMT(tx, S_USER_LIST);
	MANY_ROWS(tx, st, struct hh_user, user_row, a, cb, ctx);
}

/* ---- sessions and tokens ---------------------------------------------- */

static enum hh_rc session_insert(struct hh_tx *tx, const struct hh_session *s)
{
	FAULT(tx);
	STMT(tx, S_SESSION_INSERT);
	sqlite3_bind_blob(st, 1, s->token_hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, s->user_id);
	bind_text(st, 3, s->csrf);
	sqlite3_bind_int64(st, 4, s->created_at);
	sqlite3_bind_int64(st, 5, s->expires_at);
	bind_text(st, 6, s->oidc_sid);
	bind_text(st, 7, s->oidc_subject);
	return hh_sq_exec(tx, st);
}

static enum hh_rc session_get(struct hh_tx *tx, struct hh_arena *a,
			      const unsigned char hash[32],
			      struct hh_session *out)
{
	FAULT(tx);
	STMT(tx, S_SESSION_GET);
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	enum hh_rc r;
	if (rc == SQLITE_ROW) {
		out->token_hash = col_blob(a, st, 0);
		out->user_id = sqlite3_column_int64(st, 1);
		out->csrf = col_text(a, st, 2);
		out->created_at = sqlite3_column_int64(st, 3);
		out->expires_at = sqlite3_column_int64(st, 4);
		out->last_seen = sqlite3_column_int64(st, 5);
		out->oidc_sid = col_text(a, st, 6);
		out->oidc_subject = col_text(a, st, 7);
		r = HH_OK;
	} else {
		r = rc == SQLITE_DONE ? HH_ERR_NOT_FOUND : hh_sq_map_rc(db_of(tx), rc);
	}
	done(st);
	return r;
}

static enum hh_rc session_delete(struct hh_tx *tx, const unsigned char h[32])
{
	FAULT(tx);
	STMT(tx, S_SESSION_DELETE);
	sqlite3_bind_blob(st, 1, h, 32, SQLITE_STATIC);
	return hh_sq_exec(tx, st);
}

static enum hh_rc session_purge(struct hh_tx *tx, int64_t now)
{
	FAULT(tx);
	STMT(tx, S_SESSION_PURGE);
	sqlite3_bind_int64(st, 1, now);
	return hh_sq_exec(tx, st);
}

static enum hh_rc session_touch(struct hh_tx *tx, const unsigned char h[32],
			    int64_t now)
{
	FAULT(tx);
	STMT(tx, S_SESSION_TOUCH);
	sqlite3_bind_blob(st, 1, h, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	return hh_sq_exec(tx, st);
}

/* ---- failed sign-ins ------------------------------------------------- */

static enum hh_rc signin_fail_get(struct hh_tx *tx, const unsigned char key[32],
				  int64_t *free_at)
{
	FAULT(tx);
	STMT(tx, S_SIGNIN_FAIL_GET);
	sqlite3_bind_blob(st, 1, key, 32, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	enum hh_rc r;
	if (rc == SQLITE_ROW) {
		*free_at = sqlite3_column_int64(st, 0);
		r = HH_OK;
	} else {
		r = rc == SQLITE_DONE ? HH_ERR_NOT_FOUND : hh_sq_map_rc(db_of(tx), rc);
	}
	done(st);
	return r;
}

static enum hh_rc signin_fail_put(struct hh_tx *tx, const unsigned char key[32],
				  int64_t free_at, int64_t now)
{
	FAULT(tx);
	enum hh_rc r;
	{
		STMT(tx, S_SIGNIN_FAIL_PRUNE);
		sqlite3_bind_int64(st, 1, now);
		r = hh_sq_exec(tx, st);
	}
	if (r != HH_OK)
		return r;
	STMT(tx, S_SIGNIN_FAIL_PUT);
	sqlite3_bind_blob(st, 1, key, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, free_at);
	return hh_sq_exec(tx, st);
}

static enum hh_rc signin_fail_clear(struct hh_tx *tx,
				    const unsigned char key[32])
{
	FAULT(tx);
	STMT(tx, S_SIGNIN_FAIL_CLEAR);
	sqlite3_bind_blob(st, 1, key, 32, SQLITE_STATIC);
	return hh_sq_exec(tx, st);
}

static enum hh_rc end_one(struct hh_tx *tx, enum stmt_id id, const char *v,
			  int64_t *ended)
{
	STMT(tx, id);
	bind_text(st, 1, v);
	enum hh_rc r = hh_sq_exec(tx, st);
	if (r == HH_OK)
		*ended += sqlite3_changes(db_of(tx));
	return r;
}

static enum hh_rc oidc_sessions_end(struct hh_tx *tx, const char *sid,
				    const char *subject, int64_t *ended)
{
	FAULT(tx);
	int64_t n = 0;
	if (!sid && !subject)
		return HH_ERR_INVALID;
	enum hh_rc r = end_one(tx, sid ? S_SESSION_END_SID : S_SESSION_END_SUB,
			       sid ? sid : subject, &n);
	if (r == HH_OK)
		r = end_one(tx, sid ? S_CSESS_END_SID : S_CSESS_END_SUB,
			    sid ? sid : subject, &n);
	if (ended)
		*ended = n;
	return r;
}

static enum hh_rc token_insert(struct hh_tx *tx, struct hh_api_token *t)
{
	FAULT(tx);
	STMT(tx, S_TOKEN_INSERT);
	sqlite3_bind_blob(st, 1, t->token_hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, t->org_id);
	bind_text(st, 3, t->name);
	sqlite3_bind_int(st, 4, (int)t->roles);
	if (!t->created_at)
		t->created_at = hh_now_us() / 1000000;
	sqlite3_bind_int64(st, 5, t->created_at);
	enum hh_rc r = hh_sq_exec(tx, st);
	if (r == HH_OK)
		t->id = sqlite3_last_insert_rowid(db_of(tx));
	return r;
}

static enum hh_rc token_row(struct hh_tx *tx, struct hh_arena *a,
			    sqlite3_stmt *st, struct hh_api_token *out)
{
	int rc = sqlite3_step(st);
	enum hh_rc r;
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		out->token_hash = col_blob(a, st, 1);
		out->org_id = sqlite3_column_int64(st, 2);
		out->name = col_text(a, st, 3);
		out->roles = (unsigned)sqlite3_column_int(st, 4);
		out->created_at = sqlite3_column_int64(st, 5);
		out->revoked = sqlite3_column_int(st, 6);
		r = HH_OK;
	} else {
		r = rc == SQLITE_DONE ? HH_ERR_NOT_FOUND : hh_sq_map_rc(db_of(tx), rc);
	}
	done(st);
	return r;
}

static enum hh_rc token_get(struct hh_tx *tx, struct hh_arena *a,
			    const unsigned char hash[32],
			    struct hh_api_token *out)
{
	FAULT(tx);
	STMT(tx, S_TOKEN_GET);
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	return token_row(tx, a, st, out);
}

static enum hh_rc token_get_by_id(struct hh_tx *tx, struct hh_arena *a,
				  int64_t id, struct hh_api_token *out)
{
	FAULT(tx);
	STMT(tx, S_TOKEN_GET_ID);
	sqlite3_bind_int64(st, 1, id);
	return token_row(tx, a, st, out);
}

void hh_sq_fill_orgs(struct hh_store *st)
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
