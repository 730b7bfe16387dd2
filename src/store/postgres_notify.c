/* postgres_notify.c - pg-multi (issue 14): following the changes other
 * helhed instances commit to the same PostgreSQL database.
 *
 * Each instance keeps in memory what it reads often: the search index,
 * the synonyms and pinned queries, the organisations by code, and it
 * wakes the requests waiting on a chat when the chat changes. Its own
 * writes reach those through the store's change callbacks
 * (hh_store_changed, called by the domain after a commit). Writes made
 * by another instance reach them here: the triggers of migration 0029
 * send a NOTIFY on channel helhed_change in the writing transaction (so
 * only on commit), and this file keeps one connection per instance,
 * outside the pool, that LISTENs and tells the same subscribers, on its
 * own thread. A notice names its writer (helhed.instance); an
 * instance's own are skipped, since its write paths told it already.
 *
 * NOTIFY reaches only the sessions listening at the commit. After the
 * listening connection was lost (the server restarted, the network
 * broke) the listener connects again, LISTENs, and catches up from the
 * event log, where every article change is an event (the domain appends
 * it in the same transaction):
 *
 *  - It remembers the newest event id it read while listening (the
 *    mark; read again every MARK_EVERY_US while connected). A change
 *    committed after the connection was lost has its event after the
 *    mark, or shortly before it when its transaction took the id
 *    before the mark was read and committed after: the replay starts
 *    CATCHUP_MARGIN events before the mark. Replaying a change twice
 *    costs a read (the subscribers read the current row), never a wrong
 *    result.
 *  - The articles of those events are told as changes, one per article.
 *    When there are more than the catch-up limit (1,000; the
 *    environment's HELHED_PG_CATCHUP_MAX) the listener tells the
 *    subscribers to read everything again instead (entity "*", action
 *    "resync").
 *  - What is read whole on any change and has no events of its own is
 *    read again each time: the guides, the forms, the synonyms, the
 *    pins ("life_event", "case_type", "synonym", "pin" with id 0), the
 *    organisations (orgs_version), and every open chat is told (its
 *    waiting requests read it again).
 *
 * LISTEN is issued before the mark is read, so a change is either
 * committed before the read (and in the event log the next catch-up
 * reads) or notified. At start, hh_pg_follow_prepare LISTENs before the
 * caller builds its caches, and the notices that arrive meanwhile wait
 * in the connection until hh_pg_follow_start's thread tells them: none
 * is lost between the build and the start. */
#include "store/postgres_int.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <stdatomic.h>
#include <unistd.h>

#include "core/log.h"
#include "core/util.h"
#include "store/postgres.h"

#define CHANNEL "helhed_change"
/* How far before the mark the replay starts (see above). */
#define CATCHUP_MARGIN 1000
/* Articles to replay one by one at most; beyond, read everything. */
#define CATCHUP_MAX_DEFAULT 1000
/* How often the mark is read again while connected. */
#define MARK_EVERY_US 2000000
/* Waits between attempts to connect again: 50 ms, doubling to 1 s. */
#define BACKOFF_MIN_MS 50
#define BACKOFF_MAX_MS 1000

struct pg_follow {
	struct pg *s;
	PGconn *db;          /* the listening connection; NULL while lost */
	int64_t mark;        /* newest event id read while listening; -1:
				unknown (everything is read again) */
	int64_t mark_read_us; /* monotonic time the mark was read */
	int catchup_max;
	int wake[2];         /* a byte on wake[1] stops the thread */
	pthread_t thread;
	int started;
	atomic_int stopping;
	atomic_int ok;       /* listening and caught up */
	atomic_llong told, own, replayed, resyncs, reconnects;
	int64_t lost_us;     /* when the connection was lost (for the log) */
};

/* ---- the listening connection -------------------------------------------- */

static enum hh_rc q_ok(PGconn *db, PGresult *r, const char *what)
{
	ExecStatusType st = PQresultStatus(r);
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return HH_OK;
	hh_log(HH_LOG_WARN, "postgres listener: %s: %s", what,
	       r ? PQresultErrorMessage(r) : PQerrorMessage(db));
	return HH_ERR_IO;
}

