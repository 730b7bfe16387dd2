/* test_opts.c - the option parser of every command (core/opts.h): the
 * precedence flag > variable > default, the checks in table order, the
 * positional arguments, secrets refused, and helhed.conf's keys. The
 * commands' own tables are held by tests/cli/test_options.sh. */
#include "testutil.h"

#include <fcntl.h>
#include <stddef.h>
#include <unistd.h>

#include "core/opts.h"

enum { A = 1, B = 2 };

struct t {
	const char *name, *secret_file, *other;
	struct hh_opt_num count, pause;
	int loud, login;
};

static char order[16]; /* the checks run, in order: their letters */

static int check_name(void *sv, const struct hh_opt *o, const char *cmd)
{
	struct t *t = sv;
	strcat(order, "n");
	if (t->name && !strcmp(t->name, "bad"))
		return hh_opts_usage_error(cmd, "--name must not be '%s'", t->name);
	return 0;
}

static int check_other(void *sv, const struct hh_opt *o, const char *cmd)
{
	strcat(order, "o");
	return 0;
}

#define T(f) offsetof(struct t, f)
static const struct hh_opt opts[] = {
	{ A, "count", HH_OPT_INT, "HH_T_COUNT", "count", HH_CONF_INT, 1, 9,
	  T(count), "5", 0, " things", 0, NULL },
	{ A | B, "name", HH_OPT_STR, "HH_T_NAME", "name", HH_CONF_STR, 0, 0,
	  T(name), "anne", 0, NULL, 0, check_name },
	{ A, "loud", HH_OPT_SWITCH, "HH_T_LOUD", "loud", HH_CONF_BOOL, 0, 0,
	  T(loud), NULL, 1, NULL, 0, NULL },
	{ A, "no-login", HH_OPT_SWITCH, "HH_T_LOGIN", "login", HH_CONF_BOOL, 0,
	  0, T(login), NULL, 0, NULL, 0, NULL },
	{ A, "pause", HH_OPT_INT, NULL, NULL, 0, 0, 10, T(pause), "0", 0, NULL,
	  HH_OPT_EMPTY_ZERO, NULL },
	{ A, "secret", HH_OPT_REFUSED, "HH_T_SECRET", NULL, 0, 0, 0, 0, NULL, 0,
	  NULL, 0, NULL },
	{ A, "secret-file", HH_OPT_STR, "HH_T_SECRET_FILE", "secret_file",
	  HH_CONF_SECRET, 0, 0, T(secret_file), NULL, 0, NULL, 0, NULL },
	{ B, "other", HH_OPT_STR, NULL, NULL, 0, 0, 0, T(other), NULL, 0, NULL,
	  0, check_other },
	{ B, "count", HH_OPT_UNKNOWN, NULL, NULL, 0, 0, 0, 0, NULL, 0, NULL, 0,
	  NULL },
	{ 0, NULL, HH_OPT_STR, "HH_T_ELSEWHERE", "elsewhere", HH_CONF_STR, 0, 0,
	  0, NULL, 0, NULL, 0, NULL },
	{ A | B, "help", HH_OPT_HELP, NULL, NULL, 0, 0, 0, 0, NULL, 0, NULL, 0,
	  NULL },
	{ 0 }
};

static const struct hh_opt_command cmd_a = { "a", A, "Usage: a\n", 0, 1,
					     "missing X" };
static const struct hh_opt_command cmd_b = { "b", B, "Usage: b\n", 1, -1,
					     "missing Y" };

static char err_text[1024];

/* Parses the NULL-ended words (the command's name first) into *t, with
 * stderr in err_text; returns what hh_opts_parse returned. */
