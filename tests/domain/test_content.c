/* test_content.c - the content folder: parsing article files (errors name
 * the right line), import (bad files skipped whole, idempotent, updates),
 * and export in canonical form (export -> import -> export is byte for
 * byte the same, for a varied database and for the demo content/). */
#include "testutil.h"

#include <dirent.h>
#include <sys/stat.h>

#include "domain/articles.h"
#include "domain/content.h"

/* ---- parsing ------------------------------------------------------------ */

struct parse_fx {
	struct hh_arena a;
};

static int parse_setup(void **state)
{
	struct parse_fx *f = hh_xcalloc(1, sizeof(*f));
	hh_arena_init(&f->a);
	*state = f;
	return 0;
}

static int parse_teardown(void **state)
{
	struct parse_fx *f = *state;
	hh_arena_clear(&f->a);
	free(f);
	return 0;
}

static const char good[] = "---\n"
			   "title: Skift af læge\n"
			   "summary: Sådan vælger du en ny læge.\n"
			   "keywords: læge, lægeskift, gult kort\n"
			   "kle: 29.09.02\n"
			   "audience: citizen\n"
			   "status: published\n"
			   "---\n"
			   "\n"
			   "Du vælger læge på **borger.dk**.\n"
			   "\n"
			   "## Gebyr\n"
			   "\n"
			   "Det koster 230 kr.\n";

static void parse_good_file(void **state)
{
	struct parse_fx *f = *state;
	struct hh_article a;
	const char *org = "sentinel";
	char err[256] = "";
	assert_int_equal(hh_article_parse(&f->a, "skift-af-laege", NULL, good,
					  strlen(good), &a, &org, err,
					  sizeof(err)),
			 HH_OK);
	assert_null(org);
	assert_string_equal(a.slug, "skift-af-laege");
	assert_string_equal(a.title, "Skift af læge");
	assert_string_equal(a.summary, "Sådan vælger du en ny læge.");
	assert_string_equal(a.keywords, "læge, lægeskift, gult kort");
	assert_string_equal(a.kle, "29.09.02");
	assert_int_equal(a.audience, HH_AUDIENCE_CITIZEN);
	assert_int_equal(a.status, HH_STATUS_PUBLISHED);
	assert_int_equal(a.org_id, 0);
	/* the body: without the blank line after the front matter and the
	 * final newline */
	assert_string_equal(a.body_md, "Du vælger læge på **borger.dk**.\n\n"
				       "## Gebyr\n\nDet koster 230 kr.");
	/* the canonical form is the file itself */
	struct hh_buf b;
	hh_buf_init(&b);
	hh_article_format(&a, &b);
	assert_string_equal(hh_buf_str(&b), good);
	hh_buf_clear(&b);
}

static void parse_optional_and_org(void **state)
{
	struct parse_fx *f = *state;
	static const char text[] = "---\ntitle: T\nsummary: S\nkeywords:\nkle:\n"
				   "audience: staff\nstatus: draft\n"
				   "organisation: 901\n---\n\nB\n";
	struct hh_article a;
	const char *org;
	char err[256];
	assert_int_equal(hh_article_parse(&f->a, "ab", "901", text,
					  strlen(text), &a, &org, err,
					  sizeof(err)),
			 HH_OK);
	assert_string_equal(org, "901");
	assert_string_equal(a.keywords, "");
	assert_string_equal(a.kle, "");
	assert_int_equal(a.audience, HH_AUDIENCE_STAFF);
	assert_int_equal(a.status, HH_STATUS_DRAFT);
	struct hh_buf b;
	hh_buf_init(&b);
	a.org_code = org;
	hh_article_format(&a, &b);
	assert_string_equal(hh_buf_str(&b), text);
	hh_buf_clear(&b);
	/* keywords and kle may be left out; the organisation comes from
	 * the folder when the line is absent */
	static const char bare[] = "---\ntitle: T\nsummary: S\n"
				   "audience: citizen\nstatus: archived\n---\n";
	assert_int_equal(hh_article_parse(&f->a, "ab", "udk", bare,
					  strlen(bare), &a, &org, err,
					  sizeof(err)),
			 HH_OK);
	assert_string_equal(org, "udk");
	assert_string_equal(a.body_md, "");
	assert_string_equal(a.keywords, "");
	assert_int_equal(a.status, HH_STATUS_ARCHIVED);
	/* values: one space after the colon is the separator, trailing
	 * blanks are dropped, colons inside values are kept */
	static const char colon[] = "---\ntitle:Tid: 9:00 \t\nsummary:  S\n"
				    "audience: citizen\nstatus: draft\n---\n";
	assert_int_equal(hh_article_parse(&f->a, "ab", NULL, colon,
					  strlen(colon), &a, &org, err,
					  sizeof(err)),
			 HH_OK);
	assert_string_equal(a.title, "Tid: 9:00");
	assert_string_equal(a.summary, " S");
}

static void parse_crlf(void **state)
{
	struct parse_fx *f = *state;
	struct hh_buf crlf;
	hh_buf_init(&crlf);
	for (const char *p = good; *p; p++) {
		if (*p == '\n')
			hh_buf_putc(&crlf, '\r');
		hh_buf_putc(&crlf, *p);
	}
	struct hh_article a, b;
	const char *org;
	char err[256] = "";
	enum hh_rc rc = hh_article_parse(&f->a, "skift-af-laege", NULL,
					 crlf.data, crlf.len, &a, &org, err,
					 sizeof(err));
	if (rc != HH_OK)
		fail_msg("CRLF refused: %s", err);
	assert_int_equal(hh_article_parse(&f->a, "skift-af-laege", NULL, good,
					  strlen(good), &b, &org, err,
					  sizeof(err)),
			 HH_OK);
	assert_string_equal(a.title, b.title);
	assert_string_equal(a.status == b.status ? "same" : "differs", "same");
	assert_string_equal(a.body_md, b.body_md);
	assert_null(strchr(a.body_md, '\r'));
	assert_null(strchr(a.title, '\r'));
	hh_buf_clear(&crlf);
}

