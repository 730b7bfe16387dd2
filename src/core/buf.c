/* buf.c - growable byte buffer. */
#include "core/buf.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

void hh_buf_append(struct hh_buf *b, const void *p, size_t n)
{
	grow(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = 0;
}

void hh_buf_puts(struct hh_buf *b, const char *s)
{
	hh_buf_append(b, s, strlen(s));
}

void hh_buf_putc(struct hh_buf *b, char c)
{
	hh_buf_append(b, &c, 1);
}

void hh_buf_printf(struct hh_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void hh_buf_html(struct hh_buf *b, const char *s)
{
	const char *run = s;
	for (; *s; s++) {
		const char *rep;
		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		hh_buf_append(b, run, (size_t)(s - run));
		hh_buf_puts(b, rep);
		run = s + 1;
	}
	hh_buf_append(b, run, (size_t)(s - run));
}

void hh_buf_json(struct hh_buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	hh_buf_putc(b, '"');
	const char *run = s;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		hh_buf_append(b, run, (size_t)(s - run));
		switch (c) {
		case '"': hh_buf_puts(b, "\\\""); break;
		case '\\': hh_buf_puts(b, "\\\\"); break;
		case '\n': hh_buf_puts(b, "\\n"); break;
		case '\r': hh_buf_puts(b, "\\r"); break;
		case '\t': hh_buf_puts(b, "\\t"); break;
		default: {
			char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			hh_buf_append(b, e, 6);
		}
		}
		run = s + 1;
	}
	hh_buf_append(b, run, (size_t)(s - run));
	hh_buf_putc(b, '"');
}

void hh_buf_urlenc(struct hh_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
		    c == '~') {
			hh_buf_putc(b, (char)c);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };
			hh_buf_append(b, e, 3);
		}
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
