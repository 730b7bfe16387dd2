/* follow.h - keeps a search index current with the articles a store's
 * writers change (the store's change callbacks, hh_store_subscribe). */
#ifndef HH_FOLLOW_H
#define HH_FOLLOW_H

#include "search/index.h"
#include "store/store.h"

struct hh_index_follower;

/* Subscribes idx to st's changes: each committed change of an article
 * reloads that article into idx (hh_index_refresh). Both are borrowed and
 * must outlive the follower. *out is new: end it with hh_index_unfollow
 * before idx is freed. Returns CONFLICT when st has no room for another
 * subscriber. */
enum hh_rc hh_index_follow(struct hh_index *idx, struct hh_store *st,
			   struct hh_index_follower **out);
/* Unsubscribes and frees f (NULL: nothing); call when no write can be
 * running. */
void hh_index_unfollow(struct hh_index_follower *f);

#endif
