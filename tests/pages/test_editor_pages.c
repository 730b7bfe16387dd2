/* test_editor_pages.c - s-edit (issue 13): the editors' pages under
 * /redaktion over real HTTP, as a browser without JavaScript uses them:
 * who gets in (an editor; a citizen or a front-desk agent gets 403, the
 * anonymous the sign-in), creating an article with the preview button
 * (nothing saved) and the live preview's endpoint, validation errors in
 * Danish beside the field with the text kept, a stale version (conflict
 * message, text kept), the versions, the diff and restoring one, a
 * municipality's local version (another municipality's editor cannot
 * change it), and a proposal to a shared article accepted and declined. */
#include "testutil.h"

#include "domain/citizens.h"
#include "domain/searchtune.h"
#include "store/sqlite_query.h"

struct ctx {
	struct tu_server s;
	char db[4200];
	/* the signed-in callers: cookie and CSRF token */
	char ed1[200], ed1_csrf[80];   /* editor@901 */
	char ed2[200], ed2_csrf[80];   /* editor@902 */
	char edu[200], edu_csrf[80];   /* editor@udk (an agency) */
	char agent[200], agent_csrf[80]; /* agent@901 */
	int64_t shared;                /* a shared, published article */
	struct hh_search_tuning *tuning; /* synonyms and pins, as serve runs */
};

static int64_t shared_article(struct ctx *c, const char *slug,
			      const char *title, const char *body)
{
	struct hh_article art = { .slug = slug, .title = title,
				  .summary = "Kort om det", .body_md = body,
				  .body_html = "<p>x</p>", .keywords = "",
				  .kle = "", .audience = HH_AUDIENCE_CITIZEN,
				  .status = HH_STATUS_PUBLISHED,
				  .updated_by = "import" };
	struct hh_tx *tx;
	assert_int_equal(c->s.store->tx_begin(c->s.store->cls, 1, &tx), HH_OK);
	assert_int_equal(c->s.store->article_insert(tx, &art), HH_OK);
	assert_int_equal(c->s.store->tx_commit(tx), HH_OK);
	/* as the domain's write path does: the index hears of it */
	struct hh_change ch = { "article", art.id, 0, "create" };
	hh_store_changed(c->s.store, &ch);
	return art.id;
}

static int setup(void **state)
{
	struct ctx *c = hh_xcalloc(1, sizeof(*c));
	tu_server_start(&c->s, 1);
	snprintf(c->db, sizeof(c->db), "%s/helhed.db", c->s.dir);
	tu_login(&c->s, "editor@901", c->ed1, sizeof(c->ed1), c->ed1_csrf,
		 sizeof(c->ed1_csrf));
	tu_login(&c->s, "editor@902", c->ed2, sizeof(c->ed2), c->ed2_csrf,
		 sizeof(c->ed2_csrf));
	tu_login(&c->s, "editor@udk", c->edu, sizeof(c->edu), c->edu_csrf,
		 sizeof(c->edu_csrf));
	tu_login(&c->s, "agent@901", c->agent, sizeof(c->agent), c->agent_csrf,
		 sizeof(c->agent_csrf));
	c->shared = shared_article(c, "flytning", "Flytning",
				   "## Før du flytter\n\nMeld flytning.\n\n"
				   "Husk skolen.");
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;
	hh_search_tuning_stop(c->tuning);
	tu_server_stop(&c->s);
	free(c);
	return 0;
}

static struct tu_resp get(struct ctx *c, const char *cookie, const char *path)
{
	return tu_call(c->s.base, cookie, NULL, "GET", path, NULL, NULL);
}

static struct tu_resp post(struct ctx *c, const char *cookie, const char *path,
			   const char *body)
{
	const char *form[] = { "Content-Type: application/x-www-form-urlencoded",
			       NULL };
	return tu_call(c->s.base, cookie, NULL, "POST", path, body, form);
}

/* s URL-encoded for a form body (new string). */
static char *enc(const char *s)
{
	char *e = curl_easy_escape(NULL, s, 0);
	char *out = hh_xstrdup(e);
	curl_free(e);
	return out;
}

/* A form body: csrf then name=value pairs (values encoded), NULL ends. */
static char *form(const char *csrf, ...)
{
	struct hh_buf b;
	hh_buf_init(&b);
	hh_buf_puts(&b, "csrf=");
	hh_buf_puts(&b, csrf ? csrf : "");
	va_list ap;
	va_start(ap, csrf);
	const char *name;
	while ((name = va_arg(ap, const char *))) {
		const char *value = va_arg(ap, const char *);
		char *e = enc(value);
		hh_buf_printf(&b, "&%s=%s", name, e);
		free(e);
	}
	va_end(ap);
	char *out = hh_xstrdup(hh_buf_str(&b));
	hh_buf_clear(&b);
	return out;
}

