/* inquiries_bench.c - the programs of the inquiry benchmark
 * (bench/inquiries.sh): inquiries logged durably beside bare SQLite, a
 * store with 500,000 inquiries, the query plans of the inquiry lists, and
 * request latency of the agent's lists over HTTP beside /healthz.
 *
 *   inquiries_bench log DIR N
 *       N inquiries logged through hh_inquiry_create (as the desk logs a
 *       phone call: channel, article and KLE, a known citizen, the
 *       outcome, an Idempotency-Key; the row and its event in one write
 *       transaction) into a fresh store in DIR, beside a bare SQLite
 *       INSERT of the same inquiry row and of the same event row (one
 *       transaction per inquiry) into a separate file with the same
 *       PRAGMAs (WAL, synchronous=FULL) and the same tables and indexes
 *       (copied from the store's schema; foreign keys off, as the other
 *       tables are not there). The two alternate in blocks of 10 so that
 *       the disk's ups and downs hit both alike. Wall-clock time.
 *   inquiries_bench seed DB EMAIL
 *       fills DB, which has the organisations 901 and 902 and the agent
 *       EMAIL (at 901, made by `helhed user add`), with 50,000 demo
 *       citizens (subject demo:bench-NNNNN) and 500,000 inquiries over the
 *       last year (400,000 at 901, 100,000 at 902), each with its create
 *       event, in straight SQL (a bulk loader, not measured; the rows are
 *       what hh_inquiry_create writes). The open ones are the written
 *       inquiries of the last two days; promised callbacks of the last
 *       days are due today and tomorrow, and one in ten older ones was
 *       never followed up (they stay in the callbacks due).
 *       HELHED_BENCH_DROP_INDEXES="a b" drops those indexes afterwards
 *       (before/after figures for an index a migration adds).
 *   inquiries_bench explain DB
 *       EXPLAIN QUERY PLAN and in-process time of the SQL that the store's
 *       inquiry_list builds for each list measured over HTTP (the shapes
 *       mirror src/store/sqlite_inquiries.c).
 *   inquiries_bench http URL EMAIL PASSWORD SUBJECT N [PATH ...]
 *       signs in as the agent (POST /api/v1/session) and as the demo
 *       citizen SUBJECT (POST /api/v1/citizen/session) and times N
 *       sequential requests of each list, each client on one kept-alive
 *       connection after 20 to warm up, beside GET /healthz of the same
 *       server. Each PATH (e.g. /borgerservice) is measured too, as the
 *       signed-in agent; so is /borgerservice (the desk page) when the
 *       server has it (a 404 is reported as not there yet).
 *
 * Benchmarks print figures; nothing here asserts. A failed request or
 * inquiry is reported and ends the program with status 1. */
#include <curl/curl.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/dktime.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/inquiries.h"
#include "domain/vault.h"
#include "store/store.h"
#include "bench_http.h"

/* ---- small helpers ----------------------------------------------------- */

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "inquiries_bench: %s%s%s\n", what, detail ? ": " : "",
		detail ? detail : "");
	exit(1);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Nearest-rank percentile of n sorted values (microseconds), in ms. */
static double pct_ms(const int64_t *sorted, int n, double p)
{
	int i = (int)((p * n + 99) / 100) - 1;
	if (i < 0)
		i = 0;
	if (i >= n)
		i = n - 1;
	return (double)sorted[i] / 1000.0;
}

/* This thread's CPU time (SQLite runs in it too), in microseconds. */
static int64_t cpu_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static const char *thousands(int64_t v, char out[32])
{
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "%lld", (long long)v), j = 0;
	for (int i = 0; i < n; i++) {
		if (i && tmp[i - 1] != '-' && (n - i) % 3 == 0)
			out[j++] = ',';
		out[j++] = tmp[i];
	}
	out[j] = 0;
	return out;
}

/* xorshift64*: the seeded data is the same in every run. */
static uint64_t rng_state = 0x2545f4914f6cdd1dull;
static uint32_t rnd(uint32_t n)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dull) >> 33) % n;
}

static sqlite3 *open_raw(const char *path, int flags)
{
	sqlite3 *db;
	if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK)
		die("cannot open", path);
	sqlite3_busy_timeout(db, 2000);
	return db;
}

static void exec_raw(sqlite3 *db, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		die(sql, err);
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) !=
	    SQLITE_OK)
		die(sql, sqlite3_errmsg(db));
	return st;
}

static void step_done(sqlite3 *db, sqlite3_stmt *st)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		die("insert", sqlite3_errmsg(db));
	sqlite3_reset(st);
}

/* ---- log --------------------------------------------------------------- */

struct log_setup {
	struct hh_org org;
	struct hh_user agent;
	struct hh_citizen citizen;
	struct hh_article article;
};

