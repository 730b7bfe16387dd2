/* fuzz_feedback.c - a comment to "Fandt du det, du søgte?" as the domain
 * scrubs it (hh_feedback_scrub): no input may crash it, the result is
 * valid UTF-8 when the input was, and scrubbing it again changes nothing
 * (what is left holds no CPR number, phone number or e-mail address the
 * scrubber knows). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/feedback.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = 0;
	struct hh_arena a;
	hh_arena_init(&a);
	const char *once = hh_feedback_scrub(&a, text);
	if (hh_utf8_valid(text, strlen(text)) &&
	    !hh_utf8_valid(once, strlen(once)))
		__builtin_trap();
	const char *twice = hh_feedback_scrub(&a, once);
	if (strcmp(once, twice))
		__builtin_trap();
	hh_arena_clear(&a);
	free(text);
	return 0;
}
