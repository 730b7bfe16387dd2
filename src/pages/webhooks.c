/* webhooks.c - x-hooks (issue 15): /personale/webhooks, an
 * organisation's admin's webhook subscriptions and their latest
 * deliveries (pending, delivered, failed, attempts, the last answer, the
 * next try); and (x-hooks2) its forms: subscribe (the secret shown
 * once), pause and resume, a new secret (shown once), a test event,
 * delete, each with the session's CSRF token as other staff forms. A
 * form that did what it asked is answered 303 to the page (x-fix: a
 * reload never posts it again, so never rotates twice); what it did,
 * and a new secret, is shown on that page once, through a one-time flash
 * kept in this process's memory (never in the store) for ten minutes
 * and taken by the first GET of the same signed-in user that names it.
 * A refused form is answered with the page itself and why. Every rule is
 * the domain's (domain/webhooks.h). */
#include "pages/layout.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/dktime.h"
#include "domain/webhooks.h"
#include "pages/pages.h"

struct view {
	struct hh_req *r;
	struct hh_buf subs, rows;
};

static void cell(struct view *v, struct hh_buf *b, const char *s)
{
	/* hh_page_text writes to the response: escape by hand into b */
	for (const char *p = s ? s : ""; *p; p++) {
		switch (*p) {
		case '<': hh_buf_puts(b, "&lt;"); break;
		case '>': hh_buf_puts(b, "&gt;"); break;
		case '&': hh_buf_puts(b, "&amp;"); break;
		case '"': hh_buf_puts(b, "&quot;"); break;
		default: hh_buf_putc(b, *p);
		}
	}
	(void)v;
}

/* The event types in Danish, as the form offers them. */
static const struct {
	const char *type, *da;
} types[] = {
	{ HH_WH_CASE_SUBMITTED, "En sag er indsendt" },
	{ HH_WH_CASE_STATE, "En sag har skiftet status" },
	{ HH_WH_LETTER_SENT, "Et brev er sendt" },
	{ HH_WH_INQUIRY_TRANSFERRED, "En henvendelse er viderestillet" },
	{ HH_WH_ARTICLE_CHANGED, "En artikel er ændret" },
};
#define N_TYPES (sizeof(types) / sizeof(types[0]))

static const char *type_da(const char *t)
{
	for (size_t i = 0; i < N_TYPES; i++)
		if (!strcmp(types[i].type, t))
			return types[i].da;
	if (!strcmp(t, HH_WH_TEST))
		return "Testbesked";
	return t;
}

/* One small form posting handling to /personale/webhooks/{id}. */
static void action(struct view *v, struct hh_buf *b, int64_t id,
		   const char *handling, const char *label, const char *css)
{
	hh_buf_printf(b, "<form method=\"post\" class=\"inline\" "
			 "action=\"/personale/webhooks/%lld\">"
			 "<input type=\"hidden\" name=\"csrf\" value=\"",
		      (long long)id);
	cell(v, b, hh_auth(v->r)->csrf ? hh_auth(v->r)->csrf : "");
	hh_buf_printf(b, "\"><input type=\"hidden\" name=\"handling\" "
			 "value=\"%s\"><button type=\"submit\"%s>%s</button>"
			 "</form>\n", handling, css ? css : "", label);
}

static enum hh_rc sub_row(void *p, const struct hh_webhook_sub *s)
{
	struct view *v = p;
	struct hh_buf *b = &v->subs;
	hh_buf_printf(b, "<tr><td>%lld</td><td>", (long long)s->id);
	cell(v, b, s->url);
	hh_buf_puts(b, "</td><td>");
	const char *e = s->events ? s->events : "";
	while (*e) { /* "a,b" as a list of Danish names */
		size_t n = strcspn(e, ",");
		char *t = hh_arena_strndup(&v->r->arena, e, n);
		cell(v, b, type_da(t));
		e += n;
		if (*e == ',') {
			hh_buf_puts(b, "<br>");
			e++;
		}
	}
	hh_buf_puts(b, s->active ? "</td><td>Ja" : "</td><td>På pause");
	hh_buf_puts(b, "</td><td>");
	cell(v, b, hh_datetime_da(&v->r->arena, s->created_at));
	if (s->previous_until > hh_now_us() / 1000000) {
		hh_buf_puts(b, "<br>Ny hemmelighed; den gamle signerer også til ");
		cell(v, b, hh_datetime_da(&v->r->arena, s->previous_until));
	}
	hh_buf_puts(b, "</td><td class=\"actions\">");
	if (s->active)
		action(v, b, s->id, "pause", "Sæt på pause", NULL);
	else
		action(v, b, s->id, "genoptag", "Genoptag", NULL);
	action(v, b, s->id, "test", "Send testbesked", NULL);
	action(v, b, s->id, "hemmelighed", "Ny hemmelighed", NULL);
	action(v, b, s->id, "slet", "Slet", " class=\"danger\"");
	hh_buf_puts(b, "</td></tr>\n");
	return HH_OK;
}

