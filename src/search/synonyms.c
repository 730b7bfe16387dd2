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

int hh_synonyms_parse_line(struct hh_synonyms *s, const struct hh_analyzer *an,
			   const char *text)
{
	char line[1024];
	size_t l = strcspn(text, "#\r\n");
	if (l >= sizeof(line))
		return -1;
	memcpy(line, text, l);
	line[l] = 0;
	if (!hh_utf8_valid(line, l))
		return -1;
	int blank = 1;
	for (size_t i = 0; i < l; i++)
		if (line[i] != ' ' && line[i] != '\t')
			blank = 0;
	if (blank)
		return 0;
	size_t before = s->n;
	char *arrow = strstr(line, "=>");
	struct hh_syn_phrase a;
	if (arrow) {
		/* the right side may list several alternatives; the word
		 * limit is per alternative, and a line is taken whole or not
		 * at all */
		struct hh_syn_phrase alt[16];
		int n_alt = 0;
		int bad = !phrase(an, line, (size_t)(arrow - line), &a);
		char *tok, *save;
		for (tok = strtok_r(arrow + 2, ",", &save); tok && !bad;
		     tok = strtok_r(NULL, ",", &save)) {
			if (n_alt == 16 || !phrase(an, tok, strlen(tok), &alt[n_alt]))
				bad = 1;
			else
				n_alt++;
		}
		if (bad || !n_alt)
			return -1;
		for (int k = 0; k < n_alt; k++)
			add(s, &a, &alt[k]);
		return (int)(s->n - before);
	}
	/* an equivalence group: a, b, c */
	struct hh_syn_phrase group[16];
	int n = 0, bad = 0;
	char *tok, *save;
	for (tok = strtok_r(line, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (n == 16 || !phrase(an, tok, strlen(tok), &group[n]))
			bad = 1;
		else
			n++;
	}
	if (bad || n == 1)
		return -1;
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++)
			if (i != j)
				add(s, &group[i], &group[j]);
	return (int)(s->n - before);
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
		if (hh_synonyms_parse_line(s, an, line) < 0 && errs) {
			size_t l = strcspn(line, "#\r\n");
			if (!hh_utf8_valid(line, l))
				fprintf(errs, "%s:%d: not valid UTF-8\n", path, lineno);
			else if (memmem(line, l, "=>", 2))
				fprintf(errs, "%s:%d: want 'words => words, ...' (at "
					      "most %d words a phrase, 16 phrases)\n",
					path, lineno, HH_SYN_WORDS);
			else
				fprintf(errs, "%s:%d: want 'word, word, ...' (2 to "
					      "16 phrases of at most %d words)\n",
					path, lineno, HH_SYN_WORDS);
		}
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

/* s-edit (issue 13): the index's table, swapped while no search reads it
 * (the index's own lock, taken for writing as an article's update does). */
#include "search/index_int.h"

const struct hh_synonyms *hh_index_set_synonyms(struct hh_index *idx,
						const struct hh_synonyms *syn)
{
	pthread_rwlock_wrlock(&idx->lock);
	const struct hh_synonyms *old = idx->syn;
	idx->syn = syn;
	pthread_rwlock_unlock(&idx->lock);
	return old;
}

const struct hh_analyzer *hh_index_analyzer(struct hh_index *idx)
{
	return idx->an;
}
