/* sqlite_proposals.c - the SQLite backend: proposals to the shared
 * knowledge base, synonyms and pinned queries (store.h's s-edit blocks,
 * 0024_article_proposals.sql, 0025_synonyms_pins.sql). */
#include "store/sqlite_int.h"
#include "store/proposal_state.h"

#define PROPOSAL_COLS                                                         \
	"p.id, p.article_id, p.base_version, p.organisation_id, o.name, "     \
	"a.slug, p.proposed_by, p.proposer_name, p.title, p.summary, "        \
	"p.body_md, p.keywords, p.kle, p.audience, p.note, p.state, "         \
	"p.created_at, ifnull(p.decided_at, 0), p.decided_by, "               \
	"p.decider_name, p.reason, ifnull(p.accepted_version, 0) "
#define PROPOSAL_FROM                                                         \
	"FROM article_proposals p JOIN articles a ON a.id = p.article_id "    \
	"JOIN organisations o ON o.id = p.organisation_id "

static const char *const stmt_sql[S__COUNT] = {
	[S_PROPOSAL_INSERT] =
		"INSERT INTO article_proposals(article_id, base_version, "
		"organisation_id, proposed_by, proposer_name, title, summary, "
		"body_md, keywords, kle, audience, note, state, created_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
		"'open', ?13)",
	[S_PROPOSAL_GET] = "SELECT " PROPOSAL_COLS PROPOSAL_FROM "WHERE p.id = ?1",
	[S_PROPOSAL_DECIDE] =
		"UPDATE article_proposals SET state = ?2, decided_at = ?3, "
		"decided_by = ?4, decider_name = ?5, reason = ?6, "
		"accepted_version = nullif(?7, 0) WHERE id = ?1 AND state = 'open'",
	[S_PROPOSAL_LIST] =
		"SELECT " PROPOSAL_COLS PROPOSAL_FROM
		"WHERE (?1 = '' OR p.state = ?1) AND (?2 = 0 OR "
		"p.organisation_id = ?2) AND (?3 = 0 OR p.article_id = ?3) "
		"ORDER BY p.id DESC LIMIT 500",
};

static void proposal_row(struct hh_arena *a, sqlite3_stmt *st,
			 struct hh_proposal *p)
{
	p->id = sqlite3_column_int64(st, 0);
	p->article_id = sqlite3_column_int64(st, 1);
	p->base_version = sqlite3_column_int64(st, 2);
	p->org_id = sqlite3_column_int64(st, 3);
	p->org_name = col_text(a, st, 4);
	p->slug = col_text(a, st, 5);
	p->proposed_by = col_text(a, st, 6);
	p->proposer_name = col_text(a, st, 7);
	p->title = col_text(a, st, 8);
	p->summary = col_text(a, st, 9);
	p->body_md = col_text(a, st, 10);
	p->keywords = col_text(a, st, 11);
	p->kle = col_text(a, st, 12);
	const char *aud = (const char *)sqlite3_column_text(st, 13);
	p->audience = aud && !strcmp(aud, "staff") ? HH_AUDIENCE_STAFF
						   : HH_AUDIENCE_CITIZEN;
	p->note = col_text(a, st, 14);
	p->state = proposal_state_parse(
		(const char *)sqlite3_column_text(st, 15));
	p->created_at = sqlite3_column_int64(st, 16);
	p->decided_at = sqlite3_column_int64(st, 17);
	p->decided_by = col_text(a, st, 18);
	p->decider_name = col_text(a, st, 19);
	p->reason = col_text(a, st, 20);
	p->accepted_version = sqlite3_column_int64(st, 21);
}

static enum hh_rc proposal_insert(struct hh_tx *tx, struct hh_proposal *p)
{
	FAULT(tx);
	STMT(tx, S_PROPOSAL_INSERT);
	sqlite3_bind_int64(st, 1, p->article_id);
	sqlite3_bind_int64(st, 2, p->base_version);
	sqlite3_bind_int64(st, 3, p->org_id);
	bind_text(st, 4, p->proposed_by);
	bind_text(st, 5, p->proposer_name);
	bind_text(st, 6, p->title);
	bind_text(st, 7, p->summary);
	bind_text(st, 8, p->body_md);
	bind_text(st, 9, p->keywords);
	bind_text(st, 10, p->kle);
	bind_text(st, 11, p->audience == HH_AUDIENCE_STAFF ? "staff" : "citizen");
	bind_text(st, 12, p->note);
	sqlite3_bind_int64(st, 13, p->created_at);
	enum hh_rc r = hh_sq_exec(tx, st);
	if (r == HH_OK) {
		p->id = sqlite3_last_insert_rowid(db_of(tx));
		p->state = HH_PROPOSAL_OPEN;
	}
	return r;
}

