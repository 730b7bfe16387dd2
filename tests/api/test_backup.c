/* test_backup.c - backups that restore (issue 17, point 5): `helhed
 * backup` taken from a real `helhed serve` while citizens keep submitting
 * cases through the API, restored into a new folder with `helhed
 * restore`, and `helhed serve` started on it: every case acknowledged
 * (201) before the backup began is there, none sent after it ended is,
 * and the restored store passes integrity_check. Then what restore
 * refuses, each with its message and nothing changed: a backup of a
 * store newer than the binary, a backup whose keys are missing, and a
 * store a running server holds. And `helhed migrate --dry-run` (issue
 * 17, point 6): what it lists, and that it changes nothing.
 *
 * The binary is $HELHED_BIN, else the helhed beside this test's build
 * folder; SQLite only (tests/testutil.h: tu_pg_sqlite_only). */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "testutil.h"

#include "api/real_server.h"

/* ---- running helhed ------------------------------------------------------ */

static int n_runs;

/* Runs helhed with args (NULL-terminated) to its end (fails the test
 * after two minutes); *out and *err get what it wrote (new). Returns its
 * exit status. */
static int run(const char *dir, char **out, char **err,
	       const char *const *args)
{
	char o[4300], e[4300];
	int k = n_runs++;
	snprintf(o, sizeof(o), "%s/run%d.out", dir, k);
	snprintf(e, sizeof(e), "%s/run%d.err", dir, k);
	const char *argv[24];
	int n = 0;
	argv[n++] = rs_bin;
	for (int i = 0; args[i] && n < 23; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		unsetenv("HELHED_DB");
		unsetenv("HELHED_KEY_FILE");
		int fo = open(o, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int fe = open(e, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fo < 0 || fe < 0)
			_exit(126);
		dup2(fo, 1);
		dup2(fe, 2);
		execv(rs_bin, (char *const *)argv);
		_exit(127);
	}
	/* two minutes at most: a backup whose steps restart on every commit
	 * would never end under the writers */
	int st;
	pid_t got = 0;
	for (int waited = 0; waited < 120000 && !got; waited += 10) {
		got = waitpid(pid, &st, WNOHANG);
		if (!got)
			usleep(10 * 1000);
	}
	if (!got) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		fail_msg("helhed %s did not end in two minutes", args[0]);
	}
	assert_int_equal(got, pid);
	*out = tu_read(o);
	*err = tu_read(e);
	assert_non_null(*out);
	assert_non_null(*err);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *o = fopen(to, "wb");
	assert_non_null(in);
	assert_non_null(o);
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, o), n);
	fclose(in);
	fclose(o);
}

static int exists(const char *path)
{
	struct stat s;
	return stat(path, &s) == 0;
}

/* ---- SQLite, read directly ----------------------------------------------- */

/* PRAGMA integrity_check's first line (new). */
static char *integrity(const char *path)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL),
			 SQLITE_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st,
					    NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	char *r = hh_xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return r;
}

static int user_version(const char *path, int set)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL),
			 SQLITE_OK);
	char sql[64];
	if (set) {
		snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", set);
		assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	}
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st,
					    NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* ---- citizens submitting cases ------------------------------------------- */

struct citizen {
	char cookie[160], csrf[64];
};

static void sign_in(int port, struct citizen *z)
{
	char url[128], setc[256];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/api/v1/citizen/session",
		 port);
	const char *h[] = { "Content-Type: application/json", NULL };
	struct tu_resp r = tu_http("POST", url,
				   "{\"subject\":\"demo:demo-mette\"}", h, NULL);
	assert_int_equal(r.status, 201);
	assert_true(tu_header(&r, "Set-Cookie", setc, sizeof(setc)));
	snprintf(z->cookie, sizeof(z->cookie), "%.*s", (int)strcspn(setc, ";"),
		 setc);
	snprintf(z->csrf, sizeof(z->csrf), "%s",
		 json_string_value(json_object_get(r.json, "csrf_token")));
	tu_resp_free(&r);
}

