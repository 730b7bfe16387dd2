/* vaultstore.c - CPR numbers at rest, on the store's side: the shim that
 * seals on write and opens on read, sealing old rows, rotating keys and
 * finding a citizen by CPR (see vault.h). */
#include "domain/vault.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "domain/vault_int.h"

/* What "every row is sealed under these keys" is noted as in the store's
 * meta, so that a start with nothing to seal reads no row. */
#define META_KEYS "cpr_keys"

/* The store's own functions the shim calls through. */
struct binding {
	struct hh_vault *v;
	enum hh_rc (*citizen_put)(struct hh_tx *, struct hh_citizen *);
	enum hh_rc (*citizen_get)(struct hh_tx *, struct hh_arena *, int64_t,
				  struct hh_citizen *);
	enum hh_rc (*citizen_get_by_subject)(struct hh_tx *, struct hh_arena *,
					     const char *, struct hh_citizen *);
	enum hh_rc (*citizen_get_by_cpr_hash)(struct hh_tx *, struct hh_arena *,
					      const unsigned char[32],
					      struct hh_citizen *);
	enum hh_rc (*citizen_list)(struct hh_tx *, struct hh_arena *,
				   const char *, hh_citizen_cb, void *);
	enum hh_rc (*case_insert)(struct hh_tx *, struct hh_case *);
	enum hh_rc (*case_update)(struct hh_tx *, struct hh_case *, int64_t);
	enum hh_rc (*case_get)(struct hh_tx *, struct hh_arena *, int64_t,
			       struct hh_case *);
	enum hh_rc (*case_list)(struct hh_tx *, struct hh_arena *,
				const struct hh_case_filter *, int64_t, int64_t,
				int64_t *, hh_case_cb, void *);
};

static struct binding *b_of(struct hh_tx *tx)
{
	return tx->store->vault;
}

/* A stored value that does not open is no client's fault: the key file
 * lacks its key, or is the wrong one. Said once per call, loudly. */
static enum hh_rc cannot_open(enum hh_rc rc, const char *what, int64_t id)
{
	hh_log(HH_LOG_ERROR, "cannot open the CPR number of %s %lld: %s", what,
	       (long long)id,
	       rc == HH_ERR_NOT_FOUND ? "its key is not in the key file"
				      : "the key file's key does not open it");
	return HH_ERR_INTERNAL;
}

static int knows(const struct hh_vault *v, const char *id, int seal);
static enum hh_rc keys_still_known(struct hh_tx *tx, const struct hh_vault *v,
				   struct hh_arena *a);

enum hh_rc hh_vault_keys_current(struct hh_tx *tx, struct hh_arena *a)
{
	struct binding *b = b_of(tx);
	return b ? keys_still_known(tx, b->v, a) : HH_ERR_INTERNAL;
}

/* Before sealing: is the key the store's rows were last all sealed under
 * one this vault holds? Not when `helhed rotate-key` has finished while
 * this process kept its old key file: a row it sealed now could not be
 * opened after its restart, so it writes nothing (read in the write
 * transaction, so a rotation's last step and this write are ordered). */
static enum hh_rc keys_still_known(struct hh_tx *tx, const struct hh_vault *v,
				   struct hh_arena *a)
{
	const char *marker = NULL;
	enum hh_rc rc = tx->store->meta_get(tx, a, META_KEYS, &marker);
	if (rc != HH_OK || !marker)
		return rc;
	char seal_id[40] = "";
	sscanf(marker, "%39s", seal_id);
	if (knows(v, seal_id, 1))
		return HH_OK;
	hh_log(HH_LOG_ERROR,
	       "CPR numbers are sealed under key %s now, which this process's key "
	       "file %s lacks ('helhed rotate-key' ran): restart it to write",
	       seal_id, hh_vault_path(v));
	return HH_ERR_INTERNAL;
}

/* ---- citizens -------------------------------------------------------- */

/* c's CPR number sealed and hashed under the current keys (hash: room for
 * the hash c then points at). */