static const char *state_da(const char *state)
{
	if (!strcmp(state, "pending"))
		return "Venter";
	if (!strcmp(state, "delivered"))
		return "Afleveret";
	if (!strcmp(state, "failed"))
		return "Opgivet";
	return state;
}

static enum hh_rc delivery_row(void *p, const struct hh_webhook_delivery *d)
{
	struct view *v = p;
	struct hh_buf *b = &v->rows;
	hh_buf_printf(b, "<tr><td>%lld</td><td>%lld</td><td>",
		      (long long)d->id, (long long)d->sub_id);
	cell(v, b, type_da(d->type));
	hh_buf_puts(b, "</td><td>");
	cell(v, b, state_da(d->state));
	hh_buf_printf(b, "</td><td>%lld</td><td>", (long long)d->attempts);
	if (d->last_code)
		hh_buf_printf(b, "HTTP %lld", (long long)d->last_code);
	else if (d->last_error && !strncmp(d->last_error, "address not allowed", 19))
		cell(v, b, "Adressen er ikke tilladt (et lokalt netværk)");
	else if (d->last_error && strcasestr(d->last_error, "timed out"))
		cell(v, b, "Intet svar inden for tidsfristen");
	else if (d->last_error && strcasestr(d->last_error, "resolve host"))
		cell(v, b, "Værtsnavnet kan ikke slås op");
	else if (d->last_error && (strcasestr(d->last_error, "connect to") ||
				   strcasestr(d->last_error, "connection refused")))
		cell(v, b, "Ingen forbindelse til modtageren");
	else if (d->last_error)
		cell(v, b, d->last_error);
	else
		hh_buf_puts(b, "–");
	hh_buf_puts(b, "</td><td>");
	if (!strcmp(d->state, "pending"))
		cell(v, b, hh_datetime_da(&v->r->arena, d->next_attempt_at));
	else
		hh_buf_puts(b, "–");
	hh_buf_puts(b, "</td></tr>\n");
	return HH_OK;
}

/* The page, with message (a <p> of what a form did, or NULL), the
 * subscribe form's values (url, which types were ticked) and, once, a
 * new secret, answered with status. */
struct shown {
	const char *message, *error, *secret;
	int64_t secret_id;
	const char *url;
	int ticked[N_TYPES];
};