static enum hh_rc proposal_get(struct hh_tx *tx, struct hh_arena *a, int64_t id,
			       struct hh_proposal *out)
{
	FAULT(tx);
	STMT(tx, S_PROPOSAL_GET);
	sqlite3_bind_int64(st, 1, id);
	ONE_ROW(tx, st, proposal_row, a, out);
}

static enum hh_rc proposal_decide(struct hh_tx *tx, const struct hh_proposal *p)
{
	FAULT(tx);
	STMT(tx, S_PROPOSAL_DECIDE);
	sqlite3_bind_int64(st, 1, p->id);
	bind_text(st, 2, proposal_state_name(p->state));
	sqlite3_bind_int64(st, 3, p->decided_at);
	bind_text(st, 4, p->decided_by);
	bind_text(st, 5, p->decider_name);
	bind_text(st, 6, p->reason);
	sqlite3_bind_int64(st, 7, p->accepted_version);
	enum hh_rc r = hh_sq_exec(tx, st);
	if (r == HH_OK && sqlite3_changes(db_of(tx)) != 1)
		r = HH_ERR_CONFLICT;
	return r;
}

static enum hh_rc proposal_list(struct hh_tx *tx, struct hh_arena *a,
				enum hh_proposal_state state, int64_t org_id,
				int64_t article_id,
				enum hh_rc (*cb)(void *ctx,
						 const struct hh_proposal *p),
				void *ctx)
{
	FAULT(tx);
	STMT(tx, S_PROPOSAL_LIST);
	bind_text(st, 1, state ? proposal_state_name(state) : "");
	sqlite3_bind_int64(st, 2, org_id);
	sqlite3_bind_int64(st, 3, article_id);
	MANY_ROWS(tx, st, struct hh_proposal, proposal_row, a, cb, ctx);
}

void hh_sq_fill_proposals(struct hh_store *st)
{
	st->proposal_insert = proposal_insert;
	st->proposal_get = proposal_get;
	st->proposal_decide = proposal_decide;
	st->proposal_list = proposal_list;
}

/* ---- synonyms and pins (s-edit, 0025_synonyms_pins.sql) ----------------- */

static const char *const tune_sql[S__COUNT] = {
	[S_SYNONYM_INSERT] =
		"INSERT INTO synonyms(rule, created_at, created_by) "
		"VALUES (?1, ?2, ?3)",
	[S_SYNONYM_LIST] = "SELECT id, rule FROM synonyms WHERE removed_at IS "
			   "NULL ORDER BY id",
	/* s-tune: 0028_synonym_removal.sql */
	[S_SYNONYM_GET] = "SELECT rule FROM synonyms WHERE id = ?1 AND "
			  "removed_at IS NULL",
	[S_SYNONYM_REMOVE] = "UPDATE synonyms SET removed_at = ?2, removed_by = ?3 "
			     "WHERE id = ?1 AND removed_at IS NULL",
	[S_SYNONYM_REVIVE] = "UPDATE synonyms SET removed_at = NULL, removed_by = "
			     "NULL, created_at = ?2, created_by = ?3 WHERE rule "
			     "= ?1 AND removed_at IS NOT NULL RETURNING id",
	[S_PIN_PUT] =
		"INSERT INTO search_pins(organisation_id, query, article_id, "
		"created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5) "
		"ON CONFLICT(organisation_id, query) DO UPDATE SET "
		"article_id = ?3, created_at = ?4, created_by = ?5 "
		"RETURNING id", /* pg-port: the id of a pin replaced too */
	[S_PIN_DELETE] =
		"DELETE FROM search_pins WHERE organisation_id = ?1 AND query = ?2",
	[S_PIN_LIST] =
		"SELECT p.id, p.organisation_id, o.code, p.query, p.article_id, "
		"p.created_at, p.created_by FROM search_pins p JOIN organisations "
		"o ON o.id = p.organisation_id ORDER BY p.id",
};

#define TUNE_STMT(tx, id) \
	sqlite3_stmt *st = hh_sq_stmt(tx, id, tune_sql[id]); \
	if (!st) \
		return HH_ERR_INTERNAL

static enum hh_rc synonym_insert(struct hh_tx *tx, const char *rule,
				 int64_t at, const char *by, int64_t *id)
{
	FAULT(tx);
	TUNE_STMT(tx, S_SYNONYM_INSERT);
	bind_text(st, 1, rule);
	sqlite3_bind_int64(st, 2, at);
	bind_text(st, 3, by);
	enum hh_rc r = hh_sq_exec(tx, st);
	if (r == HH_OK && id)
		*id = sqlite3_last_insert_rowid(db_of(tx));
	return r;
}

