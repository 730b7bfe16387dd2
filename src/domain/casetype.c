/* casetype.c - parsing and querying case type definitions. */
#include "domain/casetype.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/dktime.h"
#include "core/log.h"
#include "domain/auth.h"
#include "domain/model.h"
#include "store/store.h"

int64_t hh_ct_wait_ends(const struct hh_case_type_def *ct,
			const struct hh_case *k, int64_t now, const char **label)
{
	int64_t best = 0;
	if (label)
		*label = NULL;
	if (!ct || !k || !k->state || k->closed_at)
		return 0;
	for (int i = 0; i < ct->n_transitions; i++) {
		const struct hh_ct_transition *t = &ct->transitions[i];
		if (!t->after || strcmp(t->from, k->state))
			continue;
		int64_t opens, closes;
		hh_ct_window(t, k->created_at, k->state_since, &opens, &closes);
		if (opens > now && (!best || opens < best)) {
			best = opens;
			if (label)
				*label = t->wait_label;
		}
	}
	return best;
}

int hh_iso_duration(const char *s, int64_t *seconds)
{
	if (!s || *s != 'P')
		return 0;
	s++;
	int in_time = 0, any = 0, any_time = 0, last = 0;
	int64_t total = 0;
	while (*s) {
		if (*s == 'T') {
			if (in_time)
				return 0;
			in_time = 1;
			s++;
			continue;
		}
		if (!isdigit((unsigned char)*s))
			return 0;
		int64_t n = 0;
		while (isdigit((unsigned char)*s)) {
			n = n * 10 + (*s - '0');
			if (n > 100000)
				return 0;
			s++;
		}
		int64_t unit;
		int rank; /* designators come once each, largest first */
		switch (*s) {
		case 'Y': unit = in_time ? -1 : 365 * 86400; rank = 1; break;
		case 'M': unit = in_time ? 60 : 30 * 86400; rank = in_time ? 6 : 2; break;
		case 'W': unit = in_time ? -1 : 7 * 86400; rank = 3; break;
		case 'D': unit = in_time ? -1 : 86400; rank = 4; break;
		case 'H': unit = in_time ? 3600 : -1; rank = 5; break;
		case 'S': unit = in_time ? 1 : -1; rank = 7; break;
		default: unit = -1; rank = 0;
		}
		if (unit < 0 || rank <= last)
			return 0;
		last = rank;
		total += n * unit;
		any = 1;
		any_time |= in_time;
		s++;
	}
	if (!any || (in_time && !any_time)) /* "P1DT": a T needs a time */
		return 0;
	*seconds = total;
	return 1;
}

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* A transition's timed wait: "after", "before" (periods), "since"
 * ("state", the default, or "received"), "wait_label". */
static enum hh_rc parse_wait(struct hh_ct_transition *t, json_t *v, size_t n,
			     char *err, size_t errsz)
{
	t->after = str(v, "after");
	t->before = str(v, "before");
	t->wait_label = str(v, "wait_label");
	const char *since = str(v, "since");
	/* "before" must end after "after" whatever the month: checked from
	 * dates where months differ most (a 31st, a short February, a leap
	 * day, the first of a 31-day month) */
	static const int refs[][3] = { { 2027, 1, 31 }, { 2027, 2, 28 },
				       { 2027, 7, 1 }, { 2028, 2, 29 } };
	for (size_t k = 0; k < sizeof(refs) / sizeof(refs[0]); k++) {
		int64_t ref = hh_days_from_civil(refs[k][0], refs[k][1], refs[k][2]) * 86400;
		int64_t open = ref, close = 0;
		if ((json_object_get(v, "after") &&
		     (!t->after || !hh_dk_add_period(ref, t->after, &open))) ||
		    (json_object_get(v, "before") &&
		     (!t->before || !hh_dk_add_period(ref, t->before, &close)))) {
			snprintf(err, errsz,
				 "transition %zu: after and before must be ISO "
				 "8601 periods such as P3M or P14D", n);
			return HH_ERR_INVALID;
		}
		if (t->before && close <= open) {
			snprintf(err, errsz,
				 "transition %zu: before must end after after, "
				 "in every month", n);
			return HH_ERR_INVALID;
		}
	}
	if (json_object_get(v, "since") &&
	    (!since || (strcmp(since, "state") && strcmp(since, "received")))) {
		snprintf(err, errsz, "transition %zu: since must be state or received", n);
		return HH_ERR_INVALID;
	}
	if (json_object_get(v, "wait_label") &&
	    (!t->wait_label || !*t->wait_label || strlen(t->wait_label) > 100)) {
		snprintf(err, errsz, "transition %zu: wait_label must be 1 to 100 characters", n);
		return HH_ERR_INVALID;
	}
	t->since_received = since && !strcmp(since, "received");
	return HH_OK;
}

