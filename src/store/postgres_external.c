/* postgres_external.c - the PostgreSQL backend: other authorities' cases
 * as their own case systems report them (the port of
 * sqlite_external.c). */
#include "store/postgres_int.h"

#define EXT_COLS                                                          \
	"e.id, e.organisation_id, o.code, o.name, e.system, e.external_id, " \
	"e.cpr, e.cpr_key, e.cpr_hash, e.cpr_hash_key, e.title, e.state, "  \
	"e.citizen_text, e.deadline_at, e.self_service_url, e.version, "    \
	"e.sent_created_at, e.sent_updated_at, e.received_at, "             \
	"e.case_type, e.stage, e.facts "
#define EXT_FROM "FROM external_cases e JOIN organisations o ON o.id = e.organisation_id "

static const char *const stmt_sql[P__COUNT] = {
	[P_EXT_GET] = "SELECT " EXT_COLS EXT_FROM
		      "WHERE e.organisation_id = $1 AND e.system = $2 AND "
		      "e.external_id = $3",
	/* DO NOTHING: another instance reported the same case first
	 * (CONFLICT, the transaction goes on) */
	[P_EXT_INSERT] =
		"INSERT INTO external_cases(organisation_id, system, "
		"external_id, cpr, cpr_key, cpr_hash, cpr_hash_key, title, "
		"state, citizen_text, deadline_at, self_service_url, version, "
		"sent_created_at, sent_updated_at, received_at, case_type, stage, "
		"facts) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
		"$12, $13, $14, $15, $16, $17, $18, $19) "
		"ON CONFLICT DO NOTHING RETURNING id",
	/* the sender's order: only a newer version overwrites */
	[P_EXT_UPDATE] =
		"UPDATE external_cases SET cpr = $2, cpr_key = $3, "
		"cpr_hash = $4, cpr_hash_key = $5, title = $6, state = $7, "
		"citizen_text = $8, deadline_at = $9, self_service_url = $10, "
		"version = $11, sent_created_at = $12, sent_updated_at = $13, "
		"received_at = $14, case_type = $15, stage = $16, facts = $17 "
		"WHERE id = $1 AND version < $11",
	/* newest first: the sender's updated_at, else when helhed received
	 * it; the expression is the index's (0036), word for word */
	[P_EXT_LIST] = "SELECT " EXT_COLS EXT_FROM "WHERE e.cpr_hash = $1 "
		       "ORDER BY COALESCE(NULLIF(e.sent_updated_at, 0), "
		       "e.received_at) DESC, e.id DESC LIMIT $2",
	[P_EXT_SEAL_SCAN] = "SELECT " EXT_COLS EXT_FROM "WHERE e.id > $1 AND "
			    "(e.cpr_key IS DISTINCT FROM $2 OR "
			    "e.cpr_hash_key IS DISTINCT FROM $3) "
			    "ORDER BY e.id LIMIT $4",
	[P_EXT_SEAL_SET] = "UPDATE external_cases SET cpr = $2, cpr_key = $3, "
			   "cpr_hash = $4, cpr_hash_key = $5 WHERE id = $1",
	[P_CS_GET] = "SELECT c.id, c.organisation_id, o.code, c.system, "
		     "c.label, c.definition, c.updated_at FROM case_systems c "
		     "JOIN organisations o ON o.id = c.organisation_id "
		     "WHERE c.organisation_id = $1 AND c.system = $2",
	[P_CS_LIST] = "SELECT c.id, c.organisation_id, o.code, c.system, "
		      "c.label, c.definition, c.updated_at FROM case_systems c "
		      "JOIN organisations o ON o.id = c.organisation_id "
		      "WHERE c.organisation_id = $1 ORDER BY c.system COLLATE \"C\"",
	/* xmax = 0: the row is this statement's insert, not an update */
	[P_CS_PUT] = "INSERT INTO case_systems(organisation_id, system, label, "
		     "definition, updated_at) VALUES ($1, $2, $3, $4, $5) "
		     "ON CONFLICT (organisation_id, system) DO UPDATE SET "
		     "label = excluded.label, definition = excluded.definition, "
		     "updated_at = excluded.updated_at "
		     "RETURNING id, (xmax = 0)::int",
	[P_EXT_FU_COUNT] = "SELECT count(*) FROM external_followups WHERE "
			   "external_case_id = $1 AND rule = $2",
	[P_EXT_FU_PUT] = "INSERT INTO external_followups(external_case_id, "
			 "rule, case_id, started_at) VALUES ($1, $2, $3, $4) "
			 "ON CONFLICT DO NOTHING",
};

