/* agreements.c - agreements signed by both parents (agreements.h). */
#include "domain/agreements.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/log.h"
#include "core/util.h"
#include "domain/access.h"
#include "domain/cases.h"
#include "domain/catalogue.h"
#include "domain/parties.h"
#include "domain/vault.h"

/* ---- the content and its hash ------------------------------------------ */

/* v as it is kept in an agreement (new): text in Unicode NFC, so that
 * the same words typed or pasted in composed or decomposed form (å as
 * one code point or as a and a ring) are one content and one hash, and
 * a "change" that only recomposes them is no change (r-agree). */
static json_t *canonical_value(json_t *v)
{
	if (!json_is_string(v))
		return json_incref(v);
	utf8proc_uint8_t *nfc = NULL;
	if (utf8proc_map((const utf8proc_uint8_t *)json_string_value(v), 0, &nfc,
			 UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE) < 0)
		return json_incref(v); /* not UTF-8: the form refused it already */
	json_t *out = json_string((const char *)nfc);
	free(nfc);
	return out ? out : json_incref(v);
}

/* The agreement's part of values (new): its fields that have a value. */
static json_t *content_of(const struct hh_case_type_def *def, json_t *values)
{
	json_t *out = json_object();
	for (int i = 0; i < def->agreement.n_fields; i++) {
		json_t *v = json_object_get(values, def->agreement.fields[i]);
		if (v && !json_is_null(v))
			json_object_set_new(out, def->agreement.fields[i],
					    canonical_value(v));
	}
	return out;
}

/* The canonical text of content (compact, sorted keys, UTF-8) and its
 * SHA-256 in hex, into a. */
static const char *canonical(struct hh_arena *a, json_t *content, char hex[65])
{
	char *s = json_dumps(content, JSON_COMPACT | JSON_SORT_KEYS);
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
	sodium_bin2hex(hex, 65, h, sizeof(h));
	const char *out = hh_arena_strdup(a, s);
	free(s);
	return out;
}

static const char *signers_text(struct hh_arena *a, const struct hh_case_type_def *def)
{
	const char *s = "";
	for (int i = 0; i < def->agreement.n_signers; i++)
		s = hh_arena_printf(a, "%s%s%s", s, i ? "," : "", def->agreement.signers[i]);
	return s;
}

static void field_error(struct hh_arena *a, struct hh_form_result *res,
			const char *field, const char *message);

int hh_agreement_check(struct hh_arena *a, const struct hh_case_type_def *def,
		       json_t *values, struct hh_form_result *res)
{
	int n = 0;
	for (int i = 0; def->agreement.present && i < def->agreement.n_fields; i++) {
		const char *s = json_string_value(json_object_get(values,
								  def->agreement.fields[i]));
		if (s && hh_vault_holds_cpr(s)) {
			field_error(a, res, def->agreement.fields[i],
				    "Skriv ikke et CPR-nummer i aftalen. Den anden "
				    "forælder kan læse alt, hvad der står i den.");
			n++;
		}
	}
	return n;
}

enum hh_rc hh_agreement_start_tx(struct hh_tx *tx, struct hh_arena *a,
				 const struct hh_case_type_def *def,
				 const struct hh_case *k, json_t *values)
{
	if (!def->agreement.present)
		return HH_OK;
	if (!k->citizen_id)
		return HH_ERR_INTERNAL; /* parties are named only when signed in */
	json_t *content = content_of(def, values);
	char hex[65];
	struct hh_agreement_version v = {
		.case_id = k->id, .version = 1, .content = canonical(a, content, hex),
		.signers = signers_text(a, def), .proposed_by = "applicant",
		.proposed_by_citizen = k->citizen_id, .proposed_at = k->created_at };
	json_decref(content);
	v.hash = hh_arena_strdup(a, hex);
	enum hh_rc rc = tx->store->case_agreement_insert(tx, &v);
	/* submitting is signing */
	struct hh_agreement_signature s = { .case_id = k->id, .version = 1,
					    .hash = v.hash, .signer = "applicant",
					    .citizen_id = k->citizen_id,
					    .signed_at = k->created_at };
	if (rc == HH_OK)
		rc = tx->store->case_signature_insert(tx, &s);
	return rc;
}

/* ---- loading a case's agreement ------------------------------------------ */

