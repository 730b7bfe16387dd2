/* test_letters.c - letters on cases (domain/letters.h): templates checked
 * at import with file and line, the merge, a decision that needs a letter,
 * sending with the decision in one transaction, four eyes, a concurrent
 * second send, other organisations, and the PDF read back with pdftotext. */
#include "letters_fixture.h"

#include <pthread.h>
#include <sys/wait.h>

#include "domain/cases.h"
#include "domain/demo.h"
#include "domain/letters.h"

struct fx {
	char *dir, *content;
	struct hh_store *st;
	struct hh_arena a;
	int64_t anna, bo, m901, m902;
	struct hh_actor cw1, cw2, cw902, mgr;
};

static int64_t user_id(struct fx *f, const char *email)
{
	struct hh_tx *tx = tu_read_begin(f->st);
	struct hh_user u;
	assert_int_equal(f->st->user_get_by_email(tx, &f->a, email, &u), HH_OK);
	tu_read_end(tx);
	return u.id;
}

static struct hh_actor staff(struct fx *f, const char *email, int64_t org,
			     unsigned roles)
{
	int64_t id = user_id(f, email);
	struct hh_actor w = { .label = hh_arena_printf(&f->a, "user:%lld", (long long)id),
			      .org_id = org, .org_is_municipality = 1, .roles = roles,
			      .user_id = id };
	return w;
}

static int setup(void **state)
{
	struct fx *f = hh_xcalloc(1, sizeof(*f));
	f->dir = tu_tmpdir();
	f->st = tu_store(f->dir, 4);
	hh_arena_init(&f->a);
	f->content = hh_arena_printf(&f->a, "%s/content", f->dir);
	lf_write_content(f->content);
	struct hh_import_stats stats;
	assert_int_equal(hh_content_import(f->st, f->content, 1, stderr, NULL, NULL,
					   &stats),
			 HH_OK);
	assert_int_equal(stats.case_types, 2);
	struct hh_tx *tx = tu_read_begin(f->st);
	struct hh_org o;
	struct hh_citizen c;
	assert_int_equal(f->st->org_get_by_code(tx, &f->a, "901", &o), HH_OK);
	f->m901 = o.id;
	assert_int_equal(f->st->org_get_by_code(tx, &f->a, "902", &o), HH_OK);
	f->m902 = o.id;
	assert_int_equal(f->st->citizen_get_by_subject(tx, &f->a, "demo:anna", &c), HH_OK);
	f->anna = c.id;
	assert_int_equal(f->st->citizen_get_by_subject(tx, &f->a, "demo:bo", &c), HH_OK);
	f->bo = c.id;
	tu_read_end(tx);
	f->cw1 = staff(f, "cw1@901", f->m901, HH_ROLE_CASEWORKER);
	f->cw2 = staff(f, "cw2@901", f->m901, HH_ROLE_CASEWORKER);
	f->cw902 = staff(f, "cw@902", f->m902, HH_ROLE_CASEWORKER);
	f->mgr = staff(f, "mgr@901", f->m901, HH_ROLE_MANAGER);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	hh_store_close(f->st);
	hh_arena_clear(&f->a);
	tu_rmdir(f->dir);
	free(f);
	return 0;
}

/* A case of type ct from citizen (12.500 kr. for a dentist). */
static struct hh_case submit(struct fx *f, const char *ct, int64_t citizen)
{
	json_error_t e;
	json_t *v = json_loads("{\"beloeb\":\"12.500\",\"formaal\":\"tandbehandling\"}",
			       0, &e);
	struct hh_submission sub = {
		.case_type = ct, .citizen_id = citizen,
		.municipality_id = citizen == f->anna ? f->m901 : f->m902,
		.values = v, .actor = "citizen:1", .loa = HH_LOA_SUBSTANTIAL };
	struct hh_form_result res;
	struct hh_case k;
	int replayed;
	const char *why;
	assert_int_equal(hh_case_submit(f->st, &f->a, &sub, &res, &k, &replayed, &why,
					NULL),
			 HH_OK);
	json_decref(res.values);
	json_decref(v);
	return k;
}

static struct hh_case get_case(struct fx *f, int64_t id)
{
	struct hh_tx *tx = tu_read_begin(f->st);
	struct hh_case k;
	assert_int_equal(f->st->case_get(tx, &f->a, id, &k), HH_OK);
	tu_read_end(tx);
	return k;
}

