/* messages.c - Digital Post delivery (see messages.h). */
#include "domain/messages.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/dktime.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/access.h"
#include "domain/cases.h"
#include "domain/letterdoc.h"
#include "post/spool.h"
#include "render/letter.h"
#include "render/memo.h"

static atomic_llong total_deliveries, total_failures;

void hh_messages_totals(struct hh_deliver_totals *out)
{
	out->deliveries = atomic_load(&total_deliveries);
	out->failures = atomic_load(&total_failures);
}

int64_t hh_messages_backoff(int64_t attempts)
{
	int64_t s = HH_MSG_RETRY_FIRST;
	for (int64_t i = 1; i < attempts && s < HH_MSG_RETRY_MAX; i++)
		s *= 2;
	return s < HH_MSG_RETRY_MAX ? s : HH_MSG_RETRY_MAX;
}

static int blank(const char *s)
{
	return !s || !*s;
}

/* ---- one change of state: the row and its event ------------------------ */

/* Writes m (which was in state `from`) and its event with text, in tx.
 * CONFLICT when someone changed the message first. */
static enum hh_rc change(struct hh_tx *tx, const char *actor,
			 const struct hh_message_row *row,
			 const struct hh_message *m, const char *from,
			 const char *text)
{
	enum hh_rc rc = tx->store->message_update(tx, m, from);
	if (rc != HH_OK)
		return rc;
	json_t *after = json_pack("{s:s, s:I, s:s, s:s?, s:s}", "message_id",
				  m->message_id, "letter_id",
				  (json_int_t)m->letter_id, "message_state",
				  m->state, "channel", m->channel, "text", text);
	if (m->last_error)
		json_object_set_new(after, "reason", json_string(m->last_error));
	/* whose letter: a party's (p-letters) is not the applicant's to see
	 * in the case's history (pages/overview.c) */
	if (m->citizen_id)
		json_object_set_new(after, "citizen_id", json_integer(m->citizen_id));
	char *a = json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(after);
	struct hh_event e = {
		.actor = actor, .org_id = m->org_id,
		.entity = row->case_id ? "case" : "message",
		.entity_id = row->case_id ? row->case_id : m->id,
		.action = "message", .after = a,
	};
	rc = tx->store->event_append(tx, &e);
	free(a);
	return rc;
}

/* Why a letter waiting for print must not be printed now (r-letters),
 * NULL when it may: name and address protection that came after it was
 * routed. Its recipient's (the batch would print a letter without an
 * address nobody can deliver), or, for a letter to a party of a case
 * (kind party_*), the applicant's: its text was merged when the
 * protection was not there and may quote their address
 * ({{applicant.address}}, an address field). Such a letter goes to the
 * error queue; staff check it and send it by hand. */
static const char *const HELD_RECIPIENT =
	"Borgeren har navne- og adressebeskyttelse og kan ikke få brevet i "
	"Digital Post: send det manuelt efter reglerne for beskyttede adresser";
static const char *const HELD_APPLICANT =
	"Ansøgeren har fået navne- og adressebeskyttelse, efter brevet blev "
	"skrevet, og brevet kan nævne ansøgerens adresse: tjek brevet, og send "
	"det manuelt efter reglerne for beskyttede adresser";

static enum hh_rc protected_now(struct hh_tx *tx, int64_t citizen_id, int *on)
{
	*on = 0;
	enum hh_rc rc = tx->store->citizen_protected_get(tx, citizen_id, on);
	return rc == HH_ERR_NOT_FOUND ? HH_OK : rc;
}

static int quotes(const struct hh_letter *l, const char *s)
{
	return s && *s && ((l->body && strstr(l->body, s)) ||
			   (l->title && strstr(l->title, s)));
}

/* Whether the applicant of case case_id, when she is not recipient_id,
 * has name and address protection now (*on; *k her case). */
static enum hh_rc other_applicant_protected(struct hh_tx *tx, struct hh_arena *a,
					    int64_t case_id, int64_t recipient_id,
					    struct hh_case *k, int *on)
{
	*on = 0;
	if (!case_id)
		return HH_OK;
	enum hh_rc rc = tx->store->case_get(tx, a, case_id, k);
	if (rc != HH_OK)
		return rc;
	if (!k->citizen_id || k->citizen_id == recipient_id)
		return HH_OK; /* the applicant's own letter */
	return protected_now(tx, k->citizen_id, on);
}

/* Whether l, a letter to another party of case k, has the address of
 * k's applicant in its text: the register's, or one she wrote in an
 * address field of the form. */
static enum hh_rc quotes_applicant(struct hh_tx *tx, struct hh_arena *a,
				   const struct hh_case *k,
				   const struct hh_letter *l, const char **why)
{
	if (!l->kind || strncmp(l->kind, "party_", 6))
		return HH_OK;
	struct hh_citizen z;
	enum hh_rc rc = tx->store->citizen_get(tx, a, k->citizen_id, &z);
	if (rc != HH_OK && rc != HH_ERR_NOT_FOUND)
		return rc;
	if (rc == HH_OK && quotes(l, z.address)) {
		*why = HELD_APPLICANT;
		return HH_OK;
	}
	struct hh_case_type row;
	struct hh_case_type_def def;
	rc = hh_case_type_load(tx, a, NULL, k->case_type_id, &row, &def);
	if (rc != HH_OK) {
		/* cannot tell which fields are addresses: held */
		*why = HELD_APPLICANT;
		return rc == HH_ERR_NOT_FOUND || rc == HH_ERR_INVALID ? HH_OK : rc;
	}
	json_t *data = k->data ? json_loads(k->data, 0, NULL) : NULL;
	for (int i = 0; !*why && i < def.form_def.n_fields; i++) {
		const struct hh_form_field *f = &def.form_def.fields[i];
		if (f->type == HH_FIELD_ADDRESS &&
		    quotes(l, json_string_value(json_object_get(data, f->name))))
			*why = HELD_APPLICANT;
	}
	json_decref(data);
	hh_case_type_def_clear(&def);
	return HH_OK;
}

/* The applicant's half of print_hold, for any channel: l is a letter to
 * another party of a case whose applicant is protected now, and its
 * text (merged before she was) has her address in it. A letter merged
 * while she was protected says "Adressebeskyttet" instead and goes. */
static enum hh_rc applicant_hold(struct hh_tx *tx, struct hh_arena *a,
				 const struct hh_letter *l, const char **why)
{
	*why = NULL;
	if (!l->case_id || !l->kind || strncmp(l->kind, "party_", 6))
		return HH_OK;
	struct hh_case k;
	int on = 0;
	enum hh_rc rc = other_applicant_protected(tx, a, l->case_id, l->citizen_id,
						  &k, &on);
	if (rc != HH_OK || !on)
		return rc;
	return quotes_applicant(tx, a, &k, l, why);
}

