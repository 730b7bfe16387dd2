/* postgres_parties.c - the PostgreSQL backend: the other parties to a
 * case (the port of sqlite_parties.c). */
#include "store/postgres_int.h"

#define PARTY_COLS                                                        \
	"id, case_id, position, role, confirm, citizen_id, cpr, cpr_key, " \
	"cpr_hash, cpr_hash_key, status, invited_at, expires_at, "        \
	"answered_at, version "

static const char *const stmt_sql[P__COUNT] = {
	[P_PARTY_INSERT] =
		"INSERT INTO case_parties(case_id, position, role, confirm, "
		"citizen_id, cpr, cpr_key, cpr_hash, cpr_hash_key, status, "
		"invited_at, expires_at, answered_at) VALUES ($1, $2, $3, $4, "
		"nullif($5::bigint, 0), $6, $7, $8, $9, $10, $11, "
		"nullif($12::bigint, 0), nullif($13::bigint, 0)) RETURNING id",
	[P_PARTY_LIST] = "SELECT " PARTY_COLS "FROM case_parties "
			 "WHERE case_id = $1 ORDER BY position",
	[P_PARTY_UPDATE] = "UPDATE case_parties SET status = $2, "
			   "answered_at = nullif($3::bigint, 0), "
			   "version = version + 1 WHERE id = $1 AND version = $4",
	[P_PARTY_OF_CITIZEN] = "SELECT " PARTY_COLS "FROM case_parties "
			       "WHERE citizen_id = $1 ORDER BY id DESC LIMIT $2",
	[P_PARTY_DUE] = "SELECT " PARTY_COLS "FROM case_parties "
			"WHERE status = 'invited' AND expires_at < $1 "
			"ORDER BY expires_at, id LIMIT $2",
	[P_PARTY_SEAL_SCAN] = "SELECT " PARTY_COLS "FROM case_parties "
			      "WHERE id > $1 AND cpr IS NOT NULL AND "
			      "(cpr_key IS DISTINCT FROM $2 OR "
			      "cpr_hash_key IS DISTINCT FROM $3) "
			      "ORDER BY id LIMIT $4",
	[P_PARTY_SEAL_SET] = "UPDATE case_parties SET cpr = $2, cpr_key = $3, "
			     "cpr_hash = $4, cpr_hash_key = $5 WHERE id = $1",
	/* p-letters (0046): a party found at their sign-in */
	[P_PARTY_UNCLAIMED] = "SELECT " PARTY_COLS "FROM case_parties "
			      "WHERE citizen_id IS NULL AND cpr_hash = $1 ORDER BY id",
	[P_PARTY_CLAIM] = "UPDATE case_parties SET citizen_id = $2, "
			  "version = version + 1 WHERE id = $1 AND citizen_id IS NULL",
	/* 0042: name and address protection */
	[P_CIT_PROTECTED_GET] = "SELECT address_protected FROM citizens WHERE id = $1",
	[P_CIT_PROTECTED_SET] = "UPDATE citizens SET address_protected = $2 "
				"WHERE id = $1",
};

static void party_row(struct hh_arena *a, const PGresult *r, int i,
		      struct hh_case_party *p)
{
	p->id = g_int(r, i, 0);
	p->case_id = g_int(r, i, 1);
	p->position = (int)g_int(r, i, 2);
	p->role = g_text(a, r, i, 3);
	p->confirm = (int)g_int(r, i, 4);
	p->citizen_id = g_int(r, i, 5);
	p->cpr = g_text(a, r, i, 6);
	p->cpr_key = g_text(a, r, i, 7);
	p->cpr_hash = hh_pg_blob(a, r, i, 8, NULL);
	p->cpr_hash_key = g_text(a, r, i, 9);
	p->status = g_text(a, r, i, 10);
	p->invited_at = g_int(r, i, 11);
	p->expires_at = g_int(r, i, 12);
	p->answered_at = g_int(r, i, 13);
	p->version = g_int(r, i, 14);
}

static enum hh_rc case_party_insert(struct hh_tx *tx, struct hh_case_party *p)
{
	FAULT(tx);
	struct pg_params q = { 0 };
	p_int(&q, p->case_id);
	p_int(&q, p->position);
	p_text(&q, p->role);
	p_int(&q, p->confirm);
	p_int(&q, p->citizen_id);
	p_text(&q, p->cpr);
	p_text(&q, p->cpr_key);
	p_blob(&q, p->cpr_hash, 32);
	p_text(&q, p->cpr_hash_key);
	p_text(&q, p->status);
	p_int(&q, p->invited_at);
	p_int(&q, p->expires_at);
	p_int(&q, p->answered_at);
	enum hh_rc rc = RUN_INT(tx, P_PARTY_INSERT, &q, &p->id);
	if (rc == HH_OK)
		p->version = 1;
	return rc;
}

static enum hh_rc case_party_list(struct hh_tx *tx, struct hh_arena *a,
				  int64_t case_id,
				  enum hh_rc (*cb)(void *ctx,
						   const struct hh_case_party *p),
				  void *ctx)
{
	FAULT(tx);
	struct pg_params q = { 0 };
	p_int(&q, case_id);
	PG_MANY_ROWS(tx, P_PARTY_LIST, &q, struct hh_case_party, party_row, a,
		     cb, ctx);
}

