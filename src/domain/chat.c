/* chat.c - live chat: open, queue, take, messages, transfer, close, rate,
 * presence, status and the written inquiry; the rules are in chat.h. */
#include "domain/chat.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/access.h"
#include "domain/hours.h"

/* The side of a chat a caller is on. */
enum side { SIDE_NONE = 0, SIDE_CITIZEN, SIDE_AGENT };

static void token_hash(const char *token, unsigned char out[32])
{
	crypto_generichash(out, 32, (const unsigned char *)token, strlen(token),
			   NULL, 0);
}

static int token_holds(const char *token, const struct hh_chat *c)
{
	if (!token || strlen(token) != HH_CHAT_TOKEN_SIZE - 1 || !c->token_hash)
		return 0;
	unsigned char h[32];
	token_hash(token, h);
	return sodium_memcmp(h, c->token_hash, 32) == 0;
}

/* Which side who (or the token) is on for chat c, for action act;
 * SIDE_NONE with *rc NOT_FOUND (may not see it) or FORBIDDEN (may see,
 * not do). */
static enum side side_of(const struct hh_actor *who, const char *token,
			 const struct hh_chat *c, enum hh_access_action act,
			 enum hh_rc *rc)
{
	*rc = HH_OK;
	if (token_holds(token, c))
		return SIDE_CITIZEN;
	struct hh_owner o = { c->org_id, c->citizen_id };
	*rc = hh_access(who, HH_RES_CHAT, act, &o);
	if (*rc != HH_OK)
		return SIDE_NONE;
	if (who->citizen_id && who->citizen_id == c->citizen_id)
		return SIDE_CITIZEN;
	if (who->user_id && (who->roles & HH_ROLE_AGENT))
		return SIDE_AGENT;
	*rc = HH_ERR_FORBIDDEN; /* e.g. a token of the organisation */
	return SIDE_NONE;
}

static int agent_limit(struct hh_tx *tx, struct hh_arena *a)
{
	const char *v = NULL;
	if (tx->store->meta_get(tx, a, "chat.agent_limit", &v) == HH_OK && v) {
		int n = atoi(v);
		if (n >= 1 && n <= 1000000)
			return n;
	}
	return HH_CHAT_AGENT_LIMIT;
}

static enum hh_rc count_cb(void *ctx, const struct hh_chat *c)
{
	(void)c;
	(*(int64_t *)ctx)++;
	return HH_OK;
}

static int64_t now_s(void)
{
	return hh_now_us() / 1000000;
}

/* The inquiry's state for its events (malloc'd). */
static char *inquiry_state(const struct hh_inquiry *q)
{
	json_t *j = hh_inquiry_json(q);
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	return s;
}

static enum hh_rc inquiry_event(struct hh_tx *tx, const char *actor,
				const struct hh_inquiry *q, const char *action,
				char *before, char *after)
{
	struct hh_event e = { .actor = actor ? actor : "anonymous",
			      .org_id = q->org_id, .entity = "inquiry",
			      .entity_id = q->id, .action = action,
			      .before = before, .after = after };
	enum hh_rc rc = tx->store->event_append(tx, &e);
	free(before);
	free(after);
	return rc;
}

/* Sets the chat's inquiry's agent (an event "assign"). */
static enum hh_rc inquiry_assign(struct hh_tx *tx, struct hh_arena *a,
				 const struct hh_actor *who, int64_t inquiry_id,
				 int64_t agent_id)
{
	struct hh_inquiry q;
	enum hh_rc rc = tx->store->inquiry_get(tx, a, inquiry_id, &q);
	if (rc != HH_OK || q.agent_id == agent_id)
		return rc;
	char *before = inquiry_state(&q);
	q.agent_id = agent_id;
	rc = tx->store->inquiry_update(tx, &q, q.version);
	if (rc != HH_OK) {
		free(before);
		return rc;
	}
	return inquiry_event(tx, who->label, &q, "assign", before,
			     inquiry_state(&q));
}

/* A message of the system (the chat was taken, transferred, closed), so
 * that both sides' waiting connections learn of it in order. */
static enum hh_rc system_message(struct hh_tx *tx, int64_t chat_id,
				 const char *body)
{
	struct hh_chat_message m = { .chat_id = chat_id, .sender = "system",
				     .body = body };
	return tx->store->chat_message_append(tx, &m);
}

static void changed(struct hh_store *st, const struct hh_chat *c,
		    const char *action)
{
	hh_store_changed(st, &(struct hh_change){ "chat", c->id, c->org_id,
						   action });
}

/* The documented estimate (hh_chat_status): the place in the queue times
 * the mean wait (mean_s, -1: none known, then 2 minutes) over the agents
 * present (at least 1). */
static int64_t expected_wait(int64_t position, int64_t mean_s, int64_t agents)
{
	return position * (mean_s >= 0 ? mean_s : 120) / (agents > 0 ? agents : 1);
}

