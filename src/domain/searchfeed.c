/* searchfeed.c - the search index fed from the store: built at start-up,
 * and kept current as a subscriber of the store's change callbacks.
 *
 * The index (src/search/) knows documents, not the store; reading the
 * store is the domain's, so the feeding lives here. Three kinds of
 * documents go in: articles, the life-event guides (their steps and
 * questions as the body) and the self-service forms of the case types a
 * citizen may use (public, with fields; their labels, help and options as
 * the body). Case types that are not public (staff only) are never
 * indexed, so no search shows them to anyone. */
#include "domain/searchfeed.h"

#include <jansson.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/casetype.h"

#define FEED_ORGS 256

struct build_ctx {
	struct hh_index *idx;
	struct hh_arena *a;
	int64_t agencies[64];
	int n_agencies;
	/* s-self: every organisation, for the guides' and forms' owners */
	struct hh_org orgs[FEED_ORGS];
	int n_orgs;
};

static const struct hh_org *org_by_code(const struct build_ctx *c,
					const char *code)
{
	for (int i = 0; code && i < c->n_orgs; i++)
		if (!strcmp(c->orgs[i].code, code))
			return &c->orgs[i];
	return NULL;
}

/* "a, b" + ", " + s into b (keywords) */
static void add_keyword(struct hh_buf *b, const char *s)
{
	if (!s || !*s)
		return;
	if (b->len)
		hh_buf_puts(b, ", ");
	hh_buf_puts(b, s);
}

static const char *jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* A guide as a document: its steps (title, text, who is responsible) and
 * questions as the body, the organisations of its steps and the guide's
 * own "keywords" as keywords, its "kle" as topic. */
static void put_guide(struct build_ctx *c, const struct hh_life_event *le)
{
	json_error_t e;
	json_t *def = json_loads(le->definition ? le->definition : "{}", 0, &e);
	struct hh_buf body, kw;
	hh_buf_init(&body);
	hh_buf_init(&kw);
	add_keyword(&kw, jstr(def, "keywords"));
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(def, "steps"), i, s)
	{
		const char *title = jstr(s, "title"), *text = jstr(s, "text");
		const char *resp = jstr(s, "responsible");
		const struct hh_org *o = org_by_code(c, jstr(s, "organisation"));
		if (title)
			hh_buf_printf(&body, "## %s\n\n", title);
		if (text)
			hh_buf_printf(&body, "%s\n\n", text);
		if (resp)
			hh_buf_printf(&body, "%s\n\n", resp);
		if (o && !strstr(hh_buf_str(&kw), o->name))
			add_keyword(&kw, o->name);
	}
	json_array_foreach(json_object_get(def, "questions"), i, s)
	{
		const char *text = jstr(s, "text");
		if (text)
			hh_buf_printf(&body, "%s\n\n", text);
	}
	const char *kle = jstr(def, "kle");
	struct hh_index_doc d = {
		.kind = HH_DOC_GUIDE,
		.id = le->id,
		.slug = le->slug,
		.title = le->title,
		.summary = le->summary ? le->summary : "",
		.keywords = hh_buf_str(&kw),
		.body_md = hh_buf_str(&body),
		.kle = kle ? kle : "",
		.audience = HH_AUDIENCE_CITIZEN,
	};
	hh_index_put_doc(c->idx, &d);
	hh_buf_clear(&body);
	hh_buf_clear(&kw);
	json_decref(def);
}

static enum hh_rc build_guide(void *p, const struct hh_life_event *le)
{
	put_guide(p, le);
	return HH_OK;
}

/* A case type as a form document when a citizen may use it (public, with
 * fields): the form's intro, fields, help and options as the body; its
 * form title, "keywords" and organisation as keywords. Any other case
 * type is taken out of the index. */
static void put_service(struct build_ctx *c, const struct hh_case_type *ct)
{
	struct hh_case_type_def *def = hh_xmalloc(sizeof(*def));
	char err[256];
	if (hh_case_type_def_parse(ct->definition, def, err, sizeof(err)) != HH_OK) {
		free(def);
		hh_index_remove_doc(c->idx, HH_DOC_SERVICE, ct->id);
		return;
	}
	const struct hh_form *f = &def->form_def;
	if (!ct->public || !def->public || !f->present || !f->n_fields) {
		hh_index_remove_doc(c->idx, HH_DOC_SERVICE, ct->id);
		goto done;
	}
	struct hh_buf body, kw;
	hh_buf_init(&body);
	hh_buf_init(&kw);
	add_keyword(&kw, f->title);
	add_keyword(&kw, jstr(def->root, "keywords"));
	if (f->intro)
		hh_buf_printf(&body, "%s\n\n", f->intro);
	for (int i = 0; i < f->n_fields; i++) {
		const struct hh_form_field *x = &f->fields[i];
		if (x->label)
			hh_buf_printf(&body, "%s\n\n", x->label);
		if (x->help)
			hh_buf_printf(&body, "%s\n\n", x->help);
		for (int k = 0; k < x->n_options; k++)
			if (x->options[k].label)
				hh_buf_printf(&body, "%s\n\n", x->options[k].label);
	}
	/* "municipality": every municipality offers it, so it is shared */
	const struct hh_org *o = strcmp(def->organisation, "municipality")
					 ? org_by_code(c, def->organisation)
					 : NULL;
	if (o)
		add_keyword(&kw, o->name);
	struct hh_index_doc d = {
		.kind = HH_DOC_SERVICE,
		.id = ct->id,
		.org_id = o ? o->id : 0,
		.org_code = o ? o->code : NULL,
		.org_name = o ? o->name : NULL,
		.org_is_agency = o && o->kind == HH_ORG_AGENCY,
		.slug = ct->code,
		.title = def->name,
		.summary = def->description ? def->description
			   : f->intro	     ? f->intro
					     : "",
		.keywords = hh_buf_str(&kw),
		.body_md = hh_buf_str(&body),
		.kle = def->kle ? def->kle : "",
		.audience = HH_AUDIENCE_CITIZEN,
	};
	hh_index_put_doc(c->idx, &d);
	hh_buf_clear(&body);
	hh_buf_clear(&kw);
done:
	hh_case_type_def_clear(def);
	free(def);
}

