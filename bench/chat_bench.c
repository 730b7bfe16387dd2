/* chat_bench.c - live chat at scale against a real `helhed serve`: N
 * citizens' long polls held open at once (an epoll client, non-blocking
 * sockets, spread over loopback addresses 127.0.0.2.. so the server's
 * per-client connection cap applies as it would to real citizens), then
 * messages sent by the agent one at a time and timed until the waiting
 * citizen's connection has them; /healthz timed beside it in the same run.
 *
 * Usage: chat_bench URL AGENT_EMAIL PASSWORD ORG N MESSAGES RATE
 * The server must run with the chat's rate limits off
 * (HELHED_CHAT_LIMITS=0), --write-limits 0/0/0 and an agent limit of at
 * least N (the meta setting chat.agent_limit): one agent takes every
 * chat. Figures only; it asserts nothing (bench/chat.sh runs it). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static struct sockaddr_in server;

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "chat_bench: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

/* ---- a blocking keep-alive client (setup, the agent, /healthz) ---------- */

struct hc {
	int fd;
	char buf[1 << 16];
	size_t len;
};

static int connect_from(int last_octet, int nonblock)
{
	int fd = socket(AF_INET, SOCK_STREAM | (nonblock ? SOCK_NONBLOCK : 0), 0);
	if (fd < 0)
		die("socket: %s", strerror(errno));
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (last_octet) {
		struct sockaddr_in me = { .sin_family = AF_INET };
		me.sin_addr.s_addr = htonl(0x7f000000u | (unsigned)last_octet);
		if (bind(fd, (struct sockaddr *)&me, sizeof(me)) != 0)
			die("bind 127.0.0.%d: %s", last_octet, strerror(errno));
	}
	if (connect(fd, (struct sockaddr *)&server, sizeof(server)) != 0 &&
	    errno != EINPROGRESS)
		die("connect: %s", strerror(errno));
	return fd;
}

static void hc_open(struct hc *c)
{
	c->fd = connect_from(0, 0);
	c->len = 0;
}

/* The length of a complete response at the start of buf (headers and
 * Content-Length body), or 0 when more is needed; *status and *body. */
static size_t complete(const char *buf, size_t len, int *status,
		       const char **body, size_t *body_len)
{
	const char *end = memmem(buf, len, "\r\n\r\n", 4);
	if (!end)
		return 0;
	size_t head = (size_t)(end - buf) + 4;
	const char *cl = memmem(buf, head, "Content-Length:", 15);
	if (!cl)
		cl = memmem(buf, head, "content-length:", 15);
	size_t n = cl ? strtoul(cl + 15, NULL, 10) : 0;
	if (len < head + n)
		return 0;
	*status = atoi(buf + 9);
	*body = buf + head;
	*body_len = n;
	return head + n;
}

/* Sends a request and reads its response; the body is copied into out
 * (NUL-terminated, truncated to size). Returns the status. */
static int hc_request(struct hc *c, const char *method, const char *path,
		      const char *hdrs, const char *body, char *out,
		      size_t size)
{
	char req[4096];
	int n = snprintf(req, sizeof(req),
			 "%s %s HTTP/1.1\r\nHost: bench\r\n%s%s"
			 "Content-Length: %zu\r\n\r\n%s",
			 method, path, hdrs ? hdrs : "",
			 body ? "Content-Type: application/json\r\n" : "",
			 body ? strlen(body) : 0, body ? body : "");
	for (int off = 0; off < n;) {
		ssize_t w = write(c->fd, req + off, (size_t)(n - off));
		if (w <= 0)
			die("write: %s", strerror(errno));
		off += (int)w;
	}
	for (;;) {
		int status;
		const char *b;
		size_t bl, used = complete(c->buf, c->len, &status, &b, &bl);
		if (used) {
			if (out) {
				size_t k = bl < size - 1 ? bl : size - 1;
				memcpy(out, b, k);
				out[k] = 0;
			}
			memmove(c->buf, c->buf + used, c->len - used);
			c->len -= used;
			return status;
		}
		if (c->len == sizeof(c->buf))
			die("response too large");
		ssize_t r = read(c->fd, c->buf + c->len, sizeof(c->buf) - c->len);
		if (r <= 0)
			die("read: %s", r ? strerror(errno) : "closed");
		c->len += (size_t)r;
	}
}

