/* parties_bench.c - Mit overblik and the case page with 100,000
 * two-party cases (bench/parties.sh; issue 16, "Measured").
 *
 *   parties_bench seed DB
 *       on a database with the organisations and the case types skilsmisse
 *       and separation imported (parties.sh does it), writes through the
 *       store, 10,000 cases per write transaction: 50,000 citizens (2 %
 *       with name and address protection), 100,000 cases of the two types
 *       at Familieretshuset, each with its applicant and a spouse party
 *       (sealed CPR number and keyed hash, as the domain writes them),
 *       and their events (submit, the spouse's answer, the caseworker's
 *       steps). The applicant is one of 100 "busy" citizens for 10 % of
 *       the cases (about 100 cases each) and else any citizen (about 2
 *       each); the spouse is a busy citizen for 5 % (about 50
 *       invitations each). 8 % still wait for the spouse (invited,
 *       answer due within 30 days), 6 % were declined or ran out, the
 *       rest were confirmed and go on. Measured: demo:bench-00042 (busy
 *       applicant), demo:bench-00043 (busy party), demo:bench-01000 (three
 *       cases, one invitation), each with a saved plan.
 *   parties_bench http URL EMAIL PASSWORD N
 *       times N sequential requests of each target on one kept-alive
 *       connection per signed-in person, after 20 to warm up; /healthz of
 *       the same server beside them.
 *   parties_bench instr DB WHAT N
 *       the domain reads alone, in process, N times, for instruction
 *       counts under callgrind (docs/benchmarks.md): WHAT is applicant
 *       or party (hh_overview_read with the plans' views) or case (the
 *       caseworker's hh_case_read of the applicant's newest case). DB
 *       may be a postgres:// URL, with HELHED_KEY_FILE naming the keys.
 *   parties_bench peer DB|postgres://... N
 *       the peer: the rows the overview and the case page show, fetched
 *       by bare SQL (one prepared statement each, the same text on SQLite
 *       and PostgreSQL), N times each.
 *
 * Benchmarks print figures; nothing here asserts. */
#include <curl/curl.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/util.h"
#include "domain/caseread.h"
#include "domain/overview.h"
#include "domain/vault.h"
#include "store/store.h"
#include "bench_http.h"

#define N_CASES 100000
#define N_CITIZENS 50000
#define N_BUSY 100
#define APPLICANT 42
#define PARTY 43
#define TYPICAL 1000
#define N_IDS 200

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "parties_bench: %s%s%s\n", what, detail ? ": " : "",
		detail ? detail : "");
	exit(1);
}

/* xorshift64*: the seeded data is the same in every run. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(uint32_t n)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dull) >> 33) % n;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of n sorted values (microseconds), in ms. */
static double pct_ms(const int64_t *sorted, int n, double p)
{
	int k = (int)(p / 100.0 * n + 0.999999) - 1;
	if (k < 0)
		k = 0;
	if (k >= n)
		k = n - 1;
	return (double)sorted[k] / 1000.0;
}

/* ---- seed -------------------------------------------------------------- */

/* Citizen i's CPR number: a valid date (1950-1989) and a serial whose
 * seventh digit puts it in the 1900s; unique per citizen. */
static void cpr_of(int i, char out[12])
{
	unsigned d = (unsigned)i % 13440, serial = 1000 + (unsigned)i / 13440 % 9000;
	snprintf(out, 12, "%02u%02u%02u-%04u", 1 + d % 28, 1 + (d / 28) % 12,
		 50 + (d / 336) % 40, serial % 10000);
}

struct seed {
	int64_t org, types[2], life_event;
	int64_t *citizens;
	int next;
	int64_t now;
	int n_events, n_invited, n_closed, n_protected;
	int as_applicant[3], as_party[3];
};

