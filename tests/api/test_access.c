/* test_access.c - one access matrix for both doors.
 *
 * Every route that reads or changes a case, a plan, an upload (a form
 * submission with a file), an article, an article's history, the search
 * report or an Open311 request is called by every kind of caller, for
 * the caller's own thing and for someone else's, through the JSON API and
 * through the page for the same thing. The expected decision of each cell
 * comes from the table below: allowed, 404 (not theirs to know of), 401 or
 * the sign-in page, 403. The API and the page share one expectation, so
 * they cannot disagree.
 *
 * A route added to hh_routes without a row here (or a place on the list
 * of routes that touch none of these resources) fails the test.
 *
 * The counts of cells tried and failing per door are printed at the end:
 *   access matrix: api N tried, N failing; pages N tried, N failing */
#include "testutil.h"

#include "domain/auth.h"
#include "core/dktime.h"
#include "domain/hours.h" /* appointments */

/* ---- the callers ------------------------------------------------------- */

enum role { ANON, CIT_A, CIT_B, CW_A, ED_A, CW_B, ED_B, CW_AG, TOKEN, N_ROLES };

static const char *const role_names[N_ROLES] = {
	"anonymous", "citizen A", "citizen B", "caseworker A", "editor A",
	"caseworker B", "editor B", "agency caseworker", "token (udk)",
};

/* Where a caller belongs: municipality A (901), B (902), the agency
 * (fam), or nowhere (the token of udk, which owns none of the things). */
enum home { HOME_A, HOME_B, HOME_AG, HOME_NONE };

static const enum home homes[N_ROLES] = {
	[ANON] = HOME_A, [CIT_A] = HOME_A, [CIT_B] = HOME_B, [CW_A] = HOME_A,
	[ED_A] = HOME_A, [CW_B] = HOME_B, [ED_B] = HOME_B, [CW_AG] = HOME_AG,
	[TOKEN] = HOME_NONE,
};

/* Which pages a caller uses: the citizen's (Mit overblik, forms), the
 * staff's (casework, the staff desk); an API token uses none. */
enum audience { AUD_CITIZEN = 1, AUD_STAFF = 2 };

static const unsigned audiences[N_ROLES] = {
	[ANON] = AUD_CITIZEN | AUD_STAFF,
	[CIT_A] = AUD_CITIZEN, [CIT_B] = AUD_CITIZEN,
	[CW_A] = AUD_STAFF, [ED_A] = AUD_STAFF, [CW_B] = AUD_STAFF,
	[ED_B] = AUD_STAFF, [CW_AG] = AUD_STAFF, [TOKEN] = 0,
};

/* ---- the content -------------------------------------------------------- */

static const char *const orgs_json =
	"[{\"code\":\"901\",\"name\":\"Nordskov Kommune\",\"kind\":\"municipality\"},"
	" {\"code\":\"902\",\"name\":\"Åstrup Kommune\",\"kind\":\"municipality\"},"
	" {\"code\":\"fam\",\"name\":\"Familieretshuset\",\"kind\":\"agency\"},"
	" {\"code\":\"udk\",\"name\":\"Udbetaling Danmark\",\"kind\":\"agency\"}]";

static const char *const users_json =
	"[{\"email\":\"cw@901\",\"name\":\"Cai A\",\"organisation\":\"901\","
	"  \"roles\":[\"caseworker\"],\"password\":\"password-1\"},"
	" {\"email\":\"ed@901\",\"name\":\"Eva A\",\"organisation\":\"901\","
	"  \"roles\":[\"editor\"],\"password\":\"password-1\"},"
	" {\"email\":\"cw@902\",\"name\":\"Cai B\",\"organisation\":\"902\","
	"  \"roles\":[\"caseworker\"],\"password\":\"password-1\"},"
	" {\"email\":\"ed@902\",\"name\":\"Eva B\",\"organisation\":\"902\","
	"  \"roles\":[\"editor\"],\"password\":\"password-1\"},"
	" {\"email\":\"cw@fam\",\"name\":\"Frida Fam\",\"organisation\":\"fam\","
	"  \"roles\":[\"caseworker\"],\"password\":\"password-1\"}]";

static const char *const citizens_json =
	"[{\"id\":\"anna\",\"name\":\"Anna Andersen\",\"cpr\":\"070761-4285\","
	"  \"municipality\":\"901\"},"
	" {\"id\":\"bo\",\"name\":\"Bo Berg\",\"cpr\":\"010190-1234\","
	"  \"municipality\":\"902\"}]";

/* the agent's desk: a team and a reason for each organisation */
static const char *const teams_json =
	"{\"901\":{\"teams\":[{\"code\":\"t\",\"name\":\"T\"}],"
	"  \"transfer_reasons\":[{\"code\":\"r\",\"label\":\"R\"}]},"
	" \"902\":{\"teams\":[{\"code\":\"t\",\"name\":\"T\"}],"
	"  \"transfer_reasons\":[{\"code\":\"r\",\"label\":\"R\"}]},"
	" \"fam\":{\"teams\":[{\"code\":\"t\",\"name\":\"T\"}],"
	"  \"transfer_reasons\":[{\"code\":\"r\",\"label\":\"R\"}]}}";

#define STATES                                                               \
	" \"states\":[{\"key\":\"received\",\"label\":\"Modtaget\"},"        \
	"  {\"key\":\"waiting\",\"label\":\"Afventer dig\",\"paused\":true}," \
	"  {\"key\":\"done\",\"label\":\"Afgjort\",\"final\":true}],"         \
	" \"transitions\":[{\"from\":\"received\",\"to\":\"done\","          \
	"  \"role\":\"caseworker\"}],"

/* a municipal case type with a file: the upload */
static const char *const ct_tilskud =
	"{\"name\":\"Tilskud\",\"organisation\":\"municipality\","
	" \"deadline\":\"P30D\",\"public\":true,\"initial\":\"received\"," STATES
	" \"form\":{\"title\":\"Tilskud\",\"fields\":"
	"  [{\"name\":\"antal\",\"label\":\"Antal\",\"type\":\"number\","
	"    \"required\":true,\"min\":1,\"max\":20},"
	"   {\"name\":\"bilag\",\"label\":\"Bilag\",\"type\":\"file\","
	"    \"max_bytes\":1024,\"accept\":[\"application/pdf\"]}]}}";

static const char *const ct_skilsmisse =
	"{\"name\":\"Skilsmisse\",\"organisation\":\"fam\","
	" \"deadline\":\"P30D\",\"public\":true,\"initial\":\"received\"," STATES
	" \"form\":{\"title\":\"Skilsmisse\",\"fields\":"
	"  [{\"name\":\"antal\",\"label\":\"Antal\",\"type\":\"number\","
	"    \"required\":true,\"min\":1,\"max\":20}]}}";

/* p-parties: a divorce the spouse confirms */
static const char *const ct_parskab =
	"{\"name\":\"Skilsmisse med ægtefælle\",\"organisation\":\"fam\","
	" \"deadline\":\"P30D\",\"public\":true,\"initial\":\"received\","
	" \"states\":[{\"key\":\"received\",\"label\":\"Modtaget\"},"
	"  {\"key\":\"parties\",\"label\":\"Afventer ægtefællen\",\"paused\":true},"
	"  {\"key\":\"declined\",\"label\":\"Ikke bekræftet\",\"final\":true}],"
	" \"parties\":[{\"role\":\"spouse\",\"label\":\"Ægtefælle\","
	"   \"cpr_field\":\"partner_cpr\",\"confirm\":true,\"within\":\"P14D\"}],"
	" \"confirm_state\":\"parties\",\"declined_state\":\"declined\","
	" \"form\":{\"title\":\"Skilsmisse\",\"fields\":"
	"  [{\"name\":\"partner_cpr\",\"label\":\"Ægtefællens CPR-nummer\","
	"    \"type\":\"cpr\",\"required\":true}]}}";

/* p-agree: an agreement the other parent signs */
static const char *const ct_aftale =
	"{\"name\":\"Samværsaftale\",\"organisation\":\"fam\","
	" \"deadline\":\"P30D\",\"public\":true,\"initial\":\"received\","
	" \"states\":[{\"key\":\"received\",\"label\":\"Modtaget\"},"
	"  {\"key\":\"parties\",\"label\":\"Afventer forælderen\",\"paused\":true},"
	"  {\"key\":\"declined\",\"label\":\"Ikke underskrevet\",\"final\":true}],"
	" \"parties\":[{\"role\":\"parent\",\"label\":\"Den anden forælder\","
	"   \"cpr_field\":\"partner_cpr\",\"confirm\":true,\"within\":\"P14D\"}],"
	" \"confirm_state\":\"parties\",\"declined_state\":\"declined\","
	" \"agreement\":{\"title\":\"Samværsaftale\","
	"   \"signers\":[\"applicant\",\"parent\"],\"fields\":[\"samvaer\"]},"
	" \"form\":{\"title\":\"Samvær\",\"fields\":"
	"  [{\"name\":\"partner_cpr\",\"label\":\"Forælderens CPR-nummer\","
	"    \"type\":\"cpr\",\"required\":true},"
	"   {\"name\":\"samvaer\",\"label\":\"Samvær\",\"type\":\"text\","
	"    \"required\":true}]}}";

/* the token's own organisation's service: its key may file it through
 * Open311 (a caseworker's key only with its own organisation) */
static const char *const ct_ydelse =
	"{\"name\":\"Ydelse\",\"organisation\":\"udk\","
	" \"deadline\":\"P30D\",\"public\":true,\"initial\":\"received\"," STATES
	" \"form\":{\"title\":\"Ydelse\",\"fields\":"
	"  [{\"name\":\"antal\",\"label\":\"Antal\",\"type\":\"number\","
	"    \"required\":true,\"min\":1,\"max\":20}]}}";

static const char *const le_flytning =
	"{\"title\":\"Du flytter\",\"summary\":\"Flytning.\",\"position\":1,"
	" \"articles\":[],\"questions\":[],"
	" \"steps\":[{\"key\":\"tilskud\",\"title\":\"Søg tilskud\",\"text\":\"T\","
	"   \"organisation\":\"municipality\",\"case_type\":\"tilskud\"}]}";

/* appointments: both municipalities take bookings, every day of the
 * week all day, so there is always a free slot ahead */
static const char *const counter_json =
	"{\"901\": {\"slot_minutes\": 15, \"book_ahead_days\": 30,"
	"  \"counters\": {\"default\": 3}, \"services\": [{\"code\": \"pas\","
	"  \"name\": \"Pas\", \"minutes\": 15, \"documents\": []}]},"
	" \"902\": {\"slot_minutes\": 15, \"book_ahead_days\": 30,"
	"  \"counters\": {\"default\": 3}, \"services\": [{\"code\": \"pas\","
	"  \"name\": \"Pas\", \"minutes\": 15, \"documents\": []}]}}";
#define ALL_WEEK                                                             \
	"{\"counter\": {\"week\": {\"mon\": [\"00:00-24:00\"],"                 \
	"\"tue\": [\"00:00-24:00\"], \"wed\": [\"00:00-24:00\"],"                \
	"\"thu\": [\"00:00-24:00\"], \"fri\": [\"00:00-24:00\"],"                \
	"\"sat\": [\"00:00-24:00\"], \"sun\": [\"00:00-24:00\"]},"               \
	"\"holidays_closed\": false}}"
static const char *const hours_json =
	"{\"901\": " ALL_WEEK ", \"902\": " ALL_WEEK "}";

static const char *article_md(const char *org, const char *status, char *buf,
			      size_t n)
{
	snprintf(buf, n,
		 "---\ntitle: Lokal vejledning %s\nsummary: En vejledning.\n"
		 "keywords: \nkle: \naudience: citizen\nstatus: %s\n"
		 "organisation: %s\n---\n\nTekst.\n",
		 org, status, org);
	return buf;
}

/* ---- the fixture ---------------------------------------------------------- */

struct ctx {
	struct tu_server s;
	char cookie[N_ROLES][200];
	char csrf[N_ROLES][80];
	char token[HH_TOKEN_CHARS];
	int64_t cases[3]; /* by home: A (Anna at 901), B (Bo at 902), the
			     agency (Anna at fam) */
	int64_t plans[3]; /* A: Anna's, B: Bo's, none at the agency */
	int64_t inquiries[3]; /* by home: Anna's at 901, Bo's at 902, Anna's
				 at the agency */
	int64_t transfers[3]; /* the agent's desk: by home, an inquiry
				 transferred to a team of the home's own
				 organisation (received there) */
	char open311[32]; /* a request sent through Open311, no citizen: its
			     public id */
	/* chat: by home, a chat its citizen opened (Anna with 901, Bo with
	 * 902, Anna with the agency) and the chat's inquiry */
	int64_t chats[3], chat_inquiries[3];
	char bookings[2][16]; /* appointments: a booking code at 901 and at
				 902, made without sign-in */
	int64_t letters[3]; /* letters: by home, a draft on the home's case
			       by its caseworker */
	/* delivery: by home, a message in the error queue (Anna's letter
	 * from 901, Bo's from 902, Anna's from the agency) and a print
	 * batch */
	int64_t messages[3], batches[3];
	int64_t party_cases[2]; /* p-parties: by home, a case its citizen
				   (Anna, Bo) is invited to confirm */
	int64_t agree_cases[2]; /* p-agree: by home, an agreement its citizen
				   (Anna, Bo) is invited to sign (the other
				   citizen applied) */
	int64_t inbox_letters[2]; /* the citizen's inbox: a sent letter from
				     901 to Anna and from 902 to Bo */
	int tried[2], failing[2], known[2];
};

static void put(const char *dir, const char *rel, const char *text)
{
	char p[9000];
	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	tu_write(p, text);
}

static struct tu_resp call(struct ctx *c, int role, const char *method,
			   const char *path, const char *body,
			   const char *const *extra)
{
	char auth[200];
	const char *h[6];
	int n = 0;
	if (role == TOKEN) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", c->token);
		h[n++] = auth;
	}
	for (int i = 0; extra && extra[i] && n < 5; i++)
		h[n++] = extra[i];
	h[n] = NULL;
	int signed_in = role != ANON && role != TOKEN;
	return tu_call(c->s.base, signed_in ? c->cookie[role] : NULL,
		       signed_in ? c->csrf[role] : NULL, method, path, body, h);
}

static int64_t created_id(struct tu_resp *r)
{
	if (r->status != 201)
		fail_msg("expected 201, got %ld: %s", r->status, r->body);
	return json_integer_value(json_object_get(r->json, "id"));
}

static void citizen_login(struct ctx *c, int role, const char *subject)
{
	char body[128], setc[256];
	snprintf(body, sizeof(body), "{\"subject\":\"%s\"}", subject);
	struct tu_resp r = call(c, ANON, "POST", "/api/v1/citizen/session", body, NULL);
	assert_int_equal(r.status, 201);
	assert_true(tu_header(&r, "Set-Cookie", setc, sizeof(setc)));
	snprintf(c->cookie[role], sizeof(c->cookie[role]), "%.*s",
		 (int)strcspn(setc, ";"), setc);
	snprintf(c->csrf[role], sizeof(c->csrf[role]), "%s",
		 json_string_value(json_object_get(r.json, "csrf_token")));
	tu_resp_free(&r);
}

static int64_t new_case(struct ctx *c, int role, const char *ct)
{
	char body[256];
	snprintf(body, sizeof(body), "{\"case_type\":\"%s\",\"values\":{\"antal\":2}}",
		 ct);
	struct tu_resp r = call(c, role, "POST", "/api/v1/cases", body, NULL);
	int64_t id = created_id(&r);
	tu_resp_free(&r);
	return id;
}

/* Moves the case past version 1, so that the writes below, which send
 * version 1, are refused as stale when allowed and change nothing. */
static void bump(struct ctx *c, int role, int64_t id)
{
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/assign", (long long)id);
	struct tu_resp r = call(c, role, "POST", path,
				"{\"assignee\":\"nobody\",\"version\":1}", NULL);
	if (r.status != 200)
		fail_msg("bump %lld: %ld %s", (long long)id, r.status, r.body);
	tu_resp_free(&r);
}