struct rows {
	struct hh_arena *a;
	struct hh_agreement_version *v;
	size_t nv, capv;
	struct hh_agreement_signature *s;
	size_t ns, caps;
	struct hh_case_party *p;
	size_t np, capp;
};

static enum hh_rc version_row(void *p, const struct hh_agreement_version *v)
{
	struct rows *r = p;
	r->v = hh_arena_grow(r->a, r->v, r->nv, &r->capv, sizeof(*r->v), 4);
	r->v[r->nv++] = *v;
	return HH_OK;
}

static enum hh_rc signature_row(void *p, const struct hh_agreement_signature *s)
{
	struct rows *r = p;
	r->s = hh_arena_grow(r->a, r->s, r->ns, &r->caps, sizeof(*r->s), 8);
	r->s[r->ns++] = *s;
	return HH_OK;
}

static enum hh_rc party_row(void *p, const struct hh_case_party *q)
{
	struct rows *r = p;
	r->p = hh_arena_grow(r->a, r->p, r->np, &r->capp, sizeof(*r->p), 4);
	r->p[r->np++] = *q;
	return HH_OK;
}

/* One case's agreement inside a transaction, for who. */
struct loaded {
	struct hh_case c;
	const struct hh_case_type_def *def;
	struct rows rows;
	const char *me;                /* who's signer role, NULL: staff */
	struct hh_case_party *me_party; /* who's party row (not the applicant) */
	const struct hh_agreement_version *cur;
};

static enum hh_rc load(struct hh_tx *tx, struct hh_arena *a,
		       const struct hh_actor *who, int64_t id,
		       enum hh_access_action act, struct loaded *l)
{
	memset(l, 0, sizeof(*l));
	l->rows.a = a;
	struct hh_ct_cache cts;
	memset(&cts, 0, sizeof(cts));
	enum hh_rc rc = tx->store->case_get(tx, a, id, &l->c);
	if (rc != HH_OK)
		return rc;
	l->def = hh_ct_cache_get(tx, a, &cts, l->c.case_type_id);
	if (!l->def || !l->def->agreement.present)
		return HH_ERR_NOT_FOUND;
	if ((rc = tx->store->case_party_list(tx, a, id, party_row, &l->rows)) != HH_OK)
		return rc;
	if (who->citizen_id && who->citizen_id == l->c.citizen_id)
		l->me = "applicant";
	for (size_t i = 0; !l->me && who->citizen_id && i < l->rows.np; i++)
		if (l->rows.p[i].citizen_id == who->citizen_id &&
		    hh_ct_agreement_signer(l->def, l->rows.p[i].role)) {
			l->me = l->rows.p[i].role;
			l->me_party = &l->rows.p[i];
		}
	struct hh_owner o = { l->c.org_id, l->me ? who->citizen_id : 0 };
	if (hh_access(who, HH_RES_CASE_AGREEMENT, act, &o) != HH_OK)
		return HH_ERR_NOT_FOUND;
	if ((rc = tx->store->case_agreement_list(tx, a, id, version_row, &l->rows)) != HH_OK ||
	    (rc = tx->store->case_signature_list(tx, a, id, signature_row, &l->rows)) != HH_OK)
		return rc;
	if (!l->rows.nv)
		return HH_ERR_NOT_FOUND; /* sent before the type was an agreement */
	l->cur = &l->rows.v[l->rows.nv - 1];
	return HH_OK;
}

static const struct hh_agreement_signature *signature_of(const struct loaded *l,
							 int version,
							 const char *role)
{
	for (size_t i = 0; i < l->rows.ns; i++)
		if (l->rows.s[i].version == version && !strcmp(l->rows.s[i].signer, role))
			return &l->rows.s[i];
	return NULL;
}

/* The signers version v needs, as its row names them ("applicant,parent"),
 * into roles (at most max); returns how many. r-agree: the row's list,
 * not the case type's: a case type imported again with other signers
 * does not change which signatures an older version needed. */
static int version_signers(struct hh_arena *a, const struct hh_agreement_version *v,
			   const char **roles, int max)
{
	int n = 0;
	const char *p = v->signers ? v->signers : "";
	while (*p && n < max) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len)
			roles[n++] = hh_arena_strndup(a, p, len);
		p += len + (end ? 1 : 0);
	}
	return n;
}

