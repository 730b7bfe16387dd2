/* inbox.c - the citizen's inbox: list, open, mark read, reply (see
 * inbox.h for the rules). */
#include "domain/inbox.h"

#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "domain/access.h"
#include "domain/cases.h"
#include "domain/inquiries.h"
#include "domain/letterdoc.h"
#include "domain/messages.h"

/* Is who a signed-in citizen with the right to act on their inbox? */
static enum hh_rc citizen_only(const struct hh_actor *who,
			       enum hh_access_action act)
{
	enum hh_rc rc = hh_access(who, HH_RES_INBOX, act, NULL);
	if (rc == HH_OK && !who->citizen_id)
		rc = HH_ERR_FORBIDDEN; /* a tool's system actor has no inbox */
	return rc;
}

/* The letter l is who's to see: sent, and to who. */
static enum hh_rc letter_visible(const struct hh_actor *who,
				 enum hh_access_action act,
				 const struct hh_letter *l)
{
	if (!l->state || strcmp(l->state, "sent"))
		return HH_ERR_NOT_FOUND; /* drafts never reach the citizen */
	struct hh_owner o = { l->org_id, l->citizen_id };
	return hh_access(who, HH_RES_INBOX, act, &o);
}

/* ---- the list --------------------------------------------------------- */

struct list_ctx {
	struct hh_arena *a;
	int64_t citizen_id, offset, limit;
	struct hh_inbox_page *out;
};

static enum hh_rc list_row(void *p, const struct hh_letter *l)
{
	struct list_ctx *c = p;
	c->out->items[c->out->n++] = *l;
	return HH_OK;
}

static enum hh_rc list_tx(struct hh_tx *tx, void *p)
{
	struct list_ctx *c = p;
	c->out->n = 0;
	enum hh_rc rc = tx->store->inbox_count(tx, c->citizen_id, &c->out->total,
					       &c->out->unread);
	if (rc == HH_OK)
		rc = tx->store->inbox_list(tx, c->a, c->citizen_id, c->offset,
					   c->limit, list_row, c);
	return rc;
}

enum hh_rc hh_inbox_list(struct hh_store *st, struct hh_arena *a,
			 const struct hh_actor *who, int64_t offset,
			 int64_t limit, struct hh_inbox_page *out)
{
	memset(out, 0, sizeof(*out));
	enum hh_rc rc = citizen_only(who, HH_ACT_READ);
	if (rc != HH_OK)
		return rc;
	if (limit < 1 || limit > HH_INBOX_PAGE_MAX)
		limit = HH_INBOX_PAGE;
	struct list_ctx c = { a, who->citizen_id, offset > 0 ? offset : 0, limit, out };
	out->items = hh_arena_calloc(a, (size_t)limit * sizeof(*out->items));
	return hh_store_run_tx(st, 0, list_tx, &c);
}

struct unread_ctx {
	int64_t citizen_id;
	int64_t *unread;
};

static enum hh_rc unread_tx(struct hh_tx *tx, void *p)
{
	struct unread_ctx *c = p;
	return tx->store->inbox_count(tx, c->citizen_id, NULL, c->unread);
}

enum hh_rc hh_inbox_unread(struct hh_store *st, const struct hh_actor *who,
			   int64_t *unread)
{
	*unread = 0;
	enum hh_rc rc = citizen_only(who, HH_ACT_READ);
	if (rc != HH_OK)
		return rc;
	struct unread_ctx c = { who->citizen_id, unread };
	return hh_store_run_tx(st, 0, unread_tx, &c);
}

/* ---- where a reply goes ------------------------------------------------ */

struct question_ctx {
	struct hh_arena *a;
	const char *question;
};

static enum hh_rc question_row(void *p, const struct hh_event *e)
{
	struct question_ctx *q = p;
	if (strcmp(e->action, "request") || !e->after)
		return HH_OK;
	json_error_t err;
	json_t *j = json_loads(e->after, 0, &err);
	const char *s = json_string_value(json_object_get(j, "question"));
	if (s)
		q->question = hh_arena_strdup(q->a, s); /* oldest first: last wins */
	json_decref(j);
	return HH_OK;
}

/* Where a reply to l goes now; *question gets the request an answer
 * answers (may be NULL). */
