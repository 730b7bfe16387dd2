/* follow.c - the search index as a subscriber of the store's changes. */
#include "search/follow.h"

#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"

struct hh_index_follower {
	struct hh_index *idx;
	struct hh_store *st;
};

static void on_change(void *cls, const struct hh_change *c)
{
	struct hh_index_follower *f = cls;
	if (strcmp(c->entity, "article") != 0)
		return;
	enum hh_rc rc = hh_index_refresh(f->idx, f->st, c->id);
	if (rc != HH_OK)
		hh_log(HH_LOG_WARN,
		       "search index not refreshed for article %lld: %s",
		       (long long)c->id, hh_rc_name(rc));
}

enum hh_rc hh_index_follow(struct hh_index *idx, struct hh_store *st,
			   struct hh_index_follower **out)
{
	struct hh_index_follower *f = hh_xmalloc(sizeof(*f));
	f->idx = idx;
	f->st = st;
	enum hh_rc rc = hh_store_subscribe(st, on_change, f);
	if (rc != HH_OK) {
		free(f);
		return rc;
	}
	*out = f;
	return HH_OK;
}

void hh_index_unfollow(struct hh_index_follower *f)
{
	if (!f)
		return;
	hh_store_unsubscribe(f->st, on_change, f);
	free(f);
}
