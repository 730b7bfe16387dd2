/* messages_fixture.h - what the delivery tests share: a store with one
 * municipality (with a CVR number), a caseworker, a case type with a KLE
 * number and a case, and citizens for every route (Digital Post, exempt,
 * no CPR with an address, neither); sent letters with their queued
 * messages made here directly in the database, as the letters code does
 * when it sends one (it is not on this branch). Include after testutil.h. */
#ifndef HH_TESTS_MESSAGES_FIXTURE_H
#define HH_TESTS_MESSAGES_FIXTURE_H

#include <sqlite3.h>

#include "domain/messages.h"
#include "post/spool.h"
#include "render/letter.h"
#include "render/memo.h"

struct dp_fx {
	char *dir;
	char db[4200];
	struct hh_store *st;
	int64_t org, org2, user, case_id;
	int64_t anna;  /* CPR and address: Digital Post */
	int64_t lars;  /* exempt, with an address: print */
	int64_t nina;  /* no CPR, an address: print */
	int64_t olga;  /* no CPR, no address: the error queue */
	int64_t bo;    /* CPR, of the other municipality */
	struct hh_buf pdf; /* a real letter */
};

struct dp_seed {
	struct dp_fx *f;
};

static inline enum hh_rc dp_seed_tx(struct hh_tx *tx, void *p)
{
	struct dp_fx *f = p;
	struct hh_store *st = tx->store;
	struct hh_org o = { .code = "901", .name = "Nordskov Kommune",
			    .kind = HH_ORG_MUNICIPALITY };
	assert_int_equal(st->org_put(tx, &o), HH_OK);
	f->org = o.id;
	assert_int_equal(st->org_cvr_put(tx, o.id, "29180101"), HH_OK);
	struct hh_org o2 = { .code = "902", .name = "Åstrup Kommune",
			     .kind = HH_ORG_MUNICIPALITY };
	assert_int_equal(st->org_put(tx, &o2), HH_OK);
	f->org2 = o2.id;
	assert_int_equal(st->org_cvr_put(tx, o2.id, "29180202"), HH_OK);
	struct hh_user u = { .org_id = o.id, .email = "cw@901",
			     .name = "Jonas Krogh", .password_hash = "x",
			     .roles = HH_ROLE_CASEWORKER, .created_at = 1 };
	assert_int_equal(st->user_insert(tx, &u), HH_OK);
	f->user = u.id;
	struct hh_citizen z[] = {
		{ .subject = "t:anna", .name = "Anna Andersen",
		  .cpr = "070761-4285", .municipality_id = o.id,
		  .address = "Skovvej 1", .postcode = "4100", .city = "Nordskov" },
		{ .subject = "t:lars", .name = "Lars Lund", .cpr = "020759-9113",
		  .municipality_id = o.id, .address = "Møllevej 3",
		  .postcode = "4100", .city = "Nordskov",
		  .dp_exempt_since = 1614556800,
		  .dp_exempt_reason = "Ophold i udlandet" },
		{ .subject = "t:nina", .name = "Nina Nørgaard",
		  .municipality_id = o.id, .address = "Åvej 9",
		  .postcode = "4100", .city = "Nordskov" },
		{ .subject = "t:olga", .name = "Olga Olsen",
		  .municipality_id = o.id },
		{ .subject = "t:bo", .name = "Bo Berg", .cpr = "010190-1234",
		  .municipality_id = o2.id },
	};
	int64_t *ids[] = { &f->anna, &f->lars, &f->nina, &f->olga, &f->bo };
	for (int i = 0; i < 5; i++) {
		assert_int_equal(st->citizen_put(tx, &z[i]), HH_OK);
		*ids[i] = z[i].id;
	}
	struct hh_case_type ct = { .code = "hjaelpemidler",
				   .organisation = "municipality",
				   .name = "Hjælpemidler", .public = 1,
				   .definition = "{\"kle\":\"27.24.00\"}" };
	assert_int_equal(st->case_type_put(tx, &ct), HH_OK);
	struct hh_case c = { .case_type_id = ct.id, .org_id = o.id,
			     .citizen_id = f->anna, .state = "received",
			     .data = "{}", .created_at = 1, .updated_at = 1,
			     .deadline_at = 2 };
	assert_int_equal(st->case_insert(tx, &c), HH_OK);
	f->case_id = c.id;
	return HH_OK;
}

