/* test_inbox.c - the citizen's inbox in the domain (domain/inbox.h): who
 * sees which letter, read status set once, where a reply goes, and an
 * answer with files that is written whole or not at all. */
#include <sodium.h>

#include "inbox_fixture.h"

struct ctx {
	char *dir;
	struct hh_store *st;
	struct hh_arena a;
	struct fx_inbox f;
};

static int setup(void **state)
{
	struct ctx *c = hh_xcalloc(1, sizeof(*c));
	hh_json_alloc_init();
	c->dir = tu_tmpdir();
	c->st = tu_store(c->dir, 2);
	hh_arena_init(&c->a);
	fx_inbox_setup(c->st, c->dir, &c->f);
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;
	hh_store_close(c->st);
	hh_arena_clear(&c->a);
	tu_rmdir(c->dir);
	free(c);
	return 0;
}

static int64_t count(struct ctx *c, const char *sql)
{
	return fx_int(c->dir, sql);
}

static void list_shows_sent_letters_newest_first(void **state)
{
	struct ctx *c = *state;
	struct hh_inbox_page pg;
	assert_int_equal(hh_inbox_list(c->st, &c->a, FX_CITIZEN(c->f.anna), 0, 0, &pg),
			 HH_OK);
	assert_int_equal(pg.total, 4); /* not the draft, not the pending one */
	assert_int_equal(pg.unread, 3);
	assert_int_equal(pg.n, 4);
	assert_int_equal(pg.items[0].id, c->f.hearing);
	assert_int_equal(pg.items[1].id, c->f.notice);
	assert_int_equal(pg.items[2].id, c->f.request);
	assert_int_equal(pg.items[3].id, c->f.decision);
	for (int i = 0; i < pg.n; i++) {
		assert_null(pg.items[i].pdf); /* lists carry no PDF */
		assert_true(pg.items[i].pdf_len > 0);
		assert_string_equal(pg.items[i].org_name, "Nordskov Kommune");
		assert_string_equal(pg.items[i].state, "sent");
	}
	assert_true(pg.items[3].read_at > 0);
	assert_int_equal(pg.items[2].read_at, 0);
	assert_string_equal(pg.items[2].case_type_name,
			    "Gennemgang af børnetilskud og familieydelser");

	/* paged */
	assert_int_equal(hh_inbox_list(c->st, &c->a, FX_CITIZEN(c->f.anna), 1, 2, &pg),
			 HH_OK);
	assert_int_equal(pg.n, 2);
	assert_int_equal(pg.total, 4);
	assert_int_equal(pg.items[0].id, c->f.notice);
	assert_int_equal(pg.items[1].id, c->f.request);

	/* bo sees only his own */
	assert_int_equal(hh_inbox_list(c->st, &c->a, FX_CITIZEN(c->f.bo), 0, 0, &pg),
			 HH_OK);
	assert_int_equal(pg.total, 2);
	for (int i = 0; i < pg.n; i++)
		assert_int_equal(pg.items[i].citizen_id, c->f.bo);

	int64_t unread = -1;
	assert_int_equal(hh_inbox_unread(c->st, FX_CITIZEN(c->f.anna), &unread), HH_OK);
	assert_int_equal(unread, 3);
}

