/* figfold.c - the fold: the events after the cursor into the figures'
 * facts and daily aggregates, in the transaction that moves the cursor.
 *
 * Each event is read once, in id order (SQLite gives ids in commit
 * order: one writer at a time). What each event changes is written in
 * docs/figures.md; in short:
 *   case submit / followup   a fig_case row; "case" +1 on its day
 *   case, any other event    a new state in `after`: pauses summed, the
 *                            first final state closes it, and a decision
 *                            adds "dec" (n +1, sum + within) on its day
 *   inquiry create           a fig_inquiry row; "inq" +1 on its start day
 *   inquiry outcome          the first non-open outcome: "fcr" (n +1, sum
 *                            + resolved) on the start day; "transferred"
 *                            counts a transfer ("trf"); a promised
 *                            callback "cb" n +1 on its due day, and sum
 *                            +1 there when made by its due time
 *   inquiry transfer-close   result "transferred": an onward transfer
 *   chat rating              the first rating of a chat: "rating"
 *   feedback create          "found" (n +1, sum + found), and per
 *                            article "art_found" (the id as case type)
 * A decision's processing time (seconds) also goes to fig_proc, on the
 * rows its "dec" has: the exact lists medians are read from.
 * Rows are keyed by the organisation the event names.
 *
 * The search log is folded apart from the events (hh_fig_search_fold_tx):
 * a search once it is final (HH_FIG_SEARCH_FINAL_S old), into "srch",
 * "srch_none" and "srch_weak", marked in the log as folded. */
#include "domain/figures_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dktime.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/casetype.h"
#include "domain/cases.h"
#include "domain/figformula.h"

/* what the fold needs of a case type, read once per batch */
struct ct_info {
	char *code;
	int deadline_days;
	char *topic;
	int n_states;
	struct {
		char *key;
		int final, paused;
	} states[HH_CT_STATES];
};

/* An aggregate row's change, summed over the batch and written once at
 * its end: a batch touches few rows many times (the same day, channel
 * and topic), and one upsert per row is what makes the fold fast. */
struct delta {
	int64_t org;
	const char *metric, *channel, *case_type, *topic; /* NULL: '*' */
	int day;
	int64_t n;
	double sum;
	uint64_t hash;
	int used;
	/* metric "proc" (fig_proc, not fig_agg): the processing times, in
	   seconds, of the decisions added to the row */
	int32_t *secs;
	int n_secs, cap_secs;
};

struct fold {
	struct hh_tx *tx;
	struct hh_arena a;
	int64_t last;
	int n;
	struct ct_info cts[32];
	int n_cts;
	struct delta *deltas; /* open addressing, cap a power of two */
	size_t n_deltas, cap;
};

static uint64_t mix(uint64_t h, const char *s)
{
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return (h ^ 0xff) * 1099511628211ull;
}

static int same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* The delta of one aggregate row, made at 0 when new. */
static struct delta *delta_of(struct fold *f, int64_t org, const char *metric,
			      int day, const char *ch, const char *ct,
			      const char *tp)
{
	if (2 * (f->n_deltas + 1) > f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 1024;
		struct delta *d = hh_xcalloc(cap, sizeof(*d));
		for (size_t i = 0; i < f->cap; i++) {
			if (!f->deltas[i].used)
				continue;
			size_t j = f->deltas[i].hash & (cap - 1);
			while (d[j].used)
				j = (j + 1) & (cap - 1);
			d[j] = f->deltas[i];
		}
		free(f->deltas);
		f->deltas = d;
		f->cap = cap;
	}
	uint64_t h = 14695981039346656037ull ^ (uint64_t)org ^ ((uint64_t)day << 20);
	h = mix(mix(mix(mix(h, metric), ch), ct), tp);
	size_t j = h & (f->cap - 1);
	for (;; j = (j + 1) & (f->cap - 1)) {
		struct delta *d = &f->deltas[j];
		if (!d->used) {
			/* the strings outlive the batch: in the fold's arena */
			*d = (struct delta){ .org = org,
					     .metric = metric,
					     .channel = ch ? hh_arena_strdup(&f->a, ch)
							   : NULL,
					     .case_type = ct ? hh_arena_strdup(&f->a, ct)
							     : NULL,
					     .topic = tp ? hh_arena_strdup(&f->a, tp)
							 : NULL,
					     .day = day, .hash = h, .used = 1 };
			f->n_deltas++;
			return d;
		}
		if (d->hash == h && d->org == org && d->day == day &&
		    same(d->metric, metric) && same(d->channel, ch) &&
		    same(d->case_type, ct) && same(d->topic, tp))
			return d;
	}
}

