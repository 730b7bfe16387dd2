/* searchtune.h - s-edit (issue 13): what editors tune in the search from
 * the report of searches without answers: synonyms and pinned queries.
 *
 * Synonyms live in the store (table synonyms, one rule a row in the
 * format of content/synonyms.txt, which seeds the table on the first
 * start and is merged in by `helhed import`). The index's synonym table
 * is built from the store and replaced at once when an editor adds a rule
 * (through the store's change callback, as articles are refreshed).
 *
 * A pin puts one article first for one exact query (normalised: case
 * folded, NFC, blanks collapsed) in one municipality's searches, without
 * touching the others' ranking: the search through domain/reading.h
 * names the pinned article's slug to the index, which puts the article
 * the reader sees at that slug (the municipality's published local
 * version before the shared one) first and the other hits after it, on
 * every page, counted once in the total and the facets, when the
 * reader may read it and the chosen filters let it through. Pins are
 * held in memory, reloaded when a pin or a pinned article changes; a
 * version published or archived takes effect at once, since the index
 * resolves the slug at each search.
 *
 * Adding a synonym changes the search for everyone (synonyms are shared,
 * as the file was), so it takes the right to change the shared knowledge
 * base (municipalities' editors and admins); a pin is the editor's own
 * municipality's (its editors and admins). Each change is an event
 * (entity "synonym" or "pin"). */
#ifndef HH_DOMAIN_SEARCHTUNE_H
#define HH_DOMAIN_SEARCHTUNE_H

#include <stdio.h>

#include "domain/actor.h"
#include "search/index.h"
#include "store/store.h"

#define HH_PIN_QUERY_MAX 200

/* The query as pins match it, into ar; NULL when it has no words or is
 * not UTF-8 or longer than HH_PIN_QUERY_MAX bytes. */
const char *hh_pin_query_normalise(struct hh_arena *ar, const char *q);

/* Inserts the rules of the synonyms file at path into the store: with
 * only_if_empty (the server's start), only when the store has no rule
 * yet; otherwise (import) each line not there yet. Blank lines and
 * comments are skipped, lines that are no rule are reported to errs
 * (may be NULL) when an (may be NULL: not checked) is given. *added (may
 * be NULL) gets the count. A missing file adds nothing (OK). */
enum hh_rc hh_synonyms_seed(struct hh_store *st, const struct hh_analyzer *an,
			    const char *path, int only_if_empty, FILE *errs,
			    int *added);

/* Builds *out (cleared first; free with hh_synonyms_clear) from the
 * store's rules; rules that no longer parse are skipped with a warning. */
enum hh_rc hh_synonyms_read(struct hh_store *st, const struct hh_analyzer *an,
			    struct hh_synonyms *out);

/* Adds the synonym rule "words => alternatives" (both_ways: "words,
 * alternatives...", each finding the others). alternatives is a comma
 * separated list. INVALID with *field "words" or "alternatives" when a
 * side has no word or more than HH_SYN_WORDS words a phrase, CONFLICT
 * when the rule is there, FORBIDDEN for one who may not change the
 * shared knowledge base. *rule (may be NULL) gets the stored line (in
 * ar). The index hears of it after the commit. */
enum hh_rc hh_synonym_add(struct hh_store *st, const struct hh_actor *who,
			  const struct hh_analyzer *an, struct hh_arena *ar,
			  const char *words, const char *alternatives,
			  int both_ways, const char **rule, const char **field);

/* s-tune: the same, *id (may be NULL) getting the rule's id. */
enum hh_rc hh_synonym_add_id(struct hh_store *st, const struct hh_actor *who,
			     const struct hh_analyzer *an, struct hh_arena *ar,
			     const char *words, const char *alternatives,
			     int both_ways, int64_t *id, const char **rule,
			     const char **field);

/* s-tune: removes rule id (the index hears of it after the commit; the
 * rule is kept marked removed, so the seed and `helhed import` do not
 * bring it back, and adding it again revives it). *rule (may be NULL)
 * gets the removed text (in ar). FORBIDDEN as hh_synonym_add, NOT_FOUND
 * when there is no such rule or it is removed already. An event
 * "synonym"/"delete" with the rule before. */
enum hh_rc hh_synonym_remove(struct hh_store *st, const struct hh_actor *who,
			     struct hh_arena *ar, int64_t id, const char **rule);