static const struct hh_agreement_version *version_of(const struct loaded *l,
						     int version)
{
	for (size_t i = 0; i < l->rows.nv; i++)
		if (l->rows.v[i].version == version)
			return &l->rows.v[i];
	return NULL;
}

static int complete(const struct loaded *l, int version)
{
	const struct hh_agreement_version *v = version_of(l, version);
	const char *roles[HH_CT_PARTIES + 1];
	int n = v ? version_signers(l->rows.a, v, roles, HH_CT_PARTIES + 1) : 0;
	if (!n)
		return 0;
	for (int i = 0; i < n; i++)
		if (!signature_of(l, version, roles[i]))
			return 0;
	return 1;
}

/* May l's reader sign or change now? HH_AGR_FINE, or why not. */
static enum hh_agreement_fault gate(const struct loaded *l, int64_t now)
{
	if (l->me_party) {
		const char *status = hh_party_status(l->me_party, now);
		if (!strcmp(status, "expired"))
			return HH_AGR_EXPIRED;
		if (strcmp(status, "invited") && strcmp(status, "confirmed"))
			return HH_AGR_CLOSED;
	}
	if (l->c.closed_at)
		return HH_AGR_CLOSED;
	/* r-agree: another signer's invitation that ran out closes the case
	 * even when no expiry pass came by (a pass that failed is only
	 * logged): the applicant may then neither change nor sign, as the
	 * answer and the reads treat it (hh_party_status) */
	for (size_t i = 0; i < l->rows.np; i++)
		if (l->rows.p[i].confirm &&
		    !strcmp(hh_party_status(&l->rows.p[i], now), "expired"))
			return HH_AGR_EXPIRED;
	return HH_AGR_FINE;
}

/* The citizen who signs as role, 0 when none is named. */
static int64_t signer_citizen(const struct loaded *l, const char *role)
{
	if (!strcmp(role, "applicant"))
		return l->c.citizen_id;
	for (size_t i = 0; i < l->rows.np; i++)
		if (!strcmp(l->rows.p[i].role, role))
			return l->rows.p[i].citizen_id;
	return 0;
}

/* The signers a change of l needs: the case type's signers that the case
 * has (the applicant, and each signing party it names). r-agree: a type
 * imported again with a signer this case never named would otherwise
 * need a signature nobody can give. */
static const char *case_signers(const struct loaded *l)
{
	const char *s = "";
	int n = 0;
	for (int i = 0; i < l->def->agreement.n_signers; i++) {
		const char *role = l->def->agreement.signers[i];
		int named = !strcmp(role, "applicant");
		for (size_t k = 0; !named && k < l->rows.np; k++)
			named = !strcmp(l->rows.p[k].role, role);
		if (named)
			s = hh_arena_printf(l->rows.a, "%s%s%s", s, n++ ? "," : "", role);
	}
	return s;
}

/* ---- reading -------------------------------------------------------------- */

/* A kept value as text (new): a string as it is, anything else as JSON. */
static json_t *as_text(json_t *kept)
{
	if (json_is_string(kept))
		return json_incref(kept);
	char *s = json_dumps(kept, JSON_ENCODE_ANY | JSON_COMPACT);
	json_t *out = json_string(s ? s : "");
	free(s);
	return out;
}