static void render(struct hh_req *r, const struct hh_actor *who,
		   const struct shown *sh, int status)
{
	struct view v = { .r = r };
	hh_buf_init(&v.subs);
	hh_buf_init(&v.rows);
	enum hh_rc rc = hh_webhook_list(r->app->store, who, &r->arena, sub_row,
					&v);
	if (rc == HH_OK)
		rc = hh_webhook_deliveries(r->app->store, who, &r->arena, 0, 50,
					   delivery_row, &v);
	if (rc == HH_ERR_FORBIDDEN) {
		/* staff sign in there; a token or a staff user without
		 * the role is told no */
		enum hh_principal_kind k = hh_auth(r)->kind;
		if (k == HH_ANON || k == HH_CITIZEN)
			hh_resp_redirect(r, 303, "/log-ind");
		else
			hh_page_error(r, 403, "Ingen adgang",
				      "Webhooks er for organisationens "
				      "administratorer.");
		goto done;
	}
	hh_resp_header(r, "Cache-Control", "no-store");
	struct hh_page p = { .title = "Webhooks" };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<h1>Webhooks</h1>\n<p>Organisationens egne systemer "
		       "kan få besked, når noget sker i helhed: en sag "
		       "indsendes eller skifter status, et brev sendes, en "
		       "henvendelse viderestilles, eller en artikel ændres. "
		       "Hver besked er signeret og sendes igen, indtil "
		       "modtageren tager imod den, dog højst et døgn. Det "
		       "samme kan gøres gennem API'et "
		       "(<code>/api/v1/webhooks</code>).</p>\n");
	if (sh && sh->message) {
		hh_buf_puts(b, "<p class=\"notice\" role=\"status\">");
		hh_page_text(r, sh->message);
		hh_buf_puts(b, "</p>\n");
	}
	if (sh && sh->error) {
		hh_buf_puts(b, "<p class=\"error\" role=\"alert\">");
		hh_page_text(r, sh->error);
		hh_buf_puts(b, "</p>\n");
	}
	if (sh && sh->secret) {
		hh_buf_printf(b, "<div class=\"notice\" role=\"status\"><p>"
				 "Hemmeligheden for abonnement %lld. Den vises "
				 "kun denne ene gang: kopiér den nu til det "
				 "system, der modtager beskederne.</p>\n"
				 "<p><code class=\"secret\">",
			      (long long)sh->secret_id);
		hh_page_text(r, sh->secret);
		hh_buf_puts(b, "</code></p></div>\n");
	}
	if (rc != HH_OK) {
		hh_buf_puts(b, "<p class=\"error\">Oversigten kan ikke vises "
			       "lige nu. Prøv igen om lidt.</p>\n");
	} else {
		hh_buf_puts(b, "<h2>Abonnementer</h2>\n");
		if (!v.subs.len) {
			hh_buf_puts(b, "<p>Organisationen har ingen "
				       "abonnementer.</p>\n");
		} else {
			hh_buf_puts(b, "<div class=\"table-wrap\"><table>\n"
				       "<caption>Abonnementer</caption>\n<thead><tr>"
				       "<th scope=\"col\">Nr.</th>"
				       "<th scope=\"col\">Adresse</th>"
				       "<th scope=\"col\">Hændelser</th>"
				       "<th scope=\"col\">Aktiv</th>"
				       "<th scope=\"col\">Oprettet</th>"
				       "<th scope=\"col\">Handlinger</th></tr>"
				       "</thead>\n<tbody>\n");
			hh_buf_append(b, v.subs.data, v.subs.len);
			hh_buf_puts(b, "</tbody></table></div>\n");
		}
		/* subscribe */
		hh_buf_puts(b, "<h2 id=\"nyt\">Nyt abonnement</h2>\n"
			       "<form method=\"post\" action=\"/personale/webhooks\">\n"
			       "<input type=\"hidden\" name=\"csrf\" value=\"");
		hh_page_text(r, hh_auth(r)->csrf ? hh_auth(r)->csrf : "");
		hh_buf_puts(b, "\">\n<p><label for=\"url\">Adresse (https://)"
			       "</label><br>\n<input type=\"url\" id=\"url\" "
			       "name=\"url\" required maxlength=\"2000\" "
			       "size=\"60\" placeholder=\"https://esdh.eksempel.dk/"
			       "helhed\" value=\"");
		hh_page_text(r, sh && sh->url ? sh->url : "");
		hh_buf_puts(b, "\"></p>\n<fieldset><legend>Send besked, når"
			       "</legend>\n");
		for (size_t i = 0; i < N_TYPES; i++) {
			hh_buf_printf(b, "<p><input type=\"checkbox\" id=\"t%zu\" "
					 "name=\"%s\" value=\"1\"%s> <label "
					 "for=\"t%zu\">%s</label></p>\n",
				      i, types[i].type,
				      sh && sh->ticked[i] ? " checked" : "", i,
				      types[i].da);
		}
		hh_buf_puts(b, "</fieldset>\n<p><button type=\"submit\">Opret "
			       "abonnement</button></p>\n</form>\n");
		hh_buf_puts(b, "<h2>Seneste afleveringer</h2>\n");
		if (!v.rows.len) {
			hh_buf_puts(b, "<p>Ingen afleveringer endnu.</p>\n");
		} else {
			hh_buf_puts(b, "<div class=\"table-wrap\"><table>\n"
				       "<caption>De seneste 50 afleveringer, nyeste "
				       "først</caption>\n<thead><tr>"
				       "<th scope=\"col\">Nr.</th>"
				       "<th scope=\"col\">Abonnement</th>"
				       "<th scope=\"col\">Hændelse</th>"
				       "<th scope=\"col\">Status</th>"
				       "<th scope=\"col\">Forsøg</th>"
				       "<th scope=\"col\">Sidste svar</th>"
				       "<th scope=\"col\">Næste forsøg</th></tr>"
				       "</thead>\n<tbody>\n");
			hh_buf_append(b, v.rows.data, v.rows.len);
			hh_buf_puts(b, "</tbody></table></div>\n");
		}
	}
	hh_page_end(r, status);
done:
	hh_buf_clear(&v.subs);
	hh_buf_clear(&v.rows);
}

