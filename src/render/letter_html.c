/* letter_html.c - a letter as HTML (see letter_html.h). */
#include "render/letter_html.h"

#include <string.h>

/* The n bytes at s, escaped, with each "\n" a <br>. */
static void lines(struct hh_buf *b, const char *s, size_t n)
{
	const char *end = s + n;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t k = nl ? (size_t)(nl - s) : (size_t)(end - s);
		hh_buf_html_n(b, s, k);
		if (!nl)
			break;
		hh_buf_puts(b, "<br>");
		s = nl + 1;
	}
}

/* One paragraph block (no blank line inside) of n bytes at p. */
static void block(struct hh_buf *b, const char *p, size_t n)
{
	if (n >= 3 && !strncmp(p, "## ", 3)) {
		hh_buf_puts(b, "<h3>");
		lines(b, p + 3, n - 3);
		hh_buf_puts(b, "</h3>\n");
		return;
	}
	if (n >= 2 && !strncmp(p, "- ", 2)) {
		/* each "- " line an item; other lines continue it */
		const char *end = p + n, *item = p;
		hh_buf_puts(b, "<ul>\n");
		while (item < end) {
			const char *next = item;
			for (;;) {
				const char *nl = memchr(next, '\n', (size_t)(end - next));
				if (!nl) {
					next = end;
					break;
				}
				next = nl + 1;
				if (end - next >= 2 && !strncmp(next, "- ", 2))
					break;
			}
			size_t k = (size_t)(next - item);
			if (k && item[k - 1] == '\n')
				k--;
			hh_buf_puts(b, "<li>");
			/* continuation lines join with a space, as in the PDF */
			for (size_t i = 2; i < k; i++) {
				if (item[i] == '\n')
					hh_buf_putc(b, ' ');
				else
					hh_buf_html_n(b, item + i, 1);
			}
			hh_buf_puts(b, "</li>\n");
			item = next;
		}
		hh_buf_puts(b, "</ul>\n");
		return;
	}
	hh_buf_puts(b, "<p>");
	lines(b, p, n);
	hh_buf_puts(b, "</p>\n");
}

static void body(struct hh_buf *b, const char *p)
{
	while (*p) {
		while (*p == '\n')
			p++;
		if (!*p)
			break;
		const char *end = strstr(p, "\n\n");
		if (!end)
			end = p + strlen(p);
		block(b, p, (size_t)(end - p));
		p = end;
	}
}

static void part(struct hh_buf *b, const char *cls, const char *s)
{
	if (!s || !*s)
		return;
	hh_buf_printf(b, "<p class=\"%s\">", cls);
	lines(b, s, strlen(s));
	hh_buf_puts(b, "</p>\n");
}

enum hh_rc hh_letter_html(const struct hh_letter_doc *doc, struct hh_buf *out)
{
	if (!doc->sender || !doc->recipient || !doc->date || !doc->title ||
	    !doc->body)
		return HH_ERR_INVALID;
	struct hh_buf *b = out;
	hh_buf_puts(b, "<article class=\"letter\">\n<header class=\"letter-head\">\n"
		       "<p class=\"letter-sender\"><strong>");
	hh_buf_html(b, doc->sender);
	hh_buf_puts(b, "</strong>");
	if (doc->sender_lines && *doc->sender_lines) {
		hh_buf_puts(b, "<br>");
		lines(b, doc->sender_lines, strlen(doc->sender_lines));
	}
	hh_buf_puts(b, "</p>\n");
	part(b, "letter-recipient", doc->recipient);
	hh_buf_puts(b, "<p class=\"letter-date\">Dato: ");
	hh_buf_html(b, doc->date);
	if (doc->reference && *doc->reference) {
		hh_buf_puts(b, "<br>");
		hh_buf_html(b, doc->reference);
	}
	hh_buf_puts(b, "</p>\n</header>\n<h2 class=\"letter-title\">");
	hh_buf_html(b, doc->title);
	hh_buf_puts(b, "</h2>\n<div class=\"letter-body\">\n");
	body(b, doc->body);
	hh_buf_puts(b, "</div>\n");
	part(b, "letter-closing", doc->closing);
	hh_buf_puts(b, "</article>\n");
	return HH_OK;
}