static enum hh_rc seal_citizen(const struct hh_vault *v, struct hh_arena *a,
			       struct hh_citizen *c, const char *clear,
			       unsigned char hash[32])
{
	c->cpr_key = c->cpr_hash_key = NULL;
	c->cpr_hash = NULL;
	c->cpr = NULL;
	if (!clear)
		return HH_OK;
	enum hh_rc rc = hh_vault_seal(v, a, clear, &c->cpr);
	if (rc != HH_OK)
		return rc;
	c->cpr_key = hh_vault_seal_id(v);
	if (hh_vault_cpr_hash(v, 0, clear, hash) == HH_OK) {
		c->cpr_hash = hash;
		c->cpr_hash_key = hh_vault_hash_id(v);
	}
	return HH_OK;
}

/* c's CPR number in clear, as callers above the domain's shim see it. */
static enum hh_rc open_citizen(const struct hh_vault *v, struct hh_arena *a,
			       struct hh_citizen *c)
{
	enum hh_rc rc = HH_OK;
	if (c->cpr && c->cpr_key) /* no key: stored before sealing */
		rc = hh_vault_open(v, a, c->cpr, &c->cpr);
	c->cpr_key = c->cpr_hash_key = NULL;
	c->cpr_hash = NULL;
	return rc == HH_OK ? rc : cannot_open(rc, "citizen", c->id);
}

static enum hh_rc w_citizen_put(struct hh_tx *tx, struct hh_citizen *c)
{
	struct binding *b = b_of(tx);
	struct hh_arena a;
	hh_arena_init(&a);
	unsigned char hash[32];
	struct hh_citizen s = *c;
	enum hh_rc rc = keys_still_known(tx, b->v, &a);
	if (rc == HH_OK)
		rc = seal_citizen(b->v, &a, &s, c->cpr, hash);
	if (rc == HH_OK)
		rc = b->citizen_put(tx, &s);
	c->id = s.id;
	hh_arena_clear(&a);
	return rc;
}

static enum hh_rc w_citizen_get(struct hh_tx *tx, struct hh_arena *a, int64_t id,
				struct hh_citizen *out)
{
	struct binding *b = b_of(tx);
	enum hh_rc rc = b->citizen_get(tx, a, id, out);
	return rc == HH_OK ? open_citizen(b->v, a, out) : rc;
}

static enum hh_rc w_citizen_get_by_subject(struct hh_tx *tx, struct hh_arena *a,
					   const char *subject,
					   struct hh_citizen *out)
{
	struct binding *b = b_of(tx);
	enum hh_rc rc = b->citizen_get_by_subject(tx, a, subject, out);
	return rc == HH_OK ? open_citizen(b->v, a, out) : rc;
}

static enum hh_rc w_citizen_get_by_cpr_hash(struct hh_tx *tx, struct hh_arena *a,
					    const unsigned char hash[32],
					    struct hh_citizen *out)
{
	struct binding *b = b_of(tx);
	enum hh_rc rc = b->citizen_get_by_cpr_hash(tx, a, hash, out);
	return rc == HH_OK ? open_citizen(b->v, a, out) : rc;
}

struct cit_list_ctx {
	const struct hh_vault *v;
	struct hh_arena *a;
	hh_citizen_cb cb;
	void *ctx;
};

static enum hh_rc cit_list_row(void *p, const struct hh_citizen *c)
{
	struct cit_list_ctx *l = p;
	struct hh_citizen z = *c;
	enum hh_rc rc = open_citizen(l->v, l->a, &z);
	return rc == HH_OK ? l->cb(l->ctx, &z) : rc;
}

static enum hh_rc w_citizen_list(struct hh_tx *tx, struct hh_arena *a,
				 const char *prefix, hh_citizen_cb cb, void *ctx)
{
	struct binding *b = b_of(tx);
	struct cit_list_ctx l = { b->v, a, cb, ctx };
	return b->citizen_list(tx, a, prefix, cit_list_row, &l);
}