/* Version v as reader sees it (reader_citizen 0: staff). */
static enum hh_rc text_of(struct hh_tx *tx, struct hh_arena *a,
			  const struct loaded *l,
			  const struct hh_agreement_version *v,
			  int64_t reader_citizen, struct hh_agreement_text *out)
{
	const struct hh_case_type_def *def = l->def;
	memset(out, 0, sizeof(*out));
	out->v = *v;
	json_error_t e;
	json_t *values = json_loads(v->content, 0, &e);
	json_t *display = values ? hh_form_values_display(&def->form_def, values) : NULL;
	out->fields = json_array();
	hh_arena_defer(a, hh_json_release, out->fields);
	for (int i = 0; display && i < def->agreement.n_fields; i++) {
		const struct hh_form_field *f = hh_form_field(&def->form_def,
							      def->agreement.fields[i]);
		json_t *d = json_object_get(display, f->name);
		if (d)
			json_array_append_new(out->fields,
					      json_pack("{s:s, s:s, s:O}", "field", f->name,
							"label", f->label, "value", d));
	}
	/* r-agree: what the version holds beyond the case type's fields of
	 * today (the type was imported again without them) was signed too,
	 * so it is shown, as the form shows it or as it was written */
	const char *key;
	json_t *kept;
	json_object_foreach(values, key, kept)
	{
		if (hh_ct_agreement_field(def, key))
			continue;
		const struct hh_form_field *f = hh_form_field(&def->form_def, key);
		json_t *d = display ? json_object_get(display, key) : NULL;
		json_t *shown = d ? json_incref(d) : as_text(kept);
		json_array_append_new(out->fields,
				      json_pack("{s:s, s:s, s:o}", "field", key, "label",
						f ? f->label : key, "value", shown));
	}
	json_decref(display);
	json_decref(values);
	out->complete = complete(l, v->version);
	const char *roles[HH_CT_PARTIES + 1];
	int n_roles = version_signers(a, v, roles, HH_CT_PARTIES + 1);
	enum hh_rc rc = HH_OK;
	for (int i = 0; rc == HH_OK && i < n_roles; i++) {
		struct hh_agreement_signer *s = &out->signers[out->n_signers++];
		s->role = roles[i];
		const struct hh_ct_party *pd = hh_ct_party(def, s->role);
		s->label = pd ? pd->label : "Ansøger";
		const struct hh_agreement_signature *sig = signature_of(l, v->version, s->role);
		s->signed_at = sig ? sig->signed_at : 0;
		int64_t cid = sig ? sig->citizen_id : 0;
		if (!cid)
			continue; /* named once they signed */
		/* a protected citizen's name is never shown to the other
		 * citizen (staff see it) */
		int protected = 0;
		if (reader_citizen && reader_citizen != cid)
			rc = tx->store->citizen_protected_get(tx, cid, &protected);
		if (rc != HH_OK || protected)
			continue;
		if (cid == l->c.citizen_id) {
			s->name = l->c.citizen_name;
			continue;
		}
		struct hh_citizen z;
		rc = tx->store->citizen_get(tx, a, cid, &z);
		if (rc == HH_OK)
			s->name = z.name;
		else if (rc == HH_ERR_NOT_FOUND)
			rc = HH_OK;
	}
	return rc;
}

struct read_ctx {
	struct hh_arena *a;
	const struct hh_actor *who;
	int64_t id;
	struct hh_agreement *out;
	struct loaded l;
};

static enum hh_rc read_tx(struct hh_tx *tx, void *p)
{
	struct read_ctx *x = p;
	struct hh_agreement *g = x->out;
	memset(g, 0, sizeof(*g));
	enum hh_rc rc = load(tx, x->a, x->who, x->id, HH_ACT_READ, &x->l);
	if (rc != HH_OK)
		return rc;
	struct loaded *l = &x->l;
	g->c = l->c;
	g->def = l->def;
	g->me = l->me;
	int64_t reader = l->me ? x->who->citizen_id : 0;
	rc = text_of(tx, x->a, l, l->cur, reader, &g->current);
	for (size_t i = l->rows.nv - 1; rc == HH_OK && !g->current.complete && i-- > 0;)
		if (complete(l, l->rows.v[i].version)) {
			rc = text_of(tx, x->a, l, &l->rows.v[i], reader, &g->last_signed);
			g->has_signed = 1;
			break;
		}
	int64_t now = hh_now_us() / 1000000;
	if (l->me && gate(l, now) == HH_AGR_FINE) {
		g->may_change = 1;
		g->may_sign = !signature_of(l, l->cur->version, l->me);
	}
	return rc;
}

struct audit_ctx {
	struct hh_arena *a;
	const struct hh_actor *who;
	const struct loaded *l;
};

/* Reading the agreement reads what the other signers wrote and signed:
 * in their audit trails. */
static enum hh_rc audit_tx(struct hh_tx *tx, void *p)
{
	struct audit_ctx *x = p;
	const struct loaded *l = x->l;
	enum hh_rc rc = HH_OK;
	for (int i = 0; rc == HH_OK && i < l->def->agreement.n_signers; i++) {
		int64_t cid = signer_citizen(l, l->def->agreement.signers[i]);
		if (!cid || cid == x->who->citizen_id)
			continue;
		struct hh_audit e = {
			.actor = x->who->citizen_id
					 ? hh_arena_printf(x->a, "citizen:%lld",
							   (long long)x->who->citizen_id)
					 : x->who->label,
			.citizen_id = cid,
			.what = hh_arena_printf(x->a, "aftalen i sag %lld",
						(long long)l->c.id),
			.why = x->who->citizen_id ? "part i sagen" : "sagsbehandling" };
		rc = tx->store->audit_append(tx, &e);
	}
	return rc;
}

