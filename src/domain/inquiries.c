/* inquiries.c - inquiries (henvendelser): create, read, set the outcome,
 * list; the rules are in inquiries.h. */
#include "domain/inquiries.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/access.h"
#include "domain/orgfile.h"
#include "domain/desk.h"

static const char *const channels[] = { "phone", "counter", "chat", "email",
					"web", "letter_reply" };
static const char *const outcomes[] = { "open", "resolved_first_contact",
					"transferred", "case_created",
					"callback_promised" };

static int one_of(const char *s, const char *const *set, size_t n)
{
	for (size_t i = 0; s && i < n; i++)
		if (!strcmp(s, set[i]))
			return 1;
	return 0;
}

int hh_inquiry_channel_ok(const char *s)
{
	return one_of(s, channels, sizeof(channels) / sizeof(channels[0]));
}

int hh_inquiry_outcome_ok(const char *s)
{
	return one_of(s, outcomes, sizeof(outcomes) / sizeof(outcomes[0]));
}

int hh_inquiry_transition_ok(const char *from, const char *to)
{
	if (!hh_inquiry_outcome_ok(from) || !hh_inquiry_outcome_ok(to))
		return 0;
	if (!strcmp(from, "open"))
		return strcmp(to, "open") != 0;
	/* the callback was made: its result is logged on the same inquiry */
	if (!strcmp(from, "callback_promised"))
		return !strcmp(to, "transferred") || !strcmp(to, "case_created");
	return 0;
}

/* A code of content data (team, reason): 1 to 40 of [a-z0-9_-]. */
static int code_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > 40)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '-' || s[i] == '_'))
			return 0;
	return 1;
}

/* A KLE number: "NN", "NN.NN" or "NN.NN.NN". */
static int kle_ok(const char *s)
{
	size_t n = strlen(s);
	if (n != 2 && n != 5 && n != 8)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (i % 3 == 2 ? s[i] != '.' : (s[i] < '0' || s[i] > '9'))
			return 0;
	return 1;
}

/* The state an event records (malloc'd; event() frees it). */
static char *state_json(const struct hh_inquiry *q)
{
	json_t *j = hh_inquiry_json(q);
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	return s;
}

static enum hh_rc event(struct hh_tx *tx, const char *actor,
			const struct hh_inquiry *q, const char *action,
			char *before, char *after)
{
	struct hh_event e = { .actor = actor, .org_id = q->org_id,
			      .entity = "inquiry", .entity_id = q->id,
			      .action = action, .before = before,
			      .after = after };
	/* x-hooks2: a transfer's receiver's webhooks are told of it */
	if (q->outcome && !strcmp(q->outcome, "transferred"))
		e.also_org_id = q->transfer_org_id;
	enum hh_rc rc = tx->store->event_append(tx, &e);
	free(before);
	free(after);
	return rc;
}

struct ctx {
	const struct hh_actor *who;
	struct hh_arena *a;
	const struct hh_inquiry_input *in;
	struct hh_inquiry *out;
	int64_t id, expected;
	int replayed;
	enum hh_inquiry_fault fault;
	const char *field;
	char hash[HH_REQUEST_HASH_SIZE];
};

static enum hh_rc refuse(struct ctx *c, enum hh_inquiry_fault f,
			 const char *field)
{
	c->fault = f;
	c->field = field;
	return f == HH_INQ_TRANSITION || f == HH_INQ_KEY_REUSED ? HH_ERR_CONFLICT
								: HH_ERR_INVALID;
}

/* Checks the outcome's details in c->in and writes them into q (whose
 * org_id and started_at are set); ended_at is set when the outcome closes
 * the contact. */
