/* test_casetools.c - the caseworker's tools through the domain layer and
 * the store: journal numbers, assignment to a colleague or a team, files,
 * the citizen's other cases, finding a case, stages and the origin of a
 * follow-up. The fixture is in cases_fixture.h. */
#include "cases_fixture.h"

#include "core/dktime.h"
#include "domain/caseread.h"
#include "domain/casetools.h"

/* The fixture with the vault started (CPR look-ups need its hash key);
 * the citizens imported before are sealed and hashed by the start. */
static int setup_vault(void **state)
{
	setup(state);
	struct fx *f = *state;
	char db[4200], err[256];
	snprintf(db, sizeof(db), "%s/helhed.db", f->dir);
	assert_int_equal(hh_vault_start(f->st, NULL, db, err, sizeof(err)), HH_OK);
	return 0;
}

static int two_digit_year(void)
{
	int64_t y;
	int m, d;
	hh_civil_from_days(hh_dk_local(now_s()) / 86400, &y, &m, &d);
	return (int)(y % 100);
}

static int64_t add_user(struct fx *f, int64_t org, const char *email,
			const char *name, unsigned roles)
{
	struct hh_user u = { .org_id = org, .email = email, .name = name,
			     .password_hash = "x", .roles = roles };
	struct hh_tx *tx = x_begin(f->st, 1);
	assert_int_equal(f->st->user_insert(tx, &u), HH_OK);
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
	return u.id;
}

static void add_team(struct fx *f, int64_t org, const char *code, const char *name)
{
	struct hh_tx *tx = x_begin(f->st, 1);
	assert_int_equal(f->st->inquiry_code_put(tx, org, "team", code, name), HH_OK);
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
}

/* The audit rows of citizen whose what starts with prefix. */
static int audits_like(struct fx *f, int64_t citizen, const char *prefix,
		       const char *why)
{
	struct hh_audit *au;
	size_t n = audits(f, &au);
	int k = 0;
	for (size_t i = 0; i < n; i++)
		if (au[i].citizen_id == citizen &&
		    !strncmp(au[i].what, prefix, strlen(prefix)) &&
		    (!why || !strcmp(au[i].why, why)))
			k++;
	return k;
}

struct found {
	int64_t ids[16];
	int n;
};

static enum hh_rc found_row(void *p, const struct hh_case *c)
{
	struct found *x = p;
	if (x && x->n < 16)
		x->ids[x->n++] = c->id;
	return HH_OK;
}

struct assignees {
	struct hh_assignee *v;
	int *n;
	int cap;
};

static enum hh_rc assignee_row(void *p, const struct hh_assignee *a)
{
	struct assignees *x = p;
	if (*x->n < x->cap)
		x->v[(*x->n)++] = *a;
	return HH_OK;
}

/* ---- journal numbers ------------------------------------------------------ */

