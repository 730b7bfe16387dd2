/* store_suite_faults.c - the store test suite's fault injection cases:
 * the store fails (IO, BUSY) at every call site of a domain write, and
 * nothing may be lost, written twice or half-written. Included by
 * store_suite.c. */
static void x_fault_off(struct hh_store *st)
{
	hh_store_fault_inject(st, 0, HH_OK);
}

/* Every article is whole: one version row per version (1..version), the
 * newest agreeing with the article, and one event per version; no event
 * but those of the articles (nothing else here writes events) and no
 * version row without its article. */
static void x_assert_consistent(struct hh_store *st)
{
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_article *arts;
	size_t n = tu_articles(st, &a, &arts);
	int64_t events = 0;
	for (size_t i = 0; i < n; i++) {
		const struct hh_article *art = &arts[i];
		struct hh_article *v;
		size_t nv = tu_versions(st, &a, art->id, &v);
		if ((int64_t)nv != art->version)
			fail_msg("%s: %zu version rows for version %lld",
				 art->slug, nv, (long long)art->version);
		for (size_t k = 0; k < nv; k++)
			assert_int_equal(v[k].version, (int64_t)k + 1);
		const struct hh_article *last = &v[nv - 1];
		if (strcmp(last->title, art->title) ||
		    strcmp(last->body_md, art->body_md) ||
		    last->status != art->status)
			fail_msg("%s: the newest version row differs",
				 art->slug);
		struct hh_event *e;
		size_t ne = tu_events(st, &a, "article", art->id, &e);
		if ((int64_t)ne != art->version)
			fail_msg("%s: %zu events for version %lld", art->slug,
				 ne, (long long)art->version);
		events += (int64_t)ne;
	}
	assert_int_equal(tu_event_count(st), events);
	/* what the interface cannot read: version rows of no article */
	assert_int_equal(x_int(st, "SELECT count(*) FROM article_versions v "
				   "WHERE NOT EXISTS (SELECT 1 FROM articles a "
				   "WHERE a.id = v.article_id)"),
			 0);
	hh_arena_clear(&a);
}

/* How many articles, stored versions of them (all), and the sum of
 * their versions. */
static int64_t x_n_articles(struct hh_store *st)
{
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_article *v;
	int64_t n = (int64_t)tu_articles(st, &a, &v);
	hh_arena_clear(&a);
	return n;
}

static int64_t x_n_versions(struct hh_store *st)
{
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_article *v;
	int64_t n = (int64_t)tu_versions(st, &a, 0, &v);
	hh_arena_clear(&a);
	return n;
}

/* Articles with version (0: any), title (NULL: any) and status (0:
 * any); the sum of the versions of those goes to *vsum (may be NULL). */
static int64_t x_articles_with(struct hh_store *st, int64_t version,
			       const char *title, enum hh_status status,
			       int64_t *vsum)
{
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_article *v;
	size_t n = tu_articles(st, &a, &v);
	int64_t k = 0, sum = 0;
	for (size_t i = 0; i < n; i++) {
		if ((version && v[i].version != version) ||
		    (title && strcmp(v[i].title, title)) ||
		    (status && v[i].status != status))
			continue;
		k++;
		sum += v[i].version;
	}
	hh_arena_clear(&a);
	if (vsum)
		*vsum = sum;
	return k;
}

/* The version of the one article there is. */
static int64_t x_only_version(struct hh_store *st)
{
	int64_t sum;
	assert_int_equal(x_articles_with(st, 0, NULL, 0, &sum), 1);
	return sum;
}

static int64_t x_n_orgs(struct hh_store *st)
{
	int64_t n;
	tu_counts(st, &n, NULL, NULL);
	return n;
}

static int64_t x_n_life_events(struct hh_store *st)
{
	int64_t n;
	tu_counts(st, NULL, NULL, &n);
	return n;
}

static const struct hh_actor x_editor901 = {
	.label = "user:1", .org_id = 1, .org_is_municipality = 1,
	.roles = HH_ROLE_EDITOR
};

static struct hh_article x_new(struct hh_arena *a, const char *slug,
			       int64_t org)
{
	struct hh_article art = {
		.org_id = org,
		.slug = hh_arena_strdup(a, slug),
		.title = "Titel",
		.summary = "Resumé",
		.body_md = "# Hej\n\nTekst",
		.keywords = "x,y",
		.kle = "01.02",
		.audience = HH_AUDIENCE_CITIZEN,
		.status = HH_STATUS_PUBLISHED,
	};
	return art;
}

