/* sqlite_external.c - the SQLite backend: other authorities' cases as
 * their own case systems report them (store.h's x-ext block,
 * 0034_external_cases.sql). */
#include "store/sqlite_int.h"

#define EXT_COLS                                                          \
	"e.id, e.organisation_id, o.code, o.name, e.system, e.external_id, " \
	"e.cpr, e.cpr_key, e.cpr_hash, e.cpr_hash_key, e.title, e.state, "  \
	"e.citizen_text, e.deadline_at, e.self_service_url, e.version, "    \
	"e.sent_created_at, e.sent_updated_at, e.received_at, "             \
	"e.case_type, e.stage, e.facts "
#define EXT_FROM "FROM external_cases e JOIN organisations o ON o.id = e.organisation_id "

static const char *const stmt_sql[S__COUNT] = {
	[S_EXT_GET] = "SELECT " EXT_COLS EXT_FROM
		      "WHERE e.organisation_id = ?1 AND e.system = ?2 AND "
		      "e.external_id = ?3",
	[S_EXT_INSERT] =
		"INSERT INTO external_cases(organisation_id, system, "
		"external_id, cpr, cpr_key, cpr_hash, cpr_hash_key, title, "
		"state, citizen_text, deadline_at, self_service_url, version, "
		"sent_created_at, sent_updated_at, received_at, case_type, stage, "
		"facts) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
		"?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
	/* the sender's order: only a newer version overwrites */
	[S_EXT_UPDATE] =
		"UPDATE external_cases SET cpr = ?4, cpr_key = ?5, "
		"cpr_hash = ?6, cpr_hash_key = ?7, title = ?8, state = ?9, "
		"citizen_text = ?10, deadline_at = ?11, self_service_url = ?12, "
		"version = ?13, sent_created_at = ?14, sent_updated_at = ?15, "
		"received_at = ?16, case_type = ?17, stage = ?18, facts = ?19 "
		"WHERE id = ?1 AND version < ?13",
	/* newest first: the sender's updated_at, else when helhed received
	 * it; the expression is the index's (0036), word for word */
	[S_EXT_LIST] = "SELECT " EXT_COLS EXT_FROM "WHERE e.cpr_hash = ?1 "
		       "ORDER BY COALESCE(NULLIF(e.sent_updated_at, 0), "
		       "e.received_at) DESC, e.id DESC LIMIT ?2",
	[S_EXT_SEAL_SCAN] = "SELECT " EXT_COLS EXT_FROM "WHERE e.id > ?1 AND "
			    "(e.cpr_key IS NOT ?2 OR e.cpr_hash_key IS NOT ?3) "
			    "ORDER BY e.id LIMIT ?4",
	[S_EXT_SEAL_SET] = "UPDATE external_cases SET cpr = ?2, cpr_key = ?3, "
			   "cpr_hash = ?4, cpr_hash_key = ?5 WHERE id = ?1",
	[S_CS_GET] = "SELECT c.id, c.organisation_id, o.code, c.system, "
		     "c.label, c.definition, c.updated_at FROM case_systems c "
		     "JOIN organisations o ON o.id = c.organisation_id "
		     "WHERE c.organisation_id = ?1 AND c.system = ?2",
	[S_CS_LIST] = "SELECT c.id, c.organisation_id, o.code, c.system, "
		      "c.label, c.definition, c.updated_at FROM case_systems c "
		      "JOIN organisations o ON o.id = c.organisation_id "
		      "WHERE c.organisation_id = ?1 ORDER BY c.system",
	[S_CS_INSERT] = "INSERT INTO case_systems(organisation_id, system, "
			"label, definition, updated_at) VALUES (?1, ?2, ?3, ?4, "
			"?5) ON CONFLICT (organisation_id, system) DO NOTHING",
	[S_CS_UPDATE] = "UPDATE case_systems SET label = ?3, definition = ?4, "
			"updated_at = ?5 WHERE organisation_id = ?1 AND "
			"system = ?2 RETURNING id",
	[S_EXT_FU_COUNT] = "SELECT count(*) FROM external_followups WHERE "
			   "external_case_id = ?1 AND rule = ?2",
	[S_EXT_FU_PUT] = "INSERT INTO external_followups(external_case_id, "
			 "rule, case_id, started_at) VALUES (?1, ?2, ?3, ?4) "
			 "ON CONFLICT DO NOTHING",
};

