/* copy.c - `helhed copy`: a SQLite database into an empty PostgreSQL
 * database, every row and every id kept (issue 14, point 5; copy.h).
 *
 * Why not export and import: `helhed export` writes the content
 * (articles, life events, synonyms, pins), not cases, citizens, the
 * event log or the audit log, and an import makes new ids. A
 * municipality that moves keeps its history, its journal numbers and
 * every link that carries an id, so the copy goes below the domain,
 * table by table, with the ids as they are.
 *
 * The two schemas are the same tables with the same columns
 * (test_store_pg checks it), so the column list is read from PostgreSQL
 * and the same columns are selected from SQLite. Tables are copied
 * parents first (the foreign keys read from pg_constraint), through
 * COPY ... FROM STDIN in text format, in one transaction that holds the
 * migration lock, so a copy and a starting instance never interleave and
 * a failure leaves the target as it was. */
#include "store/copy.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/util.h"
#include "store/postgres.h"

/* COPY data is sent in pieces of about this many bytes. */
#define COPY_CHUNK (256 * 1024)

struct col {
	char *name;
	int is_bytea;
};

struct table {
	char *name;
	struct col *cols;
	int n_cols;
	int n_parents; /* foreign keys to tables not copied yet */
	int done;
	int64_t rows;
};

/* A foreign key from child to parent (NULL: a table not copied). */
struct fkey {
	struct table *child, *parent;
};

struct copy {
	sqlite3 *sq;
	PGconn *pg;
	struct table *t;
	int n;
	struct fkey *keys;
	int n_keys;
	char *why;
	size_t why_size;
	FILE *progress;
};

static enum hh_rc say(struct copy *c, enum hh_rc rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum hh_rc say(struct copy *c, enum hh_rc rc, const char *fmt, ...)
{
	if (c->why && c->why_size) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(c->why, c->why_size, fmt, ap);
		va_end(ap);
		/* libpq's messages end in a newline */
		size_t n = strlen(c->why);
		while (n && c->why[n - 1] == '\n')
			c->why[--n] = 0;
	}
	return rc;
}

/* A PostgreSQL statement without parameters; the result (new) in *out
 * when out is not NULL. */
static enum hh_rc pg_run(struct copy *c, const char *sql, PGresult **out)
{
	PGresult *r = PQexec(c->pg, sql);
	ExecStatusType st = PQresultStatus(r);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		enum hh_rc rc = PQstatus(c->pg) == CONNECTION_OK ? HH_ERR_INVALID
								 : HH_ERR_IO;
		say(c, rc, "PostgreSQL: %s", PQresultErrorMessage(r));
		PQclear(r);
		return rc;
	}
	if (out)
		*out = r;
	else
		PQclear(r);
	return HH_OK;
}

static struct table *find_table(struct copy *c, const char *name)
{
	for (int i = 0; i < c->n; i++)
		if (!strcmp(c->t[i].name, name))
			return &c->t[i];
	return NULL;
}

/* A name as a quoted SQL identifier (both dialects) into b. */
static void put_ident(struct hh_buf *b, const char *name)
{
	hh_buf_putc(b, '"');
	for (const char *p = name; *p; p++) {
		if (*p == '"')
			hh_buf_putc(b, '"');
		hh_buf_putc(b, *p);
	}
	hh_buf_putc(b, '"');
}

/* ---- what the two databases hold ---------------------------------------- */

static enum hh_rc schema_versions(struct copy *c, int *version)
{
	sqlite3_stmt *q = NULL;
	int sv = -1;
	if (sqlite3_prepare_v2(c->sq, "PRAGMA user_version", -1, &q, NULL) ==
		    SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW)
		sv = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	if (sv < 0)
		return say(c, HH_ERR_IO, "SQLite: cannot read the schema version: %s",
			   sqlite3_errmsg(c->sq));
	if (sv == 0)
		return say(c, HH_ERR_INVALID,
			   "the SQLite file has no helhed schema (version 0)");
	int pv = 0;
	if (hh_pg_schema_version(c->pg, &pv) != HH_OK)
		return say(c, HH_ERR_IO, "PostgreSQL: %s", PQerrorMessage(c->pg));
	if (pv != sv)
		return say(c, HH_ERR_INVALID,
			   "schema versions differ: the SQLite file is at %d, "
			   "the PostgreSQL database at %d; run 'helhed migrate "
			   "--db' on both with this helhed first, so that both "
			   "are at the same version",
			   sv, pv);
	*version = sv;
	return HH_OK;
}

