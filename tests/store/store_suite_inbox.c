/* store_suite_inbox.c - the store suite's cases for the citizen's inbox
 * (store.h's inbox block): only sent letters are listed and counted, newest
 * sent first (not in id order), paged, without their PDF but with its
 * size; a letter is read with its PDF; read_at is set once.
 * #included by store_suite.c. */

static int64_t x_inbox_letter(struct hh_store *st, int64_t org, int64_t citizen,
			      int64_t author, const char *state, const char *title,
			      int64_t sent_at)
{
	static const char pdf[] = "%PDF-1.4\n%%EOF\n";
	struct hh_letter l = { .org_id = org, .citizen_id = citizen, .kind = "granted",
			       .template_code = "t", .state = state, .title = title,
			       .body = "Tekst.", .author_id = author,
			       .created_at = 1772442000, .sent_at = sent_at,
			       .pdf = sent_at ? (const unsigned char *)pdf : NULL,
			       .pdf_len = sent_at ? sizeof(pdf) - 1 : 0 };
	struct hh_tx *tx = x_begin(st, 1);
	assert_int_equal(st->inbox_letter_insert(tx, &l), HH_OK);
	x_commit(tx);
	return l.id;
}

static enum hh_rc x_push_letter(void *p, const struct hh_letter *l)
{
	struct hh_buf *out = p;
	assert_null(l->pdf); /* lists never carry the PDF */
	hh_buf_printf(out, "%s/%s/%zu;", l->title, l->org_name, l->pdf_len);
	return HH_OK;
}

static void t_inbox(void **state)
{
	struct x_fx *f = *state;
	int64_t org = x_put_org(f->st, "901", "Nordskov", HH_ORG_MUNICIPALITY);
	struct hh_tx *tx = x_begin(f->st, 1);
	struct hh_user u = { .org_id = org, .email = "cw@901", .name = "Cai",
			     .password_hash = "!", .roles = HH_ROLE_CASEWORKER };
	assert_int_equal(f->st->user_insert(tx, &u), HH_OK);
	struct hh_citizen anna = { .subject = "s:anna", .name = "Anna" };
	struct hh_citizen bo = { .subject = "s:bo", .name = "Bo" };
	assert_int_equal(f->st->citizen_put(tx, &anna), HH_OK);
	assert_int_equal(f->st->citizen_put(tx, &bo), HH_OK);
	x_commit(tx);
	int64_t t = 1772442000;
	/* drafted in one order, sent in another */
	int64_t late = x_inbox_letter(f->st, org, anna.id, u.id, "sent", "B", t + 300);
	int64_t early = x_inbox_letter(f->st, org, anna.id, u.id, "sent", "A", t + 100);
	x_inbox_letter(f->st, org, anna.id, u.id, "draft", "Kladde", 0);
	x_inbox_letter(f->st, org, anna.id, u.id, "awaiting_approval", "Venter", 0);
	x_inbox_letter(f->st, org, anna.id, u.id, "sent", "C", t + 200);
	x_inbox_letter(f->st, org, bo.id, u.id, "sent", "Bo's", t + 400);

	struct hh_arena *ar = &f->a;
	tx = x_begin(f->st, 0);
	int64_t total = -1, unread = -1;
	assert_int_equal(f->st->inbox_count(tx, anna.id, &total, &unread), HH_OK);
	assert_int_equal(total, 3);
	assert_int_equal(unread, 3);
	struct hh_buf b;
	hh_buf_init(&b);
	assert_int_equal(f->st->inbox_list(tx, ar, anna.id, 0, 0, x_push_letter, &b),
			 HH_OK);
	assert_string_equal(hh_buf_str(&b), "B/Nordskov/15;C/Nordskov/15;A/Nordskov/15;");
	hh_buf_reset(&b);
	assert_int_equal(f->st->inbox_list(tx, ar, anna.id, 1, 1, x_push_letter, &b),
			 HH_OK);
	assert_string_equal(hh_buf_str(&b), "C/Nordskov/15;");
	hh_buf_clear(&b);
	struct hh_letter got;
	assert_int_equal(f->st->inbox_get(tx, ar, early, &got), HH_OK);
	assert_int_equal(got.citizen_id, anna.id);
	assert_int_equal(got.org_id, org);
	assert_int_equal(got.case_id, 0);
	assert_string_equal(got.state, "sent");
	assert_string_equal(got.author_name, "Cai");
	assert_int_equal(got.pdf_len, 15);
	assert_memory_equal(got.pdf, "%PDF-", 5);
	assert_int_equal(got.read_at, 0);
	assert_int_equal(f->st->inbox_get(tx, ar, 99999, &got), HH_ERR_NOT_FOUND);
	x_commit(tx);

	/* read once: the second mark changes nothing */
	tx = x_begin(f->st, 1);
	int marked = -1;
	assert_int_equal(f->st->inbox_mark_read(tx, late, t + 1000, &marked), HH_OK);
	assert_int_equal(marked, 1);
	assert_int_equal(f->st->inbox_mark_read(tx, late, t + 2000, &marked), HH_OK);
	assert_int_equal(marked, 0);
	x_commit(tx);
	tx = x_begin(f->st, 0);
	assert_int_equal(f->st->inbox_get(tx, ar, late, &got), HH_OK);
	assert_int_equal(got.read_at, t + 1000);
	assert_int_equal(f->st->inbox_count(tx, anna.id, &total, &unread), HH_OK);
	assert_int_equal(total, 3);
	assert_int_equal(unread, 2);
	x_commit(tx);
	/* a draft is never marked read */
	int64_t draft = x_inbox_letter(f->st, org, anna.id, u.id, "draft", "K2", 0);
	tx = x_begin(f->st, 1);
	assert_int_equal(f->st->inbox_mark_read(tx, draft, t, &marked), HH_OK);
	assert_int_equal(marked, 0);
	x_commit(tx);
}
