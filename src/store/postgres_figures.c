/* postgres_figures.c - the PostgreSQL backend: the service figures' facts
 * and daily aggregates, the daily lists of processing times, the event
 * scan the fold reads, and the search log's counts (the port of
 * sqlite_figures.c; migrations 0020 and 0023).
 *
 * A filter's NULL channel, case type or topic matches every row; a topic
 * matches itself and the KLE numbers below it ("02" matches "02.34").
 *
 * Every parameter is cast where it is used: one parameter appears in
 * several places (a filter's "$4 IS NULL OR channel = $4"), and a
 * parameter a statement does not need must still be named for
 * PostgreSQL to know its type (the filters pass all six). */
#include "store/postgres_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/util.h"
#include "store/fig_secs.h"

/* fig_agg: the filter names one row per day; a group names the rows of
 * the keys fig_keys knows ($1 org, $2 .. $3 days, $4 channel, $5 case
 * type, $6 topic, $7 metric; NULL: '*', all) */
#define AGG_CH "channel = coalesce($4::text, '*') "
#define AGG_CT "case_type = coalesce($5::text, '*') "
#define AGG_TP "topic = coalesce(substr($6::text, 1, 5), '*') "
#define AGG_KEYS(dim)                                                        \
	"IN (SELECT key FROM fig_keys WHERE org_id = $1::bigint AND "        \
	"metric = $7::text AND dim = '" dim "') "
#define AGG_WHERE "WHERE org_id = $1::bigint AND metric = $7::text AND "
#define AGG_DAYS "AND day BETWEEN $2::bigint AND $3::bigint "
#define F_TOPIC(col)                                                         \
	"AND ($6::text IS NULL OR " col " = $6::text OR " col " LIKE "       \
	"$6::text || '.%') "
/* inquiries have no case type, feedback no channel: the parameter is
 * named all the same (always true) */
#define F_UNUSED(n) "AND $" n "::text IS NOT DISTINCT FROM $" n "::text "
#define FILTER_INQ                                                           \
	"AND ($4::text IS NULL OR channel = $4::text) " F_UNUSED("5")        \
	F_TOPIC("topic")
#define FILTER_FB F_UNUSED("4") F_UNUSED("5") F_TOPIC("topic")
#define FILTER_CASE                                                          \
	"AND ($4::text IS NULL OR f.channel = $4::text) "                    \
	"AND ($5::text IS NULL OR f.case_type = $5::text) " F_TOPIC("f.topic")
#define INQ_COLS                                                             \
	"id, org_id, channel, started_at, day, topic, article_id, outcome, "  \
	"first_outcome, transfers, coalesce(callback_due_at, 0), "           \
	"coalesce(callback_day, 0), coalesce(callback_kept, -1) "
#define CASE_COLS                                                            \
	"f.id, f.org_id, f.case_type, f.channel, f.topic, f.submitted_at, "  \
	"f.day, f.state, f.paused_since, f.paused_s, f.deadline_days, "     \
	"f.closed_at, f.decided, f.decided_day, f.deadline_day, "           \
	"f.proc_days, f.within "

/* s-trap: a result was chosen: an article, or a guide or a form
 * (chosen_kind, migration 0027) */
#define SEARCH_CHOSEN                                                        \
	"(chosen_article_id IS NOT NULL OR chosen_kind IS NOT NULL)"
/* a weak result: results but nothing chosen, or the engine was not
 * sure of them (strength 1, migration 0026) */
#define SEARCH_WEAK                                                          \
	"(results > 0 AND (NOT " SEARCH_CHOSEN " OR "                        \
	"strength IS NOT DISTINCT FROM 1))"
/* a search that helped: an article, a guide or a form chosen from a
 * result that was not weak, and no chat from the same visit within a
 * day after it */
#define SEARCH_SUCCESS                                                       \
	"(" SEARCH_CHOSEN " AND strength IS DISTINCT FROM 1 AND "            \
	"(s.visit IS NULL OR NOT EXISTS "                                    \
	"(SELECT 1 FROM chats c WHERE c.visit = s.visit AND "                \
	"c.created_at >= s.at AND c.created_at < s.at + 86400)))"
#define SEARCH_COUNTS                                                        \
	"count(*), count(*) FILTER (WHERE results = 0), "                    \
	"count(*) FILTER (WHERE " SEARCH_WEAK "), "                          \
	"count(*) FILTER (WHERE " SEARCH_SUCCESS ") "

