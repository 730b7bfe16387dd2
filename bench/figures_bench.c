/* figures_bench.c - the service figures' benchmark (make bench-figures):
 *
 *   1. a year of events, generated into a fresh store through the store
 *      interface (event_append, 10,000 per transaction): by default
 *      500,000 inquiries and 100,000 cases at 901 (with transfers,
 *      callbacks, pauses and decisions) and a tenth of that at each of
 *      six peer municipalities; the generator's time and the file size;
 *   2. the fold's throughput: every event folded by hh_figures_catch_up
 *      (events per second);
 *   3. the cost of keeping the aggregates current on the write path:
 *      inquiries logged durably through hh_inquiry_create (one write
 *      transaction each, as the desk does), without and with
 *      hh_figures_catch_up after each one;
 *   4. p50/p99 of each dashboard read for 901 (30 days and the year),
 *      the breakdowns, series, channel mix, drill-down, benchmark, cost,
 *      service levels and /metrics, each run HELHED_BENCH_REPS times;
 *   5. beside them, first-contact resolution and the median processing
 *      time over the year computed by ONE SQL query each over the raw
 *      events table (json_extract on events.after) in the same file, and
 *      whether the values agree.
 *
 * Usage: figures_bench [DIR]   (DIR default: a new folder in TMPDIR)
 * HELHED_BENCH_INQUIRIES (500000), HELHED_BENCH_CASES (100000),
 * HELHED_BENCH_REPS (30), HELHED_BENCH_WRITES (1000),
 * HELHED_BENCH_SQL_REPS (1: the raw query takes seconds to minutes).
 * Benchmarks print figures; nothing here asserts. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/arena.h"
#include "core/dktime.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/content.h"
#include "domain/figformula.h"
#include "domain/figures.h"
#include "domain/inquiries.h"
#include "store/store.h"

static int env_int(const char *name, int def)
{
	const char *v = getenv(name);
	return v && *v ? atoi(v) : def;
}

static double now_ms(void)
{
	return (double)hh_now_us() / 1000.0;
}

/* This process's CPU time, ms: the machine is shared, so wall-clock
 * figures are printed beside what the work itself cost. */
static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void print_load(const char *when)
{
	FILE *f = fopen("/proc/loadavg", "r");
	char line[128] = "?";
	if (f) {
		if (!fgets(line, sizeof(line), f))
			strcpy(line, "?");
		fclose(f);
	}
	line[strcspn(line, "\n")] = 0;
	printf("   load average %s: %s (2 cores)\n", when, line);
}

static uint64_t rng = 88172645463325252ull;
static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

static void die(const char *what, enum hh_rc rc)
{
	fprintf(stderr, "figures_bench: %s failed (%s)\n", what, hh_rc_name(rc));
	exit(1);
}

/* ---- the generator ------------------------------------------------------ */

static const char *const channels[] = { "phone", "phone", "phone", "counter",
					"chat", "email", "web", "letter_reply" };
static const struct {
	const char *code, *final;
} types[] = {
	{ "parkeringstilladelse", "granted" },
	{ "fejl-paa-vej", "fixed" },
	{ "enkeltydelse", "granted" },
	{ "flytning-anmeldelse", "registered" },
	{ "boernetilskud-revurdering", "changed" },
	{ "storskrald-afhentning", "done" },
	{ "sygedagpenge-opfoelgning", "recovered" },
};
#define N_TYPES ((int)(sizeof(types) / sizeof(types[0])))
static const char *const finals_sql =
	"'granted','fixed','registered','changed','done','recovered'";

static int64_t year_start, year_end; /* 2026 in Danish time */

struct gen {
	struct hh_store *st;
	struct hh_tx *tx;
	int in_tx;
	int64_t events;
};

