/* demo.c - the demo inquiries (demo.h): a plan of contacts per
 * organisation, made with a fixed-seed generator, then written through
 * the domain. */
#include "domain/demo.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/dktime.h"
#include "core/util.h"
#include "domain/cases.h"
#include "domain/hours.h"
#include "domain/inquiries.h"

#define META_KEY "demo_inquiries"
#define N_DAYS 5
#define MAX_CONTACTS (N_DAYS * 80)
#define MAX_LIST 64

/* ---- the generator ----------------------------------------------------- */

/* xorshift64*, seeded per organisation from its code: the plan of one
 * organisation does not depend on which others exist. */
struct rng {
	uint64_t s;
};

static void rng_seed(struct rng *r, const char *code)
{
	uint64_t h = 0x9e3779b97f4a7c15ull; /* FNV-1a over the code, mixed */
	for (const char *p = code; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ull;
	r->s = h ? h : 1;
}

static uint32_t rnd(struct rng *r, uint32_t n)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return n ? (uint32_t)((r->s * 0x2545f4914f6cdd1dull) >> 33) % n : 0;
}

/* ---- Danish days ------------------------------------------------------- */

/* The instant of Danish wall-clock time secs after midnight on local day
 * day (days since 1970-01-01). */
static int64_t dk_at(int64_t day, int64_t secs)
{
	return hh_dk_instant(day, (int)(secs / 60)) + secs % 60;
}

static int64_t dk_day(int64_t t)
{
	int64_t l = hh_dk_local(t);
	return l >= 0 ? l / 86400 : (l - 86399) / 86400;
}

/* A working day: Monday to Friday and no public holiday. */
static int is_weekday(int64_t day)
{
	return (day + 3) % 7 < 5 && /* 1970-01-01 was a Thursday */
	       !hh_dk_holiday(day);
}

/* ---- what an organisation has ------------------------------------------ */

enum { PHONE, COUNTER, CHAT, EMAIL, WEB, LETTER, N_CHANNELS };
static const char *const channel_names[N_CHANNELS] = {
	"phone", "counter", "chat", "email", "web", "letter_reply"
};
/* Shares in percent, as a Borgerservice logs them: mostly the phone,
 * then the counter; agencies have no counter. */
static const int share_municipality[N_CHANNELS] = { 40, 22, 12, 12, 8, 6 };
static const int share_agency[N_CHANNELS] = { 55, 0, 15, 12, 10, 8 };

enum outcome { OPEN, RESOLVED, TRANSFERRED, CASE_CREATED, CALLBACK };
static const char *const outcome_names[] = {
	"open", "resolved_first_contact", "transferred", "case_created",
	"callback_promised"
};

struct org_info {
	struct hh_org org;
	struct hh_actor agents[8];
	int n_agents;
	const char *teams[MAX_LIST];
	int n_teams;
	const char *reasons[MAX_LIST];
	int n_reasons;
	int64_t articles[MAX_LIST];
	const char *article_kle[MAX_LIST];
	int n_articles;
	const char *case_known, *case_anonymous; /* case types, or NULL */
};

struct citizen_info {
	int64_t id, municipality_id;
};

/* One planned contact. */
struct contact {
	int channel, agent, outcome;
	int64_t started_at, ended_at, citizen_id, article_id;
	const char *kle;
	int callback;    /* 0 none; 1 due today; 2 due tomorrow; 3 made since */
	int64_t callback_due_at;
	const char *team, *to_org, *reason, *note;
	int64_t case_id;
	int64_t id, version; /* once written */
};

struct plan {
	struct org_info *org;
	struct contact *c;
	int n;
};

struct demo {
	struct hh_store *st;
	FILE *errs;
	int64_t now;
	struct hh_arena a;
	json_t *teams; /* content_dir/teams.json, or NULL */
	struct org_info orgs[16];
	int n_orgs;
	struct citizen_info citizens[MAX_LIST];
	int n_citizens;
	const char *kles[MAX_LIST]; /* KLE numbers of the articles */
	int n_kles;
	struct plan plans[16];
	int n_plans;
	struct hh_demo_stats *stats;
	int already;
};

/* ---- reading what there is --------------------------------------------- */