static void t_fault_article_create(void **state)
{
	struct x_fx *f = *state;
	int64_t m901 = x_put_org(f->st, "901", "Nordskov", HH_ORG_MUNICIPALITY);
	assert_int_equal(m901, x_editor901.org_id);
	const char *field;
	/* IO at call n: fails, and nothing of it is stored */
	int n, sites = 0;
	for (n = 1; n < 100; n++) {
		struct hh_article a = x_new(&f->a, "io-create", m901);
		hh_store_fault_inject(f->st, n, HH_ERR_IO);
		enum hh_rc rc = hh_article_create(f->st, &x_editor901, &f->a, &a,
						  &field);
		x_fault_off(f->st);
		if (rc == HH_OK)
			break;
		assert_int_equal(rc, HH_ERR_IO);
		sites++;
		assert_int_equal(x_n_articles(f->st), 0);
		assert_int_equal(x_n_versions(f->st),
				 0);
		assert_int_equal(tu_event_count(f->st), 0);
	}
	/* begin, org_get, article_insert, event_append, commit at least */
	assert_true(sites >= 5);
	x_assert_consistent(f->st);
	assert_int_equal(x_n_articles(f->st), 1);
	assert_int_equal(tu_event_count(f->st), 1);

	/* BUSY at every call site: retried to success, written once */
	for (n = 1; n <= sites + 1; n++) {
		char slug[32];
		snprintf(slug, sizeof(slug), "busy-%d", n);
		struct hh_article a = x_new(&f->a, slug, m901);
		hh_store_fault_inject(f->st, n, HH_ERR_BUSY);
		enum hh_rc rc = hh_article_create(f->st, &x_editor901, &f->a, &a,
						  &field);
		x_fault_off(f->st);
		assert_int_equal(rc, HH_OK);
		assert_int_equal(a.version, 1);
		struct hh_article got;
		struct hh_tx *tx = x_begin(f->st, 0);
		assert_int_equal(f->st->article_get(tx, &f->a, m901, slug, &got),
				 HH_OK);
		x_commit(tx);
		assert_int_equal(got.version, 1);
		x_assert_consistent(f->st);
	}
	assert_int_equal(tu_event_count(f->st),
			 1 + sites + 1);
}

static void t_fault_article_update(void **state)
{
	struct x_fx *f = *state;
	int64_t m901 = x_put_org(f->st, "901", "Nordskov", HH_ORG_MUNICIPALITY);
	const char *field;
	struct hh_article a = x_new(&f->a, "opdater", m901);
	assert_int_equal(hh_article_create(f->st, &x_editor901, &f->a, &a,
					   &field),
			 HH_OK);
	int n, sites = 0;
	for (n = 1; n < 100; n++) {
		struct hh_article u = x_new(&f->a, "opdater", m901);
		u.title = "Ny titel";
		int changed = -1;
		hh_store_fault_inject(f->st, n, HH_ERR_IO);
		enum hh_rc rc = hh_article_update(f->st, &x_editor901, &f->a, &u,
						  1, &changed, &field);
		x_fault_off(f->st);
		if (rc == HH_OK) {
			assert_int_equal(changed, 1);
			assert_int_equal(u.version, 2);
			break;
		}
		assert_int_equal(rc, HH_ERR_IO);
		assert_int_equal(changed, 0);
		sites++;
		assert_int_equal(x_only_version(f->st), 1);
		assert_int_equal(x_articles_with(f->st, 0, "Titel", 0, NULL), 1);
		assert_int_equal(x_n_versions(f->st),
				 1);
		assert_int_equal(tu_event_count(f->st), 1);
	}
	/* begin, article_get, article_update, event_append, commit */
	assert_true(sites >= 5);
	x_assert_consistent(f->st);
	assert_int_equal(x_only_version(f->st), 2);

	/* BUSY at each site: applied exactly once (version + 1, not + 2) */
	for (n = 1; n <= sites + 1; n++) {
		int64_t before = x_only_version(f->st);
		struct hh_article u = x_new(&f->a, "opdater", m901);
		u.title = hh_arena_printf(&f->a, "Titel %d", n);
		int changed = -1;
		hh_store_fault_inject(f->st, n, HH_ERR_BUSY);
		enum hh_rc rc = hh_article_update(f->st, &x_editor901, &f->a, &u,
						  before, &changed, &field);
		x_fault_off(f->st);
		assert_int_equal(rc, HH_OK);
		assert_int_equal(changed, 1);
		assert_int_equal(u.version, before + 1);
		assert_int_equal(x_only_version(f->st),
				 before + 1);
		x_assert_consistent(f->st);
	}

	/* archive under IO faults: all or nothing too */
	int64_t v = x_only_version(f->st);
	for (n = 1; n < 100; n++) {
		hh_store_fault_inject(f->st, n, HH_ERR_IO);
		struct hh_article out;
		enum hh_rc rc = hh_article_archive(f->st, &x_editor901, &f->a,
						   m901, "opdater", v, &out);
		x_fault_off(f->st);
		x_assert_consistent(f->st);
		if (rc == HH_OK) {
			assert_int_equal(out.status, HH_STATUS_ARCHIVED);
			break;
		}
		assert_int_equal(x_only_version(f->st), v);
	}
	assert_true(n > 4);
	assert_int_equal(x_articles_with(f->st, 0, NULL, HH_STATUS_ARCHIVED,
					 NULL),
			 1);
}

