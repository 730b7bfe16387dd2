/* sqlite_parties.c - the SQLite backend: the other parties to a case
 * (store.h's parties block, 0041_case_parties.sql). */
#include "store/sqlite_int.h"

#define PARTY_COLS                                                        \
	"id, case_id, position, role, confirm, citizen_id, cpr, cpr_key, " \
	"cpr_hash, cpr_hash_key, status, invited_at, expires_at, "        \
	"answered_at, version "

static const char *const stmt_sql[S__COUNT] = {
	[S_PARTY_INSERT] =
		"INSERT INTO case_parties(case_id, position, role, confirm, "
		"citizen_id, cpr, cpr_key, cpr_hash, cpr_hash_key, status, "
		"invited_at, expires_at, answered_at) VALUES (?1, ?2, ?3, ?4, "
		"nullif(?5, 0), ?6, ?7, ?8, ?9, ?10, ?11, nullif(?12, 0), "
		"nullif(?13, 0))",
	[S_PARTY_LIST] = "SELECT " PARTY_COLS "FROM case_parties "
			 "WHERE case_id = ?1 ORDER BY position",
	[S_PARTY_UPDATE] = "UPDATE case_parties SET status = ?2, "
			   "answered_at = nullif(?3, 0), version = version + 1 "
			   "WHERE id = ?1 AND version = ?4",
	[S_PARTY_OF_CITIZEN] = "SELECT " PARTY_COLS "FROM case_parties "
			       "WHERE citizen_id = ?1 ORDER BY id DESC LIMIT ?2",
	[S_PARTY_DUE] = "SELECT " PARTY_COLS "FROM case_parties "
			"WHERE status = 'invited' AND expires_at < ?1 "
			"ORDER BY expires_at, id LIMIT ?2",
	[S_PARTY_SEAL_SCAN] = "SELECT " PARTY_COLS "FROM case_parties "
			      "WHERE id > ?1 AND cpr IS NOT NULL AND "
			      "(cpr_key IS NOT ?2 OR cpr_hash_key IS NOT ?3) "
			      "ORDER BY id LIMIT ?4",
	[S_PARTY_SEAL_SET] = "UPDATE case_parties SET cpr = ?2, cpr_key = ?3, "
			     "cpr_hash = ?4, cpr_hash_key = ?5 WHERE id = ?1",
	/* p-letters (0046): a party found at their sign-in */
	[S_PARTY_UNCLAIMED] = "SELECT " PARTY_COLS "FROM case_parties "
			      "WHERE citizen_id IS NULL AND cpr_hash = ?1 ORDER BY id",
	[S_PARTY_CLAIM] = "UPDATE case_parties SET citizen_id = ?2, "
			  "version = version + 1 WHERE id = ?1 AND citizen_id IS NULL",
	/* 0042: name and address protection */
	[S_CIT_PROTECTED_GET] = "SELECT address_protected FROM citizens WHERE id = ?1",
	[S_CIT_PROTECTED_SET] = "UPDATE citizens SET address_protected = ?2 "
				"WHERE id = ?1",
};

static void party_row(struct hh_arena *a, sqlite3_stmt *st,
		      struct hh_case_party *p)
{
	p->id = sqlite3_column_int64(st, 0);
	p->case_id = sqlite3_column_int64(st, 1);
	p->position = sqlite3_column_int(st, 2);
	p->role = col_text(a, st, 3);
	p->confirm = sqlite3_column_int(st, 4);
	p->citizen_id = sqlite3_column_int64(st, 5);
	p->cpr = col_text(a, st, 6);
	p->cpr_key = col_text(a, st, 7);
	p->cpr_hash = col_blob(a, st, 8);
	p->cpr_hash_key = col_text(a, st, 9);
	p->status = col_text(a, st, 10);
	p->invited_at = sqlite3_column_int64(st, 11);
	p->expires_at = sqlite3_column_int64(st, 12);
	p->answered_at = sqlite3_column_int64(st, 13);
	p->version = sqlite3_column_int64(st, 14);
}

static enum hh_rc case_party_insert(struct hh_tx *tx, struct hh_case_party *p)
{
	FAULT(tx);
	STMT(tx, S_PARTY_INSERT);
	sqlite3_bind_int64(st, 1, p->case_id);
	sqlite3_bind_int(st, 2, p->position);
	bind_text(st, 3, p->role);
	sqlite3_bind_int(st, 4, p->confirm);
	sqlite3_bind_int64(st, 5, p->citizen_id);
	bind_text(st, 6, p->cpr);
	bind_text(st, 7, p->cpr_key);
	if (p->cpr_hash)
		sqlite3_bind_blob(st, 8, p->cpr_hash, 32, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 8);
	bind_text(st, 9, p->cpr_hash_key);
	bind_text(st, 10, p->status);
	sqlite3_bind_int64(st, 11, p->invited_at);
	sqlite3_bind_int64(st, 12, p->expires_at);
	sqlite3_bind_int64(st, 13, p->answered_at);
	enum hh_rc r = hh_sq_exec(tx, st);
	if (r == HH_OK) {
		p->id = sqlite3_last_insert_rowid(db_of(tx));
		p->version = 1;
	}
	return r;
}

static enum hh_rc case_party_list(struct hh_tx *tx, struct hh_arena *a,
				  int64_t case_id,
				  enum hh_rc (*cb)(void *ctx,
						   const struct hh_case_party *p),
				  void *ctx)
{
	FAULT(tx);
	STMT(tx, S_PARTY_LIST);
	sqlite3_bind_int64(st, 1, case_id);
	MANY_ROWS(tx, st, struct hh_case_party, party_row, a, cb, ctx);
}

