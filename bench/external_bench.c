/* external_bench.c - the external-case benchmark (bench/external.sh,
 * issue 15's "Measured"): status reports accepted durably beside a bare
 * upsert of the same rows (SQLite and PostgreSQL), and Mit overblik with
 * many external cases in the store, in process and over HTTP.
 *
 *   external_bench report DIR N
 *       N reports through hh_external_report (a case system's token of
 *       Udbetaling Danmark; every other report a new case, the ones
 *       between an update of the case before to version 2; CPR sealed
 *       and hashed; the row and its event in one write transaction) into
 *       a fresh store in DIR, beside a bare SQLite upsert (INSERT ... ON
 *       CONFLICT DO UPDATE ... WHERE version < excluded.version) of the
 *       same row and an INSERT of the same event, one transaction per
 *       report, in a separate file with the same PRAGMAs (WAL,
 *       synchronous=FULL) and the same tables and indexes (copied from
 *       the store's schema). The two alternate in blocks of 10 so that
 *       the disk's ups and downs hit both alike. Wall-clock time.
 *       x-decl: the system is declared first (domain/casesystems.h), so
 *       helhed's side also reads the declaration and checks the case
 *       type, state and a fact in the report's transaction; the bare side
 *       writes the same case_type, stage and facts columns.
 *   external_bench report-pg URL KEY_FILE N
 *       the same on PostgreSQL (a database `helhed migrate` made): N
 *       reports through hh_external_report beside a bare libpq upsert of
 *       the same rows in the same SQL shape (INSERT ... ON CONFLICT DO
 *       UPDATE ... WHERE version < excluded.version RETURNING id, then the
 *       event), one transaction each, in the same database under another
 *       system name, alternating in blocks of 10.
 *   external_bench seed DB N
 *       a store made by `helhed import content --users` gets the bench
 *       citizen (demo:bench-borger) with a saved plan, 5 own cases in five
 *       states and 20 external cases reported through the domain, and N -
 *       20 external cases of other citizens bulk loaded through the
 *       store's external_case_put (see cmd_seed). Not measured.
 *   external_bench reads DB|URL KEY_FILE M
 *       M reads of that citizen's Mit overblik in process
 *       (hh_overview_read with the plans' views: what /mit-overblik and
 *       /api/v1/overview read), each beside the bare SELECTs of its 25
 *       rows on a connection of their own. p50 and p99.
 *   external_bench http URL M COOKIE_FILE
 *       signs the citizen in as the demo sign-in does, checks the
 *       overview holds what the seed made, then M requests each of GET
 *       /healthz (the floor), GET /api/v1/overview and GET /mit-overblik
 *       in turn on one keep-alive connection. p50 and p99. The session
 *       cookie goes to COOKIE_FILE for wrk (bench/external.sh).
 *
 * Benchmarks print figures; no time is asserted. The set-up is checked
 * (the overview must hold the plan, the 5 cases and the 20 external
 * cases the seed made) so that no figure is of an emptier page. */
#include <curl/curl.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/auth.h"
#include "domain/cases.h"
#include "domain/casesystems.h"
#include "domain/citizens.h"
#include "domain/cpr.h"
#include "domain/external.h"
#include "domain/health.h"
#include "domain/overview.h"
#include "domain/plans.h"
#include "domain/vault.h"
#include "store/store.h"

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "external_bench: %s%s%s\n", what, detail ? ": " : "",
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
		die("step", sqlite3_errmsg(db));
	sqlite3_reset(st);
}

/* The store at address (a SQLite file, or postgresql://...), migrated,
 * with its key file (key_file, or NULL: beside the database). */
static struct hh_store *open_store_at(const char *address, const char *key_file)
{
	char err[1024];
	struct hh_store *st;
	if (hh_store_open(address, 1, &st) != HH_OK ||
	    st->migrate(st->cls, NULL) != HH_OK)
		die("cannot open", address);
	if (hh_vault_start(st, key_file, address, err, sizeof(err)) != HH_OK)
		die("cannot seal CPR numbers", err);
	return st;
}

static enum hh_rc org_tx(struct hh_tx *tx, void *p)
{
	struct hh_org *o = p;
	*o = (struct hh_org){ .code = "udk", .name = "Udbetaling Danmark",
			      .kind = HH_ORG_AGENCY };
	return tx->store->org_put(tx, o);
}

/* The report r: case r / 2, version r % 2 + 1 (new, then updated). */
static void report_of(int r, char id[32], struct hh_external_report *in)
{
	snprintf(id, 32, "C-%d", r / 2);
	*in = (struct hh_external_report){
		.cpr = "070761-4285", .title = "Boligstøtte",
		.state = r % 2 ? "Under behandling" : "Modtaget",
		.text = "Vi har modtaget din ansøgning og behandler den nu.",
		.deadline = "2027-02-01", .version = r % 2 + 1,
		.self_service_url = "https://www.borger.dk/boligstoette",
		.updated_at = "2026-12-05T10:00:00Z", .case_type = "boligstoette",
	};
}

/* The report's facts (one, as a typical report carries) and the system's
 * declaration: Udbetaling Danmark's boligstøtte, with more states and
 * case types than the report uses, as a real system declares. */
static json_t *bench_facts;
static const char *const declaration =
	"{\"label\":\"Boligstøttesystemet\",\"states\":["
	"{\"name\":\"Modtaget\",\"stage\":\"received\"},"
	"{\"name\":\"Under behandling\",\"stage\":\"in_progress\"},"
	"{\"name\":\"Afventer dokumentation\",\"stage\":\"awaiting_citizen\"},"
	"{\"name\":\"Bevilget\",\"stage\":\"decided\"},"
	"{\"name\":\"Afslået\",\"stage\":\"decided\"},"
	"{\"name\":\"Lukket\",\"stage\":\"closed\"}],\"case_types\":["
	"{\"key\":\"boligsikring\",\"name\":\"Boligsikring\",\"kle\":\"27.24.00\","
	"\"facts\":{\"husstand\":\"integer\",\"boern\":\"boolean\"}},"
	"{\"key\":\"boligydelse\",\"name\":\"Boligydelse\",\"kle\":\"27.24.00\","
	"\"facts\":{\"husstand\":\"integer\"}},"
	"{\"key\":\"boligstoette\",\"name\":\"Boligstøtte\",\"kle\":\"27.24.00\","
	"\"facts\":{\"husstand\":\"integer\",\"boern\":\"boolean\"}}]}";

