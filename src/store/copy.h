/* copy.h - `helhed copy`: a SQLite database into an empty PostgreSQL
 * database, every row and every id kept (issue 14, point 5).
 *
 * A store-level tool: it reads the SQLite file with SQLite and writes
 * with libpq, table by table, so that nothing is lost in translation
 * through the domain (the event log, the audit log and the sealed CPR
 * numbers are copied byte for byte; the same key file opens them on
 * PostgreSQL). See docs/postgres-ops.md. */
#ifndef HH_COPY_H
#define HH_COPY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/rc.h"

/* What a copy did. */
struct hh_copy_stats {
	int tables;       /* tables copied (with or without rows) */
	int64_t rows;     /* rows copied, all tables */
	int identities;   /* identity sequences moved past the largest id */
	int schema;       /* the schema version of both databases */
};

/* Copies the SQLite database in file into the PostgreSQL database at url
 * (a libpq connection URI), which must be migrated to the same schema
 * version as the file and otherwise empty. In one PostgreSQL transaction
 * (all or nothing): every table in foreign-key order through COPY, BLOBs
 * as bytea, then each identity column's sequence set past its largest
 * copied id, then every table's row count compared with the file's. The
 * file is read in one read transaction (a consistent snapshot) and is
 * never written. After the commit the tables are ANALYZEd. Progress
 * lines go to progress (NULL: none).
 *
 * Returns OK and fills *stats (may be NULL); HH_ERR_INVALID when refused
 * or when PostgreSQL rejects a row (nothing written), HH_ERR_IO when a
 * database cannot be opened or the connection is lost, HH_ERR_INTERNAL
 * when the counts differ after the copy (rolled back). On any error why
 * (why_size bytes) gets a sentence for the operator. */
enum hh_rc hh_store_copy(const char *file, const char *url, FILE *progress,
			 struct hh_copy_stats *stats, char *why,
			 size_t why_size);

#endif
