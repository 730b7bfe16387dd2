/* index.h - helhed's in-memory search index over what a citizen can use:
 * knowledge articles, life-event guides and self-service forms.
 *
 * An inverted index with four fields (title, keywords, summary, body) and
 * word positions, ranked with BM25F plus boosts for phrase and proximity
 * matches, for documents that match more of the query's words, and for
 * articles citizens often choose. Query words the index does not know are
 * matched with one edit (5+ letters) or two (9+ letters), Damerau-style,
 * below exact and stemmed matches. Synonyms expand the query.
 *
 * The ranking rules (docs/search.md): a query word earns full credit for
 * itself (stemmed, inflected), half for a part match (the word inside a
 * document's compound, or all of its own parts standing together) and
 * little for one of its parts alone; coverage of the query's words counts
 * before frequency; a title that holds every query word ranks first, the
 * title equal to the query before its neighbours. Each result says how
 * sure it is (enum hh_search_strength).
 *
 * The index is derived state, and knows nothing of the store: the domain
 * feeds it (domain/searchfeed.h) at start-up and after every article
 * change through hh_index_put()/hh_index_remove().
 * Searches run in parallel under a read lock; changes take the write lock. */
#ifndef HH_INDEX_H
#define HH_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "domain/model.h"
#include "text/analyze.h"
#include "search/synonyms.h"

#define HH_QUERY_MAX 512 /* bytes of query text used; longer is cut */
#define HH_QUERY_WORDS 31 /* words used: one bit each in a 32-bit mask */

struct hh_index;

/* s-self: what a document is. Documents of the three kinds are indexed,
 * ranked and filtered alike; a kind tells the results where a hit leads
 * (hh_doc_kind_url) and how it is labelled (hh_doc_kind_label). */
enum hh_doc_kind {
	HH_DOC_ARTICLE = 0, /* a knowledge article: /artikel/{slug} */
	HH_DOC_GUIDE = 1,   /* a life-event guide: /livssituation/{slug} */
	HH_DOC_SERVICE = 2, /* a self-service form: /blanket/{slug} */
};
#define HH_DOC_KINDS 3
#define HH_KIND_BIT(k) (1u << (k)) /* for hh_search_query.kinds */

/* "article", "guide", "service" (the API's words); NULL when unknown. */
const char *hh_doc_kind_name(enum hh_doc_kind k);
/* What citizens read: "Vejledning", "Guide", "Selvbetjening". */
const char *hh_doc_kind_label(enum hh_doc_kind k);
/* Where a hit leads: "/artikel/", "/livssituation/", "/blanket/" (the
 * slug follows). */
const char *hh_doc_kind_path(enum hh_doc_kind k);
/* The kind named name ("article", "guide", "service"); -1: none. */
int hh_doc_kind_parse(const char *name);

/* A guide or a form as the domain feeds it (domain/searchfeed.c). Strings
 * are borrowed for the call. */
struct hh_index_doc {
	enum hh_doc_kind kind;   /* HH_DOC_GUIDE or HH_DOC_SERVICE */
	int64_t id;              /* its id in the store, > 0 */
	int64_t org_id;          /* 0: offered by every municipality / shared */
	const char *org_code, *org_name; /* NULL when org_id is 0 */
	int org_is_agency;
	const char *slug;        /* the life event's slug, the case type's code */
	const char *title, *summary, *keywords;
	const char *body_md;     /* steps or the form's fields, as Markdown */
	const char *kle;         /* "" when none */
	enum hh_audience audience;
};

/* Creates an empty index using an (borrowed, must outlive the index) and
 * syn (borrowed, may be NULL). Returns new. */
struct hh_index *hh_index_new(const struct hh_analyzer *an,
			      const struct hh_synonyms *syn);
void hh_index_free(struct hh_index *idx);

/* Adds or replaces the article (by id). Only published articles are
 * indexed: a draft or archived version removes the article.
 * org_is_agency tells whether a->org_id is an agency. */
void hh_index_put(struct hh_index *idx, const struct hh_article *a,
		  int org_is_agency);
void hh_index_remove(struct hh_index *idx, int64_t article_id);
/* s-self: adds or replaces a guide or a form (by kind and id), and
 * removes one. Articles go through hh_index_put. */
void hh_index_put_doc(struct hh_index *idx, const struct hh_index_doc *d);
void hh_index_remove_doc(struct hh_index *idx, enum hh_doc_kind kind,
			 int64_t id);
/* After a change that moved the average field lengths far (a bulk load),
 * every document's length norm and every posting's impact are recomputed
 * once, by the next search or by this call. */
