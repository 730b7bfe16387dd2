/* test_desk.c - the agent's desk in the domain: the citizen look-up (by
 * CPR and by name, audited without the CPR, a municipality's desk finds
 * only its own residents), the citizen's history, transfers (queued at
 * the receiver, seen only there, counted, closed without changing the
 * first-contact outcome, unknown codes refused with nothing written),
 * callbacks due on the Danish day across midnight and the summer-time
 * switches, and an article's usefulness. */
#include "testutil.h"

#include "core/dktime.h"
#include "domain/access.h"
#include "domain/desk.h"
#include "domain/inquiries.h"

#define ACTOR(org, muni, role, user)                                        \
	(&(struct hh_actor){ .label = "user:" #user, .org_id = (org),       \
			     .org_is_municipality = (muni), .roles = (role),   \
			     .user_id = (user) })
#define AGENT(org, user) ACTOR(org, 1, HH_ROLE_AGENT, user)

struct fx {
	char *dir;
	struct hh_store *st;
	struct hh_arena a;
	int64_t m901, m902, udk, anna, bo, soeren, case_anna, case_bo, article;
};

static int64_t put_org(struct hh_store *st, const char *code, enum hh_org_kind k)
{
	struct hh_tx *tx;
	assert_int_equal(st->tx_begin(st->cls, 1, &tx), HH_OK);
	struct hh_org o = { .code = code, .name = code, .kind = k };
	assert_int_equal(st->org_put(tx, &o), HH_OK);
	assert_int_equal(st->tx_commit(tx), HH_OK);
	return o.id;
}

static int64_t put_citizen(struct hh_store *st, const char *subject,
			   const char *name, const char *cpr, int64_t m)
{
	struct hh_tx *tx;
	assert_int_equal(st->tx_begin(st->cls, 1, &tx), HH_OK);
	struct hh_citizen c = { .subject = subject, .name = name, .cpr = cpr,
				.municipality_id = m };
	assert_int_equal(st->citizen_put(tx, &c), HH_OK);
	assert_int_equal(st->tx_commit(tx), HH_OK);
	return c.id;
}

static int setup(void **state)
{
	struct fx *f = hh_xcalloc(1, sizeof(*f));
	f->dir = tu_tmpdir();
	f->st = tu_store(f->dir, 2);
	char db[4200], err[256];
	snprintf(db, sizeof(db), "%s/helhed.db", f->dir);
	assert_int_equal(hh_vault_start(f->st, NULL, db, err, sizeof(err)), HH_OK);
	hh_arena_init(&f->a);
	f->m901 = put_org(f->st, "901", HH_ORG_MUNICIPALITY);
	f->m902 = put_org(f->st, "902", HH_ORG_MUNICIPALITY);
	f->udk = put_org(f->st, "udk", HH_ORG_AGENCY);
	f->anna = put_citizen(f->st, "anna", "Anna Andersen", "070761-4285", f->m901);
	f->bo = put_citizen(f->st, "bo", "Bo Berg", "010190-1234", f->m902);
	f->soeren = put_citizen(f->st, "soeren", "Søren Ørsted", "020202-2222",
				f->m901);
	struct hh_tx *tx;
	assert_int_equal(f->st->tx_begin(f->st->cls, 1, &tx), HH_OK);
	for (int i = 1; i <= 10; i++) {
		char email[32];
		snprintf(email, sizeof(email), "u%d@test", i);
		struct hh_user u = { .org_id = f->m901, .email = email,
				     .name = email, .password_hash = "x",
				     .roles = HH_ROLE_AGENT };
		assert_int_equal(f->st->user_insert(tx, &u), HH_OK);
	}
	assert_int_equal(f->st->inquiry_code_put(tx, f->m901, "team", "ydelse",
						 "Ydelser"), HH_OK);
	assert_int_equal(f->st->inquiry_code_put(tx, f->m901, "reason",
						 "anden-myndighed",
						 "Hører under en anden myndighed"),
			 HH_OK);
	assert_int_equal(f->st->inquiry_code_put(tx, f->udk, "team", "boligstoette",
						 "Boligstøtte"), HH_OK);
	assert_int_equal(f->st->inquiry_code_put(tx, f->udk, "team", "pension",
						 "Pension"), HH_OK);
	assert_int_equal(f->st->inquiry_code_put(tx, f->udk, "reason", "fagligt",
						 "Kræver faglig vurdering"), HH_OK);
	struct hh_case_type ct = { .code = "pas", .organisation = "901",
				   .name = "Pas", .definition = "{}" };
	assert_int_equal(f->st->case_type_put(tx, &ct), HH_OK);
	struct hh_case k = { .case_type_id = ct.id, .org_id = f->m901,
			     .citizen_id = f->anna, .state = "received",
			     .deadline_at = 1, .data = "{}" };
	assert_int_equal(f->st->case_insert(tx, &k), HH_OK);
	f->case_anna = k.id;
	struct hh_case k2 = { .case_type_id = ct.id, .org_id = f->udk,
			      .citizen_id = f->anna, .state = "received",
			      .deadline_at = 1, .data = "{}" };
	assert_int_equal(f->st->case_insert(tx, &k2), HH_OK);
	f->case_bo = k2.id; /* Anna's case at the agency */
	struct hh_article art = { .slug = "pas", .title = "Pas", .summary = "S",
				  .body_md = "B", .body_html = "<p>B</p>",
				  .keywords = "", .kle = "",
				  .audience = HH_AUDIENCE_CITIZEN,
				  .status = HH_STATUS_PUBLISHED, .updated_by = "t" };
	assert_int_equal(f->st->article_insert(tx, &art), HH_OK);
	f->article = art.id;
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	hh_store_close(f->st);
	hh_arena_clear(&f->a);
	tu_rmdir(f->dir);
	free(f);
	return 0;
}

