/* external.c - other authorities' cases, reported by their own case
 * systems (external.h). */
#include "domain/external.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/dktime.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/access.h"
#include "domain/cases.h"
#include "domain/casesystems.h"
#include "domain/casetools.h"
#include "domain/cpr.h"
#include "domain/vault.h"

int hh_external_system_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > HH_EXTERNAL_SYSTEM_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

/* Letters, digits and . _ : - : safe in a URL segment, a file name and a
 * log line without escaping, and what case ids are made of in practice
 * ("FRH-2026-001234", "2026:17"). */
int hh_external_id_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > HH_EXTERNAL_ID_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
		      s[i] == '_' || s[i] == ':' || s[i] == '-'))
			return 0;
	return 1;
}

/* https://host[...] with no space, control character, quote or '@': the
 * link goes on a citizen's page, so only the authority's own TLS site
 * (never http:, javascript: or data:). '@' is refused anywhere: in the
 * authority it starts userinfo, so "https://www.borger.dk@evil.example/"
 * (or ":443@", "%2F@") reads as borger.dk and opens evil.example; a
 * self-service page needs no '@' in its path or query, and refusing it
 * everywhere is simpler than parsing where the authority ends. */
int hh_external_url_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n > HH_EXTERNAL_URL_MAX || strncmp(s ? s : "", "https://", 8) != 0)
		return 0;
	const char *host = s + 8;
	if (!*host || *host == '/' || *host == ':' || *host == '@')
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\'' ||
		    c == '<' || c == '>' || c == '\\' || c == '`' || c == '@')
			return 0;
	}
	return 1;
}

static json_t *time_json(int64_t t)
{
	if (!t)
		return json_null();
	char s[HH_ISO8601_SIZE];
	hh_iso8601_dk(t, s);
	return json_string(s);
}

json_t *hh_external_json(const struct hh_external_case *k, int with_cpr)
{
	json_t *j = json_pack("{s:s, s:s, s:s?, s:s, s:s, s:s, s:I}", "system",
			      k->system, "id", k->external_id, "organisation",
			      k->org_code, "title", k->title, "state", k->state,
			      "text", k->citizen_text, "version",
			      (json_int_t)k->version);
	json_object_set_new(j, "organisation_name",
			    k->org_name ? json_string(k->org_name) : json_null());
	json_object_set_new(j, "deadline", time_json(k->deadline_at));
	json_object_set_new(j, "self_service_url",
			    k->self_service_url ? json_string(k->self_service_url)
						: json_null());
	json_object_set_new(j, "created_at", time_json(k->sent_created_at));
	json_object_set_new(j, "updated_at", time_json(k->sent_updated_at));
	json_object_set_new(j, "received_at", time_json(k->received_at));
	if (with_cpr && k->cpr)
		json_object_set_new(j, "cpr", json_string(k->cpr));
	/* x-decl: null on a case stored before its system was declared */
	json_object_set_new(j, "case_type",
			    k->case_type ? json_string(k->case_type) : json_null());
	json_object_set_new(j, "stage",
			    k->stage ? json_string(k->stage) : json_null());
	json_t *facts = NULL;
	if (k->facts) {
		json_error_t e;
		facts = json_loads(k->facts, 0, &e);
	}
	json_object_set_new(j, "facts", facts ? facts : json_object());
	return j;
}

const char *hh_external_stage_label(const struct hh_external_case *k)
{
	enum hh_cs_stage s = hh_cs_stage_parse(k->stage);
	return s ? hh_cs_stage_label(s) : NULL;
}

/* ---- reporting ---------------------------------------------------------- */

struct ext_ctx {
	struct hh_arena *a;
	const struct hh_actor *who;
	const char *system, *external_id;
	struct hh_external_case in;  /* the report, sealed */
	const char *cpr;             /* the report's, normalised */
	struct hh_external_case *out;
	struct hh_external_result *res;
	const struct hh_vault *v;
	json_t *facts;               /* the report's (borrowed), or NULL */
};

static int same_str(const char *x, const char *y)
{
	return !strcmp(x ? x : "", y ? y : "");
}

