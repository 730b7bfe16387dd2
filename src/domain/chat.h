/* chat.h - live chat between citizens and an organisation's front desk.
 *
 * A citizen opens a chat with an organisation (signed in: as themselves;
 * otherwise anonymously) and gets a chat token, the capability that reaches
 * the chat afterwards (kept in the page or a cookie; only its hash is
 * stored). The chat waits in the organisation's queue (oldest first) until
 * an agent takes it; an agent holds at most HH_CHAT_AGENT_LIMIT chats at
 * once (the meta setting "chat.agent_limit" overrides it). Either side
 * writes messages; an agent may send an article link (a message carrying
 * the article's id and title), transfer the chat to another agent of the
 * organisation or back to the queue for a team, and close it with the
 * outcome of the contact. After the close, the citizen may rate the chat
 * 1 to 5 with an optional comment, once.
 *
 * Each chat is an inquiry (domain/inquiries.h, channel "chat") created in
 * the same transaction; its transcript is the chat's messages
 * (hh_chat_transcript), and its outcome is set when the agent closes.
 *
 * A message is committed before any function here returns HH_OK for it,
 * and is numbered per chat (seq 1, 2, ...), so a client resumes with
 * "everything after N". Every commit is told to the store's subscribers
 * as entity "chat" (the chat's id and organisation; action "message" for
 * a new message, "queue" when the queue changed, "rating"), which is how
 * waiting connections are woken (app/).
 *
 * Access (domain/access.c, HH_RES_CHAT): the holder of the chat token and
 * the signed-in citizen who opened it see and write the chat; the agents
 * of its organisation see it and answer it; to anyone else it does not
 * exist (NOT_FOUND). Agents work their organisation's queue
 * (HH_RES_CHAT_QUEUE). */
#ifndef HH_DOMAIN_CHAT_H
#define HH_DOMAIN_CHAT_H

#include <jansson.h>

#include "domain/actor.h"
#include "domain/inquiries.h"
#include "store/store.h"

#define HH_CHAT_MESSAGE_MAX 2000   /* characters of one message */
#define HH_CHAT_AGENT_LIMIT 3      /* chats an agent holds at once */
#define HH_CHAT_PRESENCE_SECONDS 60 /* an agent's heartbeat keeps them
				       present this long */
#define HH_CHAT_TOKEN_SIZE 65       /* 64 hex digits and the NUL */
#define HH_CHAT_WRITTEN_MAX 4000    /* characters of a written inquiry */

/* Why a request was refused; rc says how (INVALID, CONFLICT,
 * FORBIDDEN). */
enum hh_chat_fault {
	HH_CHAT_FINE = 0,
	HH_CHAT_EMPTY,       /* (INVALID) an empty message */
	HH_CHAT_TOO_LONG,    /* (INVALID) over HH_CHAT_MESSAGE_MAX */
	HH_CHAT_BAD_UTF8,    /* (INVALID) not UTF-8, or control characters */
	HH_CHAT_CLOSED,      /* (CONFLICT) the chat is closed */
	HH_CHAT_STATE,       /* (CONFLICT) not in a state for this (take a
				chat that is not queued, rate an open one) */
	HH_CHAT_LIMIT,       /* (CONFLICT) the agent holds the most chats */
	HH_CHAT_NOT_YOURS,   /* (FORBIDDEN) another agent holds the chat */
	HH_CHAT_RATED,       /* (CONFLICT) rated already */
	HH_CHAT_RATING,      /* (INVALID) rating not 1-5, comment too long */
	HH_CHAT_ARTICLE,     /* (INVALID) no such published article */
	HH_CHAT_AGENT,       /* (INVALID) no such agent of the organisation */
	HH_CHAT_TEAM,        /* (INVALID) no such team */
	HH_CHAT_ORG,         /* (INVALID) no such organisation */
	HH_CHAT_OUTCOME,     /* (INVALID/CONFLICT) the inquiry refused the
				outcome; *inq_fault says why */
	HH_CHAT_CONTACT,     /* (INVALID) a written inquiry's contact */
	HH_CHAT_TEXT,        /* (INVALID) a written inquiry's text */
};