static const char *const stmt_sql[P__COUNT] = {
	/* LIMIT NULL: all */
	[P_FIG_EVENTS] = "SELECT id, at, actor, coalesce(organisation_id, 0), "
			 "entity, entity_id, action, before, after FROM events "
			 "WHERE id > $1 ORDER BY id LIMIT $2::bigint",
	/* one statement, so that it is prepared as the others are */
	[P_FIG_RESET] = "WITH i AS (DELETE FROM fig_inquiry), "
			"c AS (DELETE FROM fig_case), "
			"ch AS (DELETE FROM fig_chat), "
			"fb AS (DELETE FROM fig_feedback), "
			"ag AS (DELETE FROM fig_agg), "
			"k AS (DELETE FROM fig_keys), "
			"pr AS (DELETE FROM fig_proc) "
			"UPDATE search_log SET fig_folded = NULL "
			"WHERE fig_folded IS NOT NULL",
	[P_FIG_INQ_GET] = "SELECT " INQ_COLS "FROM fig_inquiry WHERE id = $1",
	[P_FIG_INQ_PUT] =
		"INSERT INTO fig_inquiry(id, org_id, channel, started_at, day, "
		"topic, article_id, outcome, first_outcome, transfers, "
		"callback_due_at, callback_day, callback_kept) VALUES ($1, $2, "
		"$3, $4, $5, $6, $7, $8, $9, $10, nullif($11::bigint, 0), "
		"nullif($12::bigint, 0), nullif($13::bigint, -1)) "
		"ON CONFLICT (id) DO UPDATE SET org_id = excluded.org_id, "
		"channel = excluded.channel, started_at = excluded.started_at, "
		"day = excluded.day, topic = excluded.topic, "
		"article_id = excluded.article_id, outcome = excluded.outcome, "
		"first_outcome = excluded.first_outcome, "
		"transfers = excluded.transfers, "
		"callback_due_at = excluded.callback_due_at, "
		"callback_day = excluded.callback_day, "
		"callback_kept = excluded.callback_kept",
	[P_FIG_CASE_GET] = "SELECT " CASE_COLS ", NULL FROM fig_case f "
			   "WHERE f.id = $1",
	[P_FIG_CASE_PUT] =
		"INSERT INTO fig_case(id, org_id, case_type, channel, topic, "
		"submitted_at, day, state, paused_since, paused_s, "
		"deadline_days, closed_at, decided, decided_day, deadline_day, "
		"proc_days, within) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
		"$10, $11, $12, $13, $14, $15, $16, $17) "
		"ON CONFLICT (id) DO UPDATE SET org_id = excluded.org_id, "
		"case_type = excluded.case_type, channel = excluded.channel, "
		"topic = excluded.topic, submitted_at = excluded.submitted_at, "
		"day = excluded.day, state = excluded.state, "
		"paused_since = excluded.paused_since, "
		"paused_s = excluded.paused_s, "
		"deadline_days = excluded.deadline_days, "
		"closed_at = excluded.closed_at, decided = excluded.decided, "
		"decided_day = excluded.decided_day, "
		"deadline_day = excluded.deadline_day, "
		"proc_days = excluded.proc_days, within = excluded.within",
	[P_FIG_CHAT_PUT] = "INSERT INTO fig_chat(id, org_id, day, rating) "
			   "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
	[P_FIG_FEEDBACK_PUT] =
		"INSERT INTO fig_feedback(id, org_id, day, found, page, "
		"article_id, topic) VALUES ($1, $2, $3, $4, $5, $6, $7) "
		"ON CONFLICT DO NOTHING",
	[P_FIG_AGG_ADD] =
		"INSERT INTO fig_agg(org_id, metric, day, channel, case_type, "
		"topic, n, sum) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
		"ON CONFLICT (org_id, metric, channel, case_type, topic, day) "
		"DO UPDATE SET n = fig_agg.n + excluded.n, "
		"sum = fig_agg.sum + excluded.sum",
	[P_FIG_KEY_ADD] = "INSERT INTO fig_keys(org_id, metric, dim, key) "
			  "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
	/* sums of bigint are numeric in PostgreSQL: cast back */
	[P_FIG_AGG_TOTAL] = "SELECT '', coalesce(sum(n), 0)::bigint, "
			    "coalesce(sum(sum), 0) FROM fig_agg " AGG_WHERE
			    AGG_CH "AND " AGG_CT "AND " AGG_TP AGG_DAYS,
	[P_FIG_AGG_CHANNEL] = "SELECT channel, sum(n)::bigint, sum(sum) "
			      "FROM fig_agg " AGG_WHERE "channel "
			      AGG_KEYS("channel") "AND " AGG_CT "AND " AGG_TP
			      AGG_DAYS F_UNUSED("4") "GROUP BY channel ORDER BY 1",
	[P_FIG_AGG_CASE_TYPE] = "SELECT case_type, sum(n)::bigint, sum(sum) "
				"FROM fig_agg " AGG_WHERE AGG_CH "AND case_type "
				AGG_KEYS("case_type") "AND " AGG_TP AGG_DAYS
				F_UNUSED("5") "GROUP BY case_type ORDER BY 1",
	[P_FIG_AGG_TOPIC] = "SELECT topic, sum(n)::bigint, sum(sum) FROM fig_agg "
			    AGG_WHERE AGG_CH "AND " AGG_CT "AND topic "
			    AGG_KEYS("topic")
			    "AND ($6::text IS NULL OR topic = "
			    "substr($6::text, 1, 2)) "
			    AGG_DAYS "GROUP BY topic ORDER BY 1",
	[P_FIG_AGG_DAY] = "SELECT day, sum(n)::bigint, sum(sum) FROM fig_agg "
			  AGG_WHERE AGG_CH "AND " AGG_CT "AND " AGG_TP AGG_DAYS
			  "GROUP BY day ORDER BY day",
	/* the processing times of a filter's days (fig_proc, 0023): one
	 * row a day; $7 is not used by this one */
	[P_FIG_PROC] = "SELECT n, secs FROM fig_proc WHERE org_id = $1::bigint "
		       "AND " AGG_CH "AND " AGG_CT "AND " AGG_TP AGG_DAYS,
	[P_FIG_INQ_LIST] = "SELECT " INQ_COLS "FROM fig_inquiry WHERE "
			   "org_id = $1::bigint AND day BETWEEN $2::bigint AND "
			   "$3::bigint " FILTER_INQ
			   "AND ($7::bigint = 0 OR id < $7::bigint) "
			   "ORDER BY id DESC LIMIT $8::bigint",
	[P_FIG_CASE_LIST] = "SELECT " CASE_COLS ", c.journal_no FROM fig_case f "
			    "LEFT JOIN cases c ON c.id = f.id WHERE "
			    "f.org_id = $1::bigint AND f.day BETWEEN $2::bigint "
			    "AND $3::bigint " FILTER_CASE
			    "AND ($7::bigint = 0 OR f.id < $7::bigint) "
			    "ORDER BY f.id DESC LIMIT $8::bigint",
	[P_FIG_CASE_LIST_DECIDED] =
		"SELECT " CASE_COLS ", c.journal_no FROM fig_case f "
		"LEFT JOIN cases c ON c.id = f.id WHERE "
		"f.org_id = $1::bigint AND f.decided = 1 AND f.decided_day "
		"BETWEEN $2::bigint AND $3::bigint " FILTER_CASE
		"AND ($7::bigint = 0 OR f.id < $7::bigint) "
		"ORDER BY f.id DESC LIMIT $8::bigint",
	/* searches: no result; a weak result; success (SEARCH_WEAK,
	 * SEARCH_SUCCESS) */
	[P_FIG_SEARCH] = "SELECT " SEARCH_COUNTS "FROM search_log s WHERE "
			 "municipality_id = $1 AND at >= $2 AND at < $3",
	[P_FIG_LAG] = "SELECT count(*), coalesce(max(id), 0) FROM events "
		      "WHERE id > $1",
	[P_FIG_ART_FOUND] = "SELECT article_id, count(*), sum(found) FROM "
			    "fig_feedback WHERE org_id = $1::bigint AND day "
			    "BETWEEN $2::bigint AND $3::bigint AND "
			    "article_id <> 0 " FILTER_FB
			    "GROUP BY article_id ORDER BY article_id",
	[P_FIG_ART_INQ] = "SELECT article_id, count(*), count(*) FILTER "
			  "(WHERE first_outcome = 'resolved_first_contact') "
			  "FROM fig_inquiry WHERE org_id = $1::bigint AND day "
			  "BETWEEN $2::bigint AND $3::bigint AND "
			  "article_id <> 0 " FILTER_INQ
			  "GROUP BY article_id ORDER BY article_id",
	[P_FIG_ART_FCR] = "SELECT article_id, count(*), count(*) FILTER "
			  "(WHERE first_outcome = 'resolved_first_contact') "
			  "FROM fig_inquiry WHERE org_id = $1::bigint AND day "
			  "BETWEEN $2::bigint AND $3::bigint AND "
			  "article_id <> 0 AND first_outcome IS NOT NULL "
			  FILTER_INQ "GROUP BY article_id ORDER BY article_id",
	/* fig-hist */
	[P_FIG_PROC_GET] = "SELECT n, secs FROM fig_proc WHERE org_id = $1 AND "
			   "channel = $2 AND case_type = $3 AND topic = $4 AND "
			   "day = $5",
	[P_FIG_PROC_PUT] = "INSERT INTO fig_proc(org_id, channel, case_type, "
			   "topic, day, n, secs) VALUES ($1, $2, $3, $4, $5, "
			   "$6, $7) ON CONFLICT (org_id, channel, case_type, "
			   "topic, day) DO UPDATE SET n = excluded.n, "
			   "secs = excluded.secs",
	/* the searches not folded yet (partial index search_log_unfolded,
	 * 0023: a day's searches or so). Its order is the index's, so the
	 * index is the plan whatever the statistics say: with statistics
	 * from before a bulk fold (a copied year, analysed unfolded) the
	 * planner took every row to be unfolded and read the whole log by
	 * search_log_at to find none, 30 to 46 ms, at every read's
	 * catch-up (17 in one GET /api/v1/figures), for as long as the
	 * connection kept that plan. SQLite names the index (INDEXED BY);
	 * the fold does not depend on the order. */
	[P_FIG_SEARCH_ROWS] = "SELECT id, coalesce(municipality_id, 0), at, "
			      "results = 0, " SEARCH_WEAK ", " SEARCH_SUCCESS
			      " FROM search_log s WHERE fig_folded IS NULL "
			      "AND at < $1 ORDER BY municipality_id, at "
			      "LIMIT $2::bigint",
	/* $1: an array of ids, one round trip for them all */
	[P_FIG_SEARCH_MARK] = "UPDATE search_log SET fig_folded = 1 "
			      "WHERE id = ANY ($1::bigint[])",
	[P_FIG_SEARCH_SINCE] = "SELECT " SEARCH_COUNTS "FROM search_log s "
			       "WHERE municipality_id = $1 AND fig_folded IS "
			       "NULL AND at >= $2 AND at < $3",
	[P_FIG_PROC_COUNT] = "SELECT coalesce(sum(n), 0)::bigint FROM fig_proc "
			     "WHERE org_id = $1::bigint AND " AGG_CH "AND "
			     AGG_CT "AND " AGG_TP AGG_DAYS,
};

