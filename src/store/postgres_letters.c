/* postgres_letters.c - the PostgreSQL backend: letters on cases, the
 * Digital Post messages that carry them and their delivery (CVR numbers,
 * postal addresses, print batches), and the citizen's inbox (the port of
 * sqlite_letters.c, sqlite_messages.c and sqlite_inbox.c). */
#include "store/postgres_int.h"

#include "core/util.h"

typedef enum hh_rc (*hh_letter_cb)(void *ctx, const struct hh_letter *l);

/* A letter row: every column, the names around it (organisation, author,
 * approver, case type), the PDF's size and the case's journal number;
 * LETTER_PDF after the columns adds the PDF itself. */
#define LETTER_COLS                                                            \
	"l.id, l.organisation_id, coalesce(l.case_id, 0), "                    \
	"coalesce(l.citizen_id, 0), l.kind, l.template, l.state, l.decision, " \
	"l.title, l.body, l.fields, l.reply_allowed, coalesce(l.reply_by, 0), " \
	"l.author_id, coalesce(l.approver_id, 0), l.version, l.created_at, "   \
	"l.updated_at, coalesce(l.approved_at, 0), coalesce(l.sent_at, 0), "   \
	"coalesce(l.read_at, 0), l.message_id, o.name, a.name, p.name, "       \
	"t.name, coalesce(length(l.pdf), 0), c.journal_no "
#define LETTER_PDF ", l.pdf "
#define LETTER_FROM                                                            \
	"FROM letters l JOIN organisations o ON o.id = l.organisation_id "     \
	"LEFT JOIN users a ON a.id = l.author_id "                             \
	"LEFT JOIN users p ON p.id = l.approver_id "                           \
	"LEFT JOIN cases c ON c.id = l.case_id "                               \
	"LEFT JOIN case_types t ON t.id = c.case_type_id "

#define MSG_COLS                                                               \
	"m.id, m.message_id, m.letter_id, m.organisation_id, "                 \
	"coalesce(m.citizen_id, 0), m.channel, m.state, m.attempts, "          \
	"m.next_attempt_at, m.last_error, m.created_at, m.updated_at, "        \
	"coalesce(m.sent_at, 0), coalesce(m.delivered_at, 0), m.print_batch, " \
	"l.title, coalesce(l.case_id, 0), c.name "
#define MSG_FROM                                                               \
	"FROM messages m JOIN letters l ON l.id = m.letter_id "                \
	"LEFT JOIN citizens c ON c.id = m.citizen_id "
#define BATCH_COLS "id, organisation_id, day, seq, file, letters, pages, " \
		   "created_at "

