/* test_malformed.c - every route of the route table, through both doors,
 * as an anonymous caller, a signed-in editor and a signed-in citizen (with
 * their CSRF tokens, so that requests get past the check and reach the
 * parsers), with malformed path parameters, bodies, media types and
 * headers. Nothing may crash the server, answer 5xx, or drop a
 * connection without an answer. */
#include "testutil.h"

#include "app/app.h"
#include "domain/citizens.h"

struct caller {
	const char *name;
	char cookie[160], csrf[64];
};

static const char *params[] = {
	"1", "0", "-1", "99999999999999999999", "abc", "%C3%28", "%00",
	"..%2F..%2Fetc%2Fpasswd", "%E2%80%AE%22%3E%3Cscript%3E", "skift-af-laege",
	"fejl-paa-vej", "json", "xml", "1e308", "%FF%FE", NULL /* long */,
};

static const char *headers[][3] = {
	{ NULL, NULL, NULL },
	{ "If-Match: W/\"abc", "Idempotency-Key: \xff\xfe", NULL },
	{ "Accept: */*;q=\xff", "If-None-Match: \"", NULL },
	{ "Authorization: Bearer \xc3\x28\xc3\x28", "X-Forwarded-For: \xff, ::1", NULL },
	{ "Cookie: hh_session=\xff\xfe; hh_borger=" , "Accept-Language: da;q=2", NULL },
};

static const char *ctypes[] = {
	"Content-Type: application/json",
	"Content-Type: application/x-www-form-urlencoded",
	"Content-Type: multipart/form-data; boundary=xyz",
	"Content-Type: text/plain; charset=\xff",
};

/* Bodies; a NULL entry stands for a generated one (deep nesting, a long
 * string). */
static const char *bodies[] = {
	"",
	"{",
	"[]",
	"null",
	"{\"a\":",
	"{\"title\":123,\"slug\":null,\"values\":[1,2],\"case_type\":{}}",
	"{\"email\":\"\xff\xfe@x\",\"password\":\"\xc3\x28\"}",
	"{\"n\":1e999999,\"m\":-0.0e-99999,\"k\":99999999999999999999999}",
	"{\"unknown\":true,\"csrf\":\"x\",\"version\":\"2\"}",
	"{\"case_type\":\"fejl-paa-vej\",\"values\":{\"kategori\":\"\\u0000\","
	"\"sted\":\"\\ud800\",\"beskrivelse\":\"x\",\"cpr\":\"999999-9999\"}}",
	"a=%ZZ&&=&csrf=&email=%C3%28&password=%00&values=1&version=-1",
	"--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\xff\r\n--xyz",
	"--xyz\r\nContent-Disposition: form-data; name=\"foto\"; filename=\"../../x\"\r\n"
	"Content-Type: image/png\r\n\r\nnot a png\r\n--xyz--\r\n",
	NULL,
	NULL,
};

struct tally {
	long requests, fives, dropped;
};

/* One request without assertions: status, or 0 when the connection ended
 * without an answer. */
static long send_one(const char *method, const char *url, const char *body,
		     const char *const *hdrs, const char *cookie)
{
	CURL *c = curl_easy_init();
	struct hh_buf b;
	hh_buf_init(&b);
	struct curl_slist *l = NULL;
	for (int i = 0; hdrs && hdrs[i]; i++)
		l = curl_slist_append(l, hdrs[i]);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (!strcmp(method, "HEAD"))
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	if (body)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, l);
	if (cookie)
		curl_easy_setopt(c, CURLOPT_COOKIE, cookie);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, tu_collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	long status = 0;
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (status >= 500)
		fprintf(stderr, "%s %s -> %ld: %.300s\n", method, url, status,
			hh_buf_str(&b));
	hh_buf_clear(&b);
	curl_slist_free_all(l);
	curl_easy_cleanup(c);
	return status;
}

static void count(struct tally *t, long status, const char *method, const char *url)
{
	t->requests++;
	if (status >= 500)
		t->fives++;
	if (status == 0) {
		fprintf(stderr, "no answer: %s %s\n", method, url);
		t->dropped++;
	}
}

/* The route's pattern with each {name} (and a trailing *) replaced by p. */
static void fill(char *out, size_t size, const char *pattern, const char *p)
{
	size_t n = 0;
	for (const char *s = pattern; *s && n + 1 < size; s++) {
		if (*s == '{' || *s == '*') {
			const char *end = *s == '{' ? strchr(s, '}') : s;
			n += (size_t)snprintf(out + n, size - n, "%s", p);
			s = end;
			continue;
		}
		out[n++] = *s;
	}
	out[n < size ? n : size - 1] = 0;
}

