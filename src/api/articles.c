/* articles.c - /api/v1/articles: list, read, create, replace, archive. */
#include "api/api.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/orgs.h"
#include "domain/articles.h"
#include "domain/kle.h" /* kle (issue 15) */
#include "domain/versions.h" /* s-tune */

#define PAGE_MAX 100

/* Resolves ?organisation=CODE|shared into *org_id (0: shared). Returns 0
 * after queueing a problem when the code is unknown. absent: *given = 0. */
static int owner_param(struct hh_req *r, int64_t *org_id, int *given)
{
	const char *code = hh_req_query(r, "organisation");
	*org_id = 0;
	*given = code != NULL;
	if (!code || !strcmp(code, "shared") || !*code)
		return 1;
	struct hh_org org;
	enum hh_rc rc = hh_org_by_code(r->app->store, &r->arena, code, &org);
	if (rc == HH_ERR_NOT_FOUND) {
		hh_resp_problem(r, HH_E_UNKNOWN_ORGANISATION, "organisation",
				NULL);
		return 0;
	}
	if (rc != HH_OK) {
		hh_resp_rc(r, rc, NULL);
		return 0;
	}
	*org_id = org.id;
	return 1;
}

static void set_etag(struct hh_req *r, int64_t version)
{
	hh_resp_header(r, "ETag",
		       hh_arena_printf(&r->arena, "\"%lld\"", (long long)version));
}

/* ---- list ------------------------------------------------------------ */

static enum hh_rc list_row(void *items, const struct hh_article *a)
{
	json_array_append_new(items, hh_article_json(a, 0));
	return HH_OK;
}

/* A refusal for a reader: an anonymous caller is asked to sign in (with
 * detail_anon), a signed-in one is told no (with detail). */
static void refused(struct hh_req *r, enum hh_rc rc, const char *field,
		    const char *detail_anon, const char *detail)
{
	if (rc == HH_ERR_FORBIDDEN && hh_auth(r)->kind == HH_ANON)
		hh_resp_problem(r, HH_E_AUTH_REQUIRED, NULL, detail_anon);
	else if (rc == HH_ERR_FORBIDDEN)
		hh_resp_problem(r, HH_E_FORBIDDEN, field, detail);
	else
		hh_resp_rc(r, rc, NULL);
}

void hh_api_articles_list(struct hh_req *r)
{
	struct hh_article_query q = { 0 };
	if (!hh_req_query_int(r, "limit", 20, 1, PAGE_MAX, &q.limit) ||
	    !hh_req_query_int(r, "offset", 0, 0, 1000000000, &q.offset))
		return;
	const char *status = hh_req_query(r, "status");
	const char *audience = hh_req_query(r, "audience");
	const char *kle = hh_req_query(r, "kle");
	const char *org = hh_req_query(r, "organisation");
	if (status && !(q.status = hh_status_parse(status))) {
		hh_resp_problem(r, HH_E_INVALID_PARAM, "status",
				"status must be draft, published or archived");
		return;
	}
	if (audience && !(q.audience = hh_audience_parse(audience))) {
		hh_resp_problem(r, HH_E_INVALID_PARAM, "audience",
				"audience must be citizen or staff");
		return;
	}
	if (kle && !hh_kle_valid(kle)) {
		hh_resp_problem(r, HH_E_INVALID_PARAM, "kle",
				"kle must look like NN, NN.NN or NN.NN.NN");
		return;
	}
	q.kle = kle;
	if (org) {
		int64_t id;
		int given;
		if (!owner_param(r, &id, &given))
			return;
		q.org_id = id ? id : -1;
	}
	struct hh_actor who;
	hh_actor_of(r, &who);
	json_t *items = json_array();
	int64_t total = 0;
	const char *field = NULL;
	enum hh_rc rc = hh_article_list(r->app->store, &who, &r->arena, &q,
					&total, list_row, items, &field);
	if (rc != HH_OK) {
		json_decref(items);
		refused(r, rc, field,
			"only published citizen articles are public; sign in "
			"to see others",
			"drafts and archived articles are for editors, staff "
			"articles for staff");
		return;
	}
	hh_resp_json(r, 200,
		     json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total",
			       (json_int_t)total, "limit", (json_int_t)q.limit,
			       "offset", (json_int_t)q.offset));
}

