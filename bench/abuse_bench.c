/* abuse_bench.c - what normal clients see while others attack: search
 * latency (p50, p99) for one ordinary client alone, then during a flood of
 * wrong-password sign-ins from many addresses, then while one address
 * holds thousands of slow connections. Each attack is printed beside the
 * quiet run of the same server, as a ratio.
 *
 * Usage: abuse_bench URL (a server started by bench/abuse.sh)
 * HELHED_BENCH_SECONDS: seconds per phase (default 5). */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char *base;
static int seconds = 5;
static atomic_int stop_attack;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static size_t discard(char *p, size_t s, size_t n, void *u)
{
	(void)p;
	(void)u;
	return s * n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

struct figures {
	int n, errors;
	double p50, p99, max;
};

/* One ordinary client: searches one after another for `seconds`. */
static struct figures searches(void)
{
	static const char *queries[] = { "pas", "flytning", "boligstøtte",
					 "sygedagpenge", "affald", "skilsmisse",
					 "folkepension", "byggetilladelse" };
	size_t cap = 1 << 20, n = 0;
	double *lat = malloc(cap * sizeof(*lat));
	struct figures f = { 0 };
	CURL *c = curl_easy_init();
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	char url[512];
	double end = now_ms() + seconds * 1000.0;
	for (int i = 0; now_ms() < end && n < cap; i++) {
		snprintf(url, sizeof(url), "%s/api/v1/search?q=%s", base,
			 queries[i % 8]);
		curl_easy_setopt(c, CURLOPT_URL, url);
		double t0 = now_ms();
		CURLcode rc = curl_easy_perform(c);
		long status = 0;
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		lat[n++] = now_ms() - t0;
		if (rc != CURLE_OK || status != 200)
			f.errors++;
	}
	curl_easy_cleanup(c);
	qsort(lat, n, sizeof(*lat), cmp_double);
	f.n = (int)n;
	if (n) {
		f.p50 = lat[n / 2];
		f.p99 = lat[n * 99 / 100];
		f.max = lat[n - 1];
	}
	free(lat);
	return f;
}

static void print(const char *what, struct figures f, const struct figures *quiet)
{
	printf("%-34s %6d searches, p50 %7.2f ms, p99 %7.2f ms, max %8.2f ms, "
	       "errors %d",
	       what, f.n, f.p50, f.p99, f.max, f.errors);
	if (quiet && quiet->p99 > 0)
		printf("  (p99 %.1fx quiet)", f.p99 / quiet->p99);
	printf("\n");
	fflush(stdout);
}

/* ---- a sign-in flood ------------------------------------------------------- */

struct flooder {
	int id;
	long sent, by_status[600];
};

static void *flood(void *p)
{
	struct flooder *fl = p;
	CURL *c = curl_easy_init();
	char url[512], body[128], iface[32];
	snprintf(url, sizeof(url), "%s/api/v1/session", base);
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	for (long i = 0; !atomic_load(&stop_attack); i++) {
		/* a new address and account each time: the worst case, where
		 * throttling never spares the hashing */
		snprintf(iface, sizeof(iface), "127.0.%d.%ld", 20 + fl->id,
			 1 + i % 250);
		snprintf(body, sizeof(body),
			 "{\"email\":\"angriber%d-%ld@example.dk\",\"password\":\"forkert\"}",
			 fl->id, i);
		curl_easy_setopt(c, CURLOPT_INTERFACE, iface);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		CURLcode rc = curl_easy_perform(c);
		long status = 0;
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		fl->sent++;
		if (rc == CURLE_OK && status > 0 && status < 600)
			fl->by_status[status]++;
	}
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return NULL;
}

/* ---- slow connections -------------------------------------------------------- */

static int slow_connect(const char *src, const char *host, int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_in a = { .sin_family = AF_INET };
	inet_pton(AF_INET, src, &a.sin_addr);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	inet_pton(AF_INET, host, &to.sin_addr);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    connect(fd, (struct sockaddr *)&to, sizeof(to))) {
		close(fd);
		return -1;
	}
	const char *head = "GET / HTTP/1.1\r\nHost: x\r\n";
	if (send(fd, head, strlen(head), MSG_NOSIGNAL) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The number of fds the server has not closed. */
static int still_open(const int *fd, int n)
{
	int open_n = 0;
	for (int i = 0; i < n; i++) {
		if (fd[i] < 0)
			continue;
		struct pollfd p = { fd[i], POLLIN, 0 };
		char b[64];
		if (poll(&p, 1, 0) > 0 && recv(fd[i], b, sizeof(b), MSG_DONTWAIT) <= 0)
			continue;
		open_n++;
	}
	return open_n;
}

struct slowloris {
	int *fd, n;
};

/* A byte every 2 s on every slow connection, to look alive. */
static void *dribble(void *p)
{
	struct slowloris *s = p;
	while (!atomic_load(&stop_attack)) {
		for (int i = 0; i < s->n; i++)
			if (s->fd[i] >= 0 && send(s->fd[i], "X", 1, MSG_NOSIGNAL) < 0) {
				close(s->fd[i]);
				s->fd[i] = -1;
			}
		for (int t = 0; t < 20 && !atomic_load(&stop_attack); t++)
			usleep(100 * 1000);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: abuse_bench URL\n");
		return 2;
	}
	base = argv[1];
	const char *s = getenv("HELHED_BENCH_SECONDS");
	if (s && atoi(s) > 0)
		seconds = atoi(s);
	char host[64] = "127.0.0.1";
	int port = 0;
	if (sscanf(base, "http://%63[^:]:%d", host, &port) != 2) {
		fprintf(stderr, "abuse_bench: want http://HOST:PORT, not %s\n", base);
		return 2;
	}
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	curl_global_init(CURL_GLOBAL_DEFAULT);

	searches(); /* warm up */
	struct figures quiet = searches();
	print("quiet", quiet, NULL);

	/* 1. the sign-in flood */
	enum { FLOODERS = 8 };
	struct flooder fl[FLOODERS];
	pthread_t t[FLOODERS];
	atomic_store(&stop_attack, 0);
	for (int i = 0; i < FLOODERS; i++) {
		memset(&fl[i], 0, sizeof(fl[i]));
		fl[i].id = i;
		pthread_create(&t[i], NULL, flood, &fl[i]);
	}
	usleep(500 * 1000);
	struct figures during = searches();
	atomic_store(&stop_attack, 1);
	long sent = 0, st[600] = { 0 };
	for (int i = 0; i < FLOODERS; i++) {
		pthread_join(t[i], NULL);
		sent += fl[i].sent;
		for (int k = 0; k < 600; k++)
			st[k] += fl[i].by_status[k];
	}
	print("during a sign-in flood (8 clients)", during, &quiet);
	printf("  the flood: %ld wrong-password sign-ins, %ld answered 401 "
	       "(hashed), %ld 429 (throttled), %ld 503 (lane full)\n",
	       sent, st[401], st[429], st[503]);

	/* 2. slow connections from one address */
	int n_slow = 4200;
	if ((long)rl.rlim_cur < n_slow + 100)
		n_slow = (int)rl.rlim_cur - 100;
	int *fd = malloc((size_t)n_slow * sizeof(int));
	int opened = 0;
	for (int i = 0; i < n_slow; i++) {
		fd[i] = slow_connect("127.0.9.1", host, port);
		opened += fd[i] >= 0;
	}
	usleep(500 * 1000);
	struct slowloris sl = { fd, n_slow };
	pthread_t dt;
	atomic_store(&stop_attack, 0);
	pthread_create(&dt, NULL, dribble, &sl);
	int held = still_open(fd, n_slow);
	struct figures slow = searches();
	int held_after = still_open(fd, n_slow);
	atomic_store(&stop_attack, 1);
	pthread_join(dt, NULL);
	print("during 4,200 slow connections", slow, &quiet);
	printf("  the slow connections: %d connected, %d kept by the server at "
	       "first, %d still open after %d s\n",
	       opened, held, held_after, seconds);
	for (int i = 0; i < n_slow; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	free(fd);

	struct figures after = searches();
	print("quiet again", after, &quiet);
	curl_global_cleanup();
	return 0;
}
