/* demo_letters.c - the demo's decided cases with their letters (see
 * hh_demo_letters in letters.h): made once on the first demo start, after
 * the demo inquiries, so that the demo citizens' inboxes and the case
 * pages have sent letters to show.
 *
 * Everything goes through the domain as a caseworker would do it: the
 * case moves on (hh_case_transition), the letter is written from its
 * template (hh_letter_create) and sent with its decision (hh_letter_send,
 * approved by a second caseworker where the case type asks for it). */
#include "domain/letters.h"

#include <string.h>

#include "core/util.h"
#include "domain/cases.h"

#define META_KEY "demo_letters"
#define PER_ORG 2
#define MAX_CASES 64
#define MAX_USERS 128

static const char DEMO_WHY[] =
	"Vi har lagt vægt på de oplysninger, du gav i ansøgningen, og på "
	"oplysningerne i vores egne registre. De opfylder ikke betingelserne i "
	"de regler, der er nævnt nedenfor.";

struct gather {
	struct hh_arena *a;
	int64_t cases[MAX_CASES];
	int64_t case_org[MAX_CASES];
	int n_cases;
	struct hh_user users[MAX_USERS];
	int n_users;
	int already;
};

static enum hh_rc case_row(void *p, const struct hh_case *c)
{
	struct gather *g = p;
	if (!c->citizen_id || g->n_cases >= MAX_CASES)
		return HH_OK;
	int same = 0;
	for (int i = 0; i < g->n_cases; i++)
		same += g->case_org[i] == c->org_id;
	if (same >= PER_ORG * 3) /* candidates; PER_ORG of them are decided */
		return HH_OK;
	g->case_org[g->n_cases] = c->org_id;
	g->cases[g->n_cases++] = c->id;
	return HH_OK;
}

static enum hh_rc user_row(void *p, const struct hh_user *u)
{
	struct gather *g = p;
	if ((u->roles & HH_ROLE_CASEWORKER) && !u->disabled && g->n_users < MAX_USERS)
		g->users[g->n_users++] = *u;
	return HH_OK;
}

static enum hh_rc gather_tx(struct hh_tx *tx, void *p)
{
	struct gather *g = p;
	const char *done = NULL;
	enum hh_rc rc = tx->store->meta_get(tx, g->a, META_KEY, &done);
	if (rc != HH_OK || (g->already = done != NULL))
		return rc;
	g->n_cases = g->n_users = 0;
	struct hh_case_filter f = { .open_only = 1, .sort = HH_SORT_NEWEST };
	int64_t total;
	rc = tx->store->case_list(tx, g->a, &f, 0, 1000, &total, case_row, g);
	if (rc == HH_OK)
		rc = tx->store->user_list(tx, g->a, user_row, g);
	return rc;
}

static enum hh_rc mark_tx(struct hh_tx *tx, void *p)
{
	(void)p;
	return tx->store->meta_set(tx, META_KEY, "1");
}

/* The caseworker of org number k (0: the first), as an actor; 0 when the
 * organisation has none. */
static int caseworker(const struct gather *g, int64_t org, int k,
		      struct hh_arena *a, struct hh_actor *out)
{
	for (int i = 0; i < g->n_users; i++) {
		if (g->users[i].org_id != org || k--)
			continue;
		*out = (struct hh_actor){ .label = hh_arena_printf(a, "user:%lld",
								   (long long)g->users[i].id),
					  .org_id = org, .roles = HH_ROLE_CASEWORKER,
					  .user_id = g->users[i].id };
		return 1;
	}
	return 0;
}

/* A decision for case k by who: a move that needs a letter, reached
 * directly or after one move without (received → in progress). Kinds in
 * the order a demo shows them best. */
