/* backup_bench.c - the reader's side of the backup benchmark
 * (bench/backup.sh, make bench-backup): one client reading from a real
 * `helhed serve`, request after request on one keep-alive connection, as
 * a citizen's browser would, for a number of seconds or until a file
 * appears (the backup has ended); then p50, p99 and the largest latency
 * per URL. Run once while the server is quiet and once while `helhed
 * backup` copies its store, the two lines are the figure.
 *
 *   backup_bench probe LABEL SECONDS|STOPFILE URL...
 *
 * SECONDS: stop after that many seconds; STOPFILE (not a number): stop
 * once that file exists (checked between requests), at most 10 minutes. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define MAX_URLS 4
#define MAX_SAMPLES 2000000

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static size_t discard(char *p, size_t size, size_t n, void *ud)
{
	(void)p;
	(void)ud;
	return size * n;
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Nearest-rank percentile of n sorted values, in milliseconds. */
static double pct(const int64_t *v, int n, double p)
{
	if (n == 0)
		return 0;
	int i = (int)(p / 100.0 * n + 0.999999) - 1;
	if (i < 0)
		i = 0;
	if (i >= n)
		i = n - 1;
	return (double)v[i] / 1000.0;
}

int main(int argc, char **argv)
{
	if (argc < 5 || strcmp(argv[1], "probe") || argc - 4 > MAX_URLS) {
		fprintf(stderr, "usage: backup_bench probe LABEL SECONDS|STOPFILE "
				"URL...\n");
		return 2;
	}
	const char *label = argv[2], *until = argv[3];
	char *end;
	double secs = strtod(until, &end);
	const char *stop_file = *end ? until : NULL;
	if (stop_file)
		secs = 600;
	int n_urls = argc - 4;
	static int64_t lat[MAX_URLS][MAX_SAMPLES];
	int n[MAX_URLS] = { 0 }, errors = 0;
	curl_global_init(CURL_GLOBAL_ALL);
	CURL *c = curl_easy_init();
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	int64_t t0 = mono_us();
	struct stat st;
	for (int k = 0;; k++) {
		if (mono_us() - t0 > (int64_t)(secs * 1e6))
			break;
		if (stop_file && (k & 7) == 0 && stat(stop_file, &st) == 0)
			break;
		int u = k % n_urls;
		curl_easy_setopt(c, CURLOPT_URL, argv[4 + u]);
		int64_t s = mono_us();
		long status = 0;
		if (curl_easy_perform(c) == CURLE_OK)
			curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		int64_t us = mono_us() - s;
		if (status != 200) {
			errors++;
			continue;
		}
		if (n[u] < MAX_SAMPLES)
			lat[u][n[u]++] = us;
	}
	double took = (double)(mono_us() - t0) / 1e6;
	for (int u = 0; u < n_urls; u++) {
		qsort(lat[u], (size_t)n[u], sizeof(int64_t), cmp64);
		const char *path = strchr(argv[4 + u] + strlen("http://"), '/');
		printf("%-22s %-34s %7d requests in %5.1f s   p50 %6.2f ms   "
		       "p99 %6.2f ms   max %7.2f ms\n",
		       label, path ? path : argv[4 + u], n[u], took,
		       pct(lat[u], n[u], 50), pct(lat[u], n[u], 99),
		       n[u] ? (double)lat[u][n[u] - 1] / 1000.0 : 0.0);
	}
	if (errors)
		printf("%-22s %d requests not answered 200\n", label, errors);
	curl_easy_cleanup(c);
	curl_global_cleanup();
	return errors ? 1 : 0;
}