enum hh_rc hh_message_party_letter_held_tx(struct hh_tx *tx, struct hh_arena *a,
					   const struct hh_letter *l,
					   const char **why)
{
	return applicant_hold(tx, a, l, why);
}

/* The letter (with its PDF) is read only when the case's applicant is
 * someone else and protected: the print batch's claim runs this for
 * every letter waiting, inside its write transaction. */
static enum hh_rc print_hold(struct hh_tx *tx, struct hh_arena *a,
			     const struct hh_message_row *row, const char **why)
{
	const struct hh_message *m = &row->m;
	*why = NULL;
	int on = 0;
	enum hh_rc rc;
	if (m->citizen_id && (rc = protected_now(tx, m->citizen_id, &on)) != HH_OK)
		return rc;
	if (on) {
		*why = HELD_RECIPIENT;
		return HH_OK;
	}
	struct hh_case k;
	rc = other_applicant_protected(tx, a, row->case_id, m->citizen_id, &k, &on);
	if (rc != HH_OK || !on)
		return rc;
	struct hh_letter l;
	if ((rc = tx->store->message_letter(tx, a, m->letter_id, &l)) != HH_OK)
		return rc;
	return quotes_applicant(tx, a, &k, &l, why);
}

/* ---- routing and sending ------------------------------------------------- */

/* What the pass decided for one message, read in a read transaction. */
struct plan {
	const char *channel;   /* digital_post, print, error */
	const char *reason;    /* error: why, in Danish; print: why print */
	struct hh_buf memo;    /* digital_post: the MeMo document */
};

static const char *digits_only(struct hh_arena *a, const char *s)
{
	char *d = hh_arena_alloc(a, strlen(s) + 1), *p = d;
	for (; *s; s++)
		if (*s >= '0' && *s <= '9')
			*p++ = *s;
	*p = 0;
	return d;
}

/* The KLE number of case type ct (its definition's "kle"), or NULL. */
static const char *ct_kle(struct hh_arena *a, const struct hh_case_type *ct)
{
	json_error_t e;
	json_t *j = ct->definition ? json_loads(ct->definition, 0, &e) : NULL;
	const char *k = json_string_value(json_object_get(j, "kle"));
	const char *out = k && *k ? hh_arena_strdup(a, k) : NULL;
	json_decref(j);
	return out;
}

/* The MeMo message of letter l to citizen z (with a CPR number). */
static enum hh_rc build_memo(struct hh_tx *tx, struct hh_arena *a,
			     const struct hh_message *m,
			     const struct hh_letter *l,
			     const struct hh_citizen *z, struct plan *p)
{
	struct hh_store *st = tx->store;
	struct hh_org org;
	enum hh_rc rc = st->org_get(tx, a, m->org_id, &org);
	if (rc != HH_OK)
		return rc;
	const char *cvr = NULL;
	rc = st->org_cvr_get(tx, a, m->org_id, &cvr);
	if (rc != HH_OK && rc != HH_ERR_NOT_FOUND)
		return rc;
	if (blank(cvr)) {
		p->channel = "error";
		p->reason = "Myndigheden har intet CVR-nummer, så brevet kan "
			    "ikke sendes med Digital Post";
		return HH_OK;
	}
	if (!l->pdf || !l->pdf_len) {
		p->channel = "error";
		p->reason = "Brevet har ingen PDF";
		return HH_OK;
	}
	struct hh_memo mm = {
		.message_uuid = m->message_id,
		.message_id = hh_arena_printf(a, "helhed-%s-brev-%lld", org.code,
					      (long long)l->id),
		.label = l->title,
		.reply = l->reply_allowed,
		.sender_cvr = cvr,
		.sender_label = org.name,
		.recipient_type = "CPR",
		.recipient_id = digits_only(a, z->cpr),
		.recipient_label = z->name,
		.created_at = l->sent_at,
		.filename = "brev.pdf",
		.pdf = l->pdf,
		.pdf_len = l->pdf_len,
	};
	if (l->case_id) {
		/* zeroed: a backend that does not read journal_no yet
		   leaves it NULL */
		struct hh_case c = { 0 };
		rc = st->case_get(tx, a, l->case_id, &c);
		if (rc != HH_OK && rc != HH_ERR_NOT_FOUND)
			return rc;
		if (rc == HH_OK) {
			/* the journal number; until cases have one, the id */
			mm.case_id = c.journal_no ? c.journal_no
				   : hh_arena_printf(a, "%lld", (long long)c.id);
			mm.case_system = "helhed";
			struct hh_case_type ct = { 0 };
			rc = st->case_type_get(tx, a, c.case_type_id, &ct);
			if (rc != HH_OK && rc != HH_ERR_NOT_FOUND)
				return rc;
			if (rc == HH_OK && (mm.kle = ct_kle(a, &ct)))
				mm.kle_label = ct.name;
		}
	}
	const char *field = NULL;
	hh_buf_reset(&p->memo);
	if (hh_memo_xml(&mm, &p->memo, &field) != HH_OK) {
		p->channel = "error";
		p->reason = hh_arena_printf(a, "Brevet kan ikke laves til en "
					    "Digital Post-meddelelse (feltet %s)",
					    field ? field : "?");
		return HH_OK;
	}
	p->channel = "digital_post";
	return HH_OK;
}

struct plan_ctx {
	struct hh_arena *a;
	const struct hh_message_row *row;
	struct plan *p;
};

