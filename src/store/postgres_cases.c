/* postgres_cases.c - the PostgreSQL backend: life events, case types,
 * citizens and their sessions, plans, cases, idempotency keys, uploaded
 * files and the audit of reads of personal data (the port of
 * sqlite_cases.c). */
#include "store/postgres_int.h"

#include <jansson.h>
#include <sodium.h>

#include "core/util.h"

/* A case type's definition is JSON kept as text (as in SQLite); the
 * state's label is read from it with jsonb. The definition (several kB,
 * kept compressed) is turned into jsonb in CASE_FROM's lateral subquery
 * t, once for each case type of the rows: OFFSET 0 keeps the subquery
 * whole, so the planner puts a Memoize keyed on c.case_type_id above it.
 * Read in the label's subquery for each row instead, it was unpacked and
 * parsed twice a row: with 50 rows of 10 case types, 8 of a page's 12 ms
 * (pg-caselist, docs/postgres.md). */
/* CASE_COLS is CASE_COLS_HEAD, the state's label, CASE_COLS_TAIL: a list
 * without_labels reads NULL for the label (case_row gives the key) */
#define CASE_COLS_HEAD                                                         \
	"c.id, c.case_type_id, t.code, t.name, c.organisation_id, o.code, "       \
	"o.name, coalesce(c.citizen_id, 0), z.name, coalesce(c.plan_id, 0), "     \
	"c.step, coalesce(c.parent_case_id, 0), c.state, "                        \
	"coalesce(c.assigned_to, 0), u.name, c.data, c.version, c.created_at, "   \
	"c.updated_at, c.deadline_at, coalesce(c.paused_since, 0), "             \
	"coalesce(c.closed_at, 0), "
#define CASE_LABEL_COL                                                         \
	"(SELECT s ->> 'label' FROM jsonb_array_elements(t.states) s "         \
	" WHERE s ->> 'key' = c.state LIMIT 1)"
#define CASE_COLS_TAIL                                                         \
	", c.public_id, c.seal_key, "                                            \
	"c.journal_no, c.assigned_team, (SELECT q.label FROM inquiry_codes q "  \
	" WHERE q.organisation_id = c.organisation_id AND q.kind = 'team' "   \
	" AND q.code = c.assigned_team), coalesce(c.state_since, c.updated_at) "
#define CASE_COLS CASE_COLS_HEAD CASE_LABEL_COL CASE_COLS_TAIL
#define CIT_COLS                                                               \
	"id, subject, name, cpr, coalesce(municipality_id, 0), cpr_key, "       \
	"cpr_hash, cpr_hash_key, address, postcode, city, "                     \
	"coalesce(dp_exempt_since, 0), dp_exempt_reason "
#define CASE_FROM                                                              \
	"FROM cases c JOIN LATERAL (SELECT t.code, t.name, CASE WHEN "          \
	" jsonb_typeof(t.definition::jsonb -> 'states') = 'array' THEN "       \
	" t.definition::jsonb -> 'states' ELSE '[]'::jsonb END AS states "     \
	" FROM case_types t WHERE t.id = c.case_type_id OFFSET 0) t ON true "   \
	"JOIN organisations o ON o.id = c.organisation_id "                      \
	"LEFT JOIN citizens z ON z.id = c.citizen_id "                          \
	"LEFT JOIN users u ON u.id = c.assigned_to "

