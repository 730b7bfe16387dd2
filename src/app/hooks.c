/* hooks.c - the webhook worker of `helhed serve` (see hooks.h). */
#include "app/hooks.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "core/log.h"
#include "core/util.h"

/* The receiver's answer is not read: only its status counts. */
static size_t discard(char *p, size_t size, size_t n, void *ud)
{
	(void)p;
	(void)ud;
	return size * n;
}

/* x-hooks2, the SSRF rule at the address curl is about to connect to
 * (every one it tries: a name may resolve to several, and to another
 * next time): a refused address gets no socket, and the attempt fails
 * without a byte sent. */
struct guard {
	int allow_loopback, refused;
	int opened; /* sockets opened to allowed addresses */
	char addr[64]; /* the first refused, as text */
};

static curl_socket_t open_socket(void *p, curlsocktype purpose,
				 struct curl_sockaddr *a)
{
	struct guard *g = p;
	char text[64];
	if (purpose != CURLSOCKTYPE_IPCXN ||
	    !hh_webhook_addr_allowed(&a->addr, g->allow_loopback, text,
				     sizeof(text))) {
		if (!g->refused++)
			snprintf(g->addr, sizeof(g->addr), "%s", text);
		return CURL_SOCKET_BAD;
	}
	curl_socket_t fd = socket(a->family, a->socktype, a->protocol);
	if (fd != CURL_SOCKET_BAD)
		g->opened++;
	return fd;
}

static void curl_post(const struct hh_webhook_poster *self, const char *url,
		      const char *const *headers, int n, const char *body,
		      size_t len, int timeout_s, long *status, char *err,
		      size_t errsz)
{
	struct guard g = { .allow_loopback = self->allow_loopback };
	*status = 0;
	err[0] = 0;
	CURL *c = curl_easy_init();
	if (!c) {
		snprintf(err, errsz, "curl_easy_init failed");
		return;
	}
	struct curl_slist *h = NULL;
	for (int i = 0; i < n; i++)
		h = curl_slist_append(h, headers[i]);
	h = curl_slist_append(h, "Expect:"); /* no 100-continue round trip */
	char cerr[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)timeout_s);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)timeout_s);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
	curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_socket);
	curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &g);
	/* no proxy from the environment: the address checked is the
	 * receiver's own */
	curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
	struct curl_slist *resolve = NULL;
	if (self->resolve) {
		resolve = curl_slist_append(NULL, self->resolve);
		curl_easy_setopt(c, CURLOPT_RESOLVE, resolve);
	}
	CURLcode rc = curl_easy_perform(c);
	if (rc == CURLE_OK) {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	} else if (g.refused && !g.opened) {
		/* refused only when no allowed address was tried: one that
		 * was and is down is a failure to retry (x-fix) */
		*status = HH_WH_REFUSED;
		snprintf(err, errsz, "%s", g.addr);
	} else {
		snprintf(err, errsz, "%s", cerr[0] ? cerr : curl_easy_strerror(rc));
	}
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
	curl_slist_free_all(resolve);
}

const struct hh_webhook_poster hh_hooks_curl_poster = {
	.cls = NULL, .post = curl_post, .timeout_s = 10,
};

struct hh_hooks {
	struct hh_hooks_config cfg;
	struct hh_webhook_poster poster;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int kicked;
	atomic_int stopping;
};

/* An event of an entity that has webhook topics may have deliveries. */
static void on_change(void *cls, const struct hh_change *c)
{
	if (!strcmp(c->entity, "case") || !strcmp(c->entity, "inquiry") ||
	    !strcmp(c->entity, "article") || !strcmp(c->entity, "letter") ||
	    !strcmp(c->entity, "webhook")) /* x-hooks2: a test event */
		hh_hooks_kick(cls);
}

void hh_hooks_kick(struct hh_hooks *h)
{
	if (!h)
		return;
	pthread_mutex_lock(&h->lock);
	h->kicked = 1;
	pthread_cond_signal(&h->wake);
	pthread_mutex_unlock(&h->lock);
}

static void *run(void *arg)
{
	struct hh_hooks *h = arg;
	int64_t pruned_at = 0;
	for (;;) {
		/* x-hooks2: done deliveries past their keep, every ten
		 * minutes, in small batches */
		int64_t now = hh_now_us() / 1000000;
		if (now - pruned_at >= 600) {
			int64_t n = 0;
			enum hh_rc prc = hh_webhooks_prune(h->cfg.store, now,
							   h->cfg.keep_days,
							   500, &n);
			if (prc != HH_OK && prc != HH_ERR_BUSY)
				hh_log(HH_LOG_WARN, "webhook prune: %s",
				       hh_rc_name(prc));
			else if (n)
				hh_log(HH_LOG_INFO, "webhook prune: %lld "
				       "deliveries older than %d days deleted",
				       (long long)n, h->cfg.keep_days > 0
							     ? h->cfg.keep_days
							     : HH_WH_KEEP_DAYS);
			pruned_at = now;
		}
		struct hh_webhook_stats s;
		enum hh_rc rc;
		do { /* a full batch may mean more are due */
			rc = hh_webhooks_deliver(h->cfg.store, &h->poster,
						 hh_now_us() / 1000000,
						 h->cfg.batch, &s);
		} while (rc == HH_OK &&
			 s.delivered + s.retried + s.failed + s.skipped +
					 s.stale >= h->cfg.batch &&
			 !atomic_load(&h->stopping));
		if (rc != HH_OK && rc != HH_ERR_BUSY)
			hh_log(HH_LOG_WARN, "webhook pass: %s", hh_rc_name(rc));
		pthread_mutex_lock(&h->lock);
		if (!h->kicked && !atomic_load(&h->stopping)) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_sec += 1;
			pthread_cond_timedwait(&h->wake, &h->lock, &ts);
		}
		int stop = atomic_load(&h->stopping);
		h->kicked = 0;
		pthread_mutex_unlock(&h->lock);
		if (stop)
			return NULL;
	}
}

enum hh_rc hh_hooks_start(const struct hh_hooks_config *cfg,
			  struct hh_hooks **out)
{
	struct hh_hooks *h = hh_xcalloc(1, sizeof(*h));
	h->cfg = *cfg;
	if (h->cfg.batch < 1)
		h->cfg.batch = 50;
	h->poster = hh_hooks_curl_poster;
	h->poster.allow_loopback = cfg->allow_loopback;
	if (cfg->timeout_s > 0)
		h->poster.timeout_s = cfg->timeout_s;
	pthread_mutex_init(&h->lock, NULL);
	pthread_cond_init(&h->wake, NULL);
	enum hh_rc rc = hh_store_subscribe(cfg->store, on_change, h);
	if (rc != HH_OK)
		goto fail;
	if (pthread_create(&h->thread, NULL, run, h) != 0) {
		hh_store_unsubscribe(cfg->store, on_change, h);
		rc = HH_ERR_INTERNAL;
		goto fail;
	}
	*out = h;
	return HH_OK;
fail:
	pthread_cond_destroy(&h->wake);
	pthread_mutex_destroy(&h->lock);
	free(h);
	return rc;
}

void hh_hooks_stop(struct hh_hooks *h)
{
	if (!h)
		return;
	pthread_mutex_lock(&h->lock);
	atomic_store(&h->stopping, 1);
	pthread_cond_signal(&h->wake);
	pthread_mutex_unlock(&h->lock);
	pthread_join(h->thread, NULL);
	hh_store_unsubscribe(h->cfg.store, on_change, h);
	pthread_cond_destroy(&h->wake);
	pthread_mutex_destroy(&h->lock);
	free(h);
}
