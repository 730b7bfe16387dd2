/* sqlite_figures.c - the SQLite backend: the service figures' facts and
 * daily aggregates (store.h's figures block, migrations 0020 and 0023),
 * the daily lists of processing times (fig_proc), the event scan the
 * fold reads, and the search log's counts.
 *
 * A filter's NULL channel, case type or topic matches every row; a topic
 * matches itself and the KLE numbers below it ("02" matches "02.34"). */
#include "store/sqlite_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "store/fig_secs.h"

/* fig_agg: the filter names one row per day; a group names the rows of
 * the keys fig_keys knows (?1 org, ?2 .. ?3 days, ?4 channel, ?5 case
 * type, ?6 topic, ?7 metric; NULL: '*', all) */
#define AGG_CH "channel = ifnull(?4, '*') "
#define AGG_CT "case_type = ifnull(?5, '*') "
#define AGG_TP "topic = ifnull(substr(?6, 1, 5), '*') "
#define AGG_KEYS(dim)                                                       \
	"IN (SELECT key FROM fig_keys WHERE org_id = ?1 AND metric = ?7 "    \
	"AND dim = '" dim "') "
#define AGG_WHERE "WHERE org_id = ?1 AND metric = ?7 AND "
#define AGG_DAYS "AND day BETWEEN ?2 AND ?3 "
#define FILTER_REST                                                         \
	"AND (?4 IS NULL OR channel = ?4) "                                 \
	"AND (?5 IS NULL OR case_type = ?5) "                               \
	"AND (?6 IS NULL OR topic = ?6 OR topic LIKE ?6 || '.%') "
/* inquiries have no case type, feedback no channel */
#define FILTER_INQ                                                          \
	"AND (?4 IS NULL OR channel = ?4) AND ?5 IS ?5 "                    \
	"AND (?6 IS NULL OR topic = ?6 OR topic LIKE ?6 || '.%') "
#define FILTER_FB                                                           \
	"AND ?4 IS ?4 AND ?5 IS ?5 "                                        \
	"AND (?6 IS NULL OR topic = ?6 OR topic LIKE ?6 || '.%') "
#define INQ_COLS                                                            \
	"id, org_id, channel, started_at, day, topic, article_id, outcome, "  \
	"first_outcome, transfers, ifnull(callback_due_at, 0), "            \
	"ifnull(callback_day, 0), ifnull(callback_kept, -1) "
#define CASE_COLS                                                           \
	"f.id, f.org_id, f.case_type, f.channel, f.topic, f.submitted_at, "  \
	"f.day, f.state, f.paused_since, f.paused_s, f.deadline_days, "     \
	"f.closed_at, f.decided, f.decided_day, f.deadline_day, "           \
	"f.proc_days, f.within "

/* s-trap: a result was chosen: an article, or a guide or a form
 * (chosen_kind, migration 0027) */
#define SEARCH_CHOSEN                                                       \
	"(chosen_article_id IS NOT NULL OR chosen_kind IS NOT NULL)"
/* a weak result: results but nothing chosen, or the engine was not
 * sure of them (strength 1, migration 0026) */
#define SEARCH_WEAK                                                         \
	"results > 0 AND (NOT " SEARCH_CHOSEN " OR strength IS 1)"
/* a search that helped: an article, a guide or a form chosen from a
 * result that was not weak, and no chat from the same visit within a
 * day after it */
#define SEARCH_SUCCESS                                                      \
	SEARCH_CHOSEN " AND strength IS NOT 1 AND "                          \
	"(s.visit IS NULL OR NOT EXISTS "                                    \
	"(SELECT 1 FROM chats c WHERE c.visit = s.visit AND "                \
	"c.created_at >= s.at AND c.created_at < s.at + 86400))"
#define SEARCH_COUNTS                                                       \
	"count(*), ifnull(sum(results = 0), 0), "                           \
	"ifnull(sum(" SEARCH_WEAK "), 0), "                                  \
	"ifnull(sum(" SEARCH_SUCCESS "), 0) "

