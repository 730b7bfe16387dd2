/* letters.c - letters on cases: templates, merge, four eyes, sending (see
 * letters.h and docs/letters.md). */
#include "domain/letters.h"
#include "domain/messages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dktime.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/access.h"
#include "domain/cases.h"
#include "domain/contact.h"
#include "domain/letterdoc.h"
#include "render/letter.h"
#include "render/letter_html.h"
#include "render/memo.h"

/* ---- templates ------------------------------------------------------------ */

/* One template, read from its JSON object (strings borrowed from it, the
 * body joined into the arena). */
struct tmpl {
	const char *kind, *title, *body, *legal_basis, *appeal_body;
	int64_t appeal_weeks;
	int reply_allowed;
	int64_t reply_within; /* seconds; 0: no deadline */
};

static int needs_justification(const char *kind)
{
	return !strcmp(kind, "refused") || !strcmp(kind, "partly_granted");
}

static int is_decision(const char *kind)
{
	return !strcmp(kind, "granted") || needs_justification(kind);
}

/* The body as one text: a string, or a list of paragraphs joined by a
 * blank line. NULL when it is neither. */
static const char *body_of(struct hh_arena *a, json_t *v)
{
	if (json_is_string(v))
		return hh_arena_strdup(a, json_string_value(v));
	if (!json_is_array(v) || !json_array_size(v))
		return NULL;
	struct hh_buf b;
	hh_buf_init(&b);
	size_t i;
	json_t *p;
	json_array_foreach(v, i, p)
	{
		if (!json_is_string(p)) {
			hh_buf_clear(&b);
			return NULL;
		}
		if (i)
			hh_buf_puts(&b, "\n\n");
		hh_buf_puts(&b, json_string_value(p));
	}
	const char *s = hh_arena_strndup(a, b.data ? b.data : "", b.len);
	hh_buf_clear(&b);
	return s;
}

static enum hh_rc tmpl_read(struct hh_arena *a, const char *kind, json_t *t,
			    struct tmpl *out, char *why, size_t whysz)
{
	static const char *const keys[] = { "title", "body", "legal_basis", "appeal",
					    "reply_allowed", "reply_within" };
	memset(out, 0, sizeof(*out));
	out->kind = kind;
	if (!json_is_object(t)) {
		snprintf(why, whysz, "template '%s' must be an object", kind);
		return HH_ERR_INVALID;
	}
	const char *key;
	json_t *v;
	json_object_foreach(t, key, v)
	{
		size_t k = 0;
		while (k < sizeof(keys) / sizeof(keys[0]) && strcmp(keys[k], key))
			k++;
		if (k == sizeof(keys) / sizeof(keys[0])) {
			snprintf(why, whysz, "template '%s': unknown key '%s'", kind, key);
			return HH_ERR_INVALID;
		}
	}
	out->title = json_string_value(json_object_get(t, "title"));
	out->body = body_of(a, json_object_get(t, "body"));
	out->legal_basis = json_string_value(json_object_get(t, "legal_basis"));
	if (!out->title || !*out->title || !out->body || !*out->body) {
		snprintf(why, whysz, "template '%s' needs a title and a body "
			 "(a text or a list of paragraphs)", kind);
		return HH_ERR_INVALID;
	}
	json_t *appeal = json_object_get(t, "appeal");
	if (appeal) {
		out->appeal_body = json_string_value(json_object_get(appeal, "body"));
		out->appeal_weeks = json_integer_value(json_object_get(appeal, "weeks"));
		if (!json_is_object(appeal) || !out->appeal_body || !*out->appeal_body ||
		    out->appeal_weeks < 1 || out->appeal_weeks > 52 ||
		    json_object_size(appeal) != 2) {
			snprintf(why, whysz, "template '%s': appeal must be "
				 "{\"body\": the appeal body, \"weeks\": 1 to 52}", kind);
			return HH_ERR_INVALID;
		}
	}
	json_t *ra = json_object_get(t, "reply_allowed");
	if (ra && !json_is_boolean(ra)) {
		snprintf(why, whysz, "template '%s': reply_allowed must be true or false",
			 kind);
		return HH_ERR_INVALID;
	}
	out->reply_allowed = json_is_true(ra);
	json_t *rw = json_object_get(t, "reply_within");
	if (rw && !hh_iso_duration(json_string_value(rw), &out->reply_within)) {
		snprintf(why, whysz, "template '%s': reply_within must be an ISO 8601 "
			 "duration such as P14D", kind);
		return HH_ERR_INVALID;
	}
	if (needs_justification(kind) && !out->appeal_body) {
		snprintf(why, whysz, "template '%s' needs the appeal guidance (appeal)",
			 kind);
		return HH_ERR_INVALID;
	}
	if (is_decision(kind) && (!out->legal_basis || !*out->legal_basis)) {
		snprintf(why, whysz, "template '%s' needs its legal_basis", kind);
		return HH_ERR_INVALID;
	}
	return HH_OK;
}

/* The placeholders every template may use, beside form.FIELD. */
static const char *const known_names[] = {
	"case.journal_no", "case.id", "case.type", "case.submitted",
	"case.deadline", "deadline", "reply_by", "date", "citizen.name",
	"org.name", "org.phone", "org.email", "org.address", "org.postcode",
	"org.city", "org.web", "legal_basis", "appeal.body", "appeal.deadline",
	"free.justification", "free.text",
	/* the letters to the parties only (p-letters) */
	"applicant.name", "applicant.address", "party.role", "party.answer_by",
};

/* ---- letters to the parties of a case (p-letters) ----------------------- */

static const struct {
	const char *kind;
	int to_party; /* addressed to a party, not to the applicant */
} party_kinds[] = {
	{ "party_invitation", 1 },
	{ "party_declined", 0 },	{ "party_declined_party", 1 },
	{ "party_expired", 0 },		{ "party_expired_party", 1 },
};
#define N_PARTY_KINDS (sizeof(party_kinds) / sizeof(party_kinds[0]))

int hh_letter_party_kind(const char *kind)
{
	for (size_t i = 0; kind && i < N_PARTY_KINDS; i++)
		if (!strcmp(party_kinds[i].kind, kind))
			return party_kinds[i].to_party ? 2 : 1;
	return 0;
}

/* Is form field f shared with every party of def who confirms (the
 * fields a letter to a party may quote)? */
static int shared_with_parties(const struct hh_case_type_def *def, const char *f)
{
	int any = 0;
	for (int i = 0; i < def->n_parties; i++) {
		const struct hh_ct_party *d = &def->parties[i];
		if (!d->confirm)
			continue;
		int found = 0;
		for (int j = 0; j < d->n_shared; j++)
			found |= !strcmp(d->shared[j], f);
		if (!found)
			return 0;
		any = 1;
	}
	return any;
}

static int has_confirming_party(const struct hh_case_type_def *def)
{
	for (int i = 0; i < def->n_parties; i++)
		if (def->parties[i].confirm)
			return 1;
	return 0;
}

static const struct hh_form_field *form_field(const struct hh_case_type_def *def,
					      const char *name)
{
	for (int i = 0; i < def->form_def.n_fields; i++)
		if (!strcmp(def->form_def.fields[i].name, name))
			return &def->form_def.fields[i];
	return NULL;
}

