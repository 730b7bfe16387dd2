/* proposals.c - s-edit (issue 13): proposals to the shared knowledge base. */
#include "domain/proposals.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/access.h"
#include "domain/articles.h"

const char *hh_proposal_state_da(enum hh_proposal_state s)
{
	switch (s) {
	case HH_PROPOSAL_ACCEPTED: return "Accepteret";
	case HH_PROPOSAL_DECLINED: return "Afvist";
	default: return "Åben";
	}
}

static const char *state_name(enum hh_proposal_state s)
{
	return s == HH_PROPOSAL_ACCEPTED ? "accepted"
	       : s == HH_PROPOSAL_DECLINED ? "declined" : "open";
}

int hh_proposal_can_decide(const struct hh_actor *who)
{
	return hh_article_can_edit(who, 0);
}

/* The proposal as its events hold it (new string, free()). */
static char *event_json(const struct hh_proposal *p)
{
	json_t *j = json_pack(
		"{s:I, s:I, s:s?, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
		"id", (json_int_t)p->id, "article_id", (json_int_t)p->article_id,
		"slug", p->slug, "base_version", (json_int_t)p->base_version,
		"title", p->title, "summary", p->summary, "body", p->body_md,
		"keywords", p->keywords, "kle", p->kle, "audience",
		hh_audience_name(p->audience), "note", p->note, "state",
		state_name(p->state));
	if (p->reason)
		json_object_set_new(j, "reason", json_string(p->reason));
	if (p->accepted_version)
		json_object_set_new(j, "accepted_version",
				    json_integer(p->accepted_version));
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	return s;
}

static enum hh_rc append_event(struct hh_tx *tx, const struct hh_actor *who,
			       const char *action,
			       const struct hh_proposal *before,
			       const struct hh_proposal *after)
{
	char *b = before ? event_json(before) : NULL;
	char *a = event_json(after);
	struct hh_event e = {
		.actor = who->label,
		.org_id = after->org_id,
		.entity = "proposal",
		.entity_id = after->id,
		.action = action,
		.before = b,
		.after = a,
	};
	enum hh_rc rc = tx->store->event_append(tx, &e);
	free(b);
	free(a);
	return rc;
}

/* The name of the user behind who, for the pages ("Sara Holm"); the
 * actor's label when it is not a user. */
static const char *name_of(struct hh_tx *tx, struct hh_arena *ar,
			   const struct hh_actor *who)
{
	struct hh_user u;
	if (who->user_id &&
	    tx->store->user_get(tx, ar, who->user_id, &u) == HH_OK && u.name)
		return u.name;
	return who->label ? who->label : "?";
}

/* The fields in the form the article will store them (articles.c does the
 * same on its write path), so that "changes nothing" is judged as the
 * article would judge it. */
static const char *trim(struct hh_arena *ar, const char *s)
{
	if (!s)
		return "";
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return hh_arena_strndup(ar, s, n);
}