static const char *const stmt_sql[S__COUNT] = {
	[S_FIG_EVENTS] = "SELECT id, at, actor, ifnull(organisation_id, 0), "
			 "entity, entity_id, action, before, after FROM events "
			 "WHERE id > ?1 ORDER BY id LIMIT ?2",
	[S_FIG_INQ_GET] = "SELECT " INQ_COLS "FROM fig_inquiry WHERE id = ?1",
	[S_FIG_INQ_PUT] =
		"INSERT OR REPLACE INTO fig_inquiry(id, org_id, channel, "
		"started_at, day, topic, article_id, outcome, first_outcome, "
		"transfers, callback_due_at, callback_day, callback_kept) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, nullif(?11, 0), "
		"nullif(?12, 0), nullif(?13, -1))",
	[S_FIG_CASE_GET] = "SELECT " CASE_COLS ", NULL FROM fig_case f "
			   "WHERE f.id = ?1",
	[S_FIG_CASE_PUT] =
		"INSERT OR REPLACE INTO fig_case(id, org_id, case_type, channel, "
		"topic, submitted_at, day, state, paused_since, paused_s, "
		"deadline_days, closed_at, decided, decided_day, deadline_day, "
		"proc_days, within) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
		"?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
	[S_FIG_CHAT_PUT] = "INSERT OR IGNORE INTO fig_chat(id, org_id, day, "
			   "rating) VALUES (?1, ?2, ?3, ?4)",
	[S_FIG_FEEDBACK_PUT] =
		"INSERT OR IGNORE INTO fig_feedback(id, org_id, day, found, page, "
		"article_id, topic) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[S_FIG_AGG_ADD] =
		"INSERT INTO fig_agg(org_id, metric, day, channel, case_type, "
		"topic, n, sum) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
		"ON CONFLICT (org_id, metric, channel, case_type, topic, day) "
		"DO UPDATE SET n = n + excluded.n, sum = sum + excluded.sum",
	[S_FIG_KEY_ADD] = "INSERT OR IGNORE INTO fig_keys(org_id, metric, dim, "
			  "key) VALUES (?1, ?2, ?3, ?4)",
	[S_FIG_AGG_TOTAL] = "SELECT '', ifnull(sum(n), 0), ifnull(sum(sum), 0) "
			    "FROM fig_agg " AGG_WHERE AGG_CH "AND " AGG_CT
			    "AND " AGG_TP AGG_DAYS,
	[S_FIG_AGG_CHANNEL] = "SELECT channel, sum(n), sum(sum) FROM fig_agg "
			      AGG_WHERE "channel " AGG_KEYS("channel")
			      "AND " AGG_CT "AND " AGG_TP AGG_DAYS
			      "GROUP BY channel ORDER BY 1",
	[S_FIG_AGG_CASE_TYPE] = "SELECT case_type, sum(n), sum(sum) FROM fig_agg "
				AGG_WHERE AGG_CH "AND case_type "
				AGG_KEYS("case_type") "AND " AGG_TP AGG_DAYS
				"GROUP BY case_type ORDER BY 1",
	[S_FIG_AGG_TOPIC] = "SELECT topic, sum(n), sum(sum) FROM fig_agg "
			    AGG_WHERE AGG_CH "AND " AGG_CT "AND topic "
			    AGG_KEYS("topic")
			    "AND (?6 IS NULL OR topic = substr(?6, 1, 2)) "
			    AGG_DAYS "GROUP BY topic ORDER BY 1",
	[S_FIG_AGG_DAY] = "SELECT day, sum(n), sum(sum) FROM fig_agg "
			  AGG_WHERE AGG_CH "AND " AGG_CT "AND " AGG_TP AGG_DAYS
			  "GROUP BY day ORDER BY day",
	/* the processing times of a filter's days (fig_proc, 0023): one
	 * row a day */
	[S_FIG_PROC] = "SELECT n, secs FROM fig_proc WHERE org_id = ?1 AND "
		       AGG_CH "AND " AGG_CT "AND " AGG_TP AGG_DAYS,
	[S_FIG_INQ_LIST] = "SELECT " INQ_COLS "FROM fig_inquiry INDEXED BY "
			   "fig_inquiry_org_id WHERE "
			   "org_id = ?1 AND day BETWEEN ?2 AND ?3 " FILTER_INQ
			   "AND (?7 = 0 OR id < ?7) "
			   "ORDER BY id DESC LIMIT ?8",
	[S_FIG_CASE_LIST] = "SELECT " CASE_COLS ", c.journal_no FROM fig_case f "
			    "INDEXED BY fig_case_org_id LEFT JOIN cases c ON c.id = f.id WHERE "
			    "f.org_id = ?1 AND f.day BETWEEN ?2 AND ?3 "
			    "AND (?4 IS NULL OR f.channel = ?4) "
			    "AND (?5 IS NULL OR f.case_type = ?5) "
			    "AND (?6 IS NULL OR f.topic = ?6 OR f.topic LIKE ?6 || '.%') "
			    "AND (?7 = 0 OR f.id < ?7) "
			    "ORDER BY f.id DESC LIMIT ?8",
	[S_FIG_CASE_LIST_DECIDED] =
		"SELECT " CASE_COLS ", c.journal_no FROM fig_case f "
		"INDEXED BY fig_case_org_id LEFT JOIN cases c ON c.id = f.id WHERE "
		"f.org_id = ?1 AND f.decided = 1 AND f.decided_day BETWEEN ?2 AND ?3 "
		"AND (?4 IS NULL OR f.channel = ?4) "
		"AND (?5 IS NULL OR f.case_type = ?5) "
		"AND (?6 IS NULL OR f.topic = ?6 OR f.topic LIKE ?6 || '.%') "
		"AND (?7 = 0 OR f.id < ?7) "
		"ORDER BY f.id DESC LIMIT ?8",
	/* searches: no result; a weak result; success (SEARCH_WEAK,
	 * SEARCH_SUCCESS) */
	[S_FIG_SEARCH] = "SELECT " SEARCH_COUNTS "FROM search_log s WHERE "
			 "municipality_id = ?1 AND at >= ?2 AND at < ?3",
	[S_FIG_LAG] = "SELECT count(*), ifnull(max(id), 0) FROM events "
		      "WHERE id > ?1",
	[S_FIG_ART_FOUND] = "SELECT article_id, count(*), sum(found) FROM "
			    "fig_feedback WHERE org_id = ?1 AND day BETWEEN ?2 "
			    "AND ?3 AND article_id <> 0 " FILTER_FB
			    "GROUP BY article_id ORDER BY article_id",
	[S_FIG_ART_INQ] = "SELECT article_id, count(*), "
			  "sum(first_outcome IS 'resolved_first_contact') FROM "
			  "fig_inquiry WHERE org_id = ?1 AND day BETWEEN ?2 AND ?3 "
			  "AND article_id <> 0 " FILTER_INQ
			  "GROUP BY article_id ORDER BY article_id",
	[S_FIG_ART_FCR] = "SELECT article_id, count(*), "
			  "sum(first_outcome IS 'resolved_first_contact') FROM "
			  "fig_inquiry WHERE org_id = ?1 AND day BETWEEN ?2 AND ?3 "
			  "AND article_id <> 0 AND first_outcome IS NOT NULL "
			  FILTER_INQ "GROUP BY article_id ORDER BY article_id",
	/* fig-hist */
	[S_FIG_PROC_GET] = "SELECT n, secs FROM fig_proc WHERE org_id = ?1 AND "
			   "channel = ?2 AND case_type = ?3 AND topic = ?4 AND "
			   "day = ?5",
	[S_FIG_PROC_PUT] = "INSERT OR REPLACE INTO fig_proc(org_id, channel, "
			   "case_type, topic, day, n, secs) VALUES (?1, ?2, ?3, "
			   "?4, ?5, ?6, ?7)",
	/* the searches not folded yet (partial index search_log_unfolded,
	 * 0023: a day's searches or so) */
	[S_FIG_SEARCH_ROWS] = "SELECT id, ifnull(municipality_id, 0), at, "
			      "results = 0, " SEARCH_WEAK ", " SEARCH_SUCCESS
			      " FROM search_log s "
			      "INDEXED BY search_log_unfolded WHERE fig_folded "
			      "IS NULL AND at < ?1 LIMIT ?2",
	[S_FIG_SEARCH_MARK] = "UPDATE search_log SET fig_folded = 1 WHERE id = ?1",
	[S_FIG_SEARCH_SINCE] = "SELECT " SEARCH_COUNTS "FROM search_log s "
			       "INDEXED BY search_log_unfolded WHERE "
			       "municipality_id = ?1 AND fig_folded IS NULL AND "
			       "at >= ?2 AND at < ?3",
	[S_FIG_PROC_COUNT] = "SELECT ifnull(sum(n), 0) FROM fig_proc WHERE "
			     "org_id = ?1 AND " AGG_CH "AND " AGG_CT "AND "
			     AGG_TP AGG_DAYS,
};

