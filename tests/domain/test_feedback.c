/* test_feedback.c - "Fandt du det, du søgte?" in the domain: the rules of
 * an answer (each refusal names its field), the scrubbing of comments
 * (CPR numbers, e-mail addresses and phone numbers in the ways people
 * write them, while amounts and years stay), the event's exact JSON that
 * the figures fold, one answer per visit, page and day, the transaction
 * (a failing event write leaves no row), and the editors' report (who may
 * read it, whose answers, the latest comments). */
#include "testutil.h"

#include "domain/feedback.h"

#define VISIT "0123456789abcdef0123456789abcdef"
#define VISIT2 "fedcba9876543210fedcba9876543210"

struct ctx {
	char *dir;
	struct hh_store *st;
	struct hh_arena a;
	int64_t muni, muni2, agency;    /* 901, 902, udk */
	int64_t art, art_nokle, draft, staff; /* article ids */
};

static int64_t org_id(struct hh_store *st, const char *code)
{
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_org o;
	assert_int_equal(hh_store_org_by_code(st, &a, code, &o), HH_OK);
	hh_arena_clear(&a);
	return o.id;
}

static int64_t article(struct hh_store *st, const char *slug, const char *kle,
		       enum hh_status status, enum hh_audience audience)
{
	struct hh_article art = { .slug = slug, .title = slug, .summary = "S",
				  .body_md = "B", .body_html = "<p>B</p>",
				  .keywords = "", .kle = kle,
				  .audience = audience, .status = status,
				  .updated_by = "t" };
	struct hh_tx *tx;
	assert_int_equal(st->tx_begin(st->cls, 1, &tx), HH_OK);
	assert_int_equal(st->article_insert(tx, &art), HH_OK);
	assert_int_equal(st->tx_commit(tx), HH_OK);
	return art.id;
}

static int setup(void **state)
{
	struct ctx *c = hh_xcalloc(1, sizeof(*c));
	c->dir = tu_tmpdir();
	c->st = tu_store(c->dir, 2);
	tu_seed(c->st);
	hh_arena_init(&c->a);
	c->muni = org_id(c->st, "901");
	c->muni2 = org_id(c->st, "902");
	c->agency = org_id(c->st, "udk");
	c->art = article(c->st, "sundhedskort", "29.09.02", HH_STATUS_PUBLISHED,
			 HH_AUDIENCE_CITIZEN);
	c->art_nokle = article(c->st, "pas", "", HH_STATUS_PUBLISHED,
			       HH_AUDIENCE_CITIZEN);
	c->draft = article(c->st, "kladde", "", HH_STATUS_DRAFT,
			   HH_AUDIENCE_CITIZEN);
	c->staff = article(c->st, "intern", "", HH_STATUS_PUBLISHED,
			   HH_AUDIENCE_STAFF);
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;
	hh_arena_clear(&c->a);
	hh_store_close(c->st);
	tu_rmdir(c->dir);
	free(c);
	return 0;
}

/* ---- scrubbing ------------------------------------------------------------ */

static void scrub_is(const char *comment, const char *want)
{
	struct hh_arena a;
	hh_arena_init(&a);
	const char *got = hh_feedback_scrub(&a, comment);
	if (strcmp(got, want) != 0)
		fail_msg("scrub \"%s\": got \"%s\", want \"%s\"", comment, got,
			 want);
	hh_arena_clear(&a);
}

static void cpr_numbers_are_removed(void **state)
{
	(void)state;
	scrub_is("010203-1234", "[fjernet]");
	scrub_is("mit cpr er 0102031234.", "mit cpr er [fjernet].");
	scrub_is("cpr: 010203-1234, ikke godt", "cpr: [fjernet], ikke godt");
	scrub_is("(010203-1234)", "([fjernet])");
	/* letters touching it do not hide it */
	scrub_is("cpr0102031234", "cpr[fjernet]");
	scrub_is("cpr:010203-1234.", "cpr:[fjernet].");
}

