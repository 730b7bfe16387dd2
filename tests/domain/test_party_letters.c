/* test_party_letters.c - the letters to the parties of a case (issue 16,
 * p-letters; domain/partyletters.h) through the domain and the store, on
 * either backend: the invitation letter, the letters when a decline or
 * an expiry closes the case, exactly one per event (a repeated answer, a
 * re-run of the expiry pass, retried and failing transactions), each in
 * its recipient's inbox only, delivered as MeMo XML that the schema
 * accepts; and name and address protection: a protected citizen's
 * address in no letter text, PDF (pdftotext), MeMo XML or answer the
 * other party can read, and their own letters by Digital Post only.
 * The fixture is cases_fixture.h's content with organisations that have
 * CVR numbers, citizens with addresses (one protected) and the shared
 * party letter templates of content/letter-templates/_parties.json. */
#include "cases_fixture.h"

#include <glob.h>
#include <sys/wait.h>

#include "domain/citizens.h"
#include "domain/inbox.h"
#include "domain/letters.h"
#include "domain/messages.h"
#include "domain/parties.h"
#include "domain/partyletters.h"
#include "core/dktime.h"
#include "domain/vault.h"
#include "post/spool.h"
#include "post/transport.h"

#define SCHEMA "tests/memo/schema-1.1/MeMo_core.xsd"

/* a divorce the spouse must confirm within 14 days, sharing the couple's
 * address with them */
static const char *const ct_parskab =
	"{\"name\":\"Ansøgning om skilsmisse\",\"organisation\":\"fam\","
	" \"deadline\":\"P30D\",\"public\":true,\"initial\":\"received\","
	" \"states\":[{\"key\":\"received\",\"label\":\"Modtaget\"},"
	"  {\"key\":\"awaiting_parties\",\"label\":\"Afventer den anden part\","
	"   \"paused\":true},"
	"  {\"key\":\"granted\",\"label\":\"Bevilget\",\"final\":true},"
	"  {\"key\":\"declined\",\"label\":\"Ikke bekræftet\",\"final\":true}],"
	" \"transitions\":[{\"from\":\"received\",\"to\":\"granted\"}],"
	" \"parties\":[{\"role\":\"spouse\",\"label\":\"Ægtefælle\","
	"   \"cpr_field\":\"partner_cpr\",\"confirm\":true,"
	"   \"within\":\"P14D\",\"shared\":[\"navn\",\"adresse\"]}],"
	" \"confirm_state\":\"awaiting_parties\",\"declined_state\":\"declined\","
	" \"form\":{\"title\":\"Skilsmisse\",\"fields\":["
	"  {\"name\":\"navn\",\"label\":\"Dit navn\",\"type\":\"text\",\"required\":true},"
	"  {\"name\":\"adresse\",\"label\":\"Jeres fælles adresse\","
	"   \"type\":\"address\"},"
	"  {\"name\":\"partner_cpr\",\"label\":\"Ægtefællens CPR-nummer\","
	"   \"type\":\"cpr\",\"required\":true}]}}";

/* the applicant's own invitation template: quotes the shared address
 * field, which protection must hide too */
static const char *const tmpl_parskab =
	"{\"party_invitation\":{\"title\":\"Du er nævnt i en ansøgning om skilsmisse\","
	" \"body\":[\"Kære {{citizen.name}}\","
	"  \"{{applicant.name}} ({{applicant.address}}) har søgt om skilsmisse.\","
	"  \"Den fælles adresse: {{form.adresse}}.\","
	"  \"Svar senest den {{party.answer_by}}.\"]}}";

static const char *const orgs =
	"[{\"code\":\"901\",\"name\":\"Nordskov Kommune\",\"kind\":\"municipality\","
	"  \"cvr\":\"29180101\"},"
	" {\"code\":\"902\",\"name\":\"Åstrup Kommune\",\"kind\":\"municipality\","
	"  \"cvr\":\"29180202\"},"
	" {\"code\":\"fam\",\"name\":\"Familieretshuset\",\"kind\":\"agency\","
	"  \"cvr\":\"39180303\",\"contact\":{\"phone\":\"70 00 00 11\","
	"  \"email\":\"kontakt@familieretshuset.demo\",\"address\":\"Lindegade 3\","
	"  \"postcode\":\"5000\",\"city\":\"Odense C\"}},"
	" {\"code\":\"udk\",\"name\":\"Udbetaling Danmark\",\"kind\":\"agency\"}]";

/* dina has name and address protection; erik is protected and exempt
 * from Digital Post */
static const char *const citizens =
	"[{\"id\":\"anna\",\"name\":\"Anna Andersen\",\"cpr\":\"070761-4285\","
	"  \"municipality\":\"901\",\"address\":\"Skovvej 12\",\"postcode\":\"4100\","
	"  \"city\":\"Nordskov\"},"
	" {\"id\":\"bo\",\"name\":\"Bo Berg\",\"cpr\":\"010190-1234\","
	"  \"municipality\":\"902\",\"address\":\"Bakkevej 4\",\"postcode\":\"6200\","
	"  \"city\":\"Åstrup\"},"
	" {\"id\":\"carl\",\"name\":\"Carl Carlsen\",\"cpr\":\"020202-2222\"},"
	" {\"id\":\"dina\",\"name\":\"Dina Dahl\",\"cpr\":\"230901-4128\","
	"  \"municipality\":\"902\",\"address\":\"Rosenvænget 27\",\"postcode\":\"6200\","
	"  \"city\":\"Åstrup\",\"address_protected\":true},"
	" {\"id\":\"erik\",\"name\":\"Erik Eriksen\",\"cpr\":\"150482-1001\","
	"  \"municipality\":\"902\",\"address\":\"Lærkestien 9\",\"postcode\":\"6200\","
	"  \"city\":\"Åstrup\",\"address_protected\":true}]";

#define BO_CPR "010190-1234"
#define DINA_CPR "230901-4128"
#define ERIK_CPR "150482-1001"
#define DINA_STREET "Rosenvænget"
#define ERIK_STREET "Lærkestien"

struct pfx {
	struct fx f; /* first: the fixture's helpers take it */
	int64_t dina, erik;
	char spool[4300];
	struct hh_transport *t;
};

static int setup_letters(void **state)
{
	struct pfx *p = hh_xcalloc(1, sizeof(*p));
	struct fx *f = &p->f;
	char content[4300];
	fx_open(f, content);
	put(content, "organisations.json", orgs);
	put(content, "citizens.json", citizens);
	put(content, "case-types/parskab.json", ct_parskab);
	char cmd[9000];
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/letter-templates' && cp "
		 "content/letter-templates/_parties.json '%s/letter-templates/'",
		 content, content);
	assert_int_equal(system(cmd), 0);
	put(content, "letter-templates/parskab.json", tmpl_parskab);
	struct hh_import_stats stats;
	assert_int_equal(hh_content_import(f->st, content, 1, stderr, NULL, NULL,
					   &stats),
			 HH_OK);
	fx_vault(f);
	f->fam = org_id(f, "fam");
	f->anna = citizen_id(f, "demo:anna");
	f->bo = citizen_id(f, "demo:bo");
	f->carl = citizen_id(f, "demo:carl");
	p->dina = citizen_id(f, "demo:dina");
	p->erik = citizen_id(f, "demo:erik");
	struct hh_actor cw_fam = { .label = "user:1", .org_id = f->fam,
				   .roles = HH_ROLE_CASEWORKER };
	f->cw_fam = cw_fam;
	hh_parties_set_cpr_lookup(NULL, NULL); /* a test that failed may have left one */
	hh_clock_set_us(0); /* and a clock */
	snprintf(p->spool, sizeof(p->spool), "%s/spool", f->dir);
	assert_int_equal(hh_spool_open(p->spool, &p->t), HH_OK);
	*state = p;
	return 0;
}

