/* layout.h - the frame every server-rendered page shares. */
#ifndef HH_LAYOUT_H
#define HH_LAYOUT_H

#include <stdint.h>

#include "pages/pages.h"
#include "core/dktime.h"

struct hh_page {
	const char *title;       /* <title>, before " – helhed" */
	const char *muni_name;   /* the chosen municipality, or NULL */
	const char *description; /* meta description, or NULL */
};

/* Appends <!doctype html> ... <main id="indhold"> to r->resp. */
void hh_page_begin(struct hh_req *r, const struct hh_page *p);
/* Closes <main>, appends the footer and sends the page with status. */
void hh_page_end(struct hh_req *r, int status);
/* The same for a page of one organisation: the footer's contact link
 * goes to that organisation's contact page (org_code NULL: the index of
 * contact pages, as hh_page_end). */
void hh_page_end_org(struct hh_req *r, int status, const char *org_code);
/* Appends s HTML-escaped. */
void hh_page_text(struct hh_req *r, const char *s);
/* The big search form of the front page. */
void hh_page_search_box(struct hh_req *r);
/* Renders a Danish error page (status, heading, message) as the response. */
void hh_page_error(struct hh_req *r, int status, const char *heading,
		   const char *message);
/* The 403 page of a form whose csrf did not match, headed heading ("Dit
 * svar blev ikke sendt"). */
void hh_page_csrf_refused(struct hh_req *r, const char *heading);

/* The sign-out button's target: when the caller is of kind (HH_USER or
 * HH_CITIZEN) and the form's csrf matches, ends the session held in the
 * cookie named cookie with end(); clears the cookie and goes to the front
 * page. A mismatched token gets a Danish 403 page and ends nothing. */
void hh_page_sign_out(struct hh_req *r, enum hh_principal_kind kind,
		      const char *cookie,
		      enum hh_rc (*end)(struct hh_store *st, const char *token));

#endif
