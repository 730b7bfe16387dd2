/* test_messages.c - Digital Post delivery in the domain: each citizen's
 * letter takes its route (Digital Post as a MeMo file that validates
 * against the schema, print, the error queue with its reason), a crash
 * between the spool and the row sends no second file, a locked spool
 * keeps the message queued with back-off until it is given up, receipts
 * move sent messages on, the error queue's actions, the print batch (one
 * PDF, read back with pdftotext and pdfinfo, never a letter twice), the
 * exemption at the desk, and the metrics. */
#include "testutil.h"

#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "domain/messages_fixture.h"

#define SCHEMA "tests/memo/schema-1.1/MeMo_core.xsd"
#define NOW 1796380800 /* 2026-12-04 */

struct fx {
	struct dp_fx d;
	struct hh_transport *t;
	char spool[4300];
};

static const struct hh_actor caseworker = { .label = "user:1", .org_id = 1,
					    .org_is_municipality = 1,
					    .roles = HH_ROLE_CASEWORKER };

static int setup(void **state)
{
	struct fx *f = hh_xcalloc(1, sizeof(*f));
	dp_setup(&f->d);
	snprintf(f->spool, sizeof(f->spool), "%s/spool", f->d.dir);
	assert_int_equal(hh_spool_open(f->spool, &f->t), HH_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char out[4400];
	snprintf(out, sizeof(out), "%s/out", f->spool);
	chmod(out, 0750);
	hh_transport_free(f->t);
	dp_teardown(&f->d);
	free(f);
	return 0;
}

/* How many files in dir end in suffix (hidden ones not counted). */
static int files_in(const char *dir, const char *suffix)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	int n = 0;
	struct dirent *e;
	size_t sl = strlen(suffix);
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		n += e->d_name[0] != '.' && l > sl &&
		     !strcmp(e->d_name + l - sl, suffix);
	}
	closedir(d);
	return n;
}

static char *run_cmd(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	struct hh_buf b;
	hh_buf_init(&b);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		hh_buf_append(&b, chunk, n);
	pclose(p);
	return hh_buf_steal(&b);
}

static struct hh_actor actor_of(int64_t org, unsigned roles)
{
	return (struct hh_actor){ .label = "user:9", .org_id = org,
				  .org_is_municipality = 1, .roles = roles };
}

/* ---- routing -------------------------------------------------------------- */

struct count_ctx {
	int n;
	int64_t ids[16];
};

static enum hh_rc count_msg(void *p, const struct hh_message_row *r)
{
	struct count_ctx *c = p;
	if (c->n < 16)
		c->ids[c->n] = r->m.id;
	c->n++;
	return HH_OK;
}

static void each_citizen_takes_its_route(void **state)
{
	struct fx *f = *state;
	char ua[HH_UUID_SIZE], ul[HH_UUID_SIZE], un[HH_UUID_SIZE], uo[HH_UUID_SIZE];
	int64_t ma = dp_letter(&f->d, f->d.anna, "Afgørelse om hjælpemidler", ua);
	int64_t ml = dp_letter(&f->d, f->d.lars, "Afgørelse til Lars", ul);
	int64_t mn = dp_letter(&f->d, f->d.nina, "Afgørelse til Nina", un);
	int64_t mo = dp_letter(&f->d, f->d.olga, "Afgørelse til Olga", uo);
	struct hh_deliver_stats s;
	assert_int_equal(hh_messages_deliver(f->d.st, f->t, NOW, 100, &s), HH_OK);
	assert_int_equal(s.sent, 1);
	assert_int_equal(s.to_print, 2);
	assert_int_equal(s.errors, 1);

	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_message_row r = dp_get(&f->d, &a, ma);
	assert_string_equal(r.m.state, "sent");
	assert_string_equal(r.m.channel, "digital_post");
	assert_int_equal(r.m.sent_at, NOW);
	assert_int_equal(r.m.attempts, 1);
	/* the MeMo file is in out/ and is valid MeMo 1.1 */
	char path[4500], cmd[5000];
	snprintf(path, sizeof(path), "%s/out/%s.xml", f->spool, ua);
	char *xml = tu_read(path);
	assert_non_null(xml);
	assert_non_null(strstr(xml, "0707614285"));  /* the CPR, digits */
	assert_non_null(strstr(xml, "29180101"));    /* the sender's CVR */
	assert_non_null(strstr(xml, "27.24.00"));    /* KLE of the case type */
	assert_non_null(strstr(xml, ua));
	free(xml);
	snprintf(cmd, sizeof(cmd), "xmllint --noout --schema " SCHEMA
		 " '%s' 2>/dev/null", path);
	int st = system(cmd);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);

	r = dp_get(&f->d, &a, ml);
	assert_string_equal(r.m.state, "queued");
	assert_string_equal(r.m.channel, "print");
	r = dp_get(&f->d, &a, mn);
	assert_string_equal(r.m.state, "queued");
	assert_string_equal(r.m.channel, "print");
	/* never silently nowhere: no CPR and no address is in the error
	 * queue, with the reason */
	r = dp_get(&f->d, &a, mo);
	assert_string_equal(r.m.state, "error");
	assert_string_equal(r.m.channel, "error");
	assert_non_null(strstr(r.m.last_error, "hverken CPR-nummer eller adresse"));
	struct hh_message_filter fl = { .state = "error" };
	struct count_ctx c = { 0 };
	assert_int_equal(hh_messages_list(f->d.st, &a, &caseworker, &fl, 100,
					  count_msg, &c), HH_OK);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.ids[0], mo);
	/* another municipality's caseworker sees none of them */
	struct hh_actor other = actor_of(f->d.org2, HH_ROLE_CASEWORKER);
	c.n = 0;
	assert_int_equal(hh_messages_list(f->d.st, &a, &other, &fl, 100,
					  count_msg, &c), HH_OK);
	assert_int_equal(c.n, 0);
	assert_int_equal(hh_message_get(f->d.st, &a, &other, mo, &r),
			 HH_ERR_NOT_FOUND);
	/* a citizen has no such list */
	struct hh_actor cit = { .label = "citizen:1", .roles = HH_ROLE_CITIZEN,
				.citizen_id = f->d.anna };
	assert_int_equal(hh_messages_list(f->d.st, &a, &cit, &fl, 100,
					  count_msg, &c), HH_ERR_FORBIDDEN);
	/* the case's history tells each step in Danish */
	assert_int_equal(tu_case_events(f->d.st, &a, f->d.case_id, "message",
					"postman", NULL), 4);
	assert_int_equal(tu_case_events(f->d.st, &a, f->d.case_id, "message",
					"postman", "after.text",
					"Brevet er sendt til Digital Post", NULL), 1);
	/* a second pass finds nothing due */
	assert_int_equal(hh_messages_deliver(f->d.st, f->t, NOW + 1, 100, &s), HH_OK);
	assert_int_equal(s.sent + s.to_print + s.errors, 0);
	hh_arena_clear(&a);
}

