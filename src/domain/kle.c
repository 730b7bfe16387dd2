/* kle.c - the KLE classification: KL's emneplan XML read with libxml2's
 * streaming reader (the real file is several MB), checked whole, then
 * written in one transaction; and the titles of KLE numbers for the pages
 * and the API. See kle.h for the format. */
#include "domain/kle.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "core/util.h"

int hh_kle_level(const char *s)
{
	if (!s)
		return 0;
	int level = 0;
	for (size_t i = 0;; i += 3) {
		if (s[i] < '0' || s[i] > '9' || s[i + 1] < '0' || s[i + 1] > '9')
			return 0;
		level++;
		if (!s[i + 2])
			return level;
		if (s[i + 2] != '.' || level == 3)
			return 0;
	}
}

/* ---- reading the file ---------------------------------------------------- */

/* Longest title kept, in bytes: KL's longest are about 150 characters. */
#define TITLE_MAX 1000
/* Elements deeper than this keep no name (nothing read lies so deep). */
#define DEPTH_MAX 32

struct entry {
	char number[9];
	int level;
	const char *title;
	char from[11], to[11]; /* "" none */
	int line;               /* of its element */
	int nr_line;            /* of its number */
};

static const char *const kinds[4] = { NULL, "Hovedgruppe", "Gruppe", "Emne" };

struct parse {
	const char *path;
	const char *data; /* or the file's text (hh_kle_check) */
	size_t len;
	struct hh_arena *a;
	xmlTextReaderPtr r;
	struct entry *e; /* done, in file order */
	size_t n, cap;
	struct entry open[4]; /* by level, while its element is open */
	int open_depth[4];    /* 0: none open (an entry is never the root) */
	char name[DEPTH_MAX][40];
	char published[11];
	int n_level[4];
	/* the first error */
	int failed, err_line;
	char err[400];
	/* libxml2's first error, from its handler */
	int xml_failed, xml_line;
	char xml_err[300];
};

static void fail(struct parse *p, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct parse *p, int line, const char *fmt, ...)
{
	if (p->failed)
		return;
	p->failed = 1;
	p->err_line = line;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->err, sizeof(p->err), fmt, ap);
	va_end(ap);
}

static void xml_error(void *arg, xmlErrorPtr e)
{
	struct parse *p = arg;
	if (!e || e->level < XML_ERR_ERROR || p->xml_failed)
		return;
	p->xml_failed = 1;
	p->xml_line = e->line;
	snprintf(p->xml_err, sizeof(p->xml_err), "%s",
		 e->message ? e->message : "not well-formed XML");
	/* its first line says it; the rest shows bytes */
	p->xml_err[strcspn(p->xml_err, "\n")] = 0;
	size_t len = strlen(p->xml_err);
	while (len && (p->xml_err[len - 1] == '\n' || p->xml_err[len - 1] == ' '))
		p->xml_err[--len] = 0;
}

/* The line of the reader's node: the parser reads ahead of it. */
static int line_of(struct parse *p)
{
	xmlNodePtr n = xmlTextReaderCurrentNode(p->r);
	long line = n ? xmlGetLineNo(n) : -1;
	return line > 0 ? (int)line : xmlTextReaderGetParserLineNumber(p->r);
}

/* The element's text with white space runs made one space and trimmed,
 * in the arena; NULL after fail() when it cannot be used. */
static const char *leaf_text(struct parse *p, const char *what)
{
	xmlChar *raw = xmlTextReaderReadString(p->r);
	const char *s = raw ? (const char *)raw : "";
	size_t len = strlen(s);
	char *out = hh_arena_alloc(p->a, len + 1);
	size_t k = 0;
	int space = 0;
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c == ' ' || *c == '\t' || *c == '\n' || *c == '\r') {
			space = k > 0;
			continue;
		}
		if (*c < 0x20 || *c == 0x7f) {
			xmlFree(raw);
			fail(p, line_of(p), "%s holds a control character", what);
			return NULL;
		}
		if (space)
			out[k++] = ' ';
		space = 0;
		out[k++] = (char)*c;
	}
	out[k] = 0;
	xmlFree(raw);
	/* libxml2 gives UTF-8 whatever the file's encoding; checked again
	 * because everything stored must be */
	if (!hh_utf8_valid(out, k)) {
		fail(p, line_of(p), "%s is not valid UTF-8", what);
		return NULL;
	}
	return out;
}

static int digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* A day as xs:date writes it: YYYY-MM-DD, perhaps with a time zone (or
 * a time) after it, which is dropped. */
