/* store_suite.h - the store test suite every backend passes: each table's
 * operations, transactions (retry, bound, rollback), ids from the
 * database, change callbacks, and fault injection at every call site of
 * the domain's writes (nothing may be half-written).
 *
 * The cases use struct hh_store (and testutil's readers over it) only.
 * A backend's test binary (e.g. test_store_sqlite.c) says how to open its
 * store in a struct store_backend and calls store_suite_run (GNU Taler's
 * plugin tests pick the plugin the same way, from the binary). Test-local
 * names carry an x_ or t_ prefix. */
#ifndef HH_STORE_SUITE_H
#define HH_STORE_SUITE_H

#include "testutil.h"

#include <sys/stat.h>

#include "domain/articles.h"
#include "domain/content.h"

struct store_backend {
	const char *name; /* the store's ->name */
	/* A new, migrated store on the database kept in folder dir; two
	 * stores opened on the same dir share one database (two
	 * instances). Returns new. */
	struct hh_store *(*open)(const char *dir, int pool);
	/* The first column of the first row of sql (standard SQL), run on
	 * a connection of its own to st's database: committed data only.
	 * Used only where the interface has no read: an article's view
	 * count, and that no version row is left without its article. */
	int64_t (*sql_int)(struct hh_store *st, const char *sql);
	/* pg-base: names of cases this backend does not run yet (it lacks
	 * functions they need), NULL-terminated; NULL: run every case. */
	const char *const *skip;
};

/* Runs every case against backend b; returns the number that failed. */
int store_suite_run(const struct store_backend *b);

static const struct store_backend *backend;

struct x_fx {
	char *dir;
	struct hh_store *st;
	struct hh_arena a;
};

static int x_setup(void **state)
{
	struct x_fx *f = hh_xcalloc(1, sizeof(*f));
	f->dir = tu_tmpdir();
	f->st = backend->open(f->dir, 2);
	hh_arena_init(&f->a);
	*state = f;
	return 0;
}

static int x_teardown(void **state)
{
	struct x_fx *f = *state;
	hh_store_close(f->st);
	hh_arena_clear(&f->a);
	tu_rmdir(f->dir);
	free(f);
	return 0;
}

static int64_t x_int(struct hh_store *st, const char *sql)
{
	return backend->sql_int(st, sql);
}

/* ---- helpers ---------------------------------------------------------- */

/* A new folder inside the fixture's, so teardown removes it even when a
 * test fails half-way. Returns new. */
static char *x_subdir(struct x_fx *f)
{
	static int seq;
	char path[4200];
	snprintf(path, sizeof(path), "%s/d%d", f->dir, ++seq);
	assert_int_equal(mkdir(path, 0700), 0);
	return hh_xstrdup(path);
}

/* Removes a folder made by x_subdir. */
static void x_rmdir(char *dir)
{
	tu_rmdir(dir);
}

static struct hh_tx *x_begin(struct hh_store *st, int write)
{
	struct hh_tx *tx = NULL;
	assert_int_equal(st->tx_begin(st->cls, write, &tx), HH_OK);
	assert_non_null(tx);
	return tx;
}

static void x_commit(struct hh_tx *tx)
{
	assert_int_equal(tx->store->tx_commit(tx), HH_OK);
}


static int64_t x_put_org(struct hh_store *st, const char *code,
			 const char *name, enum hh_org_kind kind)
{
	struct hh_tx *tx = x_begin(st, 1);
	struct hh_org o = { .code = code, .name = name, .kind = kind };
	assert_int_equal(st->org_put(tx, &o), HH_OK);
	x_commit(tx);
	assert_true(o.id > 0);
	return o.id;
}

static struct hh_article x_article(const char *slug, int64_t org_id,
				   const char *kle, enum hh_audience aud,
				   enum hh_status status)
{
	struct hh_article a = {
		.org_id = org_id,
		.slug = slug,
		.title = slug,
		.summary = "Resumé",
		.body_md = "Brødtekst",
		.body_html = "<p>Brødtekst</p>\n",
		.keywords = "a, b",
		.kle = kle,
		.audience = aud,
		.status = status,
		.updated_by = "test",
	};
	return a;
}

static int64_t x_insert(struct hh_store *st, struct hh_article a)
{
	struct hh_tx *tx = x_begin(st, 1);
	assert_int_equal(st->article_insert(tx, &a), HH_OK);
	x_commit(tx);
	assert_true(a.id > 0);
	assert_int_equal(a.version, 1);
	return a.id;
}

/* Collects "slug" (shared) or "code/slug" of listed articles. */
struct x_names {
	struct hh_buf b;
	int n;
	int stop_after; /* >0: return CONFLICT after this many rows */
};

static enum hh_rc x_collect_article(void *p, const struct hh_article *a)
{
	struct x_names *c = p;
	if (c->b.len)
		hh_buf_putc(&c->b, ' ');
	if (a->org_code)
		hh_buf_printf(&c->b, "%s/", a->org_code);
	hh_buf_puts(&c->b, a->slug);
	c->n++;
	if (c->stop_after && c->n == c->stop_after)
		return HH_ERR_CONFLICT;
	return HH_OK;
}

/* Lists with f and returns the names, space separated (new). */
static char *x_list(struct x_fx *fx, struct hh_article_filter f,
		    int64_t offset, int64_t limit, int64_t *total)
{
	struct x_names c = { { 0 }, 0, 0 };
	hh_buf_init(&c.b);
	struct hh_tx *tx = x_begin(fx->st, 0);
	assert_int_equal(fx->st->article_list(tx, &fx->a, &f, offset, limit,
					       total, x_collect_article, &c),
			 HH_OK);
	x_commit(tx);
	return hh_buf_steal(&c.b);
}

#define assert_list(fx, filter, off, lim, total, want)                    \
	do {                                                              \
		char *got_ = x_list((fx), (filter), (off), (lim), (total)); \
		if (strcmp(got_, (want)) != 0)                            \
			fail_msg("list: want '%s', got '%s'", (want), got_); \
		free(got_);                                               \
	} while (0)

/* ---- migrations and settings ----------------------------------------- */

#endif