static const char *org_code(enum home h);

/* delivery: per home, a sent letter whose message is in the error queue
 * and a print batch with its file, written into the database as the
 * letters code and the print batch leave them. */
static void delivery_things(struct ctx *c)
{
	c->s.app.print_dir = c->s.dir;
	static const char *const who[3] = { "demo:anna", "demo:bo", "demo:anna" };
	for (int h = 0; h < 3; h++) {
		char sql[1200];
		snprintf(sql, sizeof(sql),
			 "INSERT INTO letters(organisation_id, citizen_id, kind, "
			 "template, state, title, body, author_id, version, "
			 "created_at, updated_at, sent_at, message_id) SELECT o.id, "
			 "z.id, 'granted', 't', 'sent', 'Brev', 'Tekst', u.id, 1, 1, "
			 "1, 1, 'matrix-%d' FROM organisations o, citizens z, users u "
			 "WHERE o.code = '%s' AND z.subject = '%s' AND "
			 "u.email = 'cw@901';"
			 "INSERT INTO messages(message_id, letter_id, organisation_id, "
			 "citizen_id, channel, state, attempts, next_attempt_at, "
			 "last_error, created_at, updated_at) SELECT 'matrix-%d', l.id, "
			 "l.organisation_id, l.citizen_id, 'error', 'error', 0, 1, "
			 "'Matrix', 1, 1 FROM letters l WHERE l.message_id = 'matrix-%d';"
			 "INSERT INTO print_batches(organisation_id, day, seq, file, "
			 "letters, pages, created_at) SELECT id, '2026-12-04', 1, "
			 "'2026-12-04-%s.pdf', 1, 1, 1 FROM organisations WHERE code = "
			 "'%s';",
			 h, org_code((enum home)h), who[h], h, h, org_code((enum home)h),
			 org_code((enum home)h));
		free(tu_sql(c->s.dir, sql, 0, NULL)); /* either backend */
		snprintf(sql, sizeof(sql), "SELECT id FROM messages WHERE "
			 "message_id = 'matrix-%d'", h);
		c->messages[h] = tu_sql_int(c->s.dir, sql, 0, NULL);
		c->batches[h] = tu_sql_int(c->s.dir, "SELECT max(id) FROM "
						     "print_batches", 0, NULL);
		char pdf[4300];
		snprintf(pdf, sizeof(pdf), "%s/2026-12-04-%s.pdf", c->s.dir,
			 org_code((enum home)h));
		tu_write(pdf, "%PDF-1.4\n");
	}
}

/* the citizen's inbox: a sent letter to each home's citizen from its
 * municipality, through the store's test door */
struct letter_ins {
	struct hh_letter l;
};

static enum hh_rc letter_ins_tx(struct hh_tx *tx, void *p)
{
	struct letter_ins *x = p;
	return tx->store->inbox_letter_insert(tx, &x->l);
}

static void add_letters(struct ctx *c)
{
	static const char pdf[] = "%PDF-1.4\n%%EOF\n";
	static const struct {
		const char *org, *subject, *author;
	} to[2] = { { "901", "demo:anna", "cw@901" }, { "902", "demo:bo", "cw@902" } };
	for (int h = HOME_A; h <= HOME_B; h++) {
		struct hh_arena ar;
		hh_arena_init(&ar);
		struct hh_citizen z;
		struct hh_org o;
		struct hh_user u;
		struct hh_tx *tx = tu_read_begin(c->s.store);
		assert_int_equal(c->s.store->citizen_get_by_subject(tx, &ar, to[h].subject,
								    &z), HH_OK);
		assert_int_equal(c->s.store->org_get_by_code(tx, &ar, to[h].org, &o), HH_OK);
		assert_int_equal(c->s.store->user_get_by_email(tx, &ar, to[h].author, &u),
				 HH_OK);
		tu_read_end(tx);
		int64_t now = hh_now_us() / 1000000;
		struct letter_ins x = { { .org_id = o.id, .citizen_id = z.id,
					  .kind = "closing", .template_code = "matrix",
					  .state = "sent", .title = "Matrix",
					  .body = "Matrix.", .reply_allowed = 1,
					  .author_id = u.id, .created_at = now,
					  .sent_at = now,
					  .pdf = (const unsigned char *)pdf,
					  .pdf_len = sizeof(pdf) - 1 } };
		assert_int_equal(hh_store_run_tx(c->s.store, 1, letter_ins_tx, &x), HH_OK);
		c->inbox_letters[h] = x.l.id;
		hh_arena_clear(&ar);
	}
}

static int setup(void **state)
{
	struct ctx *c = hh_xcalloc(1, sizeof(*c));
	tu_server_start(&c->s, 0);
	char dir[4200], cmd[17000], md[600];
	snprintf(dir, sizeof(dir), "%s/content", c->s.dir);
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p '%s/case-types' '%s/life-events' '%s/articles/901' "
		 "'%s/articles/902'",
		 dir, dir, dir, dir);
	assert_int_equal(system(cmd), 0);
	put(dir, "organisations.json", orgs_json);
	put(dir, "users.json", users_json);
	put(dir, "citizens.json", citizens_json);
	put(dir, "case-types/tilskud.json", ct_tilskud);
	put(dir, "case-types/skilsmisse.json", ct_skilsmisse);
	put(dir, "case-types/ydelse.json", ct_ydelse);
	put(dir, "case-types/parskab.json", ct_parskab); /* p-parties */
	put(dir, "case-types/aftale.json", ct_aftale); /* p-agree */
	put(dir, "life-events/flytning.json", le_flytning);
	put(dir, "teams.json", teams_json);
	put(dir, "articles/901/lokal-901.md", article_md("901", "published", md, sizeof(md)));
	put(dir, "articles/902/lokal-902.md", article_md("902", "published", md, sizeof(md)));
	put(dir, "articles/901/kladde-901.md", article_md("901", "draft", md, sizeof(md)));
	put(dir, "articles/902/kladde-902.md", article_md("902", "draft", md, sizeof(md)));
	put(dir, "counter-services.json", counter_json); /* appointments */
	put(dir, "hours.json", hours_json);
	struct hh_import_stats stats;
	assert_int_equal(hh_content_import(c->s.store, dir, 1, stderr, NULL, NULL,
					   &stats),
			 HH_OK);
	int n_hours;
	assert_int_equal(hh_hours_import(c->s.store, dir, stderr, &n_hours), HH_OK);
	assert_int_equal(stats.users, 5);
	assert_int_equal(stats.citizens, 2);
	/* articles were imported after the index was built */
	assert_int_equal(hh_index_build(c->s.app.index, c->s.store), HH_OK);
	static const struct {
		int role;
		const char *email;
	} staff[] = { { CW_A, "cw@901" }, { ED_A, "ed@901" }, { CW_B, "cw@902" },
		      { ED_B, "ed@902" }, { CW_AG, "cw@fam" } };
	for (size_t i = 0; i < sizeof(staff) / sizeof(staff[0]); i++)
		tu_login(&c->s, staff[i].email, c->cookie[staff[i].role],
			 sizeof(c->cookie[0]), c->csrf[staff[i].role],
			 sizeof(c->csrf[0]));
	assert_int_equal(hh_auth_token_add(c->s.store, "udk", "matrix",
					   HH_ROLE_CASEWORKER, "test", c->token),
			 HH_OK);
	c->s.app.demo = 1; /* for the demo sign-in of the citizens */
	citizen_login(c, CIT_A, "demo:anna");
	citizen_login(c, CIT_B, "demo:bo");

	c->cases[HOME_A] = new_case(c, CIT_A, "tilskud");
	c->cases[HOME_B] = new_case(c, CIT_B, "tilskud");
	c->cases[HOME_AG] = new_case(c, CIT_A, "skilsmisse");
	/* p-parties: Bo names Anna, Anna names Bo */
	static const struct {
		int applicant;
		const char *partner;
	} names[2] = { { CIT_B, "070761-4285" }, { CIT_A, "010190-1234" } };
	for (int h = HOME_A; h <= HOME_B; h++) {
		char body[160];
		snprintf(body, sizeof(body), "{\"case_type\":\"parskab\",\"values\":"
			 "{\"partner_cpr\":\"%s\"}}", names[h].partner);
		struct tu_resp pr = call(c, names[h].applicant, "POST", "/api/v1/cases",
					 body, NULL);
		c->party_cases[h] = created_id(&pr);
		tu_resp_free(&pr);
		/* p-agree: and an agreement for the other to sign */
		snprintf(body, sizeof(body), "{\"case_type\":\"aftale\",\"values\":"
			 "{\"partner_cpr\":\"%s\",\"samvaer\":\"Hver anden weekend\"}}",
			 names[h].partner);
		pr = call(c, names[h].applicant, "POST", "/api/v1/cases", body, NULL);
		c->agree_cases[h] = created_id(&pr);
		tu_resp_free(&pr);
	}
	bump(c, CW_A, c->cases[HOME_A]);
	bump(c, CW_B, c->cases[HOME_B]);
	bump(c, CW_AG, c->cases[HOME_AG]);
	/* letters: a draft on each home's case, written by its caseworker
	 * (straight into the store: these case types have no templates) */
	static const char *const authors[3] = { "cw@901", "cw@902", "cw@fam" };
	for (int h = HOME_A; h <= HOME_AG; h++) {
		struct hh_arena la;
		hh_arena_init(&la);
		struct hh_tx *tx;
		assert_int_equal(c->s.store->tx_begin(c->s.store->cls, 1, &tx), HH_OK);
		struct hh_case k = { 0 };
		struct hh_user u;
		assert_int_equal(c->s.store->case_get(tx, &la, c->cases[h], &k), HH_OK);
		assert_int_equal(c->s.store->user_get_by_email(tx, &la, authors[h], &u),
				 HH_OK);
		struct hh_letter l = { .org_id = k.org_id, .case_id = k.id,
				       .citizen_id = k.citizen_id, .kind = "hearing",
				       .template_code = "matrix/hearing",
				       .state = "draft", .title = "Partshøring",
				       .body = "Matrix.", .author_id = u.id };
		assert_int_equal(c->s.store->letter_insert(tx, &l), HH_OK);
		assert_int_equal(c->s.store->tx_commit(tx), HH_OK);
		c->letters[h] = l.id;
		hh_arena_clear(&la);
	}
	/* an inquiry of each home's citizen, logged by its caseworker */
	static const struct {
		int role;
		enum home home;
		const char *subject;
	} inq[] = { { CW_A, HOME_A, "demo:anna" }, { CW_B, HOME_B, "demo:bo" },
		    { CW_AG, HOME_AG, "demo:anna" } };
	for (size_t i = 0; i < sizeof(inq) / sizeof(inq[0]); i++) {
		struct hh_arena ar;
		hh_arena_init(&ar);
		struct hh_citizen z;
		struct hh_tx *tx = tu_read_begin(c->s.store);
		assert_int_equal(c->s.store->citizen_get_by_subject(tx, &ar,
								    inq[i].subject, &z),
				 HH_OK);
		tu_read_end(tx);
		hh_arena_clear(&ar);
		char body[128];
		snprintf(body, sizeof(body),
			 "{\"channel\":\"phone\",\"citizen_id\":%lld}",
			 (long long)z.id);
		struct tu_resp ir = call(c, inq[i].role, "POST", "/api/v1/inquiries",
					 body, NULL);
		c->inquiries[inq[i].home] = created_id(&ir);
		tu_resp_free(&ir);
	}
	/* the agent's desk: per home, a transfer to its own team, whose
	 * id is read back from the receiving queue */
	static const int senders[3] = { CW_A, CW_B, CW_AG };
	for (int h = 0; h < 3; h++) {
		struct tu_resp tr = call(c, senders[h], "POST", "/api/v1/inquiries",
					 "{\"channel\":\"phone\",\"outcome\":"
					 "\"transferred\",\"transfer_team\":\"t\","
					 "\"transfer_reason\":\"r\"}", NULL);
		created_id(&tr);
		tu_resp_free(&tr);
		tr = call(c, senders[h], "GET", "/api/v1/desk/transfers", NULL, NULL);
		if (tr.status != 200 || json_array_size(json_object_get(tr.json, "items")) != 1)
			fail_msg("transfers of home %d: %ld %s", h, tr.status, tr.body);
		c->transfers[h] = json_integer_value(json_object_get(
			json_array_get(json_object_get(tr.json, "items"), 0), "id"));
		tu_resp_free(&tr);
	}
	/* chat: each home's citizen opens one */
	static const struct {
		int role;
		enum home home;
		const char *org;
	} chat[] = { { CIT_A, HOME_A, "901" }, { CIT_B, HOME_B, "902" },
		     { CIT_A, HOME_AG, "fam" } };
	for (size_t i = 0; i < sizeof(chat) / sizeof(chat[0]); i++) {
		char body[64];
		snprintf(body, sizeof(body), "{\"organisation\":\"%s\"}",
			 chat[i].org);
		struct tu_resp cr = call(c, chat[i].role, "POST", "/api/v1/chats",
					 body, NULL);
		c->chats[chat[i].home] = created_id(&cr);
		c->chat_inquiries[chat[i].home] =
			json_integer_value(json_object_get(cr.json, "inquiry_id"));
		tu_resp_free(&cr);
	}
	const char *plan = "{\"life_event\":\"flytning\",\"answers\":{}}";
	struct tu_resp r = call(c, CIT_A, "POST", "/api/v1/plans", plan, NULL);
	c->plans[HOME_A] = created_id(&r);
	tu_resp_free(&r);
	r = call(c, CIT_B, "POST", "/api/v1/plans", plan, NULL);
	c->plans[HOME_B] = created_id(&r);
	tu_resp_free(&r);
	char o311[400];
	snprintf(o311, sizeof(o311),
		 "service_code=ydelse&attribute%%5Bantal%%5D=1&api_key=%s", c->token);
	const char *form[] = { "Content-Type: application/x-www-form-urlencoded", NULL };
	r = call(c, ANON, "POST", "/open311/v2/requests.json", o311, form);
	if (r.status != 201 && r.status != 200)
		fail_msg("open311: %ld %s", r.status, r.body);
	const char *sid = json_string_value(
		json_object_get(json_array_get(r.json, 0), "service_request_id"));
	snprintf(c->open311, sizeof(c->open311), "%s", sid ? sid : "");
	if (strlen(c->open311) != 24)
		fail_msg("open311: no id in %s", r.body);
	tu_resp_free(&r);
	/* appointments: a booking at each municipality, the first free
	 * slot from tomorrow */
	for (int h = HOME_A; h <= HOME_B; h++) {
		char slots[200], when[80], book[400];
		int64_t now = hh_now_us() / 1000000 + 86400;
		int64_t y;
		int m, d;
		hh_civil_from_days(hh_dk_local(now) / 86400, &y, &m, &d);
		snprintf(slots, sizeof(slots),
			 "/api/v1/organisations/%s/slots?service=pas&from="
			 "%04lld-%02d-%02d", (h == HOME_A ? "901" : "902"), (long long)y, m, d);
		r = call(c, ANON, "GET", slots, NULL, NULL);
		const char *start = json_string_value(json_object_get(
			json_array_get(json_object_get(r.json, "items"), 0), "start_at"));
		if (r.status != 200 || !start)
			fail_msg("slots: %ld %s", r.status, r.body);
		snprintf(when, sizeof(when), "%s", start);
		tu_resp_free(&r);
		snprintf(book, sizeof(book),
			 "{\"organisation\":\"%s\",\"service\":\"pas\","
			 "\"start_at\":\"%s\",\"name\":\"Ida\",\"phone\":\"12345678\"}",
			 (h == HOME_A ? "901" : "902"), when);
		r = call(c, ANON, "POST", "/api/v1/appointments", book, NULL);
		const char *code = json_string_value(json_object_get(r.json, "code"));
		if (r.status != 201 || !code)
			fail_msg("book: %ld %s", r.status, r.body);
		snprintf(c->bookings[h], sizeof(c->bookings[h]), "%s", code);
		tu_resp_free(&r);
	}
	delivery_things(c);
	add_letters(c); /* the citizen's inbox */
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