/* Why placeholder name cannot be used in template t of def; NULL: it can. */
static const char *name_problem(const struct hh_case_type_def *def,
				const struct tmpl *t, const char *name)
{
	int party = hh_letter_party_kind(t->kind);
	if (!strncmp(name, "form.", 5)) {
		if (!form_field(def, name + 5))
			return "the case type's form has no such field";
		/* a letter to a party quotes only what the party may read */
		if (party == 2 && !shared_with_parties(def, name + 5))
			return "a letter to a party may quote only fields the case "
			       "type shares with every party who confirms";
		return NULL;
	}
	if (party && (!strncmp(name, "free.", 5) || !strcmp(name, "reply_by") ||
		      !strcmp(name, "legal_basis") || !strncmp(name, "appeal.", 7)))
		return "helhed writes the letters to the parties itself: no "
		       "caseworker's free parts, reply date or appeal";
	if (!party && (!strncmp(name, "applicant.", 10) || !strncmp(name, "party.", 6)))
		return "only the letters to the parties (party_...) know the "
		       "applicant and the party";
	for (size_t i = 0; i < sizeof(known_names) / sizeof(known_names[0]); i++)
		if (!strcmp(known_names[i], name)) {
			if (!strncmp(name, "appeal.", 7) && !t->appeal_body)
				return "the template has no appeal";
			if (!strcmp(name, "legal_basis") && !t->legal_basis)
				return "the template has no legal_basis";
			return NULL;
		}
	return "unknown placeholder";
}

/* Calls fn for each {{ name }} in s (name trimmed, in a); stops at the
 * first non-OK. An unclosed "{{" is INVALID with name NULL. */
static enum hh_rc each_placeholder(struct hh_arena *a, const char *s,
				   enum hh_rc (*fn)(void *ctx, const char *name,
						    const char *at, size_t len),
				   void *ctx)
{
	const char *p = s;
	while ((p = strstr(p, "{{"))) {
		const char *end = strstr(p + 2, "}}");
		if (!end)
			return fn(ctx, NULL, p, strlen(p));
		const char *n = p + 2, *ne = end;
		while (n < ne && *n == ' ')
			n++;
		while (ne > n && ne[-1] == ' ')
			ne--;
		enum hh_rc rc = fn(ctx, hh_arena_strndup(a, n, (size_t)(ne - n)), p,
				   (size_t)(end + 2 - p));
		if (rc != HH_OK)
			return rc;
		p = end + 2;
	}
	return HH_OK;
}

struct check_ctx {
	const struct hh_case_type_def *def;
	const struct tmpl *t;
	const char *file_text; /* the template file, for line numbers */
	const char *path;
	char *err;
	size_t errsz;
	int saw_justification;
	struct hh_arena *a;
};

/* The line of the first occurrence of needle in text (1 when it is not
 * found as written, e.g. escaped in the JSON). */
static int line_of(const char *text, const char *needle, size_t n)
{
	if (!text)
		return 1;
	const char *hit = memmem(text, strlen(text), needle, n);
	int line = 1;
	for (const char *p = text; hit && p < hit; p++)
		line += *p == '\n';
	return line;
}

static enum hh_rc check_one(void *p, const char *name, const char *at, size_t len)
{
	struct check_ctx *c = p;
	if (!name) {
		snprintf(c->err, c->errsz, "%s:%d: template '%s': '{{' is not closed",
			 c->path, line_of(c->file_text, at, len > 20 ? 20 : len), c->t->kind);
		return HH_ERR_INVALID;
	}
	if (!strcmp(name, "free.justification"))
		c->saw_justification = 1;
	const char *why = name_problem(c->def, c->t, name);
	if (!why)
		return HH_OK;
	snprintf(c->err, c->errsz, "%s:%d: template '%s': {{%s}}: %s", c->path,
		 line_of(c->file_text, at, len), c->t->kind, name, why);
	return HH_ERR_INVALID;
}

static char *read_file(const char *path, int *missing)
{
	*missing = 0;
	FILE *f = fopen(path, "rb");
	if (!f) {
		*missing = 1;
		return NULL;
	}
	struct hh_buf b;
	hh_buf_init(&b);
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		hh_buf_append(&b, chunk, n);
	fclose(f);
	hh_buf_putc(&b, '\0');
	return hh_buf_steal(&b);
}

/* The line of a key ("\"refused\"") in text, after the first `after`. */
static int key_line(const char *text, const char *after, const char *key)
{
	if (!text)
		return 1;
	const char *from = after ? strstr(text, after) : text;
	if (!from)
		from = text;
	char quoted[128];
	snprintf(quoted, sizeof(quoted), "\"%s\"", key);
	const char *hit = strstr(from, quoted);
	int line = 1;
	for (const char *p = text; hit && p < hit; p++)
		line += *p == '\n';
	return line;
}

/* The letters to the parties that *templates lacks, from the shared file
 * _parties.json in tmpl_path's folder (when it exists): added to
 * *templates (made when NULL), their kinds to *from, the file's text
 * and path to *dtext and dpath for the line numbers of errors. */
static enum hh_rc party_defaults(const char *tmpl_path, json_t **templates,
				 char **dtext, char *dpath, size_t dpathsz,
				 json_t **from, char *err, size_t errsz)
{
	const char *slash = strrchr(tmpl_path, '/');
	snprintf(dpath, dpathsz, "%.*s_parties.json",
		 slash ? (int)(slash - tmpl_path + 1) : 0, tmpl_path);
	int missing;
	*dtext = read_file(dpath, &missing);
	if (!*dtext && !missing)
		snprintf(err, errsz, "%s:1: cannot be read", dpath);
	if (!*dtext)
		return missing ? HH_OK : HH_ERR_INVALID;
	json_error_t e;
	json_t *d = json_loads(*dtext, JSON_REJECT_DUPLICATES, &e);
	if (!d || !json_is_object(d)) {
		snprintf(err, errsz, "%s:%d: %s", dpath, d ? 1 : e.line,
			 d ? "letter templates must be an object of kinds" : e.text);
		json_decref(d);
		return HH_ERR_INVALID;
	}
	if (!*templates)
		*templates = json_object();
	*from = json_object();
	const char *kind;
	json_t *t;
	json_object_foreach(d, kind, t)
	{
		if (!hh_letter_party_kind(kind)) {
			snprintf(err, errsz, "%s:%d: '%s': this file holds only the "
				 "letters to the parties (party_...)", dpath,
				 key_line(*dtext, NULL, kind), kind);
			json_decref(d);
			return HH_ERR_INVALID;
		}
		if (json_object_get(*templates, kind))
			continue; /* the case type's own */
		json_object_set(*templates, kind, t);
		json_object_set_new(*from, kind, json_true());
	}
	json_decref(d);
	return HH_OK;
}

