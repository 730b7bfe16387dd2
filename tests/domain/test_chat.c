/* test_chat.c - live chat in the domain: queue order and place, the agent
 * limit, access (token, citizen, agents of the organisation, nobody
 * else), messages (numbered, resumed after N, refused when empty,
 * oversized, not UTF-8 or to a closed chat, with nothing written), article
 * links, transfer, the close with the inquiry's outcome and the transcript
 * on the inquiry, rating once, the written inquiry, and whether chat is
 * open on both 2026 summer-time switch days. */
#include "testutil.h"

#include "domain/access.h"
#include "domain/chat.h"
#include "domain/hours.h"

#define AGENT(org, user)                                                    \
	(&(struct hh_actor){ .label = "user:" #user, .org_id = (org),       \
			     .org_is_municipality = 1, .roles = HH_ROLE_AGENT, \
			     .user_id = (user) })
#define CASEWORKER(org)                                                     \
	(&(struct hh_actor){ .label = "user:9", .org_id = (org),            \
			     .org_is_municipality = 1,                         \
			     .roles = HH_ROLE_CASEWORKER, .user_id = 9 })
#define CITIZEN(id)                                                         \
	(&(struct hh_actor){ .label = "citizen", .roles = HH_ROLE_CITIZEN,  \
			     .citizen_id = (id) })
#define ANON (&(struct hh_actor){ 0 })

struct fx {
	char *dir;
	struct hh_store *st;
	struct hh_arena a;
	int64_t m901, m902, anna, bo, article, staff_article;
};

static int64_t put_org(struct hh_store *st, const char *code)
{
	struct hh_tx *tx;
	assert_int_equal(st->tx_begin(st->cls, 1, &tx), HH_OK);
	struct hh_org o = { .code = code, .name = code,
			    .kind = HH_ORG_MUNICIPALITY };
	assert_int_equal(st->org_put(tx, &o), HH_OK);
	assert_int_equal(st->tx_commit(tx), HH_OK);
	return o.id;
}

static int64_t put_citizen(struct hh_store *st, const char *subject, int64_t m)
{
	struct hh_tx *tx;
	assert_int_equal(st->tx_begin(st->cls, 1, &tx), HH_OK);
	struct hh_citizen c = { .subject = subject, .name = subject,
				.municipality_id = m };
	assert_int_equal(st->citizen_put(tx, &c), HH_OK);
	assert_int_equal(st->tx_commit(tx), HH_OK);
	return c.id;
}

static int64_t put_article(struct hh_store *st, int64_t org, const char *slug,
			   enum hh_audience aud)
{
	struct hh_tx *tx;
	assert_int_equal(st->tx_begin(st->cls, 1, &tx), HH_OK);
	struct hh_article art = { .org_id = org, .slug = slug, .title = "Nyt pas",
				  .summary = "s", .body_md = "b", .body_html = "b",
				  .keywords = "", .kle = "", .audience = aud,
				  .status = HH_STATUS_PUBLISHED,
				  .updated_by = "test" };
	assert_int_equal(st->article_insert(tx, &art), HH_OK);
	assert_int_equal(st->tx_commit(tx), HH_OK);
	return art.id;
}

static int setup(void **state)
{
	struct fx *f = hh_xcalloc(1, sizeof(*f));
	f->dir = tu_tmpdir();
	f->st = tu_store(f->dir, 2);
	hh_arena_init(&f->a);
	f->m901 = put_org(f->st, "901");
	f->m902 = put_org(f->st, "902");
	f->anna = put_citizen(f->st, "anna", f->m901);
	f->bo = put_citizen(f->st, "bo", f->m901);
	struct hh_tx *tx;
	assert_int_equal(f->st->tx_begin(f->st->cls, 1, &tx), HH_OK);
	/* users 1 to 6 are agents of 901, 7 an agent of 902, 8 a
	 * caseworker of 901 */
	for (int i = 1; i <= 8; i++) {
		char email[32];
		snprintf(email, sizeof(email), "u%d@test", i);
		struct hh_user u = { .org_id = i == 7 ? f->m902 : f->m901,
				     .email = email, .name = email,
				     .password_hash = "x",
				     .roles = i == 8 ? HH_ROLE_CASEWORKER
						     : HH_ROLE_AGENT };
		assert_int_equal(f->st->user_insert(tx, &u), HH_OK);
		assert_int_equal(u.id, i);
	}
	assert_int_equal(f->st->inquiry_code_put(tx, f->m901, "team", "ydelse",
						 "Ydelser"), HH_OK);
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
	f->article = put_article(f->st, 0, "nyt-pas", HH_AUDIENCE_CITIZEN);
	f->staff_article = put_article(f->st, f->m901, "intern",
				       HH_AUDIENCE_STAFF);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	hh_store_close(f->st);
	hh_arena_clear(&f->a);
	tu_rmdir(f->dir);
	free(f);
	return 0;
}