static const char *const stmt_sql[P__COUNT] = {
	[P_LIFE_EVENT_UPSERT] =
		"INSERT INTO life_events(slug, title, summary, position, articles, "
		"definition) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT(slug) DO "
		"UPDATE SET title = excluded.title, summary = excluded.summary, "
		"position = excluded.position, articles = excluded.articles, "
		"definition = excluded.definition RETURNING id",
	[P_LIFE_EVENT_LIST] = "SELECT id, slug, title, summary, position, "
			      "articles, definition FROM life_events "
			      "ORDER BY position, slug",
	[P_LIFE_EVENT_GET] = "SELECT id, slug, title, summary, position, "
			     "articles, definition FROM life_events "
			     "WHERE slug = $1",
	[P_CT_PUT] = "INSERT INTO case_types(code, organisation, name, public, "
		     "definition, updated_at) VALUES ($1, $2, $3, $4, $5, $6) "
		     "ON CONFLICT(code) DO UPDATE SET organisation = "
		     "excluded.organisation, name = excluded.name, public = "
		     "excluded.public, definition = excluded.definition, "
		     "updated_at = excluded.updated_at RETURNING id",
	[P_CT_GET] = "SELECT id, code, organisation, name, public, definition "
		     "FROM case_types WHERE id = $1",
	[P_CT_GET_CODE] = "SELECT id, code, organisation, name, public, "
			  "definition FROM case_types WHERE code = $1",
	[P_CT_LIST] = "SELECT id, code, organisation, name, public, definition "
		      "FROM case_types WHERE public <> 0 OR $1::int = 0 "
		      "ORDER BY name",
	/* a sign-in without a CPR keeps the one known (and its key and
	 * hash); an address or exemption given replaces the one known, none
	 * given (a sign-in) keeps it */
	[P_CIT_PUT] =
		"INSERT INTO citizens(subject, name, cpr, municipality_id, "
		"created_at, cpr_key, cpr_hash, cpr_hash_key, address, postcode, "
		"city, dp_exempt_since, dp_exempt_reason) VALUES "
		"($1, $2, $3, nullif($4::bigint, 0), $5, $6, $7, $8, $9, $10, "
		"$11, nullif($12::bigint, 0), $13) "
		"ON CONFLICT(subject) DO UPDATE SET name = excluded.name, "
		"cpr = coalesce(excluded.cpr, citizens.cpr), "
		"cpr_key = CASE WHEN excluded.cpr IS NULL THEN citizens.cpr_key "
		"ELSE excluded.cpr_key END, "
		"cpr_hash = CASE WHEN excluded.cpr IS NULL THEN citizens.cpr_hash "
		"ELSE excluded.cpr_hash END, "
		"cpr_hash_key = CASE WHEN excluded.cpr IS NULL THEN "
		"citizens.cpr_hash_key ELSE excluded.cpr_hash_key END, "
		"municipality_id = coalesce(excluded.municipality_id, "
		"citizens.municipality_id), "
		"address = CASE WHEN excluded.address IS NULL THEN "
		"citizens.address ELSE excluded.address END, "
		"postcode = CASE WHEN excluded.address IS NULL THEN "
		"citizens.postcode ELSE excluded.postcode END, "
		"city = CASE WHEN excluded.address IS NULL THEN citizens.city "
		"ELSE excluded.city END, "
		"dp_exempt_since = CASE WHEN excluded.dp_exempt_since IS NULL "
		"THEN citizens.dp_exempt_since ELSE excluded.dp_exempt_since END, "
		"dp_exempt_reason = CASE WHEN excluded.dp_exempt_since IS NULL "
		"THEN citizens.dp_exempt_reason ELSE excluded.dp_exempt_reason END "
		"RETURNING id",
	[P_CIT_GET] = "SELECT " CIT_COLS "FROM citizens WHERE id = $1",
	[P_CIT_GET_SUBJECT] = "SELECT " CIT_COLS "FROM citizens "
			      "WHERE subject = $1",
	[P_CIT_LIST] = "SELECT " CIT_COLS "FROM citizens "
		       "WHERE substr(subject, 1, length($1)) = $1 ORDER BY name",
	[P_CIT_GET_HASH] = "SELECT " CIT_COLS "FROM citizens "
			   "WHERE cpr_hash = $1 ORDER BY id LIMIT 1",
	[P_CIT_SEAL_SCAN] = "SELECT " CIT_COLS "FROM citizens WHERE id > $1 AND "
			    "cpr IS NOT NULL AND (cpr_key IS DISTINCT FROM $2 OR "
			    "cpr_hash_key IS DISTINCT FROM $3) ORDER BY id "
			    "LIMIT $4",
	[P_CIT_SEAL_SET] = "UPDATE citizens SET cpr = $2, cpr_key = $3, "
			   "cpr_hash = $4, cpr_hash_key = $5 WHERE id = $1",
	[P_CASE_SEAL_SCAN] = "SELECT id, data, seal_key FROM cases WHERE id > $1 "
			     "AND seal_key IS DISTINCT FROM $2 ORDER BY id "
			     "LIMIT $3",
	[P_CASE_SEAL_SET] = "UPDATE cases SET data = $2, seal_key = $3 "
			    "WHERE id = $1",
	[P_SEAL_KEYS] = "SELECT cpr_key FROM citizens WHERE cpr IS NOT NULL UNION "
			"SELECT cpr_hash_key FROM citizens WHERE cpr IS NOT NULL "
			"UNION SELECT seal_key FROM cases "
			/* x-ext: external cases (0034) */
			"UNION SELECT cpr_key FROM external_cases "
			"UNION SELECT cpr_hash_key FROM external_cases "
			/* p-parties: the parties' CPR numbers (0041) */
			"UNION SELECT cpr_key FROM case_parties WHERE cpr IS NOT NULL "
			"UNION SELECT cpr_hash_key FROM case_parties "
			"WHERE cpr IS NOT NULL "
			/* x-hooks: a signing secret sealed as v1:KEYID:... */
			"UNION SELECT split_part(secret, ':', 2) "
			"FROM webhook_subscriptions WHERE secret LIKE 'v1:%:%' "
			/* x-hooks2: the secret a rotation replaced */
			"UNION SELECT split_part(previous_secret, ':', 2) "
			"FROM webhook_subscriptions "
			"WHERE previous_secret LIKE 'v1:%:%'",
	[P_CSESS_INSERT] = "INSERT INTO citizen_sessions(token_hash, citizen_id, "
			   "csrf, created_at, expires_at, last_seen, loa, oidc_sid, "
			   "oidc_subject) VALUES ($1, $2, $3, $4, $5, $4, $6, $7, $8)",
	[P_CSESS_GET] = "SELECT token_hash, citizen_id, csrf, created_at, "
			"expires_at, last_seen, loa, oidc_sid, oidc_subject "
			"FROM citizen_sessions WHERE token_hash = $1",
	[P_CSESS_TOUCH] = "UPDATE citizen_sessions SET last_seen = $2 "
			  "WHERE token_hash = $1",
	[P_CSESS_PURGE] = "DELETE FROM citizen_sessions WHERE expires_at < $1",
	[P_CSESS_DELETE] = "DELETE FROM citizen_sessions WHERE token_hash = $1",
	[P_PLAN_INSERT] = "INSERT INTO plans(citizen_id, life_event_id, answers, "
			  "created_at, updated_at) VALUES ($1, $2, $3, $4, $4) "
			  "RETURNING id",
	[P_PLAN_UPDATE] = "UPDATE plans SET answers = $2, updated_at = $3 "
			  "WHERE id = $1",
	[P_PLAN_GET] = "SELECT p.id, p.citizen_id, p.life_event_id, l.slug, "
		       "p.answers, p.created_at, p.updated_at FROM plans p "
		       "JOIN life_events l ON l.id = p.life_event_id "
		       "WHERE p.id = $1",
	[P_PLAN_LIST] = "SELECT p.id, p.citizen_id, p.life_event_id, l.slug, "
			"p.answers, p.created_at, p.updated_at FROM plans p "
			"JOIN life_events l ON l.id = p.life_event_id "
			"WHERE p.citizen_id = $1 ORDER BY p.id DESC",
	[P_CASE_INSERT] =
		"INSERT INTO cases(case_type_id, organisation_id, citizen_id, "
		"plan_id, step, parent_case_id, state, assigned_to, data, version, "
		"created_at, updated_at, deadline_at, paused_since, closed_at, "
		"public_id, seal_key, journal_no, assigned_team, state_since) "
		"VALUES ($1, $2, nullif($3::bigint, 0), nullif($4::bigint, 0), "
		"$5, nullif($6::bigint, 0), $7, nullif($8::bigint, 0), $9, 1, "
		"$10, $10, $11, nullif($12::bigint, 0), nullif($13::bigint, 0), "
		"$14, $15, $16, $17, $18) RETURNING id, ctid",
	[P_CASE_UPDATE] =
		"UPDATE cases SET state = $3, assigned_to = nullif($4::bigint, 0), "
		"data = $5, deadline_at = $6, paused_since = nullif($7::bigint, 0), "
		"closed_at = nullif($8::bigint, 0), updated_at = $9, "
		"version = version + 1, seal_key = $10, assigned_team = $11, "
		"state_since = $12 WHERE id = $1 AND version = $2 RETURNING version",
	[P_CASE_GET] = "SELECT " CASE_COLS CASE_FROM "WHERE c.id = $1",
	[P_CASE_GET_NEW] = "SELECT " CASE_COLS CASE_FROM
			   "WHERE c.ctid = $2::tid AND c.id = $1",
	[P_IDEM_GET] = "SELECT case_id, request_hash FROM idempotency "
		       "WHERE scope = $1 AND key = $2",
	[P_IDEM_PUT] = "INSERT INTO idempotency(scope, key, case_id, created_at, "
		       "request_hash) VALUES ($1, $2, $3, $4, $5)",
	[P_FILE_LIST] = "SELECT id, case_id, field, name, content_type, data, "
			"size, created_at FROM case_files WHERE case_id = $1 "
			"ORDER BY id",
	[P_FILE_INSERT] = "INSERT INTO case_files(case_id, field, name, "
			  "content_type, size, data, created_at) VALUES "
			  "($1, $2, $3, $4, $5, $6, $7) RETURNING id",
	[P_FILE_GET] = "SELECT id, case_id, field, name, content_type, data, "
		       "size, created_at FROM case_files WHERE id = $1",
	[P_AUDIT_APPEND] = "INSERT INTO audit_log(at, actor, citizen_id, what, "
			   "why) VALUES ($1, $2, $3, $4, $5)",
	[P_AUDIT_LIST] = "SELECT id, at, actor, citizen_id, what, why FROM "
			 "audit_log WHERE citizen_id = $1 ORDER BY id DESC "
			 "LIMIT $2",
};

