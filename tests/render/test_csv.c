/* test_csv.c - CSV for Danish Excel (render/csv.h): the byte order mark,
 * ";" and CRLF, RFC 4180 quoting read back by a small reader of the RFC,
 * decimal commas, empty fields for missing numbers, and the apostrophe
 * before text that a spreadsheet would run as a formula. */
#include "testutil.h"

#include <math.h>

#include "render/csv.h"

#define BOM "\xef\xbb\xbf"

/* Reads one RFC 4180 record with ";" from *p into fields (new strings);
 * returns their number and moves *p past the CRLF. */
static int read_record(const char **p, char **fields, int max)
{
	int n = 0;
	const char *s = *p;
	for (;;) {
		struct hh_buf f;
		hh_buf_init(&f);
		hh_buf_puts(&f, "");
		if (*s == '"') {
			s++;
			for (;;) {
				assert_true(*s != 0); /* a quote must close */
				if (*s == '"' && s[1] == '"') {
					hh_buf_putc(&f, '"');
					s += 2;
				} else if (*s == '"') {
					s++;
					break;
				} else {
					hh_buf_putc(&f, *s++);
				}
			}
		} else {
			while (*s && *s != ';' && *s != '\r' && *s != '\n')
				hh_buf_putc(&f, *s++);
		}
		assert_true(n < max);
		fields[n++] = hh_buf_steal(&f);
		if (*s == ';') {
			s++;
			continue;
		}
		/* records end in CRLF, never a bare LF */
		assert_int_equal(s[0], '\r');
		assert_int_equal(s[1], '\n');
		*p = s + 2;
		return n;
	}
}

static void free_fields(char **f, int n)
{
	for (int i = 0; i < n; i++)
		free(f[i]);
}

static void test_file(void **state)
{
	struct hh_buf b;
	hh_buf_init(&b);
	struct hh_csv c;
	hh_csv_begin(&c, &b);
	hh_csv_text(&c, "Sagstype");
	hh_csv_text(&c, "Median (dage)");
	hh_csv_text(&c, "Andel inden for frist (%)");
	hh_csv_text(&c, "Afgjorte");
	hh_csv_end_row(&c);
	hh_csv_text(&c, "Ændring af adresse; også for børn");
	hh_csv_num(&c, 12.26, 1);
	hh_csv_num(&c, 69.0, 1);
	hh_csv_int(&c, 1234);
	hh_csv_end_row(&c);
	hh_csv_text(&c, "Han sagde \"nej\"\r\nto linjer");
	hh_csv_num(&c, NAN, 1);
	hh_csv_num(&c, -0.45, 2);
	hh_csv_int(&c, -3);
	hh_csv_end_row(&c);
	const char *s = hh_buf_str(&b);
	/* the byte order mark first, then the header as written */
	assert_memory_equal(s, BOM, 3);
	const char *head = "Sagstype;Median (dage);Andel inden for frist "
			   "(%);Afgjorte\r\n";
	assert_int_equal(strncmp(s + 3, head, strlen(head)), 0);
	/* numbers as Danish Excel reads them */
	assert_non_null(strstr(s, ";12,3;69,0;1234\r\n"));
	assert_non_null(strstr(s, ";;-0,45;-3\r\n"));
	/* read back: the same fields */
	const char *p = s + 3;
	char *f[8];
	int n = read_record(&p, f, 8);
	assert_int_equal(n, 4);
	assert_string_equal(f[1], "Median (dage)");
	free_fields(f, n);
	n = read_record(&p, f, 8);
	assert_int_equal(n, 4);
	assert_string_equal(f[0], "Ændring af adresse; også for børn");
	assert_string_equal(f[3], "1234");
	free_fields(f, n);
	n = read_record(&p, f, 8);
	assert_int_equal(n, 4);
	assert_string_equal(f[0], "Han sagde \"nej\"\r\nto linjer");
	assert_string_equal(f[1], "");
	assert_string_equal(f[2], "-0,45");
	free_fields(f, n);
	assert_int_equal(*p, 0);
	hh_buf_clear(&b);
}

/* Text a spreadsheet would run gets an apostrophe first; quoting still
 * holds around it; ordinary text and our own negative numbers do not. */
static void test_formula_injection(void **state)
{
	struct { const char *in, *want; } cases[] = {
		{ "=HYPERLINK(\"http://x\";\"klik\")",
		  "'=HYPERLINK(\"http://x\";\"klik\")" },
		{ "+45 12 34 56 78", "'+45 12 34 56 78" },
		{ "-2+3", "'-2+3" },
		{ "@SUM(A1)", "'@SUM(A1)" },
		{ "\t=1", "'\t=1" },
		{ "Borgerservice", "Borgerservice" },
		{ "a=b", "a=b" },
		{ "", "" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hh_buf b;
		hh_buf_init(&b);
		struct hh_csv c;
		hh_csv_begin(&c, &b);
		hh_csv_text(&c, cases[i].in);
		hh_csv_num(&c, -1.5, 1);
		hh_csv_end_row(&c);
		const char *p = hh_buf_str(&b) + 3;
		char *f[4];
		int n = read_record(&p, f, 4);
		assert_int_equal(n, 2);
		assert_string_equal(f[0], cases[i].want);
		assert_string_equal(f[1], "-1,5");
		free_fields(f, n);
		hh_buf_clear(&b);
	}
	/* NULL is an empty field */
	struct hh_buf b;
	hh_buf_init(&b);
	struct hh_csv c;
	hh_csv_begin(&c, &b);
	hh_csv_text(&c, NULL);
	hh_csv_text(&c, "x");
	hh_csv_end_row(&c);
	assert_string_equal(hh_buf_str(&b), BOM ";x\r\n");
	hh_buf_clear(&b);
}

static void test_filename(void **state)
{
	char out[80];
	hh_csv_filename(out, sizeof(out), "Servicetal – behandlingstider på år",
			"2026-01-01", "2026-03-31");
	assert_string_equal(out,
			    "servicetal-behandlingstider-paa-aar-2026-01-01-2026-03-31.csv");
	hh_csv_filename(out, sizeof(out), "Æbler & Øl", NULL, NULL);
	assert_string_equal(out, "aebler-oel.csv");
	hh_csv_filename(out, sizeof(out), "\"; rm -rf /\r\n", NULL, NULL);
	assert_string_equal(out, "rm-rf.csv");
	hh_csv_filename(out, sizeof(out), "", NULL, NULL);
	assert_string_equal(out, "tabel.csv");
	/* a short buffer still ends in ".csv" and is terminated */
	char small[16];
	hh_csv_filename(small, sizeof(small), "behandlingstider", "2026-01-01",
			NULL);
	assert_true(strlen(small) < sizeof(small));
	assert_non_null(strstr(small, ".csv"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_formula_injection),
		cmocka_unit_test(test_filename),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
