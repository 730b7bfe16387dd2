/* postgres_proposals.c - the PostgreSQL backend: proposals to the shared
 * knowledge base, synonyms and pinned queries (the port of
 * sqlite_proposals.c; 0024_article_proposals.sql, 0025_synonyms_pins.sql,
 * 0028_synonym_removal.sql). */
#include "store/postgres_int.h"
#include "store/proposal_state.h"

#define PROPOSAL_COLS                                                         \
	"p.id, p.article_id, p.base_version, p.organisation_id, o.name, "     \
	"a.slug, p.proposed_by, p.proposer_name, p.title, p.summary, "        \
	"p.body_md, p.keywords, p.kle, p.audience, p.note, p.state, "         \
	"p.created_at, coalesce(p.decided_at, 0), p.decided_by, "             \
	"p.decider_name, p.reason, coalesce(p.accepted_version, 0) "
#define PROPOSAL_FROM                                                         \
	"FROM article_proposals p JOIN articles a ON a.id = p.article_id "    \
	"JOIN organisations o ON o.id = p.organisation_id "

static const char *const stmt_sql[P__COUNT] = {
	[P_PROPOSAL_INSERT] =
		"INSERT INTO article_proposals(article_id, base_version, "
		"organisation_id, proposed_by, proposer_name, title, summary, "
		"body_md, keywords, kle, audience, note, state, created_at) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
		"'open', $13) RETURNING id",
	[P_PROPOSAL_GET] = "SELECT " PROPOSAL_COLS PROPOSAL_FROM "WHERE p.id = $1",
	[P_PROPOSAL_DECIDE] =
		"UPDATE article_proposals SET state = $2, decided_at = $3, "
		"decided_by = $4, decider_name = $5, reason = $6, "
		"accepted_version = nullif($7::bigint, 0) "
		"WHERE id = $1 AND state = 'open'",
	[P_PROPOSAL_LIST] =
		"SELECT " PROPOSAL_COLS PROPOSAL_FROM
		"WHERE ($1::text = '' OR p.state = $1) AND ($2::bigint = 0 OR "
		"p.organisation_id = $2) AND ($3::bigint = 0 OR "
		"p.article_id = $3) ORDER BY p.id DESC LIMIT 500",
	/* DO NOTHING: a rule already there (removed or not) is CONFLICT
	 * (no row) and the transaction goes on, as in SQLite: the seed and
	 * the import rely on it */
	[P_SYNONYM_INSERT] =
		"INSERT INTO synonyms(rule, created_at, created_by) "
		"VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id",
	[P_SYNONYM_LIST] = "SELECT id, rule FROM synonyms WHERE removed_at IS "
			   "NULL ORDER BY id",
	[P_SYNONYM_GET] = "SELECT rule FROM synonyms WHERE id = $1 AND "
			  "removed_at IS NULL",
	[P_SYNONYM_REMOVE] = "UPDATE synonyms SET removed_at = $2, removed_by = $3 "
			     "WHERE id = $1 AND removed_at IS NULL",
	[P_SYNONYM_REVIVE] = "UPDATE synonyms SET removed_at = NULL, removed_by = "
			     "NULL, created_at = $2, created_by = $3 WHERE rule "
			     "= $1 AND removed_at IS NOT NULL RETURNING id",
	/* RETURNING gives the pin's id whether it was made or replaced */
	[P_PIN_PUT] =
		"INSERT INTO search_pins(organisation_id, query, article_id, "
		"created_at, created_by) VALUES ($1, $2, $3, $4, $5) "
		"ON CONFLICT (organisation_id, query) DO UPDATE SET "
		"article_id = excluded.article_id, created_at = "
		"excluded.created_at, created_by = excluded.created_by "
		"RETURNING id",
	[P_PIN_DELETE] =
		"DELETE FROM search_pins WHERE organisation_id = $1 AND query = $2",
	[P_PIN_LIST] =
		"SELECT p.id, p.organisation_id, o.code, p.query, p.article_id, "
		"p.created_at, p.created_by FROM search_pins p JOIN organisations "
		"o ON o.id = p.organisation_id ORDER BY p.id",
};

/* ---- proposals ----------------------------------------------------------- */

