/* sqlite_cases.c - the SQLite backend: life events, case types, citizens
 * and their sessions, plans, cases, idempotency keys, uploaded files and
 * the audit of reads of personal data. */
#include "store/sqlite_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"

/* CASE_COLS is CASE_COLS_HEAD, the state's label, CASE_COLS_TAIL: a list
 * without_labels reads NULL for the label (case_row gives the key) */
#define CASE_COLS_HEAD                                                       \
	"c.id, c.case_type_id, t.code, t.name, c.organisation_id, o.code, "     \
	"o.name, ifnull(c.citizen_id, 0), z.name, ifnull(c.plan_id, 0), "       \
	"c.step, ifnull(c.parent_case_id, 0), c.state, "                        \
	"ifnull(c.assigned_to, 0), u.name, c.data, c.version, c.created_at, "   \
	"c.updated_at, c.deadline_at, ifnull(c.paused_since, 0), "             \
	"ifnull(c.closed_at, 0), "
#define CASE_LABEL_COL                                                       \
	"(SELECT json_extract(s.value, '$.label') FROM "                      \
	" json_each(t.definition, '$.states') s WHERE "                      \
	" json_extract(s.value, '$.key') = c.state)"
#define CASE_COLS_TAIL                                                       \
	", c.public_id, c.seal_key, "                                          \
	"c.journal_no, c.assigned_team, (SELECT q.label FROM inquiry_codes q " \
	" WHERE q.organisation_id = c.organisation_id AND q.kind = 'team' " \
	" AND q.code = c.assigned_team), coalesce(c.state_since, c.updated_at) "
#define CASE_COLS CASE_COLS_HEAD CASE_LABEL_COL CASE_COLS_TAIL
#define CIT_COLS                                                             \
	"id, subject, name, cpr, ifnull(municipality_id, 0), cpr_key, "       \
	"cpr_hash, cpr_hash_key, address, postcode, city, "                   \
	"ifnull(dp_exempt_since, 0), dp_exempt_reason "
#define CASE_FROM                                                            \
	"FROM cases c JOIN case_types t ON t.id = c.case_type_id "             \
	"JOIN organisations o ON o.id = c.organisation_id "                    \
	"LEFT JOIN citizens z ON z.id = c.citizen_id "                        \
	"LEFT JOIN users u ON u.id = c.assigned_to "