static enum hh_rc plan_tx(struct hh_tx *tx, void *arg)
{
	struct plan_ctx *x = arg;
	const struct hh_message *m = &x->row->m;
	struct plan *p = x->p;
	struct hh_letter l;
	enum hh_rc rc = tx->store->message_letter(tx, x->a, m->letter_id, &l);
	if (rc != HH_OK)
		return rc;
	struct hh_citizen z = { 0 };
	if (m->citizen_id) {
		rc = tx->store->citizen_get(tx, x->a, m->citizen_id, &z);
		if (rc != HH_OK && rc != HH_ERR_NOT_FOUND)
			return rc;
		if (rc == HH_ERR_NOT_FOUND)
			z.id = 0;
	}
	int has_address = z.id && hh_citizen_has_address(&z);
	int protected = 0;
	if (z.id &&
	    (rc = tx->store->citizen_protected_get(tx, z.id, &protected)) != HH_OK)
		return rc;
	const char *held_for_applicant = NULL;
	if ((rc = applicant_hold(tx, x->a, &l, &held_for_applicant)) != HH_OK)
		return rc;
	if (held_for_applicant) {
		/* r-letters: a letter to the other party, merged before the
		 * applicant was protected, may quote her address: not sent
		 * by any channel; staff check it */
		p->channel = "error";
		p->reason = held_for_applicant;
	} else if (protected && (z.dp_exempt_since || blank(z.cpr))) {
		/* name and address protection (p-letters): never printed
		 * with an address helhed would have to put on it; staff
		 * send it by hand (the error queue) */
		p->channel = "error";
		p->reason = HELD_RECIPIENT;
	} else if (!z.id) {
		p->channel = "error";
		p->reason = "Brevet har ingen modtager";
	} else if (m->channel && !strcmp(m->channel, "digital_post")) {
		/* routed before (a retry): keep to Digital Post */
		if (blank(z.cpr)) {
			p->channel = "error";
			p->reason = "Borgeren har intet CPR-nummer";
		} else {
			rc = build_memo(tx, x->a, m, &l, &z, p);
		}
	} else if (z.dp_exempt_since) {
		if (has_address) {
			p->channel = "print";
			p->reason = "Borgeren er fritaget for Digital Post";
		} else {
			p->channel = "error";
			p->reason = "Borgeren er fritaget for Digital Post, men "
				    "har ingen adresse, så brevet kan ikke "
				    "sendes med posten";
		}
	} else if (!blank(z.cpr)) {
		rc = build_memo(tx, x->a, m, &l, &z, p);
	} else if (has_address) {
		p->channel = "print";
		p->reason = "Borgeren har intet CPR-nummer";
	} else {
		p->channel = "error";
		p->reason = "Borgeren har hverken CPR-nummer eller adresse, så "
			    "brevet kan ikke sendes";
	}
	return rc;
}

/* Is m still queued under the claim that set its next attempt to lease? */
static int held(const struct hh_message *m, int64_t lease)
{
	return !strcmp(m->state, "queued") && m->next_attempt_at == lease;
}

struct record_ctx {
	const struct hh_message_row *row;
	struct hh_message m;
	const char *text;
	int64_t lease; /* the pass's claim: the message must still hold it */
};

/* CONFLICT unless the message is still queued under this pass's claim:
 * a pass whose lease ran out (a pause, a long catch-up) and whose
 * message another pass claimed since must not write over that claim
 * (review of pg-claim). */
static enum hh_rc still_ours(struct hh_tx *tx, const struct record_ctx *x)
{
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_message_row cur;
	enum hh_rc rc = tx->store->message_get(tx, &a, x->m.id, &cur);
	if (rc == HH_ERR_NOT_FOUND || (rc == HH_OK && !held(&cur.m, x->lease)))
		rc = HH_ERR_CONFLICT;
	hh_arena_clear(&a);
	return rc;
}

static enum hh_rc record_tx(struct hh_tx *tx, void *arg)
{
	struct record_ctx *x = arg;
	enum hh_rc rc = still_ours(tx, x);
	if (rc != HH_OK)
		return rc;
	return change(tx, "postman", x->row, &x->m, "queued", x->text);
}

static enum hh_rc retry_later_tx(struct hh_tx *tx, void *arg)
{
	struct record_ctx *x = arg;
	enum hh_rc rc = still_ours(tx, x);
	if (rc != HH_OK)
		return rc;
	return tx->store->message_update(tx, &x->m, "queued");
}

/* Records m (from queued); CONFLICT counts as stale. */
static enum hh_rc record(struct hh_store *st, const struct hh_message_row *row,
			 struct hh_message *m, const char *text, int64_t lease,
			 struct hh_deliver_stats *s)
{
	struct record_ctx x = { row, *m, text, lease };
	enum hh_rc rc = hh_store_run_tx(st, 1, record_tx, &x);
	if (rc == HH_ERR_CONFLICT) {
		s->stale++;
		return HH_OK;
	}
	if (rc == HH_OK)
		hh_store_changed(st, &(struct hh_change){ .entity = "message",
							  .id = m->id,
							  .org_id = m->org_id,
							  .action = m->state });
	return rc;
}

/* Routes and sends one due message. */
static enum hh_rc deliver_one(struct hh_store *st, struct hh_transport *t,
			      struct hh_arena *a,
			      const struct hh_message_row *row, int64_t now,
			      int64_t lease, struct hh_deliver_stats *s)
{
	struct plan p = { 0 };
	hh_buf_init(&p.memo);
	struct plan_ctx pc = { a, row, &p };
	enum hh_rc rc = hh_store_run_tx(st, 0, plan_tx, &pc);
	struct hh_message m = row->m;
	m.updated_at = now;
	if (rc != HH_OK)
		goto fail;
	m.channel = p.channel;
	if (!strcmp(p.channel, "print")) {
		/* waits for the print batch, still queued */
		m.last_error = NULL;
		rc = record(st, row, &m,
			    hh_arena_printf(a, "Brevet sendes som papirbrev med "
					    "posten (%s)", p.reason),
			    lease, s);
		s->to_print++;
		goto fail;
	}
	if (!strcmp(p.channel, "error")) {
		m.state = "error";
		m.last_error = p.reason;
		rc = record(st, row, &m,
			    hh_arena_printf(a, "Brevet kunne ikke sendes: %s",
					    p.reason),
			    lease, s);
		s->errors++;
		goto fail;
	}
	/* Digital Post: the transport first, outside any transaction; the
	 * row after. A crash in between sends the same UUID again. */
	char reason[HH_POST_REASON_SIZE] = "";
	enum hh_post_result r = t->send(t->cls, m.message_id, p.memo.data,
					p.memo.len, reason);
	m.attempts++;
	if (r == HH_POST_OK) {
		atomic_fetch_add(&total_deliveries, 1);
		m.state = "sent";
		m.sent_at = now;
		m.last_error = NULL;
		rc = record(st, row, &m, "Brevet er sendt til Digital Post",
			    lease, s);
		s->sent++;
		goto fail;
	}
	atomic_fetch_add(&total_failures, 1);
	m.last_error = hh_arena_strdup(a, reason[0] ? reason : "ukendt fejl");
	if (r == HH_POST_PERMANENT || m.attempts >= HH_MSG_MAX_ATTEMPTS) {
		m.state = "failed";
		rc = record(st, row, &m,
			    hh_arena_printf(a, "Brevet kunne ikke sendes til "
					    "Digital Post: %s", m.last_error),
			    lease, s);
		s->failed++;
		goto fail;
	}
	/* temporary: queued again, later; no event, the state is the same */
	m.next_attempt_at = now + hh_messages_backoff(m.attempts);
	hh_log(HH_LOG_WARN, "message %s: attempt %lld failed, next in %lld s: %s",
	       m.message_id, (long long)m.attempts,
	       (long long)(m.next_attempt_at - now), m.last_error);
	struct record_ctx later = { row, m, NULL, lease };
	rc = hh_store_run_tx(st, 1, retry_later_tx, &later);
	if (rc == HH_ERR_CONFLICT) {
		s->stale++;
		rc = HH_OK;
	}
	s->retried++;
fail:
	hh_buf_clear(&p.memo);
	return rc;
}

