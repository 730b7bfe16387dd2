/* letters_fixture.h - what the letter tests share: a small content folder
 * (two municipalities with contact details, caseworkers, a citizen, a case
 * type "hjaelp" whose decisions need letters, and "hjaelp4" with four
 * eyes, both with their letter templates), written here rather than taken
 * from the demo content so the tests say what they rely on. Included by
 * tests/domain/test_letters.c and tests/api/test_letters.c. */
#ifndef HH_TEST_LETTERS_FIXTURE_H
#define HH_TEST_LETTERS_FIXTURE_H

#include "testutil.h"

#include "domain/cases.h"
#include "domain/content.h"

static const char *const lf_orgs =
	"[{\"code\":\"901\",\"name\":\"Nordskov Kommune\",\"kind\":\"municipality\","
	"  \"contact\":{\"phone\":\"72 10 00 00\",\"email\":\"post@nordskov.demo\","
	"  \"address\":\"Rådhustorvet 1\",\"postcode\":\"4100\",\"city\":\"Nordskov\"}},"
	" {\"code\":\"902\",\"name\":\"Åstrup Kommune\",\"kind\":\"municipality\"}]";

static const char *const lf_citizens =
	"[{\"id\":\"anna\",\"name\":\"Anna Ærø Østergård\",\"cpr\":\"070761-4285\","
	"  \"municipality\":\"901\"},"
	" {\"id\":\"bo\",\"name\":\"Bo Berg\",\"cpr\":\"010190-1234\","
	"  \"municipality\":\"902\"}]";

/* two caseworkers of 901 (four eyes), one of 902, an agent of 901 */
static const char *const lf_users =
	"[{\"email\":\"cw1@901\",\"name\":\"Jonas Krogh\",\"organisation\":\"901\","
	"  \"roles\":[\"caseworker\"],\"password\":\"password-1\"},"
	" {\"email\":\"cw2@901\",\"name\":\"Camilla Bæk\",\"organisation\":\"901\","
	"  \"roles\":[\"caseworker\"],\"password\":\"password-1\"},"
	" {\"email\":\"cw@902\",\"name\":\"Ole Åby\",\"organisation\":\"902\","
	"  \"roles\":[\"caseworker\"],\"password\":\"password-1\"},"
	" {\"email\":\"mgr@901\",\"name\":\"Peter Dahl\",\"organisation\":\"901\","
	"  \"roles\":[\"manager\"],\"password\":\"password-1\"}]";

#define LF_CASE_TYPE(name, four_eyes)                                          \
	"{\"name\":\"" name "\",\"organisation\":\"municipality\","            \
	" \"kle\":\"24.00.00\",\"deadline\":\"P30D\",\"public\":true,"         \
	" \"initial\":\"in_progress\",\"four_eyes\":" four_eyes ","            \
	" \"states\":[{\"key\":\"in_progress\",\"label\":\"Under behandling\"}," \
	"  {\"key\":\"awaiting_citizen\",\"label\":\"Afventer dig\",\"paused\":true}," \
	"  {\"key\":\"granted\",\"label\":\"Bevilget\",\"final\":true},"         \
	"  {\"key\":\"rejected\",\"label\":\"Afslået\",\"final\":true},"         \
	"  {\"key\":\"closed\",\"label\":\"Lukket\",\"final\":true}],"           \
	" \"transitions\":["                                                   \
	"  {\"from\":\"in_progress\",\"to\":\"awaiting_citizen\"},"              \
	"  {\"from\":\"awaiting_citizen\",\"to\":\"in_progress\"},"              \
	"  {\"from\":\"in_progress\",\"to\":\"granted\",\"label\":\"Bevil\"},"     \
	"  {\"from\":\"in_progress\",\"to\":\"rejected\",\"label\":\"Afslå\"},"    \
	"  {\"from\":\"in_progress\",\"to\":\"closed\"}],"                       \
	" \"letters\":{\"granted\":\"granted\",\"rejected\":\"refused\","         \
	"  \"awaiting_citizen\":\"request\"},"                                  \
	" \"form\":{\"title\":\"Hjælp\",\"fields\":["                           \
	"  {\"name\":\"beloeb\",\"label\":\"Beløb\",\"type\":\"amount\",\"required\":true}," \
	"  {\"name\":\"formaal\",\"label\":\"Formål\",\"type\":\"text\"}]}}"

