/* views.h - article view counts, gathered in memory and written in batches.
 *
 * Counting a page view must not cost a durable write per request (an fsync
 * with synchronous=FULL); counts are summed in memory and flushed in one
 * transaction every few seconds and at shutdown. A crash loses at most the
 * counts since the last flush, which only affects the "popular" ordering. */
#ifndef HH_VIEWS_H
#define HH_VIEWS_H

#include <stdint.h>

#include "core/rc.h"
#include "store/store.h"

void hh_views_add(int64_t article_id);
/* Writes the gathered counts; on failure they are kept for the next try. */
enum hh_rc hh_views_flush(struct hh_store *st);

#endif