static enum hh_rc outcome_into(struct hh_tx *tx, struct ctx *c,
			       const char *outcome, struct hh_inquiry *q)
{
	const struct hh_inquiry_input *in = c->in;
	int transferred = !strcmp(outcome, "transferred");
	int created = !strcmp(outcome, "case_created");
	int callback = !strcmp(outcome, "callback_promised");
	if (!transferred && (in->transfer_team || in->transfer_org ||
			     in->transfer_reason))
		return refuse(c, HH_INQ_DETAIL, in->transfer_reason ? "transfer_reason"
					       : in->transfer_team ? "transfer_team"
								   : "transfer_org");
	if (!created && in->case_id)
		return refuse(c, HH_INQ_DETAIL, "case_id");
	if (!callback && in->callback_due_at)
		return refuse(c, HH_INQ_DETAIL, "callback_due_at");
	q->outcome = outcome;
	q->transfer_team = NULL;
	q->transfer_org_id = 0;
	q->transfer_reason = NULL;
	q->case_id = 0;
	q->callback_due_at = 0;
	if (transferred) {
		if (!in->transfer_team && !in->transfer_org)
			return refuse(c, HH_INQ_DETAIL, "transfer_team");
		if (in->transfer_team && !code_ok(in->transfer_team))
			return refuse(c, HH_INQ_DETAIL, "transfer_team");
		if (!in->transfer_reason || !code_ok(in->transfer_reason))
			return refuse(c, HH_INQ_DETAIL, "transfer_reason");
		enum hh_rc rc;
		if (in->transfer_org) {
			struct hh_org o;
			rc = tx->store->org_get_by_code(tx, c->a, in->transfer_org, &o);
			if (rc == HH_ERR_NOT_FOUND || (rc == HH_OK && o.id == q->org_id))
				return refuse(c, HH_INQ_ORG, "transfer_org");
			if (rc != HH_OK)
				return rc;
			q->transfer_org_id = o.id;
		}
		/* teams and reasons are content data (content/teams.json): a
		 * team of the receiving organisation (the own one when no
		 * other is named), a reason of the inquiry's organisation */
		const char *label;
		if (in->transfer_team) {
			rc = tx->store->inquiry_code_get(tx, c->a,
							 q->transfer_org_id ? q->transfer_org_id
									    : q->org_id,
							 "team", in->transfer_team, &label);
			if (rc == HH_ERR_NOT_FOUND)
				return refuse(c, HH_INQ_DETAIL, "transfer_team");
			if (rc != HH_OK)
				return rc;
		}
		rc = tx->store->inquiry_code_get(tx, c->a, q->org_id, "reason",
						 in->transfer_reason, &label);
		if (rc == HH_ERR_NOT_FOUND)
			return refuse(c, HH_INQ_DETAIL, "transfer_reason");
		if (rc != HH_OK)
			return rc;
		q->transfer_team = in->transfer_team;
		q->transfer_reason = in->transfer_reason;
	} else if (created) {
		if (!in->case_id)
			return refuse(c, HH_INQ_DETAIL, "case_id");
		/* the case may be at another authority: the front desk
		 * helps citizens with any of them */
		struct hh_case k;
		enum hh_rc rc = tx->store->case_get(tx, c->a, in->case_id, &k);
		if (rc == HH_ERR_NOT_FOUND ||
		    (rc == HH_OK && q->citizen_id && k.citizen_id &&
		     k.citizen_id != q->citizen_id))
			return refuse(c, HH_INQ_CASE, "case_id");
		if (rc != HH_OK)
			return rc;
		q->case_id = in->case_id;
	} else if (callback) {
		if (in->callback_due_at <= q->started_at)
			return refuse(c, HH_INQ_DETAIL, "callback_due_at");
		q->callback_due_at = in->callback_due_at;
	}
	if (strcmp(outcome, "open") && !q->ended_at)
		q->ended_at = hh_now_us() / 1000000;
	if (q->ended_at && q->ended_at < q->started_at)
		q->ended_at = q->started_at;
	return HH_OK;
}

/* ---- create ------------------------------------------------------------ */

/* What identifies a create request for its idempotency key: a hash of
 * every field of the input, as hex into out. */