static int teardown_letters(void **state)
{
	struct pfx *p = *state;
	hh_transport_free(p->t);
	struct fx *f = hh_xcalloc(1, sizeof(*f));
	*f = p->f;
	free(p);
	*state = f;
	return teardown(state);
}

#define TL(fn) cmocka_unit_test_setup_teardown(fn, setup_letters, teardown_letters)

/* ---- helpers ------------------------------------------------------------ */

static enum hh_rc submit_from(struct fx *f, int64_t who, const char *partner,
			      struct hh_case *out)
{
	char values[400];
	snprintf(values, sizeof(values),
		 "{\"navn\":\"Ansøgeren\",\"adresse\":\"Rosenvænget 27, 6200 Åstrup\","
		 "\"partner_cpr\":\"%s\"}",
		 partner);
	const char *why;
	int replayed;
	return submit_full(f, "parskab", who, 0, NULL, values, NULL, NULL, out,
			   &replayed, &why);
}

static struct hh_case invited(struct fx *f, int64_t who, const char *partner)
{
	struct hh_case c;
	enum hh_rc rc = submit_from(f, who, partner, &c);
	if (rc != HH_OK)
		fail_msg("submit: %s (%s)", hh_rc_name(rc),
			 f->res.n_errors ? f->res.errors[0].message : "-");
	return c;
}

/* letters of case case_id to citizen (0: anyone) of kind (NULL: any) */
static int64_t n_letters(struct fx *f, int64_t case_id, int64_t citizen,
			 const char *kind)
{
	char sql[400];
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM letters WHERE case_id = %lld AND state = 'sent'"
		 "%s%lld%s%s%s",
		 (long long)case_id, citizen ? " AND citizen_id = " : " AND 0 = ",
		 (long long)citizen, kind ? " AND kind = '" : "", kind ? kind : "",
		 kind ? "'" : "");
	return tu_sql_int(f->dir, sql, 0, NULL);
}

static int64_t n_messages(struct fx *f, int64_t case_id)
{
	char sql[300];
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM messages m JOIN letters l ON l.id = m.letter_id "
		 "WHERE l.case_id = %lld",
		 (long long)case_id);
	return tu_sql_int(f->dir, sql, 0, NULL);
}

static int64_t letter_id(struct fx *f, int64_t case_id, int64_t citizen,
			 const char *kind)
{
	char sql[300];
	snprintf(sql, sizeof(sql),
		 "SELECT id FROM letters WHERE case_id = %lld AND citizen_id = %lld "
		 "AND kind = '%s'",
		 (long long)case_id, (long long)citizen, kind);
	int64_t id = tu_sql_int(f->dir, sql, 0, NULL);
	if (id <= 0)
		fail_msg("no %s letter to citizen %lld on case %lld", kind,
			 (long long)citizen, (long long)case_id);
	return id;
}

/* The letter as its recipient opens it in the inbox. */
static struct hh_inbox_letter opened(struct fx *f, int64_t who, int64_t id)
{
	struct hh_inbox_letter o;
	enum hh_rc rc = hh_inbox_open(f->st, &f->a, CITIZEN(who), id, &o);
	if (rc != HH_OK)
		fail_msg("open letter %lld as %lld: %s", (long long)id, (long long)who,
			 hh_rc_name(rc));
	return o;
}

/* The text of a PDF as pdftotext reads it, lines joined (new). */
static char *pdf_text(struct fx *f, const struct hh_letter *l)
{
	assert_non_null(l->pdf);
	char pdf[4300], txt[4300], cmd[9000];
	snprintf(pdf, sizeof(pdf), "%s/l%lld.pdf", f->dir, (long long)l->id);
	snprintf(txt, sizeof(txt), "%s/l%lld.txt", f->dir, (long long)l->id);
	FILE *o = fopen(pdf, "wb");
	assert_non_null(o);
	assert_int_equal(fwrite(l->pdf, 1, l->pdf_len, o), l->pdf_len);
	fclose(o);
	snprintf(cmd, sizeof(cmd), "pdftotext '%s' '%s'", pdf, txt);
	assert_int_equal(system(cmd), 0);
	char *s = tu_read(txt);
	assert_non_null(s);
	for (char *c = s; *c; c++)
		if (*c == '\n')
			*c = ' ';
	return s;
}

/* Delivers what is due and returns the MeMo XML of letter l (new);
 * checked against the schema. */
static char *memo_of(struct pfx *p, const struct hh_letter *l)
{
	struct fx *f = &p->f;
	struct hh_deliver_stats s;
	assert_int_equal(hh_messages_deliver(f->st, p->t, now_s() + 1, 100, &s), HH_OK);
	assert_non_null(l->message_id);
	char path[4400], cmd[9000];
	snprintf(path, sizeof(path), "%s/out/%s.xml", p->spool, l->message_id);
	char *xml = tu_read(path);
	if (!xml)
		fail_msg("no MeMo file %s", path);
	snprintf(cmd, sizeof(cmd), "xmllint --noout --schema " SCHEMA " '%s' 2>/dev/null",
		 path);
	int st = system(cmd);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	return xml;
}

static int64_t inbox_total(struct fx *f, int64_t who)
{
	struct hh_inbox_page pg;
	assert_int_equal(hh_inbox_list(f->st, &f->a, CITIZEN(who), 0, 50, &pg), HH_OK);
	return pg.total;
}

/* ---- the invitation ---------------------------------------------------------- */

