/* test_conf.c - the configuration file reader (core/conf.h): what it sets,
 * what it leaves alone, and that a bad file sets nothing. */
#include "testutil.h"

#include <sys/stat.h>

#include "core/conf.h"

static const struct hh_conf_key keys[] = {
	{ "name", "HH_TEST_NAME", HH_CONF_STR, 0, 0 },
	{ "count", "HH_TEST_COUNT", HH_CONF_INT, 1, 10 },
	{ "on", "HH_TEST_ON", HH_CONF_BOOL, 0, 0 },
	{ "url", "HH_TEST_URL", HH_CONF_URL, 0, 0 },
	{ "secret_file", "HH_TEST_SECRET_FILE", HH_CONF_SECRET, 0, 0 },
	{ NULL, NULL, 0, 0, 0 }
};

static char *dir;

static const char *write_conf(const char *text)
{
	static char path[4200];
	snprintf(path, sizeof(path), "%s/t.conf", dir);
	tu_write(path, text);
	return path;
}

static void clear_env(void)
{
	for (int i = 0; keys[i].key; i++)
		unsetenv(keys[i].env);
}

static int setup(void **state)
{
	dir = tu_tmpdir();
	clear_env();
	return 0;
}

static int teardown(void **state)
{
	clear_env();
	tu_rmdir(dir);
	return 0;
}

static void sets_the_variables_the_environment_does_not(void **state)
{
	setenv("HH_TEST_COUNT", "7", 1);
	char err[256];
	int secret = -1;
	unsigned mode = 0;
	const char *p = write_conf("# comment\n"
				   "   name  =  Nordskov Kommune  \n"
				   "\n"
				   "count = 3\n"
				   "on = Yes\n"
				   "url = https://borger.example.dk/#top\n");
	chmod(p, 0640);
	assert_int_equal(hh_conf_load(p, keys, &secret, &mode, err, sizeof(err)),
			 HH_OK);
	/* trimmed; a '#' inside a value is kept */
	assert_string_equal(getenv("HH_TEST_NAME"), "Nordskov Kommune");
	assert_string_equal(getenv("HH_TEST_URL"), "https://borger.example.dk/#top");
	/* booleans as 1/0 */
	assert_string_equal(getenv("HH_TEST_ON"), "1");
	/* the environment wins */
	assert_string_equal(getenv("HH_TEST_COUNT"), "7");
	assert_int_equal(secret, 0);
	assert_int_equal(mode, 0640);
}

static void a_bad_line_sets_nothing(void **state)
{
	char err[256];
	/* the good lines come before the bad one: still nothing is set */
	const char *p = write_conf("name = x\non = no\ncount = 11\n");
	assert_int_equal(hh_conf_load(p, keys, NULL, NULL, err, sizeof(err)),
			 HH_ERR_INVALID);
	assert_null(getenv("HH_TEST_NAME"));
	assert_null(getenv("HH_TEST_ON"));
	assert_non_null(strstr(err, "t.conf:3: 'count' must be a whole number "
				    "from 1 to 10, not '11'"));
	p = write_conf("name = x\nname = y\n");
	assert_int_equal(hh_conf_load(p, keys, NULL, NULL, err, sizeof(err)),
			 HH_ERR_INVALID);
	assert_non_null(strstr(err, "t.conf:2: 'name' is set twice (also on "
				    "line 1)"));
	assert_null(getenv("HH_TEST_NAME"));
}

static void secrets_are_absolute_paths_and_reported(void **state)
{
	char err[256];
	int secret = 0;
	const char *p = write_conf("secret_file = /etc/helhed/x.secret\n");
	assert_int_equal(hh_conf_load(p, keys, &secret, NULL, err, sizeof(err)),
			 HH_OK);
	assert_int_equal(secret, 1);
	assert_string_equal(getenv("HH_TEST_SECRET_FILE"), "/etc/helhed/x.secret");
	unsetenv("HH_TEST_SECRET_FILE");
	p = write_conf("secret_file = hemmelig\n");
	assert_int_equal(hh_conf_load(p, keys, &secret, NULL, err, sizeof(err)),
			 HH_ERR_INVALID);
	assert_non_null(strstr(err, "t.conf:1: 'secret_file' must be the "
				    "absolute path of a file"));
	/* a secret typed where its path belongs is not repeated */
	assert_null(strstr(err, "hemmelig"));
}

static void a_missing_file_is_not_found(void **state)
{
	char err[256], path[4300];
	snprintf(path, sizeof(path), "%s/none.conf", dir);
	assert_int_equal(hh_conf_load(path, keys, NULL, NULL, err, sizeof(err)),
			 HH_ERR_NOT_FOUND);
	/* a folder is not a file */
	assert_int_equal(hh_conf_load(dir, keys, NULL, NULL, err, sizeof(err)),
			 HH_ERR_IO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(sets_the_variables_the_environment_does_not,
						setup, teardown),
		cmocka_unit_test_setup_teardown(a_bad_line_sets_nothing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(secrets_are_absolute_paths_and_reported,
						setup, teardown),
		cmocka_unit_test_setup_teardown(a_missing_file_is_not_found, setup,
						teardown),
	};
	return cmocka_run_group_tests_name("core/conf", tests, NULL, NULL);
}
