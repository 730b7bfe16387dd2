/* test_core.c - arena, growable buffer and the small validators in util.c. */
#include "testutil.h"

#include <ctype.h>
#include <stdint.h>

#include "core/arena.h"

/* ---- arena ------------------------------------------------------------ */

/* Thousands of small allocations of varying size: each is aligned, none
 * overlaps another (every block keeps the pattern written into it) and
 * calloc'd blocks start zeroed. */
/* An array grown one item at a time: its first room as asked, doubled
 * only when full, every item kept through each move. */
static void arena_grow_keeps_items(void **state)
{
	(void)state;
	struct hh_arena a;
	hh_arena_init(&a);
	int *v = NULL;
	size_t n = 0, cap = 0;
	for (int i = 0; i < 1000; i++) {
		int *before = v;
		size_t cap_before = cap;
		v = hh_arena_grow(&a, v, n, &cap, sizeof(*v), 4);
		if (n < cap_before) {
			assert_ptr_equal(v, before);
			assert_int_equal(cap, cap_before);
		} else {
			assert_int_equal(cap, cap_before ? 2 * cap_before : 4);
		}
		v[n++] = i * 7;
	}
	assert_int_equal(cap, 1024);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(v[i], i * 7);
	hh_arena_clear(&a);
}

static void arena_many_small(void **state)
{
	(void)state;
	struct hh_arena a;
	hh_arena_init(&a);
	enum { N = 5000 };
	unsigned char **p = hh_xcalloc(N, sizeof(*p));
	size_t *len = hh_xcalloc(N, sizeof(*len));
	for (int i = 0; i < N; i++) {
		len[i] = (size_t)(i % 97) + 1;
		p[i] = i % 3 ? hh_arena_alloc(&a, len[i])
			     : hh_arena_calloc(&a, len[i]);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % 16, 0);
		if (i % 3 == 0)
			for (size_t k = 0; k < len[i]; k++)
				assert_int_equal(p[i][k], 0);
		memset(p[i], i & 0xff, len[i]);
	}
	for (int i = 0; i < N; i++)
		for (size_t k = 0; k < len[i]; k++)
			assert_int_equal(p[i][k], i & 0xff);
	free(p);
	free(len);
	hh_arena_clear(&a);
	/* A cleared arena is reusable. */
	char *s = hh_arena_strdup(&a, "again");
	assert_string_equal(s, "again");
	hh_arena_clear(&a);
}

/* Allocations bigger than a chunk, interleaved with small ones: the small
 * ones keep being served and nothing is overwritten. */
static void arena_big_allocations(void **state)
{
	(void)state;
	struct hh_arena a;
	hh_arena_init(&a);
	/* First allocation of all is big (no current chunk yet). */
	size_t sizes[] = { 100000, 5000, 4097, 8192, 8193, 1 << 20 };
	enum { NB = sizeof(sizes) / sizeof(sizes[0]) };
	unsigned char *big[NB], *small[NB];
	for (int i = 0; i < NB; i++) {
		big[i] = hh_arena_alloc(&a, sizes[i]);
		assert_int_equal((uintptr_t)big[i] % 16, 0);
		memset(big[i], 0xa0 + i, sizes[i]);
		small[i] = hh_arena_alloc(&a, 24);
		memset(small[i], i, 24);
	}
	for (int i = 0; i < NB; i++) {
		for (size_t k = 0; k < sizes[i]; k++)
			if (big[i][k] != 0xa0 + i)
				fail_msg("big block %d overwritten at %zu", i, k);
		for (size_t k = 0; k < 24; k++)
			assert_int_equal(small[i][k], i);
	}
	hh_arena_clear(&a);
}

static void arena_strings(void **state)
{
	(void)state;
	struct hh_arena a;
	hh_arena_init(&a);
	assert_string_equal(hh_arena_strndup(&a, "abcdef", 3), "abc");
	assert_string_equal(hh_arena_strdup(&a, ""), "");
	assert_string_equal(hh_arena_printf(&a, "%s-%d-%05.1f", "x", 42, 3.14),
			    "x-42-003.1");
	/* printf longer than a chunk */
	char *long_s = hh_arena_printf(&a, "%20000d", 7);
	assert_int_equal(strlen(long_s), 20000);
	assert_int_equal(long_s[19999], '7');
	/* zero-size allocations give distinct usable pointers, never NULL */
	assert_non_null(hh_arena_alloc(&a, 0));
	hh_arena_clear(&a);
}

