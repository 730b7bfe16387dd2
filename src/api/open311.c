/* open311.c - Open311 GeoReport v2 under /open311/v2/: service discovery,
 * the public case types as services, their forms as service definitions,
 * and service requests (cases) made with an API key and tracked by anyone.
 *
 * Every resource answers in JSON or XML after its extension (services.json,
 * services.xml), as the specification asks. Errors use the specification's
 * own document ([{"code": 404, "description": "..."}], or <errors>) rather
 * than helhed's problem+json: Open311 clients read that form, nothing else.
 *
 * Decisions the specification leaves to the server:
 * - A service is a case type with "public": true. One whose form needs an
 *   uploaded file (a required file field that always applies) is not
 *   offered: GeoReport v2 has no upload, only media_url. File fields are
 *   left out of service definitions.
 * - Form fields that apply only "when" another has a value are never
 *   required in the definition; datatype_description says when they apply.
 * - Requests are the cases made without a citizen (through this API).
 *   Cases citizens send in while signed in are theirs and are not listed:
 *   even the existence of someone's application is personal data.
 * - service_request_id is the case's public id: 24 hex digits, 96 random
 *   bits, kept beside the internal id, so nobody can walk the requests by
 *   counting. The internal id is never shown here and never found.
 * - The public request shows no names, contact details, description, media
 *   or form values; the one exception is the location (address_string, an
 *   address field of the form, lat/long, address_id), which is the point
 *   of a public report (a hole in the road).
 * - A service that concerns a person (the case type says "personal": true:
 *   a move, a pick-up of bulky waste at home, a permit) makes no public
 *   reports: its requests are never
 *   listed, and shown only to whoever asks by the public id (in practice
 *   the client that made the request), with status and times but no
 *   location, since there the address is where someone lives.
 * - Times are Danish local time with their offset (+01:00 or +02:00).
 *   expected_datetime is the case's deadline; there is none once the case
 *   is closed or while it waits for the reporter (the deadline then moves
 *   on by the time the wait takes).
 * - A request is made synchronously, so its token is its id:
 *   tokens/{id} answers as soon as the request exists. POST answers 200
 *   with service_request_id, as the specification shows.
 * - A missing api_key is 403 like an unknown one (the only key error the
 *   specification names). api_key comes in the POST body, as the
 *   specification has it, or as "Authorization: Bearer KEY"; in the query
 *   string it is refused (400), since addresses end up in logs and
 *   browser histories. The key's roles are checked against the access
 *   table with the organisation the case goes to: a front-desk (agent)
 *   key may file with any authority, a caseworker's or admin's only with
 *   its own organisation, others none (403). Other parameters are checked strictly: an
 *   unknown or repeated one is 400. address_string, email, phone and
 *   description also fill the form's first address, email, phone and
 *   textarea field when the client sent no attribute for it.
 * - A format other than .json or .xml is 404, answered in JSON. */
#include "domain/orgs.h"
#include "api/api.h"

#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dktime.h"
#include <strings.h>

#include "core/log.h"
#include "core/xml.h"
#include "core/util.h"
#include "domain/auth.h"
#include "domain/cases.h"
#include "domain/open311.h"

/* Where a request made here keeps what Open311 sent beside the form values
 * in the case data (a "-" so that no form field can have the name). */
#define DATA_KEY "open311-source"
#define MAX_REQUESTS 1000          /* the specification's default cap */
#define MAX_SPAN (90 * 86400)      /* ... and its longest date range */
#define SPEC_URL "http://wiki.open311.org/GeoReport_v2"

enum fmt { FMT_JSON, FMT_XML };

/* ---- responses -------------------------------------------------------- */

/* The element name of one item of a list element into out: "attributes"
 * → "attribute", "service_requests" → "request". */
static void item_name(const char *list, char *out, size_t size)
{
	size_t n = strlen(list);
	if (!strcmp(list, "service_requests"))
		snprintf(out, size, "request");
	else if (n > 1 && list[n - 1] == 's')
		snprintf(out, size, "%.*s", (int)(n - 1), list);
	else
		snprintf(out, size, "item");
}

/* Sends doc (stolen): as JSON, or as XML under the element root (a list's
 * items named by item_name(root)). */
static void send_doc(struct hh_req *r, enum fmt f, int status, const char *root,
		     json_t *doc)
{
	if (r->method == HH_GET || r->method == HH_HEAD)
		hh_resp_header(r, "Access-Control-Allow-Origin", "*");
	if (f == FMT_JSON) {
		char *s = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(10));
		json_decref(doc);
		hh_resp_text(r, status, "application/json; charset=utf-8", s ? s : "");
		free(s);
		return;
	}
	struct hh_buf b;
	hh_buf_init(&b);
	hh_xml_document(&b, root, doc, item_name);
	json_decref(doc);
	hh_resp_text(r, status, "text/xml; charset=utf-8", hh_buf_str(&b));
	hh_buf_clear(&b);
}

/* Sends the specification's error document with errors (a list of
 * {"code", "description"}, stolen). */
static void send_errors(struct hh_req *r, enum fmt f, int status, json_t *errors)
{
	send_doc(r, f, status, "errors", errors);
}

