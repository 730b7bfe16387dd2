/* model.h - what helhed's data is: organisations, people, articles,
 * events, life events, case types, plans, cases, audit and search log
 * rows, and the filters that select them.
 *
 * These are plain rows, shared by the domain (which owns the rules about
 * them) and every store backend (which reads and writes them, see
 * store/store.h). Strings are borrowed: a row read from the store has its
 * strings in the arena the reader passed; a row a caller fills in points
 * at the caller's strings. Times are seconds since the epoch unless a
 * name says _us (microseconds). An id of 0 means "none" where a field
 * says so. */
#ifndef HH_MODEL_H
#define HH_MODEL_H

#include <stddef.h>
#include <stdint.h>

enum hh_org_kind { HH_ORG_MUNICIPALITY = 1, HH_ORG_AGENCY = 2 };

struct hh_org {
	int64_t id;
	const char *code;
	const char *name;
	enum hh_org_kind kind;
};

/* Role bits; a user or token holds a set of them. */
enum hh_role {
	HH_ROLE_CITIZEN = 1 << 0,
	HH_ROLE_AGENT = 1 << 1,
	HH_ROLE_CASEWORKER = 1 << 2,
	HH_ROLE_EDITOR = 1 << 3,
	HH_ROLE_MANAGER = 1 << 4,
	HH_ROLE_ADMIN = 1 << 5,
	/* x-ext (issue 15): an authority's own case system, for API tokens:
	 * it reports its organisation's cases (domain/external.h) */
	HH_ROLE_CASE_SYSTEM = 1 << 6,
};

struct hh_user {
	int64_t id;
	int64_t org_id;
	const char *email;
	const char *name;
	const char *password_hash; /* argon2id string */
	unsigned roles;
	int disabled;
	int64_t created_at;
	const char *oidc_subject; /* signed in through the organisation's
				     OpenID Connect provider; NULL: none */
};

/* A citizen's assurance level as the identity provider states it (NSIS:
 * low, substantial, high). 0: not stated, treated as low. */
enum hh_loa {
	HH_LOA_NONE = 0,
	HH_LOA_LOW = 1,
	HH_LOA_SUBSTANTIAL = 2,
	HH_LOA_HIGH = 3,
};

struct hh_session {
	const unsigned char *token_hash; /* 32 bytes */
	int64_t user_id;
	const char *csrf;
	int64_t created_at, expires_at;
	int64_t last_seen;       /* seconds; written at most once a minute */
	const char *oidc_sid;    /* the provider's session id, or NULL */
	const char *oidc_subject; /* the provider's subject, or NULL */
};

struct hh_api_token {
	int64_t id;
	const unsigned char *token_hash; /* 32 bytes */
	int64_t org_id;
	const char *name;
	unsigned roles;
	int64_t created_at;
	int revoked;
};

enum hh_audience { HH_AUDIENCE_CITIZEN = 1, HH_AUDIENCE_STAFF = 2 };
enum hh_status {
	HH_STATUS_DRAFT = 1,
	HH_STATUS_PUBLISHED = 2,
	HH_STATUS_ARCHIVED = 3
};

struct hh_article {
	int64_t id;
	int64_t org_id;       /* 0: shared across municipalities */
	const char *org_code; /* NULL when shared (filled on reads) */
	const char *org_name; /* NULL when shared (filled on reads) */
	const char *slug;
	const char *title;
	const char *summary;
	const char *body_md;
	const char *body_html;
	const char *keywords; /* "a, b, c" */
	const char *kle;      /* "" when none */
	enum hh_audience audience;
	enum hh_status status;
	int64_t version;
	int64_t created_at, updated_at; /* seconds */
	const char *updated_by;         /* actor, e.g. "user:3" */
	/* import and export only: the page views a new article starts with
	 * (the demo's "views:"); the counts live in the article stats */
	int64_t views;
};

struct hh_article_filter {
	int64_t org_id;     /* 0: any; -1: shared only */
	const char *kle;    /* prefix match, NULL: any */
	enum hh_audience audience; /* 0: any */
	enum hh_status status;     /* 0: any */
	/* >0: drafts and archived articles only if shared or owned by this
	 * organisation (an editor's view); 0: no such restriction. */
	int64_t unpublished_org_id;
};

