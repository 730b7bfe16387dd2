/* appointments.c - appointments (tidsbestilling): the counter's setup,
 * slots, booking, moving, cancelling, the day list; rules in
 * appointments.h. */
#include "domain/appointments.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dktime.h"
#include "core/util.h"
#include "domain/access.h"
#include "domain/orgfile.h"
#include "domain/hours.h"

static const char *const wdays[7] = { "mon", "tue", "wed", "thu",
				      "fri", "sat", "sun" };

/* Monday 0 .. Sunday 6 of a local date (1970-01-01 was a Thursday). */
static int weekday(int64_t day)
{
	int64_t w = (day + 3) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

int64_t hh_appt_day_of(int64_t t)
{
	int64_t l = hh_dk_local(t);
	return l >= 0 ? l / 86400 : -((-l + 86399) / 86400);
}

int hh_appt_parse_day(const char *s, int64_t *day)
{
	int y, m, d;
	char tail;
	if (!s || strlen(s) != 10 ||
	    sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || y < 1970 ||
	    y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
		return 0;
	int64_t v = hh_days_from_civil(y, m, d);
	int64_t y2;
	int m2, d2;
	hh_civil_from_days(v, &y2, &m2, &d2);
	if (m2 != m || d2 != d) /* 31 April */
		return 0;
	*day = v;
	return 1;
}

static int64_t now_or(int64_t now)
{
	return now ? now : hh_now_us() / 1000000;
}

/* ---- the setup (content data) ------------------------------------------ */

static int code_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > 40)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '-' || s[i] == '_'))
			return 0;
	return 1;
}

static int text_ok(json_t *v, size_t max)
{
	const char *s = json_string_value(v);
	return s && *s && strlen(s) <= max && hh_utf8_valid(s, strlen(s));
}

/* Checks one organisation's entry; NULL when good, else what is wrong. */
static const char *config_problem(json_t *v)
{
	if (!json_is_object(v))
		return "expected an object";
	const char *key;
	json_t *x;
	json_object_foreach(v, key, x)
	{
		if (strcmp(key, "slot_minutes") && strcmp(key, "book_ahead_days") &&
		    strcmp(key, "counters") && strcmp(key, "services"))
			return "unknown key (slot_minutes, book_ahead_days, "
			       "counters, services)";
	}
	json_int_t grid = json_integer_value(json_object_get(v, "slot_minutes"));
	if (!json_is_integer(json_object_get(v, "slot_minutes")) || grid < 5 ||
	    grid > 240 || 1440 % grid)
		return "slot_minutes must divide a day, 5 to 240";
	json_int_t ahead = json_integer_value(json_object_get(v, "book_ahead_days"));
	if (!json_is_integer(json_object_get(v, "book_ahead_days")) || ahead < 1 ||
	    ahead > 366)
		return "book_ahead_days must be 1 to 366";
	json_t *counters = json_object_get(v, "counters");
	if (!json_is_object(counters) ||
	    !json_is_integer(json_object_get(counters, "default")))
		return "counters needs a default";
	json_object_foreach(counters, key, x)
	{
		int known = !strcmp(key, "default");
		for (int i = 0; i < 7; i++)
			known |= !strcmp(key, wdays[i]);
		if (!known || !json_is_integer(x) || json_integer_value(x) < 0 ||
		    json_integer_value(x) > 50)
			return "counters: default or mon..sun, 0 to 50 each";
	}
	json_t *services = json_object_get(v, "services");
	if (!json_is_array(services) || !json_array_size(services) ||
	    json_array_size(services) > 50)
		return "services must be 1 to 50";
	size_t i;
	json_array_foreach(services, i, x)
	{
		if (!json_is_object(x) ||
		    !code_ok(json_string_value(json_object_get(x, "code"))) ||
		    !text_ok(json_object_get(x, "name"), 200))
			return "a service needs a code (a-z, 0-9, - and _) and a name";
		json_int_t min = json_integer_value(json_object_get(x, "minutes"));
		if (!json_is_integer(json_object_get(x, "minutes")) || min < grid ||
		    min > 480 || min % grid)
			return "a service's minutes must be a multiple of slot_minutes";
		json_t *docs = json_object_get(x, "documents");
		if (!json_is_array(docs) || json_array_size(docs) > HH_COUNTER_MAX_DOCS)
			return "a service's documents must be a list";
		size_t k;
		json_t *d;
		json_array_foreach(docs, k, d)
		{
			if (!text_ok(d, 400))
				return "a document must be a non-empty text";
		}
		json_t *price = json_object_get(x, "price_note");
		if (price && !text_ok(price, 400))
			return "price_note must be a non-empty text";
		if (json_object_size(x) != 4u + (price ? 1 : 0))
			return "a service has code, name, minutes, documents and "
			       "maybe price_note";
		for (size_t j = 0; j < i; j++)
			if (!strcmp(json_string_value(json_object_get(
					    json_array_get(services, j), "code")),
				    json_string_value(json_object_get(x, "code"))))
				return "a service code appears twice";
	}
	return NULL;
}