static void only_the_citizen_reaches_a_letter(void **state)
{
	struct ctx *c = *state;
	struct hh_inbox_letter il;
	/* another citizen's letter, a draft, one awaiting approval and an
	 * id that does not exist are all the same NOT_FOUND */
	assert_int_equal(hh_inbox_open(c->st, &c->a, FX_CITIZEN(c->f.bo), c->f.request,
				       &il),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_inbox_open(c->st, &c->a, FX_CITIZEN(c->f.anna),
				       c->f.bo_request, &il),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_inbox_open(c->st, &c->a, FX_CITIZEN(c->f.anna), c->f.draft,
				       &il),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_inbox_open(c->st, &c->a, FX_CITIZEN(c->f.anna),
				       c->f.pending, &il),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_inbox_open(c->st, &c->a, FX_CITIZEN(c->f.anna), 99999, &il),
			 HH_ERR_NOT_FOUND);
	/* bo's look did not mark anna's letter read */
	assert_int_equal(count(c, "SELECT count(*) FROM letters WHERE read_at IS NOT "
				  "NULL AND kind = 'request'"),
			 0);
	/* staff, even of the sending organisation, and anonymous callers
	 * have no inbox here */
	struct hh_actor cw = { .label = "user:1", .org_id = c->f.org901,
			       .roles = HH_ROLE_CASEWORKER, .user_id = c->f.cw901 };
	struct hh_actor anon = { 0 };
	struct hh_inbox_page pg;
	assert_int_equal(hh_inbox_open(c->st, &c->a, &cw, c->f.request, &il),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(hh_inbox_list(c->st, &c->a, &cw, 0, 0, &pg), HH_ERR_FORBIDDEN);
	assert_int_equal(hh_inbox_open(c->st, &c->a, &anon, c->f.request, &il),
			 HH_ERR_FORBIDDEN);
	struct hh_inbox_reply_result res;
	assert_int_equal(hh_inbox_reply(c->st, &c->a, FX_CITIZEN(c->f.bo), c->f.hearing,
					"Hej", NULL, &res, NULL, NULL),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_inbox_reply(c->st, &c->a, &cw, c->f.hearing, "Hej", NULL,
					&res, NULL, NULL),
			 HH_ERR_FORBIDDEN);
}

static void opening_marks_read_once(void **state)
{
	struct ctx *c = *state;
	struct hh_inbox_letter il;
	assert_int_equal(hh_inbox_open(c->st, &c->a, FX_CITIZEN(c->f.anna), c->f.request,
				       &il),
			 HH_OK);
	assert_int_equal(il.first_read, 1);
	assert_true(il.l.read_at >= c->f.now);
	assert_non_null(il.l.pdf);
	assert_memory_equal(il.l.pdf, "%PDF-", 5);
	assert_string_equal(il.doc.title, il.l.title);
	assert_string_equal(il.doc.sender, "Nordskov Kommune");
	assert_int_equal(il.reply, HH_INBOX_REPLY_ANSWER);
	assert_non_null(il.question);
	char sql[200];
	snprintf(sql, sizeof(sql), "SELECT read_at FROM letters WHERE id = %lld",
		 (long long)c->f.request);
	int64_t first = count(c, sql);
	assert_int_equal(first, il.l.read_at);

	/* the second opening changes nothing, even a second later */
	sleep(1);
	assert_int_equal(hh_inbox_open(c->st, &c->a, FX_CITIZEN(c->f.anna), c->f.request,
				       &il),
			 HH_OK);
	assert_int_equal(il.first_read, 0);
	assert_int_equal(il.l.read_at, first);
	assert_int_equal(count(c, sql), first);
	int64_t unread;
	assert_int_equal(hh_inbox_unread(c->st, FX_CITIZEN(c->f.anna), &unread), HH_OK);
	assert_int_equal(unread, 2);

	/* the decision was read before: left as it was */
	snprintf(sql, sizeof(sql), "SELECT read_at FROM letters WHERE id = %lld",
		 (long long)c->f.decision);
	int64_t before = count(c, sql);
	assert_int_equal(hh_inbox_open(c->st, &c->a, FX_CITIZEN(c->f.anna),
				       c->f.decision, &il),
			 HH_OK);
	assert_int_equal(il.first_read, 0);
	assert_int_equal(count(c, sql), before);
	assert_int_equal(il.reply, HH_INBOX_REPLY_INQUIRY); /* its case is closed */
	assert_int_equal(hh_inbox_open(c->st, &c->a, FX_CITIZEN(c->f.anna), c->f.hearing,
				       &il),
			 HH_OK);
	assert_int_equal(il.reply, HH_INBOX_REPLY_CASE_EVENT);
	assert_int_equal(hh_inbox_open(c->st, &c->a, FX_CITIZEN(c->f.anna), c->f.notice,
				       &il),
			 HH_OK);
	assert_int_equal(il.reply, HH_INBOX_REPLY_NONE);
}

static int64_t events(struct ctx *c)
{
	return count(c, "SELECT count(*) FROM events");
}

static void replies_go_where_the_letter_says(void **state)
{
	struct ctx *c = *state;
	struct hh_inbox_reply_result res;
	enum hh_inbox_fault fault;
	const char *msg;
	int64_t ev = events(c), inq = count(c, "SELECT count(*) FROM inquiries");

	/* a letter that takes no reply */
	assert_int_equal(hh_inbox_reply(c->st, &c->a, FX_CITIZEN(c->f.anna), c->f.notice,
					"Tak for brevet", NULL, &res, &fault, &msg),
			 HH_ERR_INVALID);
	assert_int_equal(fault, HH_INBOX_NOT_ALLOWED);
	assert_non_null(msg);
	assert_int_equal(events(c), ev);

	/* no text, too long */
	assert_int_equal(hh_inbox_reply(c->st, &c->a, FX_CITIZEN(c->f.anna), c->f.hearing,
					"", NULL, &res, &fault, &msg),
			 HH_ERR_INVALID);
	assert_int_equal(fault, HH_INBOX_TEXT);
	assert_string_equal(msg, "Skriv dit svar.");
	char *long_text = hh_xmalloc(HH_INBOX_REPLY_MAX + 2);
	memset(long_text, 'a', HH_INBOX_REPLY_MAX + 1);
	long_text[HH_INBOX_REPLY_MAX + 1] = 0;
	assert_int_equal(hh_inbox_reply(c->st, &c->a, FX_CITIZEN(c->f.anna), c->f.hearing,
					long_text, NULL, &res, &fault, &msg),
			 HH_ERR_INVALID);
	free(long_text);
	assert_int_equal(fault, HH_INBOX_TEXT);
	assert_int_equal(events(c), ev);

	/* files where the reply takes none */
	json_t *files = json_pack("[o]", fx_pdf_file("bilag.pdf"));
	assert_int_equal(hh_inbox_reply(c->st, &c->a, FX_CITIZEN(c->f.anna), c->f.hearing,
					"Her er et bilag", files, &res, &fault, &msg),
			 HH_ERR_INVALID);
	assert_int_equal(fault, HH_INBOX_FILES);
	json_decref(files);
	assert_int_equal(events(c), ev);

	/* the open case: an event the caseworker reads */
	assert_int_equal(hh_inbox_reply(c->st, &c->a, FX_CITIZEN(c->f.anna), c->f.hearing,
					"Jeg er enig i oplysningerne.", NULL, &res, &fault,
					&msg),
			 HH_OK);
	assert_int_equal(res.kind, HH_INBOX_REPLY_CASE_EVENT);
	assert_int_equal(res.case_id, c->f.open_case);
	assert_int_equal(events(c), ev + 1);
	char sql[300];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM events WHERE entity = 'case' "
				   "AND entity_id = %lld AND action = 'letter_reply' AND "
				   "actor = 'citizen:%lld' AND after LIKE '%%enig i "
				   "oplysningerne%%' AND after LIKE '%%\"letter_id\":%lld%%'",
		 (long long)c->f.open_case, (long long)c->f.anna, (long long)c->f.hearing);
	assert_int_equal(count(c, sql), 1);
	struct hh_case k;
	struct hh_tx *tx = tu_read_begin(c->st);
	assert_int_equal(c->st->case_get(tx, &c->a, c->f.open_case, &k), HH_OK);
	tu_read_end(tx);
	assert_string_equal(k.state, "in_progress"); /* the case did not move */

	/* the closed case: an inquiry to the organisation, naming the letter */
	assert_int_equal(hh_inbox_reply(c->st, &c->a, FX_CITIZEN(c->f.anna),
					c->f.decision, "Jeg vil gerne klage.", NULL, &res,
					&fault, &msg),
			 HH_OK);
	assert_int_equal(res.kind, HH_INBOX_REPLY_INQUIRY);
	assert_true(res.inquiry_id > 0);
	assert_int_equal(count(c, "SELECT count(*) FROM inquiries"), inq + 1);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM inquiries WHERE id = %lld AND "
				   "citizen_id = %lld AND organisation_id = %lld AND "
				   "channel = 'web' AND outcome = 'open' AND note LIKE "
				   "'%%Dine familieydelser fortsætter uændret%%Jeg vil "
				   "gerne klage.%%'",
		 (long long)res.inquiry_id, (long long)c->f.anna, (long long)c->f.org901);
	assert_int_equal(count(c, sql), 1);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM events WHERE entity = "
				   "'inquiry' AND entity_id = %lld AND action = 'create'",
		 (long long)res.inquiry_id);
	assert_int_equal(count(c, sql), 1);

	/* the same replies again (a double click): nothing new written,
	 * the same results */
	int64_t ev_now = events(c);
	int64_t first_inquiry = res.inquiry_id;
	assert_int_equal(hh_inbox_reply(c->st, &c->a, FX_CITIZEN(c->f.anna),
					c->f.decision, "Jeg vil gerne klage.", NULL, &res,
					&fault, &msg),
			 HH_OK);
	assert_int_equal(res.inquiry_id, first_inquiry);
	assert_int_equal(hh_inbox_reply(c->st, &c->a, FX_CITIZEN(c->f.anna), c->f.hearing,
					"Jeg er enig i oplysningerne.", NULL, &res, &fault,
					&msg),
			 HH_OK);
	assert_int_equal(res.case_id, c->f.open_case);
	assert_int_equal(events(c), ev_now);
	assert_int_equal(count(c, "SELECT count(*) FROM inquiries"), inq + 1);
	/* another text is another reply */
	assert_int_equal(hh_inbox_reply(c->st, &c->a, FX_CITIZEN(c->f.anna), c->f.hearing,
					"Og en ting mere.", NULL, &res, &fault, &msg),
			 HH_OK);
	assert_int_equal(events(c), ev_now + 1);
}