static void p_filter(struct pg_params *p, const struct hh_fig_filter *f)
{
	p_int(p, f->org_id);
	p_int(p, f->from_day);
	p_int(p, f->to_day);
	p_text(p, f->channel);
	p_text(p, f->case_type);
	p_text(p, f->topic);
}

/* Column c of row i as text in the arena, "" for NULL. */
static const char *g_str(struct hh_arena *a, const PGresult *r, int i, int c)
{
	const char *s = g_text(a, r, i, c);
	return s ? s : "";
}

/* Column c of row i as a string of the result (NULL for SQL NULL):
 * valid until the result is cleared. */
static const char *g_borrow(const PGresult *r, int i, int c)
{
	return PQgetisnull(r, i, c) ? NULL : PQgetvalue(r, i, c);
}

/* the strings are the result's: the fold reads them at once, so nothing
 * is copied (a is not used) */
static void event_row(struct hh_arena *a, const PGresult *r, int i,
		      struct hh_event *e)
{
	e->id = g_int(r, i, 0);
	e->at_us = g_int(r, i, 1);
	e->actor = g_borrow(r, i, 2);
	e->org_id = g_int(r, i, 3);
	e->entity = g_borrow(r, i, 4);
	e->entity_id = g_int(r, i, 5);
	e->action = g_borrow(r, i, 6);
	e->before = g_borrow(r, i, 7);
	e->after = g_borrow(r, i, 8);
}

