/* postgres_articles.c - the PostgreSQL backend: articles (with their
 * versions and view counts), the event log and the search log (the port
 * of sqlite_articles.c). */
#include "store/postgres_int.h"

#include "core/util.h"

#define ARTICLE_COLS                                                           \
	"a.id, coalesce(a.organisation_id, 0), o.code, o.name, a.slug, a.title, " \
	"a.summary, a.body_md, a.body_html, a.keywords, a.kle, a.audience, "     \
	"a.status, a.version, a.created_at, a.updated_at, a.updated_by "
#define ARTICLE_FROM \
	"FROM articles a LEFT JOIN organisations o ON o.id = a.organisation_id "

/* pg-port: a search counts as chosen when an article, a guide or a form
 * was chosen from it (s-trap, 0027) */
#define SEARCH_REPORT_CHOSEN                                                 \
	"count(*) FILTER (WHERE chosen_article_id IS NOT NULL OR "           \
	"chosen_kind IS NOT NULL)"

static const char *const stmt_sql[P__COUNT] = {
	/* DO NOTHING: a slug taken by the owner is CONFLICT (no row) and
	 * the transaction goes on, as in SQLite */
	[P_ARTICLE_INSERT] =
		"INSERT INTO articles(organisation_id, slug, title, summary, "
		"body_md, body_html, keywords, kle, audience, status, version, "
		"created_at, updated_at, updated_by) VALUES "
		"(nullif($1::bigint, 0), $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, "
		"$11, $11, $12) ON CONFLICT DO NOTHING RETURNING id",
	[P_ARTICLE_UPDATE] =
		"UPDATE articles SET title = $3, summary = $4, body_md = $5, "
		"body_html = $6, keywords = $7, kle = $8, audience = $9, "
		"status = $10, version = version + 1, updated_at = $11, "
		"updated_by = $12 WHERE id = $1 AND version = $2 "
		"RETURNING version, created_at",
	[P_ARTICLE_VERSION_INSERT] =
		"INSERT INTO article_versions(article_id, version, title, summary, "
		"body_md, keywords, kle, audience, status, created_at, "
		"created_by) SELECT id, version, title, summary, body_md, "
		"keywords, kle, audience, status, updated_at, updated_by "
		"FROM articles WHERE id = $1",
	[P_ARTICLE_GET] = "SELECT " ARTICLE_COLS ARTICLE_FROM
			  "WHERE coalesce(a.organisation_id, 0) = $1 "
			  "AND a.slug = $2",
	[P_ARTICLE_GET_ID] = "SELECT " ARTICLE_COLS ARTICLE_FROM
			     "WHERE a.id = $1",
	[P_ARTICLE_GET_AGENCY] = "SELECT " ARTICLE_COLS ARTICLE_FROM
				 "WHERE a.slug = $1 AND o.kind = 'agency' "
				 "ORDER BY a.id LIMIT 1",
	[P_ARTICLE_VERSIONS] =
		"SELECT v.article_id, coalesce(a.organisation_id, 0), o.code, "
		"o.name, a.slug, v.title, v.summary, v.body_md, NULL, "
		"v.keywords, v.kle, v.audience, v.status, v.version, "
		"a.created_at, v.created_at, v.created_by FROM article_versions v "
		"JOIN articles a ON a.id = v.article_id LEFT JOIN organisations o "
		"ON o.id = a.organisation_id WHERE v.article_id = $1 "
		"ORDER BY v.version",
	[P_ARTICLE_VIEWS_ADD] =
		"INSERT INTO article_stats(article_id, views) VALUES ($1, $2) "
		"ON CONFLICT(article_id) DO UPDATE SET "
		"views = article_stats.views + excluded.views",
	[P_ARTICLE_VIEWS_GET] =
		"SELECT coalesce((SELECT views FROM article_stats "
		"WHERE article_id = $1), 0)",
	/* The citizen's scope: shared articles, replaced by the
	 * municipality's override where one exists, plus its own. */
	[P_ARTICLE_POPULAR] =
		"SELECT " ARTICLE_COLS ARTICLE_FROM
		"LEFT JOIN article_stats s ON s.article_id = a.id "
		"WHERE a.status = 'published' AND a.audience = 'citizen' AND ("
		" (a.organisation_id IS NULL AND NOT EXISTS (SELECT 1 FROM "
		"  articles b WHERE b.slug = a.slug AND b.organisation_id = $1 "
		"  AND b.status = 'published'))"
		" OR a.organisation_id = $1) "
		"ORDER BY coalesce(s.views, 0) DESC, a.title LIMIT $2",
	[P_EVENT_APPEND] =
		"INSERT INTO events(at, actor, organisation_id, entity, "
		"entity_id, action, before, after) VALUES ($1, $2, "
		"nullif($3::bigint, 0), $4, $5, $6, $7, $8) RETURNING id",
	[P_EVENT_LIST] = "SELECT id, at, actor, coalesce(organisation_id, 0), "
			 "entity, entity_id, action, before, after FROM events "
			 "WHERE entity = $1 AND entity_id = $2 ORDER BY id",
	[P_EVENT_COUNT] = "SELECT count(*) FROM events",
	[P_SEARCH_LOG_INSERT] =
		"INSERT INTO search_log(id, at, query, municipality_id, results, "
		"visit, strength) VALUES ($1, $2, $3, nullif($4::bigint, 0), $5, "
		"$6, nullif($7::bigint, -1))",
	[P_SEARCH_LOG_CHOOSE] =
		"UPDATE search_log SET chosen_article_id = $2, chosen_at = $3 "
		"WHERE id = $1 AND chosen_article_id IS NULL "
		"AND chosen_kind IS NULL",
	/* answered: results that were not weak (strength 1, 0026); weak
	 * searches are counted apart and are not answered; chosen: an
	 * article, a guide or a form (s-trap, 0027) */
	[P_SEARCH_REPORT] =
		"SELECT lower(query), count(*), "
		"count(*) FILTER (WHERE results > 0 AND "
		"strength IS DISTINCT FROM 1), "
		SEARCH_REPORT_CHOSEN ", "
		"count(*) FILTER (WHERE results > 0 AND strength = 1) "
		"FROM search_log WHERE at >= $1 "
		"AND ($3::bigint < 0 OR municipality_id = $3 OR "
		"($4::int <> 0 AND municipality_id IS NULL)) "
		"GROUP BY lower(query) "
		"HAVING count(*) FILTER (WHERE results > 0 AND "
		"strength IS DISTINCT FROM 1) = 0 "
		"OR " SEARCH_REPORT_CHOSEN " = 0 "
		"ORDER BY count(*) FILTER (WHERE results > 0 AND "
		"strength IS DISTINCT FROM 1) = 0 DESC, "
		"count(*) DESC, 1 LIMIT $2",
	[P_SEARCH_CHOSEN] =
		"SELECT chosen_article_id, count(*) FROM search_log "
		"WHERE chosen_article_id IS NOT NULL GROUP BY 1",
	/* pg-port: s-trap's guide or form (0027); the first choice counts */
	[P_SEARCH_LOG_CHOOSE_DOC] =
		"UPDATE search_log SET chosen_kind = $2, chosen_doc_id = $3, "
		"chosen_at = $4 WHERE id = $1 AND chosen_article_id IS NULL "
		"AND chosen_kind IS NULL",
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

static void article_row(struct hh_arena *a, const PGresult *res, int i,
			struct hh_article *r)
{
	r->id = g_int(res, i, 0);
	r->org_id = g_int(res, i, 1);
	r->org_code = g_text(a, res, i, 2);
	r->org_name = g_text(a, res, i, 3);
	r->slug = g_text(a, res, i, 4);
	r->title = g_text(a, res, i, 5);
	r->summary = g_text(a, res, i, 6);
	r->body_md = g_text(a, res, i, 7);
	r->body_html = g_text(a, res, i, 8);
	r->keywords = g_text(a, res, i, 9);
	r->kle = g_text(a, res, i, 10);
	const char *au = PQgetvalue(res, i, 11);
	r->audience = strcmp(au, "staff") == 0 ? HH_AUDIENCE_STAFF
					       : HH_AUDIENCE_CITIZEN;
	const char *s = PQgetvalue(res, i, 12);
	r->status = strcmp(s, "published") == 0  ? HH_STATUS_PUBLISHED
		    : strcmp(s, "archived") == 0 ? HH_STATUS_ARCHIVED
						 : HH_STATUS_DRAFT;
	r->version = g_int(res, i, 13);
	r->created_at = g_int(res, i, 14);
	r->updated_at = g_int(res, i, 15);
	r->updated_by = g_text(a, res, i, 16);
}

/* Parameters $3..$12 of insert and update ($1 and $2 are the caller's). */
static void params_article(struct pg_params *p, const struct hh_article *a)
{
	p_text(p, a->title);
	p_text(p, a->summary);
	p_text(p, a->body_md);
	p_text(p, a->body_html);
	p_text(p, a->keywords ? a->keywords : "");
	p_text(p, a->kle ? a->kle : "");
	p_text(p, audience_name(a->audience));
	p_text(p, status_name(a->status));
	p_int(p, a->updated_at);
	p_text(p, a->updated_by ? a->updated_by : "system");
}

static enum hh_rc version_insert(struct hh_tx *tx, int64_t id)
{
	struct pg_params p = { 0 };
	p_int(&p, id);
	return RUN(tx, P_ARTICLE_VERSION_INSERT, &p, NULL);
}

static enum hh_rc article_views_get(struct hh_tx *tx, int64_t id, int64_t *n)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, id);
	return RUN_INT(tx, P_ARTICLE_VIEWS_GET, &p, n);
}