static enum hh_rc config_parse(struct hh_arena *a, const char *text,
			       struct hh_counter_config *out)
{
	json_t *v = json_loads(text, 0, NULL);
	if (!v || config_problem(v)) {
		json_decref(v);
		return HH_ERR_INTERNAL; /* checked on import */
	}
	memset(out, 0, sizeof(*out));
	out->slot_minutes = (int)json_integer_value(json_object_get(v, "slot_minutes"));
	out->book_ahead_days =
		(int)json_integer_value(json_object_get(v, "book_ahead_days"));
	json_t *counters = json_object_get(v, "counters");
	int def = (int)json_integer_value(json_object_get(counters, "default"));
	for (int i = 0; i < 7; i++) {
		json_t *c = json_object_get(counters, wdays[i]);
		out->counters[i] = c ? (int)json_integer_value(c) : def;
	}
	json_t *services = json_object_get(v, "services");
	out->n_services = (int)json_array_size(services);
	out->services = hh_arena_calloc(a, (size_t)out->n_services *
						   sizeof(*out->services));
	size_t i;
	json_t *x;
	json_array_foreach(services, i, x)
	{
		struct hh_counter_service *s = &out->services[i];
		s->code = hh_arena_strdup(a, json_string_value(json_object_get(x, "code")));
		s->name = hh_arena_strdup(a, json_string_value(json_object_get(x, "name")));
		s->minutes = (int)json_integer_value(json_object_get(x, "minutes"));
		size_t k;
		json_t *d;
		json_array_foreach(json_object_get(x, "documents"), k, d)
			s->documents[s->n_documents++] =
				hh_arena_strdup(a, json_string_value(d));
		json_t *price = json_object_get(x, "price_note");
		s->price_note = price ? hh_arena_strdup(a, json_string_value(price))
				      : NULL;
	}
	json_decref(v);
	return HH_OK;
}

static enum hh_rc config_in_tx(struct hh_tx *tx, struct hh_arena *a,
			       int64_t org_id, struct hh_counter_config *out)
{
	const char *text;
	enum hh_rc rc = tx->store->org_document_get(tx, a, org_id, "counter", &text);
	if (rc != HH_OK)
		return rc;
	return config_parse(a, text, out);
}

struct cfg_ctx {
	struct hh_arena *a;
	int64_t org_id;
	struct hh_counter_config *out;
};

static enum hh_rc cfg_tx(struct hh_tx *tx, void *p)
{
	struct cfg_ctx *c = p;
	return config_in_tx(tx, c->a, c->org_id, c->out);
}

enum hh_rc hh_counter_config_get(struct hh_store *st, struct hh_arena *a,
				 int64_t org_id, struct hh_counter_config *out)
{
	struct cfg_ctx c = { a, org_id, out };
	return hh_store_run_tx(st, 0, cfg_tx, &c);
}

const struct hh_counter_service *
hh_counter_service_find(const struct hh_counter_config *cfg, const char *code)
{
	for (int i = 0; code && i < cfg->n_services; i++)
		if (!strcmp(cfg->services[i].code, code))
			return &cfg->services[i];
	return NULL;
}

/* One organisation's counter configuration, stored whole. */
static enum hh_rc counter_put(struct hh_tx *tx, struct hh_arena *a,
			      int64_t org_id, json_t *v, int *n)
{
	char *body = json_dumps(v, JSON_COMPACT);
	if (!body)
		return HH_ERR_INTERNAL;
	enum hh_rc rc = tx->store->org_document_put(tx, org_id, "counter", body);
	free(body);
	if (rc == HH_OK)
		*n += (int)json_array_size(json_object_get(v, "services"));
	return rc;
}

static const char *counter_check(struct hh_arena *a, json_t *v)
{
	return config_problem(v);
}