/* Does stored s (its CPR opened into cpr) say what the report says? */
static int same_content(const struct ext_ctx *c,
			const struct hh_external_case *s, const char *cpr)
{
	const struct hh_external_case *n = &c->in;
	return same_str(cpr, c->cpr) && same_str(s->title, n->title) &&
	       same_str(s->state, n->state) &&
	       same_str(s->citizen_text, n->citizen_text) &&
	       s->deadline_at == n->deadline_at &&
	       same_str(s->self_service_url, n->self_service_url) &&
	       s->sent_created_at == n->sent_created_at &&
	       s->sent_updated_at == n->sent_updated_at &&
	       same_str(s->case_type, n->case_type) &&
	       same_str(s->facts, n->facts);
}

/* What an event tells of a case: no CPR number, no text (personal data
 * stays in the row; a webhook that may see it reads it there). */
static const char *event_json(struct hh_arena *a,
			      const struct hh_external_case *k)
{
	json_t *j = json_pack("{s:s, s:s, s:I, s:s, s:s}", "system", k->system,
			      "id", k->external_id, "version",
			      (json_int_t)k->version, "state", k->state,
			      "title", k->title);
	if (k->deadline_at) {
		char d[HH_ISO8601_SIZE];
		hh_iso8601_dk(k->deadline_at, d);
		json_object_set_new(j, "deadline", json_string(d));
	}
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	const char *out = hh_arena_strdup(a, s);
	free(s);
	return out;
}

/* Does the report fit what the organisation declared for the system?
 * Sets c->in.stage; *t the report's case type. INVALID with the fault
 * set when not. */
static enum hh_rc declared(struct hh_tx *tx, struct ext_ctx *c,
			   struct hh_cs_def *def,
			   const struct hh_cs_case_type **t)
{
	struct hh_external_result *res = c->res;
	enum hh_rc rc = hh_cs_load_tx(tx, c->a, c->who->org_id, c->system, def);
	if (rc == HH_ERR_NOT_FOUND) {
		res->fault = HH_EXTERNAL_UNKNOWN_SYSTEM;
		res->field = "system";
		return HH_ERR_INVALID;
	}
	if (rc != HH_OK)
		return rc;
	*t = hh_cs_case_type(def, c->in.case_type);
	if (!*t) {
		res->fault = HH_EXTERNAL_UNKNOWN_CASE_TYPE;
		res->field = "case_type";
		return HH_ERR_INVALID;
	}
	const struct hh_cs_state *s = hh_cs_state(def, c->in.state);
	if (!s) {
		res->fault = HH_EXTERNAL_UNDECLARED_STATE;
		res->field = "state";
		return HH_ERR_INVALID;
	}
	c->in.stage = hh_cs_stage_code(s->stage);
	int unknown = 0;
	if (!hh_cs_facts_ok(c->a, *t, c->facts, &res->field, &unknown)) {
		if (unknown) {
			res->fault = HH_EXTERNAL_UNKNOWN_FACT;
		} else {
			res->fault = HH_EXTERNAL_BAD_FIELD;
			res->detail = "not of the type the case type declares "
				      "for this fact";
		}
		return HH_ERR_INVALID;
	}
	return HH_OK;
}

/* The follow-up's origin: the external case as the rule saw it, and the
 * facts its condition read (the page's "Opfølgning på en anden sag",
 * casetools.h HH_CASE_ORIGIN_KEY). New reference. */
static json_t *origin_json(const struct ext_ctx *c,
			   const struct hh_cs_case_type *t,
			   const struct hh_ct_followup *fu, const char *org_name)
{
	char when[21];
	hh_time_iso(hh_now_us() / 1000000, when);
	json_t *values = json_object();
	for (int i = 0; i < fu->when.n_terms; i++) {
		json_t *v = json_object_get(c->facts, fu->when.terms[i].field);
		if (v)
			json_object_set(values, fu->when.terms[i].field, v);
	}
	return json_pack("{s:s, s:s, s:s, s:s?, s:s, s:s, s:s, s:s, s:o}",
			 "system", c->system, "external_id", c->external_id,
			 "journal_no", c->external_id, "organisation_name",
			 org_name, "case_type_name", t->name, "decision",
			 c->in.state, "decision_label", c->in.state,
			 "decided_at", when, "values", values);
}