static enum hh_rc article_insert(struct hh_tx *tx, struct hh_article *a)
{
	FAULT(tx);
	if (!a->updated_at)
		a->updated_at = hh_now_us() / 1000000;
	struct pg_params p = { 0 };
	p_int(&p, a->org_id);
	p_text(&p, a->slug);
	params_article(&p, a);
	int64_t id;
	enum hh_rc r = RUN_INT(tx, P_ARTICLE_INSERT, &p, &id);
	if (r == HH_ERR_NOT_FOUND)
		return HH_ERR_CONFLICT; /* the owner has the slug */
	if (r != HH_OK)
		return r;
	a->id = id;
	a->version = 1;
	a->created_at = a->updated_at;
	return version_insert(tx, a->id);
}

static enum hh_rc article_update(struct hh_tx *tx, struct hh_article *a,
				 int64_t expected)
{
	FAULT(tx);
	if (!a->updated_at)
		a->updated_at = hh_now_us() / 1000000;
	struct pg_params p = { 0 };
	p_int(&p, a->id);
	p_int(&p, expected);
	params_article(&p, a);
	PGresult *r;
	enum hh_rc rc = RUN(tx, P_ARTICLE_UPDATE, &p, &r);
	if (rc != HH_OK)
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return HH_ERR_CONFLICT; /* gone or someone else's version */
	}
	a->version = g_int(r, 0, 0);
	a->created_at = g_int(r, 0, 1);
	PQclear(r);
	return version_insert(tx, a->id);
}