/* Fills the view's queue place, expected wait and agent name. */
static enum hh_rc view_of(struct hh_tx *tx, struct hh_arena *a,
			  struct hh_chat_view *v)
{
	v->position = 0;
	v->expected_wait_s = 0;
	v->agent_name = NULL;
	enum hh_rc rc = HH_OK;
	if (!strcmp(v->chat.state, "queued")) {
		int64_t ahead = 0, mean = -1, agents = 0;
		rc = tx->store->chat_queue_position(tx, v->chat.org_id,
						    v->chat.queued_at, v->chat.id,
						    &ahead);
		int64_t now = now_s();
		if (rc == HH_OK)
			rc = tx->store->chat_recent_wait(tx, v->chat.org_id,
							 now - 7 * 86400, 20, &mean);
		if (rc == HH_OK)
			rc = tx->store->chat_presence_count(
				tx, v->chat.org_id, now - HH_CHAT_PRESENCE_SECONDS,
				&agents);
		v->position = ahead + 1;
		v->expected_wait_s = expected_wait(v->position, mean, agents);
	} else if (v->chat.agent_id) {
		struct hh_user u;
		rc = tx->store->user_get(tx, a, v->chat.agent_id, &u);
		if (rc == HH_OK)
			v->agent_name = u.name;
		else if (rc == HH_ERR_NOT_FOUND)
			rc = HH_OK;
	}
	return rc;
}

/* ---- status ------------------------------------------------------------ */

enum hh_rc hh_chat_status(struct hh_store *st, struct hh_arena *a,
			  int64_t org_id, int64_t now,
			  struct hh_chat_status *out)
{
	memset(out, 0, sizeof(*out));
	const struct hh_hours *h = NULL;
	enum hh_rc rc = hh_hours_get(st, a, org_id, "chat", &h);
	if (rc == HH_OK) {
		out->has_hours = 1;
		out->in_hours = hh_hours_open(h, now, &out->change_at);
	} else if (rc != HH_ERR_NOT_FOUND) {
		return rc;
	}
	struct hh_tx *tx;
	rc = st->tx_begin(st->cls, 0, &tx);
	if (rc != HH_OK)
		return rc;
	int64_t mean = -1;
	rc = st->chat_presence_count(tx, org_id, now - HH_CHAT_PRESENCE_SECONDS,
				     &out->agents);
	if (rc == HH_OK)
		rc = st->chat_queue_position(tx, org_id, INT64_MAX, INT64_MAX,
					     &out->queued);
	if (rc == HH_OK)
		rc = st->chat_recent_wait(tx, org_id, now - 7 * 86400, 20, &mean);
	st->tx_rollback(tx);
	if (rc != HH_OK)
		return rc;
	out->open = out->in_hours && out->agents > 0;
	out->expected_wait_s = (out->queued + 1) * (mean >= 0 ? mean : 120) /
			       (out->agents > 0 ? out->agents : 1);
	return HH_OK;
}

/* ---- open -------------------------------------------------------------- */

struct ctx {
	const struct hh_actor *who;
	struct hh_arena *a;
	const char *token;
	int64_t id, org_id, after, limit, user_id, article_id;
	const char *text, *text2;
	int rating;
	const struct hh_inquiry_input *in;
	struct hh_chat_view *out;
	struct hh_chat_message *msg;
	struct hh_inquiry *inq;
	hh_chat_message_cb cb;
	void *cb_ctx;
	unsigned char hash[32];
	enum hh_chat_fault fault;
	enum side side;
	const char *visit; /* the browser's hh_visit cookie, or NULL */
};

static enum hh_rc refuse(struct ctx *c, enum hh_chat_fault f)
{
	c->fault = f;
	switch (f) {
	case HH_CHAT_CLOSED:
	case HH_CHAT_STATE:
	case HH_CHAT_LIMIT:
	case HH_CHAT_RATED:
		return HH_ERR_CONFLICT;
	case HH_CHAT_NOT_YOURS:
		return HH_ERR_FORBIDDEN;
	default:
		return HH_ERR_INVALID;
	}
}

static enum hh_rc open_tx(struct hh_tx *tx, void *p)
{
	struct ctx *c = p;
	struct hh_store *st = tx->store;
	c->fault = HH_CHAT_FINE;
	struct hh_org org;
	enum hh_rc rc = st->org_get(tx, c->a, c->org_id, &org);
	if (rc == HH_ERR_NOT_FOUND)
		return refuse(c, HH_CHAT_ORG);
	if (rc != HH_OK)
		return rc;
	struct hh_inquiry q = { .org_id = c->org_id, .channel = "chat",
				.citizen_id = c->who->citizen_id,
				.outcome = "open", .note = c->text };
	rc = st->inquiry_insert(tx, &q);
	if (rc == HH_OK)
		rc = inquiry_event(tx, c->who->label, &q, "create", NULL,
				   inquiry_state(&q));
	if (rc != HH_OK)
		return rc;
	struct hh_chat *ch = &c->out->chat;
	memset(ch, 0, sizeof(*ch));
	ch->org_id = c->org_id;
	ch->inquiry_id = q.id;
	ch->citizen_id = c->who->citizen_id;
	ch->token_hash = c->hash;
	ch->state = "queued";
	ch->topic = c->text;
	ch->visit = c->visit;
	rc = st->chat_insert(tx, ch);
	if (rc == HH_OK)
		rc = st->chat_get(tx, c->a, ch->id, ch);
	if (rc == HH_OK)
		rc = view_of(tx, c->a, c->out);
	return rc;
}

enum hh_rc hh_chat_open(struct hh_store *st, struct hh_arena *a,
			const struct hh_actor *who, int64_t org_id,
			const char *topic, struct hh_chat_view *out,
			char token[HH_CHAT_TOKEN_SIZE],
			enum hh_chat_fault *fault)
{
	return hh_chat_open_visit(st, a, who, org_id, topic, NULL, out, token,
				  fault);
}