struct defer_log {
	int order[8];
	int n;
};

static struct defer_log *defer_log_global;

static void defer_fn(void *p)
{
	int id = (int)(intptr_t)p;
	defer_log_global->order[defer_log_global->n++] = id;
}

static void arena_defer_last_first(void **state)
{
	(void)state;
	struct defer_log log = { { 0 }, 0 };
	defer_log_global = &log;
	struct hh_arena a;
	hh_arena_init(&a);
	for (int i = 1; i <= 5; i++) {
		hh_arena_alloc(&a, 3000); /* defers spread over chunks */
		hh_arena_defer(&a, defer_fn, (void *)(intptr_t)i);
	}
	assert_int_equal(log.n, 0);
	hh_arena_clear(&a);
	assert_int_equal(log.n, 5);
	for (int i = 0; i < 5; i++)
		assert_int_equal(log.order[i], 5 - i);
	/* a second clear runs nothing again */
	hh_arena_clear(&a);
	assert_int_equal(log.n, 5);
}

/* Deferred frees of heap objects (the json_t use case) run; ASan's leak
 * check fails this test if they do not. */
static void arena_defer_frees(void **state)
{
	(void)state;
	struct hh_arena a;
	hh_arena_init(&a);
	hh_arena_defer(&a, free, hh_xmalloc(100));
	json_t *j = json_pack("{s:i}", "a", 1);
	hh_arena_defer(&a, hh_json_release, j);
	hh_arena_clear(&a);
}

/* ---- buf -------------------------------------------------------------- */

static void buf_basics(void **state)
{
	(void)state;
	struct hh_buf b;
	hh_buf_init(&b);
	assert_string_equal(hh_buf_str(&b), "");
	hh_buf_puts(&b, "ab");
	hh_buf_putc(&b, 'c');
	hh_buf_append(&b, "dexx", 2);
	hh_buf_append(&b, NULL, 0);
	assert_string_equal(hh_buf_str(&b), "abcde");
	assert_int_equal(b.len, 5);
	size_t cap = b.cap;
	hh_buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(hh_buf_str(&b), "");
	assert_int_equal(b.cap, cap);
	/* embedded NUL bytes are kept by append */
	hh_buf_append(&b, "a\0b", 3);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "a\0b", 4);
	char *s = hh_buf_steal(&b);
	assert_memory_equal(s, "a\0b", 4);
	free(s);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	/* stealing an empty buffer gives "" the caller frees */
	s = hh_buf_steal(&b);
	assert_string_equal(s, "");
	free(s);
	hh_buf_clear(&b);
}

static void buf_printf_growth(void **state)
{
	(void)state;
	struct hh_buf b;
	hh_buf_init(&b);
	hh_buf_printf(&b, "%s", ""); /* empty printf on an empty buffer */
	assert_string_equal(hh_buf_str(&b), "");
	for (int i = 0; i < 1000; i++)
		hh_buf_printf(&b, "%04d,", i);
	assert_int_equal(b.len, 5000);
	assert_true(b.cap > b.len);
	assert_memory_equal(b.data, "0000,0001,", 10);
	assert_memory_equal(b.data + 4995, "0999,", 5);
	assert_int_equal(b.data[b.len], 0);
	/* one printf far larger than the current capacity */
	hh_buf_reset(&b);
	hh_buf_printf(&b, "<%*s>", 70000, "x");
	assert_int_equal(b.len, 70002);
	assert_int_equal(b.data[0], '<');
	assert_int_equal(b.data[70000], 'x');
	assert_int_equal(b.data[70001], '>');
	assert_int_equal(strlen(b.data), 70002);
	hh_buf_clear(&b);
}

static void buf_html_escaping(void **state)
{
	(void)state;
	struct hh_buf b;
	hh_buf_init(&b);
	hh_buf_html(&b, "<a href=\"x\" title='y'>Tom & Jerry</a>");
	assert_string_equal(hh_buf_str(&b),
			    "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;"
			    "Tom &amp; Jerry&lt;/a&gt;");
	hh_buf_reset(&b);
	hh_buf_html(&b, "æøå plain");
	assert_string_equal(hh_buf_str(&b), "æøå plain");
	hh_buf_reset(&b);
	hh_buf_html(&b, "&&");
	assert_string_equal(hh_buf_str(&b), "&amp;&amp;");
	hh_buf_reset(&b);
	hh_buf_html(&b, "");
	assert_string_equal(hh_buf_str(&b), "");
	hh_buf_clear(&b);
}

