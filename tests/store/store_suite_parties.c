/* store_suite_parties.c - the store suite's cases for the parties to a
 * case (store.h's parties block, 0041_case_parties.sql): rows come back
 * as written, by position; an update needs the version it read; the
 * citizen's list is newest first; the due list holds invitations past
 * their time only. #included by store_suite.c. */

static enum hh_rc x_push_party(void *p, const struct hh_case_party *q)
{
	hh_buf_printf(p, "%lld:%d:%s:%s:%lld;", (long long)q->case_id, q->position,
		      q->role, q->status, (long long)q->version);
	return HH_OK;
}

static char *x_parties(struct x_fx *f, int which, int64_t arg)
{
	struct hh_buf b;
	hh_buf_init(&b);
	struct hh_tx *tx = x_begin(f->st, 0);
	enum hh_rc rc = which == 0 ? f->st->case_party_list(tx, &f->a, arg, x_push_party, &b)
			: which == 1 ? f->st->case_party_of_citizen(tx, &f->a, arg, 10,
								    x_push_party, &b)
				     : f->st->case_party_due(tx, &f->a, arg, 10,
							     x_push_party, &b);
	assert_int_equal(rc, HH_OK);
	x_commit(tx);
	return hh_buf_steal(&b);
}

static void t_case_parties(void **state)
{
	struct x_fx *f = *state;
	struct hh_store *st = f->st;
	int64_t org = x_put_org(st, "fam", "Familieretshuset", HH_ORG_AGENCY);
	struct hh_tx *tx = x_begin(st, 1);
	struct hh_case_type t = {
		.code = "p1", .organisation = "fam", .name = "P1", .public = 1,
		.definition = "{\"states\": [{\"key\": \"received\", \"label\": "
			      "\"Modtaget\"}]}"
	};
	assert_int_equal(st->case_type_put(tx, &t), HH_OK);
	struct hh_citizen bo = { .subject = "demo:bo", .name = "Bo" };
	assert_int_equal(st->citizen_put(tx, &bo), HH_OK);
	struct hh_case k = { .case_type_id = t.id, .org_id = org, .state = "received",
			     .data = "{}", .deadline_at = 100, .created_at = 5000 };
	assert_int_equal(st->case_insert(tx, &k), HH_OK);
	unsigned char hash[32];
	memset(hash, 0x5a, sizeof(hash));
	struct hh_case_party spouse = {
		.case_id = k.id, .position = 0, .confirm = 1, .role = "spouse",
		.citizen_id = bo.id, .cpr = "v1:k1:sealed", .cpr_key = "k1",
		.cpr_hash = hash, .cpr_hash_key = "h1", .status = "invited",
		.invited_at = 5000, .expires_at = 9000,
	};
	assert_int_equal(st->case_party_insert(tx, &spouse), HH_OK);
	assert_true(spouse.id > 0);
	assert_int_equal(spouse.version, 1);
	struct hh_case_party child = { .case_id = k.id, .position = 1, .role = "child",
				       .status = "named", .invited_at = 5000 };
	assert_int_equal(st->case_party_insert(tx, &child), HH_OK);
	x_commit(tx);
	/* one row per position (on PostgreSQL the refusal ends the
	 * transaction: a transaction of its own) */
	tx = x_begin(st, 1);
	struct hh_case_party again = child;
	again.id = 0;
	assert_int_not_equal(st->case_party_insert(tx, &again), HH_OK);
	st->tx_rollback(tx);
	char *s = x_parties(f, 0, k.id);
	char want[200];
	snprintf(want, sizeof(want), "%lld:0:spouse:invited:1;%lld:1:child:named:1;",
		 (long long)k.id, (long long)k.id);
	assert_string_equal(s, want);
	free(s);
	/* the citizen's: only the row naming them */
	s = x_parties(f, 1, bo.id);
	snprintf(want, sizeof(want), "%lld:0:spouse:invited:1;", (long long)k.id);
	assert_string_equal(s, want);
	free(s);
	/* due: only past expires_at, and only while invited */
	s = x_parties(f, 2, 9000);
	assert_string_equal(s, "");
	free(s);
	s = x_parties(f, 2, 9001);
	snprintf(want, sizeof(want), "%lld:0:spouse:invited:1;", (long long)k.id);
	assert_string_equal(s, want);
	free(s);
	/* an answer needs the version it read */
	tx = x_begin(st, 1);
	spouse.status = "confirmed";
	spouse.answered_at = 6000;
	assert_int_equal(st->case_party_update(tx, &spouse, 2), HH_ERR_CONFLICT);
	assert_int_equal(st->case_party_update(tx, &spouse, 1), HH_OK);
	assert_int_equal(st->case_party_update(tx, &spouse, 1), HH_ERR_CONFLICT);
	x_commit(tx);
	s = x_parties(f, 0, k.id);
	snprintf(want, sizeof(want), "%lld:0:spouse:confirmed:2;%lld:1:child:named:1;",
		 (long long)k.id, (long long)k.id);
	assert_string_equal(s, want);
	free(s);
	s = x_parties(f, 2, 99999);
	assert_string_equal(s, ""); /* answered: never due */
	free(s);
	assert_int_equal(x_int(st, "SELECT count(*) FROM case_parties WHERE "
				   "cpr = 'v1:k1:sealed' AND answered_at = 6000"),
			 1);
}

