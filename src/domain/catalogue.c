/* catalogue.c - life events and case types as callers read them. */
#include "domain/catalogue.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "domain/access.h"
#include "domain/cases.h"

int hh_case_works(const struct hh_actor *who)
{
	enum hh_access_scope s = hh_access_scope(who, HH_RES_CASE_QUEUE, HH_ACT_READ);
	return s == HH_SCOPE_OWN_ORG || s == HH_SCOPE_OWN_ORG_SHARED ||
	       s == HH_SCOPE_ANY;
}

/* ---- life events ------------------------------------------------------ */

struct le_ctx {
	struct hh_arena *a;
	const char *slug;
	struct hh_life_event *out;
	hh_life_event_cb cb;
	void *ctx;
};

static enum hh_rc le_each_tx(struct hh_tx *tx, void *p)
{
	struct le_ctx *c = p;
	return tx->store->life_event_list(tx, c->a, c->cb, c->ctx);
}

static enum hh_rc le_get_tx(struct hh_tx *tx, void *p)
{
	struct le_ctx *c = p;
	return tx->store->life_event_get(tx, c->a, c->slug, c->out);
}

enum hh_rc hh_life_event_each(struct hh_store *st, struct hh_arena *a,
			      hh_life_event_cb cb, void *ctx)
{
	struct le_ctx c = { .a = a, .cb = cb, .ctx = ctx };
	return hh_store_run_tx(st, 0, le_each_tx, &c);
}

enum hh_rc hh_life_event_read(struct hh_store *st, struct hh_arena *a,
			      const char *slug, struct hh_life_event *out)
{
	struct le_ctx c = { .a = a, .slug = slug, .out = out };
	return hh_store_run_tx(st, 0, le_get_tx, &c);
}

/* Parsed life event definitions, by id with their text (see the shared
 * case type definitions below for why and how): the table holds one
 * reference of each root, each caller another (jansson counts them
 * atomically), so a replaced one lives until its last request ends. */
struct shared_le {
	int64_t id;
	char *text;
	size_t len;
	json_t *root;
};

#define SHARED_LES 32
static struct shared_le shared_les[SHARED_LES];
static pthread_mutex_t shared_le_lock = PTHREAD_MUTEX_INITIALIZER;

json_t *hh_life_event_def(struct hh_arena *a, const struct hh_life_event *le)
{
	if (!le->definition)
		return NULL;
	size_t len = strlen(le->definition);
	struct shared_le *slot = &shared_les[(uint64_t)le->id % SHARED_LES];
	json_t *root = NULL;
	pthread_mutex_lock(&shared_le_lock);
	if (slot->root && slot->id == le->id && slot->len == len &&
	    !memcmp(slot->text, le->definition, len))
		root = json_incref(slot->root);
	pthread_mutex_unlock(&shared_le_lock);
	if (!root) {
		json_error_t e;
		root = json_loads(le->definition, 0, &e);
		if (!root)
			return NULL;
		char *text = hh_xstrdup(le->definition);
		pthread_mutex_lock(&shared_le_lock);
		json_t *old = slot->root;
		char *old_text = slot->text;
		*slot = (struct shared_le){ le->id, text, len, json_incref(root) };
		pthread_mutex_unlock(&shared_le_lock);
		json_decref(old);
		free(old_text);
	}
	hh_arena_defer(a, hh_json_release, root);
	return root;
}

/* ---- case types ------------------------------------------------------- */

struct ct_ctx {
	struct hh_arena *a;
	int public_only;
	const char *code;
	struct hh_case_type *out;
	hh_case_type_cb cb;
	void *ctx;
};

static enum hh_rc ct_each_tx(struct hh_tx *tx, void *p)
{
	struct ct_ctx *c = p;
	return tx->store->case_type_list(tx, c->a, c->public_only, c->cb, c->ctx);
}

static enum hh_rc ct_get_tx(struct hh_tx *tx, void *p)
{
	struct ct_ctx *c = p;
	enum hh_rc rc = tx->store->case_type_get_by_code(tx, c->a, c->code, c->out);
	if (rc == HH_OK && c->public_only && !c->out->public)
		return HH_ERR_NOT_FOUND; /* internal: not there for this caller */
	return rc;
}