static void a_resend_after_a_crash_writes_no_second_file(void **state)
{
	struct fx *f = *state;
	char u[HH_UUID_SIZE];
	int64_t id = dp_letter(&f->d, f->d.anna, "Afgørelse", u);
	assert_int_equal(hh_messages_deliver(f->d.st, f->t, NOW, 10, NULL), HH_OK);
	/* as if the process died after the spool write and before the row:
	 * the row says queued again */
	char sql[200];
	snprintf(sql, sizeof(sql), "UPDATE messages SET state = 'queued', "
		 "channel = NULL, attempts = 0 WHERE id = %lld", (long long)id);
	free(tu_sql(f->d.dir, sql, 0, NULL));
	char out[4400], sent[4400];
	snprintf(out, sizeof(out), "%s/out", f->spool);
	snprintf(sent, sizeof(sent), "%s/sent", f->spool);
	struct hh_deliver_stats s;
	assert_int_equal(hh_messages_deliver(f->d.st, f->t, NOW + 5, 10, &s), HH_OK);
	assert_int_equal(s.sent, 1);
	assert_int_equal(files_in(out, ".xml"), 1);
	/* also once the integration has picked it up (moved to sent/) */
	char from[4500], to[4500];
	snprintf(from, sizeof(from), "%s/%s.xml", out, u);
	snprintf(to, sizeof(to), "%s/%s.xml", sent, u);
	assert_int_equal(rename(from, to), 0);
	free(tu_sql(f->d.dir, sql, 0, NULL));
	assert_int_equal(hh_messages_deliver(f->d.st, f->t, NOW + 9, 10, &s), HH_OK);
	assert_int_equal(s.sent, 1);
	assert_int_equal(files_in(out, ".xml"), 0);
	assert_int_equal(files_in(sent, ".xml"), 1);
}

static void backoff_doubles_to_an_hour(void **state)
{
	(void)state;
	assert_int_equal(hh_messages_backoff(1), 30);
	assert_int_equal(hh_messages_backoff(2), 60);
	assert_int_equal(hh_messages_backoff(3), 120);
	assert_int_equal(hh_messages_backoff(7), 1920);
	assert_int_equal(hh_messages_backoff(8), 3600);
	assert_int_equal(hh_messages_backoff(11), 3600);
}

static void a_locked_spool_keeps_it_queued_then_gives_up(void **state)
{
	struct fx *f = *state;
	char u[HH_UUID_SIZE], u2[HH_UUID_SIZE];
	int64_t id = dp_letter(&f->d, f->d.anna, "Afgørelse", u);
	char out[4400], reason[HH_POST_REASON_SIZE];
	snprintf(out, sizeof(out), "%s/out", f->spool);
	assert_int_equal(f->t->ready(f->t->cls, reason), 1);
	assert_int_equal(chmod(out, 0500), 0);
	assert_int_equal(f->t->ready(f->t->cls, reason), 0);
	assert_non_null(strstr(reason, "out"));
	struct hh_deliver_stats s;
	assert_int_equal(hh_messages_deliver(f->d.st, f->t, NOW, 10, &s), HH_OK);
	assert_int_equal(s.retried, 1);
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_message_row r = dp_get(&f->d, &a, id);
	assert_string_equal(r.m.state, "queued");
	assert_int_equal(r.m.attempts, 1);
	assert_int_equal(r.m.next_attempt_at, NOW + 30);
	assert_non_null(strstr(r.m.last_error, "spoolmappen"));
	/* not due yet */
	assert_int_equal(hh_messages_deliver(f->d.st, f->t, NOW + 29, 10, &s), HH_OK);
	assert_int_equal(s.retried, 0);
	assert_int_equal(hh_messages_deliver(f->d.st, f->t, NOW + 30, 10, &s), HH_OK);
	r = dp_get(&f->d, &a, id);
	assert_int_equal(r.m.attempts, 2);
	assert_int_equal(r.m.next_attempt_at, NOW + 90);
	/* unlocked: the next attempt sends it */
	assert_int_equal(chmod(out, 0750), 0);
	assert_int_equal(hh_messages_deliver(f->d.st, f->t, NOW + 90, 10, &s), HH_OK);
	assert_int_equal(s.sent, 1);
	r = dp_get(&f->d, &a, id);
	assert_string_equal(r.m.state, "sent");
	assert_null(r.m.last_error);

	/* locked for good: after HH_MSG_MAX_ATTEMPTS it is failed, and in
	 * the error queue */
	int64_t id2 = dp_letter(&f->d, f->d.anna, "Afgørelse 2", u2);
	assert_int_equal(chmod(out, 0500), 0);
	int64_t t = NOW;
	for (int i = 0; i < HH_MSG_MAX_ATTEMPTS; i++) {
		assert_int_equal(hh_messages_deliver(f->d.st, f->t, t, 10, &s), HH_OK);
		r = dp_get(&f->d, &a, id2);
		t = r.m.next_attempt_at;
	}
	r = dp_get(&f->d, &a, id2);
	assert_string_equal(r.m.state, "failed");
	assert_int_equal(r.m.attempts, HH_MSG_MAX_ATTEMPTS);
	struct hh_message_filter fl = { .state = "failed" };
	struct count_ctx c = { 0 };
	assert_int_equal(hh_messages_list(f->d.st, &a, &caseworker, &fl, 100,
					  count_msg, &c), HH_OK);
	assert_int_equal(c.n, 1);
	/* "Prøv igen" once the folder is writable again */
	assert_int_equal(chmod(out, 0750), 0);
	assert_int_equal(hh_message_retry(f->d.st, &caseworker, id2, t), HH_OK);
	assert_int_equal(hh_message_retry(f->d.st, &caseworker, id2, t),
			 HH_ERR_CONFLICT);
	assert_int_equal(hh_messages_deliver(f->d.st, f->t, t, 10, &s), HH_OK);
	assert_int_equal(s.sent, 1);
	hh_arena_clear(&a);
}