static enum hh_rc fig_events(struct hh_tx *tx, struct hh_arena *a,
			     int64_t after_id, int limit, hh_event_cb cb,
			     void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, after_id);
	p_limit(&p, limit);
	PG_MANY_ROWS(tx, P_FIG_EVENTS, &p, struct hh_event, event_row, a, cb,
		     ctx);
}

static enum hh_rc fig_reset(struct hh_tx *tx)
{
	FAULT(tx);
	return RUN(tx, P_FIG_RESET, NULL, NULL);
}

static void inq_row(struct hh_arena *a, const PGresult *r, int i,
		    struct hh_fig_inquiry_fact *f)
{
	f->id = g_int(r, i, 0);
	f->org_id = g_int(r, i, 1);
	f->channel = g_str(a, r, i, 2);
	f->started_at = g_int(r, i, 3);
	f->day = (int)g_int(r, i, 4);
	f->topic = g_str(a, r, i, 5);
	f->article_id = g_int(r, i, 6);
	f->outcome = g_str(a, r, i, 7);
	f->first_outcome = g_text(a, r, i, 8);
	f->transfers = (int)g_int(r, i, 9);
	f->callback_due_at = g_int(r, i, 10);
	f->callback_day = (int)g_int(r, i, 11);
	f->callback_kept = (int)g_int(r, i, 12);
}