static void the_invited_party_gets_a_letter(void **state)
{
	struct pfx *p = *state;
	struct fx *f = &p->f;
	struct hh_buf seen;
	hh_buf_init(&seen);
	assert_int_equal(hh_store_subscribe(f->st, tu_record_change, &seen), HH_OK);
	struct hh_case c = invited(f, f->anna, BO_CPR);
	hh_store_unsubscribe(f->st, tu_record_change, &seen);
	hh_buf_putc(&seen, '\0');
	/* the postman is woken after the commit, not at its next pass */
	tu_expect_in(seen.data, "message/0/0/queue");
	hh_buf_clear(&seen);
	assert_string_equal(c.state, "awaiting_parties");
	/* one letter, to Bo, with its message queued */
	assert_int_equal(n_letters(f, c.id, 0, NULL), 1);
	assert_int_equal(n_letters(f, c.id, f->bo, "party_invitation"), 1);
	assert_int_equal(n_messages(f, c.id), 1);
	/* in Bo's inbox, not in Anna's */
	assert_int_equal(inbox_total(f, f->bo), 1);
	assert_int_equal(inbox_total(f, f->anna), 0);
	int64_t id = letter_id(f, c.id, f->bo, "party_invitation");
	struct hh_inbox_letter o = opened(f, f->bo, id);
	struct hh_inbox_letter other;
	assert_int_equal(hh_inbox_open(f->st, &f->a, CITIZEN(f->anna), id, &other),
			 HH_ERR_NOT_FOUND);
	/* and in his Mit overblik, under the invitation */
	struct hh_invitation inv;
	assert_int_equal(hh_invitation_read(f->st, &f->a, CITIZEN(f->bo), c.id, &inv),
			 HH_OK);
	assert_int_equal(json_array_size(inv.letters), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(inv.letters, 0),
							    "id")),
			 id);
	/* the case type's own template: who, the address, the date */
	assert_string_equal(o.l.title, "Du er nævnt i en ansøgning om skilsmisse");
	tu_expect_in(o.l.body, "Kære Bo Berg");
	tu_expect_in(o.l.body, "Anna Andersen (Skovvej 12, 4100 Nordskov) har søgt");
	struct plist_one {
		int64_t expires_at;
	} e = { 0 };
	char sql[200];
	snprintf(sql, sizeof(sql), "SELECT expires_at FROM case_parties WHERE case_id = %lld",
		 (long long)c.id);
	e.expires_at = tu_sql_int(f->dir, sql, 0, NULL);
	tu_expect_in(o.l.body, hh_arena_printf(&f->a, "Svar senest den %s.",
					       hh_datetime_da(&f->a, e.expires_at)));
	assert_null(o.l.author_name); /* helhed wrote it */
	/* the PDF says it, signed by the organisation */
	char *txt = pdf_text(f, &o.l);
	tu_expect_in(txt, "Bo Berg");
	tu_expect_in(txt, "Bakkevej 4"); /* his own address, on his letter */
	tu_expect_in(txt, "Familieretshuset");
	free(txt);
	/* to Digital Post as MeMo, by his CPR number */
	char *xml = memo_of(p, &o.l);
	tu_expect_in(xml, "0101901234");
	tu_expect_in(xml, "39180303");
	free(xml);
	/* the staff's history names it; Anna's reading of her case does not */
	struct hh_case_read v;
	assert_int_equal(hh_case_read(f->st, &f->a, CITIZEN(f->anna), c.id, NULL, &v),
			 HH_OK);
	for (int i = 0; i < v.n_events; i++) {
		if (!strcmp(v.events[i].action, "letter_party") ||
		    !strcmp(v.events[i].action, "message"))
			fail_msg("Anna's history has Bo's letter (%s)", v.events[i].action);
	}
	assert_int_equal(n_case_events(f, c.id, "letter_party", NULL, NULL), 1);
	assert_true(n_case_events(f, c.id, "message", NULL, NULL) >= 1);
}

/* r-letters: an invitation runs out at the submission's time of day
 * (P14D from it, in Danish time), so the letter names that moment, clock
 * included; a date alone promised the party a whole day they do not
 * have. Sent at 00.30 Danish time (23.30 UTC the day before), so the
 * date is Denmark's too. */
static void the_answer_date_says_when_it_runs_out(void **state)
{
	struct pfx *p = *state;
	struct fx *f = &p->f;
	int64_t t0 = 1796513400; /* 2026-12-05 23:30 UTC, 6 December 00.30 here */
	hh_clock_set_us(t0 * 1000000);
	struct hh_case c = invited(f, f->anna, BO_CPR);
	struct hh_inbox_letter o = opened(f, f->bo, letter_id(f, c.id, f->bo,
							       "party_invitation"));
	tu_expect_in(o.l.body, "Svar senest den 20. december 2026 kl. 00.30.");
	/* and that is the moment: at noon of that day it has run out */
	char sql[200];
	snprintf(sql, sizeof(sql), "SELECT expires_at FROM case_parties WHERE case_id = %lld",
		 (long long)c.id);
	int64_t expires_at = tu_sql_int(f->dir, sql, 0, NULL);
	assert_string_equal(hh_datetime_da(&f->a, expires_at), "20. december 2026 kl. 00.30");
	struct hh_case_party row = { .status = "invited", .expires_at = expires_at };
	assert_string_equal(hh_party_status(&row, expires_at + 11 * 3600 + 30 * 60),
			    "expired");
	/* the closing letters of an expiry say it the same way */
	hh_clock_set_us((expires_at + 60) * 1000000);
	int n = 0;
	assert_int_equal(hh_parties_expire(f->st, expires_at + 60, 0, &n), HH_OK);
	hh_clock_set_us(0);
	assert_int_equal(n, 1);
	struct hh_inbox_letter a = opened(f, f->anna, letter_id(f, c.id, f->anna,
								 "party_expired"));
	tu_expect_in(a.l.body, "senest den 20. december 2026 kl. 00.30.");
	struct hh_inbox_letter b = opened(f, f->bo, letter_id(f, c.id, f->bo,
							       "party_expired_party"));
	tu_expect_in(b.l.body, "udløb den 20. december 2026 kl. 00.30,");
}

/* ---- the closing letters ----------------------------------------------- */

static void a_decline_writes_one_letter_to_each(void **state)
{
	struct pfx *p = *state;
	struct fx *f = &p->f;
	struct hh_case c = invited(f, f->anna, BO_CPR), out;
	enum hh_party_fault fault;
	assert_int_equal(hh_party_answer(f->st, &f->a, CITIZEN(f->bo), c.id, 0, &out,
					 &fault),
			 HH_OK);
	assert_string_equal(out.state, "declined");
	assert_int_equal(n_letters(f, c.id, f->anna, "party_declined"), 1);
	assert_int_equal(n_letters(f, c.id, f->bo, "party_declined_party"), 1);
	assert_int_equal(n_letters(f, c.id, 0, NULL), 3);
	assert_int_equal(n_messages(f, c.id), 3);
	/* answering again writes nothing: no second letter */
	assert_int_equal(hh_party_answer(f->st, &f->a, CITIZEN(f->bo), c.id, 0, &out,
					 &fault),
			 HH_ERR_CONFLICT);
	assert_int_equal(hh_party_answer(f->st, &f->a, CITIZEN(f->bo), c.id, 1, &out,
					 &fault),
			 HH_ERR_CONFLICT);
	/* nor does an expiry pass after it */
	int n = -1;
	assert_int_equal(hh_parties_expire(f->st, now_s() + 40 * 86400, 0, &n), HH_OK);
	assert_int_equal(n, 0);
	assert_int_equal(n_letters(f, c.id, 0, NULL), 3);
	/* each reads their own */
	assert_int_equal(inbox_total(f, f->anna), 1);
	assert_int_equal(inbox_total(f, f->bo), 2);
	struct hh_inbox_letter a = opened(f, f->anna, letter_id(f, c.id, f->anna,
								 "party_declined"));
	assert_string_equal(a.l.title, "Din ansøgning er lukket");
	tu_expect_in(a.l.body, "Kære Anna Andersen");
	tu_expect_in(a.l.body, "Den, du nævnte som ægtefælle, har afvist");
	/* the applicant typed a CPR number: the letter names nobody */
	assert_null(strstr(a.l.body, "Bo Berg"));
	assert_null(strstr(a.l.body, "Bakkevej"));
	struct hh_inbox_letter b = opened(f, f->bo, letter_id(f, c.id, f->bo,
							       "party_declined_party"));
	tu_expect_in(b.l.body, "Du er nævnt som ægtefælle i en ansøgning fra Anna Andersen");
	/* his invitation in Mit overblik lists his two, never hers */
	struct hh_invitation inv;
	assert_int_equal(hh_invitation_read(f->st, &f->a, CITIZEN(f->bo), c.id, &inv),
			 HH_OK);
	assert_int_equal(json_array_size(inv.letters), 2);
	for (size_t i = 0; i < 2; i++)
		assert_int_not_equal(json_integer_value(json_object_get(
					     json_array_get(inv.letters, i), "id")),
				     a.l.id);
	struct hh_inbox_letter x;
	assert_int_equal(hh_inbox_open(f->st, &f->a, CITIZEN(f->bo), a.l.id, &x),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_inbox_open(f->st, &f->a, CITIZEN(f->anna), b.l.id, &x),
			 HH_ERR_NOT_FOUND);
}

