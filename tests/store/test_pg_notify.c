/* test_pg_notify.c - pg-multi (issue 14): two stores on one PostgreSQL
 * database stand for two helhed instances; what one commits reaches the
 * other's subscribers through LISTEN/NOTIFY (migration 0029,
 * src/store/postgres_notify.c), once, never its own writes, never a
 * rollback, and after a lost listening connection from the event log.
 *
 * It runs on HELHED_TEST_PG when set, else on a throwaway cluster it
 * starts (tests/pg/cluster.sh); it is skipped, saying why, only when the
 * PostgreSQL 15 binaries are not installed. */
#include "testutil.h"

#include <pthread.h>

#include "store/pg_fixture.h"
#include "store/postgres_int.h"

/* A subscriber that records each change as "entity/id/org/action\n";
 * the listener tells from its own thread, hence the lock. */
struct rec {
	pthread_mutex_t lock;
	struct hh_buf b;
};

static void rec_change(void *cls, const struct hh_change *c)
{
	struct rec *r = cls;
	pthread_mutex_lock(&r->lock);
	hh_buf_printf(&r->b, "%s/%lld/%lld/%s\n", c->entity, (long long)c->id,
		      (long long)c->org_id, c->action);
	pthread_mutex_unlock(&r->lock);
}

/* 1 when line (a whole line) was recorded. */
static int rec_has(struct rec *r, const char *line)
{
	char want[256];
	snprintf(want, sizeof(want), "\n%s\n", line);
	pthread_mutex_lock(&r->lock);
	struct hh_buf tmp;
	hh_buf_init(&tmp);
	hh_buf_printf(&tmp, "\n%s", hh_buf_str(&r->b));
	int hit = strstr(hh_buf_str(&tmp), want) != NULL;
	hh_buf_clear(&tmp);
	pthread_mutex_unlock(&r->lock);
	return hit;
}

/* Waits up to 10 s for line; 1 when it came. */
static int rec_wait(struct rec *r, const char *line)
{
	int64_t until = hh_mono_us() + 10000000;
	while (hh_mono_us() < until) {
		if (rec_has(r, line))
			return 1;
		usleep(2000);
	}
	fprintf(stderr, "waited in vain for %s; recorded:\n%s", line,
		hh_buf_str(&r->b));
	return 0;
}

struct fx {
	char *url;
	struct hh_store *a, *b; /* two instances */
	struct rec rb;          /* what b's subscribers are told */
};

static int setup(void **state)
{
	if (!pgt_url()) {
		print_message("skipped: PostgreSQL 15 is not installed\n");
		skip();
	}
	static int seq;
	char name[64];
	snprintf(name, sizeof(name), "notify_%ld_%d", (long)getpid(), ++seq);
	struct fx *f = hh_xcalloc(1, sizeof(*f));
	f->url = pgt_db(name);
	assert_int_equal(hh_store_open_postgres(f->url, 2, &f->a), HH_OK);
	assert_int_equal(f->a->migrate(f->a->cls, NULL), HH_OK);
	assert_int_equal(hh_store_open_postgres(f->url, 2, &f->b), HH_OK);
	pthread_mutex_init(&f->rb.lock, NULL);
	hh_buf_init(&f->rb.b);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	hh_store_close(f->a);
	hh_store_close(f->b); /* stops its listener */
	hh_buf_clear(&f->rb.b);
	pthread_mutex_destroy(&f->rb.lock);
	free(f->url);
	free(f);
	return 0;
}

/* b follows: prepared, subscribed, started. */
static void follow_b(struct fx *f)
{
	assert_int_equal(hh_pg_follow_prepare(f->b), HH_OK);
	assert_int_equal(hh_store_subscribe(f->b, rec_change, &f->rb), HH_OK);
	assert_int_equal(hh_pg_follow_start(f->b), HH_OK);
	assert_int_equal(hh_pg_follow_ok(f->b), 1);
}

static int64_t put_org(struct hh_store *st, const char *code)
{
	struct hh_tx *tx;
	assert_int_equal(st->tx_begin(st->cls, 1, &tx), HH_OK);
	struct hh_org o = { .code = code, .name = code,
			    .kind = HH_ORG_MUNICIPALITY };
	assert_int_equal(st->org_put(tx, &o), HH_OK);
	assert_int_equal(st->tx_commit(tx), HH_OK);
	return o.id;
}

/* An article written as the domain writes it: the row and its event in
 * one transaction, committed (commit 1) or rolled back (0). */
