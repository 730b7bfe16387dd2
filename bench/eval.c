/* eval.c - retrieval quality of helhed's search beside SQLite FTS5, on the
 * same documents and queries, measured in the same run.
 *
 * Two sets:
 *
 *  - helhed's own queries (tests/eval/queries.tsv: kind, query, relevant
 *    slugs, the first graded 2 and the rest 1) over the content folder,
 *    imported into a fresh temporary SQLite store. The engine is set up as
 *    `helhed serve` sets it up (analyser with the word list, synonyms from
 *    CONTENT_DIR/synonyms.txt, index built from the store) and searched as
 *    an anonymous citizen without a municipality.
 *  - DanFEVER (DANFEVER_DIR: corpus.jsonl, queries.tsv, qrels.tsv): Danish
 *    Wikipedia passages and claims, text nobody here wrote. Passages go
 *    straight into a fresh index as articles with an empty title and
 *    summary; the word list is used, the synonyms are not (they are for
 *    the citizen content).
 *
 * The peer is an in-memory FTS5 table over the same text (title, keywords,
 * summary, body as Markdown) with the unicode61 tokenizer, ranked by bm25()
 * with helhed's field weights, and queried with the query's distinct tokens
 * (as unicode61 cuts them) each quoted and joined with OR: an AND query
 * finds nothing for most natural-language questions. It sees only what an
 * anonymous citizen may see in helhed: published citizen articles that are
 * shared or owned by an agency.
 *
 * Metrics over the top 10 (a relevant document counts once, where it first
 * appears): nDCG@10 with gain = grade, log2 discount and the ideal ranking
 * of the judged grades; success@1 and @3 (a relevant document among the
 * first 1 or 3); MRR@10; and for DanFEVER recall@10.
 *
 * Everything is deterministic: both engines break score ties by document
 * order, which follows the store's order (shared first, then by owner and
 * slug) or the corpus file.
 *
 * Usage: eval CONTENT_DIR QUERIES_TSV DANFEVER_DIR
 * The word list is HELHED_DICT or /usr/share/dict/danish, as for serve. */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/util.h"
#include "domain/content.h"
#include "domain/searchfeed.h"
#include "search/index.h"
#include "search/synonyms.h"
#include "store/store.h"
#include "text/analyze.h"
#include "xapian_eval.h"

#define TOP 10
#define WORST 15

/* helhed's field weights (src/search/rank.c, field_weight), given to
 * FTS5's bm25() so both weigh the fields alike. */
#define FTS_RANK "bm25(doc, 4.0, 3.0, 1.5, 1.0)"
#define FTS_TOKENIZE "tokenize='unicode61 remove_diacritics 2'"

/* ---- small helpers --------------------------------------------------- */

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct hh_buf b;
	hh_buf_init(&b);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		hh_buf_append(&b, chunk, n);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		hh_buf_clear(&b);
		return NULL;
	}
	return hh_buf_steal(&b);
}

/* Cuts the next line off *p (in place, without its \r\n) or returns NULL
 * at the end. */
static char *next_line(char **p)
{
	if (!**p)
		return NULL;
	char *line = *p;
	char *nl = strchr(line, '\n');
	if (nl) {
		*nl = 0;
		*p = nl + 1;
	} else {
		*p = line + strlen(line);
	}
	size_t n = strlen(line);
	if (n && line[n - 1] == '\r')
		line[n - 1] = 0;
	return line;
}

/* Splits a TSV line in place into at most max fields; returns the count. */
static int split_tabs(char *line, char **f, int max)
{
	int n = 0;
	while (n < max) {
		f[n++] = line;
		char *t = strchr(line, '\t');
		if (!t)
			break;
		*t = 0;
		line = t + 1;
	}
	return n;
}

static char *trim(char *s)
{
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	while (n && s[n - 1] == ' ')
		s[--n] = 0;
	return s;
}

/* A sorted string → index map (built once, searched with bsearch). */
struct key_index {
	const char *key;
	int i;
};

static int cmp_key_index(const void *x, const void *y)
{
	return strcmp(((const struct key_index *)x)->key,
		      ((const struct key_index *)y)->key);
}

static int key_find(const struct key_index *map, int n, const char *key)
{
	struct key_index k = { key, 0 };
	const struct key_index *r = bsearch(&k, map, (size_t)n, sizeof(*map),
					    cmp_key_index);
	return r ? r->i : -1;
}

/* ---- metrics --------------------------------------------------------- */

struct judgement {
	const char *key; /* slug or passage id */
	int grade;       /* 1 or 2 */
};

struct metrics {
	double ndcg, s1, s3, mrr, recall;
	int n;
};

/* The figures of one ranked list (keys, best first, at most TOP) against
 * the judgements; also the 1-based rank of the first relevant key, or 0. */
