/* test_cli.c - the helhed command as its users run it: help and usage
 * errors, migrate, import, user and token administration, and serve (first
 * start imports, later starts do not; environment settings; a draining
 * stop on SIGTERM).
 *
 * The binary is $HELHED_BIN, else the helhed next to this test's build
 * folder (build-asan/tests/api/test_cli runs build-asan/helhed), else
 * build/helhed. Children write stdout and stderr to files in the test's
 * temporary folder, so no pipe can fill up and block them; every child
 * still running at the end of a test is killed in its teardown. */
#include "testutil.h"

#include "api/child_proc.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

/* Runs and expects a usage error: status 2, nothing on stdout, one line on
 * stderr that names the program and points to --help. */
static void expect_usage_error(struct ctx *c, const char *const *env,
			       const char *const *args)
{
	char *out, *err;
	int rc = run(c, &out, &err, env, args);
	if (rc != 2 || strchr(err, '\n') != err + strlen(err) - 1)
		fprintf(stderr, "%s %s: status %d, stderr [%s]\n", args[0] ? args[0] : "",
			args[0] && args[1] ? args[1] : "", rc, err);
	assert_int_equal(rc, 2);
	assert_string_equal(out, "");
	assert_true(strlen(err) > 10);
	/* exactly one line */
	assert_true(strchr(err, '\n') == err + strlen(err) - 1);
	assert_true(!strncmp(err, "helhed", 6));
	assert_non_null(strstr(err, "--help"));
	free(out);
	free(err);
}

static int file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* total of /api/v1/articles as the public sees it */
static int64_t public_total(int port)
{
	struct tu_resp r = http_get(port, "/api/v1/articles?limit=1");
	assert_int_equal(r.status, 200);
	json_t *t = json_object_get(r.json, "total");
	assert_true(json_is_integer(t));
	int64_t n = json_integer_value(t);
	tu_resp_free(&r);
	return n;
}

/* organisations.json with 901 in dir (created). */
static void write_orgs(const char *dir)
{
	char p[4300];
	snprintf(p, sizeof(p), "mkdir -p '%s/articles'", dir);
	assert_int_equal(system(p), 0);
	snprintf(p, sizeof(p), "%s/organisations.json", dir);
	tu_write(p, "[{\"code\":\"901\",\"name\":\"Nordskov Kommune\","
		    "\"kind\":\"municipality\"}]");
}

/* ---- help and usage ----------------------------------------------------- */