void hh_ct_window(const struct hh_ct_transition *t, int64_t created_at,
		  int64_t state_since, int64_t *opens, int64_t *closes)
{
	int64_t from = t->since_received ? created_at : state_since;
	*opens = *closes = 0;
	if (t->after && hh_dk_add_period(from, t->after, opens) && *opens == 0)
		*opens = 1;
	if (t->before && hh_dk_add_period(from, t->before, closes) && *closes == 0)
		*closes = 1;
}

/* ---- parties (issue 16) ------------------------------------------------ */

static int party_role_known(const char *role)
{
	static const char *const roles[] = { "spouse", "parent", "child",
					     "representative" };
	for (size_t i = 0; role && i < sizeof(roles) / sizeof(roles[0]); i++)
		if (!strcmp(roles[i], role))
			return 1;
	return 0;
}

/* "parties", "confirm_state", "declined_state": after the form and the
 * states, which they name. */
static int shares(const struct hh_ct_party *p, const char *field)
{
	for (int i = 0; i < p->n_shared; i++)
		if (!strcmp(p->shared[i], field))
			return 1;
	return 0;
}

/* A text the party reads: 1 to 200 characters. */
static int wording_ok(json_t *t)
{
	const char *s = json_string_value(t);
	return s && *s && strlen(s) <= 200;
}

/* party i's "party_labels" and "party_options" (casetype.h), of its
 * shared fields only; option keys are the field's option values (a
 * choice) or "ja" and "nej" (a yesno). */
static enum hh_rc party_wording(struct hh_case_type_def *ct,
				struct hh_ct_party *p, json_t *v, size_t i,
				char *err, size_t errsz)
{
	json_t *labels = json_object_get(v, "party_labels");
	json_t *options = json_object_get(v, "party_options");
	if ((labels && !json_is_object(labels)) || (options && !json_is_object(options))) {
		snprintf(err, errsz, "party %zu: party_labels and party_options "
			 "must be objects by field name", i + 1);
		return HH_ERR_INVALID;
	}
	const char *key;
	json_t *t;
	json_object_foreach(labels, key, t)
	{
		if (!shares(p, key) || !wording_ok(t)) {
			snprintf(err, errsz, "party %zu: party_labels.%s must be a "
				 "shared field's label for the party (1 to 200 "
				 "characters)", i + 1, key);
			return HH_ERR_INVALID;
		}
	}
	json_object_foreach(options, key, t)
	{
		const struct hh_form_field *f = hh_form_field(&ct->form_def, key);
		if (!shares(p, key) || !f || !json_is_object(t) ||
		    (f->type != HH_FIELD_CHOICE && f->type != HH_FIELD_YESNO)) {
			snprintf(err, errsz, "party %zu: party_options.%s must name a "
				 "shared choice or yesno field", i + 1, key);
			return HH_ERR_INVALID;
		}
		const char *val;
		json_t *text;
		json_object_foreach(t, val, text)
		{
			int known = f->type == HH_FIELD_YESNO
					    ? !strcmp(val, "ja") || !strcmp(val, "nej")
					    : 0;
			for (int k = 0; k < f->n_options; k++)
				known |= !strcmp(f->options[k].value, val);
			if (!known || !wording_ok(text)) {
				snprintf(err, errsz, "party %zu: party_options.%s.%s "
					 "must be one of the field's values with a "
					 "text of 1 to 200 characters", i + 1, key, val);
				return HH_ERR_INVALID;
			}
		}
	}
	p->party_labels = labels;
	p->party_options = options;
	return HH_OK;
}