static enum hh_rc reply_kind(struct hh_tx *tx, struct hh_arena *a,
			     const struct hh_letter *l,
			     enum hh_inbox_reply_kind *kind,
			     const char **question)
{
	*kind = HH_INBOX_REPLY_NONE;
	if (question)
		*question = NULL;
	if (!l->reply_allowed)
		return HH_OK;
	*kind = HH_INBOX_REPLY_INQUIRY;
	if (!l->case_id)
		return HH_OK;
	struct hh_case c;
	enum hh_rc rc = tx->store->case_get(tx, a, l->case_id, &c);
	if (rc == HH_ERR_NOT_FOUND)
		return HH_OK;
	if (rc != HH_OK)
		return rc;
	if (c.closed_at || c.citizen_id != l->citizen_id)
		return HH_OK; /* nobody works it: the organisation answers */
	*kind = HH_INBOX_REPLY_CASE_EVENT;
	struct hh_case_type row;
	struct hh_case_type_def def;
	rc = hh_case_type_load(tx, a, NULL, c.case_type_id, &row, &def);
	if (rc != HH_OK)
		return rc;
	/* waiting in the state a request puts it in: the reply answers */
	const struct hh_ct_state *cur = hh_ct_state(&def, c.state);
	if (cur && cur == hh_ct_paused(&def))
		*kind = HH_INBOX_REPLY_ANSWER;
	hh_case_type_def_clear(&def);
	if (*kind == HH_INBOX_REPLY_ANSWER && question) {
		struct question_ctx q = { a, NULL };
		rc = tx->store->event_list(tx, a, "case", c.id, question_row, &q);
		*question = q.question;
	}
	return rc;
}

/* ---- opening a letter -------------------------------------------------- */

struct open_ctx {
	const struct hh_actor *who;
	struct hh_arena *a;
	int64_t id;
	struct hh_inbox_letter *out;
	int64_t now;
};

static enum hh_rc open_tx(struct hh_tx *tx, void *p)
{
	struct open_ctx *c = p;
	struct hh_inbox_letter *o = c->out;
	enum hh_rc rc = tx->store->inbox_get(tx, c->a, c->id, &o->l);
	if (rc != HH_OK)
		return rc;
	rc = letter_visible(c->who, HH_ACT_READ, &o->l);
	/* r-letters: a letter to the other party that quotes the address
	 * of an applicant protected since it was written is held (the
	 * error queue, domain/messages.c); its recipient no longer reads
	 * its text or PDF here either */
	const char *held = NULL;
	if (rc == HH_OK)
		rc = hh_message_party_letter_held_tx(tx, c->a, &o->l, &held);
	if (rc == HH_OK && held) {
		o->l.body = "Brevet kan ikke vises længere, fordi det indeholder "
			    "oplysninger, som nu er beskyttede. Vi sender dig et "
			    "nyt brev, hvis der er noget, du skal gøre.";
		o->l.pdf = NULL;
		o->l.pdf_len = 0;
	}
	if (rc == HH_OK)
		rc = hh_letter_doc_build(tx, c->a, &o->l, 0, &o->doc);
	if (rc == HH_OK)
		rc = reply_kind(tx, c->a, &o->l, &o->reply, &o->question);
	return rc;
}

static enum hh_rc mark_tx(struct hh_tx *tx, void *p)
{
	struct open_ctx *c = p;
	return tx->store->inbox_mark_read(tx, c->id, c->now, &c->out->first_read);
}

enum hh_rc hh_inbox_open(struct hh_store *st, struct hh_arena *a,
			 const struct hh_actor *who, int64_t id,
			 struct hh_inbox_letter *out)
{
	memset(out, 0, sizeof(*out));
	enum hh_rc rc = citizen_only(who, HH_ACT_READ);
	if (rc != HH_OK)
		return rc;
	struct open_ctx c = { who, a, id, out, hh_now_us() / 1000000 };
	rc = hh_store_run_tx(st, 0, open_tx, &c);
	if (rc != HH_OK || out->l.read_at)
		return rc;
	/* the first opening: one short write, only then */
	enum hh_rc mrc = hh_store_run_tx(st, 1, mark_tx, &c);
	if (mrc != HH_OK)
		hh_log(HH_LOG_WARN, "letter %lld: not marked read: %s", (long long)id,
		       hh_rc_name(mrc));
	else if (out->first_read)
		out->l.read_at = c.now;
	return HH_OK;
}

/* ---- replying ---------------------------------------------------------- */

