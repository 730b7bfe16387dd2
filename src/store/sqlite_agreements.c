/* sqlite_agreements.c - the SQLite backend: agreements signed by both
 * parties (store.h's agreements block, 0045_case_agreements.sql). Both
 * tables are append-only: there is no UPDATE here, and the migration's
 * triggers refuse one. */
#include "store/sqlite_int.h"

#define AGR_COLS                                                          \
	"id, case_id, version, content, hash, signers, proposed_by, "     \
	"proposed_by_citizen, proposed_at "
#define SIG_COLS "id, case_id, version, hash, signer, citizen_id, signed_at "

static const char *const stmt_sql[S__COUNT] = {
	[S_AGR_INSERT] =
		"INSERT INTO case_agreements(case_id, version, content, hash, "
		"signers, proposed_by, proposed_by_citizen, proposed_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[S_AGR_LIST] = "SELECT " AGR_COLS "FROM case_agreements "
		       "WHERE case_id = ?1 ORDER BY version",
	[S_SIG_INSERT] =
		"INSERT INTO case_agreement_signatures(case_id, version, hash, "
		"signer, citizen_id, signed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[S_SIG_LIST] = "SELECT " SIG_COLS "FROM case_agreement_signatures "
		       "WHERE case_id = ?1 ORDER BY version, id",
};

static void agr_row(struct hh_arena *a, sqlite3_stmt *st,
		    struct hh_agreement_version *v)
{
	v->id = sqlite3_column_int64(st, 0);
	v->case_id = sqlite3_column_int64(st, 1);
	v->version = sqlite3_column_int(st, 2);
	v->content = col_text(a, st, 3);
	v->hash = col_text(a, st, 4);
	v->signers = col_text(a, st, 5);
	v->proposed_by = col_text(a, st, 6);
	v->proposed_by_citizen = sqlite3_column_int64(st, 7);
	v->proposed_at = sqlite3_column_int64(st, 8);
}

static void sig_row(struct hh_arena *a, sqlite3_stmt *st,
		    struct hh_agreement_signature *s)
{
	s->id = sqlite3_column_int64(st, 0);
	s->case_id = sqlite3_column_int64(st, 1);
	s->version = sqlite3_column_int(st, 2);
	s->hash = col_text(a, st, 3);
	s->signer = col_text(a, st, 4);
	s->citizen_id = sqlite3_column_int64(st, 5);
	s->signed_at = sqlite3_column_int64(st, 6);
}

static enum hh_rc case_agreement_insert(struct hh_tx *tx,
					struct hh_agreement_version *v)
{
	FAULT(tx);
	STMT(tx, S_AGR_INSERT);
	sqlite3_bind_int64(st, 1, v->case_id);
	sqlite3_bind_int(st, 2, v->version);
	bind_text(st, 3, v->content);
	bind_text(st, 4, v->hash);
	bind_text(st, 5, v->signers);
	bind_text(st, 6, v->proposed_by);
	sqlite3_bind_int64(st, 7, v->proposed_by_citizen);
	sqlite3_bind_int64(st, 8, v->proposed_at);
	enum hh_rc r = hh_sq_exec(tx, st);
	if (r == HH_OK)
		v->id = sqlite3_last_insert_rowid(db_of(tx));
	return r;
}

static enum hh_rc case_agreement_list(struct hh_tx *tx, struct hh_arena *a,
				      int64_t case_id,
				      enum hh_rc (*cb)(void *ctx,
						       const struct hh_agreement_version *v),
				      void *ctx)
{
	FAULT(tx);
	STMT(tx, S_AGR_LIST);
	sqlite3_bind_int64(st, 1, case_id);
	MANY_ROWS(tx, st, struct hh_agreement_version, agr_row, a, cb, ctx);
}

static enum hh_rc case_signature_insert(struct hh_tx *tx,
					struct hh_agreement_signature *s)
{
	FAULT(tx);
	STMT(tx, S_SIG_INSERT);
	sqlite3_bind_int64(st, 1, s->case_id);
	sqlite3_bind_int(st, 2, s->version);
	bind_text(st, 3, s->hash);
	bind_text(st, 4, s->signer);
	sqlite3_bind_int64(st, 5, s->citizen_id);
	sqlite3_bind_int64(st, 6, s->signed_at);
	enum hh_rc r = hh_sq_exec(tx, st);
	if (r == HH_OK)
		s->id = sqlite3_last_insert_rowid(db_of(tx));
	return r;
}

static enum hh_rc case_signature_list(struct hh_tx *tx, struct hh_arena *a,
				      int64_t case_id,
				      enum hh_rc (*cb)(void *ctx,
						       const struct hh_agreement_signature *s),
				      void *ctx)
{
	FAULT(tx);
	STMT(tx, S_SIG_LIST);
	sqlite3_bind_int64(st, 1, case_id);
	MANY_ROWS(tx, st, struct hh_agreement_signature, sig_row, a, cb, ctx);
}

void hh_sq_fill_agreements(struct hh_store *st)
{
	st->case_agreement_insert = case_agreement_insert;
	st->case_agreement_list = case_agreement_list;
	st->case_signature_insert = case_signature_insert;
	st->case_signature_list = case_signature_list;
}
