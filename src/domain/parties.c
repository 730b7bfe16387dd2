/* parties.c - the other parties to a case (parties.h). */
#include "domain/parties.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/dktime.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/access.h"
#include "domain/cases.h"
#include "domain/catalogue.h"
#include "domain/cpr.h"
#include "domain/messages.h"
#include "domain/partyletters.h"
#include "domain/vault.h"

/* ---- naming the parties ------------------------------------------------ */

/* field is the case type's, which goes before res does: copied to a */
static void field_error(struct hh_arena *a, struct hh_form_result *res,
			const char *field, const char *message)
{
	if (res->n_errors < HH_FORM_MAX_MSGS) {
		res->errors[res->n_errors].field = hh_arena_strdup(a, field);
		res->errors[res->n_errors++].message = message;
	}
}

const char *hh_label_in_sentence(struct hh_arena *a, const char *label)
{
	if (!label)
		return "";
	utf8proc_int32_t cp;
	utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)label, -1, &cp);
	if (n <= 0)
		return hh_arena_strdup(a, label);
	utf8proc_uint8_t first[4];
	utf8proc_ssize_t m = utf8proc_encode_char(utf8proc_tolower(cp), first);
	return hh_arena_printf(a, "%.*s%s", (int)m, (const char *)first, label + n);
}

const char *hh_party_who(struct hh_arena *a, const struct hh_ct_party *d)
{
	return d ? hh_arena_printf(a, "Den anden part (%s)", hh_label_in_sentence(a, d->label))
		 : "Den anden part";
}

/* The citizen with CPR number cpr in the register, under each hash key
 * the vault knows (a rotation may be half-way). */
static enum hh_rc by_cpr(struct hh_tx *tx, struct hh_arena *a,
			 const struct hh_vault *v, const char *cpr,
			 struct hh_citizen *out)
{
	unsigned char h[32];
	enum hh_rc rc = HH_ERR_NOT_FOUND;
	for (int i = 0; rc == HH_ERR_NOT_FOUND && i < HH_VAULT_KEYS_MAX &&
			hh_vault_cpr_hash(v, i, cpr, h) == HH_OK;
	     i++)
		rc = tx->store->citizen_get_by_cpr_hash(tx, a, h, out);
	return rc;
}

/* ---- the CPR register beyond helhed's citizens (p-letters) -------------- */

static hh_cpr_lookup_fn cpr_lookup;
static void *cpr_lookup_cls;

void hh_parties_set_cpr_lookup(hh_cpr_lookup_fn fn, void *cls)
{
	cpr_lookup = fn;
	cpr_lookup_cls = cls;
}

/* ---- how many parties a citizen names a day ----------------------------
 *
 * Naming a party looks a CPR number up in the register. The applicant
 * never sees the register's name of someone who has not confirmed
 * (hh_case_parties_json_tx), but a refusal still tells whether a number
 * is in the register; so a citizen names at most
 * HH_PARTY_NAMES_PER_DAY parties in cases sent in the last 24 hours.
 * Counted in the store (the party rows of the citizen's newest cases),
 * so every instance on one database shares the count, which a
 * per-process limiter (core/limit.h) would not. A refused submission
 * writes nothing and so is not counted; tries with numbers that are not
 * in the register are held back by the write limits per client and
 * account (app.c). */

struct named_ctx {
	struct hh_tx *tx;
	struct hh_arena *a;
	int64_t since;
	int n;
};

static enum hh_rc count_party(void *p, const struct hh_case_party *r)
{
	((struct named_ctx *)p)->n++;
	return HH_OK;
}

static enum hh_rc named_case(void *p, const struct hh_case *k)
{
	struct named_ctx *x = p;
	if (k->created_at < x->since)
		return HH_OK;
	return x->tx->store->case_party_list(x->tx, x->a, k->id, count_party, x);
}

static enum hh_rc named_today(struct hh_tx *tx, struct hh_arena *a,
			      int64_t citizen_id, int *n)
{
	struct hh_case_filter f = { .citizen_id = citizen_id,
				    .sort = HH_SORT_NEWEST };
	struct named_ctx x = { tx, a, hh_now_us() / 1000000 - 86400, 0 };
	int64_t total;
	enum hh_rc rc = tx->store->case_list(tx, a, &f, 0, 2 * HH_PARTY_NAMES_PER_DAY,
					     &total, named_case, &x);
	*n = x.n;
	return rc;
}