static int64_t n_messages(struct fx *f, int64_t letter_id)
{
	struct hh_tx *tx = tu_read_begin(f->st);
	int64_t n;
	assert_int_equal(f->st->message_count_letter(tx, letter_id, &n), HH_OK);
	tu_read_end(tx);
	return n;
}

static struct hh_letter draft(struct fx *f, const struct hh_actor *who,
			      int64_t case_id, const char *decision)
{
	struct hh_letter_input in = { .case_id = case_id, .decision = decision,
				      .justification = "Din formue på 80.000 kr. "
						       "overstiger grænsen.",
				      .text = "Vi har talt med dig i telefonen." };
	struct hh_letter l;
	const char *field = NULL;
	assert_int_equal(hh_letter_create(f->st, &f->a, who, &in, &l, &field), HH_OK);
	assert_string_equal(l.state, "draft");
	return l;
}

/* ---- import --------------------------------------------------------------- */

static enum hh_rc import_with(struct fx *f, const char *ct_name, const char *ct,
			      const char *tmpl, char **errs_out)
{
	char *dir = hh_arena_printf(&f->a, "%s/bad", f->dir);
	char cmd[9000];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s/case-types' "
		 "'%s/letter-templates'", dir, dir, dir);
	assert_int_equal(system(cmd), 0);
	lf_put(dir, "organisations.json", lf_orgs);
	lf_put(dir, hh_arena_printf(&f->a, "case-types/%s.json", ct_name), ct);
	if (tmpl)
		lf_put(dir, hh_arena_printf(&f->a, "letter-templates/%s.json", ct_name),
		       tmpl);
	char *buf = NULL;
	size_t len = 0;
	FILE *errs = open_memstream(&buf, &len);
	struct hh_import_stats stats;
	enum hh_rc rc = hh_content_import(f->st, dir, 0, errs, NULL, NULL, &stats);
	fclose(errs);
	*errs_out = hh_arena_strdup(&f->a, buf ? buf : "");
	free(buf);
	return rc;
}

static int case_type_stored(struct fx *f, const char *code)
{
	struct hh_tx *tx = tu_read_begin(f->st);
	struct hh_case_type row;
	enum hh_rc rc = f->st->case_type_get_by_code(tx, &f->a, code, &row);
	tu_read_end(tx);
	return rc == HH_OK;
}

static void import_refuses_unknown_field_with_file_and_line(void **state)
{
	struct fx *f = *state;
	const char *bad =
		"{\n"
		"  \"request\": {\n"
		"    \"title\": \"Vi mangler oplysninger\",\n"
		"    \"body\": [\"Kære {{citizen.name}}\",\n"
		"      \"Send os {{form.kvittering}}.\"]\n"
		"  }\n"
		"}\n";
	char *errs;
	const char *ct = "{\"name\":\"Forkert\",\"organisation\":\"901\","
			 "\"deadline\":\"P30D\",\"initial\":\"a\","
			 "\"states\":[{\"key\":\"a\",\"label\":\"A\"}],"
			 "\"form\":{\"title\":\"F\",\"fields\":[{\"name\":\"beloeb\","
			 "\"label\":\"B\",\"type\":\"amount\"}]}}";
	assert_int_equal(import_with(f, "forkert", ct, bad, &errs), HH_ERR_INVALID);
	tu_expect_in(errs, "letter-templates/forkert.json:5:");
	tu_expect_in(errs, "{{form.kvittering}}");
	assert_false(case_type_stored(f, "forkert")); /* nothing half-imported */

	/* an unknown placeholder, on line 4 */
	const char *unknown =
		"{\n"
		"  \"request\": {\n"
		"    \"title\": \"Vi mangler oplysninger\",\n"
		"    \"body\": \"Kære {{borger.navn}}\"\n"
		"  }\n"
		"}\n";
	assert_int_equal(import_with(f, "forkert", ct, unknown, &errs), HH_ERR_INVALID);
	tu_expect_in(errs, "letter-templates/forkert.json:4:");
	tu_expect_in(errs, "unknown placeholder");
	assert_false(case_type_stored(f, "forkert"));

	/* a refusal without the justification */
	const char *no_why =
		"{\"refused\": {\"title\": \"Afslag\", \"legal_basis\": \"§ 1\",\n"
		" \"appeal\": {\"body\": \"Ankestyrelsen\", \"weeks\": 4},\n"
		" \"body\": \"Nej.\"}}\n";
	assert_int_equal(import_with(f, "forkert", ct, no_why, &errs), HH_ERR_INVALID);
	tu_expect_in(errs, "free.justification");
	assert_false(case_type_stored(f, "forkert"));
}