static enum hh_rc setup_tx(struct hh_tx *tx, void *p)
{
	struct seed *s = p;
	struct hh_store *st = tx->store;
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_org o;
	struct hh_case_type ct;
	int64_t muni[2] = { 0, 0 };
	enum hh_rc rc = st->org_get_by_code(tx, &a, "901", &o);
	muni[0] = o.id;
	if (rc == HH_OK)
		rc = st->org_get_by_code(tx, &a, "902", &o);
	muni[1] = o.id;
	if (rc == HH_OK)
		rc = st->org_get_by_code(tx, &a, "familieretshuset", &o);
	s->org = o.id;
	if (rc == HH_OK)
		rc = st->case_type_get_by_code(tx, &a, "skilsmisse", &ct);
	s->types[0] = ct.id;
	if (rc == HH_OK)
		rc = st->case_type_get_by_code(tx, &a, "separation", &ct);
	s->types[1] = ct.id;
	struct hh_life_event le;
	if (rc == HH_OK)
		rc = st->life_event_get(tx, &a, "skilsmisse-og-separation", &le);
	s->life_event = le.id;
	for (int i = 0; rc == HH_OK && i < N_CITIZENS; i++) {
		char cpr[12];
		cpr_of(i, cpr);
		struct hh_citizen c = {
			.subject = hh_arena_printf(&a, "demo:bench-%05d", i),
			.name = hh_arena_printf(&a, "Borger %05d", i),
			.cpr = cpr,
			.municipality_id = muni[i % 2],
			.address = "Skovbrynet 14", .postcode = "4100", .city = "Nordskov",
		};
		rc = st->citizen_put(tx, &c);
		s->citizens[i] = c.id;
		if (rc == HH_OK && (rnd(50) == 0 || i == 7)) {
			rc = st->citizen_protected_set(tx, c.id, 1);
			s->n_protected++;
		}
		if (i % 1000 == 999)
			hh_arena_clear(&a);
	}
	/* a saved plan each for the measured citizens (Mit overblik shows
	 * plans with their steps) */
	static const int planned[] = { APPLICANT, PARTY, TYPICAL };
	for (int i = 0; rc == HH_OK && i < 3; i++) {
		struct hh_plan pl = { .citizen_id = s->citizens[planned[i]],
				      .life_event_id = s->life_event,
				      .answers = "{}", .created_at = s->now - 86400 * 40,
				      .updated_at = s->now - 86400 * 40 };
		rc = st->plan_insert(tx, &pl);
	}
	/* serve --demo must not import content/ into this database */
	if (rc == HH_OK)
		rc = st->meta_set(tx, "content_loaded", "bench");
	hh_arena_clear(&a);
	return rc;
}

static enum hh_rc ev(struct hh_tx *tx, struct seed *s, const struct hh_case *c,
		     int64_t at, const char *actor, const char *action,
		     const char *after)
{
	struct hh_event e = { .at_us = at * 1000000, .actor = actor, .org_id = c->org_id,
			      .entity = "case", .entity_id = c->id, .action = action,
			      .after = after };
	s->n_events++;
	return tx->store->event_append(tx, &e);
}

/* The applicant and the spouse of case i: a busy citizen now and then,
 * the measured ones as the header says. */
static void pick(int i, int *applicant, int *spouse)
{
	if (i < 3) {
		*applicant = TYPICAL;
		*spouse = N_BUSY + (int)rnd(N_CITIZENS - N_BUSY);
		return;
	}
	*applicant = rnd(10) == 0 ? (int)rnd(N_BUSY) : (int)rnd(N_CITIZENS);
	*spouse = i == 3 ? TYPICAL : rnd(20) == 0 ? (int)rnd(N_BUSY) : (int)rnd(N_CITIZENS);
	if (*applicant == TYPICAL)
		*applicant = TYPICAL + 1;
	if (*spouse == *applicant || (i > 3 && *spouse == TYPICAL))
		*spouse = (*applicant + 1 + (int)rnd(N_CITIZENS - 2)) % N_CITIZENS;
	if (i != 3 && *spouse == TYPICAL)
		*spouse = TYPICAL + 2;
}

