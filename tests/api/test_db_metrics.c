/* test_db_metrics.c - the store in /metrics (pg-ops, issue 14 point 6):
 * pool size and use, waits for a connection, and the statements' times,
 * read from a real server after some requests, and a wait made on
 * purpose on both backends. */
#include <pthread.h>
#include <time.h>

#include "pg_fixture.h"
#include "domain/health.h"

/* The value of the first line of text that starts with name (and a
 * space or '{'); fails the test when there is none. */
static double metric(const char *text, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = text; p && *p; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (!strncmp(p, name, n) && (p[n] == ' ' || p[n] == '{')) {
			const char *v = strchr(p, ' ');
			return strtod(v + 1, NULL);
		}
	}
	fail_msg("no %s in /metrics", name);
	return -1;
}

/* The histogram's buckets grow with their bound, and +Inf is the count. */
static void check_histogram(const char *text)
{
	static const char *const le[] = { "0.0001", "0.00025", "0.0005",
					  "0.001", "0.0025", "0.005", "0.01",
					  "0.1", "1", "+Inf" };
	double last = 0;
	for (size_t i = 0; i < sizeof(le) / sizeof(le[0]); i++) {
		char name[96];
		snprintf(name, sizeof(name),
			 "helhed_db_query_seconds_bucket{le=\"%s\"}", le[i]);
		double v = metric(text, name);
		assert_true(v >= last);
		last = v;
	}
	assert_true(last == metric(text, "helhed_db_query_seconds_count"));
}

static char *scrape(const char *base)
{
	char url[128];
	snprintf(url, sizeof(url), "%s/metrics", base);
	struct tu_resp r = tu_http("GET", url, NULL, NULL, NULL);
	assert_int_equal(r.status, 200);
	char *body = r.body;
	r.body = NULL;
	tu_resp_free(&r);
	return body;
}

/* A real server on SQLite: after searches and a sign-in the statements
 * are counted, timed and in the histogram; the pool is the store's. */
static void t_metrics_after_requests(void **state)
{
	struct tu_server s;
	tu_server_start(&s, 1);
	char *before = scrape(s.base);
	tu_expect_in(before, "helhed_db_pool_connections{backend=\"sqlite\"} 6\n");
	double q0 = metric(before, "helhed_db_query_seconds_count");

	char url[256];
	for (int i = 0; i < 5; i++) {
		snprintf(url, sizeof(url), "%s/api/v1/search?q=pas", s.base);
		struct tu_resp r = tu_http("GET", url, NULL, NULL, NULL);
		tu_resp_free(&r);
	}
	char cookie[256], csrf[128];
	tu_login(&s, "editor@901", cookie, sizeof(cookie), csrf, sizeof(csrf));
	char *after = scrape(s.base);

	double q1 = metric(after, "helhed_db_query_seconds_count");
	double sum = metric(after, "helhed_db_query_seconds_sum");
	double max = metric(after, "helhed_db_query_seconds_max");
	assert_true(q1 > q0);
	assert_true(sum > 0 && sum < 60);
	assert_true(max > 0 && max <= sum);
	check_histogram(after);
	double in_use = metric(after, "helhed_db_pool_in_use");
	assert_true(in_use >= 0 && in_use <= 6);
	assert_true(metric(after, "helhed_db_pool_waits_total") >= 0);
	assert_true(metric(after, "helhed_db_tx_retries_total") >= 0);
	/* the rest of /metrics is still there */
	tu_expect_in(after, "helhed_http_requests_total");
	free(before);
	free(after);
	tu_server_stop(&s);
}

/* ---- a wait for the only connection, on both backends ---------------- */

struct holder {
	struct hh_store *st;
	pthread_barrier_t *taken;
};

static void *hold_the_connection(void *p)
{
	struct holder *h = p;
	struct hh_tx *tx;
	assert_int_equal(h->st->tx_begin(h->st->cls, 0, &tx), HH_OK);
	pthread_barrier_wait(h->taken);
	/* long enough for the other thread to be waiting on a loaded
	 * machine (it has only to call tx_begin) */
	struct timespec ts = { 0, 500 * 1000000L };
	nanosleep(&ts, NULL);
	h->st->tx_rollback(tx);
	return NULL;
}

static void waits_on(struct hh_store *st, const char *backend)
{
	struct hh_store_stats s0;
	hh_store_stats(st, &s0);
	assert_int_equal(s0.pool_size, 1);
	assert_int_equal(s0.in_use, 0);

	pthread_barrier_t taken;
	pthread_barrier_init(&taken, NULL, 2);
	struct holder h = { st, &taken };
	pthread_t t;
	pthread_create(&t, NULL, hold_the_connection, &h);
	pthread_barrier_wait(&taken);
	struct hh_store_stats mid;
	hh_store_stats(st, &mid);
	assert_int_equal(mid.in_use, 1);
	struct hh_tx *tx; /* waits until the holder gives it back */
	assert_int_equal(st->tx_begin(st->cls, 0, &tx), HH_OK);
	int64_t n;
	assert_int_equal(st->event_count(tx, &n), HH_OK);
	assert_int_equal(st->tx_commit(tx), HH_OK);
	pthread_join(t, NULL);
	pthread_barrier_destroy(&taken);

	struct hh_store_stats s;
	hh_store_stats(st, &s);
	assert_string_equal(s.backend, backend);
	assert_int_equal(s.in_use, 0);
	assert_int_equal(s.waits, s0.waits + 1);
	/* the holder slept 500 ms after the barrier; a slow machine may
	 * start the wait late, but never waits for nothing */
	assert_true(s.wait_us - s0.wait_us >= 1000);
	assert_true(s.wait_us - s0.wait_us < 10 * 1000 * 1000);
	/* at least BEGIN, the count and COMMIT of the waiting one */
	assert_true(s.queries >= s0.queries + 3);
	assert_true(s.query_max_us >= 1);

	struct hh_buf b;
	hh_buf_init(&b);
	hh_health_metrics(st, &b);
	char want[96];
	snprintf(want, sizeof(want),
		 "helhed_db_pool_connections{backend=\"%s\"} 1\n", backend);
	tu_expect_in(hh_buf_str(&b), want);
	assert_true(metric(hh_buf_str(&b), "helhed_db_pool_waits_total") ==
		    (double)s.waits);
	check_histogram(hh_buf_str(&b));
	hh_buf_clear(&b);
}

static void t_metrics_wait_sqlite(void **state)
{
	char *dir = tu_tmpdir();
	struct hh_store *st = tu_store(dir, 1);
	waits_on(st, "sqlite");
	hh_store_close(st);
	tu_rmdir(dir);
}

static void t_metrics_wait_postgres(void **state)
{
	if (!pgt_url()) {
		printf("test_db_metrics: PostgreSQL part SKIPPED: the "
		       "PostgreSQL 15 binaries are not installed\n");
		return;
	}
	char *url = pgt_db("metrics");
	struct hh_store *st;
	assert_int_equal(hh_store_open_postgres(url, 1, &st), HH_OK);
	waits_on(st, "postgres");
	hh_store_close(st);
	free(url);
}

int main(void)
{
	(void)pgt_empty_db; /* the fixture's, not used here */
	(void)pgt_name_for;
	hh_log_set_level(HH_LOG_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_metrics_after_requests),
		cmocka_unit_test(t_metrics_wait_sqlite),
		cmocka_unit_test(t_metrics_wait_postgres),
	};
	return cmocka_run_group_tests_name("api/db-metrics", tests, NULL, NULL);
}