static const char *json_str(const char *j, const char *key, char *out,
			    size_t size)
{
	char k[64];
	snprintf(k, sizeof(k), "\"%s\":\"", key);
	const char *p = strstr(j, k);
	if (!p)
		return NULL;
	p += strlen(k);
	size_t n = strcspn(p, "\"");
	snprintf(out, size, "%.*s", (int)n, p);
	return out;
}

static long long json_int(const char *j, const char *key)
{
	char k[64];
	snprintf(k, sizeof(k), "\"%s\":", key);
	const char *p = strstr(j, k);
	return p ? atoll(p + strlen(k)) : -1;
}

/* ---- the run ------------------------------------------------------------- */

struct chat {
	long long id;
	char token[72];
	long long after;
	/* the waiting connection */
	int fd;
	char req[256];
	size_t req_len, req_off;
	char buf[8192];
	size_t len;
};

static struct chat *chats;
static int n_chats;
static int64_t *sent_at;      /* by message number */
static int64_t *delivered_us; /* by message number: 0 not yet */
static atomic_int delivered;
static atomic_int stop;
static atomic_long polls_answered;

static void poll_request(struct chat *c)
{
	c->req_len = (size_t)snprintf(c->req, sizeof(c->req),
				      "GET /api/v1/chats/%lld/messages?after=%lld"
				      "&wait=25 HTTP/1.1\r\nHost: bench\r\n"
				      "X-Chat-Token: %s\r\n\r\n",
				      c->id, c->after, c->token);
	c->req_off = 0;
}

static void flush_request(struct chat *c)
{
	while (c->req_off < c->req_len) {
		ssize_t w = write(c->fd, c->req + c->req_off, c->req_len - c->req_off);
		if (w <= 0)
			return; /* EAGAIN: EPOLLOUT brings us back */
		c->req_off += (size_t)w;
	}
}

/* A response on c: the messages in it delivered now; ask again. */
static void answered(struct chat *c, const char *body, size_t n, int64_t t)
{
	atomic_fetch_add(&polls_answered, 1);
	char tmp[8192];
	snprintf(tmp, sizeof(tmp), "%.*s", (int)n, body);
	long long last = json_int(tmp, "last_seq");
	for (const char *p = tmp; (p = strstr(p, "\"body\":\"m")); p += 9) {
		long k = atol(p + 9);
		if (k >= 0 && !delivered_us[k] && sent_at[k]) {
			delivered_us[k] = t - sent_at[k];
			atomic_fetch_add(&delivered, 1);
		}
	}
	if (last > c->after)
		c->after = last;
	poll_request(c);
	flush_request(c);
}