#define BODY                                                                   \
	"{\"case_type\":\"fejl-paa-vej\",\"values\":{\"kategori\":\"hul\","  \
	"\"sted\":\"Skovvej 12, 4700 Nordskov\",\"beskrivelse\":"            \
	"\"Et hul i vejen, nummer %d-%d\"}}"

/* When a submission was sent and when it was acknowledged, against the
 * backup: before it was started, while it ran, after it ended. */
enum phase { BEFORE, DURING, AFTER };

enum { THREADS = 2, MAX_ACKS = 20000 };

struct ack {
	int64_t id;
	enum phase sent, acked;
};

static struct ack acks[MAX_ACKS];
static int n_acks;
static enum phase phase;
static int stopping;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

struct submitter {
	int port, thread;
	const struct citizen *z;
};

static long submit(int port, const struct citizen *z, int a, int b,
		   int64_t *id)
{
	char url[128], body[512], csrf[96];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/api/v1/cases", port);
	snprintf(body, sizeof(body), BODY, a, b);
	snprintf(csrf, sizeof(csrf), "X-CSRF-Token: %.60s", z->csrf);
	/* no assertion here: cmocka cannot fail a test from a thread */
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: "
						       "application/json");
	h = curl_slist_append(h, csrf);
	struct hh_buf got;
	hh_buf_init(&got);
	CURL *c = curl_easy_init();
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_COOKIE, z->cookie);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, tu_collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &got);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	long status = 0;
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	json_t *j = json_loads(hh_buf_str(&got), 0, NULL);
	*id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	hh_buf_clear(&got);
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
	return status;
}

static void *submitting(void *p)
{
	struct submitter *s = p;
	for (int i = 0;; i++) {
		pthread_mutex_lock(&lock);
		enum phase sent = phase;
		int stop = stopping;
		pthread_mutex_unlock(&lock);
		if (stop)
			return NULL;
		int64_t id = 0;
		long status = submit(s->port, s->z, s->thread, i, &id);
		if (status == 0)
			return NULL; /* the server is gone: the test failed */
		if (status != 201 || id <= 0)
			continue; /* not acknowledged: no promise made */
		pthread_mutex_lock(&lock);
		if (n_acks < MAX_ACKS)
			acks[n_acks++] = (struct ack){ id, sent, phase };
		pthread_mutex_unlock(&lock);
	}
}

static int count_acks(int acked_before)
{
	int n = 0;
	pthread_mutex_lock(&lock);
	for (int k = 0; k < n_acks; k++)
		n += acked_before ? acks[k].acked == BEFORE : 1;
	pthread_mutex_unlock(&lock);
	return n;
}

static int case_there(int port, const struct citizen *z, int64_t id)
{
	char url[128];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/api/v1/cases/%lld", port,
		 (long long)id);
	struct tu_resp r = tu_http("GET", url, NULL, NULL, z->cookie);
	long status = r.status;
	tu_resp_free(&r);
	assert_true(status == 200 || status == 404);
	return status == 200;
}

/* ---- the test -------------------------------------------------------------- */

/* The server of the test running, killed by the teardown if a failed
 * assertion left it running. */
static struct rs_server s;
static pthread_t writers[THREADS];
static int n_writers;

static void stop_writers(void)
{
	pthread_mutex_lock(&lock);
	stopping = 1;
	pthread_mutex_unlock(&lock);
	for (int i = 0; i < n_writers; i++)
		pthread_join(writers[i], NULL);
	n_writers = 0;
}

static int teardown(void **state)
{
	(void)state;
	stop_writers();
	if (s.pid > 0) {
		kill(s.pid, SIGKILL);
		waitpid(s.pid, NULL, 0);
	}
	s.pid = 0;
	return 0;
}

static void stop_server(void)
{
	rs_stop(&s);
	s.pid = 0;
}