enum hh_rc hh_counter_import(struct hh_store *st, const char *dir, FILE *errs,
			     int *n)
{
	/* no file: no bookings anywhere */
	static const struct hh_org_file file = { "counter-services.json",
						 counter_check, counter_put };
	return hh_org_file_import(st, dir, &file, errs, n);
}

/* ---- slots ------------------------------------------------------------- */

/* The active bookings of an organisation over some days, read once. */
struct taken {
	struct hh_appointment *v;
	size_t n, cap;
	struct hh_arena *a;
	int64_t skip_id; /* a booking being moved does not block itself */
};

static enum hh_rc taken_push(void *p, const struct hh_appointment *b)
{
	struct taken *t = p;
	if (b->id == t->skip_id)
		return HH_OK;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 32;
		struct hh_appointment *v = hh_arena_alloc(t->a, cap * sizeof(*v));
		if (t->n)
			memcpy(v, t->v, t->n * sizeof(*v));
		t->v = v;
		t->cap = cap;
	}
	t->v[t->n++] = *b;
	return HH_OK;
}

static enum hh_rc taken_load(struct hh_tx *tx, struct hh_arena *a,
			     int64_t org_id, int64_t from, int64_t to,
			     struct taken *t)
{
	/* a booking that began up to 8 hours before from may still run */
	struct hh_appointment_filter f = { .org_id = org_id,
					   .from = from - 8 * 3600, .to = to,
					   .active_only = 1 };
	t->a = a;
	return tx->store->appointment_list(tx, a, &f, taken_push, t);
}

/* Is counter k free from start to end? */
static int counter_free(const struct taken *t, int k, int64_t start,
			int64_t end)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].counter == k && t->v[i].start_at < end &&
		    t->v[i].end_at > start)
			return 0;
	return 1;
}

/* The lowest free counter of n from start to end, 0 when none; *free
 * (may be NULL) gets how many are free. */
static int first_free(const struct taken *t, int n, int64_t start, int64_t end,
		      int *free)
{
	int first = 0, count = 0;
	for (int k = 1; k <= n; k++)
		if (counter_free(t, k, start, end)) {
			count++;
			if (!first)
				first = k;
		}
	if (free)
		*free = count;
	return first;
}

/* Where start_at lies in the hours: on a slot's start (OK, with the
 * day), or why not. */
static enum hh_appt_fault slot_check(const struct hh_hours *h,
				     const struct hh_counter_config *cfg,
				     const struct hh_counter_service *svc,
				     int64_t start_at, int64_t now,
				     int64_t *day_out)
{
	if (start_at < now)
		return HH_APPT_PAST;
	int64_t day = hh_appt_day_of(start_at);
	if (day > hh_appt_day_of(now) + cfg->book_ahead_days)
		return HH_APPT_TOO_FAR;
	struct hh_hours_day d;
	hh_hours_on(h, day, &d);
	for (int i = 0; i < d.n; i++) {
		int64_t open = hh_dk_instant(day, d.span[i].open_min);
		int64_t close = hh_dk_instant(day, d.span[i].close_min);
		if (start_at < open || start_at + svc->minutes * 60 > close)
			continue;
		*day_out = day;
		return (start_at - open) % (cfg->slot_minutes * 60)
			       ? HH_APPT_UNALIGNED
			       : HH_APPT_FINE;
	}
	return HH_APPT_CLOSED;
}

struct slots_ctx {
	struct hh_arena *a;
	int64_t org_id;
	int64_t from, to; /* instants */
	struct hh_counter_config cfg;
	struct taken t;
};

static enum hh_rc slots_tx(struct hh_tx *tx, void *p)
{
	struct slots_ctx *c = p;
	enum hh_rc rc = config_in_tx(tx, c->a, c->org_id, &c->cfg);
	if (rc != HH_OK)
		return rc;
	memset(&c->t, 0, sizeof(c->t));
	return taken_load(tx, c->a, c->org_id, c->from, c->to, &c->t);
}

