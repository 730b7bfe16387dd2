/* snippet.c - the plain text kept for snippets, and a snippet around the
 * first match with the matched words marked. */
#include <string.h>

#include "core/buf.h"
#include "core/util.h"
#include "search/index_int.h"

/* The bytes plain_text looks at; NUL ends the text. */
static const unsigned char md_special[256] = {
	[0] = 1, ['\n'] = 1, ['*'] = 1, ['_'] = 1, ['`'] = 1,
	['['] = 1, [']'] = 1, ['!'] = 1,
};

/* What ends a heading in the plain text: " – " (an en dash), so that a
 * snippet does not run the heading into the sentence after it ("Sådan
 * søger du – Du søger på borger.dk"); a heading that ends in . : ? or !
 * is ended already, and gets a space. The dash is no word: positions stay
 * as the words'. */
#define HEADING_END " \xe2\x80\x93 "

/* Markdown to plain text for snippets: markers, emphasis and link targets
 * go, the words stay, and a heading is kept apart from the text after it
 * (HEADING_END). */
char *hh_ix_plain_text(const char *md)
{
	size_t n = strlen(md);
	/* a heading's line end ("#x\n", 3 bytes) becomes 4 ("x – "): room
	 * for twice the text, shrunk at the end */
	char *out = hh_xmalloc(2 * n + 8), *o = out;
	const char *p = md;
	int line_start = 1, heading = 0;
	while (*p) {
		if (line_start) {
			while (*p == ' ' || *p == '\t')
				p++;
			heading = *p == '#';
			while (*p == '#' || *p == '>' ||
			       ((*p == '-' || *p == '*' || *p == '+') && p[1] == ' '))
				p++;
			const char *q = p;
			while (*q >= '0' && *q <= '9')
				q++;
			if (q > p && *q == '.' && q[1] == ' ')
				p = q + 1;
			while (*p == ' ')
				p++;
			line_start = 0;
			if (!*p)
				break; /* the text ended in a marker ("\n#") */
		}
		char ch = *p;
		if (ch == '\n') {
			line_start = 1;
			while (heading && o > out && o[-1] == ' ')
				o--;
			if (heading && o > out && !strchr(".:?!", o[-1])) {
				memcpy(o, HEADING_END, sizeof(HEADING_END) - 1);
				o += sizeof(HEADING_END) - 1;
			} else if (o > out && o[-1] != ' ') {
				*o++ = ' ';
			}
			heading = 0;
			p++;
		} else if (ch == '*' || ch == '_' || ch == '`') {
			p++;
		} else if (ch == ']' && p[1] == '(') {
			const char *close = strchr(p, ')');
			p = close ? close + 1 : p + 1;
		} else if (ch == '[' || (ch == '!' && p[1] == '[')) {
			p += ch == '!' ? 2 : 1;
		} else {
			/* a run of plain bytes at once */
			const char *r = p + 1;
			while (!md_special[(unsigned char)*r])
				r++;
			memcpy(o, p, (size_t)(r - p));
			o += r - p;
			p = r;
		}
	}
	/* a heading last: no dash after it */
	size_t tail = sizeof(HEADING_END) - 1;
	if ((size_t)(o - out) >= tail && !memcmp(o - tail, HEADING_END, tail))
		o -= tail;
	*o = 0;
	return hh_xrealloc(out, (size_t)(o - out) + 1);
}

/* The positions in field f of document di where a query term matched,
 * sorted, at most max (the first ones). Compound parts share their word's
 * position, so a word is marked whole. */
static int match_positions(const struct hh_index *idx, uint32_t di,
			   const struct query *q, int f, uint32_t *out, int max)
{
	int n = 0;
	for (int i = 0; i < q->n_terms; i++) {
		const struct term *tm = &idx->terms[q->terms[i].term];
		int64_t k = find_posting_k(tm, di);
		if (k < 0 || !(hh_ix_posting_fields(tm, (uint32_t)k) >> f & 1))
			continue;
		struct posting p;
		hh_ix_posting_at(tm, (uint32_t)k, &p);
		struct pos_iter it;
		hh_ix_pos_init(&it, &p);
		while (hh_ix_pos_next(&it)) {
			uint32_t pf = it.cur >> HH_IX_FIELD_SHIFT;
			if (pf < (uint32_t)f)
				continue;
			if (pf > (uint32_t)f)
				break; /* fields come in order */
			uint32_t v = it.cur & 0xffffff;
			/* insert in order; on overflow keep the smallest */
			int j = n < max ? n++ : max;
			if (j == max && v >= out[max - 1])
				break; /* positions come sorted within a field */
			if (j == max)
				j = max - 1;
			while (j > 0 && out[j - 1] > v) {
				out[j] = out[j - 1];
				j--;
			}
			out[j] = v;
		}
	}
	return n;
}

/* Whether word position p is among the sorted matches mp, advancing *m
 * past the smaller ones (words come in order). */
static int is_match(const uint32_t *mp, int n_mp, int *m, uint32_t p)
{
	while (*m < n_mp && mp[*m] < p)
		(*m)++;
	return *m < n_mp && mp[*m] == p;
}

/* The snippet being written: at most SNIPPET_LEN + 30 bytes of text, 6
 * bytes each when escaped, and SNIPPET_MARKS marks of 13 bytes, fit. */
struct out {
	char *o;
	char buf[4096];
};

/* n bytes of s, HTML-escaped. */
static void html_n(struct out *w, const char *s, size_t n)
{
	w->o = hh_html_escape_n(w->o, s, n);
}

