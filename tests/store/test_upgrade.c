/* test_upgrade.c - upgrades from every schema version (issue 17, point 6):
 * a database is built at each migration level k by applying migrations
 * 1..k of src/store/migrations (as the helhed of that level did), with
 * rows written at the level where their table appeared (an organisation,
 * a staff user, an article and its version, events; a citizen whose CPR
 * number is in clear as it was before migration 7, a case type, a case
 * whose form holds that CPR number; an inquiry), then upgraded to the
 * newest by the store's own open (hh_health_open: migrate, then seal the
 * CPR numbers stored in clear) and checked: integrity_check and
 * foreign_key_check, the schema version, and the rows read back through
 * the store, the CPR numbers opened with the key file.
 *
 * Each level's database is a VACUUM INTO copy of one database built level
 * by level, in /dev/shm where there is one, so the whole runs in about a
 * second. SQLite only: the
 * PostgreSQL dialect is applied from empty by every test on PostgreSQL. */
#include <sqlite3.h>
#include <sys/stat.h>

#include "testutil.h"

#include "domain/health.h"
#include "domain/vault.h"

extern const char *const hh_sqlite_migrations[];

#define CPR "0101701234"

/* Rows written right after migration `level` ran, in that level's
 * columns. */
static const struct {
	int level;
	const char *sql;
} fixtures[] = {
	{ 1, "INSERT INTO organisations(id, code, name, kind, created_at) "
	     "VALUES (1, '901', 'Nordskov Kommune', 'municipality', 1700000000);"
	     "INSERT INTO users(id, organisation_id, email, name, password_hash, "
	     "roles, created_at) VALUES (1, 1, 'Sagsbehandler@Nordskov.demo', "
	     "'Sagsbehandler', 'x', 2, 1700000000);"
	     "INSERT INTO articles(id, organisation_id, slug, title, summary, "
	     "body_md, body_html, keywords, kle, audience, status, version, "
	     "created_at, updated_at, updated_by) VALUES (1, NULL, 'flytning', "
	     "'Når du flytter', 'Sådan melder du flytning', '# Flytning', "
	     "'<h1>Flytning</h1>', 'flytte', '', 'citizen', 'published', 1, "
	     "1700000000, 1700000000, 'import');"
	     "INSERT INTO article_versions VALUES (1, 1, 'Når du flytter', "
	     "'Sådan melder du flytning', '# Flytning', 'flytte', '', "
	     "'citizen', 'published', 1700000000, 'import');"
	     "INSERT INTO events(at, actor, organisation_id, entity, entity_id, "
	     "action, before, after) VALUES (1700000000, 'import', NULL, "
	     "'article', 1, 'create', NULL, '{}');"
	     "INSERT INTO meta VALUES ('content_loaded', '2023-11-14T22:13:20Z');" },
	{ 3, "INSERT INTO case_types(id, code, organisation, name, public, "
	     "definition, updated_at) VALUES (1, 'fejl-paa-vej', 'municipality', "
	     "'Fejl på vej', 1, '{\"states\":[]}', 1700000000);"
	     "INSERT INTO citizens(id, subject, name, cpr, municipality_id, "
	     "created_at) VALUES (1, 'demo:demo-mette', 'Mette Hansen', '" CPR
	     "', 1, 1700000000);"
	     "INSERT INTO cases(id, case_type_id, organisation_id, citizen_id, "
	     "state, data, version, created_at, updated_at, deadline_at) VALUES "
	     "(1, 1, 1, 1, 'received', '{\"cpr\":\"" CPR "\",\"sted\":"
	     "\"Skovvej 12\"}', 1, 1700000000, 1700000000, 1702000000);"
	     "INSERT INTO audit_log(at, actor, citizen_id, what, why) VALUES "
	     "(1700000000, 'user:1', 1, 'case:1', 'sagsbehandling');"
	     "INSERT INTO events(at, actor, organisation_id, entity, entity_id, "
	     "action, before, after) VALUES (1700000000, 'citizen:1', 1, 'case', "
	     "1, 'create', NULL, '{}');" },
	{ 9, "INSERT INTO inquiries(id, organisation_id, channel, article_id, "
	     "citizen_id, agent_id, started_at, ended_at, outcome, version, "
	     "created_at, updated_at) VALUES (1, 1, 'phone', 1, 1, 1, "
	     "1700000000, 1700000300, 'resolved', 1, 1700000000, 1700000300);" },
	/* p-letters: a sent letter and its message, which 0046's rebuild of
	 * letters (author_id nullable) must keep, the message's foreign key
	 * included */
	{ 15, "INSERT INTO letters(id, organisation_id, case_id, citizen_id, "
	      "kind, template, state, title, body, author_id, version, "
	      "created_at, updated_at, sent_at, pdf, message_id) VALUES (1, 1, 1, "
	      "1, 'granted', 'fejl-paa-vej/granted', 'sent', 'Afgørelse', "
	      "'Kære Mette', 1, 2, 1700000000, 1700000100, 1700000100, x'255044', "
	      "'6f0e1a52-0000-4000-8000-000000000001');"
	      "INSERT INTO messages(id, message_id, letter_id, organisation_id, "
	      "citizen_id, state, next_attempt_at, created_at, updated_at) VALUES "
	      "(1, '6f0e1a52-0000-4000-8000-000000000001', 1, 1, 1, 'queued', "
	      "1700000100, 1700000100, 1700000100);" },
};

