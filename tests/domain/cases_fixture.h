/* cases_fixture.h - what the case tests share: a small content folder
 * written here (not the demo content): four organisations, case types
 * that use every field type and rule, a life event with questions, steps
 * and follow-ups, and three citizens; a fresh store with it for each
 * test, and helpers that read what the store holds through its
 * interface. Included by test_cases.c and test_case_flows.c. */
#ifndef HH_TEST_CASES_FIXTURE_H
#define HH_TEST_CASES_FIXTURE_H

#include "testutil.h"

#include <pthread.h>

#include "domain/cases.h"
#include "domain/casetype.h"
#include "domain/plans.h"
#include "domain/caseread.h"
#include "domain/catalogue.h"
#include "domain/overview.h"
#include "domain/queue.h"

/* A signed-in citizen as an actor (answers take one), signed in with
 * MitID at level substantial (forms asking for CPR numbers need it). */
#define CITIZEN(id)                                                          \
	(&(struct hh_actor){ .label = "citizen", .roles = HH_ROLE_CITIZEN,  \
			     .citizen_id = (id), .loa = HH_LOA_SUBSTANTIAL })

/* ---- the content folder ------------------------------------------------- */

static const char *const orgs_json =
	"[{\"code\":\"901\",\"name\":\"Nordskov Kommune\",\"kind\":\"municipality\"},"
	" {\"code\":\"902\",\"name\":\"Åstrup Kommune\",\"kind\":\"municipality\"},"
	" {\"code\":\"fam\",\"name\":\"Familieretshuset\",\"kind\":\"agency\"},"
	" {\"code\":\"udk\",\"name\":\"Udbetaling Danmark\",\"kind\":\"agency\"}]";

/* anna lives in 901, bo in 902, carl's municipality is not known */
static const char *const citizens_json =
	"[{\"id\":\"anna\",\"name\":\"Anna Andersen\",\"cpr\":\"070761-4285\","
	"  \"municipality\":\"901\"},"
	" {\"id\":\"bo\",\"name\":\"Bo Berg\",\"cpr\":\"010190-1234\","
	"  \"municipality\":\"902\"},"
	" {\"id\":\"carl\",\"name\":\"Carl Carlsen\",\"cpr\":\"020202-2222\"}]";

/* Every field type, with the rules: required, lengths, bounds, options,
 * a conditional field and files. */
#define ALL_FIELDS                                                            \
	"[{\"name\":\"navn\",\"label\":\"Navn\",\"type\":\"text\","           \
	"  \"required\":true,\"min_length\":2,\"max_length\":60},"            \
	" {\"name\":\"begrundelse\",\"label\":\"Begrundelse\","               \
	"  \"type\":\"textarea\",\"max_length\":2000},"                       \
	" {\"name\":\"antal\",\"label\":\"Antal\",\"type\":\"number\","       \
	"  \"min\":0,\"max\":20},"                                            \
	" {\"name\":\"dato\",\"label\":\"Dato\",\"type\":\"date\","           \
	"  \"min\":\"2000-01-01\"},"                                          \
	" {\"name\":\"bolig\",\"label\":\"Bolig\",\"type\":\"choice\","       \
	"  \"options\":[{\"value\":\"ejer\",\"label\":\"Ejer\"},"             \
	"             {\"value\":\"lejer\",\"label\":\"Lejer\"}]},"           \
	" {\"name\":\"gift\",\"label\":\"Gift?\",\"type\":\"yesno\","         \
	"  \"required\":true},"                                               \
	" {\"name\":\"partner_cpr\",\"label\":\"Ægtefællens CPR-nummer\","    \
	"  \"type\":\"cpr\",\"required\":true,"                               \
	"  \"when\":{\"field\":\"gift\",\"equals\":\"ja\"}},"                 \
	" {\"name\":\"boern\",\"label\":\"Børn?\",\"type\":\"yesno\"},"   \
	" {\"name\":\"adresse\",\"label\":\"Adresse\",\"type\":\"address\"}," \
	" {\"name\":\"email\",\"label\":\"E-mail\",\"type\":\"email\"},"      \
	" {\"name\":\"telefon\",\"label\":\"Telefon\",\"type\":\"phone\"},"   \
	" {\"name\":\"bilag\",\"label\":\"Bilag\",\"type\":\"file\","         \
	"  \"max_bytes\":1024,\"accept\":[\"application/pdf\"]}]"

