/* test_articles.c - the rules for knowledge articles: validation, rights,
 * versions and events, resolution of overrides, keyword normalisation. */
#include "testutil.h"

#include "domain/articles.h"

/* Organisation ids as created by setup, in this order. */
enum { M901 = 1, M902 = 2, UDK = 3 };

static const struct hh_actor editor901 = { .label = "user:1", .org_id = M901,
	.org_is_municipality = 1, .roles = HH_ROLE_EDITOR, .system = 0 };
static const struct hh_actor admin901 = { .label = "user:2", .org_id = M901,
	.org_is_municipality = 1, .roles = HH_ROLE_ADMIN, .system = 0 };
static const struct hh_actor agent901 = { .label = "user:3", .org_id = M901,
	.org_is_municipality = 1, .roles = HH_ROLE_AGENT | HH_ROLE_CASEWORKER, .system = 0 };
static const struct hh_actor editor902 = { .label = "user:4", .org_id = M902,
	.org_is_municipality = 1, .roles = HH_ROLE_EDITOR, .system = 0 };
static const struct hh_actor editor_udk = { .label = "user:5", .org_id = UDK,
	.org_is_municipality = 0, .roles = HH_ROLE_EDITOR, .system = 0 };
static const struct hh_actor citizen = { .label = "citizen", .org_id = 0,
	.org_is_municipality = 0, .roles = HH_ROLE_CITIZEN, .system = 0 };
static const struct hh_actor orgless_editor = { .label = "user:6", .org_id = 0,
	.org_is_municipality = 0, .roles = HH_ROLE_EDITOR, .system = 0 };
static const struct hh_actor cli = { .label = "cli", .org_id = 0,
	.org_is_municipality = 0, .roles = 0, .system = 1 };

struct fx {
	char *dir;
	struct hh_store *st;
	struct hh_arena a;
};

static void put_org(struct hh_store *st, const char *code, const char *name,
		    enum hh_org_kind kind, int64_t want_id)
{
	struct hh_tx *tx;
	assert_int_equal(st->tx_begin(st->cls, 1, &tx), HH_OK);
	struct hh_org o = { .code = code, .name = name, .kind = kind };
	assert_int_equal(st->org_put(tx, &o), HH_OK);
	assert_int_equal(tx->store->tx_commit(tx), HH_OK);
	assert_int_equal(o.id, want_id);
}