/* Builds the store in a new folder (f->st open). */
static inline void dp_setup(struct dp_fx *f)
{
	memset(f, 0, sizeof(*f));
	f->dir = tu_tmpdir();
	snprintf(f->db, sizeof(f->db), "%s/helhed.db", f->dir);
	f->st = tu_store(f->dir, 2);
	assert_int_equal(hh_store_run_tx(f->st, 1, dp_seed_tx, f), HH_OK);
	hh_buf_init(&f->pdf);
	struct hh_letter_doc d = { .sender = "Nordskov Kommune",
				   .recipient = "Anna Andersen\nSkovvej 1\n4100 Nordskov",
				   .date = "4. december 2026",
				   .title = "Afgørelse om hjælpemidler",
				   .body = "Du får bevilget en rollator." };
	assert_int_equal(hh_letter_pdf(&d, &f->pdf, NULL), HH_OK);
}

static inline void dp_teardown(struct dp_fx *f)
{
	if (f->st)
		hh_store_close(f->st);
	hh_buf_clear(&f->pdf);
	tu_rmdir(f->dir);
}

/* A sent letter to citizen (0: none) on case_id (0: none) of org, with
 * its queued message due at `due`, as the letters code leaves them; the
 * message's UUID in uuid. Returns the message's id. Writes through its
 * own connection (tu_sql, either backend), so it works while a server
 * has the store open. */
static inline int64_t dp_letter_at(struct dp_fx *f, int64_t org, int64_t citizen,
			    int64_t case_id, const char *title, int64_t due,
			    char uuid[HH_UUID_SIZE])
{
	hh_uuid4(uuid);
	char n_org[24], n_case[24], n_citizen[24], n_user[24], n_due[24];
	snprintf(n_org, sizeof(n_org), "%lld", (long long)org);
	snprintf(n_case, sizeof(n_case), "%lld", (long long)case_id);
	snprintf(n_citizen, sizeof(n_citizen), "%lld", (long long)citizen);
	snprintf(n_user, sizeof(n_user), "%lld", (long long)f->user);
	snprintf(n_due, sizeof(n_due), "%lld", (long long)due);
	const struct tu_sql_arg l[] = {
		TU_TEXT(n_org), TU_TEXT(n_case), TU_TEXT(n_citizen),
		TU_TEXT(title), TU_TEXT(n_user), TU_TEXT(n_due),
		TU_BLOB(f->pdf.data, f->pdf.len), TU_TEXT(uuid),
	};
	char *letter = tu_sql(f->dir,
		"INSERT INTO letters(organisation_id, case_id, citizen_id, kind, "
		"template, state, title, body, reply_allowed, author_id, version, "
		"created_at, updated_at, sent_at, pdf, message_id) VALUES "
		"(?1, nullif(?2, 0), nullif(?3, 0), 'granted', 't', 'sent', ?4, "
		"'Du får bevilget en rollator.', 1, ?5, 1, ?6, ?6, ?6, ?7, ?8) "
		"RETURNING id", 8, l);
	assert_non_null(letter);
	const struct tu_sql_arg m[] = {
		TU_TEXT(uuid), TU_TEXT(letter), TU_TEXT(n_org),
		TU_TEXT(n_citizen), TU_TEXT(n_due),
	};
	int64_t id = tu_sql_int(f->dir,
		"INSERT INTO messages(message_id, letter_id, organisation_id, "
		"citizen_id, state, next_attempt_at, created_at, updated_at) "
		"VALUES (?1, ?2, ?3, nullif(?4, 0), 'queued', ?5, ?5, ?5) "
		"RETURNING id", 5, m);
	free(letter);
	assert_true(id > 0);
	return id;
}

static inline int64_t dp_letter(struct dp_fx *f, int64_t citizen, const char *title,
			 char uuid[HH_UUID_SIZE])
{
	return dp_letter_at(f, f->org, citizen, f->case_id, title, 1000, uuid);
}

/* The message with id, read through the store (strings in a). */
static inline struct hh_message_row dp_get(struct dp_fx *f, struct hh_arena *a,
				    int64_t id)
{
	struct hh_message_row r;
	struct hh_actor sys = { .label = "test", .system = 1 };
	assert_int_equal(hh_message_get(f->st, a, &sys, id, &r), HH_OK);
	return r;
}

#endif