struct due_ctx {
	struct hh_arena *a;
	struct hh_message_row *rows;
	int n, cap;
};

static enum hh_rc due_row(void *arg, const struct hh_message_row *r)
{
	struct due_ctx *x = arg;
	if (x->n == x->cap)
		return HH_OK;
	x->rows[x->n++] = *r;
	return HH_OK;
}

/* Claimed messages to give back: rows[0..n), claimed until lease. */
struct unclaim_ctx {
	const struct hh_message_row *rows;
	int n;
	int64_t lease;
};

/* Gives back the claims of rows that are still queued and still ours
 * (next attempt at our lease): their next attempt is what it was. */
static enum hh_rc unclaim_tx(struct hh_tx *tx, void *arg)
{
	struct unclaim_ctx *x = arg;
	struct hh_arena a;
	hh_arena_init(&a);
	enum hh_rc rc = HH_OK;
	for (int i = 0; rc == HH_OK && i < x->n; i++) {
		struct hh_message_row cur;
		rc = tx->store->message_get(tx, &a, x->rows[i].m.id, &cur);
		if (rc == HH_ERR_NOT_FOUND) {
			rc = HH_OK;
			continue;
		}
		if (rc != HH_OK || !held(&cur.m, x->lease))
			continue;
		cur.m.next_attempt_at = x->rows[i].m.next_attempt_at;
		rc = tx->store->message_update(tx, &cur.m, "queued");
	}
	hh_arena_clear(&a);
	return rc;
}

/* After a failure of the store: the claims not used are given back, so
 * that the next pass (or print run) takes them at once rather than
 * after the lease. If that fails too, the lease runs out by itself. */
static void unclaim(struct hh_store *st, const struct hh_message_row *rows,
		    int n, int64_t lease)
{
	if (n <= 0)
		return;
	struct unclaim_ctx x = { rows, n, lease };
	enum hh_rc rc = hh_store_run_tx(st, 1, unclaim_tx, &x);
	if (rc != HH_OK)
		hh_log(HH_LOG_WARN, "%d claimed messages not given back (%s): "
		       "taken again after their lease", n, hh_rc_name(rc));
}

enum hh_rc hh_messages_deliver(struct hh_store *st, struct hh_transport *t,
			       int64_t now, int limit,
			       struct hh_deliver_stats *stats)
{
	struct hh_deliver_stats local;
	struct hh_deliver_stats *s = stats ? stats : &local;
	memset(s, 0, sizeof(*s));
	if (limit < 1)
		limit = 1;
	struct hh_arena a;
	hh_arena_init(&a);
	struct due_ctx x = { .a = &a, .cap = limit };
	x.rows = hh_arena_calloc(&a, (size_t)limit * sizeof(*x.rows));
	/* The claim (store.h, message_claim): what is due, the lease and
	 * the limit are the pass's; the store moves the due messages' next
	 * attempt to the lease in one operation of its own that commits
	 * before anything is sent, so that no other pass finds them due.
	 * (pg-skip: it was a read-then-update write transaction here,
	 * which on PostgreSQL failed concurrent letter sends.) The rows
	 * keep the values read: what a record or a give-back writes
	 * back. */
	int64_t lease = now + HH_MSG_LEASE;
	/* the margin counts from before the claim: a wait for a pool
	 * connection or the claim's retries come out of the lease too
	 * (review of pg-skip) */
	int64_t claimed_at = hh_mono_us();
	enum hh_rc rc = st->message_claim(st->cls, &a, now, lease, limit,
					  due_row, &x);
	if (rc != HH_OK)
		x.n = 0; /* none streamed (due_row never fails): any claims
			  * a lost COMMIT answer left run out with the lease */
	int i = 0;
	while (rc == HH_OK && i < x.n) {
		/* a pass that has taken nearly its lease stops and gives the
		 * rest back: past the lease another pass may claim them while
		 * this one sends (review of pg-claim) */
		if (hh_mono_us() - claimed_at >
		    (int64_t)(HH_MSG_LEASE - HH_MSG_LEASE_MARGIN) * 1000000) {
			unclaim(st, &x.rows[i], x.n - i, lease);
			break;
		}
		struct hh_arena one;
		hh_arena_init(&one);
		rc = deliver_one(st, t, &one, &x.rows[i], now, lease, s);
		hh_arena_clear(&one);
		if (rc == HH_OK)
			i++;
	}
	/* the claims from the failed one on (it may have been recorded:
	 * then it is no longer ours and stays as it is) */
	if (rc != HH_OK && i < x.n)
		unclaim(st, &x.rows[i], x.n - i, lease);
	hh_arena_clear(&a);
	return rc;
}

/* ---- receipts ---------------------------------------------------------- */

struct receipt_ctx {
	struct hh_store *st;
	struct hh_transport *t;
	int64_t now;
	struct hh_deliver_stats *s;
};

struct receipt_tx_ctx {
	const struct hh_post_receipt *r;
	int64_t now;
	int recorded; /* 1 changed, 0 nothing to change */
	struct hh_message m;
};

static enum hh_rc receipt_tx(struct hh_tx *tx, void *arg)
{
	struct receipt_tx_ctx *x = arg;
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_message_row row;
	x->recorded = 0;
	enum hh_rc rc = tx->store->message_get_by_uuid(tx, &a, x->r->uuid, &row);
	if (rc == HH_ERR_NOT_FOUND) {
		hh_log(HH_LOG_WARN, "receipt for unknown message %s", x->r->uuid);
		rc = HH_OK;
		goto done;
	}
	/* a receipt may overtake our record of the sending (a crash
	 * between the spool write and the row): queued counts as sent */
	if (rc != HH_OK || (strcmp(row.m.state, "sent") &&
			    strcmp(row.m.state, "queued")))
		goto done;
	struct hh_message m = row.m;
	const char *from = row.m.state;
	m.channel = "digital_post";
	m.updated_at = x->now;
	if (!m.sent_at)
		m.sent_at = x->now;
	const char *text;
	if (x->r->delivered) {
		m.state = "delivered";
		m.delivered_at = x->now;
		m.last_error = NULL;
		text = "Brevet er leveret i borgerens Digital Post";
	} else {
		m.state = "failed";
		m.last_error = *x->r->reason ? x->r->reason
			     : "Digital Post kunne ikke levere brevet";
		text = hh_arena_printf(&a, "Brevet kunne ikke leveres i Digital "
				       "Post: %s", m.last_error);
	}
	rc = change(tx, "postman", &row, &m, from, text);
	if (rc == HH_OK) {
		x->recorded = 1;
		x->m = m;
		x->m.message_id = NULL; /* the arena ends here */
		x->m.state = x->r->delivered ? "delivered" : "failed";
		x->m.channel = NULL;
		x->m.last_error = NULL;
		x->m.print_batch = NULL;
	}
done:
	hh_arena_clear(&a);
	return rc;
}