/* Citizens only, at substantial or above; staff as the table says. */
static enum hh_rc may_try(const struct hh_actor *who, enum hh_access_action act,
			  enum hh_agreement_fault *fault)
{
	enum hh_access_scope sc = hh_access_scope(who, HH_RES_CASE_AGREEMENT, act);
	if (sc == HH_SCOPE_NONE)
		return HH_ERR_FORBIDDEN;
	if (sc == HH_SCOPE_OWN_CITIZEN && who->loa < HH_LOA_SUBSTANTIAL) {
		*fault = HH_AGR_ASSURANCE;
		return HH_ERR_FORBIDDEN;
	}
	return HH_OK;
}

enum hh_rc hh_agreement_read(struct hh_store *st, struct hh_arena *a,
			     const struct hh_actor *who, int64_t id,
			     struct hh_agreement *out,
			     enum hh_agreement_fault *fault)
{
	enum hh_agreement_fault ignored;
	if (!fault)
		fault = &ignored;
	*fault = HH_AGR_FINE;
	memset(out, 0, sizeof(*out));
	enum hh_rc rc = may_try(who, HH_ACT_READ, fault);
	if (rc != HH_OK)
		return rc;
	if (id <= 0)
		return HH_ERR_NOT_FOUND;
	if (who->citizen_id)
		hh_parties_expire_before_read(st);
	struct read_ctx x = { .a = a, .who = who, .id = id, .out = out };
	rc = hh_store_run_tx(st, 0, read_tx, &x);
	struct audit_ctx y = { a, who, &x.l };
	if (rc == HH_OK)
		rc = hh_store_run_tx(st, 1, audit_tx, &y);
	return rc;
}

/* ---- signing and changing ------------------------------------------------- */

/* The case's state as the events keep it (new text). */
static char *state_json(const struct hh_case *k, const char *signer, int version,
			int done)
{
	json_t *j = json_pack("{s:s, s:I, s:I}", "state", k->state, "version",
			      (json_int_t)k->version, "deadline_at",
			      (json_int_t)k->deadline_at);
	if (signer) {
		json_object_set_new(j, "signer", json_string(signer));
		json_object_set_new(j, "agreement_version", json_integer(version));
		json_object_set_new(j, "complete", json_boolean(done));
	}
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	return s;
}

/* r-agree: a change every signer signed is the agreement in force, so
 * the case's data (what the caseworker's page, the applicant's case page
 * and GET /api/v1/cases/{id} show as the case's answers) takes its
 * fields: the agreement's fields of the data are replaced by version v's
 * (a field v no longer holds goes), the applicant's own fields stay. The
 * vault's shim seals the data as on every write. Version 1 is the data
 * already. */
static enum hh_rc data_from(struct hh_arena *a, const struct hh_case_type_def *def,
			    struct hh_case *k, const struct hh_agreement_version *v)
{
	json_error_t e;
	json_t *data = json_loads(k->data ? k->data : "{}", 0, &e);
	json_t *content = json_loads(v->content, 0, &e);
	enum hh_rc rc = HH_ERR_INTERNAL;
	if (json_is_object(data) && json_is_object(content)) {
		for (int i = 0; i < def->agreement.n_fields; i++)
			json_object_del(data, def->agreement.fields[i]);
		json_object_update(data, content);
		char *s = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
		k->data = hh_arena_strdup(a, s);
		free(s);
		rc = HH_OK;
	}
	json_decref(data);
	json_decref(content);
	return rc;
}

/* The signature of l's reader on version v (the newest), and what it
 * completes: the parties confirmed and the case moved on when it waited
 * for them; the case's version moves on with every signature, so a
 * change and a signature at once are one after the other on either
 * backend. */
