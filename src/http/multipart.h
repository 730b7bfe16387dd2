/* multipart.h - parsing multipart/form-data request bodies (RFC 7578).
 *
 * The citizen forms post files, so their bodies are multipart/form-data.
 * The whole body is already in memory (capped by the server), so the
 * parser is a single pass over it that points into it: a part's data is
 * borrowed from the body, its name, filename and content type are copied
 * into the arena. Nothing is read outside [body, body + len), and every
 * count is bounded (HH_MULTIPART_MAX_* below); a body that breaks a rule
 * is refused as a whole, never half-parsed. */
#ifndef HH_MULTIPART_H
#define HH_MULTIPART_H

#include <stddef.h>

#include "core/arena.h"
#include "core/rc.h"

#define HH_MULTIPART_MAX_BOUNDARY 70   /* RFC 2046 */
#define HH_MULTIPART_MAX_HEADER 2048   /* bytes of one part header line */
#define HH_MULTIPART_MAX_HEADERS 8     /* header lines of one part */

struct hh_multipart_part {
	const char *name;         /* the form field (arena, NUL-terminated) */
	const char *filename;     /* a file part's filename ("" when the
				     citizen chose no file); NULL for a
				     plain field */
	const char *content_type; /* as sent, or NULL */
	const unsigned char *data; /* borrowed from the body: not
				      NUL-terminated */
	size_t size;
};

/* Copies the boundary of a "multipart/form-data; boundary=..." content
 * type (quoted or not) into out (at least HH_MULTIPART_MAX_BOUNDARY + 1
 * bytes). Returns 0 when content_type is not multipart/form-data or the
 * boundary is missing, empty, too long or has characters RFC 2046 does
 * not allow. */
int hh_multipart_boundary(const char *content_type, char *out);

/* Parses body (len bytes) with the boundary of content_type into parts (up
 * to max_parts; *n_parts gets the count). Returns HH_OK, or HH_ERR_INVALID
 * when the body is not well-formed multipart/form-data, a part has no
 * form-data name, a header is too long, or there are more than max_parts
 * parts. On INVALID *n_parts is 0. */
enum hh_rc hh_multipart_parse(struct hh_arena *a, const char *content_type,
			      const void *body, size_t len,
			      struct hh_multipart_part *parts, int max_parts,
			      int *n_parts);

/* The first part named name, or NULL. Borrowed from parts. */
const struct hh_multipart_part *
hh_multipart_find(const struct hh_multipart_part *parts, int n_parts,
		  const char *name);

#endif