static enum hh_rc fig_events(struct hh_tx *tx, struct hh_arena *a,
			     int64_t after_id, int limit, hh_event_cb cb,
			     void *ctx)
{
	FAULT(tx);
	STMT(tx, S_FIG_EVENTS);
	sqlite3_bind_int64(st, 1, after_id);
	sqlite3_bind_int64(st, 2, limit > 0 ? limit : -1);
	enum hh_rc r = HH_OK;
	int rc;
	while (r == HH_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		/* the strings are the statement's until the next step: the
		 * fold reads them at once, so nothing is copied */
		struct hh_event e = {
			.id = sqlite3_column_int64(st, 0),
			.at_us = sqlite3_column_int64(st, 1),
			.actor = (const char *)sqlite3_column_text(st, 2),
			.org_id = sqlite3_column_int64(st, 3),
			.entity = (const char *)sqlite3_column_text(st, 4),
			.entity_id = sqlite3_column_int64(st, 5),
			.action = (const char *)sqlite3_column_text(st, 6),
			.before = (const char *)sqlite3_column_text(st, 7),
			.after = (const char *)sqlite3_column_text(st, 8),
		};
		r = cb(ctx, &e);
	}
	if (r == HH_OK && rc != SQLITE_DONE)
		r = hh_sq_map_rc(db_of(tx), rc);
	done(st);
	(void)a;
	return r;
}