/* ---- cases ----------------------------------------------------------- */

static enum hh_rc open_case(const struct hh_vault *v, struct hh_arena *a,
			    struct hh_case *c)
{
	/* stored before sealing, or read without its data (a list's
	 * without_data): nothing sealed in it */
	if (!c->seal_key || !c->data)
		return HH_OK;
	enum hh_rc rc = hh_vault_open_data(v, a, c->data, &c->data);
	return rc == HH_OK ? rc : cannot_open(rc, "case", c->id);
}

/* Runs the store's insert or update with c's data sealed; c keeps its
 * clear data. */
static enum hh_rc write_case(struct hh_tx *tx, struct hh_case *c, int update,
			     int64_t expected)
{
	struct binding *b = b_of(tx);
	struct hh_arena a;
	hh_arena_init(&a);
	const char *clear = c->data, *sealed;
	enum hh_rc rc = keys_still_known(tx, b->v, &a);
	if (rc != HH_OK) {
		hh_arena_clear(&a);
		return rc;
	}
	rc = hh_vault_seal_data(b->v, &a, clear, &sealed);
	if (rc == HH_OK) {
		c->data = sealed;
		c->seal_key = hh_vault_seal_id(b->v);
		rc = update ? b->case_update(tx, c, expected) : b->case_insert(tx, c);
		c->data = clear;
	} else {
		hh_log_bug("case %lld: its data is not JSON", (long long)c->id);
		rc = HH_ERR_INTERNAL;
	}
	hh_arena_clear(&a);
	return rc;
}

static enum hh_rc w_case_insert(struct hh_tx *tx, struct hh_case *c)
{
	return write_case(tx, c, 0, 0);
}

static enum hh_rc w_case_update(struct hh_tx *tx, struct hh_case *c,
				int64_t expected)
{
	return write_case(tx, c, 1, expected);
}

static enum hh_rc w_case_get(struct hh_tx *tx, struct hh_arena *a, int64_t id,
			     struct hh_case *out)
{
	struct binding *b = b_of(tx);
	enum hh_rc rc = b->case_get(tx, a, id, out);
	return rc == HH_OK ? open_case(b->v, a, out) : rc;
}

struct case_list_ctx {
	const struct hh_vault *v;
	struct hh_arena *a;
	hh_case_cb cb;
	void *ctx;
	int sealed; /* the filter's data_sealed: left as stored */
};

static enum hh_rc case_list_row(void *p, const struct hh_case *c)
{
	struct case_list_ctx *l = p;
	struct hh_case k = *c;
	enum hh_rc rc = l->sealed ? HH_OK : open_case(l->v, l->a, &k);
	return rc == HH_OK ? l->cb(l->ctx, &k) : rc;
}

static enum hh_rc w_case_list(struct hh_tx *tx, struct hh_arena *a,
			      const struct hh_case_filter *f, int64_t offset,
			      int64_t limit, int64_t *total, hh_case_cb cb,
			      void *ctx)
{
	struct binding *b = b_of(tx);
	struct case_list_ctx l = { b->v, a, cb, ctx, f->data_sealed };
	return b->case_list(tx, a, f, offset, limit, total, case_list_row, &l);
}

/* ---- attaching ------------------------------------------------------- */

static void binding_free(void *p)
{
	struct binding *b = p;
	if (b)
		hh_vault_free(b->v);
	free(b);
}

enum hh_rc hh_vault_attach(struct hh_store *st, struct hh_vault *v)
{
	if (st->vault)
		return HH_ERR_CONFLICT;
	struct binding *b = hh_xmalloc(sizeof(*b));
	*b = (struct binding){
		.v = v,
		.citizen_put = st->citizen_put,
		.citizen_get = st->citizen_get,
		.citizen_get_by_subject = st->citizen_get_by_subject,
		.citizen_get_by_cpr_hash = st->citizen_get_by_cpr_hash,
		.citizen_list = st->citizen_list,
		.case_insert = st->case_insert,
		.case_update = st->case_update,
		.case_get = st->case_get,
		.case_list = st->case_list,
	};
	st->citizen_put = w_citizen_put;
	st->citizen_get = w_citizen_get;
	st->citizen_get_by_subject = w_citizen_get_by_subject;
	st->citizen_get_by_cpr_hash = w_citizen_get_by_cpr_hash;
	st->citizen_list = w_citizen_list;
	st->case_insert = w_case_insert;
	st->case_update = w_case_update;
	st->case_get = w_case_get;
	st->case_list = w_case_list;
	st->vault = b;
	st->vault_free = binding_free;
	return HH_OK;
}

