/* demoyear.c - a generated year of service data (demoyear.h).
 *
 * The year is a queue of things that happen, ordered by when (a binary
 * heap of actions). Each day adds what starts that day (contacts, chats,
 * written inquiries, self-service cases) with times drawn from the
 * seasons, the weekday and the opening hours; running an action sets the
 * clock to its time, calls the domain as the desk, the caseworker or the
 * citizen would, and adds what follows from it (a receiver closing a
 * transfer, a callback made, the case's next step). Searches and article
 * views are made per day after its actions. One generator (xorshift64*)
 * seeded once, and one order of actions (time, then the order they were
 * added), make the same year from the same options.
 *
 * Rates and shares are in the tables below; docs/demo-year.md explains
 * them. */
#include "domain/demoyear.h"
#include "domain/parties.h"

#include <jansson.h>
#include <math.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/dktime.h"
#include "core/util.h"
#include "domain/cases.h"
#include "domain/chat.h"
#include "domain/desk.h"
#include "domain/feedback.h"
#include "domain/hours.h"
#include "domain/inquiries.h"
#include "domain/letters.h"
#include "domain/reading.h"
#include "domain/searchlog.h"
#include "domain/views.h"

/* ---- the generator ----------------------------------------------------- */

struct rng {
	uint64_t s;
};

static uint64_t rnd64(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dull;
}

/* 0 .. n-1 */
static uint32_t rnd(struct rng *r, uint32_t n)
{
	return n ? (uint32_t)((rnd64(r) >> 33) % n) : 0;
}

/* 0 <= x < 1 */
static double unif(struct rng *r)
{
	return (double)(rnd64(r) >> 11) / 9007199254740992.0;
}

static int chance(struct rng *r, double p)
{
	return unif(r) < p;
}

/* A standard normal (Box-Muller). */
static double normal(struct rng *r)
{
	double u = unif(r), v = unif(r);
	if (u < 1e-12)
		u = 1e-12;
	return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

/* Rounds x to an integer, the fraction by chance (so that many small
 * daily counts add up to the year's). */
static int64_t round_rnd(struct rng *r, double x)
{
	int64_t n = (int64_t)x;
	return n + chance(r, x - (double)n);
}

/* ---- what the year is made of ------------------------------------------ */

/* A municipality: its size and its service levels, first and last day of
 * the year (a level moves linearly between them). */
struct muni_conf {
	const char *code, *name, *postcode, *town;
	int citizens;           /* at scale 1 */
	double phone0, phone1;  /* the phone's share of inquiries */
	double fcr0, fcr1;      /* resolved at first contact */
	double callback;        /* callbacks promised */
	double on_time;         /* callbacks made by their due time */
	double self0, self1;    /* self-service share of cases */
	double speed;           /* processing time: median 0.4 x speed of
				   the deadline */
	double rating;          /* mean chat rating */
	int created;            /* made here (not in content/) */
	const char *phone, *counter, *chat; /* hours of a made one:
					       "08:00-15:00" weekdays,
					       NULL none */
};

static const struct muni_conf munis[] = {
	{ "901", "Nordskov Kommune", "4100", "Nordskov", 100000, 0.45, 0.30,
	  0.55, 0.68, 0.08, 0.86, 0.72, 0.86, 1.00, 4.2, 0, NULL, NULL, NULL },
	{ "902", "Åstrup Kommune", "6200", "Åstrup", 30000, 0.48, 0.41, 0.50,
	  0.55, 0.10, 0.76, 0.64, 0.71, 1.25, 3.8, 0, NULL, NULL, NULL },
	{ "903", "Vesterlund Kommune", "7320", "Vesterlund", 22000, 0.40, 0.27,
	  0.62, 0.73, 0.06, 0.93, 0.78, 0.90, 0.80, 4.4, 1, "08:00-15:00",
	  "10:00-15:00", "08:00-20:00" },
	{ "904", "Egebæk Kommune", "6630", "Egebæk", 12000, 0.53, 0.48, 0.45,
	  0.49, 0.12, 0.68, 0.56, 0.61, 1.55, 3.5, 1, "09:00-14:00",
	  "10:00-13:00", NULL },
	{ "905", "Rønnehave Kommune", "4690", "Rønnehave", 40000, 0.44, 0.35,
	  0.57, 0.64, 0.08, 0.84, 0.70, 0.80, 1.05, 4.0, 1, "08:00-16:00",
	  "09:00-15:00", "08:00-18:00" },
	{ "906", "Havsø Kommune", "5960", "Havsø", 6000, 0.56, 0.53, 0.61,
	  0.63, 0.07, 0.91, 0.54, 0.59, 0.90, 4.6, 1, "09:00-13:00",
	  "09:00-12:00", NULL },
	{ "907", "Lyngmose Kommune", "9740", "Lyngmose", 10000, 0.46, 0.38,
	  0.52, 0.60, 0.09, 0.80, 0.67, 0.77, 1.30, 3.9, 1, "08:30-15:00",
	  "10:00-14:00", "09:00-15:00" },
	{ "908", "Kildeby Kommune", "3550", "Kildeby", 16000, 0.42, 0.31, 0.58,
	  0.70, 0.07, 0.88, 0.74, 0.88, 0.90, 4.3, 1, "08:00-15:30",
	  "10:00-15:00", "08:00-21:00" },
};
#define N_MUNIS (int)(sizeof(munis) / sizeof(munis[0]))

/* The agencies: inquiries per citizen (of every municipality made) a
 * year, whether they chat, and their service levels (constant). */
struct agency_conf {
	const char *code;
	double rate, fcr, speed, rating;
};
static const struct agency_conf agencies[] = {
	{ "udk", 0.20, 0.66, 0.95, 4.0 },
	{ "sktst", 0.10, 0.61, 1.0, 3.8 },
	{ "familieretshuset", 0.04, 0.48, 1.2, 3.7 },
	{ "skifteretten", 0.02, 0.52, 1.1, 3.9 },
};
#define N_AGENCIES (int)(sizeof(agencies) / sizeof(agencies[0]))
#define N_ORGS (N_MUNIS + N_AGENCIES)

#define INQUIRIES_PER_CITIZEN 5.0 /* a municipality's, a year */
#define CASES_PER_CITIZEN 1.0
#define SEARCHES_PER_CITIZEN 2.5
#define VIEWS_PER_SEARCH 2.0 /* article views from elsewhere */

enum { PHONE, COUNTER, CHAT, EMAIL, WEB, LETTER, N_CHANNELS };
static const char *const channel_names[N_CHANNELS] = {
	"phone", "counter", "chat", "email", "web", "letter_reply"
};

/* The case types a citizen applies for, with their share of a
 * municipality's cases. Decisions that the citizen must get in writing
 * are sent with their letter, which makes the database grow by about
 * 70 KB each (PDF and MeMo): the types that always decide by letter are
 * the small ones, as they are in a real municipality. */
enum ct {
	CT_STORSKRALD, CT_FLYTNING, CT_FEJL, CT_SYGEDAGPENGE, CT_PARKERING,
	CT_ENKELTYDELSE, CT_FOLKEPENSION, CT_BEGRAVELSE, CT_SKILSMISSE,
	CT_SEPARATION, CT_BOERNETILSKUD, N_CT
};

/* How a case of a type goes: an optional quick decision from the first
 * state, the working states in order, the decisions (a share each, some
 * reached through another state first), and how a request nobody
 * answers ends. */
struct ct_plan {
	const char *code;
	int share;             /* per 1000 of a municipality's cases */
	const char *direct;    /* a quick decision from the first state */
	int direct_pct;
	const char *work[3];   /* states before the decision, in order */
	struct {
		const char *state, *via;
		int pct;
	} ends[4];
	const char *withdraw;  /* a request never answered ends so, NULL:
				  every request is answered */
	int request_pct;       /* cases asked for more */
};

static const struct ct_plan plans[N_CT] = {
	[CT_STORSKRALD] = { "storskrald-afhentning", 400, "rejected", 1,
			    { "scheduled" },
			    { { "done", NULL, 96 }, { "cancelled", NULL, 4 } },
			    NULL, 6 },
	[CT_FLYTNING] = { "flytning-anmeldelse", 290, "registered", 45,
			  { "in_progress" },
			  { { "registered", NULL, 98 }, { "rejected", NULL, 2 } },
			  "withdrawn", 12 },
	[CT_FEJL] = { "fejl-paa-vej", 150, "duplicate", 8,
		      { "triaged", "in_progress" },
		      { { "fixed", NULL, 100 } }, NULL, 5 },
	[CT_SYGEDAGPENGE] = { "sygedagpenge-opfoelgning", 100, "recovered", 10,
			      { "meeting", "in_followup" },
			      { { "recovered", NULL, 68 },
				{ "jobafklaring", NULL, 28 },
				{ "stopped", NULL, 4 } },
			      NULL, 30 },
	[CT_PARKERING] = { "parkeringstilladelse", 12, "granted", 30,
			   { "in_progress" },
			   { { "granted", NULL, 88 }, { "rejected", NULL, 12 } },
			   NULL, 15 },
	[CT_ENKELTYDELSE] = { "enkeltydelse", 6, NULL, 0, { "in_progress" },
			      { { "granted", NULL, 55 },
				{ "granted_loan", NULL, 20 },
				{ "rejected", NULL, 25 } },
			      NULL, 40 },
	[CT_FOLKEPENSION] = { "folkepension", 12, NULL, 0, { "in_progress" },
			      { { "granted", NULL, 94 }, { "rejected", NULL, 6 } },
			      "withdrawn", 25 },
	[CT_BEGRAVELSE] = { "begravelseshjaelp", 4, NULL, 0, { "in_progress" },
			    { { "granted", NULL, 90 }, { "rejected", NULL, 10 } },
			    "withdrawn", 30 },
	[CT_SKILSMISSE] = { "skilsmisse", 22, NULL, 0, { "in_progress" },
			    { { "granted", NULL, 94 },
			      { "referred", "negotiation", 4 },
			      { "rejected", NULL, 2 } },
			    "withdrawn", 10 },
	[CT_SEPARATION] = { "separation", 4, NULL, 0, { "in_progress" },
			    { { "granted", NULL, 88 },
			      { "referred", "negotiation", 8 },
			      { "rejected", NULL, 4 } },
			    "withdrawn", 10 },
	/* follow-ups of a divorce with children, made by the domain */
	[CT_BOERNETILSKUD] = { "boernetilskud-revurdering", 0, NULL, 0,
			       { "in_progress" },
			       { { "unchanged", NULL, 60 }, { "changed", NULL, 40 } },
			       NULL, 20 },
};

/* ---- what the generator keeps ------------------------------------------ */

#define MAX_STAFF 24
#define MAX_ARTICLES 96
#define MAX_CODES 8

struct org {
	struct hh_org o;
	int muni;                         /* index in munis[], or -1 */
	int agency;                       /* index in agencies[], or -1 */
	const struct hh_hours *hours[3];  /* phone, counter, chat; NULL none */
	struct hh_actor agents[MAX_STAFF], workers[MAX_STAFF];
	int n_agents, n_workers;
	const char *teams[MAX_CODES], *reasons[MAX_CODES];
	int n_teams, n_reasons;
	int64_t articles[MAX_ARTICLES];
	const char *article_kle[MAX_ARTICLES];
	const char *article_title[MAX_ARTICLES];
	int n_articles;
	int64_t cit_from, cit_n;          /* its residents in g->cits */
	double year_inquiries, year_cases, year_searches; /* at this scale */
	int64_t made_inquiries, made_cases;
};

struct cit {
	int64_t id;
	int org; /* index of the municipality */
};

struct ctinfo {
	int64_t id, deadline_s;
	int known;
	/* the states whose move needs a letter (hh_ct_letter_kind) */
	const char *letter_states[16];
	int n_letter_states;
};

/* A case being worked. */
struct gcase {
	int64_t id;
	int64_t citizen; /* index in g->cits */
	int org;         /* the case's organisation */
	int ct;
	int stage;       /* the next step's number */
	int end;         /* the decision's index in plans[ct].ends, -1 the
			    quick decision, -2 withdrawn */
	int request;     /* 1 when it will be asked for more */
	int64_t submitted, active_s, paused_s;
};

enum act_kind {
	A_INQUIRY,   /* a contact logged at the desk */
	A_CHAT,      /* a chat, from opening to rating */
	A_WRITTEN,   /* a written inquiry from the web */
	A_ANSWER,    /* the desk answers a written inquiry */
	A_CALLBACK,  /* a promised callback made */
	A_TRANSFER,  /* the receiver closes a transfer */
	A_SUBMIT,    /* a citizen submits a form */
	A_CASE,      /* a case's next step */
};

struct act {
	int64_t at;
	uint64_t seq;
	int kind, org, channel;
	int64_t a, b, c; /* the kind's: ids, versions, indexes */
};

struct gen {
	struct hh_store *st;
	struct hh_arena *a;   /* lives the whole run */
	struct hh_arena tmp;  /* one action's */
	const struct hh_demo_year_opts *o;
	FILE *errs, *progress;
	struct hh_demo_year_stats *stats;
	struct rng r;
	struct org orgs[N_ORGS];
	int n_orgs;
	int home; /* 901 */
	struct cit *cits;
	int64_t n_cits;
	struct ctinfo ct[N_CT];
	struct gcase *cases;
	int64_t n_cases, cap_cases;
	struct act *heap;
	size_t n_heap, cap_heap;
	uint64_t seq;
	struct hh_tx *tx; /* the open batch of inquiry writes, or NULL */
	int batch_n;
	int64_t day;      /* the day being made */
	int64_t end_at;   /* the end of the last day */
	char *pdf_b64;    /* a small PDF for forms that need a file */
	uint16_t *cpr_used; /* per birth day: CPR serials handed out */
	int64_t cpr_day0;
};

/* ---- Danish days and times --------------------------------------------- */

static int64_t dk_day(int64_t t)
{
	int64_t l = hh_dk_local(t);
	return l >= 0 ? l / 86400 : (l - 86399) / 86400;
}

static int64_t dk_at(int64_t day, int min)
{
	return hh_dk_instant(day, min);
}

/* 0 Monday .. 6 Sunday (1970-01-01 was a Thursday) */
static int weekday(int64_t day)
{
	return (int)((day + 3) % 7);
}

static int working_day(int64_t day)
{
	return weekday(day) < 5 && !hh_dk_holiday(day);
}

static double t_of_year(const struct gen *g, int64_t day)
{
	return g->o->days > 1 ? (double)(day - g->o->from_day) / (g->o->days - 1)
			      : 0.0;
}

static double lerp(double x0, double x1, double t)
{
	return x0 + (x1 - x0) * t;
}

/* More contacts in January and August, fewer in July and in the
 * Christmas week. */
static double season(int64_t day)
{
	static const double month[12] = { 1.25, 1.05, 1.0, 0.95, 0.95, 0.9,
					  0.55, 1.2, 1.05, 1.0, 1.0, 0.9 };
	int64_t y;
	int m, d;
	hh_civil_from_days(day, &y, &m, &d);
	if (m == 12 && d >= 22)
		return 0.35;
	if (m == 1 && d == 1)
		return 0.2;
	return month[m - 1];
}

/* The weight of a day for contacts with staff. */
static double day_weight(int64_t day)
{
	static const double wd[7] = { 1.25, 1.1, 1.0, 1.05, 0.8, 0.12, 0.1 };
	double w = hh_dk_holiday(day) ? 0.1 : wd[weekday(day)];
	return w * season(day);
}

/* For self-service and searches, which do not wait for opening hours. */
static double web_weight(int64_t day)
{
	double w = weekday(day) < 5 && !hh_dk_holiday(day) ? 1.0 : 0.55;
	return w * season(day);
}

/* A minute of the day for written things: few at night. */
static int web_minute(struct rng *r)
{
	static const int hour_w[24] = { 1, 1, 1, 1, 1, 2, 4, 8, 10, 11, 11, 10,
					9, 9, 9, 8, 8, 8, 9, 10, 10, 8, 5, 2 };
	int sum = 0;
	for (int i = 0; i < 24; i++)
		sum += hour_w[i];
	int x = (int)rnd(r, (uint32_t)sum), h = 0;
	while (x >= hour_w[h])
		x -= hour_w[h++];
	return h * 60 + (int)rnd(r, 60);
}

/* A random instant in the spans of hours h on day (leaving margin
 * minutes before each close); 0 when closed. */
static int64_t in_hours(struct rng *r, const struct hh_hours *h, int64_t day,
			int margin)
{
	if (!h)
		return 0;
	struct hh_hours_day hd;
	hh_hours_on(h, day, &hd);
	int total = 0;
	for (int i = 0; i < hd.n; i++)
		if (hd.span[i].close_min - margin > hd.span[i].open_min)
			total += hd.span[i].close_min - margin - hd.span[i].open_min;
	if (total <= 0)
		return 0;
	int x = (int)rnd(r, (uint32_t)total);
	for (int i = 0; i < hd.n; i++) {
		int len = hd.span[i].close_min - margin - hd.span[i].open_min;
		if (len <= 0)
			continue;
		if (x < len)
			return dk_at(day, hd.span[i].open_min + x) + rnd(r, 60);
		x -= len;
	}
	return 0;
}

/* When staff next work at or after t: working days, 08:00 to 15:30. */
static int64_t work_time(struct rng *r, int64_t t)
{
	int64_t day = dk_day(t);
	int min = (int)((hh_dk_local(t) - day * 86400) / 60);
	if (working_day(day) && min >= 8 * 60 && min < 15 * 60 + 30)
		return t;
	if (!working_day(day) || min >= 15 * 60 + 30)
		do
			day++;
		while (!working_day(day));
	return dk_at(day, 8 * 60 + (int)rnd(r, 7 * 60)) + rnd(r, 60);
}

static const char *date_of(struct hh_arena *a, int64_t day)
{
	int64_t y;
	int m, d;
	hh_civil_from_days(day, &y, &m, &d);
	return hh_arena_printf(a, "%04lld-%02d-%02d", (long long)y, m, d);
}

/* ---- names, addresses and CPR numbers ---------------------------------- */

static const char *const first_names[] = {
	"Anne", "Mette", "Kirsten", "Hanne", "Helle", "Susanne", "Lene",
	"Maria", "Marianne", "Camilla", "Louise", "Ida", "Emma", "Sofie",
	"Freja", "Karen", "Inge", "Birgit", "Lone", "Tina", "Peter", "Jens",
	"Lars", "Henrik", "Søren", "Niels", "Michael", "Thomas", "Jørgen",
	"Martin", "Rasmus", "Anders", "Mads", "Frederik", "Mikkel", "Oliver",
	"William", "Noah", "Kasper", "Ole", "Poul", "Bent", "Finn", "Fatima",
	"Ahmad", "Yasmin", "Ali", "Aisha", "Omar", "Sara",
};
static const char *const last_names[] = {
	"Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen",
	"Larsen", "Sørensen", "Rasmussen", "Jørgensen", "Petersen", "Madsen",
	"Kristensen", "Olsen", "Thomsen", "Christiansen", "Poulsen",
	"Johansen", "Møller", "Mortensen", "Knudsen", "Jakobsen", "Mikkelsen",
	"Olesen", "Frederiksen", "Laursen", "Henriksen", "Lund", "Holm",
	"Schmidt", "Eriksen", "Kristiansen", "Nørgaard", "Clausen", "Simonsen",
	"Svendsen", "Andreasen", "Iversen", "Jeppesen", "Mogensen", "Karimi",
	"Yilmaz", "Ahmadi",
};
static const char *const streets[] = {
	"Skolevej", "Kirkevej", "Møllevej", "Bakkevej", "Engvej", "Skovvej",
	"Stationsvej", "Vestergade", "Østergade", "Nørregade", "Søndergade",
	"Birkevej", "Egevej", "Lindevej", "Rosenvej", "Strandvejen",
	"Markvej", "Toftevej", "Åvej", "Kærvej", "Byvej", "Mosevej",
};
#define N_OF(x) (uint32_t)(sizeof(x) / sizeof((x)[0]))

static const char *name_new(struct hh_arena *a, struct rng *r)
{
	return hh_arena_printf(a, "%s %s", first_names[rnd(r, N_OF(first_names))],
			       last_names[rnd(r, N_OF(last_names))]);
}

static const char *street_new(struct hh_arena *a, struct rng *r)
{
	return hh_arena_printf(a, "%s %u", streets[rnd(r, N_OF(streets))],
			       1 + rnd(r, 120));
}

static const char *address_new(struct hh_arena *a, struct rng *r,
			       const struct muni_conf *m)
{
	return hh_arena_printf(a, "%s, %s %s", street_new(a, r), m->postcode,
			       m->town);
}

/* A fictitious CPR number of someone born between years y0 and y1, in
 * the valid form (date and the century rule of the 7th digit; modulus 11
 * is not kept, as numbers since 2007 need not). With unique set, no two
 * are alike (a serial per birth date). */
#define CPR_Y0 1925
static const char *cpr_new(struct gen *g, struct hh_arena *a, int y0, int y1,
			   int unique)
{
	int64_t d0 = hh_days_from_civil(y0, 1, 1);
	int64_t d1 = hh_days_from_civil(y1, 12, 31);
	int64_t day = d0 + rnd(&g->r, (uint32_t)(d1 - d0 + 1));
	int64_t y;
	int m, d;
	hh_civil_from_days(day, &y, &m, &d);
	int serial;
	if (unique) {
		uint16_t *used = &g->cpr_used[day - g->cpr_day0];
		serial = (*used)++;
	} else {
		serial = (int)rnd(&g->r, 1000);
	}
	/* 7th digit: 0-3 for the 1900s; 4 (years 00-36) or 5-8 (00-57)
	 * for the 2000s */
	int d7 = y < 2000 ? (serial / 1000) % 4 : 4 + (serial / 1000) % 5;
	if (y >= 2000 && y - 2000 > 36 && d7 == 4)
		d7 = 5;
	return hh_arena_printf(a, "%02d%02d%02d-%d%03d", d, m, (int)(y % 100), d7,
			       serial % 1000);
}

/* ---- the queue of actions ---------------------------------------------- */

static int act_before(const struct act *x, const struct act *y)
{
	return x->at < y->at || (x->at == y->at && x->seq < y->seq);
}

static void push(struct gen *g, struct act act)
{
	if (act.at >= g->end_at)
		return; /* after the year: left as it is (open) */
	if (g->n_heap == g->cap_heap) {
		g->cap_heap = g->cap_heap ? 2 * g->cap_heap : 4096;
		g->heap = hh_xrealloc(g->heap, g->cap_heap * sizeof(*g->heap));
	}
	act.seq = g->seq++;
	size_t i = g->n_heap++;
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (!act_before(&act, &g->heap[p]))
			break;
		g->heap[i] = g->heap[p];
		i = p;
	}
	g->heap[i] = act;
}