static void send_error(struct hh_req *r, enum fmt f, int status,
		       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void send_error(struct hh_req *r, enum fmt f, int status,
		       const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	send_errors(r, f, status,
		    json_pack("[{s:i, s:s}]", "code", status, "description", msg));
}

/* A store failure as the specification's error. */
static void send_rc(struct hh_req *r, enum fmt f, enum hh_rc rc)
{
	if (rc == HH_ERR_BUSY) {
		hh_resp_header(r, "Retry-After", "1");
		send_error(r, f, 503, "Tjenesten er optaget. Prøv igen om lidt.");
		return;
	}
	hh_log(HH_LOG_ERROR, "open311 %s failed: %s", r->path, hh_rc_name(rc));
	send_error(r, f, 500, "Der skete en fejl hos os. Prøv igen senere.");
}

/* The format of a resource: the route's {format} (stem NULL), or the
 * extension of "name.ext" in the route parameter (*stem gets a copy of
 * name). Answers 404 and returns 0 when it is neither json nor xml (in
 * JSON: there is nothing else to go by) or the name is empty. */
static int resource(struct hh_req *r, const char *param, const char **stem,
		    enum fmt *f)
{
	const char *v = hh_req_param(r, param), *ext = v;
	size_t stem_len = 0;
	if (stem) {
		const char *dot = v ? strrchr(v, '.') : NULL;
		ext = dot ? dot + 1 : NULL;
		stem_len = dot ? (size_t)(dot - v) : 0;
	}
	*f = FMT_JSON;
	if (ext && !strcmp(ext, "xml")) {
		*f = FMT_XML;
	} else if (!ext || strcmp(ext, "json")) {
		send_error(r, FMT_JSON, 404,
			   "Ukendt format: skriv .json eller .xml efter ressourcen.");
		return 0;
	}
	if (stem) {
		if (!stem_len) {
			send_error(r, *f, 404, "Ressourcen findes ikke.");
			return 0;
		}
		*stem = hh_arena_strndup(&r->arena, v, stem_len);
	}
	return 1;
}

/* At most 60 characters of the client's s (valid UTF-8), to quote it in
 * an error. */
static const char *clip(struct hh_arena *a, const char *s)
{
	size_t n = 0;
	for (int chars = 0; s[n] && chars < 60; chars++)
		do
			n++;
		while (((unsigned char)s[n] & 0xc0) == 0x80);
	return s[n] ? hh_arena_printf(a, "%.*s…", (int)n, s) : s;
}

/* ---- the catalogue: public case types as services (the domain's) ---- */


static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* Loads the public case types (or the one code) for this request; the
 * catalogue lives as long as the request's arena. */
static enum hh_rc catalogue_load(struct hh_req *r, const char *only,
				 struct hh_o311_catalogue **out)
{
	return hh_o311_catalogue_load(r->app->store, &r->arena, only, out);
}

static int jurisdiction(struct hh_req *r, enum fmt f, const char *given,
			struct hh_org *org)
{
	memset(org, 0, sizeof(*org));
	if (!given)
		return 1;
	enum hh_rc rc = hh_org_by_code(r->app->store, &r->arena, given, org);
	if (rc == HH_ERR_NOT_FOUND || (rc == HH_OK && !*given)) {
		send_error(r, f, 404, "jurisdiction_id findes ikke.");
		return 0;
	}
	if (rc != HH_OK) {
		send_rc(r, f, rc);
		return 0;
	}
	return 1;
}

/* ---- services and their definitions ----------------------------------- */

/* The form's fields as Open311 attributes (new reference); the domain
 * says what each type's datatype is and how its values are described. */
static json_t *attributes_json(struct hh_arena *a, const struct hh_form *form)
{
	json_t *list = json_array();
	int order = 0;
	for (int i = 0; i < form->n_fields; i++) {
		const struct hh_form_field *f = &form->fields[i];
		const char *dt = hh_field_ops[f->type].open311_datatype;
		if (!dt)
			continue; /* no upload in GeoReport v2 */
		int required = f->required && !f->when.n_terms;
		json_t *at = json_pack("{s:b, s:s, s:s, s:b, s:s, s:i, s:s?}", "variable", 1,
				       "code", f->name, "datatype", dt, "required", required,
				       "datatype_description", hh_form_field_describe(a, f),
				       "order", ++order, "description", f->label);
		if (f->type == HH_FIELD_CHOICE) {
			json_t *values = json_array();
			for (int k = 0; k < f->n_options; k++)
				json_array_append_new(values,
						      json_pack("{s:s, s:s}", "key",
								f->options[k].value, "name",
								f->options[k].label));
			json_object_set_new(at, "values", values);
		} else if (f->type == HH_FIELD_YESNO) {
			json_object_set_new(at, "values",
					    json_pack("[{s:s, s:s}, {s:s, s:s}]", "key", "ja",
						      "name", "Ja", "key", "nej", "name", "Nej"));
		}
		json_array_append_new(list, at);
	}
	return list;
}

/* "a, b" from the case type's keywords (a string or a list), or NULL. */
static const char *keywords(struct hh_arena *a, json_t *root)
{
	json_t *k = json_object_get(root, "keywords");
	if (json_is_string(k))
		return json_string_value(k);
	if (!json_is_array(k) || !json_array_size(k))
		return NULL;
	struct hh_buf b;
	hh_buf_init(&b);
	size_t i;
	json_t *w;
	json_array_foreach(k, i, w) if (json_is_string(w))
		hh_buf_printf(&b, "%s%s", b.len ? ", " : "", json_string_value(w));
	char *s = hh_arena_strdup(a, hh_buf_str(&b));
	hh_buf_clear(&b);
	return *s ? s : NULL;
}

/* One service (new reference). municipality: the name to show as the
 * group of case types that go to the municipality. */
static json_t *service_json(struct hh_arena *a, const struct hh_o311_service *s,
			    const char *municipality)
{
	json_t *attrs = attributes_json(a, &s->def.form_def);
	const char *description = s->def.description ? s->def.description
						     : s->def.form_def.intro;
	const char *group = str(s->def.root, "group");
	if (!group)
		group = s->org_name ? s->org_name : municipality;
	json_t *j = json_pack("{s:s, s:s, s:s?, s:b, s:s, s:s?, s:s}", "service_code",
			      s->row.code, "service_name", s->row.name, "description",
			      description, "metadata", json_array_size(attrs) > 0,
			      "type", "realtime", "keywords", keywords(a, s->def.root),
			      "group", group);
	json_decref(attrs);
	return j;
}

void hh_open311_services(struct hh_req *r)
{
	enum fmt f;
	if (!resource(r, "format", NULL, &f))
		return;
	struct hh_org j;
	if (!jurisdiction(r, f, hh_req_query(r, "jurisdiction_id"), &j))
		return;
	struct hh_o311_catalogue *c;
	enum hh_rc rc = catalogue_load(r, NULL, &c);
	if (rc != HH_OK) {
		send_rc(r, f, rc);
		return;
	}
	const char *municipality =
		j.id && j.kind == HH_ORG_MUNICIPALITY ? j.name : "Kommunen";
	json_t *list = json_array();
	for (int i = 0; i < c->n; i++)
		if (c->v[i].offered)
			json_array_append_new(list, service_json(&r->arena, &c->v[i],
								 municipality));
	send_doc(r, f, 200, "services", list);
}

/* The public service code (loaded into *out) or an answered 404. */
static int one_service(struct hh_req *r, enum fmt f, const char *code,
		       const struct hh_o311_service **out)
{
	struct hh_o311_catalogue *c;
	enum hh_rc rc = catalogue_load(r, code, &c);
	if (rc == HH_ERR_NOT_FOUND || (rc == HH_OK && !c->v[0].offered)) {
		if (rc == HH_OK)
			send_error(r, f, 404,
				   "Tjenesten %s kræver en vedhæftet fil og kan ikke "
				   "bestilles gennem Open311.",
				   clip(&r->arena, code));
		else
			send_error(r, f, 404, "service_code %s findes ikke.",
				   clip(&r->arena, code));
		return 0;
	}
	if (rc != HH_OK) {
		send_rc(r, f, rc);
		return 0;
	}
	*out = &c->v[0];
	return 1;
}

void hh_open311_service(struct hh_req *r)
{
	enum fmt f;
	const char *code;
	if (!resource(r, "code", &code, &f))
		return;
	const struct hh_o311_service *s;
	if (!one_service(r, f, code, &s))
		return;
	send_doc(r, f, 200, "service_definition",
		 json_pack("{s:s, s:o}", "service_code", s->row.code, "attributes",
			   attributes_json(&r->arena, &s->def.form_def)));
}

/* ---- discovery -------------------------------------------------------- */

/* The configured public address (never the Host header, which the
 * client writes), else the address we listen on. */
static const char *base_url(struct hh_req *r)
{
	if (r->app->public_url)
		return r->app->public_url;
	return hh_arena_printf(&r->arena, "http://127.0.0.1:%d",
			       r->app->server ? hh_server_port(r->app->server) : 0);
}

/* The changeset moves when the services or their definitions change, as
 * this process sees them (the store keeps no time of change for them). */
static pthread_mutex_t changeset_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t changeset_hash;
static int64_t changeset_at;

static uint64_t fnv1a(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return (h ^ 0xff) * 1099511628211ull; /* a separator */
}

static int64_t changeset(const struct hh_o311_catalogue *c)
{
	uint64_t h = 14695981039346656037ull;
	for (int i = 0; i < c->n; i++) {
		h = fnv1a(h, c->v[i].row.code);
		h = fnv1a(h, c->v[i].row.definition);
	}
	pthread_mutex_lock(&changeset_lock);
	if (!changeset_at || h != changeset_hash) {
		changeset_hash = h;
		changeset_at = hh_now_us() / 1000000;
	}
	int64_t at = changeset_at;
	pthread_mutex_unlock(&changeset_lock);
	return at;
}

void hh_open311_discovery(struct hh_req *r)
{
	enum fmt f;
	if (!resource(r, "format", NULL, &f))
		return;
	struct hh_o311_catalogue *c;
	enum hh_rc rc = catalogue_load(r, NULL, &c);
	if (rc != HH_OK) {
		send_rc(r, f, rc);
		return;
	}
	char at[HH_ISO8601_SIZE];
	hh_iso8601_dk(changeset(c), at);
	json_t *doc = json_pack(
		"{s:s, s:s, s:s, s:[{s:s, s:s, s:s, s:s, s:[s, s]}]}", "changeset", at,
		"contact",
		"Spørgsmål om tjenesterne og deres sager besvarer den kommune eller "
		"myndighed, der behandler dem. Spørgsmål om API'et: kontakt "
		"driften af helhed hos den organisation, der har udstedt din "
		"API-nøgle.",
		"key_service",
		"Alle kan læse tjenester og sager uden nøgle. For at oprette sager "
		"skal du have en API-nøgle (api_key), som en administrator i en "
		"kommune eller myndighed udsteder til jer med 'helhed token add'.",
		"endpoints", "specification", SPEC_URL, "url",
		hh_arena_printf(&r->arena, "%s/open311/v2", base_url(r)), "changeset",
		at, "type", "production", "formats", "text/xml", "application/json");
	send_doc(r, f, 200, "discovery", doc);
}

/* ---- service requests: the public view of a case ---------------------- */

/* The location kept with a case: what Open311 sent, else the first
 * address field of its form. Sets members of j. */
static void location_json(json_t *j, const struct hh_o311_service *s, json_t *data)
{
	json_t *src = json_object_get(data, DATA_KEY);
	const char *address = str(src, "address_string");
	for (int i = 0; !address && i < s->def.form_def.n_fields; i++) {
		const struct hh_form_field *f = &s->def.form_def.fields[i];
		if (f->type == HH_FIELD_ADDRESS)
			address = str(data, f->name);
	}
	if (address)
		json_object_set_new(j, "address", json_string(address));
	if (str(src, "address_id"))
		json_object_set(j, "address_id", json_object_get(src, "address_id"));
	json_t *lat = json_object_get(src, "lat"), *lon = json_object_get(src, "long");
	if (json_is_number(lat) && json_is_number(lon)) {
		json_object_set(j, "lat", lat);
		json_object_set(j, "long", lon);
	}
}

/* A case as a service request, without personal data (new reference);
 * personal: of a personal service, so without its location too. */
static json_t *request_json(struct hh_arena *a, const struct hh_case *c,
			    const struct hh_o311_service *s, int personal)
{
	const struct hh_ct_state *st = hh_ct_state(&s->def, c->state);
	char requested[HH_ISO8601_SIZE], updated[HH_ISO8601_SIZE], expected[HH_ISO8601_SIZE];
	hh_iso8601_dk(c->created_at, requested);
	hh_iso8601_dk(c->closed_at    ? c->closed_at
	       : c->updated_at ? c->updated_at
			       : c->created_at,
	       updated);
	/* No expected time once closed, nor while the case waits for the
	 * reporter: the deadline moves on by the time the wait takes. */
	int expect = !c->closed_at && !c->paused_since;
	hh_iso8601_dk(c->deadline_at, expected);
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:s, s:s, s:s?}",
			      "service_request_id", c->public_id, "status",
			      c->closed_at ? "closed" : "open", "status_notes",
			      st ? st->label : c->state, "service_name", s->row.name,
			      "service_code", s->row.code, "agency_responsible",
			      c->org_name, "requested_datetime", requested,
			      "updated_datetime", updated, "expected_datetime",
			      expect ? expected : NULL);
	if (personal)
		return j;
	json_error_t e;
	json_t *data = json_loads(c->data ? c->data : "{}", 0, &e);
	location_json(j, s, data);
	json_decref(data);
	return j;
}

