/* sqlite_int.h - private to the SQLite backend (sqlite*.c): the pool's
 * connection and transaction structs, the statement ids and the helpers
 * every entity file uses to step statements.
 *
 * Each entity file (sqlite_orgs.c, sqlite_articles.c, sqlite_cases.c)
 * keeps its SQL next to its code, in a file-local table indexed by the
 * ids below; STMT() prepares a statement once per connection and keeps
 * it in the connection's cache (conn.stmts). Each entity file also fills
 * its part of struct hh_store (hh_sq_fill_*), called by
 * hh_store_open_sqlite in sqlite.c. */
#ifndef HH_SQLITE_INT_H
#define HH_SQLITE_INT_H

#include <pthread.h>
#include <sqlite3.h>
#include <string.h>

#include "core/arena.h"
#include "store/store.h"

enum stmt_id {
	S_META_GET,
	S_META_SET,
	S_ID_BLOCK,
	S_ORG_UPSERT,
	S_ORG_GET,
	S_ORG_GET_CODE,
	S_ORG_LIST,
	S_USER_INSERT,
	S_USER_GET,
	S_USER_GET_EMAIL,
	S_USER_LIST,
	S_USER_PUT_OIDC,
	S_SESSION_INSERT,
	S_SESSION_GET,
	S_SESSION_DELETE,
	S_SESSION_PURGE,
	S_SESSION_TOUCH,
	S_SESSION_END_SID,
	S_SESSION_END_SUB,
	S_CSESS_END_SID,
	S_CSESS_END_SUB,
	S_SIGNIN_FAIL_GET,
	S_SIGNIN_FAIL_PRUNE,
	S_SIGNIN_FAIL_PUT,
	S_SIGNIN_FAIL_CLEAR,
	S_TOKEN_INSERT,
	S_TOKEN_GET,
	S_TOKEN_GET_ID,
	S_ARTICLE_INSERT,
	S_ARTICLE_UPDATE,
	S_ARTICLE_VERSION_INSERT,
	S_ARTICLE_GET,
	S_ARTICLE_GET_ID,
	S_ARTICLE_GET_AGENCY,
	S_ARTICLE_VERSIONS,
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
	S_CIT_GET_HASH,
	S_CIT_SEAL_SCAN,
	S_CIT_SEAL_SET,
	S_CASE_SEAL_SCAN,
	S_CASE_SEAL_SET,
	S_SEAL_KEYS,
	S_CSESS_INSERT,
	S_CSESS_GET,
	S_CSESS_DELETE,
	S_CSESS_TOUCH,
	S_CSESS_PURGE,
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
	S_FILE_LIST,
	S_AUDIT_APPEND,
	S_AUDIT_LIST,
	S_INQ_INSERT,
	S_INQ_UPDATE,
	S_INQ_GET,
	S_INQ_GET_KEY,
	S_INQ_CODE_PUT,
	S_INQ_CODE_GET,
	/* opening hours (sqlite_hours.c) */
	S_HOURS_PUT,
	S_HOURS_GET,
	/* the agent's desk (sqlite_desk.c) */
	S_DESK_CIT_SEARCH,
	S_DESK_CIT_SEARCH_ALL,
	S_DESK_ART_COUNT,
	S_DESK_ART_TOP,
	S_DESK_CODE_LIST,
	S_DESK_TR_INSERT,
	S_DESK_TR_UPDATE,
	S_DESK_TR_GET,
	S_DESK_TR_BY_INQ,
	S_DESK_TR_QUEUE,
	/* appointments (sqlite_appointments.c) */
	S_APPT_INSERT,
	S_APPT_UPDATE,
	S_APPT_GET_CODE,
	S_APPT_GET_KEY,
	S_ORGDOC_PUT,
	S_ORGDOC_GET,
	/* chat (sqlite_chat.c) */
	S_CHAT_INSERT,
	S_CHAT_UPDATE,
	S_CHAT_GET,
	S_CHAT_GET_INQ,
	S_CHAT_QUEUE,
	S_CHAT_ACTIVE,
	S_CHAT_POSITION,
	S_CHAT_WAIT,
	S_CHAT_SEQ,
	S_CHAT_MSG_INSERT,
	S_CHAT_MSGS,
	S_CHAT_PRESENCE_PUT,
	S_CHAT_PRESENCE_COUNT,
	/* casework tools (sqlite_cases.c) */
	S_FILE_GET,
	S_JOURNAL_NEXT,
	/* letters (sqlite_letters.c) */
	S_LETTER_INSERT,
	S_LETTER_UPDATE,
	S_LETTER_GET,
	S_LETTER_LIST_CASE,
	S_LETTER_LIST_APPROVAL,
	S_MESSAGE_INSERT,
	S_MESSAGE_COUNT,
	/* delivery (sqlite_messages.c) */
	S_MSG_DUE,
	S_MSG_LIST,
	S_MSG_PRINT_WAIT,
	S_MSG_GET,
	S_MSG_GET_UUID,
	S_MSG_UPDATE,
	S_MSG_COUNT,
	S_MSG_OLDEST,
	S_MSG_LETTER,
	S_ORG_CVR_PUT,
	S_ORG_CVR_GET,
	S_CIT_POST_SET,
	S_PRINT_INSERT,
	S_PRINT_NEXT_SEQ,
	S_PRINT_GET,
	S_PRINT_LIST,
	/* the citizen's inbox (sqlite_inbox.c) */
	S_INBOX_LIST,
	S_INBOX_COUNT,
	S_INBOX_GET,
	S_INBOX_MARK_READ,
	S_INBOX_INSERT,
	/* feedback: "Fandt du det, du søgte?" (sqlite_feedback.c) */
	S_FEEDBACK_INSERT,
	S_FEEDBACK_FIND,
	S_FEEDBACK_STATS,
	S_FEEDBACK_COMMENTS,
	/* the service figures (sqlite_figures.c) */
	S_FIG_EVENTS,
	S_FIG_INQ_GET,
	S_FIG_INQ_PUT,
	S_FIG_CASE_GET,
	S_FIG_CASE_PUT,
	S_FIG_CHAT_PUT,
	S_FIG_FEEDBACK_PUT,
	S_FIG_AGG_ADD,
	S_FIG_KEY_ADD,
	S_FIG_AGG_TOTAL,
	S_FIG_AGG_CHANNEL,
	S_FIG_AGG_CASE_TYPE,
	S_FIG_AGG_TOPIC,
	S_FIG_AGG_DAY,
	S_FIG_PROC,
	S_FIG_INQ_LIST,
	S_FIG_CASE_LIST,
	S_FIG_CASE_LIST_DECIDED,
	S_FIG_SEARCH,
	S_FIG_LAG,
	S_FIG_ART_FOUND,
	S_FIG_ART_INQ,
	S_FIG_ART_FCR,
	/* fig-hist: the figures over long periods (sqlite_figures.c) */
	S_FIG_PROC_GET,
	S_FIG_PROC_PUT,
	S_FIG_SEARCH_ROWS,
	S_FIG_SEARCH_MARK,
	S_FIG_SEARCH_SINCE,
	S_FIG_PROC_COUNT,
	/* s-edit (issue 13): proposals to the shared knowledge base */
	S_PROPOSAL_INSERT,
	S_PROPOSAL_GET,
	S_PROPOSAL_DECIDE,
	S_PROPOSAL_LIST,
	S_SYNONYM_INSERT,
	S_SYNONYM_LIST,
	S_PIN_PUT,
	S_PIN_DELETE,
	S_PIN_LIST,
	/* s-trap (issue 13): a search answered by a guide or a form */
	S_SEARCH_LOG_CHOOSE_DOC,
	/* s-tune (issue 13): removing and reviving synonym rules */
	S_SYNONYM_GET,
	S_SYNONYM_REMOVE,
	S_SYNONYM_REVIVE,
	/* kle (issue 15): the KLE classification (sqlite_kle.c) */
	S_KLE_PUT,
	S_KLE_GET,
	S_KLE_LIST,
	/* x-ext (issue 15): other authorities' cases (sqlite_external.c) */
	S_EXT_GET,
	S_EXT_INSERT,
	S_EXT_UPDATE,
	S_EXT_LIST,
	S_EXT_SEAL_SCAN,
	S_EXT_SEAL_SET,
	S_CS_GET, /* x-decl: declared case systems */
	S_CS_LIST,
	S_CS_INSERT,
	S_CS_UPDATE,
	S_EXT_FU_COUNT, /* x-fix: follow-ups started per external case */
	S_EXT_FU_PUT,
	S_BEGIN,
	/* x-hooks: sqlite_webhooks.c */
	S_WH_OUTBOX,
	S_WH_SUB_INSERT,
	S_WH_TOPIC_INSERT,
	S_WH_SUB_LIST,
	S_WH_DEL_DELIVERIES,
	S_WH_DEL_TOPICS,
	S_WH_DEL_SUB,
	S_WH_SET_ACTIVE,
	S_WH_CLAIM,
	S_WH_CLAIMED_ROW,
	S_WH_RECORD,
	S_WH_LIST,
	S_WH_SEAL_SCAN, /* hooks-rotate */
	S_WH_SEAL_SET,
	S_WH_SUB_GET, /* x-hooks2 */
	S_WH_SUB_UPDATE,
	S_WH_SECRET_SET,
	S_WH_DELIVERY_ADD,
	S_WH_PRUNE,
	S_WH_PRUNE_PREVIOUS,
	/* p-parties (issue 16): the parties to a case (sqlite_parties.c) */
	S_PARTY_INSERT,
	S_PARTY_LIST,
	S_PARTY_UPDATE,
	S_PARTY_OF_CITIZEN,
	S_PARTY_DUE,
	S_PARTY_SEAL_SCAN,
	S_PARTY_SEAL_SET,
	S_PARTY_UNCLAIMED, /* p-letters */
	S_PARTY_CLAIM,
	S_CIT_PROTECTED_GET,
	S_CIT_PROTECTED_SET,
	/* p-agree (issue 16): agreements */
	S_AGR_INSERT,
	S_AGR_LIST,
	S_SIG_INSERT,
	S_SIG_LIST,
	S_BEGIN_IMMEDIATE,
	S_COMMIT,
	S_ROLLBACK,
	S__COUNT
};