static void expect_redirect(struct tu_resp *r, const char *to)
{
	char loc[512];
	if (r->status != 303)
		fail_msg("expected 303, got %ld: %s", r->status, r->body);
	assert_true(tu_header(r, "Location", loc, sizeof(loc)));
	if (strncmp(loc, to, strlen(to)))
		fail_msg("redirected to %s, not %s", loc, to);
}

static int64_t count(struct ctx *c, const char *sql)
{
	return sq_query_int(c->db, sql);
}

/* ---- who gets in -------------------------------------------------------- */

static void only_editors_get_in(void **state)
{
	struct ctx *c = *state;
	struct tu_resp r = get(c, NULL, "/redaktion");
	expect_redirect(&r, "/log-ind");
	tu_resp_free(&r);
	/* a front-desk agent is staff, but no editor */
	r = get(c, c->agent, "/redaktion");
	assert_int_equal(r.status, 403);
	tu_expect_in(r.body, "Redaktionen er for redaktører");
	tu_resp_free(&r);
	char *body = form(c->agent_csrf, "ejer", "901", "slug", "agentens",
			  "title", "T", "summary", "S", "body", "B", "audience",
			  "citizen", "status", "draft", "handling", "gem", NULL);
	r = post(c, c->agent, "/redaktion/ny", body);
	assert_int_equal(r.status, 403);
	tu_resp_free(&r);
	free(body);
	r = get(c, c->agent, "/redaktion/forslag");
	assert_int_equal(r.status, 403);
	tu_resp_free(&r);
	/* a signed-in citizen */
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_tx *tx;
	assert_int_equal(c->s.store->tx_begin(c->s.store->cls, 1, &tx), HH_OK);
	struct hh_org o;
	assert_int_equal(c->s.store->org_get_by_code(tx, &a, "901", &o), HH_OK);
	struct hh_citizen z = { .subject = "demo:karen", .name = "Karen Kirk",
				.municipality_id = o.id };
	assert_int_equal(c->s.store->citizen_put(tx, &z), HH_OK);
	assert_int_equal(c->s.store->tx_commit(tx), HH_OK);
	struct hh_citizen_login login;
	assert_int_equal(hh_demo_citizen_login(c->s.store, &a, "demo:karen",
					       &login), HH_OK);
	char cookie[200];
	snprintf(cookie, sizeof(cookie), "hh_borger=%s", login.token);
	r = get(c, cookie, "/redaktion/faelles/flytning");
	assert_int_equal(r.status, 403);
	tu_resp_free(&r);
	body = form(login.csrf, "body", "**x**", NULL);
	r = post(c, cookie, "/redaktion/forhaandsvisning", body);
	assert_int_equal(r.status, 403);
	tu_resp_free(&r);
	free(body);
	hh_arena_clear(&a);
	/* nothing was written by any of them */
	assert_int_equal(count(c, "SELECT count(*) FROM articles"), 1);
	/* the editor gets the list, with the shared article */
	r = get(c, c->ed1, "/redaktion");
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "<h1>Redaktionen</h1>");
	tu_expect_in(r.body, "href=\"/redaktion/faelles/flytning\">Flytning</a>");
	tu_expect_in(r.body, "href=\"/redaktion/ny\"");
	tu_resp_free(&r);
	/* the staff page links to it */
	r = get(c, c->ed1, "/personale");
	tu_expect_in(r.body, "<a href=\"/redaktion\">Redaktionen</a>");
	tu_resp_free(&r);
}

/* ---- create, preview, validation ---------------------------------------- */

