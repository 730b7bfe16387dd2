/* orgfile.c - content files keyed by organisation code (see orgfile.h). */
#include "domain/orgfile.h"

struct import {
	const struct hh_org_file *f;
	json_t *root;
	struct hh_arena a;
	int n;
};

static enum hh_rc import_tx(struct hh_tx *tx, void *p)
{
	struct import *c = p;
	c->n = 0;
	const char *org_code;
	json_t *v;
	json_object_foreach(c->root, org_code, v)
	{
		struct hh_org o;
		enum hh_rc rc = tx->store->org_get_by_code(tx, &c->a, org_code, &o);
		if (rc == HH_OK)
			rc = c->f->put(tx, &c->a, o.id, v, &c->n);
		if (rc != HH_OK)
			return rc;
	}
	return HH_OK;
}

enum hh_rc hh_org_file_import(struct hh_store *st, const char *dir,
			      const struct hh_org_file *f, FILE *errs, int *n)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, f->name);
	*n = 0;
	FILE *in = fopen(path, "r");
	if (!in)
		return HH_OK;
	json_error_t e;
	json_t *root = json_loadf(in, JSON_REJECT_DUPLICATES, &e);
	fclose(in);
	if (!root) {
		fprintf(errs, "%s:%d: %s\n", path, e.line, e.text);
		return HH_ERR_INVALID;
	}
	struct import c = { .f = f, .root = root };
	hh_arena_init(&c.a);
	enum hh_rc rc = HH_OK;
	const char *org_code;
	json_t *v;
	if (!json_is_object(root)) {
		fprintf(errs, "%s:1: expected an object of organisation codes\n",
			path);
		rc = HH_ERR_INVALID;
		goto done;
	}
	json_object_foreach(root, org_code, v)
	{
		const char *problem = f->check(&c.a, v);
		if (problem) {
			fprintf(errs, "%s:1: %s: %s\n", path, org_code, problem);
			rc = HH_ERR_INVALID;
			goto done;
		}
	}
	rc = hh_store_run_tx(st, 1, import_tx, &c);
	if (rc == HH_ERR_NOT_FOUND) {
		fprintf(errs, "%s:1: an organisation code is not in "
			      "organisations.json\n", path);
		rc = HH_ERR_INVALID;
	}
	if (rc == HH_OK)
		*n = c.n;
done:
	hh_arena_clear(&c.a);
	json_decref(root);
	return rc;
}
