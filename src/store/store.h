/* store.h - the storage interface: one struct of functions per backend.
 *
 * The store is the single source of truth. A backend (sqlite.c today,
 * postgres.c later) fills in a struct hh_store; the domain layer talks only
 * to this interface, always inside a transaction run by hh_store_run_tx(),
 * which retries HH_ERR_BUSY a bounded number of times (GNU Taler's database
 * plugin, SQLite's io_methods).
 *
 * Strings in rows returned by the store are allocated from the arena the
 * caller passes and live as long as it. Multi-row reads stream rows to a
 * callback; the row passed to the callback is borrowed for that call only.
 *
 * The rows themselves (struct hh_article, struct hh_case, ...) are the
 * domain's and live in domain/model.h; this header is the interface. */
#ifndef HH_STORE_H
#define HH_STORE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/rc.h"
#include "domain/model.h"

/* The hash of a request kept with its idempotency key: 64 hex digits. */
#define HH_REQUEST_HASH_SIZE 65

/* A transaction; backends embed this as the first member of their own. */
struct hh_tx {
	struct hh_store *store;
	int write;
};

typedef enum hh_rc (*hh_org_cb)(void *ctx, const struct hh_org *org);
typedef enum hh_rc (*hh_article_cb)(void *ctx, const struct hh_article *a);
typedef enum hh_rc (*hh_event_cb)(void *ctx, const struct hh_event *e);
typedef enum hh_rc (*hh_user_cb)(void *ctx, const struct hh_user *u);
typedef enum hh_rc (*hh_report_cb)(void *ctx,
				   const struct hh_search_report_row *row);
typedef enum hh_rc (*hh_chosen_cb)(void *ctx, int64_t article_id, int64_t n);
typedef enum hh_rc (*hh_case_type_cb)(void *ctx,
				      const struct hh_case_type *ct);
typedef enum hh_rc (*hh_plan_cb)(void *ctx, const struct hh_plan *p);
typedef enum hh_rc (*hh_case_cb)(void *ctx, const struct hh_case *c);
typedef enum hh_rc (*hh_audit_cb)(void *ctx, const struct hh_audit *a);
typedef enum hh_rc (*hh_life_event_cb)(void *ctx,
				       const struct hh_life_event *le);
typedef enum hh_rc (*hh_citizen_cb)(void *ctx, const struct hh_citizen *c);
typedef enum hh_rc (*hh_inquiry_cb)(void *ctx, const struct hh_inquiry *q);
/* appointments */
typedef enum hh_rc (*hh_appointment_cb)(void *ctx,
					const struct hh_appointment *b);
/* chat */
typedef enum hh_rc (*hh_chat_cb)(void *ctx, const struct hh_chat *c);
typedef enum hh_rc (*hh_chat_message_cb)(void *ctx,
					 const struct hh_chat_message *m);
/* the citizen's inbox */
typedef enum hh_rc (*hh_inbox_cb)(void *ctx, const struct hh_letter *l);

/* delivery (domain/messages.h) */
typedef enum hh_rc (*hh_message_cb)(void *ctx, const struct hh_message_row *m);
typedef enum hh_rc (*hh_print_batch_cb)(void *ctx,
					const struct hh_print_batch *b);

/* ---- the service figures (domain/figures.h): the fold's rows ---- */
/* What a figure is read for: organisation, Danish days YYYYMMDD
 * inclusive, and NULL or a channel, a case type code, a KLE prefix. */
struct hh_fig_filter {
	int64_t org_id;
	int from_day, to_day;
	const char *channel, *case_type, *topic;
};
/* Groupings of fig_agg_sum. */
enum hh_fig_group {
	HH_FIG_G_TOTAL = 0,
	HH_FIG_G_CHANNEL,
	HH_FIG_G_CASE_TYPE,
	HH_FIG_G_TOPIC, /* the KLE main group: two digits */
	HH_FIG_G_DAY,   /* key "20260315" */
};
struct hh_fig_inquiry_fact {
	int64_t id, org_id;
	const char *channel;
	int64_t started_at;
	int day;
	const char *topic;   /* "" none */
	int64_t article_id;  /* 0 none */
	const char *outcome;
	const char *first_outcome; /* NULL while open */
	int transfers;
	int64_t callback_due_at; /* 0 none */
	int callback_day;
	int callback_kept;       /* -1 not (yet) made, 0 late, 1 kept */
};
struct hh_fig_case_fact {
	int64_t id, org_id;
	const char *case_type, *channel, *topic;
	int64_t submitted_at;
	int day;
	const char *state;
	int64_t paused_since, paused_s;
	int deadline_days;
	int64_t closed_at;
	int decided, decided_day, deadline_day;
	double proc_days;
	int within;
	const char *ref; /* lists only: the journal number, or NULL */
};
struct hh_fig_search_counts {
	int64_t searches, no_result, weak, success;
};
typedef enum hh_rc (*hh_fig_agg_cb)(void *ctx, const char *key, int64_t n,
				    double sum);
typedef enum hh_rc (*hh_fig_value_cb)(void *ctx, double v);
typedef enum hh_rc (*hh_fig_inquiry_cb)(void *ctx,
					const struct hh_fig_inquiry_fact *f);
typedef enum hh_rc (*hh_fig_case_cb)(void *ctx,
				     const struct hh_fig_case_fact *f);
/* fig-hist: one search as the fold counts it (fig_search_rows) */
struct hh_fig_search_row {
	int64_t id, org_id; /* org_id 0: made without a municipality */
	int64_t at;         /* epoch seconds */
	int no_result, weak, success; /* 0 or 1, as fig_search counts */
};
typedef enum hh_rc (*hh_fig_search_cb)(void *ctx,
				       const struct hh_fig_search_row *r);

/* x-hooks (issue 15): webhooks (domain/webhooks.h, migration 0035). */
struct hh_webhook_sub {
	int64_t id, org_id;
	const char *url;
	const char *secret; /* as stored: sealed by the domain's vault */
	const char *events; /* the event types, comma-separated */
	int active;
	int64_t created_at;
	const char *created_by;
	/* x-hooks2: the secret a rotation replaced (sealed as secret; NULL:
	 * none) and until when deliveries are signed with it too */
	const char *previous_secret;
	int64_t previous_until;
};
/* An event (entity, action) of event type `type` that a subscription
 * wants; action "*": any; any_org: 1 from any organisation, 0 only from
 * the subscription's own, 2 (x-hooks2) from its own or from an event
 * whose also_org_id is the subscription's organisation (a transfer). */
struct hh_webhook_topic {
	const char *type, *entity, *action;
	int any_org;
};
struct hh_webhook_delivery {
	int64_t id, sub_id, event_id;
	const char *type;
	const char *state; /* pending, delivered, failed, skipped */
	int64_t attempts, next_attempt_at, last_code;
	const char *last_error; /* NULL: none */
	int64_t created_at, updated_at;
	/* webhook_claim only: the subscription and the event */
	int64_t org_id;
	const char *url, *secret;
	const char *previous_secret; /* x-hooks2: NULL: none */
	int64_t previous_until;
	struct hh_event event;
};
typedef enum hh_rc (*hh_webhook_sub_cb)(void *ctx,
					const struct hh_webhook_sub *s);
typedef enum hh_rc (*hh_webhook_delivery_cb)(
	void *ctx, const struct hh_webhook_delivery *d);

/* A committed change, told to the store's subscribers. Strings are
 * borrowed for the call. pg-multi (issue 14): changes of other instances
 * on the same PostgreSQL database are told too (store/postgres.h), and
 * entity "*" (action "resync") means some were missed: read again
 * everything kept. */
struct hh_change {
	const char *entity; /* "article", "case", ... */
	int64_t id;
	int64_t org_id;     /* 0: none (a shared article) */
	const char *action; /* "create", "update", "archive", "submit", ... */
};

typedef void (*hh_change_fn)(void *cls, const struct hh_change *c);

/* How long hh_store_run_tx goes on retrying BUSY on a backend with
 * busy_attempts set (PostgreSQL): past it, no further attempt starts. */
#define HH_STORE_BUSY_BUDGET_US 2000000

#define HH_STORE_SUBSCRIBERS_MAX 8
struct hh_store_subscriber {
	hh_change_fn fn;
	void *cls;
};

/* Organisations looked up by code, kept for hh_store_org_by_code()
 * (store.c). */
struct hh_org_cached;
struct hh_org_cache {
	pthread_mutex_t lock;
	struct hh_org_cached *entries;
	size_t n, cap;
};

/* pg-ops (issue 14): what /metrics shows of the store, counted by the
 * backends (hh_store_count_*) in the struct hh_store they share. */
#define HH_STORE_QUERY_BUCKETS 9
struct hh_store_counters {
	int pool_size;            /* set at open */
	atomic_int in_use;        /* connections taken by a transaction */
	atomic_llong waits;       /* transactions that waited for one */
	atomic_llong wait_us;     /* and how long, in total */
	atomic_llong retries;     /* transactions run again after BUSY */
	atomic_llong query_us;    /* statements' total time (BEGIN and
				     COMMIT too; how many: the buckets' sum) */
	atomic_llong query_max_us;
	/* statements by time: [i] up to hh_store_query_bounds_us[i] (and
	 * above the bound before), the last one above every bound */
	atomic_llong query_by_time[HH_STORE_QUERY_BUCKETS + 1];
};

struct hh_store {
	void *cls;
	const char *name; /* "sqlite" */
	/* How many times hh_store_run_tx tries a transaction that ends BUSY
	 * (0: 8). SQLite waits inside each attempt (busy_timeout), so 8 is
	 * plenty there; PostgreSQL's serialization failures come at once and
	 * in bursts when many instances write, so it tries longer, within
	 * HH_STORE_BUSY_BUDGET_US from the first attempt's start. */
	int busy_attempts;

