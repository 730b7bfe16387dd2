/* backup.h - `helhed backup` and `helhed restore` of a SQLite store
 * (issue 17, point 5): a consistent copy taken while the server serves,
 * and putting one back in place of a store nobody holds.
 *
 * A store-level tool like copy.h: it works on the SQLite file with SQLite
 * itself (the online backup API), below the domain; the command line
 * (src/main.c) adds the key file and the migration (domain/health.h).
 * docs/backup.md is the operator's guide. */
#ifndef HH_STORE_BACKUP_H
#define HH_STORE_BACKUP_H

#include <stddef.h>
#include <stdint.h>

#include "core/rc.h"

/* What a backup did. */
struct hh_backup_stats {
	int schema;         /* the store's schema version (user_version) */
	int64_t pages;      /* pages copied */
	int64_t bytes;      /* size of the backup file */
	int steps;          /* sqlite3_backup_step calls */
	int64_t copy_us;    /* copying, from the snapshot's start */
	int64_t check_us;   /* integrity_check of the copy */
};

/* Pages per sqlite3_backup_step: 1,024 pages of 4 KiB, 4 MiB a step. */
#define HH_BACKUP_STEP_PAGES 1024

/* Copies the SQLite store db into file, while others read and write db.
 * One read transaction on a connection of its own is held for the whole
 * copy, so the copy is the store as of its start (every transaction
 * committed before it, none after) and the steps never restart on
 * another connection's commit; in WAL mode that reader blocks no writer
 * (the WAL grows until it ends, since it cannot be checkpointed past the
 * snapshot). step_pages pages a step, pause_us microseconds between steps
 * (0: none). The copy goes to a temporary file beside file, is put in
 * rollback-journal mode (one self-contained file), must pass PRAGMA
 * integrity_check, is fsynced, and is then renamed to file (the folder
 * fsynced too); on any failure the temporary file is removed and file
 * is left as it was.
 *
 * OK and *stats (may be NULL); NOT_FOUND when db does not exist;
 * INVALID when db is no helhed store; IO when a file cannot be read or
 * written; INTERNAL when the copy fails its integrity check. why gets a
 * sentence for the operator on any error. */
enum hh_rc hh_store_backup(const char *db, const char *file, int step_pages,
			   int pause_us, struct hh_backup_stats *stats,
			   char *why, size_t why_size);

/* Copies the SQLite database from (read only) to the new file to, with
 * the backup API in one step, and checks the copy: PRAGMA
 * integrity_check, and that it is a helhed store (the tables of
 * migration 1); *schema gets its schema version. The copy is left in to
 * even when a check fails (the caller removes it). NOT_FOUND when from
 * does not exist, INVALID when it is no SQLite database or no helhed
 * store, INTERNAL when it fails integrity_check, IO otherwise; why says
 * which. */
enum hh_rc hh_store_backup_load(const char *from, const char *to, int *schema,
				char *why, size_t why_size);

/* The store's lock, the rule restore relies on: every helhed process that
 * opens a SQLite store (hh_store_open_sqlite) holds a shared flock(2) on
 * the database file while it has it open; restore takes it exclusively,
 * without waiting, on the file it replaces and on the one it puts in
 * place. So restore never replaces a store a server (or any helhed
 * command) has open, and no helhed opens a store while it is replaced.
 * flock locks are apart from the POSIX locks SQLite takes itself.
 *
 * Takes the lock on path (the file is created, empty, when missing; an
 * empty file is an empty SQLite database), checking that the file locked
 * is still the one at path (a restore may have renamed another into
 * place meanwhile). *fd gets the descriptor that holds it (close it to
 * let go). BUSY when another process holds it in the other mode, IO when
 * the file cannot be opened. */
enum hh_rc hh_store_sqlite_lock(const char *path, int exclusive, int *fd);

/* Puts the SQLite file tmp (a checked, migrated store no process has
 * open, in the same folder) in place of path, atomically (rename), under
 * the exclusive lock on both: CONFLICT (why says so) when a helhed
 * process holds path, or when another program reads it. The store it
 * replaces, if any, has its WAL checkpointed into it first and is kept
 * as aside (a hard link; an older aside is replaced) when aside is not
 * NULL. tmp is fsynced before the rename and the folder after it; the
 * old store's -wal and -shm files are removed. IO on a file error. */
enum hh_rc hh_store_sqlite_replace(const char *tmp, const char *path,
				   const char *aside, char *why,
				   size_t why_size);

/* Copies the file from to to with mode 0600 through a temporary file
 * beside to, fsynced and renamed (the folder fsynced): for key files.
 * NOT_FOUND when from does not exist, IO otherwise on failure. */
enum hh_rc hh_store_copy_private_file(const char *from, const char *to);

/* 1 when the files a and b have the same bytes (both must exist). */
int hh_store_same_file_content(const char *a, const char *b);

/* ---- upgrades (issue 17, point 6) ---- */

/* The file name of migration level (1: the first) of the backend named
 * backend ("sqlite" or "postgres", struct hh_store's name), from the
 * first line of its SQL ("-- 0037_figures_cover_pg.sql - ..."), into
 * out; "migration N" when it has none. The schema version counts the
 * migrations applied, so level and the file's number differ where a
 * number was never used (0018). 0 when there is no such level. */
/* The schema version (user_version) of the SQLite file at path, read
 * on a read-only connection that changes nothing (the store's own open
 * would put the file in WAL mode). IO when it cannot be read. */
enum hh_rc hh_store_sqlite_schema(const char *path, int *version);

int hh_store_migration_name(const char *backend, int level, char *out,
			    size_t out_size);

#endif