static void ext_row(struct hh_arena *a, const PGresult *r, int i,
		    struct hh_external_case *c)
{
	c->id = g_int(r, i, 0);
	c->org_id = g_int(r, i, 1);
	c->org_code = g_text(a, r, i, 2);
	c->org_name = g_text(a, r, i, 3);
	c->system = g_text(a, r, i, 4);
	c->external_id = g_text(a, r, i, 5);
	c->cpr = g_text(a, r, i, 6);
	c->cpr_key = g_text(a, r, i, 7);
	c->cpr_hash = hh_pg_blob(a, r, i, 8, NULL);
	c->cpr_hash_key = g_text(a, r, i, 9);
	c->title = g_text(a, r, i, 10);
	c->state = g_text(a, r, i, 11);
	c->citizen_text = g_text(a, r, i, 12);
	c->deadline_at = g_int(r, i, 13);
	c->self_service_url = g_text(a, r, i, 14);
	c->version = g_int(r, i, 15);
	c->sent_created_at = g_int(r, i, 16);
	c->sent_updated_at = g_int(r, i, 17);
	c->received_at = g_int(r, i, 18);
	c->case_type = g_text(a, r, i, 19);
	c->stage = g_text(a, r, i, 20);
	c->facts = g_text(a, r, i, 21);
}

static enum hh_rc external_case_get(struct hh_tx *tx, struct hh_arena *a,
				    int64_t org_id, const char *system,
				    const char *external_id,
				    struct hh_external_case *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, org_id);
	p_text(&p, system);
	p_text(&p, external_id);
	PG_ONE_ROW(tx, P_EXT_GET, &p, ext_row, a, out);
}

/* What an insert and an update both write, in this order. */
static void fields(struct pg_params *p, const struct hh_external_case *c)
{
	p_text(p, c->cpr);
	p_text(p, c->cpr_key);
	p_blob(p, c->cpr_hash, 32);
	p_text(p, c->cpr_hash_key);
	p_text(p, c->title);
	p_text(p, c->state);
	p_text(p, c->citizen_text);
	p_int(p, c->deadline_at);
	p_text(p, c->self_service_url);
	p_int(p, c->version);
	p_int(p, c->sent_created_at);
	p_int(p, c->sent_updated_at);
	p_int(p, c->received_at);
	p_text(p, c->case_type);
	p_text(p, c->stage);
	p_text(p, c->facts);
}

static enum hh_rc external_case_put(struct hh_tx *tx,
				    struct hh_external_case *c)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	if (!c->id) {
		p_int(&p, c->org_id);
		p_text(&p, c->system);
		p_text(&p, c->external_id);
		fields(&p, c);
		enum hh_rc rc = RUN_INT(tx, P_EXT_INSERT, &p, &c->id);
		return rc == HH_ERR_NOT_FOUND ? HH_ERR_CONFLICT : rc;
	}
	p_int(&p, c->id);
	fields(&p, c);
	int64_t changed = 0;
	enum hh_rc rc = RUN_CHANGED(tx, P_EXT_UPDATE, &p, &changed);
	return rc == HH_OK && changed != 1 ? HH_ERR_CONFLICT : rc;
}

static enum hh_rc external_case_list(struct hh_tx *tx, struct hh_arena *a,
				     const unsigned char hash[32], int limit,
				     enum hh_rc (*cb)(void *ctx,
						      const struct hh_external_case *c),
				     void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_blob(&p, hash, 32);
	p_limit(&p, limit);
	PG_MANY_ROWS(tx, P_EXT_LIST, &p, struct hh_external_case, ext_row, a,
		     cb, ctx);
}

