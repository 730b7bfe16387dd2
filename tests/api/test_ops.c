/* test_ops.c - helhed serve as a service runs it (issue 17): the
 * configuration file and its precedence (flag > environment > file >
 * default), its errors, secrets only from files, the log level, systemd's
 * readiness protocol (sd_notify over $NOTIFY_SOCKET, tested without
 * systemd on a datagram socket the test binds), and no personal data in
 * the request log.
 *
 * The helpers are in tests/api/child_proc.h (a child's stdout and stderr go to files
 * in the test's temporary folder; children left running are killed in the
 * teardown). The binary is $HELHED_BIN, else the helhed next to this
 * test's build folder, else build/helhed. */
#include "testutil.h"

#include "api/child_proc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

/* ---- fixture ---- */

/* ---- helpers of this file ------------------------------------------------ */

/* Writes text to the file name in the test's folder with mode; returns
 * its path (path_in's rotating buffer). */
static char *write_file(struct ctx *c, const char *name, const char *text,
			mode_t mode)
{
	char *p = path_in(c, name);
	tu_write(p, text);
	assert_int_equal(chmod(p, mode), 0);
	return p;
}

/* Runs serve, expects exit status 2 and that stderr has want; nothing on
 * stdout (it did not start). */
static void expect_refused(struct ctx *c, const char *const *env,
			   const char *const *args, const char *want)
{
	char *out, *err;
	int rc = run(c, &out, &err, env, args);
	if (rc != 2 || !strstr(err, want))
		fprintf(stderr, "status %d, stderr [%s], wanted [%s]\n", rc, err,
			want);
	assert_int_equal(rc, 2);
	assert_non_null(strstr(err, want));
	assert_string_equal(out, "");
	free(out);
	free(err);
}

static int logged_request(struct child *ch, const char *path)
{
	char *log = tu_read(ch->err);
	char want[256];
	snprintf(want, sizeof(want), "\"path\":\"%s\"", path);
	int seen = log && strstr(log, want) != NULL;
	free(log);
	return seen;
}

/* Serves with env and args, asks /healthz, stops; returns whether the
 * request was logged and the banner's database in db (n bytes). */
static int serve_once(struct ctx *c, const char *const *env,
		      const char *const *args, char *db, size_t n)
{
	struct child ch;
	int port;
	char *banner;
	serve(c, &ch, env, args, &port, &banner);
	const char *d = strstr(banner, "(database ");
	assert_non_null(d);
	d += strlen("(database ");
	snprintf(db, n, "%.*s", (int)strcspn(d, ","), d);
	free(banner);
	struct tu_resp r = http_get(port, "/healthz");
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	stop(c, &ch, SIGTERM);
	return logged_request(&ch, "/healthz");
}

/* ---- the configuration file: each level of the precedence ----------------- */

static void the_file_sets_what_the_environment_does(void **state)
{
	struct ctx *c = *state;
	char conf_text[8800], db[4300];
	snprintf(conf_text, sizeof(conf_text),
		 "# a comment, then a blank line\n\n"
		 "listen = 127.0.0.1:0\n"
		 "  db   =   %s  \n"
		 "quiet = yes\n"
		 "threads = 2\n",
		 path_in(c, "file.db"));
	const char *conf = write_file(c, "a.conf", conf_text, 0644);
	int logged = serve_once(c, NULL, ARGS("serve", "--config", conf), db,
				sizeof(db));
	assert_string_equal(db, path_in(c, "file.db"));
	assert_false(logged); /* quiet = yes */
	/* HELHED_CONFIG names the file as --config does */
	char env_conf[4300];
	snprintf(env_conf, sizeof(env_conf), "HELHED_CONFIG=%s", conf);
	logged = serve_once(c, ARGS(env_conf), ARGS("serve"), db, sizeof(db));
	assert_string_equal(db, path_in(c, "file.db"));
	assert_false(logged);
}

