/* demoletters.c - demo letters in the demo citizens' inboxes (demo.h,
 * hh_demo_letters), so that Din post in Mit overblik has something to
 * show, and a request for information to answer, on the first start of
 * `helhed serve --demo`.
 *
 * For each demo citizen whose municipality has a demo caseworker, two
 * cases of "boernetilskud-revurdering" (a case type every municipality
 * handles, with no form to fill in) are made through the domain as a
 * caseworker would move them: one now waits for the citizen after a
 * request, the other is closed. Each gets one sent letter with a real
 * PDF (render/letter.h) built from the same document as the browser's
 * HTML (letterdoc.h): a request for information that takes a reply with
 * files, and a decision that takes a reply (which, the case being
 * closed, becomes an inquiry).
 *
 * These letters carry no Digital Post message (no messages row): they
 * exist for the inbox, not for delivery. The letters module's own demo
 * letters, when it has them, should replace this seeding. */
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "domain/cases.h"
#include "domain/demoletters.h"
#include "domain/letterdoc.h"
#include "render/letter.h"

#define DEMO_CASE_TYPE "boernetilskud-revurdering"
#define MAX_CITIZENS 32

struct citizen_row {
	int64_t id, municipality_id;
	const char *name;
};

struct gather {
	struct hh_arena *a;
	struct citizen_row rows[MAX_CITIZENS];
	int n;
	const char *done;
};

static enum hh_rc citizen_cb(void *p, const struct hh_citizen *c)
{
	struct gather *g = p;
	if (g->n < MAX_CITIZENS && c->municipality_id)
		g->rows[g->n++] = (struct citizen_row){ c->id, c->municipality_id,
							hh_arena_strdup(g->a, c->name) };
	return HH_OK;
}

static enum hh_rc gather_tx(struct hh_tx *tx, void *p)
{
	struct gather *g = p;
	g->n = 0;
	enum hh_rc rc = tx->store->meta_get(tx, g->a, "demo_inbox_letters", &g->done);
	if (rc == HH_OK && !g->done)
		rc = tx->store->citizen_list(tx, g->a, "demo:", citizen_cb, g);
	return rc;
}

/* The demo caseworker of the municipality (the users.json convention:
 * sagsbehandler@<municipality>.demo); NOT_FOUND when there is none. */
struct worker {
	struct hh_arena *a;
	int64_t org_id;
	struct hh_user u;
	int found;
};

static enum hh_rc user_cb(void *p, const struct hh_user *u)
{
	struct worker *w = p;
	if (!w->found && u->org_id == w->org_id && (u->roles & HH_ROLE_CASEWORKER) &&
	    !u->disabled && u->email && !strncmp(u->email, "sagsbehandler@", 14)) {
		w->u = *u;
		w->u.name = hh_arena_strdup(w->a, u->name);
		w->found = 1;
	}
	return HH_OK;
}

static enum hh_rc worker_tx(struct hh_tx *tx, void *p)
{
	struct worker *w = p;
	w->found = 0;
	return tx->store->user_list(tx, w->a, user_cb, w);
}

struct letter_ctx {
	struct hh_arena *a;
	struct hh_letter l;
};

/* Renders and inserts one sent letter (ctx: the letter to write). */
static enum hh_rc letter_tx(struct hh_tx *tx, void *p)
{
	struct letter_ctx *c = p;
	struct hh_letter_doc doc;
	enum hh_rc rc = hh_letter_doc_build(tx, c->a, &c->l, 0, &doc);
	if (rc != HH_OK)
		return rc;
	struct hh_buf pdf;
	hh_buf_init(&pdf);
	rc = hh_letter_pdf(&doc, &pdf, NULL);
	if (rc == HH_OK) {
		c->l.pdf = (const unsigned char *)pdf.data;
		c->l.pdf_len = pdf.len;
		rc = tx->store->inbox_letter_insert(tx, &c->l);
		c->l.pdf = NULL;
	}
	hh_buf_clear(&pdf);
	return rc;
}

static enum hh_rc mark_tx(struct hh_tx *tx, void *p)
{
	(void)p;
	return tx->store->meta_set(tx, "demo_inbox_letters", "1");
}

/* One case of the demo citizen moved by the caseworker to state `to`
 * (through in_progress), or, with question, to the request's pause. */
static enum hh_rc demo_case(struct hh_store *st, struct hh_arena *a,
			    const struct citizen_row *c,
			    const struct hh_actor *worker, const char *to,
			    const char *question, struct hh_case *out)
{
	json_t *values = json_object();
	struct hh_submission sub = { .case_type = DEMO_CASE_TYPE,
				     .citizen_id = c->id,
				     .municipality_id = c->municipality_id,
				     .values = values,
				     .actor = "demo",
				     .loa = HH_LOA_SUBSTANTIAL };
	struct hh_form_result res;
	memset(&res, 0, sizeof(res));
	int replayed = 0;
	const char *why = NULL;
	enum hh_rc rc = hh_case_submit(st, a, &sub, &res, out, &replayed, &why, NULL);
	json_decref(res.values);
	json_decref(values);
	if (rc == HH_OK)
		rc = hh_case_transition(st, a, worker, out->id, "in_progress",
					out->version, NULL, out, NULL);
	if (rc == HH_OK && question)
		rc = hh_case_request(st, a, worker, out->id, question, out->version, out);
	else if (rc == HH_OK)
		rc = hh_case_transition(st, a, worker, out->id, to, out->version, NULL,
					out, NULL);
	return rc;
}

