/* sqlite_articles.c - the SQLite backend: articles (with their versions
 * and view counts), the event log and the search log. */
#include "store/sqlite_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"

#define ARTICLE_COLS                                                          \
	"a.id, ifnull(a.organisation_id, 0), o.code, o.name, a.slug, a.title, " \
	"a.summary, a.body_md, a.body_html, a.keywords, a.kle, a.audience, "    \
	"a.status, a.version, a.created_at, a.updated_at, a.updated_by "
#define ARTICLE_FROM \
	"FROM articles a LEFT JOIN organisations o ON o.id = a.organisation_id "

/* s-trap: the searches of a report row where a result was chosen: an
 * article (chosen_article_id) or a guide or a form (chosen_kind, 0027) */
#define SEARCH_REPORT_CHOSEN                                                  \
	"sum(chosen_article_id IS NOT NULL OR chosen_kind IS NOT NULL)"

static const char *const stmt_sql[S__COUNT] = {
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
	/* the columns of ARTICLE_COLS, the version's where it has them */
	[S_ARTICLE_VERSIONS] =
		"SELECT v.article_id, ifnull(a.organisation_id, 0), o.code, "
		"o.name, a.slug, v.title, v.summary, v.body_md, NULL, "
		"v.keywords, v.kle, v.audience, v.status, v.version, "
		"a.created_at, v.created_at, v.created_by FROM article_versions v "
		"JOIN articles a ON a.id = v.article_id LEFT JOIN organisations o "
		"ON o.id = a.organisation_id WHERE v.article_id = ?1 "
		"ORDER BY v.version",
	[S_ARTICLE_VIEWS_ADD] =
		"INSERT INTO article_stats(article_id, views) VALUES (?1, ?2) "
		"ON CONFLICT(article_id) DO UPDATE SET views = views + ?2",
	/* The citizen's scope: shared articles, replaced by the
	 * municipality's override where one exists, plus its own. */
	[S_ARTICLE_VIEWS_GET] =
		"SELECT ifnull((SELECT views FROM article_stats "
		"WHERE article_id = ?1), 0)",
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
	[S_SEARCH_LOG_INSERT] =
		"INSERT INTO search_log(id, at, query, municipality_id, results, "
		"visit, strength) VALUES (?1, ?2, ?3, nullif(?4, 0), ?5, ?6, "
		"nullif(?7, -1))",
	[S_SEARCH_LOG_CHOOSE] =
		"UPDATE search_log SET chosen_article_id = ?2, chosen_at = ?3 "
		"WHERE id = ?1 AND chosen_article_id IS NULL "
		"AND chosen_kind IS NULL",
	/* s-trap: a guide or a form (0027); the first choice counts */
	[S_SEARCH_LOG_CHOOSE_DOC] =
		"UPDATE search_log SET chosen_kind = ?2, chosen_doc_id = ?3, "
		"chosen_at = ?4 WHERE id = ?1 AND chosen_article_id IS NULL "
		"AND chosen_kind IS NULL",
	/* answered: results that were not weak (strength 1, 0026); weak
	 * searches are counted apart and are not answered; chosen: an
	 * article, a guide or a form (s-trap, 0027); queries grouped by
	 * hh_lower(), every letter lowered as PostgreSQL's lower() does
	 * (sqlite.c; pg-ssi) */
	[S_SEARCH_REPORT] =
		"SELECT hh_lower(query), count(*), "
		"sum(results > 0 AND strength IS NOT 1), "
		SEARCH_REPORT_CHOSEN ", sum(results > 0 AND strength IS 1) "
		"FROM search_log WHERE at >= ?1 "
		"AND (?3 < 0 OR municipality_id = ?3 OR "
		"(?4 AND municipality_id IS NULL)) "
		"GROUP BY hh_lower(query) "
		"HAVING sum(results > 0 AND strength IS NOT 1) = 0 "
		"OR " SEARCH_REPORT_CHOSEN " = 0 "
		"ORDER BY sum(results > 0 AND strength IS NOT 1) = 0 DESC, "
		"count(*) DESC, 1 LIMIT ?2",
	[S_SEARCH_CHOSEN] =
		"SELECT chosen_article_id, count(*) FROM search_log "
		"WHERE chosen_article_id IS NOT NULL GROUP BY 1",
};

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
	return hh_sq_exec(tx, st);
}

