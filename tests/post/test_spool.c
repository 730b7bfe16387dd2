/* test_spool.c - the spool folder transport: folders made with mode
 * 0750, a message written whole under its UUID with no temporary file
 * left, a UUID already accepted (waiting, picked up, answered) never
 * written twice, a bad UUID refused for good, a locked folder a
 * temporary failure that /readyz sees, and receipts read and put aside. */
#include "testutil.h"

#include <dirent.h>
#include <sys/stat.h>

#include "post/spool.h"

#define U1 "6f1c1f0e-8d4b-4e57-9a3e-0d1c2b3a4f50"
#define U2 "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"

struct fx {
	char *dir;
	char spool[4200];
	struct hh_transport *t;
};

static int setup(void **state)
{
	struct fx *f = hh_xcalloc(1, sizeof(*f));
	f->dir = tu_tmpdir();
	snprintf(f->spool, sizeof(f->spool), "%s/s", f->dir);
	assert_int_equal(hh_spool_open(f->spool, &f->t), HH_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char out[4300];
	snprintf(out, sizeof(out), "%s/out", f->spool);
	chmod(out, 0750);
	hh_transport_free(f->t);
	tu_rmdir(f->dir);
	free(f);
	return 0;
}

static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

static void folders_are_made_private(void **state)
{
	struct fx *f = *state;
	static const char *const sub[] = { "", "/out", "/sent", "/receipts",
					   "/receipts/done", "/print" };
	for (int i = 0; i < 6; i++) {
		char p[4300];
		snprintf(p, sizeof(p), "%s%s", f->spool, sub[i]);
		struct stat s;
		assert_int_equal(stat(p, &s), 0);
		assert_true(S_ISDIR(s.st_mode));
		assert_int_equal(s.st_mode & 0777, 0750);
	}
	assert_string_equal(hh_spool_dir(f->t), f->spool);
	/* opening again is fine */
	struct hh_transport *t2;
	assert_int_equal(hh_spool_open(f->spool, &t2), HH_OK);
	hh_transport_free(t2);
	char *d = hh_spool_default_dir("var/helhed.db");
	assert_string_equal(d, "var/helhed.db.spool");
	free(d);
}

static void a_uuid_is_written_once(void **state)
{
	struct fx *f = *state;
	char reason[HH_POST_REASON_SIZE];
	char out[4300], p[4400];
	snprintf(out, sizeof(out), "%s/out", f->spool);
	assert_int_equal(f->t->send(f->t->cls, U1, "<a/>", 4, reason), HH_POST_OK);
	snprintf(p, sizeof(p), "%s/" U1 ".xml", out);
	char *x = tu_read(p);
	assert_string_equal(x, "<a/>");
	free(x);
	assert_int_equal(entries(out), 1); /* no temporary file left */
	/* again: success, the first file unchanged */
	assert_int_equal(f->t->send(f->t->cls, U1, "<b/>", 4, reason), HH_POST_OK);
	x = tu_read(p);
	assert_string_equal(x, "<a/>");
	free(x);
	/* picked up by the integration: still not written again */
	char q[4400];
	snprintf(q, sizeof(q), "%s/sent/" U1 ".xml", f->spool);
	assert_int_equal(rename(p, q), 0);
	assert_int_equal(f->t->send(f->t->cls, U1, "<b/>", 4, reason), HH_POST_OK);
	assert_int_equal(entries(out), 0);
	/* answered (and the answer put aside): not either */
	snprintf(q, sizeof(q), "%s/receipts/done/" U2 ".ok", f->spool);
	tu_write(q, "");
	assert_int_equal(f->t->send(f->t->cls, U2, "<b/>", 4, reason), HH_POST_OK);
	assert_int_equal(entries(out), 0);
}

static void a_bad_uuid_is_refused_for_good(void **state)
{
	struct fx *f = *state;
	char reason[HH_POST_REASON_SIZE];
	assert_int_equal(f->t->send(f->t->cls, "../../etc/passwd", "x", 1, reason),
			 HH_POST_PERMANENT);
	assert_int_equal(f->t->send(f->t->cls, "6f1c1f0e-8d4b-4e57-9a3e-0d1c2b3a4f5/",
				    "x", 1, reason),
			 HH_POST_PERMANENT);
	char out[4300];
	snprintf(out, sizeof(out), "%s/out", f->spool);
	assert_int_equal(entries(out), 0);
}

static void a_locked_folder_is_a_temporary_failure(void **state)
{
	struct fx *f = *state;
	char reason[HH_POST_REASON_SIZE], out[4300];
	snprintf(out, sizeof(out), "%s/out", f->spool);
	assert_int_equal(chmod(out, 0500), 0);
	assert_int_equal(f->t->ready(f->t->cls, reason), 0);
	assert_int_equal(f->t->send(f->t->cls, U1, "<a/>", 4, reason),
			 HH_POST_TEMPORARY);
	assert_non_null(strstr(reason, out));
	assert_int_equal(entries(out), 0);
	assert_int_equal(chmod(out, 0750), 0);
	assert_int_equal(f->t->ready(f->t->cls, reason), 1);
	assert_int_equal(f->t->send(f->t->cls, U1, "<a/>", 4, reason), HH_POST_OK);
}

struct seen {
	int ok, failed;
	char reason[64];
};

static enum hh_rc seen_cb(void *p, const struct hh_post_receipt *r)
{
	struct seen *s = p;
	if (r->delivered) {
		assert_string_equal(r->uuid, U1);
		s->ok++;
	} else {
		assert_string_equal(r->uuid, U2);
		snprintf(s->reason, sizeof(s->reason), "%s", r->reason);
		s->failed++;
	}
	return HH_OK;
}

static void receipts_are_read_and_put_aside(void **state)
{
	struct fx *f = *state;
	char p[4400];
	snprintf(p, sizeof(p), "%s/receipts/" U1 ".ok", f->spool);
	tu_write(p, "");
	snprintf(p, sizeof(p), "%s/receipts/" U2 ".failed", f->spool);
	tu_write(p, "Postkassen er lukket\n");
	snprintf(p, sizeof(p), "%s/receipts/noise.ok", f->spool);
	tu_write(p, "");
	struct seen s = { 0 };
	assert_int_equal(f->t->receipts(f->t->cls, seen_cb, &s), HH_OK);
	assert_int_equal(s.ok, 1);
	assert_int_equal(s.failed, 1);
	assert_string_equal(s.reason, "Postkassen er lukket");
	assert_int_equal(f->t->receipt_done(f->t->cls, U1), HH_OK);
	assert_int_equal(f->t->receipt_done(f->t->cls, U2), HH_OK);
	assert_int_equal(f->t->receipt_done(f->t->cls, U2), HH_OK); /* again */
	memset(&s, 0, sizeof(s));
	assert_int_equal(f->t->receipts(f->t->cls, seen_cb, &s), HH_OK);
	assert_int_equal(s.ok + s.failed, 0);
	snprintf(p, sizeof(p), "%s/receipts/done", f->spool);
	assert_int_equal(entries(p), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(folders_are_made_private, setup, teardown),
		cmocka_unit_test_setup_teardown(a_uuid_is_written_once, setup, teardown),
		cmocka_unit_test_setup_teardown(a_bad_uuid_is_refused_for_good, setup, teardown),
		cmocka_unit_test_setup_teardown(a_locked_folder_is_a_temporary_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(receipts_are_read_and_put_aside, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
