/* feedback.c - "Fandt du det, du søgte?": the rules, the scrubbing of
 * comments, the answer with its event, and the editors' report. */
#include "domain/feedback.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/dktime.h"
#include "core/util.h"
#include "domain/access.h"
#include "domain/reports.h"

#define SCRUBBED "[fjernet]"

/* ---- scrubbing --------------------------------------------------------- */

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int is_alnum(unsigned char c)
{
	return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static int is_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Pass one: every word (between white space) holding an e-mail address
 * becomes "[fjernet]", punctuation around it kept: a word with an @ that
 * has a letter or digit before it and a dot and a letter or digit after
 * it ("jens.hansen@example.dk", "(a+b@post.tele.dk)."). Done word by word
 * so that nothing left can be read as an address again. */
static void mask_mail(struct hh_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		if (is_space((unsigned char)s[i])) {
			hh_buf_append(b, s + i++, 1);
			continue;
		}
		size_t w = i, e = i;
		while (e < n && !is_space((unsigned char)s[e]))
			e++;
		i = e;
		size_t cs = w, ce = e; /* the word without punctuation around */
		while (cs < ce && strchr("(\"'<[", s[cs]))
			cs++;
		while (ce > cs && strchr(".,;:!?)\"'>]", s[ce - 1]))
			ce--;
		const char *at = cs < ce ? memchr(s + cs, '@', ce - cs) : NULL;
		int before = 0, after = 0;
		for (const char *p = s + cs; at && p < at; p++)
			before |= is_alnum((unsigned char)*p);
		const char *dot = at ? memchr(at, '.', (size_t)(s + ce - at)) : NULL;
		for (const char *p = dot; dot && p < s + ce; p++)
			after |= is_alnum((unsigned char)*p);
		if (!before || !after) {
			hh_buf_append(b, s + w, e - w);
			continue;
		}
		hh_buf_append(b, s + w, cs - w);
		hh_buf_puts(b, SCRUBBED);
		hh_buf_append(b, s + ce, e - ce);
	}
}

/* A separator between the digit groups of a number: one space, hyphen,
 * dot or no-break space, or an en dash. Returns its length, or 0. */
static size_t group_sep(const char *s, size_t i, size_t n)
{
	unsigned char c = (unsigned char)s[i];
	if (c == ' ' || c == '-' || c == '.')
		return 1;
	if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] == 0xa0)
		return 2;
	if (c == 0xe2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
	    (unsigned char)s[i + 2] == 0x93)
		return 3;
	return 0;
}

static int groups_are(const int *g, int n, const int *want, int wn)
{
	if (n != wn)
		return 0;
	for (int k = 0; k < n; k++)
		if (g[k] != want[k])
			return 0;
	return 1;
}

/* The shapes of a CPR number and of a Danish phone number, as digit
 * groups: 0102031234, 010203-1234; 12345678, 1234 5678, 12 34 56 78. */
static int personal_number(const int *g, int n)
{
	static const int cpr1[] = { 10 }, cpr2[] = { 6, 4 }, tel1[] = { 8 },
			 tel2[] = { 4, 4 }, tel3[] = { 2, 2, 2, 2 };
	return groups_are(g, n, cpr1, 1) || groups_are(g, n, cpr2, 2) ||
	       groups_are(g, n, tel1, 1) || groups_are(g, n, tel2, 2) ||
	       groups_are(g, n, tel3, 4);
}

/* Whether the first k digit groups g (the first starting at first,
 * after a '+' when plus) are a CPR or phone number, with +45 or 0045
 * before a phone number. */
static int shape(const int *g, int k, const char *first, int plus)
{
	static const int tel1[] = { 8 }, tel2[] = { 4, 4 },
			 tel3[] = { 2, 2, 2, 2 };
	if (k > 1 && ((plus && g[0] == 2 && !strncmp(first, "45", 2)) ||
		      (!plus && g[0] == 4 && !strncmp(first, "0045", 4))))
		return groups_are(g + 1, k - 1, tel1, 1) ||
		       groups_are(g + 1, k - 1, tel2, 2) ||
		       groups_are(g + 1, k - 1, tel3, 4);
	if (plus)
		return k == 1 && g[0] == 10 && !strncmp(first, "45", 2);
	return personal_number(g, k);
}