static const char *const stmt_sql[P__COUNT] = {
	/* pg-skip: the claim (store.h) in one statement, run at READ
	 * COMMITTED (message_claim). The due rows are locked as they are
	 * found; one that another transaction has locked (another claim,
	 * a record, a give-back) is skipped, and one changed since the
	 * statement's snapshot is checked again in its newest version
	 * before it is locked, so a row is claimed only while it is due
	 * and by one claim (the UPDATE says so again, for its own reading
	 * of the rows). MATERIALIZED: the locked rows are read once.
	 * The old next attempt comes from the locked row ("was"), the
	 * rest from the updated one. */
	[P_MSG_CLAIM] =
		"WITH due AS MATERIALIZED ("
		"SELECT id, next_attempt_at FROM messages "
		"WHERE state = 'queued' AND channel IS DISTINCT FROM 'print' "
		"AND next_attempt_at <= $1 "
		"ORDER BY next_attempt_at, id LIMIT $3 "
		"FOR NO KEY UPDATE SKIP LOCKED), "
		"claimed AS (UPDATE messages m SET next_attempt_at = $2 "
		"FROM due WHERE m.id = due.id AND m.state = 'queued' "
		"AND m.channel IS DISTINCT FROM 'print' "
		"AND m.next_attempt_at <= $1 "
		"RETURNING m.id, m.message_id, m.letter_id, m.organisation_id, "
		"m.citizen_id, m.channel, m.state, m.attempts, "
		"due.next_attempt_at AS was, m.last_error, m.created_at, "
		"m.updated_at, m.sent_at, m.delivered_at, m.print_batch) "
		"SELECT m.id, m.message_id, m.letter_id, m.organisation_id, "
		"coalesce(m.citizen_id, 0), m.channel, m.state, m.attempts, "
		"m.was, m.last_error, m.created_at, m.updated_at, "
		"coalesce(m.sent_at, 0), coalesce(m.delivered_at, 0), "
		"m.print_batch, l.title, coalesce(l.case_id, 0), c.name "
		"FROM claimed m JOIN letters l ON l.id = m.letter_id "
		"LEFT JOIN citizens c ON c.id = m.citizen_id "
		"ORDER BY m.was, m.id",
	[P_MSG_LIST] = "SELECT " MSG_COLS MSG_FROM
		       "WHERE ($1::bigint = 0 OR m.organisation_id = $1) "
		       "AND ($2::text IS NULL OR m.state = $2) "
		       "AND ($3::text IS NULL OR m.channel = $3) "
		       "AND ($4::bigint = 0 OR m.letter_id = $4) "
		       "AND ($6::text IS NULL OR m.print_batch = $6) "
		       "ORDER BY m.id DESC LIMIT $5",
	[P_MSG_PRINT_WAIT] = "SELECT " MSG_COLS MSG_FROM
			     "WHERE m.state = 'queued' AND m.channel = 'print' "
			     "AND ($1::bigint = 0 OR m.organisation_id = $1) "
			     "ORDER BY m.organisation_id, m.id",
	[P_MSG_GET] = "SELECT " MSG_COLS MSG_FROM "WHERE m.id = $1",
	[P_MSG_GET_UUID] = "SELECT " MSG_COLS MSG_FROM
			   "WHERE m.message_id = $1",
	[P_MSG_UPDATE] =
		"UPDATE messages SET channel = $3, state = $4, attempts = $5, "
		"next_attempt_at = $6, last_error = $7, updated_at = $8, "
		"sent_at = nullif($9::bigint, 0), "
		"delivered_at = nullif($10::bigint, 0), print_batch = $11 "
		"WHERE id = $1 AND state = $2 RETURNING id",
	[P_MSG_COUNT] = "SELECT state, channel, count(*) FROM messages "
			"GROUP BY state, channel ORDER BY state, channel "
			"NULLS FIRST",
	[P_MSG_OLDEST] = "SELECT coalesce(min(created_at), 0) FROM messages "
			 "WHERE state = 'queued'",
	[P_MSG_LETTER] = "SELECT " LETTER_COLS LETTER_PDF LETTER_FROM
			 "WHERE l.id = $1",
	[P_ORG_CVR_PUT] = "UPDATE organisations SET cvr = $2 WHERE id = $1",
	[P_ORG_CVR_GET] = "SELECT cvr FROM organisations WHERE id = $1",
	[P_CIT_POST_SET] =
		"UPDATE citizens SET address = $2, postcode = $3, city = $4, "
		"dp_exempt_since = nullif($5::bigint, 0), dp_exempt_reason = $6 "
		"WHERE id = $1 RETURNING id",
	/* DO NOTHING: the organisation's day has the seq: CONFLICT */
	[P_PRINT_INSERT] =
		"INSERT INTO print_batches(organisation_id, day, seq, file, "
		"letters, pages, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
		"ON CONFLICT DO NOTHING RETURNING id",
	[P_PRINT_NEXT_SEQ] = "SELECT coalesce(max(seq), 0) + 1 FROM "
			     "print_batches WHERE organisation_id = $1 "
			     "AND day = $2",
	[P_PRINT_GET] = "SELECT " BATCH_COLS "FROM print_batches WHERE id = $1",
	[P_PRINT_LIST] = "SELECT " BATCH_COLS "FROM print_batches WHERE "
			 "($1::bigint = 0 OR organisation_id = $1) "
			 "ORDER BY day DESC, seq DESC, id DESC LIMIT $2",
	[P_LETTER_INSERT] =
		"INSERT INTO letters(organisation_id, case_id, citizen_id, kind, "
		"template, state, decision, title, body, fields, reply_allowed, "
		"reply_by, author_id, version, created_at, updated_at, party_event) "
		"VALUES ($1, nullif($2::bigint, 0), nullif($3::bigint, 0), $4, $5, "
		"$6, $7, $8, $9, $10, $11, nullif($12::bigint, 0), "
		"nullif($13::bigint, 0), 1, $14, $14, $15) RETURNING id",
	[P_LETTER_UPDATE] =
		"UPDATE letters SET state = $3, decision = $4, title = $5, "
		"body = $6, fields = $7, reply_allowed = $8, "
		"reply_by = nullif($9::bigint, 0), "
		"approver_id = nullif($10::bigint, 0), "
		"approved_at = nullif($11::bigint, 0), "
		"sent_at = nullif($12::bigint, 0), "
		"pdf = $13, message_id = $14, updated_at = $15, "
		"version = version + 1 WHERE id = $1 AND version = $2 "
		"RETURNING version",
	[P_LETTER_GET] = "SELECT " LETTER_COLS LETTER_PDF LETTER_FROM
			 "WHERE l.id = $1",
	[P_LETTER_LIST_CASE] = "SELECT " LETTER_COLS LETTER_FROM
			       "WHERE l.case_id = $1 ORDER BY l.id",
	[P_LETTER_LIST_APPROVAL] = "SELECT " LETTER_COLS LETTER_FROM
				   "WHERE l.organisation_id = $1 AND "
				   "l.state = 'awaiting_approval' ORDER BY l.id",
	/* DO NOTHING: the letter or message id has one already: CONFLICT */
	[P_MESSAGE_INSERT] =
		"INSERT INTO messages(message_id, letter_id, organisation_id, "
		"citizen_id, channel, state, next_attempt_at, created_at, "
		"updated_at) VALUES ($1, $2, $3, nullif($4::bigint, 0), $5, $6, "
		"$7, $8, $8) ON CONFLICT DO NOTHING RETURNING id",
	[P_MESSAGE_COUNT] = "SELECT count(*) FROM messages WHERE letter_id = $1",
	/* the partial index letters_inbox (0019) gives this order */
	[P_INBOX_LIST] = "SELECT " LETTER_COLS LETTER_FROM
			 "WHERE l.citizen_id = $1 AND l.state = 'sent' "
			 "ORDER BY l.sent_at DESC, l.id DESC LIMIT $2 OFFSET $3",
	[P_INBOX_COUNT] = "SELECT count(*), count(*) - count(read_at) FROM "
			  "letters WHERE citizen_id = $1 AND state = 'sent'",
	[P_INBOX_GET] = "SELECT " LETTER_COLS LETTER_PDF LETTER_FROM
			"WHERE l.id = $1",
	[P_INBOX_MARK_READ] = "UPDATE letters SET read_at = $2 WHERE id = $1 "
			      "AND state = 'sent' AND read_at IS NULL",
	[P_INBOX_INSERT] =
		"INSERT INTO letters(organisation_id, case_id, citizen_id, kind, "
		"template, state, decision, title, body, fields, reply_allowed, "
		"reply_by, author_id, approver_id, version, created_at, "
		"updated_at, approved_at, sent_at, read_at, pdf, message_id) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
		"$14, $15, $16, $17, $18, $19, $20, $21, $22) RETURNING id",
};