/* ---- life events ----------------------------------------------------- */

static void life_event_row(struct hh_arena *a, const PGresult *r, int i,
			   struct hh_life_event *le)
{
	le->id = g_int(r, i, 0);
	le->slug = g_text(a, r, i, 1);
	le->title = g_text(a, r, i, 2);
	le->summary = g_text(a, r, i, 3);
	le->position = (int)g_int(r, i, 4);
	le->articles = g_text(a, r, i, 5);
	le->definition = g_text(a, r, i, 6);
}

static enum hh_rc life_event_put(struct hh_tx *tx, struct hh_life_event *le)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_text(&p, le->slug);
	p_text(&p, le->title);
	p_text(&p, le->summary);
	p_int(&p, le->position);
	p_text(&p, le->articles ? le->articles : "[]");
	p_text(&p, le->definition ? le->definition : "{}");
	return RUN_INT(tx, P_LIFE_EVENT_UPSERT, &p, &le->id);
}

static enum hh_rc life_event_list(struct hh_tx *tx, struct hh_arena *a,
				  hh_life_event_cb cb, void *ctx)
{
	FAULT(tx);
	PG_MANY_ROWS(tx, P_LIFE_EVENT_LIST, NULL, struct hh_life_event,
		     life_event_row, a, cb, ctx);
}

static enum hh_rc life_event_get(struct hh_tx *tx, struct hh_arena *a,
				 const char *slug, struct hh_life_event *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_text(&p, slug);
	PG_ONE_ROW(tx, P_LIFE_EVENT_GET, &p, life_event_row, a, out);
}

/* ---- case types ------------------------------------------------------ */

static void ct_row(struct hh_arena *a, const PGresult *r, int i,
		   struct hh_case_type *c)
{
	c->id = g_int(r, i, 0);
	c->code = g_text(a, r, i, 1);
	c->organisation = g_text(a, r, i, 2);
	c->name = g_text(a, r, i, 3);
	c->public = (int)g_int(r, i, 4);
	c->definition = g_text(a, r, i, 5);
}

static enum hh_rc case_type_put(struct hh_tx *tx, struct hh_case_type *c)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_text(&p, c->code);
	p_text(&p, c->organisation);
	p_text(&p, c->name);
	p_int(&p, c->public);
	p_text(&p, c->definition);
	p_int(&p, hh_now_us() / 1000000);
	return RUN_INT(tx, P_CT_PUT, &p, &c->id);
}

static enum hh_rc case_type_get(struct hh_tx *tx, struct hh_arena *a,
				int64_t id, struct hh_case_type *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, id);
	PG_ONE_ROW(tx, P_CT_GET, &p, ct_row, a, out);
}

static enum hh_rc case_type_get_by_code(struct hh_tx *tx, struct hh_arena *a,
					const char *code,
					struct hh_case_type *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_text(&p, code);
	PG_ONE_ROW(tx, P_CT_GET_CODE, &p, ct_row, a, out);
}

static enum hh_rc case_type_list(struct hh_tx *tx, struct hh_arena *a,
				 int public_only, hh_case_type_cb cb, void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, public_only != 0);
	PG_MANY_ROWS(tx, P_CT_LIST, &p, struct hh_case_type, ct_row, a, cb,
		     ctx);
}

/* ---- citizens -------------------------------------------------------- */