static enum hh_rc cases_tx(struct hh_tx *tx, void *p)
{
	struct seed *s = p;
	struct hh_store *st = tx->store;
	const struct hh_vault *v = hh_vault_of(st);
	struct hh_arena a;
	hh_arena_init(&a);
	enum hh_rc rc = HH_OK;
	int end = s->next + 10000;
	for (int i = s->next; rc == HH_OK && i < end && i < N_CASES; i++) {
		int ap, sp;
		pick(i, &ap, &sp);
		int divorce = rnd(10) < 6;
		char cpr[12];
		cpr_of(sp, cpr);
		uint32_t r = rnd(100);
		/* 8 % wait for the spouse, 4 % declined, 2 % ran out; the rest
		 * confirmed and went on */
		int invited = r < 8 || i == 3, declined = !invited && r < 12,
		    expired = !invited && !declined && r < 14;
		int64_t age = invited ? (int64_t)rnd(25 * 86400) + 60
				      : 30 * 86400 + (int64_t)rnd(3 * 365 * 86400);
		if (!invited && r < 30)
			age = (int64_t)rnd(60 * 86400) + 86400; /* recent, open */
		uint32_t q = rnd(100);
		const char *state = invited		 ? "awaiting_spouse"
				    : declined || expired ? "not_confirmed"
				    : r < 30 ? (q < 30 ? "received" : q < 70 ? "in_progress"
					       : q < 85 ? "awaiting_citizen"
					       : divorce ? "reflection" : "negotiation")
				    : q < 85 ? "granted" : q < 95 ? "rejected" : "withdrawn";
		int closed = declined || expired || r >= 30;
		struct hh_case c = {
			.case_type_id = s->types[divorce ? 0 : 1], .org_id = s->org,
			.citizen_id = s->citizens[ap], .state = state,
			.created_at = s->now - age,
		};
		c.data = hh_arena_printf(
			&a,
			"{\"aegtefaelle_cpr\":\"%s\",\"aegtefaelle_navn\":\"Borger %05d\","
			"\"vielsesdato\":\"20%02d-06-%02d\",%s\"boern\":\"%s\",%s"
			"\"aegtefaellebidrag\":\"nej\",\"lejebolig\":\"%s\","
			"\"bemaerkninger\":\"Vi er enige om det hele.\"}",
			cpr, sp, (int)rnd(20), 1 + (int)rnd(28),
			divorce ? "\"separeret\":\"ja\",\"separationsdato\":\"2024-01-15\","
				  "\"enige\":\"ja\","
				: "",
			r % 2 ? "ja" : "nej", r % 2 ? "\"antal_boern\":2," : "",
			q % 3 == 0 ? "mig" : q % 3 == 1 ? "aegtefaelle" : "ingen");
		c.deadline_at = c.created_at + 42 * 86400;
		int64_t confirmed_at = c.created_at + 3600 + (int64_t)rnd(5 * 86400);
		c.state_since = invited ? c.created_at : confirmed_at;
		if (invited)
			c.paused_since = c.created_at;
		else if (!strcmp(state, "awaiting_citizen"))
			c.paused_since = confirmed_at + 86400;
		if (closed)
			c.closed_at = confirmed_at + 86400 * (1 + (int64_t)rnd(40));
		rc = st->case_insert(tx, &c);
		unsigned char *h = hh_arena_alloc(&a, 32);
		struct hh_case_party party = {
			.case_id = c.id, .position = 0, .confirm = 1, .role = "spouse",
			.citizen_id = s->citizens[sp],
			.cpr_key = hh_vault_seal_id(v), .cpr_hash = h,
			.cpr_hash_key = hh_vault_hash_id(v),
			.status = invited ? "invited" : declined ? "declined"
				  : expired ? "expired" : "confirmed",
			.invited_at = c.created_at,
			.expires_at = c.created_at + 30 * 86400,
			.answered_at = invited || expired ? 0 : confirmed_at,
		};
		if (rc == HH_OK)
			rc = hh_vault_cpr_hash(v, 0, cpr, h);
		if (rc == HH_OK)
			rc = hh_vault_seal(v, &a, cpr, &party.cpr);
		if (rc == HH_OK)
			rc = st->case_party_insert(tx, &party);
		const char *who = hh_arena_printf(&a, "citizen:%lld", (long long)c.citizen_id);
		const char *spouse = hh_arena_printf(&a, "citizen:%lld",
						     (long long)s->citizens[sp]);
		if (rc == HH_OK)
			rc = ev(tx, s, &c, c.created_at, who, "submit",
				hh_arena_printf(&a, "{\"case_type\":\"%s\",\"state\":"
						    "\"awaiting_spouse\",\"version\":1}",
						divorce ? "skilsmisse" : "separation"));
		if (rc == HH_OK && !invited)
			rc = ev(tx, s, &c, confirmed_at, expired ? "system" : spouse,
				expired ? "party_expired" : declined ? "party_decline"
								     : "party_confirm",
				hh_arena_printf(&a, "{\"answer\":\"%s\",\"party\":\"spouse\","
						    "\"state\":\"%s\",\"version\":2}",
						party.status,
						declined || expired ? "not_confirmed"
								    : "received"));
		if (rc == HH_OK && !invited && !declined && !expired &&
		    strcmp(state, "received"))
			rc = ev(tx, s, &c, confirmed_at + 3600, "user:1", "transition",
				"{\"state\":\"in_progress\",\"version\":3}");
		if (rc == HH_OK && !strcmp(state, "awaiting_citizen"))
			rc = ev(tx, s, &c, confirmed_at + 86400, "user:1", "request",
				"{\"state\":\"awaiting_citizen\",\"version\":4,"
				"\"question\":\"Send os jeres vielsesattest.\"}");
		else if (rc == HH_OK && closed && !declined && !expired)
			rc = ev(tx, s, &c, c.closed_at, "user:1", "transition",
				hh_arena_printf(&a, "{\"state\":\"%s\",\"version\":4}", state));
		s->n_invited += invited;
		s->n_closed += closed;
		for (int k = 0; k < 3; k++) {
			static const int who_k[] = { APPLICANT, PARTY, TYPICAL };
			s->as_applicant[k] += ap == who_k[k];
			s->as_party[k] += sp == who_k[k];
		}
		if (i % 500 == 499)
			hh_arena_clear(&a);
	}
	hh_arena_clear(&a);
	return rc;
}

