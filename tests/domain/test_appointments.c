/* test_appointments.c - appointments in the domain: slots from the
 * counter's hours (a weekday, a holiday and an exception, both of 2026's
 * summer-time switch days), capacity and overlap, booking, moving and
 * cancelling by code, refusals that write nothing, idempotency, access to
 * the day list, and threads racing for the last free counter of a slot
 * (exactly one booking). */
#include "testutil.h"

#include <pthread.h>

#include "core/dktime.h"
#include "domain/access.h"
#include "domain/appointments.h"
#include "domain/contact.h"
#include "domain/hours.h"

#define AGENT(org)                                                          \
	(&(struct hh_actor){ .label = "user:1", .org_id = (org),            \
			     .org_is_municipality = 1, .roles = HH_ROLE_AGENT, \
			     .user_id = 1 })
#define ROLE(org, role)                                                     \
	(&(struct hh_actor){ .label = "user:2", .org_id = (org),            \
			     .org_is_municipality = 1, .roles = (role),        \
			     .user_id = 2 })
#define CITIZEN(id)                                                         \
	(&(struct hh_actor){ .label = "citizen:1", .roles = HH_ROLE_CITIZEN,\
			     .citizen_id = (id) })
#define ANON (&(struct hh_actor){ 0 })

/* Monday 2 March 2026, 06:00 UTC (07:00 in Denmark): "now" in the tests */
#define NOW_MAR2 1772431200LL

struct fx {
	char *dir;
	struct hh_store *st;
	struct hh_arena a;
	int64_t m901, m902, anna;
};

static int64_t put_org(struct hh_store *st, const char *code)
{
	struct hh_tx *tx;
	assert_int_equal(st->tx_begin(st->cls, 1, &tx), HH_OK);
	struct hh_org o = { .code = code, .name = code, .kind = HH_ORG_MUNICIPALITY };
	assert_int_equal(st->org_put(tx, &o), HH_OK);
	assert_int_equal(st->tx_commit(tx), HH_OK);
	return o.id;
}

static const char *hours_json =
	"{\"901\": {\"counter\": {"
	"  \"week\": {\"mon\": [\"10:00-15:00\"], \"tue\": [\"10:00-15:00\"],"
	"            \"wed\": [\"10:00-15:00\"], \"thu\": [\"10:00-17:30\"],"
	"            \"fri\": [\"10:00-15:00\"], \"sat\": [],"
	"            \"sun\": [\"08:00-10:00\"]},"
	"  \"holidays_closed\": true,"
	"  \"exceptions\": [{\"date\": \"2026-03-04\", \"closed\": true,"
	"                    \"note\": \"Personalemøde\"}]}},"
	" \"902\": {\"counter\": {"
	"  \"week\": {\"mon\": [\"09:00-12:00\"]}, \"holidays_closed\": true}}}";

static const char *counter_json =
	"{\"901\": {\"slot_minutes\": 15, \"book_ahead_days\": 366,"
	"  \"counters\": {\"default\": 2, \"sun\": 1},"
	"  \"services\": ["
	"   {\"code\": \"pas\", \"name\": \"Pas\", \"minutes\": 15,"
	"    \"documents\": [\"Dit gamle pas\"], \"price_note\": \"Gebyr\"},"
	"   {\"code\": \"mitid\", \"name\": \"Hjælp til MitID\", \"minutes\": 30,"
	"    \"documents\": []}]},"
	" \"902\": {\"slot_minutes\": 20, \"book_ahead_days\": 10,"
	"  \"counters\": {\"default\": 1},"
	"  \"services\": [{\"code\": \"pas\", \"name\": \"Pas\", \"minutes\": 20,"
	"                  \"documents\": []}]}}";

static int setup(void **state)
{
	struct fx *f = hh_xcalloc(1, sizeof(*f));
	f->dir = tu_tmpdir();
	f->st = tu_store(f->dir, 6);
	hh_arena_init(&f->a);
	f->m901 = put_org(f->st, "901");
	f->m902 = put_org(f->st, "902");
	struct hh_tx *tx;
	assert_int_equal(f->st->tx_begin(f->st->cls, 1, &tx), HH_OK);
	struct hh_citizen c = { .subject = "anna", .name = "Anna",
				.municipality_id = f->m901 };
	assert_int_equal(f->st->citizen_put(tx, &c), HH_OK);
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
	f->anna = c.id;
	char path[4200];
	snprintf(path, sizeof(path), "%s/hours.json", f->dir);
	tu_write(path, hours_json);
	snprintf(path, sizeof(path), "%s/counter-services.json", f->dir);
	tu_write(path, counter_json);
	int n = 0;
	assert_int_equal(hh_hours_import(f->st, f->dir, stderr, &n), HH_OK);
	assert_int_equal(hh_counter_import(f->st, f->dir, stderr, &n), HH_OK);
	assert_int_equal(n, 3);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	hh_arena_clear(&f->a);
	hh_store_close(f->st);
	tu_rmdir(f->dir);
	free(f);
	return 0;
}

static int64_t day(int y, int m, int d)
{
	return hh_days_from_civil(y, m, d);
}