static void ext_row(struct hh_arena *a, sqlite3_stmt *st,
		    struct hh_external_case *c)
{
	c->id = sqlite3_column_int64(st, 0);
	c->org_id = sqlite3_column_int64(st, 1);
	c->org_code = col_text(a, st, 2);
	c->org_name = col_text(a, st, 3);
	c->system = col_text(a, st, 4);
	c->external_id = col_text(a, st, 5);
	c->cpr = col_text(a, st, 6);
	c->cpr_key = col_text(a, st, 7);
	c->cpr_hash = col_blob(a, st, 8);
	c->cpr_hash_key = col_text(a, st, 9);
	c->title = col_text(a, st, 10);
	c->state = col_text(a, st, 11);
	c->citizen_text = col_text(a, st, 12);
	c->deadline_at = sqlite3_column_int64(st, 13);
	c->self_service_url = col_text(a, st, 14);
	c->version = sqlite3_column_int64(st, 15);
	c->sent_created_at = sqlite3_column_int64(st, 16);
	c->sent_updated_at = sqlite3_column_int64(st, 17);
	c->received_at = sqlite3_column_int64(st, 18);
	c->case_type = col_text(a, st, 19);
	c->stage = col_text(a, st, 20);
	c->facts = col_text(a, st, 21);
}

static enum hh_rc external_case_get(struct hh_tx *tx, struct hh_arena *a,
				    int64_t org_id, const char *system,
				    const char *external_id,
				    struct hh_external_case *out)
{
	FAULT(tx);
	STMT(tx, S_EXT_GET);
	sqlite3_bind_int64(st, 1, org_id);
	bind_text(st, 2, system);
	bind_text(st, 3, external_id);
	ONE_ROW(tx, st, ext_row, a, out);
}

/* ?4 .. ?19: what an insert and an update both write */
static void bind_fields(sqlite3_stmt *st, const struct hh_external_case *c)
{
	bind_text(st, 4, c->cpr);
	bind_text(st, 5, c->cpr_key);
	if (c->cpr_hash)
		sqlite3_bind_blob(st, 6, c->cpr_hash, 32, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 6);
	bind_text(st, 7, c->cpr_hash_key);
	bind_text(st, 8, c->title);
	bind_text(st, 9, c->state);
	bind_text(st, 10, c->citizen_text);
	sqlite3_bind_int64(st, 11, c->deadline_at);
	bind_text(st, 12, c->self_service_url);
	sqlite3_bind_int64(st, 13, c->version);
	sqlite3_bind_int64(st, 14, c->sent_created_at);
	sqlite3_bind_int64(st, 15, c->sent_updated_at);
	sqlite3_bind_int64(st, 16, c->received_at);
	bind_text(st, 17, c->case_type);
	bind_text(st, 18, c->stage);
	bind_text(st, 19, c->facts);
}

static enum hh_rc external_case_put(struct hh_tx *tx,
				    struct hh_external_case *c)
{
	FAULT(tx);
	if (!c->id) {
		STMT(tx, S_EXT_INSERT);
		sqlite3_bind_int64(st, 1, c->org_id);
		bind_text(st, 2, c->system);
		bind_text(st, 3, c->external_id);
		bind_fields(st, c);
		enum hh_rc r = hh_sq_exec(tx, st);
		if (r == HH_OK)
			c->id = sqlite3_last_insert_rowid(db_of(tx));
		return r;
	}
	STMT(tx, S_EXT_UPDATE);
	sqlite3_bind_int64(st, 1, c->id);
	bind_fields(st, c);
	enum hh_rc r = hh_sq_exec(tx, st);
	if (r == HH_OK && sqlite3_changes(db_of(tx)) != 1)
		r = HH_ERR_CONFLICT;
	return r;
}

static enum hh_rc external_case_list(struct hh_tx *tx, struct hh_arena *a,
				     const unsigned char hash[32], int limit,
				     enum hh_rc (*cb)(void *ctx,
						      const struct hh_external_case *c),
				     void *ctx)
{
	FAULT(tx);
	STMT(tx, S_EXT_LIST);
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, limit > 0 ? limit : -1);
	MANY_ROWS(tx, st, struct hh_external_case, ext_row, a, cb, ctx);
}

static enum hh_rc external_seal_scan(struct hh_tx *tx, struct hh_arena *a,
				     int64_t after_id, const char *seal_key,
				     const char *hash_key, int limit,
				     enum hh_rc (*cb)(void *ctx,
						      const struct hh_external_case *c),
				     void *ctx)
{
	FAULT(tx);
	STMT(tx, S_EXT_SEAL_SCAN);
	sqlite3_bind_int64(st, 1, after_id);
	bind_text(st, 2, seal_key);
	bind_text(st, 3, hash_key);
	sqlite3_bind_int(st, 4, limit);
	MANY_ROWS(tx, st, struct hh_external_case, ext_row, a, cb, ctx);
}