static void cit_row(struct hh_arena *a, const PGresult *r, int i,
		    struct hh_citizen *c)
{
	c->id = g_int(r, i, 0);
	c->subject = g_text(a, r, i, 1);
	c->name = g_text(a, r, i, 2);
	c->cpr = g_text(a, r, i, 3);
	c->municipality_id = g_int(r, i, 4);
	c->cpr_key = g_text(a, r, i, 5);
	size_t n;
	const unsigned char *h = hh_pg_blob(a, r, i, 6, &n);
	c->cpr_hash = n == 32 ? h : NULL;
	c->cpr_hash_key = g_text(a, r, i, 7);
	c->address = g_text(a, r, i, 8);
	c->postcode = g_text(a, r, i, 9);
	c->city = g_text(a, r, i, 10);
	c->dp_exempt_since = g_int(r, i, 11);
	c->dp_exempt_reason = g_text(a, r, i, 12);
}

static enum hh_rc citizen_put(struct hh_tx *tx, struct hh_citizen *c)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_text(&p, c->subject);
	p_text(&p, c->name);
	p_text(&p, c->cpr);
	p_int(&p, c->municipality_id);
	p_int(&p, hh_now_us() / 1000000);
	p_text(&p, c->cpr_key);
	p_blob(&p, c->cpr_hash, 32);
	p_text(&p, c->cpr_hash_key);
	p_text(&p, c->address);
	p_text(&p, c->postcode);
	p_text(&p, c->city);
	p_int(&p, c->dp_exempt_since);
	p_text(&p, c->dp_exempt_reason);
	return RUN_INT(tx, P_CIT_PUT, &p, &c->id);
}

static enum hh_rc citizen_get(struct hh_tx *tx, struct hh_arena *a,
			      int64_t id, struct hh_citizen *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, id);
	PG_ONE_ROW(tx, P_CIT_GET, &p, cit_row, a, out);
}

static enum hh_rc citizen_get_by_subject(struct hh_tx *tx, struct hh_arena *a,
					 const char *subject,
					 struct hh_citizen *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_text(&p, subject);
	PG_ONE_ROW(tx, P_CIT_GET_SUBJECT, &p, cit_row, a, out);
}

static enum hh_rc citizen_list(struct hh_tx *tx, struct hh_arena *a,
			       const char *prefix,
			       enum hh_rc (*cb)(void *ctx,
						const struct hh_citizen *c),
			       void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_text(&p, prefix);
	PG_MANY_ROWS(tx, P_CIT_LIST, &p, struct hh_citizen, cit_row, a, cb,
		     ctx);
}

static enum hh_rc citizen_get_by_cpr_hash(struct hh_tx *tx,
					  struct hh_arena *a,
					  const unsigned char hash[32],
					  struct hh_citizen *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_blob(&p, hash, 32);
	PG_ONE_ROW(tx, P_CIT_GET_HASH, &p, cit_row, a, out);
}

static enum hh_rc citizen_seal_scan(struct hh_tx *tx, struct hh_arena *a,
				    int64_t after_id, const char *seal_key,
				    const char *hash_key, int limit,
				    hh_citizen_cb cb, void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, after_id);
	p_text(&p, seal_key);
	p_text(&p, hash_key);
	p_int(&p, limit);
	PG_MANY_ROWS(tx, P_CIT_SEAL_SCAN, &p, struct hh_citizen, cit_row, a,
		     cb, ctx);
}

static enum hh_rc citizen_seal_set(struct hh_tx *tx,
				   const struct hh_citizen *c)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, c->id);
	p_text(&p, c->cpr);
	p_text(&p, c->cpr_key);
	p_blob(&p, c->cpr_hash, 32);
	p_text(&p, c->cpr_hash_key);
	return RUN(tx, P_CIT_SEAL_SET, &p, NULL);
}

static void case_seal_row(struct hh_arena *a, const PGresult *r, int i,
			  struct hh_case *c)
{
	memset(c, 0, sizeof(*c));
	c->id = g_int(r, i, 0);
	c->data = g_text(a, r, i, 1);
	c->seal_key = g_text(a, r, i, 2);
}

static enum hh_rc case_seal_scan(struct hh_tx *tx, struct hh_arena *a,
				 int64_t after_id, const char *seal_key,
				 int limit, hh_case_cb cb, void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, after_id);
	p_text(&p, seal_key);
	p_int(&p, limit);
	PG_MANY_ROWS(tx, P_CASE_SEAL_SCAN, &p, struct hh_case, case_seal_row,
		     a, cb, ctx);
}

static enum hh_rc case_seal_set(struct hh_tx *tx, int64_t id, const char *data,
				const char *seal_key)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, id);
	p_text(&p, data);
	p_text(&p, seal_key);
	return RUN(tx, P_CASE_SEAL_SET, &p, NULL);
}

static enum hh_rc seal_keys_in_use(struct hh_tx *tx, struct hh_arena *a,
				   enum hh_rc (*cb)(void *ctx,
						    const char *key_id),
				   void *ctx)
{
	FAULT(tx);
	PGresult *r;
	enum hh_rc rc = RUN(tx, P_SEAL_KEYS, NULL, &r);
	if (rc != HH_OK)
		return rc;
	int n = PQntuples(r);
	for (int i = 0; i < n && rc == HH_OK; i++)
		rc = cb(ctx, g_text(a, r, i, 0));
	PQclear(r);
	return rc;
}

/* ---- citizens' sessions ---------------------------------------------- */

static const char *loa_name(enum hh_loa l)
{
	return l == HH_LOA_HIGH ? "high"
	       : l == HH_LOA_SUBSTANTIAL ? "substantial" : "low";
}

static enum hh_loa loa_of(const char *t)
{
	if (t && !strcmp(t, "high"))
		return HH_LOA_HIGH;
	if (t && !strcmp(t, "substantial"))
		return HH_LOA_SUBSTANTIAL;
	return HH_LOA_LOW;
}

static enum hh_rc citizen_session_insert(struct hh_tx *tx,
					 const struct hh_citizen_session *s)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_blob(&p, s->token_hash, 32);
	p_int(&p, s->citizen_id);
	p_text(&p, s->csrf);
	p_int(&p, s->created_at);
	p_int(&p, s->expires_at);
	p_text(&p, loa_name(s->loa));
	p_text(&p, s->oidc_sid);
	p_text(&p, s->oidc_subject);
	return RUN_GUARDED(tx, P_CSESS_INSERT, &p, NULL);
}