static const char *const stmt_sql[S__COUNT] = {
	[S_LIFE_EVENT_UPSERT] =
		"INSERT INTO life_events(slug, title, summary, position, articles, "
		"definition) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(slug) DO "
		"UPDATE SET title = excluded.title, summary = excluded.summary, "
		"position = excluded.position, articles = excluded.articles, "
		"definition = excluded.definition RETURNING id",
	[S_LIFE_EVENT_LIST] = "SELECT id, slug, title, summary, position, "
			      "articles, definition FROM life_events "
			      "ORDER BY position, slug",
	[S_LIFE_EVENT_GET] = "SELECT id, slug, title, summary, position, "
			     "articles, definition FROM life_events WHERE slug = ?1",
	[S_CT_PUT] = "INSERT INTO case_types(code, organisation, name, public, "
		     "definition, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
		     "ON CONFLICT(code) DO UPDATE SET organisation = "
		     "excluded.organisation, name = excluded.name, public = "
		     "excluded.public, definition = excluded.definition, "
		     "updated_at = excluded.updated_at RETURNING id",
	[S_CT_GET] = "SELECT id, code, organisation, name, public, definition "
		     "FROM case_types WHERE id = ?1",
	[S_CT_GET_CODE] = "SELECT id, code, organisation, name, public, "
			  "definition FROM case_types WHERE code = ?1",
	[S_CT_LIST] = "SELECT id, code, organisation, name, public, definition "
		      "FROM case_types WHERE public OR NOT ?1 ORDER BY name",
	/* a sign-in without a CPR keeps the one known (and its key and hash) */
	[S_CIT_PUT] = "INSERT INTO citizens(subject, name, cpr, municipality_id, "
		      "created_at, cpr_key, cpr_hash, cpr_hash_key, address, postcode, "
		      "city, dp_exempt_since, dp_exempt_reason) VALUES "
		      "(?1, ?2, ?3, nullif(?4, 0), ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
		      "nullif(?12, 0), ?13) "
		      "ON CONFLICT(subject) DO UPDATE SET name = excluded.name, "
		      "cpr = ifnull(excluded.cpr, cpr), "
		      "cpr_key = iif(excluded.cpr IS NULL, cpr_key, excluded.cpr_key), "
		      "cpr_hash = iif(excluded.cpr IS NULL, cpr_hash, excluded.cpr_hash), "
		      "cpr_hash_key = iif(excluded.cpr IS NULL, cpr_hash_key, "
		      "excluded.cpr_hash_key), municipality_id = "
		      "ifnull(excluded.municipality_id, municipality_id), "
		      /* an address or exemption given replaces the one known;
			 none given (a sign-in) keeps it */
		      "address = iif(excluded.address IS NULL, address, excluded.address), "
		      "postcode = iif(excluded.address IS NULL, postcode, excluded.postcode), "
		      "city = iif(excluded.address IS NULL, city, excluded.city), "
		      "dp_exempt_since = iif(excluded.dp_exempt_since IS NULL, "
		      "dp_exempt_since, excluded.dp_exempt_since), "
		      "dp_exempt_reason = iif(excluded.dp_exempt_since IS NULL, "
		      "dp_exempt_reason, excluded.dp_exempt_reason) "
		      "RETURNING id",
	[S_CIT_GET] = "SELECT " CIT_COLS "FROM citizens WHERE id = ?1",
	[S_CIT_GET_SUBJECT] = "SELECT " CIT_COLS "FROM citizens WHERE subject = ?1",
	[S_CIT_LIST] = "SELECT " CIT_COLS "FROM citizens "
		       "WHERE substr(subject, 1, length(?1)) = ?1 ORDER BY name",
	[S_CIT_GET_HASH] = "SELECT " CIT_COLS "FROM citizens WHERE cpr_hash = ?1 "
			   "ORDER BY id LIMIT 1",
	[S_CIT_SEAL_SCAN] = "SELECT " CIT_COLS "FROM citizens WHERE id > ?1 AND "
			    "cpr IS NOT NULL AND (cpr_key IS NOT ?2 OR "
			    "cpr_hash_key IS NOT ?3) ORDER BY id LIMIT ?4",
	[S_CIT_SEAL_SET] = "UPDATE citizens SET cpr = ?2, cpr_key = ?3, "
			   "cpr_hash = ?4, cpr_hash_key = ?5 WHERE id = ?1",
	[S_CASE_SEAL_SCAN] = "SELECT id, data, seal_key FROM cases WHERE id > ?1 "
			     "AND seal_key IS NOT ?2 ORDER BY id LIMIT ?3",
	[S_CASE_SEAL_SET] = "UPDATE cases SET data = ?2, seal_key = ?3 WHERE id = ?1",
	[S_SEAL_KEYS] = "SELECT cpr_key FROM citizens WHERE cpr IS NOT NULL UNION "
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
			"UNION SELECT substr(secret, 4, instr(substr(secret, 4), "
			"':') - 1) FROM webhook_subscriptions "
			"WHERE secret LIKE 'v1:%:%' "
			/* x-hooks2: the secret a rotation replaced */
			"UNION SELECT substr(previous_secret, 4, instr(substr("
			"previous_secret, 4), ':') - 1) FROM webhook_subscriptions "
			"WHERE previous_secret LIKE 'v1:%:%'",
	[S_CSESS_INSERT] = "INSERT INTO citizen_sessions(token_hash, citizen_id, "
			   "csrf, created_at, expires_at, last_seen, loa, oidc_sid, "
			   "oidc_subject) VALUES (?1, ?2, ?3, ?4, ?5, ?4, ?6, ?7, ?8)",
	[S_CSESS_GET] = "SELECT token_hash, citizen_id, csrf, created_at, "
			"expires_at, last_seen, loa, oidc_sid, oidc_subject "
			"FROM citizen_sessions WHERE token_hash = ?1",
	[S_CSESS_TOUCH] = "UPDATE citizen_sessions SET last_seen = ?2 "
			  "WHERE token_hash = ?1",
	[S_CSESS_PURGE] = "DELETE FROM citizen_sessions WHERE expires_at < ?1",
	[S_CSESS_DELETE] = "DELETE FROM citizen_sessions WHERE token_hash = ?1",
	[S_PLAN_INSERT] = "INSERT INTO plans(citizen_id, life_event_id, answers, "
			  "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
	[S_PLAN_UPDATE] = "UPDATE plans SET answers = ?2, updated_at = ?3 "
			  "WHERE id = ?1",
	[S_PLAN_GET] = "SELECT p.id, p.citizen_id, p.life_event_id, l.slug, "
		       "p.answers, p.created_at, p.updated_at FROM plans p "
		       "JOIN life_events l ON l.id = p.life_event_id WHERE p.id = ?1",
	[S_PLAN_LIST] = "SELECT p.id, p.citizen_id, p.life_event_id, l.slug, "
			"p.answers, p.created_at, p.updated_at FROM plans p "
			"JOIN life_events l ON l.id = p.life_event_id "
			"WHERE p.citizen_id = ?1 ORDER BY p.id DESC",
	[S_CASE_INSERT] =
		"INSERT INTO cases(case_type_id, organisation_id, citizen_id, "
		"plan_id, step, parent_case_id, state, assigned_to, data, version, "
		"created_at, updated_at, deadline_at, paused_since, closed_at, "
		"public_id, seal_key, journal_no, assigned_team, state_since) "
		"VALUES (?1, ?2, nullif(?3, 0), nullif(?4, 0), ?5, nullif(?6, 0), "
		"?7, nullif(?8, 0), ?9, 1, ?10, ?10, ?11, nullif(?12, 0), "
		"nullif(?13, 0), ifnull(?14, lower(hex(randomblob(12)))), ?15, ?16, "
		"?17, ?18)",
	[S_CASE_UPDATE] =
		"UPDATE cases SET state = ?3, assigned_to = nullif(?4, 0), "
		"data = ?5, deadline_at = ?6, paused_since = nullif(?7, 0), "
		"closed_at = nullif(?8, 0), updated_at = ?9, version = version + 1, "
		"seal_key = ?10, assigned_team = ?11, state_since = ?12 "
		"WHERE id = ?1 AND version = ?2 RETURNING version",
	[S_CASE_GET] = "SELECT " CASE_COLS CASE_FROM "WHERE c.id = ?1",
	[S_IDEM_GET] = "SELECT case_id, request_hash FROM idempotency "
		       "WHERE scope = ?1 AND key = ?2",
	[S_IDEM_PUT] = "INSERT INTO idempotency(scope, key, case_id, created_at, "
		       "request_hash) VALUES (?1, ?2, ?3, ?4, ?5)",
	[S_FILE_LIST] = "SELECT id, case_id, field, name, content_type, data, "
			"size, created_at FROM case_files WHERE case_id = ?1 "
			"ORDER BY id",
	[S_FILE_INSERT] = "INSERT INTO case_files(case_id, field, name, "
			  "content_type, size, data, created_at) VALUES "
			  "(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[S_AUDIT_APPEND] = "INSERT INTO audit_log(at, actor, citizen_id, what, "
			   "why) VALUES (?1, ?2, ?3, ?4, ?5)",
	[S_AUDIT_LIST] = "SELECT id, at, actor, citizen_id, what, why FROM "
			 "audit_log WHERE citizen_id = ?1 ORDER BY id DESC LIMIT ?2",
	/* casework tools (0016_casework.sql) */
	[S_FILE_GET] = "SELECT id, case_id, field, name, content_type, data, "
		       "size, created_at FROM case_files WHERE id = ?1",
	[S_JOURNAL_NEXT] = "INSERT INTO journal_serials(organisation_id, year, "
			   "last) VALUES (?1, ?2, 1) ON CONFLICT DO UPDATE SET "
			   "last = last + 1 RETURNING last",
};

/* ---- life events ----------------------------------------------------- */

static void life_event_row(struct hh_arena *a, sqlite3_stmt *st,
			   struct hh_life_event *le)
{
	le->id = sqlite3_column_int64(st, 0);
	le->slug = col_text(a, st, 1);
	le->title = col_text(a, st, 2);
	le->summary = col_text(a, st, 3);
	le->position = sqlite3_column_int(st, 4);
	le->articles = col_text(a, st, 5);
	le->definition = col_text(a, st, 6);
}

static enum hh_rc life_event_put(struct hh_tx *tx, struct hh_life_event *le)
{
	FAULT(tx);
	STMT(tx, S_LIFE_EVENT_UPSERT);
	bind_text(st, 1, le->slug);
	bind_text(st, 2, le->title);
	bind_text(st, 3, le->summary);
	sqlite3_bind_int(st, 4, le->position);
	bind_text(st, 5, le->articles ? le->articles : "[]");
	bind_text(st, 6, le->definition ? le->definition : "{}");
	return hh_sq_step_int64(tx, st, &le->id);
}

static enum hh_rc life_event_list(struct hh_tx *tx, struct hh_arena *a,
				  hh_life_event_cb cb, void *ctx)
{
	FAULT(tx);
	STMT(tx, S_LIFE_EVENT_LIST);
	MANY_ROWS(tx, st, struct hh_life_event, life_event_row, a, cb, ctx);
}

static enum hh_rc life_event_get(struct hh_tx *tx, struct hh_arena *a,
				 const char *slug, struct hh_life_event *out)
{
	FAULT(tx);
	STMT(tx, S_LIFE_EVENT_GET);
	bind_text(st, 1, slug);
	ONE_ROW(tx, st, life_event_row, a, out);
}

/* ---- case types, citizens, plans, cases ------------------------------ */

static void ct_row(struct hh_arena *a, sqlite3_stmt *st, struct hh_case_type *c)
{
	c->id = sqlite3_column_int64(st, 0);
	c->code = col_text(a, st, 1);
	c->organisation = col_text(a, st, 2);
	c->name = col_text(a, st, 3);
	c->public = sqlite3_column_int(st, 4);
	c->definition = col_text(a, st, 5);
}

static enum hh_rc case_type_put(struct hh_tx *tx, struct hh_case_type *c)
{
	FAULT(tx);
	STMT(tx, S_CT_PUT);
	bind_text(st, 1, c->code);
	bind_text(st, 2, c->organisation);
	bind_text(st, 3, c->name);
	sqlite3_bind_int(st, 4, c->public);
	bind_text(st, 5, c->definition);
	sqlite3_bind_int64(st, 6, hh_now_us() / 1000000);
	return hh_sq_step_int64(tx, st, &c->id);
}

static enum hh_rc case_type_get(struct hh_tx *tx, struct hh_arena *a, int64_t id,
				struct hh_case_type *out)
{
	FAULT(tx);
	STMT(tx, S_CT_GET);
	sqlite3_bind_int64(st, 1, id);
	ONE_ROW(tx, st, ct_row, a, out);
}

static enum hh_rc case_type_get_by_code(struct hh_tx *tx, struct hh_arena *a,
					const char *code,
					struct hh_case_type *out)
{
	FAULT(tx);
	STMT(tx, S_CT_GET_CODE);
	bind_text(st, 1, code);
	ONE_ROW(tx, st, ct_row, a, out);
}

static enum hh_rc case_type_list(struct hh_tx *tx, struct hh_arena *a,
				 int public_only, hh_case_type_cb cb, void *ctx)
{
	FAULT(tx);
	STMT(tx, S_CT_LIST);
	sqlite3_bind_int(st, 1, public_only);
	MANY_ROWS(tx, st, struct hh_case_type, ct_row, a, cb, ctx);
}

static void cit_row(struct hh_arena *a, sqlite3_stmt *st, struct hh_citizen *c)
{
	c->id = sqlite3_column_int64(st, 0);
	c->subject = col_text(a, st, 1);
	c->name = col_text(a, st, 2);
	c->cpr = col_text(a, st, 3);
	c->municipality_id = sqlite3_column_int64(st, 4);
	c->cpr_key = col_text(a, st, 5);
	c->cpr_hash = sqlite3_column_bytes(st, 6) == 32 ? col_blob(a, st, 6) : NULL;
	c->cpr_hash_key = col_text(a, st, 7);
	c->address = col_text(a, st, 8);
	c->postcode = col_text(a, st, 9);
	c->city = col_text(a, st, 10);
	c->dp_exempt_since = sqlite3_column_int64(st, 11);
	c->dp_exempt_reason = col_text(a, st, 12);
}

static enum hh_rc citizen_put(struct hh_tx *tx, struct hh_citizen *c)
{
	FAULT(tx);
	STMT(tx, S_CIT_PUT);
	bind_text(st, 1, c->subject);
	bind_text(st, 2, c->name);
	bind_text(st, 3, c->cpr);
	sqlite3_bind_int64(st, 4, c->municipality_id);
	sqlite3_bind_int64(st, 5, hh_now_us() / 1000000);
	bind_text(st, 6, c->cpr_key);
	if (c->cpr_hash)
		sqlite3_bind_blob(st, 7, c->cpr_hash, 32, SQLITE_STATIC);
	bind_text(st, 8, c->cpr_hash_key);
	bind_text(st, 9, c->address);
	bind_text(st, 10, c->postcode);
	bind_text(st, 11, c->city);
	sqlite3_bind_int64(st, 12, c->dp_exempt_since);
	bind_text(st, 13, c->dp_exempt_reason);
	return hh_sq_step_int64(tx, st, &c->id);
}

static enum hh_rc citizen_get(struct hh_tx *tx, struct hh_arena *a, int64_t id,
			      struct hh_citizen *out)
{
	FAULT(tx);
	STMT(tx, S_CIT_GET);
	sqlite3_bind_int64(st, 1, id);
	ONE_ROW(tx, st, cit_row, a, out);
}

static enum hh_rc citizen_get_by_subject(struct hh_tx *tx, struct hh_arena *a,
					 const char *subject,
					 struct hh_citizen *out)
{
	FAULT(tx);
	STMT(tx, S_CIT_GET_SUBJECT);
	bind_text(st, 1, subject);
	ONE_ROW(tx, st, cit_row, a, out);
}

static enum hh_rc citizen_list(struct hh_tx *tx, struct hh_arena *a,
			       const char *prefix,
			       enum hh_rc (*cb)(void *ctx, const struct hh_citizen *c),
			       void *ctx)
{
	FAULT(tx);
	STMT(tx, S_CIT_LIST);
	bind_text(st, 1, prefix);
	MANY_ROWS(tx, st, struct hh_citizen, cit_row, a, cb, ctx);
}

static enum hh_rc citizen_get_by_cpr_hash(struct hh_tx *tx, struct hh_arena *a,
					  const unsigned char hash[32],
					  struct hh_citizen *out)
{
	FAULT(tx);
	STMT(tx, S_CIT_GET_HASH);
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	ONE_ROW(tx, st, cit_row, a, out);
}

static enum hh_rc citizen_seal_scan(struct hh_tx *tx, struct hh_arena *a,
				    int64_t after_id, const char *seal_key,
				    const char *hash_key, int limit,
				    hh_citizen_cb cb, void *ctx)
{
	FAULT(tx);
	STMT(tx, S_CIT_SEAL_SCAN);
	sqlite3_bind_int64(st, 1, after_id);
	bind_text(st, 2, seal_key);
	bind_text(st, 3, hash_key);
	sqlite3_bind_int(st, 4, limit);
	MANY_ROWS(tx, st, struct hh_citizen, cit_row, a, cb, ctx);
}

static enum hh_rc citizen_seal_set(struct hh_tx *tx, const struct hh_citizen *c)
{
	FAULT(tx);
	STMT(tx, S_CIT_SEAL_SET);
	sqlite3_bind_int64(st, 1, c->id);
	bind_text(st, 2, c->cpr);
	bind_text(st, 3, c->cpr_key);
	if (c->cpr_hash)
		sqlite3_bind_blob(st, 4, c->cpr_hash, 32, SQLITE_STATIC);
	bind_text(st, 5, c->cpr_hash_key);
	return hh_sq_exec(tx, st);
}

static void case_seal_row(struct hh_arena *a, sqlite3_stmt *st,
			  struct hh_case *c)
{
	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(st, 0);
	c->data = col_text(a, st, 1);
	c->seal_key = col_text(a, st, 2);
}

static enum hh_rc case_seal_scan(struct hh_tx *tx, struct hh_arena *a,
				 int64_t after_id, const char *seal_key,
				 int limit, hh_case_cb cb, void *ctx)
{
	FAULT(tx);
	STMT(tx, S_CASE_SEAL_SCAN);
	sqlite3_bind_int64(st, 1, after_id);
	bind_text(st, 2, seal_key);
	sqlite3_bind_int(st, 3, limit);
	MANY_ROWS(tx, st, struct hh_case, case_seal_row, a, cb, ctx);
}

static enum hh_rc case_seal_set(struct hh_tx *tx, int64_t id, const char *data,
				const char *seal_key)
{
	FAULT(tx);
	STMT(tx, S_CASE_SEAL_SET);
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, data);
	bind_text(st, 3, seal_key);
	return hh_sq_exec(tx, st);
}

