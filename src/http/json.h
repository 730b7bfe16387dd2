/* json.h - parsing request bodies with a spec table (GNU Taler's JSON spec).
 *
 * A handler declares what it accepts:
 *
 *   struct hh_json_spec spec[] = {
 *           HH_JSON_STR("title", &title, 1, 1, 200),
 *           HH_JSON_INT("version", &version, 0),
 *           HH_JSON_END
 *   };
 *
 * hh_json_parse() checks that the body is a JSON object, that every key is
 * in the spec (unknown keys are rejected), that required keys are present
 * and that each value has the right type and bounds. On failure it names
 * the failing field and the error code. Strings are copied into the
 * request arena. */
#ifndef HH_JSON_H
#define HH_JSON_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/util.h" /* hh_utf8_len */

enum hh_json_type {
	HH_JSON_T_END = 0,
	HH_JSON_T_STR,      /* const char **; min/max: length in characters */
	HH_JSON_T_STR_NULL, /* as STR, but null is accepted (gives NULL) */
	HH_JSON_T_INT,      /* int64_t *; min/max: value */
	HH_JSON_T_BOOL,     /* int * */
	HH_JSON_T_STR_LIST, /* array of strings joined with ", " into
			       const char **; min/max: item length */
	HH_JSON_T_OBJ,      /* an object into json_t ** (borrowed: it lives
			       as long as the arena); min/max: its number
			       of keys */
};

struct hh_json_spec {
	const char *name;
	enum hh_json_type type;
	void *out;
	int required;
	int64_t min, max;
	int *present; /* optional: set to 1 when the key was given */
};

#define HH_JSON_STR(n, out, req, mn, mx) \
	{ (n), HH_JSON_T_STR, (out), (req), (mn), (mx), NULL }
#define HH_JSON_STR_NULL(n, out, req, mn, mx) \
	{ (n), HH_JSON_T_STR_NULL, (out), (req), (mn), (mx), NULL }
#define HH_JSON_INT(n, out, req, mn, mx) \
	{ (n), HH_JSON_T_INT, (out), (req), (mn), (mx), NULL }
#define HH_JSON_BOOL(n, out, req) { (n), HH_JSON_T_BOOL, (out), (req), 0, 1, NULL }
#define HH_JSON_STR_LIST(n, out, req, mn, mx) \
	{ (n), HH_JSON_T_STR_LIST, (out), (req), (mn), (mx), NULL }
#define HH_JSON_OBJ(n, out, req, mn, mx) \
	{ (n), HH_JSON_T_OBJ, (out), (req), (mn), (mx), NULL }
#define HH_JSON_END { NULL, HH_JSON_T_END, NULL, 0, 0, 0, NULL }

enum hh_json_err {
	HH_JSON_OK = 0,
	HH_JSON_ERR_SYNTAX,  /* not JSON, or not an object */
	HH_JSON_ERR_UTF8,    /* invalid UTF-8 */
	HH_JSON_ERR_UNKNOWN, /* a key not in the spec */
	HH_JSON_ERR_MISSING, /* a required key is absent */
	HH_JSON_ERR_INVALID, /* wrong type or out of bounds */
};

struct hh_json_result {
	enum hh_json_err err;
	const char *field;  /* the failing key (arena), or NULL */
	const char *detail; /* English detail (arena or static) */
	int line, column;   /* for syntax errors */
};

/* Parses body (len bytes) against spec, writing values through the spec's
 * out pointers (strings allocated in a). Returns HH_JSON_OK or the first
 * error, described in *res. */
enum hh_json_err hh_json_parse(struct hh_arena *a, const char *body,
			       size_t len, struct hh_json_spec *spec,
			       struct hh_json_result *res);


#endif