	/* What every backend shares (set up by hh_store_init_common):
	 * orgs_version goes up by one each time a transaction that wrote
	 * organisations (org_put) has ended, committed or not, so that
	 * the cache below knows what it holds may be out of date. */
	atomic_llong orgs_version;
	struct hh_org_cache org_cache;
	/* Who is told of committed changes (hh_store_subscribe). */
	pthread_mutex_t subs_lock;
	struct hh_store_subscriber subs[HH_STORE_SUBSCRIBERS_MAX];
	int n_subs;
	/* Set by the domain's CPR vault (domain/vault.h) when it wraps the
	 * citizen and case functions below to seal CPR numbers; NULL when
	 * none. hh_store_close calls vault_free(vault). */
	void *vault;
	void (*vault_free)(void *vault);
	/* pg-ops: pool use and query times (hh_store_stats) */
	struct hh_store_counters counters;

	void (*close)(void *cls);
	/* Applies pending migrations; *applied gets how many (may be NULL). */
	enum hh_rc (*migrate)(void *cls, int *applied);
	/* Current schema version and the newest one this build knows. */
	enum hh_rc (*schema_version)(void *cls, int *current, int *latest);

	enum hh_rc (*tx_begin)(void *cls, int write, struct hh_tx **tx);
	enum hh_rc (*tx_commit)(struct hh_tx *tx);
	void (*tx_rollback)(struct hh_tx *tx);

	/* Key-value settings (e.g. "demo_loaded"). *value is NULL if unset. */
	enum hh_rc (*meta_get)(struct hh_tx *tx, struct hh_arena *a,
			       const char *key, const char **value);
	enum hh_rc (*meta_set)(struct hh_tx *tx, const char *key,
			       const char *value);

	/* Ids handed out by the database in blocks (a PostgreSQL sequence
	 * with CACHE n): reserves the n ids first .. first + n - 1 of the
	 * named counter (e.g. "search_log") for the caller, in a write
	 * transaction. Every instance on the database gets its own, disjoint
	 * blocks; ids left unused in a block are never handed out again.
	 * A counter starts at 1 (or where the migration that made it put
	 * it); INVALID if n < 1. */
	enum hh_rc (*id_block)(struct hh_tx *tx, const char *counter,
			       int64_t n, int64_t *first);

	/* Organisations. org_put inserts or updates by code and sets ->id. */
	enum hh_rc (*org_put)(struct hh_tx *tx, struct hh_org *org);
	enum hh_rc (*org_get)(struct hh_tx *tx, struct hh_arena *a, int64_t id,
			      struct hh_org *out);
	enum hh_rc (*org_get_by_code)(struct hh_tx *tx, struct hh_arena *a,
				      const char *code, struct hh_org *out);
	enum hh_rc (*org_list)(struct hh_tx *tx, struct hh_arena *a,
			       hh_org_cb cb, void *ctx);

	/* Users. user_insert sets ->id; CONFLICT if the email exists. */
	enum hh_rc (*user_insert)(struct hh_tx *tx, struct hh_user *u);
	enum hh_rc (*user_get)(struct hh_tx *tx, struct hh_arena *a, int64_t id,
			       struct hh_user *out);
	enum hh_rc (*user_get_by_email)(struct hh_tx *tx, struct hh_arena *a,
					const char *email, struct hh_user *out);
	enum hh_rc (*user_list)(struct hh_tx *tx, struct hh_arena *a,
				hh_user_cb cb, void *ctx);
	/* A user signed in through OpenID Connect: inserts u (password
	 * hash '') or, when a user with u->oidc_subject exists, updates its
	 * organisation, name and roles (the provider's groups decide them
	 * at every sign-in); sets ->id, ->disabled and ->created_at from
	 * the stored row (created_at unchanged: the user is new).
	 * CONFLICT when u->email belongs to another user. */
	enum hh_rc (*user_put_oidc)(struct hh_tx *tx, struct hh_user *u);

	/* Sessions, keyed by the hash of their token. */
	enum hh_rc (*session_insert)(struct hh_tx *tx,
				     const struct hh_session *s);
	enum hh_rc (*session_get)(struct hh_tx *tx, struct hh_arena *a,
				  const unsigned char hash[32],
				  struct hh_session *out);
	enum hh_rc (*session_delete)(struct hh_tx *tx,
				     const unsigned char hash[32]);
	enum hh_rc (*session_purge)(struct hh_tx *tx, int64_t now);
	/* Sets the session's last_seen to now (the idle timeout). */
	enum hh_rc (*session_touch)(struct hh_tx *tx,
				    const unsigned char hash[32], int64_t now);
	/* Ends every staff and citizen session signed in through OpenID
	 * Connect with provider session sid, or (sid NULL) with subject;
	 * *ended gets how many (may be NULL). */
	enum hh_rc (*oidc_sessions_end)(struct hh_tx *tx, const char *sid,
					const char *subject, int64_t *ended);

	/* Failed password sign-ins per account, shared by every instance
	 * on the database (issue 14), keyed by a 32-byte keyed hash of the
	 * account (domain/auth.c). free_at is when the account's
	 * allowance is whole again, in microseconds; the domain does the
	 * arithmetic. get: *free_at, NOT_FOUND when the key has no row.
	 * put: sets key's free_at (one row per key) and deletes every row
	 * whose free_at is at or before now. clear: deletes key's row (a
	 * correct password). */
	enum hh_rc (*signin_fail_get)(struct hh_tx *tx,
				      const unsigned char key[32],
				      int64_t *free_at);
	enum hh_rc (*signin_fail_put)(struct hh_tx *tx,
				      const unsigned char key[32],
				      int64_t free_at, int64_t now);
	enum hh_rc (*signin_fail_clear)(struct hh_tx *tx,
					const unsigned char key[32]);

	/* API bearer tokens, keyed by the hash of the token. */
	enum hh_rc (*token_insert)(struct hh_tx *tx, struct hh_api_token *t);
	enum hh_rc (*token_get)(struct hh_tx *tx, struct hh_arena *a,
				const unsigned char hash[32],
				struct hh_api_token *out);
	/* The token with this id (revoked ones too: the audit names them). */
	enum hh_rc (*token_get_by_id)(struct hh_tx *tx, struct hh_arena *a,
				      int64_t id, struct hh_api_token *out);

	/* Articles. article_insert sets ->id and ->version = 1 and records
	 * version 1; CONFLICT if (org, slug) exists. article_update writes
	 * a->... as version expected + 1 only if the stored version is
	 * expected (else CONFLICT) and records that version. */
	enum hh_rc (*article_insert)(struct hh_tx *tx, struct hh_article *a);
	enum hh_rc (*article_update)(struct hh_tx *tx, struct hh_article *a,
				     int64_t expected_version);
	/* org_id 0: the shared article. */
	enum hh_rc (*article_get)(struct hh_tx *tx, struct hh_arena *a,
				  int64_t org_id, const char *slug,
				  struct hh_article *out);
	/* The article at slug owned by an agency (the oldest if several). */
	enum hh_rc (*article_get_agency)(struct hh_tx *tx, struct hh_arena *a,
					 const char *slug,
					 struct hh_article *out);
	enum hh_rc (*article_get_by_id)(struct hh_tx *tx, struct hh_arena *a,
					int64_t id, struct hh_article *out);
	/* Streams matching articles ordered by (shared first, org, slug),
	 * skipping offset, at most limit (0: all); *total gets the count of
	 * all matches (may be NULL). */
	enum hh_rc (*article_list)(struct hh_tx *tx, struct hh_arena *a,
				   const struct hh_article_filter *f,
				   int64_t offset, int64_t limit,
				   int64_t *total, hh_article_cb cb,
				   void *ctx);
	/* Streams the versions stored for article id, oldest first, each
	 * as an article with that version's fields (body_html NULL;
	 * updated_at and updated_by: when and by whom it was written). */
	enum hh_rc (*article_versions)(struct hh_tx *tx, struct hh_arena *a,
				       int64_t id, hh_article_cb cb, void *ctx);
	enum hh_rc (*article_views_add)(struct hh_tx *tx, int64_t article_id,
					int64_t n);
	/* The article's page views (0 for an article never viewed). */
	enum hh_rc (*article_views_get)(struct hh_tx *tx, int64_t article_id,
					int64_t *n);
	/* Streams the most viewed published citizen articles of the scope
	 * (shared plus org_id's own, overrides in place of what they
	 * override). */
	enum hh_rc (*article_popular)(struct hh_tx *tx, struct hh_arena *a,
				      int64_t org_id, int limit,
				      hh_article_cb cb, void *ctx);

	/* Append-only event log. event_append sets ->id. */
	enum hh_rc (*event_append)(struct hh_tx *tx, struct hh_event *e);
	enum hh_rc (*event_list)(struct hh_tx *tx, struct hh_arena *a,
				 const char *entity, int64_t entity_id,
				 hh_event_cb cb, void *ctx);
	enum hh_rc (*event_count)(struct hh_tx *tx, int64_t *n);

	/* The search log. Ids are given by the caller, from blocks taken
	 * with id_block(tx, "search_log", ...), so that a search needs no
	 * write of its own. */
	enum hh_rc (*search_log_insert)(struct hh_tx *tx,
					const struct hh_search_log *e);
	enum hh_rc (*search_log_choose)(struct hh_tx *tx, int64_t id,
					int64_t article_id, int64_t at);
	/* Queries since `since` (seconds) grouped by their text, those with
	 * no result or no choice first, most frequent first: those made in
	 * municipality org_id (-1: every search), and with unscoped also
	 * those made without a municipality (on the shared knowledge base). */
	enum hh_rc (*search_report)(struct hh_tx *tx, struct hh_arena *a,
				    int64_t since, int limit, int64_t org_id,
				    int unscoped, hh_report_cb cb, void *ctx);
	/* How often each article was chosen from search results. */
	enum hh_rc (*search_chosen_counts)(struct hh_tx *tx, hh_chosen_cb cb,
					   void *ctx);

