/* search_bench.c - index build time, index memory and query latency of
 * helhed's search index and of SQLite FTS5, on a generated corpus.
 *
 * One engine per process, so that the resident-memory growth of a build is
 * that engine's alone; bench/search.sh runs it once per engine and corpus
 * and prints the figures side by side with Xapian's (xapian_bench.cc).
 * Everything is single-threaded; times are the thread's CPU time (see
 * bench_cpu in search_common.h).
 *
 *   helhed  hh_index_put of every parsed article into a new index and the
 *           final recompute of norms (hh_index_settle); then the
 *           query set with no_snippets=1, and again with snippets (the API
 *           returns them); then search-as-you-type (hh_index_suggest) on
 *           every third prefix of each query (bench_queries_typed).
 *           Memory: hh_index_stats bytes, RSS growth.
 *   fts5    an in-memory SQLite database, one FTS5 table (title, keywords,
 *           summary, body; unicode61 remove_diacritics 2) filled in one
 *           transaction; queries are the words quoted and OR-ed, ranked by
 *           bm25() with helhed's field weights 4, 3, 1.5, 1, LIMIT 10;
 *           for the typed prefixes the last word is a prefix ("w"*).
 *           Memory: page_count * page_size, RSS growth.
 *
 * Usage: search_bench helhed CORPUS_DIR QUERIES DICT SYNONYMS
 *        search_bench fts5 CORPUS_DIR QUERIES
 * Prints RESULT and NOTE lines (see bench_report in search_common.h). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/util.h"
#include "search/index.h"
#include "search/synonyms.h"
#include "search_common.h"

/* ---- helhed ----------------------------------------------------------- */

struct helhed_ctx {
	struct hh_index *idx;
	int no_snippets;
	int suggest; /* hh_index_suggest instead of hh_index_search */
};

/* One search (or suggestion); returns the hits (or titles) fetched. */
static int helhed_query(void *p, const char *text)
{
	struct helhed_ctx *c = p;
	/* an arena per search, as the HTTP handler has one per request */
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_search_query q;
	memset(&q, 0, sizeof(q));
	q.text = text;
	int n;
	if (c->suggest) {
		struct hh_suggestion s;
		hh_index_suggest(c->idx, &q, &a, &s);
		n = s.n_titles;
	} else {
		q.limit = 10;
		q.no_snippets = c->no_snippets;
		struct hh_search_result res;
		hh_index_search(c->idx, &q, &a, &res);
		n = res.n_hits;
	}
	hh_arena_clear(&a);
	return n;
}

static int run_helhed(const struct bench_corpus *corpus,
		      const struct bench_queries *qs, const char *dict,
		      const char *synonyms)
{
	double t0 = bench_wall();
	struct hh_analyzer an;
	struct hh_synonyms syn;
	if (hh_analyzer_init(&an, dict) < 0)
		fprintf(stderr, "search_bench: no word list at %s: compounds "
				"are not split\n", dict);
	if (hh_synonyms_load(&syn, &an, synonyms, stderr) < 0)
		fprintf(stderr, "search_bench: no synonyms at %s\n", synonyms);
	double setup_s = bench_wall() - t0;

	size_t rss0 = bench_rss();
	t0 = bench_cpu();
	double w0 = bench_wall();
	struct hh_index *idx = hh_index_new(&an, &syn);
	for (size_t i = 0; i < corpus->n; i++)
		hh_index_put(idx, &corpus->arts[i], 0);
	hh_index_settle(idx); /* the norms' final recompute counts too */
	double build_s = bench_cpu() - t0, build_wall_s = bench_wall() - w0;
	size_t rss1 = bench_rss();
	struct hh_index_stats st;
	hh_index_stats(idx, &st);

	struct helhed_ctx c = { idx, 1, 0 };
	struct bench_latency lat;
	bench_latency_run(qs, helhed_query, &c, &lat);
	bench_report("helhed", corpus->n, build_s, build_wall_s, st.bytes,
		     rss1 > rss0 ? rss1 - rss0 : 0, &lat);
	c.no_snippets = 0;
	bench_latency_run(qs, helhed_query, &c, &lat);
	bench_report("helhed+snippets", corpus->n, -1, -1, 0, 0, &lat);
	struct bench_queries typed;
	bench_queries_typed(qs, &typed);
	c.suggest = 1;
	bench_latency_run(&typed, helhed_query, &c, &lat);
	bench_report("helhed-suggest", corpus->n, -1, -1, 0, 0, &lat);
	bench_queries_clear(&typed);
	printf("NOTE\thelhed: %zu terms, %zu postings, %zu positions; word "
	       "list and synonyms loaded in %.0f ms before the build (not "
	       "counted)\n",
	       st.terms, st.postings, st.positions, setup_s * 1000);
	printf("NOTE\thelhed index MB: scoring arrays %.1f, posting records "
	       "%.1f, stored text %.1f, documents %.1f, vocabulary %.1f\n",
	       st.bytes_hot / 1048576.0, st.bytes_cold / 1048576.0,
	       st.bytes_text / 1048576.0, st.bytes_docs / 1048576.0,
	       st.bytes_vocab / 1048576.0);

	hh_index_free(idx);
	hh_synonyms_clear(&syn);
	hh_analyzer_clear(&an);
	return 0;
}

