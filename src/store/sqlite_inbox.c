/* sqlite_inbox.c - the SQLite backend: the citizen's inbox, the sent
 * letters of one citizen as domain/inbox.h reads them (store.h's inbox
 * block). */
#include "store/sqlite_int.h"

static const char *const stmt_sql[S__COUNT] = {
	/* the partial index letters_inbox (0019) gives this order */
	[S_INBOX_LIST] = "SELECT " HH_SQ_LETTER_COLS HH_SQ_LETTER_FROM
			 "WHERE l.citizen_id = ?1 AND l.state = 'sent' "
			 "ORDER BY l.sent_at DESC, l.id DESC LIMIT ?2 OFFSET ?3",
	[S_INBOX_COUNT] = "SELECT count(*), count(*) - count(read_at) FROM "
			  "letters WHERE citizen_id = ?1 AND state = 'sent'",
	[S_INBOX_GET] = "SELECT " HH_SQ_LETTER_COLS HH_SQ_LETTER_PDF
			HH_SQ_LETTER_FROM
			"WHERE l.id = ?1",
	[S_INBOX_MARK_READ] = "UPDATE letters SET read_at = ?2 WHERE id = ?1 "
			      "AND state = 'sent' AND read_at IS NULL",
	[S_INBOX_INSERT] =
		"INSERT INTO letters(organisation_id, case_id, citizen_id, kind, "
		"template, state, decision, title, body, fields, reply_allowed, "
		"reply_by, author_id, approver_id, version, created_at, "
		"updated_at, approved_at, sent_at, read_at, pdf, message_id) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
		"?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)",
};

static enum hh_rc inbox_list(struct hh_tx *tx, struct hh_arena *a,
			     int64_t citizen_id, int64_t offset, int64_t limit,
			     hh_inbox_cb cb, void *ctx)
{
	FAULT(tx);
	STMT(tx, S_INBOX_LIST);
	sqlite3_bind_int64(st, 1, citizen_id);
	sqlite3_bind_int64(st, 2, limit > 0 ? limit : -1);
	sqlite3_bind_int64(st, 3, offset > 0 ? offset : 0);
	MANY_ROWS(tx, st, struct hh_letter, hh_sq_letter_row, a, cb, ctx);
}

static enum hh_rc inbox_count(struct hh_tx *tx, int64_t citizen_id,
			      int64_t *total, int64_t *unread)
{
	FAULT(tx);
	STMT(tx, S_INBOX_COUNT);
	sqlite3_bind_int64(st, 1, citizen_id);
	int rc = sqlite3_step(st);
	enum hh_rc r = HH_OK;
	if (rc == SQLITE_ROW) {
		if (total)
			*total = sqlite3_column_int64(st, 0);
		if (unread)
			*unread = sqlite3_column_int64(st, 1);
	} else {
		r = hh_sq_map_rc(db_of(tx), rc);
	}
	done(st);
	return r;
}

static enum hh_rc inbox_get(struct hh_tx *tx, struct hh_arena *a, int64_t id,
			    struct hh_letter *out)
{
	FAULT(tx);
	STMT(tx, S_INBOX_GET);
	sqlite3_bind_int64(st, 1, id);
	ONE_ROW(tx, st, hh_sq_letter_row_pdf, a, out);
}

static enum hh_rc inbox_mark_read(struct hh_tx *tx, int64_t id, int64_t at,
				  int *marked)
{
	FAULT(tx);
	STMT(tx, S_INBOX_MARK_READ);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, at);
	enum hh_rc r = hh_sq_exec(tx, st);
	if (r == HH_OK && marked)
		*marked = sqlite3_changes(db_of(tx)) > 0;
	return r;
}

static void bind_id(sqlite3_stmt *st, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

static enum hh_rc inbox_letter_insert(struct hh_tx *tx, struct hh_letter *l)
{
	FAULT(tx);
	STMT(tx, S_INBOX_INSERT);
	sqlite3_bind_int64(st, 1, l->org_id);
	bind_id(st, 2, l->case_id);
	bind_id(st, 3, l->citizen_id);
	bind_text(st, 4, l->kind);
	bind_text(st, 5, l->template_code);
	bind_text(st, 6, l->state);
	bind_text(st, 7, l->decision);
	bind_text(st, 8, l->title);
	bind_text(st, 9, l->body);
	bind_text(st, 10, l->fields ? l->fields : "{}");
	sqlite3_bind_int(st, 11, l->reply_allowed != 0);
	bind_id(st, 12, l->reply_by);
	sqlite3_bind_int64(st, 13, l->author_id);
	bind_id(st, 14, l->approver_id);
	sqlite3_bind_int64(st, 15, l->version ? l->version : 1);
	sqlite3_bind_int64(st, 16, l->created_at);
	sqlite3_bind_int64(st, 17, l->updated_at ? l->updated_at : l->created_at);
	bind_id(st, 18, l->approved_at);
	bind_id(st, 19, l->sent_at);
	bind_id(st, 20, l->read_at);
	if (l->pdf)
		sqlite3_bind_blob(st, 21, l->pdf, (int)l->pdf_len, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 21);
	bind_text(st, 22, l->message_id);
	enum hh_rc r = hh_sq_exec(tx, st);
	if (r == HH_OK)
		l->id = sqlite3_last_insert_rowid(db_of(tx));
	return r;
}

void hh_sq_fill_inbox(struct hh_store *st)
{
	st->inbox_list = inbox_list;
	st->inbox_count = inbox_count;
	st->inbox_get = inbox_get;
	st->inbox_mark_read = inbox_mark_read;
	st->inbox_letter_insert = inbox_letter_insert;
}
