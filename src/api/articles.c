/* articles.c - /api/v1/articles: list, read, create, replace, archive. */
#include "api/api.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/orgs.h"
#include "domain/articles.h"

#define PAGE_MAX 100

static int is_staff(const struct hh_principal *w)
{
	return w->kind != HH_ANON && (w->roles & ~(unsigned)HH_ROLE_CITIZEN);
}

static int is_editor(const struct hh_principal *w)
{
	return w->kind != HH_ANON && (w->roles & (HH_ROLE_EDITOR | HH_ROLE_ADMIN));
}

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

struct list_ctx {
	json_t *items;
};

static enum hh_rc list_row(void *p, const struct hh_article *a)
{
	struct list_ctx *c = p;
	json_array_append_new(c->items, hh_article_json(a, 0));
	return HH_OK;
}

struct list_tx_ctx {
	struct hh_req *r;
	struct hh_article_filter f;
	int64_t limit, offset, total;
	struct list_ctx lc;
};

static enum hh_rc list_tx(struct hh_tx *tx, void *p)
{
	struct list_tx_ctx *c = p;
	/* A retry must not keep rows from the failed attempt. */
	json_array_clear(c->lc.items);
	return tx->store->article_list(tx, &c->r->arena, &c->f, c->offset,
				       c->limit, &c->total, list_row, &c->lc);
}

void hh_api_articles_list(struct hh_req *r)
{
	const struct hh_principal *w = hh_auth(r);
	struct list_tx_ctx c = { .r = r };
	if (!hh_req_query_int(r, "limit", 20, 1, PAGE_MAX, &c.limit) ||
	    !hh_req_query_int(r, "offset", 0, 0, 1000000000, &c.offset))
		return;
	const char *status = hh_req_query(r, "status");
	const char *audience = hh_req_query(r, "audience");
	const char *kle = hh_req_query(r, "kle");
	const char *org = hh_req_query(r, "organisation");
	if (status && !(c.f.status = hh_status_parse(status))) {
		hh_resp_problem(r, HH_E_INVALID_PARAM, "status",
				"status must be draft, published or archived");
		return;
	}
	if (audience && !(c.f.audience = hh_audience_parse(audience))) {
		hh_resp_problem(r, HH_E_INVALID_PARAM, "audience",
				"audience must be citizen or staff");
		return;
	}
	if (kle && !hh_kle_valid(kle)) {
		hh_resp_problem(r, HH_E_INVALID_PARAM, "kle",
				"kle must look like NN, NN.NN or NN.NN.NN");
		return;
	}
	c.f.kle = kle;
	if (org) {
		int64_t id;
		int given;
		if (!owner_param(r, &id, &given))
			return;
		c.f.org_id = id ? id : -1;
	}
	/* Who may see what: the public sees published citizen articles;
	 * staff also staff articles; editors also drafts and archived
	 * articles of their own organisation and the shared ones. */
	if (!is_staff(w)) {
		if ((c.f.status && c.f.status != HH_STATUS_PUBLISHED) ||
		    c.f.audience == HH_AUDIENCE_STAFF) {
			hh_resp_problem(r, HH_E_AUTH_REQUIRED, NULL,
					"only published citizen articles are "
					"public; sign in to see others");
			return;
		}
		c.f.status = HH_STATUS_PUBLISHED;
		c.f.audience = HH_AUDIENCE_CITIZEN;
	} else if (!is_editor(w)) {
		if (c.f.status && c.f.status != HH_STATUS_PUBLISHED) {
			hh_resp_problem(r, HH_E_FORBIDDEN, "status",
					"drafts and archived articles are for "
					"editors");
			return;
		}
		c.f.status = HH_STATUS_PUBLISHED;
	} else {
		c.f.unpublished_org_id = w->org_id;
	}
	c.lc.items = json_array();
	enum hh_rc rc = hh_store_run_tx(r->app->store, 0, list_tx, &c);
	if (rc != HH_OK) {
		json_decref(c.lc.items);
		hh_resp_rc(r, rc, NULL);
		return;
	}
	hh_resp_json(r, 200,
		     json_pack("{s:o, s:I, s:I, s:I}", "items", c.lc.items,
			       "total", (json_int_t)c.total, "limit",
			       (json_int_t)c.limit, "offset",
			       (json_int_t)c.offset));
}

/* ---- read ------------------------------------------------------------ */

struct get_ctx {
	struct hh_req *r;
	struct hh_actor who;
	const char *slug;
	int64_t owner_id;
	int owner_given;
	int64_t muni_id;
	struct hh_article a;
};

