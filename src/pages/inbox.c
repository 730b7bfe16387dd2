/* inbox.c - the citizen's inbox in Mit overblik ("Din post"): the
 * letters sent to the signed-in citizen, one letter as HTML with its PDF,
 * and the reply to it (domain/inbox.h decides where a reply goes). Also
 * the reading of forms with files that the answers share (upload.h).
 *
 * A citizen reaches only their own letters: any other id is the same 404
 * as one that does not exist. Staff signed in get 403 (these are the
 * citizen's pages; staff read letters on the case); anyone else is sent
 * to the citizen's sign-in. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/log.h"
#include "core/util.h"
#include "domain/forms.h"
#include "domain/inbox.h"
#include "pages/borger.h"
#include "pages/upload.h"
#include "render/letter_html.h"

#define MAX_PARTS 32

/* ---- forms with files (upload.h) --------------------------------------- */

int hh_upload_read(struct hh_req *r, struct hh_upload *u)
{
	memset(u, 0, sizeof(*u));
	const char *ct = hh_req_header(r, "Content-Type");
	if (ct && !strncasecmp(ct, "multipart/form-data", 19)) {
		u->multipart = 1;
		u->parts = hh_arena_alloc(&r->arena, MAX_PARTS * sizeof(*u->parts));
		if (hh_multipart_parse(&r->arena, ct, r->body.data, r->body.len, u->parts,
				       MAX_PARTS, &u->n_parts) != HH_OK) {
			hh_page_error(r, 400, "Dit svar kunne ikke læses",
				      "Det, din browser sendte, kunne vi ikke læse, så "
				      "intet blev gemt. Gå tilbage, og prøv at sende igen.");
			return 0;
		}
		return 1;
	}
	if (!ct || strncasecmp(ct, "application/x-www-form-urlencoded", 33)) {
		hh_page_error(r, 415, "Dit svar kunne ikke læses",
			      "Det, din browser sendte, kunne vi ikke læse, så intet "
			      "blev gemt. Gå tilbage, og prøv at sende igen.");
		return 0;
	}
	return 1;
}

const char *hh_upload_value(struct hh_req *r, const struct hh_upload *u,
			    const char *name)
{
	if (!u->multipart)
		return hh_req_form(r, name);
	for (int i = 0; i < u->n_parts; i++) {
		const struct hh_multipart_part *p = &u->parts[i];
		if (p->filename || strcmp(p->name, name))
			continue;
		char *s = hh_arena_strndup(&r->arena, (const char *)p->data, p->size);
		for (size_t k = 0; k < p->size; k++)
			if (!s[k])
				s[k] = (char)0xC0; /* invalid UTF-8: "cannot be read" */
		return s;
	}
	return NULL;
}

json_t *hh_upload_files(struct hh_req *r, const struct hh_upload *u,
			const char *name)
{
	json_t *files = json_array();
	hh_arena_defer(&r->arena, hh_json_release, files);
	for (int i = 0; u->multipart && i < u->n_parts; i++) {
		const struct hh_multipart_part *p = &u->parts[i];
		if (!p->filename || strcmp(p->name, name) || (!p->size && !*p->filename))
			continue; /* a text part, or the input left empty */
		const char *fname = p->filename;
		for (const char *s = p->filename; *s; s++)
			if (*s == '/' || *s == '\\')
				fname = s + 1; /* old browsers send the whole path */
		size_t len = sodium_base64_ENCODED_LEN(p->size,
						       sodium_base64_VARIANT_ORIGINAL);
		char *b64 = hh_arena_alloc(&r->arena, len);
		sodium_bin2base64(b64, len, p->data, p->size,
				  sodium_base64_VARIANT_ORIGINAL);
		json_array_append_new(
			files, json_pack("{s:s, s:s, s:s}", "name", fname, "content_type",
					 p->content_type && *p->content_type
						 ? p->content_type
						 : "application/octet-stream",
					 "data", b64));
	}
	return files;
}

