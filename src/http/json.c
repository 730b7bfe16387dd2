/* json.c - strict JSON body parsing against a spec table. */
#include "http/json.h"

#include <string.h>

#include "core/util.h"

static enum hh_json_err fail(struct hh_json_result *res,
			     enum hh_json_err err, const char *field,
			     const char *detail)
{
	res->err = err;
	res->field = field;
	res->detail = detail;
	return err;
}

static int str_ok(const char *s, size_t bytes, int64_t min, int64_t max)
{
	if (!hh_utf8_valid(s, bytes))
		return 0;
	int64_t n = (int64_t)hh_utf8_len(s);
	return n >= min && n <= max;
}

enum hh_json_err hh_json_parse(struct hh_arena *a, const char *body,
			       size_t len, struct hh_json_spec *spec,
			       struct hh_json_result *res)
{
	memset(res, 0, sizeof(*res));
	if (!hh_utf8_valid(body, len))
		return fail(res, HH_JSON_ERR_UTF8, NULL,
			    "the body is not valid UTF-8");
	json_error_t jerr;
	/* REJECT_DUPLICATES: {"a":1,"a":2} is ambiguous, so refuse it. */
	json_t *root = json_loadb(body, len,
				  JSON_REJECT_DUPLICATES,
				  &jerr);
	if (!root) {
		res->line = jerr.line;
		res->column = jerr.column;
		return fail(res, HH_JSON_ERR_SYNTAX, NULL,
			    hh_arena_strdup(a, jerr.text));
	}
	hh_arena_defer(a, hh_json_release, root);
	if (!json_is_object(root))
		return fail(res, HH_JSON_ERR_SYNTAX, NULL,
			    "the body must be a JSON object");

	const char *key;
	json_t *val;
	json_object_foreach(root, key, val)
	{
		struct hh_json_spec *sp = spec;
		while (sp->name && strcmp(sp->name, key) != 0)
			sp++;
		if (!sp->name)
			return fail(res, HH_JSON_ERR_UNKNOWN,
				    hh_arena_strdup(a, key),
				    "this field is not accepted here");
	}

	for (struct hh_json_spec *sp = spec; sp->name; sp++) {
		val = json_object_get(root, sp->name);
		if (!val) {
			if (sp->required)
				return fail(res, HH_JSON_ERR_MISSING, sp->name,
					    "this field is required");
			continue;
		}
		if (sp->present)
			*sp->present = 1;
		switch (sp->type) {
		case HH_JSON_T_STR:
		case HH_JSON_T_STR_NULL:
			if (json_is_null(val) && sp->type == HH_JSON_T_STR_NULL) {
				*(const char **)sp->out = NULL;
				break;
			}
			if (!json_is_string(val))
				return fail(res, HH_JSON_ERR_INVALID, sp->name,
					    "must be a string");
			if (!str_ok(json_string_value(val),
				    json_string_length(val), sp->min, sp->max))
				return fail(res, HH_JSON_ERR_INVALID, sp->name,
					    hh_arena_printf(a,
						"must be %lld to %lld characters "
						"of text without NUL",
						(long long)sp->min,
						(long long)sp->max));
			*(const char **)sp->out = hh_arena_strndup(
				a, json_string_value(val),
				json_string_length(val));
			break;
		case HH_JSON_T_INT:
			if (!json_is_integer(val) ||
			    json_integer_value(val) < sp->min ||
			    json_integer_value(val) > sp->max)
				return fail(res, HH_JSON_ERR_INVALID, sp->name,
					    hh_arena_printf(a,
						"must be an integer from %lld "
						"to %lld",
						(long long)sp->min,
						(long long)sp->max));
			*(int64_t *)sp->out = json_integer_value(val);
			break;
		case HH_JSON_T_BOOL:
			if (!json_is_boolean(val))
				return fail(res, HH_JSON_ERR_INVALID, sp->name,
					    "must be true or false");
			*(int *)sp->out = json_is_true(val);
			break;
		case HH_JSON_T_STR_LIST: {
			if (!json_is_array(val) || json_array_size(val) > 50)
				return fail(res, HH_JSON_ERR_INVALID, sp->name,
					    "must be an array of at most 50 "
					    "strings");
			size_t total = 1, i;
			json_t *it;
			json_array_foreach(val, i, it)
			{
				const char *s = json_string_value(it);
				if (!s || !str_ok(s, json_string_length(it),
						  sp->min, sp->max) ||
				    strchr(s, ','))
					return fail(res, HH_JSON_ERR_INVALID,
						    sp->name,
						    hh_arena_printf(a,
							"items must be "
							"strings of %lld to "
							"%lld characters "
							"without commas",
							(long long)sp->min,
							(long long)sp->max));
				total += json_string_length(it) + 2;
			}
			char *joined = hh_arena_alloc(a, total), *p = joined;
			json_array_foreach(val, i, it)
			{
				if (i)
					*p++ = ',', *p++ = ' ';
				size_t n = json_string_length(it);
				memcpy(p, json_string_value(it), n);
				p += n;
			}
			*p = 0;
			*(const char **)sp->out = joined;
			break;
		}
		case HH_JSON_T_OBJ:
			if (!json_is_object(val) ||
			    (int64_t)json_object_size(val) < sp->min ||
			    (int64_t)json_object_size(val) > sp->max)
				return fail(res, HH_JSON_ERR_INVALID, sp->name,
					    hh_arena_printf(a,
						"must be an object of %lld to "
						"%lld keys",
						(long long)sp->min,
						(long long)sp->max));
			/* root is released with the arena */
			*(json_t **)sp->out = val;
			break;
		case HH_JSON_T_END:
			break;
		}
	}
	return HH_JSON_OK;
}