static int64_t files_of(struct ctx *c, int64_t case_id)
{
	char sql[200];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM case_files WHERE case_id = %lld",
		 (long long)case_id);
	return count(c, sql);
}

static const char *case_state(struct ctx *c, int64_t id)
{
	struct hh_case k;
	struct hh_tx *tx = tu_read_begin(c->st);
	assert_int_equal(c->st->case_get(tx, &c->a, id, &k), HH_OK);
	tu_read_end(tx);
	return k.state;
}

static void bad_files_write_nothing(void **state)
{
	struct ctx *c = *state;
	struct hh_inbox_reply_result res;
	enum hh_inbox_fault fault;
	const char *msg;
	int64_t ev = events(c);

	/* wrong type: text that says it is a PDF, and a plain text file */
	static const char text[] = "just text";
	char b64[64];
	sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)text,
			  sizeof(text) - 1, sodium_base64_VARIANT_ORIGINAL);
	json_t *files = json_pack("[o, {s:s, s:s, s:s}]", fx_pdf_file("ok.pdf"), "name",
				  "noter.pdf", "content_type", "application/pdf",
				  "data", b64);
	assert_int_equal(hh_inbox_reply(c->st, &c->a, FX_CITIZEN(c->f.anna), c->f.request,
					"Her er mine papirer", files, &res, &fault, &msg),
			 HH_ERR_INVALID);
	json_decref(files);
	assert_int_equal(fault, HH_INBOX_FILES);
	tu_expect_in(msg, "noter.pdf");
	tu_expect_in(msg, "Filtypen er ikke tilladt");

	/* too big: one byte over 5 MB */
	size_t big = (5u << 20) + 1;
	unsigned char *data = hh_xmalloc(big);
	memset(data, 'x', big);
	memcpy(data, "%PDF-1.4\n", 9);
	size_t blen = sodium_base64_ENCODED_LEN(big, sodium_base64_VARIANT_ORIGINAL);
	char *bb = hh_xmalloc(blen);
	sodium_bin2base64(bb, blen, data, big, sodium_base64_VARIANT_ORIGINAL);
	files = json_pack("[{s:s, s:s, s:s}]", "name", "stor.pdf", "content_type",
			  "application/pdf", "data", bb);
	free(bb);
	free(data);
	assert_int_equal(hh_inbox_reply(c->st, &c->a, FX_CITIZEN(c->f.anna), c->f.request,
					"Her er mine papirer", files, &res, &fault, &msg),
			 HH_ERR_INVALID);
	json_decref(files);
	assert_int_equal(fault, HH_INBOX_FILES);
	tu_expect_in(msg, "Filen er for stor");

	/* too many */
	files = json_array();
	for (int i = 0; i <= HH_ANSWER_MAX_FILES; i++)
		json_array_append_new(files, fx_pdf_file("bilag.pdf"));
	assert_int_equal(hh_inbox_reply(c->st, &c->a, FX_CITIZEN(c->f.anna), c->f.request,
					"Her er mine papirer", files, &res, &fault, &msg),
			 HH_ERR_INVALID);
	json_decref(files);
	assert_int_equal(fault, HH_INBOX_FILES);

	/* nothing of any of them: no event, no file, the case still waits */
	assert_int_equal(events(c), ev);
	assert_int_equal(files_of(c, c->f.waiting_case), 0);
	assert_string_equal(case_state(c, c->f.waiting_case), "awaiting_citizen");
}