static const char *method_names[] = { "GET", "HEAD", "POST", "PUT",
				      "DELETE", "PATCH", "OPTIONS" };

static void every_route_survives_malformed_input(void **state)
{
	(void)state;
	struct tu_server s;
	tu_server_start(&s, 1);
	struct caller who[3] = { { .name = "anonymous" }, { .name = "editor" },
				 { .name = "citizen" } };
	tu_login(&s, "editor@901", who[1].cookie, sizeof(who[1].cookie), who[1].csrf,
		 sizeof(who[1].csrf));
	{
		/* a citizen, through the demo sign-in */
		s.app.demo = 1;
		struct hh_arena a;
		hh_arena_init(&a);
		struct hh_citizen_login login;
		assert_int_equal(hh_citizen_login(s.store, &a, "demo:malformed",
						  "Malene Malform", "070761-4285",
						  "901", &login),
				 HH_OK);
		snprintf(who[2].cookie, sizeof(who[2].cookie), "hh_borger=%s",
			 login.token);
		snprintf(who[2].csrf, sizeof(who[2].csrf), "%s", login.csrf);
		hh_arena_clear(&a);
	}
	char *long_param = malloc(3001);
	memset(long_param, 'a', 3000);
	long_param[3000] = 0;
	char *deep = malloc(20001);
	for (int i = 0; i < 10000; i++) {
		deep[i] = '[';
		deep[19999 - i] = ']';
	}
	deep[20000] = 0;
	char *longstr = malloc(60001);
	memset(longstr, 'x', 60000);
	memcpy(longstr, "{\"title\":\"", 10);
	memcpy(longstr + 59998, "\"}", 2);
	longstr[60000] = 0;

	struct tally t = { 0 };
	char path[4096], url[4400], csrf_h[96];
	size_t n_params = sizeof(params) / sizeof(params[0]);
	size_t n_bodies = sizeof(bodies) / sizeof(bodies[0]);
	for (const struct hh_route *rt = hh_routes; rt->pattern; rt++) {
		int has_param = strchr(rt->pattern, '{') || strchr(rt->pattern, '*');
		for (int m = 0; m < 7; m++) {
			if (!(rt->methods & (1u << m)))
				continue;
			const char *method = method_names[m];
			int unsafe = m >= 2 && m != 6;
			for (int w = 0; w < 3; w++) {
				snprintf(csrf_h, sizeof(csrf_h), "X-CSRF-Token: %s",
					 who[w].csrf);
				const char *cookie = w ? who[w].cookie : NULL;
				/* odd parameters and headers */
				for (size_t p = 0; p < (has_param ? n_params : 1); p++) {
					fill(path, sizeof(path), rt->pattern,
					     params[p] ? params[p] : long_param);
					snprintf(url, sizeof(url), "%s%s?q=%%FF&limit=-5&side=x&"
						 "kommune=%%00&forloeb=abc&trin=9999999999",
						 s.base, path);
					const char *const *h = headers[p % 5];
					const char *hv[4] = { h[0], h[1], w ? csrf_h : NULL, NULL };
					count(&t, send_one(method, url, unsafe ? "{}" : NULL,
							   hv, cookie),
					      method, url);
				}
				if (!unsafe)
					continue;
				/* odd bodies, as every media type */
				fill(path, sizeof(path), rt->pattern, "1");
				snprintf(url, sizeof(url), "%s%s", s.base, path);
				for (size_t b = 0; b < n_bodies; b++) {
					const char *body = bodies[b] ? bodies[b]
							   : b == n_bodies - 2 ? deep
									       : longstr;
					for (size_t c = 0; c < 4; c++) {
						if (!bodies[b] && c)
							break;
						const char *hv[3] = { ctypes[c], w ? csrf_h : NULL,
								      NULL };
						count(&t, send_one(method, url, body, hv, cookie),
						      method, url);
					}
				}
			}
		}
	}
	printf("# %ld malformed requests to every route: %ld answered 5xx, %ld "
	       "without an answer\n",
	       t.requests, t.fives, t.dropped);
	assert_int_equal(t.fives, 0);
	assert_int_equal(t.dropped, 0);
	assert_true(t.requests > 5000);
	/* and the server is well */
	struct tu_resp r = tu_call(s.base, NULL, NULL, "GET", "/readyz", NULL, NULL);
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	free(long_param);
	free(deep);
	free(longstr);
	tu_server_stop(&s);
}

int main(void)
{
	hh_auth_init();
	curl_global_init(CURL_GLOBAL_ALL);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_route_survives_malformed_input),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
