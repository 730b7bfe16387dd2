/* pg_bench.c - the load generator of bench/pg.sh (make bench-pg, issue
 * 14 "Measured"): durable form submissions over HTTP to one or more
 * helhed instances, the same rows inserted by bare libpq, and search
 * latency over HTTP.
 *
 *   pg_bench submit SECONDS CLIENTS CASE_TYPE VALUES SUBJECT URL [URL...]
 *       CLIENTS threads, client i posting to URL i % n: each signs in as
 *       the demo citizen SUBJECT (the server runs with --demo) and posts
 *       POST /api/v1/cases {case_type, values} with a fresh
 *       Idempotency-Key, one after the other, for SECONDS; prints the
 *       rate of 201s and the latency.
 *   pg_bench bare SECONDS CLIENTS PGURL
 *       CLIENTS libpq connections inserting the row of the newest case
 *       and its event, as the store does (prepared INSERT ... RETURNING
 *       id, INSERT event), one transaction per submission, for SECONDS.
 *   pg_bench search N URL
 *       N sequential GET /api/v1/search?q=... over a few citizens'
 *       queries, after 20 to warm up; p50/p99/max.
 *
 * Wall time per request as the client sees it, with keep-alive. */
#include <curl/curl.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/util.h"

static void die(const char *what, const char *why)
{
	fprintf(stderr, "pg_bench: %s: %s\n", what, why ? why : "");
	exit(1);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static double pct_ms(const int64_t *v, int n, int p)
{
	if (n == 0)
		return 0;
	int i = (int)((int64_t)n * p / 100);
	if (i >= n)
		i = n - 1;
	return (double)v[i] / 1000.0;
}

/* Latencies in µs, as a thread collects them. */
struct lats {
	int64_t *v;
	int n, cap;
};

static void lats_add(struct lats *l, int64_t us)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 1024;
		l->v = hh_xrealloc(l->v, (size_t)l->cap * sizeof(int64_t));
	}
	l->v[l->n++] = us;
}

/* Moves part's latencies into all (part is left empty), so that the
 * threads' figures are sorted together. */
static void lats_take(struct lats *all, struct lats *part)
{
	for (int i = 0; i < part->n; i++)
		lats_add(all, part->v[i]);
	free(part->v);
	*part = (struct lats){ 0 };
}

static void lats_sort(struct lats *l)
{
	if (l->n)
		qsort(l->v, (size_t)l->n, sizeof(*l->v), cmp_i64);
}

/* ---- HTTP clients ------------------------------------------------------ */

/* curl's write callback: the answer's body, NUL-terminated, in a buffer */
static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	hh_buf_append(ud, p, size * n);
	return size * n;
}

static CURL *client_new(struct hh_buf *b)
{
	CURL *h = curl_easy_init();
	curl_easy_setopt(h, CURLOPT_COOKIEFILE, ""); /* cookie engine on */
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, b);
	curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
	return h;
}