/* Statements built from a filter (the case list's shapes): the last few
 * kept prepared per connection, by their text (hh_sq_dyn_get). */
#define SQ_DYN 16

struct sq_dyn {
	char *sql;
	sqlite3_stmt *st;
	int busy; /* being stepped: a nested call prepares its own */
};

struct conn {
	struct hh_tx tx; /* first: a struct hh_tx * is a struct conn * */
	sqlite3 *db;
	sqlite3_stmt *stmts[S__COUNT];
	struct sq_dyn dyn[SQ_DYN];
	int dyn_next;
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
	int lock_fd; /* o-backup: the store's shared lock (store/backup.h) */
	/* fault injection (tests) */
	int fault_countdown;
	enum hh_rc fault_rc;
};

/* ---- helpers (sqlite.c) ------------------------------------------------ */

static inline struct sq *sq_of(struct hh_tx *tx)
{
	return tx->store->cls;
}

static inline sqlite3 *db_of(struct hh_tx *tx)
{
	return ((struct conn *)tx)->db;
}

/* Makes a statement ready for its next use. */
static inline void done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

/* Binds s, or NULL when s is NULL; s must outlive the step. */
static inline void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* Column i as a string in the arena (NULL for SQL NULL). */
static inline const char *col_text(struct hh_arena *a, sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	if (!t)
		return NULL;
	return hh_arena_strndup(a, (const char *)t,
				(size_t)sqlite3_column_bytes(st, i));
}

