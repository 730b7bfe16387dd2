/* sqlite.c - the embedded SQLite backend of the store interface.
 *
 * One database file in WAL mode with foreign keys on and synchronous=FULL.
 * A small pool of connections serves concurrent requests: each transaction
 * takes a connection for its duration. Statements are prepared once per
 * connection and kept in a per-connection cache. */
#include "store/store.h"

#include <pthread.h>
#include <stdio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/util.h"

extern const char *const hh_sqlite_migrations[];

enum stmt_id {
	S_META_GET,
	S_META_SET,
	S_ORG_UPSERT,
	S_ORG_GET,
	S_ORG_GET_CODE,
	S_ORG_LIST,
	S_USER_INSERT,
	S_USER_GET,
	S_USER_GET_EMAIL,
	S_USER_LIST,
	S_SESSION_INSERT,
	S_SESSION_GET,
	S_SESSION_DELETE,
	S_SESSION_PURGE,
	S_TOKEN_INSERT,
	S_TOKEN_GET,
	S_ARTICLE_INSERT,
	S_ARTICLE_UPDATE,
	S_ARTICLE_VERSION_INSERT,
	S_ARTICLE_GET,
	S_ARTICLE_GET_ID,
	S_ARTICLE_GET_AGENCY,
	S_ARTICLE_VIEWS_ADD,
	S_ARTICLE_VIEWS_GET,
	S_ARTICLE_POPULAR,
	S_EVENT_APPEND,
	S_EVENT_LIST,
	S_EVENT_COUNT,
	S_LIFE_EVENT_UPSERT,
	S_LIFE_EVENT_LIST,
	S_LIFE_EVENT_GET,
	S_SEARCH_LOG_INSERT,
	S_SEARCH_LOG_CHOOSE,
	S_SEARCH_LOG_MAX,
	S_SEARCH_REPORT,
	S_SEARCH_CHOSEN,
	S_CT_PUT,
	S_CT_GET,
	S_CT_GET_CODE,
	S_CT_LIST,
	S_CIT_PUT,
	S_CIT_GET,
	S_CIT_GET_SUBJECT,
	S_CIT_LIST,
	S_CSESS_INSERT,
	S_CSESS_GET,
	S_CSESS_DELETE,
	S_PLAN_INSERT,
	S_PLAN_UPDATE,
	S_PLAN_GET,
	S_PLAN_LIST,
	S_CASE_INSERT,
	S_CASE_UPDATE,
	S_CASE_GET,
	S_IDEM_GET,
	S_IDEM_PUT,
	S_FILE_INSERT,
	S_AUDIT_APPEND,
	S_AUDIT_LIST,
	S_BEGIN,
	S_BEGIN_IMMEDIATE,
	S_COMMIT,
	S_ROLLBACK,
	S__COUNT
};

#define ARTICLE_COLS                                                          \
	"a.id, ifnull(a.organisation_id, 0), o.code, o.name, a.slug, a.title, " \
	"a.summary, a.body_md, a.body_html, a.keywords, a.kle, a.audience, "    \
	"a.status, a.version, a.created_at, a.updated_at, a.updated_by "
#define ARTICLE_FROM \
	"FROM articles a LEFT JOIN organisations o ON o.id = a.organisation_id "

