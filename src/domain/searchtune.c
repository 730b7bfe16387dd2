/* searchtune.c - s-edit (issue 13): synonyms in the store, pinned queries. */
#include "domain/searchtune.h"

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utf8proc.h>

#include "core/log.h"
#include "core/util.h"
#include "domain/access.h"
#include "domain/articles.h"

/* ---- normalising a query ------------------------------------------------ */

const char *hh_pin_query_normalise(struct hh_arena *ar, const char *q)
{
	if (!q || strlen(q) > HH_PIN_QUERY_MAX || !hh_utf8_valid(q, strlen(q)))
		return NULL;
	utf8proc_uint8_t *f = NULL;
	if (utf8proc_map((const utf8proc_uint8_t *)q, 0, &f,
			 UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
				 UTF8PROC_CASEFOLD) < 0)
		return NULL;
	/* one space between words, none around them */
	char *out = hh_arena_alloc(ar, strlen((char *)f) + 1);
	size_t n = 0;
	int space = 0;
	for (const char *p = (const char *)f; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			space = n > 0;
			continue;
		}
		if (space)
			out[n++] = ' ';
		space = 0;
		out[n++] = *p;
	}
	out[n] = 0;
	free(f);
	/* words: at least one letter or digit ("?!" has none) */
	const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)out;
	for (utf8proc_ssize_t i = 0; (size_t)i < n;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t len = utf8proc_iterate(u + i, (utf8proc_ssize_t)n - i,
							&cp);
		if (len <= 0)
			break;
		utf8proc_category_t cat = utf8proc_category(cp);
		if (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO)
			return out;
		i += len;
	}
	return NULL;
}

/* ---- synonyms in the store ---------------------------------------------- */

static enum hh_rc event(struct hh_tx *tx, const struct hh_actor *who,
			const char *entity, int64_t id, int64_t org_id,
			const char *action, json_t *before, json_t *after)
{
	char *b = before ? json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS)
			 : NULL;
	char *a = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	struct hh_event e = { .actor = who->label ? who->label : "system",
			      .org_id = org_id, .entity = entity,
			      .entity_id = id, .action = action, .before = b,
			      .after = a };
	enum hh_rc rc = tx->store->event_append(tx, &e);
	free(b);
	free(a);
	json_decref(before);
	json_decref(after);
	return rc;
}

struct seed_ctx {
	char **lines;
	size_t n;
	int only_if_empty;
	int have;
	int added;
};

static enum hh_rc count_rule(void *p, int64_t id, const char *rule)
{
	(void)id;
	(void)rule;
	((struct seed_ctx *)p)->have++;
	return HH_OK;
}

static enum hh_rc seed_tx(struct hh_tx *tx, void *p)
{
	struct seed_ctx *c = p;
	struct hh_arena a;
	hh_arena_init(&a);
	c->have = c->added = 0;
	enum hh_rc rc = HH_OK;
	if (c->only_if_empty)
		rc = tx->store->synonym_list(tx, &a, count_rule, c);
	int64_t now = hh_now_us() / 1000000;
	for (size_t i = 0; rc == HH_OK && !c->have && i < c->n; i++) {
		int64_t id;
		rc = tx->store->synonym_insert(tx, c->lines[i], now, "import", &id);
		if (rc == HH_ERR_CONFLICT) {
			rc = HH_OK; /* there already */
			continue;
		}
		if (rc == HH_OK)
			rc = event(tx, &(struct hh_actor){ .label = "import" },
				   "synonym", id, 0, "create", NULL,
				   json_pack("{s:s}", "rule", c->lines[i]));
		if (rc == HH_OK)
			c->added++;
	}
	hh_arena_clear(&a);
	return rc;
}

/* The rule's text as stored: the line without its comment, trimmed. */
static char *rule_text(const char *line)
{
	size_t l = strcspn(line, "#\r\n");
	while (l && (line[l - 1] == ' ' || line[l - 1] == '\t'))
		l--;
	while (l && (*line == ' ' || *line == '\t'))
		line++, l--;
	return l ? hh_xstrndup(line, l) : NULL;
}

