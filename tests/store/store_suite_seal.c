/* store_suite_seal.c - part of the store suite (included by store_suite.c):
 * what CPR sealing (domain/vault.h) needs of a backend. The store only
 * keeps the strings, key ids and hashes it is given; these cases give it
 * made-up ones, with no vault attached. */

static enum hh_rc x_collect_cit(void *p, const struct hh_citizen *c)
{
	struct hh_buf *b = p;
	hh_buf_printf(b, "%s/%s ", c->subject, c->cpr_key ? c->cpr_key : "-");
	return HH_OK;
}

static enum hh_rc x_collect_case_seal(void *p, const struct hh_case *c)
{
	struct hh_buf *b = p;
	hh_buf_printf(b, "%lld/%s ", (long long)c->id,
		      c->seal_key ? c->seal_key : "-");
	return HH_OK;
}

static enum hh_rc x_collect_key(void *p, const char *id)
{
	struct hh_buf *b = p;
	hh_buf_printf(b, "%s ", id ? id : "NULL");
	return HH_OK;
}

/* The scan's rows as "subject/key ..." (citizens) or "id/key ...". */
static const char *x_scan(struct x_fx *f, int cases, int64_t after,
			  const char *seal, const char *hash, int limit)
{
	struct hh_buf b;
	hh_buf_init(&b);
	struct hh_tx *tx = x_begin(f->st, 0);
	enum hh_rc rc = cases ? f->st->case_seal_scan(tx, &f->a, after, seal, limit,
						      x_collect_case_seal, &b)
			      : f->st->citizen_seal_scan(tx, &f->a, after, seal, hash,
							 limit, x_collect_cit, &b);
	assert_int_equal(rc, HH_OK);
	x_commit(tx);
	const char *s = hh_arena_strdup(&f->a, hh_buf_str(&b));
	hh_buf_clear(&b);
	return s;
}

static const char *x_keys_in_use(struct x_fx *f)
{
	struct hh_buf b;
	hh_buf_init(&b);
	struct hh_tx *tx = x_begin(f->st, 0);
	assert_int_equal(f->st->seal_keys_in_use(tx, &f->a, x_collect_key, &b), HH_OK);
	x_commit(tx);
	const char *s = hh_arena_strdup(&f->a, hh_buf_str(&b));
	hh_buf_clear(&b);
	return s;
}

/* The same key ids, in any order (a set). */
static void x_same_keys(const char *got, const char *want)
{
	assert_int_equal(strlen(got), strlen(want));
	char w[64];
	snprintf(w, sizeof(w), "%s", want);
	for (char *id = strtok(w, " "); id; id = strtok(NULL, " ")) {
		char one[40];
		snprintf(one, sizeof(one), "%s ", id);
		assert_non_null(strstr(got, one));
	}
}

