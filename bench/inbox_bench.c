/* inbox_bench.c - the citizen's inbox with 100,000 cases and 300,000 sent
 * letters (make bench-inbox; bench/inbox.sh runs it):
 *
 *   inbox_bench seed DB          100,000 cases and 300,000 sent letters
 *                                over 30,000 citizens, through the store
 *   inbox_bench http URL SUBJECT N
 *                                p50/p99 over HTTP of the inbox page, a
 *                                letter page, the API's list and letter,
 *                                beside /healthz, as the citizen SUBJECT
 *   inbox_bench peer DB SUBJECT N
 *                                the peer: the same list query (and its
 *                                count) alone through sqlite3, in process
 *
 * Letters are spread so that every citizen has 10 (some read, some not);
 * each carries a stand-in PDF of 2 KB (the real ones are about 25 KB; the
 * lists never read the PDF, and 300,000 real ones would be 7 GB), except
 * the measured citizen's, which carry a real one rendered once. */
#include <curl/curl.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/auth.h"
#include "domain/letterdoc.h"
#include "render/letter.h"
#include "store/store.h"
#include "bench_http.h"

#define N_CASES 100000
#define N_LETTERS 300000
#define N_CITIZENS 30000
#define PER_CITIZEN (N_LETTERS / N_CITIZENS)
#define MEASURED 42 /* demo:bench-00042 */

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "inbox_bench: %s%s%s\n", what, detail ? ": " : "",
		detail ? detail : "");
	exit(1);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static double pct_ms(const int64_t *sorted, int n, double p)
{
	int i = (int)(p / 100.0 * n);
	if (i >= n)
		i = n - 1;
	return (double)sorted[i] / 1000.0;
}

static uint64_t rng = 0x2545f4914f6cdd1dull;
static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

/* ---- seed --------------------------------------------------------------- */

static const char case_type_def[] =
	"{\"name\":\"Boligstøtte\",\"organisation\":\"municipality\","
	"\"deadline\":\"P30D\",\"public\":true,\"initial\":\"received\","
	"\"states\":[{\"key\":\"received\",\"label\":\"Modtaget\"},"
	"{\"key\":\"in_progress\",\"label\":\"Under behandling\"},"
	"{\"key\":\"awaiting_citizen\",\"label\":\"Afventer dig\",\"paused\":true},"
	"{\"key\":\"granted\",\"label\":\"Bevilget\",\"final\":true}],"
	"\"transitions\":[{\"from\":\"received\",\"to\":\"in_progress\","
	"\"role\":\"caseworker\"},{\"from\":\"in_progress\",\"to\":\"granted\","
	"\"role\":\"caseworker\"}]}";

static const char letter_body[] =
	"Vi har behandlet din ansøgning om boligstøtte.\n\n"
	"## Afgørelse\n\nDu får boligstøtte på 1.850 kr. om måneden fra den 1. "
	"i næste måned.\n\n## Begrundelse\n\nDin husstands indkomst og din "
	"husleje giver ret til støtte efter lov om individuel boligstøtte.\n\n"
	"## Klagevejledning\n\nDu kan klage til Ankestyrelsen inden fire uger. "
	"Send klagen til kommunen, som ser sagen igennem igen først.";

struct seed {
	int64_t org[2], author[2], type_id;
	int64_t *citizens;
	int64_t *cases; /* N_CASES */
	int next;
	int64_t now;
	struct hh_buf real_pdf, stand_in;
	char password_hash[256]; /* the caseworkers' (STAFF_PASSWORD) */
};

/* The benchmark's caseworkers sign in with this, to time the staff's
 * case page beside the citizen's inbox. */
#define STAFF_PASSWORD "bench-sagsbehandler"

