/* test_external.c - domain/external.c's own logic without a store: the
 * overview's merge of the rows read under each CPR hash key (the API's
 * behaviour is in tests/api/test_external_api.c). */
#include "testutil.h"

/* static list_row, newest_cut */
#include "domain/external.c"

static struct hh_external_case row(int64_t id, int64_t updated,
				   int64_t received)
{
	struct hh_external_case k;
	memset(&k, 0, sizeof(k));
	k.id = id;
	k.sent_updated_at = updated;
	k.received_at = received;
	return k;
}

/* rv2-fix: while a key rotation re-hashes, a citizen's rows are under the
 * old key and the new. The first key's list is full (the limit) of old
 * rows; the second has newer ones and one row read under both. The cut
 * comes after both were read and sorted: the newer rows lead, each case
 * once. Cutting while reading (as before) kept the first key's rows only. */
static void rotation_keeps_newer_rows_of_the_second_key(void **state)
{
	struct hh_arena a;
	hh_arena_init(&a);
	struct list_ctx c = { &a, NULL, 0, 0 };
	/* key 1, as the store streams it: newest first, the limit */
	for (int i = 0; i < HH_OVERVIEW_EXTERNAL; i++) {
		struct hh_external_case k = row(1000 - i, 1580000000 - i, 1590000000);
		assert_int_equal(list_row(&c, &k), HH_OK);
	}
	/* key 2: three cases received today, no updated_at; then id 1000,
	 * the first key's newest, hashed under both */
	for (int i = 0; i < 3; i++) {
		struct hh_external_case k = row(5000 + i, 0, 1764900000 + i);
		assert_int_equal(list_row(&c, &k), HH_OK);
	}
	struct hh_external_case dup = row(1000, 1580000000, 1590000000);
	assert_int_equal(list_row(&c, &dup), HH_OK);

	size_t n = newest_cut(c.rows, c.n, HH_OVERVIEW_EXTERNAL);
	assert_int_equal(n, HH_OVERVIEW_EXTERNAL);
	assert_int_equal(c.rows[0].id, 5002);
	assert_int_equal(c.rows[1].id, 5001);
	assert_int_equal(c.rows[2].id, 5000);
	assert_int_equal(c.rows[3].id, 1000);
	assert_int_equal(c.rows[4].id, 999); /* 1000 once */
	/* the oldest three of key 1 made room */
	assert_int_equal(c.rows[n - 1].id, 1000 - (HH_OVERVIEW_EXTERNAL - 4));
	hh_arena_clear(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rotation_keeps_newer_rows_of_the_second_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