static void create_with_preview_and_errors(void **state)
{
	struct ctx *c = *state;
	struct tu_resp r = get(c, c->ed1, "/redaktion/ny");
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "<label for=\"f-title\">Titel</label>");
	tu_expect_in(r.body, "name=\"handling\" value=\"vis\"");
	tu_expect_in(r.body, "Vis forhåndsvisning");
	tu_expect_in(r.body, "<option value=\"faelles\">Fælles vidensbase</option>");
	tu_expect_in(r.body, "/static/editor.js");
	tu_resp_free(&r);

	const char *md = "## Åbningstider\n\nVi har **åbent** alle hverdage.\n"
			 "<script>alert(1)</script>";
	/* the preview button: rendered, nothing saved */
	char *body = form(c->ed1_csrf, "ejer", "901", "slug", "aabningstider",
			  "title", "Åbningstider", "summary", "Hvornår vi har åbent",
			  "body", md, "keywords", "tider, åbent", "kle", "",
			  "audience", "citizen", "status", "published",
			  "handling", "vis", NULL);
	r = post(c, c->ed1, "/redaktion/ny", body);
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "<h2>Åbningstider</h2>");
	tu_expect_in(r.body, "<strong>åbent</strong>");
	tu_expect_not_in(r.body, "<script>alert(1)</script>");
	tu_expect_in(r.body, "value=\"aabningstider\"");
	assert_int_equal(count(c, "SELECT count(*) FROM articles WHERE slug = "
				  "'aabningstider'"), 0);
	tu_resp_free(&r);
	free(body);

	/* a bad KLE number: the message beside the field, the text kept */
	body = form(c->ed1_csrf, "ejer", "901", "slug", "aabningstider",
		    "title", "Åbningstider", "summary", "Hvornår vi har åbent",
		    "body", "Min tekst, der ikke må gå tabt", "kle", "abc",
		    "audience", "citizen", "status", "published", "handling",
		    "gem", NULL);
	r = post(c, c->ed1, "/redaktion/ny", body);
	assert_int_equal(r.status, 400);
	tu_expect_in(r.body, "<p class=\"field-error\" id=\"f-kle-fejl\">Skriv "
			     "KLE-nummeret som 00, 00.00 eller 00.00.00");
	tu_expect_in(r.body, "aria-invalid=\"true\" aria-describedby=\"f-kle-"
			     "hjaelp f-kle-fejl\"");
	tu_expect_in(r.body, "Min tekst, der ikke må gå tabt</textarea>");
	tu_expect_in(r.body, "<a href=\"#f-kle\">");
	tu_resp_free(&r);
	free(body);

	/* a form without the session's CSRF token: refused, text kept */
	body = form("forkert", "ejer", "901", "slug", "aabningstider",
		    "title", "Åbningstider", "summary", "S", "body",
		    "Teksten er her stadig", "audience", "citizen", "status",
		    "draft", "handling", "gem", NULL);
	r = post(c, c->ed1, "/redaktion/ny", body);
	assert_int_equal(r.status, 403);
	tu_expect_in(r.body, "Formularen er udløbet");
	tu_expect_in(r.body, "Teksten er her stadig</textarea>");
	tu_resp_free(&r);
	free(body);

	/* saved: published, and the search finds it at once */
	body = form(c->ed1_csrf, "ejer", "901", "slug", "aabningstider",
		    "title", "Åbningstider i borgerservice", "summary",
		    "Hvornår vi har åbent", "body",
		    "Vi har åbent om formiddagen alle hverdage.", "kle", "",
		    "audience", "citizen", "status", "published", "handling",
		    "gem", NULL);
	r = post(c, c->ed1, "/redaktion/ny", body);
	expect_redirect(&r, "/redaktion/901/aabningstider?besked=oprettet");
	tu_resp_free(&r);
	free(body);
	r = get(c, c->ed1, "/redaktion/901/aabningstider?besked=oprettet");
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "Artiklen er oprettet.");
	tu_expect_in(r.body, "value=\"Åbningstider i borgerservice\"");
	tu_expect_in(r.body, "<input type=\"hidden\" name=\"version\" value=\"1\">");
	tu_resp_free(&r);
	r = get(c, "hh_kommune=901", "/soeg?q=formiddagen");
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "Åbningstider i borgerservice");
	tu_resp_free(&r);
	/* the same address again: taken */
	body = form(c->ed1_csrf, "ejer", "901", "slug", "aabningstider",
		    "title", "Igen", "summary", "S", "body", "B", "audience",
		    "citizen", "status", "draft", "handling", "gem", NULL);
	r = post(c, c->ed1, "/redaktion/ny", body);
	assert_int_equal(r.status, 409);
	tu_expect_in(r.body, "Der findes allerede en artikel med denne adresse");
	tu_resp_free(&r);
	free(body);
	/* an agency's editor may not write the shared base */
	body = form(c->edu_csrf, "ejer", "faelles", "slug", "styrelsens",
		    "title", "T", "summary", "S", "body", "B", "audience",
		    "citizen", "status", "draft", "handling", "gem", NULL);
	r = post(c, c->edu, "/redaktion/ny", body);
	assert_int_equal(r.status, 403);
	tu_resp_free(&r);
	free(body);
	assert_int_equal(count(c, "SELECT count(*) FROM articles WHERE slug = "
				  "'styrelsens'"), 0);
}

static void the_live_preview_endpoint(void **state)
{
	struct ctx *c = *state;
	char *body = form(c->ed1_csrf, "body", "Et **fedt** ord <b>x</b>", NULL);
	struct tu_resp r = post(c, c->ed1, "/redaktion/forhaandsvisning", body);
	assert_int_equal(r.status, 200);
	char ct[128];
	assert_true(tu_header(&r, "Content-Type", ct, sizeof(ct)));
	tu_expect_in(ct, "text/html");
	tu_expect_in(r.body, "<strong>fedt</strong>");
	tu_expect_not_in(r.body, "<b>x</b>");
	tu_resp_free(&r);
	free(body);
	body = form("forkert", "body", "x", NULL);
	r = post(c, c->ed1, "/redaktion/forhaandsvisning", body);
	assert_int_equal(r.status, 403);
	tu_resp_free(&r);
	free(body);
}