static void the_environment_wins_over_the_file(void **state)
{
	struct ctx *c = *state;
	char conf_text[8800], db[4300], env_db[4300];
	snprintf(conf_text, sizeof(conf_text),
		 "listen = 127.0.0.1:0\ndb = %s\nquiet = yes\n",
		 path_in(c, "file.db"));
	const char *conf = write_file(c, "b.conf", conf_text, 0644);
	snprintf(env_db, sizeof(env_db), "HELHED_DB=%s", path_in(c, "env.db"));
	int logged = serve_once(c, ARGS(env_db, "HELHED_QUIET=0"),
				ARGS("serve", "--config", conf), db, sizeof(db));
	assert_string_equal(db, path_in(c, "env.db"));
	assert_true(logged); /* HELHED_QUIET=0 over quiet = yes */
}

static void a_flag_wins_over_the_environment_and_the_file(void **state)
{
	struct ctx *c = *state;
	char conf_text[8800], db[4300], env_db[4300];
	snprintf(conf_text, sizeof(conf_text),
		 "listen = 127.0.0.1:1\ndb = %s\nquiet = no\n",
		 path_in(c, "file.db"));
	const char *conf = write_file(c, "c.conf", conf_text, 0644);
	snprintf(env_db, sizeof(env_db), "HELHED_DB=%s", path_in(c, "env.db"));
	int logged = serve_once(c, ARGS(env_db, "HELHED_QUIET=0",
					"HELHED_LISTEN=127.0.0.1:2"),
				ARGS("serve", "--config", conf, "--db",
				     path_in(c, "flag.db"), "--quiet", "--listen",
				     "127.0.0.1:0"),
				db, sizeof(db));
	assert_string_equal(db, path_in(c, "flag.db"));
	assert_false(logged);
}

static void without_a_file_the_defaults_hold(void **state)
{
	struct ctx *c = *state;
	char db[4300];
	/* "none": no file, not even /etc/helhed/helhed.conf; quiet's
	 * default is off, so the request is logged */
	int logged = serve_once(c, NULL,
				ARGS("serve", "--config", "none", "--listen",
				     "127.0.0.1:0", "--db", path_in(c, "d.db")),
				db, sizeof(db));
	assert_true(logged);
	/* a file that does not say quiet leaves the default too */
	const char *conf = write_file(c, "d.conf", "threads = 1\n", 0644);
	logged = serve_once(c, NULL,
			    ARGS("serve", "--config", conf, "--listen",
				 "127.0.0.1:0", "--db", path_in(c, "d.db")),
			    db, sizeof(db));
	assert_true(logged);
}

static void the_other_commands_read_the_file_too(void **state)
{
	struct ctx *c = *state;
	char conf_text[8800], db[4300], env_conf[4400];
	snprintf(db, sizeof(db), "%s", path_in(c, "admin.db"));
	snprintf(conf_text, sizeof(conf_text), "db = %s\nthreads = 2\n", db);
	const char *conf = write_file(c, "admin.conf", conf_text, 0644);
	snprintf(env_conf, sizeof(env_conf), "HELHED_CONFIG=%s", conf);
	char *out, *err;
	assert_int_equal(run(c, &out, &err, ARGS(env_conf), ARGS("migrate")), 0);
	assert_non_null(strstr(out, db)); /* the database the file names */
	free(out);
	free(err);
	/* and stop on a bad one, naming it */
	conf = write_file(c, "admin.conf", "db = x\nthreds = 2\n", 0644);
	assert_int_equal(run(c, &out, &err, ARGS(env_conf), ARGS("migrate")), 2);
	assert_non_null(strstr(err, "admin.conf:2: unknown key 'threds'"));
	free(out);
	free(err);
}

/* ---- the configuration file: errors --------------------------------------- */

