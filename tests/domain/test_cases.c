/* test_cases.c - the life of a case, through the domain layer and the
 * store without HTTP: durations, case type definitions, submission (one
 * transaction with its event, under faults), idempotency, plans, routing
 * to the citizen's municipality, transitions and their rights, versions,
 * pausing for the citizen and overdue cases. Follow-ups, concurrency, the
 * audit log and reads through the access table are in
 * test_case_flows.c; the fixture is in cases_fixture.h. */
#include "cases_fixture.h"
#include "core/dktime.h"
/* ---- durations ---------------------------------------------------------- */

static void iso_durations(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		int64_t seconds;
	} ok[] = {
		{ "P30D", 30 * 86400 },   { "P2W", 14 * 86400 },
		{ "P3M", 90 * 86400 },    { "PT48H", 48 * 3600 },
		{ "P1DT12H", 36 * 3600 }, { "P1Y", 365 * 86400 },
		{ "PT30M", 30 * 60 },     { "PT90S", 90 },
		{ "P1M2DT3H4M5S", 30 * 86400 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5 },
		{ "P0D", 0 },
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		int64_t s = -1;
		if (!hh_iso_duration(ok[i].s, &s))
			fail_msg("%s refused", ok[i].s);
		assert_int_equal(s, ok[i].seconds);
	}
	static const char *const junk[] = {
		"", "P", "PT", "30D", "p30d", "P30", "P30X", "P1H", "PT1D",
		"PT1W", "P1.5D", "P-1D", "P1DT", "PT1HT1M", "P 30D", "P30D ",
		"P999999D", "xP30D", "D30P",
		/* each designator once, largest first */
		"P1D1D", "P1D1Y", "P1W1M", "PT1S1H", "PT1M1H", "P1DT1H1H",
	};
	for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		int64_t s = 12345;
		if (hh_iso_duration(junk[i], &s))
			fail_msg("'%s' taken as a duration", junk[i]);
		assert_int_equal(s, 12345); /* untouched */
	}
	int64_t s;
	assert_false(hh_iso_duration(NULL, &s));
}

/* ---- case type definitions ---------------------------------------------- */

