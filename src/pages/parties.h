/* parties.h - the pages of the other party to a case (issue 16,
 * pages/parties.c). Internal to src/pages/ and the route table. */
#ifndef HH_PAGES_PARTIES_H
#define HH_PAGES_PARTIES_H

#include <jansson.h>

#include "app/app.h"
#include "domain/overview.h"

/* Mit overblik's section "Sager, hvor du er part" (nothing when none). */
void hh_page_overview_invitations(struct hh_req *r, const struct hh_overview *m);
/* The parties on the applicant's case page (parties: hh_case_read's;
 * nothing when NULL or empty), with what the confirm and declined
 * states mean for them. */
void hh_page_case_parties(struct hh_req *r, const struct hh_case_type_def *def,
			  const struct hh_case *k, json_t *parties);
/* GET and POST /mit-overblik/part/{id}, the case as the party sees it
 * and their answer (CSRF as every citizen form), are in pages.h. */

#endif
