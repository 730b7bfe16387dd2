/* test_case_flows.c - what happens around a case, through the domain
 * layer and the store without HTTP: follow-ups at other authorities from
 * the case's own data, concurrent updates and submissions, the audit log
 * of reads, change callbacks, and reads through the access table. The
 * fixture is in cases_fixture.h. */
#include "cases_fixture.h"
/* ---- follow-ups --------------------------------------------------------- */

/* A skilsmisse with these form values (gift = nej, so no partner's CPR
 * is needed), from plan (0: none). */
static struct hh_case submit_family(struct fx *f, int64_t citizen, int64_t plan,
				    const char *boern, const char *bolig)
{
	const char *values = hh_arena_printf(
		&f->a, "{\"navn\":\"Anna Andersen\",\"gift\":\"nej\"%s%s%s%s%s}",
		boern ? ",\"boern\":\"" : "", boern ? boern : "", boern ? "\"" : "",
		bolig ? hh_arena_printf(&f->a, ",\"bolig\":\"%s", bolig) : "",
		bolig ? "\"" : "");
	struct hh_case c;
	int replayed;
	const char *why;
	enum hh_rc rc = submit_full(f, "skilsmisse", citizen, plan, plan ? "ansoeg" : NULL,
				    values, NULL, NULL, &c, &replayed, &why);
	if (rc != HH_OK)
		fail_msg("submit: %s (%s)", hh_rc_name(rc), why ? why : "-");
	return c;
}

/* Grants case id (from in_progress); the number of follow-ups made. */
static int grant(struct fx *f, int64_t id)
{
	struct hh_case out;
	move_ok(f, id, "in_progress");
	int n = -1;
	assert_int_equal(move_to(f, &f->cw_fam, id, "granted", 2, &out, &n), HH_OK);
	return n;
}

/* Follow-ups are the case type's rules over the case's own data: the
 * plan's answers play no part, and a case without a plan starts them
 * too. */