enum hh_rc hh_chat_open_visit(struct hh_store *st, struct hh_arena *a,
			      const struct hh_actor *who, int64_t org_id,
			      const char *topic, const char *visit,
			      struct hh_chat_view *out,
			      char token[HH_CHAT_TOKEN_SIZE],
			      enum hh_chat_fault *fault)
{
	struct ctx c = { .who = who, .a = a, .org_id = org_id, .text = topic,
			 .out = out, .visit = visit };
	enum hh_rc rc = hh_access(who, HH_RES_CHAT, HH_ACT_CREATE, NULL);
	if (rc != HH_OK)
		goto fail;
	if (topic && (!hh_utf8_valid(topic, strlen(topic)) ||
		      hh_utf8_len(topic) > 200)) {
		rc = refuse(&c, HH_CHAT_TEXT);
		goto fail;
	}
	if (org_id <= 0) {
		rc = refuse(&c, HH_CHAT_ORG);
		goto fail;
	}
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(token, HH_CHAT_TOKEN_SIZE, raw, sizeof(raw));
	token_hash(token, c.hash);
	rc = hh_store_run_tx(st, 1, open_tx, &c);
	if (rc == HH_OK)
		changed(st, &out->chat, "queue");
fail:
	if (fault)
		*fault = c.fault;
	return rc;
}

/* ---- read -------------------------------------------------------------- */

static enum hh_rc read_tx(struct hh_tx *tx, void *p)
{
	struct ctx *c = p;
	struct hh_chat_view *v = c->out;
	enum hh_rc rc = tx->store->chat_get(tx, c->a, c->id, &v->chat);
	if (rc != HH_OK)
		return rc;
	if (side_of(c->who, c->token, &v->chat, HH_ACT_READ, &rc) == SIDE_NONE)
		return HH_ERR_NOT_FOUND;
	rc = view_of(tx, c->a, v);
	if (rc == HH_OK && c->cb)
		rc = tx->store->chat_messages(tx, c->a, c->id, c->after, c->limit,
					      c->cb, c->cb_ctx);
	return rc;
}

enum hh_rc hh_chat_get(struct hh_store *st, struct hh_arena *a,
		       const struct hh_actor *who, const char *token,
		       int64_t id, struct hh_chat_view *out)
{
	if (id <= 0)
		return HH_ERR_NOT_FOUND;
	struct ctx c = { .who = who, .a = a, .token = token, .id = id,
			 .out = out };
	return hh_store_run_tx(st, 0, read_tx, &c);
}

enum hh_rc hh_chat_messages(struct hh_store *st, struct hh_arena *a,
			    const struct hh_actor *who, const char *token,
			    int64_t id, int64_t after, int64_t limit,
			    struct hh_chat_view *out, hh_chat_message_cb cb,
			    void *ctx)
{
	if (id <= 0)
		return HH_ERR_NOT_FOUND;
	struct hh_chat_view mine;
	struct ctx c = { .who = who, .a = a, .token = token, .id = id,
			 .after = after < 0 ? 0 : after, .limit = limit,
			 .out = out ? out : &mine, .cb = cb, .cb_ctx = ctx };
	return hh_store_run_tx(st, 0, read_tx, &c);
}

/* ---- send -------------------------------------------------------------- */

/* A message's text: valid UTF-8, no control characters but newline and
 * tab, not only white space, at most HH_CHAT_MESSAGE_MAX characters. */
static enum hh_chat_fault text_fault(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (!hh_utf8_valid(s, n))
		return HH_CHAT_BAD_UTF8;
	int blank = 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if ((ch < 0x20 && ch != '\n' && ch != '\t' && ch != '\r') ||
		    ch == 0x7f)
			return HH_CHAT_BAD_UTF8;
		if (ch != ' ' && ch != '\n' && ch != '\t' && ch != '\r')
			blank = 0;
	}
	if (blank)
		return HH_CHAT_EMPTY;
	if (hh_utf8_len(s) > max)
		return HH_CHAT_TOO_LONG;
	return HH_CHAT_FINE;
}

static enum hh_rc send_tx(struct hh_tx *tx, void *p)
{
	struct ctx *c = p;
	struct hh_store *st = tx->store;
	c->fault = HH_CHAT_FINE;
	struct hh_chat ch;
	enum hh_rc rc = st->chat_get(tx, c->a, c->id, &ch);
	if (rc != HH_OK)
		return rc;
	c->side = side_of(c->who, c->token, &ch, HH_ACT_CHANGE, &rc);
	if (c->side == SIDE_NONE)
		return rc;
	if (!strcmp(ch.state, "closed"))
		return refuse(c, HH_CHAT_CLOSED);
	if (c->side == SIDE_AGENT && ch.agent_id != c->who->user_id)
		return refuse(c, HH_CHAT_NOT_YOURS);
	c->org_id = ch.org_id;
	struct hh_chat_message *m = c->msg;
	memset(m, 0, sizeof(*m));
	m->chat_id = ch.id;
	m->sender = c->side == SIDE_AGENT ? "agent" : "citizen";
	m->user_id = c->side == SIDE_AGENT ? c->who->user_id : 0;
	m->body = c->text;
	if (c->article_id) {
		if (c->side != SIDE_AGENT)
			return refuse(c, HH_CHAT_ARTICLE);
		struct hh_article art;
		rc = st->article_get_by_id(tx, c->a, c->article_id, &art);
		if (rc == HH_ERR_NOT_FOUND ||
		    (rc == HH_OK && (art.status != HH_STATUS_PUBLISHED ||
				     art.audience != HH_AUDIENCE_CITIZEN ||
				     (art.org_id && art.org_id != ch.org_id))))
			return refuse(c, HH_CHAT_ARTICLE);
		if (rc != HH_OK)
			return rc;
		m->article_id = art.id;
		m->article_title = art.title;
		m->article_slug = art.slug;
		if (!m->body || !*m->body)
			m->body = art.title;
	}
	return st->chat_message_append(tx, m);
}