static void t_seal_columns(void **state)
{
	struct x_fx *f = *state;
	int64_t org = x_put_org(f->st, "901", "Nordskov", HH_ORG_MUNICIPALITY);
	unsigned char h1[32], h2[32];
	memset(h1, 1, 32);
	memset(h2, 2, 32);
	struct hh_tx *tx = x_begin(f->st, 1);
	struct hh_citizen anna = { .subject = "s:anna", .name = "Anna",
				   .cpr = "v1:ka:AAA", .cpr_key = "ka",
				   .cpr_hash = h1, .cpr_hash_key = "ha" };
	struct hh_citizen bo = { .subject = "s:bo", .name = "Bo",
				 .cpr = "0101011234" }; /* from before sealing */
	assert_int_equal(f->st->citizen_put(tx, &anna), HH_OK);
	assert_int_equal(f->st->citizen_put(tx, &bo), HH_OK);
	/* signing in again without a CPR number keeps it, key and hash */
	struct hh_citizen again = { .subject = "s:anna", .name = "Anna A" };
	assert_int_equal(f->st->citizen_put(tx, &again), HH_OK);
	assert_int_equal(again.id, anna.id);
	struct hh_case_type ct = { .code = "t", .organisation = "901", .name = "T",
				   .public = 1, .definition = "{}" };
	assert_int_equal(f->st->case_type_put(tx, &ct), HH_OK);
	struct hh_case k1 = { .case_type_id = ct.id, .org_id = org, .state = "s",
			      .data = "{\"c\":\"v1:ka:BBB\"}", .seal_key = "ka" };
	struct hh_case k2 = { .case_type_id = ct.id, .org_id = org, .state = "s",
			      .data = "{\"c\":\"0101011234\"}" };
	assert_int_equal(f->st->case_insert(tx, &k1), HH_OK);
	assert_int_equal(f->st->case_insert(tx, &k2), HH_OK);
	x_commit(tx);

	/* the hash finds the row, with its key ids */
	tx = x_begin(f->st, 0);
	struct hh_citizen z;
	assert_int_equal(f->st->citizen_get_by_cpr_hash(tx, &f->a, h1, &z), HH_OK);
	assert_int_equal(z.id, anna.id);
	assert_string_equal(z.name, "Anna A");
	assert_string_equal(z.cpr, "v1:ka:AAA");
	assert_string_equal(z.cpr_key, "ka");
	assert_string_equal(z.cpr_hash_key, "ha");
	assert_memory_equal(z.cpr_hash, h1, 32);
	assert_int_equal(f->st->citizen_get_by_cpr_hash(tx, &f->a, h2, &z),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(f->st->citizen_get(tx, &f->a, bo.id, &z), HH_OK);
	assert_null(z.cpr_key);
	assert_null(z.cpr_hash);
	struct hh_case got;
	assert_int_equal(f->st->case_get(tx, &f->a, k1.id, &got), HH_OK);
	assert_string_equal(got.seal_key, "ka");
	x_commit(tx);
	x_same_keys(x_keys_in_use(f), "NULL ha ka ");
	/* a webhook's signing secret sealed under kw keeps kw in use (a
	 * rotation retired it: the secret no longer opened); one in clear
	 * (a store without a key file) names no key */
	tx = x_begin(f->st, 1);
	struct hh_webhook_sub ws = { .org_id = org, .url = "https://x.test/h",
				     .secret = "v1:kw:EEE", .events = "case.submitted",
				     .active = 1, .created_at = 1,
				     .created_by = "user:1" };
	struct hh_webhook_sub wc = ws;
	wc.secret = "whsec_AAAA";
	struct hh_webhook_topic wt = { .type = "case.submitted",
				       .entity = "case", .action = "submit" };
	assert_int_equal(f->st->webhook_sub_insert(tx, &ws, &wt, 1), HH_OK);
	assert_int_equal(f->st->webhook_sub_insert(tx, &wc, &wt, 1), HH_OK);
	x_commit(tx);
	x_same_keys(x_keys_in_use(f), "NULL ha ka kw ");
	tx = x_begin(f->st, 1);
	assert_int_equal(f->st->webhook_sub_delete(tx, org, ws.id), HH_OK);
	assert_int_equal(f->st->webhook_sub_delete(tx, org, wc.id), HH_OK);
	x_commit(tx);
	x_same_keys(x_keys_in_use(f), "NULL ha ka ");

	/* the scans: rows not under the keys asked for, by id, a batch */
	assert_string_equal(x_scan(f, 0, 0, "ka", "ha", 10), "s:bo/- ");
	assert_string_equal(x_scan(f, 0, 0, "kb", "ha", 10), "s:anna/ka s:bo/- ");
	assert_string_equal(x_scan(f, 0, 0, "ka", "hb", 1), "s:anna/ka ");
	char want[64];
	snprintf(want, sizeof(want), "s:bo/- ");
	assert_string_equal(x_scan(f, 0, anna.id, "ka", "hb", 1), want);
	snprintf(want, sizeof(want), "%lld/- ", (long long)k2.id);
	assert_string_equal(x_scan(f, 1, 0, "ka", NULL, 10), want);

	/* sealed and written back: nothing else changes */
	tx = x_begin(f->st, 1);
	struct hh_citizen bs = { .id = bo.id, .cpr = "v1:ka:CCC", .cpr_key = "ka",
				 .cpr_hash = h2, .cpr_hash_key = "ha" };
	assert_int_equal(f->st->citizen_seal_set(tx, &bs), HH_OK);
	assert_int_equal(f->st->case_seal_set(tx, k2.id, "{\"c\":\"v1:ka:DDD\"}", "ka"),
			 HH_OK);
	x_commit(tx);
	assert_string_equal(x_scan(f, 0, 0, "ka", "ha", 10), "");
	assert_string_equal(x_scan(f, 1, 0, "ka", NULL, 10), "");
	x_same_keys(x_keys_in_use(f), "ha ka ");
	tx = x_begin(f->st, 0);
	assert_int_equal(f->st->citizen_get_by_cpr_hash(tx, &f->a, h2, &z), HH_OK);
	assert_string_equal(z.name, "Bo");
	assert_string_equal(z.cpr, "v1:ka:CCC");
	assert_int_equal(f->st->case_get(tx, &f->a, k2.id, &got), HH_OK);
	assert_string_equal(got.data, "{\"c\":\"v1:ka:DDD\"}");
	assert_string_equal(got.seal_key, "ka");
	assert_int_equal(got.version, 1); /* not a change of the case */
	assert_string_equal(got.state, "s");
	x_commit(tx);
}

/* hooks-rotate: webhook_seal_scan streams, by id, the subscriptions
 * whose secret is not sealed under the key asked for (in clear, or
 * under another key; a key id that only begins like another's is
 * another key), and webhook_seal_set writes one's secret back. */
static enum hh_rc x_collect_hook(void *p, const struct hh_webhook_sub *s)
{
	struct hh_buf *b = p;
	hh_buf_printf(b, "%s ", s->secret);
	return HH_OK;
}

static const char *x_hook_scan(struct x_fx *f, int64_t after,
			       const char *seal, int limit)
{
	struct hh_buf b;
	hh_buf_init(&b);
	struct hh_tx *tx = x_begin(f->st, 0);
	assert_int_equal(f->st->webhook_seal_scan(tx, &f->a, after, seal, limit,
						  x_collect_hook, &b), HH_OK);
	x_commit(tx);
	const char *s = hh_arena_strdup(&f->a, hh_buf_str(&b));
	hh_buf_clear(&b);
	return s;
}

static void t_webhook_seal_scan(void **state)
{
	struct x_fx *f = *state;
	int64_t org = x_put_org(f->st, "901", "Nordskov", HH_ORG_MUNICIPALITY);
	struct hh_webhook_topic wt = { .type = "case.submitted",
				       .entity = "case", .action = "submit" };
	const char *secrets[] = { "v1:ka:AAA", "whsec_BBB", "v1:kb:CCC",
				  "v1:kab:DDD" };
	struct hh_webhook_sub w[4];
	struct hh_tx *tx = x_begin(f->st, 1);
	for (int i = 0; i < 4; i++) {
		w[i] = (struct hh_webhook_sub){ .org_id = org,
						.url = "https://x.test/h",
						.secret = secrets[i],
						.events = "case.submitted",
						.active = 1, .created_at = 1,
						.created_by = "user:1" };
		assert_int_equal(f->st->webhook_sub_insert(tx, &w[i], &wt, 1),
				 HH_OK);
	}
	x_commit(tx);
	assert_string_equal(x_hook_scan(f, 0, "ka", 10),
			    "whsec_BBB v1:kb:CCC v1:kab:DDD ");
	assert_string_equal(x_hook_scan(f, 0, "kb", 10),
			    "v1:ka:AAA whsec_BBB v1:kab:DDD ");
	assert_string_equal(x_hook_scan(f, 0, "ka", 1), "whsec_BBB ");
	assert_string_equal(x_hook_scan(f, w[1].id, "ka", 10),
			    "v1:kb:CCC v1:kab:DDD ");
	x_same_keys(x_keys_in_use(f), "ka kb kab ");
	tx = x_begin(f->st, 1);
	for (int i = 1; i < 4; i++)
		assert_int_equal(f->st->webhook_seal_set(tx, w[i].id, "v1:ka:NEW",
							 NULL), HH_OK);
	x_commit(tx);
	assert_string_equal(x_hook_scan(f, 0, "ka", 10), "");
	x_same_keys(x_keys_in_use(f), "ka ");
	/* nothing else of the subscription changes */
	struct hh_buf b;
	hh_buf_init(&b);
	tx = x_begin(f->st, 0);
	assert_int_equal(f->st->webhook_sub_list(tx, &f->a, org, x_collect_hook,
						 &b), HH_OK);
	x_commit(tx);
	assert_string_equal(hh_buf_str(&b),
			    "v1:ka:AAA v1:ka:NEW v1:ka:NEW v1:ka:NEW ");
	hh_buf_clear(&b);
	/* x-hooks2: a rotated-out secret counts as one: scanned, in use,
	 * written back, and forgotten by webhook_prune when its time ends */
	tx = x_begin(f->st, 1);
	assert_int_equal(f->st->webhook_secret_set(tx, org + 1, w[0].id,
						   "v1:ka:X", "v1:kc:Y", 100),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(f->st->webhook_secret_set(tx, org, w[0].id,
						   "v1:ka:NEW2", "v1:kc:OLD",
						   100), HH_OK);
	x_commit(tx);
	assert_string_equal(x_hook_scan(f, 0, "ka", 10), "v1:ka:NEW2 ");
	x_same_keys(x_keys_in_use(f), "ka kc ");
	tx = x_begin(f->st, 1);
	assert_int_equal(f->st->webhook_seal_set(tx, w[0].id, "v1:ka:NEW2",
						 "v1:ka:OLD"), HH_OK);
	x_commit(tx);
	assert_string_equal(x_hook_scan(f, 0, "ka", 10), "");
	x_same_keys(x_keys_in_use(f), "ka ");
	struct hh_webhook_sub got;
	tx = x_begin(f->st, 1);
	assert_int_equal(f->st->webhook_sub_get(tx, &f->a, org, w[0].id, &got),
			 HH_OK);
	assert_string_equal(got.previous_secret, "v1:ka:OLD");
	assert_int_equal(got.previous_until, 100);
	int64_t n = -1;
	assert_int_equal(f->st->webhook_prune(tx, 0, 99, 10, &n), HH_OK);
	assert_int_equal(n, 0);
	assert_int_equal(f->st->webhook_sub_get(tx, &f->a, org, w[0].id, &got),
			 HH_OK);
	assert_non_null(got.previous_secret); /* not yet */
	assert_int_equal(f->st->webhook_prune(tx, 0, 100, 10, &n), HH_OK);
	assert_int_equal(f->st->webhook_sub_get(tx, &f->a, org, w[0].id, &got),
			 HH_OK);
	assert_null(got.previous_secret);
	assert_int_equal(f->st->webhook_sub_get(tx, &f->a, org + 1, w[0].id,
						&got), HH_ERR_NOT_FOUND);
	x_commit(tx);
}
