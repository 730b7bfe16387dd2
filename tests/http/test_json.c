/* test_json.c - request bodies parsed against a spec table (hh_json_parse). */
#include "testutil.h"

#include "http/json.h"

/* The spec of an article-like body, used by most cases. */
struct body {
	const char *title;
	const char *note; /* STR_NULL */
	const char *keywords;
	int64_t version;
	int flag;
	int flag_present;
};

struct fixture {
	struct hh_arena a;
	struct body b;
	struct hh_json_spec spec[6];
	struct hh_json_result res;
};

static int setup(void **state)
{
	struct fixture *f = hh_xcalloc(1, sizeof(*f));
	hh_arena_init(&f->a);
	struct hh_json_spec spec[] = {
		HH_JSON_STR("title", &f->b.title, 1, 1, 5),
		HH_JSON_STR_NULL("note", &f->b.note, 0, 0, 10),
		HH_JSON_STR_LIST("keywords", &f->b.keywords, 0, 1, 8),
		HH_JSON_INT("version", &f->b.version, 0, 1, 1000),
		HH_JSON_BOOL("flag", &f->b.flag, 0),
		HH_JSON_END,
	};
	spec[4].present = &f->b.flag_present;
	memcpy(f->spec, spec, sizeof(spec));
	/* sentinels: a value the parser did not write stays recognisable */
	f->b.note = "untouched";
	f->b.keywords = "untouched";
	f->b.version = -7;
	f->b.flag = -7;
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

static enum hh_json_err parse(struct fixture *f, const char *body)
{
	return hh_json_parse(&f->a, body, strlen(body), f->spec, &f->res);
}

static void valid_body(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(parse(f, "{\"title\":\"Hej\",\"note\":\"n\","
				  "\"keywords\":[\"a\",\"b c\",\"æøå\"],"
				  "\"version\":7,\"flag\":true}"),
			 HH_JSON_OK);
	assert_int_equal(f->res.err, HH_JSON_OK);
	assert_null(f->res.field);
	assert_string_equal(f->b.title, "Hej");
	assert_string_equal(f->b.note, "n");
	assert_string_equal(f->b.keywords, "a, b c, æøå");
	assert_int_equal(f->b.version, 7);
	assert_int_equal(f->b.flag, 1);
	assert_int_equal(f->b.flag_present, 1);
}

static void optional_keys_may_be_absent(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(parse(f, "{\"title\":\"x\"}"), HH_JSON_OK);
	assert_string_equal(f->b.title, "x");
	/* absent optional keys leave the outputs alone */
	assert_string_equal(f->b.note, "untouched");
	assert_string_equal(f->b.keywords, "untouched");
	assert_int_equal(f->b.version, -7);
	assert_int_equal(f->b.flag, -7);
	assert_int_equal(f->b.flag_present, 0);
}

static void unknown_key_is_named(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(parse(f, "{\"title\":\"x\",\"titel\":\"y\"}"),
			 HH_JSON_ERR_UNKNOWN);
	assert_int_equal(f->res.err, HH_JSON_ERR_UNKNOWN);
	assert_string_equal(f->res.field, "titel");
	assert_non_null(f->res.detail);
}

static void missing_required_key(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(parse(f, "{\"version\":2}"), HH_JSON_ERR_MISSING);
	assert_string_equal(f->res.field, "title");
	assert_int_equal(parse(f, "{}"), HH_JSON_ERR_MISSING);
	assert_string_equal(f->res.field, "title");
	/* null is not "present" for a plain STR */
	assert_int_equal(parse(f, "{\"title\":null}"), HH_JSON_ERR_INVALID);
	assert_string_equal(f->res.field, "title");
}

static void wrong_types(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *body, *field;
	} cases[] = {
		{ "{\"title\":5}", "title" },
		{ "{\"title\":[\"x\"]}", "title" },
		{ "{\"title\":\"x\",\"version\":\"3\"}", "version" },
		{ "{\"title\":\"x\",\"version\":3.0}", "version" },
		{ "{\"title\":\"x\",\"version\":true}", "version" },
		{ "{\"title\":\"x\",\"flag\":1}", "flag" },
		{ "{\"title\":\"x\",\"flag\":\"true\"}", "flag" },
		{ "{\"title\":\"x\",\"flag\":null}", "flag" },
		{ "{\"title\":\"x\",\"keywords\":\"a, b\"}", "keywords" },
		{ "{\"title\":\"x\",\"note\":5}", "note" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum hh_json_err e = parse(f, cases[i].body);
		if (e != HH_JSON_ERR_INVALID)
			fail_msg("%s: got %d", cases[i].body, (int)e);
		assert_string_equal(f->res.field, cases[i].field);
	}
}

/* Lengths count characters, not bytes: "æøå" is 3 (6 bytes). */
static void string_length_in_characters(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(parse(f, "{\"title\":\"æøåæø\"}"), HH_JSON_OK);
	assert_string_equal(f->b.title, "æøåæø");
	assert_int_equal(parse(f, "{\"title\":\"æøåæøå\"}"),
			 HH_JSON_ERR_INVALID);
	assert_string_equal(f->res.field, "title");
	assert_int_equal(parse(f, "{\"title\":\"abcdef\"}"),
			 HH_JSON_ERR_INVALID);
	assert_int_equal(parse(f, "{\"title\":\"\"}"), HH_JSON_ERR_INVALID);
	assert_string_equal(f->res.field, "title");
	assert_non_null(strstr(f->res.detail, "1 to 5"));
	/* a \u escape is one character too */
	assert_int_equal(parse(f, "{\"title\":\"\\u00e6\\u00f8\\u00e5ab\"}"),
			 HH_JSON_OK);
	assert_string_equal(f->b.title, "æøåab");
	/* 4-byte characters count once */
	assert_int_equal(parse(f, "{\"title\":\"😀😀😀😀😀\"}"), HH_JSON_OK);
}

static void invalid_utf8(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(parse(f, "{\"title\":\"a\xc3\x28\"}"),
			 HH_JSON_ERR_UTF8);
	assert_null(f->res.field);
	assert_int_equal(parse(f, "{\"title\":\"\xed\xa0\x80\"}"),
			 HH_JSON_ERR_UTF8);
	/* overlong "/" */
	assert_int_equal(parse(f, "{\"title\":\"\xc0\xaf\"}"), HH_JSON_ERR_UTF8);
	/* a raw NUL byte in the body */
	static const char raw_nul[] = "{\"title\":\"a\0b\"}";
	assert_int_equal(hh_json_parse(&f->a, raw_nul, sizeof(raw_nul) - 1,
				       f->spec, &f->res),
			 HH_JSON_ERR_UTF8);
}

/* An escaped NUL must not sneak a C-string terminator into a value. */
static void nul_escape_rejected(void **state)
{
	struct fixture *f = *state;
	f->b.title = "untouched";
	enum hh_json_err e = parse(f, "{\"title\":\"a\\u0000b\"}");
	assert_int_not_equal(e, HH_JSON_OK);
	assert_string_equal(f->b.title, "untouched");
	e = parse(f, "{\"title\":\"x\",\"keywords\":[\"a\\u0000b\"]}");
	assert_int_not_equal(e, HH_JSON_OK);
	assert_string_equal(f->b.keywords, "untouched");
}

static void duplicate_key_rejected(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(parse(f, "{\"title\":\"a\",\"title\":\"b\"}"),
			 HH_JSON_ERR_SYNTAX);
	assert_non_null(f->res.detail);
}

static void non_object_root(void **state)
{
	struct fixture *f = *state;
	static const char *const bodies[] = { "[]", "[{\"title\":\"x\"}]",
					      "\"title\"", "5", "null", "true" };
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		enum hh_json_err e = parse(f, bodies[i]);
		if (e != HH_JSON_ERR_SYNTAX)
			fail_msg("%s: got %d", bodies[i], (int)e);
		assert_null(f->res.field);
	}
	assert_int_equal(parse(f, ""), HH_JSON_ERR_SYNTAX);
}

