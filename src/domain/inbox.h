/* inbox.h - the citizen's inbox in Mit overblik: the letters sent to the
 * signed-in citizen, their read status and PDF, and the reply to one.
 *
 * Only sent letters are the citizen's to see (state 'sent': a draft, a
 * letter awaiting approval and a cancelled one never show), and only
 * their own: another citizen's letter, a letter that is not sent and an
 * id that does not exist are the same NOT_FOUND. Anyone who is not a
 * signed-in citizen gets FORBIDDEN (staff read letters on the case, by
 * the letters module's rules, with an audit entry; not here).
 *
 * Opening a letter (to read it in the browser or to fetch its PDF) marks
 * it read: read_at is set the first time and never changed again.
 *
 * A reply goes where the letter's situation says (enum
 * hh_inbox_reply_kind), decided when it is sent:
 *   - the case waits for the citizen (paused in the state a caseworker's
 *     request puts it in): the reply is the answer to that request, with
 *     text and files under the forms' upload rules, and the case resumes
 *     (hh_case_answer_files: answer, files and resumption in one
 *     transaction);
 *   - the case is open otherwise: the reply is an event on the case
 *     ("letter_reply": the letter and the text), which the caseworker
 *     reads in the case's history;
 *   - the case is closed, or the letter has no case: nobody works the
 *     case any more, so the reply becomes a written inquiry (channel
 *     "web", open) to the letter's organisation, whose front desk answers
 *     it, with the letter named in its note.
 * The same reply sent again (a double click, a repeated POST) is not
 * written twice: when the citizen's latest reply to the letter on the
 * case, or an open inquiry of theirs, already says it, that one is the
 * result. (An answer cannot repeat: the case no longer waits.)
 * Files are taken only by an answer: a case event or an inquiry carries
 * text (an inquiry has nowhere to keep files), and the doors offer the
 * file input only where they are taken. */
#ifndef HH_INBOX_H
#define HH_INBOX_H

#include <jansson.h>
#include <stdint.h>

#include "domain/actor.h"
#include "render/letter.h"
#include "store/store.h"

#define HH_INBOX_PAGE 20        /* letters on a page, unless asked */
#define HH_INBOX_PAGE_MAX 100
#define HH_INBOX_REPLY_MAX 5000 /* characters of a reply, as an answer */

enum hh_inbox_reply_kind {
	HH_INBOX_REPLY_NONE = 0,   /* the letter takes no reply */
	HH_INBOX_REPLY_ANSWER,     /* answers the case's request: text, files */
	HH_INBOX_REPLY_CASE_EVENT, /* an event on the open case */
	HH_INBOX_REPLY_INQUIRY,    /* a written inquiry to the organisation */
};

/* Why a reply was refused, beside the rc. */
enum hh_inbox_fault {
	HH_INBOX_FINE = 0,
	HH_INBOX_NOT_ALLOWED, /* (INVALID) the letter takes no reply */
	HH_INBOX_TEXT,        /* (INVALID) no text, too long, not UTF-8 */
	HH_INBOX_FILES,       /* (INVALID) a file breaks the upload rules,
				 or files where the reply takes none */
	HH_INBOX_STALE,       /* (CONFLICT) the case changed while the
				 reply was being sent (it stopped or
				 started waiting for an answer) */
};

/* One page of the inbox. items (in a) are the letters newest sent
 * first, without their PDF; total counts all the citizen's letters,
 * unread those not opened yet. */
struct hh_inbox_page {
	struct hh_letter *items;
	int n;
	int64_t total, unread;
};

/* The signed-in citizen's letters, skipping offset (>= 0), at most
 * limit (1..HH_INBOX_PAGE_MAX; others: HH_INBOX_PAGE). FORBIDDEN for
 * anyone but a citizen. */
enum hh_rc hh_inbox_list(struct hh_store *st, struct hh_arena *a,
			 const struct hh_actor *who, int64_t offset,
			 int64_t limit, struct hh_inbox_page *out);

/* How many of the citizen's letters are unread. FORBIDDEN for anyone
 * but a citizen. */
enum hh_rc hh_inbox_unread(struct hh_store *st, const struct hh_actor *who,
			   int64_t *unread);

/* A letter as its recipient opens it. */
struct hh_inbox_letter {
	struct hh_letter l;        /* with its PDF; read_at as it is now */
	struct hh_letter_doc doc;  /* the letter as printed (letterdoc.h) */
	enum hh_inbox_reply_kind reply; /* where a reply would go now */
	const char *question;      /* the caseworker's question, when the
				      reply answers a request (or NULL) */
	int first_read;            /* this opening marked it read */
};

/* Opens letter id for who: reads it with its PDF and its document, tells
 * where a reply would go, and marks it read if it was not (in a
 * transaction of its own after the read: a reader that fails to mark is
 * still shown the letter, and the next opening marks it). Strings in a.
 * NOT_FOUND: not who's sent letter; FORBIDDEN: who is not a citizen. */
enum hh_rc hh_inbox_open(struct hh_store *st, struct hh_arena *a,
			 const struct hh_actor *who, int64_t id,
			 struct hh_inbox_letter *out);

/* What a reply became. */
struct hh_inbox_reply_result {
	enum hh_inbox_reply_kind kind;
	int64_t case_id;    /* ANSWER, CASE_EVENT: the case */
	int64_t inquiry_id; /* INQUIRY: the inquiry made */
};

/* Sends who's reply to letter id: text (1..HH_INBOX_REPLY_MAX
 * characters, trimmed by the caller) and files (a JSON array of what a
 * form's file field takes, {"name", "content_type", "data": base64};
 * NULL or empty: none). See the top of this file for where it goes.
 * Returns OK with *out set; NOT_FOUND and FORBIDDEN as hh_inbox_open;
 * INVALID or CONFLICT with *fault (and *message, Danish, for the
 * citizen: a file's error names the file) when refused, with nothing
 * written. fault and message may be NULL. */
enum hh_rc hh_inbox_reply(struct hh_store *st, struct hh_arena *a,
			  const struct hh_actor *who, int64_t id,
			  const char *text, json_t *files,
			  struct hh_inbox_reply_result *out,
			  enum hh_inbox_fault *fault, const char **message);

/* A file name for the letter's PDF that is safe in a Content-Disposition
 * header and on every file system: "brev-12-afgoerelse-om-boligstoette.pdf"
 * (ASCII letters, digits and "-"; æ ø å written ae oe aa), in a. */
const char *hh_inbox_pdf_name(struct hh_arena *a, const struct hh_letter *l);

/* The JSON form of a letter for the API, without its text (new
 * reference). */
json_t *hh_inbox_letter_json(const struct hh_letter *l);

#endif