static int cmd_seed(const char *db)
{
	int64_t t0 = hh_mono_us();
	struct hh_store *st;
	if (hh_store_open_sqlite(db, 1, &st) != HH_OK)
		die("cannot open", db);
	if (st->migrate(st->cls, NULL) != HH_OK)
		die("cannot migrate", db);
	char err[1024];
	if (hh_vault_start(st, NULL, db, err, sizeof(err)) != HH_OK)
		die("cannot seal CPR numbers", err);
	struct hh_vault *v = hh_vault_of(st);
	if (!v)
		die("no key file", db);
	struct seed s = { .now = hh_now_us() / 1000000,
			  .citizens = hh_xcalloc(N_CITIZENS, sizeof(int64_t)) };
	enum hh_rc rc = hh_store_run_tx(st, 1, setup_tx, &s);
	if (rc != HH_OK)
		die("set-up failed (familieretshuset, skilsmisse, separation imported?)",
		    hh_rc_name(rc));
	int64_t t1 = hh_mono_us();
	/* no other writer: not retried, so the counts in s stay right */
	for (s.next = 0; s.next < N_CASES; s.next += 10000)
		if ((rc = hh_store_run_tx(st, 1, cases_tx, &s)) != HH_OK)
			die("seeding cases failed", hh_rc_name(rc));
	hh_store_close(st);
	printf("seeded %d citizens (%d with address protection) in %.1f s; "
	       "%d two-party cases (%d waiting for the spouse, %d closed), "
	       "%d events in %.1f s\n",
	       N_CITIZENS, s.n_protected, (double)(t1 - t0) / 1e6, N_CASES,
	       s.n_invited, s.n_closed, s.n_events, (double)(hh_mono_us() - t1) / 1e6);
	printf("measured: demo:bench-%05d applicant of %d, party to %d; "
	       "demo:bench-%05d applicant of %d, party to %d; "
	       "demo:bench-%05d applicant of %d, party to %d\n",
	       APPLICANT, s.as_applicant[0], s.as_party[0], PARTY, s.as_applicant[1],
	       s.as_party[1], TYPICAL, s.as_applicant[2], s.as_party[2]);
	free(s.citizens);
	return 0;
}

/* ---- http ------------------------------------------------------------------ */

struct client {
	CURL *h;
	struct body b;
	struct curl_slist *json;
};

static void client_init(struct client *c)
{
	memset(c, 0, sizeof(*c));
	c->h = curl_easy_init();
	curl_easy_setopt(c->h, CURLOPT_COOKIEFILE, "");
	curl_easy_setopt(c->h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c->h, CURLOPT_WRITEDATA, &c->b);
	curl_easy_setopt(c->h, CURLOPT_TCP_NODELAY, 1L);
	c->json = curl_slist_append(NULL, "Content-Type: application/json");
}

static void client_clear(struct client *c)
{
	curl_slist_free_all(c->json);
	curl_easy_cleanup(c->h);
	free(c->b.p);
}

static long request(struct client *c, const char *url, const char *post,
		    int64_t *us)
{
	c->b.len = 0;
	curl_easy_setopt(c->h, CURLOPT_URL, url);
	if (post) {
		curl_easy_setopt(c->h, CURLOPT_POSTFIELDS, post);
		curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, c->json);
	} else {
		curl_easy_setopt(c->h, CURLOPT_HTTPGET, 1L);
		curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, NULL);
	}
	int64_t t0 = hh_mono_us();
	CURLcode rc = curl_easy_perform(c->h);
	if (us)
		*us = hh_mono_us() - t0;
	if (rc != CURLE_OK)
		die(url, curl_easy_strerror(rc));
	long status = 0;
	curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &status);
	return status;
}