/* ---- helpers ---------------------------------------------------------------- */

struct found {
	int64_t ids[32];
	const char *cprs[32];
	int n;
};

static enum hh_rc found_row(void *p, const struct hh_citizen *z)
{
	struct found *r = p;
	r->cprs[r->n] = z->cpr;
	r->ids[r->n++] = z->id;
	return HH_OK;
}

static enum hh_rc lookup(struct fx *f, const struct hh_actor *who,
			 const char *cpr, const char *name, struct found *r,
			 enum hh_desk_fault *fault)
{
	memset(r, 0, sizeof(*r));
	int more;
	return hh_desk_lookup(f->st, &f->a, who, cpr, name, found_row, r, &more,
			      fault);
}

/* The audit rows of citizen_id (0: the look-ups themselves). */
static size_t audits_of(struct fx *f, int64_t citizen_id, struct hh_audit **out)
{
	tu_audit_rows r = { &f->a, NULL, 0, 0 };
	struct hh_tx *tx = tu_read_begin(f->st);
	assert_int_equal(f->st->audit_list(tx, &f->a, citizen_id, 100000,
					   tu_push_audit, &r),
			 HH_OK);
	tu_read_end(tx);
	*out = r.v;
	return r.n;
}

static int64_t create(struct fx *f, const struct hh_actor *who,
		      struct hh_inquiry_input in)
{
	struct hh_inquiry q;
	int replayed;
	enum hh_inquiry_fault fault;
	const char *field;
	enum hh_rc rc = hh_inquiry_create(f->st, &f->a, who, &in, &q, &replayed,
					  &fault, &field);
	if (rc != HH_OK)
		fail_msg("create: rc %d fault %d field %s", rc, fault,
			 field ? field : "-");
	return q.id;
}

struct queue {
	int64_t transfer[16], inquiry[16];
	int n;
};

static enum hh_rc queue_row(void *p, const struct hh_inquiry_transfer *t,
			    const struct hh_inquiry *q)
{
	struct queue *k = p;
	k->transfer[k->n] = t->id;
	k->inquiry[k->n++] = q->id;
	return HH_OK;
}

static struct queue queue_of(struct fx *f, const struct hh_actor *who)
{
	struct queue k = { .n = 0 };
	assert_int_equal(hh_desk_transfer_queue(f->st, &f->a, who, NULL, queue_row,
						&k),
			 HH_OK);
	return k;
}

static enum hh_rc count_row(void *p, const struct hh_inquiry_transfer *t)
{
	(void)t;
	(*(int *)p)++;
	return HH_OK;
}

/* ---- the look-up ------------------------------------------------------------- */

static void t_lookup_by_cpr_audited(void **state)
{
	struct fx *f = *state;
	struct found r;
	enum hh_desk_fault fault;
	struct hh_audit *au;
	size_t before0 = audits_of(f, 0, &au);
	size_t before_anna = audits_of(f, f->anna, &au);
	assert_int_equal(lookup(f, AGENT(f->m901, 3), "0707614285", NULL, &r, &fault),
			 HH_OK);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.ids[0], f->anna);
	assert_string_equal(r.cprs[0], "070761-4285"); /* opened for the desk */
	/* the search itself: who, how, how many; never the number */
	size_t n0 = audits_of(f, 0, &au);
	assert_int_equal(n0, before0 + 1);
	assert_string_equal(au[0].actor, "user:3");
	assert_non_null(strstr(au[0].what, "CPR-nummer"));
	assert_null(strstr(au[0].what, "070761"));
	assert_null(strstr(au[0].what, "4285"));
	assert_null(strstr(au[0].what, "0707614285"));
	/* the citizen sees that the desk found them */
	assert_int_equal(audits_of(f, f->anna, &au), before_anna + 1);
	assert_string_equal(au[0].why, "borgerservice");
	assert_null(strstr(au[0].what, "4285"));

	/* a wrong CPR: refused, nothing audited */
	static const char *const bad[] = { "3207614285", "07076", "abcdefghij",
					   "070761-42855", "0707614" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(lookup(f, AGENT(f->m901, 3), bad[i], NULL, &r, &fault),
				 HH_ERR_INVALID);
		assert_int_equal(fault, HH_DESK_CPR);
	}
	assert_int_equal(audits_of(f, 0, &au), n0);
	/* neither or both: refused */
	assert_int_equal(lookup(f, AGENT(f->m901, 3), NULL, NULL, &r, &fault),
			 HH_ERR_INVALID);
	assert_int_equal(fault, HH_DESK_QUERY);
	assert_int_equal(lookup(f, AGENT(f->m901, 3), "0707614285", "Anna", &r,
				&fault),
			 HH_ERR_INVALID);
	assert_int_equal(fault, HH_DESK_QUERY);
	/* digits in a name would put a CPR number in the audit: refused */
	assert_int_equal(lookup(f, AGENT(f->m901, 3), NULL, "Anna 070761", &r,
				&fault),
			 HH_ERR_INVALID);
	assert_int_equal(fault, HH_DESK_NAME);
	assert_int_equal(audits_of(f, 0, &au), n0);
}