static enum hh_rc receipt_cb(void *arg, const struct hh_post_receipt *r)
{
	struct receipt_ctx *x = arg;
	struct receipt_tx_ctx rt = { .r = r, .now = x->now };
	enum hh_rc rc = hh_store_run_tx(x->st, 1, receipt_tx, &rt);
	if (rc != HH_OK)
		return rc;
	if (rt.recorded) {
		if (r->delivered)
			x->s->delivered++;
		else
			x->s->undelivered++;
		hh_store_changed(x->st, &(struct hh_change){
						.entity = "message",
						.id = rt.m.id,
						.org_id = rt.m.org_id,
						.action = rt.m.state });
	}
	/* recorded now or before: the transport may forget it */
	return x->t->receipt_done(x->t->cls, r->uuid);
}

enum hh_rc hh_messages_receipts(struct hh_store *st, struct hh_transport *t,
				int64_t now, struct hh_deliver_stats *stats)
{
	struct hh_deliver_stats local = { 0 };
	struct receipt_ctx x = { st, t, now, stats ? stats : &local };
	return t->receipts(t->cls, receipt_cb, &x);
}

void hh_messages_queued(struct hh_store *st, int64_t id)
{
	hh_store_changed(st, &(struct hh_change){ .entity = "message", .id = id,
						  .action = "queue" });
}

/* ---- the error queue and the API --------------------------------------- */

enum hh_rc hh_messages_list(struct hh_store *st, struct hh_arena *a,
			    const struct hh_actor *who,
			    const struct hh_message_filter *f, int limit,
			    hh_message_cb cb, void *ctx)
{
	enum hh_access_scope sc = hh_access_scope(who, HH_RES_MESSAGE, HH_ACT_READ);
	if (sc == HH_SCOPE_NONE)
		return HH_ERR_FORBIDDEN;
	if (limit < 1 || limit > 500)
		return HH_ERR_INVALID;
	struct hh_message_filter g = *f;
	if (sc != HH_SCOPE_ANY)
		g.org_id = who->org_id;
	struct hh_tx *tx;
	enum hh_rc rc = st->tx_begin(st->cls, 0, &tx);
	if (rc != HH_OK)
		return rc;
	rc = st->message_list(tx, a, &g, limit, cb, ctx);
	st->tx_rollback(tx);
	return rc;
}

struct get_ctx {
	struct hh_arena *a;
	const struct hh_actor *who;
	int64_t id;
	struct hh_message_row *out;
};

static enum hh_rc get_tx(struct hh_tx *tx, void *arg)
{
	struct get_ctx *x = arg;
	enum hh_rc rc = tx->store->message_get(tx, x->a, x->id, x->out);
	if (rc != HH_OK)
		return rc;
	struct hh_owner o = { .org_id = x->out->m.org_id };
	return hh_access(x->who, HH_RES_MESSAGE, HH_ACT_READ, &o);
}

enum hh_rc hh_message_get(struct hh_store *st, struct hh_arena *a,
			  const struct hh_actor *who, int64_t id,
			  struct hh_message_row *out)
{
	struct get_ctx x = { a, who, id, out };
	return hh_store_run_tx(st, 0, get_tx, &x);
}

struct act_ctx {
	const struct hh_actor *who;
	int64_t id, now;
	int to_print;
	int64_t org_id;
};

static enum hh_rc act_tx(struct hh_tx *tx, void *arg)
{
	struct act_ctx *x = arg;
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_message_row row;
	enum hh_rc rc = tx->store->message_get(tx, &a, x->id, &row);
	if (rc != HH_OK)
		goto done;
	struct hh_owner o = { .org_id = row.m.org_id };
	rc = hh_access(x->who, HH_RES_MESSAGE, HH_ACT_CHANGE, &o);
	if (rc != HH_OK)
		goto done;
	x->org_id = row.m.org_id;
	if (strcmp(row.m.state, "error") && strcmp(row.m.state, "failed")) {
		rc = HH_ERR_CONFLICT;
		goto done;
	}
	struct hh_message m = row.m;
	m.state = "queued";
	m.attempts = 0;
	m.next_attempt_at = x->now;
	m.updated_at = x->now;
	m.last_error = NULL;
	const char *text;
	if (x->to_print) {
		struct hh_citizen z;
		rc = m.citizen_id ? tx->store->citizen_get(tx, &a, m.citizen_id, &z)
				  : HH_ERR_NOT_FOUND;
		if (rc == HH_ERR_NOT_FOUND || (rc == HH_OK &&
					       !hh_citizen_has_address(&z))) {
			rc = HH_ERR_INVALID; /* nowhere to print to */
			goto done;
		}
		/* a protected address is not printed (p-letters), nor a
		 * party's letter of an applicant protected since (r-letters):
		 * by hand */
		const char *why = NULL;
		if (rc == HH_OK)
			rc = print_hold(tx, &a, &row, &why);
		if (rc == HH_OK && why)
			rc = HH_ERR_INVALID;
		if (rc != HH_OK)
			goto done;
		m.channel = "print";
		text = "Brevet sendes som papirbrev med posten";
	} else {
		m.channel = NULL; /* routed again by the next pass */
		text = "Brevet sendes igen";
	}
	rc = change(tx, x->who->label ? x->who->label : "system", &row, &m,
		    row.m.state, text);
done:
	hh_arena_clear(&a);
	return rc;
}

static enum hh_rc act(struct hh_store *st, const struct hh_actor *who,
		      int64_t id, int64_t now, int to_print)
{
	struct act_ctx x = { who, id, now, to_print, 0 };
	enum hh_rc rc = hh_store_run_tx(st, 1, act_tx, &x);
	if (rc == HH_OK)
		hh_store_changed(st, &(struct hh_change){ .entity = "message",
							  .id = id,
							  .org_id = x.org_id,
							  .action = "queue" });
	return rc;
}

enum hh_rc hh_message_retry(struct hh_store *st, const struct hh_actor *who,
			    int64_t id, int64_t now)
{
	return act(st, who, id, now, 0);
}