	/* Case types: put inserts or updates by code. list: public_only
	 * restricts to those open to citizens. */
	enum hh_rc (*case_type_put)(struct hh_tx *tx, struct hh_case_type *ct);
	enum hh_rc (*case_type_get)(struct hh_tx *tx, struct hh_arena *a,
				    int64_t id, struct hh_case_type *out);
	enum hh_rc (*case_type_get_by_code)(struct hh_tx *tx, struct hh_arena *a,
					    const char *code,
					    struct hh_case_type *out);
	enum hh_rc (*case_type_list)(struct hh_tx *tx, struct hh_arena *a,
				     int public_only, hh_case_type_cb cb,
				     void *ctx);

	/* Citizens (put: insert or update by subject, sets ->id). */
	enum hh_rc (*citizen_put)(struct hh_tx *tx, struct hh_citizen *c);
	enum hh_rc (*citizen_get)(struct hh_tx *tx, struct hh_arena *a,
				  int64_t id, struct hh_citizen *out);
	enum hh_rc (*citizen_get_by_subject)(struct hh_tx *tx,
					     struct hh_arena *a,
					     const char *subject,
					     struct hh_citizen *out);
	/* Streams citizens whose subject starts with prefix (demo sign-in). */
	enum hh_rc (*citizen_list)(struct hh_tx *tx, struct hh_arena *a,
				   const char *prefix,
				   enum hh_rc (*cb)(void *ctx,
						    const struct hh_citizen *c),
				   void *ctx);
	/* The citizen whose cpr_hash is hash (32 bytes); NOT_FOUND if none. */
	enum hh_rc (*citizen_get_by_cpr_hash)(struct hh_tx *tx,
					      struct hh_arena *a,
					      const unsigned char hash[32],
					      struct hh_citizen *out);
	enum hh_rc (*citizen_session_insert)(struct hh_tx *tx,
					     const struct hh_citizen_session *s);
	enum hh_rc (*citizen_session_get)(struct hh_tx *tx, struct hh_arena *a,
					  const unsigned char hash[32],
					  struct hh_citizen_session *out);
	enum hh_rc (*citizen_session_delete)(struct hh_tx *tx,
					     const unsigned char hash[32]);
	enum hh_rc (*citizen_session_touch)(struct hh_tx *tx,
					    const unsigned char hash[32],
					    int64_t now);
	enum hh_rc (*citizen_session_purge)(struct hh_tx *tx, int64_t now);

	/* Plans: a citizen's instance of a life event. */
	enum hh_rc (*plan_insert)(struct hh_tx *tx, struct hh_plan *p);
	enum hh_rc (*plan_update)(struct hh_tx *tx, const struct hh_plan *p);
	enum hh_rc (*plan_get)(struct hh_tx *tx, struct hh_arena *a, int64_t id,
			       struct hh_plan *out);
	enum hh_rc (*plan_list)(struct hh_tx *tx, struct hh_arena *a,
				int64_t citizen_id, hh_plan_cb cb, void *ctx);

	/* Cases. case_insert sets ->id and ->version = 1. case_update
	 * writes state, assigned_to, data, deadline_at, paused_since,
	 * closed_at and updated_at as version expected + 1 if the stored
	 * version is expected, else CONFLICT. */
	enum hh_rc (*case_insert)(struct hh_tx *tx, struct hh_case *c);
	enum hh_rc (*case_update)(struct hh_tx *tx, struct hh_case *c,
				  int64_t expected_version);
	enum hh_rc (*case_get)(struct hh_tx *tx, struct hh_arena *a, int64_t id,
			       struct hh_case *out);
	enum hh_rc (*case_list)(struct hh_tx *tx, struct hh_arena *a,
				const struct hh_case_filter *f, int64_t offset,
				int64_t limit, int64_t *total, hh_case_cb cb,
				void *ctx);

	/* Idempotency keys: the case a (scope, key) created, and the hash
	 * of the request that created it (hex; "" for a key stored before
	 * hashes were kept; hash may be NULL). idempotency_put: case
	 * case_id must exist, inserted or read in this transaction; the
	 * store does not check it on PostgreSQL (migration 0032 dropped
	 * the reference: its check made concurrent submissions fail), and
	 * SQLite refuses it (not HH_OK). */
	enum hh_rc (*idempotency_get)(struct hh_tx *tx, const char *scope,
				      const char *key, int64_t *case_id,
				      char hash[HH_REQUEST_HASH_SIZE]);
	enum hh_rc (*idempotency_put)(struct hh_tx *tx, const char *scope,
				      const char *key, int64_t case_id,
				      const char *hash);

	/* Files uploaded with a form. case_file_insert: the case must
	 * exist, inserted or read in this transaction; the store does not
	 * check it on PostgreSQL (0032, as idempotency_put), and SQLite
	 * refuses it (not HH_OK). */
	enum hh_rc (*case_file_insert)(struct hh_tx *tx, int64_t case_id,
				       const char *field, const char *name,
				       const char *content_type,
				       const void *data, size_t size,
				       int64_t *id);

	/* Streams the files of case case_id, oldest first. */
	enum hh_rc (*case_file_list)(struct hh_tx *tx, struct hh_arena *a,
				     int64_t case_id,
				     enum hh_rc (*cb)(void *ctx,
						      const struct hh_case_file *f),
				     void *ctx);

	/* parties (issue 16, 0041_case_parties.sql): the other parties
	 * to a case. case_party_insert sets p->id (p->version is 1).
	 * case_party_list streams case case_id's, by position.
	 * case_party_update writes status and answered_at of p->id and
	 * adds one to its version when that is expected, else CONFLICT.
	 * case_party_of_citizen streams the parties citizen_id is, newest
	 * first, at most limit. case_party_due streams parties still
	 * invited whose expires_at is before now, oldest first, at most
	 * limit. */
	enum hh_rc (*case_party_insert)(struct hh_tx *tx, struct hh_case_party *p);
	enum hh_rc (*case_party_list)(struct hh_tx *tx, struct hh_arena *a,
				      int64_t case_id,
				      enum hh_rc (*cb)(void *ctx,
						       const struct hh_case_party *p),
				      void *ctx);
	enum hh_rc (*case_party_update)(struct hh_tx *tx,
					const struct hh_case_party *p,
					int64_t expected);
	enum hh_rc (*case_party_of_citizen)(struct hh_tx *tx, struct hh_arena *a,
					    int64_t citizen_id, int limit,
					    enum hh_rc (*cb)(void *ctx,
							     const struct hh_case_party *p),
					    void *ctx);
	enum hh_rc (*case_party_due)(struct hh_tx *tx, struct hh_arena *a,
				     int64_t now, int limit,
				     enum hh_rc (*cb)(void *ctx,
						      const struct hh_case_party *p),
				     void *ctx);
	/* Key rotation (domain/vault.h): case_party_seal_scan streams, by
	 * id after after_id, at most limit rows with a CPR number whose
	 * cpr_key is not seal_key or whose cpr_hash_key is not hash_key;
	 * case_party_seal_set writes cpr, cpr_key, cpr_hash and cpr_hash_key
	 * of p->id (no new version). The keys they name are in
	 * seal_keys_in_use. */
	enum hh_rc (*case_party_seal_scan)(struct hh_tx *tx, struct hh_arena *a,
					   int64_t after_id, const char *seal_key,
					   const char *hash_key, int limit,
					   enum hh_rc (*cb)(void *ctx,
							    const struct hh_case_party *p),
					   void *ctx);
	enum hh_rc (*case_party_seal_set)(struct hh_tx *tx,
					  const struct hh_case_party *p);
	/* p-letters (0046): a party named by a CPR number the register
	 * knew and helhed did not (citizen_id NULL) is found at their
	 * sign-in by the number's keyed hash. case_party_unclaimed streams
	 * the rows without a citizen whose cpr_hash is hash (32 bytes), by
	 * id; case_party_claim sets citizen_id of row id when it has none
	 * (and adds one to its version), else CONFLICT. */
	enum hh_rc (*case_party_unclaimed)(struct hh_tx *tx, struct hh_arena *a,
					   const unsigned char *hash,
					   enum hh_rc (*cb)(void *ctx,
							    const struct hh_case_party *p),
					   void *ctx);
	enum hh_rc (*case_party_claim)(struct hh_tx *tx, int64_t id,
				       int64_t citizen_id);
	/* Agreements (p-agree, 0045_case_agreements.sql), both append-only:
	 * case_agreement_insert writes a version (sets v->id; CONFLICT when
	 * the case has that version already), case_agreement_list streams
	 * case case_id's, oldest version first; case_signature_insert writes
	 * a signature (sets s->id; CONFLICT when that signer signed that
	 * version already), case_signature_list streams case case_id's by
	 * version, then in the order written. */
	enum hh_rc (*case_agreement_insert)(struct hh_tx *tx,
					    struct hh_agreement_version *v);
	enum hh_rc (*case_agreement_list)(struct hh_tx *tx, struct hh_arena *a,
					  int64_t case_id,
					  enum hh_rc (*cb)(void *ctx,
							   const struct hh_agreement_version *v),
					  void *ctx);
	enum hh_rc (*case_signature_insert)(struct hh_tx *tx,
					    struct hh_agreement_signature *s);
	enum hh_rc (*case_signature_list)(struct hh_tx *tx, struct hh_arena *a,
					  int64_t case_id,
					  enum hh_rc (*cb)(void *ctx,
							   const struct hh_agreement_signature *s),
					  void *ctx);
	/* Name and address protection (0042): citizen_protected_get sets
	 * *on to 1 when citizen id's address must not be shown to another
	 * party (0 too for no such citizen); citizen_protected_set writes
	 * it. */
	enum hh_rc (*citizen_protected_get)(struct hh_tx *tx, int64_t id, int *on);
	enum hh_rc (*citizen_protected_set)(struct hh_tx *tx, int64_t id, int on);

