/* gen_corpus.c - generate a content folder of N articles from the demo
 * articles, for benchmarks. Each generated article is a demo article with
 * a numbered slug, a varied title and its body paragraphs rotated, so the
 * corpus has realistic Danish text and sizes without being N copies.
 *
 * Such a corpus keeps the demo's vocabulary (about 3,500 terms) at every
 * size, and every posting list grows with it: unlike real text. With a
 * word list (DICT), the second kind (s-speed): a growing vocabulary. A
 * share of each article's body words (GROW_SHARE) and one word added to
 * its title are drawn from a stream whose count of distinct words follows
 * Heaps' law, V(t) = GROW_K * t^GROW_BETA after t drawn words, and whose
 * frequencies are Zipf-like: a draw is a new word whenever V(t) says the
 * stream needs one (a word of the list, or every third time a compound of
 * two), and otherwise repeats an earlier draw picked at random, so a word
 * comes back in proportion to how often it came before (Simon's model:
 * a few words are common, most are rare). Everything is seeded: the
 * corpus of 1,000 is the first 1,000 articles of the corpus of 10,000.
 * The demo text stays the backbone, so the benchmark's queries still find
 * their articles.
 *
 * Usage: gen_corpus SRC_CONTENT_DIR OUT_DIR N [DICT] */
#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/util.h"
#include "domain/content.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct hh_buf b;
	hh_buf_init(&b);
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		hh_buf_append(&b, chunk, n);
	fclose(f);
	*len = b.len;
	return hh_buf_steal(&b);
}

static const char *const variants[] = {
	"", " – spørgsmål og svar", " for familier", " i praksis",
	" for pensionister", " trin for trin", " når du bor alene",
	" for studerende", " ved flytning", " for nye borgere",
};

/* ---- the growing vocabulary (s-speed) -------------------------------- */

#define GROW_K 25.0
#define GROW_BETA 0.55
#define GROW_SHARE 6 /* one body word in GROW_SHARE (of 4+ letters) */
#define GROW_SEED 0x5eed2026u

struct vocab {
	char **dict; /* the usable words of the list, shuffled as drawn */
	size_t n_dict, used;
	char **words; /* the distinct words drawn so far, in order */
	size_t n_words, cap_words;
	uint32_t *hist; /* every draw so far (indexes into words) */
	size_t n_hist, cap_hist;
	uint64_t rng;
};

static uint64_t vocab_rand(struct vocab *v)
{
	/* xorshift64*: fast, and the same on every machine */
	v->rng ^= v->rng >> 12;
	v->rng ^= v->rng << 25;
	v->rng ^= v->rng >> 27;
	return v->rng * 0x2545f4914f6cdd1dULL;
}

/* A word of the list usable as text: lower-case letters only (æ ø å
 * and é too), 4 to 14 bytes. */
static int usable(const char *w, size_t len)
{
	if (len < 4 || len > 14)
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)w[i];
		if (!((c >= 'a' && c <= 'z') || c >= 0x80))
			return 0;
		if (c == 0xc3 && (i + 1 == len ||
				  (unsigned char)w[i + 1] < 0xa0))
			return 0; /* Æ Ø Å É: a capital */
	}
	return 1;
}

/* Reads the word list at path; returns 0, or -1 when it has no usable
 * words. */
static int vocab_init(struct vocab *v, const char *path)
{
	memset(v, 0, sizeof(*v));
	v->rng = GROW_SEED;
	size_t len;
	char *text = slurp(path, &len);
	if (!text)
		return -1;
	size_t cap = 0;
	for (char *line = text, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			nl = line + strlen(line);
		int end = !*nl;
		*nl = 0;
		size_t l = strlen(line);
		if (l && line[l - 1] == '\r')
			line[--l] = 0;
		if (usable(line, l)) {
			if (v->n_dict == cap) {
				cap = cap ? cap * 2 : 4096;
				v->dict = hh_xrealloc(v->dict, cap * sizeof(char *));
			}
			v->dict[v->n_dict++] = hh_xstrdup(line);
		}
		if (end)
			break;
	}
	free(text);
	return v->n_dict ? 0 : -1;
}

