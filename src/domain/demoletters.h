/* demoletters.h - demo letters in the demo citizens' inboxes (see
 * demoletters.c for what is made, and why it is separate from the
 * letters module). */
#ifndef HH_DEMOLETTERS_H
#define HH_DEMOLETTERS_H

#include <stdio.h>

#include "store/store.h"

/* For each demo citizen (subject "demo:...") whose municipality has a
 * demo caseworker (sagsbehandler@...): two cases of
 * boernetilskud-revurdering through the domain (one waiting for the
 * citizen after a request, one closed) and one sent letter on each with
 * its PDF: the request (unread, reply with files within 14 days) sent a
 * day before now and the decision (read) three days before. *made gets
 * the number of letters. Deterministic for a given now; done once per
 * database (meta "demo_letters"): a second call makes nothing. A refusal
 * is reported on errs (may be NULL) and its rc returned. */
enum hh_rc hh_demo_inbox_letters(struct hh_store *st, int64_t now, FILE *errs,
			   int *made);

#endif
