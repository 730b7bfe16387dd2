/* inbox.c - the citizen's inbox over the API: the signed-in citizen's
 * letters (paged, with the unread count), one letter with its HTML, its
 * PDF, and the reply to it (JSON, or multipart/form-data with files).
 *
 * A door: the domain (domain/inbox.h) decides who sees what; another
 * citizen's letter is 404 as one that does not exist, staff get 403 and
 * an anonymous caller 401 (sign in as a citizen). */
#include "api/api.h"

#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/log.h"
#include "core/util.h"
#include "domain/inbox.h"
#include "http/multipart.h"
#include "render/letter_html.h"

#define MAX_PARTS 32

static void refuse(struct hh_req *r, enum hh_rc rc)
{
	if (rc == HH_ERR_FORBIDDEN && hh_auth(r)->kind == HH_ANON)
		hh_resp_problem(r, HH_E_CITIZEN_REQUIRED, NULL, NULL);
	else
		hh_resp_rc(r, rc, NULL);
}

/* GET /api/v1/me/letters?limit=&offset= */
void hh_api_my_letters(struct hh_req *r)
{
	int64_t limit, offset;
	if (!hh_req_query_int(r, "limit", HH_INBOX_PAGE, 1, HH_INBOX_PAGE_MAX, &limit) ||
	    !hh_req_query_int(r, "offset", 0, 0, INT64_MAX / 2, &offset))
		return;
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_inbox_page pg;
	enum hh_rc rc = hh_inbox_list(r->app->store, &r->arena, &who, offset, limit, &pg);
	if (rc != HH_OK) {
		refuse(r, rc);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < pg.n; i++)
		json_array_append_new(items, hh_inbox_letter_json(&pg.items[i]));
	hh_resp_header(r, "Cache-Control", "private, no-store");
	hh_resp_json(r, 200, json_pack("{s:o, s:I, s:I, s:I, s:I}", "items", items,
				       "total", (json_int_t)pg.total, "unread",
				       (json_int_t)pg.unread, "limit", (json_int_t)limit,
				       "offset", (json_int_t)offset));
}

static const char *reply_kind_name(enum hh_inbox_reply_kind k)
{
	return k == HH_INBOX_REPLY_ANSWER	? "answer"
	       : k == HH_INBOX_REPLY_CASE_EVENT ? "case-event"
	       : k == HH_INBOX_REPLY_INQUIRY	? "inquiry"
						: "none";
}

/* GET /api/v1/me/letters/{id}: opening it marks it read */
void hh_api_my_letter(struct hh_req *r)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_inbox_letter *il = hh_arena_calloc(&r->arena, sizeof(*il));
	int64_t id = hh_req_id(r, "id", NULL);
	enum hh_rc rc = id ? hh_inbox_open(r->app->store, &r->arena, &who, id, il)
			   : HH_ERR_NOT_FOUND;
	if (rc == HH_ERR_NOT_FOUND && hh_auth(r)->kind == HH_ANON)
		rc = HH_ERR_FORBIDDEN; /* a bad id is no reason not to sign in */
	if (rc != HH_OK) {
		refuse(r, rc);
		return;
	}
	struct hh_buf html;
	hh_buf_init(&html);
	rc = hh_letter_html(&il->doc, &html);
	if (rc != HH_OK) {
		hh_buf_clear(&html);
		hh_log_bug("letter %lld: no HTML: %s", (long long)id, hh_rc_name(rc));
		hh_resp_rc(r, HH_ERR_INTERNAL, NULL);
		return;
	}
	json_t *j = hh_inbox_letter_json(&il->l);
	json_object_set_new(j, "html", json_stringn(html.data, html.len));
	hh_buf_clear(&html);
	json_object_set_new(j, "body", json_string(il->l.body));
	json_object_set_new(j, "reply", json_string(reply_kind_name(il->reply)));
	json_object_set_new(j, "question",
			    il->question ? json_string(il->question) : json_null());
	json_object_set_new(j, "pdf", json_string(hh_arena_printf(
					      &r->arena, "/api/v1/me/letters/%lld/pdf",
					      (long long)id)));
	hh_resp_header(r, "Cache-Control", "private, no-store");
	hh_resp_json(r, 200, j);
}

/* GET /api/v1/me/letters/{id}/pdf */
void hh_api_my_letter_pdf(struct hh_req *r)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_inbox_letter *il = hh_arena_calloc(&r->arena, sizeof(*il));
	int64_t id = hh_req_id(r, "id", NULL);
	enum hh_rc rc = id ? hh_inbox_open(r->app->store, &r->arena, &who, id, il)
			   : HH_ERR_NOT_FOUND;
	if (rc == HH_ERR_NOT_FOUND && hh_auth(r)->kind == HH_ANON)
		rc = HH_ERR_FORBIDDEN;
	if (rc == HH_OK && !il->l.pdf)
		rc = HH_ERR_NOT_FOUND;
	if (rc != HH_OK) {
		refuse(r, rc);
		return;
	}
	hh_resp_header(r, "Content-Disposition",
		       hh_arena_printf(&r->arena, "attachment; filename=\"%s\"",
				       hh_inbox_pdf_name(&r->arena, &il->l)));
	hh_resp_header(r, "Cache-Control", "private, no-store");
	hh_buf_reset(&r->resp);
	hh_buf_append(&r->resp, il->l.pdf, il->l.pdf_len);
	hh_resp_body(r, 200, "application/pdf");
}

/* The reply's text and files from a JSON body {"text", "files": [...]};
 * 0 after queueing the problem. */