static void receipts_move_sent_messages_on(void **state)
{
	struct fx *f = *state;
	char u1[HH_UUID_SIZE], u2[HH_UUID_SIZE];
	int64_t m1 = dp_letter(&f->d, f->d.anna, "Første", u1);
	int64_t m2 = dp_letter(&f->d, f->d.anna, "Andet", u2);
	assert_int_equal(hh_messages_deliver(f->d.st, f->t, NOW, 10, NULL), HH_OK);
	char p[4500];
	snprintf(p, sizeof(p), "%s/receipts/%s.ok", f->spool, u1);
	tu_write(p, "");
	snprintf(p, sizeof(p), "%s/receipts/%s.failed", f->spool, u2);
	tu_write(p, "Modtageren er død\n");
	struct hh_deliver_stats s = { 0 };
	assert_int_equal(hh_messages_receipts(f->d.st, f->t, NOW + 60, &s), HH_OK);
	assert_int_equal(s.delivered, 1);
	assert_int_equal(s.undelivered, 1);
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_message_row r = dp_get(&f->d, &a, m1);
	assert_string_equal(r.m.state, "delivered");
	assert_int_equal(r.m.delivered_at, NOW + 60);
	r = dp_get(&f->d, &a, m2);
	assert_string_equal(r.m.state, "failed");
	assert_string_equal(r.m.last_error, "Modtageren er død");
	/* acknowledged: moved aside, and a repeat changes nothing */
	char recdir[4400];
	snprintf(recdir, sizeof(recdir), "%s/receipts", f->spool);
	assert_int_equal(files_in(recdir, ".ok") + files_in(recdir, ".failed"), 0);
	snprintf(p, sizeof(p), "%s/receipts/%s.ok", f->spool, u1);
	tu_write(p, "");
	memset(&s, 0, sizeof(s));
	assert_int_equal(hh_messages_receipts(f->d.st, f->t, NOW + 99, &s), HH_OK);
	assert_int_equal(s.delivered, 0);
	r = dp_get(&f->d, &a, m1);
	assert_int_equal(r.m.delivered_at, NOW + 60);
	hh_arena_clear(&a);
}

static void the_error_queue_sends_again_or_to_print(void **state)
{
	struct fx *f = *state;
	char u[HH_UUID_SIZE];
	int64_t id = dp_letter(&f->d, f->d.olga, "Til Olga", u);
	assert_int_equal(hh_messages_deliver(f->d.st, f->t, NOW, 10, NULL), HH_OK);
	struct hh_arena a;
	hh_arena_init(&a);
	assert_string_equal(dp_get(&f->d, &a, id).m.state, "error");
	/* to print without an address: refused */
	assert_int_equal(hh_message_to_print(f->d.st, &caseworker, id, NOW),
			 HH_ERR_INVALID);
	/* a manager reads but does not act; another organisation sees none */
	struct hh_actor mgr = actor_of(f->d.org, HH_ROLE_MANAGER);
	assert_int_equal(hh_message_retry(f->d.st, &mgr, id, NOW), HH_ERR_FORBIDDEN);
	struct hh_actor other = actor_of(f->d.org2, HH_ROLE_CASEWORKER);
	assert_int_equal(hh_message_retry(f->d.st, &other, id, NOW),
			 HH_ERR_NOT_FOUND);
	/* the address is fixed; "Prøv igen" routes it to print */
	struct hh_citizen z = { .id = f->d.olga, .address = "Engvej 2",
				.postcode = "4100", .city = "Nordskov" };
	struct hh_tx *tx;
	assert_int_equal(f->d.st->tx_begin(f->d.st->cls, 1, &tx), HH_OK);
	assert_int_equal(f->d.st->citizen_post_set(tx, &z), HH_OK);
	assert_int_equal(f->d.st->tx_commit(tx), HH_OK);
	assert_int_equal(hh_message_retry(f->d.st, &caseworker, id, NOW + 1), HH_OK);
	struct hh_message_row r = dp_get(&f->d, &a, id);
	assert_string_equal(r.m.state, "queued");
	assert_null(r.m.channel);
	assert_int_equal(hh_messages_deliver(f->d.st, f->t, NOW + 1, 10, NULL), HH_OK);
	r = dp_get(&f->d, &a, id);
	assert_string_equal(r.m.channel, "print");
	assert_string_equal(r.m.state, "queued");
	hh_arena_clear(&a);
}

/* ---- the print batch ---------------------------------------------------- */

static void the_print_batch_prints_each_letter_once(void **state)
{
	struct fx *f = *state;
	char u[HH_UUID_SIZE];
	int64_t ml = dp_letter(&f->d, f->d.lars, "Afgørelse om boligstøtte", u);
	int64_t mn = dp_letter(&f->d, f->d.nina, "Afgørelse om friplads", u);
	assert_int_equal(hh_messages_deliver(f->d.st, f->t, NOW, 10, NULL), HH_OK);
	char print[4400];
	snprintf(print, sizeof(print), "%s/print", f->spool);
	struct hh_print_stats ps;
	assert_int_equal(hh_messages_print_batch(f->d.st, print, "2026-12-04",
						 NOW + 100, &ps), HH_OK);
	assert_int_equal(ps.batches, 1);
	assert_int_equal(ps.letters, 2);
	/* two one-page letters: the second starts on page 3 */
	assert_int_equal(ps.pages, 3);
	char cmd[5000];
	snprintf(cmd, sizeof(cmd), "pdfinfo '%s/2026-12-04-901.pdf' | "
		 "sed -n 's/^Pages: *//p'", print);
	char *pages = run_cmd(cmd);
	assert_int_equal(atoi(pages), 3);
	free(pages);
	snprintf(cmd, sizeof(cmd), "pdftotext -layout '%s/2026-12-04-901.pdf' -",
		 print);
	char *text = run_cmd(cmd);
	assert_non_null(strstr(text, "Afgørelse om boligstøtte"));
	assert_non_null(strstr(text, "Afgørelse om friplads"));
	assert_non_null(strstr(text, "Lars Lund"));
	assert_non_null(strstr(text, "Møllevej 3"));
	assert_non_null(strstr(text, "Nina Nørgaard"));
	assert_non_null(strstr(text, "Side 1 af 1"));
	free(text);
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_message_row r = dp_get(&f->d, &a, ml);
	assert_string_equal(r.m.state, "printed");
	assert_string_equal(r.m.print_batch, "2026-12-04");
	assert_string_equal(dp_get(&f->d, &a, mn).m.state, "printed");
	/* again the same day: nothing new, nothing written */
	assert_int_equal(hh_messages_print_batch(f->d.st, print, "2026-12-04",
						 NOW + 200, &ps), HH_OK);
	assert_int_equal(ps.batches, 0);
	assert_int_equal(files_in(print, ".pdf"), 1);
	/* a letter that came since: a second batch with it alone */
	int64_t m3 = dp_letter(&f->d, f->d.lars, "Afgørelse om hjælp", u);
	assert_int_equal(hh_messages_deliver(f->d.st, f->t, NOW, 10, NULL), HH_OK);
	assert_int_equal(hh_messages_print_batch(f->d.st, print, "2026-12-04",
						 NOW + 300, &ps), HH_OK);
	assert_int_equal(ps.letters, 1);
	snprintf(cmd, sizeof(cmd), "pdftotext '%s/2026-12-04-901-2.pdf' -", print);
	text = run_cmd(cmd);
	assert_non_null(strstr(text, "Afgørelse om hjælp"));
	assert_null(strstr(text, "boligstøtte"));
	free(text);
	assert_string_equal(dp_get(&f->d, &a, m3).m.print_batch, "2026-12-04-2");
	/* staff list and fetch them, audited for each citizen in it */
	struct hh_print_batch b;
	const void *pdf;
	size_t len;
	struct hh_actor other = actor_of(f->d.org2, HH_ROLE_CASEWORKER);
	assert_int_equal(hh_print_batch_open(f->d.st, &a, &other, print, 1, &b,
					     &pdf, &len), HH_ERR_NOT_FOUND);
	assert_int_equal(hh_print_batch_open(f->d.st, &a, &caseworker, print, 1,
					     &b, &pdf, &len), HH_OK);
	assert_true(len > 1000 && !memcmp(pdf, "%PDF", 4));
	assert_string_equal(b.file, "2026-12-04-901.pdf");
	struct hh_tx *tx = tu_read_begin(f->d.st);
	int64_t n = 0;
	assert_int_equal(f->d.st->audit_list(tx, &a, f->d.lars, 10,
		(hh_audit_cb)tu_count_row, &n), HH_OK);
	tu_read_end(tx);
	assert_int_equal(n, 1);
	hh_arena_clear(&a);
}