/* Parses text as slug in folder and expects an error on line. */
static void expect_error(struct parse_fx *f, const char *what,
			 const char *slug, const char *folder, const char *text,
			 size_t len, int line, const char *needle)
{
	struct hh_article a;
	const char *org;
	char err[512] = "";
	enum hh_rc rc = hh_article_parse(&f->a, slug, folder, text, len, &a,
					 &org, err, sizeof(err));
	if (rc != HH_ERR_INVALID)
		fail_msg("%s: accepted (rc %s)", what, hh_rc_name(rc));
	char want[16];
	snprintf(want, sizeof(want), "%d: ", line);
	if (strncmp(err, want, strlen(want)) != 0)
		fail_msg("%s: want line %d, got \"%s\"", what, line, err);
	if (needle && !strstr(err, needle))
		fail_msg("%s: \"%s\" does not mention \"%s\"", what, err, needle);
}

#define ERR(what, text, line, needle)                                      \
	expect_error(f, what, "ab", NULL, text, sizeof(text) - 1, line, needle)

static void parse_errors_name_the_line(void **state)
{
	struct parse_fx *f = *state;
	ERR("no opening ---", "title: T\n---\n", 1, "---");
	ERR("blank line before ---", "\n---\ntitle: T\n---\n", 1, "---");
	ERR("empty file", "", 1, NULL);
	ERR("unclosed, ends with newline",
	    "---\ntitle: T\nsummary: S\naudience: citizen\n", 4, "not closed");
	ERR("unclosed, no final newline",
	    "---\ntitle: T\nsummary: S\naudience: citizen", 4, "not closed");
	ERR("unclosed, only the opening", "---\n", 1, "not closed");
	ERR("unknown key",
	    "---\ntitle: T\nsummary: S\nforfatter: Eva\naudience: citizen\n"
	    "status: draft\n---\n\nB\n",
	    4, "forfatter");
	ERR("key in upper case",
	    "---\nTitle: T\nsummary: S\naudience: citizen\nstatus: draft\n---\n",
	    2, "Title");
	ERR("duplicate key",
	    "---\ntitle: T\nsummary: S\naudience: citizen\ntitle: U\n"
	    "status: draft\n---\n\nB\n",
	    5, "title");
	ERR("not key: value",
	    "---\ntitle: T\nsummary S\naudience: citizen\nstatus: draft\n---\n",
	    3, "key: value");
	ERR("missing title",
	    "---\nsummary: S\naudience: citizen\nstatus: draft\n---\n\nBody\n",
	    5, "title");
	ERR("missing summary, no blank line",
	    "---\ntitle: T\naudience: citizen\nstatus: draft\n---\nBody\n", 5,
	    "summary");
	ERR("missing status",
	    "---\ntitle: T\nsummary: S\naudience: citizen\n---\n\nB\n", 5,
	    "status");
	ERR("missing audience",
	    "---\ntitle: T\nsummary: S\nstatus: draft\n---\n", 5, "audience");
	ERR("bad audience",
	    "---\ntitle: T\nsummary: S\nkeywords: a\naudience: borger\n"
	    "status: draft\n---\n\nB\n",
	    5, "audience");
	ERR("bad status",
	    "---\ntitle: T\nsummary: S\naudience: citizen\nkle: 01\n"
	    "status: udgivet\n---\n\nB\n",
	    6, "status");
	ERR("bad kle",
	    "---\ntitle: T\nsummary: S\nkeywords: a\nkle: 29.9\n"
	    "audience: citizen\nstatus: draft\n---\n\nB\n",
	    5, "kle");
	ERR("views not a number",
	    "---\ntitle: T\nsummary: S\naudience: citizen\nstatus: draft\n"
	    "views: mange\n---\n\nB\n",
	    6, "views");
	ERR("views negative",
	    "---\ntitle: T\nsummary: S\naudience: citizen\nstatus: draft\n"
	    "views: -3\n---\n\nB\n",
	    6, "views");
	ERR("views empty",
	    "---\ntitle: T\nsummary: S\naudience: citizen\nviews:\n"
	    "status: draft\n---\n\nB\n",
	    5, "views");
	ERR("views too many",
	    "---\ntitle: T\nsummary: S\naudience: citizen\nstatus: draft\n"
	    "views: 1000000001\n---\n\nB\n",
	    6, "views");
	ERR("empty title",
	    "---\nsummary: S\ntitle:\naudience: citizen\nstatus: draft\n---\n",
	    3, "title");
	ERR("blank summary",
	    "---\ntitle: T\nsummary:    \naudience: citizen\nstatus: draft\n"
	    "---\n",
	    3, "summary");
	/* invalid UTF-8 and NUL bytes: the line they are on */
	ERR("bad UTF-8 in the body",
	    "---\ntitle: T\nsummary: S\naudience: citizen\nstatus: draft\n---\n"
	    "\nLine 8\nLine 9 \xc3\x28 here\nLine 10\n",
	    9, "UTF-8");
	ERR("bad UTF-8 in a value",
	    "---\ntitle: T \xff\nsummary: S\naudience: citizen\nstatus: draft\n"
	    "---\n",
	    2, "UTF-8");
	ERR("a surrogate",
	    "---\ntitle: T\nsummary: S\naudience: citizen\nstatus: draft\n---\n"
	    "\n\xed\xa0\x80\n",
	    8, "UTF-8");
	ERR("a cut sequence at the very end",
	    "---\ntitle: T\nsummary: S\naudience: citizen\nstatus: draft\n---\n"
	    "\nok\n\xc3",
	    9, "UTF-8");
	ERR("NUL byte",
	    "---\ntitle: T\nsummary: S\naudience: citizen\nstatus: draft\n---\n"
	    "\nA\nB\0C\n",
	    9, "NUL");

	/* the slug comes from the file name */
	static const char ok[] = "---\ntitle: T\nsummary: S\naudience: citizen\n"
				 "status: draft\n---\n";
	static const char *const bad_slugs[] = { "Skift", "a", "a_b", "a--b",
						 "-ab", "æble", "a.b" };
	for (size_t i = 0; i < sizeof(bad_slugs) / sizeof(bad_slugs[0]); i++)
		expect_error(f, bad_slugs[i], bad_slugs[i], NULL, ok,
			     sizeof(ok) - 1, 1, "slug");

	/* the organisation must agree with the folder */
	static const char org902[] =
		"---\ntitle: T\nsummary: S\naudience: citizen\nstatus: draft\n"
		"organisation: 902\n---\n";
	expect_error(f, "org vs folder", "ab", "901", org902, sizeof(org902) - 1,
		     6, "902");
	/* ... and a file in articles/ itself is shared: no organisation */
	expect_error(f, "org in a shared file", "ab", NULL, org902,
		     sizeof(org902) - 1, 6, "902");
	/* a folder that cannot be an organisation code */
	expect_error(f, "bad folder", "ab", "Nord Skov", ok, sizeof(ok) - 1, 1,
		     "organisation");
}