static void put(struct gen *g, int64_t at, const char *actor, int64_t org,
		const char *entity, int64_t id, const char *action,
		const char *after)
{
	if (!g->tx) {
		enum hh_rc rc = g->st->tx_begin(g->st->cls, 1, &g->tx);
		if (rc != HH_OK)
			die("tx_begin", rc);
	}
	struct hh_event e = { .at_us = at * 1000000, .actor = actor, .org_id = org,
			      .entity = entity, .entity_id = id, .action = action,
			      .after = after };
	enum hh_rc rc = g->st->event_append(g->tx, &e);
	if (rc != HH_OK)
		die("event_append", rc);
	if (++g->events % 10000 == 0) {
		rc = g->st->tx_commit(g->tx);
		if (rc != HH_OK)
			die("commit", rc);
		g->tx = NULL;
	}
}

static void flush(struct gen *g)
{
	if (!g->tx)
		return;
	enum hh_rc rc = g->st->tx_commit(g->tx);
	if (rc != HH_OK)
		die("commit", rc);
	g->tx = NULL;
}

/* A time in opening hours on a random day of the year. */
static int64_t some_time(void)
{
	int64_t day = year_start + (int64_t)rnd(365) * 86400;
	return day + 8 * 3600 + rnd(8 * 3600);
}

static void gen_inquiries(struct gen *g, int64_t org, int64_t id0, int n)
{
	char after[256];
	for (int i = 0; i < n; i++) {
		int64_t id = id0 + i, at = some_time();
		const char *ch = channels[rnd(8)];
		int kle = 1 + (int)rnd(30), r = (int)rnd(100);
		const char *o = r < 55 ? "resolved_first_contact"
			       : r < 70 ? "transferred"
			       : r < 80 ? "callback_promised"
			       : r < 85 ? "case_created" : "open";
		if (!strcmp(o, "callback_promised")) {
			char due[21];
			hh_time_iso(at + 4 * 3600, due);
			snprintf(after, sizeof(after),
				 "{\"channel\":\"%s\",\"kle\":\"%02d.01\",\"outcome\":"
				 "\"callback_promised\",\"callback_due_at\":\"%s\"}",
				 ch, kle, due);
			put(g, at, "user:1", org, "inquiry", id, "create", after);
			snprintf(after, sizeof(after),
				 "{\"channel\":\"%s\",\"outcome\":\"case_created\"}", ch);
			put(g, at + 3 * 3600 + rnd(2 * 3600), "user:1", org, "inquiry",
			    id, "outcome", after);
			continue;
		}
		snprintf(after, sizeof(after),
			 "{\"channel\":\"%s\",\"kle\":\"%02d.01\",\"outcome\":\"%s\"}",
			 ch, kle, o);
		put(g, at, "user:1", org, "inquiry", id, "create", after);
		if (!strcmp(o, "open")) {
			snprintf(after, sizeof(after),
				 "{\"channel\":\"%s\",\"outcome\":\"%s\"}", ch,
				 rnd(2) ? "resolved_first_contact" : "transferred");
			put(g, at + 600, "user:1", org, "inquiry", id, "outcome", after);
		}
		if (!strcmp(o, "transferred") && rnd(10) < 3)
			put(g, at + 3600, "user:2", org, "inquiry", id, "transfer-close",
			    "{\"result\":\"transferred\"}");
	}
}

static void gen_cases(struct gen *g, int64_t org, int64_t id0, int n)
{
	char after[160];
	for (int i = 0; i < n; i++) {
		int64_t id = id0 + i, at = some_time();
		int t = (int)rnd(N_TYPES), r = (int)rnd(100);
		const char *actor = r < 70 ? "citizen:1" : r < 95 ? "user:1" : "token:1";
		snprintf(after, sizeof(after),
			 "{\"state\":\"received\",\"case_type\":\"%s\"}", types[t].code);
		put(g, at, actor, org, "case", id, "submit", after);
		int64_t x = at + 86400;
		put(g, x, "user:1", org, "case", id, "transition",
		    "{\"state\":\"in_progress\"}");
		if (rnd(5) == 0) {
			put(g, x + 3600, "user:1", org, "case", id, "request",
			    "{\"state\":\"awaiting_citizen\"}");
			x += 3600 + (2 + rnd(9)) * 86400;
			put(g, x, "citizen:1", org, "case", id, "answer",
			    "{\"state\":\"in_progress\"}");
		}
		x += (int64_t)(1 + rnd(40)) * 86400 + rnd(8 * 3600);
		snprintf(after, sizeof(after), "{\"state\":\"%s\"}", types[t].final);
		put(g, x, "user:1", org, "case", id, "transition", after);
	}
}