static void letter_row(struct hh_arena *a, const PGresult *r, int i,
		       struct hh_letter *l)
{
	memset(l, 0, sizeof(*l));
	l->id = g_int(r, i, 0);
	l->org_id = g_int(r, i, 1);
	l->case_id = g_int(r, i, 2);
	l->citizen_id = g_int(r, i, 3);
	l->kind = g_text(a, r, i, 4);
	l->template_code = g_text(a, r, i, 5);
	l->state = g_text(a, r, i, 6);
	l->decision = g_text(a, r, i, 7);
	l->title = g_text(a, r, i, 8);
	l->body = g_text(a, r, i, 9);
	l->fields = g_text(a, r, i, 10);
	l->reply_allowed = g_int(r, i, 11) != 0;
	l->reply_by = g_int(r, i, 12);
	l->author_id = g_int(r, i, 13);
	l->approver_id = g_int(r, i, 14);
	l->version = g_int(r, i, 15);
	l->created_at = g_int(r, i, 16);
	l->updated_at = g_int(r, i, 17);
	l->approved_at = g_int(r, i, 18);
	l->sent_at = g_int(r, i, 19);
	l->read_at = g_int(r, i, 20);
	l->message_id = g_text(a, r, i, 21);
	l->org_name = g_text(a, r, i, 22);
	l->author_name = g_text(a, r, i, 23);
	l->approver_name = g_text(a, r, i, 24);
	l->case_type_name = g_text(a, r, i, 25);
	l->pdf_len = (size_t)g_int(r, i, 26);
	l->case_journal_no = g_text(a, r, i, 27);
}