/* The requests q finds, as the specification's list (new reference);
 * token: {service_request_id, token} only. */
static enum hh_rc requests_json(struct hh_req *r, const struct hh_o311_catalogue *cat,
				const struct hh_o311_query *q, int token,
				json_t **out)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_o311_request *found;
	int n;
	enum hh_rc rc = hh_o311_requests_find(r->app->store, &r->arena, &who, cat, q,
					    &found, &n);
	if (rc != HH_OK)
		return rc;
	json_t *items = json_array();
	for (int i = 0; i < n; i++) {
		const struct hh_case *c = &found[i].c;
		if (token) {
			json_array_append_new(items, json_pack("{s:s, s:s}",
							       "service_request_id",
							       c->public_id, "token",
							       c->public_id));
		} else {
			json_array_append_new(items, request_json(&r->arena, c, found[i].s,
								  found[i].personal));
		}
	}
	*out = items;
	return HH_OK;
}

/* Answers one case by the id in the path ({id}.json): requests/{id} and
 * tokens/{id}. */
static void one_request(struct hh_req *r, int token)
{
	enum fmt f;
	const char *stem;
	if (!resource(r, "id", &stem, &f))
		return;
	struct hh_o311_catalogue *cat;
	enum hh_rc rc = catalogue_load(r, NULL, &cat);
	const char *id = stem;
	struct hh_o311_query q = { .ids = &id, .n_ids = 1, .max = 1 };
	json_t *items = NULL;
	if (rc == HH_OK && hh_o311_id_ok(id))
		rc = requests_json(r, cat, &q, token, &items);
	if (rc != HH_OK) {
		send_rc(r, f, rc);
		return;
	}
	if (!json_array_size(items)) {
		json_decref(items);
		send_error(r, f, 404, "%s findes ikke.",
			   token ? "token_id" : "service_request_id");
		return;
	}
	send_doc(r, f, 200, "service_requests", items);
}