static enum hh_rc setup_tx(struct hh_tx *tx, void *p)
{
	struct seed *s = p;
	struct hh_store *st = tx->store;
	struct hh_arena a;
	hh_arena_init(&a);
	static const char *const codes[2] = { "901", "902" };
	enum hh_rc rc = HH_OK;
	for (int m = 0; rc == HH_OK && m < 2; m++) {
		struct hh_org o;
		rc = st->org_get_by_code(tx, &a, codes[m], &o);
		s->org[m] = o.id;
		struct hh_user u = { .org_id = o.id, .roles = HH_ROLE_CASEWORKER,
				     .email = hh_arena_printf(&a, "cw%d@bench.test", m),
				     .name = m ? "Åse Åstrup" : "Niels Nordskov",
				     .password_hash = s->password_hash };
		if (rc == HH_OK)
			rc = st->user_insert(tx, &u);
		s->author[m] = u.id;
	}
	struct hh_case_type ct = { .code = "boligstoette", .organisation = "municipality",
				   .name = "Boligstøtte", .public = 1,
				   .definition = case_type_def };
	if (rc == HH_OK)
		rc = st->case_type_put(tx, &ct);
	s->type_id = ct.id;
	for (int i = 0; rc == HH_OK && i < N_CITIZENS; i++) {
		struct hh_citizen c = {
			.subject = hh_arena_printf(&a, "demo:bench-%05d", i),
			.name = hh_arena_printf(&a, "Borger %05d", i),
			.municipality_id = s->org[i % 2],
			.address = "Skovvej 12", .postcode = "4100", .city = "Nordskov",
		};
		rc = st->citizen_put(tx, &c);
		s->citizens[i] = c.id;
	}
	if (rc == HH_OK) /* serve --demo must not import content/ here */
		rc = st->meta_set(tx, "content_loaded", "bench");
	hh_arena_clear(&a);
	return rc;
}

static enum hh_rc cases_tx(struct hh_tx *tx, void *p)
{
	struct seed *s = p;
	enum hh_rc rc = HH_OK;
	for (int i = s->next; rc == HH_OK && i < s->next + 10000 && i < N_CASES; i++) {
		int cit = (int)((int64_t)i * N_CITIZENS / N_CASES), m = cit % 2;
		uint32_t r = rnd(100);
		struct hh_case c = {
			.case_type_id = s->type_id, .org_id = s->org[m],
			.citizen_id = s->citizens[cit],
			.state = r < 30 ? "in_progress" : r < 40 ? "awaiting_citizen"
							    : "granted",
			.created_at = s->now - (int64_t)rnd(700 * 86400), .data = "{}",
		};
		c.deadline_at = c.created_at + 30 * 86400;
		if (r < 40 && r >= 30)
			c.paused_since = s->now - 86400;
		if (r >= 40)
			c.closed_at = c.created_at + 20 * 86400;
		rc = tx->store->case_insert(tx, &c);
		s->cases[i] = c.id;
	}
	return rc;
}

static enum hh_rc letters_tx(struct hh_tx *tx, void *p)
{
	struct seed *s = p;
	enum hh_rc rc = HH_OK;
	for (int i = s->next; rc == HH_OK && i < s->next + 10000 && i < N_LETTERS; i++) {
		int cit = i % N_CITIZENS, m = cit % 2, k = i / N_CITIZENS;
		/* the citizen's cases: 3 or 4 of them, ids in order */
		int first = (int)((int64_t)cit * N_CASES / N_CITIZENS);
		int64_t sent = s->now - (int64_t)(PER_CITIZEN - k) * 7 * 86400 -
			       (int64_t)rnd(86400);
		struct hh_letter l = {
			.org_id = s->org[m], .case_id = s->cases[first + k % 3],
			.citizen_id = s->citizens[cit], .kind = k % 4 ? "granted" : "request",
			.template_code = "bench", .state = "sent",
			.title = k % 4 ? "Afgørelse om boligstøtte"
				       : "Vi mangler oplysninger til din sag om boligstøtte",
			.body = letter_body, .reply_allowed = k % 4 == 0,
			.author_id = s->author[m], .created_at = sent - 3600,
			.sent_at = sent,
			/* the older letters are read, the newest three not */
			.read_at = k < PER_CITIZEN - 3 ? sent + 86400 : 0,
		};
		const struct hh_buf *pdf = cit == MEASURED ? &s->real_pdf : &s->stand_in;
		l.pdf = (const unsigned char *)pdf->data;
		l.pdf_len = pdf->len;
		rc = tx->store->inbox_letter_insert(tx, &l);
	}
	return rc;
}

static enum hh_rc real_pdf_tx(struct hh_tx *tx, void *p)
{
	struct seed *s = p;
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_letter l = { .org_id = s->org[0], .citizen_id = s->citizens[MEASURED],
			       .case_id = s->cases[0], .title = "Afgørelse om boligstøtte",
			       .body = letter_body, .author_id = s->author[0],
			       .sent_at = s->now };
	struct hh_letter_doc doc;
	enum hh_rc rc = hh_letter_doc_build(tx, &a, &l, 0, &doc);
	if (rc == HH_OK)
		rc = hh_letter_pdf(&doc, &s->real_pdf, NULL);
	hh_arena_clear(&a);
	return rc;
}