enum hh_rc hh_synonyms_seed(struct hh_store *st, const struct hh_analyzer *an,
			    const char *path, int only_if_empty, FILE *errs,
			    int *added)
{
	if (added)
		*added = 0;
	FILE *f = fopen(path, "r");
	if (!f)
		return HH_OK;
	struct seed_ctx c = { .only_if_empty = only_if_empty };
	size_t cap = 0;
	char line[1024];
	int lineno = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		char *rule = rule_text(line);
		if (!rule)
			continue;
		if (an) {
			struct hh_synonyms probe = { 0 };
			int ok = hh_synonyms_parse_line(&probe, an, rule) > 0;
			hh_synonyms_clear(&probe);
			if (!ok) {
				if (errs)
					fprintf(errs, "%s:%d: not a synonym rule, "
						      "skipped\n", path, lineno);
				free(rule);
				continue;
			}
		}
		if (c.n == cap) {
			cap = cap ? cap * 2 : 64;
			c.lines = hh_xrealloc(c.lines, cap * sizeof(*c.lines));
		}
		c.lines[c.n++] = rule;
	}
	fclose(f);
	enum hh_rc rc = c.n ? hh_store_run_tx(st, 1, seed_tx, &c) : HH_OK;
	if (rc == HH_OK && c.added) {
		struct hh_change ch = { "synonym", 0, 0, "create" };
		hh_store_changed(st, &ch);
	}
	for (size_t i = 0; i < c.n; i++)
		free(c.lines[i]);
	free(c.lines);
	if (added && rc == HH_OK)
		*added = c.added;
	return rc;
}

struct rules {
	struct hh_arena *ar;
	const char **v;
	size_t n, cap;
};

static enum hh_rc keep_rule(void *p, int64_t id, const char *rule)
{
	(void)id;
	struct rules *r = p;
	r->v = hh_arena_grow(r->ar, r->v, r->n, &r->cap, sizeof(*r->v), 64);
	r->v[r->n++] = rule;
	return HH_OK;
}

static enum hh_rc rules_tx(struct hh_tx *tx, void *p)
{
	struct rules *r = p;
	r->n = 0;
	return tx->store->synonym_list(tx, r->ar, keep_rule, r);
}

static enum hh_rc read_rules(struct hh_store *st, struct rules *r)
{
	return hh_store_run_tx(st, 0, rules_tx, r);
}

enum hh_rc hh_synonyms_read(struct hh_store *st, const struct hh_analyzer *an,
			    struct hh_synonyms *out)
{
	out->rules = NULL;
	out->n = 0;
	struct hh_arena a;
	hh_arena_init(&a);
	struct rules r = { .ar = &a };
	enum hh_rc rc = read_rules(st, &r);
	for (size_t i = 0; rc == HH_OK && i < r.n; i++)
		if (hh_synonyms_parse_line(out, an, r.v[i]) < 0)
			hh_log(HH_LOG_WARN, "synonym rule skipped: %s", r.v[i]);
	hh_arena_clear(&a);
	return rc;
}

enum hh_rc hh_synonym_list(struct hh_store *st, struct hh_arena *ar,
			   enum hh_rc (*cb)(void *ctx, const char *rule),
			   void *ctx)
{
	struct rules r = { .ar = ar };
	enum hh_rc rc = read_rules(st, &r);
	for (size_t i = 0; rc == HH_OK && i < r.n; i++)
		rc = cb(ctx, r.v[i]);
	return rc;
}

/* The phrases of a comma separated list, trimmed, each checked with the
 * analyser: "a, b" -> "a, b". NULL when one has no word or too many. */
static const char *phrases(struct hh_arena *ar, const struct hh_analyzer *an,
			   const char *s)
{
	if (!s || strlen(s) > 500 || !hh_utf8_valid(s, strlen(s)) ||
	    strchr(s, '#') || strstr(s, "=>") || strchr(s, '\n') ||
	    strchr(s, '\r'))
		return NULL;
	char *out = hh_arena_alloc(ar, strlen(s) + 1);
	size_t n = 0;
	int parts = 0;
	while (*s) {
		while (*s == ' ' || *s == '\t' || *s == ',')
			s++;
		const char *e = s + strcspn(s, ",");
		const char *t = e;
		while (t > s && (t[-1] == ' ' || t[-1] == '\t'))
			t--;
		if (t > s) {
			/* one phrase must be analysable on its own */
			char *one = hh_arena_strndup(ar, s, (size_t)(t - s));
			struct hh_synonyms probe = { 0 };
			char *line = hh_arena_printf(ar, "%s => %s", one, one);
			int ok = hh_synonyms_parse_line(&probe, an, line) > 0;
			hh_synonyms_clear(&probe);
			if (!ok)
				return NULL;
			if (n)
				out[n++] = ',', out[n++] = ' ';
			memcpy(out + n, s, (size_t)(t - s));
			n += (size_t)(t - s);
			parts++;
		}
		s = e;
	}
	out[n] = 0;
	return parts ? out : NULL;
}

/* The stored line of the rule "words => alternatives" (both_ways:
 * "words, alternatives"), in ar; NULL with *field set when a side is no
 * phrase list. */