void hh_open311_request(struct hh_req *r)
{
	one_request(r, 0);
}

void hh_open311_token(struct hh_req *r)
{
	one_request(r, 1);
}

/* Parses "a1…, b2…,c3…" (public ids) into at most max ids. Returns the
 * count, -1 when malformed or too many. */
static int parse_ids(struct hh_arena *a, const char *s, const char ***out, int max)
{
	int n = 0;
	const char **ids = hh_arena_alloc(a, (size_t)max * sizeof(*ids));
	while (*s) {
		while (*s == ' ')
			s++;
		size_t len = strcspn(s, ",");
		char *one = hh_arena_strndup(a, s, len);
		for (size_t k = strlen(one); k && one[k - 1] == ' '; k--)
			one[k - 1] = 0;
		if (!hh_o311_id_ok(one) || n == max)
			return -1;
		ids[n++] = one;
		s += len;
		if (*s == ',' && !*++s)
			return -1; /* a trailing comma */
	}
	*out = ids;
	return n ? n : -1;
}

void hh_open311_requests(struct hh_req *r)
{
	enum fmt f;
	if (!resource(r, "format", NULL, &f))
		return;
	struct hh_o311_catalogue *cat;
	enum hh_rc rc = catalogue_load(r, NULL, &cat);
	if (rc != HH_OK) {
		send_rc(r, f, rc);
		return;
	}
	struct hh_o311_query x = { .want_open = 1, .want_closed = 1,
				   .max = MAX_REQUESTS };
	const char *ids = hh_req_query(r, "service_request_id");
	if (ids) {
		/* the specification: a list of ids overrides every other
		 * argument */
		const char **list;
		x.n_ids = parse_ids(&r->arena, ids, &list, MAX_REQUESTS);
		if (x.n_ids < 0) {
			send_error(r, f, 400,
				   "service_request_id skal være en kommasepareret "
				   "liste med højst %d id'er, hvert på 24 tegn "
				   "(0-9 og a-f), som de står i svaret på en "
				   "oprettelse.",
				   MAX_REQUESTS);
			return;
		}
		x.ids = list;
	} else {
		struct hh_org j;
		if (!jurisdiction(r, f, hh_req_query(r, "jurisdiction_id"), &j))
			return;
		x.f.org_id = j.id;
		x.f.sort = HH_SORT_NEWEST;
		const char *code = hh_req_query(r, "service_code");
		if (code) {
			const struct hh_o311_service *s = NULL;
			for (int i = 0; i < cat->n && !s; i++)
				if (!strcmp(cat->v[i].row.code, code))
					s = &cat->v[i];
			if (!s) {
				send_error(r, f, 404, "service_code %s findes ikke.",
					   clip(&r->arena, code));
				return;
			}
			x.f.case_type_id = s->row.id;
		}
		const char *status = hh_req_query(r, "status");
		if (status) {
			x.want_open = x.want_closed = 0;
			char *s = hh_arena_strdup(&r->arena, status), *save = NULL;
			int bad = !*s;
			for (char *t = strtok_r(s, ", ", &save); t;
			     t = strtok_r(NULL, ", ", &save)) {
				if (!strcmp(t, "open"))
					x.want_open = 1;
				else if (!strcmp(t, "closed"))
					x.want_closed = 1;
				else
					bad = 1;
			}
			if (bad || (!x.want_open && !x.want_closed)) {
				send_error(r, f, 400, "status skal være open, closed "
						      "eller open,closed.");
				return;
			}
			x.f.open_only = !x.want_closed;
		}
		const char *sd = hh_req_query(r, "start_date"),
			   *ed = hh_req_query(r, "end_date");
		if ((sd && !hh_iso8601_parse(sd, &x.start)) ||
		    (ed && !hh_iso8601_parse(ed, &x.end))) {
			send_error(r, f, 400,
				   "%s skal være en dato og tid efter ISO 8601, fx "
				   "2025-11-01T00:00:00+01:00.",
				   sd && !hh_iso8601_parse(sd, &x.start) ? "start_date"
								       : "end_date");
			return;
		}
		if (sd && ed && x.end < x.start) {
			send_error(r, f, 400, "end_date ligger før start_date.");
			return;
		}
		if (sd && ed && x.end - x.start > MAX_SPAN) {
			send_error(r, f, 400,
				   "start_date og end_date må højst ligge 90 dage "
				   "fra hinanden.");
			return;
		}
		if (!sd && !ed) {
			x.start = hh_now_us() / 1000000 - MAX_SPAN;
			x.end = INT64_MAX;
		} else if (!ed) {
			x.end = x.start + MAX_SPAN;
		} else if (!sd) {
			x.start = x.end - MAX_SPAN;
		}
	}
	json_t *items;
	rc = requests_json(r, cat, &x, 0, &items);
	if (rc != HH_OK) {
		send_rc(r, f, rc);
		return;
	}
	send_doc(r, f, 200, "service_requests", items);
}

