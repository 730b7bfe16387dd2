/* cases.c - the life of a case. */
#include "domain/cases.h"
#include "domain/access.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "domain/casetools.h"
#include "domain/agreements.h"
#include "domain/messages.h"
#include "domain/parties.h"
#include "domain/plans.h"

int hh_case_overdue(const struct hh_case *c, int64_t now)
{
	return !c->closed_at && !c->paused_since && c->deadline_at < now;
}

enum hh_rc hh_case_type_load(struct hh_tx *tx, struct hh_arena *a,
			     const char *code, int64_t id,
			     struct hh_case_type *row,
			     struct hh_case_type_def *def)
{
	enum hh_rc rc = code ? tx->store->case_type_get_by_code(tx, a, code, row)
			     : tx->store->case_type_get(tx, a, id, row);
	if (rc != HH_OK)
		return rc;
	char err[256];
	if (hh_case_type_def_parse(row->definition, def, err, sizeof(err)) != HH_OK) {
		hh_log_bug("case type %s in the store is broken: %s", row->code, err);
		return HH_ERR_INTERNAL;
	}
	return HH_OK;
}

json_t *hh_case_json(const struct hh_case *c, const struct hh_case_type_def *def,
		     int with_data)
{
	char created[21], updated[21], deadline[21], closed[21];
	hh_time_iso(c->created_at, created);
	hh_time_iso(c->updated_at, updated);
	hh_time_iso(c->deadline_at, deadline);
	hh_time_iso(c->closed_at, closed);
	const struct hh_ct_state *s = def ? hh_ct_state(def, c->state) : NULL;
	const char *label = s ? s->label : c->state_label ? c->state_label : c->state;
	json_t *j = json_pack(
		"{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:b, s:b, s:b}",
		"id", (json_int_t)c->id, "case_type", c->case_type_code,
		"case_type_name", c->case_type_name, "organisation", c->org_code,
		"organisation_name", c->org_name, "state", c->state, "state_label",
		label, "version", (json_int_t)c->version,
		"created_at", created, "updated_at", updated, "deadline_at",
		deadline, "closed", c->closed_at != 0, "paused",
		c->paused_since != 0, "overdue",
		hh_case_overdue(c, hh_now_us() / 1000000));
	if (c->closed_at)
		json_object_set_new(j, "closed_at", json_string(closed));
	/* timed waits (issue 16): since when the case is in its state and,
	 * with its type, when a wait it stands in ends */
	char since[21];
	hh_time_iso(c->state_since, since);
	json_object_set_new(j, "state_since", c->state_since ? json_string(since)
							       : json_null());
	if (def) {
		const char *wl = NULL;
		int64_t ends = hh_ct_wait_ends(def, c, hh_now_us() / 1000000, &wl);
		char at[21];
		hh_time_iso(ends, at);
		json_object_set_new(j, "wait_ends_at", ends ? json_string(at) : json_null());
		json_object_set_new(j, "wait_label",
				    ends && wl ? json_string(wl) : json_null());
	}
	json_object_set_new(j, "plan_id", c->plan_id ? json_integer(c->plan_id)
						     : json_null());
	json_object_set_new(j, "step", c->step ? json_string(c->step) : json_null());
	json_object_set_new(j, "parent_case_id",
			    c->parent_case_id ? json_integer(c->parent_case_id)
					      : json_null());
	json_object_set_new(j, "assigned_to",
			    c->assigned_name ? json_string(c->assigned_name)
					     : json_null());
	/* casework tools: the journal number and the team */
	json_object_set_new(j, "journal_no",
			    c->journal_no ? json_string(c->journal_no) : json_null());
	json_object_set_new(j, "assigned_team",
			    c->assigned_team ? json_string(c->assigned_team)
					     : json_null());
	json_object_set_new(j, "assigned_team_name",
			    c->assigned_team_name ? json_string(c->assigned_team_name)
						  : json_null());
	if (with_data) {
		json_error_t e;
		json_t *data = json_loads(c->data ? c->data : "{}", 0, &e);
		if (!data)
			data = json_object();
		/* amounts are integer øre in data; people read "6.500,00 kr." */
		if (def)
			json_object_set_new(j, "data_display",
					    hh_form_values_display(&def->form_def, data));
		json_object_set_new(j, "data", data);
		if (c->citizen_name)
			json_object_set_new(j, "citizen_name",
					    json_string(c->citizen_name));
	}
	return j;
}

static char *case_state_json(const struct hh_case *c, const char *extra_key,
			     const char *extra)
{
	json_t *j = json_pack("{s:s, s:I, s:I}", "state", c->state, "version",
			      (json_int_t)c->version, "deadline_at",
			      (json_int_t)c->deadline_at);
	if (c->assigned_to)
		json_object_set_new(j, "assigned_to", json_integer(c->assigned_to));
	if (extra_key && extra)
		json_object_set_new(j, extra_key, json_string(extra));
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	return s;
}

static enum hh_rc event(struct hh_tx *tx, const char *actor, int64_t org,
			int64_t case_id, const char *action, char *before,
			char *after)
{
	struct hh_event e = { .actor = actor, .org_id = org, .entity = "case",
			      .entity_id = case_id, .action = action,
			      .before = before, .after = after };
	enum hh_rc rc = tx->store->event_append(tx, &e);
	free(before);
	free(after);
	return rc;
}

