/* content.c - the content folder: parse, validate, import in batches,
 * export in canonical form. */
#include "domain/content.h"
#include "domain/casesystems.h"
#include "domain/letters.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "core/util.h"
#include "domain/articles.h"
#include "domain/auth.h"
#include "domain/casetype.h"
#include "domain/citizens.h"
#include "domain/cpr.h"
#include "domain/forms.h"
#include "domain/hours.h"
#include "domain/inquiries.h"
#include "domain/figures.h" /* the service figures */
#include "domain/appointments.h" /* appointments */
#include "core/dktime.h"
#include "domain/contact.h"
#include "domain/topics.h" /* s-self */

#define BATCH 256

static const char *const keys[] = { "title",	"summary", "keywords",
				    "kle",	"audience", "status",
				    "organisation", "views" };
#define N_KEYS 8

static int org_code_valid(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > 32)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '-'))
			return 0;
	return 1;
}

/* Line number (1-based) of byte offset off in text. */
static int line_of(const char *text, size_t off)
{
	int line = 1;
	for (size_t i = 0; i < off; i++)
		if (text[i] == '\n')
			line++;
	return line;
}

/* Longer than our usual 150 lines, on purpose: it is one pass down the
 * front matter, key by key, and each check reports the line it read; split
 * up, every part would need the same dozen locals (the values, their
 * lines, err) handed to it. */
enum hh_rc hh_article_parse(struct hh_arena *ar, const char *slug,
			    const char *folder_org, const char *text,
			    size_t len, struct hh_article *a,
			    const char **org_code, char *err, size_t errsz)
{
	memset(a, 0, sizeof(*a));
	*org_code = NULL;
	if (!hh_slug_valid(slug)) {
		snprintf(err, errsz,
			 "1: the file name must be a slug: lower-case a-z, "
			 "0-9 and single hyphens, 2 to 80 characters");
		return HH_ERR_INVALID;
	}
	/* Name the line of the first invalid byte. A multi-byte sequence
	 * never contains '\n', so checking line by line finds it. */
	if (!hh_utf8_valid(text, len)) {
		size_t start = 0;
		for (size_t i = 0; i <= len; i++) {
			if (i == len || text[i] == '\n') {
				if (!hh_utf8_valid(text + start, i - start)) {
					snprintf(err, errsz,
						 "%d: not valid UTF-8 (or "
						 "contains a NUL byte)",
						 line_of(text, start));
					return HH_ERR_INVALID;
				}
				start = i + 1;
			}
		}
		snprintf(err, errsz, "1: not valid UTF-8");
		return HH_ERR_INVALID;
	}
	/* Normalise CRLF so Windows editors do not break the format. */
	char *t = hh_arena_alloc(ar, len + 1);
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (!(text[i] == '\r' && i + 1 < len && text[i + 1] == '\n'))
			t[n++] = text[i];
	t[n] = 0;

	const char *vals[N_KEYS] = { 0 };
	int key_line[N_KEYS] = { 0 };
	if (strncmp(t, "---\n", 4) != 0) {
		snprintf(err, errsz,
			 "1: the file must start with a front matter line '---'");
		return HH_ERR_INVALID;
	}
	const char *p = t + 4;
	int line = 2, close_line = 0;
	for (;;) {
		const char *eol = strchr(p, '\n');
		if (!eol) {
			/* At the end of the file: name its last line (when
			 * the file ends with a newline, "line" is past it). */
			snprintf(err, errsz,
				 "%d: the front matter is not closed with '---'",
				 *p ? line : line - 1);
			return HH_ERR_INVALID;
		}
		size_t ll = (size_t)(eol - p);
		if (ll == 3 && memcmp(p, "---", 3) == 0) {
			close_line = line;
			p = eol + 1;
			line++;
			break;
		}
		const char *colon = memchr(p, ':', ll);
		if (!colon) {
			snprintf(err, errsz, "%d: expected 'key: value'", line);
			return HH_ERR_INVALID;
		}
		size_t kl = (size_t)(colon - p);
		int k;
		for (k = 0; k < N_KEYS; k++)
			if (strlen(keys[k]) == kl && memcmp(keys[k], p, kl) == 0)
				break;
		if (k == N_KEYS) {
			snprintf(err, errsz, "%d: unknown key '%.*s'", line,
				 (int)(kl > 40 ? 40 : kl), p);
			return HH_ERR_INVALID;
		}
		if (vals[k]) {
			snprintf(err, errsz, "%d: '%s' is given twice", line,
				 keys[k]);
			return HH_ERR_INVALID;
		}
		const char *v = colon + 1;
		if (v < eol && *v == ' ')
			v++;
		const char *ve = eol;
		while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
			ve--;
		vals[k] = hh_arena_strndup(ar, v, (size_t)(ve - v));
		key_line[k] = line;
		p = eol + 1;
		line++;
	}
	int body_line = line;
	if (*p == '\n') {
		p++;
		body_line++;
	}
	size_t bl = strlen(p);
	while (bl && p[bl - 1] == '\n')
		bl--;
	a->body_md = hh_arena_strndup(ar, p, bl);

	for (int k = 0; k < 6; k++) {
		if (!vals[k] && k != 2 && k != 3) {
			/* where the front matter ends without it */
			snprintf(err, errsz, "%d: '%s' is missing", close_line,
				 keys[k]);
			return HH_ERR_INVALID;
		}
	}
	a->slug = hh_arena_strdup(ar, slug);
	a->title = vals[0];
	a->summary = vals[1];
	a->keywords = vals[2] ? vals[2] : "";
	a->kle = vals[3] ? vals[3] : "";
	a->audience = hh_audience_parse(vals[4]);
	if (!a->audience) {
		snprintf(err, errsz, "%d: audience must be citizen or staff",
			 key_line[4]);
		return HH_ERR_INVALID;
	}
	a->status = hh_status_parse(vals[5]);
	if (!a->status) {
		snprintf(err, errsz,
			 "%d: status must be draft, published or archived",
			 key_line[5]);
		return HH_ERR_INVALID;
	}
	const char *org = vals[6] && *vals[6] ? vals[6] : NULL;
	if (org && !folder_org) {
		/* The folder decides: a file in articles/ is shared. */
		snprintf(err, errsz,
			 "%d: organisation '%s' in a shared article; move the "
			 "file to articles/%s/",
			 key_line[6], org, org);
		return HH_ERR_INVALID;
	}
	if (org && folder_org && strcmp(org, folder_org) != 0) {
		snprintf(err, errsz,
			 "%d: organisation '%s' does not match the folder '%s'",
			 key_line[6], org, folder_org);
		return HH_ERR_INVALID;
	}
	if (!org)
		org = folder_org;
	if (org && !org_code_valid(org)) {
		snprintf(err, errsz, "%d: '%s' is not an organisation code",
			 key_line[6] ? key_line[6] : 1, org);
		return HH_ERR_INVALID;
	}
	*org_code = org;
	a->views = 0;
	if (vals[7]) {
		/* a whole number of page views, at most a billion */
		const char *v = vals[7];
		int ok = *v && strlen(v) <= 10;
		int64_t views = 0;
		for (const char *q = v; ok && *q; q++) {
			if (isdigit((unsigned char)*q))
				views = views * 10 + (*q - '0');
			else
				ok = 0;
		}
		if (!ok || views > 1000000000) {
			snprintf(err, errsz, "%d: views must be a whole number "
					     "from 0 to 1000000000", key_line[7]);
			return HH_ERR_INVALID;
		}
		a->views = views;
	}
	const char *field = NULL;
	if (hh_article_validate(a, &field) != HH_OK) {
		int fl = 1;
		const char *why = "is invalid";
		if (!strcmp(field, "title"))
			fl = key_line[0], why = "must be 1 to 200 characters";
		else if (!strcmp(field, "summary"))
			fl = key_line[1], why = "must be 1 to 500 characters";
		else if (!strcmp(field, "keywords"))
			fl = key_line[2], why = "are too long";
		else if (!strcmp(field, "kle"))
			fl = key_line[3], why = "must look like NN, NN.NN or NN.NN.NN";
		else if (!strcmp(field, "body"))
			fl = body_line, why = "is too long (256 KiB at most)";
		snprintf(err, errsz, "%d: %s %s", fl, field, why);
		return HH_ERR_INVALID;
	}
	return HH_OK;
}