static void an_expiry_writes_its_letters_once(void **state)
{
	struct pfx *p = *state;
	struct fx *f = &p->f;
	struct hh_case c = invited(f, f->anna, BO_CPR);
	int64_t later = now_s() + 15 * 86400;
	/* the pass, with the store failing at each call in turn: a pass that
	 * failed wrote nothing of the expiry, the next one does it whole */
	for (int k = 1; k < 80; k++) {
		hh_store_fault_inject(f->st, k, HH_ERR_IO);
		int n = 0;
		enum hh_rc rc = hh_parties_expire(f->st, later, 0, &n);
		hh_store_fault_inject(f->st, 0, HH_OK);
		int64_t letters = n_letters(f, c.id, 0, NULL);
		struct hh_case now = get(f, c.id);
		if (!strcmp(now.state, "declined")) {
			assert_int_equal(letters, 3);
			break;
		}
		(void)rc;
		assert_int_equal(letters, 1); /* the invitation only */
	}
	assert_string_equal(get(f, c.id).state, "declined");
	/* and with a busy store, retried: the same, once */
	struct hh_case d = invited(f, f->anna, BO_CPR);
	hh_store_fault_inject(f->st, 4, HH_ERR_BUSY);
	int n = 0;
	assert_int_equal(hh_parties_expire(f->st, later, 0, &n), HH_OK);
	hh_store_fault_inject(f->st, 0, HH_OK);
	assert_int_equal(n, 1);
	/* a re-run of the pass finds nothing to do and writes nothing */
	for (int i = 0; i < 3; i++) {
		assert_int_equal(hh_parties_expire(f->st, later + i, 0, &n), HH_OK);
		assert_int_equal(n, 0);
	}
	int64_t ids[2] = { c.id, d.id };
	for (int i = 0; i < 2; i++) {
		assert_int_equal(n_letters(f, ids[i], f->anna, "party_expired"), 1);
		assert_int_equal(n_letters(f, ids[i], f->bo, "party_expired_party"), 1);
		assert_int_equal(n_letters(f, ids[i], f->bo, "party_invitation"), 1);
		assert_int_equal(n_letters(f, ids[i], 0, NULL), 3);
		assert_int_equal(n_messages(f, ids[i]), 3);
	}
	struct hh_inbox_letter a = opened(f, f->anna, letter_id(f, d.id, f->anna,
								 "party_expired"));
	tu_expect_in(a.l.body, "Vi har ikke fået et svar inden fristen");
	/* the index holds it even against a second write of the event */
	struct hh_tx *tx = x_begin(f->st, 1);
	struct hh_case k = get(f, d.id);
	struct hh_case_type row;
	struct hh_case_type_def def;
	assert_int_equal(hh_case_type_load(tx, &f->a, NULL, k.case_type_id, &row, &def),
			 HH_OK);
	struct hh_case_party by = { .role = "spouse", .citizen_id = f->bo, .confirm = 1 };
	assert_int_not_equal(hh_party_letters_closed_tx(tx, &f->a, &k, &def, &by, 1),
			     HH_OK);
	hh_case_type_def_clear(&def);
	f->st->tx_rollback(tx);
	assert_int_equal(n_letters(f, d.id, 0, NULL), 3);
}

/* ---- name and address protection --------------------------------------- */

static void a_protected_address_is_in_nothing_the_other_party_reads(void **state)
{
	struct pfx *p = *state;
	struct fx *f = &p->f;
	/* Dina is protected and applies, naming Bo */
	struct hh_case c = invited(f, p->dina, BO_CPR), out;
	int64_t id = letter_id(f, c.id, f->bo, "party_invitation");
	struct hh_inbox_letter o = opened(f, f->bo, id);
	/* the placeholders: her address, and the address field she wrote */
	tu_expect_in(o.l.body, "Dina Dahl (Adressebeskyttet) har søgt");
	tu_expect_in(o.l.body, "Den fælles adresse: Adressebeskyttet.");
	assert_null(strstr(o.l.title, DINA_STREET));
	assert_null(strstr(o.l.body, DINA_STREET));
	char *txt = pdf_text(f, &o.l);
	assert_null(strstr(txt, DINA_STREET));
	tu_expect_in(txt, "Adressebeskyttet");
	free(txt);
	char *xml = memo_of(p, &o.l);
	assert_null(strstr(xml, DINA_STREET));
	free(xml);
	/* the letter as JSON, the HTML of the inbox, the invitation */
	json_t *j = hh_letter_json(&o.l);
	char *js = json_dumps(j, 0);
	assert_null(strstr(js, DINA_STREET));
	free(js);
	json_decref(j);
	struct hh_buf html;
	hh_buf_init(&html);
	assert_int_equal(hh_letter_html_of(f->st, &f->a, &o.l, &html), HH_OK);
	hh_buf_putc(&html, '\0');
	assert_null(strstr(html.data, DINA_STREET));
	hh_buf_clear(&html);
	struct hh_invitation v;
	assert_int_equal(hh_invitation_read(f->st, &f->a, CITIZEN(f->bo), c.id, &v),
			 HH_OK);
	j = hh_invitation_json(&v);
	js = json_dumps(j, 0);
	assert_null(strstr(js, DINA_STREET));
	free(js);
	json_decref(j);
	/* the caseworker's letter to Bo (staff read it too): the same */
	struct hh_letter staff;
	assert_int_equal(hh_letter_get_staff(f->st, &f->a, &f->cw_fam, id, NULL, &staff),
			 HH_OK);
	assert_null(strstr(staff.body, DINA_STREET));
	txt = pdf_text(f, &staff);
	assert_null(strstr(txt, DINA_STREET));
	free(txt);
	/* Bo declines: Dina's own letter reaches her by Digital Post, with
	 * no address printed on it; Bo's says nothing of hers */
	enum hh_party_fault fault;
	assert_int_equal(hh_party_answer(f->st, &f->a, CITIZEN(f->bo), c.id, 0, &out,
					 &fault),
			 HH_OK);
	struct hh_inbox_letter b = opened(f, f->bo, letter_id(f, c.id, f->bo,
							       "party_declined_party"));
	assert_null(strstr(b.l.body, DINA_STREET));
	txt = pdf_text(f, &b.l);
	assert_null(strstr(txt, DINA_STREET));
	free(txt);
	struct hh_inbox_letter d = opened(f, p->dina, letter_id(f, c.id, p->dina,
								 "party_declined"));
	txt = pdf_text(f, &d.l);
	tu_expect_in(txt, "Dina Dahl");
	assert_null(strstr(txt, DINA_STREET));
	free(txt);
	xml = memo_of(p, &d.l);
	tu_expect_in(xml, "2309014128"); /* by her CPR number */
	assert_null(strstr(xml, DINA_STREET));
	free(xml);
	char sql[300];
	snprintf(sql, sizeof(sql), "SELECT channel FROM messages WHERE message_id = '%s'",
		 d.l.message_id);
	char *ch = tu_sql(f->dir, sql, 0, NULL);
	assert_string_equal(ch, "digital_post");
	free(ch);
}