static void help_exits_0(void **state)
{
	struct ctx *c = *state;
	static const struct {
		const char *args[4];
		const char *usage;
	} cases[] = {
		{ { "--help" }, "Usage: helhed COMMAND" },
		{ { "-h" }, "Usage: helhed COMMAND" },
		{ { "help" }, "Usage: helhed COMMAND" },
		{ { "serve", "--help" }, "Usage: helhed serve" },
		{ { "import", "--help" }, "Usage: helhed import" },
		{ { "export", "--help" }, "Usage: helhed export" },
		{ { "migrate", "--help" }, "Usage: helhed migrate" },
		{ { "user", "--help" }, "Usage: helhed user add" },
		{ { "user", "add", "--help" }, "Usage: helhed user add" },
		{ { "token", "--help" }, "Usage: helhed token add" },
		{ { "token", "add", "--help" }, "Usage: helhed token add" },
		{ { "rotate-key", "--help" }, "Usage: helhed rotate-key" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out, *err;
		int rc = run(c, &out, &err, NULL, cases[i].args);
		assert_int_equal(rc, 0);
		if (strncmp(out, cases[i].usage, strlen(cases[i].usage)))
			fprintf(stderr, "%s: %s\n", cases[i].args[0], out);
		assert_true(!strncmp(out, cases[i].usage, strlen(cases[i].usage)));
		assert_string_equal(err, "");
		free(out);
		free(err);
	}
	/* The main help lists every command. */
	char *out, *err;
	assert_int_equal(run(c, &out, &err, NULL, ARGS("--help")), 0);
	static const char *const cmds[] = { "serve",	 "import",
					    "export",	 "migrate",
					    "user add",	 "token add",
					    "rotate-key", "--key-file" };
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		assert_non_null(strstr(out, cmds[i]));
	free(out);
	free(err);
	assert_int_equal(run(c, &out, &err, NULL, ARGS("--version")), 0);
	assert_true(!strncmp(out, "helhed ", 7));
	assert_true(isdigit((unsigned char)out[7]));
	free(out);
	free(err);
}

static void usage_errors_exit_2(void **state)
{
	struct ctx *c = *state;
	/* A database that must never be created by a refused command. */
	char env_db[4300];
	snprintf(env_db, sizeof(env_db), "HELHED_DB=%s", path_in(c, "never.db"));
	const char *const env[] = { env_db, NULL };
	static const char *const cases[][12] = {
		{ NULL },
		{ "frobnicate" },
		{ "--frobnicate" },
		{ "serve", "--bogus" },
		{ "serve", "--threads", "0" },
		{ "serve", "--threads", "abc" },
		{ "serve", "--threads", "257" },
		{ "serve", "--threads", "4x" },
		{ "serve", "--threads" },
		{ "serve", "--listen", "no-port" },
		{ "serve", "extra" },
		{ "import" },
		{ "import", "a", "b" },
		{ "import", "--bogus", "a" },
		{ "export" },
		{ "export", "--users", "a" },
		{ "migrate", "--bogus" },
		{ "migrate", "extra" },
		{ "user" },
		{ "user", "remove" },
		{ "user", "add" },
		{ "user", "add", "--email", "a@901", "--name", "A" },
		{ "user", "add", "--email", "a@901", "--name", "A",
		  "--organisation", "901", "--roles", "wizard" },
		{ "user", "add", "--bogus" },
		{ "token" },
		{ "token", "add", "--organisation", "901", "--name", "ci" },
		{ "token", "add", "--email", "a@901" },
		{ "rotate-key", "--bogus" },
		{ "rotate-key", "--batch", "0" },
		{ "rotate-key", "--batch", "x" },
		{ "rotate-key", "extra" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_usage_error(c, env, cases[i]);
	/* Settings from the environment are checked the same way. */
	const char *const bad_threads[] = { env_db, "HELHED_THREADS=0", NULL };
	expect_usage_error(c, bad_threads, ARGS("serve"));
	const char *const bad_listen[] = { env_db, "HELHED_LISTEN=8080", NULL };
	expect_usage_error(c, bad_listen, ARGS("serve"));
	assert_false(file_exists(path_in(c, "never.db")));
}

/* ---- migrate, import, export -------------------------------------------- */

static void migrate_prints_the_schema_version(void **state)
{
	struct ctx *c = *state;
	char *out, *err, *out2, *err2;
	const char *db = path_in(c, "m.db");
	assert_int_equal(run(c, &out, &err, NULL, ARGS("migrate", "--db", db)), 0);
	char prefix[4300];
	snprintf(prefix, sizeof(prefix), "%s: schema version ", db);
	assert_true(!strncmp(out, prefix, strlen(prefix)));
	int cur = -1, latest = -2;
	assert_int_equal(sscanf(out + strlen(prefix), "%d (latest %d)", &cur,
				&latest),
			 2);
	assert_true(cur >= 1);
	assert_int_equal(cur, latest);
	/* The first use makes the key file for CPR numbers beside the
	 * database, readable by its owner only, and says where. */
	char keys[4300];
	snprintf(keys, sizeof(keys), "%s.keys", db);
	assert_non_null(strstr(err, "created the key file"));
	assert_non_null(strstr(err, keys));
	struct stat ks;
	assert_int_equal(stat(keys, &ks), 0);
	assert_int_equal(ks.st_mode & 0777, 0600);
	/* Again: nothing to do, same answer, nothing to say. */
	assert_int_equal(run(c, &out2, &err2, NULL, ARGS("migrate", "--db", db)), 0);
	assert_string_equal(out, out2);
	assert_string_equal(err2, "");
	free(out);
	free(err);
	free(out2);
	free(err2);

	/* HELHED_DB names the database when --db does not. */
	char env_db[4300];
	snprintf(env_db, sizeof(env_db), "HELHED_DB=%s", path_in(c, "env.db"));
	const char *const env[] = { env_db, NULL };
	assert_int_equal(run(c, &out, &err, env, ARGS("migrate")), 0);
	assert_true(file_exists(path_in(c, "env.db")));
	assert_non_null(strstr(out, "env.db: schema version"));
	free(out);
	free(err);
	/* A database that cannot be opened: status 1 and why. */
	assert_int_equal(run(c, &out, &err, NULL,
			     ARGS("migrate", "--db", path_in(c, "no/such/x.db"))),
			 1);
	assert_non_null(strstr(err, "cannot open the database"));
	free(out);
	free(err);
}

static void import_reports_bad_files_and_skips_them(void **state)
{
	struct ctx *c = *state;
	char p[4300];
	const char *src = path_in(c, "content");
	const char *db = path_in(c, "i.db");
	write_orgs(src);
	snprintf(p, sizeof(p), "%s/articles/god-artikel.md", src);
	tu_write(p, "---\ntitle: God\nsummary: En god artikel.\nkeywords: \n"
		    "kle: \naudience: citizen\nstatus: published\n---\n\nTekst.\n");
	/* Line 3 has a key the format does not know. */
	snprintf(p, sizeof(p), "%s/articles/daarlig-artikel.md", src);
	tu_write(p, "---\ntitle: Dårlig\nfarve: rød\nsummary: S\n---\n\nTekst.\n");
	/* Line 6 has an audience that does not exist. */
	snprintf(p, sizeof(p), "%s/articles/ogsaa-daarlig.md", src);
	tu_write(p, "---\ntitle: Også dårlig\nsummary: S\nkeywords: \nkle: \n"
		    "audience: alle\nstatus: published\n---\n\nTekst.\n");

	char *out, *err;
	assert_int_equal(run(c, &out, &err, NULL, ARGS("import", src, "--db", db)),
			 1);
	snprintf(p, sizeof(p), "%s/articles/daarlig-artikel.md:3: ", src);
	if (!strstr(err, p))
		fprintf(stderr, "stderr: %s\n", err);
	assert_non_null(strstr(err, p));
	snprintf(p, sizeof(p), "%s/articles/ogsaa-daarlig.md:6: ", src);
	assert_non_null(strstr(err, p));
	assert_null(strstr(err, "god-artikel"));
	assert_non_null(strstr(out, "1 organisations"));
	assert_non_null(strstr(out, "articles: 1 new"));
	assert_non_null(strstr(out, "2 files skipped"));
	free(out);
	free(err);

	/* The good file is in, the bad ones are not: export shows it. */
	const char *exp = path_in(c, "export");
	assert_int_equal(run(c, &out, &err, NULL, ARGS("export", exp, "--db", db)),
			 0);
	assert_non_null(strstr(out, "exported 1 articles"));
	snprintf(p, sizeof(p), "%s/articles/god-artikel.md", exp);
	char *text = tu_read(p);
	assert_non_null(text);
	assert_non_null(strstr(text, "title: God\n"));
	free(text);
	snprintf(p, sizeof(p), "%s/articles/daarlig-artikel.md", exp);
	assert_false(file_exists(p));
	snprintf(p, sizeof(p), "%s/articles/ogsaa-daarlig.md", exp);
	assert_false(file_exists(p));
	free(out);
	free(err);

	/* Importing the export again changes nothing and succeeds. */
	assert_int_equal(run(c, &out, &err, NULL, ARGS("import", exp, "--db", db)),
			 0);
	assert_non_null(strstr(out, "articles: 0 new, 0 updated, 1 unchanged, "
				    "0 files skipped"));
	assert_string_equal(err, "");
	free(out);
	free(err);

	/* A folder that is not there is an error, not an empty import. */
	assert_int_equal(run(c, &out, &err, NULL,
			     ARGS("import", path_in(c, "missing"), "--db", db)),
			 1);
	assert_non_null(strstr(err, "missing"));
	free(out);
	free(err);
}

/* ---- user and token ------------------------------------------------------ */

static void user_add_then_duplicate(void **state)
{
	struct ctx *c = *state;
	const char *src = path_in(c, "orgs");
	const char *db = path_in(c, "u.db");
	write_orgs(src);
	char *out, *err;
	assert_int_equal(run(c, &out, &err, NULL, ARGS("import", src, "--db", db)),
			 0);
	free(out);
	free(err);

	const char *const pw[] = { "HELHED_PASSWORD=en-god-adgangskode", NULL };
	const char *const *add = ARGS("user", "add", "--email", "ny@nordskov.dk",
				      "--name", "Ny Bruger", "--organisation",
				      "901", "--roles", "editor,agent", "--db",
				      db);
	assert_int_equal(run(c, &out, &err, pw, add), 0);
	assert_true(!strncmp(out, "added user ", 11));
	assert_non_null(strstr(out, ": ny@nordskov.dk\n"));
	assert_string_equal(err, "");
	free(out);
	free(err);

	/* The same email again. */
	assert_int_equal(run(c, &out, &err, pw, add), 1);
	assert_non_null(strstr(err, "ny@nordskov.dk already exists"));
	assert_string_equal(out, "");
	free(out);
	free(err);

	/* Bad input: a short password, an unknown organisation. */
	const char *const short_pw[] = { "HELHED_PASSWORD=kort", NULL };
	assert_int_equal(run(c, &out, &err, short_pw,
			     ARGS("user", "add", "--email", "to@nordskov.dk",
				  "--name", "To", "--organisation", "901",
				  "--roles", "agent", "--db", db)),
			 1);
	assert_non_null(strstr(err, "8+ characters"));
	free(out);
	free(err);
	assert_int_equal(run(c, &out, &err, pw,
			     ARGS("user", "add", "--email", "tre@x.dk", "--name",
				  "Tre", "--organisation", "999", "--roles",
				  "agent", "--db", db)),
			 1);
	assert_non_null(strstr(err, "'999'"));
	free(out);
	free(err);
	/* No password and no terminal to ask on. */
	assert_int_equal(run(c, &out, &err, NULL,
			     ARGS("user", "add", "--email", "fire@nordskov.dk",
				  "--name", "Fire", "--organisation", "901",
				  "--roles", "agent", "--db", db)),
			 2);
	assert_non_null(strstr(err, "HELHED_PASSWORD"));
	free(out);
	free(err);

	/* The new user can sign in to a server on that database. */
	struct child srv;
	int port;
	serve(c, &srv, NULL,
	      ARGS("serve", "--listen", "127.0.0.1:0", "--db", db, "--quiet",
		   "--threads", "2"),
	      &port, NULL);
	char url[256];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/api/v1/session", port);
	const char *h[] = { "Content-Type: application/json", NULL };
	struct tu_resp r = tu_http("POST", url,
				   "{\"email\":\"ny@nordskov.dk\",\"password\":"
				   "\"en-god-adgangskode\"}",
				   h, NULL);
	assert_int_equal(r.status, 201);
	assert_string_equal(json_string_value(json_object_get(r.json, "roles")),
			    "agent, editor");
	tu_resp_free(&r);
	r = tu_http("POST", url,
		    "{\"email\":\"to@nordskov.dk\",\"password\":\"kort\"}", h, NULL);
	assert_int_equal(r.status, 401);
	tu_resp_free(&r);
	stop(c, &srv, SIGTERM);
}

static int is_token(const char *s)
{
	size_t n = strlen(s);
	if (n != 44 || s[43] != '\n')
		return 0;
	for (size_t i = 0; i < 43; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
			return 0;
	return 1;
}

static void token_add_prints_a_token(void **state)
{
	struct ctx *c = *state;
	const char *src = path_in(c, "orgs");
	const char *db = path_in(c, "t.db");
	write_orgs(src);
	char *out, *err, *out2, *err2;
	assert_int_equal(run(c, &out, &err, NULL, ARGS("import", src, "--db", db)),
			 0);
	free(out);
	free(err);
	const char *const *add = ARGS("token", "add", "--organisation", "901",
				      "--name", "ci", "--roles", "editor",
				      "--db", db);
	assert_int_equal(run(c, &out, &err, NULL, add), 0);
	assert_true(is_token(out));
	assert_string_equal(err, "");
	/* Every token is new. */
	assert_int_equal(run(c, &out2, &err2, NULL, add), 0);
	assert_true(is_token(out2));
	assert_string_not_equal(out, out2);
	free(out2);
	free(err2);
	assert_int_equal(run(c, &out2, &err2, NULL,
			     ARGS("token", "add", "--organisation", "999",
				  "--name", "ci", "--roles", "editor", "--db",
				  db)),
			 1);
	assert_string_equal(out2, "");
	free(out2);
	free(err2);

	/* The token works as a bearer token. */
	struct child srv;
	int port;
	serve(c, &srv, NULL,
	      ARGS("serve", "--listen", "127.0.0.1:0", "--db", db, "--quiet"),
	      &port, NULL);
	char url[256], auth[128];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/api/v1/session", port);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %.43s", out);
	const char *h[] = { auth, NULL };
	struct tu_resp r = tu_http("GET", url, NULL, h, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "kind")),
			    "token");
	assert_string_equal(json_string_value(json_object_get(r.json, "organisation")),
			    "901");
	tu_resp_free(&r);
	stop(c, &srv, SIGTERM);
	free(out);
	free(err);
}

/* ---- serve ---------------------------------------------------------------- */

/* Connects to 127.0.0.1:port. */
static int connect_to(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons((uint16_t)port) };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static void send_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
		assert_true(w > 0);
		s += w;
		n -= (size_t)w;
	}
}

