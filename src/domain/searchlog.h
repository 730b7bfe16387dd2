/* searchlog.h - the log of searches, for the report of what citizens did
 * not find.
 *
 * A search must not wait for a disk sync, so entries are queued in memory
 * and written in batches (hh_searchlog_flush, every second). Nothing
 * personal is kept: no user, no address, and numbers that could be a CPR
 * number or a phone number and e-mail addresses are masked in the text. */
#ifndef HH_SEARCHLOG_H
#define HH_SEARCHLOG_H

#include <stdint.h>

#include "core/arena.h"
#include "store/store.h"

/* Sets the store that search ids are taken from, in blocks (call once at
 * start-up, before the first search; st is borrowed and must outlive the
 * searches). Ids are unique across every instance on the database. */
enum hh_rc hh_searchlog_init(struct hh_store *st);
/* Queues a search; returns its id (for recording the chosen result), or 0
 * when no id could be had (the search is then not logged). Takes a write
 * transaction only when the block of ids in hand is used up. */
int64_t hh_searchlog_add(const char *query, int64_t municipality_id,
			 int64_t results);
/* Queues that the search id led to the article. */
void hh_searchlog_choose(int64_t id, int64_t article_id);
enum hh_rc hh_searchlog_flush(struct hh_store *st);
/* The query with personal data masked, in the arena: runs of 6+ digits
 * (with - or space inside) become "#", words with @ become "@". */
const char *hh_searchlog_scrub(struct hh_arena *a, const char *query);

#endif
