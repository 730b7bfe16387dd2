/* openapi.c - GET /api/v1/openapi.json: the API's OpenAPI 3.1 description.
 *
 * The description is docs/openapi.json, embedded at build time
 * (scripts/embed-text.sh, build/gen/openapi.c); tests/openapi/check.mjs
 * holds it to what the server answers (docs/api.md). It is the same for
 * every caller, so it is cacheable, with an ETag of its bytes as the
 * static files have (FNV-1a, computed once). */
#include "api/api.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

extern const char hh_openapi_json[];
extern const size_t hh_openapi_json_len;

static pthread_once_t etag_once = PTHREAD_ONCE_INIT;
static char etag[24];

static void make_etag(void)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a, as server.c's files */
	for (size_t i = 0; i < hh_openapi_json_len; i++)
		h = (h ^ (unsigned char)hh_openapi_json[i]) * 1099511628211ULL;
	snprintf(etag, sizeof(etag), "\"%016llx\"", (unsigned long long)h);
}

void hh_api_openapi(struct hh_req *r)
{
	pthread_once(&etag_once, make_etag);
	const char *inm = hh_req_header(r, "If-None-Match");
	if (inm && !strcmp(inm, etag)) {
		hh_resp_text(r, 304, "application/json", "");
		r->content_type = NULL; /* no body, as server.c's 304s */
	} else {
		hh_resp_text(r, 200, "application/json", hh_openapi_json);
	}
	hh_resp_header(r, "ETag", etag);
	hh_resp_header(r, "Cache-Control", "public, max-age=3600");
}