enum hh_rc hh_parties_check_tx(struct hh_tx *tx, struct hh_arena *a,
			       const struct hh_case_type_def *def,
			       int64_t applicant_id, json_t *values,
			       struct hh_form_result *res,
			       struct hh_party_plan *plan)
{
	memset(plan, 0, sizeof(*plan));
	plan->def = def;
	const struct hh_vault *v = hh_vault_of(tx->store);
	char own[12] = "";
	int have_own = 0, named = 0;
	for (int i = 0; i < def->n_parties; i++) {
		const struct hh_ct_party *d = &def->parties[i];
		const char *given = json_string_value(json_object_get(values, d->cpr_field));
		char norm[12];
		if (!given || !*given)
			continue; /* the field did not apply: no such party */
		if (!hh_form_cond_holds(&d->when, values))
			continue; /* named under other answers only */
		if (hh_cpr_check(given, norm, NULL, 0) > HH_CPR_OK_NO_MOD11)
			continue; /* the form's own check said so already */
		if (!applicant_id) {
			field_error(a, res, d->cpr_field,
				    "Du skal være logget ind for at nævne en anden part i sagen.");
			continue;
		}
		if (!v) {
			/* never a CPR number in clear: no key file, no parties */
			hh_log_bug("case type %s names parties in a store without a vault",
				   def->name);
			return HH_ERR_INTERNAL;
		}
		if (!have_own) {
			struct hh_citizen me;
			enum hh_rc rc = tx->store->citizen_get(tx, a, applicant_id, &me);
			if (rc != HH_OK)
				return rc;
			if ((rc = named_today(tx, a, applicant_id, &named)) != HH_OK)
				return rc;
			if (!me.cpr || hh_cpr_check(me.cpr, own, NULL, 0) > HH_CPR_OK_NO_MOD11)
				own[0] = 0;
			have_own = 1;
		}
		if (*own && !strcmp(own, norm)) {
			field_error(a, res, d->cpr_field,
				    hh_arena_printf(a, "Du kan ikke selv være %s i sagen. "
						    "Skriv den anden parts CPR-nummer.",
						    hh_label_in_sentence(a, d->label)));
			continue;
		}
		if (named + plan->n >= HH_PARTY_NAMES_PER_DAY) {
			field_error(a, res, d->cpr_field,
				    "Du har nævnt mange personer i ansøgninger det "
				    "seneste døgn. Prøv igen i morgen, eller kontakt "
				    "myndigheden.");
			continue;
		}
		int twice = 0;
		for (int k = 0; k < plan->n; k++)
			twice |= !strcmp(plan->named[k].cpr, norm);
		if (twice) {
			field_error(a, res, d->cpr_field,
				    "Den samme person kan kun være part i sagen én gang. "
				    "Tjek CPR-numrene.");
			continue;
		}
		struct hh_citizen z;
		enum hh_rc rc = by_cpr(tx, a, v, norm, &z);
		if (rc == HH_ERR_NOT_FOUND && cpr_lookup &&
		    cpr_lookup(cpr_lookup_cls, norm)) {
			/* p-letters: in the register, not yet in helhed: the
			 * row waits for their sign-in (hh_parties_claim_tx) */
			memset(&z, 0, sizeof(z));
			rc = HH_OK;
		}
		if (rc == HH_ERR_NOT_FOUND) {
			field_error(a, res, d->cpr_field,
				    "Vi kan ikke finde CPR-nummeret i CPR-registret. "
				    "Tjek, at det er skrevet rigtigt.");
			continue;
		}
		if (rc != HH_OK)
			return rc;
		if (z.id == applicant_id) {
			field_error(a, res, d->cpr_field,
				    hh_arena_printf(a, "Du kan ikke selv være %s i sagen. "
						    "Skriv den anden parts CPR-nummer.",
						    hh_label_in_sentence(a, d->label)));
			continue;
		}
		plan->named[plan->n].decl = d;
		plan->named[plan->n].position = i;
		plan->named[plan->n].citizen_id = z.id;
		memcpy(plan->named[plan->n].cpr, norm, sizeof(norm));
		plan->confirming += d->confirm;
		plan->n++;
	}
	return HH_OK;
}

enum hh_rc hh_parties_invite_tx(struct hh_tx *tx, struct hh_arena *a,
				const struct hh_party_plan *plan,
				const struct hh_case *k)
{
	const struct hh_vault *v = hh_vault_of(tx->store);
	enum hh_rc rc = HH_OK;
	if (plan->n && !v)
		return HH_ERR_INTERNAL; /* checked above: never in clear */
	if (plan->n)
		rc = hh_vault_keys_current(tx, a);
	for (int i = 0; rc == HH_OK && i < plan->n; i++) {
		const struct hh_ct_party *d = plan->named[i].decl;
		unsigned char *h = hh_arena_alloc(a, 32);
		struct hh_case_party p = {
			.case_id = k->id,
			.position = plan->named[i].position,
			.confirm = d->confirm,
			.role = d->role,
			.citizen_id = plan->named[i].citizen_id,
			.cpr_key = hh_vault_seal_id(v),
			.cpr_hash = h,
			.cpr_hash_key = hh_vault_hash_id(v),
			.status = d->confirm ? "invited" : "named",
			.invited_at = k->created_at,
		};
		if (d->confirm && !hh_dk_add_period(k->created_at, d->within, &p.expires_at))
			rc = HH_ERR_INTERNAL; /* checked at import */
		if (rc == HH_OK)
			rc = hh_vault_cpr_hash(v, 0, plan->named[i].cpr, h);
		if (rc == HH_OK)
			rc = hh_vault_seal(v, a, plan->named[i].cpr, &p.cpr);
		if (rc == HH_OK)
			rc = tx->store->case_party_insert(tx, &p);
		/* the lookup in the register is a read of their data */
		struct hh_audit e = {
			.actor = hh_arena_printf(a, "citizen:%lld", (long long)k->citizen_id),
			.citizen_id = plan->named[i].citizen_id,
			.what = hh_arena_printf(a, "nævnt som part i sag %lld",
						(long long)k->id),
			.why = "ansøgning" };
		/* (someone helhed does not know yet has no trail: their
		 * sign-in writes it, hh_parties_claim_tx) */
		if (rc == HH_OK && strcmp(d->role, "child") && plan->named[i].citizen_id)
			rc = tx->store->audit_append(tx, &e);
	}
	return rc;
}

/* ---- statuses ----------------------------------------------------------- */

const char *hh_party_status(const struct hh_case_party *p, int64_t now)
{
	if (!strcmp(p->status, "invited") && p->expires_at && p->expires_at < now)
		return "expired";
	return p->status;
}

const char *hh_party_status_label(const char *status)
{
	static const struct {
		const char *key, *label;
	} labels[] = {
		{ "named", "Part i sagen" },   { "invited", "Afventer svar" },
		{ "confirmed", "Bekræftet" },  { "declined", "Afvist" },
		{ "expired", "Ikke besvaret i tide" },
		{ "withdrawn", "Ikke besvaret: sagen blev lukket" },
	};
	for (size_t i = 0; status && i < sizeof(labels) / sizeof(labels[0]); i++)
		if (!strcmp(labels[i].key, status))
			return labels[i].label;
	return status;
}

/* ---- reading the parties of a case ------------------------------------- */

struct party_list {
	struct hh_arena *a;
	struct hh_case_party *rows;
	size_t n, cap;
};