static void syntax_error_position(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(parse(f, "{\n  \"title\": \"x\",\n  \"version\": 1,,\n}"),
			 HH_JSON_ERR_SYNTAX);
	assert_int_equal(f->res.line, 3);
	assert_true(f->res.column >= 14 && f->res.column <= 16);
	assert_non_null(f->res.detail);
	assert_true(strlen(f->res.detail) > 0);

	assert_int_equal(parse(f, "{\"title\": \"x\""), HH_JSON_ERR_SYNTAX);
	assert_int_equal(f->res.line, 1);
	/* trailing garbage after the object */
	assert_int_equal(parse(f, "{\"title\":\"x\"} x"), HH_JSON_ERR_SYNTAX);
}

static void str_list(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(parse(f, "{\"title\":\"x\",\"keywords\":[]}"),
			 HH_JSON_OK);
	assert_string_equal(f->b.keywords, "");
	assert_int_equal(parse(f, "{\"title\":\"x\",\"keywords\":[\"one\"]}"),
			 HH_JSON_OK);
	assert_string_equal(f->b.keywords, "one");
	/* item length in characters: 8 is the max */
	assert_int_equal(parse(f, "{\"title\":\"x\",\"keywords\":"
				  "[\"æøåæøåæø\",\"b\"]}"),
			 HH_JSON_OK);
	assert_string_equal(f->b.keywords, "æøåæøåæø, b");

	static const char *const bad[] = {
		"{\"title\":\"x\",\"keywords\":[\"a,b\"]}",
		"{\"title\":\"x\",\"keywords\":[\"a\",\",\"]}",
		"{\"title\":\"x\",\"keywords\":[\"a\",1]}",
		"{\"title\":\"x\",\"keywords\":[null]}",
		"{\"title\":\"x\",\"keywords\":[[\"a\"]]}",
		"{\"title\":\"x\",\"keywords\":[\"\"]}",
		"{\"title\":\"x\",\"keywords\":[\"123456789\"]}",
		"{\"title\":\"x\",\"keywords\":{\"a\":\"b\"}}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		enum hh_json_err e = parse(f, bad[i]);
		if (e != HH_JSON_ERR_INVALID)
			fail_msg("%s: got %d", bad[i], (int)e);
		assert_string_equal(f->res.field, "keywords");
	}
}