static enum hh_rc citizen_session_touch(struct hh_tx *tx,
					const unsigned char hash[32],
					int64_t now)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_blob(&p, hash, 32);
	p_int(&p, now);
	return RUN(tx, P_CSESS_TOUCH, &p, NULL);
}

static enum hh_rc citizen_session_purge(struct hh_tx *tx, int64_t now)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, now);
	return RUN(tx, P_CSESS_PURGE, &p, NULL);
}

static void csess_row(struct hh_arena *a, const PGresult *r, int i,
		      struct hh_citizen_session *s)
{
	s->token_hash = hh_pg_blob(a, r, i, 0, NULL);
	s->citizen_id = g_int(r, i, 1);
	s->csrf = g_text(a, r, i, 2);
	s->created_at = g_int(r, i, 3);
	s->expires_at = g_int(r, i, 4);
	s->last_seen = g_int(r, i, 5);
	s->loa = loa_of(PQgetvalue(r, i, 6));
	s->oidc_sid = g_text(a, r, i, 7);
	s->oidc_subject = g_text(a, r, i, 8);
}

static enum hh_rc citizen_session_get(struct hh_tx *tx, struct hh_arena *a,
				      const unsigned char hash[32],
				      struct hh_citizen_session *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_blob(&p, hash, 32);
	PG_ONE_ROW(tx, P_CSESS_GET, &p, csess_row, a, out);
}

static enum hh_rc citizen_session_delete(struct hh_tx *tx,
					 const unsigned char hash[32])
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_blob(&p, hash, 32);
	return RUN(tx, P_CSESS_DELETE, &p, NULL);
}

/* ---- plans ----------------------------------------------------------- */

static void plan_row(struct hh_arena *a, const PGresult *r, int i,
		     struct hh_plan *p)
{
	p->id = g_int(r, i, 0);
	p->citizen_id = g_int(r, i, 1);
	p->life_event_id = g_int(r, i, 2);
	p->life_event_slug = g_text(a, r, i, 3);
	p->answers = g_text(a, r, i, 4);
	p->created_at = g_int(r, i, 5);
	p->updated_at = g_int(r, i, 6);
}

static enum hh_rc plan_insert(struct hh_tx *tx, struct hh_plan *pl)
{
	FAULT(tx);
	pl->created_at = pl->updated_at = hh_now_us() / 1000000;
	struct pg_params p = { 0 };
	p_int(&p, pl->citizen_id);
	p_int(&p, pl->life_event_id);
	p_text(&p, pl->answers);
	p_int(&p, pl->created_at);
	return RUN_INT(tx, P_PLAN_INSERT, &p, &pl->id);
}

static enum hh_rc plan_update(struct hh_tx *tx, const struct hh_plan *pl)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, pl->id);
	p_text(&p, pl->answers);
	p_int(&p, hh_now_us() / 1000000);
	int64_t changed;
	enum hh_rc rc = RUN_CHANGED(tx, P_PLAN_UPDATE, &p, &changed);
	return rc == HH_OK && changed == 0 ? HH_ERR_NOT_FOUND : rc;
}

static enum hh_rc plan_get(struct hh_tx *tx, struct hh_arena *a, int64_t id,
			   struct hh_plan *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, id);
	PG_ONE_ROW(tx, P_PLAN_GET, &p, plan_row, a, out);
}

static enum hh_rc plan_list(struct hh_tx *tx, struct hh_arena *a,
			    int64_t citizen_id, hh_plan_cb cb, void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, citizen_id);
	PG_MANY_ROWS(tx, P_PLAN_LIST, &p, struct hh_plan, plan_row, a, cb,
		     ctx);
}

/* ---- cases ----------------------------------------------------------- */

static void case_row(struct hh_arena *a, const PGresult *r, int i,
		     struct hh_case *c)
{
	c->id = g_int(r, i, 0);
	c->case_type_id = g_int(r, i, 1);
	c->case_type_code = g_text(a, r, i, 2);
	c->case_type_name = g_text(a, r, i, 3);
	c->org_id = g_int(r, i, 4);
	c->org_code = g_text(a, r, i, 5);
	c->org_name = g_text(a, r, i, 6);
	c->citizen_id = g_int(r, i, 7);
	c->citizen_name = g_text(a, r, i, 8);
	c->plan_id = g_int(r, i, 9);
	c->step = g_text(a, r, i, 10);
	c->parent_case_id = g_int(r, i, 11);
	c->state = g_text(a, r, i, 12);
	c->assigned_to = g_int(r, i, 13);
	c->assigned_name = g_text(a, r, i, 14);
	c->data = g_text(a, r, i, 15);
	c->version = g_int(r, i, 16);
	c->created_at = g_int(r, i, 17);
	c->updated_at = g_int(r, i, 18);
	c->deadline_at = g_int(r, i, 19);
	c->paused_since = g_int(r, i, 20);
	c->closed_at = g_int(r, i, 21);
	c->state_label = g_text(a, r, i, 22);
	if (!c->state_label)
		c->state_label = c->state;
	c->public_id = g_text(a, r, i, 23);
	c->seal_key = g_text(a, r, i, 24);
	c->journal_no = g_text(a, r, i, 25);
	c->assigned_team = g_text(a, r, i, 26);
	c->assigned_team_name = g_text(a, r, i, 27);
	c->state_since = g_int(r, i, 28);
	if (c->assigned_team && !c->assigned_team_name)
		c->assigned_team_name = c->assigned_team;
}