static void parse_limits(void **state)
{
	struct parse_fx *f = *state;
	struct hh_buf b;
	hh_buf_init(&b);
	/* a title of 201 characters (and 200 is fine) */
	for (int n = 200; n <= 201; n++) {
		hh_buf_reset(&b);
		hh_buf_puts(&b, "---\nsummary: S\ntitle: ");
		for (int i = 0; i < n; i++)
			hh_buf_puts(&b, "ø");
		hh_buf_puts(&b, "\naudience: citizen\nstatus: draft\n---\n\nB\n");
		struct hh_article a;
		const char *org;
		char err[256] = "";
		enum hh_rc rc = hh_article_parse(&f->a, "ab", NULL, b.data, b.len,
						 &a, &org, err, sizeof(err));
		if (n == 200) {
			assert_int_equal(rc, HH_OK);
		} else {
			assert_int_equal(rc, HH_ERR_INVALID);
			assert_true(strncmp(err, "3: title", 8) == 0);
		}
	}
	/* a body over 256 KiB: the line the body starts on */
	hh_buf_reset(&b);
	hh_buf_puts(&b, "---\ntitle: T\nsummary: S\naudience: citizen\n"
			"status: draft\n---\n\n");
	while (b.len < HH_BODY_MAX + 200)
		hh_buf_puts(&b, "Lorem ipsum dolor sit amet.\n");
	expect_error(f, "body too long", "ab", NULL, b.data, b.len, 8, "body");
	/* a large file with a bad byte at its very end is still reported
	 * (and on its last line) */
	b.data[b.len - 2] = '\xff';
	int lines = 0;
	for (size_t i = 0; i < b.len; i++)
		lines += b.data[i] == '\n';
	expect_error(f, "bad byte at the end", "ab", NULL, b.data, b.len, lines,
		     "UTF-8");
	hh_buf_clear(&b);
}

/* ---- import and export ----------------------------------------------- */

struct fx {
	char *dir; /* scratch: databases, sources, exports */
	struct hh_store *st;
	char src[4200];
	char *errs; /* what import/export wrote on the error stream */
	size_t errs_len;
	FILE *err;
};

static int setup(void **state)
{
	struct fx *f = hh_xcalloc(1, sizeof(*f));
	f->dir = tu_tmpdir();
	char sub[1024];
	snprintf(sub, sizeof(sub), "%s/db", f->dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	f->st = tu_store(sub, 2);
	snprintf(f->src, sizeof(f->src), "%s/src", f->dir);
	f->err = open_memstream(&f->errs, &f->errs_len);
	assert_non_null(f->err);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	hh_store_close(f->st);
	fclose(f->err);
	free(f->errs);
	tu_rmdir(f->dir);
	free(f);
	return 0;
}

/* What was written on the error stream so far. */
static const char *errs(struct fx *f)
{
	fflush(f->err);
	return f->errs ? f->errs : "";
}

static void mkdirs(const char *path)
{
	char cmd[4500];
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", path);
	assert_int_equal(system(cmd), 0);
}

/* Writes text to dir/rel, creating folders. */
static void put(const char *dir, const char *rel, const char *text)
{
	char path[4400];
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	char *slash = strrchr(path, '/');
	*slash = 0;
	mkdirs(path);
	*slash = '/';
	tu_write(path, text);
}

/* ---- what the import stored, read through the store ------------------ */

static int64_t n_articles(struct fx *f)
{
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_article *v;
	int64_t n = (int64_t)tu_articles(f->st, &a, &v);
	hh_arena_clear(&a);
	return n;
}

static int64_t n_versions(struct fx *f, const char *slug)
{
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_article *v;
	size_t n = tu_versions(f->st, &a, 0, &v);
	int64_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += !slug || !strcmp(v[i].slug, slug);
	hh_arena_clear(&a);
	return k;
}

/* Events of articles (slug NULL: any) with actor and action (NULL: any). */
static int64_t n_article_events(struct fx *f, const char *slug,
				const char *actor, const char *action)
{
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_article *arts;
	size_t na = tu_articles(f->st, &a, &arts);
	int64_t k = 0;
	for (size_t i = 0; i < na; i++) {
		if (slug && strcmp(arts[i].slug, slug))
			continue;
		struct hh_event *e;
		size_t ne = tu_events(f->st, &a, "article", arts[i].id, &e);
		for (size_t j = 0; j < ne; j++)
			k += (!actor || !strcmp(e[j].actor, actor)) &&
			     (!action || !strcmp(e[j].action, action));
	}
	hh_arena_clear(&a);
	return k;
}

/* The one article at slug (any owner): *out in a. */
static void the_article(struct fx *f, struct hh_arena *a, const char *slug,
			struct hh_article *out)
{
	struct hh_article *v;
	size_t n = tu_articles(f->st, a, &v), found = 0;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].slug, slug)) {
			*out = v[i];
			found++;
		}
	assert_int_equal(found, 1);
}