enum hh_rc hh_message_to_print(struct hh_store *st, const struct hh_actor *who,
			       int64_t id, int64_t now)
{
	return act(st, who, id, now, 1);
}

/* ---- the print batch ----------------------------------------------------- */

struct wait_ctx {
	struct hh_arena *a;
	struct hh_message_row *rows;
	int n, cap;
};

static enum hh_rc wait_row(void *arg, const struct hh_message_row *r)
{
	struct wait_ctx *x = arg;
	if (x->n == x->cap) {
		int cap = x->cap ? 2 * x->cap : 64;
		struct hh_message_row *n = hh_arena_alloc(x->a, cap * sizeof(*n));
		if (x->n)
			memcpy(n, x->rows, x->n * sizeof(*n));
		x->rows = n;
		x->cap = cap;
	}
	x->rows[x->n++] = *r;
	return HH_OK;
}

static enum hh_rc wait_tx(struct hh_tx *tx, void *arg)
{
	struct wait_ctx *x = arg;
	x->n = 0;
	return tx->store->message_print_wait(tx, x->a, 0, wait_row, x);
}

/* Claims org_id's letters waiting for print for this run (until lease),
 * in one write transaction; none (*busy) while another run holds any of
 * them. The rows keep the values read. */
struct print_claim_ctx {
	struct wait_ctx w;
	int64_t org_id, now, lease;
	const char *day; /* only_new: none when org_id has a batch of day */
	int busy;
	int n_held; /* sent to the error queue instead (print_hold) */
};

static enum hh_rc print_claim_tx(struct hh_tx *tx, void *arg)
{
	struct print_claim_ctx *x = arg;
	x->w.n = 0;
	x->busy = 0;
	x->n_held = 0;
	enum hh_rc rc;
	if (x->day) {
		int64_t seq;
		rc = tx->store->print_batch_next_seq(tx, x->org_id, x->day, &seq);
		if (rc != HH_OK || seq > 1)
			return rc;
	}
	rc = tx->store->message_print_wait(tx, x->w.a, x->org_id, wait_row,
					   &x->w);
	if (rc != HH_OK)
		return rc;
	/* a letter waiting for print is due since it was routed; a next
	 * attempt ahead of now is another run's claim */
	for (int i = 0; i < x->w.n; i++)
		if (x->w.rows[i].m.next_attempt_at > x->now) {
			x->busy = 1;
			x->w.n = 0;
			return HH_OK;
		}
	int kept = 0;
	for (int i = 0; rc == HH_OK && i < x->w.n; i++) {
		struct hh_message m = x->w.rows[i].m;
		const char *why;
		if ((rc = print_hold(tx, x->w.a, &x->w.rows[i], &why)) != HH_OK)
			break;
		if (why) {
			/* not printed: to the error queue, by hand */
			m.state = "error";
			m.last_error = why;
			m.updated_at = x->now;
			rc = change(tx, "postman", &x->w.rows[i], &m, "queued",
				    hh_arena_printf(x->w.a, "Brevet kunne ikke "
						    "sendes: %s", why));
			x->n_held++;
			continue;
		}
		m.next_attempt_at = x->lease;
		rc = tx->store->message_update(tx, &m, "queued");
		x->w.rows[kept++] = x->w.rows[i];
	}
	if (rc == HH_OK)
		x->w.n = kept;
	return rc;
}

/* One organisation's letters: rows[0..n) (all of org_id). */
struct batch_ctx {
	struct hh_arena *a;
	const struct hh_message_row *rows;
	int n;
	const char *day;
	int64_t now;
	/* read */
	const struct hh_letter_doc **docs;
	const char *org_code;
	int64_t seq;
	/* written */
	struct hh_print_batch b;
};

static enum hh_rc batch_read_tx(struct hh_tx *tx, void *arg)
{
	struct batch_ctx *x = arg;
	struct hh_org org;
	enum hh_rc rc = tx->store->org_get(tx, x->a, x->rows[0].m.org_id, &org);
	if (rc != HH_OK)
		return rc;
	x->org_code = org.code;
	rc = tx->store->print_batch_next_seq(tx, org.id, x->day, &x->seq);
	if (rc != HH_OK)
		return rc;
	x->docs = hh_arena_calloc(x->a, (size_t)x->n * sizeof(*x->docs));
	for (int i = 0; i < x->n; i++) {
		struct hh_letter l;
		rc = tx->store->message_letter(tx, x->a, x->rows[i].m.letter_id, &l);
		if (rc != HH_OK)
			return rc;
		struct hh_letter_doc *d = hh_arena_calloc(x->a, sizeof(*d));
		rc = hh_letter_doc_build(tx, x->a, &l, 0, d);
		if (rc != HH_OK)
			return rc;
		x->docs[i] = d;
	}
	return HH_OK;
}

static enum hh_rc batch_write_tx(struct hh_tx *tx, void *arg)
{
	struct batch_ctx *x = arg;
	enum hh_rc rc = tx->store->print_batch_insert(tx, &x->b);
	if (rc != HH_OK)
		return rc;
	const char *name = x->b.seq == 1 ? x->day
			 : hh_arena_printf(x->a, "%s-%lld", x->day,
					   (long long)x->b.seq);
	for (int i = 0; i < x->n; i++) {
		struct hh_message m = x->rows[i].m;
		m.state = "printed";
		m.channel = "print";
		m.print_batch = name;
		m.updated_at = x->now;
		m.sent_at = x->now;
		m.last_error = NULL;
		rc = change(tx, "postman", &x->rows[i], &m, "queued",
			    "Brevet er udskrevet og sendes med posten");
		if (rc != HH_OK)
			return rc;
	}
	return HH_OK;
}