static void backup_under_writes_restores(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	char db[4200], bak[4200], keys[4300], restored_dir[4200],
		restored[4300];
	snprintf(db, sizeof(db), "%s/helhed.db", dir);
	snprintf(bak, sizeof(bak), "%s/nightly.db", dir);
	snprintf(keys, sizeof(keys), "%s.keys", bak);
	snprintf(restored_dir, sizeof(restored_dir), "%s/restored", dir);
	snprintf(restored, sizeof(restored), "%s/helhed.db", restored_dir);
	assert_int_equal(mkdir(restored_dir, 0700), 0);

	rs_start(&s, dir, db);
	static struct citizen z; /* the writers hold it until the teardown */
	sign_in(s.port, &z);
	static struct submitter sub[THREADS];
	for (int i = 0; i < THREADS; i++) {
		sub[i] = (struct submitter){ s.port, i, &z };
		pthread_create(&writers[n_writers++], NULL, submitting, &sub[i]);
	}
	while (count_acks(1) < 30)
		usleep(20 * 1000);

	/* small steps with pauses: the copy takes a while, and the
	 * server commits between its steps */
	pthread_mutex_lock(&lock);
	phase = DURING;
	pthread_mutex_unlock(&lock);
	char *out, *err;
	int rc = run(dir, &out, &err,
		     (const char *const[]){ "backup", bak, "--db", db,
					    "--with-keys", "--step-pages", "16",
					    "--pause-ms", "10", NULL });
	pthread_mutex_lock(&lock);
	phase = AFTER;
	int at_end = n_acks;
	pthread_mutex_unlock(&lock);
	if (rc)
		fprintf(stderr, "%s%s", out, err);
	assert_int_equal(rc, 0);
	/* the steps did not restart on the server's commits: about the
	 * pages over 16 of them */
	long long pages = 0;
	int steps = 0;
	assert_int_equal(sscanf(strstr(out, ": ") + 2, "%lld pages", &pages), 1);
	assert_non_null(strstr(out, "integrity_check ok"));
	const char *p = strstr(out, "s (");
	assert_non_null(p);
	assert_int_equal(sscanf(p, "s (%d steps)", &steps), 1);
	assert_true(steps <= pages / 16 + 2);
	assert_true(exists(keys));
	struct stat ks;
	assert_int_equal(stat(keys, &ks), 0);
	assert_int_equal(ks.st_mode & 0777, 0600);
	free(out);
	free(err);

	/* some submissions sent after the backup ended, then stop */
	while (count_acks(0) < at_end + 10)
		usleep(20 * 1000);
	stop_writers();
	stop_server();

	/* restore into a new folder, and serve it */
	rc = run(dir, &out, &err,
		 (const char *const[]){ "restore", bak, "--db", restored, NULL });
	if (rc)
		fprintf(stderr, "%s%s", out, err);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "restored"));
	free(out);
	free(err);
	char *ok = integrity(restored);
	assert_string_equal(ok, "ok");
	free(ok);

	rs_start(&s, restored_dir, restored);
	sign_in(s.port, &z);
	int before = 0, during = 0, after = 0, lost = 0, ghosts = 0;
	for (int k = 0; k < n_acks; k++) {
		int here = case_there(s.port, &z, acks[k].id);
		if (acks[k].acked == BEFORE) {
			before++;
			if (!here) {
				fprintf(stderr, "lost: case %lld, acknowledged "
						"before the backup\n",
					(long long)acks[k].id);
				lost++;
			}
		} else if (acks[k].sent == AFTER) {
			after++;
			if (here) {
				fprintf(stderr, "case %lld, sent after the backup "
						"ended, is in it\n",
					(long long)acks[k].id);
				ghosts++;
			}
		} else {
			during++;
		}
	}
	printf("# %d cases acknowledged before the backup, %d around it, %d "
	       "sent after it; %d lost, %d in it that were sent after it\n",
	       before, during, after, lost, ghosts);
	assert_true(before >= 30);
	assert_true(after >= 1);
	/* the writers were not held up: cases were acknowledged while the
	 * backup ran (in small steps with pauses, it takes a while) */
	assert_true(during >= 1);
	assert_int_equal(lost, 0);
	assert_int_equal(ghosts, 0);

	/* a store a server holds is not replaced */
	rc = run(dir, &out, &err,
		 (const char *const[]){ "restore", bak, "--db", restored, NULL });
	assert_int_equal(rc, 1);
	assert_non_null(strstr(err, "has"));
	assert_non_null(strstr(err, "open"));
	assert_non_null(strstr(err, "stop it first"));
	assert_non_null(strstr(err, "nothing changed"));
	free(out);
	free(err);
	assert_true(case_there(s.port, &z, acks[0].id));
	stop_server();
	tu_rmdir(dir);
}

