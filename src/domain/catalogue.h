/* catalogue.h - what helhed offers: the life-event guides and the case
 * types, as each caller may read them, and a per-request cache of parsed
 * case type definitions.
 *
 * Life events are public facts (no access rule applies). Case types are
 * public when their definition says so; the internal ones (follow-ups)
 * are read only by those who work cases (hh_case_works). */
#ifndef HH_DOMAIN_CATALOGUE_H
#define HH_DOMAIN_CATALOGUE_H

#include "core/arena.h"
#include "domain/actor.h"
#include "domain/casetype.h"
#include "store/store.h"

/* Does who work cases (read an organisation's queue)? A lookup in the
 * access table: the front desk, caseworkers, managers and admins. */
int hh_case_works(const struct hh_actor *who);

/* Streams every life event, by position. Strings in a. */
enum hh_rc hh_life_event_each(struct hh_store *st, struct hh_arena *a,
			      hh_life_event_cb cb, void *ctx);
/* The life event with slug; NOT_FOUND when there is none. Strings in a. */
enum hh_rc hh_life_event_read(struct hh_store *st, struct hh_arena *a,
			      const char *slug, struct hh_life_event *out);

/* The parsed definition of life event le (borrowed, read-only: lives as
 * long as a), or NULL when it is not JSON. Parsed once per process while
 * the store's row keeps the same text, and shared across requests and
 * threads, as case types' definitions are (hh_ct_cache_get): Mit
 * overblik and each plan's view read the same life event. */
json_t *hh_life_event_def(struct hh_arena *a, const struct hh_life_event *le);

/* Streams the case types who may read (the public ones, and all of them
 * for those who work cases), by name. Strings in a. */
enum hh_rc hh_case_type_each(struct hh_store *st, struct hh_arena *a,
			     const struct hh_actor *who, hh_case_type_cb cb,
			     void *ctx);
/* The case type with code, if who may read it; NOT_FOUND otherwise. */
enum hh_rc hh_case_type_read(struct hh_store *st, struct hh_arena *a,
			     const struct hh_actor *who, const char *code,
			     struct hh_case_type *out);

/* Case type definitions by id, looked up once per request. Zero it
 * before use. A definition is parsed once per process while the store's
 * row keeps the same text, and shared across requests and threads; each
 * request holds the ones it got until its arena is cleared. */
#define HH_CT_CACHE 32
struct hh_ct_cache {
	int n;
	int64_t ids[HH_CT_CACHE];
	struct hh_case_type_def *defs[HH_CT_CACHE];
};
/* The definition of case type id (borrowed, read-only: lives as long as
 * a), or NULL when it cannot be loaded. Inside a domain transaction. */
const struct hh_case_type_def *hh_ct_cache_get(struct hh_tx *tx,
					       struct hh_arena *a,
					       struct hh_ct_cache *c, int64_t id);

#endif