static const char *const stmt_sql[S__COUNT] = {
	[S_META_GET] = "SELECT value FROM meta WHERE key = ?1",
	[S_META_SET] = "INSERT INTO meta(key, value) VALUES (?1, ?2) "
		       "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	[S_ORG_UPSERT] =
		"INSERT INTO organisations(code, name, kind, created_at) "
		"VALUES (?1, ?2, ?3, ?4) ON CONFLICT(code) DO UPDATE SET "
		"name = excluded.name, kind = excluded.kind RETURNING id",
	[S_ORG_GET] = "SELECT id, code, name, kind FROM organisations "
		      "WHERE id = ?1",
	[S_ORG_GET_CODE] = "SELECT id, code, name, kind FROM organisations "
			   "WHERE code = ?1",
	[S_ORG_LIST] = "SELECT id, code, name, kind FROM organisations "
		       "ORDER BY kind DESC, name",
	[S_USER_INSERT] =
		"INSERT INTO users(organisation_id, email, name, password_hash, "
		"roles, disabled, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[S_USER_GET] = "SELECT id, organisation_id, email, name, password_hash, "
		       "roles, disabled, created_at FROM users WHERE id = ?1",
	[S_USER_GET_EMAIL] =
		"SELECT id, organisation_id, email, name, password_hash, roles, "
		"disabled, created_at FROM users WHERE email = ?1",
	[S_USER_LIST] = "SELECT id, organisation_id, email, name, password_hash, "
			"roles, disabled, created_at FROM users ORDER BY id",
	[S_SESSION_INSERT] =
		"INSERT INTO sessions(token_hash, user_id, csrf, created_at, "
		"expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
	[S_SESSION_GET] = "SELECT token_hash, user_id, csrf, created_at, "
			  "expires_at FROM sessions WHERE token_hash = ?1",
	[S_SESSION_DELETE] = "DELETE FROM sessions WHERE token_hash = ?1",
	[S_SESSION_PURGE] = "DELETE FROM sessions WHERE expires_at < ?1",
	[S_TOKEN_INSERT] =
		"INSERT INTO api_tokens(token_hash, organisation_id, name, roles, "
		"created_at, revoked) VALUES (?1, ?2, ?3, ?4, ?5, 0)",
	[S_TOKEN_GET] = "SELECT id, token_hash, organisation_id, name, roles, "
			"created_at, revoked FROM api_tokens "
			"WHERE token_hash = ?1",
	[S_ARTICLE_INSERT] =
		"INSERT INTO articles(organisation_id, slug, title, summary, "
		"body_md, body_html, keywords, kle, audience, status, version, "
		"created_at, updated_at, updated_by) VALUES (nullif(?1, 0), ?2, "
		"?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1, ?11, ?11, ?12)",
	[S_ARTICLE_UPDATE] =
		"UPDATE articles SET title = ?3, summary = ?4, body_md = ?5, "
		"body_html = ?6, keywords = ?7, kle = ?8, audience = ?9, "
		"status = ?10, version = version + 1, updated_at = ?11, "
		"updated_by = ?12 WHERE id = ?1 AND version = ?2 "
		"RETURNING version, created_at",
	[S_ARTICLE_VERSION_INSERT] =
		"INSERT INTO article_versions(article_id, version, title, summary, "
		"body_md, keywords, kle, audience, status, created_at, "
		"created_by) SELECT id, version, title, summary, body_md, "
		"keywords, kle, audience, status, updated_at, updated_by "
		"FROM articles WHERE id = ?1",
	[S_ARTICLE_GET] = "SELECT " ARTICLE_COLS ARTICLE_FROM
			  "WHERE ifnull(a.organisation_id, 0) = ?1 "
			  "AND a.slug = ?2",
	[S_ARTICLE_GET_ID] = "SELECT " ARTICLE_COLS ARTICLE_FROM
			     "WHERE a.id = ?1",
	[S_ARTICLE_GET_AGENCY] = "SELECT " ARTICLE_COLS ARTICLE_FROM
				 "WHERE a.slug = ?1 AND o.kind = 'agency' "
				 "ORDER BY a.id LIMIT 1",
	[S_ARTICLE_VIEWS_ADD] =
		"INSERT INTO article_stats(article_id, views) VALUES (?1, ?2) "
		"ON CONFLICT(article_id) DO UPDATE SET views = views + ?2",
	[S_ARTICLE_VIEWS_GET] =
		"SELECT ifnull((SELECT views FROM article_stats "
		"WHERE article_id = ?1), 0)",
	/* The citizen's scope: shared articles, replaced by the
	 * municipality's override where one exists, plus its own. */
	[S_ARTICLE_POPULAR] =
		"SELECT " ARTICLE_COLS ARTICLE_FROM
		"LEFT JOIN article_stats s ON s.article_id = a.id "
		"WHERE a.status = 'published' AND a.audience = 'citizen' AND ("
		" (a.organisation_id IS NULL AND NOT EXISTS (SELECT 1 FROM "
		"  articles b WHERE b.slug = a.slug AND b.organisation_id = ?1 "
		"  AND b.status = 'published'))"
		" OR a.organisation_id = ?1) "
		"ORDER BY ifnull(s.views, 0) DESC, a.title LIMIT ?2",
	[S_EVENT_APPEND] =
		"INSERT INTO events(at, actor, organisation_id, entity, "
		"entity_id, action, before, after) VALUES (?1, ?2, nullif(?3, 0), "
		"?4, ?5, ?6, ?7, ?8)",
	[S_EVENT_LIST] = "SELECT id, at, actor, ifnull(organisation_id, 0), "
			 "entity, entity_id, action, before, after FROM events "
			 "WHERE entity = ?1 AND entity_id = ?2 ORDER BY id",
	[S_EVENT_COUNT] = "SELECT count(*) FROM events",
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
#define CASE_COLS                                                            \
	"c.id, c.case_type_id, t.code, t.name, c.organisation_id, o.code, "     \
	"o.name, ifnull(c.citizen_id, 0), z.name, ifnull(c.plan_id, 0), "       \
	"c.step, ifnull(c.parent_case_id, 0), c.state, "                        \
	"ifnull(c.assigned_to, 0), u.name, c.data, c.version, c.created_at, "   \
	"c.updated_at, c.deadline_at, ifnull(c.paused_since, 0), "             \
	"ifnull(c.closed_at, 0), "                                             \
	"(SELECT json_extract(s.value, '$.label') FROM "                      \
	" json_each(t.definition, '$.states') s WHERE "                      \
	" json_extract(s.value, '$.key') = c.state) "
#define CASE_FROM                                                            \
	"FROM cases c JOIN case_types t ON t.id = c.case_type_id "             \
	"JOIN organisations o ON o.id = c.organisation_id "                    \
	"LEFT JOIN citizens z ON z.id = c.citizen_id "                        \
	"LEFT JOIN users u ON u.id = c.assigned_to "
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
	[S_CIT_PUT] = "INSERT INTO citizens(subject, name, cpr, municipality_id, "
		      "created_at) VALUES (?1, ?2, ?3, nullif(?4, 0), ?5) "
		      "ON CONFLICT(subject) DO UPDATE SET name = excluded.name, "
		      "cpr = ifnull(excluded.cpr, cpr), municipality_id = "
		      "ifnull(excluded.municipality_id, municipality_id) "
		      "RETURNING id",
	[S_CIT_GET] = "SELECT id, subject, name, cpr, ifnull(municipality_id, 0) "
		      "FROM citizens WHERE id = ?1",
	[S_CIT_GET_SUBJECT] = "SELECT id, subject, name, cpr, "
			      "ifnull(municipality_id, 0) FROM citizens "
			      "WHERE subject = ?1",
	[S_CIT_LIST] = "SELECT id, subject, name, cpr, ifnull(municipality_id, 0) "
		       "FROM citizens WHERE substr(subject, 1, length(?1)) = ?1 "
		       "ORDER BY name",
	[S_CSESS_INSERT] = "INSERT INTO citizen_sessions(token_hash, citizen_id, "
			   "csrf, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
	[S_CSESS_GET] = "SELECT token_hash, citizen_id, csrf, created_at, "
			"expires_at FROM citizen_sessions WHERE token_hash = ?1",
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
		"created_at, updated_at, deadline_at, paused_since, closed_at) "
		"VALUES (?1, ?2, nullif(?3, 0), nullif(?4, 0), ?5, nullif(?6, 0), "
		"?7, nullif(?8, 0), ?9, 1, ?10, ?10, ?11, nullif(?12, 0), "
		"nullif(?13, 0))",
	[S_CASE_UPDATE] =
		"UPDATE cases SET state = ?3, assigned_to = nullif(?4, 0), "
		"data = ?5, deadline_at = ?6, paused_since = nullif(?7, 0), "
		"closed_at = nullif(?8, 0), updated_at = ?9, version = version + 1 "
		"WHERE id = ?1 AND version = ?2 RETURNING version",
	[S_CASE_GET] = "SELECT " CASE_COLS CASE_FROM "WHERE c.id = ?1",
	[S_IDEM_GET] = "SELECT case_id FROM idempotency WHERE scope = ?1 AND key = ?2",
	[S_IDEM_PUT] = "INSERT INTO idempotency(scope, key, case_id, created_at) "
		       "VALUES (?1, ?2, ?3, ?4)",
	[S_FILE_INSERT] = "INSERT INTO case_files(case_id, field, name, "
			  "content_type, size, data, created_at) VALUES "
			  "(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[S_AUDIT_APPEND] = "INSERT INTO audit_log(at, actor, citizen_id, what, "
			   "why) VALUES (?1, ?2, ?3, ?4, ?5)",
	[S_AUDIT_LIST] = "SELECT id, at, actor, citizen_id, what, why FROM "
			 "audit_log WHERE citizen_id = ?1 ORDER BY id DESC LIMIT ?2",
	[S_SEARCH_LOG_INSERT] =
		"INSERT INTO search_log(id, at, query, municipality_id, results) "
		"VALUES (?1, ?2, ?3, nullif(?4, 0), ?5)",
	[S_SEARCH_LOG_CHOOSE] =
		"UPDATE search_log SET chosen_article_id = ?2, chosen_at = ?3 "
		"WHERE id = ?1 AND chosen_article_id IS NULL",
	[S_SEARCH_LOG_MAX] = "SELECT ifnull(max(id), 0) FROM search_log",
	[S_SEARCH_REPORT] =
		"SELECT lower(query), count(*), sum(results > 0), "
		"count(chosen_article_id) FROM search_log WHERE at >= ?1 "
		"GROUP BY lower(query) HAVING sum(results > 0) = 0 "
		"OR count(chosen_article_id) = 0 "
		"ORDER BY sum(results > 0) = 0 DESC, count(*) DESC, 1 LIMIT ?2",
	[S_SEARCH_CHOSEN] =
		"SELECT chosen_article_id, count(*) FROM search_log "
		"WHERE chosen_article_id IS NOT NULL GROUP BY 1",
	[S_BEGIN] = "BEGIN",
	[S_BEGIN_IMMEDIATE] = "BEGIN IMMEDIATE",
	[S_COMMIT] = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",
};

struct conn {
	struct hh_tx tx; /* first: a struct hh_tx * is a struct conn * */
	sqlite3 *db;
	sqlite3_stmt *stmts[S__COUNT];
	int in_use;
	int orgs_written; /* this transaction called org_put */
};

struct sq {
	struct hh_store store;
	char *path;
	struct conn *conns;
	int n_conns;
	pthread_mutex_t lock;
	pthread_cond_t freed;
	/* fault injection (tests) */
	int fault_countdown;
	enum hh_rc fault_rc;
};

static struct sq *sq_of(struct hh_tx *tx)
{
	return tx->store->cls;
}

static enum hh_rc map_rc(sqlite3 *db, int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return HH_OK;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return HH_ERR_BUSY;
	case SQLITE_CONSTRAINT:
		return HH_ERR_CONFLICT;
	case SQLITE_IOERR:
	case SQLITE_FULL:
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
		hh_log(HH_LOG_ERROR, "sqlite: %s", sqlite3_errmsg(db));
		return HH_ERR_IO;
	default:
		hh_log_bug("sqlite: %s (%d)", sqlite3_errmsg(db), rc);
		return HH_ERR_INTERNAL;
	}
}