enum hh_rc hh_letter_templates_attach(const char *tmpl_path, const char *ct_path,
				      json_t *root,
				      const struct hh_case_type_def *def,
				      char *err, size_t errsz)
{
	struct hh_arena a;
	hh_arena_init(&a);
	enum hh_rc rc = HH_OK;
	int missing = 1;
	char *text = tmpl_path ? read_file(tmpl_path, &missing) : NULL;
	char *ct_text = NULL, *dtext = NULL;
	char dpath[4096] = "";
	json_t *templates = NULL, *party_from = NULL;
	if (text) {
		json_error_t e;
		templates = json_loads(text, JSON_REJECT_DUPLICATES, &e);
		if (!templates || !json_is_object(templates)) {
			snprintf(err, errsz, "%s:%d: %s", tmpl_path, templates ? 1 : e.line,
				 templates ? "letter templates must be an object of kinds"
					   : e.text);
			rc = HH_ERR_INVALID;
			goto fail;
		}
	} else if (!missing) {
		snprintf(err, errsz, "%s:1: cannot be read", tmpl_path);
		rc = HH_ERR_INVALID;
		goto fail;
	} else if (def->letter_templates) {
		templates = json_incref(def->letter_templates); /* inline */
		tmpl_path = ct_path;
	}
	/* the letters to the parties: the case type's own, else the shared
	 * ones of letter-templates/_parties.json beside its file */
	if (has_confirming_party(def) && tmpl_path && tmpl_path != ct_path &&
	    (rc = party_defaults(tmpl_path, &templates, &dtext, dpath, sizeof(dpath),
				 &party_from, err, errsz)) != HH_OK)
		goto fail;
	const char *kind;
	json_t *t;
	json_object_foreach(templates, kind, t)
	{
		struct tmpl tp;
		char why[256];
		if (!hh_letter_kind_known(kind) && !hh_letter_party_kind(kind)) {
			snprintf(err, errsz, "%s:%d: '%s' is not a letter kind (granted, "
				 "refused, partly_granted, request, hearing, closing, "
				 "party_invitation, party_declined, party_declined_party, "
				 "party_expired, party_expired_party)",
				 tmpl_path, key_line(text, NULL, kind), kind);
			rc = HH_ERR_INVALID;
			goto fail;
		}
		if (tmpl_read(&a, kind, t, &tp, why, sizeof(why)) != HH_OK) {
			int d = json_object_get(party_from, kind) != NULL;
			snprintf(err, errsz, "%s:%d: %s", d ? dpath : tmpl_path,
				 key_line(d ? dtext : text, NULL, kind), why);
			rc = HH_ERR_INVALID;
			goto fail;
		}
		if (hh_letter_party_kind(kind) && !has_confirming_party(def)) {
			snprintf(err, errsz, "%s:%d: template '%s': the case type has "
				 "no party who confirms", tmpl_path,
				 key_line(text, NULL, kind), kind);
			rc = HH_ERR_INVALID;
			goto fail;
		}
		const char *cur_text = text, *cur_path = tmpl_path;
		if (json_object_get(party_from, kind)) { /* from _parties.json */
			cur_text = dtext;
			cur_path = dpath;
		}
		struct check_ctx c = { def, &tp, cur_text, cur_path, err, errsz, 0, &a };
		rc = each_placeholder(&a, tp.title, check_one, &c);
		if (rc == HH_OK)
			rc = each_placeholder(&a, tp.body, check_one, &c);
		if (rc != HH_OK)
			goto fail;
		if (needs_justification(kind) && !c.saw_justification) {
			snprintf(err, errsz, "%s:%d: template '%s' must give the "
				 "justification ({{free.justification}})", tmpl_path,
				 key_line(text, NULL, kind), kind);
			rc = HH_ERR_INVALID;
			goto fail;
		}
	}
	/* every move that needs a letter has its template */
	for (int i = 0; i < def->n_letters; i++) {
		if (json_object_get(templates, def->letters[i].kind))
			continue;
		int dummy;
		if (!ct_text)
			ct_text = read_file(ct_path, &dummy);
		snprintf(err, errsz, "%s:%d: letters: '%s' needs the template '%s', "
			 "which %s does not have", ct_path,
			 key_line(ct_text, "\"letters\"", def->letters[i].state),
			 def->letters[i].state, def->letters[i].kind,
			 text ? tmpl_path : "the letter templates");
		rc = HH_ERR_INVALID;
		goto fail;
	}
	if (templates)
		json_object_set(root, "letter_templates", templates);
fail:
	json_decref(templates);
	json_decref(party_from);
	free(text);
	free(ct_text);
	free(dtext);
	hh_arena_clear(&a);
	return rc;
}

/* ---- merging ------------------------------------------------------------- */

struct merge_ctx {
	struct hh_arena *a;
	const struct hh_case *k;
	const struct hh_case_type_def *def;
	const struct hh_citizen *cit;
	const char *org_name;
	const struct hh_org_contact *contact;
	json_t *display; /* the form's values as people read them */
	const struct tmpl *t;
	const char *justification, *text;
	int64_t reply_by, date;
	int preview;
	struct hh_buf *out;
	const char *missing; /* a placeholder we could not fill (our bug) */
	const struct hh_letter_party_ctx *pc; /* a letter to a party: NULL */
};

static const char *or_blank(const char *s)
{
	return s ? s : "";
}

static const char *value_of(struct merge_ctx *m, const char *name)
{
	struct hh_arena *a = m->a;
	if (!strncmp(name, "form.", 5)) {
		const char *v = json_string_value(json_object_get(m->display, name + 5));
		/* name and address protection: an address the applicant
		 * wrote never reaches another party (p-letters) */
		const struct hh_form_field *f = form_field(m->def, name + 5);
		if (v && *v && m->pc && m->pc->applicant_protected && f &&
		    f->type == HH_FIELD_ADDRESS)
			return HH_ADDRESS_PROTECTED_DA;
		return v && *v ? v : "(ikke oplyst)";
	}
	if (m->pc && !strcmp(name, "applicant.name"))
		return or_blank(m->pc->applicant_name);
	if (m->pc && !strcmp(name, "applicant.address"))
		return m->pc->applicant_protected ? HH_ADDRESS_PROTECTED_DA
		       : m->pc->applicant_address && *m->pc->applicant_address
			       ? m->pc->applicant_address
			       : "(ikke oplyst)";
	if (m->pc && !strcmp(name, "party.role"))
		return or_blank(m->pc->role);
	/* the moment it runs out, clock time included (r-letters): an
	 * invitation expires at the submission's time of day, so a date
	 * alone ("senest den 20. december") promised the party the whole
	 * of a day they do not have */
	if (m->pc && !strcmp(name, "party.answer_by"))
		return m->pc->answer_by ? hh_datetime_da(a, m->pc->answer_by) : "";
	if (!strcmp(name, "case.journal_no"))
		return m->k->journal_no ? m->k->journal_no
					: hh_arena_printf(a, "%lld", (long long)m->k->id);
	if (!strcmp(name, "case.id"))
		return hh_arena_printf(a, "%lld", (long long)m->k->id);
	if (!strcmp(name, "case.type"))
		return or_blank(m->def->name);
	if (!strcmp(name, "case.submitted"))
		return hh_date_da(a, m->k->created_at);
	if (!strcmp(name, "case.deadline") || !strcmp(name, "deadline"))
		return hh_date_da(a, m->k->deadline_at);
	if (!strcmp(name, "reply_by"))
		return m->reply_by ? hh_date_da(a, m->reply_by) : "";
	if (!strcmp(name, "date"))
		return hh_date_da(a, m->date);
	if (!strcmp(name, "citizen.name"))
		return or_blank(m->cit->name);
	if (!strcmp(name, "org.name"))
		return or_blank(m->org_name);
	if (!strcmp(name, "org.phone"))
		return or_blank(m->contact->phone);
	if (!strcmp(name, "org.email"))
		return or_blank(m->contact->email);
	if (!strcmp(name, "org.address"))
		return or_blank(m->contact->address);
	if (!strcmp(name, "org.postcode"))
		return or_blank(m->contact->postcode);
	if (!strcmp(name, "org.city"))
		return or_blank(m->contact->city);
	if (!strcmp(name, "org.web"))
		return or_blank(m->contact->web);
	if (!strcmp(name, "legal_basis"))
		return or_blank(m->t->legal_basis);
	if (!strcmp(name, "appeal.body"))
		return or_blank(m->t->appeal_body);
	if (!strcmp(name, "appeal.deadline"))
		return m->t->appeal_weeks == 1
			       ? "1 uge"
			       : hh_arena_printf(a, "%lld uger", (long long)m->t->appeal_weeks);
	if (!strcmp(name, "free.justification"))
		return m->justification && *m->justification
			       ? m->justification
			       : m->preview ? "[Skriv begrundelsen her]" : "";
	if (!strcmp(name, "free.text"))
		return or_blank(m->text);
	return NULL;
}

