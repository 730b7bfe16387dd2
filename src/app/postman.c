/* postman.c - the Digital Post worker of `helhed serve` (see postman.h). */
#include "app/postman.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/dktime.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/messages.h"
#include "domain/parties.h"
#include "post/spool.h"

struct hh_postman {
	struct hh_postman_config cfg;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int kicked;
	atomic_int stopping;
	char printed_day[11]; /* the last day the print batch ran */
	char held_day[11];    /* the day whose run skipped organisations
				 another run held: tried again each minute */
	int64_t held_at;      /* when that run was */
	int64_t parties_at;   /* when invitations last expired (p-parties) */
};

static void on_change(void *cls, const struct hh_change *c)
{
	if (!strcmp(c->entity, "message") && !strcmp(c->action, "queue"))
		hh_postman_kick(cls);
}

void hh_postman_kick(struct hh_postman *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->kicked = 1;
	pthread_cond_signal(&p->wake);
	pthread_mutex_unlock(&p->lock);
}

/* The day's print batch, once a day at the set time (also on the first
 * pass after a start past that time: a second run of a day prints only
 * what came since). Every instance runs it; the letters are claimed, so
 * each is printed by one of them (domain/messages.h). */
static void maybe_print(struct hh_postman *p, int64_t now)
{
	if (p->cfg.print_minute < 0 || !p->cfg.print_dir)
		return;
	int64_t local = hh_dk_local(now);
	int minute = (int)((local % 86400) / 60);
	time_t lt = (time_t)local;
	struct tm tm;
	gmtime_r(&lt, &tm);
	char day[11];
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	if (minute < p->cfg.print_minute || !strcmp(day, p->printed_day))
		return;
	struct hh_print_stats s;
	int held = !strcmp(day, p->held_day);
	/* held: once a minute, not every pass (review of pg-claim: a run
	 * that died holds its letters for the print lease, an hour, and
	 * every instance asking each second only adds write transactions) */
	if (held && now - p->held_at < 60)
		return;
	enum hh_rc rc = held ? hh_messages_print_batch_held(p->cfg.store,
							    p->cfg.print_dir,
							    day, now, &s)
			     : hh_messages_print_batch(p->cfg.store,
						       p->cfg.print_dir, day,
						       now, &s);
	if (rc != HH_OK) {
		hh_log(HH_LOG_ERROR, "print batch %s failed (%s); trying again "
		       "next pass", day, hh_rc_name(rc));
		return;
	}
	/* another run (another instance's, or one that died) holds some
	 * organisation's letters: try those again each pass until they
	 * have a batch of the day, so that a run that died is taken over
	 * as soon as its claim runs out */
	if (s.busy) {
		memcpy(p->held_day, day, sizeof(day));
		p->held_at = now;
		return;
	}
	memcpy(p->printed_day, day, sizeof(day));
}

static void *run(void *arg)
{
	struct hh_postman *p = arg;
	for (;;) {
		int64_t now;
		struct hh_deliver_stats s;
		enum hh_rc rc;
		/* a full batch may mean more are due: go on at once. The time
		 * is read again for each pass: its claims' lease runs from it,
		 * and a long catch-up must not claim with a lease that began
		 * minutes ago (review of pg-claim) */
		do {
			now = hh_now_us() / 1000000;
			rc = hh_messages_deliver(p->cfg.store, p->cfg.transport,
						 now, p->cfg.batch, &s);
		} while (rc == HH_OK &&
			 s.sent + s.to_print + s.errors + s.retried + s.failed +
					 s.stale >= p->cfg.batch &&
			 !atomic_load(&p->stopping));
		/* busy: the pass's claim or a record ran out of retries
		 * (on SQLite, another instance's write; on PostgreSQL
		 * claims skip each other, so a deadlock or a record's
		 * serialization failure); the next pass goes on */
		if (rc == HH_ERR_BUSY)
			hh_log(HH_LOG_INFO, "delivery pass: busy, again next pass");
		else if (rc != HH_OK)
			hh_log(HH_LOG_WARN, "delivery pass: %s", hh_rc_name(rc));
		now = hh_now_us() / 1000000;
		rc = hh_messages_receipts(p->cfg.store, p->cfg.transport, now, NULL);
		if (rc != HH_OK)
			hh_log(HH_LOG_WARN, "receipts: %s", hh_rc_name(rc));
		maybe_print(p, now);
		/* p-parties (issue 16): invitations not answered in time close
		 * their cases, once a minute (reads apply it too; from
		 * expires_at in the store, so a restart loses nothing) */
		if (now - p->parties_at >= 60) {
			p->parties_at = now;
			rc = hh_parties_expire(p->cfg.store, now, 0, NULL);
			if (rc != HH_OK)
				hh_log(HH_LOG_WARN, "party expiry pass: %s", hh_rc_name(rc));
		}

		pthread_mutex_lock(&p->lock);
		if (!p->kicked && !atomic_load(&p->stopping)) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_sec += 1;
			pthread_cond_timedwait(&p->wake, &p->lock, &ts);
		}
		int stop = atomic_load(&p->stopping);
		p->kicked = 0;
		pthread_mutex_unlock(&p->lock);
		if (stop)
			return NULL;
	}
}

enum hh_rc hh_postman_start(const struct hh_postman_config *cfg,
			    struct hh_postman **out)
{
	struct hh_postman *p = hh_xcalloc(1, sizeof(*p));
	p->cfg = *cfg;
	if (p->cfg.batch < 1)
		p->cfg.batch = 200;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->wake, NULL);
	enum hh_rc rc = hh_store_subscribe(cfg->store, on_change, p);
	if (rc != HH_OK)
		goto fail;
	if (pthread_create(&p->thread, NULL, run, p) != 0) {
		hh_store_unsubscribe(cfg->store, on_change, p);
		rc = HH_ERR_INTERNAL;
		goto fail;
	}
	*out = p;
	return HH_OK;
fail:
	pthread_cond_destroy(&p->wake);
	pthread_mutex_destroy(&p->lock);
	free(p);
	return rc;
}

int hh_postman_ready(struct hh_postman *p, char *reason)
{
	if (!p)
		return 1;
	struct hh_transport *t = p->cfg.transport;
	return t->ready(t->cls, reason);
}

const char *hh_postman_spool_dir(struct hh_postman *p)
{
	const char *d = p ? hh_spool_dir(p->cfg.transport) : NULL;
	return d ? d : "";
}

void hh_postman_stop(struct hh_postman *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	atomic_store(&p->stopping, 1);
	pthread_cond_signal(&p->wake);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	hh_store_unsubscribe(p->cfg.store, on_change, p);
	pthread_cond_destroy(&p->wake);
	pthread_mutex_destroy(&p->lock);
	free(p);
}