void hh_article_format(const struct hh_article *a, struct hh_buf *out)
{
	hh_buf_puts(out, "---\n");
	hh_buf_printf(out, "title: %s\n", a->title);
	hh_buf_printf(out, "summary: %s\n", a->summary);
	hh_buf_printf(out, "keywords:%s%s\n", *a->keywords ? " " : "",
		      a->keywords);
	hh_buf_printf(out, "kle:%s%s\n", a->kle && *a->kle ? " " : "",
		      a->kle ? a->kle : "");
	hh_buf_printf(out, "audience: %s\n", hh_audience_name(a->audience));
	hh_buf_printf(out, "status: %s\n", hh_status_name(a->status));
	if (a->views > 0)
		hh_buf_printf(out, "views: %lld\n", (long long)a->views);
	if (a->org_code)
		hh_buf_printf(out, "organisation: %s\n", a->org_code);
	hh_buf_puts(out, "---\n\n");
	hh_buf_puts(out, a->body_md);
	hh_buf_putc(out, '\n');
}

/* ---- import ---------------------------------------------------------- */

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct hh_buf b;
	hh_buf_init(&b);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		hh_buf_append(&b, chunk, n);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		hh_buf_clear(&b);
		return NULL;
	}
	*len = b.len;
	return hh_buf_steal(&b);
}

struct file_ref {
	char *path;
	char *slug;
	char *folder_org; /* NULL for articles/ itself */
};

static int cmp_ref(const void *x, const void *y)
{
	return strcmp(((const struct file_ref *)x)->path,
		      ((const struct file_ref *)y)->path);
}

static void collect(const char *dir, const char *org, struct file_ref **refs,
		    size_t *n)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		struct stat st;
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (!org) /* one level: articles/<code>/ */
				collect(path, e->d_name, refs, n);
			continue;
		}
		size_t l = strlen(e->d_name);
		if (l < 4 || strcmp(e->d_name + l - 3, ".md") != 0)
			continue;
		*refs = hh_xrealloc(*refs, (*n + 1) * sizeof(**refs));
		struct file_ref *r = &(*refs)[(*n)++];
		r->path = hh_xstrdup(path);
		r->slug = hh_xstrndup(e->d_name, l - 3);
		r->folder_org = org ? hh_xstrdup(org) : NULL;
	}
	closedir(d);
}

struct parsed {
	const char *path;
	struct hh_article a;
	const char *org_code;
	/* what the batch's last attempt did: 0 nothing, 1 created, 2
	 * updated; and the article's id and owner then */
	int outcome;
	int64_t id, org_id;
};

struct batch_ctx {
	struct parsed *items;
	size_t n;
	struct hh_arena *ar;
	struct hh_import_stats *stats;
	struct hh_import_stats delta;
	FILE *errs;
};