static int levels(void)
{
	int n = 0;
	while (hh_sqlite_migrations[n])
		n++;
	return n;
}

static void exec(sqlite3 *db, const char *sql, int level)
{
	char *err = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("level %d: %s", level, err ? err : "?");
}

/* The first row of sql on the file at path, as text (new; "" when none). */
static char *one(const char *path, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL),
			 SQLITE_OK);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	const char *v = sqlite3_step(st) == SQLITE_ROW
				? (const char *)sqlite3_column_text(st, 0)
				: NULL;
	char *r = hh_xstrdup(v ? v : "");
	sqlite3_finalize(st);
	sqlite3_close(db);
	return r;
}

struct reads {
	struct hh_arena a;
	struct hh_org org;
	struct hh_article art;
	struct hh_case kase;
	struct hh_citizen cit;
	struct hh_inquiry inq;
	struct hh_letter letter; /* p-letters */
	int64_t messages;
	int level; /* the database's level before the upgrade */
};

static enum hh_rc read_tx(struct hh_tx *tx, void *p)
{
	struct reads *r = p;
	const struct hh_store *s = tx->store;
	enum hh_rc rc = s->org_get_by_code(tx, &r->a, "901", &r->org);
	if (rc == HH_OK)
		rc = s->article_get(tx, &r->a, 0, "flytning", &r->art);
	if (rc == HH_OK && r->level >= 3)
		rc = s->case_get(tx, &r->a, 1, &r->kase);
	if (rc == HH_OK && r->level >= 3)
		rc = s->citizen_get(tx, &r->a, 1, &r->cit);
	if (rc == HH_OK && r->level >= 9)
		rc = s->inquiry_get(tx, &r->a, 1, &r->inq);
	if (rc == HH_OK && r->level >= 15)
		rc = s->letter_get(tx, &r->a, 1, &r->letter);
	if (rc == HH_OK && r->level >= 15)
		rc = s->message_count_letter(tx, 1, &r->messages);
	return rc;
}

/* Upgrades the database at path (made at level) to the newest and checks
 * it. */