/* Counts down to an injected fault; returns the rc to fail with or OK. */
static enum hh_rc fault(struct sq *s)
{
	if (s->fault_countdown <= 0)
		return HH_OK;
	if (--s->fault_countdown == 0)
		return s->fault_rc;
	return HH_OK;
}

#define FAULT(tx)                                          \
	do {                                               \
		enum hh_rc frc_ = fault(sq_of(tx));        \
		if (frc_ != HH_OK)                         \
			return frc_;                       \
	} while (0)

void hh_store_fault_inject(struct hh_store *st, int n, enum hh_rc rc)
{
	struct sq *s = st->cls;
	s->fault_countdown = n;
	s->fault_rc = rc;
}

static sqlite3_stmt *stmt(struct hh_tx *tx, enum stmt_id id)
{
	struct conn *c = (struct conn *)tx;
	if (!c->stmts[id]) {
		int rc = sqlite3_prepare_v3(c->db, stmt_sql[id], -1,
					    SQLITE_PREPARE_PERSISTENT,
					    &c->stmts[id], NULL);
		if (rc != SQLITE_OK) {
			hh_log_bug("sqlite prepare %d: %s", (int)id,
				   sqlite3_errmsg(c->db));
			return NULL;
		}
	}
	return c->stmts[id];
}

static void done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

static sqlite3 *db_of(struct hh_tx *tx)
{
	return ((struct conn *)tx)->db;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static const char *col_text(struct hh_arena *a, sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	if (!t)
		return NULL;
	return hh_arena_strndup(a, (const char *)t,
				(size_t)sqlite3_column_bytes(st, i));
}

static const unsigned char *col_blob(struct hh_arena *a, sqlite3_stmt *st,
				     int i)
{
	const void *b = sqlite3_column_blob(st, i);
	int n = sqlite3_column_bytes(st, i);
	if (!b)
		return NULL;
	unsigned char *p = hh_arena_alloc(a, (size_t)n);
	memcpy(p, b, (size_t)n);
	return p;
}

/* Steps a statement that returns no row we need. */
static enum hh_rc exec_stmt(struct hh_tx *tx, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	enum hh_rc r = (rc == SQLITE_DONE || rc == SQLITE_ROW)
			       ? HH_OK
			       : map_rc(db_of(tx), rc);
	done(st);
	return r;
}

/* Steps a statement expected to give one row read by row(); NOT_FOUND if
 * none. */
#define ONE_ROW(tx, st, rowfn, a, out)                                      \
	do {                                                                \
		int rc_ = sqlite3_step(st);                                 \
		enum hh_rc r_;                                              \
		if (rc_ == SQLITE_ROW) {                                    \
			rowfn(a, st, out);                                  \
			r_ = HH_OK;                                         \
		} else {                                                    \
			r_ = rc_ == SQLITE_DONE ? HH_ERR_NOT_FOUND          \
						: map_rc(db_of(tx), rc_);   \
		}                                                           \
		done(st);                                                   \
		return r_;                                                  \
	} while (0)

#define MANY_ROWS(tx, st, type, rowfn, a, cb, ctx)                          \
	do {                                                                \
		enum hh_rc r_ = HH_OK;                                      \
		int rc_ = SQLITE_DONE;                                      \
		while (r_ == HH_OK && (rc_ = sqlite3_step(st)) == SQLITE_ROW) { \
			type row_;                                          \
			rowfn(a, st, &row_);                                \
			r_ = cb(ctx, &row_);                                \
		}                                                           \
		if (r_ == HH_OK && rc_ != SQLITE_DONE)                      \
			r_ = map_rc(db_of(tx), rc_);                        \
		done(st);                                                   \
		return r_;                                                  \
	} while (0)

#define STMT(tx, id)                                    \
	sqlite3_stmt *st = stmt(tx, id);                \
	if (!st)                                        \
		return HH_ERR_INTERNAL

/* Steps a statement that returns one integer (an id, a count) in its first
 * column. */
static enum hh_rc step_int64(struct hh_tx *tx, sqlite3_stmt *st, int64_t *out)
{
	int rc = sqlite3_step(st);
	enum hh_rc r = HH_OK;
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else
		r = map_rc(db_of(tx), rc);
	done(st);
	return r;
}

/* ---- pool and transactions ------------------------------------------ */

static enum hh_rc conn_open(struct sq *s, struct conn *c)
{
	int rc = sqlite3_open_v2(s->path, &c->db,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
					 SQLITE_OPEN_NOMUTEX,
				 NULL);
	if (rc != SQLITE_OK) {
		hh_log(HH_LOG_ERROR, "cannot open %s: %s", s->path,
		       c->db ? sqlite3_errmsg(c->db) : "out of memory");
		return HH_ERR_IO;
	}
	/* Durability first: FULL syncs the WAL on every commit. BUSY is
	 * waited for briefly here and retried by hh_store_run_tx. */
	const char *pragmas = "PRAGMA journal_mode=WAL;"
			      "PRAGMA synchronous=FULL;"
			      "PRAGMA foreign_keys=ON;"
			      "PRAGMA busy_timeout=2000;"
			      "PRAGMA temp_store=MEMORY;";
	char *err = NULL;
	rc = sqlite3_exec(c->db, pragmas, NULL, NULL, &err);
	if (rc != SQLITE_OK) {
		hh_log(HH_LOG_ERROR, "cannot set up %s: %s", s->path,
		       err ? err : "?");
		sqlite3_free(err);
		return rc == SQLITE_BUSY ? HH_ERR_BUSY : HH_ERR_IO;
	}
	c->tx.store = &s->store;
	return HH_OK;
}

static void conn_close(struct conn *c)
{
	for (int i = 0; i < S__COUNT; i++)
		sqlite3_finalize(c->stmts[i]);
	sqlite3_close_v2(c->db);
}

static enum hh_rc tx_begin(void *cls, int write, struct hh_tx **out)
{
	struct sq *s = cls;
	struct conn *c = NULL;
	pthread_mutex_lock(&s->lock);
	for (;;) {
		for (int i = 0; i < s->n_conns; i++) {
			if (!s->conns[i].in_use) {
				c = &s->conns[i];
				break;
			}
		}
		if (c)
			break;
		pthread_cond_wait(&s->freed, &s->lock);
	}
	c->in_use = 1;
	pthread_mutex_unlock(&s->lock);

	c->tx.write = write;
	c->orgs_written = 0;
	enum hh_rc rc = fault(s);
	if (rc == HH_OK)
		rc = exec_stmt(&c->tx,
			       stmt(&c->tx, write ? S_BEGIN_IMMEDIATE : S_BEGIN));
	if (rc != HH_OK) {
		pthread_mutex_lock(&s->lock);
		c->in_use = 0;
		pthread_cond_signal(&s->freed);
		pthread_mutex_unlock(&s->lock);
		return rc;
	}
	*out = &c->tx;
	return HH_OK;
}

static void release(struct hh_tx *tx)
{
	struct sq *s = sq_of(tx);
	struct conn *c = (struct conn *)tx;
	/* after COMMIT or ROLLBACK: what hh_store_org_by_code kept before
	 * is no longer used */
	if (c->orgs_written)
		atomic_fetch_add(&s->store.orgs_version, 1);
	c->orgs_written = 0;
	pthread_mutex_lock(&s->lock);
	c->in_use = 0;
	pthread_cond_signal(&s->freed);
	pthread_mutex_unlock(&s->lock);
}

static void tx_rollback(struct hh_tx *tx)
{
	if (!sqlite3_get_autocommit(db_of(tx)))
		exec_stmt(tx, stmt(tx, S_ROLLBACK));
	release(tx);
}

static enum hh_rc tx_commit(struct hh_tx *tx)
{
	enum hh_rc rc = fault(sq_of(tx));
	if (rc == HH_OK)
		rc = exec_stmt(tx, stmt(tx, S_COMMIT));
	if (rc != HH_OK) {
		tx_rollback(tx);
		return rc;
	}
	release(tx);
	return HH_OK;
}

/* ---- migrations ------------------------------------------------------ */

static int latest_version(void)
{
	int n = 0;
	while (hh_sqlite_migrations[n])
		n++;
	return n;
}

static enum hh_rc schema_version(void *cls, int *current, int *latest)
{
	struct sq *s = cls;
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(s->conns[0].db, "PRAGMA user_version", -1,
				    &st, NULL);
	if (rc != SQLITE_OK)
		return map_rc(s->conns[0].db, rc);
	*current = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0)
						  : 0;
	sqlite3_finalize(st);
	*latest = latest_version();
	return HH_OK;
}