static void import_refuses_case_type_naming_missing_template(void **state)
{
	struct fx *f = *state;
	char *errs;
	const char *ct = "{\"name\":\"Mangler\",\"organisation\":\"901\",\n"
			 "\"deadline\":\"P30D\",\"initial\":\"a\",\n"
			 "\"states\":[{\"key\":\"a\",\"label\":\"A\"},\n"
			 "  {\"key\":\"nej\",\"label\":\"Nej\",\"final\":true}],\n"
			 "\"letters\": {\n"
			 "  \"nej\": \"refused\"}}\n";
	const char *tmpl = "{\"request\": {\"title\": \"T\", \"body\": \"B\"}}\n";
	assert_int_equal(import_with(f, "mangler", ct, tmpl, &errs), HH_ERR_INVALID);
	tu_expect_in(errs, "case-types/mangler.json:6:");
	tu_expect_in(errs, "'refused'");
	assert_false(case_type_stored(f, "mangler"));
	/* and with no template file at all */
	assert_int_equal(import_with(f, "mangler", ct, NULL, &errs), HH_ERR_INVALID);
	tu_expect_in(errs, "case-types/mangler.json:6:");
	assert_false(case_type_stored(f, "mangler"));
	/* an unknown kind in the case type */
	const char *bad_kind = "{\"name\":\"M\",\"organisation\":\"901\","
			       "\"deadline\":\"P30D\",\"initial\":\"a\","
			       "\"states\":[{\"key\":\"a\",\"label\":\"A\"}],"
			       "\"letters\":{\"a\":\"afslag\"}}";
	assert_int_equal(import_with(f, "mangler", bad_kind, tmpl, &errs),
			 HH_ERR_INVALID);
	tu_expect_in(errs, "letter kind");
}

/* ---- merge ------------------------------------------------------------------ */

static void preview_merges_case_citizen_form_and_free_parts(void **state)
{
	struct fx *f = *state;
	struct hh_case k = submit(f, "hjaelp", f->anna);
	struct hh_letter_input in = { .case_id = k.id, .decision = "rejected",
				      .justification = "Din formue er for stor." };
	struct hh_letter l;
	struct hh_buf html;
	hh_buf_init(&html);
	const char *field = NULL;
	assert_int_equal(hh_letter_preview(f->st, &f->a, &f->cw1, &in, &l, &html, NULL, &field),
			 HH_OK);
	assert_string_equal(l.kind, "refused");
	assert_string_equal(l.title, "Afgørelse om hjælp: afslag");
	tu_expect_in(l.body, "Kære Anna Ærø Østergård");
	tu_expect_in(l.body, "om 12.500,00 kr. (sag ");
	tu_expect_in(l.body, "## Begrundelse\n\nDin formue er for stor.");
	tu_expect_in(l.body, "Lov om aktiv socialpolitik § 81");
	tu_expect_in(l.body, "Du kan klage til Ankestyrelsen inden 4 uger.");
	tu_expect_in(l.body, "Send klagen til Nordskov Kommune, tlf. 72 10 00 00.");
	tu_expect_not_in(l.body, "{{");
	tu_expect_in(hh_buf_str(&html), "<article class=\"letter\"");
	tu_expect_in(hh_buf_str(&html), "Din formue er for stor.");

	/* the preview shows where the justification goes before it is written */
	in.justification = NULL;
	hh_buf_reset(&html);
	assert_int_equal(hh_letter_preview(f->st, &f->a, &f->cw1, &in, &l, &html, NULL, &field),
			 HH_OK);
	tu_expect_in(l.body, "[Skriv begrundelsen her]");
	/* an empty free text leaves no empty paragraph behind */
	in.decision = "granted";
	assert_int_equal(hh_letter_preview(f->st, &f->a, &f->cw1, &in, &l, NULL, NULL, &field),
			 HH_OK);
	tu_expect_in(l.body, "til tandbehandling.\n\n## Regler");
	/* a request has its reply date */
	in.decision = "awaiting_citizen";
	in.text = "Send os din seneste lønseddel.";
	assert_int_equal(hh_letter_preview(f->st, &f->a, &f->cw1, &in, &l, NULL, NULL, &field),
			 HH_OK);
	assert_true(l.reply_allowed);
	assert_true(l.reply_by > hh_now_us() / 1000000 + 13 * 86400);
	tu_expect_in(l.body, "Svar os senest ");
	hh_buf_clear(&html);
}