/* s-fast: hh_html_escape_n (runs of plain bytes copied at once, as the
 * snippets use it) escapes the first n bytes as hh_buf_html escapes the
 * string: every byte value, specials at the start, the end, in a row. */
static void html_escape_n_agrees(void **state)
{
	(void)state;
	struct hh_buf b;
	hh_buf_init(&b);
	static const char pool[] = "&<>\"'ab \xc3\xa6\xc3\xb8-";
	uint32_t x = 7;
	/* s-http: up to 79 bytes, so that the sixteen-byte steps of the
	 * SSE2 scan meet specials at every place in a block and after it */
	for (int r = 0; r < 40000; r++) {
		char in[80], out[80 * 6 + 1];
		size_t len = (size_t)(r % 79);
		for (size_t k = 0; k < len; k++) {
			x = x * 1103515245u + 12345u;
			/* now and then any byte but NUL */
			in[k] = (x >> 28) == 0 ? (char)(1 + (x >> 16) % 255)
					       : pool[(x >> 16) % (sizeof(pool) - 1)];
		}
		in[len] = 0;
		/* the first n bytes only: what follows is not read */
		size_t n = len - (len ? (size_t)(r % 3) % len : 0);
		char *end = hh_html_escape_n(out, in, n);
		*end = 0;
		char cut[80];
		memcpy(cut, in, n);
		cut[n] = 0;
		hh_buf_reset(&b);
		hh_buf_html(&b, cut);
		assert_string_equal(out, hh_buf_str(&b));
	}
	hh_buf_clear(&b);
}

static void buf_urlenc(void **state)
{
	(void)state;
	struct hh_buf b;
	hh_buf_init(&b);
	hh_buf_urlenc(&b, "AZaz09-_.~");
	assert_string_equal(hh_buf_str(&b), "AZaz09-_.~");
	hh_buf_reset(&b);
	hh_buf_urlenc(&b, "a b&c=d/e?f#g+h%");
	assert_string_equal(hh_buf_str(&b),
			    "a%20b%26c%3Dd%2Fe%3Ff%23g%2Bh%25");
	hh_buf_reset(&b);
	hh_buf_urlenc(&b, "bøger");
	assert_string_equal(hh_buf_str(&b), "b%C3%B8ger");
	hh_buf_clear(&b);
	/* s-http: the encoder that appends runs against byte by byte, on
	 * random strings of every byte but NUL, after text of varying
	 * length so that the buffer grows at odd places */
	uint32_t x = 99;
	for (int r = 0; r < 20000; r++) {
		char in[64], want[3 * 64 + 8], *w = want;
		size_t len = (size_t)(r % 63);
		for (size_t k = 0; k < len; k++) {
			x = x * 1103515245u + 12345u;
			unsigned v = (x >> 16) % 512;
			in[k] = v < 256 ? (char)(1 + v % 255)
					: "az09AZ-_.~ %&+"[v % 14];
		}
		in[len] = 0;
		for (size_t k = 0; k < len; k++) {
			unsigned char c = (unsigned char)in[k];
			if (isalnum(c) || strchr("-_.~", c))
				*w++ = (char)c;
			else
				w += sprintf(w, "%%%02X", c);
		}
		*w = 0;
		hh_buf_clear(&b);
		for (int k = 0; k < r % 5; k++)
			hh_buf_putc(&b, 'p');
		hh_buf_urlenc(&b, in);
		assert_int_equal(b.len, (size_t)(r % 5) + strlen(want));
		if (b.len)
			assert_string_equal(b.data + r % 5, want);
	}
	hh_buf_clear(&b);
}

/* JSON string literals: every byte that must be escaped is, wherever it
 * falls relative to the eight-byte blocks the writer scans, and UTF-8 and
 * DEL pass as they are. */
