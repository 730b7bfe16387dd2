/* content.h - import and export of the content folder (see
 * docs/content-format.md): organisations, users, life events, and
 * articles as Markdown files with front matter. */
#ifndef HH_CONTENT_H
#define HH_CONTENT_H

#include <stdio.h>

#include "core/arena.h"
#include "core/buf.h"
#include "store/store.h"

struct hh_import_stats {
	int organisations;
	int users;
	int life_events;
	int case_types;
	int citizens; /* demo citizens (with users) */
	int inquiry_codes; /* teams and transfer reasons (teams.json) */
	int hours; /* services with opening hours (hours.json) */
	int counter_services; /* appointments (counter-services.json) */
	int figures; /* the service figures' content (figures.json): 0/1 */
	int topics; /* s-self: topics named (topics.json) */
	int case_systems; /* x-decl: case-systems.json's systems */
	int articles_created, articles_updated, articles_unchanged;
	int files_failed; /* files reported and skipped */
};

typedef void (*hh_progress_fn)(void *ctx, int done, int total);

/* Imports dir into the store. Each bad file is reported on errs as
 * "FILE:LINE: message" and nothing of it is imported; the rest is.
 * with_users: also import users.json (demo users). Returns OK when every
 * file was imported, INVALID when some were skipped, or a store error
 * (then the current batch is rolled back). */
/* with_users's bits (x-fix): users.json too; replace declared case
 * systems that exist already (else kept, said on errs) */
#define HH_IMPORT_USERS 1
#define HH_IMPORT_FORCE 2
enum hh_rc hh_content_import(struct hh_store *st, const char *dir,
			     int with_users, FILE *errs,
			     hh_progress_fn progress, void *progress_ctx,
			     struct hh_import_stats *stats);

/* Writes organisations, life events and all articles to dir (created if
 * missing) in the canonical form. *n_articles gets the count. */
enum hh_rc hh_content_export(struct hh_store *st, const char *dir,
			     FILE *errs, int *n_articles);

/* Parses one article file. folder_org: organisation code implied by the
 * folder (NULL for articles/). On success fills *a (strings in ar, org_id
 * left 0) and *org_code (NULL: shared). On failure writes
 * "LINE: message" into err and returns INVALID. */
enum hh_rc hh_article_parse(struct hh_arena *ar, const char *slug,
			    const char *folder_org, const char *text,
			    size_t len, struct hh_article *a,
			    const char **org_code, char *err, size_t errsz);

/* Appends the canonical file form of a to out. */
void hh_article_format(const struct hh_article *a, struct hh_buf *out);

#endif