static enum hh_rc article_get(struct hh_tx *tx, struct hh_arena *a,
			      int64_t org_id, const char *slug,
			      struct hh_article *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, org_id);
	p_text(&p, slug);
	PG_ONE_ROW(tx, P_ARTICLE_GET, &p, article_row, a, out);
}

static enum hh_rc article_get_agency(struct hh_tx *tx, struct hh_arena *a,
				     const char *slug, struct hh_article *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_text(&p, slug);
	PG_ONE_ROW(tx, P_ARTICLE_GET_AGENCY, &p, article_row, a, out);
}

static enum hh_rc article_get_by_id(struct hh_tx *tx, struct hh_arena *a,
				    int64_t id, struct hh_article *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, id);
	PG_ONE_ROW(tx, P_ARTICLE_GET_ID, &p, article_row, a, out);
}

/* The list query varies with the filter, so it is built here and not
 * prepared; it is an editor's query, not a hot path. Parameters are
 * numbered as they are added. */
static enum hh_rc article_list(struct hh_tx *tx, struct hh_arena *a,
			       const struct hh_article_filter *f,
			       int64_t offset, int64_t limit, int64_t *total,
			       hh_article_cb cb, void *ctx)
{
	FAULT(tx);
	char where[768] = "WHERE true";
	struct pg_params p = { 0 };
	size_t w;
	if (f->org_id > 0) {
		p_int(&p, f->org_id);
		w = strlen(where);
		snprintf(where + w, sizeof(where) - w,
			 " AND a.organisation_id = $%d", p.n);
	} else if (f->org_id < 0) {
		strcat(where, " AND a.organisation_id IS NULL");
	}
	if (f->kle && *f->kle) {
		/* A prefix by whole groups; not LIKE, whose _ and % in the
		 * filter would be wildcards. */
		p_text(&p, f->kle);
		w = strlen(where);
		snprintf(where + w, sizeof(where) - w,
			 " AND (a.kle = $%d OR substr(a.kle, 1, "
			 "length($%d) + 1) = $%d || '.')",
			 p.n, p.n, p.n);
	}
	if (f->audience) {
		p_text(&p, audience_name(f->audience));
		w = strlen(where);
		snprintf(where + w, sizeof(where) - w,
			 " AND a.audience = $%d", p.n);
	}
	if (f->status) {
		p_text(&p, status_name(f->status));
		w = strlen(where);
		snprintf(where + w, sizeof(where) - w, " AND a.status = $%d",
			 p.n);
	}
	if (f->unpublished_org_id > 0) {
		p_int(&p, f->unpublished_org_id);
		w = strlen(where);
		snprintf(where + w, sizeof(where) - w,
			 " AND (a.status = 'published' OR "
			 "a.organisation_id IS NULL OR "
			 "a.organisation_id = $%d)",
			 p.n);
	}

	char sql[2048];
	PGresult *r;
	enum hh_rc rc;
	if (total) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM articles a %s",
			 where);
		rc = hh_pg_exec_sql(tx, sql, &p, &r);
		if (rc != HH_OK)
			return rc;
		*total = g_int(r, 0, 0);
		PQclear(r);
	}
	int n = p.n;
	if (limit > 0)
		p_int(&p, limit);
	else
		p_text(&p, NULL); /* LIMIT NULL: all */
	p_int(&p, offset);
	/* SQLite sorts NULL first; so does this */
	snprintf(sql, sizeof(sql),
		 "SELECT " ARTICLE_COLS ARTICLE_FROM
		 "%s ORDER BY a.organisation_id IS NOT NULL, "
		 "o.code NULLS FIRST, a.slug LIMIT $%d OFFSET $%d",
		 where, n + 1, n + 2);
	rc = hh_pg_exec_sql(tx, sql, &p, &r);
	if (rc != HH_OK)
		return rc;
	PG_STREAM_ROWS(r, struct hh_article, article_row, a, cb, ctx);
}