const char *hh_upload_trim(struct hh_req *r, const char *s)
{
	if (!s)
		return "";
	while (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t')
		s++;
	size_t len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\n' ||
		       s[len - 1] == '\r' || s[len - 1] == '\t'))
		len--;
	return hh_arena_strndup(&r->arena, s, len);
}

/* ---- helpers ------------------------------------------------------------ */

static struct hh_actor actor_of(struct hh_req *r)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	return who;
}

/* The signed-in citizen; staff get 403, anyone else the sign-in. */
static const struct hh_principal *citizen(struct hh_req *r, const char *back_to)
{
	const struct hh_principal *p = hh_auth(r);
	if (p->kind == HH_USER || p->kind == HH_TOKEN) {
		hh_page_error(r, 403, "Siden er borgerens egen",
			      "Din post i Mit overblik kan kun ses af borgeren selv. "
			      "Breve på en sag ses i sagsbehandlingen.");
		return NULL;
	}
	return hh_borger_require(r, back_to);
}

static void unavailable(struct hh_req *r)
{
	hh_page_error(r, 503, "Siden kan ikke vises lige nu",
		      "Der opstod en fejl hos os. Prøv igen om lidt.");
}

static void crumbs(struct hh_req *r, const char *here, int64_t letter_id)
{
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<nav class=\"crumbs\" aria-label=\"Brødkrummer\"><ol>"
		       "<li><a href=\"/\">Forside</a></li><li><a href=\"/mit-overblik\">"
		       "Mit overblik</a></li>");
	if (letter_id)
		hh_buf_puts(b, "<li><a href=\"/mit-overblik/post\">Din post</a></li>");
	hh_buf_puts(b, "<li aria-current=\"page\">");
	hh_page_text(r, here);
	hh_buf_puts(b, "</li></ol></nav>\n");
}

/* "Sagsnr. 24.00.00-G01-17-26", or NULL for a letter without a case or
 * a case from before journal numbers (nothing is shown then: an internal
 * id is no case number the citizen can quote). */
static const char *case_ref(struct hh_req *r, const struct hh_letter *l)
{
	if (l->case_id && l->case_journal_no)
		return hh_arena_printf(&r->arena, "Sagsnr. %s", l->case_journal_no);
	return NULL;
}

/* ---- /mit-overblik/post ------------------------------------------------- */