static void letter_row_pdf(struct hh_arena *a, const PGresult *r, int i,
			   struct hh_letter *l)
{
	letter_row(a, r, i, l);
	size_t n;
	l->pdf = hh_pg_blob(a, r, i, 28, &n);
	l->pdf_len = l->pdf ? n : 0;
}

static enum hh_rc letter_insert(struct hh_tx *tx, struct hh_letter *l)
{
	FAULT(tx);
	l->created_at = l->updated_at = hh_now_us() / 1000000;
	struct pg_params p = { 0 };
	p_int(&p, l->org_id);
	p_int(&p, l->case_id);
	p_int(&p, l->citizen_id);
	p_text(&p, l->kind);
	p_text(&p, l->template_code);
	p_text(&p, l->state);
	p_text(&p, l->decision);
	p_text(&p, l->title);
	p_text(&p, l->body);
	p_text(&p, l->fields ? l->fields : "{}");
	p_int(&p, l->reply_allowed);
	p_int(&p, l->reply_by);
	p_int(&p, l->author_id);
	p_int(&p, l->created_at);
	p_text(&p, l->party_event);
	enum hh_rc rc = RUN_INT(tx, P_LETTER_INSERT, &p, &l->id);
	if (rc == HH_OK)
		l->version = 1;
	return rc;
}

static enum hh_rc letter_update(struct hh_tx *tx, struct hh_letter *l,
				int64_t expected)
{
	FAULT(tx);
	l->updated_at = hh_now_us() / 1000000;
	struct pg_params p = { 0 };
	p_int(&p, l->id);
	p_int(&p, expected);
	p_text(&p, l->state);
	p_text(&p, l->decision);
	p_text(&p, l->title);
	p_text(&p, l->body);
	p_text(&p, l->fields ? l->fields : "{}");
	p_int(&p, l->reply_allowed);
	p_int(&p, l->reply_by);
	p_int(&p, l->approver_id);
	p_int(&p, l->approved_at);
	p_int(&p, l->sent_at);
	p_blob(&p, l->pdf, l->pdf ? l->pdf_len : 0);
	p_text(&p, l->message_id);
	p_int(&p, l->updated_at);
	enum hh_rc rc = RUN_INT(tx, P_LETTER_UPDATE, &p, &l->version);
	return rc == HH_ERR_NOT_FOUND ? HH_ERR_CONFLICT : rc;
}

static enum hh_rc letter_get(struct hh_tx *tx, struct hh_arena *a, int64_t id,
			     struct hh_letter *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, id);
	PG_ONE_ROW(tx, P_LETTER_GET, &p, letter_row_pdf, a, out);
}