static enum hh_rc log_setup_tx(struct hh_tx *tx, void *p)
{
	struct log_setup *s = p;
	struct hh_store *st = tx->store;
	s->org = (struct hh_org){ .code = "901", .name = "Nordskov Kommune",
				  .kind = HH_ORG_MUNICIPALITY };
	enum hh_rc rc = st->org_put(tx, &s->org);
	s->agent = (struct hh_user){ .org_id = s->org.id, .roles = HH_ROLE_AGENT,
				     .email = "borgerservice@bench.test",
				     .name = "Mette Lund", .password_hash = "!" };
	if (rc == HH_OK)
		rc = st->user_insert(tx, &s->agent);
	s->citizen = (struct hh_citizen){ .subject = "demo:bench-log",
					  .name = "Test Borger",
					  .municipality_id = s->org.id };
	if (rc == HH_OK)
		rc = st->citizen_put(tx, &s->citizen);
	s->article = (struct hh_article){
		.org_id = 0, .slug = "flytning", .title = "Flytning",
		.summary = "Sådan melder du flytning", .body_md = "Meld flytning.",
		.body_html = "<p>Meld flytning.</p>", .keywords = "flytning",
		.kle = "23.05.00", .audience = HH_AUDIENCE_CITIZEN,
		.status = HH_STATUS_PUBLISHED, .updated_by = "import",
	};
	if (rc == HH_OK)
		rc = st->article_insert(tx, &s->article);
	if (rc == HH_OK)
		rc = st->inquiry_code_put(tx, s->org.id, "reason", "kraever-sagsbehandler",
					  "Kræver en sagsbehandlers vurdering");
	return rc;
}

struct helhed_side {
	struct hh_store *st;
	struct log_setup *setup;
	struct hh_actor agent;
	int n;
};

static void helhed_log(struct helhed_side *h)
{
	struct hh_arena a;
	hh_arena_init(&a);
	char key[32];
	snprintf(key, sizeof(key), "bench-%d", h->n++);
	int64_t now = hh_now_us() / 1000000;
	struct hh_inquiry_input in = {
		.channel = "phone", .article_id = h->setup->article.id,
		.kle = "23.05.00", .citizen_id = h->setup->citizen.id,
		.started_at = now - 420, .ended_at = now - 5,
		.outcome = "resolved_first_contact", .idem_key = key,
	};
	struct hh_inquiry q;
	int replayed;
	const char *field = NULL;
	enum hh_rc rc = hh_inquiry_create(h->st, &a, &h->agent, &in, &q, &replayed,
					  NULL, &field);
	if (rc != HH_OK || replayed) {
		fprintf(stderr, "inquiries_bench: inquiry refused: %s (%s)\n",
			hh_rc_name(rc), field ? field : "-");
		exit(1);
	}
	hh_arena_clear(&a);
}

/* The bare side: the statements the store runs for the row and its event
 * (S_INQ_INSERT in sqlite_inquiries.c, S_EVENT_APPEND), nothing else. */
struct bare {
	sqlite3 *db;
	sqlite3_stmt *begin, *commit, *ins, *ev;
	char *after; /* the event's state, as wide as helhed's */
	char hash[65];
	struct log_setup *setup;
	int n;
};