/* The tables and their columns, from PostgreSQL; each must be in the
 * SQLite file with the same columns, and the file must have no other
 * table (its rows would be lost). */
static enum hh_rc read_tables(struct copy *c)
{
	PGresult *r;
	enum hh_rc rc = pg_run(c,
		"SELECT t.relname, a.attname, a.atttypid = 'bytea'::regtype "
		"FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace "
		"JOIN pg_attribute a ON a.attrelid = t.oid "
		"WHERE n.nspname = current_schema() AND t.relkind IN ('r', 'p') "
		"AND t.relname <> 'helhed_schema' AND a.attnum > 0 "
		"AND NOT a.attisdropped AND a.attgenerated = '' "
		"ORDER BY t.relname, a.attnum", &r);
	if (rc != HH_OK)
		return rc;
	int rows = PQntuples(r);
	c->t = hh_xcalloc((size_t)rows + 1, sizeof(*c->t));
	for (int i = 0; i < rows; i++) {
		const char *tn = PQgetvalue(r, i, 0);
		struct table *t = c->n ? &c->t[c->n - 1] : NULL;
		if (!t || strcmp(t->name, tn)) {
			t = &c->t[c->n++];
			t->name = hh_xstrdup(tn);
			t->cols = hh_xcalloc((size_t)rows, sizeof(*t->cols));
		}
		struct col *k = &t->cols[t->n_cols++];
		k->name = hh_xstrdup(PQgetvalue(r, i, 1));
		k->is_bytea = PQgetvalue(r, i, 2)[0] == 't';
	}
	PQclear(r);
	if (c->n == 0)
		return say(c, HH_ERR_INVALID,
			   "the PostgreSQL database has no tables; run 'helhed "
			   "migrate --db URL' first");

	/* the file's tables: the same names, the same columns */
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(c->sq,
		"SELECT m.name, p.name FROM sqlite_master m, "
		"pragma_table_info(m.name) p WHERE m.type = 'table' "
		"AND m.name NOT LIKE 'sqlite_%'", -1, &q, NULL) != SQLITE_OK)
		return say(c, HH_ERR_IO, "SQLite: %s", sqlite3_errmsg(c->sq));
	int n_sq = 0;
	rc = HH_OK;
	while (rc == HH_OK && sqlite3_step(q) == SQLITE_ROW) {
		const char *tn = (const char *)sqlite3_column_text(q, 0);
		const char *cn = (const char *)sqlite3_column_text(q, 1);
		struct table *t = find_table(c, tn);
		int found = 0;
		for (int i = 0; t && i < t->n_cols && !found; i++)
			found = !strcmp(t->cols[i].name, cn);
		if (!found)
			rc = say(c, HH_ERR_INVALID,
				 "the SQLite file has %s.%s, the PostgreSQL "
				 "database does not: not the same schema",
				 tn, cn);
		n_sq++;
	}
	sqlite3_finalize(q);
	if (rc != HH_OK)
		return rc;
	int n_pg = 0;
	for (int i = 0; i < c->n; i++)
		n_pg += c->t[i].n_cols;
	if (n_pg != n_sq)
		return say(c, HH_ERR_INVALID,
			   "the PostgreSQL database has %d columns, the SQLite "
			   "file %d: not the same schema",
			   n_pg, n_sq);
	return HH_OK;
}

