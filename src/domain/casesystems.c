/* casesystems.c - the case systems an organisation declares
 * (casesystems.h). */
#include "domain/casesystems.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "domain/access.h"
#include "domain/external.h"
#include "domain/forms.h"
#include "domain/kle.h"

static const char *const stage_codes[HH_CS_STAGE__COUNT] = {
	"", "received", "in_progress", "awaiting_citizen", "decided", "closed"
};
static const char *const stage_labels[HH_CS_STAGE__COUNT] = {
	"", "Modtaget", "Under behandling", "Afventer dig", "Afgjort", "Lukket"
};

const char *hh_cs_stage_code(enum hh_cs_stage s)
{
	return s > 0 && s < HH_CS_STAGE__COUNT ? stage_codes[s] : "";
}

const char *hh_cs_stage_label(enum hh_cs_stage s)
{
	return s > 0 && s < HH_CS_STAGE__COUNT ? stage_labels[s] : "";
}

enum hh_cs_stage hh_cs_stage_parse(const char *code)
{
	for (int i = 1; code && i < HH_CS_STAGE__COUNT; i++)
		if (!strcmp(code, stage_codes[i]))
			return (enum hh_cs_stage)i;
	return HH_CS_STAGE_NONE;
}

/* ---- parsing ------------------------------------------------------------ */

static enum hh_rc fail(struct hh_cs_error *err, const char *field,
		       const char *detail)
{
	err->field = field;
	err->detail = detail;
	return HH_ERR_INVALID;
}

/* 1 when every key of object o is one of the NULL-ended keys; else 0
 * with *bad the first other key. */
static int keys_ok(json_t *o, const char *const *keys, const char **bad)
{
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v)
	{
		int ok = 0;
		for (const char *const *p = keys; *p; p++)
			ok |= !strcmp(*p, k);
		if (!ok) {
			*bad = k;
			return 0;
		}
	}
	return 1;
}

/* A string of min..max characters, not only blanks when min > 0. */
static const char *text(json_t *o, const char *key, size_t min, size_t max)
{
	json_t *v = json_object_get(o, key);
	const char *s = json_string_value(v);
	if (!s || !hh_utf8_valid(s, json_string_length(v)) ||
	    strlen(s) != json_string_length(v))
		return NULL;
	size_t n = hh_utf8_len(s);
	if (n < min || n > max)
		return NULL;
	const char *q = s;
	while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
		q++;
	return min && !*q ? NULL : s;
}

/* a-z first, then a-z 0-9 _ : a fact's name, which a condition names */
static int fact_name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > 40 || s[0] < 'a' || s[0] > 'z')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

/* "case_types[2].name": a path into the declaration for an error (fmt
 * has one %zu, or two, then one %s for tail) */
static const char *path_i(struct hh_arena *a, const char *fmt, size_t i,
			  const char *tail)
{
	return hh_arena_printf(a, fmt, i, tail ? tail : "");
}

static const char *path_ik(struct hh_arena *a, const char *fmt, size_t i,
			   size_t k, const char *tail)
{
	return hh_arena_printf(a, fmt, i, k, tail ? tail : "");
}

/* The facts of case type t as a form of one field each, so that a
 * follow-up's when is parsed (and later evaluated) exactly as a helhed
 * case type's is. One form (a large struct) serves every case type of a
 * parse: *form is made on first use and refilled. */
static struct hh_form *facts_form(const struct hh_cs_case_type *t,
				  struct hh_form **form)
{
	if (!*form)
		*form = hh_xcalloc(1, sizeof(**form));
	struct hh_form *f = *form;
	f->n_fields = 0;
	for (int i = 0; i < t->n_facts; i++) {
		struct hh_form_field *x = &f->fields[f->n_fields++];
		memset(x, 0, sizeof(*x));
		x->name = t->facts[i].name;
		x->label = t->facts[i].name;
		x->type = t->facts[i].type == HH_CS_FACT_BOOLEAN   ? HH_FIELD_YESNO
			  : t->facts[i].type == HH_CS_FACT_INTEGER ? HH_FIELD_NUMBER
								   : HH_FIELD_TEXT;
	}
	f->present = 1;
	return f;
}

