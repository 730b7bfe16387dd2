/* webhooks_bench.c - x-hooks (issue 15): webhook deliveries per second
 * to a local receiver, and the time from an event to its delivery
 * (p50, p99), on a durable SQLite store (or PostgreSQL: --pg URL).
 *
 * The peer beside the throughput: the same number of bare libcurl
 * POSTs of the same size to the same receiver with helhed's poster, no
 * store, no signing: the ceiling of one connection per delivery.
 *
 *   build/bench/webhooks_bench [N] [--pg URL] [--rotated]
 *
 * x-hooks2: every connection goes through the SSRF check (the address
 * curl connects to); --rotated rotates the subscription's secret first,
 * so that each delivery opens two sealed secrets and carries two
 * signatures (a rotation's first day).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "app/hooks.h"
#include "core/util.h"
#include "domain/vault.h"
#include "domain/webhooks.h"
#include "store/postgres.h"
#include "store/store.h"

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ---- a receiver: answers 200, notes when each case id arrived ---- */
static int rx_fd;
static atomic_int rx_stop, rx_count;
static int64_t *rx_at; /* by case id */
static int rx_n;

static void *receive(void *arg)
{
	(void)arg;
	char buf[8192];
	while (!atomic_load(&rx_stop)) {
		struct pollfd p = { rx_fd, POLLIN, 0 };
		if (poll(&p, 1, 50) <= 0)
			continue;
		int c = accept(rx_fd, NULL, NULL);
		if (c < 0)
			continue;
		size_t n = 0;
		for (;;) {
			ssize_t k = read(c, buf + n, sizeof(buf) - 1 - n);
			if (k <= 0)
				break;
			n += (size_t)k;
			buf[n] = 0;
			char *end = strstr(buf, "\r\n\r\n");
			const char *cl = strcasestr(buf, "Content-Length:");
			if (end && cl && n - (size_t)(end + 4 - buf) >=
						 (size_t)atol(cl + 15))
				break;
		}
		const char *id = strstr(buf, "\"case_id\":");
		if (id) {
			int i = atoi(id + 10);
			if (i >= 0 && i < rx_n && !rx_at[i])
				rx_at[i] = mono_us();
		}
		atomic_fetch_add(&rx_count, 1);
		static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n"
					 "Connection: close\r\n\r\n";
		if (write(c, ok, sizeof(ok) - 1) < 0) {
		}
		close(c);
	}
	return NULL;
}

static int cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static enum hh_rc append_tx(struct hh_tx *tx, void *p)
{
	return tx->store->event_append(tx, p);
}

static void append(struct hh_store *st, int64_t org, int i)
{
	char after[64];
	snprintf(after, sizeof(after), "{\"state\":\"received\"}");
	struct hh_event e = { .actor = "bench", .org_id = org,
			      .entity = "case", .entity_id = i,
			      .action = "submit", .after = after };
	if (hh_store_run_tx(st, 1, append_tx, &e) != HH_OK) {
		fprintf(stderr, "append failed\n");
		exit(1);
	}
	/* as the domain tells after a case's commit: wakes the worker */
	hh_store_changed(st, &(struct hh_change){ "case", i, org, "submit" });
}

static enum hh_rc org_tx(struct hh_tx *tx, void *p)
{
	return tx->store->org_put(tx, p);
}