static void delta_add(struct fold *f, int64_t org, const char *metric, int day,
		      const char *ch, const char *ct, const char *tp, int64_t n,
		      double sum, int32_t sec)
{
	struct delta *d = delta_of(f, org, metric, day, ch, ct, tp);
	d->n += n;
	d->sum += sum;
	if (sec < 0)
		return;
	if (d->n_secs == d->cap_secs) {
		d->cap_secs = d->cap_secs ? d->cap_secs * 2 : 8;
		d->secs = hh_xrealloc(d->secs, (size_t)d->cap_secs * sizeof(*d->secs));
	}
	d->secs[d->n_secs++] = sec;
}

static int secs_cmp(const void *x, const void *y)
{
	int32_t a = *(const int32_t *)x, b = *(const int32_t *)y;
	return a < b ? -1 : a > b;
}

static enum hh_rc deltas_write(struct fold *f)
{
	enum hh_rc rc = HH_OK;
	for (size_t i = 0; rc == HH_OK && i < f->cap; i++) {
		struct delta *d = &f->deltas[i];
		if (!d->used)
			continue;
		if (d->n_secs) {
			qsort(d->secs, (size_t)d->n_secs, sizeof(*d->secs), secs_cmp);
			rc = f->tx->store->fig_proc_add(f->tx, d->org, d->day,
							d->channel, d->case_type,
							d->topic, d->secs, d->n_secs);
		} else if (d->n || d->sum) {
			rc = f->tx->store->fig_agg_add(f->tx, d->org, d->metric,
						       d->day, d->channel,
						       d->case_type, d->topic, d->n,
						       d->sum);
		}
	}
	return rc;
}

static void deltas_free(struct fold *f)
{
	for (size_t i = 0; i < f->cap; i++)
		free(f->deltas[i].secs);
	free(f->deltas);
	f->deltas = NULL;
	f->cap = f->n_deltas = 0;
}

/* Adds n and sum to the aggregate rows of the event: its own channel,
 * case type and topic, and "all" ('*', NULL here) for each of them, the
 * topic both as its KLE main group and to its second level. */
static enum hh_rc agg_sec(struct fold *f, int64_t org, const char *metric,
			  int day, const char *channel, const char *case_type,
			  const char *topic, int64_t n, double sum, int32_t sec)
{
	char t2[3] = "", t5[6] = "";
	if (topic && strlen(topic) >= 2) {
		memcpy(t2, topic, 2);
		/* to the KLE's second level: "02.34.05" -> "02.34" */
		strncpy(t5, topic, 5);
		t5[5] = 0;
	}
	const char *chs[2] = { NULL, channel && *channel ? channel : NULL };
	const char *cts[2] = { NULL, case_type && *case_type ? case_type : NULL };
	const char *tps[3] = { NULL, *t2 ? t2 : NULL,
			       strlen(t5) == 5 ? t5 : NULL };
	for (int c = 0; c < 2; c++)
		for (int k = 0; k < 2; k++)
			for (int t = 0; t < 3; t++) {
				if ((c && !chs[c]) || (k && !cts[k]) || (t && !tps[t]))
					continue;
				delta_add(f, org, metric, day, chs[c], cts[k], tps[t], n,
					  sum, sec);
			}
	return HH_OK;
}

static enum hh_rc agg(struct fold *f, int64_t org, const char *metric,
		      int day, const char *channel, const char *case_type,
		      const char *topic, int64_t n, double sum)
{
	return agg_sec(f, org, metric, day, channel, case_type, topic, n, sum, -1);
}