/* The newest event id (0: none) into *mark, on f's connection. */
static enum hh_rc read_mark(struct pg_follow *f, int64_t *mark)
{
	PGresult *r = PQexec(f->db, "SELECT coalesce(max(id), 0) FROM events");
	enum hh_rc rc = q_ok(f->db, r, "reading the newest event");
	if (rc == HH_OK)
		*mark = g_int(r, 0, 0);
	PQclear(r);
	if (rc == HH_OK)
		f->mark_read_us = hh_mono_us();
	return rc;
}

/* The server's notices (its FATAL on a shutdown) go nowhere: losing the
 * connection is logged once, by lose(). */
static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* Connects, LISTENs and reads the newest event id into *mark. */
static enum hh_rc listen_open(struct pg_follow *f, int64_t *mark)
{
	f->db = hh_pg_connect(f->s, "helhed-listen", 1);
	if (f->db)
		PQsetNoticeProcessor(f->db, quiet, NULL);
	if (PQstatus(f->db) != CONNECTION_OK) {
		/* said once when lost, not at every attempt */
		PQfinish(f->db);
		f->db = NULL;
		return HH_ERR_IO;
	}
	PGresult *r = PQexec(f->db, "SET client_encoding = 'UTF8'; "
				    "SET client_min_messages = warning; "
				    "LISTEN " CHANNEL);
	enum hh_rc rc = q_ok(f->db, r, "LISTEN");
	PQclear(r);
	if (rc == HH_OK)
		rc = read_mark(f, mark);
	if (rc != HH_OK) {
		PQfinish(f->db);
		f->db = NULL;
	}
	return rc;
}