/* ---- the matrix ----------------------------------------------------------- */

/* The decisions. */
enum dec {
	SKIP = 0, /* not tried: the caller has no such thing of their own */
	OK,       /* allowed: the door let the caller through */
	NF,       /* 404, as for an id that does not exist */
	IN,       /* 401, or the sign-in page */
	FB,       /* 403 */
};

static const char *const dec_names[] = { "skip", "allowed", "404", "sign-in",
					 "403" };

/* What a row's paths are about: {id} and {slug} are filled in from it. */
enum thing { T_NONE, T_CASE, T_PLAN, T_ARTICLE, T_DRAFT, T_INQUIRY,
	     T_TRANSFER, /* the agent's desk: a transfer received by the
			    home's organisation */
	     T_OPEN311, /* own: a public request; the other's: a citizen's
			   case, which Open311 does not show */
	     T_APPOINTMENT, /* appointments: a booking code at 901 or 902 */
	     /* chat */
	     T_CHAT, T_CHAT_INQUIRY,
	     T_LETTER, /* letters: a draft letter on the home's case */
	     /* delivery */
	     T_MESSAGE, T_PRINT_BATCH,
	     /* the citizen's inbox: a sent letter to A's or B's citizen */
	     T_INBOX_LETTER,
	     /* p-parties: own, a case the home's citizen is invited to
	      * confirm (the other citizen applied); the other's, the case
	      * the other citizen is invited to (this one applied) */
	     T_PARTY,
	     /* p-agree: an agreement the home's citizen is invited to sign
	      * (the other citizen applied): both citizens are its signers;
	      * the agency's is A's */
	     T_AGREEMENT };

/* One door's request: method, the route's pattern (for the coverage
 * check), the path with {id}, {slug} and {org} to fill in, and the body
 * ({csrf} filled in). NULL method: this door has no such route. */
struct door_req {
	const char *method, *pattern, *path, *body;
};

enum body_kind { B_NONE, B_JSON, B_FORM, B_MULTIPART };

struct row {
	const char *name;
	enum thing thing;
	struct door_req api;
	enum body_kind api_body;
	struct door_req citizen_page, staff_page;
	enum body_kind page_body;
	/* by role: own, someone else's */
	enum dec want[N_ROLES][2];
	/* list rows: what marks a thing in the response ("%lld" of a case
	 * id), for "own listed, the other's not" */
	int lists_cases;
	/* set when the row fails because of a bug in a door this test's
	 * author does not own: the failures are counted and printed, not
	 * fatal; the note says what is wrong */
	const char *known_bug;
};

#define ALL(d) { d, d }
#define OWN_ONLY(d) { d, NF }

