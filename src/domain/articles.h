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

/* The JSON form used by events and the API (new reference). */
json_t *hh_article_json(const struct hh_article *a, int with_body);

#endif