static enum hh_rc org_row(void *p, const struct hh_org *o)
{
	struct demo *d = p;
	if (d->n_orgs == (int)(sizeof(d->orgs) / sizeof(d->orgs[0])))
		return HH_OK;
	struct org_info *oi = &d->orgs[d->n_orgs++];
	memset(oi, 0, sizeof(*oi));
	oi->org = *o;
	oi->org.code = hh_arena_strdup(&d->a, o->code);
	oi->org.name = hh_arena_strdup(&d->a, o->name ? o->name : o->code);
	return HH_OK;
}

static struct org_info *org_by_id(struct demo *d, int64_t id)
{
	for (int i = 0; i < d->n_orgs; i++)
		if (d->orgs[i].org.id == id)
			return &d->orgs[i];
	return NULL;
}

static enum hh_rc user_row(void *p, const struct hh_user *u)
{
	struct demo *d = p;
	struct org_info *oi = org_by_id(d, u->org_id);
	if (!oi || u->disabled || !(u->roles & HH_ROLE_AGENT) ||
	    oi->n_agents == (int)(sizeof(oi->agents) / sizeof(oi->agents[0])))
		return HH_OK;
	oi->agents[oi->n_agents++] = (struct hh_actor){
		.label = hh_arena_printf(&d->a, "user:%lld", (long long)u->id),
		.org_id = oi->org.id,
		.org_is_municipality = oi->org.kind == HH_ORG_MUNICIPALITY,
		.roles = u->roles,
		.user_id = u->id,
	};
	return HH_OK;
}

static enum hh_rc citizen_row(void *p, const struct hh_citizen *c)
{
	struct demo *d = p;
	if (d->n_citizens < MAX_LIST)
		d->citizens[d->n_citizens++] =
			(struct citizen_info){ c->id, c->municipality_id };
	return HH_OK;
}

/* A KLE number as inquiries take it: NN, NN.NN or NN.NN.NN. */
static int kle_shape(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n != 2 && n != 5 && n != 8)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (i % 3 == 2 ? s[i] != '.' : (s[i] < '0' || s[i] > '9'))
			return 0;
	return 1;
}

struct article_ctx {
	struct demo *d;
	struct org_info *oi;
};

static enum hh_rc article_row(void *p, const struct hh_article *art)
{
	struct article_ctx *c = p;
	struct org_info *oi = c->oi;
	struct demo *d = c->d;
	if (oi->n_articles == MAX_LIST)
		return HH_OK;
	const char *kle = kle_shape(art->kle) ? hh_arena_strdup(&d->a, art->kle)
					      : NULL;
	oi->articles[oi->n_articles] = art->id;
	oi->article_kle[oi->n_articles++] = kle;
	int known = 0;
	for (int i = 0; kle && i < d->n_kles; i++)
		known |= !strcmp(d->kles[i], kle);
	if (kle && !known && d->n_kles < MAX_LIST)
		d->kles[d->n_kles++] = kle;
	return HH_OK;
}

static enum hh_rc case_type_known(struct hh_tx *tx, struct demo *d,
				  const char *code, const char **out)
{
	struct hh_case_type ct;
	enum hh_rc rc = tx->store->case_type_get_by_code(tx, &d->a, code, &ct);
	*out = rc == HH_OK ? code : NULL;
	return rc == HH_ERR_NOT_FOUND ? HH_OK : rc;
}

