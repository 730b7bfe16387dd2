/* inbox_fixture.h - what the inbox tests share (tests/domain/test_inbox.c,
 * tests/api/test_inbox.c): a small content folder (two municipalities,
 * a demo caseworker in each, citizens anna in 901 and bo in 902, the
 * demo's case type boernetilskud-revurdering), the demo letters made by
 * hh_demo_letters (real PDFs), and letters the inbox must treat
 * differently, written through the store's test door
 * (inbox_letter_insert):
 *
 *   anna's letters        state              case              reply
 *   decision  (demo)      sent, read         closed            inquiry
 *   request   (demo)      sent, unread       awaiting anna     answer
 *   notice                sent, unread       none              none
 *   hearing               sent, unread       open, in progress case event
 *   draft                 draft              open              -
 *   pending               awaiting_approval  open              -
 * and bo's decision and request (demo). */
#ifndef HH_TEST_INBOX_FIXTURE_H
#define HH_TEST_INBOX_FIXTURE_H

#include "testutil.h"

#include "domain/cases.h"
#include "domain/demoletters.h"
#include "domain/inbox.h"

#define FX_CITIZEN(id)                                                       \
	(&(struct hh_actor){ .label = "citizen", .roles = HH_ROLE_CITIZEN,  \
			     .citizen_id = (id), .loa = HH_LOA_SUBSTANTIAL })

static const char *const fx_orgs_json =
	"[{\"code\":\"901\",\"name\":\"Nordskov Kommune\",\"kind\":\"municipality\"},"
	" {\"code\":\"902\",\"name\":\"Åstrup Kommune\",\"kind\":\"municipality\"}]";

static const char *const fx_users_json =
	"[{\"email\":\"sagsbehandler@nordskov.test\",\"name\":\"Niels Nordskov\","
	"  \"organisation\":\"901\",\"roles\":[\"caseworker\"],"
	"  \"password\":\"password-1\"},"
	" {\"email\":\"sagsbehandler@aastrup.test\",\"name\":\"Åse Åstrup\","
	"  \"organisation\":\"902\",\"roles\":[\"caseworker\"],"
	"  \"password\":\"password-1\"}]";

static const char *const fx_citizens_json =
	"[{\"id\":\"anna\",\"name\":\"Anna Andersen\",\"cpr\":\"070761-4285\","
	"  \"municipality\":\"901\"},"
	" {\"id\":\"bo\",\"name\":\"Bo Berg\",\"cpr\":\"010190-1234\","
	"  \"municipality\":\"902\"}]";

/* The ids the tests use. */
struct fx_inbox {
	int64_t anna, bo;           /* citizens */
	int64_t cw901, org901;      /* anna's municipality's caseworker */
	int64_t decision, request, notice, hearing, draft, pending; /* anna's */
	int64_t bo_request;         /* bo's */
	int64_t waiting_case, closed_case, open_case;
	int64_t now;
};

static inline void fx_put(const char *dir, const char *rel, const char *text)
{
	char p[9000];
	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	tu_write(p, text);
}

static inline int64_t fx_int(const char *dir, const char *sql)
{
	return tu_sql_int(dir, sql, 0, NULL); /* either backend */
}