enum hh_rc hh_slots_list(struct hh_store *st, struct hh_arena *a,
			 int64_t org_id, const char *service, int64_t from_day,
			 int64_t to_day, int64_t now, hh_slot_cb cb, void *ctx)
{
	if (to_day < from_day || to_day - from_day > 62)
		return HH_ERR_INVALID;
	now = now_or(now);
	const struct hh_hours *h;
	enum hh_rc rc = hh_hours_get(st, a, org_id, "counter", &h);
	if (rc != HH_OK)
		return rc;
	/* the setup and the bookings in one read transaction; the slots
	 * are made from them after it, so the callback may do as it likes */
	struct slots_ctx c = { .a = a, .org_id = org_id,
			       .from = hh_dk_instant(from_day, 0),
			       .to = hh_dk_instant(to_day + 1, 0) };
	rc = hh_store_run_tx(st, 0, slots_tx, &c);
	if (rc != HH_OK)
		return rc;
	const struct hh_counter_service *svc = hh_counter_service_find(&c.cfg, service);
	if (!svc)
		return HH_ERR_NOT_FOUND;
	int64_t last = hh_appt_day_of(now) + c.cfg.book_ahead_days;
	int grid = c.cfg.slot_minutes;
	for (int64_t day = from_day; day <= to_day && day <= last; day++) {
		struct hh_hours_day d;
		hh_hours_on(h, day, &d);
		int n = c.cfg.counters[weekday(day)];
		for (int i = 0; i < d.n && n > 0; i++) {
			int64_t open = hh_dk_instant(day, d.span[i].open_min);
			int64_t close = hh_dk_instant(day, d.span[i].close_min);
			for (int64_t t = open; t + svc->minutes * 60 <= close;
			     t += grid * 60) {
				if (t < now)
					continue;
				struct hh_slot s = { t, t + svc->minutes * 60, 0 };
				if (!first_free(&c.t, n, s.start_at, s.end_at, &s.free))
					continue;
				rc = cb(ctx, &s);
				if (rc != HH_OK)
					return rc;
			}
		}
	}
	return HH_OK;
}

/* ---- bookings ---------------------------------------------------------- */

const char *hh_appt_fault_da(enum hh_appt_fault f)
{
	switch (f) {
	case HH_APPT_FINE:
		break;
	case HH_APPT_SERVICE:
		return "Den valgte ydelse kan ikke bestilles her.";
	case HH_APPT_PAST:
		return "Tidspunktet er allerede passeret. Vælg en senere tid.";
	case HH_APPT_TOO_FAR:
		return "Der kan ikke bestilles tid så langt ude i fremtiden.";
	case HH_APPT_CLOSED:
		return "Borgerservice har ikke åbent på det valgte tidspunkt.";
	case HH_APPT_UNALIGNED:
		return "Det valgte tidspunkt er ikke en af de ledige tider. "
		       "Vælg en tid fra listen.";
	case HH_APPT_CONTACT:
		return "Skriv dit navn og enten din e-mail eller dit "
		       "telefonnummer, så vi kan kontakte dig.";
	case HH_APPT_TAKEN:
		return "Beklager, tiden er netop blevet taget af en anden. "
		       "Vælg en anden tid.";
	case HH_APPT_STATE:
		return "Tidsbestillingen kan ikke længere ændres, fordi den er "
		       "aflyst, afholdt eller allerede begyndt.";
	case HH_APPT_KEY_REUSED:
		return "Forespørgslen er allerede brugt til en anden "
		       "tidsbestilling.";
	}
	return "";
}

static enum hh_rc fault_rc(enum hh_appt_fault f)
{
	return f == HH_APPT_TAKEN || f == HH_APPT_STATE || f == HH_APPT_KEY_REUSED
		       ? HH_ERR_CONFLICT
		       : HH_ERR_INVALID;
}

static void new_code(char out[HH_BOOKING_CODE_LEN + 1])
{
	static const char alphabet[] = HH_BOOKING_ALPHABET;
	for (int i = 0; i < HH_BOOKING_CODE_LEN; i++)
		out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	out[HH_BOOKING_CODE_LEN] = 0;
}

/* The code as stored: hyphens and spaces dropped, upper case; 0 when it
 * is not one. */
static int code_norm(const char *in, char out[HH_BOOKING_CODE_LEN + 1])
{
	int n = 0;
	for (const char *p = in; p && *p; p++) {
		if (*p == '-' || *p == ' ')
			continue;
		char ch = *p >= 'a' && *p <= 'z' ? (char)(*p - 32) : *p;
		if (n == HH_BOOKING_CODE_LEN || !strchr(HH_BOOKING_ALPHABET, ch) || !ch)
			return 0;
		out[n++] = ch;
	}
	out[n] = 0;
	return n == HH_BOOKING_CODE_LEN;
}

const char *hh_booking_code_display(struct hh_arena *a, const char *code)
{
	if (!code || strlen(code) != HH_BOOKING_CODE_LEN)
		return code;
	return hh_arena_printf(a, "%.4s-%.4s-%.4s", code, code + 4, code + 8);
}

