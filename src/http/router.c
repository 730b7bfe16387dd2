/* router.c - matching a method and path against the static route table. */
#include "http/http.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum hh_method hh_method_parse(const char *m)
{
	static const struct {
		const char *name;
		enum hh_method m;
	} names[] = { { "GET", HH_GET },	 { "HEAD", HH_HEAD },
		      { "POST", HH_POST },	 { "PUT", HH_PUT },
		      { "DELETE", HH_DELETE }, { "PATCH", HH_PATCH },
		      { "OPTIONS", HH_OPTIONS } };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(m, names[i].name) == 0)
			return names[i].m;
	return 0;
}

void hh_methods_format(unsigned set, char *buf, size_t size)
{
	static const char *names[] = { "GET",	 "HEAD",  "POST",   "PUT",
				       "DELETE", "PATCH", "OPTIONS" };
	size_t n = 0;
	buf[0] = 0;
	for (int i = 0; i < 7; i++) {
		if (!(set & (1u << i)))
			continue;
		n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? ", " : "",
				      names[i]);
		if (n >= size)
			break;
	}
}

/* Matches pattern against path; on success records {params} in r. */
static int match(const char *pat, const char *path, struct hh_req *r)
{
	int n = 0;
	while (*pat && *path) {
		if (*pat == '*') {
			if (n < HH_MAX_PARAMS) {
				r->param_names[n] = "*";
				r->param_values[n] = hh_arena_strdup(&r->arena, path);
				n++;
			}
			r->n_params = n;
			return 1;
		}
		if (*pat == '{') {
			const char *end = strchr(pat, '}');
			const char *seg_end = strchr(path, '/');
			if (!end)
				return 0;
			if (!seg_end)
				seg_end = path + strlen(path);
			if (seg_end == path || n >= HH_MAX_PARAMS)
				return 0;
			r->param_names[n] = hh_arena_strndup(&r->arena, pat + 1,
							     (size_t)(end - pat - 1));
			r->param_values[n] = hh_arena_strndup(
				&r->arena, path, (size_t)(seg_end - path));
			n++;
			pat = end + 1;
			path = seg_end;
			continue;
		}
		if (*pat != *path)
			return 0;
		pat++;
		path++;
	}
	if (*pat == '*' && !*path) {
		/* The star matched nothing: still name it, so handlers get
		 * "" rather than NULL for "*". */
		if (n < HH_MAX_PARAMS) {
			r->param_names[n] = "*";
			r->param_values[n] = "";
			n++;
		}
		r->n_params = n;
		return 1;
	}
	if (*pat || *path)
		return 0;
	r->n_params = n;
	return 1;
}

const struct hh_route *hh_route_match(const struct hh_route *table,
				      struct hh_req *r, enum hh_method m,
				      const char *path, unsigned *allowed)
{
	*allowed = 0;
	for (const struct hh_route *rt = table; rt->pattern; rt++) {
		r->n_params = 0;
		if (!match(rt->pattern, path, r))
			continue;
		unsigned methods = rt->methods;
		if (methods & HH_GET)
			methods |= HH_HEAD; /* HEAD is GET without a body */
		*allowed |= methods;
		if (methods & m)
			return rt;
	}
	r->n_params = 0;
	return NULL;
}

const char *hh_req_param(struct hh_req *r, const char *name)
{
	for (int i = 0; i < r->n_params; i++)
		if (strcmp(r->param_names[i], name) == 0)
			return r->param_values[i];
	return NULL;
}

int64_t hh_req_id(struct hh_req *r, const char *name, const char *suffix)
{
	const char *s = hh_req_param(r, name);
	if (!s || *s < '0' || *s > '9')
		return 0;
	int64_t v = 0;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (INT64_MAX - (*s - '0')) / 10)
			return 0; /* too big to be anybody's id */
		v = v * 10 + (*s - '0');
	}
	if (*s && (!suffix || strcmp(s, suffix)))
		return 0;
	return v;
}