/* Declares system (as organisation org_id's admin) with the JSON text. */
static void declare_as(struct hh_store *st, int64_t org_id, const char *system,
		       const char *text)
{
	struct hh_actor admin = { .label = "admin", .org_id = org_id,
				  .roles = HH_ROLE_ADMIN };
	json_error_t e;
	json_t *body = json_loads(text, 0, &e);
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_case_system c;
	struct hh_cs_error err;
	int created;
	if (!body || hh_case_system_declare(st, &a, &admin, system, body, &c,
					    &created, &err) != HH_OK)
		die("cannot declare the system", err.detail);
	hh_arena_clear(&a);
	json_decref(body);
}

static void declare(struct hh_store *st, int64_t org_id)
{
	declare_as(st, org_id, "boligstoette", declaration);
	if (!bench_facts)
		bench_facts = json_pack("{s:i}", "husstand", 3);
}

struct helhed_side {
	struct hh_store *st;
	struct hh_actor system;
	int n;
};

static void helhed_report(struct helhed_side *h)
{
	struct hh_arena a;
	hh_arena_init(&a);
	char id[32];
	struct hh_external_report in;
	report_of(h->n++, id, &in);
	in.facts = bench_facts;
	struct hh_external_result res;
	enum hh_rc rc = hh_external_report(h->st, &a, &h->system, "boligstoette",
					   id, &in, NULL, &res);
	if (rc != HH_OK || res.outcome == HH_EXTERNAL_UNCHANGED)
		die("report refused", hh_rc_name(rc));
	hh_arena_clear(&a);
}

struct bare {
	sqlite3 *db;
	sqlite3_stmt *begin, *commit, *upsert, *ev;
	char *cpr, *after; /* as wide as helhed's */
	int64_t org_id;
	int n;
};

