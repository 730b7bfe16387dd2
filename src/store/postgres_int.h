/* postgres_int.h - private to the PostgreSQL backend (postgres*.c): the
 * pool's connection, the statement ids, parameters and the helpers every
 * entity file uses to run a statement and read its rows.
 *
 * The shape follows the SQLite backend (sqlite_int.h) so that porting an
 * entity file is mechanical: each postgres_<entity>.c keeps its SQL in a
 * file-local table indexed by the ids below, RUN() prepares a statement
 * by name once per connection (lazily, on its first use there) and
 * executes it; rows are read by index from the PGresult. Parameters go
 * as text (numbers printed, strings as they are) and bytes as binary;
 * results come as text. See docs/postgres.md. */
#ifndef HH_POSTGRES_INT_H
#define HH_POSTGRES_INT_H

#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "store/store.h"

enum pg_stmt_id {
	/* postgres_orgs.c */
	P_META_GET,
	P_META_SET,
	P_ID_BLOCK,
	P_ORG_UPSERT,
	P_ORG_GET,
	P_ORG_GET_CODE,
	P_ORG_LIST,
	P_USER_INSERT,
	P_USER_GET,
	P_USER_GET_EMAIL,
	P_USER_LIST,
	P_USER_PUT_OIDC,
	P_SESSION_INSERT,
	P_SESSION_GET,
	P_SESSION_DELETE,
	P_SESSION_PURGE,
	P_SESSION_TOUCH,
	P_SESSION_END_SID,
	P_SESSION_END_SUB,
	P_CSESS_END_SID,
	P_CSESS_END_SUB,
	P_SIGNIN_FAIL_GET,
	P_SIGNIN_FAIL_PRUNE,
	P_SIGNIN_FAIL_PUT,
	P_SIGNIN_FAIL_CLEAR,
	P_TOKEN_INSERT,
	P_TOKEN_GET,
	P_TOKEN_GET_ID,
	/* postgres_articles.c */
	P_ARTICLE_INSERT,
	P_ARTICLE_UPDATE,
	P_ARTICLE_VERSION_INSERT,
	P_ARTICLE_GET,
	P_ARTICLE_GET_ID,
	P_ARTICLE_GET_AGENCY,
	P_ARTICLE_VERSIONS,
	P_ARTICLE_VIEWS_ADD,
	P_ARTICLE_VIEWS_GET,
	P_ARTICLE_POPULAR,
	P_EVENT_APPEND,
	P_EVENT_LIST,
	P_EVENT_COUNT,
	P_SEARCH_LOG_INSERT,
	P_SEARCH_LOG_CHOOSE,
	P_SEARCH_REPORT,
	P_SEARCH_CHOSEN,
	/* postgres_cases.c */
	P_LIFE_EVENT_UPSERT,
	P_LIFE_EVENT_LIST,
	P_LIFE_EVENT_GET,
	P_CT_PUT,
	P_CT_GET,
	P_CT_GET_CODE,
	P_CT_LIST,
	P_CIT_PUT,
	P_CIT_GET,
	P_CIT_GET_SUBJECT,
	P_CIT_LIST,
	P_CIT_GET_HASH,
	P_CIT_SEAL_SCAN,
	P_CIT_SEAL_SET,
	P_CASE_SEAL_SCAN,
	P_CASE_SEAL_SET,
	P_SEAL_KEYS,
	P_CSESS_INSERT,
	P_CSESS_GET,
	P_CSESS_DELETE,
	P_CSESS_TOUCH,
	P_CSESS_PURGE,
	P_PLAN_INSERT,
	P_PLAN_UPDATE,
	P_PLAN_GET,
	P_PLAN_LIST,
	P_CASE_INSERT,
	P_CASE_UPDATE,
	P_CASE_GET,
	P_CASE_GET_NEW,
	P_IDEM_GET,
	P_IDEM_PUT,
	P_FILE_INSERT,
	P_FILE_LIST,
	P_FILE_GET,
	P_AUDIT_APPEND,
	P_AUDIT_LIST,
	/* postgres_inquiries.c: inquiries, opening hours, the desk */
	P_INQ_INSERT,
	P_INQ_UPDATE,
	P_INQ_GET,
	P_INQ_GET_KEY,
	P_INQ_CODE_PUT,
	P_INQ_CODE_GET,
	P_HOURS_PUT,
	P_HOURS_GET,
	P_DESK_CIT_SEARCH,
	P_DESK_CIT_SEARCH_ALL,
	P_DESK_ART_COUNT,
	P_DESK_ART_TOP,
	P_DESK_CODE_LIST,
	P_DESK_TR_INSERT,
	P_DESK_TR_UPDATE,
	P_DESK_TR_GET,
	P_DESK_TR_BY_INQ,
	P_DESK_TR_QUEUE,
	/* postgres_appointments.c */
	P_APPT_INSERT,
	P_APPT_UPDATE,
	P_APPT_GET_CODE,
	P_APPT_GET_KEY,
	P_ORGDOC_PUT,
	P_ORGDOC_GET,
	/* postgres_letters.c: letters, their messages, the inbox */
	P_LETTER_INSERT,
	P_LETTER_UPDATE,
	P_LETTER_GET,
	P_LETTER_LIST_CASE,
	P_LETTER_LIST_APPROVAL,
	P_MESSAGE_INSERT,
	P_MESSAGE_COUNT,
	P_INBOX_LIST,
	P_INBOX_COUNT,
	P_INBOX_GET,
	P_INBOX_MARK_READ,
	P_INBOX_INSERT,
	/* postgres_letters.c: delivery */
	P_MSG_CLAIM,
	P_MSG_LIST,
	P_MSG_PRINT_WAIT,
	P_MSG_GET,
	P_MSG_GET_UUID,
	P_MSG_UPDATE,
	P_MSG_COUNT,
	P_MSG_OLDEST,
	P_MSG_LETTER,
	P_ORG_CVR_PUT,
	P_ORG_CVR_GET,
	P_CIT_POST_SET,
	P_PRINT_INSERT,
	P_PRINT_NEXT_SEQ,
	P_PRINT_GET,
	P_PRINT_LIST,
	/* postgres_chat.c */
	P_CHAT_INSERT,
	P_CHAT_UPDATE,
	P_CHAT_GET,
	P_CHAT_GET_INQ,
	P_CHAT_QUEUE,
	P_CHAT_ACTIVE,
	P_CHAT_POSITION,
	P_CHAT_WAIT,
	P_CHAT_SEQ,
	P_CHAT_MSG_INSERT,
	P_CHAT_MSGS,
	P_CHAT_PRESENCE_PUT,
	P_CHAT_PRESENCE_COUNT,
	/* postgres_feedback.c */
	P_FEEDBACK_INSERT,
	P_FEEDBACK_FIND,
	P_FEEDBACK_STATS,
	P_FEEDBACK_COMMENTS,
	/* pg-port: postgres_proposals.c (proposals, synonyms, pins) */
	P_PROPOSAL_INSERT,
	P_PROPOSAL_GET,
	P_PROPOSAL_DECIDE,
	P_PROPOSAL_LIST,
	P_SYNONYM_INSERT,
	P_SYNONYM_LIST,
	P_SYNONYM_GET,
	P_SYNONYM_REMOVE,
	P_SYNONYM_REVIVE,
	P_PIN_PUT,
	P_PIN_DELETE,
	P_PIN_LIST,
	/* pg-port: postgres_articles.c (s-trap's choice of a guide or form) */
	P_SEARCH_LOG_CHOOSE_DOC,
	/* pg-port: postgres_figures.c (the service figures) */
	P_FIG_EVENTS,
	P_FIG_RESET,
	P_FIG_INQ_GET,
	P_FIG_INQ_PUT,
	P_FIG_CASE_GET,
	P_FIG_CASE_PUT,
	P_FIG_CHAT_PUT,
	P_FIG_FEEDBACK_PUT,
	P_FIG_AGG_ADD,
	P_FIG_KEY_ADD,
	P_FIG_AGG_TOTAL,
	P_FIG_AGG_CHANNEL,
	P_FIG_AGG_CASE_TYPE,
	P_FIG_AGG_TOPIC,
	P_FIG_AGG_DAY,
	P_FIG_PROC,
	P_FIG_INQ_LIST,
	P_FIG_CASE_LIST,
	P_FIG_CASE_LIST_DECIDED,
	P_FIG_SEARCH,
	P_FIG_LAG,
	P_FIG_ART_FOUND,
	P_FIG_ART_INQ,
	P_FIG_ART_FCR,
	P_FIG_PROC_GET,
	P_FIG_PROC_PUT,
	P_FIG_SEARCH_ROWS,
	P_FIG_SEARCH_MARK,
	P_FIG_SEARCH_SINCE,
	P_FIG_PROC_COUNT,
	/* kle (issue 15): the KLE classification (postgres_kle.c) */
	P_KLE_PUT,
	P_KLE_GET,
	P_KLE_LIST,
	/* x-ext (issue 15): other authorities' cases (postgres_external.c) */
	P_EXT_GET,
	P_EXT_INSERT,
	P_EXT_UPDATE,
	P_EXT_LIST,
	P_EXT_SEAL_SCAN,
	P_EXT_SEAL_SET,
	P_CS_GET, /* x-decl: declared case systems */
	P_CS_LIST,
	P_CS_PUT,
	P_EXT_FU_COUNT, /* x-fix: follow-ups started per external case */
	P_EXT_FU_PUT,
	/* x-hooks: postgres_webhooks.c */
	P_WH_OUTBOX,
	P_WH_SUB_INSERT,
	P_WH_TOPIC_INSERT,
	P_WH_SUB_LIST,
	P_WH_SUB_DELETE,
	P_WH_SET_ACTIVE,
	P_WH_CLAIM,
	P_WH_RECORD,
	P_WH_LIST,
	P_WH_SEAL_SCAN, /* hooks-rotate */
	P_WH_SEAL_SET,
	P_WH_SUB_GET, /* x-hooks2 */
	P_WH_SUB_UPDATE,
	P_WH_DEL_TOPICS,
	P_WH_SECRET_SET,
	P_WH_DELIVERY_ADD,
	P_WH_PRUNE,
	P_WH_PRUNE_PREVIOUS,
	/* p-parties (issue 16): the parties to a case (postgres_parties.c) */
	P_PARTY_INSERT,
	P_PARTY_LIST,
	P_PARTY_UPDATE,
	P_PARTY_OF_CITIZEN,
	P_PARTY_DUE,
	P_PARTY_SEAL_SCAN,
	P_PARTY_SEAL_SET,
	P_PARTY_UNCLAIMED, /* p-letters */
	P_PARTY_CLAIM,
	P_CIT_PROTECTED_GET,
	P_CIT_PROTECTED_SET,
	/* p-agree (issue 16): agreements */
	P_AGR_INSERT,
	P_AGR_LIST,
	P_SIG_INSERT,
	P_SIG_LIST,
	P__COUNT
};

