/* contact.c - an organisation's contact details and its chat's state
 * now; see contact.h. */
#include "domain/contact.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/hours.h"


static const char *const keys[] = { "phone", "email", "address", "postcode",
				     "city", "web" };
#define N_KEYS (sizeof(keys) / sizeof(keys[0]))

int hh_org_contact_ok(json_t *c)
{
	if (!json_is_object(c))
		return 0;
	size_t known = 0;
	for (size_t i = 0; i < N_KEYS; i++) {
		json_t *v = json_object_get(c, keys[i]);
		const char *s = json_string_value(v);
		if (!v && !strcmp(keys[i], "web"))
			continue;
		if (!s || !*s || strlen(s) > 300 || !hh_utf8_valid(s, strlen(s)))
			return 0;
		known++;
	}
	return json_object_size(c) == known;
}

enum hh_rc hh_org_contacts_put(struct hh_tx *tx, struct hh_arena *a,
			       json_t *list)
{
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o)
	{
		json_t *c = json_object_get(o, "contact");
		if (!c)
			continue;
		struct hh_org org;
		enum hh_rc rc = tx->store->org_get_by_code(
			tx, a, json_string_value(json_object_get(o, "code")), &org);
		if (rc != HH_OK)
			return rc;
		char *body = json_dumps(c, JSON_COMPACT | JSON_SORT_KEYS);
		rc = tx->store->org_document_put(tx, org.id, "contact", body);
		free(body);
		if (rc != HH_OK)
			return rc;
	}
	return HH_OK;
}

enum hh_rc hh_org_contact_export(struct hh_tx *tx, int64_t org_id, json_t *o)
{
	struct hh_arena a;
	hh_arena_init(&a);
	const char *body;
	enum hh_rc rc = tx->store->org_document_get(tx, &a, org_id, "contact", &body);
	if (rc == HH_OK) {
		json_t *c = json_loads(body, 0, NULL);
		if (c)
			json_object_set_new(o, "contact", c);
		else
			rc = HH_ERR_INTERNAL;
	} else if (rc == HH_ERR_NOT_FOUND) {
		rc = HH_OK;
	}
	hh_arena_clear(&a);
	return rc;
}

enum hh_rc hh_org_contact_get_tx(struct hh_tx *tx, struct hh_arena *a,
				 int64_t org_id, struct hh_org_contact *out)
{
	const char *body;
	enum hh_rc rc = tx->store->org_document_get(tx, a, org_id, "contact", &body);
	if (rc != HH_OK)
		return rc;
	json_t *c = json_loads(body, 0, NULL);
	if (!c)
		return HH_ERR_INTERNAL;
	const char **fields[N_KEYS] = { &out->phone, &out->email, &out->address,
					&out->postcode, &out->city, &out->web };
	for (size_t i = 0; i < N_KEYS; i++) {
		const char *s = json_string_value(json_object_get(c, keys[i]));
		*fields[i] = s ? hh_arena_strdup(a, s) : NULL;
	}
	json_decref(c);
	return HH_OK;
}

struct get_ctx {
	struct hh_arena *a;
	int64_t org_id;
	struct hh_org_contact *out;
};

static enum hh_rc get_tx(struct hh_tx *tx, void *p)
{
	struct get_ctx *g = p;
	return hh_org_contact_get_tx(tx, g->a, g->org_id, g->out);
}

enum hh_rc hh_org_contact_get(struct hh_store *st, struct hh_arena *a,
			      int64_t org_id, struct hh_org_contact *out)
{
	struct get_ctx g = { a, org_id, out };
	return hh_store_run_tx(st, 0, get_tx, &g);
}