static enum hh_rc batch_tx(struct hh_tx *tx, void *p)
{
	struct batch_ctx *c = p;
	struct hh_actor who = { .label = "import", .system = 1 };
	memset(&c->delta, 0, sizeof(c->delta));
	for (size_t i = 0; i < c->n; i++) {
		struct parsed *it = &c->items[i];
		it->outcome = 0; /* a retried batch starts afresh */
		if (!it->path)
			continue;
		it->a.org_id = 0;
		if (it->org_code) {
			struct hh_org org;
			enum hh_rc rc = tx->store->org_get_by_code(
				tx, c->ar, it->org_code, &org);
			if (rc == HH_ERR_NOT_FOUND) {
				fprintf(c->errs,
					"%s:1: unknown organisation '%s'\n",
					it->path, it->org_code);
				c->delta.files_failed++;
				continue;
			}
			if (rc != HH_OK)
				return rc;
			it->a.org_id = org.id;
		}
		int outcome;
		const char *field;
		struct hh_article copy = it->a;
		enum hh_rc rc = hh_article_put_in_tx(tx, &who, c->ar, &copy,
						     &outcome, &field);
		if (rc != HH_OK)
			return rc;
		/* a new article starts with the demo's views, so a fresh
		 * install's "popular" list is not alphabetical; an existing
		 * one keeps the views it has */
		if (outcome == 1 && it->a.views > 0) {
			rc = tx->store->article_views_add(tx, copy.id, it->a.views);
			if (rc != HH_OK)
				return rc;
		}
		it->outcome = outcome;
		it->id = copy.id;
		it->org_id = copy.org_id;
		if (outcome == 1)
			c->delta.articles_created++;
		else if (outcome == 2)
			c->delta.articles_updated++;
		else
			c->delta.articles_unchanged++;
	}
	return HH_OK;
}

static enum hh_rc flush(struct hh_store *st, struct batch_ctx *c)
{
	if (!c->n)
		return HH_OK;
	enum hh_rc rc = hh_store_run_tx(st, 1, batch_tx, c);
	if (rc == HH_OK) {
		c->stats->articles_created += c->delta.articles_created;
		c->stats->articles_updated += c->delta.articles_updated;
		c->stats->articles_unchanged += c->delta.articles_unchanged;
		c->stats->files_failed += c->delta.files_failed;
		/* committed: tell the subscribers (a running server's index) */
		for (size_t i = 0; i < c->n; i++) {
			const struct parsed *it = &c->items[i];
			struct hh_article a = { .id = it->id,
						.org_id = it->org_id };
			if (it->outcome)
				hh_article_changed(st, &a, it->outcome == 1
								  ? "create"
								  : "update");
		}
	}
	c->n = 0;
	hh_arena_clear(c->ar);
	return rc;
}

struct orgs_ctx {
	json_t *list;
	struct hh_import_stats *stats;
};

static enum hh_rc orgs_tx(struct hh_tx *tx, void *p)
{
	struct orgs_ctx *c = p;
	size_t i;
	json_t *o;
	c->stats->organisations = 0;
	json_array_foreach(c->list, i, o)
	{
		struct hh_org org = {
			.code = json_string_value(json_object_get(o, "code")),
			.name = json_string_value(json_object_get(o, "name")),
		};
		const char *kind = json_string_value(json_object_get(o, "kind"));
		org.kind = kind && !strcmp(kind, "agency") ? HH_ORG_AGENCY
							   : HH_ORG_MUNICIPALITY;
		enum hh_rc rc = tx->store->org_put(tx, &org);
		/* delivery: the sender's CVR number of its Digital Post */
		const char *cvr = json_string_value(json_object_get(o, "cvr"));
		if (rc == HH_OK && cvr)
			rc = tx->store->org_cvr_put(tx, org.id, cvr);
		if (rc != HH_OK)
			return rc;
		c->stats->organisations++;
	}
	/* appointments: the organisations' contact details */
	struct hh_arena a;
	hh_arena_init(&a);
	enum hh_rc rc = hh_org_contacts_put(tx, &a, c->list);
	hh_arena_clear(&a);
	return rc;
}

static json_t *load_json(const char *path, FILE *errs, int *missing)
{
	json_error_t e;
	*missing = 0;
	FILE *f = fopen(path, "rb");
	if (!f) {
		*missing = errno == ENOENT;
		if (!*missing)
			fprintf(errs, "%s:1: %s\n", path, strerror(errno));
		return NULL;
	}
	json_t *j = json_loadf(f, JSON_REJECT_DUPLICATES, &e);
	fclose(f);
	if (!j)
		fprintf(errs, "%s:%d: %s\n", path, e.line, e.text);
	return j;
}

static enum hh_rc import_orgs(struct hh_store *st, const char *dir, FILE *errs,
			      struct hh_import_stats *stats)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/organisations.json", dir);
	int missing;
	json_t *list = load_json(path, errs, &missing);
	if (!list)
		return missing ? HH_OK : HH_ERR_INVALID;
	enum hh_rc rc = HH_OK;
	size_t i;
	json_t *o;
	if (!json_is_array(list)) {
		fprintf(errs, "%s:1: expected an array of organisations\n", path);
		rc = HH_ERR_INVALID;
		goto done;
	}
	json_array_foreach(list, i, o)
	{
		const char *code = json_string_value(json_object_get(o, "code"));
		const char *name = json_string_value(json_object_get(o, "name"));
		const char *kind = json_string_value(json_object_get(o, "kind"));
		/* contact details are optional (domain/contact.h) */
		json_t *contact = json_object_get(o, "contact");
		/* delivery: the CVR number (8 digits) is optional too */
		json_t *cvr = json_object_get(o, "cvr");
		const char *cvr_s = json_string_value(cvr);
		if (!json_is_object(o) ||
		    json_object_size(o) != 3u + (contact ? 1 : 0) + (cvr ? 1 : 0) ||
		    (cvr && (!cvr_s || strlen(cvr_s) != 8 ||
			     strspn(cvr_s, "0123456789") != 8)) ||
		    (contact && !hh_org_contact_ok(contact)) || !code ||
		    !org_code_valid(code) || !name || !*name ||
		    !hh_utf8_valid(name, strlen(name)) || !kind ||
		    (strcmp(kind, "municipality") && strcmp(kind, "agency"))) {
			fprintf(errs,
				"%s:1: organisation %zu needs exactly code "
				"(a-z, 0-9, -), name and kind "
				"(municipality or agency), and may have a "
				"contact {phone, email, address, postcode, "
				"city, web?} and a cvr (8 digits)\n",
				path, i + 1);
			rc = HH_ERR_INVALID;
			goto done;
		}
	}
	struct orgs_ctx c = { list, stats };
	rc = hh_store_run_tx(st, 1, orgs_tx, &c);