struct hh_vault *hh_vault_of(struct hh_store *st)
{
	struct binding *b = st->vault;
	return b ? b->v : NULL;
}

/* ---- sealing what is not sealed under the current keys --------------- */

struct batch {
	const struct hh_vault *v;
	struct hh_arena a;
	int limit, n;
	int64_t after, last;
	struct hh_citizen *cits;
	struct hh_case *cases;
	struct hh_external_case *ext; /* x-ext: external cases */
	struct hh_webhook_sub *hooks; /* hooks-rotate: webhook secrets */
	struct hh_case_party *parties; /* p-parties: the parties' CPR numbers */
};

static enum hh_rc collect_citizen(void *p, const struct hh_citizen *c)
{
	struct batch *b = p;
	b->cits[b->n++] = *c;
	return HH_OK;
}

static enum hh_rc collect_case(void *p, const struct hh_case *c)
{
	struct batch *b = p;
	b->cases[b->n++] = *c;
	return HH_OK;
}

static enum hh_rc collect_external(void *p, const struct hh_external_case *c)
{
	struct batch *b = p;
	b->ext[b->n++] = *c;
	return HH_OK;
}

static enum hh_rc collect_webhook(void *p, const struct hh_webhook_sub *s)
{
	struct batch *b = p;
	b->hooks[b->n++] = *s;
	return HH_OK;
}

/* hooks-rotate (issue 15): a webhook subscription's signing secret,
 * sealed as a case's data: opened with the key it names (or taken as it
 * is when in clear, made while the store had no key file) and sealed
 * under the current seal key. */
static enum hh_rc webhooks_tx(struct hh_tx *tx, void *p)
{
	struct batch *b = p;
	struct hh_store *st = tx->store;
	b->n = 0;
	b->last = b->after;
	enum hh_rc rc = st->webhook_seal_scan(tx, &b->a, b->after,
					      hh_vault_seal_id(b->v), b->limit,
					      collect_webhook, b);
	for (int i = 0; rc == HH_OK && i < b->n; i++) {
		const struct hh_webhook_sub *s = &b->hooks[i];
		const char *clear = s->secret, *sealed;
		if (hh_vault_is_sealed(s->secret))
			rc = hh_vault_open(b->v, &b->a, s->secret, &clear);
		if (rc != HH_OK) {
			hh_log(HH_LOG_ERROR, "cannot open the signing secret of "
			       "webhook subscription %lld: %s", (long long)s->id,
			       rc == HH_ERR_NOT_FOUND
				       ? "its key is not in the key file"
				       : "the key file's key does not open it");
			return HH_ERR_INTERNAL;
		}
		rc = hh_vault_seal(b->v, &b->a, clear, &sealed);
		/* x-hooks2: the secret a rotation replaced, while it signs */
		const char *prev = s->previous_secret, *prev_sealed = NULL;
		if (rc == HH_OK && prev && hh_vault_is_sealed(prev))
			rc = hh_vault_open(b->v, &b->a, prev, &prev);
		if (rc == HH_OK && prev)
			rc = hh_vault_seal(b->v, &b->a, prev, &prev_sealed);
		if (rc == HH_OK)
			rc = st->webhook_seal_set(tx, s->id, sealed, prev_sealed);
		b->last = s->id;
	}
	return rc;
}

static enum hh_rc collect_party(void *p, const struct hh_case_party *c)
{
	struct batch *b = p;
	b->parties[b->n++] = *c;
	return HH_OK;
}

