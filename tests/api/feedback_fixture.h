/* feedback_fixture.h - what the "Fandt du det, du søgte?" tests over
 * HTTP share (test_feedback_api.c, test_feedback_pages.c): a server in
 * the test's process with the demo users, the editor of 901 signed in,
 * citizen articles put straight into the store, and counts read from the
 * database. Include after testutil.h. */
#ifndef HH_TESTS_FEEDBACK_FIXTURE_H
#define HH_TESTS_FEEDBACK_FIXTURE_H

#include "store/sqlite_query.h"

struct fb_ctx {
	struct tu_server s;
	char editor[200], csrf[80]; /* editor@901 */
	char agent[200], acsrf[80]; /* agent@901, where the test signs in */
	int64_t art, draft;         /* its published article and its draft */
	char db[4200];
};

/* A citizen article with slug, title and kle in status; its id. */
static inline int64_t fb_article(struct fb_ctx *c, const char *slug,
				 const char *title, const char *kle,
				 enum hh_status status)
{
	struct hh_article art = { .slug = slug, .title = title, .summary = "S",
				  .body_md = "B", .body_html = "<p>B</p>",
				  .keywords = "", .kle = kle,
				  .audience = HH_AUDIENCE_CITIZEN,
				  .status = status, .updated_by = "t" };
	struct hh_tx *tx;
	assert_int_equal(c->s.store->tx_begin(c->s.store->cls, 1, &tx), HH_OK);
	assert_int_equal(c->s.store->article_insert(tx, &art), HH_OK);
	assert_int_equal(c->s.store->tx_commit(tx), HH_OK);
	return art.id;
}

/* Starts the server (tweak: its configuration, may be NULL) and signs in
 * the editor. Returns new (fb_stop frees it). */
static inline struct fb_ctx *fb_start(void (*tweak)(struct hh_server_config *))
{
	struct fb_ctx *c = hh_xcalloc(1, sizeof(*c));
	tu_server_start_cfg(&c->s, 1, tweak);
	tu_login(&c->s, "editor@901", c->editor, sizeof(c->editor), c->csrf,
		 sizeof(c->csrf));
	snprintf(c->db, sizeof(c->db), "%s/helhed.db", c->s.dir);
	return c;
}

/* A cmocka teardown for a state that fb_start made. */
static inline int fb_stop(void **state)
{
	struct fb_ctx *c = *state;
	tu_server_stop(&c->s);
	free(c);
	return 0;
}

/* The one integer sql reads from the server's database (either
 * backend: tu_sql). */
static inline int64_t fb_count(struct fb_ctx *c, const char *sql)
{
	return tu_sql_int(c->s.dir, sql, 0, NULL);
}

#endif