/* ---- making a request ------------------------------------------------- */

struct param {
	const char *key, *value;
};

#define MAX_PARAMS 200

static int hexval(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

/* Decodes n bytes of a form-urlencoded component into the arena, or NULL
 * for a broken %-escape or a result that is not UTF-8 without NULs. */
static char *form_component(struct hh_arena *a, const char *s, size_t n)
{
	char *out = hh_arena_alloc(a, n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+') {
			out[k++] = ' ';
		} else if (s[i] == '%') {
			if (i + 2 >= n)
				return NULL;
			int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return NULL;
			out[k++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			out[k++] = s[i];
		}
	}
	out[k] = 0;
	return hh_utf8_valid(out, k) ? out : NULL;
}

/* Splits an application/x-www-form-urlencoded body. Returns the count, or
 * -1 (malformed), -2 (too many). */
static int parse_form(struct hh_arena *a, const char *body, size_t len,
		      struct param *out)
{
	int n = 0;
	size_t i = 0;
	while (i < len) {
		const char *s = body + i;
		const char *amp = memchr(s, '&', len - i);
		size_t part = amp ? (size_t)(amp - s) : len - i;
		i += part + 1;
		if (!part)
			continue;
		if (n == MAX_PARAMS)
			return -2;
		const char *eq = memchr(s, '=', part);
		size_t klen = eq ? (size_t)(eq - s) : part;
		out[n].key = form_component(a, s, klen);
		out[n].value = eq ? form_component(a, eq + 1, part - klen - 1) : "";
		if (!out[n].key || !out[n].value || !*out[n].key)
			return -1;
		n++;
	}
	return n;
}

static const char *param(const struct param *ps, int n, const char *key)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(ps[i].key, key))
			return ps[i].value;
	return NULL;
}