/* ---- x-fix: the one-time flash after a form (POST, 303, GET) ---------- */

#define FLASHES 64
#define FLASH_TTL_S 600

static struct flash {
	char token[33]; /* "" free */
	char *actor, *message, *secret;
	int64_t secret_id, at;
} flashes[FLASHES];
static pthread_mutex_t flash_lock = PTHREAD_MUTEX_INITIALIZER;

static void flash_free(struct flash *f)
{
	if (f->secret) {
		sodium_memzero(f->secret, strlen(f->secret));
		free(f->secret);
	}
	free(f->actor);
	free(f->message);
	memset(f, 0, sizeof(*f));
}

static char *dup_or_null(const char *s)
{
	return s ? hh_xstrdup(s) : NULL;
}

/* Keeps what sh says for who's next GET; the token into token. */
static void flash_put(const struct hh_actor *who, const struct shown *sh,
		      char token[33])
{
	unsigned char raw[16];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(token, 33, raw, sizeof(raw));
	int64_t now = hh_now_us() / 1000000;
	pthread_mutex_lock(&flash_lock);
	struct flash *slot = &flashes[0];
	for (int i = 0; i < FLASHES; i++) {
		struct flash *f = &flashes[i];
		if (f->token[0] && now - f->at > FLASH_TTL_S)
			flash_free(f);
		if (!f->token[0] || f->at < slot->at)
			slot = f; /* a free one, else the oldest */
		if (!f->token[0])
			break;
	}
	flash_free(slot);
	memcpy(slot->token, token, 33);
	slot->actor = hh_xstrdup(who->label ? who->label : "");
	slot->message = dup_or_null(sh->message);
	slot->secret = dup_or_null(sh->secret);
	slot->secret_id = sh->secret_id;
	slot->at = now;
	pthread_mutex_unlock(&flash_lock);
}

/* Takes the flash token of who into sh (strings in a): 1 when there was
 * one, else 0; either way it is gone after. */
static int flash_take(const struct hh_actor *who, const char *token,
		      struct hh_arena *a, struct shown *sh)
{
	int found = 0;
	int64_t now = hh_now_us() / 1000000;
	pthread_mutex_lock(&flash_lock);
	for (int i = 0; token && i < FLASHES; i++) {
		struct flash *f = &flashes[i];
		if (!f->token[0] || strcmp(f->token, token))
			continue;
		if (now - f->at <= FLASH_TTL_S && who->label &&
		    !strcmp(f->actor, who->label)) {
			sh->message = f->message ? hh_arena_strdup(a, f->message)
						 : NULL;
			sh->secret = f->secret ? hh_arena_strdup(a, f->secret)
					       : NULL;
			sh->secret_id = f->secret_id;
			found = 1;
			flash_free(f);
		}
		break;
	}
	pthread_mutex_unlock(&flash_lock);
	return found;
}

/* A form done: 303 to the page, which shows sh once. */
static void done_redirect(struct hh_req *r, const struct hh_actor *who,
			  const struct shown *sh)
{
	char token[33];
	flash_put(who, sh, token);
	hh_resp_redirect(r, 303,
			 hh_arena_printf(&r->arena, "/personale/webhooks?vist=%s",
					 token));
}

void hh_page_webhooks(struct hh_req *r)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	const char *token = hh_req_query(r, "vist");
	struct shown sh = { 0 };
	if (token && !flash_take(&who, token, &r->arena, &sh))
		/* shown already, too old, or kept by another instance */
		sh.message = "Beskeden er allerede vist. En hemmelighed "
			     "vises kun én gang; har du ikke nået at kopiere "
			     "den, så lav en ny med \"Ny hemmelighed\".";
	render(r, &who, token ? &sh : NULL, 200);
}

#define CSRF_MESSAGE                                                        \
	"Formularen er udløbet eller blev sendt fra en anden side, så intet " \
	"blev ændret. Prøv igen."
#define URL_MESSAGE                                                          \
	"Adressen skal begynde med https:// og have et værtsnavn, uden "     \
	"brugernavn og adgangskode, og må ikke pege ind i et lokalt netværk " \
	"(som 10.x.x.x, 192.168.x.x eller localhost)."

