/* letter_html.h - a letter as HTML, for the browser: the same document
 * render/letter.h lays out as PDF (struct hh_letter_doc), with the same
 * parts in the same order: sender, recipient, date and reference, title,
 * body (paragraphs, "## " headings, "- " lists), closing.
 *
 * The fragment is one <article class="letter"> with every text escaped;
 * it carries no script, style or link of its own, so a page may embed it
 * as it is. */
#ifndef HH_RENDER_LETTER_HTML_H
#define HH_RENDER_LETTER_HTML_H

#include "core/buf.h"
#include "core/rc.h"
#include "render/letter.h"

/* Appends doc as an HTML fragment to out. INVALID (nothing appended)
 * when a required field is missing, as hh_letter_pdf. */
enum hh_rc hh_letter_html(const struct hh_letter_doc *doc, struct hh_buf *out);

#endif