/* The instant of a Danish wall-clock time, from UTC written out. */
static int64_t utc(int y, int m, int d, int hh, int mm)
{
	return hh_days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60;
}

struct slots {
	struct hh_slot v[512];
	int n;
};

static enum hh_rc slot_push(void *p, const struct hh_slot *s)
{
	struct slots *l = p;
	assert_true(l->n < 512);
	l->v[l->n++] = *s;
	return HH_OK;
}

static struct slots *list(struct fx *f, int64_t org, const char *svc,
			  int64_t from, int64_t to, int64_t now)
{
	struct slots *l = hh_arena_calloc(&f->a, sizeof(*l));
	assert_int_equal(hh_slots_list(f->st, &f->a, org, svc, from, to, now,
				       slot_push, l),
			 HH_OK);
	return l;
}

static enum hh_rc book(struct fx *f, const struct hh_actor *who, int64_t org,
		       const char *svc, int64_t start, int64_t now,
		       struct hh_appointment *out, enum hh_appt_fault *fault)
{
	struct hh_appointment_input in = { .org_id = org, .service = svc,
					   .start_at = start, .name = "Ida Hansen",
					   .phone = "+45 12 34 56 78", .now = now };
	int replayed = 0;
	return hh_appointment_book(f->st, &f->a, who, &in, out, &replayed, fault,
				   NULL);
}

static enum hh_rc count_row(void *p, const struct hh_appointment *b)
{
	return tu_count_row(p, b);
}

static int64_t n_active(struct fx *f, int64_t org)
{
	int64_t n = 0;
	struct hh_appointment_filter flt = { .org_id = org, .active_only = 1 };
	struct hh_tx *tx = tu_read_begin(f->st);
	assert_int_equal(f->st->appointment_list(tx, &f->a, &flt,
						 count_row, &n),
			 HH_OK);
	tu_read_end(tx);
	return n;
}

static int64_t n_events(struct fx *f)
{
	return tu_event_count(f->st);
}

/* ---- slots ---- */

static void test_slots_weekday(void **state)
{
	struct fx *f = *state;
	/* Monday 2 March 2026 (winter time): 10:00 Danish time is 09:00 UTC */
	struct slots *l = list(f, f->m901, "pas", day(2026, 3, 2), day(2026, 3, 2),
			       NOW_MAR2);
	assert_int_equal(l->n, 20); /* 10:00 .. 14:45 */
	assert_int_equal(l->v[0].start_at, utc(2026, 3, 2, 9, 0));
	assert_int_equal(l->v[0].end_at, utc(2026, 3, 2, 9, 15));
	assert_int_equal(l->v[0].free, 2);
	assert_int_equal(l->v[19].start_at, utc(2026, 3, 2, 13, 45));
	/* a 30-minute service must end by closing time: 10:00 .. 14:30 */
	l = list(f, f->m901, "mitid", day(2026, 3, 2), day(2026, 3, 2), NOW_MAR2);
	assert_int_equal(l->n, 19);
	assert_int_equal(l->v[18].end_at, utc(2026, 3, 2, 14, 0));
	/* what has begun is gone: at 11:05 the first is 11:15 */
	l = list(f, f->m901, "pas", day(2026, 3, 2), day(2026, 3, 2),
		 utc(2026, 3, 2, 10, 5));
	assert_int_equal(l->v[0].start_at, utc(2026, 3, 2, 10, 15));
	/* Saturday is closed; an unknown service is NOT_FOUND */
	l = list(f, f->m901, "pas", day(2026, 3, 7), day(2026, 3, 7), NOW_MAR2);
	assert_int_equal(l->n, 0);
	struct slots none = { .n = 0 };
	assert_int_equal(hh_slots_list(f->st, &f->a, f->m901, "vielse",
				       day(2026, 3, 2), day(2026, 3, 2), NOW_MAR2,
				       slot_push, &none),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_slots_list(f->st, &f->a, f->m901, "pas",
				       day(2026, 3, 9), day(2026, 3, 2), NOW_MAR2,
				       slot_push, &none),
			 HH_ERR_INVALID);
	/* 902 books at most 10 days ahead: from 13 March nothing */
	l = list(f, f->m902, "pas", day(2026, 3, 9), day(2026, 3, 23), NOW_MAR2);
	assert_int_equal(l->n, 9); /* Monday 9 March only, 09:00 .. 11:40 */
	assert_int_equal(l->v[0].start_at, utc(2026, 3, 9, 8, 0));
}

