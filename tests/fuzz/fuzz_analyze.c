/* fuzz_analyze.c - the Danish analyser on arbitrary bytes: never crashes,
 * tokens stay inside the text, terms are NUL-terminated. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text/analyze.h"

static struct hh_analyzer an;
static int ready;

struct check {
	size_t len;
	uint32_t last_pos;
};

static int cb(void *p, const struct hh_token *t)
{
	struct check *c = p;
	if (t->start >= t->end || t->end > c->len)
		abort();
	if (memchr(t->term, 0, HH_TERM_MAX) == NULL)
		abort();
	if (t->pos < c->last_pos)
		abort();
	c->last_pos = t->pos;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ready) {
		hh_analyzer_init(&an, "/usr/share/dict/danish");
		ready = 1;
	}
	struct check c = { size, 0 };
	hh_analyze(&an, (const char *)data, size, HH_AN_COMPOUNDS | HH_AN_KEEP_STOP,
		   cb, &c);
	return 0;
}
