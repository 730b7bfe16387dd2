/* backup.c - `helhed backup` and `helhed restore` of a SQLite store: the
 * online backup API under one held snapshot, the checks, and the store's
 * lock (backup.h). */
#include "store/backup.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/util.h"

/* ---- files ------------------------------------------------------------- */

/* fsyncs the folder holding path, so that a rename into it is durable. */
static enum hh_rc sync_folder(const char *path)
{
	char *copy = hh_xstrdup(path);
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(copy);
	if (fd < 0)
		return HH_ERR_IO;
	int rc = fsync(fd);
	close(fd);
	return rc == 0 ? HH_OK : HH_ERR_IO;
}

static enum hh_rc sync_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return HH_ERR_IO;
	int rc = fsync(fd);
	close(fd);
	return rc == 0 ? HH_OK : HH_ERR_IO;
}

static void remove_with_journals(const char *path)
{
	static const char *const tails[] = { "", "-journal", "-wal", "-shm" };
	char p[4200];
	for (size_t i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", path, tails[i]);
		unlink(p);
	}
}

enum hh_rc hh_store_copy_private_file(const char *from, const char *to)
{
	char tmp[4200];
	snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", to, (long)getpid());
	int in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return errno == ENOENT ? HH_ERR_NOT_FOUND : HH_ERR_IO;
	unlink(tmp);
	int out = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	enum hh_rc rc = out < 0 ? HH_ERR_IO : HH_OK;
	char buf[8192];
	ssize_t n;
	while (rc == HH_OK && (n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0 || write(out, buf, (size_t)n) != n)
			rc = HH_ERR_IO;
	}
	/* the umask may have taken bits the mode asked for, never added
	 * any; fchmod makes it exactly 0600 */
	if (rc == HH_OK && (fchmod(out, 0600) != 0 || fsync(out) != 0))
		rc = HH_ERR_IO;
	if (out >= 0 && close(out) != 0)
		rc = HH_ERR_IO;
	close(in);
	if (rc == HH_OK && rename(tmp, to) != 0)
		rc = HH_ERR_IO;
	if (rc == HH_OK)
		rc = sync_folder(to);
	else
		unlink(tmp);
	return rc;
}

int hh_store_same_file_content(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	int same = fa && fb;
	while (same) {
		int ca = getc(fa), cb = getc(fb);
		if (ca != cb)
			same = 0;
		else if (ca == EOF)
			break;
	}
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return same;
}

/* ---- the store's lock ---------------------------------------------------- */

enum hh_rc hh_store_sqlite_lock(const char *path, int exclusive, int *fd_out)
{
	/* a few tries: each one that fails found that a restore renamed
	 * another file into place between our open and our lock */
	for (int attempt = 0; attempt < 8; attempt++) {
		int fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0644);
		if (fd < 0)
			return HH_ERR_IO;
		if (flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0) {
			int e = errno;
			close(fd);
			return e == EWOULDBLOCK ? HH_ERR_BUSY : HH_ERR_IO;
		}
		struct stat held, now;
		if (fstat(fd, &held) == 0 && stat(path, &now) == 0 &&
		    held.st_dev == now.st_dev && held.st_ino == now.st_ino) {
			*fd_out = fd;
			return HH_OK;
		}
		close(fd);
	}
	return HH_ERR_BUSY;
}

/* ---- checks -------------------------------------------------------------- */

static void say(char *why, size_t n, const char *fmt, const char *a,
		const char *b)
{
	if (why && n)
		snprintf(why, n, fmt, a, b);
}

/* PRAGMA integrity_check on db: OK when it says "ok"; else INTERNAL with
 * its first complaint in why (IO when it cannot run). */