static int64_t version_of(struct fx *f, const char *slug)
{
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_article art;
	the_article(f, &a, slug, &art);
	hh_arena_clear(&a);
	return art.version;
}

static int64_t n_orgs(struct fx *f)
{
	int64_t n;
	tu_counts(f->st, &n, NULL, NULL);
	return n;
}

static int64_t n_users(struct fx *f)
{
	int64_t n;
	tu_counts(f->st, NULL, &n, NULL);
	return n;
}

static int64_t n_life_events(struct fx *f)
{
	int64_t n;
	tu_counts(f->st, NULL, NULL, &n);
	return n;
}

static const char orgs_json[] =
	"[{\"code\":\"901\",\"name\":\"Nordskov Kommune\",\"kind\":"
	"\"municipality\"},{\"code\":\"902\",\"name\":\"Åstrup Kommune\","
	"\"kind\":\"municipality\"},{\"code\":\"udk\",\"name\":"
	"\"Udbetaling Danmark\",\"kind\":\"agency\"}]";

static char *article_text(const char *title, const char *org)
{
	struct hh_buf b;
	hh_buf_init(&b);
	hh_buf_printf(&b,
		      "---\ntitle: %s\nsummary: Resumé af %s\nkeywords: a, b\n"
		      "kle: 01.02\naudience: citizen\nstatus: published\n",
		      title, title);
	if (org)
		hh_buf_printf(&b, "organisation: %s\n", org);
	hh_buf_printf(&b, "---\n\nTekst om %s.\n", title);
	return hh_buf_steal(&b);
}

static void put_article(const char *dir, const char *rel, const char *title,
			const char *org)
{
	char *t = article_text(title, org);
	put(dir, rel, t);
	free(t);
}

static void import_skips_bad_files(void **state)
{
	struct fx *f = *state;
	put(f->src, "organisations.json", orgs_json);
	put_article(f->src, "articles/alfa.md", "Alfa", NULL);
	put_article(f->src, "articles/beta.md", "Beta", NULL);
	put_article(f->src, "articles/901/gamma.md", "Gamma", "901");
	/* bad: status on line 7 */
	put(f->src, "articles/delta.md",
	    "---\ntitle: Delta\nsummary: S\nkeywords:\nkle:\naudience: citizen\n"
	    "status: klar\n---\n\nD\n");
	/* bad: an organisation that does not exist */
	put_article(f->src, "articles/999/epsilon.md", "Epsilon", "999");
	/* bad: file name not a slug */
	put_article(f->src, "articles/Zeta.md", "Zeta", NULL);
	/* not articles: ignored */
	put(f->src, "articles/README.txt", "x");
	put(f->src, "articles/.hidden.md", "x");

	struct hh_import_stats s;
	assert_int_equal(hh_content_import(f->st, f->src, 0, f->err, NULL, NULL,
					   &s),
			 HH_ERR_INVALID);
	assert_int_equal(s.organisations, 3);
	assert_int_equal(s.articles_created, 3);
	assert_int_equal(s.articles_updated, 0);
	assert_int_equal(s.files_failed, 3);
	/* FILE:LINE: message, one line per bad file */
	char want[4500];
	snprintf(want, sizeof(want), "%s/articles/delta.md:7: status", f->src);
	if (!strstr(errs(f), want))
		fail_msg("want '%s' in:\n%s", want, errs(f));
	snprintf(want, sizeof(want),
		 "%s/articles/999/epsilon.md:1: unknown organisation '999'",
		 f->src);
	if (!strstr(errs(f), want))
		fail_msg("want '%s' in:\n%s", want, errs(f));
	snprintf(want, sizeof(want), "%s/articles/Zeta.md:1: ", f->src);
	if (!strstr(errs(f), want))
		fail_msg("want '%s' in:\n%s", want, errs(f));
	int nl = 0;
	for (const char *p = errs(f); *p; p++)
		nl += *p == '\n';
	assert_int_equal(nl, 3);
	/* the good ones are in, nothing of the bad ones */
	assert_int_equal(n_articles(f), 3);
	struct hh_arena ar;
	hh_arena_init(&ar);
	struct hh_article art;
	the_article(f, &ar, "alfa", &art);
	the_article(f, &ar, "beta", &art);
	the_article(f, &ar, "gamma", &art);
	assert_non_null(art.org_code);
	assert_string_equal(art.org_code, "901");
	hh_arena_clear(&ar);
	assert_int_equal(tu_event_count(f->st), 3);
	assert_int_equal(n_article_events(f, NULL, "import", "create"), 3);
	assert_int_equal(n_versions(f, NULL), 3);
}

static void import_twice_changes_nothing(void **state)
{
	struct fx *f = *state;
	put(f->src, "organisations.json", orgs_json);
	put_article(f->src, "articles/alfa.md", "Alfa", NULL);
	put_article(f->src, "articles/901/alfa.md", "Alfa i Nordskov", "901");
	put_article(f->src, "articles/udk/boligydelse.md", "Boligydelse", "udk");
	put(f->src, "life-events/flytning.json",
	    "{\"title\":\"Flytning\",\"summary\":\"S\",\"position\":1,"
	    "\"articles\":[\"alfa\"]}");
	struct hh_import_stats s;
	assert_int_equal(hh_content_import(f->st, f->src, 0, f->err, NULL, NULL,
					   &s),
			 HH_OK);
	assert_int_equal(s.articles_created, 3);
	assert_int_equal(s.life_events, 1);
	assert_string_equal(errs(f), "");
	int64_t events = tu_event_count(f->st);
	assert_int_equal(events, 3);
	assert_int_equal(hh_content_import(f->st, f->src, 0, f->err, NULL, NULL,
					   &s),
			 HH_OK);
	assert_int_equal(s.articles_created, 0);
	assert_int_equal(s.articles_updated, 0);
	assert_int_equal(s.articles_unchanged, 3);
	assert_int_equal(s.files_failed, 0);
	assert_int_equal(s.organisations, 3);
	assert_int_equal(tu_event_count(f->st), events);
	assert_int_equal(n_versions(f, NULL), 3);
	assert_int_equal(n_versions(f, NULL), n_articles(f)); /* all at 1 */
	assert_int_equal(n_orgs(f), 3);
	assert_int_equal(n_life_events(f), 1);
}