static enum hh_rc external_seal_set(struct hh_tx *tx,
				    const struct hh_external_case *c)
{
	FAULT(tx);
	STMT(tx, S_EXT_SEAL_SET);
	sqlite3_bind_int64(st, 1, c->id);
	bind_text(st, 2, c->cpr);
	bind_text(st, 3, c->cpr_key);
	sqlite3_bind_blob(st, 4, c->cpr_hash, 32, SQLITE_STATIC);
	bind_text(st, 5, c->cpr_hash_key);
	return hh_sq_exec(tx, st);
}

/* ---- x-decl: declared case systems ---------------------------------- */

static void cs_row(struct hh_arena *a, sqlite3_stmt *st,
		   struct hh_case_system *c)
{
	c->id = sqlite3_column_int64(st, 0);
	c->org_id = sqlite3_column_int64(st, 1);
	c->org_code = col_text(a, st, 2);
	c->system = col_text(a, st, 3);
	c->label = col_text(a, st, 4);
	c->definition = col_text(a, st, 5);
	c->updated_at = sqlite3_column_int64(st, 6);
}

static enum hh_rc case_system_get(struct hh_tx *tx, struct hh_arena *a,
				  int64_t org_id, const char *system,
				  struct hh_case_system *out)
{
	FAULT(tx);
	STMT(tx, S_CS_GET);
	sqlite3_bind_int64(st, 1, org_id);
	bind_text(st, 2, system);
	ONE_ROW(tx, st, cs_row, a, out);
}

static enum hh_rc case_system_list(struct hh_tx *tx, struct hh_arena *a,
				   int64_t org_id,
				   enum hh_rc (*cb)(void *ctx,
						    const struct hh_case_system *c),
				   void *ctx)
{
	FAULT(tx);
	STMT(tx, S_CS_LIST);
	sqlite3_bind_int64(st, 1, org_id);
	MANY_ROWS(tx, st, struct hh_case_system, cs_row, a, cb, ctx);
}

static void bind_cs(sqlite3_stmt *st, const struct hh_case_system *c)
{
	sqlite3_bind_int64(st, 1, c->org_id);
	bind_text(st, 2, c->system);
	bind_text(st, 3, c->label);
	bind_text(st, 4, c->definition);
	sqlite3_bind_int64(st, 5, c->updated_at);
}

static enum hh_rc case_system_put(struct hh_tx *tx, struct hh_case_system *c,
				  int *created)
{
	FAULT(tx);
	int made = 0;
	enum hh_rc r;
	{
		STMT(tx, S_CS_INSERT);
		bind_cs(st, c);
		r = hh_sq_exec(tx, st);
		if (r == HH_OK && sqlite3_changes(db_of(tx)) == 1) {
			c->id = sqlite3_last_insert_rowid(db_of(tx));
			made = 1;
		}
	}
	if (r == HH_OK && !made) {
		STMT(tx, S_CS_UPDATE);
		bind_cs(st, c);
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			c->id = sqlite3_column_int64(st, 0);
		r = rc == SQLITE_ROW	? HH_OK
		    : rc == SQLITE_DONE ? HH_ERR_CONFLICT
					: hh_sq_map_rc(db_of(tx), rc);
		done(st);
	}
	if (created)
		*created = made;
	return r;
}

/* ---- x-fix: what follow-up rules started --------------------------- */

static enum hh_rc external_followup_started(struct hh_tx *tx,
					    int64_t external_case_id,
					    const char *rule, int *yes)
{
	*yes = 0;
	FAULT(tx);
	STMT(tx, S_EXT_FU_COUNT);
	sqlite3_bind_int64(st, 1, external_case_id);
	bind_text(st, 2, rule);
	int64_t n = 0;
	enum hh_rc r = hh_sq_step_int64(tx, st, &n);
	*yes = n > 0;
	return r;
}

static enum hh_rc external_followup_put(struct hh_tx *tx,
					int64_t external_case_id,
					const char *rule, int64_t case_id,
					int64_t at)
{
	FAULT(tx);
	STMT(tx, S_EXT_FU_PUT);
	sqlite3_bind_int64(st, 1, external_case_id);
	bind_text(st, 2, rule);
	sqlite3_bind_int64(st, 3, case_id);
	sqlite3_bind_int64(st, 4, at);
	enum hh_rc r = hh_sq_exec(tx, st);
	if (r == HH_OK && sqlite3_changes(db_of(tx)) != 1)
		r = HH_ERR_CONFLICT;
	return r;
}

void hh_sq_fill_external(struct hh_store *st)
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