static int setup(void **state)
{
	struct fx *f = hh_xcalloc(1, sizeof(*f));
	f->dir = tu_tmpdir();
	f->st = tu_store(f->dir, 2);
	hh_arena_init(&f->a);
	put_org(f->st, "901", "Nordskov Kommune", HH_ORG_MUNICIPALITY, M901);
	put_org(f->st, "902", "Åstrup Kommune", HH_ORG_MUNICIPALITY, M902);
	put_org(f->st, "udk", "Udbetaling Danmark", HH_ORG_AGENCY, UDK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	hh_store_close(f->st);
	hh_arena_clear(&f->a);
	tu_rmdir(f->dir);
	free(f);
	return 0;
}

static struct hh_article valid(void)
{
	struct hh_article a = {
		.slug = "skift-af-laege",
		.title = "Skift af læge",
		.summary = "Sådan vælger du en ny læge.",
		.body_md = "Vælg på **borger.dk**.",
		.keywords = "læge, sundhedskort",
		.kle = "29.09.02",
		.audience = HH_AUDIENCE_CITIZEN,
		.status = HH_STATUS_PUBLISHED,
	};
	return a;
}

/* What the store holds, read through its interface. */
static int64_t n_articles(struct fx *f)
{
	struct hh_article *v;
	return (int64_t)tu_articles(f->st, &f->a, &v);
}

static int64_t n_versions(struct fx *f)
{
	struct hh_article *v;
	return (int64_t)tu_versions(f->st, &f->a, 0, &v);
}

static int64_t n_events(struct fx *f)
{
	return tu_event_count(f->st);
}

/* The version of the one article there is. */
static int64_t only_version(struct fx *f)
{
	struct hh_article *v;
	assert_int_equal(tu_articles(f->st, &f->a, &v), 1);
	return v[0].version;
}

/* How many stored versions (of any article) have title (NULL: any),
 * status (0: any) and writer (NULL: any) at version (0: any). */
static int64_t n_versions_with(struct fx *f, int64_t version,
			       const char *title, enum hh_status status,
			       const char *by)
{
	struct hh_article *v;
	size_t n = tu_versions(f->st, &f->a, 0, &v);
	int64_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += (!version || v[i].version == version) &&
		     (!title || !strcmp(v[i].title, title)) &&
		     (!status || v[i].status == status) &&
		     (!by || !strcmp(v[i].updated_by, by));
	return k;
}

/* Creates an article as who; asserts success. */
static struct hh_article create(struct fx *f, const struct hh_actor *who,
				int64_t org, const char *slug,
				enum hh_audience aud, enum hh_status status)
{
	struct hh_article a = valid();
	a.org_id = org;
	a.slug = slug;
	a.audience = aud;
	a.status = status;
	a.title = hh_arena_printf(&f->a, "%s (%lld)", slug, (long long)org);
	const char *field;
	enum hh_rc rc = hh_article_create(f->st, who, &f->a, &a, &field);
	if (rc != HH_OK)
		fail_msg("create %s: %s (field %s)", slug, hh_rc_name(rc),
			 field ? field : "-");
	return a;
}

/* ---- validation -------------------------------------------------------- */

static char *repeat(const char *s, int n)
{
	struct hh_buf b;
	hh_buf_init(&b);
	for (int i = 0; i < n; i++)
		hh_buf_puts(&b, s);
	return hh_buf_steal(&b);
}

static void validate_each_field(void **state)
{
	(void)state;
	const char *field = "sentinel";
	struct hh_article a = valid();
	assert_int_equal(hh_article_validate(&a, &field), HH_OK);
	/* optional fields may be NULL or empty */
	a.keywords = NULL;
	a.kle = NULL;
	assert_int_equal(hh_article_validate(&a, &field), HH_OK);
	a.keywords = "";
	a.kle = "";
	a.body_md = "";
	assert_int_equal(hh_article_validate(&a, &field), HH_OK);

	char *t200 = repeat("æ", 200), *t201 = repeat("a", 201);
	char *s500 = repeat("ø", 500), *s501 = repeat("b", 501);
	char *k1000 = repeat("å", 1000), *k1001 = repeat("k", 1001);
	char *body_max = repeat("x", HH_BODY_MAX);
	char *body_big = repeat("x", HH_BODY_MAX + 1);
	/* the limits themselves are fine, counted in characters */
	a = valid();
	a.title = t200;
	a.summary = s500;
	a.keywords = k1000;
	a.body_md = body_max;
	assert_int_equal(hh_article_validate(&a, &field), HH_OK);

	struct {
		const char *what;
		struct hh_article a;
		const char *field;
	} cases[32];
	int n = 0;
#define CASE(fld, mutate)                        \
	do {                                     \
		cases[n].what = #mutate;         \
		cases[n].a = valid();            \
		{                                \
			struct hh_article *x = &cases[n].a; \
			mutate;                  \
		}                                \
		cases[n].field = fld;            \
		n++;                             \
	} while (0)
	CASE("slug", x->slug = NULL);
	CASE("slug", x->slug = "");
	CASE("slug", x->slug = "Skift");
	CASE("slug", x->slug = "a--b");
	CASE("slug", x->slug = "../etc");
	CASE("title", x->title = NULL);
	CASE("title", x->title = "");
	CASE("title", x->title = "   ");
	CASE("title", x->title = t201);
	CASE("title", x->title = "to\nlinjer");
	CASE("title", x->title = "cr\rhere");
	CASE("title", x->title = "bad \xc3\x28 utf8");
	CASE("summary", x->summary = NULL);
	CASE("summary", x->summary = "");
	CASE("summary", x->summary = "\t ");
	CASE("summary", x->summary = s501);
	CASE("summary", x->summary = "a\nb");
	CASE("body", x->body_md = NULL);
	CASE("body", x->body_md = body_big);
	CASE("body", x->body_md = "ok \xed\xa0\x80 surrogate");
	CASE("keywords", x->keywords = k1001);
	CASE("keywords", x->keywords = "a,\nb");
	CASE("keywords", x->keywords = "\xff");
	CASE("kle", x->kle = "2");
	CASE("kle", x->kle = "29.9");
	CASE("kle", x->kle = "29.09.02.01");
	CASE("audience", x->audience = 0);
	CASE("audience", x->audience = 3);
	CASE("status", x->status = 0);
	CASE("status", x->status = 4);
#undef CASE
	for (int i = 0; i < n; i++) {
		field = NULL;
		enum hh_rc rc = hh_article_validate(&cases[i].a, &field);
		if (rc != HH_ERR_INVALID || !field ||
		    strcmp(field, cases[i].field) != 0)
			fail_msg("%s: rc %s, field %s (want %s)", cases[i].what,
				 hh_rc_name(rc), field ? field : "NULL",
				 cases[i].field);
	}
	/* multi-line bodies are of course fine */
	a = valid();
	a.body_md = "# A\n\r\nB\n";
	assert_int_equal(hh_article_validate(&a, &field), HH_OK);
	free(t200);
	free(t201);
	free(s500);
	free(s501);
	free(k1000);
	free(k1001);
	free(body_max);
	free(body_big);
}

static void parse_and_name(void **state)
{
	(void)state;
	assert_int_equal(hh_audience_parse("citizen"), HH_AUDIENCE_CITIZEN);
	assert_int_equal(hh_audience_parse("staff"), HH_AUDIENCE_STAFF);
	assert_int_equal(hh_audience_parse("Staff"), 0);
	assert_int_equal(hh_audience_parse(""), 0);
	assert_int_equal(hh_audience_parse(NULL), 0);
	assert_int_equal(hh_status_parse("draft"), HH_STATUS_DRAFT);
	assert_int_equal(hh_status_parse("published"), HH_STATUS_PUBLISHED);
	assert_int_equal(hh_status_parse("archived"), HH_STATUS_ARCHIVED);
	assert_int_equal(hh_status_parse("deleted"), 0);
	assert_int_equal(hh_status_parse(NULL), 0);
	assert_string_equal(hh_audience_name(HH_AUDIENCE_STAFF), "staff");
	assert_string_equal(hh_audience_name(HH_AUDIENCE_CITIZEN), "citizen");
	assert_string_equal(hh_status_name(HH_STATUS_DRAFT), "draft");
	assert_string_equal(hh_status_name(HH_STATUS_ARCHIVED), "archived");
	assert_string_equal(hh_status_name(HH_STATUS_PUBLISHED), "published");
}

static void keywords_normalise(void **state)
{
	(void)state;
	struct hh_arena a;
	hh_arena_init(&a);
	static const char *const cases[][2] = {
		{ "", "" },
		{ "a", "a" },
		{ "a,b , c", "a, b, c" },
		{ "  a  ,  b  ", "a, b" },
		{ ",,a,,,b,,", "a, b" },
		{ " , , ", "" },
		{ "læge, lægeskift,gult kort", "læge, lægeskift, gult kort" },
		{ "a, b, c", "a, b, c" },
		{ "\ta\t,\tb", "a, b" },
		{ "to  ord", "to  ord" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = hh_keywords_normalise(&a, cases[i][0]);
		if (strcmp(got, cases[i][1]) != 0)
			fail_msg("'%s' -> '%s', want '%s'", cases[i][0], got,
				 cases[i][1]);
		/* normalising twice changes nothing */
		assert_string_equal(hh_keywords_normalise(&a, got), got);
	}
	hh_arena_clear(&a);
}

/* What is stored is what a content file can hold: no blanks around title
 * and summary, no CR before LF and no trailing line breaks in the body.
 * An update that differs only in those is no change. */
static void text_is_stored_canonical(void **state)
{
	struct fx *f = *state;
	struct hh_article a = valid();
	a.title = " \tSkift af læge  ";
	a.summary = "Resumé\t";
	a.body_md = "\nLinje 1\r\nLinje 2 \r\r\n\r\nSlut\r\n\n\n";
	const char *field;
	assert_int_equal(hh_article_create(f->st, &cli, &f->a, &a, &field),
			 HH_OK);
	assert_string_equal(a.title, "Skift af læge");
	assert_string_equal(a.summary, "Resumé");
	assert_string_equal(a.body_md, "\nLinje 1\nLinje 2 \n\nSlut");
	/* and so it is stored */
	struct hh_article *stored;
	assert_int_equal(tu_articles(f->st, &f->a, &stored), 1);
	assert_string_equal(stored[0].title, "Skift af læge");
	assert_string_equal(stored[0].summary, "Resumé");
	assert_null(strchr(stored[0].body_md, '\r'));
	size_t body_len = strlen(stored[0].body_md);
	assert_true(body_len >= 4 &&
		    !strcmp(stored[0].body_md + body_len - 4, "Slut"));
	/* a lone CR inside a line is kept (a file keeps it too) */
	struct hh_article u = valid();
	u.body_md = "a\rb";
	int changed;
	assert_int_equal(hh_article_update(f->st, &cli, &f->a, &u, 0, &changed,
					   &field),
			 HH_OK);
	assert_string_equal(u.body_md, "a\rb");
	/* differences only in canonical form are no change */
	u = valid();
	u.title = "Skift af læge ";
	u.body_md = "a\rb\r\n";
	assert_int_equal(hh_article_update(f->st, &cli, &f->a, &u, 0, &changed,
					   &field),
			 HH_OK);
	assert_int_equal(changed, 0);
	assert_int_equal(u.version, 2);
	/* blanks only is still an empty title */
	u = valid();
	u.title = " \t ";
	assert_int_equal(hh_article_update(f->st, &cli, &f->a, &u, 0, &changed,
					   &field),
			 HH_ERR_INVALID);
	assert_string_equal(field, "title");
}

/* ---- rights ------------------------------------------------------------ */

static void can_edit_rules(void **state)
{
	(void)state;
	/* municipality editors may edit shared articles and their own */
	assert_true(hh_article_can_edit(&editor901, 0));
	assert_true(hh_article_can_edit(&editor901, M901));
	assert_true(hh_article_can_edit(&admin901, 0));
	assert_true(hh_article_can_edit(&admin901, M901));
	/* ... but not another municipality's */
	assert_false(hh_article_can_edit(&editor901, M902));
	assert_false(hh_article_can_edit(&editor902, M901));
	assert_false(hh_article_can_edit(&editor901, UDK));
	/* agency editors edit their own, not shared ones */
	assert_false(hh_article_can_edit(&editor_udk, 0));
	assert_true(hh_article_can_edit(&editor_udk, UDK));
	assert_false(hh_article_can_edit(&editor_udk, M901));
	/* agents, caseworkers and citizens edit nothing */
	assert_false(hh_article_can_edit(&agent901, 0));
	assert_false(hh_article_can_edit(&agent901, M901));
	assert_false(hh_article_can_edit(&citizen, 0));
	/* an editor role without an organisation is not enough */
	assert_false(hh_article_can_edit(&orgless_editor, 0));
	/* command-line tools may do anything */
	assert_true(hh_article_can_edit(&cli, 0));
	assert_true(hh_article_can_edit(&cli, M902));
	assert_true(hh_article_can_edit(&cli, UDK));
}

static void can_read_rules(void **state)
{
	(void)state;
	struct hh_article a = valid();
	/* published citizen articles: everyone, anonymous included */
	a.org_id = M902;
	assert_true(hh_article_can_read(NULL, &a));
	assert_true(hh_article_can_read(&citizen, &a));
	assert_true(hh_article_can_read(&editor901, &a));
	/* staff articles: staff of any organisation, not citizens */
	a.audience = HH_AUDIENCE_STAFF;
	assert_false(hh_article_can_read(NULL, &a));
	assert_false(hh_article_can_read(&citizen, &a));
	assert_true(hh_article_can_read(&agent901, &a));
	assert_true(hh_article_can_read(&editor_udk, &a));
	assert_true(hh_article_can_read(&cli, &a));
	/* drafts: only those who could edit */
	a.audience = HH_AUDIENCE_CITIZEN;
	a.status = HH_STATUS_DRAFT;
	a.org_id = M901;
	assert_false(hh_article_can_read(NULL, &a));
	assert_false(hh_article_can_read(&citizen, &a));
	assert_false(hh_article_can_read(&agent901, &a));
	assert_false(hh_article_can_read(&editor902, &a));
	assert_false(hh_article_can_read(&editor_udk, &a));
	assert_true(hh_article_can_read(&editor901, &a));
	assert_true(hh_article_can_read(&admin901, &a));
	assert_true(hh_article_can_read(&cli, &a));
	/* a shared draft: municipality editors, not agencies */
	a.org_id = 0;
	assert_true(hh_article_can_read(&editor902, &a));
	assert_false(hh_article_can_read(&editor_udk, &a));
	assert_false(hh_article_can_read(&agent901, &a));
	/* archived like drafts */
	a.status = HH_STATUS_ARCHIVED;
	a.org_id = M902;
	assert_false(hh_article_can_read(NULL, &a));
	assert_false(hh_article_can_read(&editor901, &a));
	assert_true(hh_article_can_read(&editor902, &a));
	/* a staff draft: editors only */
	a.status = HH_STATUS_DRAFT;
	a.audience = HH_AUDIENCE_STAFF;
	assert_false(hh_article_can_read(&agent901, &a));
	assert_true(hh_article_can_read(&editor902, &a));
}

/* ---- events ------------------------------------------------------------- */

struct ev {
	char action[16];
	char actor[32];
	int64_t org_id;
	json_t *before, *after; /* new, or NULL */
};

struct evs {
	struct ev e[16];
	int n;
};

static enum hh_rc collect_event(void *p, const struct hh_event *e)
{
	struct evs *c = p;
	assert_true(c->n < 16);
	struct ev *x = &c->e[c->n++];
	snprintf(x->action, sizeof(x->action), "%s", e->action);
	snprintf(x->actor, sizeof(x->actor), "%s", e->actor);
	x->org_id = e->org_id;
	json_error_t err;
	x->before = e->before ? json_loads(e->before, 0, &err) : NULL;
	x->after = e->after ? json_loads(e->after, 0, &err) : NULL;
	if (e->before)
		assert_non_null(x->before);
	if (e->after)
		assert_non_null(x->after);
	return HH_OK;
}

static void events_of(struct fx *f, int64_t id, struct evs *out)
{
	memset(out, 0, sizeof(*out));
	struct hh_tx *tx;
	assert_int_equal(f->st->tx_begin(f->st->cls, 0, &tx), HH_OK);
	assert_int_equal(f->st->event_list(tx, &f->a, "article", id,
					   collect_event, out),
			 HH_OK);
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
}

static void events_free(struct evs *e)
{
	for (int i = 0; i < e->n; i++) {
		json_decref(e->e[i].before);
		json_decref(e->e[i].after);
	}
}

static const char *jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* A key with no value: left out or null (either is fine for clients). */
static int no_value(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return !v || json_is_null(v);
}

static void create_writes_one_event(void **state)
{
	struct fx *f = *state;
	struct hh_article a = valid();
	a.org_id = M901;
	a.keywords = " læge ,sundhedskort,, ";
	a.body_md = "Hej <b>du</b>";
	const char *field = "sentinel";
	assert_int_equal(hh_article_create(f->st, &editor901, &f->a, &a, &field),
			 HH_OK);
	assert_null(field);
	assert_true(a.id > 0);
	assert_int_equal(a.version, 1);
	assert_string_equal(a.org_code, "901");
	assert_string_equal(a.org_name, "Nordskov Kommune");
	assert_string_equal(a.keywords, "læge, sundhedskort");
	assert_string_equal(a.updated_by, "user:1");
	assert_string_equal(a.body_html, "<p>Hej &lt;b&gt;du&lt;/b&gt;</p>\n");
	assert_true(a.created_at > 0);
	assert_int_equal(a.created_at, a.updated_at);

	/* what is stored is what was returned */
	struct hh_tx *tx;
	assert_int_equal(f->st->tx_begin(f->st->cls, 0, &tx), HH_OK);
	struct hh_article g;
	assert_int_equal(f->st->article_get(tx, &f->a, M901, a.slug, &g), HH_OK);
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
	assert_int_equal(g.id, a.id);
	assert_string_equal(g.keywords, "læge, sundhedskort");
	assert_string_equal(g.body_html, a.body_html);
	assert_string_equal(g.updated_by, "user:1");

	struct evs e;
	events_of(f, a.id, &e);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.e[0].action, "create");
	assert_string_equal(e.e[0].actor, "user:1");
	assert_int_equal(e.e[0].org_id, M901);
	assert_null(e.e[0].before);
	json_t *af = e.e[0].after;
	assert_string_equal(jstr(af, "slug"), "skift-af-laege");
	assert_string_equal(jstr(af, "organisation"), "901");
	assert_string_equal(jstr(af, "title"), "Skift af læge");
	assert_string_equal(jstr(af, "summary"), "Sådan vælger du en ny læge.");
	assert_string_equal(jstr(af, "body"), "Hej <b>du</b>");
	assert_string_equal(jstr(af, "kle"), "29.09.02");
	assert_string_equal(jstr(af, "audience"), "citizen");
	assert_string_equal(jstr(af, "status"), "published");
	assert_int_equal(json_integer_value(json_object_get(af, "version")), 1);
	json_t *kw = json_object_get(af, "keywords");
	assert_int_equal(json_array_size(kw), 2);
	assert_string_equal(json_string_value(json_array_get(kw, 0)), "læge");
	assert_string_equal(json_string_value(json_array_get(kw, 1)),
			    "sundhedskort");
	/* the event is about the change, not the rendering or clocks */
	assert_null(json_object_get(af, "body_html"));
	assert_null(json_object_get(af, "organisation_name"));
	assert_null(json_object_get(af, "created_at"));
	events_free(&e);
	assert_int_equal(n_events(f), 1);
	assert_int_equal(n_versions(f), 1);

	/* a shared article's event has no organisation */
	struct hh_article s = create(f, &editor901, 0, "delt", HH_AUDIENCE_CITIZEN,
				     HH_STATUS_DRAFT);
	events_of(f, s.id, &e);
	assert_int_equal(e.n, 1);
	assert_int_equal(e.e[0].org_id, 0);
	assert_true(no_value(e.e[0].after, "organisation"));
	assert_string_equal(jstr(e.e[0].after, "status"), "draft");
	events_free(&e);
}

static void create_refusals(void **state)
{
	struct fx *f = *state;
	const char *field;
	struct hh_article a = valid();
	/* invalid input names the field and writes nothing */
	a.title = "";
	assert_int_equal(hh_article_create(f->st, &editor901, &f->a, &a, &field),
			 HH_ERR_INVALID);
	assert_string_equal(field, "title");
	/* rights */
	a = valid();
	assert_int_equal(hh_article_create(f->st, &editor_udk, &f->a, &a, &field),
			 HH_ERR_FORBIDDEN);
	a = valid();
	assert_int_equal(hh_article_create(f->st, &agent901, &f->a, &a, &field),
			 HH_ERR_FORBIDDEN);
	a = valid();
	a.org_id = M902;
	assert_int_equal(hh_article_create(f->st, &editor901, &f->a, &a, &field),
			 HH_ERR_FORBIDDEN);
	/* an organisation that does not exist */
	a = valid();
	a.org_id = 4242;
	assert_int_equal(hh_article_create(f->st, &cli, &f->a, &a, &field),
			 HH_ERR_INVALID);
	assert_string_equal(field, "organisation");
	assert_int_equal(n_articles(f), 0);
	assert_int_equal(n_events(f), 0);
	/* a taken slug */
	a = valid();
	assert_int_equal(hh_article_create(f->st, &editor901, &f->a, &a, &field),
			 HH_OK);
	a = valid();
	assert_int_equal(hh_article_create(f->st, &editor902, &f->a, &a, &field),
			 HH_ERR_CONFLICT);
	assert_string_equal(field, "slug");
	/* the same slug for an owner is an override, not a conflict */
	a = valid();
	a.org_id = M902;
	assert_int_equal(hh_article_create(f->st, &editor902, &f->a, &a, &field),
			 HH_OK);
	assert_int_equal(n_articles(f), 2);
	assert_int_equal(n_events(f), 2);
}

static void update_writes_version_and_event(void **state)
{
	struct fx *f = *state;
	struct hh_article a = create(f, &editor901, M901, "pas",
				     HH_AUDIENCE_CITIZEN, HH_STATUS_DRAFT);
	struct hh_article u = valid();
	u.org_id = M901;
	u.slug = "pas";
	u.title = "Pas, nyt";
	u.body_md = "## Ny\n";
	u.keywords = "pas,rejse";
	u.status = HH_STATUS_PUBLISHED;
	int changed = -1;
	const char *field;
	assert_int_equal(hh_article_update(f->st, &admin901, &f->a, &u, 1,
					   &changed, &field),
			 HH_OK);
	assert_int_equal(changed, 1);
	assert_int_equal(u.version, 2);
	assert_int_equal(u.id, a.id);
	assert_string_equal(u.title, "Pas, nyt");
	assert_string_equal(u.keywords, "pas, rejse");
	assert_string_equal(u.body_html, "<h2>Ny</h2>\n");
	assert_string_equal(u.updated_by, "user:2");
	assert_int_equal(u.created_at, a.created_at);
	assert_int_equal(n_versions(f), 2);
	assert_int_equal(n_versions_with(f, 2, "Pas, nyt", 0, "user:2"), 1);

	struct evs e;
	events_of(f, a.id, &e);
	assert_int_equal(e.n, 2);
	assert_string_equal(e.e[1].action, "update");
	assert_string_equal(e.e[1].actor, "user:2");
	assert_int_equal(e.e[1].org_id, M901);
	json_t *b = e.e[1].before, *af = e.e[1].after;
	assert_non_null(b);
	assert_non_null(af);
	assert_string_equal(jstr(b, "title"), a.title);
	assert_string_equal(jstr(b, "status"), "draft");
	assert_int_equal(json_integer_value(json_object_get(b, "version")), 1);
	assert_string_equal(jstr(af, "title"), "Pas, nyt");
	assert_string_equal(jstr(af, "status"), "published");
	assert_string_equal(jstr(af, "body"), "## Ny"); /* canonical */
	assert_int_equal(json_integer_value(json_object_get(af, "version")), 2);
	assert_int_equal(json_array_size(json_object_get(af, "keywords")), 2);
	/* the create event's after is the update's before */
	assert_true(json_equal(e.e[0].after, b));
	events_free(&e);

	/* version 0: whatever is current */
	u.title = "Pas, tredje";
	assert_int_equal(hh_article_update(f->st, &editor901, &f->a, &u, 0,
					   &changed, &field),
			 HH_OK);
	assert_int_equal(u.version, 3);
	/* a stale version is refused and writes nothing */
	u.title = "Forældet";
	assert_int_equal(hh_article_update(f->st, &editor901, &f->a, &u, 2,
					   &changed, &field),
			 HH_ERR_CONFLICT);
	assert_int_equal(changed, 0);
	assert_int_equal(only_version(f), 3);
	struct hh_article *now;
	assert_int_equal(tu_articles(f->st, &f->a, &now), 1);
	assert_string_equal(now[0].title, "Pas, tredje");
	assert_int_equal(n_events(f), 3);
	assert_int_equal(n_versions(f), 3);
}

static void update_rights_and_missing(void **state)
{
	struct fx *f = *state;
	create(f, &editor901, M901, "udkast", HH_AUDIENCE_CITIZEN,
	       HH_STATUS_DRAFT);
	create(f, &editor901, M901, "udgivet", HH_AUDIENCE_CITIZEN,
	       HH_STATUS_PUBLISHED);
	create(f, &editor901, 0, "delt", HH_AUDIENCE_CITIZEN,
	       HH_STATUS_PUBLISHED);
	int changed;
	const char *field;
	struct hh_article u = valid();
	u.org_id = M901;
	u.title = "X";
	/* another municipality's draft: it is not even visible */
	u.slug = "udkast";
	assert_int_equal(hh_article_update(f->st, &editor902, &f->a, &u, 0,
					   &changed, &field),
			 HH_ERR_NOT_FOUND);
	/* a published one: visible but not editable */
	u.slug = "udgivet";
	assert_int_equal(hh_article_update(f->st, &editor902, &f->a, &u, 0,
					   &changed, &field),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(hh_article_update(f->st, &agent901, &f->a, &u, 0,
					   &changed, &field),
			 HH_ERR_FORBIDDEN);
	/* shared: agency editors may not, other municipalities may */
	u.org_id = 0;
	u.slug = "delt";
	assert_int_equal(hh_article_update(f->st, &editor_udk, &f->a, &u, 0,
					   &changed, &field),
			 HH_ERR_FORBIDDEN);
	u.title = "Delt, af 902";
	assert_int_equal(hh_article_update(f->st, &editor902, &f->a, &u, 0,
					   &changed, &field),
			 HH_OK);
	assert_int_equal(changed, 1);
	/* nothing there */
	u.slug = "findes-ikke";
	assert_int_equal(hh_article_update(f->st, &editor901, &f->a, &u, 0,
					   &changed, &field),
			 HH_ERR_NOT_FOUND);
	/* invalid input is refused before any lookup, naming the field */
	u.slug = "delt";
	u.kle = "x";
	assert_int_equal(hh_article_update(f->st, &editor901, &f->a, &u, 0,
					   &changed, &field),
			 HH_ERR_INVALID);
	assert_string_equal(field, "kle");
	assert_int_equal(n_events(f), 4);
}

static void update_without_change_writes_nothing(void **state)
{
	struct fx *f = *state;
	struct hh_article a = create(f, &editor901, M901, "uaendret",
				     HH_AUDIENCE_CITIZEN, HH_STATUS_PUBLISHED);
	/* the same fields, keywords spelled differently but equal once
	 * normalised */
	struct hh_article u = valid();
	u.org_id = M901;
	u.slug = "uaendret";
	u.title = a.title;
	u.keywords = "læge ,sundhedskort";
	int changed = -1;
	const char *field;
	assert_int_equal(hh_article_update(f->st, &editor901, &f->a, &u, 1,
					   &changed, &field),
			 HH_OK);
	assert_int_equal(changed, 0);
	assert_int_equal(u.version, 1);
	assert_int_equal(u.id, a.id);
	assert_int_equal(n_versions(f), 1);
	assert_int_equal(n_events(f), 1);
	assert_int_equal(only_version(f), 1);
	/* archiving an archived article is no change either */
	struct hh_article out;
	assert_int_equal(hh_article_archive(f->st, &editor901, &f->a, M901,
					    "uaendret", 0, &out),
			 HH_OK);
	assert_int_equal(out.version, 2);
	assert_int_equal(hh_article_archive(f->st, &editor901, &f->a, M901,
					    "uaendret", 0, &out),
			 HH_OK);
	assert_int_equal(out.version, 2);
	assert_int_equal(n_events(f), 2);
	assert_int_equal(n_versions(f), 2);
}

static void archive_writes_one_event(void **state)
{
	struct fx *f = *state;
	struct hh_article a = create(f, &editor901, 0, "arkiv",
				     HH_AUDIENCE_STAFF, HH_STATUS_PUBLISHED);
	struct hh_article out;
	/* rights and versions as for updates */
	assert_int_equal(hh_article_archive(f->st, &editor_udk, &f->a, 0,
					    "arkiv", 1, &out),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(hh_article_archive(f->st, &editor901, &f->a, 0,
					    "arkiv", 7, &out),
			 HH_ERR_CONFLICT);
	assert_int_equal(hh_article_archive(f->st, &editor901, &f->a, 0,
					    "findes-ikke", 0, &out),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_article_archive(f->st, &editor902, &f->a, 0,
					    "arkiv", 1, &out),
			 HH_OK);
	assert_int_equal(out.status, HH_STATUS_ARCHIVED);
	assert_int_equal(out.version, 2);
	assert_int_equal(out.id, a.id);
	/* the other fields are kept */
	assert_string_equal(out.title, a.title);
	assert_int_equal(out.audience, HH_AUDIENCE_STAFF);
	struct evs e;
	events_of(f, a.id, &e);
	assert_int_equal(e.n, 2);
	assert_string_equal(e.e[1].action, "archive");
	assert_string_equal(e.e[1].actor, "user:4");
	assert_string_equal(jstr(e.e[1].before, "status"), "published");
	assert_string_equal(jstr(e.e[1].after, "status"), "archived");
	assert_string_equal(jstr(e.e[1].after, "title"), a.title);
	assert_int_equal(json_integer_value(json_object_get(e.e[1].after,
							   "version")),
			 2);
	events_free(&e);
	assert_int_equal(n_versions_with(f, 0, NULL, HH_STATUS_ARCHIVED, NULL),
			 1);
}

static void put_in_tx_outcomes(void **state)
{
	struct fx *f = *state;
	struct hh_tx *tx;
	int outcome = -1;
	const char *field;
	struct hh_actor import = { .label = "import", .system = 1 };
	for (int round = 0; round < 3; round++) {
		struct hh_article a = valid();
		a.org_id = M902;
		if (round == 2)
			a.title = "Ændret";
		assert_int_equal(f->st->tx_begin(f->st->cls, 1, &tx), HH_OK);
		assert_int_equal(hh_article_put_in_tx(tx, &import, &f->a, &a,
						      &outcome, &field),
				 HH_OK);
		assert_int_equal(tx->store->tx_commit(tx), HH_OK);
		assert_int_equal(outcome, round == 0 ? 1 : round == 1 ? 0 : 2);
	}
	assert_int_equal(only_version(f), 2);
	struct hh_event *ev;
	size_t n_ev = tu_events(f->st, &f->a, "article", 0, &ev);
	assert_int_equal(n_ev, n_events(f)); /* no other events */
	int64_t by_import = 0;
	for (size_t i = 0; i < n_ev; i++)
		by_import += !strcmp(ev[i].actor, "import");
	assert_int_equal(by_import, 2);
	/* invalid and forbidden */
	struct hh_article bad = valid();
	bad.status = 0;
	assert_int_equal(f->st->tx_begin(f->st->cls, 1, &tx), HH_OK);
	assert_int_equal(hh_article_put_in_tx(tx, &import, &f->a, &bad, &outcome,
					      &field),
			 HH_ERR_INVALID);
	assert_string_equal(field, "status");
	struct hh_article nope = valid();
	nope.slug = "ny-udk";
	assert_int_equal(hh_article_put_in_tx(tx, &editor_udk, &f->a, &nope,
					      &outcome, &field),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(outcome, 0);
	f->st->tx_rollback(tx);
}

/* ---- resolution --------------------------------------------------------- */

static const char *resolve(struct fx *f, const struct hh_actor *who,
			   int64_t muni, const char *slug)
{
	struct hh_tx *tx;
	assert_int_equal(f->st->tx_begin(f->st->cls, 0, &tx), HH_OK);
	struct hh_article out;
	enum hh_rc rc = hh_article_resolve(tx, &f->a, who, muni, slug, &out);
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
	if (rc == HH_ERR_NOT_FOUND)
		return "not found";
	assert_int_equal(rc, HH_OK);
	assert_string_equal(out.slug, slug);
	return out.title; /* "slug (org)" */
}

static void resolve_order(void **state)
{
	struct fx *f = *state;
	const enum hh_audience C = HH_AUDIENCE_CITIZEN, S = HH_AUDIENCE_STAFF;
	const enum hh_status P = HH_STATUS_PUBLISHED, D = HH_STATUS_DRAFT;
	/* shared + 901 override */
	create(f, &cli, 0, "flyt", C, P);
	create(f, &cli, M901, "flyt", C, P);
	/* shared + 902 draft override */
	create(f, &cli, 0, "pas", C, P);
	create(f, &cli, M902, "pas", C, D);
	/* agency only, and agency behind a shared draft */
	create(f, &cli, UDK, "pension", C, P);
	create(f, &cli, 0, "ydelse", C, D);
	create(f, &cli, UDK, "ydelse", C, P);
	/* staff only */
	create(f, &cli, 0, "intern", S, P);
	/* a municipality's own */
	create(f, &cli, M902, "vielse", C, P);

	/* the municipality's override wins for its citizens */
	assert_string_equal(resolve(f, NULL, M901, "flyt"), "flyt (1)");
	assert_string_equal(resolve(f, &editor901, M901, "flyt"), "flyt (1)");
	/* elsewhere, and with no municipality, the shared one */
	assert_string_equal(resolve(f, NULL, M902, "flyt"), "flyt (0)");
	assert_string_equal(resolve(f, NULL, 0, "flyt"), "flyt (0)");
	/* a draft override does not hide the published shared article */
	assert_string_equal(resolve(f, NULL, M902, "pas"), "pas (0)");
	assert_string_equal(resolve(f, &agent901, M902, "pas"), "pas (0)");
	assert_string_equal(resolve(f, &editor901, M902, "pas"), "pas (0)");
	/* ... but its editors see their draft */
	assert_string_equal(resolve(f, &editor902, M902, "pas"), "pas (2)");
	/* agency articles are for everyone */
	assert_string_equal(resolve(f, NULL, M901, "pension"), "pension (3)");
	assert_string_equal(resolve(f, NULL, 0, "pension"), "pension (3)");
	assert_string_equal(resolve(f, NULL, M901, "ydelse"), "ydelse (3)");
	assert_string_equal(resolve(f, &editor901, M901, "ydelse"), "ydelse (0)");
	/* staff articles only for staff */
	assert_string_equal(resolve(f, NULL, M901, "intern"), "not found");
	assert_string_equal(resolve(f, &citizen, M901, "intern"), "not found");
	assert_string_equal(resolve(f, &agent901, M901, "intern"), "intern (0)");
	/* another municipality's own article is not seen from 901 */
	assert_string_equal(resolve(f, NULL, M901, "vielse"), "not found");
	assert_string_equal(resolve(f, NULL, M902, "vielse"), "vielse (2)");
	assert_string_equal(resolve(f, NULL, M901, "findes-ikke"), "not found");
}

/* ---- reading for one reader -------------------------------------------- */

static const struct hh_actor anonymous;

/* The slugs hh_article_list hands who for q, in order, joined by " ";
 * or "forbidden:FIELD" / the rc's name. */
struct slugs {
	struct hh_buf b;
};

static enum hh_rc add_slug(void *p, const struct hh_article *a)
{
	struct slugs *s = p;
	if (s->b.len)
		hh_buf_putc(&s->b, ' ');
	hh_buf_puts(&s->b, a->slug);
	return HH_OK;
}

static const char *listed(struct fx *f, const struct hh_actor *who,
			  const struct hh_article_query *q, int64_t *total)
{
	struct slugs s;
	hh_buf_init(&s.b);
	hh_buf_puts(&s.b, "");
	const char *field = "sentinel";
	enum hh_rc rc = hh_article_list(f->st, who, &f->a, q, total, add_slug, &s,
					&field);
	const char *out;
	if (rc == HH_ERR_FORBIDDEN)
		out = hh_arena_printf(&f->a, "forbidden:%s", field);
	else if (rc != HH_OK)
		out = hh_rc_name(rc);
	else
		out = hh_arena_strdup(&f->a, hh_buf_str(&s.b));
	if (rc == HH_OK)
		assert_null(field);
	hh_buf_clear(&s.b);
	return out;
}

/* Articles of every kind: who sees which. */
static void make_kinds(struct fx *f)
{
	const enum hh_audience C = HH_AUDIENCE_CITIZEN, S = HH_AUDIENCE_STAFF;
	create(f, &cli, 0, "a-udgivet", C, HH_STATUS_PUBLISHED);
	create(f, &cli, 0, "b-personale", S, HH_STATUS_PUBLISHED);
	create(f, &cli, 0, "c-faelles-kladde", C, HH_STATUS_DRAFT);
	create(f, &cli, M901, "d-kladde", C, HH_STATUS_DRAFT);
	create(f, &cli, M901, "e-arkiveret", C, HH_STATUS_ARCHIVED);
	create(f, &cli, M902, "f-kladde", C, HH_STATUS_DRAFT);
	create(f, &cli, UDK, "g-kladde", C, HH_STATUS_DRAFT);
	create(f, &cli, UDK, "h-udgivet", C, HH_STATUS_PUBLISHED);
}

static void list_for_each_reader(void **state)
{
	struct fx *f = *state;
	make_kinds(f);
	struct hh_article_query all = { 0 };
	int64_t total = -1;
	/* the public and citizens: published citizen articles */
	assert_string_equal(listed(f, &anonymous, &all, &total),
			    "a-udgivet h-udgivet");
	assert_int_equal(total, 2);
	assert_string_equal(listed(f, &citizen, &all, NULL), "a-udgivet h-udgivet");
	/* staff who do not edit: also staff articles */
	assert_string_equal(listed(f, &agent901, &all, &total),
			    "a-udgivet b-personale h-udgivet");
	assert_int_equal(total, 3);
	/* editors: also the drafts and archived articles they may change,
	 * their own and the shared ones */
	assert_string_equal(listed(f, &editor901, &all, NULL),
			    "a-udgivet b-personale c-faelles-kladde d-kladde "
			    "e-arkiveret h-udgivet");
	assert_string_equal(listed(f, &editor902, &all, NULL),
			    "a-udgivet b-personale c-faelles-kladde f-kladde "
			    "h-udgivet");
	/* an agency's editors change only their own, not the shared ones */
	assert_string_equal(listed(f, &editor_udk, &all, NULL),
			    "a-udgivet b-personale g-kladde h-udgivet");
	/* the command line sees everything */
	assert_string_equal(listed(f, &cli, &all, &total),
			    "a-udgivet b-personale c-faelles-kladde d-kladde "
			    "e-arkiveret f-kladde g-kladde h-udgivet");
	assert_int_equal(total, 8);

	/* wishes within what the reader may read */
	struct hh_article_query drafts = { .status = HH_STATUS_DRAFT };
	assert_string_equal(listed(f, &editor901, &drafts, NULL),
			    "c-faelles-kladde d-kladde");
	struct hh_article_query own = { .org_id = M901 };
	assert_string_equal(listed(f, &editor901, &own, NULL),
			    "d-kladde e-arkiveret");
	assert_string_equal(listed(f, &agent901, &own, NULL), "");
	struct hh_article_query shared = { .org_id = -1 };
	assert_string_equal(listed(f, &anonymous, &shared, NULL), "a-udgivet");
	struct hh_article_query staff = { .audience = HH_AUDIENCE_STAFF };
	assert_string_equal(listed(f, &agent901, &staff, NULL), "b-personale");
	struct hh_article_query page = { .offset = 1, .limit = 1 };
	assert_string_equal(listed(f, &agent901, &page, &total), "b-personale");
	assert_int_equal(total, 3);

	/* wishes beyond it are refused, naming the wish */
	assert_string_equal(listed(f, &anonymous, &drafts, NULL),
			    "forbidden:status");
	struct hh_article_query archived = { .status = HH_STATUS_ARCHIVED };
	assert_string_equal(listed(f, &citizen, &archived, NULL),
			    "forbidden:status");
	assert_string_equal(listed(f, &agent901, &drafts, NULL),
			    "forbidden:status");
	assert_string_equal(listed(f, &anonymous, &staff, NULL),
			    "forbidden:audience");
	assert_string_equal(listed(f, &citizen, &staff, NULL),
			    "forbidden:audience");
	struct hh_article_query published = { .status = HH_STATUS_PUBLISHED };
	assert_string_equal(listed(f, &anonymous, &published, NULL),
			    "a-udgivet h-udgivet");
}

static const char *read_as(struct fx *f, const struct hh_actor *who,
			   int64_t org, const char *slug)
{
	struct hh_article a;
	enum hh_rc rc = hh_article_read(f->st, who, &f->a, org, slug, &a);
	return rc == HH_OK ? a.title : hh_rc_name(rc);
}

static void read_exactly_one_owner(void **state)
{
	struct fx *f = *state;
	make_kinds(f);
	const char *nf = hh_rc_name(HH_ERR_NOT_FOUND);
	assert_string_equal(read_as(f, &anonymous, 0, "a-udgivet"),
			    "a-udgivet (0)");
	assert_string_equal(read_as(f, &anonymous, M901, "a-udgivet"), nf);
	assert_string_equal(read_as(f, &anonymous, 0, "b-personale"), nf);
	assert_string_equal(read_as(f, &agent901, 0, "b-personale"),
			    "b-personale (0)");
	assert_string_equal(read_as(f, &agent901, M901, "d-kladde"), nf);
	assert_string_equal(read_as(f, &editor902, M901, "d-kladde"), nf);
	assert_string_equal(read_as(f, &editor901, M901, "d-kladde"),
			    "d-kladde (1)");
	assert_string_equal(read_as(f, &editor_udk, 0, "c-faelles-kladde"), nf);
	assert_string_equal(read_as(f, &editor902, 0, "c-faelles-kladde"),
			    "c-faelles-kladde (0)");

	/* hh_article_find: the local version first, as hh_article_resolve */
	create(f, &cli, M901, "a-udgivet", HH_AUDIENCE_CITIZEN,
	       HH_STATUS_PUBLISHED);
	struct hh_article a;
	assert_int_equal(hh_article_find(f->st, &anonymous, &f->a, M901,
					 "a-udgivet", &a), HH_OK);
	assert_string_equal(a.title, "a-udgivet (1)");
	assert_int_equal(hh_article_find(f->st, &anonymous, &f->a, M902,
					 "a-udgivet", &a), HH_OK);
	assert_string_equal(a.title, "a-udgivet (0)");
	assert_int_equal(hh_article_find(f->st, &anonymous, &f->a, M901,
					 "d-kladde", &a), HH_ERR_NOT_FOUND);
}

/* A link to an article the reader cannot open is shown as its text
 * (the crawl of the demo found citizens' articles linking to drafts). */
static void links_to_unreadable_articles_are_text(void **state)
{
	struct fx *f = *state;
	struct hh_article a = valid();
	a.slug = "med-links";
	a.body_md = "Se [den udgivne](/artikel/udgivet), [kladden](/artikel/"
		    "kladde), [den lokale](/artikel/lokal#afsnit), [en der ikke "
		    "findes](/artikel/findes-ikke) og [et ugyldigt navn]"
		    "(/artikel/Ugyldigt_Navn). [Kladden igen](/artikel/kladde?x=1) "
		    "og [et andet sted](/soeg?q=pas).";
	const char *field;
	assert_int_equal(hh_article_create(f->st, &cli, &f->a, &a, &field),
			 HH_OK);
	create(f, &cli, 0, "udgivet", HH_AUDIENCE_CITIZEN, HH_STATUS_PUBLISHED);
	create(f, &cli, 0, "kladde", HH_AUDIENCE_CITIZEN, HH_STATUS_DRAFT);
	create(f, &cli, M901, "lokal", HH_AUDIENCE_CITIZEN, HH_STATUS_PUBLISHED);

	struct hh_article r;
	assert_int_equal(hh_article_find(f->st, &anonymous, &f->a, 0,
					 "med-links", &r), HH_OK);
	assert_non_null(strstr(r.body_html,
			       "<a href=\"/artikel/udgivet\">den udgivne</a>"));
	assert_null(strstr(r.body_html, "/artikel/kladde"));
	assert_non_null(strstr(r.body_html, "Se <a href=\"/artikel/udgivet\">"
					   "den udgivne</a>, kladden, den lokale, en "
					   "der ikke findes og et ugyldigt navn. "
					   "Kladden igen og <a href=\"/soeg?q=pas\">"
					   "et andet sted</a>."));
	/* in Nordskov the local article is there */
	assert_int_equal(hh_article_find(f->st, &anonymous, &f->a, M901,
					 "med-links", &r), HH_OK);
	assert_non_null(strstr(r.body_html,
			       "<a href=\"/artikel/lokal#afsnit\">den lokale</a>"));
	assert_null(strstr(r.body_html, "/artikel/kladde"));
	/* the editor who may read the draft keeps its links */
	assert_int_equal(hh_article_find(f->st, &editor901, &f->a, 0,
					 "med-links", &r), HH_OK);
	assert_non_null(strstr(r.body_html,
			       "<a href=\"/artikel/kladde\">kladden</a>"));
	assert_non_null(strstr(r.body_html,
			       "<a href=\"/artikel/kladde?x=1\">Kladden igen</a>"));
	assert_null(strstr(r.body_html, "/artikel/findes-ikke"));
}

struct actions {
	struct hh_buf b;
};

static enum hh_rc add_action(void *p, const struct hh_event *e)
{
	struct actions *s = p;
	if (s->b.len)
		hh_buf_putc(&s->b, ' ');
	hh_buf_puts(&s->b, e->action);
	return HH_OK;
}

static const char *history_as(struct fx *f, const struct hh_actor *who,
			      int64_t org, const char *slug)
{
	struct actions s;
	hh_buf_init(&s.b);
	hh_buf_puts(&s.b, "");
	enum hh_rc rc = hh_article_history(f->st, who, &f->a, org, slug,
					   add_action, &s);
	const char *out = rc == HH_OK ? hh_arena_strdup(&f->a, hh_buf_str(&s.b))
				      : hh_rc_name(rc);
	hh_buf_clear(&s.b);
	return out;
}

static void history_for_its_editors(void **state)
{
	struct fx *f = *state;
	struct hh_article a = create(f, &editor901, M901, "historie",
				     HH_AUDIENCE_CITIZEN, HH_STATUS_PUBLISHED);
	struct hh_article got;
	assert_int_equal(hh_article_archive(f->st, &editor901, &f->a, M901,
					    "historie", a.version, &got), HH_OK);
	const char *forbidden = hh_rc_name(HH_ERR_FORBIDDEN);
	const char *nf = hh_rc_name(HH_ERR_NOT_FOUND);
	assert_string_equal(history_as(f, &editor901, M901, "historie"),
			    "create archive");
	assert_string_equal(history_as(f, &admin901, M901, "historie"),
			    "create archive");
	/* roles with no right to any history: refused before looking */
	assert_string_equal(history_as(f, &anonymous, M901, "historie"), forbidden);
	assert_string_equal(history_as(f, &citizen, M901, "historie"), forbidden);
	assert_string_equal(history_as(f, &agent901, M901, "historie"), forbidden);
	assert_string_equal(history_as(f, &anonymous, M901, "findes-ikke"),
			    forbidden);
	/* another organisation's editor: as if it did not exist */
	assert_string_equal(history_as(f, &editor902, M901, "historie"), nf);
	assert_string_equal(history_as(f, &editor901, M901, "findes-ikke"), nf);
	assert_string_equal(history_as(f, &editor901, 0, "historie"), nf);
}

static void popular_is_published_citizen_articles(void **state)
{
	struct fx *f = *state;
	make_kinds(f);
	create(f, &cli, M901, "i-lokal", HH_AUDIENCE_CITIZEN, HH_STATUS_PUBLISHED);
	struct slugs s;
	hh_buf_init(&s.b);
	hh_buf_puts(&s.b, "");
	assert_int_equal(hh_article_popular(f->st, &agent901, &f->a, M901, 10,
					    add_slug, &s), HH_OK);
	/* no staff articles, drafts or archived ones, nor another
	 * municipality's, even for staff */
	const char *got = hh_buf_str(&s.b);
	assert_non_null(strstr(got, "a-udgivet"));
	assert_non_null(strstr(got, "i-lokal"));
	assert_null(strstr(got, "b-personale"));
	assert_null(strstr(got, "kladde"));
	assert_null(strstr(got, "e-arkiveret"));
	hh_buf_reset(&s.b);
	assert_int_equal(hh_article_popular(f->st, &anonymous, &f->a, M902, 10,
					    add_slug, &s), HH_OK);
	assert_null(strstr(hh_buf_str(&s.b), "i-lokal"));
	assert_non_null(strstr(hh_buf_str(&s.b), "a-udgivet"));
	hh_buf_clear(&s.b);
}

static void reads_staff_follows_the_table(void **state)
{
	(void)state;
	assert_false(hh_article_reads_staff(&anonymous));
	assert_false(hh_article_reads_staff(&citizen));
	assert_true(hh_article_reads_staff(&agent901));
	assert_true(hh_article_reads_staff(&editor_udk));
	assert_true(hh_article_reads_staff(&cli));
}

/* ---- JSON form ------------------------------------------------------------ */

static void article_json_shape(void **state)
{
	(void)state;
	struct hh_article a = valid();
	a.org_code = "901";
	a.org_name = "Nordskov Kommune";
	a.version = 3;
	a.created_at = 0;
	a.updated_at = 1700000000;
	a.body_html = "<p>x</p>";
	json_t *j = hh_article_json(&a, 0);
	assert_string_equal(jstr(j, "slug"), "skift-af-laege");
	assert_string_equal(jstr(j, "organisation"), "901");
	assert_string_equal(jstr(j, "organisation_name"), "Nordskov Kommune");
	assert_string_equal(jstr(j, "created_at"), "1970-01-01T00:00:00Z");
	assert_string_equal(jstr(j, "updated_at"), "2023-11-14T22:13:20Z");
	assert_int_equal(json_integer_value(json_object_get(j, "version")), 3);
	assert_null(json_object_get(j, "body"));
	assert_null(json_object_get(j, "body_html"));
	json_decref(j);
	a.org_code = a.org_name = NULL;
	a.keywords = "";
	j = hh_article_json(&a, 1);
	assert_true(no_value(j, "organisation"));
	assert_true(no_value(j, "organisation_name"));
	assert_int_equal(json_array_size(json_object_get(j, "keywords")), 0);
	assert_string_equal(jstr(j, "body"), a.body_md);
	assert_string_equal(jstr(j, "body_html"), "<p>x</p>");
	json_decref(j);
}

/* ---- change callbacks -------------------------------------------------- */

/* Create, update and archive each tell the subscribers once, after the
 * commit; a write that fails, is rolled back or changes nothing tells
 * nothing. */
static void writes_tell_subscribers(void **state)
{
	struct fx *f = *state;
	struct hh_buf seen;
	hh_buf_init(&seen);
	assert_int_equal(hh_store_subscribe(f->st, tu_record_change, &seen),
			 HH_OK);
	struct hh_article a = create(f, &editor901, M901, "flyt",
				     HH_AUDIENCE_CITIZEN, HH_STATUS_PUBLISHED);
	char want[256];
	snprintf(want, sizeof(want), "article/%lld/%d/create\n",
		 (long long)a.id, M901);
	assert_string_equal(hh_buf_str(&seen), want);

	/* refused, conflicting and rolled-back writes: nothing */
	hh_buf_reset(&seen);
	const char *field;
	struct hh_article dup = valid();
	dup.org_id = M901;
	dup.slug = "flyt";
	assert_int_equal(hh_article_create(f->st, &editor901, &f->a, &dup,
					   &field),
			 HH_ERR_CONFLICT);
	dup.slug = "andet";
	assert_int_equal(hh_article_create(f->st, &editor902, &f->a, &dup,
					   &field),
			 HH_ERR_FORBIDDEN);
	struct hh_article u = valid();
	u.org_id = M901;
	u.slug = "flyt";
	u.title = "Ny titel";
	int changed = -1;
	assert_int_equal(hh_article_update(f->st, &editor901, &f->a, &u, 7,
					   &changed, &field),
			 HH_ERR_CONFLICT);
	/* a store fault late in the write: rolled back, nothing told */
	hh_store_fault_inject(f->st, 5, HH_ERR_IO);
	u = valid();
	u.org_id = M901;
	u.slug = "flyt";
	u.title = "Ny titel";
	enum hh_rc rc = hh_article_update(f->st, &editor901, &f->a, &u, 1,
					  &changed, &field);
	hh_store_fault_inject(f->st, 0, HH_OK);
	assert_int_equal(rc, HH_ERR_IO);
	assert_string_equal(hh_buf_str(&seen), "");

	/* an update that changes something, one that does not, an archive */
	u = valid();
	u.org_id = M901;
	u.slug = "flyt";
	u.title = "Ny titel";
	assert_int_equal(hh_article_update(f->st, &editor901, &f->a, &u, 1,
					   &changed, &field),
			 HH_OK);
	assert_int_equal(changed, 1);
	assert_int_equal(hh_article_update(f->st, &editor901, &f->a, &u, 0,
					   &changed, &field),
			 HH_OK);
	assert_int_equal(changed, 0);
	struct hh_article out;
	assert_int_equal(hh_article_archive(f->st, &editor901, &f->a, M901,
					    "flyt", 2, &out),
			 HH_OK);
	snprintf(want, sizeof(want),
		 "article/%lld/%d/update\narticle/%lld/%d/archive\n",
		 (long long)a.id, M901, (long long)a.id, M901);
	assert_string_equal(hh_buf_str(&seen), want);

	/* after unsubscribing: nothing */
	hh_store_unsubscribe(f->st, tu_record_change, &seen);
	hh_buf_reset(&seen);
	create(f, &editor901, M901, "mere", HH_AUDIENCE_CITIZEN,
	       HH_STATUS_PUBLISHED);
	assert_string_equal(hh_buf_str(&seen), "");
	hh_buf_clear(&seen);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	hh_auth_init();
	hh_log_set_level(HH_LOG_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(validate_each_field),
		cmocka_unit_test(parse_and_name),
		cmocka_unit_test(keywords_normalise),
		cmocka_unit_test(can_edit_rules),
		cmocka_unit_test(can_read_rules),
		T(create_writes_one_event),
		T(create_refusals),
		T(update_writes_version_and_event),
		T(text_is_stored_canonical),
		T(update_rights_and_missing),
		T(update_without_change_writes_nothing),
		T(archive_writes_one_event),
		T(put_in_tx_outcomes),
		T(resolve_order),
		T(writes_tell_subscribers),
		T(list_for_each_reader),
		T(read_exactly_one_owner),
		T(links_to_unreadable_articles_are_text),
		T(history_for_its_editors),
		T(popular_is_published_citizen_articles),
		cmocka_unit_test(reads_staff_follows_the_table),
		cmocka_unit_test(article_json_shape),
	};
	return cmocka_run_group_tests_name("domain/articles", tests, NULL, NULL);
}