/* Line numbers matter: the import test names them. */
static const char *const lf_templates =
	"{\n"
	"  \"granted\": {\n"
	"    \"title\": \"Afgørelse om hjælp: bevilget\",\n"
	"    \"legal_basis\": \"Lov om aktiv socialpolitik § 81\",\n"
	"    \"body\": [\"Kære {{citizen.name}}\",\n"
	"      \"Du får {{form.beloeb}} til {{form.formaal}}.\",\n"
	"      \"{{free.text}}\",\n"
	"      \"## Regler\", \"Afgørelsen er truffet efter {{legal_basis}}.\"]\n"
	"  },\n"
	"  \"refused\": {\n"
	"    \"title\": \"Afgørelse om hjælp: afslag\",\n"
	"    \"legal_basis\": \"Lov om aktiv socialpolitik § 81\",\n"
	"    \"appeal\": {\"body\": \"Ankestyrelsen\", \"weeks\": 4},\n"
	"    \"body\": [\"Kære {{citizen.name}}\",\n"
	"      \"Vi har behandlet din ansøgning af {{case.submitted}} om {{form.beloeb}} "
	"(sag {{case.journal_no}}), og vi kan desværre ikke give dig hjælpen.\",\n"
	"      \"## Begrundelse\", \"{{free.justification}}\",\n"
	"      \"## Regler\", \"Afgørelsen er truffet efter {{legal_basis}}.\",\n"
	"      \"## Klagevejledning\",\n"
	"      \"Du kan klage til {{appeal.body}} inden {{appeal.deadline}}. Send "
	"klagen til {{org.name}}, tlf. {{org.phone}}.\"]\n"
	"  },\n"
	"  \"request\": {\n"
	"    \"title\": \"Vi mangler oplysninger\",\n"
	"    \"reply_allowed\": true, \"reply_within\": \"P14D\",\n"
	"    \"body\": [\"Kære {{citizen.name}}\", \"{{free.text}}\",\n"
	"      \"Svar os senest {{reply_by}}.\"]\n"
	"  },\n"
	"  \"hearing\": {\n"
	"    \"title\": \"Partshøring\",\n"
	"    \"reply_allowed\": true, \"reply_within\": \"P14D\",\n"
	"    \"body\": [\"Kære {{citizen.name}}\", \"{{free.text}}\"]\n"
	"  }\n"
	"}\n";

static inline void lf_put(const char *dir, const char *rel, const char *text)
{
	char p[9000];
	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	tu_write(p, text);
}

/* Writes the content folder into dir (created). */
static inline void lf_write_content(const char *dir)
{
	char cmd[9000];
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/case-types' '%s/letter-templates'",
		 dir, dir);
	assert_int_equal(system(cmd), 0);
	lf_put(dir, "organisations.json", lf_orgs);
	lf_put(dir, "citizens.json", lf_citizens);
	lf_put(dir, "users.json", lf_users);
	lf_put(dir, "case-types/hjaelp.json", LF_CASE_TYPE("Hjælp", "false"));
	lf_put(dir, "case-types/hjaelp4.json", LF_CASE_TYPE("Hjælp med fire øjne", "true"));
	lf_put(dir, "letter-templates/hjaelp.json", lf_templates);
	lf_put(dir, "letter-templates/hjaelp4.json", lf_templates);
}


/* ---- over HTTP (tests/api/test_letters.c, tests/pages/test_letter_pages.c):
 * a server with the content above, Anna and municipality 901, and the
 * two caseworkers of 901 and the one of 902 signed in ---- */
struct lf_http {
	struct tu_server s;
	struct hh_arena a;
	int64_t anna, m901;
	char c1[256], t1[96]; /* cw1@901: Jonas Krogh */
	char c2[256], t2[96]; /* cw2@901: Camilla Bæk */
	char c9[256], t9[96]; /* cw@902 */
};

static inline int lf_http_setup(void **state)
{
	struct lf_http *f = hh_xcalloc(1, sizeof(*f));
	tu_server_start(&f->s, 0);
	hh_arena_init(&f->a);
	char *content = hh_arena_printf(&f->a, "%s/content", f->s.dir);
	lf_write_content(content);
	struct hh_import_stats stats;
	assert_int_equal(hh_content_import(f->s.store, content, 1, stderr, NULL, NULL,
					   &stats),
			 HH_OK);
	struct hh_tx *tx = tu_read_begin(f->s.store);
	struct hh_citizen c;
	struct hh_org o;
	assert_int_equal(f->s.store->citizen_get_by_subject(tx, &f->a, "demo:anna", &c),
			 HH_OK);
	assert_int_equal(f->s.store->org_get_by_code(tx, &f->a, "901", &o), HH_OK);
	tu_read_end(tx);
	f->anna = c.id;
	f->m901 = o.id;
	tu_login(&f->s, "cw1@901", f->c1, sizeof(f->c1), f->t1, sizeof(f->t1));
	tu_login(&f->s, "cw2@901", f->c2, sizeof(f->c2), f->t2, sizeof(f->t2));
	tu_login(&f->s, "cw@902", f->c9, sizeof(f->c9), f->t9, sizeof(f->t9));
	*state = f;
	return 0;
}

static inline int lf_http_teardown(void **state)
{
	struct lf_http *f = *state;
	tu_server_stop(&f->s);
	hh_arena_clear(&f->a);
	free(f);
	return 0;
}

/* A case of type ct for Anna at 901 with the form values in JSON. */
static inline int64_t lf_http_submit(struct lf_http *f, const char *ct,
				     const char *values)
{
	json_error_t e;
	json_t *v = json_loads(values, 0, &e);
	struct hh_submission sub = { .case_type = ct, .citizen_id = f->anna,
				     .municipality_id = f->m901, .values = v,
				     .actor = "citizen:1", .loa = HH_LOA_SUBSTANTIAL };
	struct hh_form_result res;
	struct hh_case k;
	int replayed;
	const char *why;
	assert_int_equal(hh_case_submit(f->s.store, &f->a, &sub, &res, &k, &replayed,
					&why, NULL),
			 HH_OK);
	json_decref(res.values);
	json_decref(v);
	return k.id;
}

#endif