static const char *body_canonical(struct hh_arena *ar, const char *s)
{
	if (!s)
		return NULL;
	size_t n = 0;
	char *out = hh_arena_alloc(ar, strlen(s) + 1);
	for (; *s; s++) {
		if (*s == '\n')
			while (n && out[n - 1] == '\r')
				n--;
		out[n++] = *s;
	}
	while (n && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		n--;
	out[n] = 0;
	return out;
}

static int same(const char *x, const char *y)
{
	return strcmp(x ? x : "", y ? y : "") == 0;
}

struct create_ctx {
	const struct hh_actor *who;
	struct hh_arena *ar;
	const char *slug;
	struct hh_proposal *p;
	int unchanged;
};

static enum hh_rc create_tx(struct hh_tx *tx, void *arg)
{
	struct create_ctx *c = arg;
	struct hh_article cur;
	c->unchanged = 0;
	enum hh_rc rc = tx->store->article_get(tx, c->ar, 0, c->slug, &cur);
	if (rc != HH_OK)
		return rc;
	if (!hh_article_can_read(c->who, &cur))
		return HH_ERR_NOT_FOUND;
	if (c->p->base_version != cur.version)
		return HH_ERR_CONFLICT;
	struct hh_proposal *p = c->p;
	if (same(p->title, cur.title) && same(p->summary, cur.summary) &&
	    same(p->body_md, cur.body_md) && same(p->keywords, cur.keywords) &&
	    same(p->kle, cur.kle) && p->audience == cur.audience) {
		c->unchanged = 1;
		return HH_ERR_INVALID;
	}
	p->article_id = cur.id;
	p->slug = cur.slug;
	p->org_id = c->who->org_id;
	p->proposed_by = c->who->label;
	p->proposer_name = name_of(tx, c->ar, c->who);
	p->created_at = hh_now_us() / 1000000;
	p->state = HH_PROPOSAL_OPEN;
	rc = tx->store->proposal_insert(tx, p);
	if (rc != HH_OK)
		return rc;
	return append_event(tx, c->who, "create", NULL, p);
}

enum hh_rc hh_proposal_create(struct hh_store *st, const struct hh_actor *who,
			      struct hh_arena *ar, const char *slug,
			      struct hh_proposal *p, const char **field)
{
	*field = NULL;
	struct hh_owner own = { who->org_id, 0 };
	if (!who->org_id ||
	    hh_access(who, HH_RES_ARTICLE_PROPOSAL, HH_ACT_CREATE, &own) != HH_OK)
		return HH_ERR_FORBIDDEN;
	p->title = trim(ar, p->title);
	p->summary = trim(ar, p->summary);
	p->body_md = body_canonical(ar, p->body_md);
	p->kle = p->kle ? p->kle : "";
	p->keywords = p->keywords ? p->keywords : "";
	p->note = trim(ar, p->note);
	/* the article's own rules, with the article's slug */
	struct hh_article a = { .slug = slug, .title = p->title,
				.summary = p->summary, .body_md = p->body_md,
				.keywords = p->keywords, .kle = p->kle,
				.audience = p->audience,
				.status = HH_STATUS_PUBLISHED };
	enum hh_rc rc = hh_article_validate(&a, field);
	if (rc != HH_OK)
		return rc;
	p->keywords = hh_keywords_normalise(ar, p->keywords);
	if (!hh_utf8_valid(p->note, strlen(p->note)) ||
	    hh_utf8_len(p->note) > HH_PROPOSAL_NOTE_MAX)
		return *field = "note", HH_ERR_INVALID;
	struct create_ctx c = { .who = who, .ar = ar, .slug = slug, .p = p };
	rc = hh_store_run_tx(st, 1, create_tx, &c);
	if (rc == HH_ERR_INVALID && c.unchanged)
		*field = "unchanged";
	return rc;
}

/* May who see proposal p? */
static int may_see(const struct hh_actor *who, const struct hh_proposal *p)
{
	struct hh_owner own = { p->org_id, 0 };
	return hh_proposal_can_decide(who) ||
	       hh_access(who, HH_RES_ARTICLE_PROPOSAL, HH_ACT_READ, &own) == HH_OK;
}

struct get_ctx {
	const struct hh_actor *who;
	struct hh_arena *ar;
	int64_t id;
	struct hh_proposal *out;
	struct hh_article *article;
};

static enum hh_rc get_tx(struct hh_tx *tx, void *arg)
{
	struct get_ctx *c = arg;
	enum hh_rc rc = tx->store->proposal_get(tx, c->ar, c->id, c->out);
	if (rc != HH_OK)
		return rc;
	if (!may_see(c->who, c->out))
		return HH_ERR_NOT_FOUND;
	if (c->article)
		rc = tx->store->article_get_by_id(tx, c->ar, c->out->article_id,
						  c->article);
	return rc;
}

enum hh_rc hh_proposal_get(struct hh_store *st, const struct hh_actor *who,
			   struct hh_arena *ar, int64_t id,
			   struct hh_proposal *out, struct hh_article *article)
{
	struct get_ctx c = { .who = who, .ar = ar, .id = id, .out = out,
			     .article = article };
	return hh_store_run_tx(st, 0, get_tx, &c);
}

struct list_ctx {
	struct hh_arena *ar;
	enum hh_proposal_state state;
	int64_t org_id;
	struct hh_proposal *items;
	size_t n, cap;
};

static enum hh_rc keep(void *arg, const struct hh_proposal *p)
{
	struct list_ctx *c = arg;
	c->items = hh_arena_grow(c->ar, c->items, c->n, &c->cap,
				 sizeof(*c->items), 16);
	c->items[c->n++] = *p;
	return HH_OK;
}

static enum hh_rc list_tx(struct hh_tx *tx, void *arg)
{
	struct list_ctx *c = arg;
	c->n = 0;
	return tx->store->proposal_list(tx, c->ar, c->state, c->org_id, 0, keep,
					c);
}

enum hh_rc hh_proposal_list(struct hh_store *st, const struct hh_actor *who,
			    struct hh_arena *ar, enum hh_proposal_state state,
			    enum hh_rc (*cb)(void *ctx,
					     const struct hh_proposal *p),
			    void *ctx)
{
	struct list_ctx c = { .ar = ar, .state = state };
	if (!hh_proposal_can_decide(who)) {
		struct hh_owner own = { who->org_id, 0 };
		if (!who->org_id || hh_access(who, HH_RES_ARTICLE_PROPOSAL,
					      HH_ACT_READ, &own) != HH_OK)
			return HH_ERR_FORBIDDEN;
		c.org_id = who->org_id;
	}
	enum hh_rc rc = hh_store_run_tx(st, 0, list_tx, &c);
	for (size_t i = 0; rc == HH_OK && i < c.n; i++)
		rc = cb(ctx, &c.items[i]);
	return rc;
}

struct decide_ctx {
	const struct hh_actor *who;
	struct hh_arena *ar;
	int64_t id;
	int accept;
	int64_t expected;
	const char *reason;
	struct hh_article article;
	int changed;
};

static enum hh_rc decide_tx(struct hh_tx *tx, void *arg)
{
	struct decide_ctx *c = arg;
	struct hh_proposal p;
	c->changed = 0;
	enum hh_rc rc = tx->store->proposal_get(tx, c->ar, c->id, &p);
	if (rc != HH_OK)
		return rc;
	if (!may_see(c->who, &p))
		return HH_ERR_NOT_FOUND;
	/* four eyes: never the proposer; and only the shared base's editors */
	if (!hh_proposal_can_decide(c->who) ||
	    (p.proposed_by && c->who->label &&
	     !strcmp(p.proposed_by, c->who->label)))
		return HH_ERR_FORBIDDEN;
	if (p.state != HH_PROPOSAL_OPEN)
		return HH_ERR_CONFLICT;
	struct hh_proposal next = p;
	next.decided_at = hh_now_us() / 1000000;
	next.decided_by = c->who->label;
	next.decider_name = name_of(tx, c->ar, c->who);
	if (c->accept) {
		struct hh_article cur;
		rc = tx->store->article_get_by_id(tx, c->ar, p.article_id, &cur);
		if (rc != HH_OK)
			return rc;
		if (c->expected && c->expected != cur.version)
			return HH_ERR_CONFLICT;
		struct hh_article a = cur;
		hh_proposal_onto(&a, &p);
		int outcome;
		const char *field;
		rc = hh_article_put_in_tx(tx, c->who, c->ar, &a, &outcome,
					  &field);
		if (rc != HH_OK)
			return rc;
		c->article = a;
		c->changed = outcome != 0;
		next.state = HH_PROPOSAL_ACCEPTED;
		next.accepted_version = a.version;
	} else {
		next.state = HH_PROPOSAL_DECLINED;
		next.reason = c->reason;
	}
	rc = tx->store->proposal_decide(tx, &next);
	if (rc != HH_OK)
		return rc;
	return append_event(tx, c->who, c->accept ? "accept" : "decline", &p,
			    &next);
}

enum hh_rc hh_proposal_accept(struct hh_store *st, const struct hh_actor *who,
			      struct hh_arena *ar, int64_t id,
			      int64_t expected_version,
			      struct hh_article *article)
{
	struct decide_ctx c = { .who = who, .ar = ar, .id = id, .accept = 1,
				.expected = expected_version };
	enum hh_rc rc = hh_store_run_tx(st, 1, decide_tx, &c);
	if (rc == HH_OK && c.changed)
		hh_article_changed(st, &c.article, "update");
	if (rc == HH_OK && article)
		*article = c.article;
	return rc;
}

enum hh_rc hh_proposal_decline(struct hh_store *st, const struct hh_actor *who,
			       struct hh_arena *ar, int64_t id,
			       const char *reason, const char **field)
{
	*field = NULL;
	reason = trim(ar, reason);
	size_t n = hh_utf8_valid(reason, strlen(reason)) ? hh_utf8_len(reason)
							 : 0;
	if (n < 1 || n > HH_PROPOSAL_REASON_MAX)
		return *field = "reason", HH_ERR_INVALID;
	struct decide_ctx c = { .who = who, .ar = ar, .id = id,
				.reason = reason };
	return hh_store_run_tx(st, 1, decide_tx, &c);
}

void hh_proposal_onto(struct hh_article *a, const struct hh_proposal *p)
{
	a->title = p->title;
	a->summary = p->summary;
	a->body_md = p->body_md;
	a->keywords = p->keywords;
	a->kle = p->kle;
	a->audience = p->audience;
}