/* ---- timing ------------------------------------------------------------- */

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

typedef enum hh_rc (*read_fn)(struct hh_store *st, struct hh_arena *a, void *ctx);

static void timed(const char *what, struct hh_store *st, int reps, read_fn fn,
		  void *ctx)
{
	double *t = hh_xmalloc((size_t)reps * sizeof(*t));
	for (int i = 0; i < reps; i++) {
		struct hh_arena a;
		hh_arena_init(&a);
		double t0 = now_ms();
		enum hh_rc rc = fn(st, &a, ctx);
		t[i] = now_ms() - t0;
		hh_arena_clear(&a);
		if (rc != HH_OK)
			die(what, rc);
	}
	qsort(t, (size_t)reps, sizeof(*t), dbl_cmp);
	int p99 = (int)((reps * 99 + 99) / 100) - 1;
	printf("  %-44s p50 %8.2f ms   p99 %8.2f ms\n", what, t[(reps - 1) / 2],
	       t[p99 < reps ? p99 : reps - 1]);
	free(t);
}

static struct hh_actor manager = { .label = "user:1", .roles = HH_ROLE_MANAGER,
				   .org_is_municipality = 1, .user_id = 1 };
static struct hh_fig_query q30, qyear;

static enum hh_rc noop_row(void *ctx, const struct hh_fig_row *r)
{
	(void)ctx;
	(void)r;
	return HH_OK;
}

static enum hh_rc noop_item(void *ctx, const struct hh_fig_item *it)
{
	(void)ctx;
	(void)it;
	return HH_OK;
}

static enum hh_rc noop_level(void *ctx, const struct hh_fig_level *l)
{
	(void)ctx;
	(void)l;
	return HH_OK;
}

static enum hh_rc r_summary30(struct hh_store *st, struct hh_arena *a, void *c)
{
	struct hh_fig_value v[HH_FIG__COUNT];
	return hh_figures_summary(st, &manager, a, &q30, v);
}

static enum hh_rc r_summary_year(struct hh_store *st, struct hh_arena *a, void *c)
{
	struct hh_fig_value *v = c;
	return hh_figures_summary(st, &manager, a, &qyear, v);
}

struct bd {
	enum hh_fig_ind i;
	enum hh_fig_dim d;
};

static enum hh_rc r_breakdown(struct hh_store *st, struct hh_arena *a, void *c)
{
	struct bd *b = c;
	return hh_figures_breakdown(st, &manager, a, &qyear, b->i, b->d, noop_row,
				    NULL);
}

static enum hh_rc r_mix(struct hh_store *st, struct hh_arena *a, void *c)
{
	return hh_figures_channel_mix(st, &manager, a, &qyear, noop_row, NULL);
}

static enum hh_rc r_drill(struct hh_store *st, struct hh_arena *a, void *c)
{
	return hh_figures_drill(st, &manager, a, &qyear, HH_FIG_PROC_MEDIAN, 0, 50,
				noop_item, NULL);
}

static enum hh_rc r_bench(struct hh_store *st, struct hh_arena *a, void *c)
{
	struct hh_fig_bench b;
	return hh_figures_benchmark(st, &manager, a, &qyear, &b);
}

static enum hh_rc r_cost(struct hh_store *st, struct hh_arena *a, void *c)
{
	struct hh_fig_cost k;
	return hh_figures_cost(st, &manager, a, &qyear, 20260101, 20260331, &k);
}