/* The helhed citizen with the report's CPR number (under any hash key
 * the vault knows), or 0. */
static enum hh_rc citizen_of(struct hh_tx *tx, struct ext_ctx *c,
			     int64_t *citizen_id)
{
	*citizen_id = 0;
	unsigned char hash[32];
	for (int i = 0; i < HH_VAULT_KEYS_MAX &&
			hh_vault_cpr_hash(c->v, i, c->cpr, hash) == HH_OK;
	     i++) {
		struct hh_citizen z;
		enum hh_rc rc = tx->store->citizen_get_by_cpr_hash(tx, c->a,
								   hash, &z);
		if (rc == HH_OK) {
			*citizen_id = z.id;
			return HH_OK;
		}
		if (rc != HH_ERR_NOT_FOUND)
			return rc;
	}
	return HH_OK;
}

/* A follow-up rule as the key of what it started (0044): its state, case
 * type and organisation, as a JSON array (unambiguous whatever the
 * names hold). In a. */
static const char *rule_key(struct hh_arena *a, const struct hh_ct_followup *fu)
{
	json_t *j = json_pack("[s, s, s]", fu->state, fu->case_type,
			      fu->organisation ? fu->organisation : "");
	char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	const char *out = hh_arena_strdup(a, s ? s : "");
	free(s);
	return out;
}

/* The case type's follow-up rules for the state the case is in (see
 * external.h), in the report's transaction: each rule starts its case
 * once per external case (x-fix: recorded in external_followups), on
 * the first created or updated version in the rule's state whose facts
 * meet its condition. */
static enum hh_rc followups(struct hh_tx *tx, struct ext_ctx *c,
			    const struct hh_cs_case_type *t, const char *org_code,
			    const char *org_name, const char *label)
{
	struct hh_external_result *res = c->res;
	int64_t citizen_id = -1; /* not looked up yet */
	for (int i = 0; i < t->n_followups; i++) {
		const struct hh_ct_followup *fu = &t->followups[i];
		if (strcmp(fu->state, c->in.state) ||
		    !hh_form_cond_holds(&fu->when, c->facts))
			continue;
		const char *rule = rule_key(c->a, fu);
		int fired = 0;
		enum hh_rc frc = tx->store->external_followup_started(
			tx, c->out->id, rule, &fired);
		if (frc != HH_OK)
			return frc;
		if (fired) /* started by an earlier version: once */
			continue;
		if (!res->followups)
			res->followups = hh_arena_calloc(
				c->a, HH_CT_FOLLOWUPS * sizeof(*res->followups));
		struct hh_external_followup *out = &res->followups[res->n_followups++];
		out->case_type = fu->case_type;
		/* x-fix: the case type consents again now (it may have
		 * dropped the organisation since the declaration) */
		int may = 0;
		enum hh_rc rc = hh_cs_may_start(tx, c->a, fu->case_type,
						org_code, &may);
		if (rc == HH_ERR_NOT_FOUND) {
			hh_log_bug("case system %s: follow-up %s is not a case "
				   "type", c->system, fu->case_type);
			out->reason = "unknown-case-type";
			continue;
		}
		if (rc != HH_OK)
			return rc;
		if (!may) {
			out->reason = "not-allowed";
			continue;
		}
		if (citizen_id < 0)
			rc = citizen_of(tx, c, &citizen_id);
		if (rc != HH_OK)
			return rc;
		struct hh_case f = { 0 };
		if (citizen_id) {
			json_t *origin = origin_json(c, t, fu, org_name);
			rc = hh_case_followup_start(tx, c->a, label, citizen_id, 0, 0,
						    fu->case_type, fu->organisation,
						    origin, "after_external",
						    hh_arena_printf(c->a, "%s/%s",
								    c->system,
								    c->external_id),
						    &f);
			json_decref(origin);
		}
		if (!citizen_id) {
			/* no helhed citizen has the CPR number: the report
			 * stands, nothing is kept for later (the rule is
			 * tried again on the case's next version) */
			out->reason = "unknown-citizen";
			continue;
		}
		if (rc == HH_ERR_INVALID) {
			/* a citizen helhed knows no municipality for */
			out->reason = "no-municipality";
			continue;
		}
		if (rc == HH_ERR_NOT_FOUND) {
			/* declared when the case type existed (checked),
			 * since removed: the report stands */
			hh_log_bug("case system %s: follow-up %s is not a case "
				   "type", c->system, fu->case_type);
			out->reason = "unknown-case-type";
			continue;
		}
		if (rc != HH_OK)
			return rc;
		rc = tx->store->external_followup_put(tx, c->out->id, rule, f.id,
						      hh_now_us() / 1000000);
		/* recorded by another report of the same case since the
		 * read: start again from the top */
		if (rc == HH_ERR_CONFLICT)
			return HH_ERR_BUSY;
		if (rc != HH_OK)
			return rc;
		out->started = 1;
		out->case_id = f.id;
		out->org_id = f.org_id;
	}
	return HH_OK;
}