static void upgrade_and_check(const char *path, int level, int latest)
{
	struct hh_store *st;
	const char *stage;
	int applied = -1;
	enum hh_rc rc = hh_health_open(path, NULL, 1, &st, &applied, &stage);
	if (rc != HH_OK)
		fail_msg("level %d: cannot %s (%s)", level, stage, hh_rc_name(rc));
	assert_int_equal(applied, latest - level);
	int cur = 0, lat = 0;
	assert_int_equal(hh_health_schema(st, &cur, &lat), HH_OK);
	assert_int_equal(cur, latest);

	/* the rows, through the store and the vault's shim */
	struct reads r = { .level = level };
	hh_arena_init(&r.a);
	rc = hh_store_run_tx(st, 0, read_tx, &r);
	if (rc != HH_OK)
		fail_msg("level %d: reading back: %s", level, hh_rc_name(rc));
	assert_string_equal(r.org.name, "Nordskov Kommune");
	assert_string_equal(r.art.title, "Når du flytter");
	assert_string_equal(r.art.body_md, "# Flytning");
	if (level >= 3) {
		assert_string_equal(r.cit.name, "Mette Hansen");
		assert_string_equal(r.cit.cpr, CPR); /* opened with the key */
		assert_string_equal(r.kase.state, "received");
		assert_non_null(strstr(r.kase.data, CPR));
		assert_non_null(r.kase.public_id); /* given by migration 8 */
		struct hh_citizen by;
		assert_int_equal(hh_vault_citizen_by_cpr(st, &r.a, CPR, &by),
				 HH_OK);
		assert_int_equal(by.id, 1);
	}
	if (level >= 9)
		assert_string_equal(r.inq.outcome, "resolved");
	if (level >= 15) {
		assert_string_equal(r.letter.title, "Afgørelse");
		assert_string_equal(r.letter.state, "sent");
		assert_int_equal(r.letter.author_id, 1);
		assert_int_equal(r.letter.pdf_len, 3);
		assert_int_equal(r.messages, 1);
	}
	hh_arena_clear(&r.a);
	hh_health_close(st);

	/* the file: sound, its keys kept, and no CPR number left in clear */
	char *ok = one(path, "PRAGMA integrity_check");
	assert_string_equal(ok, "ok");
	free(ok);
	char *fk = one(path, "PRAGMA foreign_key_check");
	if (*fk)
		fail_msg("level %d: a row breaks a foreign key (%s)", level, fk);
	free(fk);
	if (level >= 3) {
		char *clear = one(path, "SELECT count(*) FROM citizens WHERE cpr "
					"LIKE '%" CPR "%' OR id IN (SELECT "
					"citizen_id FROM cases WHERE data LIKE "
					"'%" CPR "%')");
		assert_string_equal(clear, "0");
		free(clear);
	}
}

/* A folder in memory where there is one (/dev/shm): the upgrades commit
 * some 600 migrations with synchronous=FULL, and what they check is the
 * schema, not the disk; else one of tu_tmpdir's. Removed by tu_rmdir. */
static char *fast_dir(void)
{
	char tmpl[] = "/dev/shm/helhed-test-XXXXXX";
	char *d = mkdtemp(tmpl);
	return d ? hh_xstrdup(d) : tu_tmpdir();
}

static void every_level_upgrades_to_the_newest(void **state)
{
	(void)state;
	char *dir = fast_dir();
	int latest = levels();
	assert_true(latest >= 30);
	char build[4200];
	snprintf(build, sizeof(build), "%s/build.db", dir);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(build, &db), SQLITE_OK);
	exec(db, "PRAGMA synchronous=OFF; PRAGMA foreign_keys=ON", 0);
	for (int k = 1; k <= latest; k++) {
		char sql[96];
		exec(db, "BEGIN", k);
		exec(db, hh_sqlite_migrations[k - 1], k);
		snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", k);
		exec(db, sql, k);
		for (size_t f = 0; f < sizeof(fixtures) / sizeof(fixtures[0]); f++)
			if (fixtures[f].level == k)
				exec(db, fixtures[f].sql, k);
		exec(db, "COMMIT", k);
		snprintf(sql, sizeof(sql), "VACUUM INTO '%s/level-%02d.db'", dir, k);
		exec(db, sql, k);
	}
	sqlite3_close(db);
	/* the newest level too: nothing to apply, the rows still read */
	for (int k = 1; k <= latest; k++) {
		char path[4200];
		snprintf(path, sizeof(path), "%s/level-%02d.db", dir, k);
		char *v = one(path, "PRAGMA user_version");
		assert_int_equal(atoi(v), k);
		free(v);
		upgrade_and_check(path, k, latest);
	}
	printf("# %d schema versions upgraded to %d and checked\n", latest,
	       latest);
	tu_rmdir(dir);
}

/* A database at a newer level than this build is refused, unchanged. */
static void a_newer_database_is_refused(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	char path[4200];
	snprintf(path, sizeof(path), "%s/newer.db", dir);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	exec(db, hh_sqlite_migrations[0], 1);
	char sql[64];
	snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", levels() + 1);
	exec(db, sql, 0);
	sqlite3_close(db);
	struct hh_store *st;
	const char *stage;
	assert_int_equal(hh_health_open(path, NULL, 1, &st, NULL, &stage),
			 HH_ERR_INVALID);
	assert_string_equal(stage, "migrate");
	assert_null(st);
	char *v = one(path, "PRAGMA user_version");
	assert_int_equal(atoi(v), levels() + 1);
	free(v);
	tu_rmdir(dir);
}

int main(void)
{
	hh_log_set_level(HH_LOG_ERROR);
	assert_int_equal(hh_auth_init(), HH_OK);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_level_upgrades_to_the_newest),
		cmocka_unit_test(a_newer_database_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