static void progress_fn(void *ctx, int done, int total)
{
	int *last = ctx;
	assert_true(done <= total);
	assert_true(done >= last[0]); /* never goes back */
	last[0] = done;
	last[1] = total;
}

static void import_changed_file_updates(void **state)
{
	struct fx *f = *state;
	put(f->src, "organisations.json", orgs_json);
	put_article(f->src, "articles/alfa.md", "Alfa", NULL);
	put_article(f->src, "articles/beta.md", "Beta", NULL);
	struct hh_import_stats s;
	assert_int_equal(hh_content_import(f->st, f->src, 0, f->err, NULL, NULL,
					   &s),
			 HH_OK);
	put_article(f->src, "articles/beta.md", "Beta, rettet", NULL);
	put_article(f->src, "articles/901/ny.md", "Ny", "901");
	int progress[2] = { 0, 0 };
	assert_int_equal(hh_content_import(f->st, f->src, 0, f->err, progress_fn,
					   progress, &s),
			 HH_OK);
	assert_int_equal(progress[0], 3);
	assert_int_equal(progress[1], 3);
	assert_int_equal(s.articles_created, 1);
	assert_int_equal(s.articles_updated, 1);
	assert_int_equal(s.articles_unchanged, 1);
	assert_int_equal(version_of(f, "beta"), 2);
	struct hh_arena ar;
	hh_arena_init(&ar);
	struct hh_article beta;
	the_article(f, &ar, "beta", &beta);
	assert_string_equal(beta.title, "Beta, rettet");
	hh_arena_clear(&ar);
	assert_int_equal(n_versions(f, "beta"), 2);
	assert_int_equal(n_article_events(f, "beta", "import", "update"), 1);
	assert_int_equal(version_of(f, "alfa"), 1);
	/* deleting a file does not delete the article */
	char path[4400];
	snprintf(path, sizeof(path), "%s/articles/alfa.md", f->src);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(hh_content_import(f->st, f->src, 0, f->err, NULL, NULL,
					   &s),
			 HH_OK);
	assert_int_equal(n_articles(f), 3);
}

static void import_bad_metadata(void **state)
{
	struct fx *f = *state;
	struct hh_import_stats s;
	char nofolder[4300];
	snprintf(nofolder, sizeof(nofolder), "%s/missing", f->dir);
	assert_int_equal(hh_content_import(f->st, nofolder, 0, f->err, NULL,
					   NULL, &s),
			 HH_ERR_INVALID);
	assert_non_null(strstr(errs(f), "not a folder"));
	/* organisations.json with a syntax error on line 3 */
	put(f->src, "organisations.json",
	    "[\n{\"code\":\"901\",\"name\":\"N\",\"kind\":\"municipality\"},\n"
	    "{\"code\":}\n]\n");
	put_article(f->src, "articles/alfa.md", "Alfa", NULL);
	assert_int_equal(hh_content_import(f->st, f->src, 0, f->err, NULL, NULL,
					   &s),
			 HH_ERR_INVALID);
	char want[4500];
	snprintf(want, sizeof(want), "%s/organisations.json:3: ", f->src);
	if (!strstr(errs(f), want))
		fail_msg("want '%s' in:\n%s", want, errs(f));
	/* the articles are still imported */
	assert_int_equal(n_articles(f), 1);
	assert_int_equal(n_orgs(f), 0);
	/* an organisation with a bad kind: none of the file is imported */
	put(f->src, "organisations.json",
	    "[{\"code\":\"901\",\"name\":\"N\",\"kind\":\"municipality\"},"
	    "{\"code\":\"902\",\"name\":\"Å\",\"kind\":\"region\"}]");
	assert_int_equal(hh_content_import(f->st, f->src, 0, f->err, NULL, NULL,
					   &s),
			 HH_ERR_INVALID);
	assert_non_null(strstr(errs(f), "organisation 2 needs"));
	assert_int_equal(n_orgs(f), 0);
	/* a bad life event */
	put(f->src, "organisations.json", orgs_json);
	put(f->src, "life-events/flytning.json",
	    "{\"title\":\"F\",\"summary\":\"S\",\"position\":1,"
	    "\"articles\":[\"Not A Slug\"]}");
	put(f->src, "life-events/foedsel.json",
	    "{\"title\":\"F\",\"summary\":\"S\",\"position\":2,"
	    "\"articles\":[]}");
	assert_int_equal(hh_content_import(f->st, f->src, 0, f->err, NULL, NULL,
					   &s),
			 HH_ERR_INVALID);
	snprintf(want, sizeof(want), "%s/life-events/flytning.json:1: ", f->src);
	if (!strstr(errs(f), want))
		fail_msg("want '%s' in:\n%s", want, errs(f));
	assert_int_equal(s.life_events, 1);
	assert_int_equal(n_life_events(f), 1);
}