static enum hh_rc synonym_list(struct hh_tx *tx, struct hh_arena *a,
			       enum hh_rc (*cb)(void *ctx, int64_t id,
						const char *rule),
			       void *ctx)
{
	FAULT(tx);
	TUNE_STMT(tx, S_SYNONYM_LIST);
	enum hh_rc r = HH_OK;
	int rc;
	while (r == HH_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		r = cb(ctx, sqlite3_column_int64(st, 0), col_text(a, st, 1));
	if (r == HH_OK && rc != SQLITE_DONE)
		r = hh_sq_map_rc(db_of(tx), rc);
	done(st);
	return r;
}

static enum hh_rc pin_put(struct hh_tx *tx, struct hh_search_pin *p)
{
	FAULT(tx);
	TUNE_STMT(tx, S_PIN_PUT);
	sqlite3_bind_int64(st, 1, p->org_id);
	bind_text(st, 2, p->query);
	sqlite3_bind_int64(st, 3, p->article_id);
	sqlite3_bind_int64(st, 4, p->created_at);
	bind_text(st, 5, p->created_by);
	/* pg-port: RETURNING, not last_insert_rowid, which an upsert that
	 * replaced a pin leaves at whatever was inserted last */
	return hh_sq_step_int64(tx, st, &p->id);
}

static enum hh_rc pin_delete(struct hh_tx *tx, int64_t org_id,
			     const char *query)
{
	FAULT(tx);
	TUNE_STMT(tx, S_PIN_DELETE);
	sqlite3_bind_int64(st, 1, org_id);
	bind_text(st, 2, query);
	enum hh_rc r = hh_sq_exec(tx, st);
	if (r == HH_OK && sqlite3_changes(db_of(tx)) == 0)
		r = HH_ERR_NOT_FOUND;
	return r;
}

static void pin_row(struct hh_arena *a, sqlite3_stmt *st,
		    struct hh_search_pin *p)
{
	p->id = sqlite3_column_int64(st, 0);
	p->org_id = sqlite3_column_int64(st, 1);
	p->org_code = col_text(a, st, 2);
	p->query = col_text(a, st, 3);
	p->article_id = sqlite3_column_int64(st, 4);
	p->created_at = sqlite3_column_int64(st, 5);
	p->created_by = col_text(a, st, 6);
}

static enum hh_rc pin_list(struct hh_tx *tx, struct hh_arena *a,
			   enum hh_rc (*cb)(void *ctx,
					    const struct hh_search_pin *p),
			   void *ctx)
{
	FAULT(tx);
	TUNE_STMT(tx, S_PIN_LIST);
	MANY_ROWS(tx, st, struct hh_search_pin, pin_row, a, cb, ctx);
}

/* s-tune (issue 13): removing and reviving synonym rules. */
static enum hh_rc synonym_get(struct hh_tx *tx, struct hh_arena *a, int64_t id,
			      const char **rule)
{
	FAULT(tx);
	TUNE_STMT(tx, S_SYNONYM_GET);
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	enum hh_rc r = HH_OK;
	if (rc == SQLITE_ROW)
		*rule = col_text(a, st, 0);
	else
		r = rc == SQLITE_DONE ? HH_ERR_NOT_FOUND
				      : hh_sq_map_rc(db_of(tx), rc);
	done(st);
	return r;
}

static enum hh_rc synonym_remove(struct hh_tx *tx, int64_t id, int64_t at,
				 const char *by)
{
	FAULT(tx);
	TUNE_STMT(tx, S_SYNONYM_REMOVE);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, at);
	bind_text(st, 3, by);
	enum hh_rc r = hh_sq_exec(tx, st);
	if (r == HH_OK && sqlite3_changes(db_of(tx)) == 0)
		r = HH_ERR_NOT_FOUND;
	return r;
}

static enum hh_rc synonym_revive(struct hh_tx *tx, const char *rule,
				 int64_t at, const char *by, int64_t *id)
{
	FAULT(tx);
	TUNE_STMT(tx, S_SYNONYM_REVIVE);
	bind_text(st, 1, rule);
	sqlite3_bind_int64(st, 2, at);
	bind_text(st, 3, by);
	int rc = sqlite3_step(st);
	enum hh_rc r = HH_OK;
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	else
		r = rc == SQLITE_DONE ? HH_ERR_NOT_FOUND
				      : hh_sq_map_rc(db_of(tx), rc);
	done(st);
	return r;
}

void hh_sq_fill_search_tuning(struct hh_store *st)
{
	st->synonym_get = synonym_get; /* s-tune */
	st->synonym_remove = synonym_remove;
	st->synonym_revive = synonym_revive;
	st->synonym_insert = synonym_insert;
	st->synonym_list = synonym_list;
	st->pin_put = pin_put;
	st->pin_delete = pin_delete;
	st->pin_list = pin_list;
}