/* The file's meta value of key (new; NULL when none). */
static char *file_meta(struct copy *c, const char *key)
{
	sqlite3_stmt *q;
	char *v = NULL;
	if (sqlite3_prepare_v2(c->sq, "SELECT value FROM meta WHERE key = ?1",
			       -1, &q, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
		v = hh_xstrdup((const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	return v;
}

/* The key file's fingerprints that `helhed migrate --key-file` noted in
 * meta (cpr_keys) must be the file's: the sealed CPR numbers are copied
 * as they are, so PostgreSQL needs the same key file. */
static enum hh_rc check_keys(struct copy *c)
{
	PGresult *r;
	enum hh_rc rc = pg_run(c, "SELECT value FROM meta WHERE key = 'cpr_keys'",
			       &r);
	if (rc != HH_OK)
		return rc;
	if (PQntuples(r) > 0) {
		char *mine = file_meta(c, "cpr_keys");
		if (!mine || strcmp(mine, PQgetvalue(r, 0, 0)))
			rc = say(c, HH_ERR_INVALID,
				 "the PostgreSQL database was migrated with "
				 "another key file than the one the SQLite "
				 "file's CPR numbers are sealed with (keys %s "
				 "there, %s in the file); make a new database "
				 "and migrate it with --key-file set to the "
				 "SQLite file's key file",
				 PQgetvalue(r, 0, 0), mine ? mine : "none");
		free(mine);
	}
	PQclear(r);
	if (rc == HH_OK)
		rc = pg_run(c, "DELETE FROM meta WHERE key = 'cpr_keys'", NULL);
	return rc;
}

/* Nothing may be in the target but what a fresh migration leaves there:
 * id_counters' row of migration 0005 and meta's note of the key file
 * (the file has its own of both). */
static enum hh_rc check_empty(struct copy *c)
{
	struct hh_buf sql;
	hh_buf_init(&sql);
	enum hh_rc rc = HH_OK;
	for (int i = 0; i < c->n && rc == HH_OK; i++) {
		if (!strcmp(c->t[i].name, "id_counters"))
			continue;
		hh_buf_reset(&sql);
		hh_buf_puts(&sql, "SELECT 1 FROM ");
		put_ident(&sql, c->t[i].name);
		if (!strcmp(c->t[i].name, "meta"))
			hh_buf_puts(&sql, " WHERE key <> 'cpr_keys'");
		hh_buf_puts(&sql, " LIMIT 1");
		PGresult *r;
		rc = pg_run(c, hh_buf_str(&sql), &r);
		if (rc != HH_OK)
			break;
		if (PQntuples(r) > 0)
			rc = say(c, HH_ERR_INVALID,
				 "the PostgreSQL database is not empty (table "
				 "%s has rows); copy only into a new database "
				 "that 'helhed migrate' has just made",
				 c->t[i].name);
		PQclear(r);
	}
	hh_buf_clear(&sql);
	if (rc == HH_OK)
		rc = check_keys(c);
	if (rc == HH_OK)
		rc = pg_run(c, "DELETE FROM id_counters", NULL);
	return rc;
}

/* Reads the foreign keys between tables once: each table's count of
 * parents (copied first), and which table each key points to. */
static enum hh_rc read_parents(struct copy *c)
{
	PGresult *r;
	enum hh_rc rc = pg_run(c,
		"SELECT DISTINCT k.relname, p.relname FROM pg_constraint f "
		"JOIN pg_class k ON k.oid = f.conrelid "
		"JOIN pg_class p ON p.oid = f.confrelid "
		"JOIN pg_namespace n ON n.oid = k.relnamespace "
		"WHERE f.contype = 'f' AND n.nspname = current_schema() "
		"AND f.conrelid <> f.confrelid", &r);
	if (rc != HH_OK)
		return rc;
	c->keys = hh_xcalloc((size_t)PQntuples(r) + 1, sizeof(*c->keys));
	for (int i = 0; i < PQntuples(r); i++) {
		struct table *t = find_table(c, PQgetvalue(r, i, 0));
		if (!t)
			continue;
		t->n_parents++;
		c->keys[c->n_keys].child = t;
		c->keys[c->n_keys++].parent = find_table(c, PQgetvalue(r, i, 1));
	}
	PQclear(r);
	return HH_OK;
}

/* After table t is copied, its children have one parent fewer to wait
 * for. */
static void parent_done(struct copy *c, const struct table *t)
{
	for (int i = 0; i < c->n_keys; i++)
		if (c->keys[i].parent == t)
			c->keys[i].child->n_parents--;
}

/* ---- one table ------------------------------------------------------------ */

/* One SQLite value in COPY's text format (NULL is \N; backslash, tab,
 * newline and carriage return escaped; bytea as \\x and hex digits). */
static void put_value(struct hh_buf *b, sqlite3_stmt *q, int i, int is_bytea)
{
	static const char hex[] = "0123456789abcdef";
	int type = sqlite3_column_type(q, i);
	if (type == SQLITE_NULL) {
		hh_buf_puts(b, "\\N");
		return;
	}
	if (is_bytea) {
		/* a BLOB column holds bytes even where SQLite stored text */
		const unsigned char *p = sqlite3_column_blob(q, i);
		int n = sqlite3_column_bytes(q, i);
		hh_buf_puts(b, "\\\\x");
		for (int k = 0; k < n; k++) {
			hh_buf_putc(b, hex[p[k] >> 4]);
			hh_buf_putc(b, hex[p[k] & 15]);
		}
		return;
	}
	switch (type) {
	case SQLITE_INTEGER:
		hh_buf_printf(b, "%lld", (long long)sqlite3_column_int64(q, i));
		return;
	case SQLITE_FLOAT:
		hh_buf_printf(b, "%.17g", sqlite3_column_double(q, i));
		return;
	default: {
		const unsigned char *p = sqlite3_column_text(q, i);
		int n = sqlite3_column_bytes(q, i);
		for (int k = 0; k < n; k++) {
			switch (p[k]) {
			case '\\': hh_buf_puts(b, "\\\\"); break;
			case '\t': hh_buf_puts(b, "\\t"); break;
			case '\n': hh_buf_puts(b, "\\n"); break;
			case '\r': hh_buf_puts(b, "\\r"); break;
			default: hh_buf_putc(b, (char)p[k]);
			}
		}
	}
	}
}

static enum hh_rc send_chunk(struct copy *c, struct hh_buf *b)
{
	if (b->len == 0)
		return HH_OK;
	if (PQputCopyData(c->pg, hh_buf_str(b), (int)b->len) != 1)
		return say(c, HH_ERR_IO, "PostgreSQL: %s", PQerrorMessage(c->pg));
	hh_buf_reset(b);
	return HH_OK;
}

static enum hh_rc copy_table(struct copy *c, struct table *t)
{
	struct hh_buf sel, data;
	hh_buf_init(&sel);
	hh_buf_init(&data);
	sqlite3_stmt *q = NULL;
	enum hh_rc rc = HH_OK;

	/* the same column list on both sides */
	struct hh_buf cols;
	hh_buf_init(&cols);
	for (int i = 0; i < t->n_cols; i++) {
		if (i)
			hh_buf_puts(&cols, ", ");
		put_ident(&cols, t->cols[i].name);
	}
	hh_buf_printf(&sel, "SELECT %s FROM ", hh_buf_str(&cols));
	put_ident(&sel, t->name);
	if (sqlite3_prepare_v2(c->sq, hh_buf_str(&sel), -1, &q, NULL) !=
	    SQLITE_OK) {
		rc = say(c, HH_ERR_IO, "SQLite: %s: %s", t->name,
			 sqlite3_errmsg(c->sq));
		goto fail;
	}
	hh_buf_reset(&sel);
	hh_buf_puts(&sel, "COPY ");
	put_ident(&sel, t->name);
	hh_buf_printf(&sel, " (%s) FROM STDIN", hh_buf_str(&cols));
	PGresult *r = PQexec(c->pg, hh_buf_str(&sel));
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		rc = say(c, HH_ERR_IO, "PostgreSQL: %s", PQresultErrorMessage(r));
		PQclear(r);
		goto fail;
	}
	PQclear(r);

	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		for (int i = 0; i < t->n_cols; i++) {
			if (i)
				hh_buf_putc(&data, '\t');
			put_value(&data, q, i, t->cols[i].is_bytea);
		}
		hh_buf_putc(&data, '\n');
		t->rows++;
		if (data.len >= COPY_CHUNK && (rc = send_chunk(c, &data)) != HH_OK)
			break;
	}
	if (rc == HH_OK && step != SQLITE_DONE)
		rc = say(c, HH_ERR_IO, "SQLite: %s: %s", t->name,
			 sqlite3_errmsg(c->sq));
	if (rc == HH_OK)
		rc = send_chunk(c, &data);
	/* end the COPY either way; an error message aborts it */
	if (PQputCopyEnd(c->pg, rc == HH_OK ? NULL : "helhed copy failed") != 1 &&
	    rc == HH_OK)
		rc = say(c, HH_ERR_IO, "PostgreSQL: %s", PQerrorMessage(c->pg));
	while ((r = PQgetResult(c->pg)) != NULL) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK && rc == HH_OK)
			rc = say(c, PQstatus(c->pg) == CONNECTION_OK
					    ? HH_ERR_INVALID
					    : HH_ERR_IO,
				 "PostgreSQL refused a row of %s: %s", t->name,
				 PQresultErrorMessage(r));
		PQclear(r);
	}
fail:
	sqlite3_finalize(q);
	hh_buf_clear(&cols);
	hh_buf_clear(&sel);
	hh_buf_clear(&data);
	return rc;
}

