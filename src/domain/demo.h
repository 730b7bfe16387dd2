/* demo.h - demo data that is made rather than read: a few working days of
 * front-desk inquiries for every demo organisation, so that the agent's
 * desk, the queues and the service figures have something to show on the
 * first start of `helhed serve --demo`.
 *
 * Everything goes through the domain (domain/inquiries.h, domain/cases.h),
 * so each inquiry has its create event, each callback that was made its
 * outcome event, and each case created at the desk its submit event; the
 * same checks apply as at the desk. */
#ifndef HH_DEMO_H
#define HH_DEMO_H

#include <stdio.h>

#include "store/store.h"

struct hh_demo_stats {
	int organisations; /* with inquiries (an organisation needs an agent) */
	int inquiries;
	int outcomes;      /* outcomes changed later (callbacks made) */
	int cases;         /* cases created at the desk */
	int chats;         /* closed chats with a transcript (the chat
			      channel's inquiries that ended) */
	int already;       /* 1: made before, nothing done now */
};

/* Makes the demo inquiries of the last five working days (Monday to
 * Friday, Danish time) up to now, for each organisation that has an agent
 * (a user with the role agent): the channels in the proportions of a
 * Borgerservice (agencies have no counter), topics from the articles the
 * organisation sees and their KLE numbers, the demo citizens (content/
 * citizens.json, already imported) for some and anonymous callers for
 * the rest, about two in three resolved at first contact, transfers to
 * the teams and with the reasons of content_dir/teams.json, cases created
 * (for case types the content has), callbacks promised for today and
 * tomorrow, and written inquiries of the last day still open.
 *
 * Deterministic: a fixed-seed generator, times relative to now (epoch
 * seconds), so the same now gives the same inquiries. Done once per
 * database (the store's meta key "demo_inquiries"): a second call does
 * nothing and sets stats->already. The inquiries are written in one
 * transaction; the cases, made first, one each (hh_case_submit). A
 * refusal by the domain is our bug: reported on errs as what was refused,
 * and its rc returned with nothing of the inquiries written. */
enum hh_rc hh_demo_inquiries(struct hh_store *st, const char *content_dir,
			     int64_t now, FILE *errs,
			     struct hh_demo_stats *stats);

#endif