/* Whether chat is open for an organisation, and the queue. */
struct hh_chat_status {
	int open;            /* in its chat hours and an agent present */
	int in_hours;        /* within its chat opening hours */
	int has_hours;       /* it has chat hours at all */
	int64_t change_at;   /* when the hours next close (open) or open
				(closed); 0 unknown */
	int64_t agents;      /* agents present */
	int64_t queued;      /* chats waiting */
	int64_t expected_wait_s; /* for a chat joining the queue now */
};

/* A chat as the citizen or agent sees it: the row, and for a queued chat
 * its place in the queue (1: next) and expected wait. */
struct hh_chat_view {
	struct hh_chat chat;
	int64_t position;        /* 0 unless queued */
	int64_t expected_wait_s; /* 0 unless queued */
	const char *agent_name;  /* the agent holding it, NULL none */
};

/* Whether chat is open for organisation org_id at now (seconds), into
 * *out. The expected wait is a documented simple estimate: the queue
 * position times the mean wait of the organisation's last 20 chats taken
 * in the last 7 days (2 minutes when there were none), divided by the
 * agents present (at least 1). */
enum hh_rc hh_chat_status(struct hh_store *st, struct hh_arena *a,
			  int64_t org_id, int64_t now,
			  struct hh_chat_status *out);

/* Opens a chat with organisation org_id for who (a signed-in citizen, or
 * anyone anonymously); topic may be NULL (at most 200 characters).
 * token gets the new chat token. FORBIDDEN for staff (they have the
 * console), INVALID with HH_CHAT_ORG for no such organisation. Does not
 * check the opening hours: the doors offer a written inquiry when chat is
 * closed (hh_chat_status), and a chat opened just before closing time is
 * still answered. */
enum hh_rc hh_chat_open(struct hh_store *st, struct hh_arena *a,
			const struct hh_actor *who, int64_t org_id,
			const char *topic, struct hh_chat_view *out,
			char token[HH_CHAT_TOKEN_SIZE],
			enum hh_chat_fault *fault);
/* The same, from a browser with the anonymous visit cookie (app/app.h
 * hh_visit; NULL: none), kept on the chat for the service figures (search
 * success: a search followed by no contact). */
enum hh_rc hh_chat_open_visit(struct hh_store *st, struct hh_arena *a,
			      const struct hh_actor *who, int64_t org_id,
			      const char *topic, const char *visit,
			      struct hh_chat_view *out,
			      char token[HH_CHAT_TOKEN_SIZE],
			      enum hh_chat_fault *fault);

/* The chat id if who (or the holder of token; may be NULL) may see it,
 * with its queue place and agent; NOT_FOUND otherwise. */
enum hh_rc hh_chat_get(struct hh_store *st, struct hh_arena *a,
		       const struct hh_actor *who, const char *token,
		       int64_t id, struct hh_chat_view *out);

/* The chat (as hh_chat_get, into *out; may be NULL) and its messages
 * with seq > after, oldest first, at most limit (0: all), streamed to
 * cb, in one read. */
enum hh_rc hh_chat_messages(struct hh_store *st, struct hh_arena *a,
			    const struct hh_actor *who, const char *token,
			    int64_t id, int64_t after, int64_t limit,
			    struct hh_chat_view *out, hh_chat_message_cb cb,
			    void *ctx);

/* Appends a message to chat id from who's side: the citizen's (token
 * holder or the citizen who opened it) or the agent's (the agent
 * holding it). body may be NULL or empty only with an article_id (an
 * article link: the message carries its id and title, and its body is
 * the title when none is given); only agents send article links. The
 * message is committed when this returns HH_OK; *out gets it, its seq
 * included. Nothing is written when refused: CONFLICT HH_CHAT_CLOSED
 * for a closed chat, INVALID HH_CHAT_EMPTY/TOO_LONG/BAD_UTF8/ARTICLE,
 * FORBIDDEN HH_CHAT_NOT_YOURS for an agent not holding it (or a queued
 * chat), NOT_FOUND for a caller who may not see it. */
enum hh_rc hh_chat_send(struct hh_store *st, struct hh_arena *a,
			const struct hh_actor *who, const char *token,
			int64_t id, const char *body, int64_t article_id,
			struct hh_chat_message *out,
			enum hh_chat_fault *fault);

/* The agent who takes queued chat id. CONFLICT HH_CHAT_STATE when it is
 * not queued, HH_CHAT_LIMIT when who holds the most chats already;
 * FORBIDDEN for a caller who is not an agent of its organisation (a
 * staff user; NOT_FOUND for anyone else). */