static const char request_body[] =
	"Vi er ved at se på, om dit børnetilskud skal ændres, fordi der er "
	"sket ændringer i din husstand.\n\n"
	"## Det har vi brug for\n\n"
	"- en kopi af din lejekontrakt eller dit skøde\n"
	"- en kort beskrivelse af, hvem der bor på adressen\n\n"
	"Du kan svare og vedhæfte dokumenterne under Din post i Mit overblik. "
	"Indtil vi har dit svar, står sagsbehandlingsfristen stille.\n\n"
	"Hvis vi ikke hører fra dig inden fristen, træffer vi afgørelse på det "
	"grundlag, vi har.";

static const char decision_body[] =
	"Vi har revurderet dit børnetilskud. Dit tilskud fortsætter med samme "
	"beløb som hidtil.\n\n"
	"## Begrundelse\n\n"
	"Oplysningerne om din husstand er uændrede, og du opfylder fortsat "
	"betingelserne for børnetilskud.\n\n"
	"## Klagevejledning\n\n"
	"Hvis du er uenig i afgørelsen, kan du klage til Ankestyrelsen. Klagen "
	"sendes til kommunen inden fire uger efter, at du har modtaget brevet. "
	"Kommunen ser sagen igennem igen, før den sendes videre.";

enum hh_rc hh_demo_inbox_letters(struct hh_store *st, int64_t now, FILE *errs,
			   int *made)
{
	struct hh_arena a;
	hh_arena_init(&a);
	*made = 0;
	struct gather g = { .a = &a };
	enum hh_rc rc = hh_store_run_tx(st, 0, gather_tx, &g);
	if (rc != HH_OK || g.done)
		goto fail;
	for (int i = 0; i < g.n; i++) {
		const struct citizen_row *c = &g.rows[i];
		struct worker w = { .a = &a, .org_id = c->municipality_id };
		rc = hh_store_run_tx(st, 0, worker_tx, &w);
		if (rc != HH_OK)
			goto fail;
		if (!w.found)
			continue; /* no caseworker: no letters there */
		struct hh_actor worker = {
			.label = hh_arena_printf(&a, "user:%lld", (long long)w.u.id),
			.org_id = w.u.org_id, .org_is_municipality = 1,
			.roles = w.u.roles, .user_id = w.u.id };
		struct hh_case waiting, closed;
		rc = demo_case(st, &a, c, &worker, NULL,
			       "Send os en kopi af din lejekontrakt eller dit skøde, "
			       "og skriv, hvem der bor på adressen.",
			       &waiting);
		if (rc == HH_OK)
			rc = demo_case(st, &a, c, &worker, "unchanged", NULL, &closed);
		if (rc != HH_OK) {
			if (errs)
				fprintf(errs, "demo letters: the cases of %s were refused (%s)\n",
					c->name, hh_rc_name(rc));
			goto fail;
		}
		/* the decision three days ago, read; the request yesterday,
		 * unread, to answer within two weeks */
		struct letter_ctx decision = {
			&a, { .org_id = closed.org_id, .case_id = closed.id,
			      .citizen_id = c->id, .kind = "granted",
			      .template_code = "demo-afgoerelse", .state = "sent",
			      .decision = "unchanged",
			      .title = "Afgørelse om revurdering af børnetilskud",
			      .body = decision_body, .reply_allowed = 1,
			      .author_id = w.u.id, .author_name = w.u.name,
			      .created_at = now - 3 * 86400, .sent_at = now - 3 * 86400,
			      .read_at = now - 2 * 86400 } };
		struct letter_ctx request = {
			&a, { .org_id = waiting.org_id, .case_id = waiting.id,
			      .citizen_id = c->id, .kind = "request",
			      .template_code = "demo-anmodning", .state = "sent",
			      .title = "Vi mangler oplysninger til din sag om "
				       "børnetilskud",
			      .body = request_body, .reply_allowed = 1,
			      .reply_by = now + 14 * 86400, .author_id = w.u.id,
			      .author_name = w.u.name, .created_at = now - 86400,
			      .sent_at = now - 86400 } };
		rc = hh_store_run_tx(st, 1, letter_tx, &decision);
		if (rc == HH_OK)
			rc = hh_store_run_tx(st, 1, letter_tx, &request);
		if (rc != HH_OK)
			goto fail;
		*made += 2;
	}
	rc = hh_store_run_tx(st, 1, mark_tx, NULL);
fail:
	hh_arena_clear(&a);
	return rc;
}
