/* partyletters.c - the letters to the parties of a case (partyletters.h). */
#include "domain/partyletters.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/letterdoc.h"
#include "domain/letters.h"
#include "domain/parties.h"
#include "render/letter.h"
#include "render/memo.h"

/* The applicant as the letters to the parties name them. */
static enum hh_rc applicant_of(struct hh_tx *tx, struct hh_arena *a,
			       const struct hh_case *k,
			       struct hh_letter_party_ctx *pc)
{
	struct hh_citizen z;
	enum hh_rc rc = tx->store->citizen_get(tx, a, k->citizen_id, &z);
	if (rc != HH_OK)
		return rc;
	pc->applicant_name = z.name;
	if (hh_citizen_has_address(&z))
		pc->applicant_address = hh_arena_printf(a, "%s, %s %s", z.address,
							z.postcode, z.city);
	return tx->store->citizen_protected_get(tx, k->citizen_id,
						&pc->applicant_protected);
}

/* What a letter about party p of case *k says (the applicant, p's role
 * in a sentence, or fallback without a declaration, and p's answer
 * date), with *k read again into *kk as the store has it in this
 * transaction (its organisation's name, journal number and type filled
 * in); *k then points there. */
static enum hh_rc letter_ctx(struct hh_tx *tx, struct hh_arena *a,
			     const struct hh_case **k, struct hh_case *kk,
			     const struct hh_case_type_def *def,
			     const struct hh_case_party *p, const char *fallback,
			     struct hh_letter_party_ctx *pc)
{
	memset(pc, 0, sizeof(*pc));
	enum hh_rc rc = tx->store->case_get(tx, a, (*k)->id, kk);
	if (rc != HH_OK)
		return rc;
	*k = kk;
	if ((rc = applicant_of(tx, a, kk, pc)) != HH_OK)
		return rc;
	const struct hh_ct_party *d = hh_ct_party(def, p->role);
	pc->role = hh_label_in_sentence(a, d ? d->label : fallback);
	pc->answer_by = p->expires_at;
	return HH_OK;
}

/* Writes one letter of kind to citizen to_id about case k, sent at once
 * with its message, and the case's event. */
static enum hh_rc one_letter(struct hh_tx *tx, struct hh_arena *a,
			     const struct hh_case *k,
			     const struct hh_case_type_def *def, const char *kind,
			     int64_t to_id, const struct hh_letter_party_ctx *pc,
			     const char *party_event, const char *role)
{
	struct hh_store *st = tx->store;
	if (!json_object_get(def->letter_templates, kind)) {
		/* import checks the templates there are; a case type may
		 * have none (docs/parties.md) */
		hh_log(HH_LOG_WARN, "parties: case type %s has no letter template "
		       "'%s'; no letter to citizen %lld on case %lld", def->name, kind,
		       (long long)to_id, (long long)k->id);
		return HH_OK;
	}
	struct hh_citizen to;
	enum hh_rc rc = st->citizen_get(tx, a, to_id, &to);
	if (rc == HH_ERR_NOT_FOUND) {
		/* gone from the register: the event stands without it */
		hh_log(HH_LOG_WARN, "parties: citizen %lld of case %lld is gone; "
		       "no '%s' letter", (long long)to_id, (long long)k->id, kind);
		return HH_OK;
	}
	if (rc != HH_OK)
		return rc;
	const char *title, *body;
	rc = hh_letter_merge_party(tx, a, k, def, kind, &to, pc, &title, &body);
	if (rc != HH_OK)
		return rc;
	int64_t now = hh_now_us() / 1000000;
	struct hh_letter l = {
		.org_id = k->org_id, .case_id = k->id, .citizen_id = to_id,
		.kind = kind,
		.template_code = hh_arena_printf(a, "%s/%s", k->case_type_code
							   ? k->case_type_code : "",
						 kind),
		.state = "draft", .title = title, .body = body, .fields = "{}",
		.party_event = party_event,
	};
	if ((rc = st->letter_insert(tx, &l)) != HH_OK)
		return rc;
	/* rendered in the event's transaction: these letters are few (one
	 * per invitation, two or three when a case closes), and so the
	 * event and its letters are one */
	l.sent_at = now;
	l.case_journal_no = k->journal_no;
	struct hh_letter_doc doc;
	if ((rc = hh_letter_doc_build(tx, a, &l, now, &doc)) != HH_OK)
		return rc;
	struct hh_buf pdf;
	hh_buf_init(&pdf);
	rc = hh_letter_pdf(&doc, &pdf, NULL);
	char *uuid = hh_arena_alloc(a, HH_UUID_SIZE);
	hh_uuid4(uuid);
	if (rc == HH_OK) {
		l.state = "sent";
		l.pdf = (const unsigned char *)pdf.data;
		l.pdf_len = pdf.len;
		l.message_id = uuid;
		rc = st->letter_update(tx, &l, l.version);
	}
	hh_buf_clear(&pdf);
	if (rc != HH_OK)
		return rc;
	struct hh_message m = { .message_id = uuid, .letter_id = l.id,
				.org_id = k->org_id, .citizen_id = to_id,
				.state = "queued", .next_attempt_at = now };
	if ((rc = st->message_insert(tx, &m)) != HH_OK)
		return rc;
	/* on the case, for staff (action letter_party: the case page shows
	 * the summary and the title); the citizen's history leaves it out,
	 * a party's letter is theirs alone (domain/caseread.c) */
	const struct hh_ct_party *rd = role ? hh_ct_party(def, role) : NULL;
	json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:I, s:s}", "letter",
			      (json_int_t)l.id, "kind", kind, "title", title, "to",
			      role ? role : "applicant", "citizen_id",
			      (json_int_t)to_id, "summary",
			      role ? hh_arena_printf(a, "Brev sendt til %s",
						     hh_label_in_sentence(a, rd ? rd->label
								       : "den anden part"))
				   : "Brev sendt til ansøgeren");
	char *after = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	struct hh_event e = { .actor = "system", .org_id = k->org_id,
			      .entity = "case", .entity_id = k->id,
			      .action = "letter_party", .after = after };
	rc = st->event_append(tx, &e);
	free(after);
	return rc;
}