static void test_slots_holidays_and_exceptions(void **state)
{
	struct fx *f = *state;
	/* Wednesday 4 March: the exception closes it (Personalemøde) */
	struct slots *l = list(f, f->m901, "pas", day(2026, 3, 4), day(2026, 3, 4),
			       NOW_MAR2);
	assert_int_equal(l->n, 0);
	/* Easter 2026: Maundy Thursday 2 April and Good Friday 3 April
	 * closed, Wednesday 1 April open, Easter Monday 6 April closed */
	l = list(f, f->m901, "pas", day(2026, 4, 1), day(2026, 4, 6), NOW_MAR2);
	assert_int_equal(l->n, 20);
	assert_int_equal(hh_appt_day_of(l->v[19].start_at), day(2026, 4, 1));
	/* Easter Sunday is a holiday too, though Sundays are open */
	assert_string_equal(hh_dk_holiday(day(2026, 4, 5)), "Påskedag");
	l = list(f, f->m901, "pas", day(2026, 4, 12), day(2026, 4, 12), NOW_MAR2);
	assert_int_equal(l->n, 8);
	/* the exception and the holiday are named for the contact page */
	const struct hh_hours *h;
	assert_int_equal(hh_hours_get(f->st, &f->a, f->m901, "counter", &h), HH_OK);
	struct hh_hours_day d;
	hh_hours_on(h, day(2026, 3, 4), &d);
	assert_int_equal(d.n, 0);
	assert_string_equal(d.note, "Personalemøde");
	hh_hours_on(h, day(2026, 4, 3), &d);
	assert_int_equal(d.n, 0);
	assert_string_equal(d.note, "Langfredag");
}

static void test_slots_summer_time(void **state)
{
	struct fx *f = *state;
	/* Sunday 22 March (winter time): 08:00 in Denmark is 07:00 UTC */
	struct slots *l = list(f, f->m901, "pas", day(2026, 3, 22), day(2026, 3, 22),
			       NOW_MAR2);
	assert_int_equal(l->n, 8);
	assert_int_equal(l->v[0].start_at, utc(2026, 3, 22, 7, 0));
	assert_int_equal(l->v[0].free, 1); /* one counter on Sundays */
	/* Sunday 29 March: the clocks went forward at 02:00; 08:00 is
	 * 06:00 UTC, and there are still eight slots of 15 minutes */
	l = list(f, f->m901, "pas", day(2026, 3, 29), day(2026, 3, 29), NOW_MAR2);
	assert_int_equal(l->n, 8);
	assert_int_equal(l->v[0].start_at, utc(2026, 3, 29, 6, 0));
	assert_int_equal(l->v[7].start_at, utc(2026, 3, 29, 7, 45));
	/* Sunday 18 October (summer time): 06:00 UTC; 25 October, the
	 * clocks went back at 03:00: 08:00 is 07:00 UTC again */
	l = list(f, f->m901, "pas", day(2026, 10, 18), day(2026, 10, 18), NOW_MAR2);
	assert_int_equal(l->v[0].start_at, utc(2026, 10, 18, 6, 0));
	l = list(f, f->m901, "pas", day(2026, 10, 25), day(2026, 10, 25), NOW_MAR2);
	assert_int_equal(l->n, 8);
	assert_int_equal(l->v[0].start_at, utc(2026, 10, 25, 7, 0));
	assert_int_equal(l->v[7].end_at, utc(2026, 10, 25, 9, 0));
	/* and a booking on the switch day is at that instant */
	struct hh_appointment b;
	enum hh_appt_fault fault;
	assert_int_equal(book(f, ANON, f->m901, "pas", utc(2026, 3, 29, 6, 15),
			      NOW_MAR2, &b, &fault),
			 HH_OK);
	/* 07:15 UTC on 29 March is 09:15 Danish time: also a slot; 08:00
	 * UTC is 10:00, closing time: closed */
	assert_int_equal(book(f, ANON, f->m901, "pas", utc(2026, 3, 29, 8, 0),
			      NOW_MAR2, &b, &fault),
			 HH_ERR_INVALID);
	assert_int_equal(fault, HH_APPT_CLOSED);
}

/* ---- capacity ---- */

static void test_capacity_and_overlap(void **state)
{
	struct fx *f = *state;
	int64_t t = utc(2026, 3, 2, 9, 0); /* Monday 10:00 */
	struct hh_appointment a1, a2, a3;
	enum hh_appt_fault fault;
	assert_int_equal(book(f, ANON, f->m901, "pas", t, NOW_MAR2, &a1, &fault), HH_OK);
	assert_int_equal(a1.counter, 1);
	struct slots *l = list(f, f->m901, "pas", day(2026, 3, 2), day(2026, 3, 2),
			       NOW_MAR2);
	assert_int_equal(l->v[0].start_at, t);
	assert_int_equal(l->v[0].free, 1);
	assert_int_equal(book(f, ANON, f->m901, "pas", t, NOW_MAR2, &a2, &fault), HH_OK);
	assert_int_equal(a2.counter, 2);
	assert_string_not_equal(a1.code, a2.code);
	int64_t events = n_events(f);
	assert_int_equal(book(f, ANON, f->m901, "pas", t, NOW_MAR2, &a3, &fault),
			 HH_ERR_CONFLICT);
	assert_int_equal(fault, HH_APPT_TAKEN);
	assert_int_equal(n_events(f), events); /* nothing written */
	assert_int_equal(n_active(f, f->m901), 2);
	/* the slot is no longer offered */
	l = list(f, f->m901, "pas", day(2026, 3, 2), day(2026, 3, 2), NOW_MAR2);
	assert_int_equal(l->n, 19);
	assert_int_equal(l->v[0].start_at, t + 900);
	/* 30 minutes of MitID help at 10:15 on both counters blocks 10:30 */
	assert_int_equal(book(f, ANON, f->m901, "mitid", t + 900, NOW_MAR2, &a3,
			      &fault), HH_OK);
	assert_int_equal(book(f, ANON, f->m901, "mitid", t + 900, NOW_MAR2, &a3,
			      &fault), HH_OK);
	assert_int_equal(book(f, ANON, f->m901, "pas", t + 1800, NOW_MAR2, &a3,
			      &fault), HH_ERR_CONFLICT);
	assert_int_equal(fault, HH_APPT_TAKEN);
	/* and MitID at 10:00 overlaps pas at 10:00 on both counters */
	l = list(f, f->m901, "mitid", day(2026, 3, 2), day(2026, 3, 2), NOW_MAR2);
	assert_int_equal(l->v[0].start_at, t + 2700); /* 10:45 */
}

