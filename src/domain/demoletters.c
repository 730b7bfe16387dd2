/* demoletters.c - demo letters in the demo citizens' inboxes (demo.h,
 * hh_demo_inbox_letters), so that Din post in Mit overblik has a request
 * for information to answer and a decision to read on the first start
 * of `helhed serve --demo`, beside the letters module's decided demo
 * cases (hh_demo_letters).
 *
 * For each demo citizen whose municipality has a demo caseworker, two
 * cases of "boernetilskud-revurdering" (a case type every municipality
 * handles, with no form to fill in) are made and moved through the
 * domain as a caseworker would: one is asked for more (hh_letter_request:
 * the request letter is written from its template and sent, the case
 * waits for the citizen), the other is closed with its letter
 * (hh_letter_create + hh_letter_send). Both letters are real sent
 * letters with their Digital Post message, so delivery carries them like
 * any other; the decision is marked read, the request is left unread. */
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "domain/cases.h"
#include "domain/demoletters.h"
#include "domain/letters.h"

#define DEMO_CASE_TYPE "boernetilskud-revurdering"
#define MAX_CITIZENS 32

/* The decision letter's free text: what the caseworker adds. */
static const char DECISION_TEXT[] =
	"Vi har sammenholdt dine oplysninger med folkeregisteret, og de "
	"stemmer overens.";

struct newest {
	int64_t id;
};

static enum hh_rc newest_cb(void *p, const struct hh_letter *l)
{
	struct newest *n = p;
	if (l->id > n->id)
		n->id = l->id;
	return HH_OK;
}

/* The newest letter on case_id (the request just sent). */
static enum hh_rc newest_letter(struct hh_store *st, struct hh_arena *a,
				const struct hh_actor *who, int64_t case_id,
				int64_t *id)
{
	struct newest n = { 0 };
	enum hh_rc rc = hh_letter_list_case(st, a, who, case_id, newest_cb, &n);
	*id = n.id;
	return rc == HH_OK && !n.id ? HH_ERR_INTERNAL : rc;
}

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

struct read_ctx {
	int64_t letter_id;
	int64_t at;
};

static enum hh_rc read_tx(struct hh_tx *tx, void *p)
{
	struct read_ctx *c = p;
	return tx->store->inbox_mark_read(tx, c->letter_id, c->at, NULL);
}

static enum hh_rc mark_tx(struct hh_tx *tx, void *p)
{
	(void)p;
	return tx->store->meta_set(tx, "demo_inbox_letters", "1");
}

/* One case of the demo citizen, taken into work by the caseworker: with
 * question, asked for more by letter (the case then waits); otherwise
 * moved to `to` with its letter sent. *letter gets the letter's id. */
static enum hh_rc demo_case(struct hh_store *st, struct hh_arena *a,
			    const struct citizen_row *c,
			    const struct hh_actor *worker, const char *to,
			    const char *question, struct hh_case *out,
			    int64_t *letter)
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
	*letter = 0;
	if (rc == HH_OK)
		rc = hh_case_transition(st, a, worker, out->id, "in_progress",
					out->version, NULL, out, NULL);
	if (rc != HH_OK)
		return rc;
	if (question) {
		int by_letter = 0;
		rc = hh_letter_request(st, a, worker, out->id, question,
				       out->version, out, &by_letter);
		if (rc == HH_OK && !by_letter)
			return HH_ERR_INTERNAL; /* the case type lost its template */
		if (rc == HH_OK)
			rc = newest_letter(st, a, worker, out->id, letter);
		return rc;
	}
	struct hh_letter_input in = { .case_id = out->id, .decision = to,
				      .text = DECISION_TEXT,
				      .case_version = out->version };
	struct hh_letter l;
	const char *field = NULL;
	int awaiting = 0;
	rc = hh_letter_create(st, a, worker, &in, &l, &field);
	if (rc == HH_OK)
		rc = hh_letter_send(st, a, worker, l.id, l.version, &l, &awaiting);
	if (rc == HH_OK && awaiting)
		return HH_ERR_INTERNAL; /* four eyes: not for this demo */
	if (rc == HH_OK)
		*letter = l.id;
	return rc;
}

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
		int64_t request_id = 0, decision_id = 0;
		rc = demo_case(st, &a, c, &worker, "unchanged", NULL, &closed,
			       &decision_id);
		if (rc == HH_OK)
			rc = demo_case(st, &a, c, &worker, NULL,
				       "- en kopi af din lejekontrakt eller dit skøde\n"
				       "- hvem der bor på adressen",
				       &waiting, &request_id);
		if (rc != HH_OK) {
			if (errs)
				fprintf(errs, "demo letters: the cases of %s were refused (%s)\n",
					c->name, hh_rc_name(rc));
			goto fail;
		}
		/* the decision has been read; the request waits, unread */
		struct read_ctx read = { decision_id, now };
		rc = hh_store_run_tx(st, 1, read_tx, &read);
		if (rc != HH_OK)
			goto fail;
		*made += 2;
	}
	rc = hh_store_run_tx(st, 1, mark_tx, NULL);
fail:
	hh_arena_clear(&a);
	return rc;
}
