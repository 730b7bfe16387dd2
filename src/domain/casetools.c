/* casetools.c - journal numbers, assignment, uploaded files, stages and
 * follow-up origins (casetools.h). */
#include "domain/casetools.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dktime.h"
#include "core/util.h"
#include "domain/access.h"
#include "domain/cases.h"
#include "domain/catalogue.h"

/* ---- journal numbers ----------------------------------------------------- */

enum hh_rc hh_case_journal_assign(struct hh_tx *tx, struct hh_arena *a,
				  const struct hh_case_type_def *def,
				  struct hh_case *k)
{
	int64_t y;
	int m, d;
	int64_t local = hh_dk_local(k->created_at ? k->created_at
						  : hh_now_us() / 1000000);
	hh_civil_from_days(local >= 0 ? local / 86400 : -((-local + 86399) / 86400),
			   &y, &m, &d);
	int64_t serial;
	enum hh_rc rc = tx->store->journal_serial_next(tx, k->org_id, (int)y,
						       &serial);
	if (rc != HH_OK)
		return rc;
	const char *facet = def && def->root
				    ? json_string_value(json_object_get(def->root, "facet"))
				    : NULL;
	const char *kle = def && def->kle && *def->kle ? def->kle : "00.00.00";
	k->journal_no = hh_arena_printf(a, "%s-%s-%lld-%02d", kle,
					facet && *facet ? facet
							: HH_JOURNAL_FACET_DEFAULT,
					(long long)serial, (int)(y % 100));
	return HH_OK;
}