static enum hh_rc fig_reset(struct hh_tx *tx)
{
	FAULT(tx);
	char *err = NULL;
	int rc = sqlite3_exec(db_of(tx),
			      "DELETE FROM fig_inquiry; DELETE FROM fig_case; "
			      "DELETE FROM fig_chat; DELETE FROM fig_feedback; "
			      "DELETE FROM fig_agg; DELETE FROM fig_keys; "
			      "DELETE FROM fig_proc; UPDATE search_log SET "
			      "fig_folded = NULL WHERE fig_folded IS NOT NULL;",
			      NULL, NULL, &err);
	sqlite3_free(err);
	return rc == SQLITE_OK ? HH_OK : hh_sq_map_rc(db_of(tx), rc);
}

static const char *col_str(struct hh_arena *a, sqlite3_stmt *st, int i)
{
	const char *s = col_text(a, st, i);
	return s ? s : "";
}

static void inq_row(struct hh_arena *a, sqlite3_stmt *st,
		    struct hh_fig_inquiry_fact *f)
{
	f->id = sqlite3_column_int64(st, 0);
	f->org_id = sqlite3_column_int64(st, 1);
	f->channel = col_str(a, st, 2);
	f->started_at = sqlite3_column_int64(st, 3);
	f->day = sqlite3_column_int(st, 4);
	f->topic = col_str(a, st, 5);
	f->article_id = sqlite3_column_int64(st, 6);
	f->outcome = col_str(a, st, 7);
	f->first_outcome = col_text(a, st, 8);
	f->transfers = sqlite3_column_int(st, 9);
	f->callback_due_at = sqlite3_column_int64(st, 10);
	f->callback_day = sqlite3_column_int(st, 11);
	f->callback_kept = sqlite3_column_int(st, 12);
}

static void case_row(struct hh_arena *a, sqlite3_stmt *st,
		     struct hh_fig_case_fact *f)
{
	f->id = sqlite3_column_int64(st, 0);
	f->org_id = sqlite3_column_int64(st, 1);
	f->case_type = col_str(a, st, 2);
	f->channel = col_str(a, st, 3);
	f->topic = col_str(a, st, 4);
	f->submitted_at = sqlite3_column_int64(st, 5);
	f->day = sqlite3_column_int(st, 6);
	f->state = col_str(a, st, 7);
	f->paused_since = sqlite3_column_int64(st, 8);
	f->paused_s = sqlite3_column_int64(st, 9);
	f->deadline_days = sqlite3_column_int(st, 10);
	f->closed_at = sqlite3_column_int64(st, 11);
	f->decided = sqlite3_column_int(st, 12);
	f->decided_day = sqlite3_column_int(st, 13);
	f->deadline_day = sqlite3_column_int(st, 14);
	f->proc_days = sqlite3_column_double(st, 15);
	f->within = sqlite3_column_int(st, 16);
	f->ref = col_text(a, st, 17);
}