static void create_refuses_bad_input_with_field(void **state)
{
	struct fx *f = *state;
	struct hh_case k = submit(f, "hjaelp", f->anna);
	struct hh_letter l;
	const char *field = NULL;
	/* a refusal without its justification */
	struct hh_letter_input in = { .case_id = k.id, .decision = "rejected",
				      .justification = "  \n" };
	assert_int_equal(hh_letter_create(f->st, &f->a, &f->cw1, &in, &l, &field),
			 HH_ERR_INVALID);
	assert_string_equal(field, "justification");
	/* a decision the case cannot make */
	in = (struct hh_letter_input){ .case_id = k.id, .decision = "nowhere" };
	assert_int_equal(hh_letter_create(f->st, &f->a, &f->cw1, &in, &l, &field),
			 HH_ERR_INVALID);
	assert_string_equal(field, "decision");
	/* the wrong kind for the decision */
	in = (struct hh_letter_input){ .case_id = k.id, .decision = "granted",
				       .kind = "refused", .justification = "x" };
	assert_int_equal(hh_letter_create(f->st, &f->a, &f->cw1, &in, &l, &field),
			 HH_ERR_INVALID);
	assert_string_equal(field, "kind");
	/* a kind the case type has no template for */
	in = (struct hh_letter_input){ .case_id = k.id, .kind = "closing" };
	assert_int_equal(hh_letter_create(f->st, &f->a, &f->cw1, &in, &l, &field),
			 HH_ERR_INVALID);
	assert_string_equal(field, "kind");
	/* a manager may read but not write */
	in = (struct hh_letter_input){ .case_id = k.id, .kind = "hearing" };
	assert_int_equal(hh_letter_create(f->st, &f->a, &f->mgr, &in, &l, &field),
			 HH_ERR_FORBIDDEN);
}

/* ---- a decision needs its letter --------------------------------------------- */

static void decision_needs_letter(void **state)
{
	struct fx *f = *state;
	struct hh_case k = submit(f, "hjaelp", f->anna);
	struct hh_case out;
	assert_int_equal(hh_case_transition(f->st, &f->a, &f->cw1, k.id, "rejected", 1,
					    NULL, &out, NULL),
			 HH_ERR_INVALID);
	assert_string_equal(get_case(f, k.id).state, "in_progress");
	const char *kind;
	assert_int_equal(hh_letter_required(f->st, &f->a, &f->cw1, k.id, "rejected",
					    &kind),
			 HH_OK);
	assert_string_equal(kind, "refused");
	assert_int_equal(hh_letter_required(f->st, &f->a, &f->cw1, k.id, "closed", &kind),
			 HH_OK);
	assert_null(kind);
	/* a move without a letter still goes */
	assert_int_equal(hh_case_transition(f->st, &f->a, &f->cw1, k.id, "closed", 1,
					    NULL, &out, NULL),
			 HH_OK);
}

static void send_records_decision_and_queues_one_message(void **state)
{
	struct fx *f = *state;
	struct hh_case k = submit(f, "hjaelp", f->anna);
	struct hh_letter l = draft(f, &f->cw1, k.id, "rejected");
	assert_string_equal(get_case(f, k.id).state, "in_progress");
	int awaiting = -1;
	struct hh_letter sent;
	assert_int_equal(hh_letter_send(f->st, &f->a, &f->cw1, l.id, l.version, &sent,
					&awaiting),
			 HH_OK);
	assert_int_equal(awaiting, 0);
	assert_string_equal(sent.state, "sent");
	assert_non_null(sent.message_id);
	assert_int_equal(strlen(sent.message_id), 36);
	assert_true(sent.sent_at > 0);
	assert_true(sent.pdf_len > 1000);
	assert_memory_equal(sent.pdf, "%PDF", 4);
	struct hh_case after = get_case(f, k.id);
	assert_string_equal(after.state, "rejected");
	assert_true(after.closed_at > 0);
	assert_int_equal(n_messages(f, l.id), 1);
	assert_int_equal(tu_case_events(f->st, &f->a, k.id, "transition", NULL,
					"after.state", "rejected", NULL),
			 1);
	assert_int_equal(tu_case_events(f->st, &f->a, k.id, "letter_sent", NULL, NULL),
			 1);
	/* a sent letter never changes: sending again is refused */
	assert_int_equal(hh_letter_send(f->st, &f->a, &f->cw1, l.id, 0, &sent, NULL),
			 HH_ERR_INVALID);
	assert_int_equal(n_messages(f, l.id), 1);
}

