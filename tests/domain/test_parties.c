/* test_parties.c - the other parties to a case (issue 16, points 1 and
 * 6; domain/parties.h) through the domain and the store, on either
 * backend: the case type's "parties" checked at import, inviting at
 * submission (refusals write nothing), confirming, declining, expiry by
 * the pass and at read time, two parties answering at once, and what the
 * invitee sees in Mit overblik. The fixture is cases_fixture.h's, with
 * one case type more and the CPR numbers sealed as `helhed serve` seals
 * them. */
#include "cases_fixture.h"

#include "domain/caseread.h"
#include "domain/parties.h"
#include "domain/vault.h"
#include "domain/webhooks.h"
#include "core/dktime.h"

/* a divorce the spouse must confirm within 14 days, and a representative
 * (power of attorney) who must too when one is named */
static const char *const ct_parskab =
	"{\"name\":\"Skilsmisse med ægtefælle\",\"organisation\":\"fam\","
	" \"deadline\":\"P30D\",\"public\":true,\"initial\":\"received\","
	" \"states\":[{\"key\":\"received\",\"label\":\"Modtaget\"},"
	"  {\"key\":\"awaiting_citizen\",\"label\":\"Afventer dig\",\"paused\":true},"
	"  {\"key\":\"awaiting_parties\",\"label\":\"Afventer den anden part\","
	"   \"paused\":true},"
	"  {\"key\":\"granted\",\"label\":\"Bevilget\",\"final\":true},"
	"  {\"key\":\"declined\",\"label\":\"Ikke bekræftet\",\"final\":true}],"
	" \"transitions\":[{\"from\":\"received\",\"to\":\"granted\"}],"
	" \"parties\":[{\"role\":\"spouse\",\"label\":\"Ægtefælle\","
	"   \"cpr_field\":\"partner_cpr\",\"confirm\":true,"
	"   \"within\":\"P14D\",\"shared\":[\"navn\",\"vielsesdato\",\"adresse\"]},"
	"  {\"role\":\"representative\",\"label\":\"Fuldmagtshaver\","
	"   \"cpr_field\":\"fuldmagt_cpr\",\"confirm\":true,\"within\":\"P14D\","
	"   \"when\":{\"field\":\"fuldmagt\",\"equals\":\"ja\"}},"
	"  {\"role\":\"child\",\"label\":\"Barn\",\"cpr_field\":\"barn_cpr\"}],"
	" \"confirm_state\":\"awaiting_parties\",\"declined_state\":\"declined\","
	" \"form\":{\"title\":\"Skilsmisse\",\"fields\":["
	"  {\"name\":\"navn\",\"label\":\"Dit navn\",\"type\":\"text\",\"required\":true},"
	"  {\"name\":\"vielsesdato\",\"label\":\"Vielsesdato\",\"type\":\"date\"},"
	"  {\"name\":\"indkomst\",\"label\":\"Din indkomst\",\"type\":\"amount\"},"
	"  {\"name\":\"adresse\",\"label\":\"Jeres fælles adresse\","
	"   \"type\":\"address\"},"
	"  {\"name\":\"partner_cpr\",\"label\":\"Ægtefællens CPR-nummer\","
	"   \"type\":\"cpr\",\"required\":true},"
	"  {\"name\":\"barn_cpr\",\"label\":\"Barnets CPR-nummer\",\"type\":\"cpr\"},"
	"  {\"name\":\"fuldmagt\",\"label\":\"Har du givet fuldmagt?\","
	"   \"type\":\"yesno\"},"
	"  {\"name\":\"fuldmagt_cpr\",\"label\":\"Fuldmagtshaverens CPR-nummer\","
	"   \"type\":\"cpr\"}]}}";

#define ANNA_CPR "070761-4285"
#define BO_CPR "010190-1234"
#define CARL_CPR "020202-2222"

static int setup_with(void **state, int vault)
{
	struct fx *f = hh_xcalloc(1, sizeof(*f));
	char content[4300];
	fx_open(f, content);
	put(content, "case-types/parskab.json", ct_parskab);
	struct hh_import_stats stats;
	assert_int_equal(hh_content_import(f->st, content, 1, stderr, NULL, NULL,
					   &stats),
			 HH_OK);
	assert_int_equal(stats.case_types, 7);
	if (vault) /* CPR numbers at rest as `helhed serve` keeps them */
		fx_vault(f);
	f->fam = org_id(f, "fam");
	f->m901 = org_id(f, "901");
	f->m902 = org_id(f, "902");
	f->anna = citizen_id(f, "demo:anna");
	f->bo = citizen_id(f, "demo:bo");
	f->carl = citizen_id(f, "demo:carl");
	struct hh_actor cw_fam = { .label = "user:1", .org_id = f->fam,
				   .roles = HH_ROLE_CASEWORKER };
	f->cw_fam = cw_fam;
	*state = f;
	return 0;
}

static int setup_parties(void **state)
{
	return setup_with(state, 1);
}

static int setup_bare(void **state)
{
	return setup_with(state, 0);
}

#define TP(fn) cmocka_unit_test_setup_teardown(fn, setup_parties, teardown)

/* ---- what the store holds ------------------------------------------------ */

struct plist {
	struct hh_arena *a;
	struct hh_case_party rows[8];
	int n;
};

static enum hh_rc plist_row(void *p, const struct hh_case_party *r)
{
	struct plist *l = p;
	assert_true(l->n < 8);
	l->rows[l->n++] = *r;
	return HH_OK;
}

static int parties_of(struct fx *f, int64_t case_id, struct plist *l)
{
	memset(l, 0, sizeof(*l));
	struct hh_tx *tx = x_begin(f->st, 0);
	assert_int_equal(f->st->case_party_list(tx, &f->a, case_id, plist_row, l),
			 HH_OK);
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
	return l->n;
}

static int64_t n_party_rows(struct fx *f)
{
	char *v = tu_sql(f->dir, "SELECT count(*) FROM case_parties", 0, NULL);
	int64_t n = atoll(v);
	free(v);
	return n;
}

static enum hh_rc submit_parskab(struct fx *f, int64_t who, const char *partner,
				 const char *fuldmagt, struct hh_case *out)
{
	char values[600];
	snprintf(values, sizeof(values),
		 "{\"navn\":\"Anna Andersen\",\"vielsesdato\":\"2010-06-12\","
		 "\"adresse\":\"Skovvej 12, 4100 Nordskov\","
		 "\"indkomst\":\"312.000\",\"partner_cpr\":\"%s\"%s%s%s}",
		 partner, fuldmagt ? ",\"fuldmagt\":\"ja\",\"fuldmagt_cpr\":\"" : "",
		 fuldmagt ? fuldmagt : "", fuldmagt ? "\"" : "");
	const char *why;
	int replayed;
	return submit_full(f, "parskab", who, 0, NULL, values, NULL, NULL, out,
			   &replayed, &why);
}

static struct hh_case invited(struct fx *f, const char *fuldmagt)
{
	struct hh_case c;
	enum hh_rc rc = submit_parskab(f, f->anna, BO_CPR, fuldmagt, &c);
	if (rc != HH_OK)
		fail_msg("submit: %s (%s)", hh_rc_name(rc),
			 f->res.n_errors ? f->res.errors[0].message : "-");
	return c;
}

static enum hh_rc answer(struct fx *f, int64_t who, int64_t id, int confirm,
			 struct hh_case *out, enum hh_party_fault *fault)
{
	return hh_party_answer(f->st, &f->a, CITIZEN(who), id, confirm, out, fault);
}

/* ---- the case type ---------------------------------------------------------- */

static char *with(const char *from, const char *to)
{
	const char *at = strstr(ct_parskab, from);
	assert_non_null(at);
	size_t n = strlen(ct_parskab) + strlen(to) + 1;
	char *s = malloc(n);
	snprintf(s, n, "%.*s%s%s", (int)(at - ct_parskab), ct_parskab, to,
		 at + strlen(from));
	return s;
}

