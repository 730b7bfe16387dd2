/* fuzz_article.c - the article file parser (import) on arbitrary files:
 * either a clear FILE:LINE error or an article that formats and parses
 * back to the same fields. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/util.h"
#include "domain/content.h"

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
	struct hh_article art;
	const char *org;
	char err[512];
	if (hh_article_parse(&a, "fuzz-slug", NULL, (const char *)data, size, &art,
			     &org, err, sizeof(err)) == HH_OK) {
		art.org_code = org;
		struct hh_buf b;
		hh_buf_init(&b);
		hh_article_format(&art, &b);
		struct hh_article again;
		const char *org2;
		if (hh_article_parse(&a, "fuzz-slug", NULL, b.data, b.len, &again,
				     &org2, err, sizeof(err)) != HH_OK ||
		    strcmp(again.title, art.title) ||
		    strcmp(again.summary, art.summary) ||
		    strcmp(again.keywords, art.keywords) ||
		    again.status != art.status || again.audience != art.audience)
			abort();
		hh_buf_clear(&b);
	} else if (!err[0] || err[0] < '1' || err[0] > '9') {
		abort(); /* every error names a line */
	}
	hh_arena_clear(&a);
	return 0;
}