static struct act pop(struct gen *g)
{
	struct act top = g->heap[0], last = g->heap[--g->n_heap];
	size_t i = 0, n = g->n_heap;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && act_before(&g->heap[c + 1], &g->heap[c]))
			c++;
		if (!act_before(&g->heap[c], &last))
			break;
		g->heap[i] = g->heap[c];
		i = c;
	}
	if (n)
		g->heap[i] = last;
	return top;
}

/* ---- batches of inquiry writes ----------------------------------------- */

/* The inquiry functions with _in take the caller's transaction: a run of
 * them shares one commit. Anything else opens its own, so the batch is
 * committed first (batch_end). */
#define BATCH_MAX 2000

static enum hh_rc batch(struct gen *g, struct hh_tx **tx)
{
	if (!g->tx) {
		enum hh_rc rc = g->st->tx_begin(g->st->cls, 1, &g->tx);
		if (rc != HH_OK) {
			g->tx = NULL;
			return rc;
		}
		g->batch_n = 0;
	}
	g->batch_n++;
	*tx = g->tx;
	return HH_OK;
}

static enum hh_rc batch_end(struct gen *g)
{
	if (!g->tx)
		return HH_OK;
	struct hh_tx *tx = g->tx;
	g->tx = NULL;
	return g->st->tx_commit(tx);
}

static void batch_abort(struct gen *g)
{
	if (g->tx)
		g->st->tx_rollback(g->tx);
	g->tx = NULL;
}

static enum hh_rc refused(struct gen *g, const char *what, const struct org *o,
			  enum hh_rc rc, const char *detail)
{
	char when[21];
	hh_time_iso(hh_now_us() / 1000000, when);
	fprintf(g->errs, "demo-year: %s at %s refused at %s: %s (%s)\n", what,
		o->o.code, when, hh_rc_name(rc), detail ? detail : "-");
	return rc;
}

/* ---- setting up: organisations, staff, citizens -------------------------- */

