/* test_inbox.c - the citizen's inbox over HTTP: /api/v1/me/letters and
 * the pages under /mit-overblik/post, against a real server. Each case
 * states the status it expects. */
#include <sodium.h>
#include <sqlite3.h>

#include "../domain/inbox_fixture.h"

enum { ANNA, BO, CW, N_WHO, ANON = -1 };

struct ctx {
	struct tu_server s;
	struct fx_inbox f;
	char cookie[N_WHO][160];
	char csrf[N_WHO][64];
};

static struct tu_resp call(struct ctx *c, int who, const char *method,
			   const char *path, const char *body,
			   const char *const *extra)
{
	return tu_call(c->s.base, who >= 0 ? c->cookie[who] : NULL,
		       who >= 0 ? c->csrf[who] : NULL, method, path, body, extra);
}

static void expect_status(const struct tu_resp *r, long status)
{
	if (r->status != status)
		fprintf(stderr, "expected %ld, got %ld: %.400s\n", status, r->status,
			r->body ? r->body : "");
	assert_int_equal(r->status, status);
}

static void citizen_login(struct ctx *c, int who, const char *subject)
{
	char body[128], setc[256];
	snprintf(body, sizeof(body), "{\"subject\":\"%s\"}", subject);
	struct tu_resp r = call(c, ANON, "POST", "/api/v1/citizen/session", body, NULL);
	expect_status(&r, 201);
	assert_true(tu_header(&r, "Set-Cookie", setc, sizeof(setc)));
	snprintf(c->cookie[who], sizeof(c->cookie[who]), "%.*s",
		 (int)strcspn(setc, ";"), setc);
	snprintf(c->csrf[who], sizeof(c->csrf[who]), "%s",
		 json_string_value(json_object_get(r.json, "csrf_token")));
	tu_resp_free(&r);
}

static int setup(void **state)
{
	struct ctx *c = hh_xcalloc(1, sizeof(*c));
	tu_server_start(&c->s, 0);
	fx_inbox_setup(c->s.store, c->s.dir, &c->f);
	c->s.app.demo = 1; /* the demo sign-in for citizens */
	citizen_login(c, ANNA, "demo:anna");
	citizen_login(c, BO, "demo:bo");
	tu_login(&c->s, "sagsbehandler@nordskov.test", c->cookie[CW], sizeof(c->cookie[CW]),
		 c->csrf[CW], sizeof(c->csrf[CW]));
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;
	tu_server_stop(&c->s);
	free(c);
	return 0;
}

static int64_t q(struct ctx *c, const char *fmt, long long a)
{
	char sql[600];
	snprintf(sql, sizeof(sql), fmt, a);
	return fx_int(c->s.dir, sql);
}

static const char *path_of(const char *fmt, long long id)
{
	static char p[8][128];
	static int i;
	i = (i + 1) % 8;
	snprintf(p[i], sizeof(p[i]), fmt, id);
	return p[i];
}

static void list_with_unread_count(void **state)
{
	struct ctx *c = *state;
	struct tu_resp r = call(c, ANNA, "GET", "/api/v1/me/letters", NULL, NULL);
	expect_status(&r, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 4);
	assert_int_equal(json_integer_value(json_object_get(r.json, "unread")), 3);
	json_t *items = json_object_get(r.json, "items");
	assert_int_equal(json_array_size(items), 4);
	json_t *first = json_array_get(items, 0);
	assert_int_equal(json_integer_value(json_object_get(first, "id")), c->f.hearing);
	assert_true(json_is_false(json_object_get(first, "read")));
	assert_string_equal(json_string_value(json_object_get(first, "organisation")),
			    "Nordskov Kommune");
	assert_null(json_object_get(first, "html")); /* lists carry no text */
	json_t *last = json_array_get(items, 3);
	assert_int_equal(json_integer_value(json_object_get(last, "id")), c->f.decision);
	assert_true(json_is_true(json_object_get(last, "read")));
	char cc[64];
	assert_true(tu_header(&r, "Cache-Control", cc, sizeof(cc)));
	assert_string_equal(cc, "private, no-store");
	tu_resp_free(&r);

	r = call(c, ANNA, "GET", "/api/v1/me/letters?limit=1&offset=1", NULL, NULL);
	expect_status(&r, 200);
	items = json_object_get(r.json, "items");
	assert_int_equal(json_array_size(items), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "id")),
			 c->f.notice);
	tu_resp_free(&r);
	r = call(c, ANNA, "GET", "/api/v1/me/letters?limit=0", NULL, NULL);
	tu_expect_problem(&r, 400, "invalid-parameter", "limit");
	tu_resp_free(&r);

	/* staff and anonymous callers have no inbox */
	r = call(c, CW, "GET", "/api/v1/me/letters", NULL, NULL);
	tu_expect_problem(&r, 403, "forbidden", NULL);
	tu_resp_free(&r);
	r = call(c, ANON, "GET", "/api/v1/me/letters", NULL, NULL);
	tu_expect_problem(&r, 401, "citizen-required", NULL);
	tu_resp_free(&r);
}

