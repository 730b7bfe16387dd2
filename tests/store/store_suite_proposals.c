/* store_suite_proposals.c - pg-port: the store suite's cases for proposals
 * to the shared knowledge base and pinned queries (store.h's s-edit
 * blocks): a proposal written, read, listed by state, organisation and
 * article, and decided once; a pin written, replaced in place, listed and
 * deleted. #included by store_suite.c. */

static enum hh_rc x_proposal_id(void *p, const struct hh_proposal *pr)
{
	hh_buf_printf(p, "%s:%lld;", pr->title, (long long)pr->article_id);
	return HH_OK;
}

static void x_proposals(struct x_fx *f, enum hh_proposal_state state,
			int64_t org, int64_t article, const char *want)
{
	struct hh_buf b;
	hh_buf_init(&b);
	struct hh_tx *tx = x_begin(f->st, 0);
	assert_int_equal(f->st->proposal_list(tx, &f->a, state, org, article,
					      x_proposal_id, &b),
			 HH_OK);
	x_commit(tx);
	if (strcmp(hh_buf_str(&b), want) != 0)
		fail_msg("proposal_list: want '%s', got '%s'", want,
			 hh_buf_str(&b));
	hh_buf_clear(&b);
}

static void t_proposals(void **state)
{
	struct x_fx *f = *state;
	struct hh_store *st = f->st;
	int64_t org = x_put_org(st, "901", "Nordskov", HH_ORG_MUNICIPALITY);
	int64_t other = x_put_org(st, "902", "Åstrup", HH_ORG_MUNICIPALITY);
	int64_t pas = x_insert(st, x_article("pas", 0, "05.04",
					     HH_AUDIENCE_CITIZEN,
					     HH_STATUS_PUBLISHED));
	int64_t flyt = x_insert(st, x_article("flytning", 0, "02",
					      HH_AUDIENCE_CITIZEN,
					      HH_STATUS_PUBLISHED));
	struct hh_proposal p1 = {
		.article_id = pas, .base_version = 1, .org_id = org,
		.proposed_by = "user:3", .proposer_name = "Rie",
		.title = "P1", .summary = "Kort", .body_md = "Ny tekst",
		.keywords = "pas", .kle = "05.04",
		.audience = HH_AUDIENCE_STAFF, .note = "Gebyret er ændret",
		.created_at = 100,
	};
	struct hh_proposal p2 = p1;
	p2.title = "P2";
	p2.audience = HH_AUDIENCE_CITIZEN;
	p2.created_at = 200;
	struct hh_proposal p3 = p1;
	p3.title = "P3";
	p3.article_id = flyt;
	p3.org_id = other;
	struct hh_tx *tx = x_begin(st, 1);
	assert_int_equal(st->proposal_insert(tx, &p1), HH_OK);
	assert_int_equal(st->proposal_insert(tx, &p2), HH_OK);
	assert_int_equal(st->proposal_insert(tx, &p3), HH_OK);
	x_commit(tx);
	assert_true(p1.id > 0 && p2.id > p1.id && p3.id > p2.id);
	assert_int_equal(p1.state, HH_PROPOSAL_OPEN);

	tx = x_begin(st, 0);
	struct hh_proposal got;
	assert_int_equal(st->proposal_get(tx, &f->a, p1.id, &got), HH_OK);
	assert_int_equal(got.article_id, pas);
	assert_int_equal(got.base_version, 1);
	assert_int_equal(got.org_id, org);
	assert_string_equal(got.org_name, "Nordskov");
	assert_string_equal(got.slug, "pas");
	assert_string_equal(got.proposed_by, "user:3");
	assert_string_equal(got.proposer_name, "Rie");
	assert_string_equal(got.title, "P1");
	assert_string_equal(got.summary, "Kort");
	assert_string_equal(got.body_md, "Ny tekst");
	assert_string_equal(got.keywords, "pas");
	assert_string_equal(got.kle, "05.04");
	assert_int_equal(got.audience, HH_AUDIENCE_STAFF);
	assert_string_equal(got.note, "Gebyret er ændret");
	assert_int_equal(got.state, HH_PROPOSAL_OPEN);
	assert_int_equal(got.created_at, 100);
	assert_int_equal(got.decided_at, 0);
	assert_null(got.decided_by);
	assert_null(got.decider_name);
	assert_null(got.reason);
	assert_int_equal(got.accepted_version, 0);
	assert_int_equal(st->proposal_get(tx, &f->a, p3.id + 100, &got),
			 HH_ERR_NOT_FOUND);
	x_commit(tx);

	/* decided once: accepted, declined with a reason */
	tx = x_begin(st, 1);
	p1.state = HH_PROPOSAL_ACCEPTED;
	p1.decided_at = 300;
	p1.decided_by = "user:4";
	p1.decider_name = "Ib";
	p1.accepted_version = 2;
	assert_int_equal(st->proposal_decide(tx, &p1), HH_OK);
	struct hh_proposal again = p1;
	again.state = HH_PROPOSAL_DECLINED;
	again.reason = "Nej";
	again.accepted_version = 0;
	assert_int_equal(st->proposal_decide(tx, &again), HH_ERR_CONFLICT);
	p2.state = HH_PROPOSAL_DECLINED;
	p2.decided_at = 400;
	p2.decided_by = "user:4";
	p2.decider_name = "Ib";
	p2.reason = "Står allerede i artiklen";
	assert_int_equal(st->proposal_decide(tx, &p2), HH_OK);
	x_commit(tx);

	tx = x_begin(st, 0);
	assert_int_equal(st->proposal_get(tx, &f->a, p1.id, &got), HH_OK);
	assert_int_equal(got.state, HH_PROPOSAL_ACCEPTED);
	assert_int_equal(got.decided_at, 300);
	assert_string_equal(got.decided_by, "user:4");
	assert_string_equal(got.decider_name, "Ib");
	assert_null(got.reason);
	assert_int_equal(got.accepted_version, 2);
	assert_int_equal(st->proposal_get(tx, &f->a, p2.id, &got), HH_OK);
	assert_int_equal(got.state, HH_PROPOSAL_DECLINED);
	assert_string_equal(got.reason, "Står allerede i artiklen");
	assert_int_equal(got.accepted_version, 0);
	assert_int_equal(got.audience, HH_AUDIENCE_CITIZEN);
	x_commit(tx);

	/* lists: newest first, narrowed by state, organisation, article */
	char all[96];
	snprintf(all, sizeof(all), "P3:%lld;P2:%lld;P1:%lld;", (long long)flyt,
		 (long long)pas, (long long)pas);
	x_proposals(f, 0, 0, 0, all);
	char want[64];
	snprintf(want, sizeof(want), "P1:%lld;", (long long)pas);
	x_proposals(f, HH_PROPOSAL_ACCEPTED, 0, 0, want);
	snprintf(want, sizeof(want), "P2:%lld;", (long long)pas);
	x_proposals(f, HH_PROPOSAL_DECLINED, org, 0, want);
	snprintf(want, sizeof(want), "P3:%lld;", (long long)flyt);
	x_proposals(f, HH_PROPOSAL_OPEN, 0, 0, want);
	x_proposals(f, 0, other, 0, want);
	x_proposals(f, 0, 0, flyt, want);
	x_proposals(f, HH_PROPOSAL_OPEN, org, 0, "");
	snprintf(want, sizeof(want), "P2:%lld;P1:%lld;", (long long)pas,
		 (long long)pas);
	x_proposals(f, 0, org, pas, want);
}