static void parties_are_checked_at_import(void **state)
{
	(void)state;
	char err[256];
	struct hh_case_type_def def;
	assert_int_equal(hh_case_type_def_parse(ct_parskab, &def, err, sizeof(err)),
			 HH_OK);
	assert_int_equal(def.n_parties, 3);
	assert_string_equal(def.parties[0].role, "spouse");
	assert_string_equal(def.parties[0].label, "Ægtefælle");
	assert_string_equal(def.parties[0].cpr_field, "partner_cpr");
	assert_true(def.parties[0].confirm);
	assert_string_equal(def.parties[0].within, "P14D");
	assert_int_equal(def.parties[0].n_shared, 3);
	assert_true(hh_ct_party_sees(&def.parties[0], "vielsesdato"));
	assert_false(hh_ct_party_sees(&def.parties[0], "indkomst"));
	assert_string_equal(def.confirm_state, "awaiting_parties");
	assert_string_equal(def.declined_state, "declined");
	assert_true(hh_ct_needs_confirm(&def));
	hh_case_type_def_clear(&def);

	static const struct {
		const char *from, *to, *says;
	} bad[] = {
		{ "\"within\":\"P14D\",", "\"within\":\"P14D\",\"farve\":1,",
		  "unknown field 'farve'" },
		{ "\"cpr_field\":\"partner_cpr\"", "\"cpr_field\":\"navn\"",
		  "cpr_field must name a cpr field" },
		{ "\"cpr_field\":\"partner_cpr\"", "\"cpr_field\":\"ingen\"",
		  "cpr_field must name a cpr field" },
		{ "\"role\":\"spouse\"", "\"role\":\"nabo\"", "role must be" },
		{ "\"role\":\"spouse\"", "\"role\":\"child\"", "a child never confirms" },
		{ "\"confirm_state\":\"awaiting_parties\",", "",
		  "confirm_state must be a paused state" },
		{ "\"confirm_state\":\"awaiting_parties\"",
		  "\"confirm_state\":\"received\"", "confirm_state must be" },
		{ "\"confirm_state\":\"awaiting_parties\"",
		  "\"confirm_state\":\"nowhere\"", "confirm_state must be" },
		{ "\"declined_state\":\"declined\"", "\"declined_state\":\"received\"",
		  "declined_state must be a final state" },
		{ "\"within\":\"P14D\",\"shared\"", "\"shared\"", "needs within" },
		{ "\"within\":\"P14D\",\"shared\"", "\"within\":\"14 dage\",\"shared\"",
		  "needs within" },
		{ "\"shared\":[\"navn\",", "\"shared\":[\"bopael\",",
		  "shared field 1 is not a field" },
		{ "\"fuldmagt_cpr\",\"confirm\"", "\"partner_cpr\",\"confirm\"",
		  "must differ" },
		{ "\"field\":\"fuldmagt\"", "\"field\":\"ingen\"", "party 2: when:" },
		/* p-fix M3: the party's wording, of shared fields only */
		{ "\"adresse\"]},", "\"adresse\"],\"party_labels\":{\"indkomst\":\"X\"}},",
		  "party_labels.indkomst must be a shared field" },
		{ "\"adresse\"]},", "\"adresse\"],\"party_labels\":{\"navn\":\"\"}},",
		  "party_labels.navn must be" },
		{ "\"adresse\"]},", "\"adresse\"],\"party_options\":{\"navn\":{\"a\":\"b\"}}},",
		  "party_options.navn must name a shared choice or yesno" },
		{ "\"adresse\"]},", "\"adresse\"],\"party_labels\":[]},",
		  "must be objects" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *text = with(bad[i].from, bad[i].to);
		err[0] = 0;
		if (hh_case_type_def_parse(text, &def, err, sizeof(err)) == HH_OK)
			fail_msg("case %zu (%s) parsed", i, bad[i].says);
		if (!strstr(err, bad[i].says))
			fail_msg("case %zu: '%s' does not say '%s'", i, err, bad[i].says);
		free(text);
	}
	/* no party that confirms: no confirm state either */
	static const char none[] =
		"{\"name\":\"N\",\"organisation\":\"fam\",\"deadline\":\"P1D\","
		" \"initial\":\"a\",\"states\":[{\"key\":\"a\",\"label\":\"A\"},"
		"  {\"key\":\"p\",\"label\":\"P\",\"paused\":true},"
		"  {\"key\":\"d\",\"label\":\"D\",\"final\":true}],"
		" \"parties\":[{\"role\":\"child\",\"label\":\"Barn\","
		"   \"cpr_field\":\"barn\"}],"
		" \"confirm_state\":\"p\",\"declined_state\":\"d\","
		" \"form\":{\"fields\":[{\"name\":\"barn\",\"label\":\"Barn\","
		"   \"type\":\"cpr\"}]}}";
	assert_int_equal(hh_case_type_def_parse(none, &def, err, sizeof(err)),
			 HH_ERR_INVALID);
	assert_non_null(strstr(err, "need a party that confirms"));
	/* without them it parses: a child is named, never invited */
	char *named = strdup(none);
	char *cs = strstr(named, " \"confirm_state\"");
	memmove(cs, strstr(cs, " \"form\""), strlen(strstr(cs, " \"form\"")) + 1);
	if (hh_case_type_def_parse(named, &def, err, sizeof(err)) != HH_OK)
		fail_msg("%s", err);
	assert_false(hh_ct_needs_confirm(&def));
	hh_case_type_def_clear(&def);
	free(named);
}

/* ---- inviting ------------------------------------------------------------- */

static void naming_a_spouse_invites_them(void **state)
{
	struct fx *f = *state;
	struct hh_case c = invited(f, NULL);
	int64_t now = now_s();
	assert_string_equal(c.state, "awaiting_parties");
	assert_int_equal(c.paused_since, c.created_at); /* the deadline stands */
	struct plist l;
	assert_int_equal(parties_of(f, c.id, &l), 1);
	const struct hh_case_party *p = &l.rows[0];
	assert_string_equal(p->role, "spouse");
	assert_string_equal(p->status, "invited");
	assert_int_equal(p->citizen_id, f->bo);
	assert_int_equal(p->position, 0);
	assert_true(p->confirm);
	assert_int_equal(p->version, 1);
	/* 14 calendar days from the submission */
	int64_t ends;
	assert_true(hh_dk_add_period(c.created_at, "P14D", &ends));
	assert_int_equal(p->expires_at, ends);
	assert_true(p->invited_at <= now);
	/* the invitee's CPR number at rest: sealed, with its keyed hash */
	assert_non_null(p->cpr);
	assert_true(hh_vault_is_sealed(p->cpr));
	assert_null(strstr(p->cpr, "010190"));
	unsigned char h[32];
	assert_int_equal(hh_vault_cpr_hash(hh_vault_of(f->st), 0, BO_CPR, h), HH_OK);
	assert_non_null(p->cpr_hash);
	assert_memory_equal(p->cpr_hash, h, 32);
	const char *plain;
	assert_int_equal(hh_vault_open(hh_vault_of(f->st), &f->a, p->cpr, &plain),
			 HH_OK);
	assert_string_equal(plain, BO_CPR);
	/* the submission's one event */
	assert_int_equal(n_case_events(f, c.id, NULL, NULL, NULL), 1);
}

static void wrong_parties_are_refused_and_nothing_is_written(void **state)
{
	struct fx *f = *state;
	static const struct {
		const char *partner, *fuldmagt, *field, *says;
	} bad[] = {
		{ ANNA_CPR, NULL, "partner_cpr", "Du kan ikke selv være ægtefælle i sagen" },
		{ "0707614285", NULL, "partner_cpr", "Du kan ikke selv" },
		{ "010203-1234", NULL, "partner_cpr", "CPR-registret" },
		{ BO_CPR, "0101901234", "fuldmagt_cpr", "kun være part i sagen én gang" },
		{ BO_CPR, ANNA_CPR, "fuldmagt_cpr", "Du kan ikke selv være fuldmagtshaver i sagen" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct hh_case c;
		enum hh_rc rc = submit_parskab(f, f->anna, bad[i].partner, bad[i].fuldmagt, &c);
		if (rc != HH_ERR_INVALID)
			fail_msg("case %zu: %s", i, hh_rc_name(rc));
		assert_int_equal(f->res.n_errors, 1);
		assert_string_equal(f->res.errors[0].field, bad[i].field);
		if (!strstr(f->res.errors[0].message, bad[i].says))
			fail_msg("case %zu: '%s'", i, f->res.errors[0].message);
	}
	assert_int_equal(n_cases(f), 0);
	assert_int_equal(n_party_rows(f), 0);
	/* the same with a store that fails at each call of a good one: all
	 * or nothing */
	for (int n = 1; n < 60; n++) {
		hh_store_fault_inject(f->st, n, HH_ERR_IO);
		struct hh_case c;
		enum hh_rc rc = submit_parskab(f, f->anna, BO_CPR, CARL_CPR, &c);
		hh_store_fault_inject(f->st, 0, HH_OK);
		int64_t cases = n_cases(f), rows = n_party_rows(f);
		if (rc == HH_OK) {
			assert_int_equal(cases, 1);
			assert_int_equal(rows, 2);
			break;
		}
		assert_int_equal(cases, 0);
		assert_int_equal(rows, 0);
	}
	assert_int_equal(n_cases(f), 1);
}

/* ---- answering ----------------------------------------------------------- */

static void the_spouse_confirms_and_the_case_goes_on(void **state)
{
	struct fx *f = *state;
	struct hh_case c = invited(f, NULL), out;
	enum hh_party_fault fault;
	/* nobody else answers for the spouse: not the applicant, not a
	 * stranger (404 both), not staff (403) */
	assert_int_equal(answer(f, f->anna, c.id, 1, &out, &fault), HH_ERR_NOT_FOUND);
	assert_int_equal(answer(f, f->carl, c.id, 1, &out, &fault), HH_ERR_NOT_FOUND);
	assert_int_equal(answer(f, f->bo, c.id + 1000, 1, &out, &fault),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_party_answer(f->st, &f->a, &f->cw_fam, c.id, 1, &out, &fault),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(get(f, c.id).version, c.version);
	/* put the case back in time: the deadline stood while it waited */
	struct hh_case back = get(f, c.id);
	back.paused_since -= 3 * 86400;
	back.state_since -= 3 * 86400;
	put_case(f, &back);
	c = get(f, c.id);
	assert_int_equal(answer(f, f->bo, c.id, 1, &out, &fault), HH_OK);
	assert_int_equal(fault, HH_PARTY_FINE);
	assert_string_equal(out.state, "received");
	assert_int_equal(out.paused_since, 0);
	assert_int_equal(out.deadline_at, c.deadline_at + out.state_since - c.paused_since);
	assert_true(out.deadline_at >= c.deadline_at + 3 * 86400);
	assert_true(out.state_since >= now_s() - 2); /* a wait counts from here */
	assert_int_equal(out.version, c.version + 1);
	struct plist l;
	parties_of(f, c.id, &l);
	assert_string_equal(l.rows[0].status, "confirmed");
	assert_true(l.rows[0].answered_at > 0);
	assert_int_equal(l.rows[0].version, 2);
	assert_int_equal(n_case_events(f, c.id, "party_confirm", NULL, NULL), 1);
	/* twice: 409, nothing written */
	assert_int_equal(answer(f, f->bo, c.id, 1, &out, &fault), HH_ERR_CONFLICT);
	assert_int_equal(fault, HH_PARTY_ANSWERED);
	assert_int_equal(answer(f, f->bo, c.id, 0, &out, &fault), HH_ERR_CONFLICT);
	assert_int_equal(fault, HH_PARTY_ANSWERED);
	assert_int_equal(get(f, c.id).version, c.version + 1);
	parties_of(f, c.id, &l);
	assert_int_equal(l.rows[0].version, 2);
	/* and the caseworker goes on from here */
	move_ok(f, c.id, "granted");
}

static void a_decline_closes_the_case(void **state)
{
	struct fx *f = *state;
	struct hh_case c = invited(f, NULL), out;
	enum hh_party_fault fault;
	assert_int_equal(answer(f, f->bo, c.id, 0, &out, &fault), HH_OK);
	assert_string_equal(out.state, "declined");
	assert_true(out.closed_at > 0);
	struct plist l;
	parties_of(f, c.id, &l);
	assert_string_equal(l.rows[0].status, "declined");
	assert_int_equal(n_case_events(f, c.id, "party_decline", NULL, NULL), 1);
	/* the caseworker cannot go on with it */
	assert_int_equal(move_to(f, &f->cw_fam, c.id, "granted", out.version, &out, NULL),
			 HH_ERR_INVALID);
}

/* p-fix M4: a decline, or an expiry, closes the case and withdraws the
 * other parties' invitations in the same transaction: they are not left
 * "invited" on a closed case. */
static void closing_the_case_withdraws_the_other_invitations(void **state)
{
	struct fx *f = *state;
	struct hh_case c = invited(f, CARL_CPR), out;
	enum hh_party_fault fault;
	assert_int_equal(answer(f, f->bo, c.id, 0, &out, &fault), HH_OK);
	struct plist l;
	parties_of(f, c.id, &l);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.rows[0].status, "declined");
	assert_string_equal(l.rows[1].status, "withdrawn");
	assert_string_equal(hh_party_status_label("withdrawn"),
			    "Ikke besvaret: sagen blev lukket");
	struct hh_invitation v;
	assert_int_equal(hh_invitation_read(f->st, &f->a, CITIZEN(f->carl), c.id, &v),
			 HH_OK);
	assert_string_equal(v.status, "withdrawn");
	json_t *j = hh_invitation_json(&v);
	assert_false(json_is_true(json_object_get(j, "may_answer")));
	json_decref(j);
	assert_int_equal(answer(f, f->carl, c.id, 1, &out, &fault), HH_ERR_CONFLICT);
	/* by expiry: Bo's invitation ran out, Carl's had not */
	struct hh_case d = invited(f, CARL_CPR);
	char sql[160];
	snprintf(sql, sizeof(sql), "UPDATE case_parties SET expires_at = 100 WHERE "
		 "case_id = %lld AND position = 0", (long long)d.id);
	free(tu_sql(f->dir, sql, 0, NULL));
	int n = -1;
	assert_int_equal(hh_parties_expire(f->st, now_s(), 0, &n), HH_OK);
	assert_int_equal(n, 1);
	parties_of(f, d.id, &l);
	assert_string_equal(l.rows[0].status, "expired");
	assert_string_equal(l.rows[1].status, "withdrawn");
	assert_string_equal(get(f, d.id).state, "declined");
}

/* A party named under other answers only ("when"): not invited. */
static void a_party_is_named_only_when_its_condition_holds(void **state)
{
	struct fx *f = *state;
	struct hh_case c;
	const char *why;
	int replayed;
	assert_int_equal(submit_full(f, "parskab", f->anna, 0, NULL,
				     "{\"navn\":\"Anna Andersen\",\"partner_cpr\":\""
				     BO_CPR "\",\"fuldmagt\":\"nej\",\"fuldmagt_cpr\":\""
				     CARL_CPR "\"}",
				     NULL, NULL, &c, &replayed, &why),
			 HH_OK);
	struct plist l;
	assert_int_equal(parties_of(f, c.id, &l), 1);
	assert_string_equal(l.rows[0].role, "spouse");
	enum hh_party_fault fault;
	struct hh_case out;
	assert_int_equal(answer(f, f->carl, c.id, 1, &out, &fault), HH_ERR_NOT_FOUND);
	assert_int_equal(answer(f, f->bo, c.id, 1, &out, &fault), HH_OK);
	assert_string_equal(out.state, "received");
}

/* A child is named (a row, shown to the applicant and staff), never
 * invited, never shown the case, and does not hold it up. */
static void a_child_is_named_never_invited(void **state)
{
	struct fx *f = *state;
	struct hh_case c;
	const char *why;
	int replayed;
	assert_int_equal(submit_full(f, "parskab", f->anna, 0, NULL,
				     "{\"navn\":\"Anna Andersen\",\"partner_cpr\":\""
				     BO_CPR "\",\"barn_cpr\":\"" CARL_CPR "\"}",
				     NULL, NULL, &c, &replayed, &why),
			 HH_OK);
	struct plist l;
	assert_int_equal(parties_of(f, c.id, &l), 2);
	assert_string_equal(l.rows[1].role, "child");
	assert_string_equal(l.rows[1].status, "named");
	assert_int_equal(l.rows[1].expires_at, 0);
	assert_int_equal(l.rows[1].citizen_id, f->carl);
	struct hh_overview ov;
	assert_int_equal(hh_overview_read(f->st, &f->a, CITIZEN(f->carl), 0, &ov), HH_OK);
	assert_int_equal(ov.n_invitations, 0);
	struct hh_invitation v;
	assert_int_equal(hh_invitation_read(f->st, &f->a, CITIZEN(f->carl), c.id, &v),
			 HH_ERR_NOT_FOUND);
	enum hh_party_fault fault;
	struct hh_case out;
	assert_int_equal(answer(f, f->carl, c.id, 1, &out, &fault), HH_ERR_NOT_FOUND);
	/* the spouse's yes is all it waits for */
	assert_int_equal(answer(f, f->bo, c.id, 1, &out, &fault), HH_OK);
	assert_string_equal(out.state, "received");
	/* never due */
	int n = -1;
	assert_int_equal(hh_parties_expire(f->st, now_s() + 400 * 86400, 0, &n), HH_OK);
	assert_int_equal(n, 0);
	/* p-fix 9: a staff read is in the child's audit trail neutrally
	 * (no case, no "part i sagen"); the spouse's names the case */
	struct hh_case_read rd;
	assert_int_equal(hh_case_read(f->st, &f->a, &f->cw_fam, c.id, NULL, &rd), HH_OK);
	struct hh_audit *v2;
	size_t na = audits(f, &v2);
	int child = 0, spouse = 0;
	char want[64];
	snprintf(want, sizeof(want), "sag %lld (part i sagen)", (long long)c.id);
	for (size_t i = 0; i < na; i++) {
		if (v2[i].citizen_id == f->carl) {
			assert_null(strstr(v2[i].what, "sag"));
			assert_non_null(strstr(v2[i].what, "oplysninger om dig hos"));
			child++;
		}
		if (v2[i].citizen_id == f->bo && !strcmp(v2[i].what, want))
			spouse++;
	}
	assert_int_equal(child, 1);
	assert_int_equal(spouse, 1);
}

/* p-fix 9: the party's reads of what the applicant wrote are in the
 * applicant's audit trail; a CPR field is never shared. */
static void the_partys_reads_are_in_the_applicants_audit_trail(void **state)
{
	struct fx *f = *state;
	struct hh_case c = invited(f, NULL);
	struct hh_invitation v;
	assert_int_equal(hh_invitation_read(f->st, &f->a, CITIZEN(f->bo), c.id, &v), HH_OK);
	struct hh_overview ov;
	assert_int_equal(hh_overview_read(f->st, &f->a, CITIZEN(f->bo), 0, &ov), HH_OK);
	struct hh_audit *a;
	size_t na = audits(f, &a);
	char want[96];
	snprintf(want, sizeof(want), "det, du skrev til ægtefælle, i sag %lld",
		 (long long)c.id);
	int n = 0;
	for (size_t i = 0; i < na; i++)
		n += a[i].citizen_id == f->anna && !strcmp(a[i].what, want);
	assert_int_equal(n, 2);
	char err[256];
	struct hh_case_type_def def;
	char *bad = with("\"shared\":[\"navn\",", "\"shared\":[\"partner_cpr\",");
	assert_int_equal(hh_case_type_def_parse(bad, &def, err, sizeof(err)), HH_ERR_INVALID);
	assert_non_null(strstr(err, "is a cpr field"));
	free(bad);
}

static void two_parties_both_confirm(void **state)
{
	struct fx *f = *state;
	struct hh_case c = invited(f, CARL_CPR), out;
	enum hh_party_fault fault;
	struct plist l;
	assert_int_equal(parties_of(f, c.id, &l), 2);
	assert_string_equal(l.rows[1].role, "representative");
	assert_int_equal(l.rows[1].citizen_id, f->carl);
	assert_int_equal(answer(f, f->bo, c.id, 1, &out, &fault), HH_OK);
	assert_string_equal(out.state, "awaiting_parties"); /* carl still */
	assert_int_equal(answer(f, f->carl, c.id, 1, &out, &fault), HH_OK);
	assert_string_equal(out.state, "received");
	assert_int_equal(n_case_events(f, c.id, "party_confirm", NULL, NULL), 2);
}

/* ---- expiry ---------------------------------------------------------------- */

static void no_answer_in_time_closes_the_case(void **state)
{
	struct fx *f = *state;
	struct hh_case c = invited(f, NULL), other = invited(f, NULL), out;
	enum hh_party_fault fault;
	int n = -1;
	/* nothing due yet */
	assert_int_equal(hh_parties_expire(f->st, now_s(), 0, &n), HH_OK);
	assert_int_equal(n, 0);
	/* the invitation of c ran out a second ago */
	char id[32], at[32];
	snprintf(id, sizeof(id), "%lld", (long long)c.id);
	snprintf(at, sizeof(at), "%lld", (long long)(now_s() - 1));
	free(tu_sql(f->dir, "UPDATE case_parties SET expires_at = ?1 WHERE case_id = ?2",
		    2, (struct tu_sql_arg[]){ TU_TEXT(at), TU_TEXT(id) }));
	/* read time: shown as run out before any pass came by */
	struct plist l;
	parties_of(f, c.id, &l);
	assert_string_equal(l.rows[0].status, "invited");
	assert_string_equal(hh_party_status(&l.rows[0], now_s()), "expired");
	assert_string_equal(hh_party_status_label("expired"), "Ikke besvaret i tide");
	/* the pass closes it (from the store: as after a restart) */
	assert_int_equal(hh_parties_expire(f->st, now_s(), 0, &n), HH_OK);
	assert_int_equal(n, 1);
	struct hh_case k = get(f, c.id);
	assert_string_equal(k.state, "declined");
	assert_true(k.closed_at > 0);
	assert_int_equal(n_case_events(f, c.id, "party_expired", NULL, NULL), 1);
	parties_of(f, c.id, &l);
	assert_string_equal(l.rows[0].status, "expired");
	assert_int_equal(hh_parties_expire(f->st, now_s(), 0, &n), HH_OK);
	assert_int_equal(n, 0); /* once */
	/* answering after: 409, nothing written */
	assert_int_equal(answer(f, f->bo, c.id, 1, &out, &fault), HH_ERR_CONFLICT);
	assert_int_equal(fault, HH_PARTY_EXPIRED);
	assert_int_equal(get(f, c.id).version, k.version);
	/* the other case still waits, and is answered */
	assert_string_equal(get(f, other.id).state, "awaiting_parties");
	assert_int_equal(answer(f, f->bo, other.id, 1, &out, &fault), HH_OK);
}

/* Expiry is kept in the store: a server stopped while an invitation ran
 * out closes the case on its first pass after the start. */
static void expiry_holds_after_a_restart(void **state)
{
	struct fx *f = *state;
	struct hh_case c = invited(f, NULL);
	char id[32];
	snprintf(id, sizeof(id), "%lld", (long long)c.id);
	free(tu_sql(f->dir, "UPDATE case_parties SET expires_at = 100 WHERE case_id = ?1",
		    1, (struct tu_sql_arg[]){ TU_TEXT(id) }));
	hh_store_close(f->st);
	f->st = tu_store(f->dir, 2);
	fx_vault(f);
	int n = -1;
	assert_int_equal(hh_parties_expire(f->st, now_s(), 0, &n), HH_OK);
	assert_int_equal(n, 1);
	assert_string_equal(get(f, c.id).state, "declined");
}

static void an_answer_after_expiry_finds_it_closed_even_without_a_pass(void **state)
{
	struct fx *f = *state;
	struct hh_case c = invited(f, NULL), out;
	enum hh_party_fault fault;
	char id[32];
	snprintf(id, sizeof(id), "%lld", (long long)c.id);
	free(tu_sql(f->dir, "UPDATE case_parties SET expires_at = 100 WHERE case_id = ?1",
		    1, (struct tu_sql_arg[]){ TU_TEXT(id) }));
	assert_int_equal(answer(f, f->bo, c.id, 0, &out, &fault), HH_ERR_CONFLICT);
	assert_int_equal(fault, HH_PARTY_EXPIRED);
	assert_string_equal(get(f, c.id).state, "declined");
	assert_int_equal(n_case_events(f, c.id, "party_decline", NULL, NULL), 0);
}

/* ---- all or nothing ----------------------------------------------------------- */

/* An answer and the expiry pass under a store that fails at each call in
 * turn: the party row, the case and the event are written together or
 * not at all.
 *
 * r-agree: the answer half takes a fresh case for each failure point.
 * Before, one case served every point, and the first point (the expiry
 * pass the answer runs first, whose failure is only logged) let the
 * answer through, so the loop ended after that one point and no call of
 * the answer itself ever failed. Now every call n from 1 up is failed
 * once on a case of its own, until n lies past the answer's last call
 * (the answer goes through several times in a row after it refused). */
static void answers_and_expiry_write_all_or_nothing(void **state)
{
	struct fx *f = *state;
	enum hh_party_fault fault;
	int refused = 0, ok_after = 0, n;
	for (n = 1; n < 200 && ok_after < 5; n++) {
		struct hh_case c = invited(f, NULL), out;
		/* sent two days ago: Anna's count of parties named a day
		 * (HH_PARTY_NAMES_PER_DAY) does not end the rounds */
		char id[32];
		snprintf(id, sizeof(id), "%lld", (long long)c.id);
		free(tu_sql(f->dir, "UPDATE cases SET created_at = created_at - 172800 "
			    "WHERE id = ?1", 1, (struct tu_sql_arg[]){ TU_TEXT(id) }));
		hh_store_fault_inject(f->st, n, HH_ERR_IO);
		enum hh_rc rc = answer(f, f->bo, c.id, 1, &out, &fault);
		hh_store_fault_inject(f->st, 0, HH_OK);
		struct plist l;
		parties_of(f, c.id, &l);
		struct hh_case k = get(f, c.id);
		int64_t events = n_case_events(f, c.id, "party_confirm", NULL, NULL);
		if (rc == HH_OK) {
			ok_after += refused > 0;
			assert_string_equal(l.rows[0].status, "confirmed");
			assert_string_equal(k.state, "received");
			assert_int_equal(k.version, c.version + 1);
			assert_int_equal(events, 1);
		} else {
			refused++;
			ok_after = 0;
			assert_string_equal(l.rows[0].status, "invited");
			assert_int_equal(l.rows[0].version, 1);
			assert_string_equal(k.state, "awaiting_parties");
			assert_int_equal(k.version, c.version);
			assert_int_equal(events, 0);
		}
	}
	/* the answer's own calls failed, each on its own case: at least
	 * the reads, the party row, the case and the event */
	assert_true(refused >= 4);
	assert_int_equal(ok_after, 5);
	fprintf(stderr, "answers_and_expiry_write_all_or_nothing: the answer refused "
		"at %d of %d store calls, whole otherwise\n", refused, n - 1);
	int done;
	/* the pass */
	struct hh_case d = invited(f, NULL);
	char id[32];
	snprintf(id, sizeof(id), "%lld", (long long)d.id);
	free(tu_sql(f->dir, "UPDATE case_parties SET expires_at = 100 WHERE case_id = ?1",
		    1, (struct tu_sql_arg[]){ TU_TEXT(id) }));
	done = 0;
	for (n = 1; n < 80 && !done; n++) {
		hh_store_fault_inject(f->st, n, HH_ERR_IO);
		int expired = -1;
		enum hh_rc rc = hh_parties_expire(f->st, now_s(), 0, &expired);
		hh_store_fault_inject(f->st, 0, HH_OK);
		struct plist l;
		parties_of(f, d.id, &l);
		struct hh_case k = get(f, d.id);
		/* a row that failed is skipped (rc OK, none expired) */
		if (rc == HH_OK && expired == 1) {
			done = 1;
			assert_int_equal(expired, 1);
			assert_string_equal(l.rows[0].status, "expired");
			assert_string_equal(k.state, "declined");
		} else {
			assert_string_equal(l.rows[0].status, "invited");
			assert_string_equal(k.state, "awaiting_parties");
			assert_int_equal(k.version, d.version);
		}
	}
	assert_true(done);
}

/* ---- two parties at once ---------------------------------------------------- */

struct racer {
	struct fx *f;
	int64_t who, id;
	int confirm;
	enum hh_rc rc;
	enum hh_party_fault fault;
	pthread_barrier_t *go;
};

static void *race(void *p)
{
	struct racer *r = p;
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_case out;
	pthread_barrier_wait(r->go);
	r->rc = hh_party_answer(r->f->st, &a, CITIZEN(r->who), r->id, r->confirm,
				&out, &r->fault);
	hh_arena_clear(&a);
	return NULL;
}

static void a_confirm_and_a_decline_at_once(void **state)
{
	struct fx *f = *state;
	for (int round = 0; round < 8; round++) {
		struct hh_case c = invited(f, CARL_CPR);
		pthread_barrier_t go;
		pthread_barrier_init(&go, NULL, 2);
		struct racer r[2] = {
			{ f, f->bo, c.id, round % 2, 0, 0, &go },
			{ f, f->carl, c.id, !(round % 2), 0, 0, &go },
		};
		pthread_t t[2];
		for (int i = 0; i < 2; i++)
			pthread_create(&t[i], NULL, race, &r[i]);
		for (int i = 0; i < 2; i++)
			pthread_join(t[i], NULL);
		pthread_barrier_destroy(&go);
		/* whoever came second: recorded too (the case still
		 * waited), or refused with nothing written (it was closed) */
		struct hh_case k = get(f, c.id);
		assert_string_equal(k.state, "declined");
		struct plist l;
		parties_of(f, c.id, &l);
		int answered = 0;
		for (int i = 0; i < 2; i++) {
			if (r[i].rc == HH_OK)
				answered++;
			else if (r[i].rc != HH_ERR_CONFLICT || r[i].fault != HH_PARTY_CLOSED)
				fail_msg("round %d racer %d: %s", round, i, hh_rc_name(r[i].rc));
			const char *want = r[i].rc != HH_OK ? "withdrawn"
					   : r[i].confirm   ? "confirmed"
							    : "declined";
			assert_string_equal(l.rows[i].status, want);
		}
		assert_true(answered >= 1);
		assert_int_equal(n_case_events(f, c.id, "party_decline", NULL, NULL), 1);
		assert_int_equal(n_case_events(f, c.id, "party_confirm", NULL, NULL), answered - 1);
		assert_int_equal(k.version, c.version + answered);
		/* sent two days ago: Anna's count of parties named a day
		 * (HH_PARTY_NAMES_PER_DAY) does not end the rounds */
		char sql[128];
		snprintf(sql, sizeof(sql), "UPDATE cases SET created_at = created_at - "
			 "172800 WHERE id = %lld", (long long)c.id);
		free(tu_sql(f->dir, sql, 0, NULL));
	}
}

/* ---- what the invitee sees ---------------------------------------------------- */

static void the_invitee_sees_the_invitation_and_only_shared_fields(void **state)
{
	struct fx *f = *state;
	struct hh_case c = invited(f, NULL);
	struct hh_overview ov;
	assert_int_equal(hh_overview_read(f->st, &f->a, CITIZEN(f->bo), 0, &ov), HH_OK);
	assert_int_equal(ov.n_invitations, 1);
	assert_int_equal(ov.n_cases, 0); /* not bo's own case */
	const struct hh_invitation *v = &ov.invitations[0];
	assert_int_equal(v->c.id, c.id);
	assert_string_equal(v->status, "invited");
	assert_string_equal(v->decl->label, "Ægtefælle");
	assert_string_equal(v->applicant, "Anna Andersen");
	json_t *j = hh_invitation_json(v);
	char *text = json_dumps(j, JSON_SORT_KEYS);
	assert_non_null(strstr(text, "\"Vielsesdato\""));
	assert_non_null(strstr(text, "\"Dit navn\""));
	assert_null(strstr(text, "indkomst"));  /* the applicant's own */
	assert_null(strstr(text, "312"));
	assert_null(strstr(text, "010190"));    /* no CPR number */
	assert_null(strstr(text, "070761"));
	assert_true(json_is_true(json_object_get(j, "may_answer")));
	free(text);
	json_decref(j);
	/* the one case, read as its party; nobody else is one */
	struct hh_invitation one;
	assert_int_equal(hh_invitation_read(f->st, &f->a, CITIZEN(f->bo), c.id, &one),
			 HH_OK);
	assert_int_equal(one.c.id, c.id);
	assert_int_equal(hh_invitation_read(f->st, &f->a, CITIZEN(f->carl), c.id, &one),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_invitation_read(f->st, &f->a, &f->cw_fam, c.id, &one),
			 HH_ERR_FORBIDDEN);
	/* the applicant's overview has the case, no invitation */
	assert_int_equal(hh_overview_read(f->st, &f->a, CITIZEN(f->anna), 0, &ov), HH_OK);
	assert_int_equal(ov.n_invitations, 0);
	assert_int_equal(ov.n_cases, 1);
	assert_string_equal(ov.cases[0].c.state, "awaiting_parties");
	/* after the answer: no more to answer */
	struct hh_case out;
	enum hh_party_fault fault;
	assert_int_equal(answer(f, f->bo, c.id, 1, &out, &fault), HH_OK);
	assert_int_equal(hh_overview_read(f->st, &f->a, CITIZEN(f->bo), 0, &ov), HH_OK);
	assert_string_equal(ov.invitations[0].status, "confirmed");
	j = hh_invitation_json(&ov.invitations[0]);
	assert_false(json_is_true(json_object_get(j, "may_answer")));
	json_decref(j);
}

/* Name and address protection (0042): a shared address field is shown
 * to the other party, unless the applicant is protected. */
static void a_protected_address_is_never_shown(void **state)
{
	struct fx *f = *state;
	struct hh_case c = invited(f, NULL);
	struct hh_invitation v;
	assert_int_equal(hh_invitation_read(f->st, &f->a, CITIZEN(f->bo), c.id, &v),
			 HH_OK);
	char *text = json_dumps(v.shared, 0);
	assert_non_null(strstr(text, "Skovvej 12"));
	free(text);
	struct hh_tx *tx = x_begin(f->st, 1);
	assert_int_equal(f->st->citizen_protected_set(tx, f->anna, 1), HH_OK);
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
	assert_int_equal(hh_invitation_read(f->st, &f->a, CITIZEN(f->bo), c.id, &v),
			 HH_OK);
	json_t *j = hh_invitation_json(&v);
	text = json_dumps(j, 0);
	assert_null(strstr(text, "Skovvej"));
	assert_null(strstr(text, "fælles adresse"));
	assert_non_null(strstr(text, "Vielsesdato")); /* the rest stays */
	free(text);
	json_decref(j);
	struct hh_overview ov;
	assert_int_equal(hh_overview_read(f->st, &f->a, CITIZEN(f->bo), 0, &ov), HH_OK);
	text = json_dumps(ov.invitations[0].shared, 0);
	assert_null(strstr(text, "Skovvej"));
	free(text);
	/* the applicant still reads her own */
	assert_non_null(strstr(get(f, c.id).data, "Skovvej 12"));
}

/* p-fix 2: one citizen names at most HH_PARTY_NAMES_PER_DAY parties a
 * day (each naming looks a CPR number up in the register); the next is a
 * field error with nothing written. */
static void naming_parties_is_limited_per_day(void **state)
{
	struct fx *f = *state;
	for (int i = 0; i < HH_PARTY_NAMES_PER_DAY; i++)
		invited(f, NULL);
	int64_t rows = n_party_rows(f);
	struct hh_case c;
	assert_int_equal(submit_parskab(f, f->anna, BO_CPR, NULL, &c), HH_ERR_INVALID);
	assert_int_equal(f->res.n_errors, 1);
	assert_string_equal(f->res.errors[0].field, "partner_cpr");
	assert_non_null(strstr(f->res.errors[0].message, "seneste døgn"));
	assert_int_equal(n_party_rows(f), rows);
	/* another citizen is not held back by Anna's count */
	assert_int_equal(submit_parskab(f, f->carl, BO_CPR, NULL, &c), HH_OK);
}

/* p-fix 3: below assurance level substantial a party neither reads what
 * the applicant wrote nor answers (as a form with CPR fields). */
static void answering_needs_substantial(void **state)
{
	struct fx *f = *state;
	struct hh_case c = invited(f, NULL);
	struct hh_actor low = { .label = "citizen", .roles = HH_ROLE_CITIZEN,
				.citizen_id = f->bo, .loa = HH_LOA_LOW };
	struct hh_case out;
	enum hh_party_fault fault;
	assert_int_equal(hh_party_answer(f->st, &f->a, &low, c.id, 1, &out, &fault),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(fault, HH_PARTY_ASSURANCE);
	assert_string_equal(get(f, c.id).state, "awaiting_parties");
	struct hh_invitation v;
	assert_int_equal(hh_invitation_read(f->st, &f->a, &low, c.id, &v), HH_OK);
	assert_true(v.low_assurance);
	assert_int_equal(json_array_size(v.shared), 0);
	struct hh_overview ov;
	assert_int_equal(hh_overview_read(f->st, &f->a, &low, 0, &ov), HH_OK);
	assert_int_equal(ov.n_invitations, 1);
	assert_int_equal(json_array_size(ov.invitations[0].shared), 0);
	/* at substantial: both */
	assert_int_equal(hh_invitation_read(f->st, &f->a, CITIZEN(f->bo), c.id, &v), HH_OK);
	assert_false(v.low_assurance);
	assert_true(json_array_size(v.shared) > 0);
	assert_int_equal(answer(f, f->bo, c.id, 1, &out, &fault), HH_OK);
}

/* p-fix M2: an invitation that cannot be expired (its case type no
 * longer loads) is logged and skipped: the other due invitations still
 * expire, and Mit overblik still reads. */
static void a_broken_row_does_not_stop_the_pass(void **state)
{
	struct fx *f = *state;
	struct hh_case bad = invited(f, NULL), good = invited(f, NULL);
	free(tu_sql(f->dir, "UPDATE case_parties SET expires_at = 100", 0, NULL));
	free(tu_sql(f->dir, "INSERT INTO case_types(code, organisation, name, public, "
			    "definition, updated_at) VALUES ('broken', 'fam', 'Broken', "
			    "0, '{}', 1)", 0, NULL));
	char sql[200];
	snprintf(sql, sizeof(sql), "UPDATE cases SET case_type_id = (SELECT id FROM "
		 "case_types WHERE code = 'broken') WHERE id = %lld", (long long)bad.id);
	free(tu_sql(f->dir, sql, 0, NULL));
	int n = -1;
	assert_int_equal(hh_parties_expire(f->st, now_s(), 0, &n), HH_OK);
	assert_int_equal(n, 1);
	assert_string_equal(get(f, good.id).state, "declined");
	struct plist l;
	parties_of(f, bad.id, &l);
	assert_string_equal(l.rows[0].status, "invited"); /* skipped whole */
	/* a read goes on when the pass itself fails */
	struct hh_overview ov;
	hh_store_fault_inject(f->st, 1, HH_ERR_IO);
	assert_int_equal(hh_overview_read(f->st, &f->a, CITIZEN(f->anna), 0, &ov), HH_OK);
	hh_store_fault_inject(f->st, 0, HH_OK);
}

/* p-fix M5: a paused state written for the applicant ("Afventer dig") is
 * a neutral label for the party; the confirm state keeps its own. */
static void the_party_reads_a_neutral_paused_state(void **state)
{
	struct fx *f = *state;
	struct hh_case c = invited(f, NULL), out;
	enum hh_party_fault fault;
	struct hh_invitation v;
	assert_int_equal(hh_invitation_read(f->st, &f->a, CITIZEN(f->bo), c.id, &v), HH_OK);
	assert_string_equal(hh_invitation_state_label(&v), "Afventer den anden part");
	assert_int_equal(answer(f, f->bo, c.id, 1, &out, &fault), HH_OK);
	char sql[128];
	snprintf(sql, sizeof(sql), "UPDATE cases SET state = 'awaiting_citizen' "
		 "WHERE id = %lld", (long long)c.id);
	free(tu_sql(f->dir, sql, 0, NULL));
	assert_int_equal(hh_invitation_read(f->st, &f->a, CITIZEN(f->bo), c.id, &v), HH_OK);
	assert_string_equal(hh_invitation_state_label(&v), "Sagen venter på ansøgeren");
	json_t *j = hh_invitation_json(&v);
	char *text = json_dumps(j, 0);
	assert_null(strstr(text, "Afventer dig"));
	free(text);
	json_decref(j);
}

static void reimport(struct fx *f, const char *ct);

/* text with its first from replaced by to (new) */
static char *subst(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	assert_non_null(at);
	size_t n = strlen(text) + strlen(to) + 1;
	char *s = malloc(n);
	snprintf(s, n, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
	return s;
}

/* p-fix M6: a case type may send a case whose parties all confirmed
 * straight into a state of its own ("confirmed_state", when its data
 * meets "confirmed_when"): the demo's divorce starts its reflection
 * period there, counted from the confirmation. */
static void confirmation_can_start_the_reflection_period(void **state)
{
	struct fx *f = *state;
	char *a = with("{\"key\":\"granted\"",
		       "{\"key\":\"reflection\",\"label\":\"Refleksionsperiode\","
		       "\"paused\":true},{\"key\":\"granted\"");
	char *b = subst(a, "\"confirm_state\":",
			"\"confirmed_state\":\"reflection\",\"confirmed_when\":"
			"{\"field\":\"vielsesdato\",\"equals\":\"2010-06-12\"},"
			"\"confirm_state\":");
	reimport(f, b);
	struct hh_case c = invited(f, NULL), out;
	enum hh_party_fault fault;
	int64_t before = now_s();
	assert_int_equal(answer(f, f->bo, c.id, 1, &out, &fault), HH_OK);
	assert_string_equal(out.state, "reflection");
	assert_true(out.state_since >= before);
	assert_int_equal(out.closed_at, 0);
	/* the data does not meet confirmed_when: initial, as before */
	char *d = subst(b, "2010-06-12\"}", "1999-01-01\"}");
	reimport(f, d);
	c = invited(f, NULL);
	assert_int_equal(answer(f, f->bo, c.id, 1, &out, &fault), HH_OK);
	assert_string_equal(out.state, "received");
	/* checked at import */
	char err[256];
	struct hh_case_type_def def;
	char *bad = subst(b, "\"confirmed_state\":\"reflection\"",
			  "\"confirmed_state\":\"granted\"");
	assert_int_equal(hh_case_type_def_parse(bad, &def, err, sizeof(err)), HH_ERR_INVALID);
	assert_non_null(strstr(err, "confirmed_state must be"));
	free(bad);
	free(a);
	free(b);
	free(d);
}

/* p-fix M3: the party reads the case type's wording for them where it
 * gives one ("party_labels", "party_options"), the applicant's elsewhere. */
static void the_party_reads_their_own_wording(void **state)
{
	struct fx *f = *state;
	char *v2 = with("\"adresse\"]},",
			"\"adresse\",\"fuldmagt\"],"
			"\"party_labels\":{\"navn\":\"Ansøgerens navn\"},"
			"\"party_options\":{\"fuldmagt\":{\"ja\":\"Ansøgeren har givet "
			"fuldmagt\"}}},");
	reimport(f, v2);
	free(v2);
	struct hh_case c;
	assert_int_equal(submit_parskab(f, f->anna, BO_CPR, CARL_CPR, &c), HH_OK);
	struct hh_invitation v;
	assert_int_equal(hh_invitation_read(f->st, &f->a, CITIZEN(f->bo), c.id, &v), HH_OK);
	char *text = json_dumps(v.shared, 0);
	assert_non_null(strstr(text, "\"Ansøgerens navn\", \"value\": \"Anna Andersen\""));
	assert_null(strstr(text, "Dit navn"));
	assert_non_null(strstr(text, "Ansøgeren har givet fuldmagt"));
	assert_non_null(strstr(text, "Vielsesdato")); /* no wording: the form's */
	free(text);
}

/* Re-imports the content with the parskab case type as ct. */
static void reimport(struct fx *f, const char *ct)
{
	char content[4300];
	snprintf(content, sizeof(content), "%s/content", f->dir);
	put(content, "case-types/parskab.json", ct);
	struct hh_import_stats stats;
	assert_int_equal(hh_content_import(f->st, content, 1, stderr, NULL, NULL,
					   &stats),
			 HH_OK);
}

/* p-fix 1: a party row is matched to its declaration by role, never by
 * position: a re-import that puts another party first (sharing the
 * applicant's income with it) does not show the spouse that party's
 * fields; a re-import that drops the role shares nothing, and says so. */
static void a_reordered_case_type_shares_by_role(void **state)
{
	struct fx *f = *state;
	struct hh_case c = invited(f, NULL);
	/* the representative first, sharing the income */
	static const char rep[] =
		"{\"role\":\"representative\",\"label\":\"Fuldmagtshaver\","
		"   \"cpr_field\":\"fuldmagt_cpr\",\"confirm\":true,\"within\":\"P14D\","
		"   \"when\":{\"field\":\"fuldmagt\",\"equals\":\"ja\"}},";
	char *v1 = with(rep, "");
	const char *at = strstr(v1, "\"parties\":[");
	assert_non_null(at);
	at += strlen("\"parties\":[");
	size_t n = strlen(v1) + 300;
	char *v2 = malloc(n);
	snprintf(v2, n, "%.*s{\"role\":\"representative\",\"label\":\"Fuldmagtshaver\","
		 "\"cpr_field\":\"fuldmagt_cpr\",\"confirm\":true,\"within\":\"P14D\","
		 "\"shared\":[\"indkomst\"]},%s", (int)(at - v1), v1, at);
	reimport(f, v2);
	free(v1);
	struct hh_invitation v;
	assert_int_equal(hh_invitation_read(f->st, &f->a, CITIZEN(f->bo), c.id, &v),
			 HH_OK);
	assert_non_null(v.decl);
	assert_string_equal(v.decl->role, "spouse");
	json_t *j = hh_invitation_json(&v);
	char *text = json_dumps(j, JSON_SORT_KEYS);
	assert_null(strstr(text, "312"));
	assert_null(strstr(text, "indkomst"));
	assert_non_null(strstr(text, "Vielsesdato"));
	assert_non_null(strstr(text, "\"label\": \"Ægtefælle\""));
	assert_true(json_is_false(json_object_get(j, "shared_withheld")));
	free(text);
	json_decref(j);
	/* the applicant's list names the spouse by the spouse's label */
	struct hh_case k = get(f, c.id);
	json_t *ps;
	struct hh_tx *tx = x_begin(f->st, 0);
	const struct hh_case_type_def *def = NULL;
	struct hh_ct_cache cts;
	memset(&cts, 0, sizeof(cts));
	def = hh_ct_cache_get(tx, &f->a, &cts, k.case_type_id);
	assert_non_null(def);
	assert_int_equal(hh_case_parties_json_tx(tx, &f->a, &k, def, now_s(), 1, &ps), HH_OK);
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
	assert_string_equal(json_string_value(json_object_get(json_array_get(ps, 0), "label")),
			    "Ægtefælle");
	json_decref(ps);
	/* the spouse's role no longer declared: nothing shared */
	/* v2 without the spouse (the form's partner_cpr stays) */
	const char *sp = strstr(v2, "{\"role\":\"spouse\"");
	const char *end = strstr(v2, "\"adresse\"]},");
	assert_non_null(sp);
	assert_non_null(end);
	end += strlen("\"adresse\"]},");
	char *v3 = malloc(strlen(v2) + 1);
	snprintf(v3, strlen(v2) + 1, "%.*s%s", (int)(sp - v2), v2, end);
	reimport(f, v3);
	free(v3);
	free(v2);
	assert_int_equal(hh_invitation_read(f->st, &f->a, CITIZEN(f->bo), c.id, &v),
			 HH_OK);
	assert_null(v.decl);
	assert_int_equal(json_array_size(v.shared), 0);
	j = hh_invitation_json(&v);
	assert_true(json_is_true(json_object_get(j, "shared_withheld")));
	assert_string_equal(json_string_value(json_object_get(j, "label")), "Part i sagen");
	json_decref(j);
}

/* The other party's answer is a case.state_changed for the case's
 * organisation's webhooks, without a CPR number. */
static char hook_body[2048];
static int hooks_sent;

static void keep_post(const struct hh_webhook_poster *cls, const char *url, const char *const *headers,
		      int n, const char *body, size_t len, int timeout_s,
		      long *status, char *err, size_t errsz)
{
	(void)cls, (void)url, (void)headers, (void)n, (void)timeout_s, (void)err,
		(void)errsz;
	snprintf(hook_body, sizeof(hook_body), "%.*s", (int)len, body);
	hooks_sent++;
	*status = 200;
}

static void an_answer_is_a_state_change_for_webhooks(void **state)
{
	struct fx *f = *state;
	struct hh_case c = invited(f, NULL), out;
	struct hh_actor admin = { .label = "user:9", .org_id = f->fam,
				  .roles = HH_ROLE_ADMIN };
	const char *types[] = { HH_WH_CASE_STATE };
	struct hh_webhook_input in = { "https://fam.example.org/hook", types, 1, -1 };
	struct hh_webhook_sub sub;
	const char *field;
	assert_int_equal(hh_webhook_subscribe(f->st, &admin, &f->a, &in, 0, &sub,
					      &field), HH_OK);
	enum hh_party_fault fault;
	assert_int_equal(answer(f, f->bo, c.id, 1, &out, &fault), HH_OK);
	struct hh_webhook_poster p = { .post = keep_post, .timeout_s = 10 };
	struct hh_webhook_stats s;
	hooks_sent = 0;
	assert_int_equal(hh_webhooks_deliver(f->st, &p, now_s(), 50, &s), HH_OK);
	assert_int_equal(hooks_sent, 1);
	assert_non_null(strstr(hook_body, "\"action\":\"party_confirm\""));
	assert_non_null(strstr(hook_body, "\"previous_state\":\"awaiting_parties\""));
	assert_non_null(strstr(hook_body, "\"state\":\"received\""));
	assert_null(strstr(hook_body, "010190"));
	assert_null(strstr(hook_body, "070761"));
}

/* Rotating the keys re-seals and re-hashes the parties' CPR numbers too,
 * so the old keys can go. */
static void key_rotation_reseals_the_parties(void **state)
{
	struct fx *f = *state;
	struct hh_case c = invited(f, NULL);
	struct plist l;
	parties_of(f, c.id, &l);
	const char *old_key = l.rows[0].cpr_key;
	struct hh_vault_rotation r;
	char err[256];
	if (hh_vault_rotate(f->st, 2, 0, &r, err, sizeof(err)) != HH_OK)
		fail_msg("rotate: %s", err);
	assert_true(r.dropped);
	assert_true(r.p.parties >= 1);
	parties_of(f, c.id, &l);
	assert_string_equal(l.rows[0].cpr_key, r.seal_id);
	assert_string_not_equal(l.rows[0].cpr_key, old_key);
	assert_string_equal(l.rows[0].cpr_hash_key, r.hash_id);
	const char *plain;
	assert_int_equal(hh_vault_open(hh_vault_of(f->st), &f->a, l.rows[0].cpr, &plain),
			 HH_OK);
	assert_string_equal(plain, BO_CPR);
	unsigned char h[32];
	assert_int_equal(hh_vault_cpr_hash(hh_vault_of(f->st), 0, BO_CPR, h), HH_OK);
	assert_memory_equal(l.rows[0].cpr_hash, h, 32);
	/* and the flow goes on under the new keys */
	struct hh_case out;
	enum hh_party_fault fault;
	assert_int_equal(answer(f, f->bo, c.id, 1, &out, &fault), HH_OK);
}

/* A party type without a key file: never a CPR number in clear. */
static void no_vault_no_parties(void **state)
{
	struct fx *f = *state;
	struct hh_case c;
	assert_int_equal(submit_parskab(f, f->anna, BO_CPR, NULL, &c), HH_ERR_INTERNAL);
	assert_int_equal(n_cases(f), 0);
	assert_int_equal(n_party_rows(f), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parties_are_checked_at_import),
		TP(naming_a_spouse_invites_them),
		TP(wrong_parties_are_refused_and_nothing_is_written),
		TP(the_spouse_confirms_and_the_case_goes_on),
		TP(a_decline_closes_the_case),
		TP(two_parties_both_confirm),
		TP(a_party_is_named_only_when_its_condition_holds),
		TP(a_child_is_named_never_invited),
		TP(no_answer_in_time_closes_the_case),
		TP(an_answer_after_expiry_finds_it_closed_even_without_a_pass),
		TP(expiry_holds_after_a_restart),
		TP(answers_and_expiry_write_all_or_nothing),
		TP(a_confirm_and_a_decline_at_once),
		TP(the_invitee_sees_the_invitation_and_only_shared_fields),
		TP(key_rotation_reseals_the_parties),
		TP(an_answer_is_a_state_change_for_webhooks),
		TP(a_protected_address_is_never_shown),
		TP(a_reordered_case_type_shares_by_role),
		TP(naming_parties_is_limited_per_day),
		TP(answering_needs_substantial),
		TP(a_broken_row_does_not_stop_the_pass),
		TP(closing_the_case_withdraws_the_other_invitations),
		TP(the_party_reads_a_neutral_paused_state),
		TP(the_party_reads_their_own_wording),
		TP(confirmation_can_start_the_reflection_period),
		TP(the_partys_reads_are_in_the_applicants_audit_trail),
		cmocka_unit_test_setup_teardown(no_vault_no_parties, setup_bare, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