static enum hh_rc report_tx(struct hh_tx *tx, void *p)
{
	struct ext_ctx *c = p;
	struct hh_store *st = tx->store;
	struct hh_external_case old;
	/* a retried transaction starts again */
	c->res->followups = NULL;
	c->res->n_followups = 0;
	struct hh_cs_def def;
	const struct hh_cs_case_type *t = NULL;
	enum hh_rc rc = declared(tx, c, &def, &t);
	if (rc != HH_OK)
		return rc;
	rc = st->external_case_get(tx, c->a, c->who->org_id, c->system,
				   c->external_id, &old);
	if (rc != HH_OK && rc != HH_ERR_NOT_FOUND)
		return rc;
	int exists = rc == HH_OK;
	if (exists) {
		c->res->stored_version = old.version;
		if (c->in.version < old.version) {
			c->res->fault = HH_EXTERNAL_STALE;
			return HH_ERR_CONFLICT;
		}
		if (c->in.version == old.version) {
			const char *cpr = NULL;
			rc = hh_vault_open(c->v, c->a, old.cpr, &cpr);
			if (rc != HH_OK)
				return rc;
			if (!same_content(c, &old, cpr)) {
				c->res->fault = HH_EXTERNAL_DIFFERENT;
				return HH_ERR_CONFLICT;
			}
			c->res->outcome = HH_EXTERNAL_UNCHANGED;
			*c->out = old;
			c->out->cpr = cpr;
			return HH_OK;
		}
	}
	/* sealed with a key a finished rotation has retired? (see
	 * hh_vault_rotate): then write nothing */
	rc = hh_vault_keys_current(tx, c->a);
	if (rc != HH_OK)
		return rc;
	struct hh_external_case k = c->in;
	k.id = exists ? old.id : 0;
	k.received_at = hh_now_us() / 1000000;
	rc = st->external_case_put(tx, &k);
	/* a report of the same case committed by another instance since
	 * the read (the insert's key, the update's version): read again */
	if (rc == HH_ERR_CONFLICT)
		return HH_ERR_BUSY;
	if (rc != HH_OK)
		return rc;
	struct hh_event e = { .actor = c->who->label, .org_id = c->who->org_id,
			      .entity = "external_case", .entity_id = k.id,
			      .action = exists ? "update" : "report",
			      .before = exists ? event_json(c->a, &old) : NULL,
			      .after = event_json(c->a, &k) };
	rc = st->event_append(tx, &e);
	if (rc != HH_OK)
		return rc;
	c->res->outcome = exists ? HH_EXTERNAL_UPDATED : HH_EXTERNAL_CREATED;
	*c->out = k;
	c->out->cpr = c->cpr;
	if (exists) {
		c->out->org_code = old.org_code;
		c->out->org_name = old.org_name;
	} else {
		struct hh_org o;
		rc = st->org_get(tx, c->a, c->who->org_id, &o);
		if (rc != HH_OK)
			return rc;
		c->out->org_code = o.code;
		c->out->org_name = o.name;
	}
	/* x-fix: the rules run on every created or updated version; each
	 * starts once per external case (external_followups), so a case that
	 * leaves the state and comes back starts nothing again, and facts
	 * corrected in a later version in the state still start it */
	if (t->n_followups)
		rc = followups(tx, c, t, c->out->org_code, c->out->org_name,
			       c->who->label);
	return rc;
}