static enum hh_rc gather_tx(struct hh_tx *tx, void *p)
{
	struct demo *d = p;
	struct hh_store *st = tx->store;
	const char *done = NULL;
	d->n_orgs = d->n_citizens = d->n_kles = 0;
	enum hh_rc rc = st->meta_get(tx, &d->a, META_KEY, &done);
	if (rc != HH_OK || (d->already = done != NULL))
		return rc;
	if ((rc = st->org_list(tx, &d->a, org_row, d)) != HH_OK ||
	    (rc = st->user_list(tx, &d->a, user_row, d)) != HH_OK ||
	    (rc = st->citizen_list(tx, &d->a, "demo:", citizen_row, d)) != HH_OK)
		return rc;
	const char *known, *anonymous, *pension;
	if ((rc = case_type_known(tx, d, "storskrald-afhentning", &known)) != HH_OK ||
	    (rc = case_type_known(tx, d, "fejl-paa-vej", &anonymous)) != HH_OK ||
	    (rc = case_type_known(tx, d, "folkepension", &pension)) != HH_OK)
		return rc;
	for (int i = 0; i < d->n_orgs; i++) {
		struct org_info *oi = &d->orgs[i];
		struct article_ctx ac = { d, oi };
		/* the organisation's own articles, then the shared ones */
		for (int pass = 0; pass < 2 && rc == HH_OK; pass++) {
			struct hh_article_filter f = {
				.org_id = pass ? -1 : oi->org.id,
				.status = HH_STATUS_PUBLISHED,
			};
			rc = st->article_list(tx, &d->a, &f, 0, MAX_LIST / 2, NULL,
					      article_row, &ac);
		}
		if (oi->org.kind == HH_ORG_MUNICIPALITY) {
			oi->case_known = known;
			oi->case_anonymous = anonymous;
		} else if (!strcmp(oi->org.code, "udk")) {
			oi->case_known = pension;
		}
	}
	return rc;
}

/* The teams and reasons of each organisation, as content_dir/teams.json
 * has them (the store only answers for one code at a time). */
static void codes_from_content(struct demo *d)
{
	for (int i = 0; i < d->n_orgs; i++) {
		struct org_info *oi = &d->orgs[i];
		json_t *o = json_object_get(d->teams, oi->org.code), *it;
		size_t k;
		json_array_foreach(json_object_get(o, "teams"), k, it)
		{
			const char *code = json_string_value(json_object_get(it, "code"));
			/* not to the front desk itself */
			if (code && strcmp(code, "borgerservice") && oi->n_teams < MAX_LIST)
				oi->teams[oi->n_teams++] = hh_arena_strdup(&d->a, code);
		}
		json_array_foreach(json_object_get(o, "transfer_reasons"), k, it)
		{
			const char *code = json_string_value(json_object_get(it, "code"));
			if (code && oi->n_reasons < MAX_LIST)
				oi->reasons[oi->n_reasons++] = hh_arena_strdup(&d->a, code);
		}
	}
}

/* ---- the plan ---------------------------------------------------------- */

static int pick_channel(struct rng *r, const struct org_info *oi)
{
	const int *share = oi->org.kind == HH_ORG_MUNICIPALITY ? share_municipality
								: share_agency;
	int x = (int)rnd(r, 100), c = 0;
	while (c < N_CHANNELS - 1 && x >= share[c])
		x -= share[c++];
	return c;
}

static int written(int channel)
{
	return channel == EMAIL || channel == WEB || channel == LETTER;
}

static int cmp_start(const void *x, const void *y)
{
	const struct contact *a = x, *b = y;
	return (a->started_at > b->started_at) - (a->started_at < b->started_at);
}

static const char *reason_like(const struct org_info *oi, struct rng *r,
			       const char *want)
{
	for (int i = 0; i < oi->n_reasons; i++)
		if (!strcmp(oi->reasons[i], want))
			return oi->reasons[i];
	return oi->n_reasons ? oi->reasons[rnd(r, (uint32_t)oi->n_reasons)] : NULL;
}

/* Where a transfer goes: mostly a team of the organisation, else another
 * authority (with one of its teams, if it has any). */