	/* Append-only audit of reads of personal data. audit_append_many
	 * appends n entries in one statement (p-bench: Mit overblik writes
	 * one per invitation, on PostgreSQL a round trip each before). */
	enum hh_rc (*audit_append)(struct hh_tx *tx, const struct hh_audit *a);
	enum hh_rc (*audit_append_many)(struct hh_tx *tx, const struct hh_audit *a,
					int n);
	enum hh_rc (*audit_list)(struct hh_tx *tx, struct hh_arena *a,
				 int64_t citizen_id, int limit, hh_audit_cb cb,
				 void *ctx);

	/* CPR at rest (domain/vault.h): the rows not yet sealed under the
	 * current keys, a batch at a time, and their sealed form written
	 * back without touching anything else (no new version, no event).
	 * citizen_seal_scan streams, by id from after_id on, at most limit
	 * citizens with a CPR whose cpr_key is not seal_key or whose
	 * cpr_hash_key is not hash_key; citizen_seal_set writes cpr,
	 * cpr_key, cpr_hash and cpr_hash_key of c->id. case_seal_scan
	 * streams cases (id, data and seal_key only) whose seal_key is not
	 * seal_key; case_seal_set writes data and seal_key of case id. */
	enum hh_rc (*citizen_seal_scan)(struct hh_tx *tx, struct hh_arena *a,
					int64_t after_id, const char *seal_key,
					const char *hash_key, int limit,
					hh_citizen_cb cb, void *ctx);
	enum hh_rc (*citizen_seal_set)(struct hh_tx *tx,
				       const struct hh_citizen *c);
	enum hh_rc (*case_seal_scan)(struct hh_tx *tx, struct hh_arena *a,
				     int64_t after_id, const char *seal_key,
				     int limit, hh_case_cb cb, void *ctx);
	enum hh_rc (*case_seal_set)(struct hh_tx *tx, int64_t id,
				    const char *data, const char *seal_key);
	/* Streams each key id rows are sealed or hashed under, once; NULL
	 * stands for rows with a CPR that are not sealed yet. */
	enum hh_rc (*seal_keys_in_use)(struct hh_tx *tx, struct hh_arena *a,
				       enum hh_rc (*cb)(void *ctx,
							const char *key_id),
				       void *ctx);

	/* Inquiries (domain/inquiries.h). inquiry_insert sets ->id,
	 * ->version = 1, ->created_at and ->updated_at (started_at 0: now);
	 * CONFLICT if (idem_scope, idem_key) made one already.
	 * inquiry_update writes everything but the organisation, the start
	 * and the idempotency key as version expected + 1 if the stored
	 * version is expected, else CONFLICT (NOT_FOUND too is CONFLICT:
	 * the domain reads the row first). inquiry_get_by_key: the inquiry
	 * an idempotency key made. inquiry_list streams the matches, open
	 * ones (open_only) oldest start first (the queue), callbacks due
	 * (callbacks_due_before) soonest due first, otherwise newest
	 * start first (history), skipping offset, at most limit (0: all);
	 * *total gets the count of all matches (may be NULL). */
	enum hh_rc (*inquiry_insert)(struct hh_tx *tx, struct hh_inquiry *q);
	enum hh_rc (*inquiry_update)(struct hh_tx *tx, struct hh_inquiry *q,
				     int64_t expected_version);
	enum hh_rc (*inquiry_get)(struct hh_tx *tx, struct hh_arena *a,
				  int64_t id, struct hh_inquiry *out);
	enum hh_rc (*inquiry_get_by_key)(struct hh_tx *tx, struct hh_arena *a,
					 const char *scope, const char *key,
					 struct hh_inquiry *out);
	enum hh_rc (*inquiry_list)(struct hh_tx *tx, struct hh_arena *a,
				   const struct hh_inquiry_filter *f,
				   int64_t offset, int64_t limit,
				   int64_t *total, hh_inquiry_cb cb,
				   void *ctx);

	/* Teams and transfer reasons per organisation (content data):
	 * kind "team" or "reason". put inserts or updates the label;
	 * get gives the label, NOT_FOUND if the organisation has no such
	 * code. */
	enum hh_rc (*inquiry_code_put)(struct hh_tx *tx, int64_t org_id,
				       const char *kind, const char *code,
				       const char *label);
	enum hh_rc (*inquiry_code_get)(struct hh_tx *tx, struct hh_arena *a,
				       int64_t org_id, const char *kind,
				       const char *code, const char **label);

	/* Opening hours (domain/hours.h): the JSON spec of an organisation's
	 * service. put inserts or replaces; get gives NOT_FOUND when the
	 * organisation gives none for the service. */
	enum hh_rc (*hours_put)(struct hh_tx *tx, int64_t org_id,
				const char *service, const char *spec);
	enum hh_rc (*hours_get)(struct hh_tx *tx, struct hh_arena *a,
				int64_t org_id, const char *service,
				const char **spec);

	/* ---- chat (domain/chat.h) ----
	 * chat_insert sets ->id and ->version = 1. chat_update writes
	 * state, agent_id, team, queued_at, taken_at, closed_at, rating
	 * and rating_comment as version expected + 1 if the stored version
	 * is expected, else CONFLICT. chat_message_append gives m the next
	 * seq of its chat (and raises the chat's last_seq) and sets
	 * m->created_at (ms) when 0. chat_messages streams the messages
	 * with seq > after, oldest first, at most limit (0: all).
	 * chat_list streams an organisation's queued chats (queue order:
	 * queued_at, id) when agent_id is 0, else the active chats that
	 * agent holds. chat_queue_position: how many queued chats of the
	 * organisation are ahead of (queued_at, id). chat_recent_wait:
	 * the mean of taken_at - created_at over the organisation's last n
	 * chats taken since `since` (*mean_s -1 when none).
	 * chat_presence_put records a heartbeat of user_id;
	 * chat_presence_count counts the organisation's agents seen at or
	 * after since. */
	enum hh_rc (*chat_insert)(struct hh_tx *tx, struct hh_chat *c);
	enum hh_rc (*chat_update)(struct hh_tx *tx, struct hh_chat *c,
				  int64_t expected_version);
	enum hh_rc (*chat_get)(struct hh_tx *tx, struct hh_arena *a, int64_t id,
			       struct hh_chat *out);
	enum hh_rc (*chat_get_by_inquiry)(struct hh_tx *tx, struct hh_arena *a,
					  int64_t inquiry_id,
					  struct hh_chat *out);
	enum hh_rc (*chat_list)(struct hh_tx *tx, struct hh_arena *a,
				int64_t org_id, int64_t agent_id,
				hh_chat_cb cb, void *ctx);
	enum hh_rc (*chat_queue_position)(struct hh_tx *tx, int64_t org_id,
					  int64_t queued_at, int64_t id,
					  int64_t *ahead);
	enum hh_rc (*chat_recent_wait)(struct hh_tx *tx, int64_t org_id,
				       int64_t since, int n, int64_t *mean_s);
	enum hh_rc (*chat_message_append)(struct hh_tx *tx,
					  struct hh_chat_message *m);
	enum hh_rc (*chat_messages)(struct hh_tx *tx, struct hh_arena *a,
				    int64_t chat_id, int64_t after,
				    int64_t limit, hh_chat_message_cb cb,
				    void *ctx);
	enum hh_rc (*chat_presence_put)(struct hh_tx *tx, int64_t user_id,
					int64_t org_id, int64_t now);
	enum hh_rc (*chat_presence_count)(struct hh_tx *tx, int64_t org_id,
					  int64_t since, int64_t *n);

	/* Life events shown on the front page. Put inserts or updates by
	 * slug. */
	enum hh_rc (*life_event_put)(struct hh_tx *tx, struct hh_life_event *le);
	enum hh_rc (*life_event_list)(struct hh_tx *tx, struct hh_arena *a,
				      hh_life_event_cb cb, void *ctx);
	enum hh_rc (*life_event_get)(struct hh_tx *tx, struct hh_arena *a,
				     const char *slug,
				     struct hh_life_event *out);

