/* test_open311.c - Open311 GeoReport v2 end to end over HTTP: discovery,
 * services, service definitions, making requests with an API key and
 * reading them back, each in JSON and in XML (the XML parsed and compared
 * with the JSON); every error a client can hit; the public view's lack of
 * personal data; and, last, every JSON body the tests received checked
 * against the GeoReport v2 JSON Schemas by ajv (tests/open311/validate.mjs).
 *
 * The file includes open311.c to reach its list item names (item_name).
 * One server serves the group; case types come from a small content folder
 * written here, plus the real ones in content/case-types. */
#include "testutil.h"

#include <ctype.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "api/open311.c"
#include "domain/cases.h"

struct ctx {
	struct tu_server s;
	char *content; /* the test's content folder */
	char *saved;   /* every JSON body received, for validate.mjs */
	int n_saved;
	int saved_kinds[7]; /* how many of each of kinds[] */
	char key901[HH_TOKEN_CHARS], key902[HH_TOKEN_CHARS], keyudk[HH_TOKEN_CHARS];
	char cw901[HH_TOKEN_CHARS], ed901[HH_TOKEN_CHARS]; /* a caseworker's, an
							     editor's key */
	int64_t old_case;     /* made 100 days ago */
	int64_t citizen_case; /* a signed-in citizen's: never public */
	int64_t vej_case;     /* made by open_request_made_and_read */
};

static struct ctx *C;

/* ---- the test's case types -------------------------------------------- */

static const char *const vejfejl_json =
	"{\"name\": \"Fejl på vej & fortov <test>\", \"organisation\": \"municipality\","
	" \"kle\": \"05.01.00\", \"deadline\": \"P7D\", \"public\": true,"
	" \"keywords\": [\"vej\", \"hul\"],"
	" \"description\": \"Huller, \\\"lys\\\" & skilte.\", \"initial\": \"modtaget\","
	" \"states\": [{\"key\": \"modtaget\", \"label\": \"Modtaget\"},"
	"  {\"key\": \"i_gang\", \"label\": \"Udbedring i gang\"},"
	"  {\"key\": \"afventer\", \"label\": \"Afventer dig\", \"paused\": true},"
	"  {\"key\": \"udbedret\", \"label\": \"Udbedret\", \"final\": true}],"
	" \"transitions\": [{\"from\": \"modtaget\", \"to\": \"i_gang\", \"role\": \"caseworker\"},"
	"  {\"from\": \"i_gang\", \"to\": \"udbedret\", \"role\": \"caseworker\"}],"
	" \"form\": {\"title\": \"Meld en fejl\", \"fields\": ["
	"  {\"name\": \"kategori\", \"type\": \"choice\", \"label\": \"Hvad er galt?\","
	"   \"required\": true, \"options\": [{\"value\": \"hul\", \"label\": \"Hul i vejen\"},"
	"   {\"value\": \"lys\", \"label\": \"Gadelys & lygter\"}]},"
	"  {\"name\": \"sted\", \"type\": \"address\", \"label\": \"Hvor?\", \"required\": true,"
	"   \"help\": \"Nærmeste adresse.\"},"
	"  {\"name\": \"lygte\", \"type\": \"text\", \"label\": \"Lygtepælens nummer\","
	"   \"required\": true, \"max_length\": 20,"
	"   \"when\": {\"field\": \"kategori\", \"equals\": \"lys\"}},"
	"  {\"name\": \"beskrivelse\", \"type\": \"textarea\", \"label\": \"Beskriv fejlen\","
	"   \"required\": true, \"min_length\": 10, \"max_length\": 500},"
	"  {\"name\": \"antal\", \"type\": \"number\", \"label\": \"Hvor mange huller?\","
	"   \"min\": 1, \"max\": 10},"
	"  {\"name\": \"dato\", \"type\": \"date\", \"label\": \"Hvornår så du det?\"},"
	"  {\"name\": \"akut\", \"type\": \"yesno\", \"label\": \"Er det farligt?\"},"
	"  {\"name\": \"foto\", \"type\": \"file\", \"label\": \"Foto\"},"
	"  {\"name\": \"email\", \"type\": \"email\", \"label\": \"Din e-mail\"},"
	"  {\"name\": \"cpr\", \"type\": \"cpr\", \"label\": \"Dit CPR-nummer\"},"
	"  {\"name\": \"telefon\", \"type\": \"phone\", \"label\": \"Dit telefonnummer\"}]}}";

static const char *const pension_json =
	"{\"name\": \"Pension\", \"organisation\": \"udk\", \"deadline\": \"P30D\","
	" \"public\": true, \"initial\": \"modtaget\","
	" \"states\": [{\"key\": \"modtaget\", \"label\": \"Modtaget\"},"
	"  {\"key\": \"afgjort\", \"label\": \"Afgjort\", \"final\": true}],"
	" \"transitions\": [{\"from\": \"modtaget\", \"to\": \"afgjort\"}],"
	" \"form\": {\"title\": \"Pension\", \"intro\": \"Søg pension.\", \"fields\": ["
	"  {\"name\": \"start\", \"type\": \"date\", \"label\": \"Fra hvornår?\", \"required\": true}]}}";

static const char *const enkel_json =
	"{\"name\": \"Enkel henvendelse\", \"organisation\": \"udk\", \"deadline\": \"P5D\","
	" \"public\": true, \"initial\": \"modtaget\", \"group\": \"Henvendelser\","
	" \"states\": [{\"key\": \"modtaget\", \"label\": \"Modtaget\"}]}";

static const char *const intern_json =
	"{\"name\": \"Intern\", \"organisation\": \"municipality\", \"deadline\": \"P5D\","
	" \"public\": false, \"initial\": \"modtaget\","
	" \"states\": [{\"key\": \"modtaget\", \"label\": \"Modtaget\"}]}";

/* a service about a person: bulky waste fetched at home */
static const char *const storskrald_json =
	"{\"name\": \"Storskrald\", \"organisation\": \"municipality\", \"deadline\": \"P14D\","
	" \"public\": true, \"personal\": true, \"initial\": \"modtaget\","
	" \"states\": [{\"key\": \"modtaget\", \"label\": \"Modtaget\"}],"
	" \"form\": {\"title\": \"Storskrald\", \"fields\": ["
	"  {\"name\": \"adresse\", \"type\": \"address\", \"label\": \"Hvor?\", \"required\": true}]}}";

static const char *const regning_json =
	"{\"name\": \"Regning\", \"organisation\": \"municipality\", \"deadline\": \"P5D\","
	" \"public\": true, \"initial\": \"modtaget\","
	" \"states\": [{\"key\": \"modtaget\", \"label\": \"Modtaget\"}],"
	" \"form\": {\"title\": \"Regning\", \"fields\": ["
	"  {\"name\": \"bilag\", \"type\": \"file\", \"label\": \"Regningen\", \"required\": true}]}}";

/* ---- helpers ------------------------------------------------------------ */

static const char *const kinds[7] = { "errors",   "discovery", "service-definition",
				      "services", "token",     "post-response",
				      "requests" };

/* Which schema a JSON body falls under (see validate.mjs). */
static const char *kind_of(const char *method, const char *path, long status)
{
	if (status >= 400)
		return "errors";
	if (!strncmp(path, "discovery.", 10))
		return "discovery";
	if (!strncmp(path, "services/", 9))
		return "service-definition";
	if (!strncmp(path, "services.", 9))
		return "services";
	if (!strncmp(path, "tokens/", 7))
		return "token";
	if (!strcmp(method, "POST"))
		return "post-response";
	return "requests";
}

/* method path (under /open311/v2/) with an optional form body (sent as
 * application/x-www-form-urlencoded unless hdrs say otherwise). Saves a
 * JSON body for validate.mjs. */
static struct tu_resp call_h(const char *method, const char *path,
			     const char *body, const char *const *hdrs)
{
	char url[1024];
	snprintf(url, sizeof(url), "%s/open311/v2/%s", C->s.base, path);
	const char *h[8];
	int n = 0, own_ct = 0;
	for (int i = 0; hdrs && hdrs[i]; i++) {
		own_ct |= !strncasecmp(hdrs[i], "Content-Type:", 13);
		h[n++] = hdrs[i];
	}
	if (body && !own_ct)
		h[n++] = "Content-Type: application/x-www-form-urlencoded";
	h[n] = NULL;
	struct tu_resp r = tu_http(method, url, body, h, NULL);
	char ct[128] = "";
	tu_header(&r, "Content-Type", ct, sizeof(ct));
	if (!strncmp(ct, "application/json", 16)) {
		assert_string_equal(ct, "application/json; charset=utf-8");
		assert_non_null(r.json);
		char file[4200];
		const char *kind = kind_of(method, path, r.status);
		for (int i = 0; i < 7; i++)
			C->saved_kinds[i] += !strcmp(kinds[i], kind);
		snprintf(file, sizeof(file), "%s/%s--%03d.json", C->saved, kind,
			 ++C->n_saved);
		tu_write(file, r.body);
	} else if (!strncmp(ct, "text/xml", 8)) {
		assert_string_equal(ct, "text/xml; charset=utf-8");
	}
	return r;
}

static struct tu_resp call(const char *method, const char *path, const char *body)
{
	return call_h(method, path, body, NULL);
}