/* Reads until the peer closes or a whole response (by Content-Length) is
 * in; at most timeout_ms. Returns the raw response (new). */
static char *read_response(int fd, int timeout_ms)
{
	struct hh_buf b;
	hh_buf_init(&b);
	for (int waited = 0; waited < timeout_ms;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int n = poll(&pfd, 1, 100);
		waited += 100;
		if (n <= 0)
			continue;
		char chunk[4096];
		ssize_t got = recv(fd, chunk, sizeof(chunk), 0);
		if (got <= 0)
			break;
		hh_buf_append(&b, chunk, (size_t)got);
		const char *s = hh_buf_str(&b);
		const char *end = strstr(s, "\r\n\r\n");
		const char *cl = strcasestr(s, "\r\nContent-Length:");
		if (end && cl && cl < end &&
		    b.len >= (size_t)(end + 4 - s) + strtoul(cl + 17, NULL, 10))
			break;
	}
	return hh_buf_steal(&b);
}

/* The number in a /metrics line "name N", or -1. */
static long metric(int port, const char *name)
{
	struct tu_resp r = http_get(port, "/metrics");
	assert_int_equal(r.status, 200);
	long v = -1;
	size_t n = strlen(name);
	for (const char *p = r.body; p && *p;) {
		if (!strncmp(p, name, n) && p[n] == ' ')
			v = strtol(p + n + 1, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	tu_resp_free(&r);
	return v;
}

static void serve_imports_once_and_drains_on_sigterm(void **state)
{
	struct ctx *c = *state;
	const char *db = path_in(c, "s.db");
	const char *const *args = ARGS("serve", "--demo", "--content", "content",
				       "--listen", "127.0.0.1:0", "--db", db,
				       "--quiet", "--threads", "2");
	struct child a;
	int port;
	char *banner;
	serve(c, &a, NULL, args, &port, &banner);
	assert_non_null(strstr(banner, "First start: importing content"));
	free(banner);
	banner = wait_for_text(&a, a.out, "Demo sign-in", 30000);
	assert_non_null(banner);
	free(banner);
	int64_t first = public_total(port);
	assert_true(first > 0);
	struct tu_resp r = http_get(port, "/api/v1/organisations");
	assert_int_equal(r.status, 200);
	size_t orgs = json_array_size(json_object_get(r.json, "items"));
	assert_true(orgs >= 2);
	tu_resp_free(&r);
	/* Demo users exist. */
	char url[256];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/api/v1/session", port);
	const char *jh[] = { "Content-Type: application/json", NULL };
	r = tu_http("POST", url,
		    "{\"email\":\"redaktoer@nordskov.demo\",\"password\":"
		    "\"demo-redaktoer\"}",
		    jh, NULL);
	assert_int_equal(r.status, 201);
	tu_resp_free(&r);
	stop(c, &a, SIGTERM);

	char *out, *err;
	assert_int_equal(run(c, &out, &err, NULL,
			     ARGS("token", "add", "--organisation", "901",
				  "--name", "drain", "--roles", "editor", "--db",
				  db)),
			 0);
	assert_true(is_token(out));
	char token[64];
	snprintf(token, sizeof(token), "%.43s", out);
	free(out);
	free(err);

	/* The second start imports nothing: the same articles, once. */
	struct child b;
	serve(c, &b, NULL, args, &port, &banner);
	assert_null(strstr(banner, "First start"));
	free(banner);
	assert_int_equal(public_total(port), first);
	r = http_get(port, "/api/v1/organisations");
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), orgs);
	tu_resp_free(&r);

	/* An article to change while the server is told to stop. */
	r = http_get(port, "/api/v1/articles?limit=1&organisation=shared");
	assert_int_equal(r.status, 200);
	json_t *item = json_array_get(json_object_get(r.json, "items"), 0);
	assert_non_null(item);
	char slug[128];
	snprintf(slug, sizeof(slug), "%s",
		 json_string_value(json_object_get(item, "slug")));
	tu_resp_free(&r);
	char path[256];
	snprintf(path, sizeof(path), "/api/v1/articles/%s", slug);
	r = http_get(port, path);
	assert_int_equal(r.status, 200);
	json_int_t version = json_integer_value(json_object_get(r.json, "version"));
	json_t *put = json_pack("{s:s, s:O, s:O, s:O, s:O, s:I}", "title",
				"Ændret under nedlukning", "summary",
				json_object_get(r.json, "summary"), "body",
				json_object_get(r.json, "body"), "audience",
				json_object_get(r.json, "audience"), "status",
				json_object_get(r.json, "status"), "version",
				version);
	assert_non_null(put);
	char *body = json_dumps(put, JSON_COMPACT);
	json_decref(put);
	tu_resp_free(&r);

	/* Headers and half the body: the request is in progress. */
	char head[1024];
	size_t len = strlen(body);
	snprintf(head, sizeof(head),
		 "PUT %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
		 "Content-Type: application/json\r\nContent-Length: %zu\r\n"
		 "Connection: close\r\n\r\n",
		 path, token, len);
	int fd = connect_to(port);
	send_all(fd, head, strlen(head));
	send_all(fd, body, len / 2);
	/* Wait until the server counts it (bounded): in flight are then
	 * this request and the /metrics request asking. */
	long in_flight = 0;
	for (int i = 0; i < 1000 && in_flight < 2; i++) {
		in_flight = metric(port, "helhed_http_in_flight");
		if (in_flight < 2)
			sleep_ms(10);
	}
	assert_true(in_flight >= 2);

	assert_int_equal(kill(b.pid, SIGTERM), 0);
	char *said = wait_for_text(&b, b.err, "SIGTERM received", 30000);
	assert_non_null(said);
	free(said);
	/* The rest of the body after the signal: still answered. */
	send_all(fd, body + len / 2, len - len / 2);
	char *resp = read_response(fd, 30000);
	close(fd);
	if (strncmp(resp, "HTTP/1.1 200 ", 13))
		fprintf(stderr, "response: %s\n", resp);
	assert_true(!strncmp(resp, "HTTP/1.1 200 ", 13));
	assert_non_null(strstr(resp, "Ændret under nedlukning"));
	free(resp);
	free(body);
	int rc = wait_child(c, &b, 30000);
	assert_int_equal(rc, 0);
	char *log = tu_read(b.err);
	assert_non_null(strstr(log, "stopped"));
	free(log);

	/* What it answered was stored. */
	struct child d;
	serve(c, &d, NULL, args, &port, NULL);
	r = http_get(port, path);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "title")),
			    "Ændret under nedlukning");
	assert_int_equal(json_integer_value(json_object_get(r.json, "version")),
			 version + 1);
	tu_resp_free(&r);
	assert_int_equal(public_total(port), first);
	stop(c, &d, SIGINT);
}