/* Parameters of one statement. */
#define PG_PARAMS_MAX 40
struct pg_params {
	int n;
	const char *v[PG_PARAMS_MAX];
	int len[PG_PARAMS_MAX];
	int fmt[PG_PARAMS_MAX];
	char num[PG_PARAMS_MAX][32];
};

/* How many built statements (hh_pg_exec_shape) a connection keeps
 * prepared; past that they run unprepared. */
#define PG_SHAPES 64

struct pg_conn {
	struct hh_tx tx; /* first: a struct hh_tx * is a struct pg_conn * */
	PGconn *db;      /* NULL until first used */
	unsigned char prepared[P__COUNT];
	/* pg-caselist: the texts of built statements prepared on this
	 * connection as "s<index>" (hh_pg_exec_shape), malloc'd */
	char *shapes[PG_SHAPES];
	uint64_t shape_hash[PG_SHAPES];
	int n_shapes;
	int in_use;
	int orgs_written; /* this transaction called org_put */
	/* pg-ssi: the case this transaction inserted last and where its
	 * row is (ctid, as text), so that reading it back does not read
	 * cases_pkey (case_get); 0 when none */
	int64_t new_case_id;
	char new_case_tid[32];
	/* The first error of this transaction: PostgreSQL refuses every
	 * statement after one, so the commit gives this instead. */
	enum hh_rc failed;
};