static void case_type_parsing(void **state)
{
	(void)state;
	char err[256];
	struct hh_case_type_def def;
	/* the good ones parse, with their details */
	assert_int_equal(hh_case_type_def_parse(ct_skilsmisse, &def, err, sizeof(err)),
			 HH_OK);
	assert_string_equal(def.name, "Ansøgning om skilsmisse");
	assert_string_equal(def.organisation, "fam");
	assert_string_equal(def.initial, "received");
	assert_int_equal(def.deadline_s, 30 * 86400);
	assert_int_equal(def.public, 1);
	assert_int_equal(def.n_states, 6);
	assert_int_equal(def.n_transitions, 8);
	assert_int_equal(json_array_size(def.fields), 12);
	/* the form is typed once, here */
	assert_true(def.form_def.present);
	assert_int_equal(def.form_def.n_fields, 12);
	assert_string_equal(def.form_def.title, "Skilsmisse");
	const struct hh_form_field *ff = hh_form_field(&def.form_def, "partner_cpr");
	assert_int_equal(ff->type, HH_FIELD_CPR);
	assert_true(ff->required);
	assert_int_equal(ff->when.n_terms, 1);
	assert_string_equal(ff->when.terms[0].field, "gift");
	assert_string_equal(ff->when.terms[0].equals[0], "ja");
	ff = hh_form_field(&def.form_def, "bilag");
	assert_int_equal(ff->type, HH_FIELD_FILE);
	assert_int_equal(ff->max_bytes, 1024);
	assert_int_equal(ff->n_accept, 1);
	assert_int_equal(hh_form_field(&def.form_def, "bolig")->n_options, 2);
	assert_int_equal(hh_form_field(&def.form_def, "navn")->max_length, 60);
	/* and its follow-ups */
	assert_int_equal(def.n_followups, 2);
	assert_string_equal(def.followups[0].state, "granted");
	assert_string_equal(def.followups[0].case_type, "revurdering");
	assert_string_equal(def.followups[0].organisation, "udk");
	assert_string_equal(def.followups[1].when.terms[0].equals[1], "lejer");
	assert_true(hh_ct_state(&def, "granted")->final);
	assert_false(hh_ct_state(&def, "in_progress")->final);
	assert_string_equal(hh_ct_paused(&def)->key, "awaiting_citizen");
	assert_null(hh_ct_state(&def, "nope"));
	const struct hh_ct_transition *t = hh_ct_transition(&def, "received", "in_progress");
	assert_non_null(t);
	assert_string_equal(t->label, "Start behandling");
	assert_true(t->roles & HH_ROLE_CASEWORKER);
	assert_false(t->roles & HH_ROLE_MANAGER);
	assert_true(t->roles & HH_ROLE_ADMIN); /* admins may always */
	/* no label: the target state's */
	assert_string_equal(hh_ct_transition(&def, "received", "reflection")->label,
			    "Refleksionsperiode");
	t = hh_ct_transition(&def, "in_progress", "rejected");
	assert_true((t->roles & (HH_ROLE_CASEWORKER | HH_ROLE_MANAGER)) ==
		    (HH_ROLE_CASEWORKER | HH_ROLE_MANAGER));
	assert_null(hh_ct_transition(&def, "received", "granted"));
	hh_case_type_def_clear(&def);
	assert_int_equal(hh_case_type_def_parse(ct_boernetilskud, &def, err, sizeof(err)),
			 HH_OK);
	/* no role: caseworkers */
	assert_int_equal(hh_ct_transition(&def, "received", "granted")->roles,
			 HH_ROLE_CASEWORKER | HH_ROLE_ADMIN);
	assert_null(hh_ct_paused(&def));
	hh_case_type_def_clear(&def);

	static const struct {
		const char *json, *err;
	} bad[] = {
		{ "{\"name\":", "line 1" },
		{ "{\"organisation\":\"fam\",\"initial\":\"a\",\"deadline\":\"P1D\","
		  "\"states\":[{\"key\":\"a\",\"label\":\"A\"}]}",
		  "name, organisation and initial are required" },
		{ "{\"name\":\"N\",\"initial\":\"a\",\"deadline\":\"P1D\","
		  "\"states\":[{\"key\":\"a\",\"label\":\"A\"}]}",
		  "name, organisation and initial are required" },
		{ "{\"name\":\"N\",\"organisation\":\"fam\",\"deadline\":\"P1D\","
		  "\"states\":[{\"key\":\"a\",\"label\":\"A\"}]}",
		  "name, organisation and initial are required" },
		{ "{\"name\":\"N\",\"organisation\":\"fam\",\"initial\":\"a\","
		  "\"states\":[{\"key\":\"a\",\"label\":\"A\"}]}",
		  "deadline must be an ISO 8601 duration such as P30D" },
		{ "{\"name\":\"N\",\"organisation\":\"fam\",\"initial\":\"a\","
		  "\"deadline\":\"30 dage\",\"states\":[{\"key\":\"a\",\"label\":\"A\"}]}",
		  "deadline must be an ISO 8601 duration such as P30D" },
		{ "{\"name\":\"N\",\"organisation\":\"fam\",\"initial\":\"a\","
		  "\"deadline\":\"P1D\",\"states\":[]}",
		  "states must list 1 to 16 states" },
		{ "{\"name\":\"N\",\"organisation\":\"fam\",\"initial\":\"a\","
		  "\"deadline\":\"P1D\"}",
		  "states must list 1 to 16 states" },
		{ "{\"name\":\"N\",\"organisation\":\"fam\",\"initial\":\"a\","
		  "\"deadline\":\"P1D\",\"states\":[{\"key\":\"a\"}]}",
		  "state 1 needs key and label" },
		{ "{\"name\":\"N\",\"organisation\":\"fam\",\"initial\":\"b\","
		  "\"deadline\":\"P1D\",\"states\":[{\"key\":\"a\",\"label\":\"A\"}]}",
		  "initial 'b' is not a state" },
		{ "{\"name\":\"N\",\"organisation\":\"fam\",\"initial\":\"a\","
		  "\"deadline\":\"P1D\",\"states\":[{\"key\":\"a\",\"label\":\"A\"}],"
		  "\"transitions\":{\"from\":\"a\"}}",
		  "transitions must be a list of at most 48" },
		{ "{\"name\":\"N\",\"organisation\":\"fam\",\"initial\":\"a\","
		  "\"deadline\":\"P1D\",\"states\":[{\"key\":\"a\",\"label\":\"A\"}],"
		  "\"transitions\":[{\"from\":\"a\",\"to\":\"b\"}]}",
		  "transition 1: from and to must be states" },
		{ "{\"name\":\"N\",\"organisation\":\"fam\",\"initial\":\"a\","
		  "\"deadline\":\"P1D\",\"states\":[{\"key\":\"a\",\"label\":\"A\"}],"
		  "\"transitions\":[{\"to\":\"a\"}]}",
		  "transition 1: from and to must be states" },
		{ "{\"name\":\"N\",\"organisation\":\"fam\",\"initial\":\"a\","
		  "\"deadline\":\"P1D\",\"states\":[{\"key\":\"a\",\"label\":\"A\"}],"
		  "\"transitions\":[{\"from\":\"a\",\"to\":\"a\",\"role\":\"boss\"}]}",
		  "transition 1: unknown role 'boss'" },
		{ "{\"name\":\"N\",\"organisation\":\"fam\",\"initial\":\"a\","
		  "\"deadline\":\"P1D\",\"states\":[{\"key\":\"a\",\"label\":\"A\"}],"
		  "\"transitions\":[{\"from\":\"a\",\"to\":\"a\",\"roles\":[\"agent\",1]}]}",
		  "transition 1: unknown role" },
		{ "{\"name\":\"N\",\"organisation\":\"fam\",\"initial\":\"a\","
		  "\"deadline\":\"P1D\",\"states\":[{\"key\":\"a\",\"label\":\"A\"}],"
		  "\"form\":{\"fields\":{}}}",
		  "form.fields must be a list" },
		{ "{\"name\":\"N\",\"organisation\":\"fam\",\"initial\":\"a\","
		  "\"deadline\":\"P1D\",\"states\":[{\"key\":\"a\",\"label\":\"A\"}],"
		  "\"form\":{\"fields\":[{\"name\":\"x\",\"label\":\"X\","
		  "\"type\":\"amount\",\"min\":\"1\"}]}}",
		  "form: field 'x': min and max are numbers" },
		{ "{\"name\":\"N\",\"organisation\":\"fam\",\"initial\":\"a\","
		  "\"deadline\":\"P1D\",\"states\":[{\"key\":\"a\",\"label\":\"A\"}],"
		  "\"form\":{\"fields\":[{\"name\":\"x\",\"label\":\"X\","
		  "\"type\":\"checkbox\"}]}}",
		  "form: field 'x': unknown type" },
		{ "{\"name\":\"N\",\"organisation\":\"fam\",\"initial\":\"a\","
		  "\"deadline\":\"P1D\",\"states\":[{\"key\":\"a\",\"label\":\"A\"}],"
		  "\"followups\":[{\"state\":\"b\",\"case_type\":\"x\"}]}",
		  "followup 1: state must be a state" },
		{ "{\"name\":\"N\",\"organisation\":\"fam\",\"initial\":\"a\","
		  "\"deadline\":\"P1D\",\"states\":[{\"key\":\"a\",\"label\":\"A\"}],"
		  "\"followups\":[{\"state\":\"a\"}]}",
		  "followup 1 needs a case_type" },
		{ "{\"name\":\"N\",\"organisation\":\"fam\",\"initial\":\"a\","
		  "\"deadline\":\"P1D\",\"states\":[{\"key\":\"a\",\"label\":\"A\"}],"
		  "\"followups\":[{\"state\":\"a\",\"case_type\":\"x\","
		  "\"when\":{\"field\":\"boern\",\"equals\":\"ja\"}}]}",
		  "followup 1: when names no other field" },
		{ "{\"name\":\"N\",\"organisation\":\"fam\",\"initial\":\"a\","
		  "\"deadline\":\"P1D\",\"states\":[{\"key\":\"a\",\"label\":\"A\"}],"
		  "\"followups\":{}}",
		  "followups must be a list of at most 8" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = 0;
		if (hh_case_type_def_parse(bad[i].json, &def, err, sizeof(err)) !=
		    HH_ERR_INVALID)
			fail_msg("case %zu accepted", i);
		if (!strstr(err, bad[i].err))
			fail_msg("case %zu: '%s', wanted '%s'", i, err, bad[i].err);
		/* a failed parse leaves nothing to clear */
		assert_null(def.root);
	}
	/* 16 states fit, 17 are one too many */
	for (int n = HH_CT_STATES; n <= HH_CT_STATES + 1; n++) {
		json_t *j = json_pack("{s:s, s:s, s:s, s:s}", "name", "N",
				      "organisation", "fam", "initial", "s0",
				      "deadline", "P1D");
		json_t *states = json_array();
		for (int i = 0; i < n; i++) {
			char key[16];
			snprintf(key, sizeof(key), "s%d", i);
			json_array_append_new(states, json_pack("{s:s, s:s}", "key",
								key, "label", "L"));
		}
		json_object_set_new(j, "states", states);
		enum hh_rc rc = hh_case_type_def_from(j, &def, err, sizeof(err));
		if (n == HH_CT_STATES) {
			assert_int_equal(rc, HH_OK);
			assert_int_equal(def.n_states, n);
			hh_case_type_def_clear(&def);
		} else {
			assert_int_equal(rc, HH_ERR_INVALID);
			assert_string_equal(err, "states must list 1 to 16 states");
		}
		json_decref(j);
	}
}

/* ---- submission --------------------------------------------------------- */

static void submit_makes_case_and_event(void **state)
{
	struct fx *f = *state;
	int64_t before = now_s();
	struct hh_case c = submit_ok(f, "skilsmisse", f->anna, 0, NULL);
	int64_t after = now_s();
	assert_true(c.id > 0);
	assert_int_equal(c.version, 1);
	assert_string_equal(c.state, "received");
	assert_string_equal(c.state_label, "Modtaget");
	assert_string_equal(c.case_type_code, "skilsmisse");
	assert_string_equal(c.org_code, "fam");
	assert_int_equal(c.org_id, f->fam);
	assert_int_equal(c.citizen_id, f->anna);
	assert_string_equal(c.citizen_name, "Anna Andersen");
	assert_int_equal(c.plan_id, 0);
	assert_int_equal(c.parent_case_id, 0);
	assert_int_equal(c.paused_since, 0);
	assert_int_equal(c.closed_at, 0);
	assert_true(c.created_at >= before && c.created_at <= after);
	assert_int_equal(c.deadline_at, c.created_at + 30 * 86400);
	/* the normalised values are what is stored */
	json_t *data = json_loads(c.data, 0, NULL);
	json_t *want = json_loads("{\"navn\":\"Anna Andersen\",\"gift\":\"nej\"}", 0, NULL);
	assert_true(json_equal(data, want));
	json_decref(data);
	json_decref(want);
	/* one submit event with the state and the case type */
	struct hh_event *ev;
	assert_int_equal(tu_events(f->st, &f->a, "case", c.id, &ev), 1);
	assert_int_equal(ev[0].org_id, f->fam);
	assert_int_equal(n_case_events(f, c.id, "submit",
				       hh_arena_printf(&f->a, "citizen:%lld",
						       (long long)f->anna),
				       "after.state", "received",
				       "after.case_type", "skilsmisse",
				       "after.version", "1", NULL),
			 1);
	assert_int_equal(n_case_events(f, 0, NULL, NULL, NULL), 1);

	/* with a file: its bytes are stored with the case */
	const char *pdf_b64 = "JVBERi0xLjQK"; /* "%PDF-1.4\n" */
	char values[512];
	snprintf(values, sizeof(values),
		 "{\"navn\":\"Bo\",\"gift\":\"ja\",\"partner_cpr\":\"0707614285\","
		 "\"antal\":\"2,5\",\"bilag\":{\"name\":\"dom.pdf\",\"content_type\":"
		 "\"application/pdf\",\"data\":\"%s\"}}",
		 pdf_b64);
	struct hh_case c2;
	const char *why;
	int replayed;
	assert_int_equal(submit_full(f, "skilsmisse", f->bo, 0, NULL, values, NULL,
				     NULL, &c2, &replayed, &why),
			 HH_OK);
	struct hh_case_file *files;
	assert_int_equal(case_files(f, c2.id, &files), 1);
	assert_string_equal(files[0].field, "bilag");
	assert_string_equal(files[0].name, "dom.pdf");
	assert_string_equal(files[0].content_type, "application/pdf");
	assert_int_equal(files[0].size, 9);
	assert_memory_equal(files[0].data, "%PDF-1.4\n", 9);
	data = json_loads(c2.data, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(data, "partner_cpr")),
			    "070761-4285");
	assert_true(json_real_value(json_object_get(data, "antal")) == 2.5);
	assert_int_equal(json_integer_value(json_object_get(
				 json_object_get(data, "bilag"), "size")),
			 9);
	assert_null(json_object_get(json_object_get(data, "bilag"), "data"));
	json_decref(data);
}