static void plan_transfer(struct demo *d, struct rng *r,
			  const struct org_info *oi, struct contact *c)
{
	int elsewhere = oi->n_teams == 0 || rnd(r, 100) < 35;
	if (!elsewhere) {
		c->team = oi->teams[rnd(r, (uint32_t)oi->n_teams)];
		static const char *const why[] = { "kraever-sagsbehandler",
						   "igangvaerende-sag", "klage",
						   "tolkebistand" };
		c->reason = reason_like(oi, r, why[rnd(r, 4)]);
		return;
	}
	/* a municipality sends on to an agency, an agency to a municipality */
	const struct org_info *to[16];
	int n = 0;
	for (int i = 0; i < d->n_orgs; i++) {
		const struct org_info *o = &d->orgs[i];
		if (o != oi && (o->org.kind == HH_ORG_MUNICIPALITY) !=
				       (oi->org.kind == HH_ORG_MUNICIPALITY))
			to[n++] = o;
	}
	if (!n) { /* only one kind: any other */
		for (int i = 0; i < d->n_orgs; i++)
			if (&d->orgs[i] != oi)
				to[n++] = &d->orgs[i];
	}
	if (!n) {
		c->team = oi->n_teams ? oi->teams[0] : NULL;
		c->reason = reason_like(oi, r, "kraever-sagsbehandler");
		return;
	}
	const struct org_info *o = to[rnd(r, (uint32_t)n)];
	/* a known citizen is sent to their own municipality */
	for (int i = 0; c->citizen_id && i < d->n_citizens; i++)
		for (int k = 0; d->citizens[i].id == c->citizen_id && k < n; k++)
			if (to[k]->org.id == d->citizens[i].municipality_id)
				o = to[k];
	c->to_org = o->org.code;
	c->team = o->n_teams ? o->teams[rnd(r, (uint32_t)o->n_teams)] : NULL;
	c->reason = reason_like(oi, r, "anden-myndighed");
}

static void shuffle(struct rng *r, int *v, int n)
{
	for (int i = n - 1; i > 0; i--) {
		int j = (int)rnd(r, (uint32_t)i + 1), t = v[i];
		v[i] = v[j];
		v[j] = t;
	}
}

