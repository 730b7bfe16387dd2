/* topics.h - topics with Danish names that citizens understand, as data:
 * content/topics.json names the KLE main groups helhed's content uses
 * ("16" → "Flytning, pas og familie"). The search facets, /selvbetjening
 * and other pages show these names instead of KLE numbers; staff pages
 * may show the number beside the name.
 *
 * The names are helhed's own short topic names, not KL's KLE data (which
 * is KL's and not shipped). They are kept in the store (a setting read by
 * hh_topics_load), imported with the content and exported with it. */
#ifndef HH_DOMAIN_TOPICS_H
#define HH_DOMAIN_TOPICS_H

#include <jansson.h>
#include <stdio.h>

#include "core/arena.h"
#include "core/rc.h"
#include "store/store.h"

#define HH_TOPICS_KEY "topics" /* the store setting holding them */

struct hh_topics {
	const char *name[100]; /* by KLE main group 00..99; NULL: unnamed */
	int n;                 /* groups named */
	/* kle (issue 15): the imported KLE main groups' titles (domain/kle.h)
	 * by group, NULL: none; hh_topic_name gives one where name[] has
	 * none. Not part of what the content export writes. */
	const char *kle_title[100];
};

/* Reads dir/topics.json (a list of {"kle": "NN", "name": "..."}) into the
 * store. No file: nothing changes, *n is 0. A bad file is reported on
 * errs as "FILE:LINE: message" and INVALID returned; nothing is stored. */
enum hh_rc hh_topics_import(struct hh_store *st, const char *dir, FILE *errs,
			    int *n);

/* Checks the parsed file j and returns it as the list to store, sorted by
 * group (new), or NULL after writing an English message into err. */
json_t *hh_topics_check(json_t *j, char *err, size_t errsz);

/* The topics in the store into *out (names in a). None stored: *out is
 * empty and OK. Returns a store error otherwise. */
enum hh_rc hh_topics_load(struct hh_store *st, struct hh_arena *a,
			  struct hh_topics *out);
/* The same inside tx (for an export's snapshot). */
enum hh_rc hh_topics_load_tx(struct hh_tx *tx, struct hh_arena *a,
			     struct hh_topics *out);

/* The name of the topic of kle ("16", "16.10.00"; only its main group
 * counts): helhed's own (topics.json), else the main group's imported
 * KLE title (kle (issue 15)); NULL when kle has none or neither names it.
 * Borrowed from t. */
const char *hh_topic_name(const struct hh_topics *t, const char *kle);

/* The main group of kle as 0..99, or -1. */
int hh_topic_group(const char *kle);

#endif