/* ---- after the rows --------------------------------------------------------- */

/* Each identity column's sequence past the largest id copied: an
 * identity does not move on when rows come with explicit ids. */
static enum hh_rc move_identities(struct copy *c, int *moved)
{
	PGresult *r;
	enum hh_rc rc = pg_run(c,
		"SELECT format('SELECT setval(pg_get_serial_sequence(%L, %L), "
		"max(%I)) FROM %I HAVING max(%I) IS NOT NULL', "
		"quote_ident(table_name), column_name, column_name, table_name, "
		"column_name) FROM information_schema.columns "
		"WHERE table_schema = current_schema() AND is_identity = 'YES'",
		&r);
	if (rc != HH_OK)
		return rc;
	for (int i = 0; i < PQntuples(r) && rc == HH_OK; i++) {
		PGresult *s;
		rc = pg_run(c, PQgetvalue(r, i, 0), &s);
		if (rc == HH_OK) {
			*moved += PQntuples(s);
			PQclear(s);
		}
	}
	PQclear(r);
	return rc;
}

/* Every table's row count in PostgreSQL (in this transaction) against
 * the file's. */
static enum hh_rc check_counts(struct copy *c)
{
	struct hh_buf sql;
	hh_buf_init(&sql);
	enum hh_rc rc = HH_OK;
	for (int i = 0; i < c->n && rc == HH_OK; i++) {
		struct table *t = &c->t[i];
		hh_buf_reset(&sql);
		hh_buf_puts(&sql, "SELECT count(*) FROM ");
		put_ident(&sql, t->name);
		sqlite3_stmt *q;
		int64_t in_file = -1;
		if (sqlite3_prepare_v2(c->sq, hh_buf_str(&sql), -1, &q, NULL) ==
			    SQLITE_OK &&
		    sqlite3_step(q) == SQLITE_ROW)
			in_file = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
		PGresult *r;
		rc = pg_run(c, hh_buf_str(&sql), &r);
		if (rc != HH_OK)
			break;
		int64_t in_pg = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		PQclear(r);
		if (in_file != in_pg || in_pg != t->rows)
			rc = say(c, HH_ERR_INTERNAL,
				 "table %s: %lld rows in the file, %lld copied, "
				 "%lld in PostgreSQL; nothing was written",
				 t->name, (long long)in_file, (long long)t->rows,
				 (long long)in_pg);
	}
	hh_buf_clear(&sql);
	return rc;
}