static const char *const team_codes[][2] = {
	{ "borgerservice", "Borgerservice" },
	{ "ydelser", "Ydelser" },
	{ "jobcenter", "Jobcenter" },
	{ "byg-og-miljoe", "Byg og miljø" },
};
static const char *const reason_codes[][2] = {
	{ "kraever-sagsbehandler", "Kræver en sagsbehandler" },
	{ "anden-myndighed", "Hører under en anden myndighed" },
	{ "igangvaerende-sag", "Spørgsmål til en igangværende sag" },
	{ "klage", "Klage" },
};

/* The JSON spec of weekday opening hours span ("08:00-15:00"), Friday
 * until 13:00 at the latest, closed on weekends and holidays. */
static char *hours_spec(const char *span)
{
	char fri[12];
	snprintf(fri, sizeof(fri), "%.5s-%s", span,
		 strcmp(span + 6, "13:00") > 0 ? "13:00" : span + 6);
	json_t *week = json_pack("{s:[s], s:[s], s:[s], s:[s], s:[s], s:[], s:[]}",
				 "mon", span, "tue", span, "wed", span, "thu",
				 span, "fri", fri, "sat", "sun");
	json_t *spec = json_pack("{s:o, s:b, s:[]}", "week", week,
				 "holidays_closed", 1, "exceptions");
	char *s = json_dumps(spec, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(spec);
	return s;
}

static enum hh_rc make_orgs_tx(struct hh_tx *tx, void *p)
{
	struct gen *g = p;
	struct hh_store *st = tx->store;
	enum hh_rc rc = HH_OK;
	g->stats->organisations = 0;
	for (int i = 0; i < N_MUNIS && rc == HH_OK; i++) {
		const struct muni_conf *m = &munis[i];
		if (!m->created)
			continue;
		struct hh_org o = { .code = m->code, .name = m->name,
				    .kind = HH_ORG_MUNICIPALITY };
		rc = st->org_put(tx, &o);
		const char *spans[3] = { m->phone, m->counter, m->chat };
		static const char *const services[3] = { "phone", "counter", "chat" };
		for (int k = 0; k < 3 && rc == HH_OK; k++) {
			if (!spans[k])
				continue;
			char *spec = hours_spec(spans[k]);
			rc = spec ? st->hours_put(tx, o.id, services[k], spec)
				  : HH_ERR_INTERNAL;
			free(spec);
		}
		for (uint32_t k = 0; k < N_OF(team_codes) && rc == HH_OK; k++)
			rc = st->inquiry_code_put(tx, o.id, "team", team_codes[k][0],
						  team_codes[k][1]);
		for (uint32_t k = 0; k < N_OF(reason_codes) && rc == HH_OK; k++)
			rc = st->inquiry_code_put(tx, o.id, "reason", reason_codes[k][0],
						  reason_codes[k][1]);
		g->stats->organisations++;
	}
	return rc;
}

static enum hh_rc org_row(void *p, const struct hh_org *o)
{
	struct gen *g = p;
	int muni = -1, agency = -1;
	for (int i = 0; i < N_MUNIS; i++)
		if (!strcmp(munis[i].code, o->code))
			muni = i;
	for (int i = 0; i < N_AGENCIES; i++)
		if (!strcmp(agencies[i].code, o->code))
			agency = i;
	if ((muni < 0 && agency < 0) || g->n_orgs == N_ORGS)
		return HH_OK; /* not one of the year's */
	struct org *x = &g->orgs[g->n_orgs++];
	memset(x, 0, sizeof(*x));
	x->o = *o;
	x->o.code = hh_arena_strdup(g->a, o->code);
	x->o.name = hh_arena_strdup(g->a, o->name ? o->name : o->code);
	x->muni = muni;
	x->agency = agency;
	return HH_OK;
}

static struct org *org_by_id(struct gen *g, int64_t id)
{
	for (int i = 0; i < g->n_orgs; i++)
		if (g->orgs[i].o.id == id)
			return &g->orgs[i];
	return NULL;
}

static void staff_add(struct gen *g, struct org *x, int64_t user_id,
		      unsigned roles)
{
	struct hh_actor who = {
		.label = hh_arena_printf(g->a, "user:%lld", (long long)user_id),
		.org_id = x->o.id,
		.org_is_municipality = x->o.kind == HH_ORG_MUNICIPALITY,
		.roles = roles,
		.user_id = user_id,
	};
	if ((roles & HH_ROLE_AGENT) && x->n_agents < MAX_STAFF)
		x->agents[x->n_agents++] = who;
	else if ((roles & HH_ROLE_CASEWORKER) && x->n_workers < MAX_STAFF)
		x->workers[x->n_workers++] = who;
}

static enum hh_rc user_row(void *p, const struct hh_user *u)
{
	struct gen *g = p;
	struct org *x = org_by_id(g, u->org_id);
	if (x && !u->disabled)
		staff_add(g, x, u->id, u->roles & (HH_ROLE_AGENT | HH_ROLE_CASEWORKER));
	return HH_OK;
}

static enum hh_rc article_row(void *p, const struct hh_article *art)
{
	struct org *x = ((void **)p)[0];
	struct gen *g = ((void **)p)[1];
	if (x->n_articles == MAX_ARTICLES || !art->title)
		return HH_OK;
	x->articles[x->n_articles] = art->id;
	x->article_kle[x->n_articles] =
		art->kle && hh_kle_valid(art->kle) && *art->kle
			? hh_arena_strdup(g->a, art->kle)
			: NULL;
	x->article_title[x->n_articles++] = hh_arena_strdup(g->a, art->title);
	return HH_OK;
}

static enum hh_rc gather_tx(struct hh_tx *tx, void *p)
{
	struct gen *g = p;
	struct hh_store *st = tx->store;
	g->n_orgs = 0;
	enum hh_rc rc = st->org_list(tx, g->a, org_row, g);
	if (rc == HH_OK)
		rc = st->user_list(tx, g->a, user_row, g);
	for (int i = 0; i < g->n_orgs && rc == HH_OK; i++) {
		struct org *x = &g->orgs[i];
		void *ctx[2] = { x, g };
		for (int pass = 0; pass < 2 && rc == HH_OK; pass++) {
			struct hh_article_filter f = { .org_id = pass ? -1 : x->o.id,
						       .status = HH_STATUS_PUBLISHED,
						       .audience = HH_AUDIENCE_CITIZEN };
			rc = st->article_list(tx, g->a, &f, 0, MAX_ARTICLES / 2, NULL,
					      article_row, ctx);
		}
	}
	return rc;
}

/* The teams and reasons an organisation has (those of content/teams.json
 * and of the made municipalities), asked of the store code by code. */
static const char *const all_teams[] = {
	"ydelser", "jobcenter", "byg-og-miljoe", "boern-og-familie", "aeldre",
	"boligstoette", "folkepension", "familieydelser", "barselsdagpenge",
	"skilsmisse", "boernesager", "personskat", "erhverv", "doedsboer",
};
static const char *const all_reasons[] = {
	"kraever-sagsbehandler", "anden-myndighed", "igangvaerende-sag",
	"klage", "tolkebistand",
};

static enum hh_rc codes_tx(struct hh_tx *tx, void *p)
{
	struct gen *g = p;
	for (int i = 0; i < g->n_orgs; i++) {
		struct org *x = &g->orgs[i];
		x->n_teams = x->n_reasons = 0;
		for (uint32_t k = 0; k < N_OF(all_teams) + N_OF(all_reasons); k++) {
			int team = k < N_OF(all_teams);
			const char *code = team ? all_teams[k] : all_reasons[k - N_OF(all_teams)];
			const char *label;
			enum hh_rc rc = tx->store->inquiry_code_get(tx, g->a, x->o.id,
								    team ? "team" : "reason",
								    code, &label);
			if (rc == HH_ERR_NOT_FOUND)
				continue;
			if (rc != HH_OK)
				return rc;
			if (team && x->n_teams < MAX_CODES)
				x->teams[x->n_teams++] = code;
			else if (!team && x->n_reasons < MAX_CODES)
				x->reasons[x->n_reasons++] = code;
		}
	}
	return HH_OK;
}

/* Staff made for the year: enough agents and caseworkers for the
 * volumes, without a password (nobody signs in as them). */
static enum hh_rc staff_tx(struct hh_tx *tx, void *p)
{
	struct gen *g = p;
	for (int i = 0; i < g->n_orgs; i++) {
		struct org *x = &g->orgs[i];
		int size = x->muni >= 0 ? munis[x->muni].citizens : 60000;
		int want[2] = { 2 + size / 12000, 2 + size / 10000 };
		for (int k = 0; k < 2; k++) {
			unsigned role = k ? HH_ROLE_CASEWORKER : HH_ROLE_AGENT;
			int have = k ? x->n_workers : x->n_agents;
			for (int n = have; n < want[k] && n < MAX_STAFF; n++) {
				struct hh_user u = {
					.org_id = x->o.id,
					.email = hh_arena_printf(g->a, "%s%d@%s.demo-year",
								 k ? "sagsbehandler" : "borgerservice",
								 n + 1, x->o.code),
					.name = name_new(g->a, &g->r),
					.password_hash = "",
					.roles = role,
				};
				enum hh_rc rc = tx->store->user_insert(tx, &u);
				if (rc != HH_OK)
					return rc;
				staff_add(g, x, u.id, role);
				g->stats->staff++;
			}
		}
	}
	return HH_OK;
}

struct cit_batch {
	struct gen *g;
	int org;
	int64_t from, n;
};

static enum hh_rc citizens_tx(struct hh_tx *tx, void *p)
{
	struct cit_batch *b = p;
	struct gen *g = b->g;
	const struct org *x = &g->orgs[b->org];
	const struct muni_conf *m = &munis[x->muni];
	struct hh_arena a;
	hh_arena_init(&a);
	enum hh_rc rc = HH_OK;
	for (int64_t i = b->from; i < b->from + b->n && rc == HH_OK; i++) {
		struct hh_citizen z = {
			.subject = hh_arena_printf(&a, "demo-year:%s:%lld", x->o.code,
						   (long long)(i - x->cit_from + 1)),
			.name = name_new(&a, &g->r),
			.cpr = cpr_new(g, &a, 1930, 2008, 1),
			.municipality_id = x->o.id,
		};
		rc = tx->store->citizen_put(tx, &z);
		if (rc != HH_OK)
			break;
		g->cits[i] = (struct cit){ z.id, b->org };
		struct hh_citizen post = { .id = z.id, .address = street_new(&a, &g->r),
					   .postcode = m->postcode, .city = m->town };
		rc = tx->store->citizen_post_set(tx, &post);
	}
	hh_arena_clear(&a);
	return rc;
}

static enum hh_rc make_citizens(struct gen *g)
{
	int64_t total = 0;
	for (int i = 0; i < g->n_orgs; i++)
		if (g->orgs[i].muni >= 0) {
			int64_t n = (int64_t)(munis[g->orgs[i].muni].citizens * g->o->scale);
			g->orgs[i].cit_n = n < 40 ? 40 : n;
			total += g->orgs[i].cit_n;
		}
	g->cits = hh_xcalloc((size_t)total, sizeof(*g->cits));
	g->cpr_day0 = hh_days_from_civil(1930, 1, 1);
	g->cpr_used = hh_xcalloc((size_t)(hh_days_from_civil(2009, 1, 1) - g->cpr_day0),
				 sizeof(*g->cpr_used));
	enum hh_rc rc = HH_OK;
	for (int i = 0; i < g->n_orgs && rc == HH_OK; i++) {
		struct org *x = &g->orgs[i];
		if (x->muni < 0)
			continue;
		x->cit_from = g->n_cits;
		for (int64_t k = 0; k < x->cit_n && rc == HH_OK; k += 2000) {
			struct cit_batch b = { g, i, x->cit_from + k,
					       x->cit_n - k < 2000 ? x->cit_n - k : 2000 };
			rc = hh_store_run_tx(g->st, 1, citizens_tx, &b);
		}
		g->n_cits += x->cit_n;
	}
	g->stats->citizens = g->n_cits;
	return rc;
}

static enum hh_rc case_types_tx(struct hh_tx *tx, void *p)
{
	struct gen *g = p;
	for (int i = 0; i < N_CT; i++) {
		struct hh_case_type row;
		struct hh_case_type_def def;
		enum hh_rc rc = hh_case_type_load(tx, g->a, plans[i].code, 0, &row, &def);
		if (rc == HH_ERR_NOT_FOUND) {
			g->ct[i].known = 0;
			continue;
		}
		if (rc != HH_OK)
			return rc;
		g->ct[i] = (struct ctinfo){ row.id, def.deadline_s, 1, { NULL }, 0 };
		for (int k = 0; k < def.n_states && g->ct[i].n_letter_states < 16; k++)
			if (hh_ct_letter_kind(&def, def.states[k].key))
				g->ct[i].letter_states[g->ct[i].n_letter_states++] =
					hh_arena_strdup(g->a, def.states[k].key);
		hh_case_type_def_clear(&def);
	}
	return HH_OK;
}

/* ---- actors -------------------------------------------------------------- */

static const struct hh_actor *agent_of(struct gen *g, const struct org *x)
{
	return x->n_agents ? &x->agents[rnd(&g->r, (uint32_t)x->n_agents)] : NULL;
}

static const struct hh_actor *worker_of(struct gen *g, const struct org *x)
{
	return x->n_workers ? &x->workers[rnd(&g->r, (uint32_t)x->n_workers)]
			    : agent_of(g, x);
}

static struct hh_actor citizen_actor(struct gen *g, int64_t k)
{
	const struct cit *c = &g->cits[k];
	return (struct hh_actor){
		.label = hh_arena_printf(&g->tmp, "citizen:%lld", (long long)c->id),
		.roles = HH_ROLE_CITIZEN,
		.citizen_id = c->id,
		.municipality_id = g->orgs[c->org].o.id,
		.loa = HH_LOA_SUBSTANTIAL,
	};
}

/* A resident of municipality x, or for an agency anyone. */
static int64_t citizen_of(struct gen *g, const struct org *x)
{
	if (x->muni >= 0)
		return x->cit_from + rnd(&g->r, (uint32_t)x->cit_n);
	return rnd(&g->r, (uint32_t)g->n_cits);
}

/* ---- inquiries ----------------------------------------------------------- */

static double fcr_of(struct gen *g, const struct org *x)
{
	if (x->muni >= 0)
		return lerp(munis[x->muni].fcr0, munis[x->muni].fcr1,
			    t_of_year(g, g->day));
	return agencies[x->agency].fcr;
}

/* Where a transfer goes (into in): mostly a team of the organisation,
 * else another authority (a municipality to an agency, an agency to the
 * citizen's municipality). */
static void transfer_to(struct gen *g, const struct org *x, int64_t citizen,
			struct hh_inquiry_input *in)
{
	int elsewhere = !x->n_teams || chance(&g->r, 0.35);
	if (!elsewhere) {
		in->transfer_team = x->teams[rnd(&g->r, (uint32_t)x->n_teams)];
		in->transfer_reason = x->reasons[rnd(&g->r, (uint32_t)x->n_reasons)];
		if (!strcmp(in->transfer_reason, "anden-myndighed"))
			in->transfer_reason = x->reasons[0];
		return;
	}
	const struct org *to = NULL;
	if (x->muni >= 0) {
		int n = 0, pick;
		for (int i = 0; i < g->n_orgs; i++)
			n += g->orgs[i].agency >= 0;
		pick = (int)rnd(&g->r, (uint32_t)n);
		for (int i = 0; i < g->n_orgs && !to; i++)
			if (g->orgs[i].agency >= 0 && pick-- == 0)
				to = &g->orgs[i];
	} else { /* the citizen's municipality; an anonymous caller's is
		    taken to be Nordskov's */
		to = &g->orgs[citizen >= 0 ? g->cits[citizen].org : g->home];
	}
	in->transfer_org = to->o.code;
	in->transfer_team = to->n_teams && chance(&g->r, 0.6)
				    ? to->teams[rnd(&g->r, (uint32_t)to->n_teams)]
				    : NULL;
	in->transfer_reason = "anden-myndighed";
}

/* The open transfer of inquiry id, newest (the one just made). */
static enum hh_rc newest_transfer(void *p, const struct hh_inquiry_transfer *t)
{
	struct hh_inquiry_transfer *out = p;
	if (!t->closed_at)
		*out = *t;
	return HH_OK;
}

struct xfer_find {
	struct gen *g;
	int64_t inquiry_id;
	struct hh_inquiry_transfer t;
};

static enum hh_rc xfer_find_tx(struct hh_tx *tx, void *p)
{
	struct xfer_find *f = p;
	memset(&f->t, 0, sizeof(f->t));
	return tx->store->transfer_list(tx, &f->g->tmp, f->inquiry_id, 0, NULL,
					newest_transfer, &f->t);
}

/* Schedules the receiver's close of the newest open transfer of inquiry
 * id (found in tx, or in a read of its own when tx is NULL). */
static enum hh_rc schedule_transfer(struct gen *g, struct hh_tx *tx,
				    int64_t inquiry_id, int depth)
{
	struct xfer_find f = { g, inquiry_id, { 0 } };
	enum hh_rc rc = tx ? xfer_find_tx(tx, &f)
			   : hh_store_run_tx(g->st, 0, xfer_find_tx, &f);
	if (rc != HH_OK || !f.t.id)
		return rc;
	struct org *to = org_by_id(g, f.t.to_org_id);
	if (!to)
		return HH_OK; /* to an organisation outside the year */
	int64_t now = hh_now_us() / 1000000;
	int64_t at = work_time(&g->r, now + 1800 + rnd(&g->r, 20 * 3600));
	push(g, (struct act){ .at = at, .kind = A_TRANSFER,
			      .org = (int)(to - g->orgs), .a = f.t.id,
			      .b = inquiry_id, .c = depth });
	return HH_OK;
}

static void topic(struct gen *g, const struct org *x,
		  struct hh_inquiry_input *in)
{
	uint32_t r = rnd(&g->r, 100);
	if (r < 70 && x->n_articles) {
		int k = (int)rnd(&g->r, (uint32_t)x->n_articles);
		in->article_id = x->articles[k];
		in->kle = x->article_kle[k];
	} else if (r < 85 && x->n_articles) {
		in->kle = x->article_kle[rnd(&g->r, (uint32_t)x->n_articles)];
	}
}

static enum hh_rc submit_case(struct gen *g, int org, int64_t citizen,
			      const struct hh_actor *agent, int64_t *case_id);

/* A contact at the desk: phone, counter, e-mail or letter. */
static enum hh_rc do_inquiry(struct gen *g, const struct act *act)
{
	struct org *x = &g->orgs[act->org];
	const struct hh_actor *agent = agent_of(g, x);
	int ch = act->channel;
	int64_t now = act->at, started = now;
	static const double known[N_CHANNELS] = { 0.55, 0.85, 0.6, 0.7, 0.5, 0.9 };
	int64_t citizen = chance(&g->r, known[ch]) || act->a ? citizen_of(g, x) : -1;
	struct hh_inquiry_input in = { .channel = channel_names[ch] };
	if (ch == PHONE)
		now += 90 + rnd(&g->r, 800);
	else if (ch == COUNTER)
		now += 240 + rnd(&g->r, 1000);
	else /* written: came in earlier, answered now */
		started -= 1800 + rnd(&g->r, 22 * 3600);
	hh_clock_set_us(now * 1000000);
	in.started_at = started;
	in.ended_at = now;
	in.citizen_id = citizen >= 0 ? g->cits[citizen].id : 0;
	topic(g, x, &in);
	enum hh_rc rc;
	double fcr = fcr_of(g, x), cb = x->muni >= 0 ? munis[x->muni].callback : 0.07;
	double u = unif(&g->r);
	int64_t due = 0;
	if (act->a) { /* a form filled in with the citizen */
		int64_t case_id = 0;
		if ((rc = batch_end(g)) != HH_OK ||
		    (rc = submit_case(g, act->org, citizen, agent, &case_id)) != HH_OK)
			return rc;
		in.outcome = "case_created";
		in.case_id = case_id;
	} else if (u < fcr) {
		in.outcome = "resolved_first_contact";
	} else if (u < fcr + cb && ch != LETTER) {
		in.outcome = "callback_promised";
		int64_t day = dk_day(now) + 1;
		while (!working_day(day))
			day++;
		due = dk_at(day, 9 * 60 + (int)rnd(&g->r, 5 * 60));
		in.callback_due_at = due;
		in.note = "Borgeren vil gerne ringes op.";
	} else {
		in.outcome = "transferred";
		transfer_to(g, x, citizen, &in);
	}
	struct hh_tx *tx;
	if ((rc = batch(g, &tx)) != HH_OK)
		return rc;
	struct hh_inquiry q;
	int replayed;
	enum hh_inquiry_fault fault = HH_INQ_FINE;
	const char *field = NULL;
	rc = hh_inquiry_create_in(tx, &g->tmp, agent, &in, &q, &replayed, &fault,
				  &field);
	if (rc != HH_OK)
		return refused(g, "an inquiry", x, rc, field);
	g->stats->inquiries++;
	x->made_inquiries++;
	if (due) {
		int late = !chance(&g->r, x->muni >= 0 ? munis[x->muni].on_time : 0.85);
		int64_t at = late ? due + 3600 + rnd(&g->r, 30 * 3600)
				  : due - 60 - rnd(&g->r, 3 * 3600);
		if (at <= now)
			at = now + 600;
		push(g, (struct act){ .at = at, .kind = A_CALLBACK, .org = act->org,
				      .a = q.id, .b = q.version, .c = late });
	} else if (!strcmp(in.outcome, "transferred")) {
		rc = schedule_transfer(g, tx, q.id, 0);
	}
	return rc;
}

/* A callback made: its result logged (the rule allows transferred or
 * case_created after a promise; the desk hands it to a team). */
static enum hh_rc do_callback(struct gen *g, const struct act *act)
{
	struct org *x = &g->orgs[act->org];
	struct hh_inquiry_input in = { .outcome = "transferred",
				       .note = "Ringet op og sendt videre." };
	transfer_to(g, x, -1, &in);
	if (in.transfer_org) { /* stays in the house after a callback */
		in.transfer_org = NULL;
		in.transfer_team = x->n_teams ? x->teams[0] : NULL;
		in.transfer_reason = x->reasons[0];
	}
	struct hh_tx *tx;
	enum hh_rc rc = batch(g, &tx);
	if (rc != HH_OK)
		return rc;
	struct hh_inquiry q;
	enum hh_inquiry_fault fault = HH_INQ_FINE;
	const char *field = NULL;
	rc = hh_inquiry_set_outcome_in(tx, &g->tmp, agent_of(g, x), act->a, act->b,
				       &in, &q, &fault, &field);
	if (rc != HH_OK)
		return refused(g, "a callback's result", x, rc, field);
	g->stats->callbacks++;
	g->stats->callbacks_late += act->c;
	return schedule_transfer(g, tx, q.id, 0);
}

/* The receiver closes a transfer: mostly resolved, some sent on. */
static enum hh_rc do_transfer(struct gen *g, const struct act *act)
{
	struct org *x = &g->orgs[act->org];
	enum hh_rc rc = batch_end(g);
	if (rc != HH_OK)
		return rc;
	const struct hh_actor *who = chance(&g->r, 0.5) ? worker_of(g, x)
						       : agent_of(g, x);
	struct hh_desk_close c = { .result = "resolved" };
	uint32_t u = rnd(&g->r, 100);
	int onward = act->c < 2 && u < 12;
	if (onward) { /* it was not theirs either: to another authority */
		c.result = "transferred";
		struct hh_inquiry_input in = { 0 };
		while (!in.transfer_org)
			transfer_to(g, x, -1, &in);
		c.to_org = in.transfer_org;
		c.reason = "anden-myndighed";
	} else if (u < 18) {
		c.result = "callback_promised";
		c.callback_due_at = hh_now_us() / 1000000 + 3600 + rnd(&g->r, 20 * 3600);
	}
	struct hh_inquiry_transfer out;
	enum hh_desk_fault fault = HH_DESK_FINE;
	const char *field = NULL;
	rc = hh_desk_transfer_close(g->st, &g->tmp, who, act->a, &c, &out, &fault,
				    &field);
	if (rc != HH_OK)
		return refused(g, "a transfer's close", x, rc, field);
	g->stats->transfers_closed++;
	if (onward) {
		g->stats->onward++;
		rc = schedule_transfer(g, NULL, act->b, (int)act->c + 1);
	}
	return rc;
}

/* ---- chats and written inquiries ----------------------------------------- */

static const char *const chat_questions[] = {
	"Hej. Jeg har et spørgsmål om min sag, som jeg ikke kan finde svar på.",
	"Hej, kan I hjælpe mig med at finde den rigtige blanket?",
	"Goddag. Jeg er flyttet og er i tvivl om, hvad jeg skal huske.",
	"Hej, jeg har fået et brev fra jer, som jeg ikke helt forstår.",
	"Hej. Hvornår kan jeg forvente svar på min ansøgning?",
	"Hej, hvordan bestiller jeg et nyt sundhedskort?",
};
static const char *const chat_comments[] = {
	"Hurtigt og venligt svar.", "Jeg fik lige det link, jeg manglede.",
	"Det tog lidt tid, men jeg fik svar.", "God hjælp, tak.",
	"Jeg ventede længe i køen.",
};

static int rating_of(struct gen *g, double mean)
{
	int r = (int)lround(mean + normal(&g->r) * 0.9);
	return r < 1 ? 1 : r > 5 ? 5 : r;
}

static enum hh_rc do_chat(struct gen *g, const struct act *act)
{
	struct org *x = &g->orgs[act->org];
	enum hh_rc rc = batch_end(g);
	if (rc != HH_OK)
		return rc;
	int64_t now = act->at, citizen = chance(&g->r, 0.6) ? citizen_of(g, x) : -1;
	struct hh_actor anon = { 0 };
	struct hh_actor who = citizen >= 0 ? citizen_actor(g, citizen) : anon;
	struct hh_chat_view v;
	char token[HH_CHAT_TOKEN_SIZE];
	enum hh_chat_fault f = HH_CHAT_FINE;
	hh_clock_set_us(now * 1000000);
	rc = hh_chat_open(g->st, &g->tmp, &who, x->o.id, NULL, &v, token, &f);
	if (rc != HH_OK)
		return refused(g, "a chat", x, rc, hh_chat_fault_da(f));
	int64_t id = v.chat.id;
	struct hh_chat_message m;
	hh_clock_set_us((now += 5 + rnd(&g->r, 40)) * 1000000);
	rc = hh_chat_send(g->st, &g->tmp, &who, token, id,
			  chat_questions[rnd(&g->r, N_OF(chat_questions))], 0, &m, &f);
	/* an agent under the limit takes it (each chat is closed before
	 * the next is taken, so the first asked always is) */
	const struct hh_actor *agent = agent_of(g, x);
	if (rc == HH_OK) {
		hh_clock_set_us((now += 15 + rnd(&g->r, 300)) * 1000000);
		rc = hh_chat_take(g->st, &g->tmp, agent, id, &v, &f);
	}
	if (rc == HH_OK) {
		hh_clock_set_us((now += 20 + rnd(&g->r, 90)) * 1000000);
		rc = hh_chat_send(g->st, &g->tmp, agent, NULL, id,
				  "Hej, det kan jeg godt hjælpe med. Et øjeblik.", 0, &m, &f);
	}
	int64_t article = x->n_articles && chance(&g->r, 0.6)
				  ? x->articles[rnd(&g->r, (uint32_t)x->n_articles)]
				  : 0;
	if (rc == HH_OK && article) {
		hh_clock_set_us((now += 30 + rnd(&g->r, 200)) * 1000000);
		rc = hh_chat_send(g->st, &g->tmp, agent, NULL, id,
				  "Her er vejledningen, der beskriver det.", article, &m, &f);
	}
	if (rc != HH_OK)
		return refused(g, "a chat message", x, rc, hh_chat_fault_da(f));
	struct hh_inquiry_input in = { .outcome = "resolved_first_contact",
				       .article_id = article };
	if (!chance(&g->r, fcr_of(g, x) + 0.12)) {
		in.outcome = "transferred";
		transfer_to(g, x, citizen, &in);
	}
	hh_clock_set_us((now += 60 + rnd(&g->r, 500)) * 1000000);
	enum hh_inquiry_fault qf = HH_INQ_FINE;
	const char *field = NULL;
	rc = hh_chat_close(g->st, &g->tmp, agent, NULL, id, &in, &v, &f, &qf, &field);
	if (rc != HH_OK)
		return refused(g, "a chat's close", x, rc, field);
	g->stats->chats++;
	g->stats->inquiries++;
	x->made_inquiries++;
	if (!strcmp(in.outcome, "transferred") &&
	    (rc = schedule_transfer(g, NULL, v.chat.inquiry_id, 0)) != HH_OK)
		return rc;
	if (chance(&g->r, 0.55)) {
		double mean = x->muni >= 0 ? munis[x->muni].rating
					   : agencies[x->agency].rating;
		hh_clock_set_us((now += 5 + rnd(&g->r, 60)) * 1000000);
		rc = hh_chat_rate(g->st, &g->tmp, &who, token, id, rating_of(g, mean),
				  chance(&g->r, 0.3)
					  ? chat_comments[rnd(&g->r, N_OF(chat_comments))]
					  : NULL,
				  &v, &f);
		if (rc != HH_OK)
			return refused(g, "a chat's rating", x, rc, hh_chat_fault_da(f));
		g->stats->ratings++;
	}
	return HH_OK;
}

static const char *const written_texts[] = {
	"Jeg vil gerne vide, hvor langt min ansøgning er nået.",
	"Hvordan får jeg et nyt sygesikringskort? Jeg har mistet mit.",
	"Jeg har ikke fået svar på min flytning. Er den registreret?",
	"Kan I sende mig en kopi af afgørelsen i min sag?",
	"Hvornår bliver storskraldet hentet på min vej?",
	"Jeg har fået et brev, som jeg ikke forstår. Kan I ringe til mig?",
};

static enum hh_rc do_written(struct gen *g, const struct act *act)
{
	struct org *x = &g->orgs[act->org];
	enum hh_rc rc = batch_end(g);
	if (rc != HH_OK)
		return rc;
	int64_t citizen = chance(&g->r, 0.5) ? citizen_of(g, x) : -1;
	struct hh_actor anon = { 0 };
	struct hh_actor who = citizen >= 0 ? citizen_actor(g, citizen) : anon;
	struct hh_inquiry q;
	enum hh_chat_fault f = HH_CHAT_FINE;
	hh_clock_set_us(act->at * 1000000);
	rc = hh_chat_written(g->st, &g->tmp, &who, x->o.id,
			     written_texts[rnd(&g->r, N_OF(written_texts))],
			     chance(&g->r, 0.7) ? "borger@eksempel.dk" : "20 30 40 50",
			     &q, &f);
	if (rc != HH_OK)
		return refused(g, "a written inquiry", x, rc, hh_chat_fault_da(f));
	g->stats->written++;
	g->stats->inquiries++;
	x->made_inquiries++;
	int64_t at = work_time(&g->r, act->at + 1800 + rnd(&g->r, 6 * 3600));
	push(g, (struct act){ .at = at, .kind = A_ANSWER, .org = act->org,
			      .a = q.id, .b = q.version, .c = citizen });
	return HH_OK;
}

/* The desk answers a written inquiry (or sends it on). */
static enum hh_rc do_answer(struct gen *g, const struct act *act)
{
	struct org *x = &g->orgs[act->org];
	struct hh_inquiry_input in = { .outcome = "resolved_first_contact" };
	if (!chance(&g->r, fcr_of(g, x) + 0.1)) {
		in.outcome = "transferred";
		transfer_to(g, x, act->c, &in);
	}
	struct hh_tx *tx;
	enum hh_rc rc = batch(g, &tx);
	if (rc != HH_OK)
		return rc;
	struct hh_inquiry q;
	enum hh_inquiry_fault fault = HH_INQ_FINE;
	const char *field = NULL;
	rc = hh_inquiry_set_outcome_in(tx, &g->tmp, agent_of(g, x), act->a, act->b,
				       &in, &q, &fault, &field);
	if (rc != HH_OK)
		return refused(g, "a written inquiry's answer", x, rc, field);
	if (!strcmp(in.outcome, "transferred"))
		rc = schedule_transfer(g, tx, q.id, 0);
	return rc;
}

/* ---- cases ------------------------------------------------------------------- */

static json_t *file_value(struct gen *g, const char *name)
{
	return json_pack("{s:s, s:s, s:s}", "name", name, "content_type",
			 "application/pdf", "data", g->pdf_b64);
}

/* Form values a citizen of municipality m would send for case type ct. */
static json_t *form_values(struct gen *g, int ct, const struct muni_conf *m)
{
	struct hh_arena *a = &g->tmp;
	struct rng *r = &g->r;
	int64_t today = dk_day(hh_now_us() / 1000000);
	switch (ct) {
	case CT_STORSKRALD: {
		static const char *const what[] = { "En sofa og to stole",
						    "Et gammelt køleskab og en madras",
						    "Havemøbler og en reol" };
		int k = (int)rnd(r, 3);
		return json_pack("{s:s, s:s, s:s, s:s, s:s}", "adresse",
				 address_new(a, r, m), "genstande", what[k], "antal",
				 hh_arena_printf(a, "%u", 1 + rnd(r, 8)), "hvidevarer",
				 k == 1 ? "ja" : "nej", "placering", "skel");
	}
	case CT_FLYTNING:
		return json_pack("{s:s, s:s, s:s, s:s}", "flyttetype", "danmark",
				 "ny_adresse", address_new(a, r, m), "flyttedato",
				 date_of(a, today + 3 + rnd(r, 40)), "medflyttere", "nej");
	case CT_FEJL: {
		static const char *const kinds[] = { "hul", "skilt", "kloak", "andet" };
		return json_pack("{s:s, s:s, s:s}", "kategori", kinds[rnd(r, 4)], "sted",
				 address_new(a, r, m), "beskrivelse",
				 "Et dybt hul lige ved fortovet, som cyklister skal udenom.");
	}
	case CT_SYGEDAGPENGE:
		return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
				 "foerste_sygedag", date_of(a, today - 2 - rnd(r, 20)),
				 "situation", "loenmodtager", "arbejdsgiver",
				 hh_arena_printf(a, "%s Maskinfabrik", m->town), "timer", "37",
				 "delvis", chance(r, 0.2) ? "ja" : "nej", "beskrivelse",
				 "Sygemeldt af lægen efter en skade i ryggen.",
				 "forventet_tilbage", "4-8-uger", "telefon", "20304050");
	case CT_PARKERING:
		return json_pack("{s:s, s:s, s:s, s:s}", "adresse", address_new(a, r, m),
				 "regnr", hh_arena_printf(a, "AB%05u", rnd(r, 100000)),
				 "raadighed", "ejer", "gyldig_fra", date_of(a, today + 7));
	case CT_ENKELTYDELSE:
		return json_pack("{s:s, s:s, s:s, s:s, s:o, s:s}", "udgiftstype",
				 "tandbehandling", "beskrivelse",
				 "Tandlægen skal lave en krone, som jeg ikke selv kan betale.",
				 "beloeb", hh_arena_printf(a, "%u.500,00", 2 + rnd(r, 9)),
				 "betalt", "nej", "tilbud", file_value(g, "tilbud.pdf"),
				 "forsikring", "nej");
	case CT_FOLKEPENSION: {
		int64_t y;
		int mo, d;
		hh_civil_from_days(today + 95, &y, &mo, &d);
		return json_pack("{s:s, s:s, s:s, s:s}", "oensket_start",
				 hh_arena_printf(a, "%04lld-%02d-01", (long long)y, mo),
				 "partner", "nej", "indkomst", "0", "boet_i_udlandet", "nej");
	}
	case CT_BEGRAVELSE:
		return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:s}", "afdoede_cpr",
				 cpr_new(g, a, 1930, 1950, 0), "afdoede_navn", name_new(a, r),
				 "doedsdato", date_of(a, today - 5 - rnd(r, 20)), "ceremoni",
				 chance(r, 0.5) ? "begravelse" : "bisaettelse", "udgift",
				 "18.500,00", "regning", file_value(g, "regning.pdf"),
				 "bedemand", "nej");
	case CT_SEPARATION:
	case CT_SKILSMISSE: {
		int kids = chance(r, 0.35);
		/* p-agree: a separation of a couple with children under 18
		 * waits three months in its reflection period from the
		 * confirmation; the demo year's separations are of couples
		 * without children, as its divorces are of separated couples,
		 * so none of them waits (test_agreements walks the period) */
		if (ct == CT_SEPARATION)
			kids = 0;
		json_t *v = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "aegtefaelle_cpr",
				      cpr_new(g, a, 1960, 1995, 0), "aegtefaelle_navn",
				      name_new(a, r), "vielsesdato",
				      date_of(a, today - 800 - rnd(r, 8000)), "boern",
				      kids ? "ja" : "nej", "aegtefaellebidrag", "nej",
				      "lejebolig", "ingen");
		if (kids)
			json_object_set_new(v, "antal_boern",
					    json_string(hh_arena_printf(a, "%u", 1 + rnd(r, 3))));
		if (ct == CT_SKILSMISSE) {
			/* separated first: the divorce has no reflection
			 * period (one that has starts in it when the spouse
			 * confirms, and waits three months) */
			json_object_set_new(v, "separeret", json_string("ja"));
			json_object_set_new(v, "separationsdato",
					    json_string(date_of(a, today - 400)));
			json_object_set_new(v, "enige", json_string("ja"));
		}
		return v;
	}
	}
	return json_object();
}