static long request(CURL *h, struct hh_buf *b, const char *url, const char *post,
		    struct curl_slist *hdrs, int64_t *us)
{
	hh_buf_reset(b);
	curl_easy_setopt(h, CURLOPT_URL, url);
	if (post) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, post);
	} else {
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
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

/* ---- submit ------------------------------------------------------------ */

struct submitter {
	const char *url, *case_type, *values, *subject;
	int64_t until_us;
	int index;
	struct lats lat;
	int bad;
};

static void *submit_thread(void *p)
{
	struct submitter *s = p;
	struct hh_buf b;
	hh_buf_init(&b);
	CURL *h = client_new(&b);
	char u[1024], body[2048], key[96];
	struct curl_slist *json = curl_slist_append(NULL,
		"Content-Type: application/json");
	snprintf(u, sizeof(u), "%s/api/v1/citizen/session", s->url);
	snprintf(body, sizeof(body), "{\"subject\": \"%s\"}", s->subject);
	if (request(h, &b, u, body, json, NULL) != 201)
		die("citizen sign-in failed (is the server in --demo mode?)",
		    hh_buf_str(&b));
	/* the session's CSRF token goes with every write */
	char csrf[200] = "X-CSRF-Token: ";
	const char *tok = strstr(hh_buf_str(&b), "\"csrf_token\"");
	tok = tok ? strchr(tok + 12, '"') : NULL;
	if (!tok)
		die("no csrf_token in the sign-in answer", hh_buf_str(&b));
	size_t tl = strcspn(tok + 1, "\"");
	if (tl > 150)
		die("csrf_token too long", hh_buf_str(&b));
	strncat(csrf, tok + 1, tl);
	snprintf(u, sizeof(u), "%s/api/v1/cases", s->url);
	snprintf(body, sizeof(body), "{\"case_type\": \"%s\", \"values\": %s}",
		 s->case_type, s->values);
	for (int i = 0; hh_mono_us() < s->until_us; i++) {
		snprintf(key, sizeof(key), "Idempotency-Key: pgb-%d-%d-%d-%lld",
			 (int)getpid(), s->index, i, (long long)hh_mono_us());
		struct curl_slist *hd = curl_slist_append(NULL,
			"Content-Type: application/json");
		hd = curl_slist_append(hd, key);
		hd = curl_slist_append(hd, csrf);
		int64_t us;
		long st = request(h, &b, u, body, hd, &us);
		curl_slist_free_all(hd);
		if (st != 201) {
			if (s->bad++ == 0)
				fprintf(stderr, "pg_bench: %s: %ld %.300s\n", u, st,
					hh_buf_str(&b));
			continue;
		}
		lats_add(&s->lat, us);
	}
	curl_slist_free_all(json);
	curl_easy_cleanup(h);
	hh_buf_clear(&b);
	return NULL;
}

static int cmd_submit(int seconds, int clients, const char *case_type,
		      const char *values, const char *subject, char **urls,
		      int n_urls)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	struct submitter *s = hh_xcalloc((size_t)clients, sizeof(*s));
	pthread_t *t = hh_xcalloc((size_t)clients, sizeof(*t));
	int64_t t0 = hh_mono_us(), until = t0 + (int64_t)seconds * 1000000;
	for (int i = 0; i < clients; i++) {
		s[i] = (struct submitter){ .url = urls[i % n_urls],
					   .case_type = case_type,
					   .values = values, .subject = subject,
					   .until_us = until, .index = i };
		pthread_create(&t[i], NULL, submit_thread, &s[i]);
	}
	struct lats all = { 0 };
	int bad = 0;
	for (int i = 0; i < clients; i++) {
		pthread_join(t[i], NULL);
		lats_take(&all, &s[i].lat);
		bad += s[i].bad;
	}
	double wall = (double)(hh_mono_us() - t0) / 1e6;
	lats_sort(&all);
	int n = all.n;
	printf("%.0f/s  %d in %.1f s, %d clients on %d instance%s; p50 %.1f ms, "
	       "p99 %.1f ms%s\n",
	       n / wall, n, wall, clients, n_urls, n_urls > 1 ? "s" : "",
	       pct_ms(all.v, n, 50), pct_ms(all.v, n, 99),
	       bad ? "  ** not 201:" : "");
	if (bad)
		printf("    %d submissions were refused (not 201; see stderr)\n", bad);
	free(all.v);
	free(s);
	free(t);
	curl_global_cleanup();
	return bad ? 1 : 0;
}

/* ---- bare libpq ---------------------------------------------------------- */

struct bare {
	const char *url;
	int64_t until_us;
	struct lats lat;
};

static PGresult *exec_ok(PGconn *c, PGresult *r, const char *what)
{
	ExecStatusType st = PQresultStatus(r);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		die(what, PQresultErrorMessage(r));
	(void)c;
	return r;
}

static void *bare_thread(void *p)
{
	struct bare *b = p;
	PGconn *c = PQconnectdb(b->url);
	if (PQstatus(c) != CONNECTION_OK)
		die("connect", PQerrorMessage(c));
	PQclear(exec_ok(c, PQexec(c, "SET synchronous_commit = on"), "set"));
	/* the newest case, as helhed stored it */
	PGresult *row = exec_ok(c, PQexec(c,
		"SELECT case_type_id, organisation_id, citizen_id, data, "
		"deadline_at - created_at FROM cases ORDER BY id DESC LIMIT 1"),
		"newest case");
	if (PQntuples(row) != 1)
		die("bare", "no case to copy: run submit first");
	PQclear(exec_ok(c, PQprepare(c, "ins_case",
		"INSERT INTO cases(case_type_id, organisation_id, citizen_id, "
		"state, data, version, created_at, updated_at, deadline_at) "
		"VALUES ($1, $2, $3, 'received', $4, 1, $5, $5, "
		"$5::bigint + $6::bigint) "
		"RETURNING id", 0, NULL), "prepare"));
	PQclear(exec_ok(c, PQprepare(c, "ins_event",
		"INSERT INTO events(at, actor, organisation_id, entity, "
		"entity_id, action, before, after) VALUES ($1, 'citizen:1', $2, "
		"'case', $3, 'submit', NULL, $4)", 0, NULL), "prepare"));
	char now[32], at[32], after[200];
	for (;;) {
		int64_t t0 = hh_mono_us();
		if (t0 >= b->until_us)
			break;
		snprintf(now, sizeof(now), "%lld", (long long)(hh_now_us() / 1000000));
		const char *cv[6] = { PQgetvalue(row, 0, 0), PQgetvalue(row, 0, 1),
				      PQgetisnull(row, 0, 2) ? NULL : PQgetvalue(row, 0, 2),
				      PQgetvalue(row, 0, 3), now, PQgetvalue(row, 0, 4) };
		PQclear(exec_ok(c, PQexec(c, "BEGIN"), "BEGIN"));
		PGresult *r = exec_ok(c, PQexecPrepared(c, "ins_case", 6, cv, NULL,
							NULL, 0), "insert case");
		snprintf(at, sizeof(at), "%lld", (long long)hh_now_us());
		snprintf(after, sizeof(after),
			 "{\"case_type\":\"bench\",\"state\":\"received\","
			 "\"version\":1}");
		const char *ev[4] = { at, PQgetvalue(row, 0, 1), PQgetvalue(r, 0, 0),
				      after };
		PQclear(exec_ok(c, PQexecPrepared(c, "ins_event", 4, ev, NULL, NULL,
						  0), "insert event"));
		PQclear(r);
		PQclear(exec_ok(c, PQexec(c, "COMMIT"), "COMMIT"));
		lats_add(&b->lat, hh_mono_us() - t0);
	}
	PQclear(row);
	PQfinish(c);
	return NULL;
}