enum hh_rc hh_chat_send(struct hh_store *st, struct hh_arena *a,
			const struct hh_actor *who, const char *token,
			int64_t id, const char *body, int64_t article_id,
			struct hh_chat_message *out,
			enum hh_chat_fault *fault)
{
	struct ctx c = { .who = who, .a = a, .token = token, .id = id,
			 .text = body, .article_id = article_id, .msg = out };
	enum hh_rc rc;
	if (id <= 0) {
		rc = HH_ERR_NOT_FOUND;
		goto fail;
	}
	/* the text is checked first, but its fault is only told to a
	 * caller who may see the chat (send_tx finds out) */
	enum hh_chat_fault tf = HH_CHAT_FINE;
	if (body && *body)
		tf = text_fault(body, HH_CHAT_MESSAGE_MAX);
	else if (!article_id)
		tf = HH_CHAT_EMPTY;
	if (tf != HH_CHAT_FINE) {
		struct hh_chat_view v;
		rc = hh_chat_get(st, a, who, token, id, &v);
		if (rc == HH_OK)
			rc = refuse(&c, tf);
		goto fail;
	}
	rc = hh_store_run_tx(st, 1, send_tx, &c);
	if (rc == HH_OK)
		changed(st, &(struct hh_chat){ .id = id, .org_id = c.org_id },
			"message");
fail:
	if (fault)
		*fault = c.fault;
	return rc;
}

/* ---- take, transfer ---------------------------------------------------- */

/* The chats user_id holds now. */
static enum hh_rc held(struct hh_tx *tx, struct hh_arena *a, int64_t user_id,
		       int64_t *n)
{
	*n = 0;
	return tx->store->chat_list(tx, a, 0, user_id, count_cb, n);
}

static enum hh_rc take_tx(struct hh_tx *tx, void *p)
{
	struct ctx *c = p;
	struct hh_store *st = tx->store;
	c->fault = HH_CHAT_FINE;
	struct hh_chat *ch = &c->out->chat;
	enum hh_rc rc = st->chat_get(tx, c->a, c->id, ch);
	if (rc != HH_OK)
		return rc;
	enum side s = side_of(c->who, NULL, ch, HH_ACT_CHANGE, &rc);
	if (s != SIDE_AGENT)
		return s == SIDE_NONE ? rc : HH_ERR_FORBIDDEN;
	if (strcmp(ch->state, "queued"))
		return refuse(c, !strcmp(ch->state, "closed") ? HH_CHAT_CLOSED
							     : HH_CHAT_STATE);
	int64_t n;
	rc = held(tx, c->a, c->who->user_id, &n);
	if (rc != HH_OK)
		return rc;
	if (n >= agent_limit(tx, c->a))
		return refuse(c, HH_CHAT_LIMIT);
	int64_t now = now_s();
	int64_t version = ch->version;
	ch->state = "active";
	ch->agent_id = c->who->user_id;
	ch->team = NULL;
	if (!ch->taken_at)
		ch->taken_at = now < ch->created_at ? ch->created_at : now;
	rc = st->chat_update(tx, ch, version);
	if (rc == HH_OK)
		rc = inquiry_assign(tx, c->a, c->who, ch->inquiry_id,
				    c->who->user_id);
	if (rc == HH_OK)
		rc = system_message(tx, ch->id, "En medarbejder har taget din chat.");
	if (rc == HH_OK)
		rc = st->chat_get(tx, c->a, ch->id, ch);
	if (rc == HH_OK)
		rc = view_of(tx, c->a, c->out);
	return rc;
}

enum hh_rc hh_chat_take(struct hh_store *st, struct hh_arena *a,
			const struct hh_actor *who, int64_t id,
			struct hh_chat_view *out, enum hh_chat_fault *fault)
{
	struct ctx c = { .who = who, .a = a, .id = id, .out = out };
	enum hh_rc rc = id > 0 ? hh_store_run_tx(st, 1, take_tx, &c)
			       : HH_ERR_NOT_FOUND;
	if (rc == HH_OK)
		changed(st, &out->chat, "queue");
	if (fault)
		*fault = c.fault;
	return rc;
}