done:
	json_decref(list);
	return rc;
}

static enum hh_rc import_users(struct hh_store *st, const char *dir,
			       FILE *errs, struct hh_import_stats *stats)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/users.json", dir);
	int missing;
	json_t *list = load_json(path, errs, &missing);
	if (!list)
		return missing ? HH_OK : HH_ERR_INVALID;
	enum hh_rc result = HH_OK;
	size_t i;
	json_t *u;
	json_array_foreach(list, i, u)
	{
		const char *email = json_string_value(json_object_get(u, "email"));
		const char *name = json_string_value(json_object_get(u, "name"));
		const char *org = json_string_value(json_object_get(u, "organisation"));
		const char *pw = json_string_value(json_object_get(u, "password"));
		json_t *roles_j = json_object_get(u, "roles");
		unsigned roles = 0;
		size_t k;
		json_t *r;
		int bad = !json_is_array(roles_j);
		json_array_foreach(roles_j, k, r)
		{
			unsigned bit;
			if (!json_is_string(r) ||
			    hh_roles_parse(json_string_value(r), &bit) != HH_OK)
				bad = 1;
			else
				roles |= bit;
		}
		enum hh_rc rc = bad ? HH_ERR_INVALID
				    : hh_auth_user_add(st, org ? org : "", email,
						       name, pw, roles, "import",
						       NULL);
		if (rc == HH_OK) {
			stats->users++;
		} else if (rc != HH_ERR_CONFLICT) { /* existing: keep it */
			fprintf(errs, "%s:1: user %zu (%s): %s\n", path, i + 1,
				email ? email : "?",
				rc == HH_ERR_INVALID
					? "needs email, name, organisation "
					  "(a known code), roles and a "
					  "password of 8+ characters"
					: hh_rc_name(rc));
			result = HH_ERR_INVALID;
		}
	}
	json_decref(list);
	return result;
}

struct le_ctx {
	struct hh_life_event le;
};

static enum hh_rc le_tx(struct hh_tx *tx, void *p)
{
	struct le_ctx *c = p;
	return tx->store->life_event_put(tx, &c->le);
}

struct ct_ctx {
	struct hh_case_type ct;
	const char *org_code;
	int org_missing;
	json_t *articles;        /* s-self: the articles the form belongs to */
	const char *bad_article; /* one of them that is no article */
};

/* s-self: does every slug of "articles" name a shared or an agency's
 * article (imported before the case types)? The first that does not goes
 * into bad_article; the case type is imported even so (a folder of case
 * types alone is a valid import), and its button is shown on no page. */
static enum hh_rc ct_articles_ok(struct hh_tx *tx, struct ct_ctx *c)
{
	size_t i;
	json_t *s;
	json_array_foreach(c->articles, i, s)
	{
		const char *slug = json_string_value(s);
		struct hh_arena a;
		hh_arena_init(&a);
		struct hh_article art;
		enum hh_rc rc = slug && hh_slug_valid(slug)
					? tx->store->article_get(tx, &a, 0, slug, &art)
					: HH_ERR_NOT_FOUND;
		if (rc == HH_ERR_NOT_FOUND)
			rc = tx->store->article_get_agency(tx, &a, slug, &art);
		hh_arena_clear(&a);
		if (rc == HH_ERR_NOT_FOUND) {
			if (!c->bad_article)
				c->bad_article = slug ? slug : "";
			continue;
		}
		if (rc != HH_OK)
			return rc;
	}
	return HH_OK;
}

static enum hh_rc ct_tx(struct hh_tx *tx, void *p)
{
	struct ct_ctx *c = p;
	c->bad_article = NULL; /* the transaction may run again */
	enum hh_rc arc = ct_articles_ok(tx, c);
	if (arc != HH_OK)
		return arc;
	if (strcmp(c->org_code, "municipality")) {
		struct hh_arena a;
		hh_arena_init(&a);
		struct hh_org o;
		enum hh_rc rc = tx->store->org_get_by_code(tx, &a, c->org_code, &o);
		hh_arena_clear(&a);
		if (rc == HH_ERR_NOT_FOUND) {
			c->org_missing = 1;
			return HH_ERR_INVALID;
		}
		if (rc != HH_OK)
			return rc;
	}
	return tx->store->case_type_put(tx, &c->ct);
}

/* letters: the case type's templates from letter-templates/CODE.json,
 * checked against its form and put into its definition (letters.h). */
static enum hh_rc letters_attach(const char *dir, const char *code,
				 const char *ct_path, json_t *root,
				 const struct hh_case_type_def *def, FILE *errs)
{
	char tpath[8192], err[1024];
	snprintf(tpath, sizeof(tpath), "%s/letter-templates/%s.json", dir, code);
	enum hh_rc rc = hh_letter_templates_attach(tpath, ct_path, root, def, err,
						   sizeof(err));
	if (rc != HH_OK)
		fprintf(errs, "%s\n", err);
	return rc;
}