static enum hh_rc letter_list_case(struct hh_tx *tx, struct hh_arena *a,
				   int64_t case_id, hh_letter_cb cb, void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, case_id);
	PG_MANY_ROWS(tx, P_LETTER_LIST_CASE, &p, struct hh_letter, letter_row,
		     a, cb, ctx);
}

static enum hh_rc letter_list_approval(struct hh_tx *tx, struct hh_arena *a,
				       int64_t org_id, hh_letter_cb cb,
				       void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, org_id);
	PG_MANY_ROWS(tx, P_LETTER_LIST_APPROVAL, &p, struct hh_letter,
		     letter_row, a, cb, ctx);
}

static enum hh_rc message_insert(struct hh_tx *tx, struct hh_message *m)
{
	FAULT(tx);
	m->created_at = m->updated_at = hh_now_us() / 1000000;
	struct pg_params p = { 0 };
	p_text(&p, m->message_id);
	p_int(&p, m->letter_id);
	p_int(&p, m->org_id);
	p_int(&p, m->citizen_id);
	p_text(&p, m->channel);
	p_text(&p, m->state ? m->state : "queued");
	p_int(&p, m->next_attempt_at);
	p_int(&p, m->created_at);
	enum hh_rc rc = RUN_INT(tx, P_MESSAGE_INSERT, &p, &m->id);
	return rc == HH_ERR_NOT_FOUND ? HH_ERR_CONFLICT : rc;
}

static enum hh_rc message_count_letter(struct hh_tx *tx, int64_t letter_id,
				       int64_t *n)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, letter_id);
	return RUN_INT(tx, P_MESSAGE_COUNT, &p, n);
}

/* ---- the citizen's inbox -------------------------------------------------- */

static enum hh_rc inbox_list(struct hh_tx *tx, struct hh_arena *a,
			     int64_t citizen_id, int64_t offset, int64_t limit,
			     hh_inbox_cb cb, void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, citizen_id);
	if (limit > 0)
		p_int(&p, limit);
	else
		p_text(&p, NULL);
	p_int(&p, offset > 0 ? offset : 0);
	PG_MANY_ROWS(tx, P_INBOX_LIST, &p, struct hh_letter, letter_row, a, cb,
		     ctx);
}

static enum hh_rc inbox_count(struct hh_tx *tx, int64_t citizen_id,
			      int64_t *total, int64_t *unread)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, citizen_id);
	PGresult *r;
	enum hh_rc rc = RUN(tx, P_INBOX_COUNT, &p, &r);
	if (rc != HH_OK)
		return rc;
	if (total)
		*total = g_int(r, 0, 0);
	if (unread)
		*unread = g_int(r, 0, 1);
	PQclear(r);
	return HH_OK;
}

static enum hh_rc inbox_get(struct hh_tx *tx, struct hh_arena *a, int64_t id,
			    struct hh_letter *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, id);
	PG_ONE_ROW(tx, P_INBOX_GET, &p, letter_row_pdf, a, out);
}

static enum hh_rc inbox_mark_read(struct hh_tx *tx, int64_t id, int64_t at,
				  int *marked)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, id);
	p_int(&p, at);
	PGresult *r;
	enum hh_rc rc = RUN(tx, P_INBOX_MARK_READ, &p, &r);
	if (rc != HH_OK)
		return rc;
	if (marked)
		*marked = pg_changes(r) > 0;
	PQclear(r);
	return HH_OK;
}