static void t_lookup_by_name(void **state)
{
	struct fx *f = *state;
	struct found r;
	enum hh_desk_fault fault;
	/* case and accents folded, every word a part of the name */
	assert_int_equal(lookup(f, AGENT(f->m901, 3), NULL, "ØRST", &r, &fault), HH_OK);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.ids[0], f->soeren);
	assert_int_equal(lookup(f, AGENT(f->m901, 3), NULL, "søren ørsted", &r, &fault),
			 HH_OK);
	assert_int_equal(r.n, 1);
	assert_int_equal(lookup(f, AGENT(f->m901, 3), NULL, "anna ørsted", &r, &fault),
			 HH_OK);
	assert_int_equal(r.n, 0);
	assert_int_equal(lookup(f, AGENT(f->m901, 3), NULL, "an", &r, &fault), HH_OK);
	assert_int_equal(r.n, 1); /* Anna Andersen, not Bo in 902 */
	assert_int_equal(r.ids[0], f->anna);
	struct hh_audit *au;
	size_t n = audits_of(f, 0, &au);
	assert_true(n >= 1);
	assert_non_null(strstr(au[0].what, "navn"));
	assert_int_equal(lookup(f, AGENT(f->m901, 3), NULL, "a", &r, &fault),
			 HH_ERR_INVALID);
	assert_int_equal(fault, HH_DESK_NAME);
}

