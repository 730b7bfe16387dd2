/* test_multipart.c - multipart/form-data bodies (hh_multipart_parse): what
 * browsers send, and the malformed bodies that must be refused whole. */
#include "testutil.h"

#include "http/multipart.h"

#define CT "multipart/form-data; boundary=----WebKitFormBoundaryX1"
#define D "------WebKitFormBoundaryX1"

struct fixture {
	struct hh_arena a;
	struct hh_multipart_part parts[8];
	int n;
};

static int setup(void **state)
{
	struct fixture *f = hh_xcalloc(1, sizeof(*f));
	hh_arena_init(&f->a);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	hh_arena_clear(&f->a);
	free(f);
	return 0;
}

static enum hh_rc parse_n(struct fixture *f, const char *ct, const char *body,
			  size_t len, int max)
{
	return hh_multipart_parse(&f->a, ct, body, len, f->parts, max, &f->n);
}

static enum hh_rc parse(struct fixture *f, const char *ct, const char *body)
{
	return parse_n(f, ct, body, strlen(body), 8);
}

static void boundary_from_content_type(void **state)
{
	(void)state;
	char b[HH_MULTIPART_MAX_BOUNDARY + 1];
	assert_true(hh_multipart_boundary(CT, b));
	assert_string_equal(b, "----WebKitFormBoundaryX1");
	assert_true(hh_multipart_boundary("Multipart/Form-Data; charset=utf-8; "
					  "boundary=\"a b'c\"", b));
	assert_string_equal(b, "a b'c");
	assert_true(hh_multipart_boundary("multipart/form-data;boundary=x", b));
	assert_string_equal(b, "x");
	/* not multipart, no boundary, empty, too long, a space last, bad chars */
	assert_false(hh_multipart_boundary("application/x-www-form-urlencoded", b));
	assert_false(hh_multipart_boundary("multipart/form-data", b));
	assert_false(hh_multipart_boundary("multipart/form-data; boundary=", b));
	assert_false(hh_multipart_boundary("multipart/form-data; boundary=\"x \"", b));
	assert_false(hh_multipart_boundary("multipart/form-data; boundary=a<b", b));
	assert_false(hh_multipart_boundary("multipart/form-data; boundary=\"abc", b));
	char longer[200];
	snprintf(longer, sizeof(longer), "multipart/form-data; boundary=%071d", 0);
	assert_false(hh_multipart_boundary(longer, b));
	snprintf(longer, sizeof(longer), "multipart/form-data; boundary=%070d", 0);
	assert_true(hh_multipart_boundary(longer, b));
	assert_false(hh_multipart_boundary(NULL, b));
}

static void fields_and_a_file(void **state)
{
	struct fixture *f = *state;
	static const char body[] =
		D "\r\n"
		"Content-Disposition: form-data; name=\"navn\"\r\n\r\n"
		"Søren Ærø\r\n" D "\r\n"
		"Content-Disposition: form-data; name=\"tom\"\r\n\r\n"
		"\r\n" D "\r\n"
		"Content-Disposition: form-data; name=\"bilag\"; filename=\"kvit tering.pdf\"\r\n"
		"Content-Type: application/pdf\r\n\r\n"
		"%PDF-1.4\r\n\0binary\r\n--not-the-boundary\r\n" D "\r\n"
		"Content-Disposition: form-data; name=\"ingen\"; filename=\"\"\r\n"
		"Content-Type: application/octet-stream\r\n\r\n"
		"\r\n" D "--\r\n";
	assert_int_equal(parse_n(f, CT, body, sizeof(body) - 1, 8), HH_OK);
	assert_int_equal(f->n, 4);
	assert_string_equal(f->parts[0].name, "navn");
	assert_null(f->parts[0].filename);
	assert_int_equal(f->parts[0].size, strlen("Søren Ærø"));
	assert_memory_equal(f->parts[0].data, "Søren Ærø", f->parts[0].size);
	assert_string_equal(f->parts[1].name, "tom");
	assert_int_equal(f->parts[1].size, 0);
	const struct hh_multipart_part *p = hh_multipart_find(f->parts, f->n, "bilag");
	assert_non_null(p);
	assert_string_equal(p->filename, "kvit tering.pdf");
	assert_string_equal(p->content_type, "application/pdf");
	/* binary data with a NUL and a near-boundary stays whole */
	static const char data[] = "%PDF-1.4\r\n\0binary\r\n--not-the-boundary";
	assert_int_equal(p->size, sizeof(data) - 1);
	assert_memory_equal(p->data, data, p->size);
	/* no file chosen: an empty filename, no data */
	assert_string_equal(f->parts[3].filename, "");
	assert_int_equal(f->parts[3].size, 0);
	assert_null(hh_multipart_find(f->parts, f->n, "findes-ikke"));
}

