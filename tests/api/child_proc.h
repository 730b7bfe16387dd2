/* child_proc.h - helhed as a child process, for the tests of its
 * commands (test_cli.c, test_ops.c): a child's stdout and stderr go to
 * files in the test's temporary folder, children left running are killed
 * in the teardown, and the binary is $HELHED_BIN, else the helhed next to
 * the test's build folder, else build/helhed. */
#ifndef HH_TEST_CHILD_PROC_H
#define HH_TEST_CHILD_PROC_H

#include "testutil.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

static char bin[4096] = "build/helhed";

#define MAX_CHILDREN 8

struct ctx {
	char *dir;
	pid_t children[MAX_CHILDREN];
	int n_children;
	int n_runs; /* names the output files */
};

struct child {
	pid_t pid;
	char out[4200], err[4200]; /* paths of the captured stdout, stderr */
};

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static inline void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* Starts bin with args (NULL-terminated) and env ("NAME=value" sets,
 * "NAME" unsets; NULL-terminated, may be NULL). HELHED_* settings of the
 * test's own environment are cleared first so they cannot leak in. */
static inline void spawn(struct ctx *c, struct child *ch, const char *const *args,
		  const char *const *env)
{
	int k = c->n_runs++;
	snprintf(ch->out, sizeof(ch->out), "%s/run%d.out", c->dir, k);
	snprintf(ch->err, sizeof(ch->err), "%s/run%d.err", c->dir, k);
	const char *argv[32];
	int n = 0;
	argv[n++] = bin;
	for (int i = 0; args[i]; i++) {
		assert_true(n < 31);
		argv[n++] = args[i];
	}
	argv[n] = NULL;
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		static const char *const clear[] = {
			"HELHED_LISTEN", "HELHED_DB",	   "HELHED_DEMO",
			"HELHED_THREADS", "HELHED_CONTENT", "HELHED_WEB",
			"HELHED_QUIET",	 "HELHED_PASSWORD", "HELHED_CONFIG",
			"HELHED_LOG_LEVEL", "NOTIFY_SOCKET", "WATCHDOG_USEC",
			"WATCHDOG_PID", NULL
		};
		for (int i = 0; clear[i]; i++)
			unsetenv(clear[i]);
		/* not this machine's /etc/helhed/helhed.conf, unless a test
		 * names a file */
		setenv("HELHED_CONFIG", "none", 1);
		for (int i = 0; env && env[i]; i++) {
			const char *eq = strchr(env[i], '=');
			if (!eq) {
				unsetenv(env[i]);
				continue;
			}
			char name[128];
			snprintf(name, sizeof(name), "%.*s", (int)(eq - env[i]),
				 env[i]);
			setenv(name, eq + 1, 1);
		}
		int in = open("/dev/null", O_RDONLY);
		int out = open(ch->out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int err = open(ch->err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (in < 0 || out < 0 || err < 0)
			_exit(126);
		dup2(in, 0);
		dup2(out, 1);
		dup2(err, 2);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	ch->pid = pid;
	assert_true(c->n_children < MAX_CHILDREN);
	c->children[c->n_children++] = pid;
}

static inline void forget(struct ctx *c, pid_t pid)
{
	for (int i = 0; i < c->n_children; i++)
		if (c->children[i] == pid)
			c->children[i] = c->children[--c->n_children];
}

/* Waits at most timeout_ms for the child; returns its exit status, 128 +
 * the signal that ended it, or -1 on timeout (the child is then still
 * running and the teardown kills it). */
static inline int wait_child(struct ctx *c, struct child *ch, int timeout_ms)
{
	for (int waited = 0;; waited += 10) {
		int st;
		pid_t p = waitpid(ch->pid, &st, WNOHANG);
		if (p == ch->pid) {
			forget(c, ch->pid);
			if (WIFEXITED(st))
				return WEXITSTATUS(st);
			return 128 + WTERMSIG(st);
		}
		if (waited >= timeout_ms)
			return -1;
		sleep_ms(10);
	}
}

/* Runs to completion (at most two minutes); *out and *err get what the
 * child wrote (new). */
static inline int run(struct ctx *c, char **out, char **err, const char *const *env,
	       const char *const *args)
{
	struct child ch;
	spawn(c, &ch, args, env);
	int rc = wait_child(c, &ch, 120000);
	assert_true(rc >= 0);
	*out = tu_read(ch.out);
	*err = tu_read(ch.err);
	assert_non_null(*out);
	assert_non_null(*err);
	return rc;
}

/* Waits at most timeout_ms until the file contains needle; gives up early
 * when the child has exited. Returns the file's text (new) or NULL. */
static inline char *wait_for_text(struct child *ch, const char *path,
			   const char *needle, int timeout_ms)
{
	for (int waited = 0; waited <= timeout_ms; waited += 10) {
		char *t = tu_read(path);
		if (t && strstr(t, needle))
			return t;
		free(t);
		/* Has it exited? Ask without reaping it: wait_child does. */
		siginfo_t si;
		memset(&si, 0, sizeof(si));
		if (waitid(P_PID, (id_t)ch->pid, &si,
			   WEXITED | WNOHANG | WNOWAIT) != 0 ||
		    si.si_pid == ch->pid)
			break;
		sleep_ms(10);
	}
	char *t = tu_read(path), *e = tu_read(ch->err);
	fprintf(stderr, "'%s' not seen in %s:\n%s\nstderr:\n%s\n", needle, path,
		t ? t : "", e ? e : "");
	free(t);
	free(e);
	return NULL;
}

/* Starts serve with args and env and waits for "serving http://..."; the
 * port goes to *port and the stdout so far to *banner (new, may be NULL). */
static inline void serve(struct ctx *c, struct child *ch, const char *const *env,
		  const char *const *args, int *port, char **banner)
{
	spawn(c, ch, args, env);
	char *t = wait_for_text(ch, ch->out, "serving http://127.0.0.1:", 120000);
	assert_non_null(t);
	const char *p = strstr(t, "serving http://127.0.0.1:") +
			strlen("serving http://127.0.0.1:");
	*port = (int)strtol(p, NULL, 10);
	assert_true(*port > 0 && *port < 65536);
	if (banner)
		*banner = t;
	else
		free(t);
}

/* Sends sig and expects the server to exit 0 within 30 s. */
static inline void stop(struct ctx *c, struct child *ch, int sig)
{
	assert_int_equal(kill(ch->pid, sig), 0);
	int rc = wait_child(c, ch, 30000);
	if (rc != 0) {
		char *e = tu_read(ch->err);
		fprintf(stderr, "serve exited %d:\n%s\n", rc, e ? e : "");
		free(e);
	}
	assert_int_equal(rc, 0);
}

static inline struct tu_resp http_get(int port, const char *path)
{
	char url[512];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", port, path);
	return tu_http("GET", url, NULL, NULL, NULL);
}

static inline char *path_in(struct ctx *c, const char *name)
{
	static char p[8][4200];
	static int k;
	char *out = p[k++ % 8];
	snprintf(out, sizeof(p[0]), "%s/%s", c->dir, name);
	return out;
}

static inline int setup(void **state)
{
	struct ctx *c = hh_xcalloc(1, sizeof(*c));
	c->dir = tu_tmpdir();
	*state = c;
	return 0;
}

static inline int teardown(void **state)
{
	struct ctx *c = *state;
	for (int i = 0; i < c->n_children; i++) {
		kill(c->children[i], SIGKILL);
		waitpid(c->children[i], NULL, 0);
	}
	tu_rmdir(c->dir);
	free(c);
	return 0;
}

/* HELHED_BIN, else DIR/helhed for a test at DIR/<test>, else
 * build/helhed. */
static inline void find_binary(const char *argv0, const char *test)
{
	const char *env = getenv("HELHED_BIN");
	if (env && *env) {
		snprintf(bin, sizeof(bin), "%s", env);
		return;
	}
	const char *tail = strstr(argv0, test);
	if (tail) {
		char guess[4096];
		snprintf(guess, sizeof(guess), "%.*shelhed", (int)(tail - argv0),
			 argv0);
		if (access(guess, X_OK) == 0)
			snprintf(bin, sizeof(bin), "%s", guess);
	}
}

#endif