static const struct row rows[] = {
	/* ---- cases ---- */
	{ "case: read", T_CASE,
	  { "GET", "/api/v1/cases/{id}", "/api/v1/cases/{id}", NULL }, B_NONE,
	  { "GET", "/mit-overblik/sag/{id}", "/mit-overblik/sag/{id}", NULL },
	  { "GET", "/sagsbehandling/sag/{id}", "/sagsbehandling/sag/{id}", NULL },
	  B_NONE,
	  { [ANON] = ALL(IN), [CIT_A] = OWN_ONLY(OK), [CIT_B] = OWN_ONLY(OK),
	    [CW_A] = OWN_ONLY(OK), [ED_A] = ALL(FB), [CW_B] = OWN_ONLY(OK),
	    [ED_B] = ALL(FB), [CW_AG] = OWN_ONLY(OK), [TOKEN] = { SKIP, NF } },
	  0, NULL },
	{ "case: transition", T_CASE,
	  { "POST", "/api/v1/cases/{id}/transition", "/api/v1/cases/{id}/transition",
	    "{\"to\":\"done\",\"version\":1}" }, B_JSON,
	  { NULL, NULL, NULL, NULL },
	  { "POST", "/sagsbehandling/sag/{id}/overgang",
	    "/sagsbehandling/sag/{id}/overgang", "csrf={csrf}&til=done&version=1" },
	  B_FORM,
	  /* the staff side of a case does not exist for a citizen */
	  { [ANON] = ALL(IN), [CIT_A] = ALL(NF), [CIT_B] = ALL(NF),
	    [CW_A] = OWN_ONLY(OK), [ED_A] = ALL(FB), [CW_B] = OWN_ONLY(OK),
	    [ED_B] = ALL(FB), [CW_AG] = OWN_ONLY(OK), [TOKEN] = { SKIP, NF } },
	  0, NULL },
	{ "case: assign", T_CASE,
	  { "POST", "/api/v1/cases/{id}/assign", "/api/v1/cases/{id}/assign",
	    "{\"assignee\":\"nobody\",\"version\":1}" }, B_JSON,
	  { NULL, NULL, NULL, NULL },
	  { "POST", "/sagsbehandling/sag/{id}/tildeling",
	    "/sagsbehandling/sag/{id}/tildeling", "csrf={csrf}&tildel=ingen&version=1" },
	  B_FORM,
	  { [ANON] = ALL(IN), [CIT_A] = ALL(NF), [CIT_B] = ALL(NF),
	    [CW_A] = OWN_ONLY(OK), [ED_A] = ALL(FB), [CW_B] = OWN_ONLY(OK),
	    [ED_B] = ALL(FB), [CW_AG] = OWN_ONLY(OK), [TOKEN] = { SKIP, NF } },
	  0, NULL },
	{ "case: note", T_CASE,
	  { "POST", "/api/v1/cases/{id}/notes", "/api/v1/cases/{id}/notes",
	    "{\"text\":\"Matrix\"}" }, B_JSON,
	  { NULL, NULL, NULL, NULL },
	  { "POST", "/sagsbehandling/sag/{id}/note", "/sagsbehandling/sag/{id}/note",
	    "csrf={csrf}&tekst=Matrix&version=1" },
	  B_FORM,
	  { [ANON] = ALL(IN), [CIT_A] = ALL(NF), [CIT_B] = ALL(NF),
	    [CW_A] = OWN_ONLY(OK), [ED_A] = ALL(FB), [CW_B] = OWN_ONLY(OK),
	    [ED_B] = ALL(FB), [CW_AG] = OWN_ONLY(OK), [TOKEN] = { SKIP, NF } },
	  0, NULL },
	{ "case: request to the citizen", T_CASE,
	  { "POST", "/api/v1/cases/{id}/requests", "/api/v1/cases/{id}/requests",
	    "{\"question\":\"Matrix?\",\"version\":1}" }, B_JSON,
	  { NULL, NULL, NULL, NULL },
	  { "POST", "/sagsbehandling/sag/{id}/anmodning",
	    "/sagsbehandling/sag/{id}/anmodning",
	    "csrf={csrf}&spoergsmaal=Matrix&version=1" },
	  B_FORM,
	  { [ANON] = ALL(IN), [CIT_A] = ALL(NF), [CIT_B] = ALL(NF),
	    [CW_A] = OWN_ONLY(OK), [ED_A] = ALL(FB), [CW_B] = OWN_ONLY(OK),
	    [ED_B] = ALL(FB), [CW_AG] = OWN_ONLY(OK), [TOKEN] = { SKIP, NF } },
	  0, NULL },
	{ "case: the citizen's answer", T_CASE,
	  { "POST", "/api/v1/cases/{id}/answers", "/api/v1/cases/{id}/answers",
	    "{\"answer\":\"Matrix\"}" }, B_JSON,
	  { "POST", "/mit-overblik/sag/{id}/svar", "/mit-overblik/sag/{id}/svar",
	    "csrf={csrf}&svar=Matrix" },
	  { NULL, NULL, NULL, NULL },
	  B_FORM,
	  /* only a citizen answers: anyone else is asked to sign in as one */
	  { [ANON] = ALL(IN), [CIT_A] = OWN_ONLY(OK), [CIT_B] = OWN_ONLY(OK),
	    [CW_A] = ALL(IN), [ED_A] = ALL(IN), [CW_B] = ALL(IN), [ED_B] = ALL(IN),
	    [CW_AG] = ALL(IN), [TOKEN] = { SKIP, IN } },
	  0, NULL },
	/* p-parties (issue 16): the other party to a case reads their
	 * invitation and answers it; nobody else (the applicant included)
	 * learns of it; only a citizen has one */
	{ "case: the other party's invitation", T_PARTY,
	  { "GET", "/api/v1/cases/{id}/parties/me", "/api/v1/cases/{id}/parties/me",
	    NULL }, B_NONE,
	  { "GET", "/mit-overblik/part/{id}", "/mit-overblik/part/{id}", NULL },
	  { NULL, NULL, NULL, NULL },
	  B_NONE,
	  { [ANON] = ALL(IN), [CIT_A] = OWN_ONLY(OK), [CIT_B] = OWN_ONLY(OK),
	    [CW_A] = ALL(IN), [ED_A] = ALL(IN), [CW_B] = ALL(IN), [ED_B] = ALL(IN),
	    [CW_AG] = ALL(IN), [TOKEN] = { SKIP, IN } },
	  0, NULL },
	/* allowed: the first answer confirms, the next are 409 */
	{ "case: the other party's answer", T_PARTY,
	  { "POST", "/api/v1/cases/{id}/parties/me", "/api/v1/cases/{id}/parties/me",
	    "{\"answer\":\"confirm\"}" }, B_JSON,
	  { "POST", "/mit-overblik/part/{id}", "/mit-overblik/part/{id}",
	    "csrf={csrf}&svar=bekraeft" },
	  { NULL, NULL, NULL, NULL },
	  B_FORM,
	  { [ANON] = ALL(IN), [CIT_A] = OWN_ONLY(OK), [CIT_B] = OWN_ONLY(OK),
	    [CW_A] = ALL(IN), [ED_A] = ALL(IN), [CW_B] = ALL(IN), [ED_B] = ALL(IN),
	    [CW_AG] = ALL(IN), [TOKEN] = { SKIP, IN } },
	  0, NULL },
	/* p-agree (issue 16, point 4): an agreement is read by its signers
	 * (both citizens: one applied, the other is invited) and the staff
	 * of the case's organisation, and signed and changed by its signers
	 * only (allowed: 200, or 409 once signed or changed) */
	{ "case: the agreement", T_AGREEMENT,
	  { "GET", "/api/v1/cases/{id}/agreement", "/api/v1/cases/{id}/agreement",
	    NULL }, B_NONE,
	  { NULL, NULL, NULL, NULL },
	  { NULL, NULL, NULL, NULL },
	  B_NONE,
	  { [ANON] = ALL(IN), [CIT_A] = ALL(OK), [CIT_B] = ALL(OK),
	    [CW_A] = ALL(NF), [ED_A] = ALL(FB), [CW_B] = ALL(NF), [ED_B] = ALL(FB),
	    [CW_AG] = ALL(OK), [TOKEN] = { SKIP, NF } },
	  0, NULL },
	{ "case: the agreement's signature", T_AGREEMENT,
	  { "POST", "/api/v1/cases/{id}/agreement/signatures",
	    "/api/v1/cases/{id}/agreement/signatures", "{\"version\":1}" }, B_JSON,
	  { "POST", "/mit-overblik/aftale/{id}", "/mit-overblik/aftale/{id}",
	    "csrf={csrf}&udgave=1" },
	  { NULL, NULL, NULL, NULL },
	  B_FORM,
	  { [ANON] = ALL(IN), [CIT_A] = ALL(OK), [CIT_B] = ALL(OK),
	    [CW_A] = ALL(IN), [ED_A] = ALL(IN), [CW_B] = ALL(IN), [ED_B] = ALL(IN),
	    [CW_AG] = ALL(IN), [TOKEN] = { SKIP, IN } },
	  0, NULL },
	{ "case: the agreement's change page", T_AGREEMENT,
	  { NULL, NULL, NULL, NULL }, B_NONE,
	  { "GET", "/mit-overblik/aftale/{id}/aendring",
	    "/mit-overblik/aftale/{id}/aendring", NULL },
	  { NULL, NULL, NULL, NULL },
	  B_NONE,
	  { [ANON] = ALL(IN), [CIT_A] = ALL(OK), [CIT_B] = ALL(OK),
	    [CW_A] = ALL(IN), [ED_A] = ALL(IN), [CW_B] = ALL(IN), [ED_B] = ALL(IN),
	    [CW_AG] = ALL(IN), [TOKEN] = { SKIP, IN } },
	  0, NULL },
	{ "case: the agreement's change on the page", T_AGREEMENT,
	  { NULL, NULL, NULL, NULL }, B_NONE,
	  { "POST", "/mit-overblik/aftale/{id}/aendring",
	    "/mit-overblik/aftale/{id}/aendring",
	    "csrf={csrf}&udgave=1&samvaer=Matrix" },
	  { NULL, NULL, NULL, NULL },
	  B_FORM,
	  { [ANON] = ALL(IN), [CIT_A] = ALL(OK), [CIT_B] = ALL(OK),
	    [CW_A] = ALL(IN), [ED_A] = ALL(IN), [CW_B] = ALL(IN), [ED_B] = ALL(IN),
	    [CW_AG] = ALL(IN), [TOKEN] = { SKIP, IN } },
	  0, NULL },
	{ "case: the agreement's change", T_AGREEMENT,
	  { "PUT", "/api/v1/cases/{id}/agreement", "/api/v1/cases/{id}/agreement",
	    "{\"version\":1,\"fields\":{\"samvaer\":\"En uge hos hver\"}}" }, B_JSON,
	  { NULL, NULL, NULL, NULL },
	  { NULL, NULL, NULL, NULL },
	  B_NONE,
	  { [ANON] = ALL(IN), [CIT_A] = ALL(OK), [CIT_B] = ALL(OK),
	    [CW_A] = ALL(IN), [ED_A] = ALL(IN), [CW_B] = ALL(IN), [ED_B] = ALL(IN),
	    [CW_AG] = ALL(IN), [TOKEN] = { SKIP, IN } },
	  0, NULL },
	{ "cases: the list", T_CASE,
	  { "GET", "/api/v1/cases", "/api/v1/cases?open=0&limit=200", NULL }, B_NONE,
	  { "GET", "/mit-overblik", "/mit-overblik", NULL },
	  { "GET", "/sagsbehandling", "/sagsbehandling", NULL },
	  B_NONE,
	  { [ANON] = ALL(IN), [CIT_A] = ALL(OK), [CIT_B] = ALL(OK), [CW_A] = ALL(OK),
	    [ED_A] = ALL(FB), [CW_B] = ALL(OK), [ED_B] = ALL(FB), [CW_AG] = ALL(OK),
	    [TOKEN] = { SKIP, OK } },
	  1, NULL },
	{ "upload: a form with a file", T_NONE,
	  { "POST", "/api/v1/cases", "/api/v1/cases",
	    "{\"case_type\":\"tilskud\",\"values\":{\"antal\":1,\"bilag\":"
	    "{\"name\":\"a.pdf\",\"content_type\":\"application/pdf\","
	    "\"data\":\"JVBERi0xLjQK\"}}}" }, B_JSON,
	  { "POST", "/blanket/{code}", "/blanket/tilskud", NULL },
	  { NULL, NULL, NULL, NULL },
	  B_MULTIPART,
	  /* only citizens send forms; the new case is their own */
	  { [ANON] = ALL(IN), [CIT_A] = { OK, SKIP }, [CIT_B] = { OK, SKIP },
	    [CW_A] = { IN, SKIP }, [ED_A] = { IN, SKIP }, [CW_B] = { IN, SKIP },
	    [ED_B] = { IN, SKIP }, [CW_AG] = { IN, SKIP }, [TOKEN] = { SKIP, IN } },
	  0, NULL },

	/* ---- plans and Mit overblik ---- */
	{ "plan: read", T_PLAN,
	  { "GET", "/api/v1/plans/{id}", "/api/v1/plans/{id}", NULL }, B_NONE,
	  { "GET", "/mit-overblik/forloeb/{id}", "/mit-overblik/forloeb/{id}", NULL },
	  { NULL, NULL, NULL, NULL },
	  B_NONE,
	  { [ANON] = ALL(IN), [CIT_A] = OWN_ONLY(OK), [CIT_B] = OWN_ONLY(OK),
	    [CW_A] = ALL(IN), [ED_A] = ALL(IN), [CW_B] = ALL(IN), [ED_B] = ALL(IN),
	    [CW_AG] = { SKIP, IN }, [TOKEN] = { SKIP, IN } },
	  0, NULL },
	{ "plan: make one", T_NONE,
	  { "POST", "/api/v1/plans", "/api/v1/plans",
	    "{\"life_event\":\"flytning\",\"answers\":{}}" }, B_JSON,
	  { "POST", "/livssituation/{slug}", "/livssituation/flytning",
	    "csrf={csrf}" },
	  { NULL, NULL, NULL, NULL },
	  B_FORM,
	  { [ANON] = ALL(IN), [CIT_A] = { OK, SKIP }, [CIT_B] = { OK, SKIP },
	    [CW_A] = { IN, SKIP }, [ED_A] = { IN, SKIP }, [CW_B] = { IN, SKIP },
	    [ED_B] = { IN, SKIP }, [CW_AG] = { IN, SKIP }, [TOKEN] = { SKIP, IN } },
	  0, NULL },
	{ "Mit overblik", T_NONE,
	  { "GET", "/api/v1/overview", "/api/v1/overview", NULL }, B_NONE,
	  { "GET", "/mit-overblik", "/mit-overblik", NULL },
	  { NULL, NULL, NULL, NULL },
	  B_NONE,
	  { [ANON] = ALL(IN), [CIT_A] = { OK, SKIP }, [CIT_B] = { OK, SKIP },
	    [CW_A] = { IN, SKIP }, [ED_A] = { IN, SKIP }, [CW_B] = { IN, SKIP },
	    [ED_B] = { IN, SKIP }, [CW_AG] = { IN, SKIP }, [TOKEN] = { SKIP, IN } },
	  0, NULL },
	/* x-ext (issue 15): only an authority's case system (an API token
	 * with the role case-system, tests/api/test_external_api.c) reports
	 * and reads external cases; none of the callers here has it */
	{ "external case: report", T_NONE,
	  { "PUT", "/api/v1/external-cases/{system}/{id}",
	    "/api/v1/external-cases/esdh/X-1",
	    "{\"cpr\":\"070761-4285\",\"title\":\"T\",\"state\":\"S\","
	    "\"text\":\"\",\"version\":1,\"case_type\":\"x\"}" }, B_JSON,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  { [ANON] = ALL(IN), [CIT_A] = { FB, SKIP }, [CIT_B] = { FB, SKIP },
	    [CW_A] = { FB, SKIP }, [ED_A] = { FB, SKIP }, [CW_B] = { FB, SKIP },
	    [ED_B] = { FB, SKIP }, [CW_AG] = { FB, SKIP }, [TOKEN] = { FB, SKIP } },
	  0, NULL },
	{ "external case: read", T_NONE,
	  { "GET", "/api/v1/external-cases/{system}/{id}",
	    "/api/v1/external-cases/esdh/X-1", NULL }, B_NONE,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  { [ANON] = ALL(IN), [CIT_A] = { FB, SKIP }, [CIT_B] = { FB, SKIP },
	    [CW_A] = { FB, SKIP }, [ED_A] = { FB, SKIP }, [CW_B] = { FB, SKIP },
	    [ED_B] = { FB, SKIP }, [CW_AG] = { FB, SKIP }, [TOKEN] = { FB, SKIP } },
	  0, NULL },
	/* x-decl (issue 15): an organisation's admin declares its case
	 * systems, which the admin and its case-system tokens read
	 * (tests/api/test_external_api.c); none of the callers here is
	 * either */
	{ "case system: declare", T_NONE,
	  { "PUT", "/api/v1/case-systems/{system}",
	    "/api/v1/case-systems/esdh",
	    "{\"label\":\"ESDH\",\"states\":[{\"name\":\"Ny\","
	    "\"stage\":\"received\"}],\"case_types\":[{\"key\":\"x\","
	    "\"name\":\"X\"}]}" }, B_JSON,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  { [ANON] = ALL(IN), [CIT_A] = { FB, SKIP }, [CIT_B] = { FB, SKIP },
	    [CW_A] = { FB, SKIP }, [ED_A] = { FB, SKIP }, [CW_B] = { FB, SKIP },
	    [ED_B] = { FB, SKIP }, [CW_AG] = { FB, SKIP }, [TOKEN] = { FB, SKIP } },
	  0, NULL },
	{ "case system: read", T_NONE,
	  { "GET", "/api/v1/case-systems/{system}",
	    "/api/v1/case-systems/esdh", NULL }, B_NONE,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  { [ANON] = ALL(IN), [CIT_A] = { FB, SKIP }, [CIT_B] = { FB, SKIP },
	    [CW_A] = { FB, SKIP }, [ED_A] = { FB, SKIP }, [CW_B] = { FB, SKIP },
	    [ED_B] = { FB, SKIP }, [CW_AG] = { FB, SKIP }, [TOKEN] = { FB, SKIP } },
	  0, NULL },
	{ "case systems: list", T_NONE,
	  { "GET", "/api/v1/case-systems", "/api/v1/case-systems", NULL }, B_NONE,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  { [ANON] = ALL(IN), [CIT_A] = { FB, SKIP }, [CIT_B] = { FB, SKIP },
	    [CW_A] = { FB, SKIP }, [ED_A] = { FB, SKIP }, [CW_B] = { FB, SKIP },
	    [ED_B] = { FB, SKIP }, [CW_AG] = { FB, SKIP }, [TOKEN] = { FB, SKIP } },
	  0, NULL },
	{ "who read my data", T_NONE,
	  { "GET", "/api/v1/audit", "/api/v1/audit", NULL }, B_NONE,
	  { "GET", "/mit-overblik/indsigt", "/mit-overblik/indsigt", NULL },
	  { NULL, NULL, NULL, NULL },
	  B_NONE,
	  { [ANON] = ALL(IN), [CIT_A] = { OK, SKIP }, [CIT_B] = { OK, SKIP },
	    [CW_A] = { IN, SKIP }, [ED_A] = { IN, SKIP }, [CW_B] = { IN, SKIP },
	    [ED_B] = { IN, SKIP }, [CW_AG] = { IN, SKIP }, [TOKEN] = { SKIP, IN } },
	  0, NULL },

	/* ---- inquiries: the front desk's; a citizen reads their own ---- */
	{ "inquiry: read", T_INQUIRY,
	  { "GET", "/api/v1/inquiries/{id}", "/api/v1/inquiries/{id}", NULL }, B_NONE,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  { [ANON] = ALL(IN), [CIT_A] = OWN_ONLY(OK), [CIT_B] = OWN_ONLY(OK),
	    [CW_A] = OWN_ONLY(OK), [ED_A] = ALL(NF), [CW_B] = OWN_ONLY(OK),
	    [ED_B] = ALL(NF), [CW_AG] = OWN_ONLY(OK), [TOKEN] = { SKIP, NF } },
	  0, NULL },
	{ "inquiry: set the outcome", T_INQUIRY,
	  /* a stale version: allowed is 412, nothing changed */
	  { "POST", "/api/v1/inquiries/{id}/outcome", "/api/v1/inquiries/{id}/outcome",
	    "{\"outcome\":\"resolved_first_contact\",\"version\":999}" }, B_JSON,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  /* a citizen may read their own, not change it: 403 */
	  { [ANON] = ALL(IN), [CIT_A] = { FB, NF }, [CIT_B] = { FB, NF },
	    [CW_A] = OWN_ONLY(OK), [ED_A] = ALL(NF), [CW_B] = OWN_ONLY(OK),
	    [ED_B] = ALL(NF), [CW_AG] = OWN_ONLY(OK), [TOKEN] = { SKIP, NF } },
	  0, NULL },
	{ "inquiries: the list", T_NONE,
	  { "GET", "/api/v1/inquiries", "/api/v1/inquiries", NULL }, B_NONE,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  { [ANON] = { IN, SKIP }, [CIT_A] = { OK, SKIP }, [CIT_B] = { OK, SKIP },
	    [CW_A] = { OK, SKIP }, [ED_A] = { FB, SKIP }, [CW_B] = { OK, SKIP },
	    [ED_B] = { FB, SKIP }, [CW_AG] = { OK, SKIP }, [TOKEN] = { SKIP, OK } },
	  0, NULL },
	{ "inquiry: log one", T_NONE,
	  { "POST", "/api/v1/inquiries", "/api/v1/inquiries",
	    "{\"channel\":\"counter\"}" }, B_JSON,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  /* for the caller's own organisation, by those who work cases */
	  { [ANON] = { IN, SKIP }, [CIT_A] = { FB, SKIP }, [CIT_B] = { FB, SKIP },
	    [CW_A] = { OK, SKIP }, [ED_A] = { FB, SKIP }, [CW_B] = { OK, SKIP },
	    [ED_B] = { FB, SKIP }, [CW_AG] = { OK, SKIP }, [TOKEN] = { SKIP, OK } },
	  0, NULL },

	/* ---- articles ---- */
	{ "article: read a published one", T_ARTICLE,
	  { "GET", "/api/v1/articles/{slug}", "/api/v1/articles/{slug}?organisation={org}",
	    NULL }, B_NONE,
	  { "GET", "/artikel/{slug}", "/artikel/{slug}?kommune={org}", NULL },
	  { "GET", "/artikel/{slug}", "/artikel/{slug}?kommune={org}", NULL },
	  B_NONE,
	  { [ANON] = ALL(OK), [CIT_A] = ALL(OK), [CIT_B] = ALL(OK), [CW_A] = ALL(OK),
	    [ED_A] = ALL(OK), [CW_B] = ALL(OK), [ED_B] = ALL(OK),
	    [CW_AG] = { SKIP, OK }, [TOKEN] = { SKIP, OK } },
	  0, NULL },
	{ "article: read a draft", T_DRAFT,
	  { "GET", "/api/v1/articles/{slug}", "/api/v1/articles/{slug}?organisation={org}",
	    NULL }, B_NONE,
	  { "GET", "/artikel/{slug}", "/artikel/{slug}?kommune={org}", NULL },
	  { "GET", "/artikel/{slug}", "/artikel/{slug}?kommune={org}", NULL },
	  B_NONE,
	  { [ANON] = ALL(NF), [CIT_A] = ALL(NF), [CIT_B] = ALL(NF), [CW_A] = ALL(NF),
	    [ED_A] = OWN_ONLY(OK), [CW_B] = ALL(NF), [ED_B] = OWN_ONLY(OK),
	    [CW_AG] = { SKIP, NF }, [TOKEN] = { SKIP, NF } },
	  0, NULL },
	{ "article: change", T_ARTICLE,
	  { "PUT", "/api/v1/articles/{slug}", "/api/v1/articles/{slug}?organisation={org}",
	    "{\"title\":\"Ny titel\",\"summary\":\"Et resumé.\",\"body\":\"Tekst.\","
	    "\"audience\":\"citizen\",\"status\":\"published\",\"version\":999}" },
	  B_JSON,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  /* may read a published article, may not change it: 403 */
	  { [ANON] = ALL(IN), [CIT_A] = ALL(FB), [CIT_B] = ALL(FB), [CW_A] = ALL(FB),
	    [ED_A] = { OK, FB }, [CW_B] = ALL(FB), [ED_B] = { OK, FB },
	    [CW_AG] = { SKIP, FB }, [TOKEN] = { SKIP, FB } },
	  0, NULL },
	{ "article: archive", T_ARTICLE,
	  { "DELETE", "/api/v1/articles/{slug}",
	    "/api/v1/articles/{slug}?organisation={org}", NULL }, B_NONE,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  { [ANON] = ALL(IN), [CIT_A] = ALL(FB), [CIT_B] = ALL(FB), [CW_A] = ALL(FB),
	    [ED_A] = { OK, FB }, [CW_B] = ALL(FB), [ED_B] = { OK, FB },
	    [CW_AG] = { SKIP, FB }, [TOKEN] = { SKIP, FB } },
	  0, NULL },
	{ "article: write a new one", T_NONE,
	  { "POST", "/api/v1/articles", "/api/v1/articles",
	    "{\"slug\":\"ny-{role}\",\"organisation\":\"{org}\",\"title\":\"Ny\","
	    "\"summary\":\"Et resumé.\",\"body\":\"Tekst.\",\"status\":\"draft\"}" },
	  B_JSON,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  /* own: for the caller's organisation; the other: for the other
	   * municipality */
	  { [ANON] = ALL(IN), [CIT_A] = ALL(FB), [CIT_B] = ALL(FB), [CW_A] = ALL(FB),
	    [ED_A] = { OK, FB }, [CW_B] = ALL(FB), [ED_B] = { OK, FB },
	    [CW_AG] = { SKIP, FB }, [TOKEN] = { SKIP, FB } },
	  0, NULL },
	{ "article: its history", T_ARTICLE,
	  { "GET", "/api/v1/articles/{slug}/history",
	    "/api/v1/articles/{slug}/history?organisation={org}", NULL }, B_NONE,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  { [ANON] = ALL(IN), [CIT_A] = ALL(FB), [CIT_B] = ALL(FB), [CW_A] = ALL(FB),
	    [ED_A] = OWN_ONLY(OK), [CW_B] = ALL(FB), [ED_B] = OWN_ONLY(OK),
	    [CW_AG] = { SKIP, FB }, [TOKEN] = { SKIP, FB } },
	  0,
	  /* KNOWN: api/articles.c (door-articles) asks hh_access with the
	   * owner only, so a role that reads no history at all gets 404,
	   * where the other doors answer 403 (nothing leaks either way) */
	  "a role without history gets 404, not 403 (api/articles.c)" },
	/* s-tune (issue 13): the versions as the editors' page lists them */
	{ "article: its versions", T_ARTICLE,
	  { "GET", "/api/v1/articles/{slug}/versions",
	    "/api/v1/articles/{slug}/versions?organisation={org}", NULL }, B_NONE,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  { [ANON] = ALL(IN), [CIT_A] = ALL(FB), [CIT_B] = ALL(FB), [CW_A] = ALL(FB),
	    [ED_A] = OWN_ONLY(OK), [CW_B] = ALL(FB), [ED_B] = OWN_ONLY(OK),
	    [CW_AG] = { SKIP, FB }, [TOKEN] = { SKIP, FB } },
	  0, NULL },
	{ "article: list", T_NONE,
	  { "GET", "/api/v1/articles", "/api/v1/articles", NULL }, B_NONE,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  { [ANON] = { OK, SKIP }, [CIT_A] = { OK, SKIP }, [CIT_B] = { OK, SKIP },
	    [CW_A] = { OK, SKIP }, [ED_A] = { OK, SKIP }, [CW_B] = { OK, SKIP },
	    [ED_B] = { OK, SKIP }, [CW_AG] = { OK, SKIP }, [TOKEN] = { SKIP, OK } },
	  0, NULL },

	/* ---- the search report ---- */
	{ "search report", T_NONE,
	  { "GET", "/api/v1/search-report", "/api/v1/search-report", NULL }, B_NONE,
	  { NULL, NULL, NULL, NULL },
	  { "GET", "/personale/soegninger", "/personale/soegninger", NULL },
	  B_NONE,
	  { [ANON] = ALL(IN), [CIT_A] = { FB, SKIP }, [CIT_B] = { FB, SKIP },
	    [CW_A] = { FB, SKIP }, [ED_A] = { OK, SKIP }, [CW_B] = { FB, SKIP },
	    [ED_B] = { OK, SKIP }, [CW_AG] = { FB, SKIP }, [TOKEN] = { SKIP, FB } },
	  0, NULL },

	/* ---- Open311: requests are public, without personal data; an API
	 * key submits ---- */
	{ "Open311: one request", T_OPEN311,
	  { "GET", "/open311/v2/requests/{id}", "/open311/v2/requests/{id}.json", NULL },
	  B_NONE,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  { [ANON] = OWN_ONLY(OK), [CIT_A] = OWN_ONLY(OK), [CIT_B] = OWN_ONLY(OK),
	    [CW_A] = OWN_ONLY(OK), [ED_A] = OWN_ONLY(OK), [CW_B] = OWN_ONLY(OK),
	    [ED_B] = OWN_ONLY(OK), [CW_AG] = OWN_ONLY(OK), [TOKEN] = OWN_ONLY(OK) },
	  0, NULL },
	{ "Open311: the requests", T_NONE,
	  { "GET", "/open311/v2/requests.{format}", "/open311/v2/requests.json", NULL },
	  B_NONE,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  { [ANON] = { OK, SKIP }, [CIT_A] = { OK, SKIP }, [CIT_B] = { OK, SKIP },
	    [CW_A] = { OK, SKIP }, [ED_A] = { OK, SKIP }, [CW_B] = { OK, SKIP },
	    [ED_B] = { OK, SKIP }, [CW_AG] = { OK, SKIP }, [TOKEN] = { SKIP, OK } },
	  0, NULL },
	/* ---- chat: the citizen's own (by session here; by token in
	 * tests/api/test_chat_api.c), the agents' of the organisation
	 * (no agent in this matrix: the domain tests cover them); a
	 * caseworker has no chat, but reads a chat inquiry's transcript
	 * as the inquiry ---- */
	{ "chat: read", T_CHAT,
	  { "GET", "/api/v1/chats/{id}", "/api/v1/chats/{id}", NULL }, B_NONE,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  { [ANON] = ALL(NF), [CIT_A] = OWN_ONLY(OK), [CIT_B] = OWN_ONLY(OK),
	    [CW_A] = ALL(NF), [ED_A] = ALL(NF), [CW_B] = ALL(NF),
	    [ED_B] = ALL(NF), [CW_AG] = ALL(NF), [TOKEN] = { SKIP, NF } },
	  0, NULL },
	{ "chat: messages", T_CHAT,
	  { "GET", "/api/v1/chats/{id}/messages", "/api/v1/chats/{id}/messages?after=0",
	    NULL }, B_NONE,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  { [ANON] = ALL(NF), [CIT_A] = OWN_ONLY(OK), [CIT_B] = OWN_ONLY(OK),
	    [CW_A] = ALL(NF), [ED_A] = ALL(NF), [CW_B] = ALL(NF),
	    [ED_B] = ALL(NF), [CW_AG] = ALL(NF), [TOKEN] = { SKIP, NF } },
	  0, NULL },
	{ "chat: send a message", T_CHAT,
	  { "POST", "/api/v1/chats/{id}/messages", "/api/v1/chats/{id}/messages",
	    "{\"body\":\"Matrix\"}" }, B_JSON,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  { [ANON] = ALL(NF), [CIT_A] = OWN_ONLY(OK), [CIT_B] = OWN_ONLY(OK),
	    [CW_A] = ALL(NF), [ED_A] = ALL(NF), [CW_B] = ALL(NF),
	    [ED_B] = ALL(NF), [CW_AG] = ALL(NF), [TOKEN] = { SKIP, NF } },
	  0, NULL },
	{ "chat: take", T_CHAT,
	  { "POST", "/api/v1/chats/{id}/take", "/api/v1/chats/{id}/take", NULL },
	  B_NONE,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  /* the citizen sees their chat but is no agent: 403 */
	  { [ANON] = ALL(NF), [CIT_A] = { FB, NF }, [CIT_B] = { FB, NF },
	    [CW_A] = ALL(NF), [ED_A] = ALL(NF), [CW_B] = ALL(NF),
	    [ED_B] = ALL(NF), [CW_AG] = ALL(NF), [TOKEN] = { SKIP, NF } },
	  0, NULL },
	{ "chat: transfer", T_CHAT,
	  { "POST", "/api/v1/chats/{id}/transfer", "/api/v1/chats/{id}/transfer",
	    "{\"team\":\"ydelse\"}" }, B_JSON,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  { [ANON] = ALL(NF), [CIT_A] = { FB, NF }, [CIT_B] = { FB, NF },
	    [CW_A] = ALL(NF), [ED_A] = ALL(NF), [CW_B] = ALL(NF),
	    [ED_B] = ALL(NF), [CW_AG] = ALL(NF), [TOKEN] = { SKIP, NF } },
	  0, NULL },
	{ "chat: close with an outcome", T_CHAT,
	  { "POST", "/api/v1/chats/{id}/close", "/api/v1/chats/{id}/close",
	    "{\"outcome\":\"resolved_first_contact\"}" }, B_JSON,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  /* the outcome is the agent's to log: the citizen's own is 403 */
	  { [ANON] = ALL(NF), [CIT_A] = { FB, NF }, [CIT_B] = { FB, NF },
	    [CW_A] = ALL(NF), [ED_A] = ALL(NF), [CW_B] = ALL(NF),
	    [ED_B] = ALL(NF), [CW_AG] = ALL(NF), [TOKEN] = { SKIP, NF } },
	  0, NULL },
	{ "chat: rate", T_CHAT,
	  /* the chat is open: allowed is 409, nothing rated */
	  { "POST", "/api/v1/chats/{id}/rating", "/api/v1/chats/{id}/rating",
	    "{\"rating\":5}" }, B_JSON,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  { [ANON] = ALL(NF), [CIT_A] = OWN_ONLY(OK), [CIT_B] = OWN_ONLY(OK),
	    [CW_A] = ALL(NF), [ED_A] = ALL(NF), [CW_B] = ALL(NF),
	    [ED_B] = ALL(NF), [CW_AG] = ALL(NF), [TOKEN] = { SKIP, NF } },
	  0, NULL },
	{ "chat: open one", T_NONE,
	  { "POST", "/api/v1/chats", "/api/v1/chats", "{\"organisation\":\"{org}\"}" },
	  B_JSON,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  /* citizens, signed in or not; staff have the console */
	  { [ANON] = { OK, SKIP }, [CIT_A] = { OK, SKIP }, [CIT_B] = { OK, SKIP },
	    [CW_A] = { FB, SKIP }, [ED_A] = { FB, SKIP }, [CW_B] = { FB, SKIP },
	    [ED_B] = { FB, SKIP }, [CW_AG] = { FB, SKIP }, [TOKEN] = { SKIP, FB } },
	  0, NULL },
	{ "chat: a written inquiry", T_NONE,
	  { "POST", "/api/v1/written-inquiries", "/api/v1/written-inquiries",
	    "{\"organisation\":\"{org}\",\"text\":\"Hej\",\"contact\":\"a@b.dk\"}" },
	  B_JSON,
	  { "POST", "/chat/skriv", "/chat/skriv",
	    "csrf={csrf}&organisation={org}&text=Hej&contact=a%40b.dk" },
	  { "POST", "/chat/skriv", "/chat/skriv",
	    "csrf={csrf}&organisation={org}&text=Hej&contact=a%40b.dk" },
	  B_FORM,
	  { [ANON] = { OK, SKIP }, [CIT_A] = { OK, SKIP }, [CIT_B] = { OK, SKIP },
	    [CW_A] = { FB, SKIP }, [ED_A] = { FB, SKIP }, [CW_B] = { FB, SKIP },
	    [ED_B] = { FB, SKIP }, [CW_AG] = { FB, SKIP }, [TOKEN] = { SKIP, FB } },
	  0, NULL },
	{ "chat: rate without the chat's cookie", T_NONE,
	  { NULL, NULL, NULL, NULL }, B_NONE,
	  { "POST", "/chat/bedoem", "/chat/bedoem", "csrf={csrf}&rating=5" },
	  { "POST", "/chat/bedoem", "/chat/bedoem", "csrf={csrf}&rating=5" },
	  B_FORM,
	  { [ANON] = { NF, SKIP }, [CIT_A] = { NF, SKIP }, [CIT_B] = { NF, SKIP },
	    [CW_A] = { NF, SKIP }, [ED_A] = { NF, SKIP }, [CW_B] = { NF, SKIP },
	    [ED_B] = { NF, SKIP }, [CW_AG] = { NF, SKIP }, [TOKEN] = { SKIP, SKIP } },
	  0, NULL },
	{ "chat: the agent's console", T_NONE,
	  { "GET", "/api/v1/chat-console", "/api/v1/chat-console", NULL }, B_NONE,
	  { NULL, NULL, NULL, NULL },
	  { "GET", "/borgerservice/chat", "/borgerservice/chat", NULL }, B_NONE,
	  { [ANON] = { IN, SKIP }, [CIT_A] = { FB, SKIP }, [CIT_B] = { FB, SKIP },
	    [CW_A] = { FB, SKIP }, [ED_A] = { FB, SKIP }, [CW_B] = { FB, SKIP },
	    [ED_B] = { FB, SKIP }, [CW_AG] = { FB, SKIP }, [TOKEN] = { SKIP, FB } },
	  0, NULL },
	{ "chat: a chat inquiry's transcript", T_CHAT_INQUIRY,
	  { "GET", "/api/v1/inquiries/{id}/transcript",
	    "/api/v1/inquiries/{id}/transcript", NULL }, B_NONE,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  /* as the inquiry: the citizen's own, the organisation's staff
	   * who read inquiries */
	  { [ANON] = ALL(IN), [CIT_A] = OWN_ONLY(OK), [CIT_B] = OWN_ONLY(OK),
	    [CW_A] = OWN_ONLY(OK), [ED_A] = ALL(NF), [CW_B] = OWN_ONLY(OK),
	    [ED_B] = ALL(NF), [CW_AG] = OWN_ONLY(OK), [TOKEN] = { SKIP, NF } },
	  0, NULL },

	{ "Open311: a request by its token", T_OPEN311,
	  { "GET", "/open311/v2/tokens/{id}", "/open311/v2/tokens/{id}.json", NULL },
	  B_NONE,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  /* a token is the case's id as Open311 hands it out: public */
	  { [ANON] = OWN_ONLY(OK), [CIT_A] = OWN_ONLY(OK), [CIT_B] = OWN_ONLY(OK),
	    [CW_A] = OWN_ONLY(OK), [ED_A] = OWN_ONLY(OK), [CW_B] = OWN_ONLY(OK),
	    [ED_B] = OWN_ONLY(OK), [CW_AG] = OWN_ONLY(OK), [TOKEN] = OWN_ONLY(OK) },
	  0, NULL },
	{ "Open311: submit a request", T_NONE,
	  { "POST", "/open311/v2/requests.{format}", "/open311/v2/requests.json",
	    "service_code=ydelse&attribute%5Bantal%5D=1{apikey}" }, B_FORM,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  /* only with an API key (the token's, for its own organisation's
	   * service); without one Open311 answers 403 for everyone, as its
	   * specification has it */
	  { [ANON] = { FB, SKIP }, [CIT_A] = { FB, SKIP }, [CIT_B] = { FB, SKIP },
	    [CW_A] = { FB, SKIP }, [ED_A] = { FB, SKIP }, [CW_B] = { FB, SKIP },
	    [ED_B] = { FB, SKIP }, [CW_AG] = { FB, SKIP }, [TOKEN] = { SKIP, OK } },
	  0, NULL },
	{ "Open311: submit to another organisation", T_NONE,
	  { "POST", "/open311/v2/requests.{format}", "/open311/v2/requests.json",
	    "service_code=skilsmisse&attribute%5Bantal%5D=1{apikey}" }, B_FORM,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  /* a caseworker's key (udk) has no role for Familieretshuset's
	   * service: 403 in Open311's error list */
	  { [ANON] = { FB, SKIP }, [CIT_A] = { FB, SKIP }, [CIT_B] = { FB, SKIP },
	    [CW_A] = { FB, SKIP }, [ED_A] = { FB, SKIP }, [CW_B] = { FB, SKIP },
	    [ED_B] = { FB, SKIP }, [CW_AG] = { FB, SKIP }, [TOKEN] = { SKIP, FB } },
	  0, NULL },

	/* ---- the agent's desk (Borgerservice): agents and admins find
	 * citizens (no such role in this matrix: every caller here is
	 * refused; tests/api/test_desk_api.c has the agents); the receiving
	 * side of a transfer is its organisation's case workers ---- */
	{ "desk: look up a citizen", T_NONE,
	  { "POST", "/api/v1/desk/lookup", "/api/v1/desk/lookup",
	    "{\"name\":\"Anna\"}" }, B_JSON,
	  { NULL, NULL, NULL, NULL },
	  { "POST", "/borgerservice/opslag", "/borgerservice/opslag",
	    "csrf={csrf}&navn=Anna" },
	  B_FORM,
	  { [ANON] = { IN, SKIP }, [CIT_A] = { FB, SKIP }, [CIT_B] = { FB, SKIP },
	    [CW_A] = { FB, SKIP }, [ED_A] = { FB, SKIP }, [CW_B] = { FB, SKIP },
	    [ED_B] = { FB, SKIP }, [CW_AG] = { FB, SKIP }, [TOKEN] = { SKIP, FB } },
	  0, NULL },
	{ "desk: a citizen's history", T_NONE,
	  { "GET", "/api/v1/desk/citizens/{id}/history", "/api/v1/desk/citizens/1/history",
	    NULL }, B_NONE,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  { [ANON] = { IN, SKIP }, [CIT_A] = { FB, SKIP }, [CIT_B] = { FB, SKIP },
	    [CW_A] = { FB, SKIP }, [ED_A] = { FB, SKIP }, [CW_B] = { FB, SKIP },
	    [ED_B] = { FB, SKIP }, [CW_AG] = { FB, SKIP }, [TOKEN] = { SKIP, FB } },
	  0, NULL },
	{ "desk: the page", T_NONE,
	  { NULL, NULL, NULL, NULL }, B_NONE,
	  { NULL, NULL, NULL, NULL },
	  { "GET", "/borgerservice", "/borgerservice", NULL },
	  B_NONE,
	  { [ANON] = { IN, SKIP }, [CW_A] = { FB, SKIP }, [ED_A] = { FB, SKIP },
	    [CW_B] = { FB, SKIP }, [ED_B] = { FB, SKIP }, [CW_AG] = { FB, SKIP } },
	  0, NULL },
	{ "desk: log a contact", T_NONE,
	  { NULL, NULL, NULL, NULL }, B_NONE,
	  { NULL, NULL, NULL, NULL },
	  { "POST", "/borgerservice/henvendelse", "/borgerservice/henvendelse",
	    "csrf={csrf}&udfald=resolved_first_contact" },
	  B_FORM,
	  { [ANON] = { IN, SKIP }, [CW_A] = { FB, SKIP }, [ED_A] = { FB, SKIP },
	    [CW_B] = { FB, SKIP }, [ED_B] = { FB, SKIP }, [CW_AG] = { FB, SKIP } },
	  0, NULL },
	{ "desk: teams and reasons", T_NONE,
	  { "GET", "/api/v1/desk/codes", "/api/v1/desk/codes", NULL }, B_NONE,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  { [ANON] = { IN, SKIP }, [CIT_A] = { FB, SKIP }, [CIT_B] = { FB, SKIP },
	    [CW_A] = { OK, SKIP }, [ED_A] = { FB, SKIP }, [CW_B] = { OK, SKIP },
	    [ED_B] = { FB, SKIP }, [CW_AG] = { OK, SKIP }, [TOKEN] = { SKIP, OK } },
	  0, NULL },
	{ "desk: callbacks due today", T_NONE,
	  { "GET", "/api/v1/desk/callbacks", "/api/v1/desk/callbacks", NULL }, B_NONE,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  { [ANON] = { IN, SKIP }, [CIT_A] = { FB, SKIP }, [CIT_B] = { FB, SKIP },
	    [CW_A] = { OK, SKIP }, [ED_A] = { FB, SKIP }, [CW_B] = { OK, SKIP },
	    [ED_B] = { FB, SKIP }, [CW_AG] = { OK, SKIP }, [TOKEN] = { SKIP, OK } },
	  0, NULL },
	{ "desk: the receiving queue", T_NONE,
	  { "GET", "/api/v1/desk/transfers", "/api/v1/desk/transfers", NULL }, B_NONE,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  { [ANON] = { IN, SKIP }, [CIT_A] = { FB, SKIP }, [CIT_B] = { FB, SKIP },
	    [CW_A] = { OK, SKIP }, [ED_A] = { FB, SKIP }, [CW_B] = { OK, SKIP },
	    [ED_B] = { FB, SKIP }, [CW_AG] = { OK, SKIP }, [TOKEN] = { SKIP, OK } },
	  0, NULL },
	{ "desk: a transfer", T_TRANSFER,
	  { "GET", "/api/v1/desk/transfers/{id}", "/api/v1/desk/transfers/{id}", NULL },
	  B_NONE,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  { [ANON] = ALL(IN), [CIT_A] = ALL(NF), [CIT_B] = ALL(NF),
	    [CW_A] = OWN_ONLY(OK), [ED_A] = ALL(NF), [CW_B] = OWN_ONLY(OK),
	    [ED_B] = ALL(NF), [CW_AG] = OWN_ONLY(OK), [TOKEN] = { SKIP, NF } },
	  0, NULL },
	{ "desk: take a transfer", T_TRANSFER,
	  { "POST", "/api/v1/desk/transfers/{id}/take", "/api/v1/desk/transfers/{id}/take",
	    NULL }, B_NONE,
	  { NULL, NULL, NULL, NULL },
	  { "POST", "/borgerservice/viderestilling/{id}",
	    "/borgerservice/viderestilling/{id}", "csrf={csrf}&handling=tag" },
	  B_FORM,
	  { [ANON] = ALL(IN), [CIT_A] = ALL(NF), [CIT_B] = ALL(NF),
	    [CW_A] = OWN_ONLY(OK), [ED_A] = ALL(NF), [CW_B] = OWN_ONLY(OK),
	    [ED_B] = ALL(NF), [CW_AG] = OWN_ONLY(OK), [TOKEN] = { SKIP, NF } },
	  0, NULL },
	{ "desk: close a transfer", T_TRANSFER,
	  { "POST", "/api/v1/desk/transfers/{id}/close", "/api/v1/desk/transfers/{id}/close",
	    "{\"result\":\"resolved\"}" }, B_JSON,
	  { NULL, NULL, NULL, NULL },
	  { "POST", "/borgerservice/viderestilling/{id}",
	    "/borgerservice/viderestilling/{id}", "csrf={csrf}&handling=loest" },
	  B_FORM,
	  /* closed once: a second close is 409, still "allowed" here */
	  { [ANON] = ALL(IN), [CIT_A] = ALL(NF), [CIT_B] = ALL(NF),
	    [CW_A] = OWN_ONLY(OK), [ED_A] = ALL(NF), [CW_B] = OWN_ONLY(OK),
	    [ED_B] = ALL(NF), [CW_AG] = OWN_ONLY(OK), [TOKEN] = { SKIP, NF } },
	  0, NULL },
	{ "desk: answered with an article", T_INQUIRY,
	  /* a stale version: allowed is 412, nothing changed */
	  { "POST", "/api/v1/inquiries/{id}/article", "/api/v1/inquiries/{id}/article",
	    "{\"article_id\":1,\"version\":999}" }, B_JSON,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  { [ANON] = ALL(IN), [CIT_A] = { FB, NF }, [CIT_B] = { FB, NF },
	    [CW_A] = OWN_ONLY(OK), [ED_A] = ALL(NF), [CW_B] = OWN_ONLY(OK),
	    [ED_B] = ALL(NF), [CW_AG] = OWN_ONLY(OK), [TOKEN] = { SKIP, NF } },
	  0, NULL },
	{ "desk: an assisted form", T_NONE,
	  { "POST", "/api/v1/desk/citizens/{id}/cases", "/api/v1/desk/citizens/1/cases",
	    "{\"case_type\":\"tilskud\",\"consent\":true,\"values\":{\"antal\":1}}" },
	  B_JSON,
	  { NULL, NULL, NULL, NULL },
	  { "POST", "/borgerservice/blanket", "/borgerservice/blanket",
	    "csrf={csrf}&borger=1&type=tilskud&samtykke=ja&antal=1" },
	  B_FORM,
	  { [ANON] = { IN, SKIP }, [CIT_A] = { FB, SKIP }, [CIT_B] = { FB, SKIP },
	    [CW_A] = { FB, SKIP }, [ED_A] = { FB, SKIP }, [CW_B] = { FB, SKIP },
	    [ED_B] = { FB, SKIP }, [CW_AG] = { FB, SKIP }, [TOKEN] = { SKIP, FB } },
	  0, NULL },
	{ "desk: start an assisted form", T_NONE,
	  { NULL, NULL, NULL, NULL }, B_NONE,
	  { NULL, NULL, NULL, NULL },
	  { "GET", "/borgerservice/blanket", "/borgerservice/blanket?borger=1&type=tilskud",
	    NULL },
	  B_NONE,
	  { [ANON] = { IN, SKIP }, [CW_A] = { FB, SKIP }, [ED_A] = { FB, SKIP },
	    [CW_B] = { FB, SKIP }, [ED_B] = { FB, SKIP }, [CW_AG] = { FB, SKIP } },
	  0, NULL },
	{ "desk: articles' usefulness", T_NONE,
	  { "GET", "/api/v1/desk/usefulness", "/api/v1/desk/usefulness", NULL }, B_NONE,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  { [ANON] = { IN, SKIP }, [CIT_A] = { FB, SKIP }, [CIT_B] = { FB, SKIP },
	    [CW_A] = { FB, SKIP }, [ED_A] = { OK, SKIP }, [CW_B] = { FB, SKIP },
	    [ED_B] = { OK, SKIP }, [CW_AG] = { FB, SKIP }, [TOKEN] = { SKIP, FB } },
	  0, NULL },

	/* ---- appointments: the booking code is the key; the day list
	 * and the marks are the front desk's (agents and admins, none of
	 * them a caller here: tests/api/test_appointments_api.c has the
	 * agent) ---- */
	{ "appointment: book", T_NONE,
	  /* a time that has passed: allowed is 422, nothing booked */
	  { "POST", "/api/v1/appointments", "/api/v1/appointments",
	    "{\"organisation\":\"{org}\",\"service\":\"pas\","
	    "\"start_at\":\"2020-01-06T10:00:00+01:00\",\"name\":\"X\","
	    "\"phone\":\"12345678\"}" }, B_JSON,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  /* without sign-in or as a citizen; staff who are not the front
	   * desk sign out to book as citizens */
	  { [ANON] = { OK, SKIP }, [CIT_A] = { OK, SKIP }, [CIT_B] = { OK, SKIP },
	    [CW_A] = { FB, SKIP }, [ED_A] = { FB, SKIP }, [CW_B] = { FB, SKIP },
	    [ED_B] = { FB, SKIP }, [CW_AG] = { FB, SKIP }, [TOKEN] = { SKIP, FB } },
	  0, NULL },
	{ "appointment: read by code", T_APPOINTMENT,
	  { "GET", "/api/v1/appointments/{code}", "/api/v1/appointments/{id}", NULL },
	  B_NONE,
	  { "GET", "/tidsbestilling/{code}", "/tidsbestilling/{id}", NULL },
	  { "GET", "/tidsbestilling/{code}", "/tidsbestilling/{id}", NULL }, B_NONE,
	  { [ANON] = ALL(OK), [CIT_A] = ALL(OK), [CIT_B] = ALL(OK), [CW_A] = ALL(OK),
	    [ED_A] = ALL(OK), [CW_B] = ALL(OK), [ED_B] = ALL(OK),
	    [CW_AG] = { SKIP, OK }, [TOKEN] = { SKIP, OK } },
	  0, NULL },
	{ "appointment: move by code", T_APPOINTMENT,
	  /* to a time that has passed: allowed is 422, nothing moved */
	  { "PATCH", "/api/v1/appointments/{code}", "/api/v1/appointments/{id}",
	    "{\"start_at\":\"2020-01-06T10:00:00+01:00\"}" }, B_JSON,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  { [ANON] = ALL(OK), [CIT_A] = ALL(OK), [CIT_B] = ALL(OK), [CW_A] = ALL(OK),
	    [ED_A] = ALL(OK), [CW_B] = ALL(OK), [ED_B] = ALL(OK),
	    [CW_AG] = { SKIP, OK }, [TOKEN] = { SKIP, OK } },
	  0, NULL },
	{ "appointment: cancel by code", T_APPOINTMENT,
	  /* a stale If-Match: allowed is 412, nothing cancelled */
	  { "DELETE", "/api/v1/appointments/{code}", "/api/v1/appointments/{id}", NULL },
	  B_NONE,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  { [ANON] = ALL(OK), [CIT_A] = ALL(OK), [CIT_B] = ALL(OK), [CW_A] = ALL(OK),
	    [ED_A] = ALL(OK), [CW_B] = ALL(OK), [ED_B] = ALL(OK),
	    [CW_AG] = { SKIP, OK }, [TOKEN] = { SKIP, OK } },
	  0, NULL },
	{ "appointment: mark attended", T_APPOINTMENT,
	  { "POST", "/api/v1/appointments/{code}/attendance",
	    "/api/v1/appointments/{id}/attendance", "{\"state\":\"attended\"}" },
	  B_JSON,
	  { "POST", "/borgerservice/tidsbestillinger/{code}",
	    "/borgerservice/tidsbestillinger/{id}", "csrf={csrf}&status=attended" },
	  { "POST", "/borgerservice/tidsbestillinger/{code}",
	    "/borgerservice/tidsbestillinger/{id}", "csrf={csrf}&status=attended" },
	  B_FORM,
	  { [ANON] = ALL(IN), [CIT_A] = ALL(NF), [CIT_B] = ALL(NF), [CW_A] = ALL(NF),
	    [ED_A] = ALL(NF), [CW_B] = ALL(NF), [ED_B] = ALL(NF),
	    [CW_AG] = { SKIP, NF }, [TOKEN] = { SKIP, NF } },
	  0, NULL },
	{ "appointments: the counter's day list", T_NONE,
	  { "GET", "/api/v1/organisations/{code}/appointments",
	    "/api/v1/organisations/{org}/appointments", NULL }, B_NONE,
	  { "GET", "/borgerservice/tidsbestillinger", "/borgerservice/tidsbestillinger",
	    NULL },
	  { "GET", "/borgerservice/tidsbestillinger", "/borgerservice/tidsbestillinger",
	    NULL }, B_NONE,
	  { [ANON] = { IN, SKIP }, [CIT_A] = { FB, SKIP }, [CIT_B] = { FB, SKIP },
	    [CW_A] = { FB, SKIP }, [ED_A] = { FB, SKIP }, [CW_B] = { FB, SKIP },
	    [ED_B] = { FB, SKIP }, [CW_AG] = { FB, SKIP }, [TOKEN] = { SKIP, FB } },
	  0, NULL },
	{ "appointments: a citizen's own", T_NONE,
	  { "GET", "/api/v1/appointments", "/api/v1/appointments", NULL }, B_NONE,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  { [ANON] = { IN, SKIP }, [CIT_A] = { OK, SKIP }, [CIT_B] = { OK, SKIP },
	    [CW_A] = { FB, SKIP }, [ED_A] = { FB, SKIP }, [CW_B] = { FB, SKIP },
	    [ED_B] = { FB, SKIP }, [CW_AG] = { FB, SKIP }, [TOKEN] = { SKIP, FB } },
	  0, NULL },
	/* ---- letters on cases (domain/letters.h) ---- */
	{ "letters: a case's letters, the compose page", T_CASE,
	  { "GET", "/api/v1/cases/{id}/letters", "/api/v1/cases/{id}/letters", NULL },
	  B_NONE,
	  { NULL, NULL, NULL, NULL },
	  { "GET", "/sagsbehandling/sag/{id}/brev",
	    "/sagsbehandling/sag/{id}/brev?slags=hearing", NULL },
	  B_NONE,
	  { [ANON] = ALL(IN), [CIT_A] = ALL(NF), [CIT_B] = ALL(NF),
	    [CW_A] = OWN_ONLY(OK), [ED_A] = ALL(FB), [CW_B] = OWN_ONLY(OK),
	    [ED_B] = ALL(FB), [CW_AG] = OWN_ONLY(OK), [TOKEN] = { SKIP, NF } },
	  0, NULL },
	/* allowed: refused as stale (the case is past version 1), or 422
	 * (no template here): nothing is written */
	{ "letters: write one", T_CASE,
	  { "POST", "/api/v1/cases/{id}/letters", "/api/v1/cases/{id}/letters",
	    "{\"kind\":\"hearing\"}" }, B_JSON,
	  { NULL, NULL, NULL, NULL },
	  { "POST", "/sagsbehandling/sag/{id}/brev", "/sagsbehandling/sag/{id}/brev",
	    "csrf={csrf}&slags=hearing&version=1&handling=send" },
	  B_FORM,
	  { [ANON] = ALL(IN), [CIT_A] = ALL(NF), [CIT_B] = ALL(NF),
	    [CW_A] = OWN_ONLY(OK), [ED_A] = ALL(FB), [CW_B] = OWN_ONLY(OK),
	    [ED_B] = ALL(FB), [CW_AG] = OWN_ONLY(OK), [TOKEN] = { SKIP, NF } },
	  0, NULL },
	{ "letter: read", T_LETTER,
	  { "GET", "/api/v1/letters/{id}", "/api/v1/letters/{id}", NULL }, B_NONE,
	  { NULL, NULL, NULL, NULL },
	  { "GET", "/sagsbehandling/brev/{id}", "/sagsbehandling/brev/{id}", NULL },
	  B_NONE,
	  { [ANON] = ALL(IN), [CIT_A] = ALL(NF), [CIT_B] = ALL(NF),
	    [CW_A] = OWN_ONLY(OK), [ED_A] = ALL(FB), [CW_B] = OWN_ONLY(OK),
	    [ED_B] = ALL(FB), [CW_AG] = OWN_ONLY(OK), [TOKEN] = { SKIP, NF } },
	  0, NULL },
	/* allowed: refused as stale (version 999), nothing sent */
	{ "letter: send", T_LETTER,
	  { "POST", "/api/v1/letters/{id}/send", "/api/v1/letters/{id}/send",
	    "{\"version\":999}" }, B_JSON,
	  { NULL, NULL, NULL, NULL },
	  { "POST", "/sagsbehandling/brev/{id}/send", "/sagsbehandling/brev/{id}/send",
	    "csrf={csrf}&version=999" },
	  B_FORM,
	  { [ANON] = ALL(IN), [CIT_A] = ALL(NF), [CIT_B] = ALL(NF),
	    [CW_A] = OWN_ONLY(OK), [ED_A] = ALL(FB), [CW_B] = OWN_ONLY(OK),
	    [ED_B] = ALL(FB), [CW_AG] = OWN_ONLY(OK), [TOKEN] = { SKIP, NF } },
	  0, NULL },
	{ "letter: approve", T_LETTER,
	  { "POST", "/api/v1/letters/{id}/approve", "/api/v1/letters/{id}/approve",
	    "{\"version\":999}" }, B_JSON,
	  { NULL, NULL, NULL, NULL },
	  { "POST", "/sagsbehandling/brev/{id}/godkend",
	    "/sagsbehandling/brev/{id}/godkend", "csrf={csrf}&version=999" },
	  B_FORM,
	  { [ANON] = ALL(IN), [CIT_A] = ALL(NF), [CIT_B] = ALL(NF),
	    [CW_A] = OWN_ONLY(OK), [ED_A] = ALL(FB), [CW_B] = OWN_ONLY(OK),
	    [ED_B] = ALL(FB), [CW_AG] = OWN_ONLY(OK), [TOKEN] = { SKIP, NF } },
	  0, NULL },
	{ "letter: return", T_LETTER,
	  { "POST", "/api/v1/letters/{id}/return", "/api/v1/letters/{id}/return",
	    "{\"version\":999,\"comment\":\"Matrix\"}" }, B_JSON,
	  { NULL, NULL, NULL, NULL },
	  { "POST", "/sagsbehandling/brev/{id}/returner",
	    "/sagsbehandling/brev/{id}/returner",
	    "csrf={csrf}&version=999&kommentar=Matrix" },
	  B_FORM,
	  { [ANON] = ALL(IN), [CIT_A] = ALL(NF), [CIT_B] = ALL(NF),
	    [CW_A] = OWN_ONLY(OK), [ED_A] = ALL(FB), [CW_B] = OWN_ONLY(OK),
	    [ED_B] = ALL(FB), [CW_AG] = OWN_ONLY(OK), [TOKEN] = { SKIP, NF } },
	  0, NULL },
	{ "letters: to approve", T_NONE,
	  { "GET", "/api/v1/letters/approval", "/api/v1/letters/approval", NULL },
	  B_NONE,
	  { NULL, NULL, NULL, NULL },
	  { "GET", "/sagsbehandling/godkendelser", "/sagsbehandling/godkendelser",
	    NULL },
	  B_NONE,
	  { [ANON] = ALL(IN), [CIT_A] = ALL(NF), [CIT_B] = ALL(NF),
	    [CW_A] = ALL(OK), [ED_A] = ALL(FB), [CW_B] = ALL(OK), [ED_B] = ALL(FB),
	    [CW_AG] = ALL(OK), [TOKEN] = ALL(SKIP) },
	  0, NULL },

	/* ---- delivery: Digital Post messages, the error queue, print
	 * batches (those who read the organisation's cases read its
	 * messages, those who work them act and fetch print batches) ---- */
	{ "messages: the list and the error queue", T_NONE,
	  { "GET", "/api/v1/messages", "/api/v1/messages?state=error", NULL }, B_NONE,
	  { NULL, NULL, NULL, NULL },
	  { "GET", "/sagsbehandling/post", "/sagsbehandling/post", NULL }, B_NONE,
	  { [ANON] = { IN, SKIP }, [CIT_A] = { FB, SKIP }, [CIT_B] = { FB, SKIP },
	    [CW_A] = { OK, SKIP }, [ED_A] = { FB, SKIP }, [CW_B] = { OK, SKIP },
	    [ED_B] = { FB, SKIP }, [CW_AG] = { OK, SKIP }, [TOKEN] = { SKIP, OK } },
	  0, NULL },
	{ "message: read", T_MESSAGE,
	  { "GET", "/api/v1/messages/{id}", "/api/v1/messages/{id}", NULL }, B_NONE,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  { [ANON] = ALL(IN), [CIT_A] = ALL(NF), [CIT_B] = ALL(NF),
	    [CW_A] = OWN_ONLY(OK), [ED_A] = ALL(NF), [CW_B] = OWN_ONLY(OK),
	    [ED_B] = ALL(NF), [CW_AG] = OWN_ONLY(OK), [TOKEN] = { SKIP, NF } },
	  0, NULL },
	{ "message: send again", T_MESSAGE,
	  { "POST", "/api/v1/messages/{id}/retry", "/api/v1/messages/{id}/retry",
	    "{}" }, B_JSON,
	  { NULL, NULL, NULL, NULL },
	  { "POST", "/sagsbehandling/post/{id}", "/sagsbehandling/post/{id}",
	    "csrf={csrf}&handling=igen" },
	  B_FORM,
	  { [ANON] = ALL(IN), [CIT_A] = ALL(NF), [CIT_B] = ALL(NF),
	    [CW_A] = OWN_ONLY(OK), [ED_A] = ALL(NF), [CW_B] = OWN_ONLY(OK),
	    [ED_B] = ALL(NF), [CW_AG] = OWN_ONLY(OK), [TOKEN] = { SKIP, NF } },
	  0, NULL },
	{ "message: send to print", T_MESSAGE,
	  { "POST", "/api/v1/messages/{id}/print", "/api/v1/messages/{id}/print",
	    "{}" }, B_JSON,
	  { NULL, NULL, NULL, NULL },
	  { "POST", "/sagsbehandling/post/{id}", "/sagsbehandling/post/{id}",
	    "csrf={csrf}&handling=print" },
	  B_FORM,
	  { [ANON] = ALL(IN), [CIT_A] = ALL(NF), [CIT_B] = ALL(NF),
	    [CW_A] = OWN_ONLY(OK), [ED_A] = ALL(NF), [CW_B] = OWN_ONLY(OK),
	    [ED_B] = ALL(NF), [CW_AG] = OWN_ONLY(OK), [TOKEN] = { SKIP, NF } },
	  0, NULL },
	{ "print batches: the list", T_NONE,
	  { NULL, NULL, NULL, NULL }, B_NONE,
	  { NULL, NULL, NULL, NULL },
	  { "GET", "/sagsbehandling/printbatch", "/sagsbehandling/printbatch", NULL },
	  B_NONE,
	  { [ANON] = { IN, SKIP }, [CIT_A] = { FB, SKIP }, [CIT_B] = { FB, SKIP },
	    [CW_A] = { OK, SKIP }, [ED_A] = { FB, SKIP }, [CW_B] = { OK, SKIP },
	    [ED_B] = { FB, SKIP }, [CW_AG] = { OK, SKIP } },
	  0, NULL },
	{ "print batch: download", T_PRINT_BATCH,
	  { NULL, NULL, NULL, NULL }, B_NONE,
	  { NULL, NULL, NULL, NULL },
	  { "GET", "/sagsbehandling/printbatch/{id}", "/sagsbehandling/printbatch/{id}",
	    NULL }, B_NONE,
	  { [ANON] = ALL(IN), [CIT_A] = ALL(FB), [CIT_B] = ALL(FB),
	    [CW_A] = OWN_ONLY(OK), [ED_A] = ALL(FB), [CW_B] = OWN_ONLY(OK),
	    [ED_B] = ALL(FB), [CW_AG] = OWN_ONLY(OK) },
	  0, NULL },
	{ "desk: exemption from Digital Post", T_NONE,
	  { NULL, NULL, NULL, NULL }, B_NONE,
	  { NULL, NULL, NULL, NULL },
	  { "POST", "/borgerservice/borger/{id}/digital-post",
	    "/borgerservice/borger/1/digital-post", "csrf={csrf}&handling=ophaev" },
	  B_FORM,
	  { [ANON] = { IN, SKIP }, [CW_A] = { FB, SKIP }, [ED_A] = { FB, SKIP },
	    [CW_B] = { FB, SKIP }, [ED_B] = { FB, SKIP }, [CW_AG] = { FB, SKIP } },
	  0, NULL },
	/* ---- the citizen's inbox: a citizen's own letters only; staff
	 * read letters on the case, never here (403) ---- */
	{ "inbox: the letters", T_NONE,
	  { "GET", "/api/v1/me/letters", "/api/v1/me/letters", NULL }, B_NONE,
	  { "GET", "/mit-overblik/post", "/mit-overblik/post", NULL },
	  { "GET", "/mit-overblik/post", "/mit-overblik/post", NULL }, B_NONE,
	  { [ANON] = { IN, SKIP }, [CIT_A] = { OK, SKIP }, [CIT_B] = { OK, SKIP },
	    [CW_A] = { FB, SKIP }, [ED_A] = { FB, SKIP }, [CW_B] = { FB, SKIP },
	    [ED_B] = { FB, SKIP }, [CW_AG] = { FB, SKIP }, [TOKEN] = { SKIP, FB } },
	  0, NULL },
	{ "inbox: a letter", T_INBOX_LETTER,
	  { "GET", "/api/v1/me/letters/{id}", "/api/v1/me/letters/{id}", NULL }, B_NONE,
	  { "GET", "/mit-overblik/post/{id}", "/mit-overblik/post/{id}", NULL },
	  { "GET", "/mit-overblik/post/{id}", "/mit-overblik/post/{id}", NULL }, B_NONE,
	  { [ANON] = ALL(IN), [CIT_A] = OWN_ONLY(OK), [CIT_B] = OWN_ONLY(OK),
	    [CW_A] = ALL(FB), [ED_A] = ALL(FB), [CW_B] = ALL(FB), [ED_B] = ALL(FB),
	    [CW_AG] = { SKIP, FB }, [TOKEN] = { SKIP, FB } },
	  0, NULL },
	{ "inbox: a letter's PDF", T_INBOX_LETTER,
	  { "GET", "/api/v1/me/letters/{id}/pdf", "/api/v1/me/letters/{id}/pdf", NULL },
	  B_NONE,
	  { "GET", "/mit-overblik/post/{id}/pdf", "/mit-overblik/post/{id}/pdf", NULL },
	  { "GET", "/mit-overblik/post/{id}/pdf", "/mit-overblik/post/{id}/pdf", NULL },
	  B_NONE,
	  { [ANON] = ALL(IN), [CIT_A] = OWN_ONLY(OK), [CIT_B] = OWN_ONLY(OK),
	    [CW_A] = ALL(FB), [ED_A] = ALL(FB), [CW_B] = ALL(FB), [ED_B] = ALL(FB),
	    [CW_AG] = { SKIP, FB }, [TOKEN] = { SKIP, FB } },
	  0, NULL },
	{ "inbox: reply to a letter", T_INBOX_LETTER,
	  /* no case: allowed makes an inquiry to the sender */
	  { "POST", "/api/v1/me/letters/{id}/reply", "/api/v1/me/letters/{id}/reply",
	    "{\"text\":\"Matrix\"}" }, B_JSON,
	  { "POST", "/mit-overblik/post/{id}/svar", "/mit-overblik/post/{id}/svar",
	    "csrf={csrf}&svar=Matrix" },
	  { "POST", "/mit-overblik/post/{id}/svar", "/mit-overblik/post/{id}/svar",
	    "csrf={csrf}&svar=Matrix" }, B_FORM,
	  { [ANON] = ALL(IN), [CIT_A] = OWN_ONLY(OK), [CIT_B] = OWN_ONLY(OK),
	    [CW_A] = ALL(FB), [ED_A] = ALL(FB), [CW_B] = ALL(FB), [ED_B] = ALL(FB),
	    [CW_AG] = { SKIP, FB }, [TOKEN] = { SKIP, FB } },
	  0, NULL },

	/* ---- feedback: the answers to "Fandt du det, du søgte?" are read
	 * as the search report is (the page's table is on its row) ---- */
	{ "feedback report", T_NONE,
	  { "GET", "/api/v1/feedback-report", "/api/v1/feedback-report", NULL },
	  B_NONE,
	  { NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL }, B_NONE,
	  { [ANON] = ALL(IN), [CIT_A] = { FB, SKIP }, [CIT_B] = { FB, SKIP },
	    [CW_A] = { FB, SKIP }, [ED_A] = { OK, SKIP }, [CW_B] = { FB, SKIP },
	    [ED_B] = { OK, SKIP }, [CW_AG] = { FB, SKIP }, [TOKEN] = { SKIP, FB } },
	  0, NULL },
};