/* ---- refusals ---- */

static void test_refusals_write_nothing(void **state)
{
	struct fx *f = *state;
	struct hh_appointment b;
	enum hh_appt_fault fault;
	int64_t events = n_events(f);
	const struct {
		const char *svc;
		int64_t start;
		enum hh_appt_fault fault;
	} cases[] = {
		{ "pas", utc(2026, 3, 2, 5, 0), HH_APPT_PAST },     /* before now */
		{ "pas", utc(2026, 3, 2, 9, 5), HH_APPT_UNALIGNED }, /* 10:05 */
		{ "pas", utc(2026, 3, 2, 8, 45), HH_APPT_CLOSED },   /* 09:45 */
		{ "pas", utc(2026, 3, 2, 13, 55), HH_APPT_CLOSED },  /* ends 15:10 */
		{ "pas", utc(2026, 3, 7, 9, 0), HH_APPT_CLOSED },    /* Saturday */
		{ "pas", utc(2027, 3, 8, 9, 0), HH_APPT_TOO_FAR },
		{ "vielse", utc(2026, 3, 2, 9, 0), HH_APPT_SERVICE },
		{ NULL, utc(2026, 3, 2, 9, 0), HH_APPT_SERVICE },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fault = HH_APPT_FINE;
		assert_int_equal(book(f, ANON, f->m901, cases[i].svc, cases[i].start,
				      NOW_MAR2, &b, &fault),
				 HH_ERR_INVALID);
		assert_int_equal(fault, cases[i].fault);
	}
	/* without sign-in: a name and an e-mail or phone */
	struct hh_appointment_input in = { .org_id = f->m901, .service = "pas",
					   .start_at = utc(2026, 3, 2, 9, 0),
					   .name = "Ida", .now = NOW_MAR2 };
	int replayed;
	const char *field = NULL;
	assert_int_equal(hh_appointment_book(f->st, &f->a, ANON, &in, &b, &replayed,
					     &fault, &field),
			 HH_ERR_INVALID);
	assert_int_equal(fault, HH_APPT_CONTACT);
	assert_string_equal(field, "email");
	in.email = "not an address";
	assert_int_equal(hh_appointment_book(f->st, &f->a, ANON, &in, &b, &replayed,
					     &fault, &field),
			 HH_ERR_INVALID);
	assert_string_equal(field, "email");
	in.email = NULL;
	in.phone = "12";
	assert_int_equal(hh_appointment_book(f->st, &f->a, ANON, &in, &b, &replayed,
					     &fault, &field),
			 HH_ERR_INVALID);
	assert_string_equal(field, "phone");
	assert_int_equal(n_events(f), events);
	assert_int_equal(n_active(f, f->m901), 0);
	/* a signed-in citizen needs neither, and the booking is theirs */
	in.name = NULL;
	in.phone = NULL;
	assert_int_equal(hh_appointment_book(f->st, &f->a, CITIZEN(f->anna), &in,
					     &b, &replayed, &fault, &field),
			 HH_OK);
	assert_int_equal(b.citizen_id, f->anna);
}

/* ---- by code ---- */