struct pg {
	struct hh_store store;
	char *url;
	struct pg_conn *conns;
	int n_conns;
	pthread_mutex_t lock;
	pthread_cond_t freed;
	/* fault injection (tests) */
	int fault_countdown;
	enum hh_rc fault_rc;
	/* pg-multi (issue 14): this instance's name among those on the
	 * database (random, hex), set on each connection as
	 * helhed.instance so that the change notices it caused are told
	 * apart; and the listener that follows the other instances' changes
	 * (postgres_notify.c; NULL until hh_pg_follow_start). */
	char instance[33];
	struct pg_follow *follow;
	/* pg-serial (issue 14): the journal serials' own connection,
	 * outside the pool (postgres_serial.c); one statement at a time */
	pthread_mutex_t serial_lock;
	PGconn *serial_db; /* NULL until first used */
	int serial_prepared;
};

/* pg-skip: tx_begin's write for a write transaction at READ COMMITTED
 * rather than SERIALIZABLE, for a store function that runs one
 * statement in a transaction of its own and is correct at that level by
 * its row locks (message_claim in postgres_letters.c). Run it through
 * hh_store_run_tx(&s->store, PG_TX_READ_COMMITTED, ...). */
#define PG_TX_READ_COMMITTED 2

/* A claim of work due (message_claim, webhook_claim): runs statement id
 * (its text sql) with (now, lease, limit) in a READ COMMITTED
 * transaction of its own, retried as any transaction; *res gets the
 * claimed rows (the caller streams and clears them), NULL on an error.
 * CLAIM(s, id, ...) passes the calling file's text of id. */