static const char *const ct_skilsmisse =
	"{\"name\":\"Ansøgning om skilsmisse\",\"organisation\":\"fam\","
	" \"kle\":\"16.10.00\",\"deadline\":\"P30D\",\"public\":true,"
	" \"description\":\"Til prøve.\",\"initial\":\"received\","
	" \"states\":[{\"key\":\"received\",\"label\":\"Modtaget\"},"
	"  {\"key\":\"in_progress\",\"label\":\"Under behandling\"},"
	"  {\"key\":\"awaiting_citizen\",\"label\":\"Afventer dig\",\"paused\":true},"
	"  {\"key\":\"reflection\",\"label\":\"Refleksionsperiode\",\"paused\":true},"
	"  {\"key\":\"granted\",\"label\":\"Bevilget\",\"final\":true},"
	"  {\"key\":\"rejected\",\"label\":\"Afslået\",\"final\":true}],"
	" \"transitions\":["
	"  {\"from\":\"received\",\"to\":\"in_progress\",\"role\":\"caseworker\","
	"   \"label\":\"Start behandling\"},"
	"  {\"from\":\"received\",\"to\":\"reflection\",\"role\":\"caseworker\"},"
	"  {\"from\":\"reflection\",\"to\":\"in_progress\",\"role\":\"caseworker\"},"
	"  {\"from\":\"in_progress\",\"to\":\"awaiting_citizen\",\"role\":\"caseworker\"},"
	"  {\"from\":\"awaiting_citizen\",\"to\":\"in_progress\",\"role\":\"caseworker\"},"
	"  {\"from\":\"in_progress\",\"to\":\"granted\",\"role\":\"caseworker\","
	"   \"label\":\"Bevil\"},"
	"  {\"from\":\"in_progress\",\"to\":\"rejected\","
	"   \"roles\":[\"caseworker\",\"manager\"],\"label\":\"Afslå\"},"
	"  {\"from\":\"in_progress\",\"to\":\"received\",\"role\":\"manager\","
	"   \"label\":\"Send tilbage\"}],"
	" \"form\":{\"title\":\"Skilsmisse\",\"intro\":\"Udfyld.\","
	"  \"fields\":" ALL_FIELDS "},"
	" \"followups\":["
	"  {\"state\":\"granted\",\"case_type\":\"revurdering\","
	"   \"organisation\":\"udk\",\"when\":{\"field\":\"boern\",\"equals\":\"ja\"},"
	"   \"title\":\"Revurdering\"},"
	"  {\"state\":\"granted\",\"case_type\":\"opfoelgning\","
	"   \"organisation\":\"municipality\","
	"   \"when\":{\"field\":\"bolig\",\"equals\":[\"ejer\",\"lejer\"]},"
	"   \"title\":\"Opfølgning\"}]}";

static const char *const ct_boernetilskud =
	"{\"name\":\"Børnetilskud\",\"organisation\":\"municipality\","
	" \"deadline\":\"P2W\",\"public\":true,\"initial\":\"received\","
	" \"states\":[{\"key\":\"received\",\"label\":\"Modtaget\"},"
	"  {\"key\":\"granted\",\"label\":\"Bevilget\",\"final\":true}],"
	" \"transitions\":[{\"from\":\"received\",\"to\":\"granted\"}],"
	" \"form\":{\"title\":\"Børnetilskud\",\"fields\":"
	"  [{\"name\":\"antal\",\"label\":\"Antal børn\",\"type\":\"number\","
	"    \"required\":true,\"min\":1,\"max\":20}]}}";

static const char *const ct_revurdering =
	"{\"name\":\"Revurdering af børnetilskud\",\"organisation\":\"udk\","
	" \"deadline\":\"P3M\",\"public\":false,\"initial\":\"received\","
	" \"states\":[{\"key\":\"received\",\"label\":\"Modtaget\"},"
	"  {\"key\":\"done\",\"label\":\"Afgjort\",\"final\":true}],"
	" \"transitions\":[{\"from\":\"received\",\"to\":\"done\"}]}";

