/* letterdoc.h - a letter as it is printed.
 *
 * A letter row (struct hh_letter) holds only what is the letter's own:
 * title, body, author, dates. What goes around it comes from the rest of
 * the store when the document is built: the sender's header (the
 * organisation's name and contact details), the recipient block (the
 * citizen's name and postal address), the Danish date, the reference (the
 * case's journal number) and the closing (the author's name). The same
 * document is laid out as PDF (render/letter.h) and as HTML
 * (render/letter_html.h), so what the citizen reads in the browser is what
 * the PDF says.
 *
 * A sent letter's document is built with its sent date, so building it
 * again (the print batch, the inbox) gives the same letter. No access rule
 * applies here: callers are domain functions that checked who may see the
 * letter. */
#ifndef HH_LETTERDOC_H
#define HH_LETTERDOC_H

#include "core/arena.h"
#include "domain/model.h"
#include "render/letter.h"
#include "store/store.h"

/* Fills doc (strings in a) for letter l, read in tx. date: the letter's
 * date (epoch seconds); 0 takes l->sent_at, or now when it is not sent.
 * NOT_FOUND when l's organisation is gone; a recipient without an
 * address gets a block with the name only (the caller decides whether
 * the letter can go by post). */
enum hh_rc hh_letter_doc_build(struct hh_tx *tx, struct hh_arena *a,
			       const struct hh_letter *l, int64_t date,
			       struct hh_letter_doc *doc);

/* Does citizen c have a postal address a letter can be printed to? */
int hh_citizen_has_address(const struct hh_citizen *c);

#endif
