/* test_demoyear.c - the generated year (domain/demoyear.h) at scale 0.01
 * from the real content folder: volumes in their ranges, every service
 * made through the domain, the phone's share falling and self-service
 * rising over the year, phones and counters only in opening hours, quiet
 * weekends, a spread between municipalities, every case event a move
 * the case type allows; the same options give the same events, another
 * seed others; a second run on the same database is refused. */
#include "testutil.h"

#include <sodium.h>
#include <sqlite3.h>

#include "core/dktime.h"
#include "domain/cases.h"
#include "domain/casetype.h"
#include "domain/content.h"
#include "domain/demoyear.h"
#include "domain/hours.h"
#include "domain/vault.h"

/* 2025-03-01: the year runs to 2026-02-28, both summer-time switches
 * and a Christmas inside */
#define FROM_Y 2025
#define FROM_M 3

struct fx {
	char *dir;
	char path[4200];
	struct hh_store *st;
	struct hh_arena a;
	struct hh_demo_year_stats s;
	sqlite3 *db;
};

static struct fx *fx_new(void)
{
	struct fx *f = hh_xcalloc(1, sizeof(*f));
	f->dir = tu_tmpdir();
	f->st = tu_store(f->dir, 2);
	snprintf(f->path, sizeof(f->path), "%s/helhed.db", f->dir);
	char err[512];
	assert_int_equal(hh_vault_start(f->st, NULL, f->path, err, sizeof(err)), HH_OK);
	assert_int_equal(hh_store_sqlite_bulk(f->st), HH_OK);
	struct hh_import_stats stats;
	FILE *errs = tmpfile();
	/* no demo users: their passwords take seconds to hash, and the
	 * year makes its own staff */
	assert_int_equal(hh_content_import(f->st, "content", 0, errs, NULL, NULL,
					   &stats),
			 HH_OK);
	fclose(errs);
	hh_arena_init(&f->a);
	return f;
}

static void fx_free(struct fx *f)
{
	if (f->db)
		sqlite3_close(f->db);
	hh_arena_clear(&f->a);
	hh_store_close(f->st);
	tu_rmdir(f->dir);
	free(f);
}

static enum hh_rc fx_year(struct fx *f, uint64_t seed, int days)
{
	struct hh_demo_year_opts o = {
		.seed = seed,
		.from_day = hh_days_from_civil(FROM_Y, FROM_M, 1),
		.days = days,
		.scale = 0.01,
	};
	const char *made_by = NULL;
	enum hh_rc rc = hh_demo_year(f->st, &f->a, &o, stderr, NULL, &f->s, &made_by);
	if (rc == HH_OK && !f->db)
		assert_int_equal(sqlite3_open_v2(f->path, &f->db, SQLITE_OPEN_READONLY,
						 NULL),
				 SQLITE_OK);
	return rc;
}