static void request_hash(const struct hh_inquiry_input *in,
			 char out[HH_REQUEST_HASH_SIZE])
{
	crypto_generichash_state h;
	unsigned char bin[32];
	crypto_generichash_init(&h, NULL, 0, sizeof(bin));
	const char *strs[] = { in->channel, in->kle, in->outcome,
			       in->transfer_team, in->transfer_org,
			       in->transfer_reason, in->note };
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		/* NULL and "" differ: a byte for which it is */
		unsigned char tag = strs[i] ? 1 : 0;
		crypto_generichash_update(&h, &tag, 1);
		if (strs[i])
			crypto_generichash_update(&h, (const unsigned char *)strs[i],
						  strlen(strs[i]) + 1);
	}
	char num[160];
	snprintf(num, sizeof(num), "%lld %lld %lld %lld %lld %lld",
		 (long long)in->article_id, (long long)in->citizen_id,
		 (long long)in->started_at, (long long)in->case_id,
		 (long long)in->callback_due_at, (long long)in->ended_at);
	crypto_generichash_update(&h, (const unsigned char *)num, strlen(num));
	crypto_generichash_final(&h, bin, sizeof(bin));
	sodium_bin2hex(out, HH_REQUEST_HASH_SIZE, bin, sizeof(bin));
}

static enum hh_rc create_tx(struct hh_tx *tx, void *p)
{
	struct ctx *c = p;
	const struct hh_inquiry_input *in = c->in;
	struct hh_store *st = tx->store;
	enum hh_rc rc;
	c->replayed = 0;
	c->fault = HH_INQ_FINE;
	c->field = NULL;
	if (in->idem_key) {
		rc = st->inquiry_get_by_key(tx, c->a, c->who->label, in->idem_key,
					    c->out);
		if (rc == HH_OK && strcmp(c->out->request_hash ? c->out->request_hash
							       : "", c->hash))
			return refuse(c, HH_INQ_KEY_REUSED, "Idempotency-Key");
		if (rc == HH_OK) {
			c->replayed = 1;
			return HH_OK;
		}
		if (rc != HH_ERR_NOT_FOUND)
			return rc;
	}
	struct hh_inquiry *q = c->out;
	memset(q, 0, sizeof(*q));
	q->org_id = c->who->org_id;
	q->agent_id = c->who->user_id; /* 0 for a token: no agent */
	if (!hh_inquiry_channel_ok(in->channel))
		return refuse(c, HH_INQ_CHANNEL, "channel");
	q->channel = in->channel;
	const char *outcome = in->outcome ? in->outcome : "open";
	if (!hh_inquiry_outcome_ok(outcome))
		return refuse(c, HH_INQ_OUTCOME, "outcome");
	if (in->kle && !kle_ok(in->kle))
		return refuse(c, HH_INQ_DETAIL, "kle");
	q->kle = in->kle;
	if (in->article_id) {
		struct hh_article art;
		rc = st->article_get_by_id(tx, c->a, in->article_id, &art);
		if (rc == HH_ERR_NOT_FOUND ||
		    (rc == HH_OK && art.org_id && art.org_id != q->org_id))
			return refuse(c, HH_INQ_ARTICLE, "article_id");
		if (rc != HH_OK)
			return rc;
		q->article_id = in->article_id;
	}
	if (in->citizen_id) {
		struct hh_citizen z;
		rc = st->citizen_get(tx, c->a, in->citizen_id, &z);
		/* a municipality's front desk serves its own residents;
		 * an agency serves everyone */
		if (rc == HH_ERR_NOT_FOUND ||
		    (rc == HH_OK && c->who->org_is_municipality &&
		     z.municipality_id && z.municipality_id != q->org_id))
			return refuse(c, HH_INQ_CITIZEN, "citizen_id");
		if (rc != HH_OK)
			return rc;
		q->citizen_id = in->citizen_id;
	}
	int64_t now = hh_now_us() / 1000000;
	if (in->started_at > now + 60)
		return refuse(c, HH_INQ_DETAIL, "started_at");
	q->started_at = in->started_at ? in->started_at : now;
	if (in->ended_at) { /* a contact logged after it ended */
		if (!strcmp(outcome, "open") || in->ended_at < q->started_at ||
		    in->ended_at > now + 60)
			return refuse(c, HH_INQ_DETAIL, "ended_at");
		q->ended_at = in->ended_at;
	}
	rc = outcome_into(tx, c, outcome, q);
	if (rc != HH_OK)
		return rc;
	q->note = in->note;
	q->idem_scope = in->idem_key ? c->who->label : NULL;
	q->idem_key = in->idem_key;
	q->request_hash = in->idem_key ? c->hash : NULL;
	rc = st->inquiry_insert(tx, q);
	if (rc == HH_OK)
		rc = event(tx, c->who->label, q, "create", NULL, state_json(q));
	/* the agent's desk: a transfer waits in the receiver's queue */
	if (rc == HH_OK && !strcmp(q->outcome, "transferred"))
		rc = hh_desk_transfer_record(tx, c->who->label, q, NULL, 0);
	if (rc == HH_OK)
		rc = st->inquiry_get(tx, c->a, q->id, c->out);
	return rc;
}