static enum hh_rc inbox_letter_insert(struct hh_tx *tx, struct hh_letter *l)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, l->org_id);
	p_int_or_null(&p, l->case_id);
	p_int_or_null(&p, l->citizen_id);
	p_text(&p, l->kind);
	p_text(&p, l->template_code);
	p_text(&p, l->state);
	p_text(&p, l->decision);
	p_text(&p, l->title);
	p_text(&p, l->body);
	p_text(&p, l->fields ? l->fields : "{}");
	p_int(&p, l->reply_allowed != 0);
	p_int_or_null(&p, l->reply_by);
	p_int(&p, l->author_id);
	p_int_or_null(&p, l->approver_id);
	p_int(&p, l->version ? l->version : 1);
	p_int(&p, l->created_at);
	p_int(&p, l->updated_at ? l->updated_at : l->created_at);
	p_int_or_null(&p, l->approved_at);
	p_int_or_null(&p, l->sent_at);
	p_int_or_null(&p, l->read_at);
	p_blob(&p, l->pdf, l->pdf ? l->pdf_len : 0);
	p_text(&p, l->message_id);
	return RUN_INT(tx, P_INBOX_INSERT, &p, &l->id);
}

/* ---- delivery ---------------------------------------------------------- */

static void msg_row(struct hh_arena *a, const PGresult *r, int i,
		    struct hh_message_row *out)
{
	memset(out, 0, sizeof(*out));
	struct hh_message *m = &out->m;
	m->id = g_int(r, i, 0);
	m->message_id = g_text(a, r, i, 1);
	m->letter_id = g_int(r, i, 2);
	m->org_id = g_int(r, i, 3);
	m->citizen_id = g_int(r, i, 4);
	m->channel = g_text(a, r, i, 5);
	m->state = g_text(a, r, i, 6);
	m->attempts = g_int(r, i, 7);
	m->next_attempt_at = g_int(r, i, 8);
	m->last_error = g_text(a, r, i, 9);
	m->created_at = g_int(r, i, 10);
	m->updated_at = g_int(r, i, 11);
	m->sent_at = g_int(r, i, 12);
	m->delivered_at = g_int(r, i, 13);
	m->print_batch = g_text(a, r, i, 14);
	out->title = g_text(a, r, i, 15);
	out->case_id = g_int(r, i, 16);
	out->citizen_name = g_text(a, r, i, 17);
}

struct claim_ctx {
	enum pg_stmt_id id;
	const char *sql;
	int64_t now, lease, limit;
	PGresult *res; /* the claimed rows, once the statement ran */
};

static enum hh_rc claim_tx(struct hh_tx *tx, void *arg)
{
	struct claim_ctx *x = arg;
	if (x->res) { /* an attempt before this one */
		PQclear(x->res);
		x->res = NULL;
	}
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, x->now);
	p_int(&p, x->lease);
	p_int(&p, x->limit);
	return hh_pg_exec(tx, x->id, x->sql, &p, &x->res);
}

enum hh_rc hh_pg_claim(struct pg *s, enum pg_stmt_id id, const char *sql,
		       int64_t now, int64_t lease, int64_t limit,
		       PGresult **res)
{
	struct claim_ctx x = { id, sql, now, lease, limit, NULL };
	enum hh_rc rc = hh_store_run_tx(&s->store, PG_TX_READ_COMMITTED,
					claim_tx, &x);
	if (rc != HH_OK && x.res) {
		PQclear(x.res);
		x.res = NULL;
	}
	*res = x.res;
	return rc;
}

/* pg-skip: the claim in a READ COMMITTED transaction of its own, on a
 * connection of the pool (the caller holds none), retried on BUSY as
 * any transaction; at that level a deadlock (40P01) or a lock_timeout
 * set for the role or database (55P03) are the BUSY answers PostgreSQL
 * could give, and the statement locks no row it must wait for. The
 * rows are streamed once the claim has committed; an IO error after
 * the server took the COMMIT may leave them claimed until the lease
 * (store.h). */
static enum hh_rc message_claim(void *cls, struct hh_arena *a, int64_t now,
				int64_t lease, int64_t limit, hh_message_cb cb,
				void *ctx)
{
	struct pg *s = cls;
	if (limit < 1)
		return HH_ERR_INVALID;
	PGresult *res;
	enum hh_rc rc = CLAIM(s, P_MSG_CLAIM, now, lease, limit, &res);
	if (rc != HH_OK)
		return rc;
	PG_STREAM_ROWS(res, struct hh_message_row, msg_row, a, cb, ctx);
}

