/* store_suite_external.c - the store suite's cases for external cases
 * (store.h's x-ext block, 0034_external_cases.sql): the key is
 * (organisation, system, id); an update writes only a higher version;
 * the list is by CPR hash, newest sent_updated_at first, with the
 * organisation's name; the seal scan finds rows under other keys.
 * x-decl (0038): the case type, stage and facts a row carries (NULL on
 * rows from before), and the declared case systems (case_system_get and
 * case_system_put, which replaces by key).
 * #included by store_suite.c. */

static struct hh_external_case x_ext(int64_t org, const char *system,
				     const char *id, const unsigned char *hash,
				     int64_t version, int64_t updated)
{
	struct hh_external_case k = {
		.org_id = org, .system = system, .external_id = id,
		.cpr = "v1:k1:sealed", .cpr_key = "k1", .cpr_hash = hash,
		.cpr_hash_key = "h1", .title = "Boligstøtte", .state = "Modtaget",
		.citizen_text = "Tekst.", .deadline_at = 1800000000,
		.self_service_url = "https://x.dk/", .version = version,
		.sent_created_at = 1700000000, .sent_updated_at = updated,
		.received_at = 1790000000,
	};
	return k;
}

static enum hh_rc x_push_ext(void *p, const struct hh_external_case *k)
{
	hh_buf_printf(p, "%s/%s/%s/%lld;", k->org_name, k->system,
		      k->external_id, (long long)k->version);
	return HH_OK;
}