static int cmd_bare(int seconds, int clients, const char *url)
{
	struct bare *b = hh_xcalloc((size_t)clients, sizeof(*b));
	pthread_t *t = hh_xcalloc((size_t)clients, sizeof(*t));
	int64_t t0 = hh_mono_us(), until = t0 + (int64_t)seconds * 1000000;
	for (int i = 0; i < clients; i++) {
		b[i] = (struct bare){ .url = url, .until_us = until };
		pthread_create(&t[i], NULL, bare_thread, &b[i]);
	}
	struct lats all = { 0 };
	for (int i = 0; i < clients; i++) {
		pthread_join(t[i], NULL);
		lats_take(&all, &b[i].lat);
	}
	double wall = (double)(hh_mono_us() - t0) / 1e6;
	lats_sort(&all);
	int n = all.n;
	printf("%.0f/s  %d in %.1f s, %d connections; p50 %.1f ms, p99 %.1f ms\n",
	       n / wall, n, wall, clients, pct_ms(all.v, n, 50),
	       pct_ms(all.v, n, 99));
	free(all.v);
	free(b);
	free(t);
	return 0;
}

/* ---- search -------------------------------------------------------------- */

static int cmd_search(int n, const char *url)
{
	static const char *const q[] = {
		"pas", "flytning", "boligstoette", "sygedagpenge", "storskrald",
		"folkepension", "skilsmisse", "parkering", "kørekort",
		"børnetilskud", "begravelse", "affald", "sundhedskort",
		"boligstøtte+ansøgning", "navneændring", "dagpleje",
	};
	size_t n_q = sizeof(q) / sizeof(q[0]);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	struct hh_buf b;
	hh_buf_init(&b);
	CURL *h = client_new(&b);
	int64_t *lat = hh_xmalloc(sizeof(int64_t) * (size_t)n);
	int bad = 0;
	char u[1024];
	for (int i = -20; i < n; i++) {
		char *esc = curl_easy_escape(h, q[(size_t)(i + 20) % n_q], 0);
		snprintf(u, sizeof(u), "%s/api/v1/search?q=%s", url, esc);
		curl_free(esc);
		int64_t us;
		if (request(h, &b, u, NULL, NULL, &us) != 200 && bad++ == 0)
			fprintf(stderr, "pg_bench: %s: %.300s\n", u, hh_buf_str(&b));
		if (i >= 0)
			lat[i] = us;
	}
	qsort(lat, (size_t)n, sizeof(*lat), cmp_i64);
	printf("p50 %.2f ms  p99 %.2f ms  max %.2f ms  (%d requests)%s\n",
	       pct_ms(lat, n, 50), pct_ms(lat, n, 99), (double)lat[n - 1] / 1000.0,
	       n, bad ? "  ** some were not 200" : "");
	free(lat);
	curl_easy_cleanup(h);
	hh_buf_clear(&b);
	curl_global_cleanup();
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc >= 8 && !strcmp(argv[1], "submit"))
		return cmd_submit(atoi(argv[2]), atoi(argv[3]), argv[4], argv[5],
				  argv[6], argv + 7, argc - 7);
	if (argc == 5 && !strcmp(argv[1], "bare"))
		return cmd_bare(atoi(argv[2]), atoi(argv[3]), argv[4]);
	if (argc == 4 && !strcmp(argv[1], "search"))
		return cmd_search(atoi(argv[2]), argv[3]);
	fprintf(stderr,
		"usage: pg_bench submit SECONDS CLIENTS CASE_TYPE VALUES SUBJECT URL...\n"
		"       pg_bench bare SECONDS CLIENTS PGURL\n"
		"       pg_bench search N URL\n");
	return 2;
}