/* A CPR or phone number starting at s[i] (not after a digit). Digit
 * groups joined by single separators are read, and the longest run of
 * them from the start that has the shape of one is taken, so that two
 * numbers written one after the other ("12345678 87654321") are both
 * found. A letter may touch it ("cpr0102031234", "12345678kr"). Returns
 * its end, or 0. */
static size_t number_at(const char *s, size_t i, size_t n)
{
	size_t j = i;
	int plus = 0;
	if (s[j] == '+') {
		plus = 1;
		j++;
	}
	if (j >= n || !is_digit((unsigned char)s[j]))
		return 0;
	int g[8], ng = 0;
	size_t ends[8];
	const char *first = s + j;
	while (ng < 8) {
		size_t k = j;
		while (k < n && is_digit((unsigned char)s[k]))
			k++;
		g[ng] = (int)(k - j);
		ends[ng++] = k;
		j = k;
		size_t sep = j < n ? group_sep(s, j, n) : 0;
		if (!sep || j + sep >= n || !is_digit((unsigned char)s[j + sep]))
			break;
		j += sep;
	}
	for (int k = ng; k >= 1; k--)
		if (shape(g, k, first, plus))
			return ends[k - 1];
	return 0;
}

const char *hh_feedback_scrub(struct hh_arena *a, const char *comment)
{
	struct hh_buf m, b;
	hh_buf_init(&m);
	hh_buf_init(&b);
	mask_mail(&m, comment, strlen(comment));
	const char *s = hh_buf_str(&m);
	size_t n = m.len;
	/* pass two: numbers. Whether a number may start here is asked of
	 * what was written so far, not of the input, so that scrubbing
	 * again finds nothing new after a "[fjernet]". */
	for (size_t i = 0; i < n;) {
		unsigned char prev = b.len ? (unsigned char)b.data[b.len - 1] : ' ';
		size_t end = 0;
		if (!is_digit(prev) && prev != '+')
			end = number_at(s, i, n);
		if (end) {
			hh_buf_puts(&b, SCRUBBED);
			i = end;
			continue;
		}
		hh_buf_append(&b, s + i, 1);
		i++;
	}
	/* pass three: addresses again, for a number written across a space
	 * that joined two words into one that now reads as an address */
	struct hh_buf c;
	hh_buf_init(&c);
	mask_mail(&c, hh_buf_str(&b), b.len);
	const char *out = hh_arena_strdup(a, hh_buf_str(&c));
	hh_buf_clear(&m);
	hh_buf_clear(&b);
	hh_buf_clear(&c);
	return out;
}

/* ---- the answer -------------------------------------------------------- */

