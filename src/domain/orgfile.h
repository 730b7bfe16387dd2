/* orgfile.h - content files keyed by organisation code (teams.json,
 * hours.json, counter-services.json): { "<organisation code>": value, ... }.
 *
 * One importer for all of them: the file is read, each organisation's
 * value checked, and only a file that is good throughout is written, in
 * one transaction. A missing file is nothing to do. A bad file is
 * reported on errs as "FILE:LINE: message" and nothing of it is written
 * (INVALID); an organisation not in the store makes the file bad. */
#ifndef HH_DOMAIN_ORGFILE_H
#define HH_DOMAIN_ORGFILE_H

#include <jansson.h>
#include <stdio.h>

#include "core/arena.h"
#include "store/store.h"

struct hh_org_file {
	const char *name; /* the file in the content folder */
	/* One organisation's value: NULL when good, else a message (static
	 * or in a). */
	const char *(*check)(struct hh_arena *a, json_t *v);
	/* Writes one organisation's value in the import's transaction and
	 * adds what it counts to *n. */
	enum hh_rc (*put)(struct hh_tx *tx, struct hh_arena *a, int64_t org_id,
			  json_t *v, int *n);
};

/* Imports dir/f->name as above; *n gets the sum of what put counted. */
enum hh_rc hh_org_file_import(struct hh_store *st, const char *dir,
			      const struct hh_org_file *f, FILE *errs, int *n);

#endif