static void answer_with_files_resumes_the_case(void **state)
{
	struct ctx *c = *state;
	struct hh_inbox_reply_result res;
	enum hh_inbox_fault fault;
	const char *msg;
	json_t *files = json_pack("[o, o]", fx_pdf_file("lejekontrakt.pdf"),
				  fx_pdf_file("husstand.pdf"));
	assert_int_equal(hh_inbox_reply(c->st, &c->a, FX_CITIZEN(c->f.anna), c->f.request,
					"Her er min lejekontrakt.", files, &res, &fault,
					&msg),
			 HH_OK);
	json_decref(files);
	assert_int_equal(res.kind, HH_INBOX_REPLY_ANSWER);
	assert_int_equal(res.case_id, c->f.waiting_case);
	assert_string_equal(case_state(c, c->f.waiting_case), "in_progress");
	assert_int_equal(files_of(c, c->f.waiting_case), 2);
	char sql[300];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM case_files WHERE case_id = %lld "
				   "AND field = 'svar' AND name = 'lejekontrakt.pdf' AND "
				   "content_type = 'application/pdf' AND substr(data, 1, 5) "
				   "= ?1", /* the bytes: either backend's blob */
		 (long long)c->f.waiting_case);
	struct tu_sql_arg pdf = TU_BLOB("%PDF-", 5);
	assert_int_equal(tu_sql_int(c->dir, sql, 1, &pdf), 1);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM events WHERE entity = 'case' AND "
				   "entity_id = %lld AND action = 'answer' AND after LIKE "
				   "'%%min lejekontrakt%%' AND after LIKE '%%husstand.pdf%%'",
		 (long long)c->f.waiting_case);
	assert_int_equal(count(c, sql), 1);

	/* the case waits no more: the same letter's reply now goes on the
	 * case, and takes no files */
	struct hh_inbox_letter il;
	assert_int_equal(hh_inbox_open(c->st, &c->a, FX_CITIZEN(c->f.anna), c->f.request,
				       &il),
			 HH_OK);
	assert_int_equal(il.reply, HH_INBOX_REPLY_CASE_EVENT);
}

