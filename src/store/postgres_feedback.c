/* postgres_feedback.c - the PostgreSQL backend: the answers to "Fandt du
 * det, du søgte?" (the port of sqlite_feedback.c). */
#include "store/postgres_int.h"

/* Which answers a report reads: given since $1, in municipality $2 (-1:
 * everywhere), and with $3 also those given without a municipality (the
 * search report's rule, domain/reports.h). */
#define SCOPE                                                              \
	"f.at >= $1 AND ($2::bigint < 0 OR f.municipality_id = $2 OR "     \
	"($3::int <> 0 AND f.municipality_id IS NULL)) "

static const char *const stmt_sql[P__COUNT] = {
	/* DO NOTHING: the visit answered about the page that day (the
	 * unique index feedback_once): CONFLICT, the transaction goes on */
	[P_FEEDBACK_INSERT] =
		"INSERT INTO feedback(at, day, found, page, article_id, query, "
		"comment, municipality_id, visit) VALUES ($1, $2, $3, $4, "
		"nullif($5::bigint, 0), $6, $7, nullif($8::bigint, 0), $9) "
		"ON CONFLICT DO NOTHING RETURNING id",
	/* the expressions of the unique index feedback_once, so it is used */
	[P_FEEDBACK_FIND] =
		"SELECT id, at, day, found, page, coalesce(article_id, 0), query, "
		"comment, coalesce(municipality_id, 0), visit FROM feedback "
		"WHERE visit = $1 AND day = $2 AND page = $3 AND "
		"coalesce(article_id, 0) = $4 AND coalesce(query, '') = $5",
	[P_FEEDBACK_STATS] =
		"SELECT coalesce(f.article_id, 0), a.slug, a.title, sum(f.found), "
		"count(*) - sum(f.found) FROM feedback f "
		"LEFT JOIN articles a ON a.id = f.article_id WHERE " SCOPE
		"GROUP BY coalesce(f.article_id, 0), a.slug, a.title "
		"ORDER BY count(*) DESC, 1 LIMIT $4",
	[P_FEEDBACK_COMMENTS] =
		"SELECT f.id, f.at, f.day, f.found, f.page, "
		"coalesce(f.article_id, 0), f.query, f.comment, "
		"coalesce(f.municipality_id, 0), NULL FROM feedback f WHERE " SCOPE
		"AND f.comment IS NOT NULL ORDER BY f.at DESC, f.id DESC LIMIT $4",
};

/* The visit is never read back for a report (it is not needed there);
 * P_FEEDBACK_FIND reads it as the key it was found by. */
static void feedback_row(struct hh_arena *a, const PGresult *r, int i,
			 struct hh_feedback_row *f)
{
	f->id = g_int(r, i, 0);
	f->at = g_int(r, i, 1);
	f->day = (int)g_int(r, i, 2);
	f->found = (int)g_int(r, i, 3);
	f->page = g_text(a, r, i, 4);
	f->article_id = g_int(r, i, 5);
	f->query = g_text(a, r, i, 6);
	f->comment = g_text(a, r, i, 7);
	f->municipality_id = g_int(r, i, 8);
	f->visit = g_text(a, r, i, 9);
}

static void stat_row(struct hh_arena *a, const PGresult *r, int i,
		     struct hh_feedback_stat *s)
{
	s->article_id = g_int(r, i, 0);
	s->slug = g_text(a, r, i, 1);
	s->title = g_text(a, r, i, 2);
	s->yes = g_int(r, i, 3);
	s->no = g_int(r, i, 4);
}

static enum hh_rc feedback_insert(struct hh_tx *tx, struct hh_feedback_row *f)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, f->at);
	p_int(&p, f->day);
	p_int(&p, f->found ? 1 : 0);
	p_text(&p, f->page);
	p_int(&p, f->article_id);
	p_text(&p, f->query);
	p_text(&p, f->comment);
	p_int(&p, f->municipality_id);
	p_text(&p, f->visit);
	enum hh_rc rc = RUN_INT(tx, P_FEEDBACK_INSERT, &p, &f->id);
	return rc == HH_ERR_NOT_FOUND ? HH_ERR_CONFLICT : rc;
}

static enum hh_rc feedback_find(struct hh_tx *tx, struct hh_arena *a,
				const char *visit, int day, const char *page,
				int64_t article_id, const char *query,
				struct hh_feedback_row *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_text(&p, visit);
	p_int(&p, day);
	p_text(&p, page);
	p_int(&p, article_id);
	p_text(&p, query ? query : "");
	PG_ONE_ROW(tx, P_FEEDBACK_FIND, &p, feedback_row, a, out);
}

static void params_scope(struct pg_params *p, int64_t since, int64_t org_id,
			 int unscoped, int limit)
{
	p_int(p, since);
	p_int(p, org_id);
	p_int(p, unscoped ? 1 : 0);
	p_int(p, limit);
}

static enum hh_rc feedback_stats(struct hh_tx *tx, struct hh_arena *a,
				 int64_t since, int64_t org_id, int unscoped,
				 int limit,
				 enum hh_rc (*cb)(void *ctx,
						  const struct hh_feedback_stat *s),
				 void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	params_scope(&p, since, org_id, unscoped, limit);
	PG_MANY_ROWS(tx, P_FEEDBACK_STATS, &p, struct hh_feedback_stat,
		     stat_row, a, cb, ctx);
}

static enum hh_rc feedback_comments(struct hh_tx *tx, struct hh_arena *a,
				    int64_t since, int64_t org_id,
				    int unscoped, int limit,
				    enum hh_rc (*cb)(void *ctx,
						     const struct hh_feedback_row *f),
				    void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	params_scope(&p, since, org_id, unscoped, limit);
	PG_MANY_ROWS(tx, P_FEEDBACK_COMMENTS, &p, struct hh_feedback_row,
		     feedback_row, a, cb, ctx);
}

void hh_pg_fill_feedback(struct hh_store *st)
{
	st->feedback_insert = feedback_insert;
	st->feedback_find = feedback_find;
	st->feedback_stats = feedback_stats;
	st->feedback_comments = feedback_comments;
}