static void *poller(void *p)
{
	int ep = *(int *)p;
	struct epoll_event ev[256];
	while (!atomic_load(&stop)) {
		int n = epoll_wait(ep, ev, 256, 100);
		int64_t t = now_us();
		for (int i = 0; i < n; i++) {
			struct chat *c = ev[i].data.ptr;
			if (ev[i].events & EPOLLOUT)
				flush_request(c);
			if (!(ev[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
				continue;
			for (;;) {
				ssize_t r = read(c->fd, c->buf + c->len,
						 sizeof(c->buf) - c->len);
				if (r <= 0) {
					if (r == 0 || (errno != EAGAIN && errno != EINTR))
						die("a waiting connection was closed "
						    "(chat %lld)", c->id);
					break;
				}
				c->len += (size_t)r;
				int status;
				const char *b;
				size_t bl, used;
				while ((used = complete(c->buf, c->len, &status, &b, &bl))) {
					if (status != 200)
						die("poll of chat %lld: %d", c->id, status);
					answered(c, b, bl, t);
					memmove(c->buf, c->buf + used, c->len - used);
					c->len -= used;
				}
			}
		}
	}
	return NULL;
}

struct health {
	int64_t *us;
	int n, cap;
};

static void *healthz(void *p)
{
	struct health *h = p;
	struct hc *c = calloc(1, sizeof(*c));
	hc_open(c);
	while (!atomic_load(&stop) && h->n < h->cap) {
		int64_t t0 = now_us();
		if (hc_request(c, "GET", "/healthz", NULL, NULL, NULL, 0) != 200)
			die("/healthz failed");
		h->us[h->n++] = now_us() - t0;
		usleep(10000);
	}
	close(c->fd);
	free(c);
	return NULL;
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static double pct(int64_t *v, int n, double q)
{
	if (!n)
		return 0;
	qsort(v, (size_t)n, sizeof(*v), cmp64);
	int i = (int)(q * (n - 1) + 0.5);
	return (double)v[i] / 1000.0;
}

static long long metric(struct hc *c, const char *name)
{
	static char out[1 << 15];
	if (hc_request(c, "GET", "/metrics", NULL, NULL, out, sizeof(out)) != 200)
		die("/metrics failed");
	char line[128];
	snprintf(line, sizeof(line), "\n%s ", name); /* not the # HELP line */
	const char *p = strstr(out, line);
	return p ? atoll(p + strlen(line)) : -1;
}

int main(int argc, char **argv)
{
	if (argc != 8)
		die("usage: chat_bench URL AGENT_EMAIL PASSWORD ORG N MESSAGES RATE");
	const char *url = argv[1];
	n_chats = atoi(argv[5]);
	int n_msg = atoi(argv[6]), rate = atoi(argv[7]);
	int port = 0;
	if (sscanf(url, "http://127.0.0.1:%d", &port) != 1)
		die("URL must be http://127.0.0.1:PORT");
	server.sin_family = AF_INET;
	server.sin_port = htons((uint16_t)port);
	server.sin_addr.s_addr = htonl(0x7f000001u);
	struct rlimit nofile;
	if (getrlimit(RLIMIT_NOFILE, &nofile) == 0) {
		nofile.rlim_cur = nofile.rlim_max;
		setrlimit(RLIMIT_NOFILE, &nofile);
	}
	chats = calloc((size_t)n_chats, sizeof(*chats));
	sent_at = calloc((size_t)n_msg, sizeof(*sent_at));
	delivered_us = calloc((size_t)n_msg, sizeof(*delivered_us));

	/* the agent signs in; the citizens open chats; the agent takes
	 * them all (each a committed write, one at a time) */
	struct hc *agent = calloc(1, sizeof(*agent));
	hc_open(agent);
	char body[1024], out[8192], cookie[256], csrf[128], hdrs[512], tmp[160];
	snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\"}",
		 argv[2], argv[3]);
	struct hc *raw = agent;
	char req[1024];
	int n = snprintf(req, sizeof(req),
			 "POST /api/v1/session HTTP/1.1\r\nHost: bench\r\n"
			 "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
			 strlen(body), body);
	if (write(raw->fd, req, (size_t)n) != n)
		die("write");
	for (;;) {
		int status;
		const char *b;
		size_t bl, used = complete(raw->buf, raw->len, &status, &b, &bl);
		if (used) {
			if (status != 201)
				die("agent sign-in: %d", status);
			const char *sc = strstr(raw->buf, "Set-Cookie: ");
			if (!sc)
				die("no session cookie");
			snprintf(cookie, sizeof(cookie), "%.*s",
				 (int)strcspn(sc + 12, ";\r"), sc + 12);
			snprintf(out, sizeof(out), "%.*s", (int)bl, b);
			json_str(out, "csrf_token", csrf, sizeof(csrf));
			raw->len = 0;
			break;
		}
		ssize_t r = read(raw->fd, raw->buf + raw->len, sizeof(raw->buf) - raw->len);
		if (r <= 0)
			die("sign-in read");
		raw->len += (size_t)r;
	}
	snprintf(hdrs, sizeof(hdrs), "Cookie: %s\r\nX-CSRF-Token: %s\r\n", cookie, csrf);
	int64_t t0 = now_us();
	struct hc *cit = calloc(1, sizeof(*cit));
	hc_open(cit);
	snprintf(body, sizeof(body), "{\"organisation\":\"%s\"}", argv[4]);
	for (int i = 0; i < n_chats; i++) {
		if (hc_request(cit, "POST", "/api/v1/chats", NULL, body, out,
			       sizeof(out)) != 201)
			die("open chat %d: %s", i, out);
		chats[i].id = json_int(out, "id");
		json_str(out, "token", chats[i].token, sizeof(chats[i].token));
		snprintf(tmp, sizeof(tmp), "/api/v1/chats/%lld/take", chats[i].id);
		if (hc_request(agent, "POST", tmp, hdrs, NULL, out, sizeof(out)) != 200)
			die("take chat %lld: %s", chats[i].id, out);
		chats[i].after = json_int(out, "last_seq");
	}
	printf("setup: %d chats opened by citizens and taken by one agent in %.1f s "
	       "(each a durable write)\n",
	       n_chats, (double)(now_us() - t0) / 1e6);

	/* every citizen waits: one connection each, 50 to a loopback
	 * address (the server's per-client cap is 64) */
	int ep = epoll_create1(0);
	for (int i = 0; i < n_chats; i++) {
		struct chat *c = &chats[i];
		c->fd = connect_from(2 + i / 50, 1);
		poll_request(c);
		struct epoll_event e = { .events = EPOLLIN | EPOLLOUT | EPOLLET,
					 .data.ptr = c };
		epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &e);
	}
	pthread_t tp;
	int64_t t_park = now_us();
	pthread_create(&tp, NULL, poller, &ep);
	struct hc *mon = calloc(1, sizeof(*mon));
	hc_open(mon);
	long long waiting = 0;
	int64_t deadline = now_us() + 60 * 1000000;
	while ((waiting = metric(mon, "helhed_http_waiting")) < n_chats &&
	       now_us() < deadline)
		usleep(100 * 1000);
	printf("held: %lld waiting long polls at once (the server's "
	       "helhed_http_waiting), from %d loopback addresses, all parked "
	       "%.1f s after the first connect\n",
	       waiting, 1 + (n_chats - 1) / 50, (double)(now_us() - t_park) / 1e6);
	if (waiting < n_chats)
		die("only %lld of %d connections are waiting", waiting, n_chats);

	/* the agent sends, at rate a second, round the chats; /healthz
	 * beside it. A fresh connection: the server closes one idle for
	 * 15 s, and parking may have taken that long. */
	close(agent->fd);
	hc_open(agent);
	struct health h = { calloc(100000, sizeof(int64_t)), 0, 100000 };
	pthread_t th;
	pthread_create(&th, NULL, healthz, &h);
	int64_t *ack_us = calloc((size_t)n_msg, sizeof(*ack_us));
	int64_t start = now_us(), gap = 1000000 / (rate > 0 ? rate : 1);
	for (int k = 0; k < n_msg; k++) {
		int64_t due = start + (int64_t)k * gap, t = now_us();
		if (due > t)
			usleep((useconds_t)(due - t));
		struct chat *c = &chats[(k * 7919) % n_chats];
		snprintf(tmp, sizeof(tmp), "/api/v1/chats/%lld/messages", c->id);
		snprintf(body, sizeof(body), "{\"body\":\"m%d\"}", k);
		sent_at[k] = now_us();
		if (hc_request(agent, "POST", tmp, hdrs, body, out, sizeof(out)) != 201)
			die("send %d: %s", k, out);
		ack_us[k] = now_us() - sent_at[k];
	}
	deadline = now_us() + 10 * 1000000;
	while (atomic_load(&delivered) < n_msg && now_us() < deadline)
		usleep(10 * 1000);
	double secs = (double)(now_us() - start) / 1e6;
	close(mon->fd);
	hc_open(mon);
	long long still = metric(mon, "helhed_http_waiting");
	atomic_store(&stop, 1);
	pthread_join(th, NULL);
	pthread_join(tp, NULL);

	int got = atomic_load(&delivered);
	int64_t *lat = calloc((size_t)n_msg, sizeof(*lat));
	int m = 0;
	for (int k = 0; k < n_msg; k++)
		if (delivered_us[k])
			lat[m++] = delivered_us[k];
	double p50 = pct(lat, m, 0.50), p99 = pct(lat, m, 0.99),
	       mx = m ? (double)lat[m - 1] / 1000.0 : 0;
	printf("%-58s %6d of %d   p50 %6.2f ms   p99 %6.2f ms   max %6.2f ms\n",
	       "delivery: agent sends -> the waiting citizen has it", got, n_msg,
	       p50, p99, mx);
	printf("%-58s %16s   p50 %6.2f ms   p99 %6.2f ms\n",
	       "  of which the send (POST until 201, committed)", "",
	       pct(ack_us, n_msg, 0.50), pct(ack_us, n_msg, 0.99));
	printf("%-58s %6d reqs      p50 %6.2f ms   p99 %6.2f ms\n",
	       "/healthz on the same server, same run", h.n, pct(h.us, h.n, 0.50),
	       pct(h.us, h.n, 0.99));
	printf("messages: %d at %d/s over %.1f s; long polls answered: %ld; still "
	       "waiting at the end: %lld\n",
	       n_msg, rate, secs, atomic_load(&polls_answered), still);
	printf("target: >= 2,000 open chat connections and delivery p99 <= 50 ms: "
	       "%s\n",
	       waiting >= 2000 && got == n_msg && p99 <= 50.0 ? "met" : "NOT met");
	for (int i = 0; i < n_chats; i++)
		close(chats[i].fd);
	return got == n_msg ? 0 : 1;
}