static void serve_reads_its_environment(void **state)
{
	struct ctx *c = *state;
	char env_db[4300];
	snprintf(env_db, sizeof(env_db), "HELHED_DB=%s", path_in(c, "env.db"));
	const char *const env[] = { env_db, "HELHED_LISTEN=127.0.0.1:0",
				    "HELHED_QUIET=1", "HELHED_THREADS=1", NULL };
	struct child a;
	int port;
	char *banner;
	serve(c, &a, env, ARGS("serve"), &port, &banner);
	char want[4400];
	snprintf(want, sizeof(want), "(database %s,", path_in(c, "env.db"));
	assert_non_null(strstr(banner, want));
	assert_null(strstr(banner, "First start")); /* no content given */
	free(banner);
	assert_true(file_exists(path_in(c, "env.db")));
	struct tu_resp r = http_get(port, "/healthz");
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	r = http_get(port, "/readyz");
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	/* HELHED_QUIET: no request log lines. */
	char *log = tu_read(a.err);
	assert_null(strstr(log, "\"path\":\"/healthz\""));
	free(log);

	/* A port that is taken: status 1. */
	char taken[64];
	snprintf(taken, sizeof(taken), "127.0.0.1:%d", port);
	char *out, *err;
	assert_int_equal(run(c, &out, &err, NULL,
			     ARGS("serve", "--listen", taken, "--db",
				  path_in(c, "other.db"))),
			 1);
	assert_non_null(strstr(err, "cannot listen"));
	free(out);
	free(err);
	stop(c, &a, SIGINT);

	/* Flags win over the environment; without --quiet each request is
	 * logged as one JSON line. */
	const char *const env2[] = { env_db, "HELHED_LISTEN=127.0.0.1:1", NULL };
	struct child b;
	serve(c, &b, env2,
	      ARGS("serve", "--listen", "127.0.0.1:0", "--db",
		   path_in(c, "flag.db")),
	      &port, &banner);
	snprintf(want, sizeof(want), "(database %s,", path_in(c, "flag.db"));
	assert_non_null(strstr(banner, want));
	free(banner);
	assert_true(file_exists(path_in(c, "flag.db")));
	r = http_get(port, "/healthz");
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	/* What a client sends cannot forge a log line of its own. */
	char url[256];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/api/v1/session", port);
	const char *jh[] = { "Content-Type: application/json", NULL };
	r = tu_http("POST", url,
		    "{\"email\":\"x@y\\nhelhed error: forged\",\"password\":\"p\"}",
		    jh, NULL);
	assert_int_equal(r.status, 401);
	tu_resp_free(&r);
	stop(c, &b, SIGTERM);
	log = tu_read(b.err);
	assert_non_null(strstr(log, "\"method\":\"GET\",\"path\":\"/healthz\","
				    "\"status\":200"));
	assert_non_null(strstr(log, "failed sign-in for x@y?helhed error: forged"));
	assert_null(strstr(log, "\nhelhed error: forged"));
	free(log);

	/* An empty host and "localhost" listen on, and print, 127.0.0.1. */
	static const char *const hosts[] = { "HELHED_LISTEN=:0",
					     "HELHED_LISTEN=localhost:0" };
	for (int i = 0; i < 2; i++) {
		const char *const env3[] = { env_db, hosts[i], "HELHED_QUIET=1",
					     NULL };
		struct child d;
		serve(c, &d, env3, ARGS("serve"), &port, NULL);
		r = http_get(port, "/healthz");
		assert_int_equal(r.status, 200);
		tu_resp_free(&r);
		stop(c, &d, SIGTERM);
	}
}