/* The contacts of one organisation; returns how many. */
static int plan_org(struct demo *d, struct org_info *oi, struct contact *out)
{
	struct rng r;
	rng_seed(&r, oi->org.code);
	int muni = oi->org.kind == HH_ORG_MUNICIPALITY;
	int64_t today = dk_day(d->now), days[N_DAYS];
	int n_days = 0;
	for (int64_t day = today; n_days < N_DAYS; day--)
		if (is_weekday(day))
			days[n_days++] = day;

	/* when, how, who and about what */
	int n = 0;
	for (int k = n_days - 1; k >= 0; k--) {
		int per_day = (muni ? 30 : 16) + (int)rnd(&r, muni ? 12 : 8);
		for (int i = 0; i < per_day && n < MAX_CONTACTS; i++) {
			struct contact c = { .channel = pick_channel(&r, oi) };
			int64_t from = 8 * 3600, span = 7 * 3600 + 1800, len;
			if (c.channel == CHAT)
				span = 11 * 3600; /* until 19 */
			else if (c.channel == EMAIL || c.channel == WEB)
				from = 6 * 3600, span = 17 * 3600;
			c.started_at = dk_at(days[k], from + rnd(&r, (uint32_t)span));
			switch (c.channel) {
			case PHONE: len = 120 + rnd(&r, 780); break;
			case COUNTER: len = 300 + rnd(&r, 900); break;
			case CHAT: len = 240 + rnd(&r, 960); break;
			default: /* answered a few hours later */
				len = 3600 + rnd(&r, 5 * 3600);
			}
			c.ended_at = c.started_at + len;
			if (c.started_at > d->now - 300)
				continue; /* later today: not yet */
			/* a call just now ends now; a letter not yet
			 * answered is open */
			if (c.ended_at > d->now - 60 && !written(c.channel))
				c.ended_at = d->now - 60;
			if (c.ended_at <= c.started_at)
				continue;
			c.outcome = c.ended_at > d->now - 60 ? OPEN : RESOLVED;
			c.agent = (int)rnd(&r, (uint32_t)oi->n_agents);
			uint32_t topic = rnd(&r, 100);
			if (topic < 75 && oi->n_articles) {
				int a = (int)rnd(&r, (uint32_t)oi->n_articles);
				c.article_id = oi->articles[a];
				c.kle = oi->article_kle[a];
			} else if (topic < 90 && d->n_kles) {
				c.kle = d->kles[rnd(&r, (uint32_t)d->n_kles)];
			}
			out[n++] = c;
		}
	}
	qsort(out, (size_t)n, sizeof(*out), cmp_start);

	/* written inquiries of the last day are partly still open; at
	 * least two are, so that the queue always has something */
	int n_open = 0;
	for (int i = 0; i < n; i++) {
		struct contact *c = &out[i];
		if (c->outcome == RESOLVED && written(c->channel) &&
		    c->started_at > d->now - 20 * 3600 && rnd(&r, 100) < 60)
			c->outcome = OPEN;
		n_open += c->outcome == OPEN;
	}
	for (int i = n - 1; i >= 0 && n_open < 2; i--)
		if (written(out[i].channel) && out[i].outcome != OPEN) {
			out[i].outcome = OPEN;
			n_open++;
		}
	for (int i = 0; i < n; i++)
		if (out[i].outcome == OPEN)
			out[i].ended_at = 0;

	/* the demo citizens call now and then (a municipality's own
	 * residents; an agency serves everyone); the rest are anonymous */
	for (int z = 0; z < d->n_citizens; z++) {
		const struct citizen_info *ci = &d->citizens[z];
		if (muni && ci->municipality_id != oi->org.id)
			continue;
		int times = muni ? 3 + (int)rnd(&r, 2) : 1 + (int)rnd(&r, 2);
		for (int t = 0; t < times * 4 && times > 0 && n; t++) {
			struct contact *c = &out[rnd(&r, (uint32_t)n)];
			if (!c->citizen_id) {
				c->citizen_id = ci->id;
				times--;
			}
		}
	}

	/* outcomes of the contacts that ended: a deck with the shares
	 * (about two in three resolved at first contact), dealt at random */
	int closed[MAX_CONTACTS], n_closed = 0;
	for (int i = 0; i < n; i++)
		if (out[i].outcome != OPEN)
			closed[n_closed++] = i;
	shuffle(&r, closed, n_closed);
	int n_resolved = (n_closed * 675 + 500) / 1000;
	int n_callback = (n_closed * 9 + 50) / 100;
	int can_case = oi->case_known || oi->case_anonymous;
	int n_case = can_case ? (n_closed * 8 + 50) / 100 : 0;
	if (n_callback < 4)
		n_callback = 4;
	if (n_resolved + n_callback + n_case > n_closed)
		n_callback = n_case = 0; /* too few to show everything */

	/* callbacks: four from the last two days with contacts, due today
	 * and tomorrow; the others older, and made since */
	int64_t recent_from = n ? dk_at(dk_day(out[n - 1].started_at), 0) : 0;
	for (int i = n - 1; i >= 0; i--)
		if (out[i].started_at < recent_from) {
			recent_from = dk_at(dk_day(out[i].started_at), 0);
			break;
		}
	int dealt = 0, recent_callbacks = 0;
	for (int k = 0; k < n_closed && dealt < n_callback; k++) {
		struct contact *c = &out[closed[k]];
		int recent = c->started_at >= recent_from;
		if (recent && recent_callbacks == 4)
			continue;
		if (!recent && dealt - recent_callbacks == n_callback - 4)
			continue;
		c->outcome = CALLBACK;
		if (recent) {
			int tomorrow = recent_callbacks++ % 2;
			int64_t due = dk_at(today + tomorrow, 9 * 3600 + rnd(&r, 6 * 3600));
			if (due <= c->ended_at)
				due = c->ended_at + 3600;
			c->callback = dk_day(due) == today ? 1 : 2;
			c->callback_due_at = due;
			c->note = "Borgeren vil gerne ringes op.";
		} else {
			c->callback = 3;
			int64_t day = dk_day(c->started_at) + 1;
			while (!is_weekday(day))
				day++;
			c->callback_due_at = dk_at(day, 10 * 3600 + rnd(&r, 4 * 3600));
			c->note = "Ringet op igen og sendt videre.";
			plan_transfer(d, &r, oi, c);
		}
		dealt++;
	}
	int rest[MAX_CONTACTS], n_rest = 0;
	for (int k = 0; k < n_closed; k++)
		if (out[closed[k]].outcome != CALLBACK)
			rest[n_rest++] = closed[k];
	for (int k = 0; k < n_rest; k++) {
		struct contact *c = &out[rest[k]];
		if (k < n_resolved) {
			c->outcome = RESOLVED;
		} else if (k < n_resolved + n_case) {
			c->outcome = CASE_CREATED;
			/* a case for a person needs the person: the agency's
			 * cases are for a demo citizen */
			if (!c->citizen_id && !oi->case_anonymous && d->n_citizens)
				c->citizen_id = d->citizens[rnd(&r, (uint32_t)d->n_citizens)].id;
			if (!c->citizen_id && !oi->case_anonymous)
				c->outcome = RESOLVED;
			if (muni && c->citizen_id && !oi->case_known)
				c->citizen_id = 0;
		} else {
			c->outcome = TRANSFERRED;
			plan_transfer(d, &r, oi, c);
			if (!c->reason)
				c->outcome = RESOLVED;
		}
	}
	return n;
}