static enum hh_rc migrate(void *cls, int *applied)
{
	struct sq *s = cls;
	sqlite3 *db = s->conns[0].db;
	int current, latest, n = 0;
	enum hh_rc r = schema_version(cls, &current, &latest);
	if (r != HH_OK)
		return r;
	if (current > latest) {
		hh_log(HH_LOG_ERROR,
		       "database schema %d is newer than this helhed (%d)",
		       current, latest);
		return HH_ERR_INVALID;
	}
	/* Each migration runs in its own immediate transaction together
	 * with the user_version bump, so a crash leaves a consistent
	 * version. Another process migrating at once is serialised by the
	 * write lock and we re-read the version inside it. */
	for (int v = current; v < latest; v++) {
		char *err = NULL;
		int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &err);
		if (rc != SQLITE_OK) {
			sqlite3_free(err);
			return map_rc(db, rc);
		}
		int now;
		schema_version(cls, &now, &latest);
		if (now > v) {
			sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
			v = now - 1;
			continue;
		}
		char setv[64];
		snprintf(setv, sizeof(setv), "PRAGMA user_version=%d", v + 1);
		rc = sqlite3_exec(db, hh_sqlite_migrations[v], NULL, NULL, &err);
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(db, setv, NULL, NULL, &err);
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(db, "COMMIT", NULL, NULL, &err);
		if (rc != SQLITE_OK) {
			hh_log(HH_LOG_ERROR, "migration %d failed: %s", v + 1,
			       err ? err : sqlite3_errmsg(db));
			sqlite3_free(err);
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return HH_ERR_INTERNAL;
		}
		n++;
	}
	if (applied)
		*applied = n;
	return HH_OK;
}

/* ---- meta ------------------------------------------------------------ */

static enum hh_rc meta_get(struct hh_tx *tx, struct hh_arena *a,
			   const char *key, const char **value)
{
	FAULT(tx);
	STMT(tx, S_META_GET);
	bind_text(st, 1, key);
	int rc = sqlite3_step(st);
	*value = rc == SQLITE_ROW ? col_text(a, st, 0) : NULL;
	enum hh_rc r = rc == SQLITE_ROW || rc == SQLITE_DONE
			       ? HH_OK
			       : map_rc(db_of(tx), rc);
	done(st);
	return r;
}

static enum hh_rc meta_set(struct hh_tx *tx, const char *key,
			   const char *value)
{
	FAULT(tx);
	STMT(tx, S_META_SET);
	bind_text(st, 1, key);
	bind_text(st, 2, value);
	return exec_stmt(tx, st);
}

/* ---- organisations --------------------------------------------------- */

static const char *kind_name(enum hh_org_kind k)
{
	return k == HH_ORG_AGENCY ? "agency" : "municipality";
}

static void org_row(struct hh_arena *a, sqlite3_stmt *st, struct hh_org *o)
{
	o->id = sqlite3_column_int64(st, 0);
	o->code = col_text(a, st, 1);
	o->name = col_text(a, st, 2);
	const char *k = (const char *)sqlite3_column_text(st, 3);
	o->kind = k && strcmp(k, "agency") == 0 ? HH_ORG_AGENCY
						: HH_ORG_MUNICIPALITY;
}

static enum hh_rc org_put(struct hh_tx *tx, struct hh_org *o)
{
	((struct conn *)tx)->orgs_written = 1;
	FAULT(tx);
	STMT(tx, S_ORG_UPSERT);
	bind_text(st, 1, o->code);
	bind_text(st, 2, o->name);
	bind_text(st, 3, kind_name(o->kind));
	sqlite3_bind_int64(st, 4, hh_now_us() / 1000000);
	return step_int64(tx, st, &o->id);
}

static enum hh_rc org_get_one(struct hh_tx *tx, struct hh_arena *a,
			      sqlite3_stmt *st, struct hh_org *out)
{
	ONE_ROW(tx, st, org_row, a, out);
}

static enum hh_rc org_get(struct hh_tx *tx, struct hh_arena *a, int64_t id,
			  struct hh_org *out)
{
	FAULT(tx);
	STMT(tx, S_ORG_GET);
	sqlite3_bind_int64(st, 1, id);
	return org_get_one(tx, a, st, out);
}