static void another_citizens_letter_is_404(void **state)
{
	struct ctx *c = *state;
	const int64_t ids[] = { c->f.bo_request, c->f.draft, c->f.pending, 424242 };
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		struct tu_resp r = call(c, ANNA, "GET", path_of("/api/v1/me/letters/%lld",
								(long long)ids[i]),
					NULL, NULL);
		tu_expect_problem(&r, 404, "not-found", NULL);
		tu_resp_free(&r);
		r = call(c, ANNA, "GET", path_of("/api/v1/me/letters/%lld/pdf",
						 (long long)ids[i]),
			 NULL, NULL);
		tu_expect_problem(&r, 404, "not-found", NULL);
		tu_resp_free(&r);
		r = call(c, ANNA, "POST", path_of("/api/v1/me/letters/%lld/reply",
						  (long long)ids[i]),
			 "{\"text\":\"Hej\"}", NULL);
		tu_expect_problem(&r, 404, "not-found", NULL);
		tu_resp_free(&r);
	}
	struct tu_resp r = call(c, BO, "GET", path_of("/api/v1/me/letters/%lld",
						      (long long)c->f.request),
				NULL, NULL);
	tu_expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	/* the caseworker who wrote it does not read it here either */
	r = call(c, CW, "GET", path_of("/api/v1/me/letters/%lld", (long long)c->f.request),
		 NULL, NULL);
	tu_expect_problem(&r, 403, "forbidden", NULL);
	tu_resp_free(&r);
	/* nobody's look marked it read */
	assert_int_equal(q(c, "SELECT count(*) FROM letters WHERE id = %lld AND "
			      "read_at IS NULL",
			   (long long)c->f.request),
			 1);
	/* the pages: 404 for a citizen, 403 for staff */
	r = call(c, ANNA, "GET", path_of("/mit-overblik/post/%lld",
					 (long long)c->f.bo_request),
		 NULL, NULL);
	expect_status(&r, 404);
	tu_resp_free(&r);
	r = call(c, ANNA, "GET", path_of("/mit-overblik/post/%lld/pdf",
					 (long long)c->f.draft),
		 NULL, NULL);
	expect_status(&r, 404);
	tu_resp_free(&r);
	r = call(c, CW, "GET", "/mit-overblik/post", NULL, NULL);
	expect_status(&r, 403);
	tu_resp_free(&r);
	r = call(c, ANON, "GET", "/mit-overblik/post", NULL, NULL);
	expect_status(&r, 303);
	tu_resp_free(&r);
}

static void reading_sets_read_at_once(void **state)
{
	struct ctx *c = *state;
	const char *path = path_of("/api/v1/me/letters/%lld", (long long)c->f.request);
	struct tu_resp r = call(c, ANNA, "GET", path, NULL, NULL);
	expect_status(&r, 200);
	assert_true(json_is_true(json_object_get(r.json, "read")));
	const char *html = json_string_value(json_object_get(r.json, "html"));
	assert_non_null(html);
	tu_expect_in(html, "<article class=\"letter\">");
	tu_expect_in(html, "Vi mangler oplysninger om din familie");
	tu_expect_in(html, "Anna Andersen");
	assert_string_equal(json_string_value(json_object_get(r.json, "reply")), "answer");
	char *read_at = hh_xstrdup(json_string_value(json_object_get(r.json, "read_at")));
	tu_resp_free(&r);
	int64_t stored = q(c, "SELECT read_at FROM letters WHERE id = %lld",
			   (long long)c->f.request);
	assert_true(stored > 0);
	sleep(1);
	r = call(c, ANNA, "GET", path, NULL, NULL);
	expect_status(&r, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "read_at")), read_at);
	tu_resp_free(&r);
	free(read_at);
	assert_int_equal(q(c, "SELECT read_at FROM letters WHERE id = %lld",
			   (long long)c->f.request),
			 stored);
	r = call(c, ANNA, "GET", "/api/v1/me/letters", NULL, NULL);
	assert_int_equal(json_integer_value(json_object_get(r.json, "unread")), 2);
	tu_resp_free(&r);
}