/* Which case type a citizen applies for. */
static int pick_ct(struct gen *g)
{
	int total = 0;
	for (int i = 0; i < N_CT; i++)
		total += g->ct[i].known ? plans[i].share : 0;
	int x = (int)rnd(&g->r, (uint32_t)total);
	for (int i = 0; i < N_CT; i++) {
		int s = g->ct[i].known ? plans[i].share : 0;
		if (x < s)
			return i;
		x -= s;
	}
	return CT_STORSKRALD;
}

static double speed_of(const struct org *x)
{
	return x->muni >= 0 ? munis[x->muni].speed : agencies[x->agency].speed;
}

/* Plans case k (submitted now) and schedules its first step. */
static void case_plan(struct gen *g, int64_t k)
{
	struct gcase *c = &g->cases[k];
	const struct ct_plan *p = &plans[c->ct];
	double f = speed_of(&g->orgs[c->org]) * exp(-0.95 + 0.55 * normal(&g->r));
	c->active_s = (int64_t)(f * (double)g->ct[c->ct].deadline_s);
	if (c->active_s < 3600)
		c->active_s = 3600;
	c->stage = 0;
	c->end = -3;
	if (p->direct && (int)rnd(&g->r, 100) < p->direct_pct) {
		c->end = -1;
		c->active_s /= 3;
	} else {
		int x = (int)rnd(&g->r, 100);
		for (int i = 0; i < 4 && p->ends[i].state; i++) {
			if (x < p->ends[i].pct) {
				c->end = i;
				break;
			}
			x -= p->ends[i].pct;
		}
		if (c->end == -3)
			c->end = 0;
		c->request = (int)rnd(&g->r, 100) < p->request_pct;
	}
	int64_t at = work_time(&g->r, c->submitted + c->active_s / 6 + 600);
	push(g, (struct act){ .at = at, .kind = A_CASE, .org = c->org, .a = k });
}