/* Column i as bytes in the arena (NULL for SQL NULL). */
static inline const unsigned char *col_blob(struct hh_arena *a,
					    sqlite3_stmt *st, int i)
{
	const void *b = sqlite3_column_blob(st, i);
	int n = sqlite3_column_bytes(st, i);
	if (!b)
		return NULL;
	unsigned char *p = hh_arena_alloc(a, (size_t)n);
	memcpy(p, b, (size_t)n);
	return p;
}

/* An SQLite result code as an enum hh_rc (logging what is not ours). */
enum hh_rc hh_sq_map_rc(sqlite3 *db, int rc);
/* Counts down to an injected fault (hh_store_fault_inject); returns the
 * rc to fail with, or OK. */
enum hh_rc hh_sq_fault(struct sq *s);
/* The connection's statement id, prepared from sql on first use (borrowed:
 * kept until the connection closes); NULL if it does not prepare. */
sqlite3_stmt *hh_sq_stmt(struct hh_tx *tx, enum stmt_id id, const char *sql);
/* A statement for sql, prepared once per connection while it is among
 * the SQ_DYN texts used last (a query built from a filter has a few
 * shapes, each prepared again on every call otherwise: 29 % of Mit
 * overblik's time on SQLite). Give it back with hh_sq_dyn_put (reset,
 * bindings cleared; a statement that was not cached is finalized).
 * SQLITE_OK or the prepare's error. */
int hh_sq_dyn_get(struct hh_tx *tx, const char *sql, sqlite3_stmt **out);
void hh_sq_dyn_put(struct hh_tx *tx, sqlite3_stmt *st);
/* Steps a statement that returns no row we need. */
enum hh_rc hh_sq_exec(struct hh_tx *tx, sqlite3_stmt *st);
/* Steps a statement that returns one integer (an id, a count) in its
 * first column. */
enum hh_rc hh_sq_step_int64(struct hh_tx *tx, sqlite3_stmt *st,
			    int64_t *out);