static void case_row(struct hh_arena *a, const PGresult *r, int i,
		     struct hh_fig_case_fact *f)
{
	f->id = g_int(r, i, 0);
	f->org_id = g_int(r, i, 1);
	f->case_type = g_str(a, r, i, 2);
	f->channel = g_str(a, r, i, 3);
	f->topic = g_str(a, r, i, 4);
	f->submitted_at = g_int(r, i, 5);
	f->day = (int)g_int(r, i, 6);
	f->state = g_str(a, r, i, 7);
	f->paused_since = g_int(r, i, 8);
	f->paused_s = g_int(r, i, 9);
	f->deadline_days = (int)g_int(r, i, 10);
	f->closed_at = g_int(r, i, 11);
	f->decided = (int)g_int(r, i, 12);
	f->decided_day = (int)g_int(r, i, 13);
	f->deadline_day = (int)g_int(r, i, 14);
	f->proc_days = g_double(r, i, 15);
	f->within = (int)g_int(r, i, 16);
	f->ref = g_text(a, r, i, 17);
}

static enum hh_rc fig_inquiry_get(struct hh_tx *tx, struct hh_arena *a,
				  int64_t id, struct hh_fig_inquiry_fact *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, id);
	PG_ONE_ROW(tx, P_FIG_INQ_GET, &p, inq_row, a, out);
}

static enum hh_rc fig_inquiry_put(struct hh_tx *tx,
				  const struct hh_fig_inquiry_fact *f)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, f->id);
	p_int(&p, f->org_id);
	p_text(&p, f->channel ? f->channel : "");
	p_int(&p, f->started_at);
	p_int(&p, f->day);
	p_text(&p, f->topic ? f->topic : "");
	p_int(&p, f->article_id);
	p_text(&p, f->outcome ? f->outcome : "");
	p_text(&p, f->first_outcome);
	p_int(&p, f->transfers);
	p_int(&p, f->callback_due_at);
	p_int(&p, f->callback_day);
	p_int(&p, f->callback_kept);
	return RUN(tx, P_FIG_INQ_PUT, &p, NULL);
}

static enum hh_rc fig_case_get(struct hh_tx *tx, struct hh_arena *a,
			       int64_t id, struct hh_fig_case_fact *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, id);
	PG_ONE_ROW(tx, P_FIG_CASE_GET, &p, case_row, a, out);
}

static enum hh_rc fig_case_put(struct hh_tx *tx,
			       const struct hh_fig_case_fact *f)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, f->id);
	p_int(&p, f->org_id);
	p_text(&p, f->case_type ? f->case_type : "");
	p_text(&p, f->channel ? f->channel : "");
	p_text(&p, f->topic ? f->topic : "");
	p_int(&p, f->submitted_at);
	p_int(&p, f->day);
	p_text(&p, f->state ? f->state : "");
	p_int(&p, f->paused_since);
	p_int(&p, f->paused_s);
	p_int(&p, f->deadline_days);
	p_int(&p, f->closed_at);
	p_int(&p, f->decided);
	p_int(&p, f->decided_day);
	p_int(&p, f->deadline_day);
	p_double(&p, f->proc_days);
	p_int(&p, f->within);
	return RUN(tx, P_FIG_CASE_PUT, &p, NULL);
}

/* Runs an insert-once statement; *inserted 1 when it made a row. */
static enum hh_rc insert_once(struct hh_tx *tx, enum pg_stmt_id id,
			      const struct pg_params *p, int *inserted)
{
	int64_t changed;
	enum hh_rc rc = RUN_CHANGED(tx, id, p, &changed);
	*inserted = changed > 0;
	return rc;
}

static enum hh_rc fig_chat_put(struct hh_tx *tx, int64_t id, int64_t org_id,
			       int day, int rating, int *inserted)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, id);
	p_int(&p, org_id);
	p_int(&p, day);
	p_int(&p, rating);
	return insert_once(tx, P_FIG_CHAT_PUT, &p, inserted);
}