static enum hh_rc build_service(void *p, const struct hh_case_type *ct)
{
	put_service(p, ct);
	return HH_OK;
}

static int is_agency(const struct build_ctx *c, int64_t org)
{
	for (int i = 0; i < c->n_agencies; i++)
		if (c->agencies[i] == org)
			return 1;
	return 0;
}

static enum hh_rc build_org(void *p, const struct hh_org *o)
{
	struct build_ctx *c = p;
	if (o->kind == HH_ORG_AGENCY && c->n_agencies < 64)
		c->agencies[c->n_agencies++] = o->id;
	if (c->n_orgs < FEED_ORGS) {
		struct hh_org *k = &c->orgs[c->n_orgs++];
		*k = *o;
		k->code = hh_arena_strdup(c->a, o->code);
		k->name = hh_arena_strdup(c->a, o->name);
	}
	return HH_OK;
}

/* An article put (a draft or archived one taken out, if it was in). */
static enum hh_rc put_article(void *p, const struct hh_article *a)
{
	struct build_ctx *c = p;
	hh_index_put(c->idx, a, a->org_id && is_agency(c, a->org_id));
	return HH_OK;
}

static enum hh_rc build_article(void *p, const struct hh_article *a)
{
	return a->status != HH_STATUS_ARCHIVED ? put_article(p, a) : HH_OK;
}

static enum hh_rc build_chosen(void *p, int64_t article_id, int64_t n)
{
	struct build_ctx *c = p;
	hh_index_chosen(c->idx, article_id, n);
	return HH_OK;
}

/* The organisations, then every article through each_article, then
 * (s-self) the guides and the forms citizens may use: what a build and a
 * resync (hh_index_resync) both read. */
static enum hh_rc read_docs(struct hh_tx *tx, struct build_ctx *c,
			    enum hh_rc (*each_article)(void *,
						       const struct hh_article *))
{
	struct hh_article_filter f = { 0 };
	c->n_agencies = 0;
	c->n_orgs = 0;
	enum hh_rc rc = tx->store->org_list(tx, c->a, build_org, c);
	if (rc == HH_OK)
		rc = tx->store->article_list(tx, c->a, &f, 0, 0, NULL,
					     each_article, c);
	if (rc == HH_OK)
		rc = tx->store->life_event_list(tx, c->a, build_guide, c);
	if (rc == HH_OK)
		rc = tx->store->case_type_list(tx, c->a, 0, build_service, c);
	return rc;
}

static enum hh_rc build_tx(struct hh_tx *tx, void *p)
{
	struct build_ctx *c = p;
	enum hh_rc rc = read_docs(tx, c, build_article);
	/* how often each article was chosen from results, for ranking */
	if (rc == HH_OK)
		rc = tx->store->search_chosen_counts(tx, build_chosen, c);
	return rc;
}

enum hh_rc hh_index_build(struct hh_index *idx, struct hh_store *st)
{
	struct hh_arena a;
	hh_arena_init(&a);
	struct build_ctx c = { .idx = idx, .a = &a };
	enum hh_rc rc = hh_store_run_tx(st, 0, build_tx, &c);
	hh_arena_clear(&a);
	hh_index_settle(idx); /* norms with the final average lengths */
	/* The rows read for the build are freed now; give the pages back so
	 * the resident size is the index, not the build's peak. */
	malloc_trim(0);
	return rc;
}

struct refresh_ctx {
	struct hh_arena *a;
	int64_t id;
	struct hh_article art;
	int agency;
};

static enum hh_rc refresh_tx(struct hh_tx *tx, void *p)
{
	struct refresh_ctx *c = p;
	enum hh_rc rc = tx->store->article_get_by_id(tx, c->a, c->id, &c->art);
	if (rc != HH_OK || !c->art.org_id)
		return rc;
	struct hh_org o;
	rc = tx->store->org_get(tx, c->a, c->art.org_id, &o);
	c->agency = rc == HH_OK && o.kind == HH_ORG_AGENCY;
	return rc;
}