/* A form body from name, value pairs (NULL-terminated); new string. */
static char *form(const char *first, ...)
{
	struct hh_buf b;
	hh_buf_init(&b);
	va_list ap;
	va_start(ap, first);
	for (const char *k = first; k; k = va_arg(ap, const char *)) {
		const char *v = va_arg(ap, const char *);
		if (b.len)
			hh_buf_putc(&b, '&');
		hh_buf_urlenc(&b, k);
		hh_buf_putc(&b, '=');
		hh_buf_urlenc(&b, v);
	}
	va_end(ap);
	return hh_buf_steal(&b);
}

/* The one error of an Open311 error response, checked in full. */
static void expect_error(const struct tu_resp *r, long status, const char *has)
{
	if (r->status != status)
		fprintf(stderr, "unexpected %ld: %s\n", r->status, r->body);
	assert_int_equal(r->status, status);
	assert_true(json_is_array(r->json));
	assert_true(json_array_size(r->json) >= 1);
	size_t i;
	json_t *e;
	int found = 0;
	json_array_foreach(r->json, i, e)
	{
		assert_int_equal(json_object_size(e), 2);
		assert_int_equal(json_integer_value(json_object_get(e, "code")), status);
		const char *d = json_string_value(json_object_get(e, "description"));
		assert_non_null(d);
		assert_true(*d);
		if (!has || strstr(d, has))
			found = 1;
	}
	if (!found)
		fprintf(stderr, "no error with '%s' in %s\n", has, r->body);
	assert_true(found);
}

/* ---- a strict reader for the XML we write --------------------------- */

/* Elements without attributes; text with the five entities and &#N;.
 * A list element (its name ends in "s") becomes an array of its
 * children, another element with children an object, an empty element
 * null, and text a string. NULL when the document is not well-formed. */
struct xp {
	const char *s;
	int bad;
};

static void xp_ws(struct xp *p)
{
	while (*p->s == ' ' || *p->s == '\n' || *p->s == '\t' || *p->s == '\r')
		p->s++;
}

static int xp_name(struct xp *p, char *out, size_t size)
{
	size_t n = 0;
	while (islower((unsigned char)*p->s) || *p->s == '_' ||
	       isdigit((unsigned char)*p->s)) {
		if (n + 1 >= size)
			return 0;
		out[n++] = *p->s++;
	}
	out[n] = 0;
	return n > 0;
}

static json_t *xp_element(struct xp *p, char *name, size_t nsize)
{
	if (*p->s != '<')
		goto bad;
	p->s++;
	if (!xp_name(p, name, nsize))
		goto bad;
	if (!strncmp(p->s, "/>", 2)) {
		p->s += 2;
		return json_null();
	}
	if (*p->s != '>')
		goto bad;
	p->s++;
	const char *save = p->s;
	xp_ws(p);
	json_t *v;
	if (*p->s == '<' && p->s[1] != '/') {
		size_t n = strlen(name);
		int list = n > 1 && name[n - 1] == 's';
		v = list ? json_array() : json_object();
		while (*p->s == '<' && p->s[1] != '/') {
			char child[64];
			json_t *c = xp_element(p, child, sizeof(child));
			if (!c) {
				json_decref(v);
				return NULL;
			}
			if (list) {
				json_array_append_new(v, c);
			} else {
				if (json_object_get(v, child))
					p->bad = 1;
				json_object_set_new(v, child, c);
			}
			xp_ws(p);
		}
	} else {
		p->s = save;
		struct hh_buf b;
		hh_buf_init(&b);
		while (*p->s && *p->s != '<') {
			if (*p->s == '>' || (unsigned char)*p->s < 0x20 - (*p->s == '\n'))
				p->bad = 1;
			if (*p->s != '&') {
				hh_buf_putc(&b, *p->s++);
				continue;
			}
			static const char *const ents[][2] = { { "&amp;", "&" },
							       { "&lt;", "<" },
							       { "&gt;", ">" },
							       { "&quot;", "\"" },
							       { "&apos;", "'" } };
			int ok = 0;
			for (int i = 0; i < 5 && !ok; i++)
				if (!strncmp(p->s, ents[i][0], strlen(ents[i][0]))) {
					hh_buf_puts(&b, ents[i][1]);
					p->s += strlen(ents[i][0]);
					ok = 1;
				}
			if (!ok)
				p->bad = 1, p->s++;
		}
		v = json_string(hh_buf_str(&b));
		hh_buf_clear(&b);
		if (!v)
			p->bad = 1, v = json_null(); /* not UTF-8 */
	}
	char end[64];
	if (strncmp(p->s, "</", 2)) {
		json_decref(v);
		goto bad;
	}
	p->s += 2;
	if (!xp_name(p, end, sizeof(end)) || strcmp(end, name) || *p->s != '>') {
		json_decref(v);
		goto bad;
	}
	p->s++;
	return v;
bad:
	p->bad = 1;
	return NULL;
}

static int quiet_xml; /* while testing the reader on bad XML */

/* Parses an XML response: the declaration, then root; NULL if bad. */
static json_t *xml_parse(const char *s, const char *root)
{
	static const char decl[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
	if (strncmp(s, decl, sizeof(decl) - 1))
		return NULL;
	struct xp p = { s + sizeof(decl) - 1, 0 };
	xp_ws(&p);
	char name[64];
	json_t *v = xp_element(&p, name, sizeof(name));
	xp_ws(&p);
	if (!v || p.bad || *p.s || strcmp(name, root)) {
		if (!quiet_xml)
			fprintf(stderr, "bad XML (%s) near: %.80s\n", name, p.s);
		json_decref(v);
		return NULL;
	}
	return v;
}

/* Does the XML reading x say what the JSON j says? */
static int same(json_t *j, json_t *x)
{
	char buf[64];
	switch (json_typeof(j)) {
	case JSON_NULL:
		return json_is_null(x);
	case JSON_ARRAY: {
		if (!json_array_size(j))
			return json_is_null(x);
		if (!json_is_array(x) || json_array_size(x) != json_array_size(j))
			return 0;
		for (size_t i = 0; i < json_array_size(j); i++)
			if (!same(json_array_get(j, i), json_array_get(x, i)))
				return 0;
		return 1;
	}
	case JSON_OBJECT: {
		if (!json_object_size(j))
			return json_is_null(x);
		if (!json_is_object(x) || json_object_size(x) != json_object_size(j))
			return 0;
		const char *k;
		json_t *v;
		json_object_foreach(j, k, v) if (!same(v, json_object_get(x, k)))
		{
			fprintf(stderr, "XML differs at %s\n", k);
			return 0;
		}
		return 1;
	}
	case JSON_STRING:
		return json_is_string(x) &&
		       !strcmp(json_string_value(j), json_string_value(x));
	case JSON_INTEGER:
		snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(j));
		return json_is_string(x) && !strcmp(buf, json_string_value(x));
	case JSON_REAL:
		return json_is_string(x) &&
		       fabs(strtod(json_string_value(x), NULL) - json_real_value(j)) < 1e-9;
	case JSON_TRUE:
	case JSON_FALSE:
		return json_is_string(x) &&
		       !strcmp(json_string_value(x), json_is_true(j) ? "true" : "false");
	}
	return 0;
}

/* Fetches path.json and path.xml and checks that the XML (under root)
 * says the same. Returns the JSON response. */
static struct tu_resp both(const char *path, const char *root, long status)
{
	char p[600];
	snprintf(p, sizeof(p), "%s.json", path);
	struct tu_resp j = call("GET", p, NULL);
	if (j.status != status)
		fprintf(stderr, "%s: %ld %s\n", p, j.status, j.body);
	assert_int_equal(j.status, status);
	snprintf(p, sizeof(p), "%s.xml", path);
	struct tu_resp x = call("GET", p, NULL);
	assert_int_equal(x.status, status);
	char ct[128];
	assert_true(tu_header(&x, "Content-Type", ct, sizeof(ct)));
	assert_string_equal(ct, "text/xml; charset=utf-8");
	json_t *doc = xml_parse(x.body, root);
	assert_non_null(doc);
	if (!same(j.json, doc))
		fprintf(stderr, "JSON %s\nXML %s\n", j.body, x.body);
	assert_true(same(j.json, doc));
	json_decref(doc);
	tu_resp_free(&x);
	return j;
}

/* POSTs a request and checks XML against JSON the same way: the body is
 * sent twice, so only for errors (nothing is made). */
static struct tu_resp post_both(const char *body, long status)
{
	struct tu_resp j = call("POST", "requests.json", body);
	struct tu_resp x = call("POST", "requests.xml", body);
	if (j.status != status)
		fprintf(stderr, "unexpected %ld: %s\n", j.status, j.body);
	assert_int_equal(j.status, status);
	assert_int_equal(x.status, status);
	json_t *doc = xml_parse(x.body, "errors");
	assert_non_null(doc);
	assert_true(same(j.json, doc));
	json_decref(doc);
	tu_resp_free(&x);
	return j;
}

static json_t *find_by(json_t *list, const char *key, const char *value)
{
	size_t i;
	json_t *e;
	json_array_foreach(list, i, e)
	{
		const char *v = json_string_value(json_object_get(e, key));
		if (v && !strcmp(v, value))
			return e;
	}
	return NULL;
}