static void pdf_is_an_attachment(void **state)
{
	struct ctx *c = *state;
	/* fetching the PDF alone is opening the letter */
	assert_int_equal(q(c, "SELECT count(*) FROM letters WHERE id = %lld AND "
			      "read_at IS NULL",
			   (long long)c->f.request),
			 1);
	const char *paths[] = { path_of("/api/v1/me/letters/%lld/pdf",
					(long long)c->f.request),
				path_of("/mit-overblik/post/%lld/pdf",
					(long long)c->f.request) };
	for (int i = 0; i < 2; i++) {
		struct tu_resp r = call(c, ANNA, "GET", paths[i], NULL, NULL);
		expect_status(&r, 200);
		char h[256];
		assert_true(tu_header(&r, "Content-Type", h, sizeof(h)));
		assert_string_equal(h, "application/pdf");
		assert_true(tu_header(&r, "Content-Disposition", h, sizeof(h)));
		char want[200];
		snprintf(want, sizeof(want),
			 "attachment; filename=\"brev-%lld-vi-mangler-oplysninger-om-"
			 "din-familie.pdf\"",
			 (long long)c->f.request);
		assert_string_equal(h, want);
		assert_true(tu_header(&r, "X-Content-Type-Options", h, sizeof(h)));
		assert_string_equal(h, "nosniff");
		assert_true(tu_header(&r, "Cache-Control", h, sizeof(h)));
		assert_string_equal(h, "private, no-store");
		assert_memory_equal(r.body, "%PDF-", 5);
		tu_resp_free(&r);
	}
	assert_int_equal(q(c, "SELECT count(*) FROM letters WHERE id = %lld AND "
			      "read_at IS NOT NULL",
			   (long long)c->f.request),
			 1);
}

static void replies_and_their_refusals(void **state)
{
	struct ctx *c = *state;
	int64_t events = fx_int(c->s.dir, "SELECT count(*) FROM events");
	/* a letter that takes no reply */
	struct tu_resp r = call(c, ANNA, "POST", path_of("/api/v1/me/letters/%lld/reply",
							 (long long)c->f.notice),
				"{\"text\":\"Tak\"}", NULL);
	tu_expect_problem(&r, 409, "reply-not-allowed", NULL);
	tu_resp_free(&r);
	/* unknown fields, no text, empty text, no CSRF token */
	const char *hearing = path_of("/api/v1/me/letters/%lld/reply", (long long)c->f.hearing);
	r = call(c, ANNA, "POST", hearing, "{\"text\":\"Hej\",\"cc\":\"x\"}", NULL);
	tu_expect_problem(&r, 400, "unknown-field", "cc");
	tu_resp_free(&r);
	r = call(c, ANNA, "POST", hearing, "{}", NULL);
	tu_expect_problem(&r, 400, "missing-field", "text");
	tu_resp_free(&r);
	r = call(c, ANNA, "POST", hearing, "{\"text\":\"  \"}", NULL);
	tu_expect_problem(&r, 400, "invalid-field", "text");
	tu_resp_free(&r);
	const char *no_csrf[] = { "X-CSRF-Token: wrong", NULL };
	r = call(c, ANNA, "POST", hearing, "{\"text\":\"Hej\"}", no_csrf);
	tu_expect_problem(&r, 403, "csrf-token-invalid", NULL);
	tu_resp_free(&r);
	assert_int_equal(fx_int(c->s.dir, "SELECT count(*) FROM events"), events);

	/* the open case: an event on it */
	r = call(c, ANNA, "POST", hearing, "{\"text\":\"Jeg har ingen bemærkninger.\"}",
		 NULL);
	expect_status(&r, 201);
	assert_string_equal(json_string_value(json_object_get(r.json, "reply")),
			    "case-event");
	assert_int_equal(json_integer_value(json_object_get(r.json, "case_id")),
			 c->f.open_case);
	tu_resp_free(&r);
	assert_int_equal(q(c, "SELECT count(*) FROM events WHERE entity = 'case' AND "
			      "entity_id = %lld AND action = 'letter_reply'",
			   (long long)c->f.open_case),
			 1);
	/* the caseworker reads it in the case's history */
	r = call(c, CW, "GET", path_of("/sagsbehandling/sag/%lld", (long long)c->f.open_case),
		 NULL, NULL);
	expect_status(&r, 200);
	tu_expect_in(r.body, "Borgeren har svaret på brevet <q>Partshøring om din sag</q>");
	tu_expect_in(r.body, "Jeg har ingen bemærkninger.");
	tu_resp_free(&r);

	/* the closed case: an inquiry */
	r = call(c, ANNA, "POST", path_of("/api/v1/me/letters/%lld/reply",
					  (long long)c->f.decision),
		 "{\"text\":\"Jeg vil gerne klage.\"}", NULL);
	expect_status(&r, 201);
	assert_string_equal(json_string_value(json_object_get(r.json, "reply")), "inquiry");
	int64_t inq = json_integer_value(json_object_get(r.json, "inquiry_id"));
	tu_resp_free(&r);
	assert_int_equal(q(c, "SELECT count(*) FROM inquiries WHERE id = %lld AND "
			      "channel = 'web' AND note LIKE '%%Jeg vil gerne klage.%%'",
			   (long long)inq),
			 1);
}