static void journal_numbers(void **state)
{
	struct fx *f = *state;
	int yy = two_digit_year();
	struct hh_case a = submit_ok(f, "skilsmisse", f->anna, 0, NULL);
	struct hh_case b = submit_ok(f, "skilsmisse", f->bo, 0, NULL);
	/* KLE of the case type, G01, a serial per organisation, the year */
	assert_string_equal(a.journal_no,
			    hh_arena_printf(&f->a, "16.10.00-G01-1-%02d", yy));
	assert_string_equal(b.journal_no,
			    hh_arena_printf(&f->a, "16.10.00-G01-2-%02d", yy));
	/* another organisation counts from 1; no KLE: 00.00.00 */
	struct hh_case t = submit_ok(f, "boernetilskud", f->anna, 0, NULL);
	assert_int_equal(t.org_id, f->m901);
	assert_string_equal(t.journal_no,
			    hh_arena_printf(&f->a, "00.00.00-G01-1-%02d", yy));
	/* every read has it, and the API's JSON */
	assert_string_equal(get(f, a.id).journal_no, a.journal_no);
	json_t *j = hh_case_json(&a, NULL, 0);
	assert_string_equal(json_string_value(json_object_get(j, "journal_no")),
			    a.journal_no);
	json_decref(j);
	/* a follow-up at another authority gets its own number there */
	const char *vals = "{\"navn\":\"Anna Andersen\",\"gift\":\"nej\",\"boern\":\"ja\"}";
	struct hh_case c;
	int rp;
	const char *why;
	assert_int_equal(submit_full(f, "skilsmisse", f->anna, 0, NULL, vals, NULL,
				     NULL, &c, &rp, &why),
			 HH_OK);
	move_ok(f, c.id, "in_progress");
	move_ok(f, c.id, "granted");
	struct hh_case fu = only_child(f, c.id);
	assert_int_equal(fu.org_id, f->udk);
	assert_string_equal(fu.journal_no,
			    hh_arena_printf(&f->a, "00.00.00-G01-1-%02d", yy));
	/* unique per organisation: the store refuses a second one */
	struct hh_case dup = a;
	dup.id = 0;
	dup.public_id = NULL;
	struct hh_tx *tx = x_begin(f->st, 1);
	assert_int_equal(f->st->case_insert(tx, &dup), HH_ERR_CONFLICT);
	f->st->tx_rollback(tx);
	assert_true(hh_journal_like("16.10.00-G01"));
	assert_true(hh_journal_like("16"));
	assert_false(hh_journal_like("Anna"));
	assert_false(hh_journal_like("16 10"));
}

/* ---- assignment ------------------------------------------------------------ */