void hh_page_inbox(struct hh_req *r)
{
	if (!citizen(r, "/mit-overblik/post"))
		return;
	/* a page number out of range shows the first page, not an error */
	const char *sq = hh_req_query(r, "side");
	char *end;
	long long side = sq ? strtoll(sq, &end, 10) : 1;
	if (!sq || !*sq || *end || side < 1 || side > 1000000)
		side = 1;
	struct hh_actor who = actor_of(r);
	struct hh_inbox_page pg;
	enum hh_rc rc = hh_inbox_list(r->app->store, &r->arena, &who,
				      (side - 1) * HH_INBOX_PAGE, HH_INBOX_PAGE, &pg);
	if (rc != HH_OK) {
		unavailable(r);
		return;
	}
	hh_resp_header(r, "Cache-Control", "private, no-store");
	struct hh_page p = { .title = "Din post" };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	crumbs(r, "Din post", 0);
	hh_buf_puts(b, "<h1>Din post</h1>\n<p class=\"lead\">Breve fra kommunen og "
		       "de statslige myndigheder om dine sager. Brevene sendes også "
		       "til din digitale postkasse eller med posten.</p>\n");
	if (pg.unread)
		hh_buf_printf(b, "<p class=\"notice\" id=\"ulaeste\"><strong>Du har %lld "
				 "%s.</strong></p>\n",
			      (long long)pg.unread, pg.unread == 1 ? "ulæst brev" : "ulæste breve");
	if (!pg.total)
		hh_buf_puts(b, "<p>Du har ingen breve endnu. Når en myndighed sender "
			       "dig et brev om en sag, kan du læse det her.</p>\n");
	if (pg.n) {
		hh_buf_puts(b, "<p class=\"visually-hidden\" id=\"breve-h\">Dine breve, "
			       "nyeste først</p>\n<ul class=\"letters\" "
			       "aria-labelledby=\"breve-h\">\n");
		for (int i = 0; i < pg.n; i++) {
			const struct hh_letter *l = &pg.items[i];
			hh_buf_printf(b, "<li class=\"letter-item%s\">\n<h2><a href=\""
					 "/mit-overblik/post/%lld\">",
				      l->read_at ? "" : " unread", (long long)l->id);
			hh_page_text(r, l->title);
			hh_buf_puts(b, "</a>");
			if (!l->read_at)
				hh_buf_puts(b, " <span class=\"badge\">Ulæst</span>");
			hh_buf_puts(b, "</h2>\n<p class=\"who\">Fra ");
			hh_page_text(r, l->org_name);
			hh_buf_puts(b, " · ");
			hh_page_text(r, hh_borger_date(&r->arena, l->sent_at, 0));
			const char *ref = case_ref(r, l);
			if (ref) {
				hh_buf_puts(b, " · ");
				hh_page_text(r, ref);
			}
			if (l->case_type_name) {
				hh_buf_puts(b, " · ");
				hh_page_text(r, l->case_type_name);
			}
			hh_buf_puts(b, "</p>\n");
			if (l->reply_allowed && l->reply_by)
				hh_buf_printf(b, "<p class=\"hint\">Du kan svare på brevet, "
						 "senest %s.</p>\n",
					      hh_borger_date(&r->arena, l->reply_by, 0));
			hh_buf_puts(b, "</li>\n");
		}
		hh_buf_puts(b, "</ul>\n");
	}
	int64_t pages = (pg.total + HH_INBOX_PAGE - 1) / HH_INBOX_PAGE;
	if (pages > 1) {
		hh_buf_puts(b, "<nav class=\"pager\" aria-label=\"Sider\"><p>");
		if (side > 1)
			hh_buf_printf(b, "<a href=\"/mit-overblik/post?side=%lld\" rel=\"prev\">"
					 "Nyere breve</a> ",
				      (long long)(side - 1));
		hh_buf_printf(b, "Side %lld af %lld", (long long)side, (long long)pages);
		if (side < pages)
			hh_buf_printf(b, " <a href=\"/mit-overblik/post?side=%lld\" rel=\"next\">"
					 "Ældre breve</a>",
				      (long long)(side + 1));
		hh_buf_puts(b, "</p></nav>\n");
	}
	hh_page_end(r, 200);
}

/* ---- /mit-overblik/post/{id} -------------------------------------------- */

struct reply_page {
	const char *text;   /* kept on error */
	const char *error;  /* Danish, about the text or the files */
	int error_files;    /* the error is the files' */
	const char *notice; /* a general message */
	int status;
};