static enum hh_rc message_list(struct hh_tx *tx, struct hh_arena *a,
			       const struct hh_message_filter *f,
			       int64_t limit, hh_message_cb cb, void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, f->org_id);
	p_text(&p, f->state);
	p_text(&p, f->channel);
	p_int(&p, f->letter_id);
	p_limit(&p, limit);
	p_text(&p, f->print_batch);
	PG_MANY_ROWS(tx, P_MSG_LIST, &p, struct hh_message_row, msg_row, a, cb,
		     ctx);
}

static enum hh_rc message_print_wait(struct hh_tx *tx, struct hh_arena *a,
				     int64_t org_id, hh_message_cb cb,
				     void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, org_id);
	PG_MANY_ROWS(tx, P_MSG_PRINT_WAIT, &p, struct hh_message_row, msg_row,
		     a, cb, ctx);
}

static enum hh_rc message_get(struct hh_tx *tx, struct hh_arena *a,
			      int64_t id, struct hh_message_row *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, id);
	PG_ONE_ROW(tx, P_MSG_GET, &p, msg_row, a, out);
}

static enum hh_rc message_get_by_uuid(struct hh_tx *tx, struct hh_arena *a,
				      const char *uuid,
				      struct hh_message_row *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_text(&p, uuid);
	PG_ONE_ROW(tx, P_MSG_GET_UUID, &p, msg_row, a, out);
}

static enum hh_rc message_update(struct hh_tx *tx, const struct hh_message *m,
				 const char *expected_state)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, m->id);
	p_text(&p, expected_state);
	p_text(&p, m->channel);
	p_text(&p, m->state);
	p_int(&p, m->attempts);
	p_int(&p, m->next_attempt_at);
	p_text(&p, m->last_error);
	p_int(&p, m->updated_at);
	p_int(&p, m->sent_at);
	p_int(&p, m->delivered_at);
	p_text(&p, m->print_batch);
	int64_t id;
	enum hh_rc rc = RUN_INT(tx, P_MSG_UPDATE, &p, &id);
	return rc == HH_ERR_NOT_FOUND ? HH_ERR_CONFLICT : rc;
}

static enum hh_rc message_count(struct hh_tx *tx,
				enum hh_rc (*cb)(void *ctx, const char *state,
						 const char *channel,
						 int64_t n),
				void *ctx)
{
	FAULT(tx);
	PGresult *r;
	enum hh_rc rc = RUN(tx, P_MSG_COUNT, NULL, &r);
	if (rc != HH_OK)
		return rc;
	int n = PQntuples(r);
	for (int i = 0; i < n && rc == HH_OK; i++)
		rc = cb(ctx, PQgetvalue(r, i, 0),
			PQgetisnull(r, i, 1) ? NULL : PQgetvalue(r, i, 1),
			g_int(r, i, 2));
	PQclear(r);
	return rc;
}

static enum hh_rc message_oldest_queued(struct hh_tx *tx, int64_t *created_at)
{
	FAULT(tx);
	return RUN_INT(tx, P_MSG_OLDEST, NULL, created_at);
}

static enum hh_rc message_letter(struct hh_tx *tx, struct hh_arena *a,
				 int64_t letter_id, struct hh_letter *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, letter_id);
	PG_ONE_ROW(tx, P_MSG_LETTER, &p, letter_row_pdf, a, out);
}

static enum hh_rc org_cvr_put(struct hh_tx *tx, int64_t org_id,
			      const char *cvr)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, org_id);
	p_text(&p, cvr);
	return RUN(tx, P_ORG_CVR_PUT, &p, NULL);
}

static void text_row(struct hh_arena *a, const PGresult *r, int i,
		     const char **out)
{
	*out = g_text(a, r, i, 0);
}

