/* post.c - Digital Post for staff (delivery): the error queue of the
 * organisation's letters that did not reach the citizen, with "Prøv
 * igen" and "Send til print", and the print batches for the mail room.
 * The rules are domain/messages.h's; this page parses and renders. */
#include "pages/layout.h"

#include <stdlib.h>
#include <string.h>

#include "core/dktime.h"
#include "core/util.h"
#include "domain/access.h"
#include "domain/messages.h"

static const struct hh_principal *staff_gate(struct hh_req *r,
					     struct hh_actor *who)
{
	/* anonymous: sign in; anyone else is asked the domain, whose rules
	 * refuse a citizen as the API does */
	const struct hh_principal *w = hh_auth(r);
	if (w->kind == HH_ANON) {
		hh_resp_redirect(r, 303, "/log-ind");
		return NULL;
	}
	hh_actor_of(r, who);
	return w;
}

struct queue_ctx {
	struct hh_req *r;
	const struct hh_principal *w;
	int n;
};

static enum hh_rc queue_row(void *p, const struct hh_message_row *m)
{
	struct queue_ctx *x = p;
	struct hh_req *r = x->r;
	struct hh_buf *b = &r->resp;
	if (!x->n++)
		hh_buf_puts(b, "<table class=\"post-queue\">\n<caption>Breve der "
			       "ikke er nået frem</caption>\n<thead><tr>"
			       "<th scope=\"col\">Brev</th><th scope=\"col\">Borger"
			       "</th><th scope=\"col\">Dato</th><th scope=\"col\">"
			       "Årsag</th><th scope=\"col\">Handling</th></tr>"
			       "</thead>\n<tbody>\n");
	hh_buf_puts(b, "<tr><td>");
	hh_page_text(r, m->title ? m->title : "");
	if (m->case_id)
		hh_buf_printf(b, "<br><a href=\"/sagsbehandling/sag/%lld\">Sag "
				 "%lld</a>",
			      (long long)m->case_id, (long long)m->case_id);
	hh_buf_puts(b, "</td><td>");
	hh_page_text(r, m->citizen_name ? m->citizen_name : "Ingen modtager");
	hh_buf_puts(b, "</td><td>");
	hh_page_text(r, hh_datetime_da(&r->arena, m->m.updated_at));
	hh_buf_puts(b, "</td><td>");
	hh_page_text(r, !strcmp(m->m.state, "failed") ? "Mislykkedes: "
						      : "Kan ikke sendes: ");
	hh_page_text(r, m->m.last_error ? m->m.last_error : "");
	hh_buf_printf(b, "</td><td><form method=\"post\" action=\"/sagsbehandling/"
			 "post/%lld\">\n<input type=\"hidden\" name=\"csrf\" "
			 "value=\"",
		      (long long)m->m.id);
	hh_page_text(r, x->w->csrf);
	hh_buf_puts(b, "\">\n<button type=\"submit\" name=\"handling\" "
		       "value=\"igen\">Prøv igen</button>\n<button type=\"submit\" "
		       "name=\"handling\" value=\"print\" class=\"secondary\">"
		       "Send til print</button>\n</form></td></tr>\n");
	return HH_OK;
}