/* ---- SQLite FTS5 ------------------------------------------------------ */

struct fts5_ctx {
	sqlite3_stmt *search;
	struct hh_buf match;
	int prefix_last; /* search-as-you-type: the last word is a prefix */
};

static int is_word_byte(unsigned char ch)
{
	return ch >= 0x80 || (ch >= '0' && ch <= '9') ||
	       (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

/* The query's words, each quoted (so that no word is read as an FTS5
 * operator), joined with OR. */
static void fts5_match(struct hh_buf *out, const char *text)
{
	hh_buf_reset(out);
	const unsigned char *p = (const unsigned char *)text;
	while (*p) {
		if (!is_word_byte(*p)) {
			p++;
			continue;
		}
		const unsigned char *w = p;
		while (*p && is_word_byte(*p))
			p++;
		if (out->len)
			hh_buf_puts(out, " OR ");
		hh_buf_putc(out, '"');
		hh_buf_append(out, w, (size_t)(p - w));
		hh_buf_putc(out, '"');
	}
}

static int fts5_query(void *p, const char *text)
{
	struct fts5_ctx *c = p;
	fts5_match(&c->match, text);
	if (c->prefix_last && c->match.len &&
	    is_word_byte((unsigned char)text[strlen(text) - 1]))
		hh_buf_putc(&c->match, '*'); /* "word"* : a prefix query */
	if (!c->match.len)
		return 0;
	sqlite3_bind_text(c->search, 1, c->match.data, (int)c->match.len,
			  SQLITE_STATIC);
	int n = 0, rc;
	while ((rc = sqlite3_step(c->search)) == SQLITE_ROW) {
		/* fetch what a result list shows, as the other engines do */
		if (sqlite3_column_text(c->search, 1))
			n++;
	}
	if (rc != SQLITE_DONE)
		fprintf(stderr, "fts5: \"%s\": %s\n", c->match.data,
			sqlite3_errmsg(sqlite3_db_handle(c->search)));
	sqlite3_reset(c->search);
	return n;
}

static int exec_or_report(sqlite3 *db, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "fts5: %s: %s\n", sql, err ? err : "?");
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

static sqlite3_int64 pragma_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	sqlite3_int64 v = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int run_fts5(const struct bench_corpus *corpus,
		    const struct bench_queries *qs)
{
	/* the peers get the body as helhed indexes it: without link targets */
	char **bodies = hh_xcalloc(corpus->n + 1, sizeof(*bodies));
	for (size_t i = 0; i < corpus->n; i++)
		bodies[i] = bench_body_text(corpus->docs[i].body_md);
	int rcode = 1;
	sqlite3 *db = NULL;
	sqlite3_stmt *ins = NULL;
	struct fts5_ctx c = { NULL, { NULL, 0, 0 }, 0 };

	size_t rss0 = bench_rss();
	double t0 = bench_cpu(), w0 = bench_wall();
	if (sqlite3_open(":memory:", &db) != SQLITE_OK)
		goto fail;
	if (exec_or_report(db, "CREATE VIRTUAL TABLE a USING fts5(title, "
			       "keywords, summary, body, tokenize = "
			       "'unicode61 remove_diacritics 2')") ||
	    exec_or_report(db, "BEGIN"))
		goto fail;
	if (sqlite3_prepare_v2(db, "INSERT INTO a(rowid, title, keywords, "
				   "summary, body) VALUES (?1, ?2, ?3, ?4, ?5)",
			       -1, &ins, NULL) != SQLITE_OK)
		goto fail;
	for (size_t i = 0; i < corpus->n; i++) {
		const struct bench_doc *a = &corpus->docs[i];
		sqlite3_bind_int64(ins, 1, a->id);
		sqlite3_bind_text(ins, 2, a->title, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, a->keywords, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 4, a->summary, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 5, bodies[i], -1, SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE)
			goto fail;
		sqlite3_reset(ins);
	}
	if (exec_or_report(db, "COMMIT"))
		goto fail;
	double build_s = bench_cpu() - t0, build_wall_s = bench_wall() - w0;
	size_t rss1 = bench_rss();
	size_t bytes = (size_t)(pragma_int(db, "PRAGMA page_count") *
				pragma_int(db, "PRAGMA page_size"));

	if (sqlite3_prepare_v2(db, "SELECT rowid, title FROM a "
				   "WHERE a MATCH ?1 ORDER BY "
				   "bm25(a, 4.0, 3.0, 1.5, 1.0) LIMIT 10",
			       -1, &c.search, NULL) != SQLITE_OK)
		goto fail;
	hh_buf_init(&c.match);
	struct bench_latency lat;
	bench_latency_run(qs, fts5_query, &c, &lat);
	bench_report("fts5", corpus->n, build_s, build_wall_s, bytes,
		     rss1 > rss0 ? rss1 - rss0 : 0, &lat);
	/* search-as-you-type, the same statement with "last"* (FTS5 has no
	 * completion of its own) */
	struct bench_queries typed;
	bench_queries_typed(qs, &typed);
	c.prefix_last = 1;
	bench_latency_run(&typed, fts5_query, &c, &lat);
	bench_report("fts5-suggest", corpus->n, -1, -1, 0, 0, &lat);
	bench_queries_clear(&typed);
	printf("NOTE\tfts5: SQLite %s, in-memory database of %lld pages of "
	       "%lld bytes\n",
	       sqlite3_libversion(),
	       (long long)pragma_int(db, "PRAGMA page_count"),
	       (long long)pragma_int(db, "PRAGMA page_size"));
	rcode = 0;
fail:
	if (rcode)
		fprintf(stderr, "fts5: %s\n",
			db ? sqlite3_errmsg(db) : "no memory");
	hh_buf_clear(&c.match);
	sqlite3_finalize(c.search);
	sqlite3_finalize(ins);
	sqlite3_close(db);
	for (size_t i = 0; i < corpus->n; i++)
		free(bodies[i]);
	free(bodies);
	return rcode;
}

int main(int argc, char **argv)
{
	int helhed = argc == 6 && !strcmp(argv[1], "helhed");
	int fts5 = argc == 4 && !strcmp(argv[1], "fts5");
	if (!helhed && !fts5) {
		fprintf(stderr,
			"usage: search_bench helhed CORPUS_DIR QUERIES DICT "
			"SYNONYMS\n"
			"       search_bench fts5 CORPUS_DIR QUERIES\n");
		return 2;
	}
	struct bench_corpus corpus;
	struct bench_queries qs;
	if (bench_corpus_load(&corpus, argv[2]) ||
	    bench_queries_load(&qs, argv[3]))
		return 1;
	int rc = helhed ? run_helhed(&corpus, &qs, argv[4], argv[5])
			: run_fts5(&corpus, &qs);
	bench_queries_clear(&qs);
	bench_corpus_clear(&corpus);
	return rc;
}
