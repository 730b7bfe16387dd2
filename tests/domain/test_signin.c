/* test_signin.c - pg-throttle (issue 14): the sign-in throttle per
 * account is counted in the store, so that instances on one database
 * share it. The other instance is another process (fork) with a store of
 * its own on the same database, as behind a load balancer: a count kept
 * in one process's memory cannot reach it. Failures spread over two
 * instances throttle the account at the same count as on one; a correct
 * password on one ends the run on the other; unknown emails are counted
 * the same way, under a hash, in a table that does not grow with what an
 * attacker invents; concurrent tries cannot get past the limit; a store
 * failing at any call half-makes nothing.
 *
 * Runs on both backends (HELHED_TEST_BACKEND=postgres: two stores on one
 * PostgreSQL database). */
#include "testutil.h"

#include <pthread.h>
#include <sys/wait.h>

#include "domain/auth.h"
#include "domain/vault.h"

struct fx {
	char *dir;
	char address[4200]; /* the database's, for the other process */
	struct hh_store *a, *b; /* two instances in this process */
	struct hh_arena arena;
};

static int setup(void **state)
{
	assert_int_equal(hh_auth_init(), HH_OK);
	struct fx *f = calloc(1, sizeof(*f));
	f->dir = tu_tmpdir();
	f->a = tu_store(f->dir, 2);
	f->b = tu_store(f->dir, 2);
	tu_seed(f->a);
	tu_store_address(f->dir, f->address, sizeof(f->address));
	hh_arena_init(&f->arena);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	hh_clock_set_us(0);
	hh_arena_clear(&f->arena);
	hh_store_close(f->a);
	hh_store_close(f->b);
	tu_rmdir(f->dir);
	free(f);
	return 0;
}

/* Each call signs in from an address of its own, so that the address
 * limit (per process) never decides these tests. */
static const char *next_client(void)
{
	static int n;
	static char buf[32];
	n++;
	snprintf(buf, sizeof(buf), "10.9.%d.%d", n / 200, 1 + n % 200);
	return buf;
}

static enum hh_rc sign_in(struct fx *f, struct hh_store *st, const char *email,
			  const char *password, int *retry_after)
{
	struct hh_login out = { 0 };
	enum hh_rc rc = hh_auth_login(st, &f->arena, email, password,
				      next_client(), &out);
	if (retry_after)
		*retry_after = out.retry_after;
	return rc;
}

/* Signs in n times as email with password on another instance: a child
 * process with a store of its own on the same database. Each try's rc
 * goes to rcs[0..n-1]. */