static void send_is_one_transaction(void **state)
{
	struct fx *f = *state;
	struct hh_case k = submit(f, "hjaelp", f->anna);
	struct hh_letter l = draft(f, &f->cw1, k.id, "rejected");
	/* the case changed after the letter was written: the stale letter
	 * (its decision no longer a move) records nothing, sends nothing */
	struct hh_case out;
	assert_int_equal(hh_case_transition(f->st, &f->a, &f->cw1, k.id, "closed", 0,
					    NULL, &out, NULL),
			 HH_OK);
	struct hh_letter sent;
	assert_int_equal(hh_letter_send(f->st, &f->a, &f->cw1, l.id, l.version, &sent,
					NULL),
			 HH_ERR_INVALID);
	assert_int_equal(n_messages(f, l.id), 0);
	/* a fault at any store call in the write leaves nothing half-sent */
	struct hh_case k2 = submit(f, "hjaelp", f->anna);
	struct hh_letter l2 = draft(f, &f->cw1, k2.id, "rejected");
	int sent_ok = 0;
	for (int n = 1; n < 40 && !sent_ok; n++) {
		hh_store_fault_inject(f->st, n, HH_ERR_IO);
		enum hh_rc rc = hh_letter_send(f->st, &f->a, &f->cw1, l2.id, 0, &sent,
					       NULL);
		hh_store_fault_inject(f->st, 0, HH_OK);
		struct hh_case now = get_case(f, k2.id);
		int64_t msgs = n_messages(f, l2.id);
		if (rc == HH_OK) {
			sent_ok = 1;
			assert_string_equal(now.state, "rejected");
			assert_int_equal(msgs, 1);
		} else {
			assert_string_equal(now.state, "in_progress");
			assert_int_equal(msgs, 0);
		}
	}
	assert_true(sent_ok);
}

/* ---- four eyes ---------------------------------------------------------------- */

static enum hh_rc count(void *p, const struct hh_letter *x)
{
	(void)x;
	(*(int64_t *)p)++;
	return HH_OK;
}

