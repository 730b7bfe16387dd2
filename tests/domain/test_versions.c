/* test_versions.c - s-edit (issue 13): the line diff behind the editors'
 * "Versioner og ændringer" and proposals: lines kept, removed and added in
 * reading order, CR LF read as LF, the common beginning and end set
 * aside, and a middle too large for the table shown as removed then added
 * (still a correct edit, bounded in memory). */
#include "testutil.h"

#include "domain/versions.h"

/* The diff as one string: each line prefixed with ' ', '-' or '+'. New. */
static char *diff_string(const char *a, const char *b, size_t *added,
			 size_t *removed)
{
	struct hh_arena ar;
	hh_arena_init(&ar);
	struct hh_diff_line *lines;
	size_t n;
	hh_text_diff(&ar, a, b, &lines, &n, added, removed);
	struct hh_buf out;
	hh_buf_init(&out);
	for (size_t i = 0; i < n; i++) {
		hh_buf_putc(&out, lines[i].op == HH_DIFF_DEL   ? '-'
				  : lines[i].op == HH_DIFF_ADD ? '+'
							       : ' ');
		hh_buf_append(&out, lines[i].text, lines[i].len);
		hh_buf_putc(&out, '\n');
	}
	char *s = hh_xstrdup(hh_buf_str(&out));
	hh_buf_clear(&out);
	hh_arena_clear(&ar);
	return s;
}

static void same_text_has_no_changes(void **state)
{
	(void)state;
	size_t add, rem;
	char *d = diff_string("a\nb\n", "a\nb", &add, &rem);
	assert_string_equal(d, " a\n b\n");
	assert_int_equal(add, 0);
	assert_int_equal(rem, 0);
	free(d);
	d = diff_string("", "", &add, &rem);
	assert_string_equal(d, "");
	free(d);
}

static void a_changed_line_is_removed_then_added(void **state)
{
	(void)state;
	size_t add, rem;
	char *d = diff_string("# Titel\n\nGammel linje.\n\nSlut.",
			      "# Titel\r\n\r\nNy linje.\r\n\r\nSlut.", &add, &rem);
	assert_string_equal(d, " # Titel\n \n-Gammel linje.\n+Ny linje.\n \n Slut.\n");
	assert_int_equal(add, 1);
	assert_int_equal(rem, 1);
	free(d);
}

static void kept_lines_in_the_middle_are_found(void **state)
{
	(void)state;
	size_t add, rem;
	/* a line moved away, one inserted, one kept between them */
	char *d = diff_string("a\nx\nb\nc\nd", "a\nb\ny\nc\nd\ne", &add, &rem);
	assert_string_equal(d, " a\n-x\n b\n+y\n c\n d\n+e\n");
	assert_int_equal(add, 2);
	assert_int_equal(rem, 1);
	free(d);
	d = diff_string("", "ny\ntekst", &add, &rem);
	assert_string_equal(d, "+ny\n+tekst\n");
	free(d);
	d = diff_string("væk", "", &add, &rem);
	assert_string_equal(d, "-væk\n");
	free(d);
}

static void a_huge_middle_falls_back_to_remove_and_add(void **state)
{
	(void)state;
	/* 2100 x 2100 changed lines is above HH_DIFF_MAX_CELLS */
	struct hh_buf a, b;
	hh_buf_init(&a);
	hh_buf_init(&b);
	hh_buf_puts(&a, "start\n");
	hh_buf_puts(&b, "start\n");
	for (int i = 0; i < 2100; i++) {
		hh_buf_printf(&a, "gammel %d\n", i);
		hh_buf_printf(&b, "ny %d\n", i);
	}
	hh_buf_puts(&a, "slut");
	hh_buf_puts(&b, "slut");
	size_t add, rem;
	char *d = diff_string(hh_buf_str(&a), hh_buf_str(&b), &add, &rem);
	assert_int_equal(add, 2100);
	assert_int_equal(rem, 2100);
	assert_int_equal(strncmp(d, " start\n-gammel 0\n", 17), 0);
	tu_expect_in(d, "-gammel 2099\n+ny 0\n");
	size_t n = strlen(d);
	assert_true(n > 6 && !strcmp(d + n - 6, " slut\n"));
	free(d);
	hh_buf_clear(&a);
	hh_buf_clear(&b);
}

/* A long article with changes spread through it is still diffed line by
 * line (under the cap): only the changed lines are marked. */
static void a_long_article_keeps_its_unchanged_lines(void **state)
{
	(void)state;
	struct hh_buf a, b;
	hh_buf_init(&a);
	hh_buf_init(&b);
	for (int i = 0; i < 2000; i++) {
		hh_buf_printf(&a, "Linje %d\n", i);
		if (i % 50 == 25)
			hh_buf_printf(&b, "Ændret %d\n", i);
		else
			hh_buf_printf(&b, "Linje %d\n", i);
	}
	size_t add, rem;
	char *d = diff_string(hh_buf_str(&a), hh_buf_str(&b), &add, &rem);
	assert_int_equal(add, 40);
	assert_int_equal(rem, 40);
	tu_expect_in(d, " Linje 24\n-Linje 25\n+Ændret 25\n Linje 26\n");
	free(d);
	hh_buf_clear(&a);
	hh_buf_clear(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_text_has_no_changes),
		cmocka_unit_test(a_changed_line_is_removed_then_added),
		cmocka_unit_test(kept_lines_in_the_middle_are_found),
		cmocka_unit_test(a_huge_middle_falls_back_to_remove_and_add),
		cmocka_unit_test(a_long_article_keeps_its_unchanged_lines),
	};
	return cmocka_run_group_tests_name("domain/versions", tests, NULL, NULL);
}