/* Each entity file fills its functions into a new struct hh_store. */
void hh_sq_fill_orgs(struct hh_store *st);
void hh_sq_fill_articles(struct hh_store *st);
void hh_sq_fill_cases(struct hh_store *st);
void hh_sq_fill_inquiries(struct hh_store *st);
void hh_sq_fill_hours(struct hh_store *st);
void hh_sq_fill_desk(struct hh_store *st); /* the agent's desk */
/* appointments */
void hh_sq_fill_appointments(struct hh_store *st);
void hh_sq_fill_chat(struct hh_store *st); /* chat */
void hh_sq_fill_letters(struct hh_store *st); /* letters */
void hh_sq_fill_messages(struct hh_store *st); /* delivery */
void hh_sq_fill_inbox(struct hh_store *st); /* the citizen's inbox */
void hh_sq_fill_feedback(struct hh_store *st); /* feedback */
void hh_sq_fill_figures(struct hh_store *st); /* the service figures */
void hh_sq_fill_proposals(struct hh_store *st); /* s-edit: proposals */
void hh_sq_fill_search_tuning(struct hh_store *st); /* s-edit: synonyms, pins */
void hh_sq_fill_kle(struct hh_store *st); /* kle (issue 15) */
void hh_sq_fill_external(struct hh_store *st); /* x-ext: external cases */
void hh_sq_fill_webhooks(struct hh_store *st); /* x-hooks: webhooks */
void hh_sq_fill_parties(struct hh_store *st); /* p-parties (issue 16) */
void hh_sq_fill_agreements(struct hh_store *st); /* p-agree (issue 16) */
/* x-hooks: the outbox of event e, just appended (sqlite_webhooks.c) */
enum hh_rc hh_sq_webhook_outbox(struct hh_tx *tx, const struct hh_event *e);

#define FAULT(tx)                                                  \
	do {                                                       \
		enum hh_rc frc_ = hh_sq_fault(sq_of(tx));          \
		if (frc_ != HH_OK)                                 \
			return frc_;                               \
	} while (0)

/* Declares st: the statement id of this file's stmt_sql table, prepared
 * once per connection; returns INTERNAL from the caller if it cannot. */
#define STMT(tx, id)                                            \
	sqlite3_stmt *st = hh_sq_stmt(tx, id, stmt_sql[id]);    \
	if (!st)                                                \
		return HH_ERR_INTERNAL

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
						: hh_sq_map_rc(db_of(tx), rc_);   \
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
			r_ = hh_sq_map_rc(db_of(tx), rc_);                        \
		done(st);                                                   \
		return r_;                                                  \
	} while (0)


/* ---- a letter row (sqlite_letters.c), read alike by letters, the inbox
 * and delivery: every column, the names around it (organisation, author,
 * approver, case type), the PDF's size and the case's journal number;
 * HH_SQ_LETTER_PDF after the columns adds the PDF itself. ---- */
#define HH_SQ_LETTER_COLS                                                     \
	"l.id, l.organisation_id, ifnull(l.case_id, 0), "                     \
	"ifnull(l.citizen_id, 0), l.kind, l.template, l.state, l.decision, "  \
	"l.title, l.body, l.fields, l.reply_allowed, ifnull(l.reply_by, 0), " \
	"l.author_id, ifnull(l.approver_id, 0), l.version, l.created_at, "    \
	"l.updated_at, ifnull(l.approved_at, 0), ifnull(l.sent_at, 0), "      \
	"ifnull(l.read_at, 0), l.message_id, o.name, a.name, p.name, "        \
	"t.name, ifnull(length(l.pdf), 0), c.journal_no "
#define HH_SQ_LETTER_PDF ", l.pdf "
#define HH_SQ_LETTER_FROM                                                     \
	"FROM letters l JOIN organisations o ON o.id = l.organisation_id "    \
	"LEFT JOIN users a ON a.id = l.author_id "                            \
	"LEFT JOIN users p ON p.id = l.approver_id "                          \
	"LEFT JOIN cases c ON c.id = l.case_id "                              \
	"LEFT JOIN case_types t ON t.id = c.case_type_id "
/* Reads a row of HH_SQ_LETTER_COLS (without the PDF: pdf NULL, pdf_len
 * its size), or of HH_SQ_LETTER_COLS HH_SQ_LETTER_PDF (with it). */
void hh_sq_letter_row(struct hh_arena *a, sqlite3_stmt *st, struct hh_letter *l);
void hh_sq_letter_row_pdf(struct hh_arena *a, sqlite3_stmt *st,
			  struct hh_letter *l);

#endif