static enum hh_rc fig_feedback_put(struct hh_tx *tx, int64_t id,
				   int64_t org_id, int day, int found,
				   const char *page, int64_t article_id,
				   const char *topic, int *inserted)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, id);
	p_int(&p, org_id);
	p_int(&p, day);
	p_int(&p, found);
	p_text(&p, page ? page : "");
	p_int(&p, article_id);
	p_text(&p, topic ? topic : "");
	return insert_once(tx, P_FIG_FEEDBACK_PUT, &p, inserted);
}

/* A dimension of a fig_agg or fig_proc row: '*' (all) for none. */
static const char *or_all(const char *s)
{
	return s && *s ? s : "*";
}

static enum hh_rc fig_agg_add(struct hh_tx *tx, int64_t org_id,
			      const char *metric, int day, const char *channel,
			      const char *case_type, const char *topic,
			      int64_t n, double sum)
{
	FAULT(tx);
	channel = or_all(channel);
	case_type = or_all(case_type);
	topic = or_all(topic);
	struct pg_params p = { 0 };
	p_int(&p, org_id);
	p_text(&p, metric);
	p_int(&p, day);
	p_text(&p, channel);
	p_text(&p, case_type);
	p_text(&p, topic);
	p_int(&p, n);
	p_double(&p, sum);
	enum hh_rc rc = RUN(tx, P_FIG_AGG_ADD, &p, NULL);
	/* a row of one dimension alone is a key of that dimension */
	int ch = strcmp(channel, "*") != 0, ct = strcmp(case_type, "*") != 0,
	    tp = strcmp(topic, "*") != 0 && strlen(topic) == 2;
	if (rc != HH_OK || ch + ct + (strcmp(topic, "*") != 0) != 1 ||
	    !(ch || ct || tp))
		return rc;
	struct pg_params k = { 0 };
	p_int(&k, org_id);
	p_text(&k, metric);
	p_text(&k, ch ? "channel" : ct ? "case_type" : "topic");
	p_text(&k, ch ? channel : ct ? case_type : topic);
	return RUN(tx, P_FIG_KEY_ADD, &k, NULL);
}

/* Runs id and gives each row's key (column 0, as text), count and sum to
 * cb; a callback's error stops it and is returned. */
static enum hh_rc agg_rows(struct hh_tx *tx, enum pg_stmt_id id,
			   const struct pg_params *p, hh_fig_agg_cb cb,
			   void *ctx)
{
	PGresult *r;
	enum hh_rc rc = RUN(tx, id, p, &r);
	if (rc != HH_OK)
		return rc;
	int n = PQntuples(r);
	for (int i = 0; i < n && rc == HH_OK; i++)
		rc = cb(ctx, PQgetvalue(r, i, 0), g_int(r, i, 1),
			g_double(r, i, 2));
	PQclear(r);
	return rc;
}

static enum hh_rc fig_agg_sum(struct hh_tx *tx, struct hh_arena *a,
			      const struct hh_fig_filter *f, const char *metric,
			      int group, hh_fig_agg_cb cb, void *ctx)
{
	FAULT(tx);
	static const enum pg_stmt_id ids[] = {
		[HH_FIG_G_TOTAL] = P_FIG_AGG_TOTAL,
		[HH_FIG_G_CHANNEL] = P_FIG_AGG_CHANNEL,
		[HH_FIG_G_CASE_TYPE] = P_FIG_AGG_CASE_TYPE,
		[HH_FIG_G_TOPIC] = P_FIG_AGG_TOPIC,
		[HH_FIG_G_DAY] = P_FIG_AGG_DAY,
	};
	if (group < 0 || group > HH_FIG_G_DAY)
		return HH_ERR_INVALID;
	struct pg_params p = { 0 };
	p_filter(&p, f);
	p_text(&p, metric);
	return agg_rows(tx, ids[group], &p, cb, ctx);
}

/* Every processing time of f's rows into *out (new: the caller frees
 * it), unsorted across days; *n how many. */
static enum hh_rc proc_read(struct hh_tx *tx, const struct hh_fig_filter *f,
			    uint32_t **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct pg_params p = { 0 };
	p_filter(&p, f);
	PGresult *r;
	enum hh_rc rc = RUN(tx, P_FIG_PROC, &p, &r);
	if (rc != HH_OK)
		return rc;
	uint32_t *v = NULL;
	size_t cap = 0;
	int rows = PQntuples(r);
	for (int row = 0; row < rows; row++) {
		size_t len;
		unsigned char *b = hh_pg_bytea(r, row, 1, &len);
		hh_fig_secs_append(&v, n, &cap, b, len);
		if (b)
			PQfreemem(b);
	}
	PQclear(r);
	*out = v;
	return HH_OK;
}

