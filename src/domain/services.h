/* services.h - the self-service forms citizens may use, as a catalogue:
 * the case types that are public and have a form (the same rule as
 * hh_case_type_form), each with its name, description, topic, who offers
 * it and the articles it belongs to ("articles" in the case type's
 * definition: the article shows "Start selvbetjening").
 *
 * Case types that are not public (created by staff or by a follow-up
 * rule) are never listed. Everything here is public information: no
 * actor is needed. */
#ifndef HH_DOMAIN_SERVICES_H
#define HH_DOMAIN_SERVICES_H

#include <stdint.h>

#include "core/arena.h"
#include "core/rc.h"
#include "store/store.h"

#define HH_SERVICE_ARTICLES 8

struct hh_service {
	int64_t id;
	const char *code;        /* the case type's code: /blanket/{code} */
	const char *name;        /* "Ansøgning om skilsmisse" */
	const char *form_title;  /* "Søg om skilsmisse", or NULL */
	const char *description; /* "" when none */
	const char *kle;         /* "" when none */
	const char *organisation; /* a code, or "municipality" */
	const char *org_name;    /* the organisation's name; NULL for
				    "municipality" (the citizen's own) */
	const char *articles[HH_SERVICE_ARTICLES]; /* slugs it belongs to */
	int n_articles;
};

typedef enum hh_rc (*hh_service_cb)(void *ctx, const struct hh_service *s);

/* Streams every form a citizen may use, by name (strings in a). */
enum hh_rc hh_services_each(struct hh_store *st, struct hh_arena *a,
			    hh_service_cb cb, void *ctx);

/* Streams the forms that belong to the article at slug (strings in a). */
enum hh_rc hh_services_for_article(struct hh_store *st, struct hh_arena *a,
				   const char *slug, hh_service_cb cb,
				   void *ctx);

#endif