/* ---- cases made at the desk -------------------------------------------- */

static int64_t citizen_municipality(const struct demo *d, int64_t id)
{
	for (int i = 0; i < d->n_citizens; i++)
		if (d->citizens[i].id == id)
			return d->citizens[i].municipality_id;
	return 0;
}

static enum hh_rc make_case(struct demo *d, const struct org_info *oi,
			    struct contact *c)
{
	struct hh_arena a;
	hh_arena_init(&a);
	const char *town = !strcmp(oi->org.code, "902") ? "8000 Åstrup"
							 : "4700 Nordskov";
	const char *type;
	json_t *values;
	if (!c->citizen_id) {
		type = oi->case_anonymous;
		values = json_pack("{s:s, s:s, s:s}", "kategori", "hul", "sted",
				   hh_arena_printf(&a, "Skovvej %d, %s",
						   (int)(c->started_at % 40) + 1, town),
				   "beskrivelse",
				   "Et dybt hul i vejen, som borgeren ringede om.");
	} else if (oi->org.kind == HH_ORG_MUNICIPALITY) {
		type = oi->case_known;
		values = json_pack("{s:s, s:s, s:i, s:s, s:s}", "adresse",
				   hh_arena_printf(&a, "Skolevej %d, %s",
						   (int)(c->started_at % 60) + 1, town),
				   "genstande", "En sofa, to stole og en madras",
				   "antal", 4, "hvidevarer", "nej", "placering", "skel");
	} else { /* an agency: a pension from the first of a month ahead */
		type = oi->case_known;
		int64_t y;
		int m, dd;
		hh_civil_from_days(dk_day(d->now) + 95, &y, &m, &dd);
		values = json_pack("{s:s, s:s, s:i, s:s}", "oensket_start",
				   hh_arena_printf(&a, "%04lld-%02d-01", (long long)y, m),
				   "partner", "nej", "indkomst", 0, "boet_i_udlandet",
				   "nej");
	}
	const struct hh_actor *agent = &oi->agents[c->agent];
	struct hh_submission sub = {
		.case_type = type, .citizen_id = c->citizen_id,
		.municipality_id = c->citizen_id ? citizen_municipality(d, c->citizen_id)
						 : oi->org.id,
		.values = values, .actor = agent->label,
		.loa = HH_LOA_SUBSTANTIAL,
	};
	struct hh_form_result res = { 0 };
	struct hh_case out;
	int replayed;
	const char *why = NULL;
	enum hh_rc rc = hh_case_submit(d->st, &a, &sub, &res, &out, &replayed, &why,
				       NULL);
	if (rc == HH_OK) {
		c->case_id = out.id;
		d->stats->cases++;
	} else {
		fprintf(d->errs, "demo inquiries: a %s case for %s was refused: %s%s\n",
			type, oi->org.code, hh_rc_name(rc), why ? why : "");
		for (int i = 0; i < res.n_errors; i++)
			fprintf(d->errs, "  %s: %s\n", res.errors[i].field,
				res.errors[i].message);
	}
	json_decref(res.values);
	json_decref(values);
	hh_arena_clear(&a);
	return rc;
}

/* ---- writing ----------------------------------------------------------- */

static enum hh_rc refused(struct demo *d, const struct org_info *oi,
			  const char *what, enum hh_rc rc, const char *field)
{
	fprintf(d->errs, "demo inquiries: %s for %s refused: %s (%s)\n", what,
		oi->org.code, hh_rc_name(rc), field ? field : "-");
	return rc;
}