static void import_users(void **state)
{
	struct fx *f = *state;
	put(f->src, "organisations.json", orgs_json);
	put(f->src, "users.json",
	    "[{\"email\":\"eva@901\",\"name\":\"Eva\",\"organisation\":\"901\","
	    "\"roles\":[\"editor\",\"agent\"],\"password\":\"password-1\"},"
	    "{\"email\":\"bad@901\",\"name\":\"Bad\",\"organisation\":\"901\","
	    "\"roles\":[\"wizard\"],\"password\":\"password-1\"},"
	    "{\"email\":\"short@901\",\"name\":\"S\",\"organisation\":\"901\","
	    "\"roles\":[\"agent\"],\"password\":\"short\"}]");
	struct hh_import_stats s;
	/* without with_users, users.json is not read */
	assert_int_equal(hh_content_import(f->st, f->src, 0, f->err, NULL, NULL,
					   &s),
			 HH_OK);
	assert_int_equal(s.users, 0);
	assert_int_equal(n_users(f), 0);
	assert_int_equal(hh_content_import(f->st, f->src, 1, f->err, NULL, NULL,
					   &s),
			 HH_ERR_INVALID);
	assert_int_equal(s.users, 1);
	assert_non_null(strstr(errs(f), "users.json:1: user 2 (bad@901)"));
	assert_non_null(strstr(errs(f), "users.json:1: user 3 (short@901)"));
	struct hh_arena ar;
	hh_arena_init(&ar);
	struct hh_user eva;
	struct hh_tx *tx = tu_read_begin(f->st);
	assert_int_equal(f->st->user_get_by_email(tx, &ar, "eva@901", &eva),
			 HH_OK);
	tu_read_end(tx);
	assert_int_equal(eva.roles, HH_ROLE_EDITOR | HH_ROLE_AGENT);
	/* the password is stored hashed (eva is the only user) */
	assert_int_equal(n_users(f), 1);
	assert_non_null(eva.password_hash);
	assert_int_equal(strncmp(eva.password_hash, "$argon2id$", 10), 0);
	hh_arena_clear(&ar);
}

/* ---- comparing folders -------------------------------------------------- */

/* Lists every regular file under root (relative paths, in readdir
 * order) into b, one per line. */
static void list_files(const char *root, const char *rel, struct hh_buf *b)
{
	char path[4400];
	snprintf(path, sizeof(path), "%s%s%s", root, *rel ? "/" : "", rel);
	DIR *d = opendir(path);
	assert_non_null(d);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		names = hh_xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = hh_xstrdup(e->d_name);
	}
	closedir(d);
	for (size_t i = 0; i < n; i++) {
		char sub[4400], full[4500];
		snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "",
			 names[i]);
		snprintf(full, sizeof(full), "%s/%s", root, sub);
		struct stat st;
		assert_int_equal(stat(full, &st), 0);
		if (S_ISDIR(st.st_mode))
			list_files(root, sub, b);
		else
			hh_buf_printf(b, "%s\n", sub);
		free(names[i]);
	}
	free(names);
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The sorted file list of root, one per line (new). */
static char *tree(const char *root)
{
	struct hh_buf b;
	hh_buf_init(&b);
	list_files(root, "", &b);
	/* sort the lines: readdir order is not defined */
	char *all = hh_buf_steal(&b);
	size_t n = 0;
	for (char *p = all; *p; p++)
		n += *p == '\n';
	char **lines = hh_xcalloc(n ? n : 1, sizeof(*lines));
	size_t i = 0;
	for (char *p = strtok(all, "\n"); p; p = strtok(NULL, "\n"))
		lines[i++] = p;
	qsort(lines, i, sizeof(*lines), cmp_str);
	hh_buf_init(&b);
	for (size_t k = 0; k < i; k++)
		hh_buf_printf(&b, "%s\n", lines[k]);
	free(lines);
	free(all);
	return hh_buf_steal(&b);
}

/* Every file under a also exists under b with the same bytes, and the
 * other way round. Returns the number of files compared. */
static int assert_same_tree(const char *a, const char *b)
{
	char *ta = tree(a), *tb = tree(b);
	if (strcmp(ta, tb) != 0)
		fail_msg("file lists differ:\n--- %s\n%s--- %s\n%s", a, ta, b, tb);
	int n = 0;
	for (char *p = strtok(ta, "\n"); p; p = strtok(NULL, "\n")) {
		char pa[4500], pb[4500];
		snprintf(pa, sizeof(pa), "%s/%s", a, p);
		snprintf(pb, sizeof(pb), "%s/%s", b, p);
		char *x = tu_read(pa), *y = tu_read(pb);
		assert_non_null(x);
		assert_non_null(y);
		if (strcmp(x, y) != 0)
			fail_msg("%s differs:\n--- %s\n%s--- %s\n%s", p, pa, x, pb,
				 y);
		free(x);
		free(y);
		n++;
	}
	free(ta);
	free(tb);
	return n;
}

/* A new migrated store of its own in folder dir/name, on the tests'
 * backend (tu_store). */
static struct hh_store *new_store(const char *dir, const char *name)
{
	char path[4400];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(mkdir(path, 0700), 0);
	return tu_store(path, 2);
}

static void export_to(struct fx *f, struct hh_store *st, const char *name,
		      char *out, size_t size, int *n)
{
	snprintf(out, size, "%s/%s", f->dir, name);
	enum hh_rc rc = hh_content_export(st, out, f->err, n);
	if (rc != HH_OK)
		fail_msg("export to %s: %s\n%s", out, hh_rc_name(rc), errs(f));
}