static enum hh_rc external_seal_scan(struct hh_tx *tx, struct hh_arena *a,
				     int64_t after_id, const char *seal_key,
				     const char *hash_key, int limit,
				     enum hh_rc (*cb)(void *ctx,
						      const struct hh_external_case *c),
				     void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, after_id);
	p_text(&p, seal_key);
	p_text(&p, hash_key);
	p_int(&p, limit);
	PG_MANY_ROWS(tx, P_EXT_SEAL_SCAN, &p, struct hh_external_case, ext_row,
		     a, cb, ctx);
}

static enum hh_rc external_seal_set(struct hh_tx *tx,
				    const struct hh_external_case *c)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, c->id);
	p_text(&p, c->cpr);
	p_text(&p, c->cpr_key);
	p_blob(&p, c->cpr_hash, 32);
	p_text(&p, c->cpr_hash_key);
	return RUN(tx, P_EXT_SEAL_SET, &p, NULL);
}

/* ---- x-decl: declared case systems ---------------------------------- */

static void cs_row(struct hh_arena *a, const PGresult *r, int i,
		   struct hh_case_system *c)
{
	c->id = g_int(r, i, 0);
	c->org_id = g_int(r, i, 1);
	c->org_code = g_text(a, r, i, 2);
	c->system = g_text(a, r, i, 3);
	c->label = g_text(a, r, i, 4);
	c->definition = g_text(a, r, i, 5);
	c->updated_at = g_int(r, i, 6);
}

static enum hh_rc case_system_get(struct hh_tx *tx, struct hh_arena *a,
				  int64_t org_id, const char *system,
				  struct hh_case_system *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, org_id);
	p_text(&p, system);
	PG_ONE_ROW(tx, P_CS_GET, &p, cs_row, a, out);
}

static enum hh_rc case_system_list(struct hh_tx *tx, struct hh_arena *a,
				   int64_t org_id,
				   enum hh_rc (*cb)(void *ctx,
						    const struct hh_case_system *c),
				   void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, org_id);
	PG_MANY_ROWS(tx, P_CS_LIST, &p, struct hh_case_system, cs_row, a, cb, ctx);
}

static enum hh_rc case_system_put(struct hh_tx *tx, struct hh_case_system *c,
				  int *created)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, c->org_id);
	p_text(&p, c->system);
	p_text(&p, c->label);
	p_text(&p, c->definition);
	p_int(&p, c->updated_at);
	PGresult *res;
	enum hh_rc rc = RUN(tx, P_CS_PUT, &p, &res);
	if (rc != HH_OK)
		return rc;
	if (PQntuples(res) == 1) {
		c->id = g_int(res, 0, 0);
		if (created)
			*created = g_int(res, 0, 1) == 1;
	} else {
		rc = HH_ERR_INTERNAL;
	}
	PQclear(res);
	return rc;
}

/* ---- x-fix: what follow-up rules started --------------------------- */

static enum hh_rc external_followup_started(struct hh_tx *tx,
					    int64_t external_case_id,
					    const char *rule, int *yes)
{
	*yes = 0;
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, external_case_id);
	p_text(&p, rule);
	int64_t n = 0;
	enum hh_rc rc = RUN_INT(tx, P_EXT_FU_COUNT, &p, &n);
	*yes = n > 0;
	return rc;
}

static enum hh_rc external_followup_put(struct hh_tx *tx,
					int64_t external_case_id,
					const char *rule, int64_t case_id,
					int64_t at)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, external_case_id);
	p_text(&p, rule);
	p_int(&p, case_id);
	p_int(&p, at);
	int64_t changed = 0;
	enum hh_rc rc = RUN_CHANGED(tx, P_EXT_FU_PUT, &p, &changed);
	return rc == HH_OK && changed != 1 ? HH_ERR_CONFLICT : rc;
}

void hh_pg_fill_external(struct hh_store *st)
{
	st->external_followup_started = external_followup_started;
	st->external_followup_put = external_followup_put;
	st->case_system_get = case_system_get;
	st->case_system_put = case_system_put;
	st->case_system_list = case_system_list;
	st->external_seal_scan = external_seal_scan;
	st->external_seal_set = external_seal_set;
	st->external_case_get = external_case_get;
	st->external_case_put = external_case_put;
	st->external_case_list = external_case_list;
}