/* ---- exemption at the desk ------------------------------------------------ */

static void the_desk_registers_and_lifts_an_exemption(void **state)
{
	struct fx *f = *state;
	struct hh_actor agent = actor_of(f->d.org, HH_ROLE_AGENT);
	struct hh_actor agent2 = actor_of(f->d.org2, HH_ROLE_AGENT);
	assert_int_equal(hh_citizen_dp_exempt(f->d.st, &agent, f->d.anna, NOW,
					      "Ingen grund"), HH_ERR_INVALID);
	assert_int_equal(hh_citizen_dp_exempt(f->d.st, &agent2, f->d.anna, NOW,
					      hh_dp_exempt_reasons[0]),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_citizen_dp_exempt(f->d.st, &caseworker, f->d.anna,
					      NOW, hh_dp_exempt_reasons[0]),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_citizen_dp_exempt(f->d.st, &agent, f->d.anna, NOW,
					      hh_dp_exempt_reasons[0]), HH_OK);
	char u[HH_UUID_SIZE];
	int64_t id = dp_letter(&f->d, f->d.anna, "Til Anna", u);
	assert_int_equal(hh_messages_deliver(f->d.st, f->t, NOW, 10, NULL), HH_OK);
	struct hh_arena a;
	hh_arena_init(&a);
	assert_string_equal(dp_get(&f->d, &a, id).m.channel, "print");
	struct hh_event *ev;
	assert_int_equal(tu_events(f->d.st, &a, "citizen", f->d.anna, &ev), 1);
	assert_string_equal(ev[0].action, "dp_exempt");
	/* lifted: the next letter goes by Digital Post again */
	assert_int_equal(hh_citizen_dp_exempt(f->d.st, &agent, f->d.anna, 0, NULL),
			 HH_OK);
	int64_t id2 = dp_letter(&f->d, f->d.anna, "Til Anna igen", u);
	assert_int_equal(hh_messages_deliver(f->d.st, f->t, NOW, 10, NULL), HH_OK);
	assert_string_equal(dp_get(&f->d, &a, id2).m.channel, "digital_post");
	hh_arena_clear(&a);
}

static void metrics_count_by_state_and_channel(void **state)
{
	struct fx *f = *state;
	char u[HH_UUID_SIZE];
	dp_letter(&f->d, f->d.anna, "A", u);
	dp_letter(&f->d, f->d.olga, "O", u);
	dp_letter_at(&f->d, f->d.org, f->d.anna, 0, "Senere", NOW + 500, u);
	assert_int_equal(hh_messages_deliver(f->d.st, f->t, NOW, 10, NULL), HH_OK);
	struct hh_buf b;
	hh_buf_init(&b);
	assert_int_equal(hh_messages_metrics(f->d.st, NOW + 600, 1, &b), HH_OK);
	const char *m = hh_buf_str(&b);
	assert_non_null(strstr(m, "helhed_messages{state=\"sent\",channel=\"digital_post\"} 1\n"));
	assert_non_null(strstr(m, "helhed_messages{state=\"error\",channel=\"error\"} 1\n"));
	assert_non_null(strstr(m, "helhed_messages{state=\"queued\",channel=\"none\"} 1\n"));
	assert_non_null(strstr(m, "helhed_messages_oldest_queued_seconds 100\n"));
	assert_non_null(strstr(m, "helhed_spool_writable 1\n"));
	assert_non_null(strstr(m, "helhed_message_deliveries_total "));
	hh_buf_clear(&b);
}

/* ---- faults and the content ---------------------------------------------- */

/* The store fails at each of its calls in turn during a pass; the next
 * pass without faults sends every message once, with one file each. */
static void a_store_fault_anywhere_loses_and_duplicates_nothing(void **state)
{
	struct fx *f = *state;
	char out[4400];
	snprintf(out, sizeof(out), "%s/out", f->spool);
	struct hh_arena a;
	hh_arena_init(&a);
	for (int n = 1; n <= 40; n++) {
		char u[HH_UUID_SIZE];
		int64_t id = dp_letter(&f->d, f->d.anna, "Afgørelse", u);
		hh_store_fault_inject(f->d.st, n, n % 2 ? HH_ERR_IO : HH_ERR_BUSY);
		enum hh_rc rc = hh_messages_deliver(f->d.st, f->t, NOW, 10, NULL);
		hh_store_fault_inject(f->d.st, 0, HH_OK);
		assert_true(rc == HH_OK || rc == HH_ERR_IO || rc == HH_ERR_BUSY);
		assert_int_equal(hh_messages_deliver(f->d.st, f->t, NOW, 10, NULL),
				 HH_OK);
		struct hh_message_row r = dp_get(&f->d, &a, id);
		assert_string_equal(r.m.state, "sent");
		assert_int_equal(files_in(out, ".xml"), n);
		/* one event per change of state, never two */
		assert_int_equal(tu_case_events(f->d.st, &a, f->d.case_id, "message",
						"postman", "after.message_id", u,
						NULL), 1);
	}
	hh_arena_clear(&a);
}