static enum hh_rc fig_inquiry_get(struct hh_tx *tx, struct hh_arena *a,
				  int64_t id, struct hh_fig_inquiry_fact *out)
{
	FAULT(tx);
	STMT(tx, S_FIG_INQ_GET);
	sqlite3_bind_int64(st, 1, id);
	ONE_ROW(tx, st, inq_row, a, out);
}

static enum hh_rc fig_inquiry_put(struct hh_tx *tx,
				  const struct hh_fig_inquiry_fact *f)
{
	FAULT(tx);
	STMT(tx, S_FIG_INQ_PUT);
	sqlite3_bind_int64(st, 1, f->id);
	sqlite3_bind_int64(st, 2, f->org_id);
	bind_text(st, 3, f->channel ? f->channel : "");
	sqlite3_bind_int64(st, 4, f->started_at);
	sqlite3_bind_int(st, 5, f->day);
	bind_text(st, 6, f->topic ? f->topic : "");
	sqlite3_bind_int64(st, 7, f->article_id);
	bind_text(st, 8, f->outcome ? f->outcome : "");
	bind_text(st, 9, f->first_outcome);
	sqlite3_bind_int(st, 10, f->transfers);
	sqlite3_bind_int64(st, 11, f->callback_due_at);
	sqlite3_bind_int(st, 12, f->callback_day);
	sqlite3_bind_int(st, 13, f->callback_kept);
	return hh_sq_exec(tx, st);
}

static enum hh_rc fig_case_get(struct hh_tx *tx, struct hh_arena *a,
			       int64_t id, struct hh_fig_case_fact *out)
{
	FAULT(tx);
	STMT(tx, S_FIG_CASE_GET);
	sqlite3_bind_int64(st, 1, id);
	ONE_ROW(tx, st, case_row, a, out);
}

static enum hh_rc fig_case_put(struct hh_tx *tx,
			       const struct hh_fig_case_fact *f)
{
	FAULT(tx);
	STMT(tx, S_FIG_CASE_PUT);
	sqlite3_bind_int64(st, 1, f->id);
	sqlite3_bind_int64(st, 2, f->org_id);
	bind_text(st, 3, f->case_type ? f->case_type : "");
	bind_text(st, 4, f->channel ? f->channel : "");
	bind_text(st, 5, f->topic ? f->topic : "");
	sqlite3_bind_int64(st, 6, f->submitted_at);
	sqlite3_bind_int(st, 7, f->day);
	bind_text(st, 8, f->state ? f->state : "");
	sqlite3_bind_int64(st, 9, f->paused_since);
	sqlite3_bind_int64(st, 10, f->paused_s);
	sqlite3_bind_int(st, 11, f->deadline_days);
	sqlite3_bind_int64(st, 12, f->closed_at);
	sqlite3_bind_int(st, 13, f->decided);
	sqlite3_bind_int(st, 14, f->decided_day);
	sqlite3_bind_int(st, 15, f->deadline_day);
	sqlite3_bind_double(st, 16, f->proc_days);
	sqlite3_bind_int(st, 17, f->within);
	return hh_sq_exec(tx, st);
}

static enum hh_rc fig_chat_put(struct hh_tx *tx, int64_t id, int64_t org_id,
			       int day, int rating, int *inserted)
{
	FAULT(tx);
	STMT(tx, S_FIG_CHAT_PUT);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, org_id);
	sqlite3_bind_int(st, 3, day);
	sqlite3_bind_int(st, 4, rating);
	enum hh_rc r = hh_sq_exec(tx, st);
	*inserted = r == HH_OK && sqlite3_changes(db_of(tx)) > 0;
	return r;
}

