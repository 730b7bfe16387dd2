/* amount.c - kroner as Danes write them, kept as integer øre.
 *
 * A point groups thousands and a comma starts the øre. Anything an
 * English reader would read differently ("6.50", "6,500") is refused as
 * ambiguous rather than guessed at: money is never silently wrong. */
#include "domain/forms.h"

#include <stdio.h>
#include <string.h>

/* The spaces people (and word processors) put between digit groups. */
static size_t space_at(const char *s)
{
	if (*s == ' ' || *s == '\t')
		return 1;
	if ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)
		return 2; /* no-break space */
	if ((unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 &&
	    ((unsigned char)s[2] == 0x89 || (unsigned char)s[2] == 0xAF))
		return 3; /* thin space, narrow no-break space */
	return 0;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Copies s into out with every kind of space as one ' ', trimmed and
 * without a trailing "kr.", "kr" or ",-". Returns 0 when it is too long. */
static int normalise(const char *s, char *out, size_t size)
{
	size_t n = 0;
	while (*s) {
		size_t sp = space_at(s);
		if (n + 2 >= size)
			return 0;
		if (sp) {
			out[n++] = ' ';
			s += sp;
		} else {
			out[n++] = *s++;
		}
	}
	out[n] = 0;
	/* trim, then the currency, then trim again */
	char *b = out;
	while (*b == ' ')
		b++;
	memmove(out, b, strlen(b) + 1);
	n = strlen(out);
	while (n && out[n - 1] == ' ')
		out[--n] = 0;
	if (n >= 3 && (!strcmp(out + n - 3, "kr.") || !strcmp(out + n - 3, "Kr.")))
		out[n -= 3] = 0;
	else if (n >= 2 && (!strcmp(out + n - 2, "kr") || !strcmp(out + n - 2, "Kr") ||
			    !strcmp(out + n - 2, ",-")))
		out[n -= 2] = 0;
	while (n && out[n - 1] == ' ')
		out[--n] = 0;
	return 1;
}

enum hh_amount_rc hh_amount_parse(const char *text, int64_t *ore)
{
	char s[128];
	if (!text || !normalise(text, s, sizeof(s)))
		return HH_AMOUNT_MALFORMED;
	const char *p = s;
	if (*p == '-' || !strncmp(p, "\xE2\x88\x92", 3))
		return HH_AMOUNT_NEGATIVE;
	/* the kroner: digit groups split by one kind of separator */
	int groups = 0, first_len = 0, last_len = 0, bad_group = 0;
	char sep = 0;
	int64_t kroner = 0;
	int too_big = 0;
	for (;;) {
		int len = 0;
		while (is_digit(*p)) {
			if (kroner > HH_AMOUNT_MAX_ORE / 10)
				too_big = 1;
			else
				kroner = kroner * 10 + (*p - '0');
			len++;
			p++;
		}
		if (!len)
			return HH_AMOUNT_MALFORMED; /* "", ",5", "1..2", "6 " */
		groups++;
		if (groups == 1)
			first_len = len;
		else if (len != 3)
			bad_group = 1;
		last_len = len;
		if (*p != '.' && *p != ' ')
			break;
		if (sep && sep != *p)
			return HH_AMOUNT_MALFORMED; /* "1.234 567" */
		sep = *p++;
	}
	int64_t sub = 0;
	int comma = *p == ',';
	if (comma) {
		p++;
		int len = 0;
		while (is_digit(*p)) {
			if (len < 3)
				sub = sub * 10 + (*p - '0');
			len++;
			p++;
		}
		if (*p == '.' || *p == ',' || (len == 3 && !sep))
			return HH_AMOUNT_AMBIGUOUS; /* "6,500", "6,500.50" */
		if (!len || len > 2 || *p)
			return HH_AMOUNT_MALFORMED;
		if (len == 1)
			sub *= 10; /* "6,5" is six kroner fifty */
	} else if (*p) {
		return HH_AMOUNT_MALFORMED; /* "1e3", "+5", "12abc" */
	}
	if (groups > 1 && (first_len > 3 || bad_group)) {
		/* "6.50", "6.5": an English decimal point */
		if (sep == '.' && groups == 2 && last_len <= 2 && !comma)
			return HH_AMOUNT_AMBIGUOUS;
		return HH_AMOUNT_MALFORMED; /* "1.2.3", "12.3456" */
	}
	if (too_big || kroner > (HH_AMOUNT_MAX_ORE - sub) / 100)
		return HH_AMOUNT_TOO_BIG;
	*ore = kroner * 100 + sub;
	return HH_AMOUNT_OK;
}

void hh_amount_format(int64_t ore, char out[HH_AMOUNT_SIZE])
{
	int neg = ore < 0;
	/* the magnitude without overflow for INT64_MIN */
	uint64_t m = neg ? (uint64_t)0 - (uint64_t)ore : (uint64_t)ore;
	uint64_t kroner = m / 100;
	unsigned sub = (unsigned)(m % 100);
	char digits[24];
	int n = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)kroner);
	char grouped[32]; /* 20 digits and their points at most */
	int g = 0;
	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			grouped[g++] = '.';
		grouped[g++] = digits[i];
	}
	grouped[g] = 0;
	snprintf(out, HH_AMOUNT_SIZE, "%s%s,%02u kr.", neg ? "-" : "", grouped, sub);
}