static void t_municipality_sees_only_its_own(void **state)
{
	struct fx *f = *state;
	struct found r;
	enum hh_desk_fault fault;
	/* Bo lives in 902: 901's desk finds nobody, by CPR or by name */
	assert_int_equal(lookup(f, AGENT(f->m901, 3), "010190-1234", NULL, &r, &fault),
			 HH_OK);
	assert_int_equal(r.n, 0);
	assert_int_equal(lookup(f, AGENT(f->m901, 3), NULL, "Bo Berg", &r, &fault),
			 HH_OK);
	assert_int_equal(r.n, 0);
	/* nor reads his history: as if he did not exist */
	struct hh_citizen z;
	assert_int_equal(hh_desk_history(f->st, &f->a, AGENT(f->m901, 3), f->bo, &z,
					 NULL, NULL, NULL),
			 HH_ERR_NOT_FOUND);
	/* 902's desk and the agency's find him */
	assert_int_equal(lookup(f, AGENT(f->m902, 4), "010190-1234", NULL, &r, &fault),
			 HH_OK);
	assert_int_equal(r.n, 1);
	assert_int_equal(lookup(f, ACTOR(f->udk, 0, HH_ROLE_AGENT, 5), NULL, "berg",
				&r, &fault),
			 HH_OK);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.ids[0], f->bo);
	/* roles without the desk: refused */
	assert_int_equal(lookup(f, ACTOR(f->m901, 1, HH_ROLE_CASEWORKER, 6),
				"0707614285", NULL, &r, &fault),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(lookup(f, ACTOR(f->m901, 1, HH_ROLE_EDITOR, 6), NULL,
				"Anna", &r, &fault),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(hh_desk_history(f->st, &f->a,
					 ACTOR(f->m901, 1, HH_ROLE_EDITOR, 6),
					 f->anna, &z, NULL, NULL, NULL),
			 HH_ERR_FORBIDDEN);
	/* an admin of the municipality has the desk too */
	assert_int_equal(lookup(f, ACTOR(f->m901, 1, HH_ROLE_ADMIN, 6), "0707614285",
				NULL, &r, &fault),
			 HH_OK);
	assert_int_equal(r.n, 1);
}

/* ---- history ------------------------------------------------------------------ */

struct hist {
	int64_t inq[16], cases[16];
	int n_inq, n_cases;
};

static enum hh_rc hist_inq(void *p, const struct hh_inquiry *q)
{
	struct hist *h = p;
	h->inq[h->n_inq++] = q->id;
	return HH_OK;
}

static enum hh_rc hist_case(void *p, const struct hh_case *c)
{
	struct hist *h = p;
	h->cases[h->n_cases++] = c->id;
	return HH_OK;
}

static void t_history_audited(void **state)
{
	struct fx *f = *state;
	int64_t q1 = create(f, AGENT(f->m901, 3),
			    (struct hh_inquiry_input){ .channel = "phone",
						       .citizen_id = f->anna });
	create(f, AGENT(f->m901, 3),
	       (struct hh_inquiry_input){ .channel = "counter", .citizen_id = f->soeren });
	/* the agency's own inquiry about Anna is not 901's to see */
	create(f, ACTOR(f->udk, 0, HH_ROLE_AGENT, 5),
	       (struct hh_inquiry_input){ .channel = "phone", .citizen_id = f->anna });
	struct hh_audit *au;
	size_t before = audits_of(f, f->anna, &au);
	struct hist h = { .n_inq = 0 };
	struct hh_citizen z;
	assert_int_equal(hh_desk_history(f->st, &f->a, AGENT(f->m901, 3), f->anna, &z,
					 hist_inq, hist_case, &h),
			 HH_OK);
	assert_string_equal(z.name, "Anna Andersen");
	assert_int_equal(h.n_inq, 1);
	assert_int_equal(h.inq[0], q1);
	/* 901's case, not the agency's */
	assert_int_equal(h.n_cases, 1);
	assert_int_equal(h.cases[0], f->case_anna);
	assert_int_equal(audits_of(f, f->anna, &au), before + 1);
	assert_non_null(strstr(au[0].what, "historik"));
	/* the agency's desk sees its own case of hers */
	struct hist h2 = { .n_inq = 0 };
	assert_int_equal(hh_desk_history(f->st, &f->a, ACTOR(f->udk, 0, HH_ROLE_AGENT, 5),
					 f->anna, &z, hist_inq, hist_case, &h2),
			 HH_OK);
	assert_int_equal(h2.n_cases, 1);
	assert_int_equal(h2.cases[0], f->case_bo);
	assert_int_equal(h2.n_inq, 1);
}

/* ---- transfers ---------------------------------------------------------------- */

static void t_transfer_queued_and_closed(void **state)
{
	struct fx *f = *state;
	const struct hh_actor *udk_agent = ACTOR(f->udk, 0, HH_ROLE_AGENT, 5);
	int64_t id = create(f, AGENT(f->m901, 3),
			    (struct hh_inquiry_input){
				    .channel = "phone", .citizen_id = f->anna,
				    .outcome = "transferred", .transfer_org = "udk",
				    .transfer_team = "boligstoette",
				    .transfer_reason = "anden-myndighed" });
	/* queued at the receiver, nowhere else */
	struct queue k = queue_of(f, udk_agent);
	assert_int_equal(k.n, 1);
	assert_int_equal(k.inquiry[0], id);
	assert_int_equal(queue_of(f, AGENT(f->m902, 4)).n, 0);
	assert_int_equal(queue_of(f, AGENT(f->m901, 3)).n, 0);
	int64_t tid = k.transfer[0];
	/* the receiver reads it and its chain; another municipality does
	 * not know it exists; the receiver does not get the inquiry through
	 * the inquiries' own door (only what was transferred) */
	struct hh_inquiry_transfer t;
	struct hh_inquiry q;
	int chain = 0;
	assert_int_equal(hh_desk_transfer_get(f->st, &f->a, udk_agent, tid, &t, &q,
					      count_row, &chain),
			 HH_OK);
	assert_int_equal(chain, 1); /* transfers per inquiry */
	assert_int_equal(q.id, id);
	assert_string_equal(t.to_team, "boligstoette");
	assert_string_equal(t.reason, "anden-myndighed");
	assert_int_equal(t.from_org_id, f->m901);
	assert_int_equal(hh_desk_transfer_get(f->st, &f->a, AGENT(f->m902, 4), tid, &t,
					      &q, NULL, NULL),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_inquiry_get(f->st, &f->a, AGENT(f->m902, 4), id, &q),
			 HH_ERR_NOT_FOUND);
	/* the sender reads the transfer but may not handle it */
	enum hh_desk_fault fault;
	const char *field;
	struct hh_desk_close resolved = { .result = "resolved" };
	assert_int_equal(hh_desk_transfer_close(f->st, &f->a, AGENT(f->m901, 3), tid,
						&resolved, &t, &fault, &field),
			 HH_ERR_FORBIDDEN);
	/* an unknown team or reason onwards: refused, nothing written */
	size_t ev_before = tu_events(f->st, &f->a, "inquiry", id, &(struct hh_event *){ 0 });
	struct hh_desk_close bad[] = {
		{ .result = "transferred", .to_team = "findes-ikke", .reason = "fagligt" },
		{ .result = "transferred", .to_team = "pension", .reason = "findes-ikke" },
		{ .result = "transferred", .to_org = "zzz", .reason = "fagligt" },
		{ .result = "transferred", .reason = "fagligt" },
		{ .result = "afsluttet" },
		{ .result = "case_created" },
		{ .result = "resolved", .case_id = 1 },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(hh_desk_transfer_close(f->st, &f->a, udk_agent, tid,
							&bad[i], &t, &fault, &field),
				 HH_ERR_INVALID);
		assert_int_not_equal(fault, HH_DESK_FINE);
	}
	assert_int_equal(tu_events(f->st, &f->a, "inquiry", id,
				   &(struct hh_event *){ 0 }),
			 ev_before);
	assert_int_equal(queue_of(f, udk_agent).n, 1);
	/* taken, then sent on to another team of the agency */
	assert_int_equal(hh_desk_transfer_take(f->st, &f->a, udk_agent, tid, &t, &fault),
			 HH_OK);
	assert_string_equal(t.taken_by, "user:5");
	struct hh_desk_close on = { .result = "transferred", .to_team = "pension",
				    .reason = "fagligt" };
	assert_int_equal(hh_desk_transfer_close(f->st, &f->a, udk_agent, tid, &on, &t,
						&fault, &field),
			 HH_OK);
	k = queue_of(f, udk_agent);
	assert_int_equal(k.n, 1);
	assert_int_not_equal(k.transfer[0], tid);
	chain = 0;
	assert_int_equal(hh_desk_transfer_get(f->st, &f->a, udk_agent, k.transfer[0],
					      &t, &q, count_row, &chain),
			 HH_OK);
	assert_int_equal(chain, 2);
	assert_string_equal(t.to_team, "pension");
	/* closed by the receiver: the first contact's outcome unchanged */
	assert_int_equal(hh_desk_transfer_close(f->st, &f->a, udk_agent, k.transfer[0],
						&resolved, &t, &fault, &field),
			 HH_OK);
	assert_string_equal(t.result, "resolved");
	assert_int_equal(queue_of(f, udk_agent).n, 0);
	assert_int_equal(hh_inquiry_get(f->st, &f->a, AGENT(f->m901, 3), id, &q), HH_OK);
	assert_string_equal(q.outcome, "transferred");
	assert_int_equal(q.version, 1);
	/* closed once */
	assert_int_equal(hh_desk_transfer_close(f->st, &f->a, udk_agent, k.transfer[0],
						&resolved, &t, &fault, &field),
			 HH_ERR_CONFLICT);
	assert_int_equal(fault, HH_DESK_STATE);
}

static void t_transfer_by_outcome_change(void **state)
{
	struct fx *f = *state;
	int64_t id = create(f, AGENT(f->m901, 3),
			    (struct hh_inquiry_input){ .channel = "counter" });
	struct hh_inquiry q;
	enum hh_inquiry_fault fault;
	const char *field;
	/* unknown team: refused, no transfer queued */
	struct hh_inquiry_input bad = { .outcome = "transferred",
					.transfer_team = "findes-ikke",
					.transfer_reason = "anden-myndighed" };
	assert_int_equal(hh_inquiry_set_outcome(f->st, &f->a, AGENT(f->m901, 3), id, 1,
						&bad, &q, &fault, &field),
			 HH_ERR_INVALID);
	assert_int_equal(queue_of(f, AGENT(f->m901, 3)).n, 0);
	/* to a team of the own organisation: its own queue */
	struct hh_inquiry_input in = { .outcome = "transferred",
				       .transfer_team = "ydelse",
				       .transfer_reason = "anden-myndighed" };
	assert_int_equal(hh_inquiry_set_outcome(f->st, &f->a, AGENT(f->m901, 3), id, 1,
						&in, &q, &fault, &field),
			 HH_OK);
	struct queue k = queue_of(f, AGENT(f->m901, 3));
	assert_int_equal(k.n, 1);
	assert_int_equal(k.inquiry[0], id);
	assert_int_equal(queue_of(f, ACTOR(f->udk, 0, HH_ROLE_AGENT, 5)).n, 0);
}

/* Every store call of a transfer's write path failing once with IO: the
 * transfer, its chain and the events stay as they were; BUSY is retried
 * to one write. */
static void t_transfer_faults(void **state)
{
	struct fx *f = *state;
	const struct hh_actor *udk_agent = ACTOR(f->udk, 0, HH_ROLE_AGENT, 5);
	struct hh_inquiry_input in = { .channel = "phone", .outcome = "transferred",
				       .transfer_org = "udk",
				       .transfer_team = "boligstoette",
				       .transfer_reason = "anden-myndighed" };
	struct hh_inquiry q;
	int replayed, n, sites = 0;
	for (n = 1; n < 100; n++) {
		hh_store_fault_inject(f->st, n, HH_ERR_IO);
		enum hh_rc rc = hh_inquiry_create(f->st, &f->a, AGENT(f->m901, 3), &in,
						  &q, &replayed, NULL, NULL);
		hh_store_fault_inject(f->st, 0, HH_OK);
		if (rc == HH_OK)
			break;
		assert_int_equal(rc, HH_ERR_IO);
		sites++;
		/* no inquiry without its transfer, no transfer without it */
		assert_int_equal(queue_of(f, udk_agent).n, 0);
		assert_int_equal(tu_event_count(f->st), 0);
	}
	assert_true(sites >= 8);
	struct queue k = queue_of(f, udk_agent);
	assert_int_equal(k.n, 1);
	int64_t tid = k.transfer[0], id = q.id;
	int64_t events = tu_event_count(f->st);
	struct hh_desk_close on = { .result = "transferred", .to_team = "pension",
				    .reason = "fagligt" };
	struct hh_inquiry_transfer t;
	enum hh_desk_fault fault;
	const char *field;
	sites = 0;
	for (n = 1; n < 100; n++) {
		hh_store_fault_inject(f->st, n, HH_ERR_IO);
		enum hh_rc rc = hh_desk_transfer_close(f->st, &f->a, udk_agent, tid, &on,
						       &t, &fault, &field);
		hh_store_fault_inject(f->st, 0, HH_OK);
		if (rc == HH_OK)
			break;
		assert_int_equal(rc, HH_ERR_IO);
		sites++;
		k = queue_of(f, udk_agent);
		assert_int_equal(k.n, 1);
		assert_int_equal(k.transfer[0], tid);
		assert_int_equal(tu_event_count(f->st), events);
	}
	assert_true(sites >= 6);
	int chain = 0;
	k = queue_of(f, udk_agent);
	assert_int_equal(k.n, 1);
	assert_int_equal(hh_desk_transfer_get(f->st, &f->a, udk_agent, k.transfer[0],
					      &t, &q, count_row, &chain),
			 HH_OK);
	assert_int_equal(chain, 2);
	assert_int_equal(q.id, id);
	assert_int_equal(tu_event_count(f->st), events + 1);
	/* BUSY at any call: retried, one close */
	struct hh_desk_close done = { .result = "resolved" };
	hh_store_fault_inject(f->st, 3, HH_ERR_BUSY);
	assert_int_equal(hh_desk_transfer_close(f->st, &f->a, udk_agent, k.transfer[0],
						&done, &t, &fault, &field),
			 HH_OK);
	hh_store_fault_inject(f->st, 0, HH_OK);
	assert_int_equal(queue_of(f, udk_agent).n, 0);
	assert_int_equal(tu_event_count(f->st), events + 2);
}

/* ---- callbacks on the Danish day ---------------------------------------------- */

static int64_t at(const char *iso)
{
	int64_t t;
	assert_true(hh_iso8601_parse(iso, &t));
	return t;
}

struct ids {
	int64_t v[16];
	int n;
};

static enum hh_rc id_row(void *p, const struct hh_inquiry *q)
{
	struct ids *r = p;
	r->v[r->n++] = q->id;
	return HH_OK;
}

static void t_callbacks_today(void **state)
{
	struct fx *f = *state;
	int64_t from, to;
	/* the day summer time starts has 23 hours, the day it ends 25 */
	hh_desk_dk_day(at("2027-03-28T12:00:00Z"), &from, &to);
	assert_int_equal(from, at("2027-03-27T23:00:00Z"));
	assert_int_equal(to, at("2027-03-28T22:00:00Z"));
	hh_desk_dk_day(at("2027-10-31T12:00:00Z"), &from, &to);
	assert_int_equal(from, at("2027-10-30T22:00:00Z"));
	assert_int_equal(to, at("2027-10-31T23:00:00Z"));
	/* just after Danish midnight is the new day, though UTC is not */
	hh_desk_dk_day(at("2027-01-15T23:30:00Z"), &from, &to);
	assert_int_equal(from, at("2027-01-15T23:00:00Z"));

	static const char *const due[] = {
		"2027-03-27T22:59:00Z", /* 23:59 on the 27th: yesterday */
		"2027-03-27T23:01:00Z", /* 00:01 on the 28th: today */
		"2027-03-28T21:59:00Z", /* 23:59 summer time: today */
		"2027-03-28T22:01:00Z", /* 00:01 on the 29th: tomorrow */
	};
	int64_t ids[4];
	for (int i = 0; i < 4; i++)
		ids[i] = create(f, AGENT(f->m901, 3),
				(struct hh_inquiry_input){
					.channel = "phone", .outcome = "callback_promised",
					.callback_due_at = at(due[i]) });
	/* another organisation's callback the same day is not ours */
	create(f, AGENT(f->m902, 4),
	       (struct hh_inquiry_input){ .channel = "phone",
					  .outcome = "callback_promised",
					  .callback_due_at = at(due[1]) });
	/* today's, and yesterday's not made yet (overdue), soonest first;
	 * not tomorrow's */
	struct ids r = { .n = 0 };
	assert_int_equal(hh_desk_callbacks_today(f->st, &f->a, AGENT(f->m901, 3),
						 at("2027-03-28T12:00:00Z"), id_row, &r),
			 HH_OK);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.v[0], ids[0]);
	assert_int_equal(r.v[1], ids[1]);
	assert_int_equal(r.v[2], ids[2]);
	/* at 23:30 Danish time on the 27th the day is still the 27th */
	r.n = 0;
	assert_int_equal(hh_desk_callbacks_today(f->st, &f->a, AGENT(f->m901, 3),
						 at("2027-03-27T22:30:00Z"), id_row, &r),
			 HH_OK);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.v[0], ids[0]);
	/* a callback made (transferred afterwards) is no longer due */
	struct hh_inquiry q;
	enum hh_inquiry_fault fault;
	const char *field;
	struct hh_inquiry_input in = { .outcome = "transferred",
				       .transfer_team = "ydelse",
				       .transfer_reason = "anden-myndighed" };
	assert_int_equal(hh_inquiry_set_outcome(f->st, &f->a, AGENT(f->m901, 3), ids[1],
						1, &in, &q, &fault, &field),
			 HH_OK);
	r.n = 0;
	assert_int_equal(hh_desk_callbacks_today(f->st, &f->a, AGENT(f->m901, 3),
						 at("2027-03-28T12:00:00Z"), id_row, &r),
			 HH_OK);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.v[0], ids[0]);
	assert_int_equal(r.v[1], ids[2]);
}