static const char *s_of(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* Is s "YYYY-MM-DDTHH:MM:SS+0H:00" (Danish time)? */
static int dk_time(const char *s)
{
	if (!s || strlen(s) != 25)
		return 0;
	int64_t t;
	return s[10] == 'T' && (!strcmp(s + 19, "+01:00") || !strcmp(s + 19, "+02:00")) &&
	       hh_iso8601_parse(s, &t);
}

struct ev_ctx {
	int64_t id;
	char want[32];
	int submits;
};

static enum hh_rc ev_row(void *p, const struct hh_event *e)
{
	struct ev_ctx *x = p;
	if (!strcmp(e->action, "submit") && !strncmp(e->actor, x->want, strlen(x->want)))
		x->submits++;
	return HH_OK;
}

static enum hh_rc events_tx(struct hh_tx *tx, void *p)
{
	struct ev_ctx *x = p;
	struct hh_arena a;
	hh_arena_init(&a);
	x->submits = 0;
	enum hh_rc rc = tx->store->event_list(tx, &a, "case", x->id, ev_row, x);
	hh_arena_clear(&a);
	return rc;
}

struct case_ctx {
	struct hh_case c;
	struct hh_arena a;
	int64_t id;
};

static enum hh_rc case_get_tx(struct hh_tx *tx, void *p)
{
	struct case_ctx *x = p;
	return tx->store->case_get(tx, &x->a, x->id, &x->c);
}

/* The public id (Open311's service_request_id) of case id, into out. */
static const char *pub_of(int64_t id, char out[32])
{
	struct case_ctx cc = { .id = id };
	hh_arena_init(&cc.a);
	assert_int_equal(hh_store_run_tx(C->s.store, 0, case_get_tx, &cc), HH_OK);
	assert_non_null(cc.c.public_id);
	snprintf(out, 32, "%s", cc.c.public_id);
	hh_arena_clear(&cc.a);
	return out;
}

static enum hh_rc first_id(void *p, const struct hh_case *c)
{
	*(int64_t *)p = c->id;
	return HH_OK;
}

struct by_pub {
	const char *pub;
	int64_t id;
};

static enum hh_rc by_pub_tx(struct hh_tx *tx, void *p)
{
	struct by_pub *x = p;
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_case_filter f = { .public_id = x->pub };
	enum hh_rc rc = tx->store->case_list(tx, &a, &f, 0, 1, NULL, first_id, &x->id);
	hh_arena_clear(&a);
	return rc;
}

/* The case (internal id) of a public id Open311 answered with; 0: none. */
static int64_t case_of(const char *pub)
{
	struct by_pub x = { pub, 0 };
	assert_int_equal(hh_store_run_tx(C->s.store, 0, by_pub_tx, &x), HH_OK);
	return x.id;
}

/* ---- group setup ----------------------------------------------------- */

static void write_ct(const char *dir, const char *code, const char *json)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/case-types/%s.json", dir, code);
	tu_write(path, json);
}

static enum hh_rc citizen_tx(struct hh_tx *tx, void *p)
{
	struct hh_citizen *z = p;
	struct hh_org o;
	struct hh_arena a;
	hh_arena_init(&a);
	enum hh_rc rc = tx->store->org_get_by_code(tx, &a, "901", &o);
	z->municipality_id = o.id;
	hh_arena_clear(&a);
	return rc == HH_OK ? tx->store->citizen_put(tx, z) : rc;
}

struct old_ctx {
	int64_t id;
};

/* A case made through Open311 100 days ago (before the default range). */
static enum hh_rc old_case_tx(struct hh_tx *tx, void *p)
{
	struct old_ctx *x = p;
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_case_type ct;
	struct hh_org o;
	enum hh_rc rc = tx->store->case_type_get_by_code(tx, &a, "vejfejl", &ct);
	if (rc == HH_OK)
		rc = tx->store->org_get_by_code(tx, &a, "901", &o);
	if (rc == HH_OK) {
		int64_t then = hh_now_us() / 1000000 - 100 * 86400;
		struct hh_case c = { .case_type_id = ct.id, .org_id = o.id,
				     .state = "modtaget",
				     .data = "{\"sted\": \"Gammel Vej 1, 9000 Aalborg\"}",
				     .created_at = then, .deadline_at = then + 7 * 86400 };
		rc = tx->store->case_insert(tx, &c);
		x->id = c.id;
	}
	hh_arena_clear(&a);
	return rc;
}

static int setup(void **state)
{
	C = hh_xcalloc(1, sizeof(*C));
	tu_server_start(&C->s, 1);
	C->content = tu_tmpdir();
	C->saved = tu_tmpdir();
	char path[4200];
	snprintf(path, sizeof(path), "%s/case-types", C->content);
	assert_int_equal(mkdir(path, 0700), 0);
	write_ct(C->content, "vejfejl", vejfejl_json);
	write_ct(C->content, "pension", pension_json);
	write_ct(C->content, "enkel", enkel_json);
	write_ct(C->content, "intern", intern_json);
	write_ct(C->content, "regning", regning_json);
	write_ct(C->content, "storskrald", storskrald_json);
	struct hh_import_stats stats;
	assert_int_equal(hh_content_import(C->s.store, C->content, 0, stderr, NULL,
					   NULL, &stats),
			 HH_OK);
	assert_int_equal(stats.case_types, 6);
	/* the real case types too (their organisations first): their
	 * services must match the schemas as well. A file another writer
	 * has half done is reported and skipped, not fatal here. */
	char *real = tu_tmpdir();
	snprintf(path, sizeof(path),
		 "cp content/organisations.json '%s'/ && mkdir '%s'/case-types && "
		 "cp content/case-types/*.json '%s'/case-types/ && "
		 "cp -r content/letter-templates '%s'/", /* letters */
		 real, real, real, real);
	assert_int_equal(system(path), 0);
	enum hh_rc rc = hh_content_import(C->s.store, real, 0, stderr, NULL, NULL,
					  &stats);
	assert_true(rc == HH_OK || rc == HH_ERR_INVALID);
	tu_rmdir(real);

	assert_int_equal(hh_auth_token_add(C->s.store, "901", "open311 901",
					   HH_ROLE_AGENT, "test", C->key901),
			 HH_OK);
	assert_int_equal(hh_auth_token_add(C->s.store, "902", "open311 902",
					   HH_ROLE_AGENT, "test", C->key902),
			 HH_OK);
	assert_int_equal(hh_auth_token_add(C->s.store, "udk", "open311 udk",
					   HH_ROLE_AGENT, "test", C->keyudk),
			 HH_OK);
	assert_int_equal(hh_auth_token_add(C->s.store, "901", "sagssystem 901",
					   HH_ROLE_CASEWORKER, "test", C->cw901),
			 HH_OK);
	assert_int_equal(hh_auth_token_add(C->s.store, "901", "cms 901",
					   HH_ROLE_EDITOR, "test", C->ed901),
			 HH_OK);

	struct old_ctx old = { 0 };
	assert_int_equal(hh_store_run_tx(C->s.store, 1, old_case_tx, &old), HH_OK);
	C->old_case = old.id;

	/* a citizen's own case, sent in while signed in */
	struct hh_citizen z = { .subject = "test:open311", .name = "Signe Borger",
				.cpr = "0101011234" };
	assert_int_equal(hh_store_run_tx(C->s.store, 1, citizen_tx, &z), HH_OK);
	json_t *values = json_pack("{s:s, s:s, s:s}", "kategori", "hul", "sted",
				   "Privatvej 7, 9000 Aalborg", "beskrivelse",
				   "Hul foran mit hus, meget privat.");
	struct hh_submission sub = { .case_type = "vejfejl", .citizen_id = z.id,
				     .municipality_id = z.municipality_id,
				     .values = values, .actor = "citizen:1",
				     .loa = HH_LOA_SUBSTANTIAL };
	struct hh_form_result res;
	struct hh_case c;
	int replayed;
	const char *why;
	struct hh_arena a;
	hh_arena_init(&a);
	assert_int_equal(hh_case_submit(C->s.store, &a, &sub, &res, &c, &replayed, &why, NULL),
			 HH_OK);
	C->citizen_case = c.id;
	json_decref(res.values);
	json_decref(values);
	hh_arena_clear(&a);
	*state = C;
	return 0;
}

static int teardown(void **state)
{
	tu_server_stop(&C->s);
	tu_rmdir(C->content);
	tu_rmdir(C->saved);
	free(C);
	return 0;
}

/* ---- escaping (the clock is tested in tests/core/test_dktime.c) ------- */

static void xml_text_is_escaped(void **state)
{
	struct hh_buf b;
	hh_buf_init(&b);
	hh_xml_text(&b, "a&b<c>\"d'\x01\x1f\te\nø");
	assert_string_equal(hh_buf_str(&b), "a&amp;b&lt;c&gt;&quot;d&apos;\te\nø");
	hh_buf_clear(&b);
	/* the writer and the test's reader agree on a whole document */
	json_t *doc = json_pack("{s:s, s:[{s:i, s:b, s:n, s:f}], s:[]}", "a",
				"<&>", "items", "n", 3, "ok", 1, "none", "x", 1.5,
				"values");
	hh_buf_init(&b);
	hh_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
	hh_xml_element(&b, "doc", doc, 0, item_name);
	json_t *back = xml_parse(hh_buf_str(&b), "doc");
	assert_non_null(back);
	assert_true(same(doc, back));
	json_decref(back);
	json_decref(doc);
	hh_buf_clear(&b);
	/* and the reader refuses what is not well-formed */
	quiet_xml = 1;
	assert_null(xml_parse("<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>x</b>", "a"));
	assert_null(xml_parse("<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>x & y</a>", "a"));
	assert_null(xml_parse("<?xml version=\"1.0\" encoding=\"UTF-8\"?><a><b/>", "a"));
	assert_null(xml_parse("<a>x</a>", "a"));
	quiet_xml = 0;
	(void)state;
}