static void read_day(struct parse *p, const char *what, char out[11])
{
	const char *s = leaf_text(p, what);
	if (!s)
		return;
	int ok = strlen(s) >= 10 && digits(s, 4) && s[4] == '-' &&
		 digits(s + 5, 2) && s[7] == '-' && digits(s + 8, 2) &&
		 (!s[10] || strchr("Z+-T", s[10]));
	int month = ok ? atoi(s + 5) : 0, day = ok ? atoi(s + 8) : 0;
	if (!ok || month < 1 || month > 12 || day < 1 || day > 31) {
		fail(p, line_of(p), "%s '%s' is not a day written YYYY-MM-DD",
		     what, s);
		return;
	}
	memcpy(out, s, 10);
	out[10] = 0;
}

static int named(const char *name, const char *kind, const char *suffix)
{
	size_t n = strlen(kind);
	return !strncmp(name, kind, n) && !strcmp(name + n, suffix);
}

/* An element starts at depth d. */
static void element(struct parse *p, int d, const char *ln, int empty)
{
	if (d == 0) {
		if (strcmp(ln, "KLE-Emneplan"))
			fail(p, line_of(p),
			     "the root element is <%s>, not <KLE-Emneplan>: this "
			     "is not KL's emneplan (KLE-XML 2.0)",
			     ln);
		return;
	}
	if (d < DEPTH_MAX)
		snprintf(p->name[d], sizeof(p->name[d]), "%s", ln);
	if (d == 1 && !strcmp(ln, "UdgivelsesDato")) {
		read_day(p, "<UdgivelsesDato>", p->published);
		return;
	}
	/* a new entry: a main group in the root, a group in a main group,
	 * a subject in a group */
	for (int level = 1; level <= 3; level++) {
		int parent_depth = level == 1 ? 0 : p->open_depth[level - 1];
		if (strcmp(ln, kinds[level]) || (level > 1 && !parent_depth) ||
		    d != parent_depth + 1)
			continue;
		memset(&p->open[level], 0, sizeof(p->open[level]));
		p->open[level].level = level;
		p->open[level].line = line_of(p);
		p->open_depth[level] = d;
		if (empty)
			fail(p, line_of(p), "<%s> is empty: it has no <%sNr>", ln,
			     ln);
		return;
	}
	/* a field of the innermost entry open */
	int level = 3;
	while (level > 0 && !p->open_depth[level])
		level--;
	if (!level)
		return;
	struct entry *e = &p->open[level];
	const char *kind = kinds[level];
	int base = p->open_depth[level];
	if (d == base + 1 && named(ln, kind, "Nr")) {
		const char *nr = leaf_text(p, "the number");
		if (!nr)
			return;
		e->nr_line = line_of(p);
		if (hh_kle_level(nr) != level) {
			fail(p, e->nr_line,
			     "<%sNr> '%s' is not a KLE number written %s", kind, nr,
			     level == 1 ? "NN" : level == 2 ? "NN.NN" : "NN.NN.NN");
			return;
		}
		if (level > 1) {
			const char *parent = p->open[level - 1].number;
			size_t pl = strlen(parent);
			if (!*parent || strncmp(nr, parent, pl) || nr[pl] != '.') {
				fail(p, e->nr_line,
				     "KLE number %s is not under the %s it is in (%s)",
				     nr, kinds[level - 1],
				     *parent ? parent : "no number before it");
				return;
			}
		}
		snprintf(e->number, sizeof(e->number), "%s", nr);
	} else if (d == base + 1 && named(ln, kind, "Titel")) {
		const char *t = leaf_text(p, "the title");
		if (t && strlen(t) > TITLE_MAX)
			fail(p, line_of(p), "the title is longer than %d bytes",
			     TITLE_MAX);
		else if (t)
			e->title = t;
	} else if (d >= base + 2 && d <= base + 4 && base + 1 < DEPTH_MAX &&
		   named(p->name[base + 1], kind, "AdministrativInfo")) {
		if (d == base + 2 && !strcmp(ln, "OprettetDato"))
			read_day(p, "<OprettetDato>", e->from);
		else if (d == base + 3 && !strcmp(p->name[base + 2], "Historisk") &&
			 !strcmp(ln, "UdgaaetDato"))
			read_day(p, "<UdgaaetDato>", e->to);
		else if (d == base + 4 && !strcmp(p->name[base + 2], "Historisk") &&
			 !strcmp(p->name[base + 3], "Flyttet") &&
			 !strcmp(ln, "FlyttetDato"))
			read_day(p, "<FlyttetDato>", e->to); /* moved: out of use here */
	}
}