static enum hh_rc parse_parties(struct hh_case_type_def *ct, json_t *root,
				char *err, size_t errsz)
{
	json_t *list = json_object_get(root, "parties");
	json_t *cs = json_object_get(root, "confirm_state");
	json_t *ds = json_object_get(root, "declined_state");
	ct->confirm_state = json_string_value(cs);
	ct->declined_state = json_string_value(ds);
	if (list && (!json_is_array(list) || json_array_size(list) > HH_CT_PARTIES)) {
		snprintf(err, errsz, "parties must be a list of at most %d", HH_CT_PARTIES);
		return HH_ERR_INVALID;
	}
	static const char *const keys[] = { "role",	    "label",
					     "cpr_field",    "confirm",
					     "within",	    "shared",
					     "when",	    "party_labels",
					     "party_options" };
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v)
	{
		struct hh_ct_party *p = &ct->parties[ct->n_parties++];
		if (!json_is_object(v)) {
			snprintf(err, errsz, "party %zu must be an object", i + 1);
			return HH_ERR_INVALID;
		}
		const char *key;
		json_t *x;
		json_object_foreach(v, key, x)
		{
			size_t k = 0;
			while (k < sizeof(keys) / sizeof(keys[0]) && strcmp(keys[k], key))
				k++;
			if (k == sizeof(keys) / sizeof(keys[0])) {
				snprintf(err, errsz, "party %zu: unknown field '%s'", i + 1, key);
				return HH_ERR_INVALID;
			}
		}
		p->role = str(v, "role");
		p->label = str(v, "label");
		p->cpr_field = str(v, "cpr_field");
		p->within = str(v, "within");
		json_t *confirm = json_object_get(v, "confirm");
		if (!party_role_known(p->role)) {
			snprintf(err, errsz, "party %zu: role must be spouse, parent, "
				 "child or representative", i + 1);
			return HH_ERR_INVALID;
		}
		for (int k = 0; k < ct->n_parties - 1; k++)
			if (!strcmp(ct->parties[k].role, p->role) ||
			    (p->cpr_field && !strcmp(ct->parties[k].cpr_field, p->cpr_field))) {
				snprintf(err, errsz, "party %zu: role and cpr_field "
					 "must differ from party %d's", i + 1, k + 1);
				return HH_ERR_INVALID;
			}
		if (!p->label || !*p->label || strlen(p->label) > 100) {
			snprintf(err, errsz, "party %zu: label must be 1 to 100 characters",
				 i + 1);
			return HH_ERR_INVALID;
		}
		const struct hh_form_field *f =
			p->cpr_field ? hh_form_field(&ct->form_def, p->cpr_field) : NULL;
		if (!f || f->type != HH_FIELD_CPR) {
			snprintf(err, errsz, "party %zu: cpr_field must name a cpr "
				 "field of the form", i + 1);
			return HH_ERR_INVALID;
		}
		if (confirm && !json_is_boolean(confirm)) {
			snprintf(err, errsz, "party %zu: confirm must be true or false", i + 1);
			return HH_ERR_INVALID;
		}
		p->confirm = json_is_true(confirm);
		if (p->confirm && !strcmp(p->role, "child")) {
			snprintf(err, errsz, "party %zu: a child never confirms", i + 1);
			return HH_ERR_INVALID;
		}
		int64_t end;
		if (p->confirm != !!json_object_get(v, "within") ||
		    (p->within && !hh_dk_add_period(86400 * 20000, p->within, &end))) {
			snprintf(err, errsz, "party %zu: a party that confirms needs "
				 "within, an ISO 8601 period such as P30D (and one "
				 "that does not, none)", i + 1);
			return HH_ERR_INVALID;
		}
		json_t *shared = json_object_get(v, "shared");
		if (shared && !json_is_array(shared)) {
			snprintf(err, errsz, "party %zu: shared must list form fields", i + 1);
			return HH_ERR_INVALID;
		}
		size_t k;
		json_t *name;
		json_array_foreach(shared, k, name)
		{
			const char *n = json_string_value(name);
			if (!n || !hh_form_field(&ct->form_def, n) ||
			    p->n_shared >= HH_FORM_MAX_FIELDS) {
				snprintf(err, errsz, "party %zu: shared field %zu is not a "
					 "field of the form", i + 1, k + 1);
				return HH_ERR_INVALID;
			}
			if (hh_form_field(&ct->form_def, n)->type == HH_FIELD_CPR) {
				/* a CPR number is never shown to another party */
				snprintf(err, errsz, "party %zu: shared field %zu is a "
					 "cpr field, which no other party may see",
					 i + 1, k + 1);
				return HH_ERR_INVALID;
			}
			p->shared[p->n_shared++] = n;
		}
		if (party_wording(ct, p, v, i, err, errsz) != HH_OK)
			return HH_ERR_INVALID;
		char why[128];
		if (hh_form_cond_parse(json_object_get(v, "when"), &ct->form_def,
				       p->cpr_field, &p->when, why, sizeof(why)) != HH_OK) {
			snprintf(err, errsz, "party %zu: when: %s", i + 1, why);
			return HH_ERR_INVALID;
		}
	}
	if (!hh_ct_needs_confirm(ct)) {
		if (cs || ds) {
			snprintf(err, errsz, "confirm_state and declined_state need a "
				 "party that confirms");
			return HH_ERR_INVALID;
		}
		return HH_OK;
	}
	const struct hh_ct_state *c = hh_ct_state(ct, ct->confirm_state);
	const struct hh_ct_state *d = hh_ct_state(ct, ct->declined_state);
	if (!c || !c->paused || c->final || !strcmp(c->key, ct->initial)) {
		snprintf(err, errsz, "confirm_state must be a paused state other "
			 "than initial (a party confirms)");
		return HH_ERR_INVALID;
	}
	if (!d || !d->final) {
		snprintf(err, errsz, "declined_state must be a final state (a party "
			 "confirms)");
		return HH_ERR_INVALID;
	}
	json_t *fs = json_object_get(root, "confirmed_state");
	ct->confirmed_state = json_string_value(fs);
	const struct hh_ct_state *to = hh_ct_state(ct, ct->confirmed_state);
	if (fs && (!to || to->final || !strcmp(to->key, ct->confirm_state))) {
		snprintf(err, errsz, "confirmed_state must be a state that is not "
			 "final and not confirm_state");
		return HH_ERR_INVALID;
	}
	char why[128];
	if ((json_object_get(root, "confirmed_when") && !fs) ||
	    hh_form_cond_parse(json_object_get(root, "confirmed_when"), &ct->form_def,
			       NULL, &ct->confirmed_when, why, sizeof(why)) != HH_OK) {
		snprintf(err, errsz, "confirmed_when: %s",
			 fs ? why : "needs confirmed_state");
		return HH_ERR_INVALID;
	}
	return HH_OK;
}