/* ---- submission ------------------------------------------------------ */

/* A new public id (Open311's service_request_id): 96 random bits as 24
 * hex digits, in a. Random rather than counted, so that nobody can walk
 * the cases by trying the next number. */
static const char *public_id_new(struct hh_arena *a)
{
	unsigned char raw[12];
	char *hex = hh_arena_alloc(a, 2 * sizeof(raw) + 1);
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(hex, 2 * sizeof(raw) + 1, raw, sizeof(raw));
	return hex;
}

/* What identifies a submission for its idempotency key: a hash of the
 * case type, plan, step, the values as sent (keys sorted, so their order
 * does not matter) and what came beside them but for the time it was
 * made (extra's "at": a retry a second later is the same request), as
 * hex into out. */
static void request_hash(const struct hh_submission *sub,
			 char out[HH_REQUEST_HASH_SIZE])
{
	crypto_generichash_state h;
	unsigned char bin[32];
	char num[32];
	crypto_generichash_init(&h, NULL, 0, sizeof(bin));
	const char *parts[] = { sub->case_type, sub->step, sub->extra_key };
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		const char *p = parts[i] ? parts[i] : "";
		crypto_generichash_update(&h, (const unsigned char *)p, strlen(p) + 1);
	}
	snprintf(num, sizeof(num), "%lld", (long long)sub->plan_id);
	crypto_generichash_update(&h, (const unsigned char *)num, strlen(num) + 1);
	json_t *beside = NULL;
	if (json_is_object(sub->extra) && json_object_get(sub->extra, "at")) {
		beside = json_copy(sub->extra); /* shallow: drop one key */
		if (beside)
			json_object_del(beside, "at");
	}
	json_t *const docs[] = { sub->values, beside ? beside : sub->extra };
	for (size_t i = 0; i < 2; i++) {
		char *j = docs[i] ? json_dumps(docs[i], JSON_COMPACT | JSON_SORT_KEYS |
							 JSON_ENCODE_ANY)
				  : NULL;
		crypto_generichash_update(&h, (const unsigned char *)(j ? j : ""),
					  (j ? strlen(j) : 0) + 1);
		free(j);
	}
	json_decref(beside);
	crypto_generichash_final(&h, bin, sizeof(bin));
	sodium_bin2hex(out, HH_REQUEST_HASH_SIZE, bin, sizeof(bin));
}

struct submit_ctx {
	const struct hh_submission *sub;
	struct hh_arena *a;
	struct hh_form_result *res;
	struct hh_case *out;
	int replayed;
	const char *why;
	enum hh_submit_fault fault;
	json_t *values; /* validated (borrowed from res) */
	int validated;
	char hash[HH_REQUEST_HASH_SIZE]; /* of the request (idempotency) */
	int party_letters; /* p-letters: invitation letters were queued */
};

/* The organisation a case goes to: a code, or the citizen's municipality. */
static enum hh_rc resolve_org(struct hh_tx *tx, struct hh_arena *a,
			      const char *org, int64_t municipality_id,
			      int64_t *out)
{
	if (!strcmp(org, "municipality")) {
		if (!municipality_id)
			return HH_ERR_INVALID;
		*out = municipality_id;
		return HH_OK;
	}
	struct hh_org o;
	enum hh_rc rc = tx->store->org_get_by_code(tx, a, org, &o);
	if (rc == HH_OK)
		*out = o.id;
	return rc == HH_ERR_NOT_FOUND ? HH_ERR_INTERNAL : rc;
}

/* Does the form ask for CPR numbers (the citizen's or another's)? */
static int asks_for_cpr(const struct hh_form *form)
{
	for (int i = 0; i < form->n_fields; i++)
		if (form->fields[i].type == HH_FIELD_CPR)
			return 1;
	return 0;
}