static void proposal_row(struct hh_arena *a, const PGresult *r, int i,
			 struct hh_proposal *p)
{
	p->id = g_int(r, i, 0);
	p->article_id = g_int(r, i, 1);
	p->base_version = g_int(r, i, 2);
	p->org_id = g_int(r, i, 3);
	p->org_name = g_text(a, r, i, 4);
	p->slug = g_text(a, r, i, 5);
	p->proposed_by = g_text(a, r, i, 6);
	p->proposer_name = g_text(a, r, i, 7);
	p->title = g_text(a, r, i, 8);
	p->summary = g_text(a, r, i, 9);
	p->body_md = g_text(a, r, i, 10);
	p->keywords = g_text(a, r, i, 11);
	p->kle = g_text(a, r, i, 12);
	p->audience = !strcmp(PQgetvalue(r, i, 13), "staff")
			      ? HH_AUDIENCE_STAFF
			      : HH_AUDIENCE_CITIZEN;
	p->note = g_text(a, r, i, 14);
	p->state = proposal_state_parse(PQgetvalue(r, i, 15));
	p->created_at = g_int(r, i, 16);
	p->decided_at = g_int(r, i, 17);
	p->decided_by = g_text(a, r, i, 18);
	p->decider_name = g_text(a, r, i, 19);
	p->reason = g_text(a, r, i, 20);
	p->accepted_version = g_int(r, i, 21);
}

static enum hh_rc proposal_insert(struct hh_tx *tx, struct hh_proposal *p)
{
	FAULT(tx);
	struct pg_params q = { 0 };
	p_int(&q, p->article_id);
	p_int(&q, p->base_version);
	p_int(&q, p->org_id);
	p_text(&q, p->proposed_by);
	p_text(&q, p->proposer_name);
	p_text(&q, p->title);
	p_text(&q, p->summary);
	p_text(&q, p->body_md);
	p_text(&q, p->keywords);
	p_text(&q, p->kle);
	p_text(&q, p->audience == HH_AUDIENCE_STAFF ? "staff" : "citizen");
	p_text(&q, p->note);
	p_int(&q, p->created_at);
	enum hh_rc rc = RUN_INT(tx, P_PROPOSAL_INSERT, &q, &p->id);
	if (rc == HH_OK)
		p->state = HH_PROPOSAL_OPEN;
	return rc;
}

static enum hh_rc proposal_get(struct hh_tx *tx, struct hh_arena *a, int64_t id,
			       struct hh_proposal *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, id);
	PG_ONE_ROW(tx, P_PROPOSAL_GET, &p, proposal_row, a, out);
}

static enum hh_rc proposal_decide(struct hh_tx *tx, const struct hh_proposal *p)
{
	FAULT(tx);
	struct pg_params q = { 0 };
	p_int(&q, p->id);
	p_text(&q, proposal_state_name(p->state));
	p_int(&q, p->decided_at);
	p_text(&q, p->decided_by);
	p_text(&q, p->decider_name);
	p_text(&q, p->reason);
	p_int(&q, p->accepted_version);
	int64_t changed;
	enum hh_rc rc = RUN_CHANGED(tx, P_PROPOSAL_DECIDE, &q, &changed);
	/* none: decided already */
	return rc == HH_OK && changed != 1 ? HH_ERR_CONFLICT : rc;
}

static enum hh_rc proposal_list(struct hh_tx *tx, struct hh_arena *a,
				enum hh_proposal_state state, int64_t org_id,
				int64_t article_id,
				enum hh_rc (*cb)(void *ctx,
						 const struct hh_proposal *p),
				void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_text(&p, state ? proposal_state_name(state) : "");
	p_int(&p, org_id);
	p_int(&p, article_id);
	PG_MANY_ROWS(tx, P_PROPOSAL_LIST, &p, struct hh_proposal, proposal_row,
		     a, cb, ctx);
}

void hh_pg_fill_proposals(struct hh_store *st)
{
	st->proposal_insert = proposal_insert;
	st->proposal_get = proposal_get;
	st->proposal_decide = proposal_decide;
	st->proposal_list = proposal_list;
}

/* ---- synonyms and pins ------------------------------------------------------ */

