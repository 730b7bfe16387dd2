/* fuzz_kle.c - kle (issue 15): KL's emneplan XML as `helhed import-kle`
 * reads it (domain/kle.c over libxml2's streaming reader). Never crashes;
 * a text taken has at least one main group, and every number in it is
 * checked (the count is at most the elements the text could hold). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/kle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int n = 0;
	if (hh_kle_check((const char *)data, size, NULL, &n) == 0) {
		/* "<Hovedgruppe>" at least once, and one element per number */
		if (n < 1 || (size_t)n * 13 > size)
			abort();
	} else if (n != 0) {
		abort();
	}
	return 0;
}