static void test_move_and_cancel_by_code(void **state)
{
	struct fx *f = *state;
	struct hh_appointment b, got, moved, gone;
	enum hh_appt_fault fault;
	int64_t t = utc(2026, 3, 2, 9, 0);
	assert_int_equal(book(f, ANON, f->m901, "pas", t, NOW_MAR2, &b, &fault), HH_OK);
	assert_int_equal(strlen(b.code), HH_BOOKING_CODE_LEN);
	for (const char *p = b.code; *p; p++)
		assert_non_null(strchr(HH_BOOKING_ALPHABET, *p));
	/* read it back as a citizen types it: lower case, with hyphens */
	char typed[32];
	const char *shown = hh_booking_code_display(&f->a, b.code);
	assert_int_equal(strlen(shown), 14);
	for (size_t i = 0; i <= strlen(shown); i++)
		typed[i] = (char)(shown[i] >= 'A' && shown[i] <= 'Z' ? shown[i] + 32
								     : shown[i]);
	assert_int_equal(hh_appointment_get(f->st, &f->a, typed, &got), HH_OK);
	assert_int_equal(got.id, b.id);
	assert_string_equal(got.name, "Ida Hansen");
	assert_int_equal(hh_appointment_get(f->st, &f->a, "AAAA-AAAA-AAAA", &got),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_appointment_get(f->st, &f->a, "short", &got),
			 HH_ERR_NOT_FOUND);
	/* move to Tuesday 11:30 */
	int64_t t2 = utc(2026, 3, 3, 10, 30);
	assert_int_equal(hh_appointment_move(f->st, &f->a, ANON, b.code, 1, t2,
					     NOW_MAR2, &moved, &fault),
			 HH_OK);
	assert_int_equal(moved.start_at, t2);
	assert_int_equal(moved.end_at, t2 + 900);
	assert_int_equal(moved.version, 2);
	/* moving within its own slot's time is fine (it does not block
	 * itself), to a closed time is not, with a stale version neither */
	assert_int_equal(hh_appointment_move(f->st, &f->a, ANON, b.code, 2, t2 + 900,
					     NOW_MAR2, &moved, &fault),
			 HH_OK);
	assert_int_equal(hh_appointment_move(f->st, &f->a, ANON, b.code, 0,
					     utc(2026, 3, 7, 9, 0), NOW_MAR2, &got,
					     &fault),
			 HH_ERR_INVALID);
	assert_int_equal(fault, HH_APPT_CLOSED);
	assert_int_equal(hh_appointment_move(f->st, &f->a, ANON, b.code, 1, t,
					     NOW_MAR2, &got, &fault),
			 HH_ERR_CONFLICT);
	assert_int_equal(fault, HH_APPT_FINE); /* stale: 412 at the door */
	/* cancel: the slot is free again, nothing more can change */
	assert_int_equal(hh_appointment_cancel(f->st, &f->a, ANON, b.code, 3,
					       NOW_MAR2, &gone, &fault),
			 HH_OK);
	assert_string_equal(gone.state, "cancelled");
	assert_int_equal(n_active(f, f->m901), 0);
	assert_int_equal(hh_appointment_cancel(f->st, &f->a, ANON, b.code, 0,
					       NOW_MAR2, &gone, &fault),
			 HH_ERR_CONFLICT);
	assert_int_equal(fault, HH_APPT_STATE);
	assert_int_equal(hh_appointment_move(f->st, &f->a, ANON, b.code, 0, t,
					     NOW_MAR2, &got, &fault),
			 HH_ERR_CONFLICT);
	assert_int_equal(fault, HH_APPT_STATE);
	/* a begun booking is not moved: "now" after its start */
	struct hh_appointment c;
	assert_int_equal(book(f, ANON, f->m901, "pas", t, NOW_MAR2, &c, &fault), HH_OK);
	assert_int_equal(hh_appointment_cancel(f->st, &f->a, ANON, c.code, 0,
					       t + 60, &gone, &fault),
			 HH_ERR_CONFLICT);
	assert_int_equal(fault, HH_APPT_STATE);
	/* every change one event, without name or phone */
	struct hh_event *e;
	size_t n = tu_events(f->st, &f->a, "appointment", b.id, &e);
	assert_int_equal(n, 4);
	assert_string_equal(e[0].action, "create");
	assert_string_equal(e[1].action, "move");
	assert_string_equal(e[2].action, "move");
	assert_string_equal(e[3].action, "cancelled");
	assert_string_equal(e[0].actor, "anonymous");
	for (size_t i = 0; i < n; i++) {
		assert_null(strstr(e[i].after, "Ida"));
		assert_null(strstr(e[i].after, "12 34"));
	}
	assert_string_equal(tu_jfield(&f->a, e[1].before, "start_at"),
			    hh_arena_printf(&f->a, "%lld", (long long)t));
	assert_string_equal(tu_jfield(&f->a, e[3].after, "state"), "cancelled");
}

static void test_idempotency(void **state)
{
	struct fx *f = *state;
	struct hh_appointment_input in = { .org_id = f->m901, .service = "pas",
					   .start_at = utc(2026, 3, 2, 9, 0),
					   .name = "Ida", .email = "ida@example.dk",
					   .idem_key = "k-1", .idem_scope = "10.0.0.1",
					   .now = NOW_MAR2 };
	struct hh_appointment a, b;
	int replayed = -1;
	enum hh_appt_fault fault;
	assert_int_equal(hh_appointment_book(f->st, &f->a, ANON, &in, &a, &replayed,
					     &fault, NULL),
			 HH_OK);
	assert_int_equal(replayed, 0);
	assert_int_equal(hh_appointment_book(f->st, &f->a, ANON, &in, &b, &replayed,
					     &fault, NULL),
			 HH_OK);
	assert_int_equal(replayed, 1);
	assert_string_equal(a.code, b.code);
	assert_int_equal(n_active(f, f->m901), 1);
	/* the same key from another address is another booking */
	in.idem_scope = "10.0.0.2";
	assert_int_equal(hh_appointment_book(f->st, &f->a, ANON, &in, &b, &replayed,
					     &fault, NULL),
			 HH_OK);
	assert_int_equal(replayed, 0);
	assert_string_not_equal(a.code, b.code);
	/* the key with another request is refused */
	in.idem_scope = "10.0.0.1";
	in.start_at += 900;
	assert_int_equal(hh_appointment_book(f->st, &f->a, ANON, &in, &b, &replayed,
					     &fault, NULL),
			 HH_ERR_CONFLICT);
	assert_int_equal(fault, HH_APPT_KEY_REUSED);
	assert_int_equal(n_active(f, f->m901), 2);
}