/* May c->who create inquiries? Hashes the request for its key. */
static enum hh_rc create_check(struct ctx *c)
{
	if (!c->who->org_id) /* an inquiry belongs to an organisation */
		return HH_ERR_FORBIDDEN;
	struct hh_owner own = { .org_id = c->who->org_id };
	if (hh_access(c->who, HH_RES_INQUIRY, HH_ACT_CREATE, &own) != HH_OK)
		return HH_ERR_FORBIDDEN; /* creating: there is nothing to hide */
	if (c->in->idem_key)
		request_hash(c->in, c->hash);
	return HH_OK;
}

enum hh_rc hh_inquiry_create(struct hh_store *st, struct hh_arena *a,
			     const struct hh_actor *who,
			     const struct hh_inquiry_input *in,
			     struct hh_inquiry *out, int *replayed,
			     enum hh_inquiry_fault *fault, const char **field)
{
	struct ctx c = { .who = who, .a = a, .in = in, .out = out };
	*replayed = 0;
	enum hh_rc rc = create_check(&c);
	if (rc == HH_OK)
		rc = hh_store_run_tx(st, 1, create_tx, &c);
	if (rc == HH_OK && !c.replayed)
		hh_store_changed(st, &(struct hh_change){ "inquiry", out->id,
							   out->org_id, "create" });
	*replayed = c.replayed;
	if (fault)
		*fault = c.fault;
	if (field)
		*field = c.field;
	return rc;
}

enum hh_rc hh_inquiry_create_in(struct hh_tx *tx, struct hh_arena *a,
				const struct hh_actor *who,
				const struct hh_inquiry_input *in,
				struct hh_inquiry *out, int *replayed,
				enum hh_inquiry_fault *fault,
				const char **field)
{
	struct ctx c = { .who = who, .a = a, .in = in, .out = out };
	enum hh_rc rc = create_check(&c);
	if (rc == HH_OK)
		rc = create_tx(tx, &c);
	*replayed = c.replayed;
	if (fault)
		*fault = c.fault;
	if (field)
		*field = c.field;
	return rc;
}

/* ---- read -------------------------------------------------------------- */

static enum hh_rc get_tx(struct hh_tx *tx, void *p)
{
	struct ctx *c = p;
	enum hh_rc rc = tx->store->inquiry_get(tx, c->a, c->id, c->out);
	if (rc != HH_OK)
		return rc;
	struct hh_owner o = { c->out->org_id, c->out->citizen_id };
	rc = hh_access(c->who, HH_RES_INQUIRY, HH_ACT_READ, &o);
	if (rc != HH_OK)
		return HH_ERR_NOT_FOUND;
	if (c->out->citizen_id && !c->who->citizen_id) {
		/* staff reading a citizen's inquiry read personal data */
		struct hh_audit e = { .actor = c->who->label,
				      .citizen_id = c->out->citizen_id,
				      .what = hh_arena_printf(c->a, "henvendelse %lld",
							      (long long)c->out->id),
				      .why = "borgerservice" };
		rc = tx->store->audit_append(tx, &e);
	}
	return rc;
}