/* A decision's processing time into fig_proc ("proc"), on the rows
 * fig_agg's "dec" has. */
static enum hh_rc agg_proc(struct fold *f, const struct hh_fig_case_fact *k)
{
	int64_t secs = hh_fig_proc_seconds(k->submitted_at, k->paused_s,
					   k->closed_at);
	return agg_sec(f, k->org_id, "proc", k->decided_day, k->channel,
		       k->case_type, k->topic, 1, 0,
		       secs > INT32_MAX ? INT32_MAX : (int32_t)secs);
}

/* A decision: "dec" (n +1, sum + within) in fig_agg, and its processing
 * time in fig_proc. */
static enum hh_rc agg_decision(struct fold *f, const struct hh_fig_case_fact *k)
{
	enum hh_rc rc = agg(f, k->org_id, "dec", k->decided_day, k->channel,
			    k->case_type, k->topic, 1, k->within);
	return rc == HH_OK ? agg_proc(f, k) : rc;
}

static const struct ct_info *ct_get(struct fold *f, const char *code)
{
	for (int i = 0; i < f->n_cts; i++)
		if (!strcmp(f->cts[i].code, code))
			return &f->cts[i];
	if (f->n_cts == (int)(sizeof(f->cts) / sizeof(f->cts[0])))
		return NULL;
	struct hh_case_type row;
	struct hh_case_type_def def;
	if (hh_case_type_load(f->tx, &f->a, code, 0, &row, &def) != HH_OK)
		return NULL;
	struct ct_info *c = &f->cts[f->n_cts++];
	memset(c, 0, sizeof(*c));
	c->code = hh_arena_strdup(&f->a, code);
	c->deadline_days = (int)((def.deadline_s + 86399) / 86400);
	c->topic = hh_arena_strdup(&f->a, def.kle ? def.kle : "");
	for (int i = 0; i < def.n_states && i < HH_CT_STATES; i++) {
		c->states[i].key = hh_arena_strdup(&f->a, def.states[i].key);
		c->states[i].final = def.states[i].final;
		c->states[i].paused = def.states[i].paused;
	}
	c->n_states = def.n_states;
	hh_case_type_def_clear(&def);
	return c;
}

static void state_flags(const struct ct_info *c, const char *state, int *final,
			int *paused)
{
	*final = *paused = 0;
	for (int i = 0; c && i < c->n_states; i++)
		if (!strcmp(c->states[i].key, state)) {
			*final = c->states[i].final;
			*paused = c->states[i].paused;
		}
}

static const char *jstr(json_t *j, const char *key)
{
	return json_string_value(json_object_get(j, key));
}

static int64_t jtime(json_t *j, const char *key)
{
	const char *s = jstr(j, key);
	int64_t t;
	return s && hh_iso8601_parse(s, &t) ? t : 0;
}

/* ---- cases ------------------------------------------------------------ */

static enum hh_rc case_new(struct fold *f, const struct hh_event *e, json_t *after)
{
	const char *code = jstr(after, "case_type");
	if (!code) {
		/* a follow-up's event does not name its type: the case row
		 * does (a case's type never changes) */
		struct hh_case k;
		enum hh_rc rc = f->tx->store->case_get(f->tx, &f->a, e->entity_id, &k);
		if (rc == HH_ERR_NOT_FOUND)
			return HH_OK;
		if (rc != HH_OK)
			return rc;
		code = k.case_type_code;
	}
	if (!code)
		return HH_OK;
	const struct ct_info *c = ct_get(f, code);
	int64_t at = e->at_us / 1000000;
	const char *state = jstr(after, "state");
	struct hh_fig_case_fact k = {
		.id = e->entity_id, .org_id = e->org_id, .case_type = code,
		.channel = hh_fig_case_channel(e->actor, e->action),
		.topic = c ? c->topic : "", .submitted_at = at,
		.day = hh_fig_day(at), .state = state ? state : "",
		.deadline_days = c ? c->deadline_days : 0,
	};
	int final, paused;
	state_flags(c, k.state, &final, &paused);
	if (paused)
		k.paused_since = at;
	enum hh_rc rc = f->tx->store->fig_case_put(f->tx, &k);
	if (rc == HH_OK)
		rc = agg(f, k.org_id, "case", k.day, k.channel, k.case_type,
			 k.topic, 1, 0);
	return rc;
}