enum hh_rc hh_index_refresh(struct hh_index *idx, struct hh_store *st,
			    int64_t id)
{
	struct hh_arena a;
	hh_arena_init(&a);
	struct refresh_ctx c = { .a = &a, .id = id };
	enum hh_rc rc = hh_store_run_tx(st, 0, refresh_tx, &c);
	if (rc == HH_OK)
		hh_index_put(idx, &c.art, c.agency);
	else if (rc == HH_ERR_NOT_FOUND)
		hh_index_remove(idx, id), rc = HH_OK;
	hh_arena_clear(&a);
	return rc;
}

/* s-self: the guides (kind HH_DOC_GUIDE) or forms (HH_DOC_SERVICE) read
 * again, all of them: there are tens, and a form that stopped being
 * public must go. */
struct kind_ctx {
	struct build_ctx b;
	enum hh_doc_kind kind;
};

static enum hh_rc kind_tx(struct hh_tx *tx, void *p)
{
	struct kind_ctx *c = p;
	c->b.n_orgs = c->b.n_agencies = 0;
	enum hh_rc rc = tx->store->org_list(tx, c->b.a, build_org, &c->b);
	if (rc != HH_OK)
		return rc;
	return c->kind == HH_DOC_GUIDE
		       ? tx->store->life_event_list(tx, c->b.a, build_guide, &c->b)
		       : tx->store->case_type_list(tx, c->b.a, 0, build_service,
						   &c->b);
}

enum hh_rc hh_index_refresh_kind(struct hh_index *idx, struct hh_store *st,
				 enum hh_doc_kind kind)
{
	if (kind == HH_DOC_ARTICLE)
		return HH_ERR_INVALID;
	struct hh_arena a;
	hh_arena_init(&a);
	struct kind_ctx *c = hh_xcalloc(1, sizeof(*c));
	c->b.idx = idx;
	c->b.a = &a;
	c->kind = kind;
	enum hh_rc rc = hh_store_run_tx(st, 0, kind_tx, c);
	free(c);
	hh_arena_clear(&a);
	return rc;
}

/* pg-multi (issue 14): every article put again (archived and draft ones
 * taken out), then the guides and forms; the chosen counts are left as
 * they are (hh_index_chosen adds). */
static enum hh_rc resync_tx(struct hh_tx *tx, void *p)
{
	return read_docs(tx, p, put_article);
}

enum hh_rc hh_index_resync(struct hh_index *idx, struct hh_store *st)
{
	struct hh_arena a;
	hh_arena_init(&a);
	struct build_ctx *c = hh_xcalloc(1, sizeof(*c));
	c->idx = idx;
	c->a = &a;
	enum hh_rc rc = hh_store_run_tx(st, 0, resync_tx, c);
	free(c);
	hh_arena_clear(&a);
	hh_index_settle(idx);
	return rc;
}

struct hh_index_follower {
	struct hh_index *idx;
	struct hh_store *st;
};

static void on_change(void *cls, const struct hh_change *c)
{
	struct hh_index_follower *f = cls;
	enum hh_rc rc;
	/* pg-multi: another instance's changes were missed (the listener
	 * was away long): everything read again */
	if (!strcmp(c->entity, "*")) {
		rc = hh_index_resync(f->idx, f->st);
		if (rc != HH_OK)
			hh_log(HH_LOG_WARN, "search index not read again: %s",
			       hh_rc_name(rc));
		return;
	}
	if (!strcmp(c->entity, "life_event") || !strcmp(c->entity, "case_type")) {
		rc = hh_index_refresh_kind(f->idx, f->st,
					   c->entity[0] == 'l' ? HH_DOC_GUIDE
							       : HH_DOC_SERVICE);
		if (rc != HH_OK)
			hh_log(HH_LOG_WARN, "search index not refreshed for %s: %s",
			       c->entity, hh_rc_name(rc));
		return;
	}
	if (strcmp(c->entity, "article") != 0)
		return;
	rc = hh_index_refresh(f->idx, f->st, c->id);
	if (rc != HH_OK)
		hh_log(HH_LOG_WARN,
		       "search index not refreshed for article %lld: %s",
		       (long long)c->id, hh_rc_name(rc));
}

enum hh_rc hh_index_follow(struct hh_index *idx, struct hh_store *st,
			   struct hh_index_follower **out)
{
	struct hh_index_follower *f = hh_xmalloc(sizeof(*f));
	f->idx = idx;
	f->st = st;
	enum hh_rc rc = hh_store_subscribe(st, on_change, f);
	if (rc != HH_OK) {
		free(f);
		return rc;
	}
	*out = f;
	return HH_OK;
}

void hh_index_unfollow(struct hh_index_follower *f)
{
	if (!f)
		return;
	hh_store_unsubscribe(f->st, on_change, f);
	free(f);
}