static enum hh_rc party_row(void *p, const struct hh_case_party *r)
{
	struct party_list *l = p;
	l->rows = hh_arena_grow(l->a, l->rows, l->n, &l->cap, sizeof(*l->rows),
				16);
	l->rows[l->n++] = *r;
	return HH_OK;
}

static enum hh_rc parties_of(struct hh_tx *tx, struct hh_arena *a,
			     int64_t case_id, struct party_list *l)
{
	memset(l, 0, sizeof(*l));
	l->a = a;
	return tx->store->case_party_list(tx, a, case_id, party_row, l);
}

/* The case's state and version as its events keep them (new text). */
static char *state_json(const struct hh_case *k, const char *role,
			const char *answer)
{
	json_t *j = json_pack("{s:s, s:I, s:I}", "state", k->state, "version",
			      (json_int_t)k->version, "deadline_at",
			      (json_int_t)k->deadline_at);
	if (role)
		json_object_set_new(j, "party", json_string(role));
	if (answer)
		json_object_set_new(j, "answer", json_string(answer));
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	return s;
}

enum hh_rc hh_case_event_tx(struct hh_tx *tx, const char *actor,
			    const struct hh_case *k, const char *action,
			    char *before, char *after)
{
	struct hh_event e = { .actor = actor, .org_id = k->org_id, .entity = "case",
			      .entity_id = k->id, .action = action,
			      .before = before, .after = after };
	enum hh_rc rc = tx->store->event_append(tx, &e);
	free(before);
	free(after);
	return rc;
}

/* The parties of case case_id still invited, but for party except:
 * "withdrawn" (the case was closed before they answered), in tx. */
static enum hh_rc withdraw_others(struct hh_tx *tx, struct hh_arena *a,
				  int64_t case_id, int64_t except)
{
	struct party_list l;
	enum hh_rc rc = parties_of(tx, a, case_id, &l);
	for (size_t i = 0; rc == HH_OK && i < l.n; i++) {
		struct hh_case_party *q = &l.rows[i];
		if (q->id == except || strcmp(q->status, "invited"))
			continue;
		int64_t expected = q->version;
		q->status = "withdrawn";
		rc = tx->store->case_party_update(tx, q, expected);
	}
	return rc;
}

const char *hh_case_confirmed_to(const struct hh_case_type_def *def,
				 const struct hh_case *k)
{
	if (!def->confirmed_state)
		return def->initial;
	json_error_t e;
	json_t *data = json_loads(k->data ? k->data : "{}", 0, &e);
	int holds = data && hh_form_cond_holds(&def->confirmed_when, data);
	json_decref(data);
	return holds ? def->confirmed_state : def->initial;
}

/* ---- answering ---------------------------------------------------------- */

struct answer_ctx {
	struct hh_arena *a;
	const struct hh_actor *who;
	int64_t id;
	int confirm;
	struct hh_case *out;
	enum hh_party_fault fault;
};

static enum hh_rc answer_tx(struct hh_tx *tx, void *p)
{
	struct answer_ctx *x = p;
	struct hh_store *st = tx->store;
	struct hh_case *k = x->out;
	x->fault = HH_PARTY_FINE;
	enum hh_rc rc = st->case_get(tx, x->a, x->id, k);
	if (rc != HH_OK)
		return rc;
	struct party_list l;
	if ((rc = parties_of(tx, x->a, k->id, &l)) != HH_OK)
		return rc;
	struct hh_case_party *me = NULL;
	for (size_t i = 0; i < l.n; i++)
		if (l.rows[i].confirm && l.rows[i].citizen_id == x->who->citizen_id)
			me = &l.rows[i];
	/* the access table: a party answers only their own invitation */
	struct hh_owner o = { k->org_id, me ? me->citizen_id : 0 };
	if (!me || hh_access(x->who, HH_RES_CASE_PARTY, HH_ACT_CHANGE, &o) != HH_OK)
		return HH_ERR_NOT_FOUND;
	int64_t now = hh_now_us() / 1000000;
	const char *status = hh_party_status(me, now);
	if (strcmp(status, "invited")) {
		x->fault = !strcmp(status, "expired")	  ? HH_PARTY_EXPIRED
			   : !strcmp(status, "withdrawn") ? HH_PARTY_CLOSED
							  : HH_PARTY_ANSWERED;
		return HH_ERR_CONFLICT;
	}
	struct hh_case_type row;
	struct hh_case_type_def def;
	if ((rc = hh_case_type_load(tx, x->a, NULL, k->case_type_id, &row, &def)) != HH_OK)
		return rc;
	if (k->closed_at || !def.confirm_state || strcmp(k->state, def.confirm_state)) {
		x->fault = HH_PARTY_CLOSED;
		rc = HH_ERR_CONFLICT;
		goto done;
	}
	if (x->confirm && def.agreement.present) {
		/* p-agree: confirming an agreement is signing it */
		x->fault = HH_PARTY_SIGN;
		rc = HH_ERR_CONFLICT;
		goto done;
	}
	int64_t expected = me->version;
	me->status = x->confirm ? "confirmed" : "declined";
	me->answered_at = now;
	rc = st->case_party_update(tx, me, expected);
	int all = 1;
	for (size_t i = 0; i < l.n; i++)
		all &= !l.rows[i].confirm || !strcmp(l.rows[i].status, "confirmed");
	char *before = state_json(k, NULL, NULL);
	const char *to = !x->confirm ? def.declined_state : all ? hh_case_confirmed_to(&def, k) : NULL;
	if (to)
		hh_case_move(k, &def, to, now);
	/* a decline closes the case: whoever else was invited is not
	 * waited for any more */
	if (rc == HH_OK && !x->confirm)
		rc = withdraw_others(tx, x->a, k->id, me->id);
	/* every answer writes the case (its version): two parties answering
	 * at once are one after the other, on either backend */
	if (rc == HH_OK)
		rc = st->case_update(tx, k, k->version);
	/* p-letters: a decline closed it; the applicant and the parties
	 * are told by letter, in this transaction */
	if (rc == HH_OK && !x->confirm)
		rc = hh_party_letters_closed_tx(tx, x->a, k, &def, me, 0);
	if (rc == HH_OK)
		rc = hh_case_event_tx(tx, hh_arena_printf(x->a, "citizen:%lld",
						    (long long)x->who->citizen_id),
				k, x->confirm ? "party_confirm" : "party_decline",
				before, state_json(k, me->role, me->status));
	else
		free(before);
	if (rc == HH_OK)
		rc = st->case_get(tx, x->a, k->id, k);
done:
	hh_case_type_def_clear(&def);
	return rc;
}