struct hh_event {
	int64_t id;
	int64_t at_us;
	const char *actor; /* "user:3", "token:1", "cli", "import" */
	int64_t org_id;    /* 0: none */
	const char *entity; /* "article", "user", ... */
	int64_t entity_id;
	const char *action; /* "create", "update", "archive", ... */
	const char *before; /* JSON or NULL */
	const char *after;  /* JSON or NULL */
	/* x-hooks2: an organisation the event also concerns (an inquiry
	 * transferred to it), for the webhook outbox only; not stored */
	int64_t also_org_id;
};

struct hh_life_event {
	int64_t id;
	const char *slug;
	const char *title;
	const char *summary;
	int position;
	const char *articles;   /* JSON array of slugs */
	const char *definition; /* JSON: questions, steps, followups */
};

struct hh_case_type {
	int64_t id;
	const char *code;
	const char *organisation; /* a code, or "municipality" */
	const char *name;
	int public;
	const char *definition; /* JSON: states, transitions, deadline, form */
};

struct hh_citizen {
	int64_t id;
	const char *subject; /* the identity provider's subject */
	const char *name;
	const char *cpr;     /* NULL when not known */
	int64_t municipality_id;
	/* At rest (domain/vault.h): the id of the key cpr is sealed under
	 * (NULL: clear text from before sealing), and a keyed hash of its
	 * digits (32 bytes, NULL: none) with the id of the hash key. The
	 * domain fills these in; callers above it never see them set. */
	const char *cpr_key;
	const unsigned char *cpr_hash;
	const char *cpr_hash_key;
	/* Postal address (NULL: not known) and exemption from Digital Post
	 * (0: not exempt), 0015_letters.sql. */
	const char *address, *postcode, *city;
	int64_t dp_exempt_since;
	const char *dp_exempt_reason;
};

struct hh_citizen_session {
	const unsigned char *token_hash;
	int64_t citizen_id;
	const char *csrf;
	int64_t created_at, expires_at;
	int64_t last_seen;       /* seconds; written at most once a minute */
	enum hh_loa loa;         /* the assurance level of the sign-in */
	const char *oidc_sid;    /* the provider's session id, or NULL */
	const char *oidc_subject; /* the provider's subject, or NULL */
};

struct hh_plan {
	int64_t id;
	int64_t citizen_id;
	int64_t life_event_id;
	const char *life_event_slug; /* filled on reads */
	const char *answers;         /* JSON object */
	int64_t created_at, updated_at;
};

struct hh_case {
	int64_t id;
	int64_t case_type_id;
	const char *case_type_code; /* filled on reads */
	const char *case_type_name; /* filled on reads */
	int64_t org_id;
	const char *org_code, *org_name; /* filled on reads */
	int64_t citizen_id;         /* 0: none */
	const char *citizen_name;   /* filled on reads */
	int64_t plan_id;            /* 0: none */
	const char *step;
	int64_t parent_case_id;     /* 0: none */
	const char *state;
	const char *state_label;    /* filled on reads: the Danish label */
	int64_t assigned_to;        /* 0: nobody */
	const char *assigned_name;  /* filled on reads */
	const char *data;           /* JSON object of form values */
	int64_t version;
	int64_t created_at, updated_at, deadline_at;
	int64_t paused_since;       /* 0: not paused */
	int64_t closed_at;          /* 0: open */
	/* when the case entered its state (its timed waits count from it,
	 * domain/casetype.h); on insert 0 means created_at */
	int64_t state_since;
	const char *public_id;      /* Open311's id: 24 hex digits, random
				       (not guessable); NULL on insert: the
				       store makes one */
	/* The id of the key the CPR numbers in data are sealed under
	 * (domain/vault.h); NULL: not sealed yet. Set by the domain. */
	const char *seal_key;
	/* The journal number as Danish case systems write it (KLE subject
	 * number, action facet, serial, year: "24.00.00-G01-17-26"); filled
	 * on reads, NULL for a case from before journal numbers. */
	const char *journal_no;
	/* Casework tools (0016_casework.sql): the team of the organisation
	 * the case is assigned to (a team code; NULL: none), and its name
	 * (filled on reads). */
	const char *assigned_team;
	const char *assigned_team_name;
};

/* A party to a case besides the applicant (issue 16, domain/parties.h,
 * 0041_case_parties.sql): the position of its declaration in the case
 * type's "parties", its role, the citizen it is (0: not known to
 * helhed), its CPR number at rest as citizens keep theirs (domain/vault.h:
 * sealed, with a keyed hash; NULL without a key file) and where it
 * stands: "named" (never confirms), "invited", "confirmed", "declined",
 * "expired". */