static void buf_json_escaping(void **state)
{
	(void)state;
	struct hh_buf b;
	hh_buf_init(&b);
	hh_buf_json(&b, "");
	assert_string_equal(hh_buf_str(&b), "\"\"");
	hh_buf_reset(&b);
	hh_buf_json(&b, "plain æøå \x7f text, longer than a block");
	assert_string_equal(hh_buf_str(&b),
			    "\"plain æøå \x7f text, longer than a block\"");
	hh_buf_reset(&b);
	hh_buf_json(&b, "a\"b\\c\nd\re\tf\x01g\x1fh");
	assert_string_equal(hh_buf_str(&b),
			    "\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u001fh\"");
	/* one special byte at every offset of a 20-byte string, appended
	 * after other text so the buffer grows at odd places */
	const char specials[] = "\"\\\n\x02 ";
	const char *want_esc[] = { "\\\"", "\\\\", "\\n", "\\u0002", " " };
	for (int k = 0; k < 5; k++) {
		for (int at = 0; at < 20; at++) {
			char in[21], want[64];
			memset(in, 'x', 20);
			in[20] = 0;
			in[at] = specials[k];
			snprintf(want, sizeof(want), "pre\"%.*s%s%s\"", at, in,
				 want_esc[k], in + at + 1);
			hh_buf_clear(&b);
			hh_buf_puts(&b, "pre");
			hh_buf_json(&b, in);
			assert_string_equal(hh_buf_str(&b), want);
			assert_int_equal(b.len, strlen(want));
		}
	}
	/* a long string that is all escapes: 6 bytes each */
	char ctl[3001];
	memset(ctl, 1, 3000);
	ctl[3000] = 0;
	hh_buf_reset(&b);
	hh_buf_json(&b, ctl);
	assert_int_equal(b.len, 2 + 6 * 3000);
	assert_memory_equal(b.data + 1 + 6 * 2999, "\\u0001\"", 8);
	assert_int_equal(b.data[b.len], 0);
	hh_buf_clear(&b);
}

/* s-http: hh_buf_json (sixteen bytes a step with SSE2, then eight, then
 * one) against the byte-by-byte escape, on random strings of up to 99
 * bytes: quotes, backslashes, control bytes, 0x1f and 0x20 (the edge of
 * the control range), DEL, UTF-8 and bytes of 0x80 and up (which the
 * unsigned compare must not take for control bytes), appended after
 * text of varying length so that the buffer grows at odd places. */
static void json_escape_agrees(void **state)
{
	(void)state;
	static const char pool[] = "\"\\\x01\x1f \x7f\x80\xff\xc3\xa6" "ab\n\t";
	struct hh_buf b;
	hh_buf_init(&b);
	uint32_t x = 11;
	for (int r = 0; r < 40000; r++) {
		char in[100], want[2 + 6 * 100 + 8], *w = want;
		size_t len = (size_t)(r % 99);
		for (size_t k = 0; k < len; k++) {
			x = x * 1103515245u + 12345u;
			in[k] = (x >> 28) == 0 ? (char)(1 + (x >> 16) % 255)
					       : pool[(x >> 16) % (sizeof(pool) - 1)];
		}
		in[len] = 0;
		*w++ = '"';
		for (size_t k = 0; k < len; k++) {
			unsigned char c = (unsigned char)in[k];
			if (c == '"' || c == '\\') {
				*w++ = '\\';
				*w++ = (char)c;
			} else if (c == '\n') {
				w += sprintf(w, "\\n");
			} else if (c == '\r') {
				w += sprintf(w, "\\r");
			} else if (c == '\t') {
				w += sprintf(w, "\\t");
			} else if (c < 0x20) {
				w += sprintf(w, "\\u%04x", c);
			} else {
				*w++ = (char)c;
			}
		}
		*w++ = '"';
		*w = 0;
		hh_buf_clear(&b);
		for (int k = 0; k < r % 7; k++)
			hh_buf_putc(&b, 'p');
		hh_buf_json(&b, in);
		assert_int_equal(b.len, (size_t)(r % 7) + strlen(want));
		assert_string_equal(b.data + r % 7, want);
	}
	hh_buf_clear(&b);
}