static enum hh_rc article_versions(struct hh_tx *tx, struct hh_arena *a,
				   int64_t id, hh_article_cb cb, void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, id);
	PG_MANY_ROWS(tx, P_ARTICLE_VERSIONS, &p, struct hh_article,
		     article_row, a, cb, ctx);
}

static enum hh_rc article_views_add(struct hh_tx *tx, int64_t id, int64_t n)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, id);
	p_int(&p, n);
	return RUN(tx, P_ARTICLE_VIEWS_ADD, &p, NULL);
}

static enum hh_rc article_popular(struct hh_tx *tx, struct hh_arena *a,
				  int64_t org_id, int limit, hh_article_cb cb,
				  void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, org_id);
	p_int(&p, limit);
	PG_MANY_ROWS(tx, P_ARTICLE_POPULAR, &p, struct hh_article, article_row,
		     a, cb, ctx);
}

/* ---- events ---------------------------------------------------------- */

static enum hh_rc event_append(struct hh_tx *tx, struct hh_event *e)
{
	FAULT(tx);
	if (!e->at_us)
		e->at_us = hh_now_us();
	struct pg_params p = { 0 };
	p_int(&p, e->at_us);
	p_text(&p, e->actor ? e->actor : "system");
	p_int(&p, e->org_id);
	p_text(&p, e->entity);
	p_int(&p, e->entity_id);
	p_text(&p, e->action);
	p_text(&p, e->before);
	p_text(&p, e->after);
	enum hh_rc rc = RUN_INT(tx, P_EVENT_APPEND, &p, &e->id);
	if (rc == HH_OK) /* x-hooks: its deliveries, in its transaction */
		rc = hh_pg_webhook_outbox(tx, e);
	return rc;
}