/* s-tune: replaces rule id by "words => alternatives" (as hh_synonym_add)
 * in one transaction: the old one is removed, the new one added (or
 * revived); *new_id and *rule (may be NULL) get the new rule's id and
 * text. The same text: nothing changes (*new_id = id). NOT_FOUND, INVALID
 * with *field, CONFLICT (the new text is another rule), FORBIDDEN. An
 * event "synonym"/"update" with both texts. */
enum hh_rc hh_synonym_change(struct hh_store *st, const struct hh_actor *who,
			     const struct hh_analyzer *an, struct hh_arena *ar,
			     int64_t id, const char *words,
			     const char *alternatives, int both_ways,
			     int64_t *new_id, const char **rule,
			     const char **field);

/* s-tune: for the editors' list: the rules whose text holds filter (any
 * case; NULL or "": all), oldest first, from offset, at most limit (<= 0:
 * all) to cb with their ids; *total gets how many hold filter. FORBIDDEN
 * for one who may not change the shared knowledge base. */
enum hh_rc hh_synonym_page(struct hh_store *st, const struct hh_actor *who,
			   struct hh_arena *ar, const char *filter, int offset,
			   int limit, enum hh_rc (*cb)(void *ctx, int64_t id,
						       const char *rule),
			   void *ctx, int *total);

/* Streams every stored rule, oldest first (strings in ar). */
enum hh_rc hh_synonym_list(struct hh_store *st, struct hh_arena *ar,
			   enum hh_rc (*cb)(void *ctx, const char *rule),
			   void *ctx);

/* Pins the article that who's municipality's citizens find at slug (its
 * local version before the shared one) to query in who's municipality:
 * it ranks first for that exact query there. Replaces the query's pin.
 * FORBIDDEN when who is no editor of a municipality, INVALID with
 * *field "query" (no words) or "article" (no published article at slug
 * that who may read). *out (may be NULL) gets the pin, *article (may be
 * NULL) the article pinned (strings in ar). */
enum hh_rc hh_pin_add(struct hh_store *st, const struct hh_actor *who,
		      struct hh_arena *ar, const char *query, const char *slug,
		      struct hh_search_pin *out, struct hh_article *article,
		      const char **field);

/* Removes who's municipality's pin of query (NOT_FOUND: none). */
enum hh_rc hh_pin_remove(struct hh_store *st, const struct hh_actor *who,
			 struct hh_arena *ar, const char *query);

/* Streams the pins of who's organisation (org_id -1, for a system actor:
 * every pin), with the pinned article's slug and title (strings in ar). */
enum hh_rc hh_pin_list(struct hh_store *st, const struct hh_actor *who,
		       struct hh_arena *ar,
		       enum hh_rc (*cb)(void *ctx, const struct hh_search_pin *p,
					const struct hh_article *a),
		       void *ctx);

/* Writes DIR/synonyms.txt (every rule) and DIR/pins.json (every pin:
 * organisation, query, the article's owner and slug) for `helhed
 * export`. *synonyms and *pins (may be NULL) get the counts. */
enum hh_rc hh_search_tuning_export(struct hh_store *st, const char *dir,
				   int *synonyms, int *pins);

/* Reads DIR/pins.json, as export writes it, into the store (`helhed
 * import`); pins whose organisation or article is not there are reported
 * to errs and skipped. A missing file is no error. */
enum hh_rc hh_pins_import(struct hh_store *st, const char *dir, FILE *errs,
			  int *imported);

/* ---- at run time -------------------------------------------------------- */

struct hh_search_tuning;

/* Starts following st for idx: builds the synonym table from the store
 * (when the store has rules; else idx keeps the table it has) and loads
 * the pins, then rebuilds either when one changes. Makes the pins the
 * ones hh_search_tuning_apply uses (one at a time per process). idx, an
 * and st are borrowed and must outlive *out. Returns CONFLICT when st
 * has no room for another subscriber. */
enum hh_rc hh_search_tuning_start(struct hh_index *idx, struct hh_store *st,
				  const struct hh_analyzer *an,
				  struct hh_search_tuning **out);
/* Stops following, gives idx back the synonym table it had before and
 * frees t (NULL: nothing). Call when no search or write runs. */
void hh_search_tuning_stop(struct hh_search_tuning *t);

/* Before the search: sets q->pin_slug (in a) to the slug of the article
 * pinned to q's text in q's municipality, or NULL; the index puts the
 * article the reader sees at that slug first, on every page (index.h).
 * No-op (NULL) when nothing is started. */
void hh_search_tuning_prepare(struct hh_search_query *q, struct hh_arena *a);

/* After the search: a result led by a pin is a sure one. */
void hh_search_tuning_apply(const struct hh_search_query *q,
			    struct hh_search_result *res);

#endif