static void buf_int_and_reserve(void **state)
{
	(void)state;
	struct hh_buf b;
	hh_buf_init(&b);
	hh_buf_reserve(&b, 1000);
	assert_true(b.cap >= 1001);
	char *data = b.data;
	for (int i = 0; i < 100; i++)
		hh_buf_putc(&b, 'x');
	assert_ptr_equal(b.data, data); /* no reallocation within the room */
	hh_buf_reset(&b);
	hh_buf_int(&b, 0);
	hh_buf_putc(&b, ' ');
	hh_buf_int(&b, -7);
	hh_buf_putc(&b, ' ');
	hh_buf_int(&b, 1234567890123LL);
	hh_buf_putc(&b, ' ');
	hh_buf_int(&b, INT64_MIN);
	hh_buf_putc(&b, ' ');
	hh_buf_int(&b, INT64_MAX);
	assert_string_equal(hh_buf_str(&b),
			    "0 -7 1234567890123 -9223372036854775808 "
			    "9223372036854775807");
	/* printf that fits the room left, and one that just does not */
	hh_buf_clear(&b);
	hh_buf_reserve(&b, 10);
	size_t cap = b.cap;
	hh_buf_printf(&b, "%s", "abc");
	assert_int_equal(b.cap, cap);
	char fill[512];
	memset(fill, 'y', sizeof(fill) - 1);
	fill[sizeof(fill) - 1] = 0;
	hh_buf_printf(&b, "%.*s", (int)(cap - b.len - 1), fill);
	assert_int_equal(b.len, cap - 1);
	assert_int_equal(b.cap, cap);
	hh_buf_printf(&b, "%d", 42);
	assert_int_equal(b.len, cap + 1);
	assert_memory_equal(b.data + cap - 1, "42", 3);
	assert_memory_equal(b.data, "abcyyy", 6);
	hh_buf_clear(&b);
}

/* ---- validators ------------------------------------------------------- */

#define UTF8_OK(lit) assert_true(hh_utf8_valid(lit, sizeof(lit) - 1))
#define UTF8_BAD(lit) assert_false(hh_utf8_valid(lit, sizeof(lit) - 1))

static void utf8_valid_accepts(void **state)
{
	(void)state;
	UTF8_OK("");
	UTF8_OK("plain ascii");
	UTF8_OK("æøå ÆØÅ");
	UTF8_OK("\xc2\x80");         /* U+0080, smallest 2-byte */
	UTF8_OK("\xdf\xbf");         /* U+07FF */
	UTF8_OK("\xe0\xa0\x80");     /* U+0800, smallest 3-byte */
	UTF8_OK("\xe2\x82\xac");     /* € */
	UTF8_OK("\xed\x9f\xbf");     /* U+D7FF, just below surrogates */
	UTF8_OK("\xee\x80\x80");     /* U+E000, just above */
	UTF8_OK("\xef\xbf\xbf");     /* U+FFFF */
	UTF8_OK("\xf0\x90\x80\x80"); /* U+10000, smallest 4-byte */
	UTF8_OK("\xf0\x9f\x98\x80"); /* 😀 */
	UTF8_OK("\xf4\x8f\xbf\xbf"); /* U+10FFFF, the last code point */
	/* len limits the check: a bad byte after len is not looked at */
	assert_true(hh_utf8_valid("ab\xff", 2));
}

static void utf8_valid_rejects(void **state)
{
	(void)state;
	/* overlong forms */
	UTF8_BAD("\xc0\x80");
	UTF8_BAD("\xc1\xbf");
	UTF8_BAD("\xe0\x80\x80");
	UTF8_BAD("\xe0\x9f\xbf");
	UTF8_BAD("\xf0\x80\x80\x80");
	UTF8_BAD("\xf0\x8f\xbf\xbf");
	/* UTF-16 surrogates */
	UTF8_BAD("\xed\xa0\x80");
	UTF8_BAD("\xed\xbf\xbf");
	/* truncated sequences, at the end and before another char */
	UTF8_BAD("\xc3");
	UTF8_BAD("a\xc3");
	UTF8_BAD("\xe2\x82");
	UTF8_BAD("\xf0\x9f\x98");
	UTF8_BAD("\xc3" "a");
	UTF8_BAD("\xe2\x82" "a");
	/* beyond U+10FFFF and invalid lead bytes */
	UTF8_BAD("\xf4\x90\x80\x80");
	UTF8_BAD("\xf5\x80\x80\x80");
	UTF8_BAD("\xf7\xbf\xbf\xbf");
	UTF8_BAD("\xf8\x88\x80\x80\x80");
	UTF8_BAD("\xff");
	UTF8_BAD("\xfe");
	/* a lone continuation byte */
	UTF8_BAD("\x80");
	UTF8_BAD("a\xbf" "b");
	/* NUL anywhere */
	UTF8_BAD("\0");
	UTF8_BAD("a\0b");
	UTF8_BAD("æ\0");
	/* a valid prefix does not save a bad tail */
	UTF8_BAD("æøå\xc3\x28");
}

