/* memo.h - a letter as a Digital Post message in MeMo 1.1 XML (the
 * Danish Agency for Digital Government's message format; the schema is
 * in tests/memo/schema-1.1 and the tests validate every message against
 * it with xmllint).
 *
 * The message carries the sender organisation (by CVR), the recipient
 * (by CPR or CVR), the title, the case reference and KLE number, whether
 * a reply is allowed, and the letter's PDF as the main document. */
#ifndef HH_RENDER_MEMO_H
#define HH_RENDER_MEMO_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/rc.h"

#define HH_UUID_SIZE 37

/* A random (version 4) UUID, "xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx". */
void hh_uuid4(char out[HH_UUID_SIZE]);

/* Strings are borrowed UTF-8; NULL optional fields are left out. Text
 * fields hold at most 256 characters (the schema's memoTextType). */
struct hh_memo {
	const char *message_uuid;   /* required: the idempotency key of its
				       delivery too */
	const char *message_id;     /* our own id of the letter */
	const char *label;          /* required: the title the citizen sees */
	int reply;                  /* the recipient may reply */
	int mandatory;              /* "Digital Post fritaget" cannot opt out */
	int legal_notification;     /* a decision with legal effect */
	const char *sender_cvr;     /* required: 8 digits */
	const char *sender_label;   /* required: the organisation's name */
	const char *contact_point;  /* where replies go, NULL none */
	const char *recipient_type; /* required: "CPR" or "CVR" */
	const char *recipient_id;   /* required: 10 or 8 digits */
	const char *recipient_label;
	const char *case_id;        /* the journal number */
	const char *case_system;    /* "helhed" when case_id is given */
	const char *kle;            /* "32.18.00" */
	const char *kle_label;      /* required with kle */
	int64_t created_at;         /* epoch seconds; 0: now */
	const char *filename;       /* required: "afgoerelse.pdf" */
	const void *pdf;            /* required: the letter */
	size_t pdf_len;
};

/* Appends the message as an XML document to out. INVALID (nothing
 * appended) when a required field is missing, a text is too long, or an
 * id is malformed; *field (may be NULL) names the field. */
enum hh_rc hh_memo_xml(const struct hh_memo *m, struct hh_buf *out,
		       const char **field);

#endif