/* ---- demo chats ---------------------------------------------------------- */

static const char *const chat_questions[] = {
	"Hej. Jeg har et spørgsmål, som jeg ikke kan finde svar på.",
	"Hej, kan I hjælpe mig med noget, jeg ikke kan finde på jeres side?",
	"Goddag. Jeg er i tvivl om, hvad jeg skal gøre, og håber, I kan hjælpe.",
	"Hej, jeg har fået et brev fra jer, som jeg ikke helt forstår.",
	"Hej. Kan I fortælle mig, hvordan jeg kommer videre?",
};
static const char *const chat_comments[] = {
	"Hurtigt og venligt svar.", "Jeg fik lige det link, jeg manglede.",
	NULL, "Det tog lidt tid, men jeg fik svar.", NULL,
};

/* A closed chat with a short transcript for a demo inquiry logged on the
 * chat channel: the citizen's question, the agent's answer (with the
 * inquiry's article as a link), the thanks, and often a rating. */
static enum hh_rc demo_chat(struct hh_tx *tx, struct hh_arena *a,
			    const struct hh_actor *agent,
			    const struct contact *c, const struct hh_inquiry *q,
			    int k)
{
	/* no token hashes to all zeros: nobody opens a demo chat as its
	 * citizen */
	static const unsigned char hash[32];
	int64_t taken = c->started_at + 20 + k % 90;
	int64_t closed = c->ended_at > taken ? c->ended_at : taken + 240;
	struct hh_chat ch = { .org_id = q->org_id, .inquiry_id = q->id,
			      .citizen_id = c->citizen_id, .token_hash = hash,
			      .state = "queued", .created_at = c->started_at,
			      .queued_at = c->started_at };
	enum hh_rc rc = tx->store->chat_insert(tx, &ch);
	if (rc != HH_OK)
		return rc;
	struct hh_article art = { 0 };
	if (c->article_id &&
	    tx->store->article_get_by_id(tx, a, c->article_id, &art) != HH_OK)
		art.id = 0;
	struct hh_chat_message m[4] = {
		{ .sender = "citizen",
		  .body = chat_questions[k % (int)(sizeof(chat_questions) /
						   sizeof(*chat_questions))],
		  .created_at = c->started_at * 1000 + 500 },
		{ .sender = "agent", .user_id = agent->user_id,
		  .body = "Hej, det kan jeg godt hjælpe med. Et øjeblik.",
		  .created_at = taken * 1000 + 2000 },
		{ .sender = "agent", .user_id = agent->user_id,
		  .body = art.id ? "Her er vejledningen, der beskriver det. "
				   "Skriv endelig, hvis noget er uklart."
				 : "Jeg har skrevet det ned, så du får svar.",
		  .article_id = art.id, .article_title = art.id ? art.title : NULL,
		  .article_slug = art.id ? art.slug : NULL,
		  .created_at = (taken + (closed - taken) / 2) * 1000 },
		{ .sender = "citizen", .body = "Tak for hjælpen!",
		  .created_at = closed * 1000 - 5000 },
	};
	for (int i = 0; i < 4 && rc == HH_OK; i++) {
		m[i].chat_id = ch.id;
		rc = tx->store->chat_message_append(tx, &m[i]);
	}
	if (rc != HH_OK)
		return rc;
	ch.state = "closed";
	ch.agent_id = agent->user_id;
	ch.taken_at = taken;
	ch.closed_at = closed;
	if (k % 3 != 2) { /* two in three rate the chat */
		ch.rating = k % 5 == 4 ? 3 : 4 + k % 2;
		ch.rating_comment = chat_comments[k % 5];
	}
	return tx->store->chat_update(tx, &ch, 1);
}

