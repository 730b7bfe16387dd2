/* services.c - the catalogue of self-service forms (services.h): the
 * public case types with a form, read from the store and parsed. */
#include "domain/services.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/casetype.h"

struct found {
	struct hh_service s;
	struct found *next;
};

/* The forms are collected inside the read transaction and handed to the
 * caller after it: a transaction run again (BUSY) must not stream a
 * form twice. */
struct each_ctx {
	struct found *first, **tail;
	struct hh_arena *a;
	const char *slug; /* only those belonging to this article; NULL: all */
	char quoted[128]; /* "slug", to skip definitions without it unparsed */
	hh_service_cb cb;
	void *ctx;
	struct hh_tx *tx;
};

static const char *dup_or(struct hh_arena *a, const char *s, const char *dflt)
{
	return s ? hh_arena_strdup(a, s) : dflt;
}

static enum hh_rc each_row(void *p, const struct hh_case_type *ct)
{
	struct each_ctx *c = p;
	if (!ct->public || !ct->definition)
		return HH_OK;
	/* an article page asks for its own forms: most definitions do not
	 * name it at all, and need no parsing */
	if (c->slug && !strstr(ct->definition, c->quoted))
		return HH_OK;
	struct hh_case_type_def *def = hh_xmalloc(sizeof(*def));
	char err[256];
	if (hh_case_type_def_parse(ct->definition, def, err, sizeof(err)) != HH_OK) {
		free(def);
		return HH_OK; /* checked at import; a broken one is not offered */
	}
	enum hh_rc rc = HH_OK;
	const struct hh_form *f = &def->form_def;
	if (!def->public || !f->present || !f->n_fields)
		goto done;
	struct hh_service s = {
		.id = ct->id,
		.code = hh_arena_strdup(c->a, ct->code),
		.name = hh_arena_strdup(c->a, def->name),
		.form_title = dup_or(c->a, f->title, NULL),
		.description = dup_or(c->a, def->description, ""),
		.kle = dup_or(c->a, def->kle, ""),
		.organisation = hh_arena_strdup(c->a, def->organisation),
	};
	int mine = !c->slug;
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(def->root, "articles"), i, v)
	{
		const char *slug = json_string_value(v);
		if (!slug)
			continue;
		if (c->slug && !strcmp(slug, c->slug))
			mine = 1;
		if (s.n_articles < HH_SERVICE_ARTICLES)
			s.articles[s.n_articles++] = hh_arena_strdup(c->a, slug);
	}
	if (!mine)
		goto done;
	if (strcmp(def->organisation, "municipality")) {
		struct hh_org o;
		rc = c->tx->store->org_get_by_code(c->tx, c->a, def->organisation, &o);
		if (rc == HH_OK)
			s.org_name = o.name;
		else if (rc == HH_ERR_NOT_FOUND)
			rc = HH_OK; /* shown without its name */
		else
			goto done;
	}
	struct found *x = hh_arena_calloc(c->a, sizeof(*x));
	x->s = s;
	*c->tail = x;
	c->tail = &x->next;
done:
	hh_case_type_def_clear(def);
	free(def);
	return rc;
}

static enum hh_rc each_tx(struct hh_tx *tx, void *p)
{
	struct each_ctx *c = p;
	c->tx = tx;
	c->first = NULL;
	c->tail = &c->first;
	return tx->store->case_type_list(tx, c->a, 1, each_row, c);
}

static enum hh_rc run(struct hh_store *st, struct each_ctx *c)
{
	enum hh_rc rc = hh_store_run_tx(st, 0, each_tx, c);
	for (struct found *x = c->first; rc == HH_OK && x; x = x->next)
		rc = c->cb(c->ctx, &x->s);
	return rc;
}

enum hh_rc hh_services_each(struct hh_store *st, struct hh_arena *a,
			    hh_service_cb cb, void *ctx)
{
	struct each_ctx c = { .a = a, .cb = cb, .ctx = ctx };
	return run(st, &c);
}

enum hh_rc hh_services_for_article(struct hh_store *st, struct hh_arena *a,
				   const char *slug, hh_service_cb cb,
				   void *ctx)
{
	if (!slug || strlen(slug) + 3 > sizeof(((struct each_ctx *)0)->quoted))
		return HH_OK;
	struct each_ctx c = { .a = a, .slug = slug, .cb = cb, .ctx = ctx };
	snprintf(c.quoted, sizeof(c.quoted), "\"%s\"", slug);
	return run(st, &c);
}
