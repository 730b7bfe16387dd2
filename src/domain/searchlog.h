/* searchlog.h - the log of searches, for the report of what citizens did
 * not find.
 *
 * A search must not wait for a disk sync, so entries are queued in memory
 * and written in batches (hh_searchlog_flush, every second). Nothing
 * personal is kept: no user, no IP address, and in the text:
 *   - numbers of 6 or more digits, in groups joined by up to three
 *     separators (space, hyphen, dot, slash, en or em dash, minus, no-break
 *     space), become "#": CPR numbers in every written form (010203-1234,
 *     010203–1234, 010203 - 1234, 01.02.03-1234, 0102031234) and phone
 *     numbers;
 *   - words with @ become "@";
 *   - a street name (a word ending in vej, gade, allé, vænget, plads, ...)
 *     with its house number, floor and side, and the capitalised words
 *     before it, and a postcode with its town, become "[adresse]";
 *   - two or more capitalised words in a row that the articles do not
 *     use become "[navn]" ("Jens Hansen"; "Udbetaling Danmark" stays).
 * What is not caught: a name typed in lower case, or a single name; an
 * address without a house number. The search report shows what is left,
 * to editors only. */
#ifndef HH_SEARCHLOG_H
#define HH_SEARCHLOG_H

#include <stdint.h>

#include "core/arena.h"
#include "store/store.h"

/* Sets the store that search ids are taken from, in blocks (call once at
 * start-up, before the first search; st is borrowed and must outlive the
 * searches). Ids are unique across every instance on the database. */
enum hh_rc hh_searchlog_init(struct hh_store *st);
/* Whether the articles use a word (len bytes, as typed): the vocabulary
 * that tells a name from words of the knowledge base. */
typedef int (*hh_searchlog_known_fn)(void *ctx, const char *word, size_t len);

/* Queues a search; returns its id (for recording the chosen result), or 0
 * when no id could be had (the search is then not logged). Takes a write
 * transaction only when the block of ids in hand is used up. known (with
 * ctx; may be NULL: no word is known) is the articles' vocabulary. */
int64_t hh_searchlog_add(const char *query, int64_t municipality_id,
			 int64_t results, hh_searchlog_known_fn known, void *ctx);
/* The anonymous visit (the hh_visit cookie, app/app.h): 32 lower-case
 * hex digits and the NUL. */
#define HH_VISIT_SIZE 33
/* 1 when v is a visit id as hh_visit makes them. */
int hh_searchlog_visit_valid(const char *v);
/* The same as hh_searchlog_add, also keeping the browser's visit (NULL
 * or not valid: none) for the service figures' search success. */
int64_t hh_searchlog_add_visit(const char *query, int64_t municipality_id,
			       int64_t results, const char *visit,
			       hh_searchlog_known_fn known, void *ctx);
/* The same as hh_searchlog_add_visit, also keeping how sure the search
 * was of its best hit (enum hh_search_strength: 0 none, 1 weak, 2 strong;
 * -1 not known, as the calls above log it): the report and the figures
 * count weak searches as weak, not as answered. */
int64_t hh_searchlog_add_strength(const char *query, int64_t municipality_id,
				  int64_t results, int strength,
				  const char *visit,
				  hh_searchlog_known_fn known, void *ctx);
/* Queues that the search id led to the article. */
void hh_searchlog_choose(int64_t id, int64_t article_id);
/* s-trap: queues that the search id led to the document of doc_kind
 * (enum hh_doc_kind: 0 an article, as hh_searchlog_choose; 1 a
 * life-event guide, 2 a self-service form) with id doc_id (the life
 * event's, the case type's). The first choice of a search counts; the
 * report and the figures count a search with any choice as answered. */
void hh_searchlog_choose_doc(int64_t id, int doc_kind, int64_t doc_id);
enum hh_rc hh_searchlog_flush(struct hh_store *st);
/* The query with personal data masked (see the top of this file), in the
 * arena; with no vocabulary: every run of capitalised words is a name. */
const char *hh_searchlog_scrub(struct hh_arena *a, const char *query);
/* The same with the articles' vocabulary (known may be NULL). */
const char *hh_searchlog_scrub_known(struct hh_arena *a, const char *query,
				     hh_searchlog_known_fn known, void *ctx);

#endif
