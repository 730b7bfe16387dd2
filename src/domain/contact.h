/* contact.h - how to reach an organisation: its contact details (content
 * data, the "contact" object of content/organisations.json) and whether
 * its chat is open now. Public: contact pages show them to everyone. */
#ifndef HH_CONTACT_H
#define HH_CONTACT_H

#include <jansson.h>

#include "core/arena.h"
#include "store/store.h"

struct hh_org_contact {
	const char *phone;    /* "72 10 00 00" */
	const char *email;
	const char *address;  /* street and number */
	const char *postcode; /* "4100" */
	const char *city;     /* "Nordskov" */
	const char *web;      /* NULL: none */
};

/* The contact details of organisation org_id (strings in a); NOT_FOUND
 * when none are given. */
enum hh_rc hh_org_contact_get(struct hh_store *st, struct hh_arena *a,
			      int64_t org_id, struct hh_org_contact *out);
/* The same inside tx. */
enum hh_rc hh_org_contact_get_tx(struct hh_tx *tx, struct hh_arena *a,
				 int64_t org_id, struct hh_org_contact *out);
/* Is contact a good "contact" object: phone, email, address, postcode,
 * city (and optionally web), all non-empty UTF-8 strings? */
int hh_org_contact_ok(json_t *contact);
/* Stores each "contact" object of the organisations in list (the array
 * of organisations.json, already checked) inside tx. */
enum hh_rc hh_org_contacts_put(struct hh_tx *tx, struct hh_arena *a,
			       json_t *list);

/* For helhed export: adds org_id's "contact" object to its entry o of
 * organisations.json, when it has one (read in tx). */
enum hh_rc hh_org_contact_export(struct hh_tx *tx, int64_t org_id, json_t *o);

/* (Whether chat is open: hh_chat_status in domain/chat.h.) */

#endif
