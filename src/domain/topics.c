/* topics.c - topics with Danish names for the KLE main groups, as data:
 * imported from content/topics.json into a store setting, read back for
 * the pages (facets, /selvbetjening) and exported with the content. */
#include "domain/topics.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/kle.h" /* kle (issue 15) */

int hh_topic_group(const char *kle)
{
	if (!kle || kle[0] < '0' || kle[0] > '9' || kle[1] < '0' || kle[1] > '9' ||
	    (kle[2] && kle[2] != '.'))
		return -1;
	return (kle[0] - '0') * 10 + kle[1] - '0';
}

const char *hh_topic_name(const struct hh_topics *t, const char *kle)
{
	int g = hh_topic_group(kle);
	if (!t || g < 0)
		return NULL;
	return t->name[g] ? t->name[g] : t->kle_title[g]; /* kle (issue 15) */
}

json_t *hh_topics_check(json_t *j, char *err, size_t errsz)
{
	if (!json_is_array(j)) {
		snprintf(err, errsz, "topics must be a list of {\"kle\", \"name\"}");
		return NULL;
	}
	json_t *by_group[100] = { 0 };
	size_t i;
	json_t *t;
	json_array_foreach(j, i, t)
	{
		const char *kle = json_string_value(json_object_get(t, "kle"));
		const char *name = json_string_value(json_object_get(t, "name"));
		int g = hh_topic_group(kle);
		if (!json_is_object(t) || json_object_size(t) != 2 || g < 0 ||
		    strlen(kle) != 2) {
			snprintf(err, errsz,
				 "topic %zu: needs only \"kle\" (a KLE main group, "
				 "two digits) and \"name\"",
				 i + 1);
			return NULL;
		}
		size_t len = name ? strlen(name) : 0;
		if (!len || len > 80 || !hh_utf8_valid(name, len)) {
			snprintf(err, errsz,
				 "topic %zu: name must be 1 to 80 bytes of UTF-8",
				 i + 1);
			return NULL;
		}
		if (by_group[g]) {
			snprintf(err, errsz, "topic %zu: KLE group %s is named twice",
				 i + 1, kle);
			return NULL;
		}
		by_group[g] = t;
	}
	json_t *out = json_array();
	for (int g = 0; g < 100; g++)
		if (by_group[g])
			json_array_append(out, by_group[g]);
	return out;
}

struct put_ctx {
	const char *text;
};

static enum hh_rc put_tx(struct hh_tx *tx, void *p)
{
	struct put_ctx *c = p;
	return tx->store->meta_set(tx, HH_TOPICS_KEY, c->text);
}

enum hh_rc hh_topics_import(struct hh_store *st, const char *dir, FILE *errs,
			    int *n)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/topics.json", dir);
	*n = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return errno == ENOENT ? HH_OK : HH_ERR_IO;
	fclose(f);
	json_error_t e;
	json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
	if (!j) {
		fprintf(errs, "%s:%d: %s\n", path, e.line, e.text);
		return HH_ERR_INVALID;
	}
	char err[256];
	json_t *list = hh_topics_check(j, err, sizeof(err));
	json_decref(j);
	if (!list) {
		fprintf(errs, "%s:1: %s\n", path, err);
		return HH_ERR_INVALID;
	}
	char *text = json_dumps(list, JSON_COMPACT | JSON_PRESERVE_ORDER);
	struct put_ctx c = { text };
	enum hh_rc rc = hh_store_run_tx(st, 1, put_tx, &c);
	if (rc == HH_OK)
		*n = (int)json_array_size(list);
	free(text);
	json_decref(list);
	return rc;
}

enum hh_rc hh_topics_load_tx(struct hh_tx *tx, struct hh_arena *a,
			     struct hh_topics *out)
{
	memset(out, 0, sizeof(*out));
	const char *text = NULL;
	enum hh_rc rc = tx->store->meta_get(tx, a, HH_TOPICS_KEY, &text);
	if (rc != HH_OK)
		return rc;
	/* kle (issue 15): a main group helhed names no topic for is named
	 * by its imported KLE title (domain/kle.h), when there is one */
	const char *kle_title[100];
	rc = hh_kle_main_titles_tx(tx, a, kle_title);
	if (rc != HH_OK)
		return rc;
	for (int g = 0; g < 100; g++)
		out->kle_title[g] = kle_title[g];
	if (!text)
		return HH_OK;
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);
	size_t i;
	json_t *t;
	json_array_foreach(j, i, t)
	{
		int g = hh_topic_group(json_string_value(json_object_get(t, "kle")));
		const char *name = json_string_value(json_object_get(t, "name"));
		if (g >= 0 && name && !out->name[g]) {
			out->name[g] = hh_arena_strdup(a, name);
			out->n++;
		}
	}
	json_decref(j);
	return HH_OK;
}

struct load_ctx {
	struct hh_arena *a;
	struct hh_topics *out;
};

static enum hh_rc load_tx(struct hh_tx *tx, void *p)
{
	struct load_ctx *c = p;
	return hh_topics_load_tx(tx, c->a, c->out);
}

enum hh_rc hh_topics_load(struct hh_store *st, struct hh_arena *a,
			  struct hh_topics *out)
{
	struct load_ctx c = { a, out };
	return hh_store_run_tx(st, 0, load_tx, &c);
}