static void a_bad_file_names_file_and_line_and_nothing_starts(void **state)
{
	struct ctx *c = *state;
	char conf_text[8800], want[4400], db[4300];
	/* a copy: path_in's buffers are reused */
	snprintf(db, sizeof(db), "%s", path_in(c, "never.db"));
	static const struct {
		const char *lines, *what;
		int line;
	} bad[] = {
		{ "threads = 2\nthread = 3\n", "unknown key 'thread'", 2 },
		{ "# c\n\nthreads = 0\n", "'threads' must be a whole number from 1 "
					  "to 256, not '0'", 3 },
		{ "threads = 2x\n", "'threads' must be a whole number", 1 },
		{ "quiet = perhaps\n", "'quiet' must be yes or no", 1 },
		{ "listen = 8080\n", "'listen' must be HOST:PORT", 1 },
		{ "public_url = borger.dk\n", "'public_url' must start with http://", 1 },
		{ "print_time = 25:00\n", "'print_time' must be HH:MM or off", 1 },
		{ "log_level = loud\n", "'log_level' must be debug, info, warn or error", 1 },
		{ "write_limits = 1/2\n", "'write_limits' must be three numbers", 1 },
		{ "threads = 2\nweb = w\nthreads = 3\n", "'threads' is set twice "
							 "(also on line 2)", 3 },
		{ "threads 2\n", "not 'key = value'", 1 },
		{ "web =\n", "'web' has no value", 1 },
		{ "key_file = relative.keys\n", "'key_file' must be the absolute path", 1 },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(conf_text, sizeof(conf_text), "db = %s\n%s", db,
			 bad[i].lines);
		const char *conf = write_file(c, "bad.conf", conf_text, 0644);
		/* line numbers count the db line above */
		snprintf(want, sizeof(want), "%s:%d: %s", conf, bad[i].line + 1,
			 bad[i].what);
		expect_refused(c, NULL, ARGS("serve", "--config", conf), want);
	}
	/* a file named but missing */
	expect_refused(c, NULL,
		       ARGS("serve", "--config", path_in(c, "missing.conf")),
		       "missing.conf: No such file or directory");
	/* no database was made: nothing started */
	struct stat st;
	assert_int_equal(stat(db, &st), -1);
}

/* ---- secrets -------------------------------------------------------------- */

static void secrets_come_from_files_only(void **state)
{
	struct ctx *c = *state;
	const char *db = path_in(c, "s.db");
	/* a secret as a value: refused on the command line and in the
	 * environment */
	expect_refused(c, NULL,
		       ARGS("serve", "--db", db, "--oidc-citizen-client-secret",
			    "hemmelig"),
		       "--oidc-citizen-client-secret is refused");
	expect_refused(c, NULL,
		       ARGS("serve", "--db", db, "--oidc-cookie-key",
			    "0011223344556677889900112233445566778899001122334455"
			    "667788990011"),
		       "--oidc-cookie-key is refused");
	expect_refused(c, ARGS("HELHED_OIDC_STAFF_CLIENT_SECRET=hemmelig"),
		       ARGS("serve", "--db", db),
		       "HELHED_OIDC_STAFF_CLIENT_SECRET is refused");
	expect_refused(c, ARGS("HELHED_OIDC_COOKIE_KEY=00"),
		       ARGS("serve", "--db", db),
		       "HELHED_OIDC_COOKIE_KEY_FILE=FILE");
	/* a secret file anyone may read: refused */
	const char *secret = write_file(c, "cookie.key",
					"00112233445566778899aabbccddeeff"
					"00112233445566778899aabbccddeeff\n",
					0644);
	expect_refused(c, NULL,
		       ARGS("serve", "--db", db, "--oidc-cookie-key-file",
			    secret),
		       "may be read by anyone (mode 0644)");
	/* an empty one too */
	const char *empty = write_file(c, "empty.secret", "\n", 0600);
	expect_refused(c, NULL,
		       ARGS("serve", "--db", db,
			    "--oidc-staff-client-secret-file", empty),
		       "must be one line, not empty");
	/* readable by owner and group only: read, and the server starts */
	assert_int_equal(chmod(secret, 0640), 0);
	struct child ch;
	int port;
	serve(c, &ch, NULL,
	      ARGS("serve", "--db", db, "--listen", "127.0.0.1:0", "--quiet",
		   "--oidc-cookie-key-file", secret),
	      &port, NULL);
	stop(c, &ch, SIGTERM);
	/* a bad key in the file is the OpenID Connect setup's error */
	const char *short_key = write_file(c, "short.key", "0011\n", 0600);
	char *out, *err;
	assert_int_equal(run(c, &out, &err, NULL,
			     ARGS("serve", "--db", db,
				  "--oidc-cookie-key-file", short_key)),
			 2);
	assert_null(strstr(err, "0011")); /* the secret is not echoed */
	free(out);
	free(err);
}

