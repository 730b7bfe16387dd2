/* agreement.h - the pages of an agreement signed by both (issue 16,
 * pages/agreement.c). Internal to src/pages/ and the route table. */
#ifndef HH_PAGES_AGREEMENT_H
#define HH_PAGES_AGREEMENT_H

#include "app/app.h"

/* The agreement of case case_id as the signed-in reader sees it (a
 * signer, or staff of the case's organisation), with "Underskriv
 * aftalen" when they may sign; nothing when the case has none or the
 * reader may not read it. */
void hh_page_agreement_section(struct hh_req *r, int64_t case_id);

/* POST /mit-overblik/aftale/{id}, the signature, is in pages.h. */

#endif