const struct hh_ct_party *hh_ct_party(const struct hh_case_type_def *ct,
				      const char *role)
{
	for (int i = 0; ct && role && i < ct->n_parties; i++)
		if (!strcmp(ct->parties[i].role, role))
			return &ct->parties[i];
	return NULL;
}

int hh_ct_needs_confirm(const struct hh_case_type_def *ct)
{
	for (int i = 0; i < ct->n_parties; i++)
		if (ct->parties[i].confirm)
			return 1;
	return 0;
}

int hh_ct_party_sees(const struct hh_ct_party *p, const char *field)
{
	for (int i = 0; p && field && i < p->n_shared; i++)
		if (!strcmp(p->shared[i], field))
			return 1;
	return 0;
}

/* p-agree: "agreement" (casetype.h). Checked after the parties. */
static enum hh_rc parse_agreement(struct hh_case_type_def *ct, json_t *root,
				  char *err, size_t errsz)
{
	json_t *j = json_object_get(root, "agreement");
	struct hh_ct_agreement *g = &ct->agreement;
	if (!j)
		return HH_OK;
	if (!json_is_object(j)) {
		snprintf(err, errsz, "agreement must be an object");
		return HH_ERR_INVALID;
	}
	const char *key;
	json_t *x;
	json_object_foreach(j, key, x)
	{
		if (strcmp(key, "title") && strcmp(key, "signers") && strcmp(key, "fields")) {
			snprintf(err, errsz, "agreement: unknown key '%s'", key);
			return HH_ERR_INVALID;
		}
	}
	g->title = json_string_value(json_object_get(j, "title"));
	if (!g->title || !*g->title || strlen(g->title) > 200) {
		snprintf(err, errsz, "agreement: title must be 1 to 200 characters");
		return HH_ERR_INVALID;
	}
	json_t *signers = json_object_get(j, "signers");
	if (!json_is_array(signers) || json_array_size(signers) < 2 ||
	    json_array_size(signers) > HH_CT_PARTIES + 1) {
		snprintf(err, errsz, "agreement: signers must list \"applicant\" and "
			 "at least one party's role");
		return HH_ERR_INVALID;
	}
	int applicant = 0;
	size_t i;
	json_array_foreach(signers, i, x)
	{
		const char *role = json_string_value(x);
		for (int k = 0; role && k < g->n_signers; k++)
			if (!strcmp(g->signers[k], role))
				role = NULL;
		if (!role) {
			snprintf(err, errsz, "agreement: signer %zu must be a role, "
				 "named once", i + 1);
			return HH_ERR_INVALID;
		}
		g->signers[g->n_signers++] = role;
		if (!strcmp(role, "applicant")) {
			applicant = 1;
			continue;
		}
		const struct hh_ct_party *p = hh_ct_party(ct, role);
		if (!p || !p->confirm || p->when.n_terms) {
			snprintf(err, errsz, "agreement: signer '%s' must be a party "
				 "that confirms and is always named (no when)", role);
			return HH_ERR_INVALID;
		}
		const struct hh_form_field *f = hh_form_field(&ct->form_def, p->cpr_field);
		if (!f->required || f->when.n_terms) {
			snprintf(err, errsz, "agreement: signer '%s' needs its cpr_field "
				 "required and always asked", role);
			return HH_ERR_INVALID;
		}
	}
	if (!applicant) {
		snprintf(err, errsz, "agreement: signers must include \"applicant\"");
		return HH_ERR_INVALID;
	}
	/* confirming is signing: a party that confirms but does not sign
	 * would let the case go on without the agreement */
	for (int k = 0; k < ct->n_parties; k++)
		if (ct->parties[k].confirm && !hh_ct_agreement_signer(ct, ct->parties[k].role)) {
			snprintf(err, errsz, "agreement: party '%s' confirms, so it "
				 "must be a signer", ct->parties[k].role);
			return HH_ERR_INVALID;
		}
	json_t *fields = json_object_get(j, "fields");
	if (!json_is_array(fields) || !json_array_size(fields) ||
	    json_array_size(fields) > HH_FORM_MAX_FIELDS) {
		snprintf(err, errsz, "agreement: fields must list form fields");
		return HH_ERR_INVALID;
	}
	json_array_foreach(fields, i, x)
	{
		const char *n = json_string_value(x);
		const struct hh_form_field *f = n ? hh_form_field(&ct->form_def, n) : NULL;
		if (!f || hh_ct_agreement_field(ct, n)) {
			snprintf(err, errsz, "agreement: field %zu must be a field of "
				 "the form, named once", i + 1);
			return HH_ERR_INVALID;
		}
		if (f->type == HH_FIELD_CPR || f->type == HH_FIELD_ADDRESS ||
		    f->type == HH_FIELD_FILE) {
			/* every signer reads the agreement: never a CPR number
			 * or a (perhaps protected) address, and no file */
			snprintf(err, errsz, "agreement: field '%s' is a %s field, "
				 "which an agreement may not hold", n,
				 hh_field_ops[f->type].name);
			return HH_ERR_INVALID;
		}
		g->fields[g->n_fields++] = n;
	}
	/* a change is checked against the agreement's fields alone: a
	 * field's condition may name only fields of the agreement */
	for (int k = 0; k < g->n_fields; k++) {
		const struct hh_form_field *f = hh_form_field(&ct->form_def, g->fields[k]);
		for (int t = 0; t < f->when.n_terms; t++)
			if (!hh_ct_agreement_field(ct, f->when.terms[t].field)) {
				snprintf(err, errsz, "agreement: field '%s' depends on "
					 "'%s', which is not in the agreement",
					 f->name, f->when.terms[t].field);
				return HH_ERR_INVALID;
			}
	}
	if (!ct->n_parties || !ct->confirm_state) {
		snprintf(err, errsz, "agreement: needs parties that confirm");
		return HH_ERR_INVALID;
	}
	g->present = 1;
	return HH_OK;
}