/* Appends s with its placeholders filled to m->out. */
static void merge_into(struct merge_ctx *m, const char *s)
{
	const char *p = s;
	for (;;) {
		const char *open = strstr(p, "{{");
		const char *end = open ? strstr(open + 2, "}}") : NULL;
		if (!end) {
			hh_buf_puts(m->out, p);
			return;
		}
		hh_buf_append(m->out, p, (size_t)(open - p));
		const char *n = open + 2, *ne = end;
		while (n < ne && *n == ' ')
			n++;
		while (ne > n && ne[-1] == ' ')
			ne--;
		const char *name = hh_arena_strndup(m->a, n, (size_t)(ne - n));
		const char *v = value_of(m, name);
		if (!v)
			m->missing = name;
		hh_buf_puts(m->out, v ? v : "");
		p = end + 2;
	}
}

/* Paragraphs left empty by an empty free part are dropped; the rest keep
 * their blank line between them. */
static const char *tidy(struct hh_arena *a, const char *s)
{
	struct hh_buf b;
	hh_buf_init(&b);
	const char *p = s;
	while (*p) {
		const char *end = strstr(p, "\n\n");
		size_t n = end ? (size_t)(end - p) : strlen(p);
		size_t i = 0;
		while (i < n && (p[i] == ' ' || p[i] == '\n' || p[i] == '\t'))
			i++;
		if (i < n) {
			if (b.len)
				hh_buf_puts(&b, "\n\n");
			hh_buf_append(&b, p + i, n - i);
		}
		p += n;
		while (*p == '\n')
			p++;
	}
	const char *r = hh_arena_strndup(a, b.data ? b.data : "", b.len);
	hh_buf_clear(&b);
	return r;
}

enum hh_rc hh_letter_merge_party(struct hh_tx *tx, struct hh_arena *a,
				 const struct hh_case *k,
				 const struct hh_case_type_def *def,
				 const char *kind, const struct hh_citizen *to,
				 const struct hh_letter_party_ctx *pc,
				 const char **title, const char **body)
{
	*title = *body = NULL;
	json_t *tj = json_object_get(def->letter_templates, kind);
	if (!tj)
		return HH_ERR_NOT_FOUND;
	struct tmpl t;
	char why[256];
	if (tmpl_read(a, kind, tj, &t, why, sizeof(why)) != HH_OK) {
		hh_log_bug("case type %s: %s", def->name, why);
		return HH_ERR_INTERNAL;
	}
	struct hh_org_contact contact = { 0 };
	enum hh_rc rc = hh_org_contact_get_tx(tx, a, k->org_id, &contact);
	if (rc != HH_OK && rc != HH_ERR_NOT_FOUND)
		return rc;
	json_error_t e;
	json_t *data = json_loads(k->data ? k->data : "{}", 0, &e);
	if (!data)
		data = json_object();
	json_t *display = hh_form_values_display(&def->form_def, data);
	struct hh_buf b;
	hh_buf_init(&b);
	struct merge_ctx m = { .a = a, .k = k, .def = def, .cit = to,
			       .org_name = k->org_name, .contact = &contact,
			       .display = display, .t = &t,
			       .date = hh_now_us() / 1000000, .out = &b, .pc = pc };
	merge_into(&m, t.title);
	*title = hh_arena_strndup(a, b.data ? b.data : "", b.len);
	hh_buf_reset(&b);
	merge_into(&m, t.body);
	*body = tidy(a, b.data ? b.data : "");
	hh_buf_clear(&b);
	json_decref(display);
	json_decref(data);
	if (m.missing) {
		hh_log_bug("case type %s: template %s: {{%s}} has no value", def->name,
			   kind, m.missing);
		return HH_ERR_INTERNAL;
	}
	return HH_OK;
}

/* ---- building a letter ---------------------------------------------------------- */

/* A request for information moves the case to its paused state from any
 * state that is neither paused nor final, as hh_case_request does,
 * whether or not the case type lists that move. */
static int is_request_move(const struct hh_case_type_def *def, const char *from,
			   const char *to, const char *kind)
{
	const struct hh_ct_state *cur = hh_ct_state(def, from);
	const struct hh_ct_state *paused = hh_ct_paused(def);
	return kind && !strcmp(kind, "request") && paused && to &&
	       !strcmp(paused->key, to) && cur && !cur->final && !cur->paused;
}

static const struct hh_ct_transition any_move = {
	.roles = HH_ROLE_CASEWORKER | HH_ROLE_AGENT | HH_ROLE_ADMIN
};

static int may(const struct hh_actor *who, const struct hh_case *k,
	       enum hh_access_action act, enum hh_rc *rc)
{
	struct hh_owner o = { k->org_id, k->citizen_id };
	*rc = hh_access(who, HH_RES_CASE, act, &o);
	return *rc == HH_OK;
}

static int free_part_bad(const char *s)
{
	return s && (strlen(s) > HH_LETTER_FREE_MAX || !hh_utf8_valid(s, strlen(s)));
}

struct build_ctx {
	const struct hh_actor *who;
	struct hh_arena *a;
	const struct hh_letter_input *in;
	int preview, save;
	struct hh_letter *out;
	struct hh_buf *html;
	struct hh_letter_context *ctx;
	const char *field;
};

