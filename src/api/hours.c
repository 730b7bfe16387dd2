/* hours.c - the API's opening hours: GET
 * /api/v1/organisations/{code}/hours, public like the contact pages. */
#include "api/api.h"

#include <string.h>

#include "core/dktime.h"
#include "core/util.h"
#include "domain/hours.h"
#include "domain/orgs.h"

static const char *const services[] = { "counter", "phone", "chat" };

#define DAYS_MAX 62

static void date_str(int64_t day, char out[11])
{
	int64_t y;
	int m, d;
	hh_civil_from_days(day, &y, &m, &d);
	snprintf(out, 11, "%04d-%02d-%02d", (int)y, m, d);
}

/* One service's week: open now, when that changes, and each day's spans. */
static json_t *service_json(const struct hh_hours *h, int64_t now,
			    int64_t from, int days)
{
	int64_t change;
	int open = hh_hours_open(h, now, &change);
	json_t *j = json_pack("{s:b}", "open_now", open);
	if (change) {
		char iso[HH_ISO8601_SIZE];
		hh_iso8601_dk(change, iso);
		json_object_set_new(j, open ? "closes_at" : "opens_at",
				    json_string(iso));
	}
	json_t *list = json_array();
	for (int k = 0; k < days; k++) {
		struct hh_hours_day d;
		hh_hours_on(h, from + k, &d);
		char date[11];
		date_str(from + k, date);
		json_t *spans = json_array();
		for (int i = 0; i < d.n; i++) {
			char s[32];
			snprintf(s, sizeof(s), "%02d:%02d-%02d:%02d",
				 d.span[i].open_min / 60, d.span[i].open_min % 60,
				 d.span[i].close_min / 60, d.span[i].close_min % 60);
			json_array_append_new(spans, json_string(s));
		}
		json_t *day = json_pack("{s:s, s:o}", "date", date, "spans", spans);
		if (d.note)
			json_object_set_new(day, "note", json_string(d.note));
		json_array_append_new(list, day);
	}
	json_object_set_new(j, "days", list);
	return j;
}

void hh_api_org_hours(struct hh_req *r)
{
	struct hh_org org;
	enum hh_rc rc = hh_org_by_code(r->app->store, &r->arena,
				       hh_req_param(r, "code"), &org);
	if (rc != HH_OK) {
		hh_resp_rc(r, rc, NULL);
		return;
	}
	const char *service = hh_req_query(r, "service");
	if (service && !hh_hours_service_ok(service)) {
		hh_resp_problem(r, HH_E_INVALID_PARAM, "service", NULL);
		return;
	}
	int64_t now = hh_now_us() / 1000000;
	int64_t from = hh_dk_local(now) / 86400, t;
	const char *f = hh_req_query(r, "from");
	if (f) {
		if (strlen(f) != 10 || !hh_iso8601_parse(f, &t)) {
			hh_resp_problem(r, HH_E_INVALID_PARAM, "from", NULL);
			return;
		}
		from = hh_dk_local(t) / 86400;
	}
	int64_t days;
	if (!hh_req_query_int(r, "days", 7, 1, DAYS_MAX, &days))
		return;
	json_t *out = json_object();
	for (size_t i = 0; i < sizeof(services) / sizeof(*services); i++) {
		if (service && strcmp(service, services[i]))
			continue;
		const struct hh_hours *h;
		rc = hh_hours_get(r->app->store, &r->arena, org.id, services[i],
				  &h);
		if (rc == HH_ERR_NOT_FOUND)
			continue; /* the organisation does not offer it */
		if (rc != HH_OK) {
			json_decref(out);
			hh_resp_rc(r, rc, NULL);
			return;
		}
		json_object_set_new(out, services[i],
				    service_json(h, now, from, (int)days));
	}
	hh_resp_json(r, 200, json_pack("{s:s, s:o}", "organisation", org.code,
				       "services", out));
}