static void vocab_clear(struct vocab *v)
{
	for (size_t i = 0; i < v->n_dict; i++)
		free(v->dict[i]);
	for (size_t i = 0; i < v->n_words; i++)
		free(v->words[i]);
	free(v->dict);
	free(v->words);
	free(v->hist);
	memset(v, 0, sizeof(*v));
}

/* A word of the list not drawn before (a seeded shuffle, drawn lazily);
 * when all are used, any. */
static const char *dict_fresh(struct vocab *v)
{
	if (v->used == v->n_dict)
		return v->dict[vocab_rand(v) % v->n_dict];
	size_t j = v->used + vocab_rand(v) % (v->n_dict - v->used);
	char *t = v->dict[v->used];
	v->dict[v->used] = v->dict[j];
	v->dict[j] = t;
	return v->dict[v->used++];
}

/* The next word of the stream: borrowed, valid until vocab_clear. */
static const char *vocab_draw(struct vocab *v)
{
	size_t t = v->n_hist + 1;
	uint32_t k;
	if (!v->n_words ||
	    (double)v->n_words < GROW_K * pow((double)t, GROW_BETA)) {
		/* a new word: every third a compound of two words of the list */
		char w[64];
		if (v->n_words % 3 == 2) {
			const char *a = dict_fresh(v), *b = dict_fresh(v);
			snprintf(w, sizeof(w), "%s%s", a, b);
		} else {
			snprintf(w, sizeof(w), "%s", dict_fresh(v));
		}
		if (v->n_words == v->cap_words) {
			v->cap_words = v->cap_words ? v->cap_words * 2 : 1024;
			v->words = hh_xrealloc(v->words,
					       v->cap_words * sizeof(char *));
		}
		k = (uint32_t)v->n_words;
		v->words[v->n_words++] = hh_xstrdup(w);
	} else {
		/* an earlier draw again: words return by their frequency */
		k = v->hist[vocab_rand(v) % v->n_hist];
	}
	if (v->n_hist == v->cap_hist) {
		v->cap_hist = v->cap_hist ? v->cap_hist * 2 : 4096;
		v->hist = hh_xrealloc(v->hist, v->cap_hist * sizeof(uint32_t));
	}
	v->hist[v->n_hist++] = k;
	return v->words[k];
}

static int word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* The body md with one word in GROW_SHARE (of 4+ bytes, outside link
 * targets and Markdown markers) replaced by the stream's next, into out. */
static void grow_body(struct vocab *v, const char *md, struct hh_buf *out)
{
	const char *p = md;
	int in_target = 0, seen = 0;
	while (*p) {
		if (in_target) {
			if (*p == ')')
				in_target = 0;
			hh_buf_putc(out, *p++);
			continue;
		}
		if (p[0] == ']' && p[1] == '(') {
			in_target = 1;
			hh_buf_putc(out, *p++);
			continue;
		}
		if (!word_byte((unsigned char)*p)) {
			hh_buf_putc(out, *p++);
			continue;
		}
		const char *w = p;
		while (*p && (word_byte((unsigned char)*p) ||
			      (*p >= '0' && *p <= '9')))
			p++;
		if (p - w >= 4 && ++seen % GROW_SHARE == 0)
			hh_buf_puts(out, vocab_draw(v));
		else
			hh_buf_append(out, w, (size_t)(p - w));
	}
}