static enum hh_rc build_tx(struct hh_tx *tx, void *p)
{
	struct build_ctx *x = p;
	const struct hh_letter_input *in = x->in;
	struct hh_store *st = tx->store;
	struct hh_arena *a = x->a;
	struct hh_case k = { 0 }; /* journal_no: not every store fills it */
	enum hh_rc rc = st->case_get(tx, a, in->case_id, &k);
	if (rc != HH_OK)
		return rc;
	if (!may(x->who, &k, HH_ACT_READ, &rc))
		return rc;
	if (!x->preview && !may(x->who, &k, HH_ACT_CHANGE, &rc))
		return rc;
	if (x->save && in->case_version && in->case_version != k.version)
		return HH_ERR_CONFLICT; /* written against an older case */
	if (x->save && !x->who->user_id)
		return HH_ERR_FORBIDDEN; /* a letter is signed by a person */
	struct hh_case_type row;
	struct hh_case_type_def def;
	rc = hh_case_type_load(tx, a, NULL, k.case_type_id, &row, &def);
	if (rc != HH_OK)
		return rc;
	json_t *display = NULL, *data = NULL;
	const char *kind = in->kind;
	if (x->ctx) {
		const struct hh_ct_state *ds = hh_ct_state(&def, in->decision);
		x->ctx->four_eyes = def.four_eyes;
		x->ctx->case_version = k.version;
		x->ctx->decision_label = ds ? hh_arena_strdup(a, ds->label) : NULL;
	}
	if (in->decision) {
		const struct hh_ct_transition *t = hh_ct_transition(&def, k.state, in->decision);
		if (is_request_move(&def, k.state, in->decision, kind))
			t = &any_move; /* hh_case_request's own rule, whoever
					  may make the listed move */
		if (!t || !(t->roles & x->who->roles)) {
			x->field = "decision";
			rc = HH_ERR_INVALID;
			goto fail;
		}
		const char *needed = hh_ct_letter_kind(&def, in->decision);
		if (!kind)
			kind = needed;
		if (needed && strcmp(needed, kind)) {
			x->field = "kind";
			rc = HH_ERR_INVALID;
			goto fail;
		}
	}
	json_t *tj = kind ? json_object_get(def.letter_templates, kind) : NULL;
	struct tmpl t;
	char why[256];
	if (!tj) {
		x->field = "kind";
		rc = HH_ERR_INVALID;
		goto fail;
	}
	if (x->ctx) {
		x->ctx->needs_justification = needs_justification(kind);
		x->ctx->four_eyes = def.four_eyes && is_decision(kind);
	}
	if (tmpl_read(a, kind, tj, &t, why, sizeof(why)) != HH_OK) {
		hh_log_bug("case type %s: %s", row.code, why);
		rc = HH_ERR_INTERNAL;
		goto fail;
	}
	if (!k.citizen_id) {
		x->field = "case_id"; /* nobody to write to */
		rc = HH_ERR_INVALID;
		goto fail;
	}
	if (free_part_bad(in->justification)) {
		x->field = "justification";
		rc = HH_ERR_INVALID;
		goto fail;
	}
	if (free_part_bad(in->text)) {
		x->field = "text";
		rc = HH_ERR_INVALID;
		goto fail;
	}
	if (!x->preview && needs_justification(kind)) {
		const char *j = in->justification;
		while (j && (*j == ' ' || *j == '\n' || *j == '\r' || *j == '\t'))
			j++;
		if (!j || !*j) {
			x->field = "justification";
			rc = HH_ERR_INVALID;
			goto fail;
		}
	}
	int64_t now = hh_now_us() / 1000000;
	int64_t reply_by = in->reply_by;
	if (reply_by && reply_by < now) {
		x->field = "reply_by";
		rc = HH_ERR_INVALID;
		goto fail;
	}
	if (!reply_by && t.reply_within)
		reply_by = now + t.reply_within;

	struct hh_citizen cit;
	rc = st->citizen_get(tx, a, k.citizen_id, &cit);
	if (rc != HH_OK)
		goto fail;
	struct hh_org_contact contact = { 0 };
	rc = hh_org_contact_get_tx(tx, a, k.org_id, &contact);
	if (rc != HH_OK && rc != HH_ERR_NOT_FOUND)
		goto fail;
	json_error_t e;
	data = json_loads(k.data ? k.data : "{}", 0, &e);
	if (!data)
		data = json_object();
	display = hh_form_values_display(&def.form_def, data);

