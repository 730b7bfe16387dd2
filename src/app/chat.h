/* chat.h - what both doors of the live chat share (api/chat.c and
 * pages/chat.c): the chat token a request carries, the keys waiting
 * requests park on, the change subscriber that wakes them, and the
 * chat's own rate limits. */
#ifndef HH_APP_CHAT_H
#define HH_APP_CHAT_H

#include <stdint.h>

#include "app/app.h"

/* The wait keys (hh_req_wait) of one chat and of an organisation's
 * queue (the agents' consoles). */
uint64_t hh_chat_key(int64_t chat_id);
uint64_t hh_chat_org_key(int64_t org_id);

/* A store subscriber (hh_store_subscribe, cls: the struct hh_app): a
 * committed change of a chat wakes the requests waiting on the chat and
 * on its organisation's queue. */
void hh_app_chat_changed(void *cls, const struct hh_change *c);

/* The chat token r carries for chat_id: the X-Chat-Token header, else
 * the hh_chat cookie when it is for chat_id ("ID.TOKEN"). Borrowed;
 * NULL when none. */
const char *hh_chat_token_of(struct hh_req *r, int64_t chat_id);
/* Sets the hh_chat cookie (HttpOnly, SameSite=Strict) for chat_id. */
void hh_chat_cookie_set(struct hh_req *r, int64_t chat_id, const char *token);

/* The chat's rate limits, on top of the server's write limits: chats
 * opened and written inquiries per client address, messages per client
 * address and per chat. Each is a number a minute, from
 * HELHED_CHAT_LIMITS="OPEN/MESSAGES_ADDRESS/MESSAGES_CHAT/WRITTEN"
 * (default 10/120/20/5; "0" switches them off, for benchmarks). */
enum hh_chat_limit {
	HH_CHAT_LIMIT_OPEN = 0,
	HH_CHAT_LIMIT_MESSAGE_ADDR,
	HH_CHAT_LIMIT_MESSAGE_CHAT,
	HH_CHAT_LIMIT_WRITTEN,
	HH_CHAT_LIMIT__COUNT
};
/* Spends one of kind for r (and chat_id for MESSAGE_CHAT). Returns 1
 * when allowed; 0 with *retry_s the seconds to wait. */
int hh_chat_limit_take(struct hh_req *r, enum hh_chat_limit kind,
		       int64_t chat_id, int *retry_s);
/* Frees app's chat limits (after the server has stopped). */
void hh_chat_limits_free(struct hh_app *app);

#endif