static int cmd_seed(const char *db)
{
	int64_t t0 = hh_mono_us();
	struct hh_store *st;
	if (hh_store_open_sqlite(db, 1, &st) != HH_OK || st->migrate(st->cls, NULL) != HH_OK)
		die("cannot open the store", db);
	struct seed s = { .now = hh_now_us() / 1000000,
			  .citizens = hh_xcalloc(N_CITIZENS, sizeof(int64_t)),
			  .cases = hh_xcalloc(N_CASES, sizeof(int64_t)) };
	hh_buf_init(&s.real_pdf);
	hh_buf_init(&s.stand_in);
	hh_buf_puts(&s.stand_in, "%PDF-1.4\n");
	while (s.stand_in.len < 2048)
		hh_buf_puts(&s.stand_in, "% a stand-in for a letter's PDF in the benchmark\n");
	if (hh_auth_hash_password(STAFF_PASSWORD, s.password_hash,
				  sizeof(s.password_hash)) != HH_OK)
		die("cannot hash the caseworkers' password", NULL);
	enum hh_rc rc = hh_store_run_tx(st, 1, setup_tx, &s);
	if (rc != HH_OK)
		die("set-up failed (organisations 901 and 902 imported?)", hh_rc_name(rc));
	for (s.next = 0; s.next < N_CASES; s.next += 10000)
		if ((rc = hh_store_run_tx(st, 1, cases_tx, &s)) != HH_OK)
			die("seeding cases failed", hh_rc_name(rc));
	if ((rc = hh_store_run_tx(st, 0, real_pdf_tx, &s)) != HH_OK)
		die("rendering the PDF failed", hh_rc_name(rc));
	for (s.next = 0; s.next < N_LETTERS; s.next += 10000)
		if ((rc = hh_store_run_tx(st, 1, letters_tx, &s)) != HH_OK)
			die("seeding letters failed", hh_rc_name(rc));
	hh_store_close(st);
	printf("seeded %d cases and %d sent letters over %d citizens (%d each, 3 "
	       "unread), PDFs %zu bytes (stand-in) and %zu bytes (the measured "
	       "citizen's, rendered) in %.1f s\n",
	       N_CASES, N_LETTERS, N_CITIZENS, PER_CITIZEN, s.stand_in.len,
	       s.real_pdf.len, (double)(hh_mono_us() - t0) / 1e6);
	hh_buf_clear(&s.real_pdf);
	hh_buf_clear(&s.stand_in);
	free(s.citizens);
	free(s.cases);
	return 0;
}

/* ---- the peer: the list query alone through sqlite3 ---------------------- */

