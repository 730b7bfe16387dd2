/* xapian_eval.h - Xapian as a peer in the retrieval evaluation (eval.c),
 * set up as bench/xapian_bench.cc sets it up for the latency benchmark:
 * the Danish Snowball stemmer (STEM_SOME), title, keywords, summary and
 * body with wdf increments 8, 6, 3, 2 (helhed's field weights 4, 3, 1.5,
 * 1 in whole numbers), the query parsed with the Danish stemmer, default
 * operator OR, BM25 (Xapian's default weighting).
 *
 * A plain C interface, so that eval.c stays C; the implementation is
 * xapian_eval.cc. */
#ifndef HH_BENCH_XAPIAN_EVAL_H
#define HH_BENCH_XAPIAN_EVAL_H

#ifdef __cplusplus
extern "C" {
#endif

struct xeval;

/* A new, empty database in a fresh folder under /dev/shm (or /tmp);
 * returns new, or NULL after reporting on stderr. */
struct xeval *xeval_new(void);
/* Frees x and removes its folder. NULL is fine. */
void xeval_free(struct xeval *x);
/* Adds a document; key is copied. body is Markdown (link targets are
 * dropped, as for the latency benchmark). Returns 0, or -1 after
 * reporting. */
int xeval_add(struct xeval *x, const char *key, const char *title,
	      const char *keywords, const char *summary, const char *body);
/* Commits the documents; searches see them from now on. */
int xeval_ready(struct xeval *x);
/* The top max keys for text, best first (borrowed from x); returns how
 * many, or -1 after reporting. Ties go to the earlier document. */
int xeval_search(struct xeval *x, const char *text, const char **keys,
		 int max);
/* Xapian's version (static). */
const char *xeval_version(void);

#ifdef __cplusplus
}
#endif

#endif
