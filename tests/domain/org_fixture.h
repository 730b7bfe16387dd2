/* org_fixture.h - what the domain tests over a few organisations start
 * from (test_figures.c, test_figures_flow.c, test_inquiry_batch.c): a
 * store in a new folder (two connections) and an arena, organisations
 * and their users put in it, and all of it cleared in one call. f is the
 * test's own fixture: any struct with the members `char *dir`,
 * `struct hh_store *st` and `struct hh_arena a`. Include after
 * testutil.h. */
#ifndef HH_TESTS_ORG_FIXTURE_H
#define HH_TESTS_ORG_FIXTURE_H

/* Opens f's store in a new folder and its arena. */
#define OFX_OPEN(f) ofx_open(&(f)->dir, &(f)->st, &(f)->a)
/* Clears what OFX_OPEN made (not f itself). */
#define OFX_CLOSE(f) ofx_close((f)->dir, (f)->st, &(f)->a)

/* Defines the cmocka teardown `teardown` of a fixture struct T that the
 * setup made with hh_xcalloc and OFX_OPEN. */
#define OFX_TEARDOWN(T)                                                     \
	static int teardown(void **state)                                   \
	{                                                                   \
		struct T *f = *state;                                       \
		OFX_CLOSE(f);                                               \
		free(f);                                                    \
		return 0;                                                   \
	}

static inline void ofx_open(char **dir, struct hh_store **st, struct hh_arena *a)
{
	*dir = tu_tmpdir();
	*st = tu_store(*dir, 2);
	hh_arena_init(a);
}

static inline void ofx_close(char *dir, struct hh_store *st, struct hh_arena *a)
{
	hh_arena_clear(a);
	hh_store_close(st);
	tu_rmdir(dir);
}

/* Puts an organisation in tx; its id. */
static inline int64_t ofx_org_in(struct hh_tx *tx, const char *code,
				 const char *name, enum hh_org_kind kind)
{
	struct hh_org o = { .code = code, .name = name, .kind = kind };
	assert_int_equal(tx->store->org_put(tx, &o), HH_OK);
	return o.id;
}

/* Puts an organisation in its own transaction; its id. */
static inline int64_t ofx_org(struct hh_store *st, const char *code,
			      const char *name, enum hh_org_kind kind)
{
	struct hh_tx *tx;
	assert_int_equal(st->tx_begin(st->cls, 1, &tx), HH_OK);
	int64_t id = ofx_org_in(tx, code, name, kind);
	assert_int_equal(st->tx_commit(tx), HH_OK);
	return id;
}

/* A user of org with roles (its name is its email, no usable password)
 * in tx; its id. */
static inline int64_t ofx_user_in(struct hh_tx *tx, int64_t org,
				  const char *email, unsigned roles)
{
	struct hh_user u = { .org_id = org, .email = email, .name = email,
			     .password_hash = "x", .roles = roles };
	assert_int_equal(tx->store->user_insert(tx, &u), HH_OK);
	return u.id;
}

#endif