/* The restore's refusals, nothing changed by any of them: a store newer
 * than this binary (a downgrade), a backup without its keys. */
static void restore_refuses_newer_and_keyless(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	char db[4200], bak[4200], newer[4200], bare[4200], target[4200];
	snprintf(db, sizeof(db), "%s/helhed.db", dir);
	snprintf(bak, sizeof(bak), "%s/b.db", dir);
	snprintf(newer, sizeof(newer), "%s/newer.db", dir);
	snprintf(bare, sizeof(bare), "%s/bare.db", dir);
	snprintf(target, sizeof(target), "%s/target.db", dir);
	rs_start(&s, dir, db); /* the demo content: citizens with a CPR */
	stop_server();
	char *out, *err;
	assert_int_equal(run(dir, &out, &err,
			     (const char *const[]){ "backup", bak, "--db", db,
						    "--with-keys", NULL }),
			 0);
	free(out);
	free(err);

	/* a newer schema: refused, with the message, and no file made */
	copy_file(bak, newer);
	int latest = user_version(bak, 0);
	user_version(newer, latest + 3);
	char kn[4300], kb[4300];
	snprintf(kn, sizeof(kn), "%s.keys", newer);
	snprintf(kb, sizeof(kb), "%s.keys", bak);
	copy_file(kb, kn);
	chmod(kn, 0600);
	int rc = run(dir, &out, &err,
		     (const char *const[]){ "restore", newer, "--db", target,
					    NULL });
	assert_int_equal(rc, 1);
	char want[128];
	snprintf(want, sizeof(want), "schema version %d, newer than this helhed",
		 latest + 3);
	assert_non_null(strstr(err, want));
	assert_non_null(strstr(err, "does not downgrade"));
	assert_non_null(strstr(err, "nothing changed"));
	assert_false(exists(target));
	free(out);
	free(err);

	/* serve and migrate refuse it too */
	rc = run(dir, &out, &err,
		 (const char *const[]){ "migrate", "--db", newer, NULL });
	assert_int_equal(rc, 1);
	assert_non_null(strstr(err, want));
	free(out);
	free(err);
	rc = run(dir, &out, &err,
		 (const char *const[]){ "serve", "--db", newer, "--listen",
					"127.0.0.1:0", "--quiet", NULL });
	assert_int_equal(rc, 1);
	assert_non_null(strstr(err, want));
	assert_null(strstr(out, "serving"));
	free(out);
	free(err);
	assert_int_equal(user_version(newer, 0), latest + 3);

	/* the keys missing: refused, saying so */
	copy_file(bak, bare);
	rc = run(dir, &out, &err,
		 (const char *const[]){ "restore", bare, "--db", target, NULL });
	assert_int_equal(rc, 1);
	assert_non_null(strstr(err, "keys of this backup are missing"));
	assert_non_null(strstr(err, "--keys"));
	assert_false(exists(target));
	free(out);
	free(err);

	/* with them given, it restores */
	rc = run(dir, &out, &err,
		 (const char *const[]){ "restore", bare, "--db", target, "--keys",
					kb, NULL });
	if (rc)
		fprintf(stderr, "%s%s", out, err);
	assert_int_equal(rc, 0);
	assert_true(exists(target));
	free(out);
	free(err);

	/* a PostgreSQL store is pointed to its own tools */
	rc = run(dir, &out, &err,
		 (const char *const[]){ "backup", bak, "--db",
					"postgresql://127.0.0.1/helhed", NULL });
	assert_int_equal(rc, 1);
	assert_non_null(strstr(err, "pg_dump"));
	assert_non_null(strstr(err, "docs/backup.md"));
	free(out);
	free(err);
	tu_rmdir(dir);
}