/* A row's CPR number (clear) sealed and hashed again under the vault's
 * current keys, into its four fields (parties, external cases). */
static enum hh_rc reseal_cpr(struct batch *b, const char *clear,
			     const char **cpr, const char **cpr_key,
			     const unsigned char **cpr_hash,
			     const char **cpr_hash_key)
{
	unsigned char *hash = hh_arena_alloc(&b->a, 32);
	enum hh_rc rc = hh_vault_seal(b->v, &b->a, clear, cpr);
	if (rc == HH_OK)
		rc = hh_vault_cpr_hash(b->v, 0, clear, hash);
	*cpr_key = hh_vault_seal_id(b->v);
	*cpr_hash = hash;
	*cpr_hash_key = hh_vault_hash_id(b->v);
	return rc;
}

/* p-parties (issue 16): a party's CPR number, as a citizen's. */
static enum hh_rc parties_tx(struct hh_tx *tx, void *p)
{
	struct batch *b = p;
	struct hh_store *st = tx->store;
	b->n = 0;
	b->last = b->after;
	enum hh_rc rc = st->case_party_seal_scan(tx, &b->a, b->after,
						 hh_vault_seal_id(b->v),
						 hh_vault_hash_id(b->v), b->limit,
						 collect_party, b);
	for (int i = 0; rc == HH_OK && i < b->n; i++) {
		struct hh_case_party *c = &b->parties[i];
		const char *clear = c->cpr;
		if (c->cpr_key)
			rc = hh_vault_open(b->v, &b->a, c->cpr, &clear);
		if (rc != HH_OK)
			return cannot_open(rc, "case party", c->id);
		rc = reseal_cpr(b, clear, &c->cpr, &c->cpr_key, &c->cpr_hash,
				&c->cpr_hash_key);
		if (rc == HH_OK)
			rc = st->case_party_seal_set(tx, c);
		b->last = c->id;
	}
	return rc;
}

/* x-ext (issue 15): an external case's CPR number, as a citizen's. */
static enum hh_rc external_tx(struct hh_tx *tx, void *p)
{
	struct batch *b = p;
	struct hh_store *st = tx->store;
	b->n = 0;
	b->last = b->after;
	enum hh_rc rc = st->external_seal_scan(tx, &b->a, b->after,
					       hh_vault_seal_id(b->v),
					       hh_vault_hash_id(b->v), b->limit,
					       collect_external, b);
	for (int i = 0; rc == HH_OK && i < b->n; i++) {
		struct hh_external_case *c = &b->ext[i];
		const char *clear = NULL;
		rc = hh_vault_open(b->v, &b->a, c->cpr, &clear);
		if (rc != HH_OK)
			return cannot_open(rc, "external case", c->id);
		rc = reseal_cpr(b, clear, &c->cpr, &c->cpr_key, &c->cpr_hash,
				&c->cpr_hash_key);
		if (rc == HH_OK)
			rc = st->external_seal_set(tx, c);
		b->last = c->id;
	}
	return rc;
}

static enum hh_rc citizens_tx(struct hh_tx *tx, void *p)
{
	struct batch *b = p;
	struct hh_store *st = tx->store;
	b->n = 0;
	b->last = b->after;
	enum hh_rc rc = st->citizen_seal_scan(tx, &b->a, b->after,
					      hh_vault_seal_id(b->v),
					      hh_vault_hash_id(b->v), b->limit,
					      collect_citizen, b);
	for (int i = 0; rc == HH_OK && i < b->n; i++) {
		struct hh_citizen *c = &b->cits[i];
		const char *clear = c->cpr;
		if (c->cpr_key)
			rc = hh_vault_open(b->v, &b->a, c->cpr, &clear);
		if (rc != HH_OK)
			return cannot_open(rc, "citizen", c->id);
		unsigned char *hash = hh_arena_alloc(&b->a, 32);
		rc = seal_citizen(b->v, &b->a, c, clear, hash);
		if (rc == HH_OK)
			rc = st->citizen_seal_set(tx, c);
		b->last = c->id;
	}
	return rc;
}