static void followups(void **state)
{
	struct fx *f = *state;
	/* children and a home: both follow-ups apply */
	int64_t plan = plan_for(f, f->anna,
				"{\"gift\":\"ja\",\"boern\":\"ja\",\"bolig\":\"ejer\"}");
	struct hh_case c = submit_family(f, f->anna, plan, "ja", "ejer"), out;
	move_ok(f, c.id, "in_progress");
	/* not at other states */
	assert_int_equal(n_children(f, -1), 0);
	int n = -1;
	assert_int_equal(move_to(f, &f->cw_fam, c.id, "granted", 2, &out, &n), HH_OK);
	assert_int_equal(n, 2);
	/* at the agency named, for the same citizen and plan */
	struct hh_case *cs;
	size_t n_cs = all_cases(f, &cs);
	int revurdering = 0, opfoelgning = 0, fu_events = 0, at_udk = 0;
	int64_t fu = 0;
	const char *parent = hh_arena_printf(&f->a, "%lld", (long long)c.id);
	for (size_t i = 0; i < n_cs; i++) {
		const struct hh_case *k = &cs[i];
		if (k->org_id == f->udk) {
			fu = k->id;
			at_udk++;
		}
		if (k->parent_case_id != c.id)
			continue;
		/* at the agency named, for the same citizen and plan */
		revurdering += !strcmp(k->case_type_code, "revurdering") &&
			       k->org_id == f->udk && k->citizen_id == f->anna &&
			       k->plan_id == plan && !k->step &&
			       !strcmp(k->state, "received") && k->version == 1 &&
			       k->deadline_at == k->created_at + 90 * 86400;
		/* and at the citizen's municipality */
		opfoelgning += !strcmp(k->case_type_code, "opfoelgning") &&
			       k->org_id == f->m901 && !strcmp(k->state, "open");
		/* each with its event */
		fu_events += (int)n_case_events(f, k->id, "followup", NULL,
						"after.after_case", parent, NULL);
	}
	assert_int_equal(revurdering, 1);
	assert_int_equal(opfoelgning, 1);
	assert_int_equal(fu_events, 2);
	/* the agency's caseworker sees the follow-up, the other does not */
	assert_int_equal(at_udk, 1);
	struct hh_case seen;
	assert_int_equal(hh_case_get_staff(f->st, &f->a, &f->cw_udk, fu, NULL, &seen),
			 HH_OK);
	assert_int_equal(seen.parent_case_id, c.id);
	assert_int_equal(hh_case_get_staff(f->st, &f->a, &f->cw_fam, fu, NULL, &seen),
			 HH_ERR_NOT_FOUND);
	/* the plan lists them as follow-ups */
	json_t *view;
	assert_int_equal(hh_plan_view(f->st, &f->a, f->anna, plan, &view), HH_OK);
	assert_int_equal(json_array_size(json_object_get(view, "followups")), 2);
	assert_int_equal(json_array_size(json_object_get(view, "cases")), 3);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(view, "steps"), 0),
				    "state")),
			    "done");
	json_decref(view);

	/* the case's data decides, not the plan's answers: the same plan,
	 * but the form says no children and another kind of home */
	struct hh_case d = submit_family(f, f->anna, plan, "nej", NULL);
	assert_int_equal(grant(f, d.id), 0);
	assert_int_equal(n_children(f, d.id), 0);
	/* and the other way round: a plan that said no children, a form
	 * that says yes */
	int64_t plan2 = plan_for(f, f->anna,
				 "{\"gift\":\"ja\",\"boern\":\"nej\",\"bolig\":\"andet\"}");
	struct hh_case d2 = submit_family(f, f->anna, plan2, "ja", NULL);
	assert_int_equal(grant(f, d2.id), 1);
	/* unanswered fields do not match */
	struct hh_case e = submit_family(f, f->anna, plan, NULL, NULL);
	assert_int_equal(grant(f, e.id), 0);
	/* another final state: none */
	struct hh_case g = submit_family(f, f->anna, plan, "ja", "ejer");
	move_ok(f, g.id, "in_progress");
	assert_int_equal(move_to(f, &f->cw_fam, g.id, "rejected", 2, &out, &n), HH_OK);
	assert_int_equal(n, 0);
	/* without a plan (the API, Open311, the form at its own address):
	 * the same follow-ups, outside any plan */
	struct hh_case h = submit_family(f, f->anna, 0, "ja", "ejer");
	assert_int_equal(grant(f, h.id), 2);
	{
		struct hh_case *v;
		size_t n_all = all_cases(f, &v);
		int64_t outside = 0;
		for (size_t i = 0; i < n_all; i++)
			outside += v[i].parent_case_id == h.id && !v[i].plan_id &&
				   v[i].citizen_id == f->anna;
		assert_int_equal(outside, 2);
	}
	/* a citizen without a municipality: the agency's follow-up only */
	struct hh_case k = submit_family(f, f->carl, 0, "ja", "lejer");
	assert_int_equal(grant(f, k.id), 1);
	assert_int_equal(only_child(f, k.id).org_id, f->udk);
	/* bo's follow-up at home goes to 902 */
	struct hh_case b = submit_family(f, f->bo, 0, "nej", "lejer");
	assert_int_equal(grant(f, b.id), 1);
	assert_int_equal(only_child(f, b.id).org_id, f->m902);
}

/* A follow-up is part of the transition: a fault while creating it
 * leaves the case where it was. */
static void followups_under_faults(void **state)
{
	struct fx *f = *state;
	struct hh_case c = submit_family(f, f->anna, 0, "ja", "ejer"), out;
	move_ok(f, c.id, "in_progress");
	int n, sites = 0, fus = -1;
	for (n = 1; n < 100; n++) {
		hh_store_fault_inject(f->st, n, HH_ERR_IO);
		enum hh_rc rc = move_to(f, &f->cw_fam, c.id, "granted", 2, &out, &fus);
		hh_store_fault_inject(f->st, 0, HH_OK);
		int64_t children = n_children(f, c.id);
		struct hh_case now = get(f, c.id);
		if (rc == HH_OK) {
			assert_int_equal(fus, 2);
			assert_int_equal(children, 2);
			assert_string_equal(now.state, "granted");
			break;
		}
		assert_int_equal(rc, HH_ERR_IO);
		sites++;
		assert_int_equal(children, 0);
		assert_string_equal(now.state, "in_progress");
		assert_int_equal(now.version, 2);
		/* of this case and the cases after it: the one move to
		 * in_progress */
		struct hh_case *cs;
		size_t n_cs = all_cases(f, &cs);
		int64_t moves = 0;
		for (size_t i = 0; i < n_cs; i++)
			if (cs[i].id >= c.id)
				moves += n_case_events(f, cs[i].id, "transition",
						       NULL, NULL) +
					 n_case_events(f, cs[i].id, "followup",
						       NULL, NULL);
		assert_int_equal(moves, 1);
	}
	/* begin, case_get, case_type_get, case_update, event_append, and per
	 * follow-up case_type_get_by_code,
	 * citizen_get, org lookup (udk only), case_insert, event_append;
	 * then case_get and commit */
	assert_true(sites >= 13);
}

