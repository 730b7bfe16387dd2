/* orgs.h - organisations (municipalities and agencies) as everybody may
 * read them: public facts, no access rule applies. */
#ifndef HH_DOMAIN_ORGS_H
#define HH_DOMAIN_ORGS_H

#include "core/arena.h"
#include "store/store.h"

/* The organisation with code (kept briefly in memory: see
 * hh_store_org_by_code). NOT_FOUND when there is none. Strings in a. */
enum hh_rc hh_org_by_code(struct hh_store *st, struct hh_arena *a,
			  const char *code, struct hh_org *out);

/* Streams every organisation: agencies first, then municipalities, each
 * by name. */
enum hh_rc hh_org_each(struct hh_store *st, struct hh_arena *a,
		       hh_org_cb cb, void *ctx);

#endif