static enum hh_rc parse_followups(json_t *list, struct hh_arena *a,
				  const struct hh_cs_def *d, size_t ti,
				  struct hh_cs_case_type *t,
				  struct hh_form **scratch, struct hh_cs_error *err)
{
	static const char *const keys[] = { "state", "case_type", "organisation",
					    "when", "title", NULL };
	if (!list)
		return HH_OK;
	if (!json_is_array(list) || json_array_size(list) > HH_CT_FOLLOWUPS)
		return fail(err, path_i(a, "case_types[%zu].followups%s", ti, NULL),
			    "a list of at most 8 follow-up rules");
	struct hh_form *form = facts_form(t, scratch);
	enum hh_rc rc = HH_OK;
	size_t k;
	json_t *v;
	json_array_foreach(list, k, v)
	{
		const char *bad = NULL;
		if (!json_is_object(v) || !keys_ok(v, keys, &bad)) {
			rc = fail(err,
				  path_ik(a, "case_types[%zu].followups[%zu]%s", ti, k,
					  bad ? hh_arena_printf(a, ".%s", bad) : NULL),
				  bad ? "not a key of a follow-up rule"
				      : "a follow-up rule is an object");
			break;
		}
		struct hh_ct_followup *f = &t->followups[t->n_followups++];
		f->state = json_string_value(json_object_get(v, "state"));
		f->case_type = text(v, "case_type", 1, 100);
		f->organisation = text(v, "organisation", 1, 100);
		f->title = json_object_get(v, "title") ? text(v, "title", 1, 200)
						       : NULL;
		if (!f->state || !hh_cs_state(d, f->state)) {
			rc = fail(err,
				  path_ik(a, "case_types[%zu].followups[%zu].state%s", ti, k, NULL),
				  "one of the states the system declares");
			break;
		}
		if (!f->case_type) {
			rc = fail(err,
				  path_ik(a, "case_types[%zu].followups[%zu].case_type%s", ti, k, NULL),
				  "the code of a helhed case type");
			break;
		}
		if (json_object_get(v, "organisation") && !f->organisation) {
			rc = fail(err,
				  path_ik(a, "case_types[%zu].followups[%zu].organisation%s", ti, k, NULL),
				  "an organisation's code, or \"municipality\"");
			break;
		}
		if (json_object_get(v, "title") && !f->title) {
			rc = fail(err,
				  path_ik(a, "case_types[%zu].followups[%zu].title%s", ti, k, NULL),
				  "1 to 200 characters");
			break;
		}
		/* x-fix: a term is {field, equals} and nothing else, as
		 * every other level of a declaration refuses unknown keys */
		static const char *const wkeys[] = { "field", "equals", NULL };
		json_t *when = json_object_get(v, "when");
		const char *wbad = NULL;
		if (json_is_object(when)) {
			keys_ok(when, wkeys, &wbad);
		} else if (json_is_array(when)) {
			size_t wi;
			json_t *w;
			json_array_foreach(when, wi, w) if (!wbad &&
							  json_is_object(w))
				keys_ok(w, wkeys, &wbad);
		}
		if (wbad) {
			rc = fail(err,
				  path_ik(a, "case_types[%zu].followups[%zu].when%s", ti, k, NULL),
				  hh_arena_printf(a, "'%s' is not a key of a "
						     "condition (field, equals)",
						  wbad));
			break;
		}
		char why[128];
		if (hh_form_cond_parse(json_object_get(v, "when"), form, NULL,
				       &f->when, why, sizeof(why)) != HH_OK) {
			rc = fail(err,
				  path_ik(a, "case_types[%zu].followups[%zu].when%s", ti, k, NULL),
				  "{\"field\": F, \"equals\": V} (or a list of "
				  "them) where F is a fact of the case type");
			break;
		}
	}
	return rc;
}