static enum hh_rc x_pin(void *p, const struct hh_search_pin *pin)
{
	hh_buf_printf(p, "%lld:%s/%s/%lld/%lld/%s;", (long long)pin->id,
		      pin->org_code, pin->query, (long long)pin->article_id,
		      (long long)pin->created_at, pin->created_by);
	return HH_OK;
}

static void x_pins(struct x_fx *f, const char *want)
{
	struct hh_buf b;
	hh_buf_init(&b);
	struct hh_tx *tx = x_begin(f->st, 0);
	assert_int_equal(f->st->pin_list(tx, &f->a, x_pin, &b), HH_OK);
	x_commit(tx);
	if (strcmp(hh_buf_str(&b), want) != 0)
		fail_msg("pin_list: want '%s', got '%s'", want, hh_buf_str(&b));
	hh_buf_clear(&b);
}

/* A pin per organisation and query: put again, it is replaced in place
 * and keeps its id (the event of the change names it). */
static void t_pins(void **state)
{
	struct x_fx *f = *state;
	struct hh_store *st = f->st;
	int64_t org = x_put_org(st, "901", "Nordskov", HH_ORG_MUNICIPALITY);
	int64_t other = x_put_org(st, "902", "Åstrup", HH_ORG_MUNICIPALITY);
	int64_t a1 = x_insert(st, x_article("pas", 0, "", HH_AUDIENCE_CITIZEN,
					    HH_STATUS_PUBLISHED));
	int64_t a2 = x_insert(st, x_article("noedpas", 0, "",
					    HH_AUDIENCE_CITIZEN,
					    HH_STATUS_PUBLISHED));
	struct hh_search_pin p1 = { .org_id = org, .query = "pas",
				    .article_id = a1, .created_at = 100,
				    .created_by = "user:3" };
	struct hh_search_pin p2 = { .org_id = other, .query = "pas",
				    .article_id = a1, .created_at = 150,
				    .created_by = "user:5" };
	struct hh_search_pin p3 = { .org_id = org, .query = "kørekort",
				    .article_id = a2, .created_at = 160,
				    .created_by = "user:3" };
	struct hh_tx *tx = x_begin(st, 1);
	assert_int_equal(st->pin_put(tx, &p1), HH_OK);
	assert_int_equal(st->pin_put(tx, &p2), HH_OK);
	assert_int_equal(st->pin_put(tx, &p3), HH_OK);
	x_commit(tx);
	assert_true(p1.id > 0 && p2.id > p1.id && p3.id > p2.id);

	/* replaced: the same id, the new article and author */
	struct hh_search_pin again = { .org_id = org, .query = "pas",
				       .article_id = a2, .created_at = 200,
				       .created_by = "user:4" };
	tx = x_begin(st, 1);
	assert_int_equal(st->pin_put(tx, &again), HH_OK);
	x_commit(tx);
	assert_int_equal(again.id, p1.id);
	char want[256];
	snprintf(want, sizeof(want),
		 "%lld:901/pas/%lld/200/user:4;%lld:902/pas/%lld/150/user:5;"
		 "%lld:901/kørekort/%lld/160/user:3;",
		 (long long)p1.id, (long long)a2, (long long)p2.id,
		 (long long)a1, (long long)p3.id, (long long)a2);
	x_pins(f, want);

	tx = x_begin(st, 1);
	assert_int_equal(st->pin_delete(tx, org, "pas"), HH_OK);
	assert_int_equal(st->pin_delete(tx, org, "pas"), HH_ERR_NOT_FOUND);
	assert_int_equal(st->pin_delete(tx, org, "ukendt"), HH_ERR_NOT_FOUND);
	x_commit(tx);
	snprintf(want, sizeof(want),
		 "%lld:902/pas/%lld/150/user:5;%lld:901/kørekort/%lld/160/user:3;",
		 (long long)p2.id, (long long)a1, (long long)p3.id,
		 (long long)a2);
	x_pins(f, want);
}