static enum hh_rc submit_tx(struct hh_tx *tx, void *p)
{
	struct submit_ctx *c = p;
	const struct hh_submission *sub = c->sub;
	struct hh_store *st = tx->store;
	enum hh_rc rc;
	c->replayed = 0;
	if (sub->idem_key) {
		int64_t existing;
		char first[HH_REQUEST_HASH_SIZE];
		rc = st->idempotency_get(tx, sub->idem_scope, sub->idem_key, &existing,
					 first);
		if (rc == HH_OK && *first && strcmp(first, c->hash)) {
			/* the key was used for another request: replaying
			 * that one would tell this client it sent something
			 * it did not */
			c->why = "Idempotency-Key";
			c->fault = HH_SUBMIT_KEY_REUSED;
			return HH_ERR_CONFLICT;
		}
		if (rc == HH_OK) {
			c->replayed = 1;
			return st->case_get(tx, c->a, existing, c->out);
		}
		if (rc != HH_ERR_NOT_FOUND)
			return rc;
	}
	struct hh_case_type row;
	struct hh_case_type_def def;
	rc = hh_case_type_load(tx, c->a, sub->case_type, 0, &row, &def);
	if (rc == HH_ERR_NOT_FOUND) {
		c->why = "case_type";
		c->fault = HH_SUBMIT_CASE_TYPE;
		return HH_ERR_INVALID;
	}
	if (rc != HH_OK)
		return rc;
	if (sub->public_only && !row.public) {
		c->why = "case_type";
		c->fault = HH_SUBMIT_CASE_TYPE;
		rc = HH_ERR_INVALID;
		goto done;
	}
	if (sub->citizen_id && sub->loa < HH_LOA_SUBSTANTIAL &&
	    asks_for_cpr(&def.form_def)) {
		/* CPR numbers are given only by a citizen whose identity
		 * was checked at level substantial or high (NSIS) */
		c->why = "loa";
		c->fault = HH_SUBMIT_ASSURANCE;
		rc = HH_ERR_FORBIDDEN;
		goto done;
	}
	if (!c->validated) {
		hh_form_validate(c->a, &def.form_def, sub->values, c->res);
		c->validated = 1;
	}
	if (c->res->n_errors) {
		rc = HH_ERR_INVALID;
		goto done;
	}
	/* parties (issue 16): the other parties the form names must be
	 * other people in the register, each once; their rows are written
	 * below, in this transaction */
	struct hh_party_plan parties = { 0 };
	if (def.n_parties) {
		rc = hh_parties_check_tx(tx, c->a, &def, sub->citizen_id,
					 c->res->values, c->res, &parties);
		if (rc == HH_OK && c->res->n_errors)
			rc = HH_ERR_INVALID;
		if (rc != HH_OK)
			goto done;
	}
	/* r-agree: an agreement holds no CPR number (agreements.h) */
	if (hh_agreement_check(c->a, &def, c->res->values, c->res)) {
		rc = HH_ERR_INVALID;
		goto done;
	}
	if (sub->plan_id) {
		struct hh_plan plan;
		rc = st->plan_get(tx, c->a, sub->plan_id, &plan);
		if (rc == HH_ERR_NOT_FOUND || (rc == HH_OK && plan.citizen_id != sub->citizen_id)) {
			c->why = "plan_id";
			c->fault = HH_SUBMIT_PLAN;
			rc = HH_ERR_INVALID;
		}
		if (rc != HH_OK)
			goto done;
	}
	struct hh_case *k = c->out;
	memset(k, 0, sizeof(*k));
	rc = resolve_org(tx, c->a, def.organisation, sub->municipality_id, &k->org_id);
	if (rc == HH_ERR_INVALID) {
		c->why = "municipality";
		c->fault = HH_SUBMIT_MUNICIPALITY;
	}
	if (rc != HH_OK)
		goto done;
	k->case_type_id = row.id;
	k->citizen_id = sub->citizen_id;
	k->plan_id = sub->plan_id;
	k->step = sub->step;
	k->state = def.initial;
	json_t *stored = c->res->values;
	if (sub->extra_key && sub->extra) {
		stored = json_copy(c->res->values);
		json_object_set(stored, sub->extra_key, sub->extra);
	}
	char *data = json_dumps(stored, JSON_COMPACT | JSON_SORT_KEYS);
	if (stored != c->res->values)
		json_decref(stored);
	k->data = hh_arena_strdup(c->a, data);
	free(data);
	k->created_at = hh_now_us() / 1000000;
	k->deadline_at = k->created_at + def.deadline_s;
	if (parties.confirming) {
		/* waits for the parties, its deadline standing still */
		k->state = def.confirm_state;
		k->paused_since = k->created_at;
	}
	k->public_id = public_id_new(c->a);
	rc = hh_case_journal_assign(tx, c->a, &def, k);
	if (rc == HH_OK)
		rc = st->case_insert(tx, k);
	if (rc == HH_OK && parties.n)
		rc = hh_parties_invite_tx(tx, c->a, &parties, k);
	/* p-agree: an agreement's first version, signed by the applicant
	 * by sending it */
	if (rc == HH_OK && def.agreement.present)
		rc = hh_agreement_start_tx(tx, c->a, &def, k, c->res->values);
	for (int i = 0; rc == HH_OK && i < c->res->n_files; i++) {
		const struct hh_form_file *f = &c->res->files[i];
		rc = st->case_file_insert(tx, k->id, f->field, f->name, f->content_type,
					  f->data, f->size, NULL);
	}
	if (rc == HH_OK)
		rc = event(tx, sub->actor, k->org_id, k->id, "submit", NULL,
			   case_state_json(k, "case_type", sub->case_type));
	/* p-letters: the invited parties' letters, after the event */
	if (rc == HH_OK && parties.confirming)
		rc = hh_parties_letters_tx(tx, c->a, &parties, k);
	c->party_letters = rc == HH_OK && parties.confirming;
	if (rc == HH_OK && sub->idem_key)
		rc = st->idempotency_put(tx, sub->idem_scope, sub->idem_key, k->id,
					 c->hash);
	if (rc == HH_OK)
		rc = st->case_get(tx, c->a, k->id, c->out); /* names filled in */
done:
	hh_case_type_def_clear(&def);
	return rc;
}

