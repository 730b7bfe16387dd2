/* letters.c - letters on cases over the API (domain/letters.h): a case's
 * letters, a draft from its template with the free parts, send, approve,
 * return, and one letter as JSON or as its PDF.
 *
 * A door like api/cases.c: NOT_FOUND is 404 as for an unknown id (another
 * organisation's letter), FORBIDDEN 403 (four-eyes when it is the
 * author's own letter), a letter that cannot be written 422 with the
 * fields in errors[], a stale version 412. */
#include "api/api.h"

#include <stdlib.h>
#include <string.h>

#include "core/dktime.h"
#include "core/util.h"
#include "domain/access.h"
#include "domain/catalogue.h"
#include "domain/letters.h"

/* Staff who work cases; queues the refusal otherwise (and checks CSRF
 * for writes). */
static int staff(struct hh_req *r, struct hh_actor *who, int write)
{
	hh_actor_of(r, who);
	const struct hh_principal *w = hh_auth(r);
	if (!hh_case_works(who)) {
		hh_resp_problem(r, w->kind == HH_ANON      ? HH_E_AUTH_REQUIRED
				   : w->kind == HH_CITIZEN ? HH_E_NOT_FOUND
							   : HH_E_FORBIDDEN,
				NULL, NULL);
		return 0;
	}
	if (write && !hh_csrf_ok(r, NULL)) {
		hh_resp_problem(r, HH_E_CSRF, NULL, NULL);
		return 0;
	}
	return 1;
}

/* The version from If-Match or the body (required); -1 when a problem
 * was queued. */
static int64_t version_of(struct hh_req *r, int64_t body_version)
{
	int64_t hv = hh_if_match(r);
	if (hv < 0) {
		hh_resp_problem(r, HH_E_INVALID_PARAM, "If-Match",
				"If-Match must be the letter's ETag, e.g. \"2\"");
		return -1;
	}
	if (hv && body_version && hv != body_version) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, "version",
				"If-Match and version disagree");
		return -1;
	}
	int64_t v = hv ? hv : body_version;
	if (!v)
		hh_resp_problem(r, HH_E_VERSION_REQUIRED, "version", NULL);
	return v ? v : -1;
}

static void send_letter(struct hh_req *r, int status, const struct hh_letter *l)
{
	hh_resp_header(r, "ETag",
		       hh_arena_printf(&r->arena, "\"%lld\"", (long long)l->version));
	hh_resp_json(r, status, hh_letter_json(l));
}

/* What the caseworker reads for a field the domain refused. */
static const char *field_message(const char *field)
{
	if (!strcmp(field, "decision"))
		return "Sagen kan ikke få denne afgørelse fra sin nuværende tilstand.";
	if (!strcmp(field, "kind"))
		return "Der findes ingen brevskabelon af den slags til denne afgørelse.";
	if (!strcmp(field, "justification"))
		return "Skriv begrundelsen for afgørelsen (højst 8.000 tegn).";
	if (!strcmp(field, "text"))
		return "Teksten er for lang (højst 8.000 tegn).";
	if (!strcmp(field, "reply_by"))
		return "Svarfristen skal ligge efter i dag.";
	return "Sagen har ingen borger at skrive til.";
}

static void letter_failed(struct hh_req *r, const struct hh_actor *who,
			  enum hh_rc rc, const char *field)
{
	if (rc == HH_ERR_INVALID && field) {
		json_t *j = hh_problem_json(HH_E_LETTER_INVALID, field, NULL, r->path);
		json_object_set_new(j, "errors",
				    json_pack("[{s:s, s:s}]", "field", field, "message",
					      field_message(field)));
		hh_resp_json_as(r, 422, "application/problem+json", j);
	} else if (rc == HH_ERR_INVALID) {
		hh_resp_problem(r, HH_E_LETTER_STATE, NULL, NULL);
	} else if (rc == HH_ERR_CONFLICT) {
		hh_resp_problem(r, HH_E_STALE_VERSION, "version",
				"the letter or its case was changed by someone else; "
				"fetch it again");
	} else if (rc == HH_ERR_FORBIDDEN && hh_auth(r)->kind == HH_ANON) {
		hh_resp_problem(r, HH_E_AUTH_REQUIRED, NULL, NULL);
	} else {
		(void)who;
		hh_resp_rc(r, rc, NULL);
	}
}

/* ---- a case's letters ------------------------------------------------------ */

static enum hh_rc push_row(void *p, const struct hh_letter *l)
{
	json_array_append_new(p, hh_letter_json(l));
	return HH_OK;
}

void hh_api_case_letters(struct hh_req *r)
{
	struct hh_actor who;
	if (!staff(r, &who, 0))
		return;
	json_t *list = json_array();
	enum hh_rc rc =
		hh_letter_list_case(r->app->store, &r->arena, &who,
				    hh_req_id(r, "id", NULL), push_row, list);
	if (rc != HH_OK) {
		json_decref(list);
		letter_failed(r, &who, rc, NULL);
		return;
	}
	hh_resp_json(r, 200, json_pack("{s:o}", "letters", list));
}