enum hh_rc hh_case_type_each(struct hh_store *st, struct hh_arena *a,
			     const struct hh_actor *who, hh_case_type_cb cb,
			     void *ctx)
{
	struct ct_ctx c = { .a = a, .public_only = !hh_case_works(who), .cb = cb,
			    .ctx = ctx };
	return hh_store_run_tx(st, 0, ct_each_tx, &c);
}

enum hh_rc hh_case_type_read(struct hh_store *st, struct hh_arena *a,
			     const struct hh_actor *who, const char *code,
			     struct hh_case_type *out)
{
	struct ct_ctx c = { .a = a, .public_only = !hh_case_works(who), .code = code,
			    .out = out };
	return hh_store_run_tx(st, 0, ct_get_tx, &c);
}

/* ---- parsed definitions, shared across requests ------------------------
 *
 * p-bench (issue 16): parsing a case type's definition (10 KB of JSON for
 * a divorce, with its form) was about an eighth of Mit overblik's
 * instructions, again on every request, though case types change only at
 * import. A parsed definition is kept per case type id (a small table by
 * id) together with the text it was parsed from, and is reused while the
 * store's row holds the same text: the row is still read, so an import by
 * this or another instance is seen at the next read, and two stores in
 * one process (the tests) never see each other's. The parse is a
 * function of the text alone. Shared by every thread: an entry is
 * counted (under the lock) by the table and by each request holding it,
 * and freed by the last one after it was replaced; nothing changes a
 * definition once parsed (callers get it const). */
struct shared_def {
	int64_t id;
	char *text;
	size_t len;
	int refs;
	struct hh_case_type_def def;
};

#define SHARED_DEFS 128
static struct shared_def *shared_defs[SHARED_DEFS];
static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;

static void shared_unref(void *p)
{
	struct shared_def *s = p;
	pthread_mutex_lock(&shared_lock);
	int last = --s->refs == 0;
	pthread_mutex_unlock(&shared_lock);
	if (last) {
		hh_case_type_def_clear(&s->def);
		free(s->text);
		free(s);
	}
}

/* The parsed definition of row (case type id), shared and counted for
 * the caller (release with shared_unref), or NULL when it does not parse
 * (logged as a bug, as hh_case_type_load does). */
static struct shared_def *shared_get(int64_t id, const struct hh_case_type *row)
{
	size_t len = strlen(row->definition);
	struct shared_def **slot = &shared_defs[(uint64_t)id % SHARED_DEFS], *s = NULL;
	pthread_mutex_lock(&shared_lock);
	if (*slot && (*slot)->id == id && (*slot)->len == len &&
	    !memcmp((*slot)->text, row->definition, len)) {
		s = *slot;
		s->refs++;
	}
	pthread_mutex_unlock(&shared_lock);
	if (s)
		return s;
	/* parsed outside the lock: two threads may both parse it once */
	s = hh_xcalloc(1, sizeof(*s));
	char err[256];
	if (hh_case_type_def_parse(row->definition, &s->def, err, sizeof(err)) != HH_OK) {
		hh_log_bug("case type %s in the store is broken: %s", row->code, err);
		free(s);
		return NULL;
	}
	s->id = id;
	s->text = hh_xstrdup(row->definition);
	s->len = len;
	s->refs = 2; /* the table's and the caller's */
	pthread_mutex_lock(&shared_lock);
	struct shared_def *old = *slot;
	*slot = s;
	pthread_mutex_unlock(&shared_lock);
	if (old)
		shared_unref(old);
	return s;
}

const struct hh_case_type_def *hh_ct_cache_get(struct hh_tx *tx,
					       struct hh_arena *a,
					       struct hh_ct_cache *c, int64_t id)
{
	for (int i = 0; i < c->n; i++)
		if (c->ids[i] == id)
			return c->defs[i];
	struct hh_case_type row;
	if (tx->store->case_type_get(tx, a, id, &row) != HH_OK)
		return NULL;
	struct shared_def *s = shared_get(id, &row);
	if (!s)
		return NULL;
	hh_arena_defer(a, shared_unref, s);
	if (c->n < HH_CT_CACHE) {
		c->ids[c->n] = id;
		c->defs[c->n++] = &s->def;
	}
	return &s->def;
}
