/* cases_bench.c - the programs of the case benchmark (bench/cases.sh):
 * durable submissions beside bare SQLite, 100,000 seeded cases, the query
 * plans of the case lists, and request latency of the caseworker's queue
 * and the citizen's overview over HTTP.
 *
 *   cases_bench submit DIR N
 *       N submissions through hh_case_submit (form validated, case + event
 *       + idempotency key in one write transaction) into a fresh store in
 *       DIR, beside a bare SQLite INSERT of the case row and of the event
 *       row (one transaction per submission) into a separate file with the
 *       same PRAGMAs and the same tables and indexes (copied from the
 *       store's schema, foreign keys off). The two alternate in blocks so
 *       that the disk's ups and downs hit both alike. Wall-clock time.
 *   cases_bench seed DB EMAIL
 *       fills DB, which has the organisations 901 and 902 and the staff
 *       user EMAIL (created by `helhed user add`), with 10 case types,
 *       20,000 demo citizens (subject demo:bench-NNNNN, 5 cases each),
 *       39 more caseworkers and 100,000 cases with their events, in
 *       transactions of 10,000 through the store. Set-up, not measured.
 *       HELHED_BENCH_DROP_INDEXES="a b" drops those indexes afterwards, for
 *       figures without an index a migration adds (before/after).
 *   cases_bench explain DB EMAIL
 *       EXPLAIN QUERY PLAN and in-process time of the SQL that the store's
 *       case_list runs for each request measured over HTTP (the shapes are
 *       mirrored from src/store/sqlite.c, which builds them at run time).
 *   cases_bench http URL EMAIL PASSWORD SUBJECT N
 *       signs in as the caseworker (POST /api/v1/session) and as the demo
 *       citizen (POST /api/v1/citizen/session) and times N sequential
 *       requests of each URL, each client on one kept-alive connection,
 *       after a warm-up of 20.
 *
 * Benchmarks print figures; nothing here asserts. A failed request or
 * submission is reported and ends the program with status 1. */
#include <curl/curl.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/vault.h"
#include "domain/cases.h"
#include "store/store.h"
#include "bench_http.h"

/* ---- small helpers ----------------------------------------------------- */

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "cases_bench: %s%s%s\n", what, detail ? ": " : "",
		detail ? detail : "");
	exit(1);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Nearest-rank percentile of n sorted values, in milliseconds. */
static double pct_ms(const int64_t *sorted, int n, double p)
{
	int i = (int)((p * n + 99) / 100) - 1;
	if (i < 0)
		i = 0;
	if (i >= n)
		i = n - 1;
	return (double)sorted[i] / 1000.0;
}

/* This thread's CPU time (SQLite runs in it too), in microseconds: what a
 * submission costs apart from waiting for the disk. */
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
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(uint32_t n)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dull) >> 33) % n;
}

/* A case type as content/case-types/ writes it (modelled on the example
 * testsag.json): name and deadline vary. The form is the one submitted. */
static char *case_type_json(const char *name, int deadline_days)
{
	json_error_t e;
	json_t *j = json_pack_ex(
		&e, 0,
		"{s:s, s:s, s:s, s:s, s:b, s:s,"
		" s:[{s:s, s:s}, {s:s, s:s}, {s:s, s:s, s:b}, {s:s, s:s, s:b},"
		"    {s:s, s:s, s:b}],"
		" s:[{s:s, s:s, s:s}, {s:s, s:s, s:s}, {s:s, s:s, s:s}],"
		" s:{s:s, s:[{s:s, s:s, s:s, s:b}, {s:s, s:s, s:s, s:b},"
		"           {s:s, s:s, s:s, s:b},"
		"           {s:s, s:s, s:s, s:i, s:i, s:b, s:{s:s, s:s}}]}}",
		"name", name, "organisation", "municipality", "kle", "00.01.00",
		"deadline", "P0D", "public", 1, "initial", "received",
		"states",
		"key", "received", "label", "Modtaget",
		"key", "in_progress", "label", "Under behandling",
		"key", "awaiting_citizen", "label", "Afventer dig", "paused", 1,
		"key", "granted", "label", "Bevilget", "final", 1,
		"key", "rejected", "label", "Afslået", "final", 1,
		"transitions",
		"from", "received", "to", "in_progress", "role", "caseworker",
		"from", "in_progress", "to", "granted", "role", "caseworker",
		"from", "in_progress", "to", "rejected", "role", "caseworker",
		"form", "title", name, "fields",
		"name", "navn", "label", "Navn", "type", "text", "required", 1,
		"name", "cpr", "label", "CPR-nummer", "type", "cpr", "required", 1,
		"name", "boern", "label", "Har du børn?", "type", "yesno",
		"required", 1,
		"name", "antal", "label", "Antal børn", "type", "number", "min", 1,
		"max", 10, "required", 1, "when", "field", "boern", "equals", "ja");
	if (!j)
		die("case type template", e.text);
	char d[16];
	snprintf(d, sizeof(d), "P%dD", deadline_days);
	json_object_set_new(j, "deadline", json_string(d));
	char *s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	return s;
}