static enum hh_rc org_get_by_code(struct hh_tx *tx, struct hh_arena *a,
				  const char *code, struct hh_org *out)
{
	FAULT(tx);
	STMT(tx, S_ORG_GET_CODE);
	bind_text(st, 1, code);
	return org_get_one(tx, a, st, out);
}

static enum hh_rc org_list(struct hh_tx *tx, struct hh_arena *a,
			   hh_org_cb cb, void *ctx)
{
	FAULT(tx);
	STMT(tx, S_ORG_LIST);
	MANY_ROWS(tx, st, struct hh_org, org_row, a, cb, ctx);
}

/* ---- users ----------------------------------------------------------- */

static void user_row(struct hh_arena *a, sqlite3_stmt *st, struct hh_user *u)
{
	u->id = sqlite3_column_int64(st, 0);
	u->org_id = sqlite3_column_int64(st, 1);
	u->email = col_text(a, st, 2);
	u->name = col_text(a, st, 3);
	u->password_hash = col_text(a, st, 4);
	u->roles = (unsigned)sqlite3_column_int(st, 5);
	u->disabled = sqlite3_column_int(st, 6);
	u->created_at = sqlite3_column_int64(st, 7);
}

static enum hh_rc user_insert(struct hh_tx *tx, struct hh_user *u)
{
	FAULT(tx);
	STMT(tx, S_USER_INSERT);
	sqlite3_bind_int64(st, 1, u->org_id);
	bind_text(st, 2, u->email);
	bind_text(st, 3, u->name);
	bind_text(st, 4, u->password_hash);
	sqlite3_bind_int(st, 5, (int)u->roles);
	sqlite3_bind_int(st, 6, u->disabled);
	if (!u->created_at)
		u->created_at = hh_now_us() / 1000000;
	sqlite3_bind_int64(st, 7, u->created_at);
	enum hh_rc r = exec_stmt(tx, st);
	if (r == HH_OK)
		u->id = sqlite3_last_insert_rowid(db_of(tx));
	return r;
}

static enum hh_rc user_get_one(struct hh_tx *tx, struct hh_arena *a,
			       sqlite3_stmt *st, struct hh_user *out)
{
	ONE_ROW(tx, st, user_row, a, out);
}

static enum hh_rc user_get(struct hh_tx *tx, struct hh_arena *a, int64_t id,
			   struct hh_user *out)
{
	FAULT(tx);
	STMT(tx, S_USER_GET);
	sqlite3_bind_int64(st, 1, id);
	return user_get_one(tx, a, st, out);
}

static enum hh_rc user_get_by_email(struct hh_tx *tx, struct hh_arena *a,
				    const char *email, struct hh_user *out)
{
	FAULT(tx);
	STMT(tx, S_USER_GET_EMAIL);
	bind_text(st, 1, email);
	return user_get_one(tx, a, st, out);
}

static enum hh_rc user_list(struct hh_tx *tx, struct hh_arena *a,
			    hh_user_cb cb, void *ctx)
{
	FAULT(tx);
	STMT(tx, S_USER_LIST);
	MANY_ROWS(tx, st, struct hh_user, user_row, a, cb, ctx);
}

/* ---- sessions and tokens ---------------------------------------------- */

static enum hh_rc session_insert(struct hh_tx *tx, const struct hh_session *s)
{
	FAULT(tx);
	STMT(tx, S_SESSION_INSERT);
	sqlite3_bind_blob(st, 1, s->token_hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, s->user_id);
	bind_text(st, 3, s->csrf);
	sqlite3_bind_int64(st, 4, s->created_at);
	sqlite3_bind_int64(st, 5, s->expires_at);
	return exec_stmt(tx, st);
}

static enum hh_rc session_get(struct hh_tx *tx, struct hh_arena *a,
			      const unsigned char hash[32],
			      struct hh_session *out)
{
	FAULT(tx);
	STMT(tx, S_SESSION_GET);
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	enum hh_rc r;
	if (rc == SQLITE_ROW) {
		out->token_hash = col_blob(a, st, 0);
		out->user_id = sqlite3_column_int64(st, 1);
		out->csrf = col_text(a, st, 2);
		out->created_at = sqlite3_column_int64(st, 3);
		out->expires_at = sqlite3_column_int64(st, 4);
		r = HH_OK;
	} else {
		r = rc == SQLITE_DONE ? HH_ERR_NOT_FOUND : map_rc(db_of(tx), rc);
	}
	done(st);
	return r;
}

static enum hh_rc session_delete(struct hh_tx *tx, const unsigned char h[32])
{
	FAULT(tx);
	STMT(tx, S_SESSION_DELETE);
	sqlite3_bind_blob(st, 1, h, 32, SQLITE_STATIC);
	return exec_stmt(tx, st);
}

static enum hh_rc session_purge(struct hh_tx *tx, int64_t now)
{
	FAULT(tx);
	STMT(tx, S_SESSION_PURGE);
	sqlite3_bind_int64(st, 1, now);
	return exec_stmt(tx, st);
}

static enum hh_rc token_insert(struct hh_tx *tx, struct hh_api_token *t)
{
	FAULT(tx);
	STMT(tx, S_TOKEN_INSERT);
	sqlite3_bind_blob(st, 1, t->token_hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, t->org_id);
	bind_text(st, 3, t->name);
	sqlite3_bind_int(st, 4, (int)t->roles);
	if (!t->created_at)
		t->created_at = hh_now_us() / 1000000;
	sqlite3_bind_int64(st, 5, t->created_at);
	enum hh_rc r = exec_stmt(tx, st);
	if (r == HH_OK)
		t->id = sqlite3_last_insert_rowid(db_of(tx));
	return r;
}

static enum hh_rc token_get(struct hh_tx *tx, struct hh_arena *a,
			    const unsigned char hash[32],
			    struct hh_api_token *out)
{
	FAULT(tx);
	STMT(tx, S_TOKEN_GET);
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	enum hh_rc r;
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		out->token_hash = col_blob(a, st, 1);
		out->org_id = sqlite3_column_int64(st, 2);
		out->name = col_text(a, st, 3);
		out->roles = (unsigned)sqlite3_column_int(st, 4);
		out->created_at = sqlite3_column_int64(st, 5);
		out->revoked = sqlite3_column_int(st, 6);
		r = HH_OK;
	} else {
		r = rc == SQLITE_DONE ? HH_ERR_NOT_FOUND : map_rc(db_of(tx), rc);
	}
	done(st);
	return r;
}

/* ---- articles -------------------------------------------------------- */

static const char *audience_name(enum hh_audience a)
{
	return a == HH_AUDIENCE_STAFF ? "staff" : "citizen";
}

static const char *status_name(enum hh_status s)
{
	switch (s) {
	case HH_STATUS_DRAFT: return "draft";
	case HH_STATUS_ARCHIVED: return "archived";
	default: return "published";
	}
}