static void set_time(json_t *j, const char *key, int64_t t)
{
	char iso[HH_ISO8601_SIZE];
	hh_iso8601_dk(t, iso);
	json_object_set_new(j, key, json_string(iso));
}

json_t *hh_appointment_json(struct hh_arena *a, const struct hh_appointment *b,
			    int contact)
{
	json_t *j = json_pack("{s:s, s:s, s:I, s:s, s:i, s:s, s:I}", "code",
			      b->code ? b->code : "", "display_code",
			      hh_booking_code_display(a, b->code ? b->code : ""),
			      "organisation_id", (json_int_t)b->org_id, "service",
			      b->service ? b->service : "", "counter", b->counter,
			      "state", b->state ? b->state : "", "version",
			      (json_int_t)b->version);
	set_time(j, "start_at", b->start_at);
	set_time(j, "end_at", b->end_at);
	json_object_set_new(j, "signed_in", json_boolean(b->citizen_id != 0));
	if (contact) {
		if (b->name)
			json_object_set_new(j, "name", json_string(b->name));
		if (b->email)
			json_object_set_new(j, "email", json_string(b->email));
		if (b->phone)
			json_object_set_new(j, "phone", json_string(b->phone));
	}
	return j;
}

/* The state an event records: no name, e-mail or phone (malloc'd). */
static char *state_json(const struct hh_appointment *b)
{
	json_t *j = json_pack("{s:s, s:I, s:i, s:I, s:I, s:s, s:I, s:I}",
			      "service", b->service, "organisation_id",
			      (json_int_t)b->org_id, "counter", b->counter,
			      "start_at", (json_int_t)b->start_at, "end_at",
			      (json_int_t)b->end_at, "state", b->state, "version",
			      (json_int_t)b->version, "citizen_id",
			      (json_int_t)b->citizen_id);
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	return s;
}

static enum hh_rc event(struct hh_tx *tx, const char *actor,
			const struct hh_appointment *b, const char *action,
			char *before, char *after)
{
	struct hh_event e = { .actor = actor ? actor : "anonymous",
			      .org_id = b->org_id, .entity = "appointment",
			      .entity_id = b->id, .action = action,
			      .before = before, .after = after };
	enum hh_rc rc = tx->store->event_append(tx, &e);
	free(before);
	free(after);
	return rc;
}

struct ctx {
	const struct hh_actor *who;
	struct hh_arena *a;
	const struct hh_appointment_input *in;
	struct hh_appointment *out;
	const struct hh_hours *hours;
	const char *code;
	const char *state;
	int64_t start_at, expected, now;
	int replayed;
	enum hh_appt_fault fault;
	const char *field;
	char hash[HH_REQUEST_HASH_SIZE];
};

static enum hh_rc refuse(struct ctx *c, enum hh_appt_fault f, const char *field)
{
	c->fault = f;
	c->field = field;
	return fault_rc(f);
}

/* Places b (org, service set) at start_at: checks the slot against the
 * hours and the setup and takes the lowest free counter, all in tx.
 * b->id, when set, is the booking being moved. */
static enum hh_rc place(struct hh_tx *tx, struct ctx *c,
			struct hh_appointment *b, int64_t start_at)
{
	struct hh_counter_config cfg;
	enum hh_rc rc = config_in_tx(tx, c->a, b->org_id, &cfg);
	if (rc == HH_ERR_NOT_FOUND)
		return refuse(c, HH_APPT_SERVICE, "service");
	if (rc != HH_OK)
		return rc;
	const struct hh_counter_service *svc = hh_counter_service_find(&cfg, b->service);
	if (!svc)
		return refuse(c, HH_APPT_SERVICE, "service");
	int64_t day = 0;
	enum hh_appt_fault f = slot_check(c->hours, &cfg, svc, start_at, c->now, &day);
	if (f != HH_APPT_FINE)
		return refuse(c, f, "start_at");
	int64_t end_at = start_at + svc->minutes * 60;
	struct taken t = { .skip_id = b->id };
	rc = taken_load(tx, c->a, b->org_id, start_at, end_at, &t);
	if (rc != HH_OK)
		return rc;
	int k = first_free(&t, cfg.counters[weekday(day)], start_at, end_at, NULL);
	if (!k)
		return refuse(c, HH_APPT_TAKEN, "start_at");
	b->counter = k;
	b->start_at = start_at;
	b->end_at = end_at;
	return HH_OK;
}