static void citizen_in(struct client *c, const char *url, int who)
{
	char u[512], body[128];
	client_init(c);
	snprintf(u, sizeof(u), "%s/api/v1/citizen/session", url);
	snprintf(body, sizeof(body), "{\"subject\": \"demo:bench-%05d\"}", who);
	if (request(c, u, body, NULL) != 201)
		die("citizen sign-in failed (is the server in --demo mode?)", c->b.p);
}

/* The ids of key ("cases": "id", "invitations": "case_id") in the
 * overview's answer, at most N_IDS. */
static int ids_of(const char *json, const char *key, const char *field,
		  int64_t *ids)
{
	json_error_t e;
	json_t *j = json_loads(json, 0, &e), *it;
	size_t k;
	int n = 0;
	json_array_foreach(json_object_get(j, key), k, it)
		if (n < N_IDS)
			ids[n++] = json_integer_value(json_object_get(it, field));
	json_decref(j);
	return n;
}

static double healthz_p99;

static int time_target(struct client *c, const char *url, const char *label,
		       const char *fmt, const int64_t *ids, int n_ids, int n,
		       int64_t *lat)
{
	char u[512];
	size_t bytes = 0;
	int bad = 0;
	for (int i = -20; i < n; i++) {
		if (ids)
			snprintf(u, sizeof(u), fmt, url, (long long)ids[(i + 20) % n_ids]);
		else
			snprintf(u, sizeof(u), fmt, url);
		int64_t us;
		long st = request(c, u, NULL, &us);
		if (st != 200 && bad++ == 0)
			fprintf(stderr, "parties_bench: %s: %ld %.200s\n", u, st,
				c->b.p ? c->b.p : "");
		if (i >= 0) {
			lat[i] = us;
			bytes += c->b.len;
		}
	}
	qsort(lat, (size_t)n, sizeof(*lat), cmp_i64);
	double p50 = pct_ms(lat, n, 50), p99 = pct_ms(lat, n, 99);
	if (!healthz_p99)
		healthz_p99 = p99;
	printf("%-52s %8.3f %8.3f %8.3f %7.1fx %7zu%s\n", label, p50, p99,
	       (double)lat[n - 1] / 1000.0, p99 / healthz_p99, bytes / (size_t)n,
	       p99 > 20.0 ? "  ** p99 over 20 ms" : "");
	return bad;
}

static int cmd_http(const char *url, const char *email, const char *password,
		    int n)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	struct client ap, pa, ty, cw;
	citizen_in(&ap, url, APPLICANT);
	citizen_in(&pa, url, PARTY);
	citizen_in(&ty, url, TYPICAL);
	client_init(&cw);
	char u[512];
	snprintf(u, sizeof(u), "%s/api/v1/session", url);
	json_t *j = json_pack("{s:s, s:s}", "email", email, "password", password);
	char *js = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (request(&cw, u, js, NULL) != 201)
		die("caseworker sign-in failed", cw.b.p);
	free(js);
	int64_t cases[N_IDS], invitations[N_IDS];
	snprintf(u, sizeof(u), "%s/api/v1/overview", url);
	if (request(&ap, u, NULL, NULL) != 200)
		die("GET /api/v1/overview failed", ap.b.p);
	int n_cases = ids_of(ap.b.p, "cases", "id", cases);
	if (request(&pa, u, NULL, NULL) != 200)
		die("GET /api/v1/overview failed", pa.b.p);
	int n_inv = ids_of(pa.b.p, "invitations", "case_id", invitations);
	if (!n_cases || !n_inv)
		die("the measured citizens have no cases or invitations", NULL);
	printf("demo:bench-%05d: %d cases in Mit overblik; demo:bench-%05d: %d "
	       "invitations\n", APPLICANT, n_cases, PARTY, n_inv);
	printf("%d sequential requests after 20 to warm up, one kept-alive "
	       "connection each; x: p99 over /healthz's p99\n", n);
	printf("%-52s %8s %8s %8s %8s %7s\n", "request", "p50 ms", "p99 ms",
	       "max ms", "x", "bytes");
	int64_t *lat = hh_xmalloc(sizeof(int64_t) * (size_t)n);
	int bad = 0;
	char l[128];
	bad += time_target(&ap, url, "GET /healthz (the same server, beside)",
			   "%s/healthz", NULL, 0, n, lat);
	snprintf(l, sizeof(l), "applicant (%d cases): GET /mit-overblik", n_cases);
	bad += time_target(&ap, url, l, "%s/mit-overblik", NULL, 0, n, lat);
	snprintf(l, sizeof(l), "applicant (%d cases): GET /api/v1/overview", n_cases);
	bad += time_target(&ap, url, l, "%s/api/v1/overview", NULL, 0, n, lat);
	bad += time_target(&ap, url, "applicant: GET /mit-overblik/sag/{id}",
			   "%s/mit-overblik/sag/%lld", cases, n_cases, n, lat);
	snprintf(l, sizeof(l), "party (%d invitations): GET /mit-overblik", n_inv);
	bad += time_target(&pa, url, l, "%s/mit-overblik", NULL, 0, n, lat);
	snprintf(l, sizeof(l), "party (%d invitations): GET /api/v1/overview", n_inv);
	bad += time_target(&pa, url, l, "%s/api/v1/overview", NULL, 0, n, lat);
	bad += time_target(&pa, url, "party: GET /mit-overblik/part/{id}",
			   "%s/mit-overblik/part/%lld", invitations, n_inv, n, lat);
	bad += time_target(&ty, url, "typical (3 cases, 1 inv.): GET /mit-overblik",
			   "%s/mit-overblik", NULL, 0, n, lat);
	bad += time_target(&ty, url, "typical: GET /api/v1/overview",
			   "%s/api/v1/overview", NULL, 0, n, lat);
	bad += time_target(&cw, url, "caseworker: GET /sagsbehandling/sag/{id}",
			   "%s/sagsbehandling/sag/%lld", cases, n_cases, n, lat);
	bad += time_target(&cw, url, "caseworker: GET /api/v1/cases/{id}",
			   "%s/api/v1/cases/%lld", cases, n_cases, n, lat);
	free(lat);
	client_clear(&ap);
	client_clear(&pa);
	client_clear(&ty);
	client_clear(&cw);
	curl_global_cleanup();
	return bad ? 1 : 0;
}