enum hh_rc hh_party_answer(struct hh_store *st, struct hh_arena *a,
			   const struct hh_actor *who, int64_t id, int confirm,
			   struct hh_case *out, enum hh_party_fault *fault)
{
	*fault = HH_PARTY_FINE;
	if (hh_access_scope(who, HH_RES_CASE_PARTY, HH_ACT_CHANGE) !=
	    HH_SCOPE_OWN_CITIZEN)
		return HH_ERR_FORBIDDEN;
	if (who->loa < HH_LOA_SUBSTANTIAL) {
		*fault = HH_PARTY_ASSURANCE;
		return HH_ERR_FORBIDDEN;
	}
	/* an invitation that ran out closes its case first (nothing of this
	 * answer is written then); the answer reads expires_at itself, so a
	 * failing pass does not stop it */
	hh_parties_expire_before_read(st);
	struct answer_ctx x = { a, who, id, confirm, out, HH_PARTY_FINE };
	enum hh_rc rc = hh_store_run_tx(st, 1, answer_tx, &x);
	*fault = x.fault;
	if (rc == HH_OK)
		hh_store_changed(st, &(struct hh_change){
					     "case", out->id, out->org_id,
					     confirm ? "party_confirm" : "party_decline" });
	if (rc == HH_OK && !confirm)
		hh_messages_queued(st, 0); /* the closing letters (p-letters) */
	return rc;
}

/* ---- expiry ------------------------------------------------------------- */

/* One due invitation, expired in a transaction of its own: a row that
 * cannot be processed (its case type no longer loads, a store error) is
 * logged and skipped, and the others still expire (review of issue 16,
 * M2). */
struct expire_ctx {
	struct hh_arena *a;
	int64_t now;
	struct hh_case_party q;
	int moved; /* the case was closed by it */
	int64_t case_id, org_id;
};

static enum hh_rc expire_tx(struct hh_tx *tx, void *p)
{
	struct expire_ctx *x = p;
	struct hh_store *st = tx->store;
	struct hh_case_party q = x->q;
	x->moved = 0;
	int64_t expected = q.version;
	q.status = "expired";
	enum hh_rc rc = st->case_party_update(tx, &q, expected);
	if (rc != HH_OK)
		return rc; /* CONFLICT: answered meanwhile */
	struct hh_case k;
	if ((rc = st->case_get(tx, x->a, q.case_id, &k)) != HH_OK)
		return rc;
	struct hh_case_type row;
	struct hh_case_type_def def;
	if ((rc = hh_case_type_load(tx, x->a, NULL, k.case_type_id, &row, &def)) != HH_OK)
		return rc;
	if (!k.closed_at && def.confirm_state && !strcmp(k.state, def.confirm_state)) {
		char *before = state_json(&k, NULL, NULL);
		hh_case_move(&k, &def, def.declined_state, x->now);
		rc = st->case_update(tx, &k, k.version);
		if (rc == HH_OK)
			rc = hh_case_event_tx(tx, "system", &k, "party_expired", before,
					state_json(&k, q.role, "expired"));
		else
			free(before);
		if (rc == HH_OK)
			rc = withdraw_others(tx, x->a, k.id, q.id);
		/* p-letters: the applicant and the parties are told */
		if (rc == HH_OK)
			rc = hh_party_letters_closed_tx(tx, x->a, &k, &def, &q, 1);
		x->moved = rc == HH_OK;
		x->case_id = k.id;
		x->org_id = k.org_id;
	}
	hh_case_type_def_clear(&def);
	return rc;
}

struct due_ctx {
	struct hh_arena *a;
	int64_t now;
	int limit;
	struct party_list due;
};

static enum hh_rc due_tx(struct hh_tx *tx, void *p)
{
	struct due_ctx *d = p;
	memset(&d->due, 0, sizeof(d->due));
	d->due.a = d->a;
	return tx->store->case_party_due(tx, d->a, d->now, d->limit, party_row,
					 &d->due);
}

enum hh_rc hh_parties_expire(struct hh_store *st, int64_t now, int limit,
			     int *n)
{
	if (n)
		*n = 0;
	struct hh_arena a;
	hh_arena_init(&a);
	/* a read first: nearly always there is nothing due, and a write
	 * transaction on every read of Mit overblik would queue writers */
	struct due_ctx d = { .a = &a, .now = now,
			     .limit = limit > 0 && limit <= 256 ? limit : 200 };
	enum hh_rc rc = hh_store_run_tx(st, 0, due_tx, &d);
	int done = 0;
	for (size_t i = 0; rc == HH_OK && i < d.due.n; i++) {
		struct expire_ctx x = { .a = &a, .now = now, .q = d.due.rows[i] };
		enum hh_rc one = hh_store_run_tx(st, 1, expire_tx, &x);
		if (one == HH_OK) {
			done++;
			if (x.moved) {
				hh_store_changed(st, &(struct hh_change){ "case", x.case_id,
									   x.org_id,
									   "party_expired" });
				hh_messages_queued(st, 0); /* its letters */
			}
		} else if (one != HH_ERR_CONFLICT) {
			hh_log(HH_LOG_WARN, "parties: invitation %lld of case %lld "
			       "not expired (%s); skipped until the next pass",
			       (long long)x.q.id, (long long)x.q.case_id, hh_rc_name(one));
		}
	}
	if (n)
		*n = done;
	hh_arena_clear(&a);
	return rc;
}