static void four_eyes_author_cannot_approve(void **state)
{
	struct fx *f = *state;
	struct hh_case k = submit(f, "hjaelp4", f->anna);
	struct hh_letter l = draft(f, &f->cw1, k.id, "rejected");
	int awaiting = 0;
	struct hh_letter out;
	assert_int_equal(hh_letter_send(f->st, &f->a, &f->cw1, l.id, l.version, &out,
					&awaiting),
			 HH_OK);
	assert_int_equal(awaiting, 1);
	assert_string_equal(out.state, "awaiting_approval");
	assert_string_equal(get_case(f, k.id).state, "in_progress"); /* not yet */
	assert_int_equal(n_messages(f, l.id), 0);
	assert_int_equal(tu_case_events(f->st, &f->a, k.id, "letter_approval", NULL,
					"after.summary", "Brev til godkendelse", NULL),
			 1);
	/* the author may not approve their own letter, nor return it */
	assert_int_equal(hh_letter_approve(f->st, &f->a, &f->cw1, l.id, 0, &out),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(hh_letter_return(f->st, &f->a, &f->cw1, l.id, 0, "x", &out),
			 HH_ERR_FORBIDDEN);
	/* another organisation's caseworker does not see it */
	assert_int_equal(hh_letter_approve(f->st, &f->a, &f->cw902, l.id, 0, &out),
			 HH_ERR_NOT_FOUND);
	/* a manager may see but not approve */
	assert_int_equal(hh_letter_approve(f->st, &f->a, &f->mgr, l.id, 0, &out),
			 HH_ERR_FORBIDDEN);
	assert_string_equal(get_case(f, k.id).state, "in_progress");

	/* the list to approve: the second caseworker sees it, the author not */
	int64_t n1 = 0, n2 = 0;
	assert_int_equal(hh_letter_list_approval(f->st, &f->a, &f->cw2, count, &n2),
			 HH_OK);
	assert_int_equal(hh_letter_list_approval(f->st, &f->a, &f->cw1, count, &n1),
			 HH_OK);
	assert_int_equal(n2, 1);
	assert_int_equal(n1, 0);

	/* returned with a comment: a draft again */
	assert_int_equal(hh_letter_return(f->st, &f->a, &f->cw2, l.id, 0,
					  "Henvis også til § 82.", &out),
			 HH_OK);
	assert_string_equal(out.state, "draft");
	assert_int_equal(tu_case_events(f->st, &f->a, k.id, "letter_returned", NULL,
					"after.comment", "Henvis også til § 82.", NULL),
			 1);
	/* sent for approval again, approved by the second caseworker */
	assert_int_equal(hh_letter_send(f->st, &f->a, &f->cw1, l.id, 0, &out, &awaiting),
			 HH_OK);
	assert_int_equal(awaiting, 1);
	assert_int_equal(hh_letter_approve(f->st, &f->a, &f->cw2, l.id, out.version, &out),
			 HH_OK);
	assert_string_equal(out.state, "sent");
	assert_int_equal(out.approver_id, f->cw2.user_id);
	assert_string_equal(out.approver_name, "Camilla Bæk");
	assert_int_equal(out.author_id, f->cw1.user_id);
	assert_string_equal(get_case(f, k.id).state, "rejected");
	assert_int_equal(n_messages(f, l.id), 1);
	assert_int_equal(tu_case_events(f->st, &f->a, k.id, "letter_approved", NULL,
					"after.summary", "Brev godkendt af Camilla Bæk",
					NULL),
			 1);
}

/* ---- a concurrent second send ------------------------------------------------------ */

struct racer {
	struct fx *f;
	int64_t id, version;
	enum hh_rc rc;
	pthread_barrier_t *go;
};

static void *race(void *p)
{
	struct racer *r = p;
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_letter out;
	pthread_barrier_wait(r->go);
	r->rc = hh_letter_send(r->f->st, &a, &r->f->cw1, r->id, r->version, &out, NULL);
	hh_arena_clear(&a);
	return NULL;
}

static void concurrent_send_gives_one_message(void **state)
{
	struct fx *f = *state;
	for (int round = 0; round < 3; round++) {
		struct hh_case k = submit(f, "hjaelp", f->anna);
		struct hh_letter l = draft(f, &f->cw1, k.id, "rejected");
		pthread_barrier_t go;
		pthread_barrier_init(&go, NULL, 4);
		struct racer r[4];
		pthread_t t[4];
		for (int i = 0; i < 4; i++) {
			r[i] = (struct racer){ f, l.id, l.version, HH_ERR_INTERNAL, &go };
			pthread_create(&t[i], NULL, race, &r[i]);
		}
		int ok = 0, conflict = 0;
		for (int i = 0; i < 4; i++) {
			pthread_join(t[i], NULL);
			ok += r[i].rc == HH_OK;
			conflict += r[i].rc == HH_ERR_CONFLICT;
		}
		pthread_barrier_destroy(&go);
		assert_int_equal(ok, 1);
		assert_int_equal(conflict, 3);
		assert_int_equal(n_messages(f, l.id), 1);
		assert_int_equal(tu_case_events(f->st, &f->a, k.id, "transition", NULL,
						NULL),
				 1);
	}
}

/* ---- other organisations, reading ---------------------------------------------- */

static void other_org_is_not_found(void **state)
{
	struct fx *f = *state;
	struct hh_case k = submit(f, "hjaelp", f->anna);
	struct hh_letter_input in = { .case_id = k.id, .kind = "hearing",
				      .text = "Vi overvejer at give afslag." };
	struct hh_letter l;
	const char *field;
	assert_int_equal(hh_letter_create(f->st, &f->a, &f->cw902, &in, &l, &field),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_letter_preview(f->st, &f->a, &f->cw902, &in, &l, NULL,
					   NULL, &field),
			 HH_ERR_NOT_FOUND);
	l = draft(f, &f->cw1, k.id, "rejected");
	struct hh_letter out;
	assert_int_equal(hh_letter_get_staff(f->st, &f->a, &f->cw902, l.id, NULL, &out),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_letter_send(f->st, &f->a, &f->cw902, l.id, 0, &out, NULL),
			 HH_ERR_NOT_FOUND);
	int64_t n = 0;
	assert_int_equal(hh_letter_list_case(f->st, &f->a, &f->cw902, k.id,
					     count, &n),
			 HH_ERR_NOT_FOUND);
	const char *kind;
	assert_int_equal(hh_letter_required(f->st, &f->a, &f->cw902, k.id, "rejected",
					    &kind),
			 HH_ERR_NOT_FOUND);
	/* a letter without a decision (a hearing) is sent without a move */
	in.case_id = k.id;
	assert_int_equal(hh_letter_create(f->st, &f->a, &f->cw1, &in, &l, &field), HH_OK);
	assert_int_equal(hh_letter_send(f->st, &f->a, &f->cw1, l.id, 0, &out, NULL),
			 HH_OK);
	assert_string_equal(get_case(f, k.id).state, "in_progress");
	assert_int_equal(hh_letter_list_case(f->st, &f->a, &f->cw1, k.id,
					     count, &n),
			 HH_OK);
	assert_int_equal(n, 2);
}

static void get_staff_is_audited(void **state)
{
	struct fx *f = *state;
	struct hh_case k = submit(f, "hjaelp", f->anna);
	struct hh_letter l = draft(f, &f->cw1, k.id, "rejected");
	struct hh_audit *v;
	size_t before = tu_audits(f->st, &f->a, &v);
	struct hh_letter out;
	assert_int_equal(hh_letter_get_staff(f->st, &f->a, &f->cw2, l.id, NULL, &out),
			 HH_OK);
	size_t n = tu_audits(f->st, &f->a, &v);
	assert_int_equal(n, before + 1);
	int found = 0;
	for (size_t i = 0; i < n; i++)
		found |= v[i].citizen_id == f->anna &&
			 !strcmp(v[i].what, hh_arena_printf(&f->a, "brev %lld",
							   (long long)l.id)) &&
			 !strcmp(v[i].actor, f->cw2.label);
	assert_true(found);
}

/* ---- the PDF, read back ------------------------------------------------------------- */

static void sent_pdf_reads_back(void **state)
{
	struct fx *f = *state;
	struct hh_case k = submit(f, "hjaelp", f->anna);
	struct hh_letter_input in = {
		.case_id = k.id, .decision = "rejected",
		.justification = "Din ansøgning om økonomisk hjælp til tandbehandling "
				 "kan ikke imødekommes, fordi din formue overstiger "
				 "grænsen." };
	struct hh_letter l, sent;
	const char *field;
	assert_int_equal(hh_letter_create(f->st, &f->a, &f->cw1, &in, &l, &field), HH_OK);
	assert_int_equal(hh_letter_send(f->st, &f->a, &f->cw1, l.id, 0, &sent, NULL),
			 HH_OK);
	assert_int_equal(hh_letter_get_staff(f->st, &f->a, &f->cw1, l.id, NULL, &sent),
			 HH_OK);
	char *pdf = hh_arena_printf(&f->a, "%s/letter.pdf", f->dir);
	FILE *o = fopen(pdf, "wb");
	assert_non_null(o);
	assert_int_equal(fwrite(sent.pdf, 1, sent.pdf_len, o), sent.pdf_len);
	fclose(o);
	char *cmd = hh_arena_printf(&f->a, "pdftotext -layout '%s' '%s/letter.txt'", pdf,
				    f->dir);
	assert_int_equal(system(cmd), 0);
	char *text = tu_read(hh_arena_printf(&f->a, "%s/letter.txt", f->dir));
	assert_non_null(text);
	/* pdftotext keeps lines; join them so a wrapped sentence matches */
	for (char *p = text; *p; p++)
		if (*p == '\n')
			*p = ' ';
	tu_expect_in(text, "Anna Ærø Østergård");
	tu_expect_in(text, "Nordskov Kommune");
	tu_expect_in(text, "Afgørelse om hjælp: afslag");
	tu_expect_in(text, "Begrundelse");
	tu_expect_in(text, "formue");
	tu_expect_in(text, "Klagevejledning");
	tu_expect_in(text, "Ankestyrelsen");
	tu_expect_in(text, "Side 1 af");
	tu_expect_in(text, "Jonas Krogh");
	free(text);
}


/* ---- a request for information ------------------------------------------------ */

static void request_for_information_is_a_letter(void **state)
{
	struct fx *f = *state;
	/* four eyes are for decisions: the request goes out at once */
	struct hh_case k = submit(f, "hjaelp4", f->anna);
	struct hh_case out;
	int by_letter = 0;
	assert_int_equal(hh_letter_request(f->st, &f->a, &f->cw1, k.id,
					   "Send os dit seneste kontoudtog.", 1, &out,
					   &by_letter),
			 HH_OK);
	assert_int_equal(by_letter, 1);
	assert_string_equal(out.state, "awaiting_citizen");
	assert_true(out.paused_since > 0);
	assert_int_equal(tu_case_events(f->st, &f->a, k.id, "request", NULL,
					"after.question",
					"Send os dit seneste kontoudtog.", NULL),
			 1);
	int64_t n = 0;
	assert_int_equal(hh_letter_list_case(f->st, &f->a, &f->cw1, k.id, count, &n),
			 HH_OK);
	assert_int_equal(n, 1);
	/* the letter: sent, reply allowed, a reply date two weeks ahead */
	struct hh_tx *tx = tu_read_begin(f->st);
	struct hh_letter l;
	assert_int_equal(f->st->letter_get(tx, &f->a, 1, &l), HH_OK);
	tu_read_end(tx);
	assert_string_equal(l.kind, "request");
	assert_string_equal(l.state, "sent");
	assert_true(l.reply_allowed);
	assert_true(l.reply_by > hh_now_us() / 1000000 + 13 * 86400);
	assert_int_equal(n_messages(f, l.id), 1);
	tu_expect_in(l.body, "Send os dit seneste kontoudtog.");
	/* a stale version asks nothing */
	struct hh_case k2 = submit(f, "hjaelp", f->anna);
	assert_int_equal(hh_letter_request(f->st, &f->a, &f->cw1, k2.id, "Mere?", 9,
					   &out, &by_letter),
			 HH_ERR_CONFLICT);
	assert_string_equal(get_case(f, k2.id).state, "in_progress");
	/* the citizen answers: the case goes back to where it was */
	assert_int_equal(hh_case_answer(f->st, &f->a,
					&(struct hh_actor){ .label = "citizen",
							    .roles = HH_ROLE_CITIZEN,
							    .citizen_id = f->anna },
					k.id, "Her er det.", &out),
			 HH_OK);
	assert_string_equal(out.state, "in_progress");
}

/* ---- the demo content ---------------------------------------------------------- */

static enum hh_rc count_ct(void *p, const struct hh_case_type *ct)
{
	(void)ct;
	(*(int *)p)++;
	return HH_OK;
}

/* The demo's templates import (every placeholder known to its case type),
 * and the demo's first start sends letters, once. */
static void demo_content_and_demo_letters(void **state)
{
	struct fx *f = *state;
	char *dir = hh_arena_printf(&f->a, "%s/demo", f->dir);
	char *cmd = hh_arena_printf(&f->a, "mkdir -p '%s'", dir);
	assert_int_equal(system(cmd), 0);
	struct hh_store *st = tu_store(dir, 4);
	struct hh_import_stats stats;
	assert_int_equal(hh_content_import(st, "content", 1, stderr, NULL, NULL, &stats),
			 HH_OK);
	int n = 0;
	struct hh_tx *tx = tu_read_begin(st);
	assert_int_equal(st->case_type_list(tx, &f->a, 0, count_ct, &n), HH_OK);
	tu_read_end(tx);
	assert_int_equal(n, 12); /* p-agree: the custody agreement */
	struct hh_demo_stats ds;
	assert_int_equal(hh_demo_inquiries(st, "content", 1764928800 /* a Friday */,
					   stderr, &ds),
			 HH_OK);
	int sent = 0;
	assert_int_equal(hh_demo_letters(st, stderr, &sent), HH_OK);
	assert_true(sent >= 3);
	int again = -1;
	assert_int_equal(hh_demo_letters(st, stderr, &again), HH_OK);
	assert_int_equal(again, 0);
	hh_store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(import_refuses_unknown_field_with_file_and_line,
						setup, teardown),
		cmocka_unit_test_setup_teardown(import_refuses_case_type_naming_missing_template,
						setup, teardown),
		cmocka_unit_test_setup_teardown(preview_merges_case_citizen_form_and_free_parts,
						setup, teardown),
		cmocka_unit_test_setup_teardown(create_refuses_bad_input_with_field, setup,
						teardown),
		cmocka_unit_test_setup_teardown(decision_needs_letter, setup, teardown),
		cmocka_unit_test_setup_teardown(send_records_decision_and_queues_one_message,
						setup, teardown),
		cmocka_unit_test_setup_teardown(send_is_one_transaction, setup, teardown),
		cmocka_unit_test_setup_teardown(four_eyes_author_cannot_approve, setup,
						teardown),
		cmocka_unit_test_setup_teardown(concurrent_send_gives_one_message, setup,
						teardown),
		cmocka_unit_test_setup_teardown(other_org_is_not_found, setup, teardown),
		cmocka_unit_test_setup_teardown(get_staff_is_audited, setup, teardown),
		cmocka_unit_test_setup_teardown(sent_pdf_reads_back, setup, teardown),
		cmocka_unit_test_setup_teardown(demo_content_and_demo_letters, setup,
						teardown),
		cmocka_unit_test_setup_teardown(request_for_information_is_a_letter, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
