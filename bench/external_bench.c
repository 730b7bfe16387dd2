/* external_bench.c - the external-case benchmark (bench/external.sh,
 * issue 15's "Measured"): status reports accepted durably beside a bare
 * SQLite upsert of the same rows, and Mit overblik's read with many
 * external cases in the store.
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
 *       helhed's side also reads and parses the declaration and checks
 *       the case type, state and a fact in the report's transaction; the
 *       bare side writes the same case_type, stage and facts columns.
 *   external_bench overview DIR N M
 *       a store in DIR with N external cases (bulk SQL, synchronous=OFF,
 *       not measured: random CPR hashes, 20 of them the hash of one
 *       signed-in citizen's CPR number), then M reads of that citizen's
 *       Mit overblik (hh_overview_read, in process, with the plans'
 *       views: what /mit-overblik and /api/v1/overview read), beside M
 *       bare SELECTs of the same 20 rows by cpr_hash. p50 and p99.
 *
 * Benchmarks print figures; nothing here asserts. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/auth.h"
#include "domain/casesystems.h"
#include "domain/citizens.h"
#include "domain/external.h"
#include "domain/overview.h"
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

static struct hh_store *open_store(const char *path)
{
	char err[1024];
	struct hh_store *st;
	if (hh_store_open_sqlite(path, 1, &st) != HH_OK ||
	    st->migrate(st->cls, NULL) != HH_OK)
		die("cannot open", path);
	if (hh_vault_start(st, NULL, path, err, sizeof(err)) != HH_OK)
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

static void declare(struct hh_store *st, int64_t org_id)
{
	struct hh_actor admin = { .label = "admin", .org_id = org_id,
				  .roles = HH_ROLE_ADMIN };
	json_error_t e;
	json_t *body = json_loads(declaration, 0, &e);
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_case_system c;
	struct hh_cs_error err;
	int created;
	if (!body || hh_case_system_declare(st, &a, &admin, "boligstoette", body,
					    &c, &created, &err) != HH_OK)
		die("cannot declare the system", err.detail);
	hh_arena_clear(&a);
	json_decref(body);
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
	struct hh_store *st = open_store(hpath);
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

/* ---- overview ---------------------------------------------------------- */

