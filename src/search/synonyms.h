/* synonyms.h - query expansion with colloquial and official words.
 *
 * content/synonyms.txt, one rule a line ('#' starts a comment):
 *   storskrald, grovaffald             words that mean the same (each way)
 *   gult kort => sundhedskort          one way: the left side also finds
 *                                      the right side
 * Either side may have several words; rules are analysed with the same
 * analyser as the text, so inflected forms match. */
#ifndef HH_SYNONYMS_H
#define HH_SYNONYMS_H

#include <stdio.h>

#include "text/analyze.h"

#define HH_SYN_WORDS 6

struct hh_syn_phrase {
	int n;
	char terms[HH_SYN_WORDS][HH_TERM_MAX];
};

struct hh_syn_rule {
	struct hh_syn_phrase from, to;
};

struct hh_synonyms {
	struct hh_syn_rule *rules;
	size_t n;
};

/* Loads path; bad lines are reported to errs as FILE:LINE and skipped.
 * Returns the number of rules, or -1 when the file cannot be read. */
long hh_synonyms_load(struct hh_synonyms *s, const struct hh_analyzer *an,
		      const char *path, FILE *errs);
void hh_synonyms_clear(struct hh_synonyms *s);

/* s-edit (issue 13): adds the rules of one line in the file's format
 * (text up to '#' or a line break) to s. Returns the number of rules
 * added (0 for a blank line or a comment), or -1 when the line is not a
 * rule (nothing added). */
int hh_synonyms_parse_line(struct hh_synonyms *s, const struct hh_analyzer *an,
			   const char *text);

/* s-edit: makes syn (borrowed, may be NULL) the synonym table of idx, at
 * once for the next search; returns the table it replaces, which no
 * search reads any more when this returns (the caller may free it). */
struct hh_index;
const struct hh_synonyms *hh_index_set_synonyms(struct hh_index *idx,
						const struct hh_synonyms *syn);
/* s-edit: the analyser idx was made with (borrowed), to check a new
 * synonym rule as the index will read it. */
const struct hh_analyzer *hh_index_analyzer(struct hh_index *idx);

#endif