enum hh_rc hh_pg_claim(struct pg *s, enum pg_stmt_id id, const char *sql,
		       int64_t now, int64_t lease, int64_t limit,
		       PGresult **res);
#define CLAIM(s, id, now, lease, limit, res) \
	hh_pg_claim(s, id, stmt_sql[id], now, lease, limit, res)

static inline struct pg *pg_of(struct hh_tx *tx)
{
	return tx->store->cls;
}

/* ---- parameters -------------------------------------------------------- */

static inline void p_int(struct pg_params *p, int64_t v)
{
	int i = p->n++;
	snprintf(p->num[i], sizeof(p->num[i]), "%lld", (long long)v);
	p->v[i] = p->num[i];
	p->len[i] = 0;
	p->fmt[i] = 0;
}

/* v, or SQL NULL when v is 0. */
static inline void p_int_or_null(struct pg_params *p, int64_t v)
{
	if (v) {
		p_int(p, v);
	} else {
		int i = p->n++;
		p->v[i] = NULL;
		p->len[i] = p->fmt[i] = 0;
	}
}

/* A limit as the statements take it (LIMIT $n): NULL, no limit, when
 * limit is not above 0. */
static inline void p_limit(struct pg_params *p, int64_t limit)
{
	p_int_or_null(p, limit > 0 ? limit : 0);
}

static inline void p_double(struct pg_params *p, double v)
{
	int i = p->n++;
	snprintf(p->num[i], sizeof(p->num[i]), "%.17g", v);
	p->v[i] = p->num[i];
	p->len[i] = 0;
	p->fmt[i] = 0;
}

/* s (borrowed until the statement ran), or SQL NULL when s is NULL. */
static inline void p_text(struct pg_params *p, const char *s)
{
	int i = p->n++;
	p->v[i] = s;
	p->len[i] = 0;
	p->fmt[i] = 0;
}

/* n bytes (borrowed), as bytea; SQL NULL when b is NULL. */
static inline void p_blob(struct pg_params *p, const void *b, size_t n)
{
	int i = p->n++;
	p->v[i] = b;
	p->len[i] = (int)n;
	p->fmt[i] = 1;
}

/* ---- rows ---------------------------------------------------------------- */

/* Column c of row i as an integer (0 for NULL). */
static inline int64_t g_int(const PGresult *r, int i, int c)
{
	if (PQgetisnull(r, i, c))
		return 0;
	const char *v = PQgetvalue(r, i, c);
	/* booleans come as t/f */
	if (v[0] == 't' && !v[1])
		return 1;
	if (v[0] == 'f' && !v[1])
		return 0;
	return strtoll(v, NULL, 10);
}

static inline double g_double(const PGresult *r, int i, int c)
{
	return PQgetisnull(r, i, c) ? 0.0 : strtod(PQgetvalue(r, i, c), NULL);
}

/* Column c of row i as a string in the arena (NULL for SQL NULL). */
static inline const char *g_text(struct hh_arena *a, const PGresult *r,
				 int i, int c)
{
	if (PQgetisnull(r, i, c))
		return NULL;
	return hh_arena_strndup(a, PQgetvalue(r, i, c),
				(size_t)PQgetlength(r, i, c));
}

/* Column c of row i, a bytea, decoded (new: the caller PQfreemems it;
 * for a large one read once, not copied into an arena); *len its bytes.
 * NULL for SQL NULL. */
unsigned char *hh_pg_bytea(const PGresult *r, int i, int c, size_t *len);
/* Column c of row i, a bytea, as bytes in the arena (NULL for SQL NULL);
 * *len gets their number (len may be NULL). */
const unsigned char *hh_pg_blob(struct hh_arena *a, const PGresult *r,
				int i, int c, size_t *len);

/* ---- statements ---------------------------------------------------------- */