/* ---- the whole copy ------------------------------------------------------- */

/* VACUUM (ANALYZE) of the tables that got rows (after the commit: VACUUM
 * runs outside a transaction); HH_OK when there were none. */
static enum hh_rc analyse_filled(struct copy *c)
{
	struct hh_buf sql;
	hh_buf_init(&sql);
	hh_buf_puts(&sql, "VACUUM (ANALYZE) ");
	int n = 0;
	for (int i = 0; i < c->n; i++) {
		if (!c->t[i].rows)
			continue;
		char *id = PQescapeIdentifier(c->pg, c->t[i].name,
					      strlen(c->t[i].name));
		if (!id)
			continue; /* not analysed now: autovacuum will */
		if (n++)
			hh_buf_puts(&sql, ", ");
		hh_buf_puts(&sql, id);
		PQfreemem(id);
	}
	enum hh_rc rc = n ? pg_run(c, hh_buf_str(&sql), NULL) : HH_OK;
	hh_buf_clear(&sql);
	return rc;
}

static enum hh_rc copy_all(struct copy *c, struct hh_copy_stats *st)
{
	enum hh_rc rc = schema_versions(c, &st->schema);
	if (rc == HH_OK)
		rc = read_tables(c);
	if (rc == HH_OK)
		rc = check_empty(c);
	if (rc == HH_OK)
		rc = read_parents(c);
	for (int left = c->n; rc == HH_OK && left > 0; left--) {
		/* the first table (by name) whose parents are all in */
		struct table *t = NULL;
		for (int i = 0; i < c->n && !t; i++)
			if (!c->t[i].done && c->t[i].n_parents <= 0)
				t = &c->t[i];
		if (!t)
			return say(c, HH_ERR_INTERNAL,
				   "the foreign keys form a cycle; cannot "
				   "order the tables");
		rc = copy_table(c, t);
		if (rc != HH_OK)
			break;
		t->done = 1;
		st->tables++;
		st->rows += t->rows;
		if (c->progress)
			fprintf(c->progress, "  %-28s %10lld rows\n", t->name,
				(long long)t->rows);
		parent_done(c, t);
	}
	if (rc == HH_OK)
		rc = move_identities(c, &st->identities);
	if (rc == HH_OK)
		rc = check_counts(c);
	return rc;
}