/* ---- read ------------------------------------------------------------ */

void hh_api_article_get(struct hh_req *r)
{
	const char *slug = hh_req_param(r, "slug");
	int64_t owner_id, muni_id = 0;
	int owner_given;
	if (!hh_slug_valid(slug)) {
		hh_resp_problem(r, HH_E_NOT_FOUND, NULL, NULL);
		return;
	}
	if (!owner_param(r, &owner_id, &owner_given))
		return;
	const char *muni = hh_req_query(r, "municipality");
	if (muni && *muni) {
		struct hh_org org;
		enum hh_rc rc = hh_org_by_code(r->app->store, &r->arena, muni, &org);
		if (rc != HH_OK || org.kind != HH_ORG_MUNICIPALITY) {
			hh_resp_problem(r, HH_E_UNKNOWN_ORGANISATION,
					"municipality",
					"no municipality has this code");
			return;
		}
		muni_id = org.id;
	}
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_article a;
	enum hh_rc rc = owner_given
		? hh_article_read(r->app->store, &who, &r->arena, owner_id, slug, &a)
		: hh_article_find(r->app->store, &who, &r->arena, muni_id, slug, &a);
	if (rc != HH_OK) {
		hh_resp_rc(r, rc, NULL);
		return;
	}
	set_etag(r, a.version);
	json_t *j = hh_article_json(&a, 1);
	/* kle (issue 15): the imported title of its KLE number (null: none) */
	const char *title = hh_kle_title(r->app->store, &r->arena, a.kle);
	json_object_set_new(j, "kle_title", title ? json_string(title) : json_null());
	hh_resp_json(r, 200, j);
}

/* ---- write ----------------------------------------------------------- */

/* Common checks for writes: signed in, CSRF. */

static void write_failed(struct hh_req *r, enum hh_rc rc, const char *field)
{
	if (rc == HH_ERR_INVALID)
		hh_resp_problem(r, HH_E_INVALID_FIELD, field,
				hh_arena_printf(&r->arena, "%s is not valid",
						field ? field : "a field"));
	else if (rc == HH_ERR_CONFLICT && field)
		hh_resp_problem(r, HH_E_CONFLICT, field,
				"an article with this slug already exists for "
				"this organisation");
	else if (rc == HH_ERR_CONFLICT)
		hh_resp_problem(r, HH_E_STALE_VERSION, "version", NULL);
	else
		hh_resp_rc(r, rc, field);
}

static const char *location(struct hh_req *r, const struct hh_article *a)
{
	if (a->org_code)
		return hh_arena_printf(&r->arena,
				       "/api/v1/articles/%s?organisation=%s",
				       a->slug, a->org_code);
	return hh_arena_printf(&r->arena, "/api/v1/articles/%s", a->slug);
}