static void t_external_cases(void **state)
{
	struct x_fx *f = *state;
	struct hh_store *st = f->st;
	int64_t udk = x_put_org(st, "udk", "Udbetaling Danmark", HH_ORG_AGENCY);
	int64_t m902 = x_put_org(st, "902", "Åstrup", HH_ORG_MUNICIPALITY);
	unsigned char anna[32], bo[32];
	memset(anna, 0xa1, sizeof(anna));
	memset(bo, 0xb0, sizeof(bo));

	struct hh_tx *tx = x_begin(st, 1);
	struct hh_external_case k = x_ext(udk, "esdh", "A-1", anna, 3, 100);
	assert_int_equal(st->external_case_put(tx, &k), HH_OK);
	assert_true(k.id > 0);
	int64_t id = k.id;
	/* the same key again: CONFLICT; another organisation's: its own */
	struct hh_external_case dup = x_ext(udk, "esdh", "A-1", anna, 1, 100);
	assert_int_equal(st->external_case_put(tx, &dup), HH_ERR_CONFLICT);
	x_commit(tx);
	tx = x_begin(st, 1);
	struct hh_external_case other = x_ext(m902, "esdh", "A-1", bo, 1, 300);
	assert_int_equal(st->external_case_put(tx, &other), HH_OK);
	struct hh_external_case two = x_ext(udk, "esdh", "A-2", anna, 1, 200);
	assert_int_equal(st->external_case_put(tx, &two), HH_OK);
	x_commit(tx);

	/* an update: only a higher version is written */
	tx = x_begin(st, 1);
	struct hh_external_case old = x_ext(udk, "esdh", "A-1", anna, 2, 100);
	old.id = id;
	old.state = "Gammel";
	assert_int_equal(st->external_case_put(tx, &old), HH_ERR_CONFLICT);
	struct hh_external_case same = x_ext(udk, "esdh", "A-1", anna, 3, 100);
	same.id = id;
	assert_int_equal(st->external_case_put(tx, &same), HH_ERR_CONFLICT);
	struct hh_external_case next = x_ext(udk, "esdh", "A-1", anna, 4, 150);
	next.id = id;
	next.state = "Afgjort";
	next.self_service_url = NULL;
	next.deadline_at = 0;
	next.case_type = "boligstoette";
	next.stage = "decided";
	next.facts = "{\"husstand\":2}";
	assert_int_equal(st->external_case_put(tx, &next), HH_OK);
	x_commit(tx);

	tx = x_begin(st, 0);
	struct hh_external_case got;
	assert_int_equal(st->external_case_get(tx, &f->a, udk, "esdh", "A-1", &got),
			 HH_OK);
	assert_int_equal(got.id, id);
	assert_int_equal(got.version, 4);
	assert_string_equal(got.state, "Afgjort");
	assert_null(got.self_service_url);
	assert_int_equal(got.deadline_at, 0);
	assert_string_equal(got.org_code, "udk");
	assert_string_equal(got.org_name, "Udbetaling Danmark");
	assert_string_equal(got.cpr, "v1:k1:sealed");
	assert_memory_equal(got.cpr_hash, anna, 32);
	assert_int_equal(got.sent_created_at, 1700000000);
	assert_int_equal(got.sent_updated_at, 150);
	assert_int_equal(got.received_at, 1790000000);
	assert_string_equal(got.case_type, "boligstoette");
	assert_string_equal(got.stage, "decided");
	assert_string_equal(got.facts, "{\"husstand\":2}");
	assert_int_equal(st->external_case_get(tx, &f->a, m902, "esdh", "A-1", &got),
			 HH_OK);
	assert_null(got.case_type); /* none given: NULL, as rows from before */
	assert_null(got.stage);
	assert_null(got.facts);
	assert_int_equal(st->external_case_get(tx, &f->a, udk, "esdh", "A-9", &got),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(st->external_case_get(tx, &f->a, udk, "other", "A-1", &got),
			 HH_ERR_NOT_FOUND);

	/* by CPR hash, newest first; Bo's is not Anna's */
	struct hh_buf b;
	hh_buf_init(&b);
	assert_int_equal(st->external_case_list(tx, &f->a, anna, 10, x_push_ext, &b),
			 HH_OK);
	assert_string_equal(hh_buf_str(&b), "Udbetaling Danmark/esdh/A-2/1;"
					    "Udbetaling Danmark/esdh/A-1/4;");
	hh_buf_reset(&b);
	assert_int_equal(st->external_case_list(tx, &f->a, anna, 1, x_push_ext, &b),
			 HH_OK);
	assert_string_equal(hh_buf_str(&b), "Udbetaling Danmark/esdh/A-2/1;");
	hh_buf_reset(&b);
	assert_int_equal(st->external_case_list(tx, &f->a, bo, 10, x_push_ext, &b),
			 HH_OK);
	assert_string_equal(hh_buf_str(&b), "Åstrup/esdh/A-1/1;");

	/* the seal scan: rows not under (k2, h1), from after_id on */
	hh_buf_reset(&b);
	assert_int_equal(st->external_seal_scan(tx, &f->a, 0, "k1", "h1", 10,
						x_push_ext, &b),
			 HH_OK);
	assert_string_equal(hh_buf_str(&b), "");
	assert_int_equal(st->external_seal_scan(tx, &f->a, 0, "k2", "h1", 2,
						x_push_ext, &b),
			 HH_OK);
	assert_string_equal(hh_buf_str(&b), "Udbetaling Danmark/esdh/A-1/4;"
					    "Åstrup/esdh/A-1/1;");
	tu_read_end(tx);

	tx = x_begin(st, 1);
	unsigned char anna2[32];
	memset(anna2, 0xa2, sizeof(anna2));
	struct hh_external_case s = { .id = id, .cpr = "v1:k2:resealed",
				      .cpr_key = "k2", .cpr_hash = anna2,
				      .cpr_hash_key = "h2" };
	assert_int_equal(st->external_seal_set(tx, &s), HH_OK);
	x_commit(tx);
	tx = x_begin(st, 0);
	assert_int_equal(st->external_case_get(tx, &f->a, udk, "esdh", "A-1", &got),
			 HH_OK);
	assert_string_equal(got.cpr, "v1:k2:resealed");
	assert_string_equal(got.cpr_key, "k2");
	assert_string_equal(got.cpr_hash_key, "h2");
	assert_int_equal(got.version, 4); /* nothing else changed */
	assert_string_equal(got.state, "Afgjort");
	hh_buf_reset(&b);
	assert_int_equal(st->external_case_list(tx, &f->a, anna2, 10, x_push_ext, &b),
			 HH_OK);
	assert_string_equal(hh_buf_str(&b), "Udbetaling Danmark/esdh/A-1/4;");
	tu_read_end(tx);
	hh_buf_clear(&b);
}

/* x-fix: what a follow-up rule started, once per (external case, rule) */
static void t_external_followups(void **state)
{
	struct x_fx *f = *state;
	struct hh_store *st = f->st;
	int64_t udk = x_put_org(st, "udk", "Udbetaling Danmark", HH_ORG_AGENCY);
	unsigned char h[32];
	memset(h, 0xc1, sizeof(h));
	struct hh_tx *tx = x_begin(st, 1);
	struct hh_external_case k = x_ext(udk, "esdh", "F-1", h, 1, 100);
	assert_int_equal(st->external_case_put(tx, &k), HH_OK);
	struct hh_external_case k2 = x_ext(udk, "esdh", "F-2", h, 1, 100);
	assert_int_equal(st->external_case_put(tx, &k2), HH_OK);
	int yes = 1;
	assert_int_equal(st->external_followup_started(tx, k.id, "r1", &yes), HH_OK);
	assert_false(yes);
	assert_int_equal(st->external_followup_put(tx, k.id, "r1", 7, 100), HH_OK);
	x_commit(tx);
	tx = x_begin(st, 1);
	assert_int_equal(st->external_followup_started(tx, k.id, "r1", &yes), HH_OK);
	assert_true(yes);
	/* another rule, another case: not recorded */
	assert_int_equal(st->external_followup_started(tx, k.id, "r2", &yes), HH_OK);
	assert_false(yes);
	assert_int_equal(st->external_followup_started(tx, k2.id, "r1", &yes), HH_OK);
	assert_false(yes);
	/* the same key again: CONFLICT */
	assert_int_equal(st->external_followup_put(tx, k.id, "r1", 8, 101),
			 HH_ERR_CONFLICT);
	assert_int_equal(st->external_followup_put(tx, k2.id, "r1", 9, 101), HH_OK);
	x_commit(tx);
}

/* x-decl: a declaration per (organisation, system); put replaces */
static void t_case_systems(void **state)
{
	struct x_fx *f = *state;
	struct hh_store *st = f->st;
	int64_t frh = x_put_org(st, "familieretshuset", "Familieretshuset",
				HH_ORG_AGENCY);
	int64_t udk = x_put_org(st, "udk", "Udbetaling Danmark", HH_ORG_AGENCY);

	struct hh_tx *tx = x_begin(st, 1);
	struct hh_case_system c = { .org_id = frh, .system = "familiesag",
				    .label = "Familieretshusets sagssystem",
				    .definition = "{\"v\":1}", .updated_at = 100 };
	int created = -1;
	assert_int_equal(st->case_system_put(tx, &c, &created), HH_OK);
	assert_int_equal(created, 1);
	assert_true(c.id > 0);
	int64_t id = c.id;
	/* the same name at another organisation is its own */
	struct hh_case_system o = { .org_id = udk, .system = "familiesag",
				    .label = "UDK", .definition = "{\"v\":9}",
				    .updated_at = 50 };
	assert_int_equal(st->case_system_put(tx, &o, &created), HH_OK);
	assert_int_equal(created, 1);
	assert_true(o.id != id);
	x_commit(tx);

	tx = x_begin(st, 1);
	struct hh_case_system again = { .org_id = frh, .system = "familiesag",
					.label = "Nyt navn",
					.definition = "{\"v\":2}",
					.updated_at = 200 };
	assert_int_equal(st->case_system_put(tx, &again, &created), HH_OK);
	assert_int_equal(created, 0);
	assert_int_equal(again.id, id);
	x_commit(tx);

	tx = x_begin(st, 0);
	struct hh_case_system got;
	assert_int_equal(st->case_system_get(tx, &f->a, frh, "familiesag", &got),
			 HH_OK);
	assert_int_equal(got.id, id);
	assert_int_equal(got.org_id, frh);
	assert_string_equal(got.org_code, "familieretshuset");
	assert_string_equal(got.system, "familiesag");
	assert_string_equal(got.label, "Nyt navn");
	assert_string_equal(got.definition, "{\"v\":2}");
	assert_int_equal(got.updated_at, 200);
	assert_int_equal(st->case_system_get(tx, &f->a, udk, "familiesag", &got),
			 HH_OK);
	assert_string_equal(got.definition, "{\"v\":9}");
	assert_int_equal(st->case_system_get(tx, &f->a, frh, "andet", &got),
			 HH_ERR_NOT_FOUND);
	tu_read_end(tx);
}