/* ---- the race for the last counter ---- */

#define RACERS 8

struct racer {
	struct fx *f;
	pthread_barrier_t *go;
	int64_t start;
	enum hh_rc rc;
	enum hh_appt_fault fault;
};

static void *race(void *p)
{
	struct racer *r = p;
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_appointment_input in = { .org_id = r->f->m901, .service = "pas",
					   .start_at = r->start, .name = "Racer",
					   .email = "racer@example.dk",
					   .now = NOW_MAR2 };
	struct hh_appointment b;
	int replayed;
	pthread_barrier_wait(r->go);
	r->rc = hh_appointment_book(r->f->st, &a, ANON, &in, &b, &replayed,
				    &r->fault, NULL);
	hh_arena_clear(&a);
	return NULL;
}

static void test_race_for_the_last_slot(void **state)
{
	struct fx *f = *state;
	int64_t t = utc(2026, 3, 2, 12, 0); /* Monday 13:00: two counters */
	struct hh_appointment first;
	enum hh_appt_fault fault;
	assert_int_equal(book(f, ANON, f->m901, "pas", t, NOW_MAR2, &first, &fault),
			 HH_OK);
	int64_t events = n_events(f);
	pthread_barrier_t go;
	pthread_barrier_init(&go, NULL, RACERS);
	struct racer rs[RACERS];
	pthread_t th[RACERS];
	for (int i = 0; i < RACERS; i++) {
		rs[i] = (struct racer){ f, &go, t, HH_ERR_INTERNAL, HH_APPT_FINE };
		assert_int_equal(pthread_create(&th[i], NULL, race, &rs[i]), 0);
	}
	int won = 0, taken = 0;
	for (int i = 0; i < RACERS; i++) {
		pthread_join(th[i], NULL);
		if (rs[i].rc == HH_OK)
			won++;
		else if (rs[i].rc == HH_ERR_CONFLICT && rs[i].fault == HH_APPT_TAKEN)
			taken++;
	}
	pthread_barrier_destroy(&go);
	assert_int_equal(won, 1);
	assert_int_equal(taken, RACERS - 1);
	assert_int_equal(n_active(f, f->m901), 2);
	assert_int_equal(n_events(f), events + 1);
	assert_string_equal(hh_appt_fault_da(HH_APPT_TAKEN),
			    "Beklager, tiden er netop blevet taget af en anden. "
			    "Vælg en anden tid.");
}

/* ---- faults: nothing half-written ---- */

static void test_faults_leave_nothing_half_written(void **state)
{
	struct fx *f = *state;
	struct hh_appointment b;
	enum hh_appt_fault fault;
	int64_t t = utc(2026, 3, 2, 9, 0);
	/* an I/O error at each store call in turn: the booking is made
	 * whole, with its event, or not at all */
	int n, made = 0;
	for (n = 1; n < 60 && !made; n++) {
		int64_t events = n_events(f), active = n_active(f, f->m901);
		hh_store_fault_inject(f->st, n, HH_ERR_IO);
		enum hh_rc rc = book(f, ANON, f->m901, "pas", t, NOW_MAR2, &b, &fault);
		hh_store_fault_inject(f->st, 0, HH_OK);
		if (rc == HH_OK) {
			made = 1;
			assert_int_equal(n_events(f), events + 1);
			assert_int_equal(n_active(f, f->m901), active + 1);
		} else {
			assert_int_equal(rc, HH_ERR_IO);
			assert_int_equal(n_events(f), events);
			assert_int_equal(n_active(f, f->m901), active);
		}
	}
	assert_true(made);
	assert_true(n > 3); /* the fault did hit calls on the way */
	/* the same for a move */
	int moved = 0;
	for (n = 1; n < 60 && !moved; n++) {
		int64_t events = n_events(f);
		struct hh_appointment m;
		hh_store_fault_inject(f->st, n, HH_ERR_IO);
		enum hh_rc rc = hh_appointment_move(f->st, &f->a, ANON, b.code, 0,
						    t + 3600, NOW_MAR2, &m, &fault);
		hh_store_fault_inject(f->st, 0, HH_OK);
		struct hh_appointment now_;
		assert_int_equal(hh_appointment_get(f->st, &f->a, b.code, &now_), HH_OK);
		if (rc == HH_OK) {
			moved = 1;
			assert_int_equal(now_.start_at, t + 3600);
			assert_int_equal(n_events(f), events + 1);
		} else {
			assert_int_equal(now_.start_at, t);
			assert_int_equal(now_.version, 1);
			assert_int_equal(n_events(f), events);
		}
	}
	assert_true(moved);
	/* BUSY is retried: one booking, one event */
	for (n = 1; n < 12; n++) {
		int64_t events = n_events(f), active = n_active(f, f->m901);
		hh_store_fault_inject(f->st, n, HH_ERR_BUSY);
		assert_int_equal(book(f, ANON, f->m901, "pas", t + n * 900, NOW_MAR2, &b,
				      &fault),
				 HH_OK);
		hh_store_fault_inject(f->st, 0, HH_OK);
		assert_int_equal(n_events(f), events + 1);
		assert_int_equal(n_active(f, f->m901), active + 1);
	}
}