static enum hh_rc cases_tx(struct hh_tx *tx, void *p)
{
	struct batch *b = p;
	struct hh_store *st = tx->store;
	b->n = 0;
	b->last = b->after;
	enum hh_rc rc = st->case_seal_scan(tx, &b->a, b->after,
					   hh_vault_seal_id(b->v), b->limit,
					   collect_case, b);
	for (int i = 0; rc == HH_OK && i < b->n; i++) {
		struct hh_case *c = &b->cases[i];
		const char *clear = c->data, *sealed;
		if (c->seal_key)
			rc = hh_vault_open_data(b->v, &b->a, c->data, &clear);
		if (rc != HH_OK)
			return cannot_open(rc, "case", c->id);
		rc = hh_vault_seal_data(b->v, &b->a, clear, &sealed);
		if (rc == HH_OK)
			rc = st->case_seal_set(tx, c->id, sealed, hh_vault_seal_id(b->v));
		b->last = c->id;
	}
	return rc;
}

static enum hh_rc set_marker_tx(struct hh_tx *tx, void *p)
{
	return tx->store->meta_set(tx, META_KEYS, p);
}

enum hh_rc hh_vault_reseal(struct hh_store *st, int batch, int max_batches,
			   struct hh_vault_progress *p)
{
	memset(p, 0, sizeof(*p));
	const struct hh_vault *v = hh_vault_of(st);
	if (!v)
		return HH_ERR_INVALID;
	if (batch < 1)
		batch = HH_VAULT_BATCH;
	struct batch b = { .v = v, .limit = batch };
	enum hh_rc rc = HH_OK;
	static hh_tx_fn const tables[] = { citizens_tx, cases_tx, external_tx,
					   webhooks_tx, parties_tx };
	int64_t *const counts[] = { &p->citizens, &p->cases, &p->external,
				    &p->webhooks, &p->parties };
	for (int table = 0; table < 5 && rc == HH_OK; table++) {
		b.after = 0;
		for (;;) {
			if (max_batches && p->batches == max_batches)
				return HH_OK; /* stopped: p->done stays 0 */
			hh_arena_init(&b.a);
			b.cits = hh_arena_alloc(&b.a, sizeof(*b.cits) * (size_t)batch);
			b.cases = hh_arena_alloc(&b.a, sizeof(*b.cases) * (size_t)batch);
			b.ext = hh_arena_alloc(&b.a, sizeof(*b.ext) * (size_t)batch);
			b.hooks = hh_arena_alloc(&b.a,
						 sizeof(*b.hooks) * (size_t)batch);
			b.parties = hh_arena_alloc(&b.a,
						   sizeof(*b.parties) * (size_t)batch);
			rc = hh_store_run_tx(st, 1, tables[table], &b);
			hh_arena_clear(&b.a);
			if (rc != HH_OK)
				return rc;
			if (!b.n)
				break;
			p->batches++;
			*counts[table] += b.n;
			b.after = b.last;
			if (b.n < batch)
				break;
		}
	}
	char marker[64];
	snprintf(marker, sizeof(marker), "%s %s", hh_vault_seal_id(v),
		 hh_vault_hash_id(v));
	rc = hh_store_run_tx(st, 1, set_marker_tx, marker);
	p->done = rc == HH_OK;
	return rc;
}

/* ---- the keys the store uses ------------------------------------------ */

struct in_use {
	struct hh_arena a;
	const char *ids[2 * HH_VAULT_KEYS_MAX + 2];
	int n, clear; /* clear: rows not sealed yet */
	const char *marker;
};

static enum hh_rc in_use_row(void *p, const char *id)
{
	struct in_use *u = p;
	if (!id)
		u->clear = 1;
	else if (u->n < (int)(sizeof(u->ids) / sizeof(u->ids[0])))
		u->ids[u->n++] = id;
	else
		return HH_ERR_CONFLICT; /* more keys than any key file holds */
	return HH_OK;
}