	/* ---- the agent's desk (domain/desk.h) ----
	 * citizen_search streams the citizens of municipality_id (0: of
	 * every municipality) by id, with id, name and municipality only
	 * (no CPR: the domain matches the name and opens what it shows).
	 * inquiry_article_count counts the inquiries linked to an article
	 * (*linked) and those of them resolved at first contact
	 * (*answered); inquiry_article_top streams articles by answered
	 * count, most first, at most limit. inquiry_code_list streams an
	 * organisation's codes of kind ("team", "reason"; NULL both) by
	 * kind and code. (Callbacks due are inquiry_list's
	 * callbacks_due_before.) */
	enum hh_rc (*citizen_search)(struct hh_tx *tx, struct hh_arena *a,
				     int64_t municipality_id, hh_citizen_cb cb,
				     void *ctx);
	enum hh_rc (*inquiry_article_count)(struct hh_tx *tx, int64_t article_id,
					    int64_t *answered, int64_t *linked);
	enum hh_rc (*inquiry_article_top)(struct hh_tx *tx, int64_t limit,
					  enum hh_rc (*cb)(void *ctx,
							   int64_t article_id,
							   int64_t answered,
							   int64_t linked),
					  void *ctx);
	enum hh_rc (*inquiry_code_list)(struct hh_tx *tx, struct hh_arena *a,
					int64_t org_id, const char *kind,
					enum hh_rc (*cb)(void *ctx,
							 const struct hh_inquiry_code *c),
					void *ctx);
	/* Transfers: insert sets ->id; update writes taken_by, taken_at,
	 * result, result_case_id, result_callback_due_at and closed_at of
	 * t->id; transfer_list streams the transfers of inquiry_id (> 0)
	 * oldest first, or else the open ones to to_org_id (the receiving
	 * queue, oldest first, to_team NULL: every team). */
	enum hh_rc (*transfer_insert)(struct hh_tx *tx,
				      struct hh_inquiry_transfer *t);
	enum hh_rc (*transfer_update)(struct hh_tx *tx,
				      const struct hh_inquiry_transfer *t);
	enum hh_rc (*transfer_get)(struct hh_tx *tx, struct hh_arena *a,
				   int64_t id, struct hh_inquiry_transfer *out);
	enum hh_rc (*transfer_list)(struct hh_tx *tx, struct hh_arena *a,
				    int64_t inquiry_id, int64_t to_org_id,
				    const char *to_team,
				    enum hh_rc (*cb)(void *ctx,
						     const struct hh_inquiry_transfer *t),
				    void *ctx);
	/* ---- appointments (domain/appointments.h) ----
	 * appointment_insert sets ->id, ->version = 1, ->created_at and
	 * ->updated_at; CONFLICT when the code, the idempotency key or an
	 * active booking of the same counter and start exists.
	 * appointment_update writes service, counter, start, end and state
	 * as version expected + 1 if the stored version is expected, else
	 * CONFLICT (also for a clash with another active booking). The
	 * overlap rule itself is the domain's, checked in the same write
	 * transaction. appointment_list streams what f selects by start. */
	enum hh_rc (*appointment_insert)(struct hh_tx *tx,
					 struct hh_appointment *b);
	enum hh_rc (*appointment_update)(struct hh_tx *tx,
					 struct hh_appointment *b,
					 int64_t expected_version);
	enum hh_rc (*appointment_get_by_code)(struct hh_tx *tx,
					      struct hh_arena *a,
					      const char *code,
					      struct hh_appointment *out);
	enum hh_rc (*appointment_get_by_key)(struct hh_tx *tx,
					     struct hh_arena *a,
					     const char *scope, const char *key,
					     struct hh_appointment *out);
	enum hh_rc (*appointment_list)(struct hh_tx *tx, struct hh_arena *a,
				       const struct hh_appointment_filter *f,
				       hh_appointment_cb cb, void *ctx);
	/* Content data per organisation as one JSON document per kind
	 * ("counter", "contact"); get: NOT_FOUND when there is none. */
	enum hh_rc (*org_document_put)(struct hh_tx *tx, int64_t org_id,
				       const char *kind, const char *body);
	enum hh_rc (*org_document_get)(struct hh_tx *tx, struct hh_arena *a,
				       int64_t org_id, const char *kind,
				       const char **body);
	/* ---- casework tools (0016_casework.sql) ----
	 * case_file_get reads one uploaded file with its bytes (NOT_FOUND
	 * when there is none; the domain checks its case). Cases also carry
	 * journal_no and assigned_team (case_insert writes both,
	 * case_update assigned_team). journal_serial_next gives the next
	 * serial of an organisation's journal numbers in a (Danish) year,
	 * from 1, unique and increasing across instances. SQLite takes it in
	 * the caller's write transaction: a rolled back case gives its
	 * serial back. PostgreSQL takes it in a transaction of its own,
	 * committed at once, so that concurrent submissions do not fail on
	 * its row: a rolled back (or retried) case leaves a gap
	 * (docs/postgres.md, pg-serial). */
	enum hh_rc (*case_file_get)(struct hh_tx *tx, struct hh_arena *a,
				    int64_t id, struct hh_case_file *out);
	enum hh_rc (*journal_serial_next)(struct hh_tx *tx, int64_t org_id,
					  int year, int64_t *serial);

	/* ---- letters (domain/letters.h) ----
	 * letter_insert sets ->id, ->version = 1, ->created_at and
	 * ->updated_at. letter_update writes state, decision, title, body,
	 * fields, reply_allowed, reply_by, approver_id, approved_at,
	 * sent_at, pdf and message_id as version expected + 1 if the stored
	 * version is expected, else CONFLICT. letter_get reads one letter
	 * with its PDF and the names (organisation, author, approver, case
	 * type); the lists stream letters without the PDF, oldest first: a
	 * case's, or an organisation's awaiting approval. message_insert
	 * sets ->id (CONFLICT: the letter or message id has one already);
	 * message_count_letter counts the messages of a letter. */
	enum hh_rc (*letter_insert)(struct hh_tx *tx, struct hh_letter *l);
	enum hh_rc (*letter_update)(struct hh_tx *tx, struct hh_letter *l,
				    int64_t expected_version);
	enum hh_rc (*letter_get)(struct hh_tx *tx, struct hh_arena *a,
				 int64_t id, struct hh_letter *out);
	enum hh_rc (*letter_list_case)(struct hh_tx *tx, struct hh_arena *a,
				       int64_t case_id,
				       enum hh_rc (*cb)(void *ctx,
							const struct hh_letter *l),
				       void *ctx);
	enum hh_rc (*letter_list_approval)(struct hh_tx *tx, struct hh_arena *a,
					   int64_t org_id,
					   enum hh_rc (*cb)(void *ctx,
							    const struct hh_letter *l),
					   void *ctx);
	enum hh_rc (*message_insert)(struct hh_tx *tx, struct hh_message *m);
	enum hh_rc (*message_count_letter)(struct hh_tx *tx, int64_t letter_id,
					   int64_t *n);

	/* ---- delivery (domain/messages.h) ----
	 * message_claim is a delivery pass's claim, one operation in a
	 * write transaction of its own (call it with no transaction of
	 * this store open in the thread: it takes a connection of the
	 * pool). Of the queued messages not waiting for the print batch
	 * whose next attempt is at or before now, the soonest (by
	 * next_attempt_at, then id), at most limit (>= 1, else INVALID),
	 * get next_attempt_at = lease, so that no later claim finds them
	 * due before lease. Two claims never take one message, and a
	 * message that another transaction is changing at that moment
	 * (a record, a give-back, another claim) is left out, not waited
	 * for. After the claim committed, each claimed message is streamed
	 * to cb as it was before the claim (its next_attempt_at the old
	 * one, which a give-back writes back), soonest first; the claims
	 * stand whatever cb returns, and cb's error is returned. On an
	 * error nothing is streamed and, as a rule, nothing is claimed
	 * (BUSY after the usual retries); but when the connection breaks
	 * after the server took the COMMIT (IO), the messages may stay
	 * claimed, unknown to the caller, until the lease runs out (review
	 * of pg-skip: a delay, never a loss or a second send). The
	 * claim is what tells a stale writer apart: a record or give-back
	 * checks that next_attempt_at is still its own pass's lease.
	 * SQLite: a write transaction (one writer at a time). PostgreSQL:
	 * one statement (UPDATE ... FROM (SELECT ... FOR NO KEY UPDATE
	 * SKIP LOCKED) RETURNING) in a READ COMMITTED transaction,
	 * which takes no predicate locks and so fails no concurrent
	 * SERIALIZABLE transaction (a letter send inserting its message),
	 * as a SERIALIZABLE read-then-update claim did (pg-skip).
	 * message_list streams what f selects, newest first, at
	 * most limit (0: all); message_print_wait streams org_id's messages
	 * queued for print (0: every organisation's), oldest first.
	 * message_get and message_get_by_uuid read one (NOT_FOUND).
	 * message_update writes channel, state, attempts, next_attempt_at,
	 * last_error, updated_at, sent_at, delivered_at and print_batch of
	 * m->id if its stored state is expected_state, else CONFLICT (also
	 * when there is no such message). message_count streams the number
	 * of messages per state and channel (channel NULL: not routed);
	 * message_oldest_queued gives the creation time of the oldest queued
	 * message (0: none). message_letter reads the letter a message
	 * carries, with its PDF and its case's type (case_type_name; kind
	 * and fields are not read). */
	enum hh_rc (*message_claim)(void *cls, struct hh_arena *a, int64_t now,
				    int64_t lease, int64_t limit,
				    hh_message_cb cb, void *ctx);
	enum hh_rc (*message_list)(struct hh_tx *tx, struct hh_arena *a,
				   const struct hh_message_filter *f,
				   int64_t limit, hh_message_cb cb, void *ctx);
	enum hh_rc (*message_print_wait)(struct hh_tx *tx, struct hh_arena *a,
					 int64_t org_id, hh_message_cb cb,
					 void *ctx);
	enum hh_rc (*message_get)(struct hh_tx *tx, struct hh_arena *a,
				  int64_t id, struct hh_message_row *out);
	enum hh_rc (*message_get_by_uuid)(struct hh_tx *tx, struct hh_arena *a,
					  const char *uuid,
					  struct hh_message_row *out);
	enum hh_rc (*message_update)(struct hh_tx *tx,
				     const struct hh_message *m,
				     const char *expected_state);
	enum hh_rc (*message_count)(struct hh_tx *tx,
				    enum hh_rc (*cb)(void *ctx,
						     const char *state,
						     const char *channel,
						     int64_t n),
				    void *ctx);
	enum hh_rc (*message_oldest_queued)(struct hh_tx *tx,
					    int64_t *created_at);
	enum hh_rc (*message_letter)(struct hh_tx *tx, struct hh_arena *a,
				     int64_t letter_id, struct hh_letter *out);
	/* The organisation's CVR number (*cvr NULL: none). */
	enum hh_rc (*org_cvr_put)(struct hh_tx *tx, int64_t org_id,
				  const char *cvr);
	enum hh_rc (*org_cvr_get)(struct hh_tx *tx, struct hh_arena *a,
				  int64_t org_id, const char **cvr);
	/* Writes the postal address and the Digital Post exemption of
	 * citizen c->id as given (NULL and 0 clear them); NOT_FOUND when
	 * there is no such citizen. */
	enum hh_rc (*citizen_post_set)(struct hh_tx *tx,
				       const struct hh_citizen *c);
	/* Print batches: insert sets ->id (CONFLICT when the organisation's
	 * day has that seq); next_seq gives the day's next seq (1 first);
	 * list streams org_id's (0: all) newest first, at most limit. */
	enum hh_rc (*print_batch_insert)(struct hh_tx *tx,
					 struct hh_print_batch *b);
	enum hh_rc (*print_batch_next_seq)(struct hh_tx *tx, int64_t org_id,
					   const char *day, int64_t *seq);
	enum hh_rc (*print_batch_get)(struct hh_tx *tx, struct hh_arena *a,
				      int64_t id, struct hh_print_batch *out);
	enum hh_rc (*print_batch_list)(struct hh_tx *tx, struct hh_arena *a,
				       int64_t org_id, int64_t limit,
				       hh_print_batch_cb cb, void *ctx);