static int json_reply(struct hh_req *r, const char **text, json_t **files)
{
	json_error_t e;
	json_t *root = json_loadb(hh_buf_str(&r->body), r->body.len,
				  JSON_REJECT_DUPLICATES, &e);
	if (!root || !json_is_object(root)) {
		json_decref(root);
		hh_resp_problem(r, HH_E_BAD_JSON, NULL, NULL);
		return 0;
	}
	hh_arena_defer(&r->arena, hh_json_release, root);
	const char *key;
	json_t *v;
	json_object_foreach(root, key, v)
	{
		if (strcmp(key, "text") && strcmp(key, "files")) {
			hh_resp_problem(r, HH_E_UNKNOWN_FIELD, key, NULL);
			return 0;
		}
	}
	v = json_object_get(root, "text");
	if (!v) {
		hh_resp_problem(r, HH_E_MISSING_FIELD, "text", NULL);
		return 0;
	}
	if (!json_is_string(v)) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, "text", "text must be a string");
		return 0;
	}
	*text = json_string_value(v);
	v = json_object_get(root, "files");
	if (v && !json_is_array(v)) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, "files",
				"files must be a list of {name, content_type, data}");
		return 0;
	}
	*files = v;
	return 1;
}

/* The same from multipart/form-data: a part "text" and file parts
 * "files"; 0 after queueing the problem. */
static int multipart_reply(struct hh_req *r, const char *ct, const char **text,
			   json_t **files)
{
	struct hh_multipart_part *parts =
		hh_arena_alloc(&r->arena, MAX_PARTS * sizeof(*parts));
	int n = 0;
	if (hh_multipart_parse(&r->arena, ct, r->body.data, r->body.len, parts,
			       MAX_PARTS, &n) != HH_OK) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, NULL,
				"the body is not well-formed multipart/form-data");
		return 0;
	}
	json_t *list = json_array();
	hh_arena_defer(&r->arena, hh_json_release, list);
	*text = NULL;
	for (int i = 0; i < n; i++) {
		const struct hh_multipart_part *p = &parts[i];
		if (!strcmp(p->name, "text") && !p->filename) {
			char *s = hh_arena_strndup(&r->arena, (const char *)p->data, p->size);
			if (strlen(s) != p->size) {
				hh_resp_problem(r, HH_E_BAD_UTF8, "text", NULL);
				return 0;
			}
			*text = s;
		} else if (!strcmp(p->name, "files") && p->filename) {
			if (!p->size && !*p->filename)
				continue;
			size_t len = sodium_base64_ENCODED_LEN(p->size,
							       sodium_base64_VARIANT_ORIGINAL);
			char *b64 = hh_arena_alloc(&r->arena, len);
			sodium_bin2base64(b64, len, p->data, p->size,
					  sodium_base64_VARIANT_ORIGINAL);
			json_array_append_new(
				list, json_pack("{s:s, s:s, s:s}", "name", p->filename,
						"content_type",
						p->content_type && *p->content_type
							? p->content_type
							: "application/octet-stream",
						"data", b64));
		} else {
			hh_resp_problem(r, HH_E_UNKNOWN_FIELD, p->name, NULL);
			return 0;
		}
	}
	if (!*text) {
		hh_resp_problem(r, HH_E_MISSING_FIELD, "text", NULL);
		return 0;
	}
	*files = list;
	return 1;
}

/* POST /api/v1/me/letters/{id}/reply */
void hh_api_my_letter_reply(struct hh_req *r)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	if (!hh_csrf_ok(r, NULL)) {
		hh_resp_problem(r, HH_E_CSRF, NULL, NULL);
		return;
	}
	const char *ct = hh_req_header(r, "Content-Type");
	const char *text = NULL;
	json_t *files = NULL;
	if (ct && !strncasecmp(ct, "multipart/form-data", 19)) {
		if (!multipart_reply(r, ct, &text, &files))
			return;
	} else if (ct && !strncasecmp(ct, "application/json", 16)) {
		if (!json_reply(r, &text, &files))
			return;
	} else {
		hh_resp_problem(r, HH_E_UNSUPPORTED_MEDIA, NULL,
				"send application/json, or multipart/form-data with files");
		return;
	}
	struct hh_inbox_reply_result res;
	enum hh_inbox_fault fault = HH_INBOX_FINE;
	const char *msg = NULL;
	int64_t id = hh_req_id(r, "id", NULL);
	enum hh_rc rc = id ? hh_inbox_reply(r->app->store, &r->arena, &who, id, text,
					    files, &res, &fault, &msg)
			   : HH_ERR_NOT_FOUND;
	if (rc == HH_OK) {
		hh_resp_json(r, 201, json_pack("{s:s, s:o, s:o}", "reply",
					       reply_kind_name(res.kind), "case_id",
					       res.case_id ? json_integer(res.case_id)
							   : json_null(),
					       "inquiry_id",
					       res.inquiry_id ? json_integer(res.inquiry_id)
							      : json_null()));
		return;
	}
	if (fault == HH_INBOX_NOT_ALLOWED)
		hh_resp_problem(r, HH_E_REPLY_NOT_ALLOWED, NULL, NULL);
	else if (fault == HH_INBOX_TEXT)
		hh_resp_problem(r, HH_E_INVALID_FIELD, "text", msg);
	else if (fault == HH_INBOX_FILES)
		hh_resp_problem(r, HH_E_FILE_REJECTED, "files", msg);
	else if (fault == HH_INBOX_STALE)
		hh_resp_problem(r, HH_E_CASE_CHANGED, NULL, NULL);
	else
		refuse(r, rc);
}