static enum hh_rc batch_one(struct hh_store *st, const char *print_dir,
			    int64_t org_id, const char *day, int64_t now,
			    int only_new, struct hh_print_stats *s)
{
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_buf pdf;
	hh_buf_init(&pdf);
	struct print_claim_ctx c = { .w = { .a = &a }, .org_id = org_id,
				     .now = now, .lease = now + HH_PRINT_LEASE,
				     .day = only_new ? day : NULL };
	enum hh_rc rc = hh_store_run_tx(st, 1, print_claim_tx, &c);
	if (rc == HH_OK && c.n_held)
		hh_log(HH_LOG_WARN, "print batch: %d letters of organisation %lld "
		       "not printed (name and address protection); in the error "
		       "queue", c.n_held, (long long)org_id);
	if (rc != HH_OK || c.busy || !c.w.n) {
		if (rc != HH_OK)
			c.w.n = 0; /* rolled back: nothing of it is ours */
		else
			s->busy += c.busy;
		goto done;
	}
	const struct hh_message_row *rows = c.w.rows;
	int n = c.w.n;
	struct batch_ctx x = { .a = &a, .rows = rows, .n = n, .day = day,
			       .now = now };
	rc = hh_store_run_tx(st, 0, batch_read_tx, &x);
	if (rc != HH_OK)
		goto done;
	int pages = 0;
	rc = hh_letter_pdf_batch(x.docs, n, &pdf, &pages);
	if (rc != HH_OK)
		goto done;
	const char *file = x.seq == 1
		? hh_arena_printf(&a, "%s-%s.pdf", day, x.org_code)
		: hh_arena_printf(&a, "%s-%s-%lld.pdf", day, x.org_code,
				  (long long)x.seq);
	/* the file first, durably; the rows after. A crash in between
	 * leaves the letters queued for print and claimed; once the claim
	 * has run out, a run writes the same file again with them (and
	 * any that came since). */
	rc = hh_spool_write_file(print_dir, file, pdf.data, pdf.len);
	if (rc != HH_OK) {
		hh_log(HH_LOG_ERROR, "print batch %s/%s: %s", print_dir, file,
		       strerror(errno));
		goto done;
	}
	x.b = (struct hh_print_batch){ .org_id = rows[0].m.org_id, .day = day,
				       .seq = x.seq, .file = file,
				       .letters = n, .pages = pages,
				       .created_at = now };
	rc = hh_store_run_tx(st, 1, batch_write_tx, &x);
	if (rc == HH_OK) {
		s->batches++;
		s->letters += n;
		s->pages += pages;
		hh_log(HH_LOG_INFO, "print batch %s: %d letters, %d pages", file,
		       n, pages);
	}
done:
	/* failed after the claim: the letters are given back for the next
	 * run (a file written already is written again, the same name) */
	if (rc != HH_OK && c.w.n)
		unclaim(st, c.w.rows, c.w.n, c.lease);
	hh_buf_clear(&pdf);
	hh_arena_clear(&a);
	return rc;
}

