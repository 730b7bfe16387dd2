/* reading.h - what a reader does with the knowledge base: searches it with
 * the reader's rights, asks for suggestions while typing, and opens an
 * article (counted for the front page, and as the choice of a search).
 *
 * Both doors (the API and the pages) search through here, so that who
 * sees staff articles is decided by the access table in one place and
 * every search is logged the same way. */
#ifndef HH_DOMAIN_READING_H
#define HH_DOMAIN_READING_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "domain/actor.h"
#include "search/index.h"

/* Runs q for who (q->staff is set from the access table: staff articles
 * for those who may read them), logs the search (domain/searchlog.h) and
 * returns its id, which the hits' links carry so that the choice can be
 * recorded. Every string in *res lives in a. */
int64_t hh_reading_search(struct hh_index *ix, const struct hh_actor *who,
			  struct hh_search_query *q, struct hh_arena *a,
			  struct hh_search_result *res);

/* The same, keeping the browser's anonymous visit (NULL: none) with the
 * logged search. */
int64_t hh_reading_search_visit(struct hh_index *ix,
				const struct hh_actor *who,
				struct hh_search_query *q, const char *visit,
				struct hh_arena *a,
				struct hh_search_result *res);
/* The same search shown again (the results page after an answer to
 * "Fandt du det, du søgte?"): not logged, so it counts once. */
void hh_reading_search_again(struct hh_index *ix, const struct hh_actor *who,
			     struct hh_search_query *q, struct hh_arena *a,
			     struct hh_search_result *res);
/* Whether the articles of index ix (may be NULL: no word is) use word:
 * the vocabulary the search log masks names with (an
 * hh_searchlog_known_fn, with ix as its context), so that another log
 * of a search text (feedback) keeps the same text. */
int hh_reading_known(void *ix, const char *word, size_t len);

/* Search-as-you-type for who (not logged). */
void hh_reading_suggest(struct hh_index *ix, const struct hh_actor *who,
			struct hh_search_query *q, struct hh_arena *a,
			struct hh_suggestion *out);

/* A reader opened the article: one more view, and when search_id (> 0)
 * names the search it came from, that search's choice, which also ranks
 * the article higher. ix may be NULL (no search index). */
void hh_reading_opened(struct hh_index *ix, int64_t article_id,
		       int64_t search_id);
/* s-trap: a reader opened a guide or a form (kind HH_DOC_GUIDE or
 * HH_DOC_SERVICE, id the life event's or the case type's) from the
 * results of search_id (> 0; else nothing happens): that search's
 * choice, so that it counts as answered in the editors' report and the
 * service figures. An article goes through hh_reading_opened. */
void hh_reading_opened_doc(enum hh_doc_kind kind, int64_t doc_id,
			   int64_t search_id);

#endif