	struct hh_buf b;
	hh_buf_init(&b);
	struct merge_ctx m = { .a = a, .k = &k, .def = &def, .cit = &cit,
			       .org_name = k.org_name, .contact = &contact,
			       .display = display, .t = &t,
			       .justification = in->justification, .text = in->text,
			       .reply_by = reply_by, .date = now,
			       .preview = x->preview, .out = &b };
	merge_into(&m, t.title);
	const char *title = hh_arena_strndup(a, b.data ? b.data : "", b.len);
	hh_buf_reset(&b);
	merge_into(&m, t.body);
	const char *body = tidy(a, b.data ? b.data : "");
	hh_buf_clear(&b);
	if (m.missing) {
		hh_log_bug("case type %s: template %s: {{%s}} has no value", row.code,
			   kind, m.missing);
		rc = HH_ERR_INTERNAL;
		goto fail;
	}
	json_t *fields = json_object();
	if (in->justification && *in->justification)
		json_object_set_new(fields, "justification",
				    json_string(in->justification));
	if (in->text && *in->text)
		json_object_set_new(fields, "text", json_string(in->text));
	char *fs = json_dumps(fields, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(fields);

	struct hh_letter *l = x->out;
	memset(l, 0, sizeof(*l));
	l->org_id = k.org_id;
	l->case_id = k.id;
	l->citizen_id = k.citizen_id;
	l->kind = hh_arena_strdup(a, kind);
	l->template_code = hh_arena_printf(a, "%s/%s", row.code, kind);
	l->state = "draft";
	l->decision = in->decision ? hh_arena_strdup(a, in->decision) : NULL;
	l->title = title;
	l->body = body;
	l->fields = hh_arena_strdup(a, fs);
	free(fs);
	l->reply_allowed = t.reply_allowed;
	l->reply_by = reply_by;
	l->author_id = x->who->user_id;
	l->org_name = k.org_name;
	l->case_type_name = row.name;
	l->case_journal_no = k.journal_no;
	if (x->save) {
		rc = st->letter_insert(tx, l);
		if (rc == HH_OK) {
			struct hh_event ev = {
				.actor = x->who->label, .org_id = k.org_id,
				.entity = "letter", .entity_id = l->id,
				.action = "create",
				.after = hh_arena_printf(a, "{\"case\":%lld,\"kind\":\"%s\"}",
							 (long long)k.id, l->kind) };
			rc = st->event_append(tx, &ev);
		}
		if (rc == HH_OK)
			rc = st->letter_get(tx, a, l->id, l);
		if (rc == HH_OK)
			l->case_journal_no = k.journal_no;
	}
	if (rc == HH_OK && x->html) {
		struct hh_letter_doc doc;
		rc = hh_letter_doc_build(tx, a, l, now, &doc);
		if (rc == HH_OK)
			rc = hh_letter_html(&doc, x->html);
	}
fail:
	json_decref(display);
	json_decref(data);
	hh_case_type_def_clear(&def);
	return rc;
}

enum hh_rc hh_letter_preview(struct hh_store *st, struct hh_arena *a,
			     const struct hh_actor *who,
			     const struct hh_letter_input *in,
			     struct hh_letter *out, struct hh_buf *html,
			     struct hh_letter_context *ctx, const char **field)
{
	if (ctx)
		memset(ctx, 0, sizeof(*ctx));
	struct build_ctx x = { .who = who, .a = a, .in = in, .preview = 1,
			       .out = out, .html = html, .ctx = ctx };
	enum hh_rc rc = hh_store_run_tx(st, 0, build_tx, &x);
	if (field)
		*field = x.field;
	return rc;
}

enum hh_rc hh_letter_create(struct hh_store *st, struct hh_arena *a,
			    const struct hh_actor *who,
			    const struct hh_letter_input *in,
			    struct hh_letter *out, const char **field)
{
	struct build_ctx x = { .who = who, .a = a, .in = in, .save = 1, .out = out };
	enum hh_rc rc = hh_store_run_tx(st, 1, build_tx, &x);
	if (field)
		*field = x.field;
	if (rc == HH_OK)
		hh_store_changed(st, &(struct hh_change){ "letter", out->id, out->org_id,
							   "create" });
	return rc;
}

struct required_ctx {
	const struct hh_actor *who;
	struct hh_arena *a;
	int64_t id;
	const char *to, *kind;
};

static enum hh_rc required_tx(struct hh_tx *tx, void *p)
{
	struct required_ctx *x = p;
	struct hh_case k = { 0 }; /* journal_no: not every store fills it */
	enum hh_rc rc = tx->store->case_get(tx, x->a, x->id, &k);
	if (rc != HH_OK)
		return rc;
	if (!may(x->who, &k, HH_ACT_READ, &rc))
		return rc;
	struct hh_case_type row;
	struct hh_case_type_def def;
	rc = hh_case_type_load(tx, x->a, NULL, k.case_type_id, &row, &def);
	if (rc != HH_OK)
		return rc;
	/* only a move the caller can make now needs its letter; another is
	 * simply not allowed */
	const struct hh_ct_transition *t = hh_ct_transition(&def, k.state, x->to);
	const char *kind = hh_ct_letter_kind(&def, x->to);
	x->kind = kind && k.citizen_id && t && (t->roles & x->who->roles)
			  ? hh_arena_strdup(x->a, kind)
			  : NULL;
	hh_case_type_def_clear(&def);
	return HH_OK;
}

enum hh_rc hh_letter_required(struct hh_store *st, struct hh_arena *a,
			      const struct hh_actor *who, int64_t case_id,
			      const char *to, const char **kind)
{
	struct required_ctx x = { who, a, case_id, to, NULL };
	*kind = NULL;
	enum hh_rc rc = to ? hh_store_run_tx(st, 0, required_tx, &x) : HH_OK;
	*kind = x.kind;
	return rc;
}

/* ---- sending, four eyes ----------------------------------------------------------- */

enum flow_op { OP_SEND, OP_APPROVE, OP_RETURN };

struct flow_ctx {
	const struct hh_actor *who;
	struct hh_arena *a;
	int64_t id, expected;
	enum flow_op op;
	const char *comment;
	struct hh_letter *out;
	/* what the first (read) transaction saw */
	int64_t letter_version, case_version;
	int deliver;  /* send now (else: to approval, or back to draft) */
	int64_t message; /* the message queued with the letter sent */
	int request;  /* the decision is a request for information: the
			 case waits for the citizen (hh_case_request) */
	int awaiting; /* four eyes: to approval */
	int64_t now;
	struct hh_letter_doc doc;
	const char *who_name;
	struct hh_buf pdf;
	char uuid[HH_UUID_SIZE];
	struct hh_case kase;
};

static enum hh_rc flow_read_tx(struct hh_tx *tx, void *p)
{
	struct flow_ctx *x = p;
	struct hh_store *st = tx->store;
	struct hh_letter *l = x->out;
	enum hh_rc rc = st->letter_get(tx, x->a, x->id, l);
	if (rc != HH_OK)
		return rc;
	if (!l->case_id)
		return HH_ERR_NOT_FOUND; /* not a case's letter: not ours here */
	rc = st->case_get(tx, x->a, l->case_id, &x->kase);
	if (rc != HH_OK)
		return rc;
	if (!may(x->who, &x->kase, HH_ACT_READ, &rc) ||
	    !may(x->who, &x->kase, HH_ACT_CHANGE, &rc))
		return rc;
	if (!x->who->user_id)
		return HH_ERR_FORBIDDEN;
	if (x->expected && x->expected != l->version)
		return HH_ERR_CONFLICT;
	x->letter_version = l->version;
	x->case_version = x->kase.version;
	l->case_journal_no = x->kase.journal_no;
	if (x->op == OP_SEND && strcmp(l->state, "draft"))
		return HH_ERR_INVALID;
	if (x->op != OP_SEND) {
		if (strcmp(l->state, "awaiting_approval"))
			return HH_ERR_INVALID;
		if (l->author_id == x->who->user_id)
			return HH_ERR_FORBIDDEN; /* four eyes: never the author's */
	}
	struct hh_user u;
	rc = st->user_get(tx, x->a, x->who->user_id, &u);
	if (rc != HH_OK)
		return rc;
	x->who_name = u.name;
	if (x->op == OP_RETURN)
		return HH_OK;
	struct hh_case_type row;
	struct hh_case_type_def def;
	rc = hh_case_type_load(tx, x->a, NULL, x->kase.case_type_id, &row, &def);
	if (rc != HH_OK)
		return rc;
	/* four eyes are for decisions; a request for information or a
	 * hearing goes out at once */
	x->awaiting = x->op == OP_SEND && def.four_eyes && is_decision(l->kind);
	x->deliver = !x->awaiting;
	x->request = l->decision &&
		     is_request_move(&def, x->kase.state, l->decision, l->kind);
	if (x->deliver && l->decision && !x->request) {
		/* the decision must still be a move the case can make */
		const struct hh_ct_transition *t =
			hh_ct_transition(&def, x->kase.state, l->decision);
		if (!t || !(t->roles & x->who->roles))
			rc = HH_ERR_INVALID;
	}
	hh_case_type_def_clear(&def);
	if (rc == HH_OK && x->deliver) {
		x->now = hh_now_us() / 1000000;
		l->sent_at = x->now;
		rc = hh_letter_doc_build(tx, x->a, l, x->now, &x->doc);
	}
	return rc;
}

static enum hh_rc letter_event(struct hh_tx *tx, struct flow_ctx *x,
			       const struct hh_letter *l, const char *action,
			       const char *summary, const char *comment)
{
	json_t *j = json_pack("{s:I, s:s, s:s, s:s}", "letter", (json_int_t)l->id,
			      "kind", l->kind, "title", l->title, "summary", summary);
	if (comment && *comment)
		json_object_set_new(j, "comment", json_string(comment));
	char *after = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	struct hh_event e = { .actor = x->who->label, .org_id = l->org_id,
			      .entity = "case", .entity_id = l->case_id,
			      .action = action, .after = after };
	enum hh_rc rc = tx->store->event_append(tx, &e);
	free(after);
	return rc;
}

static enum hh_rc flow_write_tx(struct hh_tx *tx, void *p)
{
	struct flow_ctx *x = p;
	struct hh_store *st = tx->store;
	struct hh_letter *l = x->out;
	enum hh_rc rc = st->letter_get(tx, x->a, x->id, l);
	if (rc != HH_OK)
		return rc;
	if (l->version != x->letter_version)
		return HH_ERR_CONFLICT; /* changed (or sent) since we rendered */
	int64_t expected = l->version;
	if (x->op == OP_RETURN) {
		l->state = "draft";
		rc = st->letter_update(tx, l, expected);
		if (rc == HH_OK)
			rc = letter_event(tx, x, l, "letter_returned",
					  hh_arena_printf(x->a, "Brev sendt tilbage til "
							  "forfatteren af %s", x->who_name),
					  x->comment);
		return rc;
	}
	if (x->awaiting) {
		l->state = "awaiting_approval";
		rc = st->letter_update(tx, l, expected);
		if (rc == HH_OK)
			rc = letter_event(tx, x, l, "letter_approval",
					  "Brev til godkendelse", NULL);
		return rc;
	}
	if (l->decision && x->request) {
		/* the question is the letter's own text (its title when the
		 * caseworker wrote none), as the citizen's case page shows it */
		json_error_t e;
		json_t *fields = json_loads(l->fields ? l->fields : "{}", 0, &e);
		const char *text = json_string_value(json_object_get(fields, "text"));
		rc = hh_case_request_tx(tx, x->a, x->who, l->case_id,
					hh_arena_strdup(x->a, text ? text : l->title),
					x->case_version, &x->kase);
		json_decref(fields);
		if (rc != HH_OK)
			return rc;
	} else if (l->decision) {
		/* the version is the one this send read: a case changed
		 * since (or by a concurrent send) is CONFLICT */
		rc = hh_case_transition_tx(tx, x->a, x->who, l->case_id, l->decision,
					   x->case_version, NULL, &x->kase, NULL);
		if (rc != HH_OK)
			return rc;
	}
	if (x->op == OP_APPROVE) {
		l->approver_id = x->who->user_id;
		l->approved_at = x->now;
	}
	l->state = "sent";
	l->sent_at = x->now;
	l->pdf = (const unsigned char *)x->pdf.data;
	l->pdf_len = x->pdf.len;
	l->message_id = x->uuid;
	rc = st->letter_update(tx, l, expected);
	if (rc != HH_OK)
		return rc;
	struct hh_message m = { .message_id = x->uuid, .letter_id = l->id,
				.org_id = l->org_id, .citizen_id = l->citizen_id,
				.state = "queued", .next_attempt_at = x->now };
	rc = st->message_insert(tx, &m);
	x->message = m.id;
	if (rc == HH_OK && x->op == OP_APPROVE)
		rc = letter_event(tx, x, l, "letter_approved",
				  hh_arena_printf(x->a, "Brev godkendt af %s", x->who_name),
				  NULL);
	if (rc == HH_OK)
		rc = letter_event(tx, x, l, "letter_sent", "Brev sendt til borgeren",
				  NULL);
	if (rc == HH_OK)
		rc = st->letter_get(tx, x->a, x->id, l);
	return rc;
}

static enum hh_rc flow(struct hh_store *st, struct flow_ctx *x)
{
	hh_buf_init(&x->pdf);
	enum hh_rc rc = hh_store_run_tx(st, 0, flow_read_tx, x);
	if (rc == HH_OK && x->deliver) {
		/* rendered outside the write transaction: Pango takes
		 * milliseconds, other writers should not wait for it */
		rc = hh_letter_pdf(&x->doc, &x->pdf, NULL);
		hh_uuid4(x->uuid);
	}
	if (rc == HH_OK)
		rc = hh_store_run_tx(st, 1, flow_write_tx, x);
	hh_buf_clear(&x->pdf);
	if (rc == HH_OK) {
		hh_store_changed(st, &(struct hh_change){
					     "letter", x->out->id, x->out->org_id,
					     x->deliver ? "send"
					     : x->awaiting ? "approval"
							   : "return" });
		if (x->deliver && x->out->decision)
			hh_store_changed(st, &(struct hh_change){
						     "case", x->out->case_id,
						     x->out->org_id, "transition" });
		/* the postman (app/postman.h) takes the message at once */
		if (x->deliver)
			hh_messages_queued(st, x->message);
	}
	return rc;
}

enum hh_rc hh_letter_send(struct hh_store *st, struct hh_arena *a,
			  const struct hh_actor *who, int64_t id,
			  int64_t expected_version, struct hh_letter *out,
			  int *awaiting)
{
	struct flow_ctx x = { .who = who, .a = a, .id = id,
			      .expected = expected_version, .op = OP_SEND, .out = out };
	enum hh_rc rc = flow(st, &x);
	if (awaiting)
		*awaiting = rc == HH_OK && x.awaiting;
	return rc;
}

enum hh_rc hh_letter_approve(struct hh_store *st, struct hh_arena *a,
			     const struct hh_actor *who, int64_t id,
			     int64_t expected_version, struct hh_letter *out)
{
	struct flow_ctx x = { .who = who, .a = a, .id = id,
			      .expected = expected_version, .op = OP_APPROVE,
			      .out = out };
	return flow(st, &x);
}

enum hh_rc hh_letter_return(struct hh_store *st, struct hh_arena *a,
			    const struct hh_actor *who, int64_t id,
			    int64_t expected_version, const char *comment,
			    struct hh_letter *out)
{
	if (free_part_bad(comment))
		return HH_ERR_INVALID;
	struct flow_ctx x = { .who = who, .a = a, .id = id,
			      .expected = expected_version, .op = OP_RETURN,
			      .comment = comment, .out = out };
	return flow(st, &x);
}

/* ---- a request for information ------------------------------------------------ */

struct req_ctx {
	const struct hh_actor *who;
	struct hh_arena *a;
	int64_t id;
	const char *paused; /* the state requests wait in, NULL: none */
	int has_template;
	int64_t citizen_id;
};

static enum hh_rc req_tx(struct hh_tx *tx, void *p)
{
	struct req_ctx *x = p;
	struct hh_case k = { 0 };
	enum hh_rc rc = tx->store->case_get(tx, x->a, x->id, &k);
	if (rc != HH_OK)
		return rc;
	if (!may(x->who, &k, HH_ACT_READ, &rc))
		return rc;
	struct hh_case_type row;
	struct hh_case_type_def def;
	rc = hh_case_type_load(tx, x->a, NULL, k.case_type_id, &row, &def);
	if (rc != HH_OK)
		return rc;
	const struct hh_ct_state *paused = hh_ct_paused(&def);
	x->paused = paused ? hh_arena_strdup(x->a, paused->key) : NULL;
	x->has_template = json_object_get(def.letter_templates, "request") != NULL;
	x->citizen_id = k.citizen_id;
	hh_case_type_def_clear(&def);
	return HH_OK;
}

struct case_ctx {
	struct hh_arena *a;
	int64_t id;
	struct hh_case *out;
};

static enum hh_rc case_tx(struct hh_tx *tx, void *p)
{
	struct case_ctx *x = p;
	memset(x->out, 0, sizeof(*x->out));
	return tx->store->case_get(tx, x->a, x->id, x->out);
}

enum hh_rc hh_letter_request(struct hh_store *st, struct hh_arena *a,
			     const struct hh_actor *who, int64_t case_id,
			     const char *question, int64_t expected_version,
			     struct hh_case *out, int *by_letter)
{
	struct req_ctx x = { .who = who, .a = a, .id = case_id };
	*by_letter = 0;
	enum hh_rc rc = hh_store_run_tx(st, 0, req_tx, &x);
	if (rc != HH_OK)
		return rc;
	if (!x.paused || !x.has_template || !x.citizen_id || !who->user_id)
		return hh_case_request(st, a, who, case_id, question, expected_version,
				       out);
	struct hh_letter_input in = { .case_id = case_id, .decision = x.paused,
				      .kind = "request", .text = question,
				      .case_version = expected_version };
	struct hh_letter l;
	const char *field = NULL;
	rc = hh_letter_create(st, a, who, &in, &l, &field);
	if (rc == HH_OK)
		rc = hh_letter_send(st, a, who, l.id, l.version, &l, NULL);
	if (rc != HH_OK)
		return rc;
	*by_letter = 1;
	struct case_ctx c = { a, case_id, out };
	return hh_store_run_tx(st, 0, case_tx, &c);
}

/* ---- reading ----------------------------------------------------------------- */

struct get_ctx {
	const struct hh_actor *who;
	struct hh_arena *a;
	int64_t id;
	const char *why;
	struct hh_letter *out;
};

static enum hh_rc get_tx(struct hh_tx *tx, void *p)
{
	struct get_ctx *x = p;
	enum hh_rc rc = tx->store->letter_get(tx, x->a, x->id, x->out);
	if (rc != HH_OK)
		return rc;
	struct hh_case k = { 0 }; /* journal_no: not every store fills it */
	if (x->out->case_id) {
		rc = tx->store->case_get(tx, x->a, x->out->case_id, &k);
		if (rc != HH_OK)
			return rc;
		x->out->case_journal_no = k.journal_no;
	} else {
		k = (struct hh_case){ .org_id = x->out->org_id,
				      .citizen_id = x->out->citizen_id };
	}
	if (!may(x->who, &k, HH_ACT_READ, &rc))
		return rc;
	if (hh_access_covers(x->who, HH_SCOPE_OWN_CITIZEN,
			     &(struct hh_owner){ k.org_id, k.citizen_id }))
		return HH_ERR_NOT_FOUND; /* citizens read letters in their inbox */
	if (!x->out->citizen_id)
		return HH_OK;
	struct hh_audit e = { .actor = x->who->label, .citizen_id = x->out->citizen_id,
			      .what = hh_arena_printf(x->a, "brev %lld",
						      (long long)x->id),
			      .why = x->why ? x->why : "sagsbehandling" };
	return tx->store->audit_append(tx, &e);
}

enum hh_rc hh_letter_get_staff(struct hh_store *st, struct hh_arena *a,
			       const struct hh_actor *who, int64_t id,
			       const char *why, struct hh_letter *out)
{
	struct get_ctx x = { who, a, id, why, out };
	return hh_store_run_tx(st, 1, get_tx, &x);
}

struct html_ctx {
	struct hh_arena *a;
	const struct hh_letter *l;
	struct hh_buf *out;
};

static enum hh_rc html_tx(struct hh_tx *tx, void *p)
{
	struct html_ctx *x = p;
	struct hh_letter_doc doc;
	enum hh_rc rc = hh_letter_doc_build(tx, x->a, x->l, 0, &doc);
	return rc == HH_OK ? hh_letter_html(&doc, x->out) : rc;
}

enum hh_rc hh_letter_html_of(struct hh_store *st, struct hh_arena *a,
			     const struct hh_letter *l, struct hh_buf *out)
{
	struct html_ctx x = { a, l, out };
	return hh_store_run_tx(st, 0, html_tx, &x);
}

struct list_ctx {
	const struct hh_actor *who;
	struct hh_arena *a;
	int64_t case_id;
	hh_letter_row_fn cb;
	void *ctx;
};

static enum hh_rc list_case_tx(struct hh_tx *tx, void *p)
{
	struct list_ctx *x = p;
	struct hh_case k = { 0 }; /* journal_no: not every store fills it */
	enum hh_rc rc = tx->store->case_get(tx, x->a, x->case_id, &k);
	if (rc != HH_OK)
		return rc;
	if (!may(x->who, &k, HH_ACT_READ, &rc))
		return rc;
	return tx->store->letter_list_case(tx, x->a, x->case_id, x->cb, x->ctx);
}

enum hh_rc hh_letter_list_case(struct hh_store *st, struct hh_arena *a,
			       const struct hh_actor *who, int64_t case_id,
			       hh_letter_row_fn cb, void *ctx)
{
	struct list_ctx x = { who, a, case_id, cb, ctx };
	return hh_store_run_tx(st, 0, list_case_tx, &x);
}

static enum hh_rc approval_row(void *p, const struct hh_letter *l)
{
	struct list_ctx *x = p;
	if (l->author_id == x->who->user_id)
		return HH_OK; /* not theirs to approve */
	return x->cb(x->ctx, l);
}

static enum hh_rc list_approval_tx(struct hh_tx *tx, void *p)
{
	struct list_ctx *x = p;
	return tx->store->letter_list_approval(tx, x->a, x->who->org_id, approval_row, x);
}

enum hh_rc hh_letter_list_approval(struct hh_store *st, struct hh_arena *a,
				   const struct hh_actor *who,
				   hh_letter_row_fn cb, void *ctx)
{
	/* the queue of the organisation: whoever may change its cases */
	enum hh_rc rc = hh_access(who, HH_RES_CASE, HH_ACT_CHANGE,
				  &(struct hh_owner){ who->org_id, 0 });
	if (rc != HH_OK || !who->org_id)
		return rc == HH_OK ? HH_ERR_FORBIDDEN : rc;
	struct list_ctx x = { who, a, 0, cb, ctx };
	return hh_store_run_tx(st, 0, list_approval_tx, &x);
}

/* ---- presentation ------------------------------------------------------------ */

const char *hh_letter_state_da(const char *state)
{
	if (!state)
		return "";
	if (!strcmp(state, "draft"))
		return "Kladde";
	if (!strcmp(state, "awaiting_approval"))
		return "Til godkendelse";
	if (!strcmp(state, "approved"))
		return "Godkendt";
	if (!strcmp(state, "sent"))
		return "Sendt";
	if (!strcmp(state, "cancelled"))
		return "Annulleret";
	return state;
}

const char *hh_letter_kind_da(const char *kind)
{
	if (!kind)
		return "";
	if (!strcmp(kind, "granted"))
		return "Bevilling";
	if (!strcmp(kind, "refused"))
		return "Afslag";
	if (!strcmp(kind, "partly_granted"))
		return "Delvis bevilling";
	if (!strcmp(kind, "request"))
		return "Anmodning om oplysninger";
	if (!strcmp(kind, "hearing"))
		return "Partshøring";
	if (!strcmp(kind, "closing"))
		return "Afslutning";
	/* p-letters: what helhed writes to and about the parties */
	if (!strcmp(kind, "party_invitation"))
		return "Invitation til part";
	if (!strcmp(kind, "party_declined"))
		return "Lukket, afvist af part (til ansøgeren)";
	if (!strcmp(kind, "party_declined_party"))
		return "Lukket, afvist af part (til part)";
	if (!strcmp(kind, "party_expired"))
		return "Lukket, partens frist udløb (til ansøgeren)";
	if (!strcmp(kind, "party_expired_party"))
		return "Lukket, partens frist udløb (til part)";
	return kind;
}

static json_t *time_or_null(int64_t t)
{
	if (!t)
		return json_null();
	char iso[21];
	hh_time_iso(t, iso);
	return json_string(iso);
}

json_t *hh_letter_json(const struct hh_letter *l)
{
	json_error_t e;
	json_t *fields = json_loads(l->fields ? l->fields : "{}", 0, &e);
	json_t *j = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:I, s:o}",
			      "id", (json_int_t)l->id, "case_id", (json_int_t)l->case_id,
			      "kind", l->kind, "template", l->template_code,
			      "state", l->state, "state_label",
			      hh_letter_state_da(l->state), "title", l->title,
			      "body", l->body, "reply_allowed", l->reply_allowed,
			      "version", (json_int_t)l->version, "fields",
			      fields ? fields : json_object());
	json_object_set_new(j, "decision", l->decision ? json_string(l->decision)
						       : json_null());
	json_object_set_new(j, "author", l->author_name ? json_string(l->author_name)
						       : json_null());
	json_object_set_new(j, "approver", l->approver_name
						   ? json_string(l->approver_name)
						   : json_null());
	json_object_set_new(j, "reply_by", time_or_null(l->reply_by));
	json_object_set_new(j, "created_at", time_or_null(l->created_at));
	json_object_set_new(j, "approved_at", time_or_null(l->approved_at));
	json_object_set_new(j, "sent_at", time_or_null(l->sent_at));
	json_object_set_new(j, "message_id", l->message_id ? json_string(l->message_id)
							  : json_null());
	return j;
}
