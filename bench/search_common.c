/* search_common.c - what the search benchmarks share: the corpus read
 * with hh_article_parse, the query set, the latency loop, memory figures
 * and the result lines (see search_common.h). */
#include "search_common.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/util.h"
#include "domain/content.h"

double bench_wall(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double bench_cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

size_t bench_rss(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	unsigned long pages = 0, resident = 0;
	if (f) {
		if (fscanf(f, "%lu %lu", &pages, &resident) != 2)
			resident = 0;
		fclose(f);
	}
	return (size_t)resident * (size_t)sysconf(_SC_PAGESIZE);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct hh_buf b;
	hh_buf_init(&b);
	char chunk[16384];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		hh_buf_append(&b, chunk, n);
	fclose(f);
	*len = b.len;
	return hh_buf_steal(&b);
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

int bench_corpus_load(struct bench_corpus *c, const char *dir)
{
	memset(c, 0, sizeof(*c));
	c->arena = hh_xmalloc(sizeof(*c->arena));
	hh_arena_init(c->arena);
	char path[4096];
	snprintf(path, sizeof(path), "%s/articles", dir);
	DIR *dp = opendir(path);
	if (!dp) {
		perror(path);
		return -1;
	}
	char **names = NULL;
	size_t n_names = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(dp))) {
		size_t l = strlen(e->d_name);
		if (l < 4 || strcmp(e->d_name + l - 3, ".md"))
			continue;
		if (n_names == cap) {
			cap = cap ? cap * 2 : 1024;
			names = hh_xrealloc(names, cap * sizeof(*names));
		}
		names[n_names++] = hh_xstrdup(e->d_name);
	}
	closedir(dp);
	qsort(names, n_names, sizeof(*names), cmp_str);
	c->arts = hh_xcalloc(n_names + 1, sizeof(*c->arts));
	c->docs = hh_xcalloc(n_names + 1, sizeof(*c->docs));
	int rc = 0;
	for (size_t i = 0; i < n_names; i++) {
		char fp[8192], slug[256], err[512];
		size_t l = strlen(names[i]);
		snprintf(fp, sizeof(fp), "%s/%s", path, names[i]);
		snprintf(slug, sizeof(slug), "%.*s", (int)(l - 3), names[i]);
		size_t len = 0;
		char *text = slurp(fp, &len);
		struct hh_article a;
		const char *org = NULL;
		if (!text ||
		    hh_article_parse(c->arena, slug, NULL, text, len, &a, &org,
				     err, sizeof(err)) != HH_OK) {
			fprintf(stderr, "%s: %s\n", fp,
				text ? err : "unreadable");
			rc = -1;
		} else {
			a.id = (int64_t)c->n + 1;
			struct bench_doc *d = &c->docs[c->n];
			d->id = a.id;
			d->slug = a.slug;
			d->title = a.title;
			d->keywords = a.keywords ? a.keywords : "";
			d->summary = a.summary ? a.summary : "";
			d->body_md = a.body_md ? a.body_md : "";
			c->arts[c->n++] = a;
		}
		free(text);
		free(names[i]);
	}
	free(names);
	return rc;
}

void bench_corpus_clear(struct bench_corpus *c)
{
	if (c->arena) {
		hh_arena_clear(c->arena);
		free(c->arena);
	}
	free(c->arts);
	free(c->docs);
	memset(c, 0, sizeof(*c));
}

char *bench_body_text(const char *md)
{
	struct hh_buf b;
	hh_buf_init(&b);
	const char *p = md ? md : "";
	while (*p) {
		if (p[0] == ']' && p[1] == '(') {
			const char *close = strchr(p, ')');
			p = close ? close + 1 : p + 1;
			hh_buf_putc(&b, ' ');
			continue;
		}
		hh_buf_putc(&b, *p++);
	}
	return hh_buf_steal(&b);
}

int bench_queries_load(struct bench_queries *qs, const char *path)
{
	memset(qs, 0, sizeof(*qs));
	FILE *f = fopen(path, "r");
	if (!f) {
		perror(path);
		return -1;
	}
	char line[1024];
	size_t cap = 0;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = 0;
		if (!line[0] || line[0] == '#')
			continue;
		if (qs->n == cap) {
			cap = cap ? cap * 2 : 256;
			qs->q = hh_xrealloc(qs->q, cap * sizeof(*qs->q));
		}
		qs->q[qs->n++] = hh_xstrdup(line);
	}
	fclose(f);
	if (!qs->n) {
		fprintf(stderr, "%s: no queries\n", path);
		return -1;
	}
	return 0;
}

