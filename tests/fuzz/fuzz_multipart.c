/* fuzz_multipart.c - multipart/form-data bodies as the citizen forms get
 * them: the first line of the input is the Content-Type, the rest the
 * body. Every part must lie inside the body. */
#include <stdint.h>
#include <string.h>

#include "http/multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	if (!nl || nl - data > 200)
		return 0;
	char ct[201];
	memcpy(ct, data, (size_t)(nl - data));
	ct[nl - data] = 0;
	const uint8_t *body = nl + 1;
	size_t len = size - (size_t)(body - data);
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_multipart_part parts[16];
	int n = 0;
	if (hh_multipart_parse(&a, ct, body, len, parts, 16, &n) == HH_OK) {
		for (int i = 0; i < n; i++)
			if (!parts[i].name || parts[i].data < body ||
			    parts[i].data + parts[i].size > body + len)
				__builtin_trap();
	} else if (n != 0) {
		__builtin_trap();
	}
	hh_arena_clear(&a);
	return 0;
}