static enum hh_rc seal_keys_in_use(struct hh_tx *tx, struct hh_arena *a,
				   enum hh_rc (*cb)(void *ctx, const char *key_id),
				   void *ctx)
{
	FAULT(tx);
	STMT(tx, S_SEAL_KEYS);
	enum hh_rc r = HH_OK;
	int rc;
	while (r == HH_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		r = cb(ctx, col_text(a, st, 0));
	if (r == HH_OK && rc != SQLITE_DONE)
		r = hh_sq_map_rc(db_of(tx), rc);
	done(st);
	return r;
}

static const char *loa_name(enum hh_loa l)
{
	return l == HH_LOA_HIGH ? "high"
	       : l == HH_LOA_SUBSTANTIAL ? "substantial" : "low";
}

static enum hh_loa loa_of(const unsigned char *t)
{
	if (t && !strcmp((const char *)t, "high"))
		return HH_LOA_HIGH;
	if (t && !strcmp((const char *)t, "substantial"))
		return HH_LOA_SUBSTANTIAL;
	return HH_LOA_LOW;
}

static enum hh_rc citizen_session_insert(struct hh_tx *tx,
					 const struct hh_citizen_session *s)
{
	FAULT(tx);
	STMT(tx, S_CSESS_INSERT);
	sqlite3_bind_blob(st, 1, s->token_hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, s->citizen_id);
	bind_text(st, 3, s->csrf);
	sqlite3_bind_int64(st, 4, s->created_at);
	sqlite3_bind_int64(st, 5, s->expires_at);
	bind_text(st, 6, loa_name(s->loa));
	bind_text(st, 7, s->oidc_sid);
	bind_text(st, 8, s->oidc_subject);
	return hh_sq_exec(tx, st);
}

static enum hh_rc citizen_session_touch(struct hh_tx *tx,
					const unsigned char hash[32], int64_t now)
{
	FAULT(tx);
	STMT(tx, S_CSESS_TOUCH);
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	return hh_sq_exec(tx, st);
}

static enum hh_rc citizen_session_purge(struct hh_tx *tx, int64_t now)
{
	FAULT(tx);
	STMT(tx, S_CSESS_PURGE);
	sqlite3_bind_int64(st, 1, now);
	return hh_sq_exec(tx, st);
}

static void csess_row(struct hh_arena *a, sqlite3_stmt *st,
		      struct hh_citizen_session *s)
{
	s->token_hash = col_blob(a, st, 0);
	s->citizen_id = sqlite3_column_int64(st, 1);
	s->csrf = col_text(a, st, 2);
	s->created_at = sqlite3_column_int64(st, 3);
	s->expires_at = sqlite3_column_int64(st, 4);
	s->last_seen = sqlite3_column_int64(st, 5);
	s->loa = loa_of(sqlite3_column_text(st, 6));
	s->oidc_sid = col_text(a, st, 7);
	s->oidc_subject = col_text(a, st, 8);
}

static enum hh_rc citizen_session_get(struct hh_tx *tx, struct hh_arena *a,
				      const unsigned char hash[32],
				      struct hh_citizen_session *out)
{
	FAULT(tx);
	STMT(tx, S_CSESS_GET);
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	ONE_ROW(tx, st, csess_row, a, out);
}

static enum hh_rc citizen_session_delete(struct hh_tx *tx,
					 const unsigned char hash[32])
{
	FAULT(tx);
	STMT(tx, S_CSESS_DELETE);
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	return hh_sq_exec(tx, st);
}

static void plan_row(struct hh_arena *a, sqlite3_stmt *st, struct hh_plan *p)
{
	p->id = sqlite3_column_int64(st, 0);
	p->citizen_id = sqlite3_column_int64(st, 1);
	p->life_event_id = sqlite3_column_int64(st, 2);
	p->life_event_slug = col_text(a, st, 3);
	p->answers = col_text(a, st, 4);
	p->created_at = sqlite3_column_int64(st, 5);
	p->updated_at = sqlite3_column_int64(st, 6);
}

static enum hh_rc plan_insert(struct hh_tx *tx, struct hh_plan *p)
{
	FAULT(tx);
	STMT(tx, S_PLAN_INSERT);
	p->created_at = p->updated_at = hh_now_us() / 1000000;
	sqlite3_bind_int64(st, 1, p->citizen_id);
	sqlite3_bind_int64(st, 2, p->life_event_id);
	bind_text(st, 3, p->answers);
	sqlite3_bind_int64(st, 4, p->created_at);
	enum hh_rc r = hh_sq_exec(tx, st);
	if (r == HH_OK)
		p->id = sqlite3_last_insert_rowid(db_of(tx));
	return r;
}

static enum hh_rc plan_update(struct hh_tx *tx, const struct hh_plan *p)
{
	FAULT(tx);
	STMT(tx, S_PLAN_UPDATE);
	sqlite3_bind_int64(st, 1, p->id);
	bind_text(st, 2, p->answers);
	sqlite3_bind_int64(st, 3, hh_now_us() / 1000000);
	enum hh_rc r = hh_sq_exec(tx, st);
	if (r == HH_OK && sqlite3_changes(db_of(tx)) == 0)
		r = HH_ERR_NOT_FOUND;
	return r;
}

static enum hh_rc plan_get(struct hh_tx *tx, struct hh_arena *a, int64_t id,
			   struct hh_plan *out)
{
	FAULT(tx);
	STMT(tx, S_PLAN_GET);
	sqlite3_bind_int64(st, 1, id);
	ONE_ROW(tx, st, plan_row, a, out);
}

static enum hh_rc plan_list(struct hh_tx *tx, struct hh_arena *a,
			    int64_t citizen_id, hh_plan_cb cb, void *ctx)
{
	FAULT(tx);
	STMT(tx, S_PLAN_LIST);
	sqlite3_bind_int64(st, 1, citizen_id);
	MANY_ROWS(tx, st, struct hh_plan, plan_row, a, cb, ctx);
}

static void case_row(struct hh_arena *a, sqlite3_stmt *st, struct hh_case *c)
{
	c->id = sqlite3_column_int64(st, 0);
	c->case_type_id = sqlite3_column_int64(st, 1);
	c->case_type_code = col_text(a, st, 2);
	c->case_type_name = col_text(a, st, 3);
	c->org_id = sqlite3_column_int64(st, 4);
	c->org_code = col_text(a, st, 5);
	c->org_name = col_text(a, st, 6);
	c->citizen_id = sqlite3_column_int64(st, 7);
	c->citizen_name = col_text(a, st, 8);
	c->plan_id = sqlite3_column_int64(st, 9);
	c->step = col_text(a, st, 10);
	c->parent_case_id = sqlite3_column_int64(st, 11);
	c->state = col_text(a, st, 12);
	c->assigned_to = sqlite3_column_int64(st, 13);
	c->assigned_name = col_text(a, st, 14);
	c->data = col_text(a, st, 15);
	c->version = sqlite3_column_int64(st, 16);
	c->created_at = sqlite3_column_int64(st, 17);
	c->updated_at = sqlite3_column_int64(st, 18);
	c->deadline_at = sqlite3_column_int64(st, 19);
	c->paused_since = sqlite3_column_int64(st, 20);
	c->closed_at = sqlite3_column_int64(st, 21);
	c->state_label = col_text(a, st, 22);
	if (!c->state_label)
		c->state_label = c->state;
	c->public_id = col_text(a, st, 23);
	c->seal_key = col_text(a, st, 24);
	c->journal_no = col_text(a, st, 25);
	c->assigned_team = col_text(a, st, 26);
	c->assigned_team_name = col_text(a, st, 27);
	c->state_since = sqlite3_column_int64(st, 28);
	if (c->assigned_team && !c->assigned_team_name)
		c->assigned_team_name = c->assigned_team;
}

static enum hh_rc case_insert(struct hh_tx *tx, struct hh_case *c)
{
	FAULT(tx);
	STMT(tx, S_CASE_INSERT);
	if (!c->created_at)
		c->created_at = hh_now_us() / 1000000;
	c->updated_at = c->created_at;
	if (!c->state_since)
		c->state_since = c->created_at;
	sqlite3_bind_int64(st, 1, c->case_type_id);
	sqlite3_bind_int64(st, 2, c->org_id);
	sqlite3_bind_int64(st, 3, c->citizen_id);
	sqlite3_bind_int64(st, 4, c->plan_id);
	bind_text(st, 5, c->step);
	sqlite3_bind_int64(st, 6, c->parent_case_id);
	bind_text(st, 7, c->state);
	sqlite3_bind_int64(st, 8, c->assigned_to);
	bind_text(st, 9, c->data ? c->data : "{}");
	sqlite3_bind_int64(st, 10, c->created_at);
	sqlite3_bind_int64(st, 11, c->deadline_at);
	sqlite3_bind_int64(st, 12, c->paused_since);
	sqlite3_bind_int64(st, 13, c->closed_at);
	bind_text(st, 14, c->public_id);
	bind_text(st, 15, c->seal_key);
	bind_text(st, 16, c->journal_no);
	bind_text(st, 17, c->assigned_team);
	sqlite3_bind_int64(st, 18, c->state_since);
	enum hh_rc r = hh_sq_exec(tx, st);
	if (r == HH_OK) {
		c->id = sqlite3_last_insert_rowid(db_of(tx));
		c->version = 1;
	}
	return r;
}

static enum hh_rc case_update(struct hh_tx *tx, struct hh_case *c,
			      int64_t expected)
{
	FAULT(tx);
	STMT(tx, S_CASE_UPDATE);
	c->updated_at = hh_now_us() / 1000000;
	sqlite3_bind_int64(st, 1, c->id);
	sqlite3_bind_int64(st, 2, expected);
	bind_text(st, 3, c->state);
	sqlite3_bind_int64(st, 4, c->assigned_to);
	bind_text(st, 5, c->data ? c->data : "{}");
	sqlite3_bind_int64(st, 6, c->deadline_at);
	sqlite3_bind_int64(st, 7, c->paused_since);
	sqlite3_bind_int64(st, 8, c->closed_at);
	sqlite3_bind_int64(st, 9, c->updated_at);
	bind_text(st, 10, c->seal_key);
	bind_text(st, 11, c->assigned_team);
	sqlite3_bind_int64(st, 12, c->state_since ? c->state_since : c->updated_at);
	int rc = sqlite3_step(st);
	enum hh_rc r;
	if (rc == SQLITE_ROW) {
		c->version = sqlite3_column_int64(st, 0);
		r = HH_OK;
	} else {
		r = rc == SQLITE_DONE ? HH_ERR_CONFLICT : hh_sq_map_rc(db_of(tx), rc);
	}
	done(st);
	return r;
}

static enum hh_rc case_get(struct hh_tx *tx, struct hh_arena *a, int64_t id,
			   struct hh_case *out)
{
	FAULT(tx);
	STMT(tx, S_CASE_GET);
	sqlite3_bind_int64(st, 1, id);
	ONE_ROW(tx, st, case_row, a, out);
}

/* The queue and the overview: the filter varies, so the query is built
 * here. The shapes are few, and each is kept prepared per connection
 * (hh_sq_dyn_get): preparing it again on every call was 29 % of Mit
 * overblik's time (bench/external.sh, perf). */
static enum hh_rc case_list(struct hh_tx *tx, struct hh_arena *a,
			    const struct hh_case_filter *f, int64_t offset,
			    int64_t limit, int64_t *total, hh_case_cb cb,
			    void *ctx)
{
	FAULT(tx);
	char where[768] = "WHERE 1";
	/* with a filter that finds few rows (a citizen, a journal number),
	 * the organisation is a check on them, not an index to walk: "+"
	 * keeps the planner off the organisation's indexes, which it would
	 * otherwise take and read every case of the organisation */
	int few = f->citizen_id || f->citizen_ids || f->journal_prefix ||
		  f->public_id || f->case_ids;
	if (f->org_id)
		strcat(where, few ? " AND +c.organisation_id = :org"
				  : " AND c.organisation_id = :org");
	if (f->citizen_id)
		strcat(where, " AND c.citizen_id = :cit");
	if (f->plan_id)
		strcat(where, " AND c.plan_id = :plan");
	if (f->case_type_id)
		strcat(where, " AND c.case_type_id = :ct");
	if (f->assigned_to)
		strcat(where, " AND c.assigned_to = :asg");
	if (f->state)
		strcat(where, " AND c.state = :state");
	if (f->public_id)
		strcat(where, " AND c.public_id = :pub");
	if (f->open_only || f->overdue_at)
		strcat(where, " AND c.closed_at IS NULL");
	if (f->overdue_at)
		strcat(where, " AND c.paused_since IS NULL AND c.deadline_at < :now");
	/* casework tools: a team, a journal number prefix (a range, so the
	 * index serves it), one of some citizens, one of some states */
	if (f->assigned_team)
		strcat(where, " AND c.assigned_team = :team");
	if (f->journal_prefix)
		strcat(where, " AND c.journal_no >= :jfrom AND c.journal_no < :jto");
	if (f->citizen_ids)
		strcat(where, " AND c.citizen_id IN (SELECT value FROM json_each(:cits))");
	if (f->states)
		strcat(where, " AND c.state IN (SELECT value FROM json_each(:states))");
	if (f->case_ids)
		strcat(where, " AND c.id IN (SELECT value FROM json_each(:ids))");
	if (f->exclude_id)
		strcat(where, " AND c.id <> :excl");
	char sql[3584];
	sqlite3 *db = db_of(tx);
	enum hh_rc r = HH_OK;
	const char *order = f->sort == HH_SORT_NEWEST ? "c.id DESC"
						      : "c.deadline_at, c.id";
	for (int pass = total ? 0 : 1; pass < 2 && r == HH_OK; pass++) {
		if (pass == 0)
			snprintf(sql, sizeof(sql), "SELECT count(*) FROM cases c %s",
				 where);
		else
			/* The page's ids come from the index alone; only those
			 * rows are read and joined (OFFSET would read and join
			 * every skipped row). */
			snprintf(sql, sizeof(sql),
				 "SELECT " CASE_COLS_HEAD "%s" CASE_COLS_TAIL CASE_FROM
				 "WHERE c.id IN (SELECT c.id FROM cases c %s "
				 "ORDER BY %s LIMIT :limit OFFSET :offset) "
				 "ORDER BY %s",
				 f->without_labels ? "NULL" : CASE_LABEL_COL, where,
				 order, order);
		sqlite3_stmt *st;
		int rc = hh_sq_dyn_get(tx, sql, &st);
		if (rc != SQLITE_OK)
			return hh_sq_map_rc(db, rc);
		int i;
		if ((i = sqlite3_bind_parameter_index(st, ":org")))
			sqlite3_bind_int64(st, i, f->org_id);
		if ((i = sqlite3_bind_parameter_index(st, ":cit")))
			sqlite3_bind_int64(st, i, f->citizen_id);
		if ((i = sqlite3_bind_parameter_index(st, ":plan")))
			sqlite3_bind_int64(st, i, f->plan_id);
		if ((i = sqlite3_bind_parameter_index(st, ":ct")))
			sqlite3_bind_int64(st, i, f->case_type_id);
		if ((i = sqlite3_bind_parameter_index(st, ":asg")))
			sqlite3_bind_int64(st, i, f->assigned_to);
		if ((i = sqlite3_bind_parameter_index(st, ":state")))
			bind_text(st, i, f->state);
		if ((i = sqlite3_bind_parameter_index(st, ":pub")))
			bind_text(st, i, f->public_id);
		if ((i = sqlite3_bind_parameter_index(st, ":now")))
			sqlite3_bind_int64(st, i, f->now);
		if ((i = sqlite3_bind_parameter_index(st, ":team")))
			bind_text(st, i, f->assigned_team);
		if ((i = sqlite3_bind_parameter_index(st, ":jfrom")))
			bind_text(st, i, f->journal_prefix);
		if ((i = sqlite3_bind_parameter_index(st, ":jto")))
			/* every text starting with the prefix sorts below the
			 * prefix followed by the highest code point */
			sqlite3_bind_text(st, i,
					  hh_arena_printf(a, "%s\xf4\x8f\xbf\xbf",
							  f->journal_prefix),
					  -1, SQLITE_STATIC);
		if ((i = sqlite3_bind_parameter_index(st, ":cits")))
			bind_text(st, i, f->citizen_ids);
		if ((i = sqlite3_bind_parameter_index(st, ":states")))
			bind_text(st, i, f->states);
		if ((i = sqlite3_bind_parameter_index(st, ":ids")))
			bind_text(st, i, f->case_ids);
		if ((i = sqlite3_bind_parameter_index(st, ":excl")))
			sqlite3_bind_int64(st, i, f->exclude_id);
		if ((i = sqlite3_bind_parameter_index(st, ":limit")))
			sqlite3_bind_int64(st, i, limit > 0 ? limit : -1);
		if ((i = sqlite3_bind_parameter_index(st, ":offset")))
			sqlite3_bind_int64(st, i, offset);
		while (r == HH_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			if (pass == 0) {
				*total = sqlite3_column_int64(st, 0);
			} else {
				struct hh_case c;
				case_row(a, st, &c);
				if (f->without_data)
					c.data = NULL;
				r = cb(ctx, &c);
			}
		}
		if (r == HH_OK && rc != SQLITE_DONE)
			r = hh_sq_map_rc(db, rc);
		hh_sq_dyn_put(tx, st);
	}
	return r;
}

static enum hh_rc idempotency_get(struct hh_tx *tx, const char *scope,
				  const char *key, int64_t *case_id,
				  char hash[HH_REQUEST_HASH_SIZE])
{
	FAULT(tx);
	STMT(tx, S_IDEM_GET);
	bind_text(st, 1, scope);
	bind_text(st, 2, key);
	int rc = sqlite3_step(st);
	enum hh_rc r;
	if (rc == SQLITE_ROW) {
		*case_id = sqlite3_column_int64(st, 0);
		const char *h = (const char *)sqlite3_column_text(st, 1);
		if (hash)
			snprintf(hash, HH_REQUEST_HASH_SIZE, "%s", h ? h : "");
		r = HH_OK;
	} else {
		r = rc == SQLITE_DONE ? HH_ERR_NOT_FOUND : hh_sq_map_rc(db_of(tx), rc);
	}
	done(st);
	return r;
}

static enum hh_rc idempotency_put(struct hh_tx *tx, const char *scope,
				  const char *key, int64_t case_id,
				  const char *hash)
{
	FAULT(tx);
	STMT(tx, S_IDEM_PUT);
	bind_text(st, 1, scope);
	bind_text(st, 2, key);
	sqlite3_bind_int64(st, 3, case_id);
	sqlite3_bind_int64(st, 4, hh_now_us() / 1000000);
	bind_text(st, 5, hash);
	return hh_sq_exec(tx, st);
}

static enum hh_rc case_file_insert(struct hh_tx *tx, int64_t case_id,
				   const char *field, const char *name,
				   const char *ctype, const void *data,
				   size_t size, int64_t *id)
{
	FAULT(tx);
	STMT(tx, S_FILE_INSERT);
	sqlite3_bind_int64(st, 1, case_id);
	bind_text(st, 2, field);
	bind_text(st, 3, name);
	bind_text(st, 4, ctype);
	sqlite3_bind_int64(st, 5, (int64_t)size);
	sqlite3_bind_blob(st, 6, data, (int)size, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, hh_now_us() / 1000000);
	enum hh_rc r = hh_sq_exec(tx, st);
	if (r == HH_OK && id)
		*id = sqlite3_last_insert_rowid(db_of(tx));
	return r;
}

static void file_row(struct hh_arena *a, sqlite3_stmt *st,
		     struct hh_case_file *f)
{
	f->id = sqlite3_column_int64(st, 0);
	f->case_id = sqlite3_column_int64(st, 1);
	f->field = col_text(a, st, 2);
	f->name = col_text(a, st, 3);
	f->content_type = col_text(a, st, 4);
	f->data = col_blob(a, st, 5);
	f->size = (size_t)sqlite3_column_int64(st, 6);
	f->created_at = sqlite3_column_int64(st, 7);
}

static enum hh_rc case_file_list(struct hh_tx *tx, struct hh_arena *a,
				 int64_t case_id,
				 enum hh_rc (*cb)(void *ctx,
						  const struct hh_case_file *f),
				 void *ctx)
{
	FAULT(tx);
	STMT(tx, S_FILE_LIST);
	sqlite3_bind_int64(st, 1, case_id);
	MANY_ROWS(tx, st, struct hh_case_file, file_row, a, cb, ctx);
}

/* ---- casework tools (0016_casework.sql) ---------------------------- */

static enum hh_rc case_file_get(struct hh_tx *tx, struct hh_arena *a,
				int64_t id, struct hh_case_file *out)
{
	FAULT(tx);
	STMT(tx, S_FILE_GET);
	sqlite3_bind_int64(st, 1, id);
	ONE_ROW(tx, st, file_row, a, out);
}

static enum hh_rc journal_serial_next(struct hh_tx *tx, int64_t org_id,
				      int year, int64_t *serial)
{
	FAULT(tx);
	STMT(tx, S_JOURNAL_NEXT);
	sqlite3_bind_int64(st, 1, org_id);
	sqlite3_bind_int(st, 2, year);
	return hh_sq_step_int64(tx, st, serial);
}

static enum hh_rc audit_append(struct hh_tx *tx, const struct hh_audit *e)
{
	FAULT(tx);
	STMT(tx, S_AUDIT_APPEND);
	sqlite3_bind_int64(st, 1, e->at ? e->at : hh_now_us() / 1000000);
	bind_text(st, 2, e->actor);
	sqlite3_bind_int64(st, 3, e->citizen_id);
	bind_text(st, 4, e->what);
	bind_text(st, 5, e->why);
	return hh_sq_exec(tx, st);
}

/* In process one statement per row costs no round trip. */
static enum hh_rc audit_append_many(struct hh_tx *tx, const struct hh_audit *e,
				    int n)
{
	enum hh_rc rc = HH_OK;
	for (int i = 0; rc == HH_OK && i < n; i++)
		rc = audit_append(tx, &e[i]);
	return rc;
}

static void audit_row(struct hh_arena *a, sqlite3_stmt *st, struct hh_audit *e)
{
	e->id = sqlite3_column_int64(st, 0);
	e->at = sqlite3_column_int64(st, 1);
	e->actor = col_text(a, st, 2);
	e->citizen_id = sqlite3_column_int64(st, 3);
	e->what = col_text(a, st, 4);
	e->why = col_text(a, st, 5);
}

static enum hh_rc audit_list(struct hh_tx *tx, struct hh_arena *a,
			     int64_t citizen_id, int limit, hh_audit_cb cb,
			     void *ctx)
{
	FAULT(tx);
	STMT(tx, S_AUDIT_LIST);
	sqlite3_bind_int64(st, 1, citizen_id);
	sqlite3_bind_int(st, 2, limit);
	MANY_ROWS(tx, st, struct hh_audit, audit_row, a, cb, ctx);
}

void hh_sq_fill_cases(struct hh_store *st)
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