#define N_ROWS (sizeof(rows) / sizeof(rows[0]))

/* Routes that read or change none of the resources above: public
 * facts, operations, sign-in, search (its own tests cover it). */
static const char *const no_resource[] = {
	"GET /healthz", "GET /readyz", "GET /metrics",
	"GET /api/v1/organisations", "GET /api/v1/organisations/{code}/hours",
	"GET /api/v1/openapi.json", /* x-openapi: the API's description */
	"POST /api/v1/citizen/session", "DELETE /api/v1/citizen/session",
	"GET /api/v1/life-events", "GET /api/v1/life-events/{slug}",
	"GET /api/v1/case-types", "GET /api/v1/case-types/{code}",
	"GET /api/v1/search", "GET /api/v1/suggest",
	"GET /api/v1/session", "POST /api/v1/session", "DELETE /api/v1/session",
	"GET /open311/v2/discovery.{format}", "GET /open311/v2/services.{format}",
	"GET /open311/v2/services/{code}", "GET /open311/v2/*",
	"GET /", "GET /soeg", "GET /livssituation/{slug}",
	"GET /borger/log-ind", "POST /borger/log-ind", "POST /borger/log-ud",
	"GET /blanket/{code}",
	"GET /log-ind", "POST /log-ind", "POST /log-ud", "GET /personale",
	/* OpenID Connect sign-in and the provider's logout
	 * (tests/oidc/test_glewlwyd.c) */
	"GET /borger/oidc/start", "GET /borger/oidc/callback",
	"GET /personale/oidc/start", "GET /personale/oidc/callback",
	"POST /oidc/backchannel-logout", "GET /oidc/frontchannel-logout",
	/* chat: whether chat is open, and the chat page (public) */
	"GET /api/v1/organisations/{code}/chat", "GET /chat",
	/* appointments: what a counter offers and when, and the contact,
	 * accessibility and privacy pages, are public; the booking pages'
	 * forms carry a double-submit token without sign-in (their flow is
	 * tests/pages/test_booking.c; the API rows below decide access) */
	"GET /api/v1/organisations/{code}/counter-services",
	"GET /api/v1/organisations/{code}/slots",
	"GET /tidsbestilling", "POST /tidsbestilling",
	"POST /tidsbestilling/{code}/flyt", "POST /tidsbestilling/{code}/aflys",
	"GET /kontakt", "GET /kontakt/{code}", "GET /tilgaengelighed",
	"GET /privatliv",
	/* casework tools: a file of a case and whom cases may be assigned
	 * to need a file id and an organisation's staff, which these rows
	 * cannot name; every role on them (404 outside the case's
	 * organisation and to citizens) is in tests/api/test_casetools_api.c */
	"GET /api/v1/cases/{id}/files/{file}", "GET /api/v1/casework/assignees",
	"GET /sagsbehandling/sag/{id}/fil/{file}",
	/* feedback: anyone answers "Fandt du det, du søgte?", stored
	 * anonymously (tests/api/test_feedback_api.c,
	 * tests/pages/test_feedback_pages.c) */
	"POST /feedback", "POST /api/v1/feedback",
	/* fig-pages: the service figures read no thing of these rows (their
	 * own resource, HH_RES_FIGURES, is the reader's organisation); every
	 * role on them is in tests/api/test_figures_api.c and
	 * tests/pages/test_figures_pages.c, and the service levels are
	 * public */
	"GET /api/v1/figures", "GET /api/v1/figures/drill",
	"GET /api/v1/figures/benchmark", "GET /api/v1/service-levels/{org}",
	"GET /ledelse", "GET /ledelse/benchmark", "GET /ledelse/bag/{indicator}",
	"GET /serviceniveau/{org}",
	/* s-self: the public list of the forms citizens may use, and
	 * /blanket sending there; both read only public case types
	 * (tests/api/test_selfservice.c) */
	"GET /selvbetjening", "GET /blanket",
	/* s-edit (issue 13): the editors' pages are a second door to the
	 * articles' domain functions (the same access table decides); who
	 * gets in (editors; 403 for citizens and front-desk agents, the
	 * sign-in for the anonymous), another municipality's editor on a
	 * local article, an agency's editor on the shared base and the
	 * proposals' four eyes are tested in tests/pages/test_editor_pages.c
	 * and, for the proposals' JSON door, tests/api/test_proposals_api.c */
	"GET /redaktion", "GET /redaktion/ny", "POST /redaktion/ny",
	"POST /redaktion/forhaandsvisning", "GET /redaktion/forslag",
	"GET /redaktion/forslag/{id}", "POST /redaktion/forslag/{id}/accepter",
	"POST /redaktion/forslag/{id}/afvis", "GET /redaktion/{org}/{slug}",
	"POST /redaktion/{org}/{slug}", "GET /redaktion/{org}/{slug}/versioner",
	"GET /redaktion/{org}/{slug}/versioner/{version}",
	"POST /redaktion/{org}/{slug}/gendan", "POST /redaktion/{org}/{slug}/lokal",
	"GET /redaktion/{org}/{slug}/forslag",
	"POST /redaktion/{org}/{slug}/forslag", "GET /redaktion/soegning",
	"POST /redaktion/synonym", "POST /redaktion/fastgoer",
	"POST /redaktion/fastgoer/fjern",
	"GET /api/v1/proposals", "GET /api/v1/proposals/{id}",
	"POST /api/v1/proposals/{id}/accept",
	"POST /api/v1/proposals/{id}/decline",
	"POST /api/v1/articles/{slug}/proposals",
	/* s-tune (issue 13): one version and restoring one go through the
	 * same domain functions as the versions' list (a row above) and the
	 * pages; the synonyms are the shared search's, not a resource of
	 * the matrix. Who may do each (editors of the shared base or of the
	 * article, CSRF, 401 for the anonymous) is tested in
	 * tests/api/test_search_tune.c */
	"GET /api/v1/articles/{slug}/versions/{version}",
	"POST /api/v1/articles/{slug}/versions/{version}/restore",
	"GET /api/v1/synonyms", "POST /api/v1/synonyms",
	"PUT /api/v1/synonyms/{id}", "DELETE /api/v1/synonyms/{id}",
	"GET /redaktion/synonymer", "POST /redaktion/fjern-synonym",
	/* issue 13: the pins over the API go through the same domain
	 * functions as /redaktion/fastgoer; who may (a municipality's
	 * editors, their own municipality's pins only, CSRF, 401) is tested
	 * in tests/api/test_search_tune.c (pins_over_the_api) */
	"GET /api/v1/pins", "POST /api/v1/pins", "DELETE /api/v1/pins",
	/* x-hooks (issue 15): an organisation's webhooks, its admin's only;
	 * who may (admins of their own organisation, CSRF, 401) is tested
	 * in tests/api/test_webhooks_api.c */
	"GET /api/v1/webhooks", "POST /api/v1/webhooks",
	"GET /api/v1/webhooks/deliveries", "DELETE /api/v1/webhooks/{id}",
	"PATCH /api/v1/webhooks/{id}",
	"GET /personale/webhooks",
	/* x-hooks2: the same rules, tested in the same file
	 * (t_change_rotate_test, t_the_staff_page_changes) */
	"GET /api/v1/webhooks/{id}/deliveries",
	"POST /api/v1/webhooks/{id}/secret", "POST /api/v1/webhooks/{id}/test",
	"POST /personale/webhooks", "POST /personale/webhooks/{id}",
};