static void assign_to_colleague_and_team(void **state)
{
	struct fx *f = *state;
	int64_t clara = add_user(f, f->fam, "clara@fam", "Clara Holm",
				 HH_ROLE_CASEWORKER);
	int64_t ed = add_user(f, f->fam, "ed@fam", "Eva Redaktør", HH_ROLE_EDITOR);
	int64_t other = add_user(f, f->m901, "jonas@901", "Jonas Krogh",
				 HH_ROLE_CASEWORKER);
	add_team(f, f->fam, "boern", "Børn og familie");
	add_team(f, f->m901, "ydelser", "Ydelser");
	struct hh_case c = submit_ok(f, "skilsmisse", f->anna, 0, NULL), out;
	enum hh_assign_fault fault;
	/* outside the organisation, not a caseworker, an unknown or another
	 * organisation's team: refused, nothing written */
	assert_int_equal(hh_case_assign_to(f->st, &f->a, &f->cw_fam, c.id, other, NULL,
					   1, &out, &fault),
			 HH_ERR_INVALID);
	assert_int_equal(fault, HH_ASSIGN_USER);
	assert_int_equal(hh_case_assign_to(f->st, &f->a, &f->cw_fam, c.id, ed, NULL, 1,
					   &out, &fault),
			 HH_ERR_INVALID);
	assert_int_equal(fault, HH_ASSIGN_USER);
	assert_int_equal(hh_case_assign_to(f->st, &f->a, &f->cw_fam, c.id, 0,
					   "ydelser", 1, &out, &fault),
			 HH_ERR_INVALID);
	assert_int_equal(fault, HH_ASSIGN_TEAM);
	assert_int_equal(hh_case_assign_to(f->st, &f->a, &f->cw_fam, c.id, 0, "nope",
					   1, &out, &fault),
			 HH_ERR_INVALID);
	assert_non_null(strstr(hh_assign_fault_text(HH_ASSIGN_TEAM), "team"));
	assert_int_equal(get(f, c.id).version, 1);
	assert_int_equal(n_case_events(f, c.id, "assign", NULL, NULL), 0);
	/* another organisation's caseworker does not see the case */
	assert_int_equal(hh_case_assign_to(f->st, &f->a, &f->cw_udk, c.id, 0, "boern",
					   1, &out, &fault),
			 HH_ERR_NOT_FOUND);
	/* a colleague */
	assert_int_equal(hh_case_assign_to(f->st, &f->a, &f->cw_fam, c.id, clara, NULL,
					   1, &out, &fault),
			 HH_OK);
	assert_int_equal(out.assigned_to, clara);
	assert_string_equal(out.assigned_name, "Clara Holm");
	assert_null(out.assigned_team);
	/* a team: no person then; the event names the team */
	assert_int_equal(hh_case_assign_to(f->st, &f->a, &f->cw_fam, c.id, 0, "boern",
					   2, &out, &fault),
			 HH_OK);
	assert_int_equal(out.assigned_to, 0);
	assert_string_equal(out.assigned_team, "boern");
	assert_string_equal(out.assigned_team_name, "Børn og familie");
	assert_int_equal(n_case_events(f, c.id, "assign", NULL, "after.team_name",
				       "Børn og familie", NULL),
			 1);
	assert_int_equal(n_case_events(f, c.id, "assign", NULL, "before.assigned_to",
				       hh_arena_printf(&f->a, "%lld", (long long)clara),
				       NULL),
			 1);
	/* the team's queue */
	struct hh_queue_query q = { .open = -1, .team = "boern" };
	int64_t total;
	assert_int_equal(hh_case_queue(f->st, &f->a, &f->cw_fam, &q, &total,
				       found_row, NULL),
			 HH_OK);
	assert_int_equal(total, 1);
	/* a caseworker takes the team's case: the team stays on it */
	struct hh_actor me = f->cw_fam;
	me.user_id = clara;
	me.label = hh_arena_printf(&f->a, "user:%lld", (long long)clara);
	assert_int_equal(hh_case_assign_to(f->st, &f->a, &me, c.id, clara, NULL, 3,
					   &out, &fault),
			 HH_OK);
	assert_int_equal(out.assigned_to, clara);
	assert_string_equal(out.assigned_team, "boern");
	assert_int_equal(hh_case_queue(f->st, &f->a, &f->cw_fam, &q, &total,
				       found_row, NULL),
			 HH_OK);
	assert_int_equal(total, 1);
	/* nobody: both go */
	assert_int_equal(hh_case_assign(f->st, &f->a, &f->cw_fam, c.id, 0, 4, &out),
			 HH_OK);
	assert_int_equal(out.assigned_to, 0);
	assert_null(out.assigned_team);
	/* a manager sees but does not assign */
	assert_int_equal(hh_case_assign_to(f->st, &f->a, &f->mgr_fam, c.id, clara,
					   NULL, 5, &out, &fault),
			 HH_ERR_FORBIDDEN);
	/* whom to: the organisation's caseworkers, then its teams */
	struct hh_assignee got[8];
	int n = 0;
	assert_int_equal(hh_case_assignees(f->st, &f->a, &f->cw_fam, assignee_row,
					   &(struct assignees){ got, &n, 8 }),
			 HH_OK);
	assert_int_equal(n, 2);
	assert_int_equal(got[0].user_id, clara);
	assert_string_equal(got[1].team, "boern");
	assert_int_equal(hh_case_assignees(f->st, &f->a, CITIZEN(f->anna),
					   assignee_row,
					   &(struct assignees){ got, &n, 8 }),
			 HH_ERR_FORBIDDEN);
}

/* ---- files ----------------------------------------------------------------- */

