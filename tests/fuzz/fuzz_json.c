/* fuzz_json.c - request bodies through a spec table like the article API's. */
#include <stdint.h>
#include <string.h>

#include "core/util.h"
#include "http/json.h"

/* jansson allocates as in the server: through hh_xmalloc. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	hh_json_alloc_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hh_arena a;
	hh_arena_init(&a);
	const char *slug = NULL, *title = NULL, *kw = NULL, *org = NULL;
	int64_t version = 0;
	int flag = 0;
	struct hh_json_spec spec[] = {
		HH_JSON_STR("slug", &slug, 1, 2, 80),
		HH_JSON_STR("title", &title, 0, 1, 200),
		HH_JSON_STR_LIST("keywords", &kw, 0, 1, 100),
		HH_JSON_STR_NULL("organisation", &org, 0, 1, 32),
		HH_JSON_INT("version", &version, 0, 1, INT64_MAX),
		HH_JSON_BOOL("flag", &flag, 0),
		HH_JSON_END
	};
	struct hh_json_result res;
	if (hh_json_parse(&a, (const char *)data, size, spec, &res) == HH_JSON_OK) {
		if (!slug || hh_utf8_len(slug) < 2 || hh_utf8_len(slug) > 80)
			__builtin_trap();
	}
	hh_arena_clear(&a);
	return 0;
}