static enum hh_rc import_case_types(struct hh_store *st, const char *dir,
				    FILE *errs, struct hh_import_stats *stats)
{
	char cdir[4096];
	snprintf(cdir, sizeof(cdir), "%s/case-types", dir);
	DIR *d = opendir(cdir);
	if (!d)
		return HH_OK;
	enum hh_rc result = HH_OK;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (e->d_name[0] == '.' || l < 6 || strcmp(e->d_name + l - 5, ".json"))
			continue;
		char path[8192], code[256], err[256];
		snprintf(path, sizeof(path), "%s/%s", cdir, e->d_name);
		snprintf(code, sizeof(code), "%.*s", (int)(l - 5), e->d_name);
		int missing;
		json_t *j = load_json(path, errs, &missing);
		if (!j) {
			result = HH_ERR_INVALID;
			continue;
		}
		struct hh_case_type_def def;
		if (!hh_slug_valid(code)) {
			fprintf(errs, "%s:1: the file name must be a slug\n", path);
			result = HH_ERR_INVALID;
		} else if (hh_case_type_def_from(j, &def, err, sizeof(err)) != HH_OK) {
			fprintf(errs, "%s:1: %s\n", path, err);
			result = HH_ERR_INVALID;
		} else if (!hh_form_def_ok(def.fields, err, sizeof(err))) {
			fprintf(errs, "%s:1: form: %s\n", path, err);
			result = HH_ERR_INVALID;
			hh_case_type_def_clear(&def);
		} else if (letters_attach(dir, code, path, j, &def, errs) != HH_OK) {
			/* letters: the case type comes with its templates or
			 * not at all */
			result = HH_ERR_INVALID;
			hh_case_type_def_clear(&def);
		} else {
			char *def_s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
			struct ct_ctx c = { .ct = { .code = code, .name = def.name,
						    .organisation = def.organisation,
						    .public = def.public,
						    .definition = def_s },
					    .org_code = def.organisation,
					    .articles = json_object_get(j, "articles") };
			enum hh_rc rc = c.articles && !json_is_array(c.articles)
						? HH_ERR_INVALID
						: hh_store_run_tx(st, 1, ct_tx, &c);
			free(def_s);
			hh_case_type_def_clear(&def);
			if (rc == HH_ERR_INVALID && c.org_missing) {
				fprintf(errs, "%s:1: unknown organisation '%s'\n", path,
					c.org_code);
				result = HH_ERR_INVALID;
			} else if (rc == HH_ERR_INVALID) { /* s-self */
				fprintf(errs, "%s:1: articles must be a list of "
					      "article slugs\n", path);
				result = HH_ERR_INVALID;
			} else if (rc != HH_OK) {
				json_decref(j);
				closedir(d);
				return rc;
			} else {
				stats->case_types++;
				if (c.bad_article) /* s-self */
					fprintf(errs, "%s:1: warning: articles: '%s' is "
						      "no shared or agency's article; "
						      "no article shows this form\n",
						path, c.bad_article);
			}
		}
		json_decref(j);
	}
	closedir(d);
	return result;
}

/* delivery: a demo citizen's postal address and exemption. */
struct post_ctx {
	int given;
	int64_t id;
	const char *address, *postcode, *city, *reason;
	int64_t since;
};

static int post_from_json(json_t *c, struct post_ctx *p)
{
	p->address = json_string_value(json_object_get(c, "address"));
	p->postcode = json_string_value(json_object_get(c, "postcode"));
	p->city = json_string_value(json_object_get(c, "city"));
	const char *since = json_string_value(json_object_get(c, "dp_exempt_since"));
	p->reason = json_string_value(json_object_get(c, "dp_exempt_reason"));
	int addr = !!p->address + !!p->postcode + !!p->city;
	if (addr != 0 && addr != 3)
		return 0;
	if (p->postcode && (strlen(p->postcode) != 4 ||
			    strspn(p->postcode, "0123456789") != 4))
		return 0;
	if (!!since != !!p->reason)
		return 0;
	if (since && (strlen(since) != 10 || !hh_iso8601_parse(since, &p->since)))
		return 0;
	p->given = addr || since;
	return 1;
}

static enum hh_rc post_tx(struct hh_tx *tx, void *arg)
{
	struct post_ctx *p = arg;
	struct hh_citizen z = { .id = p->id, .address = p->address,
				.postcode = p->postcode, .city = p->city,
				.dp_exempt_since = p->since,
				.dp_exempt_reason = p->reason };
	return tx->store->citizen_post_set(tx, &z);
}

/* p-parties: name and address protection ("address_protected"). */
struct protect_ctx {
	int64_t id;
	int on;
};

static enum hh_rc protect_tx(struct hh_tx *tx, void *arg)
{
	struct protect_ctx *p = arg;
	return tx->store->citizen_protected_set(tx, p->id, p->on);
}

static enum hh_rc import_citizens(struct hh_store *st, const char *dir,
				  FILE *errs, struct hh_import_stats *stats)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/citizens.json", dir);
	int missing;
	json_t *list = load_json(path, errs, &missing);
	if (!list)
		return missing ? HH_OK : HH_ERR_INVALID;
	enum hh_rc result = HH_OK;
	size_t i;
	json_t *c;
	json_array_foreach(list, i, c)
	{
		const char *id = json_string_value(json_object_get(c, "id"));
		const char *name = json_string_value(json_object_get(c, "name"));
		const char *cpr = json_string_value(json_object_get(c, "cpr"));
		const char *muni = json_string_value(json_object_get(c, "municipality"));
		char norm[12];
		enum hh_cpr_check chk = cpr ? hh_cpr_check(cpr, norm, NULL, 0)
					    : HH_CPR_BAD_FORM;
		if (!id || !name || (chk != HH_CPR_OK && chk != HH_CPR_OK_NO_MOD11)) {
			fprintf(errs, "%s:1: citizen %zu needs id, name and a valid "
				      "cpr\n", path, i + 1);
			result = HH_ERR_INVALID;
			continue;
		}
		struct hh_arena a;
		hh_arena_init(&a);
		struct hh_citizen_login login;
		char subject[300];
		snprintf(subject, sizeof(subject), "demo:%s", id);
		/* delivery: the postal address and the exemption from Digital
		 * Post ("dp_exempt_since": YYYY-MM-DD, "dp_exempt_reason") */
		struct post_ctx pc = { 0 };
		/* p-parties: name and address protection */
		json_t *prot = json_object_get(c, "address_protected");
		if (prot && !json_is_boolean(prot)) {
			fprintf(errs, "%s:1: citizen %zu: address_protected must be "
				      "true or false\n", path, i + 1);
			result = HH_ERR_INVALID;
			hh_arena_clear(&a);
			continue;
		}
		if (!post_from_json(c, &pc)) {
			fprintf(errs, "%s:1: citizen %zu: address, postcode (4 "
				      "digits) and city go together, and "
				      "dp_exempt_since (YYYY-MM-DD) with "
				      "dp_exempt_reason\n", path, i + 1);
			result = HH_ERR_INVALID;
			hh_arena_clear(&a);
			continue;
		}
		enum hh_rc rc = hh_citizen_login(st, &a, subject, name, norm, muni,
						 &login);
		/* the session is not used: demo citizens sign in on the page */
		if (rc == HH_OK)
			rc = hh_citizen_logout(st, login.token);
		if (rc == HH_OK && pc.given) {
			pc.id = login.citizen.id;
			rc = hh_store_run_tx(st, 1, post_tx, &pc);
		}
		if (rc == HH_OK) {
			struct protect_ctx pr = { login.citizen.id, json_is_true(prot) };
			rc = hh_store_run_tx(st, 1, protect_tx, &pr);
		}
		hh_arena_clear(&a);
		if (rc != HH_OK) {
			json_decref(list);
			return rc;
		}
		stats->citizens++;
	}
	json_decref(list);
	return result;
}

