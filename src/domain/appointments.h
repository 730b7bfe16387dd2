/* appointments.h - appointments (tidsbestilling): booking a time at the
 * counter for a counter service, and the counter's day list.
 *
 * What can be booked is content data (content/counter-services.json, one
 * entry per organisation): the services with their duration and the
 * documents to bring, the number of counters that serve bookings (a
 * default and per weekday), the grid slots start on and how far ahead
 * one may book. When the counter is open comes from the organisation's
 * opening hours for "counter" (domain/hours.h): holidays and exceptions
 * close it, and its times are Danish wall-clock times, so a slot at 08:00
 * is 08:00 also on the days the clocks change.
 *
 * A slot is a start on the grid within an opening span (counted from the
 * span's opening) from which the service's duration fits before the span
 * closes. It is free while one of the day's counters has no active booking
 * overlapping it. A booking takes the lowest free counter; the check and
 * the insert are one write transaction, and writers take turns (SQLite's
 * BEGIN IMMEDIATE), so two citizens racing for the last slot get one
 * booking and one HH_APPT_TAKEN, never two bookings.
 *
 * Access: a time is booked without signing in, by a signed-in citizen
 * (then it is theirs), or by the organisation's agents and admins
 * (HH_RES_APPOINTMENT create; other staff get FORBIDDEN); the booking code
 * shown in the confirmation is the key with which its holder reads, moves
 * and cancels it, signed in or not. A signed-in citizen also lists their
 * own; the organisation's agents and admins read its day list and mark a
 * booking attended or no-show. Every change is one transaction with its
 * event (entity "appointment"); events leave out name, e-mail and phone. */
#ifndef HH_APPOINTMENTS_H
#define HH_APPOINTMENTS_H

#include <jansson.h>
#include <stdio.h>

#include "domain/actor.h"
#include "store/store.h"

/* The booking code's characters: no 0/O, 1/I/L to misread. */
#define HH_BOOKING_ALPHABET "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
#define HH_BOOKING_CODE_LEN 12

#define HH_COUNTER_MAX_DOCS 12

/* One bookable counter service. Strings in the arena of the config. */
struct hh_counter_service {
	const char *code;       /* "pas" */
	const char *name;       /* "Pas" */
	int minutes;            /* duration, a multiple of the grid */
	const char *documents[HH_COUNTER_MAX_DOCS]; /* what to bring */
	int n_documents;
	const char *price_note; /* NULL: none */
};

/* An organisation's booking setup. */
struct hh_counter_config {
	struct hh_counter_service *services;
	int n_services;
	int counters[7];     /* per weekday, Monday first */
	int slot_minutes;    /* the grid */
	int book_ahead_days; /* bookable up to this many days ahead */
};

/* The setup of organisation org_id into a; NOT_FOUND when it takes no
 * bookings. */
enum hh_rc hh_counter_config_get(struct hh_store *st, struct hh_arena *a,
				 int64_t org_id,
				 struct hh_counter_config *out);
/* The service with code, or NULL. Borrowed from cfg. */
const struct hh_counter_service *
hh_counter_service_find(const struct hh_counter_config *cfg, const char *code);

/* Imports dir/counter-services.json (missing: nothing to do) in one
 * transaction:
 *   { "<organisation code>": {
 *       "slot_minutes": 15, "book_ahead_days": 60,
 *       "counters": { "default": 2, "thu": 3 },
 *       "services": [ { "code": "pas", "name": "Pas", "minutes": 15,
 *                       "documents": ["..."], "price_note": "..." } ] } }
 * A bad file is reported on errs as "FILE:1: message" and nothing of it
 * is imported (INVALID); *n gets the number of services imported. */
enum hh_rc hh_counter_import(struct hh_store *st, const char *dir, FILE *errs,
			     int *n);

/* ---- slots ---- */

struct hh_slot {
	int64_t start_at, end_at;
	int free;  /* counters still free */
};
typedef enum hh_rc (*hh_slot_cb)(void *ctx, const struct hh_slot *s);

/* Streams the free slots of service at organisation org_id on the local
 * dates from_day .. to_day (days since 1970-01-01, inclusive), in order,
 * leaving out what starts before now (0: the clock) or is further ahead
 * than the setup allows. NOT_FOUND: no such service (or no bookings or
 * no counter hours at the organisation). INVALID: to_day before from_day
 * or more than 62 days. */
enum hh_rc hh_slots_list(struct hh_store *st, struct hh_arena *a,
			 int64_t org_id, const char *service, int64_t from_day,
			 int64_t to_day, int64_t now, hh_slot_cb cb, void *ctx);

/* ---- bookings ---- */