static const char *make_rule(struct hh_arena *ar, const struct hh_analyzer *an,
			     const char *words, const char *alternatives,
			     int both_ways, const char **field)
{
	const char *from = phrases(ar, an, words);
	if (!from || strchr(from, ','))
		return *field = "words", NULL;
	const char *to = phrases(ar, an, alternatives);
	if (!to)
		return *field = "alternatives", NULL;
	const char *rule = hh_arena_printf(ar, both_ways ? "%s, %s" : "%s => %s",
					   from, to);
	struct hh_synonyms probe = { 0 };
	int ok = hh_synonyms_parse_line(&probe, an, rule) > 0;
	hh_synonyms_clear(&probe);
	if (!ok)
		return *field = "alternatives", NULL;
	return rule;
}

struct add_ctx {
	const struct hh_actor *who;
	const char *rule;
	int64_t id;
};

/* The rule inserted, or a removed one with its text revived (s-tune);
 * CONFLICT when it is there and not removed. */
static enum hh_rc put_rule(struct hh_tx *tx, const struct hh_actor *who,
			   const char *rule, int64_t *id)
{
	int64_t now = hh_now_us() / 1000000;
	enum hh_rc rc = tx->store->synonym_insert(tx, rule, now, who->label, id);
	if (rc == HH_ERR_CONFLICT) {
		rc = tx->store->synonym_revive(tx, rule, now, who->label, id);
		if (rc == HH_ERR_NOT_FOUND)
			rc = HH_ERR_CONFLICT;
	}
	return rc;
}

static enum hh_rc add_tx(struct hh_tx *tx, void *p)
{
	struct add_ctx *c = p;
	enum hh_rc rc = put_rule(tx, c->who, c->rule, &c->id);
	if (rc != HH_OK)
		return rc;
	return event(tx, c->who, "synonym", c->id, c->who->org_id, "create",
		     NULL, json_pack("{s:s}", "rule", c->rule));
}

enum hh_rc hh_synonym_add(struct hh_store *st, const struct hh_actor *who,
			  const struct hh_analyzer *an, struct hh_arena *ar,
			  const char *words, const char *alternatives,
			  int both_ways, const char **rule, const char **field)
{
	return hh_synonym_add_id(st, who, an, ar, words, alternatives,
				 both_ways, NULL, rule, field);
}

enum hh_rc hh_synonym_add_id(struct hh_store *st, const struct hh_actor *who,
			     const struct hh_analyzer *an, struct hh_arena *ar,
			     const char *words, const char *alternatives,
			     int both_ways, int64_t *id, const char **rule,
			     const char **field)
{
	*field = NULL;
	if (!hh_article_can_edit(who, 0))
		return HH_ERR_FORBIDDEN;
	struct add_ctx c = { .who = who };
	c.rule = make_rule(ar, an, words, alternatives, both_ways, field);
	if (!c.rule)
		return HH_ERR_INVALID;
	enum hh_rc rc = hh_store_run_tx(st, 1, add_tx, &c);
	if (rc == HH_OK) {
		struct hh_change ch = { "synonym", c.id, 0, "create" };
		hh_store_changed(st, &ch);
		if (rule)
			*rule = c.rule;
		if (id)
			*id = c.id;
	}
	return rc;
}

/* ---- s-tune: removing, changing and listing rules ----------------------- */

struct change_ctx {
	const struct hh_actor *who;
	int64_t id;         /* the rule changed or removed */
	const char *rule;   /* the new text; NULL: remove */
	const char *before; /* filled: the old text */
	int64_t new_id;
	struct hh_arena *ar;
};

static enum hh_rc change_tx(struct hh_tx *tx, void *p)
{
	struct change_ctx *c = p;
	int64_t now = hh_now_us() / 1000000;
	enum hh_rc rc = tx->store->synonym_get(tx, c->ar, c->id, &c->before);
	if (rc != HH_OK)
		return rc;
	if (c->rule && !strcmp(c->rule, c->before)) {
		c->new_id = c->id; /* the same text: nothing to do */
		return HH_OK;
	}
	rc = tx->store->synonym_remove(tx, c->id, now, c->who->label);
	if (rc != HH_OK)
		return rc;
	if (!c->rule)
		return event(tx, c->who, "synonym", c->id, c->who->org_id,
			     "delete", json_pack("{s:s}", "rule", c->before),
			     NULL);
	rc = put_rule(tx, c->who, c->rule, &c->new_id);
	if (rc != HH_OK)
		return rc;
	return event(tx, c->who, "synonym", c->new_id, c->who->org_id, "update",
		     json_pack("{s:s, s:I}", "rule", c->before, "id",
			       (json_int_t)c->id),
		     json_pack("{s:s}", "rule", c->rule));
}