static void judge(const char *const *ranked, int n_ranked,
		  const struct judgement *j, int n_j, struct metrics *one,
		  int *first_rel)
{
	memset(one, 0, sizeof(*one));
	one->n = 1;
	*first_rel = 0;
	double dcg = 0;
	int found = 0;
	for (int r = 0; r < n_ranked && r < TOP; r++) {
		int dup = 0;
		for (int e = 0; e < r && !dup; e++)
			dup = !strcmp(ranked[e], ranked[r]);
		if (dup)
			continue;
		int grade = 0;
		for (int k = 0; k < n_j; k++)
			if (!strcmp(j[k].key, ranked[r]))
				grade = j[k].grade;
		if (!grade)
			continue;
		dcg += grade / log2(r + 2.0);
		found++;
		if (!*first_rel)
			*first_rel = r + 1;
	}
	/* the ideal: the judged grades, highest first */
	int grades[64], n_g = 0;
	for (int k = 0; k < n_j && n_g < 64; k++)
		grades[n_g++] = j[k].grade;
	for (int a = 1; a < n_g; a++)
		for (int b = a; b > 0 && grades[b] > grades[b - 1]; b--) {
			int t = grades[b];
			grades[b] = grades[b - 1];
			grades[b - 1] = t;
		}
	double ideal = 0;
	for (int r = 0; r < n_g && r < TOP; r++)
		ideal += grades[r] / log2(r + 2.0);
	one->ndcg = ideal > 0 ? dcg / ideal : 0;
	one->s1 = *first_rel == 1;
	one->s3 = *first_rel && *first_rel <= 3;
	one->mrr = *first_rel ? 1.0 / *first_rel : 0;
	one->recall = n_j ? (double)found / n_j : 0;
}

static void metrics_add(struct metrics *sum, const struct metrics *one)
{
	sum->ndcg += one->ndcg;
	sum->s1 += one->s1;
	sum->s3 += one->s3;
	sum->mrr += one->mrr;
	sum->recall += one->recall;
	sum->n += one->n;
}

static double avg(double sum, int n)
{
	return n ? sum / n : 0;
}

/* ---- helhed ---------------------------------------------------------- */

/* s-self: the query kind judged over every kind of document: forms and
 * guides are keyed by their address without the leading slash
 * ("blanket/skilsmisse", "livssituation/doedsfald"), articles by slug.
 * The peer holds articles only, so there it can find only those. */
#define KIND_SELF_SERVICE "selvbetjening"

/* Runs text through the index as an anonymous citizen without a
 * municipality; keys get the slugs (borrowed from a), returns how many.
 * Articles only, as the peers hold (the index also holds guides and
 * forms), unless all_kinds. */
static int helhed_search(struct hh_index *idx, const char *text,
			 int all_kinds, struct hh_arena *a,
			 const char *keys[TOP],
			 enum hh_search_strength *strength)
{
	struct hh_search_query q = { .text = text, .limit = TOP,
				     .no_snippets = 1,
				     .kinds = all_kinds ? 0
							: HH_KIND_BIT(HH_DOC_ARTICLE) };
	struct hh_search_result res;
	hh_index_search(idx, &q, a, &res);
	for (int i = 0; i < res.n_hits; i++)
		keys[i] = res.hits[i].kind == HH_DOC_ARTICLE
				  ? res.hits[i].slug
				  : hh_arena_printf(a, "%s%s",
						    hh_doc_kind_path(res.hits[i].kind) + 1,
						    res.hits[i].slug);
	if (strength)
		*strength = res.strength;
	return res.n_hits;
}

/* ---- the FTS5 peer --------------------------------------------------- */

struct fts {
	sqlite3 *db;
	sqlite3_stmt *ins, *search, *tok_ins, *tok_get, *tok_del;
	char **keys; /* rowid - 1 → key */
	int n, cap;
	struct hh_buf match;
};

static int fts_fail(struct fts *f, const char *what)
{
	fprintf(stderr, "eval: FTS5 %s: %s\n", what, sqlite3_errmsg(f->db));
	return -1;
}