static enum hh_rc case_insert(struct hh_tx *tx, struct hh_case *c)
{
	FAULT(tx);
	if (!c->created_at)
		c->created_at = hh_now_us() / 1000000;
	c->updated_at = c->created_at;
	if (!c->state_since)
		c->state_since = c->created_at;
	/* the public id: random, 96 bits, as SQLite's randomblob(12) */
	char public_id[25];
	if (!c->public_id) {
		unsigned char b[12];
		randombytes_buf(b, sizeof(b));
		sodium_bin2hex(public_id, sizeof(public_id), b, sizeof(b));
	}
	struct pg_params p = { 0 };
	p_int(&p, c->case_type_id);
	p_int(&p, c->org_id);
	p_int(&p, c->citizen_id);
	p_int(&p, c->plan_id);
	p_text(&p, c->step);
	p_int(&p, c->parent_case_id);
	p_text(&p, c->state);
	p_int(&p, c->assigned_to);
	p_text(&p, c->data ? c->data : "{}");
	p_int(&p, c->created_at);
	p_int(&p, c->deadline_at);
	p_int(&p, c->paused_since);
	p_int(&p, c->closed_at);
	p_text(&p, c->public_id ? c->public_id : public_id);
	p_text(&p, c->seal_key);
	p_text(&p, c->journal_no);
	p_text(&p, c->assigned_team);
	p_int(&p, c->state_since);
	PGresult *r = NULL;
	enum hh_rc rc = RUN(tx, P_CASE_INSERT, &p, &r);
	if (rc == HH_OK) {
		struct pg_conn *conn = (struct pg_conn *)tx;
		c->id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		c->version = 1;
		conn->new_case_id = c->id;
		snprintf(conn->new_case_tid, sizeof(conn->new_case_tid), "%s",
			 PQgetvalue(r, 0, 1));
	}
	PQclear(r);
	return rc;
}

static enum hh_rc case_update(struct hh_tx *tx, struct hh_case *c,
			      int64_t expected)
{
	FAULT(tx);
	c->updated_at = hh_now_us() / 1000000;
	struct pg_params p = { 0 };
	p_int(&p, c->id);
	p_int(&p, expected);
	p_text(&p, c->state);
	p_int(&p, c->assigned_to);
	p_text(&p, c->data ? c->data : "{}");
	p_int(&p, c->deadline_at);
	p_int(&p, c->paused_since);
	p_int(&p, c->closed_at);
	p_int(&p, c->updated_at);
	p_text(&p, c->seal_key);
	p_text(&p, c->assigned_team);
	p_int(&p, c->state_since ? c->state_since : c->updated_at);
	enum hh_rc rc = RUN_INT(tx, P_CASE_UPDATE, &p, &c->version);
	return rc == HH_ERR_NOT_FOUND ? HH_ERR_CONFLICT : rc;
}

/* pg-ssi: the case this transaction has just inserted (a submission
 * reads it back for its names) is read by its row's address, a TID scan,
 * not through cases_pkey. Under SERIALIZABLE an index scan takes a
 * predicate lock on the leaf page it read, and the newest case's leaf
 * is the one every concurrent submission inserts into: that read made a
 * read/write dependency with each of them, and made submissions fail
 * as pivots at COMMIT (1,400 to 1,800 failures in 10 s with three
 * instances, docs/postgres.md). A row of our own takes no predicate
 * lock. The address is only a hint: after an update in this transaction
 * the row has moved, the TID scan finds nothing visible, and the case
 * is read by id. */
static enum hh_rc case_get(struct hh_tx *tx, struct hh_arena *a, int64_t id,
			   struct hh_case *out)
{
	FAULT(tx);
	struct pg_conn *conn = (struct pg_conn *)tx;
	struct pg_params p = { 0 };
	p_int(&p, id);
	if (id == conn->new_case_id) {
		p_text(&p, conn->new_case_tid);
		PGresult *r = NULL;
		enum hh_rc rc = RUN(tx, P_CASE_GET_NEW, &p, &r);
		if (rc == HH_OK && PQntuples(r) == 1)
			case_row(a, r, 0, out);
		else if (rc == HH_OK)
			rc = HH_ERR_NOT_FOUND;
		PQclear(r);
		if (rc != HH_ERR_NOT_FOUND)
			return rc;
		conn->new_case_id = 0; /* moved: by id from now on */
		p = (struct pg_params){ 0 };
		p_int(&p, id);
	}
	PG_ONE_ROW(tx, P_CASE_GET, &p, case_row, a, out);
}

/* Adds " AND <cond with $N>" to where, N the number of the parameter
 * just added to p. */
static void where_add(char *where, size_t size, const struct pg_params *p,
		      const char *fmt)
{
	size_t w = strlen(where);
	char cond[256];
	snprintf(cond, sizeof(cond), fmt, p->n, p->n);
	snprintf(where + w, size - w, " AND %s", cond);
}

/* The queue and the overview: the filter varies, so the query is built
 * here. Its text depends only on which filters are given (their values
 * are parameters) and on the limit, so each shape is prepared once per
 * connection (hh_pg_exec_shape): planning the page's joins cost 1-3 ms a
 * call. The limit is in the text: with LIMIT as a parameter a generic
 * plan assumes a tenth of the rows and joins the whole cases table by
 * hash (47 ms for a page of 50, measured; docs/postgres.md). */