/* What a booking is made with. Strings are borrowed for the call. */
struct hh_appointment_input {
	int64_t org_id;
	const char *service;
	int64_t start_at;
	const char *name;   /* without sign-in: required, with an e-mail or */
	const char *email;  /* a phone number; signed in: optional */
	const char *phone;
	const char *idem_key;   /* a repeat returns the same booking */
	const char *idem_scope; /* the door's scope for an anonymous caller
				   (its address); a signed-in one's is its
				   label */
	int64_t now;            /* 0: the clock (tests set it) */
};

/* Why a booking, move or cancellation was refused. */
enum hh_appt_fault {
	HH_APPT_FINE = 0,
	HH_APPT_SERVICE,    /* (INVALID) no such service at the organisation */
	HH_APPT_PAST,       /* (INVALID) the start has passed */
	HH_APPT_TOO_FAR,    /* (INVALID) beyond how far ahead one may book */
	HH_APPT_CLOSED,     /* (INVALID) the counter is not open then */
	HH_APPT_UNALIGNED,  /* (INVALID) not a slot's start */
	HH_APPT_CONTACT,    /* (INVALID) name, e-mail or phone missing or bad;
			       field says which */
	HH_APPT_TAKEN,      /* (CONFLICT) no counter is free then any more */
	HH_APPT_STATE,      /* (CONFLICT) cancelled, attended or begun */
	HH_APPT_KEY_REUSED, /* (CONFLICT) the idempotency key made a booking
			       from a different request */
};

/* The Danish message for a fault ("Tiden er netop blevet taget ..."). */
const char *hh_appt_fault_da(enum hh_appt_fault f);

/* Books in->service at in->start_at for who (a signed-in citizen's
 * booking is theirs). *replayed = 1 when the idempotency key had made it
 * from the same request already. *fault and *field (may be NULL) say why
 * an INVALID or CONFLICT. */
enum hh_rc hh_appointment_book(struct hh_store *st, struct hh_arena *a,
			       const struct hh_actor *who,
			       const struct hh_appointment_input *in,
			       struct hh_appointment *out, int *replayed,
			       enum hh_appt_fault *fault, const char **field);

/* The booking with code (with or without hyphens, any case); NOT_FOUND
 * when there is none. Who holds the code may read it. */
enum hh_rc hh_appointment_get(struct hh_store *st, struct hh_arena *a,
			      const char *code, struct hh_appointment *out);

/* Moves the booking with code to start_at (same service), at
 * expected_version (0: whatever it is now). CONFLICT with no fault for a
 * stale version. now 0: the clock. */
enum hh_rc hh_appointment_move(struct hh_store *st, struct hh_arena *a,
			       const struct hh_actor *who, const char *code,
			       int64_t expected_version, int64_t start_at,
			       int64_t now, struct hh_appointment *out,
			       enum hh_appt_fault *fault);

/* Cancels the booking with code (its slot is free again). */
enum hh_rc hh_appointment_cancel(struct hh_store *st, struct hh_arena *a,
				 const struct hh_actor *who, const char *code,
				 int64_t expected_version, int64_t now,
				 struct hh_appointment *out,
				 enum hh_appt_fault *fault);

/* Marks a booking of who's organisation "attended" or "no_show" (from
 * booked, or the one to the other). NOT_FOUND when who may not read it,
 * FORBIDDEN when who may read but not change it, INVALID for another
 * state. */
enum hh_rc hh_appointment_mark(struct hh_store *st, struct hh_arena *a,
			       const struct hh_actor *who, const char *code,
			       const char *state, struct hh_appointment *out);

/* Streams organisation org_id's active bookings on local date day, by
 * time, for who (its agents and admins; FORBIDDEN otherwise). */
enum hh_rc hh_appointment_day(struct hh_store *st, struct hh_arena *a,
			      const struct hh_actor *who, int64_t org_id,
			      int64_t day, hh_appointment_cb cb, void *ctx);

/* Streams a signed-in citizen's bookings from now on (active ones), by
 * time. FORBIDDEN for anyone else. */
enum hh_rc hh_appointment_mine(struct hh_store *st, struct hh_arena *a,
			       const struct hh_actor *who, int64_t now,
			       hh_appointment_cb cb, void *ctx);

/* The code grouped for reading: "ABCD-EFGH-JKMN" (arena). */
const char *hh_booking_code_display(struct hh_arena *a, const char *code);

/* The local date (days since 1970-01-01) of instant t, and back from
 * "2026-03-29" (0 and 1 when it is one, else 0). */
int64_t hh_appt_day_of(int64_t t);
int hh_appt_parse_day(const char *s, int64_t *day);

/* The JSON form of a booking for its holder (new reference); with
 * contact: also name, e-mail and phone. */
json_t *hh_appointment_json(struct hh_arena *a, const struct hh_appointment *b,
			    int contact);

#endif