static void reply_form(struct hh_req *r, const struct hh_inbox_letter *il,
		       const struct reply_page *rp)
{
	struct hh_buf *b = &r->resp;
	const struct hh_letter *l = &il->l;
	int answer = il->reply == HH_INBOX_REPLY_ANSWER;
	hh_buf_puts(b, "<section id=\"svar\" class=\"answer\" aria-labelledby=\"svar-h\">\n");
	hh_buf_puts(b, answer ? "<h2 id=\"svar-h\">Send de oplysninger, vi mangler</h2>\n"
			      : "<h2 id=\"svar-h\">Svar på brevet</h2>\n");
	if (answer && il->question) {
		hh_buf_puts(b, "<p class=\"quote\"><span class=\"quote-label\">"
			       "Spørgsmål fra sagsbehandleren:</span> ");
		hh_page_text(r, il->question);
		hh_buf_puts(b, "</p>\n");
	}
	hh_buf_puts(b, "<p id=\"svar-hjaelp\">");
	if (answer)
		hh_buf_puts(b, "Skriv dit svar, og vedhæft de dokumenter, vi har bedt om. "
			       "Fristen for din sag er sat i bero, indtil vi har dit svar.");
	else if (il->reply == HH_INBOX_REPLY_CASE_EVENT)
		hh_buf_puts(b, "Dit svar bliver lagt på sagen, så sagsbehandleren kan "
			       "læse det.");
	else {
		hh_buf_puts(b, "Dit svar bliver sendt som en henvendelse til ");
		hh_page_text(r, l->org_name);
		hh_buf_puts(b, ", som vender tilbage til dig.");
	}
	if (l->reply_by) {
		hh_buf_puts(b, " Svar senest ");
		hh_page_text(r, hh_borger_date(&r->arena, l->reply_by, 0));
		hh_buf_puts(b, ".");
	}
	hh_buf_puts(b, "</p>\n");
	int err_text = rp && rp->error && !rp->error_files;
	int err_files = rp && rp->error && rp->error_files;
	if (rp && rp->error) {
		hh_buf_printf(b, "<div class=\"error-summary\" role=\"alert\" "
				 "aria-labelledby=\"fejl-h\" tabindex=\"-1\">\n"
				 "<h3 id=\"fejl-h\">Der er et problem</h3>\n<ul><li>"
				 "<a href=\"#%s\">",
			      err_files ? "svar-filer" : "svar-tekst");
		hh_page_text(r, rp->error);
		hh_buf_puts(b, "</a></li></ul>\n</div>\n");
	}
	hh_buf_printf(b, "<form class=\"form wide\" method=\"post\" action=\""
			 "/mit-overblik/post/%lld/svar\"%s novalidate>\n",
		      (long long)l->id, answer ? " enctype=\"multipart/form-data\"" : "");
	hh_borger_csrf_field(r);
	hh_buf_printf(b, "<div class=\"field%s\">\n<label for=\"svar-tekst\">Dit svar"
			 "</label>\n",
		      err_text ? " has-error" : "");
	if (err_text) {
		hh_buf_puts(b, "<p class=\"field-error\" id=\"svar-fejl\"><span "
			       "class=\"visually-hidden\">Fejl: </span>");
		hh_page_text(r, rp->error);
		hh_buf_puts(b, "</p>\n");
	}
	hh_buf_printf(b, "<textarea id=\"svar-tekst\" name=\"svar\" rows=\"6\" required "
			 "aria-describedby=\"svar-hjaelp%s\"%s>",
		      err_text ? " svar-fejl" : "", err_text ? " aria-invalid=\"true\"" : "");
	hh_page_text(r, rp && rp->text ? rp->text : "");
	hh_buf_puts(b, "</textarea>\n</div>\n");
	if (answer) {
		hh_buf_printf(b, "<div class=\"field%s\">\n<label for=\"svar-filer\">"
				 "Vedhæft filer (valgfrit)</label>\n<p class=\"hint\" "
				 "id=\"filer-hjaelp\">PDF-, JPEG- eller PNG-filer, højst 5 MB "
				 "pr. fil og højst %d filer.</p>\n",
			      err_files ? " has-error" : "", HH_FORM_MAX_FILES);
		if (err_files) {
			hh_buf_puts(b, "<p class=\"field-error\" id=\"filer-fejl\"><span "
				       "class=\"visually-hidden\">Fejl: </span>");
			hh_page_text(r, rp->error);
			hh_buf_puts(b, "</p>\n<p class=\"hint\">Vælg filerne igen, før du "
				       "sender. Intet af dit svar er gemt endnu.</p>\n");
		}
		hh_buf_printf(b, "<input type=\"file\" id=\"svar-filer\" name=\"filer\" "
				 "multiple accept=\"application/pdf,image/jpeg,image/png,"
				 ".pdf,.jpg,.jpeg,.png\" aria-describedby=\"filer-hjaelp%s\"%s>\n"
				 "</div>\n",
			      err_files ? " filer-fejl" : "",
			      err_files ? " aria-invalid=\"true\"" : "");
	}
	hh_buf_puts(b, "<button type=\"submit\">Send svar</button>\n</form>\n</section>\n");
}

