/* store_suite_tune.c - s-tune (issue 13): synonym rules removed and
 * revived (store.h, 0028_synonym_removal.sql), on every backend. Included
 * by store_suite.c. */

static enum hh_rc t_tune_count(void *p, int64_t id, const char *rule)
{
	(void)id;
	hh_buf_printf(p, "%s;", rule);
	return HH_OK;
}

static void t_synonym_removal(void **state)
{
	struct x_fx *f = *state;
	struct hh_tx *tx;
	int64_t a = 0, b = 0, again = 0;
	const char *rule = NULL;
	assert_int_equal(f->st->tx_begin(f->st->cls, 1, &tx), HH_OK);
	assert_int_equal(f->st->synonym_insert(tx, "bil, vogn", 1, "t", &a), HH_OK);
	assert_int_equal(f->st->synonym_insert(tx, "cykel => rad", 1, "t", &b),
			 HH_OK);
	assert_int_equal(f->st->synonym_get(tx, &f->a, a, &rule), HH_OK);
	assert_string_equal(rule, "bil, vogn");
	assert_int_equal(f->st->synonym_remove(tx, a, 2, "t"), HH_OK);
	/* removed: not read, not removed twice, not inserted again (the
	 * seed and import), only revived */
	assert_int_equal(f->st->synonym_get(tx, &f->a, a, &rule),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(f->st->synonym_remove(tx, a, 3, "t"), HH_ERR_NOT_FOUND);
	assert_int_equal(f->st->synonym_remove(tx, 999999, 3, "t"),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(f->st->synonym_insert(tx, "bil, vogn", 3, "t", &again),
			 HH_ERR_CONFLICT);
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
	struct hh_buf listed;
	hh_buf_init(&listed);
	assert_int_equal(f->st->tx_begin(f->st->cls, 0, &tx), HH_OK);
	assert_int_equal(f->st->synonym_list(tx, &f->a, t_tune_count, &listed),
			 HH_OK);
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
	assert_string_equal(hh_buf_str(&listed), "cykel => rad;");
	hh_buf_reset(&listed);
	assert_int_equal(f->st->tx_begin(f->st->cls, 1, &tx), HH_OK);
	/* a rule in force is not revived; the removed one is, with its id */
	assert_int_equal(f->st->synonym_revive(tx, "cykel => rad", 4, "t", &again),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(f->st->synonym_revive(tx, "bil, vogn", 4, "t", &again),
			 HH_OK);
	assert_int_equal(again, a);
	assert_int_equal(f->st->synonym_list(tx, &f->a, t_tune_count, &listed),
			 HH_OK);
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
	assert_string_equal(hh_buf_str(&listed), "bil, vogn;cykel => rad;");
	hh_buf_clear(&listed);
}