static void slug_valid(void **state)
{
	(void)state;
	assert_true(hh_slug_valid("ab"));
	assert_true(hh_slug_valid("12"));
	assert_true(hh_slug_valid("a-b"));
	assert_true(hh_slug_valid("flytning-meld-flytning"));
	assert_true(hh_slug_valid("a1-2b-c3"));
	char s[82];
	memset(s, 'a', 80);
	s[80] = 0;
	assert_true(hh_slug_valid(s));
	s[80] = 'a';
	s[81] = 0;
	assert_false(hh_slug_valid(s));

	assert_false(hh_slug_valid(""));
	assert_false(hh_slug_valid("a"));
	assert_false(hh_slug_valid("-a"));
	assert_false(hh_slug_valid("a-"));
	assert_false(hh_slug_valid("a--b"));
	assert_false(hh_slug_valid("--"));
	assert_false(hh_slug_valid("Ab"));
	assert_false(hh_slug_valid("a_b"));
	assert_false(hh_slug_valid("a b"));
	assert_false(hh_slug_valid("a.b"));
	assert_false(hh_slug_valid("a/b"));
	assert_false(hh_slug_valid("../x"));
	assert_false(hh_slug_valid("bøger"));
}

static void kle_valid(void **state)
{
	(void)state;
	assert_true(hh_kle_valid(""));
	assert_true(hh_kle_valid("00"));
	assert_true(hh_kle_valid("29.09"));
	assert_true(hh_kle_valid("29.09.02"));

	assert_false(hh_kle_valid("0"));
	assert_false(hh_kle_valid("000"));
	assert_false(hh_kle_valid("29.9"));
	assert_false(hh_kle_valid("29.090"));
	assert_false(hh_kle_valid("29-09"));
	assert_false(hh_kle_valid("29.09."));
	assert_false(hh_kle_valid("29.09.02.01"));
	assert_false(hh_kle_valid("ab.cd"));
	assert_false(hh_kle_valid(" 29"));
	assert_false(hh_kle_valid("29 "));
	assert_false(hh_kle_valid(".29.09"));
	assert_false(hh_kle_valid("29..09"));
}

static void rc_names(void **state)
{
	(void)state;
	assert_string_equal(hh_rc_name(HH_OK), "ok");
	assert_string_equal(hh_rc_name(HH_ERR_BUSY), "busy");
	assert_string_equal(hh_rc_name(HH_ERR_CONFLICT), "conflict");
	assert_string_equal(hh_rc_name((enum hh_rc)99), "unknown");
}

static void time_iso(void **state)
{
	(void)state;
	char out[21];
	hh_time_iso(0, out);
	assert_string_equal(out, "1970-01-01T00:00:00Z");
	hh_time_iso(1700000000, out);
	assert_string_equal(out, "2023-11-14T22:13:20Z");
}

int main(void)
{
	hh_auth_init();
	hh_log_set_level(HH_LOG_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(arena_many_small),
		cmocka_unit_test(arena_grow_keeps_items),
		cmocka_unit_test(arena_big_allocations),
		cmocka_unit_test(arena_strings),
		cmocka_unit_test(arena_defer_last_first),
		cmocka_unit_test(arena_defer_frees),
		cmocka_unit_test(buf_basics),
		cmocka_unit_test(buf_printf_growth),
		cmocka_unit_test(buf_html_escaping),
		cmocka_unit_test(html_escape_n_agrees),
		cmocka_unit_test(buf_urlenc),
		cmocka_unit_test(buf_json_escaping),
		cmocka_unit_test(json_escape_agrees),
		cmocka_unit_test(buf_int_and_reserve),
		cmocka_unit_test(utf8_valid_accepts),
		cmocka_unit_test(utf8_valid_rejects),
		cmocka_unit_test(slug_valid),
		cmocka_unit_test(kle_valid),
		cmocka_unit_test(rc_names),
		cmocka_unit_test(time_iso),
	};
	return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