struct opened {
	int64_t id;
	char token[HH_CHAT_TOKEN_SIZE];
};

static struct opened open_chat(struct fx *f, const struct hh_actor *who)
{
	struct opened o;
	struct hh_chat_view v;
	enum hh_chat_fault fault;
	assert_int_equal(hh_chat_open(f->st, &f->a, who, f->m901, "Pas", &v,
				      o.token, &fault),
			 HH_OK);
	assert_string_equal(v.chat.state, "queued");
	o.id = v.chat.id;
	return o;
}

static int64_t last_seq(struct fx *f, int64_t id)
{
	struct hh_tx *tx = tu_read_begin(f->st);
	struct hh_chat c;
	assert_int_equal(f->st->chat_get(tx, &f->a, id, &c), HH_OK);
	tu_read_end(tx);
	return c.last_seq;
}

static enum hh_rc say(struct fx *f, const struct hh_actor *who,
		       const char *token, int64_t id, const char *body,
		       int64_t article, enum hh_chat_fault *fault)
{
	struct hh_chat_message m;
	return hh_chat_send(f->st, &f->a, who, token, id, body, article, &m,
			    fault);
}

static enum hh_rc take(struct fx *f, const struct hh_actor *who, int64_t id,
		       enum hh_chat_fault *fault)
{
	struct hh_chat_view v;
	return hh_chat_take(f->st, &f->a, who, id, &v, fault);
}

static enum hh_rc count_row(void *p, const void *row)
{
	(void)row;
	(*(int *)p)++;
	return HH_OK;
}

struct ids {
	int64_t id[16], position[16], wait[16];
	int n;
	/* the active chats listed and their agent's name */
	int64_t mine[16];
	const char *mine_name[16];
	int n_mine;
};

static enum hh_rc id_row(void *p, const struct hh_chat_view *v)
{
	struct ids *k = p;
	if (!strcmp(v->chat.state, "queued") && k->n < 16) {
		k->position[k->n] = v->position;
		k->wait[k->n] = v->expected_wait_s;
		k->id[k->n++] = v->chat.id;
	} else if (k->n_mine < 16) {
		k->mine_name[k->n_mine] = v->agent_name;
		k->mine[k->n_mine++] = v->chat.id;
	}
	return HH_OK;
}

/* ---- the queue ---------------------------------------------------------- */

static void test_queue_order_and_place(void **state)
{
	struct fx *f = *state;
	struct opened a = open_chat(f, ANON), b = open_chat(f, CITIZEN(f->anna)),
		      c = open_chat(f, ANON);
	struct ids q = { 0 };
	struct hh_chat_status s;
	int64_t now = hh_now_us() / 1000000;
	/* the console without a heartbeat: nobody present yet */
	assert_int_equal(hh_chat_console(f->st, &f->a, AGENT(f->m901, 2), 0, id_row,
					 &q),
			 HH_OK);
	assert_int_equal(hh_chat_status(f->st, &f->a, f->m901, now, &s), HH_OK);
	assert_int_equal(s.agents, 0);
	assert_int_equal(s.queued, 3);
	q.n = 0;
	assert_int_equal(hh_chat_console(f->st, &f->a, AGENT(f->m901, 1), 1, id_row,
					 &q),
			 HH_OK);
	assert_int_equal(hh_chat_status(f->st, &f->a, f->m901, now, &s), HH_OK);
	assert_int_equal(s.agents, 1);
	assert_int_equal(q.n, 3);
	assert_true(q.id[0] == a.id && q.id[1] == b.id && q.id[2] == c.id);
	struct hh_chat_view v;
	assert_int_equal(hh_chat_get(f->st, &f->a, ANON, c.token, c.id, &v), HH_OK);
	assert_int_equal(v.position, 3);
	assert_true(v.expected_wait_s > 0);
	/* the console shows each queued chat's place and wait as its
	 * citizen sees them (they were 0) */
	for (int i = 0; i < 3; i++)
		assert_int_equal(q.position[i], i + 1);
	assert_int_equal(q.wait[2], v.expected_wait_s);
	enum hh_chat_fault fault;
	assert_int_equal(take(f, AGENT(f->m901, 1), a.id, &fault), HH_OK);
	assert_int_equal(hh_chat_get(f->st, &f->a, ANON, c.token, c.id, &v), HH_OK);
	assert_int_equal(v.position, 2);
	/* the taker's console: the queue moved up, and the chat it holds
	 * carries its name (it was NULL) */
	memset(&q, 0, sizeof(q));
	assert_int_equal(hh_chat_console(f->st, &f->a, AGENT(f->m901, 1), 0,
					 id_row, &q),
			 HH_OK);
	assert_int_equal(q.n, 2);
	assert_true(q.id[0] == b.id && q.position[0] == 1);
	assert_true(q.id[1] == c.id && q.position[1] == 2);
	assert_int_equal(q.wait[1], v.expected_wait_s);
	assert_int_equal(q.n_mine, 1);
	assert_true(q.mine[0] == a.id);
	assert_non_null(q.mine_name[0]);
	assert_string_equal(q.mine_name[0], "u1@test");
	/* taken twice: the second agent is too late */
	assert_int_equal(take(f, AGENT(f->m901, 2), a.id, &fault), HH_ERR_CONFLICT);
	assert_int_equal(fault, HH_CHAT_STATE);
	/* the queue is the organisation's: 902's agent does not see it */
	assert_int_equal(take(f, AGENT(f->m902, 7), b.id, &fault),
			 HH_ERR_NOT_FOUND);
}