static enum hh_rc fig_proc_values(struct hh_tx *tx,
				  const struct hh_fig_filter *f,
				  hh_fig_value_cb cb, void *ctx)
{
	FAULT(tx);
	uint32_t *v;
	size_t n;
	enum hh_rc r = proc_read(tx, f, &v, &n);
	if (r == HH_OK)
		r = hh_fig_secs_each(v, n, cb, ctx);
	free(v);
	return r;
}

static enum hh_rc fig_proc_count(struct hh_tx *tx,
				 const struct hh_fig_filter *f, int64_t *n)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_filter(&p, f);
	*n = 0;
	return RUN_INT(tx, P_FIG_PROC_COUNT, &p, n);
}

static enum hh_rc fig_proc_at(struct hh_tx *tx, const struct hh_fig_filter *f,
			      const int64_t *rank, int k, double *days)
{
	FAULT(tx);
	uint32_t *v;
	size_t n;
	enum hh_rc r = proc_read(tx, f, &v, &n);
	if (r == HH_OK)
		r = hh_fig_secs_at_ranks(v, n, rank, k, days);
	free(v);
	return r;
}

static enum hh_rc fig_proc_add(struct hh_tx *tx, int64_t org_id, int day,
			       const char *channel, const char *case_type,
			       const char *topic, const int32_t *secs, int n)
{
	FAULT(tx);
	channel = or_all(channel);
	case_type = or_all(case_type);
	topic = or_all(topic);
	struct pg_params p = { 0 };
	p_int(&p, org_id);
	p_text(&p, channel);
	p_text(&p, case_type);
	p_text(&p, topic);
	p_int(&p, day);
	PGresult *r;
	enum hh_rc rc = RUN(tx, P_FIG_PROC_GET, &p, &r);
	if (rc != HH_OK)
		return rc;
	unsigned char *old = NULL;
	size_t old_len = 0;
	if (PQntuples(r) > 0)
		old = hh_pg_bytea(r, 0, 1, &old_len);
	PQclear(r);
	int n_old = (int)(old_len / 4);
	int total = n_old + n;
	unsigned char *m = hh_fig_secs_merge(old, n_old, secs, n);
	if (old)
		PQfreemem(old);
	struct pg_params q = { 0 };
	p_int(&q, org_id);
	p_text(&q, channel);
	p_text(&q, case_type);
	p_text(&q, topic);
	p_int(&q, day);
	p_int(&q, total);
	p_blob(&q, m, (size_t)total * 4);
	rc = RUN(tx, P_FIG_PROC_PUT, &q, NULL);
	free(m);
	return rc;
}

static void search_row(struct hh_arena *a, const PGresult *r, int i,
		       struct hh_fig_search_row *s)
{
	s->id = g_int(r, i, 0);
	s->org_id = g_int(r, i, 1);
	s->at = g_int(r, i, 2);
	s->no_result = (int)g_int(r, i, 3);
	s->weak = (int)g_int(r, i, 4);
	s->success = (int)g_int(r, i, 5);
}

static enum hh_rc fig_search_rows(struct hh_tx *tx, int64_t before,
				  int limit, hh_fig_search_cb cb, void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, before);
	p_limit(&p, limit);
	PG_MANY_ROWS(tx, P_FIG_SEARCH_ROWS, &p, struct hh_fig_search_row,
		     search_row, NULL, cb, ctx);
}

static enum hh_rc fig_search_mark(struct hh_tx *tx, const int64_t *ids, int n)
{
	FAULT(tx);
	if (n <= 0)
		return HH_OK;
	/* the ids as one array literal: {1,2,3} */
	struct hh_buf b;
	hh_buf_init(&b);
	hh_buf_putc(&b, '{');
	for (int i = 0; i < n; i++)
		hh_buf_printf(&b, i ? ",%lld" : "%lld", (long long)ids[i]);
	hh_buf_putc(&b, '}');
	struct pg_params p = { 0 };
	p_text(&p, hh_buf_str(&b));
	enum hh_rc rc = RUN(tx, P_FIG_SEARCH_MARK, &p, NULL);
	hh_buf_clear(&b);
	return rc;
}