static void a_protected_citizen_off_digital_post_is_handled_by_hand(void **state)
{
	struct pfx *p = *state;
	struct fx *f = &p->f;
	/* Erik is protected and exempt from Digital Post: his invitation is
	 * not printed with his address, it waits for manual handling */
	char sql[300];
	snprintf(sql, sizeof(sql), "UPDATE citizens SET dp_exempt_since = 1 WHERE id = %lld",
		 (long long)p->erik);
	free(tu_sql(f->dir, sql, 0, NULL));
	struct hh_case c = invited(f, f->anna, ERIK_CPR);
	int64_t id = letter_id(f, c.id, p->erik, "party_invitation");
	struct hh_inbox_letter o = opened(f, p->erik, id);
	char *txt = pdf_text(f, &o.l);
	assert_null(strstr(txt, ERIK_STREET));
	free(txt);
	struct hh_deliver_stats s;
	assert_int_equal(hh_messages_deliver(f->st, p->t, now_s() + 1, 100, &s), HH_OK);
	snprintf(sql, sizeof(sql),
		 "SELECT state || ' ' || channel || ' ' || last_error FROM messages "
		 "WHERE message_id = '%s'",
		 o.l.message_id);
	char *row = tu_sql(f->dir, sql, 0, NULL);
	tu_expect_in(row, "error error ");
	tu_expect_in(row, "navne- og adressebeskyttelse");
	free(row);
	/* "Send til print" is refused for him */
	snprintf(sql, sizeof(sql), "SELECT id FROM messages WHERE message_id = '%s'",
		 o.l.message_id);
	int64_t mid = tu_sql_int(f->dir, sql, 0, NULL);
	assert_int_equal(hh_message_to_print(f->st, &f->cw_fam, mid, now_s()),
			 HH_ERR_INVALID);
	/* the letters to Anna about him: no name, no address of his */
	enum hh_party_fault fault;
	struct hh_case out;
	assert_int_equal(hh_party_answer(f->st, &f->a, CITIZEN(p->erik), c.id, 0, &out,
					 &fault),
			 HH_OK);
	struct hh_inbox_letter a = opened(f, f->anna, letter_id(f, c.id, f->anna,
								 "party_declined"));
	assert_null(strstr(a.l.body, ERIK_STREET));
	assert_null(strstr(a.l.body, "Erik"));
	txt = pdf_text(f, &a.l);
	assert_null(strstr(txt, ERIK_STREET));
	assert_null(strstr(txt, "Erik"));
	free(txt);
}

/* r-letters: protection that comes after a letter was routed to print
 * (the recipient is exempt from Digital Post). The recipient's own: the
 * batch would print a letter without an address. The applicant's, on a
 * letter to the other party: its text was merged before and quotes her
 * address. Either way the batch leaves it out and it goes to the error
 * queue, and "Send til print" is refused. */
static void protection_after_routing_to_print_holds_the_letter(void **state)
{
	struct pfx *p = *state;
	struct fx *f = &p->f;
	char sql[400], print[4400];
	snprintf(print, sizeof(print), "%s/print", p->spool);
	snprintf(sql, sizeof(sql), "UPDATE citizens SET dp_exempt_since = 1 WHERE id = %lld",
		 (long long)f->bo);
	free(tu_sql(f->dir, sql, 0, NULL));
	/* Bo's invitations go to print: c0 is printed (the control), c1 and
	 * c2 wait */
	struct hh_case c0 = invited(f, f->anna, BO_CPR);
	struct hh_deliver_stats ds;
	assert_int_equal(hh_messages_deliver(f->st, p->t, now_s() + 1, 100, &ds), HH_OK);
	struct hh_print_stats ps;
	assert_int_equal(hh_messages_print_batch(f->st, print, "2026-12-06", now_s() + 2,
						 &ps),
			 HH_OK);
	assert_int_equal(ps.letters, 1);
	struct hh_case c1 = invited(f, f->anna, BO_CPR);
	assert_int_equal(hh_messages_deliver(f->st, p->t, now_s() + 3, 100, &ds), HH_OK);
	int64_t ids[3] = { c0.id, c1.id, 0 };
	for (int i = 0; i < 2; i++) {
		snprintf(sql, sizeof(sql),
			 "SELECT m.state || ' ' || m.channel FROM messages m JOIN letters l "
			 "ON l.id = m.letter_id WHERE l.case_id = %lld",
			 (long long)ids[i]);
		char *row = tu_sql(f->dir, sql, 0, NULL);
		assert_string_equal(row, i ? "queued print" : "printed print");
		free(row);
	}
	/* Anna is protected now: c1's letter to Bo quotes her address */
	struct hh_inbox_letter o = opened(f, f->bo, letter_id(f, c1.id, f->bo,
							       "party_invitation"));
	tu_expect_in(o.l.body, "Skovvej 12");
	snprintf(sql, sizeof(sql), "UPDATE citizens SET address_protected = 1 WHERE id = %lld",
		 (long long)f->anna);
	free(tu_sql(f->dir, sql, 0, NULL));
	assert_int_equal(hh_messages_print_batch(f->st, print, "2026-12-06", now_s() + 4,
						 &ps),
			 HH_OK);
	assert_int_equal(ps.letters, 0);
	snprintf(sql, sizeof(sql),
		 "SELECT m.state || ' ' || m.channel || ' ' || m.last_error FROM messages m "
		 "WHERE m.message_id = '%s'",
		 o.l.message_id);
	char *row = tu_sql(f->dir, sql, 0, NULL);
	tu_expect_in(row, "error print Ansøgeren har fået navne- og adressebeskyttelse");
	free(row);
	snprintf(sql, sizeof(sql), "SELECT id FROM messages WHERE message_id = '%s'",
		 o.l.message_id);
	int64_t mid = tu_sql_int(f->dir, sql, 0, NULL);
	assert_int_equal(hh_message_to_print(f->st, &f->cw_fam, mid, now_s()),
			 HH_ERR_INVALID);
	/* the recipient's own protection: Bo's next invitation (Anna is not
	 * protected again, so only his counts) */
	snprintf(sql, sizeof(sql), "UPDATE citizens SET address_protected = 0 WHERE id = %lld",
		 (long long)f->anna);
	free(tu_sql(f->dir, sql, 0, NULL));
	struct hh_case c2 = invited(f, f->anna, BO_CPR);
	assert_int_equal(hh_messages_deliver(f->st, p->t, now_s() + 5, 100, &ds), HH_OK);
	o = opened(f, f->bo, letter_id(f, c2.id, f->bo, "party_invitation"));
	snprintf(sql, sizeof(sql), "UPDATE citizens SET address_protected = 1 WHERE id = %lld",
		 (long long)f->bo);
	free(tu_sql(f->dir, sql, 0, NULL));
	assert_int_equal(hh_messages_print_batch(f->st, print, "2026-12-06", now_s() + 6,
						 &ps),
			 HH_OK);
	assert_int_equal(ps.letters, 0);
	snprintf(sql, sizeof(sql),
		 "SELECT m.state || ' ' || m.last_error FROM messages m "
		 "WHERE m.message_id = '%s'",
		 o.l.message_id);
	row = tu_sql(f->dir, sql, 0, NULL);
	tu_expect_in(row, "error Borgeren har navne- og adressebeskyttelse");
	free(row);
	snprintf(sql, sizeof(sql), "SELECT id FROM messages WHERE message_id = '%s'",
		 o.l.message_id);
	mid = tu_sql_int(f->dir, sql, 0, NULL);
	assert_int_equal(hh_message_to_print(f->st, &f->cw_fam, mid, now_s()),
			 HH_ERR_INVALID);
	/* the error queue's history says why, on the case, for staff */
	assert_true(n_case_events(f, c2.id, "message", NULL, NULL) >= 2);
}