static inline int64_t fx_intf(const char *dir, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline int64_t fx_intf(const char *dir, const char *fmt, ...)
{
	char sql[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	return fx_int(dir, sql);
}

struct fx_letter_ctx {
	struct hh_letter l;
};

static enum hh_rc fx_letter_tx(struct hh_tx *tx, void *p)
{
	struct fx_letter_ctx *c = p;
	return tx->store->inbox_letter_insert(tx, &c->l);
}

/* A letter of anna's through the store's test door, with a small PDF. */
static int64_t fx_letter(struct hh_store *st, const struct fx_inbox *f,
			 const char *state, const char *kind, const char *title,
			 int64_t case_id, int reply_allowed, int64_t sent_ago)
{
	static const char pdf[] = "%PDF-1.4\n% a stand-in for the letter\n%%EOF\n";
	int sent = !strcmp(state, "sent");
	struct fx_letter_ctx c = {
		{ .org_id = f->org901, .case_id = case_id, .citizen_id = f->anna,
		  .kind = kind, .template_code = "test", .state = state,
		  .title = title, .body = "Kære Anna.\n\nDette er et brev.",
		  .reply_allowed = reply_allowed, .author_id = f->cw901,
		  .created_at = f->now - sent_ago - 60,
		  .sent_at = sent ? f->now - sent_ago : 0,
		  .pdf = sent ? (const unsigned char *)pdf : NULL,
		  .pdf_len = sent ? sizeof(pdf) - 1 : 0 } };
	assert_int_equal(hh_store_run_tx(st, 1, fx_letter_tx, &c), HH_OK);
	return c.l.id;
}

/* Imports the content into st (in dir/content) and makes the letters. */
static void fx_inbox_setup(struct hh_store *st, const char *dir,
			   struct fx_inbox *f)
{
	memset(f, 0, sizeof(*f));
	char content[4200], cmd[20000];
	snprintf(content, sizeof(content), "%s/content", dir);
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p '%s/case-types' '%s/letter-templates' && "
		 "cp content/case-types/boernetilskud-revurdering.json "
		 "'%s/case-types/' && cp content/letter-templates/"
		 "boernetilskud-revurdering.json '%s/letter-templates/'",
		 content, content, content, content);
	assert_int_equal(system(cmd), 0);
	fx_put(content, "organisations.json", fx_orgs_json);
	fx_put(content, "users.json", fx_users_json);
	fx_put(content, "citizens.json", fx_citizens_json);
	struct hh_import_stats stats;
	assert_int_equal(hh_content_import(st, content, 1, stderr, NULL, NULL, &stats),
			 HH_OK);
	assert_int_equal(stats.citizens, 2);
	f->now = hh_now_us() / 1000000;
	int made = 0;
	assert_int_equal(hh_demo_inbox_letters(st, f->now, stderr, &made), HH_OK);
	assert_int_equal(made, 4);
	/* a second call makes nothing */
	assert_int_equal(hh_demo_inbox_letters(st, f->now, stderr, &made), HH_OK);
	assert_int_equal(made, 0);

	/* the demo sends both letters now: age them as a real inbox would
	 * have them, the decision three days ago (and read two days ago),
	 * the request yesterday */
	{
		char sql[400];
		snprintf(sql, sizeof(sql),
			 "UPDATE letters SET sent_at = %lld, read_at = %lld "
			 "WHERE kind = 'closing'; UPDATE letters SET sent_at = %lld "
			 "WHERE kind = 'request';",
			 (long long)(f->now - 3 * 86400), (long long)(f->now - 2 * 86400),
			 (long long)(f->now - 86400));
		free(tu_sql(dir, sql, 0, NULL));
	}
	f->anna = fx_int(dir, "SELECT id FROM citizens WHERE subject = 'demo:anna'");
	f->bo = fx_int(dir, "SELECT id FROM citizens WHERE subject = 'demo:bo'");
	f->org901 = fx_int(dir, "SELECT id FROM organisations WHERE code = '901'");
	f->cw901 = fx_int(dir, "SELECT id FROM users WHERE email = "
			       "'sagsbehandler@nordskov.test'");
	f->decision = fx_intf(dir, "SELECT id FROM letters WHERE citizen_id = %lld "
				   "AND kind = 'closing'", (long long)f->anna);
	f->request = fx_intf(dir, "SELECT id FROM letters WHERE citizen_id = %lld "
				  "AND kind = 'request'", (long long)f->anna);
	f->bo_request = fx_intf(dir, "SELECT id FROM letters WHERE citizen_id = %lld "
				     "AND kind = 'request'", (long long)f->bo);
	f->waiting_case = fx_intf(dir, "SELECT case_id FROM letters WHERE id = %lld",
				  (long long)f->request);
	f->closed_case = fx_intf(dir, "SELECT case_id FROM letters WHERE id = %lld",
				 (long long)f->decision);
	assert_true(f->anna > 0 && f->bo > 0 && f->decision > 0 && f->request > 0);

	/* an open case in progress, for the hearing, the draft and the
	 * pending letter */
	struct hh_actor cw = { .label = "user:cw", .org_id = f->org901,
			       .org_is_municipality = 1,
			       .roles = HH_ROLE_CASEWORKER, .user_id = f->cw901 };
	json_t *values = json_object();
	struct hh_submission sub = { .case_type = "boernetilskud-revurdering",
				     .citizen_id = f->anna,
				     .municipality_id = f->org901,
				     .values = values, .actor = "test" };
	struct hh_form_result res;
	memset(&res, 0, sizeof(res));
	struct hh_case k;
	int replayed;
	const char *why;
	struct hh_arena a;
	hh_arena_init(&a);
	assert_int_equal(hh_case_submit(st, &a, &sub, &res, &k, &replayed, &why, NULL),
			 HH_OK);
	json_decref(res.values);
	json_decref(values);
	assert_int_equal(hh_case_transition(st, &a, &cw, k.id, "in_progress", k.version,
					    NULL, &k, NULL),
			 HH_OK);
	hh_arena_clear(&a);
	f->open_case = k.id;

	f->notice = fx_letter(st, f, "sent", "closing", "Orientering om dine data", 0,
			      0, 7200);
	f->hearing = fx_letter(st, f, "sent", "hearing", "Partshøring om din sag",
			       f->open_case, 1, 3600);
	f->draft = fx_letter(st, f, "draft", "granted", "Kladde: afgørelse",
			     f->open_case, 1, 0);
	f->pending = fx_letter(st, f, "awaiting_approval", "refused",
			       "Afgørelse, der venter på godkendelse", f->open_case, 1, 0);
}

/* A small valid PDF as a file field takes it (base64 of "%PDF-1.4 ..."). */
static inline json_t *fx_pdf_file(const char *name)
{
	static const char pdf[] = "%PDF-1.4\nbilag\n%%EOF\n";
	char b64[128];
	sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)pdf, sizeof(pdf) - 1,
			  sodium_base64_VARIANT_ORIGINAL);
	return json_pack("{s:s, s:s, s:s}", "name", name, "content_type",
			 "application/pdf", "data", b64);
}

#endif