static enum hh_rc case_change(struct fold *f, const struct hh_event *e,
			      json_t *after)
{
	const char *to = jstr(after, "state");
	if (!to)
		return HH_OK;
	struct hh_fig_case_fact k;
	enum hh_rc rc = f->tx->store->fig_case_get(f->tx, &f->a, e->entity_id, &k);
	if (rc == HH_ERR_NOT_FOUND)
		return HH_OK; /* a case from before its events were kept */
	if (rc != HH_OK || !strcmp(k.state, to))
		return rc;
	const struct ct_info *c = ct_get(f, k.case_type);
	int64_t at = e->at_us / 1000000;
	int was_final, was_paused, final, paused;
	state_flags(c, k.state, &was_final, &was_paused);
	state_flags(c, to, &final, &paused);
	if (k.paused_since && !paused) {
		k.paused_s += at - k.paused_since;
		k.paused_since = 0;
	}
	if (paused && !k.paused_since)
		k.paused_since = at;
	k.state = hh_arena_strdup(&f->a, to);
	int decided_now = 0;
	if (final && !k.closed_at) {
		k.closed_at = at;
		if (hh_fig_is_decision(to)) {
			decided_now = 1;
			k.decided = 1;
			k.decided_day = hh_fig_day(at);
			k.proc_days = hh_fig_proc_days(k.submitted_at, k.paused_s, at);
			/* closed_at is the decision's time: fig_proc's seconds
			 * are computed from it (agg_decision) */
			k.within = hh_fig_within(k.submitted_at, k.deadline_days,
						 k.paused_s, at);
			k.deadline_day = hh_fig_day(hh_fig_deadline_end(
				k.submitted_at, k.deadline_days, k.paused_s) - 1);
		}
	}
	rc = f->tx->store->fig_case_put(f->tx, &k);
	if (rc == HH_OK && decided_now)
		rc = agg_decision(f, &k);
	return rc;
}

/* ---- inquiries -------------------------------------------------------- */

static enum hh_rc outcome_set(struct fold *f, struct hh_fig_inquiry_fact *q,
			      const char *to, json_t *after, int64_t at)
{
	enum hh_rc rc = HH_OK;
	const char *from = q->outcome;
	/* a promised callback is made when its outcome changes */
	if (from && !strcmp(from, "callback_promised") && q->callback_due_at &&
	    q->callback_kept < 0) {
		q->callback_kept = at <= q->callback_due_at;
		if (q->callback_kept)
			rc = agg(f, q->org_id, "cb", q->callback_day, q->channel, "",
				 q->topic, 0, 1);
	}
	if (rc == HH_OK && strcmp(to, "open") && !q->first_outcome) {
		q->first_outcome = hh_arena_strdup(&f->a, to);
		rc = agg(f, q->org_id, "fcr", q->day, q->channel, "", q->topic, 1,
			 !strcmp(to, "resolved_first_contact"));
	}
	if (rc == HH_OK && !strcmp(to, "transferred")) {
		q->transfers++;
		rc = agg(f, q->org_id, "trf", q->day, q->channel, "", q->topic, 0, 1);
	}
	if (rc == HH_OK && !strcmp(to, "callback_promised")) {
		int64_t due = jtime(after, "callback_due_at");
		if (due) {
			q->callback_due_at = due;
			q->callback_day = hh_fig_day(due);
			q->callback_kept = -1;
			rc = agg(f, q->org_id, "cb", q->callback_day, q->channel, "",
				 q->topic, 1, 0);
		}
	}
	q->outcome = hh_arena_strdup(&f->a, to);
	return rc;
}

