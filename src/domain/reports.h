/* reports.h - the reports staff read about the knowledge base: today the
 * searches that did not help (no result, or no result chosen). */
#ifndef HH_DOMAIN_REPORTS_H
#define HH_DOMAIN_REPORTS_H

#include "core/arena.h"
#include "domain/actor.h"
#include "store/store.h"

/* Streams the searches of the last `days` days grouped by their text,
 * those with no result or no choice first, most frequent first, at most
 * limit, for a reader the access table lets read the search report
 * (editors, managers, admins; else FORBIDDEN before anything is read):
 * the searches made in the reader's own organisation, and for a
 * municipality's staff also those made without a municipality (the
 * shared knowledge base's); never another organisation's.
 * Searches still queued in memory are written first, so they count.
 * Rows and their strings live in ar. */
enum hh_rc hh_search_report(struct hh_store *st, const struct hh_actor *who,
			    struct hh_arena *ar, int days, int limit,
			    hh_report_cb cb, void *ctx);

/* Whose searches (and feedback answers) who's reports cover, from the
 * access table's scope of the search report: *org_id -1 for every
 * organisation, else the reader's; *unscoped 1 when those made without an
 * organisation (the shared knowledge base's) count too, as for a
 * municipality's staff. FORBIDDEN when the scope gives none. */
enum hh_rc hh_report_scope(const struct hh_actor *who, int64_t *org_id,
			   int *unscoped);

#endif