struct reply_ctx {
	const struct hh_actor *who;
	struct hh_arena *a;
	int64_t id;
	const char *text;
	struct hh_letter l;
	enum hh_inbox_reply_kind kind; /* as decided before the write */
	struct hh_inbox_reply_result *out;
	int64_t org_id;                /* for hh_store_changed */
	enum hh_inbox_fault fault;
};

static enum hh_rc decide_tx(struct hh_tx *tx, void *p)
{
	struct reply_ctx *c = p;
	enum hh_rc rc = tx->store->inbox_get(tx, c->a, c->id, &c->l);
	if (rc == HH_OK)
		rc = letter_visible(c->who, HH_ACT_READ, &c->l);
	if (rc == HH_OK)
		rc = reply_kind(tx, c->a, &c->l, &c->kind, NULL);
	return rc;
}

static char *reply_json(const struct hh_letter *l, const char *text)
{
	json_t *j = json_pack("{s:I, s:s, s:s}", "letter_id", (json_int_t)l->id,
			      "letter_title", l->title, "reply", text);
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	return s;
}

/* A repeat of the same reply (a double click, a POST the browser sent
 * again) is not written twice: the citizen's latest reply to the letter
 * on the case, or an open inquiry of theirs with the same note, is the
 * one the repeat would make. */
struct repeat_ctx {
	struct hh_arena *a;
	int64_t letter_id;
	const char *text;  /* the case event's reply, or the inquiry's note */
	int64_t found;     /* the event's case or the inquiry; 0: none */
	int last_same;     /* the latest reply to the letter is this text */
};

static enum hh_rc repeat_event(void *p, const struct hh_event *e)
{
	struct repeat_ctx *r = p;
	if (strcmp(e->action, "letter_reply") || !e->after)
		return HH_OK;
	json_error_t err;
	json_t *j = json_loads(e->after, 0, &err);
	if (json_integer_value(json_object_get(j, "letter_id")) == r->letter_id) {
		const char *was = json_string_value(json_object_get(j, "reply"));
		r->last_same = was && !strcmp(was, r->text); /* oldest first */
	}
	json_decref(j);
	return HH_OK;
}

static enum hh_rc repeat_inquiry(void *p, const struct hh_inquiry *q)
{
	struct repeat_ctx *r = p;
	if (!r->found && q->note && !strcmp(q->note, r->text))
		r->found = q->id;
	return HH_OK;
}

/* A case event or an inquiry, after checking in this transaction that
 * the letter still calls for the kind decided. */