static void event_row(struct hh_arena *a, const PGresult *r, int i,
		      struct hh_event *e)
{
	e->id = g_int(r, i, 0);
	e->at_us = g_int(r, i, 1);
	e->actor = g_text(a, r, i, 2);
	e->org_id = g_int(r, i, 3);
	e->entity = g_text(a, r, i, 4);
	e->entity_id = g_int(r, i, 5);
	e->action = g_text(a, r, i, 6);
	e->before = g_text(a, r, i, 7);
	e->after = g_text(a, r, i, 8);
}

static enum hh_rc event_list(struct hh_tx *tx, struct hh_arena *a,
			     const char *entity, int64_t entity_id,
			     hh_event_cb cb, void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_text(&p, entity);
	p_int(&p, entity_id);
	PG_MANY_ROWS(tx, P_EVENT_LIST, &p, struct hh_event, event_row, a, cb,
		     ctx);
}

static enum hh_rc event_count(struct hh_tx *tx, int64_t *n)
{
	FAULT(tx);
	return RUN_INT(tx, P_EVENT_COUNT, NULL, n);
}

/* ---- search log ---------------------------------------------------- */

static enum hh_rc search_log_insert(struct hh_tx *tx,
				    const struct hh_search_log *e)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, e->id);
	p_int(&p, e->at);
	p_text(&p, e->query);
	p_int(&p, e->municipality_id);
	p_int(&p, e->results);
	p_text(&p, e->visit);
	p_int(&p, e->strength);
	return RUN_GUARDED(tx, P_SEARCH_LOG_INSERT, &p, NULL);
}

static enum hh_rc search_log_choose(struct hh_tx *tx, int64_t id,
				    int64_t article_id, int64_t at)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, id);
	p_int(&p, article_id);
	p_int(&p, at);
	return RUN(tx, P_SEARCH_LOG_CHOOSE, &p, NULL);
}

static void report_row(struct hh_arena *a, const PGresult *r, int i,
		       struct hh_search_report_row *row)
{
	row->query = g_text(a, r, i, 0);
	row->searches = g_int(r, i, 1);
	row->with_results = g_int(r, i, 2);
	row->chosen = g_int(r, i, 3);
	row->weak = g_int(r, i, 4);
}

static enum hh_rc search_report(struct hh_tx *tx, struct hh_arena *a,
				int64_t since, int limit, int64_t org_id,
				int unscoped, hh_report_cb cb, void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, since);
	p_int(&p, limit);
	p_int(&p, org_id);
	p_int(&p, unscoped != 0);
	PG_MANY_ROWS(tx, P_SEARCH_REPORT, &p, struct hh_search_report_row,
		     report_row, a, cb, ctx);
}

static enum hh_rc search_chosen_counts(struct hh_tx *tx, hh_chosen_cb cb,
				       void *ctx)
{
	FAULT(tx);
	PGresult *r;
	enum hh_rc rc = RUN(tx, P_SEARCH_CHOSEN, NULL, &r);
	if (rc != HH_OK)
		return rc;
	int n = PQntuples(r);
	for (int i = 0; i < n && rc == HH_OK; i++)
		rc = cb(ctx, g_int(r, i, 0), g_int(r, i, 1));
	PQclear(r);
	return rc;
}

/* pg-port: a guide or a form chosen from a search's results (s-trap) */
static enum hh_rc search_log_choose_doc(struct hh_tx *tx, int64_t id,
					int kind, int64_t doc_id, int64_t at)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, id);
	p_int(&p, kind);
	p_int(&p, doc_id);
	p_int(&p, at);
	return RUN(tx, P_SEARCH_LOG_CHOOSE_DOC, &p, NULL);
}

void hh_pg_fill_articles(struct hh_store *st)
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
	st->search_log_choose_doc = search_log_choose_doc; /* pg-port */
}