enum hh_rc hh_chat_take(struct hh_store *st, struct hh_arena *a,
			const struct hh_actor *who, int64_t id,
			struct hh_chat_view *out, enum hh_chat_fault *fault);

/* The agent holding chat id hands it to agent to_user_id of the same
 * organisation (who must be under the limit: HH_CHAT_LIMIT), or, with
 * to_user_id 0, back to the queue for team (a team code of the
 * organisation, content/teams.json). */
enum hh_rc hh_chat_transfer(struct hh_store *st, struct hh_arena *a,
			    const struct hh_actor *who, int64_t id,
			    int64_t to_user_id, const char *team,
			    struct hh_chat_view *out,
			    enum hh_chat_fault *fault);

/* Closes chat id. The agent holding it closes with the contact's outcome
 * (in: outcome and its details as for hh_inquiry_set_outcome), set on the
 * chat's inquiry first; the citizen's side may close (leave) with in
 * NULL, leaving the inquiry's outcome to the agent. Closing a closed chat
 * is CONFLICT HH_CHAT_CLOSED. *inq_fault and *field (may be NULL) say why the
 * inquiry refused an outcome (HH_CHAT_OUTCOME). */
enum hh_rc hh_chat_close(struct hh_store *st, struct hh_arena *a,
			 const struct hh_actor *who, const char *token,
			 int64_t id, const struct hh_inquiry_input *in,
			 struct hh_chat_view *out, enum hh_chat_fault *fault,
			 enum hh_inquiry_fault *inq_fault, const char **field);

/* The citizen's side rates closed chat id: rating 1-5, comment NULL or at
 * most 1,000 characters; once (CONFLICT HH_CHAT_RATED), after the close
 * (CONFLICT HH_CHAT_STATE). */
enum hh_rc hh_chat_rate(struct hh_store *st, struct hh_arena *a,
			const struct hh_actor *who, const char *token,
			int64_t id, int rating, const char *comment,
			struct hh_chat_view *out, enum hh_chat_fault *fault);

/* An agent's heartbeat: who counts as present for their organisation's
 * chat for HH_CHAT_PRESENCE_SECONDS. FORBIDDEN for anyone but an agent. */
enum hh_rc hh_chat_presence(struct hh_store *st, const struct hh_actor *who);

typedef enum hh_rc (*hh_chat_view_cb)(void *ctx,
				      const struct hh_chat_view *v);

/* The agent's console: the organisation's queue (queued chats, oldest
 * first, each with its place and expected wait as its citizen sees them)
 * and then the chats who holds (state "active", with who's name),
 * streamed to cb. With heartbeat set it is also who's heartbeat (a
 * write). FORBIDDEN for anyone but an agent. */
enum hh_rc hh_chat_console(struct hh_store *st, struct hh_arena *a,
			   const struct hh_actor *who, int heartbeat,
			   hh_chat_view_cb cb, void *ctx);

/* The transcript of inquiry inquiry_id, if it is a chat: the messages
 * streamed to cb, for whoever may read the inquiry (hh_inquiry_get's
 * rule; NOT_FOUND otherwise or when the inquiry is no chat). */
enum hh_rc hh_chat_transcript(struct hh_store *st, struct hh_arena *a,
			      const struct hh_actor *who, int64_t inquiry_id,
			      hh_chat_message_cb cb, void *ctx);

/* A written inquiry, the answer when chat is closed (and the page
 * without JavaScript): an inquiry of organisation org_id on channel
 * "web" holding text (1 to HH_CHAT_WRITTEN_MAX characters) and contact
 * (an e-mail address or a phone number, answered later), from who (a
 * signed-in citizen is linked; anyone else is anonymous). *out gets the
 * inquiry. */
enum hh_rc hh_chat_written(struct hh_store *st, struct hh_arena *a,
			   const struct hh_actor *who, int64_t org_id,
			   const char *text, const char *contact,
			   struct hh_inquiry *out, enum hh_chat_fault *fault);

/* JSON forms for the API (new references). */
json_t *hh_chat_json(const struct hh_chat_view *v);
json_t *hh_chat_message_json(const struct hh_chat_message *m);
json_t *hh_chat_status_json(const struct hh_chat_status *s);

/* The Danish message for a fault (static). */
const char *hh_chat_fault_da(enum hh_chat_fault f);

#endif