static enum hh_rc org_cvr_get(struct hh_tx *tx, struct hh_arena *a,
			      int64_t org_id, const char **cvr)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, org_id);
	PG_ONE_ROW(tx, P_ORG_CVR_GET, &p, text_row, a, cvr);
}

static enum hh_rc citizen_post_set(struct hh_tx *tx,
				   const struct hh_citizen *c)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, c->id);
	p_text(&p, c->address);
	p_text(&p, c->postcode);
	p_text(&p, c->city);
	p_int(&p, c->dp_exempt_since);
	p_text(&p, c->dp_exempt_since ? c->dp_exempt_reason : NULL);
	int64_t id;
	return RUN_INT(tx, P_CIT_POST_SET, &p, &id);
}

static void batch_row(struct hh_arena *a, const PGresult *r, int i,
		      struct hh_print_batch *b)
{
	b->id = g_int(r, i, 0);
	b->org_id = g_int(r, i, 1);
	b->day = g_text(a, r, i, 2);
	b->seq = g_int(r, i, 3);
	b->file = g_text(a, r, i, 4);
	b->letters = g_int(r, i, 5);
	b->pages = g_int(r, i, 6);
	b->created_at = g_int(r, i, 7);
}

static enum hh_rc print_batch_insert(struct hh_tx *tx,
				     struct hh_print_batch *b)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, b->org_id);
	p_text(&p, b->day);
	p_int(&p, b->seq);
	p_text(&p, b->file);
	p_int(&p, b->letters);
	p_int(&p, b->pages);
	p_int(&p, b->created_at);
	enum hh_rc rc = RUN_INT(tx, P_PRINT_INSERT, &p, &b->id);
	return rc == HH_ERR_NOT_FOUND ? HH_ERR_CONFLICT : rc;
}

static enum hh_rc print_batch_next_seq(struct hh_tx *tx, int64_t org_id,
				       const char *day, int64_t *seq)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, org_id);
	p_text(&p, day);
	return RUN_INT(tx, P_PRINT_NEXT_SEQ, &p, seq);
}

static enum hh_rc print_batch_get(struct hh_tx *tx, struct hh_arena *a,
				  int64_t id, struct hh_print_batch *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, id);
	PG_ONE_ROW(tx, P_PRINT_GET, &p, batch_row, a, out);
}

static enum hh_rc print_batch_list(struct hh_tx *tx, struct hh_arena *a,
				   int64_t org_id, int64_t limit,
				   hh_print_batch_cb cb, void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, org_id);
	p_limit(&p, limit);
	PG_MANY_ROWS(tx, P_PRINT_LIST, &p, struct hh_print_batch, batch_row, a,
		     cb, ctx);
}

void hh_pg_fill_letters(struct hh_store *s)
{
	s->letter_insert = letter_insert;
	s->letter_update = letter_update;
	s->letter_get = letter_get;
	s->letter_list_case = letter_list_case;
	s->letter_list_approval = letter_list_approval;
	s->message_insert = message_insert;
	s->message_count_letter = message_count_letter;
	s->inbox_list = inbox_list;
	s->inbox_count = inbox_count;
	s->inbox_get = inbox_get;
	s->inbox_mark_read = inbox_mark_read;
	s->inbox_letter_insert = inbox_letter_insert;
	s->message_claim = message_claim;
	s->message_list = message_list;
	s->message_print_wait = message_print_wait;
	s->message_get = message_get;
	s->message_get_by_uuid = message_get_by_uuid;
	s->message_update = message_update;
	s->message_count = message_count;
	s->message_oldest_queued = message_oldest_queued;
	s->message_letter = message_letter;
	s->org_cvr_put = org_cvr_put;
	s->org_cvr_get = org_cvr_get;
	s->citizen_post_set = citizen_post_set;
	s->print_batch_insert = print_batch_insert;
	s->print_batch_next_seq = print_batch_next_seq;
	s->print_batch_get = print_batch_get;
	s->print_batch_list = print_batch_list;
}