static enum hh_rc run_change(struct hh_store *st, struct change_ctx *c)
{
	enum hh_rc rc = hh_store_run_tx(st, 1, change_tx, c);
	if (rc == HH_OK && c->new_id != c->id) {
		struct hh_change ch = { "synonym", c->rule ? c->new_id : c->id, 0,
					c->rule ? "update" : "delete" };
		hh_store_changed(st, &ch);
	}
	return rc;
}

enum hh_rc hh_synonym_remove(struct hh_store *st, const struct hh_actor *who,
			     struct hh_arena *ar, int64_t id, const char **rule)
{
	if (!hh_article_can_edit(who, 0))
		return HH_ERR_FORBIDDEN;
	struct change_ctx c = { .who = who, .id = id, .ar = ar };
	enum hh_rc rc = run_change(st, &c);
	if (rc == HH_OK && rule)
		*rule = c.before;
	return rc;
}

enum hh_rc hh_synonym_change(struct hh_store *st, const struct hh_actor *who,
			     const struct hh_analyzer *an, struct hh_arena *ar,
			     int64_t id, const char *words,
			     const char *alternatives, int both_ways,
			     int64_t *new_id, const char **rule,
			     const char **field)
{
	*field = NULL;
	if (!hh_article_can_edit(who, 0))
		return HH_ERR_FORBIDDEN;
	struct change_ctx c = { .who = who, .id = id, .ar = ar };
	c.rule = make_rule(ar, an, words, alternatives, both_ways, field);
	if (!c.rule)
		return HH_ERR_INVALID;
	enum hh_rc rc = run_change(st, &c);
	if (rc == HH_OK) {
		if (new_id)
			*new_id = c.new_id;
		if (rule)
			*rule = c.rule;
	}
	return rc;
}

struct id_rules {
	struct hh_arena *ar;
	const char *filter; /* folded; NULL: all */
	int64_t *ids;
	const char **v;
	size_t n, cap, cap_ids;
};

static enum hh_rc keep_id_rule(void *p, int64_t id, const char *rule)
{
	struct id_rules *r = p;
	if (r->filter) {
		const char *f = hh_pin_query_normalise(r->ar, rule);
		if (!f || !strstr(f, r->filter))
			return HH_OK;
	}
	r->v = hh_arena_grow(r->ar, r->v, r->n, &r->cap, sizeof(*r->v), 64);
	r->ids = hh_arena_grow(r->ar, r->ids, r->n, &r->cap_ids,
			       sizeof(*r->ids), 64);
	r->ids[r->n] = id;
	r->v[r->n++] = rule;
	return HH_OK;
}

static enum hh_rc id_rules_tx(struct hh_tx *tx, void *p)
{
	struct id_rules *r = p;
	r->n = 0;
	return tx->store->synonym_list(tx, r->ar, keep_id_rule, r);
}

enum hh_rc hh_synonym_page(struct hh_store *st, const struct hh_actor *who,
			   struct hh_arena *ar, const char *filter, int offset,
			   int limit, enum hh_rc (*cb)(void *ctx, int64_t id,
						       const char *rule),
			   void *ctx, int *total)
{
	*total = 0;
	if (!hh_article_can_edit(who, 0))
		return HH_ERR_FORBIDDEN;
	struct id_rules r = { .ar = ar };
	if (filter && *filter)
		r.filter = hh_pin_query_normalise(ar, filter);
	enum hh_rc rc = hh_store_run_tx(st, 0, id_rules_tx, &r);
	if (rc != HH_OK)
		return rc;
	*total = (int)r.n;
	for (size_t i = offset > 0 ? (size_t)offset : 0;
	     rc == HH_OK && i < r.n && (limit <= 0 || i < (size_t)offset + (size_t)limit);
	     i++)
		rc = cb(ctx, r.ids[i], r.v[i]);
	return rc;
}

/* ---- pins ----------------------------------------------------------------- */

/* May who pin queries for their organisation? */
static int may_pin(const struct hh_actor *who)
{
	return who->org_id && who->org_is_municipality &&
	       hh_article_can_edit(who, who->org_id) &&
	       hh_access(who, HH_RES_SEARCH_REPORT, HH_ACT_READ, NULL) == HH_OK;
}

struct pin_ctx {
	const struct hh_actor *who;
	struct hh_search_pin *p;
	int removed;
};

