/* postgres_agreements.c - the PostgreSQL backend: agreements signed by
 * both parties (the port of sqlite_agreements.c). Append-only: no
 * UPDATE here, and the migration's triggers refuse one. */
#include "store/postgres_int.h"

#define AGR_COLS                                                          \
	"id, case_id, version, content, hash, signers, proposed_by, "     \
	"proposed_by_citizen, proposed_at "
#define SIG_COLS "id, case_id, version, hash, signer, citizen_id, signed_at "

static const char *const stmt_sql[P__COUNT] = {
	[P_AGR_INSERT] =
		"INSERT INTO case_agreements(case_id, version, content, hash, "
		"signers, proposed_by, proposed_by_citizen, proposed_at) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
	[P_AGR_LIST] = "SELECT " AGR_COLS "FROM case_agreements "
		       "WHERE case_id = $1 ORDER BY version",
	[P_SIG_INSERT] =
		"INSERT INTO case_agreement_signatures(case_id, version, hash, "
		"signer, citizen_id, signed_at) VALUES ($1, $2, $3, $4, $5, $6) "
		"RETURNING id",
	[P_SIG_LIST] = "SELECT " SIG_COLS "FROM case_agreement_signatures "
		       "WHERE case_id = $1 ORDER BY version, id",
};

static void agr_row(struct hh_arena *a, const PGresult *r, int i,
		    struct hh_agreement_version *v)
{
	v->id = g_int(r, i, 0);
	v->case_id = g_int(r, i, 1);
	v->version = (int)g_int(r, i, 2);
	v->content = g_text(a, r, i, 3);
	v->hash = g_text(a, r, i, 4);
	v->signers = g_text(a, r, i, 5);
	v->proposed_by = g_text(a, r, i, 6);
	v->proposed_by_citizen = g_int(r, i, 7);
	v->proposed_at = g_int(r, i, 8);
}

static void sig_row(struct hh_arena *a, const PGresult *r, int i,
		    struct hh_agreement_signature *s)
{
	s->id = g_int(r, i, 0);
	s->case_id = g_int(r, i, 1);
	s->version = (int)g_int(r, i, 2);
	s->hash = g_text(a, r, i, 3);
	s->signer = g_text(a, r, i, 4);
	s->citizen_id = g_int(r, i, 5);
	s->signed_at = g_int(r, i, 6);
}

static enum hh_rc case_agreement_insert(struct hh_tx *tx,
					struct hh_agreement_version *v)
{
	FAULT(tx);
	struct pg_params q = { 0 };
	p_int(&q, v->case_id);
	p_int(&q, v->version);
	p_text(&q, v->content);
	p_text(&q, v->hash);
	p_text(&q, v->signers);
	p_text(&q, v->proposed_by);
	p_int(&q, v->proposed_by_citizen);
	p_int(&q, v->proposed_at);
	return RUN_INT(tx, P_AGR_INSERT, &q, &v->id);
}

static enum hh_rc case_agreement_list(struct hh_tx *tx, struct hh_arena *a,
				      int64_t case_id,
				      enum hh_rc (*cb)(void *ctx,
						       const struct hh_agreement_version *v),
				      void *ctx)
{
	FAULT(tx);
	struct pg_params q = { 0 };
	p_int(&q, case_id);
	PG_MANY_ROWS(tx, P_AGR_LIST, &q, struct hh_agreement_version, agr_row, a,
		     cb, ctx);
}

static enum hh_rc case_signature_insert(struct hh_tx *tx,
					struct hh_agreement_signature *s)
{
	FAULT(tx);
	struct pg_params q = { 0 };
	p_int(&q, s->case_id);
	p_int(&q, s->version);
	p_text(&q, s->hash);
	p_text(&q, s->signer);
	p_int(&q, s->citizen_id);
	p_int(&q, s->signed_at);
	return RUN_INT(tx, P_SIG_INSERT, &q, &s->id);
}

static enum hh_rc case_signature_list(struct hh_tx *tx, struct hh_arena *a,
				      int64_t case_id,
				      enum hh_rc (*cb)(void *ctx,
						       const struct hh_agreement_signature *s),
				      void *ctx)
{
	FAULT(tx);
	struct pg_params q = { 0 };
	p_int(&q, case_id);
	PG_MANY_ROWS(tx, P_SIG_LIST, &q, struct hh_agreement_signature, sig_row,
		     a, cb, ctx);
}

void hh_pg_fill_agreements(struct hh_store *st)
{
	st->case_agreement_insert = case_agreement_insert;
	st->case_agreement_list = case_agreement_list;
	st->case_signature_insert = case_signature_insert;
	st->case_signature_list = case_signature_list;
}