static void serve_refuses_a_missing_content_folder(void **state)
{
	struct ctx *c = *state;
	const char *db = path_in(c, "c.db");
	char env_content[4300];
	snprintf(env_content, sizeof(env_content), "HELHED_CONTENT=%s",
		 path_in(c, "no-such-content"));
	const char *const env[] = { env_content, NULL };
	struct child a;
	spawn(c, &a, ARGS("serve", "--listen", "127.0.0.1:0", "--db", db, "--quiet"),
	      env);
	assert_int_equal(wait_child(c, &a, 60000), 1);
	char *err = tu_read(a.err);
	assert_non_null(strstr(err, "no-such-content"));
	free(err);
	/* Nothing was marked as loaded: the right folder still imports. */
	struct child b;
	int port;
	char *banner;
	serve(c, &b, NULL,
	      ARGS("serve", "--content", "content", "--listen", "127.0.0.1:0",
		   "--db", db, "--quiet"),
	      &port, &banner);
	assert_non_null(strstr(banner, "First start: importing content"));
	free(banner);
	assert_true(public_total(port) > 0);
	stop(c, &b, SIGTERM);
}

/* ---- fixture ---------------------------------------------------------------- */

/* ---- CPR numbers at rest: the key file and rotate-key ------------------ */

/* The seal key ids in key file path, comma-separated, in dst. */
static void seal_ids(const char *path, char *dst, size_t n)
{
	char *t = tu_read(path);
	assert_non_null(t);
	dst[0] = 0;
	for (char *l = strtok(t, "\n"); l; l = strtok(NULL, "\n")) {
		char id[40];
		if (sscanf(l, "seal %39s", id) == 1)
			snprintf(dst + strlen(dst), n - strlen(dst), "%s,", id);
	}
	free(t);
}