static void article_row(struct hh_arena *a, sqlite3_stmt *st,
			struct hh_article *r)
{
	r->id = sqlite3_column_int64(st, 0);
	r->org_id = sqlite3_column_int64(st, 1);
	r->org_code = col_text(a, st, 2);
	r->org_name = col_text(a, st, 3);
	r->slug = col_text(a, st, 4);
	r->title = col_text(a, st, 5);
	r->summary = col_text(a, st, 6);
	r->body_md = col_text(a, st, 7);
	r->body_html = col_text(a, st, 8);
	r->keywords = col_text(a, st, 9);
	r->kle = col_text(a, st, 10);
	const char *au = (const char *)sqlite3_column_text(st, 11);
	r->audience = au && strcmp(au, "staff") == 0 ? HH_AUDIENCE_STAFF
						     : HH_AUDIENCE_CITIZEN;
	const char *s = (const char *)sqlite3_column_text(st, 12);
	r->status = !s ? HH_STATUS_DRAFT
		    : strcmp(s, "published") == 0 ? HH_STATUS_PUBLISHED
		    : strcmp(s, "archived") == 0  ? HH_STATUS_ARCHIVED
						  : HH_STATUS_DRAFT;
	r->version = sqlite3_column_int64(st, 13);
	r->created_at = sqlite3_column_int64(st, 14);
	r->updated_at = sqlite3_column_int64(st, 15);
	r->updated_by = col_text(a, st, 16);
}

static void bind_article(sqlite3_stmt *st, const struct hh_article *a)
{
	bind_text(st, 3, a->title);
	bind_text(st, 4, a->summary);
	bind_text(st, 5, a->body_md);
	bind_text(st, 6, a->body_html);
	bind_text(st, 7, a->keywords ? a->keywords : "");
	bind_text(st, 8, a->kle ? a->kle : "");
	bind_text(st, 9, audience_name(a->audience));
	bind_text(st, 10, status_name(a->status));
	sqlite3_bind_int64(st, 11, a->updated_at);
	bind_text(st, 12, a->updated_by ? a->updated_by : "system");
}

static enum hh_rc version_insert(struct hh_tx *tx, int64_t id)
{
	STMT(tx, S_ARTICLE_VERSION_INSERT);
	sqlite3_bind_int64(st, 1, id);
	return exec_stmt(tx, st);
}

static enum hh_rc article_insert(struct hh_tx *tx, struct hh_article *a)
{
	FAULT(tx);
	STMT(tx, S_ARTICLE_INSERT);
	if (!a->updated_at)
		a->updated_at = hh_now_us() / 1000000;
	sqlite3_bind_int64(st, 1, a->org_id);
	bind_text(st, 2, a->slug);
	bind_article(st, a);
	enum hh_rc r = exec_stmt(tx, st);
	if (r != HH_OK)
		return r;
	a->id = sqlite3_last_insert_rowid(db_of(tx));
	a->version = 1;
	a->created_at = a->updated_at;
	return version_insert(tx, a->id);
}

static enum hh_rc article_update(struct hh_tx *tx, struct hh_article *a,
				 int64_t expected)
{
	FAULT(tx);
	STMT(tx, S_ARTICLE_UPDATE);
	if (!a->updated_at)
		a->updated_at = hh_now_us() / 1000000;
	sqlite3_bind_int64(st, 1, a->id);
	sqlite3_bind_int64(st, 2, expected);
	bind_article(st, a);
	int rc = sqlite3_step(st);
	enum hh_rc r;
	if (rc == SQLITE_ROW) {
		a->version = sqlite3_column_int64(st, 0);
		a->created_at = sqlite3_column_int64(st, 1);
		r = HH_OK;
	} else if (rc == SQLITE_DONE) {
		r = HH_ERR_CONFLICT; /* gone or someone else's version */
	} else {
		r = map_rc(db_of(tx), rc);
	}
	done(st);
	if (r != HH_OK)
		return r;
	return version_insert(tx, a->id);
}

static enum hh_rc article_one(struct hh_tx *tx, struct hh_arena *a,
			      sqlite3_stmt *st, struct hh_article *out)
{
	ONE_ROW(tx, st, article_row, a, out);
}

static enum hh_rc article_get(struct hh_tx *tx, struct hh_arena *a,
			      int64_t org_id, const char *slug,
			      struct hh_article *out)
{
	FAULT(tx);
	STMT(tx, S_ARTICLE_GET);
	sqlite3_bind_int64(st, 1, org_id);
	bind_text(st, 2, slug);
	return article_one(tx, a, st, out);
}

static enum hh_rc article_get_agency(struct hh_tx *tx, struct hh_arena *a,
				     const char *slug, struct hh_article *out)
{
	FAULT(tx);
	STMT(tx, S_ARTICLE_GET_AGENCY);
	bind_text(st, 1, slug);
	return article_one(tx, a, st, out);
}

static enum hh_rc article_get_by_id(struct hh_tx *tx, struct hh_arena *a,
				    int64_t id, struct hh_article *out)
{
	FAULT(tx);
	STMT(tx, S_ARTICLE_GET_ID);
	sqlite3_bind_int64(st, 1, id);
	return article_one(tx, a, st, out);
}

/* The list query varies with the filter, so it is built here and not
 * cached; it is an editor's query, not a hot path. */
static enum hh_rc article_list(struct hh_tx *tx, struct hh_arena *a,
			       const struct hh_article_filter *f,
			       int64_t offset, int64_t limit, int64_t *total,
			       hh_article_cb cb, void *ctx)
{
	FAULT(tx);
	char where[512] = "WHERE 1";
	if (f->org_id > 0)
		strcat(where, " AND a.organisation_id = :org");
	else if (f->org_id < 0)
		strcat(where, " AND a.organisation_id IS NULL");
	if (f->kle && *f->kle)
		/* A prefix by whole groups; not LIKE, whose _ and % in the
		 * filter would be wildcards. */
		strcat(where, " AND (a.kle = :kle OR substr(a.kle, 1, "
			      "length(:kle) + 1) = :kle || '.')");
	if (f->audience)
		strcat(where, " AND a.audience = :aud");
	if (f->status)
		strcat(where, " AND a.status = :status");
	if (f->unpublished_org_id > 0)
		strcat(where, " AND (a.status = 'published' OR "
			      "a.organisation_id IS NULL OR "
			      "a.organisation_id = :own)");

	char sql[1536];
	sqlite3 *db = db_of(tx);
	sqlite3_stmt *st = NULL;
	enum hh_rc r = HH_OK;
	for (int pass = total ? 0 : 1; pass < 2 && r == HH_OK; pass++) {
		if (pass == 0)
			snprintf(sql, sizeof(sql),
				 "SELECT count(*) FROM articles a %s", where);
		else
			snprintf(sql, sizeof(sql),
				 "SELECT " ARTICLE_COLS ARTICLE_FROM
				 "%s ORDER BY a.organisation_id IS NOT NULL, "
				 "o.code, a.slug LIMIT :limit OFFSET :offset",
				 where);
		int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
		if (rc != SQLITE_OK)
			return map_rc(db, rc);
		int i;
		if ((i = sqlite3_bind_parameter_index(st, ":org")))
			sqlite3_bind_int64(st, i, f->org_id);
		if ((i = sqlite3_bind_parameter_index(st, ":kle")))
			bind_text(st, i, f->kle);
		if ((i = sqlite3_bind_parameter_index(st, ":aud")))
			bind_text(st, i, audience_name(f->audience));
		if ((i = sqlite3_bind_parameter_index(st, ":status")))
			bind_text(st, i, status_name(f->status));
		if ((i = sqlite3_bind_parameter_index(st, ":own")))
			sqlite3_bind_int64(st, i, f->unpublished_org_id);
		if ((i = sqlite3_bind_parameter_index(st, ":limit")))
			sqlite3_bind_int64(st, i, limit > 0 ? limit : -1);
		if ((i = sqlite3_bind_parameter_index(st, ":offset")))
			sqlite3_bind_int64(st, i, offset);
		while (r == HH_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			if (pass == 0) {
				*total = sqlite3_column_int64(st, 0);
			} else {
				struct hh_article art;
				article_row(a, st, &art);
				r = cb(ctx, &art);
			}
		}
		if (r == HH_OK && rc != SQLITE_DONE)
			r = map_rc(db, rc);
		sqlite3_finalize(st);
	}
	return r;
}