int hh_ct_agreement_signer(const struct hh_case_type_def *ct, const char *role)
{
	for (int i = 0; role && i < ct->agreement.n_signers; i++)
		if (!strcmp(ct->agreement.signers[i], role))
			return 1;
	return 0;
}

int hh_ct_agreement_field(const struct hh_case_type_def *ct, const char *field)
{
	for (int i = 0; field && i < ct->agreement.n_fields; i++)
		if (!strcmp(ct->agreement.fields[i], field))
			return 1;
	return 0;
}

static enum hh_rc parse_followups(struct hh_case_type_def *ct, json_t *list,
				  char *err, size_t errsz)
{
	if (!list)
		return HH_OK;
	if (!json_is_array(list) || json_array_size(list) > HH_CT_FOLLOWUPS) {
		snprintf(err, errsz, "followups must be a list of at most %d",
			 HH_CT_FOLLOWUPS);
		return HH_ERR_INVALID;
	}
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v)
	{
		struct hh_ct_followup *f = &ct->followups[ct->n_followups++];
		f->state = str(v, "state");
		f->case_type = str(v, "case_type");
		f->organisation = str(v, "organisation");
		f->title = str(v, "title");
		if (!f->state || !hh_ct_state(ct, f->state)) {
			snprintf(err, errsz, "followup %zu: state must be a state", i + 1);
			return HH_ERR_INVALID;
		}
		if (!f->case_type || !*f->case_type) {
			snprintf(err, errsz, "followup %zu needs a case_type", i + 1);
			return HH_ERR_INVALID;
		}
		char why[128];
		if (hh_form_cond_parse(json_object_get(v, "when"), &ct->form_def, NULL,
				       &f->when, why, sizeof(why)) != HH_OK) {
			snprintf(err, errsz, "followup %zu: %s", i + 1, why);
			return HH_ERR_INVALID;
		}
	}
	return HH_OK;
}

