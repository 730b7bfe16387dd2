/* plans.h - a citizen's plan: a life event's steps chosen by the answers,
 * each with its state from the cases behind it. */
#ifndef HH_PLANS_H
#define HH_PLANS_H

#include <jansson.h>

#include "core/arena.h"
#include "domain/actor.h"
#include "store/store.h"

/* Does `when` ({"question": "value" or ["a", "b"]}) hold for answers?
 * A missing when always holds. */
int hh_plan_when_matches(json_t *when, json_t *answers);

/* Checks answers (an object) against the life event's questions: known
 * keys, allowed values. On failure names the question and returns 0.
 * Unanswered questions are allowed (their steps are left out). */
int hh_plan_answers_ok(json_t *definition, json_t *answers, const char **bad);

/* The steps of the definition that apply for answers (new array of
 * borrowed-then-copied step objects). */
json_t *hh_plan_steps(json_t *definition, json_t *answers);

/* Step states, from the cases of the plan. */
enum hh_step_state {
	HH_STEP_NOT_STARTED,
	HH_STEP_SUBMITTED,
	HH_STEP_IN_PROGRESS,
	HH_STEP_AWAITING_CITIZEN,
	HH_STEP_DONE,
	HH_STEP_INFO, /* a step with nothing to submit */
};
const char *hh_step_state_name(enum hh_step_state s);
const char *hh_step_state_da(enum hh_step_state s);

/* Creates a plan for the signed-in citizen who (answers validated).
 * FORBIDDEN for anyone but a citizen; NOT_FOUND for an unknown life
 * event; INVALID with *bad naming the question that is wrong. */
enum hh_rc hh_plan_make(struct hh_store *st, struct hh_arena *a,
			const struct hh_actor *who, const char *life_event,
			json_t *answers, struct hh_plan *out, const char **bad);
/* The plan as who may read it: JSON with its steps and their states, and
 * follow-up cases (new reference). NOT_FOUND for someone else's plan,
 * FORBIDDEN for a caller who has no plans (not a citizen). */
enum hh_rc hh_plan_read(struct hh_store *st, struct hh_arena *a,
			const struct hh_actor *who, int64_t plan_id, json_t **out);
/* Titles of the articles that steps (a JSON array) link to, as who reads
 * them in the municipality muni_id (0: none): a new object slug -> title;
 * slugs not found are left out (and all of them on a store error: the
 * steps still show, without links). */
json_t *hh_plan_step_articles(struct hh_store *st, struct hh_arena *a,
			      const struct hh_actor *who, json_t *steps,
			      int64_t muni_id);

/* As hh_plan_make, for the citizen with citizen_id (no access check:
 * the caller has established who the citizen is). */
enum hh_rc hh_plan_create(struct hh_store *st, struct hh_arena *a,
			  int64_t citizen_id, const char *life_event,
			  json_t *answers, struct hh_plan *out, const char **bad);

/* hh_plan_read for the signed-in citizen with citizen_id. */
enum hh_rc hh_plan_view(struct hh_store *st, struct hh_arena *a,
			int64_t citizen_id, int64_t plan_id, json_t **out);

#endif