static int64_t case_add(struct gen *g, int64_t id, int64_t citizen, int org,
			int ct)
{
	if (g->n_cases == g->cap_cases) {
		g->cap_cases = g->cap_cases ? 2 * g->cap_cases : 4096;
		g->cases = hh_xrealloc(g->cases, (size_t)g->cap_cases * sizeof(*g->cases));
	}
	int64_t k = g->n_cases++;
	g->cases[k] = (struct gcase){ .id = id, .citizen = citizen, .org = org,
				      .ct = ct, .submitted = hh_now_us() / 1000000 };
	g->stats->cases++;
	if (!strcmp(g->orgs[org].o.code, "901") ||
	    (citizen >= 0 && !strcmp(g->orgs[g->cits[citizen].org].o.code, "901")))
		g->stats->cases_901++;
	case_plan(g, k);
	return k;
}

/* p-parties: the CPR number of citizen id, opened (into a). */
struct spouse_cpr {
	struct hh_arena *a;
	int64_t id;
	const char *cpr;
};

static enum hh_rc spouse_cpr_tx(struct hh_tx *tx, void *p)
{
	struct spouse_cpr *s = p;
	struct hh_citizen z;
	enum hh_rc rc = tx->store->citizen_get(tx, s->a, s->id, &z);
	if (rc == HH_OK)
		s->cpr = z.cpr;
	return rc;
}