static enum hh_rc integrity(sqlite3 *db, const char *name, char *why,
			    size_t n)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) !=
	    SQLITE_OK) {
		say(why, n, "cannot check %s: %s", name, sqlite3_errmsg(db));
		return HH_ERR_IO;
	}
	enum hh_rc rc = HH_OK;
	int r = sqlite3_step(st);
	if (r != SQLITE_ROW) {
		say(why, n, "cannot check %s: %s", name, sqlite3_errmsg(db));
		rc = r == SQLITE_NOTADB || r == SQLITE_CORRUPT ? HH_ERR_INTERNAL
							       : HH_ERR_IO;
	} else {
		const char *first = (const char *)sqlite3_column_text(st, 0);
		if (!first || strcmp(first, "ok")) {
			say(why, n, "%s fails SQLite's integrity_check: %s", name,
			    first ? first : "?");
			rc = HH_ERR_INTERNAL;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

/* *schema: the user_version; INVALID when db has not the tables of
 * migration 1 (organisations, articles, events, meta). */
static enum hh_rc helhed_store(sqlite3 *db, const char *name, int *schema,
			       char *why, size_t n)
{
	sqlite3_stmt *st;
	int r = sqlite3_prepare_v2(
		db,
		"SELECT (SELECT count(*) FROM sqlite_master WHERE type = 'table' "
		"AND name IN ('organisations', 'articles', 'events', 'meta')), "
		"(SELECT user_version FROM pragma_user_version)",
		-1, &st, NULL);
	if (r != SQLITE_OK) {
		say(why, n, "%s is no SQLite database (%s)", name,
		    sqlite3_errmsg(db));
		return r == SQLITE_NOTADB ? HH_ERR_INVALID : HH_ERR_IO;
	}
	enum hh_rc rc = HH_OK;
	r = sqlite3_step(st);
	if (r != SQLITE_ROW) {
		say(why, n, "%s is no SQLite database (%s)", name,
		    sqlite3_errmsg(db));
		rc = r == SQLITE_NOTADB ? HH_ERR_INVALID : HH_ERR_IO;
	} else if (sqlite3_column_int(st, 0) != 4 ||
		   sqlite3_column_int(st, 1) < 1) {
		say(why, n, "%s is a SQLite database but no helhed store%s", name,
		    " (it lacks the tables of helhed's first migration)");
		rc = HH_ERR_INVALID;
	} else {
		*schema = sqlite3_column_int(st, 1);
	}
	sqlite3_finalize(st);
	return rc;
}

static enum hh_rc open_db(const char *path, int flags, sqlite3 **db,
			  char *why, size_t n)
{
	if (sqlite3_open_v2(path, db, flags, NULL) != SQLITE_OK) {
		say(why, n, "cannot open %s: %s", path,
		    *db ? sqlite3_errmsg(*db) : "out of memory");
		sqlite3_close_v2(*db);
		*db = NULL;
		return HH_ERR_IO;
	}
	sqlite3_busy_timeout(*db, 5000);
	return HH_OK;
}

/* ---- backup --------------------------------------------------------------- */

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Copies src (its snapshot held by the caller) into dst with the backup
 * API, step_pages a step (-1: all in one). */
static enum hh_rc copy_pages(sqlite3 *src, sqlite3 *dst, int step_pages,
			     int pause_us, struct hh_backup_stats *s,
			     char *why, size_t n)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b) {
		say(why, n, "cannot start the copy: %s%s", sqlite3_errmsg(dst),
		    "");
		return HH_ERR_IO;
	}
	int r;
	for (;;) {
		r = sqlite3_backup_step(b, step_pages);
		s->steps++;
		if (r == SQLITE_DONE)
			break;
		if (r == SQLITE_OK) {
			if (pause_us > 0)
				usleep((useconds_t)pause_us);
			continue;
		}
		if (r == SQLITE_BUSY || r == SQLITE_LOCKED) {
			usleep(10000); /* a checkpoint; it passes */
			continue;
		}
		break;
	}
	s->pages = sqlite3_backup_pagecount(b);
	int fin = sqlite3_backup_finish(b);
	if (r != SQLITE_DONE || fin != SQLITE_OK) {
		say(why, n, "the copy failed: %s%s",
		    sqlite3_errstr(r != SQLITE_DONE ? r : fin), "");
		return (r == SQLITE_NOTADB || fin == SQLITE_NOTADB)
			       ? HH_ERR_INVALID
			       : HH_ERR_IO;
	}
	return HH_OK;
}