static enum hh_rc sign_tx_inner(struct hh_tx *tx, struct hh_arena *a,
				const struct hh_actor *who, struct loaded *l,
				const struct hh_agreement_version *v,
				const char *action, int64_t now)
{
	struct hh_case *k = &l->c;
	struct hh_agreement_signature s = { .case_id = k->id, .version = v->version,
					    .hash = v->hash, .signer = l->me,
					    .citizen_id = who->citizen_id,
					    .signed_at = now };
	enum hh_rc rc = tx->store->case_signature_insert(tx, &s);
	if (rc == HH_OK)
		signature_row(&l->rows, &s);
	int done = rc == HH_OK && complete(l, v->version);
	char *before = state_json(k, NULL, 0, 0);
	if (done && v->version > 1)
		rc = data_from(a, l->def, k, v);
	if (done && l->def->confirm_state && !strcmp(k->state, l->def->confirm_state)) {
		for (size_t i = 0; rc == HH_OK && i < l->rows.np; i++) {
			struct hh_case_party *q = &l->rows.p[i];
			if (!q->confirm || strcmp(q->status, "invited"))
				continue;
			int64_t expected = q->version;
			q->status = "confirmed";
			q->answered_at = now;
			rc = tx->store->case_party_update(tx, q, expected);
		}
		hh_case_move(k, l->def, hh_case_confirmed_to(l->def, k), now);
	}
	if (rc == HH_OK)
		rc = tx->store->case_update(tx, k, k->version);
	if (rc == HH_OK)
		rc = hh_case_event_tx(tx, hh_arena_printf(a, "citizen:%lld",
						    (long long)who->citizen_id),
				k, action, before, state_json(k, l->me, v->version, done));
	else
		free(before);
	return rc;
}

struct write_ctx {
	struct hh_arena *a;
	const struct hh_actor *who;
	int64_t id;
	int version; /* sign: the version; change: the base */
	const char *hash; /* sign: the version's hash as read, or NULL */
	json_t *fields;
	struct hh_form_result *res;
	int new_version;
	enum hh_agreement_fault fault;
	int64_t org_id;
	int again; /* a change: the same change again, nothing written */
};

/* The checks a signature and a change share; CONFLICT with x->fault. */
static enum hh_rc write_checks(struct write_ctx *x, const struct loaded *l,
			       int64_t now)
{
	if (!l->me)
		return HH_ERR_NOT_FOUND; /* staff read it, never sign it */
	x->fault = gate(l, now);
	if (x->fault == HH_AGR_FINE && x->version != l->cur->version)
		x->fault = HH_AGR_STALE;
	return x->fault == HH_AGR_FINE ? HH_OK : HH_ERR_CONFLICT;
}

static enum hh_rc sign_tx(struct hh_tx *tx, void *p)
{
	struct write_ctx *x = p;
	x->fault = HH_AGR_FINE;
	struct loaded l;
	enum hh_rc rc = load(tx, x->a, x->who, x->id, HH_ACT_CHANGE, &l);
	if (rc != HH_OK)
		return rc;
	x->org_id = l.c.org_id;
	int64_t now = hh_now_us() / 1000000;
	if ((rc = write_checks(x, &l, now)) != HH_OK)
		return rc;
	if (x->hash && strcmp(x->hash, l.cur->hash)) {
		x->fault = HH_AGR_STALE; /* not the text that was read */
		return HH_ERR_CONFLICT;
	}
	if (signature_of(&l, l.cur->version, l.me)) {
		x->fault = HH_AGR_SIGNED;
		return HH_ERR_CONFLICT;
	}
	return sign_tx_inner(tx, x->a, x->who, &l, l.cur, "agreement_sign", now);
}

enum hh_rc hh_agreement_sign(struct hh_store *st, struct hh_arena *a,
			     const struct hh_actor *who, int64_t id,
			     int version, const char *hash,
			     enum hh_agreement_fault *fault)
{
	*fault = HH_AGR_FINE;
	enum hh_rc rc = may_try(who, HH_ACT_CHANGE, fault);
	if (rc != HH_OK)
		return rc;
	if (id <= 0)
		return HH_ERR_NOT_FOUND;
	hh_parties_expire_before_read(st);
	struct write_ctx x = { .a = a, .who = who, .id = id, .version = version,
			       .hash = hash };
	rc = hh_store_run_tx(st, 1, sign_tx, &x);
	*fault = x.fault;
	if (rc == HH_OK)
		hh_store_changed(st, &(struct hh_change){ "case", id, x.org_id,
							   "agreement_sign" });
	return rc;
}

static void field_error(struct hh_arena *a, struct hh_form_result *res,
			const char *field, const char *message)
{
	if (res->n_errors < HH_FORM_MAX_MSGS) {
		res->errors[res->n_errors].field = hh_arena_strdup(a, field);
		res->errors[res->n_errors++].message = message;
	}
}

