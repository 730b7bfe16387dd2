/* session.c - /api/v1/session (staff sign-in for API clients), the
 * organisation list, and the operational endpoints. */
#include "api/api.h"

#include <string.h>

#include "core/log.h"
#include "app/postman.h"
#include "core/util.h"
#include "domain/auth.h"
#include "domain/messages.h"
#include "domain/health.h"
#include "domain/figures.h" /* the service figures */
#include "domain/oidc.h"
#include "domain/orgs.h"

static json_t *principal_json(struct hh_req *r, const struct hh_principal *w)
{
	return json_pack("{s:s, s:s*, s:s*, s:s, s:o, s:s*}", "name", w->name,
			 "email", w->email, "csrf_token", w->csrf,
			 "organisation", w->org_code, "roles",
			 json_string(hh_roles_format(&r->arena, w->roles)),
			 "kind", w->kind == HH_TOKEN ? "token" : "user");
}

void hh_api_session_get(struct hh_req *r)
{
	const struct hh_principal *w = hh_auth(r);
	if (w->kind == HH_ANON) {
		hh_resp_problem(r, HH_E_AUTH_REQUIRED, NULL, NULL);
		return;
	}
	hh_resp_json(r, 200, principal_json(r, w));
}

void hh_api_session_create(struct hh_req *r)
{
	if (r->app->password_login_off) {
		hh_resp_problem(r, HH_E_PASSWORD_LOGIN_OFF, NULL, NULL);
		return;
	}
	const char *email = NULL, *password = NULL;
	struct hh_json_spec spec[] = {
		HH_JSON_STR("email", &email, 1, 3, 254),
		HH_JSON_STR("password", &password, 1, 1, 1024),
		HH_JSON_END
	};
	if (!hh_json_body(r, spec))
		return;
	struct hh_login login;
	enum hh_rc rc = hh_auth_login(r->app->store, &r->arena, email, password,
				      hh_req_client_net(r), &login);
	if (rc == HH_ERR_FORBIDDEN) {
		hh_resp_problem(r, HH_E_BAD_CREDENTIALS, NULL, NULL);
		return;
	}
	if (rc == HH_ERR_LIMITED) {
		hh_resp_problem(r, HH_E_SIGN_IN_THROTTLED, NULL, NULL);
		hh_resp_header(r, "Retry-After",
			       hh_arena_printf(&r->arena, "%d", login.retry_after));
		return;
	}
	if (rc != HH_OK) {
		hh_resp_rc(r, rc, NULL);
		return;
	}
	hh_cookie_set(r, HH_COOKIE_STRICT, "hh_session", login.token, NULL,
		      HH_SESSION_TTL);
	hh_resp_json(r, 201,
		     json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", login.user.name,
			       "email", login.user.email, "organisation",
			       login.org.code, "roles",
			       hh_roles_format(&r->arena, login.user.roles),
			       "csrf_token", login.csrf));
}

void hh_api_session_delete(struct hh_req *r)
{
	const struct hh_principal *w = hh_auth(r);
	if (w->kind != HH_USER) {
		hh_resp_problem(r, HH_E_AUTH_REQUIRED, NULL, NULL);
		return;
	}
	if (!hh_csrf_ok(r, NULL)) {
		hh_resp_problem(r, HH_E_CSRF, NULL, NULL);
		return;
	}
	enum hh_rc rc = hh_auth_logout(r->app->store,
				       hh_req_cookie(r, "hh_session"));
	if (rc != HH_OK) {
		hh_resp_rc(r, rc, NULL);
		return;
	}
	hh_cookie_clear(r, HH_COOKIE_STRICT, "hh_session", NULL);
	hh_resp_text(r, 204, NULL, "");
}

static enum hh_rc org_row(void *p, const struct hh_org *o)
{
	json_array_append_new(p, json_pack("{s:s, s:s, s:s}", "code", o->code,
					   "name", o->name, "kind",
					   o->kind == HH_ORG_AGENCY
						   ? "agency"
						   : "municipality"));
	return HH_OK;
}

