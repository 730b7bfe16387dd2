/* versions.h - s-edit (issue 13): an article's versions for its editors,
 * the line diff between two texts, restoring an old version, and a
 * municipality's local version of a shared article.
 *
 * Thin over articles.h: every change goes through hh_article_create or
 * hh_article_update_as, so it is checked, versioned and written to the
 * event log as any other change, and the search index hears of it. */
#ifndef HH_DOMAIN_VERSIONS_H
#define HH_DOMAIN_VERSIONS_H

#include <stddef.h>

#include "domain/actor.h"
#include "store/store.h"

/* ---- the line diff ---------------------------------------------------- */

enum hh_diff_op { HH_DIFF_SAME = 0, HH_DIFF_DEL, HH_DIFF_ADD };

/* One line of a diff: text is len bytes (without the line break) of the
 * old text (SAME, DEL) or the new one (ADD). */
struct hh_diff_line {
	enum hh_diff_op op;
	const char *text;
	size_t len;
};

/* Above this many cells (changed lines of the old text times those of
 * the new one, after the common beginning and end are set aside) the
 * diff does not look for lines kept in the middle: it shows the middle
 * as removed, then added. Still correct, only less tidy, and bounded in
 * memory: 2 bytes a cell (a common subsequence is never longer than the
 * shorter side, at most 2,048 lines here), 8 MB at most, freed before
 * returning. Two versions of a 2,000-line article with changes spread
 * through it still get a line-by-line diff. */
#define HH_DIFF_MAX_CELLS (1u << 22)

/* The lines of old_text to remove and of new_text to add to turn one into
 * the other (a longest common subsequence of whole lines; "\r\n" counts
 * as "\n"). *lines (in ar) gets them in reading order, *n their count,
 * *added and *removed (may be NULL) the counts of each kind. */
void hh_text_diff(struct hh_arena *ar, const char *old_text,
		  const char *new_text, struct hh_diff_line **lines, size_t *n,
		  size_t *added, size_t *removed);

/* ---- versions, for the editors who may change the article ------------- */

/* Streams the stored versions of the article of owner org_id (0: shared)
 * at slug, oldest first (each an article with that version's fields,
 * body_html NULL); *cur (may be NULL) gets the article as it is now.
 * FORBIDDEN when who's roles have no right to any article's history,
 * NOT_FOUND when the article is not there or not one who may change (as
 * hh_article_history). Rows and strings in ar. */
enum hh_rc hh_article_versions(struct hh_store *st, const struct hh_actor *who,
			       struct hh_arena *ar, int64_t org_id,
			       const char *slug, struct hh_article *cur,
			       hh_article_cb cb, void *ctx);

/* Version `version` of that article into *out and the current into *cur
 * (either may be NULL), with the rights of hh_article_versions;
 * NOT_FOUND also for a version that does not exist. */
enum hh_rc hh_article_version(struct hh_store *st, const struct hh_actor *who,
			      struct hh_arena *ar, int64_t org_id,
			      const char *slug, int64_t version,
			      struct hh_article *cur, struct hh_article *out);

/* Restores version `version` as a new version: its title, summary, body,
 * keywords, KLE number and audience; the status stays as it is now (a
 * restored text of a published article stays published, of a draft a
 * draft). expected_version is the version the editor saw (CONFLICT when
 * the article has changed since; 0: whatever is current). The event's
 * action is "restore". *out (may be NULL) gets the article after it;
 * *changed (may be NULL) 0 when the version's text equals the current
 * one and nothing was written: then OK whatever expected_version is, so
 * that a restore sent again after it succeeded is no conflict (s-tune).
 * Rights as hh_article_update. */
enum hh_rc hh_article_restore(struct hh_store *st, const struct hh_actor *who,
			      struct hh_arena *ar, int64_t org_id,
			      const char *slug, int64_t version,
			      int64_t expected_version, struct hh_article *out,
			      int *changed);

/* ---- s-tune: what a version changed ------------------------------------ */

enum {
	HH_VCH_TITLE = 1, HH_VCH_SUMMARY = 2, HH_VCH_BODY = 4,
	HH_VCH_KEYWORDS = 8, HH_VCH_KLE = 16, HH_VCH_AUDIENCE = 32,
	HH_VCH_STATUS = 64,
};

struct hh_version_change {
	unsigned fields;       /* HH_VCH_ bits of the fields that differ */
	size_t added, removed; /* lines of the body (hh_text_diff) */
};

/* What v changed from prev (NULL: the first version, from nothing);
 * scratch in ar. */
void hh_version_change_of(struct hh_arena *ar, const struct hh_article *prev,
			  const struct hh_article *v, struct hh_version_change *out);
/* "title", "summary", "body", "keywords", "kle", "audience", "status"
 * for one HH_VCH_ bit (static); NULL for another value. */
const char *hh_version_field_name(unsigned bit);

/* ---- a municipality's local version of a shared article --------------- */

/* Creates who's municipality's local version of the shared article at
 * slug: a copy of its fields owned by the municipality, as a draft (the
 * shared article stays what the municipality's citizens read until the
 * editor publishes the local one). FORBIDDEN when who is not an editor of
 * a municipality, NOT_FOUND when there is no shared article at slug that
 * who may read, CONFLICT when the municipality has an article at slug
 * already. *out gets the new article (strings in ar). */
enum hh_rc hh_article_make_local(struct hh_store *st, const struct hh_actor *who,
				 struct hh_arena *ar, const char *slug,
				 struct hh_article *out);

#endif