static enum hh_rc pin_tx(struct hh_tx *tx, void *arg)
{
	struct pin_ctx *c = arg;
	struct hh_search_pin *p = c->p;
	json_t *j = json_pack("{s:s, s:I}", "query", p->query, "article_id",
			      (json_int_t)p->article_id);
	enum hh_rc rc;
	if (c->removed) {
		rc = tx->store->pin_delete(tx, p->org_id, p->query);
		if (rc != HH_OK) {
			json_decref(j);
			return rc;
		}
		json_object_del(j, "article_id");
		return event(tx, c->who, "pin", 0, p->org_id, "delete", j, NULL);
	}
	rc = tx->store->pin_put(tx, p);
	if (rc != HH_OK) {
		json_decref(j);
		return rc;
	}
	return event(tx, c->who, "pin", p->id, p->org_id, "create", NULL, j);
}

enum hh_rc hh_pin_add(struct hh_store *st, const struct hh_actor *who,
		      struct hh_arena *ar, const char *query, const char *slug,
		      struct hh_search_pin *out, struct hh_article *article,
		      const char **field)
{
	*field = NULL;
	if (!may_pin(who))
		return HH_ERR_FORBIDDEN;
	const char *q = hh_pin_query_normalise(ar, query);
	if (!q)
		return *field = "query", HH_ERR_INVALID;
	/* the article the municipality's citizens read under that slug (its
	 * published local version before the shared one), not the editor's
	 * view, which would find a local draft first */
	struct hh_article a;
	const struct hh_actor citizen = { 0 };
	enum hh_rc rc = slug && hh_slug_valid(slug)
				? hh_article_find(st, &citizen, ar, who->org_id,
						  slug, &a)
				: HH_ERR_NOT_FOUND;
	if (rc == HH_ERR_NOT_FOUND ||
	    (rc == HH_OK && a.status != HH_STATUS_PUBLISHED))
		return *field = "article", HH_ERR_INVALID;
	if (rc != HH_OK)
		return rc;
	struct hh_search_pin p = { .org_id = who->org_id, .query = q,
				   .article_id = a.id,
				   .created_at = hh_now_us() / 1000000,
				   .created_by = who->label };
	struct pin_ctx c = { .who = who, .p = &p };
	rc = hh_store_run_tx(st, 1, pin_tx, &c);
	if (rc == HH_OK) {
		struct hh_change ch = { "pin", p.id, p.org_id, "create" };
		hh_store_changed(st, &ch);
		if (out)
			*out = p;
		if (article)
			*article = a;
	}
	return rc;
}

enum hh_rc hh_pin_remove(struct hh_store *st, const struct hh_actor *who,
			 struct hh_arena *ar, const char *query)
{
	if (!may_pin(who))
		return HH_ERR_FORBIDDEN;
	const char *q = hh_pin_query_normalise(ar, query);
	if (!q)
		return HH_ERR_NOT_FOUND;
	struct hh_search_pin p = { .org_id = who->org_id, .query = q };
	struct pin_ctx c = { .who = who, .p = &p, .removed = 1 };
	enum hh_rc rc = hh_store_run_tx(st, 1, pin_tx, &c);
	if (rc == HH_OK) {
		struct hh_change ch = { "pin", 0, p.org_id, "delete" };
		hh_store_changed(st, &ch);
	}
	return rc;
}

struct pin_row {
	struct hh_search_pin pin;
	struct hh_article article;
	int agency; /* the article's owner is an agency */
};

struct pin_rows {
	struct hh_arena *ar;
	int64_t org_id; /* -1: all */
	struct pin_row *v;
	size_t n, cap;
};

static enum hh_rc keep_pin(void *p, const struct hh_search_pin *pin)
{
	struct pin_rows *r = p;
	if (r->org_id >= 0 && pin->org_id != r->org_id)
		return HH_OK;
	r->v = hh_arena_grow(r->ar, r->v, r->n, &r->cap, sizeof(*r->v), 16);
	memset(&r->v[r->n], 0, sizeof(r->v[r->n]));
	r->v[r->n++].pin = *pin;
	return HH_OK;
}

static enum hh_rc pins_tx(struct hh_tx *tx, void *p)
{
	struct pin_rows *r = p;
	r->n = 0;
	enum hh_rc rc = tx->store->pin_list(tx, r->ar, keep_pin, r);
	for (size_t i = 0; rc == HH_OK && i < r->n; i++) {
		rc = tx->store->article_get_by_id(tx, r->ar, r->v[i].pin.article_id,
						  &r->v[i].article);
		if (rc == HH_OK && r->v[i].article.org_id) {
			struct hh_org o;
			rc = tx->store->org_get(tx, r->ar, r->v[i].article.org_id,
						&o);
			r->v[i].agency = rc == HH_OK && o.kind == HH_ORG_AGENCY;
		}
	}
	return rc;
}

