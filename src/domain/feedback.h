/* feedback.h - "Fandt du det, du søgte?": the yes/no answer (and an
 * optional comment) a reader gives on an article page or a search results
 * page, and the editors' report of them (issue 12: satisfaction).
 *
 * Anonymous by construction: no name, no citizen id, no IP address is
 * ever taken, signed in or not. What identifies a browser is the visit
 * (the hh_visit cookie: 128 random bits, one day; docs/security.md), used
 * for one rule: a visit answers once per page (an article, or a search
 * text) per Danish day. A repeat changes nothing and gives back the first
 * answer, marked already_recorded.
 *
 * Each answer is a row of table feedback and, in the same transaction, an
 * event the service figures fold (domain/figures.h):
 *   entity "feedback", action "create", actor "anonymous",
 *   organisation = the municipality (or none), entity_id = the row id,
 *   after = {"article_id":N,"found":true,"kle":"..","page":"article",
 *            "visit":"<hex>"}
 * compact with keys sorted; article_id only on article pages, kle only
 * when the article has one, visit only when known. */
#ifndef HH_DOMAIN_FEEDBACK_H
#define HH_DOMAIN_FEEDBACK_H

#include <stdint.h>

#include "core/arena.h"
#include "domain/actor.h"
#include "domain/searchlog.h"
#include "store/store.h"

#define HH_FEEDBACK_COMMENT_MAX 500 /* characters, after trimming */
#define HH_FEEDBACK_QUERY_MAX 512   /* characters of a search text as
				       given (the search form's limit);
				       200 bytes are kept, as in the log */

/* An answer as a door received it. Strings are borrowed for the call. */
struct hh_feedback_in {
	int found;               /* 1 yes, 0 no; -1: not given (INVALID) */
	const char *page;        /* "article" or "search" */
	int64_t article_id;      /* article pages: a published citizen
				    article; search pages: 0 */
	const char *query;       /* search pages: the search text as typed
				    (masked here as the search log masks
				    it); article pages: NULL */
	const char *comment;     /* NULL or blank: none */
	int64_t municipality_id; /* the site's municipality, 0: none */
	const char *visit;       /* the hh_visit cookie; NULL (or not a
				    visit id): unknown */
	/* the articles' vocabulary for masking the search text as the log
	   does (reading.h hh_reading_known with the index); may be NULL */
	hh_searchlog_known_fn known;
	void *known_ctx;
};

/* A stored answer. Strings live in the arena passed. */
struct hh_feedback {
	struct hh_feedback_row row;
	const char *kle;      /* the article's KLE number, or NULL */
	int already_recorded; /* 1: the visit had answered this page today;
				 row is that first answer, nothing written */
};

/* Checks and stores an answer with its event in one write transaction.
 * INVALID with *field naming the input ("found", "page", "article_id",
 * "query", "comment", "municipality_id") when it breaks a rule; an
 * article that is not a published citizen article is INVALID
 * "article_id" too. field may be NULL. */
enum hh_rc hh_feedback_add(struct hh_store *st, struct hh_arena *a,
			   const struct hh_feedback_in *in,
			   struct hh_feedback *out, const char **field);

/* comment with personal data replaced by "[fjernet]", in the arena: a
 * CPR number (6 digits, an optional hyphen, 4 digits), a word holding an
 * e-mail address (an @ with a letter or digit before it and a dot after
 * it; punctuation around the word is kept) and a Danish phone number (8 digits, alone or as 4+4 or 2+2+2+2, with
 * spaces, hyphens or dots between, or +45 / 0045 before), also when
 * letters touch it ("cpr0102031234"). Other runs of digits (amounts,
 * years, postcodes) stay. Scrubbing the result again changes nothing
 * (tests/fuzz/fuzz_feedback.c). */
const char *hh_feedback_scrub(struct hh_arena *a, const char *comment);

/* The answers of the last `days` days for the editors' report: the same
 * readers and the same scope as the search report (domain/reports.h:
 * editors, managers and admins; their organisation's answers and, for a
 * municipality, those given without one). cb gets per article the yes and
 * no counts (article_id 0: the search pages), most answered first, at
 * most limit, each with up to `comments` of its latest comments
 * (newest first). FORBIDDEN before anything is read. Strings live in a. */
struct hh_feedback_report_row {
	struct hh_feedback_stat stat;
	int n_comments;
	const struct hh_feedback_row *comments; /* newest first */
};
typedef enum hh_rc (*hh_feedback_report_cb)(
	void *ctx, const struct hh_feedback_report_row *row);
enum hh_rc hh_feedback_report(struct hh_store *st, const struct hh_actor *who,
			      struct hh_arena *a, int days, int limit,
			      int comments, hh_feedback_report_cb cb,
			      void *ctx);

#endif