static int day_ok(const char *d)
{
	if (!d || strlen(d) != 10 || d[4] != '-' || d[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9'))
			return 0;
	return 1;
}

static enum hh_rc print_batch(struct hh_store *st, const char *print_dir,
			      const char *day, int64_t now, int only_new,
			      struct hh_print_stats *stats)
{
	struct hh_print_stats local;
	struct hh_print_stats *s = stats ? stats : &local;
	memset(s, 0, sizeof(*s));
	if (!day_ok(day))
		return HH_ERR_INVALID;
	struct hh_arena a;
	hh_arena_init(&a);
	struct wait_ctx w = { .a = &a };
	enum hh_rc rc = hh_store_run_tx(st, 0, wait_tx, &w);
	/* rows come by organisation: one batch per organisation, which
	 * claims and reads its letters again */
	for (int i = 0; rc == HH_OK && i < w.n;) {
		int j = i;
		while (j < w.n && w.rows[j].m.org_id == w.rows[i].m.org_id)
			j++;
		rc = batch_one(st, print_dir, w.rows[i].m.org_id, day, now,
			       only_new, s);
		i = j;
	}
	hh_arena_clear(&a);
	return rc;
}

enum hh_rc hh_messages_print_batch(struct hh_store *st, const char *print_dir,
				   const char *day, int64_t now,
				   struct hh_print_stats *stats)
{
	return print_batch(st, print_dir, day, now, 0, stats);
}

enum hh_rc hh_messages_print_batch_held(struct hh_store *st,
					const char *print_dir, const char *day,
					int64_t now, struct hh_print_stats *stats)
{
	return print_batch(st, print_dir, day, now, 1, stats);
}

struct batches_ctx {
	struct hh_arena *a;
	const struct hh_actor *who;
	int64_t org_id;
	hh_print_batch_cb cb;
	void *ctx;
};

static enum hh_rc batches_tx(struct hh_tx *tx, void *arg)
{
	struct batches_ctx *x = arg;
	return tx->store->print_batch_list(tx, x->a, x->org_id, 200, x->cb,
					   x->ctx);
}

enum hh_rc hh_print_batches_list(struct hh_store *st, struct hh_arena *a,
				 const struct hh_actor *who,
				 hh_print_batch_cb cb, void *ctx)
{
	enum hh_access_scope sc = hh_access_scope(who, HH_RES_PRINT_BATCH,
						  HH_ACT_READ);
	if (sc == HH_SCOPE_NONE)
		return HH_ERR_FORBIDDEN;
	struct batches_ctx x = { a, who, sc == HH_SCOPE_ANY ? 0 : who->org_id,
				 cb, ctx };
	return hh_store_run_tx(st, 0, batches_tx, &x);
}

struct open_ctx {
	struct hh_arena *a;
	const struct hh_actor *who;
	int64_t id;
	struct hh_print_batch *b;
};

static enum hh_rc audit_row(void *arg, const struct hh_message_row *r)
{
	struct hh_tx *tx = ((void **)arg)[0];
	const struct hh_actor *who = ((void **)arg)[1];
	if (!r->m.citizen_id)
		return HH_OK;
	struct hh_audit e = { .actor = who->label, .citizen_id = r->m.citizen_id,
			      .what = "printbatch med brev",
			      .why = "udskrivning til post" };
	return tx->store->audit_append(tx, &e);
}

static enum hh_rc open_tx(struct hh_tx *tx, void *arg)
{
	struct open_ctx *x = arg;
	enum hh_rc rc = tx->store->print_batch_get(tx, x->a, x->id, x->b);
	if (rc != HH_OK)
		return rc;
	struct hh_owner o = { .org_id = x->b->org_id };
	rc = hh_access(x->who, HH_RES_PRINT_BATCH, HH_ACT_READ, &o);
	if (rc != HH_OK)
		return rc;
	/* each citizen whose letter is in it sees that staff fetched it */
	const char *name = x->b->seq == 1
		? x->b->day
		: hh_arena_printf(x->a, "%s-%lld", x->b->day, (long long)x->b->seq);
	struct hh_message_filter f = { .org_id = x->b->org_id,
				       .state = "printed", .print_batch = name };
	void *args[2] = { tx, (void *)x->who };
	return tx->store->message_list(tx, x->a, &f, 0, audit_row, args);
}

enum hh_rc hh_print_batch_open(struct hh_store *st, struct hh_arena *a,
			       const struct hh_actor *who,
			       const char *print_dir, int64_t id,
			       struct hh_print_batch *batch,
			       const void **pdf, size_t *len)
{
	if (hh_access_scope(who, HH_RES_PRINT_BATCH, HH_ACT_READ) ==
	    HH_SCOPE_NONE)
		return HH_ERR_FORBIDDEN;
	char path[4096];
	struct open_ctx x = { a, who, id, batch };
	/* the audit is written before the file is read: a download that
	 * is not audited does not happen */
	enum hh_rc rc = hh_store_run_tx(st, 1, open_tx, &x);
	if (rc != HH_OK)
		return rc;
	snprintf(path, sizeof(path), "%s/%s", print_dir, batch->file);
	FILE *f = fopen(path, "rb");
	if (!f)
		return HH_ERR_NOT_FOUND;
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
		return HH_ERR_IO;
	}
	void *p = hh_arena_alloc(a, b.len ? b.len : 1);
	memcpy(p, b.data, b.len);
	*pdf = p;
	*len = b.len;
	hh_buf_clear(&b);
	return HH_OK;
}

/* ---- metrics -------------------------------------------------------------- */

static enum hh_rc count_row(void *arg, const char *state, const char *channel,
			    int64_t n)
{
	hh_buf_printf(arg, "helhed_messages{state=\"%s\",channel=\"%s\"} %lld\n",
		      state, channel ? channel : "none", (long long)n);
	return HH_OK;
}

struct metrics_ctx {
	struct hh_buf *out;
	int64_t oldest;
};

static enum hh_rc metrics_tx(struct hh_tx *tx, void *arg)
{
	struct metrics_ctx *x = arg;
	hh_buf_puts(x->out, "# HELP helhed_messages Digital Post messages by "
			    "state and channel.\n# TYPE helhed_messages gauge\n");
	enum hh_rc rc = tx->store->message_count(tx, count_row, x->out);
	if (rc != HH_OK)
		return rc;
	return tx->store->message_oldest_queued(tx, &x->oldest);
}

enum hh_rc hh_messages_metrics(struct hh_store *st, int64_t now, int spool_ok,
			       struct hh_buf *out)
{
	size_t start = out->len;
	struct metrics_ctx x = { out, 0 };
	enum hh_rc rc = hh_store_run_tx(st, 0, metrics_tx, &x);
	if (rc != HH_OK) {
		out->len = start;
		return rc;
	}
	struct hh_deliver_totals t;
	hh_messages_totals(&t);
	hh_buf_printf(out,
		      "# HELP helhed_messages_oldest_queued_seconds Age of the "
		      "oldest queued message (0: none).\n"
		      "# TYPE helhed_messages_oldest_queued_seconds gauge\n"
		      "helhed_messages_oldest_queued_seconds %lld\n"
		      "# HELP helhed_message_deliveries_total Messages handed to "
		      "the transport since start.\n"
		      "# TYPE helhed_message_deliveries_total counter\n"
		      "helhed_message_deliveries_total %lld\n"
		      "# HELP helhed_message_failures_total Failed attempts to "
		      "hand a message to the transport since start.\n"
		      "# TYPE helhed_message_failures_total counter\n"
		      "helhed_message_failures_total %lld\n"
		      "# HELP helhed_spool_writable 1 when the spool folder can "
		      "be written.\n"
		      "# TYPE helhed_spool_writable gauge\n"
		      "helhed_spool_writable %d\n",
		      (long long)(x.oldest ? now - x.oldest : 0),
		      t.deliveries, t.failures, spool_ok ? 1 : 0);
	return HH_OK;
}

/* ---- exemption from Digital Post ------------------------------------------ */

const char *const hh_dp_exempt_reasons[] = {
	"Fysisk eller psykisk funktionsnedsættelse",
	"Manglende adgang til computer med internet",
	"Manglende mulighed for at få MitID",
	"Ophold i udlandet",
	"Sproglige vanskeligheder",
	"Bor i et område uden bredbånd",
	NULL,
};

struct exempt_ctx {
	const struct hh_actor *who;
	int64_t citizen_id, since;
	const char *reason;
};

static enum hh_rc exempt_tx(struct hh_tx *tx, void *arg)
{
	struct exempt_ctx *x = arg;
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_citizen z;
	enum hh_rc rc = tx->store->citizen_get(tx, &a, x->citizen_id, &z);
	if (rc != HH_OK)
		goto done;
	/* the desk's rule: a municipality's desk serves its residents,
	 * an agency's everyone */
	struct hh_owner o = { .org_id = x->who->org_is_municipality
						? z.municipality_id
						: x->who->org_id };
	rc = o.org_id ? hh_access(x->who, HH_RES_DP_EXEMPTION, HH_ACT_CHANGE, &o)
		      : HH_ERR_NOT_FOUND;
	if (rc != HH_OK)
		goto done;
	json_t *before = json_pack("{s:I, s:s?}", "dp_exempt_since",
				   (json_int_t)z.dp_exempt_since,
				   "dp_exempt_reason", z.dp_exempt_reason);
	z.dp_exempt_since = x->since;
	z.dp_exempt_reason = x->since ? x->reason : NULL;
	rc = tx->store->citizen_post_set(tx, &z);
	if (rc == HH_OK) {
		json_t *after = json_pack("{s:I, s:s?}", "dp_exempt_since",
					  (json_int_t)z.dp_exempt_since,
					  "dp_exempt_reason", z.dp_exempt_reason);
		char *b = json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS);
		char *s = json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS);
		struct hh_event e = { .actor = x->who->label, .org_id = x->who->org_id,
				      .entity = "citizen", .entity_id = z.id,
				      .action = x->since ? "dp_exempt"
							 : "dp_exempt_lifted",
				      .before = b, .after = s };
		rc = tx->store->event_append(tx, &e);
		free(b);
		free(s);
		json_decref(after);
		if (rc == HH_OK) {
			struct hh_audit au = {
				.actor = x->who->label, .citizen_id = z.id,
				.what = x->since ? "fritagelse for Digital Post registreret"
						 : "fritagelse for Digital Post ophævet",
				.why = "borgerservice" };
			rc = tx->store->audit_append(tx, &au);
		}
	}
	json_decref(before);
done:
	hh_arena_clear(&a);
	return rc;
}

enum hh_rc hh_citizen_dp_exempt(struct hh_store *st, const struct hh_actor *who,
				int64_t citizen_id, int64_t since,
				const char *reason)
{
	if (since < 0)
		return HH_ERR_INVALID;
	if (since) {
		int known = 0;
		for (int i = 0; reason && hh_dp_exempt_reasons[i]; i++)
			known |= !strcmp(reason, hh_dp_exempt_reasons[i]);
		if (!known)
			return HH_ERR_INVALID;
	}
	struct exempt_ctx x = { who, citizen_id, since, reason };
	return hh_store_run_tx(st, 1, exempt_tx, &x);
}