static enum hh_rc synonym_insert(struct hh_tx *tx, const char *rule,
				 int64_t at, const char *by, int64_t *id)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_text(&p, rule);
	p_int(&p, at);
	p_text(&p, by);
	int64_t got = 0;
	enum hh_rc rc = RUN_INT(tx, P_SYNONYM_INSERT, &p, &got);
	if (rc == HH_ERR_NOT_FOUND)
		return HH_ERR_CONFLICT; /* the rule is there */
	if (rc == HH_OK && id)
		*id = got;
	return rc;
}

static enum hh_rc synonym_list(struct hh_tx *tx, struct hh_arena *a,
			       enum hh_rc (*cb)(void *ctx, int64_t id,
						const char *rule),
			       void *ctx)
{
	FAULT(tx);
	PGresult *r;
	enum hh_rc rc = RUN(tx, P_SYNONYM_LIST, NULL, &r);
	if (rc != HH_OK)
		return rc;
	int n = PQntuples(r);
	for (int i = 0; i < n && rc == HH_OK; i++)
		rc = cb(ctx, g_int(r, i, 0), g_text(a, r, i, 1));
	PQclear(r);
	return rc;
}

static void rule_row(struct hh_arena *a, const PGresult *r, int i,
		     const char **rule)
{
	*rule = g_text(a, r, i, 0);
}

static enum hh_rc synonym_get(struct hh_tx *tx, struct hh_arena *a, int64_t id,
			      const char **rule)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, id);
	PG_ONE_ROW(tx, P_SYNONYM_GET, &p, rule_row, a, rule);
}

static enum hh_rc synonym_remove(struct hh_tx *tx, int64_t id, int64_t at,
				 const char *by)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, id);
	p_int(&p, at);
	p_text(&p, by);
	int64_t changed;
	enum hh_rc rc = RUN_CHANGED(tx, P_SYNONYM_REMOVE, &p, &changed);
	/* none: no such rule, or removed already */
	return rc == HH_OK && changed == 0 ? HH_ERR_NOT_FOUND : rc;
}

static enum hh_rc synonym_revive(struct hh_tx *tx, const char *rule,
				 int64_t at, const char *by, int64_t *id)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_text(&p, rule);
	p_int(&p, at);
	p_text(&p, by);
	return RUN_INT(tx, P_SYNONYM_REVIVE, &p, id);
}

static enum hh_rc pin_put(struct hh_tx *tx, struct hh_search_pin *pin)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, pin->org_id);
	p_text(&p, pin->query);
	p_int(&p, pin->article_id);
	p_int(&p, pin->created_at);
	p_text(&p, pin->created_by);
	return RUN_INT(tx, P_PIN_PUT, &p, &pin->id);
}

static enum hh_rc pin_delete(struct hh_tx *tx, int64_t org_id,
			     const char *query)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, org_id);
	p_text(&p, query);
	int64_t changed;
	enum hh_rc rc = RUN_CHANGED(tx, P_PIN_DELETE, &p, &changed);
	return rc == HH_OK && changed == 0 ? HH_ERR_NOT_FOUND : rc;
}

static void pin_row(struct hh_arena *a, const PGresult *r, int i,
		    struct hh_search_pin *p)
{
	p->id = g_int(r, i, 0);
	p->org_id = g_int(r, i, 1);
	p->org_code = g_text(a, r, i, 2);
	p->query = g_text(a, r, i, 3);
	p->article_id = g_int(r, i, 4);
	p->created_at = g_int(r, i, 5);
	p->created_by = g_text(a, r, i, 6);
}

static enum hh_rc pin_list(struct hh_tx *tx, struct hh_arena *a,
			   enum hh_rc (*cb)(void *ctx,
					    const struct hh_search_pin *p),
			   void *ctx)
{
	FAULT(tx);
	PG_MANY_ROWS(tx, P_PIN_LIST, NULL, struct hh_search_pin, pin_row, a, cb,
		     ctx);
}

void hh_pg_fill_search_tuning(struct hh_store *st)
{
	st->synonym_insert = synonym_insert;
	st->synonym_list = synonym_list;
	st->synonym_get = synonym_get;
	st->synonym_remove = synonym_remove;
	st->synonym_revive = synonym_revive;
	st->pin_put = pin_put;
	st->pin_delete = pin_delete;
	st->pin_list = pin_list;
}
