/* articles.c - the rules for knowledge articles. */
#include "domain/articles.h"
#include "domain/access.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/util.h"
#include "domain/markdown.h"

const char *hh_audience_name(enum hh_audience a)
{
	return a == HH_AUDIENCE_STAFF ? "staff" : "citizen";
}

const char *hh_status_name(enum hh_status s)
{
	switch (s) {
	case HH_STATUS_DRAFT: return "draft";
	case HH_STATUS_ARCHIVED: return "archived";
	default: return "published";
	}
}

enum hh_audience hh_audience_parse(const char *s)
{
	if (!s)
		return 0;
	if (!strcmp(s, "citizen"))
		return HH_AUDIENCE_CITIZEN;
	if (!strcmp(s, "staff"))
		return HH_AUDIENCE_STAFF;
	return 0;
}

enum hh_status hh_status_parse(const char *s)
{
	if (!s)
		return 0;
	if (!strcmp(s, "draft"))
		return HH_STATUS_DRAFT;
	if (!strcmp(s, "published"))
		return HH_STATUS_PUBLISHED;
	if (!strcmp(s, "archived"))
		return HH_STATUS_ARCHIVED;
	return 0;
}

const char *hh_keywords_normalise(struct hh_arena *ar, const char *s)
{
	size_t n = strlen(s);
	char *out = hh_arena_alloc(ar, n + 1), *p = out;
	while (*s) {
		while (*s == ',' || isspace((unsigned char)*s))
			s++;
		const char *start = s;
		while (*s && *s != ',')
			s++;
		const char *end = s;
		while (end > start && isspace((unsigned char)end[-1]))
			end--;
		if (end > start) {
			if (p != out)
				*p++ = ',', *p++ = ' ';
			memcpy(p, start, (size_t)(end - start));
			p += end - start;
		}
	}
	*p = 0;
	return out;
}

/* Puts the text fields in the form the content files can hold, so that
 * export -> import -> export gives the same bytes (docs/content-format.md):
 * title and summary without surrounding blanks (a file's value is trimmed),
 * the body without CR before LF (import drops it) and without trailing
 * line breaks (a file ends with exactly one). */
static const char *trim_blanks(struct hh_arena *ar, const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return hh_arena_strndup(ar, s, n);
}