static enum hh_rc fig_feedback_put(struct hh_tx *tx, int64_t id,
				   int64_t org_id, int day, int found,
				   const char *page, int64_t article_id,
				   const char *topic, int *inserted)
{
	FAULT(tx);
	STMT(tx, S_FIG_FEEDBACK_PUT);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, org_id);
	sqlite3_bind_int(st, 3, day);
	sqlite3_bind_int(st, 4, found);
	bind_text(st, 5, page ? page : "");
	sqlite3_bind_int64(st, 6, article_id);
	bind_text(st, 7, topic ? topic : "");
	enum hh_rc r = hh_sq_exec(tx, st);
	*inserted = r == HH_OK && sqlite3_changes(db_of(tx)) > 0;
	return r;
}

static enum hh_rc fig_agg_add(struct hh_tx *tx, int64_t org_id,
			      const char *metric, int day, const char *channel,
			      const char *case_type, const char *topic,
			      int64_t n, double sum)
{
	FAULT(tx);
	channel = channel && *channel ? channel : "*";
	case_type = case_type && *case_type ? case_type : "*";
	topic = topic && *topic ? topic : "*";
	enum hh_rc r;
	{
		STMT(tx, S_FIG_AGG_ADD);
		sqlite3_bind_int64(st, 1, org_id);
		bind_text(st, 2, metric);
		sqlite3_bind_int(st, 3, day);
		bind_text(st, 4, channel);
		bind_text(st, 5, case_type);
		bind_text(st, 6, topic);
		sqlite3_bind_int64(st, 7, n);
		sqlite3_bind_double(st, 8, sum);
		r = hh_sq_exec(tx, st);
	}
	/* a row of one dimension alone is a key of that dimension */
	int ch = strcmp(channel, "*") != 0, ct = strcmp(case_type, "*") != 0,
	    tp = strcmp(topic, "*") != 0 && strlen(topic) == 2;
	if (r != HH_OK || ch + ct + (strcmp(topic, "*") != 0) != 1 ||
	    !(ch || ct || tp))
		return r;
	STMT(tx, S_FIG_KEY_ADD);
	sqlite3_bind_int64(st, 1, org_id);
	bind_text(st, 2, metric);
	bind_text(st, 3, ch ? "channel" : ct ? "case_type" : "topic");
	bind_text(st, 4, ch ? channel : ct ? case_type : topic);
	return hh_sq_exec(tx, st);
}

static void bind_filter(sqlite3_stmt *st, const struct hh_fig_filter *f)
{
	sqlite3_bind_int64(st, 1, f->org_id);
	sqlite3_bind_int(st, 2, f->from_day);
	sqlite3_bind_int(st, 3, f->to_day);
	bind_text(st, 4, f->channel);
	bind_text(st, 5, f->case_type);
	bind_text(st, 6, f->topic);
}

static enum hh_rc fig_agg_sum(struct hh_tx *tx, struct hh_arena *a,
			      const struct hh_fig_filter *f, const char *metric,
			      int group, hh_fig_agg_cb cb, void *ctx)
{
	FAULT(tx);
	static const enum stmt_id ids[] = {
		[HH_FIG_G_TOTAL] = S_FIG_AGG_TOTAL,
		[HH_FIG_G_CHANNEL] = S_FIG_AGG_CHANNEL,
		[HH_FIG_G_CASE_TYPE] = S_FIG_AGG_CASE_TYPE,
		[HH_FIG_G_TOPIC] = S_FIG_AGG_TOPIC,
		[HH_FIG_G_DAY] = S_FIG_AGG_DAY,
	};
	if (group < 0 || group > HH_FIG_G_DAY)
		return HH_ERR_INVALID;
	enum stmt_id id = ids[group];
	sqlite3_stmt *st = hh_sq_stmt(tx, id, stmt_sql[id]);
	if (!st)
		return HH_ERR_INTERNAL;
	bind_filter(st, f);
	bind_text(st, 7, metric);
	enum hh_rc r = HH_OK;
	int rc;
	while (r == HH_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(st, 0);
		r = cb(ctx, key ? key : "", sqlite3_column_int64(st, 1),
		       sqlite3_column_double(st, 2));
	}
	if (r == HH_OK && rc != SQLITE_DONE)
		r = hh_sq_map_rc(db_of(tx), rc);
	done(st);
	(void)a;
	return r;
}

/* Every processing time of f's rows into *out (new: the caller frees
 * it), unsorted across days; *n how many. */