static void submit_refusals_write_nothing(void **state)
{
	struct fx *f = *state;
	struct hh_case c;
	const char *why;
	int replayed;
	/* form errors: the messages, no case */
	json_t *v = json_loads("{\"navn\":\"A\",\"gift\":\"ja\",\"hack\":1}", 0, NULL);
	struct hh_submission sub = { .case_type = "skilsmisse", .citizen_id = f->anna,
				     .municipality_id = f->m901, .values = v,
				     .actor = "citizen:1", .loa = HH_LOA_SUBSTANTIAL };
	assert_int_equal(hh_case_submit(f->st, &f->a, &sub, &f->res, &c, &replayed, &why, NULL),
			 HH_ERR_INVALID);
	assert_int_equal(f->res.n_errors, 3);
	assert_string_equal(hh_form_error_for(&f->res, "navn"), "Skriv mindst 2 tegn.");
	assert_string_equal(hh_form_error_for(&f->res, "partner_cpr"),
			    "Feltet skal udfyldes.");
	assert_string_equal(hh_form_error_for(&f->res, "hack"),
			    "Feltet findes ikke i blanketten.");
	json_decref(f->res.values);
	json_decref(v);
	/* an unknown case type */
	assert_int_equal(submit_full(f, "findes-ikke", f->anna, 0, NULL, "{}", NULL,
				     NULL, &c, &replayed, &why),
			 HH_ERR_INVALID);
	assert_string_equal(why, "case_type");
	assert_int_equal(f->res.n_errors, 0);
	/* a case type not open to the public, where only those may be used */
	json_t *empty = json_object();
	struct hh_submission pub = { .case_type = "revurdering", .citizen_id = f->anna,
				     .values = empty, .actor = "token:1",
				     .public_only = 1, .loa = HH_LOA_SUBSTANTIAL };
	assert_int_equal(hh_case_submit(f->st, &f->a, &pub, &f->res, &c, &replayed, &why, NULL),
			 HH_ERR_INVALID);
	assert_string_equal(why, "case_type");
	json_decref(f->res.values);
	/* ... which staff paths may still use */
	pub.public_only = 0;
	assert_int_equal(hh_case_submit(f->st, &f->a, &pub, &f->res, &c, &replayed, &why, NULL),
			 HH_OK);
	assert_int_equal(c.org_id, f->udk);
	json_decref(f->res.values);
	json_decref(empty);
	assert_int_equal(n_cases(f), 1);
	assert_int_equal(n_case_events(f, 0, NULL, NULL, NULL), 1);
}

/* The counts that must move together. */
struct counts {
	int64_t cases, submits, idem, files, events;
};

static struct counts counts(struct fx *f)
{
	struct hh_case_file *files;
	struct counts c = {
		n_cases(f),
		n_case_events(f, 0, "submit", NULL, NULL),
		0,
		(int64_t)case_files(f, 0, &files),
		0,
	};
	/* the keys submit_under_faults uses */
	c.idem += has_key(f, "citizen:1", "key-io");
	for (int i = 1; i <= 20; i++)
		c.idem += has_key(f, "citizen:1",
				  hh_arena_printf(&f->a, "key-busy-%d", i));
	/* no case without its event; an event without its case would show
	 * in the count of all events (the callers compare it) */
	struct hh_case *cs;
	size_t n = all_cases(f, &cs);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(n_case_events(f, cs[i].id, "submit", NULL, NULL),
				 1);
	c.events = tu_event_count(f->st);
	return c;
}

static void submit_under_faults(void **state)
{
	struct fx *f = *state;
	int64_t plan = plan_for(f, f->anna, "{\"gift\":\"ja\"}");
	const char *values = "{\"navn\":\"Anna\",\"gift\":\"nej\",\"bilag\":{\"name\":"
			     "\"a.pdf\",\"content_type\":\"application/pdf\","
			     "\"data\":\"JVBERi0xLjQK\"}}";
	/* IO at call n: the case, its event, its file and its key are all
	 * there or none is */
	int n, sites = 0;
	struct hh_case c;
	int replayed;
	const char *why;
	struct counts base = counts(f);
	for (n = 1; n < 100; n++) {
		hh_store_fault_inject(f->st, n, HH_ERR_IO);
		enum hh_rc rc = submit_full(f, "skilsmisse", f->anna, plan, "ansoeg",
					    values, "citizen:1", "key-io", &c,
					    &replayed, &why);
		hh_store_fault_inject(f->st, 0, HH_OK);
		struct counts k = counts(f);
		if (rc == HH_OK) {
			assert_int_equal(replayed, 0);
			assert_int_equal(k.cases, 1);
			assert_int_equal(k.submits, 1);
			assert_int_equal(k.idem, 1);
			assert_int_equal(k.files, 1);
			assert_int_equal(k.events, base.events + 1);
			break;
		}
		assert_int_equal(rc, HH_ERR_IO);
		sites++;
		assert_int_equal(k.cases, 0);
		assert_int_equal(k.submits, 0);
		assert_int_equal(k.idem, 0);
		assert_int_equal(k.files, 0);
		assert_int_equal(k.events, base.events);
	}
	/* begin, idempotency_get, case_type_get_by_code, plan_get,
	 * org_get_by_code, journal_serial_next, case_insert,
	 * case_file_insert, event_append, idempotency_put, case_get, commit */
	assert_int_equal(sites, 12);
	/* the key made it: a repeat is a replay */
	struct hh_case again;
	assert_int_equal(submit_full(f, "skilsmisse", f->anna, plan, "ansoeg", values,
				     "citizen:1", "key-io", &again, &replayed, &why),
			 HH_OK);
	assert_int_equal(replayed, 1);
	assert_int_equal(again.id, c.id);

	/* BUSY at every call site: retried, and written exactly once */
	for (n = 1; n <= sites + 1; n++) {
		struct counts k0 = counts(f);
		char key[32];
		snprintf(key, sizeof(key), "key-busy-%d", n);
		hh_store_fault_inject(f->st, n, HH_ERR_BUSY);
		enum hh_rc rc = submit_full(f, "skilsmisse", f->anna, plan, "ansoeg",
					    values, "citizen:1", key, &c, &replayed,
					    &why);
		hh_store_fault_inject(f->st, 0, HH_OK);
		assert_int_equal(rc, HH_OK);
		assert_int_equal(replayed, 0);
		struct counts k = counts(f);
		assert_int_equal(k.cases, k0.cases + 1);
		assert_int_equal(k.submits, k0.submits + 1);
		assert_int_equal(k.idem, k0.idem + 1);
		assert_int_equal(k.files, k0.files + 1);
		assert_int_equal(k.events, k0.events + 1);
		assert_int_equal(c.version, 1);
		struct hh_case_file *files;
		assert_int_equal(case_files(f, c.id, &files), 1);
	}
}