static enum hh_rc r_levels(struct hh_store *st, struct hh_arena *a, void *c)
{
	return hh_figures_service_levels(st, a, "901", 20260101, 20261231, NULL,
					 noop_level, NULL);
}

static enum hh_rc r_metrics(struct hh_store *st, struct hh_arena *a, void *c)
{
	struct hh_buf b;
	hh_buf_init(&b);
	enum hh_rc rc = hh_figures_metrics(st, &b);
	hh_buf_clear(&b);
	return rc;
}

/* ---- the same figures in one SQL query over the raw events ------------- */

static const char *const sql_fcr =
	"SELECT ifnull(sum(fo = 'resolved_first_contact'), 0), count(fo) FROM ("
	" SELECT (SELECT json_extract(x.after, '$.outcome') FROM events x"
	"   WHERE x.entity = 'inquiry' AND x.entity_id = c.entity_id"
	"   AND x.action IN ('create', 'outcome')"
	"   AND json_extract(x.after, '$.outcome') <> 'open'"
	"   ORDER BY x.id LIMIT 1) AS fo"
	" FROM events c WHERE c.entity = 'inquiry' AND c.action = 'create'"
	" AND c.organisation_id = ?1 AND c.at >= ?2 AND c.at < ?3)";

static char sql_median[2048];

static double sql_time(sqlite3 *db, const char *sql, int64_t org, int reps,
		       double *v1, double *v2)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "figures_bench: %s\n", sqlite3_errmsg(db));
		exit(1);
	}
	double sum = 0;
	for (int i = 0; i < reps; i++) {
		sqlite3_bind_int64(st, 1, org);
		sqlite3_bind_int64(st, 2, year_start * 1000000);
		sqlite3_bind_int64(st, 3, year_end * 1000000);
		double t0 = now_ms();
		if (sqlite3_step(st) == SQLITE_ROW) {
			*v1 = sqlite3_column_double(st, 0);
			*v2 = sqlite3_column_double(st, 1);
		}
		double t = now_ms() - t0;
		sqlite3_reset(st);
		sum += t;
	}
	sqlite3_finalize(st);
	return sum / reps;
}

/* ---- main --------------------------------------------------------------- */

static int64_t put_org(struct hh_store *st, const char *code, const char *name)
{
	struct hh_tx *tx;
	struct hh_org o = { .code = code, .name = name, .kind = HH_ORG_MUNICIPALITY };
	if (st->tx_begin(st->cls, 1, &tx) != HH_OK || st->org_put(tx, &o) != HH_OK ||
	    st->tx_commit(tx) != HH_OK)
		die("org_put", HH_ERR_IO);
	return o.id;
}

static double inquiries_per_s(struct hh_store *st, int n, int catch_up)
{
	struct hh_actor agent = { .label = "user:1", .org_id = manager.org_id,
				  .org_is_municipality = 1,
				  .roles = HH_ROLE_AGENT, .user_id = 1 };
	double t0 = now_ms();
	for (int i = 0; i < n; i++) {
		struct hh_arena a;
		hh_arena_init(&a);
		struct hh_inquiry_input in = { .channel = "phone", .kle = "05.13",
					       .outcome = "resolved_first_contact" };
		struct hh_inquiry out;
		int replayed;
		enum hh_inquiry_fault fault;
		enum hh_rc rc = hh_inquiry_create(st, &a, &agent, &in, &out, &replayed,
						  &fault, NULL);
		if (rc == HH_OK && catch_up)
			rc = hh_figures_catch_up(st);
		hh_arena_clear(&a);
		if (rc != HH_OK)
			die("hh_inquiry_create", rc);
	}
	return n / ((now_ms() - t0) / 1000.0);
}