/* ---- editing: a stale version ------------------------------------------- */

static void save(struct ctx *c, const char *cookie, const char *csrf,
		 const char *path, const char *version, const char *text,
		 long want)
{
	char *body = form(csrf, "version", version, "title", "Flytning",
			  "summary", "Kort om det", "body", text, "keywords", "",
			  "kle", "", "audience", "citizen", "status",
			  "published", "handling", "gem", NULL);
	struct tu_resp r = post(c, cookie, path, body);
	if (r.status != want)
		fail_msg("expected %ld, got %ld: %s", want, r.status, r.body);
	tu_resp_free(&r);
	free(body);
}

static void a_stale_version_keeps_the_text(void **state)
{
	struct ctx *c = *state;
	/* two editors open version 1; the first saves */
	save(c, c->ed1, c->ed1_csrf, "/redaktion/faelles/flytning", "1",
	     "## Før du flytter\n\nMeld flytning senest 5 dage efter.\n\n"
	     "Husk skolen.", 303);
	char *body = form(c->ed2_csrf, "version", "1", "title", "Flytning",
			  "summary", "Kort om det", "body",
			  "Den andens tekst, som skal blive i formularen",
			  "audience", "citizen", "status", "published",
			  "handling", "gem", NULL);
	struct tu_resp r = post(c, c->ed2, "/redaktion/faelles/flytning", body);
	assert_int_equal(r.status, 409);
	tu_expect_in(r.body, "Artiklen er blevet ændret af en anden, mens du "
			     "skrev (den er nu version 2)");
	tu_expect_in(r.body, "Den andens tekst, som skal blive i formularen"
			     "</textarea>");
	/* the form now carries version 2: saving again is a choice */
	tu_expect_in(r.body, "<input type=\"hidden\" name=\"version\" value=\"2\">");
	tu_resp_free(&r);
	free(body);
	assert_int_equal(count(c, "SELECT version FROM articles WHERE slug = "
				  "'flytning' AND organisation_id IS NULL"), 2);
	assert_int_equal(count(c, "SELECT count(*) FROM articles WHERE body_md "
				  "LIKE 'Den andens%'"), 0);
}

/* ---- versions, diff, restore -------------------------------------------- */

static void versions_diff_and_restore(void **state)
{
	struct ctx *c = *state;
	save(c, c->ed1, c->ed1_csrf, "/redaktion/faelles/flytning", "1",
	     "## Før du flytter\n\nMeld flytning digitalt.\n\nHusk skolen.", 303);
	struct tu_resp r = get(c, c->ed1, "/redaktion/faelles/flytning/versioner");
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "Sammenlign version 1 med den nuværende");
	tu_expect_in(r.body, "Nuværende version");
	tu_resp_free(&r);
	r = get(c, c->ed1, "/redaktion/faelles/flytning/versioner/1");
	assert_int_equal(r.status, 200);
	/* a changed line: removed and added, in words, not only colour */
	tu_expect_in(r.body, "<li class=\"diff-del\"><span class=\"sign\" "
			     "aria-hidden=\"true\">−</span><del><span class="
			     "\"visually-hidden\">Fjernet: </span>Meld flytning."
			     "</del></li>");
	tu_expect_in(r.body, "<li class=\"diff-add\"><span class=\"sign\" "
			     "aria-hidden=\"true\">+</span><ins><span class="
			     "\"visually-hidden\">Tilføjet: </span>Meld flytning "
			     "digitalt.</ins></li>");
	tu_expect_in(r.body, "<span>Husk skolen.</span>");
	tu_expect_in(r.body, "1 linje tilføjet, 1 linje fjernet");
	tu_expect_in(r.body, "Gendan denne version");
	tu_resp_free(&r);
	/* restoring with a stale version is refused */
	char *body = form(c->ed1_csrf, "gendan", "1", "version", "1", NULL);
	r = post(c, c->ed1, "/redaktion/faelles/flytning/gendan", body);
	assert_int_equal(r.status, 409);
	tu_resp_free(&r);
	free(body);
	/* another municipality's editor may restore the shared one, not an
	 * agency's */
	body = form(c->edu_csrf, "gendan", "1", "version", "2", NULL);
	r = post(c, c->edu, "/redaktion/faelles/flytning/gendan", body);
	assert_int_equal(r.status, 404);
	tu_resp_free(&r);
	free(body);
	body = form(c->ed1_csrf, "gendan", "1", "version", "2", NULL);
	r = post(c, c->ed1, "/redaktion/faelles/flytning/gendan", body);
	expect_redirect(&r, "/redaktion/faelles/flytning?besked=gendannet");
	tu_resp_free(&r);
	free(body);
	assert_int_equal(count(c, "SELECT version FROM articles WHERE slug = "
				  "'flytning' AND organisation_id IS NULL"), 3);
	assert_int_equal(count(c, "SELECT count(*) FROM articles WHERE slug = "
				  "'flytning' AND body_md LIKE '%Meld flytning.%'"),
			 1);
	assert_int_equal(count(c, "SELECT count(*) FROM events WHERE entity = "
				  "'article' AND action = 'restore'"), 1);
	/* an unknown version is 404 */
	r = get(c, c->ed1, "/redaktion/faelles/flytning/versioner/99");
	assert_int_equal(r.status, 404);
	tu_resp_free(&r);
}