static enum hh_rc submit(struct hh_store *st, struct hh_arena *a,
			 const struct hh_submission *sub,
			 struct hh_form_result *res, struct hh_case *out,
			 int *replayed, const char **why,
			 enum hh_submit_fault *fault)
{
	memset(res, 0, sizeof(*res));
	struct submit_ctx c = { .sub = sub, .a = a, .res = res, .out = out };
	if (sub->idem_key)
		request_hash(sub, c.hash);
	enum hh_rc rc = hh_store_run_tx(st, 1, submit_tx, &c);
	if (rc == HH_OK && !c.replayed)
		hh_store_changed(st, &(struct hh_change){ "case", out->id,
							   out->org_id, "submit" });
	/* the postman takes the parties' letters at once (p-letters) */
	if (rc == HH_OK && !c.replayed && c.party_letters)
		hh_messages_queued(st, 0);
	if (!res->values)
		res->values = json_object();
	*replayed = c.replayed;
	*why = c.why;
	*fault = c.fault;
	return rc;
}

enum hh_rc hh_case_submit(struct hh_store *st, struct hh_arena *a,
			  const struct hh_submission *sub,
			  struct hh_form_result *res, struct hh_case *out,
			  int *replayed, const char **why,
			  enum hh_submit_fault *fault)
{
	enum hh_submit_fault ignored;
	return submit(st, a, sub, res, out, replayed, why,
		      fault ? fault : &ignored);
}

/* ---- staff reads and changes ----------------------------------------- */

static int may_see(const struct hh_actor *who, const struct hh_case *c)
{
	struct hh_owner o = { c->org_id, c->citizen_id };
	return hh_access(who, HH_RES_CASE, HH_ACT_READ, &o) == HH_OK;
}

struct get_ctx {
	const struct hh_actor *who;
	struct hh_arena *a;
	int64_t id;
	const char *why;
	struct hh_case *out;
};

static enum hh_rc get_staff_tx(struct hh_tx *tx, void *p)
{
	struct get_ctx *c = p;
	enum hh_rc rc = tx->store->case_get(tx, c->a, c->id, c->out);
	if (rc != HH_OK)
		return rc;
	if (!may_see(c->who, c->out))
		return HH_ERR_NOT_FOUND;
	if (c->out->citizen_id) {
		/* reading a citizen's case is reading personal data */
		struct hh_audit e = { .actor = c->who->label,
				      .citizen_id = c->out->citizen_id,
				      .what = hh_arena_printf(c->a, "sag %lld",
							      (long long)c->id),
				      .why = c->why ? c->why : "sagsbehandling" };
		rc = tx->store->audit_append(tx, &e);
	}
	return rc;
}

enum hh_rc hh_case_get_staff(struct hh_store *st, struct hh_arena *a,
			     const struct hh_actor *who, int64_t id,
			     const char *why, struct hh_case *out)
{
	struct get_ctx c = { who, a, id, why, out };
	return hh_store_run_tx(st, 1, get_staff_tx, &c);
}

struct change_ctx {
	const struct hh_actor *who;
	struct hh_arena *a;
	int64_t id, expected, user_id;
	const char *to, *note, *question, *answer;
	const struct hh_form_file *files; /* answer: checked, n_files */
	int n_files;
	int kind; /* 0 transition, 1 assign, 2 note, 3 request, 4 answer */
	const char *action; /* the event's action, for hh_store_changed */
	struct hh_case *out;
	int followups;
	int with_letter; /* the caller sends the move's letter in this
			    transaction (domain/letters.c) */
};

/* The follow-up's origin, for origin_json: the values the rule handed
 * over are the values of the fields its condition read (casetools.h).
 * The parent may be another authority's case, so this copy is all the
 * follow-up ever shows of it. */
static json_t *origin_json(const struct hh_case *parent,
			   const struct hh_case_type_def *def,
			   const struct hh_ct_followup *fu, json_t *data)
{
	const char *fields[HH_FORM_MAX_TERMS + 1];
	int n = 0;
	for (int i = 0; i < fu->when.n_terms && n < HH_FORM_MAX_TERMS; i++)
		fields[n++] = fu->when.terms[i].field;
	fields[n] = NULL;
	const struct hh_ct_state *s = hh_ct_state(def, parent->state);
	return hh_case_origin_json(parent, s ? s->label : parent->state,
				   hh_now_us() / 1000000, data, fields);
}