	/* ---- the citizen's inbox (domain/inbox.h) ----
	 * Reads of letters as their recipient sees them: only sent ones
	 * are listed and counted; inbox_get reads any letter (the domain
	 * checks its state and recipient). Rows carry org_name,
	 * case_type_name and author_name (case_journal_no when the store
	 * knows journal numbers).
	 * inbox_list streams citizen_id's sent letters newest sent first
	 * (sent_at, then id, descending) without their PDF (pdf NULL,
	 * pdf_len its size), skipping offset, at most limit (0: all).
	 * inbox_count gives how many sent letters the citizen has (*total)
	 * and how many of them are unread (*unread; either may be NULL).
	 * inbox_get reads letter id with its PDF. inbox_mark_read sets
	 * read_at to at if it is not set yet (*marked: 1 when it was set
	 * now, 0 when it was read before or is no sent letter; may be
	 * NULL). inbox_letter_insert writes l as it is (any state,
	 * with its PDF) and sets ->id: the demo, tests and benchmarks make
	 * sent letters with it; letters are otherwise written by the
	 * letters module. */
	enum hh_rc (*inbox_list)(struct hh_tx *tx, struct hh_arena *a,
				 int64_t citizen_id, int64_t offset,
				 int64_t limit, hh_inbox_cb cb, void *ctx);
	enum hh_rc (*inbox_count)(struct hh_tx *tx, int64_t citizen_id,
				  int64_t *total, int64_t *unread);
	enum hh_rc (*inbox_get)(struct hh_tx *tx, struct hh_arena *a,
				int64_t id, struct hh_letter *out);
	enum hh_rc (*inbox_mark_read)(struct hh_tx *tx, int64_t id, int64_t at,
				      int *marked);
	enum hh_rc (*inbox_letter_insert)(struct hh_tx *tx, struct hh_letter *l);