/* ---- discovery and services ------------------------------------------ */

static void discovery_names_this_endpoint(void **state)
{
	struct tu_resp r = both("discovery", "discovery", 200);
	char url[128];
	json_t *ep = json_array_get(json_object_get(r.json, "endpoints"), 0);
	assert_non_null(strstr(s_of(ep, "url"), "/open311/v2"));
	assert_int_equal(strncmp(s_of(ep, "url"), C->s.base, strlen(C->s.base)), 0);
	assert_string_equal(s_of(ep, "specification"), "http://wiki.open311.org/GeoReport_v2");
	assert_string_equal(s_of(ep, "type"), "production");
	json_t *formats = json_object_get(ep, "formats");
	assert_int_equal(json_array_size(formats), 2);
	assert_true(dk_time(s_of(r.json, "changeset")));
	assert_string_equal(s_of(r.json, "changeset"), s_of(ep, "changeset"));
	assert_non_null(strstr(s_of(r.json, "key_service"), "api_key"));
	assert_true(*s_of(r.json, "contact"));
	tu_resp_free(&r);

	/* the Host header is never reflected: without a configured public
	 * address the URL is the one we listen on, whatever Host says */
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/open311/v2",
		 hh_server_port(C->s.app.server));
	const char *h[] = { "Host: open311.nordskov.dk", NULL };
	r = call_h("GET", "discovery.json", NULL, h);
	ep = json_array_get(json_object_get(r.json, "endpoints"), 0);
	assert_string_equal(s_of(ep, "url"), url);
	tu_resp_free(&r);
	const char *h2[] = { "Host: x\"><evil", NULL };
	r = call_h("GET", "discovery.json", NULL, h2);
	ep = json_array_get(json_object_get(r.json, "endpoints"), 0);
	assert_string_equal(s_of(ep, "url"), url);
	tu_resp_free(&r);
	/* the configured public address is used, and only it */
	C->s.app.public_url = "https://selvbetjening.nordskov.dk";
	r = call_h("GET", "discovery.json", NULL, h);
	ep = json_array_get(json_object_get(r.json, "endpoints"), 0);
	assert_string_equal(s_of(ep, "url"),
			    "https://selvbetjening.nordskov.dk/open311/v2");
	tu_resp_free(&r);
	C->s.app.public_url = NULL;
	(void)state;
}

static void services_are_the_public_case_types(void **state)
{
	struct tu_resp r = both("services", "services", 200);
	assert_true(json_is_array(r.json));
	json_t *v = find_by(r.json, "service_code", "vejfejl");
	assert_non_null(v);
	assert_int_equal(json_object_size(v), 7);
	assert_string_equal(s_of(v, "service_name"), "Fejl på vej & fortov <test>");
	assert_string_equal(s_of(v, "description"), "Huller, \"lys\" & skilte.");
	assert_true(json_is_true(json_object_get(v, "metadata")));
	assert_string_equal(s_of(v, "type"), "realtime");
	assert_string_equal(s_of(v, "keywords"), "vej, hul");
	assert_string_equal(s_of(v, "group"), "Kommunen");
	json_t *p = find_by(r.json, "service_code", "pension");
	assert_non_null(p);
	assert_string_equal(s_of(p, "description"), "Søg pension."); /* the intro */
	assert_string_equal(s_of(p, "group"), "Udbetaling Danmark");
	assert_true(json_is_null(json_object_get(p, "keywords")));
	json_t *e = find_by(r.json, "service_code", "enkel");
	assert_non_null(e);
	assert_true(json_is_false(json_object_get(e, "metadata"))); /* no form */
	assert_string_equal(s_of(e, "group"), "Henvendelser");
	assert_true(json_is_null(json_object_get(e, "description")));
	/* not public, or needing a file upload: not offered */
	assert_null(find_by(r.json, "service_code", "intern"));
	assert_null(find_by(r.json, "service_code", "regning"));
	/* the real case types are there too, each with its definition */
	assert_true(json_array_size(r.json) > 3);
	size_t i;
	json_t *s;
	json_array_foreach(r.json, i, s)
	{
		char path[200];
		snprintf(path, sizeof(path), "services/%s", s_of(s, "service_code"));
		struct tu_resp d = both(path, "service_definition", 200);
		assert_string_equal(s_of(d.json, "service_code"), s_of(s, "service_code"));
		assert_int_equal(json_array_size(json_object_get(d.json, "attributes")) > 0,
				 json_is_true(json_object_get(s, "metadata")));
		tu_resp_free(&d);
	}
	tu_resp_free(&r);

	/* jurisdiction_id: a municipality names the group of its services */
	r = call("GET", "services.json?jurisdiction_id=902", NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(s_of(find_by(r.json, "service_code", "vejfejl"), "group"),
			    "Åstrup Kommune");
	tu_resp_free(&r);
	r = call("GET", "services.xml?jurisdiction_id=999", NULL);
	assert_int_equal(r.status, 404);
	json_t *x = xml_parse(r.body, "errors");
	assert_non_null(x);
	assert_string_equal(s_of(json_array_get(x, 0), "code"), "404");
	assert_non_null(strstr(s_of(json_array_get(x, 0), "description"), "jurisdiction_id"));
	json_decref(x);
	tu_resp_free(&r);
	(void)state;
}

static json_t *attribute(json_t *def, const char *code)
{
	return find_by(json_object_get(def, "attributes"), "code", code);
}

static void service_definition_maps_the_form(void **state)
{
	struct tu_resp r = both("services/vejfejl", "service_definition", 200);
	assert_int_equal(json_object_size(r.json), 2);
	assert_string_equal(s_of(r.json, "service_code"), "vejfejl");
	json_t *attrs = json_object_get(r.json, "attributes");
	/* every field but the file, in the form's order */
	const char *codes[] = { "kategori", "sted", "lygte", "beskrivelse", "antal",
				"dato", "akut", "email", "cpr", "telefon" };
	const char *types[] = { "singlevaluelist", "string", "string", "text", "number",
				"datetime", "singlevaluelist", "string", "string",
				"string" };
	assert_int_equal(json_array_size(attrs), 10);
	for (size_t i = 0; i < 10; i++) {
		json_t *a = json_array_get(attrs, i);
		assert_string_equal(s_of(a, "code"), codes[i]);
		assert_string_equal(s_of(a, "datatype"), types[i]);
		assert_true(json_is_true(json_object_get(a, "variable")));
		assert_int_equal(json_integer_value(json_object_get(a, "order")), i + 1);
		assert_true(*s_of(a, "datatype_description"));
	}
	assert_null(attribute(r.json, "foto"));
	json_t *k = attribute(r.json, "kategori");
	assert_true(json_is_true(json_object_get(k, "required")));
	assert_string_equal(s_of(k, "description"), "Hvad er galt?");
	json_t *vals = json_object_get(k, "values");
	assert_int_equal(json_array_size(vals), 2);
	assert_string_equal(s_of(json_array_get(vals, 1), "key"), "lys");
	assert_string_equal(s_of(json_array_get(vals, 1), "name"), "Gadelys & lygter");
	/* required only when: not required, and the description says when */
	json_t *l = attribute(r.json, "lygte");
	assert_true(json_is_false(json_object_get(l, "required")));
	assert_non_null(strstr(s_of(l, "datatype_description"),
			       "Skal udfyldes, når attribute[kategori] er \"lys\""));
	assert_non_null(strstr(s_of(l, "datatype_description"), "højst 20 tegn"));
	assert_non_null(strstr(s_of(attribute(r.json, "sted"), "datatype_description"),
			       "Nærmeste adresse."));
	assert_non_null(strstr(s_of(attribute(r.json, "beskrivelse"), "datatype_description"),
			       "10 til 500 tegn"));
	assert_non_null(strstr(s_of(attribute(r.json, "antal"), "datatype_description"),
			       "fra 1 til 10"));
	assert_non_null(strstr(s_of(attribute(r.json, "dato"), "datatype_description"),
			       "ÅÅÅÅ-MM-DD"));
	json_t *yn = json_object_get(attribute(r.json, "akut"), "values");
	assert_int_equal(json_array_size(yn), 2);
	assert_string_equal(s_of(json_array_get(yn, 0), "key"), "ja");
	assert_string_equal(s_of(json_array_get(yn, 1), "key"), "nej");
	assert_true(json_is_false(json_object_get(attribute(r.json, "antal"), "required")));
	tu_resp_free(&r);

	/* a service without a form has no attributes: <attributes/> */
	r = both("services/enkel", "service_definition", 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "attributes")), 0);
	tu_resp_free(&r);

	/* unknown, not public, needing a file */
	r = both("services/findes-ikke", "errors", 404);
	expect_error(&r, 404, "service_code");
	tu_resp_free(&r);
	r = both("services/intern", "errors", 404);
	expect_error(&r, 404, "service_code");
	tu_resp_free(&r);
	r = both("services/regning", "errors", 404);
	expect_error(&r, 404, "vedhæftet fil");
	tu_resp_free(&r);
	(void)state;
}

