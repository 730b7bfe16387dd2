/* caseread.h - reading one case: for its citizen or for staff of the
 * organisation that has it, with its history.
 *
 * One function for both doors and both audiences. The access table
 * decides who may read (domain/access.h): a citizen their own cases,
 * staff who work cases those of their organisation. Anyone else gets
 * NOT_FOUND (the case is not theirs to know of), or FORBIDDEN when their
 * role reads no cases at all. A staff read of a citizen's case is written
 * to the audit log; a citizen never sees internal notes. */
#ifndef HH_DOMAIN_CASEREAD_H
#define HH_DOMAIN_CASEREAD_H

#include <jansson.h>

#include "core/arena.h"
#include "domain/actor.h"
#include "domain/casetype.h"
#include "store/store.h"

/* One event of a case's history. Strings and after_json live as long as
 * the arena. */
struct hh_case_event {
	int64_t at;          /* epoch seconds */
	const char *actor;   /* "user:3", "token:1", "citizen:5" */
	const char *action;  /* submit, followup, transition, assign, note,
				request, answer */
	const char *before, *after; /* JSON text or NULL */
	json_t *after_json;  /* after parsed (borrowed), or NULL */
	int by_citizen;
};

/* A user named in a case's history (who acted, who was assigned). */
struct hh_case_person {
	int64_t user_id;
	const char *name; /* NULL when the user is gone */
};

#define HH_CASE_PEOPLE 64

/* What hh_case_read gives. Everything lives as long as the arena. */
struct hh_case_read {
	struct hh_case c;
	struct hh_case_type type;           /* its case type's row */
	const struct hh_case_type_def *def; /* NULL when it cannot be parsed */
	struct hh_case_event *events;       /* oldest first */
	int n_events;
	const char *question; /* the caseworker's last request, or NULL */
	int for_citizen;      /* read as the case's citizen */
	int may_change;       /* who may also change it (the access table;
				 which transitions is the case type's rule) */
	/* staff: the users named in the history */
	struct hh_case_person people[HH_CASE_PEOPLE];
	int n_people;
	/* the citizen: the case this one follows up (when theirs) and its
	 * plan, with the life event's title and definition */
	struct hh_case *parent;
	const struct hh_case_type_def *parent_def;
	struct hh_plan *plan;
	const char *plan_title;
	json_t *plan_definition; /* borrowed, or NULL */
	/* staff (casework tools): the files uploaded with the case (without
	 * their bytes), the citizen's other cases at the same organisation
	 * (newest first, at most HH_CASE_OTHERS of others_total; their
	 * listing is a second audited read of the citizen's data; without
	 * their data, state_label from their case type), and for
	 * a follow-up the origin it carries in its own data (see
	 * HH_CASE_ORIGIN_KEY in casetools.h; borrowed, or NULL) */
	struct hh_case_file *files;
	int n_files;
	struct hh_case *others;
	int n_others;
	int64_t others_total;
	json_t *origin;
	/* p-parties (issue 16): the other parties to the case, for its
	 * applicant and staff (hh_case_parties_json_tx; borrowed, NULL when
	 * the case has none) */
	json_t *parties;
	/* staff: the case's citizen has name and address protection
	 * (p-letters; the case page says so) */
	int citizen_protected;
};

#define HH_CASE_OTHERS 20
#define HH_CASE_FILES 50

/* Reads case id as who. why: the reason written to the audit log for a
 * staff read ("sagsbehandling" when NULL). Returns NOT_FOUND, FORBIDDEN
 * (see the top of this file), or a store error. */
enum hh_rc hh_case_read(struct hh_store *st, struct hh_arena *a,
			const struct hh_actor *who, int64_t id, const char *why,
			struct hh_case_read *out);

/* The name of user_id among out's people, or NULL. */
const char *hh_case_read_person(const struct hh_case_read *r, int64_t user_id);

#endif
