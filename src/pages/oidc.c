/* oidc.c - the browser's side of OpenID Connect sign-in: the start
 * (sealed login cookie, then off to the provider), the callback (a
 * session, or a Danish page saying what went wrong) and the provider's
 * front-channel logout. The flow and its checks are domain/oidc.c's. */
#include "pages/pages.h"

#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "domain/citizens.h"
#include "domain/oidc.h"
#include "pages/layout.h"

static void start(struct hh_req *r, enum hh_oidc_kind kind)
{
	if (!hh_oidc_enabled(r->app->oidc, kind)) {
		hh_page_not_found(r);
		return;
	}
	const char *url, *cookie;
	enum hh_rc rc = hh_oidc_begin(r->app->oidc, &r->arena, kind,
				      hh_req_query(r, "next"), &url, &cookie);
	if (rc != HH_OK) {
		hh_page_error(r, 503, "Log ind virker ikke lige nu",
			      kind == HH_OIDC_CITIZEN
				      ? "Vi kan ikke få forbindelse til MitID lige "
					"nu. Prøv igen om lidt."
				      : "Vi kan ikke få forbindelse til "
					"organisationens login lige nu. Prøv igen "
					"om lidt.");
		return;
	}
	hh_cookie_set(r, HH_COOKIE_RETURN, HH_OIDC_COOKIE, cookie,
		      hh_oidc_callback_path(kind), HH_OIDC_LOGIN_SECONDS);
	hh_resp_header(r, "Cache-Control", "no-store");
	hh_resp_redirect(r, 303, url);
}

void hh_page_oidc_citizen_start(struct hh_req *r)
{
	start(r, HH_OIDC_CITIZEN);
}

void hh_page_oidc_staff_start(struct hh_req *r)
{
	start(r, HH_OIDC_STAFF);
}

/* What the citizen or staff member reads when a sign-in fails. */
static void refused(struct hh_req *r, enum hh_oidc_kind kind,
		    enum hh_oidc_fault fault)
{
	const char *again = kind == HH_OIDC_CITIZEN ? "/borger/log-ind" : "/log-ind";
	const char *heading = "Du blev ikke logget ind", *text;
	int status = 400;
	switch (fault) {
	case HH_OIDC_DENIED:
		text = "Log ind blev afbrudt eller afvist, før det var færdigt. "
		       "Du kan prøve igen.";
		break;
	case HH_OIDC_EXPIRED:
		text = "Det tog for lang tid at logge ind, så vi har afbrudt det "
		       "af sikkerhedshensyn. Start forfra.";
		break;
	case HH_OIDC_STATE:
		text = "Vi kunne ikke genkende dit login. Det sker, hvis siden "
		       "er åbnet fra et gammelt bogmærke eller i et andet "
		       "vindue. Start forfra.";
		break;
	case HH_OIDC_NO_ROLE:
		text = "Din bruger hos organisationen har ingen rolle i helhed. "
		       "Kontakt den, der administrerer jeres brugere.";
		status = 403;
		break;
	case HH_OIDC_DISABLED:
		text = "Din bruger er spærret i helhed. Kontakt den, der "
		       "administrerer jeres brugere.";
		status = 403;
		break;
	case HH_OIDC_CLAIMS:
		text = "Vi fik ikke de oplysninger om dig, som vi skal bruge. "
		       "Prøv igen, eller kontakt os, hvis det bliver ved.";
		status = 502;
		break;
	default: /* the provider could not be reached, or its token was bad */
		text = "Vi kunne ikke bekræfte dit login hos udbyderen. Prøv "
		       "igen om lidt.";
		status = 502;
		break;
	}
	struct hh_page p = { .title = heading };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<h1>");
	hh_page_text(r, heading);
	hh_buf_puts(b, "</h1>\n<p>");
	hh_page_text(r, text);
	hh_buf_puts(b, "</p>\n<p><a class=\"button\" href=\"");
	hh_page_text(r, again);
	hh_buf_puts(b, "\">Prøv igen</a></p>\n");
	hh_resp_header(r, "Cache-Control", "no-store");
	hh_page_end(r, status);
}