static void email_addresses_are_removed(void **state)
{
	(void)state;
	scrub_is("skriv til jens.hansen@example.dk tak",
		 "skriv til [fjernet] tak");
	scrub_is("min mail er a+b@post.tele.dk.", "min mail er [fjernet].");
	scrub_is("JENS@EXAMPLE.COM", "[fjernet]");
	/* an @ alone is no address */
	scrub_is("svar @ kommunen", "svar @ kommunen");
	scrub_is("(jens@example.dk),", "([fjernet]),");
	/* two run together, and one after a number (found by the fuzzer):
	 * scrubbing once leaves nothing to scrub again */
	scrub_is("1 a@b.dtilb.@b.do", "1 [fjernet]");
	scrub_is("a@b.dk.c@d.dk", "[fjernet]");
	scrub_is("12345678+4512345678", "[fjernet][fjernet]");
	scrub_is("hej@", "hej@");
	scrub_is("a@b+45 12345678.dk", "[fjernet]");
}

static void phone_numbers_are_removed(void **state)
{
	(void)state;
	scrub_is("ring 12345678", "ring [fjernet]");
	scrub_is("ring 12 34 56 78 i dag", "ring [fjernet] i dag");
	scrub_is("tlf. 1234 5678", "tlf. [fjernet]");
	scrub_is("tlf. 12-34-56-78.", "tlf. [fjernet].");
	scrub_is("+45 12 34 56 78", "[fjernet]");
	scrub_is("+4512345678", "[fjernet]");
	scrub_is("0045 12345678", "[fjernet]");
	scrub_is("12.34.56.78", "[fjernet]");
	scrub_is("tlf12345678", "tlf[fjernet]");
	/* two numbers one after the other, each found */
	scrub_is("12345678 87654321", "[fjernet] [fjernet]");
	scrub_is("1234 5678 1234", "[fjernet] 1234");
	scrub_is("010203-1234 12 34 56 78", "[fjernet] [fjernet]");
	scrub_is("ring 12345678kl. 9", "ring [fjernet]kl. 9");
}

static void other_numbers_are_kept(void **state)
{
	(void)state;
	scrub_is("jeg fik 1.500 kr. i 2026", "jeg fik 1.500 kr. i 2026");
	scrub_is("8000 Aarhus C", "8000 Aarhus C");
	scrub_is("12.000.000 kr", "12.000.000 kr");
	scrub_is("kl. 16.30 på side 123456", "kl. 16.30 på side 123456");
	scrub_is("skema 12345678901", "skema 12345678901");
	scrub_is("1234567", "1234567");
	scrub_is("123456789", "123456789");
	scrub_is("", "");
}

/* ---- the rules -------------------------------------------------------------- */

static void refused_on(struct ctx *c, const struct hh_feedback_in *in,
		       const char *want_field)
{
	struct hh_feedback out;
	const char *field = NULL;
	enum hh_rc rc = hh_feedback_add(c->st, &c->a, in, &out, &field);
	if (rc != HH_ERR_INVALID || !field || strcmp(field, want_field))
		fail_msg("want INVALID %s, got %s %s", want_field, hh_rc_name(rc),
			 field ? field : "(no field)");
}

static int64_t rows(struct ctx *c);
static int64_t events(struct ctx *c);

static void each_rule_names_its_field(void **state)
{
	struct ctx *c = *state;
	int64_t before = rows(c), ev = events(c);
	struct hh_feedback_in ok = { .found = 1, .page = "article",
				     .article_id = c->art };
	struct hh_feedback_in in = ok;
	in.found = -1;
	refused_on(c, &in, "found");
	in = ok;
	in.found = 2;
	refused_on(c, &in, "found");
	in = ok;
	in.page = NULL;
	refused_on(c, &in, "page");
	in = ok;
	in.page = "front";
	refused_on(c, &in, "page");
	in = ok;
	in.article_id = 0;
	refused_on(c, &in, "article_id");
	in = ok;
	in.article_id = 999999; /* no such article */
	refused_on(c, &in, "article_id");
	in = ok;
	in.article_id = c->draft;
	refused_on(c, &in, "article_id");
	in = ok;
	in.article_id = c->staff;
	refused_on(c, &in, "article_id");
	in = ok;
	in.query = "pas";
	refused_on(c, &in, "query");
	/* a search page takes the text, no article */
	struct hh_feedback_in s = { .found = 0, .page = "search", .query = "pas" };
	in = s;
	in.article_id = c->art;
	refused_on(c, &in, "article_id");
	in = s;
	in.query = NULL;
	refused_on(c, &in, "query");
	in = s;
	in.query = "   ";
	refused_on(c, &in, "query");
	in = s;
	in.query = "pas\xff";
	refused_on(c, &in, "query");
	/* the comment: 500 characters after trimming, valid UTF-8 */
	char longc[1200];
	memset(longc, 0, sizeof(longc));
	for (int i = 0; i < 501; i++)
		strcat(longc, "æ");
	in = ok;
	in.comment = longc;
	refused_on(c, &in, "comment");
	in = ok;
	in.comment = "god\xc3(";
	refused_on(c, &in, "comment");
	/* the municipality: a municipality that exists */
	in = ok;
	in.municipality_id = c->agency;
	refused_on(c, &in, "municipality_id");
	in = ok;
	in.municipality_id = 999999;
	refused_on(c, &in, "municipality_id");
	/* nothing was written by any of them */
	assert_int_equal(rows(c), before);
	assert_int_equal(events(c), ev);
}