static int64_t q1(struct fx *f, const char *sql)
{
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(f->db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* ---- one year, made once for the tests below ------------------------------ */

static struct fx *year;

static int year_setup(void **state)
{
	year = fx_new();
	assert_int_equal(fx_year(year, 42, 365), HH_OK);
	return 0;
}

static int year_teardown(void **state)
{
	fx_free(year);
	return 0;
}

#define ORG_901 "(SELECT id FROM organisations WHERE code = '901')"

static void test_volumes(void **state)
{
	struct fx *f = year;
	const struct hh_demo_year_stats *s = &f->s;
	/* 500,000 inquiries and 100,000 cases for Nordskov at scale 1 */
	int64_t inq = q1(f, "SELECT count(*) FROM inquiries WHERE organisation_id = " ORG_901);
	assert_in_range(inq, 4000, 6000);
	assert_int_equal(inq, s->inquiries_901);
	assert_in_range(s->cases_901, 800, 1200);
	assert_in_range(s->citizens, 2000, 3000);
	/* each service made, through the domain */
	assert_true(s->chats > 50 && s->ratings > 20 && s->ratings < s->chats);
	assert_true(s->written > 100);
	assert_true(s->callbacks > 50 && s->callbacks_late > 0 &&
		    s->callbacks_late < s->callbacks / 2);
	assert_true(s->transfers_closed > 100 && s->onward > 0);
	assert_true(s->self_service > s->assisted && s->assisted > 50);
	assert_true(s->requests > 20 && s->answers > 10 && s->answers <= s->requests);
	assert_true(s->decisions > s->cases / 2 && s->letters > 10);
	assert_true(s->followups > 0);
	assert_true(s->searches > 1000 && s->chosen > 100 && s->no_result > 10);
	assert_true(s->events > s->inquiries);
	/* rows where the running system keeps them */
	assert_int_equal(q1(f, "SELECT count(*) FROM chats WHERE state = 'closed'"),
			 s->chats);
	assert_int_equal(q1(f, "SELECT count(*) FROM chats WHERE rating > 0"),
			 s->ratings);
	assert_int_equal(q1(f, "SELECT count(*) FROM search_log"), s->searches);
	assert_int_equal(q1(f, "SELECT count(*) FROM search_log WHERE results = 0"),
			 s->no_result);
	assert_true(q1(f, "SELECT count(*) FROM search_log WHERE chosen_article_id "
			  "IS NOT NULL") > 0);
	/* every search carries an anonymous visit; about 1 reader in 8
	 * answers "Fandt du det, du søgte?", each answer with its event,
	 * and on article pages mostly yes (70-85 %) */
	assert_int_equal(q1(f, "SELECT count(*) FROM search_log WHERE visit IS NULL"), 0);
	int64_t fb = q1(f, "SELECT count(*) FROM feedback");
	assert_true(fb > 0);
	assert_int_equal(q1(f, "SELECT count(*) FROM events WHERE entity = 'feedback'"), fb);
	int64_t yes_permille = q1(f, "SELECT 1000 * sum(found) / count(*) FROM feedback "
				     "WHERE article_id IS NOT NULL");
	assert_true(yes_permille >= 600 && yes_permille <= 900);
	assert_true(q1(f, "SELECT count(*) FROM letters WHERE state = 'sent'") >= s->letters);
	assert_int_equal(q1(f, "SELECT count(*) FROM events WHERE entity = 'case' AND "
			       "action = 'answer'"),
			 s->answers);
	/* six made-up municipalities, in the database only */
	assert_int_equal(q1(f, "SELECT count(*) FROM organisations WHERE kind = 'municipality' AND "
			       "code BETWEEN '903' AND '908'"),
			 6);
	assert_int_equal(s->organisations, 6);
	/* everything inside the year (the first e-mails came in the night
	 * before they were answered on its first day) */
	assert_int_equal(q1(f, "SELECT count(*) FROM events WHERE at >= 1772319600000000 "
			       "AND entity IN ('case', 'inquiry', 'chat')"),
			 0);
	assert_true(q1(f, "SELECT count(*) FROM events WHERE at >= 1740783600000000 AND "
			  "entity IN ('case', 'inquiry')") > 5000);
	assert_int_equal(q1(f, "SELECT count(*) FROM inquiries WHERE started_at < "
			       "1740697200 OR started_at >= 1772319600"),
			 0);
}

/* The share of 901's inquiries started in [from, to) that are phone
 * calls. */
static double phone_share(struct fx *f, int64_t from, int64_t to)
{
	char sql[400];
	snprintf(sql, sizeof(sql),
		 "SELECT 1000 * sum(channel = 'phone') / count(*) FROM inquiries "
		 "WHERE organisation_id = " ORG_901 " AND started_at >= %lld AND "
		 "started_at < %lld",
		 (long long)from, (long long)to);
	return (double)q1(f, sql) / 1000.0;
}

static double self_share(struct fx *f, int64_t from, int64_t to)
{
	char sql[400];
	snprintf(sql, sizeof(sql),
		 "SELECT 1000 * sum(actor LIKE 'citizen:%%') / count(*) FROM events "
		 "WHERE entity = 'case' AND action = 'submit' AND at >= %lld000000 "
		 "AND at < %lld000000", /* events are stamped in microseconds */
		 (long long)from, (long long)to);
	return (double)q1(f, sql) / 1000.0;
}

static void test_channel_shift(void **state)
{
	struct fx *f = year;
	int64_t d0 = hh_days_from_civil(FROM_Y, FROM_M, 1);
	int64_t q1_from = hh_dk_instant(d0, 0), q1_to = hh_dk_instant(d0 + 91, 0);
	int64_t q4_from = hh_dk_instant(d0 + 274, 0), q4_to = hh_dk_instant(d0 + 365, 0);
	double first = phone_share(f, q1_from, q1_to), last = phone_share(f, q4_from, q4_to);
	/* from about 45 % to about 30 % over the year */
	assert_true(first > 0.36 && first < 0.50);
	assert_true(last > 0.22 && last < 0.36);
	assert_true(first - last > 0.07);
	double self_first = self_share(f, q1_from, q1_to);
	double self_last = self_share(f, q4_from, q4_to);
	assert_true(self_last > self_first + 0.04);
}

static void test_opening_hours(void **state)
{
	struct fx *f = year;
	struct hh_arena a;
	hh_arena_init(&a);
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(f->db,
					    "SELECT organisation_id, channel, started_at "
					    "FROM inquiries WHERE channel IN ('phone', "
					    "'counter') ORDER BY organisation_id",
					    -1, &s, NULL),
			 SQLITE_OK);
	int64_t org = 0, n = 0, outside = 0;
	const struct hh_hours *h[2] = { NULL, NULL };
	while (sqlite3_step(s) == SQLITE_ROW) {
		int64_t o = sqlite3_column_int64(s, 0);
		int counter = !strcmp((const char *)sqlite3_column_text(s, 1), "counter");
		if (o != org) {
			org = o;
			for (int k = 0; k < 2; k++)
				if (hh_hours_get(f->st, &a, org, k ? "counter" : "phone",
						 &h[k]) != HH_OK)
					h[k] = NULL;
		}
		n++;
		/* the demo inquiries of the first start are not the year's;
		 * this store had none (no demo users) */
		if (!h[counter] || !hh_hours_open(h[counter], sqlite3_column_int64(s, 2),
						  NULL))
			outside++;
	}
	sqlite3_finalize(s);
	hh_arena_clear(&a);
	assert_true(n > 2000);
	assert_int_equal(outside, 0);
}

static void test_weekends(void **state)
{
	struct fx *f = year;
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(f->db,
					    "SELECT started_at, channel FROM inquiries "
					    "WHERE organisation_id = " ORG_901,
					    -1, &s, NULL),
			 SQLITE_OK);
	int64_t weekday = 0, weekend = 0, night_staffed = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		int64_t t = sqlite3_column_int64(s, 0), l = hh_dk_local(t);
		int64_t day = l / 86400;
		int wd = (int)((day + 3) % 7), hour = (int)(l % 86400 / 3600);
		const char *ch = (const char *)sqlite3_column_text(s, 1);
		if (wd >= 5)
			weekend++;
		else
			weekday++;
		/* at night only the web (and mail that waited for the
		 * morning) */
		if ((hour < 7 || hour >= 23) &&
		    (!strcmp(ch, "phone") || !strcmp(ch, "counter") || !strcmp(ch, "chat")))
			night_staffed++;
	}
	sqlite3_finalize(s);
	/* per day: a weekend day has less than a quarter of a weekday's */
	assert_true(weekend * 5 * 4 < weekday * 2);
	assert_true(weekend > 0);
	assert_int_equal(night_staffed, 0);
}