/* Counts down to an injected fault (hh_store_fault_inject); returns the
 * rc to fail with, or OK. */
enum hh_rc hh_pg_fault(struct pg *s);
/* Runs statement id (prepared from sql on this connection's first use of
 * it) with p (NULL: none). On OK, *res (if res is not NULL) gets the
 * result: new, the caller PQclears it. Errors are mapped: serialization
 * failure and deadlock (40001, 40P01) BUSY, a constraint (class 23)
 * CONFLICT, a lost connection IO, anything else INTERNAL (logged). */
enum hh_rc hh_pg_exec(struct hh_tx *tx, enum pg_stmt_id id, const char *sql,
		      const struct pg_params *p, PGresult **res);
/* As hh_pg_exec for a statement built at run time (not prepared). */
enum hh_rc hh_pg_exec_sql(struct hh_tx *tx, const char *sql,
			  const struct pg_params *p, PGresult **res);
/* As hh_pg_exec_sql for a statement built at run time that takes few
 * shapes (its text varies with which filters are given, not with their
 * values): prepared by name on this connection the first time its text is
 * seen, so later runs skip parsing and, once PostgreSQL keeps a generic
 * plan for it, planning. Values that change the best plan (a LIMIT) must
 * be in the text, not parameters. Past PG_SHAPES texts a connection runs
 * the others unprepared. */
enum hh_rc hh_pg_exec_shape(struct hh_tx *tx, const char *sql,
			    const struct pg_params *p, PGresult **res);
/* As hh_pg_exec, inside a savepoint: an error (a constraint the caller
 * reports as CONFLICT) leaves the transaction usable, as a failed
 * statement does in SQLite. Costs two more round trips. */
enum hh_rc hh_pg_exec_guarded(struct hh_tx *tx, enum pg_stmt_id id,
			      const char *sql, const struct pg_params *p,
			      PGresult **res);
/* Runs a statement that returns one integer in its first column of its
 * first row into *out; NOT_FOUND when it returns no row. */
enum hh_rc hh_pg_int64(struct hh_tx *tx, enum pg_stmt_id id, const char *sql,
		       const struct pg_params *p, int64_t *out);
/* Runs a statement for the number of rows it changed, into *changed (0
 * on an error). */
enum hh_rc hh_pg_changed(struct hh_tx *tx, enum pg_stmt_id id, const char *sql,
			 const struct pg_params *p, int64_t *changed);
/* The number of rows a statement changed. */
static inline int64_t pg_changes(const PGresult *r)
{
	return strtoll(PQcmdTuples((PGresult *)r), NULL, 10);
}

/* Not ported yet: logs that name is not on PostgreSQL and returns
 * HH_ERR_INTERNAL (postgres.c). The stubs (build/gen/pg_stubs.c, from
 * scripts/pg-stubs.sh) call it. */
enum hh_rc hh_pg_not_ported(const char *name);
/* Fills every function of st with its stub (generated). */
void hh_pg_fill_not_ported(struct hh_store *st);

/* Each entity file fills its ported functions into a new struct hh_store
 * over the stubs. */
void hh_pg_fill_orgs(struct hh_store *st);
void hh_pg_fill_articles(struct hh_store *st);
void hh_pg_fill_cases(struct hh_store *st);
void hh_pg_fill_inquiries(struct hh_store *st);
void hh_pg_fill_appointments(struct hh_store *st);
void hh_pg_fill_letters(struct hh_store *st);
void hh_pg_fill_chat(struct hh_store *st);
void hh_pg_fill_feedback(struct hh_store *st);
/* pg-port */
void hh_pg_fill_proposals(struct hh_store *st);
void hh_pg_fill_search_tuning(struct hh_store *st);
void hh_pg_fill_figures(struct hh_store *st);
void hh_pg_fill_kle(struct hh_store *st); /* kle (issue 15) */
void hh_pg_fill_external(struct hh_store *st); /* x-ext: external cases */
void hh_pg_fill_webhooks(struct hh_store *st); /* x-hooks */
void hh_pg_fill_parties(struct hh_store *st); /* p-parties (issue 16) */
void hh_pg_fill_agreements(struct hh_store *st); /* p-agree (issue 16) */
/* x-hooks: the outbox of event e, just appended (postgres_webhooks.c) */
enum hh_rc hh_pg_webhook_outbox(struct hh_tx *tx, const struct hh_event *e);

