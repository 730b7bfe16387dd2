/* casepage_bench.c - the caseworker's case page with 100,000 cases
 * (bench/casepage.sh): its latency over HTTP, beside its main SQL query
 * alone through SQLite.
 *
 *   casepage_bench http URL EMAIL PASSWORD N
 *       signs in as the caseworker and times N sequential requests of the
 *       case page (GET /sagsbehandling/sag/{id}) and of the same case over
 *       the API (GET /api/v1/cases/{id}), over the first 200 cases of the
 *       caseworker's queue in turn, on one kept-alive connection, after 20
 *       to warm up. Each request is a full staff read: the case, its type,
 *       its history, files, the citizen's other cases, the names in the
 *       history and whom it may be assigned to, and two audit rows written
 *       (one write transaction). Then the queue's filters of the casework
 *       tools: a stage, a journal number prefix, a citizen's name.
 *   casepage_bench sql DB N
 *       the peer: the page's main query, the case with its names
 *       (S_CASE_GET in src/store/sqlite_cases.c, copied here), prepared
 *       once and run N times over the same 200 ids through SQLite on the
 *       same file; then every read the page makes, still without HTTP,
 *       without writing the audit and without rendering.
 *
 * Benchmarks print figures; nothing here asserts. */
#include <curl/curl.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "bench_http.h"

#define N_IDS 200

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "casepage_bench: %s%s%s\n", what, detail ? ": " : "",
		detail ? detail : "");
	exit(1);
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

static void report(const char *label, int64_t *lat, int n, const char *info)
{
	qsort(lat, (size_t)n, sizeof(*lat), cmp_i64);
	double p99 = pct_ms(lat, n, 99);
	printf("%-54s %8.3f %8.3f %8.3f  %s%s\n", label, pct_ms(lat, n, 50), p99,
	       (double)lat[n - 1] / 1000.0, info,
	       p99 > 20.0 ? "  ** p99 over 20 ms" : "");
}

/* ---- http ------------------------------------------------------------------ */

static long request(CURL *h, struct body *b, const char *url, const char *post,
		    struct curl_slist *hdr, int64_t *us)
{
	b->len = 0;
	curl_easy_setopt(h, CURLOPT_URL, url);
	if (post) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, post);
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	} else {
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	}
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

static int cmd_http(const char *url, const char *email, const char *password,
		    int n)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	CURL *h = curl_easy_init();
	struct body b = { 0 };
	curl_easy_setopt(h, CURLOPT_COOKIEFILE, "");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
	struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
	char u[1024];
	snprintf(u, sizeof(u), "%s/api/v1/session", url);
	json_t *j = json_pack("{s:s, s:s}", "email", email, "password", password);
	char *js = json_dumps(j, JSON_COMPACT);
	long s = request(h, &b, u, js, hdr, NULL);
	free(js);
	json_decref(j);
	if (s != 201)
		die("sign-in failed", b.p);
	snprintf(u, sizeof(u), "%s/api/v1/cases?limit=%d", url, N_IDS);
	if (request(h, &b, u, NULL, NULL, NULL) != 200)
		die("GET /api/v1/cases failed", b.p);
	int64_t ids[N_IDS];
	int n_ids = 0;
	json_t *list = json_loads(b.p, 0, NULL), *it;
	size_t k;
	json_array_foreach(json_object_get(list, "items"), k, it)
		if (n_ids < N_IDS)
			ids[n_ids++] = json_integer_value(json_object_get(it, "id"));
	json_decref(list);
	if (!n_ids)
		die("the queue is empty", NULL);
	/* the case page and the case, then the queue's new filters: a stage,
	 * a journal number prefix, a citizen's name (every citizen's name is
	 * folded and matched), the page with a stage */
	static const char *const fmt[] = {
		"%s/sagsbehandling/sag/%lld", "%s/api/v1/cases/%lld",
		"%s/api/v1/cases?stage=afventer", "%s/api/v1/cases?q=00.01.00-G01-1",
		"%s/api/v1/cases?q=Borger%%2000042", "%s/sagsbehandling?fase=ny",
	};
	static const char *const label[] = {
		"GET /sagsbehandling/sag/{id} (page)", "GET /api/v1/cases/{id} (JSON)",
		"GET /api/v1/cases?stage=afventer",
		"GET /api/v1/cases?q=00.01.00-G01-1 (journal prefix)",
		"GET /api/v1/cases?q=Borger 00042 (name)",
		"GET /sagsbehandling?fase=ny (page)",
	};
	enum { N_TARGETS = sizeof(fmt) / sizeof(fmt[0]) };
	printf("%d sequential requests after 20 to warm up, %d case ids in turn, "
	       "one kept-alive connection\n", n, n_ids);
	printf("%-54s %8s %8s %8s\n", "request", "p50 ms", "p99 ms", "max ms");
	int64_t *lat = hh_xmalloc(sizeof(int64_t) * (size_t)n);
	int bad = 0;
	for (int t = 0; t < N_TARGETS; t++) {
		size_t bytes = 0;
		for (int i = -20; i < n; i++) {
			if (t < 2)
				snprintf(u, sizeof(u), fmt[t], url,
					 (long long)ids[(i + 20) % n_ids]);
			else
				snprintf(u, sizeof(u), fmt[t], url);
			int64_t us;
			long st = request(h, &b, u, NULL, NULL, &us);
			if (st != 200 && bad++ == 0)
				fprintf(stderr, "casepage_bench: %s: %ld\n", u, st);
			if (i >= 0) {
				lat[i] = us;
				bytes += b.len;
			}
		}
		char info[96];
		json_t *r = t >= 2 && t < 5 ? json_loads(b.p, 0, NULL) : NULL;
		if (r)
			snprintf(info, sizeof(info), "%lld found",
				 (long long)json_integer_value(json_object_get(r, "total")));
		else
			snprintf(info, sizeof(info), "%zu bytes on average",
				 bytes / (size_t)n);
		json_decref(r);
		report(label[t], lat, n, info);
	}
	free(lat);
	free(b.p);
	curl_slist_free_all(hdr);
	curl_easy_cleanup(h);
	curl_global_cleanup();
	return bad ? 1 : 0;
}