/* A citizen's form, sent by the citizen (agent NULL) or filled in with
 * them at the desk (agent). *case_id gets the case. */
static enum hh_rc submit_case(struct gen *g, int org, int64_t citizen,
			      const struct hh_actor *agent, int64_t *case_id)
{
	struct org *home = &g->orgs[g->cits[citizen].org];
	int ct = pick_ct(g);
	json_t *values = form_values(g, ct, &munis[home->muni]);
	/* p-parties: a spouse is another citizen of the register */
	int64_t spouse = -1;
	if ((ct == CT_SEPARATION || ct == CT_SKILSMISSE) && g->n_cits > 1) {
		spouse = (citizen + 1 + (int64_t)rnd(&g->r, (uint32_t)(g->n_cits - 1))) %
			 g->n_cits;
		struct spouse_cpr sc = { &g->tmp, g->cits[spouse].id, NULL };
		enum hh_rc src = hh_store_run_tx(g->st, 0, spouse_cpr_tx, &sc);
		if (src != HH_OK || !sc.cpr) {
			json_decref(values);
			return src != HH_OK ? src : HH_ERR_INTERNAL;
		}
		json_object_set_new(values, "aegtefaelle_cpr", json_string(sc.cpr));
	}
	struct hh_form_result res = { 0 };
	struct hh_case out;
	int replayed = 0;
	enum hh_submit_fault fault = HH_SUBMIT_FINE;
	enum hh_rc rc;
	if (agent) {
		struct hh_desk_assist in = { .case_type = plans[ct].code,
					     .values = values, .consent = 1 };
		enum hh_desk_fault dfault = HH_DESK_FINE;
		rc = hh_desk_assisted_submit(g->st, &g->tmp, agent, g->cits[citizen].id,
					     &in, &res, &out, &replayed, &fault, &dfault);
	} else {
		struct hh_actor who = citizen_actor(g, citizen);
		struct hh_submission sub = { .case_type = plans[ct].code,
					     .values = values, .public_only = 1 };
		rc = hh_case_submit_as(g->st, &g->tmp, &who, &sub, &res, &out,
				       &replayed, &fault);
	}
	/* p-parties (issue 16): the spouse named in a separation or divorce
	 * confirms with their own sign-in a little later, as most do */
	if (rc == HH_OK && spouse >= 0) {
		hh_clock_set_us(hh_now_us() + (int64_t)(600 + rnd(&g->r, 6 * 3600)) * 1000000);
		struct hh_actor them = citizen_actor(g, spouse);
		struct hh_case after;
		enum hh_party_fault pf;
		enum hh_rc arc = hh_party_answer(g->st, &g->tmp, &them, out.id, 1, &after, &pf);
		if (arc != HH_OK && arc != HH_ERR_NOT_FOUND) /* not invited: no party */
			rc = arc;
	}
	if (rc != HH_OK) {
		const char *why = res.n_errors ? hh_arena_printf(&g->tmp, "%s: %s",
								 res.errors[0].field,
								 res.errors[0].message)
					       : plans[ct].code;
		json_decref(res.values);
		json_decref(values);
		return refused(g, "a case", &g->orgs[org], rc, why);
	}
	json_decref(res.values);
	json_decref(values);
	struct org *to = org_by_id(g, out.org_id);
	if (agent)
		g->stats->assisted++;
	else
		g->stats->self_service++;
	*case_id = out.id;
	if (to)
		case_add(g, out.id, citizen, (int)(to - g->orgs), ct);
	return HH_OK;
}

static enum hh_rc do_submit(struct gen *g, const struct act *act)
{
	enum hh_rc rc = batch_end(g);
	if (rc != HH_OK)
		return rc;
	hh_clock_set_us(act->at * 1000000);
	int64_t id;
	return submit_case(g, act->org, citizen_of(g, &g->orgs[act->org]), NULL, &id);
}

static const char *const justifications[] = {
	"Du opfylder ikke betingelserne, fordi de oplysninger, du har sendt, "
	"viser, at udgiften kan dækkes på anden måde.",
	"Vi har lagt vægt på, at ansøgningen ikke indeholder den dokumentation, "
	"der skal til.",
};

static int needs_letter(const struct gen *g, int ct, const char *state)
{
	for (int i = 0; i < g->ct[ct].n_letter_states; i++)
		if (!strcmp(g->ct[ct].letter_states[i], state))
			return 1;
	return 0;
}

/* Moves case c to state `to` as caseworker who: by letter where the case
 * type asks for one (with four eyes a second caseworker approves it), in
 * the letter's own transactions; otherwise as a plain transition, in the
 * batch (hh_case_transition_tx: the same checks and event, and a move
 * that needs no letter is refused or allowed alike). */
static enum hh_rc move_case(struct gen *g, struct gcase *c,
			    const struct hh_actor *who, const char *to, int *followups)
{
	*followups = 0;
	struct hh_case out;
	enum hh_rc rc;
	if (!needs_letter(g, c->ct, to)) {
		struct hh_tx *tx;
		if ((rc = batch(g, &tx)) != HH_OK)
			return rc;
		return hh_case_transition_tx(tx, &g->tmp, who, c->id, to, 0, NULL, &out,
					     followups);
	}
	if ((rc = batch_end(g)) != HH_OK)
		return rc;
	const char *kind = NULL;
	rc = hh_letter_required(g->st, &g->tmp, who, c->id, to, &kind);
	if (rc != HH_OK)
		return rc;
	if (!kind) /* the case type changed under us: our bug */
		return HH_ERR_INTERNAL;
	struct hh_letter_input in = { .case_id = c->id, .decision = to };
	if (!strcmp(kind, "refused") || !strcmp(kind, "partly_granted"))
		in.justification = justifications[rnd(&g->r, N_OF(justifications))];
	struct hh_letter l;
	const char *field = NULL;
	int awaiting = 0;
	rc = hh_letter_create(g->st, &g->tmp, who, &in, &l, &field);
	if (rc == HH_OK)
		rc = hh_letter_send(g->st, &g->tmp, who, l.id, l.version, &l, &awaiting);
	if (rc == HH_OK && awaiting) {
		const struct org *x = &g->orgs[c->org];
		const struct hh_actor *second = NULL;
		for (int i = 0; i < x->n_workers && !second; i++)
			if (x->workers[i].user_id != who->user_id)
				second = &x->workers[i];
		if (!second)
			return HH_ERR_INTERNAL;
		hh_clock_set_us(hh_now_us() + (int64_t)(600 + rnd(&g->r, 3 * 3600)) * 1000000);
		rc = hh_letter_approve(g->st, &g->tmp, second, l.id, l.version, &l);
	}
	if (rc == HH_OK)
		g->stats->letters++;
	return rc;
}

/* The follow-ups a decision made: planned like any other case. */
struct fu_ctx {
	struct gen *g;
	const struct gcase *parent;
	int64_t ids[4];
	int n;
};

static enum hh_rc fu_row(void *p, const struct hh_case *k)
{
	struct fu_ctx *x = p;
	if (k->parent_case_id == x->parent->id && x->n < 4)
		x->ids[x->n++] = k->id;
	return HH_OK;
}

static enum hh_rc fu_tx(struct hh_tx *tx, void *p)
{
	struct fu_ctx *x = p;
	struct hh_case_filter f = { .citizen_id = x->g->cits[x->parent->citizen].id,
				    .case_type_id = x->g->ct[CT_BOERNETILSKUD].id,
				    .open_only = 1 };
	int64_t total;
	return tx->store->case_list(tx, &x->g->tmp, &f, 0, 20, &total, fu_row, x);
}

static enum hh_rc plan_followups(struct gen *g, int64_t k)
{
	struct gcase parent = g->cases[k];
	struct fu_ctx x = { g, &parent, { 0 }, 0 };
	/* in the batch the decision may still be in */
	enum hh_rc rc = g->tx ? fu_tx(g->tx, &x) : hh_store_run_tx(g->st, 0, fu_tx, &x);
	struct org *home = &g->orgs[g->cits[parent.citizen].org];
	for (int i = 0; rc == HH_OK && i < x.n; i++) {
		case_add(g, x.ids[i], parent.citizen, (int)(home - g->orgs),
			 CT_BOERNETILSKUD);
		g->stats->followups++;
	}
	return rc;
}

static const char *const questions[] = {
	"Vi mangler dokumentation for dine oplysninger. Send den venligst.",
	"Kan du uddybe, hvad du søger om? Vi skal bruge flere oplysninger.",
	"Vi har brug for en kopi af den aftale, du nævner i ansøgningen.",
};
static const char *const answers[] = {
	"Her er de oplysninger, I bad om.",
	"Jeg har vedlagt det, I manglede. Skriv, hvis I skal bruge mere.",
	"Undskyld ventetiden. Her er svaret på jeres spørgsmål.",
};