static const char *const ct_opfoelgning =
	"{\"name\":\"Opfølgning på bolig\",\"organisation\":\"municipality\","
	" \"deadline\":\"PT48H\",\"public\":false,\"initial\":\"open\","
	" \"states\":[{\"key\":\"open\",\"label\":\"Åben\"},"
	"  {\"key\":\"closed\",\"label\":\"Lukket\",\"final\":true}],"
	" \"transitions\":[{\"from\":\"open\",\"to\":\"closed\"}]}";

/* no paused state: nothing can be asked of the citizen */
static const char *const ct_uden_pause =
	"{\"name\":\"Enkel sag\",\"organisation\":\"fam\",\"deadline\":\"P1DT12H\","
	" \"public\":false,\"initial\":\"received\","
	" \"states\":[{\"key\":\"received\",\"label\":\"Modtaget\"},"
	"  {\"key\":\"done\",\"label\":\"Færdig\",\"final\":true}],"
	" \"transitions\":[{\"from\":\"received\",\"to\":\"done\"}]}";

static const char *const le_skilsmisse =
	"{\"title\":\"I går fra hinanden\",\"summary\":\"Skilsmisse.\","
	" \"position\":1,\"articles\":[],"
	" \"questions\":[{\"key\":\"gift\",\"text\":\"Er I gift?\",\"type\":\"yesno\"},"
	"  {\"key\":\"boern\",\"text\":\"Har I børn?\",\"type\":\"yesno\"},"
	"  {\"key\":\"bolig\",\"text\":\"Bolig?\",\"type\":\"choice\","
	"   \"options\":[{\"value\":\"ejer\",\"label\":\"Ejer\"},"
	"                {\"value\":\"lejer\",\"label\":\"Lejer\"},"
	"                {\"value\":\"andet\",\"label\":\"Andet\"}]}],"
	" \"steps\":[{\"key\":\"ansoeg\",\"title\":\"Søg om skilsmisse\",\"text\":\"T\","
	"   \"organisation\":\"fam\",\"case_type\":\"skilsmisse\",\"when\":{\"gift\":\"ja\"}},"
	"  {\"key\":\"tilskud\",\"title\":\"Børnetilskud\",\"text\":\"T\","
	"   \"organisation\":\"municipality\",\"case_type\":\"boernetilskud\","
	"   \"when\":{\"boern\":\"ja\"}},"
	"  {\"key\":\"laes\",\"title\":\"Læs om bolig\",\"text\":\"T\"}],"
	" \"followups\":["
	"  {\"after\":\"skilsmisse\",\"state\":\"granted\",\"case_type\":\"revurdering\","
	"   \"organisation\":\"udk\",\"when\":{\"boern\":\"ja\"},\"title\":\"Revurdering\"},"
	"  {\"after\":\"skilsmisse\",\"state\":\"granted\",\"case_type\":\"opfoelgning\","
	"   \"organisation\":\"municipality\",\"when\":{\"bolig\":[\"ejer\",\"lejer\"]},"
	"   \"title\":\"Opfølgning\"}]}";

static inline void put(const char *dir, const char *rel, const char *text)
{
	char p[9000];
	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	tu_write(p, text);
}

/* timed waits (issue 16): a reflection period of three calendar months
 * from when the case entered it, a lapse that may happen only in the
 * three months after that, and a withdrawal only in the first 14 days
 * after the case came in */