/* The parameters of POST requests besides attribute[CODE], with their
 * longest value in characters. */
static const struct {
	const char *name;
	size_t max;
} known_params[] = {
	{ "api_key", 100 },	 { "jurisdiction_id", 100 }, { "service_code", 100 },
	{ "lat", 40 },		 { "long", 40 },	     { "address_string", 500 },
	{ "address_id", 200 },	 { "email", 254 },	     { "device_id", 200 },
	{ "account_id", 200 },	 { "first_name", 200 },	     { "last_name", 200 },
	{ "phone", 40 },	 { "description", 4000 },    { "media_url", 2000 },
};

/* What the standard parameters fill when the client gave no attribute for
 * them: the first form field of the type. */
static const struct {
	const char *param;
	enum hh_field_type type;
} fills[] = {
	{ "address_string", HH_FIELD_ADDRESS },
	{ "email", HH_FIELD_EMAIL },
	{ "phone", HH_FIELD_PHONE },
	{ "description", HH_FIELD_TEXTAREA },
};

/* The parameter a field's value came from, for error messages. */
struct origin {
	const char *field, *param;
};

static int parse_coordinate(const char *s, double min, double max, double *out)
{
	char *end;
	if (!s || !*s || isspace((unsigned char)*s))
		return 0;
	*out = strtod(s, &end);
	return !*end && isfinite(*out) && *out >= min && *out <= max;
}

static int url_ok(const char *s)
{
	if (strncmp(s, "https://", 8) && strncmp(s, "http://", 7))
		return 0;
	const char *host = strstr(s, "://") + 3;
	if (!*host || *host == '/')
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == '"' || *s == '<' || *s == '>' ||
		    *s == '\\' || *s == '^' || *s == '`' || *s == '{' ||
		    *s == '|' || *s == '}')
			return 0;
	return 1;
}

/* Is every parameter known (or attribute[CODE]), given once, and not too
 * long? Else answers 400 and returns 0. */
static int params_ok(struct hh_req *r, enum fmt f, const struct param *ps, int n)
{
	for (int i = 0; i < n; i++) {
		const char *k = ps[i].key;
		size_t max = 0;
		if (!strncmp(k, "attribute[", 10)) {
			size_t kl = strlen(k);
			if (kl < 12 || kl > 11 + 40 || k[kl - 1] != ']' ||
			    strcspn(k + 10, "[]") != kl - 11) {
				send_error(r, f, 400, "Parameteren %s kan ikke læses: skriv "
						      "attribute[KODE]=værdi.",
					   clip(&r->arena, k));
				return 0;
			}
			max = 5000;
		}
		for (size_t j = 0; !max && j < sizeof(known_params) / sizeof(known_params[0]); j++)
			if (!strcmp(k, known_params[j].name))
				max = known_params[j].max;
		if (!max) {
			send_error(r, f, 400, "Ukendt parameter: %s.", clip(&r->arena, k));
			return 0;
		}
		for (int j = 0; j < i; j++)
			if (!strcmp(ps[j].key, k)) {
				send_error(r, f, 400, "Parameteren %s er sendt mere end én "
						      "gang.",
					   clip(&r->arena, k));
				return 0;
			}
		if (hh_utf8_len(ps[i].value) > max) {
			send_error(r, f, 400, "%s er for lang: højst %zu tegn.",
				   clip(&r->arena, k), max);
			return 0;
		}
	}
	return 1;
}

static int is_form_type(const char *ct)
{
	static const char form[] = "application/x-www-form-urlencoded";
	size_t n = sizeof(form) - 1;
	return ct && !strncasecmp(ct, form, n) &&
	       (!ct[n] || ct[n] == ';' || ct[n] == ' ');
}

/* The form values (new reference, freed with the request): the
 * attribute[CODE] parameters, then the standard parameters for the first
 * field of their type that the client left out (*origins records those,
 * for error messages). */
