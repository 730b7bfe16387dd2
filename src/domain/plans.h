/* plans.h - a citizen's plan: a life event's steps chosen by the answers,
 * each with its state from the cases behind it. */
#ifndef HH_PLANS_H
#define HH_PLANS_H

#include <jansson.h>

#include "core/arena.h"
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

/* Creates a plan for the citizen (answers validated). */
enum hh_rc hh_plan_create(struct hh_store *st, struct hh_arena *a,
			  int64_t citizen_id, const char *life_event,
			  json_t *answers, struct hh_plan *out, const char **bad);

/* The plan as JSON with its steps and their states, and follow-up cases
 * (new reference); the plan must be the citizen's (else NOT_FOUND). */
enum hh_rc hh_plan_view(struct hh_store *st, struct hh_arena *a,
			int64_t citizen_id, int64_t plan_id, json_t **out);

#endif