/* A database with every kind of article the format must carry. */
static void varied_database(struct fx *f)
{
	put(f->src, "organisations.json", orgs_json);
	struct hh_import_stats s;
	assert_int_equal(hh_content_import(f->st, f->src, 0, f->err, NULL, NULL,
					   &s),
			 HH_OK);
	struct hh_actor cli = { .label = "cli", .system = 1 };
	struct hh_arena ar;
	hh_arena_init(&ar);
	static const struct {
		const char *slug;
		int64_t org;
		const char *title, *summary, *keywords, *kle, *body;
		enum hh_audience aud;
		enum hh_status status;
	} arts[] = {
		{ "flytning", 0, "Flytning", "Meld flytning.", "flyt, adresse",
		  "23.05.01", "# Flytning\n\nMeld det *senest* 5 dage efter.",
		  HH_AUDIENCE_CITIZEN, HH_STATUS_PUBLISHED },
		{ "flytning", 1, "Flytning i Nordskov", "Lokalt: åbningstider.",
		  "", "", "Kom på rådhuset.\n\n- mandag\n- tirsdag",
		  HH_AUDIENCE_CITIZEN, HH_STATUS_PUBLISHED },
		{ "intern-vejledning", 0, "Vejledning: sådan gør du",
		  "Kun for personale.", "vejledning", "00.01",
		  "Trin 1: <b>ikke HTML</b> & \"citater\"", HH_AUDIENCE_STAFF,
		  HH_STATUS_PUBLISHED },
		{ "kladde", 2, "Kladde i Åstrup", "Ikke færdig.", "a", "00",
		  "", HH_AUDIENCE_CITIZEN, HH_STATUS_DRAFT },
		{ "boligydelse", 3, "Boligydelse", "Fra UDK.", "bolig, ydelse",
		  "", "Søg på borger.dk.", HH_AUDIENCE_CITIZEN,
		  HH_STATUS_PUBLISHED },
		/* what an API client may send: trailing blanks, CRLF,
		 * trailing newlines, a leading blank line, messy keywords */
		{ "fra-api", 1, "  Titel med blanktegn \t", "Resumé  ",
		  " x ,y,, z ", "",
		  "\nFørste linje\r\nAnden linje  \r\n\r\n", HH_AUDIENCE_CITIZEN,
		  HH_STATUS_PUBLISHED },
		{ "titel-kolon", 0, "Tid: kl. 9:00 -- 15:00", "---", "", "",
		  "---\nikke front matter\n---", HH_AUDIENCE_CITIZEN,
		  HH_STATUS_PUBLISHED },
	};
	for (size_t i = 0; i < sizeof(arts) / sizeof(arts[0]); i++) {
		struct hh_article a = {
			.org_id = arts[i].org,
			.slug = arts[i].slug,
			.title = arts[i].title,
			.summary = arts[i].summary,
			.keywords = arts[i].keywords,
			.kle = arts[i].kle,
			.body_md = arts[i].body,
			.audience = arts[i].aud,
			.status = arts[i].status,
		};
		const char *field;
		enum hh_rc rc = hh_article_create(f->st, &cli, &ar, &a, &field);
		if (rc != HH_OK)
			fail_msg("create %s: %s %s", arts[i].slug, hh_rc_name(rc),
				 field ? field : "");
	}
	/* several versions, and an archived one */
	struct hh_article u = { .org_id = 0, .slug = "flytning",
				.title = "Flytning", .summary = "Meld flytning.",
				.keywords = "flyt, adresse, cpr",
				.kle = "23.05.01", .body_md = "Ny tekst.",
				.audience = HH_AUDIENCE_CITIZEN,
				.status = HH_STATUS_PUBLISHED };
	const char *field;
	int changed;
	assert_int_equal(hh_article_update(f->st, &cli, &ar, &u, 0, &changed,
					   &field),
			 HH_OK);
	assert_int_equal(changed, 1);
	assert_int_equal(hh_article_archive(f->st, &cli, &ar, 3, "boligydelse",
					    0, NULL),
			 HH_OK);
	hh_arena_clear(&ar);
	put(f->src, "life-events/flytning.json",
	    "{\"title\":\"Du skal flytte\",\"summary\":\"Alt om – flytning.\","
	    "\"position\":1,\"articles\":[\"flytning\",\"fra-api\"]}");
	put(f->src, "life-events/tom.json",
	    "{\"title\":\"Tom\",\"summary\":\"S\",\"position\":2,"
	    "\"articles\":[]}");
	assert_int_equal(hh_content_import(f->st, f->src, 0, f->err, NULL, NULL,
					   &s),
			 HH_OK);
	assert_int_equal(s.life_events, 2);
}

static void export_import_export_identical(void **state)
{
	struct fx *f = *state;
	varied_database(f);
	char e1[4300], e2[4300], e3[4300];
	int n1 = -1, n2 = -1, n3 = -1;
	export_to(f, f->st, "export1", e1, sizeof(e1), &n1);
	assert_int_equal(n1, 7);
	assert_string_equal(errs(f), "");
	/* the files are where the format says */
	char p[4500];
	snprintf(p, sizeof(p), "%s/articles/901/flytning.md", e1);
	char *t = tu_read(p);
	assert_non_null(t);
	assert_non_null(strstr(t, "\norganisation: 901\n"));
	free(t);
	snprintf(p, sizeof(p), "%s/articles/flytning.md", e1);
	t = tu_read(p);
	assert_non_null(t);
	assert_null(strstr(t, "organisation:"));
	assert_non_null(strstr(t, "keywords: flyt, adresse, cpr\n"));
	free(t);
	snprintf(p, sizeof(p), "%s/articles/udk/boligydelse.md", e1);
	t = tu_read(p);
	assert_non_null(t);
	assert_non_null(strstr(t, "\nstatus: archived\n"));
	free(t);
	/* what an API client sent is written in canonical form */
	snprintf(p, sizeof(p), "%s/articles/901/fra-api.md", e1);
	t = tu_read(p);
	assert_non_null(t);
	assert_string_equal(t, "---\ntitle: Titel med blanktegn\n"
			       "summary: Resumé\nkeywords: x, y, z\nkle:\n"
			       "audience: citizen\nstatus: published\n"
			       "organisation: 901\n---\n\n\nFørste linje\n"
			       "Anden linje  \n");
	free(t);

	/* import the export into a new database and export again */
	struct hh_store *st2 = new_store(f->dir, "second");
	struct hh_import_stats s;
	assert_int_equal(hh_content_import(st2, e1, 0, f->err, NULL, NULL, &s),
			 HH_OK);
	assert_string_equal(errs(f), "");
	assert_int_equal(s.articles_created, 7);
	assert_int_equal(s.organisations, 3);
	assert_int_equal(s.life_events, 2);
	export_to(f, st2, "export2", e2, sizeof(e2), &n2);
	assert_int_equal(n2, 7);
	int files = assert_same_tree(e1, e2);
	assert_int_equal(files, 7 + 1 + 2); /* articles, orgs, life events */
	/* importing the export over the original changes nothing */
	assert_int_equal(hh_content_import(f->st, e1, 0, f->err, NULL, NULL, &s),
			 HH_OK);
	assert_int_equal(s.articles_unchanged, 7);
	assert_int_equal(s.articles_updated, 0);
	/* exporting over an existing export rewrites the same bytes */
	export_to(f, st2, "export2", e3, sizeof(e3), &n3);
	assert_same_tree(e1, e3);
	hh_store_close(st2);
}