static void files_are_audited_and_scoped(void **state)
{
	struct fx *f = *state;
	const char *vals = "{\"navn\":\"Anna Andersen\",\"gift\":\"nej\",\"bilag\":"
			   "{\"name\":\"a\\\"b.pdf\",\"content_type\":\"application/pdf\","
			   "\"data\":\"JVBERi0xLjQK\"}}";
	struct hh_case c, other;
	int rp;
	const char *why;
	assert_int_equal(submit_full(f, "skilsmisse", f->anna, 0, NULL, vals, NULL,
				     NULL, &c, &rp, &why),
			 HH_OK);
	assert_int_equal(submit_full(f, "skilsmisse", f->bo, 0, NULL, vals, NULL, NULL,
				     &other, &rp, &why),
			 HH_OK);
	struct hh_case_file *fs;
	assert_int_equal(case_files(f, c.id, &fs), 1);
	int64_t fid = fs[0].id;
	struct hh_case_file *fo;
	assert_int_equal(case_files(f, other.id, &fo), 1);
	int before = audits_like(f, f->anna, "fil ", NULL);
	struct hh_case_file got;
	assert_int_equal(hh_case_file_open(f->st, &f->a, &f->cw_fam, c.id, fid, &got),
			 HH_OK);
	assert_int_equal(got.size, 9);
	assert_memory_equal(got.data, "%PDF-1.4\n", 9);
	assert_string_equal(got.content_type, "application/pdf");
	assert_int_equal(audits_like(f, f->anna,
				     hh_arena_printf(&f->a, "fil «a\"b.pdf» på sag %s",
						     c.journal_no),
				     "Sagsbehandling"),
			 before + 1);
	/* another case's file through this case, another organisation, a
	 * citizen (even their own): 404, nothing audited */
	assert_int_equal(hh_case_file_open(f->st, &f->a, &f->cw_fam, c.id, fo[0].id,
					   &got),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_case_file_open(f->st, &f->a, &f->cw_udk, c.id, fid, &got),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_case_file_open(f->st, &f->a, CITIZEN(f->anna), c.id, fid,
					   &got),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_case_file_open(f->st, &f->a, &f->cw_fam, c.id, 999999,
					   &got),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(audits_like(f, f->anna, "fil ", NULL), before + 1);
	assert_true(hh_case_file_type_allowed("image/png"));
	assert_false(hh_case_file_type_allowed("text/html"));
	assert_false(hh_case_file_type_allowed("image/svg+xml"));
	/* the staff read lists the file without its bytes */
	struct hh_case_read rd;
	assert_int_equal(hh_case_read(f->st, &f->a, &f->cw_fam, c.id, NULL, &rd), HH_OK);
	assert_int_equal(rd.n_files, 1);
	assert_int_equal(rd.files[0].id, fid);
	assert_null(rd.files[0].data);
}

/* ---- the citizen's other cases ----------------------------------------------- */

static void other_cases_same_organisation_only(void **state)
{
	struct fx *f = *state;
	struct hh_case a = submit_ok(f, "skilsmisse", f->anna, 0, NULL);
	struct hh_case b = submit_ok(f, "skilsmisse", f->anna, 0, NULL);
	submit_ok(f, "boernetilskud", f->anna, 0, NULL); /* at 901 */
	submit_ok(f, "skilsmisse", f->bo, 0, NULL);      /* another citizen */
	int before = audits_like(f, f->anna, "borgerens andre sager", NULL);
	struct hh_case_read rd;
	assert_int_equal(hh_case_read(f->st, &f->a, &f->cw_fam, b.id, NULL, &rd), HH_OK);
	assert_int_equal(rd.n_others, 1);
	assert_int_equal(rd.others_total, 1);
	assert_int_equal(rd.others[0].id, a.id);
	assert_string_equal(rd.others[0].journal_no, a.journal_no);
	/* p-bench: labelled from the case type, as a case read alone is,
	 * and without the form's values (the list shows none) */
	struct hh_case alone = get(f, a.id);
	assert_string_equal(rd.others[0].state_label, alone.state_label);
	assert_string_equal(rd.others[0].state_label, "Modtaget");
	assert_null(rd.others[0].data);
	assert_int_equal(audits_like(f, f->anna, "borgerens andre sager", NULL),
			 before + 1);
	/* the citizen's read has none of it */
	assert_int_equal(hh_case_read(f->st, &f->a, CITIZEN(f->anna), b.id, NULL, &rd),
			 HH_OK);
	assert_int_equal(rd.n_others, 0);
	assert_null(rd.files);
}

/* ---- finding a case ---------------------------------------------------------- */

static struct found find_as(struct fx *f, const struct hh_actor *who,
			    const char *q, enum hh_rc want)
{
	struct found x = { .n = 0 };
	struct hh_queue_query qq = { .open = -1, .find = q };
	int64_t total = -1;
	assert_int_equal(hh_case_queue(f->st, &f->a, who, &qq, &total, found_row, &x),
			 want);
	if (want == HH_OK)
		assert_int_equal(total, x.n);
	return x;
}

static void find_by_journal_cpr_and_name(void **state)
{
	struct fx *f = *state;
	struct hh_case a = submit_ok(f, "skilsmisse", f->anna, 0, NULL);
	struct hh_case b = submit_ok(f, "skilsmisse", f->bo, 0, NULL);
	submit_ok(f, "boernetilskud", f->anna, 0, NULL); /* 901: never found by fam */
	/* journal number: exact and prefix, open and closed */
	move_ok(f, a.id, "in_progress");
	move_ok(f, a.id, "rejected");
	struct found x = find_as(f, &f->cw_fam, a.journal_no, HH_OK);
	assert_int_equal(x.n, 1);
	assert_int_equal(x.ids[0], a.id);
	x = find_as(f, &f->cw_fam, "16.10.00-G01", HH_OK);
	assert_int_equal(x.n, 2);
	x = find_as(f, &f->cw_fam, "00.00.00", HH_OK);
	assert_int_equal(x.n, 0); /* 901's case */
	/* CPR: through the vault's hash; audited only when a citizen is found */
	int before = audits_like(f, f->anna, "opslag på CPR-nummer", NULL);
	int64_t all_before = n_audits(f);
	x = find_as(f, &f->cw_fam, "0707614285", HH_OK);
	assert_int_equal(x.n, 1);
	assert_int_equal(x.ids[0], a.id);
	assert_int_equal(audits_like(f, f->anna, "opslag på CPR-nummer", NULL),
			 before + 1);
	int64_t after_found = n_audits(f);
	assert_true(after_found > all_before);
	x = find_as(f, &f->cw_fam, "010203-1234", HH_OK); /* nobody's */
	assert_int_equal(x.n, 0);
	assert_int_equal(n_audits(f), after_found);
	/* a citizen found with no case here is still a look-up of them */
	x = find_as(f, &f->cw_udk, "070761-4285", HH_OK);
	assert_int_equal(x.n, 0);
	assert_int_equal(audits_like(f, f->anna, "opslag på CPR-nummer", NULL),
			 before + 2);
	/* name: any case, accents and Danish letters folded */
	x = find_as(f, &f->cw_fam, "bo BERG", HH_OK);
	assert_int_equal(x.n, 1);
	assert_int_equal(x.ids[0], b.id);
	x = find_as(f, &f->cw_fam, "andersen", HH_OK);
	assert_int_equal(x.n, 1);
	x = find_as(f, &f->cw_fam, "Zorro", HH_OK);
	assert_int_equal(x.n, 0);
	/* a citizen with æ, ø and å */
	struct hh_citizen z = { .subject = "demo:soeren", .name = "Søren Ærø Ålund" };
	struct hh_tx *tx = x_begin(f->st, 1);
	assert_int_equal(f->st->citizen_put(tx, &z), HH_OK);
	struct hh_case k = { .case_type_id = a.case_type_id, .org_id = f->fam,
			     .citizen_id = z.id, .state = "received",
			     .journal_no = "16.10.00-G01-900-26",
			     .deadline_at = now_s() + 3600 };
	assert_int_equal(f->st->case_insert(tx, &k), HH_OK);
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
	x = find_as(f, &f->cw_fam, "SØREN ærø", HH_OK);
	assert_int_equal(x.n, 1);
	assert_int_equal(x.ids[0], k.id);
	x = find_as(f, &f->cw_fam, "ålund", HH_OK);
	assert_int_equal(x.n, 1);
	/* too long, not UTF-8 */
	char longq[130];
	memset(longq, 'a', sizeof(longq) - 1);
	longq[sizeof(longq) - 1] = 0;
	find_as(f, &f->cw_fam, longq, HH_ERR_INVALID);
	find_as(f, &f->cw_fam, "\xff\xfe", HH_ERR_INVALID);
}

/* ---- stages ------------------------------------------------------------------ */

static void stages_from_state_flags(void **state)
{
	struct fx *f = *state;
	struct hh_case_type_def def;
	char err[200];
	assert_int_equal(hh_case_type_def_parse(
				 "{\"name\":\"x\",\"organisation\":\"fam\",\"deadline\":\"P1D\","
				 "\"initial\":\"received\",\"states\":["
				 "{\"key\":\"received\",\"label\":\"Modtaget\"},"
				 "{\"key\":\"in_progress\",\"label\":\"I gang\"},"
				 "{\"key\":\"awaiting_citizen\",\"label\":\"Afventer\",\"paused\":true},"
				 "{\"key\":\"granted\",\"label\":\"Bevilget\",\"final\":true},"
				 "{\"key\":\"withdrawn\",\"label\":\"Trukket\",\"final\":true}],"
				 "\"transitions\":[]}",
				 &def, err, sizeof(err)),
			 HH_OK);
	assert_int_equal(hh_case_stage(&def, hh_ct_state(&def, "received")), HH_STAGE_NEW);
	assert_int_equal(hh_case_stage(&def, hh_ct_state(&def, "in_progress")),
			 HH_STAGE_WORKING);
	assert_int_equal(hh_case_stage(&def, hh_ct_state(&def, "awaiting_citizen")),
			 HH_STAGE_AWAITING);
	assert_int_equal(hh_case_stage(&def, hh_ct_state(&def, "granted")),
			 HH_STAGE_DECIDED);
	assert_int_equal(hh_case_stage(&def, hh_ct_state(&def, "withdrawn")),
			 HH_STAGE_CLOSED);
	hh_case_type_def_clear(&def);
	assert_int_equal(hh_stage_parse("afventer"), HH_STAGE_AWAITING);
	assert_int_equal(hh_stage_parse("nope"), HH_STAGE_NONE);
	assert_string_equal(hh_stage_label(HH_STAGE_DECIDED), "Afgjort");
	/* the queue by stage */
	struct hh_case a = submit_ok(f, "skilsmisse", f->anna, 0, NULL);
	struct hh_case b = submit_ok(f, "skilsmisse", f->bo, 0, NULL);
	struct hh_case c = submit_ok(f, "skilsmisse", f->bo, 0, NULL);
	move_ok(f, b.id, "in_progress");
	move_ok(f, b.id, "awaiting_citizen");
	move_ok(f, c.id, "in_progress");
	move_ok(f, c.id, "granted");
	const char *stages[] = { "ny", "afventer", "afgjort", "behandling" };
	int64_t want[] = { a.id, b.id, c.id, 0 };
	for (int i = 0; i < 4; i++) {
		struct found x = { .n = 0 };
		struct hh_queue_query q = { .open = -1, .stage = stages[i] };
		int64_t total;
		assert_int_equal(hh_case_queue(f->st, &f->a, &f->cw_fam, &q, &total,
					       found_row, &x),
				 HH_OK);
		assert_int_equal(x.n, want[i] ? 1 : 0);
		if (want[i])
			assert_int_equal(x.ids[0], want[i]);
	}
	struct hh_queue_query bad = { .open = -1, .stage = "x" };
	struct found x = { .n = 0 };
	assert_int_equal(hh_case_queue(f->st, &f->a, &f->cw_fam, &bad, NULL, found_row,
				       &x),
			 HH_ERR_INVALID);
}

/* ---- the origin of a follow-up ------------------------------------------------- */

static void followup_carries_its_origin(void **state)
{
	struct fx *f = *state;
	const char *vals = "{\"navn\":\"Anna Andersen\",\"gift\":\"nej\","
			   "\"boern\":\"ja\",\"begrundelse\":\"privat\"}";
	struct hh_case c;
	int rp;
	const char *why;
	assert_int_equal(submit_full(f, "skilsmisse", f->anna, 0, NULL, vals, NULL,
				     NULL, &c, &rp, &why),
			 HH_OK);
	move_ok(f, c.id, "in_progress");
	move_ok(f, c.id, "granted");
	struct hh_case fu = only_child(f, c.id);
	/* the udk caseworker reads the follow-up: what started it, with the
	 * value the rule read, and nothing else of the family agency's case */
	struct hh_case_read rd;
	assert_int_equal(hh_case_read(f->st, &f->a, &f->cw_udk, fu.id, NULL, &rd),
			 HH_OK);
	assert_non_null(rd.origin);
	assert_int_equal(json_integer_value(json_object_get(rd.origin, "case_id")),
			 c.id);
	assert_string_equal(json_string_value(json_object_get(rd.origin, "journal_no")),
			    c.journal_no);
	assert_string_equal(json_string_value(json_object_get(rd.origin,
							      "organisation_name")),
			    "Familieretshuset");
	assert_string_equal(json_string_value(json_object_get(rd.origin,
							      "decision_label")),
			    "Bevilget");
	json_t *v = json_object_get(rd.origin, "values");
	assert_int_equal(json_object_size(v), 1);
	assert_string_equal(json_string_value(json_object_get(v, "boern")), "ja");
	assert_null(strstr(fu.data, "privat"));
	assert_null(strstr(fu.data, "Anna Andersen"));
	/* the parent itself stays out of reach */
	assert_int_equal(hh_case_read(f->st, &f->a, &f->cw_udk, c.id, NULL, &rd),
			 HH_ERR_NOT_FOUND);
}

/* x-fix: "started_by" is a list of organisation codes, or absent */
static void started_by_is_checked(void **state)
{
	(void)state;
	const char *base = "{\"name\":\"x\",\"organisation\":\"fam\","
			   "\"deadline\":\"P1D\",\"initial\":\"r\",\"states\":"
			   "[{\"key\":\"r\",\"label\":\"R\"}],\"transitions\":[]%s}";
	const char *good[] = { "", ",\"started_by\":[]",
			       ",\"started_by\":[\"familieretshuset\",\"udk\"]" };
	const char *bad[] = { ",\"started_by\":\"familieretshuset\"",
			      ",\"started_by\":[1]", ",\"started_by\":[\"\"]" };
	char json[512], err[200];
	struct hh_case_type_def def;
	for (size_t i = 0; i < 3; i++) {
		snprintf(json, sizeof(json), base, good[i]);
		assert_int_equal(hh_case_type_def_parse(json, &def, err,
							sizeof(err)), HH_OK);
		hh_case_type_def_clear(&def);
	}
	for (size_t i = 0; i < 3; i++) {
		snprintf(json, sizeof(json), base, bad[i]);
		assert_int_equal(hh_case_type_def_parse(json, &def, err,
							sizeof(err)),
				 HH_ERR_INVALID);
		assert_non_null(strstr(err, "started_by"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(journal_numbers),
		T(assign_to_colleague_and_team),
		T(files_are_audited_and_scoped),
		T(other_cases_same_organisation_only),
		cmocka_unit_test_setup_teardown(find_by_journal_cpr_and_name,
						setup_vault, teardown),
		T(stages_from_state_flags),
		T(followup_carries_its_origin),
		cmocka_unit_test(started_by_is_checked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