static enum hh_rc inquiry_event(struct fold *f, const struct hh_event *e,
				json_t *after)
{
	int64_t at = e->at_us / 1000000;
	enum hh_rc rc;
	if (!strcmp(e->action, "create")) {
		const char *ch = jstr(after, "channel");
		int64_t started = jtime(after, "started_at");
		if (!started)
			started = at;
		const char *kle = jstr(after, "kle");
		struct hh_fig_inquiry_fact q = {
			.id = e->entity_id, .org_id = e->org_id,
			.channel = ch ? ch : "", .started_at = started,
			.day = hh_fig_day(started), .topic = kle ? kle : "",
			.article_id = json_integer_value(json_object_get(after,
									  "article_id")),
			.outcome = "open", .callback_kept = -1,
		};
		rc = agg(f, q.org_id, "inq", q.day, q.channel, "", q.topic, 1, 0);
		const char *o = jstr(after, "outcome");
		if (rc == HH_OK && o && strcmp(o, "open"))
			rc = outcome_set(f, &q, o, after, at);
		if (rc == HH_OK)
			rc = f->tx->store->fig_inquiry_put(f->tx, &q);
		return rc;
	}
	struct hh_fig_inquiry_fact q;
	rc = f->tx->store->fig_inquiry_get(f->tx, &f->a, e->entity_id, &q);
	if (rc == HH_ERR_NOT_FOUND)
		return HH_OK;
	if (rc != HH_OK)
		return rc;
	int changed = 0;
	if (!strcmp(e->action, "transfer-close")) {
		/* a transfer onwards: the receiver passed it on */
		const char *r = jstr(after, "result");
		if (r && !strcmp(r, "transferred")) {
			q.transfers++;
			changed = 1;
			rc = agg(f, q.org_id, "trf", q.day, q.channel, "", q.topic, 0, 1);
		}
	} else if (!strncmp(e->action, "transfer", 8)) {
		return HH_OK;
	} else {
		const char *o = jstr(after, "outcome");
		if (o && strcmp(o, q.outcome)) {
			rc = outcome_set(f, &q, o, after, at);
			changed = 1;
		}
		json_int_t art = json_integer_value(json_object_get(after, "article_id"));
		if (json_object_get(after, "outcome") && art != q.article_id) {
			q.article_id = art;
			changed = 1;
		}
	}
	if (rc == HH_OK && changed)
		rc = f->tx->store->fig_inquiry_put(f->tx, &q);
	return rc;
}

/* ---- chats and feedback ----------------------------------------------- */

static enum hh_rc chat_event(struct fold *f, const struct hh_event *e,
			     json_t *after)
{
	if (strcmp(e->action, "rating"))
		return HH_OK;
	json_int_t r = json_integer_value(json_object_get(after, "rating"));
	if (r < 1 || r > 5)
		return HH_OK;
	int day = hh_fig_day(e->at_us / 1000000), inserted = 0;
	/* the first rating counts: the domain refuses a second one */
	enum hh_rc rc = f->tx->store->fig_chat_put(f->tx, e->entity_id, e->org_id,
						   day, (int)r, &inserted);
	if (rc == HH_OK && inserted)
		rc = agg(f, e->org_id, "rating", day, "chat", "", "", 1, (double)r);
	return rc;
}