/* ---- running one cell ------------------------------------------------------- */

static const char *method_name(enum hh_method m)
{
	switch (m) {
	case HH_GET: return "GET";
	case HH_POST: return "POST";
	case HH_PUT: return "PUT";
	case HH_DELETE: return "DELETE";
	case HH_PATCH: return "PATCH"; /* appointments */
	default: return "?";
	}
}

/* s with every {key} replaced by its value (keys[i], values[i]). New. */
static char *fill(const char *s, const char *const *keys, const char *const *values,
		  int n)
{
	struct hh_buf b;
	hh_buf_init(&b);
	while (*s) {
		int done = 0;
		for (int i = 0; i < n && !done; i++) {
			size_t len = strlen(keys[i]);
			if (!strncmp(s, keys[i], len)) {
				hh_buf_puts(&b, values[i]);
				s += len;
				done = 1;
			}
		}
		if (!done)
			hh_buf_putc(&b, *s++);
	}
	return hh_buf_steal(&b);
}

static enum dec api_decision(const struct tu_resp *r)
{
	switch (r->status) {
	case 401: return IN;
	case 403: return FB;
	case 404: return NF;
	default: return OK;
	}
}

static enum dec page_decision(const struct tu_resp *r)
{
	char loc[512];
	if ((r->status == 302 || r->status == 303) &&
	    tu_header(r, "Location", loc, sizeof(loc)) &&
	    (!strncmp(loc, "/log-ind", 8) || !strncmp(loc, "/borger/log-ind", 15)))
		return IN;
	return api_decision(r);
}