static void the_content_gives_cvr_numbers_and_addresses(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	struct hh_store *st = tu_store(dir, 1);
	char p[4300];
	snprintf(p, sizeof(p), "%s/organisations.json", dir);
	tu_write(p, "[{\"code\":\"901\",\"name\":\"Nordskov Kommune\","
		    "\"kind\":\"municipality\",\"cvr\":\"29180101\"}]");
	snprintf(p, sizeof(p), "%s/citizens.json", dir);
	tu_write(p, "[{\"id\":\"lars\",\"name\":\"Lars Lund\","
		    "\"cpr\":\"020759-9113\",\"municipality\":\"901\","
		    "\"address\":\"Møllevej 3\",\"postcode\":\"4100\","
		    "\"city\":\"Nordskov\",\"dp_exempt_since\":\"2021-03-01\","
		    "\"dp_exempt_reason\":\"Ophold i udlandet\"},"
		    "{\"id\":\"bad\",\"name\":\"Bad\",\"cpr\":\"140386-1236\","
		    "\"address\":\"Vej 1\"}]");
	struct hh_import_stats stats;
	FILE *errs = tmpfile();
	assert_int_equal(hh_content_import(st, dir, 1, errs, NULL, NULL, &stats),
			 HH_ERR_INVALID);
	rewind(errs);
	char line[512] = "";
	assert_non_null(fgets(line, sizeof(line), errs));
	fclose(errs);
	assert_non_null(strstr(line, "citizens.json:1: citizen 2"));
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_tx *tx = tu_read_begin(st);
	struct hh_org o;
	assert_int_equal(st->org_get_by_code(tx, &a, "901", &o), HH_OK);
	const char *cvr = NULL;
	assert_int_equal(st->org_cvr_get(tx, &a, o.id, &cvr), HH_OK);
	assert_string_equal(cvr, "29180101");
	struct hh_citizen z;
	assert_int_equal(st->citizen_get_by_subject(tx, &a, "demo:lars", &z), HH_OK);
	assert_string_equal(z.address, "Møllevej 3");
	assert_string_equal(z.postcode, "4100");
	assert_string_equal(z.city, "Nordskov");
	assert_true(z.dp_exempt_since > 0);
	assert_string_equal(z.dp_exempt_reason, "Ophold i udlandet");
	tu_read_end(tx);
	/* a CVR number of the wrong form makes the file bad */
	snprintf(p, sizeof(p), "%s/organisations.json", dir);
	tu_write(p, "[{\"code\":\"901\",\"name\":\"Nordskov Kommune\","
		    "\"kind\":\"municipality\",\"cvr\":\"2918\"}]");
	errs = tmpfile();
	assert_int_equal(hh_content_import(st, dir, 1, errs, NULL, NULL, &stats),
			 HH_ERR_INVALID);
	rewind(errs);
	assert_non_null(fgets(line, sizeof(line), errs));
	fclose(errs);
	assert_non_null(strstr(line, "organisations.json:1:"));
	hh_arena_clear(&a);
	hh_store_close(st);
	tu_rmdir(dir);
}

/* ---- several instances on one database ---------------------------------- */

/* A transport that counts what it is given, shared by the postmen of
 * several instances (each has its own struct hh_transport, as each
 * instance has its own transport). */
#define CT_MAX 256
struct counted {
	pthread_mutex_t lock;
	int n;                       /* sends, all told */
	int kinds;                   /* distinct UUIDs */
	char uuid[CT_MAX][HH_UUID_SIZE];
	int times[CT_MAX];
};

static int counted_times(struct counted *c, const char *uuid)
{
	for (int i = 0; i < c->kinds; i++)
		if (!strcmp(c->uuid[i], uuid))
			return c->times[i];
	return 0;
}

static enum hh_post_result counted_send(void *cls, const char *uuid,
					const void *memo, size_t len,
					char *reason)
{
	struct counted *c = cls;
	(void)memo;
	(void)len;
	(void)reason;
	pthread_mutex_lock(&c->lock);
	int i = 0;
	while (i < c->kinds && strcmp(c->uuid[i], uuid))
		i++;
	if (i == c->kinds && c->kinds < CT_MAX) {
		snprintf(c->uuid[i], HH_UUID_SIZE, "%s", uuid);
		c->times[c->kinds++] = 0;
	}
	if (i < CT_MAX)
		c->times[i]++;
	c->n++;
	pthread_mutex_unlock(&c->lock);
	/* as a real transport, it takes a moment (no timing is asserted:
	 * this only lets the postmen's passes overlap) */
	usleep(200);
	return HH_POST_OK;
}

static enum hh_rc counted_receipts(void *cls, hh_post_receipt_cb cb, void *ctx)
{
	(void)cls, (void)cb, (void)ctx;
	return HH_OK;
}

static enum hh_rc counted_receipt_done(void *cls, const char *uuid)
{
	(void)cls, (void)uuid;
	return HH_OK;
}

static int counted_ready(void *cls, char *reason)
{
	(void)cls, (void)reason;
	return 1;
}

static void counted_free(void *cls)
{
	(void)cls;
}

static struct hh_transport counted_transport(struct counted *c)
{
	return (struct hh_transport){ .cls = c, .name = "counted",
				      .send = counted_send,
				      .receipts = counted_receipts,
				      .receipt_done = counted_receipt_done,
				      .ready = counted_ready,
				      .free = counted_free };
}

/* One instance's postman: passes at now until one finds nothing to do. */
struct postman_run {
	struct hh_store *st;
	struct hh_transport t;
	pthread_barrier_t *start;
	int64_t now;
	int passes, sent, errors;
	int busy; /* passes whose claim ran out of retries (BUSY) */
	/* the print batch instead */
	const char *print_dir;
	struct hh_print_stats ps;
	enum hh_rc print_rc;
};

static void *postman_thread(void *p)
{
	struct postman_run *r = p;
	pthread_barrier_wait(r->start);
	for (;;) {
		struct hh_deliver_stats s;
		enum hh_rc rc = hh_messages_deliver(r->st, &r->t, r->now, 10, &s);
		r->passes++;
		if (rc == HH_ERR_BUSY) {
			r->busy++;
			continue; /* the postman tries again at its next pass */
		}
		if (rc != HH_OK) {
			r->errors++;
			break;
		}
		r->sent += s.sent;
		if (s.sent + s.to_print + s.errors + s.retried + s.failed +
			    s.stale == 0)
			break;
	}
	return NULL;
}

/* A transport whose send stands for a pass that lost its claim while
 * sending (a pause past its lease): another pass claims the message
 * meanwhile, moving its next attempt to that pass's own lease. */
