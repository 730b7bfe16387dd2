/* proposals.h - s-edit (issue 13): proposals to the shared knowledge
 * base.
 *
 * The shared knowledge base is built across municipalities: an editor of
 * any organisation (a municipality's, or an agency's, who may not change
 * it directly) proposes a change to a shared article; an editor of the
 * shared knowledge base (whoever the access table lets change a shared
 * article: municipalities' editors and admins) other than the proposer
 * accepts it, and it becomes a new version of the shared article, or
 * declines it with a reason the proposer reads. Every step is an event
 * (entity "proposal": "create", "accept", "decline") in the transaction
 * that makes it. Rights are in domain/access.c (HH_RES_ARTICLE_PROPOSAL). */
#ifndef HH_DOMAIN_PROPOSALS_H
#define HH_DOMAIN_PROPOSALS_H

#include "domain/actor.h"
#include "store/store.h"

#define HH_PROPOSAL_NOTE_MAX 2000
#define HH_PROPOSAL_REASON_MAX 2000

/* Danish names of a proposal's state, for pages: "Åben", "Accepteret",
 * "Afvist". */
const char *hh_proposal_state_da(enum hh_proposal_state s);

/* May who decide proposals (is an editor of the shared knowledge base)? */
int hh_proposal_can_decide(const struct hh_actor *who);

/* Proposes *p (title, summary, body_md, keywords, kle, audience, note;
 * base_version: the version of the shared article the proposer saw) as a
 * change to the shared article at slug. INVALID with *field ("title",
 * "summary", "body", "keywords", "kle", "audience", "note"; "unchanged"
 * when it changes nothing), FORBIDDEN when who may not propose, NOT_FOUND
 * when there is no shared article at slug that who may read, CONFLICT
 * when the article has a newer version than base_version. On success *p
 * is the stored proposal (strings in ar). */
enum hh_rc hh_proposal_create(struct hh_store *st, const struct hh_actor *who,
			      struct hh_arena *ar, const char *slug,
			      struct hh_proposal *p, const char **field);

/* The proposal id, if who may see it (its organisation's editors and the
 * shared base's editors; else NOT_FOUND, as for one that does not
 * exist); *article (may be NULL) gets the shared article as it is now. */
enum hh_rc hh_proposal_get(struct hh_store *st, const struct hh_actor *who,
			   struct hh_arena *ar, int64_t id,
			   struct hh_proposal *out, struct hh_article *article);

/* Streams, newest first, the proposals with state (0: any) that who
 * sees: all of them for the shared base's editors, their own
 * organisation's for other editors; FORBIDDEN for anyone else. */
enum hh_rc hh_proposal_list(struct hh_store *st, const struct hh_actor *who,
			    struct hh_arena *ar, enum hh_proposal_state state,
			    enum hh_rc (*cb)(void *ctx,
					     const struct hh_proposal *p),
			    void *ctx);

/* Accepts proposal id: its fields become a new version of the shared
 * article (its status stays). expected_version is the article's version
 * the decider saw beside the proposal (CONFLICT when it has changed
 * since, or when the proposal is decided already). FORBIDDEN when who may
 * not decide or made the proposal. *article (may be NULL) gets the
 * article after it. */
enum hh_rc hh_proposal_accept(struct hh_store *st, const struct hh_actor *who,
			      struct hh_arena *ar, int64_t id,
			      int64_t expected_version,
			      struct hh_article *article);

/* Declines proposal id with reason (1..HH_PROPOSAL_REASON_MAX characters,
 * else INVALID with *field "reason"), which the proposer reads. Rights
 * and CONFLICT as hh_proposal_accept. */
enum hh_rc hh_proposal_decline(struct hh_store *st, const struct hh_actor *who,
			       struct hh_arena *ar, int64_t id,
			       const char *reason, const char **field);

/* Puts what p proposes (title, summary, body, keywords, KLE, audience)
 * onto a, which keeps its other fields; strings borrowed from p. */
void hh_proposal_onto(struct hh_article *a, const struct hh_proposal *p);

#endif
