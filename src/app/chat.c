/* chat.c - the live chat's plumbing for both doors: tokens, wait keys,
 * the change subscriber and the rate limits (see chat.h). */
#include "app/chat.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/limit.h"
#include "core/util.h"
#include "domain/chat.h"

uint64_t hh_chat_key(int64_t chat_id)
{
	return (uint64_t)chat_id << 1;
}

uint64_t hh_chat_org_key(int64_t org_id)
{
	return ((uint64_t)org_id << 1) | 1;
}

void hh_app_chat_changed(void *cls, const struct hh_change *c)
{
	struct hh_app *app = cls;
	if (!app->server || strcmp(c->entity, "chat"))
		return;
	hh_server_notify(app->server, hh_chat_key(c->id));
	if (c->org_id)
		hh_server_notify(app->server, hh_chat_org_key(c->org_id));
}

const char *hh_chat_token_of(struct hh_req *r, int64_t chat_id)
{
	const char *h = hh_req_header(r, "X-Chat-Token");
	if (h)
		return h;
	const char *c = hh_req_cookie(r, "hh_chat");
	if (!c)
		return NULL;
	char *dot;
	long long id = strtoll(c, &dot, 10);
	if (*dot != '.' || id != chat_id)
		return NULL;
	return dot + 1;
}

void hh_chat_cookie_set(struct hh_req *r, int64_t chat_id, const char *token)
{
	hh_cookie_set(r, HH_COOKIE_STRICT, "hh_chat",
		      hh_arena_printf(&r->arena, "%lld.%s", (long long)chat_id,
				      token),
		      NULL, 12 * 3600);
}

struct hh_chat_limits {
	struct hh_limiter *l[HH_CHAT_LIMIT__COUNT];
};

static pthread_mutex_t limits_lock = PTHREAD_MUTEX_INITIALIZER;

/* Made on first use, per application (a server and its store, so chat
 * ids mean one chat); a limiter's table is a fixed few hundred KiB. */
static struct hh_chat_limits *limits_new(void)
{
	struct hh_chat_limits *k = hh_xcalloc(1, sizeof(*k));
	long per_min[HH_CHAT_LIMIT__COUNT] = { 10, 120, 20, 5 };
	const char *env = getenv("HELHED_CHAT_LIMITS");
	if (env && !strcmp(env, "0"))
		return k;
	if (env && sscanf(env, "%ld/%ld/%ld/%ld", &per_min[0], &per_min[1],
			  &per_min[2], &per_min[3]) != 4) {
		fprintf(stderr, "HELHED_CHAT_LIMITS: want OPEN/MESSAGES_ADDRESS/"
				"MESSAGES_CHAT/WRITTEN a minute, not '%s'; using "
				"the defaults\n", env);
		per_min[0] = 10, per_min[1] = 120, per_min[2] = 20, per_min[3] = 5;
	}
	for (int i = 0; i < HH_CHAT_LIMIT__COUNT; i++)
		if (per_min[i] > 0 && per_min[i] <= 1000000)
			k->l[i] = hh_limiter_new(16384, (int)per_min[i],
						 60000000 / per_min[i]);
	return k;
}

int hh_chat_limit_take(struct hh_req *r, enum hh_chat_limit kind,
		       int64_t chat_id, int *retry_s)
{
	*retry_s = 0;
	pthread_mutex_lock(&limits_lock);
	if (!r->app->chat_limits)
		r->app->chat_limits = limits_new();
	struct hh_limiter *l = r->app->chat_limits->l[kind];
	pthread_mutex_unlock(&limits_lock);
	if (!l)
		return 1;
	const char *key = kind == HH_CHAT_LIMIT_MESSAGE_CHAT
				  ? hh_arena_printf(&r->arena, "c%lld",
						    (long long)chat_id)
				  : hh_req_client_net(r);
	return hh_limiter_take(l, key, hh_mono_us(), retry_s);
}

void hh_chat_limits_free(struct hh_app *app)
{
	if (!app->chat_limits)
		return;
	for (int i = 0; i < HH_CHAT_LIMIT__COUNT; i++)
		hh_limiter_free(app->chat_limits->l[i]);
	free(app->chat_limits);
	app->chat_limits = NULL;
}