/* ---- the day list and access ---- */

static enum hh_rc push_code(void *p, const struct hh_appointment *b)
{
	struct hh_buf *out = p;
	hh_buf_printf(out, "%s/%d/%s;", b->service, b->counter, b->state);
	return HH_OK;
}

static void test_day_list_and_marks(void **state)
{
	struct fx *f = *state;
	struct hh_appointment a1, a2, a3, m;
	enum hh_appt_fault fault;
	assert_int_equal(book(f, ANON, f->m901, "mitid", utc(2026, 3, 2, 10, 0),
			      NOW_MAR2, &a2, &fault), HH_OK);
	assert_int_equal(book(f, ANON, f->m901, "pas", utc(2026, 3, 2, 9, 0),
			      NOW_MAR2, &a1, &fault), HH_OK);
	assert_int_equal(book(f, ANON, f->m901, "pas", utc(2026, 3, 3, 9, 0),
			      NOW_MAR2, &a3, &fault), HH_OK);
	struct hh_buf out;
	hh_buf_init(&out);
	assert_int_equal(hh_appointment_day(f->st, &f->a, AGENT(f->m901), f->m901,
					    day(2026, 3, 2), push_code, &out),
			 HH_OK);
	assert_string_equal(hh_buf_str(&out), "pas/1/booked;mitid/1/booked;");
	/* others' day lists are not theirs to read */
	assert_int_equal(hh_appointment_day(f->st, &f->a, AGENT(f->m902), f->m901,
					    day(2026, 3, 2), push_code, &out),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(hh_appointment_day(f->st, &f->a, ROLE(f->m901, HH_ROLE_EDITOR),
					    f->m901, day(2026, 3, 2), push_code, &out),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(hh_appointment_day(f->st, &f->a, CITIZEN(f->anna), f->m901,
					    day(2026, 3, 2), push_code, &out),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(hh_appointment_day(f->st, &f->a, ANON, f->m901,
					    day(2026, 3, 2), push_code, &out),
			 HH_ERR_FORBIDDEN);
	/* marks: the front desk of the organisation only */
	assert_int_equal(hh_appointment_mark(f->st, &f->a, AGENT(f->m901), a1.code,
					     "attended", &m),
			 HH_OK);
	assert_string_equal(m.state, "attended");
	assert_int_equal(hh_appointment_mark(f->st, &f->a, AGENT(f->m901), a1.code,
					     "no_show", &m),
			 HH_OK);
	assert_int_equal(hh_appointment_mark(f->st, &f->a, AGENT(f->m901), a1.code,
					     "booked", &m),
			 HH_ERR_INVALID);
	assert_int_equal(hh_appointment_mark(f->st, &f->a, AGENT(f->m902), a2.code,
					     "attended", &m),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_appointment_mark(f->st, &f->a,
					     ROLE(f->m901, HH_ROLE_MANAGER), a2.code,
					     "attended", &m),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_appointment_mark(f->st, &f->a, ANON, a2.code,
					     "attended", &m),
			 HH_ERR_NOT_FOUND);
	/* a marked booking is no longer the citizen's to move */
	assert_int_equal(hh_appointment_cancel(f->st, &f->a, ANON, a1.code, 0,
					       NOW_MAR2, &m, &fault),
			 HH_ERR_CONFLICT);
	assert_int_equal(fault, HH_APPT_STATE);
	hh_buf_reset(&out);
	assert_int_equal(hh_appointment_day(f->st, &f->a, ROLE(f->m901, HH_ROLE_ADMIN),
					    f->m901, day(2026, 3, 2), push_code, &out),
			 HH_OK);
	assert_string_equal(hh_buf_str(&out), "pas/1/no_show;mitid/1/booked;");
	hh_buf_clear(&out);
}

static void test_who_books_and_sees_own(void **state)
{
	struct fx *f = *state;
	struct hh_appointment b;
	enum hh_appt_fault fault;
	assert_int_equal(book(f, CITIZEN(f->anna), f->m901, "pas",
			      utc(2026, 3, 2, 9, 0), NOW_MAR2, &b, &fault), HH_OK);
	assert_int_equal(book(f, ANON, f->m901, "pas", utc(2026, 3, 2, 9, 15),
			      NOW_MAR2, &b, &fault), HH_OK);
	struct hh_buf out;
	hh_buf_init(&out);
	assert_int_equal(hh_appointment_mine(f->st, &f->a, CITIZEN(f->anna), NOW_MAR2,
					     push_code, &out),
			 HH_OK);
	assert_string_equal(hh_buf_str(&out), "pas/1/booked;");
	assert_int_equal(hh_appointment_mine(f->st, &f->a, ANON, NOW_MAR2, push_code,
					     &out),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(hh_appointment_mine(f->st, &f->a, AGENT(f->m901), NOW_MAR2,
					     push_code, &out),
			 HH_ERR_FORBIDDEN);
	hh_buf_clear(&out);
	/* the front desk books at its own counter (for someone who rang);
	 * other staff, and at another organisation, may not */
	assert_int_equal(book(f, AGENT(f->m901), f->m901, "pas",
			      utc(2026, 3, 2, 9, 30), NOW_MAR2, &b, &fault), HH_OK);
	assert_int_equal(b.citizen_id, 0);
	int64_t events = n_events(f);
	assert_int_equal(book(f, AGENT(f->m902), f->m901, "pas",
			      utc(2026, 3, 2, 9, 45), NOW_MAR2, &b, &fault),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(book(f, ROLE(f->m901, HH_ROLE_EDITOR), f->m901, "pas",
			      utc(2026, 3, 2, 9, 45), NOW_MAR2, &b, &fault),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(book(f, ROLE(f->m901, HH_ROLE_CASEWORKER), f->m901, "pas",
			      utc(2026, 3, 2, 9, 45), NOW_MAR2, &b, &fault),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(n_events(f), events);
}

/* ---- content ---- */

static void test_import_refuses_bad_files(void **state)
{
	struct fx *f = *state;
	char *dir = tu_tmpdir();
	char path[4200];
	snprintf(path, sizeof(path), "%s/counter-services.json", dir);
	static const char *const bad[] = {
		/* minutes not a multiple of the grid */
		"{\"901\": {\"slot_minutes\": 15, \"book_ahead_days\": 5,"
		" \"counters\": {\"default\": 1}, \"services\": [{\"code\": \"x\","
		" \"name\": \"X\", \"minutes\": 20, \"documents\": []}]}}",
		/* an unknown organisation */
		"{\"999\": {\"slot_minutes\": 15, \"book_ahead_days\": 5,"
		" \"counters\": {\"default\": 1}, \"services\": [{\"code\": \"x\","
		" \"name\": \"X\", \"minutes\": 15, \"documents\": []}]}}",
		/* a weekday that is none */
		"{\"901\": {\"slot_minutes\": 15, \"book_ahead_days\": 5,"
		" \"counters\": {\"default\": 1, \"fre\": 2}, \"services\": "
		"[{\"code\": \"x\", \"name\": \"X\", \"minutes\": 15, "
		"\"documents\": []}]}}",
		/* a service twice */
		"{\"902\": {\"slot_minutes\": 15, \"book_ahead_days\": 5,"
		" \"counters\": {\"default\": 1}, \"services\": [{\"code\": \"x\","
		" \"name\": \"X\", \"minutes\": 15, \"documents\": []}, {\"code\":"
		" \"x\", \"name\": \"Y\", \"minutes\": 15, \"documents\": []}]}}",
	};
	FILE *errs = tmpfile();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tu_write(path, bad[i]);
		int n = -1;
		assert_int_equal(hh_counter_import(f->st, dir, errs, &n), HH_ERR_INVALID);
		assert_int_equal(n, 0);
	}
	fclose(errs);
	/* what was there is unchanged: 901 still has two services */
	struct hh_counter_config cfg;
	assert_int_equal(hh_counter_config_get(f->st, &f->a, f->m901, &cfg), HH_OK);
	assert_int_equal(cfg.n_services, 2);
	assert_int_equal(cfg.counters[0], 2);
	assert_int_equal(cfg.counters[6], 1);
	assert_string_equal(cfg.services[0].documents[0], "Dit gamle pas");
	assert_string_equal(cfg.services[0].price_note, "Gebyr");
	assert_null(cfg.services[1].price_note);
	tu_rmdir(dir);
}

static void test_contact_details(void **state)
{
	struct fx *f = *state;
	json_t *good = json_pack("{s:s, s:s, s:s, s:s, s:s}", "phone", "72 10 00 00",
				 "email", "a@b.dk", "address", "Torvet 1",
				 "postcode", "4100", "city", "Nordskov");
	assert_true(hh_org_contact_ok(good));
	json_object_set_new(good, "fax", json_string("1"));
	assert_false(hh_org_contact_ok(good));
	json_object_del(good, "fax");
	json_object_set_new(good, "phone", json_string(""));
	assert_false(hh_org_contact_ok(good));
	json_object_set_new(good, "phone", json_string("72 10 00 00"));
	json_t *list = json_pack("[{s:s, s:O}]", "code", "901", "contact", good);
	struct hh_tx *tx;
	assert_int_equal(f->st->tx_begin(f->st->cls, 1, &tx), HH_OK);
	assert_int_equal(hh_org_contacts_put(tx, &f->a, list), HH_OK);
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
	struct hh_org_contact c;
	assert_int_equal(hh_org_contact_get(f->st, &f->a, f->m901, &c), HH_OK);
	assert_string_equal(c.city, "Nordskov");
	assert_null(c.web);
	assert_int_equal(hh_org_contact_get(f->st, &f->a, f->m902, &c),
			 HH_ERR_NOT_FOUND);
	json_decref(list);
	json_decref(good);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_slots_weekday, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slots_holidays_and_exceptions,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_slots_summer_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_capacity_and_overlap, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_refusals_write_nothing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_move_and_cancel_by_code, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_idempotency, setup, teardown),
		cmocka_unit_test_setup_teardown(test_race_for_the_last_slot, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_faults_leave_nothing_half_written,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_day_list_and_marks, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_who_books_and_sees_own, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_import_refuses_bad_files, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_contact_details, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