static int cmd_peer(const char *db, const char *subject, int n)
{
	sqlite3 *h;
	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		die("cannot open", db);
	sqlite3_stmt *who, *count, *list;
	if (sqlite3_prepare_v2(h, "SELECT id FROM citizens WHERE subject = ?1", -1, &who,
			       NULL) != SQLITE_OK)
		die("prepare", sqlite3_errmsg(h));
	sqlite3_bind_text(who, 1, subject, -1, SQLITE_STATIC);
	if (sqlite3_step(who) != SQLITE_ROW)
		die("no such citizen", subject);
	int64_t cid = sqlite3_column_int64(who, 0);
	sqlite3_finalize(who);
	/* what store/sqlite_inbox.c asks (its S_INBOX_COUNT and S_INBOX_LIST) */
	if (sqlite3_prepare_v2(h, "SELECT count(*), count(*) - count(read_at) FROM "
				  "letters WHERE citizen_id = ?1 AND state = 'sent'",
			       -1, &count, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(
		    h,
		    "SELECT l.id, l.organisation_id, l.case_id, l.citizen_id, l.kind, "
		    "l.template, l.state, l.decision, l.title, l.body, l.fields, "
		    "l.reply_allowed, l.reply_by, l.author_id, l.approver_id, "
		    "l.version, l.created_at, l.updated_at, l.approved_at, l.sent_at, "
		    "l.read_at, l.message_id, o.name, u.name, ct.name, length(l.pdf) "
		    "FROM letters l JOIN organisations o ON o.id = l.organisation_id "
		    "LEFT JOIN users u ON u.id = l.author_id LEFT JOIN cases c ON "
		    "c.id = l.case_id LEFT JOIN case_types ct ON ct.id = c.case_type_id "
		    "WHERE l.citizen_id = ?1 AND l.state = 'sent' ORDER BY l.sent_at "
		    "DESC, l.id DESC LIMIT 20 OFFSET 0",
		    -1, &list, NULL) != SQLITE_OK)
		die("prepare", sqlite3_errmsg(h));
	int64_t *lat = hh_xmalloc(sizeof(int64_t) * (size_t)n);
	int rows = 0;
	for (int i = -20; i < n; i++) {
		int64_t t0 = hh_mono_us();
		sqlite3_exec(h, "BEGIN", NULL, NULL, NULL);
		sqlite3_bind_int64(count, 1, cid);
		sqlite3_step(count);
		sqlite3_reset(count);
		sqlite3_bind_int64(list, 1, cid);
		rows = 0;
		while (sqlite3_step(list) == SQLITE_ROW) {
			/* read every column, as the store does */
			for (int k = 0; k < sqlite3_column_count(list); k++)
				(void)sqlite3_column_text(list, k);
			rows++;
		}
		sqlite3_reset(list);
		sqlite3_exec(h, "COMMIT", NULL, NULL, NULL);
		if (i >= 0)
			lat[i] = hh_mono_us() - t0;
	}
	qsort(lat, (size_t)n, sizeof(*lat), cmp_i64);
	printf("%-52s %8.3f %8.3f %8.3f  %d rows\n",
	       "peer: the list query + count alone (sqlite3)", pct_ms(lat, n, 50),
	       pct_ms(lat, n, 99), (double)lat[n - 1] / 1000.0, rows);
	sqlite3_stmt *plan;
	char *sql = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sqlite3_sql(list));
	if (sqlite3_prepare_v2(h, sql, -1, &plan, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(plan, 1, cid);
		printf("    plan:");
		while (sqlite3_step(plan) == SQLITE_ROW)
			printf(" [%s]", sqlite3_column_text(plan, 3));
		printf("\n");
		sqlite3_finalize(plan);
	}
	sqlite3_free(sql);
	free(lat);
	sqlite3_finalize(count);
	sqlite3_finalize(list);
	sqlite3_close(h);
	return 0;
}

/* ---- http ---------------------------------------------------------------- */

static long request(CURL *h, struct body *b, const char *url, const char *post,
		    int64_t *us)
{
	b->len = 0;
	curl_easy_setopt(h, CURLOPT_URL, url);
	if (post)
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, post);
	else
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	int64_t t0 = hh_mono_us();
	CURLcode rc = curl_easy_perform(h);
	if (us)
		*us = hh_mono_us() - t0;
	if (rc != CURLE_OK)
		die(url, curl_easy_strerror(rc));
	long status = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	return status;
}