/* The next step of case k: through its working states, perhaps a
 * request (and the citizen's answer), then the decision. */
static enum hh_rc do_case(struct gen *g, const struct act *act)
{
	struct gcase *c = &g->cases[act->a];
	const struct ct_plan *p = &plans[c->ct];
	struct org *x = &g->orgs[c->org];
	enum hh_rc rc;
	hh_clock_set_us(act->at * 1000000);
	const struct hh_actor *who = worker_of(g, x);
	int n_work = 0;
	while (n_work < 3 && p->work[n_work])
		n_work++;
	int followups = 0;
	int64_t now = act->at, k = act->a;
	const char *to = NULL;
	int64_t next = 0;
	/* stages: 0..n_work-1 working states; n_work the request (or
	 * skipped); n_work+1 the answer; n_work+2 the decision's "via";
	 * n_work+3 the decision */
	if (c->end == -1) { /* a quick decision from the first state */
		to = p->direct;
		c->stage = 99;
	} else if (c->stage < n_work) {
		to = p->work[c->stage++];
		next = now + c->active_s / (n_work + 2);
	} else if (c->stage == n_work) {
		c->stage++;
		if (c->request) {
			/* asked in the batch; without the request letter a
			 * caseworker would send with it (hh_letter_request):
			 * the case's events are the same, and the database
			 * stays small (docs/demo-year.md) */
			struct hh_case out;
			struct hh_tx *tx;
			if ((rc = batch(g, &tx)) != HH_OK)
				return rc;
			rc = hh_case_request_tx(tx, &g->tmp, who, c->id,
						questions[rnd(&g->r, N_OF(questions))], 0,
						&out);
			if (rc != HH_OK)
				return refused(g, "a request", x, rc, p->code);
			g->stats->requests++;
			int64_t pause = 3600 * (12 + rnd(&g->r, 12 * 24));
			if (p->withdraw && chance(&g->r, 0.12)) {
				c->end = -2; /* never answered: withdrawn */
				c->stage = n_work + 3;
				pause = 16 * 86400 + rnd(&g->r, 10 * 86400);
				push(g, (struct act){ .at = work_time(&g->r, now + pause),
						      .kind = A_CASE, .org = c->org, .a = k });
				return HH_OK;
			}
			/* the citizen answers, at any time of day */
			int64_t day = dk_day(now + pause);
			int64_t at = dk_at(day, web_minute(&g->r)) + rnd(&g->r, 60);
			push(g, (struct act){ .at = at > now + 3600 ? at : now + 3600,
					      .kind = A_CASE, .org = c->org, .a = k });
			return HH_OK;
		}
		c->stage++;
		push(g, (struct act){ .at = work_time(&g->r, now + c->active_s / (n_work + 2)),
				      .kind = A_CASE, .org = c->org, .a = k });
		return HH_OK;
	} else if (c->stage == n_work + 1) {
		c->stage++;
		if (c->request) { /* the citizen's answer */
			struct hh_actor citizen = citizen_actor(g, c->citizen);
			struct hh_case out;
			if ((rc = batch_end(g)) != HH_OK)
				return rc;
			rc = hh_case_answer(g->st, &g->tmp, &citizen, c->id,
					    answers[rnd(&g->r, N_OF(answers))], &out);
			if (rc != HH_OK)
				return refused(g, "an answer", x, rc, p->code);
			g->stats->answers++;
			push(g, (struct act){ .at = work_time(&g->r, now + 3600 + c->active_s / (n_work + 2)),
					      .kind = A_CASE, .org = c->org, .a = k });
			return HH_OK;
		}
		push(g, (struct act){ .at = now, .kind = A_CASE, .org = c->org, .a = k });
		return HH_OK;
	} else if (c->stage == n_work + 2) {
		c->stage++;
		const char *via = c->end >= 0 ? p->ends[c->end].via : NULL;
		if (!via) {
			push(g, (struct act){ .at = now, .kind = A_CASE, .org = c->org, .a = k });
			return HH_OK;
		}
		to = via;
		next = now + c->active_s / (n_work + 2);
	} else {
		to = c->end == -2 ? p->withdraw : p->ends[c->end].state;
		c->stage = 99;
	}
	rc = move_case(g, c, who, to, &followups);
	if (rc != HH_OK)
		return refused(g, "a case's move", x, rc,
			       hh_arena_printf(&g->tmp, "%s to %s", p->code, to));
	g->stats->transitions++;
	if (c->stage == 99) {
		g->stats->decisions++;
		return followups ? plan_followups(g, k) : HH_OK;
	}
	push(g, (struct act){ .at = work_time(&g->r, next), .kind = A_CASE,
			      .org = c->org, .a = k });
	return HH_OK;
}

/* ---- searches, article views and "Fandt du det, du søgte?" -------------- */

static const char *const no_result_queries[] = {
	"fiskekort til søen", "hundeskat", "tilskud til solceller",
	"genbrugspladsens åbningstid søndag", "skatteattest udlandet engelsk",
	"parkeringsbøde klage p-vagt", "kørekort fornyelse pris 2026",
	"byggetilladelse carport", "vielse på stranden", "ladestander tilskud",
};
static const char *const general_queries[] = {
	"åbningstider", "kontakt borgerservice", "blanketter", "ansøgning",
	"selvbetjening", "mitid", "digital post", "adresseændring",
	"sundhedskort", "pas",
};

/* "Fandt du det, du søgte?" on the article a reader opened: the answer
 * is yes for 70-85 % of readers, a different share per article (spread
 * by the article's id) and per municipality's service level, with an
 * optional comment on one in ten no's. */
/* A browser's anonymous visit id (the hh_visit cookie's form: 32 hex
 * digits) from the generator's own random numbers, so the year stays
 * reproducible. */
static const char *visit_of(struct gen *g)
{
	static const char hex[] = "0123456789abcdef";
	char *v = hh_arena_alloc(&g->tmp, HH_VISIT_SIZE);
	for (int i = 0; i < HH_VISIT_SIZE - 1; i++)
		v[i] = hex[rnd(&g->r, 16)];
	v[HH_VISIT_SIZE - 1] = 0;
	return v;
}

/* "Fandt du det, du søgte?": answered by 1 reader in 8, through the
 * feedback module as a reader's browser would. Yes with probability
 * 0.70 + 0.15 x a per-article number, minus 0.05 where cases are slow
 * (speed above 1.2): some articles help more than others. On a search
 * page (query set, article_id 0) a search with no result is answered no
 * 9 times in 10, another search yes 2 times in 3. */
static enum hh_rc gen_feedback(struct gen *g, const struct org *x,
			       int64_t article_id, const char *query,
			       int64_t results, const char *visit)
{
	if (!chance(&g->r, 1.0 / 8))
		return HH_OK;
	double yes;
	if (article_id) {
		yes = 0.70 + 0.15 * (double)((uint32_t)(article_id * 2654435761u) % 100) / 100.0;
		if (speed_of(x) > 1.2)
			yes -= 0.05;
	} else {
		yes = results ? 2.0 / 3 : 0.1;
	}
	struct hh_feedback_in in = {
		.found = chance(&g->r, yes),
		.page = article_id ? "article" : "search",
		.article_id = article_id,
		.query = article_id ? NULL : query,
		.municipality_id = x->o.id,
		.visit = visit,
	};
	struct hh_feedback out;
	const char *field = NULL;
	enum hh_rc rc = hh_feedback_add(g->st, &g->tmp, &in, &out, &field);
	/* a repeat from the same visit and page is refused by the rule of
	 * one answer a day: that is the module working, not our bug */
	return rc == HH_ERR_CONFLICT ? HH_OK : rc;
}

/* A lowercase query from an article's title: its first one to three
 * words, now and then with a typo (two letters swapped). */
static const char *query_of(struct gen *g, const char *title, int typo)
{
	char buf[120];
	size_t n = 0;
	int words = 1 + (int)rnd(&g->r, 3);
	for (const char *p = title; *p && n + 4 < sizeof(buf); p++) {
		if (*p == ' ' && --words == 0)
			break;
		if (*p == ':' || *p == ',' || *p == '?' || *p == '.')
			continue;
		unsigned char ch = (unsigned char)*p;
		buf[n++] = ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : (char)ch;
	}
	buf[n] = 0;
	if (typo && n > 4) {
		size_t i = 1 + rnd(&g->r, (uint32_t)(n - 3));
		if (!(buf[i] & 0x80) && !(buf[i + 1] & 0x80)) {
			char t = buf[i];
			buf[i] = buf[i + 1];
			buf[i + 1] = t;
		}
	}
	/* Danish capitals (Æ, Ø, Å) stay as typed: the log masks nothing
	 * here, and the search folds case */
	return hh_arena_strdup(&g->tmp, buf);
}

static enum hh_rc day_searches(struct gen *g, int64_t day, double sum_w)
{
	enum hh_rc rc = HH_OK;
	for (int i = 0; rc == HH_OK && i < g->n_orgs; i++) {
		struct org *x = &g->orgs[i];
		if (x->muni < 0 || !x->n_articles)
			continue;
		int64_t n = round_rnd(&g->r, x->year_searches * web_weight(day) / sum_w);
		for (int64_t s = 0; rc == HH_OK && s < n; s++) {
			int64_t at = dk_at(day, web_minute(&g->r)) + rnd(&g->r, 60);
			hh_clock_set_us(at * 1000000);
			int k = (int)rnd(&g->r, (uint32_t)x->n_articles);
			uint32_t kind = rnd(&g->r, 100);
			const char *q;
			int64_t results, chosen = 0;
			if (kind < 8) {
				q = no_result_queries[rnd(&g->r, N_OF(no_result_queries))];
				results = 0;
			} else if (kind < 18) {
				q = general_queries[rnd(&g->r, N_OF(general_queries))];
				results = 3 + rnd(&g->r, 30);
				chosen = chance(&g->r, 0.4) ? x->articles[k] : 0;
			} else if (kind < 26) { /* weak: one or two hits, not it */
				q = query_of(g, x->article_title[k], 1);
				results = 1 + rnd(&g->r, 2);
			} else {
				q = query_of(g, x->article_title[k], kind < 34);
				results = 1 + rnd(&g->r, 15);
				chosen = chance(&g->r, 0.68) ? x->articles[k] : 0;
			}
			const char *visit = visit_of(g);
			int64_t id = hh_searchlog_add_visit(q, x->o.id, results,
							    visit, NULL, NULL);
			g->stats->searches++;
			g->stats->no_result += results == 0;
			if (chosen) {
				hh_clock_set_us((at + 5 + rnd(&g->r, 60)) * 1000000);
				hh_reading_opened(NULL, chosen, id);
				rc = gen_feedback(g, x, chosen, NULL, results, visit);
				g->stats->chosen++;
				g->stats->views++;
			} else {
				hh_clock_set_us((at + 20 + rnd(&g->r, 60)) * 1000000);
				rc = gen_feedback(g, x, 0, q, results, visit);
			}
		}
		/* views from the front page and links, not from a search */
		int64_t views = round_rnd(&g->r, (double)n * VIEWS_PER_SEARCH);
		for (int64_t v = 0; rc == HH_OK && v < views; v++) {
			int64_t art = x->articles[rnd(&g->r, (uint32_t)x->n_articles)];
			hh_views_add(art);
			rc = gen_feedback(g, x, art, NULL, 1, visit_of(g));
		}
		g->stats->views += views;
	}
	if (rc == HH_OK)
		rc = hh_searchlog_flush(g->st);
	if (rc == HH_OK)
		rc = hh_views_flush(g->st);
	return rc;
}

/* ---- one day ------------------------------------------------------------------ */