static const char *org_code(enum home h)
{
	return h == HOME_A ? "901" : h == HOME_B ? "902" : "fam";
}

/* The thing of home h for row (its id or slug), or NULL when h has none. */
static const char *thing_of(struct ctx *c, const struct row *row, enum home h,
			    int other, char *buf, size_t n)
{
	switch (row->thing) {
	case T_CASE:
		if (h == HOME_NONE)
			return NULL;
		snprintf(buf, n, "%lld", (long long)c->cases[h]);
		return buf;
	case T_PLAN:
		if (h != HOME_A && h != HOME_B)
			return NULL;
		snprintf(buf, n, "%lld", (long long)c->plans[h]);
		return buf;
	case T_ARTICLE:
	case T_DRAFT:
		if (h != HOME_A && h != HOME_B)
			return NULL;
		snprintf(buf, n, "%s-%s", row->thing == T_DRAFT ? "kladde" : "lokal",
			 org_code(h));
		return buf;
	case T_INQUIRY:
		if (h == HOME_NONE)
			return NULL;
		snprintf(buf, n, "%lld", (long long)c->inquiries[h]);
		return buf;
	case T_TRANSFER:
		if (h == HOME_NONE)
			return NULL;
		snprintf(buf, n, "%lld", (long long)c->transfers[h]);
		return buf;
	case T_OPEN311:
		/* the other's: a citizen's case, by its id and as Open311
		 * would write an id */
		if (other)
			snprintf(buf, n, "%lld", (long long)c->cases[HOME_A]);
		else
			snprintf(buf, n, "%s", c->open311);
		return buf;
	case T_APPOINTMENT:
		if (h != HOME_A && h != HOME_B)
			return NULL;
		snprintf(buf, n, "%s", c->bookings[h]);
		return buf;
	case T_CHAT:
	case T_CHAT_INQUIRY:
		if (h == HOME_NONE)
			return NULL;
		snprintf(buf, n, "%lld", (long long)(row->thing == T_CHAT
							     ? c->chats[h]
							     : c->chat_inquiries[h]));
		return buf;
	case T_LETTER:
		if (h == HOME_NONE)
			return NULL;
		snprintf(buf, n, "%lld", (long long)c->letters[h]);
		return buf;
	case T_MESSAGE: /* delivery */
	case T_PRINT_BATCH:
		if (h == HOME_NONE)
			return NULL;
		snprintf(buf, n, "%lld", (long long)(row->thing == T_MESSAGE
							     ? c->messages[h]
							     : c->batches[h]));
		return buf;
	case T_AGREEMENT: /* p-agree */
		if (h == HOME_NONE)
			return NULL;
		snprintf(buf, n, "%lld", (long long)c->agree_cases[h == HOME_B ? 1 : 0]);
		return buf;
	case T_PARTY: /* p-parties */
		if (h != HOME_A && h != HOME_B)
			return NULL;
		snprintf(buf, n, "%lld", (long long)c->party_cases[h]);
		return buf;
	case T_INBOX_LETTER: /* the citizen's inbox */
		if (h != HOME_A && h != HOME_B)
			return NULL;
		snprintf(buf, n, "%lld", (long long)c->inbox_letters[h]);
		return buf;
	case T_NONE:
		break;
	}
	snprintf(buf, n, "-");
	return buf;
}