void hh_api_article_create(struct hh_req *r)
{
	if (!hh_api_may_write(r))
		return;
	struct hh_article a = { 0 };
	const char *org = NULL, *audience = "citizen", *status = "draft";
	struct hh_json_spec spec[] = {
		HH_JSON_STR("slug", &a.slug, 1, 2, 80),
		HH_JSON_STR_NULL("organisation", &org, 0, 1, 32),
		HH_JSON_STR("title", &a.title, 1, 1, HH_TITLE_MAX),
		HH_JSON_STR("summary", &a.summary, 1, 1, HH_SUMMARY_MAX),
		HH_JSON_STR("body", &a.body_md, 1, 0, HH_BODY_MAX),
		HH_JSON_STR_LIST("keywords", &a.keywords, 0, 1, 100),
		HH_JSON_STR("kle", &a.kle, 0, 0, 8),
		HH_JSON_STR("audience", &audience, 0, 1, 10),
		HH_JSON_STR("status", &status, 0, 1, 10),
		HH_JSON_END
	};
	if (!hh_json_body(r, spec))
		return;
	if (!(a.audience = hh_audience_parse(audience))) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, "audience",
				"audience must be citizen or staff");
		return;
	}
	if (!(a.status = hh_status_parse(status))) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, "status",
				"status must be draft, published or archived");
		return;
	}
	if (org) {
		struct hh_org o;
		enum hh_rc rc = hh_org_by_code(r->app->store, &r->arena, org, &o);
		if (rc == HH_ERR_NOT_FOUND) {
			hh_resp_problem(r, HH_E_UNKNOWN_ORGANISATION,
					"organisation", NULL);
			return;
		}
		if (rc != HH_OK) {
			hh_resp_rc(r, rc, NULL);
			return;
		}
		a.org_id = o.id;
	}
	struct hh_actor who;
	hh_actor_of(r, &who);
	const char *field = NULL;
	enum hh_rc rc = hh_article_create(r->app->store, &who, &r->arena, &a,
					  &field);
	if (rc != HH_OK) {
		write_failed(r, rc, field);
		return;
	}
	hh_resp_header(r, "Location", location(r, &a));
	set_etag(r, a.version);
	hh_resp_json(r, 201, hh_article_json(&a, 1));
}

void hh_api_article_put(struct hh_req *r)
{
	if (!hh_api_may_write(r))
		return;
	struct hh_article a = { .slug = hh_req_param(r, "slug") };
	int64_t version = 0;
	const char *audience = NULL, *status = NULL;
	struct hh_json_spec spec[] = {
		HH_JSON_STR("title", &a.title, 1, 1, HH_TITLE_MAX),
		HH_JSON_STR("summary", &a.summary, 1, 1, HH_SUMMARY_MAX),
		HH_JSON_STR("body", &a.body_md, 1, 0, HH_BODY_MAX),
		HH_JSON_STR_LIST("keywords", &a.keywords, 0, 1, 100),
		HH_JSON_STR("kle", &a.kle, 0, 0, 8),
		HH_JSON_STR("audience", &audience, 1, 1, 10),
		HH_JSON_STR("status", &status, 1, 1, 10),
		HH_JSON_INT("version", &version, 0, 1, INT64_MAX),
		HH_JSON_END
	};
	int given;
	if (!hh_slug_valid(a.slug)) {
		hh_resp_problem(r, HH_E_NOT_FOUND, NULL, NULL);
		return;
	}
	if (!owner_param(r, &a.org_id, &given) || !hh_json_body(r, spec))
		return;
	if (!(a.audience = hh_audience_parse(audience))) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, "audience",
				"audience must be citizen or staff");
		return;
	}
	if (!(a.status = hh_status_parse(status))) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, "status",
				"status must be draft, published or archived");
		return;
	}
	int64_t hv = hh_if_match(r);
	if (hv < 0) {
		hh_resp_problem(r, HH_E_INVALID_PARAM, "If-Match",
				"If-Match must be the ETag of the article, e.g. \"3\"");
		return;
	}
	if (hv && version && hv != version) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, "version",
				"If-Match and version disagree");
		return;
	}
	if (!hv)
		hv = version;
	if (!hv) {
		hh_resp_problem(r, HH_E_VERSION_REQUIRED, "version", NULL);
		return;
	}
	struct hh_actor who;
	hh_actor_of(r, &who);
	const char *field = NULL;
	int changed;
	enum hh_rc rc = hh_article_update(r->app->store, &who, &r->arena, &a, hv,
					  &changed, &field);
	if (rc != HH_OK) {
		write_failed(r, rc, field);
		return;
	}
	set_etag(r, a.version);
	hh_resp_json(r, 200, hh_article_json(&a, 1));
}