static void test_spread(void **state)
{
	struct fx *f = year;
	/* first-contact resolution differs between municipalities */
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(f->db,
					    "SELECT 1000 * sum(i.outcome = "
					    "'resolved_first_contact') / count(*) FROM "
					    "inquiries i JOIN organisations o ON o.id = "
					    "i.organisation_id WHERE o.kind = 'municipality' GROUP BY o.id",
					    -1, &s, NULL),
			 SQLITE_OK);
	int64_t lo = 1000, hi = 0, n = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		int64_t v = sqlite3_column_int64(s, 0);
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
		n++;
	}
	sqlite3_finalize(s);
	assert_int_equal(n, 8);
	assert_true(hi - lo > 120);
}

/* Every change of a case's state in the event log is a move its case
 * type allows to a caseworker or an agent, a request (to its paused
 * state), the citizen's answer (back to where it was) or the decision
 * sent with a letter. */
static void test_case_moves(void **state)
{
	struct fx *f = year;
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(f->db,
					    "SELECT c.case_type_id, e.entity_id, e.action, "
					    "e.before, e.after FROM events e JOIN cases c "
					    "ON c.id = e.entity_id WHERE e.entity = 'case' "
					    "ORDER BY e.entity_id, e.id",
					    -1, &s, NULL),
			 SQLITE_OK);
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_case_type_def defs[32];
	int64_t def_id[32];
	int n_defs = 0;
	int64_t moves = 0, bad = 0, current = 0;
	char state_before_pause[64] = "";
	while (sqlite3_step(s) == SQLITE_ROW) {
		int64_t type = sqlite3_column_int64(s, 0), id = sqlite3_column_int64(s, 1);
		const char *action = (const char *)sqlite3_column_text(s, 2);
		const char *before = (const char *)sqlite3_column_text(s, 3);
		const char *after = (const char *)sqlite3_column_text(s, 4);
		if (id != current) {
			current = id;
			state_before_pause[0] = 0;
		}
		if (!before || !after)
			continue;
		const char *from = tu_jfield(&a, before, "state");
		const char *to = tu_jfield(&a, after, "state");
		if (!from || !to || !strcmp(from, to))
			continue;
		int k = 0;
		while (k < n_defs && def_id[k] != type)
			k++;
		if (k == n_defs) {
			struct hh_tx *tx = tu_read_begin(f->st);
			struct hh_case_type row;
			assert_int_equal(hh_case_type_load(tx, &a, NULL, type, &row, &defs[k]),
					 HH_OK);
			tu_read_end(tx);
			def_id[n_defs++] = type;
		}
		const struct hh_case_type_def *def = &defs[k];
		const struct hh_ct_state *paused = hh_ct_paused(def);
		int ok;
		if (!strcmp(action, "request")) {
			ok = paused && !strcmp(to, paused->key);
			snprintf(state_before_pause, sizeof(state_before_pause), "%s", from);
		} else if (!strcmp(action, "answer")) {
			ok = !strcmp(to, state_before_pause);
		} else if (!strcmp(action, "party_confirm")) {
			/* p-parties: the spouse's confirmation starts the case */
			ok = def->confirm_state && !strcmp(from, def->confirm_state) &&
			     !strcmp(to, def->initial);
		} else {
			const struct hh_ct_transition *t = hh_ct_transition(def, from, to);
			ok = !strcmp(action, "transition") && t &&
			     (t->roles & (HH_ROLE_CASEWORKER | HH_ROLE_AGENT));
		}
		if (!ok) {
			bad++;
			fprintf(stderr, "case %lld: %s %s -> %s\n", (long long)id, action,
				from, to);
		}
		moves++;
	}
	sqlite3_finalize(s);
	for (int k = 0; k < n_defs; k++)
		hh_case_type_def_clear(&defs[k]);
	hh_arena_clear(&a);
	assert_true(moves > 1000);
	assert_int_equal(bad, 0);
}

