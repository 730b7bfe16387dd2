/* spool.h - the spool folder: the embedded Digital Post transport.
 *
 * helhed writes each message as <spool>/out/<uuid>.xml; the
 * municipality's Digital Post integration picks it up (moving it to
 * <spool>/sent/<uuid>.xml) and answers with <spool>/receipts/<uuid>.ok
 * or <uuid>.failed (text: the reason). The protocol is in
 * docs/digital-post.md. Print batches go to <spool>/print/.
 *
 * Every file is written durably: to a temporary name in the same folder
 * (a name starting with '.', which the integration ignores), fsync'd,
 * renamed into place, and the folder fsync'd. A UUID that is already in
 * out/, sent/ or has a receipt is not written again. */
#ifndef HH_POST_SPOOL_H
#define HH_POST_SPOOL_H

#include <stddef.h>

#include "core/rc.h"
#include "post/transport.h"

/* Opens the spool folder dir, creating it and its sub-folders (mode
 * 0750) when missing. *out is new (hh_transport_free). IO when dir
 * cannot be made. */
enum hh_rc hh_spool_open(const char *dir, struct hh_transport **out);

/* The spool folder of t (borrowed), or NULL when t is not a spool. */
const char *hh_spool_dir(const struct hh_transport *t);

/* Writes len bytes of data durably as the file dir/name (replacing one
 * there): temporary file, fsync, rename, fsync of dir. IO (errno kept)
 * when any step fails; nothing is left under name then. */
enum hh_rc hh_spool_write_file(const char *dir, const char *name,
			       const void *data, size_t len);

/* The default spool folder for the database at db_path: "<db>.spool"
 * (new string, free()). */
char *hh_spool_default_dir(const char *db_path);

#endif