static enum hh_rc article_views_add(struct hh_tx *tx, int64_t id, int64_t n)
{
	FAULT(tx);
	STMT(tx, S_ARTICLE_VIEWS_ADD);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, n);
	return exec_stmt(tx, st);
}

static enum hh_rc article_views_get(struct hh_tx *tx, int64_t id, int64_t *n)
{
	FAULT(tx);
	STMT(tx, S_ARTICLE_VIEWS_GET);
	sqlite3_bind_int64(st, 1, id);
	return step_int64(tx, st, n);
}

static enum hh_rc article_popular(struct hh_tx *tx, struct hh_arena *a,
				  int64_t org_id, int limit, hh_article_cb cb,
				  void *ctx)
{
	FAULT(tx);
	STMT(tx, S_ARTICLE_POPULAR);
	sqlite3_bind_int64(st, 1, org_id);
	sqlite3_bind_int(st, 2, limit);
	MANY_ROWS(tx, st, struct hh_article, article_row, a, cb, ctx);
}

/* ---- events ---------------------------------------------------------- */

static enum hh_rc event_append(struct hh_tx *tx, struct hh_event *e)
{
	FAULT(tx);
	STMT(tx, S_EVENT_APPEND);
	if (!e->at_us)
		e->at_us = hh_now_us();
	sqlite3_bind_int64(st, 1, e->at_us);
	bind_text(st, 2, e->actor ? e->actor : "system");
	sqlite3_bind_int64(st, 3, e->org_id);
	bind_text(st, 4, e->entity);
	sqlite3_bind_int64(st, 5, e->entity_id);
	bind_text(st, 6, e->action);
	bind_text(st, 7, e->before);
	bind_text(st, 8, e->after);
	enum hh_rc r = exec_stmt(tx, st);
	if (r == HH_OK)
		e->id = sqlite3_last_insert_rowid(db_of(tx));
	return r;
}

static enum hh_rc event_list(struct hh_tx *tx, struct hh_arena *a,
			     const char *entity, int64_t entity_id,
			     hh_event_cb cb, void *ctx)
{
	FAULT(tx);
	STMT(tx, S_EVENT_LIST);
	bind_text(st, 1, entity);
	sqlite3_bind_int64(st, 2, entity_id);
	enum hh_rc r = HH_OK;
	int rc;
	while (r == HH_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct hh_event e;
		e.id = sqlite3_column_int64(st, 0);
		e.at_us = sqlite3_column_int64(st, 1);
		e.actor = col_text(a, st, 2);
		e.org_id = sqlite3_column_int64(st, 3);
		e.entity = col_text(a, st, 4);
		e.entity_id = sqlite3_column_int64(st, 5);
		e.action = col_text(a, st, 6);
		e.before = col_text(a, st, 7);
		e.after = col_text(a, st, 8);
		r = cb(ctx, &e);
	}
	if (r == HH_OK && rc != SQLITE_DONE)
		r = map_rc(db_of(tx), rc);
	done(st);
	return r;
}

static enum hh_rc event_count(struct hh_tx *tx, int64_t *n)
{
	FAULT(tx);
	STMT(tx, S_EVENT_COUNT);
	return step_int64(tx, st, n);
}

/* ---- search log ---------------------------------------------------- */

static enum hh_rc search_log_insert(struct hh_tx *tx,
				    const struct hh_search_log *e)
{
	FAULT(tx);
	STMT(tx, S_SEARCH_LOG_INSERT);
	sqlite3_bind_int64(st, 1, e->id);
	sqlite3_bind_int64(st, 2, e->at);
	bind_text(st, 3, e->query);
	sqlite3_bind_int64(st, 4, e->municipality_id);
	sqlite3_bind_int64(st, 5, e->results);
	return exec_stmt(tx, st);
}

static enum hh_rc search_log_choose(struct hh_tx *tx, int64_t id,
				    int64_t article_id, int64_t at)
{
	FAULT(tx);
	STMT(tx, S_SEARCH_LOG_CHOOSE);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, article_id);
	sqlite3_bind_int64(st, 3, at);
	return exec_stmt(tx, st);
}

static enum hh_rc search_log_max_id(struct hh_tx *tx, int64_t *id)
{
	FAULT(tx);
	STMT(tx, S_SEARCH_LOG_MAX);
	return step_int64(tx, st, id);
}

static enum hh_rc search_report(struct hh_tx *tx, struct hh_arena *a,
				int64_t since, int limit, hh_report_cb cb,
				void *ctx)
{
	FAULT(tx);
	STMT(tx, S_SEARCH_REPORT);
	sqlite3_bind_int64(st, 1, since);
	sqlite3_bind_int(st, 2, limit);
	enum hh_rc r = HH_OK;
	int rc;
	while (r == HH_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct hh_search_report_row row = {
			.query = col_text(a, st, 0),
			.searches = sqlite3_column_int64(st, 1),
			.with_results = sqlite3_column_int64(st, 2),
			.chosen = sqlite3_column_int64(st, 3),
		};
		r = cb(ctx, &row);
	}
	if (r == HH_OK && rc != SQLITE_DONE)
		r = map_rc(db_of(tx), rc);
	done(st);
	return r;
}

static enum hh_rc search_chosen_counts(struct hh_tx *tx, hh_chosen_cb cb,
				       void *ctx)
{
	FAULT(tx);
	STMT(tx, S_SEARCH_CHOSEN);
	enum hh_rc r = HH_OK;
	int rc;
	while (r == HH_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		r = cb(ctx, sqlite3_column_int64(st, 0),
		       sqlite3_column_int64(st, 1));
	if (r == HH_OK && rc != SQLITE_DONE)
		r = map_rc(db_of(tx), rc);
	done(st);
	return r;
}

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
	return step_int64(tx, st, &le->id);
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
	return step_int64(tx, st, &c->id);
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
	return step_int64(tx, st, &c->id);
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
	return exec_stmt(tx, st);
}