void hh_api_article_delete(struct hh_req *r)
{
	if (!hh_api_may_write(r))
		return;
	const char *slug = hh_req_param(r, "slug");
	int64_t org_id;
	int given;
	if (!hh_slug_valid(slug)) {
		hh_resp_problem(r, HH_E_NOT_FOUND, NULL, NULL);
		return;
	}
	if (!owner_param(r, &org_id, &given))
		return;
	int64_t hv = hh_if_match(r);
	if (hv < 0) {
		hh_resp_problem(r, HH_E_INVALID_PARAM, "If-Match",
				"If-Match must be the ETag of the article, e.g. \"3\"");
		return;
	}
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_article a;
	enum hh_rc rc = hh_article_archive(r->app->store, &who, &r->arena, org_id,
					   slug, hv, &a);
	if (rc != HH_OK) {
		write_failed(r, rc, NULL);
		return;
	}
	set_etag(r, a.version);
	hh_resp_json(r, 200, hh_article_json(&a, 1));
}

/* ---- history --------------------------------------------------------- */

static enum hh_rc hist_row(void *items, const struct hh_event *e)
{
	char at[21];
	hh_time_iso(e->at_us / 1000000, at);
	json_error_t err;
	json_t *before = e->before ? json_loads(e->before, 0, &err) : json_null();
	json_t *after = e->after ? json_loads(e->after, 0, &err) : json_null();
	json_array_append_new(items,
			      json_pack("{s:I, s:s, s:s, s:s, s:o, s:o}", "id",
					(json_int_t)e->id, "at", at, "actor",
					e->actor, "action", e->action, "before",
					before ? before : json_null(), "after",
					after ? after : json_null()));
	return HH_OK;
}

void hh_api_article_history(struct hh_req *r)
{
	const char *slug = hh_req_param(r, "slug");
	int64_t org_id;
	int given;
	if (!hh_slug_valid(slug)) {
		hh_resp_problem(r, HH_E_NOT_FOUND, NULL, NULL);
		return;
	}
	if (!owner_param(r, &org_id, &given))
		return;
	struct hh_actor who;
	hh_actor_of(r, &who);
	json_t *items = json_array();
	enum hh_rc rc = hh_article_history(r->app->store, &who, &r->arena,
					   org_id, slug, hist_row, items);
	if (rc != HH_OK) {
		json_decref(items);
		refused(r, rc, NULL, NULL, "an article's history is for its editors");
		return;
	}
	hh_resp_json(r, 200, json_pack("{s:o}", "events", items));
}

/* ---- s-tune (issue 13): versions and restoring one ----------------------
 * The same domain functions as the editors' pages (domain/versions.h):
 * who may see an article's versions and restore one is decided there. */

struct version_list {
	struct hh_arena *ar;
	json_t *items;
	struct hh_article prev;
	int have_prev;
};

static enum hh_rc version_item(void *p, const struct hh_article *v)
{
	struct version_list *c = p;
	struct hh_version_change ch;
	hh_version_change_of(c->ar, c->have_prev ? &c->prev : NULL, v, &ch);
	json_t *fields = json_array();
	for (unsigned bit = 1; bit <= HH_VCH_STATUS; bit <<= 1)
		if (ch.fields & bit)
			json_array_append_new(fields,
					      json_string(hh_version_field_name(bit)));
	char at[21];
	hh_time_iso(v->updated_at, at);
	json_array_append_new(
		c->items,
		json_pack("{s:I, s:s, s:s, s:s, s:s, s:{s:o, s:I, s:I}}",
			  "version", (json_int_t)v->version, "status",
			  hh_status_name(v->status), "author",
			  v->updated_by ? v->updated_by : "", "at", at, "title",
			  v->title ? v->title : "", "change", "fields", fields,
			  "lines_added", (json_int_t)ch.added, "lines_removed",
			  (json_int_t)ch.removed));
	c->prev = *v;
	c->have_prev = 1;
	return HH_OK;
}

/* The slug and the owner (?organisation=) of a versions route; 0 after
 * queueing a problem. */