static void bad_formats_and_paths_are_404(void **state)
{
	const char *paths[] = { "services.html", "services.JSON", "discovery.csv",
				"requests.yaml", "services/vejfejl.csv", "services/vejfejl",
				"requests/1.txt", "requests/1", "tokens/1.", "services/.json" };
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct tu_resp r = call("GET", paths[i], NULL);
		expect_error(&r, 404, NULL);
		tu_resp_free(&r);
	}
	/* a path that is nothing: the error in the format asked for */
	struct tu_resp r = both("ingenting", "errors", 404);
	expect_error(&r, 404, "discovery.json");
	tu_resp_free(&r);
	/* a known resource with another method */
	r = call("DELETE", "services.json", NULL);
	assert_int_equal(r.status, 405);
	tu_resp_free(&r);
	r = call("POST", "services.json", "a=b");
	assert_int_equal(r.status, 405);
	tu_resp_free(&r);
	(void)state;
}

/* ---- making requests ----------------------------------------------- */

static void making_a_request_needs_a_good_key(void **state)
{
	char *b = form("service_code", "vejfejl", "attribute[kategori]", "hul", NULL);
	struct tu_resp r = post_both(b, 403);
	expect_error(&r, 403, "api_key mangler");
	tu_resp_free(&r);
	free(b);
	b = form("api_key", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "service_code",
		 "vejfejl", NULL);
	r = post_both(b, 403);
	expect_error(&r, 403, "api_key er ukendt");
	tu_resp_free(&r);
	free(b);
	b = form("api_key", "kort", "service_code", "vejfejl", NULL);
	r = call("POST", "requests.json", b);
	expect_error(&r, 403, "api_key er ukendt");
	tu_resp_free(&r);
	free(b);
	/* the case type goes to the municipality: an agency's key cannot */
	b = form("api_key", C->keyudk, "service_code", "vejfejl", NULL);
	r = post_both(b, 403);
	expect_error(&r, 403, "kommune");
	tu_resp_free(&r);
	free(b);
	(void)state;
}

/* The key's roles decide, by the access table, with the organisation the
 * case goes to; the key itself comes in the body or a header, never in
 * the address. */
static void the_keys_roles_decide(void **state)
{
	/* an editor's key has no role that makes requests */
	char *b = form("api_key", C->ed901, "service_code", "vejfejl",
		       "attribute[kategori]", "hul", "attribute[sted]", "Vestergade 3, 9000 Aalborg",
		       "attribute[beskrivelse]", "Hul ved kantstenen.", NULL);
	struct tu_resp r = post_both(b, 403);
	expect_error(&r, 403, "api_key må ikke oprette sager");
	tu_resp_free(&r);
	free(b);
	/* a caseworker's key: its own municipality's service, yes ... */
	b = form("api_key", C->cw901, "service_code", "vejfejl", "attribute[kategori]",
		 "hul", "attribute[sted]", "Vestergade 3, 9000 Aalborg", "attribute[beskrivelse]",
		 "Hul ved kantstenen.", NULL);
	r = call("POST", "requests.json", b);
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	free(b);
	/* ... an agency's service, no (a front desk's key may: agency_request_in_xml) */
	b = form("api_key", C->cw901, "service_code", "pension", "attribute[start]",
		 "2027-01-01", NULL);
	r = post_both(b, 403);
	expect_error(&r, 403, "ingen rolle");
	assert_non_null(strstr(r.body, "pension"));
	assert_non_null(strstr(r.body, "Udbetaling Danmark"));
	tu_resp_free(&r);
	free(b);

	/* api_key in the query string is refused, whatever else is sent */
	char url[200];
	snprintf(url, sizeof(url), "requests.json?api_key=%s", C->key901);
	b = form("service_code", "vejfejl", "attribute[kategori]", "hul", NULL);
	r = call("POST", url, b);
	expect_error(&r, 400, "POST-bodyen");
	assert_non_null(strstr(r.body, "Authorization: Bearer"));
	tu_resp_free(&r);
	snprintf(url, sizeof(url), "requests.xml?api_key=%s", C->key901);
	r = call("POST", url, b);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "<code>400</code>"));
	tu_resp_free(&r);
	free(b);
	b = form("api_key", C->key901, "service_code", "vejfejl", NULL);
	snprintf(url, sizeof(url), "requests.json?api_key=%s", C->key901);
	r = call("POST", url, b);
	expect_error(&r, 400, "api_key");
	tu_resp_free(&r);
	/* two different keys: refused */
	char auth[200];
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", C->key902);
	const char *h[] = { auth, NULL };
	r = call_h("POST", "requests.json", b, h);
	expect_error(&r, 400, "forskellige");
	tu_resp_free(&r);
	free(b);
	/* an editor's key in the header is still an editor's */
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", C->ed901);
	b = form("service_code", "vejfejl", NULL);
	r = call_h("POST", "requests.json", b, h);
	expect_error(&r, 403, "api_key må ikke oprette sager");
	tu_resp_free(&r);
	free(b);
	(void)state;
}

/* A request of a service about a person is made, but never listed, and
 * by its public id shows its status without where it is. */
static void personal_requests_are_not_public(void **state)
{
	char *b = form("api_key", C->key901, "service_code", "storskrald",
		       "attribute[adresse]", "Rosenvænget 14, 9000 Aalborg", "lat",
		       "57.0400", "long", "9.9100", "address_id", "adr-99", NULL);
	struct tu_resp r = call("POST", "requests.json", b);
	free(b);
	assert_int_equal(r.status, 200);
	char id[32];
	snprintf(id, sizeof(id), "%s", s_of(json_array_get(r.json, 0), "service_request_id"));
	assert_int_equal(strlen(id), 24);
	tu_resp_free(&r);
	/* not in any list: not by default, nor by its service or place */
	const char *lists[] = { "requests.json", "requests.json?service_code=storskrald",
				"requests.json?jurisdiction_id=901",
				"requests.json?status=open" };
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		r = call("GET", lists[i], NULL);
		assert_int_equal(r.status, 200);
		assert_null(find_by(r.json, "service_request_id", id));
		assert_null(find_by(r.json, "service_code", "storskrald"));
		assert_null(strstr(r.body, "Rosenvænget"));
		tu_resp_free(&r);
	}
	/* by its id: status and times, no location */
	char path[128];
	snprintf(path, sizeof(path), "requests/%s", id);
	r = both(path, "service_requests", 200);
	json_t *q = json_array_get(r.json, 0);
	assert_string_equal(s_of(q, "service_request_id"), id);
	assert_string_equal(s_of(q, "status"), "open");
	assert_string_equal(s_of(q, "service_code"), "storskrald");
	assert_null(json_object_get(q, "address"));
	assert_null(json_object_get(q, "address_id"));
	assert_null(json_object_get(q, "lat"));
	assert_null(json_object_get(q, "long"));
	assert_null(strstr(r.body, "Rosenvænget"));
	assert_null(strstr(r.body, "adr-99"));
	tu_resp_free(&r);
	snprintf(path, sizeof(path), "requests.json?service_request_id=%s", id);
	r = call("GET", path, NULL);
	assert_int_equal(json_array_size(r.json), 1);
	assert_null(strstr(r.body, "Rosenvænget"));
	tu_resp_free(&r);
	/* the real content marks its services about persons, and only them */
	struct hh_o311_catalogue *cat;
	struct hh_arena a;
	hh_arena_init(&a);
	assert_int_equal(hh_o311_catalogue_load(C->s.store, &a, NULL, &cat), HH_OK);
	const char *personal[] = { "flytning-anmeldelse", "storskrald-afhentning",
				   "parkeringstilladelse", "skilsmisse", "folkepension" };
	for (size_t i = 0; i < sizeof(personal) / sizeof(personal[0]); i++) {
		int found = 0;
		for (int k = 0; k < cat->n; k++)
			if (!strcmp(cat->v[k].row.code, personal[i])) {
				assert_true(cat->v[k].def.personal);
				found = 1;
			}
		assert_true(found);
	}
	for (int k = 0; k < cat->n; k++)
		if (!strcmp(cat->v[k].row.code, "fejl-paa-vej") ||
		    !strcmp(cat->v[k].row.code, "vejfejl"))
			assert_false(cat->v[k].def.personal);
	hh_arena_clear(&a);
	(void)state;
}