/* A failing pass is logged and the read goes on (every read shows an
 * invitation past its time as expired anyway, hh_party_status). */
void hh_parties_expire_before_read(struct hh_store *st)
{
	enum hh_rc rc = hh_parties_expire(st, hh_now_us() / 1000000, 0, NULL);
	if (rc != HH_OK)
		hh_log(HH_LOG_WARN, "parties: the expiry pass failed (%s); read "
		       "without it", hh_rc_name(rc));
}

/* ---- what a party sees -------------------------------------------------- */

/* The shared fields of data for party decl, as people read them:
 * [{"field", "label", "value"}] (new). An applicant with name and
 * address protection (protected) never has an address field shown,
 * shared or not. */
static json_t *shared_json(const struct hh_case_type_def *def,
			   const struct hh_ct_party *decl, const char *data,
			   int protected)
{
	json_t *out = json_array();
	json_error_t e;
	json_t *values = json_loads(data ? data : "{}", 0, &e);
	json_t *display = values ? hh_form_values_display(&def->form_def, values) : NULL;
	for (int i = 0; decl && display && i < decl->n_shared; i++) {
		const struct hh_form_field *f = hh_form_field(&def->form_def, decl->shared[i]);
		json_t *v = json_object_get(display, decl->shared[i]);
		if (!f || !v || (protected && f->type == HH_FIELD_ADDRESS))
			continue;
		/* the party's wording, where the case type gives one */
		const char *label = json_string_value(json_object_get(decl->party_labels,
								       f->name));
		const char *raw = json_string_value(json_object_get(values, f->name));
		const char *text =
			raw ? json_string_value(json_object_get(
				      json_object_get(decl->party_options, f->name), raw))
			    : NULL;
		json_array_append_new(out, json_pack("{s:s, s:s, s:o}", "field", f->name,
						     "label", label ? label : f->label,
						     "value",
						     text ? json_string(text) : json_incref(v)));
	}
	json_decref(display);
	json_decref(values);
	return out;
}

struct own_letters {
	int64_t citizen_id;
	json_t *out;
};

static enum hh_rc own_letter(void *p, const struct hh_letter *l)
{
	struct own_letters *x = p;
	if (l->citizen_id != x->citizen_id || strcmp(l->state, "sent"))
		return HH_OK;
	char at[21];
	hh_time_iso(l->sent_at, at);
	json_array_append_new(x->out, json_pack("{s:I, s:s, s:s}", "id",
						(json_int_t)l->id, "title", l->title,
						"sent_at", at));
	return HH_OK;
}

/* Does decl share a field of type address with its party? */
static int shares_address(const struct hh_case_type_def *def,
			  const struct hh_ct_party *decl)
{
	for (int i = 0; decl && i < decl->n_shared; i++) {
		const struct hh_form_field *f = hh_form_field(&def->form_def, decl->shared[i]);
		if (f && f->type == HH_FIELD_ADDRESS)
			return 1;
	}
	return 0;
}

/* Fills w from its party row (w->party) and its case (k, or NULL: read
 * here): OK with *shown 0 when the case type is gone. A case type that
 * no longer declares the party's role shares nothing with them (w->decl
 * NULL, w->shared empty). */
static enum hh_rc invitation_fill(struct hh_tx *tx, struct hh_arena *a,
				  struct hh_ct_cache *cts, int64_t now,
				  const struct hh_case *k,
				  struct hh_invitation *w, int *shown)
{
	*shown = 0;
	w->status = hh_party_status(&w->party, now);
	enum hh_rc rc = HH_OK;
	if (k)
		w->c = *k;
	else
		rc = tx->store->case_get(tx, a, w->party.case_id, &w->c);
	if (rc != HH_OK)
		return rc;
	w->def = hh_ct_cache_get(tx, a, cts, w->c.case_type_id);
	if (!w->def)
		return HH_OK; /* the case type is gone */
	/* by role, never by the row's position: a re-import may reorder the
	 * case type's parties (p-fix) */
	w->decl = hh_ct_party(w->def, w->party.role);
	w->applicant = w->c.citizen_name;
	/* name and address protection (0042): the applicant's address is
	 * never shown to the other party; asked only when an address is
	 * shared (p-bench: one round trip per invitation in Mit overblik) */
	int protected = 0;
	if (w->c.citizen_id && shares_address(w->def, w->decl) &&
	    (rc = tx->store->citizen_protected_get(tx, w->c.citizen_id, &protected)) != HH_OK)
		return rc;
	w->shared = shared_json(w->def, w->decl, w->c.data, protected);
	if (k)
		w->c.data = NULL; /* read with its CPR numbers sealed: the
				     shared fields above are all it is for */
	hh_arena_defer(a, hh_json_release, w->shared);
	/* p-letters: the letters to this party, theirs alone */
	struct own_letters ol = { w->party.citizen_id, json_array() };
	w->letters = ol.out;
	hh_arena_defer(a, hh_json_release, w->letters);
	rc = tx->store->letter_list_case(tx, a, w->c.id, own_letter, &ol);
	if (rc != HH_OK)
		return rc;
	*shown = 1;
	return HH_OK;
}

/* The cases of the party rows in l, read in one case_list. */
struct case_set {
	struct hh_arena *a;
	struct hh_case *rows;
	size_t n, cap;
};

static enum hh_rc case_set_row(void *p, const struct hh_case *k)
{
	struct case_set *s = p;
	s->rows = hh_arena_grow(s->a, s->rows, s->n, &s->cap, sizeof(*s->rows), 16);
	s->rows[s->n++] = *k;
	return HH_OK;
}

