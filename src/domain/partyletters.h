/* partyletters.h - the letters helhed writes to the parties of a case
 * (issue 16, p-letters): the invitation to a party who must confirm,
 * and, when a decline or an expiry closes the case, the letters that
 * tell the applicant and every invited party so.
 *
 * They go the way of every letter (domain/letters.h, docs/letters.md):
 * a row in letters (state sent, with its PDF) and one queued message
 * that the postman routes to Digital Post, the print batch or the error
 * queue (docs/digital-post.md). They are written in the transaction of
 * the event they tell of (the submission, the answer, the expiry), so a
 * retried or repeated event writes them once with it or not at all; the
 * letters' unique index on (case, citizen, party_event) (0046) holds it
 * besides. helhed is their author (author_id 0). The texts are the case
 * type's templates of the kinds party_invitation, party_declined,
 * party_declined_party, party_expired and party_expired_party (its own,
 * or content/letter-templates/_parties.json); a case type without them
 * gets no letters (logged). */
#ifndef HH_DOMAIN_PARTYLETTERS_H
#define HH_DOMAIN_PARTYLETTERS_H

#include "core/arena.h"
#include "domain/casetype.h"
#include "store/store.h"

/* In the transaction that invited party p (its row written, p->id set)
 * to case k of type def: the invitation letter to p. */
enum hh_rc hh_party_letter_invited_tx(struct hh_tx *tx, struct hh_arena *a,
				      const struct hh_case *k,
				      const struct hh_case_type_def *def,
				      const struct hh_case_party *p);

/* In the transaction in which party by declined (expired 0) or let the
 * invitation run out (expired 1), closing case k (after its move): the
 * letter to the applicant and one to each party who was invited. */
enum hh_rc hh_party_letters_closed_tx(struct hh_tx *tx, struct hh_arena *a,
				      const struct hh_case *k,
				      const struct hh_case_type_def *def,
				      const struct hh_case_party *by,
				      int expired);

#endif
