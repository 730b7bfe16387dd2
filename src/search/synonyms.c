/* synonyms.c - loading synonym rules into analysed term sequences. */
#include "search/synonyms.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"

struct collect {
	struct hh_syn_phrase *p;
	int overflow;
};

static int collect_term(void *ctx, const struct hh_token *t)
{
	struct collect *c = ctx;
	if (t->part)
		return 0;
	if (c->p->n >= HH_SYN_WORDS) {
		c->overflow = 1;
		return 1;
	}
	memcpy(c->p->terms[c->p->n++], t->term, HH_TERM_MAX);
	return 0;
}

static int phrase(const struct hh_analyzer *an, const char *s, size_t len,
		  struct hh_syn_phrase *p)
{
	memset(p, 0, sizeof(*p));
	struct collect c = { p, 0 };
	hh_analyze(an, s, len, 0, collect_term, &c);
	return p->n > 0 && !c.overflow;
}

static void add(struct hh_synonyms *s, const struct hh_syn_phrase *from,
		const struct hh_syn_phrase *to)
{
	s->rules = hh_xrealloc(s->rules, (s->n + 1) * sizeof(*s->rules));
	s->rules[s->n].from = *from;
	s->rules[s->n].to = *to;
	s->n++;
}

long hh_synonyms_load(struct hh_synonyms *s, const struct hh_analyzer *an,
		      const char *path, FILE *errs)
{
	s->rules = NULL;
	s->n = 0;
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char line[1024];
	int lineno = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		char *hash = strchr(line, '#');
		if (hash)
			*hash = 0;
		size_t l = strcspn(line, "\r\n");
		line[l] = 0;
		if (!hh_utf8_valid(line, l)) {
			if (errs)
				fprintf(errs, "%s:%d: not valid UTF-8\n", path, lineno);
			continue;
		}
		char *arrow = strstr(line, "=>");
		struct hh_syn_phrase a;
		if (arrow) {
			/* the right side may list several alternatives; the
			 * word limit is per alternative, and a line is taken
			 * whole or not at all */
			struct hh_syn_phrase alt[16];
			int n_alt = 0;
			int bad = !phrase(an, line, (size_t)(arrow - line), &a);
			char *tok, *save;
			for (tok = strtok_r(arrow + 2, ",", &save); tok && !bad;
			     tok = strtok_r(NULL, ",", &save)) {
				if (n_alt == 16 ||
				    !phrase(an, tok, strlen(tok), &alt[n_alt]))
					bad = 1;
				else
					n_alt++;
			}
			if (bad || !n_alt) {
				if (errs)
					fprintf(errs, "%s:%d: want 'words => words, "
						      "...' (at most %d words a "
						      "phrase, 16 phrases)\n",
						path, lineno, HH_SYN_WORDS);
				continue;
			}
			for (int k = 0; k < n_alt; k++)
				add(s, &a, &alt[k]);
			continue;
		}
		/* an equivalence group: a, b, c */
		struct hh_syn_phrase group[16];
		int n = 0, bad = 0;
		char *tok, *save;
		for (tok = strtok_r(line, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save)) {
			if (n == 16 || !phrase(an, tok, strlen(tok), &group[n]))
				bad = 1;
			else
				n++;
		}
		if (bad || n == 1) {
			if (errs)
				fprintf(errs, "%s:%d: want 'word, word, ...' (2 to "
					      "16 phrases of at most %d words)\n",
					path, lineno, HH_SYN_WORDS);
			continue;
		}
		for (int i = 0; i < n; i++)
			for (int j = 0; j < n; j++)
				if (i != j)
					add(s, &group[i], &group[j]);
	}
	fclose(f);
	return (long)s->n;
}

void hh_synonyms_clear(struct hh_synonyms *s)
{
	free(s->rules);
	s->rules = NULL;
	s->n = 0;
}
