/* fuzz_editor.c - s-edit (issue 13): what editors type that the server
 * parses: a synonym rule (search/synonyms.c: never crashes, a rule has
 * 1..HH_SYN_WORDS terms a side, a line is taken whole or not at all), a
 * query normalised for a pin, and the line diff of two texts (every line
 * of the old text is kept or removed and every line of the new one kept
 * or added, in order). The input is split at its first NUL: old text,
 * new text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/util.h"
#include "domain/searchtune.h"
#include "domain/versions.h"
#include "search/synonyms.h"

static struct hh_analyzer an;
static int ready;

/* Rebuilds one side of the diff (side 1: the old text, its kept and
 * removed lines; 0: the new text, its kept and added lines) and compares
 * it with text, whose final line break is not a line of its own. */
static void same_side(const struct hh_diff_line *v, size_t n, int side,
		      const char *text)
{
	size_t at = 0, len = strlen(text);
	for (size_t i = 0; i < n; i++) {
		if (v[i].op == (side ? HH_DIFF_ADD : HH_DIFF_DEL))
			continue;
		if (at > len || memcmp(text + at, v[i].text, v[i].len))
			abort();
		at += v[i].len;
		if (at < len && text[at] == '\r' && text[at + 1] == '\n')
			at++;
		if (at < len && text[at] == '\n')
			at++;
	}
	if (at != len)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ready) {
		hh_analyzer_init(&an, "/usr/share/dict/danish");
		ready = 1;
	}
	if (size > 4096)
		return 0;
	char *buf = hh_xmalloc(size + 2);
	memcpy(buf, data, size);
	buf[size] = buf[size + 1] = 0;
	const char *old_text = buf;
	const char *new_text = buf + strlen(buf) + (strlen(buf) < size ? 1 : 0);
	if (new_text > buf + size)
		new_text = buf + size;

	struct hh_synonyms s = { 0 };
	int added = hh_synonyms_parse_line(&s, &an, old_text);
	if (added < -1 || (added < 0 && s.n) || (added >= 0 && (size_t)added != s.n))
		abort();
	for (size_t i = 0; i < s.n; i++)
		if (s.rules[i].from.n < 1 || s.rules[i].from.n > HH_SYN_WORDS ||
		    s.rules[i].to.n < 1 || s.rules[i].to.n > HH_SYN_WORDS)
			abort();
	hh_synonyms_clear(&s);

	struct hh_arena ar;
	hh_arena_init(&ar);
	const char *q = hh_pin_query_normalise(&ar, old_text);
	if (q && (!*q || q[0] == ' ' || q[strlen(q) - 1] == ' '))
		abort();
	/* a text whose CR is not before LF is not what the article stores
	 * (and the side check below would not hold for it) */
	if (!strchr(old_text, '\r') && !strchr(new_text, '\r')) {
		struct hh_diff_line *v;
		size_t n;
		hh_text_diff(&ar, old_text, new_text, &v, &n, NULL, NULL);
		char *o = hh_xstrdup(old_text), *w = hh_xstrdup(new_text);
		/* one final line break is not a line of its own */
		size_t lo = strlen(o), lw = strlen(w);
		if (lo && o[lo - 1] == '\n')
			o[lo - 1] = 0;
		if (lw && w[lw - 1] == '\n')
			w[lw - 1] = 0;
		same_side(v, n, 1, o);
		same_side(v, n, 0, w);
		free(o);
		free(w);
	}
	hh_arena_clear(&ar);
	free(buf);
	return 0;
}