static void a_comment_of_500_characters_is_trimmed_and_kept(void **state)
{
	struct ctx *c = *state;
	char text[1300] = "  \n";
	for (int i = 0; i < 500; i++)
		strcat(text, "ø");
	strcat(text, " \t ");
	struct hh_feedback_in in = { .found = 0, .page = "article",
				     .article_id = c->art_nokle,
				     .comment = text };
	struct hh_feedback out;
	assert_int_equal(hh_feedback_add(c->st, &c->a, &in, &out, NULL), HH_OK);
	assert_int_equal(hh_utf8_len(out.row.comment), 500);
	assert_int_equal((unsigned char)out.row.comment[0], 0xc3);
	/* a blank comment is none */
	in.comment = "   ";
	in.visit = VISIT2;
	assert_int_equal(hh_feedback_add(c->st, &c->a, &in, &out, NULL), HH_OK);
	assert_null(out.row.comment);
}

/* ---- reading the store back ------------------------------------------------ */

static enum hh_rc sum_stat(void *p, const struct hh_feedback_stat *s)
{
	*(int64_t *)p += s->yes + s->no;
	return HH_OK;
}

/* How many answers are stored, everywhere. */
static int64_t rows(struct ctx *c)
{
	int64_t n = 0;
	struct hh_tx *tx = tu_read_begin(c->st);
	assert_int_equal(c->st->feedback_stats(tx, &c->a, 0, -1, 1, 100000,
					       sum_stat, &n),
			 HH_OK);
	tu_read_end(tx);
	return n;
}

static int64_t events(struct ctx *c)
{
	return tu_event_count(c->st);
}

struct last_event {
	struct hh_event e;
	int n;
};

static enum hh_rc keep_event(void *p, const struct hh_event *e)
{
	struct last_event *l = p;
	l->e = *e;
	l->n++;
	return HH_OK;
}

/* The events of feedback row id. */
static struct last_event event_of(struct ctx *c, int64_t id)
{
	struct last_event l = { .n = 0 };
	struct hh_tx *tx = tu_read_begin(c->st);
	assert_int_equal(c->st->event_list(tx, &c->a, "feedback", id, keep_event,
					   &l),
			 HH_OK);
	tu_read_end(tx);
	return l;
}

/* ---- the event ----------------------------------------------------------------- */