/* An element ends at depth d: an entry open there is done. */
static void element_end(struct parse *p, int d)
{
	for (int level = 3; level >= 1; level--) {
		if (!p->open_depth[level] || p->open_depth[level] != d)
			continue;
		struct entry *e = &p->open[level];
		p->open_depth[level] = 0;
		if (!*e->number) {
			fail(p, e->line, "<%s> has no <%sNr>", kinds[level],
			     kinds[level]);
			return;
		}
		if (!e->title || !*e->title) {
			fail(p, e->line, "KLE number %s has no <%sTitel>",
			     e->number, kinds[level]);
			return;
		}
		p->e = hh_arena_grow(p->a, p->e, p->n, &p->cap, sizeof(*p->e), 1024);
		p->e[p->n++] = *e;
		p->n_level[level]++;
		return;
	}
}

static int by_number(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;
	int c = strcmp(a->number, b->number);
	return c ? c : a->nr_line - b->nr_line;
}

/* Reads and checks the whole file; 0 and *p filled, or -1 after fail()
 * (or IO when it cannot be opened: -2). */
static int parse_file(struct parse *p)
{
	/* no network, no entities loaded from outside: the file is data */
	int opts = XML_PARSE_NONET | XML_PARSE_NOCDATA;
	p->r = p->data ? xmlReaderForMemory(p->data, (int)p->len, p->path, NULL,
					    opts)
		       : xmlReaderForFile(p->path, NULL, opts);
	if (!p->r)
		return -2;
	xmlTextReaderSetStructuredErrorHandler(p->r, xml_error, p);
	int rc = 0, doctype = 0, root_line = 0;
	while (!p->failed && (rc = xmlTextReaderRead(p->r)) == 1) {
		int type = xmlTextReaderNodeType(p->r);
		int d = xmlTextReaderDepth(p->r);
		if (type == XML_READER_TYPE_ELEMENT) {
			const char *ln = (const char *)xmlTextReaderConstLocalName(p->r);
			int empty = xmlTextReaderIsEmptyElement(p->r) == 1;
			element(p, d, ln ? ln : "", empty);
			if (empty && !p->failed)
				element_end(p, d);
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			element_end(p, d);
		} else if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
			/* KL's file has no DTD. Without XML_PARSE_NOENT (no
			 * XXE) an entity is not expanded, and the reader's
			 * text of a title skips its reference: "A &x; B"
			 * would be stored as "A B" with the import reporting
			 * success. So a DTD is refused, and so is any entity
			 * reference it declares. Refused after the loop: the
			 * reader has no line for a DTD node (the parser's is
			 * ahead of it), and an entity's own line says more. */
			doctype = 1;
		} else if (type == XML_READER_TYPE_ENTITY_REFERENCE) {
			const char *nm = (const char *)xmlTextReaderConstName(p->r);
			fail(p, line_of(p), "entity reference &%s; is not read "
			     "(KL's emneplan has no DOCTYPE or entities)",
			     nm ? nm : "");
		}
		if (type == XML_READER_TYPE_ELEMENT && !root_line)
			root_line = line_of(p);
	}
	if (!p->failed && doctype)
		fail(p, root_line > 0 ? root_line : 1,
		     "the file has a DOCTYPE before its root element; KL's "
		     "emneplan has none (entities are not read)");
	if (!p->failed && (rc < 0 || p->xml_failed)) {
		if (p->xml_failed)
			fail(p, p->xml_line, "not well-formed XML: %s", p->xml_err);
		else
			fail(p, line_of(p), "not well-formed XML");
	}
	/* the parser reads ahead of the reader: when it found the file not
	 * well-formed (broken UTF-8, a tag not closed, the file cut short),
	 * that is the fault to name, even if a check of ours on what the
	 * broken part left (an empty title) failed first */
	if (p->failed && p->xml_failed && p->xml_line) {
		p->err_line = p->xml_line;
		snprintf(p->err, sizeof(p->err), "not well-formed XML: %s",
			 p->xml_err);
	}
	xmlFreeTextReader(p->r);
	p->r = NULL;
	if (p->failed)
		return -1;
	if (!*p->published) {
		fail(p, 1, "the file has no <UdgivelsesDato> (its publication day)");
		return -1;
	}
	if (!p->n_level[1]) {
		fail(p, 1, "the file has no <Hovedgruppe>: nothing to import "
			   "(every number would be retired)");
		return -1;
	}
	if (p->n > 1)
		qsort(p->e, p->n, sizeof(*p->e), by_number);
	for (size_t i = 1; i < p->n; i++)
		if (!strcmp(p->e[i].number, p->e[i - 1].number)) {
			fail(p, p->e[i].nr_line,
			     "KLE number %s is in the file twice (first on line %d)",
			     p->e[i].number, p->e[i - 1].nr_line);
			return -1;
		}
	return 0;
}