static enum hh_rc import_life_events(struct hh_store *st, const char *dir,
				     FILE *errs, struct hh_import_stats *stats)
{
	char ldir[4096];
	snprintf(ldir, sizeof(ldir), "%s/life-events", dir);
	DIR *d = opendir(ldir);
	if (!d)
		return HH_OK;
	enum hh_rc result = HH_OK;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (e->d_name[0] == '.' || l < 6 ||
		    strcmp(e->d_name + l - 5, ".json"))
			continue;
		char path[8192], slug[256];
		snprintf(path, sizeof(path), "%s/%s", ldir, e->d_name);
		snprintf(slug, sizeof(slug), "%.*s", (int)(l - 5), e->d_name);
		int missing;
		json_t *j = load_json(path, errs, &missing);
		if (!j) {
			result = HH_ERR_INVALID;
			continue;
		}
		struct le_ctx c = { { 0 } };
		c.le.slug = slug;
		c.le.title = json_string_value(json_object_get(j, "title"));
		c.le.summary = json_string_value(json_object_get(j, "summary"));
		c.le.position = (int)json_integer_value(json_object_get(j, "position"));
		json_t *arts = json_object_get(j, "articles");
		int ok = hh_slug_valid(slug) && c.le.title && c.le.summary &&
			 json_is_array(arts);
		size_t i;
		json_t *s;
		json_array_foreach(arts, i, s) if (!json_is_string(s) ||
						   !hh_slug_valid(json_string_value(s))) ok = 0;
		if (!ok) {
			fprintf(errs,
				"%s:1: a life event needs title, summary, "
				"position and articles (an array of slugs)\n",
				path);
			result = HH_ERR_INVALID;
			json_decref(j);
			continue;
		}
		json_t *qs = json_object_get(j, "questions");
		json_t *steps = json_object_get(j, "steps");
		json_t *fus = json_object_get(j, "followups");
		if ((qs && !json_is_array(qs)) || (steps && !json_is_array(steps)) ||
		    (fus && !json_is_array(fus))) {
			fprintf(errs, "%s:1: questions, steps and followups must be "
				      "lists\n", path);
			result = HH_ERR_INVALID;
			json_decref(j);
			continue;
		}
		/* x-decl: a step done by another authority's own case */
		const char *xproblem = NULL;
		json_array_foreach(steps, i, s) if (json_object_get(s, "external") &&
						    !xproblem)
			xproblem = hh_cs_step_problem(json_object_get(s, "external"));
		if (xproblem) {
			fprintf(errs, "%s:1: %s\n", path, xproblem);
			result = HH_ERR_INVALID;
			json_decref(j);
			continue;
		}
		char *arts_s = json_dumps(arts, JSON_COMPACT);
		char *def_s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
		c.le.articles = arts_s;
		c.le.definition = def_s;
		enum hh_rc rc = hh_store_run_tx(st, 1, le_tx, &c);
		free(arts_s);
		free(def_s);
		json_decref(j);
		if (rc != HH_OK) {
			closedir(d);
			return rc;
		}
		stats->life_events++;
	}
	closedir(d);
	return result;
}