/* pg-multi (issue 14): connection options every connection of the store
 * is opened with (a bounded connect time, so that an unreachable server
 * fails a request instead of hanging it), then s->url's own; the
 * listener adds keepalives (postgres_notify.c). Returns new (PQfinish). */
/* Sets up a new session on db as every connection of s needs it, with
 * extra SET statements first (each ending in "; ", or ""). */
enum hh_rc hh_pg_session_setup(const struct pg *s, PGconn *db,
			       const char *extra);
PGconn *hh_pg_connect(const struct pg *s, const char *application_name,
		      int keepalives);
/* Stops and frees s's listener, if one was started (pg_close). */
void hh_pg_follow_free(struct pg *s);

/* pg-serial (issue 14): the next journal serial of org_id in year into
 * *serial, taken on the store's serial connection in a transaction of
 * its own (READ COMMITTED, committed at once), not in tx: concurrent
 * submissions then wait their turn on the serial's row for the length
 * of one statement instead of failing with 40001 in their SERIALIZABLE
 * transactions. A serial taken by a transaction that then rolls back is
 * not given back (a gap). Never waits for a connection of the pool.
 * postgres_serial.c. */
enum hh_rc hh_pg_serial_next(struct hh_tx *tx, int64_t org_id, int year,
			     int64_t *serial);
/* Sets up and frees what hh_pg_serial_next keeps in s (its connection). */
void hh_pg_serial_init(struct pg *s);
void hh_pg_serial_free(struct pg *s);
/* The hh_rc of a failed statement on db (res NULL: the connection's
 * error), as hh_pg_exec maps it; logs what is not the caller's to
 * handle. */
enum hh_rc hh_pg_map_error(PGconn *db, const PGresult *res, const char *what);

#define FAULT(tx)                                                  \
	do {                                                       \
		enum hh_rc frc_ = hh_pg_fault(pg_of(tx));          \
		if (frc_ != HH_OK)                                 \
			return frc_;                               \
	} while (0)

/* Runs this file's statement id (its SQL from stmt_sql). */
#define RUN(tx, id, p, res) hh_pg_exec(tx, id, stmt_sql[id], p, res)
#define RUN_GUARDED(tx, id, p, res) \
	hh_pg_exec_guarded(tx, id, stmt_sql[id], p, res)
#define RUN_INT(tx, id, p, out) hh_pg_int64(tx, id, stmt_sql[id], p, out)
#define RUN_CHANGED(tx, id, p, changed) \
	hh_pg_changed(tx, id, stmt_sql[id], p, changed)

/* Runs id, expected to give one row read by rowfn(a, res, 0, out);
 * returns NOT_FOUND if none. */
#define PG_ONE_ROW(tx, id, p, rowfn, a, out)                      \
	do {                                                      \
		PGresult *res_;                                   \
		enum hh_rc r_ = RUN(tx, id, p, &res_);            \
		if (r_ != HH_OK)                                  \
			return r_;                                \
		if (PQntuples(res_) > 0)                          \
			rowfn(a, res_, 0, out);                   \
		else                                              \
			r_ = HH_ERR_NOT_FOUND;                    \
		PQclear(res_);                                    \
		return r_;                                        \
	} while (0)

/* Streams the rows of res (a successful result), each read by rowfn
 * into a zeroed type, to cb; clears res and returns from the caller: a
 * callback's error stops the stream and is returned. For the lists whose
 * SQL is built per call (hh_pg_exec_sql) as for the prepared ones. */
#define PG_STREAM_ROWS(res, type, rowfn, a, cb, ctx)             \
	do {                                                      \
		enum hh_rc s_ = HH_OK;                            \
		int n_ = PQntuples(res);                          \
		for (int i_ = 0; i_ < n_ && s_ == HH_OK; i_++) {  \
			type row_;                                \
			memset(&row_, 0, sizeof(row_));           \
			rowfn(a, res, i_, &row_);                 \
			s_ = cb(ctx, &row_);                      \
		}                                                 \
		PQclear(res);                                     \
		return s_;                                        \
	} while (0)

/* Runs id and streams its rows (PG_STREAM_ROWS). */
#define PG_MANY_ROWS(tx, id, p, type, rowfn, a, cb, ctx)          \
	do {                                                      \
		PGresult *res_;                                   \
		enum hh_rc r_ = RUN(tx, id, p, &res_);            \
		if (r_ != HH_OK)                                  \
			return r_;                                \
		PG_STREAM_ROWS(res_, type, rowfn, a, cb, ctx);    \
	} while (0)

#endif