/* ---- the peer: the same rows by bare SQL ----------------------------------- */

/* The same text on both: $1 is a numbered parameter in PostgreSQL and a
 * named one (the first, so index 1) in SQLite. */
static const char *const peer_sql[] = {
	/* Mit overblik's cases: the citizen's newest, with their names */
	"SELECT c.id, t.code, t.name, o.name, z.name, c.state, c.data, "
	"c.created_at, c.deadline_at, c.paused_since, c.closed_at "
	"FROM cases c JOIN case_types t ON t.id = c.case_type_id "
	"JOIN organisations o ON o.id = c.organisation_id "
	"LEFT JOIN citizens z ON z.id = c.citizen_id "
	"WHERE c.citizen_id = $1 ORDER BY c.id DESC LIMIT 500",
	/* the invitations: the party rows with their cases */
	"SELECT p.id, p.role, p.status, p.expires_at, c.id, t.code, t.name, "
	"o.name, z.name, c.state, c.data, z.address_protected "
	"FROM case_parties p JOIN cases c ON c.id = p.case_id "
	"JOIN case_types t ON t.id = c.case_type_id "
	"JOIN organisations o ON o.id = c.organisation_id "
	"LEFT JOIN citizens z ON z.id = c.citizen_id "
	"WHERE p.citizen_id = $1 ORDER BY p.id DESC LIMIT 50",
	/* the case page: the case, its parties with names, its history */
	"SELECT c.id, t.code, t.name, o.name, z.name, c.state, c.data, "
	"c.version, c.created_at, c.deadline_at, c.journal_no "
	"FROM cases c JOIN case_types t ON t.id = c.case_type_id "
	"JOIN organisations o ON o.id = c.organisation_id "
	"LEFT JOIN citizens z ON z.id = c.citizen_id WHERE c.id = $1",
	"SELECT p.role, p.status, p.expires_at, p.answered_at, z.name, "
	"z.address_protected FROM case_parties p LEFT JOIN citizens z ON "
	"z.id = p.citizen_id WHERE p.case_id = $1 ORDER BY p.position",
	"SELECT id, at, actor, action, before, after FROM events "
	"WHERE entity = 'case' AND entity_id = $1 ORDER BY id",
};
enum { N_PEER = sizeof(peer_sql) / sizeof(peer_sql[0]) };

struct peer {
	sqlite3 *db;
	sqlite3_stmt *st[N_PEER];
	PGconn *pg;
};