static enum hh_rc write_tx(struct hh_tx *tx, void *p)
{
	struct reply_ctx *c = p;
	struct hh_store *st = tx->store;
	enum hh_inbox_reply_kind now;
	enum hh_rc rc = st->inbox_get(tx, c->a, c->id, &c->l);
	if (rc == HH_OK)
		rc = letter_visible(c->who, HH_ACT_CHANGE, &c->l);
	if (rc == HH_OK)
		rc = reply_kind(tx, c->a, &c->l, &now, NULL);
	if (rc != HH_OK)
		return rc;
	if (now != c->kind) {
		c->fault = HH_INBOX_STALE;
		return HH_ERR_CONFLICT;
	}
	const char *actor = hh_arena_printf(c->a, "citizen:%lld",
					    (long long)c->who->citizen_id);
	if (c->kind == HH_INBOX_REPLY_CASE_EVENT) {
		struct hh_case k;
		rc = st->case_get(tx, c->a, c->l.case_id, &k);
		if (rc != HH_OK)
			return rc;
		c->out->case_id = k.id;
		c->org_id = k.org_id;
		struct repeat_ctx r = { c->a, c->l.id, c->text, 0, 0 };
		rc = st->event_list(tx, c->a, "case", k.id, repeat_event, &r);
		if (rc != HH_OK || r.last_same)
			return rc; /* sent before: nothing more to write */
		char *after = reply_json(&c->l, c->text);
		struct hh_event e = { .actor = actor, .org_id = k.org_id,
				      .entity = "case", .entity_id = k.id,
				      .action = "letter_reply", .after = after };
		rc = st->event_append(tx, &e);
		free(after);
		return rc;
	}
	/* an inquiry to the letter's organisation, naming the letter */
	struct hh_inquiry q = { .org_id = c->l.org_id, .channel = "web",
				.citizen_id = c->who->citizen_id,
				.outcome = "open" };
	q.note = c->l.case_id
			 ? hh_arena_printf(c->a, "Svar på brevet »%s« (brev %lld, sag %lld)."
						 "\n\n%s",
					   c->l.title, (long long)c->l.id,
					   (long long)c->l.case_id, c->text)
			 : hh_arena_printf(c->a, "Svar på brevet »%s« (brev %lld).\n\n%s",
					   c->l.title, (long long)c->l.id, c->text);
	struct repeat_ctx r = { c->a, c->l.id, q.note, 0, 0 };
	struct hh_inquiry_filter open = { .org_id = q.org_id, .citizen_id = q.citizen_id,
					  .open_only = 1 };
	rc = st->inquiry_list(tx, c->a, &open, 0, 0, NULL, repeat_inquiry, &r);
	if (rc != HH_OK)
		return rc;
	c->org_id = q.org_id;
	if (r.found) { /* sent before, and not answered yet */
		c->out->inquiry_id = r.found;
		return HH_OK;
	}
	rc = st->inquiry_insert(tx, &q);
	if (rc != HH_OK)
		return rc;
	json_t *state = hh_inquiry_json(&q);
	json_object_set_new(state, "letter_id", json_integer(c->l.id));
	char *after = json_dumps(state, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(state);
	struct hh_event e = { .actor = actor, .org_id = q.org_id, .entity = "inquiry",
			      .entity_id = q.id, .action = "create", .after = after };
	rc = st->event_append(tx, &e);
	free(after);
	c->out->inquiry_id = q.id;
	return rc;
}

static int blank(const char *s)
{
	for (; s && *s; s++)
		if (!strchr(" \t\r\n", *s))
			return 0;
	return 1;
}

static int text_ok(const char *s)
{
	if (blank(s) || !hh_utf8_valid(s, strlen(s)))
		return 0;
	size_t n = hh_utf8_len(s);
	return n >= 1 && n <= HH_INBOX_REPLY_MAX;
}

enum hh_rc hh_inbox_reply(struct hh_store *st, struct hh_arena *a,
			  const struct hh_actor *who, int64_t id,
			  const char *text, json_t *files,
			  struct hh_inbox_reply_result *out,
			  enum hh_inbox_fault *fault, const char **message)
{
	memset(out, 0, sizeof(*out));
	struct reply_ctx c = { .who = who, .a = a, .id = id, .text = text, .out = out };
	const char *msg = NULL;
	enum hh_rc rc = citizen_only(who, HH_ACT_CHANGE);
	if (rc != HH_OK)
		goto fail;
	rc = hh_store_run_tx(st, 0, decide_tx, &c);
	if (rc != HH_OK)
		goto fail;
	out->kind = c.kind;
	if (c.kind == HH_INBOX_REPLY_NONE) {
		c.fault = HH_INBOX_NOT_ALLOWED;
		msg = "Du kan ikke svare på dette brev her. Kontakt myndigheden, "
		      "hvis du har spørgsmål.";
		rc = HH_ERR_INVALID;
		goto fail;
	}
	if (!text_ok(text)) {
		c.fault = HH_INBOX_TEXT;
		msg = blank(text) ? "Skriv dit svar."
		      : !hh_utf8_valid(text, strlen(text))
			      ? "Svaret indeholder tegn, vi ikke kan læse. Skriv det igen."
			      : hh_arena_printf(a, "Dit svar må højst være %d tegn. Du har "
						   "skrevet %zu.",
						HH_INBOX_REPLY_MAX, hh_utf8_len(text));
		rc = HH_ERR_INVALID;
		goto fail;
	}
	if (c.kind == HH_INBOX_REPLY_ANSWER) {
		struct hh_case k;
		const char *file_error = NULL;
		rc = hh_case_answer_files(st, a, who, c.l.case_id, text, files, &k,
					  &file_error);
		if (rc == HH_ERR_INVALID && file_error) {
			c.fault = HH_INBOX_FILES;
			msg = file_error;
		} else if (rc == HH_ERR_INVALID || rc == HH_ERR_CONFLICT) {
			/* it stopped waiting between the two looks */
			c.fault = HH_INBOX_STALE;
			rc = HH_ERR_CONFLICT;
		}
		if (rc == HH_OK)
			out->case_id = k.id;
		goto fail;
	}
	if (json_array_size(files)) {
		c.fault = HH_INBOX_FILES;
		msg = "Du kan kun vedhæfte filer, når sagsbehandleren har bedt dig "
		      "om oplysninger. Skriv dit svar uden filer.";
		rc = HH_ERR_INVALID;
		goto fail;
	}
	rc = hh_store_run_tx(st, 1, write_tx, &c);
	if (rc == HH_OK)
		hh_store_changed(st, &(struct hh_change){
					     c.kind == HH_INBOX_REPLY_CASE_EVENT ? "case"
										 : "inquiry",
					     c.kind == HH_INBOX_REPLY_CASE_EVENT ? out->case_id
										 : out->inquiry_id,
					     c.org_id,
					     c.kind == HH_INBOX_REPLY_CASE_EVENT ? "letter_reply"
										 : "create" });
	else if (rc == HH_ERR_CONFLICT && c.fault == HH_INBOX_STALE)
		msg = NULL;
fail:
	if (c.fault == HH_INBOX_STALE && !msg)
		msg = "Sagen har ændret sig, mens du skrev. Åbn brevet igen, og send "
		      "dit svar igen.";
	if (fault)
		*fault = c.fault;
	if (message)
		*message = msg;
	return rc;
}

/* ---- names and JSON ---------------------------------------------------- */

const char *hh_inbox_pdf_name(struct hh_arena *a, const struct hh_letter *l)
{
	struct hh_buf b;
	hh_buf_init(&b);
	hh_buf_printf(&b, "brev-%lld-", (long long)l->id);
	size_t start = b.len;
	const unsigned char *s = (const unsigned char *)(l->title ? l->title : "");
	int dash = 1;
	while (*s && b.len - start < 60) {
		const char *put = NULL;
		char one[2] = { 0, 0 };
		size_t step = 1;
		if ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')) {
			one[0] = (char)*s;
			put = one;
		} else if (*s >= 'A' && *s <= 'Z') {
			one[0] = (char)(*s - 'A' + 'a');
			put = one;
		} else if (s[0] == 0xC3 && s[1]) {
			/* æ Æ ø Ø å Å é É ü Ü as Danish file names write them */
			switch (s[1]) {
			case 0xA6: case 0x86: put = "ae"; break;
			case 0xB8: case 0x98: put = "oe"; break;
			case 0xA5: case 0x85: put = "aa"; break;
			case 0xA9: case 0x89: put = "e"; break;
			case 0xBC: case 0x9C: put = "u"; break;
			default: break;
			}
			step = 2;
		} else if (*s >= 0x80) {
			while ((s[step] & 0xC0) == 0x80) /* skip the whole character */
				step++;
		}
		if (put) {
			hh_buf_puts(&b, put);
			dash = 0;
		} else if (!dash) {
			hh_buf_puts(&b, "-");
			dash = 1;
		}
		s += step;
	}
	while (b.len > start && b.data[b.len - 1] == '-')
		b.len--;
	if (b.len == start)
		hh_buf_puts(&b, "brev");
	hh_buf_puts(&b, ".pdf");
	const char *out = hh_arena_strndup(a, b.data, b.len);
	hh_buf_clear(&b);
	return out;
}

