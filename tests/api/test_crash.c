/* test_crash.c - acknowledged writes survive kill -9: citizens submit
 * cases to a real `helhed serve` from several threads, the server is killed
 * with SIGKILL in the middle, started again on the same database, and every
 * submission that was answered 201 must be there, once (its Idempotency-
 * Key replays the same case). Three rounds. */
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>

#include "testutil.h"

#include "api/real_server.h"

struct citizen {
	char cookie[160], csrf[64];
};

static void sign_in(int port, struct citizen *z)
{
	char url[128], setc[256];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/api/v1/citizen/session", port);
	const char *h[] = { "Content-Type: application/json", NULL };
	struct tu_resp r = tu_http("POST", url, "{\"subject\":\"demo:demo-mette\"}", h,
				   NULL);
	assert_int_equal(r.status, 201);
	assert_true(tu_header(&r, "Set-Cookie", setc, sizeof(setc)));
	snprintf(z->cookie, sizeof(z->cookie), "%.*s", (int)strcspn(setc, ";"), setc);
	snprintf(z->csrf, sizeof(z->csrf), "%s",
		 json_string_value(json_object_get(r.json, "csrf_token")));
	tu_resp_free(&r);
}

#define BODY                                                                   \
	"{\"case_type\":\"fejl-paa-vej\",\"values\":{\"kategori\":\"hul\","  \
	"\"sted\":\"Skovvej 12, 4700 Nordskov\",\"beskrivelse\":"            \
	"\"Et dybt hul i vejen ud for nummer %d-%d\"}}"

enum { THREADS = 4, MAX_ACKS = 100000 };

struct ack {
	char key[64];
	int round, thread, i;
	int64_t id;
};

static struct ack acks[MAX_ACKS];
static int n_acks;
static pthread_mutex_t acks_lock = PTHREAD_MUTEX_INITIALIZER;

struct submitter {
	int port, round, thread;
	const struct citizen *z;
};

/* Submits a case with an Idempotency-Key, without assertions (the threads
 * race the kill): the status, 0 when the server is gone, and the case's
 * id in *id. */
static long submit(int port, const struct citizen *z, const char *key,
			  int a, int b, int64_t *id)
{
	char url[128], body[512], idem[96], csrf[96];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/api/v1/cases", port);
	snprintf(body, sizeof(body), BODY, a, b);
	snprintf(idem, sizeof(idem), "Idempotency-Key: %.60s", key);
	snprintf(csrf, sizeof(csrf), "X-CSRF-Token: %.60s", z->csrf);
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	h = curl_slist_append(h, idem);
	h = curl_slist_append(h, csrf);
	struct hh_buf out;
	hh_buf_init(&out);
	CURL *c = curl_easy_init();
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_COOKIE, z->cookie);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, tu_collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &out);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	long status = 0;
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	json_t *j = json_loads(hh_buf_str(&out), 0, NULL);
	*id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	hh_buf_clear(&out);
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
	return status;
}

static void *submitting(void *p)
{
	struct submitter *s = p;
	for (int i = 0;; i++) {
		char key[64];
		snprintf(key, sizeof(key), "crash-%d-%d-%d", s->round, s->thread, i);
		int64_t id = 0;
		long status = submit(s->port, s->z, key,
				     s->round * 100 + s->thread, i, &id);
		if (status == 0)
			return NULL; /* the server is gone */
		if (status != 201)
			continue; /* not acknowledged: no promise made */
		pthread_mutex_lock(&acks_lock);
		if (n_acks < MAX_ACKS) {
			struct ack *k = &acks[n_acks++];
			snprintf(k->key, sizeof(k->key), "%s", key);
			k->round = s->round;
			k->thread = s->thread;
			k->i = i;
			k->id = id;
		}
		pthread_mutex_unlock(&acks_lock);
	}
}

static void acknowledged_submissions_survive_kill_9(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	char db[4200];
	snprintf(db, sizeof(db), "%s/helhed.db", dir);
	struct rs_server s;
	int lost = 0, rounds = 3;
	for (int round = 1; round <= rounds; round++) {
		rs_start(&s, dir, db);
		struct citizen z;
		sign_in(s.port, &z);
		struct submitter sub[THREADS];
		pthread_t t[THREADS];
		for (int i = 0; i < THREADS; i++) {
			sub[i] = (struct submitter){ s.port, round, i, &z };
			pthread_create(&t[i], NULL, submitting, &sub[i]);
		}
		usleep(1500 * 1000);
		rs_kill9(&s);
		for (int i = 0; i < THREADS; i++)
			pthread_join(t[i], NULL);

		/* after the restart, every acknowledged case is there, and its
		 * key names the same case, not a new one */
		rs_start(&s, dir, db);
		sign_in(s.port, &z);
		for (int k = 0; k < n_acks; k++) {
			char url[128];
			snprintf(url, sizeof(url), "http://127.0.0.1:%d/api/v1/cases/%lld",
				 s.port, (long long)acks[k].id);
			struct tu_resp r = tu_http("GET", url, NULL, NULL, z.cookie);
			int here = r.status == 200;
			tu_resp_free(&r);
			if (here && acks[k].round == round) {
				int64_t id = 0;
				long st = submit(s.port, &z, acks[k].key,
						 acks[k].round * 100 + acks[k].thread,
						 acks[k].i, &id);
				here = (st == 200 || st == 201) && id == acks[k].id;
			}
			if (!here) {
				fprintf(stderr, "lost: %s (case %lld)\n", acks[k].key,
					(long long)acks[k].id);
				lost++;
			}
		}
		rs_stop(&s);
	}
	printf("# kill -9: %d rounds, %d acknowledged submissions, %d lost\n",
	       rounds, n_acks, lost);
	assert_true(n_acks >= rounds);
	assert_int_equal(lost, 0);
	tu_rmdir(dir);
}

int main(int argc, char **argv)
{
	(void)argc;
	if (!rs_find_bin(argv[0], "test_crash"))
		return 1;
	signal(SIGPIPE, SIG_IGN);
	curl_global_init(CURL_GLOBAL_ALL);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(acknowledged_submissions_survive_kill_9),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