int hh_kle_check(const char *data, size_t len, FILE *errs, int *n)
{
	*n = 0;
	if (len > INT_MAX)
		return -1;
	struct hh_arena a;
	hh_arena_init(&a);
	struct parse *p = hh_arena_calloc(&a, sizeof(*p));
	p->path = "(text)";
	p->data = data;
	p->len = len;
	p->a = &a;
	int r = parse_file(p);
	if (r && errs)
		fprintf(errs, "%s:%d: %s\n", p->path, p->err_line, p->err);
	if (!r)
		*n = (int)p->n;
	hh_arena_clear(&a);
	return r ? -1 : 0;
}

/* ---- writing it ---------------------------------------------------------- */

struct import {
	struct parse *p;
	struct hh_arena a; /* the store's rows, per attempt */
	struct hh_kle *old;
	size_t n_old, cap_old;
	int64_t now;
	struct hh_kle_import_stats s;
};

static enum hh_rc keep_old(void *ctx, const struct hh_kle *k)
{
	struct import *c = ctx;
	c->old = hh_arena_grow(&c->a, c->old, c->n_old, &c->cap_old,
			       sizeof(*c->old), 1024);
	c->old[c->n_old++] = *k;
	return HH_OK;
}

static int by_kle_number(const void *x, const void *y)
{
	return strcmp(((const struct hh_kle *)x)->number,
		      ((const struct hh_kle *)y)->number);
}

static const char *day_or_null(const char *d)
{
	return *d ? d : NULL;
}

static int same(const char *x, const char *y)
{
	return x && y ? !strcmp(x, y) : x == y;
}

static enum hh_rc import_tx(struct hh_tx *tx, void *ctx)
{
	struct import *c = ctx;
	struct parse *p = c->p;
	/* a retried attempt starts again */
	hh_arena_clear(&c->a);
	hh_arena_init(&c->a);
	c->old = NULL;
	c->n_old = c->cap_old = 0;
	char published[11];
	memcpy(published, c->s.published, sizeof(published));
	memset(&c->s, 0, sizeof(c->s));
	memcpy(c->s.published, published, sizeof(published));
	c->s.main_groups = p->n_level[1];
	c->s.groups = p->n_level[2];
	c->s.subjects = p->n_level[3];
	enum hh_rc rc = tx->store->kle_list(tx, &c->a, 0, keep_old, c);
	if (rc != HH_OK)
		return rc;
	if (c->n_old > 1)
		qsort(c->old, c->n_old, sizeof(*c->old), by_kle_number);
	size_t i = 0, j = 0;
	while (rc == HH_OK && (i < p->n || j < c->n_old)) {
		int cmp = i == p->n ? 1 : j == c->n_old ? -1
				      : strcmp(p->e[i].number, c->old[j].number);
		if (cmp > 0) {
			/* no longer in the file: out of use from its day */
			struct hh_kle k = c->old[j++];
			if (k.in_use_to)
				continue;
			k.in_use_to = published;
			k.updated_at = c->now;
			rc = tx->store->kle_put(tx, &k);
			c->s.retired++;
			continue;
		}
		const struct entry *e = &p->e[i++];
		struct hh_kle k = { .number = e->number, .level = e->level,
				    .title = e->title,
				    .in_use_from = day_or_null(e->from),
				    .in_use_to = day_or_null(e->to),
				    .updated_at = c->now };
		if (cmp < 0) {
			rc = tx->store->kle_put(tx, &k);
			c->s.added++;
			continue;
		}
		const struct hh_kle *o = &c->old[j++];
		if (o->level == k.level && same(o->title, k.title) &&
		    same(o->in_use_from, k.in_use_from) &&
		    same(o->in_use_to, k.in_use_to)) {
			c->s.unchanged++;
			continue;
		}
		rc = tx->store->kle_put(tx, &k);
		if (!o->in_use_to && k.in_use_to)
			c->s.retired++;
		else
			c->s.changed++;
	}
	if (rc == HH_OK)
		rc = tx->store->meta_set(tx, HH_KLE_PUBLISHED_KEY, published);
	return rc;
}

