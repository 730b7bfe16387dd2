/* test_chat_crash.c - acknowledged chat messages survive kill -9: a
 * citizen (anonymous, by chat token) and an agent send messages to one
 * chat of a real `helhed serve` from two threads, the server is killed
 * with SIGKILL in the middle, started again on the same database, and
 * every message that was answered 201 must be there with its seq and
 * text, the numbering without gaps. Two rounds on the same chat. */
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>

#include "testutil.h"

#include "api/real_server.h"

enum { MAX_ACKS = 100000 };

struct ack {
	int64_t seq;
	char body[48];
};

static struct ack acks[MAX_ACKS];
static int n_acks;
static pthread_mutex_t acks_lock = PTHREAD_MUTEX_INITIALIZER;

struct sender {
	int port, round;
	const char *who; /* "c" citizen, "a" agent */
	const char *const *hdrs; /* the side's credentials */
	const char *cookie;
	int64_t chat;
};

/* Sends one message without assertions (the threads race the kill): the
 * status, 0 when the server is gone; its seq in *seq. */
static long post(const struct sender *s, const char *text, int64_t *seq)
{
	char url[128], body[128];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/api/v1/chats/%lld/messages",
		 s->port, (long long)s->chat);
	snprintf(body, sizeof(body), "{\"body\":\"%s\"}", text);
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	for (int i = 0; s->hdrs[i]; i++)
		h = curl_slist_append(h, s->hdrs[i]);
	struct hh_buf out;
	hh_buf_init(&out);
	CURL *c = curl_easy_init();
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	if (s->cookie)
		curl_easy_setopt(c, CURLOPT_COOKIE, s->cookie);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, tu_collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &out);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	long status = 0;
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	json_t *j = json_loads(hh_buf_str(&out), 0, NULL);
	*seq = json_integer_value(json_object_get(j, "seq"));
	json_decref(j);
	hh_buf_clear(&out);
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
	return status;
}

static void *sending(void *p)
{
	struct sender *s = p;
	for (int i = 0;; i++) {
		char text[48];
		snprintf(text, sizeof(text), "%s-%d-%d", s->who, s->round, i);
		int64_t seq = 0;
		long status = post(s, text, &seq);
		if (status == 0)
			return NULL; /* the server is gone */
		if (status != 201)
			continue; /* not acknowledged: no promise made */
		pthread_mutex_lock(&acks_lock);
		if (n_acks < MAX_ACKS) {
			acks[n_acks].seq = seq;
			snprintf(acks[n_acks].body, sizeof(acks[n_acks].body), "%s", text);
			n_acks++;
		}
		pthread_mutex_unlock(&acks_lock);
	}
}

/* Every message of the chat, by seq (bodies new, in out[seq]); returns
 * the highest seq. */
static int64_t read_all(int port, int64_t chat, const char *token_hdr,
			char **out, int64_t max)
{
	int64_t after = 0;
	for (;;) {
		char url[160];
		snprintf(url, sizeof(url),
			 "http://127.0.0.1:%d/api/v1/chats/%lld/messages?after=%lld", port,
			 (long long)chat, (long long)after);
		const char *h[] = { token_hdr, NULL };
		struct tu_resp r = tu_http("GET", url, NULL, h, NULL);
		assert_int_equal(r.status, 200);
		json_t *m = json_object_get(r.json, "messages");
		size_t n = json_array_size(m);
		for (size_t i = 0; i < n; i++) {
			json_t *x = json_array_get(m, i);
			int64_t seq = json_integer_value(json_object_get(x, "seq"));
			/* numbered without gaps */
			assert_int_equal(seq, after + 1);
			after = seq;
			if (seq < max)
				out[seq] = hh_xstrdup(json_string_value(
					json_object_get(x, "body")));
		}
		tu_resp_free(&r);
		if (!n)
			return after;
	}
}

