/* test_letter_path.c - the whole way of a decision to the citizen, in a
 * real `helhed serve --demo`: the demo's caseworkers decide cases and
 * send their letters through the letters module (templates, PDF, one
 * message per letter in the same transaction); the server's postman
 * routes each message and writes the Digital Post ones to the spool as
 * MeMo 1.1 that validates against the schema, with the case's journal
 * number; the letters of a citizen exempt from Digital Post wait for the
 * print batch; nothing stays queued and nothing is written twice. */
#include <dirent.h>
#include <sys/stat.h>

#include "testutil.h"

#include "api/real_server.h"

#define SCHEMA "tests/memo/schema-1.1/MeMo_core.xsd"

/* The integer sql reads from the store of test folder dir (SQLite or
 * PostgreSQL), -1 when there is no row. */
static int64_t q_int(const char *dir, const char *sql)
{
	return tu_sql_int(dir, sql, 0, NULL);
}

/* The files in dir ending ".xml". */
static int xml_files(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		n += l > 4 && !strcmp(e->d_name + l - 4, ".xml");
	}
	closedir(d);
	return n;
}

struct msg {
	char uuid[64], journal[64];
};

/* The Digital Post messages recorded as sent, with their case's journal
 * number; *n gets how many (at most max). */
static void sent_messages(const char *dir, struct msg *out, int max, int *n)
{
	/* "uuid|journal|;" per message (neither holds a '|' or a ';') */
	char *rows = tu_sql_rows(dir,
				 "SELECT m.message_id, coalesce(c.journal_no, '') "
				 "FROM messages m JOIN letters l ON l.id = m.letter_id "
				 "LEFT JOIN cases c ON c.id = l.case_id "
				 "WHERE m.channel = 'digital_post' AND m.state = 'sent' "
				 "ORDER BY m.id");
	*n = 0;
	for (const char *p = rows; p && *p && *n < max; (*n)++) {
		size_t u = strcspn(p, "|");
		const char *j = p + u + 1;
		size_t k = strcspn(j, "|");
		snprintf(out[*n].uuid, sizeof(out[*n].uuid), "%.*s", (int)u, p);
		snprintf(out[*n].journal, sizeof(out[*n].journal), "%.*s", (int)k,
			 j);
		assert_true(j[k] == '|' && j[k + 1] == ';');
		p = j + k + 2;
	}
	free(rows);
}

static void demo_decisions_reach_digital_post_and_print(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	char out[4300], cmd[9000];
	/* the spool where SQLite's default puts it, on both backends
	 * (rs_start) */
	snprintf(out, sizeof(out), "%s/helhed.db.spool/out", dir);
	struct rs_server s;
	rs_start_store(&s, dir); /* SQLite, or PostgreSQL on its pass */

	/* the demo's letters are sent on the first start; the postman takes
	 * them within seconds */
	int64_t letters = 0, queued = -1;
	for (int i = 0; i < 300; i++) {
		letters = q_int(dir, "SELECT count(*) FROM letters WHERE state = 'sent'");
		queued = q_int(dir, "SELECT count(*) FROM messages WHERE state = 'queued' "
				   "AND (channel IS NULL OR channel <> 'print')");
		if (letters > 0 && queued == 0)
			break;
		usleep(100 * 1000);
	}
	assert_true(letters >= 4);
	assert_int_equal(queued, 0);

	/* one message per sent letter, none for a draft */
	assert_int_equal(q_int(dir, "SELECT count(*) FROM messages"), letters);
	assert_int_equal(q_int(dir, "SELECT count(*) FROM letters l WHERE state = 'sent' "
				   "AND (pdf IS NULL OR message_id IS NULL OR NOT EXISTS "
				   "(SELECT 1 FROM messages m WHERE m.letter_id = l.id "
				   "AND m.message_id = l.message_id))"),
			 0);
	/* a citizen exempt from Digital Post: never by Digital Post */
	assert_int_equal(q_int(dir, "SELECT count(*) FROM messages m JOIN citizens c ON "
				   "c.id = m.citizen_id WHERE c.dp_exempt_since IS NOT NULL "
				   "AND (m.channel IS NULL OR m.channel <> 'print')"),
			 0);
	assert_true(q_int(dir, "SELECT count(*) FROM messages WHERE channel = "
			      "'digital_post' AND state = 'sent'") > 0);
	/* nothing silently nowhere: every message routed */
	assert_int_equal(q_int(dir, "SELECT count(*) FROM messages WHERE channel IS NULL"),
			 0);

	/* each Digital Post message is in the spool once, as valid MeMo
	 * naming the case's journal number */
	struct msg m[256];
	int n = 0;
	sent_messages(dir, m, 256, &n);
	assert_true(n > 0);
	assert_int_equal(xml_files(out), n);
	for (int i = 0; i < n; i++) {
		char path[4400];
		snprintf(path, sizeof(path), "%s/%s.xml", out, m[i].uuid);
		char *x = tu_read(path);
		assert_non_null(x);
		tu_expect_in(x, m[i].uuid);
		assert_true(m[i].journal[0]);
		tu_expect_in(x, m[i].journal);
		free(x);
		snprintf(cmd, sizeof(cmd),
			 "xmllint --noout --schema " SCHEMA " '%s' 2>/dev/null", path);
		if (system(cmd) != 0)
			fail_msg("%s does not validate against MeMo 1.1", path);
	}

	/* a restart sends nothing twice */
	rs_stop(&s);
	rs_start_store(&s, dir);
	sleep(2);
	assert_int_equal(xml_files(out), n);
	assert_int_equal(q_int(dir, "SELECT count(*) FROM messages"), letters);
	rs_stop(&s);
	tu_rmdir(dir);
}

int main(int argc, char **argv)
{
	if (!rs_find_bin(argv[0], "test_letter_path"))
		return 1;
	(void)argc;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(demo_decisions_reach_digital_post_and_print),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