/* s without white space around it, in the arena. */
static const char *trim(struct hh_arena *a, const char *s)
{
	while (is_space((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && is_space((unsigned char)s[n - 1]))
		n--;
	return hh_arena_strndup(a, s, n);
}

/* The Danish day of t (seconds) as YYYYMMDD. */
static int dk_day(int64_t t)
{
	int64_t local = hh_dk_local(t), days = local / 86400;
	if (local < 0 && local % 86400)
		days--;
	int64_t y;
	int m, d;
	hh_civil_from_days(days, &y, &m, &d);
	return (int)(y * 10000 + m * 100 + d);
}

struct add_ctx {
	struct hh_arena *a;
	struct hh_feedback_row row; /* what is written */
	struct hh_feedback *out;
	const char *field;
};

/* The event's after: compact JSON, keys sorted (the figures' fold reads
 * it). New string in the arena. */
static const char *event_after(struct hh_arena *a,
			       const struct hh_feedback_row *f, const char *kle)
{
	json_t *o = json_object();
	json_object_set_new(o, "found", json_boolean(f->found));
	json_object_set_new(o, "page", json_string(f->page));
	if (f->article_id)
		json_object_set_new(o, "article_id", json_integer(f->article_id));
	if (kle && *kle)
		json_object_set_new(o, "kle", json_string(kle));
	if (f->visit)
		json_object_set_new(o, "visit", json_string(f->visit));
	char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	const char *out = hh_arena_strdup(a, s ? s : "{}");
	free(s);
	return out;
}

static enum hh_rc earlier(struct hh_tx *tx, struct add_ctx *c)
{
	struct hh_feedback_row *f = &c->row;
	enum hh_rc rc = tx->store->feedback_find(tx, c->a, f->visit, f->day,
						  f->page, f->article_id,
						  f->query, &c->out->row);
	if (rc == HH_OK)
		c->out->already_recorded = 1;
	return rc;
}

static enum hh_rc add_tx(struct hh_tx *tx, void *p)
{
	struct add_ctx *c = p;
	struct hh_store *st = tx->store;
	struct hh_feedback_row *f = &c->row;
	c->out->kle = NULL;
	c->out->already_recorded = 0;
	enum hh_rc rc;
	if (f->article_id) {
		struct hh_article art;
		rc = st->article_get_by_id(tx, c->a, f->article_id, &art);
		if (rc == HH_ERR_NOT_FOUND ||
		    (rc == HH_OK && (art.status != HH_STATUS_PUBLISHED ||
				     art.audience != HH_AUDIENCE_CITIZEN))) {
			c->field = "article_id";
			return HH_ERR_INVALID;
		}
		if (rc != HH_OK)
			return rc;
		c->out->kle = art.kle && *art.kle ? art.kle : NULL;
	}
	if (f->municipality_id) {
		struct hh_org org;
		rc = st->org_get(tx, c->a, f->municipality_id, &org);
		if (rc == HH_ERR_NOT_FOUND ||
		    (rc == HH_OK && org.kind != HH_ORG_MUNICIPALITY)) {
			c->field = "municipality_id";
			return HH_ERR_INVALID;
		}
		if (rc != HH_OK)
			return rc;
	}
	if (f->visit) {
		rc = earlier(tx, c);
		if (rc != HH_ERR_NOT_FOUND)
			return rc; /* OK: answered before, nothing written */
	}
	f->id = 0;
	rc = st->feedback_insert(tx, f);
	if (rc == HH_ERR_CONFLICT && f->visit)
		return earlier(tx, c); /* the unique index's second guard */
	if (rc != HH_OK)
		return rc;
	struct hh_event e = {
		.actor = "anonymous",
		.org_id = f->municipality_id,
		.entity = "feedback",
		.entity_id = f->id,
		.action = "create",
		.after = event_after(c->a, f, c->out->kle),
	};
	rc = st->event_append(tx, &e);
	if (rc == HH_OK)
		c->out->row = *f;
	return rc;
}

enum hh_rc hh_feedback_add(struct hh_store *st, struct hh_arena *a,
			   const struct hh_feedback_in *in,
			   struct hh_feedback *out, const char **field)
{
	struct add_ctx c = { .a = a, .out = out };
	struct hh_feedback_row *f = &c.row;
	enum hh_rc rc = HH_ERR_INVALID;
	memset(out, 0, sizeof(*out));
	if (in->found != 0 && in->found != 1) {
		c.field = "found";
		goto fail;
	}
	f->found = in->found;
	if (!in->page || (strcmp(in->page, "article") && strcmp(in->page, "search"))) {
		c.field = "page";
		goto fail;
	}
	f->page = !strcmp(in->page, "article") ? "article" : "search";
	if (f->page[0] == 'a') {
		if (in->article_id <= 0) {
			c.field = "article_id";
			goto fail;
		}
		if (in->query) {
			c.field = "query";
			goto fail;
		}
		f->article_id = in->article_id;
	} else {
		if (in->article_id) {
			c.field = "article_id";
			goto fail;
		}
		/* the text the search log keeps: masked, at most 200 bytes */
		if (!in->query || !hh_utf8_valid(in->query, strlen(in->query)) ||
		    hh_utf8_len(in->query) > HH_FEEDBACK_QUERY_MAX) {
			c.field = "query";
			goto fail;
		}
		const char *q = hh_searchlog_scrub_known(a, trim(a, in->query),
							 in->known,
							 in->known_ctx);
		if (!*q) {
			c.field = "query";
			goto fail;
		}
		f->query = q;
	}
	if (in->comment) {
		if (!hh_utf8_valid(in->comment, strlen(in->comment))) {
			c.field = "comment";
			goto fail;
		}
		const char *t = trim(a, in->comment);
		if (hh_utf8_len(t) > HH_FEEDBACK_COMMENT_MAX) {
			c.field = "comment";
			goto fail;
		}
		f->comment = *t ? hh_feedback_scrub(a, t) : NULL;
	}
	if (in->municipality_id < 0) {
		c.field = "municipality_id";
		goto fail;
	}
	f->municipality_id = in->municipality_id;
	f->visit = hh_searchlog_visit_valid(in->visit)
			   ? hh_arena_strdup(a, in->visit)
			   : NULL;
	f->at = hh_now_us() / 1000000;
	f->day = dk_day(f->at);
	rc = hh_store_run_tx(st, 1, add_tx, &c);
fail:
	if (field)
		*field = rc == HH_ERR_INVALID ? c.field : NULL;
	return rc;
}

/* ---- the editors' report ------------------------------------------------ */

struct report_ctx {
	struct hh_arena *a;
	int64_t since, org_id;
	int unscoped, limit, comments;
	struct hh_feedback_report_row *rows;
	size_t n, cap;
};

static enum hh_rc keep_stat(void *p, const struct hh_feedback_stat *s)
{
	struct report_ctx *c = p;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 32;
		struct hh_feedback_report_row *rows =
			hh_arena_calloc(c->a, cap * sizeof(*rows));
		if (c->n)
			memcpy(rows, c->rows, c->n * sizeof(*rows));
		c->rows = rows;
		c->cap = cap;
	}
	struct hh_feedback_report_row *r = &c->rows[c->n++];
	memset(r, 0, sizeof(*r));
	r->stat = *s;
	return HH_OK;
}

/* Adds a comment to its article's row while the row has room. */
static enum hh_rc keep_comment(void *p, const struct hh_feedback_row *f)
{
	struct report_ctx *c = p;
	for (size_t i = 0; i < c->n; i++) {
		struct hh_feedback_report_row *r = &c->rows[i];
		if (r->stat.article_id != f->article_id)
			continue;
		if (r->n_comments >= c->comments)
			return HH_OK;
		if (!r->comments)
			r->comments = hh_arena_calloc(
				c->a, (size_t)c->comments * sizeof(*r->comments));
		((struct hh_feedback_row *)r->comments)[r->n_comments++] = *f;
		return HH_OK;
	}
	return HH_OK;
}

static enum hh_rc report_tx(struct hh_tx *tx, void *p)
{
	struct report_ctx *c = p;
	c->n = 0; /* a retry starts again */
	enum hh_rc rc = tx->store->feedback_stats(tx, c->a, c->since, c->org_id,
						  c->unscoped, c->limit,
						  keep_stat, c);
	if (rc == HH_OK && c->comments > 0 && c->n)
		/* the latest comments of the scope; enough for every row
		   in all but very lopsided months */
		rc = tx->store->feedback_comments(tx, c->a, c->since, c->org_id,
						  c->unscoped, 1000,
						  keep_comment, c);
	return rc;
}

enum hh_rc hh_feedback_report(struct hh_store *st, const struct hh_actor *who,
			      struct hh_arena *a, int days, int limit,
			      int comments, hh_feedback_report_cb cb,
			      void *ctx)
{
	/* the search report's readers and scope (domain/reports.c) */
	enum hh_rc rc = hh_access(who, HH_RES_SEARCH_REPORT, HH_ACT_READ, NULL);
	if (rc != HH_OK)
		return rc;
	struct report_ctx c = { .a = a, .org_id = -1, .limit = limit,
				.comments = comments,
				.since = hh_now_us() / 1000000 -
					 (int64_t)days * 86400 };
	rc = hh_report_scope(who, &c.org_id, &c.unscoped);
	if (rc == HH_OK)
		rc = hh_store_run_tx(st, 0, report_tx, &c);
	for (size_t i = 0; rc == HH_OK && i < c.n; i++)
		rc = cb(ctx, &c.rows[i]);
	return rc;
}