static void csess_row(struct hh_arena *a, sqlite3_stmt *st,
		      struct hh_citizen_session *s)
{
	s->token_hash = col_blob(a, st, 0);
	s->citizen_id = sqlite3_column_int64(st, 1);
	s->csrf = col_text(a, st, 2);
	s->created_at = sqlite3_column_int64(st, 3);
	s->expires_at = sqlite3_column_int64(st, 4);
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
	return exec_stmt(tx, st);
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
	enum hh_rc r = exec_stmt(tx, st);
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
	enum hh_rc r = exec_stmt(tx, st);
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
}

static enum hh_rc case_insert(struct hh_tx *tx, struct hh_case *c)
{
	FAULT(tx);
	STMT(tx, S_CASE_INSERT);
	if (!c->created_at)
		c->created_at = hh_now_us() / 1000000;
	c->updated_at = c->created_at;
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
	enum hh_rc r = exec_stmt(tx, st);
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
	int rc = sqlite3_step(st);
	enum hh_rc r;
	if (rc == SQLITE_ROW) {
		c->version = sqlite3_column_int64(st, 0);
		r = HH_OK;
	} else {
		r = rc == SQLITE_DONE ? HH_ERR_CONFLICT : map_rc(db_of(tx), rc);
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
 * here; the shapes are few, so SQLite's statement cache in the connection
 * is not needed for speed (the plan is cheap next to the rows). */
static enum hh_rc case_list(struct hh_tx *tx, struct hh_arena *a,
			    const struct hh_case_filter *f, int64_t offset,
			    int64_t limit, int64_t *total, hh_case_cb cb,
			    void *ctx)
{
	FAULT(tx);
	char where[768] = "WHERE 1";
	if (f->org_id)
		strcat(where, " AND c.organisation_id = :org");
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
	if (f->open_only || f->overdue_at)
		strcat(where, " AND c.closed_at IS NULL");
	if (f->overdue_at)
		strcat(where, " AND c.paused_since IS NULL AND c.deadline_at < :now");
	char sql[3072];
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
				 "SELECT " CASE_COLS CASE_FROM
				 "WHERE c.id IN (SELECT c.id FROM cases c %s "
				 "ORDER BY %s LIMIT :limit OFFSET :offset) "
				 "ORDER BY %s",
				 where, order, order);
		sqlite3_stmt *st;
		int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
		if (rc != SQLITE_OK)
			return map_rc(db, rc);
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
		if ((i = sqlite3_bind_parameter_index(st, ":now")))
			sqlite3_bind_int64(st, i, f->now);
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
				r = cb(ctx, &c);
			}
		}
		if (r == HH_OK && rc != SQLITE_DONE)
			r = map_rc(db, rc);
		sqlite3_finalize(st);
	}
	return r;
}

static enum hh_rc idempotency_get(struct hh_tx *tx, const char *scope,
				  const char *key, int64_t *case_id)
{
	FAULT(tx);
	STMT(tx, S_IDEM_GET);
	bind_text(st, 1, scope);
	bind_text(st, 2, key);
	int rc = sqlite3_step(st);
	enum hh_rc r;
	if (rc == SQLITE_ROW) {
		*case_id = sqlite3_column_int64(st, 0);
		r = HH_OK;
	} else {
		r = rc == SQLITE_DONE ? HH_ERR_NOT_FOUND : map_rc(db_of(tx), rc);
	}
	done(st);
	return r;
}

static enum hh_rc idempotency_put(struct hh_tx *tx, const char *scope,
				  const char *key, int64_t case_id)
{
	FAULT(tx);
	STMT(tx, S_IDEM_PUT);
	bind_text(st, 1, scope);
	bind_text(st, 2, key);
	sqlite3_bind_int64(st, 3, case_id);
	sqlite3_bind_int64(st, 4, hh_now_us() / 1000000);
	return exec_stmt(tx, st);
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
	enum hh_rc r = exec_stmt(tx, st);
	if (r == HH_OK && id)
		*id = sqlite3_last_insert_rowid(db_of(tx));
	return r;
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
	return exec_stmt(tx, st);
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

/* ---- open/close ------------------------------------------------------ */

static void sq_close(void *cls)
{
	struct sq *s = cls;
	for (int i = 0; i < s->n_conns; i++)
		conn_close(&s->conns[i]);
	free(s->conns);
	free(s->path);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->freed);
	free(s);
}

enum hh_rc hh_store_open_sqlite(const char *path, int pool_size,
				struct hh_store **out)
{
	struct sq *s = hh_xcalloc(1, sizeof(*s));
	enum hh_rc rc = HH_OK;
	if (pool_size < 1)
		pool_size = 1;
	s->path = hh_xstrdup(path);
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->freed, NULL);
	s->conns = hh_xcalloc((size_t)pool_size, sizeof(*s->conns));
	struct hh_store *st = &s->store;
	hh_store_init_common(st);
	st->cls = s;
	st->name = "sqlite";
	st->close = sq_close;
	st->migrate = migrate;
	st->schema_version = schema_version;
	st->tx_begin = tx_begin;
	st->tx_commit = tx_commit;
	st->tx_rollback = tx_rollback;
	st->meta_get = meta_get;
	st->meta_set = meta_set;
	st->org_put = org_put;
	st->org_get = org_get;
	st->org_get_by_code = org_get_by_code;
	st->org_list = org_list;
	st->user_insert = user_insert;
	st->user_get = user_get;
	st->user_get_by_email = user_get_by_email;
	st->user_list = user_list;
	st->session_insert = session_insert;
	st->session_get = session_get;
	st->session_delete = session_delete;
	st->session_purge = session_purge;
	st->token_insert = token_insert;
	st->token_get = token_get;
	st->article_insert = article_insert;
	st->article_update = article_update;
	st->article_get = article_get;
	st->article_get_by_id = article_get_by_id;
	st->article_get_agency = article_get_agency;
	st->article_list = article_list;
	st->article_views_add = article_views_add;
	st->article_views_get = article_views_get;
	st->article_popular = article_popular;
	st->event_append = event_append;
	st->event_list = event_list;
	st->event_count = event_count;
	st->search_log_insert = search_log_insert;
	st->search_log_choose = search_log_choose;
	st->search_log_max_id = search_log_max_id;
	st->search_report = search_report;
	st->search_chosen_counts = search_chosen_counts;
	st->case_type_put = case_type_put;
	st->case_type_get = case_type_get;
	st->case_type_get_by_code = case_type_get_by_code;
	st->case_type_list = case_type_list;
	st->citizen_put = citizen_put;
	st->citizen_get = citizen_get;
	st->citizen_get_by_subject = citizen_get_by_subject;
	st->citizen_list = citizen_list;
	st->citizen_session_insert = citizen_session_insert;
	st->citizen_session_get = citizen_session_get;
	st->citizen_session_delete = citizen_session_delete;
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
	st->audit_append = audit_append;
	st->audit_list = audit_list;
	st->life_event_put = life_event_put;
	st->life_event_list = life_event_list;
	st->life_event_get = life_event_get;
	for (int i = 0; i < pool_size; i++) {
		rc = conn_open(s, &s->conns[i]);
		s->n_conns = i + 1;
		if (rc != HH_OK)
			goto fail;
	}
	*out = st;
	return HH_OK;
fail:
	sq_close(s);
	return rc;
}
