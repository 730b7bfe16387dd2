/* search_common.h - what the search benchmarks share: the corpus read with
 * hh_article_parse, the query set, the latency loop, memory figures and
 * the result lines that bench/search.sh turns into tables.
 *
 * Used by search_bench.c (helhed, SQLite FTS5) and xapian_bench.cc
 * (Xapian), so that every engine is measured by the same code. This header
 * is plain C that C++ also compiles; the src/ headers are C only, so the
 * articles reach C++ as struct bench_doc. */
#ifndef HH_BENCH_SEARCH_COMMON_H
#define HH_BENCH_SEARCH_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The latency loop: one warm-up pass over the queries, then whole passes
 * until at least BENCH_MIN_ROUNDS and BENCH_MIN_SECONDS (at most
 * BENCH_MAX_ROUNDS). Each query is timed alone, in CPU time (bench_cpu). */
#define BENCH_MIN_ROUNDS 3
#define BENCH_MAX_ROUNDS 100
#define BENCH_MIN_SECONDS 1.5

struct hh_arena;
struct hh_article;

/* One parsed article, for the peers; strings borrowed from the corpus. */
struct bench_doc {
	int64_t id; /* 1..n */
	const char *slug, *title, *keywords, *summary, *body_md;
};

struct bench_corpus {
	struct bench_doc *docs;   /* in file name order */
	struct hh_article *arts;  /* the same, as parsed (ids 1..n) */
	size_t n;
	struct hh_arena *arena;   /* the strings of both */
};

struct bench_queries {
	char **q;
	size_t n;
};

struct bench_latency {
	double p50_us, p99_us, mean_us;
	double hit_pct;      /* queries with at least one result */
	size_t samples;
	const char *slowest; /* the query with the highest median, borrowed */
	double slowest_us;
};

/* Seconds of wall-clock time. */
double bench_wall(void);
/* Seconds of CPU time of the calling thread. Every engine here is
 * single-threaded, so on an idle machine this is its wall-clock time;
 * on a busy one (a fuzzer on the other core, a build) it leaves out the
 * time spent waiting for a core, so the figures stay comparable. */
double bench_cpu(void);
/* The median of v[0..n) (sorted in place). */
double bench_median(double *v, size_t n);
/* Resident set size of this process, in bytes. */
size_t bench_rss(void);

/* Reads every DIR/articles/NAME.md (the flat folder gen_corpus writes) in
 * name order with hh_article_parse. Returns 0, or -1 after reporting on
 * stderr. Free with bench_corpus_clear. */
int bench_corpus_load(struct bench_corpus *c, const char *dir);
void bench_corpus_clear(struct bench_corpus *c);

/* The body for the peers: Markdown with link targets dropped, as helhed's
 * index does (its other Markdown marks are punctuation to every
 * tokeniser). Returns new; the caller frees with free(). */
char *bench_body_text(const char *md);

/* Reads the query set: one query a line, '#' lines and empty lines
 * skipped. Returns 0, or -1 after reporting on stderr. */
int bench_queries_load(struct bench_queries *qs, const char *path);
void bench_queries_clear(struct bench_queries *qs);
/* Search-as-you-type: what the box holds while each query is typed, every
 * third character from the second on (never inside a UTF-8 sequence), and
 * the whole query. */
void bench_queries_typed(const struct bench_queries *qs,
			 struct bench_queries *out);

/* Runs one query and returns the number of results fetched (at most 10). */
typedef int (*bench_query_fn)(void *ctx, const char *query);

/* Times every query of qs with run(ctx, query), one at a time. */
void bench_latency_run(const struct bench_queries *qs, bench_query_fn run,
		       void *ctx, struct bench_latency *out);

/* Prints the result line bench/search.sh reads, tab-separated:
 *   RESULT engine docs build_s index_bytes rss_bytes p50_us p99_us hit_pct
 * then a NOTE line with the slowest query and the build's wall-clock time.
 * build_s is CPU time; build_s < 0 prints "-" for the build and memory
 * figures (a second line of one engine). */
void bench_report(const char *engine, size_t docs, double build_s,
		  double build_wall_s, size_t index_bytes, size_t rss_bytes,
		  const struct bench_latency *l);

#ifdef __cplusplus
}
#endif

#endif