static void test_refuses_second_run(void **state)
{
	struct fx *f = year;
	int64_t before = q1(f, "SELECT count(*) FROM events");
	struct hh_demo_year_opts o = { .seed = 42, .from_day = 20000, .days = 10,
				       .scale = 0.01 };
	struct hh_demo_year_stats s;
	const char *made_by = NULL;
	assert_int_equal(hh_demo_year(f->st, &f->a, &o, stderr, NULL, &s, &made_by),
			 HH_ERR_CONFLICT);
	assert_non_null(made_by);
	assert_non_null(strstr(made_by, "seed 42"));
	assert_null(strstr(made_by, "started"));
	assert_int_equal(q1(f, "SELECT count(*) FROM events"), before);
	/* the clock is the real one again */
	int64_t now = hh_now_us() / 1000000;
	assert_true(now > 1764547200); /* after 2025-12-01 */
}

/* ---- the same options, the same year -------------------------------------- */

/* A digest of everything the figures read: the event log (without the
 * events' own ids, and without the content import's, stamped with the
 * real time: articles, and since x-fix the case systems' declarations),
 * the inquiries, the search log and the cases' states. */
static void digest(struct fx *f, unsigned char out[32])
{
	static const char *const sqls[] = {
		"SELECT at, actor, organisation_id, entity, entity_id, action, before, after "
		"FROM events WHERE entity <> 'article' AND actor <> 'import' ORDER BY id",
		"SELECT organisation_id, channel, article_id, kle, citizen_id, "
		"agent_id, started_at, ended_at, outcome, transfer_team, "
		"transfer_org_id, transfer_reason, case_id, callback_due_at FROM "
		"inquiries ORDER BY id",
		"SELECT query, municipality_id, results, chosen_article_id, at FROM "
		"search_log ORDER BY id",
		"SELECT organisation_id, case_type_id, citizen_id, state, "
		"created_at, deadline_at, closed_at, journal_no FROM cases ORDER BY id",
	};
	crypto_generichash_state h;
	crypto_generichash_init(&h, NULL, 0, 32);
	for (size_t i = 0; i < sizeof(sqls) / sizeof(*sqls); i++) {
		sqlite3_stmt *s;
		int rc = sqlite3_prepare_v2(f->db, sqls[i], -1, &s, NULL);
		if (rc != SQLITE_OK)
			fprintf(stderr, "%s\n", sqlite3_errmsg(f->db));
		assert_int_equal(rc, SQLITE_OK);
		while (sqlite3_step(s) == SQLITE_ROW)
			for (int c = 0; c < sqlite3_column_count(s); c++) {
				const unsigned char *v = sqlite3_column_text(s, c);
				crypto_generichash_update(&h, v ? v : (const unsigned char *)"\1",
							  v ? strlen((const char *)v) + 1 : 1);
			}
		sqlite3_finalize(s);
	}
	crypto_generichash_final(&h, out, 32);
}