/* The answer to a refused or failed form: the page with why. */
static void failed(struct hh_req *r, const struct hh_actor *who,
		   struct shown *sh, enum hh_rc rc, const char *field)
{
	int status = 400;
	if (rc == HH_ERR_NOT_FOUND) {
		sh->error = "Abonnementet findes ikke (længere).";
		status = 404;
	} else if (rc == HH_ERR_INVALID && field && !strcmp(field, "url")) {
		sh->error = URL_MESSAGE;
	} else if (rc == HH_ERR_INVALID) {
		sh->error = "Vælg mindst én hændelse.";
	} else if (rc != HH_ERR_FORBIDDEN) {
		sh->error = "Det lykkedes ikke. Prøv igen om lidt.";
		status = 500;
	}
	render(r, who, sh, status);
}

/* POST /personale/webhooks: subscribe; the answer shows the secret once. */
void hh_page_webhook_create(struct hh_req *r)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct shown sh = { .url = hh_req_form(r, "url") };
	const char *names[N_TYPES];
	int n = 0;
	for (size_t i = 0; i < N_TYPES; i++) {
		const char *v = hh_req_form(r, types[i].type);
		if (v && *v) {
			sh.ticked[i] = 1;
			names[n++] = types[i].type;
		}
	}
	if (!hh_csrf_ok(r, hh_req_form(r, "csrf"))) {
		sh.error = CSRF_MESSAGE;
		render(r, &who, &sh, 403);
		return;
	}
	struct hh_webhook_input in = { sh.url ? sh.url : "", names, n, -1 };
	struct hh_webhook_sub s;
	const char *field = NULL;
	enum hh_rc rc = hh_webhook_subscribe(r->app->store, &who, &r->arena,
					     &in, r->app->webhooks_allow_http,
					     &s, &field);
	if (rc != HH_OK) {
		failed(r, &who, &sh, rc, field);
		return;
	}
	struct shown done = { .secret = s.secret, .secret_id = s.id };
	done.message = hh_arena_printf(&r->arena, "Abonnement %lld er oprettet.",
				       (long long)s.id);
	done_redirect(r, &who, &done);
}

/* POST /personale/webhooks/{id}: handling pause, genoptag, test,
 * hemmelighed (the new secret shown once) or slet. */
void hh_page_webhook_action(struct hh_req *r)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct shown sh = { 0 };
	const char *ids = hh_req_param(r, "id");
	char *end = NULL;
	long long id = ids ? strtoll(ids, &end, 10) : 0;
	if (!ids || !*ids || *end || id <= 0) {
		failed(r, &who, &sh, HH_ERR_NOT_FOUND, NULL);
		return;
	}
	if (!hh_csrf_ok(r, hh_req_form(r, "csrf"))) {
		sh.error = CSRF_MESSAGE;
		render(r, &who, &sh, 403);
		return;
	}
	const char *h = hh_req_form(r, "handling");
	enum hh_rc rc;
	if (h && (!strcmp(h, "pause") || !strcmp(h, "genoptag"))) {
		int on = !strcmp(h, "genoptag");
		rc = hh_webhook_set_active(r->app->store, &who, id, on);
		sh.message = hh_arena_printf(&r->arena, on
			? "Abonnement %lld er genoptaget; ventende beskeder sendes nu."
			: "Abonnement %lld er sat på pause.", id);
	} else if (h && !strcmp(h, "test")) {
		int64_t did = 0;
		rc = hh_webhook_send_test(r->app->store, &who, id, &did);
		sh.message = hh_arena_printf(&r->arena, "En testbesked (aflevering "
					     "%lld) er lagt i kø til abonnement "
					     "%lld. Se herunder, hvordan det gik.",
					     (long long)did, id);
	} else if (h && !strcmp(h, "hemmelighed")) {
		const char *secret = NULL;
		rc = hh_webhook_rotate(r->app->store, &who, &r->arena, id,
				       hh_now_us() / 1000000, &secret);
		sh.secret = secret;
		sh.secret_id = id;
		sh.message = "Abonnementet har fået en ny hemmelighed. I et døgn "
			     "signeres beskederne med både den nye og den gamle, "
			     "så modtageren kan skifte uden at miste nogen; "
			     "derefter kun med den nye.";
	} else if (h && !strcmp(h, "slet")) {
		rc = hh_webhook_unsubscribe(r->app->store, &who, id);
		sh.message = hh_arena_printf(&r->arena, "Abonnement %lld og dets "
					     "afleveringer er slettet.", id);
	} else {
		sh.error = "Ukendt handling.";
		render(r, &who, &sh, 400);
		return;
	}
	if (rc != HH_OK) {
		struct shown err = { 0 };
		failed(r, &who, &err, rc, NULL);
		return;
	}
	done_redirect(r, &who, &sh);
}