/* Export retried after BUSY at any call site writes the same files. */
static void export_under_busy_faults(void **state)
{
	struct fx *f = *state;
	varied_database(f);
	char clean[4300];
	int n;
	export_to(f, f->st, "clean", clean, sizeof(clean), &n);
	for (int k = 1; k <= 6; k++) {
		char name[32], out[4300];
		snprintf(name, sizeof(name), "busy-%d", k);
		hh_store_fault_inject(f->st, k, HH_ERR_BUSY);
		int m = -1;
		export_to(f, f->st, name, out, sizeof(out), &m);
		hh_store_fault_inject(f->st, 0, HH_OK);
		assert_int_equal(m, n);
		assert_same_tree(clean, out);
	}
}

/* A new article starts with the views its file gives (the demo's
 * "popular" order on a fresh install); importing again adds none, and the
 * export writes the views the store has. */
static void import_views(void **state)
{
	struct fx *f = *state;
	put(f->src, "organisations.json", orgs_json);
	put(f->src, "articles/alfa.md",
	    "---\ntitle: Alfa\nsummary: S\naudience: citizen\n"
	    "status: published\nviews: 120\n---\n\nB\n");
	put(f->src, "articles/beta.md",
	    "---\ntitle: Beta\nsummary: S\naudience: citizen\n"
	    "status: published\n---\n\nB\n");
	struct hh_import_stats s;
	assert_int_equal(hh_content_import(f->st, f->src, 0, f->err, NULL, NULL,
					   &s),
			 HH_OK);
	assert_string_equal(errs(f), "");
	assert_int_equal(tu_article_views(f->st, "alfa"), 120);
	assert_int_equal(tu_article_views(f->st, "beta"), 0);
	assert_int_equal(hh_content_import(f->st, f->src, 0, f->err, NULL, NULL,
					   &s),
			 HH_OK);
	assert_int_equal(tu_article_views(f->st, "alfa"), 120);
	char out[4300];
	int n;
	export_to(f, f->st, "views", out, sizeof(out), &n);
	char path[4400];
	snprintf(path, sizeof(path), "%s/articles/alfa.md", out);
	char *text = tu_read(path);
	assert_non_null(text);
	assert_non_null(strstr(text, "\nstatus: published\nviews: 120\n---\n"));
	free(text);
	snprintf(path, sizeof(path), "%s/articles/beta.md", out);
	text = tu_read(path);
	assert_non_null(text);
	assert_null(strstr(text, "views:"));
	free(text);
}

/* The demo content: imports cleanly, and exporting it reproduces
 * content/articles byte for byte (the files are in canonical form); the
 * round trip through a second database is stable too. */
static void demo_content_round_trip(void **state)
{
	struct fx *f = *state;
	struct stat sb;
	if (stat("content/articles", &sb) != 0)
		fail_msg("run the tests from the repository root");
	struct hh_import_stats s;
	enum hh_rc rc = hh_content_import(f->st, "content", 0, f->err, NULL,
					  NULL, &s);
	if (rc != HH_OK)
		fail_msg("content/ does not import cleanly:\n%s", errs(f));
	assert_true(s.articles_created > 100);
	assert_int_equal(s.files_failed, 0);
	char e1[4300], e2[4300];
	int n1, n2;
	export_to(f, f->st, "demo1", e1, sizeof(e1), &n1);
	assert_int_equal(n1, s.articles_created);
	char a1[4400];
	snprintf(a1, sizeof(a1), "%s/articles", e1);
	int files = assert_same_tree("content/articles", a1);
	assert_int_equal(files, n1);
	/* the life events come back byte for byte too */
	char l1[4400];
	snprintf(l1, sizeof(l1), "%s/life-events", e1);
	assert_same_tree("content/life-events", l1);
	/* the organisations are the same set; export orders them
	 * (municipalities, then agencies, each by name) and the demo file
	 * does not, so bytes are not compared */
	char o1[4400];
	snprintf(o1, sizeof(o1), "%s/organisations.json", e1);
	json_error_t je;
	json_t *x = json_load_file("content/organisations.json", 0, &je);
	json_t *y = json_load_file(o1, 0, &je);
	assert_non_null(x);
	assert_non_null(y);
	assert_int_equal(json_array_size(x), json_array_size(y));
	for (size_t i = 0; i < json_array_size(x); i++) {
		int found = 0;
		for (size_t k = 0; k < json_array_size(y); k++)
			found |= json_equal(json_array_get(x, i),
					    json_array_get(y, k));
		assert_true(found);
	}
	json_decref(x);
	json_decref(y);

	struct hh_store *st2 = new_store(f->dir, "demo");
	assert_int_equal(hh_content_import(st2, e1, 0, f->err, NULL, NULL, &s),
			 HH_OK);
	export_to(f, st2, "demo2", e2, sizeof(e2), &n2);
	assert_int_equal(n2, n1);
	assert_same_tree(e1, e2);
	hh_store_close(st2);
}

#define P(fn) cmocka_unit_test_setup_teardown(fn, parse_setup, parse_teardown)
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	hh_auth_init();
	hh_log_set_level(HH_LOG_ERROR);
	const struct CMUnitTest tests[] = {
		P(parse_good_file),
		P(parse_optional_and_org),
		P(parse_crlf),
		P(parse_errors_name_the_line),
		P(parse_limits),
		T(import_skips_bad_files),
		T(import_twice_changes_nothing),
		T(import_views),
		T(import_changed_file_updates),
		T(import_bad_metadata),
		T(import_users),
		T(export_import_export_identical),
		T(export_under_busy_faults),
		T(demo_content_round_trip),
	};
	return cmocka_run_group_tests_name("domain/content", tests, NULL, NULL);
}