static int64_t peer_run(struct peer *p, int q, int64_t arg)
{
	int64_t rows = 0;
	if (p->db) {
		sqlite3_stmt *st = p->st[q];
		sqlite3_bind_int64(st, 1, arg);
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			rows++;
		if (rc != SQLITE_DONE)
			die("query failed", sqlite3_errmsg(p->db));
		sqlite3_reset(st);
		return rows;
	}
	char v[24], name[8];
	snprintf(v, sizeof(v), "%lld", (long long)arg);
	snprintf(name, sizeof(name), "q%d", q);
	const char *vals[1] = { v };
	PGresult *r = PQexecPrepared(p->pg, name, 1, vals, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		die("query failed", PQerrorMessage(p->pg));
	rows = PQntuples(r);
	PQclear(r);
	return rows;
}

static int64_t peer_one(struct peer *p, const char *sql)
{
	int64_t v = 0;
	if (p->db) {
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(p->db, sql, -1, &st, NULL) != SQLITE_OK)
			die("prepare", sqlite3_errmsg(p->db));
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		return v;
	}
	PGresult *r = PQexec(p->pg, sql);
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r))
		v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return v;
}

static void peer_time(struct peer *p, const char *label, const int *qs, int nq,
		      const int64_t *args, int n_args, int n, int64_t *lat)
{
	int64_t rows = 0;
	for (int i = -20; i < n; i++) {
		int64_t t0 = hh_mono_us();
		for (int k = 0; k < nq; k++)
			rows += peer_run(p, qs[k], args[(i + 20) % n_args]);
		if (i >= 0)
			lat[i] = hh_mono_us() - t0;
	}
	qsort(lat, (size_t)n, sizeof(*lat), cmp_i64);
	printf("%-52s %8.3f %8.3f %8.3f  %lld rows a time\n", label, pct_ms(lat, n, 50),
	       pct_ms(lat, n, 99), (double)lat[n - 1] / 1000.0,
	       (long long)(rows / (n + 20)));
}