static enum hh_rc transfer_tx(struct hh_tx *tx, void *p)
{
	struct ctx *c = p;
	struct hh_store *st = tx->store;
	c->fault = HH_CHAT_FINE;
	struct hh_chat *ch = &c->out->chat;
	enum hh_rc rc = st->chat_get(tx, c->a, c->id, ch);
	if (rc != HH_OK)
		return rc;
	enum side s = side_of(c->who, NULL, ch, HH_ACT_CHANGE, &rc);
	if (s != SIDE_AGENT)
		return s == SIDE_NONE ? rc : HH_ERR_FORBIDDEN;
	if (!strcmp(ch->state, "closed"))
		return refuse(c, HH_CHAT_CLOSED);
	if (ch->agent_id != c->who->user_id)
		return refuse(c, HH_CHAT_NOT_YOURS);
	int64_t version = ch->version;
	const char *note;
	if (c->user_id) {
		struct hh_user u;
		rc = st->user_get(tx, c->a, c->user_id, &u);
		if (rc == HH_ERR_NOT_FOUND ||
		    (rc == HH_OK && (u.org_id != ch->org_id || u.disabled ||
				     !(u.roles & HH_ROLE_AGENT) ||
				     u.id == c->who->user_id)))
			return refuse(c, HH_CHAT_AGENT);
		if (rc != HH_OK)
			return rc;
		int64_t n;
		rc = held(tx, c->a, u.id, &n);
		if (rc != HH_OK)
			return rc;
		if (n >= agent_limit(tx, c->a))
			return refuse(c, HH_CHAT_LIMIT);
		ch->agent_id = u.id;
		ch->team = NULL;
		note = "Din chat er givet videre til en kollega.";
	} else {
		const char *label;
		if (!c->text || !*c->text)
			return refuse(c, HH_CHAT_TEAM);
		rc = st->inquiry_code_get(tx, c->a, ch->org_id, "team", c->text,
					  &label);
		if (rc == HH_ERR_NOT_FOUND)
			return refuse(c, HH_CHAT_TEAM);
		if (rc != HH_OK)
			return rc;
		/* back in the queue at its old place: the citizen has
		 * waited once already */
		ch->state = "queued";
		ch->agent_id = 0;
		ch->team = c->text;
		note = hh_arena_printf(c->a, "Din chat er sendt videre til %s. "
					     "Vent venligst.", label);
	}
	rc = st->chat_update(tx, ch, version);
	if (rc == HH_OK)
		rc = inquiry_assign(tx, c->a, c->who, ch->inquiry_id, ch->agent_id);
	if (rc == HH_OK)
		rc = system_message(tx, ch->id, note);
	if (rc == HH_OK)
		rc = st->chat_get(tx, c->a, ch->id, ch);
	if (rc == HH_OK)
		rc = view_of(tx, c->a, c->out);
	return rc;
}

enum hh_rc hh_chat_transfer(struct hh_store *st, struct hh_arena *a,
			    const struct hh_actor *who, int64_t id,
			    int64_t to_user_id, const char *team,
			    struct hh_chat_view *out,
			    enum hh_chat_fault *fault)
{
	struct ctx c = { .who = who, .a = a, .id = id, .user_id = to_user_id,
			 .text = team, .out = out };
	enum hh_rc rc = id > 0 ? hh_store_run_tx(st, 1, transfer_tx, &c)
			       : HH_ERR_NOT_FOUND;
	if (rc == HH_OK) {
		changed(st, &out->chat, "message");
		changed(st, &out->chat, "queue");
	}
	if (fault)
		*fault = c.fault;
	return rc;
}

/* ---- close, rate ------------------------------------------------------- */

/* Reads chat id and who's side for a close; on the agent's side checks
 * the chat is theirs. */
static enum hh_rc close_check(struct hh_tx *tx, struct ctx *c)
{
	struct hh_chat *ch = &c->out->chat;
	enum hh_rc rc = tx->store->chat_get(tx, c->a, c->id, ch);
	if (rc != HH_OK)
		return rc;
	c->side = side_of(c->who, c->token, ch, HH_ACT_CHANGE, &rc);
	if (c->side == SIDE_NONE)
		return rc;
	if (!strcmp(ch->state, "closed"))
		return refuse(c, HH_CHAT_CLOSED);
	if (c->side == SIDE_AGENT && ch->agent_id != c->who->user_id)
		return refuse(c, HH_CHAT_NOT_YOURS);
	return HH_OK;
}

static enum hh_rc check_tx(struct hh_tx *tx, void *p)
{
	return close_check(tx, p);
}

static enum hh_rc close_tx(struct hh_tx *tx, void *p)
{
	struct ctx *c = p;
	c->fault = HH_CHAT_FINE;
	enum hh_rc rc = close_check(tx, c);
	if (rc != HH_OK)
		return rc;
	struct hh_chat *ch = &c->out->chat;
	int64_t version = ch->version;
	ch->state = "closed";
	ch->closed_at = now_s();
	rc = tx->store->chat_update(tx, ch, version);
	if (rc == HH_OK)
		rc = system_message(tx, ch->id,
				    c->side == SIDE_AGENT
					    ? "Medarbejderen har afsluttet chatten."
					    : "Borgeren har forladt chatten.");
	if (rc == HH_OK)
		rc = tx->store->chat_get(tx, c->a, ch->id, ch);
	if (rc == HH_OK)
		rc = view_of(tx, c->a, c->out);
	return rc;
}