static int fts_open(struct fts *f)
{
	memset(f, 0, sizeof(*f));
	hh_buf_init(&f->match);
	if (sqlite3_open(":memory:", &f->db) != SQLITE_OK)
		return fts_fail(f, "open");
	/* qtok cuts query text into tokens exactly as doc cuts documents;
	 * qtok_v lists them. */
	const char *schema =
		"CREATE VIRTUAL TABLE doc USING fts5(title, keywords, summary, "
		"body, " FTS_TOKENIZE ");"
		"CREATE VIRTUAL TABLE qtok USING fts5(x, " FTS_TOKENIZE ");"
		"CREATE VIRTUAL TABLE qtok_v USING fts5vocab(qtok, instance);";
	if (sqlite3_exec(f->db, schema, NULL, NULL, NULL) != SQLITE_OK)
		return fts_fail(f, "schema");
	if (sqlite3_prepare_v2(f->db,
			       "INSERT INTO doc(rowid, title, keywords, summary, "
			       "body) VALUES (?1, ?2, ?3, ?4, ?5)",
			       -1, &f->ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(f->db,
			       "SELECT rowid FROM doc WHERE doc MATCH ?1 "
			       "ORDER BY " FTS_RANK ", rowid LIMIT 10",
			       -1, &f->search, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(f->db,
			       "INSERT INTO qtok(rowid, x) VALUES (1, ?1)", -1,
			       &f->tok_ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(f->db,
			       "SELECT term FROM qtok_v GROUP BY term "
			       "ORDER BY min(\"offset\")",
			       -1, &f->tok_get, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(f->db, "DELETE FROM qtok", -1, &f->tok_del,
			       NULL) != SQLITE_OK)
		return fts_fail(f, "prepare");
	return sqlite3_exec(f->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK
		       ? 0
		       : fts_fail(f, "begin");
}

static void fts_close(struct fts *f)
{
	sqlite3_finalize(f->ins);
	sqlite3_finalize(f->search);
	sqlite3_finalize(f->tok_ins);
	sqlite3_finalize(f->tok_get);
	sqlite3_finalize(f->tok_del);
	sqlite3_close(f->db);
	for (int i = 0; i < f->n; i++)
		free(f->keys[i]);
	free(f->keys);
	hh_buf_clear(&f->match);
}

static int fts_add(struct fts *f, const char *key, const char *title,
		   const char *keywords, const char *summary, const char *body)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 256;
		f->keys = hh_xrealloc(f->keys, (size_t)f->cap * sizeof(char *));
	}
	f->keys[f->n] = hh_xstrdup(key);
	f->n++;
	sqlite3_bind_int64(f->ins, 1, f->n);
	const char *col[4] = { title, keywords, summary, body };
	for (int c = 0; c < 4; c++)
		sqlite3_bind_text(f->ins, c + 2, col[c] ? col[c] : "", -1,
				  SQLITE_STATIC);
	int rc = sqlite3_step(f->ins);
	sqlite3_reset(f->ins);
	return rc == SQLITE_DONE ? 0 : fts_fail(f, "insert");
}

/* Ends the loading transaction and merges the index segments. */
static int fts_ready(struct fts *f)
{
	if (sqlite3_exec(f->db, "COMMIT; INSERT INTO doc(doc) VALUES "
				"('optimize')", NULL, NULL, NULL) != SQLITE_OK)
		return fts_fail(f, "commit");
	return 0;
}

/* Builds the MATCH expression "t1" OR "t2" ... from text's distinct
 * tokens into f->match; returns the token count, or -1 on an error. */
static int fts_query(struct fts *f, const char *text)
{
	hh_buf_reset(&f->match);
	sqlite3_bind_text(f->tok_ins, 1, text, -1, SQLITE_STATIC);
	int rc = sqlite3_step(f->tok_ins);
	sqlite3_reset(f->tok_ins);
	if (rc != SQLITE_DONE)
		return fts_fail(f, "tokenize");
	int n = 0;
	while ((rc = sqlite3_step(f->tok_get)) == SQLITE_ROW) {
		/* unicode61 never keeps '"' in a token, so quoting is safe */
		hh_buf_printf(&f->match, "%s\"%s\"", n ? " OR " : "",
			      (const char *)sqlite3_column_text(f->tok_get, 0));
		n++;
	}
	sqlite3_reset(f->tok_get);
	if (rc != SQLITE_DONE)
		return fts_fail(f, "tokens");
	rc = sqlite3_step(f->tok_del);
	sqlite3_reset(f->tok_del);
	return rc == SQLITE_DONE ? n : fts_fail(f, "tokenize");
}

/* Searches text; keys get borrowed keys, returns how many (-1: error). */
static int fts_search(struct fts *f, const char *text, const char *keys[TOP])
{
	int n_tokens = fts_query(f, text);
	if (n_tokens <= 0)
		return n_tokens; /* no words: no results */
	sqlite3_bind_text(f->search, 1, hh_buf_str(&f->match), -1,
			  SQLITE_STATIC);
	int n = 0, rc;
	while ((rc = sqlite3_step(f->search)) == SQLITE_ROW && n < TOP) {
		sqlite3_int64 row = sqlite3_column_int64(f->search, 0);
		keys[n++] = f->keys[row - 1];
	}
	sqlite3_reset(f->search);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fts_fail(f, "search");
	return n;
}

/* ---- the citizen content --------------------------------------------- */

/* What an anonymous citizen without a municipality may find in helhed. */
struct visible {
	struct hh_arena *a;
	int64_t agencies[64];
	int n_agencies;
	const struct hh_article **arts;
	int n, cap;
};

static enum hh_rc visible_org(void *p, const struct hh_org *o)
{
	struct visible *v = p;
	if (o->kind == HH_ORG_AGENCY && v->n_agencies < 64)
		v->agencies[v->n_agencies++] = o->id;
	return HH_OK;
}

static enum hh_rc visible_article(void *p, const struct hh_article *a)
{
	struct visible *v = p;
	int ok = !a->org_id;
	for (int i = 0; i < v->n_agencies && !ok; i++)
		ok = a->org_id == v->agencies[i];
	if (!ok)
		return HH_OK; /* a municipality's own article */
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 256;
		v->arts = hh_xrealloc(v->arts, (size_t)v->cap * sizeof(*v->arts));
	}
	struct hh_article *c = hh_arena_alloc(v->a, sizeof(*c));
	*c = *a; /* its strings live in the arena already */
	v->arts[v->n++] = c;
	return HH_OK;
}

static enum hh_rc visible_tx(struct hh_tx *tx, void *p)
{
	struct visible *v = p;
	v->n = v->n_agencies = 0; /* the transaction may be run again */
	enum hh_rc rc = tx->store->org_list(tx, v->a, visible_org, v);
	if (rc != HH_OK)
		return rc;
	struct hh_article_filter f = { .audience = HH_AUDIENCE_CITIZEN,
				       .status = HH_STATUS_PUBLISHED };
	return tx->store->article_list(tx, v->a, &f, 0, 0, NULL,
				       visible_article, v);
}

struct own_query {
	const char *kind, *text;
	struct judgement *j;
	int n_j;
	const char **traps; /* "!slug": must not come first */
	int n_traps;
	int line;
	/* helhed's result, for the list of the worst */
	struct metrics hh;
	int hh_rank; /* rank of the grade-2 slug, 0: not in the top 10 */
	int hh_weak; /* helhed's strength was not strong */
	char *hh_first;
};

static int cmp_worst(const void *x, const void *y)
{
	const struct own_query *a = *(const struct own_query *const *)x;
	const struct own_query *b = *(const struct own_query *const *)y;
	if (a->hh.ndcg != b->hh.ndcg)
		return a->hh.ndcg < b->hh.ndcg ? -1 : 1;
	if (a->hh.mrr != b->hh.mrr)
		return a->hh.mrr < b->hh.mrr ? -1 : 1;
	return a->line - b->line;
}

/* Reads the queries file into qs (strings point into text). Returns the
 * count, or -1 after reporting a bad file. */
static int read_own_queries(const char *path, char *text,
			    struct own_query **out, int *skipped)
{
	char *p = text;
	char *line = next_line(&p);
	char *h[8];
	int nh = line ? split_tabs(line, h, 8) : 0;
	int ck = -1, cq = -1, cr = -1;
	for (int i = 0; i < nh; i++) {
		if (!strcmp(h[i], "kind"))
			ck = i;
		else if (!strcmp(h[i], "query"))
			cq = i;
		else if (!strcmp(h[i], "relevant"))
			cr = i;
	}
	if (ck < 0 || cq < 0 || cr < 0) {
		fprintf(stderr, "%s:1: the header must name the columns kind, "
				"query and relevant (tab-separated)\n", path);
		return -1;
	}
	int n = 0, cap = 0, lineno = 1;
	struct own_query *qs = NULL;
	*skipped = 0;
	while ((line = next_line(&p))) {
		lineno++;
		if (!*line || *line == '#')
			continue;
		char *f[8];
		int nf = split_tabs(line, f, 8);
		if (nf <= ck || nf <= cq || nf <= cr) {
			fprintf(stderr, "%s:%d: too few columns\n", path, lineno);
			return -1;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 128;
			qs = hh_xrealloc(qs, (size_t)cap * sizeof(*qs));
		}
		struct own_query *q = &qs[n];
		memset(q, 0, sizeof(*q));
		q->kind = trim(f[ck]);
		q->text = f[cq];
		q->line = lineno;
		int max = 1;
		for (const char *c = f[cr]; *c; c++)
			max += *c == ',';
		q->j = hh_xcalloc((size_t)max, sizeof(*q->j));
		q->traps = hh_xcalloc((size_t)max, sizeof(*q->traps));
		char *save = NULL;
		for (char *s = strtok_r(f[cr], ",", &save); s;
		     s = strtok_r(NULL, ",", &save)) {
			s = trim(s);
			if (*s == '!') { /* a trap */
				if (s[1])
					q->traps[q->n_traps++] = s + 1;
				continue;
			}
			int dup = !*s || !strcmp(s, "-");
			for (int k = 0; k < q->n_j && !dup; k++)
				dup = !strcmp(q->j[k].key, s);
			if (!dup) {
				q->j[q->n_j].key = s;
				q->j[q->n_j].grade = q->n_j ? 1 : 2;
				q->n_j++;
			}
		}
		if (!q->n_j && !q->n_traps && strcmp(q->kind, "weak")) {
			/* nothing to measure against */
			fprintf(stderr, "%s:%d: no relevant slug; skipped\n",
				path, lineno);
			free(q->j);
			free(q->traps);
			(*skipped)++;
			continue;
		}
		n++;
	}
	*out = qs;
	return n;
}

/* One row of the table: each figure as helhed / FTS5 / Xapian; weak is
 * the share of the queries helhed called weak or found nothing for. */
static void print_row(const char *label, const struct metrics *h,
		      const struct metrics *f, const struct metrics *x,
		      int weak)
{
	int n = h->n;
	if (!n)
		return;
	printf("%-10s %4d  %.3f %.3f %.3f   %.3f %.3f %.3f   %.3f %.3f %.3f"
	       "   %.3f %.3f %.3f   %.3f\n",
	       label, n, avg(h->ndcg, n), avg(f->ndcg, n), avg(x->ndcg, n),
	       avg(h->s1, n), avg(f->s1, n), avg(x->s1, n), avg(h->mrr, n),
	       avg(f->mrr, n), avg(x->mrr, n), avg(h->recall, n),
	       avg(f->recall, n), avg(x->recall, n), avg(weak, n));
}

static void print_header(void)
{
	printf("%-10s %4s  %-17s   %-17s   %-17s   %-17s   %s\n", "", "",
	       "nDCG@10", "rank-1 (S@1)", "MRR@10", "recall@10", "weak");
	printf("%-10s %4s  %-17s   %-17s   %-17s   %-17s   %s\n", "kind", "n",
	       "helhed fts5  xap", "helhed fts5  xap", "helhed fts5  xap",
	       "helhed fts5  xap", "helhed");
}

static int eval_own(const char *content, const char *queries_path,
		    const struct hh_analyzer *an, const char *dict, long words)
{
	int ret = 1;
	char dir[] = "/tmp/helhed-eval-XXXXXX";
	char db[sizeof(dir) + 16];
	int have_dir = mkdtemp(dir) != NULL;
	struct hh_store *st = NULL;
	struct hh_synonyms syn = { 0 };
	struct hh_index *idx = NULL;
	struct fts fts;
	struct xeval *xap = NULL;
	struct hh_arena a, qa;
	struct visible vis = { .a = &a };
	struct own_query *qs = NULL;
	int n_q = 0, skipped = 0;
	char *qtext = NULL;
	hh_arena_init(&a);
	hh_arena_init(&qa);
	memset(&fts, 0, sizeof(fts));
	if (!have_dir) {
		fprintf(stderr, "eval: mkdtemp: %s\n", strerror(errno));
		goto fail;
	}
	snprintf(db, sizeof(db), "%s/eval.db", dir);

	/* queries first: a bad file should fail before the slow part */
	qtext = slurp(queries_path);
	if (!qtext) {
		fprintf(stderr, "eval: cannot read %s: %s\n", queries_path,
			strerror(errno));
		goto fail;
	}
	n_q = read_own_queries(queries_path, qtext, &qs, &skipped);
	if (n_q < 0)
		goto fail;

	enum hh_rc rc = hh_store_open_sqlite(db, 1, &st);
	if (rc == HH_OK)
		rc = st->migrate(st->cls, NULL);
	if (rc != HH_OK) {
		fprintf(stderr, "eval: cannot create %s (%s)\n", db,
			hh_rc_name(rc));
		goto fail;
	}
	struct hh_import_stats stats;
	rc = hh_content_import(st, content, 0, stderr, NULL, NULL, &stats);
	if (rc != HH_OK && rc != HH_ERR_INVALID) {
		fprintf(stderr, "eval: cannot import %s (%s)\n", content,
			hh_rc_name(rc));
		goto fail;
	}

	/* the engine, as engine_start() in src/main.c sets it up */
	char syn_path[4096];
	snprintf(syn_path, sizeof(syn_path), "%s/synonyms.txt", content);
	long rules = hh_synonyms_load(&syn, an, syn_path, stderr);
	if (rules < 0)
		fprintf(stderr, "eval: warning: no synonyms at %s\n", syn_path);
	idx = hh_index_new(an, &syn);
	rc = hh_index_build(idx, st);
	if (rc == HH_OK)
		rc = hh_store_run_tx(st, 0, visible_tx, &vis);
	if (rc != HH_OK) {
		fprintf(stderr, "eval: cannot read the store (%s)\n",
			hh_rc_name(rc));
		goto fail;
	}

	if (fts_open(&fts) || !(xap = xeval_new()))
		goto fail;
	struct key_index *slugs = hh_xmalloc((size_t)(vis.n + 1) * sizeof(*slugs));
	for (int i = 0; i < vis.n; i++) {
		const struct hh_article *art = vis.arts[i];
		slugs[i] = (struct key_index){ art->slug, i };
		if (fts_add(&fts, art->slug, art->title, art->keywords,
			    art->summary, art->body_md) ||
		    xeval_add(xap, art->slug, art->title, art->keywords,
			      art->summary, art->body_md)) {
			free(slugs);
			goto fail;
		}
	}
	qsort(slugs, (size_t)vis.n, sizeof(*slugs), cmp_key_index);
	for (int i = 0; i < n_q; i++) {
		for (int k = 0; k < qs[i].n_j; k++)
			if (!strchr(qs[i].j[k].key, '/') && /* a form, a guide */
			    key_find(slugs, vis.n, qs[i].j[k].key) < 0)
				fprintf(stderr, "%s:%d: '%s' is not an article "
						"an anonymous citizen can see\n",
					queries_path, qs[i].line, qs[i].j[k].key);
		for (int k = 0; k < qs[i].n_traps; k++)
			if (key_find(slugs, vis.n, qs[i].traps[k]) < 0)
				fprintf(stderr, "%s:%d: trap '%s' is not an "
						"article an anonymous citizen "
						"can see\n",
					queries_path, qs[i].line, qs[i].traps[k]);
	}
	free(slugs);
	if (fts_ready(&fts) || xeval_ready(xap))
		goto fail;

	printf("== own queries: %s, %d queries over %d articles visible to "
	       "an anonymous citizen without a municipality (%d in all)\n",
	       queries_path, n_q, vis.n,
	       stats.articles_created + stats.articles_updated +
		       stats.articles_unchanged);
	printf("   helhed as served: word list %s (%ld words), %ld synonym "
	       "rules%s\n",
	       dict, words < 0 ? 0 : words, rules < 0 ? 0 : rules,
	       skipped ? "; queries without a relevant slug skipped" : "");

	/* kinds in the order they first appear */
	const char *kinds[64];
	int n_kinds = 0;
	for (int i = 0; i < n_q; i++) {
		int k;
		for (k = 0; k < n_kinds; k++)
			if (!strcmp(kinds[k], qs[i].kind))
				break;
		if (k == n_kinds && n_kinds < 64)
			kinds[n_kinds++] = qs[i].kind;
	}
	/* per kind: the metrics of each engine over the queries with a
	 * relevant slug; helhed's weak or empty answers; traps first */
	struct metrics hk[64] = { 0 }, fk[64] = { 0 }, xk[64] = { 0 },
		       hall = { 0 }, fall = { 0 }, xall = { 0 };
	int weak[64] = { 0 }, weak_judged[64] = { 0 }, weak_all = 0,
	    n_kind[64] = { 0 };
	int trap_q[64] = { 0 }, trap_h[64] = { 0 }, trap_hs[64] = { 0 },
	    trap_f[64] = { 0 }, trap_x[64] = { 0 };
	const char *trace = getenv("HELHED_EVAL_TRACE");
	for (int i = 0; i < n_q; i++) {
		struct own_query *q = &qs[i];
		const char *hkeys[TOP], *fkeys[TOP], *xkeys[TOP];
		enum hh_search_strength strength;
		int nh = helhed_search(idx, q->text,
				       !strcmp(q->kind, KIND_SELF_SERVICE), &qa,
				       hkeys, &strength);
		int nf = fts_search(&fts, q->text, fkeys);
		int nx = xeval_search(xap, q->text, xkeys, TOP);
		if (nf < 0 || nx < 0)
			goto fail;
		int k;
		for (k = 0; k < n_kinds; k++)
			if (!strcmp(kinds[k], q->kind))
				break;
		if (k == n_kinds)
			k = 63; /* more than 63 kinds: counted in all only */
		int is_weak = strength != HH_STRENGTH_STRONG;
		q->hh_weak = is_weak;
		n_kind[k]++;
		weak[k] += is_weak;
		q->hh_first = hh_xstrdup(nh ? hkeys[0] : "(nothing)");
		if (trace && (!*trace || strstr(trace, q->kind))) {
			/* HELHED_EVAL_TRACE=kind,kind (or empty: all) */
			fprintf(stderr, "%-9s %-6s \"%s\":", q->kind,
				hh_search_strength_name(strength), q->text);
			for (int r = 0; r < nh && r < 3; r++)
				fprintf(stderr, " %s", hkeys[r]);
			fputc('\n', stderr);
		}
		if (q->n_traps) {
			trap_q[k]++;
			for (int t = 0; t < q->n_traps; t++) {
				int first = nh && !strcmp(hkeys[0], q->traps[t]);
				trap_h[k] += first;
				trap_hs[k] += first && !is_weak;
				trap_f[k] += nf && !strcmp(fkeys[0], q->traps[t]);
				trap_x[k] += nx && !strcmp(xkeys[0], q->traps[t]);
			}
		}
		if (q->n_j) {
			struct metrics hm, fm, xm;
			int hr, fr, xr;
			judge(hkeys, nh, q->j, q->n_j, &hm, &hr);
			judge(fkeys, nf, q->j, q->n_j, &fm, &fr);
			judge(xkeys, nx, q->j, q->n_j, &xm, &xr);
			q->hh = hm;
			for (int r = 0; r < nh; r++)
				if (!strcmp(hkeys[r], q->j[0].key)) {
					q->hh_rank = r + 1;
					break;
				}
			metrics_add(&hk[k], &hm);
			metrics_add(&fk[k], &fm);
			metrics_add(&xk[k], &xm);
			metrics_add(&hall, &hm);
			metrics_add(&fall, &fm);
			metrics_add(&xall, &xm);
			weak_judged[k] += is_weak;
			weak_all += is_weak;
		} else {
			q->hh.ndcg = 2; /* not among the worst */
		}
		hh_arena_clear(&qa); /* leaves it empty and usable */
	}
	print_header();
	for (int k = 0; k < n_kinds; k++)
		print_row(kinds[k], &hk[k], &fk[k], &xk[k], weak_judged[k]);
	print_row("all", &hall, &fall, &xall, weak_all);
	printf("-- weak: the share of the queries that helhed answered weak "
	       "or not at all\n   (kind \"weak\": queries with no sure "
	       "answer in the articles; the higher the better there, the "
	       "lower elsewhere)\n");
	for (int k = 0; k < n_kinds; k++)
		if (!hk[k].n && n_kind[k])
			printf("%-10s %4d  weak or none: helhed %.3f (the peers "
			       "do not say)\n",
			       kinds[k], n_kind[k], avg(weak[k], n_kind[k]));
	printf("-- judged queries helhed called weak (the wanted article's "
	       "rank in brackets; 1: a needless doubt)\n");
	for (int i = 0; i < n_q; i++)
		if (qs[i].n_j && qs[i].hh_weak)
			printf("   %-9s \"%s\" [%d]\n", qs[i].kind, qs[i].text,
			       qs[i].hh_rank);
	printf("-- traps: queries whose words also stand in an unrelated "
	       "article (a compound's part, a neighbour topic);\n   the "
	       "share where that article came first (lower is better); "
	       "helhed also as a sure (strong) answer,\n   the peers "
	       "always answer as if sure\n");
	for (int k = 0; k < n_kinds; k++)
		if (trap_q[k])
			printf("%-10s %4d  trap first: helhed %.3f (as a sure "
			       "answer %.3f)  fts5 %.3f  xapian %.3f\n",
			       kinds[k], trap_q[k], avg(trap_h[k], trap_q[k]),
			       avg(trap_hs[k], trap_q[k]),
			       avg(trap_f[k], trap_q[k]),
			       avg(trap_x[k], trap_q[k]));

	/* the worst for helhed, to work on */
	struct own_query **order = hh_xmalloc((size_t)(n_q + 1) * sizeof(*order));
	for (int i = 0; i < n_q; i++)
		order[i] = &qs[i];
	qsort(order, (size_t)n_q, sizeof(*order), cmp_worst);
	int n_judged = 0;
	for (int i = 0; i < n_q; i++)
		n_judged += qs[i].n_j > 0;
	int n_worst = n_judged < WORST ? n_judged : WORST;
	printf("-- the %d worst for helhed (nDCG@10, kind, query, wanted at "
	       "rank, what came first)\n", n_worst);
	for (int i = 0; i < n_worst; i++) {
		const struct own_query *q = order[i];
		char rank[16];
		if (q->hh_rank)
			snprintf(rank, sizeof(rank), "%d", q->hh_rank);
		else
			snprintf(rank, sizeof(rank), ">10");
		printf("%.3f  %-9s \"%s\"  %s at %s, first %s\n", q->hh.ndcg,
		       q->kind, q->text, q->j[0].key, rank, q->hh_first);
	}
	free(order);
	ret = 0;
fail:
	for (int i = 0; i < n_q; i++) {
		free(qs[i].j);
		free(qs[i].traps);
		free(qs[i].hh_first);
	}
	free(qs);
	free(qtext);
	free(vis.arts);
	if (fts.db)
		fts_close(&fts);
	xeval_free(xap);
	hh_index_free(idx);
	hh_synonyms_clear(&syn);
	hh_arena_clear(&qa);
	hh_arena_clear(&a);
	if (st)
		hh_store_close(st);
	if (have_dir) {
		static const char *const suffix[] = { "", "-wal", "-shm",
						      "-journal" };
		char path[sizeof(db) + 16];
		for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
			snprintf(path, sizeof(path), "%s%s", db, suffix[i]);
			unlink(path);
		}
		rmdir(dir);
	}
	return ret;
}

/* ---- DanFEVER -------------------------------------------------------- */

struct df_query {
	const char *id, *split, *text;
	struct judgement *j;
	int n_j, cap_j;
};

static int eval_danfever(const char *dir, const struct hh_analyzer *an,
			 long words)
{
	int ret = 1;
	char path[4096];
	char *corpus = NULL, *qtext = NULL, *rtext = NULL;
	struct hh_index *idx = NULL;
	struct fts fts;
	struct xeval *xap = NULL;
	struct hh_arena qa;
	char **doc_ids = NULL, **doc_texts = NULL;
	int n_docs = 0, cap_docs = 0;
	struct key_index *docs_by_id = NULL, *q_by_id = NULL;
	struct df_query *qs = NULL;
	int n_q = 0, cap_q = 0, n_qrels = 0;
	memset(&fts, 0, sizeof(fts));
	hh_arena_init(&qa);

	snprintf(path, sizeof(path), "%s/corpus.jsonl", dir);
	corpus = slurp(path);
	if (!corpus)
		goto unreadable;
	char *p = corpus, *line;
	int lineno = 0;
	while ((line = next_line(&p))) {
		lineno++;
		if (!*line)
			continue;
		json_error_t err;
		json_t *j = json_loads(line, 0, &err);
		const char *id, *text;
		if (!j || json_unpack(j, "{s:s, s:s}", "id", &id, "text", &text)) {
			fprintf(stderr, "%s:%d: not {\"id\", \"text\"}\n", path,
				lineno);
			json_decref(j);
			goto fail;
		}
		if (n_docs == cap_docs) {
			cap_docs = cap_docs ? cap_docs * 2 : 1024;
			doc_ids = hh_xrealloc(doc_ids, (size_t)cap_docs * sizeof(char *));
			doc_texts = hh_xrealloc(doc_texts,
						(size_t)cap_docs * sizeof(char *));
		}
		doc_ids[n_docs] = hh_xstrdup(id);
		doc_texts[n_docs] = hh_xstrdup(text);
		n_docs++;
		json_decref(j);
	}
	docs_by_id = hh_xmalloc((size_t)(n_docs + 1) * sizeof(*docs_by_id));
	for (int i = 0; i < n_docs; i++)
		docs_by_id[i] = (struct key_index){ doc_ids[i], i };
	qsort(docs_by_id, (size_t)n_docs, sizeof(*docs_by_id), cmp_key_index);

	snprintf(path, sizeof(path), "%s/queries.tsv", dir);
	qtext = slurp(path);
	if (!qtext)
		goto unreadable;
	p = qtext;
	next_line(&p); /* header */
	while ((line = next_line(&p))) {
		char *f[3];
		if (!*line || split_tabs(line, f, 3) < 3)
			continue;
		if (n_q == cap_q) {
			cap_q = cap_q ? cap_q * 2 : 1024;
			qs = hh_xrealloc(qs, (size_t)cap_q * sizeof(*qs));
		}
		qs[n_q++] = (struct df_query){ f[0], f[1], f[2], NULL, 0, 0 };
	}
	q_by_id = hh_xmalloc((size_t)(n_q + 1) * sizeof(*q_by_id));
	for (int i = 0; i < n_q; i++)
		q_by_id[i] = (struct key_index){ qs[i].id, i };
	qsort(q_by_id, (size_t)n_q, sizeof(*q_by_id), cmp_key_index);

	snprintf(path, sizeof(path), "%s/qrels.tsv", dir);
	rtext = slurp(path);
	if (!rtext)
		goto unreadable;
	p = rtext;
	next_line(&p); /* header */
	while ((line = next_line(&p))) {
		char *f[3];
		if (!*line || split_tabs(line, f, 3) < 3)
			continue;
		int qi = key_find(q_by_id, n_q, f[0]);
		int grade = atoi(f[2]);
		if (qi < 0 || key_find(docs_by_id, n_docs, f[1]) < 0 || grade < 1)
			continue;
		struct df_query *q = &qs[qi];
		if (q->n_j == q->cap_j) {
			q->cap_j = q->cap_j ? q->cap_j * 2 : 4;
			q->j = hh_xrealloc(q->j, (size_t)q->cap_j * sizeof(*q->j));
		}
		q->j[q->n_j++] = (struct judgement){ f[1], grade };
		n_qrels++;
	}

	/* helhed: the word list, no synonyms; passages as articles with an
	 * empty title and summary (hh_index_put does not validate) */
	idx = hh_index_new(an, NULL);
	if (fts_open(&fts) || !(xap = xeval_new()))
		goto fail;
	for (int i = 0; i < n_docs; i++) {
		struct hh_article art = {
			.id = i + 1, .slug = doc_ids[i], .title = "",
			.summary = "", .body_md = doc_texts[i], .keywords = "",
			.kle = "", .audience = HH_AUDIENCE_CITIZEN,
			.status = HH_STATUS_PUBLISHED, .version = 1,
		};
		hh_index_put(idx, &art, 0);
		if (fts_add(&fts, doc_ids[i], "", "", "", doc_texts[i]) ||
		    xeval_add(xap, doc_ids[i], "", "", "", doc_texts[i]))
			goto fail;
	}
	if (fts_ready(&fts) || xeval_ready(xap))
		goto fail;

	printf("== DanFEVER: %s, %d passages, %d queries, %d judgements "
	       "(helhed: word list, %ld words; no synonyms)\n",
	       dir, n_docs, n_q, n_qrels, words < 0 ? 0 : words);
	struct metrics h_all = { 0 }, f_all = { 0 }, x_all = { 0 },
		       h_test = { 0 }, f_test = { 0 }, x_test = { 0 };
	int weak_all = 0, weak_test = 0;
	for (int i = 0; i < n_q; i++) {
		struct df_query *q = &qs[i];
		if (!q->n_j)
			continue;
		const char *hkeys[TOP], *fkeys[TOP], *xkeys[TOP];
		enum hh_search_strength strength;
		int nh = helhed_search(idx, q->text, 0, &qa, hkeys, &strength);
		int nf = fts_search(&fts, q->text, fkeys);
		int nx = xeval_search(xap, q->text, xkeys, TOP);
		if (nf < 0 || nx < 0)
			goto fail;
		struct metrics hm, fm, xm;
		int r;
		judge(hkeys, nh, q->j, q->n_j, &hm, &r);
		judge(fkeys, nf, q->j, q->n_j, &fm, &r);
		judge(xkeys, nx, q->j, q->n_j, &xm, &r);
		metrics_add(&h_all, &hm);
		metrics_add(&f_all, &fm);
		metrics_add(&x_all, &xm);
		weak_all += strength != HH_STRENGTH_STRONG;
		if (!strcmp(q->split, "test")) {
			metrics_add(&h_test, &hm);
			metrics_add(&f_test, &fm);
			metrics_add(&x_test, &xm);
			weak_test += strength != HH_STRENGTH_STRONG;
		}
		hh_arena_clear(&qa); /* leaves it empty and usable */
	}
	print_header();
	print_row("all", &h_all, &f_all, &x_all, weak_all);
	print_row("test", &h_test, &f_test, &x_test, weak_test);
	ret = 0;
	goto fail;
unreadable:
	fprintf(stderr, "eval: cannot read %s: %s\n", path, strerror(errno));
fail:
	for (int i = 0; i < n_q; i++)
		free(qs[i].j);
	free(qs);
	for (int i = 0; i < n_docs; i++) {
		free(doc_ids[i]);
		free(doc_texts[i]);
	}
	free(doc_ids);
	free(doc_texts);
	free(docs_by_id);
	free(q_by_id);
	free(corpus);
	free(qtext);
	free(rtext);
	if (fts.db)
		fts_close(&fts);
	xeval_free(xap);
	hh_index_free(idx);
	hh_arena_clear(&qa);
	return ret;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: eval CONTENT_DIR QUERIES_TSV "
				"DANFEVER_DIR\n");
		return 2;
	}
	const char *dict = getenv("HELHED_DICT");
	if (!dict || !*dict)
		dict = "/usr/share/dict/danish";
	/* warnings on stderr land between the lines they concern */
	setvbuf(stdout, NULL, _IOLBF, 0);
	struct hh_analyzer an;
	long words = hh_analyzer_init(&an, dict);
	if (words < 0)
		fprintf(stderr, "eval: warning: no word list at %s, so compound "
				"words are not split (install wdanish)\n", dict);
	printf("helhed beside SQLite %s FTS5 (unicode61 remove_diacritics 2, "
	       "bm25 with helhed's field weights title 4, keywords 3, "
	       "summary 1.5, body 1;\nquery tokens quoted and joined with OR) "
	       "and Xapian %s (glass, Danish Snowball stemmer, STEM_SOME,\n"
	       "wdf 8/6/3/2 for title/keywords/summary/body, BM25, OR). "
	       "Top 10; nDCG gain = grade; a document counts once.\n",
	       sqlite3_libversion(), xeval_version());
	int rc = eval_own(argv[1], argv[2], &an, dict, words);
	rc |= eval_danfever(argv[3], &an, words);
	hh_analyzer_clear(&an);
	return rc;
}