static void acknowledged_messages_survive_kill_9(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	char db[4200];
	snprintf(db, sizeof(db), "%s/helhed.db", dir);
	struct rs_server s;
	rs_start(&s, dir, db);
	/* the citizen opens a chat; the demo agent of 901 takes it */
	char url[160], token_hdr[128], cookie[200], csrf_hdr[120], setc[400];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/api/v1/chats", s.port);
	const char *json_h[] = { "Content-Type: application/json", NULL };
	struct tu_resp r = tu_http("POST", url, "{\"organisation\":\"901\"}", json_h,
				   NULL);
	assert_int_equal(r.status, 201);
	int64_t chat = json_integer_value(json_object_get(r.json, "id"));
	snprintf(token_hdr, sizeof(token_hdr), "X-Chat-Token: %s",
		 json_string_value(json_object_get(r.json, "token")));
	tu_resp_free(&r);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/api/v1/session", s.port);
	r = tu_http("POST", url, "{\"email\":\"borgerservice@nordskov.demo\","
				 "\"password\":\"demo-borgerservice\"}", json_h, NULL);
	assert_int_equal(r.status, 201);
	assert_true(tu_header(&r, "Set-Cookie", setc, sizeof(setc)));
	snprintf(cookie, sizeof(cookie), "%.*s", (int)strcspn(setc, ";"), setc);
	snprintf(csrf_hdr, sizeof(csrf_hdr), "X-CSRF-Token: %s",
		 json_string_value(json_object_get(r.json, "csrf_token")));
	tu_resp_free(&r);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/api/v1/chats/%lld/take",
		 s.port, (long long)chat);
	const char *agent_h[] = { csrf_hdr, NULL };
	r = tu_http("POST", url, NULL, agent_h, cookie);
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);

	const char *citizen_h[] = { token_hdr, NULL };
	int lost = 0, rounds = 2;
	enum { MAX_SEQ = 200000 };
	char **bodies = hh_xcalloc(MAX_SEQ, sizeof(*bodies));
	for (int round = 1; round <= rounds; round++) {
		if (round > 1)
			rs_start(&s, dir, db);
		struct sender snd[2] = {
			{ s.port, round, "c", citizen_h, NULL, chat },
			{ s.port, round, "a", agent_h, cookie, chat },
		};
		pthread_t t[2];
		for (int i = 0; i < 2; i++)
			pthread_create(&t[i], NULL, sending, &snd[i]);
		usleep(1500 * 1000);
		rs_kill9(&s);
		for (int i = 0; i < 2; i++)
			pthread_join(t[i], NULL);

		/* after the restart every acknowledged message is there, at
		 * the seq it was acknowledged with */
		rs_start(&s, dir, db);
		for (int64_t i = 0; i < MAX_SEQ; i++) {
			free(bodies[i]);
			bodies[i] = NULL;
		}
		int64_t last = read_all(s.port, chat, token_hdr, bodies, MAX_SEQ);
		for (int k = 0; k < n_acks; k++) {
			int64_t q = acks[k].seq;
			if (q < 1 || q > last || q >= MAX_SEQ || !bodies[q] ||
			    strcmp(bodies[q], acks[k].body)) {
				fprintf(stderr, "lost: %s (seq %lld)\n", acks[k].body,
					(long long)q);
				lost++;
			}
		}
		rs_stop(&s);
	}
	printf("# chat kill -9: %d rounds, %d acknowledged messages, %d lost\n",
	       rounds, n_acks, lost);
	assert_true(n_acks >= 2 * rounds);
	assert_int_equal(lost, 0);
	for (int64_t i = 0; i < MAX_SEQ; i++)
		free(bodies[i]);
	free(bodies);
	tu_rmdir(dir);
}

int main(int argc, char **argv)
{
	(void)argc;
	if (!rs_find_bin(argv[0], "test_chat_crash"))
		return 1;
	signal(SIGPIPE, SIG_IGN);
	/* the chat's rate limits off in the server: it is flooded on purpose */
	setenv("HELHED_CHAT_LIMITS", "0", 1);
	curl_global_init(CURL_GLOBAL_ALL);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(acknowledged_messages_survive_kill_9),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
