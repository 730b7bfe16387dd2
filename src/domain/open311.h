/* open311.h - what Open311's door reads and who may use it: the public
 * case types as services, the API key that sends a request, and service
 * requests (cases made without a citizen, of a public case type).
 *
 * api/open311*.c parse GeoReport v2 and render JSON or XML; every store
 * call and access rule behind them is here. */
#ifndef HH_DOMAIN_OPEN311_H
#define HH_DOMAIN_OPEN311_H

#include "core/arena.h"
#include "domain/actor.h"
#include "domain/casetype.h"
#include "store/store.h"

/* A public case type as a service. */
struct hh_o311_service {
	struct hh_case_type row; /* strings in the arena */
	struct hh_case_type_def def;
	const char *org_name;    /* the agency's name; NULL for "municipality" */
	int64_t org_id;          /* the agency's id; 0 for "municipality" */
	int offered;             /* can be requested (no file needed) */
};

/* The services, in the arena's lifetime. */
struct hh_o311_catalogue {
	struct hh_arena *a;
	const char *only;
	struct hh_o311_service *v;
	int n, cap;
};

/* Loads every public case type (only: just that code) as services; the
 * catalogue is freed with a. A case type broken in the store is left
 * out (logged as our bug); with only, that is NOT_FOUND, as is a code
 * that is unknown or not public. */
enum hh_rc hh_o311_catalogue_load(struct hh_store *st, struct hh_arena *a,
				const char *only, struct hh_o311_catalogue **out);

/* The service of a case type id, or NULL. */
const struct hh_o311_service *hh_o311_service_of(const struct hh_o311_catalogue *c,
						    int64_t case_type_id);

/* Who sends a request with api_key: the key's principal (strings in a)
 * and its organisation. NOT_FOUND for an unknown or revoked key;
 * FORBIDDEN when the key's roles may not make Open311 requests. */
enum hh_rc hh_o311_key(struct hh_store *st, struct hh_arena *a,
			  const char *api_key, struct hh_principal *who,
			  struct hh_org *org);

/* May who (an API key's actor) make a request of service s? The case
 * goes to s's agency, or for a municipality's service to key_org (the
 * key's municipality); *dest_org_id gets that organisation. Decided by
 * the access table (HH_RES_OPEN311_REQUEST, CREATE, owner: the receiving
 * organisation): OK, or FORBIDDEN for a key with no role for it. */
enum hh_rc hh_o311_may_create(const struct hh_actor *who,
			      const struct hh_o311_service *s,
			      const struct hh_org *key_org, int64_t *dest_org_id);

/* Is s a public id as hh_case public ids are written (24 hex digits)? */
int hh_o311_id_ok(const char *s);

/* Which service requests to read. */
struct hh_o311_query {
	const char *const *ids; /* these public ids (the filter is then
				   unused) */
	int n_ids;
	struct hh_case_filter f;
	int64_t start, end;   /* requested_datetime range, epoch seconds */
	int want_open, want_closed;
	int max;              /* at most this many */
};

/* One request found: the case (in the arena) and its service. */
struct hh_o311_request {
	struct hh_case c;
	const struct hh_o311_service *s;
	int personal; /* of a personal service: show no location */
};

/* The service requests matching q that the public may see (any caller:
 * HH_RES_OPEN311_REQUEST is readable by everyone, and a request carries
 * no personal data), newest first. *out is an array in a.
 *
 * Never a citizen's own case. A request of a personal service (a move,
 * a pick-up at home) is never listed; asked for by its public id, which
 * only whoever made it knows (96 random bits), it is found with
 * personal set, and the doors show its status but not where it is. */
enum hh_rc hh_o311_requests_find(struct hh_store *st, struct hh_arena *a,
			       const struct hh_actor *who,
			       const struct hh_o311_catalogue *cat,
			       const struct hh_o311_query *q,
			       struct hh_o311_request **out, int *n);

#endif