static void idempotency(void **state)
{
	struct fx *f = *state;
	struct hh_case a, b, c, d;
	int replayed;
	const char *why;
	assert_int_equal(submit_full(f, "skilsmisse", f->anna, 0, NULL, ok_values,
				     "citizen:1", "k1", &a, &replayed, &why),
			 HH_OK);
	assert_int_equal(replayed, 0);
	/* the same scope and key: the same case, replayed, nothing new */
	assert_int_equal(submit_full(f, "skilsmisse", f->anna, 0, NULL, ok_values,
				     "citizen:1", "k1", &b, &replayed, &why),
			 HH_OK);
	assert_int_equal(replayed, 1);
	assert_int_equal(b.id, a.id);
	assert_int_equal(b.version, a.version);
	assert_string_equal(b.state, a.state);
	assert_int_equal(n_cases(f), 1);
	assert_int_equal(n_case_events(f, 0, NULL, NULL, NULL), 1);
	/* a replay answers with the case as it is now */
	move_ok(f, a.id, "in_progress");
	assert_int_equal(submit_full(f, "skilsmisse", f->anna, 0, NULL, ok_values,
				     "citizen:1", "k1", &b, &replayed, &why),
			 HH_OK);
	assert_int_equal(replayed, 1);
	assert_int_equal(b.id, a.id);
	assert_string_equal(b.state, "in_progress");
	/* another key: a new case */
	assert_int_equal(submit_full(f, "skilsmisse", f->anna, 0, NULL, ok_values,
				     "citizen:1", "k2", &c, &replayed, &why),
			 HH_OK);
	assert_int_equal(replayed, 0);
	assert_int_not_equal(c.id, a.id);
	/* the same key in another scope: a new case */
	assert_int_equal(submit_full(f, "skilsmisse", f->bo, 0, NULL, ok_values,
				     "citizen:2", "k1", &d, &replayed, &why),
			 HH_OK);
	assert_int_equal(replayed, 0);
	assert_int_not_equal(d.id, a.id);
	assert_int_not_equal(d.id, c.id);
	assert_int_equal(d.citizen_id, f->bo);
	/* no key: every submission is new */
	struct hh_case e1 = submit_ok(f, "skilsmisse", f->anna, 0, NULL);
	struct hh_case e2 = submit_ok(f, "skilsmisse", f->anna, 0, NULL);
	assert_int_not_equal(e1.id, e2.id);
	assert_int_equal(n_cases(f), 5);
	/* the three keys used are stored */
	assert_true(has_key(f, "citizen:1", "k1"));
	assert_true(has_key(f, "citizen:1", "k2"));
	assert_true(has_key(f, "citizen:2", "k1"));
	assert_false(has_key(f, "citizen:2", "k2"));
	/* a refused submission stores no key: fixing the form and sending
	 * again with the same key creates the case */
	assert_int_equal(submit_full(f, "skilsmisse", f->anna, 0, NULL, "{}",
				     "citizen:1", "k3", &a, &replayed, &why),
			 HH_ERR_INVALID);
	assert_int_equal(submit_full(f, "skilsmisse", f->anna, 0, NULL, ok_values,
				     "citizen:1", "k3", &a, &replayed, &why),
			 HH_OK);
	assert_int_equal(replayed, 0);
}

static void plan_ownership(void **state)
{
	struct fx *f = *state;
	int64_t annas = plan_for(f, f->anna, "{\"gift\":\"ja\",\"boern\":\"ja\"}");
	struct hh_case c;
	int replayed;
	const char *why;
	/* someone else's plan */
	assert_int_equal(submit_full(f, "skilsmisse", f->bo, annas, "ansoeg",
				     ok_values, NULL, NULL, &c, &replayed, &why),
			 HH_ERR_INVALID);
	assert_string_equal(why, "plan_id");
	/* a plan that does not exist */
	assert_int_equal(submit_full(f, "skilsmisse", f->anna, annas + 100, "ansoeg",
				     ok_values, NULL, NULL, &c, &replayed, &why),
			 HH_ERR_INVALID);
	assert_string_equal(why, "plan_id");
	assert_int_equal(n_cases(f), 0);
	/* one's own */
	c = submit_ok(f, "skilsmisse", f->anna, annas, "ansoeg");
	assert_int_equal(c.plan_id, annas);
	assert_string_equal(c.step, "ansoeg");
	/* the plan shows the step as submitted */
	json_t *view;
	assert_int_equal(hh_plan_view(f->st, &f->a, f->anna, annas, &view), HH_OK);
	json_t *steps = json_object_get(view, "steps");
	assert_int_equal(json_array_size(steps), 3); /* gift, boern, and info */
	assert_string_equal(json_string_value(json_object_get(json_array_get(steps, 0),
							      "state")),
			    "submitted");
	assert_string_equal(json_string_value(json_object_get(json_array_get(steps, 1),
							      "state")),
			    "not_started");
	assert_string_equal(json_string_value(json_object_get(json_array_get(steps, 2),
							      "state")),
			    "info");
	json_decref(view);
	/* and is nobody else's to view */
	assert_int_equal(hh_plan_view(f->st, &f->a, f->bo, annas, &view),
			 HH_ERR_NOT_FOUND);
}

static void municipality_routing(void **state)
{
	struct fx *f = *state;
	struct hh_case a = submit_ok(f, "boernetilskud", f->anna, 0, NULL);
	assert_int_equal(a.org_id, f->m901);
	assert_string_equal(a.org_code, "901");
	assert_int_equal(a.deadline_at, a.created_at + 14 * 86400);
	struct hh_case b = submit_ok(f, "boernetilskud", f->bo, 0, NULL);
	assert_int_equal(b.org_id, f->m902);
	/* no municipality known: a clear refusal, nothing written */
	struct hh_case c;
	int replayed;
	const char *why;
	assert_int_equal(submit_full(f, "boernetilskud", f->carl, 0, NULL,
				     "{\"antal\":1}", "citizen:3", "k", &c,
				     &replayed, &why),
			 HH_ERR_INVALID);
	assert_string_equal(why, "municipality");
	assert_int_equal(f->res.n_errors, 0);
	assert_int_equal(n_cases(f), 2);
	assert_false(has_key(f, "citizen:3", "k")); /* the only key used */
	/* a case type at a named organisation does not need one */
	struct hh_case d = submit_ok(f, "skilsmisse", f->carl, 0, NULL);
	assert_int_equal(d.org_id, f->fam);
}

/* ---- transitions -------------------------------------------------------- */