/* ---- usefulness ------------------------------------------------------------------ */

struct top {
	int64_t article, answered, linked;
	int n;
};

static enum hh_rc top_row(void *p, const struct hh_article *a, int64_t answered,
			  int64_t linked)
{
	struct top *t = p;
	if (!t->n++) {
		t->article = a->id;
		t->answered = answered;
		t->linked = linked;
	}
	return HH_OK;
}

static void t_usefulness(void **state)
{
	struct fx *f = *state;
	const struct hh_actor *editor = ACTOR(f->m901, 1, HH_ROLE_EDITOR, 6);
	int64_t answered, linked;
	assert_int_equal(hh_desk_usefulness(f->st, editor, f->article, &answered, &linked),
			 HH_OK);
	assert_int_equal(answered, 0);
	/* answered at once with the article, on the outcome change */
	int64_t a1 = create(f, AGENT(f->m901, 3),
			    (struct hh_inquiry_input){ .channel = "phone" });
	struct hh_inquiry q;
	enum hh_inquiry_fault fault;
	const char *field;
	struct hh_inquiry_input done = { .outcome = "resolved_first_contact",
					 .article_id = f->article };
	assert_int_equal(hh_inquiry_set_outcome(f->st, &f->a, AGENT(f->m901, 3), a1, 1,
						&done, &q, &fault, &field),
			 HH_OK);
	assert_int_equal(q.article_id, f->article);
	/* by the separate call, another municipality's inquiry */
	int64_t a2 = create(f, AGENT(f->m902, 4),
			    (struct hh_inquiry_input){
				    .channel = "counter",
				    .outcome = "resolved_first_contact" });
	enum hh_desk_fault dfault;
	assert_int_equal(hh_desk_link_article(f->st, &f->a, AGENT(f->m902, 4), a2, 1,
					      f->article, &q, &dfault),
			 HH_OK);
	assert_int_equal(q.version, 2);
	/* stale version and unknown article: refused */
	assert_int_equal(hh_desk_link_article(f->st, &f->a, AGENT(f->m902, 4), a2, 1,
					      f->article, &q, &dfault),
			 HH_ERR_CONFLICT);
	assert_int_equal(hh_desk_link_article(f->st, &f->a, AGENT(f->m902, 4), a2, 2,
					      999999, &q, &dfault),
			 HH_ERR_INVALID);
	/* another municipality's agent cannot touch 902's inquiry */
	assert_int_equal(hh_desk_link_article(f->st, &f->a, AGENT(f->m901, 3), a2, 2,
					      f->article, &q, &dfault),
			 HH_ERR_NOT_FOUND);
	/* linked but transferred: linked, not answered */
	create(f, AGENT(f->m901, 3),
	       (struct hh_inquiry_input){ .channel = "phone", .article_id = f->article,
					  .outcome = "transferred",
					  .transfer_team = "ydelse",
					  .transfer_reason = "anden-myndighed" });
	assert_int_equal(hh_desk_usefulness(f->st, editor, f->article, &answered, &linked),
			 HH_OK);
	assert_int_equal(answered, 2);
	assert_int_equal(linked, 3);
	struct top t = { .n = 0 };
	assert_int_equal(hh_desk_usefulness_top(f->st, &f->a, editor, 10, top_row, &t),
			 HH_OK);
	assert_int_equal(t.n, 1);
	assert_int_equal(t.article, f->article);
	assert_int_equal(t.answered, 2);
	/* agents and citizens do not read the figures */
	assert_int_equal(hh_desk_usefulness(f->st, AGENT(f->m901, 3), f->article,
					    &answered, &linked),
			 HH_ERR_FORBIDDEN);
}