struct hh_case_party {
	int64_t id, case_id;
	int position, confirm;
	const char *role;
	int64_t citizen_id;
	const char *cpr, *cpr_key;
	const unsigned char *cpr_hash;
	const char *cpr_hash_key;
	const char *status;
	int64_t invited_at, expires_at, answered_at; /* 0: none */
	int64_t version;
};

/* p-agree (issue 16, point 4; 0045_case_agreements.sql): one version of
 * a case's agreement, never updated once written. content is the
 * agreement's fields as canonical JSON (compact, sorted keys), hash its
 * SHA-256 in hex; signers the roles that must sign it, comma-separated
 * ("applicant,parent"); proposed_by the role that wrote it. */
struct hh_agreement_version {
	int64_t id, case_id;
	int version;
	const char *content, *hash, *signers, *proposed_by;
	int64_t proposed_by_citizen, proposed_at;
};

/* One signature, bound to one version and its hash. */
struct hh_agreement_signature {
	int64_t id, case_id;
	int version;
	const char *hash, *signer;
	int64_t citizen_id, signed_at;
};

enum hh_case_sort { HH_SORT_DEADLINE = 0, HH_SORT_NEWEST = 1 };

struct hh_case_filter {
	int64_t org_id;       /* 0: any */
	int64_t citizen_id;   /* 0: any */
	int64_t plan_id;      /* 0: any */
	int64_t case_type_id; /* 0: any */
	int64_t assigned_to;  /* 0: any */
	const char *state;    /* NULL: any */
	const char *public_id; /* NULL: any */
	int open_only;
	int overdue_at;       /* non-zero: open, not paused, deadline before */
	int64_t now;          /* for overdue_at */
	enum hh_case_sort sort;
	/* Casework tools (0016_casework.sql). */
	const char *assigned_team;  /* a team code; NULL: any */
	const char *journal_prefix; /* journal numbers starting so; NULL: any */
	const char *citizen_ids;    /* JSON array of citizen ids: one of them;
				       NULL: any */
	const char *states;         /* JSON array of state keys: one of them
				       (a stage); NULL: any */
	int64_t exclude_id;         /* leave this case out; 0: none */
	/* p-bench: one of some cases (a JSON array of case ids; NULL: any),
	 * read in one query instead of one case_get each; rows without
	 * their form values (data NULL: nothing to read or unseal) for a
	 * list that shows none, as Mit overblik's; and rows whose
	 * state_label is the state's key, for a caller that labels states
	 * from the case type's parsed definition (the store's label is
	 * looked up in the definition's JSON, row by row: on SQLite most of
	 * a list's time) */
	const char *case_ids;
	int without_data;
	int without_labels;
	/* p-bench: data as stored, its CPR numbers still sealed (the vault,
	 * domain/vault.h, does not open them), for a reader that shows no
	 * CPR field: an invited party's shared fields never hold one */
	int data_sealed;
};

/* A file uploaded with a form, kept with its case. */
struct hh_case_file {
	int64_t id;
	int64_t case_id;
	const char *field;        /* the form field it came in */
	const char *name;         /* the file name the citizen gave */
	const char *content_type;
	const unsigned char *data;
	size_t size;
	int64_t created_at;
};

/* A letter on a case (store/migrations/0015_letters.sql): drafted from a
 * template by its author, approved by a second caseworker where the case
 * type asks for four eyes, then sent, after which it never changes. */
struct hh_letter {
	int64_t id;
	int64_t org_id;
	int64_t case_id;          /* 0: none */
	int64_t citizen_id;       /* 0: none */
	const char *kind;         /* granted, refused, partly_granted, request,
				     hearing, closing */
	const char *template_code;
	const char *state;        /* draft, awaiting_approval, approved, sent,
				     cancelled */
	const char *decision;     /* the case state it records, or NULL */
	const char *title;
	const char *body;         /* merged text: paragraphs, "## ", "- " */
	const char *fields;       /* JSON object: the free parts as written */
	int reply_allowed;
	int64_t reply_by;         /* 0: no deadline */
	int64_t author_id;
	int64_t approver_id;      /* 0: none (yet) */
	int64_t version;
	int64_t created_at, updated_at, approved_at, sent_at;
	int64_t read_at;          /* 0: the citizen has not opened it */
	const unsigned char *pdf; /* NULL until sent (and on list reads) */
	size_t pdf_len;
	const char *message_id;   /* the MeMo UUID, NULL until sent */
	const char *party_event;  /* a letter helhed wrote to a party of the
				     case (author_id 0): which event, one
				     letter per case, citizen and event
				     (0046; written, not read back) */
	/* filled on reads */
	const char *org_name, *author_name, *approver_name;
	const char *case_type_name;
	const char *case_journal_no;
};