/* ---- concurrency -------------------------------------------------------- */

struct racer {
	struct fx *f;
	int64_t id, version;
	const char *to;
	pthread_barrier_t *go;
	enum hh_rc rc;
};

static void *race(void *p)
{
	struct racer *r = p;
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_case out;
	pthread_barrier_wait(r->go);
	r->rc = hh_case_transition(r->f->st, &a, &r->f->cw_fam, r->id, r->to,
				   r->version, NULL, &out, NULL);
	hh_arena_clear(&a);
	return NULL;
}

static void concurrent_updates(void **state)
{
	struct fx *f = *state;
	for (int round = 0; round < 12; round++) {
		struct hh_case c = submit_ok(f, "skilsmisse", f->anna, 0, NULL);
		pthread_barrier_t go;
		pthread_barrier_init(&go, NULL, 2);
		/* the same version, and even different targets */
		struct racer r[2] = {
			{ f, c.id, 1, "in_progress", &go, -1 },
			{ f, c.id, 1, round % 2 ? "in_progress" : "reflection", &go, -1 },
		};
		pthread_t t[2];
		for (int i = 0; i < 2; i++)
			assert_int_equal(pthread_create(&t[i], NULL, race, &r[i]), 0);
		for (int i = 0; i < 2; i++)
			pthread_join(t[i], NULL);
		pthread_barrier_destroy(&go);
		int won = (r[0].rc == HH_OK) + (r[1].rc == HH_OK);
		int lost = (r[0].rc == HH_ERR_CONFLICT) + (r[1].rc == HH_ERR_CONFLICT);
		if (won != 1 || lost != 1)
			fail_msg("round %d: %s and %s", round, hh_rc_name(r[0].rc),
				 hh_rc_name(r[1].rc));
		struct hh_case now = get(f, c.id);
		assert_int_equal(now.version, 2);
		assert_string_equal(now.state, r[0].rc == HH_OK ? r[0].to : r[1].to);
		assert_int_equal(n_case_events(f, c.id, "transition", NULL, NULL),
				 1);
	}
}

struct submitter {
	struct fx *f;
	pthread_barrier_t *go;
	enum hh_rc rc;
	int64_t id;
	int replayed;
};

static void *submit_race(void *p)
{
	struct submitter *s = p;
	struct hh_arena a;
	hh_arena_init(&a);
	json_t *v = json_loads(ok_values, 0, NULL);
	struct hh_submission sub = { .case_type = "skilsmisse",
				     .citizen_id = s->f->anna,
				     .municipality_id = s->f->m901, .values = v,
				     .idem_scope = "citizen:1", .idem_key = "twice",
				     .actor = "citizen:1",
				     .loa = HH_LOA_SUBSTANTIAL };
	struct hh_form_result res;
	struct hh_case c;
	const char *why;
	pthread_barrier_wait(s->go);
	s->rc = hh_case_submit(s->f->st, &a, &sub, &res, &c, &s->replayed, &why, NULL);
	s->id = c.id;
	json_decref(res.values);
	json_decref(v);
	hh_arena_clear(&a);
	return NULL;
}

/* A double click: two submissions with one key at the same moment make
 * one case. */
static void concurrent_idempotent_submissions(void **state)
{
	struct fx *f = *state;
	pthread_barrier_t go;
	pthread_barrier_init(&go, NULL, 2);
	struct submitter s[2] = { { f, &go, -1, 0, -1 }, { f, &go, -1, 0, -1 } };
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, submit_race, &s[i]), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&go);
	assert_int_equal(s[0].rc, HH_OK);
	assert_int_equal(s[1].rc, HH_OK);
	assert_int_equal(s[0].id, s[1].id);
	assert_int_equal(s[0].replayed + s[1].replayed, 1);
	assert_int_equal(n_cases(f), 1);
	assert_int_equal(n_case_events(f, 0, "submit", NULL, NULL), 1);
}

/* ---- the audit log ------------------------------------------------------ */

struct audit_seen {
	int n;
	const char *why[4];
};