static void queue_page(struct hh_req *r, const struct hh_principal *w,
		       const struct hh_actor *who, int status,
		       const char *notice)
{
	struct hh_page p = { .title = "Digital Post: fejlkø" };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<div class=\"casework\">\n<nav class=\"crumbs\" "
		       "aria-label=\"Brødkrummer\"><ol><li><a href=\"/sagsbehandling\">"
		       "Sager</a></li><li aria-current=\"page\">Digital Post</li>"
		       "</ol></nav>\n<h1>Breve der ikke er nået frem</h1>\n"
		       "<p class=\"lead\">Breve som hverken kan sendes med Digital "
		       "Post eller med posten, og breve som Digital Post ikke kunne "
		       "levere. Ret borgerens adresse, og vælg <q>Prøv igen</q>, "
		       "eller send brevet til den daglige printbatch.</p>\n");
	/* the link only for those who may open the batches (a manager
	 * sees the queue but not the mail room's PDFs) */
	if (hh_access_scope(who, HH_RES_PRINT_BATCH, HH_ACT_READ) !=
	    HH_SCOPE_NONE)
		hh_buf_puts(b, "<p><a href=\"/sagsbehandling/printbatch\">"
			       "Printbatches til postrummet</a></p>\n");
	if (notice) {
		hh_buf_puts(b, "<p class=\"notice\" role=\"status\">");
		hh_page_text(r, notice);
		hh_buf_puts(b, "</p>\n");
	}
	struct queue_ctx x = { r, w, 0 };
	static const char *const states[] = { "error", "failed" };
	enum hh_rc rc = HH_OK;
	for (int i = 0; rc == HH_OK && i < 2; i++) {
		struct hh_message_filter f = { .state = states[i] };
		rc = hh_messages_list(r->app->store, &r->arena, who, &f, 500,
				      queue_row, &x);
	}
	if (x.n)
		hh_buf_puts(b, "</tbody>\n</table>\n");
	if (rc == HH_ERR_FORBIDDEN)
		hh_buf_puts(b, "<p>Din rolle giver ikke adgang til organisationens "
			       "breve.</p>\n");
	else if (rc != HH_OK)
		hh_buf_puts(b, "<p class=\"notice\">Fejlkøen kunne ikke hentes. "
			       "Prøv igen om lidt.</p>\n");
	else if (!x.n)
		hh_buf_puts(b, "<p>Ingen breve i fejlkøen. Alle breve er sendt "
			       "eller på vej.</p>\n");
	hh_buf_puts(b, "</div>\n");
	/* an action's refusal keeps its own status */
	hh_page_end(r, status == 200 && rc == HH_ERR_FORBIDDEN ? 403 : status);
}

void hh_page_post_queue(struct hh_req *r)
{
	struct hh_actor who;
	const struct hh_principal *w = staff_gate(r, &who);
	if (!w)
		return;
	const char *ok = hh_req_query(r, "ok");
	queue_page(r, w, &who, 200,
		   ok && !strcmp(ok, "igen")    ? "Brevet sendes igen."
		   : ok && !strcmp(ok, "print") ? "Brevet kommer med i næste "
						  "printbatch."
						: NULL);
}

void hh_page_post_action(struct hh_req *r)
{
	struct hh_actor who;
	const struct hh_principal *w = staff_gate(r, &who);
	if (!w)
		return;
	if (!hh_csrf_ok(r, hh_req_form(r, "csrf"))) {
		queue_page(r, w, &who, 403, "Formularen er udløbet. Prøv igen.");
		return;
	}
	const char *what = hh_req_form(r, "handling");
	int to_print = what && !strcmp(what, "print");
	int64_t now = hh_now_us() / 1000000;
	enum hh_rc rc =
		to_print ? hh_message_to_print(r->app->store, &who,
					       hh_req_id(r, "id", NULL), now)
			 : hh_message_retry(r->app->store, &who,
					    hh_req_id(r, "id", NULL), now);
	if (rc == HH_OK) {
		hh_resp_redirect(r, 303, to_print ? "/sagsbehandling/post?ok=print"
						  : "/sagsbehandling/post?ok=igen");
		return;
	}
	const char *why =
		rc == HH_ERR_INVALID   ? "Brevet kan ikke sendes med posten: "
					 "borgeren har ingen adresse eller har "
					 "navne- og adressebeskyttelse."
		: rc == HH_ERR_CONFLICT ? "Brevet er ikke længere i fejlkøen."
		: rc == HH_ERR_FORBIDDEN ? "Din rolle kan ikke sende breve igen."
		: rc == HH_ERR_NOT_FOUND ? "Brevet findes ikke."
					 : "Det lykkedes ikke. Prøv igen om lidt.";
	int status = rc == HH_ERR_INVALID    ? 422
		     : rc == HH_ERR_CONFLICT  ? 409
		     : rc == HH_ERR_FORBIDDEN ? 403
		     : rc == HH_ERR_NOT_FOUND ? 404
					      : 503;
	queue_page(r, w, &who, status, why);
}

