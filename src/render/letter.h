/* letter.h - a letter laid out as an A4 PDF with Cairo and Pango.
 *
 * Page one carries the sender's header (name and contact lines), the
 * recipient block where a window envelope shows it, the date and the
 * reference; then the title, the body and the closing flow over as many
 * pages as they need, every page numbered "Side 1 af 3" in its footer.
 * Long Danish words are hyphenated (render/hyphen.h); the fonts used are
 * embedded (subsets), so the PDF reads the same everywhere.
 *
 * Safe to call from several threads at once (each call has its own
 * Cairo surface and Pango context). The text given is UTF-8 the caller
 * checked. */
#ifndef HH_RENDER_LETTER_H
#define HH_RENDER_LETTER_H

#include <stdint.h>

#include "core/buf.h"
#include "core/rc.h"

/* A letter's text. Multi-line fields use "\n" between lines; the body's
 * paragraphs are separated by blank lines, a paragraph starting "## " is
 * a heading and one whose lines start "- " is a list. Strings are
 * borrowed; NULL fields are left out. */
struct hh_letter_doc {
	const char *sender;       /* "Nordskov Kommune" (required) */
	const char *sender_lines; /* unit, address, phone, e-mail, web */
	const char *recipient;    /* name and address lines (required) */
	const char *date;         /* "4. december 2026" (required) */
	const char *reference;    /* "Sagsnr. 05.02.00-P20-12-26" */
	const char *title;        /* "Afgørelse om ..." (required) */
	const char *body;         /* (required) */
	const char *closing;      /* "Med venlig hilsen\nJonas Krogh\n..." */
	int64_t created_at;       /* the PDF's creation date; 0: now */
};

/* Lays out doc as PDF, appending the file to out; *pages (may be NULL)
 * gets the number of pages. INVALID when a required field is missing,
 * INTERNAL when Cairo or Pango fail. */
enum hh_rc hh_letter_pdf(const struct hh_letter_doc *doc, struct hh_buf *out,
			 int *pages);

/* Lays out n documents into one PDF for the mail room (the print batch),
 * appending the file to out: each letter starts on an odd page (a blank
 * page is put in where one ends on an odd page), so that a duplex
 * printer never puts two letters on one sheet; page numbers count per
 * letter. *pages (may be NULL) gets the number of pages in the file.
 * INVALID when n < 1 or a document lacks a required field (nothing
 * appended), INTERNAL when Cairo or Pango fail. */
enum hh_rc hh_letter_pdf_batch(const struct hh_letter_doc *const *docs, int n,
			       struct hh_buf *out, int *pages);

#endif
