/* buf.h - a growable byte buffer, heap-backed, always NUL-terminated. */
#ifndef HH_BUF_H
#define HH_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

struct hh_buf {
	char *data; /* NUL-terminated; NULL until the first append */
	size_t len, cap;
};

void hh_buf_init(struct hh_buf *b);
void hh_buf_clear(struct hh_buf *b);
void hh_buf_reset(struct hh_buf *b); /* len = 0, keeps the memory */
/* Makes room for n more bytes, so that appending them does not
 * reallocate (a response whose usual size is known). */
void hh_buf_reserve(struct hh_buf *b, size_t n);
void hh_buf_append(struct hh_buf *b, const void *p, size_t n);

/* s-http: hh_buf_append's common case (the room is there) inline, and
 * puts and putc through it: a response is a few hundred of them, mostly
 * of literals, whose strlen the compiler folds. The same bytes as
 * hh_buf_append. */
static inline void hh_buf_add(struct hh_buf *b, const void *p, size_t n)
{
	if (b->len + n < b->cap) { /* also false while data is NULL */
		memcpy(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = 0;
		return;
	}
	hh_buf_append(b, p, n);
}

static inline void hh_buf_puts(struct hh_buf *b, const char *s)
{
	hh_buf_add(b, s, strlen(s));
}

static inline void hh_buf_putc(struct hh_buf *b, char c)
{
	hh_buf_add(b, &c, 1);
}
void hh_buf_printf(struct hh_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Appends n in decimal (no printf on hot paths). */
void hh_buf_int(struct hh_buf *b, long long n);
/* Appends s with & < > " ' escaped for HTML text and attributes. */
void hh_buf_html(struct hh_buf *b, const char *s);
/* The same for the n bytes at s (no NUL needed). */
void hh_buf_html_n(struct hh_buf *b, const char *s, size_t n);
/* Writes the n bytes at s, escaped as hh_buf_html does, to o, which has
 * room for 6 * n bytes (no NUL); returns the end of what it wrote. */
char *hh_html_escape_n(char *o, const char *s, size_t n);
/* Appends s as a JSON string literal (quotes included; UTF-8 kept). */
void hh_buf_json(struct hh_buf *b, const char *s);
/* Appends s percent-encoded for a URL query component. */
void hh_buf_urlenc(struct hh_buf *b, const char *s);
/* Returns the contents (never NULL) and gives up ownership: the caller
 * frees the result; b is left empty. */
char *hh_buf_steal(struct hh_buf *b);
/* Returns the contents, borrowed ("" when empty). */
const char *hh_buf_str(const struct hh_buf *b);

#endif