enum hh_rc hh_case_followup_start(struct hh_tx *tx, struct hh_arena *a,
				  const char *actor, int64_t citizen_id,
				  int64_t plan_id, int64_t parent_case_id,
				  const char *case_type, const char *org,
				  json_t *origin, const char *after_key,
				  const char *after_value, struct hh_case *out)
{
	struct hh_store *st = tx->store;
	struct hh_case_type row;
	struct hh_case_type_def d;
	enum hh_rc rc = hh_case_type_load(tx, a, case_type, 0, &row, &d);
	if (rc != HH_OK)
		return rc;
	struct hh_citizen cit = { 0 };
	if (citizen_id)
		rc = st->citizen_get(tx, a, citizen_id, &cit);
	struct hh_case f = { .case_type_id = row.id, .citizen_id = citizen_id,
			     .plan_id = plan_id, .parent_case_id = parent_case_id,
			     .state = d.initial, .data = "{}" };
	if (rc == HH_OK)
		rc = resolve_org(tx, a, org ? org : d.organisation,
				 cit.municipality_id, &f.org_id);
	if (rc != HH_OK) /* INVALID: no municipality known */
		goto done;
	f.created_at = hh_now_us() / 1000000;
	f.deadline_at = f.created_at + d.deadline_s;
	f.public_id = public_id_new(a);
	rc = hh_case_journal_assign(tx, a, &d, &f);
	if (rc != HH_OK)
		goto done;
	json_t *fd = json_object();
	json_object_set(fd, HH_CASE_ORIGIN_KEY, origin);
	char *text = json_dumps(fd, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(fd);
	if (!text) {
		rc = HH_ERR_INTERNAL;
		goto done;
	}
	f.data = hh_arena_strdup(a, text);
	free(text);
	rc = st->case_insert(tx, &f);
	if (rc == HH_OK)
		rc = event(tx, actor, f.org_id, f.id, "followup", NULL,
			   case_state_json(&f, after_key, after_value));
	if (rc == HH_OK && out)
		*out = f;
done:
	hh_case_type_def_clear(&d);
	return rc;
}

/* Creates the follow-up cases the case type declares for case c reaching
 * state, where c's own data meets the rule's condition. The rule reads
 * the case, not the plan it may have come from, so a case sent through
 * the API, Open311 or the form at its own address starts the same
 * follow-ups as one sent from a plan. */
static enum hh_rc followups(struct hh_tx *tx, struct change_ctx *x,
			    const struct hh_case *c,
			    const struct hh_case_type_def *def, const char *state)
{
	json_t *data = NULL;
	enum hh_rc rc = HH_OK;
	for (int i = 0; i < def->n_followups; i++) {
		const struct hh_ct_followup *fu = &def->followups[i];
		if (strcmp(fu->state, state))
			continue;
		if (!data) {
			json_error_t e;
			data = json_loads(c->data ? c->data : "{}", 0, &e);
			if (!data)
				data = json_object();
		}
		if (!hh_form_cond_holds(&fu->when, data))
			continue;
		json_t *origin = origin_json(c, def, fu, data);
		rc = hh_case_followup_start(
			tx, x->a, x->who->label, c->citizen_id, c->plan_id, c->id,
			fu->case_type, fu->organisation, origin, "after_case",
			hh_arena_printf(x->a, "%lld", (long long)c->id), NULL);
		json_decref(origin);
		if (rc == HH_ERR_NOT_FOUND) {
			/* content names a case type it did not import: the
			 * decision stands, the follow-up is our bug */
			hh_log_bug("case type %s: follow-up %s is not a case type",
				   c->case_type_code, fu->case_type);
			rc = HH_OK;
			continue;
		}
		if (rc == HH_ERR_INVALID) {
			/* no municipality known: nothing to follow up there */
			rc = HH_OK;
			continue;
		}
		if (rc != HH_OK)
			break;
		x->followups++;
	}
	json_decref(data);
	return rc;
}

/* The state a paused case goes back to: where it was when it last entered
 * its paused state (by a request or a transition, from the events), else
 * the initial state. */
struct resume_ctx {
	const char *paused; /* the state the case is paused in */
	const char *state;
	struct hh_arena *a;
};

static enum hh_rc resume_row(void *p, const struct hh_event *e)
{
	struct resume_ctx *r = p;
	if (!e->before || !e->after)
		return HH_OK;
	json_error_t err;
	json_t *b = json_loads(e->before, 0, &err);
	json_t *a = json_loads(e->after, 0, &err);
	const char *from = json_string_value(json_object_get(b, "state"));
	const char *to = json_string_value(json_object_get(a, "state"));
	if (from && to && !strcmp(to, r->paused) && strcmp(from, r->paused))
		r->state = hh_arena_strdup(r->a, from); /* events come oldest first */
	json_decref(b);
	json_decref(a);
	return HH_OK;
}

static enum hh_rc resume_state(struct hh_tx *tx, struct hh_arena *a,
			       const struct hh_case *c,
			       const struct hh_case_type_def *def,
			       const char **out)
{
	struct resume_ctx r = { c->state, NULL, a };
	enum hh_rc rc = tx->store->event_list(tx, a, "case", c->id, resume_row, &r);
	if (rc != HH_OK)
		return rc;
	const struct hh_ct_state *s = r.state ? hh_ct_state(def, r.state) : NULL;
	*out = s && !s->paused && !s->final ? s->key : def->initial;
	return HH_OK;
}

/* Applies a move to `to` on k (pause/resume/close bookkeeping). */
static void move(struct hh_case *k, const struct hh_case_type_def *def,
		 const char *to, int64_t now)
{
	const struct hh_ct_state *from = hh_ct_state(def, k->state);
	const struct hh_ct_state *dest = hh_ct_state(def, to);
	if (from && from->paused && k->paused_since && !dest->paused) {
		k->deadline_at += now - k->paused_since; /* the clock stood still */
		k->paused_since = 0;
	}
	if (dest->paused && !k->paused_since)
		k->paused_since = now;
	k->closed_at = dest->final ? now : 0;
	if (strcmp(k->state, dest->key))
		k->state_since = now;
	k->state = dest->key;
}

void hh_case_move(struct hh_case *k, const struct hh_case_type_def *def,
		  const char *to, int64_t now)
{
	move(k, def, to, now);
}

/* after (a state as case_state_json makes it, taken over) with the
 * names of an answer's files as "files": the history says they came. */
static char *with_files(char *after, const struct hh_form_file *files, int n)
{
	if (!n || !after)
		return after;
	json_error_t e;
	json_t *j = json_loads(after, 0, &e);
	free(after);
	if (!j)
		return NULL;
	json_t *names = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(names, json_string(files[i].name));
	json_object_set_new(j, "files", names);
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	return s;
}

static enum hh_rc change_tx(struct hh_tx *tx, void *p)
{
	struct change_ctx *x = p;
	struct hh_store *st = tx->store;
	struct hh_case *k = x->out;
	x->followups = 0;
	enum hh_rc rc = st->case_get(tx, x->a, x->id, k);
	if (rc != HH_OK)
		return rc;
	/* who may do this to this case: the access table (NOT_FOUND when the
	 * case is not theirs to see); which roles may make a transition is
	 * the case type's own rule, checked below */
	struct hh_owner o = { k->org_id, k->citizen_id };
	rc = hh_access(x->who, HH_RES_CASE,
		       x->kind == 0 ? HH_ACT_READ : HH_ACT_CHANGE, &o);
	if (rc != HH_OK)
		return rc;
	if (x->kind == 4 && !hh_access_covers(x->who, HH_SCOPE_OWN_CITIZEN, &o))
		return HH_ERR_FORBIDDEN; /* answers are the citizen's own words */
	x->action = "note";
	if (x->kind == 2) /* a note: an event only */
		return event(tx, x->who->label, k->org_id, k->id, "note", NULL,
			     case_state_json(k, "note", x->note));
	if (x->expected && x->expected != k->version)
		return HH_ERR_CONFLICT;
	struct hh_case_type row;
	struct hh_case_type_def def;
	rc = hh_case_type_load(tx, x->a, NULL, k->case_type_id, &row, &def);
	if (rc != HH_OK)
		return rc;
	int64_t now = hh_now_us() / 1000000, expected = k->version;
	char *before = case_state_json(k, NULL, NULL);
	const char *action;
	const char *extra_key = NULL, *extra = NULL;
	const struct hh_ct_state *cur = hh_ct_state(&def, k->state);
	switch (x->kind) {
	case 0: {
		const struct hh_ct_transition *t = hh_ct_transition(&def, k->state, x->to);
		if (!t || !(t->roles & x->who->roles)) {
			rc = t ? HH_ERR_FORBIDDEN : HH_ERR_INVALID;
			goto fail;
		}
		/* a timed wait: not before it ends, not after its last day
		 * (hh_case_wait tells the doors which) */
		int64_t opens, closes;
		hh_ct_window(t, k->created_at, k->state_since, &opens, &closes);
		if ((opens && now < opens) || (closes && now > closes)) {
			rc = HH_ERR_INVALID;
			goto fail;
		}
		if (!x->with_letter && k->citizen_id &&
		    hh_ct_letter_kind(&def, x->to)) {
			/* a decision the citizen gets in writing: only with
			 * its letter (hh_letter_send); hh_letter_required
			 * tells the doors why */
			rc = HH_ERR_INVALID;
			goto fail;
		}
		move(k, &def, x->to, now);
		action = "transition";
		extra_key = "note";
		extra = x->note;
		break;
	}
	case 1:
		if (k->closed_at) {
			rc = HH_ERR_INVALID;
			goto fail;
		}
		k->assigned_to = x->user_id;
		action = "assign";
		break;
	case 3: {
		const struct hh_ct_state *paused = hh_ct_paused(&def);
		if (!paused || !cur || cur->final || cur->paused) {
			rc = HH_ERR_INVALID;
			goto fail;
		}
		move(k, &def, paused->key, now);
		action = "request";
		extra_key = "question";
		extra = x->question;
		break;
	}
	default: { /* 4: the citizen's answer */
		/* only the state requests wait in: another paused state (a
		 * reflection period) is not the citizen's to end */
		const char *back;
		if (!cur || cur != hh_ct_paused(&def)) {
			rc = HH_ERR_INVALID;
			goto fail;
		}
		rc = resume_state(tx, x->a, k, &def, &back);
		if (rc != HH_OK)
			goto fail;
		move(k, &def, back, now);
		action = "answer";
		extra_key = "answer";
		extra = x->answer;
		break;
	}
	}
	x->action = action;
	rc = st->case_update(tx, k, expected);
	/* the answer's files: in its transaction, all or nothing */
	for (int i = 0; rc == HH_OK && x->kind == 4 && i < x->n_files; i++)
		rc = st->case_file_insert(tx, k->id, HH_ANSWER_FILE_FIELD,
					  x->files[i].name, x->files[i].content_type,
					  x->files[i].data, x->files[i].size, NULL);
	if (rc == HH_OK)
		rc = event(tx, x->kind == 4 ? hh_arena_printf(x->a, "citizen:%lld",
							      (long long)x->who->citizen_id)
					    : x->who->label,
			   k->org_id, k->id, action, before,
			   with_files(case_state_json(k, extra_key, extra),
				      x->files, x->n_files));
	else
		free(before);
	before = NULL;
	if (rc == HH_OK && x->kind == 0)
		rc = followups(tx, x, k, &def, k->state);
	if (rc == HH_OK)
		rc = st->case_get(tx, x->a, k->id, k);
fail:
	free(before);
	hh_case_type_def_clear(&def);
	return rc;
}

static enum hh_rc change(struct hh_store *st, struct change_ctx *x)
{
	enum hh_rc rc = hh_store_run_tx(st, 1, change_tx, x);
	if (rc == HH_OK)
		hh_store_changed(st, &(struct hh_change){ "case", x->out->id,
							   x->out->org_id,
							   x->action });
	return rc;
}

enum hh_rc hh_case_transition(struct hh_store *st, struct hh_arena *a,
			      const struct hh_actor *who, int64_t id,
			      const char *to, int64_t expected_version,
			      const char *note, struct hh_case *out,
			      int *n_followups)
{
	struct change_ctx x = { .who = who, .a = a, .id = id, .to = to,
				.expected = expected_version, .note = note,
				.kind = 0, .out = out };
	enum hh_rc rc = change(st, &x);
	if (n_followups)
		*n_followups = x.followups;
	return rc;
}

enum hh_rc hh_case_transition_tx(struct hh_tx *tx, struct hh_arena *a,
				 const struct hh_actor *who, int64_t id,
				 const char *to, int64_t expected_version,
				 const char *note, struct hh_case *out,
				 int *n_followups)
{
	struct change_ctx x = { .who = who, .a = a, .id = id, .to = to,
				.expected = expected_version, .note = note,
				.kind = 0, .out = out, .with_letter = 1 };
	enum hh_rc rc = change_tx(tx, &x);
	if (n_followups)
		*n_followups = x.followups;
	return rc;
}

struct wait_ctx {
	const struct hh_actor *who;
	struct hh_arena *a;
	int64_t id;
	const char *to;
	int64_t opens, closed;
	const char *label;
};

static enum hh_rc wait_tx(struct hh_tx *tx, void *p)
{
	struct wait_ctx *x = p;
	struct hh_case k;
	enum hh_rc rc = tx->store->case_get(tx, x->a, x->id, &k);
	if (rc != HH_OK)
		return rc;
	struct hh_owner o = { k.org_id, k.citizen_id };
	if ((rc = hh_access(x->who, HH_RES_CASE, HH_ACT_READ, &o)) != HH_OK)
		return rc;
	struct hh_case_type row;
	struct hh_case_type_def def;
	if ((rc = hh_case_type_load(tx, x->a, NULL, k.case_type_id, &row, &def)) != HH_OK)
		return rc;
	const struct hh_ct_transition *t = hh_ct_transition(&def, k.state, x->to);
	int64_t now = hh_now_us() / 1000000, opens = 0, closes = 0;
	if (t)
		hh_ct_window(t, k.created_at, k.state_since, &opens, &closes);
	if (opens && now < opens) {
		x->opens = opens;
		x->label = t->wait_label;
	} else if (closes && now > closes) {
		x->closed = closes;
	}
	if (x->label) /* def's strings go with it */
		x->label = hh_arena_strdup(x->a, x->label);
	hh_case_type_def_clear(&def);
	return HH_OK;
}

enum hh_rc hh_case_wait(struct hh_store *st, struct hh_arena *a,
			const struct hh_actor *who, int64_t id, const char *to,
			int64_t *opens, int64_t *closed, const char **label)
{
	struct wait_ctx x = { .who = who, .a = a, .id = id, .to = to };
	enum hh_rc rc = to ? hh_store_run_tx(st, 0, wait_tx, &x) : HH_OK;
	*opens = x.opens;
	*closed = x.closed;
	*label = x.label;
	return rc;
}

enum hh_rc hh_case_request_tx(struct hh_tx *tx, struct hh_arena *a,
			      const struct hh_actor *who, int64_t id,
			      const char *question, int64_t expected_version,
			      struct hh_case *out)
{
	struct change_ctx x = { .who = who, .a = a, .id = id, .question = question,
				.expected = expected_version, .kind = 3, .out = out,
				.with_letter = 1 };
	return change_tx(tx, &x);
}

enum hh_rc hh_case_assign(struct hh_store *st, struct hh_arena *a,
			  const struct hh_actor *who, int64_t id,
			  int64_t user_id, int64_t expected_version,
			  struct hh_case *out)
{
	/* the rules of assignment (who may be assigned, teams) are in
	 * casetools.c */
	return hh_case_assign_to(st, a, who, id, user_id, NULL, expected_version,
				 out, NULL);
}

enum hh_rc hh_case_note(struct hh_store *st, struct hh_arena *a,
			const struct hh_actor *who, int64_t id, const char *text)
{
	struct hh_case out;
	struct change_ctx x = { .who = who, .a = a, .id = id, .note = text,
				.kind = 2, .out = &out };
	return change(st, &x);
}

enum hh_rc hh_case_request(struct hh_store *st, struct hh_arena *a,
			   const struct hh_actor *who, int64_t id,
			   const char *question, int64_t expected_version,
			   struct hh_case *out)
{
	struct change_ctx x = { .who = who, .a = a, .id = id, .question = question,
				.expected = expected_version, .kind = 3, .out = out };
	return change(st, &x);
}

enum hh_rc hh_case_answer(struct hh_store *st, struct hh_arena *a,
			  const struct hh_actor *who, int64_t id,
			  const char *answer, struct hh_case *out)
{
	/* only a citizen answers; anyone else learns nothing of the id */
	if (hh_access_scope(who, HH_RES_CASE, HH_ACT_CHANGE) != HH_SCOPE_OWN_CITIZEN)
		return HH_ERR_FORBIDDEN;
	struct change_ctx x = { .who = who, .a = a, .id = id, .answer = answer,
				.kind = 4, .out = out };
	return change(st, &x);
}

const char *hh_case_answer_files_check(struct hh_arena *a, json_t *files,
				       struct hh_form_file *out, int *n)
{
	*n = 0;
	if (!files || !json_array_size(files))
		return NULL;
	if (!json_is_array(files))
		return "Filerne kunne ikke læses. Prøv at vedhæfte dem igen.";
	if (json_array_size(files) > HH_ANSWER_MAX_FILES)
		return hh_arena_printf(a, "Du kan højst vedhæfte %d filer til et svar.",
				       HH_ANSWER_MAX_FILES);
	/* the field a form gets when it says nothing but "file": the same
	 * defaults, the same checks (domain/forms.c, fields.c) */
	static const char def[] = "{\"fields\": [{\"name\": \"" HH_ANSWER_FILE_FIELD
				  "\", \"label\": \"Bilag\", \"type\": \"file\"}]}";
	json_error_t e;
	json_t *form_json = json_loads(def, 0, &e);
	struct hh_form *form = hh_arena_calloc(a, sizeof(*form));
	char err[200];
	const char *fault = NULL;
	if (!form_json || hh_form_parse(form_json, form, err, sizeof(err)) != HH_OK) {
		hh_log_bug("answer files: the file field does not parse: %s", err);
		fault = "Filerne kunne ikke modtages lige nu. Prøv igen om lidt.";
		goto fail;
	}
	size_t i;
	json_t *v;
	json_array_foreach(files, i, v)
	{
		struct hh_field_check c = { .a = a, .field = &form->fields[0], .input = v };
		hh_field_ops[HH_FIELD_FILE].validate(&c);
		json_decref(c.value);
		if (c.error) {
			const char *name = json_string_value(json_object_get(v, "name"));
			fault = name && *name && hh_utf8_valid(name, strlen(name)) &&
						strlen(name) <= 200
					? hh_arena_printf(a, "%s: %s", name, c.error)
					: c.error;
			*n = 0;
			goto fail;
		}
		out[(*n)++] = c.file;
	}
fail:
	json_decref(form_json);
	return fault;
}

enum hh_rc hh_case_answer_files(struct hh_store *st, struct hh_arena *a,
				const struct hh_actor *who, int64_t id,
				const char *answer, json_t *files,
				struct hh_case *out, const char **file_error)
{
	if (file_error)
		*file_error = NULL;
	if (hh_access_scope(who, HH_RES_CASE, HH_ACT_CHANGE) != HH_SCOPE_OWN_CITIZEN)
		return HH_ERR_FORBIDDEN;
	struct hh_form_file *checked =
		hh_arena_calloc(a, HH_ANSWER_MAX_FILES * sizeof(*checked));
	int n = 0;
	const char *fault = hh_case_answer_files_check(a, files, checked, &n);
	if (fault) {
		if (file_error)
			*file_error = fault;
		return HH_ERR_INVALID;
	}
	struct change_ctx x = { .who = who, .a = a, .id = id, .answer = answer,
				.files = checked, .n_files = n, .kind = 4, .out = out };
	return change(st, &x);
}

enum hh_rc hh_case_submit_as(struct hh_store *st, struct hh_arena *a,
			     const struct hh_actor *who,
			     struct hh_submission *sub,
			     struct hh_form_result *res, struct hh_case *out,
			     int *replayed, enum hh_submit_fault *fault)
{
	memset(res, 0, sizeof(*res));
	*replayed = 0;
	*fault = HH_SUBMIT_FINE;
	struct hh_owner mine = { 0, who->citizen_id };
	enum hh_rc rc = hh_access(who, HH_RES_CASE, HH_ACT_CREATE, NULL);
	if (rc == HH_OK)
		rc = hh_access(who, HH_RES_CASE, HH_ACT_CREATE, &mine);
	if (rc != HH_OK)
		return rc;
	sub->citizen_id = who->citizen_id;
	sub->municipality_id = who->municipality_id;
	sub->loa = who->loa;
	sub->actor = who->label;
	const char *why;
	return submit(st, a, sub, res, out, replayed, &why, fault);
}