static void bad_requests_are_400_naming_the_problem(void **state)
{
	const char *k = C->key901;
	struct {
		char *body;
		long status;
		const char *says;
	} cases[] = {
		{ form("api_key", k, NULL), 400, "service_code mangler" },
		{ form("api_key", k, "service_code", "findes-ikke", NULL), 404, "service_code" },
		{ form("api_key", k, "service_code", "intern", NULL), 404, "service_code" },
		{ form("api_key", k, "service_code", "regning", NULL), 404, "fil" },
		{ form("api_key", k, "service_code", "vejfejl", "jurisdiction_id", "999", NULL),
		  404, "jurisdiction_id" },
		{ form("api_key", k, "service_code", "vejfejl", "jurisdiction_id", "902", NULL),
		  400, "jurisdiction_id passer ikke" },
		{ form("api_key", k, "service_code", "vejfejl", "farve", "rød", NULL), 400,
		  "Ukendt parameter: farve" },
		{ form("api_key", k, "service_code", "vejfejl", "attribute[", "x", NULL), 400,
		  "attribute[KODE]" },
		{ form("api_key", k, "service_code", "vejfejl", "attribute[a][]", "x", NULL), 400,
		  "attribute[KODE]" },
		{ form("api_key", k, "service_code", "vejfejl",
		       "attribute[a123456789b123456789c123456789d123456789e]", "x", NULL),
		  400, "attribute[KODE]" },
		{ form("api_key", k, "service_code", "vejfejl", "lat", "57.05", NULL), 400,
		  "lat og long" },
		{ form("api_key", k, "service_code", "vejfejl", "lat", "91", "long", "9.9", NULL),
		  400, "lat og long" },
		{ form("api_key", k, "service_code", "vejfejl", "lat", "57,05", "long", "9.9",
		       NULL),
		  400, "lat og long" },
		{ form("api_key", k, "service_code", "vejfejl", "media_url", "javascript:alert(1)",
		       NULL),
		  400, "media_url" },
		{ form("api_key", k, "service_code", "vejfejl", "phone",
		       "1234567890123456789012345678901234567890123", NULL),
		  400, "phone er for lang" },
		/* the form's own checks, each naming its attribute */
		{ form("api_key", k, "service_code", "vejfejl", NULL), 400,
		  "attribute[kategori]: Vælg en af mulighederne." },
		{ form("api_key", k, "service_code", "vejfejl", "attribute[kategori]", "lava",
		       NULL),
		  400, "attribute[kategori]" },
		{ form("api_key", k, "service_code", "vejfejl", "attribute[kategori]", "lys",
		       NULL),
		  400, "attribute[lygte]: Feltet skal udfyldes." },
		{ form("api_key", k, "service_code", "vejfejl", "attribute[sted]", "et sted",
		       NULL),
		  400, "attribute[sted]: Skriv hele adressen" },
		{ form("api_key", k, "service_code", "vejfejl", "attribute[antal]", "99", NULL),
		  400, "attribute[antal]: Tallet må højst være 10." },
		{ form("api_key", k, "service_code", "vejfejl", "attribute[farve]", "rød", NULL),
		  400, "attribute[farve]: Feltet findes ikke i blanketten." },
		{ form("api_key", k, "service_code", "vejfejl", "attribute[foto]", "x.jpg", NULL),
		  400, "attribute[foto]: »Foto« er en fil" },
		{ form("api_key", k, "service_code", "vejfejl", "description", "kort", NULL), 400,
		  "description (attribute[beskrivelse]): Skriv mindst 10 tegn." },
		{ form("api_key", k, "service_code", "vejfejl", "email", "ikke-en-adresse", NULL),
		  400, "email (attribute[email]): Skriv en gyldig e-mailadresse" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tu_resp r = post_both(cases[i].body, cases[i].status);
		expect_error(&r, cases[i].status, cases[i].says);
		tu_resp_free(&r);
		free(cases[i].body);
	}
	/* a long name is quoted cut at a character, not inside one */
	struct hh_buf longname;
	hh_buf_init(&longname);
	for (int i = 0; i < 100; i++)
		hh_buf_puts(&longname, "ø");
	char *b = form("api_key", k, "service_code", "vejfejl", hh_buf_str(&longname), "x",
		       NULL);
	struct tu_resp lr = post_both(b, 400);
	free(b);
	hh_buf_reset(&longname);
	hh_buf_puts(&longname, "Ukendt parameter: ");
	for (int i = 0; i < 60; i++)
		hh_buf_puts(&longname, "ø");
	hh_buf_puts(&longname, "….");
	expect_error(&lr, 400, NULL);
	assert_string_equal(s_of(json_array_get(lr.json, 0), "description"),
			    hh_buf_str(&longname));
	tu_resp_free(&lr);
	hh_buf_clear(&longname);

	/* a parameter twice, broken %-escapes, a NUL, another media type */
	char raw[512];
	snprintf(raw, sizeof(raw), "api_key=%s&service_code=vejfejl&service_code=enkel", k);
	struct tu_resp r = call("POST", "requests.json", raw);
	expect_error(&r, 400, "mere end én gang");
	tu_resp_free(&r);
	snprintf(raw, sizeof(raw), "api_key=%s&service_code=vej%%zzfejl", k);
	r = call("POST", "requests.json", raw);
	expect_error(&r, 400, "URL-kodet UTF-8");
	tu_resp_free(&r);
	snprintf(raw, sizeof(raw), "api_key=%s&service_code=vej%%00fejl", k);
	r = call("POST", "requests.json", raw);
	expect_error(&r, 400, "URL-kodet UTF-8");
	tu_resp_free(&r);
	snprintf(raw, sizeof(raw), "api_key=%s&service_code=vej%%C3fejl", k);
	r = call("POST", "requests.json", raw);
	expect_error(&r, 400, "URL-kodet UTF-8");
	tu_resp_free(&r);
	const char *json_ct[] = { "Content-Type: application/json", NULL };
	r = call_h("POST", "requests.xml", "{\"service_code\": \"vejfejl\"}", json_ct);
	assert_int_equal(r.status, 400);
	json_t *x = xml_parse(r.body, "errors");
	assert_non_null(x);
	assert_non_null(strstr(s_of(json_array_get(x, 0), "description"),
			       "x-www-form-urlencoded"));
	json_decref(x);
	tu_resp_free(&r);
	(void)state;
}

static void open_request_made_and_read(void **state)
{
	char *b = form("api_key", C->key901, "service_code", "vejfejl", "attribute[kategori]",
		       "hul", "attribute[antal]", "3", "attribute[dato]",
		       "2026-03-01T10:00:00+01:00", "attribute[akut]", "ja", "address_string",
		       "Torvet 1, 9000 Aalborg", "description",
		       "Et dybt hul i cykelstien, hemmelig note.", "lat", "57.0488",
		       "long", "9.9217", "email", "anne@eksempel.dk", "first_name", "Anne",
		       "last_name", "Andersen", "phone", "12 34 56 78", "media_url",
		       "https://billeder.example/hul.jpg", "address_id", "0a3f50a1-1",
		       "device_id", "dev-7", NULL);
	struct tu_resp r = call("POST", "requests.json", b);
	free(b);
	if (r.status != 200)
		fprintf(stderr, "%s\n", r.body);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(r.json), 1);
	json_t *made = json_array_get(r.json, 0);
	assert_int_equal(json_object_size(made), 3);
	assert_true(json_is_null(json_object_get(made, "account_id")));
	assert_non_null(strstr(s_of(made, "service_notice"),
			       "modtaget af Nordskov Kommune"));
	char id[32];
	snprintf(id, sizeof(id), "%s", s_of(made, "service_request_id"));
	/* not the case's (counted) id: 24 random hex digits */
	assert_int_equal(strlen(id), 24);
	assert_int_equal(strspn(id, "0123456789abcdef"), 24);
	C->vej_case = case_of(id);
	assert_true(C->vej_case > 0);

	/* the case: at 901, without a citizen, made by the key, with what
	 * Open311 sent kept beside the form values */
	struct case_ctx cc = { .id = C->vej_case };
	hh_arena_init(&cc.a);
	assert_int_equal(hh_store_run_tx(C->s.store, 0, case_get_tx, &cc), HH_OK);
	assert_int_equal(cc.c.citizen_id, 0);
	assert_string_equal(cc.c.org_code, "901");
	json_error_t e;
	json_t *data = json_loads(cc.c.data, 0, &e);
	assert_string_equal(s_of(data, "kategori"), "hul");
	assert_string_equal(s_of(data, "sted"), "Torvet 1, 9000 Aalborg"); /* filled */
	assert_string_equal(s_of(data, "beskrivelse"),
			    "Et dybt hul i cykelstien, hemmelig note.");
	assert_string_equal(s_of(data, "email"), "anne@eksempel.dk");
	assert_string_equal(s_of(data, "telefon"), "12 34 56 78");
	assert_string_equal(s_of(data, "dato"), "2026-03-01");
	assert_int_equal(json_integer_value(json_object_get(data, "antal")), 3);
	json_t *src = json_object_get(data, "open311-source");
	assert_string_equal(s_of(src, "first_name"), "Anne");
	assert_string_equal(s_of(src, "last_name"), "Andersen");
	assert_string_equal(s_of(src, "media_url"), "https://billeder.example/hul.jpg");
	assert_string_equal(s_of(src, "address_id"), "0a3f50a1-1");
	assert_string_equal(s_of(src, "device_id"), "dev-7");
	assert_true(fabs(json_real_value(json_object_get(src, "lat")) - 57.0488) < 1e-9);
	json_decref(data);
	hh_arena_clear(&cc.a);
	tu_resp_free(&r);

	/* read back by anyone, in both formats */
	char path[64];
	snprintf(path, sizeof(path), "requests/%s", id);
	r = both(path, "service_requests", 200);
	assert_int_equal(json_array_size(r.json), 1);
	json_t *q = json_array_get(r.json, 0);
	assert_string_equal(s_of(q, "service_request_id"), id);
	assert_string_equal(s_of(q, "status"), "open");
	assert_string_equal(s_of(q, "status_notes"), "Modtaget");
	assert_string_equal(s_of(q, "service_code"), "vejfejl");
	assert_string_equal(s_of(q, "service_name"), "Fejl på vej & fortov <test>");
	assert_string_equal(s_of(q, "agency_responsible"), "Nordskov Kommune");
	assert_string_equal(s_of(q, "address"), "Torvet 1, 9000 Aalborg");
	assert_string_equal(s_of(q, "address_id"), "0a3f50a1-1");
	assert_true(fabs(json_real_value(json_object_get(q, "lat")) - 57.0488) < 1e-9);
	assert_true(fabs(json_real_value(json_object_get(q, "long")) - 9.9217) < 1e-9);
	assert_true(dk_time(s_of(q, "requested_datetime")));
	assert_true(dk_time(s_of(q, "updated_datetime")));
	assert_true(dk_time(s_of(q, "expected_datetime")));
	int64_t req, due;
	assert_true(hh_iso8601_parse(s_of(q, "requested_datetime"), &req));
	assert_true(hh_iso8601_parse(s_of(q, "expected_datetime"), &due));
	assert_int_equal(due - req, 7 * 86400); /* the deadline: P7D */
	assert_int_equal(json_object_size(q), 13);
	/* nothing personal: no names, contact, description, media, values */
	const char *secret[] = { "Anne", "Andersen", "anne@", "12 34 56 78",
				 "hemmelig", "billeder.example", "dev-7", "ja", "2026-03-01T" };
	for (size_t i = 0; i < sizeof(secret) / sizeof(secret[0]); i++) {
		if (strstr(r.body, secret[i]))
			fprintf(stderr, "'%s' in %s\n", secret[i], r.body);
		assert_null(strstr(r.body, secret[i]));
	}
	tu_resp_free(&r);

	/* its token is its id */
	snprintf(path, sizeof(path), "tokens/%s", id);
	r = both(path, "service_requests", 200);
	assert_string_equal(s_of(json_array_get(r.json, 0), "service_request_id"), id);
	assert_string_equal(s_of(json_array_get(r.json, 0), "token"), id);
	tu_resp_free(&r);

	/* the event names the key */
	struct ev_ctx ev = { 0 };
	snprintf(ev.want, sizeof(ev.want), "token:");
	ev.id = C->vej_case;
	assert_int_equal(hh_store_run_tx(C->s.store, 0, events_tx, &ev), HH_OK);
	assert_int_equal(ev.submits, 1);
	(void)state;
}

