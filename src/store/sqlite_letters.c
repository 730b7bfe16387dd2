/* sqlite_letters.c - the SQLite backend: letters on cases and the Digital
 * Post messages that carry them (0015_letters.sql), as domain/letters.c
 * writes and reads them. */
#include "store/sqlite_int.h"

#include <stdio.h>
#include <string.h>

#include "core/util.h"

typedef enum hh_rc (*hh_letter_cb)(void *ctx, const struct hh_letter *l);

static const char *const stmt_sql[S__COUNT] = {
	[S_LETTER_INSERT] =
		"INSERT INTO letters(organisation_id, case_id, citizen_id, kind, "
		"template, state, decision, title, body, fields, reply_allowed, "
		"reply_by, author_id, version, created_at, updated_at, party_event) "
		"VALUES (?1, nullif(?2, 0), nullif(?3, 0), ?4, ?5, ?6, ?7, ?8, ?9, "
		"?10, ?11, nullif(?12, 0), nullif(?13, 0), 1, ?14, ?14, ?15)",
	[S_LETTER_UPDATE] =
		"UPDATE letters SET state = ?3, decision = ?4, title = ?5, "
		"body = ?6, fields = ?7, reply_allowed = ?8, "
		"reply_by = nullif(?9, 0), approver_id = nullif(?10, 0), "
		"approved_at = nullif(?11, 0), sent_at = nullif(?12, 0), "
		"pdf = ?13, message_id = ?14, updated_at = ?15, "
		"version = version + 1 WHERE id = ?1 AND version = ?2 "
		"RETURNING version",
	[S_LETTER_GET] = "SELECT " HH_SQ_LETTER_COLS HH_SQ_LETTER_PDF
			 HH_SQ_LETTER_FROM
			 "WHERE l.id = ?1",
	[S_LETTER_LIST_CASE] = "SELECT " HH_SQ_LETTER_COLS HH_SQ_LETTER_FROM
			       "WHERE l.case_id = ?1 ORDER BY l.id",
	[S_LETTER_LIST_APPROVAL] = "SELECT " HH_SQ_LETTER_COLS HH_SQ_LETTER_FROM
				   "WHERE l.organisation_id = ?1 AND "
				   "l.state = 'awaiting_approval' ORDER BY l.id",
	[S_MESSAGE_INSERT] =
		"INSERT INTO messages(message_id, letter_id, organisation_id, "
		"citizen_id, channel, state, next_attempt_at, created_at, "
		"updated_at) VALUES (?1, ?2, ?3, nullif(?4, 0), ?5, ?6, ?7, ?8, ?8)",
	[S_MESSAGE_COUNT] = "SELECT count(*) FROM messages WHERE letter_id = ?1",
};

void hh_sq_letter_row(struct hh_arena *a, sqlite3_stmt *st, struct hh_letter *l)
{
	memset(l, 0, sizeof(*l));
	l->id = sqlite3_column_int64(st, 0);
	l->org_id = sqlite3_column_int64(st, 1);
	l->case_id = sqlite3_column_int64(st, 2);
	l->citizen_id = sqlite3_column_int64(st, 3);
	l->kind = col_text(a, st, 4);
	l->template_code = col_text(a, st, 5);
	l->state = col_text(a, st, 6);
	l->decision = col_text(a, st, 7);
	l->title = col_text(a, st, 8);
	l->body = col_text(a, st, 9);
	l->fields = col_text(a, st, 10);
	l->reply_allowed = sqlite3_column_int(st, 11) != 0;
	l->reply_by = sqlite3_column_int64(st, 12);
	l->author_id = sqlite3_column_int64(st, 13);
	l->approver_id = sqlite3_column_int64(st, 14);
	l->version = sqlite3_column_int64(st, 15);
	l->created_at = sqlite3_column_int64(st, 16);
	l->updated_at = sqlite3_column_int64(st, 17);
	l->approved_at = sqlite3_column_int64(st, 18);
	l->sent_at = sqlite3_column_int64(st, 19);
	l->read_at = sqlite3_column_int64(st, 20);
	l->message_id = col_text(a, st, 21);
	l->org_name = col_text(a, st, 22);
	l->author_name = col_text(a, st, 23);
	l->approver_name = col_text(a, st, 24);
	l->case_type_name = col_text(a, st, 25);
	l->pdf_len = (size_t)sqlite3_column_int64(st, 26);
	l->case_journal_no = col_text(a, st, 27);
}

void hh_sq_letter_row_pdf(struct hh_arena *a, sqlite3_stmt *st,
			  struct hh_letter *l)
{
	hh_sq_letter_row(a, st, l);
	l->pdf = col_blob(a, st, 28);
	l->pdf_len = l->pdf ? (size_t)sqlite3_column_bytes(st, 28) : 0;
}