static enum hh_rc parse_case_type(json_t *v, size_t i, struct hh_arena *a,
				  const struct hh_cs_def *d,
				  struct hh_cs_case_type *t,
				  struct hh_form **scratch, struct hh_cs_error *err)
{
	static const char *const keys[] = { "key", "name", "kle", "facts",
					    "followups", NULL };
	const char *bad = NULL;
	if (!json_is_object(v) || !keys_ok(v, keys, &bad))
		return fail(err,
			    path_i(a, "case_types[%zu]%s", i,
				   bad ? hh_arena_printf(a, ".%s", bad) : NULL),
			    bad ? "not a key of a case type"
				: "a case type is an object");
	t->key = json_string_value(json_object_get(v, "key"));
	if (!t->key || !hh_external_system_ok(t->key))
		return fail(err, path_i(a, "case_types[%zu].key%s", i, NULL),
			    "1 to 40 of a-z, 0-9 and -");
	for (int k = 0; k < d->n_case_types; k++)
		if (!strcmp(d->case_types[k].key, t->key))
			return fail(err, path_i(a, "case_types[%zu].key%s", i, NULL),
				    "declared twice");
	t->name = text(v, "name", 1, 200);
	if (!t->name)
		return fail(err, path_i(a, "case_types[%zu].name%s", i, NULL),
			    "the Danish name: 1 to 200 characters");
	json_t *kle = json_object_get(v, "kle");
	t->kle = json_string_value(kle);
	if (kle && !json_is_null(kle) && (!t->kle || !hh_kle_level(t->kle)))
		return fail(err, path_i(a, "case_types[%zu].kle%s", i, NULL),
			    "a KLE number: NN, NN.NN or NN.NN.NN");
	json_t *facts = json_object_get(v, "facts");
	if (facts && (!json_is_object(facts) ||
		      json_object_size(facts) > HH_CS_FACTS))
		return fail(err, path_i(a, "case_types[%zu].facts%s", i, NULL),
			    "an object of at most 16 facts, each \"boolean\", "
			    "\"string\" or \"integer\"");
	const char *name;
	json_t *type;
	json_object_foreach(facts, name, type)
	{
		const char *ty = json_string_value(type);
		enum hh_cs_fact_type ft = !ty ? 0
				     : !strcmp(ty, "boolean") ? HH_CS_FACT_BOOLEAN
				     : !strcmp(ty, "string")  ? HH_CS_FACT_STRING
				     : !strcmp(ty, "integer") ? HH_CS_FACT_INTEGER
							      : 0;
		if (!fact_name_ok(name) || !ft)
			return fail(err,
				    path_i(a, "case_types[%zu].facts.%s", i, name),
				    "a fact's name is 1 to 40 of a-z, 0-9 and _ "
				    "(a letter first); its type \"boolean\", "
				    "\"string\" or \"integer\"");
		t->facts[t->n_facts].name = name;
		t->facts[t->n_facts++].type = ft;
	}
	return parse_followups(json_object_get(v, "followups"), a, d, i, t,
			       scratch, err);
}

enum hh_rc hh_cs_parse(json_t *root, struct hh_arena *a, struct hh_cs_def *out,
		       struct hh_cs_error *err)
{
	static const char *const keys[] = { "label", "states", "case_types",
					    NULL };
	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	out->root = root;
	const char *bad = NULL;
	if (!json_is_object(root))
		return fail(err, NULL, "a declaration is a JSON object");
	if (!keys_ok(root, keys, &bad))
		return fail(err, hh_arena_strdup(a, bad),
			    "not a key of a declaration (label, states, "
			    "case_types)");
	out->label = text(root, "label", 1, 100);
	if (!out->label)
		return fail(err, "label", "the system's Danish name: 1 to 100 "
					  "characters");
	json_t *states = json_object_get(root, "states");
	if (!json_is_array(states) || !json_array_size(states) ||
	    json_array_size(states) > HH_CS_STATES)
		return fail(err, "states", "a list of 1 to 40 states");
	size_t i;
	json_t *v;
	json_array_foreach(states, i, v)
	{
		static const char *const skeys[] = { "name", "stage", NULL };
		if (!json_is_object(v) || !keys_ok(v, skeys, &bad))
			return fail(err, path_i(a, "states[%zu]%s", i, NULL),
				    "a state is {\"name\", \"stage\"}");
		struct hh_cs_state *s = &out->states[out->n_states];
		s->name = text(v, "name", 1, 100);
		s->stage = hh_cs_stage_parse(
			json_string_value(json_object_get(v, "stage")));
		if (!s->name)
			return fail(err, path_i(a, "states[%zu].name%s", i, NULL),
				    "the authority's own name of the state: 1 "
				    "to 100 characters");
		if (hh_cs_state(out, s->name))
			return fail(err, path_i(a, "states[%zu].name%s", i, NULL),
				    "declared twice");
		if (!s->stage)
			return fail(err, path_i(a, "states[%zu].stage%s", i, NULL),
				    "received, in_progress, awaiting_citizen, "
				    "decided or closed");
		out->n_states++;
	}
	json_t *types = json_object_get(root, "case_types");
	if (!json_is_array(types) || !json_array_size(types) ||
	    json_array_size(types) > HH_CS_CASE_TYPES)
		return fail(err, "case_types", "a list of 1 to 40 case types");
	out->case_types = hh_arena_calloc(a, json_array_size(types) *
						     sizeof(*out->case_types));
	struct hh_form *scratch = NULL;
	enum hh_rc rc = HH_OK;
	json_array_foreach(types, i, v)
	{
		rc = parse_case_type(v, i, a, out,
				     &out->case_types[out->n_case_types], &scratch,
				     err);
		if (rc != HH_OK)
			break;
		out->n_case_types++;
	}
	free(scratch);
	return rc;
}