/* r-letters: the applicant is protected after the invitation to the
 * other party was merged with her address and before it went (the
 * postman's next pass, or a Digital Post retry hours later): it is held
 * in the error queue, by any channel. A letter that does not quote her
 * address (the closing letter) still goes. */
static void a_letter_quoting_an_applicant_protected_since_is_held(void **state)
{
	struct pfx *p = *state;
	struct fx *f = &p->f;
	struct hh_case c = invited(f, f->anna, BO_CPR), out;
	struct hh_inbox_letter o = opened(f, f->bo, letter_id(f, c.id, f->bo,
							       "party_invitation"));
	tu_expect_in(o.l.body, "Skovvej 12");
	char sql[400];
	snprintf(sql, sizeof(sql), "UPDATE citizens SET address_protected = 1 WHERE id = %lld",
		 (long long)f->anna);
	free(tu_sql(f->dir, sql, 0, NULL));
	struct hh_deliver_stats ds;
	assert_int_equal(hh_messages_deliver(f->st, p->t, now_s() + 1, 100, &ds), HH_OK);
	snprintf(sql, sizeof(sql),
		 "SELECT state || ' ' || channel || ' ' || last_error FROM messages "
		 "WHERE message_id = '%s'",
		 o.l.message_id);
	char *row = tu_sql(f->dir, sql, 0, NULL);
	tu_expect_in(row, "error error Ansøgeren har fået navne- og adressebeskyttelse");
	free(row);
	char path[4500];
	snprintf(path, sizeof(path), "%s/out/%s.xml", p->spool, o.l.message_id);
	assert_int_equal(access(path, F_OK), -1); /* not sent */
	/* nor read in his helhed inbox: the letter is there, its text and
	 * PDF are not */
	struct hh_inbox_letter again = opened(f, f->bo, o.l.id);
	assert_null(strstr(again.l.body, "Skovvej"));
	tu_expect_in(again.l.body, "Brevet kan ikke vises længere");
	assert_null(again.l.pdf);
	struct hh_buf html;
	hh_buf_init(&html);
	assert_int_equal(hh_letter_html_of(f->st, &f->a, &again.l, &html), HH_OK);
	hh_buf_putc(&html, '\0');
	assert_null(strstr(html.data, "Skovvej"));
	hh_buf_clear(&html);
	/* sending it again goes the same way */
	snprintf(sql, sizeof(sql), "SELECT id FROM messages WHERE message_id = '%s'",
		 o.l.message_id);
	int64_t mid = tu_sql_int(f->dir, sql, 0, NULL);
	assert_int_equal(hh_message_retry(f->st, &f->cw_fam, mid, now_s() + 2), HH_OK);
	assert_int_equal(hh_messages_deliver(f->st, p->t, now_s() + 3, 100, &ds), HH_OK);
	snprintf(sql, sizeof(sql), "SELECT state FROM messages WHERE message_id = '%s'",
		 o.l.message_id);
	row = tu_sql(f->dir, sql, 0, NULL);
	assert_string_equal(row, "error");
	free(row);
	/* Bo declines: his closing letter names no address and goes */
	enum hh_party_fault fault;
	assert_int_equal(hh_party_answer(f->st, &f->a, CITIZEN(f->bo), c.id, 0, &out,
					 &fault),
			 HH_OK);
	struct hh_inbox_letter b = opened(f, f->bo, letter_id(f, c.id, f->bo,
							       "party_declined_party"));
	char *xml = memo_of(p, &b.l);
	assert_null(strstr(xml, "Skovvej"));
	free(xml);
	/* an address she wrote in the form counts too: a new invitation,
	 * then protection and no register address (only the form's
	 * "Rosenvænget 27, 6200 Åstrup" is in it to find) */
	snprintf(sql, sizeof(sql), "UPDATE citizens SET address_protected = 0 WHERE id = %lld",
		 (long long)f->anna);
	free(tu_sql(f->dir, sql, 0, NULL));
	struct hh_case c2 = invited(f, f->anna, BO_CPR);
	o = opened(f, f->bo, letter_id(f, c2.id, f->bo, "party_invitation"));
	tu_expect_in(o.l.body, "Den fælles adresse: Rosenvænget 27, 6200 Åstrup.");
	snprintf(sql, sizeof(sql),
		 "UPDATE citizens SET address_protected = 1, address = NULL WHERE id = %lld",
		 (long long)f->anna);
	free(tu_sql(f->dir, sql, 0, NULL));
	assert_int_equal(hh_messages_deliver(f->st, p->t, now_s() + 4, 100, &ds), HH_OK);
	snprintf(sql, sizeof(sql), "SELECT state FROM messages WHERE message_id = '%s'",
		 o.l.message_id);
	row = tu_sql(f->dir, sql, 0, NULL);
	assert_string_equal(row, "error");
	free(row);
}

/* r-letters (data minimisation): the demo's letters to another party
 * never give the applicant's address. The other spouse does not need it
 * to confirm, and someone who has moved away from them but has no name
 * and address protection yet (it takes time to get) would have their
 * new address posted to them. {{applicant.address}} stays for a case
 * type that has a reason to use it. */