/* ---- book ---- */

static int email_ok(const char *s)
{
	const char *at = strchr(s, '@');
	return at && at > s && strchr(at, '.') && !strchr(at + 1, '@') &&
	       strlen(s) <= 254 && !strpbrk(s, " <>\"\r\n");
}

static int phone_ok(const char *s)
{
	int digits = 0;
	for (const char *p = s; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (!strchr("+ -()", *p))
			return 0;
	}
	return digits >= 8 && digits <= 15;
}

static void request_hash(const struct hh_appointment_input *in,
			 char out[HH_REQUEST_HASH_SIZE])
{
	crypto_generichash_state h;
	unsigned char bin[32];
	crypto_generichash_init(&h, NULL, 0, sizeof(bin));
	const char *strs[] = { in->service, in->name, in->email, in->phone };
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		unsigned char tag = strs[i] ? 1 : 0;
		crypto_generichash_update(&h, &tag, 1);
		if (strs[i])
			crypto_generichash_update(&h, (const unsigned char *)strs[i],
						  strlen(strs[i]) + 1);
	}
	char num[64];
	snprintf(num, sizeof(num), "%lld %lld", (long long)in->org_id,
		 (long long)in->start_at);
	crypto_generichash_update(&h, (const unsigned char *)num, strlen(num));
	crypto_generichash_final(&h, bin, sizeof(bin));
	sodium_bin2hex(out, HH_REQUEST_HASH_SIZE, bin, sizeof(bin));
}

static const char *scope_of(const struct ctx *c)
{
	return c->who->label ? c->who->label
			     : hh_arena_printf(c->a, "anonymous:%s",
					       c->in->idem_scope ? c->in->idem_scope
								 : "");
}

static enum hh_rc book_tx(struct hh_tx *tx, void *p)
{
	struct ctx *c = p;
	const struct hh_appointment_input *in = c->in;
	struct hh_store *st = tx->store;
	enum hh_rc rc;
	c->replayed = 0;
	c->fault = HH_APPT_FINE;
	c->field = NULL;
	const char *scope = scope_of(c);
	if (in->idem_key) {
		rc = st->appointment_get_by_key(tx, c->a, scope, in->idem_key, c->out);
		if (rc == HH_OK && strcmp(c->out->request_hash ? c->out->request_hash
							       : "", c->hash))
			return refuse(c, HH_APPT_KEY_REUSED, "Idempotency-Key");
		if (rc == HH_OK) {
			c->replayed = 1;
			return HH_OK;
		}
		if (rc != HH_ERR_NOT_FOUND)
			return rc;
	}
	struct hh_appointment *b = c->out;
	memset(b, 0, sizeof(*b));
	b->org_id = in->org_id;
	b->service = in->service;
	b->citizen_id = c->who->citizen_id;
	b->state = "booked";
	b->name = in->name;
	b->email = in->email;
	b->phone = in->phone;
	rc = place(tx, c, b, in->start_at);
	if (rc != HH_OK)
		return rc;
	char code[HH_BOOKING_CODE_LEN + 1];
	new_code(code);
	b->code = hh_arena_strdup(c->a, code);
	b->idem_scope = in->idem_key ? scope : NULL;
	b->idem_key = in->idem_key;
	b->request_hash = in->idem_key ? c->hash : NULL;
	rc = st->appointment_insert(tx, b);
	if (rc == HH_ERR_CONFLICT) /* the unique index: the same start taken */
		return refuse(c, HH_APPT_TAKEN, "start_at");
	if (rc == HH_OK)
		rc = event(tx, c->who->label, b, "create", NULL, state_json(b));
	return rc;
}

/* Trims s into the arena; NULL when empty. */
static const char *trimmed(struct hh_arena *a, const char *s)
{
	if (!s)
		return NULL;
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n ? hh_arena_strndup(a, s, n) : NULL;
}