enum hh_rc hh_pin_list(struct hh_store *st, const struct hh_actor *who,
		       struct hh_arena *ar,
		       enum hh_rc (*cb)(void *ctx, const struct hh_search_pin *p,
					const struct hh_article *a),
		       void *ctx)
{
	struct pin_rows r = { .ar = ar, .org_id = who->system ? -1 : who->org_id };
	if (!who->system && !may_pin(who))
		return HH_ERR_FORBIDDEN;
	enum hh_rc rc = hh_store_run_tx(st, 0, pins_tx, &r);
	for (size_t i = 0; rc == HH_OK && i < r.n; i++)
		rc = cb(ctx, &r.v[i].pin, &r.v[i].article);
	return rc;
}

/* ---- export and import -------------------------------------------------- */

static enum hh_rc write_rule(void *p, const char *rule)
{
	fprintf(p, "%s\n", rule);
	return HH_OK;
}

enum hh_rc hh_search_tuning_export(struct hh_store *st, const char *dir,
				   int *synonyms, int *pins)
{
	struct hh_arena a;
	hh_arena_init(&a);
	enum hh_rc rc = HH_OK;
	char *path = hh_arena_printf(&a, "%s/synonyms.txt", dir);
	struct rules r = { .ar = &a };
	rc = read_rules(st, &r);
	FILE *f = rc == HH_OK ? fopen(path, "w") : NULL;
	if (rc == HH_OK && !f)
		rc = HH_ERR_IO;
	if (f) {
		fputs("# synonyms.txt - exported by helhed: one rule a line.\n"
		      "#   a, b      the same (each way)\n"
		      "#   a => b    a also finds b\n", f);
		for (size_t i = 0; i < r.n; i++)
			write_rule(f, r.v[i]);
		if (fclose(f) != 0)
			rc = HH_ERR_IO;
	}
	if (synonyms)
		*synonyms = (int)r.n;
	struct pin_rows pr = { .ar = &a, .org_id = -1 };
	if (rc == HH_OK)
		rc = hh_store_run_tx(st, 0, pins_tx, &pr);
	if (rc == HH_OK) {
		json_t *arr = json_array();
		for (size_t i = 0; i < pr.n; i++)
			json_array_append_new(
				arr, json_pack("{s:s, s:s, s:s?, s:s}",
					       "organisation", pr.v[i].pin.org_code,
					       "query", pr.v[i].pin.query,
					       "article_organisation",
					       pr.v[i].article.org_code,
					       "article", pr.v[i].article.slug));
		path = hh_arena_printf(&a, "%s/pins.json", dir);
		if (json_dump_file(arr, path, JSON_INDENT(2) | JSON_SORT_KEYS) != 0)
			rc = HH_ERR_IO;
		json_decref(arr);
		if (pins)
			*pins = (int)pr.n;
	}
	hh_arena_clear(&a);
	return rc;
}

struct import_ctx {
	struct hh_arena *ar;
	json_t *arr;
	FILE *errs;
	int imported;
};

static enum hh_rc import_tx(struct hh_tx *tx, void *p)
{
	struct import_ctx *c = p;
	c->imported = 0;
	size_t i;
	json_t *e;
	json_array_foreach(c->arr, i, e) {
		const char *org = json_string_value(json_object_get(e, "organisation"));
		const char *q = json_string_value(json_object_get(e, "query"));
		const char *aorg = json_string_value(
			json_object_get(e, "article_organisation"));
		const char *slug = json_string_value(json_object_get(e, "article"));
		struct hh_org o, ao = { 0 };
		struct hh_article a;
		const char *nq = hh_pin_query_normalise(c->ar, q);
		enum hh_rc rc = org && nq && slug
					? tx->store->org_get_by_code(tx, c->ar, org, &o)
					: HH_ERR_INVALID;
		if (rc == HH_OK && aorg)
			rc = tx->store->org_get_by_code(tx, c->ar, aorg, &ao);
		if (rc == HH_OK)
			rc = tx->store->article_get(tx, c->ar, aorg ? ao.id : 0,
						    slug, &a);
		if (rc == HH_ERR_NOT_FOUND || rc == HH_ERR_INVALID) {
			if (c->errs)
				fprintf(c->errs, "pins.json: pin %zu skipped (its "
						 "organisation or article is not "
						 "there)\n", i + 1);
			continue;
		}
		if (rc != HH_OK)
			return rc;
		struct hh_search_pin pin = { .org_id = o.id, .query = nq,
					     .article_id = a.id,
					     .created_at = hh_now_us() / 1000000,
					     .created_by = "import" };
		rc = tx->store->pin_put(tx, &pin);
		if (rc != HH_OK)
			return rc;
		c->imported++;
	}
	return HH_OK;
}