struct takeover {
	const char *dir;
	int64_t other_lease;
};

static enum hh_post_result takeover_send(void *cls, const char *uuid,
					 const void *memo, size_t len,
					 char *reason)
{
	struct takeover *k = cls;
	(void)memo, (void)len, (void)reason;
	char sql[200];
	snprintf(sql, sizeof(sql),
		 "UPDATE messages SET next_attempt_at = %lld "
		 "WHERE message_id = '%s'",
		 (long long)k->other_lease, uuid);
	free(tu_sql(k->dir, sql, 0, NULL));
	return HH_POST_OK;
}

/* Review of pg-claim: a pass records what it sent only while the message
 * is still its claim; one taken over by another pass is left to that
 * pass (counted stale), not written over as sent. */
static void a_pass_that_lost_its_claim_writes_nothing(void **state)
{
	struct fx *f = *state;
	char uuid[HH_UUID_SIZE];
	dp_letter(&f->d, f->d.anna, "Afgørelse", uuid);
	struct takeover k = { f->d.dir, NOW + 10 * HH_MSG_LEASE };
	struct counted c = { .lock = PTHREAD_MUTEX_INITIALIZER };
	struct hh_transport t = counted_transport(&c);
	t.cls = &k;
	t.send = takeover_send;
	struct hh_deliver_stats s;
	assert_int_equal(hh_messages_deliver(f->d.st, &t, NOW, 10, &s), HH_OK);
	assert_int_equal(s.sent, 1); /* handed over, as far as it knows */
	assert_int_equal(s.stale, 1);
	char sql[200];
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM messages WHERE message_id = '%s' "
		 "AND state = 'queued' AND next_attempt_at = %lld",
		 uuid, (long long)k.other_lease);
	assert_int_equal(tu_sql_int(f->d.dir, sql, 0, NULL), 1);
}

/* Two instances (two stores on one database), each with its postman,
 * run at once over 200 due messages: each message is handed to the
 * transport once, and all of them end sent. */
static void two_instances_send_each_message_once(void **state)
{
	struct fx *f = *state;
	enum { N = 200 };
	char uuids[N][HH_UUID_SIZE];
	for (int i = 0; i < N; i++)
		dp_letter(&f->d, f->d.anna, "Afgørelse", uuids[i]);
	struct hh_store *st2 = tu_store(f->d.dir, 2);
	struct counted c = { .lock = PTHREAD_MUTEX_INITIALIZER };
	pthread_barrier_t start;
	pthread_barrier_init(&start, NULL, 2);
	struct postman_run r[2] = {
		{ .st = f->d.st, .t = counted_transport(&c), .start = &start,
		  .now = NOW },
		{ .st = st2, .t = counted_transport(&c), .start = &start,
		  .now = NOW },
	};
	pthread_t th[2];
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&th[i], NULL, postman_thread,
						&r[i]), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&start);
	hh_store_close(st2);
	print_message("postmen: %d and %d sent, %d and %d passes, %d and %d "
		      "of them busy\n", r[0].sent, r[1].sent, r[0].passes,
		      r[1].passes, r[0].busy, r[1].busy);
	assert_int_equal(r[0].errors + r[1].errors, 0);
	for (int i = 0; i < N; i++)
		assert_int_equal(counted_times(&c, uuids[i]), 1);
	assert_int_equal(c.n, N);
	assert_int_equal(r[0].sent + r[1].sent, N);
	assert_int_equal(tu_sql_int(f->d.dir, "SELECT count(*) FROM messages "
				    "WHERE state = 'sent'", 0, NULL), N);
}

/* ---- pg-skip: a pass does not fail a letter send ------------------------ */

/* What a letter send writes (flow_write_tx in domain/letters.c): the
 * letter, sent, with its message queued, and the case's event. */
struct a_send {
	struct dp_fx *d;
	char uuid[HH_UUID_SIZE];
};

/* The send's writes, in tx, to letter l as read in tx. */
static enum hh_rc send_writes(struct hh_tx *tx, const struct a_send *s,
			      struct hh_letter *l)
{
	struct hh_store *st = tx->store;
	int64_t expected = l->version;
	l->state = "sent";
	l->sent_at = NOW;
	l->pdf = (const unsigned char *)s->d->pdf.data;
	l->pdf_len = s->d->pdf.len;
	l->message_id = s->uuid;
	enum hh_rc rc = st->letter_update(tx, l, expected);
	if (rc != HH_OK)
		return rc;
	struct hh_message m = { .message_id = s->uuid, .letter_id = l->id,
				.org_id = s->d->org, .citizen_id = s->d->anna,
				.state = "queued", .next_attempt_at = NOW };
	rc = st->message_insert(tx, &m);
	if (rc != HH_OK)
		return rc;
	struct hh_event e = { .actor = "user:1", .org_id = s->d->org,
			      .entity = "case", .entity_id = s->d->case_id,
			      .action = "letter_sent",
			      .after = "{\"summary\":\"Brev sendt til borgeren\"}" };
	return st->event_append(tx, &e);
}

static enum hh_rc draft_tx(struct hh_tx *tx, void *p)
{
	struct hh_letter *l = p;
	return tx->store->letter_insert(tx, l);
}

/* On PostgreSQL, step by step: a letter send (a SERIALIZABLE write
 * transaction) has read its letter when a caseworker on another
 * instance saves a draft (a new row beside the letter the send read:
 * the send read before the draft's write, a dependency) and a third
 * instance's postman runs a pass; then the send writes its letter and
 * its message and commits. PostgreSQL fails a transaction between two
 * such dependencies. With the claim a SERIALIZABLE read of the due
 * messages (before pg-skip) the pass read where the send's message
 * goes, the second dependency, and the send failed (BUSY) every time;
 * the claim at READ COMMITTED reads nothing under predicate locks. The
 * same steps without the pass show that nothing else fails the send.
 * Nothing is due at the pass: a pass that sends a message still reads
 * its letter in SERIALIZABLE transactions (the route, the record),
 * and those can fail a send the same way (docs/postgres.md). */