static void answer_files_on_the_case_page_too(void **state)
{
	/* hh_case_answer_files, as the case page calls it: bad file, nothing
	 * written; good file, all of it */
	struct ctx *c = *state;
	struct hh_case k;
	const char *fe = NULL;
	json_t *bad = json_pack("[{s:s, s:s, s:s}]", "name", "virus.exe", "content_type",
				"application/x-msdownload", "data", "TVqQAAMAAAAEAAAA");
	assert_int_equal(hh_case_answer_files(c->st, &c->a, FX_CITIZEN(c->f.anna),
					      c->f.waiting_case, "Svar", bad, &k, &fe),
			 HH_ERR_INVALID);
	json_decref(bad);
	assert_non_null(fe);
	assert_string_equal(case_state(c, c->f.waiting_case), "awaiting_citizen");
	assert_int_equal(files_of(c, c->f.waiting_case), 0);
	/* another citizen's case: NOT_FOUND, and no file either */
	json_t *good = json_pack("[o]", fx_pdf_file("a.pdf"));
	assert_int_equal(hh_case_answer_files(c->st, &c->a, FX_CITIZEN(c->f.bo),
					      c->f.waiting_case, "Svar", good, &k, &fe),
			 HH_ERR_NOT_FOUND);
	assert_null(fe);
	assert_int_equal(files_of(c, c->f.waiting_case), 0);
	assert_int_equal(hh_case_answer_files(c->st, &c->a, FX_CITIZEN(c->f.anna),
					      c->f.waiting_case, "Svar", good, &k, &fe),
			 HH_OK);
	json_decref(good);
	assert_string_equal(k.state, "in_progress");
	assert_int_equal(files_of(c, c->f.waiting_case), 1);
}