static void test_reproducible(void **state)
{
	unsigned char d[3][32];
	int64_t events[3];
	for (int i = 0; i < 3; i++) {
		struct fx *f = fx_new();
		assert_int_equal(fx_year(f, i == 2 ? 8 : 7, 40), HH_OK);
		digest(f, d[i]);
		events[i] = f->s.events;
		fx_free(f);
	}
	assert_true(events[0] > 500);
	assert_int_equal(events[0], events[1]);
	assert_memory_equal(d[0], d[1], 32);
	assert_memory_not_equal(d[0], d[2], 32);
}

int main(void)
{
	hh_json_alloc_init();
	assert_int_equal(sodium_init() >= 0, 1);
	const struct CMUnitTest year_tests[] = {
		cmocka_unit_test(test_volumes),
		cmocka_unit_test(test_channel_shift),
		cmocka_unit_test(test_opening_hours),
		cmocka_unit_test(test_weekends),
		cmocka_unit_test(test_spread),
		cmocka_unit_test(test_case_moves),
		cmocka_unit_test(test_refuses_second_run),
	};
	const struct CMUnitTest other_tests[] = {
		cmocka_unit_test(test_reproducible),
	};
	int failed = cmocka_run_group_tests_name("demo-year", year_tests, year_setup,
						 year_teardown);
	failed += cmocka_run_group_tests_name("demo-year reproducible", other_tests,
					      NULL, NULL);
	return failed;
}