static void on_other_instance(struct fx *f, int n, const char *email,
			      const char *password, enum hh_rc *rcs)
{
	int fd[2];
	assert_int_equal(pipe(fd), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* no cmocka here, and _exit: the parent's stores, folders
		 * and databases are the parent's to close */
		close(fd[0]);
		struct hh_store *st = NULL;
		enum hh_rc rc = tu_on_pg()
					? hh_store_open_postgres(f->address, 1, &st)
					: hh_store_open_sqlite(f->address, 1, &st);
		struct hh_arena a;
		hh_arena_init(&a);
		for (int i = 0; i < n; i++) {
			struct hh_login out = { 0 };
			unsigned char r = rc != HH_OK ? (unsigned char)rc
				: (unsigned char)hh_auth_login(st, &a, email,
							       password,
							       next_client(),
							       &out);
			if (write(fd[1], &r, 1) != 1)
				_exit(2);
		}
		_exit(0);
	}
	close(fd[1]);
	for (int i = 0; i < n; i++) {
		unsigned char r = 0xff;
		assert_int_equal(read(fd[0], &r, 1), 1);
		rcs[i] = (enum hh_rc)r;
	}
	close(fd[0]);
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static int has_throttled_event(struct hh_store *st, const char *email)
{
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_user u;
	struct hh_tx *tx = tu_read_begin(st);
	assert_int_equal(st->user_get_by_email(tx, &a, email, &u), HH_OK);
	tu_read_end(tx);
	struct hh_event *e;
	size_t n = tu_events(st, &a, "user", u.id, &e);
	int found = 0;
	for (size_t i = 0; i < n; i++)
		found += !strcmp(e[i].action, "sign-in-throttled");
	hh_arena_clear(&a);
	return found;
}

/* Three failures here and two on the other instance are the account's
 * five: the next try, here, is refused even with the right password, as
 * after five failures on one instance; and so it is over there. */
static void failures_on_two_instances_add_up(void **state)
{
	struct fx *f = *state;
	for (int i = 0; i < 3; i++)
		assert_int_equal(sign_in(f, f->a, "editor@901", "wrong", NULL),
				 HH_ERR_FORBIDDEN);
	enum hh_rc rcs[3];
	on_other_instance(f, 2, "Editor@901", "wrong", rcs);
	assert_int_equal(rcs[0], HH_ERR_FORBIDDEN);
	assert_int_equal(rcs[1], HH_ERR_FORBIDDEN);
	/* the fifth failure started the throttling, and said so once */
	assert_int_equal(has_throttled_event(f->a, "editor@901"), 1);
	int retry = 0;
	assert_int_equal(sign_in(f, f->a, "editor@901", "password-1", &retry),
			 HH_ERR_LIMITED);
	assert_true(retry > 0 && retry <= HH_SIGNIN_ACCOUNT_REFILL);
	on_other_instance(f, 1, "editor@901", "password-1", rcs);
	assert_int_equal(rcs[0], HH_ERR_LIMITED);
	/* another account is not touched */
	assert_int_equal(sign_in(f, f->a, "agent@901", "password-1", NULL), HH_OK);
}

/* Four failures over there, then the right password here: the run is
 * over for both, and the account has its five failures again. */
static void a_right_password_ends_the_run_everywhere(void **state)
{
	struct fx *f = *state;
	enum hh_rc rcs[6];
	on_other_instance(f, 4, "editor@901", "wrong", rcs);
	for (int i = 0; i < 4; i++)
		assert_int_equal(rcs[i], HH_ERR_FORBIDDEN);
	assert_int_equal(sign_in(f, f->a, "editor@901", "password-1", NULL), HH_OK);
	assert_int_equal(tu_sql_int(f->dir, "SELECT count(*) FROM signin_failures",
				    0, NULL),
			 0);
	on_other_instance(f, 6, "editor@901", "wrong", rcs);
	for (int i = 0; i < 5; i++)
		assert_int_equal(rcs[i], HH_ERR_FORBIDDEN);
	assert_int_equal(rcs[5], HH_ERR_LIMITED);
}

/* The clock decides: five failures, then one per refill; the wait told
 * is until the next try. One row per account (a hash), and
 * rows of accounts whole again are dropped by the next failure, so
 * invented emails cannot fill the table. Unknown emails are throttled
 * as accounts are (the answer must not tell which emails exist). */
static void the_count_refills_and_forgets(void **state)
{
	struct fx *f = *state;
	int64_t t0 = hh_now_us();
	hh_clock_set_us(t0);
	for (int i = 0; i < HH_SIGNIN_ACCOUNT_BURST; i++) {
		struct hh_store *st = i % 2 ? f->a : f->b;
		assert_int_equal(sign_in(f, st, "nobody@901", "x", NULL),
				 HH_ERR_FORBIDDEN);
	}
	int retry = 0;
	assert_int_equal(sign_in(f, f->a, "nobody@901", "x", &retry),
			 HH_ERR_LIMITED);
	assert_int_equal(retry, HH_SIGNIN_ACCOUNT_REFILL);
	assert_int_equal(sign_in(f, f->b, "NOBODY@901", "x", &retry),
			 HH_ERR_LIMITED);
	/* a refill later: one try, and the wait starts again */
	hh_clock_set_us(t0 + (int64_t)HH_SIGNIN_ACCOUNT_REFILL * 1000000);
	assert_int_equal(sign_in(f, f->b, "nobody@901", "x", NULL),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(sign_in(f, f->a, "nobody@901", "x", &retry),
			 HH_ERR_LIMITED);
	assert_int_equal(retry, HH_SIGNIN_ACCOUNT_REFILL);
	/* one row for the account, however its email was written */
	assert_int_equal(tu_sql_int(f->dir, "SELECT count(*) FROM signin_failures",
				    0, NULL),
			 1);
	/* three more invented emails: a row each */
	for (int i = 0; i < 3; i++) {
		char email[32];
		snprintf(email, sizeof(email), "invented%d@901", i);
		assert_int_equal(sign_in(f, f->a, email, "x", NULL),
				 HH_ERR_FORBIDDEN);
	}
	assert_int_equal(tu_sql_int(f->dir, "SELECT count(*) FROM signin_failures",
				    0, NULL),
			 4);
	/* once they are all whole again, the next failure leaves only its
	 * own row */
	hh_clock_set_us(t0 + (int64_t)(1 + HH_SIGNIN_ACCOUNT_BURST + 1) *
				     HH_SIGNIN_ACCOUNT_REFILL * 1000000);
	assert_int_equal(sign_in(f, f->b, "invented9@901", "x", NULL),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(tu_sql_int(f->dir, "SELECT count(*) FROM signin_failures",
				    0, NULL),
			 1);
	/* and the account that was throttled has all its tries again */
	for (int i = 0; i < HH_SIGNIN_ACCOUNT_BURST; i++)
		assert_int_equal(sign_in(f, f->a, "nobody@901", "x", NULL),
				 HH_ERR_FORBIDDEN);
	assert_int_equal(sign_in(f, f->a, "nobody@901", "x", NULL),
			 HH_ERR_LIMITED);
}

struct racer {
	struct fx *f;
	struct hh_store *st;
	pthread_barrier_t *go;
	char client[32];
	enum hh_rc rc;
};

static void *race(void *p)
{
	struct racer *r = p;
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_login out = { 0 };
	pthread_barrier_wait(r->go);
	r->rc = hh_auth_login(r->st, &a, "editor@902", "wrong", r->client, &out);
	hh_arena_clear(&a);
	return NULL;
}

/* An account that has failed lately pays for each try in the store
 * before its password is checked: six tries at once, on two instances,
 * with two failures left, check two passwords and refuse the others. */
static void concurrent_tries_get_no_more_than_the_limit(void **state)
{
	struct fx *f = *state;
	for (int i = 0; i < HH_SIGNIN_ACCOUNT_BURST - 2; i++)
		assert_int_equal(sign_in(f, i % 2 ? f->a : f->b, "editor@902",
					 "wrong", NULL),
				 HH_ERR_FORBIDDEN);
	enum { N = 6 };
	struct racer r[N];
	pthread_t t[N];
	pthread_barrier_t go;
	pthread_barrier_init(&go, NULL, N);
	for (int i = 0; i < N; i++) {
		r[i] = (struct racer){ .f = f, .st = i % 2 ? f->a : f->b,
				       .go = &go };
		snprintf(r[i].client, sizeof(r[i].client), "10.8.0.%d", i + 1);
		pthread_create(&t[i], NULL, race, &r[i]);
	}
	int checked = 0, refused = 0, busy = 0;
	for (int i = 0; i < N; i++) {
		pthread_join(t[i], NULL);
		if (r[i].rc == HH_ERR_FORBIDDEN)
			checked++;
		else if (r[i].rc == HH_ERR_LIMITED)
			refused++;
		else if (r[i].rc == HH_ERR_BUSY) /* the retries ran out */
			busy++;
		else
			fail_msg("rc %d", r[i].rc);
	}
	pthread_barrier_destroy(&go);
	assert_true(checked >= 1 && checked <= 2);
	assert_int_equal(checked + refused + busy, N);
	assert_true(refused >= N - 2 - busy);
	assert_int_equal(sign_in(f, f->a, "editor@902", "password-1", NULL),
			 HH_ERR_LIMITED);
}

/* The account's key as auth.c makes it: the user's id when the email
 * names one. */
static void account_key(struct fx *f, const char *email, unsigned char key[32])
{
	char sql[200], account[64];
	snprintf(sql, sizeof(sql),
		 "SELECT id FROM users WHERE email = '%s'", email);
	snprintf(account, sizeof(account), "user:%lld",
		 (long long)tu_sql_int(f->dir, sql, 0, NULL));
	hh_vault_account_hash(NULL, account, key);
}

/* Puts the account's row of failures as one failure a moment ago leaves
 * it (one try spent), past the store. */
static void one_recent_failure(struct fx *f, const char *email)
{
	unsigned char key[32];
	account_key(f, email, key);
	char sql[200];
	snprintf(sql, sizeof(sql),
		 "INSERT INTO signin_failures(account_key, free_at) "
		 "VALUES (?1, %lld)",
		 (long long)(hh_now_us() + (int64_t)HH_SIGNIN_ACCOUNT_REFILL *
						   1000000));
	struct tu_sql_arg arg = TU_BLOB(key, 32);
	free(tu_sql(f->dir, "DELETE FROM signin_failures", 0, NULL));
	free(tu_sql(f->dir, sql, 1, &arg));
}

static int64_t count(struct fx *f, const char *sql)
{
	return tu_sql_int(f->dir, sql, 0, NULL);
}

/* The store fails at each of its calls in turn during the longest path,
 * a right password after a recent failure (the try paid before the
 * check, the row deleted with the session), and during a wrong one: the
 * answer is the store's error (or, for a wrong password, still
 * FORBIDDEN), no session is half made, and the account keeps one row. */
static void a_store_fault_half_makes_nothing(void **state)
{
	struct fx *f = *state;
	int n, sites = 0;
	for (n = 1; n < 50; n++) {
		one_recent_failure(f, "editor@901");
		hh_store_fault_inject(f->a, n, HH_ERR_IO);
		enum hh_rc rc = sign_in(f, f->a, "editor@901", "password-1", NULL);
		hh_store_fault_inject(f->a, 0, HH_OK);
		if (rc == HH_OK)
			break;
		assert_int_equal(rc, HH_ERR_IO);
		sites++;
		assert_int_equal(count(f, "SELECT count(*) FROM sessions"), 0);
		assert_int_equal(count(f, "SELECT count(*) FROM events "
					  "WHERE action = 'login'"),
				 0);
		assert_int_equal(count(f, "SELECT count(*) FROM signin_failures"), 1);
	}
	/* the read, the try paid first, the session's transaction */
	assert_true(sites >= 8);
	assert_int_equal(count(f, "SELECT count(*) FROM sessions"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM signin_failures"), 0);

	/* a wrong password: an error before the check, FORBIDDEN after
	 * (a failure that cannot be written is logged) */
	int errors = 0;
	for (n = 1; n <= 16; n++) {
		one_recent_failure(f, "editor@901");
		hh_store_fault_inject(f->a, n, HH_ERR_IO);
		enum hh_rc rc = sign_in(f, f->a, "editor@901", "wrong", NULL);
		hh_store_fault_inject(f->a, 0, HH_OK);
		assert_true(rc == HH_ERR_IO || rc == HH_ERR_FORBIDDEN);
		errors += rc == HH_ERR_IO;
		assert_int_equal(count(f, "SELECT count(*) FROM signin_failures"), 1);
	}
	assert_true(errors >= 5 && errors < 16);
}

/* Review of pg-throttle: a try is checked only once it is paid for.
 * The store fails at one of its calls in each try (each call in turn),
 * on an account with no failures yet: a try that is not counted is not
 * checked either, so no more than the allowance of wrong passwords is
 * ever answered "wrong" (FORBIDDEN); the rest are errors or LIMITED.
 * Before, a failure was written only after the check, and when that
 * write failed the guess had been checked for free. */
static void a_try_that_cannot_be_counted_is_not_checked(void **state)
{
	struct fx *f = *state;
	int checked = 0, limited = 0;
	for (int i = 0; i < 48; i++) {
		/* past a try's last call now and then: it goes through */
		hh_store_fault_inject(f->a, 1 + i % 16, HH_ERR_IO);
		enum hh_rc rc = sign_in(f, f->a, "editor@901", "wrong", NULL);
		hh_store_fault_inject(f->a, 0, HH_OK);
		assert_true(rc == HH_ERR_FORBIDDEN || rc == HH_ERR_IO ||
			    rc == HH_ERR_LIMITED);
		checked += rc == HH_ERR_FORBIDDEN;
		limited += rc == HH_ERR_LIMITED;
	}
	assert_true(checked <= HH_SIGNIN_ACCOUNT_BURST);
	assert_true(limited > 0);
	/* and the right password waits too */
	assert_int_equal(sign_in(f, f->a, "editor@901", "password-1", NULL),
			 HH_ERR_LIMITED);
}

/* Review of pg-throttle: PostgreSQL finds a user however its email's
 * letters are folded by lower() ("edİtor" is "editor" there; SQLite's
 * NOCASE folds ASCII only and finds no one). The count is the account's,
 * not the spelling's: five failures as "editor" leave no try to a
 * spelling that reaches the same account, right password or not. */
static void every_spelling_of_an_account_shares_its_count(void **state)
{
	struct fx *f = *state;
	for (int i = 0; i < HH_SIGNIN_ACCOUNT_BURST; i++)
		assert_int_equal(sign_in(f, f->a, "editor@901", "wrong", NULL),
				 HH_ERR_FORBIDDEN);
	const char *spellings[] = { "ed\xc4\xb0tor@901", "EDITOR@901" };
	for (size_t i = 0; i < 2; i++) {
		enum hh_rc rc = sign_in(f, f->a, spellings[i], "password-1", NULL);
		assert_int_not_equal(rc, HH_OK);
	}
	assert_int_equal(sign_in(f, f->a, "EDITOR@901", "password-1", NULL),
			 HH_ERR_LIMITED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(failures_on_two_instances_add_up,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			a_right_password_ends_the_run_everywhere, setup, teardown),
		cmocka_unit_test_setup_teardown(the_count_refills_and_forgets,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			concurrent_tries_get_no_more_than_the_limit, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			a_try_that_cannot_be_counted_is_not_checked, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			every_spelling_of_an_account_shares_its_count, setup,
			teardown),
		cmocka_unit_test_setup_teardown(a_store_fault_half_makes_nothing,
						setup, teardown),
	};
	return cmocka_run_group_tests_name("domain/signin", tests, NULL, NULL);
}