void hh_index_settle(struct hh_index *idx);
/* Does a live article use the word (len bytes, any case)? For the search
 * log, to tell names from the knowledge base's words. Thread-safe. */
int hh_index_knows(struct hh_index *idx, const char *word, size_t len);
/* Counts one more choice of the article from a search result. */
void hh_index_chosen(struct hh_index *idx, int64_t article_id, int64_t n);

struct hh_search_query {
	const char *text;
	int64_t municipality_id; /* 0: none; else its overrides replace shared */
	int64_t organisation_id; /* 0: any; filter on the owner (-1: shared) */
	const char *kle;         /* prefix filter, NULL: any */
	enum hh_audience audience; /* 0: any visible */
	int staff;               /* caller is staff: staff articles visible */
	int limit, offset;
	int prefix_last;         /* treat the last word as a prefix */
	int no_fuzzy;            /* no typo tolerance (for the evaluation) */
	int no_snippets;
	unsigned kinds;          /* HH_KIND_BIT()s of the kinds wanted; 0: all */
	/* s-tune: an editor's pin (domain/searchtune.h): the article with
	 * this slug that the reader sees (a municipality's published local
	 * version before the shared one) ranks first, whether it matches
	 * the words or not, when the filters let it through; the others
	 * follow in their order, so that pages neither lose nor repeat a
	 * hit, and total and facets count it once. NULL: no pin. */
	const char *pin_slug;
	/* s-p99: count every match even where the total would be an
	 * estimate (hh_search_result.total_estimated) */
	int exact_total;
};

struct hh_search_hit {
	int64_t id; /* in the store: article, life event or case type */
	enum hh_doc_kind kind;
	const char *slug, *title, *summary, *org_code, *org_name, *kle;
	enum hh_audience audience;
	double score;
	const char *snippet_html; /* escaped, matches in <mark> */
};

struct hh_facet {
	const char *value; /* "16" (KLE group), "citizen", "901", "" = shared */
	int count;
};

/* How sure a search is of its best hit: none (no hits), weak (only weak
 * evidence: one part of a compound word, or a few light words of a long
 * question), strong. See docs/search.md. */
enum hh_search_strength {
	HH_STRENGTH_NONE = 0,
	HH_STRENGTH_WEAK = 1,
	HH_STRENGTH_STRONG = 2,
};

/* "none", "weak", "strong" (static). */
const char *hh_search_strength_name(enum hh_search_strength s);

struct hh_search_result {
	int total;
	enum hh_search_strength strength;
	struct hh_search_hit *hits;
	int n_hits;
	struct hh_facet *kle_groups, *audiences, *organisations;
	int n_kle_groups, n_audiences, n_organisations;
	const char *did_you_mean; /* a corrected query, or NULL */
	int clipped;              /* the query was longer than HH_QUERY_MAX */
	int n_terms;              /* query terms after analysis */
	int pinned;               /* s-tune: pin_slug's article ranks first */
	/* s-p99: total and the facets' counts are estimates, at least as
	 * many as there are: long posting lists were read only into the
	 * documents the query's rarer words found (the hits are exact).
	 * Only with a word that a sixteenth of the documents (and 2,048)
	 * hold; never with exact_total or a pin. */
	int total_estimated;
};

/* Runs q; every string in *res lives in a. Thread-safe. */
void hh_index_search(struct hh_index *idx, const struct hh_search_query *q,
		     struct hh_arena *a, struct hh_search_result *res);

struct hh_suggestion {
	const char *completions[8]; /* whole query texts with the last word
				       completed */
	int n_completions;
	struct hh_search_hit titles[8];
	int n_titles;
};

/* Search-as-you-type: completions of the last word and matching titles. */
void hh_index_suggest(struct hh_index *idx, const struct hh_search_query *q,
		      struct hh_arena *a, struct hh_suggestion *out);

struct hh_index_stats {
	size_t docs, live_docs, terms, postings, positions, bytes;
	/* s-speed: where the bytes are (they add up to bytes): the scoring
	 * arrays (document, impact, record offset per posting), the posting
	 * records (frequencies, positions), the stored text (slug, title,
	 * summary, plain text, KLE, owner), the documents' other data (their
	 * structs, term lists, checkpoints, norms, id and slug maps) and the
	 * vocabulary (terms, words, trie, word map, analysis cache) */
	size_t bytes_hot, bytes_cold, bytes_text, bytes_docs, bytes_vocab;
};
void hh_index_stats(struct hh_index *idx, struct hh_index_stats *s);

#endif