static void rotate_key_and_the_key_file(void **state)
{
	struct ctx *c = *state;
	char p[4300], before[256], after[256];
	const char *src = path_in(c, "content");
	const char *db = path_in(c, "k.db");
	const char *keys = path_in(c, "k.db.keys");
	write_orgs(src);
	snprintf(p, sizeof(p), "%s/citizens.json", src);
	tu_write(p, "[{\"id\":\"anna\",\"name\":\"Anna\",\"cpr\":\"070761-4285\","
		    "\"municipality\":\"901\"}]");
	char *out, *err;
	assert_int_equal(run(c, &out, &err, NULL,
			     ARGS("import", src, "--db", db, "--users")),
			 0);
	free(out);
	free(err);
	seal_ids(keys, before, sizeof(before));
	assert_int_equal(run(c, &out, &err, NULL, ARGS("rotate-key", "--db", db)), 0);
	assert_non_null(strstr(out, "new keys"));
	assert_non_null(strstr(out, "re-sealed 1 citizens"));
	assert_non_null(strstr(out, "old keys removed"));
	free(out);
	free(err);
	/* one new seal key, the old one gone */
	seal_ids(keys, after, sizeof(after));
	assert_string_not_equal(before, after);
	assert_int_equal(strchr(after, ',') - after + 1, (long)strlen(after));
	struct stat ks;
	assert_int_equal(stat(keys, &ks), 0);
	assert_int_equal(ks.st_mode & 0777, 0600);
	/* the database opens with it */
	assert_int_equal(run(c, &out, &err, NULL, ARGS("migrate", "--db", db)), 0);
	assert_string_equal(err, "");
	free(out);
	free(err);
	/* a key file others may read is refused */
	assert_int_equal(chmod(keys, 0644), 0);
	assert_int_equal(run(c, &out, &err, NULL, ARGS("migrate", "--db", db)), 1);
	assert_non_null(strstr(err, "chmod 600"));
	free(out);
	free(err);
	assert_int_equal(chmod(keys, 0600), 0);
	/* without it: refused, and no new key file made in its place */
	const char *moved = path_in(c, "elsewhere.keys");
	assert_int_equal(rename(keys, moved), 0);
	assert_int_equal(run(c, &out, &err, NULL, ARGS("migrate", "--db", db)), 1);
	assert_non_null(strstr(err, "no key file"));
	assert_false(file_exists(keys));
	free(out);
	free(err);
	/* given by --key-file or HELHED_KEY_FILE, it opens again */
	assert_int_equal(run(c, &out, &err, NULL,
			     ARGS("migrate", "--db", db, "--key-file", moved)),
			 0);
	free(out);
	free(err);
	snprintf(p, sizeof(p), "HELHED_KEY_FILE=%s", moved);
	const char *const env[] = { p, NULL };
	assert_int_equal(run(c, &out, &err, env, ARGS("rotate-key", "--db", db)), 0);
	assert_non_null(strstr(out, "old keys removed"));
	free(out);
	free(err);
	/* the database file holds no CPR number in clear */
	char *bytes = tu_read(db);
	size_t n;
	struct stat ds;
	assert_int_equal(stat(db, &ds), 0);
	n = (size_t)ds.st_size;
	assert_null(memmem(bytes, n, "070761-4285", 11));
	assert_null(memmem(bytes, n, "0707614285", 10));
	free(bytes);
}