enum hh_rc hh_appointment_book(struct hh_store *st, struct hh_arena *a,
			       const struct hh_actor *who,
			       const struct hh_appointment_input *in_,
			       struct hh_appointment *out, int *replayed,
			       enum hh_appt_fault *fault, const char **field)
{
	struct hh_appointment_input in = *in_;
	struct ctx c = { .who = who, .a = a, .in = &in, .out = out,
			 .now = now_or(in_->now) };
	*replayed = 0;
	/* the booking's owner: its organisation, and the citizen booking */
	struct hh_owner own = { in.org_id, who->citizen_id };
	enum hh_rc rc = hh_access(who, HH_RES_APPOINTMENT, HH_ACT_CREATE, &own);
	if (rc != HH_OK) {
		rc = HH_ERR_FORBIDDEN;
		goto fail;
	}
	in.name = trimmed(a, in.name);
	in.email = trimmed(a, in.email);
	in.phone = trimmed(a, in.phone);
	if (in.name && (strlen(in.name) > 200 || !hh_utf8_valid(in.name, strlen(in.name)))) {
		rc = refuse(&c, HH_APPT_CONTACT, "name");
		goto fail;
	}
	if (in.email && !email_ok(in.email)) {
		rc = refuse(&c, HH_APPT_CONTACT, "email");
		goto fail;
	}
	if (in.phone && !phone_ok(in.phone)) {
		rc = refuse(&c, HH_APPT_CONTACT, "phone");
		goto fail;
	}
	/* without sign-in: who is coming, and how to reach them */
	if (!who->citizen_id && (!in.name || (!in.email && !in.phone))) {
		rc = refuse(&c, HH_APPT_CONTACT, !in.name ? "name" : "email");
		goto fail;
	}
	if (!in.service || !in.org_id) {
		rc = refuse(&c, HH_APPT_SERVICE, "service");
		goto fail;
	}
	rc = hh_hours_get(st, a, in.org_id, "counter", &c.hours);
	if (rc == HH_ERR_NOT_FOUND) {
		rc = refuse(&c, HH_APPT_SERVICE, "service");
		goto fail;
	}
	if (rc != HH_OK)
		goto fail;
	if (in.idem_key)
		request_hash(&in, c.hash);
	rc = hh_store_run_tx(st, 1, book_tx, &c);
	if (rc == HH_OK && !c.replayed)
		hh_store_changed(st, &(struct hh_change){ "appointment", out->id,
							   out->org_id, "create" });
	*replayed = c.replayed;
fail:
	if (fault)
		*fault = c.fault;
	if (field)
		*field = c.field;
	return rc;
}

/* ---- read by code ---- */

struct get_ctx {
	struct hh_arena *a;
	const char *code;
	struct hh_appointment *out;
};

static enum hh_rc get_tx(struct hh_tx *tx, void *p)
{
	struct get_ctx *g = p;
	return tx->store->appointment_get_by_code(tx, g->a, g->code, g->out);
}

enum hh_rc hh_appointment_get(struct hh_store *st, struct hh_arena *a,
			      const char *code, struct hh_appointment *out)
{
	char norm[HH_BOOKING_CODE_LEN + 1];
	if (!code_norm(code, norm))
		return HH_ERR_NOT_FOUND;
	struct get_ctx g = { a, norm, out };
	return hh_store_run_tx(st, 0, get_tx, &g);
}

/* ---- move, cancel, mark ---- */

static enum hh_rc change_tx(struct hh_tx *tx, void *p)
{
	struct ctx *c = p;
	c->fault = HH_APPT_FINE;
	c->field = NULL;
	struct hh_appointment *b = c->out;
	enum hh_rc rc = tx->store->appointment_get_by_code(tx, c->a, c->code, b);
	if (rc != HH_OK)
		return rc;
	const char *action;
	if (!strcmp(c->state, "attended") || !strcmp(c->state, "no_show")) {
		/* the front desk's mark: their organisation's bookings */
		struct hh_owner o = { b->org_id, b->citizen_id };
		rc = hh_access(c->who, HH_RES_APPOINTMENT, HH_ACT_CHANGE, &o);
		if (rc != HH_OK)
			return rc;
		if (!strcmp(b->state, "cancelled"))
			return refuse(c, HH_APPT_STATE, "state");
		action = c->state;
	} else {
		/* the code is the key: whoever holds it moves or cancels */
		if (c->expected && b->version != c->expected)
			return HH_ERR_CONFLICT;
		if (strcmp(b->state, "booked") || b->start_at <= c->now)
			return refuse(c, HH_APPT_STATE, "state");
		action = c->state;
	}
	int64_t expected = b->version;
	char *before = state_json(b);
	if (!strcmp(action, "move")) {
		rc = place(tx, c, b, c->start_at);
	} else {
		b->state = action;
	}
	if (rc == HH_OK) {
		rc = tx->store->appointment_update(tx, b, expected);
		if (rc == HH_ERR_CONFLICT && !strcmp(action, "move"))
			rc = refuse(c, HH_APPT_TAKEN, "start_at");
	}
	if (rc != HH_OK) {
		free(before);
		return rc;
	}
	return event(tx, c->who->label, b, action, before, state_json(b));
}