static enum hh_rc proc_read(struct hh_tx *tx, const struct hh_fig_filter *f,
			    uint32_t **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	STMT(tx, S_FIG_PROC);
	bind_filter(st, f);
	uint32_t *v = NULL;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		hh_fig_secs_append(&v, n, &cap, sqlite3_column_blob(st, 1),
				   (size_t)sqlite3_column_bytes(st, 1));
	}
	enum hh_rc r = rc == SQLITE_DONE ? HH_OK : hh_sq_map_rc(db_of(tx), rc);
	done(st);
	*out = v;
	return r;
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
	STMT(tx, S_FIG_PROC_COUNT);
	bind_filter(st, f);
	int rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	enum hh_rc r = rc == SQLITE_ROW ? HH_OK : hh_sq_map_rc(db_of(tx), rc);
	done(st);
	return r;
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
	channel = channel && *channel ? channel : "*";
	case_type = case_type && *case_type ? case_type : "*";
	topic = topic && *topic ? topic : "*";
	unsigned char *old = NULL;
	int n_old = 0;
	enum hh_rc r;
	{
		STMT(tx, S_FIG_PROC_GET);
		sqlite3_bind_int64(st, 1, org_id);
		bind_text(st, 2, channel);
		bind_text(st, 3, case_type);
		bind_text(st, 4, topic);
		sqlite3_bind_int(st, 5, day);
		int rc = sqlite3_step(st);
		r = HH_OK;
		if (rc == SQLITE_ROW) {
			n_old = sqlite3_column_bytes(st, 1) / 4;
			old = hh_xmalloc((size_t)n_old * 4 + 1);
			memcpy(old, sqlite3_column_blob(st, 1), (size_t)n_old * 4);
		} else if (rc != SQLITE_DONE) {
			r = hh_sq_map_rc(db_of(tx), rc);
		}
		done(st);
	}
	if (r != HH_OK) {
		free(old);
		return r;
	}
	int total = n_old + n;
	unsigned char *m = hh_fig_secs_merge(old, n_old, secs, n);
	free(old);
	{
		STMT(tx, S_FIG_PROC_PUT);
		sqlite3_bind_int64(st, 1, org_id);
		bind_text(st, 2, channel);
		bind_text(st, 3, case_type);
		bind_text(st, 4, topic);
		sqlite3_bind_int(st, 5, day);
		sqlite3_bind_int(st, 6, total);
		sqlite3_bind_blob(st, 7, m, total * 4, SQLITE_TRANSIENT);
		r = hh_sq_exec(tx, st);
	}
	free(m);
	return r;
}

static enum hh_rc fig_search_rows(struct hh_tx *tx, int64_t before,
				  int limit, hh_fig_search_cb cb, void *ctx)
{
	FAULT(tx);
	STMT(tx, S_FIG_SEARCH_ROWS);
	sqlite3_bind_int64(st, 1, before);
	sqlite3_bind_int64(st, 2, limit > 0 ? limit : -1);
	enum hh_rc r = HH_OK;
	int rc;
	while (r == HH_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct hh_fig_search_row s = {
			.id = sqlite3_column_int64(st, 0),
			.org_id = sqlite3_column_int64(st, 1),
			.at = sqlite3_column_int64(st, 2),
			.no_result = sqlite3_column_int(st, 3),
			.weak = sqlite3_column_int(st, 4),
			.success = sqlite3_column_int(st, 5),
		};
		r = cb(ctx, &s);
	}
	if (r == HH_OK && rc != SQLITE_DONE)
		r = hh_sq_map_rc(db_of(tx), rc);
	done(st);
	return r;
}

static enum hh_rc fig_search_mark(struct hh_tx *tx, const int64_t *ids, int n)
{
	FAULT(tx);
	STMT(tx, S_FIG_SEARCH_MARK);
	enum hh_rc r = HH_OK;
	for (int i = 0; r == HH_OK && i < n; i++) {
		sqlite3_bind_int64(st, 1, ids[i]);
		r = hh_sq_exec(tx, st);
	}
	return r;
}