static enum hh_rc get_tx(struct hh_tx *tx, void *p)
{
	struct get_ctx *c = p;
	if (c->owner_given) {
		enum hh_rc rc = tx->store->article_get(tx, &c->r->arena,
						       c->owner_id, c->slug, &c->a);
		if (rc == HH_OK && !hh_article_can_read(&c->who, &c->a))
			rc = HH_ERR_NOT_FOUND;
		return rc;
	}
	return hh_article_resolve(tx, &c->r->arena, &c->who, c->muni_id,
				  c->slug, &c->a);
}

void hh_api_article_get(struct hh_req *r)
{
	struct get_ctx c = { .r = r, .slug = hh_req_param(r, "slug") };
	if (!hh_slug_valid(c.slug)) {
		hh_resp_problem(r, HH_E_NOT_FOUND, NULL, NULL);
		return;
	}
	hh_actor_of(r, &c.who);
	if (!owner_param(r, &c.owner_id, &c.owner_given))
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
		c.muni_id = org.id;
	}
	enum hh_rc rc = hh_store_run_tx(r->app->store, 0, get_tx, &c);
	if (rc != HH_OK) {
		hh_resp_rc(r, rc, NULL);
		return;
	}
	set_etag(r, c.a.version);
	hh_resp_json(r, 200, hh_article_json(&c.a, 1));
}

/* ---- write ----------------------------------------------------------- */

/* Common checks for writes: signed in, CSRF. */
static int may_write(struct hh_req *r)
{
	const struct hh_principal *w = hh_auth(r);
	if (w->kind == HH_ANON) {
		hh_resp_problem(r, HH_E_AUTH_REQUIRED, NULL, NULL);
		return 0;
	}
	if (!hh_csrf_ok(r, NULL)) {
		hh_resp_problem(r, HH_E_CSRF, NULL, NULL);
		return 0;
	}
	return 1;
}

static void write_failed(struct hh_req *r, enum hh_rc rc, const char *field)
{
	if (rc == HH_ERR_INVALID && field && !strcmp(field, "organisation"))
		hh_resp_problem(r, HH_E_UNKNOWN_ORGANISATION, field, NULL);
	else if (rc == HH_ERR_INVALID)
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
	if (!may_write(r))
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
		if (rc != HH_OK) {
			write_failed(r, rc == HH_ERR_NOT_FOUND ? HH_ERR_INVALID : rc,
				     "organisation");
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
	if (!may_write(r))
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
	if (!may_write(r))
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

struct hist_ctx {
	struct hh_req *r;
	struct hh_actor who;
	int64_t org_id;
	const char *slug;
	json_t *items;
};

static enum hh_rc hist_row(void *p, const struct hh_event *e)
{
	struct hist_ctx *c = p;
	char at[21];
	hh_time_iso(e->at_us / 1000000, at);
	json_error_t err;
	json_t *before = e->before ? json_loads(e->before, 0, &err) : json_null();
	json_t *after = e->after ? json_loads(e->after, 0, &err) : json_null();
	json_array_append_new(c->items,
			      json_pack("{s:I, s:s, s:s, s:s, s:o, s:o}", "id",
					(json_int_t)e->id, "at", at, "actor",
					e->actor, "action", e->action, "before",
					before ? before : json_null(), "after",
					after ? after : json_null()));
	return HH_OK;
}

static enum hh_rc hist_tx(struct hh_tx *tx, void *p)
{
	struct hist_ctx *c = p;
	struct hh_article a;
	enum hh_rc rc = tx->store->article_get(tx, &c->r->arena, c->org_id,
					       c->slug, &a);
	if (rc != HH_OK)
		return rc;
	if (!hh_article_can_edit(&c->who, a.org_id))
		return HH_ERR_NOT_FOUND;
	json_array_clear(c->items);
	return tx->store->event_list(tx, &c->r->arena, "article", a.id, hist_row,
				     c);
}

void hh_api_article_history(struct hh_req *r)
{
	struct hist_ctx c = { .r = r, .slug = hh_req_param(r, "slug") };
	int given;
	if (hh_auth(r)->kind == HH_ANON) {
		hh_resp_problem(r, HH_E_AUTH_REQUIRED, NULL, NULL);
		return;
	}
	if (!hh_slug_valid(c.slug)) {
		hh_resp_problem(r, HH_E_NOT_FOUND, NULL, NULL);
		return;
	}
	if (!owner_param(r, &c.org_id, &given))
		return;
	hh_actor_of(r, &c.who);
	c.items = json_array();
	enum hh_rc rc = hh_store_run_tx(r->app->store, 0, hist_tx, &c);
	if (rc != HH_OK) {
		json_decref(c.items);
		hh_resp_rc(r, rc, NULL);
		return;
	}
	hh_resp_json(r, 200, json_pack("{s:o}", "events", c.items));
}