static json_t *form_values(struct hh_req *r, const struct hh_o311_service *s,
			   const struct param *ps, int n, struct origin *origins,
			   int *n_origins)
{
	json_t *values = json_object();
	hh_arena_defer(&r->arena, hh_json_release, values);
	for (int i = 0; i < n; i++) {
		if (strncmp(ps[i].key, "attribute[", 10))
			continue;
		const char *name = hh_arena_strndup(&r->arena, ps[i].key + 10,
						    strlen(ps[i].key) - 11);
		const char *v = ps[i].value;
		const struct hh_form_field *fd = hh_form_field(&s->def.form_def, name);
		/* datatype datetime: a client may send a time too */
		if (fd && fd->type == HH_FIELD_DATE && strlen(v) > 10 && v[10] == 'T')
			v = hh_arena_strndup(&r->arena, v, 10);
		json_object_set_new(values, name, json_string(v));
	}
	*n_origins = 0;
	for (size_t i = 0; i < sizeof(fills) / sizeof(fills[0]); i++) {
		const char *v = param(ps, n, fills[i].param);
		if (!v || !*v)
			continue;
		for (int k = 0; k < s->def.form_def.n_fields; k++) {
			const struct hh_form_field *fd = &s->def.form_def.fields[k];
			if (fd->type != fills[i].type)
				continue;
			if (!json_object_get(values, fd->name) &&
			    hh_form_field_applies(fd, values)) {
				json_object_set_new(values, fd->name, json_string(v));
				origins[(*n_origins)++] =
					(struct origin){ fd->name, fills[i].param };
			}
			break; /* the first field of the type only */
		}
	}
	return values;
}

/* The form's errors, each naming its attribute (and the parameter that
 * filled it), as a 400. */
static void send_form_errors(struct hh_req *r, enum fmt f, const struct hh_o311_service *s,
			     const struct hh_form_result *res,
			     const struct origin *origins, int n_origins)
{
	json_t *errors = json_array();
	for (int i = 0; i < res->n_errors; i++) {
		const struct hh_form_msg *m = &res->errors[i];
		const char *from = NULL;
		for (int k = 0; k < n_origins; k++)
			if (!strcmp(origins[k].field, m->field))
				from = origins[k].param;
		const struct hh_form_field *fd = hh_form_field(&s->def.form_def, m->field);
		const char *msg = m->message;
		if (fd && fd->type == HH_FIELD_FILE)
			msg = hh_arena_printf(&r->arena,
					      "»%s« er en fil, og filer kan ikke sendes "
					      "gennem Open311.",
					      fd->label);
		const char *d =
			from ? hh_arena_printf(&r->arena, "%s (attribute[%s]): %s", from,
					       m->field, msg)
			     : hh_arena_printf(&r->arena, "attribute[%s]: %s", m->field, msg);
		json_array_append_new(errors, json_pack("{s:i, s:s}", "code", 400,
							"description", d));
	}
	send_errors(r, f, 400, errors);
}

/* Who sends the request. */
struct o311_key {
	struct hh_principal who;
	struct hh_org org;
};

/* The api_key (a parameter of the body, or "Authorization: Bearer KEY")
 * and whose it is; else answers 400 (in the query string, or two
 * different keys), 403 (or the store's error) and returns 0. */
static int request_key(struct hh_req *r, enum fmt f, const struct param *ps,
		       int n, struct o311_key *key)
{
	if (hh_req_query(r, "api_key")) {
		send_error(r, f, 400,
			   "api_key må ikke stå i adressen, hvor den kan havne i "
			   "logfiler og historik. Send den i POST-bodyen som "
			   "api_key=NØGLE eller i headeren Authorization: Bearer "
			   "NØGLE.");
		return 0;
	}
	const char *api_key = param(ps, n, "api_key");
	const char *auth = hh_req_header(r, "Authorization");
	const char *bearer = auth && !strncasecmp(auth, "Bearer ", 7) ? auth + 7 : NULL;
	if (api_key && bearer && strcmp(api_key, bearer)) {
		send_error(r, f, 400, "api_key i bodyen og i Authorization-headeren "
				      "er forskellige: send nøglen ét sted.");
		return 0;
	}
	if (!api_key)
		api_key = bearer;
	if (!api_key || !*api_key) {
		send_error(r, f, 403, "api_key mangler: en sag kan kun oprettes med "
				      "en API-nøgle.");
		return 0;
	}
	enum hh_rc rc = hh_o311_key(r->app->store, &r->arena, api_key, &key->who,
				    &key->org);
	if (rc == HH_ERR_FORBIDDEN) {
		send_error(r, f, 403, "api_key må ikke oprette sager.");
		return 0;
	}
	if (rc == HH_ERR_NOT_FOUND) {
		send_error(r, f, 403, "api_key er ukendt eller spærret.");
		return 0;
	}
	if (rc != HH_OK) {
		send_rc(r, f, rc);
		return 0;
	}
	return 1;
}

/* What Open311 sent beside the form, kept with the case (borrowed: freed
 * with the request); NULL after answering 400. */
static json_t *source_json(struct hh_req *r, enum fmt f, const struct param *ps,
			   int n)
{
	json_t *extra = json_object();
	hh_arena_defer(&r->arena, hh_json_release, extra);
	const char *lat_s = param(ps, n, "lat"), *long_s = param(ps, n, "long");
	if (lat_s || long_s) {
		double lat, lon;
		if (!parse_coordinate(lat_s, -90, 90, &lat) ||
		    !parse_coordinate(long_s, -180, 180, &lon)) {
			send_error(r, f, 400,
				   "lat og long skal begge angives som WGS84-grader, "
				   "fx lat=57.048 og long=9.919.");
			return NULL;
		}
		json_object_set_new(extra, "lat", json_real(lat));
		json_object_set_new(extra, "long", json_real(lon));
	}
	const char *media = param(ps, n, "media_url");
	if (media && *media && !url_ok(media)) {
		send_error(r, f, 400, "media_url skal være en http- eller https-adresse.");
		return NULL;
	}
	static const char *const kept[] = { "address_string", "address_id", "email",
					    "first_name", "last_name", "phone",
					    "description", "media_url", "device_id",
					    "account_id" };
	for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
		const char *v = param(ps, n, kept[i]);
		if (v && *v)
			json_object_set_new(extra, kept[i], json_string(v));
	}
	return extra;
}

