/* searchfeed.h - the search index fed from the store: built at start-up
 * and kept current through the store's change callbacks. */
#ifndef HH_DOMAIN_SEARCHFEED_H
#define HH_DOMAIN_SEARCHFEED_H

#include "search/index.h"
#include "store/store.h"

/* Loads every article, life-event guide and self-service form (public
 * case types with fields) from the store. Returns a store error or OK. */
enum hh_rc hh_index_build(struct hh_index *idx, struct hh_store *st);
/* Reloads one article from the store after a change. */
enum hh_rc hh_index_refresh(struct hh_index *idx, struct hh_store *st,
			    int64_t article_id);

/* s-self: reads every guide (kind HH_DOC_GUIDE) or every form
 * (HH_DOC_SERVICE) again after a change: new and changed ones are put,
 * case types no longer open to citizens taken out. */
enum hh_rc hh_index_refresh_kind(struct hh_index *idx, struct hh_store *st,
				 enum hh_doc_kind kind);

/* pg-multi (issue 14): reads every article, guide and form again into a
 * live idx: published ones put, the others taken out (the store's change
 * "*" after changes were missed). */
enum hh_rc hh_index_resync(struct hh_index *idx, struct hh_store *st);

struct hh_index_follower;

/* Subscribes idx to st's changes: each committed change of an article
 * reloads that article into idx (hh_index_refresh); a change of a life
 * event ("life_event") or case type ("case_type") reloads all of that
 * kind (hh_index_refresh_kind); "*" reads everything again
 * (hh_index_resync). Both are borrowed and
 * must outlive the follower. *out is new: end it with hh_index_unfollow
 * before idx is freed. Returns CONFLICT when st has no room for another
 * subscriber. */
enum hh_rc hh_index_follow(struct hh_index *idx, struct hh_store *st,
			   struct hh_index_follower **out);
/* Unsubscribes and frees f (NULL: nothing); call when no write can be
 * running. */
void hh_index_unfollow(struct hh_index_follower *f);

#endif