static enum hh_rc cases_of(struct hh_tx *tx, struct hh_arena *a,
			   const struct party_list *l, struct case_set *s)
{
	const char *ids = "[";
	for (size_t i = 0; i < l->n; i++)
		ids = hh_arena_printf(a, "%s%s%lld", ids, i ? "," : "",
				      (long long)l->rows[i].case_id);
	/* the invitation labels the state from the definition, and shows
	 * shared fields only, never a CPR number (refused at import): the
	 * data's CPR numbers stay sealed */
	struct hh_case_filter f = { .case_ids = hh_arena_printf(a, "%s]", ids),
				    .sort = HH_SORT_NEWEST, .without_labels = 1,
				    .data_sealed = 1 };
	return tx->store->case_list(tx, a, &f, 0, (int64_t)l->n, NULL,
				    case_set_row, s);
}

/* Case id of s, or NULL (then invitation_fill reads it itself). */
static const struct hh_case *case_in(const struct case_set *s, int64_t id)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->rows[i].id == id)
			return &s->rows[i];
	return NULL;
}

enum hh_rc hh_invitations_tx(struct hh_tx *tx, struct hh_arena *a,
			     int64_t citizen_id, int64_t now,
			     struct hh_invitation **out, int *n)
{
	*out = NULL;
	*n = 0;
	struct party_list l = { .a = a };
	enum hh_rc rc = tx->store->case_party_of_citizen(tx, a, citizen_id,
							 HH_OVERVIEW_INVITATIONS,
							 party_row, &l);
	if (rc != HH_OK || !l.n)
		return rc;
	struct hh_invitation *v = hh_arena_calloc(a, l.n * sizeof(*v));
	struct hh_ct_cache cts;
	memset(&cts, 0, sizeof(cts));
	/* p-bench: the cases in one read, not one each (on PostgreSQL 50
	 * round trips, each unpacking its case type's states) */
	struct case_set cs = { .a = a };
	rc = cases_of(tx, a, &l, &cs);
	int k = 0;
	for (size_t i = 0; rc == HH_OK && i < l.n; i++) {
		int shown;
		if (!strcmp(l.rows[i].role, "child"))
			continue; /* named in the case, never shown it */
		v[k].party = l.rows[i];
		rc = invitation_fill(tx, a, &cts, now, case_in(&cs, l.rows[i].case_id),
				     &v[k], &shown);
		k += shown;
	}
	*out = v;
	*n = k;
	return rc;
}

struct read_ctx {
	struct hh_arena *a;
	const struct hh_actor *who;
	int64_t id;
	struct hh_invitation *out;
};

static enum hh_rc read_tx(struct hh_tx *tx, void *p)
{
	struct read_ctx *x = p;
	struct party_list l;
	enum hh_rc rc = parties_of(tx, x->a, x->id, &l);
	if (rc != HH_OK)
		return rc;
	const struct hh_case_party *me = NULL;
	/* a child is named in the case, never shown it */
	for (size_t i = 0; i < l.n; i++)
		if (l.rows[i].citizen_id && l.rows[i].citizen_id == x->who->citizen_id &&
		    strcmp(l.rows[i].role, "child"))
			me = &l.rows[i];
	struct hh_owner o = { 0, me ? me->citizen_id : 0 };
	if (!me || hh_access(x->who, HH_RES_CASE_PARTY, HH_ACT_READ, &o) != HH_OK)
		return HH_ERR_NOT_FOUND;
	struct hh_ct_cache cts;
	memset(&cts, 0, sizeof(cts));
	int shown;
	x->out->party = *me;
	rc = invitation_fill(tx, x->a, &cts, hh_now_us() / 1000000, NULL, x->out,
			     &shown);
	if (rc == HH_OK && shown && x->who->loa < HH_LOA_SUBSTANTIAL) {
		json_array_clear(x->out->shared);
		x->out->low_assurance = 1;
	}
	return rc == HH_OK && !shown ? HH_ERR_NOT_FOUND : rc;
}

struct shared_audit_ctx {
	struct hh_arena *a;
	const struct hh_actor *who;
	const struct hh_invitation *v;
	int n;
};

static enum hh_rc shared_audit_tx(struct hh_tx *tx, void *p)
{
	struct shared_audit_ctx *x = p;
	/* one statement for them all (p-bench: Mit overblik with 50
	 * invitations made 50 round trips on PostgreSQL) */
	struct hh_audit *e = hh_arena_calloc(x->a, (size_t)x->n * sizeof(*e));
	int n = 0;
	for (int i = 0; i < x->n; i++) {
		const struct hh_invitation *v = &x->v[i];
		if (!v->c.citizen_id || !json_array_size(v->shared))
			continue;
		e[n++] = (struct hh_audit){
			.actor = hh_arena_printf(x->a, "citizen:%lld",
						 (long long)x->who->citizen_id),
			.citizen_id = v->c.citizen_id,
			.what = hh_arena_printf(x->a, "det, du skrev til %s, i sag %lld",
						hh_label_in_sentence(x->a, hh_invitation_label(v)),
						(long long)v->c.id),
			.why = "part i sagen" };
	}
	return tx->store->audit_append_many(tx, e, n);
}

enum hh_rc hh_invitations_audit(struct hh_store *st, struct hh_arena *a,
				const struct hh_actor *who,
				const struct hh_invitation *v, int n)
{
	int any = 0;
	for (int i = 0; i < n; i++)
		any |= v[i].c.citizen_id && json_array_size(v[i].shared) > 0;
	if (!any)
		return HH_OK;
	struct shared_audit_ctx x = { a, who, v, n };
	return hh_store_run_tx(st, 1, shared_audit_tx, &x);
}

enum hh_rc hh_invitation_read(struct hh_store *st, struct hh_arena *a,
			      const struct hh_actor *who, int64_t id,
			      struct hh_invitation *out)
{
	memset(out, 0, sizeof(*out));
	if (hh_access_scope(who, HH_RES_CASE_PARTY, HH_ACT_READ) != HH_SCOPE_OWN_CITIZEN)
		return HH_ERR_FORBIDDEN;
	hh_parties_expire_before_read(st);
	struct read_ctx x = { a, who, id, out };
	enum hh_rc rc = hh_store_run_tx(st, 0, read_tx, &x);
	/* what the applicant wrote, read by the party: in the applicant's
	 * audit trail */
	if (rc == HH_OK)
		rc = hh_invitations_audit(st, a, who, out, 1);
	return rc;
}