/* ---- assisted self-service ------------------------------------------------------ */

static enum hh_rc no_case(void *p, const struct hh_case *c)
{
	(void)p;
	(void)c;
	return HH_OK;
}

#define CT_HJAELP                                                             \
	"{\"name\":\"Hjælp\",\"organisation\":\"municipality\","             \
	"\"deadline\":\"P30D\",\"public\":true,\"initial\":\"received\","     \
	"\"states\":[{\"key\":\"received\",\"label\":\"Modtaget\"},"         \
	"{\"key\":\"done\",\"label\":\"Afgjort\",\"final\":true}],"           \
	"\"transitions\":[{\"from\":\"received\",\"to\":\"done\","            \
	"\"role\":\"caseworker\"}],"                                           \
	"\"form\":{\"title\":\"Hjælp\",\"fields\":[{\"name\":\"antal\","       \
	"\"label\":\"Antal\",\"type\":\"number\",\"required\":true,"          \
	"\"min\":1,\"max\":20}]}}"

static void t_assisted_case_carries_consent(void **state)
{
	struct fx *f = *state;
	struct hh_tx *tx;
	assert_int_equal(f->st->tx_begin(f->st->cls, 1, &tx), HH_OK);
	struct hh_case_type ct = { .code = "hjaelp", .organisation = "municipality",
				   .name = "Hjælp", .public = 1,
				   .definition = CT_HJAELP };
	assert_int_equal(f->st->case_type_put(tx, &ct), HH_OK);
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
	json_t *values = json_pack("{s:s}", "antal", "2");
	struct hh_desk_assist in = { .case_type = "hjaelp", .values = values };
	struct hh_form_result res;
	struct hh_case c;
	int replayed;
	enum hh_submit_fault fault;
	enum hh_desk_fault dfault;
	/* without the citizen's consent: refused, no case */
	assert_int_equal(hh_desk_assisted_submit(f->st, &f->a, AGENT(f->m901, 3),
						 f->anna, &in, &res, &c, &replayed,
						 &fault, &dfault),
			 HH_ERR_INVALID);
	assert_int_equal(dfault, HH_DESK_CONSENT);
	struct hh_case_filter cf = { .citizen_id = f->anna };
	int64_t total = 0;
	tx = tu_read_begin(f->st);
	assert_int_equal(f->st->case_list(tx, &f->a, &cf, 0, 1, &total, no_case, NULL),
			 HH_OK);
	tu_read_end(tx);
	int64_t cases_before = total;
	/* another municipality's citizen: not found; a role without the
	 * desk: refused */
	in.consent = 1;
	assert_int_equal(hh_desk_assisted_submit(f->st, &f->a, AGENT(f->m901, 3), f->bo,
						 &in, &res, &c, &replayed, &fault,
						 &dfault),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_desk_assisted_submit(f->st, &f->a,
						 ACTOR(f->m901, 1, HH_ROLE_CASEWORKER, 6),
						 f->anna, &in, &res, &c, &replayed,
						 &fault, &dfault),
			 HH_ERR_FORBIDDEN);
	/* with consent: the citizen's case at their municipality, recording
	 * the agent, the organisation and the consent */
	assert_int_equal(hh_desk_assisted_submit(f->st, &f->a, AGENT(f->m901, 3),
						 f->anna, &in, &res, &c, &replayed,
						 &fault, &dfault),
			 HH_OK);
	json_decref(res.values);
	assert_int_equal(c.citizen_id, f->anna);
	assert_int_equal(c.org_id, f->m901);
	const char *agent, *org;
	assert_true(hh_desk_assisted_by(&f->a, c.data, &agent, &org));
	assert_string_equal(agent, "u3@test");
	assert_string_equal(org, "901");
	json_error_t e;
	json_t *data = json_loads(c.data, 0, &e);
	json_t *x = json_object_get(data, HH_DESK_ASSISTED_KEY);
	assert_true(json_is_true(json_object_get(x, "consent")));
	assert_string_equal(json_string_value(json_object_get(x, "agent")), "user:3");
	assert_string_equal(json_string_value(json_object_get(x, "consent_text")),
			    HH_DESK_CONSENT_TEXT);
	json_decref(data);
	/* the case's first event names the agent */
	struct hh_event *ev;
	size_t n = tu_events(f->st, &f->a, "case", c.id, &ev);
	assert_true(n >= 1);
	assert_string_equal(ev[n - 1].actor, "user:3");
	tx = tu_read_begin(f->st);
	assert_int_equal(f->st->case_list(tx, &f->a, &cf, 0, 1, &total, no_case, NULL),
			 HH_OK);
	tu_read_end(tx);
	assert_int_equal(total, cases_before + 1);
	/* a case without help says nothing of it */
	assert_false(hh_desk_assisted_by(&f->a, "{\"antal\":2}", &agent, &org));
	/* with an Idempotency-Key: the same request retried two minutes
	 * later (the time the help is recorded at differs) is the same
	 * case, not a reused key; other values with the key are refused */
	in.idem_key = "skranke-retry";
	int64_t now = hh_now_us();
	assert_int_equal(hh_desk_assisted_submit(f->st, &f->a, AGENT(f->m901, 3),
						 f->anna, &in, &res, &c, &replayed,
						 &fault, &dfault),
			 HH_OK);
	json_decref(res.values);
	assert_false(replayed);
	int64_t first = c.id;
	hh_clock_set_us(now + 120 * 1000000LL);
	assert_int_equal(hh_desk_assisted_submit(f->st, &f->a, AGENT(f->m901, 3),
						 f->anna, &in, &res, &c, &replayed,
						 &fault, &dfault),
			 HH_OK);
	json_decref(res.values);
	assert_true(replayed);
	assert_int_equal(c.id, first);
	json_t *other = json_pack("{s:s}", "antal", "3");
	in.values = other;
	res.values = NULL;
	assert_int_equal(hh_desk_assisted_submit(f->st, &f->a, AGENT(f->m901, 3),
						 f->anna, &in, &res, &c, &replayed,
						 &fault, &dfault),
			 HH_ERR_CONFLICT);
	json_decref(res.values); /* the caller's on every answer, as the API's */
	assert_int_equal(fault, HH_SUBMIT_KEY_REUSED);
	hh_clock_set_us(0);
	json_decref(other);
	json_decref(values);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(t_lookup_by_cpr_audited, setup, teardown),
		cmocka_unit_test_setup_teardown(t_lookup_by_name, setup, teardown),
		cmocka_unit_test_setup_teardown(t_municipality_sees_only_its_own, setup,
						teardown),
		cmocka_unit_test_setup_teardown(t_history_audited, setup, teardown),
		cmocka_unit_test_setup_teardown(t_transfer_queued_and_closed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(t_transfer_by_outcome_change, setup,
						teardown),
		cmocka_unit_test_setup_teardown(t_transfer_faults, setup, teardown),
		cmocka_unit_test_setup_teardown(t_callbacks_today, setup, teardown),
		cmocka_unit_test_setup_teardown(t_usefulness, setup, teardown),
		cmocka_unit_test_setup_teardown(t_assisted_case_carries_consent, setup,
						teardown),
	};
	return cmocka_run_group_tests_name("domain/desk", tests, NULL, NULL);
}