static enum hh_rc article_views_get(struct hh_tx *tx, int64_t id, int64_t *n)
{
	FAULT(tx);
	STMT(tx, S_ARTICLE_VIEWS_GET);
	sqlite3_bind_int64(st, 1, id);
	return hh_sq_step_int64(tx, st, n);
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
	enum hh_rc r = hh_sq_exec(tx, st);
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
		r = hh_sq_map_rc(db_of(tx), rc);
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
			return hh_sq_map_rc(db, rc);
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
			r = hh_sq_map_rc(db, rc);
		sqlite3_finalize(st);
	}
	return r;
}

static enum hh_rc article_versions(struct hh_tx *tx, struct hh_arena *a,
				   int64_t id, hh_article_cb cb, void *ctx)
{
	FAULT(tx);
	STMT(tx, S_ARTICLE_VERSIONS);
	sqlite3_bind_int64(st, 1, id);
	MANY_ROWS(tx, st, struct hh_article, article_row, a, cb, ctx);
}

static enum hh_rc article_views_add(struct hh_tx *tx, int64_t id, int64_t n)
{
	FAULT(tx);
	STMT(tx, S_ARTICLE_VIEWS_ADD);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, n);
	return hh_sq_exec(tx, st);
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
	enum hh_rc r = hh_sq_exec(tx, st);
	if (r == HH_OK)
		e->id = sqlite3_last_insert_rowid(db_of(tx));
	if (r == HH_OK) /* x-hooks: its deliveries, in its transaction */
		r = hh_sq_webhook_outbox(tx, e);
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
		r = hh_sq_map_rc(db_of(tx), rc);
	done(st);
	return r;
}

static enum hh_rc event_count(struct hh_tx *tx, int64_t *n)
{
	FAULT(tx);
	STMT(tx, S_EVENT_COUNT);
	return hh_sq_step_int64(tx, st, n);
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
	bind_text(st, 6, e->visit);
	sqlite3_bind_int(st, 7, e->strength);
	return hh_sq_exec(tx, st);
}

static enum hh_rc search_log_choose(struct hh_tx *tx, int64_t id,
				    int64_t article_id, int64_t at)
{
	FAULT(tx);
	STMT(tx, S_SEARCH_LOG_CHOOSE);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, article_id);
	sqlite3_bind_int64(st, 3, at);
	return hh_sq_exec(tx, st);
}

/* s-trap: a guide or a form chosen from a search's results (0027) */
static enum hh_rc search_log_choose_doc(struct hh_tx *tx, int64_t id,
					int kind, int64_t doc_id, int64_t at)
{
	FAULT(tx);
	STMT(tx, S_SEARCH_LOG_CHOOSE_DOC);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, kind);
	sqlite3_bind_int64(st, 3, doc_id);
	sqlite3_bind_int64(st, 4, at);
	return hh_sq_exec(tx, st);
}

static enum hh_rc search_report(struct hh_tx *tx, struct hh_arena *a,
				int64_t since, int limit, int64_t org_id,
				int unscoped, hh_report_cb cb, void *ctx)
{
	FAULT(tx);
	STMT(tx, S_SEARCH_REPORT);
	sqlite3_bind_int64(st, 1, since);
	sqlite3_bind_int(st, 2, limit);
	sqlite3_bind_int64(st, 3, org_id);
	sqlite3_bind_int(st, 4, unscoped != 0);
	enum hh_rc r = HH_OK;
	int rc;
	while (r == HH_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct hh_search_report_row row = {
			.query = col_text(a, st, 0),
			.searches = sqlite3_column_int64(st, 1),
			.with_results = sqlite3_column_int64(st, 2),
			.chosen = sqlite3_column_int64(st, 3),
			.weak = sqlite3_column_int64(st, 4),
		};
		r = cb(ctx, &row);
	}
	if (r == HH_OK && rc != SQLITE_DONE)
		r = hh_sq_map_rc(db_of(tx), rc);
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
		r = hh_sq_map_rc(db_of(tx), rc);
	done(st);
	return r;
}

void hh_sq_fill_articles(struct hh_store *st)
{
	st->article_insert = article_insert;
	st->article_update = article_update;
	st->article_get = article_get;
	st->article_get_by_id = article_get_by_id;
	st->article_get_agency = article_get_agency;
	st->article_list = article_list;
	st->article_versions = article_versions;
	st->article_views_add = article_views_add;
	st->article_views_get = article_views_get;
	st->article_popular = article_popular;
	st->event_append = event_append;
	st->event_list = event_list;
	st->event_count = event_count;
	st->search_log_insert = search_log_insert;
	st->search_log_choose = search_log_choose;
	st->search_report = search_report;
	st->search_chosen_counts = search_chosen_counts;
	st->search_log_choose_doc = search_log_choose_doc; /* s-trap */
}