json_t *hh_inbox_letter_json(const struct hh_letter *l)
{
	char sent[21] = "", read[21] = "", by[21] = "";
	if (l->sent_at)
		hh_time_iso(l->sent_at, sent);
	if (l->read_at)
		hh_time_iso(l->read_at, read);
	if (l->reply_by)
		hh_time_iso(l->reply_by, by);
	json_t *j = json_pack("{s:I, s:s, s:s?, s:s, s:s?, s:b, s:b}", "id",
			      (json_int_t)l->id, "title", l->title, "kind", l->kind,
			      "organisation", l->org_name ? l->org_name : "",
			      "sent_at", l->sent_at ? sent : NULL, "read", l->read_at != 0,
			      "reply_allowed", l->reply_allowed);
	json_object_set_new(j, "read_at", l->read_at ? json_string(read) : json_null());
	json_object_set_new(j, "reply_by", l->reply_by ? json_string(by) : json_null());
	json_object_set_new(j, "case_id", l->case_id ? json_integer(l->case_id) : json_null());
	json_object_set_new(j, "case_type", l->case_type_name
						    ? json_string(l->case_type_name)
						    : json_null());
	json_object_set_new(j, "journal_no", l->case_journal_no
						     ? json_string(l->case_journal_no)
						     : json_null());
	json_object_set_new(j, "pdf_size", json_integer((json_int_t)l->pdf_len));
	return j;
}