/* A Digital Post message carrying one sent letter (0015_letters.sql). */
struct hh_message {
	int64_t id;
	const char *message_id;   /* UUID: the idempotency key */
	int64_t letter_id;
	int64_t org_id;
	int64_t citizen_id;       /* 0: none */
	const char *channel;      /* digital_post, print, error; NULL: not
				     routed yet */
	const char *state;        /* queued, sent, delivered, failed, printed,
				     error */
	int64_t attempts;
	int64_t next_attempt_at;
	const char *last_error;
	int64_t created_at, updated_at, sent_at, delivered_at;
	const char *print_batch;
};

struct hh_audit {
	int64_t id;
	int64_t at;
	const char *actor;
	int64_t citizen_id;
	const char *what;
	const char *why;
};

struct hh_search_log {
	int64_t id;
	int64_t at; /* seconds */
	const char *query;
	int64_t municipality_id; /* 0: none */
	int64_t results;
	int64_t chosen_article_id; /* 0: none */
	const char *visit; /* the anonymous hh_visit cookie (32 hex), or
			      NULL (0020_figures.sql) */
	int strength; /* of the best hit: 0 none, 1 weak, 2 strong (enum
			 hh_search_strength); -1 not known (0026) */
};

/* One line of the report of searches that did not help. */
struct hh_search_report_row {
	const char *query;
	int64_t searches;
	int64_t with_results; /* searches that found a sure answer (results,
				 and not weak: 0026) */
	int64_t weak;         /* searches that found only weak results */
	int64_t chosen;       /* searches where a result was chosen */
};

/* An inquiry (henvendelse): one contact with the front desk. channel and
 * outcome are the names domain/inquiries.h checks. */
struct hh_inquiry {
	int64_t id;
	int64_t org_id;
	const char *channel;     /* "phone", "counter", "chat", ... */
	int64_t article_id;      /* the topic: 0 none */
	const char *kle;         /* the topic: NULL none */
	int64_t citizen_id;      /* 0: anonymous */
	int64_t agent_id;        /* 0: none */
	int64_t started_at, ended_at; /* seconds; ended_at 0: open */
	const char *outcome;     /* "open", "resolved_first_contact", ... */
	const char *transfer_team;   /* transferred: a team code, or NULL */
	int64_t transfer_org_id;     /* transferred: an organisation, or 0 */
	const char *transfer_reason; /* transferred: a reason code */
	int64_t case_id;         /* case_created: the case; 0 none */
	int64_t callback_due_at; /* callback_promised: when; 0 none */
	const char *note;
	const char *idem_scope, *idem_key; /* set on insert only; NULL none */
	const char *request_hash;          /* hex, with idem_key */
	int64_t version;
	int64_t created_at, updated_at;
};

struct hh_inquiry_filter {
	int64_t org_id;     /* 0: any */
	int64_t citizen_id; /* 0: any */
	int open_only;      /* outcome 'open' only */
	/* >0: outcome 'callback_promised' due before this (seconds), soonest
	 * due first (the callbacks due; volume branch) */
	int64_t callbacks_due_before;
};

/* ---- the agent's desk (domain/desk.h) ---- */

/* One transfer of an inquiry to another team and/or organisation, and
 * the receiver's handling of it (the inquiry's own outcome stays what the
 * first agent logged). */
struct hh_inquiry_transfer {
	int64_t id;
	int64_t inquiry_id;
	int64_t from_org_id;
	const char *from_team;    /* NULL: the organisation's front desk */
	int64_t to_org_id;
	const char *to_team;      /* NULL: the organisation as a whole */
	const char *reason;       /* a reason code of from_org_id */
	const char *by_actor;     /* who transferred ("user:3") */
	int64_t at;
	const char *taken_by;     /* NULL: waiting in the receiver's queue */
	int64_t taken_at;
	const char *result;       /* NULL: open; "resolved", "case_created",
				     "callback_promised", "transferred" */
	int64_t result_case_id;
	int64_t result_callback_due_at;
	int64_t closed_at;
};

