/* proposal_state.h - a proposal's state as article_proposals.state holds
 * it (0024), the same on both backends (sqlite_proposals.c,
 * postgres_proposals.c). */
#ifndef HH_STORE_PROPOSAL_STATE_H
#define HH_STORE_PROPOSAL_STATE_H

#include <string.h>

#include "store/store.h"

static inline const char *proposal_state_name(enum hh_proposal_state s)
{
	switch (s) {
	case HH_PROPOSAL_OPEN: return "open";
	case HH_PROPOSAL_ACCEPTED: return "accepted";
	case HH_PROPOSAL_DECLINED: return "declined";
	}
	return "";
}

/* open for anything else */
static inline enum hh_proposal_state proposal_state_parse(const char *s)
{
	if (s && !strcmp(s, "accepted"))
		return HH_PROPOSAL_ACCEPTED;
	if (s && !strcmp(s, "declined"))
		return HH_PROPOSAL_DECLINED;
	return HH_PROPOSAL_OPEN;
}

#endif