enum hh_rc hh_content_import(struct hh_store *st, const char *dir,
			     int with_users, FILE *errs,
			     hh_progress_fn progress, void *progress_ctx,
			     struct hh_import_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	enum hh_rc result = HH_OK, rc;
	struct stat sb;
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		fprintf(errs, "%s: not a folder\n", dir);
		return HH_ERR_INVALID;
	}
	rc = import_orgs(st, dir, errs, stats);
	if (rc == HH_ERR_INVALID)
		result = rc;
	else if (rc != HH_OK)
		return rc;
	/* teams and transfer reasons of the organisations (inquiries.h) */
	rc = hh_inquiry_codes_import(st, dir, errs, &stats->inquiry_codes);
	if (rc == HH_ERR_INVALID)
		result = rc;
	else if (rc != HH_OK)
		return rc;
	/* opening hours of counter, phone and chat (hours.h) */
	rc = hh_hours_import(st, dir, errs, &stats->hours);
	if (rc == HH_ERR_INVALID)
		result = rc;
	else if (rc != HH_OK)
		return rc;
	/* appointments: the counter services of the organisations */
	rc = hh_counter_import(st, dir, errs, &stats->counter_services);
	if (rc == HH_ERR_INVALID)
		result = rc;
	else if (rc != HH_OK)
		return rc;
	/* the service figures: cost model, peer groups (figures.h) */
	rc = hh_figures_config_import(st, dir, errs, &stats->figures);
	if (rc == HH_ERR_INVALID)
		result = rc;
	else if (rc != HH_OK)
		return rc;
	/* s-self: topics with Danish names (topics.h) */
	rc = hh_topics_import(st, dir, errs, &stats->topics);
	if (rc == HH_ERR_INVALID)
		result = rc;
	else if (rc != HH_OK)
		return rc;
	if (with_users & HH_IMPORT_USERS) {
		rc = import_users(st, dir, errs, stats);
		if (rc == HH_ERR_INVALID)
			result = rc;
		else if (rc != HH_OK)
			return rc;
	}

	char adir[4096];
	snprintf(adir, sizeof(adir), "%s/articles", dir);
	struct file_ref *refs = NULL;
	size_t n_refs = 0;
	collect(adir, NULL, &refs, &n_refs);
	if (n_refs) /* qsort(NULL, 0, ...) is undefined */
		qsort(refs, n_refs, sizeof(*refs), cmp_ref);

	struct hh_arena ar;
	hh_arena_init(&ar);
	struct parsed *items = hh_xcalloc(BATCH, sizeof(*items));
	struct batch_ctx bc = { items, 0, &ar, stats, { 0 }, errs };
	for (size_t i = 0; i < n_refs; i++) {
		size_t len;
		char *text = read_file(refs[i].path, &len);
		if (!text) {
			fprintf(errs, "%s:1: %s\n", refs[i].path, strerror(errno));
			stats->files_failed++;
			result = HH_ERR_INVALID;
			continue;
		}
		char err[512];
		struct parsed *it = &items[bc.n];
		it->path = hh_arena_strdup(&ar, refs[i].path);
		rc = hh_article_parse(&ar, refs[i].slug, refs[i].folder_org, text,
				      len, &it->a, &it->org_code, err, sizeof(err));
		free(text);
		if (rc != HH_OK) {
			fprintf(errs, "%s:%s\n", refs[i].path, err);
			stats->files_failed++;
			result = HH_ERR_INVALID;
			continue;
		}
		if (++bc.n == BATCH) {
			int failed_before = stats->files_failed;
			rc = flush(st, &bc);
			if (rc != HH_OK)
				goto fail;
			if (stats->files_failed != failed_before)
				result = HH_ERR_INVALID;
		}
		if (progress)
			progress(progress_ctx, (int)i + 1, (int)n_refs);
	}
	{
		int failed_before = stats->files_failed;
		rc = flush(st, &bc);
		if (rc != HH_OK)
			goto fail;
		if (stats->files_failed != failed_before)
			result = HH_ERR_INVALID;
	}
	if (progress)
		progress(progress_ctx, (int)n_refs, (int)n_refs);
	rc = import_case_types(st, dir, errs, stats);
	if (rc == HH_ERR_INVALID)
		result = rc;
	else if (rc != HH_OK)
		goto fail;
	/* x-decl: the case systems organisations declare; their follow-ups
	 * name case types, so after those (casesystems.h) */
	rc = hh_case_systems_import(st, dir,
				    (with_users & HH_IMPORT_FORCE) != 0, errs,
				    &stats->case_systems);
	if (rc == HH_ERR_INVALID)
		result = rc;
	else if (rc != HH_OK)
		goto fail;
	rc = import_life_events(st, dir, errs, stats);
	if (rc == HH_ERR_INVALID)
		result = rc;
	else if (rc != HH_OK)
		goto fail;
	/* s-self: a running server's search index takes the forms and
	 * guides in again (domain/searchfeed.h) */
	hh_store_changed(st, &(struct hh_change){ .entity = "case_type",
						  .action = "import" });
	hh_store_changed(st, &(struct hh_change){ .entity = "life_event",
						  .action = "import" });
	if (with_users & HH_IMPORT_USERS) {
		rc = import_citizens(st, dir, errs, stats);
		if (rc == HH_ERR_INVALID)
			result = rc;
		else if (rc != HH_OK)
			goto fail;
	}
	rc = result;
fail:
	hh_arena_clear(&ar);
	free(items);
	for (size_t i = 0; i < n_refs; i++) {
		free(refs[i].path);
		free(refs[i].slug);
		free(refs[i].folder_org);
	}
	free(refs);
	return rc;
}

/* ---- export ---------------------------------------------------------- */