enum hh_rc hh_chat_close(struct hh_store *st, struct hh_arena *a,
			 const struct hh_actor *who, const char *token,
			 int64_t id, const struct hh_inquiry_input *in,
			 struct hh_chat_view *out, enum hh_chat_fault *fault,
			 enum hh_inquiry_fault *inq_fault, const char **field)
{
	struct ctx c = { .who = who, .a = a, .token = token, .id = id,
			 .out = out };
	if (inq_fault)
		*inq_fault = HH_INQ_FINE;
	if (field)
		*field = NULL;
	enum hh_rc rc = HH_ERR_NOT_FOUND;
	if (id <= 0)
		goto fail;
	rc = hh_store_run_tx(st, 0, check_tx, &c);
	if (rc != HH_OK)
		goto fail;
	if (c.side == SIDE_AGENT) {
		/* The outcome goes through the inquiries' own rules first;
		 * should the close below then fail, a retry finds the
		 * inquiry closed already and only closes the chat. */
		if (!in || !in->outcome) {
			c.fault = HH_CHAT_OUTCOME;
			if (field)
				*field = "outcome";
			rc = HH_ERR_INVALID;
			goto fail;
		}
		struct hh_inquiry q;
		rc = hh_inquiry_get(st, a, who, out->chat.inquiry_id, &q);
		if (rc == HH_OK && !strcmp(q.outcome, "open")) {
			struct hh_inquiry after;
			rc = hh_inquiry_set_outcome(st, a, who, q.id, q.version, in,
						    &after, inq_fault, field);
			if (rc != HH_OK) {
				c.fault = HH_CHAT_OUTCOME;
				goto fail;
			}
		}
		if (rc != HH_OK)
			goto fail;
	} else if (in) {
		rc = HH_ERR_FORBIDDEN; /* the outcome is the agent's to log */
		goto fail;
	}
	rc = hh_store_run_tx(st, 1, close_tx, &c);
	if (rc == HH_OK) {
		changed(st, &out->chat, "message");
		changed(st, &out->chat, "queue");
	}
fail:
	if (fault)
		*fault = c.fault;
	return rc;
}

static enum hh_rc rate_tx(struct hh_tx *tx, void *p)
{
	struct ctx *c = p;
	c->fault = HH_CHAT_FINE;
	struct hh_chat *ch = &c->out->chat;
	enum hh_rc rc = tx->store->chat_get(tx, c->a, c->id, ch);
	if (rc != HH_OK)
		return rc;
	enum side s = side_of(c->who, c->token, ch, HH_ACT_CHANGE, &rc);
	if (s == SIDE_NONE)
		return rc;
	if (s != SIDE_CITIZEN)
		return HH_ERR_FORBIDDEN; /* the citizen rates the service */
	if (strcmp(ch->state, "closed"))
		return refuse(c, HH_CHAT_STATE);
	if (ch->rating)
		return refuse(c, HH_CHAT_RATED);
	int64_t version = ch->version;
	ch->rating = c->rating;
	ch->rating_comment = c->text2;
	rc = tx->store->chat_update(tx, ch, version);
	if (rc == HH_OK) {
		struct hh_event e = { .actor = c->who->label ? c->who->label
							      : "anonymous",
				      .org_id = ch->org_id, .entity = "chat",
				      .entity_id = ch->id, .action = "rating",
				      .after = hh_arena_printf(c->a, "{\"rating\":%d}",
							       c->rating) };
		rc = tx->store->event_append(tx, &e);
	}
	if (rc == HH_OK)
		rc = view_of(tx, c->a, c->out);
	return rc;
}

enum hh_rc hh_chat_rate(struct hh_store *st, struct hh_arena *a,
			const struct hh_actor *who, const char *token,
			int64_t id, int rating, const char *comment,
			struct hh_chat_view *out, enum hh_chat_fault *fault)
{
	struct ctx c = { .who = who, .a = a, .token = token, .id = id,
			 .rating = rating, .text2 = comment, .out = out };
	enum hh_rc rc;
	if (id <= 0) {
		rc = HH_ERR_NOT_FOUND;
		goto fail;
	}
	if (rating < 1 || rating > 5 ||
	    (comment && *comment &&
	     text_fault(comment, 1000) != HH_CHAT_FINE)) {
		struct hh_chat_view v;
		rc = hh_chat_get(st, a, who, token, id, &v);
		if (rc == HH_OK)
			rc = refuse(&c, HH_CHAT_RATING);
		goto fail;
	}
	if (comment && !*comment)
		c.text2 = NULL;
	rc = hh_store_run_tx(st, 1, rate_tx, &c);
	if (rc == HH_OK)
		changed(st, &out->chat, "rating");
fail:
	if (fault)
		*fault = c.fault;
	return rc;
}

/* ---- the agent's console ----------------------------------------------- */

static enum hh_rc presence_tx(struct hh_tx *tx, void *p)
{
	const struct hh_actor *who = p;
	return tx->store->chat_presence_put(tx, who->user_id, who->org_id,
					    now_s());
}

enum hh_rc hh_chat_presence(struct hh_store *st, const struct hh_actor *who)
{
	struct hh_owner o = { .org_id = who->org_id };
	if (!who->user_id || !who->org_id ||
	    hh_access(who, HH_RES_CHAT_QUEUE, HH_ACT_READ, &o) != HH_OK)
		return HH_ERR_FORBIDDEN;
	return hh_store_run_tx(st, 1, presence_tx, (void *)who);
}

struct console_ctx {
	const struct hh_actor *who;
	struct hh_arena *a;
	hh_chat_view_cb cb;
	void *ctx;
	/* the views: the queue's places counted as it streams (queue
	 * order), the estimate's figures read once, who's name */
	int64_t place, mean_s, agents;
	const char *agent_name;
};

static enum hh_rc console_row(void *p, const struct hh_chat *c)
{
	struct console_ctx *k = p;
	struct hh_chat_view v = { .chat = *c };
	if (!strcmp(c->state, "queued")) {
		v.position = ++k->place;
		v.expected_wait_s = expected_wait(v.position, k->mean_s,
						  k->agents);
	} else if (c->agent_id) {
		v.agent_name = k->agent_name;
	}
	return k->cb(k->ctx, &v);
}