/* ---- a local version ----------------------------------------------------- */

static void a_local_version(void **state)
{
	struct ctx *c = *state;
	struct tu_resp r = get(c, c->ed1, "/redaktion/faelles/flytning");
	tu_expect_in(r.body, "Lav lokal version");
	tu_resp_free(&r);
	char *body = form(c->ed1_csrf, NULL);
	r = post(c, c->ed1, "/redaktion/faelles/flytning/lokal", body);
	expect_redirect(&r, "/redaktion/901/flytning?besked=lokal");
	tu_resp_free(&r);
	/* the shared article now links to it */
	r = get(c, c->ed1, "/redaktion/faelles/flytning");
	tu_expect_in(r.body, "<a href=\"/redaktion/901/flytning\">Gå til den "
			     "lokale version</a>");
	tu_expect_not_in(r.body, "Lav lokal version");
	tu_resp_free(&r);
	/* twice: the one there is shown */
	r = post(c, c->ed1, "/redaktion/faelles/flytning/lokal", body);
	expect_redirect(&r, "/redaktion/901/flytning?besked=findes");
	tu_resp_free(&r);
	free(body);
	assert_int_equal(count(c, "SELECT count(*) FROM articles a JOIN "
				  "organisations o ON o.id = a.organisation_id "
				  "WHERE a.slug = 'flytning' AND o.code = '901' "
				  "AND a.status = 'draft'"), 1);
	/* an agency's editor cannot make one */
	body = form(c->edu_csrf, NULL);
	r = post(c, c->edu, "/redaktion/faelles/flytning/lokal", body);
	assert_int_equal(r.status, 403);
	tu_resp_free(&r);
	free(body);
	/* the draft is hidden from another municipality's editor */
	r = get(c, c->ed2, "/redaktion/901/flytning");
	assert_int_equal(r.status, 404);
	tu_resp_free(&r);
	/* published, they see it but cannot change it */
	save(c, c->ed1, c->ed1_csrf, "/redaktion/901/flytning", "1",
	     "Nordskovs egne regler.", 303);
	r = get(c, c->ed2, "/redaktion/901/flytning");
	assert_int_equal(r.status, 403);
	tu_resp_free(&r);
	save(c, c->ed2, c->ed2_csrf, "/redaktion/901/flytning", "2",
	     "Åstrup skriver i Nordskovs artikel", 403);
	assert_int_equal(count(c, "SELECT count(*) FROM articles WHERE body_md "
				  "LIKE 'Åstrup skriver%'"), 0);
	/* Nordskov's citizens read the local one */
	r = get(c, NULL, "/artikel/flytning?kommune=901");
	tu_expect_in(r.body, "Nordskovs egne regler.");
	tu_resp_free(&r);
}

/* ---- proposals ----------------------------------------------------------- */

static int64_t propose(struct ctx *c, const char *cookie, const char *csrf,
		       const char *version, const char *text)
{
	char *body = form(csrf, "version", version, "title", "Flytning",
			  "summary", "Kort om det", "body", text, "keywords", "",
			  "kle", "", "audience", "citizen", "note",
			  "Reglerne er ændret i år.", "handling", "gem", NULL);
	struct tu_resp r = post(c, cookie, "/redaktion/faelles/flytning/forslag",
				body);
	expect_redirect(&r, "/redaktion/forslag/");
	char loc[256];
	assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
	int64_t id = atoll(loc + strlen("/redaktion/forslag/"));
	assert_true(id > 0);
	tu_resp_free(&r);
	free(body);
	return id;
}