static enum hh_rc change_tx(struct hh_tx *tx, void *p)
{
	struct write_ctx *x = p;
	x->fault = HH_AGR_FINE;
	x->again = 0;
	json_decref(x->res->values);
	memset(x->res, 0, sizeof(*x->res));
	struct loaded l;
	enum hh_rc rc = load(tx, x->a, x->who, x->id, HH_ACT_CHANGE, &l);
	if (rc != HH_OK)
		return rc;
	x->org_id = l.c.org_id;
	int64_t now = hh_now_us() / 1000000;
	/* r-agree: the same change sent twice (a double click, a client
	 * that repeats a PUT it got no answer to) finds the version it made
	 * as the newest; if the newest is the reader's own, made from the
	 * same base with the same content, it is that change again: OK with
	 * nothing written, not a 409 saying someone else changed it */
	const struct hh_agreement_version *base = l.cur;
	int again = 0;
	if ((rc = write_checks(x, &l, now)) != HH_OK) {
		if (x->fault != HH_AGR_STALE || x->version != l.cur->version - 1 ||
		    l.cur->proposed_by_citizen != x->who->citizen_id ||
		    strcmp(l.cur->proposed_by, l.me) || !(base = version_of(&l, x->version)))
			return rc;
		again = 1;
		x->fault = HH_AGR_FINE;
	}
	const struct hh_case_type_def *def = l.def;
	const char *key;
	json_t *v;
	json_object_foreach(x->fields, key, v)
	{
		if (!hh_ct_agreement_field(def, key))
			field_error(x->a, x->res, key, "Feltet hører ikke til aftalen.");
	}
	if (x->res->n_errors) {
		x->res->values = json_object();
		return HH_ERR_INVALID;
	}
	/* the agreement's fields alone, checked as the form checks them
	 * (their conditions name only each other: checked at import) */
	struct hh_form sub = { .present = 1, .title = def->form_def.title };
	for (int i = 0; i < def->agreement.n_fields; i++)
		sub.fields[sub.n_fields++] = *hh_form_field(&def->form_def,
							    def->agreement.fields[i]);
	json_error_t e;
	json_t *merged = json_loads(base->content, 0, &e);
	if (!merged)
		return HH_ERR_INTERNAL;
	/* r-agree: a field the base holds that the case type no longer has
	 * in its agreement (imported again since) is not carried into the
	 * change, which is made to the agreement as the type has it now */
	void *iter = json_object_iter(merged);
	while (iter) {
		const char *k = json_object_iter_key(iter);
		void *next = json_object_iter_next(merged, iter);
		if (!hh_ct_agreement_field(def, k))
			json_object_del(merged, k);
		iter = next;
	}
	json_object_update(merged, x->fields);
	hh_form_validate(x->a, &sub, merged, x->res);
	json_decref(merged);
	if (!x->res->n_errors)
		hh_agreement_check(x->a, def, x->res->values, x->res);
	if (x->res->n_errors)
		return HH_ERR_INVALID;
	json_t *content = content_of(def, x->res->values);
	char hex[65];
	struct hh_agreement_version nv = {
		.case_id = l.c.id, .version = l.cur->version + 1,
		.content = canonical(x->a, content, hex), .signers = case_signers(&l),
		.proposed_by = l.me, .proposed_by_citizen = x->who->citizen_id,
		.proposed_at = now };
	json_decref(content);
	nv.hash = hh_arena_strdup(x->a, hex);
	if (again) {
		if (strcmp(nv.hash, l.cur->hash)) {
			x->fault = HH_AGR_STALE; /* another change of theirs */
			return HH_ERR_CONFLICT;
		}
		x->new_version = l.cur->version;
		x->again = 1;
		return HH_OK;
	}
	if (!strcmp(nv.hash, l.cur->hash)) {
		x->fault = HH_AGR_UNCHANGED;
		return HH_ERR_INVALID;
	}
	/* a new row: the version before it, signed or not, stays as it is */
	rc = tx->store->case_agreement_insert(tx, &nv);
	if (rc == HH_OK)
		version_row(&l.rows, &nv);
	x->new_version = nv.version;
	/* proposing is signing */
	return rc == HH_OK ? sign_tx_inner(tx, x->a, x->who, &l, &nv, "agreement_change",
					   now)
			   : rc;
}