static void preamble_epilogue_padding(void **state)
{
	struct fixture *f = *state;
	/* RFC 2046: text before the first and after the last delimiter is
	 * ignored, as is whitespace after a delimiter; header names are
	 * case-insensitive and quoted values may escape a quote */
	assert_int_equal(parse(f, CT,
			       "This is a preamble\r\n" D " \t\r\n"
			       "content-disposition: FORM-DATA ; name=\"a\\\"b\"\r\n"
			       "X-Other: ignored\r\n\r\n"
			       "1\r\n" D "--\r\nepilogue"),
			 HH_OK);
	assert_int_equal(f->n, 1);
	assert_string_equal(f->parts[0].name, "a\"b");
	assert_int_equal(f->parts[0].size, 1);
	/* unquoted names (curl sends quoted ones, others need not) */
	assert_int_equal(parse(f, CT, D "\r\nContent-Disposition: form-data; name=x\r\n\r\n"
				      "v\r\n" D "--"),
			 HH_OK);
	assert_string_equal(f->parts[0].name, "x");
	/* an empty form */
	assert_int_equal(parse(f, CT, D "--\r\n"), HH_OK);
	assert_int_equal(f->n, 0);
}

static void malformed_bodies_are_refused(void **state)
{
	struct fixture *f = *state;
	const char *bad[] = {
		"",                                   /* nothing */
		"no boundary here",                   /* no delimiter */
		D "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv", /* no end */
		D "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n" D,
		D "\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nv\r\n" D "--",
		D "\r\nContent-Disposition: form-data\r\n\r\nv\r\n" D "--", /* no name */
		D "\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv\r\n" D "--",
		D "\r\nno colon\r\n\r\nv\r\n" D "--",
		D "\r\nContent-Disposition: form-data; name=\"a\"\r\nv\r\n" D "--",
		D "x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n" D "--",
		D "\r\nContent-Disposition: form-data; name\r\n\r\nv\r\n" D "--",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		f->n = 99;
		assert_int_equal(parse(f, CT, bad[i]), HH_ERR_INVALID);
		assert_int_equal(f->n, 0);
	}
	/* not multipart at all */
	assert_int_equal(parse(f, "application/json", D "--"), HH_ERR_INVALID);
	/* a NUL in a header */
	static const char nul[] = D "\r\nContent-Disposition: form-data; name=\"a\0b\"\r\n\r\n"
				    "v\r\n" D "--";
	assert_int_equal(parse_n(f, CT, nul, sizeof(nul) - 1, 8), HH_ERR_INVALID);
}

static void limits(void **state)
{
	struct fixture *f = *state;
	/* more parts than the caller has room for */
	struct hh_buf b;
	hh_buf_init(&b);
	for (int i = 0; i < 9; i++)
		hh_buf_printf(&b, D "\r\nContent-Disposition: form-data; name=\"f%d\"\r\n\r\n"
				  "%d\r\n",
			      i, i);
	hh_buf_puts(&b, D "--");
	assert_int_equal(parse_n(f, CT, b.data, b.len, 8), HH_ERR_INVALID);
	hh_buf_reset(&b);
	/* a header line over the limit */
	hh_buf_puts(&b, D "\r\nContent-Disposition: form-data; name=\"");
	for (int i = 0; i < HH_MULTIPART_MAX_HEADER; i++)
		hh_buf_putc(&b, 'a');
	hh_buf_puts(&b, "\"\r\n\r\nv\r\n" D "--");
	assert_int_equal(parse_n(f, CT, b.data, b.len, 8), HH_ERR_INVALID);
	hh_buf_reset(&b);
	/* too many header lines */
	hh_buf_puts(&b, D "\r\nContent-Disposition: form-data; name=\"a\"\r\n");
	for (int i = 0; i < HH_MULTIPART_MAX_HEADERS; i++)
		hh_buf_puts(&b, "X-A: b\r\n");
	hh_buf_puts(&b, "\r\nv\r\n" D "--");
	assert_int_equal(parse_n(f, CT, b.data, b.len, 8), HH_ERR_INVALID);
	hh_buf_clear(&b);
}

/* Every prefix of a valid body is read without going past its end (run
 * under ASan this catches any read out of bounds). */
static void every_truncation_is_safe(void **state)
{
	struct fixture *f = *state;
	static const char body[] =
		D "\r\nContent-Disposition: form-data; name=\"a\"; filename=\"x.png\"\r\n"
		"Content-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n\r\n" D "--\r\n";
	for (size_t n = 0; n < sizeof(body) - 1; n++) {
		char *copy = hh_xmalloc(n ? n : 1);
		memcpy(copy, body, n);
		enum hh_rc rc = parse_n(f, CT, copy, n, 8);
		/* the close delimiter is complete from its "--" on */
		assert_int_equal(rc, n >= sizeof(body) - 3 ? HH_OK : HH_ERR_INVALID);
		free(copy);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(boundary_from_content_type),
		cmocka_unit_test_setup_teardown(fields_and_a_file, setup, teardown),
		cmocka_unit_test_setup_teardown(preamble_epilogue_padding, setup, teardown),
		cmocka_unit_test_setup_teardown(malformed_bodies_are_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(limits, setup, teardown),
		cmocka_unit_test_setup_teardown(every_truncation_is_safe, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