/* A team or transfer reason of an organisation (content data). */
struct hh_inquiry_code {
	const char *kind;  /* "team" or "reason" */
	const char *code;
	const char *label;
};

/* ---- appointments (domain/appointments.h) ---- */

/* A booking of a counter service: one counter of the organisation from
 * start_at to end_at. citizen_id 0: booked without sign-in (then name and
 * an e-mail or phone say who). state: "booked", "cancelled", "attended",
 * "no_show". */
struct hh_appointment {
	int64_t id;
	const char *code;      /* the booking code, 12 of HH_BOOKING_ALPHABET */
	int64_t org_id;
	const char *service;   /* the counter service's code */
	int counter;           /* 1 .. the day's counters */
	int64_t start_at, end_at;
	int64_t citizen_id;
	const char *name, *email, *phone;
	const char *state;
	const char *idem_scope, *idem_key, *request_hash;
	int64_t version;
	int64_t created_at, updated_at;
};

/* Which appointments a list streams: of one organisation or one citizen
 * (0: any), starting in [from, to) (0: unbounded), active ones only (not
 * cancelled). By start, then id. */
struct hh_appointment_filter {
	int64_t org_id;
	int64_t citizen_id;
	int64_t from, to;
	int active_only;
};

/* ---- chat (domain/chat.h) ---------------------------------------------- */

/* A live chat; it is also inquiry inquiry_id (channel "chat"). */
struct hh_chat {
	int64_t id;
	int64_t org_id;
	int64_t inquiry_id;
	int64_t citizen_id;      /* 0: anonymous */
	const unsigned char *token_hash; /* 32 bytes */
	const char *state;       /* "queued", "active", "closed" */
	int64_t agent_id;        /* 0: none */
	const char *team;        /* transferred to a team; NULL none */
	const char *topic;
	int64_t created_at, queued_at, taken_at, closed_at; /* seconds */
	int64_t last_seq;        /* the newest message's seq, 0 none */
	int rating;              /* 1-5, 0 not rated */
	const char *rating_comment;
	int64_t version;
	const char *visit; /* the anonymous hh_visit cookie of the browser
			      that opened it, or NULL (written on insert) */
};

/* One message of a chat; seq counts from 1 per chat. */
struct hh_chat_message {
	int64_t chat_id;
	int64_t seq;
	const char *sender;      /* "citizen", "agent", "system" */
	int64_t user_id;         /* the agent; 0 none */
	const char *body;
	int64_t article_id;      /* an article link; 0 none */
	const char *article_title, *article_slug;
	int64_t created_at;      /* milliseconds */
};

/* ---- delivery (domain/messages.h) ------------------------------------- */

/* Which messages a list streams (newest first): of one organisation (0:
 * any), in one state and/or channel (NULL: any), at most limit. */
struct hh_message_filter {
	int64_t org_id;
	const char *state;
	const char *channel;
	int64_t letter_id;        /* 0: any */
	const char *print_batch;  /* NULL: any */
};

/* A message as the error queue and the API list it: the message, and
 * what a person needs to know which letter it is. */
struct hh_message_row {
	struct hh_message m;
	const char *title;        /* the letter's */
	int64_t case_id;          /* 0: none */
	const char *citizen_name; /* NULL: no citizen */
};

/* One print batch: the PDF of one organisation's letters to citizens
 * exempt from Digital Post, made on day (Danish date, "2026-12-05");
 * seq counts the day's batches from 1 (a later run the same day prints
 * only letters that came after the first). 0017_delivery.sql. */
struct hh_print_batch {
	int64_t id;
	int64_t org_id;
	const char *day;
	int64_t seq;
	const char *file;         /* the file's name under <spool>/print/ */
	int64_t letters, pages;
	int64_t created_at;
};

/* ---- feedback: "Fandt du det, du søgte?" (domain/feedback.h,
 * 0021_feedback.sql) ---- */
struct hh_feedback_row {
	int64_t id;
	int64_t at;              /* seconds */
	int day;                 /* Danish day, YYYYMMDD */
	int found;               /* 1 yes, 0 no */
	const char *page;        /* "article" or "search" */
	int64_t article_id;      /* 0: none (a search page) */
	const char *query;       /* NULL: none (an article page) */
	const char *comment;     /* scrubbed; NULL: none */
	int64_t municipality_id; /* 0: none */
	const char *visit;       /* NULL: unknown */
};

