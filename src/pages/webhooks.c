/* webhooks.c - x-hooks (issue 15): /personale/webhooks, an
 * organisation's admin's view of its webhook subscriptions and their
 * latest deliveries (pending, delivered, failed, attempts, the last
 * answer, the next try). Read-only: subscribing and unsubscribing go
 * through /api/v1/webhooks (docs/webhooks.md). Every rule is the
 * domain's (domain/webhooks.h). */
#include "pages/layout.h"

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

static enum hh_rc sub_row(void *p, const struct hh_webhook_sub *s)
{
	struct view *v = p;
	struct hh_buf *b = &v->subs;
	hh_buf_printf(b, "<tr><td>%lld</td><td>", (long long)s->id);
	cell(v, b, s->url);
	hh_buf_puts(b, "</td><td>");
	cell(v, b, s->events);
	hh_buf_puts(b, s->active ? "</td><td>Ja</td><td>" : "</td><td>Nej</td><td>");
	cell(v, b, hh_datetime_da(&v->r->arena, s->created_at));
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
	cell(v, b, d->type);
	hh_buf_puts(b, "</td><td>");
	cell(v, b, state_da(d->state));
	hh_buf_printf(b, "</td><td>%lld</td><td>", (long long)d->attempts);
	if (d->last_code)
		hh_buf_printf(b, "%lld", (long long)d->last_code);
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

void hh_page_webhooks(struct hh_req *r)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct view v = { .r = r };
	hh_buf_init(&v.subs);
	hh_buf_init(&v.rows);
	enum hh_rc rc = hh_webhook_list(r->app->store, &who, &r->arena, sub_row,
					&v);
	if (rc == HH_OK)
		rc = hh_webhook_deliveries(r->app->store, &who, &r->arena, 0, 50,
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
		       "modtageren tager imod den, dog højst et døgn. "
		       "Abonnementer oprettes og slettes gennem API'et "
		       "(<code>/api/v1/webhooks</code>).</p>\n");
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
				       "<th scope=\"col\">Oprettet</th></tr></thead>"
				       "\n<tbody>\n");
			hh_buf_append(b, v.subs.data, v.subs.len);
			hh_buf_puts(b, "</tbody></table></div>\n");
		}
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
	hh_page_end(r, 200);
done:
	hh_buf_clear(&v.subs);
	hh_buf_clear(&v.rows);
}
