/* reading.c - searching, suggesting and opening articles for a reader. */
#include "domain/reading.h"

#include "domain/articles.h"
#include "domain/searchtune.h" /* s-edit: pinned queries */
#include "domain/searchlog.h"
#include "domain/views.h"

/* The articles' vocabulary, for the search log to tell names apart. */
static int known_word(void *ix, const char *word, size_t len)
{
	return hh_index_knows(ix, word, len);
}

int64_t hh_reading_search(struct hh_index *ix, const struct hh_actor *who,
			  struct hh_search_query *q, struct hh_arena *a,
			  struct hh_search_result *res)
{
	return hh_reading_search_visit(ix, who, q, NULL, a, res);
}

int64_t hh_reading_search_visit(struct hh_index *ix,
				const struct hh_actor *who,
				struct hh_search_query *q, const char *visit,
				struct hh_arena *a,
				struct hh_search_result *res)
{
	q->staff = hh_article_reads_staff(who);
	hh_search_tuning_prepare(q, a); /* s-tune: an editor's pin first */
	hh_index_search(ix, q, a, res);
	hh_search_tuning_apply(q, res);
	return hh_searchlog_add_strength(q->text, q->municipality_id,
					 res->total, (int)res->strength, visit,
					 known_word, ix);
}

void hh_reading_search_again(struct hh_index *ix, const struct hh_actor *who,
			     struct hh_search_query *q, struct hh_arena *a,
			     struct hh_search_result *res)
{
	q->staff = hh_article_reads_staff(who);
	hh_search_tuning_prepare(q, a); /* s-tune: an editor's pin first */
	hh_index_search(ix, q, a, res);
	hh_search_tuning_apply(q, res);
}

int hh_reading_known(void *ix, const char *word, size_t len)
{
	return ix ? known_word(ix, word, len) : 0;
}

void hh_reading_suggest(struct hh_index *ix, const struct hh_actor *who,
			struct hh_search_query *q, struct hh_arena *a,
			struct hh_suggestion *out)
{
	q->staff = hh_article_reads_staff(who);
	hh_index_suggest(ix, q, a, out);
}

void hh_reading_opened_doc(enum hh_doc_kind kind, int64_t doc_id,
			   int64_t search_id)
{
	if (search_id <= 0 || kind == HH_DOC_ARTICLE)
		return; /* an article: hh_reading_opened (views, ranking) */
	hh_searchlog_choose_doc(search_id, (int)kind, doc_id);
}

void hh_reading_opened(struct hh_index *ix, int64_t article_id,
		       int64_t search_id)
{
	hh_views_add(article_id); /* popularity for the front page */
	if (search_id <= 0)
		return;
	/* chosen from a search result: for the report and the ranking */
	hh_searchlog_choose(search_id, article_id);
	if (ix)
		hh_index_chosen(ix, article_id, 1);
}
