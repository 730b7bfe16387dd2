/* kle.h - the KLE classification: KL's emneplan imported from its XML
 * (`helhed import-kle FILE`), and the titles of the KLE numbers that
 * articles, case types and cases carry.
 *
 * KLE (Kommunernes Landsforenings Emnesystematik) is KL's: a municipality
 * that subscribes downloads the emneplan as XML and imports it; helhed
 * ships none of it. The format read is KLE-XML version 2.0, the root
 * element KLE-Emneplan (KL's schema KLE-Emneplan-version-2-0.xsd, dated
 * 2011-02-15; docs/content-format.md, "The KLE emneplan"):
 *
 *   <KLE-Emneplan>
 *     <UdgivelsesDato>2026-06-01</UdgivelsesDato>
 *     <Hovedgruppe>
 *       <HovedgruppeNr>16</HovedgruppeNr>
 *       <HovedgruppeTitel>...</HovedgruppeTitel>
 *       <HovedgruppeAdministrativInfo>
 *         <OprettetDato>1988-01-01</OprettetDato>
 *         <Historisk><UdgaaetDato>...</UdgaaetDato></Historisk>
 *       </HovedgruppeAdministrativInfo>
 *       <Gruppe>
 *         <GruppeNr>16.10</GruppeNr> ... the same, then
 *         <Emne><EmneNr>16.10.00</EmneNr> ... </Emne>
 *
 * Only the numbers, titles and the days in and out of use are kept; the
 * guidance texts, legal references, filters and keeping rules are read
 * past. The handlingsfacetter (KLE-Handlingsfacetter, the "G01" of a
 * journal number) are another file and not read. */
#ifndef HH_DOMAIN_KLE_H
#define HH_DOMAIN_KLE_H

#include <stdio.h>

#include "core/arena.h"
#include "core/rc.h"
#include "store/store.h"

/* The store settings an import writes: the file's publication day and
 * when it was imported (seconds). */
#define HH_KLE_PUBLISHED_KEY "kle_published"
#define HH_KLE_IMPORTED_KEY "kle_imported_at"

/* What an import found and did. */
struct hh_kle_import_stats {
	char published[11]; /* the file's UdgivelsesDato, YYYY-MM-DD */
	int main_groups, groups, subjects; /* in the file */
	int added;     /* numbers new to the store */
	int changed;   /* title, level or days changed */
	int retired;   /* newly out of use: marked so by KL, or not in the
			  file any more (in_use_to: the file's day) */
	int unchanged;
};

/* Imports KL's emneplan XML at path into the store, in one write
 * transaction: numbers new to the store are added, those whose title or
 * days differ are written again, and numbers in the store that the file
 * no longer has are marked out of use from the file's publication day
 * (never deleted: old cases keep their numbers). Importing the same file
 * again changes nothing.
 *
 * The whole file is read and checked before anything is written. A file
 * that is not well-formed XML (broken UTF-8 included), has another root
 * element, a number in the wrong form or outside its parent, a number
 * twice, a title missing, a day not YYYY-MM-DD, or no main group at all
 * is reported on errs as "PATH:LINE: message" and INVALID returned with
 * nothing written. IO when the file cannot be opened (reported too). */
enum hh_rc hh_kle_import(struct hh_store *st, const char *path, FILE *errs,
			 struct hh_kle_import_stats *out);

/* Reads and checks the text of an emneplan file (len bytes) as
 * hh_kle_import does, writing nothing: 0 and *n the numbers it holds,
 * or -1 after reporting "(text):LINE: message" on errs (may be NULL).
 * For the fuzz target (tests/fuzz/fuzz_kle.c). */
int hh_kle_check(const char *data, size_t len, FILE *errs, int *n);

/* The level of a KLE number written "NN" (1), "NN.NN" (2) or "NN.NN.NN"
 * (3); 0 for anything else. */
int hh_kle_level(const char *number);

/* ---- titles: the one lookup the pages and the API use ------------------
 *
 * The imported title of each kle[i] into title[i] (in a; NULL when none
 * was imported, or kle[i] is NULL or not a KLE number). A kle may be a
 * number ("16", "16.10", "16.10.00") or a journal number
 * ("24.00.00-G01-17-26": its subject's title). Titles of numbers out of
 * use are given too: old cases keep their numbers. A store error is
 * returned as such (titles then NULL). */
enum hh_rc hh_kle_titles_tx(struct hh_tx *tx, struct hh_arena *a, int n,
			    const char *const *kle, const char **title);
enum hh_rc hh_kle_titles(struct hh_store *st, struct hh_arena *a, int n,
			 const char *const *kle, const char **title);
/* One title, in its own read transaction; NULL when none or on an error
 * (a page shows the number alone then). */
const char *hh_kle_title(struct hh_store *st, struct hh_arena *a,
			 const char *kle);

/* The titles of the imported main groups into title[0..99] (by group;
 * in a; NULL: none), inside tx. For the citizens' topic names
 * (domain/topics.h), where content/topics.json names no topic. */
enum hh_rc hh_kle_main_titles_tx(struct hh_tx *tx, struct hh_arena *a,
				 const char *title[100]);

#endif