enum hh_rc hh_agreement_change(struct hh_store *st, struct hh_arena *a,
			       const struct hh_actor *who, int64_t id, int base,
			       json_t *fields, struct hh_form_result *res,
			       int *version, enum hh_agreement_fault *fault)
{
	*fault = HH_AGR_FINE;
	memset(res, 0, sizeof(*res));
	enum hh_rc rc = may_try(who, HH_ACT_CHANGE, fault);
	if (rc == HH_OK && id <= 0)
		rc = HH_ERR_NOT_FOUND;
	if (rc == HH_OK && !json_is_object(fields)) {
		field_error(a, res, "fields", "Skriv, hvad der skal ændres i aftalen.");
		rc = HH_ERR_INVALID;
	}
	if (rc != HH_OK) {
		res->values = json_object();
		return rc;
	}
	hh_parties_expire_before_read(st);
	struct write_ctx x = { .a = a, .who = who, .id = id, .version = base,
			       .fields = fields, .res = res };
	rc = hh_store_run_tx(st, 1, change_tx, &x);
	*fault = x.fault;
	if (!res->values)
		res->values = json_object();
	if (rc == HH_OK) {
		if (version)
			*version = x.new_version;
		if (!x.again)
			hh_store_changed(st, &(struct hh_change){ "case", id, x.org_id,
								   "agreement_change" });
	}
	return rc;
}

/* ---- as JSON and in words -------------------------------------------------- */

static json_t *text_json(const struct hh_agreement_text *t)
{
	char at[21];
	hh_time_iso(t->v.proposed_at, at);
	json_error_t e;
	json_t *values = json_loads(t->v.content, 0, &e);
	json_t *sigs = json_array();
	for (int i = 0; i < t->n_signers; i++) {
		const struct hh_agreement_signer *s = &t->signers[i];
		char when[21];
		hh_time_iso(s->signed_at, when);
		json_t *j = json_pack("{s:s, s:s}", "role", s->role, "label", s->label);
		json_object_set_new(j, "name", s->name ? json_string(s->name) : json_null());
		json_object_set_new(j, "signed_at",
				    s->signed_at ? json_string(when) : json_null());
		json_array_append_new(sigs, j);
	}
	return json_pack("{s:i, s:s, s:s, s:s, s:b, s:O, s:o, s:o}", "version",
			 t->v.version, "hash", t->v.hash, "proposed_by",
			 t->v.proposed_by, "proposed_at", at, "complete", t->complete,
			 "fields", t->fields, "values", values ? values : json_object(),
			 "signatures", sigs);
}

json_t *hh_agreement_json(const struct hh_agreement *g)
{
	json_t *j = json_pack("{s:I, s:s, s:s, s:b, s:b, s:b, s:o}", "case_id",
			      (json_int_t)g->c.id, "title", g->def->agreement.title,
			      "state", g->c.state, "closed", g->c.closed_at != 0,
			      "may_sign", g->may_sign, "may_change", g->may_change,
			      "current", text_json(&g->current));
	json_object_set_new(j, "me", g->me ? json_string(g->me) : json_null());
	/* the version every signer signed: current when it is, else the
	 * newest that was */
	json_object_set_new(j, "signed",
			    g->current.complete ? text_json(&g->current)
			    : g->has_signed	? text_json(&g->last_signed)
						: json_null());
	return j;
}

const char *hh_agreement_fault_text(enum hh_agreement_fault f)
{
	switch (f) {
	case HH_AGR_STALE:
		return "Aftalen er ændret, siden du åbnede den. Læs den nye udgave, "
		       "før du underskriver.";
	case HH_AGR_SIGNED:
		return "Du har allerede underskrevet denne udgave af aftalen.";
	case HH_AGR_CLOSED:
		return "Sagen er lukket, så aftalen kan ikke længere underskrives "
		       "eller ændres.";
	case HH_AGR_EXPIRED:
		return "Fristen for at svare er udløbet, og sagen er lukket.";
	case HH_AGR_UNCHANGED:
		return "Du har ikke ændret noget i aftalen.";
	case HH_AGR_ASSURANCE:
		return "Log ind med MitID på betydeligt eller højt sikringsniveau for "
		       "at se og underskrive aftalen.";
	case HH_AGR_FINE:
		break;
	}
	return "";
}