static enum hh_rc change(struct hh_store *st, struct ctx *c, const char *code)
{
	char norm[HH_BOOKING_CODE_LEN + 1];
	if (!code_norm(code, norm))
		return HH_ERR_NOT_FOUND;
	c->code = norm;
	enum hh_rc rc = hh_store_run_tx(st, 1, change_tx, c);
	if (rc == HH_OK)
		hh_store_changed(st, &(struct hh_change){ "appointment", c->out->id,
							   c->out->org_id, c->state });
	return rc;
}

enum hh_rc hh_appointment_move(struct hh_store *st, struct hh_arena *a,
			       const struct hh_actor *who, const char *code,
			       int64_t expected_version, int64_t start_at,
			       int64_t now, struct hh_appointment *out,
			       enum hh_appt_fault *fault)
{
	struct ctx c = { .who = who, .a = a, .out = out, .state = "move",
			 .start_at = start_at, .expected = expected_version,
			 .now = now_or(now) };
	/* the hours of the booking's organisation: read it first */
	struct hh_appointment cur;
	enum hh_rc rc = hh_appointment_get(st, a, code, &cur);
	if (rc == HH_OK)
		rc = hh_hours_get(st, a, cur.org_id, "counter", &c.hours);
	if (rc == HH_OK)
		rc = change(st, &c, code);
	if (fault)
		*fault = c.fault;
	return rc;
}

enum hh_rc hh_appointment_cancel(struct hh_store *st, struct hh_arena *a,
				 const struct hh_actor *who, const char *code,
				 int64_t expected_version, int64_t now,
				 struct hh_appointment *out,
				 enum hh_appt_fault *fault)
{
	struct ctx c = { .who = who, .a = a, .out = out, .state = "cancelled",
			 .expected = expected_version, .now = now_or(now) };
	enum hh_rc rc = change(st, &c, code);
	if (fault)
		*fault = c.fault;
	return rc;
}

enum hh_rc hh_appointment_mark(struct hh_store *st, struct hh_arena *a,
			       const struct hh_actor *who, const char *code,
			       const char *state, struct hh_appointment *out)
{
	if (!state || (strcmp(state, "attended") && strcmp(state, "no_show")))
		return HH_ERR_INVALID;
	struct ctx c = { .who = who, .a = a, .out = out, .state = state,
			 .now = now_or(0) };
	return change(st, &c, code);
}

/* ---- lists ---- */

struct list_ctx {
	struct hh_arena *a;
	struct hh_appointment_filter f;
	hh_appointment_cb cb;
	void *cb_ctx;
};

static enum hh_rc list_tx(struct hh_tx *tx, void *p)
{
	struct list_ctx *l = p;
	return tx->store->appointment_list(tx, l->a, &l->f, l->cb, l->cb_ctx);
}

enum hh_rc hh_appointment_day(struct hh_store *st, struct hh_arena *a,
			      const struct hh_actor *who, int64_t org_id,
			      int64_t day, hh_appointment_cb cb, void *ctx)
{
	struct hh_owner o = { .org_id = org_id };
	enum hh_rc rc = hh_access(who, HH_RES_APPOINTMENT, HH_ACT_READ, &o);
	if (rc != HH_OK || who->citizen_id)
		return HH_ERR_FORBIDDEN;
	struct list_ctx l = { a, { .org_id = org_id,
				   .from = hh_dk_instant(day, 0),
				   .to = hh_dk_instant(day + 1, 0),
				   .active_only = 1 },
			      cb, ctx };
	return hh_store_run_tx(st, 0, list_tx, &l);
}

enum hh_rc hh_appointment_mine(struct hh_store *st, struct hh_arena *a,
			       const struct hh_actor *who, int64_t now,
			       hh_appointment_cb cb, void *ctx)
{
	if (!who->citizen_id ||
	    hh_access(who, HH_RES_APPOINTMENT, HH_ACT_READ,
		      &(struct hh_owner){ 0, who->citizen_id }) != HH_OK)
		return HH_ERR_FORBIDDEN;
	struct list_ctx l = { a, { .citizen_id = who->citizen_id,
				   .from = now_or(now), .active_only = 1 },
			      cb, ctx };
	return hh_store_run_tx(st, 0, list_tx, &l);
}