/* p-agree (issue 16, point 4; 0045_case_agreements.sql): an agreement's
 * versions and signatures come back as written, in order; a version or
 * a signature written twice is CONFLICT (and nothing else in the store
 * changes a row of either). */
static enum hh_rc x_push_version(void *p, const struct hh_agreement_version *v)
{
	hh_buf_printf(p, "%d:%s:%s:%s:%s:%lld:%lld;", v->version, v->content, v->hash,
		      v->signers, v->proposed_by, (long long)v->proposed_by_citizen,
		      (long long)v->proposed_at);
	return HH_OK;
}

static enum hh_rc x_push_signature(void *p, const struct hh_agreement_signature *s)
{
	hh_buf_printf(p, "%d:%s:%s:%lld:%lld;", s->version, s->hash, s->signer,
		      (long long)s->citizen_id, (long long)s->signed_at);
	return HH_OK;
}

static char *x_agreement(struct x_fx *f, int64_t case_id, int signatures)
{
	struct hh_buf b;
	hh_buf_init(&b);
	struct hh_tx *tx = x_begin(f->st, 0);
	enum hh_rc rc = signatures
				? f->st->case_signature_list(tx, &f->a, case_id,
							     x_push_signature, &b)
				: f->st->case_agreement_list(tx, &f->a, case_id,
							     x_push_version, &b);
	assert_int_equal(rc, HH_OK);
	x_commit(tx);
	return hh_buf_steal(&b);
}

static void t_case_agreements(void **state)
{
	struct x_fx *f = *state;
	struct hh_store *st = f->st;
	int64_t org = x_put_org(st, "fam", "Familieretshuset", HH_ORG_AGENCY);
	struct hh_tx *tx = x_begin(st, 1);
	struct hh_case_type t = {
		.code = "a1", .organisation = "fam", .name = "A1", .public = 1,
		.definition = "{\"states\": [{\"key\": \"received\", \"label\": "
			      "\"Modtaget\"}]}"
	};
	assert_int_equal(st->case_type_put(tx, &t), HH_OK);
	struct hh_case k = { .case_type_id = t.id, .org_id = org, .state = "received",
			     .data = "{}", .deadline_at = 100, .created_at = 5000 };
	assert_int_equal(st->case_insert(tx, &k), HH_OK);
	struct hh_agreement_version v2 = {
		.case_id = k.id, .version = 2, .content = "{\"samvaer\":\"7/7 æøå\"}",
		.hash = "bb", .signers = "applicant,parent", .proposed_by = "parent",
		.proposed_by_citizen = 8, .proposed_at = 6000 };
	struct hh_agreement_version v1 = v2;
	v1.version = 1;
	v1.content = "{\"samvaer\":\"weekend\"}";
	v1.hash = "aa";
	v1.proposed_by = "applicant";
	v1.proposed_by_citizen = 7;
	v1.proposed_at = 5000;
	/* written out of order, read by version */
	assert_int_equal(st->case_agreement_insert(tx, &v2), HH_OK);
	assert_int_equal(st->case_agreement_insert(tx, &v1), HH_OK);
	assert_true(v1.id > 0 && v2.id > 0 && v1.id != v2.id);
	struct hh_agreement_signature s1 = { .case_id = k.id, .version = 1, .hash = "aa",
					     .signer = "applicant", .citizen_id = 7,
					     .signed_at = 5000 };
	struct hh_agreement_signature s2 = { .case_id = k.id, .version = 2, .hash = "bb",
					     .signer = "parent", .citizen_id = 8,
					     .signed_at = 6000 };
	struct hh_agreement_signature s3 = { .case_id = k.id, .version = 1, .hash = "aa",
					     .signer = "parent", .citizen_id = 8,
					     .signed_at = 5500 };
	assert_int_equal(st->case_signature_insert(tx, &s2), HH_OK);
	assert_int_equal(st->case_signature_insert(tx, &s1), HH_OK);
	assert_int_equal(st->case_signature_insert(tx, &s3), HH_OK);
	assert_true(s1.id > 0);
	x_commit(tx);
	char *got = x_agreement(f, k.id, 0);
	assert_string_equal(got, "1:{\"samvaer\":\"weekend\"}:aa:applicant,parent:"
				 "applicant:7:5000;2:{\"samvaer\":\"7/7 æøå\"}:bb:"
				 "applicant,parent:parent:8:6000;");
	free(got);
	got = x_agreement(f, k.id, 1);
	assert_string_equal(got, "1:aa:applicant:7:5000;1:aa:parent:8:5500;"
				 "2:bb:parent:8:6000;");
	free(got);
	/* twice: CONFLICT, each in a transaction of its own */
	tx = x_begin(st, 1);
	assert_int_equal(st->case_agreement_insert(tx, &v1), HH_ERR_CONFLICT);
	st->tx_rollback(tx);
	tx = x_begin(st, 1);
	assert_int_equal(st->case_signature_insert(tx, &s1), HH_ERR_CONFLICT);
	st->tx_rollback(tx);
	got = x_agreement(f, k.id, 1);
	assert_string_equal(got, "1:aa:applicant:7:5000;1:aa:parent:8:5500;"
				 "2:bb:parent:8:6000;");
	free(got);
	/* another case's are its own */
	got = x_agreement(f, k.id + 1000, 0);
	assert_string_equal(got, "");
	free(got);
}
