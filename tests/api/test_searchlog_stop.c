/* test_searchlog_stop.c - no search is lost from the search log on a clean
 * stop (s-http, issue 13): searches are queued in memory and written in
 * batches every second, so a real `helhed serve` is searched over HTTP and
 * stopped with SIGTERM while some of its searches are still queued; after
 * the stop every search answered with a search_id is in search_log, once,
 * with its query and its count of results. */
#include <signal.h>
#include <sys/wait.h>

#include "testutil.h"

#include "api/real_server.h"

enum { PER_ROUND = 60, ROUNDS = 10 };

struct logged {
	int64_t id;
	int64_t total;
	char query[32];
};

static struct logged logged[PER_ROUND * ROUNDS];

/* One search over HTTP; its search_id and total into *l. */
static void search(int port, int i, struct logged *l)
{
	/* every third query the demo articles answer; the others are
	 * words of their own, so each row is told apart by its text */
	snprintf(l->query, sizeof(l->query), i % 3 ? "logtest %d" : "pas %d", i);
	char url[160];
	snprintf(url, sizeof(url),
		 "http://127.0.0.1:%d/api/v1/search?q=%s%%20%d", port,
		 i % 3 ? "logtest" : "pas", i);
	struct tu_resp r = tu_http("GET", url, NULL, NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_non_null(r.json);
	l->id = json_integer_value(json_object_get(r.json, "search_id"));
	l->total = json_integer_value(json_object_get(r.json, "total"));
	assert_true(l->id > 0);
	tu_resp_free(&r);
}

static int64_t rows_of(const char *dir, int64_t first, int64_t last)
{
	char sql[160];
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM search_log WHERE id BETWEEN %lld AND %lld",
		 (long long)first, (long long)last);
	return tu_sql_int(dir, sql, 0, NULL);
}

static void queued_searches_are_written_on_a_clean_stop(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	struct rs_server s;
	rs_start_store(&s, dir); /* SQLite, or PostgreSQL on its pass */
	/* search until some searches are still queued (not yet in the
	 * database) right before the stop: the once-a-second flush may
	 * have written a whole round */
	int n = 0;
	int64_t queued = 0;
	for (int round = 0; round < ROUNDS && !queued; round++) {
		for (int k = 0; k < PER_ROUND; k++, n++)
			search(s.port, n, &logged[n]);
		queued = n - rows_of(dir, logged[0].id, logged[n - 1].id);
	}
	assert_true(queued > 0);
	assert_int_equal(kill(s.pid, SIGTERM), 0);
	int status;
	assert_int_equal(waitpid(s.pid, &status, 0), s.pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	/* every search once, with its query and count of results */
	assert_int_equal(rows_of(dir, logged[0].id, logged[n - 1].id), n);
	for (int i = 0; i < n; i++) {
		char sql[200];
		snprintf(sql, sizeof(sql),
			 "SELECT count(*) FROM search_log WHERE id = %lld AND "
			 "query = '%s' AND results = %lld",
			 (long long)logged[i].id, logged[i].query,
			 (long long)logged[i].total);
		if (tu_sql_int(dir, sql, 0, NULL) != 1)
			fail_msg("search %d (\"%s\", id %lld) is not in search_log",
				 i, logged[i].query, (long long)logged[i].id);
	}
	/* the demo articles answered the "pas" searches */
	assert_true(logged[0].total > 0);
	tu_rmdir(dir);
}

int main(int argc, char **argv)
{
	(void)argc;
	if (!rs_find_bin(argv[0], "test_searchlog_stop"))
		return 1;
	signal(SIGPIPE, SIG_IGN);
	curl_global_init(CURL_GLOBAL_ALL);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(queued_searches_are_written_on_a_clean_stop),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