static void letter_page(struct hh_req *r, int64_t id, const struct reply_page *rp)
{
	struct hh_actor who = actor_of(r);
	struct hh_inbox_letter *il = hh_arena_calloc(&r->arena, sizeof(*il));
	enum hh_rc rc = hh_inbox_open(r->app->store, &r->arena, &who, id, il);
	if (rc == HH_ERR_NOT_FOUND) {
		hh_page_not_found(r);
		return;
	}
	if (rc != HH_OK) {
		unavailable(r);
		return;
	}
	const struct hh_letter *l = &il->l;
	struct hh_buf html;
	hh_buf_init(&html);
	rc = hh_letter_html(&il->doc, &html);
	if (rc != HH_OK) {
		hh_buf_clear(&html);
		hh_log_bug("letter %lld: no HTML: %s", (long long)id, hh_rc_name(rc));
		unavailable(r);
		return;
	}
	hh_resp_header(r, "Cache-Control", "private, no-store");
	struct hh_page p = { .title = rp && rp->error ? hh_arena_printf(&r->arena, "Fejl: %s",
									l->title)
						      : l->title };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	crumbs(r, l->title, l->id);
	const char *done = !rp ? hh_req_query(r, "besvaret") : NULL;
	hh_buf_puts(b, "<h1>Brev fra ");
	hh_page_text(r, l->org_name);
	hh_buf_puts(b, "</h1>\n");
	if (done) {
		const char *msg =
			!strcmp(done, "svar")
				? "Tak for dit svar. Sagen er sendt tilbage til sagsbehandleren."
			: !strcmp(done, "sag") ? "Tak for dit svar. Det er lagt på sagen."
			: !strcmp(done, "henvendelse")
				? "Tak for dit svar. Det er sendt som en henvendelse til "
				  "myndigheden, som vender tilbage til dig."
				: NULL;
		if (msg) {
			hh_buf_puts(b, "<p class=\"success\" role=\"status\">");
			hh_page_text(r, msg);
			hh_buf_puts(b, "</p>\n");
		}
	}
	if (rp && rp->notice) {
		hh_buf_puts(b, "<div class=\"error\" role=\"alert\"><p>");
		hh_page_text(r, rp->notice);
		hh_buf_puts(b, "</p></div>\n");
	}
	hh_buf_puts(b, "<p class=\"who\">Sendt ");
	hh_page_text(r, hh_borger_date(&r->arena, l->sent_at, 0));
	const char *ref = case_ref(r, l);
	if (l->case_id) {
		hh_buf_printf(b, " · <a href=\"/mit-overblik/sag/%lld\">", (long long)l->case_id);
		hh_page_text(r, ref ? ref : l->case_type_name ? hh_arena_printf(
							&r->arena, "Se sagen: %s",
							l->case_type_name)
						  : "Se sagen");
		hh_buf_puts(b, "</a>");
	}
	hh_buf_printf(b, "</p>\n<p><a class=\"button secondary\" href=\"/mit-overblik/"
			 "post/%lld/pdf\" download>Hent brevet som PDF</a> <span "
			 "class=\"hint\">(%zu kB)</span></p>\n",
		      (long long)l->id, (l->pdf_len + 1023) / 1024);
	hh_buf_append(b, html.data, html.len);
	hh_buf_clear(&html);
	if (il->reply != HH_INBOX_REPLY_NONE)
		reply_form(r, il, rp);
	hh_buf_puts(b, "<p><a href=\"/mit-overblik/post\">Tilbage til din post</a></p>\n");
	hh_page_end(r, rp ? rp->status : 200);
}

void hh_page_inbox_letter(struct hh_req *r)
{
	int64_t id = hh_req_id(r, "id", NULL);
	if (!citizen(r, id ? hh_arena_printf(&r->arena, "/mit-overblik/post/%lld",
					     (long long)id)
			   : "/mit-overblik/post"))
		return;
	if (!id) {
		hh_page_not_found(r);
		return;
	}
	letter_page(r, id, NULL);
}