static void the_event_has_exactly_the_shape_the_figures_fold(void **state)
{
	struct ctx *c = *state;
	/* an article page with a KLE, a municipality and a visit */
	struct hh_feedback_in in = { .found = 1, .page = "article",
				     .article_id = c->art,
				     .municipality_id = c->muni,
				     .visit = VISIT,
				     .comment = "Fint, men ring 12345678" };
	struct hh_feedback out;
	assert_int_equal(hh_feedback_add(c->st, &c->a, &in, &out, NULL), HH_OK);
	assert_int_equal(out.already_recorded, 0);
	assert_true(out.row.id > 0);
	assert_string_equal(out.row.comment, "Fint, men ring [fjernet]");
	struct last_event l = event_of(c, out.row.id);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.e.entity, "feedback");
	assert_string_equal(l.e.action, "create");
	assert_string_equal(l.e.actor, "anonymous");
	assert_int_equal(l.e.org_id, c->muni);
	assert_int_equal(l.e.entity_id, out.row.id);
	assert_null(l.e.before);
	char want[256];
	snprintf(want, sizeof(want),
		 "{\"article_id\":%lld,\"found\":true,\"kle\":\"29.09.02\","
		 "\"page\":\"article\",\"visit\":\"" VISIT "\"}",
		 (long long)c->art);
	assert_string_equal(l.e.after, want);
	/* no comment, no name, no citizen in the event */
	tu_expect_not_in(l.e.after, "comment");
	tu_expect_not_in(l.e.after, "citizen");

	/* an article without a KLE: no kle; no visit: no visit */
	struct hh_feedback_in in2 = { .found = 0, .page = "article",
				      .article_id = c->art_nokle };
	assert_int_equal(hh_feedback_add(c->st, &c->a, &in2, &out, NULL), HH_OK);
	l = event_of(c, out.row.id);
	snprintf(want, sizeof(want),
		 "{\"article_id\":%lld,\"found\":false,\"page\":\"article\"}",
		 (long long)c->art_nokle);
	assert_string_equal(l.e.after, want);
	assert_int_equal(l.e.org_id, 0);

	/* a search page: no article_id, no kle; the text is kept as the
	 * search log keeps it, masked */
	struct hh_feedback_in in3 = { .found = 0, .page = "search",
				      .query = " Jens Hansen 010203-1234 pas ",
				      .visit = VISIT };
	assert_int_equal(hh_feedback_add(c->st, &c->a, &in3, &out, NULL), HH_OK);
	assert_string_equal(out.row.query, "[navn] # pas");
	l = event_of(c, out.row.id);
	assert_string_equal(l.e.after,
			    "{\"found\":false,\"page\":\"search\",\"visit\":\"" VISIT
			    "\"}");
	/* a visit that is not a visit id is not kept */
	struct hh_feedback_in in4 = { .found = 1, .page = "search",
				      .query = "pas", .visit = "<script>" };
	assert_int_equal(hh_feedback_add(c->st, &c->a, &in4, &out, NULL), HH_OK);
	assert_null(out.row.visit);
	l = event_of(c, out.row.id);
	assert_string_equal(l.e.after, "{\"found\":true,\"page\":\"search\"}");
}

/* ---- one answer per visit, page and day ------------------------------------- */

static void a_visit_answers_a_page_once_a_day(void **state)
{
	struct ctx *c = *state;
	int64_t n = rows(c), ev = events(c);
	struct hh_feedback_in in = { .found = 0, .page = "article",
				     .article_id = c->art_nokle,
				     .visit = VISIT, .comment = "manglede noget" };
	struct hh_feedback first, again;
	assert_int_equal(hh_feedback_add(c->st, &c->a, &in, &first, NULL), HH_OK);
	assert_int_equal(first.already_recorded, 0);
	/* the same visit changes its mind: nothing is replaced */
	in.found = 1;
	in.comment = "nu fandt jeg det";
	assert_int_equal(hh_feedback_add(c->st, &c->a, &in, &again, NULL), HH_OK);
	assert_int_equal(again.already_recorded, 1);
	assert_int_equal(again.row.id, first.row.id);
	assert_int_equal(again.row.found, 0);
	assert_string_equal(again.row.comment, "manglede noget");
	assert_int_equal(rows(c), n + 1);
	assert_int_equal(events(c), ev + 1);
	/* another page, another visit, or no visit: new answers */
	in.article_id = c->art;
	assert_int_equal(hh_feedback_add(c->st, &c->a, &in, &again, NULL), HH_OK);
	assert_int_equal(again.already_recorded, 0);
	in.visit = VISIT2;
	assert_int_equal(hh_feedback_add(c->st, &c->a, &in, &again, NULL), HH_OK);
	assert_int_equal(again.already_recorded, 0);
	in.visit = NULL;
	assert_int_equal(hh_feedback_add(c->st, &c->a, &in, &again, NULL), HH_OK);
	assert_int_equal(hh_feedback_add(c->st, &c->a, &in, &again, NULL), HH_OK);
	assert_int_equal(again.already_recorded, 0);
	assert_int_equal(rows(c), n + 5);
	/* search pages: once per search text as logged */
	struct hh_feedback_in s = { .found = 1, .page = "search",
				    .query = "flytning", .visit = VISIT };
	assert_int_equal(hh_feedback_add(c->st, &c->a, &s, &again, NULL), HH_OK);
	assert_int_equal(again.already_recorded, 0);
	s.query = "  flytning ";
	assert_int_equal(hh_feedback_add(c->st, &c->a, &s, &again, NULL), HH_OK);
	assert_int_equal(again.already_recorded, 1);
	s.query = "flytte";
	assert_int_equal(hh_feedback_add(c->st, &c->a, &s, &again, NULL), HH_OK);
	assert_int_equal(again.already_recorded, 0);
	assert_int_equal(rows(c), n + 7);
	assert_int_equal(events(c), ev + 7);
}