static void the_demo_letters_to_a_party_give_no_address(void **state)
{
	(void)state;
	glob_t g;
	assert_int_equal(glob("content/letter-templates/*.json", 0, NULL, &g), 0);
	int seen = 0;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		json_t *j = json_load_file(g.gl_pathv[i], 0, NULL);
		assert_non_null(j);
		const char *kind;
		json_t *t;
		json_object_foreach(j, kind, t) {
			if (strncmp(kind, "party_", 6))
				continue;
			seen++;
			char *text = json_dumps(t, 0);
			if (strstr(text, "applicant.address"))
				fail_msg("%s: %s gives the applicant's address",
					 g.gl_pathv[i], kind);
			free(text);
		}
		json_decref(j);
	}
	globfree(&g);
	assert_true(seen >= 8); /* _parties.json's five and three of their own */
}

/* ---- templates at import ------------------------------------------------------ */

static void party_templates_are_checked_at_import(void **state)
{
	struct pfx *p = *state;
	struct fx *f = &p->f;
	static const struct {
		const char *tmpl, *says;
	} bad[] = {
		{ "{\"party_invitation\":{\"title\":\"T\",\"body\":[\"{{free.text}}\"]}}",
		  "no caseworker's free parts" },
		{ "{\"party_invitation\":{\"title\":\"T\",\"body\":[\"{{form.partner_cpr}}\"]}}",
		  "only fields the case type shares" },
		{ "{\"party_invitation\":{\"title\":\"T\",\"body\":[\"{{party.navn}}\"]}}",
		  "unknown placeholder" },
		{ "{\"party_invited\":{\"title\":\"T\",\"body\":[\"x\"]}}",
		  "is not a letter kind" },
	};
	char content[4300];
	snprintf(content, sizeof(content), "%s/content", f->dir);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		put(content, "letter-templates/parskab.json", bad[i].tmpl);
		char *buf = NULL;
		size_t len = 0;
		FILE *errs = open_memstream(&buf, &len);
		struct hh_import_stats stats;
		enum hh_rc rc = hh_content_import(f->st, content, 1, errs, NULL, NULL,
						  &stats);
		fclose(errs);
		if (rc == HH_OK || !strstr(buf, bad[i].says))
			fail_msg("case %zu: %s: '%s'", i, hh_rc_name(rc), buf ? buf : "");
		free(buf);
	}
	/* a placeholder of the parties in a caseworker's letter */
	put(content, "letter-templates/parskab.json",
	    "{\"hearing\":{\"title\":\"T\",\"body\":[\"{{applicant.name}}\"]}}");
	char *buf = NULL;
	size_t len = 0;
	FILE *errs = open_memstream(&buf, &len);
	struct hh_import_stats stats;
	assert_int_not_equal(hh_content_import(f->st, content, 1, errs, NULL, NULL,
					       &stats),
			     HH_OK);
	fclose(errs);
	tu_expect_in(buf, "only the letters to the parties");
	free(buf);
	/* the shared file is checked against each case type with parties */
	put(content, "letter-templates/parskab.json", "{}");
	put(content, "letter-templates/_parties.json",
	    "{\"party_expired\":{\"title\":\"T\",\"body\":[\"{{form.nope}}\"]}}");
	buf = NULL;
	errs = open_memstream(&buf, &len);
	assert_int_not_equal(hh_content_import(f->st, content, 1, errs, NULL, NULL,
					       &stats),
			     HH_OK);
	fclose(errs);
	tu_expect_in(buf, "_parties.json:1: template 'party_expired': {{form.nope}}");
	free(buf);
}

/* ---- named before helhed knew them (issue 16, point 3) ------------------ */

#define NINA_CPR "121212-1212"

/* the CPR register as a real deployment would ask it: it knows Nina,
 * who has never signed in to helhed */
static int register_knows(void *cls, const char *cpr)
{
	(void)cls;
	return !strcmp(cpr, NINA_CPR);
}

static void a_party_not_yet_known_finds_the_invitation_at_sign_in(void **state)
{
	struct pfx *p = *state;
	struct fx *f = &p->f;
	/* without a lookup, a number that is nobody's in helhed is refused */
	struct hh_case c;
	assert_int_equal(submit_from(f, f->anna, NINA_CPR, &c), HH_ERR_INVALID);
	hh_parties_set_cpr_lookup(register_knows, NULL);
	c = invited(f, f->anna, NINA_CPR);
	/* it waits; the row keeps the keyed hash and no citizen; no letter
	 * can go to someone helhed cannot reach yet */
	assert_string_equal(c.state, "awaiting_parties");
	char sql[300];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM case_parties WHERE case_id = "
		 "%lld AND citizen_id IS NULL AND cpr_hash IS NOT NULL",
		 (long long)c.id);
	assert_int_equal(tu_sql_int(f->dir, sql, 0, NULL), 1);
	assert_int_equal(n_letters(f, c.id, 0, NULL), 0);
	/* someone else's sign-in claims nothing */
	struct hh_citizen_login login;
	struct hh_citizen_signin other = { .subject = "mitid:x", .name = "Ole Olsen",
					   .cpr = "0101801234", .loa = HH_LOA_SUBSTANTIAL };
	assert_int_equal(hh_citizen_signin(f->st, &f->a, &other, &login), HH_OK);
	assert_int_equal(tu_sql_int(f->dir, sql, 0, NULL), 1);
	/* Nina's first sign-in (her number as MitID gives it): the row is
	 * hers, with her invitation letter, and she answers */
	struct hh_citizen_signin nina = { .subject = "mitid:nina", .name = "Nina Nielsen",
					  .cpr = "1212121212", .loa = HH_LOA_SUBSTANTIAL };
	assert_int_equal(hh_citizen_signin(f->st, &f->a, &nina, &login), HH_OK);
	int64_t nina_id = login.citizen.id;
	assert_int_equal(tu_sql_int(f->dir, sql, 0, NULL), 0);
	assert_int_equal(n_letters(f, c.id, nina_id, "party_invitation"), 1);
	assert_int_equal(inbox_total(f, nina_id), 1);
	struct hh_invitation v;
	assert_int_equal(hh_invitation_read(f->st, &f->a, CITIZEN(nina_id), c.id, &v),
			 HH_OK);
	assert_string_equal(v.status, "invited");
	assert_int_equal(json_array_size(v.letters), 1);
	/* being named is in her audit trail now */
	struct hh_audit *au;
	size_t na = audits(f, &au);
	int named = 0;
	for (size_t i = 0; i < na; i++)
		named += au[i].citizen_id == nina_id &&
			 strstr(au[i].what, "nævnt som part i sag") != NULL;
	assert_int_equal(named, 1);
	/* signing in again finds nothing more, sends nothing more */
	assert_int_equal(hh_citizen_signin(f->st, &f->a, &nina, &login), HH_OK);
	assert_int_equal(n_letters(f, c.id, 0, NULL), 1);
	struct hh_case out;
	enum hh_party_fault fault;
	assert_int_equal(hh_party_answer(f->st, &f->a, CITIZEN(nina_id), c.id, 1, &out,
					 &fault),
			 HH_OK);
	assert_string_equal(out.state, "received");
	/* named again now that helhed knows her: her letter goes at once */
	hh_parties_set_cpr_lookup(NULL, NULL);
	struct hh_case d = invited(f, f->anna, NINA_CPR);
	assert_int_equal(n_letters(f, d.id, nina_id, "party_invitation"), 1);
}

