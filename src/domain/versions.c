/* versions.c - s-edit (issue 13): versions, diff, restore, local versions. */
#include "domain/versions.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/access.h"
#include "domain/articles.h"

/* ---- the line diff ---------------------------------------------------- */

struct line {
	const char *s;
	size_t len;
};

/* Splits text into lines (a trailing line break does not start an empty
 * last line; CR before LF is dropped). *out in ar. */
static size_t split_lines(struct hh_arena *ar, const char *text,
			  struct line **out)
{
	size_t n = 0, cap = 1;
	for (const char *p = text; *p; p++)
		cap += *p == '\n';
	struct line *v = hh_arena_alloc(ar, cap * sizeof(*v));
	const char *p = text;
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		size_t keep = len;
		if (keep && p[keep - 1] == '\r')
			keep--;
		v[n].s = p;
		v[n].len = keep;
		n++;
		p += len;
		if (*p == '\n')
			p++;
	}
	*out = v;
	return n;
}

static int same_line(const struct line *a, const struct line *b)
{
	return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

struct diff_out {
	struct hh_diff_line *v;
	size_t n;
	size_t added, removed;
};

static void emit(struct diff_out *o, enum hh_diff_op op, const struct line *l)
{
	o->v[o->n].op = op;
	o->v[o->n].text = l->s;
	o->v[o->n].len = l->len;
	o->n++;
	if (op == HH_DIFF_ADD)
		o->added++;
	else if (op == HH_DIFF_DEL)
		o->removed++;
}

void hh_text_diff(struct hh_arena *ar, const char *old_text,
		  const char *new_text, struct hh_diff_line **lines, size_t *n,
		  size_t *added, size_t *removed)
{
	struct line *a, *b;
	size_t na = split_lines(ar, old_text ? old_text : "", &a);
	size_t nb = split_lines(ar, new_text ? new_text : "", &b);
	struct diff_out o = { .v = hh_arena_alloc(ar, (na + nb + 1) *
							 sizeof(*o.v)) };
	/* the common beginning and end need no table */
	size_t pre = 0;
	while (pre < na && pre < nb && same_line(&a[pre], &b[pre]))
		pre++;
	size_t suf = 0;
	while (suf < na - pre && suf < nb - pre &&
	       same_line(&a[na - 1 - suf], &b[nb - 1 - suf]))
		suf++;
	for (size_t i = 0; i < pre; i++)
		emit(&o, HH_DIFF_SAME, &a[i]);
	const struct line *ma = a + pre, *mb = b + pre;
	size_t m = na - pre - suf, k = nb - pre - suf;
	uint64_t cells = (uint64_t)(m + 1) * (uint64_t)(k + 1);
	if (m && k && cells <= HH_DIFF_MAX_CELLS) {
		/* t[i][j]: the longest common subsequence of ma[i..] and
		 * mb[j..]; walked from the start, it gives the edits in
		 * reading order, removals before additions */
		/* 16 bits hold any length: it is at most the shorter side,
		 * and the cap keeps that under 2,049 */
		uint16_t *t = hh_xcalloc(cells, sizeof(*t));
#define T(i, j) t[(size_t)(i) * (k + 1) + (j)]
		for (size_t i = m; i-- > 0;)
			for (size_t j = k; j-- > 0;)
				T(i, j) = (uint16_t)(same_line(&ma[i], &mb[j])
						  ? T(i + 1, j + 1) + 1
						  : T(i + 1, j) >= T(i, j + 1)
							    ? T(i + 1, j)
							    : T(i, j + 1));
		size_t i = 0, j = 0;
		while (i < m && j < k) {
			if (same_line(&ma[i], &mb[j])) {
				emit(&o, HH_DIFF_SAME, &ma[i]);
				i++, j++;
			} else if (T(i + 1, j) >= T(i, j + 1)) {
				emit(&o, HH_DIFF_DEL, &ma[i++]);
			} else {
				emit(&o, HH_DIFF_ADD, &mb[j++]);
			}
		}
#undef T
		free(t);
		for (; i < m; i++)
			emit(&o, HH_DIFF_DEL, &ma[i]);
		for (; j < k; j++)
			emit(&o, HH_DIFF_ADD, &mb[j]);
	} else {
		for (size_t i = 0; i < m; i++)
			emit(&o, HH_DIFF_DEL, &ma[i]);
		for (size_t j = 0; j < k; j++)
			emit(&o, HH_DIFF_ADD, &mb[j]);
	}
	for (size_t i = na - suf; i < na; i++)
		emit(&o, HH_DIFF_SAME, &a[i]);
	*lines = o.v;
	*n = o.n;
	if (added)
		*added = o.added;
	if (removed)
		*removed = o.removed;
}

/* ---- versions ----------------------------------------------------------- */

struct versions_ctx {
	const struct hh_actor *who;
	struct hh_arena *ar;
	int64_t org_id;
	const char *slug;
	struct hh_article cur;
	int64_t want; /* hh_article_version: the one version; 0: all */
	struct hh_article *items;
	size_t n, cap;
};

static enum hh_rc keep_version(void *p, const struct hh_article *a)
{
	struct versions_ctx *c = p;
	if (c->want && a->version != c->want)
		return HH_OK;
	c->items = hh_arena_grow(c->ar, c->items, c->n, &c->cap,
				 sizeof(*c->items), 16);
	c->items[c->n++] = *a;
	return HH_OK;
}

static enum hh_rc versions_tx(struct hh_tx *tx, void *p)
{
	struct versions_ctx *c = p;
	c->n = 0;
	enum hh_rc rc = tx->store->article_get(tx, c->ar, c->org_id, c->slug,
					       &c->cur);
	if (rc != HH_OK)
		return rc;
	struct hh_owner owner = { c->cur.org_id, 0 };
	rc = hh_access(c->who, HH_RES_ARTICLE_HISTORY, HH_ACT_READ, &owner);
	if (rc != HH_OK)
		return HH_ERR_NOT_FOUND;
	return tx->store->article_versions(tx, c->ar, c->cur.id, keep_version,
					   c);
}

static enum hh_rc load_versions(struct hh_store *st, struct versions_ctx *c)
{
	if (hh_access_scope(c->who, HH_RES_ARTICLE_HISTORY, HH_ACT_READ) ==
	    HH_SCOPE_NONE)
		return HH_ERR_FORBIDDEN;
	return hh_store_run_tx(st, 0, versions_tx, c);
}

enum hh_rc hh_article_versions(struct hh_store *st, const struct hh_actor *who,
			       struct hh_arena *ar, int64_t org_id,
			       const char *slug, struct hh_article *cur,
			       hh_article_cb cb, void *ctx)
{
	struct versions_ctx c = { .who = who, .ar = ar, .org_id = org_id,
				  .slug = slug };
	enum hh_rc rc = load_versions(st, &c);
	if (rc != HH_OK)
		return rc;
	if (cur)
		*cur = c.cur;
	for (size_t i = 0; rc == HH_OK && i < c.n; i++)
		rc = cb(ctx, &c.items[i]);
	return rc;
}

enum hh_rc hh_article_version(struct hh_store *st, const struct hh_actor *who,
			      struct hh_arena *ar, int64_t org_id,
			      const char *slug, int64_t version,
			      struct hh_article *cur, struct hh_article *out)
{
	if (version < 1)
		return HH_ERR_NOT_FOUND;
	struct versions_ctx c = { .who = who, .ar = ar, .org_id = org_id,
				  .slug = slug, .want = version };
	enum hh_rc rc = load_versions(st, &c);
	if (rc != HH_OK)
		return rc;
	if (!c.n)
		return HH_ERR_NOT_FOUND;
	if (cur)
		*cur = c.cur;
	if (out)
		*out = c.items[0];
	return HH_OK;
}

enum hh_rc hh_article_restore(struct hh_store *st, const struct hh_actor *who,
			      struct hh_arena *ar, int64_t org_id,
			      const char *slug, int64_t version,
			      int64_t expected_version, struct hh_article *out,
			      int *changed)
{
	struct hh_article cur, old;
	enum hh_rc rc = hh_article_version(st, who, ar, org_id, slug, version,
					   &cur, &old);
	if (rc != HH_OK)
		return rc;
	/* s-tune: asked again once done (a retry of the same restore), or
	 * the text is already that version's: nothing to write, whatever
	 * the version sent, as the same PUT finds nothing to change */
	struct hh_version_change same;
	hh_version_change_of(ar, &cur, &old, &same);
	if (!(same.fields & ~HH_VCH_STATUS)) {
		if (out)
			*out = cur;
		if (changed)
			*changed = 0;
		return HH_OK;
	}
	struct hh_article next = cur;
	next.title = old.title;
	next.summary = old.summary;
	next.body_md = old.body_md;
	next.keywords = old.keywords;
	next.kle = old.kle;
	next.audience = old.audience;
	const char *field;
	rc = hh_article_update_as(st, who, ar, &next, expected_version,
				  "restore", changed, &field);
	if (rc == HH_OK && out)
		*out = next;
	return rc;
}

/* ---- s-tune: what a version changed ------------------------------------- */

static int differ(const char *x, const char *y)
{
	return strcmp(x ? x : "", y ? y : "") != 0;
}

void hh_version_change_of(struct hh_arena *ar, const struct hh_article *prev,
			  const struct hh_article *v, struct hh_version_change *out)
{
	static const struct hh_article none = { 0 };
	if (!prev)
		prev = &none;
	out->fields = (differ(prev->title, v->title) ? HH_VCH_TITLE : 0) |
		      (differ(prev->summary, v->summary) ? HH_VCH_SUMMARY : 0) |
		      (differ(prev->body_md, v->body_md) ? HH_VCH_BODY : 0) |
		      (differ(prev->keywords, v->keywords) ? HH_VCH_KEYWORDS : 0) |
		      (differ(prev->kle, v->kle) ? HH_VCH_KLE : 0) |
		      (prev->audience != v->audience ? HH_VCH_AUDIENCE : 0) |
		      (prev->status != v->status ? HH_VCH_STATUS : 0);
	out->added = out->removed = 0;
	if (out->fields & HH_VCH_BODY) {
		struct hh_diff_line *lines;
		size_t n;
		hh_text_diff(ar, prev->body_md ? prev->body_md : "",
			     v->body_md ? v->body_md : "", &lines, &n,
			     &out->added, &out->removed);
	}
}

const char *hh_version_field_name(unsigned bit)
{
	switch (bit) {
	case HH_VCH_TITLE: return "title";
	case HH_VCH_SUMMARY: return "summary";
	case HH_VCH_BODY: return "body";
	case HH_VCH_KEYWORDS: return "keywords";
	case HH_VCH_KLE: return "kle";
	case HH_VCH_AUDIENCE: return "audience";
	case HH_VCH_STATUS: return "status";
	default: return NULL;
	}
}

/* ---- local versions ----------------------------------------------------- */

enum hh_rc hh_article_make_local(struct hh_store *st, const struct hh_actor *who,
				 struct hh_arena *ar, const char *slug,
				 struct hh_article *out)
{
	if (!who->org_id || !who->org_is_municipality ||
	    !hh_article_can_edit(who, who->org_id))
		return HH_ERR_FORBIDDEN;
	struct hh_article shared;
	enum hh_rc rc = hh_article_read(st, who, ar, 0, slug, &shared);
	if (rc != HH_OK)
		return rc;
	struct hh_article a = shared;
	a.id = 0;
	a.org_id = who->org_id;
	a.org_code = a.org_name = NULL;
	a.status = HH_STATUS_DRAFT;
	a.version = 0;
	a.views = 0;
	const char *field;
	rc = hh_article_create(st, who, ar, &a, &field);
	if (rc == HH_OK)
		*out = a;
	return rc;
}