static void proposals_accepted_and_declined(void **state)
{
	struct ctx *c = *state;
	/* an agency's editor may not change the shared article: the page
	 * is the proposal form */
	struct tu_resp r = get(c, c->edu, "/redaktion/faelles/flytning");
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "<h1>Foreslå en ændring</h1>");
	tu_expect_in(r.body, "Send forslag");
	tu_resp_free(&r);
	/* a proposal that changes nothing is refused */
	char *body = form(c->edu_csrf, "version", "1", "title", "Flytning",
			  "summary", "Kort om det", "body",
			  "## Før du flytter\n\nMeld flytning.\n\nHusk skolen.",
			  "audience", "citizen", "note", "", "handling", "gem",
			  NULL);
	r = post(c, c->edu, "/redaktion/faelles/flytning/forslag", body);
	assert_int_equal(r.status, 400);
	tu_expect_in(r.body, "Forslaget ændrer ikke noget");
	tu_resp_free(&r);
	free(body);
	int64_t id = propose(c, c->edu, c->edu_csrf, "1",
			     "## Før du flytter\n\nMeld flytning på borger.dk."
			     "\n\nHusk skolen.");
	assert_int_equal(count(c, "SELECT count(*) FROM events WHERE entity = "
				  "'proposal' AND action = 'create'"), 1);
	char path[128];
	snprintf(path, sizeof(path), "/redaktion/forslag/%lld", (long long)id);
	/* the proposer sees it, cannot decide it */
	r = get(c, c->edu, path);
	assert_int_equal(r.status, 200);
	tu_expect_not_in(r.body, "Accepter forslaget");
	tu_resp_free(&r);
	char acc[160], dec[160];
	snprintf(acc, sizeof(acc), "%s/accepter", path);
	snprintf(dec, sizeof(dec), "%s/afvis", path);
	body = form(c->edu_csrf, "version", "1", NULL);
	r = post(c, c->edu, acc, body);
	assert_int_equal(r.status, 403);
	tu_resp_free(&r);
	free(body);
	/* the shared base's editor: the list, the diff, accept */
	r = get(c, c->ed1, "/redaktion/forslag");
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, path);
	tu_resp_free(&r);
	r = get(c, c->ed1, path);
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "Reglerne er ændret i år.");
	tu_expect_in(r.body, "Tilføjet: </span>Meld flytning på borger.dk.");
	tu_expect_in(r.body, "Accepter forslaget");
	tu_expect_in(r.body, "Afvis forslaget");
	tu_resp_free(&r);
	/* a stale version is a conflict; nothing changes */
	body = form(c->ed1_csrf, "version", "7", NULL);
	r = post(c, c->ed1, acc, body);
	assert_int_equal(r.status, 409);
	tu_resp_free(&r);
	free(body);
	body = form(c->ed1_csrf, "version", "1", NULL);
	r = post(c, c->ed1, acc, body);
	expect_redirect(&r, "/redaktion/forslag/");
	tu_resp_free(&r);
	free(body);
	/* once decided, it cannot be decided again */
	body = form(c->ed2_csrf, "version", "2", NULL);
	r = post(c, c->ed2, acc, body);
	assert_int_equal(r.status, 409);
	tu_expect_in(r.body, "Forslaget er allerede afgjort");
	tu_resp_free(&r);
	free(body);
	assert_int_equal(count(c, "SELECT version FROM articles WHERE slug = "
				  "'flytning' AND organisation_id IS NULL"), 2);
	assert_int_equal(count(c, "SELECT count(*) FROM articles WHERE slug = "
				  "'flytning' AND body_md LIKE '%borger.dk%'"), 1);
	assert_int_equal(count(c, "SELECT count(*) FROM article_proposals WHERE "
				  "state = 'accepted' AND accepted_version = 2"),
			 1);
	/* a second proposal, declined with a reason the proposer reads */
	int64_t id2 = propose(c, c->edu, c->edu_csrf, "2",
			      "Noget helt andet.");
	snprintf(path, sizeof(path), "/redaktion/forslag/%lld", (long long)id2);
	snprintf(dec, sizeof(dec), "%s/afvis", path);
	body = form(c->ed2_csrf, "reason", "  ", NULL);
	r = post(c, c->ed2, dec, body);
	assert_int_equal(r.status, 400);
	tu_expect_in(r.body, "id=\"f-reason-fejl\"");
	tu_resp_free(&r);
	free(body);
	body = form(c->ed2_csrf, "reason", "Det passer ikke for alle kommuner.",
		    NULL);
	r = post(c, c->ed2, dec, body);
	expect_redirect(&r, path);
	tu_resp_free(&r);
	free(body);
	r = get(c, c->edu, path);
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "Afvist");
	tu_expect_in(r.body, "Det passer ikke for alle kommuner.");
	tu_resp_free(&r);
	assert_int_equal(count(c, "SELECT count(*) FROM events WHERE entity = "
				  "'proposal' AND action IN ('accept', "
				  "'decline')"), 2);
	assert_int_equal(count(c, "SELECT version FROM articles WHERE slug = "
				  "'flytning' AND organisation_id IS NULL"), 2);
	/* an editor proposing cannot accept their own */
	int64_t id3 = propose(c, c->ed1, c->ed1_csrf, "2", "Min egen.");
	snprintf(acc, sizeof(acc), "/redaktion/forslag/%lld/accepter",
		 (long long)id3);
	body = form(c->ed1_csrf, "version", "2", NULL);
	r = post(c, c->ed1, acc, body);
	assert_int_equal(r.status, 403);
	tu_resp_free(&r);
	free(body);
	/* the other municipality's editor sees Nordskov's proposal (the
	 * shared base's), the agency's editor only its own organisation's */
	snprintf(path, sizeof(path), "/redaktion/forslag/%lld", (long long)id3);
	r = get(c, c->edu, path);
	assert_int_equal(r.status, 404);
	tu_resp_free(&r);
	r = get(c, c->ed2, path);
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
}