static enum hh_rc case_party_update(struct hh_tx *tx,
				    const struct hh_case_party *p,
				    int64_t expected)
{
	FAULT(tx);
	struct pg_params q = { 0 };
	p_int(&q, p->id);
	p_text(&q, p->status);
	p_int(&q, p->answered_at);
	p_int(&q, expected);
	int64_t changed = 0;
	enum hh_rc rc = RUN_CHANGED(tx, P_PARTY_UPDATE, &q, &changed);
	return rc == HH_OK && changed != 1 ? HH_ERR_CONFLICT : rc;
}

static enum hh_rc case_party_of_citizen(struct hh_tx *tx, struct hh_arena *a,
					int64_t citizen_id, int limit,
					enum hh_rc (*cb)(void *ctx,
							 const struct hh_case_party *p),
					void *ctx)
{
	FAULT(tx);
	struct pg_params q = { 0 };
	p_int(&q, citizen_id);
	p_limit(&q, limit);
	PG_MANY_ROWS(tx, P_PARTY_OF_CITIZEN, &q, struct hh_case_party, party_row,
		     a, cb, ctx);
}

static enum hh_rc case_party_due(struct hh_tx *tx, struct hh_arena *a,
				 int64_t now, int limit,
				 enum hh_rc (*cb)(void *ctx,
						  const struct hh_case_party *p),
				 void *ctx)
{
	FAULT(tx);
	struct pg_params q = { 0 };
	p_int(&q, now);
	p_limit(&q, limit);
	PG_MANY_ROWS(tx, P_PARTY_DUE, &q, struct hh_case_party, party_row, a, cb,
		     ctx);
}

static enum hh_rc case_party_seal_scan(struct hh_tx *tx, struct hh_arena *a,
					int64_t after_id, const char *seal_key,
					const char *hash_key, int limit,
					enum hh_rc (*cb)(void *ctx,
							 const struct hh_case_party *p),
					void *ctx)
{
	FAULT(tx);
	struct pg_params q = { 0 };
	p_int(&q, after_id);
	p_text(&q, seal_key);
	p_text(&q, hash_key);
	p_limit(&q, limit);
	PG_MANY_ROWS(tx, P_PARTY_SEAL_SCAN, &q, struct hh_case_party, party_row,
		     a, cb, ctx);
}

static enum hh_rc case_party_seal_set(struct hh_tx *tx,
				      const struct hh_case_party *p)
{
	FAULT(tx);
	struct pg_params q = { 0 };
	p_int(&q, p->id);
	p_text(&q, p->cpr);
	p_text(&q, p->cpr_key);
	p_blob(&q, p->cpr_hash, 32);
	p_text(&q, p->cpr_hash_key);
	int64_t changed = 0;
	return RUN_CHANGED(tx, P_PARTY_SEAL_SET, &q, &changed);
}

static enum hh_rc case_party_unclaimed(struct hh_tx *tx, struct hh_arena *a,
					const unsigned char *hash,
					enum hh_rc (*cb)(void *ctx,
							 const struct hh_case_party *p),
					void *ctx)
{
	FAULT(tx);
	struct pg_params q = { 0 };
	p_blob(&q, hash, 32);
	PG_MANY_ROWS(tx, P_PARTY_UNCLAIMED, &q, struct hh_case_party, party_row, a,
		     cb, ctx);
}

static enum hh_rc case_party_claim(struct hh_tx *tx, int64_t id, int64_t citizen_id)
{
	FAULT(tx);
	struct pg_params q = { 0 };
	p_int(&q, id);
	p_int(&q, citizen_id);
	int64_t changed = 0;
	enum hh_rc rc = RUN_CHANGED(tx, P_PARTY_CLAIM, &q, &changed);
	return rc == HH_OK && changed != 1 ? HH_ERR_CONFLICT : rc;
}

static enum hh_rc citizen_protected_get(struct hh_tx *tx, int64_t id, int *on)
{
	FAULT(tx);
	struct pg_params q = { 0 };
	p_int(&q, id);
	int64_t v = 0;
	enum hh_rc rc = RUN_INT(tx, P_CIT_PROTECTED_GET, &q, &v);
	*on = rc == HH_OK && v != 0;
	return rc == HH_ERR_NOT_FOUND ? HH_OK : rc;
}

static enum hh_rc citizen_protected_set(struct hh_tx *tx, int64_t id, int on)
{
	FAULT(tx);
	struct pg_params q = { 0 };
	p_int(&q, id);
	p_int(&q, on ? 1 : 0);
	int64_t changed = 0;
	return RUN_CHANGED(tx, P_CIT_PROTECTED_SET, &q, &changed);
}

void hh_pg_fill_parties(struct hh_store *st)
{
	st->citizen_protected_get = citizen_protected_get;
	st->citizen_protected_set = citizen_protected_set;
	st->case_party_seal_scan = case_party_seal_scan;
	st->case_party_seal_set = case_party_seal_set;
	st->case_party_unclaimed = case_party_unclaimed;
	st->case_party_claim = case_party_claim;
	st->case_party_insert = case_party_insert;
	st->case_party_list = case_party_list;
	st->case_party_update = case_party_update;
	st->case_party_of_citizen = case_party_of_citizen;
	st->case_party_due = case_party_due;
}