enum hh_rc hh_cs_may_start(struct hh_tx *tx, struct hh_arena *a,
			   const char *case_type, const char *org_code, int *ok)
{
	*ok = 0;
	struct hh_case_type row;
	enum hh_rc rc = tx->store->case_type_get_by_code(tx, a, case_type, &row);
	if (rc != HH_OK)
		return rc;
	json_error_t e;
	json_t *root = row.definition ? json_loads(row.definition, 0, &e) : NULL;
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(root, "started_by"), i, v) if (
		org_code && json_string_value(v) &&
		!strcmp(json_string_value(v), org_code)) *ok = 1;
	json_decref(root);
	return HH_OK;
}

enum hh_rc hh_cs_check_tx(struct hh_tx *tx, struct hh_arena *a,
			  const char *org_code, const struct hh_cs_def *def,
			  struct hh_cs_error *err)
{
	struct hh_store *st = tx->store;
	const char *published = NULL;
	enum hh_rc rc = st->meta_get(tx, a, HH_KLE_PUBLISHED_KEY, &published);
	if (rc != HH_OK && rc != HH_ERR_NOT_FOUND)
		return rc;
	int kle_imported = rc == HH_OK && published && *published;
	for (int i = 0; i < def->n_case_types; i++) {
		const struct hh_cs_case_type *t = &def->case_types[i];
		if (t->kle && kle_imported) {
			struct hh_kle k;
			rc = st->kle_get(tx, a, t->kle, &k);
			if (rc == HH_ERR_NOT_FOUND)
				return fail(err,
					    path_i(a, "case_types[%zu].kle%s", (size_t)i, NULL),
					    "not a number of the imported KLE "
					    "emneplan");
			if (rc != HH_OK)
				return rc;
		}
		for (int k = 0; k < t->n_followups; k++) {
			const struct hh_ct_followup *f = &t->followups[k];
			struct hh_case_type row;
			rc = st->case_type_get_by_code(tx, a, f->case_type, &row);
			if (rc == HH_ERR_NOT_FOUND)
				return fail(err,
					    path_ik(a, "case_types[%zu].followups[%zu].case_type%s", (size_t)i, (size_t)k, NULL),
					    "not a case type of helhed");
			if (rc != HH_OK)
				return rc;
			/* x-fix: the case type must name the declaring
			 * organisation as one that may start it */
			int ok = 0;
			rc = hh_cs_may_start(tx, a, f->case_type, org_code, &ok);
			if (rc != HH_OK)
				return rc;
			if (!ok)
				return fail(err,
					    path_ik(a, "case_types[%zu].followups[%zu].case_type%s", (size_t)i, (size_t)k, NULL),
					    "this case type does not let your "
					    "organisation's systems start it "
					    "(its started_by)");
			if (!f->organisation ||
			    !strcmp(f->organisation, "municipality"))
				continue;
			struct hh_org o;
			rc = st->org_get_by_code(tx, a, f->organisation, &o);
			if (rc == HH_ERR_NOT_FOUND)
				return fail(err,
					    path_ik(a, "case_types[%zu].followups[%zu].organisation%s", (size_t)i, (size_t)k, NULL),
					    "no organisation has this code");
			if (rc != HH_OK)
				return rc;
		}
	}
	return HH_OK;
}

/* ---- parsed declarations, shared ----------------------------------------
 *
 * Every report parses its system's declaration in its transaction; with
 * jansson that is some 40 µs for a small one, more than the rest of the
 * checks together. A parse is a pure function of the definition's text,
 * so parsed declarations are kept by their text: a report still reads
 * the row in its own transaction (what it is checked against is the
 * declaration as it is then, whichever instance changed it), and only a
 * text seen before, byte for byte, skips the parse. No key but the text,
 * so nothing can go stale. Direct-mapped by a hash of the text; an entry
 * is counted while a request uses it (released with its arena) and freed
 * when replaced and no longer used. */

#define CS_CACHE 32