static int64_t write_article(struct hh_store *st, const char *slug,
			     int64_t org_id, int commit)
{
	struct hh_tx *tx;
	assert_int_equal(st->tx_begin(st->cls, 1, &tx), HH_OK);
	struct hh_article a = {
		.org_id = org_id, .slug = slug, .title = slug,
		.summary = "Resumé", .body_md = "Tekst",
		.body_html = "<p>Tekst</p>\n", .keywords = "", .kle = "",
		.audience = HH_AUDIENCE_CITIZEN,
		.status = HH_STATUS_PUBLISHED, .updated_by = "test",
	};
	assert_int_equal(st->article_insert(tx, &a), HH_OK);
	struct hh_event e = { .actor = "test", .org_id = org_id,
			      .entity = "article", .entity_id = a.id,
			      .action = "create" };
	assert_int_equal(st->event_append(tx, &e), HH_OK);
	if (commit)
		assert_int_equal(st->tx_commit(tx), HH_OK);
	else
		st->tx_rollback(tx);
	return a.id;
}

static char *line(const char *entity, int64_t id, int64_t org,
		  const char *action)
{
	static char buf[128];
	snprintf(buf, sizeof(buf), "%s/%lld/%lld/%s", entity, (long long)id,
		 (long long)org, action);
	return buf;
}

/* An article committed on a reaches b's subscribers, with its id and
 * organisation; one rolled back never does; b's own writes are not told
 * again (its write paths told it), and the notices come in commit
 * order, so by the time a's second write is told, b's would have been. */
static void t_other_instance_told(void **state)
{
	struct fx *f = *state;
	follow_b(f);
	int64_t org = put_org(f->a, "901");
	int64_t id = write_article(f->a, "flytning", org, 1);
	assert_true(rec_wait(&f->rb, line("article", id, org, "create")));
	/* the organisations kept by b are out of date */
	assert_true(rec_wait(&f->rb, line("organisation", 0, 0, "create")));

	int64_t gone = write_article(f->a, "fortrudt", 0, 0);
	int64_t own = write_article(f->b, "egen", 0, 1);
	int64_t last = write_article(f->a, "skilsmisse", 0, 1);
	assert_true(rec_wait(&f->rb, line("article", last, 0, "create")));
	assert_false(rec_has(&f->rb, line("article", gone, 0, "create")));
	assert_false(rec_has(&f->rb, line("article", own, 0, "create")));
	struct hh_pg_follow_stats s;
	hh_pg_follow_stats(f->b, &s);
	assert_int_equal(s.listening, 1);
	assert_true(s.own >= 1);
	assert_int_equal(s.reconnects, 0);

	/* an update too */
	struct hh_tx *tx;
	assert_int_equal(f->a->tx_begin(f->a->cls, 1, &tx), HH_OK);
	struct hh_article cur;
	struct hh_arena ar;
	hh_arena_init(&ar);
	assert_int_equal(f->a->article_get_by_id(tx, &ar, id, &cur), HH_OK);
	cur.title = "Flytning, ny";
	assert_int_equal(f->a->article_update(tx, &cur, cur.version), HH_OK);
	assert_int_equal(f->a->tx_commit(tx), HH_OK);
	hh_arena_clear(&ar);
	assert_true(rec_wait(&f->rb, line("article", id, org, "update")));
}

/* Kinds read whole are told once per statement, with id 0: a form (case
 * type) put on a reaches b as "case_type/0". */
static void t_kinds_told_whole(void **state)
{
	struct fx *f = *state;
	follow_b(f);
	struct hh_tx *tx;
	assert_int_equal(f->a->tx_begin(f->a->cls, 1, &tx), HH_OK);
	struct hh_case_type ct = { .code = "flyt", .name = "Flytning",
				   .organisation = "municipality",
				   .definition = "{}", .public = 1 };
	assert_int_equal(f->a->case_type_put(tx, &ct), HH_OK);
	assert_int_equal(f->a->tx_commit(tx), HH_OK);
	assert_true(rec_wait(&f->rb, line("case_type", 0, 0, "create")));
}

/* Runs sql on a's database on a connection of its own. */
static void admin_on(const char *url, const char *sql)
{
	PGconn *c = PQconnectdb(url);
	assert_int_equal(PQstatus(c), CONNECTION_OK);
	PGresult *r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK &&
	    PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("%s: %s", sql, PQresultErrorMessage(r));
	PQclear(r);
	PQfinish(c);
}

/* Waits up to 10 s for b's listener to be (ok 1) or not be (0)
 * listening. */
static int wait_ok(struct hh_store *st, int ok)
{
	int64_t until = hh_mono_us() + 10000000;
	while (hh_mono_us() < until) {
		if (hh_pg_follow_ok(st) == ok)
			return 1;
		usleep(2000);
	}
	return 0;
}

/* b's listening connection is cut and cannot come back (the database
 * takes no new connections) while a writes: the notice is lost, and the
 * article reaches b from the event log once b listens again. */