/* A multipart body: a text part and file parts (name, type, bytes). */
static char *multipart(const char *text, int n, const char *const *names,
		       const char *const *types, const char *const *data)
{
	struct hh_buf b;
	hh_buf_init(&b);
	hh_buf_printf(&b, "--XyZ\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n"
			  "%s\r\n",
		      text);
	for (int i = 0; i < n; i++)
		hh_buf_printf(&b, "--XyZ\r\nContent-Disposition: form-data; name=\"files\"; "
				  "filename=\"%s\"\r\nContent-Type: %s\r\n\r\n%s\r\n",
			      names[i], types[i], data[i]);
	hh_buf_puts(&b, "--XyZ--\r\n");
	char *s = hh_xstrdup(hh_buf_str(&b));
	hh_buf_clear(&b);
	return s;
}

static const char *const mp_ct[] = { "Content-Type: multipart/form-data; boundary=XyZ",
				     NULL };

static void answer_with_a_file(void **state)
{
	struct ctx *c = *state;
	const char *path = path_of("/api/v1/me/letters/%lld/reply", (long long)c->f.request);
	const char *names[] = { "lejekontrakt.pdf" };
	const char *types[] = { "application/pdf" };
	const char *data[] = { "%PDF-1.4\nlejekontrakt\n%%EOF" };
	char *body = multipart("Her er lejekontrakten.", 1, names, types, data);
	struct tu_resp r = call(c, ANNA, "POST", path, body, mp_ct);
	free(body);
	expect_status(&r, 201);
	assert_string_equal(json_string_value(json_object_get(r.json, "reply")), "answer");
	tu_resp_free(&r);
	assert_int_equal(q(c, "SELECT count(*) FROM cases WHERE id = %lld AND state = "
			      "'in_progress'",
			   (long long)c->f.waiting_case),
			 1);
	assert_int_equal(q(c, "SELECT count(*) FROM case_files WHERE case_id = %lld AND "
			      "field = 'svar' AND name = 'lejekontrakt.pdf'",
			   (long long)c->f.waiting_case),
			 1);
	/* the case waits no more: a file now is refused, the text would go
	 * on the case */
	body = multipart("Og en til.", 1, names, types, data);
	r = call(c, ANNA, "POST", path, body, mp_ct);
	free(body);
	tu_expect_problem(&r, 422, "file-rejected", "files");
	tu_resp_free(&r);
}

