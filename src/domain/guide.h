/* guide.h - the life-event guides as a reader sees them: the list for
 * the front page, one guide with the articles it points to (each as the
 * reader may read it, local versions first), and a citizen's plan already
 * made from the same answers.
 *
 * Life events themselves are public; the articles and plans they lead to
 * are read through the access table. */
#ifndef HH_DOMAIN_GUIDE_H
#define HH_DOMAIN_GUIDE_H

#include <jansson.h>

#include "core/arena.h"
#include "domain/actor.h"
#include "store/store.h"

/* Streams every life event in their order (strings in ar). */
enum hh_rc hh_guide_each(struct hh_store *st, struct hh_arena *ar,
			 hh_life_event_cb cb, void *ctx);

/* The life event at slug into *out (NOT_FOUND when there is none). With
 * cb, also streams the articles it points to as who, reading in
 * municipality muni_id (0: none), sees them (hh_article_resolve), in the
 * guide's order, leaving out those who may not read or that are gone. */
enum hh_rc hh_guide_get(struct hh_store *st, const struct hh_actor *who,
			struct hh_arena *ar, int64_t muni_id, const char *slug,
			struct hh_life_event *out, hh_article_cb cb, void *ctx);

/* *plan_id: the signed-in citizen's plan for the life event at slug with
 * exactly these answers (borrowed), or 0 when there is none, so that
 * saving twice (a double click, the back button) does not make a copy.
 * FORBIDDEN for a caller that may not read plans of its own. */
enum hh_rc hh_guide_same_plan(struct hh_store *st, const struct hh_actor *who,
			      struct hh_arena *ar, const char *slug,
			      json_t *answers, int64_t *plan_id);

#endif