static void bare_open(struct bare *b, const char *path, const char *schema_from)
{
	b->db = open_raw(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
	exec_raw(b->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			"PRAGMA temp_store=MEMORY;");
	sqlite3 *src = open_raw(schema_from, SQLITE_OPEN_READONLY);
	sqlite3_stmt *q = prepare(src, "SELECT sql FROM sqlite_master WHERE tbl_name IN "
				       "('external_cases', 'events') AND type IN "
				       "('table', 'index') AND sql IS NOT NULL "
				       "ORDER BY type DESC");
	while (sqlite3_step(q) == SQLITE_ROW)
		exec_raw(b->db, (const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	q = prepare(src, "SELECT cpr, (SELECT after FROM events WHERE entity = "
			 "'external_case' ORDER BY id LIMIT 1) FROM external_cases "
			 "ORDER BY id LIMIT 1");
	if (sqlite3_step(q) != SQLITE_ROW)
		die("no external case to copy the width of", NULL);
	b->cpr = hh_xstrdup((const char *)sqlite3_column_text(q, 0));
	b->after = hh_xstrdup((const char *)sqlite3_column_text(q, 1));
	sqlite3_finalize(q);
	sqlite3_close(src);
	b->begin = prepare(b->db, "BEGIN IMMEDIATE");
	b->commit = prepare(b->db, "COMMIT");
	b->upsert = prepare(
		b->db,
		"INSERT INTO external_cases(organisation_id, system, external_id, "
		"cpr, cpr_key, cpr_hash, cpr_hash_key, title, state, citizen_text, "
		"deadline_at, self_service_url, version, sent_created_at, "
		"sent_updated_at, received_at, case_type, stage, facts) VALUES (?1, "
		"?2, ?3, ?4, 'k', ?5, 'h', ?6, ?7, ?8, ?9, ?10, ?11, 0, ?12, ?13, "
		"'boligstoette', ?14, '{\"husstand\":3}') ON CONFLICT(organisation_id, "
		"system, external_id) DO UPDATE SET cpr = excluded.cpr, cpr_hash = "
		"excluded.cpr_hash, title = excluded.title, state = excluded.state, "
		"citizen_text = excluded.citizen_text, deadline_at = "
		"excluded.deadline_at, self_service_url = excluded.self_service_url, "
		"version = excluded.version, sent_updated_at = "
		"excluded.sent_updated_at, received_at = excluded.received_at, "
		"case_type = excluded.case_type, stage = excluded.stage, facts = "
		"excluded.facts WHERE version < excluded.version");
	b->ev = prepare(b->db, "INSERT INTO events(at, actor, organisation_id, entity, "
			       "entity_id, action, before, after) VALUES (?1, ?2, "
			       "?3, 'external_case', last_insert_rowid(), ?4, NULL, ?5)");
}

static void bare_report(struct bare *b)
{
	static const unsigned char hash[32] = { 1, 2, 3 };
	char id[32];
	struct hh_external_report in;
	report_of(b->n++, id, &in);
	step_done(b->db, b->begin);
	sqlite3_stmt *s = b->upsert;
	sqlite3_bind_int64(s, 1, b->org_id);
	sqlite3_bind_text(s, 2, "boligstoette", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 4, b->cpr, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 5, hash, 32, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, in.title, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, in.state, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 8, in.text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 9, 1801436400);
	sqlite3_bind_text(s, 10, in.self_service_url, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 11, in.version);
	sqlite3_bind_int64(s, 12, 1796464800);
	sqlite3_bind_int64(s, 13, hh_now_us() / 1000000);
	sqlite3_bind_text(s, 14, in.version == 1 ? "received" : "in_progress", -1,
			  SQLITE_STATIC);
	step_done(b->db, s);
	s = b->ev;
	sqlite3_bind_int64(s, 1, hh_now_us());
	sqlite3_bind_text(s, 2, "token:1", -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, b->org_id);
	sqlite3_bind_text(s, 4, in.version == 1 ? "report" : "update", -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(s, 5, b->after, -1, SQLITE_STATIC);
	step_done(b->db, s);
	step_done(b->db, b->commit);
}

static void print_rate(const char *label, int64_t *lat, int n, int64_t total_us)
{
	qsort(lat, (size_t)n, sizeof(*lat), cmp_i64);
	printf("%-58s %7.0f /s   p50 %6.2f ms   p99 %6.2f ms\n", label,
	       n / ((double)total_us / 1e6), pct_ms(lat, n, 50), pct_ms(lat, n, 99));
}

static int cmd_report(const char *dir, int n)
{
	char hpath[4096], bpath[4096];
	snprintf(hpath, sizeof(hpath), "%s/report-helhed.db", dir);
	snprintf(bpath, sizeof(bpath), "%s/report-bare.db", dir);
	struct hh_store *st = open_store_at(hpath, NULL);
	struct hh_org org;
	if (hh_store_run_tx(st, 1, org_tx, &org) != HH_OK)
		die("set-up failed", NULL);
	declare(st, org.id);
	struct helhed_side h = { .st = st };
	h.system = (struct hh_actor){ .label = "token:1", .org_id = org.id,
				      .roles = HH_ROLE_CASE_SYSTEM };
	for (int i = 0; i < 20; i++) /* warm-up */
		helhed_report(&h);
	struct bare b = { .org_id = org.id };
	bare_open(&b, bpath, hpath);
	for (int i = 0; i < 20; i++)
		bare_report(&b);

	int64_t *hl = hh_xmalloc(sizeof(int64_t) * (size_t)n);
	int64_t *bl = hh_xmalloc(sizeof(int64_t) * (size_t)n);
	int64_t htotal = 0, btotal = 0;
	const int block = 10;
	for (int done = 0, round = 0; done < n; done += block, round++) {
		int m = n - done < block ? n - done : block;
		for (int side = 0; side < 2; side++) {
			int helhed = (side + round) % 2 == 0;
			int64_t *lat = helhed ? hl : bl;
			int64_t t0 = hh_mono_us();
			for (int i = 0; i < m; i++) {
				int64_t s = hh_mono_us();
				if (helhed)
					helhed_report(&h);
				else
					bare_report(&b);
				lat[done + i] = hh_mono_us() - s;
			}
			*(helhed ? &htotal : &btotal) += hh_mono_us() - t0;
		}
	}
	printf("%d reports each (new case, then its update to version 2, ...), "
	       "one transaction each; WAL, synchronous=FULL; files in %s; "
	       "alternating blocks of %d\n", n, dir, block);
	print_rate("helhed hh_external_report (checks, seal, row + event)", hl, n,
		   htotal);
	print_rate("bare SQLite (upsert WHERE version < new + INSERT event)", bl, n,
		   btotal);
	double hr = n / ((double)htotal / 1e6), br = n / ((double)btotal / 1e6);
	printf("ratio bare/helhed: %.2fx\n", br / hr);
	free(hl);
	free(bl);
	free(b.cpr);
	free(b.after);
	for (sqlite3_stmt *s = sqlite3_next_stmt(b.db, NULL); s;
	     s = sqlite3_next_stmt(b.db, NULL))
		sqlite3_finalize(s);
	sqlite3_close(b.db);
	hh_store_close(st);
	return 0;
}

/* ---- status reports on PostgreSQL -------------------------------------- */

/* The bare libpq side: the same rows as the SQLite peer, the same SQL
 * shape (an upsert guarded by the version, then the event), one
 * transaction per report, in the same database as helhed's side (system
 * "bare-peer", so the two never meet on a key). */
struct bare_pg {
	PGconn *pg;
	char *cpr, *after;
	char org_id[24];
	int n;
};

static void pg_ok(PGconn *pg, PGresult *r, ExecStatusType want, const char *what)
{
	if (PQresultStatus(r) != want)
		die(what, PQerrorMessage(pg));
	PQclear(r);
}

static void bare_pg_open(struct bare_pg *b, const char *url, int64_t org_id)
{
	b->pg = PQconnectdb(url);
	if (PQstatus(b->pg) != CONNECTION_OK)
		die("cannot connect", PQerrorMessage(b->pg));
	snprintf(b->org_id, sizeof(b->org_id), "%lld", (long long)org_id);
	PGresult *r = PQexec(b->pg, "SELECT cpr, (SELECT after FROM events WHERE "
				    "entity = 'external_case' ORDER BY id LIMIT 1) "
				    "FROM external_cases ORDER BY id LIMIT 1");
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
		die("no external case to copy the width of", PQerrorMessage(b->pg));
	b->cpr = hh_xstrdup(PQgetvalue(r, 0, 0));
	b->after = hh_xstrdup(PQgetvalue(r, 0, 1));
	PQclear(r);
	pg_ok(b->pg,
	      PQprepare(b->pg, "upsert",
			"INSERT INTO external_cases(organisation_id, system, "
			"external_id, cpr, cpr_key, cpr_hash, cpr_hash_key, title, "
			"state, citizen_text, deadline_at, self_service_url, version, "
			"sent_created_at, sent_updated_at, received_at, case_type, "
			"stage, facts) VALUES ($1, 'bare-peer', $2, $3, 'k', $4, 'h', "
			"$5, $6, $7, $8, $9, $10, 0, $11, $12, 'boligstoette', $13, "
			"'{\"husstand\":3}') ON CONFLICT (organisation_id, system, "
			"external_id) DO UPDATE SET cpr = excluded.cpr, cpr_hash = "
			"excluded.cpr_hash, title = excluded.title, state = "
			"excluded.state, citizen_text = excluded.citizen_text, "
			"deadline_at = excluded.deadline_at, self_service_url = "
			"excluded.self_service_url, version = excluded.version, "
			"sent_updated_at = excluded.sent_updated_at, received_at = "
			"excluded.received_at, case_type = excluded.case_type, stage = "
			"excluded.stage, facts = excluded.facts WHERE "
			"external_cases.version < excluded.version RETURNING id",
			0, NULL),
	      PGRES_COMMAND_OK, "prepare upsert");
	pg_ok(b->pg,
	      PQprepare(b->pg, "event",
			"INSERT INTO events(at, actor, organisation_id, entity, "
			"entity_id, action, before, after) VALUES ($1, 'token:1', $2, "
			"'external_case', $3, $4, NULL, $5)",
			0, NULL),
	      PGRES_COMMAND_OK, "prepare event");
}

static void bare_pg_report(struct bare_pg *b)
{
	static const unsigned char hash[32] = { 1, 2, 3 };
	char id[32], version[8], now_s[24], now_us[24];
	struct hh_external_report in;
	report_of(b->n++, id, &in);
	snprintf(version, sizeof(version), "%lld", (long long)in.version);
	snprintf(now_s, sizeof(now_s), "%lld", (long long)(hh_now_us() / 1000000));
	snprintf(now_us, sizeof(now_us), "%lld", (long long)hh_now_us());
	pg_ok(b->pg, PQexec(b->pg, "BEGIN"), PGRES_COMMAND_OK, "BEGIN");
	const char *v[13] = { b->org_id, id, b->cpr, (const char *)hash,
			      in.title, in.state, in.text, "1801436400",
			      in.self_service_url, version, "1796464800", now_s,
			      in.version == 1 ? "received" : "in_progress" };
	int len[13] = { 0, 0, 0, 32 };
	int fmt[13] = { 0, 0, 0, 1 };
	PGresult *r = PQexecPrepared(b->pg, "upsert", 13, v, len, fmt, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
		die("bare upsert", PQerrorMessage(b->pg));
	char row_id[24];
	snprintf(row_id, sizeof(row_id), "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	const char *ev[5] = { now_us, b->org_id, row_id,
			      in.version == 1 ? "report" : "update", b->after };
	pg_ok(b->pg, PQexecPrepared(b->pg, "event", 5, ev, NULL, NULL, 0),
	      PGRES_COMMAND_OK, "bare event");
	pg_ok(b->pg, PQexec(b->pg, "COMMIT"), PGRES_COMMAND_OK, "COMMIT");
}

static enum hh_rc org_find_tx(struct hh_tx *tx, void *p)
{
	struct hh_org *o = p;
	struct hh_arena a;
	hh_arena_init(&a);
	enum hh_rc rc = tx->store->org_get_by_code(tx, &a, "udk", o);
	o->code = NULL;
	o->name = NULL;
	hh_arena_clear(&a);
	return rc;
}

static int cmd_report_pg(const char *url, const char *key_file, int n)
{
	struct hh_store *st = open_store_at(url, key_file);
	struct hh_org org;
	if (hh_store_run_tx(st, 0, org_find_tx, &org) == HH_ERR_NOT_FOUND &&
	    hh_store_run_tx(st, 1, org_tx, &org) != HH_OK)
		die("set-up failed", NULL);
	declare(st, org.id);
	struct helhed_side h = { .st = st };
	h.system = (struct hh_actor){ .label = "token:1", .org_id = org.id,
				      .roles = HH_ROLE_CASE_SYSTEM };
	for (int i = 0; i < 20; i++) /* warm-up */
		helhed_report(&h);
	struct bare_pg b = { 0 };
	bare_pg_open(&b, url, org.id);
	for (int i = 0; i < 20; i++)
		bare_pg_report(&b);

	int64_t *hl = hh_xmalloc(sizeof(int64_t) * (size_t)n);
	int64_t *bl = hh_xmalloc(sizeof(int64_t) * (size_t)n);
	int64_t htotal = 0, btotal = 0;
	const int block = 10;
	for (int done = 0, round = 0; done < n; done += block, round++) {
		int m = n - done < block ? n - done : block;
		for (int side = 0; side < 2; side++) {
			int helhed = (side + round) % 2 == 0;
			int64_t *lat = helhed ? hl : bl;
			int64_t t0 = hh_mono_us();
			for (int i = 0; i < m; i++) {
				int64_t s = hh_mono_us();
				if (helhed)
					helhed_report(&h);
				else
					bare_pg_report(&b);
				lat[done + i] = hh_mono_us() - s;
			}
			*(helhed ? &htotal : &btotal) += hh_mono_us() - t0;
		}
	}
	printf("%d reports each (new case, then its update to version 2, ...), "
	       "one transaction each, one connection each; alternating blocks "
	       "of %d\n", n, block);
	print_rate("helhed hh_external_report (SERIALIZABLE; checks, seal, row + event)",
		   hl, n, htotal);
	print_rate("bare libpq (READ COMMITTED; upsert WHERE version < new + INSERT event)",
		   bl, n, btotal);
	double hr = n / ((double)htotal / 1e6), br = n / ((double)btotal / 1e6);
	printf("ratio bare/helhed: %.2fx\n", br / hr);
	free(hl);
	free(bl);
	free(b.cpr);
	free(b.after);
	PQfinish(b.pg);
	hh_store_close(st);
	return 0;
}

/* ---- the store for Mit overblik --------------------------------------- */

/* The citizen whose overview is read: a demo citizen (the demo sign-in
 * finds them by subject), not one of content/citizens.json, so that the
 * demo content gives them nothing more. */
#define BENCH_SUBJECT "demo:bench-borger"
#define BENCH_CPR "070761-4285"
#define STORSKRALD                                                            \
	"{\"adresse\": \"Skovbrynet 14, 4100 Nordskov\", \"genstande\": "      \
	"\"sofa og to stole\", \"antal\": 3, \"hvidevarer\": \"nej\", "        \
	"\"placering\": \"skel\"}"

/* The three case systems that report in the bench. */
static const char *const ext_orgs[3] = { "udk", "familieretshuset", "sktst" };
static const char *const ext_systems[3] = { "boligstoette", "sagssystem", "esdh" };
static const char *const ext_titles[6] = {
	"Boligstøtte", "Ansøgning om skilsmisse", "Forskudsopgørelse",
	"Børne- og ungeydelse", "Samværssag", "Restskat"
};
static const char *const ext_states[5] = {
	"Modtaget", "Under behandling", "Afventer dokumentation",
	"Afgjort", "Lukket"
};

struct seed_ids {
	int64_t org[3];
	struct hh_user cw;
	int64_t muni;
};

static enum hh_rc seed_ids_tx(struct hh_tx *tx, void *p)
{
	struct seed_ids *x = p;
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_org o;
	enum hh_rc rc = HH_OK;
	for (int i = 0; rc == HH_OK && i < 3; i++) {
		rc = tx->store->org_get_by_code(tx, &a, ext_orgs[i], &o);
		x->org[i] = o.id;
	}
	if (rc == HH_OK)
		rc = tx->store->org_get_by_code(tx, &a, "901", &o);
	x->muni = o.id;
	if (rc == HH_OK)
		rc = tx->store->user_get_by_email(tx, &a, "sagsbehandler@nordskov.demo",
						  &x->cw);
	x->cw.email = x->cw.name = x->cw.password_hash = NULL;
	hh_arena_clear(&a);
	return rc;
}

struct bulk {
	const struct hh_vault *v;
	const int64_t *org;
	int64_t from, to; /* external ids E-from .. E-(to-1) */
	int64_t now;
};

/* A random CPR number that is none of the bench citizen's: a date that
 * exists, a 7th digit of 0..3 (born 1900-1999, a century every year
 * has), normalised as a report's is. */
static void random_cpr(char norm[12])
{
	for (;;) {
		char s[16];
		snprintf(s, sizeof(s), "%02u%02u%02u-%u%03u", rnd(28) + 1,
			 rnd(12) + 1, rnd(100), rnd(4), rnd(1000));
		if (hh_cpr_check(s, norm, NULL, 0) <= HH_CPR_OK_NO_MOD11 &&
		    strcmp(norm, BENCH_CPR))
			return;
	}
}

/* Rows as hh_external_report stores them (sealed CPR under the vault's
 * current key, its keyed hash under the current hash key), through the
 * store's own external_case_put, without the event: a bulk load. */
static enum hh_rc bulk_tx(struct hh_tx *tx, void *p)
{
	struct bulk *b = p;
	struct hh_arena a;
	hh_arena_init(&a);
	enum hh_rc rc = HH_OK;
	for (int64_t i = b->from; rc == HH_OK && i < b->to; i++) {
		char cpr[12], id[24];
		unsigned char hash[32];
		random_cpr(cpr);
		snprintf(id, sizeof(id), "E-%07lld", (long long)i);
		int k = rnd(3);
		struct hh_external_case c = {
			.org_id = b->org[k], .system = ext_systems[k],
			.external_id = id, .cpr_key = hh_vault_seal_id(b->v),
			.cpr_hash = hash, .cpr_hash_key = hh_vault_hash_id(b->v),
			.title = ext_titles[rnd(6)], .state = ext_states[rnd(5)],
			.citizen_text = "Vi har modtaget din sag og behandler den. "
					"Du hører fra os, når der er nyt.",
			.deadline_at = rnd(2) ? b->now + rnd(90 * 86400) : 0,
			.self_service_url = "https://www.borger.dk/",
			.version = 1 + rnd(4),
			.sent_created_at = b->now - 86400 * 400 + rnd(86400 * 30),
			.sent_updated_at = b->now - rnd(86400 * 365),
			.received_at = b->now,
		};
		rc = hh_vault_cpr_hash(b->v, 0, cpr, hash);
		if (rc == HH_OK)
			rc = hh_vault_seal(b->v, &a, cpr, &c.cpr);
		if (rc == HH_OK)
			rc = tx->store->external_case_put(tx, &c);
		if ((i & 255) == 255)
			hh_arena_clear(&a);
	}
	hh_arena_clear(&a);
	return rc;
}

static void must(enum hh_rc rc, const char *what)
{
	if (rc != HH_OK)
		die(what, hh_rc_name(rc));
}

/* seed DB N: a store made by `helhed import content --users` gets the
 * bench citizen (subject demo:bench-borger, CPR 070761-4285, Nordskov)
 * with a saved plan (flytning), 5 own cases of bulky waste in five
 * states (received, scheduled, awaiting the citizen's answer to a
 * question, done, cancelled; submitted by the citizen and moved by
 * Nordskov's caseworker, through the domain), 20 external cases reported
 * through hh_external_report by three authorities (some updated to a
 * second version), and N - 20 external cases of other citizens bulk
 * loaded through the store (see bulk_tx). */
static int cmd_seed(const char *db, int n)
{
	int64_t t0 = hh_mono_us();
	struct hh_store *st = open_store_at(db, NULL);
	const struct hh_vault *v = hh_vault_of(st);
	struct seed_ids ids;
	must(hh_store_run_tx(st, 0, seed_ids_tx, &ids),
	     "the content's organisations and sagsbehandler@nordskov.demo "
	     "(helhed import content --users)");
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_citizen_login l;
	must(hh_citizen_login(st, &a, BENCH_SUBJECT, "Birgitte Bentsen", BENCH_CPR,
			      "901", &l), "citizen");
	must(hh_citizen_logout(st, l.token), "citizen sign-out");
	char label[32];
	snprintf(label, sizeof(label), "citizen:%lld", (long long)l.citizen.id);
	struct hh_actor cit = { .label = label, .roles = HH_ROLE_CITIZEN,
				.citizen_id = l.citizen.id,
				.municipality_id = l.citizen.municipality_id,
				.loa = HH_LOA_SUBSTANTIAL };
	/* the plan, as the guide saves it */
	json_t *answers = json_pack("{s:s, s:s, s:s, s:s}", "hvorhen",
				    "anden-kommune", "boern", "ja", "bolig", "leje",
				    "parkering", "nej");
	struct hh_plan plan;
	const char *bad = NULL;
	must(hh_plan_create(st, &a, l.citizen.id, "flytning", answers, &plan, &bad),
	     "plan");
	json_decref(answers);
	/* five own cases, moved by the caseworker */
	char cw_label[32];
	snprintf(cw_label, sizeof(cw_label), "user:%lld", (long long)ids.cw.id);
	struct hh_actor cw = { .label = cw_label, .org_id = ids.cw.org_id,
			       .org_is_municipality = 1, .roles = ids.cw.roles,
			       .user_id = ids.cw.id };
	json_error_t je;
	json_t *values = json_loads(STORSKRALD, 0, &je);
	for (int k = 0; k < 5; k++) {
		struct hh_submission sub = { .case_type = "storskrald-afhentning",
					     .values = values, .public_only = 1 };
		struct hh_form_result res;
		struct hh_case c;
		int replayed;
		enum hh_submit_fault fault;
		must(hh_case_submit_as(st, &a, &cit, &sub, &res, &c, &replayed, &fault),
		     "case submission");
		if (res.values)
			json_decref(res.values);
		int fu;
		if (k == 4) {
			must(hh_case_transition(st, &a, &cw, c.id, "cancelled", c.version,
						"Borgeren har selv kørt tingene på "
						"genbrugspladsen.", &c, &fu), "cancel");
			continue;
		}
		if (k == 0)
			continue;
		must(hh_case_transition(st, &a, &cw, c.id, "scheduled", c.version,
					"Afhentes torsdag i uge 51.", &c, &fu),
		     "schedule");
		if (k == 2)
			must(hh_case_request(st, &a, &cw, c.id,
					     "Står tingene ved skel eller ved "
					     "fortovskanten?", c.version, &c),
			     "request");
		if (k == 3)
			must(hh_case_transition(st, &a, &cw, c.id, "done", c.version,
						NULL, &c, &fu), "done");
	}
	json_decref(values);
	/* the three systems, declared as their organisations' admins do
	 * (x-decl): the states below, one case type */
	for (int k = 0; k < 3; k++)
		declare_as(st, ids.org[k], ext_systems[k],
			   "{\"label\":\"Sagssystem\",\"states\":["
			   "{\"name\":\"Modtaget\",\"stage\":\"received\"},"
			   "{\"name\":\"Under behandling\",\"stage\":\"in_progress\"},"
			   "{\"name\":\"Afventer dokumentation\","
			   "\"stage\":\"awaiting_citizen\"},"
			   "{\"name\":\"Afgjort\",\"stage\":\"decided\"},"
			   "{\"name\":\"Lukket\",\"stage\":\"closed\"}],"
			   "\"case_types\":[{\"key\":\"sag\",\"name\":\"Sag\"}]}");
	/* twenty external cases of the citizen, reported as the API does */
	for (int k = 0; k < 20; k++) {
		char id[32], upd[32], label_t[32];
		snprintf(id, sizeof(id), "BENCH-%02d", k);
		snprintf(label_t, sizeof(label_t), "token:%d", k % 3 + 1);
		struct hh_actor sys = { .label = label_t, .org_id = ids.org[k % 3],
					.roles = HH_ROLE_CASE_SYSTEM };
		for (int version = 1; version <= 1 + (k % 4 == 0); version++) {
			snprintf(upd, sizeof(upd), "2026-11-%02dT%02d:00:00Z", k + 1,
				 8 + version);
			struct hh_external_report in = {
				.cpr = BENCH_CPR, .title = ext_titles[k % 6],
				.state = ext_states[(k + version) % 5],
				.text = "Vi har modtaget din sag og behandler den. "
					"Du hører fra os, når der er nyt.",
				.deadline = k % 2 ? "2027-02-01" : NULL,
				.self_service_url = "https://www.borger.dk/",
				.version = version, .created_at = "2026-10-01",
				.updated_at = upd, .case_type = "sag",
			};
			struct hh_external_result res;
			must(hh_external_report(st, &a, &sys, ext_systems[k % 3], id,
						&in, NULL, &res), "report");
		}
	}
	hh_arena_clear(&a);
	/* `serve --demo` must not make its demo inquiries on a first start:
	 * they would give the bench citizen (a demo citizen) cases too */
	must(hh_health_mark_content_loaded(st), "content loaded");
	double own = (double)(hh_mono_us() - t0) / 1e6;
	/* the others' external cases */
	int64_t t1 = hh_mono_us();
	struct bulk b = { .v = v, .org = ids.org, .now = hh_now_us() / 1000000 };
	for (b.from = 0; b.from < n - 20; b.from = b.to) {
		b.to = b.from + 50000 < n - 20 ? b.from + 50000 : n - 20;
		/* no other writer: not retried, so no id is written twice */
		must(hh_store_run_tx(st, 1, bulk_tx, &b), "bulk load");
	}
	printf("seeded %s: the citizen %s (plan, 5 own cases, 20 external "
	       "cases reported) in %.1f s; %d other external cases bulk "
	       "loaded in %.1f s\n", db, BENCH_SUBJECT, own, n - 20,
	       (double)(hh_mono_us() - t1) / 1e6);
	hh_store_close(st);
	return 0;
}

/* ---- Mit overblik in process, beside the bare SELECTs ------------------ */

struct cit_ctx {
	struct hh_arena *a;
	struct hh_citizen z;
};

static enum hh_rc cit_tx(struct hh_tx *tx, void *p)
{
	struct cit_ctx *c = p;
	return tx->store->citizen_get_by_subject(tx, c->a, BENCH_SUBJECT, &c->z);
}

#define BARE_EXT_SQL                                                          \
	"SELECT e.id, o.code, o.name, e.system, e.external_id, e.title, "       \
	"e.state, e.citizen_text, e.deadline_at, e.self_service_url, "          \
	"e.version, e.sent_created_at, e.sent_updated_at, e.received_at FROM "  \
	"external_cases e JOIN organisations o ON o.id = e.organisation_id "     \
	"WHERE e.cpr_hash = %s ORDER BY COALESCE(NULLIF(e.sent_updated_at, 0), " \
	"e.received_at) DESC, e.id DESC LIMIT 200"
#define BARE_CASE_SQL                                                         \
	"SELECT c.id, t.code, t.name, c.state, c.data, c.version, "             \
	"c.created_at, c.updated_at, c.deadline_at FROM cases c JOIN "           \
	"case_types t ON t.id = c.case_type_id WHERE c.citizen_id = %s ORDER "   \
	"BY c.id DESC LIMIT 50"

/* reads ADDRESS KEY_FILE M: M reads of the bench citizen's overview
 * through hh_overview_read (in process, with the plans' views: what the
 * page and the API read), each beside the bare SELECTs of its 25 rows
 * (the 20 external by cpr_hash, the 5 cases by citizen) on a connection
 * of its own (sqlite3 or libpq). KEY_FILE "": the one beside DB. */
static int cmd_reads(const char *address, const char *key_file, int m)
{
	struct hh_store *st = open_store_at(address, key_file);
	int is_pg = !strncmp(address, "postgres", 8);
	struct hh_arena a;
	hh_arena_init(&a);
	struct cit_ctx cc = { .a = &a };
	must(hh_store_run_tx(st, 0, cit_tx, &cc), "the bench citizen (seed first)");
	unsigned char hash[32];
	must(hh_vault_cpr_hash(hh_vault_of(st), 0, cc.z.cpr, hash), "hash");
	struct hh_actor who = { .label = "citizen:1", .roles = HH_ROLE_CITIZEN,
				.citizen_id = cc.z.id,
				.municipality_id = cc.z.municipality_id,
				.loa = HH_LOA_SUBSTANTIAL };
	sqlite3 *db = NULL;
	sqlite3_stmt *se = NULL, *sc = NULL;
	PGconn *pg = NULL;
	char cid[24];
	snprintf(cid, sizeof(cid), "%lld", (long long)cc.z.id);
	char sql[1024];
	if (is_pg) {
		pg = PQconnectdb(address);
		if (PQstatus(pg) != CONNECTION_OK)
			die("cannot connect", PQerrorMessage(pg));
		snprintf(sql, sizeof(sql), BARE_EXT_SQL, "$1");
		pg_ok(pg, PQprepare(pg, "ext", sql, 0, NULL), PGRES_COMMAND_OK, sql);
		snprintf(sql, sizeof(sql), BARE_CASE_SQL, "$1");
		pg_ok(pg, PQprepare(pg, "cases", sql, 0, NULL), PGRES_COMMAND_OK, sql);
	} else {
		db = open_raw(address, SQLITE_OPEN_READONLY);
		snprintf(sql, sizeof(sql), BARE_EXT_SQL, "?1");
		se = prepare(db, sql);
		snprintf(sql, sizeof(sql), BARE_CASE_SQL, "?1");
		sc = prepare(db, sql);
	}
	int64_t *hl = hh_xmalloc(sizeof(int64_t) * (size_t)m);
	int64_t *bl = hh_xmalloc(sizeof(int64_t) * (size_t)m);
	int n_ext = 0, n_cases = 0, n_plans = 0;
	for (int i = -20; i < m; i++) {
		struct hh_arena ra;
		hh_arena_init(&ra);
		struct hh_overview ov;
		int64_t s = hh_mono_us();
		must(hh_overview_read(st, &ra, &who, 1, &ov), "overview");
		int64_t e = hh_mono_us();
		n_ext = ov.n_external;
		n_cases = ov.n_cases;
		n_plans = ov.n_plans;
		hh_arena_clear(&ra);
		int rows = 0;
		int64_t s2 = hh_mono_us();
		if (is_pg) {
			const char *ev[1] = { (const char *)hash };
			int len[1] = { 32 }, fmt[1] = { 1 };
			PGresult *r = PQexecPrepared(pg, "ext", 1, ev, len, fmt, 0);
			rows += PQntuples(r);
			PQclear(r);
			const char *cv[1] = { cid };
			r = PQexecPrepared(pg, "cases", 1, cv, NULL, NULL, 0);
			rows += PQntuples(r);
			PQclear(r);
		} else {
			sqlite3_bind_blob(se, 1, hash, 32, SQLITE_STATIC);
			while (sqlite3_step(se) == SQLITE_ROW)
				rows++;
			sqlite3_reset(se);
			sqlite3_bind_int64(sc, 1, cc.z.id);
			while (sqlite3_step(sc) == SQLITE_ROW)
				rows++;
			sqlite3_reset(sc);
		}
		int64_t e2 = hh_mono_us();
		if (i >= 0) {
			hl[i] = e - s;
			bl[i] = e2 - s2;
		}
		if (rows != 25)
			die("the bare SELECTs found other than 25 rows", NULL);
	}
	if (n_ext != 20 || n_cases != 5 || n_plans != 1)
		die("the overview is not 1 plan, 5 cases, 20 external", NULL);
	qsort(hl, (size_t)m, sizeof(*hl), cmp_i64);
	qsort(bl, (size_t)m, sizeof(*bl), cmp_i64);
	printf("  in process, %d reads each after 20 to warm up:\n", m);
	printf("  hh_overview_read (1 plan + view, 5 cases, 20 external)  p50 %6.3f ms"
	       "   p99 %6.3f ms\n", pct_ms(hl, m, 50), pct_ms(hl, m, 99));
	printf("  bare SELECTs of the 25 rows (%s)%*s p50 %6.3f ms   p99 %6.3f ms\n",
	       is_pg ? "libpq" : "sqlite3", is_pg ? 20 : 18, "", pct_ms(bl, m, 50),
	       pct_ms(bl, m, 99));
	if (pg)
		PQfinish(pg);
	if (db) {
		sqlite3_finalize(se);
		sqlite3_finalize(sc);
		sqlite3_close(db);
	}
	free(hl);
	free(bl);
	hh_arena_clear(&a);
	hh_store_close(st);
	return 0;
}

/* ---- over HTTP --------------------------------------------------------- */

struct body {
	char *p;
	size_t len, cap;
};

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct body *b = ud;
	size_t add = size * nmemb;
	if (b->len + add + 1 > b->cap) {
		b->cap = (b->len + add + 1) * 2;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			abort();
	}
	memcpy(b->p + b->len, ptr, add);
	b->len += add;
	b->p[b->len] = 0;
	return add;
}

/* One request on h (keep-alive); returns the status, *us its wall time. */
static long http_get(CURL *h, struct body *b, const char *url, const char *post,
		     int64_t *us)
{
	b->len = 0;
	if (b->p)
		b->p[0] = 0;
	curl_easy_setopt(h, CURLOPT_URL, url);
	if (post)
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, post);
	else
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	int64_t t0 = hh_mono_us();
	CURLcode rc = curl_easy_perform(h);
	if (us)
		*us = hh_mono_us() - t0;
	if (rc != CURLE_OK)
		die(url, curl_easy_strerror(rc));
	long status = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	return status;
}

static int count_of(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* http URL M COOKIE_FILE: signs the bench citizen in as the demo sign-in
 * does (POST /api/v1/citizen/session: the server runs with --demo),
 * checks that the overview holds what the seed made (1 plan, 5 cases, 20
 * external cases; the page shows the 20), writes the session cookie to
 * COOKIE_FILE ("hh_borger=...", for wrk), then M requests each of GET
 * /healthz (the floor: the same HTTP path, no store), GET
 * /api/v1/overview and GET /mit-overblik, in turn, on one keep-alive
 * connection, after 20 rounds to warm up. */
static int cmd_http(const char *base, int m, const char *cookie_file)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	CURL *h = curl_easy_init();
	struct body b = { 0 };
	curl_easy_setopt(h, CURLOPT_COOKIEFILE, "");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
	struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	char url[3][1024], u[1024];
	snprintf(u, sizeof(u), "%s/api/v1/citizen/session", base);
	if (http_get(h, &b, u, "{\"subject\": \"" BENCH_SUBJECT "\"}", NULL) != 201)
		die("citizen sign-in failed (serve --demo? seeded?)", b.p);
	struct curl_slist *cookies = NULL;
	curl_easy_getinfo(h, CURLINFO_COOKIELIST, &cookies);
	FILE *cf = fopen(cookie_file, "w");
	if (!cf)
		die("cannot write", cookie_file);
	for (struct curl_slist *c = cookies; c; c = c->next) {
		/* Netscape format: the name and the value are the last two */
		const char *val = strrchr(c->data, '\t');
		const char *name = val;
		while (name > c->data && name[-1] != '\t')
			name--;
		if (val && !strncmp(name, "hh_borger\t", 10))
			fprintf(cf, "hh_borger=%s\n", val + 1);
	}
	curl_slist_free_all(cookies);
	fclose(cf);
	curl_slist_free_all(hdr);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);

	static const char *const label[3] = {
		"GET /healthz (the floor: same server, same HTTP path)",
		"GET /api/v1/overview", "GET /mit-overblik (the page)"
	};
	static const char *const path[3] = { "/healthz", "/api/v1/overview",
					     "/mit-overblik" };
	for (int t = 0; t < 3; t++)
		snprintf(url[t], sizeof(url[t]), "%s%s", base, path[t]);
	if (http_get(h, &b, url[1], NULL, NULL) != 200)
		die("GET /api/v1/overview", b.p);
	json_error_t je;
	json_t *ov = json_loads(b.p, 0, &je);
	size_t n_plans = json_array_size(json_object_get(ov, "plans"));
	size_t n_cases = json_array_size(json_object_get(ov, "cases"));
	size_t n_ext = json_array_size(json_object_get(ov, "external_cases"));
	json_decref(ov);
	if (n_plans != 1 || n_cases != 5 || n_ext != 20) {
		fprintf(stderr, "overview: %zu plans, %zu cases, %zu external\n",
			n_plans, n_cases, n_ext);
		die("the overview is not what the seed made", NULL);
	}
	if (http_get(h, &b, url[2], NULL, NULL) != 200 ||
	    count_of(b.p, "Oplyst af ") != 20)
		die("GET /mit-overblik does not show the 20 external cases", NULL);
	size_t page_bytes = b.len;

	int64_t *lat[3];
	for (int t = 0; t < 3; t++)
		lat[t] = hh_xmalloc(sizeof(int64_t) * (size_t)m);
	for (int i = -20; i < m; i++)
		for (int t = 0; t < 3; t++) {
			int64_t us;
			long s = http_get(h, &b, url[t], NULL, &us);
			if (s != 200)
				die(path[t], b.p);
			if (i >= 0)
				lat[t][i] = us;
		}
	printf("  one client, keep-alive, %d requests each in turn after 20 "
	       "rounds to warm up (the page: %zu bytes):\n", m, page_bytes);
	for (int t = 0; t < 3; t++) {
		qsort(lat[t], (size_t)m, sizeof(int64_t), cmp_i64);
		printf("  %-55s p50 %6.3f ms   p99 %6.3f ms\n", label[t],
		       pct_ms(lat[t], m, 50), pct_ms(lat[t], m, 99));
		free(lat[t]);
	}
	free(b.p);
	curl_easy_cleanup(h);
	curl_global_cleanup();
	return 0;
}

int main(int argc, char **argv)
{
	hh_log_set_level(HH_LOG_WARN);
	if (hh_auth_init() != HH_OK)
		die("libsodium", NULL);
	if (argc == 4 && !strcmp(argv[1], "report"))
		return cmd_report(argv[2], atoi(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "report-pg"))
		return cmd_report_pg(argv[2], argv[3], atoi(argv[4]));
	if (argc == 4 && !strcmp(argv[1], "seed"))
		return cmd_seed(argv[2], atoi(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "reads"))
		return cmd_reads(argv[2], *argv[3] ? argv[3] : NULL, atoi(argv[4]));
	if (argc == 5 && !strcmp(argv[1], "http"))
		return cmd_http(argv[2], atoi(argv[3]), argv[4]);
	fprintf(stderr, "usage: external_bench report DIR N\n"
			"       external_bench report-pg URL KEY_FILE N\n"
			"       external_bench seed DB N\n"
			"       external_bench reads DB|URL KEY_FILE M\n"
			"       external_bench http URL M COOKIE_FILE\n");
	return 2;
}