static void lose(struct pg_follow *f, const char *why)
{
	/* libpq's messages end in a newline, some span lines */
	char line[256];
	snprintf(line, sizeof(line), "%s", why);
	for (char *p = line; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	size_t n = strlen(line);
	while (n && line[n - 1] == ' ')
		line[--n] = 0;
	if (atomic_load(&f->ok))
		hh_log(HH_LOG_WARN,
		       "postgres listener: lost its connection (%s); other "
		       "instances' changes are caught up when it is back",
		       line);
	atomic_store(&f->ok, 0);
	f->lost_us = hh_mono_us();
	PQfinish(f->db);
	f->db = NULL;
}

/* ---- telling the subscribers ---------------------------------------------- */

static void tell(struct pg_follow *f, const char *entity, int64_t id,
		 int64_t org_id, const char *action)
{
	if (!strcmp(entity, "organisation")) {
		/* what hh_store_org_by_code kept is out of date */
		atomic_fetch_add(&f->s->store.orgs_version, 1);
	}
	struct hh_change c = { entity, id, org_id, action };
	hh_store_changed(&f->s->store, &c);
	atomic_fetch_add(&f->told, 1);
}

/* One notice: {"e":..., "id":..., "org":..., "a":..., "i":...}. */
static void on_notice(struct pg_follow *f, const char *payload)
{
	json_error_t e;
	json_t *j = json_loads(payload, 0, &e);
	const char *entity = json_string_value(json_object_get(j, "e"));
	const char *action = json_string_value(json_object_get(j, "a"));
	const char *writer = json_string_value(json_object_get(j, "i"));
	if (!entity || !action) {
		hh_log_bug("postgres listener: a notice it cannot read: %s",
			   payload);
	} else if (writer && !strcmp(writer, f->s->instance)) {
		atomic_fetch_add(&f->own, 1);
	} else {
		tell(f, entity,
		     (int64_t)json_integer_value(json_object_get(j, "id")),
		     (int64_t)json_integer_value(json_object_get(j, "org")),
		     action);
	}
	json_decref(j);
}

/* Tells every notice waiting in the connection. */
static void drain(struct pg_follow *f)
{
	PGnotify *n;
	while ((n = PQnotifies(f->db)) != NULL) {
		on_notice(f, n->extra);
		PQfreemem(n);
	}
}

/* ---- catching up ----------------------------------------------------------- */

static void resync(struct pg_follow *f)
{
	atomic_fetch_add(&f->resyncs, 1);
	tell(f, "*", 0, 0, "resync");
}

/* Tells what may have changed while nobody listened, since event `since`
 * (-1: unknown, so everything). Uses f's connection; *n_articles gets how
 * many articles were replayed (-1: everything was read again). */
static enum hh_rc catch_up(struct pg_follow *f, int64_t since, int *n_articles)
{
	enum hh_rc rc = HH_OK;
	*n_articles = -1;
	if (since < 0) {
		resync(f);
	} else {
		/* one row per article, in the order of its newest event */
		char from[32], limit[32];
		snprintf(from, sizeof(from), "%lld",
			 (long long)(since - CATCHUP_MARGIN));
		snprintf(limit, sizeof(limit), "%d", f->catchup_max + 1);
		const char *v[2] = { from, limit };
		PGresult *r = PQexecParams(
			f->db,
			"SELECT entity_id, coalesce(max(organisation_id), 0), "
			"max(id) FROM events WHERE id > $1::bigint AND "
			"entity = 'article' GROUP BY entity_id ORDER BY 3 "
			"LIMIT $2::bigint",
			2, NULL, v, NULL, NULL, 0);
		rc = q_ok(f->db, r, "reading the event log");
		if (rc == HH_OK) {
			int n = PQntuples(r);
			if (n > f->catchup_max) {
				resync(f);
			} else {
				for (int i = 0; i < n; i++)
					tell(f, "article", g_int(r, i, 0),
					     g_int(r, i, 1), "update");
				atomic_fetch_add(&f->replayed, n);
				*n_articles = n;
			}
		}
		PQclear(r);
		if (rc != HH_OK)
			return rc;
	}
	/* read whole on any change, and without events of their own */
	static const char *const kinds[] = { "life_event", "case_type",
					     "synonym", "pin", "organisation" };
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		tell(f, kinds[i], 0, 0, "update");
	/* the requests waiting on an open chat read it again */
	PGresult *r = PQexec(f->db, "SELECT id, organisation_id FROM chats "
				    "WHERE state <> 'closed'");
	rc = q_ok(f->db, r, "reading the open chats");
	for (int i = 0; rc == HH_OK && i < PQntuples(r); i++)
		tell(f, "chat", g_int(r, i, 0), g_int(r, i, 1), "update");
	PQclear(r);
	return rc;
}

/* ---- the thread -------------------------------------------------------------- */

/* Waits ms, or less when stopped; returns 1 when stopping. */
static int pause_ms(struct pg_follow *f, int ms)
{
	struct pollfd p = { .fd = f->wake[0], .events = POLLIN };
	poll(&p, 1, ms);
	return atomic_load(&f->stopping);
}

/* Connects (again) and catches up; returns OK when listening. */
static enum hh_rc reconnect(struct pg_follow *f)
{
	int64_t mark = 0;
	enum hh_rc rc = listen_open(f, &mark);
	if (rc != HH_OK)
		return rc;
	int n = 0;
	rc = catch_up(f, f->mark, &n);
	if (rc != HH_OK) {
		lose(f, "catching up failed");
		return rc;
	}
	f->mark = mark;
	atomic_store(&f->ok, 1);
	atomic_fetch_add(&f->reconnects, 1);
	drain(f); /* what came in with the answers */
	if (n >= 0)
		hh_log(HH_LOG_INFO,
		       "postgres listener: listening again after %.1f s; "
		       "caught up on %d articles from the event log",
		       (double)(hh_mono_us() - f->lost_us) / 1e6, n);
	else
		hh_log(HH_LOG_INFO,
		       "postgres listener: listening again after %.1f s; far "
		       "behind, so everything was read again",
		       (double)(hh_mono_us() - f->lost_us) / 1e6);
	return HH_OK;
}

static void *run(void *arg)
{
	struct pg_follow *f = arg;
	int backoff = BACKOFF_MIN_MS;
	/* what arrived between hh_pg_follow_prepare and now */
	if (f->db) {
		if (PQconsumeInput(f->db))
			drain(f);
		else
			lose(f, PQerrorMessage(f->db));
	}
	while (!atomic_load(&f->stopping)) {
		if (!f->db) {
			if (reconnect(f) != HH_OK) {
				if (pause_ms(f, backoff))
					break;
				backoff = backoff * 2 > BACKOFF_MAX_MS
						  ? BACKOFF_MAX_MS
						  : backoff * 2;
				continue;
			}
			backoff = BACKOFF_MIN_MS;
		}
		struct pollfd p[2] = {
			{ .fd = PQsocket(f->db), .events = POLLIN },
			{ .fd = f->wake[0], .events = POLLIN },
		};
		int n = poll(p, 2, 1000);
		if (n < 0 && errno != EINTR) {
			lose(f, "poll failed");
			continue;
		}
		if (p[1].revents)
			break;
		if (p[0].revents) {
			if (!PQconsumeInput(f->db)) {
				lose(f, PQerrorMessage(f->db));
				continue;
			}
			drain(f);
		}
		if (hh_mono_us() - f->mark_read_us >= MARK_EVERY_US) {
			int64_t mark;
			if (read_mark(f, &mark) != HH_OK) {
				lose(f, "reading the newest event failed");
				continue;
			}
			f->mark = mark;
			drain(f); /* what came with the answer */
		}
	}
	return NULL;
}

/* ---- the interface ---------------------------------------------------------- */

static struct pg *pg_store(struct hh_store *st)
{
	return st && st->name && !strcmp(st->name, "postgres") ? st->cls : NULL;
}

enum hh_rc hh_pg_follow_prepare(struct hh_store *st)
{
	struct pg *s = pg_store(st);
	if (!s || s->follow)
		return HH_OK;
	struct pg_follow *f = hh_xcalloc(1, sizeof(*f));
	f->s = s;
	f->mark = -1;
	f->catchup_max = CATCHUP_MAX_DEFAULT;
	const char *env = getenv("HELHED_PG_CATCHUP_MAX");
	if (env && *env && atoi(env) >= 0)
		f->catchup_max = atoi(env);
	if (pipe2(f->wake, O_CLOEXEC | O_NONBLOCK) != 0) {
		free(f);
		return HH_ERR_IO;
	}
	f->lost_us = hh_mono_us();
	int64_t mark = 0;
	if (listen_open(f, &mark) == HH_OK) {
		f->mark = mark;
		atomic_store(&f->ok, 1);
	} else {
		/* the thread connects; what was missed is read again */
		hh_log(HH_LOG_WARN, "postgres listener: cannot connect yet; "
				    "trying again");
	}
	s->follow = f;
	return HH_OK;
}

enum hh_rc hh_pg_follow_start(struct hh_store *st)
{
	struct pg *s = pg_store(st);
	if (!s)
		return HH_OK;
	if (!s->follow) {
		enum hh_rc rc = hh_pg_follow_prepare(st);
		if (rc != HH_OK)
			return rc;
	}
	struct pg_follow *f = s->follow;
	if (f->started || atomic_load(&f->stopping))
		return HH_OK;
	if (pthread_create(&f->thread, NULL, run, f) != 0)
		return HH_ERR_INTERNAL;
	f->started = 1;
	return HH_OK;
}

/* Ends the thread and the connection; f stays (requests may still ask
 * hh_pg_follow_ok until the server has stopped), freed with the store. */
static void follow_end(struct pg_follow *f)
{
	atomic_store(&f->stopping, 1);
	if (f->started) {
		ssize_t w = write(f->wake[1], "x", 1);
		(void)w; /* the flag stops it within a second anyway */
		pthread_join(f->thread, NULL);
		f->started = 0;
	}
	if (f->db)
		PQfinish(f->db);
	f->db = NULL;
	atomic_store(&f->ok, 0);
}

void hh_pg_follow_free(struct pg *s)
{
	struct pg_follow *f = s->follow;
	if (!f)
		return;
	follow_end(f);
	close(f->wake[0]);
	close(f->wake[1]);
	free(f);
	s->follow = NULL;
}

void hh_pg_follow_stop(struct hh_store *st)
{
	struct pg *s = pg_store(st);
	if (s && s->follow)
		follow_end(s->follow);
}

int hh_pg_follow_ok(struct hh_store *st)
{
	struct pg *s = pg_store(st);
	if (!s || !s->follow)
		return 1;
	return atomic_load(&s->follow->ok);
}

void hh_pg_follow_stats(struct hh_store *st, struct hh_pg_follow_stats *out)
{
	memset(out, 0, sizeof(*out));
	struct pg *s = pg_store(st);
	if (!s || !s->follow)
		return;
	struct pg_follow *f = s->follow;
	out->listening = atomic_load(&f->ok);
	out->told = atomic_load(&f->told);
	out->own = atomic_load(&f->own);
	out->replayed = atomic_load(&f->replayed);
	out->resyncs = atomic_load(&f->resyncs);
	out->reconnects = atomic_load(&f->reconnects);
}