enum hh_rc hh_party_letter_invited_tx(struct hh_tx *tx, struct hh_arena *a,
				      const struct hh_case *k,
				      const struct hh_case_type_def *def,
				      const struct hh_case_party *p)
{
	if (!p->confirm || !p->citizen_id || !k->citizen_id)
		return HH_OK; /* named, never invited: no letter */
	struct hh_case kk;
	struct hh_letter_party_ctx pc;
	enum hh_rc rc = letter_ctx(tx, a, &k, &kk, def, p, "part i sagen", &pc);
	if (rc != HH_OK)
		return rc;
	return one_letter(tx, a, k, def, "party_invitation", p->citizen_id, &pc,
			  hh_arena_printf(a, "invited:%lld", (long long)p->id),
			  p->role);
}

struct party_rows {
	struct hh_arena *a;
	struct hh_case_party *rows;
	size_t n, cap;
};

static enum hh_rc party_row(void *p, const struct hh_case_party *r)
{
	struct party_rows *l = p;
	l->rows = hh_arena_grow(l->a, l->rows, l->n, &l->cap, sizeof(*l->rows), 8);
	l->rows[l->n++] = *r;
	return HH_OK;
}

enum hh_rc hh_party_letters_closed_tx(struct hh_tx *tx, struct hh_arena *a,
				      const struct hh_case *k,
				      const struct hh_case_type_def *def,
				      const struct hh_case_party *by,
				      int expired)
{
	if (!k->citizen_id)
		return HH_OK;
	struct hh_case kk;
	struct hh_letter_party_ctx pc;
	enum hh_rc rc = letter_ctx(tx, a, &k, &kk, def, by, "den anden part", &pc);
	if (rc != HH_OK)
		return rc;
	/* to the applicant: what closed it; never the party's name or
	 * address (the applicant typed a CPR number) */
	struct hh_letter_party_ctx to_applicant = pc;
	to_applicant.applicant_protected = 0; /* their own address */
	rc = one_letter(tx, a, k, def, expired ? "party_expired" : "party_declined",
			k->citizen_id, &to_applicant, "closed", NULL);
	if (rc != HH_OK)
		return rc;
	struct party_rows l = { .a = a };
	if ((rc = tx->store->case_party_list(tx, a, k->id, party_row, &l)) != HH_OK)
		return rc;
	for (size_t i = 0; rc == HH_OK && i < l.n; i++) {
		const struct hh_case_party *q = &l.rows[i];
		if (!q->confirm || !q->citizen_id || q->citizen_id == k->citizen_id)
			continue; /* a child, or a party never invited */
		/* to a party: their own role and answer date */
		struct hh_letter_party_ctx to_party = pc;
		const struct hh_ct_party *qd = hh_ct_party(def, q->role);
		to_party.role = hh_label_in_sentence(a, qd ? qd->label : "part i sagen");
		to_party.answer_by = q->expires_at;
		rc = one_letter(tx, a, k, def,
				expired ? "party_expired_party" : "party_declined_party",
				q->citizen_id, &to_party, "closed", q->role);
	}
	return rc;
}