static struct hh_store *open_store(const char *path, int pool)
{
	struct hh_store *st;
	if (hh_store_open_sqlite(path, pool, &st) != HH_OK)
		die("cannot open", path);
	if (st->migrate(st->cls, NULL) != HH_OK)
		die("cannot migrate", path);
	/* CPR numbers sealed as the server seals them (domain/vault.h) */
	char err[1024];
	if (hh_vault_start(st, NULL, path, err, sizeof(err)) != HH_OK)
		die("cannot seal CPR numbers", err);
	return st;
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

/* ---- submit ------------------------------------------------------------ */

struct submit_setup {
	const char *definition;
	struct hh_org org;
	struct hh_citizen citizen;
};

static enum hh_rc submit_setup_tx(struct hh_tx *tx, void *p)
{
	struct submit_setup *s = p;
	s->org = (struct hh_org){ .code = "901", .name = "Nordskov Kommune",
				  .kind = HH_ORG_MUNICIPALITY };
	enum hh_rc rc = tx->store->org_put(tx, &s->org);
	struct hh_case_type ct = { .code = "testsag", .organisation = "municipality",
				   .name = "Testsag", .public = 1,
				   .definition = s->definition };
	if (rc == HH_OK)
		rc = tx->store->case_type_put(tx, &ct);
	s->citizen = (struct hh_citizen){ .subject = "demo:bench-submit",
					  .name = "Test Borger",
					  .cpr = "0101801235",
					  .municipality_id = s->org.id };
	if (rc == HH_OK)
		rc = tx->store->citizen_put(tx, &s->citizen);
	return rc;
}

/* The bare side: the statements the store runs for the case and its
 * event (S_CASE_INSERT, S_EVENT_APPEND in sqlite.c), nothing else. */
struct bare {
	sqlite3 *db;
	sqlite3_stmt *begin, *commit, *ins_case, *ins_event;
	const char *data;
	int64_t case_type_id, org_id, citizen_id;
};

static void bare_open(struct bare *b, const char *path, const char *schema_from)
{
	b->db = open_raw(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
	exec_raw(b->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			"PRAGMA temp_store=MEMORY;");
	/* the same tables and indexes as the store's, whatever its
	 * migrations say today */
	sqlite3 *src = open_raw(schema_from, SQLITE_OPEN_READONLY);
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(src,
			       "SELECT sql FROM sqlite_master WHERE tbl_name IN "
			       "('cases', 'events') AND type IN ('table', 'index') "
			       "AND sql IS NOT NULL ORDER BY type DESC",
			       -1, &q, NULL) != SQLITE_OK)
		die("schema", sqlite3_errmsg(src));
	while (sqlite3_step(q) == SQLITE_ROW)
		exec_raw(b->db, (const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	sqlite3_close(src);
	const char *sql[4] = {
		"BEGIN IMMEDIATE",
		"COMMIT",
		"INSERT INTO cases(case_type_id, organisation_id, citizen_id, "
		"plan_id, step, parent_case_id, state, assigned_to, data, version, "
		"created_at, updated_at, deadline_at, paused_since, closed_at) "
		"VALUES (?1, ?2, nullif(?3, 0), nullif(?4, 0), ?5, nullif(?6, 0), "
		"?7, nullif(?8, 0), ?9, 1, ?10, ?10, ?11, nullif(?12, 0), "
		"nullif(?13, 0))",
		"INSERT INTO events(at, actor, organisation_id, entity, "
		"entity_id, action, before, after) VALUES (?1, ?2, nullif(?3, 0), "
		"?4, ?5, ?6, ?7, ?8)",
	};
	sqlite3_stmt **out[4] = { &b->begin, &b->commit, &b->ins_case, &b->ins_event };
	for (int i = 0; i < 4; i++)
		if (sqlite3_prepare_v3(b->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT,
				       out[i], NULL) != SQLITE_OK)
			die(sql[i], sqlite3_errmsg(b->db));
}

static void step_done(sqlite3 *db, sqlite3_stmt *st)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		die("bare insert", sqlite3_errmsg(db));
	sqlite3_reset(st);
}

static void bare_submit(struct bare *b)
{
	int64_t now = hh_now_us() / 1000000, deadline = now + 10 * 86400;
	step_done(b->db, b->begin);
	sqlite3_stmt *c = b->ins_case;
	sqlite3_bind_int64(c, 1, b->case_type_id);
	sqlite3_bind_int64(c, 2, b->org_id);
	sqlite3_bind_int64(c, 3, b->citizen_id);
	sqlite3_bind_int64(c, 4, 0);
	sqlite3_bind_null(c, 5);
	sqlite3_bind_int64(c, 6, 0);
	sqlite3_bind_text(c, 7, "received", -1, SQLITE_STATIC);
	sqlite3_bind_int64(c, 8, 0);
	sqlite3_bind_text(c, 9, b->data, -1, SQLITE_STATIC);
	sqlite3_bind_int64(c, 10, now);
	sqlite3_bind_int64(c, 11, deadline);
	sqlite3_bind_int64(c, 12, 0);
	sqlite3_bind_int64(c, 13, 0);
	step_done(b->db, c);
	int64_t id = sqlite3_last_insert_rowid(b->db);
	char after[160];
	snprintf(after, sizeof(after),
		 "{\"case_type\":\"testsag\",\"deadline_at\":%lld,"
		 "\"state\":\"received\",\"version\":1}",
		 (long long)deadline);
	sqlite3_stmt *e = b->ins_event;
	sqlite3_bind_int64(e, 1, hh_now_us());
	sqlite3_bind_text(e, 2, "citizen:1", -1, SQLITE_STATIC);
	sqlite3_bind_int64(e, 3, b->org_id);
	sqlite3_bind_text(e, 4, "case", -1, SQLITE_STATIC);
	sqlite3_bind_int64(e, 5, id);
	sqlite3_bind_text(e, 6, "submit", -1, SQLITE_STATIC);
	sqlite3_bind_null(e, 7);
	sqlite3_bind_text(e, 8, after, -1, SQLITE_TRANSIENT);
	step_done(b->db, e);
	step_done(b->db, b->commit);
}

struct helhed_side {
	struct hh_store *st;
	struct submit_setup *setup;
	json_t *values;
	const char *scope, *actor;
	int n;
	const char *data; /* the stored form values of the first case */
};

static void helhed_submit(struct helhed_side *h)
{
	struct hh_arena a;
	hh_arena_init(&a);
	char key[32];
	snprintf(key, sizeof(key), "bench-%d", h->n++);
	struct hh_submission sub = {
		.case_type = "testsag", .citizen_id = h->setup->citizen.id,
		.municipality_id = h->setup->org.id, .values = h->values,
		.idem_scope = h->scope, .idem_key = key, .actor = h->actor,
		.loa = HH_LOA_SUBSTANTIAL,
	};
	struct hh_form_result res;
	struct hh_case c;
	int replayed;
	const char *why;
	enum hh_rc rc = hh_case_submit(h->st, &a, &sub, &res, &c, &replayed, &why, NULL);
	if (rc != HH_OK || replayed) {
		fprintf(stderr, "cases_bench: submission failed: %s (%s)\n",
			hh_rc_name(rc), why ? why : "");
		for (int i = 0; i < res.n_errors; i++)
			fprintf(stderr, "  %s: %s\n", res.errors[i].field,
				res.errors[i].message);
		exit(1);
	}
	if (!h->data)
		h->data = hh_xstrdup(c.data);
	json_decref(res.values);
	hh_arena_clear(&a);
}

static void print_rate(const char *label, int64_t *lat, int n, int64_t total_us)
{
	qsort(lat, (size_t)n, sizeof(*lat), cmp_i64);
	printf("%-58s %7.0f /s   p50 %6.2f ms   p99 %6.2f ms\n", label,
	       n / ((double)total_us / 1e6), pct_ms(lat, n, 50), pct_ms(lat, n, 99));
}

static int cmd_submit(const char *dir, int n)
{
	char hpath[4096], bpath[4096];
	snprintf(hpath, sizeof(hpath), "%s/submit-helhed.db", dir);
	snprintf(bpath, sizeof(bpath), "%s/submit-bare.db", dir);
	struct hh_store *st = open_store(hpath, 1);
	struct submit_setup setup = { .definition = case_type_json("Testsag", 10) };
	if (hh_store_run_tx(st, 1, submit_setup_tx, &setup) != HH_OK)
		die("submit set-up failed", NULL);
	json_error_t e;
	struct helhed_side h = {
		.st = st, .setup = &setup,
		.values = json_loads("{\"navn\": \"Test Borger\", \"cpr\": \"0101801235\", "
				     "\"boern\": \"ja\", \"antal\": 2}", 0, &e),
		.scope = "citizen:bench", .actor = "citizen:1",
	};
	struct bare b = { .org_id = setup.org.id, .citizen_id = setup.citizen.id,
			  .case_type_id = 1 };
	bare_open(&b, bpath, hpath);

	/* warm-up: statements prepared, files grown a little */
	for (int i = 0; i < 20; i++)
		helhed_submit(&h);
	b.data = h.data;
	for (int i = 0; i < 20; i++)
		bare_submit(&b);

	int64_t *hl = hh_xmalloc(sizeof(int64_t) * (size_t)n);
	int64_t *bl = hh_xmalloc(sizeof(int64_t) * (size_t)n);
	int64_t htotal = 0, btotal = 0, hcpu = 0, bcpu = 0;
	/* small blocks: a slow spell of the shared disk hits both sides alike */
	const int block = 10;
	for (int done = 0, round = 0; done < n; done += block, round++) {
		int m = n - done < block ? n - done : block;
		for (int side = 0; side < 2; side++) {
			/* alternate who goes first */
			int helhed = (side + round) % 2 == 0;
			int64_t *lat = helhed ? hl : bl;
			int64_t t0 = hh_mono_us(), c0 = cpu_us();
			for (int i = 0; i < m; i++) {
				int64_t s = hh_mono_us();
				if (helhed)
					helhed_submit(&h);
				else
					bare_submit(&b);
				lat[done + i] = hh_mono_us() - s;
			}
			*(helhed ? &htotal : &btotal) += hh_mono_us() - t0;
			*(helhed ? &hcpu : &bcpu) += cpu_us() - c0;
		}
	}
	char nb[32];
	printf("%s submissions each, one at a time, each its own transaction; "
	       "WAL, synchronous=FULL; files in %s; alternating blocks of %d\n",
	       thousands(n, nb), dir, block);
	print_rate("helhed hh_case_submit (validate; case + event + idem. key)",
		   hl, n, htotal);
	print_rate("bare SQLite (INSERT case + INSERT event, same indexes)", bl, n,
		   btotal);
	double hr = n / ((double)htotal / 1e6), br = n / ((double)btotal / 1e6);
	printf("ratio bare/helhed: %.2fx (target: helhed within 2x of bare SQLite: %s)\n",
	       br / hr, br / hr <= 2.0 ? "met" : "NOT met");
	printf("CPU per submission, disk waits aside: helhed %.0f us, bare %.0f us "
	       "(%.1fx)\n", (double)hcpu / n, (double)bcpu / n,
	       (double)hcpu / (double)(bcpu ? bcpu : 1));
	free(hl);
	free(bl);
	free((char *)h.data);
	free((char *)setup.definition);
	json_decref(h.values);
	for (sqlite3_stmt *s = sqlite3_next_stmt(b.db, NULL); s;
	     s = sqlite3_next_stmt(b.db, NULL))
		sqlite3_finalize(s);
	sqlite3_close(b.db);
	hh_store_close(st);
	return 0;
}

/* ---- seed -------------------------------------------------------------- */

#define N_CASES 100000
#define N_CITIZENS 20000
#define N_TYPES 10
#define N_WORKERS 20 /* caseworkers per municipality, the signed-in one included */

static const char *const type_codes[N_TYPES] = {
	"boligstoette",  "hjemmehjaelp",  "parkeringskort", "byggetilladelse",
	"handicapbil",   "enkeltydelse",  "flyttetilskud",  "navneaendring",
	"storskrald",    "tandpleje",
};
static const char *const type_names[N_TYPES] = {
	"Boligstøtte",   "Hjemmehjælp",   "Handicapparkeringskort",
	"Byggetilladelse", "Støtte til bil", "Enkeltydelse",
	"Flyttetilskud", "Navneændring",  "Storskrald",
	"Omsorgstandpleje",
};
static const int type_deadline_days[N_TYPES] = { 30, 14, 21, 60, 90,
						 10, 30, 7,  5,  45 };

struct seed {
	const char *email;
	int64_t org[2];
	int64_t workers[2][N_WORKERS];
	int64_t types[N_TYPES];
	int64_t *citizens; /* N_CITIZENS; citizen i lives in org[i % 2] */
	int next_case;
	int64_t now;
	int open[2], events;
};

static enum hh_rc seed_setup_tx(struct hh_tx *tx, void *p)
{
	struct seed *s = p;
	struct hh_store *st = tx->store;
	struct hh_arena a;
	hh_arena_init(&a);
	static const char *const codes[2] = { "901", "902" };
	enum hh_rc rc = HH_OK;
	for (int m = 0; rc == HH_OK && m < 2; m++) {
		struct hh_org o;
		rc = st->org_get_by_code(tx, &a, codes[m], &o);
		s->org[m] = o.id;
	}
	struct hh_user me;
	if (rc == HH_OK)
		rc = st->user_get_by_email(tx, &a, s->email, &me);
	if (rc == HH_OK && me.org_id != s->org[0])
		rc = HH_ERR_INVALID;
	/* the signed-in caseworker is one of 901's; the others cannot sign
	 * in (no valid password hash) but hold cases */
	for (int m = 0; rc == HH_OK && m < 2; m++) {
		for (int w = 0; rc == HH_OK && w < N_WORKERS; w++) {
			if (m == 0 && w == 0) {
				s->workers[0][0] = me.id;
				continue;
			}
			struct hh_user u = {
				.org_id = s->org[m], .roles = HH_ROLE_CASEWORKER,
				.email = hh_arena_printf(&a, "cw%d-%02d@bench.test", m, w),
				.name = hh_arena_printf(&a, "Sagsbehandler %d-%02d", m, w),
				.password_hash = "!",
			};
			rc = st->user_insert(tx, &u);
			s->workers[m][w] = u.id;
		}
	}
	for (int t = 0; rc == HH_OK && t < N_TYPES; t++) {
		char *def = case_type_json(type_names[t], type_deadline_days[t]);
		struct hh_case_type ct = { .code = type_codes[t],
					   .organisation = "municipality",
					   .name = type_names[t], .public = 1,
					   .definition = def };
		rc = st->case_type_put(tx, &ct);
		s->types[t] = ct.id;
		free(def);
	}
	for (int i = 0; rc == HH_OK && i < N_CITIZENS; i++) {
		struct hh_citizen c = {
			.subject = hh_arena_printf(&a, "demo:bench-%05d", i),
			.name = hh_arena_printf(&a, "Borger %05d", i),
			.municipality_id = s->org[i % 2],
		};
		rc = st->citizen_put(tx, &c);
		s->citizens[i] = c.id;
	}
	/* serve --demo must not import content/ into this database */
	if (rc == HH_OK)
		rc = st->meta_set(tx, "content_loaded", "bench");
	hh_arena_clear(&a);
	return rc;
}

static enum hh_rc ev(struct hh_tx *tx, struct seed *s, int64_t org, int64_t id,
		     int64_t at, const char *actor, const char *action,
		     const char *after)
{
	struct hh_event e = { .at_us = at * 1000000, .actor = actor, .org_id = org,
			      .entity = "case", .entity_id = id, .action = action,
			      .after = after };
	s->events++;
	return tx->store->event_append(tx, &e);
}

static enum hh_rc seed_cases_tx(struct hh_tx *tx, void *p)
{
	struct seed *s = p;
	struct hh_arena a;
	hh_arena_init(&a);
	enum hh_rc rc = HH_OK;
	int end = s->next_case + 10000;
	for (int i = s->next_case; rc == HH_OK && i < end && i < N_CASES; i++) {
		int cit = i % N_CITIZENS, m = cit % 2, t = (int)rnd(N_TYPES);
		/* 20% received, 20% in progress, 10% awaiting the citizen,
		 * 30% granted, 20% rejected */
		uint32_t r = rnd(100);
		const char *state = r < 20 ? "received" : r < 40 ? "in_progress"
				  : r < 50 ? "awaiting_citizen" : r < 80 ? "granted"
				  : "rejected";
		int open = r < 50;
		/* open cases are recent (so some, not all, are overdue);
		 * closed ones are spread over two years */
		int64_t age = open ? (int64_t)rnd(75 * 86400) : (int64_t)rnd(730 * 86400);
		struct hh_case c = {
			.case_type_id = s->types[t], .org_id = s->org[m],
			.citizen_id = s->citizens[cit], .state = state,
			.created_at = s->now - age,
			.data = "{\"antal\":2,\"boern\":\"ja\",\"cpr\":\"0101801235\","
				"\"navn\":\"Test Borger\"}",
		};
		c.deadline_at = c.created_at + type_deadline_days[t] * 86400;
		int assigned = r >= 40 ? 1 : r >= 20 ? rnd(10) < 9 : rnd(10) < 3;
		if (assigned)
			c.assigned_to = s->workers[m][rnd(N_WORKERS)];
		if (!strcmp(state, "awaiting_citizen"))
			c.paused_since = c.created_at + (s->now - c.created_at) / 2;
		if (!open)
			c.closed_at = c.created_at + (int64_t)rnd((unsigned)type_deadline_days[t] * 86400);
		rc = tx->store->case_insert(tx, &c);
		const char *cit_actor = hh_arena_printf(&a, "citizen:%lld",
							(long long)c.citizen_id);
		if (rc == HH_OK)
			rc = ev(tx, s, c.org_id, c.id, c.created_at, cit_actor, "submit",
				hh_arena_printf(&a, "{\"case_type\":\"%s\",\"state\":"
						    "\"received\",\"version\":1}",
						type_codes[t]));
		if (rc == HH_OK && assigned)
			rc = ev(tx, s, c.org_id, c.id, c.created_at + 3600, "user:1",
				"assign", "{\"state\":\"received\",\"version\":2}");
		if (rc == HH_OK && strcmp(state, "received"))
			rc = ev(tx, s, c.org_id, c.id, c.created_at + 7200, "user:1",
				"transition",
				hh_arena_printf(&a, "{\"state\":\"%s\",\"version\":3}", state));
		s->open[m] += open;
	}
	hh_arena_clear(&a);
	return rc;
}

static int cmd_seed(const char *db, const char *email)
{
	int64_t t0 = hh_mono_us();
	struct hh_store *st = open_store(db, 1);
	struct seed s = { .email = email, .now = hh_now_us() / 1000000,
			  .citizens = hh_xcalloc(N_CITIZENS, sizeof(int64_t)) };
	enum hh_rc rc = hh_store_run_tx(st, 1, seed_setup_tx, &s);
	if (rc != HH_OK)
		die("seed set-up failed (organisations 901/902 and the user there?)",
		    hh_rc_name(rc));
	for (s.next_case = 0; s.next_case < N_CASES; s.next_case += 10000) {
		/* no other writer: the transaction is not retried, so the
		 * counts in s stay right */
		rc = hh_store_run_tx(st, 1, seed_cases_tx, &s);
		if (rc != HH_OK)
			die("seeding cases failed", hh_rc_name(rc));
	}
	hh_store_close(st);
	/* before/after figures for an index: seed with it, then drop it */
	const char *drop = getenv("HELHED_BENCH_DROP_INDEXES");
	if (drop && *drop) {
		sqlite3 *raw = open_raw(db, SQLITE_OPEN_READWRITE);
		char *names = hh_xstrdup(drop), *save = NULL;
		for (char *n = strtok_r(names, " ,", &save); n;
		     n = strtok_r(NULL, " ,", &save)) {
			char *sql = sqlite3_mprintf("DROP INDEX %w", n);
			exec_raw(raw, sql);
			sqlite3_free(sql);
			printf("dropped index %s (HELHED_BENCH_DROP_INDEXES)\n", n);
		}
		free(names);
		sqlite3_close(raw);
	}
	char a[32], b[32], c[32], d[32], e[32];
	printf("seeded %s cases (open: %s in 901, %s in 902), %s events, "
	       "%s citizens (5 cases each), %d case types, %d caseworkers "
	       "in %.1f s\n",
	       thousands(N_CASES, a), thousands(s.open[0], b),
	       thousands(s.open[1], c), thousands(s.events, d),
	       thousands(N_CITIZENS, e), N_TYPES, 2 * N_WORKERS,
	       (double)(hh_mono_us() - t0) / 1e6);
	free(s.citizens);
	return 0;
}

/* ---- explain ----------------------------------------------------------- */

/* What case_list in src/store/sqlite.c builds, per request measured. */
#define CASE_COLS_SQL                                                        \
	"c.id, c.case_type_id, t.code, t.name, c.organisation_id, o.code, "     \
	"o.name, ifnull(c.citizen_id, 0), z.name, ifnull(c.plan_id, 0), "       \
	"c.step, ifnull(c.parent_case_id, 0), c.state, "                        \
	"ifnull(c.assigned_to, 0), u.name, c.data, c.version, c.created_at, "   \
	"c.updated_at, c.deadline_at, ifnull(c.paused_since, 0), "             \
	"ifnull(c.closed_at, 0) "
#define CASE_FROM_SQL                                                        \
	"FROM cases c JOIN case_types t ON t.id = c.case_type_id "             \
	"JOIN organisations o ON o.id = c.organisation_id "                    \
	"LEFT JOIN citizens z ON z.id = c.citizen_id "                        \
	"LEFT JOIN users u ON u.id = c.assigned_to "

struct shape {
	const char *request;
	const char *where;
	const char *order;
	int count; /* the API asks for the total */
	int64_t offset, limit;
	/* not what the store runs but a suggestion: the page's ids from the
	 * index alone, then only those rows joined */
	int late;
};

static void explain_one(sqlite3 *db, const char *sql, int64_t org, int64_t me,
			int64_t ct, int64_t cit, int64_t offset, int64_t limit,
			int print, double *ms)
{
	sqlite3_stmt *st;
	for (int pass = print ? 0 : 1; pass < 2; pass++) {
		char *full = sqlite3_mprintf("%s%s", pass ? "" : "EXPLAIN QUERY PLAN ",
					     sql);
		if (sqlite3_prepare_v2(db, full, -1, &st, NULL) != SQLITE_OK)
			die(full, sqlite3_errmsg(db));
		sqlite3_free(full);
		int i;
		if ((i = sqlite3_bind_parameter_index(st, ":org")))
			sqlite3_bind_int64(st, i, org);
		if ((i = sqlite3_bind_parameter_index(st, ":asg")))
			sqlite3_bind_int64(st, i, me);
		if ((i = sqlite3_bind_parameter_index(st, ":ct")))
			sqlite3_bind_int64(st, i, ct);
		if ((i = sqlite3_bind_parameter_index(st, ":cit")))
			sqlite3_bind_int64(st, i, cit);
		if ((i = sqlite3_bind_parameter_index(st, ":state")))
			sqlite3_bind_text(st, i, "in_progress", -1, SQLITE_STATIC);
		if ((i = sqlite3_bind_parameter_index(st, ":now")))
			sqlite3_bind_int64(st, i, hh_now_us() / 1000000);
		if ((i = sqlite3_bind_parameter_index(st, ":limit")))
			sqlite3_bind_int64(st, i, limit);
		if ((i = sqlite3_bind_parameter_index(st, ":offset")))
			sqlite3_bind_int64(st, i, offset);
		int64_t t0 = hh_mono_us(), rows = 0;
		while (sqlite3_step(st) == SQLITE_ROW) {
			rows++;
			if (!pass)
				printf("      %s\n", sqlite3_column_text(st, 3));
			else
				for (int c = 0; c < sqlite3_column_count(st); c++)
					(void)sqlite3_column_text(st, c);
		}
		if (pass)
			*ms = (double)(hh_mono_us() - t0) / 1000.0;
		sqlite3_finalize(st);
	}
}

static int cmd_explain(const char *path, const char *email)
{
	sqlite3 *db = open_raw(path, SQLITE_OPEN_READONLY);
	int64_t org = 0, me = 0, ct = 0, cit = 0;
	sqlite3_stmt *q;
	sqlite3_prepare_v2(db,
			   "SELECT (SELECT id FROM organisations WHERE code = '901'), "
			   "(SELECT id FROM users WHERE email = ?1), "
			   "(SELECT id FROM case_types WHERE code = 'boligstoette'), "
			   "(SELECT id FROM citizens WHERE subject = 'demo:bench-00042')",
			   -1, &q, NULL);
	sqlite3_bind_text(q, 1, email, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW) {
		org = sqlite3_column_int64(q, 0);
		me = sqlite3_column_int64(q, 1);
		ct = sqlite3_column_int64(q, 2);
		cit = sqlite3_column_int64(q, 3);
	}
	sqlite3_finalize(q);
	const char *open = " AND c.closed_at IS NULL";
	const char *dl = "c.deadline_at, c.id";
	const struct shape shapes[] = {
		{ "GET /api/v1/cases", "WHERE 1 AND c.organisation_id = :org%s", dl, 1, 0, 50,
		  0 },
		{ "GET /api/v1/cases?overdue=1",
		  "WHERE 1 AND c.organisation_id = :org%s AND c.paused_since IS NULL "
		  "AND c.deadline_at < :now", dl, 1, 0, 50, 0 },
		{ "GET /api/v1/cases?assigned=me",
		  "WHERE 1 AND c.organisation_id = :org AND c.assigned_to = :asg%s", dl,
		  1, 0, 50, 0 },
		{ "GET /api/v1/cases?state=in_progress&case_type=boligstoette",
		  "WHERE 1 AND c.organisation_id = :org AND c.case_type_id = :ct "
		  "AND c.state = :state%s", dl, 1, 0, 50, 0 },
		{ "GET /api/v1/cases?offset=5000", "WHERE 1 AND c.organisation_id = :org%s",
		  dl, 1, 5000, 50, 0 },
		{ "(suggested) offset=5000 as WHERE c.id IN (SELECT c.id ... OFFSET)",
		  "WHERE 1 AND c.organisation_id = :org%s", dl, 0, 5000, 50, 1 },
		{ "GET /api/v1/overview (its case list)", "WHERE 1 AND c.citizen_id = :cit",
		  "c.id DESC", 0, 0, 500, 0 },
		/* the page drops "open" when a state is chosen */
		{ "GET /sagsbehandling?tilstand=in_progress",
		  "WHERE 1 AND c.organisation_id = :org AND c.state = :state", dl, 1, 0, 25, 0 },
	};
	printf("(store query time in-process, same SQL as case_list, median of 5 "
	       "runs on a warm cache; count = the total the API returns)\n");
	for (size_t i = 0; i < sizeof(shapes) / sizeof(*shapes); i++) {
		const struct shape *sh = &shapes[i];
		char where[512];
		if (strstr(sh->where, "%s"))
			snprintf(where, sizeof(where), sh->where, open);
		else
			snprintf(where, sizeof(where), "%s", sh->where);
		char *count_sql = sqlite3_mprintf("SELECT count(*) FROM cases c %s", where);
		char *page_sql =
			sh->late ? sqlite3_mprintf("SELECT " CASE_COLS_SQL CASE_FROM_SQL
						   "WHERE c.id IN (SELECT c.id FROM cases c "
						   "%s ORDER BY %s LIMIT :limit OFFSET "
						   ":offset) ORDER BY %s",
						   where, sh->order, sh->order)
				 : sqlite3_mprintf("SELECT " CASE_COLS_SQL CASE_FROM_SQL
						   "%s ORDER BY %s LIMIT :limit OFFSET :offset",
						   where, sh->order);
		double cms[5], pms[5], x;
		for (int r = 0; r < 5; r++) {
			cms[r] = 0;
			if (sh->count)
				explain_one(db, count_sql, org, me, ct, cit, 0, 0, 0, &cms[r]);
			explain_one(db, page_sql, org, me, ct, cit, sh->offset, sh->limit, 0,
				    &pms[r]);
		}
		for (int a = 0; a < 5; a++) /* insertion sort, 5 values */
			for (int b = a; b > 0 && cms[b] < cms[b - 1]; b--)
				x = cms[b], cms[b] = cms[b - 1], cms[b - 1] = x;
		for (int a = 0; a < 5; a++)
			for (int b = a; b > 0 && pms[b] < pms[b - 1]; b--)
				x = pms[b], pms[b] = pms[b - 1], pms[b - 1] = x;
		printf("  %s: count %.2f ms, page %.2f ms\n", sh->request, cms[2], pms[2]);
		if (sh->count) {
			printf("    count:\n");
			explain_one(db, count_sql, org, me, ct, cit, 0, 0, 1, &x);
		}
		printf("    page:\n");
		explain_one(db, page_sql, org, me, ct, cit, sh->offset, sh->limit, 1, &x);
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
	const char *path; /* NULL: /api/v1/cases/{id} over ids */
	int page;         /* an HTML page others are building; skipped if 404 */
};

static int cmd_http(const char *url, const char *email, const char *password,
		    const char *subject, int n)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	struct client staff, cit;
	client_init(&staff);
	client_init(&cit);
	char u[1024], body[512];
	snprintf(u, sizeof(u), "%s/api/v1/session", url);
	json_t *j = json_pack("{s:s, s:s}", "email", email, "password", password);
	char *js = json_dumps(j, JSON_COMPACT);
	long s = request(&staff, u, js, NULL);
	free(js);
	json_decref(j);
	if (s != 201)
		die("caseworker sign-in failed", staff.body.p);
	snprintf(u, sizeof(u), "%s/api/v1/citizen/session", url);
	snprintf(body, sizeof(body), "{\"subject\": \"%s\"}", subject);
	if ((s = request(&cit, u, body, NULL)) != 201)
		die("citizen sign-in failed (is the server in --demo mode?)", cit.body.p);

	/* the case ids for GET /api/v1/cases/{id}: the caseworker's queue */
	int64_t ids[200];
	int n_ids = 0;
	snprintf(u, sizeof(u), "%s/api/v1/cases?limit=200", url);
	if (request(&staff, u, NULL, NULL) != 200)
		die("GET /api/v1/cases failed", staff.body.p);
	json_error_t e;
	json_t *list = json_loads(staff.body.p, 0, &e), *it;
	size_t k;
	json_array_foreach(json_object_get(list, "items"), k, it)
		if (n_ids < 200)
			ids[n_ids++] = json_integer_value(json_object_get(it, "id"));
	json_decref(list);
	if (!n_ids)
		die("the caseworker's queue is empty", NULL);

	const struct target targets[] = {
		{ &staff, "GET /api/v1/cases", "/api/v1/cases", 0 },
		{ &staff, "GET /api/v1/cases?overdue=1", "/api/v1/cases?overdue=1", 0 },
		{ &staff, "GET /api/v1/cases?assigned=me", "/api/v1/cases?assigned=me", 0 },
		{ &staff, "GET /api/v1/cases?state=in_progress&case_type=boligstoette",
		  "/api/v1/cases?state=in_progress&case_type=boligstoette", 0 },
		{ &staff, "GET /api/v1/cases?offset=5000", "/api/v1/cases?offset=5000", 0 },
		{ &staff, "GET /api/v1/cases/{id} (200 ids in turn)", NULL, 0 },
		{ &cit, "GET /api/v1/overview (citizen with 5 cases)", "/api/v1/overview", 0 },
		{ &staff, "GET /sagsbehandling (page)", "/sagsbehandling", 1 },
		{ &staff, "GET /sagsbehandling?tilstand=in_progress (page)",
		  "/sagsbehandling?tilstand=in_progress", 1 },
		{ &cit, "GET /mit-overblik (page)", "/mit-overblik", 1 },
	};
	char nb[32];
	printf("%d sequential requests each after 20 to warm up; one kept-alive "
	       "connection per client; wall time per request as the client sees it\n",
	       n);
	printf("%-58s %8s %8s %8s  %s\n", "request", "p50 ms", "p99 ms", "max ms",
	       "rows (total)");
	int64_t *lat = hh_xmalloc(sizeof(int64_t) * (size_t)n);
	int bad_total = 0;
	for (size_t t = 0; t < sizeof(targets) / sizeof(*targets); t++) {
		const struct target *tg = &targets[t];
		char info[64] = "";
		int bad = 0;
		for (int i = -20; i < n; i++) {
			if (tg->path)
				snprintf(u, sizeof(u), "%s%s", url, tg->path);
			else
				snprintf(u, sizeof(u), "%s/api/v1/cases/%lld", url,
					 (long long)ids[(i + 20) % n_ids]);
			int64_t us;
			long st = request(tg->who, u, NULL, &us);
			if (i == -20 && tg->page && st == 404)
				break;
			if (st != 200 && bad++ == 0)
				fprintf(stderr, "cases_bench: %s: %ld %.300s\n", u, st,
					tg->who->body.p ? tg->who->body.p : "");
			if (i == -20 && st == 200 && !tg->page) {
				json_t *r = json_loads(tg->who->body.p, 0, &e);
				json_t *items = json_object_get(r, "items");
				if (!items)
					items = json_object_get(r, "cases");
				json_t *total = json_object_get(r, "total");
				if (items && total)
					snprintf(info, sizeof(info), "%zu (%s)",
						 json_array_size(items),
						 thousands(json_integer_value(total), nb));
				else if (items)
					snprintf(info, sizeof(info), "%zu",
						 json_array_size(items));
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
	client_clear(&staff);
	client_clear(&cit);
	curl_global_cleanup();
	return bad_total ? 1 : 0;
}

int main(int argc, char **argv)
{
	hh_log_set_level(HH_LOG_WARN);
	if (argc == 4 && !strcmp(argv[1], "submit"))
		return cmd_submit(argv[2], atoi(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "seed"))
		return cmd_seed(argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "explain"))
		return cmd_explain(argv[2], argv[3]);
	if (argc == 7 && !strcmp(argv[1], "http"))
		return cmd_http(argv[2], argv[3], argv[4], argv[5], atoi(argv[6]));
	fprintf(stderr,
		"usage: cases_bench submit DIR N\n"
		"       cases_bench seed DB EMAIL\n"
		"       cases_bench explain DB EMAIL\n"
		"       cases_bench http URL EMAIL PASSWORD SUBJECT N\n");
	return 2;
}