int hh_letter_kind_known(const char *kind)
{
	static const char *const kinds[] = { "granted", "refused", "partly_granted",
					     "request", "hearing", "closing" };
	for (size_t i = 0; kind && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kinds[i], kind))
			return 1;
	return 0;
}

/* letters: which moves need a letter, four_eyes, the templates (checked
 * against the form at import, domain/letters.c). */
static enum hh_rc parse_letters(struct hh_case_type_def *ct, json_t *root,
				char *err, size_t errsz)
{
	json_t *map = json_object_get(root, "letters");
	json_t *fe = json_object_get(root, "four_eyes");
	if (fe && !json_is_boolean(fe)) {
		snprintf(err, errsz, "four_eyes must be true or false");
		return HH_ERR_INVALID;
	}
	ct->four_eyes = json_is_true(fe);
	ct->letter_templates = json_object_get(root, "letter_templates");
	if (ct->letter_templates && !json_is_object(ct->letter_templates)) {
		snprintf(err, errsz, "letter_templates must be an object");
		return HH_ERR_INVALID;
	}
	if (!map)
		return HH_OK;
	if (!json_is_object(map) || json_object_size(map) > HH_CT_STATES) {
		snprintf(err, errsz, "letters must map states to letter kinds");
		return HH_ERR_INVALID;
	}
	const char *state;
	json_t *v;
	json_object_foreach(map, state, v)
	{
		const char *kind = json_string_value(v);
		if (!hh_ct_state(ct, state)) {
			snprintf(err, errsz, "letters: '%s' is not a state", state);
			return HH_ERR_INVALID;
		}
		if (!hh_letter_kind_known(kind)) {
			snprintf(err, errsz, "letters: '%s' needs a letter kind (granted, "
				 "refused, partly_granted, request, hearing, closing)",
				 state);
			return HH_ERR_INVALID;
		}
		ct->letters[ct->n_letters].state = state;
		ct->letters[ct->n_letters++].kind = kind;
	}
	return HH_OK;
}

const char *hh_ct_letter_kind(const struct hh_case_type_def *ct,
			      const char *state)
{
	for (int i = 0; state && i < ct->n_letters; i++)
		if (!strcmp(ct->letters[i].state, state))
			return ct->letters[i].kind;
	return NULL;
}