static enum hh_rc in_use_tx(struct hh_tx *tx, void *p)
{
	struct in_use *u = p;
	u->n = u->clear = 0;
	return tx->store->seal_keys_in_use(tx, &u->a, in_use_row, u);
}

static enum hh_rc marker_tx(struct hh_tx *tx, void *p)
{
	struct in_use *u = p;
	return tx->store->meta_get(tx, &u->a, META_KEYS, &u->marker);
}

static int knows(const struct hh_vault *v, const char *id, int seal)
{
	const struct hh_vault_key *k = seal ? v->seal : v->hash;
	int n = seal ? v->n_seal : v->n_hash;
	for (int i = 0; i < n; i++)
		if (!strcmp(k[i].id, id))
			return 1;
	return 0;
}

enum hh_rc hh_vault_start(struct hh_store *st, const char *key_file,
			  const char *db_path, char *err, size_t errsz)
{
	char def[4200];
	if (!key_file) {
		snprintf(def, sizeof(def), "%s.keys", db_path);
		key_file = def;
	}
	struct in_use u = { 0 };
	hh_arena_init(&u.a);
	struct hh_vault *v = NULL;
	enum hh_rc rc = hh_store_run_tx(st, 0, marker_tx, &u);
	if (rc == HH_OK)
		rc = hh_vault_load(key_file, &v, err, errsz);
	if (rc == HH_ERR_NOT_FOUND) {
		/* a new key only where no CPR number is sealed yet: a key
		 * file lost or mistyped must not make a second one that
		 * cannot open the first one's rows */
		rc = hh_store_run_tx(st, 0, in_use_tx, &u);
		if (rc == HH_OK && (u.n || u.marker)) {
			snprintf(err, errsz,
				 "no key file %s, but the CPR numbers in %s are "
				 "sealed under key %s: give the key file with "
				 "--key-file or HELHED_KEY_FILE",
				 key_file, db_path, u.n ? u.ids[0] : u.marker);
			rc = HH_ERR_NOT_FOUND;
		} else if (rc == HH_OK) {
			rc = hh_vault_create(key_file, &v, err, errsz);
			if (rc == HH_ERR_CONFLICT) /* made by another process now */
				rc = hh_vault_load(key_file, &v, err, errsz);
			else if (rc == HH_OK)
				hh_log(HH_LOG_INFO,
				       "created the key file %s: CPR numbers in %s "
				       "are sealed with it; keep it secret and back "
				       "it up apart from the database",
				       key_file, db_path);
		}
	}
	if (rc == HH_OK && u.marker) {
		/* the keys every row was sealed under when last noted */
		char seal_id[40] = "", hash_id[40] = "";
		sscanf(u.marker, "%39s %39s", seal_id, hash_id);
		if (!knows(v, seal_id, 1) || !knows(v, hash_id, 0)) {
			snprintf(err, errsz,
				 "key file %s lacks key %s or %s that the CPR "
				 "numbers in %s are sealed under",
				 key_file, seal_id, hash_id, db_path);
			rc = HH_ERR_INVALID;
		}
	}
	char now[64];
	if (v)
		snprintf(now, sizeof(now), "%s %s", hh_vault_seal_id(v),
			 hh_vault_hash_id(v));
	int sealed_already = rc == HH_OK && u.marker && !strcmp(u.marker, now);
	hh_arena_clear(&u.a);
	if (rc == HH_OK) {
		rc = hh_vault_attach(st, v);
		if (rc == HH_OK)
			v = NULL;
	}
	hh_vault_free(v);
	if (rc != HH_OK || sealed_already)
		return rc;
	struct hh_vault_progress p;
	rc = hh_vault_reseal(st, HH_VAULT_BATCH, 0, &p);
	if (rc == HH_OK && (p.citizens || p.cases || p.external || p.webhooks))
		hh_log(HH_LOG_INFO,
		       "sealed the CPR numbers of %lld citizens, %lld cases and "
		       "%lld external cases and the signing secrets of %lld "
		       "webhook subscriptions under key %s",
		       (long long)p.citizens, (long long)p.cases,
		       (long long)p.external, (long long)p.webhooks, now);
	if (rc != HH_OK)
		snprintf(err, errsz, "cannot seal the CPR numbers in %s (%s)",
			 db_path, hh_rc_name(rc));
	return rc;
}