static enum hh_rc case_list(struct hh_tx *tx, struct hh_arena *a,
			    const struct hh_case_filter *f, int64_t offset,
			    int64_t limit, int64_t *total, hh_case_cb cb,
			    void *ctx)
{
	FAULT(tx);
	char where[1536] = "WHERE true";
	struct pg_params p = { 0 };
	if (f->org_id) {
		p_int(&p, f->org_id);
		where_add(where, sizeof(where), &p, "c.organisation_id = $%d");
	}
	if (f->citizen_id) {
		p_int(&p, f->citizen_id);
		where_add(where, sizeof(where), &p, "c.citizen_id = $%d");
	}
	if (f->plan_id) {
		p_int(&p, f->plan_id);
		where_add(where, sizeof(where), &p, "c.plan_id = $%d");
	}
	if (f->case_type_id) {
		p_int(&p, f->case_type_id);
		where_add(where, sizeof(where), &p, "c.case_type_id = $%d");
	}
	if (f->assigned_to) {
		p_int(&p, f->assigned_to);
		where_add(where, sizeof(where), &p, "c.assigned_to = $%d");
	}
	if (f->state) {
		p_text(&p, f->state);
		where_add(where, sizeof(where), &p, "c.state = $%d");
	}
	if (f->public_id) {
		p_text(&p, f->public_id);
		where_add(where, sizeof(where), &p, "c.public_id = $%d");
	}
	if (f->open_only || f->overdue_at)
		strcat(where, " AND c.closed_at IS NULL");
	if (f->overdue_at) {
		p_int(&p, f->now);
		where_add(where, sizeof(where), &p,
			  "c.paused_since IS NULL AND c.deadline_at < $%d");
	}
	if (f->assigned_team) {
		p_text(&p, f->assigned_team);
		where_add(where, sizeof(where), &p, "c.assigned_team = $%d");
	}
	if (f->journal_prefix) {
		/* a range, so the index serves it: every text starting with
		 * the prefix sorts below the prefix followed by the highest
		 * code point (in the C collation, docs/postgres.md) */
		p_text(&p, f->journal_prefix);
		where_add(where, sizeof(where), &p, "c.journal_no >= $%d");
		p_text(&p, hh_arena_printf(a, "%s\xf4\x8f\xbf\xbf",
					   f->journal_prefix));
		where_add(where, sizeof(where), &p, "c.journal_no < $%d");
	}
	if (f->citizen_ids) {
		p_text(&p, f->citizen_ids);
		where_add(where, sizeof(where), &p,
			  "c.citizen_id IN (SELECT x::bigint FROM "
			  "jsonb_array_elements_text($%d::jsonb) x)");
	}
	if (f->states) {
		/* = ANY of an array, not IN a subquery: an index condition
		 * on cases_open_state (migrations-pg/0031), where IN made a
		 * hash join of every open case (a stage's total 7-10 ms) */
		p_text(&p, f->states);
		where_add(where, sizeof(where), &p,
			  "c.state = ANY(ARRAY(SELECT "
			  "jsonb_array_elements_text($%d::jsonb)))");
	}
	if (f->case_ids) {
		/* = ANY of an array: an index condition on the primary key */
		p_text(&p, f->case_ids);
		where_add(where, sizeof(where), &p,
			  "c.id = ANY(ARRAY(SELECT x::bigint FROM "
			  "jsonb_array_elements_text($%d::jsonb) x))");
	}
	if (f->exclude_id) {
		p_int(&p, f->exclude_id);
		where_add(where, sizeof(where), &p, "c.id <> $%d");
	}
	char sql[4096];
	PGresult *r;
	enum hh_rc rc;
	if (total) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM cases c %s",
			 where);
		rc = hh_pg_exec_shape(tx, sql, &p, &r);
		if (rc != HH_OK)
			return rc;
		*total = g_int(r, 0, 0);
		PQclear(r);
	}
	const char *order = f->sort == HH_SORT_NEWEST ? "c.id DESC"
						      : "c.deadline_at, c.id";
	/* the first page has no OFFSET: its generic plan then costs what
	 * a custom one does, so PostgreSQL keeps it and stops planning (an
	 * OFFSET parameter is costed as a tenth of the rows skipped) */
	char lim[64] = "ALL";
	if (limit > 0)
		snprintf(lim, sizeof(lim), "%lld", (long long)limit);
	if (offset > 0) {
		p_int(&p, offset);
		size_t n = strlen(lim);
		snprintf(lim + n, sizeof(lim) - n, " OFFSET $%d", p.n);
	}
	snprintf(sql, sizeof(sql),
		 "SELECT " CASE_COLS_HEAD "%s" CASE_COLS_TAIL CASE_FROM
		 "WHERE c.id IN (SELECT c.id FROM cases c %s "
		 "ORDER BY %s LIMIT %s) ORDER BY %s",
		 f->without_labels ? "NULL" : CASE_LABEL_COL, where, order, lim,
		 order);
	rc = hh_pg_exec_shape(tx, sql, &p, &r);
	if (rc != HH_OK)
		return rc;
	for (int i = 0, n = PQntuples(r); i < n && rc == HH_OK; i++) {
		struct hh_case c;
		memset(&c, 0, sizeof(c));
		case_row(a, r, i, &c);
		if (f->without_data)
			c.data = NULL;
		rc = cb(ctx, &c);
	}
	PQclear(r);
	return rc;
}

/* ---- idempotency, files, journal numbers, audit ---------------------- */

static enum hh_rc idempotency_get(struct hh_tx *tx, const char *scope,
				  const char *key, int64_t *case_id,
				  char hash[HH_REQUEST_HASH_SIZE])
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_text(&p, scope);
	p_text(&p, key);
	PGresult *r;
	enum hh_rc rc = RUN(tx, P_IDEM_GET, &p, &r);
	if (rc != HH_OK)
		return rc;
	if (PQntuples(r) == 0) {
		rc = HH_ERR_NOT_FOUND;
	} else {
		*case_id = g_int(r, 0, 0);
		if (hash)
			snprintf(hash, HH_REQUEST_HASH_SIZE, "%s",
				 PQgetvalue(r, 0, 1));
	}
	PQclear(r);
	return rc;
}

static enum hh_rc idempotency_put(struct hh_tx *tx, const char *scope,
				  const char *key, int64_t case_id,
				  const char *hash)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_text(&p, scope);
	p_text(&p, key);
	p_int(&p, case_id);
	p_int(&p, hh_now_us() / 1000000);
	p_text(&p, hash);
	return RUN_GUARDED(tx, P_IDEM_PUT, &p, NULL);
}

static enum hh_rc case_file_insert(struct hh_tx *tx, int64_t case_id,
				   const char *field, const char *name,
				   const char *ctype, const void *data,
				   size_t size, int64_t *id)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, case_id);
	p_text(&p, field);
	p_text(&p, name);
	p_text(&p, ctype);
	p_int(&p, (int64_t)size);
	p_blob(&p, data ? data : "", size);
	p_int(&p, hh_now_us() / 1000000);
	int64_t got;
	enum hh_rc rc = RUN_INT(tx, P_FILE_INSERT, &p, &got);
	if (rc == HH_OK && id)
		*id = got;
	return rc;
}