/* r-letters: the claim at sign-in trusts no hash alone. A row whose
 * keyed hash is made to match another person's number (as a collision
 * would) is not theirs: the sealed number decides. */
static void a_hash_match_alone_claims_nothing(void **state)
{
	struct pfx *p = *state;
	struct fx *f = &p->f;
	hh_parties_set_cpr_lookup(register_knows, NULL);
	struct hh_case c = invited(f, f->anna, NINA_CPR);
	hh_parties_set_cpr_lookup(NULL, NULL);
	struct hh_citizen_login login;
	struct hh_citizen_signin ole = { .subject = "mitid:x", .name = "Ole Olsen",
					 .cpr = "0101801234", .loa = HH_LOA_SUBSTANTIAL };
	assert_int_equal(hh_citizen_signin(f->st, &f->a, &ole, &login), HH_OK);
	char sql[400];
	snprintf(sql, sizeof(sql),
		 "UPDATE case_parties SET cpr_hash = (SELECT cpr_hash FROM citizens "
		 "WHERE subject = 'mitid:x') WHERE case_id = %lld",
		 (long long)c.id);
	free(tu_sql(f->dir, sql, 0, NULL));
	assert_int_equal(hh_citizen_signin(f->st, &f->a, &ole, &login), HH_OK);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM case_parties WHERE case_id = "
		 "%lld AND citizen_id IS NULL",
		 (long long)c.id);
	assert_int_equal(tu_sql_int(f->dir, sql, 0, NULL), 1);
	assert_int_equal(n_letters(f, c.id, 0, NULL), 0);
	struct hh_invitation v;
	assert_int_equal(hh_invitation_read(f->st, &f->a, CITIZEN(login.citizen.id), c.id,
					    &v),
			 HH_ERR_NOT_FOUND);
}

static void a_party_unknown_until_the_expiry_gets_no_letter(void **state)
{
	struct pfx *p = *state;
	struct fx *f = &p->f;
	hh_parties_set_cpr_lookup(register_knows, NULL);
	struct hh_case c = invited(f, f->anna, NINA_CPR);
	hh_parties_set_cpr_lookup(NULL, NULL);
	int n = 0;
	assert_int_equal(hh_parties_expire(f->st, now_s() + 15 * 86400, 0, &n), HH_OK);
	assert_int_equal(n, 1);
	assert_string_equal(get(f, c.id).state, "declined");
	assert_int_equal(n_letters(f, c.id, f->anna, "party_expired"), 1);
	assert_int_equal(n_letters(f, c.id, 0, NULL), 1);
	/* her later sign-in makes the row hers, and sends no invitation to
	 * a closed case */
	struct hh_citizen_login login;
	struct hh_citizen_signin nina = { .subject = "mitid:nina", .name = "Nina Nielsen",
					  .cpr = NINA_CPR, .loa = HH_LOA_SUBSTANTIAL };
	assert_int_equal(hh_citizen_signin(f->st, &f->a, &nina, &login), HH_OK);
	assert_int_equal(n_letters(f, c.id, 0, NULL), 1);
	struct hh_invitation v;
	assert_int_equal(hh_invitation_read(f->st, &f->a, CITIZEN(login.citizen.id),
					    c.id, &v),
			 HH_OK);
	assert_string_equal(v.status, "expired");
}

/* ---- two instances at once ----------------------------------------------- */

struct pass_arg {
	struct hh_store *st;
	pthread_barrier_t *go;
	int64_t now;
	int n;
	enum hh_rc rc;
};

static void *pass_thread(void *p)
{
	struct pass_arg *x = p;
	pthread_barrier_wait(x->go);
	x->rc = hh_parties_expire(x->st, x->now, 0, &x->n);
	return NULL;
}

/* Two instances (two stores on one database) run the expiry pass at the
 * same moment over the same 12 due invitations: each case is closed once,
 * with exactly one letter to each of its recipients. */
static void two_expiry_passes_at_once_send_each_letter_once(void **state)
{
	struct pfx *p = *state;
	struct fx *f = &p->f;
	enum { N = 12 };
	int64_t ids[N];
	for (int i = 0; i < N; i++) {
		/* a citizen names at most 10 parties a day: Dina names too */
		struct hh_case c = invited(f, i < 6 ? f->anna : p->dina, BO_CPR);
		ids[i] = c.id;
	}
	struct hh_store *st2 = tu_store(f->dir, 2);
	pthread_barrier_t go;
	pthread_barrier_init(&go, NULL, 2);
	int64_t later = now_s() + 15 * 86400;
	struct pass_arg a[2] = { { f->st, &go, later, 0, HH_OK },
				 { st2, &go, later, 0, HH_OK } };
	pthread_t th[2];
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&th[i], NULL, pass_thread, &a[i]), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_join(th[i], NULL), 0);
	pthread_barrier_destroy(&go);
	assert_int_equal(a[0].rc, HH_OK);
	assert_int_equal(a[1].rc, HH_OK);
	hh_store_close(st2);
	/* a pass that lost the race may have logged and left a row to the
	 * next pass: one more pass finishes, and writes nothing twice */
	int n = 0;
	assert_int_equal(hh_parties_expire(f->st, later + 1, 0, &n), HH_OK);
	assert_int_equal(a[0].n + a[1].n + n, N);
	for (int i = 0; i < N; i++) {
		int64_t applicant = i < 6 ? f->anna : p->dina;
		assert_string_equal(get(f, ids[i]).state, "declined");
		assert_int_equal(n_letters(f, ids[i], applicant, "party_expired"), 1);
		assert_int_equal(n_letters(f, ids[i], f->bo, "party_expired_party"), 1);
		assert_int_equal(n_letters(f, ids[i], 0, NULL), 3);
		assert_int_equal(n_messages(f, ids[i]), 3);
		assert_int_equal(n_case_events(f, ids[i], "party_expired", NULL, NULL), 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TL(the_invited_party_gets_a_letter),
		TL(the_answer_date_says_when_it_runs_out),
		TL(protection_after_routing_to_print_holds_the_letter),
		TL(a_letter_quoting_an_applicant_protected_since_is_held),
		cmocka_unit_test(the_demo_letters_to_a_party_give_no_address),
		TL(a_decline_writes_one_letter_to_each),
		TL(an_expiry_writes_its_letters_once),
		TL(a_protected_address_is_in_nothing_the_other_party_reads),
		TL(a_protected_citizen_off_digital_post_is_handled_by_hand),
		TL(party_templates_are_checked_at_import),
		TL(a_party_not_yet_known_finds_the_invitation_at_sign_in),
		TL(a_hash_match_alone_claims_nothing),
		TL(a_party_unknown_until_the_expiry_gets_no_letter),
		TL(two_expiry_passes_at_once_send_each_letter_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