static enum hh_rc case_party_update(struct hh_tx *tx,
				    const struct hh_case_party *p,
				    int64_t expected)
{
	FAULT(tx);
	STMT(tx, S_PARTY_UPDATE);
	sqlite3_bind_int64(st, 1, p->id);
	bind_text(st, 2, p->status);
	sqlite3_bind_int64(st, 3, p->answered_at);
	sqlite3_bind_int64(st, 4, expected);
	enum hh_rc r = hh_sq_exec(tx, st);
	if (r == HH_OK && sqlite3_changes(db_of(tx)) != 1)
		r = HH_ERR_CONFLICT;
	return r;
}

static enum hh_rc case_party_of_citizen(struct hh_tx *tx, struct hh_arena *a,
					int64_t citizen_id, int limit,
					enum hh_rc (*cb)(void *ctx,
							 const struct hh_case_party *p),
					void *ctx)
{
	FAULT(tx);
	STMT(tx, S_PARTY_OF_CITIZEN);
	sqlite3_bind_int64(st, 1, citizen_id);
	sqlite3_bind_int(st, 2, limit > 0 ? limit : -1);
	MANY_ROWS(tx, st, struct hh_case_party, party_row, a, cb, ctx);
}

static enum hh_rc case_party_due(struct hh_tx *tx, struct hh_arena *a,
				 int64_t now, int limit,
				 enum hh_rc (*cb)(void *ctx,
						  const struct hh_case_party *p),
				 void *ctx)
{
	FAULT(tx);
	STMT(tx, S_PARTY_DUE);
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int(st, 2, limit > 0 ? limit : -1);
	MANY_ROWS(tx, st, struct hh_case_party, party_row, a, cb, ctx);
}

static enum hh_rc case_party_seal_scan(struct hh_tx *tx, struct hh_arena *a,
					int64_t after_id, const char *seal_key,
					const char *hash_key, int limit,
					enum hh_rc (*cb)(void *ctx,
							 const struct hh_case_party *p),
					void *ctx)
{
	FAULT(tx);
	STMT(tx, S_PARTY_SEAL_SCAN);
	sqlite3_bind_int64(st, 1, after_id);
	bind_text(st, 2, seal_key);
	bind_text(st, 3, hash_key);
	sqlite3_bind_int(st, 4, limit > 0 ? limit : -1);
	MANY_ROWS(tx, st, struct hh_case_party, party_row, a, cb, ctx);
}

static enum hh_rc case_party_seal_set(struct hh_tx *tx,
				      const struct hh_case_party *p)
{
	FAULT(tx);
	STMT(tx, S_PARTY_SEAL_SET);
	sqlite3_bind_int64(st, 1, p->id);
	bind_text(st, 2, p->cpr);
	bind_text(st, 3, p->cpr_key);
	if (p->cpr_hash)
		sqlite3_bind_blob(st, 4, p->cpr_hash, 32, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 4);
	bind_text(st, 5, p->cpr_hash_key);
	return hh_sq_exec(tx, st);
}

static enum hh_rc case_party_unclaimed(struct hh_tx *tx, struct hh_arena *a,
					const unsigned char *hash,
					enum hh_rc (*cb)(void *ctx,
							 const struct hh_case_party *p),
					void *ctx)
{
	FAULT(tx);
	STMT(tx, S_PARTY_UNCLAIMED);
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	MANY_ROWS(tx, st, struct hh_case_party, party_row, a, cb, ctx);
}

static enum hh_rc case_party_claim(struct hh_tx *tx, int64_t id, int64_t citizen_id)
{
	FAULT(tx);
	STMT(tx, S_PARTY_CLAIM);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, citizen_id);
	enum hh_rc r = hh_sq_exec(tx, st);
	if (r == HH_OK && sqlite3_changes(db_of(tx)) != 1)
		r = HH_ERR_CONFLICT;
	return r;
}

static enum hh_rc citizen_protected_get(struct hh_tx *tx, int64_t id, int *on)
{
	FAULT(tx);
	STMT(tx, S_CIT_PROTECTED_GET);
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	*on = rc == SQLITE_ROW && sqlite3_column_int(st, 0) != 0;
	enum hh_rc r = rc == SQLITE_ROW || rc == SQLITE_DONE
			       ? HH_OK
			       : hh_sq_map_rc(db_of(tx), rc);
	done(st);
	return r;
}

static enum hh_rc citizen_protected_set(struct hh_tx *tx, int64_t id, int on)
{
	FAULT(tx);
	STMT(tx, S_CIT_PROTECTED_SET);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, on ? 1 : 0);
	return hh_sq_exec(tx, st);
}

void hh_sq_fill_parties(struct hh_store *st)
{
	st->citizen_protected_get = citizen_protected_get;
	st->citizen_protected_set = citizen_protected_set;
	st->case_party_seal_scan = case_party_seal_scan;
	st->case_party_unclaimed = case_party_unclaimed;
	st->case_party_claim = case_party_claim;
	st->case_party_seal_set = case_party_seal_set;
	st->case_party_insert = case_party_insert;
	st->case_party_list = case_party_list;
	st->case_party_update = case_party_update;
	st->case_party_of_citizen = case_party_of_citizen;
	st->case_party_due = case_party_due;
}