static enum hh_rc search_counts(struct hh_tx *tx, sqlite3_stmt *st,
				struct hh_fig_search_counts *out)
{
	int rc = sqlite3_step(st);
	enum hh_rc r = HH_OK;
	if (rc == SQLITE_ROW) {
		out->searches = sqlite3_column_int64(st, 0);
		out->no_result = sqlite3_column_int64(st, 1);
		out->weak = sqlite3_column_int64(st, 2);
		out->success = sqlite3_column_int64(st, 3);
	} else {
		r = hh_sq_map_rc(db_of(tx), rc);
	}
	done(st);
	return r;
}

static enum hh_rc fig_search_since(struct hh_tx *tx, int64_t org_id,
				   int64_t from, int64_t to,
				   struct hh_fig_search_counts *out)
{
	FAULT(tx);
	STMT(tx, S_FIG_SEARCH_SINCE);
	sqlite3_bind_int64(st, 1, org_id);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	return search_counts(tx, st, out);
}

static enum hh_rc fig_inquiry_list(struct hh_tx *tx, struct hh_arena *a,
				   const struct hh_fig_filter *f, int64_t before,
				   int limit, hh_fig_inquiry_cb cb, void *ctx)
{
	FAULT(tx);
	STMT(tx, S_FIG_INQ_LIST);
	bind_filter(st, f);
	sqlite3_bind_int64(st, 7, before);
	sqlite3_bind_int64(st, 8, limit > 0 ? limit : -1);
	MANY_ROWS(tx, st, struct hh_fig_inquiry_fact, inq_row, a, cb, ctx);
}

static enum hh_rc fig_case_list(struct hh_tx *tx, struct hh_arena *a,
				const struct hh_fig_filter *f, int decided_only,
				int64_t before, int limit, hh_fig_case_cb cb,
				void *ctx)
{
	FAULT(tx);
	enum stmt_id id = decided_only ? S_FIG_CASE_LIST_DECIDED
				       : S_FIG_CASE_LIST;
	sqlite3_stmt *st = hh_sq_stmt(tx, id, stmt_sql[id]);
	if (!st)
		return HH_ERR_INTERNAL;
	bind_filter(st, f);
	sqlite3_bind_int64(st, 7, before);
	sqlite3_bind_int64(st, 8, limit > 0 ? limit : -1);
	MANY_ROWS(tx, st, struct hh_fig_case_fact, case_row, a, cb, ctx);
}

static enum hh_rc fig_search(struct hh_tx *tx, int64_t org_id, int64_t from,
			     int64_t to, struct hh_fig_search_counts *out)
{
	FAULT(tx);
	STMT(tx, S_FIG_SEARCH);
	sqlite3_bind_int64(st, 1, org_id);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	return search_counts(tx, st, out);
}

static enum hh_rc fig_lag(struct hh_tx *tx, int64_t after, int64_t *lag,
			  int64_t *newest)
{
	FAULT(tx);
	STMT(tx, S_FIG_LAG);
	sqlite3_bind_int64(st, 1, after);
	int rc = sqlite3_step(st);
	enum hh_rc r = HH_OK;
	if (rc == SQLITE_ROW) {
		*lag = sqlite3_column_int64(st, 0);
		*newest = sqlite3_column_int64(st, 1);
		if (*newest < after)
			*newest = after;
	} else {
		r = hh_sq_map_rc(db_of(tx), rc);
	}
	done(st);
	return r;
}

static enum hh_rc fig_article_sum(struct hh_tx *tx,
				  const struct hh_fig_filter *f, int what,
				  hh_fig_agg_cb cb, void *ctx)
{
	FAULT(tx);
	enum stmt_id id = what == 0 ? S_FIG_ART_FOUND
			  : what == 1 ? S_FIG_ART_INQ : S_FIG_ART_FCR;
	sqlite3_stmt *st = hh_sq_stmt(tx, id, stmt_sql[id]);
	if (!st)
		return HH_ERR_INTERNAL;
	bind_filter(st, f);
	enum hh_rc r = HH_OK;
	int rc;
	while (r == HH_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		char key[24];
		snprintf(key, sizeof(key), "%lld",
			 (long long)sqlite3_column_int64(st, 0));
		r = cb(ctx, key, sqlite3_column_int64(st, 1),
		       sqlite3_column_double(st, 2));
	}
	if (r == HH_OK && rc != SQLITE_DONE)
		r = hh_sq_map_rc(db_of(tx), rc);
	done(st);
	return r;
}

void hh_sq_fill_figures(struct hh_store *st)
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