void hh_api_organisations(struct hh_req *r)
{
	json_t *items = json_array();
	enum hh_rc rc = hh_org_each(r->app->store, &r->arena, org_row, items);
	if (rc != HH_OK) {
		json_decref(items);
		hh_resp_rc(r, rc, NULL);
		return;
	}
	hh_resp_json(r, 200, json_pack("{s:o}", "items", items));
}

void hh_api_healthz(struct hh_req *r)
{
	hh_resp_text(r, 200, "text/plain; charset=utf-8", "ok\n");
}

void hh_api_readyz(struct hh_req *r)
{
	/* pg-multi: a load balancer takes an instance out while this says
	 * 503, so say why: starting or stopping, the database, or (several
	 * instances) not yet hearing of the others' changes again */
	if (!atomic_load(&r->app->ready)) {
		hh_resp_problem(r, HH_E_UNAVAILABLE, NULL, NULL);
		return;
	}
	if (hh_health_ready(r->app->store) != HH_OK) {
		hh_resp_problem(r, HH_E_STORE_UNAVAILABLE, NULL, NULL);
		hh_resp_header(r, "Retry-After", "1");
		return;
	}
	if (!hh_health_following(r->app->store)) {
		hh_resp_problem(r, HH_E_UNAVAILABLE, NULL,
				"Not listening for other instances' changes "
				"yet; catching up when the database connection "
				"is back.");
		hh_resp_header(r, "Retry-After", "1");
		return;
	}
	/* delivery: a spool folder that cannot be written holds Digital
	 * Post back (the messages wait, queued): not ready, and say where */
	char why[HH_POST_REASON_SIZE];
	if (!hh_postman_ready(r->app->postman, why)) {
		json_t *p = hh_problem_json(HH_E_SPOOL_UNWRITABLE, NULL, why,
					    r->path);
		json_object_set_new(p, "spool", json_string(
			hh_postman_spool_dir(r->app->postman)));
		hh_resp_json_as(r, 503, "application/problem+json", p);
		return;
	}
	hh_resp_text(r, 200, "text/plain; charset=utf-8", "ready\n");
}

void hh_api_metrics(struct hh_req *r)
{
	hh_buf_reset(&r->resp);
	hh_server_metrics(r->app->server, &r->resp);
	hh_health_metrics(r->app->store, &r->resp); /* pg-ops: pool, queries */
	/* delivery: messages by state and channel, the spool */
	if (r->app->postman) {
		char why[HH_POST_REASON_SIZE];
		int ok = hh_postman_ready(r->app->postman, why);
		hh_messages_metrics(r->app->store, hh_now_us() / 1000000, ok,
				    &r->resp);
	}
	/* the service figures: live indicators (a failure leaves them out;
	 * the rest of the scrape still counts) */
	if (hh_figures_metrics(r->app->store, &r->resp) != HH_OK)
		hh_log(HH_LOG_WARN, "metrics: the service figures could not be read");
	hh_resp_body(r, 200, "text/plain; version=0.0.4; charset=utf-8");
}

void hh_api_oidc_backchannel_logout(struct hh_req *r)
{
	/* OpenID Connect Back-Channel Logout 1.0 §2.8: 200 when the
	 * sessions are ended, 400 with an OAuth error otherwise; never
	 * cached */
	hh_resp_header(r, "Cache-Control", "no-store");
	int64_t ended = 0;
	enum hh_rc rc = hh_oidc_backchannel_logout(r->app->oidc, r->app->store,
						   hh_req_form(r, "logout_token"),
						   &ended);
	if (rc == HH_OK) {
		hh_resp_json(r, 200, json_pack("{s:I}", "ended", (json_int_t)ended));
		return;
	}
	if (rc == HH_ERR_INVALID || rc == HH_ERR_NOT_FOUND) {
		hh_resp_json(r, 400, json_pack("{s:s, s:s}", "error",
					       "invalid_request",
					       "error_description",
					       "the logout token was refused"));
		return;
	}
	hh_resp_rc(r, rc, NULL);
}