/* ---- print batches --------------------------------------------------------- */

struct batch_ctx {
	struct hh_req *r;
	int n;
};

static enum hh_rc batch_row(void *p, const struct hh_print_batch *bt)
{
	struct batch_ctx *x = p;
	struct hh_buf *b = &x->r->resp;
	if (!x->n++)
		hh_buf_puts(b, "<ul class=\"print-batches\">\n");
	hh_buf_printf(b, "<li><a href=\"/sagsbehandling/printbatch/%lld\" "
			 "download>", (long long)bt->id);
	hh_page_text(x->r, bt->file);
	hh_buf_printf(b, "</a>: %lld %s, %lld sider</li>\n",
		      (long long)bt->letters, bt->letters == 1 ? "brev" : "breve",
		      (long long)bt->pages);
	return HH_OK;
}

void hh_page_print_batches(struct hh_req *r)
{
	struct hh_actor who;
	const struct hh_principal *w = staff_gate(r, &who);
	if (!w)
		return;
	struct hh_page p = { .title = "Printbatches" };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<div class=\"casework\">\n<nav class=\"crumbs\" "
		       "aria-label=\"Brødkrummer\"><ol><li><a href=\"/sagsbehandling\">"
		       "Sager</a></li><li><a href=\"/sagsbehandling/post\">Digital "
		       "Post</a></li><li aria-current=\"page\">Printbatches</li>"
		       "</ol></nav>\n<h1>Printbatches til postrummet</h1>\n"
		       "<p class=\"lead\">Breve til borgere, der er fritaget for "
		       "Digital Post, samles hver dag i én PDF. Hvert brev begynder "
		       "på en ny forside, så de kan printes dobbeltsidet.</p>\n");
	struct batch_ctx x = { r, 0 };
	enum hh_rc rc = hh_print_batches_list(r->app->store, &r->arena, &who,
					      batch_row, &x);
	if (x.n)
		hh_buf_puts(b, "</ul>\n");
	if (rc == HH_ERR_FORBIDDEN)
		hh_buf_puts(b, "<p>Din rolle giver ikke adgang til printbatches."
			       "</p>\n");
	else if (rc != HH_OK)
		hh_buf_puts(b, "<p class=\"notice\">Listen kunne ikke hentes.</p>\n");
	else if (!x.n)
		hh_buf_puts(b, "<p>Der er ingen printbatches endnu.</p>\n");
	hh_buf_puts(b, "</div>\n");
	hh_page_end(r, rc == HH_ERR_FORBIDDEN ? 403 : 200);
}

void hh_page_print_batch_get(struct hh_req *r)
{
	struct hh_actor who;
	const struct hh_principal *w = staff_gate(r, &who);
	if (!w)
		return;
	struct hh_print_batch bt;
	const void *pdf;
	size_t len;
	enum hh_rc rc = r->app->print_dir
				? hh_print_batch_open(r->app->store, &r->arena,
						      &who, r->app->print_dir,
						      hh_req_id(r, "id", NULL),
						      &bt, &pdf, &len)
				: HH_ERR_NOT_FOUND;
	if (rc != HH_OK) {
		hh_page_error(r, rc == HH_ERR_FORBIDDEN ? 403 : 404,
			      rc == HH_ERR_FORBIDDEN ? "Ingen adgang"
						     : "Printbatchen findes ikke",
			      rc == HH_ERR_FORBIDDEN
				      ? "Din rolle giver ikke adgang til "
					"printbatches."
				      : "Printbatchen findes ikke, eller du har "
					"ikke adgang til den.");
		return;
	}
	hh_buf_reset(&r->resp);
	hh_buf_append(&r->resp, pdf, len);
	hh_resp_header(r, "Content-Disposition",
		       hh_arena_printf(&r->arena, "attachment; filename=\"%s\"",
				       bt.file));
	hh_resp_header(r, "Cache-Control", "no-store");
	hh_resp_header(r, "X-Content-Type-Options", "nosniff");
	hh_resp_body(r, 200, "application/pdf");
}
