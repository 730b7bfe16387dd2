/* real_server.h - the real `helhed serve` binary as a child process, for
 * the tests that kill it or stop it (test_crash.c, test_chat_crash.c,
 * test_delivery.c, ...): started on a database with the demo content,
 * killed with SIGKILL or stopped with SIGTERM. Include after testutil.h. */
#ifndef HH_TESTS_REAL_SERVER_H
#define HH_TESTS_REAL_SERVER_H

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

/* The binary: HELHED_BIN, else helhed beside the build's tests/. */
static char rs_bin[4096] = "build/helhed";

struct rs_server {
	pid_t pid;
	int port;
	char out[4200];
};

/* Finds the binary from argv[0] (this test is tests/api/NAME); 0 and a
 * message when it is not there. */
static inline int rs_find_bin(const char *argv0, const char *name)
{
	char me[256];
	snprintf(me, sizeof(me), "tests/api/%s", name);
	const char *env = getenv("HELHED_BIN");
	const char *tail = strstr(argv0, me);
	if (env && *env)
		snprintf(rs_bin, sizeof(rs_bin), "%s", env);
	else if (tail)
		snprintf(rs_bin, sizeof(rs_bin), "%.*shelhed",
			 (int)(tail - argv0), argv0);
	if (access(rs_bin, X_OK) != 0) {
		fprintf(stderr, "%s: %s is not an executable\n", name, rs_bin);
		return 0;
	}
	return 1;
}

/* Starts `helhed serve --demo` on db, a file or a PostgreSQL address
 * (output in dir); waits for its URL. A PostgreSQL address has no
 * "beside": the key file and the spool are then given where SQLite's
 * defaults would put them for dir/helhed.db (dir/helhed.db.keys and
 * dir/helhed.db.spool), so a test finds them in one place on both. */
static inline void rs_start(struct rs_server *s, const char *dir, const char *db)
{
	char keys[4300], spool[4300];
	int pg = hh_store_is_postgres(db);
	snprintf(keys, sizeof(keys), "%s/helhed.db.keys", dir);
	snprintf(spool, sizeof(spool), "%s/helhed.db.spool", dir);
	snprintf(s->out, sizeof(s->out), "%s/out.txt", dir);
	unlink(s->out);
	s->pid = fork();
	assert_true(s->pid >= 0);
	if (s->pid == 0) {
		FILE *o = freopen(s->out, "w", stdout);
		(void)o;
		char err[4300];
		snprintf(err, sizeof(err), "%s/err.txt", dir);
		FILE *e = freopen(err, "a", stderr);
		(void)e;
		execl(rs_bin, rs_bin, "serve", "--demo", "--db", db, "--content",
		      "content", "--listen", "127.0.0.1:0", "--quiet",
		      "--write-limits", "0/0/0",
		      pg ? "--key-file" : (char *)NULL, keys, "--spool", spool,
		      (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 1200; i++) {
		char *t = tu_read(s->out);
		const char *p = t ? strstr(t, "serving http://127.0.0.1:") : NULL;
		if (p) {
			s->port = atoi(p + strlen("serving http://127.0.0.1:"));
			free(t);
			return;
		}
		free(t);
		int status;
		assert_int_equal(waitpid(s->pid, &status, WNOHANG), 0);
		usleep(100 * 1000);
	}
	fail_msg("the server did not start");
}

/* Starts it on the store of test folder dir (tu_store_address): the
 * SQLite file dir/helhed.db, or dir's PostgreSQL database on the
 * PostgreSQL pass. */
static inline void rs_start_store(struct rs_server *s, const char *dir)
{
	char addr[4200];
	rs_start(s, dir, tu_store_address(dir, addr, sizeof(addr)));
}

static inline void rs_kill9(struct rs_server *s)
{
	assert_int_equal(kill(s->pid, SIGKILL), 0);
	int status;
	assert_int_equal(waitpid(s->pid, &status, 0), s->pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

static inline void rs_stop(struct rs_server *s)
{
	kill(s->pid, SIGTERM);
	int status;
	waitpid(s->pid, &status, 0);
}

#endif