static const char *multipart_body(char *buf, size_t n, const char *csrf)
{
	snprintf(buf, n,
		 "--grænse\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
		 "--grænse\r\nContent-Disposition: form-data; name=\"antal\"\r\n\r\n1\r\n"
		 "--grænse\r\nContent-Disposition: form-data; name=\"bilag\"; "
		 "filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
		 "%%PDF-1.4\n\r\n--grænse--\r\n",
		 csrf ? csrf : "");
	return buf;
}

/* Does role's list hold the case of home h? Anna has a case at her
 * municipality and one at the agency; staff see their organisation's. */
static int sees(int role, enum home h)
{
	switch (role) {
	case CIT_A: return h == HOME_A || h == HOME_AG;
	case CIT_B: case CW_B: return h == HOME_B;
	case CW_A: return h == HOME_A;
	case CW_AG: return h == HOME_AG;
	default: return 0;
	}
}

/* Tries one cell: row through door (0 API, 1 page) as role, for the thing
 * of home `of` (own: 0, the other's: 1). Returns 1 when it went as the
 * table says. */
static int cell(struct ctx *c, const struct row *row, int door, int role,
		int other, enum dec want)
{
	const struct door_req *d = door == 0 ? &row->api
				   : (audiences[role] & AUD_CITIZEN) && row->citizen_page.method
					   ? &row->citizen_page
					   : &row->staff_page;
	enum home own = homes[role];
	enum home of = !other ? own
		       : own == HOME_A ? HOME_B
				       : HOME_A; /* B's other, the agency's, the token's */
	char thing[64], role_s[8], apikey[80];
	if (!thing_of(c, row, of, other, thing, sizeof(thing)))
		return -1;
	snprintf(role_s, sizeof(role_s), "%d", role);
	snprintf(apikey, sizeof(apikey), "%s%s", role == TOKEN ? "&api_key=" : "",
		 role == TOKEN ? c->token : "");
	const char *org = row->thing == T_NONE ? org_code(of == HOME_NONE ? HOME_A : of)
					       : org_code(of);
	const char *csrf = role != ANON && role != TOKEN ? c->csrf[role] : "";
	const char *keys[] = { "{id}", "{slug}", "{org}", "{csrf}", "{role}",
			       "{apikey}" };
	const char *values[] = { thing, thing, org, csrf, role_s, apikey };
	char *path = fill(d->path, keys, values, 6);
	enum body_kind bk = door == 0 ? row->api_body : row->page_body;
	char *body = d->body ? fill(d->body, keys, values, 6) : NULL;
	char mp[1024];
	const char *extra[3] = { NULL, NULL, NULL };
	if (bk == B_FORM)
		extra[0] = "Content-Type: application/x-www-form-urlencoded";
	if (bk == B_MULTIPART) {
		extra[0] = "Content-Type: multipart/form-data; boundary=grænse";
		free(body);
		body = hh_xstrdup(multipart_body(mp, sizeof(mp), csrf));
	}
	char im[32] = "If-Match: \"999\"";
	if (!strcmp(d->method, "DELETE"))
		extra[0] = im; /* a stale version: allowed is 412, nothing archived */
	struct tu_resp r = call(c, role, d->method, path, body, extra);
	enum dec got = door == 0 ? api_decision(&r) : page_decision(&r);
	int ok = got == want;
	/* a list: the caller's own case in it, nobody else's */
	if (ok && got == OK && row->lists_cases) {
		for (int h = HOME_A; h <= HOME_AG; h++) {
			char mark[64];
			snprintf(mark, sizeof(mark),
				 door == 0 ? "\"id\":%lld," : "/sag/%lld\"",
				 (long long)c->cases[h]);
			int mine = sees(role, (enum home)h);
			if (!mine && strstr(r.body, mark)) {
				fprintf(stderr, "  %s lists case %lld, not theirs\n",
					role_names[role], (long long)c->cases[h]);
				ok = 0;
			}
			if (mine && !strstr(r.body, mark)) {
				fprintf(stderr, "  %s does not list case %lld, theirs\n",
					role_names[role], (long long)c->cases[h]);
				ok = 0;
			}
		}
	}
	/* no refusal carries the citizen's name */
	if (got != OK && (strstr(r.body, "Anna Andersen") || strstr(r.body, "Bo Berg"))) {
		fprintf(stderr, "  a refusal names a citizen\n");
		ok = 0;
	}
	if (!ok)
		fprintf(stderr, "%s %-4s %s %s as %s (%s): want %s, got %s (%ld)%s%s\n",
			row->known_bug ? "KNOWN" : "FAIL", door == 0 ? "api" : "page",
			d->method, path, role_names[role], other ? "someone else's" : "own",
			dec_names[want], dec_names[got], r.status,
			row->known_bug ? ": " : "", row->known_bug ? row->known_bug : "");
	tu_resp_free(&r);
	free(path);
	free(body);
	return ok;
}

/* ---- the tests ---------------------------------------------------------------- */

static int covered(const char *route)
{
	for (size_t i = 0; i < N_ROWS; i++) {
		const struct door_req *d[] = { &rows[i].api, &rows[i].citizen_page,
					       &rows[i].staff_page };
		for (int k = 0; k < 3; k++) {
			char s[200];
			if (!d[k]->method)
				continue;
			snprintf(s, sizeof(s), "%s %s", d[k]->method, d[k]->pattern);
			if (!strcmp(s, route))
				return 1;
		}
	}
	for (size_t i = 0; i < sizeof(no_resource) / sizeof(no_resource[0]); i++)
		if (!strcmp(no_resource[i], route))
			return 1;
	return 0;
}

/* Every route has a row, or is listed as touching no resource. */
static void every_route_has_a_row(void **state)
{
	(void)state;
	int missing = 0;
	for (const struct hh_route *rt = hh_routes; rt->pattern; rt++) {
		for (unsigned bit = 1; bit && bit <= rt->methods; bit <<= 1) {
			if (!(rt->methods & bit) || bit == HH_HEAD)
				continue; /* HEAD goes with GET */
			char s[200];
			snprintf(s, sizeof(s), "%s %s", method_name((enum hh_method)bit),
				 rt->pattern);
			if (!covered(s)) {
				fprintf(stderr, "route without a row in the access "
						"matrix: %s\n", s);
				missing++;
			}
		}
	}
	assert_int_equal(missing, 0);
}

static void the_matrix(void **state)
{
	struct ctx *c = *state;
	for (size_t i = 0; i < N_ROWS; i++) {
		const struct row *row = &rows[i];
		for (int role = 0; role < N_ROLES; role++) {
			for (int other = 0; other < 2; other++) {
				enum dec want = row->want[role][other];
				if (want == SKIP)
					continue;
				for (int door = 0; door < 2; door++) {
					if (door == 0 && !row->api.method)
						continue;
					if (door == 1 &&
					    !(((audiences[role] & AUD_CITIZEN) &&
					       row->citizen_page.method) ||
					      ((audiences[role] & AUD_STAFF) &&
					       row->staff_page.method)))
						continue;
					int ok = cell(c, row, door, role, other, want);
					if (ok < 0)
						continue;
					c->tried[door]++;
					if (!ok && row->known_bug)
						c->known[door]++;
					else if (!ok)
						c->failing[door]++;
				}
				/* the anonymous caller tries both pages */
				if (role == ANON && row->citizen_page.method &&
				    row->staff_page.method) {
					const struct row *r2 = row;
					struct row copy = *r2;
					copy.citizen_page.method = NULL;
					int ok = cell(c, &copy, 1, role, other, want);
					c->tried[1]++;
					if (!ok)
						c->failing[1]++;
				}
			}
		}
	}
	printf("access matrix: api %d tried, %d failing; pages %d tried, %d failing"
	       " (known bugs in others' doors: api %d, pages %d)\n",
	       c->tried[0], c->failing[0], c->tried[1], c->failing[1], c->known[0],
	       c->known[1]);
	assert_true(c->tried[0] > 100);
	assert_true(c->tried[1] > 50);
	assert_int_equal(c->failing[0], 0);
	assert_int_equal(c->failing[1], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_route_has_a_row),
		cmocka_unit_test(the_matrix),
	};
	curl_global_init(CURL_GLOBAL_DEFAULT);
	/* the chat's own rate limits would answer 429 before the access
	 * decision this matrix is about (test_chat_api.c tests them) */
	setenv("HELHED_CHAT_LIMITS", "0", 1);
	int rc = cmocka_run_group_tests_name("api/access", tests, setup, teardown);
	curl_global_cleanup();
	return rc;
}