static enum hh_rc bad(struct hh_external_result *res, const char *field,
		      const char *detail)
{
	res->fault = HH_EXTERNAL_BAD_FIELD;
	res->field = field;
	res->detail = detail;
	return HH_ERR_INVALID;
}

/* An optional ISO 8601 time into *out (0 when absent). */
static int time_ok(const char *s, int64_t *out)
{
	*out = 0;
	return !s || (hh_iso8601_parse(s, out) && *out > 0);
}

static int text_ok(const char *s, size_t min, size_t max)
{
	if (!s || !hh_utf8_valid(s, strlen(s)))
		return 0;
	size_t n = hh_utf8_len(s);
	if (n < min || n > max)
		return 0;
	if (min) { /* not only blanks */
		const char *q = s;
		while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
			q++;
		return *q != 0;
	}
	return 1;
}

/* Checks in and fills c->in (everything but the CPR's seal). */
static enum hh_rc check(struct ext_ctx *c, const struct hh_external_report *in)
{
	struct hh_external_result *res = c->res;
	if (!hh_external_system_ok(c->system))
		return bad(res, "system",
			   "a system name is 1 to 40 of a-z, 0-9 and -");
	if (!hh_external_id_ok(c->external_id))
		return bad(res, "id",
			   "a case id is 1 to 100 of A-Z, a-z, 0-9, . _ : -");
	char norm[12];
	enum hh_cpr_check k = in->cpr ? hh_cpr_check(in->cpr, norm, NULL, 0)
				      : HH_CPR_BAD_FORM;
	if (k != HH_CPR_OK && k != HH_CPR_OK_NO_MOD11) {
		res->fault = HH_EXTERNAL_BAD_CPR;
		res->field = "cpr";
		return HH_ERR_INVALID;
	}
	c->cpr = hh_arena_strdup(c->a, norm);
	if (!text_ok(in->title, 1, 200))
		return bad(res, "title", "1 to 200 characters, not only blanks");
	if (!text_ok(in->state, 1, 100))
		return bad(res, "state", "1 to 100 characters, not only blanks");
	if (!text_ok(in->text, 0, 2000))
		return bad(res, "text", "at most 2000 characters");
	if (in->version < 1)
		return bad(res, "version", "the sender's version: 1 or more");
	struct hh_external_case *n = &c->in;
	if (!time_ok(in->deadline, &n->deadline_at))
		return bad(res, "deadline", "an ISO 8601 date or date-time");
	if (!time_ok(in->created_at, &n->sent_created_at))
		return bad(res, "created_at", "an ISO 8601 date-time");
	if (!time_ok(in->updated_at, &n->sent_updated_at))
		return bad(res, "updated_at", "an ISO 8601 date-time");
	if (in->self_service_url && !hh_external_url_ok(in->self_service_url))
		return bad(res, "self_service_url",
			   "an https:// address of at most 500 characters, "
			   "without spaces, quotes or '@'");
	n->org_id = c->who->org_id;
	n->system = c->system;
	n->external_id = c->external_id;
	n->title = in->title;
	n->state = in->state;
	n->citizen_text = in->text;
	n->self_service_url = in->self_service_url;
	n->version = in->version;
	if (!in->case_type || !hh_external_system_ok(in->case_type))
		return bad(res, "case_type", "a case type's key: 1 to 40 of "
					     "a-z, 0-9 and -");
	n->case_type = in->case_type;
	if (in->facts && !json_is_object(in->facts))
		return bad(res, "facts", "an object of the case type's facts");
	/* kept as canonical JSON: a repeat with the keys in another order
	 * is the same content; {} is no facts */
	c->facts = json_object_size(in->facts) ? in->facts : NULL;
	if (c->facts) {
		char *f = json_dumps(c->facts, JSON_COMPACT | JSON_SORT_KEYS);
		n->facts = hh_arena_strdup(c->a, f);
		free(f);
	}
	return HH_OK;
}