enum hh_rc hh_inquiry_get(struct hh_store *st, struct hh_arena *a,
			  const struct hh_actor *who, int64_t id,
			  struct hh_inquiry *out)
{
	if (id <= 0)
		return HH_ERR_NOT_FOUND;
	struct ctx c = { .who = who, .a = a, .out = out, .id = id };
	/* a write transaction: the read is audited */
	return hh_store_run_tx(st, 1, get_tx, &c);
}

/* ---- the outcome -------------------------------------------------------- */

static enum hh_rc outcome_tx(struct hh_tx *tx, void *p)
{
	struct ctx *c = p;
	c->fault = HH_INQ_FINE;
	c->field = NULL;
	struct hh_inquiry *q = c->out;
	enum hh_rc rc = tx->store->inquiry_get(tx, c->a, c->id, q);
	if (rc != HH_OK)
		return rc;
	struct hh_owner o = { q->org_id, q->citizen_id };
	rc = hh_access(c->who, HH_RES_INQUIRY, HH_ACT_CHANGE, &o);
	if (rc != HH_OK)
		return rc;
	if (q->version != c->expected)
		return HH_ERR_CONFLICT;
	if (!hh_inquiry_outcome_ok(c->in->outcome))
		return refuse(c, HH_INQ_OUTCOME, "outcome");
	if (!hh_inquiry_transition_ok(q->outcome, c->in->outcome))
		return refuse(c, HH_INQ_TRANSITION, "outcome");
	char *before = state_json(q);
	rc = outcome_into(tx, c, c->in->outcome, q);
	if (rc == HH_OK && c->in->note)
		q->note = c->in->note;
	/* the agent's desk: "answered with this article" may come with the
	 * outcome */
	if (rc == HH_OK && c->in->article_id) {
		struct hh_article art;
		rc = tx->store->article_get_by_id(tx, c->a, c->in->article_id, &art);
		if (rc == HH_ERR_NOT_FOUND ||
		    (rc == HH_OK && art.org_id && art.org_id != q->org_id))
			rc = refuse(c, HH_INQ_ARTICLE, "article_id");
		else if (rc == HH_OK)
			q->article_id = c->in->article_id;
	}
	if (rc == HH_OK)
		rc = tx->store->inquiry_update(tx, q, c->expected);
	if (rc != HH_OK) {
		free(before);
		return rc;
	}
	rc = event(tx, c->who->label, q, "outcome", before, state_json(q));
	if (rc == HH_OK && !strcmp(q->outcome, "transferred"))
		rc = hh_desk_transfer_record(tx, c->who->label, q, NULL, 0);
	if (rc == HH_OK)
		rc = tx->store->inquiry_get(tx, c->a, q->id, q);
	return rc;
}

enum hh_rc hh_inquiry_set_outcome(struct hh_store *st, struct hh_arena *a,
				  const struct hh_actor *who, int64_t id,
				  int64_t expected_version,
				  const struct hh_inquiry_input *in,
				  struct hh_inquiry *out,
				  enum hh_inquiry_fault *fault,
				  const char **field)
{
	struct ctx c = { .who = who, .a = a, .in = in, .out = out, .id = id,
			 .expected = expected_version };
	enum hh_rc rc = id > 0 ? hh_store_run_tx(st, 1, outcome_tx, &c)
			       : HH_ERR_NOT_FOUND;
	if (rc == HH_OK)
		hh_store_changed(st, &(struct hh_change){ "inquiry", out->id,
							   out->org_id, "outcome" });
	if (fault)
		*fault = c.fault;
	if (field)
		*field = c.field;
	return rc;
}

