/* hyphen.c - Danish hyphenation with libhyphen (see hyphen.h). */
#include "render/hyphen.h"

#include <hyphen.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"

#define PATTERNS "/usr/share/hyphen/hyph_da_DK.dic"
#define MAX_WORD 64 /* letters; longer runs are no words to break */

static pthread_once_t once = PTHREAD_ONCE_INIT;
static HyphenDict *dict;

static void load(void)
{
	const char *path = getenv("HELHED_HYPHEN_DICT");
	dict = hnj_hyphen_load(path && *path ? path : PATTERNS);
	if (!dict)
		hh_log(HH_LOG_WARN, "no Danish hyphenation patterns (%s): long "
				    "words in letters break only at spaces",
		       path && *path ? path : PATTERNS);
}

int hh_hyphen_ready(void)
{
	pthread_once(&once, load);
	return dict != NULL;
}

/* Decodes one UTF-8 sequence at s (valid input assumed, as everything the
 * domain hands on is checked); *len gets its length. */
static uint32_t utf8_next(const unsigned char *s, int *len)
{
	if (s[0] < 0x80) {
		*len = 1;
		return s[0];
	}
	if ((s[0] & 0xe0) == 0xc0 && s[1]) {
		*len = 2;
		return ((uint32_t)(s[0] & 0x1f) << 6) | (s[1] & 0x3f);
	}
	if ((s[0] & 0xf0) == 0xe0 && s[1] && s[2]) {
		*len = 3;
		return ((uint32_t)(s[0] & 0x0f) << 12) |
		       ((uint32_t)(s[1] & 0x3f) << 6) | (s[2] & 0x3f);
	}
	int n = 1;
	while (s[n] && (s[n] & 0xc0) == 0x80 && n < 4)
		n++;
	*len = n;
	return 0xfffd;
}

/* A letter the Danish patterns know, lowercased to Latin-1; 0 if none. */
static unsigned char latin1_letter(uint32_t c)
{
	if (c >= 'a' && c <= 'z')
		return (unsigned char)c;
	if (c >= 'A' && c <= 'Z')
		return (unsigned char)(c + 32);
	if (c >= 0xe0 && c <= 0xfe && c != 0xf7)
		return (unsigned char)c;
	if (c >= 0xc0 && c <= 0xde && c != 0xd7)
		return (unsigned char)(c + 32);
	return 0;
}

static int is_letter(uint32_t c)
{
	/* letters outside Latin-1 still belong to the word (which is then
	 * not broken) */
	return latin1_letter(c) || (c > 0xff && c != 0xfffd && c != 0x2010 &&
				    c != 0x2011 && c != 0x2013 && c != 0x2014 &&
				    c != 0xad && (c < 0x2000 || c > 0x206f));
}

/* Appends the word of n letters at s (byte offsets off[], latin-1 lower
 * case in low[]) with soft hyphens at its break points. */
static int put_word(struct hh_buf *b, const char *s, size_t bytes,
		    const int *off, const char *low, int n)
{
	char hy[MAX_WORD + 5];
	char **rep = NULL;
	int *pos = NULL, *cut = NULL;
	int inserted = 0;
	memset(hy, 0, sizeof(hy));
	/* two letters at least on each side of a break (Danish practice) */
	if (hnj_hyphen_hyphenate3(dict, low, n, hy, NULL, &rep, &pos, &cut, 2,
				  2, 2, 2) != 0 ||
	    rep) {
		/* non-standard breaks (rep) do not occur in Danish; take
		 * none rather than a wrong one */
		hh_buf_append(b, s, bytes);
		goto out;
	}
	for (int i = 0; i < n; i++) {
		size_t end = i + 1 < n ? (size_t)off[i + 1] : bytes;
		hh_buf_append(b, s + off[i], end - (size_t)off[i]);
		if (i + 1 < n && (hy[i] & 1)) {
			hh_buf_puts(b, "\xc2\xad");
			inserted = 1;
		}
	}
out:
	if (rep) {
		for (int i = 0; i < n; i++)
			free(rep[i]);
		free(rep);
		free(pos);
		free(cut);
	}
	return inserted;
}

const char *hh_hyphenate_da(struct hh_arena *a, const char *text)
{
	if (!text || !hh_hyphen_ready())
		return text;
	struct hh_buf b;
	hh_buf_init(&b);
	int inserted = 0;
	const unsigned char *p = (const unsigned char *)text;
	while (*p) {
		int len;
		uint32_t c = utf8_next(p, &len);
		if (!is_letter(c)) {
			hh_buf_append(&b, p, (size_t)len);
			p += len;
			continue;
		}
		/* a word: letters, none of them a hyphen */
		const unsigned char *w = p;
		int off[MAX_WORD + 1], n = 0, latin = 1;
		char low[MAX_WORD + 1];
		while (*p) {
			c = utf8_next(p, &len);
			if (!is_letter(c))
				break;
			if (n < MAX_WORD) {
				off[n] = (int)(p - w);
				low[n] = (char)latin1_letter(c);
				if (!low[n])
					latin = 0;
			}
			n++;
			p += len;
		}
		if (n >= HH_HYPHEN_MIN_WORD && n <= MAX_WORD && latin) {
			low[n] = 0;
			inserted |= put_word(&b, (const char *)w,
					     (size_t)(p - w), off, low, n);
		} else {
			hh_buf_append(&b, w, (size_t)(p - w));
		}
	}
	if (!inserted) {
		hh_buf_clear(&b);
		return text;
	}
	const char *out = hh_arena_strndup(a, hh_buf_str(&b), b.len);
	hh_buf_clear(&b);
	return out;
}
