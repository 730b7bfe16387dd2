/* agreements.h - agreements signed by both parents (issue 16, point 4;
 * docs/parties.md "Agreements").
 *
 * A case type's form may be an agreement ("agreement" in the case type,
 * domain/casetype.h): the applicant fills it in and signs it by
 * submitting (version 1, in the submission's transaction); every other
 * signer, a party of the case invited as any party is, reads the whole
 * agreement and signs it with their own sign-in (assurance level
 * substantial). Each signature is bound to one version and that
 * version's hash (SHA-256 of the canonical content: the agreement's
 * fields as compact JSON with sorted keys), with who and when, written
 * in the transaction that signs.
 *
 * Either signer may propose a change while the case is open: the change
 * is a new version (never an update of the old one), signed by whoever
 * proposed it; the signatures of earlier versions do not count for it,
 * so every other signer must sign the new one. A signature on a version
 * that is no longer the newest is refused (CONFLICT, HH_AGR_STALE: "Aftalen
 * er ændret, siden du åbnede den").
 *
 * While the case waits in the type's confirm_state, the signature that
 * completes the newest version confirms every signing party (their
 * party rows become "confirmed") and moves the case on as a confirmation
 * does (confirmed_state / confirmed_when, else initial). A version every
 * signer signed is "signed" and stays readable unchanged; a later change
 * makes a new version beside it. */
#ifndef HH_DOMAIN_AGREEMENTS_H
#define HH_DOMAIN_AGREEMENTS_H

#include <jansson.h>

#include "core/arena.h"
#include "domain/actor.h"
#include "domain/casetype.h"
#include "domain/forms.h"
#include "domain/model.h"
#include "store/store.h"

/* Why a signature or a change was refused (beside NOT_FOUND). */
enum hh_agreement_fault {
	HH_AGR_FINE = 0,
	HH_AGR_STALE,     /* CONFLICT: not the newest version */
	HH_AGR_SIGNED,    /* CONFLICT: who signed this version already */
	HH_AGR_CLOSED,    /* CONFLICT: the case is closed (or the party
			     declined, or was withdrawn) */
	HH_AGR_EXPIRED,   /* CONFLICT: the party's invitation ran out */
	HH_AGR_UNCHANGED, /* INVALID: the change changes nothing */
	HH_AGR_ASSURANCE, /* FORBIDDEN: signed in below substantial */
};

/* One signer of a version as a reader sees it. name is NULL until that
 * signer signed, and for a reader who is another citizen when the signer
 * has name and address protection. */
struct hh_agreement_signer {
	const char *role, *label, *name;
	int64_t signed_at; /* 0: not signed */
};

struct hh_agreement_text {
	struct hh_agreement_version v;
	json_t *fields; /* [{"field", "label", "value"}], borrowed (arena) */
	struct hh_agreement_signer signers[HH_CT_PARTIES + 1];
	int n_signers;
	int complete; /* every signer signed this version */
};

struct hh_agreement {
	struct hh_case c;
	const struct hh_case_type_def *def; /* lives as long as the arena */
	const char *me; /* the reader's role ("applicant", "parent"), NULL
			   for staff */
	struct hh_agreement_text current;
	/* the newest version every signer signed, when it is not current
	 * (has_signed 0: none, or current is it) */
	struct hh_agreement_text last_signed;
	int has_signed;
	int may_sign;   /* the reader may sign current now */
	int may_change; /* the reader may propose a change now */
};

/* In the submission's transaction: version 1 of case k's agreement
 * from the validated values, signed by the applicant. OK and nothing
 * written when def has no agreement. */
enum hh_rc hh_agreement_start_tx(struct hh_tx *tx, struct hh_arena *a,
				 const struct hh_case_type_def *def,
				 const struct hh_case *k, json_t *values);

/* The agreement of case id as who reads it: the applicant and each
 * signing party (citizens, their own), staff of the case's organisation.
 * NOT_FOUND for anyone else, and when the case has no agreement;
 * FORBIDDEN for a role that reads none. A citizen below assurance level
 * substantial gets FORBIDDEN with *fault HH_AGR_ASSURANCE (fault may be
 * NULL). Writes the read to the other signers' audit trails. Everything
 * in a. */
enum hh_rc hh_agreement_read(struct hh_store *st, struct hh_arena *a,
			     const struct hh_actor *who, int64_t id,
			     struct hh_agreement *out,
			     enum hh_agreement_fault *fault);

/* who signs version `version` of case id's agreement. FORBIDDEN for
 * anyone but a citizen (with HH_AGR_ASSURANCE below substantial),
 * NOT_FOUND when who is no signer, CONFLICT with *fault when the version
 * is not the newest, who signed it already, the case is closed or the
 * invitation ran out. Nothing is written on a refusal. */
enum hh_rc hh_agreement_sign(struct hh_store *st, struct hh_arena *a,
			     const struct hh_actor *who, int64_t id,
			     int version, enum hh_agreement_fault *fault);

/* who proposes a change to case id's agreement, made from version base:
 * fields (an object of agreement fields to change; the others keep
 * their values). As hh_agreement_sign, and INVALID with Danish field
 * errors in res (a field not in the agreement, a value the form does
 * not take) or with HH_AGR_UNCHANGED. On OK *version (may be NULL) is
 * the new version, already signed by who. res->values is set (caller
 * decrefs). */
enum hh_rc hh_agreement_change(struct hh_store *st, struct hh_arena *a,
			       const struct hh_actor *who, int64_t id, int base,
			       json_t *fields, struct hh_form_result *res,
			       int *version, enum hh_agreement_fault *fault);

/* The agreement as the API gives it (new). */
json_t *hh_agreement_json(const struct hh_agreement *g);

/* The Danish sentence of a refusal (for the pages and problem+json). */
const char *hh_agreement_fault_text(enum hh_agreement_fault f);

#endif