enum hh_rc hh_inquiry_set_outcome_in(struct hh_tx *tx, struct hh_arena *a,
				     const struct hh_actor *who, int64_t id,
				     int64_t expected_version,
				     const struct hh_inquiry_input *in,
				     struct hh_inquiry *out,
				     enum hh_inquiry_fault *fault,
				     const char **field)
{
	struct ctx c = { .who = who, .a = a, .in = in, .out = out, .id = id,
			 .expected = expected_version };
	enum hh_rc rc = id > 0 ? outcome_tx(tx, &c) : HH_ERR_NOT_FOUND;
	if (fault)
		*fault = c.fault;
	if (field)
		*field = c.field;
	return rc;
}

/* ---- lists ------------------------------------------------------------- */

struct list_ctx {
	struct hh_inquiry_filter f;
	struct hh_arena *a;
	int64_t offset, limit, *total;
	hh_inquiry_cb cb;
	void *cb_ctx;
};

static enum hh_rc list_tx(struct hh_tx *tx, void *p)
{
	struct list_ctx *l = p;
	return tx->store->inquiry_list(tx, l->a, &l->f, l->offset, l->limit,
				       l->total, l->cb, l->cb_ctx);
}

enum hh_rc hh_inquiry_list(struct hh_store *st, struct hh_arena *a,
			   const struct hh_actor *who, int open_only,
			   int64_t citizen_id, int64_t offset, int64_t limit,
			   int64_t *total, hh_inquiry_cb cb, void *ctx)
{
	struct list_ctx l = { .a = a, .offset = offset, .limit = limit,
			      .total = total, .cb = cb, .cb_ctx = ctx };
	l.f.open_only = open_only;
	l.f.citizen_id = citizen_id > 0 ? citizen_id : 0;
	switch (hh_access_scope(who, HH_RES_INQUIRY, HH_ACT_READ)) {
	case HH_SCOPE_ANY:
		break;
	case HH_SCOPE_OWN_ORG:
	case HH_SCOPE_OWN_ORG_SHARED:
		if (!who->org_id)
			return HH_ERR_FORBIDDEN;
		l.f.org_id = who->org_id;
		break;
	case HH_SCOPE_OWN_CITIZEN:
		if (!who->citizen_id)
			return HH_ERR_FORBIDDEN;
		l.f.citizen_id = who->citizen_id;
		break;
	case HH_SCOPE_NONE:
		return HH_ERR_FORBIDDEN;
	}
	return hh_store_run_tx(st, 0, list_tx, &l);
}

enum hh_rc hh_inquiry_callbacks_due(struct hh_store *st, struct hh_arena *a,
				    const struct hh_actor *who,
				    int64_t due_before, int64_t offset,
				    int64_t limit, int64_t *total,
				    hh_inquiry_cb cb, void *ctx)
{
	struct list_ctx l = { .a = a, .offset = offset, .limit = limit,
			      .total = total, .cb = cb, .cb_ctx = ctx };
	l.f.callbacks_due_before = due_before > 0 ? due_before : 1;
	switch (hh_access_scope(who, HH_RES_INQUIRY, HH_ACT_READ)) {
	case HH_SCOPE_ANY:
	case HH_SCOPE_OWN_ORG:
	case HH_SCOPE_OWN_ORG_SHARED:
		/* a callback is made by the organisation that promised it */
		if (!who->org_id)
			return HH_ERR_FORBIDDEN;
		l.f.org_id = who->org_id;
		break;
	case HH_SCOPE_OWN_CITIZEN:
	case HH_SCOPE_NONE:
		return HH_ERR_FORBIDDEN;
	}
	return hh_store_run_tx(st, 0, list_tx, &l);
}

/* ---- teams and transfer reasons (content data) ------------------------- */