static enum hh_rc search_counts(struct hh_tx *tx, enum pg_stmt_id id,
				int64_t org_id, int64_t from, int64_t to,
				struct hh_fig_search_counts *out)
{
	struct pg_params p = { 0 };
	p_int(&p, org_id);
	p_int(&p, from);
	p_int(&p, to);
	PGresult *r;
	enum hh_rc rc = RUN(tx, id, &p, &r);
	if (rc != HH_OK)
		return rc;
	if (PQntuples(r) > 0) {
		out->searches = g_int(r, 0, 0);
		out->no_result = g_int(r, 0, 1);
		out->weak = g_int(r, 0, 2);
		out->success = g_int(r, 0, 3);
	} else {
		rc = HH_ERR_INTERNAL; /* an aggregate gives one row */
	}
	PQclear(r);
	return rc;
}

static enum hh_rc fig_search_since(struct hh_tx *tx, int64_t org_id,
				   int64_t from, int64_t to,
				   struct hh_fig_search_counts *out)
{
	FAULT(tx);
	return search_counts(tx, P_FIG_SEARCH_SINCE, org_id, from, to, out);
}

static enum hh_rc fig_inquiry_list(struct hh_tx *tx, struct hh_arena *a,
				   const struct hh_fig_filter *f, int64_t before,
				   int limit, hh_fig_inquiry_cb cb, void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_filter(&p, f);
	p_int(&p, before);
	p_limit(&p, limit);
	PG_MANY_ROWS(tx, P_FIG_INQ_LIST, &p, struct hh_fig_inquiry_fact,
		     inq_row, a, cb, ctx);
}

static enum hh_rc fig_case_list(struct hh_tx *tx, struct hh_arena *a,
				const struct hh_fig_filter *f, int decided_only,
				int64_t before, int limit, hh_fig_case_cb cb,
				void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_filter(&p, f);
	p_int(&p, before);
	p_limit(&p, limit);
	PG_MANY_ROWS(tx, decided_only ? P_FIG_CASE_LIST_DECIDED : P_FIG_CASE_LIST,
		     &p, struct hh_fig_case_fact, case_row, a, cb, ctx);
}

static enum hh_rc fig_search(struct hh_tx *tx, int64_t org_id, int64_t from,
			     int64_t to, struct hh_fig_search_counts *out)
{
	FAULT(tx);
	return search_counts(tx, P_FIG_SEARCH, org_id, from, to, out);
}

static enum hh_rc fig_lag(struct hh_tx *tx, int64_t after, int64_t *lag,
			  int64_t *newest)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, after);
	PGresult *r;
	enum hh_rc rc = RUN(tx, P_FIG_LAG, &p, &r);
	if (rc != HH_OK)
		return rc;
	if (PQntuples(r) > 0) {
		*lag = g_int(r, 0, 0);
		*newest = g_int(r, 0, 1);
		if (*newest < after)
			*newest = after;
	} else {
		rc = HH_ERR_INTERNAL; /* an aggregate gives one row */
	}
	PQclear(r);
	return rc;
}

static enum hh_rc fig_article_sum(struct hh_tx *tx,
				  const struct hh_fig_filter *f, int what,
				  hh_fig_agg_cb cb, void *ctx)
{
	FAULT(tx);
	enum pg_stmt_id id = what == 0 ? P_FIG_ART_FOUND
			     : what == 1 ? P_FIG_ART_INQ : P_FIG_ART_FCR;
	struct pg_params p = { 0 };
	p_filter(&p, f);
	/* the key: the article's id as PostgreSQL prints a bigint, as
	 * SQLite's key (article_id <> 0: never NULL) */
	return agg_rows(tx, id, &p, cb, ctx);
}

void hh_pg_fill_figures(struct hh_store *st)
{
	st->fig_article_sum = fig_article_sum;
	st->fig_events = fig_events;
	st->fig_reset = fig_reset;
	st->fig_inquiry_get = fig_inquiry_get;
	st->fig_inquiry_put = fig_inquiry_put;
	st->fig_case_get = fig_case_get;
	st->fig_case_put = fig_case_put;
	st->fig_chat_put = fig_chat_put;
	st->fig_feedback_put = fig_feedback_put;
	st->fig_agg_add = fig_agg_add;
	st->fig_agg_sum = fig_agg_sum;
	st->fig_proc_values = fig_proc_values;
	st->fig_inquiry_list = fig_inquiry_list;
	st->fig_case_list = fig_case_list;
	st->fig_search = fig_search;
	st->fig_lag = fig_lag;
	st->fig_proc_add = fig_proc_add;
	st->fig_search_rows = fig_search_rows;
	st->fig_search_mark = fig_search_mark;
	st->fig_search_since = fig_search_since;
	st->fig_proc_count = fig_proc_count;
	st->fig_proc_at = fig_proc_at;
}