/* ---- synonyms and pins from the report ----------------------------------- */

static void start_tuning(struct ctx *c)
{
	assert_int_equal(hh_search_tuning_start(c->s.app.index, c->s.store,
						&c->s.an, &c->tuning),
			 HH_OK);
}

static void a_synonym_takes_effect_at_once(void **state)
{
	struct ctx *c = *state;
	start_tuning(c);
	struct tu_resp r = get(c, "hh_kommune=901", "/soeg?q=qwertyflyt");
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "Ingen resultater");
	tu_resp_free(&r);
	/* the report links to the one step */
	r = get(c, c->ed1, "/personale/soegninger");
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "<a href=\"/redaktion/soegning?q=qwertyflyt\">"
			     "Tilføj synonym eller fastgør artikel</a>");
	tu_resp_free(&r);
	r = get(c, c->ed1, "/redaktion/soegning?q=qwertyflyt");
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "Tilføj synonym</button>");
	tu_expect_in(r.body, "Fastgør artikel</button>");
	tu_resp_free(&r);
	/* a side without a word: the message beside the field */
	char *body = form(c->ed1_csrf, "ord", "qwertyflyt", "betyder", " , ",
			  "retning", "begge", NULL);
	r = post(c, c->ed1, "/redaktion/synonym", body);
	assert_int_equal(r.status, 400);
	tu_expect_in(r.body, "id=\"f-alternatives-fejl\"");
	tu_resp_free(&r);
	free(body);
	/* an agency's editor may not change the shared search */
	body = form(c->edu_csrf, "ord", "qwertyflyt", "betyder", "flytning",
		    "retning", "begge", NULL);
	r = post(c, c->edu, "/redaktion/synonym", body);
	assert_int_equal(r.status, 403);
	tu_resp_free(&r);
	free(body);
	assert_int_equal(count(c, "SELECT count(*) FROM synonyms"), 0);
	body = form(c->ed1_csrf, "ord", "qwertyflyt", "betyder", "flytning",
		    "retning", "begge", NULL);
	r = post(c, c->ed1, "/redaktion/synonym", body);
	expect_redirect(&r, "/redaktion/soegning?q=qwertyflyt&besked=synonym");
	tu_resp_free(&r);
	free(body);
	assert_int_equal(count(c, "SELECT count(*) FROM synonyms WHERE rule = "
				  "'qwertyflyt, flytning'"), 1);
	assert_int_equal(count(c, "SELECT count(*) FROM events WHERE entity = "
				  "'synonym' AND action = 'create'"), 1);
	/* the next search finds the article */
	r = get(c, "hh_kommune=901", "/soeg?q=qwertyflyt");
	assert_int_equal(r.status, 200);
	tu_expect_not_in(r.body, "Ingen resultater");
	tu_expect_in(r.body, "href=\"/artikel/flytning");
	tu_resp_free(&r);
	/* export writes it, as a line of synonyms.txt */
	char *dir = tu_tmpdir();
	int n_syn = 0, n_pins = 0;
	assert_int_equal(hh_search_tuning_export(c->s.store, dir, &n_syn,
						 &n_pins), HH_OK);
	assert_int_equal(n_syn, 1);
	char path[4200];
	snprintf(path, sizeof(path), "%s/synonyms.txt", dir);
	char *txt = tu_read(path);
	tu_expect_in(txt, "\nqwertyflyt, flytning\n");
	free(txt);
	tu_rmdir(dir);
}

