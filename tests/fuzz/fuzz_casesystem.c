/* fuzz_casesystem.c - a case system's declaration as an organisation's
 * admin sends it (domain/casesystems.h, x-decl): any JSON text is parsed
 * as a declaration; one that parses must answer its lookups for every
 * state and case type it names, and a report's facts (the same text read
 * as a facts object) are checked against each case type without a
 * crash. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/casesystems.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 16384)
		return 0;
	json_error_t e;
	json_t *root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &e);
	if (!root)
		return 0;
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_cs_def def;
	struct hh_cs_error err;
	if (hh_cs_parse(root, &a, &def, &err) == HH_OK) {
		for (int i = 0; i < def.n_states; i++)
			if (hh_cs_state(&def, def.states[i].name) != &def.states[i] ||
			    !*hh_cs_stage_code(def.states[i].stage))
				abort();
		for (int i = 0; i < def.n_case_types; i++) {
			const struct hh_cs_case_type *t = &def.case_types[i];
			if (hh_cs_case_type(&def, t->key) != t)
				abort();
			const char *field;
			int unknown;
			hh_cs_facts_ok(&a, t, json_object_get(root, "facts"), &field,
				       &unknown);
			for (int k = 0; k < t->n_followups; k++)
				if (!hh_cs_state(&def, t->followups[k].state))
					abort();
		}
	} else if (!err.detail) {
		abort(); /* a refusal always says why */
	}
	hh_cs_step_problem(root);
	hh_arena_clear(&a);
	json_decref(root);
	return 0;
}