enum hh_rc hh_external_report(struct hh_store *st, struct hh_arena *a,
			      const struct hh_actor *who, const char *system,
			      const char *external_id,
			      const struct hh_external_report *in,
			      struct hh_external_case *out,
			      struct hh_external_result *res)
{
	struct hh_external_case scratch;
	memset(res, 0, sizeof(*res));
	if (!out)
		out = &scratch;
	memset(out, 0, sizeof(*out));
	/* the role first (FORBIDDEN: a token of another kind), then the
	 * organisation: the case is always the caller's own */
	struct hh_owner own = { who->org_id, 0 };
	enum hh_rc rc = hh_access(who, HH_RES_EXTERNAL_CASE, HH_ACT_CREATE, NULL);
	if (rc == HH_OK)
		rc = hh_access(who, HH_RES_EXTERNAL_CASE, HH_ACT_CREATE, &own);
	if (rc == HH_OK)
		rc = hh_access(who, HH_RES_EXTERNAL_CASE, HH_ACT_CHANGE, &own);
	if (rc == HH_OK && !who->org_id)
		rc = HH_ERR_FORBIDDEN;
	if (rc != HH_OK)
		return rc;
	struct ext_ctx c = { .a = a, .who = who, .system = system,
			     .external_id = external_id, .out = out,
			     .res = res, .v = hh_vault_of(st) };
	rc = check(&c, in);
	if (rc != HH_OK)
		return rc;
	if (!c.v) {
		/* never a CPR number in clear: no key file, no reports */
		hh_log_bug("external case reported to a store without a vault");
		return HH_ERR_INTERNAL;
	}
	unsigned char *h = hh_arena_alloc(a, 32);
	rc = hh_vault_cpr_hash(c.v, 0, c.cpr, h);
	if (rc == HH_OK)
		rc = hh_vault_seal(c.v, a, c.cpr, &c.in.cpr);
	if (rc != HH_OK)
		return rc;
	c.in.cpr_hash = h;
	c.in.cpr_key = hh_vault_seal_id(c.v);
	c.in.cpr_hash_key = hh_vault_hash_id(c.v);
	rc = hh_store_run_tx(st, 1, report_tx, &c);
	if (rc == HH_OK && res->outcome != HH_EXTERNAL_UNCHANGED)
		hh_store_changed(st, &(struct hh_change){
					     "external_case", out->id, who->org_id,
					     res->outcome == HH_EXTERNAL_CREATED
						     ? "report"
						     : "update" });
	/* x-fix: each case a follow-up started, as a helhed case's decision
	 * tells its follow-ups (the webhook worker, the index, caches) */
	for (int i = 0; rc == HH_OK && i < res->n_followups; i++)
		if (res->followups[i].started)
			hh_store_changed(st, &(struct hh_change){
						     "case", res->followups[i].case_id,
						     res->followups[i].org_id,
						     "followup" });
	return rc;
}

/* ---- reading ------------------------------------------------------------ */

struct get_ctx {
	struct hh_arena *a;
	const struct hh_actor *who;
	const char *system, *external_id;
	struct hh_external_case *out;
};

static enum hh_rc get_tx(struct hh_tx *tx, void *p)
{
	struct get_ctx *c = p;
	return tx->store->external_case_get(tx, c->a, c->who->org_id, c->system,
					    c->external_id, c->out);
}