static enum hh_rc audit_row(void *ctx, const struct hh_audit *e)
{
	struct audit_seen *s = ctx;
	assert_string_equal(e->actor, "user:1");
	if (s->n < 4)
		s->why[s->n] = e->why; /* in the test's arena */
	s->n++;
	return HH_OK;
}

static void audit_of_reads(void **state)
{
	struct fx *f = *state;
	struct hh_case c = submit_ok(f, "skilsmisse", f->anna, 0, NULL), out;
	assert_int_equal(n_audits(f), 0);
	int64_t t0 = now_s();
	assert_int_equal(hh_case_get_staff(f->st, &f->a, &f->cw_fam, c.id,
					   "klage over afgørelse", &out),
			 HH_OK);
	assert_int_equal(out.id, c.id);
	assert_string_equal(out.citizen_name, "Anna Andersen");
	struct hh_audit *au;
	assert_int_equal(audits(f, &au), 1);
	assert_string_equal(au[0].actor, "user:1");
	assert_int_equal(au[0].citizen_id, f->anna);
	assert_string_equal(au[0].what,
			    hh_arena_printf(&f->a, "sag %lld", (long long)c.id));
	assert_string_equal(au[0].why, "klage over afgørelse");
	assert_true(au[0].at >= t0 && au[0].at <= now_s());
	/* the default reason */
	assert_int_equal(hh_case_get_staff(f->st, &f->a, &f->cw_fam, c.id, NULL,
					   &out),
			 HH_OK);
	size_t n_au = audits(f, &au), by_default = 0;
	for (size_t i = 0; i < n_au; i++)
		by_default += !strcmp(au[i].why, "sagsbehandling");
	assert_int_equal(by_default, 1);
	/* a refused read is no read: no row */
	assert_int_equal(hh_case_get_staff(f->st, &f->a, &f->cw_udk, c.id, NULL,
					   &out),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_case_get_staff(f->st, &f->a, &f->ed_fam, c.id, NULL,
					   &out),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(n_audits(f), 2);
	/* the citizen can list them, newest first */
	struct hh_tx *tx = x_begin(f->st, 0);
	struct audit_seen seen = { 0 };
	assert_int_equal(f->st->audit_list(tx, &f->a, f->anna, 10, audit_row, &seen),
			 HH_OK);
	f->st->tx_rollback(tx);
	assert_int_equal(seen.n, 2);
	assert_string_equal(seen.why[0], "sagsbehandling");
	assert_string_equal(seen.why[1], "klage over afgørelse");
	tx = x_begin(f->st, 0);
	seen.n = 0;
	assert_int_equal(f->st->audit_list(tx, &f->a, f->bo, 10, audit_row, &seen),
			 HH_OK);
	f->st->tx_rollback(tx);
	assert_int_equal(seen.n, 0);
	/* no read without its row: under faults the read fails as a whole */
	int n, sites = 0;
	for (n = 1; n < 20; n++) {
		int64_t rows = n_audits(f);
		hh_store_fault_inject(f->st, n, HH_ERR_IO);
		enum hh_rc rc = hh_case_get_staff(f->st, &f->a, &f->cw_fam, c.id,
						  NULL, &out);
		hh_store_fault_inject(f->st, 0, HH_OK);
		if (rc == HH_OK) {
			assert_int_equal(n_audits(f), rows + 1);
			break;
		}
		assert_int_equal(rc, HH_ERR_IO);
		assert_int_equal(n_audits(f), rows);
		sites++;
	}
	assert_int_equal(sites, 4); /* begin, case_get, audit_append, commit */
	assert_int_equal(n_audits(f), 3);
	/* (that the audit log refuses UPDATE and DELETE, even in SQL, is
	 * the SQLite backend's to show: tests/store/test_sqlite.c) */
}

/* ---- change callbacks ------------------------------------------------- */

/* Each write to a case tells the store's subscribers once, after the
 * commit; refused writes and a replayed submission tell nothing. */
static void case_writes_tell_subscribers(void **state)
{
	struct fx *f = *state;
	struct hh_buf seen;
	hh_buf_init(&seen);
	assert_int_equal(hh_store_subscribe(f->st, tu_record_change, &seen),
			 HH_OK);
	struct hh_case c = submit_ok(f, "skilsmisse", f->anna, 0, NULL), out;
	struct hh_case r;
	int replayed;
	const char *why;
	assert_int_equal(submit_full(f, "skilsmisse", f->anna, 0, NULL, ok_values,
				     "t", "k1", &r, &replayed, &why),
			 HH_OK);
	assert_int_equal(submit_full(f, "skilsmisse", f->anna, 0, NULL, ok_values,
				     "t", "k1", &r, &replayed, &why),
			 HH_OK);
	assert_int_equal(replayed, 1);
	/* refused: nothing */
	assert_int_equal(move_to(f, &f->cw_fam, c.id, "granted", 1, &out, NULL),
			 HH_ERR_INVALID);
	assert_int_equal(move_to(f, &f->cw_udk, c.id, "in_progress", 1, &out,
				 NULL),
			 HH_ERR_NOT_FOUND);
	move_ok(f, c.id, "in_progress");
	assert_int_equal(hh_case_assign(f->st, &f->a, &f->cw_fam, c.id, 0, 2, &out),
			 HH_OK);
	assert_int_equal(hh_case_note(f->st, &f->a, &f->cw_fam, c.id, "Ringet"),
			 HH_OK);
	assert_int_equal(hh_case_request(f->st, &f->a, &f->cw_fam, c.id, "?", 3,
					 &out),
			 HH_OK);
	assert_int_equal(hh_case_answer(f->st, &f->a, CITIZEN(f->anna), c.id, "!", &out),
			 HH_OK);
	long long id = (long long)c.id, org = (long long)c.org_id;
	char *want = hh_arena_printf(
		&f->a,
		"case/%lld/%lld/submit\ncase/%lld/%lld/submit\n"
		"case/%lld/%lld/transition\ncase/%lld/%lld/assign\n"
		"case/%lld/%lld/note\ncase/%lld/%lld/request\n"
		"case/%lld/%lld/answer\n",
		id, org, (long long)r.id, (long long)r.org_id, id, org, id, org,
		id, org, id, org, id, org);
	assert_string_equal(hh_buf_str(&seen), want);
	hh_store_unsubscribe(f->st, tu_record_change, &seen);
	hh_buf_clear(&seen);
}

static enum hh_rc count_row(void *p, const struct hh_case *c)
{
	int64_t *want = p;
	if (c->id == want[0])
		want[1]++;
	return HH_OK;
}

/* Does who's queue (or list of own cases) hold case id? -1: refused. */
static int queue_holds(struct fx *f, const struct hh_actor *who, int64_t id)
{
	struct hh_queue_query q = { .open = 0, .limit = 200 };
	int64_t want[2] = { id, 0 };
	enum hh_rc rc = hh_case_queue(f->st, &f->a, who, &q, NULL, count_row, want);
	return rc == HH_OK ? (int)want[1] : rc == HH_ERR_FORBIDDEN ? -1 : -2;
}

/* The read side asks the access table: who reads which case, whose
 * queue holds it, whose overview and plans are whose. */
static void reads_through_the_access_table(void **state)
{
	struct fx *f = *state;
	struct hh_case c = submit_ok(f, "skilsmisse", f->anna, 0, NULL);
	struct hh_actor nobody = { 0 };
	struct hh_case_read v;
	int64_t audits = n_audits(f);
	/* the citizen: her own case, no audit entry, no internal notes */
	assert_int_equal(hh_case_note(f->st, &f->a, &f->cw_fam, c.id, "Intern"), HH_OK);
	assert_int_equal(hh_case_read(f->st, &f->a, CITIZEN(f->anna), c.id, NULL, &v),
			 HH_OK);
	assert_true(v.for_citizen);
	assert_true(v.may_change);
	for (int i = 0; i < v.n_events; i++)
		assert_string_not_equal(v.events[i].action, "note");
	assert_int_equal(n_audits(f), audits);
	assert_int_equal(hh_case_read(f->st, &f->a, CITIZEN(f->bo), c.id, NULL, &v),
			 HH_ERR_NOT_FOUND);
	/* staff of the organisation: read, written to the audit log */
	assert_int_equal(hh_case_read(f->st, &f->a, &f->cw_fam, c.id, "test", &v), HH_OK);
	assert_false(v.for_citizen);
	assert_true(v.may_change);
	assert_string_equal(v.events[v.n_events - 1].action, "note");
	assert_int_equal(n_audits(f), audits + 1);
	/* a manager reads and may not change */
	assert_int_equal(hh_case_read(f->st, &f->a, &f->mgr_fam, c.id, NULL, &v), HH_OK);
	assert_false(v.may_change);
	assert_int_equal(hh_case_note(f->st, &f->a, &f->mgr_fam, c.id, "x"),
			 HH_ERR_FORBIDDEN);
	/* a role that reads no cases; another organisation; nobody */
	assert_int_equal(hh_case_read(f->st, &f->a, &f->ed_fam, c.id, NULL, &v),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(hh_case_read(f->st, &f->a, &f->ed_fam, c.id + 1000, NULL, &v),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(hh_case_read(f->st, &f->a, &f->cw_udk, c.id, NULL, &v),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_case_read(f->st, &f->a, &nobody, c.id, NULL, &v),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(n_audits(f), audits + 2);
	/* who works cases: a table lookup */
	assert_true(hh_case_works(&f->cw_fam));
	assert_true(hh_case_works(&f->mgr_fam));
	assert_false(hh_case_works(&f->ed_fam));
	assert_false(hh_case_works(CITIZEN(f->anna)));
	assert_false(hh_case_works(&nobody));
	/* the queues */
	assert_int_equal(queue_holds(f, &f->cw_fam, c.id), 1);
	assert_int_equal(queue_holds(f, &f->mgr_fam, c.id), 1);
	assert_int_equal(queue_holds(f, &f->cw_udk, c.id), 0);
	assert_int_equal(queue_holds(f, &f->cw_901, c.id), 0);
	assert_int_equal(queue_holds(f, CITIZEN(f->anna), c.id), 1);
	assert_int_equal(queue_holds(f, CITIZEN(f->bo), c.id), 0);
	assert_int_equal(queue_holds(f, &f->ed_fam, c.id), -1);
	assert_int_equal(queue_holds(f, &nobody, c.id), -1);
	/* Mit overblik and plans are the citizen's */
	struct hh_overview ov;
	assert_int_equal(hh_overview_read(f->st, &f->a, CITIZEN(f->anna), 0, &ov), HH_OK);
	int found = 0;
	for (int i = 0; i < ov.n_cases; i++)
		found += ov.cases[i].c.id == c.id;
	assert_int_equal(found, 1);
	assert_int_equal(hh_overview_read(f->st, &f->a, CITIZEN(f->bo), 0, &ov), HH_OK);
	for (int i = 0; i < ov.n_cases; i++)
		assert_int_not_equal(ov.cases[i].c.id, c.id);
	assert_int_equal(hh_overview_read(f->st, &f->a, &f->cw_fam, 0, &ov),
			 HH_ERR_FORBIDDEN);
	struct hh_plan plan;
	const char *bad;
	json_t *answers = json_object(), *view;
	assert_int_equal(hh_plan_make(f->st, &f->a, CITIZEN(f->anna), "skilsmisse",
				      answers, &plan, &bad),
			 HH_OK);
	assert_int_equal(hh_plan_make(f->st, &f->a, &f->cw_fam, "skilsmisse", answers,
				      &plan, &bad),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(hh_plan_make(f->st, &f->a, CITIZEN(f->anna), "findes-ikke",
				      answers, &plan, &bad),
			 HH_ERR_NOT_FOUND);
	json_decref(answers);
	assert_int_equal(hh_plan_read(f->st, &f->a, CITIZEN(f->bo), plan.id, &view),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_plan_read(f->st, &f->a, &f->cw_fam, plan.id, &view),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(hh_plan_read(f->st, &f->a, CITIZEN(f->anna), plan.id, &view),
			 HH_OK);
	json_decref(view);
	/* the audit trail is the citizen's own */
	struct hh_audit_entry *rows;
	int n;
	assert_int_equal(hh_audit_read(f->st, &f->a, CITIZEN(f->anna), &rows, &n), HH_OK);
	assert_true(n >= 2);
	assert_int_equal(rows[0].case_id, c.id);
	assert_int_equal(hh_audit_read(f->st, &f->a, &f->cw_fam, &rows, &n),
			 HH_ERR_FORBIDDEN);
}
int main(void)
{
	const struct CMUnitTest tests[] = {
		T(case_writes_tell_subscribers),
		T(followups),
		T(followups_under_faults),
		T(concurrent_updates),
		T(concurrent_idempotent_submissions),
		T(audit_of_reads),
		T(reads_through_the_access_table),
	};
	return cmocka_run_group_tests_name("domain/case-flows", tests, NULL, NULL);
}