static enum hh_rc write_tx(struct hh_tx *tx, void *p)
{
	struct demo *d = p;
	const char *done = NULL;
	enum hh_rc rc = tx->store->meta_get(tx, &d->a, META_KEY, &done);
	if (rc != HH_OK || (d->already = done != NULL))
		return rc;
	d->stats->inquiries = d->stats->outcomes = d->stats->chats = 0;
	for (int o = 0; o < d->n_plans; o++) {
		struct plan *pl = &d->plans[o];
		const struct org_info *oi = pl->org;
		for (int i = 0; i < pl->n; i++) {
			struct contact *c = &pl->c[i];
			struct hh_arena a;
			hh_arena_init(&a);
			const struct hh_actor *agent = &oi->agents[c->agent];
			int made = c->callback == 3;
			struct hh_inquiry_input in = {
				.channel = channel_names[c->channel],
				.article_id = c->article_id, .kle = c->kle,
				.citizen_id = c->citizen_id,
				.started_at = c->started_at, .ended_at = c->ended_at,
				.outcome = outcome_names[c->outcome],
				.callback_due_at = c->callback_due_at,
				.note = made ? "Borgeren vil gerne ringes op." : c->note,
			};
			if (!made) {
				in.transfer_team = c->team;
				in.transfer_org = c->to_org;
				in.transfer_reason = c->reason;
				in.case_id = c->case_id;
			}
			struct hh_inquiry q;
			int replayed;
			const char *field = NULL;
			rc = hh_inquiry_create_in(tx, &a, agent, &in, &q, &replayed, NULL,
						  &field);
			if (rc != HH_OK) {
				hh_arena_clear(&a);
				return refused(d, oi, "an inquiry", rc, field);
			}
			d->stats->inquiries++;
			if (c->channel == CHAT && c->outcome != OPEN) {
				rc = demo_chat(tx, &a, agent, c, &q, i);
				if (rc != HH_OK) {
					hh_arena_clear(&a);
					return refused(d, oi, "a chat", rc, NULL);
				}
				d->stats->chats++;
			}
			if (made) { /* the callback was made: the result */
				struct hh_inquiry_input then = {
					.outcome = "transferred", .transfer_team = c->team,
					.transfer_org = c->to_org,
					.transfer_reason = c->reason, .note = c->note,
				};
				rc = hh_inquiry_set_outcome_in(tx, &a, agent, q.id, q.version,
							       &then, &q, NULL, &field);
				if (rc != HH_OK) {
					hh_arena_clear(&a);
					return refused(d, oi, "a callback's result", rc,
						       field);
				}
				d->stats->outcomes++;
			}
			hh_arena_clear(&a);
		}
	}
	return tx->store->meta_set(tx, META_KEY, "1");
}

static json_t *load_teams(const char *dir)
{
	if (!dir)
		return NULL;
	char path[4096];
	snprintf(path, sizeof(path), "%s/teams.json", dir);
	return json_load_file(path, 0, NULL);
}

enum hh_rc hh_demo_inquiries(struct hh_store *st, const char *content_dir,
			     int64_t now, FILE *errs,
			     struct hh_demo_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	struct demo *d = hh_xcalloc(1, sizeof(*d));
	d->st = st;
	d->errs = errs;
	d->now = now;
	d->stats = stats;
	hh_arena_init(&d->a);
	d->teams = load_teams(content_dir);
	enum hh_rc rc = hh_store_run_tx(st, 0, gather_tx, d);
	if (rc != HH_OK || d->already)
		goto done;
	codes_from_content(d);
	for (int o = 0; o < d->n_orgs; o++) {
		struct org_info *oi = &d->orgs[o];
		if (!oi->n_agents)
			continue; /* nobody to log them */
		struct plan *pl = &d->plans[d->n_plans++];
		pl->org = oi;
		pl->c = hh_arena_alloc(&d->a, sizeof(struct contact) * MAX_CONTACTS);
		pl->n = plan_org(d, oi, pl->c);
		stats->organisations++;
	}
	for (int o = 0; o < d->n_plans && rc == HH_OK; o++)
		for (int i = 0; i < d->plans[o].n && rc == HH_OK; i++)
			if (d->plans[o].c[i].outcome == CASE_CREATED)
				rc = make_case(d, d->plans[o].org, &d->plans[o].c[i]);
	if (rc == HH_OK)
		rc = hh_store_run_tx(st, 1, write_tx, d);
done:
	stats->already = d->already;
	if (rc != HH_OK)
		stats->inquiries = stats->outcomes = 0;
	json_decref(d->teams);
	hh_arena_clear(&d->a);
	free(d);
	return rc;
}