static int mkdir_p(const char *path)
{
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p == '/') {
			*p = 0;
			if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
				return -1;
			*p = '/';
		}
	}
	return mkdir(tmp, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

static int write_file(const char *path, const char *data, size_t len)
{
	char tmp[4200];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	FILE *f = fopen(tmp, "wb");
	if (!f)
		return -1;
	int ok = fwrite(data, 1, len, f) == len;
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

struct export_ctx {
	const char *dir;
	FILE *errs;
	int n;
	int failed;
	json_t *orgs;
	json_t *les;
	json_t *cts; /* case types: {code: definition} */
	struct hh_tx *tx; /* for each article's views */
	json_t *topics; /* s-self: the topics' list as stored, or NULL */
};

static enum hh_rc export_article(void *p, const struct hh_article *a)
{
	struct export_ctx *c = p;
	char path[8192];
	if (a->org_code) {
		snprintf(path, sizeof(path), "%s/articles/%s", c->dir, a->org_code);
		if (mkdir_p(path) != 0)
			goto fail;
		snprintf(path, sizeof(path), "%s/articles/%s/%s.md", c->dir,
			 a->org_code, a->slug);
	} else {
		snprintf(path, sizeof(path), "%s/articles/%s.md", c->dir, a->slug);
	}
	/* the views go with the article, so an import of the export
	 * starts with the same "popular" order */
	struct hh_article with_views = *a;
	enum hh_rc rc = c->tx->store->article_views_get(c->tx, a->id,
							&with_views.views);
	if (rc != HH_OK)
		return rc;
	struct hh_buf b;
	hh_buf_init(&b);
	hh_article_format(&with_views, &b);
	int r = write_file(path, hh_buf_str(&b), b.len);
	hh_buf_clear(&b);
	if (r != 0)
		goto fail;
	c->n++;
	return HH_OK;
fail:
	fprintf(c->errs, "%s: %s\n", path, strerror(errno));
	c->failed = 1;
	return HH_ERR_IO;
}

static enum hh_rc export_org(void *p, const struct hh_org *o)
{
	struct export_ctx *c = p;
	json_t *j = json_pack("{s:s, s:s, s:s}", "code", o->code, "name", o->name,
			      "kind", o->kind == HH_ORG_AGENCY ? "agency"
							       : "municipality");
	json_array_append_new(c->orgs, j);
	/* delivery: the CVR number, when given */
	struct hh_arena a;
	hh_arena_init(&a);
	const char *cvr = NULL;
	enum hh_rc rc = c->tx->store->org_cvr_get(c->tx, &a, o->id, &cvr);
	if (rc == HH_OK && cvr)
		json_object_set_new(j, "cvr", json_string(cvr));
	hh_arena_clear(&a);
	if (rc != HH_OK && rc != HH_ERR_NOT_FOUND)
		return rc;
	/* appointments: the contact details, when given */
	return hh_org_contact_export(c->tx, o->id, j);
}

static enum hh_rc export_le(void *p, const struct hh_life_event *le)
{
	struct export_ctx *c = p;
	json_error_t e;
	json_t *def = le->definition ? json_loads(le->definition, JSON_DECODE_ANY, &e)
				     : NULL;
	if (json_is_object(def) && json_object_get(def, "title")) {
		/* the whole guide as imported, in its own order */
		json_object_set_new(def, "slug", json_string(le->slug));
		json_array_append_new(c->les, def);
		return HH_OK;
	}
	json_decref(def);
	json_t *arts = json_loads(le->articles, 0, &e);
	json_t *j = json_pack("{s:s, s:s, s:s, s:i, s:o}", "slug", le->slug,
			      "title", le->title, "summary", le->summary,
			      "position", le->position, "articles",
			      arts ? arts : json_array());
	json_array_append_new(c->les, j);
	return HH_OK;
}

static enum hh_rc export_ct(void *p, const struct hh_case_type *ct)
{
	struct export_ctx *c = p;
	json_error_t e;
	json_t *def = json_loads(ct->definition, 0, &e);
	if (def)
		json_object_set_new(c->cts, ct->code, def);
	return HH_OK;
}

static enum hh_rc export_tx(struct hh_tx *tx, void *p)
{
	struct export_ctx *c = p;
	c->tx = tx;
	/* hh_store_run_tx may run this again after BUSY: start afresh. */
	json_array_clear(c->orgs);
	json_array_clear(c->les);
	c->n = 0;
	struct hh_arena ar;
	hh_arena_init(&ar);
	struct hh_article_filter f = { 0 };
	enum hh_rc rc = tx->store->org_list(tx, &ar, export_org, c);
	if (rc == HH_OK)
		rc = tx->store->life_event_list(tx, &ar, export_le, c);
	if (rc == HH_OK) {
		json_object_clear(c->cts);
		rc = tx->store->case_type_list(tx, &ar, 0, export_ct, c);
	}
	if (rc == HH_OK)
		rc = tx->store->article_list(tx, &ar, &f, 0, 0, NULL,
					     export_article, c);
	/* s-self: the topics' names, as imported */
	const char *topics = NULL;
	if (rc == HH_OK)
		rc = tx->store->meta_get(tx, &ar, HH_TOPICS_KEY, &topics);
	json_decref(c->topics);
	c->topics = topics ? json_loads(topics, 0, NULL) : NULL;
	hh_arena_clear(&ar);
	return rc;
}

static int dump_json(const char *path, json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	size_t n = strlen(s);
	char *withnl = hh_xmalloc(n + 2);
	memcpy(withnl, s, n);
	withnl[n] = '\n';
	int r = write_file(path, withnl, n + 1);
	free(s);
	free(withnl);
	return r;
}

enum hh_rc hh_content_export(struct hh_store *st, const char *dir, FILE *errs,
			     int *n_articles)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/articles", dir);
	if (mkdir_p(path) != 0) {
		fprintf(errs, "%s: %s\n", path, strerror(errno));
		return HH_ERR_IO;
	}
	struct export_ctx c = { dir, errs, 0, 0, json_array(), json_array(),
				json_object(), NULL, NULL };
	/* One read transaction: the export is a consistent snapshot. */
	enum hh_rc rc = hh_store_run_tx(st, 0, export_tx, &c);
	if (rc == HH_OK) {
		snprintf(path, sizeof(path), "%s/organisations.json", dir);
		if (dump_json(path, c.orgs) != 0)
			rc = HH_ERR_IO;
	}
	if (rc == HH_OK) {
		snprintf(path, sizeof(path), "%s/life-events", dir);
		mkdir_p(path);
		size_t i;
		json_t *le;
		json_array_foreach(c.les, i, le)
		{
			char lp[8192];
			snprintf(lp, sizeof(lp), "%s/%s.json", path,
				 json_string_value(json_object_get(le, "slug")));
			json_object_del(le, "slug");
			if (dump_json(lp, le) != 0)
				rc = HH_ERR_IO;
		}
	}
	if (rc == HH_OK && json_object_size(c.cts)) {
		snprintf(path, sizeof(path), "%s/case-types", dir);
		mkdir_p(path);
		const char *code;
		json_t *def;
		json_object_foreach(c.cts, code, def)
		{
			char cp[8192];
			snprintf(cp, sizeof(cp), "%s/%s.json", path, code);
			if (dump_json(cp, def) != 0)
				rc = HH_ERR_IO;
		}
	}
	if (rc == HH_OK && c.topics) { /* s-self */
		snprintf(path, sizeof(path), "%s/topics.json", dir);
		if (dump_json(path, c.topics) != 0)
			rc = HH_ERR_IO;
	}
	json_decref(c.topics);
	json_decref(c.orgs);
	json_decref(c.les);
	json_decref(c.cts);
	if (n_articles)
		*n_articles = c.n;
	return rc;
}