static void put(struct out *w, const char *s, size_t n)
{
	memcpy(w->o, s, n);
	w->o += n;
}

/* The text from *done to the word [start, end) escaped, the word in
 * <mark>. */
static void mark(struct out *w, const char *src, size_t *done,
		 size_t start, size_t end)
{
	html_n(w, src + *done, start - *done);
	put(w, "<mark>", 6);
	html_n(w, src + start, end - start);
	put(w, "</mark>", 7);
	*done = end;
}

#define SNIPPET_BEFORE 60
#define SNIPPET_LEN 220
#define SNIPPET_MARKS 64

/* A piece of the body around the first match (or the summary when the
 * body has none), HTML-escaped, the matched words in <mark>. Matches come
 * from the postings' positions; the text is only cut into words, from the
 * checkpoint before the first match, never analysed again. */
const char *hh_ix_snippet(const struct hh_index *idx, uint32_t di,
			  const struct query *q, struct hh_arena *a)
{
	const struct doc *d = &idx->docs[di];
	uint32_t mp[SNIPPET_MARKS];
	const char *src = d->text;
	size_t len = d->text_len;
	uint32_t n_ckpt = d->n_ckpt;
	int n_mp = match_positions(idx, di, q, F_BODY, mp, SNIPPET_MARKS);
	/* where to start cutting words: position, byte */
	uint32_t pos = 0;
	size_t at = 0;
	if (n_mp) {
		/* the last checkpoint at or before the first match (binary
		 * search; checkpoint 0 is word 0): only the words from it to
		 * the match are cut, to find where the match starts */
		uint32_t lo = 0, hi = d->n_ckpt;
		while (lo < hi) {
			uint32_t mid = (lo + hi) / 2;
			if (d->ckpt[mid].pos <= mp[0])
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo) {
			pos = d->ckpt[lo - 1].pos;
			at = d->ckpt[lo - 1].off;
		}
	} else {
		n_ckpt = 0; /* s-http: the body's checkpoints are not the summary's */
		src = d->summary; /* no match in the body: the summary */
		len = d->summary_len;
		n_mp = match_positions(idx, di, q, F_SUMMARY, mp, SNIPPET_MARKS);
	}
	/* the words from the checkpoint to the first match: skipped in one
	 * call (s-fast), then the match's own bytes */
	size_t nw = 0;
	int found = 0;
	size_t first = 0, first_end = 0, s0, e0;
	if (n_mp) {
		first = len;
		/* the checkpoint is at or before the match (a match before
		 * it would never be reached: every word is read) */
		size_t want = mp[0] >= pos ? mp[0] - pos : (size_t)-1;
		size_t skipped = hh_word_skip(src, len, &at, want, len);
		nw += skipped;
		pos += (uint32_t)skipped;
		if (skipped == want && hh_word_next(src, len, &at, &s0, &e0)) {
			nw++;
			pos++;
			first = s0;
			first_end = e0;
			found = 1;
		}
	}
	size_t start = first > SNIPPET_BEFORE ? first - SNIPPET_BEFORE : 0;
	while (start > 0 && src[start - 1] != ' ')
		start--; /* whole words */
	size_t end = start + SNIPPET_LEN < len ? start + SNIPPET_LEN : len;
	while (end < len && src[end] != ' ' && end - start < SNIPPET_LEN + 30)
		end++;
	while (end > start && end < len && ((unsigned char)src[end] & 0xc0) == 0x80)
		end--;

	struct out w;
	w.o = w.buf;
	if (start > 0)
		put(&w, "… ", sizeof("… ") - 1);
	size_t done = start;
	int m = 0;
	/* the first match (the words before it are none) */
	if (found && first_end <= end && is_match(mp, n_mp, &m, mp[0]))
		mark(&w, src, &done, first, first_end);
	if (!nw)
		at = start; /* the summary: from its beginning */
	/* s-fast: from match to match, the words between skipped in one
	 * call, up to the first that ends after the piece (the end, as
	 * reading word by word ended there) */
	uint32_t ck = 0;
	while (m < n_mp) {
		while (m < n_mp && mp[m] < pos)
			m++; /* matches passed (a word and its parts: twice) */
		if (m == n_mp)
			break;
		/* s-http: the words up to a match are read only when it may
		 * start before the piece's end. From the last checkpoint at
		 * or before the match when it is ahead of the words read (its
		 * word starts there); and none at all when the match cannot
		 * start before the end: each word before it takes a byte and
		 * the space after it another, so it starts at least 2 bytes a
		 * word after at. Reading on, as before, would stop at the
		 * first word that ends after the piece, with nothing marked:
		 * the same snippet. */
		while (ck < n_ckpt && d->ckpt[ck].pos <= mp[m])
			ck++;
		if (ck && d->ckpt[ck - 1].pos > pos) {
			pos = d->ckpt[ck - 1].pos;
			at = d->ckpt[ck - 1].off;
		}
		size_t want = mp[m] - pos;
		if (at + 2 * want >= end)
			break;
		size_t skipped = hh_word_skip(src, len, &at, want, end);
		pos += (uint32_t)skipped;
		if (skipped < want || !hh_word_next(src, len, &at, &s0, &e0) ||
		    e0 > end)
			break;
		pos++;
		mark(&w, src, &done, s0, e0);
	}
	html_n(&w, src + done, end - done);
	if (end < len)
		put(&w, " …", sizeof(" …") - 1);
	size_t n = (size_t)(w.o - w.buf);
	char *out = hh_arena_alloc(a, n + 1);
	memcpy(out, w.buf, n);
	out[n] = 0;
	return out;
}