static enum hh_rc feedback_event(struct fold *f, const struct hh_event *e,
				 json_t *after)
{
	if (strcmp(e->action, "create"))
		return HH_OK;
	json_t *found = json_object_get(after, "found");
	if (!json_is_boolean(found))
		return HH_OK;
	const char *page = jstr(after, "page");
	const char *kle = jstr(after, "kle");
	int day = hh_fig_day(e->at_us / 1000000), inserted = 0;
	int yes = json_is_true(found);
	enum hh_rc rc = f->tx->store->fig_feedback_put(
		f->tx, e->entity_id, e->org_id, day, yes, page ? page : "",
		json_integer_value(json_object_get(after, "article_id")),
		kle ? kle : "", &inserted);
	if (rc == HH_OK && inserted)
		rc = agg(f, e->org_id, "found", day, page ? page : "", "", kle, 1, yes);
	json_int_t art = json_integer_value(json_object_get(after, "article_id"));
	if (rc == HH_OK && inserted && art) {
		/* per article: "art_found" with the article's id where the
		 * case type would be, for every topic row as agg() makes them
		 * (never the row of all articles: "found" is that) */
		char key[24], t2[3] = "", t5[6] = "";
		snprintf(key, sizeof(key), "%lld", (long long)art);
		if (kle && strlen(kle) >= 2) {
			memcpy(t2, kle, 2);
			strncpy(t5, kle, 5);
			t5[5] = 0;
		}
		const char *tps[3] = { NULL, *t2 ? t2 : NULL,
				       strlen(t5) == 5 ? t5 : NULL };
		for (int t = 0; t < 3; t++)
			if (!t || tps[t])
				delta_add(f, e->org_id, "art_found", day, NULL, key,
					  tps[t], 1, yes, -1);
	}
	return rc;
}

static enum hh_rc on_event(void *p, const struct hh_event *e)
{
	struct fold *f = p;
	f->last = e->id;
	f->n++;
	if (!e->entity || !e->action)
		return HH_OK;
	int is_case = !strcmp(e->entity, "case");
	int is_inq = !strcmp(e->entity, "inquiry");
	int is_chat = !strcmp(e->entity, "chat");
	int is_fb = !strcmp(e->entity, "feedback");
	if (!is_case && !is_inq && !is_chat && !is_fb)
		return HH_OK;
	json_t *after = e->after ? json_loads(e->after, 0, NULL) : NULL;
	if (!after)
		return HH_OK; /* nothing to fold: a note without state */
	enum hh_rc rc;
	if (is_case)
		rc = !strcmp(e->action, "submit") || !strcmp(e->action, "followup")
			     ? case_new(f, e, after)
			     : case_change(f, e, after);
	else if (is_inq)
		rc = inquiry_event(f, e, after);
	else if (is_chat)
		rc = chat_event(f, e, after);
	else
		rc = feedback_event(f, e, after);
	json_decref(after);
	/* strings read for this event are not needed after it */
	return rc;
}

enum hh_rc hh_fig_cursor(struct hh_tx *tx, int64_t *cursor)
{
	struct hh_arena a;
	hh_arena_init(&a);
	const char *v = NULL;
	enum hh_rc rc = tx->store->meta_get(tx, &a, HH_FIG_CURSOR_KEY, &v);
	*cursor = rc == HH_OK && v ? strtoll(v, NULL, 10) : 0;
	hh_arena_clear(&a);
	return rc;
}

enum hh_rc hh_fig_fold_tx(struct hh_tx *tx, int *folded)
{
	struct fold *f = hh_xcalloc(1, sizeof(*f));
	f->tx = tx;
	hh_arena_init(&f->a);
	*folded = 0;
	enum hh_rc rc = hh_fig_cursor(tx, &f->last);
	if (rc == HH_OK)
		rc = tx->store->fig_events(tx, &f->a, f->last, HH_FIG_BATCH,
					   on_event, f);
	if (rc == HH_OK)
		rc = deltas_write(f);
	if (rc == HH_OK && f->n) {
		char v[24];
		snprintf(v, sizeof(v), "%lld", (long long)f->last);
		rc = tx->store->meta_set(tx, HH_FIG_CURSOR_KEY, v);
	}
	*folded = f->n;
	hh_arena_clear(&f->a);
	deltas_free(f);
	free(f);
	return rc;
}

/* ---- fig-hist: the search log and fig_proc's first rows ----------------- */

enum hh_rc hh_fig_meta_int(struct hh_tx *tx, const char *key, int64_t *out)
{
	struct hh_arena a;
	hh_arena_init(&a);
	const char *v = NULL;
	enum hh_rc rc = tx->store->meta_get(tx, &a, key, &v);
	if (rc == HH_ERR_NOT_FOUND) {
		rc = HH_OK;
		v = NULL;
	}
	*out = rc == HH_OK && v ? strtoll(v, NULL, 10) : -1;
	hh_arena_clear(&a);
	return rc;
}