const char *hh_invitation_state_label(const struct hh_invitation *v)
{
	const struct hh_ct_state *s = hh_ct_state(v->def, v->c.state);
	if (!s)
		return v->c.state;
	/* a paused state is written for the applicant ("Afventer dig"):
	 * the party reads a neutral one, but for the state that waits for
	 * the parties themselves */
	if (s->paused && !s->final &&
	    !(v->def->confirm_state && !strcmp(s->key, v->def->confirm_state)))
		return "Sagen venter på ansøgeren";
	return s->label ? s->label : v->c.state;
}

const char *hh_invitation_label(const struct hh_invitation *v)
{
	return v->decl ? v->decl->label : "Part i sagen";
}

json_t *hh_invitation_json(const struct hh_invitation *v)
{
	char exp[21], ans[21], created[21];
	hh_time_iso(v->party.expires_at, exp);
	hh_time_iso(v->party.answered_at, ans);
	hh_time_iso(v->c.created_at, created);
	json_t *j = json_pack(
		"{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:O}",
		"case_id", (json_int_t)v->c.id, "case_type", v->c.case_type_code,
		"case_type_name", v->c.case_type_name, "organisation_name",
		v->c.org_name, "role", v->party.role, "label", hh_invitation_label(v),
		"status", v->status, "status_label", hh_party_status_label(v->status),
		"state_label", hh_invitation_state_label(v), "closed",
		v->c.closed_at != 0, "created_at", created, "shared", v->shared);
	json_object_set_new(j, "shared_withheld", json_boolean(!v->decl));
	json_object_set_new(j, "letters", v->letters ? json_incref(v->letters) : json_array());
	json_object_set_new(j, "applicant",
			    v->applicant ? json_string(v->applicant) : json_null());
	json_object_set_new(j, "expires_at",
			    v->party.expires_at ? json_string(exp) : json_null());
	json_object_set_new(j, "answered_at",
			    v->party.answered_at ? json_string(ans) : json_null());
	json_object_set_new(j, "may_answer",
			    json_boolean(!strcmp(v->status, "invited") &&
					 !v->c.closed_at && v->def->confirm_state &&
					 !strcmp(v->c.state, v->def->confirm_state)));
	return j;
}

struct name_ctx {
	const char *name;
};

enum hh_rc hh_case_parties_json_tx(struct hh_tx *tx, struct hh_arena *a,
				   const struct hh_case *k,
				   const struct hh_case_type_def *def,
				   int64_t now, int for_applicant, json_t **out)
{
	*out = NULL;
	struct party_list l;
	enum hh_rc rc = parties_of(tx, a, k->id, &l);
	if (rc != HH_OK)
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; rc == HH_OK && i < l.n; i++) {
		const struct hh_case_party *p = &l.rows[i];
		const struct hh_ct_party *d = hh_ct_party(def, p->role);
		struct hh_citizen z = { 0 };
		const char *status = hh_party_status(p, now);
		/* the applicant typed a CPR number, not a name: the register's
		 * name is theirs to see only once that party has confirmed,
		 * and never a protected citizen's (staff see it, audited by
		 * the caller) */
		int protected = 0;
		int name_it = p->citizen_id &&
			      (!for_applicant || !strcmp(status, "confirmed"));
		if (name_it && for_applicant)
			rc = tx->store->citizen_protected_get(tx, p->citizen_id,
							      &protected);
		if (rc == HH_OK && name_it && !protected) {
			rc = tx->store->citizen_get(tx, a, p->citizen_id, &z);
			if (rc == HH_ERR_NOT_FOUND)
				rc = HH_OK;
		}
		if (rc != HH_OK)
			break;
		char exp[21], ans[21];
		hh_time_iso(p->expires_at, exp);
		hh_time_iso(p->answered_at, ans);
		json_t *j = json_pack("{s:s, s:s, s:s, s:s}", "role", p->role, "label",
				      d ? d->label : p->role, "status", status,
				      "status_label", hh_party_status_label(status));
		json_object_set_new(j, "name", z.name ? json_string(z.name) : json_null());
		/* p-letters: staff are told of name and address protection,
		 * so that no address of theirs goes into a letter to the
		 * other party */
		if (!for_applicant && p->citizen_id) {
			int prot = 0;
			rc = tx->store->citizen_protected_get(tx, p->citizen_id, &prot);
			json_object_set_new(j, "address_protected", json_boolean(prot));
		}
		json_object_set_new(j, "expires_at",
				    p->expires_at ? json_string(exp) : json_null());
		json_object_set_new(j, "answered_at",
				    p->answered_at ? json_string(ans) : json_null());
		json_array_append_new(arr, j);
	}
	if (rc != HH_OK) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return HH_OK;
}

struct named_audit_ctx {
	struct hh_arena *a;
	const struct hh_case *k;
};

static enum hh_rc named_audit_tx(struct hh_tx *tx, void *p)
{
	struct named_audit_ctx *x = p;
	struct party_list l;
	enum hh_rc rc = parties_of(tx, x->a, x->k->id, &l);
	for (size_t i = 0; rc == HH_OK && i < l.n; i++) {
		int protected = 0;
		if (!l.rows[i].citizen_id || strcmp(l.rows[i].status, "confirmed"))
			continue;
		rc = tx->store->citizen_protected_get(tx, l.rows[i].citizen_id, &protected);
		if (rc != HH_OK || protected)
			continue;
		struct hh_audit e = {
			.actor = hh_arena_printf(x->a, "citizen:%lld",
						 (long long)x->k->citizen_id),
			.citizen_id = l.rows[i].citizen_id,
			.what = hh_arena_printf(x->a, "navn og svar som part i sag %lld",
						(long long)x->k->id),
			.why = "ansøgerens egen sag" };
		rc = tx->store->audit_append(tx, &e);
	}
	return rc;
}