/* ---- the transaction --------------------------------------------------------- */

static void a_failing_event_write_leaves_no_row(void **state)
{
	struct ctx *c = *state;
	struct hh_feedback_in in = { .found = 1, .page = "search",
				     .query = "fejl", .visit = VISIT2 };
	struct hh_feedback out;
	int64_t n = rows(c), ev = events(c);
	/* calls: begin (1), find (2), insert (3), event (4), commit (5) */
	hh_store_fault_inject(c->st, 4, HH_ERR_IO);
	assert_int_equal(hh_feedback_add(c->st, &c->a, &in, &out, NULL),
			 HH_ERR_IO);
	hh_store_fault_inject(c->st, 0, HH_OK);
	assert_int_equal(rows(c), n);
	assert_int_equal(events(c), ev);
	/* and at every other call: all or nothing, never a row without its
	 * event */
	for (int k = 1; k <= 6; k++) {
		char q[32];
		snprintf(q, sizeof(q), "fejl %d", k);
		in.query = q;
		hh_store_fault_inject(c->st, k, HH_ERR_IO);
		enum hh_rc rc = hh_feedback_add(c->st, &c->a, &in, &out, NULL);
		hh_store_fault_inject(c->st, 0, HH_OK);
		int64_t now = rows(c), now_ev = events(c);
		assert_int_equal(now - n, now_ev - ev);
		if (rc == HH_OK) {
			n++;
			ev++;
		}
		assert_int_equal(now, n);
	}
	/* the answer goes through once the store is well */
	in.query = "fejl";
	assert_int_equal(hh_feedback_add(c->st, &c->a, &in, &out, NULL), HH_OK);
	assert_int_equal(out.already_recorded, 0);
	assert_int_equal(rows(c), n + 1);
}

/* ---- the editors' report ------------------------------------------------------ */

struct seen {
	int n;
	struct hh_feedback_report_row rows[16];
};

static enum hh_rc keep_row(void *p, const struct hh_feedback_report_row *r)
{
	struct seen *s = p;
	if (s->n < 16)
		s->rows[s->n++] = *r;
	return HH_OK;
}

static const struct hh_feedback_report_row *row_of(struct seen *s, int64_t id)
{
	for (int i = 0; i < s->n; i++)
		if (s->rows[i].stat.article_id == id)
			return &s->rows[i];
	return NULL;
}