static void agency_request_in_xml(void **state)
{
	/* a municipality's front-desk key, a case type at an agency: the
	 * case goes there; api_key may come in a header, and a date with its
	 * time */
	char auth[200];
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", C->key902);
	const char *h[] = { auth, NULL };
	char *b = form("service_code", "pension", "attribute[start]", "2027-01-01", NULL);
	struct tu_resp r = call_h("POST", "requests.xml", b, h);
	free(b);
	assert_int_equal(r.status, 200);
	json_t *x = xml_parse(r.body, "service_requests");
	assert_non_null(x);
	json_t *made = json_array_get(x, 0);
	assert_true(json_is_null(json_object_get(made, "account_id"))); /* <account_id/> */
	assert_non_null(strstr(s_of(made, "service_notice"), "Udbetaling Danmark"));
	char path[64];
	snprintf(path, sizeof(path), "requests/%s", s_of(made, "service_request_id"));
	json_decref(x);
	tu_resp_free(&r);
	r = both(path, "service_requests", 200);
	json_t *q = json_array_get(r.json, 0);
	assert_string_equal(s_of(q, "agency_responsible"), "Udbetaling Danmark");
	assert_string_equal(s_of(q, "service_name"), "Pension");
	assert_null(json_object_get(q, "address")); /* no location known */
	assert_null(json_object_get(q, "lat"));
	tu_resp_free(&r);
	/* the agency's own key may send it too; jurisdiction_id must fit */
	b = form("api_key", C->keyudk, "service_code", "enkel", "jurisdiction_id", "udk",
		 NULL);
	r = call("POST", "requests.json", b);
	free(b);
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	(void)state;
}

/* ---- reading requests ------------------------------------------------ */

/* Is case id (internal) in the list, by its public id? */
static int has_id(json_t *list, int64_t id)
{
	char s[32];
	return find_by(list, "service_request_id", pub_of(id, s)) != NULL;
}

static void paused_requests_stay_open(void **state)
{
	assert_true(C->vej_case > 0);
	char path[64], pub[32];
	snprintf(path, sizeof(path), "requests/%s", pub_of(C->vej_case, pub));
	struct tu_resp r = call("GET", "requests.json", NULL);
	tu_resp_free(&r);
	r = both(path, "service_requests", 200);
	int64_t due_before;
	assert_true(hh_iso8601_parse(s_of(json_array_get(r.json, 0), "expected_datetime"),
				   &due_before));
	tu_resp_free(&r);
	/* the caseworker asks for more: the case waits, still open, with the
	 * state's label and no expected time (the deadline moves on while it
	 * waits) */
	struct hh_actor sys = { .label = "test", .system = 1, .roles = HH_ROLE_ADMIN };
	struct hh_case c;
	struct hh_arena a;
	hh_arena_init(&a);
	assert_int_equal(hh_case_request(C->s.store, &a, &sys, C->vej_case,
					 "Hvor præcis er hullet?", 0, &c),
			 HH_OK);
	hh_arena_clear(&a);
	r = both(path, "service_requests", 200);
	json_t *q = json_array_get(r.json, 0);
	assert_string_equal(s_of(q, "status"), "open");
	assert_string_equal(s_of(q, "status_notes"), "Afventer dig");
	assert_true(due_before > 0);
	assert_true(json_is_null(json_object_get(q, "expected_datetime")));
	assert_null(strstr(r.body, "præcis")); /* the question is not public */
	tu_resp_free(&r);
	(void)state;
}