static void bare_open(struct bare *b, const char *path, const char *schema_from)
{
	b->db = open_raw(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
	exec_raw(b->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			"PRAGMA temp_store=MEMORY;");
	sqlite3 *src = open_raw(schema_from, SQLITE_OPEN_READONLY);
	sqlite3_stmt *q = prepare(src, "SELECT sql FROM sqlite_master WHERE tbl_name IN "
				       "('inquiries', 'events') AND type IN "
				       "('table', 'index') AND sql IS NOT NULL "
				       "ORDER BY type DESC");
	while (sqlite3_step(q) == SQLITE_ROW)
		exec_raw(b->db, (const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	/* the first event helhed wrote: the bare one is as wide */
	q = prepare(src, "SELECT after, (SELECT request_hash FROM inquiries "
			 "ORDER BY id LIMIT 1) FROM events WHERE entity = 'inquiry' "
			 "ORDER BY id LIMIT 1");
	if (sqlite3_step(q) != SQLITE_ROW)
		die("no inquiry event to copy the width of", NULL);
	b->after = hh_xstrdup((const char *)sqlite3_column_text(q, 0));
	snprintf(b->hash, sizeof(b->hash), "%s", sqlite3_column_text(q, 1));
	sqlite3_finalize(q);
	sqlite3_close(src);
	b->begin = prepare(b->db, "BEGIN IMMEDIATE");
	b->commit = prepare(b->db, "COMMIT");
	b->ins = prepare(b->db,
			 "INSERT INTO inquiries(organisation_id, channel, article_id, kle, "
			 "citizen_id, agent_id, started_at, ended_at, outcome, "
			 "transfer_team, transfer_org_id, transfer_reason, case_id, "
			 "callback_due_at, note, idem_scope, idem_key, request_hash, "
			 "version, created_at, updated_at) VALUES (?1, ?2, nullif(?3, 0), "
			 "?4, nullif(?5, 0), nullif(?6, 0), ?7, nullif(?8, 0), ?9, ?10, "
			 "nullif(?11, 0), ?12, nullif(?13, 0), nullif(?14, 0), ?15, ?16, "
			 "?17, ?18, 1, ?19, ?19)");
	b->ev = prepare(b->db, "INSERT INTO events(at, actor, organisation_id, entity, "
			       "entity_id, action, before, after) VALUES (?1, ?2, "
			       "nullif(?3, 0), ?4, ?5, ?6, ?7, ?8)");
}

static void bare_log(struct bare *b)
{
	int64_t now = hh_now_us() / 1000000;
	char key[32];
	snprintf(key, sizeof(key), "bench-%d", b->n++);
	step_done(b->db, b->begin);
	sqlite3_stmt *s = b->ins;
	sqlite3_bind_int64(s, 1, b->setup->org.id);
	sqlite3_bind_text(s, 2, "phone", -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, b->setup->article.id);
	sqlite3_bind_text(s, 4, "23.05.00", -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, b->setup->citizen.id);
	sqlite3_bind_int64(s, 6, b->setup->agent.id);
	sqlite3_bind_int64(s, 7, now - 420);
	sqlite3_bind_int64(s, 8, now - 5);
	sqlite3_bind_text(s, 9, "resolved_first_contact", -1, SQLITE_STATIC);
	for (int i = 10; i <= 15; i++)
		sqlite3_bind_null(s, i);
	sqlite3_bind_text(s, 16, "user:1", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 17, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 18, b->hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 19, now);
	step_done(b->db, s);
	int64_t id = sqlite3_last_insert_rowid(b->db);
	s = b->ev;
	sqlite3_bind_int64(s, 1, hh_now_us());
	sqlite3_bind_text(s, 2, "user:1", -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, b->setup->org.id);
	sqlite3_bind_text(s, 4, "inquiry", -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, id);
	sqlite3_bind_text(s, 6, "create", -1, SQLITE_STATIC);
	sqlite3_bind_null(s, 7);
	sqlite3_bind_text(s, 8, b->after, -1, SQLITE_STATIC);
	step_done(b->db, s);
	step_done(b->db, b->commit);
}

static void print_rate(const char *label, int64_t *lat, int n, int64_t total_us)
{
	qsort(lat, (size_t)n, sizeof(*lat), cmp_i64);
	printf("%-58s %7.0f /s   p50 %6.2f ms   p99 %6.2f ms\n", label,
	       n / ((double)total_us / 1e6), pct_ms(lat, n, 50), pct_ms(lat, n, 99));
}

static int cmd_log(const char *dir, int n)
{
	char hpath[4096], bpath[4096], err[1024];
	snprintf(hpath, sizeof(hpath), "%s/log-helhed.db", dir);
	snprintf(bpath, sizeof(bpath), "%s/log-bare.db", dir);
	struct hh_store *st;
	if (hh_store_open_sqlite(hpath, 1, &st) != HH_OK ||
	    st->migrate(st->cls, NULL) != HH_OK)
		die("cannot open", hpath);
	if (hh_vault_start(st, NULL, hpath, err, sizeof(err)) != HH_OK)
		die("cannot seal CPR numbers", err);
	struct log_setup setup;
	if (hh_store_run_tx(st, 1, log_setup_tx, &setup) != HH_OK)
		die("log set-up failed", NULL);
	struct helhed_side h = { .st = st, .setup = &setup };
	h.agent = (struct hh_actor){
		.label = hh_xstrdup("user:1"), .org_id = setup.org.id,
		.org_is_municipality = 1, .roles = HH_ROLE_AGENT,
		.user_id = setup.agent.id,
	};
	/* warm-up: statements prepared, files grown a little */
	for (int i = 0; i < 20; i++)
		helhed_log(&h);
	struct bare b = { .setup = &setup };
	bare_open(&b, bpath, hpath);
	for (int i = 0; i < 20; i++)
		bare_log(&b);

	int64_t *hl = hh_xmalloc(sizeof(int64_t) * (size_t)n);
	int64_t *bl = hh_xmalloc(sizeof(int64_t) * (size_t)n);
	int64_t htotal = 0, btotal = 0, hcpu = 0, bcpu = 0;
	const int block = 10;
	for (int done = 0, round = 0; done < n; done += block, round++) {
		int m = n - done < block ? n - done : block;
		for (int side = 0; side < 2; side++) {
			int helhed = (side + round) % 2 == 0; /* who goes first */
			int64_t *lat = helhed ? hl : bl;
			int64_t t0 = hh_mono_us(), c0 = cpu_us();
			for (int i = 0; i < m; i++) {
				int64_t s = hh_mono_us();
				if (helhed)
					helhed_log(&h);
				else
					bare_log(&b);
				lat[done + i] = hh_mono_us() - s;
			}
			*(helhed ? &htotal : &btotal) += hh_mono_us() - t0;
			*(helhed ? &hcpu : &bcpu) += cpu_us() - c0;
		}
	}
	char nb[32];
	printf("%s inquiries each, one at a time, each its own transaction; "
	       "WAL, synchronous=FULL; files in %s; alternating blocks of %d\n",
	       thousands(n, nb), dir, block);
	print_rate("helhed hh_inquiry_create (checks; row + event + idem. key)", hl,
		   n, htotal);
	print_rate("bare SQLite (INSERT inquiry + INSERT event, same indexes)", bl,
		   n, btotal);
	double hr = n / ((double)htotal / 1e6), br = n / ((double)btotal / 1e6);
	printf("ratio bare/helhed: %.2fx (target: helhed within 2x of bare SQLite: %s)\n",
	       br / hr, br / hr <= 2.0 ? "met" : "NOT met");
	printf("CPU per inquiry, disk waits aside: helhed %.0f us, bare %.0f us "
	       "(%.1fx)\n", (double)hcpu / n, (double)bcpu / n,
	       (double)hcpu / (double)(bcpu ? bcpu : 1));
	free(hl);
	free(bl);
	free(b.after);
	free((char *)h.agent.label);
	for (sqlite3_stmt *s = sqlite3_next_stmt(b.db, NULL); s;
	     s = sqlite3_next_stmt(b.db, NULL))
		sqlite3_finalize(s);
	sqlite3_close(b.db);
	hh_store_close(st);
	return 0;
}

/* ---- seed -------------------------------------------------------------- */

#define N_INQUIRIES 500000
#define N_CITIZENS 50000
#define N_AGENTS 12 /* per municipality, the signed-in one included */

static const char *const seed_channels[] = { "phone", "phone", "phone", "phone",
					     "counter", "counter", "chat", "email",
					     "web", "letter_reply" };

static int cmd_seed(const char *path, const char *email)
{
	int64_t t0 = hh_mono_us();
	sqlite3 *db = open_raw(path, SQLITE_OPEN_READWRITE);
	/* a bulk load: durability is not what is measured here */
	exec_raw(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
		     "PRAGMA cache_size=-200000;");
	int64_t org[2] = { 0, 0 }, me = 0;
	sqlite3_stmt *q = prepare(db, "SELECT (SELECT id FROM organisations WHERE "
				      "code = '901'), (SELECT id FROM organisations "
				      "WHERE code = '902'), (SELECT id FROM users "
				      "WHERE email = ?1)");
	sqlite3_bind_text(q, 1, email, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW) {
		org[0] = sqlite3_column_int64(q, 0);
		org[1] = sqlite3_column_int64(q, 1);
		me = sqlite3_column_int64(q, 2);
	}
	sqlite3_finalize(q);
	if (!org[0] || !org[1] || !me)
		die("seed needs the organisations 901 and 902 and the agent", email);
	exec_raw(db, "BEGIN");
	int64_t now = hh_now_us() / 1000000;
	/* agents: the signed-in one and others who cannot sign in */
	int64_t agents[2][N_AGENTS];
	sqlite3_stmt *u = prepare(db, "INSERT INTO users(organisation_id, email, "
				      "name, password_hash, roles, created_at) "
				      "VALUES (?1, ?2, ?3, '!', ?4, ?5)");
	for (int m = 0; m < 2; m++)
		for (int a = 0; a < N_AGENTS; a++) {
			if (!m && !a) {
				agents[0][0] = me;
				continue;
			}
			char e[64], n[64];
			snprintf(e, sizeof(e), "agent%d-%02d@bench.test", m, a);
			snprintf(n, sizeof(n), "Medarbejder %d-%02d", m, a);
			sqlite3_bind_int64(u, 1, org[m]);
			sqlite3_bind_text(u, 2, e, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(u, 3, n, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(u, 4, HH_ROLE_AGENT);
			sqlite3_bind_int64(u, 5, now);
			step_done(db, u);
			agents[m][a] = sqlite3_last_insert_rowid(db);
		}
	sqlite3_finalize(u);
	/* citizens: 80 % at 901, as the inquiries */
	int64_t *cit = hh_xcalloc(N_CITIZENS, sizeof(int64_t));
	sqlite3_stmt *c = prepare(db, "INSERT INTO citizens(subject, name, "
				      "municipality_id, created_at) VALUES (?1, ?2, ?3, ?4)");
	for (int i = 0; i < N_CITIZENS; i++) {
		char s[64], n[64];
		snprintf(s, sizeof(s), "demo:bench-%05d", i);
		snprintf(n, sizeof(n), "Borger %05d", i);
		sqlite3_bind_text(c, 1, s, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(c, 2, n, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(c, 3, org[i % 5 == 4]);
		sqlite3_bind_int64(c, 4, now);
		step_done(db, c);
		cit[i] = sqlite3_last_insert_rowid(db);
	}
	sqlite3_finalize(c);

	sqlite3_stmt *ins = prepare(db,
		"INSERT INTO inquiries(organisation_id, channel, kle, citizen_id, "
		"agent_id, started_at, ended_at, outcome, transfer_team, "
		"transfer_reason, callback_due_at, note, version, created_at, "
		"updated_at) VALUES (?1, ?2, ?3, nullif(?4, 0), ?5, ?6, "
		"nullif(?7, 0), ?8, ?9, ?10, nullif(?11, 0), NULL, ?12, ?13, ?13)");
	sqlite3_stmt *ev = prepare(db,
		"INSERT INTO events(at, actor, organisation_id, entity, entity_id, "
		"action, before, after) VALUES (?1, ?2, ?3, 'inquiry', ?4, "
		"'create', NULL, ?5)");
	int64_t year = 365 * 86400, today = hh_dk_local(now) / 86400;
	int open[2] = { 0, 0 }, due[2] = { 0, 0 }, events = 0;
	for (int i = 0; i < N_INQUIRIES; i++) {
		/* inquiries in time order, as they are logged */
		int64_t start = now - year + (int64_t)i * year / N_INQUIRIES;
		int cz = (int)rnd(10) < 6 ? (int)rnd(N_CITIZENS) : -1;
		int m = cz >= 0 ? cz % 5 == 4 : i % 5 == 4;
		const char *ch = seed_channels[rnd(10)];
		int written = !strcmp(ch, "email") || !strcmp(ch, "web") ||
			      !strcmp(ch, "letter_reply");
		int age = (int)((now - start) / 86400);
		uint32_t r = rnd(100);
		const char *outcome = r < 67 ? "resolved_first_contact"
				    : r < 82 ? "transferred"
				    : r < 91 ? "case_created" : "callback_promised";
		int64_t due_at = 0, end = start + 180 + rnd(900);
		if (written && age < 2 && rnd(10) < 6) {
			outcome = "open";
			end = 0;
		}
		if (!strcmp(outcome, "case_created"))
			outcome = "transferred"; /* no cases here: the lists do
						    not join them */
		if (!strcmp(outcome, "callback_promised")) {
			if (age < 2)
				due_at = (today + (int64_t)rnd(2)) * 86400 + 9 * 3600 -
					 3600 + rnd(7 * 3600);
			else if (rnd(10) == 0)
				due_at = start + 86400; /* never followed up */
			else
				outcome = "transferred"; /* the callback made */
			if (due_at && due_at <= start)
				due_at = start + 3600;
		}
		int transferred = !strcmp(outcome, "transferred");
		int64_t agent = agents[m][rnd(N_AGENTS)];
		sqlite3_bind_int64(ins, 1, org[m]);
		sqlite3_bind_text(ins, 2, ch, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, "23.05.00", -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 4, cz >= 0 ? cit[cz] : 0);
		sqlite3_bind_int64(ins, 5, agent);
		sqlite3_bind_int64(ins, 6, start);
		sqlite3_bind_int64(ins, 7, end);
		sqlite3_bind_text(ins, 8, outcome, -1, SQLITE_STATIC);
		if (transferred) {
			sqlite3_bind_text(ins, 9, "ydelser", -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, 10, "kraever-sagsbehandler", -1,
					  SQLITE_STATIC);
		} else {
			sqlite3_bind_null(ins, 9);
			sqlite3_bind_null(ins, 10);
		}
		sqlite3_bind_int64(ins, 11, due_at);
		sqlite3_bind_int64(ins, 12, 1);
		sqlite3_bind_int64(ins, 13, end ? end : start);
		step_done(db, ins);
		int64_t id = sqlite3_last_insert_rowid(db);
		char actor[32], after[400];
		snprintf(actor, sizeof(actor), "user:%lld", (long long)agent);
		snprintf(after, sizeof(after),
			 "{\"agent_id\":%lld,\"channel\":\"%s\",\"citizen_id\":%lld,"
			 "\"id\":%lld,\"kle\":\"23.05.00\",\"organisation_id\":%lld,"
			 "\"outcome\":\"%s\",\"started_at\":%lld,\"version\":1}",
			 (long long)agent, ch, (long long)(cz >= 0 ? cit[cz] : 0),
			 (long long)id, (long long)org[m], outcome, (long long)start);
		sqlite3_bind_int64(ev, 1, (end ? end : start) * 1000000);
		sqlite3_bind_text(ev, 2, actor, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(ev, 3, org[m]);
		sqlite3_bind_int64(ev, 4, id);
		sqlite3_bind_text(ev, 5, after, -1, SQLITE_TRANSIENT);
		step_done(db, ev);
		events++;
		open[m] += end == 0;
		due[m] += due_at != 0;
		if (i % 50000 == 49999) {
			exec_raw(db, "COMMIT");
			exec_raw(db, "BEGIN");
		}
	}
	sqlite3_finalize(ins);
	sqlite3_finalize(ev);
	/* serve --demo must not import content/ into this database */
	exec_raw(db, "INSERT OR REPLACE INTO meta(key, value) VALUES "
		     "('content_loaded', 'bench')");
	exec_raw(db, "COMMIT");
	exec_raw(db, "ANALYZE");
	const char *drop = getenv("HELHED_BENCH_DROP_INDEXES");
	if (drop && *drop) {
		char *names = hh_xstrdup(drop), *save = NULL;
		for (char *n = strtok_r(names, " ,", &save); n;
		     n = strtok_r(NULL, " ,", &save)) {
			char *sql = sqlite3_mprintf("DROP INDEX %w", n);
			exec_raw(db, sql);
			sqlite3_free(sql);
			printf("dropped index %s (HELHED_BENCH_DROP_INDEXES)\n", n);
		}
		free(names);
	}
	exec_raw(db, "PRAGMA wal_checkpoint(TRUNCATE)");
	sqlite3_close(db);
	char a[32], b[32], d[32];
	printf("seeded %s inquiries (901: open %d, callbacks promised %d; 902: "
	       "open %d, callbacks promised %d), %s events, %s citizens, "
	       "%d agents in %.1f s\n",
	       thousands(N_INQUIRIES, a), open[0], due[0], open[1], due[1],
	       thousands(events, b), thousands(N_CITIZENS, d), 2 * N_AGENTS,
	       (double)(hh_mono_us() - t0) / 1e6);
	free(cit);
	return 0;
}

/* ---- explain ----------------------------------------------------------- */

#define INQ_COLS_SQL                                                          \
	"id, organisation_id, channel, ifnull(article_id, 0), kle, "          \
	"ifnull(citizen_id, 0), ifnull(agent_id, 0), started_at, "            \
	"ifnull(ended_at, 0), outcome, transfer_team, "                       \
	"ifnull(transfer_org_id, 0), transfer_reason, ifnull(case_id, 0), "   \
	"ifnull(callback_due_at, 0), note, idem_scope, idem_key, "            \
	"request_hash, version, created_at, updated_at "

static void run_sql(sqlite3 *db, const char *sql, int64_t org, int64_t cit,
		    int64_t due, int print, double *ms, int64_t *rows_out)
{
	for (int pass = print ? 0 : 1; pass < 2; pass++) {
		char *full = sqlite3_mprintf("%s%s", pass ? "" : "EXPLAIN QUERY PLAN ",
					     sql);
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(db, full, -1, &st, NULL) != SQLITE_OK)
			die(full, sqlite3_errmsg(db));
		sqlite3_free(full);
		int i;
		if ((i = sqlite3_bind_parameter_index(st, ":org")))
			sqlite3_bind_int64(st, i, org);
		if ((i = sqlite3_bind_parameter_index(st, ":cit")))
			sqlite3_bind_int64(st, i, cit);
		if ((i = sqlite3_bind_parameter_index(st, ":due")))
			sqlite3_bind_int64(st, i, due);
		if ((i = sqlite3_bind_parameter_index(st, ":limit")))
			sqlite3_bind_int64(st, i, 50);
		if ((i = sqlite3_bind_parameter_index(st, ":offset")))
			sqlite3_bind_int64(st, i, 0);
		int64_t t0 = hh_mono_us(), rows = 0;
		while (sqlite3_step(st) == SQLITE_ROW) {
			rows++;
			if (!pass)
				printf("      %s\n", sqlite3_column_text(st, 3));
			else
				for (int k = 0; k < sqlite3_column_count(st); k++)
					(void)sqlite3_column_text(st, k);
		}
		if (pass) {
			*ms = (double)(hh_mono_us() - t0) / 1000.0;
			if (rows_out)
				*rows_out = rows;
		}
		sqlite3_finalize(st);
	}
}

static int cmd_explain(const char *path)
{
	sqlite3 *db = open_raw(path, SQLITE_OPEN_READONLY);
	int64_t org = 0, cit = 0;
	sqlite3_stmt *q = prepare(db, "SELECT (SELECT id FROM organisations WHERE "
				      "code = '901'), (SELECT id FROM citizens WHERE "
				      "subject = 'demo:bench-00042')");
	if (sqlite3_step(q) == SQLITE_ROW) {
		org = sqlite3_column_int64(q, 0);
		cit = sqlite3_column_int64(q, 1);
	}
	sqlite3_finalize(q);
	int64_t now = hh_now_us() / 1000000;
	int64_t due = (hh_dk_local(now) / 86400 + 1) * 86400 - 3600;
	static const struct {
		const char *request, *where, *order;
	} shapes[] = {
		{ "GET /api/v1/inquiries?open=1 (the queue)",
		  "WHERE 1 AND organisation_id = :org AND outcome = 'open'",
		  "started_at, id" },
		{ "GET /api/v1/inquiries?citizen_id=N (staff)",
		  "WHERE 1 AND organisation_id = :org AND citizen_id = :cit",
		  "started_at DESC, id DESC" },
		{ "GET /api/v1/inquiries (a citizen's own)",
		  "WHERE 1 AND citizen_id = :cit", "started_at DESC, id DESC" },
		{ "GET /api/v1/inquiries?callbacks=today",
		  "WHERE 1 AND organisation_id = :org AND outcome = "
		  "'callback_promised' AND callback_due_at < :due",
		  "callback_due_at, id" },
		{ "GET /api/v1/inquiries (all, newest first)",
		  "WHERE 1 AND organisation_id = :org", "started_at DESC, id DESC" },
	};
	printf("(store query time in-process, the SQL of inquiry_list, median of 5 "
	       "runs on a warm cache; count = the total the API returns)\n");
	for (size_t s = 0; s < sizeof(shapes) / sizeof(*shapes); s++) {
		char *count_sql = sqlite3_mprintf("SELECT count(*) FROM inquiries %s",
						  shapes[s].where);
		char *page_sql = sqlite3_mprintf(
			"SELECT " INQ_COLS_SQL "FROM inquiries WHERE id IN (SELECT id FROM "
			"inquiries %s ORDER BY %s LIMIT :limit OFFSET :offset) ORDER BY %s",
			shapes[s].where, shapes[s].order, shapes[s].order);
		double cms[5], pms[5], x;
		int64_t rows = 0;
		for (int r = 0; r < 5; r++) {
			run_sql(db, count_sql, org, cit, due, 0, &cms[r], NULL);
			run_sql(db, page_sql, org, cit, due, 0, &pms[r], &rows);
		}
		for (int a = 0; a < 5; a++) /* insertion sort, 5 values */
			for (int b = a; b > 0 && cms[b] < cms[b - 1]; b--)
				x = cms[b], cms[b] = cms[b - 1], cms[b - 1] = x;
		for (int a = 0; a < 5; a++)
			for (int b = a; b > 0 && pms[b] < pms[b - 1]; b--)
				x = pms[b], pms[b] = pms[b - 1], pms[b - 1] = x;
		printf("  %s: count %.2f ms, page %.2f ms (%lld rows)\n",
		       shapes[s].request, cms[2], pms[2], (long long)rows);
		printf("    count:\n");
		run_sql(db, count_sql, org, cit, due, 1, &x, NULL);
		printf("    page:\n");
		run_sql(db, page_sql, org, cit, due, 1, &x, NULL);
		sqlite3_free(count_sql);
		sqlite3_free(page_sql);
	}
	sqlite3_close(db);
	return 0;
}

/* ---- http -------------------------------------------------------------- */

struct client {
	CURL *h;
	struct body body;
	struct curl_slist *headers;
};

static void client_init(struct client *c)
{
	memset(c, 0, sizeof(*c));
	c->h = curl_easy_init();
	curl_easy_setopt(c->h, CURLOPT_COOKIEFILE, ""); /* cookie engine on */
	curl_easy_setopt(c->h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c->h, CURLOPT_WRITEDATA, &c->body);
	curl_easy_setopt(c->h, CURLOPT_TCP_NODELAY, 1L);
	c->headers = curl_slist_append(NULL, "Content-Type: application/json");
}

static void client_clear(struct client *c)
{
	curl_slist_free_all(c->headers);
	curl_easy_cleanup(c->h);
	free(c->body.p);
}

/* One request; returns the status, *us the wall time it took. */
static long request(struct client *c, const char *url, const char *post,
		    int64_t *us)
{
	c->body.len = 0;
	if (c->body.p)
		c->body.p[0] = 0;
	curl_easy_setopt(c->h, CURLOPT_URL, url);
	if (post) {
		curl_easy_setopt(c->h, CURLOPT_POSTFIELDS, post);
		curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, c->headers);
	} else {
		curl_easy_setopt(c->h, CURLOPT_HTTPGET, 1L);
		curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, NULL);
	}
	int64_t t0 = hh_mono_us();
	CURLcode rc = curl_easy_perform(c->h);
	if (us)
		*us = hh_mono_us() - t0;
	if (rc != CURLE_OK)
		die(url, curl_easy_strerror(rc));
	long status = 0;
	curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &status);
	return status;
}

struct target {
	struct client *who;
	const char *label;
	const char *path;
	int page; /* an HTML page others are building: skipped if 404 */
};

static int cmd_http(const char *url, const char *email, const char *password,
		    const char *subject, int n, char **extra, int n_extra)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	struct client agent, cit, anon;
	client_init(&agent);
	client_init(&cit);
	client_init(&anon);
	char u[2048], body[512];
	snprintf(u, sizeof(u), "%s/api/v1/session", url);
	json_t *j = json_pack("{s:s, s:s}", "email", email, "password", password);
	char *js = json_dumps(j, JSON_COMPACT);
	long s = request(&agent, u, js, NULL);
	free(js);
	json_decref(j);
	if (s != 201)
		die("agent sign-in failed", agent.body.p);
	snprintf(u, sizeof(u), "%s/api/v1/citizen/session", url);
	snprintf(body, sizeof(body), "{\"subject\": \"%s\"}", subject);
	if ((s = request(&cit, u, body, NULL)) != 201)
		die("citizen sign-in failed (is the server in --demo mode?)", cit.body.p);
	/* the citizen's id, for the agent's look at their history */
	snprintf(u, sizeof(u), "%s/api/v1/inquiries?limit=1", url);
	if (request(&cit, u, NULL, NULL) != 200)
		die("the citizen's inquiries", cit.body.p);
	json_error_t e;
	json_t *list = json_loads(cit.body.p, 0, &e);
	int64_t cid = json_integer_value(json_object_get(
		json_array_get(json_object_get(list, "items"), 0), "citizen_id"));
	json_decref(list);
	if (!cid)
		die("the demo citizen has no inquiries", subject);
	char history[128];
	snprintf(history, sizeof(history), "/api/v1/inquiries?citizen_id=%lld",
		 (long long)cid);

	struct target targets[32] = {
		{ &anon, "GET /healthz (the same server, beside)", "/healthz", 0 },
		{ &agent, "GET /api/v1/inquiries?open=1 (the queue)",
		  "/api/v1/inquiries?open=1", 0 },
		{ &agent, "GET /api/v1/inquiries?citizen_id=N (a citizen's history)",
		  history, 0 },
		{ &cit, "GET /api/v1/inquiries (the citizen's own)",
		  "/api/v1/inquiries", 0 },
		{ &agent, "GET /api/v1/inquiries?callbacks=today (callbacks due)",
		  "/api/v1/inquiries?callbacks=today", 0 },
		{ &agent, "GET /api/v1/inquiries?callbacks=today&offset=1000",
		  "/api/v1/inquiries?callbacks=today&offset=1000", 0 },
		{ &agent, "GET /api/v1/inquiries (all, newest first)",
		  "/api/v1/inquiries", 0 },
		/* the agent's desk (desk branch): measured once it is there */
		{ &agent, "GET /borgerservice (the desk page)", "/borgerservice", 1 },
	};
	int n_targets = 8;
	char labels[24][160];
	for (int i = 0; i < n_extra && n_targets < 32 && i < 24; i++) {
		snprintf(labels[i], sizeof(labels[i]), "GET %s (agent)", extra[i]);
		targets[n_targets++] = (struct target){ &agent, labels[i], extra[i], 1 };
	}
	printf("%d sequential requests each after 20 to warm up; one kept-alive "
	       "connection per client; wall time per request as the client sees it\n",
	       n);
	printf("%-58s %8s %8s %8s  %s\n", "request", "p50 ms", "p99 ms", "max ms",
	       "rows (total)");
	int64_t *lat = hh_xmalloc(sizeof(int64_t) * (size_t)n);
	int bad_total = 0;
	char nb[32];
	for (int t = 0; t < n_targets; t++) {
		const struct target *tg = &targets[t];
		char info[64] = "";
		int bad = 0;
		snprintf(u, sizeof(u), "%s%s", url, tg->path);
		for (int i = -20; i < n; i++) {
			int64_t us;
			long st = request(tg->who, u, NULL, &us);
			if (i == -20 && tg->page && st == 404)
				break;
			if (st != 200 && bad++ == 0)
				fprintf(stderr, "inquiries_bench: %s: %ld %.300s\n", u, st,
					tg->who->body.p ? tg->who->body.p : "");
			if (i == -20 && st == 200 && !tg->page) {
				json_t *r = json_loads(tg->who->body.p, 0, &e);
				json_t *items = json_object_get(r, "items");
				json_t *total = json_object_get(r, "total");
				if (items && total)
					snprintf(info, sizeof(info), "%zu (%s)",
						 json_array_size(items),
						 thousands(json_integer_value(total), nb));
				json_decref(r);
			} else if (i == -20 && st == 200) {
				snprintf(info, sizeof(info), "%zu bytes of HTML",
					 tg->who->body.len);
			}
			if (i >= 0)
				lat[i] = us;
			if (i == n - 1) {
				qsort(lat, (size_t)n, sizeof(*lat), cmp_i64);
				double p99 = pct_ms(lat, n, 99);
				printf("%-58s %8.2f %8.2f %8.2f  %s%s%s\n", tg->label,
				       pct_ms(lat, n, 50), p99, (double)lat[n - 1] / 1000.0,
				       info, p99 > 20.0 ? "  ** p99 over 20 ms" : "",
				       bad ? "  ** non-200 responses" : "");
			}
		}
		if (tg->page && !info[0] && !bad)
			printf("%-58s %8s %8s %8s  not there yet (404)\n", tg->label, "-",
			       "-", "-");
		if (bad)
			printf("    (%d of %d requests were not 200)\n", bad, n + 20);
		bad_total += bad;
	}
	free(lat);
	client_clear(&agent);
	client_clear(&cit);
	client_clear(&anon);
	curl_global_cleanup();
	return bad_total ? 1 : 0;
}

int main(int argc, char **argv)
{
	hh_log_set_level(HH_LOG_WARN);
	if (argc == 4 && !strcmp(argv[1], "log"))
		return cmd_log(argv[2], atoi(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "seed"))
		return cmd_seed(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "explain"))
		return cmd_explain(argv[2]);
	if (argc >= 7 && !strcmp(argv[1], "http"))
		return cmd_http(argv[2], argv[3], argv[4], argv[5], atoi(argv[6]),
				argv + 7, argc - 7);
	fprintf(stderr,
		"usage: inquiries_bench log DIR N\n"
		"       inquiries_bench seed DB EMAIL\n"
		"       inquiries_bench explain DB\n"
		"       inquiries_bench http URL EMAIL PASSWORD SUBJECT N [PATH ...]\n");
	return 2;
}