static void faults_leave_no_half_answer(void **state)
{
	/* every store call of the answer failing in turn: either all of it
	 * (state, event, files) or none */
	struct ctx *c = *state;
	for (int n = 1; n < 40; n++) {
		json_t *files = json_pack("[o, o]", fx_pdf_file("a.pdf"), fx_pdf_file("b.pdf"));
		struct hh_inbox_reply_result res;
		hh_store_fault_inject(c->st, n, HH_ERR_IO);
		enum hh_rc rc = hh_inbox_reply(c->st, &c->a, FX_CITIZEN(c->f.anna),
					       c->f.request, "Svar", files, &res, NULL, NULL);
		hh_store_fault_inject(c->st, 0, HH_OK);
		json_decref(files);
		const char *st = case_state(c, c->f.waiting_case);
		int64_t nf = files_of(c, c->f.waiting_case);
		if (rc == HH_OK) {
			assert_string_equal(st, "in_progress");
			assert_int_equal(nf, 2);
			return; /* every earlier call has been failed once */
		}
		assert_string_equal(st, "awaiting_citizen");
		assert_int_equal(nf, 0);
	}
	fail_msg("the answer never got through");
}

static void pdf_names_are_safe(void **state)
{
	struct ctx *c = *state;
	struct hh_letter l = { .id = 12, .title = "Afgørelse om ÆRØ-tilskud: \"ja\"/nej\r\n" };
	assert_string_equal(hh_inbox_pdf_name(&c->a, &l),
			    "brev-12-afgoerelse-om-aeroe-tilskud-ja-nej.pdf");
	l.title = "¿¡«»";
	assert_string_equal(hh_inbox_pdf_name(&c->a, &l), "brev-12-brev.pdf");
	l.title = "Åben";
	assert_string_equal(hh_inbox_pdf_name(&c->a, &l), "brev-12-aaben.pdf");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(list_shows_sent_letters_newest_first,
						setup, teardown),
		cmocka_unit_test_setup_teardown(only_the_citizen_reaches_a_letter, setup,
						teardown),
		cmocka_unit_test_setup_teardown(opening_marks_read_once, setup, teardown),
		cmocka_unit_test_setup_teardown(replies_go_where_the_letter_says, setup,
						teardown),
		cmocka_unit_test_setup_teardown(bad_files_write_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(answer_with_files_resumes_the_case, setup,
						teardown),
		cmocka_unit_test_setup_teardown(answer_files_on_the_case_page_too, setup,
						teardown),
		cmocka_unit_test_setup_teardown(faults_leave_no_half_answer, setup,
						teardown),
		cmocka_unit_test_setup_teardown(pdf_names_are_safe, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