enum hh_rc hh_store_backup(const char *db, const char *file, int step_pages,
			   int pause_us, struct hh_backup_stats *stats,
			   char *why, size_t why_size)
{
	struct hh_backup_stats s = { 0 };
	sqlite3 *src = NULL, *dst = NULL;
	char tmp[4200];
	enum hh_rc rc;
	struct stat fs;
	snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", file, (long)getpid());
	if (stat(db, &fs) != 0) {
		say(why, why_size, "no SQLite store %s%s", db, "");
		return HH_ERR_NOT_FOUND;
	}
	/* read-write without create: a read-only connection may not be
	 * able to make the -shm a WAL store needs when no server runs; the
	 * copy writes nothing to it */
	rc = open_db(db, SQLITE_OPEN_READWRITE, &src, why, why_size);
	if (rc != HH_OK) /* a user who may only read the store */
		rc = open_db(db, SQLITE_OPEN_READONLY, &src, why, why_size);
	if (rc != HH_OK)
		goto fail;
	int64_t t0 = mono_us();
	/* the snapshot, held across every step (backup.h) */
	if (sqlite3_exec(src, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		say(why, why_size, "cannot read %s: %s", db, sqlite3_errmsg(src));
		rc = HH_ERR_IO;
		goto fail;
	}
	rc = helhed_store(src, db, &s.schema, why, why_size);
	if (rc != HH_OK)
		goto fail;
	remove_with_journals(tmp);
	rc = open_db(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &dst, why,
		     why_size);
	if (rc != HH_OK)
		goto fail;
	/* the temporary file is thrown away if anything fails, so it needs
	 * no journal and no fsync per step: one fsync at the end */
	sqlite3_exec(dst, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF",
		     NULL, NULL, NULL);
	rc = copy_pages(src, dst, step_pages > 0 ? step_pages : -1, pause_us,
			&s, why, why_size);
	sqlite3_exec(src, "COMMIT", NULL, NULL, NULL); /* let go of it */
	sqlite3_close_v2(src);
	src = NULL;
	if (rc != HH_OK)
		goto fail;
	s.copy_us = mono_us() - t0;
	/* the copy took the store's WAL mode from its first page; a backup
	 * is one self-contained file */
	char *err = NULL;
	if (sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, &err) !=
	    SQLITE_OK) {
		say(why, why_size, "cannot finish the copy: %s%s",
		    err ? err : "?", "");
		sqlite3_free(err);
		rc = HH_ERR_IO;
		goto fail;
	}
	int64_t t1 = mono_us();
	rc = integrity(dst, "the copy", why, why_size);
	s.check_us = mono_us() - t1;
	if (rc != HH_OK)
		goto fail;
	if (sqlite3_close(dst) != SQLITE_OK) {
		say(why, why_size, "cannot close the copy %s%s", tmp, "");
		rc = HH_ERR_IO;
		goto fail;
	}
	dst = NULL;
	if (sync_file(tmp) != HH_OK || rename(tmp, file) != 0 ||
	    sync_folder(file) != HH_OK) {
		say(why, why_size, "cannot write %s: %s", file, strerror(errno));
		rc = HH_ERR_IO;
		goto fail;
	}
	if (stat(file, &fs) == 0)
		s.bytes = fs.st_size;
	if (stats)
		*stats = s;
	return HH_OK;
fail:
	if (src) {
		sqlite3_exec(src, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close_v2(src);
	}
	if (dst)
		sqlite3_close_v2(dst);
	remove_with_journals(tmp);
	return rc;
}

/* ---- restore ---------------------------------------------------------------- */

enum hh_rc hh_store_backup_load(const char *from, const char *to, int *schema,
				char *why, size_t why_size)
{
	struct stat fs;
	if (stat(from, &fs) != 0) {
		say(why, why_size, "no backup file %s%s", from, "");
		return HH_ERR_NOT_FOUND;
	}
	sqlite3 *src = NULL, *dst = NULL;
	struct hh_backup_stats s = { 0 };
	enum hh_rc rc = open_db(from, SQLITE_OPEN_READONLY, &src, why, why_size);
	if (rc == HH_OK) {
		remove_with_journals(to);
		rc = open_db(to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &dst,
			     why, why_size);
	}
	if (rc == HH_OK) {
		rc = copy_pages(src, dst, -1, 0, &s, why, why_size);
		if (rc == HH_ERR_INVALID)
			say(why, why_size, "%s is no SQLite database%s", from,
			    "");
	}
	if (rc == HH_OK) {
		/* rollback journal until the store opens it (WAL then) */
		sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
		rc = integrity(dst, from, why, why_size);
	}
	if (rc == HH_OK)
		rc = helhed_store(dst, from, schema, why, why_size);
	sqlite3_close_v2(src);
	if (dst && sqlite3_close(dst) != SQLITE_OK && rc == HH_OK) {
		say(why, why_size, "cannot close %s%s", to, "");
		rc = HH_ERR_IO;
	}
	return rc;
}

/* Checkpoints the WAL of the store at path into it and lets it go, so
 * that the file alone holds it (to be kept aside) and no -wal of it is
 * left to be applied to the file that replaces it. CONFLICT when
 * another program still reads it. A file that is no database (an
 * empty one, one already lost) has nothing to checkpoint. */
static enum hh_rc checkpoint_old(const char *path, char *why, size_t n)
{
	sqlite3 *db = NULL;
	enum hh_rc rc = open_db(path, SQLITE_OPEN_READWRITE, &db, why, n);
	if (rc != HH_OK)
		return rc;
	sqlite3_busy_timeout(db, 0);
	sqlite3_stmt *st = NULL;
	int r = sqlite3_prepare_v2(db, "PRAGMA wal_checkpoint(TRUNCATE)", -1, &st,
				   NULL);
	if (r == SQLITE_OK)
		r = sqlite3_step(st);
	if (r == SQLITE_ROW && sqlite3_column_int(st, 0) != 0)
		r = SQLITE_BUSY;
	if (r == SQLITE_BUSY || r == SQLITE_LOCKED) {
		say(why, n, "another program has %s open (it is no helhed: "
			    "helhed's lock is free); close it first%s",
		    path, "");
		rc = HH_ERR_CONFLICT;
	} else if (r != SQLITE_ROW && r != SQLITE_DONE && r != SQLITE_NOTADB &&
		   r != SQLITE_CORRUPT) {
		say(why, n, "cannot checkpoint %s: %s", path, sqlite3_errstr(r));
		rc = HH_ERR_IO;
	}
	sqlite3_finalize(st);
	sqlite3_close_v2(db);
	return rc;
}

enum hh_rc hh_store_sqlite_replace(const char *tmp, const char *path,
				   const char *aside, char *why,
				   size_t why_size)
{
	int old_fd = -1, new_fd = -1;
	char p[4200];
	struct stat ws;
	/* the lock makes path when it is missing; a failed restore must
	 * not leave that empty file behind (a server would take it for a
	 * new store) */
	int existed = stat(path, &ws) == 0;
	enum hh_rc rc = hh_store_sqlite_lock(path, 1, &old_fd);
	if (rc == HH_ERR_BUSY) {
		say(why, why_size,
		    "a helhed server or command has %s open (it holds the "
		    "store's lock): stop it first, e.g. 'systemctl stop "
		    "helhed'%s",
		    path, "");
		return HH_ERR_CONFLICT;
	}
	if (rc != HH_OK) {
		say(why, why_size, "cannot open %s: %s", path, strerror(errno));
		return rc;
	}
	/* the store put in place must have no WAL of its own left */
	snprintf(p, sizeof(p), "%s-wal", tmp);
	if (stat(p, &ws) == 0 && ws.st_size > 0) {
		say(why, why_size, "%s still has a WAL; it must be closed%s", tmp,
		    "");
		rc = HH_ERR_INTERNAL;
		goto out;
	}
	rc = hh_store_sqlite_lock(tmp, 1, &new_fd);
	if (rc != HH_OK) {
		say(why, why_size, "cannot lock %s%s", tmp, "");
		rc = HH_ERR_CONFLICT;
		goto out;
	}
	struct stat os;
	if (fstat(old_fd, &os) == 0 && os.st_size > 0) {
		rc = checkpoint_old(path, why, why_size);
		if (rc != HH_OK)
			goto out;
		if (aside) {
			unlink(aside);
			if (link(path, aside) != 0) {
				say(why, why_size, "cannot keep the old store as "
						   "%s: %s",
				    aside, strerror(errno));
				rc = HH_ERR_IO;
				goto out;
			}
		}
	}
	if (sync_file(tmp) != HH_OK || rename(tmp, path) != 0 ||
	    sync_folder(path) != HH_OK) {
		say(why, why_size, "cannot put the store in place at %s: %s", path,
		    strerror(errno));
		rc = HH_ERR_IO;
		goto out;
	}
	/* what is left of the old store's WAL (empty after the
	 * checkpoint) and its index belong to the file replaced */
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
	rc = HH_OK;
out:
	if (rc != HH_OK && !existed && old_fd >= 0 &&
	    fstat(old_fd, &ws) == 0 && ws.st_size == 0)
		unlink(path);
	if (new_fd >= 0)
		close(new_fd);
	if (old_fd >= 0)
		close(old_fd);
	return rc;
}

/* ---- upgrades ---------------------------------------------------------- */

extern const char *const hh_sqlite_migrations[];
extern const char *const hh_pg_migrations[];

int hh_store_migration_name(const char *backend, int level, char *out,
			    size_t out_size)
{
	const char *const *m = strcmp(backend, "sqlite") ? hh_pg_migrations
							 : hh_sqlite_migrations;
	for (int i = 0; i < level; i++)
		if (!m[i])
			return 0;
	if (level < 1)
		return 0;
	const char *sql = m[level - 1];
	size_t n = 0;
	if (!strncmp(sql, "-- ", 3)) {
		sql += 3;
		n = strcspn(sql, " \n");
	}
	if (n > 5 && n < out_size && !strncmp(sql + n - 4, ".sql", 4))
		snprintf(out, out_size, "%.*s", (int)n, sql);
	else
		snprintf(out, out_size, "migration %d", level);
	return 1;
}

enum hh_rc hh_store_sqlite_schema(const char *path, int *version)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	enum hh_rc rc = open_db(path, SQLITE_OPEN_READONLY, &db, NULL, 0);
	if (rc != HH_OK)
		return rc;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) ==
		    SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		*version = sqlite3_column_int(st, 0);
	else
		rc = HH_ERR_IO;
	sqlite3_finalize(st);
	sqlite3_close_v2(db);
	return rc;
}