static enum hh_rc console_tx(struct hh_tx *tx, void *p)
{
	struct console_ctx *k = p;
	struct hh_store *st = tx->store;
	int64_t now = now_s();
	k->place = 0;
	k->agent_name = NULL;
	enum hh_rc rc = st->chat_recent_wait(tx, k->who->org_id,
					     now - 7 * 86400, 20, &k->mean_s);
	if (rc == HH_OK)
		rc = st->chat_presence_count(tx, k->who->org_id,
					     now - HH_CHAT_PRESENCE_SECONDS,
					     &k->agents);
	struct hh_user u;
	if (rc == HH_OK) {
		rc = st->user_get(tx, k->a, k->who->user_id, &u);
		if (rc == HH_OK)
			k->agent_name = u.name;
		else if (rc == HH_ERR_NOT_FOUND)
			rc = HH_OK;
	}
	if (rc == HH_OK)
		rc = st->chat_list(tx, k->a, k->who->org_id, 0, console_row, k);
	if (rc == HH_OK)
		rc = st->chat_list(tx, k->a, 0, k->who->user_id, console_row, k);
	return rc;
}

enum hh_rc hh_chat_console(struct hh_store *st, struct hh_arena *a,
			   const struct hh_actor *who, int heartbeat,
			   hh_chat_view_cb cb, void *ctx)
{
	struct hh_owner o = { .org_id = who->org_id };
	enum hh_rc rc = heartbeat ? hh_chat_presence(st, who)
		: !who->user_id || !who->org_id ||
				  hh_access(who, HH_RES_CHAT_QUEUE, HH_ACT_READ, &o) != HH_OK
			  ? HH_ERR_FORBIDDEN
			  : HH_OK;
	if (rc != HH_OK)
		return rc;
	struct console_ctx k = { .who = who, .a = a, .cb = cb, .ctx = ctx };
	return hh_store_run_tx(st, 0, console_tx, &k);
}

/* ---- transcript -------------------------------------------------------- */

static enum hh_rc transcript_tx(struct hh_tx *tx, void *p)
{
	struct ctx *c = p;
	struct hh_chat ch;
	enum hh_rc rc = tx->store->chat_get_by_inquiry(tx, c->a, c->id, &ch);
	if (rc != HH_OK)
		return rc;
	return tx->store->chat_messages(tx, c->a, ch.id, 0, 0, c->cb, c->cb_ctx);
}

enum hh_rc hh_chat_transcript(struct hh_store *st, struct hh_arena *a,
			      const struct hh_actor *who, int64_t inquiry_id,
			      hh_chat_message_cb cb, void *ctx)
{
	/* the inquiry's own rule decides (and audits a staff read) */
	struct hh_inquiry q;
	enum hh_rc rc = hh_inquiry_get(st, a, who, inquiry_id, &q);
	if (rc != HH_OK)
		return rc;
	struct ctx c = { .who = who, .a = a, .id = inquiry_id, .cb = cb,
			 .cb_ctx = ctx };
	return hh_store_run_tx(st, 0, transcript_tx, &c);
}

/* ---- the written inquiry ----------------------------------------------- */

/* An e-mail address (something@something.tld) or a phone number (8 to 15
 * digits, with spaces, +, - and parentheses allowed). */
static int contact_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 3 || n > 200 || !hh_utf8_valid(s, n))
		return 0;
	const char *at = strchr(s, '@');
	if (at)
		return at > s && strchr(at + 1, '.') && !strchr(at + 1, '@') &&
		       !strpbrk(s, " \t\r\n<>\"");
	int digits = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (!strchr(" +-()", s[i]))
			return 0;
	}
	return digits >= 8 && digits <= 15;
}

static enum hh_rc written_tx(struct hh_tx *tx, void *p)
{
	struct ctx *c = p;
	struct hh_store *st = tx->store;
	c->fault = HH_CHAT_FINE;
	struct hh_org org;
	enum hh_rc rc = st->org_get(tx, c->a, c->org_id, &org);
	if (rc == HH_ERR_NOT_FOUND)
		return refuse(c, HH_CHAT_ORG);
	if (rc != HH_OK)
		return rc;
	struct hh_inquiry *q = c->inq;
	memset(q, 0, sizeof(*q));
	q->org_id = c->org_id;
	q->channel = "web";
	q->citizen_id = c->who->citizen_id;
	q->outcome = "open";
	q->note = hh_arena_printf(c->a, "Skriftlig henvendelse. Kontakt: %s\n\n%s",
				  c->text2, c->text);
	rc = st->inquiry_insert(tx, q);
	if (rc == HH_OK)
		rc = inquiry_event(tx, c->who->label, q, "create", NULL,
				   inquiry_state(q));
	if (rc == HH_OK)
		rc = st->inquiry_get(tx, c->a, q->id, q);
	return rc;
}

enum hh_rc hh_chat_written(struct hh_store *st, struct hh_arena *a,
			   const struct hh_actor *who, int64_t org_id,
			   const char *text, const char *contact,
			   struct hh_inquiry *out, enum hh_chat_fault *fault)
{
	struct ctx c = { .who = who, .a = a, .org_id = org_id, .text = text,
			 .text2 = contact, .inq = out };
	enum hh_rc rc = hh_access(who, HH_RES_CHAT, HH_ACT_CREATE, NULL);
	if (rc != HH_OK)
		goto fail;
	if (org_id <= 0) {
		rc = refuse(&c, HH_CHAT_ORG);
		goto fail;
	}
	if (!text || text_fault(text, HH_CHAT_WRITTEN_MAX) != HH_CHAT_FINE) {
		rc = refuse(&c, HH_CHAT_TEXT);
		goto fail;
	}
	if (!contact || !contact_ok(contact)) {
		rc = refuse(&c, HH_CHAT_CONTACT);
		goto fail;
	}
	rc = hh_store_run_tx(st, 1, written_tx, &c);
	if (rc == HH_OK)
		hh_store_changed(st, &(struct hh_change){ "inquiry", out->id,
							   out->org_id, "create" });
fail:
	if (fault)
		*fault = c.fault;
	return rc;
}