static enum hh_rc meta_put_int(struct hh_tx *tx, const char *key, int64_t v)
{
	char s[24];
	snprintf(s, sizeof(s), "%lld", (long long)v);
	return tx->store->meta_set(tx, key, s);
}

struct search_fold {
	struct fold *f;
	int64_t *ids; /* the searches counted, marked at the end */
	int n, cap;
};

static enum hh_rc search_row(void *p, const struct hh_fig_search_row *r)
{
	struct search_fold *s = p;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 1024;
		s->ids = hh_xrealloc(s->ids, (size_t)s->cap * sizeof(*s->ids));
	}
	s->ids[s->n++] = r->id;
	if (!r->org_id)
		return HH_OK; /* made without a municipality: in no figure */
	int day = hh_fig_day(r->at);
	enum hh_rc rc = agg(s->f, r->org_id, "srch", day, NULL, NULL, NULL, 1,
			    r->success);
	if (rc == HH_OK)
		rc = agg(s->f, r->org_id, "srch_none", day, NULL, NULL, NULL, 1,
			 r->no_result);
	if (rc == HH_OK)
		rc = agg(s->f, r->org_id, "srch_weak", day, NULL, NULL, NULL, 1,
			 r->weak);
	return rc;
}

enum hh_rc hh_fig_search_fold_tx(struct hh_tx *tx, int64_t now, int *folded)
{
	struct fold *f = hh_xcalloc(1, sizeof(*f));
	f->tx = tx;
	hh_arena_init(&f->a);
	struct search_fold s = { .f = f };
	*folded = 0;
	/* read first, mark after: the rows are not changed under the
	 * statement that reads them */
	enum hh_rc rc = tx->store->fig_search_rows(tx, now - HH_FIG_SEARCH_FINAL_S,
						   HH_FIG_SEARCH_BATCH, search_row,
						   &s);
	if (rc == HH_OK)
		rc = deltas_write(f);
	if (rc == HH_OK)
		rc = tx->store->fig_search_mark(tx, s.ids, s.n);
	*folded = s.n;
	free(s.ids);
	hh_arena_clear(&f->a);
	deltas_free(f);
	free(f);
	return rc;
}

static enum hh_rc backfill_case(void *p, const struct hh_fig_case_fact *k)
{
	/* fig_agg has its "dec" already: only the processing time */
	return agg_proc(p, k);
}

enum hh_rc hh_fig_proc_backfill_tx(struct hh_tx *tx)
{
	int64_t done_already, cursor;
	enum hh_rc rc = hh_fig_meta_int(tx, HH_FIG_PROC_KEY, &done_already);
	if (rc != HH_OK || done_already > 0)
		return rc;
	rc = hh_fig_cursor(tx, &cursor);
	struct fold *f = hh_xcalloc(1, sizeof(*f));
	f->tx = tx;
	hh_arena_init(&f->a);
	struct hh_fig_orgs orgs = { .a = &f->a };
	if (rc == HH_OK && cursor > 0)
		rc = tx->store->org_list(tx, &f->a, hh_fig_org_row, &orgs);
	/* every decision folded so far, as the fold would have added it
	 * (org 0 too: an event without an organisation is folded as one) */
	for (int i = -1; rc == HH_OK && cursor > 0 && i < orgs.n; i++) {
		struct hh_fig_filter all = { .org_id = i < 0 ? 0 : orgs.o[i].id,
					     .from_day = 0, .to_day = 99991231 };
		rc = tx->store->fig_case_list(tx, &f->a, &all, 1, 0, 0,
					      backfill_case, f);
	}
	if (rc == HH_OK)
		rc = deltas_write(f);
	if (rc == HH_OK)
		rc = meta_put_int(tx, HH_FIG_PROC_KEY, 1);
	hh_arena_clear(&f->a);
	deltas_free(f);
	free(f);
	return rc;
}