static int cmd_peer(const char *where, int n)
{
	struct peer p = { 0 };
	if (!strncmp(where, "postgres", 8)) {
		p.pg = PQconnectdb(where);
		if (PQstatus(p.pg) != CONNECTION_OK)
			die("cannot connect", PQerrorMessage(p.pg));
		for (int q = 0; q < N_PEER; q++) {
			char name[8];
			snprintf(name, sizeof(name), "q%d", q);
			PGresult *r = PQprepare(p.pg, name, peer_sql[q], 1, NULL);
			if (PQresultStatus(r) != PGRES_COMMAND_OK)
				die("prepare", PQerrorMessage(p.pg));
			PQclear(r);
		}
	} else {
		if (sqlite3_open_v2(where, &p.db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
			die("cannot open", where);
		for (int q = 0; q < N_PEER; q++)
			if (sqlite3_prepare_v2(p.db, peer_sql[q], -1, &p.st[q], NULL) !=
			    SQLITE_OK)
				die("prepare", sqlite3_errmsg(p.db));
	}
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT id FROM citizens WHERE subject = "
				   "'demo:bench-%05d'", APPLICANT);
	int64_t ap = peer_one(&p, sql);
	snprintf(sql, sizeof(sql), "SELECT id FROM citizens WHERE subject = "
				   "'demo:bench-%05d'", PARTY);
	int64_t pa = peer_one(&p, sql);
	if (!ap || !pa)
		die("the measured citizens are not there", where);
	/* the applicant's cases, newest first, as the HTTP side reads them */
	int64_t cases[N_IDS];
	int n_cases = 0;
	for (int64_t last = INT64_MAX; n_cases < N_IDS; n_cases++) {
		snprintf(sql, sizeof(sql), "SELECT max(id) FROM cases WHERE "
					   "citizen_id = %lld AND id < %lld",
			 (long long)ap, (long long)last);
		if (!(last = peer_one(&p, sql)))
			break;
		cases[n_cases] = last;
	}
	int64_t *lat = hh_xmalloc(sizeof(int64_t) * (size_t)n);
	printf("%-52s %8s %8s %8s\n", "bare SQL", "p50 ms", "p99 ms", "max ms");
	peer_time(&p, "applicant's cases (Mit overblik's list)", (int[]){ 0 }, 1,
		  &ap, 1, n, lat);
	peer_time(&p, "party's invitations with their cases", (int[]){ 1 }, 1, &pa,
		  1, n, lat);
	peer_time(&p, "a case, its parties and its history", (int[]){ 2, 3, 4 }, 3,
		  cases, n_cases, n, lat);
	free(lat);
	for (int q = 0; q < N_PEER; q++)
		sqlite3_finalize(p.st[q]);
	if (p.db)
		sqlite3_close(p.db);
	if (p.pg)
		PQfinish(p.pg);
	return 0;
}

/* ---- instr: the domain alone ------------------------------------------------ */

static enum hh_rc instr_case(void *p, const struct hh_case *k)
{
	*(int64_t *)p = k->id;
	return HH_ERR_CONFLICT; /* the first (newest) is enough */
}

struct instr_q {
	struct hh_citizen *z;
	struct hh_user *u;
	const char *subject;
	struct hh_case_filter *f;
	int64_t case_id;
};

static enum hh_rc instr_setup_tx(struct hh_tx *tx, void *p)
{
	struct instr_q *q = p;
	struct hh_arena *a = hh_xcalloc(1, sizeof(*a)); /* lives to the end */
	hh_arena_init(a);
	enum hh_rc rc = tx->store->citizen_get_by_subject(tx, a, q->subject, q->z);
	if (rc == HH_OK)
		rc = tx->store->user_get_by_email(tx, a, "sagsbehandler@bench.test", q->u);
	q->f->citizen_id = q->z->id;
	if (rc == HH_OK)
		rc = tx->store->case_list(tx, a, q->f, 0, 1, NULL, instr_case, &q->case_id);
	return rc == HH_ERR_CONFLICT ? HH_OK : rc;
}

static int cmd_instr(const char *db, const char *what, int n)
{
	struct hh_store *st;
	if (hh_store_open(db, 1, &st) != HH_OK)
		die("cannot open", db);
	char err[1024];
	/* on PostgreSQL the key file is named (the SQLite file's, copied) */
	if (hh_vault_start(st, getenv("HELHED_KEY_FILE"), db, err, sizeof(err)) != HH_OK)
		die("cannot open the key file", err);
	struct hh_arena a;
	hh_arena_init(&a);
	int who_i = !strcmp(what, "party") ? PARTY : APPLICANT;
	struct hh_citizen z;
	struct hh_user u;
	struct hh_case_filter f = { .sort = HH_SORT_NEWEST };
	struct instr_q q = {
		&z, &u, hh_arena_printf(&a, "demo:bench-%05d", who_i), &f, 0 };
	enum hh_rc rc = hh_store_run_tx(st, 0, instr_setup_tx, &q);
	if (rc != HH_OK)
		die("the measured citizen or the caseworker is not there",
		    hh_rc_name(rc));
	struct hh_actor citizen = { .label = hh_arena_printf(&a, "citizen:%lld",
							     (long long)z.id),
				    .roles = HH_ROLE_CITIZEN, .citizen_id = z.id,
				    .loa = HH_LOA_SUBSTANTIAL };
	struct hh_actor staff = { .label = hh_arena_printf(&a, "user:%lld",
							   (long long)u.id),
				  .org_id = u.org_id, .roles = u.roles,
				  .user_id = u.id };
	int64_t t0 = hh_mono_us();
	for (int i = 0; i < n; i++) {
		struct hh_arena r;
		hh_arena_init(&r);
		if (!strcmp(what, "case")) {
			struct hh_case_read cr;
			rc = hh_case_read(st, &r, &staff, q.case_id, "bench", &cr);
		} else {
			struct hh_overview ov;
			rc = hh_overview_read(st, &r, &citizen, 1, &ov);
		}
		hh_arena_clear(&r);
		if (rc != HH_OK)
			die("the read failed", hh_rc_name(rc));
	}
	printf("%d reads (%s) in %.3f ms each\n", n, what,
	       (double)(hh_mono_us() - t0) / 1000.0 / n);
	hh_arena_clear(&a);
	hh_store_close(st);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "instr"))
		return cmd_instr(argv[2], argv[3], atoi(argv[4]));
	if (argc == 3 && !strcmp(argv[1], "seed"))
		return cmd_seed(argv[2]);
	if (argc == 6 && !strcmp(argv[1], "http"))
		return cmd_http(argv[2], argv[3], argv[4], atoi(argv[5]));
	if (argc == 4 && !strcmp(argv[1], "peer"))
		return cmd_peer(argv[2], atoi(argv[3]));
	fprintf(stderr, "usage: parties_bench seed DB\n"
			"       parties_bench http URL EMAIL PASSWORD N\n"
			"       parties_bench peer DB|postgres://... N\n");
	return 2;
}
