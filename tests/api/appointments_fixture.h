/* appointments_fixture.h - a server whose municipality 901 takes bookings
 * (one counter, every day but Sunday all day, today closed by an
 * exception), with contact details and chat hours, for the appointment
 * API and page tests. */
#ifndef HH_TEST_APPOINTMENTS_FIXTURE_H
#define HH_TEST_APPOINTMENTS_FIXTURE_H

#include "testutil.h"

#include "core/dktime.h"
#include "domain/appointments.h"
#include "domain/hours.h"

struct afx {
	struct tu_server s;
	char today[11];    /* YYYY-MM-DD, Danish date */
	char tomorrow[11];
	char sunday[11];   /* the next Sunday after today: closed */
};

static void afx_date(int64_t day, char out[11])
{
	int64_t y;
	int m, d;
	hh_civil_from_days(day, &y, &m, &d);
	snprintf(out, 11, "%04lld-%02d-%02d", (long long)y, m, d);
}

static int afx_setup(void **state)
{
	struct afx *f = hh_xcalloc(1, sizeof(*f));
	tu_server_start(&f->s, 1);
	int64_t today = hh_appt_day_of(hh_now_us() / 1000000);
	afx_date(today, f->today);
	afx_date(today + 1, f->tomorrow);
	int64_t wd = ((today + 3) % 7 + 7) % 7; /* Monday 0 */
	afx_date(today + (wd == 6 ? 7 : 6 - wd), f->sunday);
	char *dir = tu_tmpdir(), path[4200], text[3000];
	snprintf(path, sizeof(path), "%s/organisations.json", dir);
	tu_write(path,
		 "[{\"code\":\"901\",\"name\":\"Nordskov Kommune\","
		 "\"kind\":\"municipality\",\"contact\":{\"phone\":\"72 10 00 00\","
		 "\"email\":\"borgerservice@nordskov.demo\",\"address\":\"Rådhustorvet 1\","
		 "\"postcode\":\"4100\",\"city\":\"Nordskov\"}}]");
	snprintf(path, sizeof(path), "%s/counter-services.json", dir);
	tu_write(path,
		 "{\"901\": {\"slot_minutes\": 15, \"book_ahead_days\": 30,"
		 " \"counters\": {\"default\": 1}, \"services\": ["
		 " {\"code\": \"pas\", \"name\": \"Pas\", \"minutes\": 15,"
		 "  \"documents\": [\"Dit gamle pas\", \"Sundhedskort\"],"
		 "  \"price_note\": \"Pas koster gebyr.\"},"
		 " {\"code\": \"mitid\", \"name\": \"Hjælp til MitID\", \"minutes\": 30,"
		 "  \"documents\": []}]}}");
	snprintf(path, sizeof(path), "%s/hours.json", dir);
	snprintf(text, sizeof(text),
		 "{\"901\": {\"counter\": {\"week\": {"
		 "\"mon\": [\"00:00-24:00\"], \"tue\": [\"00:00-24:00\"],"
		 "\"wed\": [\"00:00-24:00\"], \"thu\": [\"00:00-24:00\"],"
		 "\"fri\": [\"00:00-24:00\"], \"sat\": [\"00:00-24:00\"], \"sun\": []},"
		 "\"holidays_closed\": false, \"exceptions\": [{\"date\": \"%s\","
		 "\"closed\": true, \"note\": \"Lukket for afprøvning\"}]},"
		 " \"phone\": {\"week\": {\"mon\": [\"08:00-16:00\"]},"
		 "  \"holidays_closed\": true},"
		 " \"chat\": {\"week\": {\"mon\": [\"00:00-24:00\"], "
		 "\"tue\": [\"00:00-24:00\"], \"wed\": [\"00:00-24:00\"],"
		 "\"thu\": [\"00:00-24:00\"], \"fri\": [\"00:00-24:00\"],"
		 "\"sat\": [\"00:00-24:00\"], \"sun\": [\"00:00-24:00\"]},"
		 "  \"holidays_closed\": false}}}",
		 f->today);
	tu_write(path, text);
	struct hh_import_stats stats;
	assert_int_equal(hh_content_import(f->s.store, dir, 0, stderr, NULL, NULL,
					   &stats),
			 HH_OK);
	assert_int_equal(stats.counter_services, 2);
	int n;
	assert_int_equal(hh_hours_import(f->s.store, dir, stderr, &n), HH_OK);
	tu_rmdir(dir);
	*state = f;
	return 0;
}

static int afx_teardown(void **state)
{
	struct afx *f = *state;
	tu_server_stop(&f->s);
	free(f);
	return 0;
}

/* The n-th free slot (0: the first) of service from tomorrow, as the API
 * writes it, into out. */
static void afx_slot(struct afx *f, const char *service, int n, char *out,
		     size_t size)
{
	char path[256];
	snprintf(path, sizeof(path),
		 "/api/v1/organisations/901/slots?service=%s&from=%s", service,
		 f->tomorrow);
	struct tu_resp r = tu_call(f->s.base, NULL, NULL, "GET", path, NULL, NULL);
	assert_int_equal(r.status, 200);
	const char *s = json_string_value(json_object_get(
		json_array_get(json_object_get(r.json, "items"), (size_t)n),
		"start_at"));
	assert_non_null(s);
	snprintf(out, size, "%s", s);
	tu_resp_free(&r);
}

#endif