static void str_list_at_most_50(void **state)
{
	struct fixture *f = *state;
	struct hh_buf b;
	hh_buf_init(&b);
	hh_buf_puts(&b, "{\"title\":\"x\",\"keywords\":[");
	for (int i = 0; i < 50; i++)
		hh_buf_printf(&b, "%s\"k%d\"", i ? "," : "", i);
	hh_buf_puts(&b, "]}");
	assert_int_equal(parse(f, hh_buf_str(&b)), HH_JSON_OK);
	assert_true(strncmp(f->b.keywords, "k0, k1, k2", 10) == 0);
	hh_buf_reset(&b);
	hh_buf_puts(&b, "{\"title\":\"x\",\"keywords\":[");
	for (int i = 0; i < 51; i++)
		hh_buf_printf(&b, "%s\"k%d\"", i ? "," : "", i);
	hh_buf_puts(&b, "]}");
	assert_int_equal(parse(f, hh_buf_str(&b)), HH_JSON_ERR_INVALID);
	assert_string_equal(f->res.field, "keywords");
	hh_buf_clear(&b);
}

static void int_bounds(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(parse(f, "{\"title\":\"x\",\"version\":1}"), HH_JSON_OK);
	assert_int_equal(f->b.version, 1);
	assert_int_equal(parse(f, "{\"title\":\"x\",\"version\":1000}"),
			 HH_JSON_OK);
	assert_int_equal(f->b.version, 1000);
	static const char *const bad[] = {
		"{\"title\":\"x\",\"version\":0}",
		"{\"title\":\"x\",\"version\":1001}",
		"{\"title\":\"x\",\"version\":-1}",
		"{\"title\":\"x\",\"version\":9223372036854775807}",
		"{\"title\":\"x\",\"version\":1e3}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		f->b.version = -7;
		enum hh_json_err e = parse(f, bad[i]);
		if (e != HH_JSON_ERR_INVALID)
			fail_msg("%s: got %d", bad[i], (int)e);
		assert_string_equal(f->res.field, "version");
		assert_int_equal(f->b.version, -7);
	}
	assert_non_null(strstr(f->res.detail, "1 to 1000"));
}

static void bool_values(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(parse(f, "{\"title\":\"x\",\"flag\":false}"), HH_JSON_OK);
	assert_int_equal(f->b.flag, 0);
	assert_int_equal(f->b.flag_present, 1);
	assert_int_equal(parse(f, "{\"title\":\"x\",\"flag\":true}"), HH_JSON_OK);
	assert_int_equal(f->b.flag, 1);
}

static void str_null(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(parse(f, "{\"title\":\"x\",\"note\":null}"), HH_JSON_OK);
	assert_null(f->b.note);
	assert_int_equal(parse(f, "{\"title\":\"x\",\"note\":\"\"}"), HH_JSON_OK);
	assert_string_equal(f->b.note, "");
	assert_int_equal(parse(f, "{\"title\":\"x\",\"note\":\"12345678901\"}"),
			 HH_JSON_ERR_INVALID);
	assert_string_equal(f->res.field, "note");
}

/* Parsed strings live in the arena, not in the JSON tree (which the arena
 * frees at clear). */
static void values_are_arena_copies(void **state)
{
	struct fixture *f = *state;
	static const char body[] = "{\"title\":\"abc\"}";
	char *copy = hh_xstrdup(body);
	assert_int_equal(hh_json_parse(&f->a, copy, strlen(copy), f->spec,
				       &f->res),
			 HH_JSON_OK);
	free(copy);
	assert_string_equal(f->b.title, "abc");
}

static void utf8_len(void **state)
{
	(void)state;
	assert_int_equal(hh_utf8_len(""), 0);
	assert_int_equal(hh_utf8_len("abc"), 3);
	assert_int_equal(hh_utf8_len("æøå"), 3);
	assert_int_equal(hh_utf8_len("€😀"), 2);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	hh_auth_init();
	hh_log_set_level(HH_LOG_ERROR);
	const struct CMUnitTest tests[] = {
		T(valid_body),
		T(optional_keys_may_be_absent),
		T(unknown_key_is_named),
		T(missing_required_key),
		T(wrong_types),
		T(string_length_in_characters),
		T(invalid_utf8),
		T(nul_escape_rejected),
		T(duplicate_key_rejected),
		T(non_object_root),
		T(syntax_error_position),
		T(str_list),
		T(str_list_at_most_50),
		T(int_bounds),
		T(bool_values),
		T(str_null),
		T(values_are_arena_copies),
		cmocka_unit_test(utf8_len),
	};
	return cmocka_run_group_tests_name("http/json", tests, NULL, NULL);
}