/* ---- rotation -------------------------------------------------------- */

enum hh_rc hh_vault_rotate(struct hh_store *st, int batch, int max_batches,
			   struct hh_vault_rotation *r, char *err,
			   size_t errsz)
{
	memset(r, 0, sizeof(*r));
	struct hh_vault *v = hh_vault_of(st);
	if (!v)
		return HH_ERR_INVALID;
	enum hh_rc rc = HH_OK;
	if (v->n_seal == 1 && v->n_hash == 1) {
		/* nothing left over from an earlier rotation: new keys, saved
		 * before any row is sealed under them */
		rc = hh_vault_new_key(v, 1);
		if (rc == HH_OK)
			rc = hh_vault_new_key(v, 0);
		if (rc == HH_OK)
			rc = hh_vault_save(v, 0, err, errsz);
		if (rc != HH_OK)
			return rc;
		r->started = 1;
	}
	snprintf(r->seal_id, sizeof(r->seal_id), "%s", hh_vault_seal_id(v));
	snprintf(r->hash_id, sizeof(r->hash_id), "%s", hh_vault_hash_id(v));
	rc = hh_vault_reseal(st, batch, max_batches, &r->p);
	if (rc != HH_OK || !r->p.done)
		return rc;
	/* the old keys go only when no row names one any more */
	struct in_use u = { 0 };
	hh_arena_init(&u.a);
	rc = hh_store_run_tx(st, 0, in_use_tx, &u);
	for (int i = 0; rc == HH_OK && i < u.n; i++)
		if (strcmp(u.ids[i], r->seal_id) && strcmp(u.ids[i], r->hash_id)) {
			snprintf(err, errsz, "rows are still sealed under key %s "
					     "(was a server writing?): run again",
				 u.ids[i]);
			rc = HH_ERR_CONFLICT;
		}
	if (rc == HH_OK && u.clear) {
		snprintf(err, errsz, "rows are still not sealed: run again");
		rc = HH_ERR_CONFLICT;
	}
	hh_arena_clear(&u.a);
	if (rc == HH_OK && (v->n_seal > 1 || v->n_hash > 1)) {
		hh_vault_drop_old(v);
		rc = hh_vault_save(v, 0, err, errsz);
		r->dropped = rc == HH_OK;
	}
	return rc;
}

/* ---- finding a citizen by CPR number ---------------------------------- */

struct by_cpr {
	struct hh_arena *a;
	const unsigned char *hash;
	struct hh_citizen *out;
};

static enum hh_rc by_cpr_tx(struct hh_tx *tx, void *p)
{
	struct by_cpr *c = p;
	return tx->store->citizen_get_by_cpr_hash(tx, c->a, c->hash, c->out);
}

enum hh_rc hh_vault_citizen_by_cpr(struct hh_store *st, struct hh_arena *a,
				   const char *cpr, struct hh_citizen *out)
{
	const struct hh_vault *v = hh_vault_of(st);
	if (!v)
		return HH_ERR_INVALID;
	unsigned char hash[32];
	enum hh_rc rc = HH_ERR_NOT_FOUND;
	/* while a rotation re-hashes, a row may still have the old hash */
	for (int i = 0; rc == HH_ERR_NOT_FOUND && i < v->n_hash; i++) {
		if (hh_vault_cpr_hash(v, i, cpr, hash) != HH_OK)
			return HH_ERR_NOT_FOUND;
		struct by_cpr c = { a, hash, out };
		rc = hh_store_run_tx(st, 0, by_cpr_tx, &c);
	}
	return rc;
}