int main(int argc, char **argv)
{
	int n = 1000;
	const char *pg = NULL;
	int rotated = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--pg") && i + 1 < argc)
			pg = argv[++i];
		else if (!strcmp(argv[i], "--rotated"))
			rotated = 1;
		else
			n = atoi(argv[i]);
	}
	char dir[] = "/tmp/hh-hooks-bench-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	char db[256];
	snprintf(db, sizeof(db), "%s/helhed.db", dir);
	struct hh_store *st;
	enum hh_rc rc = pg ? hh_store_open_postgres(pg, 4, &st)
			   : hh_store_open_sqlite(db, 4, &st);
	if (rc != HH_OK || st->migrate(st->cls, NULL) != HH_OK) {
		fprintf(stderr, "cannot open the store\n");
		return 1;
	}
	char err[256];
	if (hh_vault_start(st, NULL, db, err, sizeof(err)) != HH_OK) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	struct hh_org org = { .code = "bench", .name = "Bench Kommune",
			      .kind = HH_ORG_MUNICIPALITY };
	hh_store_run_tx(st, 1, org_tx, &org);

	/* the receiver */
	rx_fd = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;
	setsockopt(rx_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_in a = { .sin_family = AF_INET };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(rx_fd, (struct sockaddr *)&a, sizeof(a));
	listen(rx_fd, 512);
	socklen_t len = sizeof(a);
	getsockname(rx_fd, (struct sockaddr *)&a, &len);
	rx_n = 2 * n + 2;
	rx_at = calloc((size_t)rx_n, sizeof(*rx_at));
	pthread_t th;
	pthread_create(&th, NULL, receive, NULL);
	char url[64];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/hook", ntohs(a.sin_port));

	struct hh_actor admin = { .label = "bench", .org_id = org.id,
				  .roles = HH_ROLE_ADMIN };
	const char *types[] = { HH_WH_CASE_SUBMITTED };
	struct hh_webhook_input in = { url, types, 1, -1 };
	struct hh_webhook_sub sub;
	const char *field;
	struct hh_arena ar;
	hh_arena_init(&ar);
	if (hh_webhook_subscribe(st, &admin, &ar, &in, 1, &sub, &field) != HH_OK) {
		fprintf(stderr, "subscribe failed\n");
		return 1;
	}
	const char *fresh;
	if (rotated && hh_webhook_rotate(st, &admin, &ar, sub.id,
					 hh_now_us() / 1000000, &fresh) != HH_OK) {
		fprintf(stderr, "rotate failed\n");
		return 1;
	}

	/* the receiver is on loopback: allowed as --webhooks-allow-http-loopback
	 * allows it (the SSRF check still runs on each connection) */
	struct hh_webhook_poster poster = hh_hooks_curl_poster;
	poster.allow_loopback = 1;

	/* 1. throughput: n events waiting, then passes until all are out */
	for (int i = 0; i < n; i++)
		append(st, org.id, i);
	int64_t t0 = mono_us();
	int done = 0;
	while (done < n) {
		struct hh_webhook_stats s;
		if (hh_webhooks_deliver(st, &poster,
					hh_now_us() / 1000000, 50, &s) != HH_OK)
			break;
		if (!s.delivered && !s.retried)
			break;
		done += s.delivered;
	}
	double ours = n / ((mono_us() - t0) / 1e6);

	/* the peer: bare POSTs of a body of the same size */
	char body[160];
	snprintf(body, sizeof(body),
		 "{\"data\":{\"case_id\":%d,\"organisation_id\":1,\"state\":"
		 "\"received\"},\"timestamp\":\"2026-12-05T22:00:00Z\","
		 "\"type\":\"case.submitted\"}", rx_n - 1);
	const char *h[] = { "Content-Type: application/json" };
	t0 = mono_us();
	for (int i = 0; i < n; i++) {
		long status;
		poster.post(&poster, url, h, 1, body, strlen(body), 10,
					  &status, err, sizeof(err));
	}
	double peer = n / ((mono_us() - t0) / 1e6);

	/* 2. latency: the worker running, events at about 200 a second */
	struct hh_hooks *w;
	struct hh_hooks_config hc = { .store = st, .allow_loopback = 1 };
	hh_hooks_start(&hc, &w);
	int64_t *sent = calloc((size_t)rx_n, sizeof(*sent));
	for (int i = n; i < 2 * n; i++) {
		sent[i] = mono_us();
		append(st, org.id, i);
		usleep(5000);
	}
	int64_t wait_until = mono_us() + 30 * 1000000LL;
	while (atomic_load(&rx_count) < 3 * n && mono_us() < wait_until)
		usleep(10000);
	hh_hooks_stop(w);
	int64_t *lat = calloc((size_t)n, sizeof(*lat));
	int m = 0;
	for (int i = n; i < 2 * n; i++)
		if (rx_at[i])
			lat[m++] = rx_at[i] - sent[i];
	qsort(lat, (size_t)m, sizeof(*lat), cmp);
	printf("webhooks (%s, %d deliveries, one connection each, %s):\n",
	       pg ? "PostgreSQL" : "SQLite, durable", n,
	       rotated ? "two signatures (a rotated secret)" : "one signature");
	printf("  delivered per second:  %8.0f   (peer: bare libcurl POSTs, no "
	       "store, no signing: %.0f)\n", ours, peer);
	if (m)
		printf("  event to delivery:     p50 %.2f ms, p99 %.2f ms, max "
		       "%.2f ms (%d of %d delivered, worker woken by the "
		       "change)\n",
		       lat[m / 2] / 1000.0, lat[(m * 99) / 100] / 1000.0,
		       lat[m - 1] / 1000.0, m, n);
	/* x-hooks2: the signing alone, per delivery: a secret opened from
	 * its seal and one signature, against two of each (a rotation's
	 * first day), over a body of the size above */
	{
		struct hh_vault *v = hh_vault_of(st);
		char secret[HH_WH_SECRET_SIZE], sig[HH_WH_SIGNATURE_SIZE];
		hh_webhook_secret_new(secret);
		const char *sealed = secret;
		if (v)
			hh_vault_seal(v, &ar, secret, &sealed);
		double us[2];
		for (int k = 1; k <= 2; k++) {
			int rounds = 20000;
			int64_t s0 = mono_us();
			for (int i = 0; i < rounds; i++) {
				struct hh_arena t;
				hh_arena_init(&t);
				for (int j = 0; j < k; j++) {
					const char *open = sealed;
					if (v)
						hh_vault_open(v, &t, sealed, &open);
					hh_webhook_sign(open, "msg_1", 1796594400,
							body, strlen(body), sig);
				}
				hh_arena_clear(&t);
			}
			us[k - 1] = (mono_us() - s0) / (double)rounds;
		}
		printf("  signing a delivery:    %.2f us (one secret), %.2f us "
		       "(two: a rotated secret)\n", us[0], us[1]);
	}
	atomic_store(&rx_stop, 1);
	pthread_join(th, NULL);
	hh_arena_clear(&ar);
	hh_store_close(st);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd)) {
	}
	return 0;
}