int main(int argc, char **argv)
{
	(void)argc;
	find_binary(argv[0], "tests/api/test_cli");
	if (access(bin, X_OK) != 0) {
		fprintf(stderr, "test_cli: %s is not an executable (build it or "
				"set HELHED_BIN)\n", bin);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	curl_global_init(CURL_GLOBAL_ALL);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(help_exits_0, setup, teardown),
		cmocka_unit_test_setup_teardown(rotate_key_and_the_key_file, setup,
						teardown),
		cmocka_unit_test_setup_teardown(usage_errors_exit_2, setup, teardown),
		cmocka_unit_test_setup_teardown(migrate_prints_the_schema_version,
						setup, teardown),
		cmocka_unit_test_setup_teardown(import_reports_bad_files_and_skips_them,
						setup, teardown),
		cmocka_unit_test_setup_teardown(user_add_then_duplicate, setup,
						teardown),
		cmocka_unit_test_setup_teardown(token_add_prints_a_token, setup,
						teardown),
		cmocka_unit_test_setup_teardown(serve_imports_once_and_drains_on_sigterm,
						setup, teardown),
		cmocka_unit_test_setup_teardown(serve_reads_its_environment, setup,
						teardown),
		cmocka_unit_test_setup_teardown(serve_refuses_a_missing_content_folder,
						setup, teardown),
	};
	int rc = cmocka_run_group_tests_name("api/cli", tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