static void a_pinned_article_ranks_first(void **state)
{
	struct ctx *c = *state;
	start_tuning(c);
	shared_article(c, "skolestart", "Skolestart",
		       "Når barnet starter i skole.");
	/* without a pin, the article about moving comes first */
	struct tu_resp r = get(c, "hh_kommune=901", "/soeg?q=flytning");
	assert_int_equal(r.status, 200);
	tu_expect_not_in(r.body, "Skolestart");
	tu_resp_free(&r);
	/* a draft cannot be pinned; an agency's editor cannot pin */
	char *body = form(c->edu_csrf, "q", "Flytning ", "artikel", "skolestart",
			  NULL);
	r = post(c, c->edu, "/redaktion/fastgoer", body);
	assert_int_equal(r.status, 403);
	tu_resp_free(&r);
	free(body);
	body = form(c->ed1_csrf, "q", "Flytning ", "adresse", "findes-ikke",
		    NULL);
	r = post(c, c->ed1, "/redaktion/fastgoer", body);
	assert_int_equal(r.status, 400);
	tu_expect_in(r.body, "Vælg en udgivet artikel");
	tu_resp_free(&r);
	free(body);
	body = form(c->ed1_csrf, "q", "Flytning ", "artikel", "skolestart",
		    NULL);
	r = post(c, c->ed1, "/redaktion/fastgoer", body);
	expect_redirect(&r, "/redaktion/soegning?q=Flytning");
	tu_resp_free(&r);
	free(body);
	assert_int_equal(count(c, "SELECT count(*) FROM search_pins WHERE "
				  "query = 'flytning'"), 1);
	/* the exact query, any case, in Nordskov: the pinned one first */
	r = get(c, "hh_kommune=901", "/soeg?q=FLYTNING");
	assert_int_equal(r.status, 200);
	const char *pinned = strstr(r.body, "href=\"/artikel/skolestart");
	const char *other = strstr(r.body, "href=\"/artikel/flytning");
	assert_non_null(pinned);
	assert_non_null(other);
	assert_true(pinned < other);
	tu_resp_free(&r);
	/* not in another municipality, nor for another query */
	r = get(c, "hh_kommune=902", "/soeg?q=flytning");
	tu_expect_not_in(r.body, "href=\"/artikel/skolestart");
	tu_resp_free(&r);
	r = get(c, "hh_kommune=901", "/soeg?q=flytning+nu");
	tu_expect_not_in(r.body, "href=\"/artikel/skolestart");
	tu_resp_free(&r);
	/* the page shows the pin, and removes it */
	r = get(c, c->ed1, "/redaktion/soegning?q=flytning");
	tu_expect_in(r.body, "Fastgjort nu: <a href=\"/artikel/skolestart\">"
			     "Skolestart</a>");
	tu_resp_free(&r);
	body = form(c->ed1_csrf, "q", "flytning", NULL);
	r = post(c, c->ed1, "/redaktion/fastgoer/fjern", body);
	expect_redirect(&r, "/redaktion/soegning?q=flytning&besked=fjernet");
	tu_resp_free(&r);
	free(body);
	r = get(c, "hh_kommune=901", "/soeg?q=flytning");
	tu_expect_not_in(r.body, "href=\"/artikel/skolestart");
	tu_resp_free(&r);
	assert_int_equal(count(c, "SELECT count(*) FROM events WHERE entity = "
				  "'pin' AND action = 'delete'"), 1);
	/* pinned again, for the export */
	body = form(c->ed1_csrf, "q", "flytning", "artikel", "skolestart", NULL);
	r = post(c, c->ed1, "/redaktion/fastgoer", body);
	expect_redirect(&r, "/redaktion/soegning?q=flytning");
	tu_resp_free(&r);
	free(body);
	/* export writes it; import reads it back (replacing the same pin) */
	char *dir = tu_tmpdir();
	int n_syn = 0, n_pins = 0;
	assert_int_equal(hh_search_tuning_export(c->s.store, dir, &n_syn,
						 &n_pins), HH_OK);
	assert_int_equal(n_pins, 1);
	int imported = 0;
	assert_int_equal(hh_pins_import(c->s.store, dir, stderr, &imported),
			 HH_OK);
	assert_int_equal(imported, 1);
	assert_int_equal(count(c, "SELECT count(*) FROM search_pins"), 1);
	tu_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(only_editors_get_in, setup,
						teardown),
		cmocka_unit_test_setup_teardown(create_with_preview_and_errors,
						setup, teardown),
		cmocka_unit_test_setup_teardown(the_live_preview_endpoint, setup,
						teardown),
		cmocka_unit_test_setup_teardown(a_stale_version_keeps_the_text,
						setup, teardown),
		cmocka_unit_test_setup_teardown(versions_diff_and_restore, setup,
						teardown),
		cmocka_unit_test_setup_teardown(a_local_version, setup, teardown),
		cmocka_unit_test_setup_teardown(proposals_accepted_and_declined,
						setup, teardown),
		cmocka_unit_test_setup_teardown(a_synonym_takes_effect_at_once,
						setup, teardown),
		cmocka_unit_test_setup_teardown(a_pinned_article_ranks_first,
						setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
