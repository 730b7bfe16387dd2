/* articles.h - knowledge articles: validation, rights, versions, events.
 *
 * Every change goes through here so that each one is checked, versioned
 * and written to the event log in the same transaction. */
#ifndef HH_ARTICLES_H
#define HH_ARTICLES_H

#include <jansson.h>

#include "domain/actor.h"
#include "store/store.h"

#define HH_TITLE_MAX 200
#define HH_SUMMARY_MAX 500
#define HH_BODY_MAX (256 * 1024)
#define HH_KEYWORDS_MAX 1000

const char *hh_audience_name(enum hh_audience a);
const char *hh_status_name(enum hh_status s);
/* 0 when s is not a known name. */
enum hh_audience hh_audience_parse(const char *s);
enum hh_status hh_status_parse(const char *s);

/* Normalises "a,b , c" to "a, b, c" (trimmed, empty items dropped) into
 * the arena. */
const char *hh_keywords_normalise(struct hh_arena *ar, const char *s);

/* Checks the fields a caller supplies (slug, title, summary, body_md,
 * keywords, kle, audience, status). Returns INVALID and names the field. */
enum hh_rc hh_article_validate(const struct hh_article *a, const char **field);

/* May the actor change an article owned by org_id (0: shared)? */
int hh_article_can_edit(const struct hh_actor *who, int64_t org_id);

/* May the actor read the article (published citizen articles: everyone;
 * staff articles: staff; drafts and archived: editors who could edit)? */
int hh_article_can_read(const struct hh_actor *who, const struct hh_article *a);

/* Creates an article (a->org_id set by the caller; 0: shared) as version
 * 1 with its event. Renders body_html. Returns INVALID (with *field),
 * FORBIDDEN, CONFLICT (slug taken for that owner) or a store error. On
 * success *a is the stored article (strings in ar). */
enum hh_rc hh_article_create(struct hh_store *st, const struct hh_actor *who,
			     struct hh_arena *ar, struct hh_article *a,
			     const char **field);

/* Replaces the editable fields of the article (org_id, slug) with those in
 * *a, if expected_version is current (else CONFLICT); expected_version 0
 * means "whatever is current" (used by import and archive without a
 * version). Writes nothing and returns OK with *changed = 0 when nothing
 * differs. */
enum hh_rc hh_article_update(struct hh_store *st, const struct hh_actor *who,
			     struct hh_arena *ar, struct hh_article *a,
			     int64_t expected_version, int *changed,
			     const char **field);

/* s-edit: hh_article_update with the event's action named ("restore",
 * "accept-proposal"); hh_article_update is this with "update". */
enum hh_rc hh_article_update_as(struct hh_store *st, const struct hh_actor *who,
				struct hh_arena *ar, struct hh_article *a,
				int64_t expected_version, const char *action,
				int *changed, const char **field);

/* Tells the store's subscribers (the search index) that article a was
 * changed by action ("create", "update", "archive"); call after the
 * transaction committed. hh_article_create, _update and _archive do;
 * callers of hh_article_put_in_tx do it themselves. */
void hh_article_changed(struct hh_store *st, const struct hh_article *a,
			const char *action);

/* Create, update and archive below tell the store's subscribers of what
 * they changed, after it committed (hh_store_changed). */

/* Inside the caller's transaction: creates the article or, when one exists
 * for (org_id, slug), updates it if anything differs. *outcome: 0 nothing
 * changed, 1 created, 2 updated. Used by import, which batches. */
enum hh_rc hh_article_put_in_tx(struct hh_tx *tx, const struct hh_actor *who,
				struct hh_arena *ar, struct hh_article *a,
				int *outcome, const char **field);

/* Archives the article (a new version with status archived). */
enum hh_rc hh_article_archive(struct hh_store *st, const struct hh_actor *who,
			      struct hh_arena *ar, int64_t org_id,
			      const char *slug, int64_t expected_version,
			      struct hh_article *out);

/* Finds what reader who (NULL: anonymous) in municipality muni_id (0: none)
 * sees at slug: the municipality's own article, else the shared one, else
 * an agency's, skipping those the reader may not read. NOT_FOUND if none. */
enum hh_rc hh_article_resolve(struct hh_tx *tx, struct hh_arena *ar,
			      const struct hh_actor *who, int64_t muni_id,
			      const char *slug, struct hh_article *out);

/* ---- reading, for one reader ------------------------------------------
 *
 * Each function below runs its own transaction and applies the access
 * table (domain/access.h) for who. Rows are gathered inside the
 * transaction and handed to cb after it has ended, so a retried
 * transaction never hands a row twice; rows and their strings live in
 * ar. */

/* What a reader asks of the article list; 0 or NULL: no wish. */
struct hh_article_query {
	int64_t org_id;            /* 0: any; -1: shared only */
	const char *kle;           /* prefix */
	enum hh_audience audience;
	enum hh_status status;
	int64_t offset, limit;     /* limit 0: all */
};

/* Streams the articles of q that who may read: the public reads
 * published citizen articles; staff also staff articles; editors also
 * the drafts and archived articles they may change. Asking for what who
 * may not read at all (q->status draft or archived, q->audience staff)
 * is FORBIDDEN, and *field names the wish ("status" or "audience"); the
 * door answers 401 to an anonymous caller. *total gets the count of all
 * matches (may be NULL). */
enum hh_rc hh_article_list(struct hh_store *st, const struct hh_actor *who,
			   struct hh_arena *ar, const struct hh_article_query *q,
			   int64_t *total, hh_article_cb cb, void *ctx,
			   const char **field);

/* Exactly the article of owner org_id (0: shared) at slug, if who may
 * read it (else NOT_FOUND, as for one that does not exist). */
enum hh_rc hh_article_read(struct hh_store *st, const struct hh_actor *who,
			   struct hh_arena *ar, int64_t org_id,
			   const char *slug, struct hh_article *out);

/* What who, reading in municipality muni_id (0: none), sees at slug: the
 * municipality's local version before the shared one (hh_article_resolve
 * in a transaction of its own). */
enum hh_rc hh_article_find(struct hh_store *st, const struct hh_actor *who,
			   struct hh_arena *ar, int64_t muni_id,
			   const char *slug, struct hh_article *out);

/* Streams the events of the article of owner org_id at slug, oldest
 * first, for an editor who may change it. FORBIDDEN when who's roles
 * have no right to any article's history (before looking the article
 * up, so nothing is told about it), NOT_FOUND when the article is not
 * there or not one who may change. */
enum hh_rc hh_article_history(struct hh_store *st, const struct hh_actor *who,
			      struct hh_arena *ar, int64_t org_id,
			      const char *slug, hh_event_cb cb, void *ctx);

/* Streams the most read published citizen articles for a reader in
 * municipality muni_id (0: the shared ones only), at most limit. */
enum hh_rc hh_article_popular(struct hh_store *st, const struct hh_actor *who,
			      struct hh_arena *ar, int64_t muni_id, int limit,
			      hh_article_cb cb, void *ctx);

/* Does who read staff articles too (the search and the lists include
 * them)? */
int hh_article_reads_staff(const struct hh_actor *who);

/* The JSON form used by events and the API (new reference). */
json_t *hh_article_json(const struct hh_article *a, int with_body);

#endif