#ifndef GEN_CORPUS_NO_MAIN
int main(int argc, char **argv)
{
	if (argc != 4 && argc != 5) {
		fprintf(stderr,
			"usage: gen_corpus SRC_CONTENT_DIR OUT_DIR N [DICT]\n");
		return 2;
	}
	int n = atoi(argv[3]);
	struct vocab voc;
	int grow = argc == 5;
	if (grow && vocab_init(&voc, argv[4]) < 0) {
		fprintf(stderr, "gen_corpus: no usable words in %s\n", argv[4]);
		return 1;
	}
	char path[4096];
	snprintf(path, sizeof(path), "%s/articles", argv[1]);
	DIR *d = opendir(path);
	if (!d) {
		perror(path);
		return 1;
	}
	struct hh_arena ar;
	hh_arena_init(&ar);
	struct hh_article *src = NULL;
	size_t n_src = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l < 4 || strcmp(e->d_name + l - 3, ".md"))
			continue;
		char fp[8192], slug[256], err[512];
		snprintf(fp, sizeof(fp), "%s/%s", path, e->d_name);
		snprintf(slug, sizeof(slug), "%.*s", (int)(l - 3), e->d_name);
		size_t len;
		char *text = slurp(fp, &len);
		struct hh_article a;
		const char *org;
		if (text && hh_article_parse(&ar, slug, NULL, text, len, &a, &org,
					     err, sizeof(err)) == HH_OK && !org) {
			src = hh_xrealloc(src, (n_src + 1) * sizeof(*src));
			src[n_src++] = a;
		}
		free(text);
	}
	closedir(d);
	if (!n_src) {
		fprintf(stderr, "no shared articles in %s\n", path);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/articles", argv[2]);
	mkdir(argv[2], 0755);
	mkdir(path, 0755);
	char cmd[8192];
	snprintf(cmd, sizeof(cmd), "cp '%s/organisations.json' '%s/'", argv[1],
		 argv[2]);
	if (system(cmd) != 0)
		return 1;
	for (int i = 0; i < n; i++) {
		struct hh_article a = src[(size_t)i % n_src];
		int round = i / (int)n_src;
		char slug[128], title[512];
		snprintf(slug, sizeof(slug), "%s-%d", a.slug, i);
		snprintf(title, sizeof(title), "%s%s%s", a.title,
			 variants[round % 10], round >= 10 ? " (udgave)" : "");
		a.slug = slug;
		a.title = title;
		/* rotate the body by a paragraph per round */
		const char *body = a.body_md;
		for (int k = 0; k < round % 4; k++) {
			const char *p = strstr(body, "\n\n");
			if (!p)
				break;
			body = p + 2;
		}
		struct hh_buf rot;
		hh_buf_init(&rot);
		hh_buf_puts(&rot, body);
		if (body != a.body_md) {
			hh_buf_puts(&rot, "\n\n");
			hh_buf_append(&rot, a.body_md, (size_t)(body - a.body_md - 2));
		}
		a.body_md = hh_buf_str(&rot);
		struct hh_buf grown;
		hh_buf_init(&grown);
		if (grow) {
			/* a word of the stream in the title, and in the body */
			size_t tl = strlen(title);
			snprintf(title + tl, sizeof(title) - tl, " – %s",
				 vocab_draw(&voc));
			grow_body(&voc, a.body_md, &grown);
			a.body_md = hh_buf_str(&grown);
		}
		struct hh_buf out;
		hh_buf_init(&out);
		hh_article_format(&a, &out);
		char fp[8192];
		snprintf(fp, sizeof(fp), "%s/%s.md", path, slug);
		FILE *f = fopen(fp, "wb");
		if (!f || fwrite(out.data, 1, out.len, f) != out.len) {
			perror(fp);
			return 1;
		}
		fclose(f);
		hh_buf_clear(&out);
		hh_buf_clear(&rot);
		hh_buf_clear(&grown);
	}
	hh_arena_clear(&ar);
	free(src);
	if (grow) {
		printf("wrote %d articles to %s (growing vocabulary: %zu "
		       "distinct words drawn, %zu draws)\n",
		       n, argv[2], voc.n_words, voc.n_hist);
		vocab_clear(&voc);
	} else {
		printf("wrote %d articles to %s\n", n, argv[2]);
	}
	return 0;
}
#endif