static void test_agent_limit(void **state)
{
	struct fx *f = *state;
	struct opened o[5];
	for (int i = 0; i < 5; i++)
		o[i] = open_chat(f, ANON);
	enum hh_chat_fault fault;
	for (int i = 0; i < HH_CHAT_AGENT_LIMIT; i++)
		assert_int_equal(take(f, AGENT(f->m901, 1), o[i].id, &fault), HH_OK);
	assert_int_equal(take(f, AGENT(f->m901, 1), o[3].id, &fault),
			 HH_ERR_CONFLICT);
	assert_int_equal(fault, HH_CHAT_LIMIT);
	/* still queued: another agent takes it */
	assert_int_equal(take(f, AGENT(f->m901, 2), o[3].id, &fault), HH_OK);
	/* a transfer to an agent at the limit is refused too */
	struct hh_chat_view v;
	assert_int_equal(hh_chat_transfer(f->st, &f->a, AGENT(f->m901, 2),
					  o[3].id, 1, NULL, &v, &fault),
			 HH_ERR_CONFLICT);
	assert_int_equal(fault, HH_CHAT_LIMIT);
	/* the limit is data: one chat an agent */
	struct hh_tx *tx;
	assert_int_equal(f->st->tx_begin(f->st->cls, 1, &tx), HH_OK);
	assert_int_equal(f->st->meta_set(tx, "chat.agent_limit", "1"), HH_OK);
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
	assert_int_equal(take(f, AGENT(f->m901, 2), o[4].id, &fault),
			 HH_ERR_CONFLICT);
	assert_int_equal(take(f, AGENT(f->m901, 3), o[4].id, &fault), HH_OK);
}

/* ---- access ------------------------------------------------------------- */

