/* csv.c - CSV for Danish Excel (see csv.h for the choices). */
#include "render/csv.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void hh_csv_begin(struct hh_csv *c, struct hh_buf *b)
{
	c->b = b;
	c->col = 0;
	hh_buf_puts(b, "\xef\xbb\xbf");
}

static void sep(struct hh_csv *c)
{
	if (c->col++)
		hh_buf_putc(c->b, ';');
}

void hh_csv_text(struct hh_csv *c, const char *s)
{
	sep(c);
	if (!s || !*s)
		return;
	/* a spreadsheet would take these first characters as a formula */
	int guard = strchr("=+-@\t\r", s[0]) != NULL;
	int quote = strpbrk(s, ";\"\r\n") != NULL;
	if (quote)
		hh_buf_putc(c->b, '"');
	if (guard)
		hh_buf_putc(c->b, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			hh_buf_putc(c->b, '"');
		hh_buf_putc(c->b, *p);
	}
	if (quote)
		hh_buf_putc(c->b, '"');
}

void hh_csv_num(struct hh_csv *c, double v, int decimals)
{
	sep(c);
	if (isnan(v) || isinf(v))
		return;
	if (decimals < 0)
		decimals = 0;
	if (decimals > 6)
		decimals = 6;
	char tmp[64];
	snprintf(tmp, sizeof(tmp), "%.*f", decimals, v);
	/* "-0,0" is 0 */
	if (tmp[0] == '-' && strspn(tmp + 1, "0.") == strlen(tmp + 1))
		memmove(tmp, tmp + 1, strlen(tmp));
	char *dot = strchr(tmp, '.');
	if (dot)
		*dot = ',';
	hh_buf_puts(c->b, tmp);
}

void hh_csv_int(struct hh_csv *c, int64_t v)
{
	sep(c);
	hh_buf_int(c->b, (long long)v);
}

void hh_csv_end_row(struct hh_csv *c)
{
	hh_buf_puts(c->b, "\r\n");
	c->col = 0;
}

/* Appends the ASCII form of one UTF-8 name to out[*n], with "-" for
 * anything but letters and digits (never two in a row). */
static void fold(char *out, size_t size, size_t *n, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; p && *p;) {
		const char *put = NULL;
		char one[2] = { 0, 0 };
		int len = 1;
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')) {
			one[0] = (char)*p;
			put = one;
		} else if (*p >= 'A' && *p <= 'Z') {
			one[0] = (char)(*p - 'A' + 'a');
			put = one;
		} else if (p[0] == 0xC3 && p[1]) {
			len = 2;
			switch (p[1]) {
			case 0xA6: case 0x86: put = "ae"; break; /* æ Æ */
			case 0xB8: case 0x98: put = "oe"; break; /* ø Ø */
			case 0xA5: case 0x85: put = "aa"; break; /* å Å */
			case 0xA9: case 0x89: put = "e"; break;  /* é É */
			case 0xBC: case 0x9C: put = "u"; break;  /* ü Ü */
			case 0xB6: case 0x96: put = "o"; break;  /* ö Ö */
			case 0xA4: case 0x84: put = "a"; break;  /* ä Ä */
			default: put = "-"; break;
			}
		} else {
			put = "-";
			/* skip a whole multi-byte character */
			while ((p[len] & 0xC0) == 0x80)
				len++;
		}
		for (const char *q = put; *q; q++) {
			if (*q == '-' && (*n == 0 || out[*n - 1] == '-'))
				continue;
			if (*n + 1 < size)
				out[(*n)++] = *q;
		}
		p += len;
	}
	out[*n] = 0;
}

void hh_csv_filename(char *out, size_t size, const char *title,
		     const char *from, const char *to)
{
	size_t n = 0;
	if (!size)
		return;
	out[0] = 0;
	if (size < 6) /* not even "x.csv" */
		return;
	/* room for ".csv" and the NUL after the name */
	size_t room = size - 4;
	fold(out, room, &n, title);
	const char *parts[] = { from, to };
	for (int i = 0; i < 2; i++) {
		if (!parts[i] || !*parts[i])
			continue;
		if (n && out[n - 1] != '-' && n + 1 < room)
			out[n++] = '-';
		fold(out, room, &n, parts[i]);
	}
	while (n && out[n - 1] == '-')
		n--;
	if (!n)
		n = (size_t)snprintf(out, room, "tabel");
	memcpy(out + n, ".csv", 5);
}