static const char *const ct_venteperiode =
	"{\"name\":\"Sag med venteperiode\",\"organisation\":\"fam\","
	" \"deadline\":\"P1M\",\"public\":true,\"initial\":\"received\","
	" \"states\":[{\"key\":\"received\",\"label\":\"Modtaget\"},"
	"  {\"key\":\"awaiting_citizen\",\"label\":\"Afventer dig\",\"paused\":true},"
	"  {\"key\":\"reflection\",\"label\":\"Refleksionsperiode\",\"paused\":true},"
	"  {\"key\":\"in_progress\",\"label\":\"Under behandling\"},"
	"  {\"key\":\"lapsed\",\"label\":\"Bortfaldet\",\"final\":true},"
	"  {\"key\":\"withdrawn\",\"label\":\"Trukket tilbage\",\"final\":true}],"
	" \"transitions\":["
	"  {\"from\":\"received\",\"to\":\"reflection\"},"
	"  {\"from\":\"received\",\"to\":\"withdrawn\",\"before\":\"P14D\","
	"   \"since\":\"received\"},"
	"  {\"from\":\"reflection\",\"to\":\"in_progress\",\"after\":\"P3M\","
	"   \"wait_label\":\"Refleksionsperioden slutter\"},"
	"  {\"from\":\"reflection\",\"to\":\"lapsed\",\"after\":\"P3M\","
	"   \"before\":\"P6M\"}]}";

static inline void write_content(const char *dir)
{
	char cmd[9000];
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/case-types' '%s/life-events'", dir,
		 dir);
	assert_int_equal(system(cmd), 0);
	put(dir, "organisations.json", orgs_json);
	put(dir, "citizens.json", citizens_json);
	put(dir, "case-types/skilsmisse.json", ct_skilsmisse);
	put(dir, "case-types/boernetilskud.json", ct_boernetilskud);
	put(dir, "case-types/revurdering.json", ct_revurdering);
	put(dir, "case-types/opfoelgning.json", ct_opfoelgning);
	put(dir, "case-types/uden-pause.json", ct_uden_pause);
	put(dir, "case-types/venteperiode.json", ct_venteperiode);
	put(dir, "life-events/skilsmisse.json", le_skilsmisse);
}

/* ---- fixture ------------------------------------------------------------ */

struct fx {
	char *dir;
	struct hh_store *st;
	struct hh_arena a;
	int64_t m901, m902, fam, udk;
	int64_t anna, bo, carl;
	struct hh_actor cw_fam, mgr_fam, ed_fam, cw_udk, cw_901;
	struct hh_form_result res;
};

/* ---- what the store holds, read through its interface ------------------ */

static inline struct hh_case_filter any_case(void)
{
	struct hh_case_filter cf = { 0 };
	return cf;
}

/* Every case (newest first); returns n. */
static inline size_t all_cases(struct fx *f, struct hh_case **out)
{
	return tu_cases(f->st, &f->a, any_case(), out);
}

static inline int64_t n_cases(struct fx *f)
{
	struct hh_case *v;
	return (int64_t)all_cases(f, &v);
}

/* Cases whose parent is parent (-1: any parent, i.e. follow-ups). */
static inline int64_t n_children(struct fx *f, int64_t parent)
{
	struct hh_case *v;
	size_t n = all_cases(f, &v);
	int64_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += parent < 0 ? v[i].parent_case_id != 0
				: v[i].parent_case_id == parent;
	return k;
}

/* The one follow-up case of parent. */
static inline struct hh_case only_child(struct fx *f, int64_t parent)
{
	struct hh_case *v, found = { 0 };
	size_t n = all_cases(f, &v), k = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i].parent_case_id == parent) {
			found = v[i];
			k++;
		}
	assert_int_equal(k, 1);
	return found;
}

#define n_case_events(f, ...) tu_case_events((f)->st, &(f)->a, __VA_ARGS__)

static inline size_t case_files(struct fx *f, int64_t id, struct hh_case_file **out)
{
	return tu_case_files(f->st, &f->a, id, out);
}

static inline int has_key(struct fx *f, const char *scope, const char *key)
{
	return tu_has_key(f->st, scope, key);
}

static inline size_t audits(struct fx *f, struct hh_audit **out)
{
	return tu_audits(f->st, &f->a, out);
}

static inline int64_t n_audits(struct fx *f)
{
	struct hh_audit *v;
	return (int64_t)audits(f, &v);
}

static inline struct hh_tx *x_begin(struct hh_store *st, int write)
{
	struct hh_tx *tx;
	assert_int_equal(st->tx_begin(st->cls, write, &tx), HH_OK);
	return tx;
}