static void plan_day(struct gen *g, int64_t day, double sum_w, double sum_web)
{
	double t = t_of_year(g, day);
	int working = working_day(day);
	for (int i = 0; i < g->n_orgs; i++) {
		struct org *x = &g->orgs[i];
		double n = x->year_inquiries * day_weight(day) / sum_w;
		double share[N_CHANNELS];
		if (x->muni >= 0) {
			const struct muni_conf *m = &munis[x->muni];
			share[PHONE] = lerp(m->phone0, m->phone1, t);
			share[COUNTER] = share[PHONE] / 3;
			share[CHAT] = x->hours[2] ? lerp(0.07, 0.10, t) : 0;
			share[EMAIL] = 0.12;
			share[LETTER] = 0.05;
		} else {
			share[PHONE] = lerp(0.55, 0.42, t);
			share[COUNTER] = 0;
			share[CHAT] = x->hours[2] ? 0.08 : 0;
			share[EMAIL] = 0.15;
			share[LETTER] = 0.08;
		}
		share[WEB] = 1.0 - share[PHONE] - share[COUNTER] - share[CHAT] -
			     share[EMAIL] - share[LETTER];
		/* closed channels: half write instead, half wait (they are
		 * in the weight of the next days) */
		static const int hours_of[N_CHANNELS] = { 0, 1, 2, -1, -1, -1 };
		for (int ch = 0; ch < N_CHANNELS; ch++) {
			int h = hours_of[ch];
			int open = h >= 0 ? in_hours(&g->r, x->hours[h], day, 10) != 0
					  : ch == WEB || working;
			if (!open) {
				share[WEB] += share[ch] / 2;
				share[ch] = 0;
			}
		}
		/* cases a citizen sends from home; the rest are filled in
		 * with them at the desk (phone or counter) */
		double cases = x->muni >= 0 ? x->year_cases * web_weight(day) / sum_web : 0;
		double self = x->muni >= 0 ? lerp(munis[x->muni].self0, munis[x->muni].self1, t)
					   : 1;
		int64_t assisted = share[PHONE] + share[COUNTER] > 0
					   ? round_rnd(&g->r, cases * (1 - self))
					   : 0;
		int64_t selfs = round_rnd(&g->r, cases) - assisted;
		for (int64_t k = 0; k < selfs; k++)
			push(g, (struct act){ .at = dk_at(day, web_minute(&g->r)) +
						     rnd(&g->r, 60),
					      .kind = A_SUBMIT, .org = i });
		for (int ch = 0; ch < N_CHANNELS; ch++) {
			int64_t cnt = round_rnd(&g->r, n * share[ch]);
			if (ch == PHONE || ch == COUNTER) { /* part of the desk's cases */
				int64_t mine = share[ch] > 0
						       ? (int64_t)((double)assisted * share[ch] /
								   (share[PHONE] + share[COUNTER]) +
								   0.5)
						       : 0; /* closed today */
				for (int64_t k = 0; k < mine; k++) {
					int64_t at = in_hours(&g->r, x->hours[ch], day, 20);
					if (at)
						push(g, (struct act){ .at = at, .kind = A_INQUIRY,
								      .org = i, .channel = ch,
								      .a = 1 });
				}
				cnt -= mine;
			}
			for (int64_t k = 0; k < cnt; k++) {
				struct act act = { .org = i, .channel = ch };
				if (ch == CHAT) {
					act.kind = A_CHAT;
					act.at = in_hours(&g->r, x->hours[2], day, 15);
				} else if (ch == WEB) {
					act.kind = A_WRITTEN;
					act.at = dk_at(day, web_minute(&g->r)) + rnd(&g->r, 60);
				} else if (ch == PHONE || ch == COUNTER) {
					act.kind = A_INQUIRY;
					act.at = in_hours(&g->r, x->hours[ch], day, 15);
				} else { /* e-mail and letters: answered in office time */
					act.kind = A_INQUIRY;
					act.at = dk_at(day, 8 * 60 + (int)rnd(&g->r, 7 * 60)) +
						 rnd(&g->r, 60);
				}
				if (act.at)
					push(g, act);
			}
		}
	}
}

static enum hh_rc run_action(struct gen *g, const struct act *act)
{
	hh_clock_set_us(act->at * 1000000);
	switch (act->kind) {
	case A_INQUIRY: return do_inquiry(g, act);
	case A_CHAT: return do_chat(g, act);
	case A_WRITTEN: return do_written(g, act);
	case A_ANSWER: return do_answer(g, act);
	case A_CALLBACK: return do_callback(g, act);
	case A_TRANSFER: return do_transfer(g, act);
	case A_SUBMIT: return do_submit(g, act);
	case A_CASE: return do_case(g, act);
	}
	return HH_ERR_INTERNAL;
}

/* ---- the whole ------------------------------------------------------------------- */

struct meta_ctx {
	struct hh_arena *a;
	const char *value; /* get: what is there; set: what to write */
	int set;
	int64_t events;
};

static enum hh_rc meta_tx(struct hh_tx *tx, void *p)
{
	struct meta_ctx *m = p;
	if (m->set)
		return tx->store->meta_set(tx, HH_DEMO_YEAR_META, m->value);
	enum hh_rc rc = tx->store->meta_get(tx, m->a, HH_DEMO_YEAR_META, &m->value);
	if (rc == HH_OK)
		rc = tx->store->event_count(tx, &m->events);
	return rc;
}

int64_t hh_demo_year_default_from(int64_t now)
{
	int64_t y;
	int m, d;
	hh_civil_from_days(dk_day(now), &y, &m, &d);
	return hh_days_from_civil(y - 1, m, 1);
}

static void progress_line(struct gen *g, int64_t day, int64_t t0)
{
	if (!g->progress)
		return;
	int64_t y;
	int m, d;
	hh_civil_from_days(day, &y, &m, &d);
	fprintf(g->progress,
		"%04lld-%02d: %lld inquiries, %lld cases, %lld chats, %lld searches "
		"(%.0f s)\n",
		(long long)y, m, (long long)g->stats->inquiries,
		(long long)g->stats->cases, (long long)g->stats->chats,
		(long long)g->stats->searches, (double)(hh_mono_us() - t0) / 1e6);
	fflush(g->progress);
}

static enum hh_rc generate(struct gen *g)
{
	int64_t t0 = hh_mono_us();
	const struct hh_demo_year_opts *o = g->o;
	enum hh_rc rc;
	/* what is made before the first day (organisations, staff,
	 * citizens) is there from its start */
	hh_clock_set_us(dk_at(o->from_day, 0) * 1000000);
	if ((rc = hh_store_run_tx(g->st, 1, make_orgs_tx, g)) != HH_OK ||
	    (rc = hh_store_run_tx(g->st, 0, gather_tx, g)) != HH_OK ||
	    (rc = hh_store_run_tx(g->st, 0, codes_tx, g)) != HH_OK ||
	    (rc = hh_store_run_tx(g->st, 1, staff_tx, g)) != HH_OK ||
	    (rc = hh_store_run_tx(g->st, 0, case_types_tx, g)) != HH_OK)
		return rc;
	for (int i = 0; i < g->n_orgs; i++) {
		struct org *x = &g->orgs[i];
		static const char *const services[3] = { "phone", "counter", "chat" };
		for (int k = 0; k < 3; k++) {
			rc = hh_hours_get(g->st, g->a, x->o.id, services[k], &x->hours[k]);
			if (rc == HH_ERR_NOT_FOUND)
				x->hours[k] = NULL;
			else if (rc != HH_OK)
				return rc;
		}
		if (!strcmp(x->o.code, "901"))
			g->home = i;
		if (!x->n_agents || !x->n_reasons) {
			fprintf(g->errs, "demo-year: %s has no agents or reasons\n",
				x->o.code);
			return HH_ERR_INVALID;
		}
	}
	if ((rc = make_citizens(g)) != HH_OK)
		return rc;
	if (g->progress)
		fprintf(g->progress, "%lld citizens and %lld staff made (%.1f s)\n",
			(long long)g->stats->citizens, (long long)g->stats->staff,
			(double)(hh_mono_us() - t0) / 1e6);
	/* the year's volumes at this scale */
	double year = (double)o->days / 365.0;
	for (int i = 0; i < g->n_orgs; i++) {
		struct org *x = &g->orgs[i];
		if (x->muni >= 0) {
			x->year_inquiries = INQUIRIES_PER_CITIZEN * (double)x->cit_n * year;
			x->year_cases = CASES_PER_CITIZEN * (double)x->cit_n * year;
			x->year_searches = SEARCHES_PER_CITIZEN * (double)x->cit_n * year;
		} else {
			x->year_inquiries = agencies[x->agency].rate * (double)g->n_cits * year;
		}
	}
	double sum_w = 0, sum_web = 0;
	for (int64_t d = o->from_day; d < o->from_day + o->days; d++) {
		sum_w += day_weight(d);
		sum_web += web_weight(d);
	}
	g->end_at = dk_at(o->from_day + o->days, 0);
	if ((rc = hh_searchlog_init(g->st)) != HH_OK)
		return rc;
	for (g->day = o->from_day; g->day < o->from_day + o->days; g->day++) {
		int64_t y;
		int m, d;
		hh_civil_from_days(g->day, &y, &m, &d);
		if (d == 1 && g->day != o->from_day)
			progress_line(g, g->day - 1, t0);
		plan_day(g, g->day, sum_w, sum_web);
		int64_t day_end = dk_at(g->day + 1, 0);
		while (g->n_heap && g->heap[0].at < day_end) {
			struct act act = pop(g);
			rc = run_action(g, &act);
			hh_arena_clear(&g->tmp);
			if (rc == HH_OK && g->tx && g->batch_n >= BATCH_MAX)
				rc = batch_end(g);
			if (rc != HH_OK) {
				batch_abort(g);
				return rc;
			}
		}
		if ((rc = batch_end(g)) != HH_OK ||
		    (rc = day_searches(g, g->day, sum_web)) != HH_OK)
			return rc;
		hh_arena_clear(&g->tmp);
	}
	progress_line(g, g->day - 1, t0);
	for (int i = 0; i < g->n_orgs; i++)
		if (!strcmp(g->orgs[i].o.code, "901"))
			g->stats->inquiries_901 = g->orgs[i].made_inquiries;
	return HH_OK;
}

enum hh_rc hh_demo_year(struct hh_store *st, struct hh_arena *a,
			const struct hh_demo_year_opts *opts, FILE *errs,
			FILE *progress, struct hh_demo_year_stats *stats,
			const char **made_by)
{
	memset(stats, 0, sizeof(*stats));
	if (made_by)
		*made_by = NULL;
	if (opts->days < 1 || opts->days > 1000 || !(opts->scale > 0) ||
	    opts->scale > 10)
		return HH_ERR_INVALID;
	int64_t t0 = hh_mono_us();
	struct meta_ctx m = { .a = a };
	enum hh_rc rc = hh_store_run_tx(st, 0, meta_tx, &m);
	if (rc != HH_OK)
		return rc;
	if (m.value) {
		if (made_by)
			*made_by = m.value;
		return HH_ERR_CONFLICT;
	}
	int64_t events_before = m.events;
	/* marked first: a run that stops halfway is not run again over
	 * what it wrote */
	m.set = 1;
	m.value = hh_arena_printf(a, "seed %llu, from day %lld, %d days, scale %g "
				     "(started)",
				  (unsigned long long)opts->seed, (long long)opts->from_day,
				  opts->days, opts->scale);
	if ((rc = hh_store_run_tx(st, 1, meta_tx, &m)) != HH_OK)
		return rc;
	struct gen *g = hh_xcalloc(1, sizeof(*g));
	g->st = st;
	g->a = a;
	g->o = opts;
	g->errs = errs;
	g->progress = progress;
	g->stats = stats;
	g->r.s = opts->seed * 0x9e3779b97f4a7c15ull + 0x632be59bd9b4e019ull;
	if (!g->r.s)
		g->r.s = 1;
	hh_arena_init(&g->tmp);
	static const char pdf[] = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
	size_t b64 = sodium_base64_encoded_len(sizeof(pdf) - 1,
					       sodium_base64_VARIANT_ORIGINAL);
	g->pdf_b64 = hh_arena_alloc(a, b64);
	sodium_bin2base64(g->pdf_b64, b64, (const unsigned char *)pdf, sizeof(pdf) - 1,
			  sodium_base64_VARIANT_ORIGINAL);
	rc = generate(g);
	batch_abort(g);
	hh_clock_set_us(0);
	if (rc == HH_OK) {
		m.value = hh_arena_printf(a, "seed %llu, from day %lld, %d days, scale %g",
					  (unsigned long long)opts->seed,
					  (long long)opts->from_day, opts->days, opts->scale);
		rc = hh_store_run_tx(st, 1, meta_tx, &m);
	}
	struct meta_ctx after = { .a = a };
	if (rc == HH_OK && hh_store_run_tx(st, 0, meta_tx, &after) == HH_OK)
		stats->events = after.events - events_before;
	stats->elapsed_us = hh_mono_us() - t0;
	hh_arena_clear(&g->tmp);
	free(g->heap);
	free(g->cases);
	free(g->cits);
	free(g->cpr_used);
	free(g);
	return rc;
}