	/* ---- feedback: "Fandt du det, du søgte?" (domain/feedback.h) ----
	 * feedback_insert writes f as it is and sets ->id; CONFLICT when
	 * the visit has answered about the same page (article or search
	 * text) on the same day. feedback_find reads that earlier answer
	 * (NOT_FOUND: none). feedback_stats streams, for the answers given
	 * since `since` in municipality org_id (-1: everywhere) and with
	 * unscoped also those given without a municipality, the yes and no
	 * per article (with its slug and title), most answers first, at
	 * most limit, and one row with article_id 0 for the search pages
	 * (when there are any). feedback_comments streams the answers with
	 * a comment in the same scope, newest first, at most limit. */
	enum hh_rc (*feedback_insert)(struct hh_tx *tx,
				      struct hh_feedback_row *f);
	enum hh_rc (*feedback_find)(struct hh_tx *tx, struct hh_arena *a,
				    const char *visit, int day,
				    const char *page, int64_t article_id,
				    const char *query,
				    struct hh_feedback_row *out);
	enum hh_rc (*feedback_stats)(struct hh_tx *tx, struct hh_arena *a,
				     int64_t since, int64_t org_id,
				     int unscoped, int limit,
				     enum hh_rc (*cb)(void *ctx,
						      const struct hh_feedback_stat *s),
				     void *ctx);
	enum hh_rc (*feedback_comments)(struct hh_tx *tx, struct hh_arena *a,
					int64_t since, int64_t org_id,
					int unscoped, int limit,
					enum hh_rc (*cb)(void *ctx,
							 const struct hh_feedback_row *f),
					void *ctx);
	/* ---- the service figures (domain/figures.h, sqlite_figures.c) ----
	 * The fold's facts and daily aggregates (migration 0020). Only the
	 * fold (domain/figfold.c) writes them; see docs/figures.md.
	 * fig_events streams the events with id > after_id, oldest first,
	 * at most limit. fig_reset empties every fact and aggregate.
	 * fig_*_get: NOT_FOUND when there is no fact for id; fig_*_put
	 * writes the fact as given (insert or replace). fig_chat_put and
	 * fig_feedback_put insert once: *inserted 0 when the id was there.
	 * fig_agg_add adds n and sum to one aggregate row (made at 0);
	 * a NULL or "" channel, case type or topic is the row of all of
	 * them ('*'), and a row naming one of them alone makes that a key
	 * of its dimension for the groupings.
	 * fig_agg_sum streams the sums of metric over f, grouped by `group`
	 * (enum hh_fig_group; key "" for HH_FIG_G_TOTAL, which always gives
	 * one row). A topic filter counts to the KLE's second level.
	 * fig_proc_values streams the processing days of the decisions of f
	 * (decided_day in the period; the rows of fig_proc_add, so a topic
	 * counts to the second level here too), smallest first.
	 * fig_inquiry_list / fig_case_list stream the facts of f (by start /
	 * submission day; case rows carry ref, the journal number, and
	 * decided ones are those with decided_at in the period when
	 * decided_only) newest first, with id < before (0: from the newest),
	 * at most limit. fig_search counts the searches of f. fig_lag gives
	 * how many events have id > after, and the newest id. */
	enum hh_rc (*fig_events)(struct hh_tx *tx, struct hh_arena *a,
				 int64_t after_id, int limit, hh_event_cb cb,
				 void *ctx);
	enum hh_rc (*fig_reset)(struct hh_tx *tx);
	enum hh_rc (*fig_inquiry_get)(struct hh_tx *tx, struct hh_arena *a,
				      int64_t id,
				      struct hh_fig_inquiry_fact *out);
	enum hh_rc (*fig_inquiry_put)(struct hh_tx *tx,
				      const struct hh_fig_inquiry_fact *f);
	enum hh_rc (*fig_case_get)(struct hh_tx *tx, struct hh_arena *a,
				   int64_t id, struct hh_fig_case_fact *out);
	enum hh_rc (*fig_case_put)(struct hh_tx *tx,
				   const struct hh_fig_case_fact *f);
	enum hh_rc (*fig_chat_put)(struct hh_tx *tx, int64_t id, int64_t org_id,
				   int day, int rating, int *inserted);
	enum hh_rc (*fig_feedback_put)(struct hh_tx *tx, int64_t id,
				       int64_t org_id, int day, int found,
				       const char *page, int64_t article_id,
				       const char *topic, int *inserted);
	enum hh_rc (*fig_agg_add)(struct hh_tx *tx, int64_t org_id,
				  const char *metric, int day,
				  const char *channel, const char *case_type,
				  const char *topic, int64_t n, double sum);
	enum hh_rc (*fig_agg_sum)(struct hh_tx *tx, struct hh_arena *a,
				  const struct hh_fig_filter *f,
				  const char *metric, int group,
				  hh_fig_agg_cb cb, void *ctx);
	enum hh_rc (*fig_proc_values)(struct hh_tx *tx,
				      const struct hh_fig_filter *f,
				      hh_fig_value_cb cb, void *ctx);
	enum hh_rc (*fig_inquiry_list)(struct hh_tx *tx, struct hh_arena *a,
				       const struct hh_fig_filter *f,
				       int64_t before, int limit,
				       hh_fig_inquiry_cb cb, void *ctx);
	enum hh_rc (*fig_case_list)(struct hh_tx *tx, struct hh_arena *a,
				    const struct hh_fig_filter *f,
				    int decided_only, int64_t before,
				    int limit, hh_fig_case_cb cb, void *ctx);
	enum hh_rc (*fig_search)(struct hh_tx *tx, int64_t org_id,
				 int64_t from, int64_t to,
				 struct hh_fig_search_counts *out);
	enum hh_rc (*fig_lag)(struct hh_tx *tx, int64_t after, int64_t *lag,
			      int64_t *newest);
	/* Per article (key: its id) for f's organisation and days: what 0,
	 * the feedback (n answers, sum found); 1, the inquiries answered
	 * with it (n, sum resolved at first contact); 2, those of them with
	 * a first outcome (n, sum resolved). Ordered by article id. */
	enum hh_rc (*fig_article_sum)(struct hh_tx *tx,
				      const struct hh_fig_filter *f, int what,
				      hh_fig_agg_cb cb, void *ctx);
	/* ---- fig-hist: the figures over long periods (migration 0023) ----
	 * fig_proc_add merges n processing times (whole seconds, ascending)
	 * into the row of org, day and the dimensions (NULL or "": '*', as
	 * fig_agg_add); fig_proc_values reads these rows.
	 * fig_search_rows streams at most limit searches that the fold has
	 * not counted yet, made before `before` (epoch seconds): what it may
	 * count for good; fig_search_mark marks n of them counted.
	 * fig_proc_count gives how many decisions f has in fig_proc, and
	 * fig_proc_at the processing days of those at the 1-based ranks
	 * (in ascending order of time) rank[0..k-1] into days[], without
	 * streaming them all: for medians and percentiles.
	 * fig_search_since counts the searches of org_id made in [from, to)
	 * that the fold has not counted yet. */
	enum hh_rc (*fig_proc_add)(struct hh_tx *tx, int64_t org_id, int day,
				   const char *channel, const char *case_type,
				   const char *topic, const int32_t *secs,
				   int n);
	enum hh_rc (*fig_search_rows)(struct hh_tx *tx, int64_t before,
				      int limit, hh_fig_search_cb cb,
				      void *ctx);
	enum hh_rc (*fig_search_mark)(struct hh_tx *tx, const int64_t *ids,
				      int n);
	enum hh_rc (*fig_search_since)(struct hh_tx *tx, int64_t org_id,
				       int64_t from, int64_t to,
				       struct hh_fig_search_counts *out);
	enum hh_rc (*fig_proc_count)(struct hh_tx *tx,
				     const struct hh_fig_filter *f, int64_t *n);
	enum hh_rc (*fig_proc_at)(struct hh_tx *tx,
				  const struct hh_fig_filter *f,
				  const int64_t *rank, int k, double *days);
	/* ---- s-edit (issue 13): proposals to the shared knowledge base
	 * (domain/proposals.h). proposal_insert sets ->id (state open).
	 * proposal_decide writes p's state, decided_at, decided_by,
	 * decider_name, reason and accepted_version if the proposal is
	 * still open (else CONFLICT). proposal_list streams newest first
	 * those with state (0: any) of organisation org_id (0: any);
	 * article_id > 0 narrows it to one article. Strings in a. ---- */
	enum hh_rc (*proposal_insert)(struct hh_tx *tx, struct hh_proposal *p);
	enum hh_rc (*proposal_get)(struct hh_tx *tx, struct hh_arena *a,
				   int64_t id, struct hh_proposal *out);
	enum hh_rc (*proposal_decide)(struct hh_tx *tx,
				      const struct hh_proposal *p);
	enum hh_rc (*proposal_list)(struct hh_tx *tx, struct hh_arena *a,
				    enum hh_proposal_state state,
				    int64_t org_id, int64_t article_id,
				    enum hh_rc (*cb)(void *ctx,
						     const struct hh_proposal *p),
				    void *ctx);
	/* ---- s-edit (issue 13): synonyms and pins (domain/searchtune.h).
	 * synonym_insert sets *id; CONFLICT when the rule is there.
	 * synonym_list streams every rule, oldest first. pin_put writes
	 * the pin of (org_id, query), replacing one there, and sets ->id;
	 * pin_delete removes it (NOT_FOUND: none); pin_list streams every
	 * pin. ---- */
	enum hh_rc (*synonym_insert)(struct hh_tx *tx, const char *rule,
				     int64_t at, const char *by, int64_t *id);
	enum hh_rc (*synonym_list)(struct hh_tx *tx, struct hh_arena *a,
				   enum hh_rc (*cb)(void *ctx, int64_t id,
						    const char *rule),
				   void *ctx);
	enum hh_rc (*pin_put)(struct hh_tx *tx, struct hh_search_pin *p);
	enum hh_rc (*pin_delete)(struct hh_tx *tx, int64_t org_id,
				 const char *query);
	enum hh_rc (*pin_list)(struct hh_tx *tx, struct hh_arena *a,
			       enum hh_rc (*cb)(void *ctx,
						const struct hh_search_pin *p),
			       void *ctx);
	/* ---- s-trap (issue 13): a search answered by a guide or a form.
	 * search_log_choose_doc records that search id led to the document
	 * of kind (enum hh_doc_kind: 1 a guide, 2 a form; an article goes
	 * through search_log_choose) with id doc_id, at `at` (seconds),
	 * unless a choice of the search is there already (the first one
	 * counts, as for articles; migration 0027). ---- */
	enum hh_rc (*search_log_choose_doc)(struct hh_tx *tx, int64_t id,
					    int kind, int64_t doc_id,
					    int64_t at);
	/* ---- s-tune (issue 13): removing synonym rules
	 * (0028_synonym_removal.sql). A removed rule is kept, marked, so
	 * that synonym_insert (the seed, import) still gets CONFLICT for
	 * its text; synonym_list streams only the rules not removed.
	 * synonym_get reads rule id (NOT_FOUND: none, or removed);
	 * synonym_remove marks it removed (NOT_FOUND: none, or removed
	 * already); synonym_revive clears the mark of the removed rule with
	 * the text rule and sets *id (NOT_FOUND: no removed rule has it). */
	enum hh_rc (*synonym_get)(struct hh_tx *tx, struct hh_arena *a,
				  int64_t id, const char **rule);
	enum hh_rc (*synonym_remove)(struct hh_tx *tx, int64_t id, int64_t at,
				     const char *by);
	enum hh_rc (*synonym_revive)(struct hh_tx *tx, const char *rule,
				     int64_t at, const char *by, int64_t *id);
	/* ---- kle (issue 15): the KLE classification (0033_kle.sql,
	 * domain/kle.h). kle_put writes the row of k->number, inserting or
	 * replacing it (updated_at as given). kle_get reads the row of
	 * number (NOT_FOUND: none). kle_list streams the rows of level
	 * (1..3; 0: every level) in no particular order. ---- */
	enum hh_rc (*kle_put)(struct hh_tx *tx, const struct hh_kle *k);
	enum hh_rc (*kle_get)(struct hh_tx *tx, struct hh_arena *a,
			      const char *number, struct hh_kle *out);
	enum hh_rc (*kle_list)(struct hh_tx *tx, struct hh_arena *a, int level,
			       enum hh_rc (*cb)(void *ctx,
						const struct hh_kle *k),
			       void *ctx);
	/* ---- x-ext (issue 15): other authorities' cases
	 * (domain/external.h, 0034_external_cases.sql).
	 * external_case_get reads the case (org_id, system, external_id)
	 * with its organisation's code and name (NOT_FOUND: none).
	 * external_case_put inserts c when c->id is 0 and sets ->id
	 * (CONFLICT when the key is there), else writes every field but the
	 * key of c->id if the stored version is below c->version (CONFLICT
	 * otherwise, or when there is no such row). external_case_list
	 * streams the cases whose cpr_hash is hash (32 bytes), newest
	 * first by sent_updated_at, or received_at where that is 0 (not
	 * sent), then by id, at most limit. ---- */
	enum hh_rc (*external_case_get)(struct hh_tx *tx, struct hh_arena *a,
					int64_t org_id, const char *system,
					const char *external_id,
					struct hh_external_case *out);
	enum hh_rc (*external_case_put)(struct hh_tx *tx,
					struct hh_external_case *c);
	enum hh_rc (*external_case_list)(struct hh_tx *tx, struct hh_arena *a,
					 const unsigned char hash[32],
					 int limit,
					 enum hh_rc (*cb)(void *ctx,
							  const struct hh_external_case *c),
					 void *ctx);
	/* CPR at rest for external cases, as citizen_seal_scan and
	 * citizen_seal_set for citizens: scan streams, by id from after_id
	 * on, at most limit cases whose cpr_key is not seal_key or whose
	 * cpr_hash_key is not hash_key; set writes cpr, cpr_key, cpr_hash
	 * and cpr_hash_key of c->id (no new version, no event). The keys
	 * they name are in seal_keys_in_use. */
	enum hh_rc (*external_seal_scan)(struct hh_tx *tx, struct hh_arena *a,
					 int64_t after_id, const char *seal_key,
					 const char *hash_key, int limit,
					 enum hh_rc (*cb)(void *ctx,
							  const struct hh_external_case *c),
					 void *ctx);
	enum hh_rc (*external_seal_set)(struct hh_tx *tx,
					const struct hh_external_case *c);
	/* x-fix (0044_external_followups.sql): what a follow-up rule
	 * started, once per (external case, rule). started sets *yes when
	 * (external_case_id, rule) is recorded; put records it (CONFLICT
	 * when it already is). */
	enum hh_rc (*external_followup_started)(struct hh_tx *tx,
						int64_t external_case_id,
						const char *rule, int *yes);
	enum hh_rc (*external_followup_put)(struct hh_tx *tx,
					    int64_t external_case_id,
					    const char *rule, int64_t case_id,
					    int64_t at);
	/* ---- x-decl (issue 15): declared case systems
	 * (domain/casesystems.h, 0038_case_systems.sql). case_system_get
	 * reads (org_id, system) with the organisation's code (NOT_FOUND:
	 * none); case_system_put inserts c, or replaces label, definition
	 * and updated_at of the row with its key, and sets c->id;
	 * *created (may be NULL) says which. ---- */
	enum hh_rc (*case_system_get)(struct hh_tx *tx, struct hh_arena *a,
				      int64_t org_id, const char *system,
				      struct hh_case_system *out);
	enum hh_rc (*case_system_put)(struct hh_tx *tx,
				      struct hh_case_system *c, int *created);
	/* Streams the systems org_id declared, by name. */
	enum hh_rc (*case_system_list)(struct hh_tx *tx, struct hh_arena *a,
				       int64_t org_id,
				       enum hh_rc (*cb)(void *ctx,
							const struct hh_case_system *c),
				       void *ctx);
	/* ---- x-hooks (issue 15): webhooks (migration 0035) ----
	 * The outbox: event_append also writes, in the event's own
	 * transaction, one pending delivery (due at once) for each active
	 * subscription with a topic matching the event (entity, action or
	 * "*"; the subscription's organisation unless any_org), so that no
	 * committed event lacks its deliveries.
	 * webhook_sub_insert writes s (sets s->id) with its n topics.
	 * webhook_sub_list streams org_id's subscriptions, oldest first.
	 * webhook_sub_delete removes subscription id of org_id with its
	 * topics and deliveries (NOT_FOUND: none of org_id).
	 * webhook_sub_set_active pauses (0) or resumes (1) subscription id
	 * of org_id (NOT_FOUND: none of org_id): a paused one gets no new
	 * deliveries, and those it has wait, unclaimed, until it resumes.
	 * webhook_claim is a delivery pass's claim, as message_claim: its
	 * own write transaction (no transaction of this store open in the
	 * thread); of the pending deliveries due at now, the soonest, at
	 * most limit, of active subscriptions, get next_attempt_at = lease; on PostgreSQL rows
	 * another transaction holds are skipped (SKIP LOCKED), so two
	 * instances never claim one delivery. The claimed rows (with the
	 * subscription's url, secret, organisation and the event) are
	 * streamed to cb after the commit.
	 * webhook_record writes a delivery's outcome (state, attempts,
	 * next attempt, last code and error) only if it is still pending
	 * with next_attempt_at = lease, i.e. still this pass's claim;
	 * *changed 0 when it was not (a stale pass: nothing written).
	 * webhook_delivery_list streams org_id's deliveries (of sub_id
	 * when not 0), newest first, at most limit, skipped ones left out. */
	enum hh_rc (*webhook_sub_insert)(struct hh_tx *tx,
					 struct hh_webhook_sub *s,
					 const struct hh_webhook_topic *t,
					 int n);
	enum hh_rc (*webhook_sub_list)(struct hh_tx *tx, struct hh_arena *a,
				       int64_t org_id, hh_webhook_sub_cb cb,
				       void *ctx);
	enum hh_rc (*webhook_sub_delete)(struct hh_tx *tx, int64_t org_id,
					 int64_t id);
	enum hh_rc (*webhook_sub_set_active)(struct hh_tx *tx, int64_t org_id,
					     int64_t id, int active);
	enum hh_rc (*webhook_claim)(void *cls, struct hh_arena *a, int64_t now,
				    int64_t lease, int64_t limit,
				    hh_webhook_delivery_cb cb, void *ctx);
	enum hh_rc (*webhook_record)(struct hh_tx *tx,
				     const struct hh_webhook_delivery *d,
				     int64_t lease, int64_t now,
				     int *changed);
	enum hh_rc (*webhook_delivery_list)(struct hh_tx *tx,
					    struct hh_arena *a, int64_t org_id,
					    int64_t sub_id, int64_t limit,
					    hh_webhook_delivery_cb cb,
					    void *ctx);
	/* hooks-rotate: signing secrets at rest, as external_seal_scan and
	 * external_seal_set: scan streams, by id from after_id on, at most
	 * limit subscriptions whose secret is not sealed under seal_key
	 * ("v1:SEAL_KEY:..."; secrets in clear too); set writes the secret
	 * of subscription id (no event). */
	enum hh_rc (*webhook_seal_scan)(struct hh_tx *tx, struct hh_arena *a,
					int64_t after_id, const char *seal_key,
					int limit, hh_webhook_sub_cb cb,
					void *ctx);
	enum hh_rc (*webhook_seal_set)(struct hh_tx *tx, int64_t id,
				       const char *secret,
				       const char *previous_secret);
	/* ---- x-hooks2 (issue 15): changing a subscription, test events,
	 * pruning (migration 0039) ----
	 * webhook_sub_get reads subscription id of org_id (NOT_FOUND).
	 * webhook_sub_update writes s's url, events and active (subscription
	 * s->id of s->org_id; NOT_FOUND: none) and, when t is not NULL,
	 * replaces its topics with the n of t; deliveries already queued
	 * stay as they are.
	 * webhook_secret_set makes secret the subscription's secret and
	 * previous (NULL: none) the one also signing until previous_until
	 * (NOT_FOUND: none of org_id).
	 * webhook_delivery_add queues one pending delivery of type for
	 * subscription sub_id and event event_id, due at now; *id its id.
	 * webhook_prune deletes at most limit deliveries that are not
	 * pending and were last written before `before`, oldest first
	 * (*deleted how many), and forgets previous secrets whose time ran
	 * out by `now`. */
	enum hh_rc (*webhook_sub_get)(struct hh_tx *tx, struct hh_arena *a,
				      int64_t org_id, int64_t id,
				      struct hh_webhook_sub *out);
	enum hh_rc (*webhook_sub_update)(struct hh_tx *tx,
					 const struct hh_webhook_sub *s,
					 const struct hh_webhook_topic *t,
					 int n);
	enum hh_rc (*webhook_secret_set)(struct hh_tx *tx, int64_t org_id,
					 int64_t id, const char *secret,
					 const char *previous,
					 int64_t previous_until);
	enum hh_rc (*webhook_delivery_add)(struct hh_tx *tx, int64_t sub_id,
					   int64_t event_id, const char *type,
					   int64_t now, int64_t *id);
	enum hh_rc (*webhook_prune)(struct hh_tx *tx, int64_t before,
				    int64_t now, int limit, int64_t *deleted);
};