enum hh_rc hh_kle_import(struct hh_store *st, const char *path, FILE *errs,
			 struct hh_kle_import_stats *out)
{
	memset(out, 0, sizeof(*out));
	struct hh_arena a;
	hh_arena_init(&a);
	struct parse *p = hh_arena_calloc(&a, sizeof(*p));
	p->path = path;
	p->a = &a;
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(errs, "%s: cannot open: %s\n", path, strerror(errno));
		hh_arena_clear(&a);
		return HH_ERR_IO;
	}
	fclose(f);
	int r = parse_file(p);
	if (r) {
		if (r == -2)
			fprintf(errs, "%s: cannot be read as XML\n", path);
		else
			fprintf(errs, "%s:%d: %s\n", path, p->err_line, p->err);
		hh_arena_clear(&a);
		return r == -2 ? HH_ERR_IO : HH_ERR_INVALID;
	}
	struct import c = { .p = p, .now = hh_now_us() / 1000000 };
	hh_arena_init(&c.a);
	memcpy(c.s.published, p->published, sizeof(c.s.published));
	enum hh_rc rc = hh_store_run_tx(st, 1, import_tx, &c);
	if (rc == HH_OK)
		*out = c.s;
	hh_arena_clear(&c.a);
	hh_arena_clear(&a);
	return rc;
}

/* ---- titles -------------------------------------------------------------- */

/* The number kle names: itself, or a journal number's subject. */
static int number_of(const char *kle, char out[9])
{
	if (!kle)
		return 0;
	size_t n = strcspn(kle, "-");
	if (n == 0 || n > 8)
		return 0;
	memcpy(out, kle, n);
	out[n] = 0;
	return hh_kle_level(out) > 0;
}

enum hh_rc hh_kle_titles_tx(struct hh_tx *tx, struct hh_arena *a, int n,
			    const char *const *kle, const char **title)
{
	for (int i = 0; i < n; i++)
		title[i] = NULL;
	for (int i = 0; i < n; i++) {
		char number[9];
		if (!number_of(kle[i], number))
			continue;
		for (int k = 0; k < i; k++) /* asked for twice: read once */
			if (kle[k] && !strcmp(kle[k], kle[i]))
				title[i] = title[k];
		if (title[i])
			continue;
		struct hh_kle row;
		enum hh_rc rc = tx->store->kle_get(tx, a, number, &row);
		if (rc == HH_OK)
			title[i] = row.title;
		else if (rc != HH_ERR_NOT_FOUND)
			return rc;
	}
	return HH_OK;
}

struct titles_ctx {
	struct hh_arena *a;
	int n;
	const char *const *kle;
	const char **title;
};

static enum hh_rc titles_tx(struct hh_tx *tx, void *p)
{
	struct titles_ctx *c = p;
	return hh_kle_titles_tx(tx, c->a, c->n, c->kle, c->title);
}

enum hh_rc hh_kle_titles(struct hh_store *st, struct hh_arena *a, int n,
			 const char *const *kle, const char **title)
{
	struct titles_ctx c = { a, n, kle, title };
	int any = 0;
	for (int i = 0; i < n; i++) {
		char number[9];
		title[i] = NULL;
		any |= number_of(kle[i], number);
	}
	if (!any)
		return HH_OK; /* nothing to look up: no transaction */
	enum hh_rc rc = hh_store_run_tx(st, 0, titles_tx, &c);
	if (rc != HH_OK)
		for (int i = 0; i < n; i++)
			title[i] = NULL;
	return rc;
}

const char *hh_kle_title(struct hh_store *st, struct hh_arena *a,
			 const char *kle)
{
	const char *title = NULL;
	return hh_kle_titles(st, a, 1, &kle, &title) == HH_OK ? title : NULL;
}

struct main_ctx {
	const char **title;
};

static enum hh_rc main_row(void *ctx, const struct hh_kle *k)
{
	struct main_ctx *c = ctx;
	if (hh_kle_level(k->number) == 1)
		c->title[(k->number[0] - '0') * 10 + k->number[1] - '0'] = k->title;
	return HH_OK;
}

enum hh_rc hh_kle_main_titles_tx(struct hh_tx *tx, struct hh_arena *a,
				 const char *title[100])
{
	for (int g = 0; g < 100; g++)
		title[g] = NULL;
	struct main_ctx c = { title };
	return tx->store->kle_list(tx, a, 1, main_row, &c);
}