enum hh_rc hh_case_type_def_from(json_t *root, struct hh_case_type_def *ct,
				 char *err, size_t errsz)
{
	memset(ct, 0, sizeof(*ct));
	ct->root = json_incref(root);
	json_t *states = json_object_get(root, "states");
	json_t *trans = json_object_get(root, "transitions");
	ct->name = str(root, "name");
	ct->organisation = str(root, "organisation");
	ct->kle = str(root, "kle");
	ct->description = str(root, "description");
	ct->initial = str(root, "initial");
	ct->submission = str(root, "submission");
	if (!ct->submission || !*ct->submission)
		ct->submission = "din ansøgning";
	ct->deadline = str(root, "deadline");
	ct->public = json_is_true(json_object_get(root, "public"));
	json_t *personal = json_object_get(root, "personal");
	if (personal && !json_is_boolean(personal)) {
		snprintf(err, errsz, "personal must be true or false");
		goto fail;
	}
	ct->personal = json_is_true(personal);
	/* x-fix: the organisations whose declared case systems may start
	 * cases of this type by a follow-up rule (hh_cs_may_start) */
	json_t *sb = json_object_get(root, "started_by");
	if (sb) {
		size_t k;
		json_t *o;
		int ok = json_is_array(sb);
		json_array_foreach(sb, k, o) if (!json_string_value(o) ||
						 !*json_string_value(o)) ok = 0;
		if (!ok) {
			snprintf(err, errsz, "started_by must list organisation "
					     "codes");
			goto fail;
		}
	}
	if (!ct->name || !ct->organisation || !ct->initial) {
		snprintf(err, errsz, "name, organisation and initial are required");
		goto fail;
	}
	if (!hh_iso_duration(ct->deadline, &ct->deadline_s)) {
		snprintf(err, errsz, "deadline must be an ISO 8601 duration such as P30D");
		goto fail;
	}
	if (!json_is_array(states) || !json_array_size(states) ||
	    json_array_size(states) > HH_CT_STATES) {
		snprintf(err, errsz, "states must list 1 to %d states", HH_CT_STATES);
		goto fail;
	}
	size_t i;
	json_t *v;
	json_array_foreach(states, i, v)
	{
		struct hh_ct_state *s = &ct->states[ct->n_states++];
		s->key = str(v, "key");
		s->label = str(v, "label");
		s->final = json_is_true(json_object_get(v, "final"));
		s->paused = json_is_true(json_object_get(v, "paused"));
		if (!s->key || !s->label) {
			snprintf(err, errsz, "state %zu needs key and label", i + 1);
			goto fail;
		}
	}
	if (!hh_ct_state(ct, ct->initial)) {
		snprintf(err, errsz, "initial '%s' is not a state", ct->initial);
		goto fail;
	}
	if (trans && (!json_is_array(trans) ||
		      json_array_size(trans) > HH_CT_TRANSITIONS)) {
		snprintf(err, errsz, "transitions must be a list of at most %d",
			 HH_CT_TRANSITIONS);
		goto fail;
	}
	json_array_foreach(trans, i, v)
	{
		struct hh_ct_transition *t = &ct->transitions[ct->n_transitions++];
		t->from = str(v, "from");
		t->to = str(v, "to");
		t->label = str(v, "label");
		const char *role = str(v, "role");
		json_t *roles = json_object_get(v, "roles");
		t->roles = 0;
		if (role && hh_roles_parse(role, &t->roles) != HH_OK) {
			snprintf(err, errsz, "transition %zu: unknown role '%s'", i + 1, role);
			goto fail;
		}
		size_t k;
		json_t *r;
		json_array_foreach(roles, k, r)
		{
			unsigned bit;
			if (hh_roles_parse(json_string_value(r) ? json_string_value(r) : "?",
					   &bit) != HH_OK) {
				snprintf(err, errsz, "transition %zu: unknown role", i + 1);
				goto fail;
			}
			t->roles |= bit;
		}
		if (!t->roles)
			t->roles = HH_ROLE_CASEWORKER;
		t->roles |= HH_ROLE_ADMIN;
		if (!t->from || !t->to || !hh_ct_state(ct, t->from) ||
		    !hh_ct_state(ct, t->to)) {
			snprintf(err, errsz, "transition %zu: from and to must be states",
				 i + 1);
			goto fail;
		}
		if (!t->label)
			t->label = hh_ct_state(ct, t->to)->label;
		if (parse_wait(t, v, i + 1, err, errsz) != HH_OK)
			goto fail;
	}
	ct->form = json_object_get(root, "form");
	ct->fields = json_object_get(ct->form, "fields");
	if (ct->form && ct->fields && !json_is_array(ct->fields)) {
		snprintf(err, errsz, "form.fields must be a list");
		goto fail;
	}
	char why[200];
	if (hh_form_parse(ct->form, &ct->form_def, why, sizeof(why)) != HH_OK) {
		snprintf(err, errsz, "form: %s", why);
		goto fail;
	}
	if (parse_followups(ct, json_object_get(root, "followups"), err, errsz) != HH_OK)
		goto fail;
	if (parse_letters(ct, root, err, errsz) != HH_OK)
		goto fail;
	if (parse_parties(ct, root, err, errsz) != HH_OK)
		goto fail;
	if (parse_agreement(ct, root, err, errsz) != HH_OK)
		goto fail;
	return HH_OK;
fail:
	hh_case_type_def_clear(ct);
	return HH_ERR_INVALID;
}