void hh_open311_request_create(struct hh_req *r)
{
	enum fmt f;
	if (!resource(r, "format", NULL, &f))
		return;
	if (r->body.len && !is_form_type(hh_req_header(r, "Content-Type"))) {
		send_error(r, f, 400,
			   "Send parametrene som application/x-www-form-urlencoded.");
		return;
	}
	struct param *ps = hh_arena_alloc(&r->arena, MAX_PARAMS * sizeof(*ps));
	int n = parse_form(&r->arena, hh_buf_str(&r->body), r->body.len, ps);
	if (n < 0) {
		send_error(r, f, 400,
			   n == -2 ? "For mange parametre (højst %d)."
				   : "Parametrene kan ikke læses: de skal være "
				     "URL-kodet UTF-8.",
			   MAX_PARAMS);
		return;
	}

	struct o311_key key;
	if (!request_key(r, f, ps, n, &key))
		return;

	if (!params_ok(r, f, ps, n))
		return;

	/* the service and where the case goes */
	const char *code = param(ps, n, "service_code");
	if (!code || !*code) {
		send_error(r, f, 400, "service_code mangler.");
		return;
	}
	const struct hh_o311_service *s;
	if (!one_service(r, f, code, &s))
		return;
	const char *dest = s->def.organisation;
	const char *dest_name = s->org_name;
	if (!strcmp(dest, "municipality")) {
		if (key.org.kind != HH_ORG_MUNICIPALITY) {
			send_error(r, f, 403,
				   "Tjenesten %s behandles af kommunen, så api_key skal "
				   "tilhøre en kommune.",
				   s->row.code);
			return;
		}
		dest = key.org.code;
		dest_name = key.org.name;
	}
	/* the key's roles, for the organisation the case goes to */
	struct hh_actor as;
	hh_actor_from(&key.who, &as);
	int64_t dest_id;
	if (hh_o311_may_create(&as, s, &key.org, &dest_id) != HH_OK) {
		send_error(r, f, 403,
			   "api_key har ingen rolle, der må oprette sager i "
			   "tjenesten %s hos %s.",
			   s->row.code, dest_name ? dest_name : dest);
		return;
	}
	struct hh_org j;
	if (!jurisdiction(r, f, param(ps, n, "jurisdiction_id"), &j))
		return;
	if (j.id && strcmp(j.code, dest)) {
		send_error(r, f, 400,
			   "jurisdiction_id passer ikke: sagen behandles af %s (%s).",
			   dest_name ? dest_name : dest, dest);
		return;
	}

	json_t *extra = source_json(r, f, ps, n);
	if (!extra)
		return;

	struct origin origins[sizeof(fills) / sizeof(fills[0])];
	int n_origins;
	json_t *values = form_values(r, s, ps, n, origins, &n_origins);

	struct hh_submission sub = {
		.case_type = s->row.code,
		.municipality_id = key.org.kind == HH_ORG_MUNICIPALITY ? key.org.id : 0,
		.values = values,
		.actor = hh_arena_printf(&r->arena, "token:%lld", (long long)key.who.token_id),
		.public_only = 1,
		.extra_key = DATA_KEY,
		.extra = extra,
	};
	struct hh_form_result res;
	struct hh_case c;
	int replayed;
	const char *why;
	enum hh_submit_fault fault = HH_SUBMIT_FINE;
	enum hh_rc rc = hh_case_submit(r->app->store, &r->arena, &sub, &res, &c,
				       &replayed, &why, &fault);
	if (res.values)
		hh_arena_defer(&r->arena, hh_json_release, res.values);
	if (rc == HH_ERR_INVALID && res.n_errors) {
		send_form_errors(r, f, s, &res, origins, n_origins);
		return;
	}
	if (rc == HH_ERR_INVALID) {
		if (fault == HH_SUBMIT_MUNICIPALITY)
			send_error(r, f, 403, "api_key skal tilhøre en kommune.");
		else
			send_error(r, f, 404, "service_code findes ikke.");
		return;
	}
	if (rc != HH_OK) {
		send_rc(r, f, rc);
		return;
	}
	const char *due = hh_date_da(&r->arena, c.deadline_at);
	const char *notice = hh_arena_printf(
		&r->arena, "Sagen er modtaget af %s og forventes behandlet senest %s.",
		c.org_name ? c.org_name : dest, due);
	send_doc(r, f, 200, "service_requests",
		 json_pack("[{s:s, s:s, s:n}]", "service_request_id", c.public_id,
			   "service_notice", notice, "account_id"));
}

/* Any other path under /open311/v2/: the specification's 404. */
void hh_open311_not_found(struct hh_req *r)
{
	size_t n = strlen(r->path);
	enum fmt f = n > 4 && !strcmp(r->path + n - 4, ".xml") ? FMT_XML : FMT_JSON;
	send_error(r, f, 404, "Ressourcen findes ikke. Se %s/open311/v2/discovery.json.",
		   base_url(r));
}