enum hh_rc hh_pins_import(struct hh_store *st, const char *dir, FILE *errs,
			  int *imported)
{
	if (imported)
		*imported = 0;
	struct hh_arena a;
	hh_arena_init(&a);
	char *path = hh_arena_printf(&a, "%s/pins.json", dir);
	json_error_t je;
	json_t *arr = access(path, R_OK) == 0 ? json_load_file(path, 0, &je)
						 : NULL;
	enum hh_rc rc = HH_OK;
	if (access(path, R_OK) == 0 && !json_is_array(arr)) {
		if (errs)
			fprintf(errs, "%s: not a JSON array of pins\n", path);
		rc = HH_ERR_INVALID;
	} else if (arr) {
		struct import_ctx c = { .ar = &a, .arr = arr, .errs = errs };
		rc = hh_store_run_tx(st, 1, import_tx, &c);
		if (rc == HH_OK && imported)
			*imported = c.imported;
		if (rc == HH_OK && c.imported) {
			struct hh_change ch = { "pin", 0, 0, "create" };
			hh_store_changed(st, &ch);
		}
	}
	json_decref(arr);
	hh_arena_clear(&a);
	return rc;
}

/* ---- at run time -------------------------------------------------------- */

/* A pin as searches read it: by the pinned article's slug, so that the
 * index gives each reader the version they see at that slug now (the
 * municipality's published local version, else the shared or the
 * agency's one; none when none is published), with no reload when a
 * version is published or archived. */
struct pin_entry {
	int64_t muni_id;
	const char *query;
	const char *slug;
	int64_t article_id; /* the article pinned (a reload when it changes) */
};

/* One generation of pins; replaced whole, never changed. */
struct pin_table {
	struct hh_arena ar;
	struct pin_entry *v;
	size_t n;
};

struct hh_search_tuning {
	struct hh_index *idx;
	struct hh_store *st;
	const struct hh_analyzer *an;
	const struct hh_synonyms *before; /* the index's table at the start */
	struct hh_synonyms *syn;          /* ours, in the index; or NULL */
	pthread_mutex_t rebuild;          /* one rebuild at a time */
	pthread_rwlock_t lock;            /* over pins */
	struct pin_table *pins;
};

static _Atomic(struct hh_search_tuning *) running;

static const char *keep(struct hh_arena *ar, const char *s)
{
	return s ? hh_arena_strdup(ar, s) : NULL;
}

static struct pin_table *load_pins(struct hh_store *st)
{
	struct pin_table *t = hh_xcalloc(1, sizeof(*t));
	hh_arena_init(&t->ar);
	struct hh_arena tmp;
	hh_arena_init(&tmp);
	struct pin_rows r = { .ar = &tmp, .org_id = -1 };
	enum hh_rc rc = hh_store_run_tx(st, 0, pins_tx, &r);
	if (rc != HH_OK) {
		hh_log(HH_LOG_WARN, "pinned queries not loaded: %s",
		       hh_rc_name(rc));
		r.n = 0;
	}
	t->v = hh_arena_alloc(&t->ar, (r.n + 1) * sizeof(*t->v));
	for (size_t i = 0; i < r.n; i++) {
		struct pin_entry *e = &t->v[t->n++];
		e->muni_id = r.v[i].pin.org_id;
		e->query = keep(&t->ar, r.v[i].pin.query);
		e->slug = keep(&t->ar, r.v[i].article.slug);
		e->article_id = r.v[i].article.id;
	}
	hh_arena_clear(&tmp);
	return t;
}

static void free_pins(struct pin_table *t)
{
	if (!t)
		return;
	hh_arena_clear(&t->ar);
	free(t);
}

static void swap_pins(struct hh_search_tuning *t)
{
	struct pin_table *fresh = load_pins(t->st);
	pthread_rwlock_wrlock(&t->lock);
	struct pin_table *old = t->pins;
	t->pins = fresh;
	pthread_rwlock_unlock(&t->lock);
	free_pins(old);
}

/* Builds the table from the store and gives it to the index; with an
 * empty store the index keeps what it had (the file read at start). */