static int parse(const struct hh_opt_command *c, struct t *t, int *first,
		 const char **words)
{
	char *argv[16];
	int argc = 0;
	for (; words[argc]; argc++)
		argv[argc] = (char *)words[argc];
	argv[argc] = NULL;
	memset(t, 0, sizeof(*t));
	order[0] = 0;
	fflush(stderr);
	FILE *f = tmpfile();
	int saved = dup(2);
	dup2(fileno(f), 2);
	int rc = hh_opts_parse(opts, c, argc, argv, t, first);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(f);
	size_t n = fread(err_text, 1, sizeof(err_text) - 1, f);
	err_text[n] = 0;
	fclose(f);
	return rc;
}

static void clear_env(void **state)
{
	(void)state;
	unsetenv("HH_T_COUNT");
	unsetenv("HH_T_NAME");
	unsetenv("HH_T_LOUD");
	unsetenv("HH_T_LOGIN");
	unsetenv("HH_T_SECRET");
}

static void flag_beats_variable_beats_default(void **state)
{
	struct t t;
	int first;
	clear_env(state);
	assert_int_equal(parse(&cmd_a, &t, &first, (const char *[]){ "a", NULL }),
			 -1);
	assert_string_equal(t.name, "anne");
	assert_int_equal(t.count.value, 5);
	assert_int_equal(t.loud, 0);
	assert_int_equal(t.login, 1); /* a switch that turns off */
	setenv("HH_T_NAME", "bo", 1);
	setenv("HH_T_COUNT", "7", 1);
	setenv("HH_T_LOUD", "1", 1);
	setenv("HH_T_LOGIN", "0", 1);
	assert_int_equal(parse(&cmd_a, &t, &first, (const char *[]){ "a", NULL }),
			 -1);
	assert_string_equal(t.name, "bo");
	assert_int_equal(t.count.value, 7);
	assert_int_equal(t.loud, 1);
	assert_int_equal(t.login, 0);
	assert_int_equal(parse(&cmd_a, &t, &first,
			       (const char *[]){ "a", "--name", "cy", "--count=3",
						 NULL }),
			 -1);
	assert_string_equal(t.name, "cy");
	assert_int_equal(t.count.value, 3);
	/* an empty variable is none; a switch's empty variable is off */
	setenv("HH_T_NAME", "", 1);
	setenv("HH_T_LOGIN", "", 1);
	assert_int_equal(parse(&cmd_a, &t, &first, (const char *[]){ "a", NULL }),
			 -1);
	assert_string_equal(t.name, "anne");
	assert_int_equal(t.login, 0);
	clear_env(state);
}

static void numbers_are_checked_with_one_message(void **state)
{
	struct t t;
	int first;
	clear_env(state);
	assert_int_equal(parse(&cmd_a, &t, &first,
			       (const char *[]){ "a", "--count", "10", NULL }),
			 2);
	assert_string_equal(err_text, "helhed a: --count must be 1 to 9 things, "
				      "not '10' (try 'helhed a --help')\n");
	setenv("HH_T_COUNT", "x", 1);
	assert_int_equal(parse(&cmd_a, &t, &first, (const char *[]){ "a", NULL }),
			 2);
	assert_non_null(strstr(err_text, "not 'x'"));
	clear_env(state);
	assert_int_equal(parse(&cmd_a, &t, &first,
			       (const char *[]){ "a", "--count", "", NULL }),
			 2);
	/* --pause takes "" as 0, as it always did */
	assert_int_equal(parse(&cmd_a, &t, &first,
			       (const char *[]){ "a", "--pause", "", NULL }),
			 -1);
	assert_int_equal(t.pause.value, 0);
}