/* A small content folder: three organisations, a shared article, an
 * override, a municipality's own, an agency's, and a life event. */
static void x_content(const char *dir, int rev)
{
	char p[4300];
	snprintf(p, sizeof(p), "mkdir -p '%s/articles/901' '%s/articles/udk' "
			       "'%s/life-events'",
		 dir, dir, dir);
	assert_int_equal(system(p), 0);
	snprintf(p, sizeof(p), "%s/organisations.json", dir);
	tu_write(p, "[{\"code\":\"901\",\"name\":\"Nordskov\",\"kind\":"
		    "\"municipality\"},{\"code\":\"902\",\"name\":\"Åstrup\","
		    "\"kind\":\"municipality\"},{\"code\":\"udk\",\"name\":"
		    "\"UDK\",\"kind\":\"agency\"}]");
	static const char *const files[][2] = {
		{ "articles/flytning.md", "" },
		{ "articles/pas.md", "" },
		{ "articles/901/flytning.md", "901" },
		{ "articles/901/jul.md", "901" },
		{ "articles/udk/pension.md", "udk" },
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, files[i][0]);
		char text[600];
		snprintf(text, sizeof(text),
			 "---\ntitle: %s rev %d\nsummary: Resumé\n"
			 "keywords: a, b\nkle: 01.02\naudience: citizen\n"
			 "status: published\n%s%s%s---\n\nTekst %d.\n",
			 files[i][0], rev == 2 && i % 2 ? 2 : 1,
			 *files[i][1] ? "organisation: " : "", files[i][1],
			 *files[i][1] ? "\n" : "", rev == 2 && i % 2 ? 2 : 1);
		tu_write(p, text);
	}
	if (rev == 2) {
		snprintf(p, sizeof(p), "%s/articles/ny-artikel.md", dir);
		tu_write(p, "---\ntitle: Ny\nsummary: S\nkeywords:\nkle:\n"
			    "audience: staff\nstatus: draft\n---\n\nNy.\n");
	}
	snprintf(p, sizeof(p), "%s/life-events/flytning.json", dir);
	tu_write(p, "{\"title\":\"Flytning\",\"summary\":\"S\",\"position\":1,"
		    "\"articles\":[\"flytning\"]}");
}

static FILE *x_devnull(void)
{
	FILE *f = fopen("/dev/null", "w");
	assert_non_null(f);
	return f;
}

/* Import under IO faults at every call site, from an empty store (rev 1)
 * and over an imported one (rev 2: two changed files and one new). */