/* ---- the peer: the SQL alone ---------------------------------------------- */

/* S_CASE_GET of src/store/sqlite_cases.c (CASE_COLS, CASE_FROM). */
static const char case_get_sql[] =
	"SELECT c.id, c.case_type_id, t.code, t.name, c.organisation_id, o.code, "
	"o.name, ifnull(c.citizen_id, 0), z.name, ifnull(c.plan_id, 0), "
	"c.step, ifnull(c.parent_case_id, 0), c.state, "
	"ifnull(c.assigned_to, 0), u.name, c.data, c.version, c.created_at, "
	"c.updated_at, c.deadline_at, ifnull(c.paused_since, 0), "
	"ifnull(c.closed_at, 0), "
	"(SELECT json_extract(s.value, '$.label') FROM "
	" json_each(t.definition, '$.states') s WHERE "
	" json_extract(s.value, '$.key') = c.state), c.public_id, c.seal_key, "
	"c.journal_no, c.assigned_team, (SELECT q.label FROM inquiry_codes q "
	" WHERE q.organisation_id = c.organisation_id AND q.kind = 'team' "
	" AND q.code = c.assigned_team) "
	"FROM cases c JOIN case_types t ON t.id = c.case_type_id "
	"JOIN organisations o ON o.id = c.organisation_id "
	"LEFT JOIN citizens z ON z.id = c.citizen_id "
	"LEFT JOIN users u ON u.id = c.assigned_to "
	"WHERE c.id = ?1";

/* The other reads of a staff case read (domain/caseread.c), in order. */
static const char *const other_sql[] = {
	"SELECT id, code, organisation, name, public, definition FROM case_types "
	"WHERE id = (SELECT case_type_id FROM cases WHERE id = ?1)",
	"SELECT id, at, actor, organisation_id, entity, entity_id, action, before, after "
	"FROM events WHERE entity = 'case' AND entity_id = ?1 ORDER BY id",
	"SELECT id, case_id, field, name, content_type, data, size, created_at "
	"FROM case_files WHERE case_id = ?1 ORDER BY id",
	"SELECT c.id FROM cases c WHERE c.organisation_id = (SELECT organisation_id "
	"FROM cases WHERE id = ?1) AND c.citizen_id = (SELECT citizen_id FROM cases "
	"WHERE id = ?1) AND c.id <> ?1 ORDER BY c.id DESC LIMIT 20",
};

static int64_t run(sqlite3_stmt *st, int64_t id)
{
	sqlite3_bind_int64(st, 1, id);
	int64_t rows = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		rows++;
	if (rc != SQLITE_DONE)
		die("query failed", sqlite3_errmsg(sqlite3_db_handle(st)));
	sqlite3_reset(st);
	return rows;
}

static int cmd_sql(const char *path, int n)
{
	sqlite3 *db;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		die("cannot open", path);
	/* the same 200 ids the HTTP side reads: the caseworker's queue, by
	 * deadline (the caseworker is at 901) */
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db,
			       "SELECT c.id FROM cases c JOIN organisations o ON "
			       "o.id = c.organisation_id WHERE o.code = '901' AND "
			       "c.closed_at IS NULL ORDER BY c.deadline_at, c.id "
			       "LIMIT 200",
			       -1, &q, NULL) != SQLITE_OK)
		die("prepare", sqlite3_errmsg(db));
	int64_t ids[N_IDS];
	int n_ids = 0;
	while (sqlite3_step(q) == SQLITE_ROW && n_ids < N_IDS)
		ids[n_ids++] = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	if (!n_ids)
		die("no cases", path);
	sqlite3_stmt *main_q, *others[4];
	if (sqlite3_prepare_v2(db, case_get_sql, -1, &main_q, NULL) != SQLITE_OK)
		die("prepare", sqlite3_errmsg(db));
	for (int i = 0; i < 4; i++)
		if (sqlite3_prepare_v2(db, other_sql[i], -1, &others[i], NULL) != SQLITE_OK)
			die("prepare", sqlite3_errmsg(db));
	int64_t *lat = hh_xmalloc(sizeof(int64_t) * (size_t)n);
	for (int t = 0; t < 2; t++) {
		for (int i = -20; i < n; i++) {
			int64_t id = ids[(i + 20) % n_ids];
			int64_t t0 = hh_mono_us();
			if (run(main_q, id) != 1)
				die("the case is not there", NULL);
			for (int k = 0; t == 1 && k < 4; k++)
				run(others[k], id);
			if (i >= 0)
				lat[i] = hh_mono_us() - t0;
		}
		report(t == 0 ? "sqlite3: the case with its names (main query)"
			      : "sqlite3: every read of the page (no write, no HTML)",
		       lat, n, "");
	}
	free(lat);
	sqlite3_finalize(main_q);
	for (int i = 0; i < 4; i++)
		sqlite3_finalize(others[i]);
	sqlite3_close(db);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 6 && !strcmp(argv[1], "http"))
		return cmd_http(argv[2], argv[3], argv[4], atoi(argv[5]));
	if (argc == 4 && !strcmp(argv[1], "sql"))
		return cmd_sql(argv[2], atoi(argv[3]));
	fprintf(stderr, "usage: casepage_bench http URL EMAIL PASSWORD N\n"
			"       casepage_bench sql DB N\n");
	return 2;
}