enum hh_rc hh_case_type_def_parse(const char *text, struct hh_case_type_def *ct,
				  char *err, size_t errsz)
{
	json_error_t e;
	json_t *root = json_loads(text, 0, &e);
	if (!root) {
		snprintf(err, errsz, "line %d: %s", e.line, e.text);
		memset(ct, 0, sizeof(*ct));
		return HH_ERR_INVALID;
	}
	enum hh_rc rc = hh_case_type_def_from(root, ct, err, errsz);
	json_decref(root);
	return rc;
}

void hh_case_type_def_clear(struct hh_case_type_def *ct)
{
	json_decref(ct->root);
	memset(ct, 0, sizeof(*ct));
}

const struct hh_ct_state *hh_ct_state(const struct hh_case_type_def *ct,
				      const char *key)
{
	for (int i = 0; key && i < ct->n_states; i++)
		if (!strcmp(ct->states[i].key, key))
			return &ct->states[i];
	return NULL;
}

const struct hh_ct_transition *hh_ct_transition(const struct hh_case_type_def *ct,
						const char *from, const char *to)
{
	for (int i = 0; i < ct->n_transitions; i++)
		if (!strcmp(ct->transitions[i].from, from) &&
		    !strcmp(ct->transitions[i].to, to))
			return &ct->transitions[i];
	return NULL;
}

const struct hh_ct_state *hh_ct_paused(const struct hh_case_type_def *ct)
{
	/* the state a case waits for its parties in is not one a request
	 * to the citizen waits in (issue 16) */
	for (int i = 0; i < ct->n_states; i++)
		if (ct->states[i].paused &&
		    (!ct->confirm_state || strcmp(ct->states[i].key, ct->confirm_state)))
			return &ct->states[i];
	return NULL;
}

struct form_ctx {
	struct hh_arena *a;
	const char *code;
	struct hh_case_type *row;
	struct hh_case_type_def *def;
};

static enum hh_rc form_tx(struct hh_tx *tx, void *p)
{
	struct form_ctx *c = p;
	enum hh_rc rc = tx->store->case_type_get_by_code(tx, c->a, c->code, c->row);
	if (rc != HH_OK)
		return rc;
	char err[256];
	if (hh_case_type_def_parse(c->row->definition, c->def, err, sizeof(err)) != HH_OK) {
		hh_log_bug("case type %s in the store is broken: %s", c->row->code, err);
		return HH_ERR_INTERNAL;
	}
	return HH_OK;
}

static void def_free(void *p)
{
	hh_case_type_def_clear(p);
}

enum hh_rc hh_case_type_form(struct hh_store *st, struct hh_arena *a,
			     const char *code, struct hh_case_type *row,
			     struct hh_case_type_def **def)
{
	struct form_ctx c = { a, code, row, hh_arena_calloc(a, sizeof(struct hh_case_type_def)) };
	*def = NULL;
	enum hh_rc rc = hh_store_run_tx(st, 0, form_tx, &c);
	if (rc != HH_OK)
		return rc;
	hh_arena_defer(a, def_free, c.def);
	if (!row->public || !c.def->form_def.n_fields)
		return HH_ERR_NOT_FOUND; /* not offered to citizens */
	*def = c.def;
	return HH_OK;
}