static void bad_files_are_refused_whole(void **state)
{
	struct ctx *c = *state;
	const char *path = path_of("/api/v1/me/letters/%lld/reply", (long long)c->f.request);
	int64_t events = fx_int(c->s.dir, "SELECT count(*) FROM events");
	/* wrong type */
	const char *names[] = { "ok.pdf", "billede.gif" };
	const char *types[] = { "application/pdf", "image/gif" };
	const char *data[] = { "%PDF-1.4\nok\n%%EOF", "GIF89a....." };
	char *body = multipart("Her er mine papirer.", 2, names, types, data);
	struct tu_resp r = call(c, ANNA, "POST", path, body, mp_ct);
	free(body);
	tu_expect_problem(&r, 422, "file-rejected", "files");
	tu_expect_in(json_string_value(json_object_get(r.json, "detail")), "billede.gif");
	tu_resp_free(&r);
	/* too big: 5 MB and one byte, in JSON as base64 */
	size_t big = (5u << 20) + 1;
	unsigned char *raw = hh_xmalloc(big);
	memset(raw, 'x', big);
	memcpy(raw, "%PDF-1.4\n", 9);
	size_t blen = sodium_base64_ENCODED_LEN(big, sodium_base64_VARIANT_ORIGINAL);
	char *b64 = hh_xmalloc(blen);
	sodium_bin2base64(b64, blen, raw, big, sodium_base64_VARIANT_ORIGINAL);
	free(raw);
	json_t *j = json_pack("{s:s, s:[{s:s, s:s, s:s}]}", "text", "Her.", "files",
			      "name", "stor.pdf", "content_type", "application/pdf",
			      "data", b64);
	free(b64);
	char *jbody = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	r = call(c, ANNA, "POST", path, jbody, NULL);
	free(jbody);
	tu_expect_problem(&r, 422, "file-rejected", "files");
	tu_expect_in(json_string_value(json_object_get(r.json, "detail")),
		     "Filen er for stor");
	tu_resp_free(&r);
	/* broken multipart */
	const char *broken = "--XyZ\r\nContent-Disposition: form-data; name=\"text\"\r\n"
			     "\r\nHej";
	r = call(c, ANNA, "POST", path, broken, mp_ct);
	tu_expect_problem(&r, 400, "invalid-field", NULL);
	tu_resp_free(&r);
	/* the page says it in Danish */
	char form[600];
	snprintf(form, sizeof(form),
		 "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
		 "--XyZ\r\nContent-Disposition: form-data; name=\"svar\"\r\n\r\nHer\r\n"
		 "--XyZ\r\nContent-Disposition: form-data; name=\"filer\"; filename="
		 "\"noter.txt\"\r\nContent-Type: text/plain\r\n\r\nnoter\r\n--XyZ--\r\n",
		 c->csrf[ANNA]);
	r = call(c, ANNA, "POST", path_of("/mit-overblik/post/%lld/svar",
					  (long long)c->f.request),
		 form, mp_ct);
	expect_status(&r, 422);
	tu_expect_in(r.body, "noter.txt: Filtypen er ikke tilladt");
	tu_expect_in(r.body, "Her</textarea>"); /* the text is kept */
	tu_resp_free(&r);
	r = call(c, ANNA, "POST", path_of("/mit-overblik/post/%lld/svar",
					  (long long)c->f.request),
		 broken, mp_ct);
	expect_status(&r, 400);
	tu_expect_in(r.body, "Dit svar kunne ikke læses");
	tu_resp_free(&r);
	/* nothing written by any of them */
	assert_int_equal(fx_int(c->s.dir, "SELECT count(*) FROM events"), events);
	assert_int_equal(q(c, "SELECT count(*) FROM case_files WHERE case_id = %lld",
			   (long long)c->f.waiting_case),
			 0);
	assert_int_equal(q(c, "SELECT count(*) FROM cases WHERE id = %lld AND state = "
			      "'awaiting_citizen'",
			   (long long)c->f.waiting_case),
			 1);
}