static inline int64_t org_id(struct fx *f, const char *code)
{
	struct hh_tx *tx = x_begin(f->st, 0);
	struct hh_org o;
	assert_int_equal(f->st->org_get_by_code(tx, &f->a, code, &o), HH_OK);
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
	return o.id;
}

static inline int64_t citizen_id(struct fx *f, const char *subject)
{
	struct hh_tx *tx = x_begin(f->st, 0);
	struct hh_citizen c;
	assert_int_equal(f->st->citizen_get_by_subject(tx, &f->a, subject, &c), HH_OK);
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
	return c.id;
}

static inline struct hh_case get(struct fx *f, int64_t id)
{
	struct hh_tx *tx = x_begin(f->st, 0);
	struct hh_case c;
	assert_int_equal(f->st->case_get(tx, &f->a, id, &c), HH_OK);
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
	return c;
}

/* Writes c as it is (the test's way of moving the clock: a paused_since
 * or deadline_at in the past). */
static inline void put_case(struct fx *f, struct hh_case *c)
{
	struct hh_tx *tx = x_begin(f->st, 1);
	assert_int_equal(f->st->case_update(tx, c, c->version), HH_OK);
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
}

/* f's store in a new folder (4 connections), its arena, and the
 * fixture's content written into content (the folder's "content"), for
 * the caller to add to and import. */
static inline void fx_open(struct fx *f, char content[4300])
{
	f->dir = tu_tmpdir();
	f->st = tu_store(f->dir, 4);
	hh_arena_init(&f->a);
	snprintf(content, 4300, "%s/content", f->dir);
	write_content(content);
}

/* CPR numbers at rest as `helhed serve` keeps them: the vault with the
 * key file beside f's database. */
static inline void fx_vault(struct fx *f)
{
	char db[4200], err[1024];
	snprintf(db, sizeof(db), "%s/helhed.db", f->dir);
	if (hh_vault_start(f->st, NULL, db, err, sizeof(err)) != HH_OK)
		fail_msg("%s", err);
}

static inline int setup(void **state)
{
	struct fx *f = hh_xcalloc(1, sizeof(*f));
	char content[4300];
	fx_open(f, content);
	struct hh_import_stats stats;
	assert_int_equal(hh_content_import(f->st, content, 1, stderr, NULL, NULL,
					   &stats),
			 HH_OK);
	assert_int_equal(stats.case_types, 6);
	assert_int_equal(stats.life_events, 1);
	assert_int_equal(stats.citizens, 3);
	f->m901 = org_id(f, "901");
	f->m902 = org_id(f, "902");
	f->fam = org_id(f, "fam");
	f->udk = org_id(f, "udk");
	f->anna = citizen_id(f, "demo:anna");
	f->bo = citizen_id(f, "demo:bo");
	f->carl = citizen_id(f, "demo:carl");
	struct hh_actor cw_fam = { .label = "user:1", .org_id = f->fam,
	.org_is_municipality = 0, .roles = HH_ROLE_CASEWORKER, .system = 0 };
	struct hh_actor mgr_fam = { .label = "user:2", .org_id = f->fam,
	.org_is_municipality = 0, .roles = HH_ROLE_MANAGER, .system = 0 };
	struct hh_actor ed_fam = { .label = "user:3", .org_id = f->fam,
	.org_is_municipality = 0, .roles = HH_ROLE_EDITOR, .system = 0 };
	struct hh_actor cw_udk = { .label = "user:4", .org_id = f->udk,
	.org_is_municipality = 0, .roles = HH_ROLE_CASEWORKER, .system = 0 };
	struct hh_actor cw_901 = { .label = "user:5", .org_id = f->m901,
	.org_is_municipality = 1, .roles = HH_ROLE_CASEWORKER, .system = 0 };
	f->cw_fam = cw_fam;
	f->mgr_fam = mgr_fam;
	f->ed_fam = ed_fam;
	f->cw_udk = cw_udk;
	f->cw_901 = cw_901;
	*state = f;
	return 0;
}

