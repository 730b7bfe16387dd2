/* upload.h - reading a citizen's form that may carry files: the body as
 * application/x-www-form-urlencoded or multipart/form-data, its text
 * values and its files as the JSON a form's file field takes. Used by
 * the answers in Mit overblik (pages/inbox.c, pages/overview.c); the
 * case forms (pages/blanket.c) read their own. Internal to src/pages/. */
#ifndef HH_PAGES_UPLOAD_H
#define HH_PAGES_UPLOAD_H

#include <jansson.h>

#include "http/multipart.h"
#include "pages/pages.h"

struct hh_upload {
	int multipart;
	struct hh_multipart_part *parts; /* in the request's arena */
	int n_parts;
};

/* Reads r's body into u. Returns 0 after queueing a Danish error page
 * (400: broken multipart; 415: another content type) when it cannot. */
int hh_upload_read(struct hh_req *r, struct hh_upload *u);

/* The text value called name (a NUL byte in it is made invalid UTF-8,
 * so that checking it says it cannot be read), or NULL. In the arena. */
const char *hh_upload_value(struct hh_req *r, const struct hh_upload *u,
			    const char *name);

/* The files chosen under name, as a JSON array of {"name",
 * "content_type", "data": base64} (borrowed: released with the request;
 * empty when none was chosen). */
json_t *hh_upload_files(struct hh_req *r, const struct hh_upload *u,
			const char *name);

/* The text trimmed of blanks at both ends (in the arena; "" for NULL). */
const char *hh_upload_trim(struct hh_req *r, const char *s);

#endif