static void transitions(void **state)
{
	struct fx *f = *state;
	struct hh_case c = submit_ok(f, "skilsmisse", f->anna, 0, NULL), out;
	int64_t deadline = c.deadline_at;
	/* allowed */
	assert_int_equal(hh_case_transition(f->st, &f->a, &f->cw_fam, c.id,
					    "in_progress", 1, "Vi går i gang",
					    &out, NULL),
			 HH_OK);
	assert_string_equal(out.state, "in_progress");
	assert_string_equal(out.state_label, "Under behandling");
	assert_int_equal(out.version, 2);
	assert_int_equal(out.deadline_at, deadline);
	assert_int_equal(out.closed_at, 0);
	assert_int_equal(n_case_events(f, c.id, "transition", "user:1",
				       "before.state", "received",
				       "before.version", "1",
				       "after.state", "in_progress",
				       "after.version", "2",
				       "after.note", "Vi går i gang", NULL),
			 1);
	int64_t events = tu_event_count(f->st);
	/* not in the case type */
	assert_int_equal(move_to(f, &f->cw_fam, c.id, "reflection", 2, &out, NULL),
			 HH_ERR_INVALID);
	assert_int_equal(move_to(f, &f->cw_fam, c.id, "nowhere", 2, &out, NULL),
			 HH_ERR_INVALID);
	assert_int_equal(move_to(f, &f->cw_fam, c.id, "in_progress", 2, &out, NULL),
			 HH_ERR_INVALID);
	/* a role that may not: only a manager sends a case back */
	assert_int_equal(move_to(f, &f->cw_fam, c.id, "received", 2, &out, NULL),
			 HH_ERR_FORBIDDEN);
	/* a manager may not grant */
	assert_int_equal(move_to(f, &f->mgr_fam, c.id, "granted", 2, &out, NULL),
			 HH_ERR_FORBIDDEN);
	/* another organisation's caseworker, or an editor of this one, does
	 * not see the case at all */
	assert_int_equal(move_to(f, &f->cw_udk, c.id, "granted", 2, &out, NULL),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(move_to(f, &f->cw_901, c.id, "granted", 2, &out, NULL),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(move_to(f, &f->ed_fam, c.id, "granted", 2, &out, NULL),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(move_to(f, &f->cw_fam, c.id + 1000, "granted", 2, &out, NULL),
			 HH_ERR_NOT_FOUND);
	/* a stale version: CONFLICT, nothing written */
	assert_int_equal(move_to(f, &f->cw_fam, c.id, "granted", 1, &out, NULL),
			 HH_ERR_CONFLICT);
	assert_int_equal(tu_event_count(f->st), events);
	struct hh_case now = get(f, c.id);
	assert_string_equal(now.state, "in_progress");
	assert_int_equal(now.version, 2);
	/* the manager's own transition */
	assert_int_equal(move_to(f, &f->mgr_fam, c.id, "received", 2, &out, NULL),
			 HH_OK);
	assert_int_equal(out.version, 3);
	move_ok(f, c.id, "in_progress");
	/* a final state closes the case */
	int64_t t0 = now_s();
	out = move_ok(f, c.id, "granted");
	assert_true(out.closed_at >= t0 && out.closed_at <= now_s());
	assert_false(hh_case_overdue(&out, out.deadline_at + 1));
	/* nothing leaves a final state */
	assert_int_equal(move_to(f, &f->cw_fam, c.id, "in_progress", out.version,
				 &out, NULL),
			 HH_ERR_INVALID);
	assert_int_equal(hh_case_request(f->st, &f->a, &f->cw_fam, c.id, "Spørgsmål?",
					 get(f, c.id).version, &out),
			 HH_ERR_INVALID);
	/* the rejection is final too, for a manager as for a caseworker */
	struct hh_case r = submit_ok(f, "skilsmisse", f->anna, 0, NULL);
	move_ok(f, r.id, "in_progress");
	assert_int_equal(move_to(f, &f->mgr_fam, r.id, "rejected", 2, &out, NULL),
			 HH_OK);
	assert_true(out.closed_at > 0);
	/* a system actor (the command line) may do any allowed move */
	struct hh_actor cli = { .label = "cli", .system = 1, .roles = HH_ROLE_ADMIN };
	struct hh_case s = submit_ok(f, "skilsmisse", f->anna, 0, NULL);
	assert_int_equal(move_to(f, &cli, s.id, "in_progress", 1, &out, NULL), HH_OK);
}

static void notes_and_assignment(void **state)
{
	struct fx *f = *state;
	struct hh_case c = submit_ok(f, "skilsmisse", f->anna, 0, NULL), out;
	/* a note is an event; the version stays */
	assert_int_equal(hh_case_note(f->st, &f->a, &f->cw_fam, c.id, "Ringet op"),
			 HH_OK);
	assert_int_equal(get(f, c.id).version, 1);
	assert_int_equal(n_case_events(f, 0, "note", NULL, "after.note",
				       "Ringet op", NULL),
			 1);
	assert_int_equal(hh_case_note(f->st, &f->a, &f->cw_udk, c.id, "x"),
			 HH_ERR_NOT_FOUND);
	/* assignment needs a real user */
	struct hh_user u = { .org_id = f->fam, .email = "cw@fam", .name = "Clara",
			     .password_hash = "x", .roles = HH_ROLE_CASEWORKER };
	struct hh_tx *tx = x_begin(f->st, 1);
	assert_int_equal(f->st->user_insert(tx, &u), HH_OK);
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
	assert_int_equal(hh_case_assign(f->st, &f->a, &f->cw_fam, c.id, u.id, 1, &out),
			 HH_OK);
	assert_int_equal(out.assigned_to, u.id);
	assert_string_equal(out.assigned_name, "Clara");
	assert_int_equal(out.version, 2);
	assert_int_equal(hh_case_assign(f->st, &f->a, &f->cw_fam, c.id, 0, 1, &out),
			 HH_ERR_CONFLICT);
	assert_int_equal(hh_case_assign(f->st, &f->a, &f->cw_udk, c.id, 0, 2, &out),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_case_assign(f->st, &f->a, &f->cw_fam, c.id, 0, 2, &out),
			 HH_OK);
	assert_int_equal(out.assigned_to, 0);
	assert_null(out.assigned_name);
	/* a closed case is not assigned */
	move_ok(f, c.id, "in_progress");
	struct hh_case g = move_ok(f, c.id, "granted");
	assert_int_equal(hh_case_assign(f->st, &f->a, &f->cw_fam, c.id, u.id,
					g.version, &out),
			 HH_ERR_INVALID);
}

/* ---- pausing ------------------------------------------------------------ */

static void pausing_moves_the_deadline(void **state)
{
	struct fx *f = *state;
	struct hh_case c = submit_ok(f, "skilsmisse", f->anna, 0, NULL), out;
	move_ok(f, c.id, "in_progress");
	int64_t deadline = get(f, c.id).deadline_at;
	/* the request pauses the clock */
	int64_t t0 = now_s();
	assert_int_equal(hh_case_request(f->st, &f->a, &f->cw_fam, c.id,
					 "Send vielsesattesten", 2, &out),
			 HH_OK);
	assert_string_equal(out.state, "awaiting_citizen");
	assert_true(out.paused_since >= t0 && out.paused_since <= now_s());
	assert_int_equal(out.deadline_at, deadline);
	assert_int_equal(out.version, 3);
	assert_int_equal(n_case_events(f, 0, "request", NULL, "after.question",
				       "Send vielsesattesten", "before.state",
				       "in_progress", NULL),
			 1);
	/* a paused case is not overdue, however late */
	struct hh_case late = out;
	late.deadline_at = now_s() - 86400;
	assert_false(hh_case_overdue(&late, now_s()));
	/* three days pass */
	struct hh_case p = get(f, c.id);
	p.paused_since -= 3 * 86400;
	int64_t paused_since = p.paused_since;
	put_case(f, &p);
	/* nobody else answers, and only the citizen answers */
	assert_int_equal(hh_case_answer(f->st, &f->a, CITIZEN(f->bo), c.id, "Her", &out),
			 HH_ERR_NOT_FOUND);
	/* the answer resumes where the case was, with the deadline moved on */
	assert_int_equal(hh_case_answer(f->st, &f->a, CITIZEN(f->anna), c.id,
					"Attesten er vedhæftet", &out),
			 HH_OK);
	int64_t t1 = now_s();
	assert_string_equal(out.state, "in_progress");
	assert_int_equal(out.paused_since, 0);
	assert_true(out.deadline_at >= deadline + (t0 - paused_since) &&
		    out.deadline_at <= deadline + (t1 - paused_since));
	assert_true(out.deadline_at >= deadline + 3 * 86400);
	assert_int_equal(n_case_events(f, 0, "answer",
				       hh_arena_printf(&f->a, "citizen:%lld",
						       (long long)f->anna),
				       "after.answer", "Attesten er vedhæftet",
				       NULL),
			 1);
	/* not paused: nothing to answer */
	assert_int_equal(hh_case_answer(f->st, &f->a, CITIZEN(f->anna), c.id, "Igen", &out),
			 HH_ERR_INVALID);
	/* a request needs a state to pause in, an open case, and the right */
	struct hh_case now = get(f, c.id);
	assert_int_equal(hh_case_request(f->st, &f->a, &f->mgr_fam, c.id, "?",
					 now.version, &out),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(hh_case_request(f->st, &f->a, &f->cw_udk, c.id, "?",
					 now.version, &out),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_case_request(f->st, &f->a, &f->cw_fam, c.id, "?",
					 now.version - 1, &out),
			 HH_ERR_CONFLICT);
	struct hh_case u = submit_ok(f, "uden-pause", f->anna, 0, NULL);
	assert_int_equal(u.deadline_at, u.created_at + 36 * 3600);
	assert_int_equal(hh_case_request(f->st, &f->a, &f->cw_fam, u.id, "?", 1, &out),
			 HH_ERR_INVALID);
	/* a second request while paused */
	assert_int_equal(hh_case_request(f->st, &f->a, &f->cw_fam, c.id, "?",
					 now.version, &out),
			 HH_OK);
	assert_int_equal(hh_case_request(f->st, &f->a, &f->cw_fam, c.id, "??",
					 out.version, &out),
			 HH_ERR_INVALID);
}

/* A request from the first state resumes there; a paused state the
 * caseworker moved to resumes where it came from; and a citizen cannot
 * end a pause nobody asked them about. */
static void resume_states(void **state)
{
	struct fx *f = *state;
	struct hh_case out;
	/* requested while received: back to received */
	struct hh_case a = submit_ok(f, "skilsmisse", f->anna, 0, NULL);
	assert_int_equal(hh_case_request(f->st, &f->a, &f->cw_fam, a.id, "?", 1, &out),
			 HH_OK);
	assert_int_equal(hh_case_answer(f->st, &f->a, CITIZEN(f->anna), a.id, "!", &out), HH_OK);
	assert_string_equal(out.state, "received");
	/* moved to awaiting_citizen by a transition: back to in_progress */
	struct hh_case b = submit_ok(f, "skilsmisse", f->anna, 0, NULL);
	move_ok(f, b.id, "in_progress");
	move_ok(f, b.id, "awaiting_citizen");
	assert_true(get(f, b.id).paused_since > 0);
	assert_int_equal(hh_case_answer(f->st, &f->a, CITIZEN(f->anna), b.id, "!", &out), HH_OK);
	assert_string_equal(out.state, "in_progress");
	/* an older request does not decide a later pause */
	struct hh_case c = submit_ok(f, "skilsmisse", f->anna, 0, NULL);
	assert_int_equal(hh_case_request(f->st, &f->a, &f->cw_fam, c.id, "?", 1, &out),
			 HH_OK);
	assert_int_equal(hh_case_answer(f->st, &f->a, CITIZEN(f->anna), c.id, "!", &out), HH_OK);
	assert_string_equal(out.state, "received");
	move_ok(f, c.id, "in_progress");
	move_ok(f, c.id, "awaiting_citizen");
	assert_int_equal(hh_case_answer(f->st, &f->a, CITIZEN(f->anna), c.id, "!", &out), HH_OK);
	assert_string_equal(out.state, "in_progress");
	/* the reflection period is paused, but not waiting for the citizen */
	struct hh_case d = submit_ok(f, "skilsmisse", f->anna, 0, NULL);
	struct hh_case r = move_ok(f, d.id, "reflection");
	assert_true(r.paused_since > 0);
	int64_t events = tu_event_count(f->st);
	assert_int_equal(hh_case_answer(f->st, &f->a, CITIZEN(f->anna), d.id, "Jeg vil videre",
					&out),
			 HH_ERR_INVALID);
	struct hh_case still = get(f, d.id);
	assert_string_equal(still.state, "reflection");
	assert_int_equal(still.version, r.version);
	assert_int_equal(tu_event_count(f->st), events);
	/* the caseworker ends it, and the paused time moves the deadline */
	struct hh_case p = get(f, d.id);
	p.paused_since -= 10 * 86400;
	put_case(f, &p);
	struct hh_case e = move_ok(f, d.id, "in_progress");
	assert_int_equal(e.paused_since, 0);
	assert_true(e.deadline_at >= d.deadline_at + 10 * 86400 &&
		    e.deadline_at <= d.deadline_at + 10 * 86400 + 5);
}

/* The answer under faults: the case resumes where it was, or stays
 * paused; it never resumes somewhere else because a read failed. */
static void answer_under_faults(void **state)
{
	struct fx *f = *state;
	struct hh_case c = submit_ok(f, "skilsmisse", f->anna, 0, NULL), out;
	move_ok(f, c.id, "in_progress");
	assert_int_equal(hh_case_request(f->st, &f->a, &f->cw_fam, c.id, "?", 2, &out),
			 HH_OK);
	int n, sites = 0;
	for (n = 1; n < 100; n++) {
		hh_store_fault_inject(f->st, n, HH_ERR_IO);
		enum hh_rc rc = hh_case_answer(f->st, &f->a, CITIZEN(f->anna), c.id, "!", &out);
		hh_store_fault_inject(f->st, 0, HH_OK);
		struct hh_case now = get(f, c.id);
		if (rc == HH_OK) {
			assert_string_equal(now.state, "in_progress");
			assert_int_equal(now.version, 4);
			break;
		}
		assert_int_equal(rc, HH_ERR_IO);
		sites++;
		assert_string_equal(now.state, "awaiting_citizen");
		assert_int_equal(now.version, 3);
		assert_true(now.paused_since > 0);
		assert_int_equal(n_case_events(f, 0, "answer", NULL, NULL), 0);
	}
	/* begin, case_get, case_type_get, event_list, case_update,
	 * event_append, case_get, commit */
	assert_int_equal(sites, 8);
	/* BUSY anywhere: retried, and the same outcome */
	for (n = 1; n <= sites + 1; n++) {
		struct hh_case now = get(f, c.id);
		assert_int_equal(hh_case_request(f->st, &f->a, &f->cw_fam, c.id, "?",
						 now.version, &out),
				 HH_OK);
		hh_store_fault_inject(f->st, n, HH_ERR_BUSY);
		enum hh_rc rc = hh_case_answer(f->st, &f->a, CITIZEN(f->anna), c.id, "!", &out);
		hh_store_fault_inject(f->st, 0, HH_OK);
		assert_int_equal(rc, HH_OK);
		assert_string_equal(out.state, "in_progress");
		assert_int_equal(out.version, now.version + 2);
	}
}

static int64_t n_overdue;
static int64_t overdue_ids[16];

static enum hh_rc collect_overdue(void *ctx, const struct hh_case *c)
{
	(void)ctx;
	if (n_overdue < 16)
		overdue_ids[n_overdue++] = c->id;
	return HH_OK;
}

/* The ids of the family agency's overdue cases, as the queue filter
 * gives them. */
static int64_t list_overdue(struct fx *f)
{
	n_overdue = 0;
	struct hh_case_filter flt = { .org_id = f->fam, .overdue_at = 1,
				      .now = now_s() };
	struct hh_tx *tx = x_begin(f->st, 0);
	int64_t total = -1;
	assert_int_equal(f->st->case_list(tx, &f->a, &flt, 0, 50, &total,
					  collect_overdue, NULL),
			 HH_OK);
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
	assert_int_equal(total, n_overdue);
	return n_overdue;
}

static void overdue_excludes_paused(void **state)
{
	struct fx *f = *state;
	struct hh_case c = submit_ok(f, "skilsmisse", f->anna, 0, NULL), out;
	struct hh_case fresh = submit_ok(f, "skilsmisse", f->anna, 0, NULL);
	move_ok(f, c.id, "in_progress");
	assert_int_equal(list_overdue(f), 0);
	assert_false(hh_case_overdue(&fresh, now_s()));
	/* the deadline passes */
	struct hh_case p = get(f, c.id);
	p.deadline_at = now_s() - 60;
	put_case(f, &p);
	p = get(f, c.id);
	assert_true(hh_case_overdue(&p, now_s()));
	assert_int_equal(list_overdue(f), 1);
	assert_int_equal(overdue_ids[0], c.id);
	json_t *j = hh_case_json(&p, NULL, 0);
	assert_true(json_is_true(json_object_get(j, "overdue")));
	assert_true(json_is_false(json_object_get(j, "paused")));
	json_decref(j);
	/* waiting for the citizen: not overdue */
	assert_int_equal(hh_case_request(f->st, &f->a, &f->cw_fam, c.id, "?",
					 p.version, &out),
			 HH_OK);
	assert_false(hh_case_overdue(&out, now_s()));
	assert_int_equal(list_overdue(f), 0);
	j = hh_case_json(&out, NULL, 0);
	assert_true(json_is_false(json_object_get(j, "overdue")));
	assert_true(json_is_true(json_object_get(j, "paused")));
	json_decref(j);
	/* answered (no time passed): overdue again */
	assert_int_equal(hh_case_answer(f->st, &f->a, CITIZEN(f->anna), c.id, "!", &out), HH_OK);
	assert_int_equal(list_overdue(f), 1);
	/* closed: not overdue */
	struct hh_case closed = move_ok(f, c.id, "granted");
	assert_true(closed.deadline_at < now_s());
	assert_false(hh_case_overdue(&closed, now_s()));
	assert_int_equal(list_overdue(f), 0);
}

/* A form that asks for CPR numbers needs a citizen signed in at level
 * substantial or high; below, nothing is written and the fault says why
 * (the doors answer assurance-too-low). A form without CPR fields takes
 * any level. */
/* Danish local time s as epoch seconds, and the clock set to it. */
static int64_t at_dk(const char *s)
{
	int64_t t;
	assert_true(hh_iso8601_parse(s, &t));
	hh_clock_set_us(t * 1000000);
	return t;
}

static void expect_wait(struct fx *f, int64_t id, const char *to,
			int64_t opens, int64_t closed)
{
	struct hh_case c = get(f, id), out;
	assert_int_equal(move_to(f, &f->cw_fam, id, to, c.version, &out, NULL),
			 HH_ERR_INVALID);
	int64_t o, cl;
	const char *label;
	assert_int_equal(hh_case_wait(f->st, &f->a, &f->cw_fam, id, to, &o, &cl,
				      &label),
			 HH_OK);
	assert_int_equal(o, opens);
	assert_int_equal(cl, closed);
	struct hh_case still = get(f, id);
	assert_string_equal(still.state, c.state);
	assert_int_equal(still.version, c.version); /* nothing written */
}

/* A transition may wait for a period (a reflection period) or be open
 * only until one ends, counted in calendar months in Danish time from
 * when the case entered its state (or came in), whatever else happens
 * to the case meanwhile. */
static void timed_waits_count_calendar_time(void **state)
{
	struct fx *f = *state;
	int64_t t0 = at_dk("2027-01-31T10:00");
	struct hh_case a = submit_ok(f, "venteperiode", f->anna, 0, NULL);
	struct hh_case b = submit_ok(f, "venteperiode", f->anna, 0, NULL);
	assert_int_equal(a.state_since, t0);
	at_dk("2027-02-03T08:00");
	int64_t entered = now_s();
	move_ok(f, a.id, "reflection");
	assert_int_equal(get(f, a.id).state_since, entered);
	/* a note or an assignment does not move the start of the wait */
	at_dk("2027-03-01T09:00");
	struct hh_user u = { .org_id = f->fam, .email = "cw@fam", .name = "Clara",
			     .password_hash = "x", .roles = HH_ROLE_CASEWORKER };
	struct hh_tx *utx = x_begin(f->st, 1);
	assert_int_equal(f->st->user_insert(utx, &u), HH_OK);
	assert_int_equal(f->st->tx_commit(utx), HH_OK);
	struct hh_case out;
	assert_int_equal(hh_case_assign(f->st, &f->a, &f->cw_fam, a.id, u.id, 0, &out),
			 HH_OK);
	assert_int_equal(out.updated_at, now_s());
	assert_int_equal(get(f, a.id).state_since, entered);

	/* three calendar months after 3 February 08:00 winter time is
	 * 3 May 08:00 summer time, not 90 days */
	int64_t opens;
	assert_true(hh_iso8601_parse("2027-05-03T08:00", &opens));
	expect_wait(f, a.id, "in_progress", opens, 0);
	const char *label = NULL;
	struct hh_case_type row;
	struct hh_case_type_def def;
	struct hh_tx *tx = x_begin(f->st, 0);
	assert_int_equal(hh_case_type_load(tx, &f->a, "venteperiode", 0, &row, &def),
			 HH_OK);
	f->st->tx_rollback(tx);
	struct hh_case now_a = get(f, a.id);
	assert_int_equal(hh_ct_wait_ends(&def, &now_a, now_s(), &label), opens);
	assert_string_equal(label, "Refleksionsperioden slutter");
	hh_clock_set_us((opens - 1) * 1000000);
	expect_wait(f, a.id, "in_progress", opens, 0);
	expect_wait(f, a.id, "lapsed", opens, 0);
	hh_clock_set_us(opens * 1000000);
	assert_int_equal(hh_ct_wait_ends(&def, &now_a, now_s(), NULL), 0);
	/* open from then; the lapse only until six months after */
	int64_t last;
	assert_true(hh_iso8601_parse("2027-08-03T08:00", &last));
	hh_clock_set_us((last + 1) * 1000000);
	expect_wait(f, a.id, "lapsed", 0, last);
	move_ok(f, a.id, "in_progress");

	/* the withdrawal counts from when the case came in: 14 days after
	 * 31 January 10:00 is 14 February 10:00 */
	int64_t shut;
	assert_true(hh_iso8601_parse("2027-02-14T10:00", &shut));
	hh_clock_set_us((shut + 1) * 1000000);
	expect_wait(f, b.id, "withdrawn", 0, shut);
	hh_clock_set_us(shut * 1000000);
	move_ok(f, b.id, "withdrawn");
	hh_case_type_def_clear(&def);
	hh_clock_set_us(0);
}

/* A wait is written as ISO 8601 periods, or the case type is refused. */
static void timed_waits_are_checked_when_read(void **state)
{
	(void)state;
	const char *bad[] = {
		"\"after\":\"3 måneder\"", "\"before\":\"P\"", "\"after\":3",
		"\"since\":\"decided\"", "\"after\":\"P2M\",\"before\":\"P1M\"",
		"\"after\":\"P1M\",\"before\":\"P30D\"", "\"wait_label\":\"\"",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char js[1024], err[256] = "";
		snprintf(js, sizeof(js),
			 "{\"name\":\"x\",\"organisation\":\"fam\",\"deadline\":\"P1M\","
			 "\"initial\":\"a\",\"states\":[{\"key\":\"a\",\"label\":\"A\"},"
			 "{\"key\":\"b\",\"label\":\"B\"}],\"transitions\":[{\"from\":"
			 "\"a\",\"to\":\"b\",%s}]}",
			 bad[i]);
		struct hh_case_type_def def;
		enum hh_rc rc = hh_case_type_def_parse(js, &def, err, sizeof(err));
		if (rc == HH_OK) {
			fprintf(stderr, "accepted %s\n", bad[i]);
			hh_case_type_def_clear(&def);
		}
		assert_int_not_equal(rc, HH_OK);
		assert_non_null(strstr(err, "transition 1"));
	}
}

static void cpr_forms_need_substantial(void **state)
{
	struct fx *f = *state;
	struct hh_case c;
	int replayed;
	enum hh_submit_fault fault;
	struct hh_arena *a = &f->a;
	static const enum hh_loa low_levels[] = { HH_LOA_NONE, HH_LOA_LOW };
	for (int i = 0; i < 2; i++) {
		struct hh_actor who = { .label = "citizen:1",
					.roles = HH_ROLE_CITIZEN,
					.citizen_id = f->anna,
					.municipality_id = f->m901,
					.loa = low_levels[i] };
		json_t *v = json_loads(ok_values, 0, NULL);
		struct hh_submission sub = { .case_type = "skilsmisse", .values = v };
		int64_t before = n_cases(f);
		assert_int_equal(hh_case_submit_as(f->st, a, &who, &sub, &f->res, &c,
						   &replayed, &fault),
				 HH_ERR_FORBIDDEN);
		assert_int_equal(fault, HH_SUBMIT_ASSURANCE);
		assert_int_equal(f->res.n_errors, 0);
		assert_int_equal(n_cases(f), before);
		json_decref(f->res.values);
		f->res.values = NULL;
		/* a form without CPR numbers: the low level will do */
		json_t *kids = json_pack("{s:s}", "antal", "2");
		struct hh_submission tilskud = { .case_type = "boernetilskud",
						 .values = kids };
		assert_int_equal(hh_case_submit_as(f->st, a, &who, &tilskud, &f->res,
						   &c, &replayed, &fault),
				 HH_OK);
		assert_int_equal(n_cases(f), before + 1);
		json_decref(f->res.values);
		f->res.values = NULL;
		json_decref(kids);
		json_decref(v);
	}
	/* high is enough, as substantial is */
	struct hh_actor high = { .label = "citizen:1", .roles = HH_ROLE_CITIZEN,
				 .citizen_id = f->anna, .municipality_id = f->m901,
				 .loa = HH_LOA_HIGH };
	json_t *v = json_loads(ok_values, 0, NULL);
	struct hh_submission sub = { .case_type = "skilsmisse", .values = v };
	assert_int_equal(hh_case_submit_as(f->st, a, &high, &sub, &f->res, &c,
					   &replayed, &fault),
			 HH_OK);
	json_decref(f->res.values);
	f->res.values = NULL;
	json_decref(v);
}

/* p-bench: a parsed definition is shared by the requests that read the
 * same case type, and a changed definition (a re-import) is parsed anew
 * at the next read while a request that holds the old one keeps it whole */
static void parsed_case_types_are_shared(void **state)
{
	struct fx *f = *state;
	struct hh_store *st = f->st;
	struct hh_arena a1, a2, a3;
	hh_arena_init(&a1);
	hh_arena_init(&a2);
	hh_arena_init(&a3);
	struct hh_ct_cache c1, c2, c3;
	memset(&c1, 0, sizeof(c1));
	memset(&c2, 0, sizeof(c2));
	memset(&c3, 0, sizeof(c3));
	struct hh_tx *tx = x_begin(st, 0);
	struct hh_case_type row;
	assert_int_equal(st->case_type_get_by_code(tx, &f->a, "skilsmisse", &row), HH_OK);
	const struct hh_case_type_def *d1 = hh_ct_cache_get(tx, &a1, &c1, row.id);
	const struct hh_case_type_def *d2 = hh_ct_cache_get(tx, &a2, &c2, row.id);
	assert_int_equal(st->tx_commit(tx), HH_OK);
	assert_non_null(d1);
	assert_ptr_equal(d1, d2); /* parsed once */
	assert_string_equal(d1->name, "Ansøgning om skilsmisse");
	hh_arena_clear(&a2); /* one request ends: the other's is whole */
	assert_string_equal(d1->name, "Ansøgning om skilsmisse");
	assert_string_equal(hh_ct_state(d1, "received")->label, "Modtaget");

	/* the case type is imported again with another name */
	const char *at = strstr(row.definition, "Ansøgning om skilsmisse");
	assert_non_null(at);
	row.definition = hh_arena_printf(&f->a, "%.*sSkilsmisse, ny udgave%s",
					 (int)(at - row.definition), row.definition,
					 at + strlen("Ansøgning om skilsmisse"));
	tx = x_begin(st, 1);
	assert_int_equal(st->case_type_put(tx, &row), HH_OK);
	assert_int_equal(st->tx_commit(tx), HH_OK);
	tx = x_begin(st, 0);
	const struct hh_case_type_def *d3 = hh_ct_cache_get(tx, &a3, &c3, row.id);
	/* a request reads a case type once: the same one as before */
	assert_ptr_equal(hh_ct_cache_get(tx, &a1, &c1, row.id), d1);
	assert_int_equal(st->tx_commit(tx), HH_OK);
	assert_non_null(d3);
	assert_string_equal(d3->name, "Skilsmisse, ny udgave");
	assert_string_equal(d1->name, "Ansøgning om skilsmisse");
	hh_arena_clear(&a1);
	assert_string_equal(d3->name, "Skilsmisse, ny udgave");
	hh_arena_clear(&a3);
}

/* p-bench: a life event's definition is parsed once for Mit overblik and
 * each plan's view, shared by every request, and parsed anew when it is
 * imported again */
static void parsed_life_events_are_shared(void **state)
{
	struct fx *f = *state;
	plan_for(f, f->anna, "{\"gift\":\"ja\"}");
	struct hh_actor who = { .label = "citizen", .roles = HH_ROLE_CITIZEN,
				.citizen_id = f->anna, .loa = HH_LOA_SUBSTANTIAL };
	struct hh_arena a1, a2;
	hh_arena_init(&a1);
	hh_arena_init(&a2);
	struct hh_overview o1, o2;
	assert_int_equal(hh_overview_read(f->st, &a1, &who, 1, &o1), HH_OK);
	assert_int_equal(hh_overview_read(f->st, &a2, &who, 1, &o2), HH_OK);
	assert_int_equal(o1.n_plans, 1);
	assert_non_null(o1.plans[0].definition);
	assert_ptr_equal(o1.plans[0].definition, o2.plans[0].definition);
	assert_non_null(json_object_get(o1.plans[0].view, "steps"));
	hh_arena_clear(&a2);
	/* imported again with another first step's title */
	struct hh_tx *tx = x_begin(f->st, 1);
	struct hh_life_event le;
	assert_int_equal(f->st->life_event_get(tx, &f->a, "skilsmisse", &le), HH_OK);
	json_t *def = json_loads(le.definition, 0, NULL);
	json_t *step = json_array_get(json_object_get(def, "steps"), 0);
	json_object_set_new(step, "title", json_string("Et nyt første skridt"));
	char *text = json_dumps(def, JSON_COMPACT);
	le.definition = hh_arena_strdup(&f->a, text);
	free(text);
	json_decref(def);
	assert_int_equal(f->st->life_event_put(tx, &le), HH_OK);
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
	assert_int_equal(hh_overview_read(f->st, &a2, &who, 1, &o2), HH_OK);
	json_t *first = json_array_get(json_object_get(o2.plans[0].definition, "steps"), 0);
	assert_string_equal(json_string_value(json_object_get(first, "title")),
			    "Et nyt første skridt");
	json_t *vstep = json_array_get(json_object_get(o2.plans[0].view, "steps"), 0);
	assert_string_equal(json_string_value(json_object_get(vstep, "title")),
			    "Et nyt første skridt");
	/* the first request's stays as it was read */
	first = json_array_get(json_object_get(o1.plans[0].definition, "steps"), 0);
	assert_string_not_equal(json_string_value(json_object_get(first, "title")),
				"Et nyt første skridt");
	hh_arena_clear(&a1);
	hh_arena_clear(&a2);
}

/* p-bench: threads reading a life event while it is imported again and
 * again each get the definition of the text they read, whole, and keep it
 * until their request ends (run under make tsan too) */
struct le_thread {
	int which; /* 0, 1: the two texts, alternately */
	int bad;
};

static void *le_reader(void *p)
{
	struct le_thread *t = p;
	static const char *const texts[2] = {
		"{\"title\":\"Første\",\"steps\":[{\"key\":\"a\"}]}",
		"{\"title\":\"Anden\",\"steps\":[{\"key\":\"b\"},{\"key\":\"c\"}]}",
	};
	for (int i = 0; i < 300; i++) {
		struct hh_arena a;
		hh_arena_init(&a);
		int w = (t->which + i) % 2;
		struct hh_life_event le = { .id = 424242, .slug = "x",
					    .definition = texts[w] };
		json_t *d = hh_life_event_def(&a, &le);
		const char *title = json_string_value(json_object_get(d, "title"));
		if (!title || strcmp(title, w ? "Anden" : "Første") ||
		    json_array_size(json_object_get(d, "steps")) != (size_t)(w ? 2 : 1))
			t->bad++;
		hh_arena_clear(&a);
	}
	return NULL;
}

static void parsed_life_events_are_shared_across_threads(void **state)
{
	(void)state;
	pthread_t th[4];
	struct le_thread t[4];
	for (int i = 0; i < 4; i++) {
		t[i] = (struct le_thread){ i % 2, 0 };
		assert_int_equal(pthread_create(&th[i], NULL, le_reader, &t[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(t[i].bad, 0);
	}
}

/* p-bench: Mit overblik reads its cases in one lean list (no form values,
 * the states labelled from the parsed definitions); each answers as the
 * case read alone does, in every state, paused ones with their question */
static void overview_cases_answer_as_read_alone(void **state)
{
	struct fx *f = *state;
	int64_t anna = citizen_id(f, "demo:anna");
	struct hh_case k1 = submit_ok(f, "skilsmisse", anna, 0, NULL);
	struct hh_case k2 = submit_ok(f, "skilsmisse", anna, 0, NULL);
	struct hh_case k3 = submit_ok(f, "skilsmisse", anna, 0, NULL);
	move_ok(f, k2.id, "in_progress");
	move_ok(f, k3.id, "in_progress");
	move_ok(f, k3.id, "awaiting_citizen");
	struct hh_actor who = { .label = "citizen", .roles = HH_ROLE_CITIZEN,
				.citizen_id = anna, .loa = HH_LOA_SUBSTANTIAL };
	struct hh_overview ov;
	assert_int_equal(hh_overview_read(f->st, &f->a, &who, 1, &ov), HH_OK);
	assert_int_equal(ov.n_cases, 3);
	static const char *const labels[] = { "Afventer dig", "Under behandling",
					      "Modtaget" };
	for (int i = 0; i < ov.n_cases; i++) {
		const struct hh_overview_case *c = &ov.cases[i];
		assert_int_equal(c->c.id, (i == 0 ? k3 : i == 1 ? k2 : k1).id);
		assert_null(c->c.data); /* the list shows none */
		assert_non_null(c->def);
		struct hh_case one = get(f, c->c.id);
		json_t *a = hh_case_json(&c->c, c->def, 0), *b = hh_case_json(&one, c->def, 0);
		assert_string_equal(json_string_value(json_object_get(a, "state_label")),
				    labels[i]);
		json_object_del(a, "overdue"); /* a clock read apart */
		json_object_del(b, "overdue");
		char *sa = json_dumps(a, JSON_SORT_KEYS), *sb = json_dumps(b, JSON_SORT_KEYS);
		assert_string_equal(sa, sb);
		free(sa);
		free(sb);
		json_decref(a);
		json_decref(b);
	}
	assert_null(ov.cases[1].question);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(iso_durations),
		cmocka_unit_test(case_type_parsing),
		T(submit_makes_case_and_event),
		T(submit_refusals_write_nothing),
		T(submit_under_faults),
		T(idempotency),
		T(plan_ownership),
		T(municipality_routing),
		T(transitions),
		T(notes_and_assignment),
		T(pausing_moves_the_deadline),
		T(resume_states),
		T(answer_under_faults),
		T(overdue_excludes_paused),
		T(cpr_forms_need_substantial),
		T(timed_waits_count_calendar_time),
		T(timed_waits_are_checked_when_read),
		T(parsed_case_types_are_shared),
		T(overview_cases_answer_as_read_alone),
		T(parsed_life_events_are_shared),
		cmocka_unit_test(parsed_life_events_are_shared_across_threads),
	};
	return cmocka_run_group_tests_name("domain/cases", tests, NULL, NULL);
}