static inline int teardown(void **state)
{
	struct fx *f = *state;
	hh_store_close(f->st);
	hh_arena_clear(&f->a);
	tu_rmdir(f->dir);
	free(f);
	return 0;
}

/* A submission as citizen (with that citizen's municipality). values is
 * JSON text. Returns the rc; *why and f->res as hh_case_submit left them
 * (f->res.values is released here). */
static inline enum hh_rc submit_full(struct fx *f, const char *ct, int64_t citizen,
			      int64_t plan, const char *step, const char *values,
			      const char *scope, const char *key,
			      struct hh_case *out, int *replayed, const char **why)
{
	json_error_t e;
	json_t *v = json_loads(values, 0, &e);
	if (!v)
		fail_msg("values %s: %s", values, e.text);
	int64_t muni = citizen == f->anna ? f->m901 : citizen == f->bo ? f->m902 : 0;
	struct hh_submission sub = {
		.case_type = ct,
		.citizen_id = citizen,
		.municipality_id = muni,
		.plan_id = plan,
		.step = step,
		.values = v,
		.idem_scope = scope,
		.idem_key = key,
		.actor = hh_arena_printf(&f->a, "citizen:%lld", (long long)citizen),
		.loa = HH_LOA_SUBSTANTIAL,
	};
	int rp = -1;
	const char *w = "unset";
	enum hh_rc rc = hh_case_submit(f->st, &f->a, &sub, &f->res, out, &rp, &w, NULL);
	assert_non_null(f->res.values);
	json_decref(f->res.values);
	f->res.values = NULL;
	json_decref(v);
	assert_true(rp == 0 || rp == 1);
	if (replayed)
		*replayed = rp;
	if (why)
		*why = w;
	return rc;
}

static const char *const ok_values = "{\"navn\":\"Anna Andersen\",\"gift\":\"nej\"}";

/* Submits a valid skilsmisse for citizen; returns the new case. */
static inline struct hh_case submit_ok(struct fx *f, const char *ct, int64_t citizen,
				int64_t plan, const char *step)
{
	struct hh_case c;
	int replayed;
	const char *why;
	const char *values = !strcmp(ct, "skilsmisse")	  ? ok_values
			     : !strcmp(ct, "boernetilskud") ? "{\"antal\":\"2\"}"
							    : "{}";
	enum hh_rc rc = submit_full(f, ct, citizen, plan, step, values, NULL, NULL,
				    &c, &replayed, &why);
	if (rc != HH_OK)
		fail_msg("submit %s: %s (%s)", ct, hh_rc_name(rc), why ? why : "-");
	assert_int_equal(replayed, 0);
	return c;
}

static inline int64_t plan_for(struct fx *f, int64_t citizen, const char *answers)
{
	json_t *a = json_loads(answers, 0, NULL);
	assert_non_null(a);
	struct hh_plan p;
	const char *bad = NULL;
	enum hh_rc rc = hh_plan_create(f->st, &f->a, citizen, "skilsmisse", a, &p, &bad);
	json_decref(a);
	if (rc != HH_OK)
		fail_msg("plan: %s (%s)", hh_rc_name(rc), bad ? bad : "-");
	return p.id;
}

static inline enum hh_rc move_to(struct fx *f, const struct hh_actor *who, int64_t id,
			  const char *to, int64_t version, struct hh_case *out,
			  int *followups)
{
	return hh_case_transition(f->st, &f->a, who, id, to, version, NULL, out,
				  followups);
}

/* Moves case id to `to` as the family agency's caseworker; must succeed. */
static inline struct hh_case move_ok(struct fx *f, int64_t id, const char *to)
{
	struct hh_case c = get(f, id), out;
	enum hh_rc rc = move_to(f, &f->cw_fam, id, to, c.version, &out, NULL);
	if (rc != HH_OK)
		fail_msg("%s -> %s: %s", c.state, to, hh_rc_name(rc));
	assert_int_equal(out.version, c.version + 1);
	assert_string_equal(out.state, to);
	return out;
}

static inline int64_t now_s(void)
{
	return hh_now_us() / 1000000;
}


#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

#endif