/* One organisation's teams and reasons, written. */
static enum hh_rc codes_put(struct hh_tx *tx, struct hh_arena *a,
			   int64_t org_id, json_t *v, int *n)
{
	static const char *const lists[2][3] = {
		{ "teams", "team", "name" },
		{ "transfer_reasons", "reason", "label" } };
	for (int k = 0; k < 2; k++) {
		size_t i;
		json_t *item;
		json_array_foreach(json_object_get(v, lists[k][0]), i, item)
		{
			enum hh_rc rc = tx->store->inquiry_code_put(
				tx, org_id, lists[k][1],
				json_string_value(json_object_get(item, "code")),
				json_string_value(json_object_get(item, lists[k][2])));
			if (rc != HH_OK)
				return rc;
			(*n)++;
		}
	}
	return HH_OK;
}

/* Is list (may be NULL) an array of {"code", key} with good values? */
static int codes_ok(json_t *list, const char *key)
{
	if (!list)
		return 1;
	if (!json_is_array(list))
		return 0;
	size_t i;
	json_t *item;
	json_array_foreach(list, i, item)
	{
		const char *code = json_string_value(json_object_get(item, "code"));
		const char *text = json_string_value(json_object_get(item, key));
		if (!json_is_object(item) || json_object_size(item) != 2 || !code ||
		    !code_ok(code) || !text || !*text ||
		    !hh_utf8_valid(text, strlen(text)))
			return 0;
	}
	return 1;
}

/* One organisation's entry: NULL when good, else what is wrong. */
static const char *codes_check(struct hh_arena *a, json_t *v)
{
	size_t known = !!json_object_get(v, "teams") +
		       !!json_object_get(v, "transfer_reasons");
	if (!json_is_object(v) || json_object_size(v) != known ||
	    !codes_ok(json_object_get(v, "teams"), "name") ||
	    !codes_ok(json_object_get(v, "transfer_reasons"), "label"))
		return "needs teams [{code, name}] and/or transfer_reasons "
		       "[{code, label}]; codes are 1 to 40 of a-z, 0-9, - and _";
	return NULL;
}

enum hh_rc hh_inquiry_codes_import(struct hh_store *st, const char *dir,
				   FILE *errs, int *n)
{
	/* no file: transfers only to organisations, no reasons */
	static const struct hh_org_file file = { "teams.json", codes_check,
						 codes_put };
	return hh_org_file_import(st, dir, &file, errs, n);
}

/* ---- JSON -------------------------------------------------------------- */

static void set_time(json_t *j, const char *key, int64_t t)
{
	if (!t)
		return;
	char iso[21];
	hh_time_iso(t, iso);
	json_object_set_new(j, key, json_string(iso));
}

json_t *hh_inquiry_json(const struct hh_inquiry *q)
{
	json_t *j = json_pack("{s:I, s:I, s:s, s:s, s:I}", "id", (json_int_t)q->id,
			      "organisation_id", (json_int_t)q->org_id, "channel",
			      q->channel ? q->channel : "", "outcome",
			      q->outcome ? q->outcome : "", "version",
			      (json_int_t)q->version);
	if (q->article_id)
		json_object_set_new(j, "article_id", json_integer(q->article_id));
	if (q->kle)
		json_object_set_new(j, "kle", json_string(q->kle));
	if (q->citizen_id)
		json_object_set_new(j, "citizen_id", json_integer(q->citizen_id));
	if (q->agent_id)
		json_object_set_new(j, "agent_id", json_integer(q->agent_id));
	set_time(j, "started_at", q->started_at);
	set_time(j, "ended_at", q->ended_at);
	if (q->transfer_team)
		json_object_set_new(j, "transfer_team", json_string(q->transfer_team));
	if (q->transfer_org_id)
		json_object_set_new(j, "transfer_org_id",
				    json_integer(q->transfer_org_id));
	if (q->transfer_reason)
		json_object_set_new(j, "transfer_reason",
				    json_string(q->transfer_reason));
	if (q->case_id)
		json_object_set_new(j, "case_id", json_integer(q->case_id));
	set_time(j, "callback_due_at", q->callback_due_at);
	if (q->note)
		json_object_set_new(j, "note", json_string(q->note));
	return j;
}