static void lose_listener(struct fx *f, const char *db)
{
	char sql[256];
	snprintf(sql, sizeof(sql),
		 "ALTER DATABASE \"%s\" WITH ALLOW_CONNECTIONS false", db);
	admin_on(pgt_base, sql);
	snprintf(sql, sizeof(sql),
		 "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
		 "WHERE application_name = 'helhed-listen' AND datname = '%s'",
		 db);
	admin_on(pgt_base, sql);
	assert_true(wait_ok(f->b, 0));
}

static void allow(const char *db)
{
	char sql[256];
	snprintf(sql, sizeof(sql),
		 "ALTER DATABASE \"%s\" WITH ALLOW_CONNECTIONS true", db);
	admin_on(pgt_base, sql);
}

static const char *db_of(const char *url)
{
	return strstr(url, "dbname=") + 7;
}

static void t_caught_up_from_event_log(void **state)
{
	struct fx *f = *state;
	follow_b(f);
	/* a's connection is open before the database refuses new ones */
	int64_t first = write_article(f->a, "foer", 0, 1);
	assert_true(rec_wait(&f->rb, line("article", first, 0, "create")));
	lose_listener(f, db_of(f->url));
	int64_t missed = write_article(f->a, "imens", 0, 1);
	assert_false(rec_has(&f->rb, line("article", missed, 0, "create")));
	allow(db_of(f->url));
	/* replayed as an update of the article (the subscribers read it) */
	assert_true(rec_wait(&f->rb, line("article", missed, 0, "update")));
	/* and what is read whole, read again */
	assert_true(rec_has(&f->rb, line("synonym", 0, 0, "update")));
	assert_true(rec_has(&f->rb, line("pin", 0, 0, "update")));
	assert_true(wait_ok(f->b, 1));
	struct hh_pg_follow_stats s;
	hh_pg_follow_stats(f->b, &s);
	assert_int_equal(s.reconnects, 1);
	assert_true(s.replayed >= 1);
	assert_int_equal(s.resyncs, 0);
	/* and it follows again */
	int64_t after = write_article(f->a, "efter", 0, 1);
	assert_true(rec_wait(&f->rb, line("article", after, 0, "create")));
}

/* Further behind than the catch-up limit: everything is read again
 * ("*" told) instead of article by article. */
static void t_far_behind_resyncs(void **state)
{
	struct fx *f = *state;
	setenv("HELHED_PG_CATCHUP_MAX", "1", 1);
	follow_b(f);
	unsetenv("HELHED_PG_CATCHUP_MAX");
	write_article(f->a, "foer", 0, 1); /* a's connection opened */
	lose_listener(f, db_of(f->url));
	write_article(f->a, "en", 0, 1);
	write_article(f->a, "to", 0, 1);
	allow(db_of(f->url));
	assert_true(rec_wait(&f->rb, "*/0/0/resync"));
	struct hh_pg_follow_stats s;
	hh_pg_follow_stats(f->b, &s);
	assert_int_equal(s.resyncs, 1);
}

/* Stopping with nothing started, and on SQLite, does nothing; a SQLite
 * store is always "following" (one process per file). */
static void t_sqlite_and_stop(void **state)
{
	struct fx *f = *state;
	char *dir = tu_tmpdir();
	struct hh_store *sq = tu_store(dir, 1);
	assert_int_equal(hh_pg_follow_prepare(sq), HH_OK);
	assert_int_equal(hh_pg_follow_start(sq), HH_OK);
	assert_int_equal(hh_pg_follow_ok(sq), 1);
	hh_pg_follow_stop(sq);
	hh_store_close(sq);
	tu_rmdir(dir);
	/* no listener: nothing to be behind on */
	assert_int_equal(hh_pg_follow_ok(f->b), 1);
	/* prepared, never started, stopped: not listening, and a start
	 * after the stop starts nothing */
	assert_int_equal(hh_pg_follow_prepare(f->b), HH_OK);
	assert_int_equal(hh_pg_follow_ok(f->b), 1);
	hh_pg_follow_stop(f->b);
	assert_int_equal(hh_pg_follow_ok(f->b), 0);
	assert_int_equal(hh_pg_follow_start(f->b), HH_OK);
	assert_int_equal(hh_pg_follow_ok(f->b), 0);
	hh_pg_follow_stop(f->b); /* twice is fine */
}

int main(void)
{
	/* the fixture's helpers this file does not need */
	(void)pgt_name_for;
	(void)pgt_empty_db;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(t_other_instance_told, setup,
						teardown),
		cmocka_unit_test_setup_teardown(t_kinds_told_whole, setup,
						teardown),
		cmocka_unit_test_setup_teardown(t_caught_up_from_event_log,
						setup, teardown),
		cmocka_unit_test_setup_teardown(t_far_behind_resyncs, setup,
						teardown),
		cmocka_unit_test_setup_teardown(t_sqlite_and_stop, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