int main(int argc, char **argv)
{
	hh_json_alloc_init();
	setvbuf(stdout, NULL, _IOLBF, 0); /* progress as it comes */
	int n_inq = env_int("HELHED_BENCH_INQUIRIES", 500000);
	int n_cases = env_int("HELHED_BENCH_CASES", 100000);
	int reps = env_int("HELHED_BENCH_REPS", 30);
	int n_writes = env_int("HELHED_BENCH_WRITES", 1000);
	char dir[4096];
	if (argc > 1) {
		snprintf(dir, sizeof(dir), "%s", argv[1]);
		mkdir(dir, 0700);
	} else {
		const char *tmp = getenv("TMPDIR");
		snprintf(dir, sizeof(dir), "%s/helhed-bench-figures-XXXXXX",
			 tmp ? tmp : "/tmp");
		if (!mkdtemp(dir)) {
			perror("mkdtemp");
			return 1;
		}
	}
	char path[4200];
	snprintf(path, sizeof(path), "%s/helhed.db", dir);
	remove(path);
	struct hh_store *st;
	enum hh_rc rc = hh_store_open_sqlite(path, 2, &st);
	if (rc == HH_OK)
		rc = st->migrate(st->cls, NULL);
	if (rc != HH_OK)
		die("open", rc);
	struct hh_import_stats stats;
	FILE *devnull = fopen("/dev/null", "w");
	rc = hh_content_import(st, "content", 0, devnull, NULL, NULL, &stats);
	fclose(devnull);
	if (rc != HH_OK)
		die("import content", rc);
	struct hh_org o901;
	struct hh_arena a;
	hh_arena_init(&a);
	if ((rc = hh_store_org_by_code(st, &a, "901", &o901)) != HH_OK)
		die("org 901", rc);
	manager.org_id = o901.id;
	/* a staff user for the inquiries the desk logs (foreign key) */
	struct hh_tx *tx;
	struct hh_user u = { .org_id = o901.id, .email = "bench@901",
			     .name = "Bench", .password_hash = "x",
			     .roles = HH_ROLE_AGENT | HH_ROLE_MANAGER };
	if (st->tx_begin(st->cls, 1, &tx) != HH_OK || st->user_insert(tx, &u) != HH_OK ||
	    st->tx_commit(tx) != HH_OK)
		die("user", HH_ERR_IO);
	manager.user_id = u.id;
	manager.label = hh_arena_printf(&a, "user:%lld", (long long)u.id);
	hh_iso8601_parse("2026-01-01", &year_start);
	hh_iso8601_parse("2027-01-01", &year_end);
	q30 = (struct hh_fig_query){ .from_day = 20261202, .to_day = 20261231 };
	qyear = (struct hh_fig_query){ .from_day = 20260101, .to_day = 20261231 };

	/* 1. the year */
	printf("figures benchmark: %d inquiries and %d cases at 901, a tenth at "
	       "each of 6 peers; %s\n", n_inq, n_cases, path);
	struct gen g = { .st = st };
	double t0 = now_ms();
	/* ids far above those hh_inquiry_create gives in step 3 */
	gen_inquiries(&g, o901.id, 100000000, n_inq);
	gen_cases(&g, o901.id, 100000000, n_cases);
	for (int p = 0; p < 6; p++) {
		char code[8], name[32];
		snprintf(code, sizeof(code), "9%02d", 10 + p);
		snprintf(name, sizeof(name), "Kommune %s", code);
		flush(&g); /* one writer: the organisation's own transaction */
		int64_t org = put_org(st, code, name);
		gen_inquiries(&g, org, 200000000 + p * 10000000, n_inq / 10);
		gen_cases(&g, org, 200000000 + p * 10000000, n_cases / 10);
	}
	flush(&g);
	double gen_s = (now_ms() - t0) / 1000.0;
	printf("1. generated %lld events in %.1f s (%.0f events/s, bare "
	       "event_append, 10,000 per transaction)\n",
	       (long long)g.events, gen_s, g.events / gen_s);

	/* 2. the fold */
	print_load("before the fold");
	t0 = now_ms();
	double c0 = cpu_ms();
	if ((rc = hh_figures_catch_up(st)) != HH_OK)
		die("catch_up", rc);
	double fold_s = (now_ms() - t0) / 1000.0, fold_cpu = (cpu_ms() - c0) / 1000.0;
	printf("2. fold: %lld events in %.1f s wall = %.0f events/s (CPU %.1f s = "
	       "%.0f events per CPU second)\n",
	       (long long)g.events, fold_s, g.events / fold_s, fold_cpu,
	       g.events / fold_cpu);
	struct stat sb;
	if (stat(path, &sb) == 0)
		printf("   database with facts and aggregates: %.0f MB\n",
		       sb.st_size / 1e6);

	/* 3. the write path */
	double without = inquiries_per_s(st, n_writes, 0);
	double with = inquiries_per_s(st, n_writes, 1);
	printf("3. inquiries logged durably through hh_inquiry_create "
	       "(%d each):\n   without catch-up %.0f/s, with catch-up after "
	       "each %.0f/s (%.2fx the time)\n",
	       n_writes, without, with, without / with);
	if ((rc = hh_figures_catch_up(st)) != HH_OK)
		die("catch_up", rc);

	/* 4. the reads */
	print_load("before the reads");
	printf("4. reads for 901, %d runs each (everything folded; each read "
	       "still checks for new events):\n", reps);
	struct hh_fig_value year[HH_FIG__COUNT];
	timed("summary, last 30 days", st, reps, r_summary30, NULL);
	timed("summary, the year", st, reps, r_summary_year, year);
	struct bd b1 = { HH_FIG_FCR, HH_FIG_BY_CHANNEL },
		  b2 = { HH_FIG_PROC_MEDIAN, HH_FIG_BY_CASE_TYPE },
		  b3 = { HH_FIG_FCR, HH_FIG_BY_MONTH },
		  b4 = { HH_FIG_PROC_MEDIAN, HH_FIG_BY_MONTH },
		  b5 = { HH_FIG_INQUIRIES, HH_FIG_BY_WEEK },
		  b6 = { HH_FIG_FCR, HH_FIG_BY_TOPIC };
	timed("breakdown FCR by channel, year", st, reps, r_breakdown, &b1);
	timed("breakdown median by case type, year", st, reps, r_breakdown, &b2);
	timed("series FCR by month, year", st, reps, r_breakdown, &b3);
	timed("series median by month, year", st, reps, r_breakdown, &b4);
	timed("series inquiries by week, year", st, reps, r_breakdown, &b5);
	timed("breakdown FCR by KLE group, year", st, reps, r_breakdown, &b6);
	timed("channel mix, year", st, reps, r_mix, NULL);
	timed("drill-down, 50 decisions", st, reps, r_drill, NULL);
	timed("benchmark (7 municipalities), year", st, reps, r_bench, NULL);
	timed("cost with baseline, year", st, reps, r_cost, NULL);
	timed("public service levels, year", st, reps, r_levels, NULL);
	timed("/metrics", st, reps, r_metrics, NULL);

	/* 5. one SQL query over the raw events */
	snprintf(sql_median, sizeof(sql_median),
		 "WITH sub AS (SELECT entity_id AS id, at FROM events WHERE "
		 " entity = 'case' AND action = 'submit' AND organisation_id = ?1),"
		 " dec AS (SELECT entity_id AS id, min(at) AS at FROM events WHERE"
		 "  entity = 'case' AND action = 'transition' AND"
		 "  json_extract(after, '$.state') IN (%s) GROUP BY entity_id),"
		 " pau AS (SELECT entity_id AS id, sum(CASE action WHEN 'answer'"
		 "  THEN at ELSE -at END) AS p FROM events WHERE entity = 'case'"
		 "  AND action IN ('request', 'answer') GROUP BY entity_id),"
		 " proc AS (SELECT (dec.at - sub.at - ifnull(pau.p, 0)) / 86400e6"
		 "  AS d FROM sub JOIN dec USING (id) LEFT JOIN pau USING (id)"
		 "  WHERE dec.at >= ?2 AND dec.at < ?3)"
		 " SELECT d, (SELECT count(*) FROM proc) FROM proc ORDER BY d"
		 " LIMIT 1 OFFSET ((SELECT count(*) FROM proc) - 1) / 2",
		 finals_sql);
	sqlite3 *db;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		die("sqlite3_open", HH_ERR_IO);
	int sql_reps = env_int("HELHED_BENCH_SQL_REPS", 1);
	double resolved = 0, ended = 0, median = 0, decided = 0;
	double fcr_ms = sql_time(db, sql_fcr, o901.id, sql_reps, &resolved, &ended);
	/* HELHED_BENCH_SQL_MEDIAN=0 leaves out the slow one (minutes) */
	double med_ms = env_int("HELHED_BENCH_SQL_MEDIAN", 1) == 1
				? sql_time(db, sql_median, o901.id, sql_reps, &median,
					   &decided)
				: 0;
	sqlite3_close(db);
	/* helhed's own, timed alone for the ratio */
	double h_fcr = 0, h_med = 0;
	for (int i = 0; i < sql_reps; i++) {
		struct hh_arena x;
		hh_arena_init(&x);
		struct hh_fig_value v[HH_FIG__COUNT];
		double t1 = now_ms();
		rc = hh_figures_summary(st, &manager, &x, &qyear, v);
		double t = now_ms() - t1;
		hh_arena_clear(&x);
		if (rc != HH_OK)
			die("summary", rc);
		h_fcr += t;
		h_med += t;
	}
	h_fcr /= sql_reps;
	h_med /= sql_reps;
	printf("5. the year's figures for 901 by one SQL query over the raw "
	       "events (mean of %d runs) beside helhed's whole summary (all "
	       "16 indicators):\n",
	       sql_reps);
	printf("  FCR:    SQL %.4f (%0.f/%0.f) in %8.1f ms; helhed %.4f "
	       "(%lld/%lld) in %.1f ms: %.0fx faster, %s\n",
	       ended ? resolved / ended : 0, resolved, ended, fcr_ms,
	       year[HH_FIG_FCR].value, (long long)year[HH_FIG_FCR].num,
	       (long long)year[HH_FIG_FCR].den, h_fcr, fcr_ms / h_fcr,
	       (int64_t)resolved == year[HH_FIG_FCR].num &&
			       (int64_t)ended == year[HH_FIG_FCR].den
		       ? "equal"
		       : "DIFFERENT");
	if (med_ms == 0)
		printf("  median: SQL left out (HELHED_BENCH_SQL_MEDIAN=0); helhed "
		       "%.4f days (of %lld)\n", year[HH_FIG_PROC_MEDIAN].value,
		       (long long)year[HH_FIG_PROC_MEDIAN].den);
	else
	printf("  median: SQL %.4f days (of %.0f) in %8.1f ms; helhed %.4f "
	       "(of %lld) in %.1f ms: %.0fx faster, %s\n",
	       median, decided, med_ms, year[HH_FIG_PROC_MEDIAN].value,
	       (long long)year[HH_FIG_PROC_MEDIAN].den, h_med, med_ms / h_med,
	       median - year[HH_FIG_PROC_MEDIAN].value < 1e-6 &&
			       year[HH_FIG_PROC_MEDIAN].value - median < 1e-6 &&
			       (int64_t)decided == year[HH_FIG_PROC_MEDIAN].den
		       ? "equal"
		       : "DIFFERENT");
	print_load("at the end");
	hh_arena_clear(&a);
	hh_store_close(st);
	if (argc <= 1) {
		char cmd[4300];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "figures_bench: could not remove %s\n", dir);
	}
	return 0;
}