/* The answers about one article (article_id 0: about search results),
 * for the editors' report. */
struct hh_feedback_stat {
	int64_t article_id;
	const char *slug, *title; /* NULL for search results */
	int64_t yes, no;
};

/* ---- s-edit (issue 13): a proposed change to a shared article
 * (domain/proposals.h, 0024_article_proposals.sql) ---- */
enum hh_proposal_state {
	HH_PROPOSAL_OPEN = 1,
	HH_PROPOSAL_ACCEPTED,
	HH_PROPOSAL_DECLINED,
};

struct hh_proposal {
	int64_t id;
	int64_t article_id;     /* the shared article */
	int64_t base_version;   /* the version the proposer changed */
	int64_t org_id;         /* the proposer's organisation */
	const char *org_name;   /* filled on reads */
	const char *slug;       /* the article's, filled on reads */
	const char *proposed_by; /* actor, "user:3" */
	const char *proposer_name;
	const char *title, *summary, *body_md, *keywords, *kle;
	enum hh_audience audience;
	const char *note;       /* why, in the proposer's words */
	enum hh_proposal_state state;
	int64_t created_at;     /* seconds */
	int64_t decided_at;     /* 0: open */
	const char *decided_by, *decider_name; /* NULL: open */
	const char *reason;     /* a decline's reason; NULL: none */
	int64_t accepted_version; /* 0: not accepted */
};

/* ---- s-edit (issue 13): a query pinned to an article
 * (domain/searchtune.h, 0025_synonyms_pins.sql) ---- */
struct hh_search_pin {
	int64_t id;
	int64_t org_id;          /* whose municipality's searches */
	const char *org_code;    /* filled on reads */
	const char *query;       /* normalised */
	int64_t article_id;
	int64_t created_at;      /* seconds */
	const char *created_by;
};

/* ---- kle (issue 15): one number of the KLE classification, as imported
 * from KL's emneplan (domain/kle.h, 0033_kle.sql) ---- */
struct hh_kle {
	const char *number;      /* "16", "16.10" or "16.10.00" */
	int level;               /* 1 main group, 2 group, 3 subject */
	const char *title;       /* KL's title, as imported */
	const char *in_use_from; /* "YYYY-MM-DD", or NULL: not given */
	const char *in_use_to;   /* "YYYY-MM-DD", or NULL: in use */
	int64_t updated_at;      /* seconds: when the row was last written */
};

/* ---- x-ext (issue 15): a case in another authority's own case system,
 * as that system reports it (domain/external.h, 0034_external_cases.sql).
 * cpr is sealed at rest and cpr_hash (32 bytes) is its keyed hash, as a
 * citizen's (domain/vault.h); the store keeps both as given. ---- */
struct hh_external_case {
	int64_t id;
	int64_t org_id;             /* the reporting organisation */
	const char *org_code, *org_name; /* filled on reads */
	const char *system;         /* the sending system's name */
	const char *external_id;    /* the case's id in that system */
	const char *cpr;            /* sealed by the domain */
	const char *cpr_key;
	const unsigned char *cpr_hash;
	const char *cpr_hash_key;
	const char *title;
	const char *state;          /* as the authority names it */
	const char *citizen_text;   /* what the citizen is told */
	int64_t deadline_at;        /* epoch seconds; 0: none */
	const char *self_service_url; /* https; NULL: none */
	int64_t version;            /* the sender's */
	int64_t sent_created_at, sent_updated_at; /* the sender's; 0: none */
	int64_t received_at;        /* when helhed stored this version */
	/* x-decl (0038): NULL on rows stored before systems were declared */
	const char *case_type;      /* a key of the system's declaration */
	const char *stage;          /* the state's stage when stored
				       (domain/casesystems.h) */
	const char *facts;          /* JSON object; NULL: none sent */
};

/* A case system an organisation declared (x-decl, 0038_case_systems.sql,
 * domain/casesystems.h): definition is the declaration's JSON. */
struct hh_case_system {
	int64_t id;
	int64_t org_id;
	const char *org_code;       /* filled on reads */
	const char *system;
	const char *label;          /* Danish */
	const char *definition;     /* JSON: states, case_types */
	int64_t updated_at;         /* epoch seconds */
};

#endif