enum hh_rc hh_external_get(struct hh_store *st, struct hh_arena *a,
			   const struct hh_actor *who, const char *system,
			   const char *external_id,
			   struct hh_external_case *out)
{
	memset(out, 0, sizeof(*out));
	enum hh_rc rc = hh_access(who, HH_RES_EXTERNAL_CASE, HH_ACT_READ, NULL);
	if (rc == HH_OK && !who->org_id)
		rc = HH_ERR_FORBIDDEN;
	if (rc != HH_OK)
		return rc;
	if (!hh_external_system_ok(system) || !hh_external_id_ok(external_id))
		return HH_ERR_NOT_FOUND;
	const struct hh_vault *v = hh_vault_of(st);
	if (!v)
		return HH_ERR_INTERNAL;
	/* only the caller's own organisation's cases are looked up: another's
	 * is NOT_FOUND, never a hint that it exists */
	struct get_ctx c = { a, who, system, external_id, out };
	rc = hh_store_run_tx(st, 0, get_tx, &c);
	struct hh_owner own = { out->org_id, 0 };
	if (rc == HH_OK &&
	    hh_access(who, HH_RES_EXTERNAL_CASE, HH_ACT_READ, &own) != HH_OK)
		rc = HH_ERR_NOT_FOUND;
	if (rc == HH_OK)
		rc = hh_vault_open(v, a, out->cpr, &out->cpr);
	out->cpr_hash = NULL;
	return rc;
}

struct list_ctx {
	struct hh_arena *a;
	struct hh_external_case *rows;
	size_t n, cap;
};

/* Every row of every key's list: cut only after all keys were read and
 * sorted, since while a rotation re-hashes, the newest rows may be under
 * the key read last. */
static enum hh_rc list_row(void *p, const struct hh_external_case *k)
{
	struct list_ctx *c = p;
	c->rows = hh_arena_grow(c->a, c->rows, c->n, &c->cap, sizeof(*c->rows),
				HH_OVERVIEW_EXTERNAL);
	struct hh_external_case *r = &c->rows[c->n++];
	*r = *k;
	r->cpr = NULL;
	r->cpr_hash = NULL;
	return HH_OK;
}

/* The sender's updated_at, else when helhed received the case: the
 * store's order (store.h external_case_list). */
static int64_t newest_at(const struct hh_external_case *k)
{
	return k->sent_updated_at ? k->sent_updated_at : k->received_at;
}

static int newest_first(const void *x, const void *y)
{
	const struct hh_external_case *p = x, *q = y;
	int64_t tp = newest_at(p), tq = newest_at(q);
	if (tp != tq)
		return tp > tq ? -1 : 1;
	return p->id > q->id ? -1 : p->id < q->id;
}

/* Sorts the n rows newest first, keeps each case once and at most limit
 * of them at the front; returns how many. */
static size_t newest_cut(struct hh_external_case *rows, size_t n,
			 size_t limit)
{
	if (n > 1)
		qsort(rows, n, sizeof(*rows), newest_first);
	/* a row read under two keys (hashed under both) is one case: the
	 * same id, the same time, so next to itself after the sort */
	size_t k = 0;
	for (size_t i = 0; i < n && k < limit; i++)
		if (!k || rows[i].id != rows[k - 1].id)
			rows[k++] = rows[i];
	return k;
}

enum hh_rc hh_external_of_citizen(struct hh_tx *tx, struct hh_arena *a,
				  int64_t citizen_id,
				  struct hh_external_case **out, int *n)
{
	*out = NULL;
	*n = 0;
	const struct hh_vault *v = hh_vault_of(tx->store);
	struct hh_citizen z;
	enum hh_rc rc = tx->store->citizen_get(tx, a, citizen_id, &z);
	if (rc == HH_ERR_NOT_FOUND || (rc == HH_OK && (!z.cpr || !v)))
		return HH_OK;
	if (rc != HH_OK)
		return rc;
	struct list_ctx c = { a, NULL, 0, 0 };
	/* under every hash key the vault knows: while a rotation re-hashes,
	 * a row may still carry the old one */
	unsigned char hash[32];
	for (int i = 0; rc == HH_OK && i < HH_VAULT_KEYS_MAX &&
			hh_vault_cpr_hash(v, i, z.cpr, hash) == HH_OK;
	     i++)
		rc = tx->store->external_case_list(tx, a, hash,
						   HH_OVERVIEW_EXTERNAL,
						   list_row, &c);
	if (rc != HH_OK)
		return rc;
	*out = c.rows;
	*n = (int)newest_cut(c.rows, c.n, HH_OVERVIEW_EXTERNAL);
	return HH_OK;
}