static const char *plan(const struct hh_case_type_def *def, const char *state,
			unsigned roles, const char **first)
{
	static const char *const prefer[] = { "granted", "partly_granted", "closing",
					      "refused" };
	*first = NULL;
	for (size_t p = 0; p < sizeof(prefer) / sizeof(prefer[0]); p++) {
		for (int i = 0; i < def->n_transitions; i++) {
			const struct hh_ct_transition *t = &def->transitions[i];
			const char *kind = hh_ct_letter_kind(def, t->to);
			if (!(t->roles & roles) || !kind || strcmp(kind, prefer[p]))
				continue;
			if (!strcmp(t->from, state))
				return t->to;
			/* one step before it */
			const struct hh_ct_transition *hop = hh_ct_transition(def, state,
									      t->from);
			const struct hh_ct_state *mid = hh_ct_state(def, t->from);
			if (hop && (hop->roles & roles) && mid && !mid->paused &&
			    !mid->final && !hh_ct_letter_kind(def, t->from)) {
				*first = t->from;
				return t->to;
			}
		}
	}
	return NULL;
}

struct def_ctx {
	struct hh_arena *a;
	int64_t id;
	struct hh_case k;
	struct hh_case_type_def def;
};

static enum hh_rc def_tx(struct hh_tx *tx, void *p)
{
	struct def_ctx *d = p;
	enum hh_rc rc = tx->store->case_get(tx, d->a, d->id, &d->k);
	struct hh_case_type row;
	if (rc == HH_OK)
		rc = hh_case_type_load(tx, d->a, NULL, d->k.case_type_id, &row, &d->def);
	return rc;
}

/* Decides case id with its letter; 1 when a letter was sent. */
static int decide(struct hh_store *st, const struct gather *g, int64_t id,
		  FILE *errs)
{
	struct hh_arena a;
	hh_arena_init(&a);
	struct def_ctx d = { .a = &a, .id = id };
	int sent = 0;
	if (hh_store_run_tx(st, 0, def_tx, &d) != HH_OK) {
		hh_arena_clear(&a);
		return 0;
	}
	struct hh_actor author, approver;
	const char *first, *to = NULL;
	if (caseworker(g, d.k.org_id, 0, &a, &author))
		to = plan(&d.def, d.k.state, author.roles, &first);
	if (to && d.def.four_eyes && !caseworker(g, d.k.org_id, 1, &a, &approver))
		to = NULL; /* nobody to approve it */
	if (!to)
		goto done;
	struct hh_case out;
	enum hh_rc rc = HH_OK;
	if (first)
		rc = hh_case_transition(st, &a, &author, id, first, 0, NULL, &out, NULL);
	const char *kind = hh_ct_letter_kind(&d.def, to);
	int why = !strcmp(kind, "refused") || !strcmp(kind, "partly_granted");
	struct hh_letter_input in = { .case_id = id, .decision = to,
				      .justification = why ? DEMO_WHY : NULL };
	struct hh_letter l;
	const char *field = NULL;
	int awaiting = 0;
	if (rc == HH_OK)
		rc = hh_letter_create(st, &a, &author, &in, &l, &field);
	if (rc == HH_OK)
		rc = hh_letter_send(st, &a, &author, l.id, l.version, &l, &awaiting);
	if (rc == HH_OK && awaiting)
		rc = hh_letter_approve(st, &a, &approver, l.id, l.version, &l);
	if (rc == HH_OK)
		sent = 1;
	else
		fprintf(errs, "demo letters: case %lld to %s: %s (%s)\n", (long long)id,
			to, hh_rc_name(rc), field ? field : "-");
done:
	hh_case_type_def_clear(&d.def);
	hh_arena_clear(&a);
	return sent;
}

enum hh_rc hh_demo_letters(struct hh_store *st, FILE *errs, int *n_sent)
{
	struct hh_arena a;
	hh_arena_init(&a);
	struct gather *g = hh_xcalloc(1, sizeof(*g));
	g->a = &a;
	*n_sent = 0;
	enum hh_rc rc = hh_store_run_tx(st, 0, gather_tx, g);
	if (rc == HH_OK && !g->already) {
		/* oldest first, PER_ORG decided per organisation */
		int per_org[MAX_CASES] = { 0 };
		for (int i = g->n_cases - 1; i >= 0; i--) {
			int slot = 0;
			while (slot < i && g->case_org[slot] != g->case_org[i])
				slot++;
			if (per_org[slot] >= PER_ORG)
				continue;
			if (decide(st, g, g->cases[i], errs)) {
				per_org[slot]++;
				(*n_sent)++;
			}
		}
		rc = hh_store_run_tx(st, 1, mark_tx, NULL);
	}
	free(g);
	hh_arena_clear(&a);
	return rc;
}