static void t_fault_content_import(void **state)
{
	struct x_fx *f = *state;
	char *src = x_subdir(f);
	x_content(src, 1);
	char *src2 = x_subdir(f);
	x_content(src2, 2);
	FILE *errs = x_devnull();
	for (int rev = 1; rev <= 2; rev++) {
		int n, sites = 0;
		for (n = 1; n < 200; n++) {
			char *dir = x_subdir(f);
			struct hh_store *st = backend->open(dir, 2);
			struct hh_import_stats stats;
			if (rev == 2)
				assert_int_equal(hh_content_import(st, src, 0, errs,
								   NULL, NULL,
								   &stats),
						 HH_OK);
			int64_t v_before;
			x_articles_with(st, 0, NULL, 0, &v_before);
			hh_store_fault_inject(st, n, HH_ERR_IO);
			enum hh_rc rc = hh_content_import(
				st, rev == 1 ? src : src2, 0, errs, NULL, NULL,
				&stats);
			x_fault_off(st);
			x_assert_consistent(st);
			int64_t vsum;
			int64_t arts = x_articles_with(st, 0, NULL, 0, &vsum);
			int done = rc == HH_OK;
			if (!done) {
				assert_int_not_equal(rc, HH_ERR_INVALID);
				sites++;
			}
			/* the articles are one batch: all or nothing */
			if (rev == 1) {
				assert_true(arts == 0 || arts == 5);
				if (arts == 5)
					assert_int_equal(vsum, 5);
			} else {
				assert_true((arts == 5 && vsum == v_before) ||
					    (arts == 6 && vsum == v_before + 3));
			}
			if (done) {
				assert_int_equal(arts, rev == 1 ? 5 : 6);
				assert_int_equal(stats.articles_created,
						 rev == 1 ? 5 : 1);
				assert_int_equal(stats.articles_updated,
						 rev == 1 ? 0 : 2);
			} else {
				/* a clean retry completes the import */
				assert_int_equal(hh_content_import(
							 st, rev == 1 ? src : src2,
							 0, errs, NULL, NULL,
							 &stats),
						 HH_OK);
				x_assert_consistent(st);
				assert_int_equal(x_n_articles(st),
						 rev == 1 ? 5 : 6);
				assert_int_equal(x_n_orgs(st),
						 3);
				assert_int_equal(x_n_life_events(st),
						 1);
			}
			hh_store_close(st);
			x_rmdir(dir);
			if (done)
				break;
		}
		/* orgs (begin, 3 puts, commit), the batch, the life event */
		assert_true(sites >= 20);
	}
	fclose(errs);
	x_rmdir(src);
	x_rmdir(src2);
}

/* Import under BUSY faults at every call site: retried, and the outcome
 * (rows and statistics) is the same as without faults. */
static void t_fault_content_import_busy(void **state)
{
	struct x_fx *f = *state;
	char *src = x_subdir(f);
	x_content(src, 1);
	FILE *errs = x_devnull();
	for (int n = 1; n <= 40; n++) {
		char *dir = x_subdir(f);
		struct hh_store *st = backend->open(dir, 2);
		struct hh_import_stats stats;
		hh_store_fault_inject(st, n, HH_ERR_BUSY);
		assert_int_equal(hh_content_import(st, src, 0, errs, NULL, NULL,
						   &stats),
				 HH_OK);
		x_fault_off(st);
		assert_int_equal(stats.organisations, 3);
		assert_int_equal(stats.articles_created, 5);
		assert_int_equal(stats.articles_updated, 0);
		assert_int_equal(stats.articles_unchanged, 0);
		assert_int_equal(stats.life_events, 1);
		assert_int_equal(stats.files_failed, 0);
		x_assert_consistent(st);
		assert_int_equal(x_articles_with(st, 1, NULL, 0, NULL), 5);
		assert_int_equal(x_n_orgs(st),
				 3);
		assert_int_equal(tu_event_count(st), 5);
		assert_int_equal(x_n_life_events(st), 1);
		hh_store_close(st);
		x_rmdir(dir);
	}
	fclose(errs);
	x_rmdir(src);
}

/* The test hook itself: the n-th call fails once, then calls succeed. */
static void t_fault_inject_hook(void **state)
{
	struct x_fx *f = *state;
	hh_store_fault_inject(f->st, 2, HH_ERR_IO);
	struct hh_tx *tx = x_begin(f->st, 0); /* call 1 */
	const char *v;
	assert_int_equal(f->st->meta_get(tx, &f->a, "k", &v), HH_ERR_IO);
	assert_int_equal(f->st->meta_get(tx, &f->a, "k", &v), HH_OK);
	x_commit(tx);
	hh_store_fault_inject(f->st, 1, HH_ERR_BUSY);
	struct hh_tx *t2 = NULL;
	assert_int_equal(f->st->tx_begin(f->st->cls, 1, &t2), HH_ERR_BUSY);
	/* the failed begin did not keep a connection */
	struct hh_tx *t3 = x_begin(f->st, 1);
	struct hh_tx *t4 = x_begin(f->st, 0);
	x_commit(t3);
	x_commit(t4);
	/* a failing commit rolls back */
	tx = x_begin(f->st, 1);
	assert_int_equal(f->st->meta_set(tx, "k", "v"), HH_OK);
	hh_store_fault_inject(f->st, 1, HH_ERR_IO);
	assert_int_equal(f->st->tx_commit(tx), HH_ERR_IO);
	tx = x_begin(f->st, 0);
	const char *left = "sentinel";
	assert_int_equal(f->st->meta_get(tx, &f->a, "k", &left), HH_OK);
	assert_null(left);
	x_commit(tx);
	struct hh_tx *t5 = x_begin(f->st, 1), *t6 = x_begin(f->st, 0);
	x_commit(t5);
	x_commit(t6);
}