struct cs_parsed {
	char *text;
	uint64_t hash;
	json_t *root;
	struct hh_arena arena; /* def's case types */
	struct hh_cs_def def;
	int refs;              /* the cache's, and each request's */
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cs_parsed *cache[CS_CACHE];

static uint64_t text_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void parsed_free(struct cs_parsed *p)
{
	hh_arena_clear(&p->arena);
	json_decref(p->root);
	free(p->text);
	free(p);
}

/* One user fewer (the cache is one); the last frees it. */
static void parsed_release(void *v)
{
	struct cs_parsed *p = v;
	pthread_mutex_lock(&cache_lock);
	int last = --p->refs == 0;
	pthread_mutex_unlock(&cache_lock);
	if (last)
		parsed_free(p);
}

/* The parse of definition text, shared, into *def (valid until a is
 * cleared). INVALID when the text is not a declaration. */
static enum hh_rc parsed(struct hh_arena *a, const char *text,
			 struct hh_cs_def *def, struct hh_cs_error *err)
{
	uint64_t h = text_hash(text);
	struct cs_parsed **slot = &cache[h % CS_CACHE], *p = NULL;
	pthread_mutex_lock(&cache_lock);
	if (*slot && (*slot)->hash == h && !strcmp((*slot)->text, text)) {
		p = *slot;
		p->refs++;
	}
	pthread_mutex_unlock(&cache_lock);
	if (!p) {
		p = hh_xcalloc(1, sizeof(*p));
		hh_arena_init(&p->arena);
		json_error_t e;
		p->root = json_loads(text, 0, &e);
		if (!p->root || hh_cs_parse(p->root, &p->arena, &p->def, err) != HH_OK) {
			if (!p->root)
				fail(err, NULL, "not JSON");
			/* the error's strings may be in the entry's arena */
			err->field = err->field ? hh_arena_strdup(a, err->field) : NULL;
			err->detail = err->detail ? hh_arena_strdup(a, err->detail)
						  : "not a declaration";
			parsed_free(p);
			return HH_ERR_INVALID;
		}
		p->text = hh_xstrdup(text);
		p->hash = h;
		p->refs = 2; /* the cache's and this request's */
		struct cs_parsed *old;
		pthread_mutex_lock(&cache_lock);
		old = *slot;
		*slot = p;
		int last = old && --old->refs == 0;
		pthread_mutex_unlock(&cache_lock);
		if (last)
			parsed_free(old);
	}
	hh_arena_defer(a, parsed_release, p);
	*def = p->def;
	return HH_OK;
}

enum hh_rc hh_cs_load_tx(struct hh_tx *tx, struct hh_arena *a, int64_t org_id,
			 const char *system, struct hh_cs_def *def)
{
	struct hh_case_system c;
	enum hh_rc rc = tx->store->case_system_get(tx, a, org_id, system, &c);
	if (rc != HH_OK)
		return rc;
	struct hh_cs_error err = { 0 };
	if (parsed(a, c.definition, def, &err) != HH_OK) {
		hh_log_bug("case system %s of organisation %lld is stored "
			   "broken: %s: %s",
			   system, (long long)org_id, err.field ? err.field : "",
			   err.detail ? err.detail : "");
		return HH_ERR_INTERNAL;
	}
	return HH_OK;
}

const struct hh_cs_state *hh_cs_state(const struct hh_cs_def *d,
				      const char *name)
{
	for (int i = 0; name && i < d->n_states; i++)
		if (!strcmp(d->states[i].name, name))
			return &d->states[i];
	return NULL;
}

const struct hh_cs_case_type *hh_cs_case_type(const struct hh_cs_def *d,
					      const char *key)
{
	for (int i = 0; key && i < d->n_case_types; i++)
		if (!strcmp(d->case_types[i].key, key))
			return &d->case_types[i];
	return NULL;
}

int hh_cs_facts_ok(struct hh_arena *a, const struct hh_cs_case_type *t,
		   json_t *facts, const char **field, int *unknown)
{
	const char *name;
	json_t *v;
	*field = NULL;
	*unknown = 0;
	json_object_foreach(facts, name, v)
	{
		const struct hh_cs_fact *f = NULL;
		for (int i = 0; i < t->n_facts; i++)
			if (!strcmp(t->facts[i].name, name))
				f = &t->facts[i];
		*field = hh_arena_printf(a, "facts.%s", name);
		if (!f) {
			*unknown = 1;
			return 0;
		}
		int ok = 0;
		switch (f->type) {
		case HH_CS_FACT_BOOLEAN:
			ok = json_is_boolean(v);
			break;
		case HH_CS_FACT_INTEGER:
			ok = json_is_integer(v);
			break;
		case HH_CS_FACT_STRING: {
			const char *s = json_string_value(v);
			ok = s && strlen(s) == json_string_length(v) &&
			     hh_utf8_valid(s, json_string_length(v)) &&
			     hh_utf8_len(s) <= 200;
			break;
		}
		}
		if (!ok)
			return 0;
	}
	*field = NULL;
	return 1;
}

const char *hh_cs_step_problem(json_t *x)
{
	static const char *const keys[] = { "organisation", "case_type",
					    "done_in", "done_stages", NULL };
	const char *bad = NULL;
	if (!json_is_object(x) || !keys_ok(x, keys, &bad))
		return "external is {organisation, case_type, done_in, "
		       "done_stages}";
	if (!json_string_value(json_object_get(x, "organisation")) ||
	    !hh_external_system_ok(json_string_value(json_object_get(x, "case_type"))))
		return "external needs an organisation and a case_type key";
	json_t *in = json_object_get(x, "done_in");
	json_t *stages = json_object_get(x, "done_stages");
	if ((in && !json_is_array(in)) || (stages && !json_is_array(stages)) ||
	    json_array_size(in) + json_array_size(stages) == 0)
		return "external needs done_in (states) or done_stages (stages), "
		       "lists of at least one";
	size_t i;
	json_t *v;
	json_array_foreach(in, i, v) if (!json_is_string(v))
		return "done_in lists the states' names";
	json_array_foreach(stages, i, v) if (!hh_cs_stage_parse(json_string_value(v)))
		return "done_stages lists stages: received, in_progress, "
		       "awaiting_citizen, decided, closed";
	return NULL;
}

/* ---- declaring and reading ---------------------------------------------- */

struct declare_ctx {
	struct hh_arena *a;
	const struct hh_actor *who;
	struct hh_cs_def *def;
	struct hh_case_system *out;
	int created;
	struct hh_cs_error *err;
};

static enum hh_rc declare_tx(struct hh_tx *tx, void *p)
{
	struct declare_ctx *c = p;
	struct hh_org me;
	enum hh_rc rc = tx->store->org_get(tx, c->a, c->who->org_id, &me);
	if (rc == HH_OK)
		rc = hh_cs_check_tx(tx, c->a, me.code, c->def, c->err);
	if (rc != HH_OK)
		return rc;
	struct hh_case_system before;
	rc = tx->store->case_system_get(tx, c->a, c->out->org_id,
					c->out->system, &before);
	if (rc != HH_OK && rc != HH_ERR_NOT_FOUND)
		return rc;
	int existed = rc == HH_OK;
	c->created = 0;
	rc = tx->store->case_system_put(tx, c->out, &c->created);
	if (rc != HH_OK)
		return rc;
	struct hh_event e = { .actor = c->who->label, .org_id = c->who->org_id,
			      .entity = "case_system", .entity_id = c->out->id,
			      .action = existed ? "redeclare" : "declare",
			      .before = existed ? before.definition : NULL,
			      .after = c->out->definition };
	rc = tx->store->event_append(tx, &e);
	if (rc != HH_OK)
		return rc;
	struct hh_org o;
	rc = tx->store->org_get(tx, c->a, c->who->org_id, &o);
	if (rc == HH_OK)
		c->out->org_code = o.code;
	return rc;
}

enum hh_rc hh_case_system_declare(struct hh_store *st, struct hh_arena *a,
				  const struct hh_actor *who,
				  const char *system, json_t *body,
				  struct hh_case_system *out, int *created,
				  struct hh_cs_error *err)
{
	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	*created = 0;
	struct hh_owner own = { who->org_id, 0 };
	enum hh_rc rc = hh_access(who, HH_RES_CASE_SYSTEM, HH_ACT_CREATE, NULL);
	if (rc == HH_OK)
		rc = hh_access(who, HH_RES_CASE_SYSTEM, HH_ACT_CREATE, &own);
	if (rc == HH_OK)
		rc = hh_access(who, HH_RES_CASE_SYSTEM, HH_ACT_CHANGE, &own);
	if (rc == HH_OK && !who->org_id)
		rc = HH_ERR_FORBIDDEN;
	if (rc != HH_OK)
		return rc;
	if (!hh_external_system_ok(system))
		return fail(err, "system", "a system name is 1 to 40 of a-z, "
					   "0-9 and -");
	struct hh_cs_def def;
	rc = hh_cs_parse(body, a, &def, err);
	if (rc != HH_OK)
		return rc;
	char *text = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
	if (!text)
		return HH_ERR_INTERNAL;
	out->definition = hh_arena_strdup(a, text);
	free(text);
	out->org_id = who->org_id;
	out->system = hh_arena_strdup(a, system);
	out->label = def.label;
	out->updated_at = hh_now_us() / 1000000;
	struct declare_ctx c = { a, who, &def, out, 0, err };
	rc = hh_store_run_tx(st, 1, declare_tx, &c);
	if (rc == HH_OK) {
		*created = c.created;
		hh_store_changed(st, &(struct hh_change){
					     "case_system", out->id, who->org_id,
					     c.created ? "declare" : "redeclare" });
	}
	return rc;
}

struct get_ctx {
	struct hh_arena *a;
	int64_t org_id;
	const char *system;
	struct hh_case_system *out;
};

static enum hh_rc get_tx(struct hh_tx *tx, void *p)
{
	struct get_ctx *c = p;
	return tx->store->case_system_get(tx, c->a, c->org_id, c->system, c->out);
}

enum hh_rc hh_case_system_get(struct hh_store *st, struct hh_arena *a,
			      const struct hh_actor *who, const char *system,
			      struct hh_case_system *out)
{
	memset(out, 0, sizeof(*out));
	struct hh_owner own = { who->org_id, 0 };
	enum hh_rc rc = hh_access(who, HH_RES_CASE_SYSTEM, HH_ACT_READ, NULL);
	if (rc == HH_OK && !who->org_id)
		rc = HH_ERR_FORBIDDEN;
	if (rc == HH_OK)
		rc = hh_access(who, HH_RES_CASE_SYSTEM, HH_ACT_READ, &own);
	if (rc != HH_OK)
		return rc;
	if (!hh_external_system_ok(system))
		return HH_ERR_NOT_FOUND;
	/* only the caller's own organisation's systems are looked up */
	struct get_ctx c = { a, who->org_id, system, out };
	return hh_store_run_tx(st, 0, get_tx, &c);
}

struct list_ctx {
	struct hh_arena *a;
	int64_t org_id;
	json_t *items;
};

static enum hh_rc list_row(void *p, const struct hh_case_system *c)
{
	struct list_ctx *x = p;
	json_array_append_new(x->items, hh_case_system_json(c));
	return HH_OK;
}

static enum hh_rc list_tx(struct hh_tx *tx, void *p)
{
	struct list_ctx *x = p;
	json_array_clear(x->items); /* a retried transaction starts again */
	return tx->store->case_system_list(tx, x->a, x->org_id, list_row, x);
}

enum hh_rc hh_case_system_list(struct hh_store *st, struct hh_arena *a,
			       const struct hh_actor *who, json_t **out)
{
	*out = NULL;
	struct hh_owner own = { who->org_id, 0 };
	enum hh_rc rc = hh_access(who, HH_RES_CASE_SYSTEM, HH_ACT_READ, NULL);
	if (rc == HH_OK && !who->org_id)
		rc = HH_ERR_FORBIDDEN;
	if (rc == HH_OK)
		rc = hh_access(who, HH_RES_CASE_SYSTEM, HH_ACT_READ, &own);
	if (rc != HH_OK)
		return rc;
	struct list_ctx x = { a, who->org_id, json_array() };
	rc = hh_store_run_tx(st, 0, list_tx, &x);
	if (rc != HH_OK) {
		json_decref(x.items);
		return rc;
	}
	*out = x.items;
	return HH_OK;
}

json_t *hh_case_system_json(const struct hh_case_system *c)
{
	json_error_t e;
	json_t *j = json_loads(c->definition, 0, &e);
	if (!json_is_object(j)) {
		json_decref(j);
		j = json_object();
	}
	char at[21];
	hh_time_iso(c->updated_at, at);
	json_object_set_new(j, "system", json_string(c->system));
	json_object_set_new(j, "organisation",
			    c->org_code ? json_string(c->org_code) : json_null());
	json_object_set_new(j, "updated_at", json_string(at));
	return j;
}

/* ---- content/case-systems.json ------------------------------------------ */

struct import_ctx {
	struct hh_arena *a;
	json_t *root;
	const char *path;
	FILE *errs;
	int force; /* x-fix: replace declarations that exist */
	int n;
	int bad; /* a declaration was wrong: already reported */
	int kept; /* x-fix: existing declarations kept, reported once */
};

static enum hh_rc import_tx(struct hh_tx *tx, void *p)
{
	struct import_ctx *c = p;
	c->n = 0;
	c->bad = 0;
	int report = !c->kept; /* a retried transaction says it once */
	c->kept = 0;
	const char *org_code, *system;
	json_t *systems, *v;
	json_object_foreach(c->root, org_code, systems)
	{
		struct hh_org o;
		enum hh_rc rc = tx->store->org_get_by_code(tx, c->a, org_code, &o);
		if (rc == HH_ERR_NOT_FOUND) {
			fprintf(c->errs, "%s:1: %s is not in organisations.json\n",
				c->path, org_code);
			c->bad = 1;
			return HH_ERR_INVALID;
		}
		if (rc != HH_OK)
			return rc;
		json_object_foreach(systems, system, v)
		{
			struct hh_cs_def def;
			struct hh_cs_error err;
			rc = hh_cs_parse(v, c->a, &def, &err);
			if (rc == HH_OK)
				rc = hh_cs_check_tx(tx, c->a, org_code, &def, &err);
			if (rc == HH_ERR_INVALID) {
				fprintf(c->errs, "%s:1: %s/%s: %s%s%s\n", c->path,
					org_code, system,
					err.field ? err.field : "",
					err.field ? ": " : "", err.detail);
				c->bad = 1;
			}
			if (rc != HH_OK)
				return rc;
			/* x-fix: a declaration the organisation made (through
			 * the API, or an earlier import) is its own: kept
			 * unless forced */
			struct hh_case_system before;
			rc = tx->store->case_system_get(tx, c->a, o.id, system,
							&before);
			if (rc != HH_OK && rc != HH_ERR_NOT_FOUND)
				return rc;
			int existed = rc == HH_OK;
			if (existed && !c->force) {
				if (report)
					fprintf(c->errs,
						"%s:1: %s/%s: declared already; "
						"kept (--force-declarations "
						"replaces it)\n",
						c->path, org_code, system);
				c->kept++;
				continue;
			}
			char *text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
			struct hh_case_system cs = {
				.org_id = o.id, .system = system,
				.label = def.label,
				.definition = hh_arena_strdup(c->a, text),
				.updated_at = hh_now_us() / 1000000
			};
			free(text);
			rc = tx->store->case_system_put(tx, &cs, NULL);
			if (rc != HH_OK)
				return rc;
			struct hh_event e = {
				.actor = "import", .org_id = o.id,
				.entity = "case_system", .entity_id = cs.id,
				.action = existed ? "redeclare" : "declare",
				.before = existed ? before.definition : NULL,
				.after = cs.definition
			};
			rc = tx->store->event_append(tx, &e);
			if (rc != HH_OK)
				return rc;
			c->n++;
		}
	}
	return HH_OK;
}

enum hh_rc hh_case_systems_import(struct hh_store *st, const char *dir,
				  int force, FILE *errs, int *n)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/case-systems.json", dir);
	*n = 0;
	FILE *in = fopen(path, "r");
	if (!in)
		return HH_OK;
	json_error_t e;
	json_t *root = json_loadf(in, JSON_REJECT_DUPLICATES, &e);
	fclose(in);
	if (!root) {
		fprintf(errs, "%s:%d: %s\n", path, e.line, e.text);
		return HH_ERR_INVALID;
	}
	struct hh_arena a;
	hh_arena_init(&a);
	struct import_ctx c = { .a = &a, .root = root, .path = path,
				.errs = errs, .force = force };
	enum hh_rc rc = HH_OK;
	const char *org_code, *system;
	json_t *systems, *v;
	json_object_foreach(root, org_code, systems)
	{
		if (!json_is_object(systems)) {
			fprintf(errs, "%s:1: %s: expected an object of systems\n",
				path, org_code);
			rc = HH_ERR_INVALID;
		}
		json_object_foreach(systems, system, v) if (!hh_external_system_ok(system))
		{
			fprintf(errs, "%s:1: %s/%s: a system name is 1 to 40 of "
				      "a-z, 0-9 and -\n",
				path, org_code, system);
			rc = HH_ERR_INVALID;
		}
	}
	if (!json_is_object(root)) {
		fprintf(errs, "%s:1: expected an object of organisation codes\n",
			path);
		rc = HH_ERR_INVALID;
	}
	if (rc == HH_OK)
		rc = hh_store_run_tx(st, 1, import_tx, &c);
	if (rc == HH_OK)
		*n = c.n;
	hh_arena_clear(&a);
	json_decref(root);
	return rc;
}
