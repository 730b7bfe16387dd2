/* buf.c - growable byte buffer. */
#include "core/buf.h"
#include "core/util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

void hh_buf_init(struct hh_buf *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
}

void hh_buf_clear(struct hh_buf *b)
{
	free(b->data);
	hh_buf_init(b);
}

void hh_buf_reset(struct hh_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = 0;
}

static void grow(struct hh_buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->data = hh_xrealloc(b->data, cap);
	b->cap = cap;
}

void hh_buf_reserve(struct hh_buf *b, size_t n)
{
	grow(b, n);
}

void hh_buf_append(struct hh_buf *b, const void *p, size_t n)
{
	grow(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = 0;
}

void hh_buf_printf(struct hh_buf *b, const char *fmt, ...)
{
	/* One pass when the text fits in the room left, which it nearly
	 * always does: formatting twice (measure, then write) was a visible
	 * share of a search response. */
	size_t room = b->cap - b->len;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(b->data ? b->data + b->len : NULL, b->data ? room : 0,
			  fmt, ap);
	va_end(ap);
	if (n < 0) {
		/* an encoding error: nothing is appended */
		if (b->data)
			b->data[b->len] = 0;
		return;
	}
	if (!b->data || (size_t)n >= room) {
		grow(b, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

void hh_buf_int(struct hh_buf *b, long long n)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n
				     : (unsigned long long)n;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (n < 0)
		*--p = '-';
	hh_buf_append(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

/* The bytes hh_html_escape_n replaces. */
static const unsigned char html_special[256] = {
	['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 1,
};

char *hh_html_escape_n(char *o, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	for (;;) {
		/* s-fast: a run of plain bytes copied at once (snippets
		 * escape every search's text) */
		size_t r = i;
#ifdef __SSE2__
		/* s-http: sixteen bytes a step (snippets, the pages) */
		while (r + 16 <= n) {
			__m128i v = _mm_loadu_si128((const __m128i *)(s + r));
			__m128i m = _mm_or_si128(
				_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('&')),
					     _mm_cmpeq_epi8(v, _mm_set1_epi8('<'))),
				_mm_or_si128(
					_mm_or_si128(
						_mm_cmpeq_epi8(v, _mm_set1_epi8('>')),
						_mm_cmpeq_epi8(v, _mm_set1_epi8('"'))),
					_mm_cmpeq_epi8(v, _mm_set1_epi8('\''))));
			unsigned bits = (unsigned)_mm_movemask_epi8(m);
			if (bits) {
				r += (size_t)__builtin_ctz(bits);
				break;
			}
			r += 16;
		}
#endif
		while (r < n && !html_special[u[r]])
			r++;
		memcpy(o, s + i, r - i);
		o += r - i;
		if (r == n)
			return o;
		const char *e;
		size_t el;
		switch (s[r]) {
		case '&': e = "&amp;"; el = 5; break;
		case '<': e = "&lt;"; el = 4; break;
		case '>': e = "&gt;"; el = 4; break;
		case '"': e = "&quot;"; el = 6; break;
		default: e = "&#39;"; el = 5; break;
		}
		memcpy(o, e, el);
		o += el;
		i = r + 1;
	}
}

void hh_buf_html_n(struct hh_buf *b, const char *s, size_t n)
{
	/* escaped straight into the buffer, in pieces so that the room for
	 * the worst case (6 bytes a byte) is never far above the need */
	while (n) {
		size_t k = n < 512 ? n : 512;
		grow(b, 6 * k);
		char *end = hh_html_escape_n(b->data + b->len, s, k);
		b->len = (size_t)(end - b->data);
		*end = 0;
		s += k;
		n -= k;
	}
}

void hh_buf_html(struct hh_buf *b, const char *s)
{
	/* strcspn finds the next special byte many bytes at a time */
	for (;;) {
		size_t run = strcspn(s, "&<>\"'");
		hh_buf_append(b, s, run);
		s += run;
		if (!*s)
			return;
		switch (*s++) {
		case '&': hh_buf_append(b, "&amp;", 5); break;
		case '<': hh_buf_append(b, "&lt;", 4); break;
		case '>': hh_buf_append(b, "&gt;", 4); break;
		case '"': hh_buf_append(b, "&quot;", 6); break;
		default: hh_buf_append(b, "&#39;", 5); break;
		}
	}
}

/* The bytes a JSON string cannot hold as they are. */
static int json_special(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\';
}

/* Whether any of the 8 bytes at p is below 0x20, '"' or '\\' (the
 * "has less than" and "has zero byte" word tricks: a borrow only starts
 * at a byte that matches, so a non-zero result is never a false alarm). */
static int json_special8(const char *p)
{
	const uint64_t ones = 0x0101010101010101ULL;
	const uint64_t high = 0x8080808080808080ULL;
	uint64_t x;
	memcpy(&x, p, 8);
	uint64_t q = x ^ (ones * '"'), bs = x ^ (ones * '\\');
	uint64_t m = ((x - ones * 0x20) & ~x) | ((q - ones) & ~q) |
		     ((bs - ones) & ~bs);
	return (m & high) != 0;
}

void hh_buf_json(struct hh_buf *b, const char *s)
{
	/* The hot path of every JSON response: reserve for the common case
	 * (nothing to escape) once, copy runs of plain bytes eight at a
	 * time, and make more room only at an escape. */
	static const char hex[] = "0123456789abcdef";
	size_t n = strlen(s), i = 0;
	grow(b, n + 2);
	char *o = b->data + b->len;
	*o++ = '"';
	for (;;) {
		size_t run = i;
#ifdef __SSE2__
		/* s-http: sixteen bytes a step where SSE2 is there (every
		 * x86-64); a byte is special when it is '"', '\\' or its
		 * unsigned minimum with 0x1f is itself (below 0x20). The
		 * loops after it stop at once at the byte found. */
		const __m128i quote = _mm_set1_epi8('"');
		const __m128i bslash = _mm_set1_epi8('\\');
		const __m128i ctl = _mm_set1_epi8(0x1f);
		while (i + 16 <= n) {
			__m128i v = _mm_loadu_si128((const __m128i *)(s + i));
			__m128i m = _mm_or_si128(
				_mm_or_si128(_mm_cmpeq_epi8(v, quote),
					     _mm_cmpeq_epi8(v, bslash)),
				_mm_cmpeq_epi8(_mm_min_epu8(v, ctl), v));
			unsigned bits = (unsigned)_mm_movemask_epi8(m);
			if (bits) {
				i += (size_t)__builtin_ctz(bits);
				break;
			}
			i += 16;
		}
#endif
		while (i + 8 <= n && !json_special8(s + i))
			i += 8;
		while (i < n && !json_special((unsigned char)s[i]))
			i++;
		memcpy(o, s + run, i - run);
		o += i - run;
		if (i == n)
			break;
		/* at most 6 bytes for this one, the rest as they are, and
		 * the closing quote */
		b->len = (size_t)(o - b->data);
		grow(b, n - i + 6);
		o = b->data + b->len;
		unsigned char c = (unsigned char)s[i++];
		*o++ = '\\';
		switch (c) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '\n': *o++ = 'n'; break;
		case '\r': *o++ = 'r'; break;
		case '\t': *o++ = 't'; break;
		default:
			memcpy(o, "u00", 3);
			o[3] = hex[c >> 4];
			o[4] = hex[c & 15];
			o += 5;
		}
	}
	*o++ = '"';
	*o = 0;
	b->len = (size_t)(o - b->data);
}

/* The bytes a URL query component keeps as they are (RFC 3986's
 * unreserved characters). */
static inline int url_plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
	       c == '~';
}

void hh_buf_urlenc(struct hh_buf *b, const char *s)
{
	/* s-http: runs of plain bytes appended at once, not byte by byte
	 * (the results page encodes its query for every facet's link) */
	static const char hex[] = "0123456789ABCDEF";
	for (;;) {
		const char *run = s;
		while (url_plain((unsigned char)*s))
			s++;
		if (s > run)
			hh_buf_add(b, run, (size_t)(s - run));
		if (!*s)
			return;
		unsigned char c = (unsigned char)*s++;
		char e[3] = { '%', hex[c >> 4], hex[c & 15] };
		hh_buf_add(b, e, 3);
	}
}

char *hh_buf_steal(struct hh_buf *b)
{
	char *p = b->data ? b->data : hh_xstrdup("");
	hh_buf_init(b);
	return p;
}

const char *hh_buf_str(const struct hh_buf *b)
{
	return b->data ? b->data : "";
}