/* ---- /mit-overblik/post/{id}/pdf ---------------------------------------- */

void hh_page_inbox_letter_pdf(struct hh_req *r)
{
	int64_t id = hh_req_id(r, "id", NULL);
	if (!citizen(r, id ? hh_arena_printf(&r->arena, "/mit-overblik/post/%lld",
					     (long long)id)
			   : "/mit-overblik/post"))
		return;
	struct hh_actor who = actor_of(r);
	struct hh_inbox_letter *il = hh_arena_calloc(&r->arena, sizeof(*il));
	enum hh_rc rc = id ? hh_inbox_open(r->app->store, &r->arena, &who, id, il)
			   : HH_ERR_NOT_FOUND;
	if (rc == HH_ERR_NOT_FOUND || (rc == HH_OK && !il->l.pdf)) {
		hh_page_not_found(r);
		return;
	}
	if (rc != HH_OK) {
		unavailable(r);
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

/* ---- POST /mit-overblik/post/{id}/svar ---------------------------------- */

void hh_page_inbox_letter_reply(struct hh_req *r)
{
	int64_t id = hh_req_id(r, "id", NULL);
	const char *self = hh_arena_printf(&r->arena, "/mit-overblik/post/%lld",
					   (long long)id);
	if (!citizen(r, id ? self : "/mit-overblik/post"))
		return;
	if (!id) {
		hh_page_not_found(r);
		return;
	}
	struct hh_upload u;
	if (!hh_upload_read(r, &u))
		return;
	if (!hh_csrf_ok(r, hh_upload_value(r, &u, "csrf"))) {
		hh_page_csrf_refused(r, "Dit svar blev ikke sendt");
		return;
	}
	const char *raw = hh_upload_value(r, &u, "svar");
	const char *text = raw && hh_utf8_valid(raw, strlen(raw)) ? hh_upload_trim(r, raw)
								  : raw;
	json_t *files = hh_upload_files(r, &u, "filer");
	struct hh_actor who = actor_of(r);
	struct hh_inbox_reply_result res;
	enum hh_inbox_fault fault = HH_INBOX_FINE;
	const char *msg = NULL;
	enum hh_rc rc = hh_inbox_reply(r->app->store, &r->arena, &who, id, text, files,
				       &res, &fault, &msg);
	if (rc == HH_OK) {
		const char *how = res.kind == HH_INBOX_REPLY_ANSWER       ? "svar"
				  : res.kind == HH_INBOX_REPLY_CASE_EVENT ? "sag"
									  : "henvendelse";
		hh_resp_header(r, "Cache-Control", "no-store");
		hh_resp_redirect(r, 303, hh_arena_printf(&r->arena, "%s?besvaret=%s#svar",
							 self, how));
		return;
	}
	if (rc == HH_ERR_NOT_FOUND) {
		hh_page_not_found(r);
		return;
	}
	struct reply_page rp = { .text = text && hh_utf8_valid(text, strlen(text)) ? text
										  : NULL,
				 .status = 422 };
	if (rc == HH_ERR_INVALID && (fault == HH_INBOX_TEXT || fault == HH_INBOX_FILES)) {
		rp.error = msg;
		rp.error_files = fault == HH_INBOX_FILES;
	} else if (rc == HH_ERR_INVALID || rc == HH_ERR_CONFLICT) {
		rp.status = 409;
		rp.notice = msg ? msg
				: "Dit svar blev ikke sendt. Åbn brevet igen, og prøv igen.";
	} else {
		if (rc != HH_ERR_BUSY)
			hh_log(HH_LOG_WARN, "letter %lld: reply failed: %s", (long long)id,
			       hh_rc_name(rc));
		rp.status = 503;
		rp.notice = "Vi kunne ikke sende dit svar lige nu. Det, du har skrevet, "
			    "er ikke gået tabt. Prøv at trykke Send svar igen om lidt.";
	}
	letter_page(r, id, &rp);
}