/* Opens the SQLite store at path (created if missing) with a pool of
 * pool_size connections. Returns new (free with hh_store_close). */
enum hh_rc hh_store_open_sqlite(const char *path, int pool_size,
				struct hh_store **out);
/* pg-base (issue 14): opens the store at address, PostgreSQL for a
 * postgresql:// (or postgres://) address (store/postgres.h), else the
 * SQLite file at that path, with a pool of pool_size connections
 * (HELHED_DB_POOL, when set, gives the size instead). Does not migrate.
 * Returns new (free with hh_store_close). */
enum hh_rc hh_store_open(const char *address, int pool_size,
			 struct hh_store **out);
void hh_store_close(struct hh_store *s);
/* For backends: sets up the shared part of a new struct hh_store (the
 * organisation cache, the subscribers); hh_store_close clears it. */
void hh_store_init_common(struct hh_store *s);

/* Looks up an organisation by code in its own read transaction, or from
 * what an earlier lookup read: organisations are read on many requests
 * (every search scoped to a municipality) and change only by an import.
 * A kept organisation is used while no transaction that wrote
 * organisations has ended in this process since it was read, and for at
 * most HH_ORG_CACHE_SECONDS (changes by another process: `helhed import`
 * on the same file, another instance on the same database). NOT_FOUND
 * and errors are never kept, so a new organisation is found at once.
 * Strings in *out are allocated from a. */
#define HH_ORG_CACHE_SECONDS 10
enum hh_rc hh_store_org_by_code(struct hh_store *s, struct hh_arena *a,
				const char *code, struct hh_org *out);

/* Change callbacks: the search index today, webhooks and PostgreSQL
 * NOTIFY later. hh_store_subscribe adds fn (called with cls) to the
 * store's subscribers; CONFLICT when HH_STORE_SUBSCRIBERS_MAX are there.
 * hh_store_unsubscribe removes it again (call it only when no write can
 * be running, e.g. after the server has stopped).
 *
 * hh_store_changed tells every subscriber, in the order they subscribed,
 * of change c. The domain's write paths call it after their transaction
 * committed, outside it, and never after a rollback; a subscriber may
 * therefore read the store (its own transaction) but must not expect to
 * see the change's transaction. Changes made by other processes are not
 * told here; on PostgreSQL the listener (hh_pg_follow_start) tells
 * them, from its own thread (pg-multi). */
enum hh_rc hh_store_subscribe(struct hh_store *s, hh_change_fn fn, void *cls);
void hh_store_unsubscribe(struct hh_store *s, hh_change_fn fn, void *cls);
void hh_store_changed(struct hh_store *s, const struct hh_change *c);

typedef enum hh_rc (*hh_tx_fn)(struct hh_tx *tx, void *ctx);

/* Runs fn in a transaction (write: an immediate write transaction),
 * commits when fn returns HH_OK and rolls back otherwise. HH_ERR_BUSY from
 * fn or the commit rolls back and runs fn again, at most a bounded number
 * of times with a growing back-off; then HH_ERR_BUSY is returned. fn must
 * therefore keep no effects outside the transaction until it returns. */
enum hh_rc hh_store_run_tx(struct hh_store *s, int write, hh_tx_fn fn,
			   void *ctx);

/* fig-year (helhed demo-year): relaxes durability on every connection
 * of a SQLite store for a bulk tool that writes a generated database
 * (PRAGMA synchronous=OFF, a 64 MB page cache): commits no longer wait
 * for the disk, so a crash may lose or corrupt what was written. Never
 * for a store that serves. INVALID for another backend. */
enum hh_rc hh_store_sqlite_bulk(struct hh_store *st);

/* Test hook: when set, the backend fails the n-th call to any function
 * from now (counting from 1) with rc, once; 0 disables. Used by the fault
 * injection tests to check nothing half-writes. */
void hh_store_fault_inject(struct hh_store *s, int n, enum hh_rc rc);

/* ---- pg-ops (issue 14): pool use and query times, for /metrics -------- */

/* The upper bounds, in microseconds, of the query time buckets. */
extern const int64_t hh_store_query_bounds_us[HH_STORE_QUERY_BUCKETS];

/* A copy of the counters at one moment (each read atomically). */
struct hh_store_stats {
	const char *backend; /* the store's name: "sqlite", "postgres" */
	int pool_size, in_use;
	int64_t waits, wait_us, retries;
	int64_t queries; /* query_by_time's sum */
	int64_t query_us, query_max_us;
	int64_t query_by_time[HH_STORE_QUERY_BUCKETS + 1];
};
void hh_store_stats(struct hh_store *s, struct hh_store_stats *out);

/* For backends: a statement that took us microseconds; a connection
 * taken after waiting waited_us for it (0: free at once); a connection
 * given back. */
void hh_store_count_query(struct hh_store *s, int64_t us);
void hh_store_count_take(struct hh_store *s, int64_t waited_us);
void hh_store_count_give(struct hh_store *s);

#endif