enum hh_rc hh_case_parties_named_audit(struct hh_store *st, struct hh_arena *a,
				       const struct hh_case *k)
{
	struct named_audit_ctx x = { a, k };
	return hh_store_run_tx(st, 1, named_audit_tx, &x);
}

enum hh_rc hh_case_parties_audit_tx(struct hh_tx *tx, struct hh_arena *a,
				    const struct hh_case *k, const char *actor,
				    const char *why)
{
	struct party_list l;
	enum hh_rc rc = parties_of(tx, a, k->id, &l);
	for (size_t i = 0; rc == HH_OK && i < l.n; i++) {
		if (!l.rows[i].citizen_id)
			continue;
		/* a child named in a parent's case reads of it neutrally:
		 * their own audit trail does not tell them of the case */
		int child = !strcmp(l.rows[i].role, "child");
		struct hh_audit e = { .actor = actor,
				      .citizen_id = l.rows[i].citizen_id,
				      .what = child ? hh_arena_printf(a, "oplysninger om dig hos %s",
								      k->org_name ? k->org_name
										  : "en myndighed")
						    : hh_arena_printf(a, "sag %lld (part i sagen)",
								      (long long)k->id),
				      .why = why };
		rc = tx->store->audit_append(tx, &e);
	}
	return rc;
}

/* ---- the letters to the invited (p-letters) ---------------------------- */

enum hh_rc hh_parties_letters_tx(struct hh_tx *tx, struct hh_arena *a,
				 const struct hh_party_plan *plan,
				 const struct hh_case *k)
{
	if (!plan->n || !plan->confirming || !plan->def)
		return HH_OK;
	struct party_list l;
	enum hh_rc rc = parties_of(tx, a, k->id, &l);
	for (size_t i = 0; rc == HH_OK && i < l.n; i++)
		rc = hh_party_letter_invited_tx(tx, a, k, plan->def, &l.rows[i]);
	return rc;
}

/* ---- found at their sign-in (p-letters, issue 16 point 3) --------------- */

struct claim_ctx {
	struct hh_arena *a;
	struct party_list rows;
};

static enum hh_rc claim_row(void *p, const struct hh_case_party *r)
{
	return party_row(&((struct claim_ctx *)p)->rows, r);
}

/* 1 when a and b have the same digits (a CPR number with or without its
 * hyphen). */
static int same_digits(const char *a, const char *b)
{
	for (;;) {
		while (*a && (*a < '0' || *a > '9'))
			a++;
		while (*b && (*b < '0' || *b > '9'))
			b++;
		if (*a != *b)
			return 0;
		if (!*a)
			return 1;
		a++, b++;
	}
}

enum hh_rc hh_parties_claim_tx(struct hh_tx *tx, struct hh_arena *a,
			       int64_t citizen_id, const char *cpr, int *n)
{
	if (n)
		*n = 0;
	const struct hh_vault *v = hh_vault_of(tx->store);
	char norm[12];
	if (!v || !cpr || !citizen_id ||
	    hh_cpr_check(cpr, norm, NULL, 0) > HH_CPR_OK_NO_MOD11)
		return HH_OK; /* no key file: no party rows without a citizen */
	struct claim_ctx x = { .a = a, .rows = { .a = a } };
	unsigned char h[32];
	enum hh_rc rc = HH_OK;
	/* under each hash key the vault knows (a rotation may be half-way) */
	for (int i = 0; rc == HH_OK && i < HH_VAULT_KEYS_MAX &&
			hh_vault_cpr_hash(v, i, norm, h) == HH_OK;
	     i++)
		rc = tx->store->case_party_unclaimed(tx, a, h, claim_row, &x);
	int64_t now = hh_now_us() / 1000000;
	for (size_t i = 0; rc == HH_OK && i < x.rows.n; i++) {
		struct hh_case_party *p = &x.rows.rows[i];
		/* r-letters: the keyed hash found it; the sealed number must
		 * be this person's too, so that not even a collision hands
		 * someone another person's invitation */
		const char *clear = NULL;
		if (!p->cpr || hh_vault_open(v, a, p->cpr, &clear) != HH_OK ||
		    !same_digits(clear, norm)) {
			hh_log_bug("parties: party row %lld matches citizen %lld's CPR "
				   "hash but not the sealed number; not claimed",
				   (long long)p->id, (long long)citizen_id);
			continue;
		}
		if ((rc = tx->store->case_party_claim(tx, p->id, citizen_id)) != HH_OK)
			break;
		p->citizen_id = citizen_id;
		if (n)
			(*n)++;
		struct hh_case k;
		if ((rc = tx->store->case_get(tx, a, p->case_id, &k)) != HH_OK)
			break;
		if (strcmp(p->role, "child")) {
			struct hh_audit e = {
				.actor = hh_arena_printf(a, "citizen:%lld",
							 (long long)k.citizen_id),
				.citizen_id = citizen_id,
				.what = hh_arena_printf(a, "nævnt som part i sag %lld",
							(long long)k.id),
				.why = "ansøgning" };
			if ((rc = tx->store->audit_append(tx, &e)) != HH_OK)
				break;
		}
		/* the invitation letter that could not go before: while the
		 * case still waits for them */
		struct hh_case_type row;
		struct hh_case_type_def def;
		if (strcmp(hh_party_status(p, now), "invited") || k.closed_at)
			continue;
		if ((rc = hh_case_type_load(tx, a, NULL, k.case_type_id, &row, &def)) != HH_OK)
			break;
		if (def.confirm_state && !strcmp(k.state, def.confirm_state))
			rc = hh_party_letter_invited_tx(tx, a, &k, &def, p);
		hh_case_type_def_clear(&def);
	}
	return rc;
}
