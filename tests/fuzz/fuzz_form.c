/* fuzz_form.c - a citizen's form values as the domain gets them: the
 * input is the text of every field of a form with one field of each type
 * (amount, number, date, cpr, ...), and on its own an amount to parse.
 * An amount that parses must format and read back as the same øre; no
 * value may crash validation or the display of what it keeps. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/forms.h"

static const char *const form_json =
	"{\"fields\":["
	"{\"name\":\"t\",\"label\":\"T\",\"type\":\"text\",\"min_length\":2},"
	"{\"name\":\"ta\",\"label\":\"TA\",\"type\":\"textarea\"},"
	"{\"name\":\"n\",\"label\":\"N\",\"type\":\"number\",\"min\":0,\"max\":99},"
	"{\"name\":\"b\",\"label\":\"B\",\"type\":\"amount\",\"min\":1},"
	"{\"name\":\"d\",\"label\":\"D\",\"type\":\"date\",\"min\":\"2000-01-01\"},"
	"{\"name\":\"c\",\"label\":\"C\",\"type\":\"choice\","
	" \"options\":[{\"value\":\"a\"},{\"value\":\"b\"}]},"
	"{\"name\":\"y\",\"label\":\"Y\",\"type\":\"yesno\"},"
	"{\"name\":\"cpr\",\"label\":\"CPR\",\"type\":\"cpr\",\"when\":"
	" {\"field\":\"y\",\"equals\":\"ja\"}},"
	"{\"name\":\"ad\",\"label\":\"A\",\"type\":\"address\"},"
	"{\"name\":\"e\",\"label\":\"E\",\"type\":\"email\"},"
	"{\"name\":\"p\",\"label\":\"P\",\"type\":\"phone\"}]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = 0;

	int64_t ore;
	if (hh_amount_parse(text, &ore) == HH_AMOUNT_OK) {
		char out[HH_AMOUNT_SIZE];
		int64_t back = -1;
		hh_amount_format(ore, out);
		if (ore < 0 || ore > HH_AMOUNT_MAX_ORE ||
		    hh_amount_parse(out, &back) != HH_AMOUNT_OK || back != ore)
			__builtin_trap();
	}

	static struct hh_form form;
	static json_t *def;
	if (!def) {
		char err[128];
		def = json_loads(form_json, 0, NULL);
		if (!def || hh_form_parse(def, &form, err, sizeof(err)) != HH_OK)
			__builtin_trap();
	}
	json_t *input = json_object();
	json_t *v = json_stringn_nocheck(text, strlen(text));
	for (int i = 0; i < form.n_fields; i++)
		json_object_set(input, form.fields[i].name, v);
	json_object_set_new(input, "y", json_string("ja"));
	json_decref(v);
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_form_result res;
	hh_form_validate(&a, &form, input, &res);
	const char *key;
	json_t *kept;
	json_object_foreach(res.values, key, kept)
	{
		const struct hh_form_field *f = hh_form_field(&form, key);
		if (!f)
			__builtin_trap(); /* only the form's fields are kept */
		(void)hh_form_value_display(&a, f, kept);
	}
	json_decref(res.values);
	json_decref(input);
	hh_arena_clear(&a);
	free(text);
	return 0;
}