enum hh_rc hh_store_copy(const char *file, const char *url, FILE *progress,
			 struct hh_copy_stats *stats, char *why,
			 size_t why_size)
{
	struct copy c = { .why = why, .why_size = why_size,
			  .progress = progress };
	struct hh_copy_stats st = { 0 };
	enum hh_rc rc = HH_OK;
	int in_pg_tx = 0, in_sq_tx = 0;
	if (why && why_size)
		why[0] = 0;

	if (sqlite3_open_v2(file, &c.sq, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		rc = say(&c, HH_ERR_IO, "cannot open the SQLite file %s: %s", file,
			 c.sq ? sqlite3_errmsg(c.sq) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(c.sq, 5000);
	c.pg = PQconnectdb(url);
	if (PQstatus(c.pg) != CONNECTION_OK) {
		rc = say(&c, HH_ERR_IO, "cannot connect to PostgreSQL: %s",
			 PQerrorMessage(c.pg));
		goto fail;
	}
	rc = pg_run(&c, "SET client_encoding = 'UTF8'; "
			"SET standard_conforming_strings = on; "
			"SET client_min_messages = warning", NULL);
	if (rc != HH_OK)
		goto fail;
	/* one snapshot of the file, also while a server still writes it */
	if (sqlite3_exec(c.sq, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		rc = say(&c, HH_ERR_IO, "SQLite: %s", sqlite3_errmsg(c.sq));
		goto fail;
	}
	in_sq_tx = 1;
	rc = pg_run(&c, "BEGIN", NULL);
	if (rc != HH_OK)
		goto fail;
	in_pg_tx = 1;
	char lock[64];
	snprintf(lock, sizeof(lock), "SELECT pg_advisory_xact_lock(%d)",
		 HH_PG_MIGRATE_LOCK_KEY); /* no instance migrates, and no
					     second copy starts, meanwhile */
	rc = pg_run(&c, lock, NULL);
	if (rc == HH_OK)
		rc = copy_all(&c, &st);
	if (rc == HH_OK) {
		rc = pg_run(&c, "COMMIT", NULL);
		in_pg_tx = 0;
	}
	/* The planner has no statistics of tables filled in one go until
	 * autovacuum comes by, and would plan the first requests on the
	 * copy blind. Nor are the copied rows marked visible to all in the
	 * visibility map until a VACUUM: index-only scans (the case
	 * lists' totals, migrations-pg/0031) read the table for each row
	 * until then, and the first reader of each page sets its hint bits
	 * and writes it (pg-caselist: the queue's overdue list 21 ms at p50
	 * in the minute after a copy, 5 ms after). A failure here loses
	 * nothing (autovacuum does it later).
	 *
	 * Only the tables that got rows (pg-ssi): an empty table that was
	 * analysed is planned as empty, a sequential scan costing nothing,
	 * for every look-up, and under SERIALIZABLE that scan locks the
	 * whole table, so the first submissions after a copy (cases and
	 * idempotency empty) failed each other, and kept failing while
	 * the pool's connections kept those plans. A table never analysed
	 * is planned as at least 10 pages: by its indexes. */
	if (rc == HH_OK && analyse_filled(&c) != HH_OK && progress)
		fprintf(progress, "  (VACUUM failed; autovacuum will do it)\n");
	if (rc == HH_OK && stats)
		*stats = st;
fail:
	if (in_pg_tx) {
		PGresult *r = PQexec(c.pg, "ROLLBACK");
		PQclear(r);
	}
	if (in_sq_tx)
		sqlite3_exec(c.sq, "ROLLBACK", NULL, NULL, NULL);
	for (int i = 0; i < c.n; i++) {
		for (int k = 0; k < c.t[i].n_cols; k++)
			free(c.t[i].cols[k].name);
		free(c.t[i].cols);
		free(c.t[i].name);
	}
	free(c.t);
	free(c.keys);
	if (c.pg)
		PQfinish(c.pg);
	sqlite3_close(c.sq);
	return rc;
}