static void pages_show_the_inbox(void **state)
{
	struct ctx *c = *state;
	struct tu_resp r = call(c, ANNA, "GET", "/mit-overblik/post", NULL, NULL);
	expect_status(&r, 200);
	tu_expect_in(r.body, "<h1>Din post</h1>");
	tu_expect_in(r.body, "Du har 3 ulæste breve.");
	tu_expect_in(r.body, "Partshøring om din sag");
	tu_expect_in(r.body, "Dine familieydelser fortsætter uændret");
	tu_expect_in(r.body, "<span class=\"badge\">Ulæst</span>");
	tu_expect_in(r.body, "Fra Nordskov Kommune");
	tu_expect_not_in(r.body, "Kladde");
	tu_expect_not_in(r.body, "venter på godkendelse");
	/* newest first */
	assert_true(strstr(r.body, "Partshøring") <
		    strstr(r.body, "Dine familieydelser fortsætter"));
	tu_resp_free(&r);
	r = call(c, ANNA, "GET", "/mit-overblik", NULL, NULL);
	expect_status(&r, 200);
	tu_expect_in(r.body, "Du har 3 ulæste breve.");
	tu_expect_in(r.body, "href=\"/mit-overblik/post\"");
	tu_resp_free(&r);
	/* the letter page: the letter, the PDF link and the answer form with
	 * a file input */
	r = call(c, ANNA, "GET", path_of("/mit-overblik/post/%lld", (long long)c->f.request),
		 NULL, NULL);
	expect_status(&r, 200);
	tu_expect_in(r.body, "<article class=\"letter\">");
	tu_expect_in(r.body, "Hent brevet som PDF");
	tu_expect_in(r.body, "enctype=\"multipart/form-data\"");
	tu_expect_in(r.body, "type=\"file\"");
	tu_resp_free(&r);
	/* a letter that takes no reply has no form */
	r = call(c, ANNA, "GET", path_of("/mit-overblik/post/%lld", (long long)c->f.notice),
		 NULL, NULL);
	expect_status(&r, 200);
	tu_expect_not_in(r.body, "/svar\"");
	tu_resp_free(&r);
	r = call(c, ANNA, "GET", "/mit-overblik", NULL, NULL);
	tu_expect_in(r.body, "Du har 1 ulæst brev.");
	tu_resp_free(&r);
}

static void case_page_answer_takes_files(void **state)
{
	struct ctx *c = *state;
	struct tu_resp r = call(c, ANNA, "GET", path_of("/mit-overblik/sag/%lld",
							(long long)c->f.waiting_case),
				NULL, NULL);
	expect_status(&r, 200);
	tu_expect_in(r.body, "name=\"filer\"");
	tu_expect_in(r.body, "enctype=\"multipart/form-data\"");
	tu_resp_free(&r);
	char form[700];
	snprintf(form, sizeof(form),
		 "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
		 "--XyZ\r\nContent-Disposition: form-data; name=\"svar\"\r\n\r\nSe bilag\r\n"
		 "--XyZ\r\nContent-Disposition: form-data; name=\"filer\"; filename="
		 "\"skoede.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%%PDF-1.4\nx\n"
		 "\r\n--XyZ--\r\n",
		 c->csrf[ANNA]);
	r = call(c, ANNA, "POST", path_of("/mit-overblik/sag/%lld/svar",
					  (long long)c->f.waiting_case),
		 form, mp_ct);
	expect_status(&r, 303);
	tu_resp_free(&r);
	assert_int_equal(q(c, "SELECT count(*) FROM case_files WHERE case_id = %lld AND "
			      "name = 'skoede.pdf' AND field = 'svar'",
			   (long long)c->f.waiting_case),
			 1);
	assert_int_equal(q(c, "SELECT count(*) FROM cases WHERE id = %lld AND state = "
			      "'in_progress'",
			   (long long)c->f.waiting_case),
			 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(list_with_unread_count, setup, teardown),
		cmocka_unit_test_setup_teardown(another_citizens_letter_is_404, setup,
						teardown),
		cmocka_unit_test_setup_teardown(reading_sets_read_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(pdf_is_an_attachment, setup, teardown),
		cmocka_unit_test_setup_teardown(replies_and_their_refusals, setup,
						teardown),
		cmocka_unit_test_setup_teardown(answer_with_a_file, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_files_are_refused_whole, setup,
						teardown),
		cmocka_unit_test_setup_teardown(pages_show_the_inbox, setup, teardown),
		cmocka_unit_test_setup_teardown(case_page_answer_takes_files, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