static void a_claim_while_a_letter_is_sent_does_not_fail_the_send(void **state)
{
	struct fx *f = *state;
	if (!tu_on_pg()) {
		print_message("PostgreSQL only: SQLite has one writer at a "
			      "time and takes no predicate locks\n");
		skip();
	}
	struct hh_store *drafter = tu_store(f->d.dir, 1);
	struct hh_store *postman = tu_store(f->d.dir, 1);
	struct counted c = { .lock = PTHREAD_MUTEX_INITIALIZER };
	struct hh_transport t = counted_transport(&c);
	struct hh_arena a;
	hh_arena_init(&a);
	/* the round with the pass first: after it, the first send's
	 * message is due, and a pass then would send it */
	for (int with_pass = 1; with_pass >= 0; with_pass--) {
		struct hh_letter draft = {
			.org_id = f->d.org, .case_id = f->d.case_id,
			.citizen_id = f->d.anna, .kind = "granted",
			.template_code = "t", .state = "draft",
			.title = "Afgørelse", .body = "Tekst.",
			.author_id = f->d.user, .created_at = NOW };
		struct hh_letter mine = draft, other = draft;
		assert_int_equal(hh_store_run_tx(f->d.st, 1, draft_tx, &mine),
				 HH_OK);
		struct a_send s = { .d = &f->d };
		hh_uuid4(s.uuid);
		struct hh_tx *tx = NULL;
		assert_int_equal(f->d.st->tx_begin(f->d.st->cls, 1, &tx), HH_OK);
		struct hh_letter l;
		assert_int_equal(f->d.st->letter_get(tx, &a, mine.id, &l), HH_OK);
		assert_int_equal(hh_store_run_tx(drafter, 1, draft_tx, &other),
				 HH_OK);
		if (with_pass) {
			struct hh_deliver_stats ds;
			assert_int_equal(hh_messages_deliver(postman, &t, NOW, 10,
							     &ds),
					 HH_OK);
			assert_int_equal(ds.sent, 0);
		}
		enum hh_rc rc = send_writes(tx, &s, &l);
		if (rc == HH_OK)
			rc = f->d.st->tx_commit(tx);
		else
			f->d.st->tx_rollback(tx);
		print_message("%s a pass: the send %s\n",
			      with_pass ? "with" : "without", hh_rc_name(rc));
		assert_int_equal(rc, HH_OK);
	}
	/* the next pass sends both messages */
	struct hh_deliver_stats ds;
	assert_int_equal(hh_messages_deliver(postman, &t, NOW, 10, &ds), HH_OK);
	assert_int_equal(ds.sent, 2);
	hh_arena_clear(&a);
	hh_store_close(drafter);
	hh_store_close(postman);
}

static void *print_thread(void *p)
{
	struct postman_run *r = p;
	pthread_barrier_wait(r->start);
	r->print_rc = hh_messages_print_batch(r->st, r->print_dir, "2026-12-04",
					      r->now, &r->ps);
	return NULL;
}

/* How many times each of the n letters "Brev nr. NNN" is in the PDFs of
 * dir (added to times[]). */
static void count_printed(const char *dir, int n, int *times)
{
	DIR *d = opendir(dir);
	if (!d)
		return; /* nothing printed here */
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (e->d_name[0] == '.' || l < 5 || strcmp(e->d_name + l - 4, ".pdf"))
			continue;
		char cmd[5000];
		snprintf(cmd, sizeof(cmd), "pdftotext '%s/%s' -", dir, e->d_name);
		char *text = run_cmd(cmd);
		for (int i = 0; i < n; i++) {
			char title[32];
			snprintf(title, sizeof(title), "Brev nr. %03d", i);
			for (const char *p = text; (p = strstr(p, title)); p++)
				times[i]++;
		}
		free(text);
	}
	closedir(d);
}

/* Two instances run the day's print batch at once, each into its own
 * print folder: each letter is in exactly one PDF, and all are printed. */
static void two_print_batches_print_each_letter_once(void **state)
{
	struct fx *f = *state;
	enum { N = 40 };
	for (int i = 0; i < N; i++) {
		char u[HH_UUID_SIZE], title[32];
		snprintf(title, sizeof(title), "Brev nr. %03d", i);
		dp_letter(&f->d, f->d.lars, title, u);
	}
	struct hh_deliver_stats s;
	assert_int_equal(hh_messages_deliver(f->d.st, f->t, NOW, 100, &s), HH_OK);
	assert_int_equal(s.to_print, N);
	struct hh_store *st2 = tu_store(f->d.dir, 2);
	char p1[4400], p2[4400];
	snprintf(p1, sizeof(p1), "%s/print", f->spool);
	snprintf(p2, sizeof(p2), "%s/print2", f->d.dir);
	assert_int_equal(mkdir(p2, 0750), 0);
	pthread_barrier_t start;
	pthread_barrier_init(&start, NULL, 2);
	struct postman_run r[2] = {
		{ .st = f->d.st, .start = &start, .now = NOW + 100,
		  .print_dir = p1 },
		{ .st = st2, .start = &start, .now = NOW + 100, .print_dir = p2 },
	};
	pthread_t th[2];
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&th[i], NULL, print_thread,
						&r[i]), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&start);
	hh_store_close(st2);
	print_message("print batches: %d and %d letters\n", r[0].ps.letters,
		      r[1].ps.letters);
	assert_int_equal(r[0].print_rc, HH_OK);
	assert_int_equal(r[1].print_rc, HH_OK);
	int times[N] = { 0 };
	count_printed(p1, N, times);
	count_printed(p2, N, times);
	for (int i = 0; i < N; i++)
		assert_int_equal(times[i], 1);
	assert_int_equal(r[0].ps.letters + r[1].ps.letters, N);
	assert_int_equal(tu_sql_int(f->d.dir, "SELECT count(*) FROM messages "
				    "WHERE state = 'printed'", 0, NULL), N);
	assert_int_equal(tu_sql_int(f->d.dir, "SELECT sum(letters) FROM "
				    "print_batches", 0, NULL), N);
}

/* The transport of a postman that dies: it takes the message (notes its
 * UUID in the file cls) and the process ends before anything is
 * recorded. */
static enum hh_post_result dying_send(void *cls, const char *uuid,
				      const void *memo, size_t len,
				      char *reason)
{
	(void)memo, (void)len, (void)reason;
	tu_write(cls, uuid);
	_exit(0);
}

/* A postman claims a message, hands it to the transport and dies before
 * recording it: no other postman sends it while the claim lasts; after
 * HH_MSG_LEASE it is sent again, with the same UUID. */
