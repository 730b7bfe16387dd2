/* sqlite_feedback.c - the SQLite backend: the answers to "Fandt du det, du
 * søgte?" (store.h's feedback block, 0021_feedback.sql). */
#include "store/sqlite_int.h"

/* Which answers a report reads: given since ?1, in municipality ?2 (-1:
 * everywhere), and with ?3 also those given without a municipality (the
 * search report's rule, domain/reports.h). */
#define SCOPE                                                         \
	"f.at >= ?1 AND (?2 < 0 OR f.municipality_id = ?2 OR "        \
	"(?3 AND f.municipality_id IS NULL)) "

static const char *const stmt_sql[S__COUNT] = {
	[S_FEEDBACK_INSERT] =
		"INSERT INTO feedback(at, day, found, page, article_id, query, "
		"comment, municipality_id, visit) VALUES (?1, ?2, ?3, ?4, "
		"nullif(?5, 0), ?6, ?7, nullif(?8, 0), ?9)",
	/* the expressions of the unique index feedback_once, so it is used */
	[S_FEEDBACK_FIND] =
		"SELECT id, at, day, found, page, ifnull(article_id, 0), query, "
		"comment, ifnull(municipality_id, 0), visit FROM feedback "
		"WHERE visit = ?1 AND day = ?2 AND page = ?3 AND "
		"ifnull(article_id, 0) = ?4 AND ifnull(query, '') = ?5",
	[S_FEEDBACK_STATS] =
		"SELECT ifnull(f.article_id, 0), a.slug, a.title, sum(f.found), "
		"count(*) - sum(f.found) FROM feedback f "
		"LEFT JOIN articles a ON a.id = f.article_id WHERE " SCOPE
		"GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT ?4",
	[S_FEEDBACK_COMMENTS] =
		"SELECT f.id, f.at, f.day, f.found, f.page, "
		"ifnull(f.article_id, 0), f.query, f.comment, "
		"ifnull(f.municipality_id, 0), NULL FROM feedback f WHERE " SCOPE
		"AND f.comment IS NOT NULL ORDER BY f.at DESC, f.id DESC LIMIT ?4",
};

/* The visit is never read back for a report (it is not needed there);
 * S_FEEDBACK_FIND reads it as the key it was found by. */
static void feedback_row(struct hh_arena *a, sqlite3_stmt *st,
			 struct hh_feedback_row *f)
{
	f->id = sqlite3_column_int64(st, 0);
	f->at = sqlite3_column_int64(st, 1);
	f->day = sqlite3_column_int(st, 2);
	f->found = sqlite3_column_int(st, 3);
	f->page = col_text(a, st, 4);
	f->article_id = sqlite3_column_int64(st, 5);
	f->query = col_text(a, st, 6);
	f->comment = col_text(a, st, 7);
	f->municipality_id = sqlite3_column_int64(st, 8);
	f->visit = col_text(a, st, 9);
}

static void stat_row(struct hh_arena *a, sqlite3_stmt *st,
		     struct hh_feedback_stat *s)
{
	s->article_id = sqlite3_column_int64(st, 0);
	s->slug = col_text(a, st, 1);
	s->title = col_text(a, st, 2);
	s->yes = sqlite3_column_int64(st, 3);
	s->no = sqlite3_column_int64(st, 4);
}

static enum hh_rc feedback_insert(struct hh_tx *tx, struct hh_feedback_row *f)
{
	FAULT(tx);
	STMT(tx, S_FEEDBACK_INSERT);
	sqlite3_bind_int64(st, 1, f->at);
	sqlite3_bind_int(st, 2, f->day);
	sqlite3_bind_int(st, 3, f->found ? 1 : 0);
	bind_text(st, 4, f->page);
	sqlite3_bind_int64(st, 5, f->article_id);
	bind_text(st, 6, f->query);
	bind_text(st, 7, f->comment);
	sqlite3_bind_int64(st, 8, f->municipality_id);
	bind_text(st, 9, f->visit);
	enum hh_rc r = hh_sq_exec(tx, st);
	if (r == HH_OK)
		f->id = sqlite3_last_insert_rowid(db_of(tx));
	return r;
}

static enum hh_rc feedback_find(struct hh_tx *tx, struct hh_arena *a,
				const char *visit, int day, const char *page,
				int64_t article_id, const char *query,
				struct hh_feedback_row *out)
{
	FAULT(tx);
	STMT(tx, S_FEEDBACK_FIND);
	bind_text(st, 1, visit);
	sqlite3_bind_int(st, 2, day);
	bind_text(st, 3, page);
	sqlite3_bind_int64(st, 4, article_id);
	bind_text(st, 5, query ? query : "");
	ONE_ROW(tx, st, feedback_row, a, out);
}

static void bind_scope(sqlite3_stmt *st, int64_t since, int64_t org_id,
		       int unscoped, int limit)
{
	sqlite3_bind_int64(st, 1, since);
	sqlite3_bind_int64(st, 2, org_id);
	sqlite3_bind_int(st, 3, unscoped ? 1 : 0);
	sqlite3_bind_int(st, 4, limit);
}

static enum hh_rc feedback_stats(struct hh_tx *tx, struct hh_arena *a,
				 int64_t since, int64_t org_id, int unscoped,
				 int limit,
				 enum hh_rc (*cb)(void *ctx,
						  const struct hh_feedback_stat *s),
				 void *ctx)
{
	FAULT(tx);
	STMT(tx, S_FEEDBACK_STATS);
	bind_scope(st, since, org_id, unscoped, limit);
	MANY_ROWS(tx, st, struct hh_feedback_stat, stat_row, a, cb, ctx);
}

static enum hh_rc feedback_comments(struct hh_tx *tx, struct hh_arena *a,
				    int64_t since, int64_t org_id,
				    int unscoped, int limit,
				    enum hh_rc (*cb)(void *ctx,
						     const struct hh_feedback_row *f),
				    void *ctx)
{
	FAULT(tx);
	STMT(tx, S_FEEDBACK_COMMENTS);
	bind_scope(st, since, org_id, unscoped, limit);
	MANY_ROWS(tx, st, struct hh_feedback_row, feedback_row, a, cb, ctx);
}

void hh_sq_fill_feedback(struct hh_store *st)
{
	st->feedback_insert = feedback_insert;
	st->feedback_find = feedback_find;
	st->feedback_stats = feedback_stats;
	st->feedback_comments = feedback_comments;
}