static enum hh_rc letter_insert(struct hh_tx *tx, struct hh_letter *l)
{
	FAULT(tx);
	STMT(tx, S_LETTER_INSERT);
	l->created_at = l->updated_at = hh_now_us() / 1000000;
	sqlite3_bind_int64(st, 1, l->org_id);
	sqlite3_bind_int64(st, 2, l->case_id);
	sqlite3_bind_int64(st, 3, l->citizen_id);
	bind_text(st, 4, l->kind);
	bind_text(st, 5, l->template_code);
	bind_text(st, 6, l->state);
	bind_text(st, 7, l->decision);
	bind_text(st, 8, l->title);
	bind_text(st, 9, l->body);
	bind_text(st, 10, l->fields ? l->fields : "{}");
	sqlite3_bind_int(st, 11, l->reply_allowed);
	sqlite3_bind_int64(st, 12, l->reply_by);
	sqlite3_bind_int64(st, 13, l->author_id);
	sqlite3_bind_int64(st, 14, l->created_at);
	bind_text(st, 15, l->party_event);
	enum hh_rc r = hh_sq_exec(tx, st);
	if (r == HH_OK) {
		l->id = sqlite3_last_insert_rowid(db_of(tx));
		l->version = 1;
	}
	return r;
}

static enum hh_rc letter_update(struct hh_tx *tx, struct hh_letter *l,
				int64_t expected)
{
	FAULT(tx);
	STMT(tx, S_LETTER_UPDATE);
	l->updated_at = hh_now_us() / 1000000;
	sqlite3_bind_int64(st, 1, l->id);
	sqlite3_bind_int64(st, 2, expected);
	bind_text(st, 3, l->state);
	bind_text(st, 4, l->decision);
	bind_text(st, 5, l->title);
	bind_text(st, 6, l->body);
	bind_text(st, 7, l->fields ? l->fields : "{}");
	sqlite3_bind_int(st, 8, l->reply_allowed);
	sqlite3_bind_int64(st, 9, l->reply_by);
	sqlite3_bind_int64(st, 10, l->approver_id);
	sqlite3_bind_int64(st, 11, l->approved_at);
	sqlite3_bind_int64(st, 12, l->sent_at);
	if (l->pdf)
		sqlite3_bind_blob(st, 13, l->pdf, (int)l->pdf_len, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 13);
	bind_text(st, 14, l->message_id);
	sqlite3_bind_int64(st, 15, l->updated_at);
	int rc = sqlite3_step(st);
	enum hh_rc r;
	if (rc == SQLITE_ROW) {
		l->version = sqlite3_column_int64(st, 0);
		r = HH_OK;
	} else {
		r = rc == SQLITE_DONE ? HH_ERR_CONFLICT : hh_sq_map_rc(db_of(tx), rc);
	}
	done(st);
	return r;
}

static enum hh_rc letter_get(struct hh_tx *tx, struct hh_arena *a, int64_t id,
			     struct hh_letter *out)
{
	FAULT(tx);
	STMT(tx, S_LETTER_GET);
	sqlite3_bind_int64(st, 1, id);
	ONE_ROW(tx, st, hh_sq_letter_row_pdf, a, out);
}

static enum hh_rc letter_list_case(struct hh_tx *tx, struct hh_arena *a,
				   int64_t case_id, hh_letter_cb cb, void *ctx)
{
	FAULT(tx);
	STMT(tx, S_LETTER_LIST_CASE);
	sqlite3_bind_int64(st, 1, case_id);
	MANY_ROWS(tx, st, struct hh_letter, hh_sq_letter_row, a, cb, ctx);
}

static enum hh_rc letter_list_approval(struct hh_tx *tx, struct hh_arena *a,
				       int64_t org_id, hh_letter_cb cb, void *ctx)
{
	FAULT(tx);
	STMT(tx, S_LETTER_LIST_APPROVAL);
	sqlite3_bind_int64(st, 1, org_id);
	MANY_ROWS(tx, st, struct hh_letter, hh_sq_letter_row, a, cb, ctx);
}

static enum hh_rc message_insert(struct hh_tx *tx, struct hh_message *m)
{
	FAULT(tx);
	STMT(tx, S_MESSAGE_INSERT);
	m->created_at = m->updated_at = hh_now_us() / 1000000;
	bind_text(st, 1, m->message_id);
	sqlite3_bind_int64(st, 2, m->letter_id);
	sqlite3_bind_int64(st, 3, m->org_id);
	sqlite3_bind_int64(st, 4, m->citizen_id);
	bind_text(st, 5, m->channel);
	bind_text(st, 6, m->state ? m->state : "queued");
	sqlite3_bind_int64(st, 7, m->next_attempt_at);
	sqlite3_bind_int64(st, 8, m->created_at);
	enum hh_rc r = hh_sq_exec(tx, st);
	if (r == HH_OK)
		m->id = sqlite3_last_insert_rowid(db_of(tx));
	return r;
}

static enum hh_rc message_count_letter(struct hh_tx *tx, int64_t letter_id,
				       int64_t *n)
{
	FAULT(tx);
	STMT(tx, S_MESSAGE_COUNT);
	sqlite3_bind_int64(st, 1, letter_id);
	return hh_sq_step_int64(tx, st, n);
}

void hh_sq_fill_letters(struct hh_store *s)
{
	s->letter_insert = letter_insert;
	s->letter_update = letter_update;
	s->letter_get = letter_get;
	s->letter_list_case = letter_list_case;
	s->letter_list_approval = letter_list_approval;
	s->message_insert = message_insert;
	s->message_count_letter = message_count_letter;
}
