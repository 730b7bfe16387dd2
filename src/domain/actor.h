/* actor.h - who is doing something, as the domain layer sees it. */
#ifndef HH_ACTOR_H
#define HH_ACTOR_H

#include <stdint.h>

struct hh_actor {
	const char *label;      /* for events: "user:3", "token:1", "import" */
	int64_t org_id;         /* 0: none */
	int org_is_municipality;
	unsigned roles;         /* enum hh_role bits */
	int system;             /* command-line tools: every right */
};

#endif