static void checks_run_in_table_order_after_the_arguments(void **state)
{
	struct t t;
	int first;
	clear_env(state);
	/* b: name's check, then other's; the first that fails is said */
	assert_int_equal(parse(&cmd_b, &t, &first,
			       (const char *[]){ "b", "x", "--other", "o", NULL }),
			 -1);
	assert_string_equal(order, "no");
	assert_int_equal(parse(&cmd_b, &t, &first,
			       (const char *[]){ "b", "--name", "bad", "x", NULL }),
			 2);
	assert_string_equal(order, "n");
	/* too few or too many arguments come before any check */
	assert_int_equal(parse(&cmd_b, &t, &first,
			       (const char *[]){ "b", "--name", "bad", NULL }),
			 2);
	assert_string_equal(order, "");
	assert_string_equal(err_text,
			    "helhed b: missing Y (try 'helhed b --help')\n");
	assert_int_equal(parse(&cmd_a, &t, &first,
			       (const char *[]){ "a", "x", "y", NULL }),
			 2);
	assert_string_equal(err_text, "helhed a: unexpected argument 'y' (try "
				      "'helhed a --help')\n");
	/* arguments may come before the options; first points at them */
	assert_int_equal(parse(&cmd_b, &t, &first,
			       (const char *[]){ "b", "x", "y", "--name", "z",
						 NULL }),
			 -1);
	assert_int_equal(first, 1 + 2);
	assert_string_equal(t.name, "z");
}

static void unknown_flags_and_secrets_are_refused(void **state)
{
	struct t t;
	int first;
	clear_env(state);
	/* another command's flag is unknown here */
	assert_int_equal(parse(&cmd_a, &t, &first,
			       (const char *[]){ "a", "--other", "o", NULL }),
			 2);
	assert_string_equal(err_text, "helhed a: unknown option or missing "
				      "value '--other' (try 'helhed a --help')\n");
	assert_int_equal(parse(&cmd_a, &t, &first,
			       (const char *[]){ "a", "--name", NULL }),
			 2);
	assert_non_null(strstr(err_text, "'--name'"));
	/* HH_OPT_UNKNOWN takes its value and names it */
	assert_int_equal(parse(&cmd_b, &t, &first,
			       (const char *[]){ "b", "--count", "4", NULL }),
			 2);
	assert_non_null(strstr(err_text, "missing value '4'"));
	assert_int_equal(parse(&cmd_a, &t, &first,
			       (const char *[]){ "a", "--secret", "s", NULL }),
			 2);
	assert_non_null(strstr(err_text, "--secret is refused"));
	assert_non_null(strstr(err_text, "give --secret-file FILE"));
	setenv("HH_T_SECRET", "s", 1);
	assert_int_equal(parse(&cmd_a, &t, &first, (const char *[]){ "a", NULL }),
			 2);
	assert_string_equal(err_text,
			    "helhed a: HH_T_SECRET is refused: give the secret in "
			    "a file readable by the service user only, "
			    "HH_T_SECRET_FILE=FILE (or secret_file in helhed.conf); "
			    "not started\n");
	clear_env(state);
	assert_int_equal(parse(&cmd_a, &t, &first,
			       (const char *[]){ "a", "--help", "--bogus", NULL }),
			 0);
}

static void the_conf_keys_are_the_rows_that_have_one(void **state)
{
	(void)state;
	struct hh_conf_key keys[16];
	hh_opts_conf_keys(opts, keys, 16);
	const char *want[] = { "count", "name", "loud", "login", "secret_file",
			       "elsewhere", NULL };
	int i = 0;
	for (; want[i]; i++)
		assert_string_equal(keys[i].key, want[i]);
	assert_null(keys[i].key);
	assert_int_equal(keys[0].type, HH_CONF_INT);
	assert_int_equal(keys[0].max, 9);
	assert_string_equal(keys[4].env, "HH_T_SECRET_FILE");
	hh_opts_conf_keys(opts, keys, 3); /* no room: cut, still ended */
	assert_null(keys[2].key);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(flag_beats_variable_beats_default),
		cmocka_unit_test(numbers_are_checked_with_one_message),
		cmocka_unit_test(checks_run_in_table_order_after_the_arguments),
		cmocka_unit_test(unknown_flags_and_secrets_are_refused),
		cmocka_unit_test(the_conf_keys_are_the_rows_that_have_one),
	};
	return cmocka_run_group_tests_name("core/opts", tests, NULL, NULL);
}