static int cmd_overview(const char *dir, int n, int m)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/overview.db", dir);
	struct hh_store *st = open_store(path);
	struct hh_org org;
	if (hh_store_run_tx(st, 1, org_tx, &org) != HH_OK)
		die("set-up failed", NULL);
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_citizen_login l;
	if (hh_citizen_login(st, &a, "bench:anna", "Anna Andersen", "070761-4285",
			     NULL, &l) != HH_OK)
		die("citizen", NULL);
	unsigned char mine[32];
	if (hh_vault_cpr_hash(hh_vault_of(st), 0, "070761-4285", mine) != HH_OK)
		die("hash", NULL);
	const char *sealed;
	if (hh_vault_seal(hh_vault_of(st), &a, "070761-4285", &sealed) != HH_OK)
		die("seal", NULL);

	int64_t t0 = hh_mono_us();
	sqlite3 *db = open_raw(path, SQLITE_OPEN_READWRITE);
	exec_raw(db, "PRAGMA synchronous=OFF; PRAGMA cache_size=-200000; BEGIN");
	sqlite3_stmt *ins = prepare(
		db, "INSERT INTO external_cases(organisation_id, system, external_id, "
		    "cpr, cpr_key, cpr_hash, cpr_hash_key, title, state, citizen_text, "
		    "deadline_at, self_service_url, version, sent_created_at, "
		    "sent_updated_at, received_at) VALUES (?1, 'esdh', ?2, ?3, 'k', ?4, "
		    "'h', 'Boligstøtte', 'Under behandling', 'Vi behandler din "
		    "ansøgning.', 1801436400, 'https://www.borger.dk/', 1, 0, ?5, ?5)");
	int stride = n / 20 ? n / 20 : 1;
	for (int i = 0; i < n; i++) {
		unsigned char h[32];
		int is_mine = i % stride == 0 && i / stride < 20;
		for (int k = 0; k < 32; k++)
			h[k] = (unsigned char)rnd(256);
		char id[32];
		snprintf(id, sizeof(id), "E-%d", i);
		sqlite3_bind_int64(ins, 1, org.id);
		sqlite3_bind_text(ins, 2, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins, 3, sealed, -1, SQLITE_STATIC);
		sqlite3_bind_blob(ins, 4, is_mine ? mine : h, 32, SQLITE_TRANSIENT);
		sqlite3_bind_int64(ins, 5, 1796464800 + i);
		step_done(db, ins);
		if (i % 100000 == 99999)
			exec_raw(db, "COMMIT; BEGIN");
	}
	sqlite3_finalize(ins);
	exec_raw(db, "COMMIT; ANALYZE; PRAGMA wal_checkpoint(TRUNCATE)");
	printf("%d external cases in the store (20 the citizen's), made in %.1f s\n",
	       n, (double)(hh_mono_us() - t0) / 1e6);

	struct hh_actor who = { .label = "citizen:1", .roles = HH_ROLE_CITIZEN,
				.citizen_id = l.citizen.id,
				.loa = HH_LOA_SUBSTANTIAL };
	int64_t *hl = hh_xmalloc(sizeof(int64_t) * (size_t)m);
	int64_t *bl = hh_xmalloc(sizeof(int64_t) * (size_t)m);
	sqlite3_stmt *sel = prepare(db, "SELECT id, title, state, citizen_text, "
					"deadline_at, self_service_url FROM "
					"external_cases WHERE cpr_hash = ?1 ORDER BY "
					"sent_updated_at DESC, id DESC LIMIT 200");
	int got = 0;
	for (int i = -20; i < m; i++) {
		struct hh_arena ra;
		hh_arena_init(&ra);
		struct hh_overview ov;
		int64_t s = hh_mono_us();
		if (hh_overview_read(st, &ra, &who, 1, &ov) != HH_OK)
			die("overview", NULL);
		int64_t e = hh_mono_us();
		got = ov.n_external;
		hh_arena_clear(&ra);
		int rows = 0;
		int64_t s2 = hh_mono_us();
		sqlite3_bind_blob(sel, 1, mine, 32, SQLITE_STATIC);
		while (sqlite3_step(sel) == SQLITE_ROW)
			rows++;
		sqlite3_reset(sel);
		int64_t e2 = hh_mono_us();
		if (i >= 0) {
			hl[i] = e - s;
			bl[i] = e2 - s2;
		}
		if (rows != 20)
			die("bare select found other than 20", NULL);
	}
	if (got != 20)
		die("the overview found other than 20", NULL);
	qsort(hl, (size_t)m, sizeof(*hl), cmp_i64);
	qsort(bl, (size_t)m, sizeof(*bl), cmp_i64);
	printf("%d reads each, in process, after 20 to warm up:\n", m);
	printf("  hh_overview_read (plans, own cases, 20 external)   p50 %6.3f ms   "
	       "p99 %6.3f ms   (target p99 <= 20 ms)\n",
	       pct_ms(hl, m, 50), pct_ms(hl, m, 99));
	printf("  bare SELECT of the 20 rows by cpr_hash             p50 %6.3f ms   "
	       "p99 %6.3f ms\n", pct_ms(bl, m, 50), pct_ms(bl, m, 99));
	sqlite3_finalize(sel);
	sqlite3_close(db);
	free(hl);
	free(bl);
	hh_arena_clear(&a);
	hh_store_close(st);
	return 0;
}

int main(int argc, char **argv)
{
	hh_log_set_level(HH_LOG_WARN);
	if (hh_auth_init() != HH_OK)
		die("libsodium", NULL);
	if (argc == 4 && !strcmp(argv[1], "report"))
		return cmd_report(argv[2], atoi(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "overview"))
		return cmd_overview(argv[2], atoi(argv[3]), atoi(argv[4]));
	fprintf(stderr, "usage: external_bench report DIR N\n"
			"       external_bench overview DIR N M\n");
	return 2;
}