static const char *canonical_body(struct hh_arena *ar, const char *s)
{
	size_t n = 0;
	char *out = hh_arena_alloc(ar, strlen(s) + 1);
	for (; *s; s++) {
		if (*s == '\n')
			while (n && out[n - 1] == '\r')
				n--;
		out[n++] = *s;
	}
	while (n && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		n--;
	out[n] = 0;
	return out;
}

static void canonicalise(struct hh_arena *ar, struct hh_article *a)
{
	if (!a->kle)
		a->kle = "";
	if (!a->keywords)
		a->keywords = "";
	if (a->title)
		a->title = trim_blanks(ar, a->title);
	if (a->summary)
		a->summary = trim_blanks(ar, a->summary);
	if (a->body_md)
		a->body_md = canonical_body(ar, a->body_md);
}

static int text_ok(const char *s, size_t min, size_t max, int single_line)
{
	if (!s)
		return min == 0;
	size_t bytes = strlen(s);
	if (!hh_utf8_valid(s, bytes))
		return 0;
	size_t n = hh_utf8_len(s);
	if (n < min || n > max)
		return 0;
	if (single_line)
		for (const char *p = s; *p; p++)
			if (*p == '\n' || *p == '\r')
				return 0;
	return 1;
}

static int blank(const char *s)
{
	for (; s && *s; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

enum hh_rc hh_article_validate(const struct hh_article *a, const char **field)
{
	if (!a->slug || !hh_slug_valid(a->slug))
		return *field = "slug", HH_ERR_INVALID;
	if (!text_ok(a->title, 1, HH_TITLE_MAX, 1) || blank(a->title))
		return *field = "title", HH_ERR_INVALID;
	if (!text_ok(a->summary, 1, HH_SUMMARY_MAX, 1) || blank(a->summary))
		return *field = "summary", HH_ERR_INVALID;
	if (!a->body_md || strlen(a->body_md) > HH_BODY_MAX ||
	    !hh_utf8_valid(a->body_md, strlen(a->body_md)))
		return *field = "body", HH_ERR_INVALID;
	if (!text_ok(a->keywords, 0, HH_KEYWORDS_MAX, 1))
		return *field = "keywords", HH_ERR_INVALID;
	if (a->kle && !hh_kle_valid(a->kle))
		return *field = "kle", HH_ERR_INVALID;
	if (a->audience != HH_AUDIENCE_CITIZEN && a->audience != HH_AUDIENCE_STAFF)
		return *field = "audience", HH_ERR_INVALID;
	if (a->status != HH_STATUS_DRAFT && a->status != HH_STATUS_PUBLISHED &&
	    a->status != HH_STATUS_ARCHIVED)
		return *field = "status", HH_ERR_INVALID;
	return HH_OK;
}

int hh_article_can_edit(const struct hh_actor *who, int64_t org_id)
{
	struct hh_owner o = { org_id, 0 };
	return hh_access(who, HH_RES_ARTICLE, HH_ACT_CHANGE, &o) == HH_OK;
}

/* The resource an article is in the access table. */
static enum hh_resource article_resource(const struct hh_article *a)
{
	if (a->status != HH_STATUS_PUBLISHED)
		return HH_RES_ARTICLE_DRAFT;
	return a->audience == HH_AUDIENCE_STAFF ? HH_RES_ARTICLE_STAFF
						: HH_RES_ARTICLE;
}

int hh_article_can_read(const struct hh_actor *who, const struct hh_article *a)
{
	static const struct hh_actor anonymous;
	struct hh_owner o = { a->org_id, 0 };
	return hh_access(who ? who : &anonymous, article_resource(a),
			 HH_ACT_READ, &o) == HH_OK;
}

json_t *hh_article_json(const struct hh_article *a, int with_body)
{
	json_t *kw = json_array();
	const char *s = a->keywords ? a->keywords : "";
	while (*s) {
		const char *e = strstr(s, ", ");
		size_t n = e ? (size_t)(e - s) : strlen(s);
		json_array_append_new(kw, json_stringn(s, n));
		s += n;
		if (e)
			s += 2;
	}
	char created[21], updated[21];
	hh_time_iso(a->created_at, created);
	hh_time_iso(a->updated_at, updated);
	json_t *j = json_pack(
		"{s:s, s:s?, s:s, s:s, s:o, s:s, s:s, s:s, s:I, s:s, s:s, s:s?}",
		"slug", a->slug, "organisation", a->org_code, "title", a->title,
		"summary", a->summary, "keywords", kw, "kle",
		a->kle ? a->kle : "", "audience", hh_audience_name(a->audience),
		"status", hh_status_name(a->status), "version",
		(json_int_t)a->version, "created_at", created, "updated_at",
		updated, "organisation_name", a->org_name);
	if (with_body) {
		json_object_set_new(j, "body", json_string(a->body_md));
		if (a->body_html)
			json_object_set_new(j, "body_html",
					    json_string(a->body_html));
	}
	return j;
}

static char *event_json(const struct hh_article *a)
{
	json_t *j = hh_article_json(a, 1);
	json_object_del(j, "body_html");
	json_object_del(j, "organisation_name");
	json_object_del(j, "created_at");
	json_object_del(j, "updated_at");
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	return s;
}

static enum hh_rc append_event(struct hh_tx *tx, const struct hh_actor *who,
			       const char *action,
			       const struct hh_article *before,
			       const struct hh_article *after)
{
	char *b = before ? event_json(before) : NULL;
	char *af = after ? event_json(after) : NULL;
	struct hh_event e = {
		.actor = who->label,
		.org_id = after ? after->org_id : before->org_id,
		.entity = "article",
		.entity_id = after ? after->id : before->id,
		.action = action,
		.before = b,
		.after = af,
	};
	enum hh_rc rc = tx->store->event_append(tx, &e);
	free(b);
	free(af);
	return rc;
}

struct write_ctx {
	const struct hh_actor *who;
	struct hh_arena *ar;
	struct hh_article *a;
	int64_t expected;
	int archive;
	int changed;
	const char *action; /* the event's, when not "update"/"archive" */
};

static void render(struct hh_arena *ar, struct hh_article *a)
{
	char *html = hh_markdown_html(a->body_md, strlen(a->body_md));
	a->body_html = hh_arena_strdup(ar, html);
	free(html);
}

static enum hh_rc create_tx(struct hh_tx *tx, void *p)
{
	struct write_ctx *c = p;
	struct hh_article *a = c->a;
	enum hh_rc rc;
	if (a->org_id) {
		struct hh_org org;
		rc = tx->store->org_get(tx, c->ar, a->org_id, &org);
		if (rc != HH_OK)
			return rc == HH_ERR_NOT_FOUND ? HH_ERR_INVALID : rc;
		a->org_code = org.code;
		a->org_name = org.name;
	} else {
		a->org_code = a->org_name = NULL;
	}
	a->updated_at = 0;
	a->updated_by = c->who->label;
	rc = tx->store->article_insert(tx, a);
	if (rc != HH_OK)
		return rc;
	return append_event(tx, c->who, "create", NULL, a);
}

void hh_article_changed(struct hh_store *st, const struct hh_article *a,
			const char *action)
{
	struct hh_change c = { "article", a->id, a->org_id, action };
	hh_store_changed(st, &c);
}

enum hh_rc hh_article_create(struct hh_store *st, const struct hh_actor *who,
			     struct hh_arena *ar, struct hh_article *a,
			     const char **field)
{
	*field = NULL;
	canonicalise(ar, a);
	enum hh_rc rc = hh_article_validate(a, field);
	if (rc != HH_OK)
		return rc;
	if (!hh_article_can_edit(who, a->org_id))
		return HH_ERR_FORBIDDEN;
	a->keywords = hh_keywords_normalise(ar, a->keywords);
	render(ar, a);
	struct write_ctx c = { .who = who, .ar = ar, .a = a };
	rc = hh_store_run_tx(st, 1, create_tx, &c);
	if (rc == HH_OK)
		hh_article_changed(st, a, "create");
	if (rc == HH_ERR_INVALID)
		*field = "organisation";
	else if (rc == HH_ERR_CONFLICT)
		*field = "slug";
	return rc;
}

static int same(const char *x, const char *y)
{
	return strcmp(x ? x : "", y ? y : "") == 0;
}

static enum hh_rc update_tx(struct hh_tx *tx, void *p)
{
	struct write_ctx *c = p;
	struct hh_article cur;
	enum hh_rc rc = tx->store->article_get(tx, c->ar, c->a->org_id,
					       c->a->slug, &cur);
	if (rc != HH_OK)
		return rc;
	if (!hh_article_can_edit(c->who, cur.org_id))
		return hh_article_can_read(c->who, &cur) ? HH_ERR_FORBIDDEN
							 : HH_ERR_NOT_FOUND;
	if (c->expected && c->expected != cur.version)
		return HH_ERR_CONFLICT;
	struct hh_article next = cur;
	if (c->archive) {
		next.status = HH_STATUS_ARCHIVED;
	} else {
		next.title = c->a->title;
		next.summary = c->a->summary;
		next.body_md = c->a->body_md;
		next.body_html = c->a->body_html;
		next.keywords = c->a->keywords;
		next.kle = c->a->kle;
		next.audience = c->a->audience;
		next.status = c->a->status;
	}
	c->changed = !same(next.title, cur.title) ||
		     !same(next.summary, cur.summary) ||
		     !same(next.body_md, cur.body_md) ||
		     !same(next.keywords, cur.keywords) ||
		     !same(next.kle, cur.kle) || next.audience != cur.audience ||
		     next.status != cur.status;
	if (!c->changed) {
		*c->a = cur;
		return HH_OK;
	}
	next.updated_at = 0;
	next.updated_by = c->who->label;
	rc = tx->store->article_update(tx, &next, cur.version);
	if (rc != HH_OK)
		return rc;
	rc = append_event(tx, c->who,
			  c->action ? c->action
				    : c->archive ? "archive" : "update",
			  &cur, &next);
	if (rc == HH_OK)
		*c->a = next;
	return rc;
}

enum hh_rc hh_article_update(struct hh_store *st, const struct hh_actor *who,
			     struct hh_arena *ar, struct hh_article *a,
			     int64_t expected_version, int *changed,
			     const char **field)
{
	return hh_article_update_as(st, who, ar, a, expected_version, "update",
				    changed, field);
}

enum hh_rc hh_article_update_as(struct hh_store *st, const struct hh_actor *who,
				struct hh_arena *ar, struct hh_article *a,
				int64_t expected_version, const char *action,
				int *changed, const char **field)
{
	*field = NULL;
	canonicalise(ar, a);
	enum hh_rc rc = hh_article_validate(a, field);
	if (rc != HH_OK)
		return rc;
	a->keywords = hh_keywords_normalise(ar, a->keywords);
	render(ar, a);
	struct write_ctx c = { .who = who, .ar = ar, .a = a,
			       .expected = expected_version, .action = action };
	rc = hh_store_run_tx(st, 1, update_tx, &c);
	if (rc == HH_OK && c.changed)
		hh_article_changed(st, a, "update");
	if (changed)
		*changed = rc == HH_OK && c.changed;
	return rc;
}

enum hh_rc hh_article_put_in_tx(struct hh_tx *tx, const struct hh_actor *who,
				struct hh_arena *ar, struct hh_article *a,
				int *outcome, const char **field)
{
	*field = NULL;
	*outcome = 0;
	canonicalise(ar, a);
	enum hh_rc rc = hh_article_validate(a, field);
	if (rc != HH_OK)
		return rc;
	a->keywords = hh_keywords_normalise(ar, a->keywords);
	render(ar, a);
	struct hh_article cur;
	rc = tx->store->article_get(tx, ar, a->org_id, a->slug, &cur);
	struct write_ctx c = { .who = who, .ar = ar, .a = a };
	if (rc == HH_ERR_NOT_FOUND) {
		if (!hh_article_can_edit(who, a->org_id))
			return HH_ERR_FORBIDDEN;
		rc = create_tx(tx, &c);
		if (rc == HH_OK)
			*outcome = 1;
		return rc;
	}
	if (rc != HH_OK)
		return rc;
	rc = update_tx(tx, &c);
	if (rc == HH_OK && c.changed)
		*outcome = 2;
	return rc;
}

enum hh_rc hh_article_archive(struct hh_store *st, const struct hh_actor *who,
			      struct hh_arena *ar, int64_t org_id,
			      const char *slug, int64_t expected_version,
			      struct hh_article *out)
{
	struct hh_article a = { .org_id = org_id, .slug = slug };
	struct write_ctx c = { .who = who, .ar = ar, .a = &a,
			       .expected = expected_version, .archive = 1 };
	enum hh_rc rc = hh_store_run_tx(st, 1, update_tx, &c);
	if (rc == HH_OK && c.changed)
		hh_article_changed(st, &a, "archive");
	if (rc == HH_OK && out)
		*out = a;
	return rc;
}

enum hh_rc hh_article_resolve(struct hh_tx *tx, struct hh_arena *ar,
			      const struct hh_actor *who, int64_t muni_id,
			      const char *slug, struct hh_article *out)
{
	struct hh_store *st = tx->store;
	enum hh_rc rc;
	/* A draft override must not hide the published shared article from
	 * readers who cannot see the draft. */
	if (muni_id) {
		rc = st->article_get(tx, ar, muni_id, slug, out);
		if (rc == HH_OK && hh_article_can_read(who, out))
			return HH_OK;
		if (rc != HH_OK && rc != HH_ERR_NOT_FOUND)
			return rc;
	}
	rc = st->article_get(tx, ar, 0, slug, out);
	if (rc == HH_OK && hh_article_can_read(who, out))
		return HH_OK;
	if (rc != HH_OK && rc != HH_ERR_NOT_FOUND)
		return rc;
	/* National agencies' own articles are for everyone. */
	rc = st->article_get_agency(tx, ar, slug, out);
	if (rc == HH_OK && !hh_article_can_read(who, out))
		rc = HH_ERR_NOT_FOUND;
	return rc;
}

/* ---- reading, for one reader ------------------------------------------ */

/* Rows gathered in a transaction, handed on after it (a retry starts
 * again from n = 0). */
struct article_rows {
	struct hh_arena *ar;
	struct hh_article *items;
	size_t n, cap;
};

static enum hh_rc keep_article(void *p, const struct hh_article *a)
{
	struct article_rows *rows = p;
	if (rows->n == rows->cap) {
		size_t cap = rows->cap ? rows->cap * 2 : 16;
		struct hh_article *items = hh_arena_alloc(rows->ar,
							  cap * sizeof(*items));
		if (rows->n)
			memcpy(items, rows->items, rows->n * sizeof(*items));
		rows->items = items;
		rows->cap = cap;
	}
	rows->items[rows->n++] = *a;
	return HH_OK;
}

static enum hh_rc hand_on(const struct article_rows *rows, hh_article_cb cb,
			  void *ctx)
{
	for (size_t i = 0; i < rows->n; i++) {
		enum hh_rc rc = cb(ctx, &rows->items[i]);
		if (rc != HH_OK)
			return rc;
	}
	return HH_OK;
}

struct list_ctx {
	struct hh_arena *ar;
	const struct hh_actor *who;
	struct hh_article_filter f;
	int64_t offset, limit, total;
	struct article_rows rows;
};

/* The store's filter keeps the shared drafts for every editor; an
 * agency's editors may not read them (the table gives shared articles
 * to municipalities), so each row is asked once more: a list never hands
 * on what its reader may not read. */
static enum hh_rc keep_listed(void *p, const struct hh_article *a)
{
	struct list_ctx *c = p;
	if (!hh_article_can_read(c->who, a))
		return HH_OK;
	return keep_article(&c->rows, a);
}

static enum hh_rc list_tx(struct hh_tx *tx, void *p)
{
	struct list_ctx *c = p;
	c->rows.n = 0;
	return tx->store->article_list(tx, c->ar, &c->f, c->offset, c->limit,
				       &c->total, keep_listed, c);
}

int hh_article_reads_staff(const struct hh_actor *who)
{
	return hh_access_scope(who, HH_RES_ARTICLE_STAFF, HH_ACT_READ) !=
	       HH_SCOPE_NONE;
}

enum hh_rc hh_article_list(struct hh_store *st, const struct hh_actor *who,
			   struct hh_arena *ar, const struct hh_article_query *q,
			   int64_t *total, hh_article_cb cb, void *ctx,
			   const char **field)
{
	struct list_ctx c = { .ar = ar, .who = who, .offset = q->offset,
			      .limit = q->limit, .rows = { .ar = ar } };
	c.f.org_id = q->org_id;
	c.f.kle = q->kle;
	c.f.audience = q->audience;
	c.f.status = q->status;
	*field = NULL;
	/* the list's filter is the table's scope for this reader */
	enum hh_access_scope drafts =
		hh_access_scope(who, HH_RES_ARTICLE_DRAFT, HH_ACT_READ);
	if (!hh_article_reads_staff(who)) {
		if (q->audience == HH_AUDIENCE_STAFF)
			return *field = "audience", HH_ERR_FORBIDDEN;
		c.f.audience = HH_AUDIENCE_CITIZEN;
	}
	switch (drafts) {
	case HH_SCOPE_ANY:
		break;
	case HH_SCOPE_OWN_ORG:
	case HH_SCOPE_OWN_ORG_SHARED:
		c.f.unpublished_org_id = who->org_id;
		break;
	default:
		if (q->status && q->status != HH_STATUS_PUBLISHED)
			return *field = "status", HH_ERR_FORBIDDEN;
		c.f.status = HH_STATUS_PUBLISHED;
		break;
	}
	enum hh_rc rc = hh_store_run_tx(st, 0, list_tx, &c);
	if (rc != HH_OK)
		return rc;
	if (total)
		*total = c.total;
	return hand_on(&c.rows, cb, ctx);
}

struct read_ctx {
	const struct hh_actor *who;
	struct hh_arena *ar;
	int64_t org_id; /* hh_article_read */
	int64_t muni_id; /* hh_article_find */
	const char *slug;
	struct hh_article *out;
	hh_event_cb event_cb; /* hh_article_history */
	struct hh_event *events;
	size_t n_events, cap_events;
};

static enum hh_rc read_tx(struct hh_tx *tx, void *p)
{
	struct read_ctx *c = p;
	enum hh_rc rc = tx->store->article_get(tx, c->ar, c->org_id, c->slug,
					       c->out);
	if (rc == HH_OK && !hh_article_can_read(c->who, c->out))
		rc = HH_ERR_NOT_FOUND;
	return rc;
}

enum hh_rc hh_article_read(struct hh_store *st, const struct hh_actor *who,
			   struct hh_arena *ar, int64_t org_id,
			   const char *slug, struct hh_article *out)
{
	struct read_ctx c = { .who = who, .ar = ar, .org_id = org_id,
			      .slug = slug, .out = out };
	return hh_store_run_tx(st, 0, read_tx, &c);
}

/* The body as c->who reads it: a link to another article that the
 * reader cannot open there (a draft, an archived article, another
 * municipality's local one, a slug that is no article) is shown as its
 * text without the link, so a page never leads a reader to "Siden findes
 * ikke". An editor who may read the draft keeps the link. The links are
 * cmark's own, `<a href="/artikel/SLUG...">TEXT</a>`, never nested. */
static enum hh_rc links_for_reader(struct hh_tx *tx, struct read_ctx *c)
{
	static const char open[] = "<a href=\"/artikel/";
	const char *html = c->out->body_html;
	if (!html || !strstr(html, open))
		return HH_OK;
	struct hh_buf b;
	hh_buf_init(&b);
	enum hh_rc rc = HH_OK;
	const char *p = html, *at;
	while ((at = strstr(p, open))) {
		const char *s = at + sizeof(open) - 1;
		size_t n = strcspn(s, "\"?#");
		const char *tag_end = strchr(s, '>');
		const char *close = tag_end ? strstr(tag_end, "</a>") : NULL;
		if (!close)
			break;
		char slug[128];
		int keep = 0;
		if (n < sizeof(slug)) {
			memcpy(slug, s, n);
			slug[n] = 0;
			if (hh_slug_valid(slug)) {
				struct hh_article t;
				rc = hh_article_resolve(tx, c->ar, c->who,
							c->muni_id, slug, &t);
				keep = rc == HH_OK;
				if (rc == HH_ERR_NOT_FOUND)
					rc = HH_OK;
				if (rc != HH_OK)
					break;
			}
		}
		if (keep) {
			hh_buf_append(&b, p, (size_t)(close + 4 - p));
		} else {
			hh_buf_append(&b, p, (size_t)(at - p));
			hh_buf_append(&b, tag_end + 1,
				      (size_t)(close - tag_end - 1));
		}
		p = close + 4;
	}
	if (rc == HH_OK) {
		hh_buf_puts(&b, p);
		c->out->body_html = hh_arena_strdup(c->ar, hh_buf_str(&b));
	}
	hh_buf_clear(&b);
	return rc;
}

static enum hh_rc find_tx(struct hh_tx *tx, void *p)
{
	struct read_ctx *c = p;
	enum hh_rc rc = hh_article_resolve(tx, c->ar, c->who, c->muni_id,
					   c->slug, c->out);
	return rc == HH_OK ? links_for_reader(tx, c) : rc;
}

enum hh_rc hh_article_find(struct hh_store *st, const struct hh_actor *who,
			   struct hh_arena *ar, int64_t muni_id,
			   const char *slug, struct hh_article *out)
{
	struct read_ctx c = { .who = who, .ar = ar, .muni_id = muni_id,
			      .slug = slug, .out = out };
	return hh_store_run_tx(st, 0, find_tx, &c);
}

static enum hh_rc keep_event(void *p, const struct hh_event *e)
{
	struct read_ctx *c = p;
	c->events = hh_arena_grow(c->ar, c->events, c->n_events, &c->cap_events,
				  sizeof(*c->events), 16);
	c->events[c->n_events++] = *e;
	return HH_OK;
}

static enum hh_rc history_tx(struct hh_tx *tx, void *p)
{
	struct read_ctx *c = p;
	c->n_events = 0;
	enum hh_rc rc = tx->store->article_get(tx, c->ar, c->org_id, c->slug,
					       c->out);
	if (rc != HH_OK)
		return rc;
	struct hh_owner owner = { c->out->org_id, 0 };
	rc = hh_access(c->who, HH_RES_ARTICLE_HISTORY, HH_ACT_READ, &owner);
	if (rc != HH_OK)
		return rc;
	return tx->store->event_list(tx, c->ar, "article", c->out->id,
				     keep_event, c);
}

enum hh_rc hh_article_history(struct hh_store *st, const struct hh_actor *who,
			      struct hh_arena *ar, int64_t org_id,
			      const char *slug, hh_event_cb cb, void *ctx)
{
	if (hh_access_scope(who, HH_RES_ARTICLE_HISTORY, HH_ACT_READ) ==
	    HH_SCOPE_NONE)
		return HH_ERR_FORBIDDEN;
	struct hh_article a;
	struct read_ctx c = { .who = who, .ar = ar, .org_id = org_id,
			      .slug = slug, .out = &a };
	enum hh_rc rc = hh_store_run_tx(st, 0, history_tx, &c);
	for (size_t i = 0; rc == HH_OK && i < c.n_events; i++)
		rc = cb(ctx, &c.events[i]);
	return rc;
}

struct popular_ctx {
	struct hh_arena *ar;
	const struct hh_actor *who;
	int64_t muni_id;
	int limit;
	struct article_rows rows;
};

static enum hh_rc keep_readable(void *p, const struct hh_article *a)
{
	struct popular_ctx *c = p;
	if (!hh_article_can_read(c->who, a))
		return HH_OK;
	return keep_article(&c->rows, a);
}

static enum hh_rc popular_tx(struct hh_tx *tx, void *p)
{
	struct popular_ctx *c = p;
	c->rows.n = 0;
	return tx->store->article_popular(tx, c->ar, c->muni_id, c->limit,
					  keep_readable, c);
}

enum hh_rc hh_article_popular(struct hh_store *st, const struct hh_actor *who,
			      struct hh_arena *ar, int64_t muni_id, int limit,
			      hh_article_cb cb, void *ctx)
{
	struct popular_ctx c = { .ar = ar, .who = who, .muni_id = muni_id,
				 .limit = limit, .rows = { .ar = ar } };
	enum hh_rc rc = hh_store_run_tx(st, 0, popular_tx, &c);
	if (rc != HH_OK)
		return rc;
	return hand_on(&c.rows, cb, ctx);
}