void bench_queries_clear(struct bench_queries *qs)
{
	for (size_t i = 0; i < qs->n; i++)
		free(qs->q[i]);
	free(qs->q);
	memset(qs, 0, sizeof(*qs));
}

void bench_queries_typed(const struct bench_queries *qs,
			 struct bench_queries *out)
{
	memset(out, 0, sizeof(*out));
	size_t cap = 0;
	for (size_t i = 0; i < qs->n; i++) {
		const char *q = qs->q[i];
		size_t len = strlen(q);
		for (size_t n = 2; n <= len; n += 3) {
			size_t cut = n;
			while (cut < len && ((unsigned char)q[cut] & 0xc0) == 0x80)
				cut++;
			if (n + 3 > len)
				cut = len; /* the last one: the whole query */
			if (out->n == cap) {
				cap = cap ? cap * 2 : 1024;
				out->q = hh_xrealloc(out->q, cap * sizeof(*out->q));
			}
			out->q[out->n++] = hh_xstrndup(q, cut);
			if (cut == len)
				break;
			n = cut > n ? cut : n;
		}
	}
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

static double quantile(const double *sorted, size_t n, double q)
{
	size_t i = (size_t)(q * (double)(n - 1) + 0.5);
	return sorted[i < n ? i : n - 1];
}

double bench_median(double *v, size_t n)
{
	qsort(v, n, sizeof(double), cmp_double);
	return quantile(v, n, 0.5);
}

void bench_latency_run(const struct bench_queries *qs, bench_query_fn run,
		       void *ctx, struct bench_latency *out)
{
	memset(out, 0, sizeof(*out));
	/* a warm-up pass, which also counts the queries that find something */
	size_t with_hits = 0;
	for (size_t i = 0; i < qs->n; i++)
		with_hits += run(ctx, qs->q[i]) > 0;
	out->hit_pct = 100.0 * (double)with_hits / (double)qs->n;
	double *s = hh_xmalloc(qs->n * BENCH_MAX_ROUNDS * sizeof(double));
	size_t n = 0;
	int rounds = 0;
	double start = bench_wall(), sum = 0;
	do {
		for (size_t i = 0; i < qs->n; i++) {
			double t0 = bench_cpu();
			run(ctx, qs->q[i]);
			s[n] = (bench_cpu() - t0) * 1e6;
			sum += s[n++];
		}
		rounds++;
	} while (rounds < BENCH_MIN_ROUNDS ||
		 (rounds < BENCH_MAX_ROUNDS &&
		  bench_wall() - start < BENCH_MIN_SECONDS));
	/* the slowest query by its median over the rounds */
	double *per = hh_xmalloc((size_t)rounds * sizeof(double));
	for (size_t i = 0; i < qs->n; i++) {
		for (int r = 0; r < rounds; r++)
			per[r] = s[(size_t)r * qs->n + i];
		double med = bench_median(per, (size_t)rounds);
		if (med > out->slowest_us) {
			out->slowest_us = med;
			out->slowest = qs->q[i];
		}
	}
	free(per);
	qsort(s, n, sizeof(double), cmp_double);
	out->p50_us = quantile(s, n, 0.50);
	out->p99_us = quantile(s, n, 0.99);
	out->mean_us = sum / (double)n;
	out->samples = n;
	free(s);
}

void bench_report(const char *engine, size_t docs, double build_s,
		  double build_wall_s, size_t index_bytes, size_t rss_bytes,
		  const struct bench_latency *l)
{
	printf("RESULT\t%s\t%zu\t", engine, docs);
	if (build_s < 0)
		printf("-\t-\t-\t");
	else
		printf("%.3f\t%zu\t%zu\t", build_s, index_bytes, rss_bytes);
	printf("%.1f\t%.1f\t%.0f\n", l->p50_us, l->p99_us, l->hit_pct);
	printf("NOTE\t%s: slowest query \"%s\" (median %.0f µs); %zu timed "
	       "queries, mean %.0f µs",
	       engine, l->slowest ? l->slowest : "", l->slowest_us, l->samples,
	       l->mean_us);
	if (build_s >= 0)
		printf("; build %.2f s CPU, %.2f s wall-clock", build_s,
		       build_wall_s);
	printf("\n");
	fflush(stdout);
}