static void the_report_is_the_search_reports_readers_and_scope(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	struct hh_store *st = tu_store(dir, 2);
	tu_seed(st);
	int64_t m1 = org_id(st, "901"), m2 = org_id(st, "902");
	int64_t art = article(st, "a", "", HH_STATUS_PUBLISHED, HH_AUDIENCE_CITIZEN);
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_feedback out;
	struct hh_feedback_in in = { .found = 1, .page = "article",
				     .article_id = art, .municipality_id = m1 };
	assert_int_equal(hh_feedback_add(st, &a, &in, &out, NULL), HH_OK);
	in.found = 0;
	in.comment = "for kort";
	assert_int_equal(hh_feedback_add(st, &a, &in, &out, NULL), HH_OK);
	in.comment = "mangler et eksempel";
	assert_int_equal(hh_feedback_add(st, &a, &in, &out, NULL), HH_OK);
	/* without a municipality: the shared knowledge base's */
	in.municipality_id = 0;
	in.comment = NULL;
	in.found = 1;
	assert_int_equal(hh_feedback_add(st, &a, &in, &out, NULL), HH_OK);
	/* another municipality's answers */
	in.municipality_id = m2;
	in.comment = "fra 902";
	assert_int_equal(hh_feedback_add(st, &a, &in, &out, NULL), HH_OK);
	struct hh_feedback_in s = { .found = 0, .page = "search",
				    .query = "parkering", .municipality_id = m1 };
	assert_int_equal(hh_feedback_add(st, &a, &s, &out, NULL), HH_OK);

	struct hh_actor editor = { .label = "user:1", .org_id = m1,
				   .org_is_municipality = 1,
				   .roles = HH_ROLE_EDITOR };
	struct seen seen = { 0 };
	assert_int_equal(hh_feedback_report(st, &editor, &a, 30, 100, 3, keep_row,
					    &seen),
			 HH_OK);
	assert_int_equal(seen.n, 2);
	const struct hh_feedback_report_row *r = row_of(&seen, art);
	assert_non_null(r);
	assert_int_equal(r->stat.yes, 2);
	assert_int_equal(r->stat.no, 2);
	assert_string_equal(r->stat.slug, "a");
	assert_int_equal(r->n_comments, 2);
	assert_string_equal(r->comments[0].comment, "mangler et eksempel");
	assert_string_equal(r->comments[1].comment, "for kort");
	r = row_of(&seen, 0);
	assert_non_null(r);
	assert_int_equal(r->stat.yes, 0);
	assert_int_equal(r->stat.no, 1);
	/* 902's editor sees 902's answer only (and the unscoped one) */
	struct hh_actor editor2 = editor;
	editor2.org_id = m2;
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(hh_feedback_report(st, &editor2, &a, 30, 100, 3,
					    keep_row, &seen),
			 HH_OK);
	assert_int_equal(seen.n, 1);
	assert_int_equal(seen.rows[0].stat.yes, 2);
	assert_int_equal(seen.rows[0].stat.no, 0);
	assert_int_equal(seen.rows[0].n_comments, 1);
	assert_string_equal(seen.rows[0].comments[0].comment, "fra 902");
	/* at most `comments` comments per article */
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(hh_feedback_report(st, &editor, &a, 30, 100, 1, keep_row,
					    &seen),
			 HH_OK);
	assert_int_equal(row_of(&seen, art)->n_comments, 1);
	/* anonymous, a citizen and an agent may not read it */
	struct hh_actor anon = { 0 };
	struct hh_actor agent = editor;
	agent.roles = HH_ROLE_AGENT;
	struct hh_actor citizen = { .label = "citizen:1", .citizen_id = 1,
				    .roles = HH_ROLE_CITIZEN };
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(hh_feedback_report(st, &anon, &a, 30, 100, 3, keep_row,
					    &seen),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(hh_feedback_report(st, &agent, &a, 30, 100, 3, keep_row,
					    &seen),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(hh_feedback_report(st, &citizen, &a, 30, 100, 3,
					    keep_row, &seen),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(seen.n, 0);
	hh_arena_clear(&a);
	hh_store_close(st);
	tu_rmdir(dir);
}

int main(void)
{
	hh_log_set_level(HH_LOG_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cpr_numbers_are_removed),
		cmocka_unit_test(email_addresses_are_removed),
		cmocka_unit_test(phone_numbers_are_removed),
		cmocka_unit_test(other_numbers_are_kept),
		cmocka_unit_test_setup_teardown(each_rule_names_its_field, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			a_comment_of_500_characters_is_trimmed_and_kept, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			the_event_has_exactly_the_shape_the_figures_fold, setup,
			teardown),
		cmocka_unit_test_setup_teardown(a_visit_answers_a_page_once_a_day,
						setup, teardown),
		cmocka_unit_test_setup_teardown(a_failing_event_write_leaves_no_row,
						setup, teardown),
		cmocka_unit_test(the_report_is_the_search_reports_readers_and_scope),
	};
	return cmocka_run_group_tests_name("domain/feedback", tests, NULL, NULL);
}