/* ---- JSON -------------------------------------------------------------- */

json_t *hh_chat_json(const struct hh_chat_view *v)
{
	const struct hh_chat *c = &v->chat;
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(c->id));
	json_object_set_new(j, "organisation_id", json_integer(c->org_id));
	json_object_set_new(j, "inquiry_id", json_integer(c->inquiry_id));
	json_object_set_new(j, "state", json_string(c->state));
	json_object_set_new(j, "anonymous", json_boolean(!c->citizen_id));
	json_object_set_new(j, "agent_id",
			    c->agent_id ? json_integer(c->agent_id) : json_null());
	json_object_set_new(j, "agent_name", v->agent_name ? json_string(v->agent_name)
							   : json_null());
	json_object_set_new(j, "team", c->team ? json_string(c->team) : json_null());
	json_object_set_new(j, "topic", c->topic ? json_string(c->topic) : json_null());
	char t[21];
	hh_time_iso(c->created_at, t);
	json_object_set_new(j, "created_at", json_string(t));
	if (c->closed_at) {
		hh_time_iso(c->closed_at, t);
		json_object_set_new(j, "closed_at", json_string(t));
	} else {
		json_object_set_new(j, "closed_at", json_null());
	}
	json_object_set_new(j, "last_seq", json_integer(c->last_seq));
	json_object_set_new(j, "position", json_integer(v->position));
	json_object_set_new(j, "expected_wait_seconds",
			    json_integer(v->expected_wait_s));
	json_object_set_new(j, "rating", c->rating ? json_integer(c->rating)
						   : json_null());
	json_object_set_new(j, "version", json_integer(c->version));
	return j;
}

json_t *hh_chat_message_json(const struct hh_chat_message *m)
{
	json_t *j = json_object();
	json_object_set_new(j, "seq", json_integer(m->seq));
	json_object_set_new(j, "sender", json_string(m->sender));
	json_object_set_new(j, "body", json_string(m->body ? m->body : ""));
	json_object_set_new(j, "at_ms", json_integer(m->created_at));
	if (m->article_id) {
		json_t *art = json_object();
		json_object_set_new(art, "id", json_integer(m->article_id));
		json_object_set_new(art, "title", json_string(m->article_title
								      ? m->article_title
								      : ""));
		char url[256];
		snprintf(url, sizeof(url), "/artikel/%s",
			 m->article_slug ? m->article_slug : "");
		json_object_set_new(art, "url", json_string(url));
		json_object_set_new(j, "article", art);
	}
	return j;
}

json_t *hh_chat_status_json(const struct hh_chat_status *s)
{
	json_t *j = json_object();
	json_object_set_new(j, "open", json_boolean(s->open));
	json_object_set_new(j, "in_hours", json_boolean(s->in_hours));
	json_object_set_new(j, "agents_present", json_integer(s->agents));
	json_object_set_new(j, "queued", json_integer(s->queued));
	json_object_set_new(j, "expected_wait_seconds",
			    json_integer(s->expected_wait_s));
	if (s->change_at) {
		char t[21];
		hh_time_iso(s->change_at, t);
		json_object_set_new(j, s->in_hours ? "closes_at" : "opens_at",
				    json_string(t));
	}
	return j;
}

const char *hh_chat_fault_da(enum hh_chat_fault f)
{
	switch (f) {
	case HH_CHAT_EMPTY: return "Beskeden er tom.";
	case HH_CHAT_TOO_LONG: return "Beskeden er for lang (højst 2.000 tegn).";
	case HH_CHAT_BAD_UTF8: return "Beskeden indeholder ugyldige tegn.";
	case HH_CHAT_CLOSED: return "Chatten er afsluttet.";
	case HH_CHAT_STATE: return "Chatten er ikke i en tilstand, hvor det kan lade sig gøre.";
	case HH_CHAT_LIMIT: return "Du har allerede det højeste antal chats på én gang.";
	case HH_CHAT_NOT_YOURS: return "En anden medarbejder har chatten.";
	case HH_CHAT_RATED: return "Du har allerede bedømt chatten.";
	case HH_CHAT_RATING: return "Vælg en bedømmelse fra 1 til 5 (kommentar højst 1.000 tegn).";
	case HH_CHAT_ARTICLE: return "Artiklen findes ikke.";
	case HH_CHAT_AGENT: return "Medarbejderen findes ikke.";
	case HH_CHAT_TEAM: return "Teamet findes ikke.";
	case HH_CHAT_ORG: return "Organisationen findes ikke.";
	case HH_CHAT_OUTCOME: return "Vælg et gyldigt udfald af henvendelsen.";
	case HH_CHAT_CONTACT: return "Skriv en gyldig e-mailadresse eller et telefonnummer.";
	case HH_CHAT_TEXT: return "Skriv din henvendelse (højst 4.000 tegn).";
	case HH_CHAT_FINE: break;
	}
	return "";
}