int hh_journal_like(const char *s)
{
	if (!s || *s < '0' || *s > '9')
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || *s == '.' || *s == '-' ||
		      (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')))
			return 0;
	return 1;
}

/* ---- assignment ---------------------------------------------------------- */

const char *hh_assign_fault_text(enum hh_assign_fault f)
{
	switch (f) {
	case HH_ASSIGN_CLOSED:
		return "Sagen er afsluttet, så den kan ikke tildeles.";
	case HH_ASSIGN_USER:
		return "Sagen kan kun tildeles en sagsbehandler i sagens "
		       "organisation.";
	case HH_ASSIGN_TEAM:
		return "Sagen kan kun tildeles et af organisationens teams.";
	default:
		return "Sagen kunne ikke tildeles.";
	}
}

struct assign_ctx {
	const struct hh_actor *who;
	struct hh_arena *a;
	int64_t id, user_id, expected;
	const char *team;
	struct hh_case *out;
	enum hh_assign_fault fault;
};

/* The assignment part of a case's state, for the event's before/after. */
static char *assign_json(const struct hh_case *c, const char *team_name)
{
	json_t *j = json_pack("{s:s, s:I}", "state", c->state, "version",
			      (json_int_t)c->version);
	json_object_set_new(j, "assigned_to", c->assigned_to
						      ? json_integer(c->assigned_to)
						      : json_null());
	json_object_set_new(j, "assigned_team",
			    c->assigned_team ? json_string(c->assigned_team)
					     : json_null());
	if (team_name)
		json_object_set_new(j, "team_name", json_string(team_name));
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	return s;
}

static enum hh_rc assign_tx(struct hh_tx *tx, void *p)
{
	struct assign_ctx *x = p;
	struct hh_store *st = tx->store;
	struct hh_case *k = x->out;
	x->fault = HH_ASSIGN_FINE;
	enum hh_rc rc = st->case_get(tx, x->a, x->id, k);
	if (rc != HH_OK)
		return rc;
	struct hh_owner o = { k->org_id, k->citizen_id };
	rc = hh_access(x->who, HH_RES_CASE, HH_ACT_CHANGE, &o);
	if (rc != HH_OK)
		return rc;
	if (x->expected && x->expected != k->version)
		return HH_ERR_CONFLICT;
	if (k->closed_at) {
		x->fault = HH_ASSIGN_CLOSED;
		return HH_ERR_INVALID;
	}
	if (x->user_id && x->user_id != x->who->user_id) {
		struct hh_user u;
		rc = st->user_get(tx, x->a, x->user_id, &u);
		if (rc == HH_ERR_NOT_FOUND ||
		    (rc == HH_OK && (u.org_id != k->org_id || u.disabled ||
				     !(u.roles & HH_ROLE_CASEWORKER)))) {
			x->fault = HH_ASSIGN_USER;
			return HH_ERR_INVALID;
		}
		if (rc != HH_OK)
			return rc;
	}
	const char *team_name = NULL;
	if (x->team) {
		rc = st->inquiry_code_get(tx, x->a, k->org_id, "team", x->team,
					  &team_name);
		if (rc == HH_ERR_NOT_FOUND) {
			x->fault = HH_ASSIGN_TEAM;
			return HH_ERR_INVALID;
		}
		if (rc != HH_OK)
			return rc;
	}
	char *before = assign_json(k, k->assigned_team ? k->assigned_team_name : NULL);
	int64_t expected = k->version;
	if (x->team) {
		k->assigned_team = x->team;
		k->assigned_to = x->user_id; /* a team: no person unless named */
	} else {
		/* a person taking a team's case keeps the team on it; no one
		 * at all removes both */
		k->assigned_to = x->user_id;
		if (!x->user_id)
			k->assigned_team = NULL;
	}
	rc = st->case_update(tx, k, expected);
	if (rc != HH_OK) {
		free(before);
		return rc;
	}
	if (x->team || !k->assigned_team)
		k->assigned_team_name = team_name;
	struct hh_event e = { .actor = x->who->label, .org_id = k->org_id,
			      .entity = "case", .entity_id = k->id,
			      .action = "assign", .before = before,
			      .after = assign_json(k, k->assigned_team
							      ? k->assigned_team_name
							      : NULL) };
	rc = st->event_append(tx, &e);
	free(before);
	free((char *)e.after);
	if (rc == HH_OK)
		rc = st->case_get(tx, x->a, k->id, k);
	return rc;
}

enum hh_rc hh_case_assign_to(struct hh_store *st, struct hh_arena *a,
			     const struct hh_actor *who, int64_t id,
			     int64_t user_id, const char *team,
			     int64_t expected_version, struct hh_case *out,
			     enum hh_assign_fault *fault)
{
	struct assign_ctx x = { .who = who, .a = a, .id = id, .user_id = user_id,
				.expected = expected_version,
				.team = team && *team ? team : NULL, .out = out };
	enum hh_rc rc = hh_store_run_tx(st, 1, assign_tx, &x);
	if (fault)
		*fault = x.fault;
	if (rc == HH_OK)
		hh_store_changed(st, &(struct hh_change){ "case", out->id,
							   out->org_id, "assign" });
	return rc;
}

#define ASSIGNEES_MAX 500

struct assignees {
	const struct hh_actor *who;
	struct hh_arena *a;
	struct hh_assignee *v;
	int n;
};

static enum hh_rc user_row(void *p, const struct hh_user *u)
{
	struct assignees *x = p;
	if (u->org_id != x->who->org_id || u->disabled ||
	    !(u->roles & HH_ROLE_CASEWORKER) || x->n == ASSIGNEES_MAX)
		return HH_OK;
	x->v[x->n++] = (struct hh_assignee){ u->id, NULL, u->name };
	return HH_OK;
}

static enum hh_rc team_row(void *p, const struct hh_inquiry_code *c)
{
	struct assignees *x = p;
	if (x->n < ASSIGNEES_MAX)
		x->v[x->n++] = (struct hh_assignee){ 0, c->code, c->label };
	return HH_OK;
}

static enum hh_rc assignees_tx(struct hh_tx *tx, void *p)
{
	struct assignees *x = p;
	x->n = 0;
	enum hh_rc rc = tx->store->user_list(tx, x->a, user_row, x);
	if (rc == HH_OK)
		rc = tx->store->inquiry_code_list(tx, x->a, x->who->org_id, "team",
						  team_row, x);
	return rc;
}

static int by_name(const void *l, const void *r)
{
	const struct hh_assignee *a = l, *b = r;
	if (!a->team != !b->team)
		return a->team ? 1 : -1; /* people first */
	return a->team ? strcmp(a->team, b->team) : strcmp(a->name, b->name);
}

enum hh_rc hh_case_assignees(struct hh_store *st, struct hh_arena *a,
			     const struct hh_actor *who,
			     enum hh_rc (*cb)(void *ctx,
					      const struct hh_assignee *p),
			     void *ctx)
{
	if (!who->org_id || !hh_case_works(who))
		return HH_ERR_FORBIDDEN;
	struct assignees x = { who, a, hh_arena_alloc(a, ASSIGNEES_MAX *
							 sizeof(struct hh_assignee)),
			       0 };
	enum hh_rc rc = hh_store_run_tx(st, 0, assignees_tx, &x);
	if (rc != HH_OK)
		return rc;
	qsort(x.v, (size_t)x.n, sizeof(*x.v), by_name);
	for (int i = 0; rc == HH_OK && i < x.n; i++)
		rc = cb(ctx, &x.v[i]);
	return rc;
}

/* ---- uploaded files ------------------------------------------------------ */

int hh_case_file_type_allowed(const char *t)
{
	/* what the forms take (domain/fields.c): PDF documents and photos */
	static const char *const ok[] = { "application/pdf", "image/jpeg",
					  "image/png", NULL };
	for (int i = 0; t && ok[i]; i++)
		if (!strcmp(t, ok[i]))
			return 1;
	return 0;
}

struct file_ctx {
	const struct hh_actor *who;
	struct hh_arena *a;
	int64_t case_id, file_id;
	struct hh_case_file *out;
};

static enum hh_rc file_tx(struct hh_tx *tx, void *p)
{
	struct file_ctx *x = p;
	struct hh_case c;
	enum hh_rc rc = tx->store->case_get(tx, x->a, x->case_id, &c);
	if (rc != HH_OK)
		return rc;
	struct hh_owner o = { c.org_id, c.citizen_id };
	if (hh_access(x->who, HH_RES_CASE, HH_ACT_READ, &o) != HH_OK ||
	    hh_access_covers(x->who, HH_SCOPE_OWN_CITIZEN, &o))
		return HH_ERR_NOT_FOUND; /* staff only, and only their own */
	rc = tx->store->case_file_get(tx, x->a, x->file_id, x->out);
	if (rc != HH_OK)
		return rc;
	if (x->out->case_id != c.id)
		return HH_ERR_NOT_FOUND;
	if (!c.citizen_id)
		return HH_OK; /* no citizen: no personal data to account for */
	struct hh_audit e = {
		.actor = x->who->label, .citizen_id = c.citizen_id,
		.what = hh_arena_printf(x->a, "fil «%s» på sag %s", x->out->name,
					c.journal_no ? c.journal_no
						     : hh_arena_printf(x->a, "%lld",
								       (long long)c.id)),
		.why = "Sagsbehandling"
	};
	return tx->store->audit_append(tx, &e);
}

enum hh_rc hh_case_file_open(struct hh_store *st, struct hh_arena *a,
			     const struct hh_actor *who, int64_t case_id,
			     int64_t file_id, struct hh_case_file *out)
{
	if (hh_access(who, HH_RES_CASE, HH_ACT_READ, NULL) != HH_OK)
		return HH_ERR_NOT_FOUND;
	if (case_id <= 0 || file_id <= 0)
		return HH_ERR_NOT_FOUND;
	struct file_ctx x = { who, a, case_id, file_id, out };
	return hh_store_run_tx(st, 1, file_tx, &x);
}

/* ---- stages -------------------------------------------------------------- */

/* Final states that end a case without deciding its matter. */
static const char *const undecided[] = { "withdrawn", "cancelled", "duplicate",
					 NULL };

enum hh_stage hh_case_stage(const struct hh_case_type_def *def,
			    const struct hh_ct_state *s)
{
	if (!s)
		return HH_STAGE_NONE;
	if (s->final) {
		for (int i = 0; undecided[i]; i++)
			if (!strcmp(s->key, undecided[i]))
				return HH_STAGE_CLOSED;
		return HH_STAGE_DECIDED;
	}
	if (s->paused)
		return HH_STAGE_AWAITING;
	if (def && def->initial && !strcmp(def->initial, s->key))
		return HH_STAGE_NEW;
	return HH_STAGE_WORKING;
}

static const char *const stage_codes[HH_STAGE__COUNT] = {
	"", "ny", "behandling", "afventer", "afgjort", "lukket"
};
static const char *const stage_labels[HH_STAGE__COUNT] = {
	"", "Ny", "Under behandling", "Afventer borgeren", "Afgjort", "Lukket"
};

const char *hh_stage_code(enum hh_stage s)
{
	return s > 0 && s < HH_STAGE__COUNT ? stage_codes[s] : "";
}

const char *hh_stage_label(enum hh_stage s)
{
	return s > 0 && s < HH_STAGE__COUNT ? stage_labels[s] : "";
}

enum hh_stage hh_stage_parse(const char *code)
{
	for (int i = 1; code && i < HH_STAGE__COUNT; i++)
		if (!strcmp(code, stage_codes[i]))
			return (enum hh_stage)i;
	return HH_STAGE_NONE;
}

/* ---- the follow-up's origin ---------------------------------------------- */

json_t *hh_case_origin_json(const struct hh_case *parent,
			    const char *state_label, int64_t at,
			    json_t *parent_data, const char *const *fields)
{
	char when[21];
	hh_time_iso(at, when);
	json_t *values = json_object();
	for (int i = 0; fields && fields[i]; i++) {
		json_t *v = json_object_get(parent_data, fields[i]);
		if (v)
			json_object_set(values, fields[i], v);
	}
	json_t *j = json_pack("{s:I, s:s?, s:s?, s:s?, s:s?, s:s?, s:s, s:o}",
			      "case_id", (json_int_t)parent->id, "journal_no",
			      parent->journal_no, "case_type_name",
			      parent->case_type_name, "organisation_name",
			      parent->org_name, "decision", parent->state,
			      "decision_label", state_label, "decided_at", when,
			      "values", values);
	return j;
}