static void a_message_whose_postman_died_is_sent_after_the_lease(void **state)
{
	struct fx *f = *state;
	char u[HH_UUID_SIZE];
	int64_t id = dp_letter(&f->d, f->d.anna, "Afgørelse", u);
	char died[4400];
	snprintf(died, sizeof(died), "%s/died", f->d.dir);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* the other instance: its own store, its own connections */
		struct hh_store *st;
		char addr[4200];
		tu_store_address(f->d.dir, addr, sizeof(addr));
		if (hh_store_open(addr, 1, &st) != HH_OK)
			_exit(2);
		struct counted c = { .lock = PTHREAD_MUTEX_INITIALIZER };
		struct hh_transport t = counted_transport(&c);
		t.cls = died;
		t.send = dying_send;
		hh_messages_deliver(st, &t, NOW, 10, NULL);
		_exit(3); /* not reached: the send ends the process */
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	char *sent = tu_read(died);
	assert_non_null(sent);
	assert_string_equal(sent, u);
	free(sent);

	struct counted c = { .lock = PTHREAD_MUTEX_INITIALIZER };
	struct hh_transport t = counted_transport(&c);
	struct hh_deliver_stats s;
	/* claimed by the dead postman: not sent again while it lasts */
	assert_int_equal(hh_messages_deliver(f->d.st, &t, NOW + 1, 10, &s), HH_OK);
	assert_int_equal(c.n, 0);
	assert_int_equal(hh_messages_deliver(f->d.st, &t,
					     NOW + HH_MSG_LEASE - 1, 10, &s),
			 HH_OK);
	assert_int_equal(c.n, 0);
	struct hh_arena a;
	hh_arena_init(&a);
	assert_string_equal(dp_get(&f->d, &a, id).m.state, "queued");
	/* the claim has run out: sent again, the same UUID */
	assert_int_equal(hh_messages_deliver(f->d.st, &t, NOW + HH_MSG_LEASE,
					     10, &s), HH_OK);
	assert_int_equal(s.sent, 1);
	assert_int_equal(c.n, 1);
	assert_int_equal(counted_times(&c, u), 1);
	struct hh_message_row r = dp_get(&f->d, &a, id);
	assert_string_equal(r.m.state, "sent");
	assert_int_equal(r.m.sent_at, NOW + HH_MSG_LEASE);
	hh_arena_clear(&a);
}

/* A print run that died after claiming its letters (the rows as it
 * leaves them): another run skips them while the claim lasts, and the
 * postman's retry (hh_messages_print_batch_held) prints them once it
 * has run out; none is lost. */
static void letters_of_a_print_run_that_died_are_printed_after_the_lease(void **state)
{
	struct fx *f = *state;
	char u[HH_UUID_SIZE];
	int64_t ml = dp_letter(&f->d, f->d.lars, "Afgørelse om boligstøtte", u);
	assert_int_equal(hh_messages_deliver(f->d.st, f->t, NOW, 10, NULL), HH_OK);
	char sql[200];
	snprintf(sql, sizeof(sql), "UPDATE messages SET next_attempt_at = %lld "
		 "WHERE id = %lld", (long long)(NOW + 50 + HH_PRINT_LEASE),
		 (long long)ml);
	free(tu_sql(f->d.dir, sql, 0, NULL));
	char print[4400];
	snprintf(print, sizeof(print), "%s/print", f->spool);
	struct hh_print_stats ps;
	assert_int_equal(hh_messages_print_batch(f->d.st, print, "2026-12-04",
						 NOW + 100, &ps), HH_OK);
	assert_int_equal(ps.letters, 0);
	assert_int_equal(ps.busy, 1);
	struct hh_arena a;
	hh_arena_init(&a);
	assert_string_equal(dp_get(&f->d, &a, ml).m.state, "queued");
	/* the postman tries the held organisations again each pass */
	assert_int_equal(hh_messages_print_batch_held(f->d.st, print, "2026-12-04",
						      NOW + 49 + HH_PRINT_LEASE,
						      &ps), HH_OK);
	assert_int_equal(ps.letters, 0);
	assert_int_equal(ps.busy, 1);
	assert_int_equal(hh_messages_print_batch_held(f->d.st, print, "2026-12-04",
						      NOW + 50 + HH_PRINT_LEASE,
						      &ps), HH_OK);
	assert_int_equal(ps.letters, 1);
	assert_int_equal(ps.busy, 0);
	struct hh_message_row r = dp_get(&f->d, &a, ml);
	assert_string_equal(r.m.state, "printed");
	assert_string_equal(r.m.print_batch, "2026-12-04");
	assert_int_equal(files_in(print, ".pdf"), 1);
	/* that retry leaves an organisation printed today alone: a letter
	 * that came since waits for a whole run */
	int64_t mn = dp_letter(&f->d, f->d.nina, "Afgørelse om friplads", u);
	assert_int_equal(hh_messages_deliver(f->d.st, f->t, NOW, 10, NULL), HH_OK);
	assert_int_equal(hh_messages_print_batch_held(f->d.st, print, "2026-12-04",
						      NOW + 60 + HH_PRINT_LEASE,
						      &ps), HH_OK);
	assert_int_equal(ps.letters + ps.busy, 0);
	assert_string_equal(dp_get(&f->d, &a, mn).m.state, "queued");
	assert_int_equal(hh_messages_print_batch(f->d.st, print, "2026-12-04",
						 NOW + 60 + HH_PRINT_LEASE, &ps),
			 HH_OK);
	assert_int_equal(ps.letters, 1);
	assert_string_equal(dp_get(&f->d, &a, mn).m.print_batch, "2026-12-04-2");
	hh_arena_clear(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(each_citizen_takes_its_route, setup, teardown),
		cmocka_unit_test_setup_teardown(a_resend_after_a_crash_writes_no_second_file, setup, teardown),
		cmocka_unit_test(backoff_doubles_to_an_hour),
		cmocka_unit_test_setup_teardown(a_locked_spool_keeps_it_queued_then_gives_up, setup, teardown),
		cmocka_unit_test_setup_teardown(receipts_move_sent_messages_on, setup, teardown),
		cmocka_unit_test_setup_teardown(the_error_queue_sends_again_or_to_print, setup, teardown),
		cmocka_unit_test_setup_teardown(the_print_batch_prints_each_letter_once, setup, teardown),
		cmocka_unit_test_setup_teardown(the_desk_registers_and_lifts_an_exemption, setup, teardown),
		cmocka_unit_test_setup_teardown(metrics_count_by_state_and_channel, setup, teardown),
		cmocka_unit_test_setup_teardown(a_store_fault_anywhere_loses_and_duplicates_nothing, setup, teardown),
		cmocka_unit_test(the_content_gives_cvr_numbers_and_addresses),
		cmocka_unit_test_setup_teardown(a_pass_that_lost_its_claim_writes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(two_instances_send_each_message_once, setup, teardown),
		cmocka_unit_test_setup_teardown(a_claim_while_a_letter_is_sent_does_not_fail_the_send, setup, teardown),
		cmocka_unit_test_setup_teardown(two_print_batches_print_each_letter_once, setup, teardown),
		cmocka_unit_test_setup_teardown(a_message_whose_postman_died_is_sent_after_the_lease, setup, teardown),
		cmocka_unit_test_setup_teardown(letters_of_a_print_run_that_died_are_printed_after_the_lease, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