void hh_api_case_letter_create(struct hh_req *r)
{
	struct hh_actor who;
	if (!staff(r, &who, 1))
		return;
	const char *decision = NULL, *kind = NULL, *justification = NULL, *text = NULL,
		   *reply_by = NULL;
	struct hh_json_spec spec[] = {
		HH_JSON_STR("decision", &decision, 0, 1, 40),
		HH_JSON_STR("kind", &kind, 0, 1, 40),
		HH_JSON_STR("justification", &justification, 0, 0, HH_LETTER_FREE_MAX),
		HH_JSON_STR("text", &text, 0, 0, HH_LETTER_FREE_MAX),
		HH_JSON_STR("reply_by", &reply_by, 0, 10, 40),
		HH_JSON_END
	};
	if (!hh_json_body(r, spec))
		return;
	if (!decision && !kind) {
		hh_resp_problem(r, HH_E_MISSING_FIELD, "decision",
				"give the decision the letter records, or its kind");
		return;
	}
	struct hh_letter_input in = { .case_id = hh_req_id(r, "id", NULL),
				      .decision = decision, .kind = kind,
				      .justification = justification,
				      .text = text };
	if (reply_by && !hh_iso8601_parse(reply_by, &in.reply_by)) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, "reply_by",
				"an ISO 8601 date such as 2026-12-24");
		return;
	}
	struct hh_letter l;
	const char *field = NULL;
	enum hh_rc rc = hh_letter_create(r->app->store, &r->arena, &who, &in, &l, &field);
	if (rc != HH_OK) {
		letter_failed(r, &who, rc, field);
		return;
	}
	hh_resp_header(r, "Location", hh_arena_printf(&r->arena, "/api/v1/letters/%lld",
						      (long long)l.id));
	send_letter(r, 201, &l);
}

/* ---- one letter ------------------------------------------------------------- */

void hh_api_letter_get(struct hh_req *r)
{
	struct hh_actor who;
	if (!staff(r, &who, 0))
		return;
	const char *raw = hh_req_param(r, "id");
	size_t n = raw ? strlen(raw) : 0;
	int pdf = n > 4 && !strcmp(raw + n - 4, ".pdf");
	struct hh_letter l;
	enum hh_rc rc = hh_letter_get_staff(
		r->app->store, &r->arena, &who, hh_req_id(r, "id", ".pdf"),
		pdf ? "brev hentet som PDF" : NULL, &l);
	if (rc != HH_OK) {
		letter_failed(r, &who, rc, NULL);
		return;
	}
	if (!pdf) {
		send_letter(r, 200, &l);
		return;
	}
	if (!l.pdf) {
		/* rendered when sent; a draft has none yet */
		hh_resp_problem(r, HH_E_NOT_FOUND, NULL,
				"the letter has no PDF until it is sent");
		return;
	}
	hh_buf_append(&r->resp, l.pdf, l.pdf_len);
	hh_resp_header(r, "Content-Disposition",
		       hh_arena_printf(&r->arena, "attachment; filename=\"brev-%lld.pdf\"",
				       (long long)l.id));
	hh_resp_header(r, "X-Content-Type-Options", "nosniff");
	hh_resp_body(r, 200, "application/pdf");
}

enum op { SEND, APPROVE, RETURN };

static void act(struct hh_req *r, enum op op)
{
	struct hh_actor who;
	if (!staff(r, &who, 1))
		return;
	int64_t version = 0;
	const char *comment = NULL;
	struct hh_json_spec send_spec[] = {
		HH_JSON_INT("version", &version, 0, 1, INT64_MAX), HH_JSON_END
	};
	struct hh_json_spec return_spec[] = {
		HH_JSON_INT("version", &version, 0, 1, INT64_MAX),
		HH_JSON_STR("comment", &comment, 1, 1, HH_LETTER_FREE_MAX), HH_JSON_END
	};
	if (!hh_json_body(r, op == RETURN ? return_spec : send_spec))
		return;
	int64_t v = version_of(r, version);
	if (v < 0)
		return;
	struct hh_letter l;
	int awaiting = 0;
	struct hh_store *st = r->app->store;
	enum hh_rc rc =
		op == SEND ? hh_letter_send(st, &r->arena, &who,
					    hh_req_id(r, "id", NULL), v, &l,
					    &awaiting)
		: op == APPROVE
			? hh_letter_approve(st, &r->arena, &who,
					    hh_req_id(r, "id", NULL), v, &l)
			: hh_letter_return(st, &r->arena, &who,
					   hh_req_id(r, "id", NULL), v, comment,
					   &l);
	if (rc == HH_ERR_FORBIDDEN && op != SEND &&
	    hh_access_scope(&who, HH_RES_CASE, HH_ACT_CHANGE) != HH_SCOPE_NONE) {
		/* one who may change cases and still not approve: the author */
		hh_resp_problem(r, HH_E_FOUR_EYES, NULL, NULL);
		return;
	}
	if (rc != HH_OK) {
		letter_failed(r, &who, rc, NULL);
		return;
	}
	send_letter(r, 200, &l);
}

void hh_api_letter_send(struct hh_req *r)
{
	act(r, SEND);
}

void hh_api_letter_approve(struct hh_req *r)
{
	act(r, APPROVE);
}

void hh_api_letter_return(struct hh_req *r)
{
	act(r, RETURN);
}

/* Letters awaiting approval that the caller may approve. */
void hh_api_letters_approval(struct hh_req *r)
{
	struct hh_actor who;
	if (!staff(r, &who, 0))
		return;
	json_t *list = json_array();
	enum hh_rc rc = hh_letter_list_approval(r->app->store, &r->arena, &who, push_row,
						list);
	if (rc != HH_OK) {
		json_decref(list);
		letter_failed(r, &who, rc, NULL);
		return;
	}
	hh_resp_json(r, 200, json_pack("{s:o}", "letters", list));
}