/* ---- upgrades ---------------------------------------------------------------- */

extern const char *const hh_sqlite_migrations[];

static char *file_bytes(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	struct hh_buf b;
	hh_buf_init(&b);
	char chunk[65536];
	size_t k;
	while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0)
		hh_buf_append(&b, chunk, k);
	fclose(f);
	*n = b.len;
	return b.data;
}

/* migrate --dry-run lists what would run, by level and file, and
 * changes not a byte of the database (nor makes a key file); migrate
 * then runs exactly that. */
static void migrate_dry_run_lists_and_changes_nothing(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	char db[4200], keys[4300];
	snprintf(db, sizeof(db), "%s/old.db", dir);
	snprintf(keys, sizeof(keys), "%s.keys", db);
	int latest = 0;
	while (hh_sqlite_migrations[latest])
		latest++;
	enum { LEVEL = 20 };
	sqlite3 *sq;
	assert_int_equal(sqlite3_open(db, &sq), SQLITE_OK);
	for (int k = 1; k <= LEVEL; k++) {
		char v[64];
		snprintf(v, sizeof(v), "PRAGMA user_version=%d", k);
		assert_int_equal(sqlite3_exec(sq, hh_sqlite_migrations[k - 1], NULL,
					      NULL, NULL),
				 SQLITE_OK);
		assert_int_equal(sqlite3_exec(sq, v, NULL, NULL, NULL), SQLITE_OK);
	}
	sqlite3_close(sq);
	size_t n0, n1;
	char *before = file_bytes(db, &n0);

	char *out, *err;
	int rc = run(dir, &out, &err,
		     (const char *const[]){ "migrate", "--dry-run", "--db", db,
					    NULL });
	assert_int_equal(rc, 0);
	char want[128];
	snprintf(want, sizeof(want), "schema version %d (latest %d); these %d "
				     "migrations would run",
		 LEVEL, latest, latest - LEVEL);
	assert_non_null(strstr(out, want));
	/* each by level and file name; the names come from the SQL */
	int lines = 0;
	for (const char *p = strchr(out, '\n'); p && p[1]; p = strchr(p + 1, '\n'))
		lines++;
	assert_int_equal(lines, latest - LEVEL);
	assert_non_null(strstr(out, " 21  0022_figures_cover.sql\n"));
	assert_null(strstr(out, "0020_figures.sql"));
	free(out);
	free(err);
	char *after = file_bytes(db, &n1);
	assert_int_equal(n0, n1);
	assert_memory_equal(before, after, n0);
	free(after);
	assert_false(exists(keys));

	rc = run(dir, &out, &err, (const char *const[]){ "migrate", "--db", db,
							NULL });
	assert_int_equal(rc, 0);
	free(out);
	free(err);
	assert_int_equal(user_version(db, 0), latest);
	rc = run(dir, &out, &err,
		 (const char *const[]){ "migrate", "--dry-run", "--db", db,
					NULL });
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "no migration would run"));
	free(out);
	free(err);
	free(before);
	tu_rmdir(dir);
}

int main(int argc, char **argv)
{
	(void)argc;
	if (!rs_find_bin(argv[0], "test_backup"))
		return 1;
	signal(SIGPIPE, SIG_IGN);
	curl_global_init(CURL_GLOBAL_ALL);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(backup_under_writes_restores, teardown),
		cmocka_unit_test_teardown(restore_refuses_newer_and_keyless,
					  teardown),
		cmocka_unit_test_teardown(migrate_dry_run_lists_and_changes_nothing,
					  teardown),
	};
	int rc = tu_run_group("api/test_backup", tests,
			      sizeof(tests) / sizeof(tests[0]), NULL, NULL);
	curl_global_cleanup();
	return rc;
}