static void callback(struct hh_req *r, enum hh_oidc_kind kind)
{
	if (!hh_oidc_enabled(r->app->oidc, kind)) {
		hh_page_not_found(r);
		return;
	}
	struct hh_oidc_callback cb = {
		.cookie = hh_req_cookie(r, HH_OIDC_COOKIE),
		.state = hh_req_query(r, "state"),
		.code = hh_req_query(r, "code"),
		.error = hh_req_query(r, "error"),
	};
	struct hh_oidc_result res;
	enum hh_rc rc = hh_oidc_finish(r->app->oidc, r->app->store, &r->arena,
				       kind, &cb, &res);
	/* the login cookie is used once, whatever happened */
	hh_cookie_clear(r, HH_COOKIE_RETURN, HH_OIDC_COOKIE,
			hh_oidc_callback_path(kind));
	if (rc == HH_ERR_FORBIDDEN) {
		refused(r, kind, res.fault);
		return;
	}
	if (rc != HH_OK) {
		hh_log(HH_LOG_WARN, "oidc callback: %s", hh_rc_name(rc));
		hh_page_error(r, 503, "Du blev ikke logget ind",
			      "Der skete en fejl hos os. Prøv igen om lidt.");
		return;
	}
	if (kind == HH_OIDC_CITIZEN)
		hh_cookie_set(r, HH_COOKIE_STRICT, "hh_borger", res.citizen.token,
			      NULL, HH_CITIZEN_SESSION_TTL);
	else
		hh_cookie_set(r, HH_COOKIE_STRICT, "hh_session", res.staff.token,
			      NULL, HH_SESSION_TTL);
	/* Not a redirect: the browser came here from the provider's site,
	 * and a redirect would carry that cross-site origin on, so the new
	 * SameSite=Strict session cookie would not be sent with the next
	 * page. A page of our own that moves on does send it. */
	struct hh_buf *b = &r->resp;
	hh_buf_reset(b);
	hh_buf_puts(b, "<!doctype html>\n<html lang=\"da\">\n<head>\n"
		       "<meta charset=\"utf-8\">\n<title>Du er logget ind – "
		       "helhed</title>\n<meta http-equiv=\"refresh\" "
		       "content=\"0; url=");
	hh_page_text(r, res.return_path);
	hh_buf_puts(b, "\">\n<link rel=\"stylesheet\" href=\"/static/style.css\">\n"
		       "</head>\n<body>\n<main id=\"indhold\" class=\"wrap\">\n"
		       "<h1>Du er logget ind</h1>\n<p><a href=\"");
	hh_page_text(r, res.return_path);
	hh_buf_puts(b, "\">Fortsæt</a></p>\n</main>\n</body>\n</html>\n");
	hh_resp_header(r, "Cache-Control", "no-store");
	hh_resp_html(r, 200);
}

void hh_page_oidc_citizen_callback(struct hh_req *r)
{
	callback(r, HH_OIDC_CITIZEN);
}

void hh_page_oidc_staff_callback(struct hh_req *r)
{
	callback(r, HH_OIDC_STAFF);
}

void hh_page_oidc_frontchannel_logout(struct hh_req *r)
{
	/* Rendered in a hidden frame of the provider's logout page: nothing
	 * to show, and the answer must not be cached. */
	int64_t ended = 0;
	enum hh_rc rc = hh_oidc_frontchannel_logout(r->app->oidc, r->app->store,
						    hh_req_query(r, "iss"),
						    hh_req_query(r, "sid"), &ended);
	hh_resp_header(r, "Cache-Control", "no-store");
	hh_buf_reset(&r->resp);
	hh_buf_puts(&r->resp, rc == HH_OK ? "logget ud\n" : "ukendt session\n");
	hh_resp_body(r, rc == HH_OK ? 200 : 400, "text/plain; charset=utf-8");
}