static void test_access(void **state)
{
	struct fx *f = *state;
	struct opened anon = open_chat(f, ANON);
	struct opened mine = open_chat(f, CITIZEN(f->anna));
	struct hh_chat_view v;
	/* the token holder and the citizen */
	assert_int_equal(hh_chat_get(f->st, &f->a, ANON, anon.token, anon.id, &v),
			 HH_OK);
	assert_int_equal(hh_chat_get(f->st, &f->a, CITIZEN(f->anna), NULL, mine.id,
				     &v),
			 HH_OK);
	/* a wrong token, no token, another citizen: no such chat */
	char wrong[HH_CHAT_TOKEN_SIZE];
	memcpy(wrong, anon.token, sizeof(wrong));
	wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
	assert_int_equal(hh_chat_get(f->st, &f->a, ANON, wrong, anon.id, &v),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_chat_get(f->st, &f->a, ANON, NULL, anon.id, &v),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_chat_get(f->st, &f->a, CITIZEN(f->bo), NULL, mine.id,
				     &v),
			 HH_ERR_NOT_FOUND);
	/* one chat's token does not open another */
	assert_int_equal(hh_chat_get(f->st, &f->a, ANON, anon.token, mine.id, &v),
			 HH_ERR_NOT_FOUND);
	/* the organisation's agents see it; a caseworker and another
	 * organisation's agent do not */
	assert_int_equal(hh_chat_get(f->st, &f->a, AGENT(f->m901, 4), NULL, mine.id,
				     &v),
			 HH_OK);
	assert_int_equal(hh_chat_get(f->st, &f->a, CASEWORKER(f->m901), NULL,
				     mine.id, &v),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_chat_get(f->st, &f->a, AGENT(f->m902, 7), NULL, mine.id,
				     &v),
			 HH_ERR_NOT_FOUND);
	enum hh_chat_fault fault;
	assert_int_equal(say(f, CITIZEN(f->bo), NULL, mine.id, "hej", 0, &fault),
			 HH_ERR_NOT_FOUND);
	/* an agent answers only a chat they hold */
	assert_int_equal(say(f, AGENT(f->m901, 1), NULL, mine.id, "hej", 0, &fault),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(fault, HH_CHAT_NOT_YOURS);
	assert_int_equal(take(f, AGENT(f->m901, 1), mine.id, &fault), HH_OK);
	assert_int_equal(say(f, AGENT(f->m901, 2), NULL, mine.id, "hej", 0, &fault),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(say(f, AGENT(f->m901, 1), NULL, mine.id, "hej", 0, &fault),
			 HH_OK);
	/* staff do not open chats; the console is for agents only */
	struct opened o;
	assert_int_equal(hh_chat_open(f->st, &f->a, AGENT(f->m901, 1), f->m901,
				      NULL, &v, o.token, &fault),
			 HH_ERR_FORBIDDEN);
	int n = 0;
	assert_int_equal(hh_chat_console(f->st, &f->a, CASEWORKER(f->m901), 0,
					 (hh_chat_view_cb)count_row, &n),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(hh_chat_console(f->st, &f->a, CITIZEN(f->anna), 1,
					 (hh_chat_view_cb)count_row, &n),
			 HH_ERR_FORBIDDEN);
}

/* ---- messages ----------------------------------------------------------- */

struct seqs {
	int64_t seq[16];
	const char *sender[16];
	int64_t article[16];
	int n;
};

static enum hh_rc seq_row(void *p, const struct hh_chat_message *m)
{
	struct seqs *k = p;
	if (k->n < 16) {
		k->seq[k->n] = m->seq;
		k->sender[k->n] = m->sender;
		k->article[k->n] = m->article_id;
		k->n++;
	}
	return HH_OK;
}

static void test_messages(void **state)
{
	struct fx *f = *state;
	struct opened o = open_chat(f, ANON);
	enum hh_chat_fault fault;
	/* the citizen may write while waiting */
	assert_int_equal(say(f, ANON, o.token, o.id, "Hej, jeg skal have nyt pas",
			      0, &fault),
			 HH_OK);
	assert_int_equal(take(f, AGENT(f->m901, 1), o.id, &fault), HH_OK);
	assert_int_equal(say(f, AGENT(f->m901, 1), NULL, o.id, "Hej, det kan jeg "
			      "hjælpe med", 0, &fault),
			 HH_OK);
	assert_int_equal(last_seq(f, o.id), 3); /* 1, a take (system), 3 */
	/* refused, with nothing written */
	char big[HH_CHAT_MESSAGE_MAX * 2 + 8];
	memset(big, 0, sizeof(big));
	for (int i = 0; i < HH_CHAT_MESSAGE_MAX + 1; i++)
		strcat(big, "æ"); /* 2001 characters, 4002 bytes */
	struct {
		const char *body;
		enum hh_chat_fault fault;
	} bad[] = { { "", HH_CHAT_EMPTY },
		    { "   \n ", HH_CHAT_EMPTY },
		    { NULL, HH_CHAT_EMPTY },
		    { big, HH_CHAT_TOO_LONG },
		    { "\xc3\x28", HH_CHAT_BAD_UTF8 },
		    { "a\x01" "b", HH_CHAT_BAD_UTF8 } };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(say(f, ANON, o.token, o.id, bad[i].body, 0, &fault),
				 HH_ERR_INVALID);
		assert_int_equal(fault, bad[i].fault);
	}
	/* 2,000 characters exactly is fine */
	big[HH_CHAT_MESSAGE_MAX * 2] = 0;
	assert_int_equal(say(f, ANON, o.token, o.id, big, 0, &fault), HH_OK);
	assert_int_equal(last_seq(f, o.id), 4);
	/* an article link: published for citizens, from the agent */
	assert_int_equal(say(f, AGENT(f->m901, 1), NULL, o.id, NULL, f->article,
			      &fault),
			 HH_OK);
	assert_int_equal(say(f, AGENT(f->m901, 1), NULL, o.id, NULL,
			      f->staff_article, &fault),
			 HH_ERR_INVALID);
	assert_int_equal(fault, HH_CHAT_ARTICLE);
	assert_int_equal(say(f, ANON, o.token, o.id, "se her", f->article, &fault),
			 HH_ERR_INVALID);
	assert_int_equal(last_seq(f, o.id), 5);
	/* resume after N */
	struct seqs k = { 0 };
	assert_int_equal(hh_chat_messages(f->st, &f->a, ANON, o.token, o.id, 3, 0,
					  NULL, seq_row, &k),
			 HH_OK);
	assert_int_equal(k.n, 2);
	assert_int_equal(k.seq[0], 4);
	assert_int_equal(k.seq[1], 5);
	assert_string_equal(k.sender[1], "agent");
	assert_int_equal(k.article[1], f->article);
	/* closed: nothing more is written */
	struct hh_chat_view v;
	assert_int_equal(hh_chat_close(f->st, &f->a, ANON, o.token, o.id, NULL, &v,
				       &fault, NULL, NULL),
			 HH_OK);
	int64_t n = last_seq(f, o.id); /* the close's system message */
	assert_int_equal(n, 6);
	assert_int_equal(say(f, ANON, o.token, o.id, "hallo?", 0, &fault),
			 HH_ERR_CONFLICT);
	assert_int_equal(fault, HH_CHAT_CLOSED);
	assert_int_equal(say(f, AGENT(f->m901, 1), NULL, o.id, "hallo?", 0, &fault),
			 HH_ERR_CONFLICT);
	assert_int_equal(last_seq(f, o.id), n);
	assert_int_equal(hh_chat_close(f->st, &f->a, ANON, o.token, o.id, NULL, &v,
				       &fault, NULL, NULL),
			 HH_ERR_CONFLICT);
}

/* ---- the inquiry: outcome and transcript -------------------------------- */

static void test_close_sets_outcome_and_transcript(void **state)
{
	struct fx *f = *state;
	struct opened o = open_chat(f, CITIZEN(f->anna));
	enum hh_chat_fault fault;
	struct hh_chat_view v;
	assert_int_equal(hh_chat_get(f->st, &f->a, CITIZEN(f->anna), NULL, o.id, &v),
			 HH_OK);
	int64_t inquiry = v.chat.inquiry_id;
	struct hh_inquiry q;
	assert_int_equal(hh_inquiry_get(f->st, &f->a, AGENT(f->m901, 1), inquiry, &q),
			 HH_OK);
	assert_string_equal(q.channel, "chat");
	assert_string_equal(q.outcome, "open");
	assert_int_equal(q.citizen_id, f->anna);
	assert_int_equal(take(f, AGENT(f->m901, 1), o.id, &fault), HH_OK);
	assert_int_equal(say(f, CITIZEN(f->anna), NULL, o.id, "Mit pas udløber", 0,
			      &fault),
			 HH_OK);
	assert_int_equal(say(f, AGENT(f->m901, 1), NULL, o.id, NULL, f->article,
			      &fault),
			 HH_OK);
	/* the agent closes with an outcome; without one is refused */
	assert_int_equal(hh_chat_close(f->st, &f->a, AGENT(f->m901, 1), NULL, o.id,
				       NULL, &v, &fault, NULL, NULL),
			 HH_ERR_INVALID);
	assert_int_equal(fault, HH_CHAT_OUTCOME);
	struct hh_inquiry_input bad = { .outcome = "fixed" };
	assert_int_equal(hh_chat_close(f->st, &f->a, AGENT(f->m901, 1), NULL, o.id,
				       &bad, &v, &fault, NULL, NULL),
			 HH_ERR_INVALID);
	assert_int_equal(hh_chat_get(f->st, &f->a, CITIZEN(f->anna), NULL, o.id, &v),
			 HH_OK);
	assert_string_equal(v.chat.state, "active");
	/* the citizen does not set the outcome */
	struct hh_inquiry_input in = { .outcome = "resolved_first_contact" };
	assert_int_equal(hh_chat_close(f->st, &f->a, CITIZEN(f->anna), NULL, o.id,
				       &in, &v, &fault, NULL, NULL),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(hh_chat_close(f->st, &f->a, AGENT(f->m901, 1), NULL, o.id,
				       &in, &v, &fault, NULL, NULL),
			 HH_OK);
	assert_string_equal(v.chat.state, "closed");
	assert_int_equal(hh_inquiry_get(f->st, &f->a, AGENT(f->m901, 1), inquiry, &q),
			 HH_OK);
	assert_string_equal(q.outcome, "resolved_first_contact");
	assert_int_equal(q.agent_id, 1);
	assert_true(q.ended_at > 0);
	/* the transcript: taken, the citizen, the article, closed */
	struct seqs k = { 0 };
	assert_int_equal(hh_chat_transcript(f->st, &f->a, AGENT(f->m901, 2), inquiry,
					    seq_row, &k),
			 HH_OK);
	assert_int_equal(k.n, 4);
	assert_string_equal(k.sender[0], "system");
	assert_string_equal(k.sender[1], "citizen");
	assert_int_equal(k.article[2], f->article);
	/* the citizen reads their own transcript; another does not */
	k.n = 0;
	assert_int_equal(hh_chat_transcript(f->st, &f->a, CITIZEN(f->anna), inquiry,
					    seq_row, &k),
			 HH_OK);
	assert_int_equal(hh_chat_transcript(f->st, &f->a, CITIZEN(f->bo), inquiry,
					    seq_row, &k),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_chat_transcript(f->st, &f->a, AGENT(f->m902, 7), inquiry,
					    seq_row, &k),
			 HH_ERR_NOT_FOUND);
}

static void test_transfer(void **state)
{
	struct fx *f = *state;
	struct opened o = open_chat(f, ANON);
	enum hh_chat_fault fault;
	struct hh_chat_view v;
	assert_int_equal(take(f, AGENT(f->m901, 1), o.id, &fault), HH_OK);
	/* to a colleague */
	assert_int_equal(hh_chat_transfer(f->st, &f->a, AGENT(f->m901, 1), o.id, 2,
					  NULL, &v, &fault),
			 HH_OK);
	assert_int_equal(v.chat.agent_id, 2);
	/* not to another organisation's agent, nor a caseworker */
	assert_int_equal(hh_chat_transfer(f->st, &f->a, AGENT(f->m901, 2), o.id, 7,
					  NULL, &v, &fault),
			 HH_ERR_INVALID);
	assert_int_equal(fault, HH_CHAT_AGENT);
	assert_int_equal(hh_chat_transfer(f->st, &f->a, AGENT(f->m901, 2), o.id, 8,
					  NULL, &v, &fault),
			 HH_ERR_INVALID);
	/* the old agent holds it no longer */
	assert_int_equal(say(f, AGENT(f->m901, 1), NULL, o.id, "hej", 0, &fault),
			 HH_ERR_FORBIDDEN);
	/* to a team: back in the queue */
	assert_int_equal(hh_chat_transfer(f->st, &f->a, AGENT(f->m901, 2), o.id, 0,
					  "nope", &v, &fault),
			 HH_ERR_INVALID);
	assert_int_equal(fault, HH_CHAT_TEAM);
	assert_int_equal(hh_chat_transfer(f->st, &f->a, AGENT(f->m901, 2), o.id, 0,
					  "ydelse", &v, &fault),
			 HH_OK);
	assert_string_equal(v.chat.state, "queued");
	assert_string_equal(v.chat.team, "ydelse");
	assert_int_equal(v.position, 1);
	assert_int_equal(take(f, AGENT(f->m901, 3), o.id, &fault), HH_OK);
}

/* ---- rating ------------------------------------------------------------- */

static void test_rating_once(void **state)
{
	struct fx *f = *state;
	struct opened o = open_chat(f, ANON);
	enum hh_chat_fault fault;
	struct hh_chat_view v;
	assert_int_equal(hh_chat_rate(f->st, &f->a, ANON, o.token, o.id, 5, NULL,
				      &v, &fault),
			 HH_ERR_CONFLICT);
	assert_int_equal(fault, HH_CHAT_STATE);
	assert_int_equal(take(f, AGENT(f->m901, 1), o.id, &fault), HH_OK);
	struct hh_inquiry_input in = { .outcome = "resolved_first_contact" };
	assert_int_equal(hh_chat_close(f->st, &f->a, AGENT(f->m901, 1), NULL, o.id,
				       &in, &v, &fault, NULL, NULL),
			 HH_OK);
	assert_int_equal(hh_chat_rate(f->st, &f->a, ANON, o.token, o.id, 6, NULL,
				      &v, &fault),
			 HH_ERR_INVALID);
	assert_int_equal(hh_chat_rate(f->st, &f->a, ANON, o.token, o.id, 0, NULL,
				      &v, &fault),
			 HH_ERR_INVALID);
	/* the agent does not rate their own chat */
	assert_int_equal(hh_chat_rate(f->st, &f->a, AGENT(f->m901, 1), NULL, o.id, 5,
				      NULL, &v, &fault),
			 HH_ERR_FORBIDDEN);
	assert_int_equal(hh_chat_rate(f->st, &f->a, ANON, NULL, o.id, 5, NULL, &v,
				      &fault),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_chat_rate(f->st, &f->a, ANON, o.token, o.id, 4,
				      "Hurtigt svar", &v, &fault),
			 HH_OK);
	assert_int_equal(v.chat.rating, 4);
	assert_string_equal(v.chat.rating_comment, "Hurtigt svar");
	assert_int_equal(hh_chat_rate(f->st, &f->a, ANON, o.token, o.id, 1, NULL,
				      &v, &fault),
			 HH_ERR_CONFLICT);
	assert_int_equal(fault, HH_CHAT_RATED);
	assert_int_equal(hh_chat_get(f->st, &f->a, ANON, o.token, o.id, &v), HH_OK);
	assert_int_equal(v.chat.rating, 4);
}

/* ---- the written inquiry ------------------------------------------------ */

static void test_written_inquiry(void **state)
{
	struct fx *f = *state;
	struct hh_inquiry q;
	enum hh_chat_fault fault;
	int64_t events0 = tu_event_count(f->st);
	const char *contacts[] = { "", "nej", "a@b", "12 34", "x@y.dk<script>" };
	for (size_t i = 0; i < sizeof(contacts) / sizeof(contacts[0]); i++) {
		assert_int_equal(hh_chat_written(f->st, &f->a, ANON, f->m901,
						 "Hvornår er I åbne?", contacts[i],
						 &q, &fault),
				 HH_ERR_INVALID);
		assert_int_equal(fault, HH_CHAT_CONTACT);
	}
	assert_int_equal(hh_chat_written(f->st, &f->a, ANON, f->m901, " ",
					 "anna@example.dk", &q, &fault),
			 HH_ERR_INVALID);
	assert_int_equal(fault, HH_CHAT_TEXT);
	assert_int_equal(tu_event_count(f->st), events0); /* nothing written */
	assert_int_equal(hh_chat_written(f->st, &f->a, ANON, f->m901,
					 "Hvornår er I åbne?", "+45 12 34 56 78",
					 &q, &fault),
			 HH_OK);
	assert_string_equal(q.channel, "web");
	assert_string_equal(q.outcome, "open");
	assert_int_equal(q.citizen_id, 0);
	assert_non_null(strstr(q.note, "+45 12 34 56 78"));
	assert_non_null(strstr(q.note, "Hvornår er I åbne?"));
	assert_int_equal(tu_event_count(f->st), events0 + 1);
	/* a signed-in citizen's is theirs */
	assert_int_equal(hh_chat_written(f->st, &f->a, CITIZEN(f->anna), f->m901,
					 "Tak", "anna@example.dk", &q, &fault),
			 HH_OK);
	assert_int_equal(q.citizen_id, f->anna);
	assert_int_equal(hh_chat_written(f->st, &f->a, ANON, 9999, "Tak",
					 "anna@example.dk", &q, &fault),
			 HH_ERR_INVALID);
	assert_int_equal(fault, HH_CHAT_ORG);
}

/* ---- opening hours decide the status ------------------------------------ */

static void import_hours(struct fx *f)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/hours.json", f->dir);
	/* every day 08:00 to 22:00, Danish time (Sorø's hotline) */
	tu_write(path,
		 "{\"901\": {\"chat\": {\"week\": {"
		 "\"mon\": [\"08:00-22:00\"], \"tue\": [\"08:00-22:00\"], "
		 "\"wed\": [\"08:00-22:00\"], \"thu\": [\"08:00-22:00\"], "
		 "\"fri\": [\"08:00-22:00\"], \"sat\": [\"08:00-22:00\"], "
		 "\"sun\": [\"08:00-22:00\"]}, \"holidays_closed\": false}}}");
	int n = 0;
	assert_int_equal(hh_hours_import(f->st, f->dir, stderr, &n), HH_OK);
	assert_int_equal(n, 1);
}

static int open_at(struct fx *f, int64_t t)
{
	struct hh_chat_status s;
	assert_int_equal(hh_chat_status(f->st, &f->a, f->m901, t, &s), HH_OK);
	assert_int_equal(s.has_hours, 1);
	return s.open;
}

static void present(struct fx *f, int64_t user, int64_t at)
{
	struct hh_tx *tx;
	assert_int_equal(f->st->tx_begin(f->st->cls, 1, &tx), HH_OK);
	assert_int_equal(f->st->chat_presence_put(tx, user, f->m901, at), HH_OK);
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
}

static void test_status_summer_time_switches(void **state)
{
	struct fx *f = *state;
	import_hours(f);
	/* Sunday 29 March 2026: the clocks go from 02:00 to 03:00; 08:00
	 * Danish summer time is 06:00 UTC */
	int64_t spring_0759 = 1774763940, spring_0800 = 1774764000,
		spring_2159 = 1774814340, spring_2200 = 1774814400;
	/* Sunday 25 October 2026: from 03:00 back to 02:00; 08:00 Danish
	 * winter time is 07:00 UTC (at 06:30 UTC it is 07:30 there) */
	int64_t autumn_0730 = 1792909800, autumn_0800 = 1792911600,
		autumn_2159 = 1792961940, autumn_2200 = 1792962000;
	/* in hours, but nobody at the console: closed (a written inquiry) */
	struct hh_chat_status s;
	assert_int_equal(hh_chat_status(f->st, &f->a, f->m901, spring_0800, &s),
			 HH_OK);
	assert_int_equal(s.in_hours, 1);
	assert_int_equal(s.agents, 0);
	assert_int_equal(s.open, 0);
	struct {
		int64_t t;
		int open;
	} cases[] = { { spring_0759, 0 }, { spring_0800, 1 }, { spring_2159, 1 },
		      { spring_2200, 0 }, { autumn_0730, 0 }, { autumn_0800, 1 },
		      { autumn_2159, 1 }, { autumn_2200, 0 } };
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* an agent's heartbeat half a minute before */
		present(f, 1, cases[i].t - 30);
		assert_int_equal(open_at(f, cases[i].t), cases[i].open);
	}
	/* a heartbeat older than a minute does not count */
	present(f, 1, spring_0800 - HH_CHAT_PRESENCE_SECONDS - 5);
	assert_int_equal(open_at(f, spring_0800), 0);
	/* closed: it says when it opens */
	present(f, 1, spring_2200);
	assert_int_equal(hh_chat_status(f->st, &f->a, f->m901, spring_2200, &s),
			 HH_OK);
	assert_int_equal(s.in_hours, 0);
	assert_int_equal(s.change_at, 1774850400); /* Monday 08:00 CEST */
	/* no chat hours at all: closed */
	assert_int_equal(hh_chat_status(f->st, &f->a, f->m902, spring_0800, &s),
			 HH_OK);
	assert_int_equal(s.has_hours, 0);
	assert_int_equal(s.open, 0);
}

/* ---- faults: a failed write leaves nothing half-written ----------------- */

static int64_t n_inquiries(struct fx *f)
{
	struct hh_tx *tx = tu_read_begin(f->st);
	struct hh_inquiry_filter flt = { .org_id = f->m901 };
	int64_t total = 0;
	int n = 0;
	assert_int_equal(f->st->inquiry_list(tx, &f->a, &flt, 0, 1, &total,
					     (hh_inquiry_cb)count_row, &n),
			 HH_OK);
	tu_read_end(tx);
	return total;
}

static void test_faults_write_nothing_half(void **state)
{
	struct fx *f = *state;
	struct opened o = open_chat(f, ANON);
	enum hh_chat_fault fault;
	assert_int_equal(take(f, AGENT(f->m901, 1), o.id, &fault), HH_OK);
	/* a message under an I/O error at each store call in turn: either
	 * it is there (acknowledged) or nothing is */
	int64_t seq = last_seq(f, o.id), events = tu_event_count(f->st);
	int failed = 0;
	for (int n = 1; n <= 8; n++) {
		hh_store_fault_inject(f->st, n, HH_ERR_IO);
		enum hh_rc rc = say(f, ANON, o.token, o.id, "hej", 0, &fault);
		hh_store_fault_inject(f->st, 0, HH_OK);
		if (rc == HH_OK) {
			seq++;
		} else {
			assert_int_equal(rc, HH_ERR_IO);
			failed++;
		}
		assert_int_equal(last_seq(f, o.id), seq);
		struct seqs k = { 0 };
		assert_int_equal(hh_chat_messages(f->st, &f->a, ANON, o.token, o.id,
						  0, 0, NULL, seq_row, &k),
				 HH_OK);
		assert_int_equal(k.n, seq);
	}
	assert_true(failed >= 3); /* get, sequence, insert each failed once */
	/* BUSY is retried to one message */
	hh_store_fault_inject(f->st, 3, HH_ERR_BUSY);
	assert_int_equal(say(f, ANON, o.token, o.id, "igen", 0, &fault), HH_OK);
	hh_store_fault_inject(f->st, 0, HH_OK);
	assert_int_equal(last_seq(f, o.id), seq + 1);
	assert_int_equal(tu_event_count(f->st), events); /* messages: no events */
	/* opening: the chat and its inquiry (and its event) together, or
	 * neither */
	failed = 0;
	for (int n = 1; n <= 8; n++) {
		int64_t before = n_inquiries(f), ev = tu_event_count(f->st);
		struct hh_chat_view v;
		char token[HH_CHAT_TOKEN_SIZE];
		hh_store_fault_inject(f->st, n, HH_ERR_IO);
		enum hh_rc rc = hh_chat_open(f->st, &f->a, ANON, f->m901, NULL, &v,
					     token, &fault);
		hh_store_fault_inject(f->st, 0, HH_OK);
		if (rc == HH_OK) {
			assert_int_equal(n_inquiries(f), before + 1);
			assert_int_equal(tu_event_count(f->st), ev + 1);
			assert_int_equal(hh_chat_get(f->st, &f->a, ANON, token, v.chat.id,
						     &v),
					 HH_OK);
		} else {
			failed++;
			assert_int_equal(n_inquiries(f), before);
			assert_int_equal(tu_event_count(f->st), ev);
		}
	}
	assert_true(failed >= 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_queue_order_and_place, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_agent_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_access, setup, teardown),
		cmocka_unit_test_setup_teardown(test_messages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_sets_outcome_and_transcript,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_transfer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rating_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_written_inquiry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_summer_time_switches,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_faults_write_nothing_half, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