static int versions_target(struct hh_req *r, const char **slug, int64_t *org_id)
{
	int given;
	*slug = hh_req_param(r, "slug");
	if (!hh_slug_valid(*slug)) {
		hh_resp_problem(r, HH_E_NOT_FOUND, NULL, NULL);
		return 0;
	}
	return owner_param(r, org_id, &given);
}

static int version_param(struct hh_req *r, int64_t *n)
{
	const char *s = hh_req_param(r, "version");
	char *end;
	long long v = s ? strtoll(s, &end, 10) : 0;
	if (!s || !*s || *end || v <= 0) {
		hh_resp_problem(r, HH_E_NOT_FOUND, NULL, NULL);
		return 0;
	}
	*n = v;
	return 1;
}

void hh_api_article_versions(struct hh_req *r)
{
	const char *slug;
	int64_t org_id;
	if (!versions_target(r, &slug, &org_id))
		return;
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_article cur;
	struct version_list c = { .ar = &r->arena, .items = json_array() };
	enum hh_rc rc = hh_article_versions(r->app->store, &who, &r->arena,
					    org_id, slug, &cur, version_item, &c);
	if (rc != HH_OK) {
		json_decref(c.items);
		refused(r, rc, NULL, NULL, "an article's versions are for its editors");
		return;
	}
	set_etag(r, cur.version);
	hh_resp_json(r, 200, json_pack("{s:s, s:s?, s:I, s:o}", "slug", cur.slug,
				       "organisation", cur.org_code,
				       "current_version", (json_int_t)cur.version,
				       "versions", c.items));
}

void hh_api_article_version(struct hh_req *r)
{
	const char *slug;
	int64_t org_id, n;
	if (!versions_target(r, &slug, &org_id) || !version_param(r, &n))
		return;
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_article cur, v;
	enum hh_rc rc = hh_article_version(r->app->store, &who, &r->arena, org_id,
					   slug, n, &cur, &v);
	if (rc != HH_OK) {
		refused(r, rc, NULL, NULL, "an article's versions are for its editors");
		return;
	}
	json_t *j = hh_article_json(&v, 1);
	json_object_set_new(j, "current_version", json_integer(cur.version));
	hh_resp_json(r, 200, j);
}

void hh_api_article_restore(struct hh_req *r)
{
	if (!hh_api_may_write(r))
		return;
	const char *slug;
	int64_t org_id, n, version = 0;
	if (!versions_target(r, &slug, &org_id) || !version_param(r, &n))
		return;
	struct hh_json_spec spec[] = {
		HH_JSON_INT("version", &version, 0, 1, INT64_MAX),
		HH_JSON_END
	};
	/* the body is optional: If-Match alone will do */
	if (r->body.len && !hh_json_body(r, spec))
		return;
	int64_t hv = hh_if_match(r);
	if (hv < 0) {
		hh_resp_problem(r, HH_E_INVALID_PARAM, "If-Match",
				"If-Match must be the ETag of the article, e.g. \"3\"");
		return;
	}
	if (hv && version && hv != version) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, "version",
				"If-Match and version disagree");
		return;
	}
	if (!hv)
		hv = version;
	if (!hv) {
		hh_resp_problem(r, HH_E_VERSION_REQUIRED, "version", NULL);
		return;
	}
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_article a;
	int changed = 0;
	enum hh_rc rc = hh_article_restore(r->app->store, &who, &r->arena, org_id,
					   slug, n, hv, &a, &changed);
	if (rc == HH_ERR_CONFLICT) {
		hh_resp_problem(r, HH_E_ARTICLE_CHANGED, "version", NULL);
		return;
	}
	if (rc != HH_OK) {
		refused(r, rc, NULL, NULL, "restoring a version is for the "
					   "article's editors");
		return;
	}
	set_etag(r, a.version);
	json_t *j = hh_article_json(&a, 1);
	json_object_set_new(j, "restored", json_boolean(changed));
	hh_resp_json(r, 200, j);
}