static void file_row(struct hh_arena *a, const PGresult *r, int i,
		     struct hh_case_file *f)
{
	f->id = g_int(r, i, 0);
	f->case_id = g_int(r, i, 1);
	f->field = g_text(a, r, i, 2);
	f->name = g_text(a, r, i, 3);
	f->content_type = g_text(a, r, i, 4);
	f->data = hh_pg_blob(a, r, i, 5, NULL);
	f->size = (size_t)g_int(r, i, 6);
	f->created_at = g_int(r, i, 7);
}

static enum hh_rc case_file_list(struct hh_tx *tx, struct hh_arena *a,
				 int64_t case_id,
				 enum hh_rc (*cb)(void *ctx,
						  const struct hh_case_file *f),
				 void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, case_id);
	PG_MANY_ROWS(tx, P_FILE_LIST, &p, struct hh_case_file, file_row, a, cb,
		     ctx);
}

static enum hh_rc case_file_get(struct hh_tx *tx, struct hh_arena *a,
				int64_t id, struct hh_case_file *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, id);
	PG_ONE_ROW(tx, P_FILE_GET, &p, file_row, a, out);
}

/* pg-serial: not in tx but on a connection of its own, committed at
 * once, so that concurrent submissions do not fail on the serial's row
 * (postgres_serial.c); a rolled back case leaves a gap. */
static enum hh_rc journal_serial_next(struct hh_tx *tx, int64_t org_id,
				      int year, int64_t *serial)
{
	FAULT(tx);
	return hh_pg_serial_next(tx, org_id, year, serial);
}

static enum hh_rc audit_append(struct hh_tx *tx, const struct hh_audit *e)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, e->at ? e->at : hh_now_us() / 1000000);
	p_text(&p, e->actor);
	p_int(&p, e->citizen_id);
	p_text(&p, e->what);
	p_text(&p, e->why);
	return RUN(tx, P_AUDIT_APPEND, &p, NULL);
}

/* The n entries as one JSON array, one statement (built once per
 * connection, hh_pg_exec_shape). */
static enum hh_rc audit_append_many(struct hh_tx *tx, const struct hh_audit *e,
				    int n)
{
	FAULT(tx);
	if (n <= 0)
		return HH_OK;
	int64_t now = hh_now_us() / 1000000;
	json_t *rows = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(
			rows, json_pack("{s:I, s:s?, s:I, s:s?, s:s?}", "at",
					(json_int_t)(e[i].at ? e[i].at : now), "actor",
					e[i].actor, "citizen_id",
					(json_int_t)e[i].citizen_id, "what", e[i].what,
					"why", e[i].why));
	char *text = json_dumps(rows, JSON_COMPACT);
	json_decref(rows);
	struct pg_params p = { 0 };
	p_text(&p, text);
	enum hh_rc rc = hh_pg_exec_shape(
		tx,
		"INSERT INTO audit_log(at, actor, citizen_id, what, why) "
		"SELECT (x.r ->> 'at')::bigint, x.r ->> 'actor', "
		"(x.r ->> 'citizen_id')::bigint, x.r ->> 'what', x.r ->> 'why' "
		"FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x(r, n) "
		"ORDER BY x.n",
		&p, NULL);
	free(text);
	return rc;
}

static void audit_row(struct hh_arena *a, const PGresult *r, int i,
		      struct hh_audit *e)
{
	e->id = g_int(r, i, 0);
	e->at = g_int(r, i, 1);
	e->actor = g_text(a, r, i, 2);
	e->citizen_id = g_int(r, i, 3);
	e->what = g_text(a, r, i, 4);
	e->why = g_text(a, r, i, 5);
}

static enum hh_rc audit_list(struct hh_tx *tx, struct hh_arena *a,
			     int64_t citizen_id, int limit, hh_audit_cb cb,
			     void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, citizen_id);
	p_int(&p, limit);
	PG_MANY_ROWS(tx, P_AUDIT_LIST, &p, struct hh_audit, audit_row, a, cb,
		     ctx);
}

void hh_pg_fill_cases(struct hh_store *st)
{
	st->case_type_put = case_type_put;
	st->case_type_get = case_type_get;
	st->case_type_get_by_code = case_type_get_by_code;
	st->case_type_list = case_type_list;
	st->citizen_put = citizen_put;
	st->citizen_get = citizen_get;
	st->citizen_get_by_subject = citizen_get_by_subject;
	st->citizen_list = citizen_list;
	st->citizen_get_by_cpr_hash = citizen_get_by_cpr_hash;
	st->citizen_seal_scan = citizen_seal_scan;
	st->citizen_seal_set = citizen_seal_set;
	st->case_seal_scan = case_seal_scan;
	st->case_seal_set = case_seal_set;
	st->seal_keys_in_use = seal_keys_in_use;
	st->citizen_session_insert = citizen_session_insert;
	st->citizen_session_get = citizen_session_get;
	st->citizen_session_delete = citizen_session_delete;
	st->citizen_session_touch = citizen_session_touch;
	st->citizen_session_purge = citizen_session_purge;
	st->plan_insert = plan_insert;
	st->plan_update = plan_update;
	st->plan_get = plan_get;
	st->plan_list = plan_list;
	st->case_insert = case_insert;
	st->case_update = case_update;
	st->case_get = case_get;
	st->case_list = case_list;
	st->idempotency_get = idempotency_get;
	st->idempotency_put = idempotency_put;
	st->case_file_insert = case_file_insert;
	st->case_file_list = case_file_list;
	st->audit_append = audit_append;
	st->audit_append_many = audit_append_many;
	st->audit_list = audit_list;
	st->life_event_put = life_event_put;
	st->life_event_list = life_event_list;
	st->life_event_get = life_event_get;
	/* casework tools */
	st->case_file_get = case_file_get;
	st->journal_serial_next = journal_serial_next;
}