static int cmd_http(const char *url, const char *subject, int n)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	CURL *h = curl_easy_init();
	struct body b = { 0 };
	curl_easy_setopt(h, CURLOPT_COOKIEFILE, "");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
	struct curl_slist *json = curl_slist_append(NULL, "Content-Type: application/json");
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, json);
	char u[512], body[128];
	snprintf(u, sizeof(u), "%s/api/v1/citizen/session", url);
	snprintf(body, sizeof(body), "{\"subject\": \"%s\"}", subject);
	if (request(h, &b, u, body, NULL) != 201)
		die("citizen sign-in failed (is the server in --demo mode?)", b.p);
	snprintf(u, sizeof(u), "%s/api/v1/me/letters", url);
	if (request(h, &b, u, NULL, NULL) != 200)
		die("GET /api/v1/me/letters failed", b.p);
	json_error_t e;
	json_t *list = json_loads(b.p, 0, &e), *it;
	int64_t ids[PER_CITIZEN], cases[PER_CITIZEN];
	int n_ids = 0;
	size_t k;
	json_array_foreach(json_object_get(list, "items"), k, it)
		if (n_ids < PER_CITIZEN) {
			cases[n_ids] = json_integer_value(json_object_get(it, "case_id"));
			ids[n_ids++] = json_integer_value(json_object_get(it, "id"));
		}
	printf("the citizen has %lld letters, %lld unread\n",
	       (long long)json_integer_value(json_object_get(list, "total")),
	       (long long)json_integer_value(json_object_get(list, "unread")));
	json_decref(list);
	if (!n_ids)
		die("the citizen has no letters", NULL);

	static const struct {
		const char *label, *path; /* path with %lld: over the letters */
	} targets[] = {
		{ "GET /healthz (the server's floor)", "/healthz" },
		{ "GET /mit-overblik/post (the inbox page)", "/mit-overblik/post" },
		{ "GET /mit-overblik/post/{id} (a letter page)", "/mit-overblik/post/%lld" },
		{ "GET /api/v1/me/letters", "/api/v1/me/letters" },
		{ "GET /api/v1/me/letters/{id}", "/api/v1/me/letters/%lld" },
		{ "GET /mit-overblik (with the unread count)", "/mit-overblik" },
	};
	printf("%d sequential requests each after 20 to warm up, one kept-alive "
	       "connection; wall time per request as the client sees it\n", n);
	printf("%-52s %8s %8s %8s  %s\n", "request", "p50 ms", "p99 ms", "max ms",
	       "response");
	int64_t *lat = hh_xmalloc(sizeof(int64_t) * (size_t)n);
	int bad = 0;
	for (size_t t = 0; t < sizeof(targets) / sizeof(*targets); t++) {
		size_t bytes = 0;
		for (int i = -20; i < n; i++) {
			char path[128];
			snprintf(path, sizeof(path), targets[t].path,
				 (long long)ids[(i + 20) % n_ids]);
			snprintf(u, sizeof(u), "%s%s", url, path);
			int64_t us;
			long st = request(h, &b, u, NULL, &us);
			if (st != 200 && bad++ < 3)
				fprintf(stderr, "inbox_bench: %s: %ld\n", u, st);
			bytes = b.len;
			if (i >= 0)
				lat[i] = us;
		}
		qsort(lat, (size_t)n, sizeof(*lat), cmp_i64);
		double p99 = pct_ms(lat, n, 99);
		printf("%-52s %8.2f %8.2f %8.2f  %zu bytes%s\n", targets[t].label,
		       pct_ms(lat, n, 50), p99, (double)lat[n - 1] / 1000.0, bytes,
		       p99 > 20.0 && t ? "  ** p99 over 20 ms" : "");
	}

	/* the staff's side: the case page (with the case's letters) of the
	 * measured citizen's cases, signed in as their caseworker */
	CURL *sh = curl_easy_init();
	curl_easy_setopt(sh, CURLOPT_COOKIEFILE, "");
	curl_easy_setopt(sh, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(sh, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(sh, CURLOPT_TCP_NODELAY, 1L);
	curl_easy_setopt(sh, CURLOPT_HTTPHEADER, json);
	snprintf(u, sizeof(u), "%s/api/v1/session", url);
	if (request(sh, &b, u, "{\"email\": \"cw0@bench.test\", \"password\": \""
			       STAFF_PASSWORD "\"}", NULL) != 201)
		die("the caseworker's sign-in failed", b.p);
	static const struct {
		const char *label, *path; /* path with %lld: over the cases */
	} staff[] = {
		{ "GET /sagsbehandling/sag/{id} (the case page)", "/sagsbehandling/sag/%lld" },
		{ "GET /api/v1/cases/{id}/letters", "/api/v1/cases/%lld/letters" },
	};
	for (size_t t = 0; t < sizeof(staff) / sizeof(*staff); t++) {
		size_t bytes = 0;
		for (int i = -20; i < n; i++) {
			char path[128];
			snprintf(path, sizeof(path), staff[t].path,
				 (long long)cases[(i + 20) % n_ids]);
			snprintf(u, sizeof(u), "%s%s", url, path);
			int64_t us;
			long st = request(sh, &b, u, NULL, &us);
			if (st != 200 && bad++ < 3)
				fprintf(stderr, "inbox_bench: %s: %ld\n", u, st);
			bytes = b.len;
			if (i >= 0)
				lat[i] = us;
		}
		qsort(lat, (size_t)n, sizeof(*lat), cmp_i64);
		double p99 = pct_ms(lat, n, 99);
		printf("%-52s %8.2f %8.2f %8.2f  %zu bytes%s\n", staff[t].label,
		       pct_ms(lat, n, 50), p99, (double)lat[n - 1] / 1000.0, bytes,
		       p99 > 20.0 ? "  ** p99 over 20 ms" : "");
	}
	curl_easy_cleanup(sh);
	free(lat);
	free(b.p);
	curl_slist_free_all(json);
	curl_easy_cleanup(h);
	curl_global_cleanup();
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	hh_log_set_level(HH_LOG_WARN);
	if (argc == 3 && !strcmp(argv[1], "seed"))
		return cmd_seed(argv[2]);
	if (argc == 5 && !strcmp(argv[1], "http"))
		return cmd_http(argv[2], argv[3], atoi(argv[4]));
	if (argc == 5 && !strcmp(argv[1], "peer"))
		return cmd_peer(argv[2], argv[3], atoi(argv[4]));
	fprintf(stderr, "usage: inbox_bench seed DB\n"
			"       inbox_bench http URL SUBJECT N\n"
			"       inbox_bench peer DB SUBJECT N\n");
	return 2;
}