static void closed_requests_and_filters(void **state)
{
	/* a fresh request taken through to its final state */
	char *b = form("api_key", C->key901, "service_code", "vejfejl", "attribute[kategori]",
		       "hul", "attribute[sted]", "Havnegade 2, 9000 Aalborg",
		       "attribute[beskrivelse]", "Hul i asfalten ved havnen.", NULL);
	struct tu_resp r = call("POST", "requests.json", b);
	free(b);
	assert_int_equal(r.status, 200);
	int64_t done = case_of(s_of(json_array_get(r.json, 0), "service_request_id"));
	assert_true(done > 0);
	tu_resp_free(&r);
	struct hh_actor sys = { .label = "test", .system = 1, .roles = HH_ROLE_ADMIN };
	struct hh_case c;
	struct hh_arena a;
	hh_arena_init(&a);
	assert_int_equal(hh_case_transition(C->s.store, &a, &sys, done, "i_gang", 0, NULL,
					    &c, NULL),
			 HH_OK);
	assert_int_equal(hh_case_transition(C->s.store, &a, &sys, done, "udbedret", 0,
					    NULL, &c, NULL),
			 HH_OK);
	hh_arena_clear(&a);
	char path[64], p1[32], p2[32], p3[32], p4[32];
	snprintf(path, sizeof(path), "requests/%s", pub_of(done, p1));
	r = both(path, "service_requests", 200);
	json_t *q = json_array_get(r.json, 0);
	assert_string_equal(s_of(q, "status"), "closed");
	assert_string_equal(s_of(q, "status_notes"), "Udbedret");
	assert_true(json_is_null(json_object_get(q, "expected_datetime")));
	assert_true(dk_time(s_of(q, "updated_datetime")));
	assert_string_equal(s_of(q, "address"), "Havnegade 2, 9000 Aalborg"); /* the form's */
	tu_resp_free(&r);

	/* the default: the last 90 days, newest first, no citizen's case */
	r = both("requests", "service_requests", 200);
	assert_true(has_id(r.json, done));
	assert_true(has_id(r.json, C->vej_case));
	assert_false(has_id(r.json, C->old_case));
	assert_false(has_id(r.json, C->citizen_case));
	assert_null(strstr(r.body, "Privatvej"));
	int64_t prev = INT64_MAX;
	size_t i;
	json_t *e;
	json_array_foreach(r.json, i, e)
	{
		int64_t id = case_of(s_of(e, "service_request_id"));
		assert_true(id > 0 && id < prev);
		prev = id;
	}
	tu_resp_free(&r);

	/* status */
	r = call("GET", "requests.json?status=closed", NULL);
	assert_int_equal(r.status, 200);
	assert_true(has_id(r.json, done));
	assert_false(has_id(r.json, C->vej_case));
	tu_resp_free(&r);
	r = call("GET", "requests.json?status=open", NULL);
	assert_false(has_id(r.json, done));
	assert_true(has_id(r.json, C->vej_case));
	tu_resp_free(&r);
	r = call("GET", "requests.json?status=open,closed", NULL);
	assert_true(has_id(r.json, done));
	assert_true(has_id(r.json, C->vej_case));
	tu_resp_free(&r);
	r = call("GET", "requests.xml?status=pending", NULL);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "<code>400</code>"));
	tu_resp_free(&r);

	/* service_code */
	r = call("GET", "requests.json?service_code=pension", NULL);
	assert_int_equal(r.status, 200);
	assert_true(json_array_size(r.json) >= 1);
	json_array_foreach(r.json, i, e) assert_string_equal(s_of(e, "service_code"), "pension");
	tu_resp_free(&r);
	r = call("GET", "requests.json?service_code=intern", NULL);
	expect_error(&r, 404, "service_code intern findes ikke");
	tu_resp_free(&r);

	/* jurisdiction_id */
	r = call("GET", "requests.json?jurisdiction_id=902", NULL);
	assert_int_equal(r.status, 200);
	assert_false(has_id(r.json, C->vej_case));
	json_array_foreach(r.json, i, e)
		assert_string_equal(s_of(e, "agency_responsible"), "Åstrup Kommune");
	tu_resp_free(&r);
	r = call("GET", "requests.json?jurisdiction_id=901", NULL);
	assert_true(has_id(r.json, C->vej_case));
	tu_resp_free(&r);

	/* dates: the old case is found in its own range */
	char q1[300], from[HH_ISO8601_SIZE], to[HH_ISO8601_SIZE];
	int64_t now = hh_now_us() / 1000000;
	hh_iso8601_dk(now - 110 * 86400, from);
	hh_iso8601_dk(now - 50 * 86400, to);
	struct hh_buf u;
	hh_buf_init(&u);
	hh_buf_puts(&u, "requests.json?start_date=");
	hh_buf_urlenc(&u, from);
	hh_buf_puts(&u, "&end_date=");
	hh_buf_urlenc(&u, to);
	r = call("GET", hh_buf_str(&u), NULL);
	hh_buf_clear(&u);
	assert_int_equal(r.status, 200);
	assert_true(has_id(r.json, C->old_case));
	assert_false(has_id(r.json, C->vej_case));
	assert_string_equal(s_of(find_by(r.json, "service_code", "vejfejl"), "address"),
			    "Gammel Vej 1, 9000 Aalborg");
	tu_resp_free(&r);
	/* start only: 90 days from it; end only: 90 days up to it */
	hh_iso8601_dk(now - 101 * 86400, from);
	snprintf(q1, sizeof(q1), "requests.json?start_date=%.19sZ", from);
	r = call("GET", q1, NULL);
	assert_true(has_id(r.json, C->old_case));
	assert_false(has_id(r.json, C->vej_case));
	tu_resp_free(&r);
	hh_iso8601_dk(now - 99 * 86400, to);
	snprintf(q1, sizeof(q1), "requests.json?end_date=%.10s", to);
	r = call("GET", q1, NULL);
	assert_true(has_id(r.json, C->old_case));
	tu_resp_free(&r);
	hh_iso8601_dk(now + 3600, from);
	snprintf(q1, sizeof(q1), "requests.json?start_date=%.19s", from);
	r = call("GET", q1, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(r.json), 0);
	tu_resp_free(&r);
	r = call("GET", "requests.xml?start_date=2030-01-01&end_date=2030-01-02", NULL);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "<service_requests/>"));
	tu_resp_free(&r);
	const char *bad_dates[] = { "start_date=igår", "end_date=2026-02-30",
				    "start_date=2026-01-01&end_date=2026-06-01",
				    "start_date=2026-02-01&end_date=2026-01-01" };
	const char *says[] = { "start_date skal", "end_date skal", "90 dage", "før" };
	for (size_t k = 0; k < 4; k++) {
		snprintf(q1, sizeof(q1), "requests.json?%s", bad_dates[k]);
		r = call("GET", q1, NULL);
		expect_error(&r, 400, says[k]);
		tu_resp_free(&r);
	}

	/* service_request_id overrides everything else; unknown and private
	 * ids are simply not there */
	snprintf(q1, sizeof(q1),
		 "requests.json?service_request_id=%s,%s,%%20%s,%s,%s&status=open",
		 pub_of(done, p1), pub_of(C->vej_case, p2), pub_of(C->old_case, p3),
		 "0123456789abcdef01234567", pub_of(C->citizen_case, p4));
	r = call("GET", q1, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(r.json), 3);
	assert_true(has_id(r.json, done));
	assert_true(has_id(r.json, C->old_case));
	tu_resp_free(&r);
	/* internal ids are not Open311's: malformed as its ids */
	char internal[32];
	snprintf(internal, sizeof(internal), "%lld", (long long)done);
	const char *bad_ids[] = { "", "1,,2", "1,", "x", "-1", "0", "1;2", internal,
				  "0123456789ABCDEF01234567", "0123456789abcdef0123456" };
	for (size_t k = 0; k < sizeof(bad_ids) / sizeof(bad_ids[0]); k++) {
		snprintf(q1, sizeof(q1), "requests.json?service_request_id=%s", bad_ids[k]);
		r = call("GET", q1, NULL);
		expect_error(&r, 400, "service_request_id");
		tu_resp_free(&r);
	}
	(void)state;
}

static void unknown_and_private_requests_are_404(void **state)
{
	char path[64];
	/* internal ids (the vej case's too) are not found: only public ids */
	char vej[64], pub[32];
	snprintf(vej, sizeof(vej), "requests/%lld", (long long)C->vej_case);
	const char *missing[] = { "requests/999999", "requests/abc", "requests/0",
				  "requests/-3", "requests/99999999999999999999", vej,
				  "requests/0123456789abcdef01234567" };
	for (size_t i = 0; i < sizeof(missing) / sizeof(missing[0]); i++) {
		struct tu_resp r = both(missing[i], "errors", 404);
		expect_error(&r, 404, "service_request_id findes ikke");
		tu_resp_free(&r);
	}
	/* a citizen's case is not a public service request */
	snprintf(path, sizeof(path), "requests/%s", pub_of(C->citizen_case, pub));
	struct tu_resp r = both(path, "errors", 404);
	expect_error(&r, 404, "service_request_id");
	tu_resp_free(&r);
	snprintf(path, sizeof(path), "tokens/%s", pub_of(C->citizen_case, pub));
	r = both(path, "errors", 404);
	expect_error(&r, 404, "token_id findes ikke");
	tu_resp_free(&r);
	r = both("tokens/424242", "errors", 404);
	tu_resp_free(&r);
	(void)state;
}

/* ---- the schemas ----------------------------------------------------- */

/* Runs validate.mjs on dir; quiet: its complaints (expected) not shown. */
static int run_validator(const char *dir, int quiet)
{
	char cmd[4300];
	snprintf(cmd, sizeof(cmd), "node tests/open311/validate.mjs '%s'%s", dir,
		 quiet ? " > /dev/null 2>&1" : "");
	int st = system(cmd);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static void every_json_body_matches_the_georeport_schemas(void **state)
{
	if (system("node --version > /dev/null 2>&1") != 0 ||
	    access("tests/e2e/node_modules/ajv/package.json", R_OK) != 0 ||
	    access("tests/e2e/node_modules/ajv-formats/package.json", R_OK) != 0) {
		fprintf(stderr, "SKIP: node or ajv missing (scripts/install-deps.sh "
				"runs npm ci in tests/e2e)\n");
		skip();
	}
	assert_true(C->n_saved > 50);
	for (int i = 0; i < 7; i++) /* every kind of response is checked */
		assert_true(C->saved_kinds[i] > 0);
	assert_int_equal(run_validator(C->saved, 0), 0);

	/* the validator refuses a bad document and a folder without one of
	 * the specification's kinds */
	char *bad = tu_tmpdir();
	char path[4200];
	snprintf(path, sizeof(path), "%s/services--1.json", bad);
	tu_write(path, "[{\"service_code\": \"x\", \"service_name\": \"X\", "
		       "\"metadata\": \"ja\", \"type\": \"realtime\"}]");
	snprintf(path, sizeof(path), "%s/service-definition--1.json", bad);
	tu_write(path, "{\"service_code\": \"x\", \"attributes\": []}");
	snprintf(path, sizeof(path), "%s/requests--1.json", bad);
	tu_write(path, "[]");
	assert_int_equal(run_validator(bad, 1), 1);
	snprintf(path, sizeof(path), "%s/services--1.json", bad);
	tu_write(path, "[]");
	assert_int_equal(run_validator(bad, 1), 0);
	snprintf(path, sizeof(path), "%s/requests--2.json", bad);
	tu_write(path, "[{\"service_request_id\": \"1\", \"status\": \"open\", "
		       "\"service_code\": \"x\", \"requested_datetime\": \"2026-01-01 10:00\"}]");
	assert_int_equal(run_validator(bad, 1), 1);
	snprintf(path, sizeof(path), "%s/requests--2.json", bad);
	tu_write(path, "[]");
	snprintf(path, sizeof(path), "%s/whatever--1.json", bad);
	tu_write(path, "[]");
	assert_int_equal(run_validator(bad, 1), 1);
	tu_rmdir(bad);
	bad = tu_tmpdir();
	assert_int_equal(run_validator(bad, 1), 1);
	tu_rmdir(bad);
	(void)state;
}

int main(void)
{
	hh_auth_init();
	hh_log_set_level(HH_LOG_ERROR);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(xml_text_is_escaped),
		cmocka_unit_test(discovery_names_this_endpoint),
		cmocka_unit_test(services_are_the_public_case_types),
		cmocka_unit_test(service_definition_maps_the_form),
		cmocka_unit_test(bad_formats_and_paths_are_404),
		cmocka_unit_test(making_a_request_needs_a_good_key),
		cmocka_unit_test(the_keys_roles_decide),
		cmocka_unit_test(personal_requests_are_not_public),
		cmocka_unit_test(bad_requests_are_400_naming_the_problem),
		cmocka_unit_test(open_request_made_and_read),
		cmocka_unit_test(agency_request_in_xml),
		cmocka_unit_test(paused_requests_stay_open),
		cmocka_unit_test(closed_requests_and_filters),
		cmocka_unit_test(unknown_and_private_requests_are_404),
		/* last: it checks what all the others received */
		cmocka_unit_test(every_json_body_matches_the_georeport_schemas),
	};
	int failed = cmocka_run_group_tests_name("api/open311", tests, setup, teardown);
	curl_global_cleanup();
	return failed;
}