static void a_file_naming_secrets_must_not_be_world_readable(void **state)
{
	struct ctx *c = *state;
	char conf_text[8800];
	const char *keys = path_in(c, "cpr.keys");
	snprintf(conf_text, sizeof(conf_text),
		 "listen = 127.0.0.1:0\ndb = %s\nkey_file = %s\nquiet = yes\n",
		 path_in(c, "k.db"), keys);
	const char *conf = write_file(c, "k.conf", conf_text, 0644);
	expect_refused(c, NULL, ARGS("serve", "--config", conf),
		       "names secret files and anyone may read it (mode 0644)");
	/* one anyone may change: refused, secrets or not */
	assert_int_equal(chmod(conf, 0662), 0);
	expect_refused(c, NULL, ARGS("serve", "--config", conf),
		       "anyone may change");
	assert_int_equal(chmod(conf, 0640), 0);
	struct child ch;
	int port;
	serve(c, &ch, NULL, ARGS("serve", "--config", conf), &port, NULL);
	stop(c, &ch, SIGTERM);
	/* the key file named there was the one used */
	struct stat st;
	assert_int_equal(stat(keys, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
}

/* ---- the log level -------------------------------------------------------- */

static void the_log_level_leaves_out_lines_below_it(void **state)
{
	struct ctx *c = *state;
	const char *db = path_in(c, "l.db");
	struct child ch;
	int port;
	serve(c, &ch, NULL,
	      ARGS("serve", "--db", db, "--listen", "127.0.0.1:0",
		   "--log-level", "warn"),
	      &port, NULL);
	struct tu_resp r = http_get(port, "/healthz");
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	stop(c, &ch, SIGTERM);
	char *log = tu_read(ch.err);
	assert_null(strstr(log, "\"path\":\"/healthz\"")); /* no request lines */
	assert_null(strstr(log, "helhed info:"));	  /* no info lines */
	free(log);
	/* debug: the request lines and the info lines */
	serve(c, &ch, ARGS("HELHED_LOG_LEVEL=debug"),
	      ARGS("serve", "--db", db, "--listen", "127.0.0.1:0"), &port, NULL);
	r = http_get(port, "/healthz");
	tu_resp_free(&r);
	stop(c, &ch, SIGTERM);
	log = tu_read(ch.err);
	assert_non_null(strstr(log, "\"path\":\"/healthz\""));
	assert_non_null(strstr(log, "helhed info: stopped"));
	free(log);
	char *out, *err;
	assert_int_equal(run(c, &out, &err, NULL,
			     ARGS("serve", "--db", db, "--log-level", "loud")),
			 2);
	assert_non_null(strstr(err, "--log-level must be debug, info, warn or "
				    "error, not 'loud'"));
	free(out);
	free(err);
}

/* ---- systemd's readiness protocol --------------------------------------- */

/* Receives one datagram on fd within timeout_ms into buf (n bytes);
 * returns its length or -1. */
static int recv_within(int fd, char *buf, size_t n, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	if (poll(&p, 1, timeout_ms) != 1)
		return -1;
	ssize_t got = recv(fd, buf, n - 1, 0);
	if (got < 0)
		return -1;
	buf[got] = '\0';
	return (int)got;
}

/* Waits for a datagram holding want (other datagrams skipped); returns
 * 1 when seen within timeout_ms. */
static int wait_for_notify(int fd, const char *want, int timeout_ms)
{
	char buf[1024];
	for (int waited = 0; waited < timeout_ms; waited += 100) {
		if (recv_within(fd, buf, sizeof(buf), 100) > 0 && strstr(buf, want))
			return 1;
	}
	return 0;
}

static void serve_tells_systemd_ready_watchdog_and_stopping(void **state)
{
	struct ctx *c = *state;
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char *sock = path_in(c, "notify");
	assert_true(strlen(sock) < sizeof(sa.sun_path));
	strcpy(sa.sun_path, sock);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	char env_sock[200];
	snprintf(env_sock, sizeof(env_sock), "NOTIFY_SOCKET=%s", sock);
	/* the watchdog every 2 s: serve feeds it from its 1 s loop */
	struct child ch;
	spawn(c, &ch,
	      ARGS("serve", "--demo", "--content", "content", "--db",
		   path_in(c, "n.db"), "--listen", "127.0.0.1:0", "--quiet",
		   "--threads", "2"),
	      ARGS(env_sock, "WATCHDOG_USEC=2000000"));
	/* READY=1 comes once the server would answer /readyz 200: after the
	 * first start's import and the index, with the port printed */
	assert_true(wait_for_notify(fd, "READY=1", 120000));
	char *out = tu_read(ch.out);
	const char *p = strstr(out, "serving http://127.0.0.1:");
	assert_non_null(p);
	int port = (int)strtol(p + strlen("serving http://127.0.0.1:"), NULL, 10);
	free(out);
	struct tu_resp r = http_get(port, "/readyz");
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	/* the content was imported before it said so */
	r = http_get(port, "/api/v1/articles?limit=1");
	assert_int_equal(r.status, 200);
	assert_true(json_integer_value(json_object_get(r.json, "total")) > 0);
	tu_resp_free(&r);
	assert_true(wait_for_notify(fd, "WATCHDOG=1", 10000));
	/* SIGTERM: STOPPING=1, then a clean exit */
	assert_int_equal(kill(ch.pid, SIGTERM), 0);
	assert_true(wait_for_notify(fd, "STOPPING=1", 30000));
	assert_int_equal(wait_child(c, &ch, 30000), 0);
	close(fd);

	/* without NOTIFY_SOCKET, nothing is sent and nothing complains */
	struct child b;
	serve(c, &b, NULL,
	      ARGS("serve", "--db", path_in(c, "n.db"), "--listen",
		   "127.0.0.1:0", "--quiet"),
	      &port, NULL);
	stop(c, &b, SIGTERM);
	char *log = tu_read(b.err);
	assert_null(strstr(log, "cannot tell systemd"));
	free(log);
}

/* ---- no personal data in the request log ----------------------------------- */

static void personal_data_never_reaches_the_log(void **state)
{
	struct ctx *c = *state;
	const char *db = path_in(c, "p.db");
	struct child ch;
	int port;
	serve(c, &ch, NULL,
	      ARGS("serve", "--demo", "--content", "content", "--db", db,
		   "--listen", "127.0.0.1:0", "--threads", "2",
		   "--log-level", "debug"),
	      &port, NULL);
	char *out, *err;
	assert_int_equal(run(c, &out, &err, NULL,
			     ARGS("token", "add", "--organisation", "901",
				  "--name", "pii", "--roles", "agent", "--db", db)),
			 0);
	char auth[128];
	snprintf(auth, sizeof(auth), "Authorization: Bearer %.43s", out);
	free(out);
	free(err);
	/* a CPR number (valid and not), a name and an address */
	static const char *const cpr = "0707614285", *const cpr_dash = "070761-4285",
			  *const bad_cpr = "3213991234",
			  *const name = "Kirstine Damgaard Overgaard",
			  *const address = "Skovbrynet 17";
	char url[512], body[1024];
	const char *h[] = { "Content-Type: application/json", auth, NULL };
	/* the desk looks a citizen up by CPR and by name */
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/api/v1/desk/lookup", port);
	snprintf(body, sizeof(body), "{\"cpr\":\"%s\"}", cpr);
	struct tu_resp r = tu_http("POST", url, body, h, NULL);
	assert_true(r.status == 200 || r.status == 404);
	tu_resp_free(&r);
	snprintf(body, sizeof(body), "{\"cpr\":\"%s\"}", bad_cpr);
	r = tu_http("POST", url, body, h, NULL);
	assert_true(r.status >= 400 && r.status < 500);
	tu_resp_free(&r);
	snprintf(body, sizeof(body), "{\"name\":\"%s\"}", name);
	r = tu_http("POST", url, body, h, NULL);
	assert_true(r.status < 500);
	tu_resp_free(&r);
	/* an inquiry whose note has them all */
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/api/v1/inquiries", port);
	snprintf(body, sizeof(body),
		 "{\"channel\":\"phone\",\"note\":\"%s, %s, %s\"}", name, address,
		 cpr_dash);
	r = tu_http("POST", url, body, h, NULL);
	assert_int_equal(r.status, 201);
	tu_resp_free(&r);
	/* the same in a body that is refused */
	snprintf(body, sizeof(body),
		 "{\"channel\":\"%s\",\"note\":\"%s\",\"x\":\"%s\"}", address,
		 name, cpr);
	r = tu_http("POST", url, body, h, NULL);
	assert_int_equal(r.status, 400);
	tu_resp_free(&r);
	/* in a search (the query string) and in a path that is not found */
	char q[128];
	snprintf(q, sizeof(q), "/api/v1/search?q=%s", cpr);
	r = http_get(port, q);
	tu_resp_free(&r);
	snprintf(q, sizeof(q), "/borger/%s", cpr);
	r = http_get(port, q);
	tu_resp_free(&r);
	snprintf(q, sizeof(q), "/sag/%s", cpr_dash);
	r = http_get(port, q);
	tu_resp_free(&r);
	/* an Open311 request with a name and an address */
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/open311/v2/requests.json",
		 port);
	const char *fh[] = { "Content-Type: application/x-www-form-urlencoded",
			     NULL };
	r = tu_http("POST", url,
		    "service_code=x&first_name=Kirstine&last_name=Damgaard+Overgaard"
		    "&address_string=Skovbrynet+17&description=0707614285",
		    fh, NULL);
	tu_resp_free(&r);
	stop(c, &ch, SIGTERM);
	char *log = tu_read(ch.err);
	/* the requests were logged ... */
	assert_non_null(strstr(log, "\"path\":\"/api/v1/inquiries\",\"status\":201"));
	assert_non_null(strstr(log, "\"path\":\"/api/v1/desk/lookup\""));
	/* ... and what they carried was not */
	const char *const never[] = { cpr, cpr_dash, bad_cpr, "Kirstine",
				      "Overgaard", "Skovbrynet", NULL };
	for (int i = 0; never[i]; i++) {
		if (strstr(log, never[i]))
			fprintf(stderr, "'%s' in the log:\n%s\n", never[i], log);
		assert_null(strstr(log, never[i]));
	}
	free(log);
}

int main(int argc, char **argv)
{
	(void)argc;
	find_binary(argv[0], "tests/api/test_ops");
	if (access(bin, X_OK) != 0) {
		fprintf(stderr, "test_ops: %s is not an executable (build it or "
				"set HELHED_BIN)\n", bin);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	curl_global_init(CURL_GLOBAL_ALL);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(the_file_sets_what_the_environment_does,
						setup, teardown),
		cmocka_unit_test_setup_teardown(the_environment_wins_over_the_file,
						setup, teardown),
		cmocka_unit_test_setup_teardown(a_flag_wins_over_the_environment_and_the_file,
						setup, teardown),
		cmocka_unit_test_setup_teardown(without_a_file_the_defaults_hold,
						setup, teardown),
		cmocka_unit_test_setup_teardown(the_other_commands_read_the_file_too,
						setup, teardown),
		cmocka_unit_test_setup_teardown(a_bad_file_names_file_and_line_and_nothing_starts,
						setup, teardown),
		cmocka_unit_test_setup_teardown(secrets_come_from_files_only, setup,
						teardown),
		cmocka_unit_test_setup_teardown(a_file_naming_secrets_must_not_be_world_readable,
						setup, teardown),
		cmocka_unit_test_setup_teardown(the_log_level_leaves_out_lines_below_it,
						setup, teardown),
		cmocka_unit_test_setup_teardown(serve_tells_systemd_ready_watchdog_and_stopping,
						setup, teardown),
		cmocka_unit_test_setup_teardown(personal_data_never_reaches_the_log,
						setup, teardown),
	};
	/* on PostgreSQL (pg-suites) skipped whole: tu_pg_sqlite_only */
	int rc = tu_run_group("api/ops", tests, sizeof(tests) / sizeof(tests[0]),
			      NULL, NULL);
	curl_global_cleanup();
	return rc;
}