static void swap_synonyms(struct hh_search_tuning *t, int at_start)
{
	struct hh_synonyms *fresh = hh_xcalloc(1, sizeof(*fresh));
	enum hh_rc rc = hh_synonyms_read(t->st, t->an, fresh);
	/* s-tune: after the start an empty store is every rule removed */
	if (rc != HH_OK || (at_start && !fresh->n)) {
		if (rc != HH_OK)
			hh_log(HH_LOG_WARN, "synonyms not reloaded: %s",
			       hh_rc_name(rc));
		hh_synonyms_clear(fresh);
		free(fresh);
		return;
	}
	hh_index_set_synonyms(t->idx, fresh);
	if (t->syn) {
		hh_synonyms_clear(t->syn);
		free(t->syn);
	}
	t->syn = fresh;
}

static int pinned(struct hh_search_tuning *t, int64_t article_id)
{
	int hit = 0;
	pthread_rwlock_rdlock(&t->lock);
	for (size_t i = 0; t->pins && i < t->pins->n && !hit; i++)
		hit = t->pins->v[i].article_id == article_id;
	pthread_rwlock_unlock(&t->lock);
	return hit;
}

static void on_change(void *cls, const struct hh_change *c)
{
	struct hh_search_tuning *t = cls;
	int all = !strcmp(c->entity, "*"); /* pg-multi: read everything */
	int syn = all || !strcmp(c->entity, "synonym");
	int pin = all || !strcmp(c->entity, "pin") ||
		  (!strcmp(c->entity, "article") && pinned(t, c->id));
	if (!syn && !pin)
		return;
	pthread_mutex_lock(&t->rebuild);
	if (syn)
		swap_synonyms(t, 0);
	if (pin)
		swap_pins(t);
	pthread_mutex_unlock(&t->rebuild);
}

enum hh_rc hh_search_tuning_start(struct hh_index *idx, struct hh_store *st,
				  const struct hh_analyzer *an,
				  struct hh_search_tuning **out)
{
	struct hh_search_tuning *t = hh_xcalloc(1, sizeof(*t));
	t->idx = idx;
	t->st = st;
	t->an = an;
	pthread_mutex_init(&t->rebuild, NULL);
	pthread_rwlock_init(&t->lock, NULL);
	/* what the index had, to give back at the end */
	t->before = hh_index_set_synonyms(idx, NULL);
	hh_index_set_synonyms(idx, t->before);
	swap_synonyms(t, 1);
	t->pins = load_pins(st);
	enum hh_rc rc = hh_store_subscribe(st, on_change, t);
	if (rc != HH_OK) {
		hh_index_set_synonyms(idx, t->before);
		if (t->syn) {
			hh_synonyms_clear(t->syn);
			free(t->syn);
		}
		free_pins(t->pins);
		free(t);
		return rc;
	}
	atomic_store(&running, t);
	*out = t;
	return HH_OK;
}

void hh_search_tuning_stop(struct hh_search_tuning *t)
{
	if (!t)
		return;
	hh_store_unsubscribe(t->st, on_change, t);
	struct hh_search_tuning *me = t;
	atomic_compare_exchange_strong(&running, &me, NULL);
	hh_index_set_synonyms(t->idx, t->before);
	if (t->syn) {
		hh_synonyms_clear(t->syn);
		free(t->syn);
	}
	free_pins(t->pins);
	pthread_rwlock_destroy(&t->lock);
	pthread_mutex_destroy(&t->rebuild);
	free(t);
}

void hh_search_tuning_prepare(struct hh_search_query *q, struct hh_arena *a)
{
	struct hh_search_tuning *t = atomic_load(&running);
	q->pin_slug = NULL;
	if (!t || !q->municipality_id || !q->text || q->prefix_last)
		return;
	/* most searches: no pin at all, so not even the query's folding */
	pthread_rwlock_rdlock(&t->lock);
	int any = t->pins && t->pins->n;
	pthread_rwlock_unlock(&t->lock);
	if (!any)
		return;
	const char *nq = hh_pin_query_normalise(a, q->text);
	if (!nq)
		return;
	pthread_rwlock_rdlock(&t->lock);
	for (size_t i = 0; t->pins && i < t->pins->n && !q->pin_slug; i++)
		if (t->pins->v[i].muni_id == q->municipality_id &&
		    !strcmp(t->pins->v[i].query, nq))
			q->pin_slug = hh_arena_strdup(a, t->pins->v[i].slug);
	pthread_rwlock_unlock(&t->lock);
}

void hh_search_tuning_apply(const struct hh_search_query *q,
			    struct hh_search_result *res)
{
	(void)q;
	/* an editor chose this answer for this query: a sure one */
	if (res->pinned)
		res->strength = HH_STRENGTH_STRONG;
}
