/* gen_corpus.c - generate a content folder of N articles from the demo
 * articles, for benchmarks. Each generated article is a demo article with
 * a numbered slug, a varied title and its body paragraphs rotated, so the
 * corpus has realistic Danish text and sizes without being N copies.
 *
 * Usage: gen_corpus SRC_CONTENT_DIR OUT_DIR N */
#include <dirent.h>
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

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: gen_corpus SRC_CONTENT_DIR OUT_DIR N\n");
		return 2;
	}
	int n = atoi(argv[3]);
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
	}
	hh_arena_clear(&ar);
	free(src);
	printf("wrote %d articles to %s\n", n, argv[2]);
	return 0;
}
